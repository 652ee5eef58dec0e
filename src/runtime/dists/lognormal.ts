import { POSITIVE, REAL } from "../../core/support.js";
import { HALF_LN_TWO_PI } from "../special.js";
import { memoizeLast } from "./memo.js";
import { scalarFamily } from "./scalar_family.js";

/** log scale + ½log 2π, cached per scale. */
const logNormaliser = memoizeLast((scale) => Math.log(scale) + HALF_LN_TWO_PI);

/**
 * lognormal(loc, scale): log x ~ normal(loc, scale), log p(x) = −½z² − log scale − ½log 2π − log x
 * with z = (log x − loc) / scale. Lives on (0, ∞).
 *
 * @example
 * ```ts
 * lognormal.logDensity(1, { loc: 0, scale: 1 }); // returns −0.9189385332046727
 * ```
 */
export const lognormal = scalarFamily({
  family: "lognormal",
  params: {
    loc: { rank: 0, support: REAL, doc: "mean of log x" },
    scale: { rank: 0, support: POSITIVE, doc: "standard deviation of log x" },
  },
  paramOrder: ["loc", "scale"],
  discrete: false,
  support: () => POSITIVE,
  elementLogDensity(x, loc, scale) {
    if (!(x > 0 && x < Number.POSITIVE_INFINITY)) return Number.NEGATIVE_INFINITY;
    const logX = Math.log(x);
    const z = (logX - loc) / scale;
    return -0.5 * z * z - logNormaliser(scale) - logX;
  },
  elementLogDensityGrad(x, loc, scale, _c, g) {
    if (!(x > 0 && x < Number.POSITIVE_INFINITY)) return Number.NEGATIVE_INFINITY;
    const logX = Math.log(x);
    const z = (logX - loc) / scale;
    g[0] = -(z / scale + 1) / x;
    g[1] = z / scale;
    g[2] = (z * z - 1) / scale;
    return -0.5 * z * z - logNormaliser(scale) - logX;
  },
  elementSample: (rng, loc, scale) => Math.exp(loc + scale * rng.normal()),
});
