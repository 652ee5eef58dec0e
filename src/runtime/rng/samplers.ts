import exponentialFactory from "@stdlib/random-base-exponential";
import gammaFactory from "@stdlib/random-base-gamma";
import poissonFactory from "@stdlib/random-base-poisson";
import { DomainError, describeValue, ShapeError } from "../../core/errors.js";
import type { Rng } from "../../core/rng.js";

// The @stdlib generators, each built on first use with the stream's own uniform as `prng`, so
// every variate is a function of the seed alone. Factories allocate (and the gamma one seeds a
// ziggurat from one uniform draw), so they are built once per stream and then reused.
// Beta and binomial are written here instead: @stdlib 0.2.2's beta is biased for equal shapes
// above 1.5 (its upper squeeze lies below the acceptance ratio), and its binomial rejection
// sampler (BTRD) multiplies one pmf ratio too many, which raises the mean by about 0.45.
interface Variates {
  gamma?: (shape: number, rate: number) => number;
  exponential?: (rate: number) => number;
  poisson?: (rate: number) => number;
}

const variatesByRng = new WeakMap<Rng, Variates>();
// Hot loops draw from one stream repeatedly; remembering the last lookup skips the WeakMap.
let lastRng: Rng | undefined;
let lastVariates: Variates | undefined;

function variatesOf(rng: Rng): Variates {
  if (rng === lastRng && lastVariates !== undefined) return lastVariates;
  let variates = variatesByRng.get(rng);
  if (variates === undefined) {
    variates = {};
    variatesByRng.set(rng, variates);
  }
  lastRng = rng;
  lastVariates = variates;
  return variates;
}

function uniformOf(rng: Rng): () => number {
  return () => rng.uniform();
}

function positive(where: string, name: string, value: number): void {
  if (!(value > 0 && value < Infinity)) {
    throw new DomainError({
      where,
      what: `parameter '${name}' must be positive and finite`,
      got: describeValue(value),
      expected: `0 < ${name} < Infinity`,
    });
  }
}

/**
 * A normal draw with mean `loc` and standard deviation `scale`.
 *
 * @example
 * ```ts
 * const x = sampleNormal(createRng(1), 0, 2);
 * ```
 */
export function sampleNormal(rng: Rng, loc: number, scale: number): number {
  if (!Number.isFinite(loc)) {
    throw new DomainError({
      where: "normal()",
      what: "parameter 'loc' must be finite",
      got: describeValue(loc),
      expected: "a finite number",
    });
  }
  positive("normal()", "scale", scale);
  return loc + scale * rng.normal();
}

/**
 * A gamma draw with `shape` α and `rate` β (mean α/β, variance α/β²); @stdlib's
 * Marsaglia–Tsang generator, with the α < 1 boost `G(α+1)·U^(1/α)`.
 *
 * @example
 * ```ts
 * const tau = sampleGamma(createRng(1), 2, 0.5); // mean 4
 * ```
 */
export function sampleGamma(rng: Rng, shape: number, rate: number): number {
  positive("gamma()", "shape", shape);
  positive("gamma()", "rate", rate);
  return gammaOf(rng)(shape, rate);
}

function gammaOf(rng: Rng): (shape: number, rate: number) => number {
  const variates = variatesOf(rng);
  if (variates.gamma === undefined) variates.gamma = gammaFactory.factory({ prng: uniformOf(rng) });
  return variates.gamma;
}

// log G for G ~ Gamma(shape, 1). Below shape 1, log G = log G(shape+1) + log(U)/shape keeps the
// result finite where G itself underflows to 0 (for shape 0.001, about half the time).
function logStandardGamma(rng: Rng, gamma: (shape: number, rate: number) => number, shape: number): number {
  if (shape >= 1) return Math.log(gamma(shape, 1));
  return Math.log(gamma(shape + 1, 1)) + Math.log(rng.uniform()) / shape;
}

/**
 * A beta draw with shapes `alpha` and `beta` (mean α/(α+β)), as G_α / (G_α + G_β) from two
 * gamma draws; in log space when a shape is below 1, so tiny shapes never give 0/0.
 *
 * @example
 * ```ts
 * const p = sampleBeta(createRng(1), 2, 5);
 * ```
 */
export function sampleBeta(rng: Rng, alpha: number, beta: number): number {
  positive("beta()", "alpha", alpha);
  positive("beta()", "beta", beta);
  const gamma = gammaOf(rng);
  if (alpha >= 1 && beta >= 1) {
    const x = gamma(alpha, 1);
    return x / (x + gamma(beta, 1));
  }
  const logX = logStandardGamma(rng, gamma, alpha);
  const logY = logStandardGamma(rng, gamma, beta);
  return 1 / (1 + Math.exp(logY - logX));
}

/**
 * An exponential draw with `rate` λ (mean 1/λ).
 *
 * @example
 * ```ts
 * const wait = sampleExponential(createRng(1), 3);
 * ```
 */
export function sampleExponential(rng: Rng, rate: number): number {
  positive("exponential()", "rate", rate);
  const variates = variatesOf(rng);
  if (variates.exponential === undefined) {
    variates.exponential = exponentialFactory.factory({ prng: uniformOf(rng) });
  }
  return variates.exponential(rate);
}

/**
 * A Poisson draw with mean `rate` (≥ 0; rate 0 always gives 0).
 *
 * @example
 * ```ts
 * const count = samplePoisson(createRng(1), 4.5);
 * ```
 */
export function samplePoisson(rng: Rng, rate: number): number {
  if (!(rate >= 0 && rate < Infinity)) {
    throw new DomainError({
      where: "poisson()",
      what: "parameter 'rate' must be non-negative and finite",
      got: describeValue(rate),
      expected: "0 ≤ rate < Infinity",
    });
  }
  if (rate === 0) return 0;
  const variates = variatesOf(rng);
  if (variates.poisson === undefined) variates.poisson = poissonFactory.factory({ prng: uniformOf(rng) });
  return variates.poisson(rate);
}

/**
 * A binomial draw: successes in `trials` independent trials with success probability `prob`.
 * With p' = min(p, 1−p): inversion when trials·p' < 10 (O(mean) per draw), else Hörmann's BTRD
 * transformed rejection (O(1) per draw).
 *
 * @example
 * ```ts
 * const heads = sampleBinomial(createRng(1), 20, 0.3);
 * ```
 */
export function sampleBinomial(rng: Rng, trials: number, prob: number): number {
  if (!Number.isSafeInteger(trials) || trials < 0) {
    throw new DomainError({
      where: "binomial()",
      what: "parameter 'trials' must be a non-negative integer",
      got: describeValue(trials),
      expected: "trials ∈ {0, 1, 2, …}",
    });
  }
  if (!(prob >= 0 && prob <= 1)) {
    throw new DomainError({
      where: "binomial()",
      what: "parameter 'prob' must be a probability",
      got: describeValue(prob),
      expected: "0 ≤ prob ≤ 1",
    });
  }
  if (trials === 0 || prob === 0) return 0;
  if (prob === 1) return trials;
  const p = prob <= 0.5 ? prob : 1 - prob;
  const successes = trials * p < 10 ? binomialInversion(rng, trials, p) : binomialBtrd(rng, trials, p);
  return prob <= 0.5 ? successes : trials - successes;
}

// Sequential search of the CDF from 0 with the pmf recurrence
// f(x) = f(x−1)·((n+1)/x − 1)·p/q, started at f(0) = qⁿ (Kachitvichyanukul & Schmeiser's BINV).
// Here p ≤ 1/2 and n·p < 10, so qⁿ ≥ e^(−14) never underflows.
function binomialInversion(rng: Rng, n: number, p: number): number {
  const q = 1 - p;
  const odds = p / q;
  const a = (n + 1) * odds;
  const f0 = Math.exp(n * Math.log1p(-p));
  for (;;) {
    let u = rng.uniform();
    let f = f0;
    let x = 0;
    while (u > f && x < n) {
      u -= f;
      x += 1;
      f *= a / x - odds;
    }
    // Running out of mass before x = n only happens through round-off in the tail; redraw.
    if (u <= f) return x;
  }
}

const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

// The remainder of Stirling's series, log k! − [(k + ½)·log(k+1) − (k+1) + ½·log 2π]: exact from
// the log-factorial for k < 10, the three-term asymptotic series beyond (error below 4e-11 there).
const STIRLING_REMAINDER = stirlingTable(10);

function stirlingTable(size: number): Float64Array {
  const table = new Float64Array(size);
  let logFactorial = 0;
  for (let k = 0; k < size; k++) {
    if (k > 0) logFactorial += Math.log(k);
    table[k] = logFactorial - ((k + 0.5) * Math.log(k + 1) - (k + 1) + HALF_LOG_TWO_PI);
  }
  return table;
}

function stirlingRemainder(k: number): number {
  if (k < STIRLING_REMAINDER.length) return STIRLING_REMAINDER[k];
  const m = k + 1;
  const m2 = m * m;
  return (1 / 12 - (1 / 360 - 1 / (1260 * m2)) / m2) / m;
}

// BTRD (Hörmann 1993, "The generation of binomial random variates"): transformed rejection with a
// box-plus-tails hat; p ≤ 1/2 and n·p ≥ 10. Most draws are accepted by the box test in step 1 with
// one uniform; the rest are checked exactly, by the pmf ratio recurrence near the mode m or by
// Stirling's formula further out.
function binomialBtrd(rng: Rng, n: number, p: number): number {
  const q = 1 - p;
  const npq = n * p * q;
  const spq = Math.sqrt(npq);
  const b = 1.15 + 2.53 * spq;
  const a = -0.0873 + 0.0248 * b + 0.01 * p;
  const c = n * p + 0.5;
  const vr = 0.92 - 4.2 / b;
  const alpha = (2.83 + 5.1 / b) * spq;
  const m = Math.floor((n + 1) * p);
  const r = p / q;
  const nr = (n + 1) * r;
  const nm = n - m + 1;
  const h = (m + 0.5) * Math.log((m + 1) / (r * nm)) + stirlingRemainder(m) + stirlingRemainder(n - m);
  for (;;) {
    let v = rng.uniform();
    let u: number;
    if (v <= 0.86 * vr) {
      // Inside the box |u| ≤ 0.43 the hat lies under the pmf: accept at once.
      u = v / vr - 0.43;
      return Math.floor(((2 * a) / (0.5 - Math.abs(u)) + b) * u + c);
    }
    if (v >= vr) {
      u = rng.uniform() - 0.5;
    } else {
      // The strip 0.86·vr < v < vr is reused as a draw from the hat's two edge regions.
      u = v / vr - 0.93;
      u = Math.sign(u) * 0.5 - u;
      v = rng.uniform() * vr;
    }
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + c);
    if (k < 0 || k > n) continue;
    v = (v * alpha) / (a / (us * us) + b);
    const km = Math.abs(k - m);
    if (km <= 15) {
      // Compare v with f(k)/f(m), built factor by factor from f(i)/f(i−1) = (n+1)/i·r − r.
      let f = 1;
      if (m < k) {
        for (let i = m + 1; i <= k; i++) f *= nr / i - r;
      } else {
        for (let i = k + 1; i <= m; i++) v *= nr / i - r;
      }
      if (v <= f) return k;
      continue;
    }
    // Far from the mode: squeeze log f(k)/f(m) between quadratic bounds, then evaluate it exactly.
    const logV = Math.log(v);
    const rho = (km / npq) * (((km / 3 + 0.625) * km + 1 / 6) / npq + 0.5);
    const t = (-km * km) / (2 * npq);
    if (logV < t - rho) return k;
    if (logV > t + rho) continue;
    const nk = n - k + 1;
    const logRatio =
      h +
      (n + 1) * Math.log(nm / nk) +
      (k + 0.5) * Math.log((nk * r) / (k + 1)) -
      stirlingRemainder(k) -
      stirlingRemainder(n - k);
    if (logV <= logRatio) return k;
  }
}

/**
 * An index drawn with probability proportional to `probs[i]` (non-negative weights with a
 * positive finite sum; they need not sum to 1).
 *
 * @example
 * ```ts
 * const k = sampleCategorical(createRng(1), new Float64Array([0.2, 0.5, 0.3]));
 * ```
 */
export function sampleCategorical(rng: Rng, probs: ArrayLike<number>): number {
  const n = probs.length;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const w = probs[i];
    if (!(w >= 0 && w < Infinity)) {
      throw new DomainError({
        where: "categorical()",
        what: `probability ${i} must be non-negative and finite`,
        got: describeValue(w),
        expected: "0 ≤ probs[i] < Infinity",
      });
    }
    total += w;
  }
  if (!(total > 0 && total < Infinity)) {
    throw new DomainError({
      where: "categorical()",
      what: "the probabilities must have a positive finite sum",
      got: describeValue(probs),
      expected: "at least one positive weight",
    });
  }
  const target = rng.uniform() * total;
  let cumulative = 0;
  let last = 0;
  for (let i = 0; i < n; i++) {
    const w = probs[i];
    if (w === 0) continue;
    cumulative += w;
    if (target < cumulative) return i;
    last = i;
  }
  // Round-off can leave `target` a hair above the running sum: the answer is the last positive weight.
  return last;
}

/**
 * An index drawn with probability proportional to `exp(logits[i])`. `-Infinity` marks an
 * impossible category; at least one logit must be finite.
 *
 * @example
 * ```ts
 * const k = sampleCategoricalLogits(createRng(1), new Float64Array([0, 1, -2]));
 * ```
 */
export function sampleCategoricalLogits(rng: Rng, logits: ArrayLike<number>): number {
  const n = logits.length;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const l = logits[i];
    if (Number.isNaN(l) || l === Infinity) {
      throw new DomainError({
        where: "categorical()",
        what: `logit ${i} must be finite or -Infinity`,
        got: describeValue(l),
        expected: "-Infinity ≤ logits[i] < Infinity",
      });
    }
    if (l > max) max = l;
  }
  if (max === -Infinity) {
    throw new DomainError({
      where: "categorical()",
      what: "at least one logit must be finite",
      got: describeValue(logits),
      expected: "some logits[i] > -Infinity",
    });
  }
  // Shifting by the maximum keeps exp() in range; the largest term is exactly 1.
  let total = 0;
  for (let i = 0; i < n; i++) total += Math.exp(logits[i] - max);
  const target = rng.uniform() * total;
  let cumulative = 0;
  let last = 0;
  for (let i = 0; i < n; i++) {
    const l = logits[i];
    if (l === -Infinity) continue;
    cumulative += Math.exp(l - max);
    if (target < cumulative) return i;
    last = i;
  }
  return last;
}

/**
 * A Dirichlet draw written into `out` (same length as `alpha`) and returned. Works in log space,
 * so tiny concentrations (α ≪ 1, where every gamma variate underflows to 0) still give a valid
 * point of the simplex instead of 0/0.
 *
 * @example
 * ```ts
 * const w = sampleDirichlet(createRng(1), new Float64Array([1, 2, 3]), new Float64Array(3));
 * ```
 */
export function sampleDirichlet(rng: Rng, alpha: ArrayLike<number>, out: Float64Array): Float64Array {
  const n = alpha.length;
  if (out.length !== n || n === 0) {
    throw new ShapeError({
      where: "dirichlet()",
      what: "'out' must have the length of 'alpha', which must be at least 1",
      got: `alpha ${n}, out ${out.length}`,
      expected: "equal positive lengths",
    });
  }
  for (let i = 0; i < n; i++) {
    const a = alpha[i];
    if (!(a > 0 && a < Infinity)) {
      throw new DomainError({
        where: "dirichlet()",
        what: `concentration ${i} must be positive and finite`,
        got: describeValue(a),
        expected: "0 < alpha[i] < Infinity",
      });
    }
  }
  const gamma = gammaOf(rng);
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const logG = logStandardGamma(rng, gamma, alpha[i]);
    out[i] = logG;
    if (logG > max) max = logG;
  }
  let total = 0;
  for (let i = 0; i < n; i++) {
    const w = Math.exp(out[i] - max);
    out[i] = w;
    total += w;
  }
  for (let i = 0; i < n; i++) out[i] /= total;
  return out;
}

/**
 * A multivariate normal draw `out = mean + L z`, z standard normal, where `choleskyLower` is the
 * lower Cholesky factor L of the covariance, dense row-major n × n (the strict upper triangle is
 * ignored). Needs no scratch: z is drawn into `out` and the product runs from the last row up, so
 * row i reads only z[0..i], which later (higher) rows never overwrite. `out` must not be `mean`.
 *
 * @example
 * ```ts
 * const L = new Float64Array([1, 0, 0.5, 2]); // covariance [[1, 0.5], [0.5, 4.25]]
 * const x = sampleMultivariateNormal(createRng(1), new Float64Array([0, 1]), L, new Float64Array(2));
 * ```
 */
export function sampleMultivariateNormal(
  rng: Rng,
  mean: Float64Array,
  choleskyLower: Float64Array,
  out: Float64Array,
): Float64Array {
  const n = mean.length;
  if (choleskyLower.length !== n * n || out.length !== n) {
    throw new ShapeError({
      where: "multivariateNormal()",
      what: "'choleskyLower' must be n × n and 'out' of length n, for n = mean.length",
      got: `mean ${n}, choleskyLower ${choleskyLower.length}, out ${out.length}`,
      expected: `choleskyLower ${n * n}, out ${n}`,
    });
  }
  if (out === mean) {
    throw new ShapeError({
      where: "multivariateNormal()",
      what: "'out' must be a different array from 'mean'",
      hint: "pass a separate output buffer.",
    });
  }
  for (let i = 0; i < n; i++) {
    const d = choleskyLower[i * n + i];
    if (!(d > 0 && d < Infinity)) {
      throw new DomainError({
        where: "multivariateNormal()",
        what: `the Cholesky factor's diagonal entry ${i} must be positive and finite`,
        got: describeValue(d),
        expected: "L[i, i] > 0",
        hint: "pass the lower Cholesky factor of a positive-definite covariance, not the covariance.",
      });
    }
  }
  for (let i = 0; i < n; i++) out[i] = rng.normal();
  for (let i = n - 1; i >= 0; i--) {
    const row = i * n;
    let s = 0;
    for (let j = 0; j <= i; j++) s += choleskyLower[row + j] * out[j];
    out[i] = mean[i] + s;
  }
  return out;
}
