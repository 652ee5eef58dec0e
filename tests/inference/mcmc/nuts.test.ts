import { describe, expect, it } from "vitest";
import { DomainError, ShapeError } from "../../../src/core/errors.js";
import * as hmc from "../../../src/inference/mcmc/hmc.js";
import type { MetricKind } from "../../../src/inference/mcmc/metrics.js";
import * as nuts from "../../../src/inference/mcmc/nuts.js";
import type { HmcKernel, HmcParams, TransitionInfo } from "../../../src/inference/mcmc/types.js";
import { createRng } from "../../../src/runtime/rng/index.js";
import { diagonalGaussianModel, estimate, funnelModel, gaussianModel, mapDraws } from "./models.js";

// Target: 2-d Gaussian with sd (1, 2) and correlation 0.8, Σ = [[1, 1.6], [1.6, 4]].
const SIGMA = new Float64Array([1, 1.6, 1.6, 4]);
const DET = 1 * 4 - 1.6 * 1.6;
const PRECISION = new Float64Array([4 / DET, -1.6 / DET, -1.6 / DET, 1 / DET]);
const MEAN = new Float64Array([1, -2]);
const gaussian2 = gaussianModel(MEAN, PRECISION);

/** Runs `numChains` chains of `n` transitions from `MEAN`; returns draws and infos per chain. */
function run<Info extends TransitionInfo>(
  kernel: HmcKernel<Info>,
  params: HmcParams,
  seed: number,
  numChains = 4,
  n = 2500,
) {
  const root = createRng(seed);
  const d = kernel.model.dimension;
  const draws: Float64Array[] = [];
  const infos: Info[][] = [];
  for (let c = 0; c < numChains; c++) {
    const rng = root.split();
    let state = kernel.init(MEAN.subarray(0, d));
    const out = new Float64Array(n * d);
    const chainInfos: Info[] = [];
    for (let i = 0; i < n; i++) {
      const t = kernel.step(rng, state, params);
      state = t.state;
      out.set(state.position, i * d);
      chainInfos.push(t.info);
    }
    draws.push(out);
    infos.push(chainInfos);
  }
  return { draws, infos };
}

/**
 * Asserts the first and second moments of the 2-d target within 5 Monte Carlo standard errors
 * (MCSE = sd/√ESS with our ESS): a correct kernel fails one of the five checks with probability
 * about 3·10⁻⁶, while a sampler off by a few percent in a variance fails them.
 */
function expectTargetMoments(draws: Float64Array[]) {
  const checks: [string, (x: Float64Array) => number, number][] = [
    ["E[x1]", (x) => x[0], MEAN[0]],
    ["E[x2]", (x) => x[1], MEAN[1]],
    ["Var[x1]", (x) => (x[0] - MEAN[0]) ** 2, SIGMA[0]],
    ["Var[x2]", (x) => (x[1] - MEAN[1]) ** 2, SIGMA[3]],
    ["Cov[x1,x2]", (x) => (x[0] - MEAN[0]) * (x[1] - MEAN[1]), SIGMA[1]],
  ];
  for (const [name, f, truth] of checks) {
    const { mean, mcse } = estimate(mapDraws(draws, 2, f));
    expect(Math.abs(mean - truth), `${name}: ${mean} vs ${truth} (mcse ${mcse})`).toBeLessThan(5 * mcse);
    // Guard against a vacuous test: the Monte Carlo error must be small relative to the scale.
    expect(mcse).toBeLessThan(0.05 * Math.max(1, Math.abs(truth)));
  }
}

describe("nuts kernel", () => {
  const cases: [MetricKind, HmcParams][] = [
    ["unit", { stepSize: 0.25 }],
    ["diag", { stepSize: 0.4, inverseMassMatrix: new Float64Array([1, 4]) }],
    ["dense", { stepSize: 0.6, inverseMassMatrix: SIGMA }],
  ];
  it.each(cases)("leaves a correlated Gaussian invariant with the %s metric (fixed step size)", (metric, params) => {
    const kernel = nuts.buildKernel(gaussian2, { metric });
    const { draws, infos } = run(kernel, params, 11);
    expectTargetMoments(draws);
    const meanAccept = infos.flat().reduce((s, i) => s + i.acceptStat, 0) / (4 * 2500);
    expect(meanAccept).toBeGreaterThan(0.6);
    expect(infos.flat().some((i) => i.isDivergent)).toBe(false);
  });

  it("estimates the variance of a standard normal to a few percent", () => {
    const kernel = nuts.buildKernel(diagonalGaussianModel(new Float64Array([1])), { metric: "unit" });
    const root = createRng(5);
    const chains: Float64Array[] = [];
    for (let c = 0; c < 4; c++) {
      const rng = root.split();
      let state = kernel.init(new Float64Array([0.5]));
      const x = new Float64Array(10000);
      for (let i = 0; i < x.length; i++) {
        state = kernel.step(rng, state, { stepSize: 0.9 }).state;
        x[i] = state.position[0];
      }
      chains.push(x);
    }
    const second = estimate(chains.map((x) => x.map((v) => v * v)));
    // 40000 draws; NUTS is antithetic for x but not for x², whose ESS is ≈ 16000, so
    // MCSE(E[x²]) ≈ √(2/16000) ≈ 0.011 and the 5-MCSE band is about ±5.5%.
    expect(second.mcse).toBeLessThan(0.015);
    expect(Math.abs(second.mean - 1)).toBeLessThan(5 * second.mcse);
  });

  it("never mutates the state it is given, and earlier states stay valid", () => {
    const kernel = nuts.buildKernel(gaussian2, { metric: "diag" });
    const rng = createRng(3);
    const params = { stepSize: 0.5, inverseMassMatrix: new Float64Array([1, 4]) };
    const history = [kernel.init(new Float64Array([0.2, 0.4]))];
    const snapshots = [history[0].position.slice()];
    for (let i = 0; i < 30; i++) {
      history.push(kernel.step(rng, history[i], params).state);
      snapshots.push(history[i + 1].position.slice());
    }
    history.forEach((s, i) => {
      expect(Array.from(s.position)).toEqual(Array.from(snapshots[i]));
      const g = new Float64Array(2);
      expect(gaussian2.logDensityAndGrad(s.position, g)).toBe(s.logDensity);
      expect(Array.from(s.gradient)).toEqual(Array.from(g));
    });
  });

  it("is deterministic given the stream", () => {
    const kernel = nuts.buildKernel(gaussian2);
    const a = run(kernel, { stepSize: 0.3, inverseMassMatrix: new Float64Array([1, 1]) }, 9, 1, 200);
    const b = run(kernel, { stepSize: 0.3, inverseMassMatrix: new Float64Array([1, 1]) }, 9, 1, 200);
    expect(Buffer.from(a.draws[0].buffer).equals(Buffer.from(b.draws[0].buffer))).toBe(true);
  });

  it("stops at maxTreeDepth when the step size is tiny (2^depth − 1 steps, accept ≈ 1)", () => {
    const kernel = nuts.buildKernel(diagonalGaussianModel(new Float64Array([1, 1])), { maxTreeDepth: 4 });
    const { infos } = run(kernel, { stepSize: 1e-3, inverseMassMatrix: new Float64Array([1, 1]) }, 2, 1, 20);
    for (const info of infos[0]) {
      expect(info.treeDepth).toBe(4);
      expect(info.numSteps).toBe(15);
      expect(info.acceptStat).toBeGreaterThan(0.999);
    }
  });

  it("reports divergences in the neck of Neal's funnel", () => {
    const funnel = funnelModel(5);
    const kernel = nuts.buildKernel(funnel, { metric: "unit" });
    const rng = createRng(8);
    let state = kernel.init(new Float64Array([-4, 0.05, -0.1, 0.08, 0.02, -0.03]));
    let divergent = 0;
    for (let i = 0; i < 100; i++) {
      const t = kernel.step(rng, state, { stepSize: 0.8 });
      state = t.state;
      if (t.info.isDivergent) divergent++;
      expect(Number.isFinite(t.info.energy)).toBe(true);
    }
    expect(divergent).toBeGreaterThan(10);
  });

  it("reports the energy of the returned state", () => {
    const kernel = nuts.buildKernel(gaussian2, { metric: "unit" });
    const rng = createRng(1);
    const state = kernel.init(new Float64Array([0, 0]));
    const { state: next, info } = kernel.step(rng, state, { stepSize: 0.3 });
    // H = −log p + K with K ≥ 0.
    expect(info.energy).toBeGreaterThanOrEqual(-next.logDensity);
  });

  it("refuses bad settings and states with clear errors", () => {
    expect(() => nuts.buildKernel(gaussian2, { maxTreeDepth: 0 })).toThrow(DomainError);
    expect(() => nuts.buildKernel(gaussian2, { maxTreeDepth: 0 })).toThrow(
      /maxTreeDepth must be an integer in \[1, 30\]/,
    );
    const kernel = nuts.buildKernel(gaussian2, { metric: "diag" });
    const state = kernel.init(new Float64Array([0, 0]));
    const rng = createRng(1);
    expect(() => kernel.step(rng, state, { stepSize: -1, inverseMassMatrix: new Float64Array([1, 1]) })).toThrow(
      /stepSize must be positive and finite — got -1/,
    );
    expect(() => kernel.step(rng, state, { stepSize: 0.1, inverseMassMatrix: new Float64Array([1]) })).toThrow(
      ShapeError,
    );
    expect(() => kernel.init(new Float64Array(3))).toThrow(ShapeError);
    const bad = funnelModel(1);
    expect(() => nuts.buildKernel(bad).init(new Float64Array([Number.NaN, 0]))).toThrow(
      /nuts: the log density is not finite at the initial position/,
    );
  });
});

describe("static hmc kernel", () => {
  it("leaves a correlated Gaussian invariant", () => {
    const kernel = hmc.buildKernel(gaussian2, { numSteps: 7, metric: "dense" });
    const { draws, infos } = run(kernel, { stepSize: 0.35, inverseMassMatrix: SIGMA }, 4);
    expectTargetMoments(draws);
    const accepted = infos.flat().filter((i) => i.isAccepted).length / (4 * 2500);
    expect(accepted).toBeGreaterThan(0.7);
    expect(infos.flat().every((i) => i.numSteps === 7)).toBe(true);
  });

  it("rejects and flags a divergent trajectory, keeping the same state object", () => {
    const kernel = hmc.buildKernel(funnelModel(5), { numSteps: 20, metric: "unit" });
    const rng = createRng(2);
    const state = kernel.init(new Float64Array([-5, 0.01, 0.02, -0.01, 0.03, 0]));
    const { state: next, info } = kernel.step(rng, state, { stepSize: 1.5 });
    expect(info.isDivergent).toBe(true);
    expect(info.isAccepted).toBe(false);
    expect(info.acceptStat).toBe(0);
    expect(next).toBe(state);
  });

  it("validates numSteps", () => {
    expect(() => hmc.buildKernel(gaussian2, { numSteps: 0 })).toThrow(/numSteps must be an integer ≥ 1/);
  });
});
