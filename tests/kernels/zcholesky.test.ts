import fc from "fast-check";
import seedrandom from "seedrandom";
import { describe, expect, it } from "vitest";
import { dpotrf, dpotrs } from "../../src/kernels/cholesky.js";
import { zpotrf, zpotrfOffset, zpotrs, zpotrsOffset } from "../../src/kernels/zcholesky.js";

type Uplo = "U" | "L";

/** Hermitian positive definite G·Gᴴ + N·I, interleaved (re, im), N × N row-major. */
function randomHpd(N: number, seed: string): Float64Array {
  const rng = seedrandom(seed);
  const G = new Float64Array(2 * N * N);
  for (let i = 0; i < G.length; i++) G[i] = 2 * rng() - 1;
  const A = new Float64Array(2 * N * N);
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) {
      // (G·Gᴴ)[i, j] = Σ_k G[i, k]·conj(G[j, k]).
      let re = 0;
      let im = 0;
      for (let k = 0; k < N; k++) {
        const ar = G[2 * (i * N + k)];
        const ai = G[2 * (i * N + k) + 1];
        const br = G[2 * (j * N + k)];
        const bi = -G[2 * (j * N + k) + 1];
        re += ar * br - ai * bi;
        im += ar * bi + ai * br;
      }
      A[2 * (i * N + j)] = re + (i === j ? N : 0);
      A[2 * (i * N + j) + 1] = i === j ? 0 : im;
    }
  }
  return A;
}

/**
 * Real 2N × 2N embedding with each complex entry a + ib replaced by the block [[a, -b], [b, a]]
 * (interleaved order). It maps products to products and conjugate transposes to transposes, and
 * maps an upper-triangular complex factor with real diagonal to an upper-triangular real one, so
 * the real Cholesky factor of the embedding IS the embedding of the complex factor.
 */
function realEmbedding(N: number, A: Float64Array, lda: number, off: number): Float64Array {
  const E = new Float64Array(4 * N * N);
  const n2 = 2 * N;
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) {
      const a = A[2 * (off + i * lda + j)];
      const b = A[2 * (off + i * lda + j) + 1];
      E[2 * i * n2 + 2 * j] = a;
      E[2 * i * n2 + 2 * j + 1] = -b;
      E[(2 * i + 1) * n2 + 2 * j] = b;
      E[(2 * i + 1) * n2 + 2 * j + 1] = a;
    }
  }
  return E;
}

/** Places the N × cols complex matrix X into a padded buffer (ld, off counted in complex entries). */
function embed(X: Float64Array, N: number, cols: number, ld: number, off: number, pad: number): Float64Array {
  const out = new Float64Array(2 * (off + Math.max(0, N - 1) * ld + cols + 2)).fill(pad);
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < 2 * cols; j++) out[2 * (off + i * ld) + j] = X[2 * i * cols + j];
  }
  return out;
}

describe("zpotrf", () => {
  it("matches the real Cholesky factor of the real embedding, leaving the other strict triangle untouched", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: 5 }),
        fc.constantFrom<Uplo>("U", "L"),
        fc.integer(),
        (N, extra, off, uplo, seed) => {
          const A = randomHpd(N, `hpd-${seed}`);
          const lda = N + extra;
          const S = embed(A, N, N, lda, off, Number.NaN);
          // Garbage imaginary parts on the input diagonal must be ignored.
          for (let i = 0; i < N; i++) S[2 * (off + i * lda + i) + 1] = 123.5;
          const before = S.slice();
          expect(zpotrfOffset(uplo, N, S, lda, off)).toBe(0);
          const E = realEmbedding(N, A, N, 0);
          expect(dpotrf(uplo, 2 * N, E, 2 * N)).toBe(0);
          const n2 = 2 * N;
          let scale = 0;
          for (let i = 0; i < n2; i++) scale = Math.max(scale, Math.abs(E[i * n2 + i]));
          for (let i = 0; i < N; i++) {
            for (let j = 0; j < N; j++) {
              const at = 2 * (off + i * lda + j);
              const inFactor = uplo === "U" ? j >= i : j <= i;
              if (!inFactor) {
                expect(Object.is(S[at], before[at]) && Object.is(S[at + 1], before[at + 1])).toBe(true);
                continue;
              }
              // Complex entry (i, j) of the factor is the real block's first column (a, b).
              expect(Math.abs(S[at] - E[2 * i * n2 + 2 * j])).toBeLessThan(1e-12 * scale);
              expect(Math.abs(S[at + 1] - E[(2 * i + 1) * n2 + 2 * j])).toBeLessThan(1e-12 * scale);
            }
            expect(S[2 * (off + i * lda + i) + 1]).toBe(0);
          }
        },
      ),
      { numRuns: 40, seed: 77 },
    );
  });

  it("reconstructs A = UᴴU and A = L·Lᴴ beyond one panel", () => {
    for (const N of [9, 16, 33, 70]) {
      const A = randomHpd(N, `big-${N}`);
      for (const uplo of ["U", "L"] as const) {
        const S = A.slice();
        expect(zpotrf(uplo, N, S, N)).toBe(0);
        let num = 0;
        let den = 0;
        for (let i = 0; i < N; i++) {
          for (let j = 0; j < N; j++) {
            let re = 0;
            let im = 0;
            for (let k = 0; k < N; k++) {
              // 'U': Σ conj(U[k, i])·U[k, j]; 'L': Σ L[i, k]·conj(L[j, k]); F is the triangle only.
              const [ar, ai, br, bi] =
                uplo === "U"
                  ? k <= i && k <= j
                    ? [S[2 * (k * N + i)], -S[2 * (k * N + i) + 1], S[2 * (k * N + j)], S[2 * (k * N + j) + 1]]
                    : [0, 0, 0, 0]
                  : k <= i && k <= j
                    ? [S[2 * (i * N + k)], S[2 * (i * N + k) + 1], S[2 * (j * N + k)], -S[2 * (j * N + k) + 1]]
                    : [0, 0, 0, 0];
              re += ar * br - ai * bi;
              im += ar * bi + ai * br;
            }
            num += (re - A[2 * (i * N + j)]) ** 2 + (im - A[2 * (i * N + j) + 1]) ** 2;
            den += A[2 * (i * N + j)] ** 2 + A[2 * (i * N + j) + 1] ** 2;
          }
        }
        expect(Math.sqrt(num / den)).toBeLessThan(1e-12);
      }
    }
  });

  it("reports the first failing pivot exactly, as the real embedding does at twice the index", () => {
    const N = 20;
    const A0 = randomHpd(N, "indefinite");
    for (const p of [0, 1, 2, 7, 8, 9, 19]) {
      for (const uplo of ["U", "L"] as const) {
        const A = A0.slice();
        // Lower the diagonal far enough that the p-th Schur complement pivot is negative: the
        // pivot before the change is at most A[p, p], so subtracting A[p, p] + 1 makes it ≤ -1.
        A[2 * (p * N + p)] -= A[2 * (p * N + p)] + 1;
        expect(zpotrf(uplo, N, A.slice(), N)).toBe(p + 1);
        // In the embedding the real pivot 2p fails first.
        expect(dpotrf(uplo, 2 * N, realEmbedding(N, A, N, 0), 2 * N)).toBe(2 * p + 1);
      }
    }
    const nan = A0.slice();
    nan[2 * (3 * N + 3)] = Number.NaN;
    expect(zpotrf("U", N, nan, N)).toBe(4);
    expect(zpotrf("L", 1, new Float64Array([0, 5]), 1)).toBe(1);
  });

  it("is a no-op for N <= 0 and rejects invalid arguments", () => {
    const A = new Float64Array([2, 0]);
    expect(zpotrf("U", 0, A, 1)).toBe(0);
    expect(zpotrf("U", -1, A, 1)).toBe(0);
    expect(Array.from(A)).toEqual([2, 0]);
    expect(() => zpotrf("Q" as Uplo, 1, A, 1)).toThrow(RangeError);
    expect(() => zpotrf("U", 2, new Float64Array(8), 1)).toThrow(RangeError);
    expect(() => zpotrf("U", 2, new Float64Array(7), 2)).toThrow(RangeError);
    expect(() => zpotrfOffset("U", 1, new Float64Array(2), 1, 1)).toThrow(RangeError);
  });
});

describe("zpotrs", () => {
  it("agrees with dpotrs on the real embedding for several right-hand sides", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 2 }),
        fc.constantFrom<Uplo>("U", "L"),
        fc.integer(),
        (N, nrhs, extra, uplo, seed) => {
          const A = randomHpd(N, `solve-${seed}`);
          const rng = seedrandom(`rhs-${seed}`);
          const B = new Float64Array(2 * N * nrhs);
          for (let i = 0; i < B.length; i++) B[i] = 2 * rng() - 1;
          const lda = N + extra;
          const ldb = nrhs + extra;
          const SA = embed(A, N, N, lda, extra, Number.NaN);
          expect(zpotrfOffset(uplo, N, SA, lda, extra)).toBe(0);
          const SB = embed(B, N, nrhs, ldb, 1, Number.NaN);
          zpotrsOffset(uplo, N, nrhs, SA, lda, extra, SB, ldb, 1);
          // Reference: a complex column b ↦ the real 2N-vector of (re, im) pairs, i.e. column 2c
          // of the embedded right-hand side; solve with the real factor of the embedding.
          const E = realEmbedding(N, A, N, 0);
          expect(dpotrf(uplo, 2 * N, E, 2 * N)).toBe(0);
          const R = new Float64Array(2 * N * nrhs);
          for (let i = 0; i < N; i++) {
            for (let c = 0; c < nrhs; c++) {
              R[2 * i * nrhs + c] = B[2 * (i * nrhs + c)];
              R[(2 * i + 1) * nrhs + c] = B[2 * (i * nrhs + c) + 1];
            }
          }
          dpotrs(uplo, 2 * N, nrhs, E, 2 * N, R, nrhs);
          let err = 0;
          let xmax = 0;
          for (let i = 0; i < N; i++) {
            for (let c = 0; c < nrhs; c++) {
              const at = 2 * (1 + i * ldb + c);
              err = Math.max(
                err,
                Math.abs(SB[at] - R[2 * i * nrhs + c]),
                Math.abs(SB[at + 1] - R[(2 * i + 1) * nrhs + c]),
              );
              xmax = Math.max(xmax, Math.abs(R[2 * i * nrhs + c]), Math.abs(R[(2 * i + 1) * nrhs + c]));
            }
          }
          expect(err).toBeLessThan(1e-12 * xmax);
        },
      ),
      { numRuns: 40, seed: 99 },
    );
  });

  it("solves through the BLAS-style form; N <= 0 or nrhs <= 0 do nothing", () => {
    const A = new Float64Array([4, 0, 0, 2, 0, -2, 5, 0]); // [[4, 2i], [-2i, 5]]
    expect(zpotrf("L", 2, A, 2)).toBe(0);
    const b = new Float64Array([4, 2, 5, -2]); // A·[1, 1]
    zpotrs("L", 2, 1, A, 2, b, 1);
    for (const [k, v] of [1, 0, 1, 0].entries()) expect(b[k]).toBeCloseTo(v, 14);
    const c = new Float64Array([1, 2, 3, 4]);
    zpotrs("L", 0, 1, A, 2, c, 1);
    zpotrs("L", 2, -1, A, 2, c, 1);
    expect(Array.from(c)).toEqual([1, 2, 3, 4]);
    expect(() => zpotrs("L", 2, 1, A, 2, new Float64Array(3), 1)).toThrow(RangeError);
  });
});
