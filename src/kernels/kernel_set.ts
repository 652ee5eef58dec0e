/** Whether a dense operand is used as stored ('N') or transposed ('T'). */
export type Transpose = "N" | "T";
/** Which triangle of a symmetric/triangular matrix is referenced. */
export type Uplo = "U" | "L";

/**
 * The hot kernels, behind one interface so that the runtime can swap the portable TypeScript
 * set for the WebAssembly-SIMD set without callers noticing. Every member is the *offset*
 * (ndarray-style) form of the kernel of the same name: dense matrices are row-major with a
 * leading dimension, vectors have a stride and an offset, `beta = 0` overwrites the output
 * without reading it. Kernels never allocate; they throw `RangeError` only on invalid sizes.
 *
 * @example
 * ```ts
 * function norm2(k: KernelSet, x: Float64Array): number { return Math.sqrt(k.ddot(x.length, x, 1, 0, x, 1, 0)); }
 * ```
 */
export interface KernelSet {
  /** 'plain' (TypeScript reference) or 'wasm-simd'. */
  readonly name: string;
  /** Σ x[ox + i·sx] · y[oy + i·sy] for i < N. */
  ddot(
    N: number,
    x: Float64Array,
    strideX: number,
    offsetX: number,
    y: Float64Array,
    strideY: number,
    offsetY: number,
  ): number;
  /** y ← alpha·x + y. */
  daxpy(
    N: number,
    alpha: number,
    x: Float64Array,
    strideX: number,
    offsetX: number,
    y: Float64Array,
    strideY: number,
    offsetY: number,
  ): void;
  /** y ← alpha·op(A)·x + beta·y, A is M × N row-major with leading dimension lda. */
  dgemv(
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
  ): void;
  /** C ← alpha·op(A)·op(B) + beta·C; op(A) is M × K, op(B) is K × N, all row-major. */
  dgemm(
    transA: Transpose,
    transB: Transpose,
    M: number,
    N: number,
    K: number,
    alpha: number,
    A: Float64Array,
    lda: number,
    offsetA: number,
    B: Float64Array,
    ldb: number,
    offsetB: number,
    beta: number,
    C: Float64Array,
    ldc: number,
    offsetC: number,
  ): void;
  /** C ← alpha·A·Aᵀ + beta·C ('N', A is N × K) or alpha·Aᵀ·A + beta·C ('T', A is K × N); only the `uplo` triangle of C is written. */
  dsyrk(
    uplo: Uplo,
    trans: Transpose,
    N: number,
    K: number,
    alpha: number,
    A: Float64Array,
    lda: number,
    offsetA: number,
    beta: number,
    C: Float64Array,
    ldc: number,
    offsetC: number,
  ): void;
  /**
   * In-place Cholesky of the `uplo` triangle: A = UᵀU ('U') or L·Lᵀ ('L'). Returns 0 on success
   * or the 1-based index of the first non-positive pivot (LAPACK's `info`). The other triangle is untouched.
   */
  dpotrf(uplo: Uplo, N: number, A: Float64Array, lda: number, offsetA: number): number;
  /** y ← alpha·A·x + beta·y for CSR A (M × N, 0-based rowPtr of length M+1). */
  dcsrmv(
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
  ): void;
  /**
   * y ← op(A₁ ⊗ A₂ ⊗ … ⊗ A_K)·x for dense row-major factors (factor k is rows[k] × cols[k]),
   * never forming the product. `work` needs `kronWorkSize` numbers. x and y are contiguous.
   */
  dkronmv(
    trans: Transpose,
    K: number,
    rows: Int32Array,
    cols: Int32Array,
    factors: readonly Float64Array[],
    x: Float64Array,
    y: Float64Array,
    work: Float64Array,
  ): void;
}
