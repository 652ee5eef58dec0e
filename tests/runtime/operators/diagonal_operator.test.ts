import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DataError } from "../../../src/core/errors.js";
import { DiagonalOperator } from "../../../src/runtime/operators/diagonal_operator.js";
import { checkOperator, mulberry32, randomVector } from "./helpers.js";

describe("DiagonalOperator", () => {
  it("satisfies the operator contract", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 50 }), fc.nat(), (n, seed) => {
        const d = randomVector(mulberry32(seed), n);
        const dense = new Float64Array(n * n);
        for (let i = 0; i < n; i++) dense[i * n + i] = d[i];
        const D = new DiagonalOperator(d);
        expect(D.kind).toBe("diagonal");
        checkOperator(D, dense, seed + 1);
      }),
      { numRuns: 40, seed: 20240704 },
    );
  });

  it("works in place and returns a copy of its diagonal", () => {
    const D = new DiagonalOperator([1, 2, 3]);
    const x = Float64Array.of(1, 1, 1);
    D.apply(x, x, 2);
    expect(Array.from(x)).toEqual([2, 4, 6]);
    const d = D.diagonal();
    d[0] = 9;
    expect(D.diagonal()[0]).toBe(1);
  });

  it("rejects non-finite entries", () => {
    expect(() => new DiagonalOperator([1, Number.NaN])).toThrow(DataError);
    expect(() => new DiagonalOperator([1, Number.NaN])).toThrow(
      "DiagonalOperator: diagonal entry 1 is not finite — got NaN, expected a finite number.",
    );
  });
});
