import { POSITIVE } from "../../core/support.js";
import { sampleGamma } from "../rng/samplers.js";
import { digamma, lgamma } from "../special.js";
import { memoizeLast } from "./memo.js";
import { scalarFamily } from "./scalar_family.js";

/** lgamma and ψ of the shape, cached: a per-element rate then costs one log per element. */
const lgammaShape = memoizeLast(lgamma);
const digammaShape = memoizeLast(digamma);

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
  // Per (shape, rate): the normaliser shape·log rate − lgamma(shape) and its shape-partial
  // log rate − ψ(shape).
  constants: {
    params: [0, 1],
    size: 2,
    compute(shape, rate, _c, k) {
      const logRate = Math.log(rate);
      k[0] = shape * logRate - lgammaShape(shape);
      k[1] = logRate - digammaShape(shape);
    },
  },
  elementLogDensity(x, shape, rate, _c, k) {
    if (!(x > 0 && x < Number.POSITIVE_INFINITY)) return Number.NEGATIVE_INFINITY;
    return k[0]! + (shape - 1) * Math.log(x) - rate * x;
  },
  elementLogDensityGrad(x, shape, rate, _c, g, k) {
    if (!(x > 0 && x < Number.POSITIVE_INFINITY)) return Number.NEGATIVE_INFINITY;
    const logX = Math.log(x);
    g[0] = (shape - 1) / x - rate;
    g[1] = k[1]! + logX;
    g[2] = shape / rate - x;
    return k[0]! + (shape - 1) * logX - rate * x;
  },
  elementSample: sampleGamma,
});
