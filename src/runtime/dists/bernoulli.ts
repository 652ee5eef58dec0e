import { BOOLEAN, UNIT_INTERVAL } from "../../core/support.js";
import { memoizeLast } from "./memo.js";
import { scalarFamily } from "./scalar_family.js";

const logProb = memoizeLast(Math.log);
const logOneMinusProb = memoizeLast((prob) => Math.log1p(-prob));

/**
 * bernoulli(prob): P(x = 1) = prob, P(x = 0) = 1 − prob, for prob in [0, 1].
 *
 * @example
 * ```ts
 * bernoulli.logDensity(new Float64Array([1, 0]), { prob: 0.25 }); // returns log(0.25) + log(0.75)
 * ```
 */
export const bernoulli = scalarFamily({
  family: "bernoulli",
  params: { prob: { rank: 0, support: UNIT_INTERVAL, doc: "probability of 1" } },
  paramOrder: ["prob"],
  discrete: true,
  support: () => BOOLEAN,
  elementLogDensity(x, prob) {
    if (x === 1) return logProb(prob);
    return x === 0 ? logOneMinusProb(prob) : Number.NEGATIVE_INFINITY;
  },
  elementLogDensityGrad(x, prob, _b, _c, g) {
    if (x === 1) {
      g[1] = 1 / prob;
      return logProb(prob);
    }
    if (x !== 0) return Number.NEGATIVE_INFINITY;
    g[1] = -1 / (1 - prob);
    return logOneMinusProb(prob);
  },
  elementSample: (rng, prob) => (rng.uniform() < prob ? 1 : 0),
});
