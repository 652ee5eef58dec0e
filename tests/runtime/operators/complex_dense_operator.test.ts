import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DataError, ShapeError } from "../../../src/core/errors.js";
import { ComplexDenseOperator } from "../../../src/runtime/operators/complex_dense_operator.js";
import { checkComplexOperator } from "./complex_helpers.js";
import { mulberry32, randomMatrix, toRows } from "./helpers.js";

describe("ComplexDenseOperator", () => {
  it("matches the explicit complex product, adjoint and diagGram", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 20 }), fc.nat(), (rows, cols, seed) => {
        const a = randomMatrix(mulberry32(seed), rows, 2 * cols);
        const op = new ComplexDenseOperator(a, rows, cols);
        expect(op.kind).toBe("complex_dense");
        checkComplexOperator(op, a, seed + 1);
      }),
      { numRuns: 50, seed: 20240708 },
    );
  });

  it("builds from real and imaginary parts", () => {
    const rand = mulberry32(4);
    const re = randomMatrix(rand, 3, 4);
    const im = randomMatrix(rand, 3, 4);
    const op = ComplexDenseOperator.fromParts(toRows(re, 3, 4), toRows(im, 3, 4));
    const interleaved = new Float64Array(24);
    for (let k = 0; k < 12; k++) {
      interleaved[2 * k] = re[k];
      interleaved[2 * k + 1] = im[k];
    }
    checkComplexOperator(op, interleaved, 5);
    const realOnly = ComplexDenseOperator.fromParts([[1, 2]]);
    expect(Array.from(realOnly.toDense())).toEqual([1, 0, 2, 0]);
    // [[1, i]]·[1, 1] = 1 + i
    const y = new Float64Array(2);
    ComplexDenseOperator.fromParts([[1, 0]], [[0, 1]]).apply(Float64Array.of(1, 0, 1, 0), y);
    expect(Array.from(y)).toEqual([1, 1]);
  });

  it("rejects bad shapes and data", () => {
    expect(() => new ComplexDenseOperator(new Float64Array(6), 2, 2)).toThrow(
      "ComplexDenseOperator: data length does not match 2 · rows × cols — got 6, expected 8. Hint: complex entries are interleaved (re, im) pairs.",
    );
    expect(() => new ComplexDenseOperator([0, Number.NaN], 1, 1)).toThrow(DataError);
    expect(() => ComplexDenseOperator.fromParts([[1, 2]], [[1]])).toThrow(ShapeError);
  });
});
