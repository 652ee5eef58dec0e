import type { FamilySignature } from "../../core/family.js";
import type { Rng } from "../../core/rng.js";
import type { Shape } from "../../core/shape.js";
import type { Support } from "../../core/support.js";
import type { Bijector } from "../bijectors/bijector.js";

/**
 * A value handed to a distribution: a number for a scalar, a flat row-major Float64Array for a
 * vector or matrix.
 *
 * @example
 * ```ts
 * const v: Value = new Float64Array([1, 2, 3]);
 * ```
 */
export type Value = number | Float64Array;

/**
 * Parameter values by name. For scalar-event families each parameter is a number or a
 * Float64Array of the value's length (elementwise parameters).
 *
 * @example
 * ```ts
 * const p: Params = { loc: 0, scale: new Float64Array([1, 2]) };
 * ```
 */
export type Params = Readonly<Record<string, Value>>;

/**
 * Where `logDensityGrad` *adds* its partial derivatives (reverse-mode accumulation: `+=`, never
 * `=`). A scalar argument's partial goes to a length-1 array; a broadcast scalar parameter
 * receives the sum over elements. An absent buffer means "not needed" (e.g. constant data).
 *
 * @example
 * ```ts
 * const out: GradOut = { x: new Float64Array(3), params: { loc: new Float64Array(1), scale: undefined } };
 * ```
 */
export interface GradOut {
  /** d logDensity / d x, accumulated; undefined when x is data. */
  readonly x?: Float64Array | undefined;
  /** d logDensity / d param, accumulated, by parameter name. */
  readonly params: Readonly<Record<string, Float64Array | undefined>>;
}

/**
 * A probability distribution family: its signature (for the IR and the checker), its density
 * with optional analytic partials, a sampler, and its support. Built-in and user-defined
 * families implement the same interface and are registered on a {@link Registry}.
 *
 * Contract: `logDensity` returns the *sum* of the log densities of all elements, including
 * normalising constants; `-Infinity` when a value or parameter lies outside its support; never NaN.
 *
 * @example
 * ```ts
 * const exponential: Distribution = {
 *   family: "exponential", paramOrder: ["rate"], eventRank: 0, discrete: false,
 *   params: { rate: { rank: 0, support: POSITIVE } },
 *   support: () => POSITIVE,
 *   logDensity: (x, p) => (x as number) > 0 ? Math.log(p.rate as number) - (p.rate as number) * (x as number) : -Infinity,
 *   sample: (rng, p) => -Math.log(rng.uniform()) / (p.rate as number),
 * };
 * ```
 */
export interface Distribution extends FamilySignature {
  /** The support of the value given the parameters (drives the default bijector). */
  support(p: Params): Support;
  /** Sum of elementwise log densities; `-Infinity` outside the support, never NaN. */
  logDensity(x: Value, p: Params): number;
  /**
   * Adds d/dx and d/dparam into `out` and returns the log density. Optional: when absent,
   * the density compiler differentiates `logDensity` numerically or symbolically.
   */
  logDensityGrad?(x: Value, p: Params, out: GradOut): number;
  /**
   * Draws a value of the given shape (`[]` for one scalar event, `[n]` for n broadcast
   * elements); writes into `out` when given.
   */
  sample(rng: Rng, p: Params, shape: Shape, out?: Float64Array): Value;
  /** Overrides the bijector chosen from the support. */
  bijector?(support: Support): Bijector;
  /** The shape of one event given parameter shapes (vector-event families only). */
  eventShape?(paramShapes: Readonly<Record<string, Shape>>): Shape;
}
