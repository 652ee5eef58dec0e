/**
 * Binding of broadcasting scalar parameters for the element-wise families (built-in scalar
 * families and expression priors): default substitution, boxing of numbers, the broadcast
 * check and the support check, shared so both report the same errors the same way.
 * @module runtime/dists/param_binding
 */
import { DomainError, describeValue, ModelError, ShapeError } from "../../core/errors.js";
import type { ParamSpec } from "../../core/family.js";
import { formatShape } from "../../core/shape.js";
import { inScalarSupport, type Support } from "../../core/support.js";
import type { Params } from "./distribution.js";

/**
 * Preallocated per-call bindings of a family's parameters. After `bind`, slot k holds parameter
 * k's values in `data[k]` and its stride in `strides[k]` (0 = broadcast one value, 1 = one value
 * per element), so a loop reads element i of parameter k as `data[k][i * strides[k]]`.
 *
 * @example
 * ```ts
 * const binder = createParamBinder("normal()", ["loc", "scale"], specs);
 * binder.bind({ loc: new Float64Array([0, 1]), scale: 2 }, 2, false); // true
 * binder.strides; // Int32Array [1, 0]
 * ```
 */
export interface ParamBinder {
  /** Values of each slot; a number is boxed in a length-1 array owned by the binder. */
  readonly data: Float64Array[];
  /** Stride of each slot: 0 broadcasts data[k][0], 1 steps through n values. */
  readonly strides: Int32Array;
  /** Support of each parameter, in order. */
  readonly supports: readonly Support[];
  /** Value used for an absent parameter, in order (undefined: the parameter is required). */
  readonly defaults: readonly (number | undefined)[];
  /**
   * Binds the parameters `p` for n elements without allocating (the bindings are overwritten by
   * the next call; JavaScript is single-threaded and element functions never re-enter). Returns
   * false when a value is outside its support; with `strict` it throws a DomainError instead.
   * Throws a ModelError for a missing required parameter and a ShapeError for a vector whose
   * length is neither 1 nor n.
   */
  bind(p: Params, n: number, strict: boolean): boolean;
}

/**
 * Creates the bindings for the scalar parameters `names` (in positional order) of a family.
 *
 * @param where - error location, such as "normal()"
 * @param names - parameter names in positional order
 * @param specs - parameter specifications by name (supports and defaults)
 * @param requirement - the words after "must" in a support error, such as `be positive`
 * @param slots - number of slots (at least names.length); the extra ones stay scalar 0 with
 *   stride 0, for callers that always pass a fixed number of arguments
 * @returns the binder
 * @example
 * ```ts
 * const binder = createParamBinder("exponential()", ["rate"], { rate: { rank: 0, support: POSITIVE } }, (s) => `lie in ${formatSupport(s)}`);
 * binder.bind({ rate: -1 }, 1, false); // false: outside the support
 * ```
 */
export function createParamBinder(
  where: string,
  names: readonly string[],
  specs: Readonly<Record<string, ParamSpec>>,
  requirement: (support: Support) => string,
  slots = names.length,
): ParamBinder {
  const m = names.length;
  const supports = names.map((name) => specs[name]!.support);
  const defaults = names.map((name) => specs[name]!.default);
  const boxes = Array.from({ length: slots }, () => new Float64Array(1));
  const data: Float64Array[] = boxes.slice();
  const strides = new Int32Array(slots);

  function bind(p: Params, n: number, strict: boolean): boolean {
    let valid = true;
    for (let k = 0; k < m; k++) {
      const name = names[k]!;
      let v = p[name];
      if (v === undefined) {
        const fallback = defaults[k];
        if (fallback === undefined) {
          throw new ModelError({
            where,
            what: `missing parameter '${name}'`,
            got: `parameters {${Object.keys(p).join(", ")}}`,
            expected: `{${names.join(", ")}}`,
          });
        }
        v = fallback;
      }
      if (typeof v === "number") {
        boxes[k]![0] = v;
        data[k] = boxes[k]!;
        strides[k] = 0;
      } else {
        if (v.length !== 1 && v.length !== n) {
          throw new ShapeError({
            where,
            what: `parameter '${name}' does not broadcast against the value`,
            got: formatShape([v.length]),
            expected: `a scalar or ${formatShape([n])}`,
          });
        }
        data[k] = v;
        strides[k] = v.length === 1 ? 0 : 1;
      }
      // Once one value is outside, a non-strict bind only needs the remaining shape checks.
      if (strict || valid) {
        const values = data[k]!;
        const count = strides[k] === 0 ? 1 : n;
        for (let i = 0; i < count; i++) {
          if (inScalarSupport(supports[k]!, values[i]!)) continue;
          if (strict) {
            const value = describeValue(values[i]);
            throw new DomainError({
              where,
              what: `parameter '${name}' must ${requirement(supports[k]!)}`,
              got: strides[k] === 0 ? value : `${value} at element ${i}`,
            });
          }
          valid = false;
          break;
        }
      }
    }
    return valid;
  }

  return { data, strides, supports, defaults, bind };
}
