import { POSITIVE, REAL } from "../../core/support.js";
import { sampleGamma } from "../rng/samplers.js";
import { scalarFamily } from "./scalar_family.js";
import { studentTConstants } from "./student_t_constants.js";

/**
 * student_t(df, loc, scale): log p(x) = lgamma((ν+1)/2) − lgamma(ν/2) − ½log(νπ) − log scale
 * − (ν+1)/2 · log(1 + z²/ν) with z = (x − loc) / scale and ν = df.
 *
 * @example
 * ```ts
 * studentT.logDensity(0, { df: 1, loc: 0, scale: 1 }); // returns −log π (the Cauchy)
 * ```
 */
export const studentT = scalarFamily({
  family: "student_t",
  params: {
    df: { rank: 0, support: POSITIVE, doc: "degrees of freedom" },
    loc: { rank: 0, support: REAL, doc: "location (median)" },
    scale: { rank: 0, support: POSITIVE, doc: "scale" },
  },
  paramOrder: ["df", "loc", "scale"],
  discrete: false,
  support: () => REAL,
  // Per (ν, scale): see studentTConstants.
  constants: {
    params: [0, 2],
    size: 5,
    compute(df, _loc, scale, k) {
      studentTConstants(df, scale, k);
    },
  },
  elementLogDensity(x, _df, loc, _scale, k) {
    if (!Number.isFinite(x)) return Number.NEGATIVE_INFINITY;
    const z = (x - loc) * k[1]!;
    return k[0]! - k[3]! * Math.log1p(z * z * k[2]!);
  },
  elementLogDensityGrad(x, df, loc, _scale, g, k) {
    if (!Number.isFinite(x)) return Number.NEGATIVE_INFINITY;
    const inv = k[1]!;
    const z = (x - loc) * inv;
    const z2 = z * z;
    const log1pr = Math.log1p(z2 * k[2]!);
    // t = (ν+1)/(ν+z²) is the weight of the scale-mixture representation; bounded by (ν+1)/ν.
    const t = (2 * k[3]!) / (df + z2);
    const tz = t * z * inv;
    g[0] = -tz;
    g[1] = k[4]! + 0.5 * (t * z2 * k[2]! - log1pr);
    g[2] = tz;
    g[3] = (t * z2 - 1) * inv;
    return k[0]! - k[3]! * log1pr;
  },
  // z / sqrt(χ²_ν / ν), with χ²_ν / ν = Gamma(shape ν/2, rate ν/2).
  elementSample: (rng, df, loc, scale) =>
    loc + (scale * rng.normal()) / Math.sqrt(sampleGamma(rng, 0.5 * df, 0.5 * df)),
});
