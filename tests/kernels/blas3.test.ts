import fc from "fast-check";
import { Matrix, solve } from "ml-matrix";
import { describe, expect, it } from "vitest";
import { dgemm, dgemmOffset, dsyrk, dsyrkOffset, dtrsm, dtrsmOffset } from "../../src/kernels/blas3.js";
import {
  abs,
  expectClose,
  expectUntouched,
  gatherMatrix,
  lcg,
  naiveMatmul,
  type StridedMatrix,
  stridedMatrix,
  type TestRng,
  transpose,
  triangular,
} from "./reference.js";

const trans = fc.constantFrom("N" as const, "T" as const);
const uplo = fc.constantFrom("U" as const, "L" as const);
const small = fc.integer({ min: 0, max: 3 });
const seed = fc.integer({ min: 0, max: 0x7fffffff });
const dim = fc.integer({ min: -1, max: 40 });
const scalar = fc.oneof(fc.constant(0), fc.constant(1), fc.double({ min: -3, max: 3, noNaN: true }));

function mlMatrix(rows: number, cols: number, a: Float64Array): Matrix {
  const m = new Matrix(rows, cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) m.set(i, j, a[i * cols + j]);
  return m;
}

function matrixPositions(rows: number, cols: number, ld: number, offset: number): Set<number> {
  const out = new Set<number>();
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out.add(offset + i * ld + j);
  return out;
}

function fillMatrix(m: StridedMatrix, rows: number, cols: number, value: number): void {
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) m.data[m.offset + i * m.ld + j] = value;
}

/** Runs dgemm on one random case and checks it against the naive product (and ml-matrix). */
function checkGemm(
  rng: TestRng,
  tA: "N" | "T",
  tB: "N" | "T",
  dims: readonly [number, number, number],
  pads: readonly [number, number, number],
  offsets: readonly [number, number, number],
  alpha: number,
  beta: number,
  withMl: boolean,
): void {
  const M = Math.max(0, dims[0]);
  const N = Math.max(0, dims[1]);
  const K = Math.max(0, dims[2]);
  const [aRows, aCols] = tA === "N" ? [M, K] : [K, M];
  const [bRows, bCols] = tB === "N" ? [K, N] : [N, K];
  const A = stridedMatrix(rng, aRows, aCols, pads[0], offsets[0]);
  const B = stridedMatrix(rng, bRows, bCols, pads[1], offsets[1]);
  const C = stridedMatrix(rng, M, N, pads[2], offsets[2]);
  const gA = gatherMatrix(aRows, aCols, A.data, A.ld, A.offset);
  const gB = gatherMatrix(bRows, bCols, B.data, B.ld, B.offset);
  const gC = gatherMatrix(M, N, C.data, C.ld, C.offset);
  // beta = 0 must not read C; alpha = 0 must not read A or B.
  if (beta === 0) fillMatrix(C, M, N, Number.NaN);
  if (alpha === 0) {
    A.data.fill(Number.NaN);
    B.data.fill(Number.NaN);
  }
  const before = C.data.slice();
  const blas = C.data.slice();
  dgemmOffset(
    tA,
    tB,
    dims[0],
    dims[1],
    dims[2],
    alpha,
    A.data,
    A.ld,
    A.offset,
    B.data,
    B.ld,
    B.offset,
    beta,
    C.data,
    C.ld,
    C.offset,
  );
  const opA = tA === "N" ? gA : transpose(aRows, aCols, gA);
  const opB = tB === "N" ? gB : transpose(bRows, bCols, gB);
  const prod = naiveMatmul(M, N, K, opA, opB);
  const bound = naiveMatmul(M, N, K, abs(opA), abs(opB));
  const got = gatherMatrix(M, N, C.data, C.ld, C.offset);
  const want = prod.map((v, i) => (alpha === 0 ? 0 : alpha * v) + (beta === 0 ? 0 : beta * gC[i]));
  const scale = bound.map((v, i) => Math.abs(alpha) * v + Math.abs(beta * gC[i]));
  expectClose(got, want, scale);
  if (withMl && M > 0 && N > 0 && K > 0 && alpha !== 0) {
    const ml = mlMatrix(M, K, opA)
      .mmul(mlMatrix(K, N, opB))
      .to1DArray();
    expectClose(
      got,
      ml.map((v, i) => alpha * v + (beta === 0 ? 0 : beta * gC[i])),
      scale,
    );
  }
  expectUntouched(C.data, before, matrixPositions(M, N, C.ld, C.offset));
  dgemm(
    tA,
    tB,
    dims[0],
    dims[1],
    dims[2],
    alpha,
    A.data.subarray(offsets[0]),
    A.ld,
    B.data.subarray(offsets[1]),
    B.ld,
    beta,
    blas.subarray(offsets[2]),
    C.ld,
  );
  expect(blas).toEqual(C.data);
}

describe("dgemm", () => {
  it("matches the naive product and ml-matrix for all transposes, leading dimensions and offsets", () => {
    fc.assert(
      fc.property(
        fc.record({ tA: trans, tB: trans, M: dim, N: dim, K: dim, pads: fc.tuple(small, small, small) }),
        fc.tuple(small, small, small),
        scalar,
        scalar,
        seed,
        ({ tA, tB, M, N, K, pads }, offsets, alpha, beta, s) => {
          checkGemm(lcg(s), tA, tB, [M, N, K], pads, offsets, alpha, beta, true);
        },
      ),
    );
  });

  it("crosses the cache-block and register-block edges (K > 2·KC, N > NC, odd remainders)", () => {
    const rng = lcg(5);
    for (const tA of ["N", "T"] as const) {
      for (const tB of ["N", "T"] as const) {
        checkGemm(rng, tA, tB, [37, 300, 263], [3, 1, 2], [2, 1, 3], -0.75, 0.5, false);
      }
    }
  });

  it("K = 0 gives C = beta·C", () => {
    const C = new Float64Array([1, 2, 3, 4]);
    dgemm("N", "N", 2, 2, 0, 1, new Float64Array(0), 1, new Float64Array(2), 2, 2, C, 2);
    expect(Array.from(C)).toEqual([2, 4, 6, 8]);
  });

  it("rejects bad arguments with RangeError", () => {
    const A = new Float64Array(4);
    expect(() => dgemm("N", "N", 2, 2, 2, 1, A, 1, A, 2, 0, A.slice(), 2)).toThrow(/leading dimension of 'A'/);
    expect(() => dgemm("N", "T", 2, 2, 3, 1, A, 3, A, 3, 0, A.slice(), 2)).toThrow(/does not fit/);
    expect(() => dgemm("N", "C" as "N", 2, 2, 2, 1, A, 2, A, 2, 0, A.slice(), 2)).toThrow(/invalid 'transB'/);
  });
});

/** Runs dsyrk on one random case; checks the triangle and that nothing else changed. */
function checkSyrk(
  rng: TestRng,
  ul: "U" | "L",
  tr: "N" | "T",
  n: number,
  k: number,
  pads: readonly [number, number],
  offsets: readonly [number, number],
  alpha: number,
  beta: number,
  withMl: boolean,
): void {
  const N = Math.max(0, n);
  const K = Math.max(0, k);
  const [aRows, aCols] = tr === "N" ? [N, K] : [K, N];
  const A = stridedMatrix(rng, aRows, aCols, pads[0], offsets[0]);
  const C = stridedMatrix(rng, N, N, pads[1], offsets[1]);
  const gA = gatherMatrix(aRows, aCols, A.data, A.ld, A.offset);
  const gC = gatherMatrix(N, N, C.data, C.ld, C.offset);
  const inTriangle = (i: number, j: number) => (ul === "L" ? j <= i : j >= i);
  const written = new Set<number>();
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) {
      if (!inTriangle(i, j)) continue;
      written.add(C.offset + i * C.ld + j);
      if (beta === 0) C.data[C.offset + i * C.ld + j] = Number.NaN;
    }
  }
  if (alpha === 0) A.data.fill(Number.NaN);
  const before = C.data.slice();
  const blas = C.data.slice();
  dsyrkOffset(ul, tr, n, k, alpha, A.data, A.ld, A.offset, beta, C.data, C.ld, C.offset);
  const opA = tr === "N" ? gA : transpose(aRows, aCols, gA);
  const opAt = transpose(N, K, opA);
  const prod = naiveMatmul(N, N, K, opA, opAt);
  const bound = naiveMatmul(N, N, K, abs(opA), abs(opAt));
  const ml =
    withMl && N > 0 && K > 0
      ? mlMatrix(N, K, opA)
          .mmul(mlMatrix(N, K, opA).transpose())
          .to1DArray()
      : null;
  const got: number[] = [];
  const want: number[] = [];
  const viaMl: number[] = [];
  const scale: number[] = [];
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) {
      if (!inTriangle(i, j)) continue;
      const c = beta === 0 ? 0 : beta * gC[i * N + j];
      got.push(C.data[C.offset + i * C.ld + j]);
      want.push((alpha === 0 ? 0 : alpha * prod[i * N + j]) + c);
      if (ml) viaMl.push((alpha === 0 ? 0 : alpha * ml[i * N + j]) + c);
      scale.push(Math.abs(alpha) * bound[i * N + j] + Math.abs(c));
    }
  }
  expectClose(got, want, scale);
  if (ml) expectClose(got, viaMl, scale);
  expectUntouched(C.data, before, written);
  dsyrk(ul, tr, n, k, alpha, A.data.subarray(offsets[0]), A.ld, beta, blas.subarray(offsets[1]), C.ld);
  expect(blas).toEqual(C.data);
}

describe("dsyrk", () => {
  it("writes alpha·op(A)·op(A)ᵀ + beta·C into the chosen triangle only", () => {
    fc.assert(
      fc.property(
        fc.record({
          ul: uplo,
          tr: trans,
          N: dim,
          K: dim,
          pads: fc.tuple(small, small),
          offsets: fc.tuple(small, small),
        }),
        scalar,
        scalar,
        seed,
        ({ ul, tr, N, K, pads, offsets }, alpha, beta, s) => {
          checkSyrk(lcg(s), ul, tr, N, K, pads, offsets, alpha, beta, true);
        },
      ),
    );
  });

  it("stays correct through the recursive blocking and the transposed-panel copy", () => {
    const rng = lcg(9);
    for (const ul of ["U", "L"] as const) {
      for (const tr of ["N", "T"] as const) checkSyrk(rng, ul, tr, 300, 139, [1, 2], [3, 1], 1.5, -0.5, false);
    }
  });
});

/** Runs dtrsm on one random case; checks that op(A)·X (or X·op(A)) reproduces alpha·B. */
function checkTrsm(
  rng: TestRng,
  side: "L" | "R",
  ul: "U" | "L",
  tr: "N" | "T",
  diag: "N" | "U",
  m: number,
  n: number,
  pads: readonly [number, number],
  offsets: readonly [number, number],
  alpha: number,
  withMl: boolean,
): void {
  const M = Math.max(0, m);
  const N = Math.max(0, n);
  const na = side === "L" ? M : N;
  const A = triangular(rng, ul, tr, diag, na, pads[0], offsets[0]);
  const B = stridedMatrix(rng, M, N, pads[1], offsets[1]);
  const gB = gatherMatrix(M, N, B.data, B.ld, B.offset);
  if (alpha === 0) {
    A.data.fill(Number.NaN);
    fillMatrix(B, M, N, Number.NaN);
  }
  const before = B.data.slice();
  const blas = B.data.slice();
  dtrsmOffset(side, ul, tr, diag, m, n, alpha, A.data, A.ld, offsets[0], B.data, B.ld, B.offset);
  const X = gatherMatrix(M, N, B.data, B.ld, B.offset);
  const rhs = gB.map((v) => (alpha === 0 ? 0 : alpha * v));
  const product = side === "L" ? naiveMatmul(M, N, M, A.op, X) : naiveMatmul(M, N, N, X, A.op);
  const bound = side === "L" ? naiveMatmul(M, N, M, abs(A.op), abs(X)) : naiveMatmul(M, N, N, abs(X), abs(A.op));
  expectClose(
    product,
    rhs,
    bound.map((v, i) => v + Math.abs(rhs[i])),
  );
  if (withMl && M > 0 && N > 0 && alpha !== 0) {
    const ml =
      side === "L"
        ? solve(mlMatrix(M, M, A.op), mlMatrix(M, N, rhs)).to1DArray()
        : solve(mlMatrix(N, N, A.op).transpose(), mlMatrix(M, N, rhs).transpose())
            .transpose()
            .to1DArray();
    const size = X.reduce((s, v) => Math.max(s, Math.abs(v)), 0);
    expectClose(X, ml, new Float64Array(X.length).fill(size), 1e-10);
  }
  expectUntouched(B.data, before, matrixPositions(M, N, B.ld, B.offset));
  dtrsm(side, ul, tr, diag, m, n, alpha, A.data.subarray(offsets[0]), A.ld, blas.subarray(offsets[1]), B.ld);
  expect(blas).toEqual(B.data);
}

describe("dtrsm", () => {
  it("solves op(A)·X = alpha·B and X·op(A) = alpha·B for every flag combination", () => {
    fc.assert(
      fc.property(
        fc.record({
          side: fc.constantFrom("L" as const, "R" as const),
          ul: uplo,
          tr: trans,
          diag: fc.constantFrom("N" as const, "U" as const),
          M: dim,
          N: dim,
          pads: fc.tuple(small, small),
          offsets: fc.tuple(small, small),
        }),
        scalar,
        seed,
        ({ side, ul, tr, diag, M, N, pads, offsets }, alpha, s) => {
          checkTrsm(lcg(s), side, ul, tr, diag, M, N, pads, offsets, alpha, true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("stays correct across several diagonal blocks", () => {
    const rng = lcg(13);
    for (const ul of ["U", "L"] as const) {
      for (const tr of ["N", "T"] as const) {
        for (const diag of ["N", "U"] as const) {
          checkTrsm(rng, "L", ul, tr, diag, 150, 70, [2, 1], [1, 2], 0.5, false);
          checkTrsm(rng, "R", ul, tr, diag, 70, 150, [2, 1], [1, 2], -2, false);
        }
      }
    }
  });
});
