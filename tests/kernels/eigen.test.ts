import fc from "fast-check";
import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import seedrandom from "seedrandom";
import { describe, expect, it } from "vitest";
import { dsyev, dsyevOffset, dsyevWorkSize } from "../../src/kernels/eigen.js";

/** Random symmetric N × N matrix with entries uniform in (-1, 1), row-major, both triangles. */
function randomSymmetric(N: number, seed: string): Float64Array {
  const rng = seedrandom(seed);
  const A = new Float64Array(N * N);
  for (let i = 0; i < N; i++) {
    for (let j = 0; j <= i; j++) {
      const v = 2 * rng() - 1;
      A[i * N + j] = v;
      A[j * N + i] = v;
    }
  }
  return A;
}

/** Random orthogonal N × N matrix: modified Gram–Schmidt, applied twice, on a random matrix's rows. */
function randomOrthogonal(N: number, seed: string): Float64Array {
  const rng = seedrandom(seed);
  const Q = new Float64Array(N * N);
  for (let i = 0; i < Q.length; i++) Q[i] = 2 * rng() - 1;
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i < N; i++) {
      for (let t = 0; t < i; t++) {
        let d = 0;
        for (let j = 0; j < N; j++) d += Q[i * N + j] * Q[t * N + j];
        for (let j = 0; j < N; j++) Q[i * N + j] -= d * Q[t * N + j];
      }
      let n = 0;
      for (let j = 0; j < N; j++) n += Q[i * N + j] ** 2;
      n = Math.sqrt(n);
      for (let j = 0; j < N; j++) Q[i * N + j] /= n;
    }
  }
  return Q;
}

/** Q·diag(lambda)·Qᵀ, symmetrised exactly. */
function withSpectrum(lambda: number[], Q: Float64Array): Float64Array {
  const N = lambda.length;
  const A = new Float64Array(N * N);
  for (let i = 0; i < N; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k < N; k++) s += Q[i * N + k] * lambda[k] * Q[j * N + k];
      A[i * N + j] = s;
      A[j * N + i] = s;
    }
  }
  return A;
}

interface EigenResult {
  info: number;
  w: Float64Array;
  Z: Float64Array;
}

function eig(N: number, A: Float64Array): EigenResult {
  const w = new Float64Array(N);
  const Z = new Float64Array(N * N);
  const info = dsyev(N, A, N, w, Z, N, new Float64Array(dsyevWorkSize(N)));
  return { info, w, Z };
}

function maxAbs(A: Float64Array): number {
  let m = 0;
  for (const v of A) m = Math.max(m, Math.abs(v));
  return m;
}

/** max |Z·diag(w)·Zᵀ − A| / max |A| (0/0 counts as 0) and max |ZᵀZ − I|. */
function quality(N: number, A: Float64Array, { w, Z }: EigenResult): { rec: number; orth: number } {
  let rec = 0;
  let orth = 0;
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      let o = 0;
      for (let k = 0; k < N; k++) {
        s += Z[i * N + k] * w[k] * Z[j * N + k];
        o += Z[k * N + i] * Z[k * N + j];
      }
      rec = Math.max(rec, Math.abs(s - A[i * N + j]));
      orth = Math.max(orth, Math.abs(o - (i === j ? 1 : 0)));
    }
  }
  const scale = maxAbs(A);
  return { rec: scale === 0 ? rec : rec / scale, orth };
}

function expectAscending(w: Float64Array): void {
  for (let i = 1; i < w.length; i++) expect(w[i]).toBeGreaterThanOrEqual(w[i - 1]);
}

describe("dsyev", () => {
  it("decomposes random symmetric matrices (N = 0..60) and matches ml-matrix's eigenvalues", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60 }), fc.integer(), (N, seed) => {
        const A = randomSymmetric(N, `sym-${seed}`);
        const r = eig(N, A);
        expect(r.info).toBe(0);
        const { rec, orth } = quality(N, A, r);
        expect(rec).toBeLessThan(1e-10);
        expect(orth).toBeLessThan(1e-10);
        expectAscending(r.w);
        if (N === 0) return;
        const rows = Array.from({ length: N }, (_, i) => Array.from(A.subarray(i * N, (i + 1) * N)));
        const ref = new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true }).realEigenvalues;
        ref.sort((a, b) => a - b);
        const scale = Math.max(1, Math.abs(ref[0]), Math.abs(ref[N - 1]));
        for (let i = 0; i < N; i++) expect(Math.abs(r.w[i] - ref[i])).toBeLessThan(1e-12 * scale);
      }),
      { numRuns: 40, seed: 4242 },
    );
  });

  it("reads only the lower triangle and leaves A unchanged; Z may alias A", () => {
    const N = 23;
    const A = randomSymmetric(N, "lower");
    const lowerOnly = A.slice();
    for (let i = 0; i < N; i++) for (let j = i + 1; j < N; j++) lowerOnly[i * N + j] = Number.NaN;
    const kept = lowerOnly.slice();
    const full = eig(N, A);
    const low = eig(N, lowerOnly);
    expect(low.info).toBe(0);
    expect(Array.from(low.w)).toEqual(Array.from(full.w));
    expect(Array.from(low.Z)).toEqual(Array.from(full.Z));
    for (let i = 0; i < kept.length; i++) expect(Object.is(lowerOnly[i], kept[i])).toBe(true);
    const inPlace = A.slice();
    const w = new Float64Array(N);
    expect(dsyev(N, inPlace, N, w, inPlace, N, new Float64Array(dsyevWorkSize(N)))).toBe(0);
    expect(Array.from(w)).toEqual(Array.from(full.w));
    expect(Array.from(inPlace)).toEqual(Array.from(full.Z));
  });

  it("resolves repeated and tightly clustered eigenvalues with orthonormal eigenvectors", () => {
    const spectra: number[][] = [
      [2, 2, 2, 2, 2, 2, 2, 2], // a multiple of the identity in a rotated basis
      [-1, -1, -1, 0, 0, 3, 3, 3, 3, 5],
      [1, 1 + 1e-13, 1 + 2e-13, 1 + 1e-9, 2, 2 + 1e-14, -4, -4 + 1e-12, 7, 0],
      Array.from({ length: 40 }, (_, i) => Math.floor(i / 8) - 2),
      Array.from({ length: 30 }, (_, i) => 1e-8 * i), // a whole cluster near zero next to nothing else
    ];
    for (const [t, lambda] of spectra.entries()) {
      const N = lambda.length;
      const A = withSpectrum(lambda, randomOrthogonal(N, `q-${t}`));
      const r = eig(N, A);
      expect(r.info).toBe(0);
      const { rec, orth } = quality(N, A, r);
      expect(rec).toBeLessThan(1e-10);
      expect(orth).toBeLessThan(1e-10);
      const sorted = [...lambda].sort((a, b) => a - b);
      const scale = Math.max(...lambda.map(Math.abs));
      // Backward stability bounds each eigenvalue error by a small multiple of eps·‖A‖.
      for (let i = 0; i < N; i++) expect(Math.abs(r.w[i] - sorted[i])).toBeLessThan(1e-13 * scale);
    }
  });

  it("handles Wilkinson's W21+ matrix (pairs of eigenvalues agreeing to ~1e-14)", () => {
    const N = 21;
    const A = new Float64Array(N * N);
    for (let i = 0; i < N; i++) {
      A[i * N + i] = Math.abs(10 - i);
      if (i + 1 < N) {
        A[i * N + i + 1] = 1;
        A[(i + 1) * N + i] = 1;
      }
    }
    const r = eig(N, A);
    expect(r.info).toBe(0);
    const { rec, orth } = quality(N, A, r);
    expect(rec).toBeLessThan(1e-13);
    expect(orth).toBeLessThan(1e-12);
    // Largest two eigenvalues (classical values): 10.746194182903393 and 10.746194182903322.
    expect(r.w[N - 1]).toBeCloseTo(10.746194182903393, 12);
    expect(r.w[N - 2]).toBeCloseTo(10.746194182903322, 12);
  });

  it("returns the sorted diagonal and a signed permutation for diagonal input", () => {
    const d = [3, -1, 0, 7, -1, 2.5];
    const N = d.length;
    const A = new Float64Array(N * N);
    for (let i = 0; i < N; i++) A[i * N + i] = d[i];
    const r = eig(N, A);
    expect(r.info).toBe(0);
    expect(Array.from(r.w)).toEqual([...d].sort((a, b) => a - b));
    for (let c = 0; c < N; c++) {
      const col = Array.from({ length: N }, (_, i) => Math.abs(r.Z[i * N + c]));
      expect(col.filter((v) => v === 1).length).toBe(1);
      expect(col.filter((v) => v === 0).length).toBe(N - 1);
      const row = col.indexOf(1);
      expect(d[row]).toBe(r.w[c]);
    }
  });

  it("keeps full accuracy for huge and tiny scales (no overflow or underflow in sums of squares)", () => {
    const N = 12;
    const A = randomSymmetric(N, "scale");
    const base = eig(N, A);
    for (const f of [1e300, 1e-300, 2 ** 1000, 5e-320]) {
      const S = A.map((v) => v * f);
      const r = eig(N, S);
      expect(r.info).toBe(0);
      // Subnormal inputs carry only a few significant bits; everything else is relative accuracy.
      const tol = f < 1e-307 ? 1e-2 : 1e-12;
      for (let i = 0; i < N; i++) expect(Math.abs(r.w[i] / f - base.w[i])).toBeLessThan(tol * maxAbs(base.w));
      expect(quality(N, S, r).orth).toBeLessThan(1e-10);
    }
  });

  it("supports lda/ldz > N and offsets for every array", () => {
    const N = 9;
    const A = randomSymmetric(N, "offsets");
    const ref = eig(N, A);
    const lda = N + 3;
    const ldz = N + 2;
    const SA = new Float64Array(5 + (N - 1) * lda + N).fill(Number.NaN);
    for (let i = 0; i < N; i++) for (let j = 0; j <= i; j++) SA[5 + i * lda + j] = A[i * N + j];
    const w = new Float64Array(N + 4).fill(-9);
    const Z = new Float64Array(2 + (N - 1) * ldz + N + 1).fill(-9);
    const work = new Float64Array(dsyevWorkSize(N) + 3);
    expect(dsyevOffset(N, SA, lda, 5, w, 2, Z, ldz, 2, work, 3)).toBe(0);
    expect(w[0]).toBe(-9);
    expect(w[1]).toBe(-9);
    expect(w[N + 2]).toBe(-9);
    for (let i = 0; i < N; i++) {
      expect(w[2 + i]).toBe(ref.w[i]);
      for (let j = 0; j < N; j++) expect(Z[2 + i * ldz + j]).toBe(ref.Z[i * N + j]);
      if (i + 1 < N) expect(Z[2 + i * ldz + N]).toBe(-9);
    }
  });

  it("flags non-finite input with NaN output, treats N <= 0 as a no-op and validates sizes", () => {
    const A = randomSymmetric(4, "nan");
    A[2 * 4 + 1] = Number.NaN;
    const r = eig(4, A);
    expect(r.info).toBe(4);
    expect(r.w.every(Number.isNaN)).toBe(true);
    expect(r.Z.every(Number.isNaN)).toBe(true);
    const B = randomSymmetric(3, "inf");
    B[0] = Number.POSITIVE_INFINITY;
    expect(eig(3, B).info).toBe(3);
    expect(dsyevWorkSize(0)).toBe(0);
    expect(dsyevWorkSize(-2)).toBe(0);
    expect(dsyev(0, new Float64Array(0), 1, new Float64Array(0), new Float64Array(0), 1, new Float64Array(0))).toBe(0);
    const zero = eig(3, new Float64Array(9));
    expect(Array.from(zero.w)).toEqual([0, 0, 0]);
    expect(quality(3, new Float64Array(9), zero).orth).toBe(0);
    const ok = new Float64Array(4);
    expect(() => dsyev(2, ok, 1, new Float64Array(2), new Float64Array(4), 2, new Float64Array(8))).toThrow(RangeError);
    expect(() => dsyev(2, ok, 2, new Float64Array(1), new Float64Array(4), 2, new Float64Array(8))).toThrow(RangeError);
    expect(() => dsyev(2, ok, 2, new Float64Array(2), new Float64Array(3), 2, new Float64Array(8))).toThrow(RangeError);
    expect(() => dsyev(2, ok, 2, new Float64Array(2), new Float64Array(4), 2, new Float64Array(7))).toThrow(RangeError);
  });
});
