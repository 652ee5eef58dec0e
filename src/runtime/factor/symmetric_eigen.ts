/**
 * The eigendecomposition A = V·diag(w)·Vᵀ of a real symmetric matrix.
 *
 * @module
 */
import { DomainError } from "../../core/errors.js";
import { dsyevOffset, dsyevWorkSize } from "../../kernels/eigen.js";
import { activeKernels } from "../kernel_provider.js";
import { checkLength, checkSquare, checkSymmetric } from "../operators/validate.js";

/** Unit roundoff of float64. */
const EPS = 2.220446049250313e-16;

/**
 * A = V·diag(w)·Vᵀ for a symmetric n × n row-major matrix (symmetry is checked; the lower
 * triangle is what the kernel reads): eigenvalues ascending in `values`, orthonormal eigenvectors
 * as the COLUMNS of `vectors` (n × n row-major), by Householder tridiagonalisation and implicit QR.
 * Use it for pseudo-inverses, matrix functions, and spectra (e.g. the inverse mass matrix of HMC
 * or whitening a covariance that may be singular).
 *
 * @example
 * ```ts
 * const eig = SymmetricEigen.decompose(Float64Array.of(2, 1, 1, 2), 2);
 * eig.values; // [1, 3]
 * eig.solve(Float64Array.of(3, 3)); // [1, 1]
 * ```
 */
export class SymmetricEigen {
  /** Matrix size. */
  readonly n: number;
  /** The eigenvalues, ascending. */
  readonly values: Float64Array;
  /** The eigenvectors as columns: `vectors[i·n + j]` is component i of eigenvector j. */
  readonly vectors: Float64Array;
  private readonly tmp: Float64Array;

  private constructor(n: number, values: Float64Array, vectors: Float64Array) {
    this.n = n;
    this.values = values;
    this.vectors = vectors;
    this.tmp = new Float64Array(n);
  }

  /**
   * Decomposes the n × n row-major symmetric matrix A (not modified).
   *
   * @param where name used in error messages (default `'eigen'`)
   * @throws ShapeError for a wrong length; DataError for non-finite entries; DomainError if A is
   *   not symmetric or the QR iteration does not converge.
   * @example
   * ```ts
   * const { values, vectors } = SymmetricEigen.decompose(S, n);
   * ```
   */
  static decompose(A: Float64Array, n: number, where = "eigen"): SymmetricEigen {
    checkSquare(where, A, n);
    checkSymmetric(where, A, n);
    const values = new Float64Array(n);
    const vectors = new Float64Array(n * n);
    const ld = Math.max(1, n);
    const info = dsyevOffset(n, A, ld, 0, values, 0, vectors, ld, 0, new Float64Array(dsyevWorkSize(n)), 0);
    if (info !== 0) {
      throw new DomainError({
        where,
        what: "the symmetric QR iteration did not converge",
        got: `${info} unconverged off-diagonal entries`,
        expected: "0",
        hint: "this should not happen for finite symmetric input; please report the matrix.",
      });
    }
    return new SymmetricEigen(n, values, vectors);
  }

  /**
   * The default threshold below which an eigenvalue counts as zero: n·eps·max|w|.
   *
   * @example
   * ```ts
   * eig.tolerance();
   * ```
   */
  tolerance(): number {
    const n = this.n;
    if (n === 0) return 0;
    return n * EPS * Math.max(Math.abs(this.values[0]), Math.abs(this.values[n - 1]));
  }

  /**
   * The number of eigenvalues with |w| > tol.
   *
   * @example
   * ```ts
   * SymmetricEigen.decompose(Float64Array.of(1, 1, 1, 1), 2).rank(); // 1
   * ```
   */
  rank(tol = this.tolerance()): number {
    let r = 0;
    for (const w of this.values) if (Math.abs(w) > tol) r++;
    return r;
  }

  /**
   * The matrix V·diag(w)·Vᵀ (n × n row-major): A again, up to rounding.
   *
   * @example
   * ```ts
   * eig.reconstruct();
   * ```
   */
  reconstruct(): Float64Array {
    const n = this.n;
    const scaled = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) scaled[i * n + j] = this.vectors[i * n + j] * this.values[j];
    const out = new Float64Array(n * n);
    const ld = Math.max(1, n);
    activeKernels().dgemm("N", "T", n, n, n, 1, scaled, ld, 0, this.vectors, ld, 0, 0, out, ld, 0);
    return out;
  }

  /**
   * out = A⁺·b with the Moore–Penrose pseudo-inverse A⁺ = Σ_{|wᵢ| > tol} vᵢvᵢᵀ / wᵢ: the
   * minimum-norm least-squares solution, A⁻¹·b when A is non-singular. `out` may be `b`.
   *
   * @example
   * ```ts
   * eig.solve(b, x);
   * ```
   */
  solve(b: Float64Array, out: Float64Array = new Float64Array(this.n), tol = this.tolerance()): Float64Array {
    checkLength("SymmetricEigen.solve", "b", b, this.n, "n");
    checkLength("SymmetricEigen.solve", "out", out, this.n, "n");
    const n = this.n;
    const ld = Math.max(1, n);
    const kernels = activeKernels();
    // tmp = Vᵀb, scaled by 1/w (dropping the null space), then out = V·tmp.
    kernels.dgemv("T", n, n, 1, this.vectors, ld, 0, b, 1, 0, 0, this.tmp, 1, 0);
    for (let j = 0; j < n; j++) {
      const w = this.values[j];
      this.tmp[j] = Math.abs(w) > tol ? this.tmp[j] / w : 0;
    }
    kernels.dgemv("N", n, n, 1, this.vectors, ld, 0, this.tmp, 1, 0, 0, out, 1, 0);
    return out;
  }
}
