import { POSITIVE } from "../../core/support.js";
import { HALF_LN_TWO_PI } from "../special.js";
import { memoizeLast } from "./memo.js";
import { scalarFamily } from "./scalar_family.js";

/** log 2 − ½log 2π − log scale (twice the normal density on [0, ∞)), cached per scale. */
const logNormaliser = memoizeLast((scale) => Math.LN2 - HALF_LN_TWO_PI - Math.log(scale));

/**
 * half_normal(scale): |N(0, scale²)| on [0, ∞), log p(x) = log 2 − ½log 2π − log scale − ½(x/scale)².
 * The support is closed at 0, where the density is finite.
 *
 * @example
 * ```ts
 * halfNormal.logDensity(0, { scale: 1 }); // returns log 2 − ½log 2π ≈ −0.2257913526
 * ```
 */
export const halfNormal = scalarFamily({
  family: "half_normal",
  params: { scale: { rank: 0, support: POSITIVE, doc: "scale of the underlying normal" } },
  paramOrder: ["scale"],
  discrete: false,
  support: () => ({ kind: "lower", lower: 0 }),
  elementLogDensity(x, scale) {
    if (!(x >= 0 && x < Number.POSITIVE_INFINITY)) return Number.NEGATIVE_INFINITY;
    const z = x / scale;
    return logNormaliser(scale) - 0.5 * z * z;
  },
  elementLogDensityGrad(x, scale, _b, _c, g) {
    if (!(x >= 0 && x < Number.POSITIVE_INFINITY)) return Number.NEGATIVE_INFINITY;
    const z = x / scale;
    g[0] = -z / scale;
    g[1] = (z * z - 1) / scale;
    return logNormaliser(scale) - 0.5 * z * z;
  },
  elementSample: (rng, scale) => scale * Math.abs(rng.normal()),
});
