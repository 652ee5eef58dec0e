import { BOOLEAN, REAL } from "../../core/support.js";
import { logistic } from "../special.js";
import { scalarFamily } from "./scalar_family.js";

/**
 * bernoulli_logit(logit): bernoulli with prob = logistic(logit), evaluated on the log-odds
 * scale so that large |logit| neither underflows nor rounds to log 0:
 * log p(1) = −log(1 + e^(−logit)), log p(0) = −log(1 + e^(logit)).
 *
 * Per element the kernel takes one exponential, e = e^(−|η|) ≤ 1 (which cannot overflow):
 * log p(x) = min(s·η, 0) − log1p(e) with s = 2x − 1, and ∂/∂η = x − σ(η) with σ(η) = 1/(1 + e)
 * for η ≥ 0 and e/(1 + e) below (no cancellation on either side).
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
    if (x !== 0 && x !== 1) return Number.NEGATIVE_INFINITY;
    return Math.min((2 * x - 1) * logit, 0) - Math.log1p(Math.exp(-Math.abs(logit)));
  },
  elementLogDensityGrad(x, logit, _b, _c, g) {
    if (x !== 0 && x !== 1) return Number.NEGATIVE_INFINITY;
    const e = Math.exp(-Math.abs(logit));
    const r = 1 / (1 + e);
    g[1] = x - (logit >= 0 ? r : e * r);
    return Math.min((2 * x - 1) * logit, 0) - Math.log1p(e);
  },
  elementSample: (rng, logit) => (rng.uniform() < logistic(logit) ? 1 : 0),
});
