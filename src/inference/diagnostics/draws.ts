import { ShapeError } from "../../core/errors.js";
import { normalQuantile } from "./distribution_functions.js";

/**
 * Draws of one scalar quantity from several chains: one Float64Array per chain, all the same
 * length. Every diagnostic in this folder takes this shape.
 *
 * @example
 * ```ts
 * const chains: ChainDraws = [new Float64Array([0.1, 0.3]), new Float64Array([0.2, -0.1])];
 * ```
 */
export type ChainDraws = readonly Float64Array[];

/**
 * Checks that there is at least one chain and all chains have the same length; returns it.
 *
 * @example
 * ```ts
 * checkChains("rhat", chains); // 1000
 * ```
 */
export function checkChains(where: string, chains: ChainDraws): number {
  if (chains.length === 0) {
    throw new ShapeError({ where, what: "no chains given", got: "0 chains", expected: "at least one chain" });
  }
  const n = chains[0].length;
  for (let c = 1; c < chains.length; c++) {
    if (chains[c].length !== n) {
      throw new ShapeError({
        where,
        what: `chain ${c} has a different number of draws from chain 0`,
        got: String(chains[c].length),
        expected: String(n),
      });
    }
  }
  return n;
}

/**
 * Splits every chain into its first and second half (dropping the middle draw of an odd-length
 * chain), so that a trend within a chain shows up as disagreement between chains.
 *
 * @example
 * ```ts
 * splitChains([new Float64Array([1, 2, 3, 4, 5])]); // [[1, 2], [4, 5]]
 * ```
 */
export function splitChains(chains: ChainDraws): Float64Array[] {
  const n = checkChains("splitChains", chains);
  if (n < 2) return chains.map((c) => c.slice());
  const half = Math.floor(n / 2);
  const out: Float64Array[] = [];
  for (const c of chains) {
    out.push(c.slice(0, half));
    out.push(c.slice(n - half));
  }
  return out;
}

/**
 * The rank-normalised draws of Vehtari et al. (2021): pooled average ranks r (ties share their
 * mean rank), mapped through Φ⁻¹((r − 3/8)/(S + 1/4)) where S is the total number of draws.
 *
 * @example
 * ```ts
 * rankNormalize([new Float64Array([3, 1]), new Float64Array([2, 2])]);
 * ```
 */
export function rankNormalize(chains: ChainDraws): Float64Array[] {
  checkChains("rankNormalize", chains);
  const sorted = pooledSorted(chains);
  const total = sorted.length;
  const denominator = total + 0.25;
  return chains.map((c) =>
    c.map((x) => {
      // 1-based average rank of x: (#below) + (#equal + 1)/2 = (lower + upper + 1)/2.
      const lower = lowerBound(sorted, x);
      const upper = sorted[lower] === x ? upperBound(sorted, x, lower) : lower;
      return normalQuantile(((lower + upper + 1) / 2 - 0.375) / denominator);
    }),
  );
}

/** First index i with sorted[i] ≥ x. */
function lowerBound(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index i ≥ from with sorted[i] > x. */
function upperBound(sorted: Float64Array, x: number, from: number): number {
  let lo = from;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * |x − median| over all draws: the folded draws whose R-hat detects chains that differ in
 * scale rather than location.
 *
 * @example
 * ```ts
 * foldDraws([new Float64Array([1, 2, 3])]); // [[1, 0, 1]]
 * ```
 */
export function foldDraws(chains: ChainDraws): Float64Array[] {
  const median = quantile(chains, 0.5);
  return chains.map((c) => c.map((x) => Math.abs(x - median)));
}

/**
 * A sample quantile of all draws pooled (R's default type 7: linear interpolation between order
 * statistics at h = (S − 1)·p).
 *
 * @example
 * ```ts
 * quantile([new Float64Array([1, 2, 3, 4])], 0.5); // 2.5
 * ```
 */
export function quantile(chains: ChainDraws, prob: number): number {
  return sortedQuantile(pooledSorted(chains), prob);
}

/**
 * All draws of all chains in one ascending array.
 *
 * @example
 * ```ts
 * pooledSorted([new Float64Array([3, 1]), new Float64Array([2, 0])]); // [0, 1, 2, 3]
 * ```
 */
export function pooledSorted(chains: ChainDraws): Float64Array {
  const n = checkChains("quantile", chains);
  const all = new Float64Array(n * chains.length);
  for (let c = 0; c < chains.length; c++) all.set(chains[c], c * n);
  return all.sort();
}

/**
 * Type-7 quantile of an ascending array.
 *
 * @example
 * ```ts
 * sortedQuantile(new Float64Array([1, 2, 3, 4, 5]), 0.05); // 1.2
 * ```
 */
export function sortedQuantile(sorted: Float64Array, prob: number): number {
  const s = sorted.length;
  if (s === 0) return Number.NaN;
  const h = (s - 1) * prob;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, s - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/**
 * Mean of all draws pooled.
 *
 * @example
 * ```ts
 * pooledMean([new Float64Array([1, 2]), new Float64Array([3, 6])]); // 3
 * ```
 */
export function pooledMean(chains: ChainDraws): number {
  let sum = 0;
  let count = 0;
  for (const c of chains) {
    for (let i = 0; i < c.length; i++) sum += c[i];
    count += c.length;
  }
  return sum / count;
}

/**
 * Sample standard deviation (n − 1 denominator) of all draws pooled.
 *
 * @example
 * ```ts
 * pooledSd([new Float64Array([1, 3])]); // √2
 * ```
 */
export function pooledSd(chains: ChainDraws): number {
  const mean = pooledMean(chains);
  let ss = 0;
  let count = 0;
  for (const c of chains) {
    for (let i = 0; i < c.length; i++) ss += (c[i] - mean) ** 2;
    count += c.length;
  }
  return Math.sqrt(ss / (count - 1));
}

/**
 * Whether the draws are unusable for ESS and R-hat: any non-finite value, or all values equal
 * (no variance to compare).
 *
 * @example
 * ```ts
 * isDegenerate([new Float64Array([2, 2, 2])]); // true
 * ```
 */
export function isDegenerate(chains: ChainDraws): boolean {
  const first = chains[0]?.[0];
  let constant = true;
  for (const c of chains) {
    for (let i = 0; i < c.length; i++) {
      const x = c[i];
      if (!Number.isFinite(x)) return true;
      if (x !== first) constant = false;
    }
  }
  return constant;
}
