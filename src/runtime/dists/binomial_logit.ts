import { NONNEGATIVE_INTEGER, REAL } from "../../core/support.js";
import { sampleBinomial } from "../rng/samplers.js";
import { log1pexp, logistic } from "../special.js";
import { binomialSupport } from "./binomial.js";
import { logChoose } from "./log_choose.js";
import { memoizeLast } from "./memo.js";
import { scalarFamily } from "./scalar_family.js";

/** −log(1 + e^(−logit)) = log prob and −log(1 + e^(logit)) = log(1 − prob), cached per logit. */
const logProb = memoizeLast((logit) => -log1pexp(-logit));
const logOneMinusProb = memoizeLast((logit) => -log1pexp(logit));

/**
 * binomial_logit(trials, logit): binomial with prob = logistic(logit), evaluated on the log-odds
 * scale, log p(k) = log C(n, k) − k·log(1 + e^(−logit)) − (n − k)·log(1 + e^(logit)); finite for
 * every finite logit, where prob itself would round to 0 or 1.
 *
 * @example
 * ```ts
 * binomialLogit.logDensity(2, { trials: 4, logit: 0 }); // returns log(6/16)
 * ```
 */
export const binomialLogit = scalarFamily({
  family: "binomial_logit",
  params: {
    trials: { rank: 0, support: NONNEGATIVE_INTEGER, doc: "number of trials n" },
    logit: { rank: 0, support: REAL, doc: "log-odds of success" },
  },
  paramOrder: ["trials", "logit"],
  discrete: true,
  support: binomialSupport,
  elementLogDensity(k, n, logit) {
    if (!(k >= 0 && k <= n && Number.isInteger(k))) return Number.NEGATIVE_INFINITY;
    return logChoose(n, k) + k * logProb(logit) + (n - k) * logOneMinusProb(logit);
  },
  elementLogDensityGrad(k, n, logit, _c, g) {
    if (!(k >= 0 && k <= n && Number.isInteger(k))) return Number.NEGATIVE_INFINITY;
    g[2] = k - n * logistic(logit);
    return logChoose(n, k) + k * logProb(logit) + (n - k) * logOneMinusProb(logit);
  },
  elementSample: (rng, n, logit) => sampleBinomial(rng, n, logistic(logit)),
});
