import { POSITIVE, REAL } from "../../core/support.js";
import { LN_PI } from "../special.js";
import { memoizeLast } from "./memo.js";
import { scalarFamily } from "./scalar_family.js";

/** −log π − log scale, cached per scale. */
const logNormaliser = memoizeLast((scale) => -LN_PI - Math.log(scale));

/**
 * cauchy(loc, scale): log p(x) = −log π − log scale − log(1 + z²) with z = (x − loc) / scale.
 *
 * @example
 * ```ts
 * cauchy.logDensity(1, { loc: 0, scale: 1 }); // returns −log(2π) ≈ −1.8378770664
 * ```
 */
export const cauchy = scalarFamily({
  family: "cauchy",
  params: {
    loc: { rank: 0, support: REAL, doc: "location (median)" },
    scale: { rank: 0, support: POSITIVE, doc: "half-width at half-maximum" },
  },
  paramOrder: ["loc", "scale"],
  discrete: false,
  support: () => REAL,
  elementLogDensity(x, loc, scale) {
    if (!Number.isFinite(x)) return Number.NEGATIVE_INFINITY;
    const z = (x - loc) / scale;
    return logNormaliser(scale) - Math.log1p(z * z);
  },
  elementLogDensityGrad(x, loc, scale, _c, g) {
    if (!Number.isFinite(x)) return Number.NEGATIVE_INFINITY;
    const z = (x - loc) / scale;
    // w = 1/(1 + z²) keeps z²/(1 + z²) = 1 − w finite for huge z.
    const w = 1 / (1 + z * z);
    g[0] = (-2 * z * w) / scale;
    g[1] = (2 * z * w) / scale;
    g[2] = (1 - 2 * w) / scale;
    return logNormaliser(scale) - Math.log1p(z * z);
  },
  // Inverse CDF; u is in the open interval (0, 1), so the tangent is finite.
  elementSample: (rng, loc, scale) => loc + scale * Math.tan(Math.PI * (rng.uniform() - 0.5)),
});
