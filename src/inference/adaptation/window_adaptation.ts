import type { Rng } from "../../core/rng.js";
import { identityInverseMassMatrix } from "../mcmc/metrics.js";
import type { HmcKernel, HmcParams, HmcState, HmcStateBuffer, TransitionInfo } from "../mcmc/types.js";
import { type DualAveragingOptions, type DualAveragingState, dualAveraging } from "./dual_averaging.js";
import { type DenseRegularization, type WelfordState, welfordCovariance } from "./mass_matrix.js";
import { buildWindowSchedule, type WindowSchedule, type WindowScheduleOptions } from "./schedule.js";
import { findReasonableStepSize } from "./step_size.js";

/**
 * Settings of Stan-style window adaptation.
 *
 * @example
 * ```ts
 * const options: WindowAdaptationOptions = { numWarmup: 1000, targetAcceptRate: 0.9 };
 * ```
 */
export interface WindowAdaptationOptions extends WindowScheduleOptions, DualAveragingOptions {
  /** Warm-up iterations (the schedule is laid out over them). */
  readonly numWarmup: number;
  /** Step size the initial heuristic starts from (default 1, as in Stan). */
  readonly initialStepSize?: number;
  /** Regularisation of dense estimates (default `identity`, Stan's; see `welfordCovariance`). */
  readonly denseRegularization?: DenseRegularization;
}

/**
 * The adaptation state between warm-up iterations. Single-use: pass the value returned by
 * `update` to the next `update` (the covariance accumulator is updated in place).
 *
 * @example
 * ```ts
 * kernel.step(rng, state, adaptState.params);
 * ```
 */
export interface WindowAdaptationState {
  /** Warm-up iterations completed. */
  readonly iteration: number;
  /** The tunables to use for the next transition. */
  readonly params: HmcParams;
  /** Dual-averaging iterate (restarted at every window end). */
  readonly stepSize: DualAveragingState;
  /** Covariance accumulator of the current window. */
  readonly covariance: WelfordState;
}

const IN_WINDOW = 1;
const WINDOW_END = 2;

/**
 * Stan's warm-up as `{ init, update, final }` around any Hamiltonian kernel: dual averaging of
 * the step size throughout; Welford (co)variance estimates over the slow windows of
 * {@link buildWindowSchedule}, each installed as the inverse mass matrix at its window's end,
 * followed by a fresh step-size heuristic and a dual-averaging restart. `final` returns the
 * averaged step size of the last (terminal) phase and the last metric.
 *
 * @example
 * ```ts
 * const adaptation = windowAdaptation(kernel, { numWarmup: 1000 });
 * let a = adaptation.init(rng, state);
 * for (let i = 0; i < 1000; i++) {
 *   const t = kernel.step(rng, state, a.params);
 *   state = t.state;
 *   a = adaptation.update(rng, a, state, t.info);
 * }
 * const params = adaptation.final(a);
 * ```
 */
export function windowAdaptation(kernel: HmcKernel, options: WindowAdaptationOptions) {
  const { model, metric: kind, integrator } = kernel;
  const schedule: WindowSchedule = buildWindowSchedule(options.numWarmup, options);
  const stage = new Uint8Array(options.numWarmup);
  if (kind !== "unit") {
    for (const w of schedule.windows) {
      stage.fill(IN_WINDOW, w.start, w.end);
      stage[w.end - 1] = WINDOW_END;
    }
  }
  const stepSizeAdaptation = dualAveraging(options);
  const covariance = welfordCovariance(kind, model.dimension, options.denseRegularization);
  const initialStepSize = options.initialStepSize ?? 1;
  return {
    /** The warm-up plan this adaptation follows. */
    schedule,
    /** Identity metric and a heuristic step size at `state`. */
    init(rng: Rng, state: HmcState): WindowAdaptationState {
      const inverseMassMatrix = identityInverseMassMatrix(kind, model.dimension);
      const stepSize = findReasonableStepSize(
        rng,
        model,
        state,
        { stepSize: initialStepSize, inverseMassMatrix },
        kind,
        integrator,
      );
      return {
        iteration: 0,
        params: { stepSize, inverseMassMatrix },
        stepSize: stepSizeAdaptation.init(stepSize),
        covariance: covariance.init(),
      };
    },
    /** Learns from the transition that produced `state` and `info`; returns the next tunables. */
    update(rng: Rng, adapt: WindowAdaptationState, state: HmcState, info: TransitionInfo): WindowAdaptationState {
      let stepSizeState = stepSizeAdaptation.update(adapt.stepSize, info.acceptStat);
      let stepSize = Math.exp(stepSizeState.logStepSize);
      let inverseMassMatrix = adapt.params.inverseMassMatrix;
      let covarianceState = adapt.covariance;
      const where = adapt.iteration < stage.length ? stage[adapt.iteration] : 0;
      if (where !== 0) {
        covarianceState = covariance.update(covarianceState, state.position);
        if (where === WINDOW_END) {
          inverseMassMatrix = covariance.final(covarianceState);
          covarianceState = covariance.init();
          stepSize = findReasonableStepSize(rng, model, state, { stepSize, inverseMassMatrix }, kind, integrator);
          stepSizeState = stepSizeAdaptation.init(stepSize);
        }
      }
      return {
        iteration: adapt.iteration + 1,
        params: { stepSize, inverseMassMatrix },
        stepSize: stepSizeState,
        covariance: covarianceState,
      };
    },
    /** The tunables for sampling: averaged step size and the last metric. */
    final(adapt: WindowAdaptationState): HmcParams {
      return { stepSize: stepSizeAdaptation.final(adapt.stepSize), inverseMassMatrix: adapt.params.inverseMassMatrix };
    },
  };
}

/**
 * What {@link runWarmup} returns.
 *
 * @example
 * ```ts
 * const { state, params } = runWarmup(rng, kernel, state0, { numWarmup: 500 });
 * ```
 */
export interface WarmupResult {
  /** The chain's state after the last warm-up transition: a fresh buffer the caller owns (and may advance in place). */
  readonly state: HmcStateBuffer;
  /** Adapted step size and inverse mass matrix. */
  readonly params: HmcParams;
  /** Divergent warm-up transitions (expected early on; reported, not an error). */
  readonly numDivergent: number;
}

/**
 * Runs {@link windowAdaptation} for `options.numWarmup` transitions of `kernel` from `state`.
 * `onIteration` is called after every transition (e.g. for progress or cancellation) with the
 * kernel's reused info object ({@link HmcKernel.stepInto}): copy it to keep it.
 *
 * @example
 * ```ts
 * const kernel = nuts.buildKernel(model);
 * const warm = runWarmup(rng, kernel, kernel.init(theta0), { numWarmup: 1000 });
 * ```
 */
export function runWarmup<Info extends TransitionInfo>(
  rng: Rng,
  kernel: HmcKernel<Info>,
  state: HmcState,
  options: WindowAdaptationOptions,
  onIteration?: (iteration: number, info: Info) => void,
): WarmupResult {
  const adaptation = windowAdaptation(kernel, options);
  let adapt = adaptation.init(rng, state);
  let numDivergent = 0;
  // One state buffer the kernel overwrites in place: no allocation per transition.
  const current: HmcStateBuffer = {
    position: state.position.slice(),
    logDensity: state.logDensity,
    gradient: state.gradient.slice(),
  };
  for (let i = 0; i < options.numWarmup; i++) {
    const info = kernel.stepInto(rng, current, adapt.params, current);
    if (info.isDivergent) numDivergent++;
    adapt = adaptation.update(rng, adapt, current, info);
    onIteration?.(i, info);
  }
  return { state: current, params: adaptation.final(adapt), numDivergent };
}
