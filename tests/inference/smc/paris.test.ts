import { describe, expect, it } from "vitest";
import { DomainError } from "../../../src/core/errors.js";
import { type AdditiveFunctional, parisSmoother, type StateSpaceModel } from "../../../src/inference/smc/index.js";
import { createRng } from "../../../src/runtime/rng/index.js";
import { type Ar1Params, ar1Model, ar1OptimalProposal, ar1Spec, kalman, simulateAr1 } from "./kalman.js";

const AR1: Ar1Params = { phi: 0.9, q: 0.5, r: 0.5, s0: 1 };
const T = 30;
const { y } = simulateAr1(createRng("paris-data"), AR1, T);
const model = ar1Model(AR1, y);
const exact = kalman(ar1Spec(AR1), y);

/** h = (x_0, …, x_{T−1}, Σ_{t≥1} x_{t−1}·x_t): every smoothed mean and one pairwise functional. */
const functional: AdditiveFunctional = {
  dimension: T + 1,
  initial: (x, out) => {
    out.fill(0);
    out[0] = x[0];
  },
  increment: (prev, x, t, out) => {
    out.fill(0);
    out[t] = x[0];
    out[T] = prev[0] * x[0];
  },
};

/** Exact E[h | y]: RTS means and Σ (m_{t−1} m_t + Cov(x_{t−1}, x_t | y)). */
function exactFunctional(): number[] {
  const truth = exact.smoothedMeans.map((m) => m[0]);
  let cross = 0;
  for (let t = 1; t < T; t++) {
    cross += exact.smoothedMeans[t - 1][0] * exact.smoothedMeans[t][0] + exact.smoothedLagCovs[t - 1][0][0];
  }
  truth.push(cross);
  return truth;
}

/** Sample sd of each coordinate over replicate estimates. */
function replicateStats(estimates: Float64Array[]) {
  const R = estimates.length;
  const m = estimates[0].length;
  const mean = new Float64Array(m);
  const se = new Float64Array(m);
  for (const e of estimates) for (let k = 0; k < m; k++) mean[k] += e[k] / R;
  for (const e of estimates) for (let k = 0; k < m; k++) se[k] += (e[k] - mean[k]) ** 2 / (R - 1);
  for (let k = 0; k < m; k++) se[k] = Math.sqrt(se[k] / R);
  return { mean, se };
}

describe("PaRIS smoother against the RTS smoother", () => {
  const truth = exactFunctional();
  const smoothSd = exact.smoothedCovs.map((P) => Math.sqrt(P[0][0]));

  /**
   * R = 20 independent runs; per coordinate, the replicate mean vs the exact value in units of
   * its SE (replicate sd/√20, 19 degrees of freedom): |t| > 5.5 has probability ~3e-5, so 31
   * coordinates fail together with probability < 1e-3 for a correct smoother. PaRIS's O(1/N)
   * bias at N = 300 is well below the SE. The SE must also be small (≤ 5% of the posterior sd
   * for the means), so the test could not pass with a noisy or degenerate estimator.
   */
  function checkAgainstTruth(estimates: Float64Array[]) {
    const { mean, se } = replicateStats(estimates);
    for (let k = 0; k < T + 1; k++) {
      expect(Math.abs(mean[k] - truth[k])).toBeLessThan(5.5 * se[k]);
      if (k < T) expect(se[k]).toBeLessThan(0.05 * smoothSd[k]);
    }
  }

  it("accept–reject backward sampling (bounded transition density)", () => {
    const estimates: Float64Array[] = [];
    let meanTrials = 0;
    for (let s = 0; s < 20; s++) {
      const r = parisSmoother(createRng(`paris-ar-${s}`), functional, { model, numParticles: 300 });
      estimates.push(r.smoothed);
      meanTrials += r.meanTrials / 20;
      expect(r.numExact).toBeLessThan(0.2 * 300 * (T - 1));
    }
    expect(meanTrials).toBeGreaterThan(1);
    checkAgainstTruth(estimates);
  });

  it("exact backward kernels when the transition declares no bound", () => {
    const { logDensityBound: _, ...unbounded } = model.transition;
    const noBound: StateSpaceModel = { ...model, transition: unbounded };
    const estimates: Float64Array[] = [];
    for (let s = 0; s < 20; s++) {
      const r = parisSmoother(createRng(`paris-exact-${s}`), functional, { model: noBound, numParticles: 200 });
      expect(r.numExact).toBe(200 * (T - 1));
      expect(r.meanTrials).toBe(0);
      estimates.push(r.smoothed);
    }
    const { mean, se } = replicateStats(estimates);
    for (let k = 0; k < T + 1; k++) expect(Math.abs(mean[k] - truth[k])).toBeLessThan(5.5 * se[k]);
  });

  it("with a guided auxiliary proposal and online estimates", () => {
    const estimates: Float64Array[] = [];
    for (let s = 0; s < 20; s++) {
      const r = parisSmoother(createRng(`paris-guided-${s}`), functional, {
        model,
        numParticles: 200,
        proposal: ar1OptimalProposal(AR1, y),
        recordAll: true,
      });
      const online = r.online as Float64Array;
      expect(Array.from(online.subarray((T - 1) * (T + 1)))).toEqual(Array.from(r.smoothed));
      estimates.push(r.smoothed);
    }
    checkAgainstTruth(estimates);
  });
});

describe("PaRIS mechanics", () => {
  it("is reproducible from the seed", () => {
    const a = parisSmoother(createRng(3), functional, { model, numParticles: 50 });
    const b = parisSmoother(createRng(3), functional, { model, numParticles: 50 });
    expect(Array.from(a.smoothed)).toEqual(Array.from(b.smoothed));
  });

  it("refuses a transition density above its declared bound, and invalid choices", () => {
    const wrong: StateSpaceModel = { ...model, transition: { ...model.transition, logDensityBound: () => -5 } };
    expect(() => parisSmoother(createRng(1), functional, { model: wrong, numParticles: 50 })).toThrow(
      /exceeds its declared bound/,
    );
    expect(() => parisSmoother(createRng(1), functional, { model, numParticles: 50, numBackward: 0 })).toThrow(
      DomainError,
    );
    const bad: AdditiveFunctional = { ...functional, increment: (_p, _x, _t, out) => out.fill(Number.NaN) };
    expect(() => parisSmoother(createRng(1), bad, { model, numParticles: 20 })).toThrow(/non-finite value at time 1/);
  });
});
