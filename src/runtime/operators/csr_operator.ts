/**
 * A sparse matrix in compressed sparse row (CSR) form as a {@link LinearOperator}.
 *
 * @module
 */
import { dcsrmvTOffset } from "../../kernels/sparse.js";
import { activeKernels } from "../kernel_provider.js";
import type { LinearOperator } from "../linear_operator.js";
import {
  type CompressedNames,
  canonicalCompressed,
  checkCompressed,
  compressCoo,
  compressDense,
} from "./compressed.js";
import { ownedFloat64, ownedInt32 } from "./kernel_memory.js";
import { checkDimension, checkLength, denseInput, type NestedRows } from "./validate.js";

const NAMES: CompressedNames = { where: "CsrOperator", ptr: "rowPtr", idx: "colIdx", major: "row", minor: "column" };

/**
 * A rows × cols sparse matrix in CSR form: the entries of row i are `values[k]` at columns
 * `colIdx[k]` for `rowPtr[i] <= k < rowPtr[i + 1]`. A·x is a gather per row through the active
 * kernel set's `dcsrmv`; Aᵀ·x scatters row by row. The arrays are copied at construction and
 * brought to canonical form (columns sorted within each row, duplicate entries summed).
 *
 * @example
 * ```ts
 * // [[1, 0, 2], [0, 3, 0]]
 * const A = new CsrOperator(2, 3, [0, 2, 3], [0, 2, 1], [1, 2, 3]);
 * const y = new Float64Array(2);
 * A.apply(Float64Array.of(1, 1, 1), y); // y = [3, 3]
 * ```
 */
export class CsrOperator implements LinearOperator {
  /** Number of rows. */
  readonly rows: number;
  /** Number of columns. */
  readonly cols: number;
  /** Always `'csr'`. */
  readonly kind = "csr";
  /** Number of stored entries after summing duplicates (explicit zeros included). */
  readonly nnz: number;
  private readonly rowPtr: Int32Array;
  private readonly colIdx: Int32Array;
  private readonly values: Float64Array;

  /**
   * @param rowPtr rows + 1 non-decreasing offsets starting at 0
   * @param colIdx column of each stored entry, in [0, cols)
   * @param values value of each stored entry (finite)
   * @throws ShapeError for mismatched lengths; DataError for bad pointers, indices or values.
   * @example
   * ```ts
   * new CsrOperator(2, 2, [0, 1, 2], [0, 1], [1, 1]); // 2 × 2 identity
   * ```
   */
  constructor(
    rows: number,
    cols: number,
    rowPtr: ArrayLike<number>,
    colIdx: ArrayLike<number>,
    values: ArrayLike<number>,
  ) {
    checkDimension(NAMES.where, "rows", rows);
    checkDimension(NAMES.where, "cols", cols);
    checkCompressed(NAMES, rows, cols, rowPtr, colIdx, values);
    const c = canonicalCompressed(rows, cols, rowPtr, colIdx, values);
    this.rows = rows;
    this.cols = cols;
    this.nnz = c.values.length;
    this.rowPtr = ownedInt32(this, rows + 1);
    this.rowPtr.set(c.ptr);
    this.colIdx = ownedInt32(this, this.nnz);
    this.colIdx.set(c.idx);
    this.values = ownedFloat64(this, this.nnz);
    this.values.set(c.values);
  }

  /**
   * Builds a CSR operator from coordinate triplets in any order; duplicate (row, col) entries are
   * summed and columns are sorted within each row.
   *
   * @throws ShapeError when the three arrays differ in length; DataError for an entry outside
   *   the matrix or a non-finite value.
   * @example
   * ```ts
   * const A = CsrOperator.fromCoo(2, 3, [1, 0, 1], [2, 1, 2], [5, 1, 2]); // [[0, 1, 0], [0, 0, 7]]
   * ```
   */
  static fromCoo(
    rows: number,
    cols: number,
    rowIdx: ArrayLike<number>,
    colIdx: ArrayLike<number>,
    values: ArrayLike<number>,
  ): CsrOperator {
    const c = compressCoo({ ...NAMES, where: "CsrOperator.fromCoo" }, rows, cols, rowIdx, colIdx, values);
    return new CsrOperator(rows, cols, c.ptr, c.idx, c.values);
  }

  /**
   * Keeps the nonzero entries of a dense matrix (nested rows, or row-major data with its shape).
   *
   * @example
   * ```ts
   * CsrOperator.fromDense([[1, 0], [0, 2]]).nnz; // 2
   * CsrOperator.fromDense(Float64Array.of(0, 3), 1, 2).nnz; // 1
   * ```
   */
  static fromDense(data: NestedRows | Float64Array, rows?: number, cols?: number): CsrOperator {
    const m = denseInput("CsrOperator.fromDense", data, rows, cols);
    const c = compressDense(m.data, m.rows, m.cols, true);
    return new CsrOperator(m.rows, m.cols, c.ptr, c.idx, c.values);
  }

  /**
   * y = alpha·A·x + beta·y (beta = 0 ignores y). x and y must not overlap.
   *
   * @example
   * ```ts
   * A.apply(x, y);
   * ```
   */
  apply(x: Float64Array, y: Float64Array, alpha = 1, beta = 0): void {
    checkLength("CsrOperator.apply", "x", x, this.cols, "the number of columns");
    checkLength("CsrOperator.apply", "y", y, this.rows, "the number of rows");
    activeKernels().dcsrmv(this.rows, this.cols, alpha, this.rowPtr, this.colIdx, this.values, x, 1, 0, beta, y, 1, 0);
  }

  /**
   * y = alpha·Aᵀ·x + beta·y. x and y must not overlap.
   *
   * @example
   * ```ts
   * A.applyTranspose(r, g); // g = Aᵀ r
   * ```
   */
  applyTranspose(x: Float64Array, y: Float64Array, alpha = 1, beta = 0): void {
    checkLength("CsrOperator.applyTranspose", "x", x, this.rows, "the number of rows");
    checkLength("CsrOperator.applyTranspose", "y", y, this.cols, "the number of columns");
    dcsrmvTOffset(this.rows, this.cols, alpha, this.rowPtr, this.colIdx, this.values, x, 1, 0, beta, y, 1, 0);
  }

  /**
   * out[j] = Σᵢ A[i, j]².
   *
   * @example
   * ```ts
   * const g = new Float64Array(A.cols);
   * A.diagGram(g);
   * ```
   */
  diagGram(out: Float64Array): void {
    checkLength("CsrOperator.diagGram", "out", out, this.cols, "the number of columns");
    out.fill(0);
    const { rowPtr, colIdx, values } = this;
    // Canonical storage has one entry per position, so squaring entry by entry is exact.
    const nnz = rowPtr[this.rows];
    for (let k = 0; k < nnz; k++) out[colIdx[k]] += values[k] * values[k];
  }

  /**
   * The dense row-major matrix.
   *
   * @example
   * ```ts
   * CsrOperator.fromCoo(1, 2, [0], [1], [4]).toDense(); // [0, 4]
   * ```
   */
  toDense(): Float64Array {
    const out = new Float64Array(this.rows * this.cols);
    const { rowPtr, colIdx, values } = this;
    for (let i = 0; i < this.rows; i++) {
      for (let k = rowPtr[i]; k < rowPtr[i + 1]; k++) out[i * this.cols + colIdx[k]] = values[k];
    }
    return out;
  }
}
