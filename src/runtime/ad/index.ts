/**
 * Reverse-mode automatic differentiation over vector programs, by code generation: a program
 * of Float64Array operations (elementwise maths, gathers, reductions, matvecs with
 * LinearOperators, distribution terms, bijectors) becomes a log density and its gradient as
 * generated JavaScript with fused elementwise loops and no allocation per call. Gaussian
 * likelihoods with a mean affine in few unknowns are first collapsed to sufficient statistics.
 * @module runtime/ad
 */
export {
  ALL_TERMS,
  type CompiledProgram,
  type CompileProgramOptions,
  compileProgram,
  type DensityPair,
  type TermSelection,
} from "./codegen.js";
export { finiteDifferenceGrad } from "./finite_difference.js";
export {
  type Design,
  type GaussianLinearStatistics,
  gaussianLinearStatistics,
  type StatisticsOptions,
} from "./gaussian_linear.js";
export {
  type BinaryFn,
  type DensityTerm,
  type FactorTerm,
  type GaussianLinearOp,
  nodeInputs,
  type Program,
  type ProgramNode,
  type ProgramOp,
  staticNodes,
  type Term,
  type UnaryFn,
} from "./program.js";
export { collapseGaussianLikelihoods } from "./sufficient_statistics.js";
