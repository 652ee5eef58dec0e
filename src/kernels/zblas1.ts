/**
 * Level-1 BLAS on complex vectors stored interleaved (re, im) in a Float64Array.
 *
 * Strides and offsets count COMPLEX elements: element i of x is
 * `(x[2(offset + i·stride)], x[2(offset + i·stride) + 1])`. Complex scalars are passed as two
 * numbers; complex results go to a caller-owned `out` Float64Array(2), so nothing allocates.
 */
import { checkVector, stridedOffset } from "./blas1.js";

function checkOut(where: string, out: Float64Array): void {
  if (out.length < 2) {
    throw new RangeError(
      `${where}: 'out' is too short — got length ${out.length}, expected at least 2. Hint: pass a Float64Array(2).`,
    );
  }
}

/**
 * out ← Σ x[i]·y[i], unconjugated complex dot product (offset form).
 *
 * @example
 * ```ts
 * const out = new Float64Array(2);
 * zdotuOffset(1, new Float64Array([0, 1]), 1, 0, new Float64Array([0, 1]), 1, 0, out); // out = [-1, 0]
 * ```
 */
export function zdotuOffset(
  N: number,
  x: Float64Array,
  strideX: number,
  offsetX: number,
  y: Float64Array,
  strideY: number,
  offsetY: number,
  out: Float64Array,
): void {
  checkOut("zdotu", out);
  let re = 0;
  let im = 0;
  if (N > 0) {
    checkVector("zdotu", "x", N, x, strideX, offsetX, 2);
    checkVector("zdotu", "y", N, y, strideY, offsetY, 2);
    let ix = 2 * offsetX;
    let iy = 2 * offsetY;
    const sx = 2 * strideX;
    const sy = 2 * strideY;
    for (let i = 0; i < N; i++) {
      const xr = x[ix];
      const xi = x[ix + 1];
      const yr = y[iy];
      const yi = y[iy + 1];
      re += xr * yr - xi * yi;
      im += xr * yi + xi * yr;
      ix += sx;
      iy += sy;
    }
  }
  out[0] = re;
  out[1] = im;
}

/**
 * out ← Σ x[i]·y[i], unconjugated (BLAS form).
 *
 * @example
 * ```ts
 * const out = new Float64Array(2);
 * zdotu(1, new Float64Array([1, 2]), 1, new Float64Array([3, 4]), 1, out); // out = [-5, 10]
 * ```
 */
export function zdotu(
  N: number,
  x: Float64Array,
  strideX: number,
  y: Float64Array,
  strideY: number,
  out: Float64Array,
): void {
  zdotuOffset(N, x, strideX, stridedOffset(N, strideX), y, strideY, stridedOffset(N, strideY), out);
}

/**
 * out ← Σ conj(x[i])·y[i], the Hermitian inner product (offset form).
 *
 * @example
 * ```ts
 * const out = new Float64Array(2);
 * zdotcOffset(1, new Float64Array([0, 1]), 1, 0, new Float64Array([0, 1]), 1, 0, out); // out = [1, 0]
 * ```
 */
export function zdotcOffset(
  N: number,
  x: Float64Array,
  strideX: number,
  offsetX: number,
  y: Float64Array,
  strideY: number,
  offsetY: number,
  out: Float64Array,
): void {
  checkOut("zdotc", out);
  let re = 0;
  let im = 0;
  if (N > 0) {
    checkVector("zdotc", "x", N, x, strideX, offsetX, 2);
    checkVector("zdotc", "y", N, y, strideY, offsetY, 2);
    let ix = 2 * offsetX;
    let iy = 2 * offsetY;
    const sx = 2 * strideX;
    const sy = 2 * strideY;
    for (let i = 0; i < N; i++) {
      const xr = x[ix];
      const xi = x[ix + 1];
      const yr = y[iy];
      const yi = y[iy + 1];
      re += xr * yr + xi * yi;
      im += xr * yi - xi * yr;
      ix += sx;
      iy += sy;
    }
  }
  out[0] = re;
  out[1] = im;
}

/**
 * out ← Σ conj(x[i])·y[i] (BLAS form).
 *
 * @example
 * ```ts
 * const out = new Float64Array(2);
 * zdotc(1, new Float64Array([1, 2]), 1, new Float64Array([3, 4]), 1, out); // out = [11, -2]
 * ```
 */
export function zdotc(
  N: number,
  x: Float64Array,
  strideX: number,
  y: Float64Array,
  strideY: number,
  out: Float64Array,
): void {
  zdotcOffset(N, x, strideX, stridedOffset(N, strideX), y, strideY, stridedOffset(N, strideY), out);
}

/**
 * y ← alpha·x + y for complex alpha = alphaRe + i·alphaIm (offset form). `alpha = 0` returns
 * without reading x.
 *
 * @example
 * ```ts
 * const y = new Float64Array([1, 0]);
 * zaxpyOffset(1, 0, 1, new Float64Array([1, 0]), 1, 0, y, 1, 0); // y = [1, 1]
 * ```
 */
export function zaxpyOffset(
  N: number,
  alphaRe: number,
  alphaIm: number,
  x: Float64Array,
  strideX: number,
  offsetX: number,
  y: Float64Array,
  strideY: number,
  offsetY: number,
): void {
  if (N <= 0 || (alphaRe === 0 && alphaIm === 0)) return;
  checkVector("zaxpy", "x", N, x, strideX, offsetX, 2);
  checkVector("zaxpy", "y", N, y, strideY, offsetY, 2);
  let ix = 2 * offsetX;
  let iy = 2 * offsetY;
  const sx = 2 * strideX;
  const sy = 2 * strideY;
  for (let i = 0; i < N; i++) {
    const xr = x[ix];
    const xi = x[ix + 1];
    y[iy] += alphaRe * xr - alphaIm * xi;
    y[iy + 1] += alphaRe * xi + alphaIm * xr;
    ix += sx;
    iy += sy;
  }
}

/**
 * y ← alpha·x + y, complex (BLAS form).
 *
 * @example
 * ```ts
 * const y = new Float64Array([0, 0]);
 * zaxpy(1, 2, 0, new Float64Array([1, 1]), 1, y, 1); // y = [2, 2]
 * ```
 */
export function zaxpy(
  N: number,
  alphaRe: number,
  alphaIm: number,
  x: Float64Array,
  strideX: number,
  y: Float64Array,
  strideY: number,
): void {
  zaxpyOffset(N, alphaRe, alphaIm, x, strideX, stridedOffset(N, strideX), y, strideY, stridedOffset(N, strideY));
}

/**
 * x ← alpha·x for complex alpha (offset form). `alpha = 0` writes zeros without reading x.
 *
 * @example
 * ```ts
 * const x = new Float64Array([1, 2]);
 * zscalOffset(1, 0, 1, x, 1, 0); // x = [-2, 1]
 * ```
 */
export function zscalOffset(
  N: number,
  alphaRe: number,
  alphaIm: number,
  x: Float64Array,
  strideX: number,
  offsetX: number,
): void {
  if (N <= 0 || (alphaRe === 1 && alphaIm === 0)) return;
  checkVector("zscal", "x", N, x, strideX, offsetX, 2);
  let ix = 2 * offsetX;
  const sx = 2 * strideX;
  if (alphaRe === 0 && alphaIm === 0) {
    for (let i = 0; i < N; i++, ix += sx) {
      x[ix] = 0;
      x[ix + 1] = 0;
    }
    return;
  }
  for (let i = 0; i < N; i++, ix += sx) {
    const xr = x[ix];
    const xi = x[ix + 1];
    x[ix] = alphaRe * xr - alphaIm * xi;
    x[ix + 1] = alphaRe * xi + alphaIm * xr;
  }
}

/**
 * x ← alpha·x for complex alpha (BLAS form).
 *
 * @example
 * ```ts
 * const x = new Float64Array([1, 2]);
 * zscal(1, 2, 0, x, 1); // x = [2, 4]
 * ```
 */
export function zscal(N: number, alphaRe: number, alphaIm: number, x: Float64Array, strideX: number): void {
  zscalOffset(N, alphaRe, alphaIm, x, strideX, stridedOffset(N, strideX));
}
