import { NONNEGATIVE_INTEGER, POSITIVE } from "../../core/support.js";
import { samplePoisson } from "../rng/samplers.js";
import { logFactorial } from "../special.js";
import { memoizeLast } from "./memo.js";
import { scalarFamily } from "./scalar_family.js";

const logRate = memoizeLast(Math.log);

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
  elementLogDensity(k, rate) {
    if (!(k >= 0 && Number.isInteger(k))) return Number.NEGATIVE_INFINITY;
    return k * logRate(rate) - rate - logFactorial(k);
  },
  elementLogDensityGrad(k, rate, _b, _c, g) {
    if (!(k >= 0 && Number.isInteger(k))) return Number.NEGATIVE_INFINITY;
    g[1] = k / rate - 1;
    return k * logRate(rate) - rate - logFactorial(k);
  },
  elementSample: samplePoisson,
});
