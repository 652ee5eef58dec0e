import fc from "fast-check";
import { EigenvalueDecomposition, Matrix, pseudoInverse } from "ml-matrix";
import { describe, expect, it } from "vitest";
import { DataError, DomainError, ShapeError } from "../../../src/core/errors.js";
import { SymmetricEigen } from "../../../src/runtime/factor/symmetric_eigen.js";
import { mulberry32, randomMatrix, randomVector, toRows } from "../operators/helpers.js";

/** A random exactly-symmetric matrix (indefinite). */
function randomSymmetric(seed: number, n: number): Float64Array {
  const B = randomMatrix(mulberry32(seed), n, n);
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) A[i * n + j] = A[j * n + i] = B[i * n + j];
  return A;
}

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

describe("SymmetricEigen", () => {
  it("reconstructs A to 1e-10 relative with orthonormal vectors and ascending values", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), fc.nat(), (n, seed) => {
        const A = randomSymmetric(seed, n);
        const eig = SymmetricEigen.decompose(A, n);
        const R = eig.reconstruct();
        expect(maxAbs(R.map((v, i) => v - A[i]))).toBeLessThanOrEqual(1e-10 * Math.max(maxAbs(A), 1e-300));
        const V = eig.vectors;
        for (let a = 0; a < n; a++) {
          for (let b = 0; b < n; b++) {
            let s = 0;
            for (let i = 0; i < n; i++) s += V[i * n + a] * V[i * n + b];
            expect(Math.abs(s - (a === b ? 1 : 0))).toBeLessThanOrEqual(1e-12 * n);
          }
        }
        for (let i = 1; i < n; i++) expect(eig.values[i]).toBeGreaterThanOrEqual(eig.values[i - 1]);
        if (n > 0) {
          const ref = new EigenvalueDecomposition(new Matrix(toRows(A, n, n)), {
            assumeSymmetric: true,
          }).realEigenvalues
            .slice()
            .sort((x, y) => x - y);
          for (let i = 0; i < n; i++)
            expect(Math.abs(eig.values[i] - ref[i])).toBeLessThanOrEqual(1e-12 * n * maxAbs(A));
        }
      }),
      { numRuns: 40, seed: 20240711 },
    );
  });

  it("solves with the pseudo-inverse on singular matrices and counts the rank", () => {
    // A = V·diag(3, -2, 1, 0, 0)·Vᵀ from a random orthonormal V: rank 3, indefinite.
    const n = 5;
    const Q = SymmetricEigen.decompose(randomSymmetric(8, n), n).vectors;
    const w = [3, -2, 1, 0, 0];
    const A = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j <= i; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += Q[i * n + k] * w[k] * Q[j * n + k];
        A[i * n + j] = A[j * n + i] = s;
      }
    }
    const eig = SymmetricEigen.decompose(A, n);
    expect(eig.rank()).toBe(3);
    const b = randomVector(mulberry32(2), n);
    const x = eig.solve(b);
    const ref = pseudoInverse(new Matrix(toRows(A, n, n)))
      .mmul(Matrix.columnVector(Array.from(b)))
      .to1DArray();
    for (let i = 0; i < n; i++) expect(Math.abs(x[i] - ref[i])).toBeLessThanOrEqual(1e-10);
    // Non-singular: the pseudo-inverse solve is the inverse solve (residual check), in place too.
    const B = randomSymmetric(3, 12);
    const e2 = SymmetricEigen.decompose(B, 12);
    expect(e2.rank()).toBe(12);
    const c = randomVector(mulberry32(4), 12);
    const y = e2.solve(c);
    for (let i = 0; i < 12; i++) {
      let s = 0;
      for (let j = 0; j < 12; j++) s += B[i * 12 + j] * y[j];
      expect(Math.abs(s - c[i])).toBeLessThanOrEqual(1e-10 * maxAbs(y) * 12);
    }
    const inPlace = Float64Array.from(c);
    e2.solve(inPlace, inPlace);
    expect(Array.from(inPlace)).toEqual(Array.from(y));
  });

  it("rejects bad input", () => {
    expect(() => SymmetricEigen.decompose(new Float64Array(3), 2)).toThrow(ShapeError);
    expect(() => SymmetricEigen.decompose(Float64Array.of(1, 2, 3, 4), 2)).toThrow(DomainError);
    expect(() => SymmetricEigen.decompose(Float64Array.of(1, 2, 3, 4), 2)).toThrow(/^eigen: matrix is not symmetric/);
    expect(() => SymmetricEigen.decompose(Float64Array.of(Number.NaN), 1)).toThrow(DataError);
    expect(() => SymmetricEigen.decompose(Float64Array.of(1), 1).solve(new Float64Array(2))).toThrow(ShapeError);
  });
});
