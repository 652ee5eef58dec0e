/**
 * Small dense linear-algebra helpers the SBL E-steps share: blocked triangular solves whose
 * bulk runs through the active kernel set's `dgemm`, and vector triangular solves. All row-major.
 *
 * @module
 */
import { DomainError } from "../../core/errors.js";
import type { KernelSet } from "../../kernels/kernel_set.js";

/**
 * ½ log(2π).
 *
 * @example
 * ```ts
 * const logN0 = -m * HALF_LOG_2PI - 0.5 * m * Math.log(s2) - (0.5 * yy) / s2;
 * ```
 */
export const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** Rows per block of the blocked triangular solves: the in-block work is plain loops, the rest dgemm. */
const BLOCK = 32;

/**
 * Solves L·X = B in place (B ← L⁻¹B) for a lower-triangular L (n × n, leading dimension ldl)
 * and B with `nrhs` columns (leading dimension ldb). Off-diagonal blocks go through `dgemm`,
 * so the cost is n²·nrhs flops at the kernel set's GEMM speed.
 *
 * @example
 * ```ts
 * trsmLower(activeKernels(), n, L, n, B, k, k); // B now holds L⁻¹B
 * ```
 */
export function trsmLower(
  kernels: KernelSet,
  n: number,
  L: Float64Array,
  ldl: number,
  B: Float64Array,
  ldb: number,
  nrhs: number,
): void {
  if (n <= 0 || nrhs <= 0) return;
  for (let i0 = 0; i0 < n; i0 += BLOCK) {
    const i1 = Math.min(n, i0 + BLOCK);
    if (i0 > 0) {
      kernels.dgemm("N", "N", i1 - i0, nrhs, i0, -1, L, ldl, i0 * ldl, B, ldb, 0, 1, B, ldb, i0 * ldb);
    }
    substituteBlock(n, L, ldl, B, ldb, nrhs, i0, i1, 0);
  }
}

/** Forward substitution of rows i0..i1 against the diagonal block, over columns c0..nrhs. */
function substituteBlock(
  _n: number,
  L: Float64Array,
  ldl: number,
  B: Float64Array,
  ldb: number,
  nrhs: number,
  i0: number,
  i1: number,
  c0: number,
): void {
  for (let i = i0; i < i1; i++) {
    const bi = i * ldb;
    const li = i * ldl;
    for (let s = i0; s < i; s++) {
      const l = L[li + s];
      if (l === 0) continue;
      const bs = s * ldb;
      for (let c = c0; c < nrhs; c++) B[bi + c] -= l * B[bs + c];
    }
    const inv = 1 / L[li + i];
    for (let c = c0; c < nrhs; c++) B[bi + c] *= inv;
  }
}

/**
 * X ← L⁻¹ for a lower-triangular L (n × n); X is n × n with leading dimension n and comes out
 * lower triangular. Uses the zero structure of the inverse, so the cost is about n³/6 flops.
 *
 * @example
 * ```ts
 * invertLower(activeKernels(), k, L, k, X);
 * ```
 */
export function invertLower(kernels: KernelSet, n: number, L: Float64Array, ldl: number, X: Float64Array): void {
  X.fill(0, 0, n * n);
  for (let i = 0; i < n; i++) X[i * n + i] = 1;
  for (let i0 = 0; i0 < n; i0 += BLOCK) {
    const i1 = Math.min(n, i0 + BLOCK);
    if (i0 > 0) {
      // X[i0:i1, 0:i0] -= L[i0:i1, 0:i0] · X[0:i0, 0:i0]; columns ≥ i0 of X[0:i0] are zero.
      kernels.dgemm("N", "N", i1 - i0, i0, i0, -1, L, ldl, i0 * ldl, X, n, 0, 1, X, n, i0 * n);
    }
    substituteBlock(n, L, ldl, X, n, i1, i0, i1, 0);
  }
}

/**
 * x ← L⁻¹x for a lower-triangular L (n × n, leading dimension ldl).
 *
 * @example
 * ```ts
 * forwardSolve(n, L, n, z);
 * ```
 */
export function forwardSolve(n: number, L: Float64Array, ldl: number, x: Float64Array): void {
  for (let i = 0; i < n; i++) {
    const li = i * ldl;
    let s = x[i];
    for (let j = 0; j < i; j++) s -= L[li + j] * x[j];
    x[i] = s / L[li + i];
  }
}

/**
 * x ← L⁻ᵀx for a lower-triangular L (n × n, leading dimension ldl).
 *
 * @example
 * ```ts
 * backwardSolveTransposed(n, L, n, z);
 * ```
 */
export function backwardSolveTransposed(n: number, L: Float64Array, ldl: number, x: Float64Array): void {
  for (let i = n - 1; i >= 0; i--) {
    const xi = x[i] / L[i * ldl + i];
    x[i] = xi;
    if (xi === 0) continue;
    for (let j = 0; j < i; j++) x[j] -= L[i * ldl + j] * xi;
  }
}

/**
 * In-place lower Cholesky through the kernel set, with a sprig error when the matrix is not
 * numerically positive definite (which for SBL means a noise variance far below the data scale).
 *
 * @throws DomainError naming the failing pivot.
 * @example
 * ```ts
 * choleskyLower(k, n, C, n, "em-sbl (dual E-step)");
 * ```
 */
export function choleskyLower(kernels: KernelSet, n: number, A: Float64Array, lda: number, where: string): void {
  if (n <= 0) return;
  const info = kernels.dpotrf("L", n, A, lda, 0);
  if (info !== 0) {
    throw new DomainError({
      where,
      what: "the marginal covariance is not numerically positive definite",
      got: `pivot ${info}`,
      expected: "a positive definite matrix",
      hint: "raise the noise variance (or the noiseFloor option); the data may be interpolated exactly.",
    });
  }
}

/**
 * 2 Σ log L_ii of a lower Cholesky factor: the log determinant of L·Lᵀ.
 *
 * @example
 * ```ts
 * const logDet = logDetFromCholesky(n, L, n);
 * ```
 */
export function logDetFromCholesky(n: number, L: Float64Array, ldl: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.log(L[i * ldl + i]);
  return 2 * s;
}
