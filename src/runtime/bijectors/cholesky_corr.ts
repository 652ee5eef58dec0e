import { ShapeError } from "../../core/errors.js";
import type { Bijector } from "./bijector.js";

/** log(1 − tanh²(u)) = log sech²(u), without cancellation for large |u|. */
function logSech2(u: number): number {
  const a = Math.abs(u);
  return 2 * (Math.LN2 - a - Math.log1p(Math.exp(-2 * a)));
}

/** Side K of a K × K matrix stored in n entries; ShapeError unless n is a perfect square ≥ 1. */
function sideOf(n: number): number {
  const k = Math.round(Math.sqrt(n));
  if (!(k >= 1 && k * k === n)) {
    throw new ShapeError({
      where: "cholesky_corr",
      what: "a Cholesky factor is stored as a full K × K row-major matrix",
      got: `${n} entries`,
      expected: "K² entries for some K ≥ 1",
    });
  }
  return k;
}

/**
 * Maps R^(K(K−1)/2) onto Cholesky factors L of K × K correlation matrices (lower triangular,
 * positive diagonal, unit-norm rows), by Stan's `cholesky_corr_constrain`: the canonical partial
 * correlations zᵢⱼ = tanh(uᵢⱼ), read row by row (i = 1 … K−1, j = 0 … i−1), fill
 * Lᵢⱼ = zᵢⱼ·√rᵢⱼ with rᵢⱼ = 1 − Σ_{l<j} Lᵢₗ² = Π_{l<j}(1 − zᵢₗ²), and Lᵢᵢ = √rᵢᵢ. The value is
 * stored as a full row-major K × K matrix (n = K², zeros above the diagonal);
 * log|J| = Σ log(1 − zᵢⱼ²) + ½ Σ_{j<i} log rᵢⱼ, the Jacobian of the strictly-lower entries.
 * The remaining norm r is kept as a product (and its log as a sum), which avoids the
 * cancellation in 1 − Σ L² when partial correlations approach ±1.
 *
 * @returns a bijector named `cholesky_corr`
 * @example
 * ```ts
 * const L = new Float64Array(4);
 * choleskyCorr().forward(new Float64Array([0]), 0, L, 0, 4); // returns 0; L = [1, 0, 0, 1]
 * ```
 */
export function choleskyCorr(): Bijector {
  return {
    name: "cholesky_corr",
    unconstrainedSize(n) {
      const k = sideOf(n);
      return (k * (k - 1)) / 2;
    },
    forward(u, uOff, x, xOff, n) {
      const k = sideOf(n);
      let logJ = 0;
      let m = uOff;
      for (let i = 0; i < k; i++) {
        const row = xOff + i * k;
        let remaining = 1;
        let logRemaining = 0;
        for (let j = 0; j < i; j++) {
          const v = u[m++]!;
          const logOneMinusZ2 = logSech2(v);
          x[row + j] = Math.tanh(v) * Math.sqrt(remaining);
          logJ += logOneMinusZ2 + 0.5 * logRemaining;
          remaining *= Math.exp(logOneMinusZ2);
          logRemaining += logOneMinusZ2;
        }
        x[row + i] = Math.sqrt(remaining);
        for (let j = i + 1; j < k; j++) x[row + j] = 0;
      }
      return logJ;
    },
    inverse(x, xOff, u, uOff, n) {
      const k = sideOf(n);
      for (let i = 1; i < k; i++) {
        const row = xOff + i * k;
        const first = uOff + (i * (i - 1)) / 2;
        // rᵢⱼ = Σ_{l ≥ j} Lᵢₗ² (rows have unit norm), summed from the diagonal outward for accuracy.
        let rest = x[row + i]! * x[row + i]!;
        for (let j = i - 1; j >= 0; j--) {
          const v = x[row + j]!;
          rest += v * v;
          u[first + j] = Math.atanh(v / Math.sqrt(rest));
        }
      }
    },
    backward(u, uOff, n, xAdj, xAdjOff, uAdj, uAdjOff) {
      const k = sideOf(n);
      // Per row, like the simplex: log Lᵢⱼ = log zᵢⱼ + ½ Σ_{l<j} log(1 − zᵢₗ²) and Lᵢᵢ = √rᵢᵢ give
      // ∂Lᵢⱼ/∂uᵢₗ = −Lᵢⱼ·zᵢₗ for l < j ≤ i and √rᵢₗ·(1 − zᵢₗ²) for j = l, so
      // (Jᵀ·xAdj)ᵢₗ = xAdjᵢₗ·√rᵢₗ·(1 − zᵢₗ²) − zᵢₗ·Σ_{l<j≤i} xAdjᵢⱼ·Lᵢⱼ, and
      // ∂log|J|/∂uᵢₗ = −zᵢₗ·(i + 1 − l) (log(1 − z²) once, ½·log r for the i − 1 − l later entries).
      for (let i = 1; i < k; i++) {
        const first = uOff + (i * (i - 1)) / 2;
        const firstAdj = uAdjOff + (i * (i - 1)) / 2;
        const row = xAdjOff + i * k;
        let logRemaining = 0;
        for (let l = 0; l < i; l++) logRemaining += logSech2(u[first + l]!);
        let suffix = xAdj[row + i]! * Math.exp(0.5 * logRemaining);
        for (let l = i - 1; l >= 0; l--) {
          const v = u[first + l]!;
          const logOneMinusZ2 = logSech2(v);
          logRemaining -= logOneMinusZ2;
          const z = Math.tanh(v);
          const root = Math.exp(0.5 * logRemaining);
          const adj = xAdj[row + l]!;
          uAdj[firstAdj + l]! += adj * root * Math.exp(logOneMinusZ2) - z * suffix - z * (i + 1 - l);
          suffix += adj * z * root;
        }
      }
    },
  };
}
