/**
 * Sequential Monte Carlo: particle filters (bootstrap, guided, auxiliary) with resampling schemes
 * as data and adaptive resampling, conditional SMC with ancestor sampling and the particle Gibbs
 * kernel, the PaRIS smoother for additive functionals, and adaptive tempered SMC for static
 * targets. State-space models are described by {@link StateSpaceModel}; static targets by
 * {@link TemperingTarget}. See docs/smc.md.
 *
 * @module inference/smc
 */
export { type ConditionalSmcChoices, type ConditionalSmcSweep, ConditionalSmc, conditionalSmc } from "./csmc.js";
export { type ParisChoices, type ParisResult, parisSmoother } from "./paris.js";
export {
  ancestralPath,
  type FilterHistory,
  type FilterInfo,
  type FilterKernel,
  type FilterState,
  type ParticleFilterChoices,
  type ParticleFilterResult,
  particleFilter,
} from "./particle_filter.js";
export * as filter from "./particle_filter.js";
export * as particleGibbs from "./particle_gibbs.js";
export type {
  ParameterMove,
  ParticleGibbsChoices,
  ParticleGibbsInfo,
  ParticleGibbsKernel,
  ParticleGibbsState,
} from "./particle_gibbs.js";
export {
  createRandomWalkMove,
  type DensityCache,
  type RandomWalkChoices,
  type TemperedMove,
  type TemperingTarget,
  temperedLogDensity,
} from "./random_walk.js";
export {
  multinomialResample,
  RESAMPLING_SCHEMES,
  type ResampleFunction,
  type ResamplingScheme,
  residualResample,
  resample,
  resamplingFunction,
  sortedUniforms,
  stratifiedResample,
  systematicResample,
} from "./resampling.js";
export * as tempering from "./tempering.js";
export {
  type TemperedSmcResult,
  type TemperingChoices,
  type TemperingInfo,
  type TemperingKernel,
  type TemperingState,
  temperedSmc,
  temperingTarget,
} from "./tempering.js";
export type {
  AdditiveFunctional,
  InitialDistribution,
  ObservationModel,
  Proposal,
  StateSpaceModel,
  StateTransition,
} from "./types.js";
export { AliasTable, effectiveSampleSize, normalizeLogWeights, sampleLogCategorical } from "./weights.js";
