import type { Bijector } from "./bijector.js";

/**
 * Maps Rⁿ onto increasing vectors: x₁ = u₁, xₖ = xₖ₋₁ + exp(uₖ) (Stan's `ordered_constrain`),
 * log|J| = u₂ + … + uₙ.
 *
 * @returns a bijector named `ordered`
 * @example
 * ```ts
 * const x = new Float64Array(3);
 * ordered().forward(new Float64Array([-1, 0, 0]), 0, x, 0, 3); // returns 0; x = [-1, 0, 1]
 * ```
 */
export function ordered(): Bijector {
  return {
    name: "ordered",
    unconstrainedSize: (n) => n,
    forward(u, uOff, x, xOff, n) {
      if (n === 0) return 0;
      let current = u[uOff]!;
      x[xOff] = current;
      let logJ = 0;
      for (let k = 1; k < n; k++) {
        const v = u[uOff + k]!;
        current += Math.exp(v);
        x[xOff + k] = current;
        logJ += v;
      }
      return logJ;
    },
    inverse(x, xOff, u, uOff, n) {
      if (n === 0) return;
      u[uOff] = x[xOff]!;
      for (let k = 1; k < n; k++) u[uOff + k] = Math.log(x[xOff + k]! - x[xOff + k - 1]!);
    },
    backward(u, uOff, n, xAdj, xAdjOff, uAdj, uAdjOff) {
      // x_k depends on u_j for every j ≤ k, so u_j's adjoint collects the suffix sum of xAdj.
      let suffix = 0;
      for (let k = n - 1; k >= 1; k--) {
        suffix += xAdj[xAdjOff + k]!;
        uAdj[uAdjOff + k]! += Math.exp(u[uOff + k]!) * suffix + 1;
      }
      if (n > 0) uAdj[uAdjOff]! += suffix + xAdj[xAdjOff]!;
    },
  };
}

/**
 * Maps Rⁿ onto increasing vectors of positive numbers: x₁ = exp(u₁), xₖ = xₖ₋₁ + exp(uₖ)
 * (Stan's `positive_ordered_constrain`), log|J| = u₁ + … + uₙ.
 *
 * @returns a bijector named `positive_ordered`
 * @example
 * ```ts
 * const x = new Float64Array(2);
 * positiveOrdered().forward(new Float64Array([0, 0]), 0, x, 0, 2); // returns 0; x = [1, 2]
 * ```
 */
export function positiveOrdered(): Bijector {
  return {
    name: "positive_ordered",
    unconstrainedSize: (n) => n,
    forward(u, uOff, x, xOff, n) {
      let current = 0;
      let logJ = 0;
      for (let k = 0; k < n; k++) {
        const v = u[uOff + k]!;
        current += Math.exp(v);
        x[xOff + k] = current;
        logJ += v;
      }
      return logJ;
    },
    inverse(x, xOff, u, uOff, n) {
      let previous = 0;
      for (let k = 0; k < n; k++) {
        const v = x[xOff + k]!;
        u[uOff + k] = Math.log(v - previous);
        previous = v;
      }
    },
    backward(u, uOff, n, xAdj, xAdjOff, uAdj, uAdjOff) {
      let suffix = 0;
      for (let k = n - 1; k >= 0; k--) {
        suffix += xAdj[xAdjOff + k]!;
        uAdj[uAdjOff + k]! += Math.exp(u[uOff + k]!) * suffix + 1;
      }
    },
  };
}
