import { BOOLEAN, REAL } from "../../core/support.js";
import { log1pexp, logistic } from "../special.js";
import { scalarFamily } from "./scalar_family.js";

/**
 * bernoulli_logit(logit): bernoulli with prob = logistic(logit), evaluated on the log-odds
 * scale so that large |logit| neither underflows nor rounds to log 0:
 * log p(1) = −log(1 + e^(−logit)), log p(0) = −log(1 + e^(logit)).
 *
 * @example
 * ```ts
 * bernoulliLogit.logDensity(1, { logit: 0 }); // returns −log 2
 * ```
 */
export const bernoulliLogit = scalarFamily({
  family: "bernoulli_logit",
  params: { logit: { rank: 0, support: REAL, doc: "log-odds of 1" } },
  paramOrder: ["logit"],
  discrete: true,
  support: () => BOOLEAN,
  elementLogDensity(x, logit) {
    if (x === 1) return -log1pexp(-logit);
    return x === 0 ? -log1pexp(logit) : Number.NEGATIVE_INFINITY;
  },
  elementLogDensityGrad(x, logit, _b, _c, g) {
    if (x !== 0 && x !== 1) return Number.NEGATIVE_INFINITY;
    g[1] = x - logistic(logit);
    return x === 1 ? -log1pexp(-logit) : -log1pexp(logit);
  },
  elementSample: (rng, logit) => (rng.uniform() < logistic(logit) ? 1 : 0),
});
