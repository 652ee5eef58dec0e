/**
 * Shared checks for the families whose parameters or events are vectors (categorical,
 * dirichlet, multi_normal, complex_normal): parameter lookup, event counting, gradient-buffer
 * and sample-shape validation, all reporting in the one error format.
 * @module runtime/dists/vector_family
 */
import { DomainError, describeValue, ModelError, ShapeError } from "../../core/errors.js";
import { formatShape, type Shape, shapeSize } from "../../core/shape.js";
import type { Support } from "../../core/support.js";
import type { Params, Value } from "./distribution.js";

/**
 * How far a simplex's sum may be from 1 (Stan's constraint tolerance): vectors coming out of a
 * bijector or user data carry rounding error; anything further off is not a probability vector.
 *
 * @example
 * ```ts
 * Math.abs(0.3 + 0.7 - 1) <= SIMPLEX_TOLERANCE; // true
 * ```
 */
export const SIMPLEX_TOLERANCE = 1e-8;

/**
 * The probability simplex {p : p_i ≥ 0, Σ p_i = 1}.
 *
 * @example
 * ```ts
 * dirichlet.support({ alpha: new Float64Array([1, 1]) }) === SIMPLEX; // true
 * ```
 */
export const SIMPLEX: Support = Object.freeze({ kind: "simplex" });

/**
 * The parameter `name` from `p`; throws the missing-parameter ModelError otherwise.
 *
 * @param where - the family, e.g. `dirichlet()`
 * @param p - the parameters
 * @param name - the parameter wanted
 * @param order - every parameter of the family, for the message
 * @returns the value
 * @example
 * ```ts
 * const alpha = requireParam("dirichlet()", { alpha: a }, "alpha", ["alpha"]);
 * ```
 */
export function requireParam(where: string, p: Params, name: string, order: readonly string[]): Value {
  const v = p[name];
  if (v === undefined) {
    throw new ModelError({
      where,
      what: `missing parameter '${name}'`,
      got: `parameters {${Object.keys(p).join(", ")}}`,
      expected: `{${order.join(", ")}}`,
    });
  }
  return v;
}

/**
 * A Float64Array view of a value: arrays as they are, a number written into `box` (length 1).
 *
 * @param v - a number or an array
 * @param box - a preallocated length-1 array
 * @returns an array holding the value
 * @example
 * ```ts
 * asArray(2, new Float64Array(1)); // Float64Array [2]
 * ```
 */
export function asArray(v: Value, box: Float64Array): Float64Array {
  if (typeof v !== "number") return v;
  box[0] = v;
  return box;
}

/**
 * The number of events in a value of `n` numbers with events of `eventSize` numbers; throws a
 * ShapeError when `n` is not a positive multiple.
 *
 * @param where - the family
 * @param n - the value's length
 * @param eventSize - numbers per event
 * @param what - what fixes the event size, for the message (e.g. "alpha has 3 entries")
 * @returns n / eventSize
 * @example
 * ```ts
 * eventCount("dirichlet()", 6, 3, "alpha has 3 entries"); // 2
 * ```
 */
export function eventCount(where: string, n: number, eventSize: number, what: string): number {
  if (eventSize === 0 || n === 0 || n % eventSize !== 0) {
    throw new ShapeError({
      where,
      what: `the value's length is not a whole number of events (${what})`,
      got: String(n),
      expected: `a positive multiple of ${eventSize}`,
    });
  }
  return n / eventSize;
}

/**
 * Throws a ShapeError unless an (optional) gradient buffer has the expected length.
 *
 * @param where - the family
 * @param label - e.g. "the value" or "parameter 'loc'"
 * @param buffer - the buffer or undefined
 * @param expected - the required length
 * @example
 * ```ts
 * checkGradBuffer("dirichlet()", "parameter 'alpha'", out.params.alpha, 3);
 * ```
 */
export function checkGradBuffer(
  where: string,
  label: string,
  buffer: Float64Array | undefined,
  expected: number,
): void {
  if (buffer !== undefined && buffer.length !== expected) {
    throw new ShapeError({
      where,
      what: `gradient buffer for ${label} has the wrong length`,
      got: String(buffer.length),
      expected: String(expected),
    });
  }
}

/**
 * The number of events a sample of `shape` holds, checking that the shape is a whole number of
 * events (`[]` stands for one event) and that `out`, when given, is long enough.
 *
 * @param where - the family
 * @param shape - the requested sample shape
 * @param eventSize - numbers per event
 * @param out - the optional output buffer
 * @returns the number of events to draw
 * @example
 * ```ts
 * sampleEvents("dirichlet()", [4, 3], 3, undefined); // 4
 * ```
 */
export function sampleEvents(where: string, shape: Shape, eventSize: number, out: Float64Array | undefined): number {
  const size = shape.length === 0 ? eventSize : shapeSize(shape);
  if (size === 0 || size % eventSize !== 0) {
    throw new ShapeError({
      where,
      what: "the sample shape is not a whole number of events",
      got: formatShape(shape),
      expected: `a size that is a positive multiple of ${eventSize}`,
    });
  }
  if (out !== undefined && out.length < size) {
    throw new ShapeError({
      where,
      what: "output buffer is too short",
      got: String(out.length),
      expected: `at least ${size}`,
    });
  }
  return size / eventSize;
}

/**
 * The DomainError for an invalid parameter at sampling time (the densities return −Infinity
 * instead).
 *
 * @param where - the family
 * @param what - the constraint broken, e.g. "parameter 'alpha' must be positive and finite"
 * @param got - the offending value
 * @returns the error, for `throw`
 * @example
 * ```ts
 * throw invalidParam("dirichlet()", "parameter 'alpha' must be positive and finite", -1);
 * ```
 */
export function invalidParam(where: string, what: string, got: unknown): DomainError {
  return new DomainError({ where, what, got: typeof got === "string" ? got : describeValue(got) });
}

/**
 * Whether `v[offset .. offset + k)` is a probability vector: every entry finite and at least
 * `lowest` (0 for categorical probabilities, which may be 0; a positive number for a dirichlet
 * value, whose log density needs log x), and the sum within {@link SIMPLEX_TOLERANCE} of 1.
 *
 * @param v - the array
 * @param offset - first entry
 * @param k - number of entries
 * @param open - true to require every entry > 0 (an open simplex)
 * @returns true on the simplex
 * @example
 * ```ts
 * onSimplex(new Float64Array([0.2, 0.8]), 0, 2, false); // true
 * ```
 */
export function onSimplex(v: Float64Array, offset: number, k: number, open: boolean): boolean {
  let sum = 0;
  for (let j = offset; j < offset + k; j++) {
    const p = v[j]!;
    if (!(open ? p > 0 : p >= 0) || !(p <= 1)) return false;
    sum += p;
  }
  return Math.abs(sum - 1) <= SIMPLEX_TOLERANCE;
}
