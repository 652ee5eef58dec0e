/**
 * The search box of a Bayesian-optimisation problem and the checks on points and values that
 * every entry point shares.
 *
 * @module
 */
import { DataError, DomainError, describeValue, ShapeError } from "../../core/errors.js";

/**
 * A box, one `[lower, upper]` pair per dimension, with finite lower < upper.
 *
 * @example
 * ```ts
 * const braninBox: Bounds = [[-5, 10], [0, 15]];
 * ```
 */
export type Bounds = readonly (readonly [number, number])[];

/**
 * A box as two arrays (the form the internals use).
 *
 * @example
 * ```ts
 * const box = boxOf("bo", [[0, 1], [-2, 2]]); // { lower: [0, -2], upper: [1, 2] }
 * ```
 */
export interface Box {
  /** Lower corner. */
  readonly lower: Float64Array;
  /** Upper corner. */
  readonly upper: Float64Array;
}

/**
 * Validates `bounds` and returns it as two arrays.
 *
 * @throws ShapeError for an empty list or a malformed pair; DomainError unless every pair is
 *   finite with lower < upper.
 * @example
 * ```ts
 * boxOf("minimize()", [[-5, 10], [0, 15]]).upper; // Float64Array [10, 15]
 * ```
 */
export function boxOf(where: string, bounds: Bounds): Box {
  if (!Array.isArray(bounds) || bounds.length === 0) {
    throw new ShapeError({
      where,
      what: "bounds must list one [lower, upper] pair per dimension",
      got: describeValue(bounds),
      expected: "e.g. [[-5, 10], [0, 15]]",
    });
  }
  const d = bounds.length;
  const lower = new Float64Array(d);
  const upper = new Float64Array(d);
  for (let k = 0; k < d; k++) {
    const pair = bounds[k];
    if (!Array.isArray(pair) || pair.length !== 2) {
      throw new ShapeError({
        where,
        what: `bounds[${k}] must be a [lower, upper] pair`,
        got: describeValue(pair),
        expected: "two numbers",
      });
    }
    const [lo, hi] = pair;
    if (!Number.isFinite(lo) || !Number.isFinite(hi) || !(lo < hi)) {
      throw new DomainError({
        where,
        what: `bounds[${k}] is not a finite interval`,
        got: `[${lo}, ${hi}]`,
        expected: "finite lower < upper",
        hint: "Bayesian optimisation searches a bounded box; transform unbounded parameters (e.g. log scale) first.",
      });
    }
    lower[k] = lo;
    upper[k] = hi;
  }
  return { lower, upper };
}

/**
 * Copies a list of points (each of length d) into one row-major n × d array, checking lengths and
 * finiteness.
 *
 * @throws ShapeError when a point has the wrong length; DataError for non-finite coordinates.
 * @example
 * ```ts
 * flattenPoints("fitGp()", [[0, 1], [2, 3]], 2); // Float64Array [0, 1, 2, 3]
 * ```
 */
export function flattenPoints(where: string, points: readonly ArrayLike<number>[], d: number): Float64Array {
  const out = new Float64Array(points.length * d);
  for (let i = 0; i < points.length; i++) {
    const p = points[i];
    if (!p || p.length !== d) {
      throw new ShapeError({
        where,
        what: `point ${i} has the wrong number of coordinates`,
        got: describeValue(p?.length),
        expected: String(d),
      });
    }
    for (let k = 0; k < d; k++) {
      const v = p[k];
      if (!Number.isFinite(v)) {
        throw new DataError({ where, what: `point ${i} has a non-finite coordinate ${k}`, got: describeValue(v) });
      }
      out[i * d + k] = v;
    }
  }
  return out;
}

/**
 * Copies observed values into a Float64Array, checking the count and finiteness.
 *
 * @throws ShapeError when the count differs from the number of points; DataError for a non-finite value.
 * @example
 * ```ts
 * valuesOf("fitGp()", [1.5, 2], 2); // Float64Array [1.5, 2]
 * ```
 */
export function valuesOf(where: string, values: ArrayLike<number>, n: number): Float64Array {
  if (values.length !== n) {
    throw new ShapeError({
      where,
      what: "one value is needed per point",
      got: `${values.length} values`,
      expected: `${n}`,
    });
  }
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(values[i])) {
      throw new DataError({ where, what: `value ${i} is not finite`, got: describeValue(values[i]) });
    }
    out[i] = values[i];
  }
  return out;
}
