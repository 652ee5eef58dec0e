/**
 * A dense row-major matrix as a {@link LinearOperator}.
 *
 * @module
 */
import { ShapeError } from "../../core/errors.js";
import { activeKernels } from "../kernel_provider.js";
import type { LinearOperator } from "../linear_operator.js";
import { ownedFloat64 } from "./kernel_memory.js";
import { checkDimension, checkFinite, checkLength, denseFromRows, type NestedRows } from "./validate.js";

/**
 * A dense rows × cols matrix stored row-major. Products go through the active kernel set's
 * `dgemv`; the entries are copied at construction into kernel memory, so later changes to the
 * caller's array do not affect the operator.
 *
 * @example
 * ```ts
 * const A = new DenseOperator(Float64Array.of(1, 2, 3, 4, 5, 6), 2, 3); // [[1, 2, 3], [4, 5, 6]]
 * const y = new Float64Array(2);
 * A.apply(Float64Array.of(1, 1, 1), y); // y = [6, 15]
 * ```
 */
export class DenseOperator implements LinearOperator {
  /** Number of rows. */
  readonly rows: number;
  /** Number of columns. */
  readonly cols: number;
  /** Always `'dense'`. */
  readonly kind = "dense";
  /** Row-major entries, private: handing them out would let callers mutate the operator. */
  private readonly data: Float64Array;
  /** Row pitch for the kernels, which require at least 1 even for zero columns. */
  private readonly lda: number;

  /**
   * @param data row-major entries, `rows·cols` of them (any array-like of finite numbers)
   * @throws ShapeError when the sizes disagree; DataError for a non-finite entry.
   * @example
   * ```ts
   * new DenseOperator([1, 0, 0, 1], 2, 2); // identity
   * ```
   */
  constructor(data: ArrayLike<number>, rows: number, cols: number) {
    checkDimension("DenseOperator", "rows", rows);
    checkDimension("DenseOperator", "cols", cols);
    if (data.length !== rows * cols) {
      throw new ShapeError({
        where: "DenseOperator",
        what: "data length does not match rows × cols",
        got: String(data.length),
        expected: String(rows * cols),
      });
    }
    checkFinite("DenseOperator", "data", data);
    this.rows = rows;
    this.cols = cols;
    this.lda = Math.max(1, cols);
    this.data = ownedFloat64(this, rows * cols);
    this.data.set(data);
  }

  /**
   * Builds the operator from nested rows.
   *
   * @throws ShapeError for ragged rows; DataError for a non-finite entry.
   * @example
   * ```ts
   * const A = DenseOperator.fromRows([[1, 2], [3, 4]]);
   * ```
   */
  static fromRows(rows: NestedRows): DenseOperator {
    const m = denseFromRows("DenseOperator.fromRows", rows);
    return new DenseOperator(m.data, m.rows, m.cols);
  }

  /**
   * y = alpha·A·x + beta·y (beta = 0 ignores y). x and y must not overlap.
   *
   * @example
   * ```ts
   * A.apply(x, y, 2, 1); // y = 2·A·x + y
   * ```
   */
  apply(x: Float64Array, y: Float64Array, alpha = 1, beta = 0): void {
    checkLength("DenseOperator.apply", "x", x, this.cols, "the number of columns");
    checkLength("DenseOperator.apply", "y", y, this.rows, "the number of rows");
    activeKernels().dgemv("N", this.rows, this.cols, alpha, this.data, this.lda, 0, x, 1, 0, beta, y, 1, 0);
  }

  /**
   * y = alpha·Aᵀ·x + beta·y.
   *
   * @example
   * ```ts
   * A.applyTranspose(r, g); // g = Aᵀ r
   * ```
   */
  applyTranspose(x: Float64Array, y: Float64Array, alpha = 1, beta = 0): void {
    checkLength("DenseOperator.applyTranspose", "x", x, this.rows, "the number of rows");
    checkLength("DenseOperator.applyTranspose", "y", y, this.cols, "the number of columns");
    activeKernels().dgemv("T", this.rows, this.cols, alpha, this.data, this.lda, 0, x, 1, 0, beta, y, 1, 0);
  }

  /**
   * out[j] = Σᵢ A[i, j]² (squared column norms).
   *
   * @example
   * ```ts
   * const g = new Float64Array(A.cols);
   * A.diagGram(g);
   * ```
   */
  diagGram(out: Float64Array): void {
    checkLength("DenseOperator.diagGram", "out", out, this.cols, "the number of columns");
    const { rows, cols, data } = this;
    out.fill(0);
    // Row by row, so the inner loop runs along contiguous memory.
    for (let i = 0; i < rows; i++) {
      const r = i * cols;
      for (let j = 0; j < cols; j++) {
        const a = data[r + j];
        out[j] += a * a;
      }
    }
  }

  /**
   * A fresh row-major copy of the entries.
   *
   * @example
   * ```ts
   * DenseOperator.fromRows([[1, 2]]).toDense(); // Float64Array [1, 2]
   * ```
   */
  toDense(): Float64Array {
    return Float64Array.from(this.data);
  }
}
