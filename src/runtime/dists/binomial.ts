import { NONNEGATIVE_INTEGER, type Support, UNIT_INTERVAL } from "../../core/support.js";
import { sampleBinomial } from "../rng/samplers.js";
import type { Params } from "./distribution.js";
import { logChoose } from "./log_choose.js";
import { scalarFamily } from "./scalar_family.js";

/**
 * The support {0, …, trials} when `trials` is one number, else {0, 1, …} (elementwise trials
 * bound each element separately; the density checks them). Shared by binomial_logit.
 *
 * @param p - the parameters (only `trials` is read)
 * @returns the value's support
 * @example
 * ```ts
 * binomialSupport({ trials: 5, prob: 0.5 }); // { kind: "integer", lower: 0, upper: 5 }
 * ```
 */
export function binomialSupport(p: Params): Support {
  const trials = p.trials;
  const n = typeof trials === "number" ? trials : trials !== undefined && trials.length === 1 ? trials[0] : undefined;
  return n !== undefined && Number.isInteger(n) && n >= 0
    ? { kind: "integer", lower: 0, upper: n }
    : NONNEGATIVE_INTEGER;
}

/**
 * binomial(trials, prob): successes in `trials` independent trials with success probability
 * `prob`, log p(k) = log C(n, k) + k·log prob + (n − k)·log(1 − prob) for k = 0, …, n. `trials`
 * is a non-negative integer (discrete, so it receives no partial); prob may be 0 or 1, where
 * the terms with a zero count are taken as 0 (0·log 0 = 0).
 *
 * @example
 * ```ts
 * binomial.logDensity(2, { trials: 4, prob: 0.5 }); // returns log(6/16)
 * ```
 */
export const binomial = scalarFamily({
  family: "binomial",
  params: {
    trials: { rank: 0, support: NONNEGATIVE_INTEGER, doc: "number of trials n" },
    prob: { rank: 0, support: UNIT_INTERVAL, doc: "success probability" },
  },
  paramOrder: ["trials", "prob"],
  discrete: true,
  support: binomialSupport,
  // log prob, log(1 − prob), 1/prob and 1/(1 − prob) once per prob.
  constants: {
    params: [1],
    size: 4,
    compute(_n, prob, _c, c) {
      c[0] = Math.log(prob);
      c[1] = Math.log1p(-prob);
      c[2] = 1 / prob;
      c[3] = 1 / (1 - prob);
    },
  },
  // k = 0 (k = n) skips the log prob (log(1 − prob)) term, which is −∞ at prob = 0 (1) where the
  // term's weight is 0.
  elementLogDensity(k, n, _prob, _c, c) {
    if (!(k >= 0 && k <= n && Number.isInteger(k))) return Number.NEGATIVE_INFINITY;
    const successes = k === 0 ? 0 : k * c[0]!;
    const failures = k === n ? 0 : (n - k) * c[1]!;
    return logChoose(n, k) + successes + failures;
  },
  elementLogDensityGrad(k, n, _prob, _c, g, c) {
    if (!(k >= 0 && k <= n && Number.isInteger(k))) return Number.NEGATIVE_INFINITY;
    const successes = k === 0 ? 0 : k * c[0]!;
    const failures = k === n ? 0 : (n - k) * c[1]!;
    g[2] = (k === 0 ? 0 : k * c[2]!) - (k === n ? 0 : (n - k) * c[3]!);
    return logChoose(n, k) + successes + failures;
  },
  elementSample: sampleBinomial,
});
