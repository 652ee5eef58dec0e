import fc from "fast-check";
import { type Complex, complex, ctranspose, multiply, matrix as mathMatrix, transpose as mathTranspose } from "mathjs";
import { Matrix, solve } from "ml-matrix";
import { describe, expect, it } from "vitest";
import {
  dgemv,
  dgemvOffset,
  dger,
  dgerOffset,
  dtrsv,
  dtrsvOffset,
  zgemv,
  zgemvOffset,
} from "../../src/kernels/blas2.js";
import {
  abs,
  expectClose,
  expectUntouched,
  gather,
  gatherMatrix,
  lcg,
  naiveMatvec,
  scatter,
  stridedMatrix,
  stridedVector,
  transpose,
  triangular,
} from "./reference.js";

// Half the cases use unit stride, so the unrolled fast paths are exercised as often as the generic ones.
const stride = fc.oneof(fc.constant(1), fc.constantFrom(-3, -2, -1, 2, 3));
const small = fc.integer({ min: 0, max: 3 });
const seed = fc.integer({ min: 0, max: 0x7fffffff });
const dim = fc.integer({ min: -1, max: 30 });
const scalar = fc.oneof(fc.constant(0), fc.constant(1), fc.double({ min: -3, max: 3, noNaN: true }));

function positions(N: number, s: number, offset: number, width = 1): Set<number> {
  const out = new Set<number>();
  for (let i = 0; i < N; i++) for (let w = 0; w < width; w++) out.add((offset + i * s) * width + w);
  return out;
}

function matrixPositions(rows: number, cols: number, ld: number, offset: number): Set<number> {
  const out = new Set<number>();
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out.add(offset + i * ld + j);
  return out;
}

/** ml-matrix view of a dense row-major array. */
function mlMatrix(rows: number, cols: number, a: Float64Array): Matrix {
  const m = new Matrix(rows, cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) m.set(i, j, a[i * cols + j]);
  return m;
}

const gemvCase = fc.record({
  trans: fc.constantFrom("N" as const, "T" as const),
  M: dim,
  N: dim,
  ldPad: small,
  offA: small,
  sx: stride,
  bx: small,
  sy: stride,
  by: small,
  seed,
});

describe("dgemv", () => {
  it("matches the naive product and ml-matrix for both transposes, strides and offsets", () => {
    fc.assert(
      fc.property(gemvCase, scalar, scalar, (c, alpha, beta) => {
        const { trans, ldPad, offA, sx, bx, sy, by } = c;
        const M = Math.max(0, c.M);
        const N = Math.max(0, c.N);
        const rng = lcg(c.seed);
        const nx = trans === "N" ? N : M;
        const ny = trans === "N" ? M : N;
        const A = stridedMatrix(rng, M, N, ldPad, offA);
        const x = stridedVector(rng, nx, sx, bx);
        const y = stridedVector(rng, ny, sy, by);
        const gy = gather(ny, y.data, sy, y.offset);
        // beta = 0 must not read y; alpha = 0 must not read A or x.
        if (beta === 0) scatter(ny, new Float64Array(ny).fill(Number.NaN), y.data, sy, y.offset);
        const gA = gatherMatrix(M, N, A.data, A.ld, A.offset);
        const gx = gather(nx, x.data, sx, x.offset);
        if (alpha === 0) {
          A.data.fill(Number.NaN);
          x.data.fill(Number.NaN);
        }
        const before = y.data.slice();
        const blas = y.data.slice();
        dgemvOffset(trans, c.M, c.N, alpha, A.data, A.ld, A.offset, x.data, sx, x.offset, beta, y.data, sy, y.offset);

        const opA = trans === "N" ? gA : transpose(M, N, gA);
        const prod = naiveMatvec(ny, nx, opA, gx);
        const bound = naiveMatvec(ny, nx, abs(opA), abs(gx));
        const want = prod.map((v, i) => (alpha === 0 ? 0 : alpha * v) + (beta === 0 ? 0 : beta * gy[i]));
        const scale = bound.map((v, i) => Math.abs(alpha) * v + Math.abs(beta * gy[i]));
        const got = gather(ny, y.data, sy, y.offset);
        expectClose(got, want, scale);
        if (ny > 0 && nx > 0 && alpha !== 0) {
          const ml = mlMatrix(ny, nx, opA)
            .mmul(Matrix.columnVector(Array.from(gx)))
            .to1DArray();
          expectClose(
            got,
            ml.map((v, i) => alpha * v + (beta === 0 ? 0 : beta * gy[i])),
            scale,
          );
        }
        expectUntouched(y.data, before, positions(ny, sy, y.offset));
        dgemv(
          trans,
          c.M,
          c.N,
          alpha,
          A.data.subarray(offA),
          A.ld,
          x.data.subarray(bx),
          sx,
          beta,
          blas.subarray(by),
          sy,
        );
        expect(blas).toEqual(y.data);
      }),
    );
  });

  it("covers the 4-row and 8-row blocks with their remainders on a larger case", () => {
    const rng = lcg(11);
    for (const trans of ["N", "T"] as const) {
      const M = 45;
      const N = 37;
      const A = stridedMatrix(rng, M, N, 2, 1);
      const nx = trans === "N" ? N : M;
      const ny = trans === "N" ? M : N;
      const x = stridedVector(rng, nx, 1, 0);
      const y = new Float64Array(ny);
      dgemv(trans, M, N, 1, A.data.subarray(1), A.ld, x.data, 1, 0, y, 1);
      const gA = gatherMatrix(M, N, A.data, A.ld, 1);
      const opA = trans === "N" ? gA : transpose(M, N, gA);
      const gx = x.data.subarray(0, nx);
      expectClose(y, naiveMatvec(ny, nx, opA, gx), naiveMatvec(ny, nx, abs(opA), abs(gx)));
    }
  });

  it("an empty inner dimension gives y = beta·y", () => {
    const y = new Float64Array([1, 2]);
    dgemv("N", 2, 0, 1, new Float64Array(0), 1, new Float64Array(0), 1, 3, y, 1);
    expect(Array.from(y)).toEqual([3, 6]);
  });

  it("rejects bad arguments with RangeError", () => {
    const A = new Float64Array(4);
    const v = new Float64Array(2);
    expect(() => dgemv("N", 2, 2, 1, A, 1, v, 1, 0, v, 1)).toThrow(/leading dimension/);
    expect(() => dgemv("N", 2, 2, 1, A, 2, v, 0, 0, v, 1)).toThrow(RangeError);
    expect(() => dgemv("X" as "N", 2, 2, 1, A, 2, v, 1, 0, v, 1)).toThrow(/invalid 'trans'/);
    expect(() => dgemv("N", 3, 2, 1, A, 2, v, 1, 0, v, 1)).toThrow(/does not fit/);
  });
});

describe("dger", () => {
  it("matches x·yᵀ from the naive loop and ml-matrix; leaves padding untouched", () => {
    fc.assert(
      fc.property(gemvCase, scalar, (c, alpha) => {
        const { ldPad, offA, sx, bx, sy, by } = c;
        const M = Math.max(0, c.M);
        const N = Math.max(0, c.N);
        const rng = lcg(c.seed);
        const A = stridedMatrix(rng, M, N, ldPad, offA);
        const x = stridedVector(rng, M, sx, bx);
        const y = stridedVector(rng, N, sy, by);
        const gA = gatherMatrix(M, N, A.data, A.ld, A.offset);
        const gx = gather(M, x.data, sx, x.offset);
        const gy = gather(N, y.data, sy, y.offset);
        if (alpha === 0) {
          x.data.fill(Number.NaN);
          y.data.fill(Number.NaN);
        }
        const before = A.data.slice();
        const blas = A.data.slice();
        dgerOffset(c.M, c.N, alpha, x.data, sx, x.offset, y.data, sy, y.offset, A.data, A.ld, A.offset);
        const got = gatherMatrix(M, N, A.data, A.ld, A.offset);
        const want = new Float64Array(M * N);
        const scale = new Float64Array(M * N);
        for (let i = 0; i < M; i++) {
          for (let j = 0; j < N; j++) {
            const t = alpha === 0 ? 0 : alpha * gx[i] * gy[j];
            want[i * N + j] = gA[i * N + j] + t;
            scale[i * N + j] = Math.abs(gA[i * N + j]) + Math.abs(t);
          }
        }
        expectClose(got, want, scale, 1e-15);
        if (M > 0 && N > 0 && alpha !== 0) {
          const outer = Matrix.columnVector(Array.from(gx))
            .mmul(Matrix.rowVector(Array.from(gy)))
            .mul(alpha);
          expectClose(got, mlMatrix(M, N, gA).add(outer).to1DArray(), scale, 1e-15);
        }
        expectUntouched(A.data, before, matrixPositions(M, N, A.ld, A.offset));
        dger(c.M, c.N, alpha, x.data.subarray(bx), sx, y.data.subarray(by), sy, blas.subarray(offA), A.ld);
        expect(blas).toEqual(A.data);
      }),
    );
  });
});

const trsvCase = fc.record({
  uplo: fc.constantFrom("U" as const, "L" as const),
  trans: fc.constantFrom("N" as const, "T" as const),
  diag: fc.constantFrom("N" as const, "U" as const),
  N: fc.integer({ min: -1, max: 40 }),
  ldPad: small,
  offA: small,
  sx: stride,
  bx: small,
  seed,
});

describe("dtrsv", () => {
  it("op(A)·x reproduces the right-hand side and agrees with ml-matrix's solve", () => {
    fc.assert(
      fc.property(trsvCase, ({ uplo, trans, diag, N: n, ldPad, offA, sx, bx, seed }) => {
        const N = Math.max(0, n);
        const rng = lcg(seed);
        const A = triangular(rng, uplo, trans, diag, N, ldPad, offA);
        const x = stridedVector(rng, N, sx, bx);
        const b = gather(N, x.data, sx, x.offset);
        const before = x.data.slice();
        const blas = x.data.slice();
        dtrsvOffset(uplo, trans, diag, n, A.data, A.ld, offA, x.data, sx, x.offset);
        const sol = gather(N, x.data, sx, x.offset);
        const residual = naiveMatvec(N, N, A.op, sol);
        const scale = naiveMatvec(N, N, abs(A.op), abs(sol)).map((v, i) => v + Math.abs(b[i]));
        expectClose(residual, b, scale);
        if (N > 0) {
          const ml = solve(mlMatrix(N, N, A.op), Matrix.columnVector(Array.from(b))).to1DArray();
          const size = sol.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
          expectClose(sol, ml, new Float64Array(N).fill(size), 1e-10);
        }
        expectUntouched(x.data, before, positions(N, sx, x.offset));
        dtrsv(uplo, trans, diag, n, A.data.subarray(offA), A.ld, blas.subarray(bx), sx);
        expect(blas).toEqual(x.data);
      }),
    );
  });
});

const zgemvCase = fc.record({
  trans: fc.constantFrom("N" as const, "T" as const, "C" as const),
  M: dim,
  N: dim,
  ldPad: small,
  offA: small,
  sx: stride,
  bx: small,
  sy: stride,
  by: small,
  seed,
});

describe("zgemv", () => {
  it("matches the naive complex product and mathjs for N, T and C", () => {
    fc.assert(
      fc.property(zgemvCase, scalar, scalar, scalar, scalar, (c, ar, ai, br, bi) => {
        const { trans, ldPad, offA, sx, bx, sy, by } = c;
        const M = Math.max(0, c.M);
        const N = Math.max(0, c.N);
        const rng = lcg(c.seed);
        const nx = trans === "N" ? N : M;
        const ny = trans === "N" ? M : N;
        const A = stridedMatrix(rng, M, N, ldPad, offA, 2, 2);
        const x = stridedVector(rng, nx, sx, bx, 2, 2);
        const y = stridedVector(rng, ny, sy, by, 2, 2);
        const gy = gather(ny, y.data, sy, y.offset, 2);
        const betaZero = br === 0 && bi === 0;
        const alphaZero = ar === 0 && ai === 0;
        if (betaZero) scatter(ny, new Float64Array(2 * ny).fill(Number.NaN), y.data, sy, y.offset, 2);
        const gA = gatherMatrix(M, N, A.data, A.ld, A.offset, 2);
        const gx = gather(nx, x.data, sx, x.offset, 2);
        if (alphaZero) {
          A.data.fill(Number.NaN);
          x.data.fill(Number.NaN);
        }
        const before = y.data.slice();
        const blas = y.data.slice();
        zgemvOffset(
          trans,
          c.M,
          c.N,
          ar,
          ai,
          A.data,
          A.ld,
          A.offset,
          x.data,
          sx,
          x.offset,
          br,
          bi,
          y.data,
          sy,
          y.offset,
        );
        const got = gather(ny, y.data, sy, y.offset, 2);

        const want = new Float64Array(2 * ny);
        const scale = new Float64Array(2 * ny);
        for (let i = 0; i < ny; i++) {
          let sr = 0;
          let si = 0;
          let bound = 0;
          for (let j = 0; j < nx; j++) {
            // op(A)[i, j] for the three modes, from the dense stored M × N matrix.
            const at = trans === "N" ? 2 * (i * N + j) : 2 * (j * N + i);
            const pr = gA[at];
            const pi = trans === "C" ? -gA[at + 1] : gA[at + 1];
            sr += pr * gx[2 * j] - pi * gx[2 * j + 1];
            si += pr * gx[2 * j + 1] + pi * gx[2 * j];
            bound += Math.hypot(pr, pi) * Math.hypot(gx[2 * j], gx[2 * j + 1]);
          }
          const yr = betaZero ? 0 : br * gy[2 * i] - bi * gy[2 * i + 1];
          const yi = betaZero ? 0 : br * gy[2 * i + 1] + bi * gy[2 * i];
          want[2 * i] = (alphaZero ? 0 : ar * sr - ai * si) + yr;
          want[2 * i + 1] = (alphaZero ? 0 : ar * si + ai * sr) + yi;
          scale[2 * i] = scale[2 * i + 1] =
            2 * Math.hypot(ar, ai) * bound +
            (betaZero ? 0 : 2 * Math.hypot(br, bi) * Math.hypot(gy[2 * i], gy[2 * i + 1]));
        }
        expectClose(got, want, scale);

        if (M > 0 && N > 0 && !alphaZero) {
          const rows: Complex[][] = [];
          for (let i = 0; i < M; i++) {
            const row: Complex[] = [];
            for (let j = 0; j < N; j++) row.push(complex(gA[2 * (i * N + j)], gA[2 * (i * N + j) + 1]));
            rows.push(row);
          }
          const mA = mathMatrix(rows);
          const op = trans === "N" ? mA : trans === "T" ? mathTranspose(mA) : ctranspose(mA);
          const xs: Complex[] = [];
          for (let j = 0; j < nx; j++) xs.push(complex(gx[2 * j], gx[2 * j + 1]));
          const prod = (multiply(op, xs) as unknown as { toArray(): Complex[] }).toArray();
          const viaMath = new Float64Array(2 * ny);
          for (let i = 0; i < ny; i++) {
            const p = multiply(complex(ar, ai), prod[i]) as Complex;
            viaMath[2 * i] = p.re + (betaZero ? 0 : br * gy[2 * i] - bi * gy[2 * i + 1]);
            viaMath[2 * i + 1] = p.im + (betaZero ? 0 : br * gy[2 * i + 1] + bi * gy[2 * i]);
          }
          expectClose(got, viaMath, scale);
        }
        expectUntouched(y.data, before, positions(ny, sy, y.offset, 2));
        zgemv(
          trans,
          c.M,
          c.N,
          ar,
          ai,
          A.data.subarray(2 * offA),
          A.ld,
          x.data.subarray(2 * bx),
          sx,
          br,
          bi,
          blas.subarray(2 * by),
          sy,
        );
        expect(blas).toEqual(y.data);
      }),
    );
  });
});
