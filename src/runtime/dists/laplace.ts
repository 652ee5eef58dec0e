import { POSITIVE, REAL } from "../../core/support.js";
import { scalarFamily } from "./scalar_family.js";

/**
 * laplace(loc, scale): the double exponential, log p(x) = −log(2·scale) − |x − loc| / scale;
 * mean loc, variance 2·scale². The marginal prior of the Bayesian lasso. At x = loc the density
 * has a kink: the partials there use sign(0) = 0, the midpoint of the subgradient (a point a
 * continuous sampler reaches with probability 0).
 *
 * @example
 * ```ts
 * laplace.logDensity(1, { loc: 0, scale: 1 }); // returns −log 2 − 1
 * ```
 */
export const laplace = scalarFamily({
  family: "laplace",
  params: {
    loc: { rank: 0, support: REAL, doc: "location (mean and median)" },
    scale: { rank: 0, support: POSITIVE, doc: "scale b (standard deviation b·√2)" },
  },
  paramOrder: ["loc", "scale"],
  discrete: false,
  support: () => REAL,
  // 1/scale and log(2·scale) once per scale, not once per element.
  constants: {
    params: [1],
    size: 2,
    compute(_loc, scale, _c, k) {
      k[0] = 1 / scale;
      k[1] = Math.LN2 + Math.log(scale);
    },
  },
  elementLogDensity(x, loc, _scale, _c, k) {
    if (!Number.isFinite(x)) return Number.NEGATIVE_INFINITY;
    return -Math.abs(x - loc) * k[0]! - k[1]!;
  },
  elementLogDensityGrad(x, loc, _scale, _c, g, k) {
    if (!Number.isFinite(x)) return Number.NEGATIVE_INFINITY;
    const inv = k[0]!;
    const d = x - loc;
    const a = Math.abs(d) * inv;
    const s = Math.sign(d) * inv;
    g[0] = -s;
    g[1] = s;
    g[2] = (a - 1) * inv;
    return -a - k[1]!;
  },
  // Inversion: with v = u − ½, x = loc − scale·sign(v)·log(1 − 2|v|); u ∈ (0, 1) keeps the log finite.
  elementSample(rng, loc, scale) {
    const v = rng.uniform() - 0.5;
    return loc - scale * Math.sign(v) * Math.log1p(-2 * Math.abs(v));
  },
});
