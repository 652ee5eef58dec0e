import { POSITIVE } from "../../core/support.js";
import { sampleGamma } from "../rng/samplers.js";
import { digamma, lgamma } from "../special.js";
import { memoizeLast } from "./memo.js";
import { scalarFamily } from "./scalar_family.js";

/** lgamma and ψ of the shape, cached: a per-element scale then costs one log per element. */
const lgammaShape = memoizeLast(lgamma);
const digammaShape = memoizeLast(digamma);

/**
 * inverse_gamma(shape, scale): the law of 1/g for g ~ gamma(shape, rate = scale),
 * log p(x) = shape·log scale − lgamma(shape) − (shape + 1)·log x − scale / x on (0, ∞);
 * mean scale/(shape − 1) for shape > 1. Stan's inv_gamma(alpha, beta). The conjugate prior of a
 * normal variance. x = 0 gives −Infinity (the density's limit there is 0).
 *
 * Sampling as 1/g can overflow to +Infinity for shape ≪ 1, where draws beyond the largest double
 * have real probability; such a draw lies outside the support and has density −Infinity.
 *
 * @example
 * ```ts
 * inverseGamma.logDensity(1, { shape: 1, scale: 1 }); // returns −1
 * ```
 */
export const inverseGamma = scalarFamily({
  family: "inverse_gamma",
  params: {
    shape: { rank: 0, support: POSITIVE, doc: "shape α" },
    scale: { rank: 0, support: POSITIVE, doc: "scale β" },
  },
  paramOrder: ["shape", "scale"],
  discrete: false,
  support: () => POSITIVE,
  // Per (shape, scale): the normaliser shape·log scale − lgamma(shape) and its shape-partial
  // log scale − ψ(shape).
  constants: {
    params: [0, 1],
    size: 2,
    compute(shape, scale, _c, k) {
      const logScale = Math.log(scale);
      k[0] = shape * logScale - lgammaShape(shape);
      k[1] = logScale - digammaShape(shape);
    },
  },
  elementLogDensity(x, shape, scale, _c, k) {
    if (!(x > 0 && x < Number.POSITIVE_INFINITY)) return Number.NEGATIVE_INFINITY;
    return k[0]! - (shape + 1) * Math.log(x) - scale / x;
  },
  elementLogDensityGrad(x, shape, scale, _c, g, k) {
    if (!(x > 0 && x < Number.POSITIVE_INFINITY)) return Number.NEGATIVE_INFINITY;
    const logX = Math.log(x);
    // scale / x rather than scale · (1/x): 1/x overflows for subnormal x where the ratio does not.
    const ratio = scale / x;
    g[0] = (ratio - (shape + 1)) / x;
    g[1] = k[1]! - logX;
    g[2] = (shape - ratio) / scale;
    return k[0]! - (shape + 1) * logX - ratio;
  },
  elementSample: (rng, shape, scale) => 1 / sampleGamma(rng, shape, scale),
});
