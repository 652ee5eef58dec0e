import { POSITIVE } from "../../core/support.js";
import { sampleGamma } from "../rng/samplers.js";
import { scalarFamily } from "./scalar_family.js";
import { studentTConstants } from "./student_t_constants.js";

/**
 * half_student_t(df, scale): |student_t(df, 0, scale)| on [0, ∞),
 * log p(x) = log 2 + lgamma((ν+1)/2) − lgamma(ν/2) − ½log(νπ) − log scale − (ν+1)/2 · log(1 + z²/ν)
 * with z = x / scale. The usual weakly-informative prior on a scale (Gelman 2006); df = 1 is the
 * half-Cauchy of the horseshoe, and df → ∞ the half-normal. The support is closed at 0, where
 * the density is finite.
 *
 * @example
 * ```ts
 * halfStudentT.logDensity(0, { df: 1, scale: 1 }); // returns log(2/π), the half-Cauchy at 0
 * ```
 */
export const halfStudentT = scalarFamily({
  family: "half_student_t",
  params: {
    df: { rank: 0, support: POSITIVE, doc: "degrees of freedom" },
    scale: { rank: 0, support: POSITIVE, doc: "scale of the underlying student_t" },
  },
  paramOrder: ["df", "scale"],
  discrete: false,
  support: () => ({ kind: "lower", lower: 0 }),
  // Per (ν, scale): see studentTConstants.
  constants: {
    params: [0, 1],
    size: 5,
    compute(df, scale, _c, k) {
      studentTConstants(df, scale, k);
      k[0] += Math.LN2; // the half-t is twice the t density on (0, ∞)
    },
  },
  elementLogDensity(x, _df, _scale, _c, k) {
    if (!(x >= 0 && x < Number.POSITIVE_INFINITY)) return Number.NEGATIVE_INFINITY;
    const z = x * k[1]!;
    return k[0]! - k[3]! * Math.log1p(z * z * k[2]!);
  },
  elementLogDensityGrad(x, df, _scale, _c, g, k) {
    if (!(x >= 0 && x < Number.POSITIVE_INFINITY)) return Number.NEGATIVE_INFINITY;
    const inv = k[1]!;
    const z = x * inv;
    const z2 = z * z;
    const log1pr = Math.log1p(z2 * k[2]!);
    // t = (ν+1)/(ν+z²), the scale-mixture weight, is bounded by (ν+1)/ν, so no partial overflows.
    const t = (2 * k[3]!) / (df + z2);
    g[0] = -t * z * inv;
    g[1] = k[4]! + 0.5 * (t * z2 * k[2]! - log1pr);
    g[2] = (t * z2 - 1) * inv;
    return k[0]! - k[3]! * log1pr;
  },
  // |z| / sqrt(χ²_ν / ν), with χ²_ν / ν = Gamma(shape ν/2, rate ν/2).
  elementSample: (rng, df, scale) => (scale * Math.abs(rng.normal())) / Math.sqrt(sampleGamma(rng, 0.5 * df, 0.5 * df)),
});
