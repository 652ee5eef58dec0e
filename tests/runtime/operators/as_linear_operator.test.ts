import { describe, expect, it } from "vitest";
import { DataError, ShapeError } from "../../../src/core/errors.js";
import { asLinearOperator, isLinearOperator } from "../../../src/runtime/operators/as_linear_operator.js";
import { DiagonalOperator } from "../../../src/runtime/operators/diagonal_operator.js";
import { checkOperator } from "./helpers.js";

describe("asLinearOperator", () => {
  it("passes operators through and wraps dense inputs", () => {
    const D = new DiagonalOperator([1, 2]);
    expect(asLinearOperator(D)).toBe(D);
    const A = asLinearOperator([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(A.kind).toBe("dense");
    checkOperator(A, Float64Array.of(1, 2, 3, 4, 5, 6), 1);
    const B = asLinearOperator(Float64Array.of(1, 2, 3, 4, 5, 6), [3, 2]);
    expect([B.rows, B.cols]).toEqual([3, 2]);
    checkOperator(B, Float64Array.of(1, 2, 3, 4, 5, 6), 2);
  });

  it("recognises operators by shape", () => {
    expect(isLinearOperator(new DiagonalOperator([1]))).toBe(true);
    expect(isLinearOperator([[1]])).toBe(false);
    expect(isLinearOperator(new Float64Array(1))).toBe(false);
    expect(isLinearOperator({ rows: 1, cols: 1, apply() {} })).toBe(false);
  });

  it("explains what it cannot use", () => {
    expect(() => asLinearOperator(Float64Array.of(1, 2, 3))).toThrow(
      /asLinearOperator: a Float64Array needs its shape .* Hint: pass \(data, rows, cols\)/,
    );
    expect(() => asLinearOperator(Float64Array.of(1, 2, 3), [2, 2])).toThrow(
      "asLinearOperator: data length does not match rows × cols — got 3, expected 4.",
    );
    expect(() => asLinearOperator([[1, 2], [3]])).toThrow(ShapeError);
    expect(() => asLinearOperator([[1, Number.NaN]])).toThrow(DataError);
    expect(() => asLinearOperator("A" as never)).toThrow(/cannot use this value as a linear operator — got 'A'/);
  });
});
