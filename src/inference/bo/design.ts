/**
 * Space-filling designs on the unit cube: the initial design of a Bayesian-optimisation run and
 * the raw candidates from which acquisition maximisation starts.
 *
 * @module
 */
import type { Rng } from "../../core/rng.js";

/**
 * A Latin hypercube of n points in [0, 1)^d (row-major n × d): in every dimension each of the n
 * equal strata holds exactly one point, placed uniformly inside it; the strata are matched across
 * dimensions by independent random permutations (McKay, Beckman & Conover 1979).
 *
 * @example
 * ```ts
 * const design = latinHypercube(createRng(1), 10, 2); // 10 points, one per row and column stratum
 * ```
 */
export function latinHypercube(
  rng: Rng,
  n: number,
  d: number,
  out: Float64Array = new Float64Array(n * d),
): Float64Array {
  for (let j = 0; j < d; j++) {
    for (let i = 0; i < n; i++) out[i * d + j] = i;
    // Fisher–Yates shuffle of the stratum indices of column j.
    for (let i = n - 1; i > 0; i--) {
      const r = Math.floor(rng.uniform() * (i + 1));
      const t = out[i * d + j];
      out[i * d + j] = out[r * d + j];
      out[r * d + j] = t;
    }
    for (let i = 0; i < n; i++) out[i * d + j] = (out[i * d + j] + rng.uniform()) / n;
  }
  return out;
}

/**
 * n independent uniform points in (0, 1)^d, written into `out` from row `start` on.
 *
 * @example
 * ```ts
 * const points = uniformPoints(createRng(2), 100, 3);
 * ```
 */
export function uniformPoints(
  rng: Rng,
  n: number,
  d: number,
  out: Float64Array = new Float64Array(n * d),
  start = 0,
): Float64Array {
  for (let i = start * d; i < (start + n) * d; i++) out[i] = rng.uniform();
  return out;
}
