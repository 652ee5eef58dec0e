import betaLogpdf from "@stdlib/stats-base-dists-beta-logpdf";
import normalLogpdf from "@stdlib/stats-base-dists-normal-logpdf";
import { determinant, inverse, Matrix } from "ml-matrix";
import { describe, expect, it } from "vitest";
import { DomainError, ShapeError } from "../../../src/core/errors.js";
import type { Rng } from "../../../src/core/rng.js";
import type { Distribution, GradOut, Params } from "../../../src/runtime/dists/distribution.js";
import {
  categorical,
  categoricalLogit,
  complexNormal,
  createDefaultRegistry,
  dirichlet,
  multiNormal,
  multiNormalCholesky,
} from "../../../src/runtime/dists/index.js";
import { createRng } from "../../../src/runtime/rng/index.js";
import { derivative, relativeError } from "./finite_diff.js";

const NEG_INF = Number.NEGATIVE_INFINITY;
const f64 = (...v: number[]) => new Float64Array(v);

/** ∂f/∂v[i] by Richardson central differences, perturbing the array in place. */
function partialAt(f: () => number, v: Float64Array, i: number, h = 1e-5): number {
  const original = v[i]!;
  const value = derivative(
    (t) => {
      v[i] = t;
      return f();
    },
    original,
    h * Math.max(1, Math.abs(original)),
  );
  v[i] = original;
  return value;
}

/** The directional derivative of f along `direction` at v (v is restored). */
function directional(f: () => number, v: Float64Array, direction: Float64Array, h = 1e-5): number {
  const original = Float64Array.from(v);
  const value = derivative(
    (t) => {
      for (let i = 0; i < v.length; i++) v[i] = original[i]! + t * direction[i]!;
      return f();
    },
    0,
    h,
  );
  v.set(original);
  return value;
}

const dot = (a: Float64Array, b: Float64Array) => a.reduce((s, ai, i) => s + ai * b[i]!, 0);

/** A random direction with zero sum: it keeps a simplex's sum fixed. */
function zeroSumDirection(rng: Rng, k: number): Float64Array {
  const d = Float64Array.from({ length: k }, () => rng.normal());
  const mean = d.reduce((a, b) => a + b, 0) / k;
  return d.map((v) => v - mean);
}

/** A random symmetric positive-definite k × k matrix A·Aᵀ + k·I/2, row-major. */
function randomCov(rng: Rng, k: number): Float64Array {
  const a = Array.from({ length: k * k }, () => rng.normal());
  const cov = new Float64Array(k * k);
  for (let i = 0; i < k; i++)
    for (let j = 0; j < k; j++) {
      let s = i === j ? k / 2 : 0;
      for (let l = 0; l < k; l++) s += a[i * k + l]! * a[j * k + l]!;
      cov[i * k + j] = s;
    }
  return cov;
}

/** Lower Cholesky factor by the textbook loop (independent of the kernels). */
function cholesky(cov: Float64Array, k: number): Float64Array {
  const l = new Float64Array(k * k);
  for (let i = 0; i < k; i++)
    for (let j = 0; j <= i; j++) {
      let s = cov[i * k + j]!;
      for (let p = 0; p < j; p++) s -= l[i * k + p]! * l[j * k + p]!;
      l[i * k + j] = i === j ? Math.sqrt(s) : s / l[j * k + j]!;
    }
  return l;
}

/** The Gaussian log density by ml-matrix's inverse and determinant: an independent reference. */
function mvnReference(x: Float64Array, loc: Float64Array, cov: Float64Array, k: number): number {
  const m = new Matrix(Array.from({ length: k }, (_, i) => Array.from(cov.subarray(i * k, (i + 1) * k))));
  const inv = inverse(m);
  const r = Array.from(x, (v, i) => v - loc[i]!);
  let q = 0;
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) q += r[i]! * inv.get(i, j) * r[j]!;
  return -0.5 * (k * Math.log(2 * Math.PI) + Math.log(determinant(m)) + q);
}

function gradOut(dist: Distribution, xLength: number, lengths: Record<string, number>): GradOut {
  const params: Record<string, Float64Array> = {};
  for (const name of dist.paramOrder) params[name] = new Float64Array(lengths[name] ?? 1);
  return { x: dist.discrete ? undefined : new Float64Array(xLength), params };
}

/** Empirical frequencies of 0..k−1 in draws, each within 4 MCSE = 4·sqrt(p(1 − p)/N) of p. */
function expectFrequencies(draws: Float64Array, probs: Float64Array): void {
  const counts = new Float64Array(probs.length);
  for (const v of draws) counts[v]! += 1;
  for (let j = 0; j < probs.length; j++) {
    const p = probs[j]!;
    expect(Math.abs(counts[j]! / draws.length - p), `category ${j}`).toBeLessThan(
      4 * Math.sqrt((p * (1 - p)) / draws.length),
    );
  }
}

/**
 * Sample mean and variance of coordinate j of m events of size k, each within 4 MCSE of the
 * truth: the mean's MCSE is sqrt(σ²/N) with the true σ², the variance's sqrt((μ₄ − σ⁴)/N)
 * with μ₄ estimated from the draws.
 */
function expectMoments(draws: Float64Array, k: number, j: number, mean: number, variance: number): void {
  const n = draws.length / k;
  let m1 = 0;
  for (let e = 0; e < n; e++) m1 += draws[e * k + j]! / n;
  let m2 = 0;
  let m4 = 0;
  for (let e = 0; e < n; e++) {
    const d = (draws[e * k + j]! - m1) ** 2;
    m2 += d / n;
    m4 += (d * d) / n;
  }
  expect(Math.abs(m1 - mean), `mean of coordinate ${j}`).toBeLessThan(4 * Math.sqrt(variance / n));
  expect(Math.abs(m2 - variance), `variance of coordinate ${j}`).toBeLessThan(4 * Math.sqrt((m4 - m2 * m2) / n));
}

describe("categorical", () => {
  const probs = f64(0.5, 0.3, 0.2);

  it("is log probs[x] for 0-based categories, summed over a vector", () => {
    expect(categorical.logDensity(0, { probs })).toBeCloseTo(Math.log(0.5), 15);
    expect(categorical.logDensity(f64(2, 0, 2), { probs })).toBeCloseTo(2 * Math.log(0.2) + Math.log(0.5), 14);
    expect(categorical.support({ probs })).toEqual({ kind: "integer", lower: 0, upper: 2 });
    expect(categorical.logDensity(f64(), { probs })).toBe(0);
  });

  it("gives -Infinity outside the categories and for probabilities off the simplex", () => {
    for (const x of [3, -1, 0.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(categorical.logDensity(x, { probs }), `x = ${x}`).toBe(NEG_INF);
      expect(categorical.logDensity(f64(0, x), { probs })).toBe(NEG_INF);
    }
    for (const bad of [f64(0.5, 0.3, 0.3), f64(1.2, -0.2, 0), f64(0.5, Number.NaN, 0.5), f64()]) {
      expect(categorical.logDensity(0, { probs: bad })).toBe(NEG_INF);
      expect(categorical.logDensityGrad!(0, { probs: bad }, gradOut(categorical, 1, { probs: bad.length }))).toBe(
        NEG_INF,
      );
      expect(() => categorical.sample(createRng(1), { probs: bad }, [])).toThrow(DomainError);
    }
    // A zero probability is allowed; its category is impossible.
    expect(categorical.logDensity(1, { probs: f64(0.4, 0, 0.6) })).toBe(NEG_INF);
    expect(categorical.logDensity(2, { probs: f64(0.4, 0, 0.6) })).toBeCloseTo(Math.log(0.6), 15);
    // Rounding-level deviations from a sum of 1 are accepted.
    expect(Number.isFinite(categorical.logDensity(0, { probs: f64(0.1, 0.2, 0.7 + 1e-12) }))).toBe(true);
  });

  it("has partials count/prob that match finite differences along the simplex", () => {
    const rng = createRng("categorical/grad");
    const x = f64(0, 2, 2, 1, 2);
    const out = gradOut(categorical, 5, { probs: 3 });
    const p = Float64Array.from(probs);
    expect(categorical.logDensityGrad!(x, { probs: p }, out)).toBeCloseTo(categorical.logDensity(x, { probs: p }), 14);
    expect(Array.from(out.params.probs!)).toEqual([1 / 0.5, 1 / 0.3, 3 / 0.2].map((v) => expect.closeTo(v, 12)));
    for (let trial = 0; trial < 5; trial++) {
      const d = zeroSumDirection(rng, 3);
      const fd = directional(() => categorical.logDensity(x, { probs: p }), p, d);
      expect(relativeError(dot(out.params.probs!, d), fd)).toBeLessThan(1e-6);
    }
  });

  it("samples each category with its probability (4 MCSE), reproducibly and into a buffer", () => {
    const draws = categorical.sample(createRng("categorical/sample"), { probs }, [20_000]) as Float64Array;
    expectFrequencies(draws, probs);
    const one = categorical.sample(createRng(5), { probs }, []);
    expect(typeof one).toBe("number");
    const buffer = new Float64Array(3);
    categorical.sample(createRng(5), { probs }, [3], buffer);
    expect(buffer[0]).toBe(one);
  });
});

describe("categorical_logit", () => {
  const logits = f64(0.3, -1.2, 2, 0);
  const softmax = (l: Float64Array) => {
    const e = l.map((v) => Math.exp(v));
    const s = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / s);
  };

  it("equals categorical at softmax(logits), is shift-invariant and stable for huge logits", () => {
    const x = f64(0, 3, 2, 2, 1);
    const probs = softmax(logits);
    expect(categoricalLogit.logDensity(x, { logits })).toBeCloseTo(categorical.logDensity(x, { probs }), 13);
    expect(categoricalLogit.logDensity(x, { logits: logits.map((v) => v + 500) })).toBeCloseTo(
      categoricalLogit.logDensity(x, { logits }),
      10,
    );
    expect(categoricalLogit.logDensity(1, { logits: f64(1000, 0) })).toBeCloseTo(-1000, 10);
    expect(categoricalLogit.logDensity(4, { logits })).toBe(NEG_INF);
    expect(categoricalLogit.logDensity(0, { logits: f64(0, Number.POSITIVE_INFINITY) })).toBe(NEG_INF);
    expect(() => categoricalLogit.sample(createRng(1), { logits: f64(0, Number.NaN) }, [])).toThrow(DomainError);
  });

  it("has partials count − n·softmax that match finite differences", () => {
    const x = f64(0, 3, 2, 2, 1);
    const l = Float64Array.from(logits);
    const out = gradOut(categoricalLogit, 5, { logits: 4 });
    categoricalLogit.logDensityGrad!(x, { logits: l }, out);
    for (let j = 0; j < 4; j++) {
      const fd = partialAt(() => categoricalLogit.logDensity(x, { logits: l }), l, j);
      expect(relativeError(out.params.logits![j]!, fd), `logit ${j}`).toBeLessThan(1e-6);
    }
  });

  it("samples with softmax probabilities (4 MCSE)", () => {
    const draws = categoricalLogit.sample(createRng("categorical_logit/sample"), { logits }, [20_000]) as Float64Array;
    expectFrequencies(draws, softmax(logits));
  });
});

describe("dirichlet", () => {
  const alpha = f64(2.5, 0.7, 1.3);

  it("is the beta density for two entries", () => {
    for (const x1 of [0.05, 0.4, 0.93]) {
      expect(dirichlet.logDensity(f64(x1, 1 - x1), { alpha: f64(2.5, 0.7) })).toBeCloseTo(betaLogpdf(x1, 2.5, 0.7), 12);
    }
  });

  it("integrates to 1 over the 2-simplex (midpoint rule in the variables u, v with x = (u, (1−u)v, (1−u)(1−v)))", () => {
    // The substitution maps the unit square onto the simplex with Jacobian (1 − u); with α = (2.5, 1.5, 2)
    // the integrand is smooth enough that 400² midpoints give 5 digits.
    const a = f64(2.5, 1.5, 2);
    const n = 400;
    let total = 0;
    const x = new Float64Array(3);
    for (let i = 0; i < n; i++) {
      const uu = (i + 0.5) / n;
      for (let j = 0; j < n; j++) {
        const vv = (j + 0.5) / n;
        x[0] = uu;
        x[1] = (1 - uu) * vv;
        x[2] = (1 - uu) * (1 - vv);
        total += Math.exp(dirichlet.logDensity(x, { alpha: a })) * (1 - uu);
      }
    }
    expect(total / (n * n)).toBeCloseTo(1, 4);
  });

  it("gives -Infinity off the open simplex and for invalid concentrations", () => {
    for (const x of [f64(0.2, 0.3, 0.4), f64(0, 0.5, 0.5), f64(-0.1, 0.6, 0.5), f64(Number.NaN, 0.5, 0.5)]) {
      expect(dirichlet.logDensity(x, { alpha }), `x = ${x}`).toBe(NEG_INF);
    }
    for (const bad of [f64(1, 0, 1), f64(1, -1, 1), f64(1, Number.POSITIVE_INFINITY, 1)]) {
      expect(dirichlet.logDensity(f64(0.2, 0.3, 0.5), { alpha: bad })).toBe(NEG_INF);
      expect(() => dirichlet.sample(createRng(1), { alpha: bad }, [3])).toThrow(DomainError);
    }
    expect(() => dirichlet.logDensity(f64(0.5, 0.5), { alpha })).toThrow(ShapeError);
  });

  it("has partials that match finite differences (x along the simplex, alpha freely)", () => {
    const rng = createRng("dirichlet/grad");
    // Two events share alpha: the value is 2 × 3.
    const x = f64(0.2, 0.3, 0.5, 0.6, 0.1, 0.3);
    const a = Float64Array.from(alpha);
    const out = gradOut(dirichlet, 6, { alpha: 3 });
    expect(dirichlet.logDensityGrad!(x, { alpha: a }, out)).toBeCloseTo(dirichlet.logDensity(x, { alpha: a }), 13);
    for (let trial = 0; trial < 4; trial++) {
      const d = new Float64Array(6);
      d.set(zeroSumDirection(rng, 3), 3 * (trial % 2));
      const fd = directional(() => dirichlet.logDensity(x, { alpha: a }), x, d);
      expect(relativeError(dot(out.x!, d), fd)).toBeLessThan(1e-6);
    }
    for (let j = 0; j < 3; j++) {
      const fd = partialAt(() => dirichlet.logDensity(x, { alpha: a }), a, j);
      expect(relativeError(out.params.alpha![j]!, fd), `alpha ${j}`).toBeLessThan(1e-6);
    }
  });

  it("recomputes its cached normaliser when alpha changes, also in place", () => {
    const x = f64(0.2, 0.3, 0.5);
    const a = f64(1, 1, 1);
    expect(dirichlet.logDensity(x, { alpha: a })).toBeCloseTo(Math.log(2), 14);
    a[0] = 2;
    expect(dirichlet.logDensity(x, { alpha: a })).toBeCloseTo(Math.log(6 * 0.2), 14);
    expect(dirichlet.logDensity(f64(0.5, 0.5), { alpha: f64(1, 1) })).toBeCloseTo(0, 14);
  });

  it("samples with the right moments (4 MCSE) and shapes", () => {
    const a0 = 2.5 + 0.7 + 1.3;
    const draws = dirichlet.sample(createRng("dirichlet/sample"), { alpha }, [20_000, 3]) as Float64Array;
    expect(draws.length).toBe(60_000);
    expect(Number.isFinite(dirichlet.logDensity(draws, { alpha }))).toBe(true);
    for (let j = 0; j < 3; j++) {
      const aj = alpha[j]!;
      expectMoments(draws, 3, j, aj / a0, (aj * (a0 - aj)) / (a0 * a0 * (a0 + 1)));
    }
    expect((dirichlet.sample(createRng(1), { alpha }, []) as Float64Array).length).toBe(3);
    expect(() => dirichlet.sample(createRng(1), { alpha }, [4])).toThrow(ShapeError);
    expect(dirichlet.eventShape!({ alpha: [3] })).toEqual([3]);
  });
});

describe("multi_normal and multi_normal_cholesky", () => {
  const rng = createRng("mvn/setup");
  const k = 3;
  const cov = randomCov(rng, k);
  const chol = cholesky(cov, k);
  const loc = f64(0.5, -1, 2);

  it("matches an independent reference (ml-matrix inverse and determinant) and the normal for k = 1", () => {
    const r = createRng("mvn/ref");
    for (let trial = 0; trial < 10; trial++) {
      const c = randomCov(r, 4);
      const mu = Float64Array.from({ length: 4 }, () => r.normal());
      const x = Float64Array.from({ length: 4 }, () => 2 * r.normal());
      const expected = mvnReference(x, mu, c, 4);
      expect(multiNormal.logDensity(x, { loc: mu, cov: c })).toBeCloseTo(expected, 10);
      expect(multiNormalCholesky.logDensity(x, { loc: mu, chol: cholesky(c, 4) })).toBeCloseTo(expected, 10);
    }
    expect(multiNormal.logDensity(1.3, { loc: 0.2, cov: 4 })).toBeCloseTo(normalLogpdf(1.3, 0.2, 2), 14);
  });

  it("broadcasts loc (scalar, one event, one per event) over a batch of events", () => {
    const x = f64(0.1, 0.2, 0.3, -1, 0, 1);
    const perEvent = f64(0, 1, 2, 3, 4, 5);
    const single = (xe: Float64Array, mu: Float64Array) => multiNormal.logDensity(xe, { loc: mu, cov });
    const e0 = x.subarray(0, 3);
    const e1 = x.subarray(3, 6);
    expect(multiNormal.logDensity(x, { loc, cov })).toBeCloseTo(single(e0, loc) + single(e1, loc), 12);
    expect(multiNormal.logDensity(x, { loc: 0.7, cov })).toBeCloseTo(
      single(e0, f64(0.7, 0.7, 0.7)) + single(e1, f64(0.7, 0.7, 0.7)),
      12,
    );
    expect(multiNormal.logDensity(x, { loc: perEvent, cov })).toBeCloseTo(
      single(e0, perEvent.subarray(0, 3)) + single(e1, perEvent.subarray(3, 6)),
      12,
    );
    expect(() => multiNormal.logDensity(x, { loc: f64(1, 2), cov })).toThrow(ShapeError);
    expect(() => multiNormal.logDensity(f64(1, 2), { loc, cov })).toThrow(ShapeError);
    expect(() => multiNormal.logDensity(x, { loc, cov: new Float64Array(8) })).toThrow(ShapeError);
  });

  it("gives -Infinity for a covariance that is not symmetric positive definite, or non-finite input", () => {
    const x = f64(0, 0, 0);
    const asymmetric = Float64Array.from(cov);
    asymmetric[1]! += 1e-3;
    const indefinite = f64(1, 2, 0, 2, 1, 0, 0, 0, 1);
    for (const bad of [
      asymmetric,
      indefinite,
      f64(1, 0, 0, 0, -1, 0, 0, 0, 1),
      cov.map((v, i) => (i === 4 ? Number.NaN : v)),
    ]) {
      expect(multiNormal.logDensity(x, { loc, cov: bad })).toBe(NEG_INF);
      expect(multiNormal.logDensityGrad!(x, { loc, cov: bad }, gradOut(multiNormal, 3, { loc: 3, cov: 9 }))).toBe(
        NEG_INF,
      );
      expect(() => multiNormal.sample(createRng(1), { loc, cov: bad }, [3])).toThrow(DomainError);
    }
    // Rounding-level asymmetry is accepted.
    const nearly = Float64Array.from(cov);
    nearly[1]! *= 1 + 1e-14;
    expect(multiNormal.logDensity(x, { loc, cov: nearly })).toBeCloseTo(multiNormal.logDensity(x, { loc, cov }), 10);
    expect(multiNormal.logDensity(f64(0, Number.NaN, 0), { loc, cov })).toBe(NEG_INF);
    expect(multiNormal.logDensity(x, { loc: f64(0, Number.POSITIVE_INFINITY, 0), cov })).toBe(NEG_INF);
    const badChol = Float64Array.from(chol);
    badChol[4] = -badChol[4]!;
    expect(multiNormalCholesky.logDensity(x, { loc, chol: badChol })).toBe(NEG_INF);
    expect(() => multiNormalCholesky.sample(createRng(1), { loc, chol: badChol }, [3])).toThrow(DomainError);
  });

  it("refactors when the covariance changes, including in place", () => {
    const x = f64(1, 2, 3);
    const c = Float64Array.from(cov);
    const first = multiNormal.logDensity(x, { loc, cov: c });
    c[0]! += 1;
    const second = multiNormal.logDensity(x, { loc, cov: c });
    expect(second).toBeCloseTo(mvnReference(x, loc, c, 3), 10);
    c[0]! -= 1;
    expect(multiNormal.logDensity(x, { loc, cov: c })).toBe(first);
    expect(multiNormal.logDensity(f64(1, 2), { loc: 0, cov: f64(2, 0.5, 0.5, 1) })).toBeCloseTo(
      mvnReference(f64(1, 2), f64(0, 0), f64(2, 0.5, 0.5, 1), 2),
      12,
    );
    // More distinct matrices in rotation than the cache has slots (4), twice round.
    const r = createRng("mvn/rotation");
    const covs = Array.from({ length: 6 }, () => randomCov(r, 3));
    for (let round = 0; round < 2; round++) {
      for (const c6 of covs) {
        expect(multiNormal.logDensity(x, { loc, cov: c6 })).toBeCloseTo(mvnReference(x, loc, c6, 3), 10);
      }
    }
  });

  it("has partials in x and loc that match finite differences, for both forms and every loc mode", () => {
    const x = f64(0.3, -0.4, 1.9, 1.2, 0.1, -0.6);
    for (const [dist, matrixName, matrix] of [
      [multiNormal, "cov", cov],
      [multiNormalCholesky, "chol", chol],
    ] as const) {
      for (const mu of [f64(0.25), Float64Array.from(loc), f64(0, 1, 2, 3, 4, 5)]) {
        const p: Params = { loc: mu, [matrixName]: matrix };
        const out = gradOut(dist, 6, { loc: mu.length, [matrixName]: 9 });
        expect(dist.logDensityGrad!(x, p, out)).toBeCloseTo(dist.logDensity(x, p), 12);
        for (let i = 0; i < 6; i++) {
          const fd = partialAt(() => dist.logDensity(x, p), x, i);
          expect(relativeError(out.x![i]!, fd), `${dist.family} d/dx${i}`).toBeLessThan(1e-6);
        }
        for (let i = 0; i < mu.length; i++) {
          const fd = partialAt(() => dist.logDensity(x, p), mu, i);
          expect(relativeError(out.params.loc![i]!, fd), `${dist.family} d/dloc${i}`).toBeLessThan(1e-6);
        }
      }
    }
  });

  it("has the symmetric covariance gradient: symmetric perturbations match finite differences", () => {
    const x = f64(0.3, -0.4, 1.9, 1.2, 0.1, -0.6);
    const c = Float64Array.from(cov);
    const out = gradOut(multiNormal, 6, { loc: 3, cov: 9 });
    multiNormal.logDensityGrad!(x, { loc, cov: c }, out);
    const g = out.params.cov!;
    for (let i = 0; i < k; i++) {
      for (let j = 0; j <= i; j++) {
        expect(g[i * k + j]).toBeCloseTo(g[j * k + i]!, 12);
        const d = new Float64Array(9);
        d[i * k + j] = 1;
        d[j * k + i] = 1;
        const fd = directional(() => multiNormal.logDensity(x, { loc, cov: c }), c, d);
        expect(relativeError(dot(g, d), fd), `cov (${i}, ${j})`).toBeLessThan(1e-6);
      }
    }
  });

  it("has Cholesky-factor partials on the lower triangle that match finite differences", () => {
    const x = f64(0.3, -0.4, 1.9, 1.2, 0.1, -0.6);
    const l = Float64Array.from(chol);
    const out = gradOut(multiNormalCholesky, 6, { loc: 3, chol: 9 });
    multiNormalCholesky.logDensityGrad!(x, { loc, chol: l }, out);
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) {
        const fd = partialAt(() => multiNormalCholesky.logDensity(x, { loc, chol: l }), l, i * k + j);
        if (j > i) {
          // The strict upper triangle is ignored: no effect, zero partial.
          expect(fd).toBe(0);
          expect(out.params.chol![i * k + j]).toBe(0);
        } else {
          expect(relativeError(out.params.chol![i * k + j]!, fd), `chol (${i}, ${j})`).toBeLessThan(1e-6);
        }
      }
    }
  });

  it("samples with the right mean and covariance (4 MCSE) in both forms", () => {
    const n = 20_000;
    for (const [dist, p] of [
      [multiNormal, { loc, cov }],
      [multiNormalCholesky, { loc, chol }],
    ] as const) {
      const draws = dist.sample(createRng(`mvn/sample/${dist.family}`), p, [n, k]) as Float64Array;
      for (let j = 0; j < k; j++) expectMoments(draws, k, j, loc[j]!, cov[j * k + j]!);
      // Off-diagonal covariances: the product of centred coordinates has mean cov[i, j]; its MCSE
      // uses the sample variance of that product.
      for (let i = 0; i < k; i++) {
        for (let j = 0; j < i; j++) {
          let m = 0;
          let m2 = 0;
          for (let e = 0; e < n; e++) {
            const v = (draws[e * k + i]! - loc[i]!) * (draws[e * k + j]! - loc[j]!);
            m += v / n;
            m2 += (v * v) / n;
          }
          expect(Math.abs(m - cov[i * k + j]!), `cov (${i}, ${j})`).toBeLessThan(4 * Math.sqrt((m2 - m * m) / n));
        }
      }
    }
    const perEvent = f64(0, 0, 0, 100, 100, 100);
    const two = multiNormal.sample(createRng(2), { loc: perEvent, cov }, [2, 3]) as Float64Array;
    expect(two[4]! > 50).toBe(true);
    expect(multiNormal.eventShape!({ loc: [3], cov: [3, 3] })).toEqual([3]);
    expect(multiNormalCholesky.eventShape!({ loc: [], chol: [4, 4] })).toEqual([4]);
  });
});

describe("complex_normal", () => {
  const s = Math.SQRT1_2;

  it("is two independent normals with variance scale²/2 per complex element", () => {
    const x = f64(1.2, -0.3, 0.4, 2.2);
    const loc = f64(0.5, 0.1);
    const scale = 1.7;
    const sd = scale * s;
    const expected =
      normalLogpdf(1.2, 0.5, sd) +
      normalLogpdf(-0.3, 0.1, sd) +
      normalLogpdf(0.4, 0.5, sd) +
      normalLogpdf(2.2, 0.1, sd);
    expect(complexNormal.logDensity(x, { loc, scale })).toBeCloseTo(expected, 13);
    // A real loc has imaginary part 0; per-element loc and scale.
    expect(complexNormal.logDensity(f64(1, 0), { loc: 1, scale: 1 })).toBeCloseTo(-Math.log(Math.PI), 15);
    expect(complexNormal.logDensity(x, { loc: f64(0.5, 0.1, 0.5, 0.1), scale: f64(1.7, 1.7) })).toBeCloseTo(
      expected,
      13,
    );
  });

  it("rejects odd lengths and non-broadcasting parameters, and gives -Infinity for invalid values", () => {
    expect(() => complexNormal.logDensity(f64(1, 2, 3), { loc: 0, scale: 1 })).toThrow(ShapeError);
    expect(() => complexNormal.logDensity(f64(1, 2, 3, 4), { loc: f64(1, 2, 3), scale: 1 })).toThrow(ShapeError);
    expect(() => complexNormal.logDensity(f64(1, 2, 3, 4), { loc: 0, scale: f64(1, 2, 3) })).toThrow(ShapeError);
    expect(complexNormal.logDensity(f64(1, Number.NaN), { loc: 0, scale: 1 })).toBe(NEG_INF);
    expect(complexNormal.logDensity(f64(1, 0), { loc: 0, scale: 0 })).toBe(NEG_INF);
    expect(complexNormal.logDensity(f64(1, 0), { loc: Number.POSITIVE_INFINITY, scale: 1 })).toBe(NEG_INF);
    expect(() => complexNormal.sample(createRng(1), { loc: 0, scale: -1 }, [2])).toThrow(DomainError);
  });

  it("has partials that match finite differences for every parameter layout", () => {
    const x = f64(1.2, -0.3, 0.4, 2.2, -1, 0.5);
    for (const [loc, scale] of [
      [f64(0.7), f64(1.3)],
      [f64(0.5, 0.1), f64(0.9, 1.4, 2)],
      [f64(0, 1, 2, 3, 4, 5), f64(0.8)],
    ] as const) {
      // A length-1 loc is passed as a number (a real location).
      const p: Params = { loc: loc.length === 1 ? loc[0]! : loc, scale };
      const out = gradOut(complexNormal, 6, { loc: loc.length, scale: scale.length });
      expect(complexNormal.logDensityGrad!(x, p, out)).toBeCloseTo(complexNormal.logDensity(x, p), 13);
      for (let i = 0; i < 6; i++) {
        const fd = partialAt(() => complexNormal.logDensity(x, p), x, i);
        expect(relativeError(out.x![i]!, fd), `d/dx${i}`).toBeLessThan(1e-6);
      }
      for (let i = 0; i < loc.length; i++) {
        const fd =
          loc.length === 1
            ? derivative((t) => complexNormal.logDensity(x, { ...p, loc: t }), loc[0]!, 1e-5)
            : partialAt(() => complexNormal.logDensity(x, p), loc, i);
        expect(relativeError(out.params.loc![i]!, fd), `d/dloc${i}`).toBeLessThan(1e-6);
      }
      for (let i = 0; i < scale.length; i++) {
        const fd = partialAt(() => complexNormal.logDensity(x, p), scale, i);
        expect(relativeError(out.params.scale![i]!, fd), `d/dscale${i}`).toBeLessThan(1e-6);
      }
    }
  });

  it("samples circularly: each part has variance scale²/2, and E(x − loc)² = 0 (4 MCSE)", () => {
    const n = 20_000;
    const loc = f64(1, -2);
    const draws = complexNormal.sample(createRng("complex_normal/sample"), { loc, scale: 2 }, [n, 2]) as Float64Array;
    expectMoments(draws, 2, 0, 1, 2);
    expectMoments(draws, 2, 1, -2, 2);
    // The pseudo-covariance E[(x − loc)²] = E[dr² − di²] + 2i·E[dr·di] vanishes for a circular law.
    let re = 0;
    let im = 0;
    let re2 = 0;
    let im2 = 0;
    for (let e = 0; e < n; e++) {
      const dr = draws[2 * e]! - 1;
      const di = draws[2 * e + 1]! + 2;
      const a = dr * dr - di * di;
      const b = dr * di;
      re += a / n;
      im += b / n;
      re2 += (a * a) / n;
      im2 += (b * b) / n;
    }
    expect(Math.abs(re)).toBeLessThan(4 * Math.sqrt((re2 - re * re) / n));
    expect(Math.abs(im)).toBeLessThan(4 * Math.sqrt((im2 - im * im) / n));
    expect(complexNormal.eventShape!({ loc: [2], scale: [] })).toEqual([2]);
    expect((complexNormal.sample(createRng(1), { loc: 0, scale: 1 }, []) as Float64Array).length).toBe(2);
  });
});

describe("registration", () => {
  it("registers every new family on the default registry with its signature", () => {
    const registry = createDefaultRegistry();
    for (const [family, eventRank, discrete] of [
      ["half_student_t", 0, false],
      ["laplace", 0, false],
      ["inverse_gamma", 0, false],
      ["logistic", 0, false],
      ["weibull", 0, false],
      ["binomial", 0, true],
      ["binomial_logit", 0, true],
      ["negative_binomial", 0, true],
      ["categorical", 0, true],
      ["categorical_logit", 0, true],
      ["dirichlet", 1, false],
      ["multi_normal", 1, false],
      ["multi_normal_cholesky", 1, false],
      ["complex_normal", 1, false],
    ] as const) {
      const sig = registry.signature(family);
      expect(sig, family).toBeDefined();
      expect(sig!.eventRank, family).toBe(eventRank);
      expect(sig!.discrete, family).toBe(discrete);
    }
    expect(registry.signature("multi_normal")!.params.cov!.rank).toBe(2);
  });
});
