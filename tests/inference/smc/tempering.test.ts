import { describe, expect, it } from "vitest";
import { CapabilityError, DomainError } from "../../../src/core/errors.js";
import type { DensityModel } from "../../../src/inference/model/density_model.js";
import {
  type DensityCache,
  type TemperedMove,
  type TemperingTarget,
  tempering,
  temperedSmc,
  temperingTarget,
} from "../../../src/inference/smc/index.js";
import type { Rng } from "../../../src/core/rng.js";
import { createRng } from "../../../src/runtime/rng/index.js";

// Conjugate linear regression: θ ~ N(0, s²·I₃), y = Aθ + N(0, σ²·I₃₀). The evidence is
// N(y; 0, σ²I + s²AAᵀ) and every tempered target π_β ∝ p(θ)L(θ)^β is Gaussian with precision
// I/s² + βAᵀA/σ² and mean (that precision)⁻¹·βAᵀy/σ².
const D = 3;
const NOBS = 30;
const S = 2;
const SIGMA = 0.5;
const { A, y } = (() => {
  const rng = createRng("tempering-data");
  const A: number[][] = [];
  const y: number[] = [];
  const theta = [1, -0.5, 0.25];
  for (let i = 0; i < NOBS; i++) {
    const row = Array.from({ length: D }, () => rng.normal());
    A.push(row);
    y.push(row.reduce((s, a, k) => s + a * theta[k], 0) + SIGMA * rng.normal());
  }
  return { A, y };
})();

const LOG_2PI = Math.log(2 * Math.PI);
const target: TemperingTarget = {
  dimension: D,
  logPrior: (theta) => {
    let s = 0;
    for (let k = 0; k < D; k++) s += theta[k] * theta[k];
    return (-0.5 * s) / (S * S) - D * (Math.log(S) + 0.5 * LOG_2PI);
  },
  logLikelihood: (theta) => {
    let s = 0;
    for (let i = 0; i < NOBS; i++) {
      let r = y[i];
      for (let k = 0; k < D; k++) r -= A[i][k] * theta[k];
      s += r * r;
    }
    return (-0.5 * s) / (SIGMA * SIGMA) - NOBS * (Math.log(SIGMA) + 0.5 * LOG_2PI);
  },
  samplePrior: (rng, out) => {
    for (let k = 0; k < D; k++) out[k] = S * rng.normal();
    return out;
  },
};

/** Cholesky factor (lower, row-major arrays) of a small SPD matrix. */
function cholesky(M: number[][]): number[][] {
  const n = M.length;
  const L = M.map(() => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = M[i][j];
      for (let k = 0; k < j; k++) s -= L[i][k] * L[j][k];
      L[i][j] = i === j ? Math.sqrt(s) : s / L[j][j];
    }
  }
  return L;
}

function solveLower(L: number[][], b: number[]): number[] {
  const x = [...b];
  for (let i = 0; i < x.length; i++) {
    for (let k = 0; k < i; k++) x[i] -= L[i][k] * x[k];
    x[i] /= L[i][i];
  }
  return x;
}

function solveUpperT(L: number[][], b: number[]): number[] {
  const x = [...b];
  for (let i = x.length - 1; i >= 0; i--) {
    for (let k = i + 1; k < x.length; k++) x[i] -= L[k][i] * x[k];
    x[i] /= L[i][i];
  }
  return x;
}

/** Exact log evidence: log N(y; 0, σ²I + s²AAᵀ). */
function exactLogEvidence(): number {
  const C = A.map((ai, i) =>
    A.map((aj, j) => S * S * ai.reduce((s, a, k) => s + a * aj[k], 0) + (i === j ? SIGMA * SIGMA : 0)),
  );
  const L = cholesky(C);
  const z = solveLower(L, y);
  let logDet = 0;
  for (let i = 0; i < NOBS; i++) logDet += 2 * Math.log(L[i][i]);
  return -0.5 * (NOBS * LOG_2PI + logDet + z.reduce((s, v) => s + v * v, 0));
}

/** Mean and lower Cholesky factor of the covariance of π_β. */
function temperedGaussian(beta: number): { mean: number[]; covFactor: number[][] } {
  const P = Array.from({ length: D }, (_, a) =>
    Array.from(
      { length: D },
      (_, b) => (a === b ? 1 / (S * S) : 0) + (beta / (SIGMA * SIGMA)) * A.reduce((s, r) => s + r[a] * r[b], 0),
    ),
  );
  const b = Array.from({ length: D }, (_, a) => (beta / (SIGMA * SIGMA)) * A.reduce((s, r, i) => s + r[a] * y[i], 0));
  const L = cholesky(P);
  const mean = solveUpperT(L, solveLower(L, b));
  // Cov = P⁻¹ = L⁻ᵀL⁻¹: a factor is L⁻ᵀ, used as x = mean + L⁻ᵀz.
  const inv = Array.from({ length: D }, (_, j) =>
    solveUpperT(
      L,
      Array.from({ length: D }, (_, i) => (i === j ? 1 : 0)),
    ),
  );
  const covFactor = Array.from({ length: D }, (_, a) => Array.from({ length: D }, (_, j) => inv[j][a]));
  return { mean, covFactor };
}

function meanAndSd(values: number[]): { mean: number; sd: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1);
  return { mean, sd: Math.sqrt(variance) };
}

describe("tempered SMC on a conjugate Gaussian model", () => {
  const exact = exactLogEvidence();
  const posterior = temperedGaussian(1);

  /**
   * R = 12 independent runs. The log-evidence mean is compared with the exact value in units of
   * its SE (replicate sd/√R, 11 degrees of freedom) after adding sd²/2 (log Ẑ is biased down by
   * about half its variance); |t₁₁| > 5 has probability ~4e-4. The posterior means pooled over
   * the runs are compared the same way. The sd must also be small (< 0.5 nat), so the check has
   * power: a missing prior normaliser or a wrong reweighting exponent shifts log Ẑ by nats.
   * 0.02 nat is allowed on top for the O(1/N) bias of the adaptive schedule.
   */
  function check(results: { logEvidence: number; means: number[] }[]) {
    const R = results.length;
    const l = meanAndSd(results.map((r) => r.logEvidence));
    expect(l.sd).toBeLessThan(0.5);
    expect(Math.abs(l.mean + (l.sd * l.sd) / 2 - exact)).toBeLessThan(5 * (l.sd / Math.sqrt(R)) + 0.02);
    for (let k = 0; k < D; k++) {
      const m = meanAndSd(results.map((r) => r.means[k]));
      expect(Math.abs(m.mean - posterior.mean[k])).toBeLessThan(5 * (m.sd / Math.sqrt(R)));
    }
  }

  function particleMeans(particles: Float64Array): number[] {
    const n = particles.length / D;
    const means = new Array<number>(D).fill(0);
    for (let i = 0; i < n; i++) for (let k = 0; k < D; k++) means[k] += particles[i * D + k] / n;
    return means;
  }

  it("random-walk Metropolis moves: log evidence and posterior mean match the exact values", () => {
    const results = [];
    for (let s = 0; s < 12; s++) {
      const r = temperedSmc(createRng(`rwm-${s}`), { target, numParticles: 400, numMcmcSteps: 5 });
      results.push({ logEvidence: r.logEvidence, means: particleMeans(r.state.particles) });
      expect(r.temperatures[r.temperatures.length - 1]).toBe(1);
      for (let k = 1; k < r.temperatures.length; k++) expect(r.temperatures[k]).toBeGreaterThan(r.temperatures[k - 1]);
      // The adaptive schedule hits the conditional-ESS target exactly (weights are equal before
      // each reweighting, so ESS after it equals the conditional ESS) except at the final step.
      for (const info of r.infos.slice(0, -1)) expect(Math.abs(info.ess - 200)).toBeLessThan(1e-6 * 200);
      expect(r.infos.every((info) => info.acceptanceRate > 0.05)).toBe(true);
    }
    check(results);
  });

  it("a user move (exact independent draws from π_β) plugs in through the TemperedMove interface", () => {
    // Independence Metropolis with π_β itself as proposal accepts every draw.
    const exactMove: TemperedMove = {
      step(rng: Rng, position: Float64Array, cache: DensityCache, temperature: number): number {
        const { mean, covFactor } = temperedGaussian(temperature);
        const z = Array.from({ length: D }, () => rng.normal());
        for (let a = 0; a < D; a++) position[a] = mean[a] + covFactor[a].reduce((s, f, j) => s + f * z[j], 0);
        cache.logPrior = target.logPrior(position);
        cache.logLikelihood = target.logLikelihood(position);
        return 1;
      },
    };
    const results = [];
    for (let s = 0; s < 12; s++) {
      const r = temperedSmc(createRng(`exact-${s}`), { target, numParticles: 300, numMcmcSteps: 1, move: exactMove });
      results.push({ logEvidence: r.logEvidence, means: particleMeans(r.state.particles) });
    }
    check(results);
  });
});

describe("tempered SMC mechanics", () => {
  it("the kernel never mutates its state; at β = 1 a step only moves (no reweighting)", () => {
    const kernel = tempering.buildKernel({ target, numParticles: 100 });
    const rng = createRng(3);
    let state = kernel.init(rng);
    expect(state.temperature).toBe(0);
    while (state.temperature < 1) {
      const before = Float64Array.from(state.particles);
      const { state: next } = kernel.step(rng, state);
      expect(Array.from(state.particles)).toEqual(Array.from(before));
      state = next;
    }
    const { state: moved, info } = kernel.step(rng, state);
    expect(moved.temperature).toBe(1);
    expect(info.logEvidenceIncrement).toBe(0);
    expect(moved.logEvidence).toBe(state.logEvidence);
  });

  it("is reproducible from the seed; the diagonal random walk works too", () => {
    const a = temperedSmc(createRng(5), { target, numParticles: 100, randomWalk: { covariance: "diag" } });
    const b = temperedSmc(createRng(5), { target, numParticles: 100, randomWalk: { covariance: "diag" } });
    expect(a.logEvidence).toBe(b.logEvidence);
    expect(Array.from(a.state.particles)).toEqual(Array.from(b.state.particles));
  });

  it("temperingTarget adapts a DensityModel and refuses one without a prior/likelihood split", () => {
    const model = {
      dimension: D,
      discreteLatents: [],
      logDensity: (theta: Float64Array) => target.logPrior(theta) + target.logLikelihood(theta),
      logPrior: target.logPrior,
      logLikelihood: target.logLikelihood,
      samplePrior: (rng: Rng, out?: Float64Array) => target.samplePrior(rng, out ?? new Float64Array(D)),
    } as unknown as DensityModel;
    const adapted = temperingTarget(model);
    expect(adapted.dimension).toBe(D);
    const r = temperedSmc(createRng(1), { target: adapted, numParticles: 100 });
    expect(Number.isFinite(r.logEvidence)).toBe(true);
    const { logPrior: _, ...noSplit } = model as unknown as Record<string, unknown>;
    expect(() => temperingTarget(noSplit as unknown as DensityModel)).toThrow(CapabilityError);
    const discrete = { ...model, discreteLatents: ["k"] } as DensityModel;
    expect(() => temperedSmc(createRng(1), { target: temperingTarget(discrete), numParticles: 10 })).toThrow(
      /latent 'k' is discrete/,
    );
  });

  it("refuses invalid choices and NaN densities", () => {
    expect(() => temperedSmc(createRng(1), { target, numParticles: 1 })).toThrow(DomainError);
    expect(() => temperedSmc(createRng(1), { target, numParticles: 10, targetEss: 1 })).toThrow(/targetEss/);
    const nan: TemperingTarget = { ...target, logLikelihood: () => Number.NaN };
    expect(() => temperedSmc(createRng(1), { target: nan, numParticles: 10 })).toThrow(/logLikelihood/);
    expect(() => temperedSmc(createRng(1), { target, numParticles: 50 }, { maxSteps: 1 })).toThrow(/maxSteps/);
  });
});
