/**
 * A real linear map y = A x given only by its action. Dense, CSR/CSC, diagonal, Kronecker,
 * block-diagonal and low-rank-plus-diagonal operators implement it; models, the density
 * compiler's matvec node and the EM-SBL backend consume it without knowing which.
 *
 * @example
 * ```ts
 * const y = new Float64Array(op.rows);
 * op.apply(x, y);            // y = A x
 * op.apply(x, y, 2, 1);      // y = 2 A x + y
 * ```
 */
export interface LinearOperator {
  /** Number of rows of A. */
  readonly rows: number;
  /** Number of columns of A. */
  readonly cols: number;
  /** Operator kind for printing and structure detection: 'dense', 'csr', 'kronecker', … */
  readonly kind: string;
  /** y = alpha · A x + beta · y (alpha defaults to 1, beta to 0; beta = 0 ignores y's contents). */
  apply(x: Float64Array, y: Float64Array, alpha?: number, beta?: number): void;
  /** y = alpha · Aᵀ x + beta · y. */
  applyTranspose(x: Float64Array, y: Float64Array, alpha?: number, beta?: number): void;
  /** out[j] = Σᵢ A[i, j]² — the diagonal of AᵀA, used by SBL and diagonal preconditioners. */
  diagGram(out: Float64Array): void;
  /** The operator as a dense row-major rows × cols array (may be large; for tests and small problems). */
  toDense(): Float64Array;
}

/**
 * A complex linear map on interleaved (re, im) vectors: x has 2·cols numbers, y 2·rows.
 *
 * @example
 * ```ts
 * const y = new Float64Array(2 * op.rows);
 * op.apply(x, y);           // y = A x
 * op.applyAdjoint(y, z);    // z = Aᴴ y
 * ```
 */
export interface ComplexLinearOperator {
  /** Number of rows of A. */
  readonly rows: number;
  /** Number of columns of A. */
  readonly cols: number;
  /** Operator kind: 'complex_dense', 'complex_kronecker', … */
  readonly kind: string;
  /** y = A x (interleaved complex vectors). */
  apply(x: Float64Array, y: Float64Array): void;
  /** y = Aᴴ x (conjugate transpose). */
  applyAdjoint(x: Float64Array, y: Float64Array): void;
  /** out[j] = Σᵢ |A[i, j]|² (real, length cols). */
  diagGram(out: Float64Array): void;
  /** Interleaved row-major dense copy (2·rows·cols numbers). */
  toDense(): Float64Array;
}
