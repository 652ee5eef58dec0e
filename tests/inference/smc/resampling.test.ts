import { describe, expect, it } from "vitest";
import { DomainError, ShapeError } from "../../../src/core/errors.js";
import {
  AliasTable,
  effectiveSampleSize,
  normalizeLogWeights,
  RESAMPLING_SCHEMES,
  type ResamplingScheme,
  resample,
  sampleLogCategorical,
  sortedUniforms,
} from "../../../src/inference/smc/index.js";
import { createRng } from "../../../src/runtime/rng/index.js";
import { logSumExp } from "../../../src/runtime/special.js";

const SCHEMES = Object.keys(RESAMPLING_SCHEMES) as ResamplingScheme[];

/** Normalised weights with a spread of sizes, a zero in the middle and a zero at the end. */
function testWeights(): Float64Array {
  const rng = createRng("weights");
  const w = new Float64Array(9);
  for (let i = 0; i < w.length; i++) w[i] = Math.exp(1.5 * rng.normal());
  w[3] = 0;
  w[8] = 0;
  const sum = w.reduce((a, b) => a + b, 0);
  return w.map((v) => v / sum);
}

/** Offspring counts of `reps` resamplings of `numDraws` ancestors: their mean and variance per index. */
function offspringMoments(scheme: ResamplingScheme, w: Float64Array, numDraws: number, reps: number, seed: string) {
  const rng = createRng(seed);
  const n = w.length;
  const sum = new Float64Array(n);
  const sumSq = new Float64Array(n);
  const counts = new Float64Array(n);
  const ancestors = new Int32Array(numDraws);
  const allSorted = { value: true };
  const minCount = new Float64Array(n).fill(Infinity);
  const maxCount = new Float64Array(n).fill(-Infinity);
  for (let r = 0; r < reps; r++) {
    RESAMPLING_SCHEMES[scheme](rng, w, n, ancestors, numDraws, 0);
    counts.fill(0);
    for (let k = 0; k < numDraws; k++) {
      counts[ancestors[k]]++;
      if (k > 0 && ancestors[k] < ancestors[k - 1]) allSorted.value = false;
    }
    for (let i = 0; i < n; i++) {
      sum[i] += counts[i];
      sumSq[i] += counts[i] * counts[i];
      minCount[i] = Math.min(minCount[i], counts[i]);
      maxCount[i] = Math.max(maxCount[i], counts[i]);
    }
  }
  const mean = sum.map((s) => s / reps);
  const variance = sumSq.map((s, i) => (s - reps * mean[i] * mean[i]) / (reps - 1));
  return { mean, variance, sorted: allSorted.value, minCount, maxCount };
}

describe("resampling schemes", () => {
  const w = testWeights();
  const reps = 20000;

  for (const scheme of SCHEMES) {
    for (const numDraws of [9, 4, 50]) {
      it(`${scheme}: expected offspring counts are M·w (M = ${numDraws}), ancestors ascending, zero weights never drawn`, () => {
        const { mean, variance, sorted, maxCount } = offspringMoments(
          scheme,
          w,
          numDraws,
          reps,
          `${scheme}-${numDraws}`,
        );
        expect(sorted).toBe(true);
        expect(maxCount[3]).toBe(0);
        expect(maxCount[8]).toBe(0);
        // Unbiasedness: the mean count over R replicates has standard error sd/√R; 5 SE bounds
        // a correct scheme's deviation except with probability ~6e-7 per index. The 1e-9 floor
        // covers indices whose count never varies (then the mean is exact).
        for (let i = 0; i < w.length; i++) {
          const se = Math.sqrt(variance[i] / reps);
          expect(Math.abs(mean[i] - numDraws * w[i])).toBeLessThanOrEqual(5 * se + 1e-9);
        }
      });
    }
  }

  it("multinomial counts have the multinomial variance M·w(1 − w)", () => {
    const M = 9;
    const { variance } = offspringMoments("multinomial", w, M, reps, "multinomial-variance");
    // The sample variance of R = 20000 counts has relative SE ≈ √(2/R)·(kurtosis factor) ≈ 1–2%;
    // 8% is > 4 SE, while stratified/systematic draws (variance ≤ 1/4 per index) fail it.
    for (let i = 0; i < w.length; i++) {
      const exact = M * w[i] * (1 - w[i]);
      if (exact > 0.05) expect(Math.abs(variance[i] - exact) / exact).toBeLessThan(0.08);
    }
  });

  it("systematic and residual give at least ⌊M·w⌋ copies; systematic at most ⌈M·w⌉", () => {
    const M = 50;
    const systematic = offspringMoments("systematic", w, M, 2000, "sys-bounds");
    const residual = offspringMoments("residual", w, M, 2000, "res-bounds");
    for (let i = 0; i < w.length; i++) {
      expect(systematic.minCount[i]).toBeGreaterThanOrEqual(Math.floor(M * w[i]));
      expect(systematic.maxCount[i]).toBeLessThanOrEqual(Math.ceil(M * w[i]));
      expect(residual.minCount[i]).toBeGreaterThanOrEqual(Math.floor(M * w[i]));
    }
  });

  it("writes at an offset and leaves the rest of the array alone", () => {
    for (const scheme of SCHEMES) {
      const ancestors = new Int32Array(6).fill(-7);
      RESAMPLING_SCHEMES[scheme](createRng(1), w, w.length, ancestors, 4, 2);
      expect(Array.from(ancestors.subarray(0, 2))).toEqual([-7, -7]);
      for (let k = 2; k < 6; k++) expect(ancestors[k]).toBeGreaterThanOrEqual(0);
    }
  });

  it("handles one particle and a single non-zero weight", () => {
    for (const scheme of SCHEMES) {
      expect(Array.from(resample(createRng(2), scheme, new Float64Array([1]), 3))).toEqual([0, 0, 0]);
      expect(Array.from(resample(createRng(2), scheme, new Float64Array([0, 0, 1, 0]), 3))).toEqual([2, 2, 2]);
    }
  });

  it("is reproducible from the seed", () => {
    for (const scheme of SCHEMES) {
      const a = resample(createRng(9), scheme, w, 100);
      const b = resample(createRng(9), scheme, w, 100);
      expect(Array.from(a)).toEqual(Array.from(b));
    }
  });

  it("resample() refuses unnormalised or invalid weights, unknown schemes and short arrays", () => {
    const rng = createRng(3);
    expect(() => resample(rng, "systematic", new Float64Array([0.5, 0.6]))).toThrow(DomainError);
    expect(() => resample(rng, "systematic", new Float64Array([1.5, -0.5]))).toThrow(/weight 1/);
    expect(() => resample(rng, "systematic", new Float64Array([Number.NaN, 1]))).toThrow(DomainError);
    expect(() => resample(rng, "bogus" as ResamplingScheme, new Float64Array([1]))).toThrow(
      /unknown resampling scheme/,
    );
    expect(() => resample(rng, "systematic", new Float64Array([1]), 3, new Int32Array(2))).toThrow(ShapeError);
  });
});

describe("sortedUniforms", () => {
  it("gives ascending points in (0, 1) with the moments of uniform order statistics", () => {
    const m = 5;
    const reps = 20000;
    const u = new Float64Array(m);
    const sum = new Float64Array(m);
    const sumSq = new Float64Array(m);
    const rng = createRng("order-statistics");
    let ordered = true;
    for (let r = 0; r < reps; r++) {
      sortedUniforms(rng, m, u);
      for (let k = 0; k < m; k++) {
        if (!(u[k] > (k > 0 ? u[k - 1] : 0))) ordered = false;
        sum[k] += u[k];
        sumSq[k] += u[k] * u[k];
      }
      if (!(u[m - 1] < 1)) ordered = false;
    }
    expect(ordered).toBe(true);
    // The k-th of m sorted uniforms is Beta(k, m + 1 − k): mean k/(m+1), variance
    // k(m+1−k)/((m+1)²(m+2)). The sample mean is within 5 SE (√(variance/R)); the sample
    // variance within 5% (its relative SE is ≈ √(2/R) ≈ 1%).
    for (let k = 1; k <= m; k++) {
      const mean = k / (m + 1);
      const variance = (k * (m + 1 - k)) / ((m + 1) ** 2 * (m + 2));
      const sampleMean = sum[k - 1] / reps;
      const sampleVariance = sumSq[k - 1] / reps - sampleMean ** 2;
      expect(Math.abs(sampleMean - mean)).toBeLessThan(5 * Math.sqrt(variance / reps));
      expect(Math.abs(sampleVariance / variance - 1)).toBeLessThan(0.05);
    }
  });
});

describe("weight utilities", () => {
  it("logSumExp is stable for large and −Infinity entries", () => {
    expect(logSumExp(2, new Float64Array([1000, 1000]))).toBeCloseTo(1000 + Math.LN2, 12);
    expect(logSumExp(2, new Float64Array([-1000, Number.NEGATIVE_INFINITY]))).toBe(-1000);
    expect(logSumExp(2, new Float64Array([Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY]))).toBe(
      Number.NEGATIVE_INFINITY,
    );
  });

  it("normalizeLogWeights returns the log normaliser and weights summing to one", () => {
    const out = new Float64Array(3);
    const lse = normalizeLogWeights(new Float64Array([-800, -800 + Math.log(3), Number.NEGATIVE_INFINITY]), 3, out);
    expect(lse).toBeCloseTo(-800 + Math.log(4), 12);
    expect(out[0]).toBeCloseTo(0.25, 12);
    expect(out[1]).toBeCloseTo(0.75, 12);
    expect(out[2]).toBe(0);
    expect(effectiveSampleSize(out, 3)).toBeCloseTo(1 / (0.0625 + 0.5625), 12);
    expect(normalizeLogWeights(new Float64Array([Number.NEGATIVE_INFINITY]), 1, out)).toBe(Number.NEGATIVE_INFINITY);
  });

  it("AliasTable and sampleLogCategorical draw with the given probabilities", () => {
    const p = new Float64Array([0.05, 0.5, 0, 0.2, 0.25]);
    const table = new AliasTable(p.length);
    table.build(p.map((v) => 3 * v)); // unnormalised is fine
    const logP = p.map(Math.log);
    const rng = createRng("alias");
    const draws = 50000;
    const aliasCounts = new Float64Array(p.length);
    const invCounts = new Float64Array(p.length);
    for (let r = 0; r < draws; r++) {
      aliasCounts[table.draw(rng)]++;
      invCounts[sampleLogCategorical(rng, logP, p.length)]++;
    }
    // Binomial counts: SE √(R p(1 − p)); 5 SE per category.
    for (let i = 0; i < p.length; i++) {
      const tol = 5 * Math.sqrt(draws * p[i] * (1 - p[i])) + 1e-9;
      expect(Math.abs(aliasCounts[i] - draws * p[i])).toBeLessThanOrEqual(tol);
      expect(Math.abs(invCounts[i] - draws * p[i])).toBeLessThanOrEqual(tol);
    }
    expect(aliasCounts[2]).toBe(0);
    expect(sampleLogCategorical(rng, new Float64Array([Number.NEGATIVE_INFINITY]), 1)).toBe(-1);
  });
});
