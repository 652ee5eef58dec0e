import { betaQuantile } from "./distribution_functions.js";
import { type ChainDraws, isDegenerate, pooledMean, pooledSd, pooledSorted } from "./draws.js";
import { essMean, essQuantile } from "./ess.js";

/**
 * Monte Carlo standard error of the posterior mean estimate: sd / √ESS_mean.
 *
 * @example
 * ```ts
 * const mean = pooledMean(chains);
 * const halfWidth = 2 * mcseMean(chains); // ≈ 95% Monte Carlo interval for the mean
 * ```
 */
export function mcseMean(chains: ChainDraws): number {
  return pooledSd(chains) / Math.sqrt(essMean(chains));
}

/**
 * Monte Carlo standard error of the posterior standard deviation estimate (Vehtari et al. 2021):
 * the delta method on s = √(mean of y), y = (x − x̄)², with the ESS of y:
 * MCSE(s) = √(Var(y) / ESS(y) / (4·ȳ)).
 *
 * @example
 * ```ts
 * mcseSd(chains);
 * ```
 */
export function mcseSd(chains: ChainDraws): number {
  const mean = pooledMean(chains);
  const squared = chains.map((c) => c.map((x) => (x - mean) ** 2));
  const ess = essMean(squared);
  const meanSquared = pooledMean(squared);
  const varSquared = pooledSd(squared) ** 2;
  return Math.sqrt(varSquared / meanSquared / 4 / ess);
}

// Φ(−1) and Φ(1): a ±1 sd interval of the quantile's sampling distribution.
const LOWER_PROB = 0.15865525393145707;
const UPPER_PROB = 0.8413447460685429;

/**
 * Monte Carlo standard error of the `prob` quantile estimate (Vehtari et al. 2021): with
 * S_eff = ESS of the indicator I(x ≤ q̂), the quantile's rank among the sorted draws is
 * approximately Beta(S_eff·p + 1, S_eff·(1 − p) + 1)-distributed; half the distance between the
 * draws at that distribution's 15.9% and 84.1% points is the standard error.
 *
 * @example
 * ```ts
 * mcseQuantile(chains, 0.95);
 * ```
 */
export function mcseQuantile(chains: ChainDraws, prob: number): number {
  if (isDegenerate(chains)) return Number.NaN;
  const ess = essQuantile(chains, prob);
  if (Number.isNaN(ess)) return Number.NaN;
  const a = ess * prob + 1;
  const b = ess * (1 - prob) + 1;
  const sorted = pooledSorted(chains);
  const s = sorted.length;
  const lo = Math.max(Math.floor(betaQuantile(LOWER_PROB, a, b) * s), 1);
  const hi = Math.min(Math.ceil(betaQuantile(UPPER_PROB, a, b) * s), s);
  // 1-based order statistics, as in the paper.
  return (sorted[hi - 1] - sorted[lo - 1]) / 2;
}
