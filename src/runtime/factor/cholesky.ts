/**
 * The Cholesky factorisation A = L·Lᵀ of a symmetric positive-definite matrix, as an object with
 * solves, log-determinant, inverse and the triangular products samplers need.
 *
 * @module
 */
import { dtrsvOffset } from "../../kernels/blas2.js";
import { dtrsmOffset } from "../../kernels/blas3.js";
import { dpotrsOffset } from "../../kernels/cholesky.js";
import { activeKernels } from "../kernel_provider.js";
import { ownedFloat64 } from "../operators/kernel_memory.js";
import { checkLength, checkSquare, checkSymmetric } from "../operators/validate.js";
import { type CholeskyOptions, factorWithJitter } from "./jitter.js";

export type { CholeskyOptions } from "./jitter.js";

/**
 * A = L·Lᵀ for a symmetric positive-definite n × n matrix (row-major; symmetry is checked, then
 * the upper triangle is used). The factor is computed by the active kernel set's `dpotrf` and
 * stored as U = Lᵀ (upper, row-major), so every triangular sweep runs along contiguous rows.
 *
 * Jitter policy: by default a matrix that is not numerically positive definite is an error that
 * names the failing pivot; with `{ jitter: 'auto' }` the factorisation retries on A + εI with
 * growing ε (see {@link CholeskyOptions}) and reports the ε used in {@link Cholesky.jitter}.
 *
 * Every method takes an optional `out`; pass one in loops to avoid allocation. `out` may be the
 * input vector itself.
 *
 * @example
 * ```ts
 * const chol = Cholesky.factor(Float64Array.of(4, 2, 2, 5), 2);
 * chol.solve(Float64Array.of(6, 7)); // [1, 1]
 * chol.logDet(); // log 16
 * const x = chol.multiplyLower(z); // a N(0, A) draw from a standard normal z
 * ```
 */
export class Cholesky {
  /** Matrix size. */
  readonly n: number;
  private jitterUsed = 0;
  private logDetValue = 0;
  private readonly options: CholeskyOptions;
  /** U = Lᵀ, upper triangle, strict lower triangle zero (so dgemv can use it as a full matrix). */
  private readonly u: Float64Array;
  private readonly tmp: Float64Array;
  /** U⁻¹ for inverse/inverseDiagonal, allocated on first use and recomputed after refactor. */
  private uInverse: Float64Array | undefined;
  private uInverseReady = false;

  private constructor(n: number, options: CholeskyOptions) {
    this.n = n;
    this.options = options;
    this.u = ownedFloat64(this, n * n);
    this.tmp = new Float64Array(n);
  }

  /**
   * Factors the n × n row-major matrix A (not modified).
   *
   * @throws ShapeError if A does not hold n² numbers; DataError for non-finite entries;
   *   DomainError if A is not symmetric, or not positive definite under the jitter policy:
   *   `"cholesky: matrix is not positive definite — got pivot 37 = -0.0021, expected > 0. Hint: …"`
   *   (pivots are 0-based rows).
   * @example
   * ```ts
   * const chol = Cholesky.factor(K, n, { jitter: "auto" });
   * chol.jitter; // the ε that was added (0 if none was needed)
   * ```
   */
  static factor(A: Float64Array, n: number, options: CholeskyOptions = {}): Cholesky {
    const where = options.where ?? "cholesky";
    checkSquare(where, A, n);
    const chol = new Cholesky(n, options);
    chol.run(A);
    return chol;
  }

  /**
   * Factors a new matrix of the same size into this object's storage (same options), for loops
   * that refactor every step without allocating. On failure it throws and this object is unusable
   * until the next successful refactor.
   *
   * @example
   * ```ts
   * chol.refactor(nextCovariance);
   * ```
   */
  refactor(A: Float64Array): this {
    checkSquare(this.options.where ?? "cholesky", A, this.n);
    this.run(A);
    return this;
  }

  /**
   * The ε added to the diagonal by the `'auto'` jitter policy (0 when none was needed).
   *
   * @example
   * ```ts
   * if (chol.jitter > 0) console.warn(`added ${chol.jitter} to the diagonal`);
   * ```
   */
  get jitter(): number {
    return this.jitterUsed;
  }

  /**
   * out = A⁻¹·b (with the jitter, if any: (A + εI)⁻¹·b).
   *
   * @example
   * ```ts
   * const x = chol.solve(b);
   * ```
   */
  solve(b: Float64Array, out: Float64Array = new Float64Array(this.n)): Float64Array {
    this.checkVectors("solve", "b", b, out);
    if (out !== b) out.set(b);
    dpotrsOffset("U", this.n, 1, this.u, this.ld, 0, out, 1, 0);
    return out;
  }

  /**
   * X = A⁻¹·B for B n × nrhs row-major (one right-hand side per column).
   *
   * @example
   * ```ts
   * const X = chol.solveMatrix(B, 3); // B is n × 3
   * ```
   */
  solveMatrix(B: Float64Array, nrhs: number, out: Float64Array = new Float64Array(this.n * nrhs)): Float64Array {
    const where = `${this.options.where ?? "cholesky"}.solveMatrix`;
    checkLength(where, "B", B, this.n * nrhs, `n · nrhs = ${this.n} · ${nrhs}`);
    checkLength(where, "out", out, this.n * nrhs, `n · nrhs = ${this.n} · ${nrhs}`);
    if (out !== B) out.set(B);
    dpotrsOffset("U", this.n, nrhs, this.u, this.ld, 0, out, Math.max(1, nrhs), 0);
    return out;
  }

  /**
   * log |A| = 2·Σ log Lᵢᵢ (natural logarithm).
   *
   * @example
   * ```ts
   * const logDensity = -0.5 * (quad + chol.logDet() + n * Math.log(2 * Math.PI));
   * ```
   */
  logDet(): number {
    return this.logDetValue;
  }

  /**
   * A copy of L, n × n row-major with zeros above the diagonal (the layout
   * `sampleMultivariateNormal` takes).
   *
   * @example
   * ```ts
   * const L = chol.lower();
   * ```
   */
  lower(): Float64Array {
    const n = this.n;
    const L = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = i; j < n; j++) L[j * n + i] = this.u[i * n + j];
    return L;
  }

  /**
   * A copy of U = Lᵀ, n × n row-major with zeros below the diagonal.
   *
   * @example
   * ```ts
   * const U = chol.upper();
   * ```
   */
  upper(): Float64Array {
    return Float64Array.from(this.u);
  }

  /**
   * out = L·z. With z standard normal, out ~ N(0, A): A is a covariance.
   *
   * @example
   * ```ts
   * chol.multiplyLower(z, x); // then add the mean
   * ```
   */
  multiplyLower(z: Float64Array, out: Float64Array = new Float64Array(this.n)): Float64Array {
    return this.triangularProduct("multiplyLower", "T", z, out);
  }

  /**
   * out = Lᵀ·z.
   *
   * @example
   * ```ts
   * chol.multiplyUpper(z, out);
   * ```
   */
  multiplyUpper(z: Float64Array, out: Float64Array = new Float64Array(this.n)): Float64Array {
    return this.triangularProduct("multiplyUpper", "N", z, out);
  }

  /**
   * out = L⁻¹·b (whitening: if b ~ N(0, A) then out ~ N(0, I)).
   *
   * @example
   * ```ts
   * const w = chol.solveLower(residual); // ‖w‖² = residualᵀ A⁻¹ residual
   * ```
   */
  solveLower(b: Float64Array, out: Float64Array = new Float64Array(this.n)): Float64Array {
    this.checkVectors("solveLower", "b", b, out);
    if (out !== b) out.set(b);
    dtrsvOffset("U", "T", "N", this.n, this.u, this.ld, 0, out, 1, 0);
    return out;
  }

  /**
   * out = L⁻ᵀ·b. With b standard normal, out ~ N(0, A⁻¹): A is a precision.
   *
   * @example
   * ```ts
   * chol.solveUpper(z, x); // a draw from N(0, Q⁻¹) for Q = A
   * ```
   */
  solveUpper(b: Float64Array, out: Float64Array = new Float64Array(this.n)): Float64Array {
    this.checkVectors("solveUpper", "b", b, out);
    if (out !== b) out.set(b);
    dtrsvOffset("U", "N", "N", this.n, this.u, this.ld, 0, out, 1, 0);
    return out;
  }

  /**
   * out[i] = (A⁻¹)ᵢᵢ — e.g. posterior variances when A is a posterior precision. Costs one
   * triangular inversion (O(n³)) the first time after each factorisation.
   *
   * @example
   * ```ts
   * const variances = chol.inverseDiagonal();
   * ```
   */
  inverseDiagonal(out: Float64Array = new Float64Array(this.n)): Float64Array {
    checkLength(`${this.options.where ?? "cholesky"}.inverseDiagonal`, "out", out, this.n, "n");
    const n = this.n;
    const inv = this.upperInverse();
    // A⁻¹ = U⁻¹·U⁻ᵀ, so (A⁻¹)ᵢᵢ is the squared norm of row i of the upper-triangular U⁻¹.
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = i; j < n; j++) s += inv[i * n + j] * inv[i * n + j];
      out[i] = s;
    }
    return out;
  }

  /**
   * The full inverse A⁻¹, n × n row-major (symmetric). Prefer {@link solve} when a product with
   * A⁻¹ is all that is needed.
   *
   * @example
   * ```ts
   * const covariance = Cholesky.factor(precision, n).inverse();
   * ```
   */
  inverse(out: Float64Array = new Float64Array(this.n * this.n)): Float64Array {
    const n = this.n;
    checkLength(`${this.options.where ?? "cholesky"}.inverse`, "out", out, n * n, "n · n");
    const inv = this.upperInverse();
    activeKernels().dsyrk("U", "N", n, n, 1, inv, this.ld, 0, 0, out, this.ld, 0);
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) out[i * n + j] = out[j * n + i];
    return out;
  }

  private get ld(): number {
    return Math.max(1, this.n);
  }

  private run(A: Float64Array): void {
    const n = this.n;
    const where = this.options.where ?? "cholesky";
    checkSymmetric(where, A, n);
    const u = this.u;
    const kernels = activeKernels();
    let trace = 0;
    for (let i = 0; i < n; i++) trace += A[i * n + i];
    this.uInverseReady = false;
    this.jitterUsed = factorWithJitter(n > 0 ? trace / n : 0, this.options, {
      load(jitter) {
        u.set(A);
        if (jitter !== 0) for (let i = 0; i < n; i++) u[i * n + i] += jitter;
      },
      factor: () => kernels.dpotrf("U", n, u, Math.max(1, n), 0),
      // Rows before the failing pivot hold their final values, so its Schur complement is
      // A[p, p] + ε − Σ_{q<p} U[q, p]².
      pivotValue(p, jitter) {
        let s = A[p * n + p] + jitter;
        for (let q = 0; q < p; q++) s -= u[q * n + p] * u[q * n + p];
        return s;
      },
    });
    // Zero the strict lower triangle (it still holds A) so U can go through dense kernels.
    let logDet = 0;
    for (let i = 0; i < n; i++) {
      u.fill(0, i * n, i * n + i);
      logDet += Math.log(u[i * n + i]);
    }
    this.logDetValue = 2 * logDet;
  }

  private checkVectors(method: string, name: string, input: Float64Array, out: Float64Array): void {
    const where = `${this.options.where ?? "cholesky"}.${method}`;
    checkLength(where, name, input, this.n, "n");
    checkLength(where, "out", out, this.n, "n");
  }

  /** out = Uᵀz ('T', i.e. L·z) or U·z ('N') through dgemv; out may alias z. */
  private triangularProduct(method: string, trans: "N" | "T", z: Float64Array, out: Float64Array): Float64Array {
    this.checkVectors(method, "z", z, out);
    const target = out === z ? this.tmp : out;
    activeKernels().dgemv(trans, this.n, this.n, 1, this.u, this.ld, 0, z, 1, 0, 0, target, 1, 0);
    if (target !== out) out.set(target);
    return out;
  }

  private upperInverse(): Float64Array {
    const n = this.n;
    this.uInverse ??= ownedFloat64(this, n * n);
    const inv = this.uInverse;
    if (!this.uInverseReady) {
      inv.fill(0);
      for (let i = 0; i < n; i++) inv[i * n + i] = 1;
      dtrsmOffset("L", "U", "N", "N", n, n, 1, this.u, this.ld, 0, inv, this.ld, 0);
      this.uInverseReady = true;
    }
    return inv;
  }
}
