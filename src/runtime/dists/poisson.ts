import { NONNEGATIVE_INTEGER, POSITIVE } from "../../core/support.js";
import { samplePoisson } from "../rng/samplers.js";
import { logFactorialOf as logFactorial } from "./log_choose.js";
import { scalarFamily } from "./scalar_family.js";

/**
 * poisson(rate): log p(k) = k·log rate − rate − log k! for k = 0, 1, 2, …
 *
 * @example
 * ```ts
 * poisson.logDensity(0, { rate: 2 }); // returns −2
 * ```
 */
export const poisson = scalarFamily({
  family: "poisson",
  params: { rate: { rank: 0, support: POSITIVE, doc: "mean count" } },
  paramOrder: ["rate"],
  discrete: true,
  support: () => NONNEGATIVE_INTEGER,
  // log rate once per rate.
  constants: {
    params: [0],
    size: 1,
    compute(rate, _b, _c, c) {
      c[0] = Math.log(rate);
    },
  },
  elementLogDensity(k, rate, _b, _c, c) {
    if (!(k >= 0 && Number.isInteger(k))) return Number.NEGATIVE_INFINITY;
    return k * c[0]! - rate - logFactorial(k);
  },
  elementLogDensityGrad(k, rate, _b, _c, g, c) {
    if (!(k >= 0 && Number.isInteger(k))) return Number.NEGATIVE_INFINITY;
    // k / rate, not k · (1/rate): at k = 0 the partial is −1 even where 1/rate overflows.
    g[1] = k / rate - 1;
    return k * c[0]! - rate - logFactorial(k);
  },
  elementSample: samplePoisson,
});
