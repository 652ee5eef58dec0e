/**
 * Level-1 BLAS on real Float64Array vectors: dot products, updates, norms.
 *
 * Every kernel comes in two forms. The BLAS form `ddot(N, x, strideX, y, strideY)` starts a
 * negative-stride vector at its far end (reference BLAS convention); the offset form
 * `ddotOffset(N, x, strideX, offsetX, y, strideY, offsetY)` reads element i at
 * `offset + i·stride`. `N <= 0` is a no-op. Kernels never allocate and throw `RangeError` only
 * when a vector does not fit its array (reading past the end would give silent NaN).
 */

/**
 * Offset of element 0 in the BLAS form: a negative stride walks the vector from the far end.
 *
 * @example
 * ```ts
 * stridedOffset(3, -2); // 4: elements sit at 4, 2, 0
 * ```
 */
export function stridedOffset(N: number, stride: number): number {
  return stride < 0 && N > 0 ? (1 - N) * stride : 0;
}

/**
 * Throws a `RangeError` unless the N elements `offset + i·stride` (each `width` numbers wide:
 * 1 real, 2 complex) lie inside `x`. Cheap, so every kernel runs it once per call.
 *
 * @example
 * ```ts
 * checkVector("ddot", "x", 3, new Float64Array(5), 2, 0, 1); // fine: touches 0, 2, 4
 * ```
 */
export function checkVector(
  where: string,
  name: string,
  N: number,
  x: Float64Array,
  stride: number,
  offset: number,
  width: number,
): void {
  if (N <= 0) return;
  const last = offset + (N - 1) * stride;
  const lo = Math.min(last, offset);
  const hi = Math.max(last, offset);
  if (lo < 0 || (hi + 1) * width > x.length) {
    throw new RangeError(
      `${where}: vector '${name}' does not fit its array — got N=${N}, stride=${stride}, offset=${offset}, ` +
        `length=${x.length / width}, expected indices in [0, ${x.length / width}). ` +
        "Hint: check N, the stride and the offset.",
    );
  }
}

/**
 * Throws a `RangeError` unless the row-major `rows × cols` matrix at `offset` with leading
 * dimension `ld` lies inside `A` and `ld >= max(1, cols)` (`width`: 1 real, 2 complex).
 *
 * @example
 * ```ts
 * checkMatrix("dgemv", "A", 2, 3, new Float64Array(6), 3, 0, 1); // fine
 * ```
 */
export function checkMatrix(
  where: string,
  name: string,
  rows: number,
  cols: number,
  A: Float64Array,
  ld: number,
  offset: number,
  width: number,
): void {
  if (ld < 1 || ld < cols) {
    throw new RangeError(
      `${where}: leading dimension of '${name}' is too small — got ${ld}, expected >= max(1, ${cols}). ` +
        "Hint: matrices are row-major, so the leading dimension is the row pitch.",
    );
  }
  if (rows <= 0 || cols <= 0) return;
  if (offset < 0 || (offset + (rows - 1) * ld + cols) * width > A.length) {
    throw new RangeError(
      `${where}: matrix '${name}' (${rows} × ${cols}, ld=${ld}, offset=${offset}) does not fit its array — ` +
        `got length ${A.length / width}, expected at least ${offset + (rows - 1) * ld + cols}.`,
    );
  }
}

/**
 * Dot product Σ x[i]·y[i] (offset form).
 *
 * @example
 * ```ts
 * ddotOffset(2, new Float64Array([0, 1, 2]), 1, 1, new Float64Array([3, 4]), 1, 0); // 11
 * ```
 */
export function ddotOffset(
  N: number,
  x: Float64Array,
  strideX: number,
  offsetX: number,
  y: Float64Array,
  strideY: number,
  offsetY: number,
): number {
  if (N <= 0) return 0;
  checkVector("ddot", "x", N, x, strideX, offsetX, 1);
  checkVector("ddot", "y", N, y, strideY, offsetY, 1);
  if (strideX === 1 && strideY === 1) {
    // Four independent accumulators hide the floating-point add latency.
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    const end = offsetX + N;
    let i = offsetX;
    if (offsetX === offsetY) {
      // One shared index (the common case, offsets 0) saves an add per load: ~25% faster.
      for (; i + 3 < end; i += 4) {
        s0 += x[i] * y[i];
        s1 += x[i + 1] * y[i + 1];
        s2 += x[i + 2] * y[i + 2];
        s3 += x[i + 3] * y[i + 3];
      }
      for (; i < end; i++) s0 += x[i] * y[i];
    } else {
      const d = offsetY - offsetX;
      for (; i + 3 < end; i += 4) {
        s0 += x[i] * y[i + d];
        s1 += x[i + 1] * y[i + d + 1];
        s2 += x[i + 2] * y[i + d + 2];
        s3 += x[i + 3] * y[i + d + 3];
      }
      for (; i < end; i++) s0 += x[i] * y[i + d];
    }
    return s0 + s1 + (s2 + s3);
  }
  let s = 0;
  let ix = offsetX;
  let iy = offsetY;
  for (let i = 0; i < N; i++) {
    s += x[ix] * y[iy];
    ix += strideX;
    iy += strideY;
  }
  return s;
}

/**
 * Dot product Σ x[i]·y[i] (BLAS form).
 *
 * @example
 * ```ts
 * ddot(3, new Float64Array([1, 2, 3]), 1, new Float64Array([4, 5, 6]), 1); // 32
 * ```
 */
export function ddot(N: number, x: Float64Array, strideX: number, y: Float64Array, strideY: number): number {
  return ddotOffset(N, x, strideX, stridedOffset(N, strideX), y, strideY, stridedOffset(N, strideY));
}

/**
 * y ← alpha·x + y (offset form). `alpha = 0` returns without reading x.
 *
 * @example
 * ```ts
 * const y = new Float64Array([1, 1]);
 * daxpyOffset(2, 2, new Float64Array([3, 4]), 1, 0, y, 1, 0); // y = [7, 9]
 * ```
 */
export function daxpyOffset(
  N: number,
  alpha: number,
  x: Float64Array,
  strideX: number,
  offsetX: number,
  y: Float64Array,
  strideY: number,
  offsetY: number,
): void {
  if (N <= 0 || alpha === 0) return;
  checkVector("daxpy", "x", N, x, strideX, offsetX, 1);
  checkVector("daxpy", "y", N, y, strideY, offsetY, 1);
  if (strideX === 1 && strideY === 1) {
    // Unrolled by four: V8 does not vectorise, so fewer loop branches is the main win; a shared
    // index when the offsets agree saves an add per element.
    const end = offsetX + N;
    let i = offsetX;
    if (offsetX === offsetY) {
      for (; i + 3 < end; i += 4) {
        y[i] += alpha * x[i];
        y[i + 1] += alpha * x[i + 1];
        y[i + 2] += alpha * x[i + 2];
        y[i + 3] += alpha * x[i + 3];
      }
      for (; i < end; i++) y[i] += alpha * x[i];
      return;
    }
    const d = offsetY - offsetX;
    for (; i + 3 < end; i += 4) {
      y[i + d] += alpha * x[i];
      y[i + d + 1] += alpha * x[i + 1];
      y[i + d + 2] += alpha * x[i + 2];
      y[i + d + 3] += alpha * x[i + 3];
    }
    for (; i < end; i++) y[i + d] += alpha * x[i];
    return;
  }
  let ix = offsetX;
  let iy = offsetY;
  for (let i = 0; i < N; i++) {
    y[iy] += alpha * x[ix];
    ix += strideX;
    iy += strideY;
  }
}

/**
 * y ← alpha·x + y (BLAS form).
 *
 * @example
 * ```ts
 * const y = new Float64Array([1, 1]);
 * daxpy(2, 2, new Float64Array([3, 4]), 1, y, 1); // y = [7, 9]
 * ```
 */
export function daxpy(
  N: number,
  alpha: number,
  x: Float64Array,
  strideX: number,
  y: Float64Array,
  strideY: number,
): void {
  daxpyOffset(N, alpha, x, strideX, stridedOffset(N, strideX), y, strideY, stridedOffset(N, strideY));
}

/**
 * x ← alpha·x (offset form). `alpha = 0` writes zeros without reading x, so NaN does not survive.
 *
 * @example
 * ```ts
 * const x = new Float64Array([1, 2, 3]);
 * dscalOffset(2, 10, x, 1, 1); // x = [1, 20, 30]
 * ```
 */
export function dscalOffset(N: number, alpha: number, x: Float64Array, strideX: number, offsetX: number): void {
  if (N <= 0 || alpha === 1) return;
  checkVector("dscal", "x", N, x, strideX, offsetX, 1);
  let ix = offsetX;
  if (alpha === 0) {
    for (let i = 0; i < N; i++, ix += strideX) x[ix] = 0;
    return;
  }
  for (let i = 0; i < N; i++, ix += strideX) x[ix] *= alpha;
}

/**
 * x ← alpha·x (BLAS form).
 *
 * @example
 * ```ts
 * const x = new Float64Array([1, 2]);
 * dscal(2, -1, x, 1); // x = [-1, -2]
 * ```
 */
export function dscal(N: number, alpha: number, x: Float64Array, strideX: number): void {
  dscalOffset(N, alpha, x, strideX, stridedOffset(N, strideX));
}

// Blue's thresholds for IEEE double (radix 2, 53 digits, exponents -1021..1024), see
// Anderson, "Algorithm 978: Safe scaling in the Level 1 BLAS" (2017). Squares of values in
// [TSML, TBIG] neither underflow nor overflow; smaller/larger values are scaled by SSML/SBIG
// (powers of two, so scaling is exact) before squaring.
const TSML = 2 ** -511;
const TBIG = 2 ** 486;
const SSML = 2 ** 537;
const SBIG = 2 ** -538;

/**
 * Euclidean norm ‖x‖₂ without overflow or harmful underflow (offset form). Uses Blue's
 * three-accumulator algorithm: one pass, no divisions, exact power-of-two scaling; NaN and
 * ±Infinity propagate.
 *
 * @example
 * ```ts
 * dnrm2Offset(2, new Float64Array([0, 3e200, 4e200]), 1, 1); // 5e200
 * ```
 */
export function dnrm2Offset(N: number, x: Float64Array, strideX: number, offsetX: number): number {
  if (N <= 0) return 0;
  checkVector("dnrm2", "x", N, x, strideX, offsetX, 1);
  let asml = 0;
  let amed = 0;
  let abig = 0;
  let ix = offsetX;
  for (let i = 0; i < N; i++, ix += strideX) {
    const ax = Math.abs(x[ix]);
    if (ax > TBIG) {
      const t = ax * SBIG;
      abig += t * t;
    } else if (ax < TSML) {
      const t = ax * SSML;
      asml += t * t;
    } else {
      amed += ax * ax;
    }
  }
  if (abig > 0) {
    // Next to a value above TBIG the tiny ones are below rounding, so asml is dropped.
    // amed is >= 0 or NaN, so `!== 0` also lets a NaN reach the result.
    if (amed !== 0) abig += amed * SBIG * SBIG;
    return Math.sqrt(abig) / SBIG;
  }
  if (asml > 0) {
    if (amed !== 0) {
      const med = Math.sqrt(amed);
      const sml = Math.sqrt(asml) / SSML;
      const ymin = Math.min(med, sml);
      const ymax = Math.max(med, sml);
      const r = ymin / ymax;
      return ymax * Math.sqrt(1 + r * r);
    }
    return Math.sqrt(asml) / SSML;
  }
  return Math.sqrt(amed);
}

/**
 * Euclidean norm ‖x‖₂, overflow-safe (BLAS form).
 *
 * @example
 * ```ts
 * dnrm2(2, new Float64Array([3, 4]), 1); // 5
 * ```
 */
export function dnrm2(N: number, x: Float64Array, strideX: number): number {
  return dnrm2Offset(N, x, strideX, stridedOffset(N, strideX));
}

/**
 * y ← x (offset form).
 *
 * @example
 * ```ts
 * const y = new Float64Array(3);
 * dcopyOffset(2, new Float64Array([1, 2]), 1, 0, y, 1, 1); // y = [0, 1, 2]
 * ```
 */
export function dcopyOffset(
  N: number,
  x: Float64Array,
  strideX: number,
  offsetX: number,
  y: Float64Array,
  strideY: number,
  offsetY: number,
): void {
  if (N <= 0) return;
  checkVector("dcopy", "x", N, x, strideX, offsetX, 1);
  checkVector("dcopy", "y", N, y, strideY, offsetY, 1);
  let ix = offsetX;
  let iy = offsetY;
  for (let i = 0; i < N; i++) {
    y[iy] = x[ix];
    ix += strideX;
    iy += strideY;
  }
}

/**
 * y ← x (BLAS form).
 *
 * @example
 * ```ts
 * const y = new Float64Array(2);
 * dcopy(2, new Float64Array([1, 2]), 1, y, -1); // y = [2, 1]
 * ```
 */
export function dcopy(N: number, x: Float64Array, strideX: number, y: Float64Array, strideY: number): void {
  dcopyOffset(N, x, strideX, stridedOffset(N, strideX), y, strideY, stridedOffset(N, strideY));
}

/**
 * Σ |x[i]| (offset form).
 *
 * @example
 * ```ts
 * dasumOffset(2, new Float64Array([9, -1, 2]), 1, 1); // 3
 * ```
 */
export function dasumOffset(N: number, x: Float64Array, strideX: number, offsetX: number): number {
  if (N <= 0) return 0;
  checkVector("dasum", "x", N, x, strideX, offsetX, 1);
  let s = 0;
  let ix = offsetX;
  for (let i = 0; i < N; i++, ix += strideX) s += Math.abs(x[ix]);
  return s;
}

/**
 * Σ |x[i]| (BLAS form).
 *
 * @example
 * ```ts
 * dasum(3, new Float64Array([1, -2, 3]), 1); // 6
 * ```
 */
export function dasum(N: number, x: Float64Array, strideX: number): number {
  return dasumOffset(N, x, strideX, stridedOffset(N, strideX));
}

/**
 * 0-based index i of the first element with the largest |x[i]|, or -1 when `N <= 0`
 * (offset form). As in reference BLAS, NaN entries never win a comparison.
 *
 * @example
 * ```ts
 * idamaxOffset(3, new Float64Array([100, 1, -5, 2]), 1, 1); // 1 (the -5)
 * ```
 */
export function idamaxOffset(N: number, x: Float64Array, strideX: number, offsetX: number): number {
  if (N <= 0) return -1;
  checkVector("idamax", "x", N, x, strideX, offsetX, 1);
  let best = 0;
  let max = Math.abs(x[offsetX]);
  let ix = offsetX + strideX;
  for (let i = 1; i < N; i++, ix += strideX) {
    const a = Math.abs(x[ix]);
    if (a > max) {
      max = a;
      best = i;
    }
  }
  return best;
}

/**
 * 0-based index of the first largest |x[i]|, -1 when `N <= 0` (BLAS form). The index is in
 * walk order: with a negative stride, element 0 is the one at the far end of the array.
 *
 * @example
 * ```ts
 * idamax(3, new Float64Array([1, -5, 2]), 1); // 1
 * ```
 */
export function idamax(N: number, x: Float64Array, strideX: number): number {
  return idamaxOffset(N, x, strideX, stridedOffset(N, strideX));
}

/**
 * Throws a `RangeError` unless `value` is one of the `allowed` single-letter flags (trans, uplo,
 * diag, side). The types already say so; this guards untyped callers.
 *
 * @example
 * ```ts
 * checkFlag("dgemv", "trans", "N", "NT"); // fine
 * ```
 */
export function checkFlag(where: string, name: string, value: string, allowed: string): void {
  if (typeof value !== "string" || value.length !== 1 || !allowed.includes(value)) {
    throw new RangeError(
      `${where}: invalid '${name}' flag — got '${value}', expected one of ${[...allowed].map((c) => `'${c}'`).join(", ")}.`,
    );
  }
}

/**
 * Throws a `RangeError` when a level-2 vector stride is 0 (as reference BLAS does: a matrix
 * product with a zero-stride vector is almost always a bug).
 *
 * @example
 * ```ts
 * checkStride("dgemv", "strideX", 1); // fine
 * ```
 */
export function checkStride(where: string, name: string, stride: number): void {
  if (stride === 0) {
    throw new RangeError(`${where}: '${name}' is 0 — got 0, expected a non-zero stride.`);
  }
}
