import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DataError } from "../../src/core/errors.js";
import {
  histogram,
  kde,
  pooledRanks,
  quantileSorted,
  rankHistogram,
  silvermanBandwidth,
} from "../../src/plots/stats.js";
import { createRng } from "../../src/runtime/rng/index.js";

const normalPdf = (x: number, sd: number) => Math.exp(-0.5 * (x / sd) ** 2) / (sd * Math.sqrt(2 * Math.PI));

/** Trapezoid rule on the (evenly spaced) grid. */
function integral(x: Float64Array, f: Float64Array): number {
  let s = 0;
  for (let i = 1; i < x.length; i++) s += 0.5 * (f[i] + f[i - 1]) * (x[i] - x[i - 1]);
  return s;
}

function normals(seed: number, n: number, loc = 0, scale = 1): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: n }, () => loc + scale * rng.normal());
}

describe("kde", () => {
  it("integrates to 1 within 1e-3 for samples of any size, location and scale", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3000 }),
        fc.double({ min: -1e4, max: 1e4, noNaN: true }),
        fc.double({ min: 1e-3, max: 1e3, noNaN: true }),
        fc.integer({ min: 0, max: 1000 }),
        fc.boolean(),
        (n, loc, scale, seed, heavy) => {
          const rng = createRng(seed);
          // Normal or Cauchy-like (normal ratio) draws: the heavy tails stretch the grid.
          const draw = () => (heavy ? rng.normal() / Math.max(0.05, Math.abs(rng.normal())) : rng.normal());
          const values = Float64Array.from({ length: n }, () => loc + scale * draw());
          const { x, density } = kde(values);
          expect(Math.abs(integral(x, density) - 1)).toBeLessThan(1e-3);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("integrates to 1 on a bounded support with reflection, and starts at the bound", () => {
    const rng = createRng(7);
    const exponential = Float64Array.from({ length: 4000 }, () => -Math.log(rng.uniform()));
    const e = kde(exponential, { bounds: [0, Number.POSITIVE_INFINITY] });
    expect(e.x[0]).toBe(0);
    expect(Math.abs(integral(e.x, e.density) - 1)).toBeLessThan(1e-3);
    const uniform = Float64Array.from({ length: 4000 }, () => rng.uniform());
    const u = kde(uniform, { bounds: [0, 1] });
    expect([u.x[0], u.x.at(-1)]).toEqual([0, 1]);
    expect(Math.abs(integral(u.x, u.density) - 1)).toBeLessThan(1e-3);
    // Without reflection the uniform's estimate halves at the edges; with it the edge stays near 1.
    // The estimate at 0 averages ~2·n·h = 2·4000·0.06 ≈ 480 draws' kernels: sd ≈ 0.05, so 0.8 is > 4 sd away.
    expect(u.density[0]).toBeGreaterThan(0.8);
    expect(() => kde([-1, 2], { bounds: [0, 3] })).toThrow(DataError);
  });

  it("matches a normal density within Monte Carlo error on a large normal sample", () => {
    const n = 20000;
    const values = normals(11, n);
    const { x, density, bandwidth: h } = kde(values);
    expect(h).toBeCloseTo(silvermanBandwidth(values), 12);
    for (const target of [-2, -1, 0, 1, 2]) {
      let j = 0;
      for (let i = 1; i < x.length; i++) if (Math.abs(x[i] - target) < Math.abs(x[j] - target)) j = i;
      const at = x[j];
      // For iid N(0,1) draws and a Gaussian kernel of sd h, exactly:
      //   E f̂(x) = φ(x; sd √(1 + h²))   (the kernel convolved with the density: smoothing bias),
      //   E K_h(x − X)² = φ(x; sd √(1 + h²/2)) / (2√π h),  Var f̂(x) = (E K_h² − (E f̂)²) / n.
      // The estimate must lie within 4 of those standard errors of its expectation (conditioning
      // on the data-dependent h, whose relative sd is ~1/√(2n) = 0.5%, changes E f̂ by far less).
      const mean = normalPdf(at, Math.sqrt(1 + h * h));
      const second = normalPdf(at, Math.sqrt(1 + (h * h) / 2)) / (2 * Math.sqrt(Math.PI) * h);
      const se = Math.sqrt((second - mean * mean) / n);
      expect(Math.abs(density[j] - mean)).toBeLessThan(4 * se);
      // And against the true density: the same error plus the known smoothing bias.
      expect(Math.abs(density[j] - normalPdf(at, 1))).toBeLessThan(Math.abs(mean - normalPdf(at, 1)) + 4 * se);
    }
  });

  it("equals the direct sum of kernels", () => {
    const values = normals(3, 50, 2, 3);
    const h = 0.7;
    const { x, density } = kde(values, { bandwidth: h, cut: 40, points: 64 });
    for (const j of [0, 10, 31, 63]) {
      let direct = 0;
      for (const v of values) direct += normalPdf(x[j] - v, h);
      expect(density[j]).toBeCloseTo(direct / values.length, 12);
    }
  });

  it("uses Silverman's rule of thumb", () => {
    // sd = 1.5811, IQR/1.34 = 2/1.34 = 1.4925 (type-7 quartiles 2 and 4): the IQR term wins.
    expect(silvermanBandwidth([1, 2, 3, 4, 5])).toBeCloseTo(0.9 * (2 / 1.34) * 5 ** -0.2, 12);
    // Heavy tail: the sd is inflated by the outlier, the IQR is not.
    expect(silvermanBandwidth([1, 2, 3, 4, 1000])).toBeCloseTo(0.9 * (2 / 1.34) * 5 ** -0.2, 12);
    // All equal: a narrow spike rather than a failure.
    expect(silvermanBandwidth([3, 3, 3])).toBeCloseTo(3e-3, 15);
    expect(() => silvermanBandwidth([1, Number.NaN])).toThrow(DataError);
  });
});

describe("histograms, quantiles and ranks", () => {
  it("counts every value once", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 300 }), (v) => {
        const { edges, counts } = histogram(v);
        expect(counts.reduce((a, b) => a + b, 0)).toBe(v.length);
        expect(edges.length).toBe(counts.length + 1);
      }),
    );
    expect(Array.from(histogram([1, 2, 2, 3], { bins: 2 }).counts)).toEqual([1, 3]);
  });

  it("interpolates quantiles like R's type 7", () => {
    expect(quantileSorted(new Float64Array([1, 2, 3, 4]), 0.5)).toBe(2.5);
    expect(quantileSorted(new Float64Array([1, 2, 3, 4]), 0.25)).toBe(1.75);
  });

  it("ranks pooled draws with average ranks for ties", () => {
    expect(
      pooledRanks([
        [0.5, 0.1],
        [0.3, 0.9],
      ]).map((r) => Array.from(r)),
    ).toEqual([
      [3, 1],
      [2, 4],
    ]);
    expect(
      pooledRanks([
        [1, 2],
        [2, 3],
      ]).map((r) => Array.from(r)),
    ).toEqual([
      [1, 2.5],
      [2.5, 4],
    ]);
  });

  it("rank histogram counts sum to each chain's draws", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 0, max: 1000 }),
        (chains, draws, bins, seed) => {
          const rng = createRng(seed);
          // Rounded values, so ties occur.
          const data = Array.from({ length: chains }, () =>
            Float64Array.from({ length: draws }, () => Math.round(3 * rng.normal())),
          );
          const { counts, total } = rankHistogram(data, bins);
          expect(total).toBe(chains * draws);
          for (const c of counts) {
            expect(c.length).toBe(bins);
            expect(c.reduce((a, b) => a + b, 0)).toBe(draws);
          }
        },
      ),
    );
  });

  it("is flat in expectation for chains from one distribution and flags a shifted chain", () => {
    const n = 4000;
    const same = [normals(1, n), normals(2, n)];
    const bins = 10;
    // Under exchangeability each count is ~ Binomial-like with mean n/bins = 400 and sd ≤ √(n·p(1−p)) = 19;
    // pooling ranks makes chains' counts negatively correlated, which only shrinks the spread.
    for (const c of rankHistogram(same, bins).counts)
      for (const v of c) expect(Math.abs(v - n / bins)).toBeLessThan(5 * 19);
    const shifted = [normals(1, n), normals(2, n, 0.5)];
    const low = rankHistogram(shifted, bins).counts[0];
    expect(low[0]).toBeGreaterThan(n / bins + 5 * 19); // the unshifted chain owns the low ranks
  });
});
