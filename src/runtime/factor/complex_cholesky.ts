/**
 * The Cholesky factorisation A = L·Lᴴ of a Hermitian positive-definite complex matrix.
 *
 * @module
 */
import { DomainError } from "../../core/errors.js";
import { zpotrfOffset, zpotrsOffset } from "../../kernels/zcholesky.js";
import { checkLength, checkSquare, SYMMETRY_TOLERANCE, shortNumber } from "../operators/validate.js";
import { type CholeskyOptions, factorWithJitter } from "./jitter.js";

/**
 * A = L·Lᴴ for a Hermitian positive-definite n × n complex matrix, row-major with interleaved
 * (re, im) entries (Hermitian symmetry is checked, then the upper triangle is used). Stored as
 * U = Lᴴ. Same jitter policy and error messages as the real `Cholesky`. Used for complex Gaussian
 * models (e.g. narrowband array signals) where covariances are Hermitian.
 *
 * @example
 * ```ts
 * // A = [[4, 2i], [-2i, 5]]
 * const chol = ComplexCholesky.factor(Float64Array.of(4, 0, 0, 2, 0, -2, 5, 0), 2);
 * chol.solve(Float64Array.of(4, 2, 5, -2)); // [1, 0, 1, 0], i.e. x = [1, 1]
 * chol.logDet(); // log 16
 * ```
 */
export class ComplexCholesky {
  /** Matrix size (complex entries per row). */
  readonly n: number;
  private jitterUsed = 0;
  private logDetValue = 0;
  private readonly options: CholeskyOptions;
  /** U = Lᴴ, upper triangle, interleaved; the strict lower triangle is zero. */
  private readonly u: Float64Array;

  private constructor(n: number, options: CholeskyOptions) {
    this.n = n;
    this.options = options;
    this.u = new Float64Array(2 * n * n);
  }

  /**
   * Factors the Hermitian n × n interleaved matrix A (2·n² numbers, not modified).
   *
   * @throws ShapeError for a wrong length; DataError for non-finite entries; DomainError if A is
   *   not Hermitian, or not positive definite under the jitter policy (the failing pivot named).
   * @example
   * ```ts
   * const chol = ComplexCholesky.factor(R, n, { jitter: "auto" });
   * ```
   */
  static factor(A: Float64Array, n: number, options: CholeskyOptions = {}): ComplexCholesky {
    const where = options.where ?? "complex cholesky";
    checkSquare(where, A, n, 2);
    checkHermitian(where, A, n);
    const chol = new ComplexCholesky(n, { ...options, where });
    chol.run(A);
    return chol;
  }

  /**
   * The ε added to the diagonal by the `'auto'` jitter policy (0 when none was needed).
   *
   * @example
   * ```ts
   * chol.jitter;
   * ```
   */
  get jitter(): number {
    return this.jitterUsed;
  }

  /**
   * out = A⁻¹·b for an interleaved complex b (2n numbers). `out` may be `b`.
   *
   * @example
   * ```ts
   * const x = chol.solve(b);
   * ```
   */
  solve(b: Float64Array, out: Float64Array = new Float64Array(2 * this.n)): Float64Array {
    const where = `${this.options.where}.solve`;
    checkLength(where, "b", b, 2 * this.n, "2n (interleaved complex)");
    checkLength(where, "out", out, 2 * this.n, "2n (interleaved complex)");
    if (out !== b) out.set(b);
    zpotrsOffset("U", this.n, 1, this.u, Math.max(1, this.n), 0, out, 1, 0);
    return out;
  }

  /**
   * log |A| = 2·Σ log Lᵢᵢ (real: the determinant of a Hermitian positive-definite matrix is positive).
   *
   * @example
   * ```ts
   * chol.logDet();
   * ```
   */
  logDet(): number {
    return this.logDetValue;
  }

  /**
   * A copy of L = Uᴴ, interleaved n × n row-major with zeros above the diagonal.
   *
   * @example
   * ```ts
   * const L = chol.lower();
   * ```
   */
  lower(): Float64Array {
    const n = this.n;
    const L = new Float64Array(2 * n * n);
    for (let i = 0; i < n; i++) {
      for (let j = i; j < n; j++) {
        L[2 * (j * n + i)] = this.u[2 * (i * n + j)];
        L[2 * (j * n + i) + 1] = -this.u[2 * (i * n + j) + 1];
      }
    }
    return L;
  }

  private run(A: Float64Array): void {
    const n = this.n;
    const u = this.u;
    let trace = 0;
    for (let i = 0; i < n; i++) trace += A[2 * (i * n + i)];
    this.jitterUsed = factorWithJitter(n > 0 ? trace / n : 0, this.options, {
      load(jitter) {
        u.set(A);
        if (jitter !== 0) for (let i = 0; i < n; i++) u[2 * (i * n + i)] += jitter;
      },
      factor: () => zpotrfOffset("U", n, u, Math.max(1, n), 0),
      pivotValue(p, jitter) {
        let s = A[2 * (p * n + p)] + jitter;
        for (let q = 0; q < p; q++) {
          const re = u[2 * (q * n + p)];
          const im = u[2 * (q * n + p) + 1];
          s -= re * re + im * im;
        }
        return s;
      },
    });
    let logDet = 0;
    for (let i = 0; i < n; i++) {
      u.fill(0, 2 * i * n, 2 * (i * n + i));
      logDet += Math.log(u[2 * (i * n + i)]);
    }
    this.logDetValue = 2 * logDet;
  }
}

/**
 * Throws a DomainError unless A[j, i] = conj(A[i, j]) and the diagonal is real, to
 * {@link SYMMETRY_TOLERANCE} of the largest |entry|.
 */
function checkHermitian(where: string, A: Float64Array, n: number): void {
  let amax = 0;
  for (let i = 0; i < A.length; i += 2) amax = Math.max(amax, Math.hypot(A[i], A[i + 1]));
  const tol = SYMMETRY_TOLERANCE * amax;
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const ar = A[2 * (i * n + j)];
      const ai = A[2 * (i * n + j) + 1];
      const br = A[2 * (j * n + i)];
      const bi = A[2 * (j * n + i) + 1];
      if (Math.hypot(ar - br, ai + bi) > tol) {
        throw new DomainError({
          where,
          what: i === j ? "matrix diagonal is not real" : "matrix is not Hermitian",
          got:
            i === j
              ? `A[${i}, ${i}] = ${shortNumber(ar)} + ${shortNumber(ai)}i`
              : `A[${i}, ${j}] = ${shortNumber(ar)} + ${shortNumber(ai)}i but A[${j}, ${i}] = ${shortNumber(br)} + ${shortNumber(bi)}i`,
          expected: `A[j, i] = conj(A[i, j]) (to ${SYMMETRY_TOLERANCE} of the largest entry)`,
          hint: "if the difference is rounding, pass (A + Aᴴ)/2.",
        });
      }
    }
  }
}
