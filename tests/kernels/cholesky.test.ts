import fc from "fast-check";
import { CholeskyDecomposition, Matrix } from "ml-matrix";
import seedrandom from "seedrandom";
import { describe, expect, it } from "vitest";
import { dpotrf, dpotrfOffset, dpotrs, dpotrsOffset } from "../../src/kernels/cholesky.js";

type Uplo = "U" | "L";

/** Dense N × N SPD matrix G·Gᵀ + N·I (well conditioned), as a plain row-major array. */
function randomSpd(N: number, seed: string): Float64Array {
  const rng = seedrandom(seed);
  const G = new Float64Array(N * N);
  for (let i = 0; i < G.length; i++) G[i] = 2 * rng() - 1;
  const A = new Float64Array(N * N);
  for (let i = 0; i < N; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k < N; k++) s += G[i * N + k] * G[j * N + k];
      if (i === j) s += N;
      A[i * N + j] = s;
      A[j * N + i] = s;
    }
  }
  return A;
}

/** Embeds the N × N matrix X into a buffer with leading dimension ld and offset off; padding is filled with `pad`. */
function embed(X: Float64Array, N: number, cols: number, ld: number, off: number, pad: number): Float64Array {
  const out = new Float64Array(off + Math.max(0, N - 1) * ld + cols + 3).fill(pad);
  for (let i = 0; i < N; i++) for (let j = 0; j < cols; j++) out[off + i * ld + j] = X[i * cols + j];
  return out;
}

/** The factor extracted as a dense N × N matrix F with A ≈ FᵀF ('U') or F·Fᵀ ('L'), zeros elsewhere. */
function factorOf(uplo: Uplo, N: number, S: Float64Array, ld: number, off: number): Float64Array {
  const F = new Float64Array(N * N);
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) {
      if (uplo === "U" ? j >= i : j <= i) F[i * N + j] = S[off + i * ld + j];
    }
  }
  return F;
}

/** ‖FᵀF − A‖_F / ‖A‖_F ('U') or ‖F·Fᵀ − A‖_F / ‖A‖_F ('L'). */
function relResidual(uplo: Uplo, N: number, F: Float64Array, A: Float64Array): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < N; k++) s += uplo === "U" ? F[k * N + i] * F[k * N + j] : F[i * N + k] * F[j * N + k];
      num += (s - A[i * N + j]) ** 2;
      den += A[i * N + j] ** 2;
    }
  }
  return den === 0 ? Math.sqrt(num) : Math.sqrt(num / den);
}

describe("dpotrf", () => {
  it("factors random SPD matrices in both triangles, with lda > N and offsets, leaving the other triangle untouched", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 0, max: 7 }),
        fc.constantFrom<Uplo>("U", "L"),
        fc.integer(),
        (N, extra, off, uplo, seed) => {
          const A = randomSpd(N, `spd-${seed}`);
          const lda = N + extra;
          const S = embed(A, N, N, lda, off, Number.NaN);
          const before = S.slice();
          const info = dpotrfOffset(uplo, N, S, lda, off);
          expect(info).toBe(0);
          expect(relResidual(uplo, N, factorOf(uplo, N, S, lda, off), A)).toBeLessThan(1e-12);
          for (let idx = 0; idx < S.length; idx++) {
            const inBlock = idx >= off && (idx - off) % lda < N && Math.floor((idx - off) / lda) < N;
            const i = Math.floor((idx - off) / lda);
            const j = (idx - off) % lda;
            const inFactor = inBlock && (uplo === "U" ? j >= i : j <= i);
            if (!inFactor) expect(Object.is(S[idx], before[idx])).toBe(true);
          }
          for (let i = 0; i < N; i++) expect(S[off + i * lda + i]).toBeGreaterThan(0);
        },
      ),
      { numRuns: 60, seed: 1701 },
    );
  });

  it("exercises every remainder of the 8-row panel and 4 × 4 tile at sizes beyond 60", () => {
    for (const N of [61, 62, 63, 64, 65, 67, 130]) {
      for (const uplo of ["U", "L"] as const) {
        const A = randomSpd(N, `big-${N}`);
        const S = A.slice();
        expect(dpotrf(uplo, N, S, N)).toBe(0);
        expect(relResidual(uplo, N, factorOf(uplo, N, S, N, 0), A)).toBeLessThan(1e-12);
      }
    }
  });

  it("agrees with ml-matrix's Cholesky factor entrywise (the factor with positive diagonal is unique)", () => {
    for (const N of [1, 2, 5, 17, 40]) {
      const A = randomSpd(N, `ml-${N}`);
      const rows = Array.from({ length: N }, (_, i) => Array.from(A.subarray(i * N, (i + 1) * N)));
      const Lref = new CholeskyDecomposition(new Matrix(rows)).lowerTriangularMatrix;
      const SL = A.slice();
      const SU = A.slice();
      expect(dpotrf("L", N, SL, N)).toBe(0);
      expect(dpotrf("U", N, SU, N)).toBe(0);
      let scale = 0;
      for (let i = 0; i < N; i++) scale = Math.max(scale, Math.abs(Lref.get(i, i)));
      for (let i = 0; i < N; i++) {
        for (let j = 0; j <= i; j++) {
          expect(Math.abs(SL[i * N + j] - Lref.get(i, j))).toBeLessThan(1e-13 * scale);
          // U = Lᵀ.
          expect(Math.abs(SU[j * N + i] - Lref.get(i, j))).toBeLessThan(1e-13 * scale);
        }
      }
    }
  });

  it("reports exactly the 1-based index of the first non-positive pivot, with the leading block factored", () => {
    const N = 24;
    const rng = seedrandom("indefinite");
    // A = L·Lᵀ with a known L; lowering A[p][p] by L[p][p]² + 0.25 makes pivot p equal to -0.25
    // while pivots 0..p-1 are unchanged, so LAPACK's info must be p + 1.
    const L = new Float64Array(N * N);
    for (let i = 0; i < N; i++) {
      for (let j = 0; j < i; j++) L[i * N + j] = rng() - 0.5;
      L[i * N + i] = 1 + rng();
    }
    const A0 = new Float64Array(N * N);
    for (let i = 0; i < N; i++) {
      for (let j = 0; j < N; j++) {
        let s = 0;
        for (let k = 0; k < N; k++) s += L[i * N + k] * L[j * N + k];
        A0[i * N + j] = s;
      }
    }
    for (const p of [0, 1, 3, 4, 7, 8, 9, 15, 16, 23]) {
      for (const uplo of ["U", "L"] as const) {
        const A = A0.slice();
        A[p * N + p] -= L[p * N + p] ** 2 + 0.25;
        expect(dpotrf(uplo, N, A, N)).toBe(p + 1);
        // Rows/columns before p hold the exact factor of the leading p × p block.
        for (let i = 0; i < p; i++) {
          for (let j = 0; j <= i; j++) {
            const got = uplo === "L" ? A[i * N + j] : A[j * N + i];
            expect(Math.abs(got - L[i * N + j])).toBeLessThan(1e-12);
          }
        }
      }
    }
    // A zero, a NaN and an exactly-singular pivot are all rejected at their own index.
    for (const uplo of ["U", "L"] as const) {
      const Z = A0.slice();
      Z[5 * N + 5] = Number.NaN;
      expect(dpotrf(uplo, N, Z, N)).toBe(6);
      const S = new Float64Array([1, 1, 1, 1]); // [[1, 1], [1, 1]]: second pivot exactly 0
      expect(dpotrf(uplo, 2, S, 2)).toBe(2);
      expect(dpotrf(uplo, 1, new Float64Array([0]), 1)).toBe(1);
      expect(dpotrf(uplo, 1, new Float64Array([-3]), 1)).toBe(1);
    }
  });

  it("is a no-op for N <= 0 and rejects invalid arguments with RangeError", () => {
    const A = new Float64Array([1]);
    expect(dpotrf("U", 0, A, 1)).toBe(0);
    expect(dpotrf("L", -3, A, 1)).toBe(0);
    expect(A[0]).toBe(1);
    expect(() => dpotrf("X" as Uplo, 1, A, 1)).toThrow(RangeError);
    expect(() => dpotrf("U", 2, new Float64Array(4), 1)).toThrow(RangeError);
    expect(() => dpotrf("U", 2, new Float64Array(3), 2)).toThrow(RangeError);
    expect(() => dpotrfOffset("U", 2, new Float64Array(4), 2, 1)).toThrow(RangeError);
    expect(() => dpotrfOffset("U", 2, new Float64Array(4), 2, -1)).toThrow(RangeError);
  });
});

describe("dpotrs", () => {
  it("solves A·X = B for several right-hand sides with padded leading dimensions and offsets", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: 4 }),
        fc.constantFrom<Uplo>("U", "L"),
        fc.integer(),
        (N, nrhs, extra, off, uplo, seed) => {
          const A = randomSpd(N, `rhs-${seed}`);
          const rng = seedrandom(`b-${seed}`);
          const X = new Float64Array(N * nrhs);
          for (let i = 0; i < X.length; i++) X[i] = 2 * rng() - 1;
          // B = A·X, so the solve must return X up to the conditioning of A (κ ≤ ~5 here).
          const B = new Float64Array(N * nrhs);
          for (let i = 0; i < N; i++) {
            for (let c = 0; c < nrhs; c++) {
              let s = 0;
              for (let k = 0; k < N; k++) s += A[i * N + k] * X[k * nrhs + c];
              B[i * nrhs + c] = s;
            }
          }
          const lda = N + extra;
          const ldb = nrhs + extra;
          const SA = embed(A, N, N, lda, off, Number.NaN);
          expect(dpotrfOffset(uplo, N, SA, lda, off)).toBe(0);
          const SB = embed(B, N, nrhs, ldb, off + 1, -7);
          const before = SB.slice();
          dpotrsOffset(uplo, N, nrhs, SA, lda, off, SB, ldb, off + 1);
          let err = 0;
          let xmax = 0;
          for (let i = 0; i < N; i++) {
            for (let c = 0; c < nrhs; c++) {
              err = Math.max(err, Math.abs(SB[off + 1 + i * ldb + c] - X[i * nrhs + c]));
              xmax = Math.max(xmax, Math.abs(X[i * nrhs + c]));
            }
          }
          expect(err).toBeLessThan(1e-12 * xmax);
          // Padding between rows of B is not written.
          for (let idx = 0; idx < SB.length; idx++) {
            const rel = idx - (off + 1);
            const inB = rel >= 0 && rel % ldb < nrhs && Math.floor(rel / ldb) < N;
            if (!inB) expect(SB[idx]).toBe(before[idx]);
          }
        },
      ),
      { numRuns: 60, seed: 2024 },
    );
  });

  it("solves with the BLAS-style form and is a no-op for N <= 0 or nrhs <= 0", () => {
    const A = new Float64Array([4, 2, 2, 5]);
    expect(dpotrf("L", 2, A, 2)).toBe(0);
    const B = new Float64Array([6, 4, 7, 2]);
    dpotrs("L", 2, 2, A, 2, B, 2);
    expect(Array.from(B)).toEqual([1, 1, 1, 0]);
    const C = new Float64Array([6, 7]);
    dpotrs("L", 0, 1, A, 2, C, 1);
    dpotrs("L", 2, 0, A, 2, C, 1);
    expect(Array.from(C)).toEqual([6, 7]);
    expect(() => dpotrs("L", 2, 1, A, 2, new Float64Array(1), 1)).toThrow(RangeError);
    expect(() => dpotrs("L", 2, 2, A, 2, new Float64Array(4), 1)).toThrow(RangeError);
  });
});
