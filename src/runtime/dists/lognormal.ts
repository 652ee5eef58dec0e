import { POSITIVE, REAL } from "../../core/support.js";
import { HALF_LN_TWO_PI } from "../special.js";
import { scalarFamily } from "./scalar_family.js";

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
  // 1/scale and log scale + ½log 2π once per scale, not once per element.
  constants: {
    params: [1],
    size: 2,
    compute(_loc, scale, _c, k) {
      k[0] = 1 / scale;
      k[1] = Math.log(scale) + HALF_LN_TWO_PI;
    },
  },
  elementLogDensity(x, loc, _scale, _c, k) {
    if (!(x > 0 && x < Number.POSITIVE_INFINITY)) return Number.NEGATIVE_INFINITY;
    const logX = Math.log(x);
    const z = (logX - loc) * k[0]!;
    return -0.5 * z * z - k[1]! - logX;
  },
  elementLogDensityGrad(x, loc, _scale, _c, g, k) {
    if (!(x > 0 && x < Number.POSITIVE_INFINITY)) return Number.NEGATIVE_INFINITY;
    const inv = k[0]!;
    const logX = Math.log(x);
    const z = (logX - loc) * inv;
    const dz = z * inv;
    g[0] = -(dz + 1) / x;
    g[1] = dz;
    g[2] = (z * z - 1) * inv;
    return -0.5 * z * z - k[1]! - logX;
  },
  elementSample: (rng, loc, scale) => Math.exp(loc + scale * rng.normal()),
});
