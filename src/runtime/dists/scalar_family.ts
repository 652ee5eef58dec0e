import { ModelError, ShapeError } from "../../core/errors.js";
import type { ParamSpec } from "../../core/family.js";
import type { Rng } from "../../core/rng.js";
import { type Shape, shapeSize } from "../../core/shape.js";
import type { Support } from "../../core/support.js";
import type { Distribution, GradOut, Params, Value } from "./distribution.js";
import { createParamBinder } from "./param_binding.js";

/** Most parameters any scalar family here takes (student_t: df, loc, scale). */
const MAX_PARAMS = 3;

/**
 * What a scalar-event family defines for ONE element; {@link scalarFamily} turns it into a
 * broadcasting {@link Distribution}. Parameters arrive positionally in `paramOrder` (unused
 * trailing arguments are 0) and have already been checked against their `ParamSpec` supports,
 * so element functions only check the value `x` and cross-parameter constraints.
 *
 * The density compiler calls the element functions once per element from generated loops. Keep
 * them small and self-contained — Math functions, arithmetic, module-local tables and caches —
 * with anything that depends on parameters only in `constants`: V8 then inlines them into the
 * loop, while a call it does not inline boxes the returned number on every element. They must
 * never return NaN (or a NaN partial next to a finite value) for ordinary finite arguments
 * inside their supports: a compiled density reports that as a bug in the family.
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
  /**
   * Numbers the element functions need that depend on some parameters only (1/scale, log scale,
   * lgamma(shape), ...), optional. Broadcasting a scalar parameter over n elements then computes
   * them once instead of n times: callers compute them whenever one of `params` changes and pass
   * them to the element functions as their last argument `k`. Example for normal(loc, scale):
   * `{ params: [1], size: 2, compute: (_loc, scale, _c, k) => { k[0] = 1 / scale; k[1] = Math.log(scale); } }`.
   */
  readonly constants?: {
    /** Positions in `paramOrder` of the parameters the constants are computed from. */
    readonly params: readonly number[];
    /** How many numbers `compute` writes (k[0] to k[size − 1]). */
    readonly size: number;
    /** Writes the constants for valid parameters (a, b, c) to `k`; reads only the positions in `params`. */
    compute(a: number, b: number, c: number, k: Float64Array): void;
  };
  /**
   * Log density of one element with full normalising constant; −Infinity outside the support.
   * `k` holds the `constants` of (a, b, c) when the family declares them.
   */
  elementLogDensity(x: number, a: number, b: number, c: number, k: Float64Array): number;
  /**
   * Same value; writes ∂/∂x to g[0] and ∂/∂(a, b, c) to g[1..3] (overwrites, need not touch
   * entries of absent parameters or g[0] for discrete families). Partials may be left stale when
   * the result is −Infinity. Computing the value exactly as `elementLogDensity` does keeps a
   * compiled model's density with and without gradient equal to the last bit.
   */
  elementLogDensityGrad(x: number, a: number, b: number, c: number, g: Float64Array, k: Float64Array): number;
  /** One draw with valid parameters, using only `rng`. */
  elementSample(rng: Rng, a: number, b: number, c: number): number;
}

/**
 * The per-element functions behind a distribution built by {@link scalarFamily}, for code that
 * runs its own loop over the elements (the density compiler fuses an observation's density with
 * the elementwise expression computing its parameters, so `loc = alpha[county] + floor * beta`
 * is never stored). A caller must reproduce what the broadcasting methods do around the element
 * functions: substitute `defaults` for absent parameters, pass unused trailing arguments as 0,
 * check every parameter value against `supports` (outside → the whole density is −Infinity),
 * pass the `constants` of the element's parameters (when declared), sum the element results in
 * element order, and never return a NaN sum (the broadcasting methods report it as −Infinity; the
 * density compiler explains it, see runtime/ad/nan_diagnosis).
 *
 * @example
 * ```ts
 * const k = elementKernel(normal)!;
 * const g = new Float64Array(4);
 * const c = new Float64Array(k.constants?.size ?? 0);
 * k.constants?.compute(0, 1, 0, c);
 * k.logDensityGrad(0.5, 0, 1, 0, g, c); // −0.125 − ½log 2π; g = [−0.5, 0.5, −0.75, ·]
 * ```
 */
export interface ElementKernel {
  /** Positional order of the parameters (argument a, b, c of the element functions). */
  readonly paramOrder: readonly string[];
  /** Support of each parameter, in `paramOrder`. */
  readonly supports: readonly Support[];
  /** Value used for an absent parameter, in `paramOrder` (undefined: the parameter is required). */
  readonly defaults: readonly (number | undefined)[];
  /** True when the value is discrete (g[0] is then never written). */
  readonly discrete: boolean;
  /** The definition's per-parameter constants, if any. */
  readonly constants: ScalarFamilyDefinition["constants"];
  /** The definition's `elementLogDensity`. */
  readonly logDensity: ScalarFamilyDefinition["elementLogDensity"];
  /** The definition's `elementLogDensityGrad` (writes g[0..3]). */
  readonly logDensityGrad: ScalarFamilyDefinition["elementLogDensityGrad"];
}

/**
 * Element kernels of the distributions {@link scalarFamily} built. A side table rather than a
 * member of the returned object: a copy of a family with its methods overridden
 * (`{ ...normal, logDensity }`) must not inherit element functions that no longer describe it.
 */
const kernels = new WeakMap<Distribution, ElementKernel>();

/**
 * The element kernel of a distribution built by {@link scalarFamily}; undefined for any other
 * distribution (including copies of a scalar family).
 *
 * @param dist - a distribution
 * @returns its element kernel, or undefined
 * @example
 * ```ts
 * elementKernel(normal)?.paramOrder; // ["loc", "scale"]
 * elementKernel({ ...normal }); // undefined
 * ```
 */
export function elementKernel(dist: Distribution): ElementKernel | undefined {
  return kernels.get(dist);
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
  const { elementLogDensity, elementLogDensityGrad, elementSample } = def;

  // Per-call bindings: each parameter's data, its stride (0 = broadcast), and its grad buffer.
  // Absent trailing arguments occupy the unused slots as broadcast zeros.
  const binder = createParamBinder(where, names, def.params, (s) => `be ${describeSupport(s)}`, MAX_PARAMS);
  const { data, strides, supports, defaults } = binder;
  const bindParams = binder.bind;
  const grads: (Float64Array | undefined)[] = [undefined, undefined, undefined];
  const xBox = new Float64Array(1);
  const g = new Float64Array(MAX_PARAMS + 1);
  let xData: Float64Array = xBox;
  const constants = def.constants;
  const constantParams = constants?.params ?? [];
  const kc = new Float64Array(constants?.size ?? 0);

  /**
   * Computes the constants once when every parameter they depend on is broadcast; returns true
   * when they vary by element instead (the loop then computes them per element).
   */
  function prepareConstants(): boolean {
    if (constants === undefined) return false;
    for (let q = 0; q < constantParams.length; q++) if (strides[constantParams[q]!] !== 0) return true;
    constants.compute(data[0]![0]!, data[1]![0]!, data[2]![0]!, kc);
    return false;
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

  const dist: Distribution = {
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
      const vary = prepareConstants();
      const xs = xData;
      let total = 0;
      for (let i = 0; i < n; i++) {
        const a = d0[i * s0]!;
        const b = d1[i * s1]!;
        const c = d2[i * s2]!;
        if (vary) constants!.compute(a, b, c, kc);
        const lp = elementLogDensity(xs[i]!, a, b, c, kc);
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
      const vary = prepareConstants();
      const xs = xData;
      // A broadcast parameter's partial is summed in a register and added once after the loop.
      let sum0 = 0;
      let sum1 = 0;
      let sum2 = 0;
      let total = 0;
      for (let i = 0; i < n; i++) {
        const a = d0[i * s0]!;
        const b = d1[i * s1]!;
        const c = d2[i * s2]!;
        if (vary) constants!.compute(a, b, c, kc);
        const lp = elementLogDensityGrad(xs[i]!, a, b, c, g, kc);
        if (!(lp > Number.NEGATIVE_INFINITY)) return Number.NEGATIVE_INFINITY;
        total += lp;
        if (gx !== undefined) gx[i]! += g[0]!;
        if (g0 !== undefined) {
          if (s0 === 0) sum0 += g[1]!;
          else g0[i]! += g[1]!;
        }
        if (g1 !== undefined) {
          if (s1 === 0) sum1 += g[2]!;
          else g1[i]! += g[2]!;
        }
        if (g2 !== undefined) {
          if (s2 === 0) sum2 += g[3]!;
          else g2[i]! += g[3]!;
        }
      }
      if (g0 !== undefined && s0 === 0) g0[0]! += sum0;
      if (g1 !== undefined && s1 === 0) g1[0]! += sum1;
      if (g2 !== undefined && s2 === 0) g2[0]! += sum2;
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
  kernels.set(dist, {
    paramOrder: names,
    supports,
    defaults,
    discrete: def.discrete,
    constants,
    logDensity: elementLogDensity,
    logDensityGrad: elementLogDensityGrad,
  });
  return dist;
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
