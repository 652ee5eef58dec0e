import { NONNEGATIVE_INTEGER, REAL } from "../../core/support.js";
import { sampleBinomial } from "../rng/samplers.js";
import { logistic } from "../special.js";
import { binomialSupport } from "./binomial.js";
import { logChoose } from "./log_choose.js";
import { scalarFamily } from "./scalar_family.js";

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
  // Per logit η, from one exponential e = e^(−|η|) ≤ 1: log prob = min(η, 0) − log1p(e),
  // log(1 − prob) = min(−η, 0) − log1p(e) and prob = 1/(1 + e) (η ≥ 0) or e/(1 + e) (η < 0).
  constants: {
    params: [1],
    size: 3,
    compute(_n, logit, _c, c) {
      const e = Math.exp(-Math.abs(logit));
      const softplus = Math.log1p(e);
      const r = 1 / (1 + e);
      c[0] = Math.min(logit, 0) - softplus;
      c[1] = Math.min(-logit, 0) - softplus;
      c[2] = logit >= 0 ? r : e * r;
    },
  },
  elementLogDensity(k, n, _logit, _c, c) {
    if (!(k >= 0 && k <= n && Number.isInteger(k))) return Number.NEGATIVE_INFINITY;
    return logChoose(n, k) + k * c[0]! + (n - k) * c[1]!;
  },
  elementLogDensityGrad(k, n, _logit, _c, g, c) {
    if (!(k >= 0 && k <= n && Number.isInteger(k))) return Number.NEGATIVE_INFINITY;
    g[2] = k - n * c[2]!;
    return logChoose(n, k) + k * c[0]! + (n - k) * c[1]!;
  },
  elementSample: (rng, n, logit) => sampleBinomial(rng, n, logistic(logit)),
});
