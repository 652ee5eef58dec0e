import fc from "fast-check";
import { CholeskyDecomposition, EigenvalueDecomposition, inverse, Matrix } from "ml-matrix";
import { describe, expect, it } from "vitest";
import { DataError, DomainError, ShapeError } from "../../../src/core/errors.js";
import { Cholesky } from "../../../src/runtime/factor/cholesky.js";
import { mulberry32, randomMatrix, randomVector, toRows } from "../operators/helpers.js";

const EPS = 2 ** -52;

/** A random SPD matrix B·Bᵀ + shift·I (exactly symmetric), condition number well below 1e6. */
function randomSpd(seed: number, n: number, shift = 0.5): Float64Array {
  const B = randomMatrix(mulberry32(seed), n, n);
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = i === j ? shift : 0;
      for (let k = 0; k < n; k++) s += B[i * n + k] * B[j * n + k];
      A[i * n + j] = A[j * n + i] = s;
    }
  }
  return A;
}

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

/** ‖A‖∞ (max row sum) of a row-major n × n matrix. */
function normInf(A: Float64Array, n: number): number {
  let m = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += Math.abs(A[i * n + j]);
    m = Math.max(m, s);
  }
  return m;
}

function matVec(A: Float64Array, n: number, x: Float64Array): Float64Array {
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) y[i] += A[i * n + j] * x[j];
  return y;
}

/**
 * Backward-stability criterion for a Cholesky solve: ‖A·x − b‖∞ ≤ c·n·eps·‖A‖∞·‖x‖∞. The textbook
 * bound has c a small constant; we allow c = 8 (and at least n = 8) so the test fails only for
 * genuinely wrong solves.
 */
function expectSmallResidual(A: Float64Array, n: number, x: Float64Array, b: Float64Array): void {
  const r = matVec(A, n, x).map((v, i) => v - b[i]);
  expect(maxAbs(r)).toBeLessThanOrEqual(8 * Math.max(8, n) * EPS * normInf(A, n) * maxAbs(x) + 1e-300);
}

describe("Cholesky", () => {
  it("solves, reconstructs and agrees with ml-matrix on random SPD matrices", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), fc.nat(), (n, seed) => {
        const A = randomSpd(seed, n);
        const chol = Cholesky.factor(A, n);
        expect(chol.jitter).toBe(0);
        const rand = mulberry32(seed + 1);
        const b = randomVector(rand, n);
        const x = chol.solve(b);
        expectSmallResidual(A, n, x, b);
        // L·Lᵀ = A to 1e-12 relative; L matches ml-matrix's factor (unique with a positive diagonal).
        const L = chol.lower();
        const U = chol.upper();
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++) {
            let s = 0;
            for (let k = 0; k < n; k++) s += L[i * n + k] * L[j * n + k];
            expect(Math.abs(s - A[i * n + j])).toBeLessThanOrEqual(1e-12 * maxAbs(A));
            expect(U[i * n + j]).toBe(L[j * n + i]);
            if (j > i) expect(L[i * n + j]).toBe(0);
          }
        }
        if (n > 0) {
          const ref = new CholeskyDecomposition(new Matrix(toRows(A, n, n))).lowerTriangularMatrix;
          for (let i = 0; i < n; i++) {
            for (let j = 0; j <= i; j++) expect(Math.abs(L[i * n + j] - ref.get(i, j))).toBeLessThanOrEqual(1e-10);
          }
        }
      }),
      { numRuns: 40, seed: 20240710 },
    );
  });

  it("logDet equals the sum of log-eigenvalues", () => {
    for (const [n, seed] of [
      [1, 1],
      [7, 2],
      [30, 3],
    ]) {
      const A = randomSpd(seed, n);
      const eig = new EigenvalueDecomposition(new Matrix(toRows(A, n, n)), { assumeSymmetric: true });
      const logDet = eig.realEigenvalues.reduce((s, v) => s + Math.log(v), 0);
      expect(Math.abs(Cholesky.factor(A, n).logDet() - logDet)).toBeLessThanOrEqual(
        1e-10 * Math.max(1, Math.abs(logDet)),
      );
    }
    expect(Cholesky.factor(new Float64Array(0), 0).logDet()).toBe(0);
    expect(Cholesky.factor(Float64Array.of(4, 2, 2, 5), 2).logDet()).toBeCloseTo(Math.log(16), 14);
  });

  it("solveMatrix, triangular products/solves, inverse and inverseDiagonal are consistent", () => {
    const n = 150; // large enough for the blocked kernels and kernel memory
    const A = randomSpd(5, n, 2);
    const chol = Cholesky.factor(A, n);
    const rand = mulberry32(6);
    const nrhs = 3;
    const B = randomMatrix(rand, n, nrhs);
    const X = chol.solveMatrix(B, nrhs);
    for (let c = 0; c < nrhs; c++) {
      const b = Float64Array.from({ length: n }, (_, i) => B[i * nrhs + c]);
      const x = Float64Array.from({ length: n }, (_, i) => X[i * nrhs + c]);
      expectSmallResidual(A, n, x, b);
    }
    // L·z against the explicit lower factor, and the inverses of the triangular maps.
    const L = chol.lower();
    const z = randomVector(rand, n);
    const Lz = chol.multiplyLower(z);
    const ref = matVec(L, n, z);
    for (let i = 0; i < n; i++) expect(Math.abs(Lz[i] - ref[i])).toBeLessThanOrEqual(1e-12 * n * maxAbs(L) * maxAbs(z));
    const back = chol.solveLower(Lz);
    for (let i = 0; i < n; i++) expect(Math.abs(back[i] - z[i])).toBeLessThanOrEqual(1e-9);
    const Ltz = chol.multiplyUpper(z);
    const back2 = chol.solveUpper(Ltz);
    for (let i = 0; i < n; i++) expect(Math.abs(back2[i] - z[i])).toBeLessThanOrEqual(1e-9);
    // In-place forms (out = input) give the same numbers.
    const inPlace = Float64Array.from(z);
    chol.multiplyLower(inPlace, inPlace);
    expect(Array.from(inPlace)).toEqual(Array.from(Lz));
    chol.solveLower(inPlace, inPlace);
    expect(Array.from(inPlace)).toEqual(Array.from(back));
    // A⁻¹ against ml-matrix, and its diagonal.
    const inv = chol.inverse();
    const refInv = inverse(new Matrix(toRows(A, n, n)));
    const scale = maxAbs(refInv.to1DArray());
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) expect(Math.abs(inv[i * n + j] - refInv.get(i, j))).toBeLessThanOrEqual(1e-9 * scale);
      expect(inv[i * n + partner(i, n)]).toBe(inv[partner(i, n) * n + i]);
    }
    const diag = chol.inverseDiagonal();
    for (let i = 0; i < n; i++) expect(Math.abs(diag[i] - refInv.get(i, i))).toBeLessThanOrEqual(1e-9 * scale);
  });

  it("refactor reuses the object for a new matrix", () => {
    const chol = Cholesky.factor(randomSpd(1, 20), 20);
    const A2 = randomSpd(2, 20);
    const inv1 = chol.inverseDiagonal();
    chol.refactor(A2);
    const b = randomVector(mulberry32(3), 20);
    expectSmallResidual(A2, 20, chol.solve(b), b);
    const fresh = Cholesky.factor(A2, 20);
    expect(chol.logDet()).toBe(fresh.logDet());
    expect(Array.from(chol.inverseDiagonal())).toEqual(Array.from(fresh.inverseDiagonal()));
    expect(Array.from(chol.inverseDiagonal())).not.toEqual(Array.from(inv1));
  });

  it("names the failing pivot when the matrix is not positive definite", () => {
    // A = L·Lᵀ − (L₃₇,₃₇² + 0.0021)·e₃₇e₃₇ᵀ: rows before 37 factor normally, pivot 37 is −0.0021.
    const n = 40;
    const p = 37;
    const rand = mulberry32(9);
    const Lf = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < i; j++) Lf[i * n + j] = 0.3 * (2 * rand() - 1);
      Lf[i * n + i] = 1 + rand();
    }
    const A = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j <= i; j++) {
        let s = 0;
        for (let k = 0; k <= j; k++) s += Lf[i * n + k] * Lf[j * n + k];
        A[i * n + j] = A[j * n + i] = s;
      }
    }
    A[p * n + p] -= Lf[p * n + p] ** 2 + 2.1e-3;
    expect(() => Cholesky.factor(A, n)).toThrow(DomainError);
    expect(() => Cholesky.factor(A, n)).toThrow(
      "cholesky: matrix is not positive definite — got pivot 37 = -0.0021, expected > 0. Hint: row/column 37 (0-based)",
    );
    expect(() => Cholesky.factor(A, n, { where: "gp kernel" })).toThrow(/^gp kernel: matrix is not positive definite/);
    // A negative pivot of that size is indefiniteness, not rounding: jitter up to 1e-6·mean(diag) cannot fix it.
    expect(() => Cholesky.factor(A, n, { jitter: "auto" })).toThrow(
      /cholesky: matrix is not positive definite, even with jitter — got pivot 37 = -0\.00\d+ with jitter .*Hint: jitter up to/,
    );
    expect(() => Cholesky.factor(Float64Array.of(1, 0, 0, -1), 2)).toThrow(/got pivot 1 = -1, expected > 0/);
    expect(() => Cholesky.factor(Float64Array.of(0), 1)).toThrow(/got pivot 0 = 0, expected > 0/);
  });

  it("jitter 'auto' rescues a singular covariance and reports the jitter used", () => {
    // A rank-2 covariance of 6 points (positive semi-definite, singular): plain Cholesky fails.
    const n = 6;
    const V = randomMatrix(mulberry32(4), n, 2);
    const A = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j <= i; j++) A[i * n + j] = A[j * n + i] = V[2 * i] * V[2 * j] + V[2 * i + 1] * V[2 * j + 1];
    }
    expect(() => Cholesky.factor(A, n)).toThrow(/not positive definite/);
    const chol = Cholesky.factor(A, n, { jitter: "auto" });
    let mean = 0;
    for (let i = 0; i < n; i++) mean += A[i * n + i] / n;
    const steps = Math.log10(chol.jitter / (1e-10 * mean));
    expect(chol.jitter).toBeGreaterThan(0);
    expect(chol.jitter).toBeLessThanOrEqual(1e-6 * mean * (1 + 1e-12));
    expect(Math.abs(steps - Math.round(steps))).toBeLessThan(1e-9); // ε = 1e-10·mean·10^m
    // The factor is that of A + εI.
    const L = chol.lower();
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += L[i * n + k] * L[j * n + k];
        const target = A[i * n + j] + (i === j ? chol.jitter : 0);
        expect(Math.abs(s - target)).toBeLessThanOrEqual(1e-12 * maxAbs(A));
      }
    }
    // A PD matrix takes no jitter, and maxJitter caps the search.
    expect(Cholesky.factor(randomSpd(3, 5), 5, { jitter: "auto" }).jitter).toBe(0);
    expect(() => Cholesky.factor(A, n, { jitter: "auto", maxJitter: 1e-30 })).toThrow(/even with jitter/);
  });

  it("rejects bad input", () => {
    expect(() => Cholesky.factor(new Float64Array(5), 2)).toThrow(ShapeError);
    expect(() => Cholesky.factor(new Float64Array(5), 2)).toThrow(
      "cholesky: matrix length does not match n × n — got 5, expected 4.",
    );
    expect(() => Cholesky.factor(Float64Array.of(1, Number.NaN, Number.NaN, 1), 2)).toThrow(DataError);
    expect(() => Cholesky.factor(Float64Array.of(2, 1, 1.5, 2), 2)).toThrow(
      "cholesky: matrix is not symmetric — got A[0, 1] = 1 but A[1, 0] = 1.5, expected equal entries (to 1e-8 of the largest entry).",
    );
    expect(() => Cholesky.factor(Float64Array.of(1), 1, { jitter: "sometimes" as "auto" })).toThrow(
      /unknown jitter policy/,
    );
    const chol = Cholesky.factor(Float64Array.of(4, 2, 2, 5), 2);
    expect(() => chol.solve(new Float64Array(3))).toThrow(
      "cholesky.solve: 'b' has the wrong length — got 3, expected 2 (n).",
    );
    expect(() => chol.solveMatrix(new Float64Array(3), 2)).toThrow(ShapeError);
  });
});

/** A fixed off-diagonal partner column for the symmetry spot check. */
function partner(i: number, n: number): number {
  return (i * 7 + 3) % n;
}
