import fc from "fast-check";
import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import { describe, expect, it } from "vitest";
import { DataError, DomainError, ShapeError } from "../../../src/core/errors.js";
import { ComplexCholesky } from "../../../src/runtime/factor/complex_cholesky.js";
import { mulberry32, randomMatrix, randomVector } from "../operators/helpers.js";

/** B·Bᴴ + shift·I for a random complex B (interleaved, exactly Hermitian). */
function randomHpd(seed: number, n: number, shift = 0.5): Float64Array {
  const B = randomMatrix(mulberry32(seed), n, 2 * n);
  const A = new Float64Array(2 * n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let re = i === j ? shift : 0;
      let im = 0;
      for (let k = 0; k < n; k++) {
        const ar = B[2 * (i * n + k)];
        const ai = B[2 * (i * n + k) + 1];
        const br = B[2 * (j * n + k)];
        const bi = -B[2 * (j * n + k) + 1];
        re += ar * br - ai * bi;
        im += ar * bi + ai * br;
      }
      A[2 * (i * n + j)] = re;
      A[2 * (i * n + j) + 1] = i === j ? 0 : im;
      A[2 * (j * n + i)] = re;
      A[2 * (j * n + i) + 1] = i === j ? 0 : -im;
    }
  }
  return A;
}

function complexMatVec(A: Float64Array, n: number, x: Float64Array): Float64Array {
  const y = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const ar = A[2 * (i * n + j)];
      const ai = A[2 * (i * n + j) + 1];
      y[2 * i] += ar * x[2 * j] - ai * x[2 * j + 1];
      y[2 * i + 1] += ar * x[2 * j + 1] + ai * x[2 * j];
    }
  }
  return y;
}

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

describe("ComplexCholesky", () => {
  it("solves, reconstructs L·Lᴴ and matches the log-determinant of the real embedding", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 25 }), fc.nat(), (n, seed) => {
        const A = randomHpd(seed, n);
        const chol = ComplexCholesky.factor(A, n);
        const b = randomVector(mulberry32(seed + 1), 2 * n);
        const x = chol.solve(b);
        const r = complexMatVec(A, n, x).map((v, i) => v - b[i]);
        // Backward-stable residual: ≤ c·n·eps·‖A‖·‖x‖ with a generous c (see cholesky.test.ts).
        expect(maxAbs(r)).toBeLessThanOrEqual(64 * Math.max(8, n) * 2 ** -52 * maxAbs(A) * n * maxAbs(x) + 1e-300);
        const L = chol.lower();
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++) {
            let re = 0;
            let im = 0;
            for (let k = 0; k < n; k++) {
              const ar = L[2 * (i * n + k)];
              const ai = L[2 * (i * n + k) + 1];
              const br = L[2 * (j * n + k)];
              const bi = -L[2 * (j * n + k) + 1];
              re += ar * br - ai * bi;
              im += ar * bi + ai * br;
            }
            expect(Math.abs(re - A[2 * (i * n + j)])).toBeLessThanOrEqual(1e-12 * maxAbs(A));
            expect(Math.abs(im - A[2 * (i * n + j) + 1])).toBeLessThanOrEqual(1e-12 * maxAbs(A));
          }
        }
        // The real 2n × 2n embedding [[Re, −Im], [Im, Re]] has every eigenvalue of A twice.
        if (n > 0) {
          const E = Matrix.zeros(2 * n, 2 * n);
          for (let i = 0; i < n; i++) {
            for (let j = 0; j < n; j++) {
              const re = A[2 * (i * n + j)];
              const im = A[2 * (i * n + j) + 1];
              E.set(i, j, re);
              E.set(i + n, j + n, re);
              E.set(i, j + n, -im);
              E.set(i + n, j, im);
            }
          }
          const logDet = new EigenvalueDecomposition(E, { assumeSymmetric: true }).realEigenvalues.reduce(
            (s, v) => s + Math.log(v),
            0,
          );
          expect(Math.abs(chol.logDet() - logDet / 2)).toBeLessThanOrEqual(1e-10 * Math.max(1, Math.abs(logDet)));
        }
      }),
      { numRuns: 30, seed: 20240713 },
    );
  });

  it("works the documented example", () => {
    const chol = ComplexCholesky.factor(Float64Array.of(4, 0, 0, 2, 0, -2, 5, 0), 2);
    const x = chol.solve(Float64Array.of(4, 2, 5, -2));
    expect(maxAbs(x.map((v, i) => v - [1, 0, 1, 0][i]))).toBeLessThan(1e-15);
    expect(chol.logDet()).toBeCloseTo(Math.log(16), 14);
  });

  it("names the failing pivot, jitters on request and checks Hermitian symmetry", () => {
    // [[1, 2i], [-2i, 1]] has eigenvalues 3 and −1: pivot 1 = 1 − |2i|² = −3.
    const A = Float64Array.of(1, 0, 0, 2, 0, -2, 1, 0);
    expect(() => ComplexCholesky.factor(A, 2)).toThrow(DomainError);
    expect(() => ComplexCholesky.factor(A, 2)).toThrow(
      "complex cholesky: matrix is not positive definite — got pivot 1 = -3, expected > 0.",
    );
    expect(() => ComplexCholesky.factor(A, 2, { jitter: "auto" })).toThrow(/even with jitter/);
    // Singular PSD: [[1, i], [-i, 1]] (eigenvalues 2 and 0) is rescued by jitter.
    const S = Float64Array.of(1, 0, 0, 1, 0, -1, 1, 0);
    const chol = ComplexCholesky.factor(S, 2, { jitter: "auto" });
    expect(chol.jitter).toBeGreaterThan(0);
    expect(() => ComplexCholesky.factor(Float64Array.of(1, 0, 0, 1, 0, 1, 1, 0), 2)).toThrow(
      /complex cholesky: matrix is not Hermitian — got A\[0, 1\] = 0 \+ 1i but A\[1, 0\] = 0 \+ 1i/,
    );
    expect(() => ComplexCholesky.factor(Float64Array.of(1, 0.5), 1)).toThrow(/matrix diagonal is not real/);
    expect(() => ComplexCholesky.factor(new Float64Array(4), 2)).toThrow(ShapeError);
    expect(() => ComplexCholesky.factor(Float64Array.of(Number.NaN, 0), 1)).toThrow(DataError);
    expect(() => ComplexCholesky.factor(Float64Array.of(1, 0), 1).solve(new Float64Array(1))).toThrow(ShapeError);
  });
});
