/**
 * A custom prior written as a mathjs expression: the horseshoe-like prior of Bhadra, Datta,
 * Polson & Willard (2019, Annals of Applied Statistics 13(4), 2161–2184),
 *
 *   p(x | a) = log(1 + a/x²) / (2π√a),    a = τ² (the global scale squared).
 *
 * The horseshoe's marginal has no closed form; this one keeps the horseshoe's two features, an
 * infinite spike at 0 and Cauchy-like tails, in a formula, so a regression needs no local scales
 * at all: D coefficients are D latents instead of the horseshoe's 2D. sprig derives ∂/∂x and
 * ∂/∂a from the string and compiles them once; the builder and the density compiler use the
 * result like any built-in family.
 *
 * The model is a sparse linear regression with a half-Cauchy global scale τ, written with the
 * TypeScript builder and in the sprig language (both give the same graph).
 * Data fields: N, D, X (N × D), y — e.g. from `syntheticSparseRegressionData`.
 */
import { POSITIVE } from "../../src/core/support.js";
import type { ModelGraph } from "../../src/ir/types.js";
import { customFamily, halfCauchy, halfNormal, model, normal } from "../../src/lang/builder/index.js";
import { parseModel } from "../../src/lang/text/index.js";
import { type ExpressionDistribution, expressionDistribution, type Registry } from "../../src/runtime/dists/index.js";
import { exampleFamilies } from "./families.js";

/**
 * The horseshoe-like prior, built from its log density. Building it parses, differentiates and
 * compiles the expression (about 0.1 s once mathjs is loaded); do it once per program.
 *
 * @returns the family, ready to register
 * @example
 * ```ts
 * const prior = horseshoeLikeDistribution();
 * prior.partials.a; // the derived ∂/∂a, as mathjs text
 * ```
 */
export function horseshoeLikeDistribution(): ExpressionDistribution {
  return expressionDistribution({
    family: "horseshoe_like",
    params: { a: { rank: 0, support: POSITIVE, doc: "global scale squared, a = τ²" } },
    logDensity: "log(log1p(a / x^2)) - log(2 * pi) - 0.5 * log(a)",
    // log(1 + a/x²) = ∫₀ᵃ ds / (x² + s): x = √s·C with s = a·U², U uniform and C standard Cauchy.
    sample: (rng, p) => Math.sqrt(p.a!) * rng.uniform() * Math.tan(Math.PI * (rng.uniform() - 0.5)),
  });
}

/**
 * The default registry with the horseshoe-like prior registered.
 *
 * @param prior - the family (default: built now by {@link horseshoeLikeDistribution})
 * @returns a fresh registry
 * @example
 * ```ts
 * const families = horseshoeLikeFamilies();
 * ```
 */
export function horseshoeLikeFamilies(prior: ExpressionDistribution = horseshoeLikeDistribution()): Registry {
  return exampleFamilies().register(prior);
}

/**
 * The regression with the TypeScript builder. The family's constructor comes from its
 * definition with `customFamily`; `dist("horseshoe_like", { a })` is the same thing by name.
 *
 * @param families - a registry holding `horseshoe_like`
 * @returns the model graph
 * @example
 * ```ts
 * const families = horseshoeLikeFamilies();
 * const m = compile(makeHorseshoeLikeRegression(families), syntheticSparseRegressionData(createRng(1), 40, 6, 2), families);
 * ```
 */
export function makeHorseshoeLikeRegression(families: Registry): ModelGraph {
  const horseshoeLike = customFamily(families.get("horseshoe_like"));
  return model(
    "horseshoe_like_regression",
    ({ data, param, observe }) => {
      const N = data.int("N", { lower: 1 });
      const D = data.int("D", { lower: 1 });
      const X = data.matrix("X", N, D);
      const y = data.vector("y", N);
      const intercept = param("intercept", normal({ loc: 0, scale: 5 }));
      const sigma = param("sigma", halfNormal({ scale: 2 }));
      const tau = param("tau", halfCauchy({ scale: 1 }));
      const beta = param("beta", horseshoeLike({ a: tau.pow(2) }), { size: D });
      observe(y, normal({ loc: X.matvec(beta).add(intercept), scale: sigma }));
    },
    { families },
  );
}

/**
 * The same model in the sprig language: a registered custom family is called like a built-in
 * one, with positional or named arguments.
 *
 * @example
 * ```ts
 * const graph = parseModel(HORSESHOE_LIKE_REGRESSION_TEXT, horseshoeLikeFamilies());
 * ```
 */
export const HORSESHOE_LIKE_REGRESSION_TEXT = `// sprig model: horseshoe_like_regression
data {
  int<lower=1> N;
  int<lower=1> D;
  matrix[N, D] X;
  vector[N] y;
}
parameters {
  real intercept;
  real sigma;
  real tau;
  vector[D] beta;
}
model {
  intercept ~ normal(0, 5);
  sigma ~ half_normal(2);
  tau ~ half_cauchy(1);
  beta ~ horseshoe_like(tau^2);
  y ~ normal(X * beta + intercept, sigma);
}
`;

/**
 * The regression parsed from {@link HORSESHOE_LIKE_REGRESSION_TEXT}.
 *
 * @param families - a registry holding `horseshoe_like`
 * @returns the model graph
 * @example
 * ```ts
 * const graph = parseHorseshoeLikeRegression(horseshoeLikeFamilies());
 * ```
 */
export function parseHorseshoeLikeRegression(families: Registry): ModelGraph {
  return parseModel(HORSESHOE_LIKE_REGRESSION_TEXT, families, { file: "horseshoe_like_regression.sprig" });
}
