import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DataError, ShapeError } from "../../../src/core/errors.js";
import { DenseOperator } from "../../../src/runtime/operators/dense_operator.js";
import { checkOperator, mulberry32, randomMatrix, toRows } from "./helpers.js";

const RUNS = { numRuns: 60, seed: 20240701 };

describe("DenseOperator", () => {
  it("satisfies the operator contract on random shapes (incl. empty)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 40 }), fc.nat(), (rows, cols, seed) => {
        const a = randomMatrix(mulberry32(seed), rows, cols);
        checkOperator(new DenseOperator(a, rows, cols), a, seed + 1);
      }),
      RUNS,
    );
  });

  it("builds from nested rows", () => {
    const A = DenseOperator.fromRows([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect([A.rows, A.cols, A.kind]).toEqual([2, 3, "dense"]);
    const y = new Float64Array(2);
    A.apply(Float64Array.of(1, 1, 1), y);
    expect(Array.from(y)).toEqual([6, 15]);
    checkOperator(A, Float64Array.of(1, 2, 3, 4, 5, 6), 3);
  });

  it("copies its data, so later changes to the input do not leak in", () => {
    const data = Float64Array.of(1, 2, 3, 4);
    const A = new DenseOperator(data, 2, 2);
    data[0] = 100;
    expect(A.toDense()[0]).toBe(1);
    const dense = A.toDense();
    dense[1] = 100;
    expect(A.toDense()[1]).toBe(2);
  });

  it("handles a matrix large enough to live in kernel memory", () => {
    const rows = 70;
    const cols = 50;
    const a = randomMatrix(mulberry32(9), rows, cols);
    checkOperator(new DenseOperator(a, rows, cols), a, 10);
    checkOperator(DenseOperator.fromRows(toRows(a, rows, cols)), a, 11);
  });

  it("rejects bad shapes and data with the sprig error format", () => {
    expect(() => new DenseOperator(new Float64Array(11), 3, 4)).toThrow(
      new ShapeError({
        where: "DenseOperator",
        what: "data length does not match rows × cols",
        got: "11",
        expected: "12",
      }),
    );
    expect(() => new DenseOperator(new Float64Array(11), 3, 4)).toThrow(
      "DenseOperator: data length does not match rows × cols — got 11, expected 12.",
    );
    expect(() => new DenseOperator([], -1, 0)).toThrow(ShapeError);
    expect(() => new DenseOperator([1, Number.NaN], 1, 2)).toThrow(DataError);
    expect(() => new DenseOperator([1, Number.NaN], 1, 2)).toThrow(/data entry 1 is not finite — got NaN/);
    expect(() => DenseOperator.fromRows([[1, 2], [3]])).toThrow(/row 1 has a different length from row 0 — got 1/);
    const A = new DenseOperator([1, 2, 3, 4, 5, 6], 2, 3);
    expect(() => A.apply(new Float64Array(2), new Float64Array(2))).toThrow(
      "DenseOperator.apply: 'x' has the wrong length — got 2, expected 3 (the number of columns).",
    );
  });
});
