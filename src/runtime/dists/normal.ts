import { POSITIVE, REAL } from "../../core/support.js";
import { HALF_LN_TWO_PI } from "../special.js";
import { memoizeLast } from "./memo.js";
import { scalarFamily } from "./scalar_family.js";

/** log scale + ½log 2π, remembered across the elements of a broadcast scale. */
const logNormaliser = memoizeLast((scale) => Math.log(scale) + HALF_LN_TWO_PI);

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
  elementLogDensity(x, loc, scale) {
    if (!Number.isFinite(x)) return Number.NEGATIVE_INFINITY;
    const z = (x - loc) / scale;
    return -0.5 * z * z - logNormaliser(scale);
  },
  elementLogDensityGrad(x, loc, scale, _c, g) {
    if (!Number.isFinite(x)) return Number.NEGATIVE_INFINITY;
    const z = (x - loc) / scale;
    g[0] = -z / scale;
    g[1] = z / scale;
    g[2] = (z * z - 1) / scale;
    return -0.5 * z * z - logNormaliser(scale);
  },
  elementSample: (rng, loc, scale) => loc + scale * rng.normal(),
});
