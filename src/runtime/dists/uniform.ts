import { DomainError, ModelError } from "../../core/errors.js";
import { REAL, type Support } from "../../core/support.js";
import type { Params, Value } from "./distribution.js";
import { memoizeLast2 } from "./memo.js";
import { scalarFamily } from "./scalar_family.js";

/** log(upper − lower), also when the width overflows a double (e.g. ±1e308); cached per bounds. */
const logWidth = memoizeLast2((lower, upper) => {
  const width = upper - lower;
  return width < Number.POSITIVE_INFINITY ? Math.log(width) : Math.log(0.5 * upper - 0.5 * lower) + Math.LN2;
});

/** A bound given as a number or a length-1 array; undefined for an elementwise vector. */
function scalarBound(v: Value | undefined): number | undefined {
  if (typeof v === "number") return v;
  return v !== undefined && v.length === 1 ? v[0] : undefined;
}

/**
 * uniform(lower, upper): constant density 1/(upper − lower) on the closed interval
 * [lower, upper]; needs lower < upper (otherwise the density is −Infinity).
 *
 * @example
 * ```ts
 * uniform.logDensity(0.3, { lower: 0, upper: 2 }); // returns −log 2
 * ```
 */
export const uniform = scalarFamily({
  family: "uniform",
  params: {
    lower: { rank: 0, support: REAL, doc: "lower bound" },
    upper: { rank: 0, support: REAL, doc: "upper bound (greater than lower)" },
  },
  paramOrder: ["lower", "upper"],
  discrete: false,
  support(p: Params): Support {
    const lower = scalarBound(p.lower);
    const upper = scalarBound(p.upper);
    if (lower === undefined || upper === undefined) {
      // A Support carries one interval; elementwise bounds would need one bijector per element.
      throw new ModelError({
        where: "uniform()",
        what: "the support of a uniform with elementwise (vector) bounds is not one interval",
        got: "vector bounds",
        expected: "scalar lower and upper",
        hint: "use scalar bounds, or write x = lower + (upper - lower) * u with u ~ uniform(0, 1).",
      });
    }
    return { kind: "interval", lower, upper };
  },
  elementLogDensity(x, lower, upper) {
    if (!(lower < upper) || !(x >= lower && x <= upper)) return Number.NEGATIVE_INFINITY;
    return -logWidth(lower, upper);
  },
  elementLogDensityGrad(x, lower, upper, _c, g) {
    if (!(lower < upper) || !(x >= lower && x <= upper)) return Number.NEGATIVE_INFINITY;
    const width = upper - lower;
    g[0] = 0;
    g[1] = 1 / width;
    g[2] = -1 / width;
    return -logWidth(lower, upper);
  },
  elementSample(rng, lower, upper) {
    if (!(lower < upper)) {
      throw new DomainError({
        where: "uniform()",
        what: "parameter 'lower' must be below 'upper'",
        got: `lower ${lower}, upper ${upper}`,
      });
    }
    // lower·(1 − u) + upper·u stays inside [lower, upper] even when upper − lower overflows.
    const u = rng.uniform();
    return lower * (1 - u) + upper * u;
  },
});
