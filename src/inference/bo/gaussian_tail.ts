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
 * which stay finite and accurate to a few ulps for every finite z. φ, Φ and b(t) come from the
 * runtime's special functions (`normalPdf`, `normalCdf`, `millsFraction`).
 *
 * @module
 */
import { HALF_LN_TWO_PI, millsFraction, normalCdf, normalPdf } from "../../runtime/special.js";

/**
 * Below this z the continued-fraction forms are used (≤ ~110 terms at t = 2, 36 at t = 4). Above
 * it the direct formulas cancel by at most a factor ≈ 6 (h(−2)/φ(−2) ≈ 0.16). `normalCdf`
 * switches to the same continued fraction at the same point, so both sides of the switch use one
 * Φ.
 */
const TAIL_FROM = -2;

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
  if (z > TAIL_FROM) return z > 0 ? Math.log1p(-normalCdf(-z)) : Math.log(normalCdf(z));
  const t = -z;
  return -0.5 * t * t - HALF_LN_TWO_PI - Math.log(t + millsFraction(t));
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
  if (z > TAIL_FROM) return normalPdf(z) / normalCdf(z);
  const t = -z;
  return t + millsFraction(t);
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
  if (z > TAIL_FROM) return normalPdf(z) + z * normalCdf(z);
  const t = -z;
  const b = millsFraction(t);
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
  if (z > TAIL_FROM) return Math.log(normalPdf(z) + z * normalCdf(z));
  const t = -z;
  const b = millsFraction(t);
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
    const cdf = normalCdf(z);
    return cdf / (normalPdf(z) + z * cdf);
  }
  return 1 / millsFraction(-z);
}
