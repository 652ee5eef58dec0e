import { describe, expect, it } from "vitest";
import { DomainError, ShapeError } from "../../../src/core/errors.js";
import type { Rng } from "../../../src/core/rng.js";
import {
  createRng,
  sampleBeta,
  sampleBinomial,
  sampleCategorical,
  sampleCategoricalLogits,
  sampleDirichlet,
  sampleExponential,
  sampleGamma,
  sampleMultivariateNormal,
  sampleNormal,
  samplePoisson,
} from "../../../src/runtime/rng/index.js";

const N = 20_000;

/** Exact moments of a distribution: mean, variance and excess kurtosis. */
interface Moments {
  readonly mean: number;
  readonly variance: number;
  readonly excessKurtosis: number;
}

/**
 * Checks the sample mean and variance of N draws against the exact values, each within 4 Monte
 * Carlo standard errors: sd(mean) = sqrt(var/N); sd(sample variance) ≈ sqrt((mu4 − var²)/N) with
 * the central fourth moment mu4 = var²·(3 + excess kurtosis). Seeds are fixed, so each check is
 * deterministic; 4 standard errors keeps it from being tuned to a lucky seed.
 */
function expectMoments(draw: (rng: Rng) => number, exact: Moments, seed: number): void {
  const rng = createRng(seed);
  const x = new Float64Array(N);
  for (let i = 0; i < N; i++) x[i] = draw(rng);
  let mean = 0;
  for (const v of x) mean += v / N;
  let variance = 0;
  for (const v of x) variance += (v - mean) ** 2 / (N - 1);
  const mu4 = exact.variance ** 2 * (3 + exact.excessKurtosis);
  expect(Math.abs(mean - exact.mean)).toBeLessThan(4 * Math.sqrt(exact.variance / N));
  expect(Math.abs(variance - exact.variance)).toBeLessThan(4 * Math.sqrt((mu4 - exact.variance ** 2) / N));
}

function gammaMoments(shape: number, rate: number): Moments {
  return { mean: shape / rate, variance: shape / rate ** 2, excessKurtosis: 6 / shape };
}

function betaMoments(a: number, b: number): Moments {
  const s = a + b;
  return {
    mean: a / s,
    variance: (a * b) / (s * s * (s + 1)),
    excessKurtosis: (6 * ((a - b) ** 2 * (s + 1) - a * b * (s + 2))) / (a * b * (s + 2) * (s + 3)),
  };
}

function binomialMoments(n: number, p: number): Moments {
  const v = n * p * (1 - p);
  return { mean: n * p, variance: v, excessKurtosis: (1 - 6 * p * (1 - p)) / v };
}

describe("sampler moments (mean and variance within 4 MCSE, 20k draws)", () => {
  it("normal", () => {
    expectMoments((r) => sampleNormal(r, 1.5, 2), { mean: 1.5, variance: 4, excessKurtosis: 0 }, 1);
  });

  it("gamma with shape ≥ 1 and shape < 1 (shape/rate parameterisation)", () => {
    expectMoments((r) => sampleGamma(r, 2.5, 2), gammaMoments(2.5, 2), 2);
    expectMoments((r) => sampleGamma(r, 0.3, 1.5), gammaMoments(0.3, 1.5), 3);
  });

  it("beta in each of @stdlib's regimes", () => {
    expectMoments((r) => sampleBeta(r, 3, 3), betaMoments(3, 3), 4); // equal shapes > 1.5
    expectMoments((r) => sampleBeta(r, 2, 5), betaMoments(2, 5), 5); // both > 1
    expectMoments((r) => sampleBeta(r, 0.5, 0.4), betaMoments(0.5, 0.4), 6); // both < 1
    expectMoments((r) => sampleBeta(r, 0.5, 3), betaMoments(0.5, 3), 7); // via two gammas
  });

  it("exponential", () => {
    expectMoments((r) => sampleExponential(r, 3), { mean: 1 / 3, variance: 1 / 9, excessKurtosis: 6 }, 8);
  });

  it("poisson with small (multiplication) and large (rejection) rates", () => {
    expectMoments((r) => samplePoisson(r, 4.5), { mean: 4.5, variance: 4.5, excessKurtosis: 1 / 4.5 }, 9);
    expectMoments((r) => samplePoisson(r, 80), { mean: 80, variance: 80, excessKurtosis: 1 / 80 }, 10);
  });

  it("binomial by inversion and by rejection, for p on both sides of 1/2", () => {
    expectMoments((r) => sampleBinomial(r, 20, 0.3), binomialMoments(20, 0.3), 11);
    expectMoments((r) => sampleBinomial(r, 50, 0.9), binomialMoments(50, 0.9), 12);
    expectMoments((r) => sampleBinomial(r, 1000, 0.4), binomialMoments(1000, 0.4), 13);
    expectMoments((r) => sampleBinomial(r, 200, 0.8), binomialMoments(200, 0.8), 14);
    // A huge number of trials with a small mean stays O(mean) per draw.
    expectMoments((r) => sampleBinomial(r, 1e9, 3e-9), binomialMoments(1e9, 3e-9), 15);
  });
});

describe("degenerate parameters", () => {
  it("returns the only possible value", () => {
    const rng = createRng(1);
    expect(samplePoisson(rng, 0)).toBe(0);
    expect(sampleBinomial(rng, 0, 0.5)).toBe(0);
    expect(sampleBinomial(rng, 10, 0)).toBe(0);
    expect(sampleBinomial(rng, 10, 1)).toBe(10);
    expect(sampleCategorical(rng, [0, 0, 3])).toBe(2);
    expect(sampleDirichlet(rng, [2], new Float64Array(1))).toEqual(new Float64Array([1]));
  });
});

/**
 * Pearson's chi-square statistic of observed counts against expected probabilities, over the
 * categories with positive probability. The bound 21.1 is the 0.9999 quantile of chi-square with 3
 * degrees of freedom (4 categories), so a correct sampler fails with probability 1e-4.
 */
function chiSquare(counts: number[], probs: number[]): number {
  let stat = 0;
  for (let k = 0; k < probs.length; k++) {
    if (probs[k] === 0) continue;
    const expected = N * probs[k];
    stat += (counts[k] - expected) ** 2 / expected;
  }
  return stat;
}

describe("categorical", () => {
  const probs = [0.1, 0.2, 0, 0.3, 0.4];

  it("matches the probabilities (chi-square, 3 df, bound 21.1) and never draws a zero-probability index", () => {
    const rng = createRng(21);
    const counts = [0, 0, 0, 0, 0];
    // Unnormalised weights give the same distribution.
    const weights = probs.map((p) => 5 * p);
    for (let i = 0; i < N; i++) counts[sampleCategorical(rng, weights)]++;
    expect(counts[2]).toBe(0);
    expect(chiSquare(counts, probs)).toBeLessThan(21.1);
  });

  it("matches the probabilities from logits, with -Infinity as an impossible category", () => {
    const rng = createRng(22);
    const counts = [0, 0, 0, 0, 0];
    const logits = probs.map((p) => (p === 0 ? -Infinity : Math.log(p) + 700)); // huge shift: exp would overflow
    for (let i = 0; i < N; i++) counts[sampleCategoricalLogits(rng, logits)]++;
    expect(counts[2]).toBe(0);
    expect(chiSquare(counts, probs)).toBeLessThan(21.1);
  });

  it("rejects negative, NaN or all-zero weights and bad logits", () => {
    const rng = createRng(1);
    expect(() => sampleCategorical(rng, [0.5, -0.1])).toThrow(
      "categorical(): probability 1 must be non-negative and finite — got -0.1, expected 0 ≤ probs[i] < Infinity.",
    );
    expect(() => sampleCategorical(rng, [0, 0])).toThrow(DomainError);
    expect(() => sampleCategorical(rng, [])).toThrow(DomainError);
    expect(() => sampleCategoricalLogits(rng, [0, Number.NaN])).toThrow(DomainError);
    expect(() => sampleCategoricalLogits(rng, [-Infinity, -Infinity])).toThrow(
      "categorical(): at least one logit must be finite — got [-Infinity, -Infinity], expected some logits[i] > -Infinity.",
    );
  });
});

describe("dirichlet", () => {
  /** Component means within 4 MCSE: Var(x_i) = a_i (a0 − a_i) / (a0² (a0 + 1)). */
  function expectDirichletMeans(alpha: number[], seed: number): void {
    const rng = createRng(seed);
    const a0 = alpha.reduce((s, a) => s + a, 0);
    const out = new Float64Array(alpha.length);
    const sums = new Float64Array(alpha.length);
    for (let i = 0; i < N; i++) {
      sampleDirichlet(rng, alpha, out);
      let total = 0;
      for (let k = 0; k < alpha.length; k++) {
        expect(out[k]).toBeGreaterThanOrEqual(0);
        total += out[k];
        sums[k] += out[k];
      }
      expect(Math.abs(total - 1)).toBeLessThan(1e-12);
    }
    alpha.forEach((a, k) => {
      const variance = (a * (a0 - a)) / (a0 * a0 * (a0 + 1));
      expect(Math.abs(sums[k] / N - a / a0)).toBeLessThan(4 * Math.sqrt(variance / N));
    });
  }

  it("has means alpha / sum(alpha)", () => {
    expectDirichletMeans([1, 2, 3.5], 31);
  });

  it("stays on the simplex (no 0/0) when every concentration is tiny", () => {
    expectDirichletMeans([1e-3, 1e-3, 2e-3], 32);
  });

  it("rejects non-positive concentrations and mismatched lengths", () => {
    const rng = createRng(1);
    expect(() => sampleDirichlet(rng, [1, 0], new Float64Array(2))).toThrow(
      "dirichlet(): concentration 1 must be positive and finite — got 0, expected 0 < alpha[i] < Infinity.",
    );
    expect(() => sampleDirichlet(rng, [1, 2], new Float64Array(3))).toThrow(ShapeError);
  });
});

describe("multivariate normal", () => {
  // L = lower Cholesky factor; Σ = L Lᵀ.
  const L = new Float64Array([2, 0, 0, 0.6, 1.5, 0, -1, 0.4, 0.8]);
  const n = 3;
  const sigma = new Float64Array(9);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      for (let k = 0; k < n; k++) sigma[i * n + j] += L[i * n + k] * L[j * n + k];
    }
  }
  const mean = new Float64Array([1, -2, 0.5]);

  it("has mean μ and covariance L Lᵀ within 4 MCSE", () => {
    const rng = createRng(41);
    const out = new Float64Array(n);
    const m = new Float64Array(n);
    const s = new Float64Array(n * n);
    // Known-mean covariance estimate: Var((x_i − μ_i)(x_j − μ_j)) = Σ_ii Σ_jj + Σ_ij² for a Gaussian.
    for (let t = 0; t < N; t++) {
      sampleMultivariateNormal(rng, mean, L, out);
      for (let i = 0; i < n; i++) {
        m[i] += out[i] / N;
        for (let j = 0; j < n; j++) s[i * n + j] += ((out[i] - mean[i]) * (out[j] - mean[j])) / N;
      }
    }
    for (let i = 0; i < n; i++) {
      expect(Math.abs(m[i] - mean[i])).toBeLessThan(4 * Math.sqrt(sigma[i * n + i] / N));
      for (let j = 0; j < n; j++) {
        const se = Math.sqrt((sigma[i * n + i] * sigma[j * n + j] + sigma[i * n + j] ** 2) / N);
        expect(Math.abs(s[i * n + j] - sigma[i * n + j])).toBeLessThan(4 * se);
      }
    }
  });

  it("ignores the strict upper triangle and equals mean + L z for the stream's normals", () => {
    const withJunk = L.slice();
    withJunk[1] = 99;
    withJunk[5] = -7;
    const a = sampleMultivariateNormal(createRng(5), mean, L, new Float64Array(n));
    expect(sampleMultivariateNormal(createRng(5), mean, withJunk, new Float64Array(n))).toEqual(a);
    const zr = createRng(5);
    const z = [zr.normal(), zr.normal(), zr.normal()];
    for (let i = 0; i < n; i++) {
      let expected = mean[i];
      for (let j = 0; j <= i; j++) expected += L[i * n + j] * z[j];
      expect(a[i]).toBeCloseTo(expected, 12);
    }
  });

  it("rejects a factor with a non-positive diagonal, wrong sizes and aliasing", () => {
    const rng = createRng(1);
    const bad = L.slice();
    bad[4] = -1.5;
    expect(() => sampleMultivariateNormal(rng, mean, bad, new Float64Array(n))).toThrow(
      "multivariateNormal(): the Cholesky factor's diagonal entry 1 must be positive and finite — got -1.5, expected L[i, i] > 0. Hint: pass the lower Cholesky factor of a positive-definite covariance, not the covariance.",
    );
    expect(() => sampleMultivariateNormal(rng, mean, L, new Float64Array(2))).toThrow(ShapeError);
    const m = mean.slice();
    expect(() => sampleMultivariateNormal(rng, m, L, m)).toThrow(ShapeError);
  });
});

describe("reproducibility and parameter validation", () => {
  it("gives identical draws for identical seeds, for every sampler", () => {
    const run = (seed: number) => {
      const r = createRng(seed);
      return [
        sampleNormal(r, 0, 1),
        sampleGamma(r, 0.5, 2),
        sampleBeta(r, 2, 3),
        sampleExponential(r, 1),
        samplePoisson(r, 50),
        sampleBinomial(r, 100, 0.4),
        sampleCategorical(r, [1, 2, 3]),
        sampleCategoricalLogits(r, [0, 1]),
        ...sampleDirichlet(r, [1, 1], new Float64Array(2)),
        ...sampleMultivariateNormal(r, new Float64Array([0, 0]), new Float64Array([1, 0, 0.5, 1]), new Float64Array(2)),
      ];
    };
    expect(run(100)).toEqual(run(100));
    expect(run(100)).not.toEqual(run(101));
  });

  it("throws DomainError in the sprig format for bad parameters", () => {
    const rng = createRng(1);
    expect(() => sampleNormal(rng, 0, -1)).toThrow(
      "normal(): parameter 'scale' must be positive and finite — got -1, expected 0 < scale < Infinity.",
    );
    expect(() => sampleNormal(rng, Number.NaN, 1)).toThrow(
      "normal(): parameter 'loc' must be finite — got NaN, expected a finite number.",
    );
    expect(() => sampleGamma(rng, 1, -2)).toThrow(
      "gamma(): parameter 'rate' must be positive and finite — got -2, expected 0 < rate < Infinity.",
    );
    expect(() => sampleGamma(rng, 0, 1)).toThrow(DomainError);
    expect(() => sampleBeta(rng, 1, Number.NaN)).toThrow(
      "beta(): parameter 'beta' must be positive and finite — got NaN, expected 0 < beta < Infinity.",
    );
    expect(() => sampleExponential(rng, Infinity)).toThrow(DomainError);
    expect(() => samplePoisson(rng, -1)).toThrow(
      "poisson(): parameter 'rate' must be non-negative and finite — got -1, expected 0 ≤ rate < Infinity.",
    );
    expect(() => sampleBinomial(rng, 2.5, 0.5)).toThrow(
      "binomial(): parameter 'trials' must be a non-negative integer — got 2.5, expected trials ∈ {0, 1, 2, …}.",
    );
    expect(() => sampleBinomial(rng, 10, 1.2)).toThrow(
      "binomial(): parameter 'prob' must be a probability — got 1.2, expected 0 ≤ prob ≤ 1.",
    );
  });
});
