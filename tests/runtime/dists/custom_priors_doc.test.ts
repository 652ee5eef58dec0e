/**
 * The code of docs/custom-priors.md, kept verbatim here so that the guide's examples are tested:
 * the generalized double Pareto prior written as a Distribution object and as an expression,
 * the horseshoe-like prior as an expression, and the GDP used in a model from the builder and
 * from model text, compiled, and run with NUTS and ADVI.
 */
import { describe, expect, it } from "vitest";
import { ModelError } from "../../../src/core/errors.js";
import { summarize } from "../../../src/inference/diagnostics/index.js";
import { sample } from "../../../src/inference/mcmc/index.js";
import { compile } from "../../../src/inference/model/index.js";
import { fitAdvi } from "../../../src/inference/vi/index.js";
import { graphToJSON } from "../../../src/ir/index.js";
import type { ModelGraph } from "../../../src/ir/types.js";
import { customFamily, dist, halfNormal, model, normal } from "../../../src/lang/builder/index.js";
import { parseModel } from "../../../src/lang/text/index.js";
import type { Rng } from "../../../src/core/rng.js";
import { shapeSize } from "../../../src/core/shape.js";
import { POSITIVE, REAL } from "../../../src/core/support.js";
import type { Distribution, GradOut, Params, Value } from "../../../src/runtime/dists/distribution.js";
import { createDefaultRegistry, expressionDistribution } from "../../../src/runtime/dists/index.js";
import { createRng, sampleExponential, sampleGamma } from "../../../src/runtime/rng/index.js";
import { derivative, relativeError } from "./finite_diff.js";

// --- docs/custom-priors.md, "Route 1: a Distribution object" ---------------------------------

/** One GDP draw through its hierarchy: λ ~ Gamma(α, rate η), τ ~ Exp(rate λ²/2), x ~ N(0, τ). */
function drawGdp(rng: Rng, alpha: number, eta: number): number {
  const lambda = sampleGamma(rng, alpha, eta);
  const tau = sampleExponential(rng, 0.5 * lambda * lambda);
  return Math.sqrt(tau) * rng.normal();
}

const gdp = {
  family: "gdp",
  params: {
    alpha: { rank: 0, support: POSITIVE, doc: "tail index α" },
    eta: { rank: 0, support: POSITIVE, doc: "scale η" },
  },
  paramOrder: ["alpha", "eta"],
  eventRank: 0,
  discrete: false,
  support: () => REAL,

  logDensity(x: Value, p: Params): number {
    const alpha = p.alpha as number;
    const eta = p.eta as number;
    if (!(alpha > 0 && alpha < Infinity && eta > 0 && eta < Infinity)) return -Infinity;
    const xs = typeof x === "number" ? [x] : x;
    const constant = Math.log(alpha) - Math.log(2 * eta);
    let total = 0;
    for (const xi of xs) {
      if (!Number.isFinite(xi)) return -Infinity;
      total += constant - (alpha + 1) * Math.log1p(Math.abs(xi) / eta);
    }
    return total;
  },

  logDensityGrad(x: Value, p: Params, out: GradOut): number {
    const alpha = p.alpha as number;
    const eta = p.eta as number;
    if (!(alpha > 0 && alpha < Infinity && eta > 0 && eta < Infinity)) return -Infinity;
    const xs = typeof x === "number" ? [x] : x;
    const constant = Math.log(alpha) - Math.log(2 * eta);
    let total = 0;
    for (let i = 0; i < xs.length; i++) {
      const xi = xs[i]!;
      if (!Number.isFinite(xi)) return -Infinity;
      const a = Math.abs(xi);
      const log1pz = Math.log1p(a / eta);
      total += constant - (alpha + 1) * log1pz;
      // Partials are ADDED (+=): the caller may accumulate several terms into one buffer.
      if (out.x) out.x[i]! -= ((alpha + 1) * Math.sign(xi)) / (eta + a);
      if (out.params.alpha) out.params.alpha[0]! += 1 / alpha - log1pz;
      if (out.params.eta) out.params.eta[0]! += -1 / eta + ((alpha + 1) * a) / (eta * (eta + a));
    }
    return total;
  },

  sample(rng: Rng, p: Params, shape: readonly number[], out?: Float64Array): Value {
    const alpha = p.alpha as number;
    const eta = p.eta as number;
    if (shape.length === 0 && !out) return drawGdp(rng, alpha, eta);
    const target = out ?? new Float64Array(shapeSize(shape));
    for (let i = 0; i < target.length; i++) target[i] = drawGdp(rng, alpha, eta);
    return target;
  },
} satisfies Distribution;

const registry = createDefaultRegistry().register(gdp);

// --- docs/custom-priors.md, "Route 2: a log density as a mathjs expression" ----------------

const gdpExpr = expressionDistribution({
  family: "gdp_expr",
  params: {
    alpha: { rank: 0, support: POSITIVE, doc: "tail index α" },
    eta: { rank: 0, support: POSITIVE, doc: "scale η" },
  },
  logDensity: "log(alpha) - log(2 * eta) - (alpha + 1) * log(1 + abs(x) / eta)",
  sample: (rng, p) => drawGdp(rng, p.alpha!, p.eta!),
});

const horseshoeLike = expressionDistribution({
  family: "horseshoe_like",
  params: { a: { rank: 0, support: POSITIVE, doc: "global scale², a = τ²" } },
  logDensity: "log(log1p(a / x^2)) - log(2 * pi) - 0.5 * log(a)",
  // x = √a · U · C with U uniform and C standard Cauchy (the scale-mixture representation).
  sample: (rng, p) => Math.sqrt(p.a!) * rng.uniform() * Math.tan(Math.PI * (rng.uniform() - 0.5)),
});

registry.register(gdpExpr).register(horseshoeLike);

// --- docs/custom-priors.md, "Using a custom prior in a model" ------------------------------

const gdpPrior = customFamily(gdp);

const normalMeans = model(
  "normal_means",
  ({ data, param, observe }) => {
    const J = data.int("J", { lower: 1 });
    const y = data.vector("y", J);
    const eta = param("eta", halfNormal({ scale: 1 }));
    const theta = param("theta", gdpPrior({ alpha: 1, eta }), { size: J });
    observe(y, normal({ loc: theta, scale: 1 }));
  },
  { families: registry },
);

const byName = model(
  "normal_means",
  ({ data, param, observe }) => {
    const J = data.int("J", { lower: 1 });
    const y = data.vector("y", J);
    const eta = param("eta", halfNormal({ scale: 1 }));
    const theta = param("theta", dist("gdp", { alpha: 1, eta }), { size: J });
    observe(y, normal({ loc: theta, scale: 1 }));
  },
  { families: registry },
);

const normalMeansText = `
  data { int<lower=1> J; vector[J] y; }
  parameters { real eta; vector[J] theta; }
  model {
    eta ~ half_normal(1);
    theta ~ gdp(1, eta);
    y ~ normal(theta, 1);
  }`;
const parsed = parseModel(normalMeansText, registry, { name: "normal_means" });

const data = { J: 8, y: [0.3, -0.5, 4.1, 0.2, -3.6, 0.1, 0.6, -0.2] };
const density = compile(normalMeans, data, registry);

const point = density.unconstrain({ eta: 0.5, theta: data.y }); // θ = (log η, theta)
const grad = new Float64Array(density.dimension);
const lp = density.logDensityAndGrad(point, grad);

const fit = await sample(density, { numChains: 2, numWarmup: 500, numSamples: 1000, seed: 1 });
const posteriorMean = Object.fromEntries(summarize(fit).map((row) => [row.name, row.mean]));

const approx = fitAdvi(density, { seed: 1 });
const adviMean = approx.mean.theta; // Float64Array, one mean per theta[j]

const viaExpression = parseModel(normalMeansText.replace("gdp(1, eta)", "gdp_expr(1, eta)"), registry);

const gdpNumeric = { ...gdp, family: "gdp_numeric", logDensityGrad: undefined };
registry.register(gdpNumeric);
const viaDifferences = parseModel(normalMeansText.replace("gdp(1, eta)", "gdp_numeric(1, eta)"), registry);

// ---------------------------------------------------------------------------------------------

describe("docs/custom-priors.md", () => {
  it("the hand-written GDP is registered, and its partials agree with finite differences", () => {
    const prior = registry.get("gdp");
    const p = { alpha: 2, eta: 0.5 };
    const out = { x: new Float64Array(1), params: { alpha: new Float64Array(1), eta: new Float64Array(1) } };
    prior.logDensityGrad!(0.8, p, out);
    expect(
      relativeError(
        out.x[0]!,
        derivative((t) => prior.logDensity(t, p), 0.8, 1e-4),
      ),
    ).toBeLessThan(1e-8);
    expect(
      relativeError(
        out.params.alpha[0]!,
        derivative((t) => prior.logDensity(0.8, { ...p, alpha: t }), 2, 1e-4),
      ),
    ).toBeLessThan(1e-8);
    expect(
      relativeError(
        out.params.eta[0]!,
        derivative((t) => prior.logDensity(0.8, { ...p, eta: t }), 0.5, 1e-4),
      ),
    ).toBeLessThan(1e-8);
  });

  it("both routes give the same GDP: values, partials and (same stream) draws", () => {
    const xs = new Float64Array([-2, -0.1, 0.3, 4]);
    const p = { alpha: 1.5, eta: 0.7 };
    expect(registry.get("gdp_expr").logDensity(xs, p)).toBeCloseTo(gdp.logDensity(xs, p), 12);
    const a = { x: new Float64Array(4), params: { alpha: new Float64Array(1), eta: new Float64Array(1) } };
    const b = { x: new Float64Array(4), params: { alpha: new Float64Array(1), eta: new Float64Array(1) } };
    gdp.logDensityGrad(xs, p, a);
    gdpExpr.logDensityGrad!(xs, p, b);
    for (let i = 0; i < 4; i++) expect(b.x[i]).toBeCloseTo(a.x[i]!, 12);
    expect(b.params.alpha[0]).toBeCloseTo(a.params.alpha[0]!, 12);
    expect(b.params.eta[0]).toBeCloseTo(a.params.eta[0]!, 12);
    expect(Array.from(gdpExpr.sample(createRng(7), p, [5]) as Float64Array)).toEqual(
      Array.from(gdp.sample(createRng(7), p, [5]) as Float64Array),
    );
  });

  it("prints the derived GDP partials shown in the guide", () => {
    expect(gdpExpr.partials.x).toBe("-((alpha + 1) * sign(x) / eta / (abs(x) / eta + 1))");
    expect(gdpExpr.partials.alpha).toBe("1 / alpha - log(abs(x) / eta + 1)");
    expect(gdpExpr.partials.eta).toBe("((alpha + 1) * abs(x) / (abs(x) / eta + 1) - eta) / eta ^ 2");
  });

  it("shows the derived partials of the horseshoe-like prior", () => {
    expect(Object.keys(horseshoeLike.partials)).toEqual(["x", "a"]);
    expect(registry.get("horseshoe_like").logDensity(1, { a: 1 })).toBeCloseTo(
      Math.log(Math.log(2) / (2 * Math.PI)),
      14,
    );
  });
});

/** The graph as JSON without source spans (the builder points into this file, the parser into text). */
function withoutSpans(graph: ModelGraph): string {
  return JSON.stringify(JSON.parse(graphToJSON(graph)), (key, value) => (key === "span" ? undefined : value));
}

describe("docs/custom-priors.md, using a custom prior in a model", () => {
  it("the typed constructor, dist() by name and the model text give one graph", () => {
    expect(withoutSpans(byName)).toBe(withoutSpans(normalMeans));
    expect(withoutSpans(parsed)).toBe(withoutSpans(normalMeans));
  });

  it("gdpPrior's argument type comes from the object declared with satisfies Distribution", () => {
    // @ts-expect-error — eta has no default, so the constructor's type requires it.
    const missingEta = () => model("m", ({ param }) => void param("b", gdpPrior({ alpha: 1 })), { families: registry });
    expect(missingEta).toThrow(ModelError);
  });

  it("the compiled density: the GDP's own logDensity plus the other terms, and a gradient matching differences", () => {
    expect(density.dimension).toBe(9);
    const theta = Float64Array.from(data.y);
    // half_normal(η | 1) + Σ gdp(θ_j | 1, η) + Σ normal(y_j | θ_j, 1) + log|J| (log η, from η = exp(θ₀)).
    const expected =
      Math.log(2 / Math.sqrt(2 * Math.PI)) -
      0.125 +
      gdp.logDensity(theta, { alpha: 1, eta: 0.5 }) +
      8 * -0.5 * Math.log(2 * Math.PI) +
      Math.log(0.5);
    expect(lp).toBeCloseTo(expected, 12);
    for (let i = 0; i < point.length; i++) {
      const numeric = derivative(
        (t) => {
          const moved = point.slice();
          moved[i] = t;
          return density.logDensity(moved);
        },
        point[i]!,
        1e-4,
      );
      expect(relativeError(grad[i]!, numeric)).toBeLessThan(1e-8);
    }
  });

  it("NUTS and ADVI shrink the six small effects and keep the two large ones", () => {
    // Posterior means from NUTS: about 3.5 and −3.0 for y = 4.1 and −3.6, at most 0.2 in size for
    // |y| ≤ 0.6. Their MCSEs are about 0.02, so the bounds below hold with > 5 MCSE to spare.
    for (const [j, y] of data.y.entries()) {
      const nuts = posteriorMean[`theta[${j + 1}]`]!;
      const advi = adviMean[j]!;
      if (Math.abs(y) > 3) {
        expect(nuts / y).toBeGreaterThan(0.7);
        expect(advi / y).toBeGreaterThan(0.7);
      } else {
        expect(Math.abs(nuts)).toBeLessThan(0.3);
        expect(Math.abs(advi)).toBeLessThan(0.3);
      }
    }
  });

  it("the expression route and the finite-difference route give the same model", () => {
    const fromExpression = compile(viaExpression, data, registry);
    const fromDifferences = compile(viaDifferences, data, registry);
    expect(fromExpression.logDensity(point)).toBeCloseTo(lp, 12);
    expect(fromDifferences.logDensity(point)).toBeCloseTo(lp, 12);
    const g = new Float64Array(9);
    fromDifferences.logDensityAndGrad(point, g);
    for (let i = 0; i < 9; i++) expect(relativeError(g[i]!, grad[i]!)).toBeLessThan(1e-7);
  });
});
