import { DomainError, describeValue, ShapeError } from "../../core/errors.js";
import type { Rng } from "../../core/rng.js";

/**
 * The resampling schemes, by name. All four are unbiased (each index i is drawn M·Wᵢ times in
 * expectation), cost O(N + M) and write ancestors in ascending order. They differ in the variance
 * they add: residual and stratified never add more than multinomial (Douc, Cappé & Moulines 2005);
 * systematic is usually the lowest of all but has no such guarantee.
 *
 * - `multinomial`: M independent draws from W (their sorted uniforms generated directly).
 * - `stratified`: one uniform in each of the M strata [k/M, (k+1)/M).
 * - `systematic`: one uniform U, points (k + U)/M.
 * - `residual`: ⌊M·Wᵢ⌋ copies of each i, then multinomial draws on the remainders.
 *
 * @example
 * ```ts
 * const scheme: ResamplingScheme = "systematic";
 * ```
 */
export type ResamplingScheme = "multinomial" | "stratified" | "systematic" | "residual";

/**
 * A resampling function: draws `numDraws` ancestor indices from the normalised `weights[0 … n)`
 * into `ancestors[offset …]`, in ascending order.
 *
 * @example
 * ```ts
 * const fn: ResampleFunction = RESAMPLING_SCHEMES.systematic;
 * fn(rng, weights, n, ancestors, n, 0);
 * ```
 */
export type ResampleFunction = (
  rng: Rng,
  weights: Float64Array,
  n: number,
  ancestors: Int32Array,
  numDraws: number,
  offset: number,
) => void;

/** The index of the last positive weight: the ancestor of any point rounding pushed past Σ W. */
function lastPositive(weights: Float64Array, n: number): number {
  for (let i = n - 1; i > 0; i--) if (weights[i] > 0) return i;
  return 0;
}

// Scratch for the sorted uniforms of multinomial and residual resampling, grown on demand and
// shared: resampling never calls back into user code, so no two calls can use it at once.
let uniformScratch = new Float64Array(0);

function scratchFor(m: number): Float64Array {
  if (uniformScratch.length < m) uniformScratch = new Float64Array(Math.max(m, 2 * uniformScratch.length));
  return uniformScratch;
}

/**
 * Writes the ascending order statistics of `m` independent uniforms into `out[0 … m)` in O(m),
 * without sorting: with E₁ … E_{m+1} independent exponentials, the partial sums
 * (E₁ + … + Eₖ)/(E₁ + … + E_{m+1}) are distributed as the sorted uniforms (Devroye 1986, ch. V.2).
 *
 * @example
 * ```ts
 * const u = new Float64Array(5);
 * sortedUniforms(createRng(1), 5, u); // u[0] < u[1] < … < u[4], each in (0, 1)
 * ```
 */
export function sortedUniforms(rng: Rng, m: number, out: Float64Array): void {
  if (m <= 0) return;
  let total = 0;
  for (let k = 0; k < m; k++) {
    total -= Math.log(rng.uniform());
    out[k] = total;
  }
  total -= Math.log(rng.uniform());
  const inv = 1 / total;
  for (let k = 0; k < m; k++) out[k] *= inv;
}

/**
 * Multinomial resampling in O(N + M) without sorting: M sorted uniforms from
 * {@link sortedUniforms}, merged with the cumulative weights.
 *
 * @example
 * ```ts
 * multinomialResample(rng, weights, n, ancestors, n, 0);
 * ```
 */
export function multinomialResample(
  rng: Rng,
  weights: Float64Array,
  n: number,
  ancestors: Int32Array,
  numDraws: number,
  offset: number,
): void {
  const u = scratchFor(numDraws);
  sortedUniforms(rng, numDraws, u);
  const last = lastPositive(weights, n);
  let j = 0;
  let cum = weights[0];
  for (let k = 0; k < numDraws; k++) {
    while (u[k] > cum && j < last) cum += weights[++j];
    ancestors[offset + k] = j;
  }
}

// Inverts the weights' CDF at the points (k + Uₖ)/M, k = 0 … M−1, in one merged pass: one
// uniform per point (stratified) or one shared by all points (systematic).
function stratifiedPoints(
  rng: Rng,
  weights: Float64Array,
  n: number,
  ancestors: Int32Array,
  numDraws: number,
  offset: number,
  shared: boolean,
): void {
  const last = lastPositive(weights, n);
  let j = 0;
  let cum = weights[0];
  const inv = 1 / numDraws;
  const shift = shared ? rng.uniform() : 0;
  for (let k = 0; k < numDraws; k++) {
    const u = (k + (shared ? shift : rng.uniform())) * inv;
    while (u > cum && j < last) cum += weights[++j];
    ancestors[offset + k] = j;
  }
}

/**
 * Stratified resampling: the k-th point is (k + Uₖ)/M with independent uniforms Uₖ.
 *
 * @example
 * ```ts
 * stratifiedResample(rng, weights, n, ancestors, n, 0);
 * ```
 */
export function stratifiedResample(
  rng: Rng,
  weights: Float64Array,
  n: number,
  ancestors: Int32Array,
  numDraws: number,
  offset: number,
): void {
  stratifiedPoints(rng, weights, n, ancestors, numDraws, offset, false);
}

/**
 * Systematic resampling: the k-th point is (k + U)/M with a single uniform U.
 *
 * @example
 * ```ts
 * systematicResample(rng, weights, n, ancestors, n, 0);
 * ```
 */
export function systematicResample(
  rng: Rng,
  weights: Float64Array,
  n: number,
  ancestors: Int32Array,
  numDraws: number,
  offset: number,
): void {
  stratifiedPoints(rng, weights, n, ancestors, numDraws, offset, true);
}

/**
 * Residual resampling: ⌊M·Wᵢ⌋ deterministic copies of each i and R = M − Σ⌊M·Wᵢ⌋ multinomial
 * draws on the remainders (M·Wᵢ − ⌊M·Wᵢ⌋)/R. Both parts are merged in one pass, so ancestors
 * come out ascending with no scratch array.
 *
 * @example
 * ```ts
 * residualResample(rng, weights, n, ancestors, n, 0);
 * ```
 */
export function residualResample(
  rng: Rng,
  weights: Float64Array,
  n: number,
  ancestors: Int32Array,
  numDraws: number,
  offset: number,
): void {
  let deterministic = 0;
  let lastResidual = -1;
  for (let i = 0; i < n; i++) {
    const m = numDraws * weights[i];
    const copies = Math.floor(m);
    deterministic += copies;
    if (m > copies) lastResidual = i;
  }
  // Weights summing a hair above one could ask for more copies than draws; the cap keeps M exact.
  const remainder = Math.max(0, numDraws - deterministic);
  const invRemainder = remainder > 0 ? 1 / remainder : 0;
  const u = scratchFor(remainder);
  sortedUniforms(rng, remainder, u);
  let k = 0;
  let drawn = 0;
  let cum = 0;
  for (let i = 0; i < n && k < numDraws; i++) {
    const m = numDraws * weights[i];
    const copies = Math.floor(m);
    for (let c = 0; c < copies && k < numDraws; c++) ancestors[offset + k++] = i;
    if (drawn >= remainder || !(m > copies)) continue;
    cum += (m - copies) * invRemainder;
    while (drawn < remainder && (u[drawn] <= cum || i === lastResidual)) {
      ancestors[offset + k++] = i;
      drawn++;
    }
  }
  // Only reachable with weights summing a full 1/M short of one; the largest index keeps order.
  if (k < numDraws) ancestors.fill(lastPositive(weights, n), offset + k, offset + numDraws);
}

/**
 * The resampling schemes as data: name → function. Pass the name in choices; look the function
 * up here to call a scheme directly.
 *
 * @example
 * ```ts
 * RESAMPLING_SCHEMES["residual"](rng, weights, n, ancestors, n, 0);
 * ```
 */
export const RESAMPLING_SCHEMES: Readonly<Record<ResamplingScheme, ResampleFunction>> = Object.freeze({
  multinomial: multinomialResample,
  stratified: stratifiedResample,
  systematic: systematicResample,
  residual: residualResample,
});

/**
 * Validates a scheme name and returns its function.
 *
 * @throws DomainError for an unknown name.
 * @example
 * ```ts
 * const fn = resamplingFunction("smc", "stratified");
 * ```
 */
export function resamplingFunction(where: string, scheme: ResamplingScheme): ResampleFunction {
  const fn = Object.hasOwn(RESAMPLING_SCHEMES, scheme) ? RESAMPLING_SCHEMES[scheme] : undefined;
  if (fn === undefined) {
    throw new DomainError({
      where,
      what: "unknown resampling scheme",
      got: describeValue(scheme),
      expected: Object.keys(RESAMPLING_SCHEMES).join(", "),
    });
  }
  return fn;
}

/**
 * Draws `numDraws` ancestors (default `weights.length`) with the named scheme: a checked
 * convenience around {@link RESAMPLING_SCHEMES}. `weights` must be normalised (non-negative, sum 1).
 *
 * @throws ShapeError when `ancestors` is too short; DomainError for an unknown scheme or weights
 *   that are negative, non-finite or do not sum to 1 within 1e-8.
 * @example
 * ```ts
 * const ancestors = resample(createRng(1), "systematic", new Float64Array([0.1, 0.6, 0.3]));
 * ```
 */
export function resample(
  rng: Rng,
  scheme: ResamplingScheme,
  weights: Float64Array,
  numDraws: number = weights.length,
  ancestors: Int32Array = new Int32Array(numDraws),
): Int32Array {
  const fn = resamplingFunction("resample()", scheme);
  if (!Number.isSafeInteger(numDraws) || numDraws < 0) {
    throw new DomainError({
      where: "resample()",
      what: "numDraws must be a non-negative integer",
      got: describeValue(numDraws),
      expected: "an integer ≥ 0",
    });
  }
  if (ancestors.length < numDraws) {
    throw new ShapeError({
      where: "resample()",
      what: "the ancestor array is too short",
      got: String(ancestors.length),
      expected: `length ≥ ${numDraws}`,
    });
  }
  let sum = 0;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i];
    if (!(w >= 0 && w < Infinity)) {
      throw new DomainError({
        where: "resample()",
        what: `weight ${i} is not a finite non-negative number`,
        got: describeValue(w),
        expected: "0 ≤ w < Infinity",
      });
    }
    sum += w;
  }
  if (weights.length === 0 || !(Math.abs(sum - 1) <= 1e-8)) {
    throw new DomainError({
      where: "resample()",
      what: "the weights must be normalised",
      got: `sum ${describeValue(sum)}`,
      expected: "Σ w = 1",
      hint: "normalise log weights with normalizeLogWeights() first.",
    });
  }
  fn(rng, weights, weights.length, ancestors, numDraws, 0);
  return ancestors;
}
