/**
 * Sparse priors as named hierarchies. Each function declares ordinary nodes in a model body —
 * so gradient samplers and VI see the whole hierarchy — and tags every latent it creates with
 * `annotations = { prior, group, role, … }`, so EM and variational-Bayes backends can find the
 * hierarchy again and use closed-form updates. See docs/priors.md.
 *
 * | function | prior (annotation) | default parameterization |
 * |---|---|---|
 * | {@link ard} | `ard` | centred |
 * | {@link horseshoe} | `horseshoe` | non-centred |
 * | {@link regularizedHorseshoe} | `regularized_horseshoe` | non-centred |
 * | {@link laplaceMixture} | `laplace` | non-centred |
 * | {@link studentTMixture} | `student_t` | non-centred |
 * | {@link spikeAndSlab} | `spike_and_slab` | non-centred |
 * | {@link kroneckerArd} | `kronecker_ard` | centred |
 * | {@link blockArd} | `block_ard` | centred |
 * | {@link patternCoupled} | `pc_sbl` | centred |
 * | {@link turboVbi} | `turbo_vbi` | centred |
 * @module lang/builder/priors
 */
export { type ArdOptions, type ArdParts, ard } from "./ard.js";
export { type BlockArdOptions, type BlockArdParts, blockArd } from "./block_ard.js";
export {
  type GammaHyperprior,
  type Parameterization,
  type PriorContext,
  type SparsePriorRole,
  SparsePriorValue,
  type VectorPriorOptions,
} from "./common.js";
export {
  type GlobalScaleOptions,
  globalScaleFromSparsity,
  type HorseshoeOptions,
  type HorseshoeParts,
  horseshoe,
} from "./horseshoe.js";
export { type KroneckerArdOptions, type KroneckerArdParts, kroneckerArd } from "./kronecker_ard.js";
export { type LaplaceMixtureOptions, type LaplaceMixtureParts, laplaceMixture } from "./laplace.js";
export { type PatternCoupledOptions, type PatternCoupledParts, patternCoupled } from "./pattern_coupled.js";
export {
  type RegularizedHorseshoeOptions,
  type RegularizedHorseshoeParts,
  regularizedHorseshoe,
} from "./regularized_horseshoe.js";
export { type SpikeAndSlabOptions, type SpikeAndSlabParts, spikeAndSlab } from "./spike_and_slab.js";
export { type StudentTMixtureOptions, type StudentTMixtureParts, studentTMixture } from "./student_t.js";
export { type PrecisionLaw, type TurboVbiOptions, type TurboVbiParts, turboVbi } from "./turbo_vbi.js";
