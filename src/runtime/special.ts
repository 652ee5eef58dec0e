/**
 * Special functions used by the distribution families and the inference backends: log-gamma,
 * digamma, log-beta, the logistic family (`log1pexp`, `logistic`, `logit`, `logSumExp`) and the
 * standard normal's density, CDF and erfc (with the Mills-ratio continued fraction behind their
 * tails). All are scalar, allocation-free and total: they return ±Infinity at poles instead of
 * throwing, and NaN only for NaN input.
 *
 * Method: lgamma and digamma shift the argument up by the recurrence until it is at least
 * `ASYMPTOTIC_FROM`, then use the Stirling / Bernoulli asymptotic series, whose truncation
 * error at that point is below 1e-17 (Abramowitz & Stegun 6.1.41 and 6.3.18). Negative arguments
 * use the reflection formulas (A&S 6.1.17, 6.3.7).
 * @module special
 */

/** log(2π). @example `LN_TWO_PI === Math.log(2 * Math.PI)` */
export const LN_TWO_PI = 1.8378770664093453;
/** 0.5·log(2π), the normal density's constant. @example `HALF_LN_TWO_PI === 0.5 * LN_TWO_PI` */
export const HALF_LN_TWO_PI = 0.9189385332046727;
/** log(π). @example `LN_PI === Math.log(Math.PI)` */
export const LN_PI = 1.1447298858494002;
/** The Euler–Mascheroni constant γ = −ψ(1). @example `digamma(1) === -EULER_GAMMA` */
export const EULER_GAMMA = 0.5772156649015329;

/** Arguments at or above this use the asymptotic series directly; smaller ones recur upwards. */
const ASYMPTOTIC_FROM = 10;

/**
 * The Stirling correction lgamma(z) − [(z − ½)log z − z + ½log 2π] for z ≥ 10, i.e.
 * Σ B₂ₖ / (2k(2k−1) z^(2k−1)) for k = 1..8 (the last term is < 2e-18 at z = 10).
 */
function stirlingCorrection(z: number): number {
  const w = 1 / (z * z);
  return (
    (1 / 12 +
      w *
        (-1 / 360 +
          w *
            (1 / 1260 +
              w * (-1 / 1680 + w * (1 / 1188 + w * (-691 / 360360 + w * (1 / 156 + w * (-3617 / 122400)))))))) /
    z
  );
}

/**
 * log|Γ(x)|, accurate to a few ulps of max(1, |lgamma(x)|) for x > 0.
 *
 * @param x - any real number
 * @returns log|Γ(x)|; +Infinity at 0 and the negative integers and at ±Infinity
 * @example
 * ```ts
 * lgamma(5); // returns log(24) ≈ 3.1780538303479458
 * lgamma(0.5); // returns 0.5 * log(π) ≈ 0.5723649429247001
 * ```
 */
export function lgamma(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (!Number.isFinite(x)) return Number.POSITIVE_INFINITY;
  if (x <= 0) {
    if (Number.isInteger(x)) return Number.POSITIVE_INFINITY;
    // Reflection: Γ(x)Γ(1 − x) = π / sin(πx). sinPi keeps the argument reduction exact.
    return LN_PI - Math.log(Math.abs(sinPi(x))) - lgamma(1 - x);
  }
  if (x === 1 || x === 2) return 0;
  let z = x;
  let product = 1;
  while (z < ASYMPTOTIC_FROM) {
    product *= z;
    z += 1;
  }
  const series = (z - 0.5) * Math.log(z) - z + HALF_LN_TWO_PI + stirlingCorrection(z);
  return product === 1 ? series : series - Math.log(product);
}

/** log k! for k below this comes from a table (built on first use from {@link lgamma}). */
const LOG_FACTORIAL_TABLE_SIZE = 256;
let logFactorialTable: Float64Array | undefined;

/**
 * log k! = lgamma(k + 1), from a table for k < 256 (count data are mostly small, and lgamma
 * costs ~20 times a table read).
 *
 * @param k - a non-negative integer (other values fall through to lgamma(k + 1))
 * @returns log k!
 * @example
 * ```ts
 * logFactorial(4); // returns log 24
 * ```
 */
export function logFactorial(k: number): number {
  if (k >= 0 && k < LOG_FACTORIAL_TABLE_SIZE && Number.isInteger(k)) {
    if (logFactorialTable === undefined) {
      logFactorialTable = new Float64Array(LOG_FACTORIAL_TABLE_SIZE);
      for (let i = 0; i < LOG_FACTORIAL_TABLE_SIZE; i++) logFactorialTable[i] = lgamma(i + 1);
    }
    return logFactorialTable[k]!;
  }
  return lgamma(k + 1);
}

/** sin(πx) with exact argument reduction, so that sinPi(n) is exactly 0 for integers. */
function sinPi(x: number): number {
  const r = x - 2 * Math.floor(x / 2); // in [0, 2)
  if (r <= 0.25) return Math.sin(Math.PI * r);
  if (r <= 0.75) return Math.cos(Math.PI * (r - 0.5));
  if (r <= 1.25) return Math.sin(Math.PI * (1 - r));
  if (r <= 1.75) return -Math.cos(Math.PI * (r - 1.5));
  return Math.sin(Math.PI * (r - 2));
}

/**
 * The digamma function ψ(x) = d/dx log Γ(x).
 *
 * @param x - any real number
 * @returns ψ(x); NaN at 0 and the negative integers (poles of both signs), +Infinity at +Infinity
 * @example
 * ```ts
 * digamma(1); // returns -0.5772156649015329 (−γ)
 * ```
 */
export function digamma(x: number): number {
  if (Number.isNaN(x) || x === Number.NEGATIVE_INFINITY) return Number.NaN;
  if (x === Number.POSITIVE_INFINITY) return x;
  if (x <= 0) {
    if (Number.isInteger(x)) return Number.NaN;
    // Reflection: ψ(1 − x) − ψ(x) = π cot(πx).
    return digamma(1 - x) - Math.PI / tanPi(x);
  }
  let z = x;
  let shift = 0;
  while (z < ASYMPTOTIC_FROM) {
    shift += 1 / z;
    z += 1;
  }
  const w = 1 / (z * z);
  // ψ(z) ~ log z − 1/(2z) − Σ B₂ₖ / (2k z^(2k)), k = 1..7.
  const tail =
    w * (1 / 12 + w * (-1 / 120 + w * (1 / 252 + w * (-1 / 240 + w * (1 / 132 + w * (-691 / 32760 + w / 12))))));
  return Math.log(z) - 0.5 / z - tail - shift;
}

/** tan(πx) via sinPi / cos(πx) with exact argument reduction. */
function tanPi(x: number): number {
  return sinPi(x) / sinPi(x + 0.5);
}

/**
 * log B(a, b) = log Γ(a) + log Γ(b) − log Γ(a + b), without the cancellation of the three-lgamma
 * formula when a or b is large (the Stirling terms are combined analytically first).
 *
 * @param a - positive
 * @param b - positive
 * @returns log B(a, b); +Infinity if a or b is 0, NaN for negative or NaN input
 * @example
 * ```ts
 * lbeta(2, 3); // returns log(1/12) ≈ -2.4849066497880004
 * ```
 */
export function lbeta(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b) || a < 0 || b < 0) return Number.NaN;
  if (a === 0 || b === 0) return Number.POSITIVE_INFINITY;
  const x = Math.min(a, b);
  const y = Math.max(a, b);
  if (y === Number.POSITIVE_INFINITY) return Number.NEGATIVE_INFINITY;
  if (y < ASYMPTOTIC_FROM) return lgamma(x) + lgamma(y) - lgamma(x + y);
  const s = x + y;
  // lgamma(y) − lgamma(s) from Stirling: (y − ½)·log(y/s) − x·log s + x + corrections.
  const tail = (y - 0.5) * Math.log1p(-x / s) + stirlingCorrection(y) - stirlingCorrection(s);
  if (x < ASYMPTOTIC_FROM) return lgamma(x) + tail + x * (1 - Math.log(s));
  // Both large: expand lgamma(x) too; (x − ½)·log x − x·log s = (x − ½)·log(x/s) − ½·log s.
  return HALF_LN_TWO_PI + (x - 0.5) * Math.log(x / s) - 0.5 * Math.log(s) + stirlingCorrection(x) + tail;
}

/**
 * log(1 + exp(x)), the softplus function, without overflow for large x or underflow to 0 for
 * very negative x (thresholds after Mächler, "Accurately computing log(1 − exp(−|a|))", 2012).
 *
 * @param x - any real number
 * @returns log(1 + eˣ) ≥ 0
 * @example
 * ```ts
 * log1pexp(0); // returns log(2) ≈ 0.6931471805599453
 * log1pexp(800); // returns 800
 * ```
 */
export function log1pexp(x: number): number {
  if (x <= -37) return Math.exp(x);
  if (x <= 18) return Math.log1p(Math.exp(x));
  if (x <= 33.3) return x + Math.exp(-x);
  return x;
}

/**
 * The logistic (inverse-logit) function 1 / (1 + e⁻ˣ), computed without overflow.
 *
 * @param x - any real number
 * @returns a probability in [0, 1]
 * @example
 * ```ts
 * logistic(0); // returns 0.5
 * ```
 */
export function logistic(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/**
 * The logit function log(p / (1 − p)), the inverse of {@link logistic}.
 *
 * @param p - a probability
 * @returns log-odds; ±Infinity at 1 and 0, NaN outside [0, 1]
 * @example
 * ```ts
 * logit(0.5); // returns 0
 * ```
 */
export function logit(p: number): number {
  return Math.log(p) - Math.log1p(-p);
}

/**
 * log(Σ exp(x[offset + i·stride])) for i < n, scaled by the maximum so it neither overflows nor
 * underflows. An empty sum gives −Infinity; all −Infinity gives −Infinity; any +Infinity gives
 * +Infinity.
 *
 * @param n - number of terms
 * @param x - values
 * @param stride - step between terms (default 1)
 * @param offset - index of the first term (default 0)
 * @returns log of the sum of exponentials
 * @example
 * ```ts
 * logSumExp(2, new Float64Array([0, 0])); // returns log(2)
 * ```
 */
export function logSumExp(n: number, x: Float64Array, stride = 1, offset = 0): number {
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0, j = offset; i < n; i++, j += stride) {
    const v = x[j]!;
    if (Number.isNaN(v)) return Number.NaN;
    if (v > max) max = v;
  }
  if (max === Number.NEGATIVE_INFINITY || max === Number.POSITIVE_INFINITY) return max;
  let sum = 0;
  for (let i = 0, j = offset; i < n; i++, j += stride) sum += Math.exp(x[j]! - max);
  return max + Math.log(sum);
}

/**
 * log(eᵃ + eᵇ) for two terms, the pairwise form of {@link logSumExp}.
 *
 * @param a - a log-scale value
 * @param b - a log-scale value
 * @returns log(eᵃ + eᵇ)
 * @example
 * ```ts
 * logAddExp(Math.log(1), Math.log(3)); // returns log(4)
 * ```
 */
export function logAddExp(a: number, b: number): number {
  const max = Math.max(a, b);
  if (max === Number.NEGATIVE_INFINITY || max === Number.POSITIVE_INFINITY) return max;
  return max + log1pexp(Math.min(a, b) - max);
}

/** 1/√(2π), the standard normal density at 0. */
const INV_SQRT_TWO_PI = 0.3989422804014327;
/** √(2/π) = 2φ(0). */
const SQRT_TWO_OVER_PI = 0.7978845608028654;
/** 2/√π, the factor of erf's series. */
const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
/**
 * Below this x, erfc uses the power series of erf. The series computes 1 − erf(x), which loses
 * log₁₀(1/erfc(x)) digits: at most ~1.5 here (erfc(1.5) ≈ 0.034), while above it the continued
 * fraction is relatively accurate to a few ulps and converges in ≤ ~100 terms.
 */
const ERFC_SERIES_TO = 1.5;
/** Beyond |z| > this, Φ uses the Mills-ratio continued fraction (see {@link normalCdf}). */
const NORMAL_TAIL_FROM = 2;

/**
 * b(t) = 1/(t + 2/(t + 3/(t + …))), the tail of Laplace's continued fraction for the normal Mills
 * ratio: R(t) = Φ(−t)/φ(t) = 1/(t + b(t)). Evaluated by the modified Lentz method (partial
 * numerators k = 1, 2, 3, …, partial denominators t); all terms are positive, so the recurrences
 * are stable. It converges in ~110 terms at t = 2 and fewer beyond; b(∞) = 0.
 *
 * Why expose b rather than R: quantities such as h(z) = φ(z) + zΦ(z) = φ(t)·R(t)·b(t) (t = −z)
 * need b itself, and recovering it as 1/R − t would cancel catastrophically for large t.
 *
 * @param t - a point ≥ 2 (smaller t converges slowly)
 * @returns b(t) > 0
 * @example
 * ```ts
 * const t = 5;
 * normalPdf(t) / (t + millsFraction(t)); // Φ(−5) ≈ 2.866515718791939e-7
 * ```
 */
export function millsFraction(t: number): number {
  if (t === Number.POSITIVE_INFINITY) return 0;
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
 * The standard normal density φ(z) = e^(−z²/2)/√(2π).
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
 * The complementary error function erfc(x) = 1 − erf(x), relatively accurate to ~1e-15 for
 * x ≥ 0 (and absolutely for x < 0, as 2 − erfc(−x)). Below x = 1.5 it sums the all-positive
 * series erf(x) = (2/√π)·e^(−x²)·Σ 2ⁿx^(2n+1)/(1·3·…·(2n+1)); above, it uses the Mills-ratio
 * continued fraction, erfc(x) = √(2/π)·e^(−x²)/(t + b(t)) with t = √2·x (see
 * {@link millsFraction}), so the upper tail keeps full relative accuracy down to underflow.
 *
 * @example
 * ```ts
 * erfc(1); // 0.15729920705028513
 * ```
 */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x < ERFC_SERIES_TO) {
    const x2 = x * x;
    let term = x;
    let sum = x;
    for (let n = 1; n < 200; n++) {
      term *= (2 * x2) / (2 * n + 1);
      sum += term;
      if (term < 1e-17 * sum) break;
    }
    return 1 - TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
  }
  const t = Math.SQRT2 * x;
  return (SQRT_TWO_OVER_PI * Math.exp(-x * x)) / (t + millsFraction(t));
}

/**
 * The standard normal CDF Φ(z), with full relative accuracy in the lower tail and full absolute
 * accuracy everywhere: φ(z)/(t + b(t)) for z = −t < −2, 1 − (the same at t = z) for z > 2, and
 * ½·erfc(−z/√2) in between, where erfc's series is relatively accurate (|z|/√2 < 1.5).
 *
 * @example
 * ```ts
 * normalCdf(1.959963984540054); // 0.975
 * normalCdf(-30); // ≈ 4.906713927148e-198, with full relative accuracy
 * ```
 */
export function normalCdf(z: number): number {
  if (z < -NORMAL_TAIL_FROM) return normalPdf(z) / (-z + millsFraction(-z));
  if (z > NORMAL_TAIL_FROM) return 1 - normalPdf(z) / (z + millsFraction(z));
  return 0.5 * erfc(-z / Math.SQRT2);
}
