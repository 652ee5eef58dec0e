/**
 * Log-factorials and the log binomial coefficient shared by the count families.
 * @module runtime/dists/log_choose
 */
import { lbeta, logFactorial } from "../special.js";

/** Below this, log n! comes from {@link LOG_FACTORIAL}, exact to rounding. */
const TABLE_LIMIT = 256;

/**
 * log k! for k < {@link TABLE_LIMIT}, built when the module loads (2 kB). A table owned here
 * rather than a call into the special functions: element kernels read it inline, and a call
 * per element that V8 does not inline would box its result.
 */
const LOG_FACTORIAL = Float64Array.from({ length: TABLE_LIMIT }, (_, k) => logFactorial(k));

/**
 * log k! for a non-negative integer k: a table read below 256, lgamma(k + 1) above.
 *
 * @param k - a non-negative integer
 * @returns log k!
 * @example
 * ```ts
 * logFactorialOf(4); // returns log 24
 * ```
 */
export function logFactorialOf(k: number): number {
  return k < TABLE_LIMIT ? LOG_FACTORIAL[k]! : logFactorial(k);
}

/**
 * log C(n, k) for integers 0 ≤ k ≤ n. Small n reads three log-factorials from the table; large
 * n uses C(n, k) = 1 / ((n + 1)·B(n − k + 1, k + 1)), whose log-beta is computed without the
 * cancellation of three huge log-gammas (and stays finite where lgamma(n + 1) overflows).
 *
 * @param n - trials, a non-negative integer
 * @param k - successes, an integer in [0, n]
 * @returns log C(n, k)
 * @example
 * ```ts
 * logChoose(5, 2); // returns log 10
 * ```
 */
export function logChoose(n: number, k: number): number {
  if (n < TABLE_LIMIT) return LOG_FACTORIAL[n]! - LOG_FACTORIAL[k]! - LOG_FACTORIAL[n - k]!;
  return -Math.log1p(n) - lbeta(n - k + 1, k + 1);
}
