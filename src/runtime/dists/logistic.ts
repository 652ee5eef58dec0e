import { POSITIVE, REAL } from "../../core/support.js";
import { scalarFamily } from "./scalar_family.js";

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
  // 1/scale and log scale once per scale, not once per element.
  constants: {
    params: [1],
    size: 2,
    compute(_loc, scale, _c, k) {
      k[0] = 1 / scale;
      k[1] = Math.log(scale);
    },
  },
  // With a = |z| and m = e^(−a) − 1 (expm1, exact near a = 0): e^(−a) = 1 + m ≤ 1 cannot
  // overflow, log p = −a − 2·log1p(e^(−a)) − log scale, and d/dz log p = −tanh(z/2) =
  // −sign(z)·(−m)/(2 + m), bounded in (−1, 1) and accurate for small |z|.
  elementLogDensity(x, loc, _scale, _c, k) {
    if (!Number.isFinite(x)) return Number.NEGATIVE_INFINITY;
    const a = Math.abs((x - loc) * k[0]!);
    return -a - 2 * Math.log1p(1 + Math.expm1(-a)) - k[1]!;
  },
  elementLogDensityGrad(x, loc, _scale, _c, g, k) {
    if (!Number.isFinite(x)) return Number.NEGATIVE_INFINITY;
    const inv = k[0]!;
    const z = (x - loc) * inv;
    const a = Math.abs(z);
    const m = Math.expm1(-a);
    const t = -m / (2 + m);
    const th = (z < 0 ? -t : t) * inv;
    g[0] = -th;
    g[1] = th;
    g[2] = (a * t - 1) * inv;
    return -a - 2 * Math.log1p(1 + m) - k[1]!;
  },
  // Inversion: loc + scale·logit(u), with logit(u) = log u − log(1 − u) accurate near both ends.
  elementSample(rng, loc, scale) {
    const u = rng.uniform();
    return loc + scale * (Math.log(u) - Math.log1p(-u));
  },
});
