import { describe, expect, it } from "vitest";
import { dualAveraging } from "../../../src/inference/adaptation/dual_averaging.js";

describe("dualAveraging", () => {
  it("finds the step size whose acceptance statistic equals the target", () => {
    // A synthetic, noiseless acceptance curve α(ε) = exp(−ε): α = 0.8 at ε* = −log 0.8 ≈ 0.2231.
    const da = dualAveraging({ targetAcceptRate: 0.8 });
    let s = da.init(1);
    for (let i = 0; i < 2000; i++) s = da.update(s, Math.exp(-Math.exp(s.logStepSize)));
    // The t^−κ-weighted average still carries a little of the early transient: within 2%.
    expect(Math.abs(da.final(s) / -Math.log(0.8) - 1)).toBeLessThan(0.02);
  });

  it("moves the step size down after poor acceptance and up after good acceptance", () => {
    const da = dualAveraging();
    // Start from an iterate that has settled at ε = 0.5 (statistic on target for 50 updates).
    let s0 = da.init(0.05);
    for (let i = 0; i < 50; i++) s0 = da.update(s0, 0.8);
    const eps = Math.exp(s0.logStepSize);
    expect(Math.exp(da.update(s0, 0.1).logStepSize)).toBeLessThan(eps);
    expect(Math.exp(da.update(s0, 1).logStepSize)).toBeGreaterThan(eps);
    // A NaN statistic counts as a rejection; values above 1 are clipped.
    expect(da.update(s0, Number.NaN).logStepSize).toBe(da.update(s0, 0).logStepSize);
    expect(da.update(s0, 1.7).logStepSize).toBe(da.update(s0, 1).logStepSize);
  });

  it("follows the Hoffman–Gelman recursion for the first update", () => {
    // t = 1, t0 = 10: H̄ = (δ − α)/11, log ε = μ − H̄/γ, weight 1^−κ = 1 so log ε̄ = log ε.
    const da = dualAveraging({ targetAcceptRate: 0.8, gamma: 0.05, t0: 10, kappa: 0.75 });
    const s = da.update(da.init(1), 0.6);
    const expected = Math.log(10) - 0.2 / 11 / 0.05;
    expect(s.logStepSize).toBeCloseTo(expected, 12);
    expect(s.logStepSizeAvg).toBeCloseTo(expected, 12);
    expect(da.final(da.init(0.3))).toBeCloseTo(0.3, 12);
  });

  it("rejects a target outside (0, 1)", () => {
    expect(() => dualAveraging({ targetAcceptRate: 1 })).toThrow(/targetAcceptRate must lie strictly between 0 and 1/);
  });
});
