/**
 * Stationary covariance functions with ARD length-scales: squared exponential, Matérn 3/2 and
 * Matérn 5/2, written as k(x, x′) = σ²·ρ(r²) with r² = Σₖ (xₖ − x′ₖ)²/ℓₖ².
 *
 * Everything is expressed through r² so that one slope, ρ′(r²) = dρ/d(r²), serves both the
 * gradient of the marginal likelihood (∂r²/∂log ℓₖ = −2(xₖ − x′ₖ)²/ℓₖ²) and the gradient of a
 * prediction with respect to its input (∂r²/∂xₖ = 2(xₖ − x′ₖ)/ℓₖ²). For the Matérn kernels
 * ρ′(r²) stays finite at r = 0 (−3/2 and −5/6), so no case is special.
 *
 * The fill functions take inputs already divided by their length-scales ("scaled" points
 * z = x/ℓ), so that r² is a plain squared distance.
 *
 * @module
 */
import { DomainError, describeValue } from "../../core/errors.js";

/**
 * The covariance families a Gaussian-process surrogate can use. `'matern52'` is the default
 * (twice differentiable sample paths: smooth enough to model, rough enough not to over-trust).
 *
 * @example
 * ```ts
 * const kernel: CovarianceKernel = "matern52";
 * ```
 */
export type CovarianceKernel = "squared_exponential" | "matern32" | "matern52";

/**
 * Every {@link CovarianceKernel}, in documentation order.
 *
 * @example
 * ```ts
 * COVARIANCE_KERNELS.includes("matern32"); // true
 * ```
 */
export const COVARIANCE_KERNELS: readonly CovarianceKernel[] = ["squared_exponential", "matern32", "matern52"];

const SQRT3 = Math.sqrt(3);
const SQRT5 = Math.sqrt(5);

/** Small integer codes so the hot loops switch on a number. */
const SE = 0;
const M32 = 1;
const M52 = 2;

/** Scratch for the (value, slope) pair; the fill loops are synchronous, so one module copy is safe. */
const PAIR = new Float64Array(2);

/**
 * The numeric code of a kernel name (for the fill functions), or a DomainError naming the
 * choices.
 *
 * @example
 * ```ts
 * kernelCode("matern52"); // 2
 * ```
 */
export function kernelCode(kernel: CovarianceKernel): number {
  switch (kernel) {
    case "squared_exponential":
      return SE;
    case "matern32":
      return M32;
    case "matern52":
      return M52;
    default:
      throw new DomainError({
        where: "bo",
        what: "unknown covariance kernel",
        got: describeValue(kernel),
        expected: COVARIANCE_KERNELS.map((k) => `'${k}'`).join(", "),
      });
  }
}

/**
 * The unit-variance correlation ρ(r²): exp(−r²/2), (1 + √3r)e^(−√3r) or
 * (1 + √5r + 5r²/3)e^(−√5r).
 *
 * @example
 * ```ts
 * correlation("squared_exponential", 2); // Math.exp(-1)
 * ```
 */
export function correlation(kernel: CovarianceKernel, r2: number): number {
  return rho(kernelCode(kernel), r2);
}

/**
 * The slope dρ/d(r²): −ρ/2, −(3/2)e^(−√3r) or −(5/6)(1 + √5r)e^(−√5r); finite at r = 0.
 *
 * @example
 * ```ts
 * correlationSlope("matern32", 0); // -1.5
 * ```
 */
export function correlationSlope(kernel: CovarianceKernel, r2: number): number {
  return rhoSlope(kernelCode(kernel), r2);
}

function rho(code: number, r2: number): number {
  if (code === SE) return Math.exp(-0.5 * r2);
  const r = Math.sqrt(r2);
  if (code === M32) return (1 + SQRT3 * r) * Math.exp(-SQRT3 * r);
  return (1 + SQRT5 * r + (5 / 3) * r2) * Math.exp(-SQRT5 * r);
}

function rhoSlope(code: number, r2: number): number {
  if (code === SE) return -0.5 * Math.exp(-0.5 * r2);
  const r = Math.sqrt(r2);
  if (code === M32) return -1.5 * Math.exp(-SQRT3 * r);
  return -(5 / 6) * (1 + SQRT5 * r) * Math.exp(-SQRT5 * r);
}

/**
 * σ²·ρ(r²) and σ²·ρ′(r²) in one pass (one exponential), written to `out[0]` and `out[1]`.
 *
 * @example
 * ```ts
 * const pair = new Float64Array(2);
 * covarianceAndSlope(2, 0.3, 1.5, pair); // pair = [k, dk/dr²]
 * ```
 */
export function covarianceAndSlope(code: number, r2: number, signalVariance: number, out: Float64Array): void {
  if (code === SE) {
    const k = signalVariance * Math.exp(-0.5 * r2);
    out[0] = k;
    out[1] = -0.5 * k;
    return;
  }
  const r = Math.sqrt(r2);
  if (code === M32) {
    const e = signalVariance * Math.exp(-SQRT3 * r);
    out[0] = (1 + SQRT3 * r) * e;
    out[1] = -1.5 * e;
    return;
  }
  const e = signalVariance * Math.exp(-SQRT5 * r);
  out[0] = (1 + SQRT5 * r + (5 / 3) * r2) * e;
  out[1] = -(5 / 6) * (1 + SQRT5 * r) * e;
}

/**
 * The n × n covariance K[i, j] = σ²ρ(‖zᵢ − zⱼ‖²) of scaled points Z (n × d row-major), both
 * triangles, and optionally the slope matrix S[i, j] = σ²ρ′(‖zᵢ − zⱼ‖²).
 *
 * @example
 * ```ts
 * fillCovariance(kernelCode("matern52"), Z, n, d, 1, K, S);
 * ```
 */
export function fillCovariance(
  code: number,
  Z: Float64Array,
  n: number,
  d: number,
  signalVariance: number,
  K: Float64Array,
  S?: Float64Array,
): void {
  const pair = PAIR;
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    covarianceAndSlope(code, 0, signalVariance, pair);
    K[ri + i] = pair[0];
    if (S) S[ri + i] = pair[1];
    const zi = i * d;
    for (let j = 0; j < i; j++) {
      const zj = j * d;
      let r2 = 0;
      for (let k = 0; k < d; k++) {
        const diff = Z[zi + k] - Z[zj + k];
        r2 += diff * diff;
      }
      covarianceAndSlope(code, r2, signalVariance, pair);
      K[ri + j] = pair[0];
      K[j * n + i] = pair[0];
      if (S) {
        S[ri + j] = pair[1];
        S[j * n + i] = pair[1];
      }
    }
  }
}

/**
 * The cross-covariance k(z, Zⱼ) of one scaled point z (read from `z` at `offsetZ`) with the n
 * rows of Z, into `out` (length n), and optionally the slopes σ²ρ′ into `slope`.
 *
 * @example
 * ```ts
 * fillCrossCovariance(code, x, 0, Z, n, d, signalVariance, k, slope);
 * ```
 */
export function fillCrossCovariance(
  code: number,
  z: Float64Array,
  offsetZ: number,
  Z: Float64Array,
  n: number,
  d: number,
  signalVariance: number,
  out: Float64Array,
  slope?: Float64Array,
): void {
  const pair = PAIR;
  for (let j = 0; j < n; j++) {
    const zj = j * d;
    let r2 = 0;
    for (let k = 0; k < d; k++) {
      const diff = z[offsetZ + k] - Z[zj + k];
      r2 += diff * diff;
    }
    covarianceAndSlope(code, r2, signalVariance, pair);
    out[j] = pair[0];
    if (slope) slope[j] = pair[1];
  }
}
