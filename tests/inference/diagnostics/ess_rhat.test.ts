import { describe, expect, it } from "vitest";
import { rankNormalize, splitChains } from "../../../src/inference/diagnostics/draws.js";
import { essBasic, essBulk, essMean, essTail } from "../../../src/inference/diagnostics/ess.js";
import { mcseMean, mcseQuantile, mcseSd } from "../../../src/inference/diagnostics/mcse.js";
import { rhat, rhatBasic } from "../../../src/inference/diagnostics/rhat.js";
import { createRng } from "../../../src/runtime/rng/index.js";

/** Stationary AR(1) chains x_t = ρ·x_{t−1} + √(1 − ρ²)·ε_t with unit marginal variance. */
function ar1Chains(seed: number, numChains: number, n: number, rho: number, shift = [] as number[]) {
  const rng = createRng(seed);
  return Array.from({ length: numChains }, (_, c) => {
    const x = new Float64Array(n);
    let v = rng.normal();
    const s = Math.sqrt(1 - rho * rho);
    for (let i = 0; i < n; i++) {
      x[i] = v + (shift[c] ?? 0);
      v = rho * v + s * rng.normal();
    }
    return x;
  });
}

// Tolerances: over 100 seeds at 4 × 2000 draws, the ESS estimates had relative sd ≈ 2.7% (iid),
// 5.2% (ρ = 0.5) and 5.2% (ρ = −0.3), centred within 1% of the theoretical value, so ±15% is
// about 3–5 sd: it cannot fail by chance, yet an estimator that ignored autocorrelation (ESS = N)
// or the between-chain variance would be far outside.
describe("effective sample size", () => {
  it("≈ N for independent draws", () => {
    const chains = ar1Chains(1, 4, 2000, 0);
    for (const ess of [essBulk(chains), essMean(chains), essTail(chains)]) {
      expect(Math.abs(ess / 8000 - 1)).toBeLessThan(0.15);
    }
  });

  it("≈ N(1 − ρ)/(1 + ρ) for AR(1) chains", () => {
    const chains = ar1Chains(2, 4, 2000, 0.5);
    expect(Math.abs(essBulk(chains) / (8000 / 3) - 1)).toBeLessThan(0.15);
    expect(Math.abs(essMean(chains) / (8000 / 3) - 1)).toBeLessThan(0.15);
  });

  it("exceeds N for antithetic chains (ρ < 0)", () => {
    const chains = ar1Chains(3, 4, 2000, -0.3);
    const expected = (8000 * 1.3) / 0.7;
    expect(Math.abs(essMean(chains) / expected - 1)).toBeLessThan(0.15);
  });

  it("falls when chains disagree (between-chain variance counts)", () => {
    const agree = ar1Chains(4, 4, 1000, 0);
    const disagree = ar1Chains(4, 4, 1000, 0, [0, 0, 0, 2]);
    expect(essBulk(disagree)).toBeLessThan(0.2 * essBulk(agree));
  });

  it("is robust to infinite variance in the bulk (Cauchy draws)", () => {
    const rng = createRng(5);
    const chains = Array.from({ length: 4 }, () =>
      Float64Array.from({ length: 1000 }, () => Math.tan(Math.PI * (rng.uniform() - 0.5))),
    );
    expect(Math.abs(essBulk(chains) / 4000 - 1)).toBeLessThan(0.15);
  });

  it("is NaN for constant, non-finite or too-short draws", () => {
    expect(essBulk([new Float64Array(10).fill(2), new Float64Array(10).fill(2)])).toBeNaN();
    expect(essBasic([new Float64Array([1, Number.NaN, 3, 4])])).toBeNaN();
    expect(essBasic([new Float64Array([1, 2])])).toBeNaN();
  });
});

describe("R-hat", () => {
  it("≈ 1 for chains from the same distribution", () => {
    const r = rhat(ar1Chains(6, 4, 1000, 0.3));
    expect(r).toBeGreaterThan(0.99);
    expect(r).toBeLessThan(1.01);
  });

  it("flags a chain shifted by one sd", () => {
    expect(rhat(ar1Chains(7, 4, 1000, 0.3, [0, 0, 0, 1]))).toBeGreaterThan(1.1);
  });

  it("flags a chain with a different scale (the folded check)", () => {
    const chains = ar1Chains(8, 4, 1000, 0);
    chains[3] = chains[3].map((v) => 4 * v);
    // The location-only R-hat misses it; the folded, rank-normalised R-hat does not.
    expect(rhatBasic(rankNormalize(splitChains(chains)))).toBeLessThan(1.01);
    expect(rhat(chains)).toBeGreaterThan(1.1);
  });

  it("flags a trend within chains through splitting", () => {
    const chains = ar1Chains(9, 4, 1000, 0).map((x) => x.map((v, i) => v + (2 * i) / 1000));
    expect(rhat(chains)).toBeGreaterThan(1.05);
  });

  it("computes the classic formula on a small example", () => {
    // Chains [1, 2, 3] and [3, 4, 5]: W = 1, B = n·var(means) = 3·2 = 6,
    // var⁺ = (2/3)·1 + 6/3 = 8/3, R̂ = √(8/3).
    expect(rhatBasic([new Float64Array([1, 2, 3]), new Float64Array([3, 4, 5])])).toBeCloseTo(Math.sqrt(8 / 3), 14);
  });
});

describe("Monte Carlo standard errors", () => {
  // 4 × 2500 iid standard normal draws: N = 10000.
  const chains = ar1Chains(10, 4, 2500, 0);

  it("of the mean ≈ 1/√N", () => {
    expect(Math.abs(mcseMean(chains) / 0.01 - 1)).toBeLessThan(0.15);
  });

  it("of the sd ≈ 1/√(2N)", () => {
    expect(Math.abs(mcseSd(chains) / Math.sqrt(1 / 20000) - 1)).toBeLessThan(0.15);
  });

  it("of quantiles ≈ √(p(1 − p)/N)/φ(q_p)", () => {
    for (const [p, q] of [
      [0.05, -1.6448536269514722],
      [0.5, 0],
      [0.95, 1.6448536269514722],
    ]) {
      const density = Math.exp(-0.5 * q * q) / Math.sqrt(2 * Math.PI);
      const expected = Math.sqrt((p * (1 - p)) / 10000) / density;
      // The order-statistic estimate is noisier than ESS itself (a difference of two draws): ±30%.
      expect(Math.abs(mcseQuantile(chains, p) / expected - 1)).toBeLessThan(0.3);
    }
  });

  it("grows with autocorrelation", () => {
    const correlated = ar1Chains(11, 4, 2500, 0.8);
    expect(mcseMean(correlated) / mcseMean(chains)).toBeGreaterThan(2.4);
    expect(mcseMean(correlated) / mcseMean(chains)).toBeLessThan(3.6);
  });
});
