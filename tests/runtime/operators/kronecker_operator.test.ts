import fc from "fast-check";
import { Matrix } from "ml-matrix";
import { describe, expect, it } from "vitest";
import { ShapeError } from "../../../src/core/errors.js";
import type { LinearOperator } from "../../../src/runtime/linear_operator.js";
import { CsrOperator } from "../../../src/runtime/operators/csr_operator.js";
import { DenseOperator } from "../../../src/runtime/operators/dense_operator.js";
import { DiagonalOperator } from "../../../src/runtime/operators/diagonal_operator.js";
import { KroneckerOperator } from "../../../src/runtime/operators/kronecker_operator.js";
import { checkOperator, mulberry32, randomMatrix, randomVector, toRows } from "./helpers.js";

const RUNS = { numRuns: 50, seed: 20240706 };

/** The explicitly formed product, by ml-matrix (an implementation independent of ours). */
function formed(factors: readonly { a: Float64Array; r: number; c: number }[]): Float64Array {
  let acc = new Matrix([[1]]);
  for (const f of factors) {
    const m = f.r > 0 && f.c > 0 ? new Matrix(toRows(f.a, f.r, f.c)) : new Matrix(f.r, f.c);
    acc = acc.kroneckerProduct(m);
  }
  return Float64Array.from(acc.to1DArray());
}

const factorShapes = fc.array(fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 })), {
  minLength: 1,
  maxLength: 3,
});

describe("KroneckerOperator", () => {
  it("dense factors (dkronmv path) match the explicitly formed product", () => {
    fc.assert(
      fc.property(factorShapes, fc.nat(), fc.boolean(), (shapes, seed, nested) => {
        const rand = mulberry32(seed);
        const factors = shapes.map(([r, c]) => ({ a: randomMatrix(rand, r, c), r, c }));
        const K = new KroneckerOperator(
          factors.map((f) => (nested ? toRows(f.a, f.r, f.c) : new DenseOperator(f.a, f.r, f.c))),
        );
        expect(K.kind).toBe("kronecker");
        checkOperator(K, formed(factors), seed + 1);
      }),
      RUNS,
    );
  });

  it("sparse and diagonal factors (fibre path) match the explicitly formed product", () => {
    fc.assert(
      fc.property(factorShapes, fc.nat(), (shapes, seed) => {
        const rand = mulberry32(seed);
        const factors = shapes.map(([r, c], k) => {
          // Alternate kinds so that every mixture of dense, CSR and diagonal factors occurs.
          const kind = (k + seed) % 3;
          const n = kind === 2 ? r : c;
          const a = kind === 2 ? new Float64Array(r * r) : randomMatrix(rand, r, n, kind === 1 ? 0.5 : 1);
          if (kind === 2) for (let i = 0; i < r; i++) a[i * r + i] = 2 * rand() - 1;
          const op: LinearOperator =
            kind === 0
              ? new DenseOperator(a, r, n)
              : kind === 1
                ? CsrOperator.fromDense(a, r, n)
                : new DiagonalOperator(Array.from({ length: r }, (_, i) => a[i * r + i]));
          return { op, ref: { a, r, c: n } };
        });
        // Guarantee a non-dense factor so the fibre path is the one under test.
        factors.push({ op: new DiagonalOperator([0.5, -2]), ref: { a: Float64Array.of(0.5, 0, 0, -2), r: 2, c: 2 } });
        const K = new KroneckerOperator(factors.map((f) => f.op));
        checkOperator(K, formed(factors.map((f) => f.ref)), seed + 2);
      }),
      RUNS,
    );
  });

  it("handles zero-sized factors", () => {
    const K = new KroneckerOperator([[[1, 2]], new DenseOperator([], 0, 3)]);
    expect([K.rows, K.cols]).toEqual([0, 6]);
    checkOperator(K, new Float64Array(0), 1);
    const L = new KroneckerOperator([new DiagonalOperator([]), [[1, 2]]]);
    expect([L.rows, L.cols]).toEqual([0, 0]);
  });

  it("applies a product far too large to form (3 factors 40 × 40: 64000 × 64000)", () => {
    const rand = mulberry32(77);
    const n = 40;
    const A = [0, 1, 2].map(() => randomMatrix(rand, n, n));
    const K = new KroneckerOperator(A.map((a) => new DenseOperator(a, n, n)));
    const x = randomVector(rand, n ** 3);
    const y = new Float64Array(n ** 3);
    K.apply(x, y);
    const g = new Float64Array(n ** 3);
    K.applyTranspose(x, g);
    // Spot-check rows against K[i, j] = A₁[i₁, j₁]·A₂[i₂, j₂]·A₃[i₃, j₃] summed over all j.
    for (const i of [0, 12345, n ** 3 - 1]) {
      const [i1, i2, i3] = [Math.floor(i / (n * n)), Math.floor(i / n) % n, i % n];
      let s = 0;
      let sT = 0;
      let scale = 0;
      let scaleT = 0;
      for (let j = 0; j < n ** 3; j++) {
        const [j1, j2, j3] = [Math.floor(j / (n * n)), Math.floor(j / n) % n, j % n];
        const kij = A[0][i1 * n + j1] * A[1][i2 * n + j2] * A[2][i3 * n + j3];
        const kji = A[0][j1 * n + i1] * A[1][j2 * n + i2] * A[2][j3 * n + i3];
        s += kij * x[j];
        sT += kji * x[j];
        scale += Math.abs(kij * x[j]);
        scaleT += Math.abs(kji * x[j]);
      }
      expect(Math.abs(y[i] - s)).toBeLessThanOrEqual(1e-12 * scale);
      expect(Math.abs(g[i] - sT)).toBeLessThanOrEqual(1e-12 * scaleT);
    }
    // diagGram of the product is the Kronecker product of the factor diagGrams.
    const dg = new Float64Array(n ** 3);
    K.diagGram(dg);
    const col = (a: Float64Array, j: number) => a.filter((_, idx) => idx % n === j).reduce((s, v) => s + v * v, 0);
    const j = 4321;
    const expected = col(A[0], Math.floor(j / (n * n))) * col(A[1], Math.floor(j / n) % n) * col(A[2], j % n);
    expect(Math.abs(dg[j] - expected)).toBeLessThanOrEqual(1e-12 * expected);
  });

  it("rejects an empty factor list and non-matrix factors", () => {
    expect(() => new KroneckerOperator([])).toThrow(ShapeError);
    expect(() => new KroneckerOperator([])).toThrow("KroneckerOperator: needs at least one factor — got 0 factors");
    expect(() => new KroneckerOperator([[[1], [2, 3]]])).toThrow(
      /KroneckerOperator factor 0: row 1 has a different length/,
    );
  });
});
