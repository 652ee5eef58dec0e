/**
 * Smoke test of examples/em/sparse_regression.ts at a tiny size: the model compiles, EM-SBL runs
 * through fitEm, and on this fixed-seed data set it keeps fewer coefficients than OLS and
 * estimates them better (the point of the example).
 */
import { describe, expect, it } from "vitest";
import { runSparseRegression, sparseRegressionModel } from "../../../examples/em/sparse_regression.js";

describe("examples/em/sparse_regression.ts at tiny size", () => {
  it("runs, prints the table and beats OLS on coefficient error with fewer coefficients", () => {
    const lines: string[] = [];
    const [sbl, ols] = runSparseRegression({ N: 40, D: 12, testSize: 200, seed: 3, log: (l) => lines.push(l) });
    expect(lines.some((l) => l.startsWith("| EM-SBL (ard) |"))).toBe(true);
    expect(lines[1]).toBe("model: y ~ normal(X * w, sigma): w ~ ard (w_alpha); noise scale 'sigma' learned");
    for (const r of [sbl!, ols!]) {
      expect(Number.isFinite(r.testRmse)).toBe(true);
      expect(Number.isFinite(r.nmseDb)).toBe(true);
    }
    expect(ols!.kept).toBe(12);
    expect(sbl!.kept).toBeLessThan(12);
    expect(sbl!.nmseDb).toBeLessThan(ols!.nmseDb);
    expect(sparseRegressionModel().name).toBe("sparse_regression_ard");
  });
});
