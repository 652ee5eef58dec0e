import { DomainError, describeValue } from "../../core/errors.js";

/**
 * Settings of Nesterov dual averaging as Hoffman & Gelman (2014) use it for the step size;
 * defaults are Stan's.
 *
 * @example
 * ```ts
 * const options: DualAveragingOptions = { targetAcceptRate: 0.9 };
 * ```
 */
export interface DualAveragingOptions {
  /** Acceptance statistic to aim for, δ ∈ (0, 1) (default 0.8). */
  readonly targetAcceptRate?: number;
  /** Shrinkage strength γ toward μ = log(10·ε₀) (default 0.05). */
  readonly gamma?: number;
  /** Decay exponent κ of the iterate averaging weights (default 0.75). */
  readonly kappa?: number;
  /** Offset t₀ that damps the first iterations (default 10). */
  readonly t0?: number;
}

/**
 * The dual-averaging iterate. Immutable: `update` returns a new object.
 *
 * @example
 * ```ts
 * const stepSize = Math.exp(state.logStepSize);
 * ```
 */
export interface DualAveragingState {
  /** Number of updates since the last `init`. */
  readonly iteration: number;
  /** log ε of the current iterate (the step size to use next). */
  readonly logStepSize: number;
  /** Weighted average of log ε over the iterates: the final estimate. */
  readonly logStepSizeAvg: number;
  /** Running average H̄ of (δ − acceptStat). */
  readonly gradientAvg: number;
  /** Shrinkage target μ. */
  readonly mu: number;
}

/**
 * Dual averaging of log ε toward a target acceptance statistic, as `{ init, update, final }`:
 *
 *   H̄ₜ = (1 − 1/(t + t₀))·H̄ₜ₋₁ + (δ − αₜ)/(t + t₀),   log εₜ = μ − √t·H̄ₜ/γ,
 *   log ε̄ₜ = t^(−κ)·log εₜ + (1 − t^(−κ))·log ε̄ₜ₋₁,
 *
 * with μ = log(10·ε₀) and αₜ the acceptance statistic clipped to 1. `final` returns exp(log ε̄).
 *
 * @example
 * ```ts
 * const da = dualAveraging({ targetAcceptRate: 0.8 });
 * let s = da.init(0.5);
 * s = da.update(s, 0.65); // accepted less than wanted: the step size shrinks
 * da.final(s);
 * ```
 */
export function dualAveraging(options: DualAveragingOptions = {}) {
  const delta = options.targetAcceptRate ?? 0.8;
  const gamma = options.gamma ?? 0.05;
  const kappa = options.kappa ?? 0.75;
  const t0 = options.t0 ?? 10;
  if (!(delta > 0 && delta < 1)) {
    throw new DomainError({
      where: "dualAveraging",
      what: "targetAcceptRate must lie strictly between 0 and 1",
      got: describeValue(delta),
      expected: "a value in (0, 1)",
      hint: "0.8 is Stan's default; raise it toward 0.95 to shrink the step size when there are divergences.",
    });
  }
  if (!(gamma > 0) || !(kappa > 0 && kappa <= 1) || !(t0 >= 0)) {
    throw new DomainError({
      where: "dualAveraging",
      what: "gamma must be positive, kappa in (0, 1] and t0 non-negative",
      got: `gamma=${gamma}, kappa=${kappa}, t0=${t0}`,
    });
  }
  return {
    /** Starts averaging from step size `stepSize` (also sets μ = log(10·stepSize)). */
    init(stepSize: number): DualAveragingState {
      return {
        iteration: 0,
        logStepSize: Math.log(stepSize),
        logStepSizeAvg: 0,
        gradientAvg: 0,
        mu: Math.log(10 * stepSize),
      };
    },
    /** One update with the acceptance statistic of the transition that used `exp(state.logStepSize)`. */
    update(state: DualAveragingState, acceptStat: number): DualAveragingState {
      const t = state.iteration + 1;
      // A NaN statistic (no finite trajectory) counts as a rejection so that ε shrinks.
      const alpha = Number.isNaN(acceptStat) ? 0 : Math.min(acceptStat, 1);
      const eta = 1 / (t + t0);
      const gradientAvg = (1 - eta) * state.gradientAvg + eta * (delta - alpha);
      const logStepSize = state.mu - (Math.sqrt(t) / gamma) * gradientAvg;
      const weight = t ** -kappa;
      const logStepSizeAvg = weight * logStepSize + (1 - weight) * state.logStepSizeAvg;
      return { iteration: t, logStepSize, logStepSizeAvg, gradientAvg, mu: state.mu };
    },
    /** The averaged step size exp(log ε̄), or the current one if no update was made. */
    final(state: DualAveragingState): number {
      return Math.exp(state.iteration > 0 ? state.logStepSizeAvg : state.logStepSize);
    },
  };
}
