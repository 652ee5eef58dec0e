/**
 * Last-argument caches for the per-element normalising constants of scalar families.
 *
 * A broadcast parameter (one `scale` for a whole vector) has the same value at every element,
 * so constants such as log(scale) or lgamma(shape) would be recomputed n times; remembering the
 * last argument makes them cost one comparison after the first element. The wrapped functions
 * must be pure; a NaN argument never matches and is simply recomputed.
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
  let lastA = Number.NaN;
  let lastResult = Number.NaN;
  return (a) => {
    if (a !== lastA) {
      lastResult = fn(a);
      lastA = a;
    }
    return lastResult;
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
  let lastA = Number.NaN;
  let lastB = Number.NaN;
  let lastResult = Number.NaN;
  return (a, b) => {
    if (a !== lastA || b !== lastB) {
      lastResult = fn(a, b);
      lastA = a;
      lastB = b;
    }
    return lastResult;
  };
}
