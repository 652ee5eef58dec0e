/**
 * A dense complex matrix as a {@link ComplexLinearOperator}.
 *
 * @module
 */
import { ShapeError } from "../../core/errors.js";
import { zgemvOffset } from "../../kernels/blas2.js";
import type { ComplexLinearOperator } from "../linear_operator.js";
import { checkDimension, checkFinite, checkLength, denseFromRows, type NestedRows } from "./validate.js";

/**
 * A dense complex rows × cols matrix, row-major with interleaved (re, im) entries: entry (i, j)
 * is `data[2(i·cols + j)] + i·data[2(i·cols + j) + 1]`. Vectors are interleaved the same way
 * (2·cols numbers in, 2·rows out). The data is copied at construction.
 *
 * @example
 * ```ts
 * const A = ComplexDenseOperator.fromParts([[1, 0]], [[0, 1]]); // [[1, i]]
 * const y = new Float64Array(2);
 * A.apply(Float64Array.of(1, 0, 1, 0), y); // y = [1, 1] (1 + i)
 * ```
 */
export class ComplexDenseOperator implements ComplexLinearOperator {
  /** Number of rows. */
  readonly rows: number;
  /** Number of columns. */
  readonly cols: number;
  /** Always `'complex_dense'`. */
  readonly kind = "complex_dense";
  private readonly data: Float64Array;
  private readonly lda: number;

  /**
   * @param data 2·rows·cols numbers, interleaved (re, im), row-major
   * @throws ShapeError when the sizes disagree; DataError for a non-finite entry.
   * @example
   * ```ts
   * new ComplexDenseOperator(Float64Array.of(0, 1), 1, 1); // [[i]]
   * ```
   */
  constructor(data: ArrayLike<number>, rows: number, cols: number) {
    checkDimension("ComplexDenseOperator", "rows", rows);
    checkDimension("ComplexDenseOperator", "cols", cols);
    if (data.length !== 2 * rows * cols) {
      throw new ShapeError({
        where: "ComplexDenseOperator",
        what: "data length does not match 2 · rows × cols",
        got: String(data.length),
        expected: String(2 * rows * cols),
        hint: "complex entries are interleaved (re, im) pairs.",
      });
    }
    checkFinite("ComplexDenseOperator", "data", data);
    this.rows = rows;
    this.cols = cols;
    this.lda = Math.max(1, cols);
    this.data = Float64Array.from(data);
  }

  /**
   * Builds the operator from real and imaginary parts given as nested rows (`im` defaults to 0).
   *
   * @throws ShapeError for ragged rows or parts of different shapes.
   * @example
   * ```ts
   * ComplexDenseOperator.fromParts([[1, 2]], [[0, -1]]); // [[1, 2 − i]]
   * ```
   */
  static fromParts(re: NestedRows, im?: NestedRows): ComplexDenseOperator {
    const r = denseFromRows("ComplexDenseOperator.fromParts re", re);
    const i = im === undefined ? undefined : denseFromRows("ComplexDenseOperator.fromParts im", im);
    if (i && (i.rows !== r.rows || i.cols !== r.cols)) {
      throw new ShapeError({
        where: "ComplexDenseOperator.fromParts",
        what: "real and imaginary parts differ in shape",
        got: `${r.rows} × ${r.cols} and ${i.rows} × ${i.cols}`,
        expected: "equal shapes",
      });
    }
    const data = new Float64Array(2 * r.data.length);
    for (let k = 0; k < r.data.length; k++) {
      data[2 * k] = r.data[k];
      data[2 * k + 1] = i ? i.data[k] : 0;
    }
    return new ComplexDenseOperator(data, r.rows, r.cols);
  }

  /**
   * y = A·x (interleaved complex vectors; x and y must not overlap).
   *
   * @example
   * ```ts
   * A.apply(x, y);
   * ```
   */
  apply(x: Float64Array, y: Float64Array): void {
    checkLength("ComplexDenseOperator.apply", "x", x, 2 * this.cols, "2 · the number of columns");
    checkLength("ComplexDenseOperator.apply", "y", y, 2 * this.rows, "2 · the number of rows");
    zgemvOffset("N", this.rows, this.cols, 1, 0, this.data, this.lda, 0, x, 1, 0, 0, 0, y, 1, 0);
  }

  /**
   * y = Aᴴ·x, the conjugate transpose.
   *
   * @example
   * ```ts
   * A.applyAdjoint(r, g);
   * ```
   */
  applyAdjoint(x: Float64Array, y: Float64Array): void {
    checkLength("ComplexDenseOperator.applyAdjoint", "x", x, 2 * this.rows, "2 · the number of rows");
    checkLength("ComplexDenseOperator.applyAdjoint", "y", y, 2 * this.cols, "2 · the number of columns");
    zgemvOffset("C", this.rows, this.cols, 1, 0, this.data, this.lda, 0, x, 1, 0, 0, 0, y, 1, 0);
  }

  /**
   * out[j] = Σᵢ |A[i, j]|² (real, cols entries).
   *
   * @example
   * ```ts
   * const g = new Float64Array(A.cols);
   * A.diagGram(g);
   * ```
   */
  diagGram(out: Float64Array): void {
    checkLength("ComplexDenseOperator.diagGram", "out", out, this.cols, "the number of columns");
    const { rows, cols, data } = this;
    out.fill(0);
    for (let i = 0; i < rows; i++) {
      const r = 2 * i * cols;
      for (let j = 0; j < cols; j++) {
        const re = data[r + 2 * j];
        const im = data[r + 2 * j + 1];
        out[j] += re * re + im * im;
      }
    }
  }

  /**
   * A fresh interleaved row-major copy (2·rows·cols numbers).
   *
   * @example
   * ```ts
   * ComplexDenseOperator.fromParts([[1]], [[2]]).toDense(); // [1, 2]
   * ```
   */
  toDense(): Float64Array {
    return Float64Array.from(this.data);
  }
}
