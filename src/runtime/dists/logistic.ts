import { POSITIVE, REAL } from "../../core/support.js";
import { log1pexp } from "../special.js";
import { memoizeLast } from "./memo.js";
import { scalarFamily } from "./scalar_family.js";

const logScale = memoizeLast(Math.log);

/**
 * logistic(loc, scale): log p(x) = −z − 2·log(1 + e^(−z)) − log scale with z = (x − loc) / scale;
 * mean loc, variance (π·scale)²/3. Evaluated in the symmetric form −|z| − 2·log(1 + e^(−|z|)),
 * which neither overflows nor cancels in the tails.
 *
 * @example
 * ```ts
 * logistic.logDensity(0, { loc: 0, scale: 1 }); // returns −log 4
 * ```
 */
export const logistic = scalarFamily({
  family: "logistic",
  params: {
    loc: { rank: 0, support: REAL, doc: "location (mean and median)" },
    scale: { rank: 0, support: POSITIVE, doc: "scale s (standard deviation s·π/√3)" },
  },
  paramOrder: ["loc", "scale"],
  discrete: false,
  support: () => REAL,
  elementLogDensity(x, loc, scale) {
    if (!Number.isFinite(x)) return Number.NEGATIVE_INFINITY;
    const a = Math.abs((x - loc) / scale);
    return -a - 2 * log1pexp(-a) - logScale(scale);
  },
  elementLogDensityGrad(x, loc, scale, _c, g) {
    if (!Number.isFinite(x)) return Number.NEGATIVE_INFINITY;
    const z = (x - loc) / scale;
    const a = Math.abs(z);
    // d/dz log p = −tanh(z/2), bounded in (−1, 1).
    const th = Math.tanh(0.5 * z);
    g[0] = -th / scale;
    g[1] = th / scale;
    g[2] = (z * th - 1) / scale;
    return -a - 2 * log1pexp(-a) - logScale(scale);
  },
  // Inversion: loc + scale·logit(u), with logit(u) = log u − log(1 − u) accurate near both ends.
  elementSample(rng, loc, scale) {
    const u = rng.uniform();
    return loc + scale * (Math.log(u) - Math.log1p(-u));
  },
});
