import { POSITIVE } from "../../core/support.js";
import { sampleGamma } from "../rng/samplers.js";
import { digamma, lgamma } from "../special.js";
import { memoizeLast2 } from "./memo.js";
import { scalarFamily } from "./scalar_family.js";

/** shape·log scale − lgamma(shape), cached per (shape, scale). */
const logNormaliser = memoizeLast2((shape, scale) => shape * Math.log(scale) - lgamma(shape));
/** ∂ logNormaliser / ∂shape = log scale − ψ(shape). */
const shapePartial = memoizeLast2((shape, scale) => Math.log(scale) - digamma(shape));

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
  elementLogDensity(x, shape, scale) {
    if (!(x > 0 && x < Number.POSITIVE_INFINITY)) return Number.NEGATIVE_INFINITY;
    return logNormaliser(shape, scale) - (shape + 1) * Math.log(x) - scale / x;
  },
  elementLogDensityGrad(x, shape, scale, _c, g) {
    if (!(x > 0 && x < Number.POSITIVE_INFINITY)) return Number.NEGATIVE_INFINITY;
    const logX = Math.log(x);
    // scale / x rather than scale · (1/x): 1/x overflows for subnormal x where the ratio does not.
    const ratio = scale / x;
    g[0] = (ratio - (shape + 1)) / x;
    g[1] = shapePartial(shape, scale) - logX;
    g[2] = (shape - ratio) / scale;
    return logNormaliser(shape, scale) - (shape + 1) * logX - ratio;
  },
  elementSample: (rng, shape, scale) => 1 / sampleGamma(rng, shape, scale),
});
