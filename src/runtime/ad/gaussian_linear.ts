/**
 * Sufficient statistics of a Gaussian likelihood whose mean is affine in a coordinate vector:
 * y ~ normal(offset + Z·z, σ) with a fixed N × K design Z depends on the data only through
 * O(K²) numbers. They are computed once, at compile time, for the `gaussian_linear` program node
 * (see `GaussianLinearOp`), whose value then costs O(K²) per call instead of O(nnz(Z)).
 *
 * The statistics are a triangular factor, not the Gram matrix. With Z = QR (Q: N × K orthonormal
 * columns, R: K × K upper triangular) and any centre ẑ,
 *
 *   r(z) = ‖y − Z·z‖² = rss + ‖R·(z − ẑ) − e‖²,   e = Qᵀ(y − Z·ẑ),   rss = ‖(I − QQᵀ)·y‖².
 *
 * Why this form: the textbook zᵀGz − 2bᵀz + yᵀy subtracts numbers of the size of ‖y‖² to get a
 * residual that can be many orders smaller, and even (z − ẑ)ᵀG(z − ẑ) loses digits in proportion
 * to cond(Z)² (raw-scale predictors such as calendar years). Here the only subtraction is inside
 * R·(z − ẑ) − e, whose error is relative to ‖R‖‖z − ẑ‖, so r keeps the accuracy of an
 * element-by-element loop (≈ ε·cond(Z)); ẑ near the least-squares solution makes e and z − ẑ
 * small. The identity holds for every ẑ, so a rank-deficient Z only makes ẑ a ridge solution.
 *
 * R comes from Householder QR of Z formed densely (2·N·K² flops in plain JavaScript) when that is
 * cheap; otherwise from the Cholesky factor of ZᵀZ (K products with Z and Zᵀ through the kernel
 * set, K² memory) if ZᵀZ is well enough conditioned for its accuracy ε·cond(Z)², and from QR
 * after all when it is not and Z fits in memory.
 * @module runtime/ad/gaussian_linear
 */
import { dpotrfOffset, dpotrsOffset } from "../../kernels/cholesky.js";

/**
 * A design matrix Z given by its action (a `LinearOperator` is one).
 *
 * @example
 * ```ts
 * const design: Design = new DenseOperator(X, N, K);
 * ```
 */
export interface Design {
  /** N, the number of observations. */
  readonly rows: number;
  /** K, the number of coordinates. */
  readonly cols: number;
  /** y = Z·x. */
  apply(x: Float64Array, y: Float64Array): void;
  /** y = Zᵀ·x. */
  applyTranspose(x: Float64Array, y: Float64Array): void;
}

/**
 * The statistics a `gaussian_linear` node stores: r(z) = rss + ‖factor·(z − center) − shift‖².
 *
 * @example
 * ```ts
 * const { factor, center, shift, rss } = gaussianLinearStatistics(design, y)!;
 * ```
 */
export interface GaussianLinearStatistics {
  /** R, K × K row-major, upper triangular (zeros below the diagonal), RᵀR = ZᵀZ. */
  readonly factor: Float64Array;
  /** ẑ: the least-squares solution (ridge-regularised when Z is numerically rank-deficient). */
  readonly center: Float64Array;
  /** e = Qᵀ(y − Z·ẑ), zero up to rounding at the exact least-squares solution. */
  readonly shift: Float64Array;
  /** The least-squares residual sum of squares ‖(I − QQᵀ)·y‖². */
  readonly rss: number;
}

/**
 * Options of {@link gaussianLinearStatistics}.
 *
 * @example
 * ```ts
 * gaussianLinearStatistics(design, y, { maxQrWork: 0 }); // through ZᵀZ unless it is ill-conditioned
 * ```
 */
export interface StatisticsOptions {
  /**
   * Largest N·K² for which Householder QR is tried first (default 2²⁷ ≈ 1.3·10⁸, about a tenth
   * of a second); beyond, the ZᵀZ route is tried first.
   */
  readonly maxQrWork?: number;
}

const DEFAULT_MAX_QR_WORK = 2 ** 27;
/** Largest N·K for which Z is formed densely at all (2²² numbers, 32 MB). */
const MAX_DENSE_ENTRIES = 2 ** 22;

/**
 * Ridges tried, relative to the unit diagonal of the scaled Gram matrix D^{-1/2} G D^{-1/2}, when
 * the centre cannot be solved for directly: none first, then growing until every Cholesky pivot
 * is at least {@link MIN_PIVOT}, so that ẑ stays of the size of the data.
 */
const RIDGES = [0, 1e-11, 1e-9, 1e-7, 1e-5, 1e-3] as const;
/** Smallest squared pivot of the scaled Gram matrix accepted when solving for the centre. */
const MIN_PIVOT = 1e-12;
/**
 * Smallest squared pivot of the scaled Gram matrix for which its Cholesky factor may stand for R:
 * cond(ZᵀZ) ≲ 10⁴ after column scaling, so that the error ε·cond(Z)² of this route stays near
 * 1e-12 relative; worse-conditioned designs go through QR.
 */
const MIN_GRAM_PIVOT = 1e-4;
/** Smallest |R_jj| relative to the norm of column j for back-substituting the centre. */
const MIN_INDEPENDENCE = 1e-8;

/**
 * Computes the statistics of ‖target − Z·z‖² for a design Z and a target vector (the data minus
 * the fixed part of the mean).
 *
 * @param design - Z (N × K, K ≤ N)
 * @param target - y − offset, length N
 * @param options - when QR is tried first
 * @returns the statistics, or undefined when they are not all finite, when K > N, or when Z is
 *   too large to form densely and ZᵀZ too ill-conditioned to stand for it
 * @example
 * ```ts
 * // y = [1, 2, 4] on the design [1, x] with x = [0, 1, 2].
 * const Z = new DenseOperator(Float64Array.of(1, 0, 1, 1, 1, 2), 3, 2);
 * const s = gaussianLinearStatistics(Z, Float64Array.of(1, 2, 4)); // center ≈ [0.833, 1.5], rss ≈ 0.167
 * ```
 */
export function gaussianLinearStatistics(
  design: Design,
  target: Float64Array,
  options: StatisticsOptions = {},
): GaussianLinearStatistics | undefined {
  const n = design.rows;
  const k = design.cols;
  if (k > n) return undefined;
  const dense = n * k <= MAX_DENSE_ENTRIES;
  const statistics =
    dense && n * k * k <= (options.maxQrWork ?? DEFAULT_MAX_QR_WORK)
      ? householderStatistics(design, target)
      : (gramStatistics(design, target) ?? (dense ? householderStatistics(design, target) : undefined));
  if (statistics === undefined) return undefined;
  const { factor, center, shift, rss } = statistics;
  const finite = (v: Float64Array): boolean => v.every(Number.isFinite);
  return Number.isFinite(rss) && finite(factor) && finite(center) && finite(shift) ? statistics : undefined;
}

/**
 * Householder QR of Z (formed column by column, column-major). The centre is solved from Qᵀy;
 * e and rss come from Qᵀ applied to the residual y − Z·ẑ formed from the data, whose rounding is
 * relative to the residual, not to y (Qᵀy itself is only accurate relative to ‖y‖).
 */
function householderStatistics(design: Design, target: Float64Array): GaussianLinearStatistics {
  const n = design.rows;
  const k = design.cols;
  const a = new Float64Array(n * k);
  const unit = new Float64Array(k);
  const column = new Float64Array(n);
  for (let j = 0; j < k; j++) {
    unit[j] = 1;
    design.apply(unit, column);
    unit[j] = 0;
    a.set(column, j * n);
  }
  const factor = new Float64Array(k * k);
  const columnNorm = new Float64Array(k);
  // Reflector j is I − v·vᵀ/β with v in rows j.. of column j of `a`; β = 0 means no reflection.
  const betas = new Float64Array(k);
  const reflect = (j: number, v: Float64Array, offset: number): void => {
    const beta = betas[j]!;
    if (beta === 0) return;
    const cj = j * n;
    let s = 0;
    for (let i = j; i < n; i++) s += a[cj + i]! * v[offset + i]!;
    const f = s / beta;
    for (let i = j; i < n; i++) v[offset + i] -= f * a[cj + i]!;
  };
  for (let j = 0; j < k; j++) {
    const cj = j * n;
    // Earlier reflections keep the column's norm: this is ‖column j of Z‖².
    for (let i = 0; i < n; i++) columnNorm[j] += a[cj + i]! * a[cj + i]!;
    let norm2 = 0;
    for (let i = j; i < n; i++) norm2 += a[cj + i]! * a[cj + i]!;
    if (norm2 > 0) {
      // v = x − α·e₁ with α = −sign(x₀)·‖x‖ (no cancellation in x₀ − α), β = vᵀv/2.
      const x0 = a[cj + j]!;
      const alpha = x0 >= 0 ? -Math.sqrt(norm2) : Math.sqrt(norm2);
      a[cj + j] = x0 - alpha;
      betas[j] = norm2 - x0 * alpha;
      for (let c = j + 1; c < k; c++) reflect(j, a, c * n);
      factor[j * k + j] = alpha;
    }
    for (let c = j + 1; c < k; c++) factor[j * k + c] = a[c * n + j]!;
  }
  const applyQt = (v: Float64Array): void => {
    for (let j = 0; j < k; j++) reflect(j, v, 0);
  };
  const projected = Float64Array.from(target);
  applyQt(projected);
  const center = projected.slice(0, k);
  // R·ẑ = Qᵀy by back-substitution when every column has a part independent of the ones before it.
  const independent = columnNorm.every((norm, j) => Math.abs(factor[j * k + j]!) > MIN_INDEPENDENCE * Math.sqrt(norm));
  if (independent) {
    for (let j = k - 1; j >= 0; j--) {
      let s = center[j]!;
      for (let c = j + 1; c < k; c++) s -= factor[j * k + c]! * center[c]!;
      center[j] = s / factor[j * k + j]!;
    }
  } else {
    const gram = new Float64Array(k * k);
    for (let i = 0; i < k; i++)
      for (let j = 0; j < k; j++)
        for (let r = 0; r <= Math.min(i, j); r++) gram[i * k + j] += factor[r * k + i]! * factor[r * k + j]!;
    const rhs = new Float64Array(k);
    for (let j = 0; j < k; j++) for (let r = 0; r <= j; r++) rhs[j] += factor[r * k + j]! * center[r]!;
    solveRidged(gram, k, rhs);
    center.set(rhs);
  }
  const residual = new Float64Array(n);
  design.apply(center, residual);
  for (let i = 0; i < n; i++) residual[i] = target[i]! - residual[i]!;
  applyQt(residual);
  let rss = 0;
  for (let i = k; i < n; i++) rss += residual[i]! * residual[i]!;
  return { factor, center, shift: residual.slice(0, k), rss };
}

/**
 * R from the Cholesky factor of ZᵀZ (built from K products with Z and Zᵀ), for designs too large
 * to form densely; undefined when ZᵀZ is singular or too ill-conditioned for R to stand for Z.
 */
function gramStatistics(design: Design, target: Float64Array): GaussianLinearStatistics | undefined {
  const n = design.rows;
  const k = design.cols;
  const gram = new Float64Array(k * k);
  const unit = new Float64Array(k);
  const column = new Float64Array(n);
  const projected = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    unit[j] = 1;
    design.apply(unit, column);
    unit[j] = 0;
    design.applyTranspose(column, projected);
    for (let i = 0; i < k; i++) gram[i * k + j] = projected[i]!;
  }
  const scale = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    const g = gram[i * k + i]!;
    if (!(g > 0)) return undefined;
    scale[i] = 1 / Math.sqrt(g);
  }
  // Scaled, symmetrised: L·Lᵀ = S·G·S, so R = Lᵀ·S⁻¹.
  const lower = new Float64Array(k * k);
  for (let i = 0; i < k; i++)
    for (let j = 0; j < k; j++) lower[i * k + j] = 0.5 * scale[i]! * (gram[i * k + j]! + gram[j * k + i]!) * scale[j]!;
  if (dpotrfOffset("L", k, lower, k, 0) !== 0) return undefined;
  for (let i = 0; i < k; i++) if (lower[i * k + i]! ** 2 < MIN_GRAM_PIVOT) return undefined;
  const factor = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let j = i; j < k; j++) factor[i * k + j] = lower[j * k + i]! / scale[j]!;
  // ẑ = G⁻¹·Zᵀy through the scaled factor.
  const center = new Float64Array(k);
  design.applyTranspose(target, center);
  for (let i = 0; i < k; i++) center[i] *= scale[i]!;
  dpotrsOffset("L", k, 1, lower, k, 0, center, 1, 0);
  for (let i = 0; i < k; i++) center[i] *= scale[i]!;
  // The residual at ẑ from the data, then e = R⁻ᵀ·Zᵀρ and rss = ‖ρ‖² − ‖e‖² (e is tiny: no cancellation).
  const residual = new Float64Array(n);
  design.apply(center, residual);
  let direct = 0;
  for (let i = 0; i < n; i++) {
    const r = target[i]! - residual[i]!;
    residual[i] = r;
    direct += r * r;
  }
  const shift = new Float64Array(k);
  design.applyTranspose(residual, shift);
  for (let j = 0; j < k; j++) {
    let s = shift[j]!;
    for (let r = 0; r < j; r++) s -= factor[r * k + j]! * shift[r]!;
    shift[j] = s / factor[j * k + j]!;
  }
  let projectedSquares = 0;
  for (let j = 0; j < k; j++) projectedSquares += shift[j]! * shift[j]!;
  return { factor, center, shift, rss: Math.max(0, direct - projectedSquares) };
}

/**
 * Overwrites b (= Rᵀ·Qᵀy = Zᵀy) with a solution of G·x = b: Cholesky of the unit-diagonal scaling
 * of G, with the smallest ridge from {@link RIDGES} whose pivots are all acceptable. A zero column
 * of Z gets x = 0; if no ridge works, x = 0 (the statistics stay exact, only e is larger).
 */
function solveRidged(gram: Float64Array, k: number, b: Float64Array): void {
  const scale = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    const g = gram[i * k + i]!;
    scale[i] = g > 0 ? 1 / Math.sqrt(g) : 0;
  }
  const rhs = new Float64Array(k);
  for (let i = 0; i < k; i++) rhs[i] = scale[i]! * b[i]!;
  const factor = new Float64Array(k * k);
  for (const ridge of RIDGES) {
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) factor[i * k + j] = scale[i]! * gram[i * k + j]! * scale[j]!;
      // A zero column is decoupled: its scaled row and column are zero, its diagonal becomes 1.
      factor[i * k + i] = (scale[i] === 0 ? 1 : factor[i * k + i]!) + ridge;
    }
    if (dpotrfOffset("L", k, factor, k, 0) !== 0) continue;
    let minPivot = Number.POSITIVE_INFINITY;
    for (let i = 0; i < k; i++) minPivot = Math.min(minPivot, factor[i * k + i]! ** 2);
    if (minPivot < MIN_PIVOT) continue;
    dpotrsOffset("L", k, 1, factor, k, 0, rhs, 1, 0);
    for (let i = 0; i < k; i++) b[i] = scale[i]! * rhs[i]!;
    return;
  }
  b.fill(0);
}
