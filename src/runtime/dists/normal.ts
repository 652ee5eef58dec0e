import { POSITIVE, REAL } from "../../core/support.js";
import { HALF_LN_TWO_PI } from "../special.js";
import { scalarFamily } from "./scalar_family.js";

/**
 * normal(loc, scale): the Gaussian with mean `loc` and standard deviation `scale`,
 * log p(x) = −½z² − log scale − ½log 2π with z = (x − loc) / scale.
 *
 * @example
 * ```ts
 * normal.logDensity(0, { loc: 0, scale: 1 }); // returns −0.9189385332046727
 * ```
 */
export const normal = scalarFamily({
  family: "normal",
  params: {
    loc: { rank: 0, support: REAL, doc: "mean" },
    scale: { rank: 0, support: POSITIVE, doc: "standard deviation" },
  },
  paramOrder: ["loc", "scale"],
  discrete: false,
  support: () => REAL,
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
    if (!Number.isFinite(x)) return Number.NEGATIVE_INFINITY;
    const z = (x - loc) * k[0]!;
    return -0.5 * z * z - k[1]!;
  },
  elementLogDensityGrad(x, loc, _scale, _c, g, k) {
    if (!Number.isFinite(x)) return Number.NEGATIVE_INFINITY;
    const inv = k[0]!;
    const z = (x - loc) * inv;
    const dz = z * inv;
    g[0] = -dz;
    g[1] = dz;
    g[2] = (z * z - 1) * inv;
    return -0.5 * z * z - k[1]!;
  },
  elementSample: (rng, loc, scale) => loc + scale * rng.normal(),
});
