import type { Bijector } from "./bijector.js";
import { requireFiniteBound } from "./checks.js";

/**
 * Maps the real line onto (−∞, b): x = b − exp(u), log|J| = u (Stan's `ub_constrain`).
 *
 * @param upper - the finite upper bound b
 * @returns a bijector named `upper(b)`
 * @example
 * ```ts
 * const x = new Float64Array(1);
 * upperBound(1).forward(new Float64Array([0]), 0, x, 0, 1); // returns 0; x = [0]
 * ```
 */
export function upperBound(upper: number): Bijector {
  requireFiniteBound("upperBound()", "upper", upper);
  return {
    name: `upper(${upper})`,
    unconstrainedSize: (n) => n,
    forward(u, uOff, x, xOff, n) {
      let logJ = 0;
      for (let i = 0; i < n; i++) {
        const v = u[uOff + i]!;
        x[xOff + i] = upper - Math.exp(v);
        logJ += v;
      }
      return logJ;
    },
    inverse(x, xOff, u, uOff, n) {
      for (let i = 0; i < n; i++) u[uOff + i] = Math.log(upper - x[xOff + i]!);
    },
    backward(u, uOff, n, xAdj, xAdjOff, uAdj, uAdjOff) {
      for (let i = 0; i < n; i++) uAdj[uAdjOff + i]! += 1 - xAdj[xAdjOff + i]! * Math.exp(u[uOff + i]!);
    },
  };
}
