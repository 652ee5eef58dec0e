/**
 * Standard normal quantities the acquisitions need, accurate far into the lower tail: the
 * expected positive part h(z) = E[(z + Z)⁺] = φ(z) + z·Φ(z) of a shifted standard normal, its
 * logarithm and derivative, and log Φ(z).
 *
 * Why a continued fraction: for z ≪ 0 the direct formula φ(z) + zΦ(z) cancels catastrophically
 * (both terms are ≈ φ(z) and their difference is ≈ φ(z)/z²), and both underflow once z < −38.
 * Ament et al. (2023, "Unexpected improvements to expected improvement", NeurIPS) evaluate
 * log h through erfcx and log1mexp. Here the same log-space idea uses Laplace's continued
 * fraction for the Mills ratio R(t) = Φ(−t)/φ(t) = 1/(t + 1/(t + 2/(t + 3/(t + …)))): writing
 * R(t) = 1/(t + b(t)) with b(t) = 1/(t + 2/(t + 3/(t + …))) gives, for t = −z > 0,
 *   Φ(z) = φ(t)·R(t)  and  h(z) = φ(t)·(1 − t·R(t)) = φ(t)·R(t)·b(t),
 * a product of positive factors with no cancellation at all. So
 *   log h(z) = −t²/2 − ½log 2π + log R(t) + log b(t),   d log h/dz = Φ(z)/h(z) = 1/b(t),
 * which stay finite and accurate to a few ulps for every finite z.
 *
 * @module
 */
import { HALF_LN_TWO_PI } from "../../runtime/special.js";
import { normalCdf } from "../diagnostics/distribution_functions.js";

const INV_SQRT_TWO_PI = 0.3989422804014327;

/**
 * Below this z the continued-fraction forms are used (≤ ~110 terms at t = 2, 36 at t = 4). Above
 * it the direct formulas cancel by at most a factor ≈ 6 (h(−2)/φ(−2) ≈ 0.16), and `normalCdf`'s
 * erfc series is still relatively accurate; between −4 and −2 it is not (its 1 − erf form loses
 * up to ~1e-13), which is why the tail starts this early.
 */
const TAIL_FROM = -2;

/**
 * b(t) = 1/(t + 2/(t + 3/(t + …))) for t > 2 by the modified Lentz method (partial numerators
 * k = 1, 2, 3, …, partial denominators t). All terms are positive, so the recurrences are stable.
 */
function millsTail(t: number): number {
  const tiny = 1e-300;
  let f = tiny;
  let c = tiny;
  let d = 0;
  for (let k = 1; k < 1000; k++) {
    d = t + k * d;
    c = t + k / c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 2e-16) break;
  }
  return f;
}

/**
 * The standard normal density φ(z).
 *
 * @example
 * ```ts
 * normalPdf(0); // 0.3989422804014327
 * ```
 */
export function normalPdf(z: number): number {
  return INV_SQRT_TWO_PI * Math.exp(-0.5 * z * z);
}

/**
 * Φ(z) with full relative accuracy in the lower tail and full absolute accuracy everywhere:
 * φ(t)/(t + b(t)) for z = −t < −2, 1 − (the same at t = z) for z > 2, and `normalCdf`'s erfc
 * series in between (where it is relatively accurate).
 *
 * @example
 * ```ts
 * standardNormalCdf(-30); // ≈ 4.906713927148e-198, with full relative accuracy
 * ```
 */
export function standardNormalCdf(z: number): number {
  if (z < TAIL_FROM) return normalPdf(z) / (-z + millsTail(-z));
  if (z > -TAIL_FROM) return 1 - normalPdf(z) / (z + millsTail(z));
  return normalCdf(z);
}

/**
 * log Φ(z), finite for every finite z (≈ −z²/2 − log(−z) − ½log 2π as z → −∞).
 *
 * @example
 * ```ts
 * logNormalCdf(-40); // ≈ -804.608, while Math.log(Φ(-40)) is -Infinity
 * ```
 */
export function logNormalCdf(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  if (z > TAIL_FROM) return z > 0 ? Math.log1p(-standardNormalCdf(-z)) : Math.log(normalCdf(z));
  const t = -z;
  return -0.5 * t * t - HALF_LN_TWO_PI - Math.log(t + millsTail(t));
}

/**
 * d log Φ(z)/dz = φ(z)/Φ(z) (the inverse Mills ratio), accurate in the lower tail where it
 * grows like −z.
 *
 * @example
 * ```ts
 * logNormalCdfGrad(0); // 2·φ(0) ≈ 0.7978845608028654
 * ```
 */
export function logNormalCdfGrad(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  if (z > TAIL_FROM) return normalPdf(z) / standardNormalCdf(z);
  const t = -z;
  return t + millsTail(t);
}

/**
 * h(z) = E[(z + Z)⁺] = φ(z) + z·Φ(z) for Z ~ N(0, 1): the expected improvement of a unit-variance
 * Gaussian whose mean is z above the incumbent. Positive for every finite z; underflows to 0 only
 * below z ≈ −38 (use {@link logExpectedPositivePart} there).
 *
 * @example
 * ```ts
 * expectedPositivePart(0); // φ(0) ≈ 0.3989422804014327
 * ```
 */
export function expectedPositivePart(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  if (z > TAIL_FROM) return normalPdf(z) + z * standardNormalCdf(z);
  const t = -z;
  const b = millsTail(t);
  return (normalPdf(t) * b) / (t + b);
}

/**
 * log h(z) = log(φ(z) + z·Φ(z)), finite and accurate for every finite z (see the module notes).
 *
 * @example
 * ```ts
 * logExpectedPositivePart(-50); // ≈ -1258.8, where h(-50) underflows to 0
 * ```
 */
export function logExpectedPositivePart(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  if (z > TAIL_FROM) return Math.log(normalPdf(z) + z * standardNormalCdf(z));
  const t = -z;
  const b = millsTail(t);
  return -0.5 * t * t - HALF_LN_TWO_PI + Math.log(b / (t + b));
}

/**
 * d log h(z)/dz = Φ(z)/h(z) (since h′ = Φ), accurate in the lower tail where it grows like −z.
 *
 * @example
 * ```ts
 * logExpectedPositivePartGrad(0); // Φ(0)/φ(0) ≈ 1.2533141373155001
 * ```
 */
export function logExpectedPositivePartGrad(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  if (z > TAIL_FROM) {
    const cdf = standardNormalCdf(z);
    return cdf / (normalPdf(z) + z * cdf);
  }
  return 1 / millsTail(-z);
}
