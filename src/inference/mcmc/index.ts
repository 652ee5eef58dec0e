/**
 * Hamiltonian Monte Carlo: NUTS and static HMC kernels with the shared `init`/`step` shape,
 * integrators and metrics as data, the `sample` driver (chains in this thread or in worker
 * threads), posterior predictive simulation and exporters (Stan CSV, ArviZ JSON).
 * @module inference/mcmc
 */
export type { ChainTaskInput } from "./chain_task.js";
export { type DerivedEvaluator, type DerivedLayout, derivedQuantities, latentDeterministics } from "./derived.js";
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
export { type PosteriorPredictive, type PredictiveOptions, posteriorPredictive } from "./predictive.js";
export { type ProgressRun, type ProgressSink, progressBar, progressPrinter } from "./progress.js";
export {
  type ChainResult,
  type ColumnInfo,
  columnsOf,
  type McmcResult,
  runChain,
  runChainWithStream,
  type SampleOptions,
  type SampleProgress,
  type SamplerStats,
  sample,
} from "./sample.js";
export {
  buildTransferable,
  type FamiliesSource,
  isDensityModel,
  isModelGraph,
  isModuleExport,
  type ModelSource,
  type ModuleExport,
  resolveFamilies,
  resolveModel,
  type TransferableModel,
  type TransferHints,
  toTransferable,
} from "../model_source.js";
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
  HmcStateBuffer,
  NutsInfo,
  StaticHmcInfo,
  Transition,
  TransitionInfo,
} from "./types.js";
