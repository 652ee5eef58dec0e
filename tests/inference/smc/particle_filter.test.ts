import { describe, expect, it } from "vitest";
import { DomainError, ShapeError } from "../../../src/core/errors.js";
import {
  ancestralPath,
  filter,
  particleFilter,
  RESAMPLING_SCHEMES,
  type ResamplingScheme,
  type StateSpaceModel,
} from "../../../src/inference/smc/index.js";
import { createRng } from "../../../src/runtime/rng/index.js";
import {
  type Ar1Params,
  ar1Model,
  ar1OptimalProposal,
  ar1Spec,
  diagonalLinearGaussianModel,
  kalman,
  type LinearGaussianSpec,
  simulateAr1,
} from "./kalman.js";

// The webppl-bench model: AR(1) latent with φ = 0.9 and process sd 0.5, observation sd 0.5.
const AR1: Ar1Params = { phi: 0.9, q: 0.5, r: 0.5, s0: 1 };
const SCHEMES = Object.keys(RESAMPLING_SCHEMES) as ResamplingScheme[];

function meanAndSd(values: number[]): { mean: number; sd: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1);
  return { mean, sd: Math.sqrt(variance) };
}

describe("particle filter against the Kalman filter", () => {
  const short = simulateAr1(createRng("short"), AR1, 10).y;
  const shortModel = ar1Model(AR1, short);
  const shortExact = kalman(ar1Spec(AR1), short).logEvidence;

  for (const scheme of SCHEMES) {
    for (const guided of [false, true]) {
      it(`${scheme}, ${guided ? "fully adapted auxiliary" : "bootstrap"}: E[Ẑ] = Z (unbiased evidence)`, () => {
        // R = 1500 independent runs with N = 30 on T = 10. The ratios Ẑ/Z have mean 1 if the
        // estimator is unbiased; their sample mean has SE sd/√R (≈ 0.017 bootstrap, 0.008
        // guided), and with N = 30 the ratios are light-tailed (max ≈ 7), so the CLT applies.
        // 4.5 SE: a correct filter fails with probability ~7e-6; forgetting the −log N of a
        // resampling step or the look-ahead correction moves the mean by far more.
        const proposal = guided ? ar1OptimalProposal(AR1, short) : undefined;
        const ratios: number[] = [];
        for (let s = 0; s < 1500; s++) {
          const rng = createRng(`unbiased-${s}`);
          const r = particleFilter(rng, {
            model: shortModel,
            numParticles: 30,
            resampling: scheme,
            proposal,
            history: "none",
          });
          ratios.push(Math.exp(r.logEvidence - shortExact));
        }
        const { mean, sd } = meanAndSd(ratios);
        expect(Math.abs(mean - 1)).toBeLessThan(4.5 * (sd / Math.sqrt(ratios.length)));
      });
    }
  }

  it("T = 100 (webppl-bench model): log-evidence within a few sd of the exact value", () => {
    const { y } = simulateAr1(createRng("long"), AR1, 100);
    const model = ar1Model(AR1, y);
    const exact = kalman(ar1Spec(AR1), y).logEvidence;
    const estimates: number[] = [];
    for (let s = 0; s < 20; s++) {
      estimates.push(
        particleFilter(createRng(`long-${s}`), { model, numParticles: 1000, history: "none" }).logEvidence,
      );
    }
    const { mean, sd } = meanAndSd(estimates);
    // Each run: within 4 sd of the truth. The mean of 20: log Ẑ is biased down by ≈ σ²/2 (a
    // lognormal with E[Ẑ] = Z), so mean + sd²/2 must be within 4 SE (sd/√20) of log Z.
    for (const e of estimates) expect(Math.abs(e - exact)).toBeLessThan(4 * sd);
    expect(Math.abs(mean + (sd * sd) / 2 - exact)).toBeLessThan(4 * (sd / Math.sqrt(estimates.length)));
    // And the estimator is not vacuous: with N = 1000 its sd is a fraction of a nat.
    expect(sd).toBeLessThan(0.6);
  });

  it("filtering means and variances match the Kalman filter within Monte Carlo error", () => {
    const T = 50;
    const { y } = simulateAr1(createRng("filtering"), AR1, T);
    const model = ar1Model(AR1, y);
    const exact = kalman(ar1Spec(AR1), y);
    const R = 40;
    const means: number[][] = Array.from({ length: T }, () => []);
    const variances: number[][] = Array.from({ length: T }, () => []);
    for (let s = 0; s < R; s++) {
      const r = particleFilter(createRng(`filtering-${s}`), { model, numParticles: 250, history: "none" });
      for (let t = 0; t < T; t++) {
        means[t].push(r.filteringMeans[t]);
        variances[t].push(r.filteringVariances[t]);
      }
    }
    // Per time: the mean over R = 40 runs vs the exact value, in units of its SE (replicate
    // sd/√R, 39 degrees of freedom). |t| > 5.5 has probability ~3e-6 per time; the filter's
    // O(1/N) bias is ≈ 0.004 posterior sd, a fraction of the SE (≈ 0.015 posterior sd).
    // The weighted variance estimate is biased by a factor ≈ (1 − 1/ESS): 1% of the exact
    // variance is allowed on top.
    for (let t = 0; t < T; t++) {
      const m = meanAndSd(means[t]);
      const v = meanAndSd(variances[t]);
      const P = exact.filteredCovs[t][0][0];
      expect(Math.abs(m.mean - exact.filteredMeans[t][0])).toBeLessThan(5.5 * (m.sd / Math.sqrt(R)));
      expect(Math.abs(v.mean - P)).toBeLessThan(5.5 * (v.sd / Math.sqrt(R)) + 0.01 * P);
      // Not vacuous: the SE is a small fraction of the posterior sd.
      expect(m.sd / Math.sqrt(R)).toBeLessThan(0.05 * Math.sqrt(P));
    }
  });

  it("a two-dimensional state: evidence and filtering means of every coordinate", () => {
    const spec: LinearGaussianSpec = {
      F: [
        [0.8, 0.3],
        [0, 0.7],
      ],
      Q: [
        [0.3 ** 2, 0],
        [0, 0.4 ** 2],
      ],
      H: [1, 0.5],
      R: 0.4 ** 2,
      m0: [0, 0.5],
      P0: [
        [1, 0],
        [0, 0.5],
      ],
    };
    const T = 30;
    const rng = createRng("2d-data");
    const y: number[] = [];
    let x = [spec.m0[0] + rng.normal(), spec.m0[1] + Math.sqrt(0.5) * rng.normal()];
    for (let t = 0; t < T; t++) {
      if (t > 0) x = [0.8 * x[0] + 0.3 * x[1] + 0.3 * rng.normal(), 0.7 * x[1] + 0.4 * rng.normal()];
      y.push(x[0] + 0.5 * x[1] + 0.4 * rng.normal());
    }
    const model = diagonalLinearGaussianModel(spec, y);
    const exact = kalman(spec, y);
    const R = 30;
    const logs: number[] = [];
    const means: number[][] = Array.from({ length: 2 * T }, () => []);
    for (let s = 0; s < R; s++) {
      const r = particleFilter(createRng(`2d-${s}`), { model, numParticles: 300, history: "none" });
      logs.push(r.logEvidence);
      for (let k = 0; k < 2 * T; k++) means[k].push(r.filteringMeans[k]);
    }
    const l = meanAndSd(logs);
    // Same reasoning as the scalar tests: bias-corrected mean log-evidence within 4.5 SE, and
    // each filtering mean within 5.5 replicate SE (29 degrees of freedom).
    expect(Math.abs(l.mean + (l.sd * l.sd) / 2 - exact.logEvidence)).toBeLessThan(4.5 * (l.sd / Math.sqrt(R)));
    for (let t = 0; t < T; t++) {
      for (let k = 0; k < 2; k++) {
        const m = meanAndSd(means[2 * t + k]);
        expect(Math.abs(m.mean - exact.filteredMeans[t][k])).toBeLessThan(5.5 * (m.sd / Math.sqrt(R)));
      }
    }
  });
});

describe("particle filter mechanics", () => {
  const { y } = simulateAr1(createRng("mechanics"), AR1, 40);
  const model = ar1Model(AR1, y);

  it("resamples exactly when the ESS falls below threshold · N", () => {
    for (const threshold of [0, 0.3, 0.5, 0.9, 1]) {
      const r = particleFilter(createRng(4), { model, numParticles: 200, resampleThreshold: threshold });
      expect(r.resampled[0]).toBe(0);
      for (let t = 1; t < y.length; t++) {
        const expected = threshold >= 1 || r.ess[t - 1] < threshold * 200 ? 1 : 0;
        expect(r.resampled[t]).toBe(expected);
      }
      const count = r.resampled.reduce((a, b) => a + b, 0);
      if (threshold === 0) expect(count).toBe(0);
      if (threshold === 1) expect(count).toBe(y.length - 1);
    }
  });

  it("reports consistent outputs: increments sum to the evidence, ESS in [1, N], normalised final weights", () => {
    const r = particleFilter(createRng(5), { model, numParticles: 100 });
    expect(r.logEvidenceIncrements.reduce((a, b) => a + b, 0)).toBeCloseTo(r.logEvidence, 9);
    for (const e of r.ess) {
      expect(e).toBeGreaterThanOrEqual(1 - 1e-12);
      expect(e).toBeLessThanOrEqual(100 + 1e-9);
    }
    expect(r.logWeights.reduce((a, b) => a + Math.exp(b), 0)).toBeCloseTo(1, 12);
    expect(r.ancestors?.length).toBe(40 * 100);
    expect(r.ancestors?.[0]).toBe(-1);
    expect(r.particleHistory).toBeUndefined();
  });

  it("is reproducible from the seed and differs between seeds", () => {
    const a = particleFilter(createRng(11), { model, numParticles: 100 });
    const b = particleFilter(createRng(11), { model, numParticles: 100 });
    const c = particleFilter(createRng(12), { model, numParticles: 100 });
    expect(a.logEvidence).toBe(b.logEvidence);
    expect(Array.from(a.filteringMeans)).toEqual(Array.from(b.filteringMeans));
    expect(Array.from(a.ancestors ?? [])).toEqual(Array.from(b.ancestors ?? []));
    expect(c.logEvidence).not.toBe(a.logEvidence);
  });

  it("ancestralPath follows the recorded ancestry back from a final particle", () => {
    const r = particleFilter(createRng(6), { model, numParticles: 50, history: "particles", resampleThreshold: 1 });
    const ancestors = r.ancestors as Int32Array;
    const history = r.particleHistory as Float64Array;
    const path = ancestralPath(r, 7);
    expect(path[39]).toBe(r.particles[7]);
    let i = 7;
    for (let t = 39; t >= 0; t--) {
      expect(path[t]).toBe(history[t * 50 + i]);
      if (t > 0) i = ancestors[t * 50 + i];
    }
    const noHistory = particleFilter(createRng(6), { model, numParticles: 50 });
    expect(() => ancestralPath(noHistory, 0)).toThrow(/history/);
    expect(() => ancestralPath(r, 50)).toThrow(ShapeError);
  });

  it("the online kernel reproduces particleFilter step by step and never mutates its input", () => {
    const choices = { model, numParticles: 100, resampling: "stratified" as const };
    const batch = particleFilter(createRng(8), choices);
    const kernel = filter.buildKernel(choices);
    const rng = createRng(8);
    let state = kernel.init(rng);
    for (let t = 1; t < y.length; t++) {
      const before = Float64Array.from(state.particles);
      const { state: next, info } = kernel.step(rng, state);
      expect(Array.from(state.particles)).toEqual(Array.from(before));
      expect(next.time).toBe(t);
      expect(info.filteringMean[0]).toBe(batch.filteringMeans[t]);
      expect(info.ess).toBe(batch.ess[t]);
      state = next;
    }
    expect(state.logEvidence).toBe(batch.logEvidence);
    expect(() => kernel.step(rng, state)).toThrow(/no time step left/);
  });

  it("refuses NaN log weights, all-zero weights and invalid choices with the sprig message format", () => {
    const nanModel: StateSpaceModel = { ...model, observation: { logDensity: (_x, t) => (t === 3 ? Number.NaN : 0) } };
    expect(() => particleFilter(createRng(1), { model: nanModel, numParticles: 10 })).toThrow(
      /particleFilter: the log weight of particle 0 at time 3 .* — got NaN/,
    );
    const impossible: StateSpaceModel = {
      ...model,
      observation: { logDensity: (_x, t) => (t === 2 ? Number.NEGATIVE_INFINITY : 0) },
    };
    expect(() => particleFilter(createRng(1), { model: impossible, numParticles: 10 })).toThrow(
      /every particle has zero weight at time 2/,
    );
    expect(() => particleFilter(createRng(1), { model, numParticles: 0 })).toThrow(DomainError);
    expect(() => particleFilter(createRng(1), { model, numParticles: 10, resampleThreshold: 2 })).toThrow(
      /resampleThreshold out of range/,
    );
    expect(() => particleFilter(createRng(1), { model: { ...model, stateDimension: 0 }, numParticles: 10 })).toThrow(
      /stateDimension/,
    );
  });
});
