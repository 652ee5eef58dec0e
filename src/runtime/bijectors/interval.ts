import { DomainError } from "../../core/errors.js";
import type { Bijector } from "./bijector.js";
import { requireFiniteBound } from "./checks.js";

/**
 * Maps the real line onto (a, b): x = a + (b − a)·logistic(u) (Stan's `lub_constrain`), with
 * log|J| = log(b − a) + log σ(u) + log(1 − σ(u)). For u > 0 the point is computed from the
 * upper end, b − (b − a)·σ(−u), so both ends keep full relative precision; the inverse is
 * u = log(x − a) − log(b − x) for the same reason.
 *
 * @param lower - finite lower bound a
 * @param upper - finite upper bound b > a
 * @returns a bijector named `interval(a, b)`
 * @example
 * ```ts
 * const x = new Float64Array(1);
 * interval(0, 1).forward(new Float64Array([0]), 0, x, 0, 1); // returns log(1/4); x = [0.5]
 * ```
 */
export function interval(lower: number, upper: number): Bijector {
  requireFiniteBound("interval()", "lower", lower);
  requireFiniteBound("interval()", "upper", upper);
  if (!(lower < upper)) {
    throw new DomainError({
      where: "interval()",
      what: "the lower bound must be below the upper bound",
      got: `(${lower}, ${upper})`,
      expected: "lower < upper",
    });
  }
  const width = upper - lower;
  const logWidth = Math.log(width);
  return {
    name: `interval(${lower}, ${upper})`,
    unconstrainedSize: (n) => n,
    forward(u, uOff, x, xOff, n) {
      let logJ = 0;
      for (let i = 0; i < n; i++) {
        const v = u[uOff + i]!;
        // e = exp(−|v|) ≤ 1; σ(−|v|) = e / (1 + e) is the distance to the nearer end, as a fraction.
        const e = Math.exp(-Math.abs(v));
        const near = (width * e) / (1 + e);
        x[xOff + i] = v > 0 ? upper - near : lower + near;
        logJ += logWidth - Math.abs(v) - 2 * Math.log1p(e);
      }
      return logJ;
    },
    inverse(x, xOff, u, uOff, n) {
      for (let i = 0; i < n; i++) {
        const v = x[xOff + i]!;
        u[uOff + i] = Math.log(v - lower) - Math.log(upper - v);
      }
    },
    backward(u, uOff, n, xAdj, xAdjOff, uAdj, uAdjOff) {
      for (let i = 0; i < n; i++) {
        const v = u[uOff + i]!;
        const e = Math.exp(-Math.abs(v));
        const q = 1 + e;
        // dx/du = (b − a)·σ(u)(1 − σ(u)) = (b − a)·e/(1 + e)²; d log|J|/du = 1 − 2σ(u) = −tanh(u/2).
        uAdj[uAdjOff + i]! += (xAdj[xAdjOff + i]! * width * e) / (q * q) - Math.tanh(0.5 * v);
      }
    },
  };
}
