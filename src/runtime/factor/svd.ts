/**
 * The thin singular value decomposition A = U·diag(s)·Vᵀ.
 *
 * @module
 */
import { DomainError, ShapeError } from "../../core/errors.js";
import { dgesvdThinOffset, dgesvdWorkSize } from "../../kernels/svd.js";
import { activeKernels } from "../kernel_provider.js";
import { checkDimension, checkFinite, checkLength } from "../operators/validate.js";

/** Unit roundoff of float64. */
const EPS = 2.220446049250313e-16;

/**
 * Thin SVD of a rows × cols row-major matrix, k = min(rows, cols): singular values `s`
 * descending, `U` rows × k and `Vt` k × cols with orthonormal columns/rows, by one-sided Jacobi
 * (small singular values keep high relative accuracy). Use it for rank decisions, least squares
 * on ill-conditioned designs and low-rank approximations.
 *
 * @example
 * ```ts
 * const svd = Svd.decompose(Float64Array.of(3, 0, 0, 4, 0, 0), 3, 2);
 * svd.s; // [4, 3]
 * svd.solve(Float64Array.of(3, 4, 1)); // least squares: [1, 1]
 * ```
 */
export class Svd {
  /** Rows of A. */
  readonly rows: number;
  /** Columns of A. */
  readonly cols: number;
  /** min(rows, cols). */
  readonly k: number;
  /** Singular values, descending, non-negative. */
  readonly s: Float64Array;
  /** Left singular vectors as columns, rows × k row-major. */
  readonly U: Float64Array;
  /** Right singular vectors as rows, k × cols row-major. */
  readonly Vt: Float64Array;
  private readonly tmp: Float64Array;

  private constructor(rows: number, cols: number, s: Float64Array, U: Float64Array, Vt: Float64Array) {
    this.rows = rows;
    this.cols = cols;
    this.k = Math.min(rows, cols);
    this.s = s;
    this.U = U;
    this.Vt = Vt;
    this.tmp = new Float64Array(this.k);
  }

  /**
   * Decomposes the rows × cols row-major matrix A (not modified).
   *
   * @param where name used in error messages (default `'svd'`)
   * @throws ShapeError for a wrong length; DataError for non-finite entries; DomainError if the
   *   Jacobi sweeps do not converge.
   * @example
   * ```ts
   * const { s, U, Vt } = Svd.decompose(X, n, p);
   * ```
   */
  static decompose(A: Float64Array, rows: number, cols: number, where = "svd"): Svd {
    checkDimension(where, "rows", rows);
    checkDimension(where, "cols", cols);
    if (A.length !== rows * cols) {
      throw new ShapeError({
        where,
        what: "data length does not match rows × cols",
        got: String(A.length),
        expected: String(rows * cols),
      });
    }
    checkFinite(where, "matrix", A);
    const k = Math.min(rows, cols);
    const s = new Float64Array(k);
    const U = new Float64Array(rows * k);
    const Vt = new Float64Array(k * cols);
    const info = dgesvdThinOffset(
      rows,
      cols,
      A,
      Math.max(1, cols),
      0,
      s,
      0,
      U,
      Math.max(1, k),
      0,
      Vt,
      Math.max(1, cols),
      0,
      new Float64Array(dgesvdWorkSize(rows, cols)),
      0,
    );
    if (info !== 0) {
      throw new DomainError({
        where,
        what: "the Jacobi SVD sweeps did not converge",
        got: `info ${info}`,
        expected: "0",
        hint: "this should not happen for finite input; please report the matrix.",
      });
    }
    return new Svd(rows, cols, s, U, Vt);
  }

  /**
   * The default threshold below which a singular value counts as zero: max(rows, cols)·eps·s₀
   * (as numpy.linalg.matrix_rank).
   *
   * @example
   * ```ts
   * svd.tolerance();
   * ```
   */
  tolerance(): number {
    return this.k === 0 ? 0 : Math.max(this.rows, this.cols) * EPS * this.s[0];
  }

  /**
   * The number of singular values above tol.
   *
   * @example
   * ```ts
   * Svd.decompose(Float64Array.of(1, 2, 2, 4), 2, 2).rank(); // 1
   * ```
   */
  rank(tol = this.tolerance()): number {
    let r = 0;
    for (const v of this.s) if (v > tol) r++;
    return r;
  }

  /**
   * The matrix U·diag(s)·Vt (rows × cols row-major): A again, up to rounding.
   *
   * @example
   * ```ts
   * svd.reconstruct();
   * ```
   */
  reconstruct(): Float64Array {
    const { rows, cols, k } = this;
    const scaled = new Float64Array(rows * k);
    for (let i = 0; i < rows; i++) for (let j = 0; j < k; j++) scaled[i * k + j] = this.U[i * k + j] * this.s[j];
    const out = new Float64Array(rows * cols);
    activeKernels().dgemm(
      "N",
      "N",
      rows,
      cols,
      k,
      1,
      scaled,
      Math.max(1, k),
      0,
      this.Vt,
      Math.max(1, cols),
      0,
      0,
      out,
      Math.max(1, cols),
      0,
    );
    return out;
  }

  /**
   * The minimum-norm least-squares solution x = V·diag(1/sᵢ for sᵢ > tol)·Uᵀ·b: b has `rows`
   * entries, x has `cols`.
   *
   * @example
   * ```ts
   * const beta = Svd.decompose(X, n, p).solve(y);
   * ```
   */
  solve(b: Float64Array, out: Float64Array = new Float64Array(this.cols), tol = this.tolerance()): Float64Array {
    checkLength("Svd.solve", "b", b, this.rows, "the number of rows");
    checkLength("Svd.solve", "out", out, this.cols, "the number of columns");
    const { rows, cols, k } = this;
    const kernels = activeKernels();
    kernels.dgemv("T", rows, k, 1, this.U, Math.max(1, k), 0, b, 1, 0, 0, this.tmp, 1, 0);
    for (let j = 0; j < k; j++) this.tmp[j] = this.s[j] > tol ? this.tmp[j] / this.s[j] : 0;
    kernels.dgemv("T", k, cols, 1, this.Vt, Math.max(1, cols), 0, this.tmp, 1, 0, 0, out, 1, 0);
    return out;
  }
}
