/**
 * GP-based Bayesian optimisation: exact GP regression with ARD kernels and fitted
 * hyper-parameters, the acquisitions EI/log-EI, PI, UCB and the knowledge gradient, multi-start
 * L-BFGS acquisition maximisation, the `buildKernel`/`init`/`step` backend and the `minimize`
 * driver.
 * @module inference/bo
 */
export {
  ACQUISITION_KINDS,
  type AcquisitionContext,
  type AcquisitionFunction,
  type AcquisitionKind,
  type AcquisitionOptions,
  createAcquisition,
  expectedImprovement,
  expectedMaxGain,
  knowledgeGradient,
  LinesMaximum,
  logExpectedImprovement,
  probabilityOfImprovement,
  upperConfidenceBound,
} from "./acquisition.js";
export { type Bounds, type Box, boxOf } from "./bounds.js";
export { COVARIANCE_KERNELS, type CovarianceKernel, correlation, correlationSlope } from "./covariance.js";
export { latinHypercube, uniformPoints } from "./design.js";
export {
  expectedPositivePart,
  logExpectedPositivePart,
  logExpectedPositivePartGrad,
  logNormalCdf,
  logNormalCdfGrad,
} from "./gaussian_tail.js";
export {
  conditionGp,
  DEFAULT_HYPERPARAMETER_BOUNDS,
  type FitGpOptions,
  fitGp,
  type GpHyperparameters,
  type GpOptions,
  GpPosterior,
  type GpTransform,
  type HyperparameterBounds,
  type LengthScalePrior,
  MarginalLikelihood,
  type PredictOptions,
  PointWorkspace,
} from "./gp.js";
export {
  type BoChoices,
  type BoInfo,
  type BoKernel,
  type BoState,
  buildKernel,
  DEFAULT_LENGTH_SCALE_PRIOR,
  type ObjectiveInfo,
  type ResolvedBoChoices,
} from "./kernel.js";
export { AcquisitionMaximizer, type MaximizeOptions, type MaximizeResult } from "./maximize.js";
export { type MinimizeOptions, type MinimizeResult, minimize } from "./minimize.js";
export { BRANIN, branin, HARTMANN6, hartmann6, type TestProblem } from "./test_functions.js";
