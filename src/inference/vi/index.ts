/**
 * Variational inference: ADVI (mean-field, full-rank and low-rank Gaussian families on the
 * unconstrained space, reparameterisation gradients, Adam, Stan's relative-ELBO stopping rule,
 * PSIS Pareto-k diagnostic) for any DensityModel, and closed-form coordinate-ascent VB for sparse
 * linear-Gaussian hierarchies (ARD, block and Kronecker ARD, the Turbo-VBI three-layer prior).
 * See docs/vi.md.
 *
 * @module
 */
export {
  type AdviChoices,
  type AdviInfo,
  type AdviKernel,
  type AdviState,
  type AdviStateBuffer,
  buildKernel,
  defaultSchedule,
  type ElboEstimate,
  requireContinuousLatents,
} from "./advi.js";
export {
  createApproximation,
  summarizeDraws,
  type VariableSummaries,
  type VariationalApproximation,
  type VariationalDraws,
  variableDraws,
} from "./approximation.js";
export { type ConvergenceReason, RelativeElboRule } from "./convergence.js";
export { createFamily, type FamilySpec, type GaussianFamily } from "./families.js";
export {
  type AdviResult,
  type AdviStopReason,
  curvatureScales,
  type FitAdviOptions,
  fitAdvi,
  initialApproximation,
} from "./fit_advi.js";
export { type FitVbOptions, fitVb, type VbResult } from "./fit_vb.js";
export {
  type FitAdviInWorkerOptions,
  type FitVbInWorkerOptions,
  fitAdviInWorker,
  fitVbInWorker,
  type WorkerRunOptions,
} from "./in_worker.js";
export { createMinibatch, type MinibatchDensity, type MinibatchSpec } from "./minibatch.js";
export { fitGeneralizedPareto, type GeneralizedPareto, type PsisResult, psis, resampleIndices } from "./psis.js";
export {
  type AdviResultData,
  adviResultFromData,
  adviResultToData,
  type DictionaryData,
  type DrawsData,
  type VbProblemData,
  vbProblemFromData,
  vbProblemToData,
} from "./transfer.js";
export {
  allocateMoments,
  denseSolver,
  type GaussianMoments,
  type GaussianSolver,
  kronProduct,
  kroneckerSolver,
} from "./vb_posterior.js";
export {
  buildVbKernel,
  forwardBackward,
  type GammaParameters,
  type TurboPrior,
  type VbChoices,
  type VbInfo,
  type VbKernel,
  type VbPrior,
  type VbProblem,
  type VbState,
} from "./vb_sbl.js";
export type { ElboProgress } from "./worker_task.js";
