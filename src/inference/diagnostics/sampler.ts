/**
 * Energy Bayesian fraction of missing information of one chain (Betancourt 2016):
 * Σ (Eₙ − Eₙ₋₁)² / Σ (Eₙ − Ē)². Values below 0.3 mean the momentum resampling barely moves the
 * energy, so the chain explores the marginal energy distribution (often heavy tails) slowly.
 *
 * @returns NaN for fewer than 2 draws or constant energy
 * @example
 * ```ts
 * ebfmi(result.chains[0].stats.energy) < 0.3; // warn
 * ```
 */
export function ebfmi(energy: Float64Array): number {
  const n = energy.length;
  if (n < 2) return Number.NaN;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += energy[i];
  mean /= n;
  let numerator = 0;
  let denominator = 0;
  for (let i = 0; i < n; i++) {
    if (i > 0) numerator += (energy[i] - energy[i - 1]) ** 2;
    denominator += (energy[i] - mean) ** 2;
  }
  return denominator > 0 ? numerator / denominator : Number.NaN;
}

/**
 * Number of flagged transitions (non-zero entries), e.g. of `stats.isDivergent`.
 *
 * @example
 * ```ts
 * countFlags(chain.stats.isDivergent); // divergences in this chain
 * ```
 */
export function countFlags(flags: ArrayLike<number>): number {
  let count = 0;
  for (let i = 0; i < flags.length; i++) if (flags[i] !== 0) count++;
  return count;
}

/**
 * Number of transitions whose tree depth reached `maxTreeDepth` (the trajectory was cut short,
 * so NUTS behaved like a less efficient fixed-length HMC there).
 *
 * @example
 * ```ts
 * countSaturated(chain.stats.treeDepth, 10);
 * ```
 */
export function countSaturated(treeDepth: Int32Array, maxTreeDepth: number): number {
  let count = 0;
  for (let i = 0; i < treeDepth.length; i++) if (treeDepth[i] >= maxTreeDepth) count++;
  return count;
}
