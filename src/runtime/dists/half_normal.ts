import { POSITIVE } from "../../core/support.js";
import { HALF_LN_TWO_PI } from "../special.js";
import { scalarFamily } from "./scalar_family.js";

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
  // 1/scale and log 2 − ½log 2π − log scale once per scale, not once per element.
  constants: {
    params: [0],
    size: 2,
    compute(scale, _b, _c, k) {
      k[0] = 1 / scale;
      k[1] = Math.LN2 - HALF_LN_TWO_PI - Math.log(scale);
    },
  },
  elementLogDensity(x, _scale, _b, _c, k) {
    if (!(x >= 0 && x < Number.POSITIVE_INFINITY)) return Number.NEGATIVE_INFINITY;
    const z = x * k[0]!;
    return k[1]! - 0.5 * z * z;
  },
  elementLogDensityGrad(x, _scale, _b, _c, g, k) {
    if (!(x >= 0 && x < Number.POSITIVE_INFINITY)) return Number.NEGATIVE_INFINITY;
    const inv = k[0]!;
    const z = x * inv;
    g[0] = -z * inv;
    g[1] = (z * z - 1) * inv;
    return k[1]! - 0.5 * z * z;
  },
  elementSample: (rng, scale) => scale * Math.abs(rng.normal()),
});
