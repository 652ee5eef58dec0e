/**
 * The EM-SBL backend: type-II maximum likelihood (evidence maximisation) for sparse
 * linear-Gaussian models — classic SBL by EM, Tipping–Faul's fast marginal likelihood,
 * Kronecker-structured SBL (AM and SVD M-steps, block-sparse extension), block SBL and
 * pattern-coupled SBL, for real and circular complex data — on a problem description
 * (`fitSbl`) or directly on a model whose sparse linear-Gaussian block is detected (`fitEm`).
 * See docs/em-sbl.md.
 *
 * @module
 */
export { ComplexAsRealOperator } from "./complex_as_real.js";
export {
  type DetectInput,
  detectPlan,
  type EmNoisePlan,
  type EmPlan,
  type EmPriorPlan,
} from "./detect.js";
export { buildKernel, fitSbl } from "./fit.js";
export { detectEm, type EmFit, type FitEmOptions, type FixEmOptions, fitEm, fixEmEstimates } from "./fit_model.js";
export { hermitianEigen } from "./hermitian_eigen.js";
export { type NormalizedProblem, normalizeProblem } from "./problem.js";
export type {
  FitSblOptions,
  KroneckerDictionary,
  SblAlgorithm,
  SblChoices,
  SblDictionary,
  SblExtra,
  SblGammaPrior,
  SblInfo,
  SblKernel,
  SblMatrix,
  SblNoise,
  SblPrior,
  SblProblem,
  SblResult,
  SblState,
} from "./types.js";
export { recoveryScores } from "./metrics.js";
