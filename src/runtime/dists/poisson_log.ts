import { NONNEGATIVE_INTEGER, REAL } from "../../core/support.js";
import { samplePoisson } from "../rng/samplers.js";
import { logFactorialOf as logFactorial } from "./log_choose.js";
import { scalarFamily } from "./scalar_family.js";

/**
 * poisson_log(log_rate): poisson with rate = exp(log_rate), log p(k) = k·log_rate − exp(log_rate) − log k!.
 * The natural parameterisation for log-linear count models (no log of a rate that may underflow).
 *
 * @example
 * ```ts
 * poissonLog.logDensity(3, { log_rate: 0 }); // returns −1 − log 6
 * ```
 */
export const poissonLog = scalarFamily({
  family: "poisson_log",
  params: { log_rate: { rank: 0, support: REAL, doc: "log of the mean count" } },
  paramOrder: ["log_rate"],
  discrete: true,
  support: () => NONNEGATIVE_INTEGER,
  // exp overflows to Infinity for logRate > ~709, where the pmf is 0: −Infinity, tested before
  // k·logRate − rate can be ∞ − ∞ (huge k).
  elementLogDensity(k, logRate) {
    if (!(k >= 0 && Number.isInteger(k))) return Number.NEGATIVE_INFINITY;
    const rate = Math.exp(logRate);
    return rate < Number.POSITIVE_INFINITY ? k * logRate - rate - logFactorial(k) : Number.NEGATIVE_INFINITY;
  },
  elementLogDensityGrad(k, logRate, _b, _c, g) {
    if (!(k >= 0 && Number.isInteger(k))) return Number.NEGATIVE_INFINITY;
    const rate = Math.exp(logRate);
    g[1] = k - rate;
    return rate < Number.POSITIVE_INFINITY ? k * logRate - rate - logFactorial(k) : Number.NEGATIVE_INFINITY;
  },
  elementSample: (rng, logRate) => samplePoisson(rng, Math.exp(logRate)),
});
