/**
 * Classic sparse Bayesian learning by EM (Tipping 2001; Wipf & Rao 2004), real or circular
 * complex, with noise-variance learning and pruning.
 *
 * Prior x_i ~ N(0, γ_i) (complex: CN(0, γ_i)). One step is the M-step from the current posterior
 * followed by the exact E-step at the new hyper-parameters:
 *
 *     γ_i ← |μ_i|² + Σ_ii                       (EM; the type-II likelihood never decreases)
 *     γ_i ← |μ_i|² / (1 − Σ_ii/γ_i)             (MacKay's fixed point, option `update: 'mackay'`)
 *     σ² ← (‖y − Aμ‖² + σ² Σ_i (1 − Σ_ii/γ_i)) / m   (EM; MacKay: ‖y − Aμ‖² / (m − Σ_i(1 − Σ_ii/γ_i)))
 *
 * and γ_i below `pruneThreshold · max γ` are set to 0 for good, so later E-steps only see the
 * active columns. The E-step (`DenseEStep`) picks the x-space or y-space form by flop count.
 *
 * A complex problem runs as the equivalent real one: with A = A_r + i A_i, the real embedding
 * [y_r; y_i] = [[A_r, −A_i], [A_i, A_r]] [x_r; x_i] + e has e ~ N(0, σ²/2 I) and
 * x_r,i, x_i,i ~ N(0, γ_i/2). Its posterior is the embedding of the complex posterior and its log
 * density equals the circular complex log density, so the updates above are unchanged.
 *
 * @module
 */
import { CapabilityError } from "../../core/errors.js";
import { activeKernels } from "../../runtime/kernel_provider.js";
import {
  autoGamma,
  DEFAULT_NOISE_FLOOR,
  evidenceChange,
  prune,
  relativeChange,
  updateNoise,
  ZERO_DATA_WARNING,
  zeroDataState,
} from "./common.js";
import { DenseEStep, type DenseMoments } from "./dense_estep.js";
import { denseDictionary, type NormalizedProblem, normalizeProblem } from "./problem.js";
import type { SblChoices, SblInfo, SblKernel, SblProblem, SblState } from "./types.js";

/**
 * The real matrix and data the dense E-step works on: the dictionary itself, or the real
 * embedding of a complex one (2m × 2n, [[A_r, −A_i], [A_i, A_r]], y → [y_r; y_i]).
 *
 * @example
 * ```ts
 * const { A, rows, cols, y } = realForm(p);
 * ```
 */
export function realForm(p: NormalizedProblem): { A: Float64Array; rows: number; cols: number; y: Float64Array } {
  const dense = denseDictionary(p);
  const { m, n } = p;
  if (!p.complex) return { A: dense, rows: m, cols: n, y: p.y };
  const N = 2 * n;
  const A = new Float64Array(2 * m * N);
  for (let i = 0; i < m; i++) {
    const top = i * N;
    const bottom = (m + i) * N;
    for (let j = 0; j < n; j++) {
      const re = dense[2 * (i * n + j)];
      const im = dense[2 * (i * n + j) + 1];
      A[top + j] = re;
      A[top + n + j] = -im;
      A[bottom + j] = im;
      A[bottom + n + j] = re;
    }
  }
  const y = new Float64Array(2 * m);
  for (let i = 0; i < m; i++) {
    y[i] = p.y[2 * i];
    y[m + i] = p.y[2 * i + 1];
  }
  return { A, rows: 2 * m, cols: N, y };
}

/**
 * Per-problem scratch of a dense diagonal-prior kernel.
 *
 * @example
 * ```ts
 * const state = bindDiagonal(p, "auto").evaluate(gamma, active, 0.01, 0);
 * ```
 */
export interface DiagonalBinding {
  readonly p: NormalizedProblem;
  readonly estep: DenseEStep;
  /** ‖A‖²_F (for the automatic initial γ). */
  readonly frobenius2: number;
  /**
   * Runs the E-step for prior variances `gamma` on `active` and noise σ², and assembles the state
   * (with `extra` merged into the state's extra).
   */
  evaluate(
    gamma: Float64Array,
    active: Int32Array,
    sigma2: number,
    iteration: number,
    extra?: SblState["extra"],
  ): SblState;
}

/**
 * Binds a validated problem with a diagonal prior (ARD, PC-SBL) to a dense E-step and returns
 * the state builder both kernels use.
 *
 * @example
 * ```ts
 * const bound = bindDiagonal(p, "auto");
 * const state0 = bound.evaluate(gamma0, active0, p.noiseVariance, 0);
 * ```
 */
export function bindDiagonal(p: NormalizedProblem, form: "auto" | "primal" | "dual"): DiagonalBinding {
  const { A, rows, cols, y } = realForm(p);
  const estep = new DenseEStep(activeKernels(), A, rows, cols, y);
  let frobenius2 = 0;
  for (let i = 0; i < A.length; i++) frobenius2 += A[i] * A[i];
  if (p.complex) frobenius2 /= 2;
  const n = p.n;
  const c = p.complex ? 2 : 1;
  const out: DenseMoments = {
    mean: new Float64Array(c * n),
    cov: new Float64Array(c * n),
    logEvidence: 0,
    residual2: 0,
    trace: 0,
    form: "dual",
  };
  return {
    p,
    estep,
    frobenius2,
    evaluate(gamma, active, sigma2, iteration, extra) {
      const k = active.length;
      const colsS = new Int32Array(c * k);
      const factor = new Float64Array(c * k);
      for (let q = 0; q < k; q++) {
        const i = active[q];
        const g = gamma[i];
        colsS[q] = i;
        factor[q] = Math.sqrt(g / c);
        if (c === 2) {
          colsS[k + q] = n + i;
          factor[k + q] = factor[q];
        }
      }
      estep.run({ cols: colsS, factor }, sigma2 / c, form, out);
      const mean = new Float64Array(c * n);
      const varianceDiag = new Float64Array(n);
      for (let q = 0; q < k; q++) {
        const i = active[q];
        if (c === 1) {
          mean[i] = out.mean[q];
          varianceDiag[i] = out.cov[q];
        } else {
          mean[2 * i] = out.mean[q];
          mean[2 * i + 1] = out.mean[k + q];
          varianceDiag[i] = out.cov[q] + out.cov[k + q];
        }
      }
      return {
        iteration,
        gamma,
        active,
        noiseVariance: sigma2,
        mean,
        varianceDiag,
        logEvidence: out.logEvidence,
        residual2: out.residual2,
        effectiveParameters: out.trace / c,
        done: false,
        extra: { ...extra, form: out.form },
      };
    },
  };
}

/**
 * The full posterior covariance on `state.active` for a diagonal-prior binding (k × k, or 2·k·k
 * interleaved Hermitian for complex problems).
 *
 * @example
 * ```ts
 * const S = diagonalCovariance(bound, state);
 * ```
 */
export function diagonalCovariance(bound: DiagonalBinding, state: SblState): Float64Array {
  const { p, estep } = bound;
  const active = state.active;
  const k = active.length;
  const c = p.complex ? 2 : 1;
  const cols = new Int32Array(c * k);
  const factor = new Float64Array(c * k);
  for (let q = 0; q < k; q++) {
    cols[q] = active[q];
    factor[q] = Math.sqrt(state.gamma[active[q]] / c);
    if (c === 2) {
      cols[k + q] = p.n + active[q];
      factor[k + q] = factor[q];
    }
  }
  const S = estep.covariance({ cols, factor }, state.noiseVariance / c);
  if (c === 1) return S;
  // Embedded Σ̃ = ½ [[Σ_r, −Σ_i], [Σ_i, Σ_r]]: read Σ = 2 (Σ̃₁₁ + i Σ̃₂₁).
  const out = new Float64Array(2 * k * k);
  const K = 2 * k;
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < k; b++) {
      out[2 * (a * k + b)] = 2 * S[a * K + b];
      out[2 * (a * k + b) + 1] = 2 * S[(k + a) * K + b];
    }
  }
  return out;
}

/**
 * The hyper-parameter M-step of ARD from a state: EM or MacKay, per active coefficient.
 *
 * @example
 * ```ts
 * const gamma = ardMStep(state, p.complex, "em");
 * ```
 */
export function ardMStep(state: SblState, complex: boolean, rule: "em" | "mackay"): Float64Array {
  const gamma = new Float64Array(state.gamma.length);
  const { mean, varianceDiag, active } = state;
  for (let q = 0; q < active.length; q++) {
    const i = active[q];
    const mu2 = complex ? mean[2 * i] ** 2 + mean[2 * i + 1] ** 2 : mean[i] ** 2;
    const v = varianceDiag[i];
    let g = mu2 + v;
    if (rule === "mackay") {
      const ratio = 1 - v / state.gamma[i];
      if (ratio > 1e-12) g = mu2 / ratio;
    }
    gamma[i] = g;
  }
  return gamma;
}

/**
 * One info record for a step from `prev` to `next`.
 *
 * @example
 * ```ts
 * const info = stepInfo(prev, next, relativeChange(next.gamma, prev.gamma), warnings);
 * ```
 */
export function stepInfo(prev: SblState, next: SblState, maxChange: number, warnings: readonly string[]): SblInfo {
  // A learned noise variance is a hyper-parameter too: its relative change counts.
  const noiseChange = Math.abs(next.noiseVariance - prev.noiseVariance) / prev.noiseVariance;
  return {
    logEvidence: next.logEvidence,
    maxChange: Math.max(maxChange, noiseChange),
    evidenceChange: evidenceChange(next.logEvidence, prev.logEvidence),
    activeCount: next.active.length,
    noiseVariance: next.noiseVariance,
    warnings,
  };
}

/**
 * The info of a step that changes nothing (a finished state).
 *
 * @example
 * ```ts
 * if (state.done) return { state, info: idleInfo(state) };
 * ```
 */
export function idleInfo(state: SblState): SblInfo {
  return {
    logEvidence: state.logEvidence,
    maxChange: 0,
    evidenceChange: 0,
    activeCount: state.active.length,
    noiseVariance: state.noiseVariance,
    warnings: state.active.length === 0 && state.residual2 === 0 ? [ZERO_DATA_WARNING] : [],
  };
}

/**
 * The classic EM-SBL kernel (`algorithm: 'em'`) for the ARD prior, real or complex.
 *
 * @example
 * ```ts
 * const kernel = buildArdKernel({ algorithm: "em", pruneThreshold: 1e-3 });
 * let state = kernel.init({ A, y, noise: "learn" });
 * state = kernel.step(state).state;
 * ```
 */
export function buildArdKernel(choices: SblChoices): SblKernel {
  const threshold = choices.pruneThreshold ?? 1e-3;
  const form = choices.form ?? "auto";
  const rule = choices.update ?? "em";
  const floor = choices.noiseFloor ?? DEFAULT_NOISE_FLOOR;
  let bound: DiagonalBinding | undefined;
  return {
    algorithm: "em",
    init(problem: SblProblem): SblState {
      const p = normalizeProblem(problem);
      if (p.prior.kind !== "ard") {
        throw new CapabilityError({
          where: "em-sbl",
          what: `algorithm 'em' fits the 'ard' prior, not '${p.prior.kind}'`,
          hint: "use krosbl_am/krosbl_svd for kronecker_ard, bsbl for block_ard, pc_sbl for pc_sbl.",
        });
      }
      bound?.estep.dispose();
      bound = undefined;
      if (p.yPower === 0) return zeroDataState(p, {});
      bound = bindDiagonal(p, form);
      const g0 =
        choices.initialGamma === undefined || choices.initialGamma === "auto"
          ? autoGamma(p, bound.frobenius2)
          : choices.initialGamma;
      const gamma = new Float64Array(p.n).fill(g0);
      const active = prune(gamma, 0);
      return bound.evaluate(gamma, active, p.noiseVariance, 0);
    },
    step(state: SblState) {
      if (state.done || !bound) return { state, info: idleInfo(state) };
      const p = bound.p;
      const gamma = ardMStep(state, p.complex, rule);
      const warnings: string[] = [];
      let sigma2 = state.noiseVariance;
      if (p.learnNoise) {
        const u = updateNoise(p, sigma2, state.residual2, state.effectiveParameters, rule, floor);
        sigma2 = u.variance;
        if (u.warning) warnings.push(u.warning);
      }
      const active = prune(gamma, threshold);
      const maxChange = relativeChange(gamma, state.gamma);
      const next = bound.evaluate(gamma, active, sigma2, state.iteration + 1);
      return { state: next, info: stepInfo(state, next, maxChange, warnings) };
    },
    covariance(state: SblState): Float64Array {
      if (!bound || state.active.length === 0) return new Float64Array(0);
      return diagonalCovariance(bound, state);
    },
    dispose(): void {
      bound?.estep.dispose();
      bound = undefined;
    },
  };
}
