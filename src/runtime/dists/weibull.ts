import { POSITIVE } from "../../core/support.js";
import { memoizeLast } from "./memo.js";
import { scalarFamily } from "./scalar_family.js";

/** log shape, cached: a per-element scale then costs one log per element. */
const logShape = memoizeLast(Math.log);

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
  // Per (shape, scale): log shape − log scale (two logs, so that no ratio overflows), log scale
  // and 1/shape.
  constants: {
    params: [0, 1],
    size: 3,
    compute(shape, scale, _c, k) {
      const logScale = Math.log(scale);
      k[0] = logShape(shape) - logScale;
      k[1] = logScale;
      k[2] = 1 / shape;
    },
  },
  elementLogDensity(x, shape, _scale, _c, k) {
    if (!(x > 0 && x < Number.POSITIVE_INFINITY)) return Number.NEGATIVE_INFINITY;
    const logZ = Math.log(x) - k[1]!;
    return k[0]! + (shape - 1) * logZ - Math.exp(shape * logZ);
  },
  elementLogDensityGrad(x, shape, scale, _c, g, k) {
    if (!(x > 0 && x < Number.POSITIVE_INFINITY)) return Number.NEGATIVE_INFINITY;
    const logZ = Math.log(x) - k[1]!;
    const zk = Math.exp(shape * logZ);
    g[0] = (shape - 1 - shape * zk) / x;
    g[1] = k[2]! + logZ * (1 - zk);
    // Divided by scale, not times 1/scale: at zk = 1 the partial is 0 even where 1/scale overflows.
    g[2] = (shape * (zk - 1)) / scale;
    return k[0]! + (shape - 1) * logZ - zk;
  },
  // Inversion: λ·(−log u)^(1/k).
  elementSample: (rng, shape, scale) => scale * (-Math.log(rng.uniform())) ** (1 / shape),
});
