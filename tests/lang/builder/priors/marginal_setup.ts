/**
 * Shared set-up of the marginal tests: the registry, a one-prior model compiled without data,
 * and per-draw statistics over the D coefficients.
 */
import { compile } from "../../../../src/inference/model/index.js";
import { type ModelContext, model } from "../../../../src/lang/builder/index.js";
import type { Parameterization } from "../../../../src/lang/builder/priors/index.js";
import { createDefaultRegistry, type Value } from "../../../../src/runtime/dists/index.js";
import { at, integrate, logProductHalfCauchyDensity } from "./reference.js";

export const registry = createDefaultRegistry();
/** Independent prior draws per check. */
export const DRAWS = 20_000;
/** Coefficients per draw. */
export const D = 4;
export const BOTH: readonly Parameterization[] = ["centered", "noncentered"];

/** A model holding one prior, compiled without data. */
export function priorModel(body: (m: ModelContext) => void) {
  return compile(
    model("prior", (m) => body(m), { families: registry }),
    {},
    registry,
  );
}

/** Per draw: the fraction of the D coefficients with |x_i| > t. */
export function tailFractions(draws: readonly Record<string, Value>[], name: string, t: number): Float64Array {
  return Float64Array.from(draws, (d) => {
    let c = 0;
    for (let i = 0; i < D; i++) if (Math.abs(at(d[name], i)) > t) c++;
    return c / D;
  });
}

/** Per draw: the fraction of the D values of `name` for which `test` holds. */
export function fractions(
  draws: readonly Record<string, Value>[],
  name: string,
  test: (v: number) => boolean,
): Float64Array {
  return Float64Array.from(draws, (d) => {
    let c = 0;
    for (let i = 0; i < D; i++) if (test(at(d[name], i))) c++;
    return c / D;
  });
}

/** Per draw: the mean of x_i² over the D coefficients. */
export function meanSquares(draws: readonly Record<string, Value>[], name: string): Float64Array {
  return Float64Array.from(draws, (d) => {
    let s = 0;
    for (let i = 0; i < D; i++) s += at(d[name], i) ** 2;
    return s / D;
  });
}

/** E over w = log(τλ/τ₀) (τ/τ₀, λ independent half-Cauchy(0, 1)) of f(τ₀·e^w). */
export function overHorseshoeScale(tau0: number, f: (scale: number) => number, panels = 240): number {
  return integrate((w) => f(tau0 * Math.exp(w)) * logProductHalfCauchyDensity(w), -60, 60, panels);
}
