import { type ChainDraws, checkChains, foldDraws, isDegenerate, rankNormalize, splitChains } from "./draws.js";

/**
 * The classic potential scale reduction factor of draws taken as they are (Gelman et al.
 * BDA3): √(var⁺/W) with W the mean within-chain variance, B/n the variance of chain means and
 * var⁺ = (n − 1)/n·W + B/n.
 *
 * @returns NaN for fewer than 2 chains or 2 draws, non-finite or constant draws
 * @example
 * ```ts
 * rhatBasic(splitChains(chains));
 * ```
 */
export function rhatBasic(chains: ChainDraws): number {
  const n = checkChains("rhat", chains);
  const m = chains.length;
  if (m < 2 || n < 2 || isDegenerate(chains)) return Number.NaN;
  const means = new Float64Array(m);
  let within = 0;
  for (let c = 0; c < m; c++) {
    const x = chains[c];
    let mean = 0;
    for (let i = 0; i < n; i++) mean += x[i];
    mean /= n;
    means[c] = mean;
    let ss = 0;
    for (let i = 0; i < n; i++) ss += (x[i] - mean) ** 2;
    within += ss / (n - 1) / m;
  }
  let grand = 0;
  for (let c = 0; c < m; c++) grand += means[c];
  grand /= m;
  let between = 0;
  for (let c = 0; c < m; c++) between += (means[c] - grand) ** 2;
  between *= n / (m - 1);
  return Math.sqrt((between / within + n - 1) / n);
}

/**
 * Rank-normalised split R-hat (Vehtari et al. 2021): the larger of the split R-hat of the
 * rank-normalised draws (differences in location) and of the rank-normalised folded draws
 * |x − median| (differences in scale). Values above 1.01 mean the chains have not mixed.
 * NaN for non-finite or constant draws.
 *
 * @example
 * ```ts
 * rhat(chains) < 1.01; // chains agree
 * ```
 */
export function rhat(chains: ChainDraws): number {
  checkChains("rhat", chains);
  if (isDegenerate(chains)) return Number.NaN;
  const bulk = rhatBasic(rankNormalize(splitChains(chains)));
  const tail = rhatBasic(rankNormalize(splitChains(foldDraws(chains))));
  if (Number.isNaN(bulk)) return tail;
  if (Number.isNaN(tail)) return bulk;
  return Math.max(bulk, tail);
}
