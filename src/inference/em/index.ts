/**
 * The EM-SBL backend: type-II maximum likelihood (evidence maximisation) for sparse
 * linear-Gaussian models — classic SBL by EM, Tipping–Faul's fast marginal likelihood,
 * Kronecker-structured SBL (AM and SVD M-steps, block-sparse extension), block SBL and
 * pattern-coupled SBL, for real and circular complex data. See docs/em-sbl.md.
 *
 * @module
 */
export { buildKernel, fitSbl } from "./fit.js";
export { hermitianEigen } from "./hermitian_eigen.js";
export { type NormalizedProblem, normalizeProblem } from "./problem.js";
export type {
  FitSblOptions,
  KroneckerDictionary,
  SblAlgorithm,
  SblChoices,
  SblDictionary,
  SblExtra,
  SblInfo,
  SblKernel,
  SblMatrix,
  SblNoise,
  SblPrior,
  SblProblem,
  SblResult,
  SblState,
} from "./types.js";
