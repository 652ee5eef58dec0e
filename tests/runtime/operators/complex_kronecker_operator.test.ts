import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ShapeError } from "../../../src/core/errors.js";
import { ComplexDenseOperator } from "../../../src/runtime/operators/complex_dense_operator.js";
import { ComplexKroneckerOperator } from "../../../src/runtime/operators/complex_kronecker_operator.js";
import { checkComplexOperator } from "./complex_helpers.js";
import { mulberry32, randomMatrix } from "./helpers.js";

/**
 * The explicitly formed complex Kronecker product by the index formula K[(i₁…), (j₁…)] = Π Aₖ[iₖ, jₖ],
 * with the magnitude bound 4·Π|Aₖ[iₖ, jₖ]| for each part (K ≤ 3 complex products, each
 * rounding relative to the product of the moduli).
 */
function formed(factors: readonly { a: Float64Array; r: number; c: number }[]): {
  dense: Float64Array;
  magnitude: Float64Array;
} {
  const rows = factors.reduce((p, f) => p * f.r, 1);
  const cols = factors.reduce((p, f) => p * f.c, 1);
  const out = new Float64Array(2 * rows * cols);
  const magnitude = new Float64Array(2 * rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      let re = 1;
      let im = 0;
      let mod = 1;
      let ii = i;
      let jj = j;
      for (let k = factors.length - 1; k >= 0; k--) {
        const f = factors[k];
        const ik = ii % f.r;
        const jk = jj % f.c;
        ii = Math.floor(ii / f.r);
        jj = Math.floor(jj / f.c);
        const ar = f.a[2 * (ik * f.c + jk)];
        const ai = f.a[2 * (ik * f.c + jk) + 1];
        [re, im] = [re * ar - im * ai, re * ai + im * ar];
        mod *= Math.hypot(ar, ai);
      }
      out[2 * (i * cols + j)] = re;
      out[2 * (i * cols + j) + 1] = im;
      magnitude[2 * (i * cols + j)] = magnitude[2 * (i * cols + j) + 1] = 4 * mod;
    }
  }
  return { dense: out, magnitude };
}

describe("ComplexKroneckerOperator", () => {
  it("matches the explicitly formed complex product for 1–3 factors", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 })), {
          minLength: 1,
          maxLength: 3,
        }),
        fc.nat(),
        (shapes, seed) => {
          const rand = mulberry32(seed);
          const factors = shapes.map(([r, c]) => ({ a: randomMatrix(rand, r, 2 * c), r, c }));
          const K = new ComplexKroneckerOperator(factors.map((f) => new ComplexDenseOperator(f.a, f.r, f.c)));
          expect(K.kind).toBe("complex_kronecker");
          const { dense, magnitude } = formed(factors);
          checkComplexOperator(K, dense, seed + 1, magnitude);
        },
      ),
      { numRuns: 50, seed: 20240709 },
    );
  });

  it("computes a 2-D DFT of a 2 × 2 grid from { re, im } parts", () => {
    const F = {
      re: [
        [1, 1],
        [1, -1],
      ],
    };
    const K = new ComplexKroneckerOperator([F, ComplexDenseOperator.fromParts(F.re)]);
    const y = new Float64Array(8);
    K.apply(Float64Array.of(1, 0, 0, 0, 0, 0, 0, 0), y);
    expect(Array.from(y)).toEqual([1, 0, 1, 0, 1, 0, 1, 0]);
  });

  it("rejects an empty list and non-matrix factors", () => {
    expect(() => new ComplexKroneckerOperator([])).toThrow(ShapeError);
    expect(() => new ComplexKroneckerOperator([{ rows: 1 } as never])).toThrow(
      /ComplexKroneckerOperator factor 0: not a complex dense matrix/,
    );
  });
});
