/**
 * A diagonal matrix as a {@link LinearOperator}.
 *
 * @module
 */
import type { LinearOperator } from "../linear_operator.js";
import { checkFinite, checkLength } from "./validate.js";

/**
 * The n × n diagonal matrix diag(d): A·x multiplies entrywise. Used for scalings, noise
 * precisions and prior variances; the diagonal is copied at construction.
 *
 * @example
 * ```ts
 * const D = new DiagonalOperator([1, 2, 3]);
 * const y = new Float64Array(3);
 * D.apply(Float64Array.of(1, 1, 1), y); // y = [1, 2, 3]
 * ```
 */
export class DiagonalOperator implements LinearOperator {
  /** n. */
  readonly rows: number;
  /** n. */
  readonly cols: number;
  /** Always `'diagonal'`. */
  readonly kind = "diagonal";
  private readonly d: Float64Array;

  /**
   * @param diagonal the n diagonal entries (finite)
   * @throws DataError for a non-finite entry.
   * @example
   * ```ts
   * new DiagonalOperator(Float64Array.of(2, 2)); // 2·I
   * ```
   */
  constructor(diagonal: ArrayLike<number>) {
    checkFinite("DiagonalOperator", "diagonal", diagonal);
    this.d = Float64Array.from(diagonal);
    this.rows = this.d.length;
    this.cols = this.d.length;
  }

  /**
   * y = alpha·diag(d)·x + beta·y (beta = 0 ignores y). y may be x itself.
   *
   * @example
   * ```ts
   * D.apply(x, x); // in place: x ← d ∘ x
   * ```
   */
  apply(x: Float64Array, y: Float64Array, alpha = 1, beta = 0): void {
    checkLength("DiagonalOperator.apply", "x", x, this.cols, "the number of columns");
    checkLength("DiagonalOperator.apply", "y", y, this.rows, "the number of rows");
    const d = this.d;
    const n = d.length;
    if (beta === 0) for (let i = 0; i < n; i++) y[i] = alpha * d[i] * x[i];
    else for (let i = 0; i < n; i++) y[i] = alpha * d[i] * x[i] + beta * y[i];
  }

  /**
   * y = alpha·diag(d)·x + beta·y (a diagonal matrix is its own transpose).
   *
   * @example
   * ```ts
   * D.applyTranspose(x, y);
   * ```
   */
  applyTranspose(x: Float64Array, y: Float64Array, alpha = 1, beta = 0): void {
    this.apply(x, y, alpha, beta);
  }

  /**
   * out[j] = d[j]².
   *
   * @example
   * ```ts
   * const g = new Float64Array(3);
   * new DiagonalOperator([1, 2, 3]).diagGram(g); // [1, 4, 9]
   * ```
   */
  diagGram(out: Float64Array): void {
    checkLength("DiagonalOperator.diagGram", "out", out, this.cols, "the number of columns");
    const d = this.d;
    for (let j = 0; j < d.length; j++) out[j] = d[j] * d[j];
  }

  /**
   * A copy of the diagonal.
   *
   * @example
   * ```ts
   * new DiagonalOperator([1, 2]).diagonal(); // Float64Array [1, 2]
   * ```
   */
  diagonal(): Float64Array {
    return Float64Array.from(this.d);
  }

  /**
   * The dense n × n matrix.
   *
   * @example
   * ```ts
   * new DiagonalOperator([1, 2]).toDense(); // [1, 0, 0, 2]
   * ```
   */
  toDense(): Float64Array {
    const n = this.d.length;
    const out = new Float64Array(n * n);
    for (let i = 0; i < n; i++) out[i * n + i] = this.d[i];
    return out;
  }
}
