import { POSITIVE } from "../../core/support.js";
import { LN_PI } from "../special.js";
import { memoizeLast } from "./memo.js";
import { scalarFamily } from "./scalar_family.js";

/** log 2 − log π − log scale (twice the Cauchy density on [0, ∞)), cached per scale. */
const logNormaliser = memoizeLast((scale) => Math.LN2 - LN_PI - Math.log(scale));

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
  elementLogDensity(x, scale) {
    if (!(x >= 0 && x < Number.POSITIVE_INFINITY)) return Number.NEGATIVE_INFINITY;
    const z = x / scale;
    return logNormaliser(scale) - Math.log1p(z * z);
  },
  elementLogDensityGrad(x, scale, _b, _c, g) {
    if (!(x >= 0 && x < Number.POSITIVE_INFINITY)) return Number.NEGATIVE_INFINITY;
    const z = x / scale;
    const w = 1 / (1 + z * z);
    g[0] = (-2 * z * w) / scale;
    g[1] = (1 - 2 * w) / scale;
    return logNormaliser(scale) - Math.log1p(z * z);
  },
  // |tan(π(u − ½))| has the same law as tan(πu/2) for u uniform on (0, 1).
  elementSample: (rng, scale) => scale * Math.tan(0.5 * Math.PI * rng.uniform()),
});
