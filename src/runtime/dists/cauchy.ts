import { POSITIVE, REAL } from "../../core/support.js";
import { LN_PI } from "../special.js";
import { scalarFamily } from "./scalar_family.js";

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
  // 1/scale and −log π − log scale once per scale, not once per element.
  constants: {
    params: [1],
    size: 2,
    compute(_loc, scale, _c, k) {
      k[0] = 1 / scale;
      k[1] = -LN_PI - Math.log(scale);
    },
  },
  elementLogDensity(x, loc, _scale, _c, k) {
    if (!Number.isFinite(x)) return Number.NEGATIVE_INFINITY;
    const z = (x - loc) * k[0]!;
    return k[1]! - Math.log1p(z * z);
  },
  elementLogDensityGrad(x, loc, _scale, _c, g, k) {
    if (!Number.isFinite(x)) return Number.NEGATIVE_INFINITY;
    const inv = k[0]!;
    const z = (x - loc) * inv;
    // w = 1/(1 + z²) keeps z²/(1 + z²) = 1 − w finite for huge z.
    const w = 1 / (1 + z * z);
    const dz = 2 * z * w * inv;
    g[0] = -dz;
    g[1] = dz;
    g[2] = (1 - 2 * w) * inv;
    return k[1]! - Math.log1p(z * z);
  },
  // Inverse CDF; u is in the open interval (0, 1), so the tangent is finite.
  elementSample: (rng, loc, scale) => loc + scale * Math.tan(Math.PI * (rng.uniform() - 0.5)),
});
