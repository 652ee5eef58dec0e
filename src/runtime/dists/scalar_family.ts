import { DomainError, describeValue, ModelError, ShapeError } from "../../core/errors.js";
import type { ParamSpec } from "../../core/family.js";
import type { Rng } from "../../core/rng.js";
import { formatShape, type Shape, shapeSize } from "../../core/shape.js";
import { inScalarSupport, type Support } from "../../core/support.js";
import type { Distribution, GradOut, Params, Value } from "./distribution.js";

/** Most parameters any scalar family here takes (student_t: df, loc, scale). */
const MAX_PARAMS = 3;

/**
 * What a scalar-event family defines for ONE element; {@link scalarFamily} turns it into a
 * broadcasting {@link Distribution}. Parameters arrive positionally in `paramOrder` (unused
 * trailing arguments are 0) and have already been checked against their `ParamSpec` supports,
 * so element functions only check the value `x` and cross-parameter constraints.
 *
 * @example
 * ```ts
 * const def: ScalarFamilyDefinition = {
 *   family: "exponential", paramOrder: ["rate"], discrete: false,
 *   params: { rate: { rank: 0, support: POSITIVE } },
 *   support: () => POSITIVE,
 *   elementLogDensity: (x, rate) => (x > 0 && x < Infinity ? Math.log(rate) - rate * x : -Infinity),
 *   elementLogDensityGrad: (x, rate, _b, _c, g) => { g[0] = -rate; g[1] = 1 / rate - x; return Math.log(rate) - rate * x; },
 *   elementSample: (rng, rate) => -Math.log(rng.uniform()) / rate,
 * };
 * ```
 */
export interface ScalarFamilyDefinition {
  /** Snake-case family name. */
  readonly family: string;
  /** Parameter specifications (all rank 0; they broadcast over the value). */
  readonly params: Readonly<Record<string, ParamSpec>>;
  /** Positional order; element functions receive parameters in this order. */
  readonly paramOrder: readonly string[];
  /** True for integer/boolean values. */
  readonly discrete: boolean;
  /** Support of the value given the parameters. */
  support(p: Params): Support;
  /** Log density of one element with full normalising constant; −Infinity outside the support. */
  elementLogDensity(x: number, a: number, b: number, c: number): number;
  /**
   * Same value; writes ∂/∂x to g[0] and ∂/∂(a, b, c) to g[1..3] (overwrites, need not touch
   * entries of absent parameters or g[0] for discrete families). Partials may be left stale when
   * the result is −Infinity.
   */
  elementLogDensityGrad(x: number, a: number, b: number, c: number, g: Float64Array): number;
  /** One draw with valid parameters, using only `rng`. */
  elementSample(rng: Rng, a: number, b: number, c: number): number;
}

/**
 * Turns an element-wise definition into a broadcasting scalar-event {@link Distribution}.
 *
 * Broadcasting: the value is a number (length 1) or a Float64Array of length n; each parameter
 * is a number, a length-1 Float64Array (broadcast) or a Float64Array of length n. `logDensity`
 * is the sum over elements; a NaN from an element (which would be a bug) is reported as
 * −Infinity rather than leaked. `logDensityGrad` adds partials into the given buffers (a
 * broadcast parameter's buffer has length 1 and receives the summed partial); when it returns
 * −Infinity the buffers' contents are unspecified. Neither allocates: the per-call bindings
 * live in scratch owned by the returned object (JavaScript is single-threaded, and element
 * functions never re-enter their own family).
 *
 * @example
 * ```ts
 * const exponential = scalarFamily(def);
 * exponential.logDensity(new Float64Array([0.5, 1]), { rate: 2 }); // 2·log 2 − 3
 * ```
 */
export function scalarFamily(def: ScalarFamilyDefinition): Distribution {
  const where = `${def.family}()`;
  const names = def.paramOrder;
  const m = names.length;
  if (m > MAX_PARAMS) {
    throw new ModelError({
      where: "scalarFamily()",
      what: `family '${def.family}' has too many parameters`,
      got: String(m),
      expected: `at most ${MAX_PARAMS}`,
      hint: "implement the Distribution interface directly for families with more parameters.",
    });
  }
  const supports: Support[] = names.map((name) => def.params[name]!.support);
  const defaults: (number | undefined)[] = names.map((name) => def.params[name]!.default);
  const { elementLogDensity, elementLogDensityGrad, elementSample } = def;

  // Per-call bindings: each parameter's data, its stride (0 = broadcast), and its grad buffer.
  const boxes = [new Float64Array(1), new Float64Array(1), new Float64Array(1)];
  const data: Float64Array[] = boxes.slice();
  const strides = new Int32Array(MAX_PARAMS);
  const grads: (Float64Array | undefined)[] = [undefined, undefined, undefined];
  const xBox = new Float64Array(1);
  const g = new Float64Array(MAX_PARAMS + 1);
  let xData: Float64Array = xBox;

  /** Binds parameters for n elements; returns false when a bound value is outside its support. */
  function bindParams(p: Params, n: number, strict: boolean): boolean {
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
      if (strict || valid) {
        const bad = firstOutside(data[k]!, strides[k] === 0 ? 1 : n, supports[k]!);
        if (bad >= 0) {
          if (strict) throw outsideError(where, name, supports[k]!, data[k]!, bad, strides[k]! !== 0);
          valid = false;
        }
      }
    }
    for (let k = m; k < MAX_PARAMS; k++) {
      boxes[k]![0] = 0;
      data[k] = boxes[k]!;
      strides[k] = 0;
    }
    return valid;
  }

  function bindValue(x: Value): number {
    if (typeof x === "number") {
      xBox[0] = x;
      xData = xBox;
      return 1;
    }
    xData = x;
    return x.length;
  }

  function bindGrads(out: GradOut, n: number): Float64Array | undefined {
    for (let k = 0; k < m; k++) {
      const buffer = out.params[names[k]!];
      const expected = strides[k] === 0 ? 1 : n;
      if (buffer !== undefined && buffer.length !== expected) {
        throw new ShapeError({
          where,
          what: `gradient buffer for parameter '${names[k]}' has the wrong length`,
          got: String(buffer.length),
          expected: String(expected),
        });
      }
      grads[k] = buffer;
    }
    for (let k = m; k < MAX_PARAMS; k++) grads[k] = undefined;
    const gx = def.discrete ? undefined : out.x;
    if (gx !== undefined && gx.length !== n) {
      throw new ShapeError({
        where,
        what: "gradient buffer for the value has the wrong length",
        got: String(gx.length),
        expected: String(n),
      });
    }
    return gx;
  }

  return {
    family: def.family,
    params: def.params,
    paramOrder: def.paramOrder,
    eventRank: 0,
    discrete: def.discrete,
    support: def.support,

    logDensity(x: Value, p: Params): number {
      const n = bindValue(x);
      if (!bindParams(p, n, false)) return Number.NEGATIVE_INFINITY;
      const d0 = data[0]!;
      const d1 = data[1]!;
      const d2 = data[2]!;
      const s0 = strides[0]!;
      const s1 = strides[1]!;
      const s2 = strides[2]!;
      let total = 0;
      for (let i = 0; i < n; i++) {
        const lp = elementLogDensity(xData[i]!, d0[i * s0]!, d1[i * s1]!, d2[i * s2]!);
        if (!(lp > Number.NEGATIVE_INFINITY)) return Number.NEGATIVE_INFINITY;
        total += lp;
      }
      return Number.isNaN(total) ? Number.NEGATIVE_INFINITY : total;
    },

    logDensityGrad(x: Value, p: Params, out: GradOut): number {
      const n = bindValue(x);
      if (!bindParams(p, n, false)) return Number.NEGATIVE_INFINITY;
      const gx = bindGrads(out, n);
      const d0 = data[0]!;
      const d1 = data[1]!;
      const d2 = data[2]!;
      const s0 = strides[0]!;
      const s1 = strides[1]!;
      const s2 = strides[2]!;
      const g0 = grads[0];
      const g1 = grads[1];
      const g2 = grads[2];
      let total = 0;
      for (let i = 0; i < n; i++) {
        const lp = elementLogDensityGrad(xData[i]!, d0[i * s0]!, d1[i * s1]!, d2[i * s2]!, g);
        if (!(lp > Number.NEGATIVE_INFINITY)) return Number.NEGATIVE_INFINITY;
        total += lp;
        if (gx !== undefined) gx[i]! += g[0]!;
        if (g0 !== undefined) g0[i * s0]! += g[1]!;
        if (g1 !== undefined) g1[i * s1]! += g[2]!;
        if (g2 !== undefined) g2[i * s2]! += g[3]!;
      }
      return Number.isNaN(total) ? Number.NEGATIVE_INFINITY : total;
    },

    sample(rng: Rng, p: Params, shape: Shape, out?: Float64Array): Value {
      const n = shapeSize(shape);
      bindParams(p, n, true);
      if (out !== undefined && out.length < n) {
        throw new ShapeError({
          where,
          what: "output buffer is too short",
          got: String(out.length),
          expected: `at least ${n}`,
        });
      }
      const d0 = data[0]!;
      const d1 = data[1]!;
      const d2 = data[2]!;
      if (shape.length === 0 && out === undefined) {
        if (strides[0] !== 0 || strides[1] !== 0 || strides[2] !== 0) {
          throw new ShapeError({
            where,
            what: "vector parameters need a vector sample shape",
            got: "scalar",
            expected: "[n]",
          });
        }
        return elementSample(rng, d0[0]!, d1[0]!, d2[0]!);
      }
      const target = out ?? new Float64Array(n);
      const s0 = strides[0]!;
      const s1 = strides[1]!;
      const s2 = strides[2]!;
      for (let i = 0; i < n; i++) target[i] = elementSample(rng, d0[i * s0]!, d1[i * s1]!, d2[i * s2]!);
      return target;
    },
  };
}

/** Index of the first of n values outside the support, or −1. */
function firstOutside(values: Float64Array, n: number, support: Support): number {
  for (let i = 0; i < n; i++) if (!inScalarSupport(support, values[i]!)) return i;
  return -1;
}

/** Plain-words description of a parameter support: "positive", "finite", "in [0, 1]". */
function describeSupport(support: Support): string {
  switch (support.kind) {
    case "real":
      return "finite";
    case "positive":
      return "positive and finite";
    case "lower":
      return `at least ${support.lower} and finite`;
    case "upper":
      return `at most ${support.upper} and finite`;
    case "interval":
      return `in [${support.lower}, ${support.upper}]`;
    default:
      return `in ${support.kind}`;
  }
}

function outsideError(
  where: string,
  name: string,
  support: Support,
  values: Float64Array,
  index: number,
  elementwise: boolean,
): DomainError {
  const value = describeValue(values[index]!);
  return new DomainError({
    where,
    what: `parameter '${name}' must be ${describeSupport(support)}`,
    got: elementwise ? `${value} at element ${index}` : value,
  });
}
