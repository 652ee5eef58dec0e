/**
 * The log binomial coefficient shared by the binomial families.
 * @module runtime/dists/log_choose
 */
import { lbeta, logFactorial } from "../special.js";

/** Below this many trials log n! comes from the log-factorial table, exact to rounding. */
const TABLE_LIMIT = 256;

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
  if (n < TABLE_LIMIT) return logFactorial(n) - logFactorial(k) - logFactorial(n - k);
  return -Math.log1p(n) - lbeta(n - k + 1, k + 1);
}
