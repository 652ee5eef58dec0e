import fc from "fast-check";
import { Matrix, pseudoInverse, SingularValueDecomposition } from "ml-matrix";
import { describe, expect, it } from "vitest";
import { DataError, ShapeError } from "../../../src/core/errors.js";
import { Svd } from "../../../src/runtime/factor/svd.js";
import { mulberry32, randomMatrix, randomVector, toRows } from "../operators/helpers.js";

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

/** Entries (a, b) of XᵀX for the columns of a rows × cols row-major X must be δ_ab. */
function expectOrthonormalColumns(X: Float64Array, rows: number, cols: number): void {
  for (let a = 0; a < cols; a++) {
    for (let b = 0; b < cols; b++) {
      let s = 0;
      for (let i = 0; i < rows; i++) s += X[i * cols + a] * X[i * cols + b];
      expect(Math.abs(s - (a === b ? 1 : 0))).toBeLessThanOrEqual(1e-12 * Math.max(rows, 1));
    }
  }
}

describe("Svd", () => {
  it("reconstructs A to 1e-10 relative with orthonormal factors and descending values", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 30 }), fc.nat(), (rows, cols, seed) => {
        const A = randomMatrix(mulberry32(seed), rows, cols);
        const svd = Svd.decompose(A, rows, cols);
        const k = Math.min(rows, cols);
        expect(svd.k).toBe(k);
        const R = svd.reconstruct();
        expect(maxAbs(R.map((v, i) => v - A[i]))).toBeLessThanOrEqual(1e-10 * Math.max(maxAbs(A), 1e-300));
        expectOrthonormalColumns(svd.U, rows, k);
        // Rows of Vt orthonormal = columns of V.
        const V = new Float64Array(cols * k);
        for (let a = 0; a < k; a++) for (let j = 0; j < cols; j++) V[j * k + a] = svd.Vt[a * cols + j];
        expectOrthonormalColumns(V, cols, k);
        for (let i = 1; i < k; i++) expect(svd.s[i]).toBeLessThanOrEqual(svd.s[i - 1]);
        if (k > 0) {
          const ref = new SingularValueDecomposition(new Matrix(toRows(A, rows, cols))).diagonal;
          for (let i = 0; i < k; i++) expect(Math.abs(svd.s[i] - ref[i])).toBeLessThanOrEqual(1e-12 * 30 * svd.s[0]);
        }
      }),
      { numRuns: 40, seed: 20240712 },
    );
  });

  it("counts the rank and solves least squares with the minimum norm", () => {
    // X = P·Q with P 9 × 3 and Q 3 × 6: rank 3.
    const rand = mulberry32(5);
    const P = randomMatrix(rand, 9, 3);
    const Q = randomMatrix(rand, 3, 6);
    const X = new Float64Array(54);
    for (let i = 0; i < 9; i++)
      for (let j = 0; j < 6; j++) for (let q = 0; q < 3; q++) X[i * 6 + j] += P[i * 3 + q] * Q[q * 6 + j];
    for (const [M, rows, cols] of [
      [X, 9, 6],
      [Float64Array.from({ length: 54 }, (_, t) => X[(t % 9) * 6 + Math.floor(t / 9)]), 6, 9],
    ] as const) {
      const svd = Svd.decompose(M, rows, cols);
      expect(svd.rank()).toBe(3);
      const b = randomVector(rand, rows);
      const x = svd.solve(b);
      const ref = pseudoInverse(new Matrix(toRows(M, rows, cols)))
        .mmul(Matrix.columnVector(Array.from(b)))
        .to1DArray();
      for (let j = 0; j < cols; j++)
        expect(Math.abs(x[j] - ref[j])).toBeLessThanOrEqual(1e-10 * Math.max(1, maxAbs(ref)));
    }
    // Full column rank: the normal equations hold, Aᵀ(A·x − b) = 0.
    const A = randomMatrix(rand, 20, 5);
    const b = randomVector(rand, 20);
    const x = Svd.decompose(A, 20, 5).solve(b);
    for (let j = 0; j < 5; j++) {
      let g = 0;
      for (let i = 0; i < 20; i++) {
        let r = -b[i];
        for (let q = 0; q < 5; q++) r += A[i * 5 + q] * x[q];
        g += A[i * 5 + j] * r;
      }
      expect(Math.abs(g)).toBeLessThanOrEqual(1e-12 * 20 * 5);
    }
  });

  it("rejects bad input", () => {
    expect(() => Svd.decompose(new Float64Array(5), 2, 3)).toThrow(
      "svd: data length does not match rows × cols — got 5, expected 6.",
    );
    expect(() => Svd.decompose(Float64Array.of(1, Number.POSITIVE_INFINITY), 1, 2)).toThrow(DataError);
    expect(() => Svd.decompose(Float64Array.of(1, 2), 1, 2).solve(new Float64Array(2))).toThrow(ShapeError);
  });
});
