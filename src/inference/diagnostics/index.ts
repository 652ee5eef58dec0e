/**
 * MCMC diagnostics after Vehtari et al. (2021) and Betancourt (2016): rank-normalised split
 * R-hat, bulk and tail ESS, Monte Carlo standard errors, E-BFMI, divergence and tree-depth
 * counts, and a Stan-like summary table.
 * @module inference/diagnostics
 */
export { autocovariance } from "./autocovariance.js";
export { betaQuantile, incompleteBeta, normalQuantile } from "./distribution_functions.js";
export {
  type ChainDraws,
  checkChains,
  foldDraws,
  isDegenerate,
  pooledMean,
  pooledSd,
  pooledSorted,
  quantile,
  rankNormalize,
  sortedQuantile,
  splitChains,
} from "./draws.js";
export { essBasic, essBulk, essMean, essQuantile, essTail } from "./ess.js";
export { mcseMean, mcseQuantile, mcseSd } from "./mcse.js";
export { rhat, rhatBasic } from "./rhat.js";
export { countFlags, countSaturated, ebfmi } from "./sampler.js";
export {
  type DiagnosticReport,
  type DiagnosticThresholds,
  diagnose,
  type SummaryRow,
  summarize,
  summarizeDraws,
  summary,
} from "./summary.js";
