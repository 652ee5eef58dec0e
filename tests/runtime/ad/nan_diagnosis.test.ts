import { describe, expect, it } from "vitest";
import { DomainError } from "../../../src/core/errors.js";
import { POSITIVE, REAL } from "../../../src/core/support.js";
import { ALL_TERMS, compileProgram, type ProgramNode, type Term } from "../../../src/runtime/ad/index.js";
import type { Distribution } from "../../../src/runtime/dists/distribution.js";
import { normal, scalarFamily } from "../../../src/runtime/dists/index.js";

/**
 * A compiled log density that is NaN takes a slow path: a NaN made from ordinary finite numbers
 * (a family returning NaN for arguments inside its supports, a factor applying sqrt to a negative
 * number) is a DomainError naming the site; a NaN made from numbers that had overflowed is −∞.
 */

const y = Float64Array.of(0.5, -1, 2);
const LIKELIHOOD = { prior: false, likelihood: true, jacobian: false };
const PRIOR = { prior: true, likelihood: false, jacobian: true };

/** A custom family whose log density is NaN when loc > 1 (a bug: loc's support is the real line). */
const flaky: Distribution = {
  family: "flaky",
  params: { loc: { rank: 0, support: REAL } },
  paramOrder: ["loc"],
  eventRank: 0,
  discrete: false,
  support: () => REAL,
  logDensity: (x, p) => {
    const loc = p.loc as number;
    if (loc > 1) return Number.NaN;
    return [...(x as Float64Array)].reduce((s, v) => s - 0.5 * (v - loc) ** 2, 0);
  },
  logDensityGrad: (x, p, out) => {
    const loc = p.loc as number;
    const xs = x as Float64Array;
    let lp = 0;
    for (let i = 0; i < xs.length; i++) {
      lp -= 0.5 * (xs[i]! - loc) ** 2;
      // The partial is NaN for loc < −1 although the value is finite (the second bug).
      out.params.loc![0]! += loc < -1 ? Number.NaN : xs[i]! - loc;
    }
    return loc > 1 ? Number.NaN : lp;
  },
  sample: () => 0,
};

/** θ = (mu): mu ~ normal(0, 1) labelled 'mu', y ~ family(loc = mu) labelled 'y'. */
function withLikelihood(dist: Distribution): { nodes: ProgramNode[]; terms: Term[]; dimension: number } {
  const nodes: ProgramNode[] = [
    { op: "latent", offset: 0, unconstrainedSize: 1, discrete: false, size: 1, scalar: true }, // 0 mu
    { op: "const", value: y, size: 3, scalar: false }, // 1
    { op: "const", value: 0, size: 1, scalar: true }, // 2
    { op: "const", value: 1, size: 1, scalar: true }, // 3
  ];
  const terms: Term[] = [
    {
      kind: "density",
      dist: normal,
      value: 0,
      params: { loc: 2, scale: 3 },
      part: "prior",
      shape: [],
      samples: true,
      label: "mu",
    },
    { kind: "density", dist, value: 1, params: { loc: 0 }, part: "likelihood", shape: [3], samples: false, label: "y" },
  ];
  return { nodes, terms, dimension: 1 };
}

function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (error) {
    return error as Error;
  }
  throw new Error("nothing was thrown");
}

describe("a NaN log density", () => {
  it("names the term, family and arguments when a custom logDensity returns NaN", () => {
    const pair = compileProgram(withLikelihood(flaky)).density(ALL_TERMS);
    expect(Number.isFinite(pair.logDensity(Float64Array.of(0.5)))).toBe(true);
    for (const call of [
      () => pair.logDensity(Float64Array.of(2)),
      () => pair.logDensityAndGrad(Float64Array.of(2), new Float64Array(1)),
    ]) {
      const error = thrown(call);
      expect(error).toBeInstanceOf(DomainError);
      expect(error.message).toBe(
        "'y' ~ flaky(): the log density is NaN — got NaN at value [0.5, -1, 2], loc = 2, expected a number or -Infinity. " +
          "Hint: flaky's logDensity returned NaN for finite arguments inside their supports; a density must return " +
          "-Infinity outside its support and a number inside it. Check its formula at these values (NaN comes from " +
          "0/0, ∞ − ∞, 0·∞, or log/sqrt of a negative number).",
      );
    }
    // Not selected: the prior alone is finite there.
    expect(compileProgram(withLikelihood(flaky)).density(PRIOR).logDensity(Float64Array.of(2))).toBeCloseTo(
      -2 - 0.5 * Math.log(2 * Math.PI),
      12,
    );
  });

  it("names the element when a fused element kernel returns NaN", () => {
    // log of a negative number for x < 0: the kernel forgot that its support is the real line.
    const broken = scalarFamily({
      family: "broken",
      params: { loc: { rank: 0, support: REAL }, scale: { rank: 0, support: POSITIVE, default: 1 } },
      paramOrder: ["loc", "scale"],
      discrete: false,
      support: () => REAL,
      elementLogDensity: (x, loc) => Math.log(x) - loc,
      elementLogDensityGrad: (x, loc, _s, _c, g) => {
        g[0] = 1 / x;
        g[1] = -1;
        g[2] = 0;
        return Math.log(x) - loc;
      },
      elementSample: () => 1,
    });
    const compiled = compileProgram(withLikelihood(broken));
    compiled.density(ALL_TERMS);
    expect(compiled.source("grad:PLJ")).not.toContain(".logDensityGrad(");
    const error = thrown(() => compiled.density(LIKELIHOOD).logDensity(Float64Array.of(0.3)));
    expect(error).toBeInstanceOf(DomainError);
    expect(error.message).toMatch(
      /^'y' ~ broken\(\): the log density is NaN — got NaN at y\[2\] = -1, loc = 0\.3, scale = 1, expected a number or -Infinity\. Hint: broken's element kernel returned NaN/,
    );
  });

  it("is −∞ when the arguments are at the ends of the double range", () => {
    // loc = 1e305 (beyond 2^1000): an overflow upstream, not a bug to report.
    const pair = compileProgram(withLikelihood(flaky)).density(LIKELIHOOD);
    expect(pair.logDensity(Float64Array.of(1e305))).toBe(Number.NEGATIVE_INFINITY);
    const grad = Float64Array.of(5);
    expect(pair.logDensityAndGrad(Float64Array.of(1e305), grad)).toBe(Number.NEGATIVE_INFINITY);
    expect(grad[0]).toBe(0);
  });

  it("is explained on the program as written when Gaussian likelihoods are collapsed", () => {
    // z ~ flaky(loc = mu) as a prior, y ~ normal(mu, 1): the normal term becomes sufficient statistics.
    const nodes: ProgramNode[] = [
      { op: "latent", offset: 0, unconstrainedSize: 1, discrete: false, size: 1, scalar: true }, // 0 mu
      { op: "const", value: y, size: 3, scalar: false }, // 1
      { op: "const", value: 1, size: 1, scalar: true }, // 2
      { op: "const", value: Float64Array.of(0.1, 0.2), size: 2, scalar: false }, // 3
    ];
    const terms: Term[] = [
      {
        kind: "density",
        dist: flaky,
        value: 3,
        params: { loc: 0 },
        part: "prior",
        shape: [2],
        samples: false,
        label: "z",
      },
      {
        kind: "density",
        dist: normal,
        value: 1,
        params: { loc: 0, scale: 2 },
        part: "likelihood",
        shape: [3],
        samples: false,
        label: "y",
      },
    ];
    const compiled = compileProgram({ nodes, terms, dimension: 1 });
    const pair = compiled.density(ALL_TERMS);
    expect(compiled.source("value:PLJ")).toContain("glr");
    expect(pair.logDensity(Float64Array.of(0.5))).toBeCloseTo(
      flaky.logDensity(Float64Array.of(0.1, 0.2), { loc: 0.5 }) + normal.logDensity(y, { loc: 0.5, scale: 1 }),
      12,
    );
    expect(thrown(() => pair.logDensity(Float64Array.of(3))).message).toMatch(
      /^'z' ~ flaky\(\): the log density is NaN — got NaN at value \[0\.1, 0\.2\], loc = 3,/,
    );
  });
});

/** θ = (b): factor(expression of b), as built by `build`. */
function factorProgram(
  build: (add: (node: ProgramNode) => number) => number,
  label?: string,
): { nodes: ProgramNode[]; terms: Term[]; dimension: number } {
  const nodes: ProgramNode[] = [
    { op: "latent", offset: 0, unconstrainedSize: 1, discrete: false, size: 1, scalar: true },
  ];
  const value = build((node) => nodes.push(node) - 1);
  const terms: Term[] = [{ kind: "factor", value, part: "likelihood", ...(label === undefined ? {} : { label }) }];
  return { nodes, terms, dimension: 1 };
}

const scalar = { size: 1, scalar: true } as const;

describe("a NaN factor", () => {
  it("names the operation applied outside its domain and its argument", () => {
    // sqrt(b − 2) over a vector [b − 2, b + 1]: negative first element for b < 2.
    const program = factorProgram((add) => {
      const two = add({ op: "const", value: Float64Array.of(-2, 1), size: 2, scalar: false });
      const shifted = add({ op: "binary", fn: "add", a: two, b: 0, size: 2, scalar: false });
      const root = add({ op: "unary", fn: "sqrt", x: shifted, size: 2, scalar: false });
      return add({ op: "reduce", fn: "sum", x: root, ...scalar });
    });
    const pair = compileProgram(program).density(ALL_TERMS);
    expect(pair.logDensity(Float64Array.of(3))).toBeCloseTo(1 + 2, 12);
    const error = thrown(() => pair.logDensityAndGrad(Float64Array.of(1), new Float64Array(1)));
    expect(error).toBeInstanceOf(DomainError);
    expect(error.message).toBe(
      "factor #1: the log density is NaN: an operation was applied outside its domain — got sqrt(-1), expected an argument ≥ 0. " +
        "Hint: a factor must be a number (or -Infinity) wherever the parameters are inside their supports; guard the " +
        "argument (e.g. sqrt(x * x + 1), log1p(exp(x))) or declare the parameter's support so that it cannot leave the domain.",
    );
    const labelled = factorProgram((add) => add({ op: "unary", fn: "log", x: 0, ...scalar }), "log_b");
    expect(thrown(() => compileProgram(labelled).density(ALL_TERMS).logDensity(Float64Array.of(-2))).message).toMatch(
      /^factor 'log_b': the log density is NaN: .* — got log\(-2\), expected an argument ≥ 0\./,
    );
  });

  it("is −∞ when the NaN comes from overflow (∞ − ∞) or underflow (0/0)", () => {
    const difference = factorProgram((add) => {
      const e = add({ op: "unary", fn: "exp", x: 0, ...scalar });
      const e2 = add({ op: "unary", fn: "exp", x: 0, ...scalar });
      return add({ op: "binary", fn: "sub", a: e, b: e2, ...scalar });
    });
    const ratio = factorProgram((add) => {
      const e = add({ op: "unary", fn: "exp", x: 0, ...scalar });
      const e2 = add({ op: "unary", fn: "exp", x: 0, ...scalar });
      return add({ op: "binary", fn: "div", a: e, b: e2, ...scalar });
    });
    for (const [program, ordinary, extreme, at] of [
      [difference, 0, 800, 1],
      [ratio, 1, -800, 0],
    ] as const) {
      const pair = compileProgram(program).density(ALL_TERMS);
      expect(pair.logDensity(Float64Array.of(at))).toBe(ordinary);
      expect(pair.logDensity(Float64Array.of(extreme))).toBe(Number.NEGATIVE_INFINITY);
      const grad = Float64Array.of(9);
      expect(pair.logDensityAndGrad(Float64Array.of(extreme), grad)).toBe(Number.NEGATIVE_INFINITY);
      expect(grad[0]).toBe(0);
      // A position that has left the reals is outside the support too.
      expect(pair.logDensity(Float64Array.of(Number.NaN))).toBe(Number.NEGATIVE_INFINITY);
    }
  });
});

describe("a NaN gradient entry where the log density is finite", () => {
  it("names the family's partial, the arguments and the coordinate of θ it reached", () => {
    const pair = compileProgram(withLikelihood(flaky)).density(ALL_TERMS);
    const grad = new Float64Array(1);
    expect(Number.isFinite(pair.logDensityAndGrad(Float64Array.of(-0.5), grad))).toBe(true);
    expect(Number.isFinite(grad[0])).toBe(true);
    const error = thrown(() => pair.logDensityAndGrad(Float64Array.of(-2), grad));
    expect(error).toBeInstanceOf(DomainError);
    expect(error.message).toMatch(
      /^'y' ~ flaky\(\): the partial derivative with respect to 'loc' is NaN where the log density is finite — got NaN at value \[0\.5, -1, 2\], loc = -2 \(log density -?\d[\d.e+-]*\), expected a finite partial\. Hint: it reaches the gradient at θ\[0\] \(mu\)\./,
    );
    // The value alone is fine there.
    expect(Number.isFinite(pair.logDensity(Float64Array.of(-2)))).toBe(true);
  });

  it("is returned as it is when it arises in the chain rule at a singular point", () => {
    // 0 ~ normal(sqrt(b), 1) at b = 0: ∂/∂b = (0 − sqrt b)·½/sqrt(b) = 0·∞. The normal's own
    // partials are finite, so this is a non-differentiable point, not a bug: the sampler's
    // finiteness checks see the NaN (NUTS records a divergence, initialisation retries).
    const nodes: ProgramNode[] = [
      { op: "latent", offset: 0, unconstrainedSize: 1, discrete: false, size: 1, scalar: true }, // 0 b
      { op: "unary", fn: "sqrt", x: 0, ...scalar }, // 1
      { op: "const", value: 0, ...scalar }, // 2
      { op: "const", value: 1, ...scalar }, // 3
    ];
    const terms: Term[] = [
      {
        kind: "density",
        dist: normal,
        value: 2,
        params: { loc: 1, scale: 3 },
        part: "likelihood",
        shape: [],
        samples: false,
        label: "y",
      },
    ];
    const pair = compileProgram({ nodes, terms, dimension: 1 }, { sufficientStatistics: false }).density(ALL_TERMS);
    const grad = new Float64Array(1);
    expect(pair.logDensityAndGrad(Float64Array.of(0), grad)).toBeCloseTo(-0.5 * Math.log(2 * Math.PI), 14);
    expect(grad[0]).toBeNaN();
  });
});
