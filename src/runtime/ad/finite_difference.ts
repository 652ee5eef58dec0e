import type { Distribution, GradOut, Params, Value } from "../dists/distribution.js";

/** cbrt(machine epsilon): the step that balances truncation and rounding error in central differences. */
const STEP = 6.055454452393343e-6;

/**
 * A stand-in for `logDensityGrad` built from `logDensity` by central finite differences, for
 * families that give no analytic partials. For scalar-event families (eventRank 0) each element
 * is differentiated through a one-element call, so the cost is O(n) `logDensity` calls of size
 * one per differentiated argument; for multivariate families every element of every needed
 * argument is perturbed in turn, O(n) calls of size n. The step is cbrt(ε)·max(1, |v|), which
 * gives about 1e-10 relative accuracy for smooth densities; near a support boundary the
 * perturbed point may fall outside and the partial becomes infinite — give such families
 * analytic partials.
 *
 * @param dist - the family
 * @returns a function with the `logDensityGrad` contract (adds partials into `out`)
 * @example
 * ```ts
 * const grad = finiteDifferenceGrad(myFamily);
 * const out = { x: new Float64Array(1), params: {} };
 * grad(0.3, { scale: 1 }, out);
 * ```
 */
export function finiteDifferenceGrad(dist: Distribution): (x: Value, p: Params, out: GradOut) => number {
  const names = dist.paramOrder;
  // One-element parameter object, reused across calls (no allocation per call).
  const element: Record<string, number> = {};
  for (const name of names) element[name] = 0;
  const scalarEvent = dist.eventRank === 0;

  function scalarEventGrad(x: Value, p: Params, out: GradOut): void {
    const n = typeof x === "number" ? 1 : x.length;
    for (let i = 0; i < n; i++) {
      for (const name of names) {
        const v = p[name];
        if (v === undefined) delete element[name];
        else element[name] = typeof v === "number" ? v : v[v.length === 1 ? 0 : i]!;
      }
      const xi = typeof x === "number" ? x : x[i]!;
      if (out.x !== undefined) {
        const h = STEP * Math.max(1, Math.abs(xi));
        out.x[i]! += (dist.logDensity(xi + h, element) - dist.logDensity(xi - h, element)) / (2 * h);
      }
      for (const name of names) {
        const buffer = out.params[name];
        if (buffer === undefined || p[name] === undefined) continue;
        const v = element[name]!;
        const h = STEP * Math.max(1, Math.abs(v));
        element[name] = v + h;
        const up = dist.logDensity(xi, element);
        element[name] = v - h;
        const down = dist.logDensity(xi, element);
        element[name] = v;
        buffer[buffer.length === 1 ? 0 : i]! += (up - down) / (2 * h);
      }
    }
  }

  function perturbArray(values: Float64Array, target: Float64Array, evaluate: () => number): void {
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      const h = STEP * Math.max(1, Math.abs(v));
      values[i] = v + h;
      const up = evaluate();
      values[i] = v - h;
      const down = evaluate();
      values[i] = v;
      target[i]! += (up - down) / (2 * h);
    }
  }

  function eventGrad(x: Value, p: Params, out: GradOut): void {
    const mutable = p as Record<string, Value>;
    if (out.x !== undefined && typeof x !== "number") perturbArray(x, out.x, () => dist.logDensity(x, p));
    for (const name of names) {
      const buffer = out.params[name];
      const v = p[name];
      if (buffer === undefined || v === undefined) continue;
      if (typeof v === "number") {
        const h = STEP * Math.max(1, Math.abs(v));
        mutable[name] = v + h;
        const up = dist.logDensity(x, p);
        mutable[name] = v - h;
        const down = dist.logDensity(x, p);
        mutable[name] = v;
        buffer[0]! += (up - down) / (2 * h);
      } else {
        perturbArray(v, buffer, () => dist.logDensity(x, p));
      }
    }
  }

  return (x, p, out) => {
    const value = dist.logDensity(x, p);
    if (!(value > Number.NEGATIVE_INFINITY)) return Number.NEGATIVE_INFINITY;
    if (scalarEvent) scalarEventGrad(x, p, out);
    else eventGrad(x, p, out);
    return value;
  };
}
