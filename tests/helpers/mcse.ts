/**
 * Monte Carlo checks shared by the statistical tests.
 * @module tests/helpers/mcse
 */
import { expect } from "vitest";

/**
 * Asserts that the sample mean of each row of independent draws lies within `k` Monte Carlo
 * standard errors (sample sd / √n) of its exact expectation. With k = 4 a correct sampler fails
 * a given check with probability ≈ 6e-5.
 *
 * @example
 * ```ts
 * expectMeansWithinMcse([draws], [0.5]); // E[draw] = 0.5
 * ```
 */
export function expectMeansWithinMcse(rows: readonly ArrayLike<number>[], expected: readonly number[], k = 4): void {
  rows.forEach((values, r) => {
    const n = values.length;
    let mean = 0;
    for (let i = 0; i < n; i++) mean += values[i]!;
    mean /= n;
    let ss = 0;
    for (let i = 0; i < n; i++) ss += (values[i]! - mean) ** 2;
    const mcse = Math.sqrt(ss / (n - 1) / n);
    expect(Math.abs(mean - expected[r]!), `statistic ${r}: mean ${mean}, truth ${expected[r]}`).toBeLessThan(k * mcse);
  });
}
