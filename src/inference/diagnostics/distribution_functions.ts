import { lbeta, normalCdf, normalPdf } from "../../runtime/special.js";

// Acklam's rational approximation of Φ⁻¹ (relative error < 1.2·10⁻⁹): central region
// coefficients A/B for |p − ½| ≤ ½ − P_LOW, tail coefficients C/D in √(−2 log p).
const A = [
  -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239,
];
const B = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
const C = [
  -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
  2.938163982698783,
];
const D = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;

/**
 * The standard normal quantile Φ⁻¹(p): Acklam's rational approximation (relative error
 * < 1.2·10⁻⁹) polished by Halley steps on the lower-tail CDF until the last step is below 10⁻⁶
 * (Halley converges cubically, so the error is then ~10⁻¹⁸), giving about 1e-15 relative.
 *
 * @returns −∞ at 0, +∞ at 1, NaN outside [0, 1]
 * @example
 * ```ts
 * normalQuantile(0.975); // 1.959963984540054
 * ```
 */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) return Number.NaN;
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  if (p > 0.5) return -normalQuantile(1 - p);
  if (p === 0.5) return 0;
  let x: number;
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    x =
      (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) /
      ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
  } else {
    const q = p - 0.5;
    const r = q * q;
    x =
      ((((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q) /
      (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
  }
  for (let k = 0; k < 5; k++) {
    const u = (normalCdf(x) - p) / normalPdf(x);
    // Halley: x ← x − u/(1 + x·u/2), using φ'(x) = −x·φ(x).
    const step = u / (1 + 0.5 * x * u);
    x -= step;
    if (Math.abs(step) < 1e-6 * Math.max(1, Math.abs(x))) break;
  }
  return x;
}

/**
 * The regularised incomplete beta function I_x(a, b) = P(X ≤ x) for X ~ Beta(a, b), from its
 * continued fraction (evaluated with the modified Lentz method) on the side of the mean where it
 * converges fast.
 *
 * @example
 * ```ts
 * incompleteBeta(0.5, 2, 2); // 0.5
 * ```
 */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (Number.isNaN(x) || !(a > 0) || !(b > 0)) return Number.NaN;
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const logFront = a * Math.log(x) + b * Math.log1p(-x) - lbeta(a, b);
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(logFront) * betaContinuedFraction(x, a, b)) / a;
  return 1 - (Math.exp(logFront) * betaContinuedFraction(1 - x, b, a)) / b;
}

function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  d = Math.abs(d) < tiny ? tiny : d;
  d = 1 / d;
  let h = d;
  for (let m = 1; m < 10000; m++) {
    const m2 = 2 * m;
    // Even step: m(b − m)x / ((a + 2m − 1)(a + 2m)).
    let num = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + num * d;
    d = Math.abs(d) < tiny ? tiny : d;
    c = 1 + num / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    h *= d * c;
    // Odd step: −(a + m)(a + b + m)x / ((a + 2m)(a + 2m + 1)).
    num = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + num * d;
    d = Math.abs(d) < tiny ? tiny : d;
    c = 1 + num / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return h;
}

/**
 * The Beta(a, b) quantile: the x with I_x(a, b) = p, by bisection on the monotone CDF (60
 * halvings reach the resolution of a double in (0, 1)).
 *
 * @example
 * ```ts
 * betaQuantile(0.5, 3, 3); // 0.5
 * ```
 */
export function betaQuantile(p: number, a: number, b: number): number {
  if (!(p >= 0 && p <= 1) || !(a > 0) || !(b > 0)) return Number.NaN;
  if (p === 0) return 0;
  if (p === 1) return 1;
  let lo = 0;
  let hi = 1;
  for (let k = 0; k < 60; k++) {
    const mid = 0.5 * (lo + hi);
    if (incompleteBeta(mid, a, b) < p) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}
