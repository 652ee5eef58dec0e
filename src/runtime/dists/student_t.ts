import { POSITIVE, REAL } from "../../core/support.js";
import { sampleGamma } from "../rng/samplers.js";
import { digamma, LN_PI, lgamma } from "../special.js";
import { memoizeLast } from "./memo.js";
import { scalarFamily } from "./scalar_family.js";

/** lgamma((ν+1)/2) − lgamma(ν/2) − ½log(νπ), cached per ν. */
const dfNormaliser = memoizeLast((df) => lgamma(0.5 * (df + 1)) - lgamma(0.5 * df) - 0.5 * (Math.log(df) + LN_PI));
/** ∂ dfNormaliser / ∂ν = ½(ψ((ν+1)/2) − ψ(ν/2) − 1/ν), cached per ν. */
const dfNormaliserPartial = memoizeLast((df) => 0.5 * (digamma(0.5 * (df + 1)) - digamma(0.5 * df) - 1 / df));
const logScale = memoizeLast(Math.log);

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
  elementLogDensity(x, df, loc, scale) {
    if (!Number.isFinite(x)) return Number.NEGATIVE_INFINITY;
    const z = (x - loc) / scale;
    return dfNormaliser(df) - logScale(scale) - 0.5 * (df + 1) * Math.log1p((z * z) / df);
  },
  elementLogDensityGrad(x, df, loc, scale, g) {
    if (!Number.isFinite(x)) return Number.NEGATIVE_INFINITY;
    const z = (x - loc) / scale;
    const z2 = z * z;
    const log1pr = Math.log1p(z2 / df);
    // t = (ν+1)/(ν+z²) is the weight of the scale-mixture representation; bounded by (ν+1)/ν.
    const t = (df + 1) / (df + z2);
    g[0] = (-t * z) / scale;
    g[1] = dfNormaliserPartial(df) + 0.5 * ((t * z2) / df - log1pr);
    g[2] = (t * z) / scale;
    g[3] = (t * z2 - 1) / scale;
    return dfNormaliser(df) - logScale(scale) - 0.5 * (df + 1) * log1pr;
  },
  // z / sqrt(χ²_ν / ν), with χ²_ν / ν = Gamma(shape ν/2, rate ν/2).
  elementSample: (rng, df, loc, scale) =>
    loc + (scale * rng.normal()) / Math.sqrt(sampleGamma(rng, 0.5 * df, 0.5 * df)),
});
