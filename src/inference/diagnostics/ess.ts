import { autocovariance } from "./autocovariance.js";
import { type ChainDraws, checkChains, isDegenerate, quantile, rankNormalize, splitChains } from "./draws.js";

/**
 * Effective sample size of draws taken as they are (no splitting or normalising), the
 * multi-chain estimator of Vehtari et al. (2021, eqs. 10–11) that Stan uses: autocorrelations
 * ρ̂ₜ = 1 − (W − γ̄ₜ)/var⁺ combine the chains' mean autocovariance γ̄ₜ with the between-chain
 * variance, and the sum is truncated by Geyer's initial positive sequence (pairs ρ̂₂ₖ + ρ̂₂ₖ₊₁ stop
 * at the first negative pair), made monotone (Geyer's initial monotone sequence). The result is
 * S/τ̂ with τ̂ ≥ 1/log₁₀(S), so it can exceed S for antithetic chains but never S·log₁₀(S).
 *
 * @returns NaN when chains have fewer than 3 draws, contain a non-finite value, or are constant
 * @example
 * ```ts
 * essBasic(chains); // ≈ 4000 for 4 chains of 1000 independent draws
 * ```
 */
export function essBasic(chains: ChainDraws): number {
  const n = checkChains("ess", chains);
  const m = chains.length;
  if (n < 3 || isDegenerate(chains)) return Number.NaN;
  const acovMean = new Float64Array(n);
  const chainMeans = new Float64Array(m);
  for (let c = 0; c < m; c++) {
    const acov = autocovariance(chains[c]);
    for (let t = 0; t < n; t++) acovMean[t] += acov[t] / m;
    let mean = 0;
    for (let i = 0; i < n; i++) mean += chains[c][i];
    chainMeans[c] = mean / n;
  }
  const meanVar = (acovMean[0] * n) / (n - 1);
  let varPlus = (meanVar * (n - 1)) / n;
  if (m > 1) varPlus += sampleVariance(chainMeans);

  const rho = new Float64Array(n);
  let t = 0;
  let rhoEven = 1;
  let rhoOdd = 1 - (meanVar - acovMean[1]) / varPlus;
  rho[0] = rhoEven;
  rho[1] = rhoOdd;
  // Geyer's initial positive sequence: sum autocorrelation pairs while the pair sum is positive.
  while (t < n - 5 && rhoEven + rhoOdd > 0) {
    t += 2;
    rhoEven = 1 - (meanVar - acovMean[t]) / varPlus;
    rhoOdd = 1 - (meanVar - acovMean[t + 1]) / varPlus;
    if (rhoEven + rhoOdd >= 0) {
      rho[t] = rhoEven;
      rho[t + 1] = rhoOdd;
    }
  }
  const maxT = t;
  // The last positive even lag is kept as a half-weight term (less variance for antithetic chains).
  if (rhoEven > 0) rho[maxT] = rhoEven;
  // Geyer's initial monotone sequence: pair sums must not increase.
  for (t = 2; t <= maxT - 2; t += 2) {
    if (rho[t] + rho[t + 1] > rho[t - 2] + rho[t - 1]) {
      rho[t] = (rho[t - 2] + rho[t - 1]) / 2;
      rho[t + 1] = rho[t];
    }
  }
  const total = m * n;
  let sum = 0;
  for (let k = 0; k < maxT; k++) sum += rho[k];
  const tau = Math.max(-1 + 2 * sum + rho[maxT], 1 / Math.log10(total));
  return total / tau;
}

function sampleVariance(x: Float64Array): number {
  let mean = 0;
  for (let i = 0; i < x.length; i++) mean += x[i];
  mean /= x.length;
  let ss = 0;
  for (let i = 0; i < x.length; i++) ss += (x[i] - mean) ** 2;
  return ss / (x.length - 1);
}

/**
 * Bulk effective sample size: {@link essBasic} of the rank-normalised split chains. Measures how
 * well the centre of the distribution is explored and is defined even without finite moments.
 *
 * @example
 * ```ts
 * essBulk(chains) >= 400; // Stan's rule of thumb for 4 chains
 * ```
 */
export function essBulk(chains: ChainDraws): number {
  checkChains("ess", chains);
  if (isDegenerate(chains)) return Number.NaN;
  return essBasic(rankNormalize(splitChains(chains)));
}

/**
 * Effective sample size for the quantile at `prob`: {@link essBasic} of the split indicator
 * chains I(x ≤ q̂_prob).
 *
 * @example
 * ```ts
 * essQuantile(chains, 0.05);
 * ```
 */
export function essQuantile(chains: ChainDraws, prob: number): number {
  checkChains("ess", chains);
  if (isDegenerate(chains)) return Number.NaN;
  const q = quantile(chains, prob);
  return essBasic(splitChains(chains.map((c) => c.map((x) => (x <= q ? 1 : 0)))));
}

/**
 * Tail effective sample size: the smaller of the ESS of the 5% and 95% quantiles, which tells
 * whether the tails (and so interval endpoints) are explored.
 *
 * @example
 * ```ts
 * essTail(chains);
 * ```
 */
export function essTail(chains: ChainDraws): number {
  return Math.min(essQuantile(chains, 0.05), essQuantile(chains, 0.95));
}

/**
 * Effective sample size for the posterior mean: {@link essBasic} of the split chains (not
 * rank-normalised; assumes a finite variance), the ESS behind `mcseMean`.
 *
 * @example
 * ```ts
 * essMean(chains);
 * ```
 */
export function essMean(chains: ChainDraws): number {
  return essBasic(splitChains(chains));
}
