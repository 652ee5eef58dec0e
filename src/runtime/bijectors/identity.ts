import type { Bijector } from "./bijector.js";

/**
 * The identity map for unconstrained (real) values: x = u, log|J| = 0.
 *
 * @returns a bijector named `identity`
 * @example
 * ```ts
 * const x = new Float64Array(2);
 * identity().forward(new Float64Array([1, -2]), 0, x, 0, 2); // returns 0; x = [1, -2]
 * ```
 */
export function identity(): Bijector {
  return {
    name: "identity",
    unconstrainedSize: (n) => n,
    forward(u, uOff, x, xOff, n) {
      for (let i = 0; i < n; i++) x[xOff + i] = u[uOff + i]!;
      return 0;
    },
    inverse(x, xOff, u, uOff, n) {
      for (let i = 0; i < n; i++) u[uOff + i] = x[xOff + i]!;
    },
    backward(_u, _uOff, n, xAdj, xAdjOff, uAdj, uAdjOff) {
      for (let i = 0; i < n; i++) uAdj[uAdjOff + i]! += xAdj[xAdjOff + i]!;
    },
  };
}
