import { ShapeError } from "../../core/errors.js";
import { log1pexp, logistic } from "../special.js";
import type { Bijector } from "./bijector.js";

/**
 * Maps R^(K−1) onto the K-simplex by Stan's stick-breaking transform (`simplex_constrain`):
 * with N = K − 1 and k = 0 … N − 1 (0-based),
 * zₖ = logistic(uₖ − log(N − k)), xₖ = sₖ·zₖ, sₖ₊₁ = sₖ·(1 − zₖ), s₀ = 1, x_N = s_N,
 * log|J| = Σₖ [log sₖ + log zₖ + log(1 − zₖ)] — the Jacobian of the first K − 1 coordinates.
 * The offset log(N − k) makes u = 0 the uniform simplex, so unconstrained points match Stan's.
 * The remaining stick is multiplied by 1 − zₖ = logistic(−aₖ) rather than decremented by xₖ,
 * which is the same map without cancellation when zₖ is near 1; log sₖ is accumulated as a sum
 * of logs, so log|J| stays finite when the stick underflows.
 *
 * @returns a bijector named `simplex` (constrained length K, unconstrained K − 1)
 * @example
 * ```ts
 * const x = new Float64Array(3);
 * simplex().forward(new Float64Array([0, 0]), 0, x, 0, 3); // x = [1/3, 1/3, 1/3]
 * ```
 */
export function simplex(): Bijector {
  return {
    name: "simplex",
    unconstrainedSize(n) {
      if (!(Number.isInteger(n) && n >= 1)) {
        throw new ShapeError({
          where: "simplex",
          what: "a simplex needs at least one component",
          got: String(n),
          expected: "K ≥ 1",
        });
      }
      return n - 1;
    },
    forward(u, uOff, x, xOff, n) {
      const last = n - 1;
      let stick = 1;
      let logStick = 0;
      let logJ = 0;
      for (let k = 0; k < last; k++) {
        const a = u[uOff + k]! - Math.log(last - k);
        const logZ = -log1pexp(-a);
        const log1mZ = -log1pexp(a);
        x[xOff + k] = stick * logistic(a);
        logJ += logStick + logZ + log1mZ;
        stick *= logistic(-a);
        logStick += log1mZ;
      }
      x[xOff + last] = stick;
      return logJ;
    },
    inverse(x, xOff, u, uOff, n) {
      const last = n - 1;
      // rest = x_{k+1} + … + x_N, summed from the end like Stan's simplex_free; then
      // logit(zₖ) = log xₖ − log rest.
      let rest = x[xOff + last]!;
      for (let k = last - 1; k >= 0; k--) {
        const v = x[xOff + k]!;
        u[uOff + k] = Math.log(v) - Math.log(rest) + Math.log(last - k);
        rest += v;
      }
    },
    backward(u, uOff, n, xAdj, xAdjOff, uAdj, uAdjOff) {
      const last = n - 1;
      // With x_k = s_k·z_k and log s_k = Σ_{i<k} log(1 − z_i), ∂x_k/∂u_i is x_k(1 − z_k) for i = k
      // and −x_k·z_i for i < k, so (Jᵀ·xAdj)_i = (1 − z_i)·x_i·xAdj_i − z_i·Σ_{k>i} xAdj_k·x_k
      // (x_N included). ∂log|J|/∂u_i = 1 − 2z_i − (N − 1 − i)·z_i. One forward pass gets log s_N;
      // a backward pass recovers log s_i = log s_{i+1} + log(1 + e^{a_i}) and the suffix sum.
      let logStick = 0;
      for (let k = 0; k < last; k++) logStick -= log1pexp(u[uOff + k]! - Math.log(last - k));
      let suffix = xAdj[xAdjOff + last]! * Math.exp(logStick);
      for (let i = last - 1; i >= 0; i--) {
        const a = u[uOff + i]! - Math.log(last - i);
        logStick += log1pexp(a);
        const z = logistic(a);
        const xi = Math.exp(logStick - log1pexp(-a));
        const xAdjI = xAdj[xAdjOff + i]!;
        uAdj[uAdjOff + i]! += logistic(-a) * xi * xAdjI - z * suffix + 1 - 2 * z - (last - 1 - i) * z;
        suffix += xAdjI * xi;
      }
    },
  };
}
