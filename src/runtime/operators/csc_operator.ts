/**
 * A sparse matrix in compressed sparse column (CSC) form as a {@link LinearOperator}.
 *
 * @module
 */
import { dcscmvOffset, dcscmvTOffset } from "../../kernels/sparse.js";
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

const NAMES: CompressedNames = { where: "CscOperator", ptr: "colPtr", idx: "rowIdx", major: "column", minor: "row" };

/**
 * A rows × cols sparse matrix in CSC form: the entries of column j are `values[k]` at rows
 * `rowIdx[k]` for `colPtr[j] <= k < colPtr[j + 1]`. Aᵀ·x is a gather per column (one sparse dot
 * product each), A·x scatters column by column — the mirror image of `CsrOperator`, so
 * choose CSC when Aᵀ·x is the hot product. The arrays are copied at construction and brought to
 * canonical form (rows sorted within each column, duplicate entries summed).
 *
 * @example
 * ```ts
 * // [[1, 0, 2], [0, 3, 0]]
 * const A = new CscOperator(2, 3, [0, 1, 2, 3], [0, 1, 0], [1, 3, 2]);
 * const y = new Float64Array(2);
 * A.apply(Float64Array.of(1, 1, 1), y); // y = [3, 3]
 * ```
 */
export class CscOperator implements LinearOperator {
  /** Number of rows. */
  readonly rows: number;
  /** Number of columns. */
  readonly cols: number;
  /** Always `'csc'`. */
  readonly kind = "csc";
  /** Number of stored entries after summing duplicates (explicit zeros included). */
  readonly nnz: number;
  private readonly colPtr: Int32Array;
  private readonly rowIdx: Int32Array;
  private readonly values: Float64Array;

  /**
   * @param colPtr cols + 1 non-decreasing offsets starting at 0
   * @param rowIdx row of each stored entry, in [0, rows)
   * @param values value of each stored entry (finite)
   * @throws ShapeError for mismatched lengths; DataError for bad pointers, indices or values.
   * @example
   * ```ts
   * new CscOperator(2, 2, [0, 1, 2], [0, 1], [1, 1]); // 2 × 2 identity
   * ```
   */
  constructor(
    rows: number,
    cols: number,
    colPtr: ArrayLike<number>,
    rowIdx: ArrayLike<number>,
    values: ArrayLike<number>,
  ) {
    checkDimension(NAMES.where, "rows", rows);
    checkDimension(NAMES.where, "cols", cols);
    checkCompressed(NAMES, cols, rows, colPtr, rowIdx, values);
    const c = canonicalCompressed(cols, rows, colPtr, rowIdx, values);
    this.rows = rows;
    this.cols = cols;
    this.nnz = c.values.length;
    this.colPtr = ownedInt32(this, cols + 1);
    this.colPtr.set(c.ptr);
    this.rowIdx = ownedInt32(this, this.nnz);
    this.rowIdx.set(c.idx);
    this.values = ownedFloat64(this, this.nnz);
    this.values.set(c.values);
  }

  /**
   * Builds a CSC operator from coordinate triplets in any order; duplicate (row, col) entries are
   * summed and rows are sorted within each column.
   *
   * @throws ShapeError when the three arrays differ in length; DataError for an entry outside
   *   the matrix or a non-finite value.
   * @example
   * ```ts
   * const A = CscOperator.fromCoo(2, 3, [1, 0, 1], [2, 1, 2], [5, 1, 2]); // [[0, 1, 0], [0, 0, 7]]
   * ```
   */
  static fromCoo(
    rows: number,
    cols: number,
    rowIdx: ArrayLike<number>,
    colIdx: ArrayLike<number>,
    values: ArrayLike<number>,
  ): CscOperator {
    const c = compressCoo({ ...NAMES, where: "CscOperator.fromCoo" }, cols, rows, colIdx, rowIdx, values);
    return new CscOperator(rows, cols, c.ptr, c.idx, c.values);
  }

  /**
   * Keeps the nonzero entries of a dense matrix (nested rows, or row-major data with its shape).
   *
   * @example
   * ```ts
   * CscOperator.fromDense([[1, 0], [0, 2]]).nnz; // 2
   * CscOperator.fromDense(Float64Array.of(0, 3), 1, 2).nnz; // 1
   * ```
   */
  static fromDense(data: NestedRows | Float64Array, rows?: number, cols?: number): CscOperator {
    const m = denseInput("CscOperator.fromDense", data, rows, cols);
    const c = compressDense(m.data, m.rows, m.cols, false);
    return new CscOperator(m.rows, m.cols, c.ptr, c.idx, c.values);
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
    checkLength("CscOperator.apply", "x", x, this.cols, "the number of columns");
    checkLength("CscOperator.apply", "y", y, this.rows, "the number of rows");
    dcscmvOffset(this.rows, this.cols, alpha, this.colPtr, this.rowIdx, this.values, x, 1, 0, beta, y, 1, 0);
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
    checkLength("CscOperator.applyTranspose", "x", x, this.rows, "the number of rows");
    checkLength("CscOperator.applyTranspose", "y", y, this.cols, "the number of columns");
    dcscmvTOffset(this.rows, this.cols, alpha, this.colPtr, this.rowIdx, this.values, x, 1, 0, beta, y, 1, 0);
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
    checkLength("CscOperator.diagGram", "out", out, this.cols, "the number of columns");
    const { colPtr, values } = this;
    // Canonical storage has one entry per position, so each column's sum of squares is exact.
    for (let j = 0; j < this.cols; j++) {
      let s = 0;
      for (let k = colPtr[j]; k < colPtr[j + 1]; k++) s += values[k] * values[k];
      out[j] = s;
    }
  }

  /**
   * The dense row-major matrix.
   *
   * @example
   * ```ts
   * CscOperator.fromCoo(1, 2, [0], [1], [4]).toDense(); // [0, 4]
   * ```
   */
  toDense(): Float64Array {
    const out = new Float64Array(this.rows * this.cols);
    const { colPtr, rowIdx, values } = this;
    for (let j = 0; j < this.cols; j++) {
      for (let k = colPtr[j]; k < colPtr[j + 1]; k++) out[rowIdx[k] * this.cols + j] = values[k];
    }
    return out;
  }
}
