/**
 * Last-argument caches for the per-element normalising constants of scalar families.
 *
 * A broadcast parameter (one `scale` for a whole vector) has the same value at every element,
 * so constants such as log(scale) or lgamma(shape) would be recomputed n times; remembering the
 * last argument makes them cost one comparison after the first element. The wrapped functions
 * must be pure; a NaN argument never matches and is simply recomputed.
 *
 * The remembered numbers live in a Float64Array, not in closure variables: V8 keeps a closure
 * variable as a tagged value, so every store of a new double would allocate a heap number — a
 * cache shared by several terms (normal with scale 1, then 10, then σ) would allocate on every
 * density evaluation.
 * @module runtime/dists/memo
 */

/**
 * Wraps a pure one-argument function so that repeated calls with the same argument return the
 * remembered result.
 *
 * @param fn - a pure function of one number
 * @returns the caching function
 * @example
 * ```ts
 * const logScale = memoizeLast(Math.log);
 * logScale(2); // computes log 2
 * logScale(2); // returns the remembered value
 * ```
 */
export function memoizeLast(fn: (a: number) => number): (a: number) => number {
  // [last argument, last result]; see the module note on why a Float64Array.
  const last = Float64Array.of(Number.NaN, Number.NaN);
  return (a) => {
    if (a !== last[0]) {
      last[1] = fn(a);
      last[0] = a;
    }
    return last[1]!;
  };
}

/**
 * The two-argument form of {@link memoizeLast}.
 *
 * @param fn - a pure function of two numbers
 * @returns the caching function
 * @example
 * ```ts
 * const logBeta = memoizeLast2(lbeta);
 * logBeta(2, 3); // computes log B(2, 3) once for a whole vector of draws
 * ```
 */
export function memoizeLast2(fn: (a: number, b: number) => number): (a: number, b: number) => number {
  // [last a, last b, last result]
  const last = Float64Array.of(Number.NaN, Number.NaN, Number.NaN);
  return (a, b) => {
    if (a !== last[0] || b !== last[1]) {
      last[2] = fn(a, b);
      last[0] = a;
      last[1] = b;
    }
    return last[2]!;
  };
}
