import fc from "fast-check";
import { Matrix, SingularValueDecomposition } from "ml-matrix";
import seedrandom from "seedrandom";
import { describe, expect, it } from "vitest";
import { dgesvdThin, dgesvdThinOffset, dgesvdWorkSize } from "../../src/kernels/svd.js";

interface SvdResult {
  info: number;
  s: Float64Array;
  U: Float64Array;
  Vt: Float64Array;
}

function randomMatrix(M: number, N: number, seed: string): Float64Array {
  const rng = seedrandom(seed);
  const A = new Float64Array(M * N);
  for (let i = 0; i < A.length; i++) A[i] = 2 * rng() - 1;
  return A;
}

/** Random n × n orthogonal matrix (rows orthonormal): two passes of modified Gram–Schmidt. */
function randomOrthogonal(n: number, seed: string): Float64Array {
  const Q = randomMatrix(n, n, seed);
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i < n; i++) {
      for (let t = 0; t < i; t++) {
        let d = 0;
        for (let j = 0; j < n; j++) d += Q[i * n + j] * Q[t * n + j];
        for (let j = 0; j < n; j++) Q[i * n + j] -= d * Q[t * n + j];
      }
      let nrm = 0;
      for (let j = 0; j < n; j++) nrm += Q[i * n + j] ** 2;
      nrm = Math.sqrt(nrm);
      for (let j = 0; j < n; j++) Q[i * n + j] /= nrm;
    }
  }
  return Q;
}

/** M × N matrix P·diag(sigma)·Q with P (M × M) and Q (N × N) random orthogonal. */
function withSingularValues(M: number, N: number, sigma: number[], seed: string): Float64Array {
  const P = randomOrthogonal(M, `${seed}-left`);
  const Q = randomOrthogonal(N, `${seed}-right`);
  const A = new Float64Array(M * N);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let t = 0; t < sigma.length; t++) s += P[i * M + t] * sigma[t] * Q[t * N + j];
      A[i * N + j] = s;
    }
  }
  return A;
}

function svd(M: number, N: number, A: Float64Array): SvdResult {
  const k = Math.max(0, Math.min(M, N));
  const s = new Float64Array(k);
  const U = new Float64Array(Math.max(0, M) * k);
  const Vt = new Float64Array(k * Math.max(0, N));
  const info = dgesvdThin(
    M,
    N,
    A,
    Math.max(1, N),
    s,
    U,
    Math.max(1, k),
    Vt,
    Math.max(1, N),
    new Float64Array(dgesvdWorkSize(M, N)),
  );
  return { info, s, U, Vt };
}

function maxAbs(A: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < A.length; i++) m = Math.max(m, Math.abs(A[i]));
  return m;
}

/** Relative reconstruction error, max |UᵀU − I| and max |Vt·Vtᵀ − I|. */
function quality(M: number, N: number, A: Float64Array, { s, U, Vt }: SvdResult) {
  const k = Math.min(M, N);
  let rec = 0;
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let x = 0;
      for (let c = 0; c < k; c++) x += U[i * k + c] * s[c] * Vt[c * N + j];
      rec = Math.max(rec, Math.abs(x - A[i * N + j]));
    }
  }
  let orthU = 0;
  let orthV = 0;
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < k; b++) {
      let u = 0;
      let v = 0;
      for (let i = 0; i < M; i++) u += U[i * k + a] * U[i * k + b];
      for (let j = 0; j < N; j++) v += Vt[a * N + j] * Vt[b * N + j];
      orthU = Math.max(orthU, Math.abs(u - (a === b ? 1 : 0)));
      orthV = Math.max(orthV, Math.abs(v - (a === b ? 1 : 0)));
    }
  }
  const scale = maxAbs(A);
  return { rec: scale === 0 ? rec : rec / scale, orthU, orthV };
}

function expectDescendingNonNegative(s: Float64Array): void {
  for (let i = 0; i < s.length; i++) {
    expect(s[i]).toBeGreaterThanOrEqual(0);
    if (i > 0) expect(s[i]).toBeLessThanOrEqual(s[i - 1]);
  }
}

describe("dgesvdThin", () => {
  it("decomposes random tall, wide and square matrices and matches ml-matrix's singular values", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 40 }), fc.integer(), (M, N, seed) => {
        const A = randomMatrix(M, N, `svd-${seed}`);
        const r = svd(M, N, A);
        expect(r.info).toBe(0);
        const { rec, orthU, orthV } = quality(M, N, A, r);
        expect(rec).toBeLessThan(1e-10);
        expect(orthU).toBeLessThan(1e-10);
        expect(orthV).toBeLessThan(1e-10);
        expectDescendingNonNegative(r.s);
        if (M === 0 || N === 0) return;
        const rows = Array.from({ length: M }, (_, i) => Array.from(A.subarray(i * N, (i + 1) * N)));
        const ref = new SingularValueDecomposition(new Matrix(rows), { autoTranspose: true }).diagonal;
        ref.sort((a, b) => b - a);
        for (let i = 0; i < r.s.length; i++) expect(Math.abs(r.s[i] - ref[i])).toBeLessThan(1e-12 * ref[0]);
      }),
      { numRuns: 50, seed: 31337 },
    );
  });

  it("reproduces prescribed singular values: repeated, clustered and widely graded", () => {
    const cases: Array<[number, number, number[]]> = [
      [12, 12, [3, 3, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1]],
      [20, 9, [5, 5 - 1e-12, 5 - 2e-12, 1, 1, 1e-3, 1e-3, 1e-6, 1e-6]],
      [7, 25, [1, 1e-2, 1e-4, 1e-6, 1e-8, 1e-10, 1e-12]],
      [60, 60, Array.from({ length: 60 }, (_, i) => 60 - i)],
    ];
    for (const [t, [M, N, sigma]] of cases.entries()) {
      const A = withSingularValues(M, N, sigma, `prescribed-${t}`);
      const r = svd(M, N, A);
      expect(r.info).toBe(0);
      const { rec, orthU, orthV } = quality(M, N, A, r);
      expect(rec).toBeLessThan(1e-10);
      expect(orthU).toBeLessThan(1e-10);
      expect(orthV).toBeLessThan(1e-10);
      // Backward stability: |s_i − σ_i| ≤ c·eps·σ_max for every i.
      for (let i = 0; i < sigma.length; i++) expect(Math.abs(r.s[i] - sigma[i])).toBeLessThan(1e-13 * sigma[0]);
    }
  });

  it("returns zeros with orthonormal completions for rank-deficient and zero matrices", () => {
    for (const [M, N, rank] of [
      [15, 10, 4],
      [10, 15, 3],
      [30, 30, 1],
      [8, 8, 0],
      [1, 6, 0],
      [6, 1, 0],
    ] as const) {
      const sigma = Array.from({ length: rank }, (_, i) => 2 ** -i);
      const A = rank === 0 ? new Float64Array(M * N) : withSingularValues(M, N, sigma, `rank-${M}-${N}`);
      const r = svd(M, N, A);
      expect(r.info).toBe(0);
      const { rec, orthU, orthV } = quality(M, N, A, r);
      expect(rec).toBeLessThan(1e-10);
      expect(orthU).toBeLessThan(1e-10);
      expect(orthV).toBeLessThan(1e-10);
      for (let i = 0; i < rank; i++) expect(Math.abs(r.s[i] - sigma[i])).toBeLessThan(1e-13);
      for (let i = rank; i < r.s.length; i++) expect(r.s[i]).toBeLessThan(1e-14);
    }
    // Exactly duplicated columns: the second singular value is exactly representable as 0.
    const D = new Float64Array([1, 1, 2, 2, 3, 3]);
    const r = svd(3, 2, D);
    expect(r.s[0]).toBeCloseTo(Math.sqrt(28), 14);
    expect(r.s[1]).toBeLessThan(1e-15);
    expect(quality(3, 2, D, r).orthU).toBeLessThan(1e-14);
  });

  it("keeps entries far below a column's leading one (α² + tail² rounds to α²)", () => {
    for (const [M, N, A] of [
      [3, 2, new Float64Array([1, 0, 1e-9, 1e-9, 0, 0])],
      [2, 3, new Float64Array([1, 1e-9, 0, 0, 1e-9, 0])],
    ] as const) {
      const r = svd(M, N, A);
      expect(r.info).toBe(0);
      const { rec, orthU, orthV } = quality(M, N, A, r);
      expect(rec).toBeLessThan(1e-15);
      expect(orthU).toBeLessThan(1e-15);
      expect(orthV).toBeLessThan(1e-15);
      // AᵀA = [[1 + 1e-18, 1e-18], [1e-18, 1e-18]]: σ₁σ₂ = 1e-9 and σ₁ = 1 to working precision.
      expect(r.s[0]).toBeCloseTo(1, 15);
      expect(Math.abs(r.s[1] - 1e-9)).toBeLessThan(1e-22);
    }
  });

  it("keeps relative accuracy at extreme scales", () => {
    const A = randomMatrix(9, 6, "scale");
    const base = svd(9, 6, A);
    for (const f of [1e300, 1e-300, 2 ** -1030]) {
      const S = A.map((v) => v * f);
      const r = svd(9, 6, S);
      expect(r.info).toBe(0);
      const tol = f < 1e-307 ? 1e-2 : 1e-12;
      for (let i = 0; i < 6; i++) expect(Math.abs(r.s[i] / f - base.s[i])).toBeLessThan(tol * base.s[0]);
      const q = quality(9, 6, S, r);
      expect(q.orthU).toBeLessThan(1e-10);
      expect(q.orthV).toBeLessThan(1e-10);
    }
  });

  it("supports padded leading dimensions and offsets and never writes outside its blocks", () => {
    for (const [M, N] of [
      [7, 4],
      [4, 7],
    ]) {
      const k = Math.min(M, N);
      const A = randomMatrix(M, N, `off-${M}-${N}`);
      const ref = svd(M, N, A);
      const lda = N + 2;
      const ldu = k + 3;
      const ldvt = N + 1;
      const SA = new Float64Array(3 + (M - 1) * lda + N).fill(Number.NaN);
      for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) SA[3 + i * lda + j] = A[i * N + j];
      const s = new Float64Array(k + 2).fill(-5);
      const U = new Float64Array(1 + (M - 1) * ldu + k).fill(-5);
      const Vt = new Float64Array(2 + (k - 1) * ldvt + N).fill(-5);
      const work = new Float64Array(4 + dgesvdWorkSize(M, N));
      expect(dgesvdThinOffset(M, N, SA, lda, 3, s, 1, U, ldu, 1, Vt, ldvt, 2, work, 4)).toBe(0);
      expect(s[0]).toBe(-5);
      expect(s[k + 1]).toBe(-5);
      for (let i = 0; i < k; i++) expect(s[1 + i]).toBe(ref.s[i]);
      for (let i = 0; i < M; i++) {
        for (let c = 0; c < ldu; c++) {
          const at = 1 + i * ldu + c;
          if (at >= U.length) continue;
          expect(U[at]).toBe(c < k ? ref.U[i * k + c] : -5);
        }
      }
      for (let i = 0; i < k; i++) {
        for (let j = 0; j < ldvt; j++) {
          const at = 2 + i * ldvt + j;
          if (at >= Vt.length) continue;
          expect(Vt[at]).toBe(j < N ? ref.Vt[i * N + j] : -5);
        }
      }
    }
  });

  it("leaves A untouched, flags non-finite input and validates sizes", () => {
    const A = randomMatrix(5, 3, "untouched");
    const copy = A.slice();
    svd(5, 3, A);
    expect(Array.from(A)).toEqual(Array.from(copy));
    A[4] = Number.NaN;
    const r = svd(5, 3, A);
    expect(r.info).toBe(1);
    expect(r.s.every(Number.isNaN) && r.U.every(Number.isNaN) && r.Vt.every(Number.isNaN)).toBe(true);
    A[4] = Number.NEGATIVE_INFINITY;
    expect(svd(5, 3, A).info).toBe(1);
    expect(dgesvdWorkSize(0, 5)).toBe(0);
    expect(dgesvdWorkSize(3, -1)).toBe(0);
    expect(svd(0, 4, new Float64Array(0)).info).toBe(0);
    expect(svd(-1, -1, new Float64Array(0)).info).toBe(0);
    const w = new Float64Array(dgesvdWorkSize(2, 2));
    const ok = () => new Float64Array(4);
    expect(() => dgesvdThin(2, 2, ok(), 1, new Float64Array(2), ok(), 2, ok(), 2, w)).toThrow(RangeError);
    expect(() => dgesvdThin(2, 2, ok(), 2, new Float64Array(1), ok(), 2, ok(), 2, w)).toThrow(RangeError);
    expect(() => dgesvdThin(2, 2, ok(), 2, new Float64Array(2), new Float64Array(3), 2, ok(), 2, w)).toThrow(
      RangeError,
    );
    expect(() => dgesvdThin(2, 2, ok(), 2, new Float64Array(2), ok(), 2, ok(), 1, w)).toThrow(RangeError);
    expect(() => dgesvdThin(2, 2, ok(), 2, new Float64Array(2), ok(), 2, ok(), 2, w.subarray(1))).toThrow(RangeError);
  });
});
