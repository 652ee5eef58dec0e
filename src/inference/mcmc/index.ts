/**
 * Hamiltonian Monte Carlo: NUTS and static HMC kernels with the shared `init`/`step` shape,
 * integrators and metrics as data, the `sample` driver and exporters (Stan CSV, ArviZ JSON).
 * @module inference/mcmc
 */
export * as hmc from "./hmc.js";
export type { StaticHmcChoices } from "./hmc.js";
export { checkInitialPosition, findInitialPosition, requireContinuous } from "./init.js";
export {
  copyPhasePoint,
  createIntegratorStepper,
  createPhasePoint,
  type Integrator,
  type IntegratorStepper,
  mcLachlan,
  type PhasePoint,
  velocityVerlet,
} from "./integrators.js";
export { buildMetric, createMetricCache, identityInverseMassMatrix, type Metric, type MetricKind } from "./metrics.js";
export * as nuts from "./nuts.js";
export type { NutsChoices } from "./nuts.js";
export {
  extractDraws,
  type InferenceDataJson,
  type NestedNumbers,
  type StanCsvOptions,
  toInferenceData,
  toStanCsv,
} from "./output.js";
export { type ProgressSink, progressPrinter } from "./progress.js";
export {
  type ChainResult,
  type ColumnInfo,
  columnsOf,
  type McmcResult,
  runChain,
  type SampleOptions,
  type SampleProgress,
  type SamplerStats,
  sample,
} from "./sample.js";
export {
  createNutsTrajectory,
  createStaticTrajectory,
  type TrajectoryBuilder,
  type TrajectoryOutcome,
} from "./trajectory.js";
export type {
  HmcKernel,
  HmcParams,
  HmcState,
  NutsInfo,
  StaticHmcInfo,
  Transition,
  TransitionInfo,
} from "./types.js";
