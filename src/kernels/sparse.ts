/**
 * Sparse kernels over compressed storage: CSR/CSC matrix–vector products, CSR times a dense
 * matrix, and COO → CSR conversion.
 *
 * Storage is 0-based. A CSR matrix with M rows is `rowPtr` (length ≥ M + 1), `colIdx` and
 * `values`; the entries of row i are `k ∈ [rowPtr[i], rowPtr[i+1])`. CSC is the same with the
 * roles of rows and columns swapped. Duplicate indices inside a row (column) are allowed and act
 * as a sum. Indices themselves are not range-checked per call: that would cost a pass over the
 * whole pattern, which is exactly the work of the product. Whoever builds the matrix validates
 * it once (see {@link dcoo2csr}, which does).
 *
 * The products read `ptr[0] … ptr[n]` as stored and check once that `ptr[n]` fits in the index
 * and value arrays and that every vector access stays inside its array, so the hot loops cannot
 * run off the end of anything for a well-formed pattern.
 */

// ---------------------------------------------------------------------------------------------
// Argument checks (O(1) per call).

function fail(where: string, what: string, got: string, expected: string): never {
  throw new RangeError(`${where}: ${what} — got ${got}, expected ${expected}.`);
}

/** Checks a compressed pointer array for `n` rows/columns against its index and value arrays. */
function checkPattern(where: string, n: number, ptr: Int32Array, idx: Int32Array, values: Float64Array): void {
  if (ptr.length < n + 1) fail(where, "pointer array too short", `length ${ptr.length}`, `at least ${n + 1}`);
  const end = ptr[n];
  if (ptr[0] < 0 || ptr[0] > end) fail(where, "invalid first pointer", `${ptr[0]}`, `0 <= ptr[0] <= ${end}`);
  if (end > idx.length || end > values.length) {
    fail(
      where,
      "pattern has more entries than its index/value arrays",
      `ptr[${n}] = ${end} with ${idx.length} indices and ${values.length} values`,
      `ptr[${n}] <= both lengths`,
    );
  }
}

/** Checks that elements offset + i·stride, i < len, all lie inside `v`. */
function checkVector(where: string, name: string, len: number, v: Float64Array, stride: number, offset: number): void {
  if (!Number.isInteger(stride) || stride === 0) fail(where, `stride of ${name}`, `${stride}`, "a non-zero integer");
  if (!Number.isInteger(offset)) fail(where, `offset of ${name}`, `${offset}`, "an integer");
  const last = offset + (len - 1) * stride;
  if (offset < 0 || offset >= v.length || last < 0 || last >= v.length) {
    fail(where, `${name} too short`, `length ${v.length}, offset ${offset}, stride ${stride}`, `${len} elements`);
  }
}

// ---------------------------------------------------------------------------------------------
// Shared loops. A CSR product A·x and a CSC product Aᵀ·x are the same "gather" loop (one output
// per compressed row); CSR Aᵀ·x and CSC A·x are the same "scatter" loop.

/** y[i] ← beta·y[i] for i < n; beta = 0 writes zeros without reading y. */
function scaleOutput(n: number, beta: number, y: Float64Array, sy: number, oy: number): void {
  if (beta === 1) return;
  let iy = oy;
  if (beta === 0) {
    for (let i = 0; i < n; i++, iy += sy) y[iy] = 0;
  } else {
    for (let i = 0; i < n; i++, iy += sy) y[iy] *= beta;
  }
}

/** y[i] ← alpha·Σ_{k ∈ row i} values[k]·x[idx[k]] + beta·y[i], i < nOut. */
function gather(
  nOut: number,
  alpha: number,
  ptr: Int32Array,
  idx: Int32Array,
  values: Float64Array,
  x: Float64Array,
  sx: number,
  ox: number,
  beta: number,
  y: Float64Array,
  sy: number,
  oy: number,
): void {
  if (alpha === 0) {
    scaleOutput(nOut, beta, y, sy, oy);
    return;
  }
  let iy = oy;
  let k = ptr[0];
  // Four accumulators shorten the dependency chain of each row sum (measured ~10% faster than two
  // on a random 2M-nnz pattern, ~25% faster than one). A plain vector (unit stride, offset 0) gets
  // its own loop because even the `offsetX +` in the index costs ~6% in V8; every other layout
  // shares the general loop.
  if (sx === 1 && ox === 0) {
    for (let i = 0; i < nOut; i++, iy += sy) {
      const end = ptr[i + 1];
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (; k < end - 3; k += 4) {
        s0 += values[k] * x[idx[k]];
        s1 += values[k + 1] * x[idx[k + 1]];
        s2 += values[k + 2] * x[idx[k + 2]];
        s3 += values[k + 3] * x[idx[k + 3]];
      }
      for (; k < end; k++) s0 += values[k] * x[idx[k]];
      const s = alpha * (s0 + s1 + (s2 + s3));
      y[iy] = beta === 0 ? s : s + beta * y[iy];
    }
  } else {
    for (let i = 0; i < nOut; i++, iy += sy) {
      const end = ptr[i + 1];
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (; k < end - 3; k += 4) {
        s0 += values[k] * x[ox + idx[k] * sx];
        s1 += values[k + 1] * x[ox + idx[k + 1] * sx];
        s2 += values[k + 2] * x[ox + idx[k + 2] * sx];
        s3 += values[k + 3] * x[ox + idx[k + 3] * sx];
      }
      for (; k < end; k++) s0 += values[k] * x[ox + idx[k] * sx];
      const s = alpha * (s0 + s1 + (s2 + s3));
      y[iy] = beta === 0 ? s : s + beta * y[iy];
    }
  }
}

/** y ← beta·y (length nOut), then y[idx[k]] += alpha·x[j]·values[k] for each k in row j < nIn. */
function scatter(
  nIn: number,
  nOut: number,
  alpha: number,
  ptr: Int32Array,
  idx: Int32Array,
  values: Float64Array,
  x: Float64Array,
  sx: number,
  ox: number,
  beta: number,
  y: Float64Array,
  sy: number,
  oy: number,
): void {
  scaleOutput(nOut, beta, y, sy, oy);
  if (alpha === 0) return;
  let ix = ox;
  let k = ptr[0];
  if (sy === 1) {
    for (let j = 0; j < nIn; j++, ix += sx) {
      const end = ptr[j + 1];
      const t = alpha * x[ix];
      for (; k < end; k++) y[oy + idx[k]] += t * values[k];
    }
  } else {
    for (let j = 0; j < nIn; j++, ix += sx) {
      const end = ptr[j + 1];
      const t = alpha * x[ix];
      for (; k < end; k++) y[oy + idx[k] * sy] += t * values[k];
    }
  }
}

/** Far-end start of a BLAS-style vector with a negative stride. */
function blasOffset(n: number, stride: number): number {
  return stride < 0 ? (1 - n) * stride : 0;
}

// ---------------------------------------------------------------------------------------------
// CSR

/**
 * y ← alpha·A·x + beta·y for an M × N CSR matrix A (offset form: element i of x is
 * `x[offsetX + i·strideX]`). `beta = 0` overwrites y without reading it; `alpha = 0` reads
 * neither A nor x. M ≤ 0 does nothing; N ≤ 0 is the empty sum, so y ← beta·y.
 * Throws `RangeError` if `rowPtr` has fewer than M + 1 entries, `rowPtr[M]` exceeds the index or
 * value arrays, a stride is zero or a vector is too short. `colIdx` entries must lie in [0, N).
 *
 * @example
 * ```ts
 * // A = [[1, 0, 2], [0, 3, 0]]
 * const rowPtr = Int32Array.of(0, 2, 3), colIdx = Int32Array.of(0, 2, 1), values = Float64Array.of(1, 2, 3);
 * const y = new Float64Array(2);
 * dcsrmvOffset(2, 3, 1, rowPtr, colIdx, values, Float64Array.of(1, 1, 1), 1, 0, 0, y, 1, 0); // y = [3, 3]
 * ```
 */
export function dcsrmvOffset(
  M: number,
  N: number,
  alpha: number,
  rowPtr: Int32Array,
  colIdx: Int32Array,
  values: Float64Array,
  x: Float64Array,
  strideX: number,
  offsetX: number,
  beta: number,
  y: Float64Array,
  strideY: number,
  offsetY: number,
): void {
  if (M <= 0) return;
  checkPattern("dcsrmv", M, rowPtr, colIdx, values);
  checkVector("dcsrmv", "y", M, y, strideY, offsetY);
  if (N <= 0) {
    scaleOutput(M, beta, y, strideY, offsetY);
    return;
  }
  if (alpha !== 0) checkVector("dcsrmv", "x", N, x, strideX, offsetX);
  gather(M, alpha, rowPtr, colIdx, values, x, strideX, offsetX, beta, y, strideY, offsetY);
}

/**
 * y ← alpha·A·x + beta·y for an M × N CSR matrix A (BLAS form: a negative stride starts at the
 * far end of the vector). See {@link dcsrmvOffset}.
 *
 * @example
 * ```ts
 * const rowPtr = Int32Array.of(0, 2, 3), colIdx = Int32Array.of(0, 2, 1), values = Float64Array.of(1, 2, 3);
 * const y = Float64Array.of(1, 1);
 * dcsrmv(2, 3, 2, rowPtr, colIdx, values, Float64Array.of(1, 1, 1), 1, 1, y, 1); // y = [7, 7]
 * ```
 */
export function dcsrmv(
  M: number,
  N: number,
  alpha: number,
  rowPtr: Int32Array,
  colIdx: Int32Array,
  values: Float64Array,
  x: Float64Array,
  strideX: number,
  beta: number,
  y: Float64Array,
  strideY: number,
): void {
  dcsrmvOffset(
    M,
    N,
    alpha,
    rowPtr,
    colIdx,
    values,
    x,
    strideX,
    blasOffset(N, strideX),
    beta,
    y,
    strideY,
    blasOffset(M, strideY),
  );
}

/**
 * y ← alpha·Aᵀ·x + beta·y for an M × N CSR matrix A: x has M elements, y has N (offset form).
 * The product scatters into y, so y must not alias x. N ≤ 0 does nothing; M ≤ 0 gives
 * y ← beta·y. Same checks and `beta`/`alpha` rules as {@link dcsrmvOffset}.
 *
 * @example
 * ```ts
 * // A = [[1, 0, 2], [0, 3, 0]], Aᵀ·[1, 1] = [1, 3, 2]
 * const rowPtr = Int32Array.of(0, 2, 3), colIdx = Int32Array.of(0, 2, 1), values = Float64Array.of(1, 2, 3);
 * const y = new Float64Array(3);
 * dcsrmvTOffset(2, 3, 1, rowPtr, colIdx, values, Float64Array.of(1, 1), 1, 0, 0, y, 1, 0);
 * ```
 */
export function dcsrmvTOffset(
  M: number,
  N: number,
  alpha: number,
  rowPtr: Int32Array,
  colIdx: Int32Array,
  values: Float64Array,
  x: Float64Array,
  strideX: number,
  offsetX: number,
  beta: number,
  y: Float64Array,
  strideY: number,
  offsetY: number,
): void {
  if (N <= 0) return;
  checkVector("dcsrmvT", "y", N, y, strideY, offsetY);
  if (M <= 0) {
    scaleOutput(N, beta, y, strideY, offsetY);
    return;
  }
  checkPattern("dcsrmvT", M, rowPtr, colIdx, values);
  if (alpha !== 0) checkVector("dcsrmvT", "x", M, x, strideX, offsetX);
  scatter(M, N, alpha, rowPtr, colIdx, values, x, strideX, offsetX, beta, y, strideY, offsetY);
}

/**
 * y ← alpha·Aᵀ·x + beta·y for an M × N CSR matrix A (BLAS form). See {@link dcsrmvTOffset}.
 *
 * @example
 * ```ts
 * const rowPtr = Int32Array.of(0, 2, 3), colIdx = Int32Array.of(0, 2, 1), values = Float64Array.of(1, 2, 3);
 * const y = new Float64Array(3);
 * dcsrmvT(2, 3, 1, rowPtr, colIdx, values, Float64Array.of(1, 1), 1, 0, y, 1); // y = [1, 3, 2]
 * ```
 */
export function dcsrmvT(
  M: number,
  N: number,
  alpha: number,
  rowPtr: Int32Array,
  colIdx: Int32Array,
  values: Float64Array,
  x: Float64Array,
  strideX: number,
  beta: number,
  y: Float64Array,
  strideY: number,
): void {
  dcsrmvTOffset(
    M,
    N,
    alpha,
    rowPtr,
    colIdx,
    values,
    x,
    strideX,
    blasOffset(M, strideX),
    beta,
    y,
    strideY,
    blasOffset(N, strideY),
  );
}

// ---------------------------------------------------------------------------------------------
// CSC

/**
 * y ← alpha·A·x + beta·y for an M × N CSC matrix A (`colPtr` of length ≥ N + 1, `rowIdx`,
 * `values`): x has N elements, y has M (offset form). The product scatters into y, so y must not
 * alias x. M ≤ 0 does nothing; N ≤ 0 gives y ← beta·y. `rowIdx` entries must lie in [0, M).
 *
 * @example
 * ```ts
 * // A = [[1, 0, 2], [0, 3, 0]] in CSC
 * const colPtr = Int32Array.of(0, 1, 2, 3), rowIdx = Int32Array.of(0, 1, 0), values = Float64Array.of(1, 3, 2);
 * const y = new Float64Array(2);
 * dcscmvOffset(2, 3, 1, colPtr, rowIdx, values, Float64Array.of(1, 1, 1), 1, 0, 0, y, 1, 0); // y = [3, 3]
 * ```
 */
export function dcscmvOffset(
  M: number,
  N: number,
  alpha: number,
  colPtr: Int32Array,
  rowIdx: Int32Array,
  values: Float64Array,
  x: Float64Array,
  strideX: number,
  offsetX: number,
  beta: number,
  y: Float64Array,
  strideY: number,
  offsetY: number,
): void {
  if (M <= 0) return;
  checkVector("dcscmv", "y", M, y, strideY, offsetY);
  if (N <= 0) {
    scaleOutput(M, beta, y, strideY, offsetY);
    return;
  }
  checkPattern("dcscmv", N, colPtr, rowIdx, values);
  if (alpha !== 0) checkVector("dcscmv", "x", N, x, strideX, offsetX);
  scatter(N, M, alpha, colPtr, rowIdx, values, x, strideX, offsetX, beta, y, strideY, offsetY);
}

/**
 * y ← alpha·A·x + beta·y for an M × N CSC matrix A (BLAS form). See {@link dcscmvOffset}.
 *
 * @example
 * ```ts
 * const colPtr = Int32Array.of(0, 1, 2, 3), rowIdx = Int32Array.of(0, 1, 0), values = Float64Array.of(1, 3, 2);
 * const y = new Float64Array(2);
 * dcscmv(2, 3, 1, colPtr, rowIdx, values, Float64Array.of(1, 1, 1), 1, 0, y, 1); // y = [3, 3]
 * ```
 */
export function dcscmv(
  M: number,
  N: number,
  alpha: number,
  colPtr: Int32Array,
  rowIdx: Int32Array,
  values: Float64Array,
  x: Float64Array,
  strideX: number,
  beta: number,
  y: Float64Array,
  strideY: number,
): void {
  dcscmvOffset(
    M,
    N,
    alpha,
    colPtr,
    rowIdx,
    values,
    x,
    strideX,
    blasOffset(N, strideX),
    beta,
    y,
    strideY,
    blasOffset(M, strideY),
  );
}

/**
 * y ← alpha·Aᵀ·x + beta·y for an M × N CSC matrix A: x has M elements, y has N (offset form).
 * This is the gather loop (one dot product per stored column), as fast as {@link dcsrmvOffset}.
 * N ≤ 0 does nothing; M ≤ 0 gives y ← beta·y.
 *
 * @example
 * ```ts
 * const colPtr = Int32Array.of(0, 1, 2, 3), rowIdx = Int32Array.of(0, 1, 0), values = Float64Array.of(1, 3, 2);
 * const y = new Float64Array(3);
 * dcscmvTOffset(2, 3, 1, colPtr, rowIdx, values, Float64Array.of(1, 1), 1, 0, 0, y, 1, 0); // y = [1, 3, 2]
 * ```
 */
export function dcscmvTOffset(
  M: number,
  N: number,
  alpha: number,
  colPtr: Int32Array,
  rowIdx: Int32Array,
  values: Float64Array,
  x: Float64Array,
  strideX: number,
  offsetX: number,
  beta: number,
  y: Float64Array,
  strideY: number,
  offsetY: number,
): void {
  if (N <= 0) return;
  checkPattern("dcscmvT", N, colPtr, rowIdx, values);
  checkVector("dcscmvT", "y", N, y, strideY, offsetY);
  if (M <= 0) {
    scaleOutput(N, beta, y, strideY, offsetY);
    return;
  }
  if (alpha !== 0) checkVector("dcscmvT", "x", M, x, strideX, offsetX);
  gather(N, alpha, colPtr, rowIdx, values, x, strideX, offsetX, beta, y, strideY, offsetY);
}

/**
 * y ← alpha·Aᵀ·x + beta·y for an M × N CSC matrix A (BLAS form). See {@link dcscmvTOffset}.
 *
 * @example
 * ```ts
 * const colPtr = Int32Array.of(0, 1, 2, 3), rowIdx = Int32Array.of(0, 1, 0), values = Float64Array.of(1, 3, 2);
 * const y = new Float64Array(3);
 * dcscmvT(2, 3, 1, colPtr, rowIdx, values, Float64Array.of(1, 1), 1, 0, y, 1); // y = [1, 3, 2]
 * ```
 */
export function dcscmvT(
  M: number,
  N: number,
  alpha: number,
  colPtr: Int32Array,
  rowIdx: Int32Array,
  values: Float64Array,
  x: Float64Array,
  strideX: number,
  beta: number,
  y: Float64Array,
  strideY: number,
): void {
  dcscmvTOffset(
    M,
    N,
    alpha,
    colPtr,
    rowIdx,
    values,
    x,
    strideX,
    blasOffset(M, strideX),
    beta,
    y,
    strideY,
    blasOffset(N, strideY),
  );
}

// ---------------------------------------------------------------------------------------------
// CSR × dense

/**
 * C ← alpha·A·B + beta·C for an M × N CSR matrix A, a dense row-major N × K matrix B (leading
 * dimension ldb ≥ K, starting at offsetB) and a dense row-major M × K matrix C (ldc ≥ K, from
 * offsetC). Row i of C is a combination of rows of B, so every inner loop runs over K contiguous
 * numbers. `beta = 0` overwrites C without reading it; `alpha = 0` reads neither A nor B.
 * M ≤ 0 or K ≤ 0 does nothing; N ≤ 0 gives C ← beta·C. C must not overlap B.
 *
 * @example
 * ```ts
 * // A = [[1, 0, 2], [0, 3, 0]], B = 3 × 2 of ones → C = [[3, 3], [3, 3]]
 * const rowPtr = Int32Array.of(0, 2, 3), colIdx = Int32Array.of(0, 2, 1), values = Float64Array.of(1, 2, 3);
 * const C = new Float64Array(4);
 * dcsrmmOffset(2, 3, 2, 1, rowPtr, colIdx, values, new Float64Array(6).fill(1), 2, 0, 0, C, 2, 0);
 * ```
 */
export function dcsrmmOffset(
  M: number,
  N: number,
  K: number,
  alpha: number,
  rowPtr: Int32Array,
  colIdx: Int32Array,
  values: Float64Array,
  B: Float64Array,
  ldb: number,
  offsetB: number,
  beta: number,
  C: Float64Array,
  ldc: number,
  offsetC: number,
): void {
  if (M <= 0 || K <= 0) return;
  checkPattern("dcsrmm", M, rowPtr, colIdx, values);
  checkMatrix("dcsrmm", "C", M, K, C, ldc, offsetC);
  const readB = N > 0 && alpha !== 0;
  if (readB) checkMatrix("dcsrmm", "B", N, K, B, ldb, offsetB);
  for (let i = 0; i < M; i++) {
    const ci = offsetC + i * ldc;
    const cEnd = ci + K;
    if (beta === 0) {
      for (let p = ci; p < cEnd; p++) C[p] = 0;
    } else if (beta !== 1) {
      for (let p = ci; p < cEnd; p++) C[p] *= beta;
    }
    if (!readB) continue;
    const end = rowPtr[i + 1];
    for (let k = rowPtr[i]; k < end; k++) {
      const t = alpha * values[k];
      const bi = offsetB + colIdx[k] * ldb - ci;
      for (let p = ci; p < cEnd; p++) C[p] += t * B[bi + p];
    }
  }
}

/**
 * C ← alpha·A·B + beta·C for CSR A (M × N) and dense row-major B (N × K) and C (M × K), both
 * starting at offset 0. See {@link dcsrmmOffset}.
 *
 * @example
 * ```ts
 * const rowPtr = Int32Array.of(0, 2, 3), colIdx = Int32Array.of(0, 2, 1), values = Float64Array.of(1, 2, 3);
 * const C = new Float64Array(4);
 * dcsrmm(2, 3, 2, 1, rowPtr, colIdx, values, new Float64Array(6).fill(1), 2, 0, C, 2); // C = [3, 3, 3, 3]
 * ```
 */
export function dcsrmm(
  M: number,
  N: number,
  K: number,
  alpha: number,
  rowPtr: Int32Array,
  colIdx: Int32Array,
  values: Float64Array,
  B: Float64Array,
  ldb: number,
  beta: number,
  C: Float64Array,
  ldc: number,
): void {
  dcsrmmOffset(M, N, K, alpha, rowPtr, colIdx, values, B, ldb, 0, beta, C, ldc, 0);
}

function checkMatrix(
  where: string,
  name: string,
  rows: number,
  cols: number,
  A: Float64Array,
  ld: number,
  offset: number,
): void {
  if (!Number.isInteger(ld) || ld < cols) fail(where, `leading dimension of ${name}`, `${ld}`, `an integer >= ${cols}`);
  if (!Number.isInteger(offset) || offset < 0) fail(where, `offset of ${name}`, `${offset}`, "a non-negative integer");
  const need = offset + (rows - 1) * ld + cols;
  if (A.length < need) fail(where, `${name} too short`, `length ${A.length}`, `at least ${need}`);
}

// ---------------------------------------------------------------------------------------------
// COO → CSR

/** Rows at most this long are sorted by insertion sort; longer ones by heapsort. */
const INSERTION_SORT_MAX = 16;

/** Sorts cols[lo, hi) ascending, permuting vals alongside. */
function insertionSort(cols: Int32Array, vals: Float64Array, lo: number, hi: number): void {
  for (let i = lo + 1; i < hi; i++) {
    const c = cols[i];
    const v = vals[i];
    let j = i - 1;
    while (j >= lo && cols[j] > c) {
      cols[j + 1] = cols[j];
      vals[j + 1] = vals[j];
      j--;
    }
    cols[j + 1] = c;
    vals[j + 1] = v;
  }
}

/** Restores the max-heap property below heap node `root` of the heap stored in cols[lo, lo + n). */
function siftDown(cols: Int32Array, vals: Float64Array, lo: number, root: number, n: number): void {
  const c = cols[lo + root];
  const v = vals[lo + root];
  let i = root;
  for (;;) {
    let child = 2 * i + 1;
    if (child >= n) break;
    if (child + 1 < n && cols[lo + child + 1] > cols[lo + child]) child++;
    if (cols[lo + child] <= c) break;
    cols[lo + i] = cols[lo + child];
    vals[lo + i] = vals[lo + child];
    i = child;
  }
  cols[lo + i] = c;
  vals[lo + i] = v;
}

/** In-place heapsort of cols[lo, hi) with vals permuted alongside: O(n log n), no allocation. */
function heapSort(cols: Int32Array, vals: Float64Array, lo: number, hi: number): void {
  const n = hi - lo;
  for (let root = (n >> 1) - 1; root >= 0; root--) siftDown(cols, vals, lo, root, n);
  for (let last = n - 1; last > 0; last--) {
    const c = cols[lo];
    const v = vals[lo];
    cols[lo] = cols[lo + last];
    vals[lo] = vals[lo + last];
    cols[lo + last] = c;
    vals[lo + last] = v;
    siftDown(cols, vals, lo, 0, last);
  }
}

/**
 * Converts an M × N matrix from coordinate form (`rowIdx[k]`, `colIdx[k]`, `values[k]` for
 * k < nnz, any order, duplicates allowed) to CSR: fills `rowPtr` (length ≥ M + 1), `outColIdx`
 * and `outValues` (each length ≥ nnz) with columns sorted ascending inside every row and
 * duplicate (row, column) entries summed, and returns the number of stored entries after
 * summing. Duplicates that cancel stay as explicit zeros. `work` is an Int32Array of length
 * ≥ M + 1. Allocation-free: rows are sorted in place (insertion sort when short, heapsort when
 * long), so the cost is O(nnz log(max row length) + M).
 *
 * Unlike the products, this validates every index: it throws `RangeError` when an entry lies
 * outside the M × N matrix or an array is too short. The outputs must not alias the inputs.
 *
 * @example
 * ```ts
 * // entries (1,2)=5, (0,1)=1, (1,2)=2, (1,0)=3 → rows [[0,1,0], [3,0,7]]
 * const rowPtr = new Int32Array(3), cols = new Int32Array(4), vals = new Float64Array(4);
 * const nnz = dcoo2csr(2, 3, 4, Int32Array.of(1, 0, 1, 1), Int32Array.of(2, 1, 2, 0),
 *   Float64Array.of(5, 1, 2, 3), rowPtr, cols, vals, new Int32Array(3));
 * // nnz = 3, rowPtr = [0, 1, 3], cols[0..3) = [1, 0, 2], vals[0..3) = [1, 3, 7]
 * ```
 */
export function dcoo2csr(
  M: number,
  N: number,
  nnz: number,
  rowIdx: Int32Array,
  colIdx: Int32Array,
  values: Float64Array,
  rowPtr: Int32Array,
  outColIdx: Int32Array,
  outValues: Float64Array,
  work: Int32Array,
): number {
  const where = "dcoo2csr";
  const m = Math.max(M, 0);
  const n = Math.max(nnz, 0);
  if (rowPtr.length < m + 1) fail(where, "rowPtr too short", `length ${rowPtr.length}`, `at least ${m + 1}`);
  if (work.length < m + 1) fail(where, "work too short", `length ${work.length}`, `at least ${m + 1}`);
  if (rowIdx.length < n || colIdx.length < n || values.length < n) {
    fail(where, "input arrays too short", `lengths ${rowIdx.length}, ${colIdx.length}, ${values.length}`, `${n} each`);
  }
  if (outColIdx.length < n || outValues.length < n) {
    fail(where, "output arrays too short", `lengths ${outColIdx.length}, ${outValues.length}`, `${n} each`);
  }

  // Count entries per row (validating indices on the way), then prefix-sum into row starts.
  for (let i = 0; i <= m; i++) rowPtr[i] = 0;
  for (let k = 0; k < n; k++) {
    const r = rowIdx[k];
    const c = colIdx[k];
    if (!(r >= 0 && r < M && c >= 0 && c < N)) {
      fail(where, `entry ${k} outside the matrix`, `(row ${r}, col ${c})`, `row in [0, ${M}), col in [0, ${N})`);
    }
    rowPtr[r + 1]++;
  }
  for (let i = 0; i < m; i++) rowPtr[i + 1] += rowPtr[i];

  // Scatter each entry to the next free slot of its row.
  for (let i = 0; i < m; i++) work[i] = rowPtr[i];
  for (let k = 0; k < n; k++) {
    const dst = work[rowIdx[k]]++;
    outColIdx[dst] = colIdx[k];
    outValues[dst] = values[k];
  }

  // Sort each row, then sum runs of equal columns while compacting towards the front. The write
  // cursor never passes the read cursor, so compaction is safe in place; the old row start is
  // kept in `start` because rowPtr[i] is overwritten with the new one.
  let write = 0;
  let start = 0;
  for (let i = 0; i < m; i++) {
    const end = rowPtr[i + 1];
    if (end - start <= INSERTION_SORT_MAX) insertionSort(outColIdx, outValues, start, end);
    else heapSort(outColIdx, outValues, start, end);
    rowPtr[i] = write;
    let k = start;
    while (k < end) {
      const c = outColIdx[k];
      let s = outValues[k];
      k++;
      while (k < end && outColIdx[k] === c) s += outValues[k++];
      outColIdx[write] = c;
      outValues[write] = s;
      write++;
    }
    start = end;
  }
  rowPtr[m] = write;
  return write;
}
