import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DataError, ShapeError } from "../../../src/core/errors.js";
import { CsrOperator } from "../../../src/runtime/operators/csr_operator.js";
import { checkOperator, mulberry32, randomCoo, randomMatrix } from "./helpers.js";

const RUNS = { numRuns: 60, seed: 20240702 };

describe("CsrOperator", () => {
  it("fromCoo sums duplicates and satisfies the operator contract", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 0, max: 200 }),
        fc.nat(),
        (rows, cols, count, seed) => {
          const { r, c, v, dense } = randomCoo(seed, rows, cols, count);
          checkOperator(CsrOperator.fromCoo(rows, cols, r, c, v), dense, seed + 1);
        },
      ),
      RUNS,
    );
  });

  it("fromDense keeps exactly the nonzeros", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 25 }), fc.nat(), (rows, cols, seed) => {
        const a = randomMatrix(mulberry32(seed), rows, cols, 0.3);
        const A = CsrOperator.fromDense(a, rows, cols);
        expect(A.nnz).toBe(a.filter((x) => x !== 0).length);
        checkOperator(A, a, seed + 2);
      }),
      RUNS,
    );
  });

  it("canonicalises unsorted rows with duplicates given to the constructor", () => {
    // Row 0: columns 2, 0, 2 (duplicate); row 1 empty; row 2: columns 1, 0.
    const A = new CsrOperator(3, 3, [0, 3, 3, 5], [2, 0, 2, 1, 0], [1, 2, 3, 4, 5]);
    expect(A.nnz).toBe(4);
    const dense = Float64Array.of(2, 0, 4, 0, 0, 0, 5, 4, 0);
    checkOperator(A, dense, 7);
  });

  it("handles a pattern large enough to live in kernel memory", () => {
    const { r, c, v, dense } = randomCoo(5, 300, 40, 3000);
    checkOperator(CsrOperator.fromCoo(300, 40, r, c, v), dense, 6);
  });

  it("reports invalid patterns", () => {
    expect(() => new CsrOperator(2, 2, [0, 1], [0], [1])).toThrow(
      "CsrOperator: rowPtr must have one entry per row plus one — got length 2, expected 3.",
    );
    expect(() => new CsrOperator(2, 2, [0, 2, 1], [0, 1], [1, 1])).toThrow(DataError);
    expect(() => new CsrOperator(1, 2, [0, 1], [2], [1])).toThrow(/colIdx\[0\] is outside the matrix — got 2/);
    expect(() => new CsrOperator(1, 2, [0, 1], [0, 1], [1])).toThrow(ShapeError);
    expect(() => new CsrOperator(1, 2, [0, 1], [0], [Number.POSITIVE_INFINITY])).toThrow(DataError);
    expect(() => CsrOperator.fromCoo(2, 3, [0, 2], [0, 0], [1, 1])).toThrow(
      "CsrOperator.fromCoo: entry 1 is outside the 2 × 3 matrix — got (row 2, col 0), expected row in [0, 2), col in [0, 3).",
    );
    expect(() => CsrOperator.fromCoo(2, 3, [0], [0, 1], [1])).toThrow(ShapeError);
    expect(() => CsrOperator.fromDense(new Float64Array(4))).toThrow(/a Float64Array needs its shape/);
  });
});
