import type { Bijector } from "./bijector.js";
import { requireFiniteBound } from "./checks.js";

/**
 * Maps the real line onto (a, ∞): x = a + exp(u), log|J| = u (Stan's `lb_constrain`).
 *
 * @param lower - the finite lower bound a
 * @returns a bijector named `lower(a)`
 * @example
 * ```ts
 * const x = new Float64Array(1);
 * lowerBound(0).forward(new Float64Array([0.3]), 0, x, 0, 1); // returns 0.3; x = [exp(0.3)]
 * ```
 */
export function lowerBound(lower: number): Bijector {
  requireFiniteBound("lowerBound()", "lower", lower);
  return {
    name: `lower(${lower})`,
    unconstrainedSize: (n) => n,
    forward(u, uOff, x, xOff, n) {
      let logJ = 0;
      for (let i = 0; i < n; i++) {
        const v = u[uOff + i]!;
        x[xOff + i] = lower + Math.exp(v);
        logJ += v;
      }
      return logJ;
    },
    inverse(x, xOff, u, uOff, n) {
      for (let i = 0; i < n; i++) u[uOff + i] = Math.log(x[xOff + i]! - lower);
    },
    backward(u, uOff, n, xAdj, xAdjOff, uAdj, uAdjOff) {
      for (let i = 0; i < n; i++) uAdj[uAdjOff + i]! += xAdj[xAdjOff + i]! * Math.exp(u[uOff + i]!) + 1;
    },
  };
}
