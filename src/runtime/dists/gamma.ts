import { POSITIVE } from "../../core/support.js";
import { sampleGamma } from "../rng/samplers.js";
import { digamma, lgamma } from "../special.js";
import { memoizeLast2 } from "./memo.js";
import { scalarFamily } from "./scalar_family.js";

/** shape·log rate − lgamma(shape), cached per (shape, rate). */
const logNormaliser = memoizeLast2((shape, rate) => shape * Math.log(rate) - lgamma(shape));
/** ∂ logNormaliser / ∂shape = log rate − ψ(shape). */
const shapePartial = memoizeLast2((shape, rate) => Math.log(rate) - digamma(shape));

/**
 * gamma(shape, rate): log p(x) = shape·log rate − lgamma(shape) + (shape − 1)·log x − rate·x on
 * (0, ∞); mean shape/rate. x = 0 gives −Infinity for every shape (the density there is 0, finite
 * or infinite depending on shape; an open support keeps samplers away from the +Infinity case).
 *
 * @example
 * ```ts
 * gamma.logDensity(2, { shape: 1, rate: 1 }); // returns −2 (the exponential)
 * ```
 */
export const gamma = scalarFamily({
  family: "gamma",
  params: {
    shape: { rank: 0, support: POSITIVE, doc: "shape α" },
    rate: { rank: 0, support: POSITIVE, doc: "rate β (1 / scale)" },
  },
  paramOrder: ["shape", "rate"],
  discrete: false,
  support: () => POSITIVE,
  elementLogDensity(x, shape, rate) {
    if (!(x > 0 && x < Number.POSITIVE_INFINITY)) return Number.NEGATIVE_INFINITY;
    return logNormaliser(shape, rate) + (shape - 1) * Math.log(x) - rate * x;
  },
  elementLogDensityGrad(x, shape, rate, _c, g) {
    if (!(x > 0 && x < Number.POSITIVE_INFINITY)) return Number.NEGATIVE_INFINITY;
    const logX = Math.log(x);
    g[0] = (shape - 1) / x - rate;
    g[1] = shapePartial(shape, rate) + logX;
    g[2] = shape / rate - x;
    return logNormaliser(shape, rate) + (shape - 1) * logX - rate * x;
  },
  elementSample: sampleGamma,
});
