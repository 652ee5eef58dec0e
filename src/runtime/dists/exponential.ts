import { POSITIVE } from "../../core/support.js";
import { sampleExponential } from "../rng/samplers.js";
import { scalarFamily } from "./scalar_family.js";

/**
 * exponential(rate): log p(x) = log rate − rate·x on [0, ∞). The support is closed at 0, where
 * the density (= rate) is finite, as in Stan.
 *
 * @example
 * ```ts
 * exponential.logDensity(1, { rate: 2 }); // returns log 2 − 2
 * ```
 */
export const exponential = scalarFamily({
  family: "exponential",
  params: { rate: { rank: 0, support: POSITIVE, doc: "rate (1 / mean)" } },
  paramOrder: ["rate"],
  discrete: false,
  support: () => ({ kind: "lower", lower: 0 }),
  // log rate once per rate.
  constants: {
    params: [0],
    size: 1,
    compute(rate, _b, _c, k) {
      k[0] = Math.log(rate);
    },
  },
  elementLogDensity(x, rate, _b, _c, k) {
    if (!(x >= 0 && x < Number.POSITIVE_INFINITY)) return Number.NEGATIVE_INFINITY;
    return k[0]! - rate * x;
  },
  elementLogDensityGrad(x, rate, _b, _c, g, k) {
    if (!(x >= 0 && x < Number.POSITIVE_INFINITY)) return Number.NEGATIVE_INFINITY;
    g[0] = -rate;
    g[1] = 1 / rate - x;
    return k[0]! - rate * x;
  },
  elementSample: sampleExponential,
});
