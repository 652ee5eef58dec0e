/**
 * Pareto-smoothed importance sampling (PSIS; Vehtari, Simpson, Gelman, Yao & Gabry 2024, JMLR
 * 25(72)) and the generalized Pareto fit it rests on (Zhang & Stephens 2009, Technometrics 51(3)).
 * For variational inference the log ratios are log p(θₛ) − log q(θₛ) at draws θₛ ~ q, and the
 * fitted shape k̂ says whether q is good enough to be corrected by importance sampling
 * (Yao, Vehtari, Simpson & Gelman 2018, "Yes, but did it work?").
 *
 * @module
 */
import { DomainError, describeValue } from "../../core/errors.js";
import type { Rng } from "../../core/rng.js";

/**
 * A fitted generalized Pareto distribution with location 0: shape k and scale σ.
 *
 * @example
 * ```ts
 * const { k, sigma } = fitGeneralizedPareto(exceedances);
 * ```
 */
export interface GeneralizedPareto {
  /** Shape k (ξ): heavier tails for larger k; the distribution has finite variance iff k < 1/2. */
  readonly k: number;
  /** Scale σ > 0. */
  readonly sigma: number;
}

/**
 * Fits a generalized Pareto distribution (location 0) to positive exceedances by the method of
 * Zhang & Stephens (2009): the profile likelihood in θ = −k/σ is averaged over a grid of
 * m = 30 + ⌊√n⌋ values placed by the quantiles of their prior, giving the posterior-mean θ̂,
 * then k̂ = mean(log(1 − θ̂x)) and σ̂ = −k̂/θ̂. As in Vehtari et al. (2024), k̂ is then shrunk
 * towards 1/2 with the weight of 10 prior observations, which stabilises small tails.
 *
 * @param sorted exceedances in ascending order (not modified), at least 2
 * @param weaklyInformative apply the shrinkage towards 1/2 (default true)
 * @example
 * ```ts
 * const fit = fitGeneralizedPareto(Float64Array.from([0.1, 0.4, 0.9, 2.5]));
 * fit.k; fit.sigma;
 * ```
 */
export function fitGeneralizedPareto(sorted: Float64Array, weaklyInformative = true): GeneralizedPareto {
  const n = sorted.length;
  if (n < 2) {
    throw new DomainError({
      where: "fitGeneralizedPareto",
      what: "needs at least two exceedances",
      got: String(n),
      expected: "n ≥ 2",
    });
  }
  const xMax = sorted[n - 1];
  const quartile = sorted[Math.max(0, Math.floor(n / 4 + 0.5) - 1)];
  if (!(xMax > 0) || !(quartile > 0)) return { k: Number.POSITIVE_INFINITY, sigma: Number.NaN };
  const m = 30 + Math.floor(Math.sqrt(n));
  const PRIOR = 3;
  const thetas = new Float64Array(m);
  const logLik = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    const theta = 1 / xMax + (1 - Math.sqrt(m / (j + 0.5))) / (PRIOR * quartile);
    thetas[j] = theta;
    // Profile log likelihood: n·(log(−θ/k) − k − 1) with k = mean(log(1 − θx)).
    let kj = 0;
    for (let i = 0; i < n; i++) kj += Math.log1p(-theta * sorted[i]);
    kj /= n;
    logLik[j] = n * (Math.log(-theta / kj) - kj - 1);
  }
  // Normalised weights wⱼ = 1 / Σₗ exp(ℓₗ − ℓⱼ); grid points with NaN likelihood get weight 0.
  let maxLik = Number.NEGATIVE_INFINITY;
  for (let j = 0; j < m; j++) if (logLik[j] > maxLik) maxLik = logLik[j];
  let total = 0;
  let thetaHat = 0;
  for (let j = 0; j < m; j++) {
    const w = Number.isNaN(logLik[j]) ? 0 : Math.exp(logLik[j] - maxLik);
    total += w;
    thetaHat += w * thetas[j];
  }
  thetaHat /= total;
  let k = 0;
  for (let i = 0; i < n; i++) k += Math.log1p(-thetaHat * sorted[i]);
  k /= n;
  const sigma = -k / thetaHat;
  if (weaklyInformative) k = (n * k + 10 * 0.5) / (n + 10);
  return { k, sigma };
}

/** Quantile of the generalized Pareto distribution (location 0) at probability p. */
function paretoQuantile(p: number, k: number, sigma: number): number {
  return Math.abs(k) < 1e-12 ? -sigma * Math.log1p(-p) : (sigma * ((1 - p) ** -k - 1)) / k;
}

/**
 * The result of {@link psis}.
 *
 * @example
 * ```ts
 * const { paretoK, logWeights } = psis(logRatios);
 * ```
 */
export interface PsisResult {
  /** Smoothed log weights, normalised so that Σ exp(logWeights) = 1. */
  readonly logWeights: Float64Array;
  /**
   * Estimated Pareto shape k̂ of the upper tail of the ratios: Infinity when it cannot be fitted
   * (fewer than 5 tail draws), −Infinity when the largest ratios are all equal (no tail).
   */
  readonly paretoK: number;
  /** k̂ above which PSIS estimates are unreliable for this many draws: min(1 − 1/log₁₀S, 0.7). */
  readonly paretoKThreshold: number;
  /** Number of largest ratios replaced by Pareto quantiles. */
  readonly tailLength: number;
  /** Effective sample size of the smoothed weights, 1 / Σ w². */
  readonly effectiveSampleSize: number;
}

/**
 * Pareto-smoothed importance sampling of S log importance ratios (Vehtari et al. 2024): the
 * M = ⌈min(S/5, 3√S)⌉ largest ratios are replaced by the expected order statistics of a
 * generalized Pareto distribution fitted to their exceedances over the (M+1)-th largest ratio,
 * truncated at the largest raw ratio; the weights are then normalised. −Infinity ratios are
 * allowed (weight 0); NaN is refused.
 *
 * @throws DomainError when a ratio is NaN or +Infinity, or fewer than 2 draws are given.
 * @example
 * ```ts
 * const { paretoK, logWeights } = psis(Float64Array.from(draws, (t) => logP(t) - logQ(t)));
 * if (paretoK > 0.7) console.warn("q is a poor importance proposal");
 * ```
 */
export function psis(logRatios: Float64Array): PsisResult {
  const S = logRatios.length;
  if (S < 2) {
    throw new DomainError({ where: "psis", what: "needs at least two draws", got: String(S), expected: "S ≥ 2" });
  }
  let maxRatio = Number.NEGATIVE_INFINITY;
  for (let s = 0; s < S; s++) {
    const r = logRatios[s];
    if (Number.isNaN(r) || r === Number.POSITIVE_INFINITY) {
      throw new DomainError({
        where: "psis",
        what: `log importance ratio ${s} is not a number below +Infinity`,
        got: describeValue(r),
        expected: "a finite value or -Infinity",
        hint: "check that log p and log q are finite at every draw.",
      });
    }
    if (r > maxRatio) maxRatio = r;
  }
  const threshold = Math.min(1 - 1 / Math.log10(S), 0.7);
  const logWeights = new Float64Array(S);
  if (maxRatio === Number.NEGATIVE_INFINITY) {
    return {
      logWeights: logWeights.fill(Number.NaN),
      paretoK: Number.POSITIVE_INFINITY,
      paretoKThreshold: threshold,
      tailLength: 0,
      effectiveSampleSize: 0,
    };
  }
  for (let s = 0; s < S; s++) logWeights[s] = logRatios[s] - maxRatio;
  const order = new Int32Array(S);
  for (let s = 0; s < S; s++) order[s] = s;
  order.sort((a, b) => logWeights[a] - logWeights[b]);
  const M = Math.min(S - 1, Math.ceil(Math.min(0.2 * S, 3 * Math.sqrt(S))));
  let paretoK = Number.POSITIVE_INFINITY;
  let tailLength = 0;
  const cutoff = logWeights[order[S - M - 1]];
  const tail = new Float64Array(M);
  const expCutoff = Math.exp(cutoff);
  for (let t = 0; t < M; t++) tail[t] = Math.exp(logWeights[order[S - M + t]]) - expCutoff;
  // Constant largest ratios (q ∝ p there) have no tail at all: k̂ = −∞, weights left as they are.
  if (M >= 5 && Number.isFinite(cutoff) && !(tail[M - 1] > 0)) paretoK = Number.NEGATIVE_INFINITY;
  // With fewer than 5 tail draws there is nothing to fit.
  if (M >= 5 && tail[M - 1] > tail[0] && Number.isFinite(cutoff)) {
    const fit = fitGeneralizedPareto(tail);
    paretoK = fit.k;
    if (Number.isFinite(fit.k) && fit.sigma > 0) {
      tailLength = M;
      for (let t = 0; t < M; t++) {
        const smoothed = Math.log(paretoQuantile((t + 0.5) / M, fit.k, fit.sigma) + expCutoff);
        logWeights[order[S - M + t]] = Math.min(smoothed, 0);
      }
    }
  }
  let sum = 0;
  for (let s = 0; s < S; s++) sum += Math.exp(logWeights[s]);
  const logSum = Math.log(sum);
  let sumSquares = 0;
  for (let s = 0; s < S; s++) {
    logWeights[s] -= logSum;
    const w = Math.exp(logWeights[s]);
    sumSquares += w * w;
  }
  return { logWeights, paretoK, paretoKThreshold: threshold, tailLength, effectiveSampleSize: 1 / sumSquares };
}

/**
 * Multinomial resampling: `n` indices drawn with replacement with probabilities exp(logWeights)
 * (normalised weights, e.g. from {@link psis}), by inverting the cumulative weights at sorted
 * uniforms (O(S + n)).
 *
 * @example
 * ```ts
 * const picks = resampleIndices(rng, psis(logRatios).logWeights, 1000);
 * ```
 */
export function resampleIndices(rng: Rng, logWeights: Float64Array, n: number): Int32Array {
  const S = logWeights.length;
  // Sorted uniforms from normalised exponential spacings, so one pass over the weights suffices.
  const points = new Float64Array(n + 1);
  let acc = 0;
  for (let i = 0; i <= n; i++) {
    acc -= Math.log(rng.uniform());
    points[i] = acc;
  }
  const out = new Int32Array(n);
  let cumulative = Math.exp(logWeights[0]);
  let s = 0;
  for (let i = 0; i < n; i++) {
    const u = points[i] / acc;
    while (u > cumulative && s < S - 1) cumulative += Math.exp(logWeights[++s]);
    out[i] = s;
  }
  // Resampled draws are exchangeable but come out sorted by index; shuffle to keep them i.i.d.-looking.
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    const t = out[i];
    out[i] = out[j];
    out[j] = t;
  }
  return out;
}
