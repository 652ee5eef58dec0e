import { POSITIVE, UNIT_INTERVAL } from "../../core/support.js";
import { sampleBeta } from "../rng/samplers.js";
import { digamma, lbeta } from "../special.js";
import { memoizeLast, memoizeLast2 } from "./memo.js";
import { scalarFamily } from "./scalar_family.js";

const logBeta = memoizeLast2(lbeta);
const digammaA = memoizeLast(digamma);
const digammaB = memoizeLast(digamma);
const digammaSum = memoizeLast(digamma);

/**
 * beta(alpha, beta): log p(x) = (α − 1)·log x + (β − 1)·log(1 − x) − log B(α, β) on (0, 1);
 * mean α/(α + β). Parameter names follow Stan. The end points 0 and 1 give −Infinity (the
 * density there is 0 or infinite except for α = 1 or β = 1; the logistic bijector never reaches them).
 *
 * @example
 * ```ts
 * beta.logDensity(0.5, { alpha: 2, beta: 2 }); // returns log 1.5
 * ```
 */
export const beta = scalarFamily({
  family: "beta",
  params: {
    alpha: { rank: 0, support: POSITIVE, doc: "prior successes + 1 (shape of x)" },
    beta: { rank: 0, support: POSITIVE, doc: "prior failures + 1 (shape of 1 − x)" },
  },
  paramOrder: ["alpha", "beta"],
  discrete: false,
  support: () => UNIT_INTERVAL,
  elementLogDensity(x, a, b) {
    if (!(x > 0 && x < 1)) return Number.NEGATIVE_INFINITY;
    return (a - 1) * Math.log(x) + (b - 1) * Math.log1p(-x) - logBeta(a, b);
  },
  elementLogDensityGrad(x, a, b, _c, g) {
    if (!(x > 0 && x < 1)) return Number.NEGATIVE_INFINITY;
    const logX = Math.log(x);
    const log1mX = Math.log1p(-x);
    const psiSum = digammaSum(a + b);
    g[0] = (a - 1) / x - (b - 1) / (1 - x);
    g[1] = logX - digammaA(a) + psiSum;
    g[2] = log1mX - digammaB(b) + psiSum;
    return (a - 1) * logX + (b - 1) * log1mX - logBeta(a, b);
  },
  elementSample: sampleBeta,
});
