import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DataError } from "../../../src/core/errors.js";
import { CscOperator } from "../../../src/runtime/operators/csc_operator.js";
import { checkOperator, mulberry32, randomCoo, randomMatrix } from "./helpers.js";

const RUNS = { numRuns: 60, seed: 20240703 };

describe("CscOperator", () => {
  it("fromCoo sums duplicates and satisfies the operator contract", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 0, max: 200 }),
        fc.nat(),
        (rows, cols, count, seed) => {
          const { r, c, v, dense } = randomCoo(seed, rows, cols, count);
          checkOperator(CscOperator.fromCoo(rows, cols, r, c, v), dense, seed + 1);
        },
      ),
      RUNS,
    );
  });

  it("fromDense keeps exactly the nonzeros, from nested rows too", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 25 }), fc.integer({ min: 0, max: 25 }), fc.nat(), (rows, cols, seed) => {
        const a = randomMatrix(mulberry32(seed), rows, cols, 0.3);
        const A = CscOperator.fromDense(a, rows, cols);
        expect(A.nnz).toBe(a.filter((x) => x !== 0).length);
        checkOperator(A, a, seed + 2);
      }),
      RUNS,
    );
    checkOperator(
      CscOperator.fromDense([
        [1, 0],
        [0, 2],
        [3, 0],
      ]),
      Float64Array.of(1, 0, 0, 2, 3, 0),
      4,
    );
  });

  it("canonicalises unsorted columns with duplicates", () => {
    // Column 0: rows 1, 0, 1 (duplicate); column 1: row 1.
    const A = new CscOperator(2, 2, [0, 3, 4], [1, 0, 1, 1], [1, 2, 3, 4]);
    expect(A.nnz).toBe(3);
    checkOperator(A, Float64Array.of(2, 0, 4, 4), 8);
  });

  it("reports invalid patterns", () => {
    expect(() => new CscOperator(2, 2, [0, 1], [0], [1])).toThrow(
      "CscOperator: colPtr must have one entry per column plus one — got length 2, expected 3.",
    );
    expect(() => new CscOperator(2, 1, [0, 1], [2], [1])).toThrow(/rowIdx\[0\] is outside the matrix — got 2/);
    expect(() => CscOperator.fromCoo(2, 3, [0, 1], [0, 3], [1, 1])).toThrow(
      "CscOperator.fromCoo: entry 1 is outside the 2 × 3 matrix — got (row 1, col 3), expected row in [0, 2), col in [0, 3).",
    );
    expect(() => CscOperator.fromCoo(1, 1, [0], [0], [Number.NaN])).toThrow(DataError);
  });
});
