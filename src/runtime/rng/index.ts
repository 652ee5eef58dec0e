/**
 * Seeded, splittable random streams and the samplers built on them.
 * @module runtime/rng
 */
export {
  sampleBeta,
  sampleBinomial,
  sampleCategorical,
  sampleCategoricalLogits,
  sampleDirichlet,
  sampleExponential,
  sampleGamma,
  sampleMultivariateNormal,
  sampleNormal,
  samplePoisson,
} from "./samplers.js";
export { createRng, SeededRng, splitSeed, splitStreams } from "./seeded_rng.js";
