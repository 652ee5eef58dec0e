/**
 * The symmetric positive-definite matrix D + U·C·Uᵀ with solve and log-determinant.
 *
 * @module
 */
import { DataError, DomainError, ShapeError } from "../../core/errors.js";
import { dpotrsOffset } from "../../kernels/cholesky.js";
import { dsyevOffset, dsyevWorkSize } from "../../kernels/eigen.js";
import { activeKernels } from "../kernel_provider.js";
import type { LinearOperator } from "../linear_operator.js";
import { ownedFloat64 } from "./kernel_memory.js";
import { checkLength, checkSymmetric, denseInput, type NestedRows, shortNumber } from "./validate.js";

/**
 * The middle factor C of D + U·C·Uᵀ (identity when neither is given).
 *
 * @example
 * ```ts
 * const core: LowRankCore = { coreDiagonal: gamma };
 * ```
 */
export interface LowRankCore {
  /** C = diag(coreDiagonal): k entries ≥ 0, e.g. the prior variances γ of sparse Bayesian learning. */
  readonly coreDiagonal?: ArrayLike<number>;
  /** C as a dense k × k symmetric positive semi-definite matrix (row-major or nested rows). */
  readonly coreMatrix?: Float64Array | NestedRows;
}

/**
 * New parts for {@link LowRankPlusDiagonal.update}; omitted parts keep their values.
 *
 * @example
 * ```ts
 * const parts: LowRankPlusDiagonalUpdate = { diagonal: noise, coreDiagonal: gamma };
 * ```
 */
export interface LowRankPlusDiagonalUpdate extends LowRankCore {
  /** New diagonal D (n entries > 0). */
  readonly diagonal?: ArrayLike<number>;
}

/** Relative size below which a negative eigenvalue of a PSD core is rounding and is clamped to 0. */
const CORE_EIGEN_TOLERANCE = 1e-10;

/**
 * A = D + U·C·Uᵀ with D = diag(d) positive (n × n), U an n × k factor and C symmetric positive
 * semi-definite (identity, diagonal or dense): the covariance of a Gaussian process with a
 * low-rank kernel plus noise, or the marginal covariance σ²I + Φ·Γ·Φᵀ of dual-form sparse Bayesian
 * learning. Symmetric, so `applyTranspose` is `apply`.
 *
 * C is first folded into the factor, W = U·C^{1/2} (column scaling for a diagonal C, an
 * eigendecomposition for a dense one), so that A = D + W·Wᵀ. Then:
 * - when k < n, {@link solve} uses the Woodbury identity
 *   A⁻¹ = D⁻¹ − D⁻¹W·(I + WᵀD⁻¹W)⁻¹·WᵀD⁻¹ with a k × k Cholesky factor, and {@link logDet} the
 *   matrix determinant lemma log|A| = Σ log dᵢ + log|I + WᵀD⁻¹W| — O(n·k²) work, O(n·k) memory;
 * - when k ≥ n, the capacitance matrix would be no smaller than A, so A is formed (n × n) and
 *   factored directly — O(n²·k + n³) work, which is then the cheaper route.
 * Both need only d > 0: the capacitance I + WᵀD⁻¹W has every eigenvalue ≥ 1.
 *
 * {@link update} replaces D and/or C and refactors in place without allocating, for iterative
 * methods that change them every step.
 *
 * @example
 * ```ts
 * // 0.1·I + U·diag(γ)·Uᵀ with U = [[1, 0], [1, 1], [0, 1]]
 * const A = new LowRankPlusDiagonal([0.1, 0.1, 0.1], [[1, 0], [1, 1], [0, 1]], { coreDiagonal: [2, 3] });
 * const x = new Float64Array(3);
 * A.solve(Float64Array.of(1, 2, 3), x); // x = A⁻¹ b
 * A.logDet(); // log |A|
 * ```
 */
export class LowRankPlusDiagonal implements LinearOperator {
  /** n. */
  readonly rows: number;
  /** n. */
  readonly cols: number;
  /** k, the number of columns of U. */
  readonly rank: number;
  /** Always `'low_rank_plus_diagonal'`. */
  readonly kind = "low_rank_plus_diagonal";
  /** Whether solves go through the k × k capacitance (k < n) rather than the formed n × n matrix. */
  readonly woodbury: boolean;
  private readonly d: Float64Array;
  private readonly U: Float64Array;
  /** W = U·C^{1/2} (n × k), so that A = D + W·Wᵀ. */
  private readonly W: Float64Array;
  /** Woodbury: D^{-1/2}·W while factoring, W·(WᵀW) in diagGram. Unused (empty) on the dense route. */
  private readonly scratchNk: Float64Array;
  /** Woodbury: Cholesky factor of I + WᵀD⁻¹W (k × k, upper). Dense: Cholesky factor of A (n × n, upper). */
  private readonly factor: Float64Array;
  /** Woodbury: WᵀW for diagGram (k × k), computed on first use after each update. */
  private readonly gram: Float64Array;
  private gramReady = false;
  private readonly tk: Float64Array;
  private readonly tn: Float64Array;
  /** Eigendecomposition space for a dense core, allocated on first use (k² can be large). */
  private coreSpace:
    | { values: Float64Array; vectors: Float64Array; root: Float64Array; work: Float64Array }
    | undefined;
  private logDetValue = 0;

  /**
   * @param diagonal the n entries of D, all > 0
   * @param factor U, n × k: row-major with k = length / n, or n nested rows of k entries
   * @param core C (default identity)
   * @throws ShapeError for sizes that disagree; DataError for non-finite entries; DomainError for
   *   a non-positive diagonal entry or a core that is not positive semi-definite.
   * @example
   * ```ts
   * const A = new LowRankPlusDiagonal(noise, Phi, { coreDiagonal: gamma });
   * ```
   */
  constructor(diagonal: ArrayLike<number>, factor: Float64Array | NestedRows, core: LowRankCore = {}) {
    const where = "LowRankPlusDiagonal";
    const n = diagonal.length;
    let k: number;
    let data: Float64Array;
    if (factor instanceof Float64Array) {
      k = n === 0 ? 0 : factor.length / n;
      if (!Number.isInteger(k) || (n === 0 && factor.length !== 0)) {
        throw new ShapeError({
          where,
          what: "the factor's length is not a multiple of the diagonal's length n",
          got: String(factor.length),
          expected: `n·k for n = ${n}`,
        });
      }
      data = denseInput(where, factor, n, k).data;
    } else {
      const m = denseInput(where, factor);
      if (m.rows !== n) {
        throw new ShapeError({
          where,
          what: "the factor must have one row per diagonal entry",
          got: `${m.rows} rows`,
          expected: String(n),
        });
      }
      k = m.cols;
      data = m.data;
    }
    this.rows = n;
    this.cols = n;
    this.rank = k;
    this.woodbury = k < n;
    this.d = new Float64Array(n);
    this.U = ownedFloat64(this, n * k);
    this.U.set(data);
    this.W = ownedFloat64(this, n * k);
    this.scratchNk = this.woodbury ? ownedFloat64(this, n * k) : new Float64Array(0);
    this.factor = this.woodbury ? ownedFloat64(this, k * k) : ownedFloat64(this, n * n);
    this.gram = this.woodbury ? ownedFloat64(this, k * k) : new Float64Array(0);
    this.tk = new Float64Array(k);
    this.tn = new Float64Array(n);
    checkDiagonal(where, diagonal);
    this.d.set(diagonal);
    this.setCore(where, core);
    this.refactor();
  }

  /**
   * Replaces D and/or C (omitted parts are kept) and refactors in place, without allocating
   * for Float64Array inputs (a dense core's workspace is allocated once, on first use).
   *
   * @throws the constructor's errors for the new parts; the operator is then unchanged.
   * @example
   * ```ts
   * A.update({ coreDiagonal: newGamma }); // next EM step
   * A.update({ diagonal: noise });
   * ```
   */
  update(parts: LowRankPlusDiagonalUpdate): void {
    const where = "LowRankPlusDiagonal.update";
    // Validate every part before changing any, so a rejected update leaves the operator intact.
    if (parts.diagonal !== undefined) {
      checkLength(where, "diagonal", parts.diagonal, this.rows, "n");
      checkDiagonal(where, parts.diagonal);
    }
    if (parts.coreDiagonal !== undefined || parts.coreMatrix !== undefined) this.setCore(where, parts);
    if (parts.diagonal !== undefined) this.d.set(parts.diagonal);
    this.refactor();
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
    checkLength("LowRankPlusDiagonal.apply", "x", x, this.cols, "n");
    checkLength("LowRankPlusDiagonal.apply", "y", y, this.rows, "n");
    this.product(x, y, alpha, beta);
  }

  /**
   * Same as {@link apply}: A is symmetric.
   *
   * @example
   * ```ts
   * A.applyTranspose(x, y);
   * ```
   */
  applyTranspose(x: Float64Array, y: Float64Array, alpha = 1, beta = 0): void {
    checkLength("LowRankPlusDiagonal.applyTranspose", "x", x, this.rows, "n");
    checkLength("LowRankPlusDiagonal.applyTranspose", "y", y, this.cols, "n");
    this.product(x, y, alpha, beta);
  }

  /**
   * out = A⁻¹·b. `out` may be `b` itself. Allocates only when `out` is omitted.
   *
   * @throws ShapeError when b or out does not have n entries.
   * @example
   * ```ts
   * const x = A.solve(b); // or A.solve(b, x) in a loop
   * ```
   */
  solve(b: Float64Array, out: Float64Array = new Float64Array(this.rows)): Float64Array {
    checkLength("LowRankPlusDiagonal.solve", "b", b, this.rows, "n");
    checkLength("LowRankPlusDiagonal.solve", "out", out, this.rows, "n");
    const n = this.rows;
    const k = this.rank;
    const d = this.d;
    if (!this.woodbury) {
      if (out !== b) out.set(b);
      dpotrsOffset("U", n, 1, this.factor, Math.max(1, n), 0, out, 1, 0);
      return out;
    }
    const kernels = activeKernels();
    const ldw = Math.max(1, k);
    // out = D⁻¹b; t = (I + WᵀD⁻¹W)⁻¹·Wᵀ·out; out -= D⁻¹·W·t.
    for (let i = 0; i < n; i++) out[i] = b[i] / d[i];
    kernels.dgemv("T", n, k, 1, this.W, ldw, 0, out, 1, 0, 0, this.tk, 1, 0);
    dpotrsOffset("U", k, 1, this.factor, ldw, 0, this.tk, 1, 0);
    kernels.dgemv("N", n, k, 1, this.W, ldw, 0, this.tk, 1, 0, 0, this.tn, 1, 0);
    for (let i = 0; i < n; i++) out[i] -= this.tn[i] / d[i];
    return out;
  }

  /**
   * log |A| (natural logarithm), computed at construction or update.
   *
   * @example
   * ```ts
   * const logEvidence = -0.5 * (A.logDet() + quad + n * Math.log(2 * Math.PI));
   * ```
   */
  logDet(): number {
    return this.logDetValue;
  }

  /**
   * out[j] = Σᵢ A[i, j]² = d_j² + 2·d_j·‖w_j‖² + w_jᵀ(WᵀW)w_j, with w_j row j of W.
   *
   * @example
   * ```ts
   * const g = new Float64Array(A.cols);
   * A.diagGram(g);
   * ```
   */
  diagGram(out: Float64Array): void {
    checkLength("LowRankPlusDiagonal.diagGram", "out", out, this.cols, "n");
    const n = this.rows;
    const k = this.rank;
    const ldw = Math.max(1, k);
    const { d, W } = this;
    const kernels = activeKernels();
    if (this.woodbury) {
      if (!this.gramReady) {
        kernels.dgemm("T", "N", k, k, n, 1, W, ldw, 0, W, ldw, 0, 0, this.gram, ldw, 0);
        this.gramReady = true;
      }
      // scratchNk = W·(WᵀW); then (P²)_jj = w_j · (row j of scratchNk).
      kernels.dgemm("N", "N", n, k, k, 1, W, ldw, 0, this.gram, ldw, 0, 0, this.scratchNk, ldw, 0);
      for (let j = 0; j < n; j++) {
        let pjj = 0;
        let p2jj = 0;
        for (let a = 0; a < k; a++) {
          const w = W[j * k + a];
          pjj += w * w;
          p2jj += w * this.scratchNk[j * k + a];
        }
        out[j] = d[j] * d[j] + 2 * d[j] * pjj + p2jj;
      }
      return;
    }
    // k ≥ n: row i of A is W·w_i + d_i·e_i, formed one row at a time.
    out.fill(0);
    for (let i = 0; i < n; i++) {
      kernels.dgemv("N", n, k, 1, W, ldw, 0, W, 1, i * k, 0, this.tn, 1, 0);
      this.tn[i] += d[i];
      for (let j = 0; j < n; j++) out[j] += this.tn[j] * this.tn[j];
    }
  }

  /**
   * The dense n × n matrix D + U·C·Uᵀ.
   *
   * @example
   * ```ts
   * A.toDense();
   * ```
   */
  toDense(): Float64Array {
    const n = this.rows;
    const k = this.rank;
    const out = new Float64Array(n * n);
    const ldw = Math.max(1, k);
    activeKernels().dgemm("N", "T", n, n, k, 1, this.W, ldw, 0, this.W, ldw, 0, 0, out, Math.max(1, n), 0);
    for (let i = 0; i < n; i++) out[i * n + i] += this.d[i];
    return out;
  }

  private product(x: Float64Array, y: Float64Array, alpha: number, beta: number): void {
    const n = this.rows;
    const k = this.rank;
    const ldw = Math.max(1, k);
    const d = this.d;
    if (alpha === 0) {
      if (beta === 0) y.fill(0);
      else if (beta !== 1) for (let i = 0; i < n; i++) y[i] *= beta;
      return;
    }
    const kernels = activeKernels();
    kernels.dgemv("T", n, k, 1, this.W, ldw, 0, x, 1, 0, 0, this.tk, 1, 0);
    if (beta === 0) for (let i = 0; i < n; i++) y[i] = alpha * d[i] * x[i];
    else for (let i = 0; i < n; i++) y[i] = alpha * d[i] * x[i] + beta * y[i];
    kernels.dgemv("N", n, k, alpha, this.W, ldw, 0, this.tk, 1, 0, 1, y, 1, 0);
  }

  /** W = U·C^{1/2}; validates the core completely before writing W. */
  private setCore(where: string, core: LowRankCore): void {
    const n = this.rows;
    const k = this.rank;
    const { U, W } = this;
    this.gramReady = false;
    if (core.coreDiagonal !== undefined && core.coreMatrix !== undefined) {
      throw new ShapeError({
        where,
        what: "give coreDiagonal or coreMatrix, not both",
        got: "both",
        expected: "at most one",
      });
    }
    if (core.coreDiagonal !== undefined) {
      const c = core.coreDiagonal;
      checkLength(where, "coreDiagonal", c, k, "the rank k, the factor's column count");
      for (let a = 0; a < k; a++) {
        if (!(c[a] >= 0) || c[a] === Number.POSITIVE_INFINITY) {
          const Err = Number.isFinite(c[a]) ? DomainError : DataError;
          throw new Err({
            where,
            what: `coreDiagonal entry ${a} must be non-negative and finite`,
            got: shortNumber(c[a]),
            expected: ">= 0",
          });
        }
      }
      for (let i = 0; i < n; i++) {
        for (let a = 0; a < k; a++) W[i * k + a] = U[i * k + a] * Math.sqrt(c[a]);
      }
      return;
    }
    if (core.coreMatrix === undefined) {
      W.set(U);
      return;
    }
    const C = denseInput(where, core.coreMatrix, k, k);
    if (C.rows !== k || C.cols !== k) {
      throw new ShapeError({
        where,
        what: "coreMatrix must be k × k for the factor's k columns",
        got: `${C.rows} × ${C.cols}`,
        expected: `${k} × ${k}`,
      });
    }
    checkSymmetric(`${where} coreMatrix`, C.data, k);
    this.coreSpace ??= {
      values: new Float64Array(k),
      vectors: new Float64Array(k * k),
      root: new Float64Array(k * k),
      work: new Float64Array(dsyevWorkSize(k)),
    };
    const { values, vectors, root, work } = this.coreSpace;
    const info = dsyevOffset(k, C.data, k, 0, values, 0, vectors, k, 0, work, 0);
    if (info !== 0) {
      throw new DomainError({
        where,
        what: "the eigendecomposition of coreMatrix did not converge",
        got: `${info} unconverged entries`,
        expected: "0",
      });
    }
    const top = Math.max(Math.abs(values[0]), Math.abs(values[k - 1]));
    if (values[0] < -CORE_EIGEN_TOLERANCE * top) {
      throw new DomainError({
        where,
        what: "coreMatrix is not positive semi-definite",
        got: `smallest eigenvalue ${shortNumber(values[0])}`,
        expected: ">= 0",
      });
    }
    // root = V·diag(√λ), so C = root·rootᵀ and W = U·root.
    const ldk = Math.max(1, k);
    for (let i = 0; i < k; i++) {
      for (let a = 0; a < k; a++) root[i * k + a] = vectors[i * k + a] * Math.sqrt(Math.max(0, values[a]));
    }
    activeKernels().dgemm("N", "N", n, k, k, 1, U, ldk, 0, root, ldk, 0, 0, W, ldk, 0);
  }

  private refactor(): void {
    const n = this.rows;
    const k = this.rank;
    const { d, W, factor } = this;
    const kernels = activeKernels();
    this.gramReady = false;
    let logDet = 0;
    if (this.woodbury) {
      const S = this.scratchNk;
      const ldk = Math.max(1, k);
      for (let i = 0; i < n; i++) {
        const s = 1 / Math.sqrt(d[i]);
        for (let a = 0; a < k; a++) S[i * k + a] = W[i * k + a] * s;
        logDet += Math.log(d[i]);
      }
      factor.fill(0);
      for (let a = 0; a < k; a++) factor[a * k + a] = 1;
      kernels.dsyrk("U", "T", k, n, 1, S, ldk, 0, 1, factor, ldk, 0);
      this.factorOrThrow(k);
      for (let a = 0; a < k; a++) logDet += 2 * Math.log(factor[a * k + a]);
    } else {
      const ldn = Math.max(1, n);
      kernels.dsyrk("U", "N", n, k, 1, W, Math.max(1, k), 0, 0, factor, ldn, 0);
      for (let i = 0; i < n; i++) factor[i * n + i] += d[i];
      this.factorOrThrow(n);
      for (let i = 0; i < n; i++) logDet += 2 * Math.log(factor[i * n + i]);
    }
    this.logDetValue = logDet;
  }

  /**
   * Cholesky of a matrix that is positive definite in exact arithmetic (eigenvalues ≥ min dᵢ or ≥ 1);
   * failure means the inputs overflowed or are so badly scaled that rounding dominates.
   */
  private factorOrThrow(m: number): void {
    const info = activeKernels().dpotrf("U", m, this.factor, Math.max(1, m), 0);
    if (info !== 0) {
      throw new DomainError({
        where: "LowRankPlusDiagonal",
        what: "the factorisation lost positive definiteness to rounding",
        got: `pivot ${info - 1}`,
        expected: "a positive pivot",
        hint: "rescale U or C so that U·C·Uᵀ is not many orders of magnitude larger than D.",
      });
    }
  }
}

/** Throws unless every entry of D is positive and finite. */
function checkDiagonal(where: string, diagonal: ArrayLike<number>): void {
  for (let i = 0; i < diagonal.length; i++) {
    const v = diagonal[i];
    if (!(v > 0) || v === Number.POSITIVE_INFINITY) {
      const Err = Number.isFinite(v) ? DomainError : DataError;
      throw new Err({
        where,
        what: `diagonal entry ${i} must be positive and finite`,
        got: shortNumber(v),
        expected: "> 0",
        hint: "D must be positive definite (a noise variance or jitter), so that A is too.",
      });
    }
  }
}
