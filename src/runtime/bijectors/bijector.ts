/**
 * A smooth invertible map from unconstrained reals to a constrained set, as in Stan's
 * transforms. Works in place on slices of flat Float64Arrays so that the density compiler can
 * use it without allocating.
 *
 * @example
 * ```ts
 * const x = new Float64Array(1);
 * const logJ = lowerBound(0).forward(new Float64Array([0.3]), 0, x, 0, 1); // x = exp(0.3), logJ = 0.3
 * ```
 */
export interface Bijector {
  /** Name for printing and errors, e.g. `lower(0)`, `simplex`. */
  readonly name: string;
  /** Unconstrained length for a constrained value of length n (simplex: n - 1). */
  unconstrainedSize(n: number): number;
  /**
   * x[xOff .. xOff+n) = f(u[uOff .. uOff+unconstrainedSize(n))); returns log|det J_f(u)|.
   * `n` is the constrained length.
   */
  forward(u: Float64Array, uOff: number, x: Float64Array, xOff: number, n: number): number;
  /** u = f⁻¹(x) for a constrained value of length n. */
  inverse(x: Float64Array, xOff: number, u: Float64Array, uOff: number, n: number): void;
  /**
   * Reverse-mode step through `forward`: given the adjoint of x, *adds* Jᵀ·xAdj plus
   * ∇_u log|det J| into uAdj. `u` is the point at which forward was evaluated.
   */
  backward(
    u: Float64Array,
    uOff: number,
    n: number,
    xAdj: Float64Array,
    xAdjOff: number,
    uAdj: Float64Array,
    uAdjOff: number,
  ): void;
}
