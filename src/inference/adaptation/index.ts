/**
 * Warm-up for Hamiltonian kernels as `{ init, update, final }` pieces: dual averaging of the
 * step size, Welford (co)variance estimation of the inverse mass matrix, Stan's window schedule
 * as data, the initial step-size heuristic and the composed window adaptation.
 * @module inference/adaptation
 */
export { type DualAveragingOptions, type DualAveragingState, dualAveraging } from "./dual_averaging.js";
export { type DenseRegularization, type WelfordState, welfordCovariance } from "./mass_matrix.js";
export { buildWindowSchedule, type WindowSchedule, type WindowScheduleOptions } from "./schedule.js";
export { findReasonableStepSize } from "./step_size.js";
export {
  runWarmup,
  type WarmupResult,
  type WindowAdaptationOptions,
  type WindowAdaptationState,
  windowAdaptation,
} from "./window_adaptation.js";
