import type { Rng } from "../../core/rng.js";

/**
 * Writes the normalised weights Wᵢ = exp(ℓᵢ − log Σⱼ exp ℓⱼ) of the first `n` log weights into
 * `out` and returns log Σⱼ exp ℓⱼ. When every ℓᵢ is `-Infinity` it writes zeros and returns
 * `-Infinity`; callers decide how to report that.
 *
 * @example
 * ```ts
 * const w = new Float64Array(2);
 * normalizeLogWeights(new Float64Array([0, Math.log(3)]), 2, w); // log 4; w = [0.25, 0.75]
 * ```
 */
export function normalizeLogWeights(logWeights: Float64Array, n: number, out: Float64Array): number {
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) if (logWeights[i] > max) max = logWeights[i];
  if (max === Number.NEGATIVE_INFINITY) {
    out.fill(0, 0, n);
    return max;
  }
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const w = Math.exp(logWeights[i] - max);
    out[i] = w;
    sum += w;
  }
  const inv = 1 / sum;
  for (let i = 0; i < n; i++) out[i] *= inv;
  return max + Math.log(sum);
}

/**
 * Kish's effective sample size 1 / Σ Wᵢ² of normalised weights: n for equal weights, 1 when one
 * particle carries all the weight.
 *
 * @example
 * ```ts
 * effectiveSampleSize(new Float64Array([0.5, 0.5]), 2); // 2
 * ```
 */
export function effectiveSampleSize(weights: Float64Array, n: number = weights.length): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += weights[i] * weights[i];
  return 1 / s;
}

/**
 * One index drawn with probabilities proportional to exp(ℓᵢ) over the first `n` log weights,
 * by inversion on the running sum (O(n), no scratch).
 *
 * @returns −1 when every ℓᵢ is `-Infinity`
 * @example
 * ```ts
 * sampleLogCategorical(rng, new Float64Array([0, Math.log(3)]), 2); // 1 with probability 3/4
 * ```
 */
export function sampleLogCategorical(rng: Rng, logWeights: Float64Array, n: number): number {
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) if (logWeights[i] > max) max = logWeights[i];
  if (max === Number.NEGATIVE_INFINITY) return -1;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.exp(logWeights[i] - max);
  const target = rng.uniform() * sum;
  let cum = 0;
  let last = -1;
  for (let i = 0; i < n; i++) {
    const w = Math.exp(logWeights[i] - max);
    if (w === 0) continue;
    cum += w;
    last = i;
    if (target < cum) return i;
  }
  // Rounding left `cum` a hair below `sum`: the last index with positive weight owns the gap.
  return last;
}

/**
 * Walker's alias table (Vose's O(n) construction): after `build(weights)`, `draw(rng)` returns
 * index i with probability wᵢ / Σw in O(1) with one uniform. All storage is allocated once.
 *
 * @example
 * ```ts
 * const table = new AliasTable(3);
 * table.build(new Float64Array([0.2, 0.5, 0.3]));
 * const i = table.draw(rng);
 * ```
 */
export class AliasTable {
  private readonly probability: Float64Array;
  private readonly alias: Int32Array;
  private readonly small: Int32Array;
  private readonly large: Int32Array;
  private n = 0;

  /** Allocates a table for up to `capacity` outcomes. */
  constructor(capacity: number) {
    this.probability = new Float64Array(capacity);
    this.alias = new Int32Array(capacity);
    this.small = new Int32Array(capacity);
    this.large = new Int32Array(capacity);
  }

  /**
   * Rebuilds the table for the non-negative weights `weights[0 … n)` (need not sum to one, must
   * have a positive sum).
   *
   * @example
   * ```ts
   * table.build(weights, 100);
   * ```
   */
  build(weights: Float64Array, n: number = weights.length): void {
    const prob = this.probability;
    const alias = this.alias;
    const small = this.small;
    const large = this.large;
    let total = 0;
    for (let i = 0; i < n; i++) total += weights[i];
    const scale = n / total;
    let ns = 0;
    let nl = 0;
    for (let i = 0; i < n; i++) {
      const p = weights[i] * scale;
      prob[i] = p;
      alias[i] = i;
      if (p < 1) small[ns++] = i;
      else large[nl++] = i;
    }
    while (ns > 0 && nl > 0) {
      const s = small[--ns];
      const l = large[nl - 1];
      alias[s] = l;
      const rest = prob[l] + prob[s] - 1;
      prob[l] = rest;
      if (rest < 1) {
        nl--;
        small[ns++] = l;
      }
    }
    // What remains is 1 up to rounding: make those columns certain so no alias is ever read.
    while (nl > 0) prob[large[--nl]] = 1;
    while (ns > 0) prob[small[--ns]] = 1;
    this.n = n;
  }

  /**
   * One index drawn from the weights of the last {@link AliasTable.build}.
   *
   * @example
   * ```ts
   * const i = table.draw(rng);
   * ```
   */
  draw(rng: Rng): number {
    const x = rng.uniform() * this.n;
    const column = Math.floor(x);
    return x - column < this.probability[column] ? column : this.alias[column];
  }
}
