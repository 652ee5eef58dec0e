/**
 * Central differences for the gradient checks of many test folders, written once so that every
 * check perturbs, evaluates and divides the same way.
 */

/**
 * (f(x + h·eⱼ) − f(x − h·eⱼ)) / 2h: the central difference of f along coordinate j, with error
 * O(h²·f‴) from truncation plus about ε·|f|/h from rounding. `x` is left unchanged; f receives
 * fresh copies, so it may keep or modify what it is given.
 *
 * @example
 * ```ts
 * centralDifference((x) => x[0] * x[1], Float64Array.of(2, 3), 0, 1e-6); // ≈ 3
 * ```
 */
export function centralDifference(f: (x: Float64Array) => number, x: Float64Array, j: number, h: number): number {
  const plus = Float64Array.from(x);
  const minus = Float64Array.from(x);
  plus[j] += h;
  minus[j] -= h;
  return (f(plus) - f(minus)) / (2 * h);
}
