import poissonLogpmf from "@stdlib/stats-base-dists-poisson-logpmf";
import { describe, expect, it } from "vitest";
import { CapabilityError, DomainError, ModelError, ShapeError } from "../../../src/core/errors.js";
import type { Rng } from "../../../src/core/rng.js";
import { NONNEGATIVE_INTEGER, POSITIVE, REAL } from "../../../src/core/support.js";
import {
  createDefaultRegistry,
  type ExpressionPriorDefinition,
  expressionDistribution,
  studentT,
} from "../../../src/runtime/dists/index.js";
import { EXPRESSION_FUNCTIONS } from "../../../src/runtime/dists/expression.js";
import { createRng, sampleExponential, sampleGamma } from "../../../src/runtime/rng/index.js";
import { digamma, lbeta, lgamma, log1pexp, logistic } from "../../../src/runtime/special.js";
import { derivative, relativeError, stepFor } from "./finite_diff.js";

/**
 * The generalized double Pareto prior (Armagan, Dunson & Lee 2013): the marginal of
 * x | τ ~ N(0, τ), τ | λ ~ Exponential(rate λ²/2), λ ~ Gamma(α, rate η), with the closed form
 * p(x) = α/(2η)·(1 + |x|/η)^(−(α+1)). The sampler draws through that hierarchy, so the sampling
 * test below checks the closed form against the hierarchy.
 */
const GDP: ExpressionPriorDefinition = {
  family: "generalized_double_pareto",
  params: {
    alpha: { rank: 0, support: POSITIVE, doc: "tail index α" },
    eta: { rank: 0, support: POSITIVE, doc: "scale η" },
  },
  logDensity: "log(alpha) - log(2 * eta) - (alpha + 1) * log(1 + abs(x) / eta)",
  sample: (rng, p) => {
    const lambda = sampleGamma(rng, p.alpha!, p.eta!);
    const tau = sampleExponential(rng, 0.5 * lambda * lambda);
    return Math.sqrt(tau) * rng.normal();
  },
};

/** P(X ≤ x) for the GDP: ½(1 + x/η)^(−α) below 0, mirrored above. */
function gdpCdf(x: number, alpha: number, eta: number): number {
  const tail = 0.5 * (1 + Math.abs(x) / eta) ** -alpha;
  return x <= 0 ? tail : 1 - tail;
}

/**
 * The horseshoe-like prior (Bhadra, Datta, Polson & Willard 2019): p(x) = log(1 + a/x²)/(2π√a),
 * a closed form with the horseshoe's pole at 0 and Cauchy-like tails. Since
 * log(1 + a/x²) = ∫₀ᵃ ds/(x² + s), it is the scale mixture x = √s·C, C standard Cauchy, with
 * s = a·U² (density 1/(2√(as)) on (0, a)): the sampler below.
 */
const HORSESHOE_LIKE: ExpressionPriorDefinition = {
  family: "horseshoe_like",
  params: { a: { rank: 0, support: POSITIVE, doc: "global scale² (a = τ²)" } },
  logDensity: "log(log1p(a / x^2)) - log(2 * pi) - 0.5 * log(a)",
  sample: (rng, p) => Math.sqrt(p.a!) * rng.uniform() * Math.tan(Math.PI * (rng.uniform() - 0.5)),
};

/** P(X ≤ x) for the horseshoe-like prior, from ∫₀ˣ log(1 + a/t²) dt = x·log(1 + a/x²) + 2√a·atan(x/√a). */
function horseshoeLikeCdf(x: number, a: number): number {
  const r = Math.sqrt(a);
  const half =
    x === 0 ? 0 : (Math.abs(x) * Math.log1p(a / (x * x)) + 2 * r * Math.atan(Math.abs(x) / r)) / (2 * Math.PI * r);
  return x < 0 ? 0.5 - half : 0.5 + half;
}

function messageOf(fn: () => unknown, type: new (...args: never[]) => Error = ModelError): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(type);
    return (error as Error).message;
  }
  throw new Error("expected an error");
}

const u = (rng: Rng, lo: number, hi: number) => lo + (hi - lo) * rng.uniform();

/** Checks value and every partial of `dist` against central finite differences at (x, p). */
function expectPartialsMatch(dist: ReturnType<typeof expressionDistribution>, x: number, p: Record<string, number>) {
  const params: Record<string, Float64Array> = {};
  for (const name of dist.paramOrder) params[name] = new Float64Array(1);
  const out = { x: dist.discrete ? undefined : new Float64Array(1), params };
  const lp = dist.logDensityGrad!(x, p, out);
  expect(lp).toBeCloseTo(dist.logDensity(x, p), 12);
  if (!dist.discrete) {
    const fd = derivative((t) => dist.logDensity(t, p), x, stepFor(x));
    expect(relativeError(out.x![0]!, fd), `d/dx at x=${x}, ${JSON.stringify(p)}`).toBeLessThan(1e-6);
  }
  for (const name of Object.keys(dist.partials).filter((n) => n !== "x")) {
    const fd = derivative((t) => dist.logDensity(x, { ...p, [name]: t }), p[name]!, stepFor(p[name]!));
    expect(relativeError(out.params[name]![0]!, fd), `d/d${name} at x=${x}, ${JSON.stringify(p)}`).toBeLessThan(1e-6);
  }
}

describe("expression priors: worked examples", () => {
  const gdp = expressionDistribution(GDP);
  const hsl = expressionDistribution(HORSESHOE_LIKE);

  it("GDP: the compiled density equals the closed form and its partials match finite differences", () => {
    const rng = createRng("expr/gdp");
    for (let trial = 0; trial < 40; trial++) {
      const p = { alpha: Math.exp(u(rng, -1, 2)), eta: Math.exp(u(rng, -2, 2)) };
      const x = (rng.uniform() < 0.5 ? -1 : 1) * p.eta * Math.exp(u(rng, -3, 3));
      const closed = Math.log(p.alpha / (2 * p.eta)) - (p.alpha + 1) * Math.log1p(Math.abs(x) / p.eta);
      expect(gdp.logDensity(x, p)).toBeCloseTo(closed, 12);
      expectPartialsMatch(gdp, x, p);
    }
    // ∂/∂x uses sign(x) for abs′: finite (0) at the kink instead of mathjs' abs(x)/x = NaN.
    const out = { x: new Float64Array(1), params: { alpha: new Float64Array(1), eta: new Float64Array(1) } };
    expect(Number.isFinite(gdp.logDensityGrad!(0, { alpha: 1, eta: 1 }, out))).toBe(true);
    expect(out.x[0]).toBe(0);
    expect(Object.keys(gdp.partials)).toEqual(["x", "alpha", "eta"]);
    expect(gdp.partials.x).toContain("sign(x)");
  });

  it("GDP: the hierarchy sampler matches the closed-form CDF (4 MCSE), so the marginal formula is right", () => {
    const draws = gdp.sample(createRng("expr/gdp/sample"), { alpha: 3, eta: 2 }, [20_000]) as Float64Array;
    for (const point of [-4, -1, -0.2, 0, 0.5, 2, 8]) {
      const prob = gdpCdf(point, 3, 2);
      let count = 0;
      for (const v of draws) if (v <= point) count++;
      // Binomial MCSE of an empirical CDF: sqrt(q(1 − q)/N).
      expect(Math.abs(count / draws.length - prob), `P(X ≤ ${point})`).toBeLessThan(
        4 * Math.sqrt((prob * (1 - prob)) / draws.length),
      );
    }
  });

  it("horseshoe-like: the density integrates to the closed-form CDF and has a pole at 0", () => {
    // ∫₀ˣ p(t) dt with t = x·s² (dt = 2x·s ds) removes the log singularity; 4000 midpoints.
    for (const a of [0.3, 2]) {
      for (const x of [0.05, 1, 6]) {
        const n = 4000;
        let integral = 0;
        for (let i = 0; i < n; i++) {
          const s = (i + 0.5) / n;
          integral += Math.exp(hsl.logDensity(x * s * s, { a })) * 2 * x * s;
        }
        expect(integral / n).toBeCloseTo(horseshoeLikeCdf(x, a) - 0.5, 6);
      }
    }
    expect(hsl.logDensity(0, { a: 1 })).toBe(Number.POSITIVE_INFINITY);
    expect(hsl.logDensity(-2, { a: 1 })).toBe(hsl.logDensity(2, { a: 1 }));
  });

  it("horseshoe-like: partials match finite differences and the scale-mixture sampler matches the CDF (4 MCSE)", () => {
    const rng = createRng("expr/hsl");
    for (let trial = 0; trial < 40; trial++) {
      const p = { a: Math.exp(u(rng, -3, 3)) };
      const x = (rng.uniform() < 0.5 ? -1 : 1) * Math.sqrt(p.a) * Math.exp(u(rng, -4, 4));
      expectPartialsMatch(hsl, x, p);
    }
    const draws = hsl.sample(createRng("expr/hsl/sample"), { a: 0.5 }, [20_000]) as Float64Array;
    for (const point of [-10, -0.7, -0.05, 0.01, 0.3, 3, 30]) {
      const prob = horseshoeLikeCdf(point, 0.5);
      let count = 0;
      for (const v of draws) if (v <= point) count++;
      expect(Math.abs(count / draws.length - prob), `P(X ≤ ${point})`).toBeLessThan(
        4 * Math.sqrt((prob * (1 - prob)) / draws.length),
      );
    }
  });

  it("registers on a registry and is retrieved by name like a built-in family", () => {
    const registry = createDefaultRegistry().register(gdp).register(hsl);
    const fromRegistry = registry.get("generalized_double_pareto");
    expect(fromRegistry).toBe(gdp);
    expect(registry.signature("horseshoe_like")!.paramOrder).toEqual(["a"]);
    expect(fromRegistry.logDensity(0.3, { alpha: 2, eta: 1 })).toBeCloseTo(Math.log(2 / 2) - 3 * Math.log1p(0.3), 14);
    expect(messageOf(() => registry.get("generalized_double_paret"))).toContain(
      "did you mean 'generalized_double_pareto'?",
    );
  });
});

describe("expression priors: compilation", () => {
  it("derives lgamma′ = digamma: an expression student_t equals the built-in one, value and partials", () => {
    const t = expressionDistribution({
      family: "t_by_expression",
      params: {
        df: { rank: 0, support: POSITIVE },
        loc: { rank: 0, support: REAL },
        scale: { rank: 0, support: POSITIVE },
      },
      logDensity:
        "lgamma((df + 1) / 2) - lgamma(df / 2) - 0.5 * log(df * pi) - log(scale) - (df + 1) / 2 * log1p(((x - loc) / scale)^2 / df)",
    });
    const rng = createRng("expr/t");
    for (let trial = 0; trial < 20; trial++) {
      const p = { df: Math.exp(u(rng, -1, 3)), loc: u(rng, -3, 3), scale: Math.exp(u(rng, -1, 1)) };
      const x = p.loc + p.scale * u(rng, -5, 5);
      expect(t.logDensity(x, p)).toBeCloseTo(studentT.logDensity(x, p), 11);
      const mine = {
        x: new Float64Array(1),
        params: { df: new Float64Array(1), loc: new Float64Array(1), scale: new Float64Array(1) },
      };
      const theirs = {
        x: new Float64Array(1),
        params: { df: new Float64Array(1), loc: new Float64Array(1), scale: new Float64Array(1) },
      };
      t.logDensityGrad!(x, p, mine);
      studentT.logDensityGrad!(x, p, theirs);
      expect(relativeError(mine.x[0]!, theirs.x[0]!)).toBeLessThan(1e-10);
      for (const name of ["df", "loc", "scale"] as const) {
        expect(relativeError(mine.params[name][0]!, theirs.params[name][0]!), name).toBeLessThan(1e-10);
      }
    }
  });

  it("compiles every allowed function and differentiates all but digamma correctly", () => {
    const reference: Record<string, (v: number) => number> = {
      abs: Math.abs,
      sign: Math.sign,
      exp: Math.exp,
      log: Math.log,
      log1p: Math.log1p,
      expm1: Math.expm1,
      log2: Math.log2,
      log10: Math.log10,
      sqrt: Math.sqrt,
      cbrt: Math.cbrt,
      square: (v) => v * v,
      cube: (v) => v * v * v,
      sin: Math.sin,
      cos: Math.cos,
      tan: Math.tan,
      sec: (v) => 1 / Math.cos(v),
      atan: Math.atan,
      sinh: Math.sinh,
      cosh: Math.cosh,
      tanh: Math.tanh,
      sech: (v) => 1 / Math.cosh(v),
      asinh: Math.asinh,
      lgamma,
      gammaln: lgamma,
      digamma,
      log1pexp,
      softplus: log1pexp,
      logistic,
    };
    const twoArguments: Record<string, [string, (v: number) => number]> = {
      pow: ["pow(x, 2.5)", (v) => v ** 2.5],
      lbeta: ["lbeta(x, 2)", (v) => lbeta(v, 2)],
    };
    for (const name of EXPRESSION_FUNCTIONS) {
      const [logDensity, ref] = twoArguments[name] ?? [`${name}(x)`, reference[name]!];
      expect(ref, name).toBeDefined();
      const dist = expressionDistribution({
        family: "probe",
        params: {},
        logDensity,
        support: POSITIVE,
        gradient: name !== "digamma",
      });
      const x = 0.7;
      expect(dist.logDensity(x, {}), name).toBeCloseTo(ref(x), 13);
      if (name === "digamma") {
        expect(dist.logDensityGrad).toBeUndefined();
        continue;
      }
      const out = { x: new Float64Array(1), params: {} };
      dist.logDensityGrad!(x, {}, out);
      const fd = derivative(ref, x, 1e-4);
      expect(relativeError(out.x[0]!, fd), `${name}′`).toBeLessThan(1e-8);
    }
    const logBase = expressionDistribution({ family: "probe", params: {}, logDensity: "log(x, 3)", support: POSITIVE });
    expect(logBase.logDensity(9, {})).toBeCloseTo(2, 14);
  });

  it("applies the chain rule through nested special functions and powers of the argument", () => {
    const nested = expressionDistribution({
      family: "nested",
      params: { b: { rank: 0, support: POSITIVE } },
      logDensity: "exp(-lgamma(1 + x^2 / b)) * log1pexp(b * x) - x^b / (1 + logistic(x)) + lbeta(b, x^2 + 1)",
      support: POSITIVE,
    });
    const rng = createRng("expr/nested");
    for (let trial = 0; trial < 20; trial++) {
      expectPartialsMatch(nested, Math.exp(u(rng, -2, 1)), { b: Math.exp(u(rng, -1, 1)) });
    }
  });

  it("broadcasts like the scalar families and accumulates partials", () => {
    const gdp = expressionDistribution(GDP);
    const xs = new Float64Array([-1.5, 0.2, 3]);
    const alpha = new Float64Array([1, 2, 3]);
    const separate = [0, 1, 2].map((i) => gdp.logDensity(xs[i]!, { alpha: alpha[i]!, eta: 0.8 }));
    expect(gdp.logDensity(xs, { alpha, eta: 0.8 })).toBeCloseTo(separate[0]! + separate[1]! + separate[2]!, 12);
    const out = { x: new Float64Array(3), params: { alpha: new Float64Array(3), eta: new Float64Array([10]) } };
    gdp.logDensityGrad!(xs, { alpha, eta: 0.8 }, out);
    let etaSum = 10;
    for (let i = 0; i < 3; i++) {
      const one = { x: new Float64Array(1), params: { alpha: new Float64Array(1), eta: new Float64Array(1) } };
      gdp.logDensityGrad!(xs[i]!, { alpha: alpha[i]!, eta: 0.8 }, one);
      expect(out.x[i]).toBeCloseTo(one.x[0]!, 13);
      expect(out.params.alpha[i]).toBeCloseTo(one.params.alpha[0]!, 13);
      etaSum += one.params.eta[0]!;
    }
    expect(out.params.eta[0]).toBeCloseTo(etaSum, 12);
    expect(() => gdp.logDensity(xs, { alpha: new Float64Array(2), eta: 1 })).toThrow(ShapeError);
    expect(() => gdp.logDensityGrad!(xs, { alpha, eta: 1 }, { x: new Float64Array(2), params: {} })).toThrow(
      ShapeError,
    );
  });

  it("gives -Infinity outside the supports and never NaN", () => {
    const positive = expressionDistribution({
      family: "half_gdp",
      params: GDP.params,
      logDensity: "log(alpha) - log(eta) - (alpha + 1) * log(1 + x / eta)",
      support: { kind: "lower", lower: 0 },
    });
    const p = { alpha: 2, eta: 1 };
    for (const x of [-1e-9, -3, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(positive.logDensity(x, p), `x = ${x}`).toBe(Number.NEGATIVE_INFINITY);
      expect(positive.logDensityGrad!(x, p, { params: {} })).toBe(Number.NEGATIVE_INFINITY);
    }
    expect(positive.logDensity(0, p)).toBeCloseTo(Math.log(2), 15);
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(positive.logDensity(1, { alpha: bad, eta: 1 })).toBe(Number.NEGATIVE_INFINITY);
      expect(() => expressionDistribution(GDP).sample(createRng(1), { alpha: bad, eta: 1 }, [])).toThrow(DomainError);
    }
    // A formula that is NaN somewhere inside the declared support reads as −Infinity, not NaN.
    const sloppy = expressionDistribution({ family: "sloppy", params: {}, logDensity: "log(x) - x" });
    expect(sloppy.logDensity(-1, {})).toBe(Number.NEGATIVE_INFINITY);
    expect(sloppy.logDensity(new Float64Array([1, -1]), {})).toBe(Number.NEGATIVE_INFINITY);
  });

  it("supports discrete values: no partial in x, partials in the continuous parameters", () => {
    // The zero-truncated Poisson on {1, 2, …}: poisson(k) / (1 − e^(−λ)).
    const ztp = expressionDistribution({
      family: "zero_truncated_poisson",
      params: { rate: { rank: 0, support: POSITIVE } },
      logDensity: "x * log(rate) - rate - lgamma(x + 1) - log(-expm1(-rate))",
      support: { kind: "integer", lower: 1 },
    });
    expect(ztp.discrete).toBe(true);
    expect(Object.keys(ztp.partials)).toEqual(["rate"]);
    for (const k of [1, 2, 7, 30]) {
      expect(ztp.logDensity(k, { rate: 2.5 })).toBeCloseTo(poissonLogpmf(k, 2.5) - Math.log(1 - Math.exp(-2.5)), 12);
      expectPartialsMatch(ztp, k, { rate: 2.5 });
    }
    expect(ztp.logDensity(0, { rate: 2.5 })).toBe(Number.NEGATIVE_INFINITY);
    expect(ztp.logDensity(1.5, { rate: 2.5 })).toBe(Number.NEGATIVE_INFINITY);
    // An integer parameter receives no partial.
    const nb = expressionDistribution({
      family: "count_scaled",
      params: { n: { rank: 0, support: NONNEGATIVE_INTEGER }, s: { rank: 0, support: POSITIVE } },
      logDensity: "-log(s) - abs(x - n) / s - log(2)",
    });
    expect(Object.keys(nb.partials)).toEqual(["x", "s"]);
  });

  it("refuses prior sampling without a sampler, with a CapabilityError that says what to do", () => {
    const noSampler = expressionDistribution({ ...GDP, sample: undefined });
    expect(messageOf(() => noSampler.sample(createRng(1), { alpha: 1, eta: 1 }, []), CapabilityError)).toBe(
      "expression prior 'generalized_double_pareto': cannot draw from this prior: it was defined by its log density alone. Hint: prior sampling (prior-predictive checks, initialisation from the prior, SMC from the prior) needs a sampler; pass sample: (rng, p) => … to expressionDistribution, or initialise the backend another way.",
    );
    // The registry still accepts it: only prior sampling is unavailable.
    expect(createDefaultRegistry().register(noSampler).has("generalized_double_pareto")).toBe(true);
  });

  it("samples elementwise and into a buffer with the given sampler", () => {
    const gdp = expressionDistribution(GDP);
    const a = gdp.sample(createRng(4), { alpha: 2, eta: 1 }, [3]) as Float64Array;
    const b = gdp.sample(createRng(4), { alpha: 2, eta: 1 }, [3], new Float64Array(3)) as Float64Array;
    expect(Array.from(b)).toEqual(Array.from(a));
    expect(gdp.sample(createRng(4), { alpha: 2, eta: 1 }, [])).toBe(a[0]);
    expect(() => gdp.sample(createRng(4), { alpha: new Float64Array([1, 2]), eta: 1 }, [])).toThrow(ShapeError);
  });
});

describe("expression priors: errors in the one format", () => {
  const base = { family: "neg", params: { lambda: { rank: 0 as const, support: POSITIVE } } };

  it("unknown symbol, with a suggestion", () => {
    expect(messageOf(() => expressionDistribution({ ...base, logDensity: "log(lamda) - lambda * abs(x)" }))).toBe(
      "expression prior 'neg': unknown symbol 'lamda' in logDensity — expected one of x, lambda. Hint: did you mean 'lambda'?",
    );
    expect(messageOf(() => expressionDistribution({ ...base, logDensity: "log(lambda) - zeta" }))).toBe(
      "expression prior 'neg': unknown symbol 'zeta' in logDensity — expected one of x, lambda. Hint: declare it in params, or use the constants pi and e.",
    );
  });

  it("unparsable expression, with the mathjs message and a caret under the column", () => {
    expect(messageOf(() => expressionDistribution({ ...base, logDensity: "log(lambda) - lambda * abs(x" }))).toBe(
      "expression prior 'neg': logDensity does not parse (mathjs: Parenthesis ) expected, at column 29) — got 'log(lambda) - lambda * abs(x'. Hint: look at column 29:\n  log(lambda) - lambda * abs(x\n                              ^",
    );
    expect(messageOf(() => expressionDistribution({ ...base, logDensity: "2 +* x" }))).toContain("at column 4");
  });

  it("missing logDensity", () => {
    expect(messageOf(() => expressionDistribution({ ...base } as unknown as ExpressionPriorDefinition))).toBe(
      "expression prior 'neg': missing logDensity — got undefined, expected a mathjs expression string in x and the parameters, e.g. \"log(lambda) - lambda * abs(x)\".",
    );
    expect(messageOf(() => expressionDistribution({ ...base, logDensity: "  " }))).toContain("missing logDensity");
  });

  it("a derivative mathjs cannot take, with the way out", () => {
    expect(messageOf(() => expressionDistribution({ ...base, logDensity: "digamma(lambda) - lambda * abs(x)" }))).toBe(
      "expression prior 'neg': cannot differentiate logDensity with respect to 'lambda' — got the function 'digamma', expected functions with known derivatives. Hint: mathjs says: Cannot process function \"digamma\" in derivative. Rewrite that term, or set gradient: false to let the density compiler differentiate numerically.",
    );
    const numeric = expressionDistribution({
      ...base,
      logDensity: "digamma(lambda) - lambda * abs(x)",
      gradient: false,
    });
    expect(numeric.logDensityGrad).toBeUndefined();
    expect(numeric.logDensity(1, { lambda: 1 })).toBeCloseTo(digamma(1) - 1, 14);
  });

  it("unknown functions, wrong arity, unsupported syntax, bad names and parameter ranks", () => {
    expect(messageOf(() => expressionDistribution({ ...base, logDensity: "lgama(lambda) - x" }))).toMatch(
      /^expression prior 'neg': unknown function 'lgama' in logDensity — expected one of abs, .*\. Hint: did you mean 'lgamma'\?$/,
    );
    expect(messageOf(() => expressionDistribution({ ...base, logDensity: "log(x, 2, 3)" }))).toBe(
      "expression prior 'neg': function 'log' called with the wrong number of arguments in logDensity — got 3, expected 1 or 2.",
    );
    expect(messageOf(() => expressionDistribution({ ...base, logDensity: "x > 0 ? x : lambda" }))).toContain(
      "unsupported syntax in logDensity: a conditional 'a ? b : c'",
    );
    expect(messageOf(() => expressionDistribution({ ...base, logDensity: "x % 2" }))).toContain(
      "unsupported operator '%' in logDensity",
    );
    expect(messageOf(() => expressionDistribution({ ...base, logDensity: "lambda = 2" }))).toContain("an assignment");
    expect(
      messageOf(() =>
        expressionDistribution({ family: "bad", params: { x: { rank: 0, support: REAL } }, logDensity: "x" }),
      ),
    ).toContain("cannot name a parameter 'x'");
    expect(
      messageOf(() =>
        expressionDistribution({ family: "bad", params: { v: { rank: 1, support: REAL } }, logDensity: "v * x" }),
      ),
    ).toContain("parameter 'v' must be a scalar with a scalar support");
    expect(messageOf(() => expressionDistribution({ ...base, family: "NegPrior", logDensity: "x" }))).toContain(
      "a family name must be snake_case",
    );
    expect(
      messageOf(() => expressionDistribution({ ...base, logDensity: "x", support: { kind: "simplex" } })),
    ).toContain("needs a scalar support for x");
  });

  it("keeps parameter names apart from mathjs' own constants (phi, gamma, i)", () => {
    const d = expressionDistribution({
      family: "names",
      params: {
        phi: { rank: 0, support: POSITIVE },
        gamma: { rank: 0, support: POSITIVE },
        i: { rank: 0, support: POSITIVE },
      },
      logDensity: "log(phi) + 2 * log(gamma) - i * x^2 + e - pi",
    });
    expect(d.logDensity(1, { phi: 2, gamma: 3, i: 0.5 })).toBeCloseTo(
      Math.log(2) + 2 * Math.log(3) - 0.5 + Math.E - Math.PI,
      14,
    );
    expectPartialsMatch(d, 1.3, { phi: 2, gamma: 3, i: 0.5 });
  });
});
