/**
 * The VB-SBL driver: iterate the coordinate updates of {@link buildVbKernel} until the posterior
 * mean stops moving (or the ELBO stops rising), and collect the ELBO trace.
 *
 * @module
 */
import { DomainError, describeValue } from "../../core/errors.js";
import { buildVbKernel, type VbChoices, type VbProblem, type VbState } from "./vb_sbl.js";

/**
 * Options of {@link fitVb}.
 *
 * @example
 * ```ts
 * const options: FitVbOptions = { maxIterations: 300, tolerance: 1e-6 };
 * ```
 */
export interface FitVbOptions extends VbChoices {
  /** Iteration cap (default 500). */
  readonly maxIterations?: number;
  /** Stop when the chosen relative change falls below this (default 1e-6). */
  readonly tolerance?: number;
  /** `'mean'` (default): ‖μ_new − μ_old‖/‖μ_old‖; `'elbo'`: |ΔELBO| / max(1, |ELBO|). */
  readonly stopOn?: "mean" | "elbo";
  /** |μ_i| below this fraction of max |μ| is outside the reported support (default 1e-3, KroSBL's rule). */
  readonly supportThreshold?: number;
  /** Called after every step; return false to stop. */
  readonly onStep?: (state: VbState) => boolean | undefined;
}

/**
 * The outcome of {@link fitVb}.
 *
 * @example
 * ```ts
 * const fit = fitVb({ A, y, prior: "ard" });
 * fit.mean; fit.elbo.at(-1); fit.support;
 * ```
 */
export interface VbResult {
  /** E_q[x]. */
  readonly mean: Float64Array;
  /** Var_q[x_i]. */
  readonly variance: Float64Array;
  /** E_q[α_i] per coefficient (turbo: E_q[ρ_i]). */
  readonly precisionMean: Float64Array;
  /** 1/E_q[β]: the noise variance at the variational mean precision (the given one when known). */
  readonly noiseVariance: number;
  /** Turbo: q(s_i = 1). */
  readonly supportProbability?: Float64Array;
  /** Indices with |μ_i| > supportThreshold · max|μ| (turbo: q(s_i = 1) > 1/2). */
  readonly support: Int32Array;
  /** ELBO at the initial state and after every step (non-decreasing). */
  readonly elbo: Float64Array;
  /** Steps taken. */
  readonly iterations: number;
  /** Whether the stopping rule was met. */
  readonly converged: boolean;
  /** Which q(x) solver ran. */
  readonly form: "dense" | "kronecker";
  /** Wall-clock seconds. */
  readonly timeSeconds: number;
  /** The final state (for warm starts and inspection). */
  readonly state: VbState;
}

/**
 * Fits a sparse linear-Gaussian model by closed-form variational Bayes (see docs/vi.md).
 *
 * @throws DomainError for invalid options; the errors of {@link buildVbKernel} for bad problems.
 * @example
 * ```ts
 * const fit = fitVb({ A: { factors: [A1, A2, A3] }, y, noise: { variance: 0.01 }, prior: { kind: "kronecker_ard" } });
 * ```
 */
export function fitVb(problem: VbProblem, options: FitVbOptions = {}): VbResult {
  const started = performance.now();
  const maxIterations = options.maxIterations ?? 500;
  const tolerance = options.tolerance ?? 1e-6;
  const stopOn = options.stopOn ?? "mean";
  const threshold = options.supportThreshold ?? 1e-3;
  if (!Number.isInteger(maxIterations) || maxIterations < 0) {
    throw new DomainError({
      where: "vb-sbl",
      what: "maxIterations must be a non-negative integer",
      got: describeValue(maxIterations),
    });
  }
  if (!(tolerance >= 0)) {
    throw new DomainError({ where: "vb-sbl", what: "tolerance must be ≥ 0", got: describeValue(tolerance) });
  }
  if (stopOn !== "mean" && stopOn !== "elbo") {
    throw new DomainError({
      where: "vb-sbl",
      what: "unknown stopOn",
      got: describeValue(stopOn),
      expected: "'mean' or 'elbo'",
    });
  }
  const kernel = buildVbKernel(options);
  let state = kernel.init(problem);
  const form = kernel.form;
  const trace: number[] = [state.elbo];
  let converged = false;
  let precisionMean: Float64Array;
  try {
    while (state.iteration < maxIterations) {
      const { state: next, info } = kernel.step(state);
      state = next;
      trace.push(info.elbo);
      const change =
        stopOn === "mean"
          ? info.meanChange
          : Math.abs(info.elbo - info.previousElbo) / Math.max(1, Math.abs(info.elbo));
      if (change < tolerance) converged = true;
      if (options.onStep?.(state) === false || converged) break;
    }
    precisionMean = kernel.precisionMean(state);
  } finally {
    kernel.dispose();
  }
  const n = state.mean.length;
  let maxAbs = 0;
  for (let i = 0; i < n; i++) maxAbs = Math.max(maxAbs, Math.abs(state.mean[i]));
  const keep: number[] = [];
  const probability = state.supportProbability;
  for (let i = 0; i < n; i++) {
    if (probability ? probability[i] > 0.5 : Math.abs(state.mean[i]) > threshold * maxAbs && maxAbs > 0) keep.push(i);
  }
  return {
    mean: state.mean,
    variance: state.variance,
    precisionMean,
    noiseVariance: 1 / state.noisePrecision,
    ...(probability ? { supportProbability: probability } : {}),
    support: Int32Array.from(keep),
    elbo: Float64Array.from(trace),
    iterations: state.iteration,
    converged,
    form,
    timeSeconds: (performance.now() - started) / 1000,
    state,
  };
}
