import { describe, expect, it } from "vitest";
import { DomainError, ShapeError } from "../../../src/core/errors.js";
import { essMean, mcseMean, pooledMean } from "../../../src/inference/diagnostics/index.js";
import {
  conditionalSmc,
  type ParameterMove,
  type ParticleGibbsChoices,
  particleGibbs,
} from "../../../src/inference/smc/index.js";
import type { Rng } from "../../../src/core/rng.js";
import { createRng } from "../../../src/runtime/rng/index.js";
import { type Ar1Params, ar1Model, ar1Spec, kalman, type LinearGaussianSpec, simulateAr1 } from "./kalman.js";

const AR1: Ar1Params = { phi: 0.9, q: 0.5, r: 0.5, s0: 1 };

/** Runs `numChains` particle Gibbs chains; returns per-chain draws of each trajectory coordinate and θ. */
function runChains(
  choices: ParticleGibbsChoices,
  theta0: Float64Array,
  numChains: number,
  numDraws: number,
  seed: string,
) {
  const kernel = particleGibbs.buildKernel(choices);
  const root = createRng(seed);
  const T = choices.model(theta0).numTimeSteps;
  const trajectory: Float64Array[][] = Array.from({ length: T }, () => []);
  const parameters: Float64Array[][] = Array.from({ length: theta0.length }, () => []);
  const updateRates: number[] = [];
  for (let c = 0; c < numChains; c++) {
    const rng = root.split();
    let state = kernel.init(rng, theta0);
    for (let s = 0; s < 50; s++) state = kernel.step(rng, state).state; // burn-in
    const x = Array.from({ length: T }, () => new Float64Array(numDraws));
    const th = Array.from({ length: theta0.length }, () => new Float64Array(numDraws));
    for (let s = 0; s < numDraws; s++) {
      const { state: next, info } = kernel.step(rng, state);
      state = next;
      updateRates.push(info.updateRate);
      for (let t = 0; t < T; t++) x[t][s] = state.trajectory[t];
      for (let k = 0; k < theta0.length; k++) th[k][s] = state.parameters[k];
    }
    for (let t = 0; t < T; t++) trajectory[t].push(x[t]);
    for (let k = 0; k < theta0.length; k++) parameters[k].push(th[k]);
  }
  return { trajectory, parameters, updateRates };
}

/**
 * Mean and second central moment of `chains` against the truth, each within 5 MCSE (MCSE =
 * sd/√ESS with the diagnostics' ESS of the mean): a correct sampler fails one check with
 * probability ~6e-7, i.e. < 1e-4 over the ~100 checks of a test.
 */
function expectMoments(chains: Float64Array[], mean: number, variance: number) {
  expect(Math.abs(pooledMean(chains) - mean)).toBeLessThan(5 * mcseMean(chains));
  const squared = chains.map((c) => c.map((v) => (v - mean) ** 2));
  expect(Math.abs(pooledMean(squared) - variance)).toBeLessThan(5 * mcseMean(squared));
}

describe("particle Gibbs with ancestor sampling against the RTS smoother", () => {
  it("latent trajectory: smoothed means and variances of every x_t within MCSE", () => {
    const T = 50;
    const { y } = simulateAr1(createRng("pg-data"), AR1, T);
    const exact = kalman(ar1Spec(AR1), y);
    const { trajectory, updateRates } = runChains(
      { model: () => ar1Model(AR1, y), numParticles: 20 },
      new Float64Array(0),
      2,
      1500,
      "pg-chains",
    );
    for (let t = 0; t < T; t++) expectMoments(trajectory[t], exact.smoothedMeans[t][0], exact.smoothedCovs[t][0][0]);
    // Ancestor sampling keeps even x_0 moving with N = 20: the ESS of every coordinate is large,
    // so the MCSE checks above are tight (not vacuous).
    for (let t = 0; t < T; t++) expect(essMean(trajectory[t])).toBeGreaterThan(200);
    const meanRate = updateRates.reduce((a, b) => a + b, 0) / updateRates.length;
    expect(meanRate).toBeGreaterThan(0.5);
  });

  it("without ancestor sampling (original particle Gibbs) the invariant law is the same", () => {
    const T = 10;
    const { y } = simulateAr1(createRng("pg-noas-data"), AR1, T);
    const exact = kalman(ar1Spec(AR1), y);
    const { trajectory } = runChains(
      { model: () => ar1Model(AR1, y), numParticles: 30, ancestorSampling: false },
      new Float64Array(0),
      2,
      1500,
      "pg-noas",
    );
    for (let t = 0; t < T; t++) expectMoments(trajectory[t], exact.smoothedMeans[t][0], exact.smoothedCovs[t][0][0]);
  });

  it("with a parameter move: the offset μ in y_t = x_t + μ + noise matches the augmented Kalman smoother", () => {
    // φ = 0.5: with φ = 0.9 the level of x and μ are so confounded that the Gibbs pair (x | μ,
    // μ | x) mixes slowly (ESS ≈ 15 per 2000 sweeps) and the MCSE itself becomes unreliable.
    const AR = { ...AR1, phi: 0.5 };
    const T = 40;
    const muPriorSd = 1;
    const truthMu = 0.7;
    const { y } = simulateAr1(createRng("pg-mu-data"), { ...AR, mu: truthMu }, T);
    // Exact posterior of μ: the augmented state (x_t, μ) with μ constant is linear-Gaussian.
    const augmented: LinearGaussianSpec = {
      F: [
        [AR.phi, 0],
        [0, 1],
      ],
      Q: [
        [AR.q ** 2, 0],
        [0, 0],
      ],
      H: [1, 1],
      R: AR.r ** 2,
      m0: [0, 0],
      P0: [
        [AR.s0 ** 2, 0],
        [0, muPriorSd ** 2],
      ],
    };
    const exact = kalman(augmented, y);
    // Conjugate Gibbs draw of μ given the trajectory: y_t − x_t = μ + r·ν.
    const moveMu: ParameterMove = (rng: Rng, x: Float64Array) => {
      let sum = 0;
      for (let t = 0; t < T; t++) sum += y[t] - x[t];
      const precision = 1 / muPriorSd ** 2 + T / AR.r ** 2;
      return new Float64Array([sum / AR.r ** 2 / precision + rng.normal() / Math.sqrt(precision)]);
    };
    const { parameters, trajectory } = runChains(
      { model: (theta) => ar1Model({ ...AR, mu: theta[0] }, y), numParticles: 20, parameterMove: moveMu },
      new Float64Array([0]),
      2,
      2000,
      "pg-mu",
    );
    expectMoments(parameters[0], exact.smoothedMeans[0][1], exact.smoothedCovs[0][1][1]);
    for (const t of [0, 20, 39]) expectMoments(trajectory[t], exact.smoothedMeans[t][0], exact.smoothedCovs[t][0][0]);
    expect(essMean(parameters[0])).toBeGreaterThan(150);
  });
});

describe("particle Gibbs mechanics", () => {
  const { y } = simulateAr1(createRng("pg-mech"), AR1, 20);
  const model = ar1Model(AR1, y);

  it("is reproducible, never mutates its input state, and reports an update rate in [0, 1]", () => {
    const kernel = particleGibbs.buildKernel({ model: () => model, numParticles: 10 });
    const a = kernel.init(createRng(1), new Float64Array(0));
    const b = kernel.init(createRng(1), new Float64Array(0));
    expect(Array.from(a.trajectory)).toEqual(Array.from(b.trajectory));
    const before = Float64Array.from(a.trajectory);
    const stepA = kernel.step(createRng(2), a);
    const stepB = kernel.step(createRng(2), a);
    expect(Array.from(a.trajectory)).toEqual(Array.from(before));
    expect(Array.from(stepA.state.trajectory)).toEqual(Array.from(stepB.state.trajectory));
    expect(stepA.info.updateRate).toBeGreaterThanOrEqual(0);
    expect(stepA.info.updateRate).toBeLessThanOrEqual(1);
    expect(stepA.info.meanEss).toBeGreaterThan(1);
  });

  it("init takes a given trajectory; conditionalSmc runs one sweep from it", () => {
    const kernel = particleGibbs.buildKernel({ model: () => model, numParticles: 10 });
    const start = new Float64Array(20).fill(0.25);
    const state = kernel.init(createRng(1), new Float64Array(0), start);
    expect(Array.from(state.trajectory)).toEqual(Array.from(start));
    const sweep = conditionalSmc(createRng(3), model, start, { numParticles: 10 });
    expect(sweep.trajectory.length).toBe(20);
    expect(sweep.updateRate).toBeGreaterThan(0);
    // With N = 2 and no ancestor sampling the output often stays the reference at early times.
    const sticky = conditionalSmc(createRng(3), model, start, { numParticles: 2, ancestorSampling: false });
    expect(sticky.trajectory.some((v, t) => v === start[t])).toBe(true);
  });

  it("refuses invalid choices, mis-sized trajectories and bad parameter moves", () => {
    expect(() => particleGibbs.buildKernel({ model: () => model, numParticles: 1 })).toThrow(DomainError);
    const kernel = particleGibbs.buildKernel({ model: () => model, numParticles: 5 });
    expect(() => kernel.init(createRng(1), new Float64Array(0), new Float64Array(3))).toThrow(ShapeError);
    const badMove = particleGibbs.buildKernel({
      model: () => model,
      numParticles: 5,
      parameterMove: () => new Float64Array([Number.NaN]),
    });
    const state = badMove.init(createRng(1), new Float64Array([0]));
    expect(() => badMove.step(createRng(1), state)).toThrow(/parameter 0 is not finite/);
    expect(() => conditionalSmc(createRng(1), model, undefined, { numParticles: 1 })).toThrow(DomainError);
  });
});
