import { POSITIVE } from "../../core/support.js";
import { LN_PI } from "../special.js";
import { scalarFamily } from "./scalar_family.js";

/**
 * half_cauchy(scale): |Cauchy(0, scale)| on [0, ∞), log p(x) = log 2 − log π − log scale − log(1 + (x/scale)²).
 * The classic global-shrinkage prior of the horseshoe.
 *
 * @example
 * ```ts
 * halfCauchy.logDensity(0, { scale: 1 }); // returns log(2/π) ≈ −0.4515827053
 * ```
 */
export const halfCauchy = scalarFamily({
  family: "half_cauchy",
  params: { scale: { rank: 0, support: POSITIVE, doc: "scale of the underlying Cauchy" } },
  paramOrder: ["scale"],
  discrete: false,
  support: () => ({ kind: "lower", lower: 0 }),
  // 1/scale and log 2 − log π − log scale once per scale, not once per element.
  constants: {
    params: [0],
    size: 2,
    compute(scale, _b, _c, k) {
      k[0] = 1 / scale;
      k[1] = Math.LN2 - LN_PI - Math.log(scale);
    },
  },
  elementLogDensity(x, _scale, _b, _c, k) {
    if (!(x >= 0 && x < Number.POSITIVE_INFINITY)) return Number.NEGATIVE_INFINITY;
    const z = x * k[0]!;
    return k[1]! - Math.log1p(z * z);
  },
  elementLogDensityGrad(x, _scale, _b, _c, g, k) {
    if (!(x >= 0 && x < Number.POSITIVE_INFINITY)) return Number.NEGATIVE_INFINITY;
    const inv = k[0]!;
    const z = x * inv;
    const w = 1 / (1 + z * z);
    g[0] = -2 * z * w * inv;
    g[1] = (1 - 2 * w) * inv;
    return k[1]! - Math.log1p(z * z);
  },
  // |tan(π(u − ½))| has the same law as tan(πu/2) for u uniform on (0, 1).
  elementSample: (rng, scale) => scale * Math.tan(0.5 * Math.PI * rng.uniform()),
});
