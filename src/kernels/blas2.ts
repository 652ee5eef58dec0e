/**
 * Level-2 BLAS on row-major matrices: matrix-vector products, rank-1 update, triangular solve.
 *
 * A is row-major with leading dimension `lda` (the row pitch, `lda >= max(1, cols)`); the BLAS
 * form has matrix offset 0, the offset form takes `offsetA` right after `lda`. Vector strides
 * must be non-zero. `beta = 0` overwrites y without reading it and `alpha = 0` skips A and x.
 * When the inner dimension is 0, y ← beta·y (the mathematically consistent reading; reference
 * BLAS returns without touching y there).
 */
import { checkFlag, checkMatrix, checkStride, checkVector, stridedOffset } from "./blas1.js";
import type { Transpose, Uplo } from "./kernel_set.js";

/** y ← beta·y over n elements; beta = 0 writes zeros without reading. */
function scaleVector(n: number, beta: number, y: Float64Array, strideY: number, offsetY: number): void {
  if (beta === 1) return;
  let iy = offsetY;
  if (beta === 0) {
    for (let i = 0; i < n; i++, iy += strideY) y[iy] = 0;
  } else {
    for (let i = 0; i < n; i++, iy += strideY) y[iy] *= beta;
  }
}

/**
 * y ← alpha·op(A)·x + beta·y with A an M × N row-major matrix (offset form). For `trans = "N"`
 * x has N and y has M elements; for `"T"` the other way round.
 *
 * @example
 * ```ts
 * const A = new Float64Array([1, 2, 3, 4]); // [[1, 2], [3, 4]]
 * const y = new Float64Array(2);
 * dgemvOffset("N", 2, 2, 1, A, 2, 0, new Float64Array([1, 1]), 1, 0, 0, y, 1, 0); // y = [3, 7]
 * ```
 */
export function dgemvOffset(
  trans: Transpose,
  M: number,
  N: number,
  alpha: number,
  A: Float64Array,
  lda: number,
  offsetA: number,
  x: Float64Array,
  strideX: number,
  offsetX: number,
  beta: number,
  y: Float64Array,
  strideY: number,
  offsetY: number,
): void {
  checkFlag("dgemv", "trans", trans, "NT");
  checkStride("dgemv", "strideX", strideX);
  checkStride("dgemv", "strideY", strideY);
  if (M < 0) M = 0;
  if (N < 0) N = 0;
  const notrans = trans === "N";
  const ny = notrans ? M : N;
  const nx = notrans ? N : M;
  checkMatrix("dgemv", "A", M, N, A, lda, offsetA, 1);
  checkVector("dgemv", "x", nx, x, strideX, offsetX, 1);
  checkVector("dgemv", "y", ny, y, strideY, offsetY, 1);
  if (ny === 0) return;
  if (alpha === 0 || nx === 0) {
    scaleVector(ny, beta, y, strideY, offsetY);
    return;
  }
  if (notrans) gemvRows(M, N, alpha, A, lda, offsetA, x, strideX, offsetX, beta, y, strideY, offsetY);
  else {
    scaleVector(ny, beta, y, strideY, offsetY);
    gemvColumns(M, N, alpha, A, lda, offsetA, x, strideX, offsetX, y, strideY, offsetY);
  }
}

/**
 * y ← alpha·A·x + beta·y as dot products of contiguous rows. Four rows share each load of x and
 * give four independent accumulators.
 */
function gemvRows(
  M: number,
  N: number,
  alpha: number,
  A: Float64Array,
  lda: number,
  offsetA: number,
  x: Float64Array,
  strideX: number,
  offsetX: number,
  beta: number,
  y: Float64Array,
  strideY: number,
  offsetY: number,
): void {
  let i = 0;
  let iy = offsetY;
  for (; i + 3 < M; i += 4) {
    const r0 = offsetA + i * lda;
    const r1 = r0 + lda;
    const r2 = r1 + lda;
    const r3 = r2 + lda;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    if (strideX === 1) {
      // Index by the position in x and shift the row bases instead: one index add fewer per load.
      const u0 = r0 - offsetX;
      const u1 = r1 - offsetX;
      const u2 = r2 - offsetX;
      const u3 = r3 - offsetX;
      const end = offsetX + N;
      for (let j = offsetX; j < end; j++) {
        const xj = x[j];
        s0 += A[u0 + j] * xj;
        s1 += A[u1 + j] * xj;
        s2 += A[u2 + j] * xj;
        s3 += A[u3 + j] * xj;
      }
    } else {
      let ix = offsetX;
      for (let j = 0; j < N; j++, ix += strideX) {
        const xj = x[ix];
        s0 += A[r0 + j] * xj;
        s1 += A[r1 + j] * xj;
        s2 += A[r2 + j] * xj;
        s3 += A[r3 + j] * xj;
      }
    }
    if (beta === 0) {
      y[iy] = alpha * s0;
      y[iy + strideY] = alpha * s1;
      y[iy + 2 * strideY] = alpha * s2;
      y[iy + 3 * strideY] = alpha * s3;
    } else {
      y[iy] = alpha * s0 + beta * y[iy];
      y[iy + strideY] = alpha * s1 + beta * y[iy + strideY];
      y[iy + 2 * strideY] = alpha * s2 + beta * y[iy + 2 * strideY];
      y[iy + 3 * strideY] = alpha * s3 + beta * y[iy + 3 * strideY];
    }
    iy += 4 * strideY;
  }
  for (; i < M; i++, iy += strideY) {
    const r = offsetA + i * lda;
    let s = 0;
    let ix = offsetX;
    for (let j = 0; j < N; j++, ix += strideX) s += A[r + j] * x[ix];
    y[iy] = beta === 0 ? alpha * s : alpha * s + beta * y[iy];
  }
}

/**
 * y ← alpha·Aᵀ·x + y as a sum of scaled contiguous rows. Eight rows per sweep cut the loads and
 * stores of y eightfold, which is what bounds this loop.
 */
function gemvColumns(
  M: number,
  N: number,
  alpha: number,
  A: Float64Array,
  lda: number,
  offsetA: number,
  x: Float64Array,
  strideX: number,
  offsetX: number,
  y: Float64Array,
  strideY: number,
  offsetY: number,
): void {
  let i = 0;
  for (; i + 7 < M; i += 8) {
    const ix = offsetX + i * strideX;
    const a0 = alpha * x[ix];
    const a1 = alpha * x[ix + strideX];
    const a2 = alpha * x[ix + 2 * strideX];
    const a3 = alpha * x[ix + 3 * strideX];
    const a4 = alpha * x[ix + 4 * strideX];
    const a5 = alpha * x[ix + 5 * strideX];
    const a6 = alpha * x[ix + 6 * strideX];
    const a7 = alpha * x[ix + 7 * strideX];
    const r0 = offsetA + i * lda;
    const r1 = r0 + lda;
    const r2 = r1 + lda;
    const r3 = r2 + lda;
    const r4 = r3 + lda;
    const r5 = r4 + lda;
    const r6 = r5 + lda;
    const r7 = r6 + lda;
    if (strideY === 1) {
      const u0 = r0 - offsetY;
      const u1 = r1 - offsetY;
      const u2 = r2 - offsetY;
      const u3 = r3 - offsetY;
      const u4 = r4 - offsetY;
      const u5 = r5 - offsetY;
      const u6 = r6 - offsetY;
      const u7 = r7 - offsetY;
      const end = offsetY + N;
      for (let j = offsetY; j < end; j++) {
        y[j] +=
          a0 * A[u0 + j] +
          a1 * A[u1 + j] +
          a2 * A[u2 + j] +
          a3 * A[u3 + j] +
          (a4 * A[u4 + j] + a5 * A[u5 + j] + a6 * A[u6 + j] + a7 * A[u7 + j]);
      }
    } else {
      let iy = offsetY;
      for (let j = 0; j < N; j++, iy += strideY) {
        y[iy] +=
          a0 * A[r0 + j] +
          a1 * A[r1 + j] +
          a2 * A[r2 + j] +
          a3 * A[r3 + j] +
          (a4 * A[r4 + j] + a5 * A[r5 + j] + a6 * A[r6 + j] + a7 * A[r7 + j]);
      }
    }
  }
  for (; i < M; i++) {
    const a = alpha * x[offsetX + i * strideX];
    const r = offsetA + i * lda;
    let iy = offsetY;
    for (let j = 0; j < N; j++, iy += strideY) y[iy] += a * A[r + j];
  }
}

/**
 * y ← alpha·op(A)·x + beta·y (BLAS form, A at offset 0).
 *
 * @example
 * ```ts
 * const A = new Float64Array([1, 2, 3, 4]);
 * const y = new Float64Array(2);
 * dgemv("T", 2, 2, 1, A, 2, new Float64Array([1, 1]), 1, 0, y, 1); // y = [4, 6]
 * ```
 */
export function dgemv(
  trans: Transpose,
  M: number,
  N: number,
  alpha: number,
  A: Float64Array,
  lda: number,
  x: Float64Array,
  strideX: number,
  beta: number,
  y: Float64Array,
  strideY: number,
): void {
  const nx = trans === "N" ? N : M;
  const ny = trans === "N" ? M : N;
  dgemvOffset(
    trans,
    M,
    N,
    alpha,
    A,
    lda,
    0,
    x,
    strideX,
    stridedOffset(nx, strideX),
    beta,
    y,
    strideY,
    stridedOffset(ny, strideY),
  );
}

/**
 * A ← alpha·x·yᵀ + A, rank-1 update of the M × N row-major A (offset form).
 *
 * @example
 * ```ts
 * const A = new Float64Array(4);
 * dgerOffset(2, 2, 1, new Float64Array([1, 2]), 1, 0, new Float64Array([3, 4]), 1, 0, A, 2, 0); // A = [3, 4, 6, 8]
 * ```
 */
export function dgerOffset(
  M: number,
  N: number,
  alpha: number,
  x: Float64Array,
  strideX: number,
  offsetX: number,
  y: Float64Array,
  strideY: number,
  offsetY: number,
  A: Float64Array,
  lda: number,
  offsetA: number,
): void {
  checkStride("dger", "strideX", strideX);
  checkStride("dger", "strideY", strideY);
  checkMatrix("dger", "A", M, N, A, lda, offsetA, 1);
  if (M <= 0 || N <= 0 || alpha === 0) return;
  checkVector("dger", "x", M, x, strideX, offsetX, 1);
  checkVector("dger", "y", N, y, strideY, offsetY, 1);
  let ix = offsetX;
  for (let i = 0; i < M; i++, ix += strideX) {
    const a = alpha * x[ix];
    const r = offsetA + i * lda;
    if (strideY === 1) {
      const d = offsetY - r;
      const end = r + N;
      let j = r;
      for (; j + 3 < end; j += 4) {
        A[j] += a * y[j + d];
        A[j + 1] += a * y[j + d + 1];
        A[j + 2] += a * y[j + d + 2];
        A[j + 3] += a * y[j + d + 3];
      }
      for (; j < end; j++) A[j] += a * y[j + d];
    } else {
      let iy = offsetY;
      for (let j = 0; j < N; j++, iy += strideY) A[r + j] += a * y[iy];
    }
  }
}

/**
 * A ← alpha·x·yᵀ + A (BLAS form).
 *
 * @example
 * ```ts
 * const A = new Float64Array(2);
 * dger(1, 2, 2, new Float64Array([1]), 1, new Float64Array([3, 4]), 1, A, 2); // A = [6, 8]
 * ```
 */
export function dger(
  M: number,
  N: number,
  alpha: number,
  x: Float64Array,
  strideX: number,
  y: Float64Array,
  strideY: number,
  A: Float64Array,
  lda: number,
): void {
  dgerOffset(M, N, alpha, x, strideX, stridedOffset(M, strideX), y, strideY, stridedOffset(N, strideY), A, lda, 0);
}

/**
 * Solves op(A)·z = x in place (x ← op(A)⁻¹·x) for an N × N row-major triangular A (offset
 * form). Only the `uplo` triangle is read; with `diag = "U"` the diagonal is taken as 1 and not
 * read. Like BLAS it does not test for singularity: a zero pivot gives ±Infinity/NaN, so callers
 * check the diagonal when that can happen.
 *
 * @example
 * ```ts
 * const L = new Float64Array([2, 0, 1, 1]); // [[2, 0], [1, 1]]
 * const x = new Float64Array([2, 3]);
 * dtrsvOffset("L", "N", "N", 2, L, 2, 0, x, 1, 0); // x = [1, 2]
 * ```
 */
export function dtrsvOffset(
  uplo: Uplo,
  trans: Transpose,
  diag: "N" | "U",
  N: number,
  A: Float64Array,
  lda: number,
  offsetA: number,
  x: Float64Array,
  strideX: number,
  offsetX: number,
): void {
  checkFlag("dtrsv", "uplo", uplo, "UL");
  checkFlag("dtrsv", "trans", trans, "NT");
  checkFlag("dtrsv", "diag", diag, "NU");
  checkStride("dtrsv", "strideX", strideX);
  checkMatrix("dtrsv", "A", N, N, A, lda, offsetA, 1);
  if (N <= 0) return;
  checkVector("dtrsv", "x", N, x, strideX, offsetX, 1);
  const unit = diag === "U";
  // Row-major A: for op(A) = A the rows give contiguous dot products; for op(A) = Aᵀ a solved
  // component is eliminated from the rest with a contiguous row (axpy form).
  if (trans === "N") {
    if (uplo === "U") {
      for (let i = N - 1; i >= 0; i--) {
        const r = offsetA + i * lda;
        const xi = offsetX + i * strideX;
        let s = x[xi];
        let ix = xi + strideX;
        for (let j = i + 1; j < N; j++, ix += strideX) s -= A[r + j] * x[ix];
        x[xi] = unit ? s : s / A[r + i];
      }
    } else {
      for (let i = 0; i < N; i++) {
        const r = offsetA + i * lda;
        const xi = offsetX + i * strideX;
        let s = x[xi];
        let ix = offsetX;
        for (let j = 0; j < i; j++, ix += strideX) s -= A[r + j] * x[ix];
        x[xi] = unit ? s : s / A[r + i];
      }
    }
  } else if (uplo === "U") {
    for (let i = 0; i < N; i++) {
      const r = offsetA + i * lda;
      const xi = offsetX + i * strideX;
      const v = unit ? x[xi] : x[xi] / A[r + i];
      x[xi] = v;
      let ix = xi + strideX;
      for (let j = i + 1; j < N; j++, ix += strideX) x[ix] -= v * A[r + j];
    }
  } else {
    for (let i = N - 1; i >= 0; i--) {
      const r = offsetA + i * lda;
      const xi = offsetX + i * strideX;
      const v = unit ? x[xi] : x[xi] / A[r + i];
      x[xi] = v;
      let ix = offsetX;
      for (let j = 0; j < i; j++, ix += strideX) x[ix] -= v * A[r + j];
    }
  }
}

/**
 * x ← op(A)⁻¹·x for triangular A (BLAS form).
 *
 * @example
 * ```ts
 * const U = new Float64Array([2, 1, 0, 1]); // [[2, 1], [0, 1]]
 * const x = new Float64Array([4, 2]);
 * dtrsv("U", "N", "N", 2, U, 2, x, 1); // x = [1, 2]
 * ```
 */
export function dtrsv(
  uplo: Uplo,
  trans: Transpose,
  diag: "N" | "U",
  N: number,
  A: Float64Array,
  lda: number,
  x: Float64Array,
  strideX: number,
): void {
  dtrsvOffset(uplo, trans, diag, N, A, lda, 0, x, strideX, stridedOffset(N, strideX));
}

/**
 * y ← alpha·op(A)·x + beta·y for a complex M × N row-major A, interleaved (re, im), with
 * op = identity ("N"), transpose ("T") or conjugate transpose ("C") (offset form). Strides,
 * offsets and lda count complex elements.
 *
 * @example
 * ```ts
 * const A = new Float64Array([0, 1]); // [[i]]
 * const y = new Float64Array(2);
 * zgemvOffset("C", 1, 1, 1, 0, A, 1, 0, new Float64Array([1, 0]), 1, 0, 0, 0, y, 1, 0); // y = [0, -1]
 * ```
 */
export function zgemvOffset(
  trans: Transpose | "C",
  M: number,
  N: number,
  alphaRe: number,
  alphaIm: number,
  A: Float64Array,
  lda: number,
  offsetA: number,
  x: Float64Array,
  strideX: number,
  offsetX: number,
  betaRe: number,
  betaIm: number,
  y: Float64Array,
  strideY: number,
  offsetY: number,
): void {
  checkFlag("zgemv", "trans", trans, "NTC");
  checkStride("zgemv", "strideX", strideX);
  checkStride("zgemv", "strideY", strideY);
  if (M < 0) M = 0;
  if (N < 0) N = 0;
  const notrans = trans === "N";
  const ny = notrans ? M : N;
  const nx = notrans ? N : M;
  checkMatrix("zgemv", "A", M, N, A, lda, offsetA, 2);
  checkVector("zgemv", "x", nx, x, strideX, offsetX, 2);
  checkVector("zgemv", "y", ny, y, strideY, offsetY, 2);
  if (ny === 0) return;
  const sx = 2 * strideX;
  const sy = 2 * strideY;
  const betaZero = betaRe === 0 && betaIm === 0;
  // y ← beta·y first for the transposed forms (and for the early return below).
  if (!notrans || (alphaRe === 0 && alphaIm === 0) || nx === 0) {
    if (!(betaRe === 1 && betaIm === 0)) {
      let iy = 2 * offsetY;
      for (let j = 0; j < ny; j++, iy += sy) {
        if (betaZero) {
          y[iy] = 0;
          y[iy + 1] = 0;
        } else {
          const yr = y[iy];
          const yi = y[iy + 1];
          y[iy] = betaRe * yr - betaIm * yi;
          y[iy + 1] = betaRe * yi + betaIm * yr;
        }
      }
    }
    if ((alphaRe === 0 && alphaIm === 0) || nx === 0) return;
  }
  if (notrans) {
    let iy = 2 * offsetY;
    for (let i = 0; i < M; i++, iy += sy) {
      const r = 2 * (offsetA + i * lda);
      let sr = 0;
      let si = 0;
      let ix = 2 * offsetX;
      for (let j = 0; j < N; j++, ix += sx) {
        const ar = A[r + 2 * j];
        const ai = A[r + 2 * j + 1];
        const xr = x[ix];
        const xi = x[ix + 1];
        sr += ar * xr - ai * xi;
        si += ar * xi + ai * xr;
      }
      let vr = alphaRe * sr - alphaIm * si;
      let vi = alphaRe * si + alphaIm * sr;
      if (!betaZero) {
        const yr = y[iy];
        const yi = y[iy + 1];
        vr += betaRe * yr - betaIm * yi;
        vi += betaRe * yi + betaIm * yr;
      }
      y[iy] = vr;
      y[iy + 1] = vi;
    }
    return;
  }
  // Transposed forms: y += (alpha·x_i)·row_i, with the row conjugated for "C".
  const conj = trans === "C" ? -1 : 1;
  let ix = 2 * offsetX;
  for (let i = 0; i < M; i++, ix += sx) {
    const xr = x[ix];
    const xi = x[ix + 1];
    const tr = alphaRe * xr - alphaIm * xi;
    const ti = alphaRe * xi + alphaIm * xr;
    const r = 2 * (offsetA + i * lda);
    let iy = 2 * offsetY;
    for (let j = 0; j < N; j++, iy += sy) {
      const ar = A[r + 2 * j];
      const ai = conj * A[r + 2 * j + 1];
      y[iy] += tr * ar - ti * ai;
      y[iy + 1] += tr * ai + ti * ar;
    }
  }
}

/**
 * y ← alpha·op(A)·x + beta·y, complex (BLAS form).
 *
 * @example
 * ```ts
 * const A = new Float64Array([1, 0, 0, 1]); // [[1, i]]
 * const y = new Float64Array(2);
 * zgemv("N", 1, 2, 1, 0, A, 2, new Float64Array([1, 0, 1, 0]), 1, 0, 0, y, 1); // y = [1, 1]
 * ```
 */
export function zgemv(
  trans: Transpose | "C",
  M: number,
  N: number,
  alphaRe: number,
  alphaIm: number,
  A: Float64Array,
  lda: number,
  x: Float64Array,
  strideX: number,
  betaRe: number,
  betaIm: number,
  y: Float64Array,
  strideY: number,
): void {
  const nx = trans === "N" ? N : M;
  const ny = trans === "N" ? M : N;
  zgemvOffset(
    trans,
    M,
    N,
    alphaRe,
    alphaIm,
    A,
    lda,
    0,
    x,
    strideX,
    stridedOffset(nx, strideX),
    betaRe,
    betaIm,
    y,
    strideY,
    stridedOffset(ny, strideY),
  );
}
