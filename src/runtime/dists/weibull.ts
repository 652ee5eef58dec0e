import { POSITIVE } from "../../core/support.js";
import { memoizeLast, memoizeLast2 } from "./memo.js";
import { scalarFamily } from "./scalar_family.js";

/** log shape − log scale, cached per (shape, scale); two logs, so that no ratio overflows. */
const logNormaliser = memoizeLast2((shape, scale) => Math.log(shape) - Math.log(scale));
const logScale = memoizeLast(Math.log);

/**
 * weibull(shape, scale): log p(x) = log(k/λ) + (k − 1)·log(x/λ) − (x/λ)^k on (0, ∞) with shape k
 * and scale λ; mean λ·Γ(1 + 1/k). Stan's weibull(alpha, sigma). x = 0 gives −Infinity (the
 * density there is 0 for k > 1, infinite for k < 1; the open support keeps samplers off it).
 *
 * @example
 * ```ts
 * weibull.logDensity(2, { shape: 1, scale: 1 }); // returns −2 (the exponential)
 * ```
 */
export const weibull = scalarFamily({
  family: "weibull",
  params: {
    shape: { rank: 0, support: POSITIVE, doc: "shape k" },
    scale: { rank: 0, support: POSITIVE, doc: "scale λ" },
  },
  paramOrder: ["shape", "scale"],
  discrete: false,
  support: () => POSITIVE,
  elementLogDensity(x, shape, scale) {
    if (!(x > 0 && x < Number.POSITIVE_INFINITY)) return Number.NEGATIVE_INFINITY;
    const logZ = Math.log(x) - logScale(scale);
    return logNormaliser(shape, scale) + (shape - 1) * logZ - Math.exp(shape * logZ);
  },
  elementLogDensityGrad(x, shape, scale, _c, g) {
    if (!(x > 0 && x < Number.POSITIVE_INFINITY)) return Number.NEGATIVE_INFINITY;
    const logZ = Math.log(x) - logScale(scale);
    const zk = Math.exp(shape * logZ);
    g[0] = (shape - 1 - shape * zk) / x;
    g[1] = 1 / shape + logZ * (1 - zk);
    g[2] = (shape * (zk - 1)) / scale;
    return logNormaliser(shape, scale) + (shape - 1) * logZ - zk;
  },
  // Inversion: λ·(−log u)^(1/k).
  elementSample: (rng, shape, scale) => scale * (-Math.log(rng.uniform())) ** (1 / shape),
});
