/**
 * The few statistics the figures draw: a Gaussian kernel density estimate with Silverman's
 * bandwidth, histograms, sample quantiles and pooled ranks. Inputs are checked: a non-finite draw
 * is a DataError here rather than a silently missing bar.
 *
 * @module
 */
import { DataError, DomainError, describeValue } from "../core/errors.js";
import type { Numbers } from "./figure.js";
import { widenPoint } from "./scale.js";

const SQRT_2PI = Math.sqrt(2 * Math.PI);

function checkFinite(where: string, values: Numbers, minLength = 1): void {
  if (values.length < minLength) {
    throw new DataError({
      where,
      what: "too few values",
      got: String(values.length),
      expected: `at least ${minLength}`,
    });
  }
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      throw new DataError({
        where,
        what: `value ${i} is not finite`,
        got: describeValue(values[i]),
        expected: "finite numbers",
        hint: "drop or investigate the non-finite draws before plotting.",
      });
    }
  }
}

/**
 * The values sorted ascending in a new Float64Array.
 *
 * @example
 * ```ts
 * sortedCopy([3, 1, 2]); // Float64Array [1, 2, 3]
 * ```
 */
export function sortedCopy(values: Numbers): Float64Array {
  const out = Float64Array.from(values);
  out.sort();
  return out;
}

/**
 * The p-quantile of sorted values by linear interpolation between order statistics (Hyndman &
 * Fan's type 7, the default of R and NumPy).
 *
 * @example
 * ```ts
 * quantileSorted(new Float64Array([1, 2, 3, 4]), 0.5); // 2.5
 * ```
 */
export function quantileSorted(sorted: Numbers, p: number): number {
  const n = sorted.length;
  if (n === 0 || !(p >= 0 && p <= 1)) {
    throw new DomainError({
      where: "quantileSorted()",
      what: "needs values and a probability in [0, 1]",
      got: `${n} values, p = ${describeValue(p)}`,
    });
  }
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/**
 * Mean and sample standard deviation (n − 1 denominator; 0 for one value).
 *
 * @example
 * ```ts
 * meanSd([1, 2, 3]); // { mean: 2, sd: 1 }
 * ```
 */
export function meanSd(values: Numbers): { mean: number; sd: number } {
  const n = values.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i];
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i] - mean) ** 2;
  return { mean, sd: n > 1 ? Math.sqrt(ss / (n - 1)) : 0 };
}

/**
 * Silverman's rule-of-thumb bandwidth for a Gaussian kernel (Silverman 1986, eq. 3.31):
 * h = 0.9 · min(σ̂, IQR/1.34) · n^(−1/5). The IQR term keeps heavy tails and skew from
 * oversmoothing the bulk. When one spread is 0 (many ties) the other is used; when both are
 * (all values equal) h = 10⁻³ · max(1, |x|), a spike at the value.
 *
 * @throws DataError for an empty or non-finite sample.
 * @example
 * ```ts
 * silvermanBandwidth(draws); // ≈ 1.06 σ n^(−1/5) for normal draws
 * ```
 */
export function silvermanBandwidth(values: Numbers): number {
  checkFinite("silvermanBandwidth()", values);
  const n = values.length;
  const { mean, sd } = meanSd(values);
  const sorted = sortedCopy(values);
  const iqr = (quantileSorted(sorted, 0.75) - quantileSorted(sorted, 0.25)) / 1.34;
  const spread = sd > 0 && iqr > 0 ? Math.min(sd, iqr) : Math.max(sd, iqr);
  if (!(spread > 0)) return 1e-3 * Math.max(1, Math.abs(mean));
  return 0.9 * spread * n ** -0.2;
}

/**
 * A density estimate on an evenly spaced grid.
 *
 * @example
 * ```ts
 * const { x, density, bandwidth } = kde(draws);
 * ```
 */
export interface DensityEstimate {
  /** Grid, ascending and evenly spaced. */
  readonly x: Float64Array;
  /** Estimated density at each grid point. */
  readonly density: Float64Array;
  /** Kernel standard deviation used. */
  readonly bandwidth: number;
}

/**
 * Options of {@link kde}.
 *
 * @example
 * ```ts
 * kde(tauDraws, { bounds: [0, Infinity], points: 256 });
 * ```
 */
export interface KdeOptions {
  /** Minimum number of grid points (default 512; more when the bandwidth is small next to the range, at most 4096). */
  readonly points?: number;
  /** Kernel standard deviation (default {@link silvermanBandwidth}). */
  readonly bandwidth?: number;
  /**
   * Support of the variable, e.g. [0, Infinity] for a scale: the kernel mass that would fall
   * outside is reflected back in (Silverman 1986, §2.10), so the estimate integrates to 1 on the
   * support instead of leaking past the boundary.
   */
  readonly bounds?: readonly [number, number];
  /** The grid extends `cut` bandwidths past the data, and kernels are truncated there (default 4; mass lost ≈ 6·10⁻⁵). */
  readonly cut?: number;
}

/**
 * Gaussian kernel density estimate f̂(x) = (1/nh) Σᵢ φ((x − xᵢ)/h) on a grid from
 * min − cut·h to max + cut·h (clipped to `bounds`). Each draw adds its kernel to the grid points
 * within cut·h of it, so the cost is O(n · cut·h/Δx + grid), not O(n · grid).
 *
 * The grid spacing is kept at most h/2: then the trapezoid rule on the grid integrates the
 * estimate to 1 up to the truncated tails (Gaussian bumps are integrated almost exactly by the
 * trapezoid rule at that spacing).
 *
 * @throws DataError for an empty sample, non-finite values or values outside `bounds`;
 *   DomainError for a non-positive bandwidth.
 * @example
 * ```ts
 * const { x, density } = kde(draws);
 * const mark: LineMark = { kind: "line", x, y: density, stroke: PALETTE[0] };
 * ```
 */
export function kde(values: Numbers, options: KdeOptions = {}): DensityEstimate {
  const where = "kde()";
  checkFinite(where, values);
  const n = values.length;
  const h = options.bandwidth ?? silvermanBandwidth(values);
  if (!(h > 0 && Number.isFinite(h))) {
    throw new DomainError({ where, what: "bandwidth must be positive", got: describeValue(h) });
  }
  const cut = options.cut ?? 4;
  const [lower, upper] = options.bounds ?? [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY];
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v < lower || v > upper) {
      throw new DataError({
        where,
        what: `value ${i} lies outside the bounds`,
        got: describeValue(v),
        expected: `a value in [${lower}, ${upper}]`,
      });
    }
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const lo = Math.max(lower, min - cut * h);
  const hi = Math.min(upper, max + cut * h);
  const minPoints = Math.max(2, Math.round(options.points ?? 512));
  const size = Math.min(4096, Math.max(minPoints, Math.ceil((2 * (hi - lo)) / h) + 1));
  const dx = (hi - lo) / (size - 1);
  const x = new Float64Array(size);
  for (let j = 0; j < size; j++) x[j] = j === size - 1 ? hi : lo + j * dx;
  const density = new Float64Array(size);
  const reach = cut * h;
  const addKernel = (center: number): void => {
    const j0 = Math.max(0, Math.ceil((center - reach - lo) / dx));
    const j1 = Math.min(size - 1, Math.floor((center + reach - lo) / dx));
    for (let j = j0; j <= j1; j++) {
      const z = (x[j] - center) / h;
      density[j] += Math.exp(-0.5 * z * z);
    }
  };
  const reflectLower = Number.isFinite(lower);
  const reflectUpper = Number.isFinite(upper);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    addKernel(v);
    if (reflectLower && v - lower < reach) addKernel(2 * lower - v);
    if (reflectUpper && upper - v < reach) addKernel(2 * upper - v);
  }
  const scale = 1 / (n * h * SQRT_2PI);
  for (let j = 0; j < size; j++) density[j] *= scale;
  return { x, density, bandwidth: h };
}

/**
 * Bin edges and counts of a histogram.
 *
 * @example
 * ```ts
 * const { edges, counts } = histogram(draws, { bins: 30 });
 * ```
 */
export interface Histogram {
  /** Bin edges, length bins + 1, ascending. */
  readonly edges: Float64Array;
  /** Counts per bin; bins are [edgeᵢ, edgeᵢ₊₁), the last one closed. */
  readonly counts: Float64Array;
}

/**
 * Options of {@link histogram}.
 *
 * @example
 * ```ts
 * histogram(values, { bins: 40, range: [-5, 5] });
 * ```
 */
export interface HistogramOptions {
  /** Number of equal-width bins (default: Freedman–Diaconis width, 5 … 80 bins). */
  readonly bins?: number;
  /** Interval covered (default [min, max]); values outside it are not counted. */
  readonly range?: readonly [number, number];
}

/**
 * Equal-width histogram. The default bin count follows Freedman & Diaconis (1981):
 * width 2·IQR·n^(−1/3).
 *
 * @throws DataError for an empty sample or non-finite values.
 * @example
 * ```ts
 * histogram([1, 2, 2, 3], { bins: 2 }).counts; // Float64Array [1, 3]
 * ```
 */
export function histogram(values: Numbers, options: HistogramOptions = {}): Histogram {
  checkFinite("histogram()", values);
  const n = values.length;
  let [lo, hi] = options.range ?? [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
  if (options.range === undefined) {
    for (let i = 0; i < n; i++) {
      lo = Math.min(lo, values[i]);
      hi = Math.max(hi, values[i]);
    }
  }
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo <= hi)) {
    throw new DomainError({ where: "histogram()", what: "invalid range", got: describeValue([lo, hi]) });
  }
  if (lo === hi) [lo, hi] = widenPoint(lo, 0.05);
  let bins = options.bins;
  if (bins === undefined) {
    const sorted = sortedCopy(values);
    const iqr = quantileSorted(sorted, 0.75) - quantileSorted(sorted, 0.25);
    const width = 2 * iqr * n ** (-1 / 3);
    bins = width > 0 ? Math.ceil((hi - lo) / width) : 10;
    bins = Math.min(80, Math.max(5, bins));
  }
  bins = Math.max(1, Math.round(bins));
  const edges = new Float64Array(bins + 1);
  for (let b = 0; b <= bins; b++) edges[b] = b === bins ? hi : lo + ((hi - lo) * b) / bins;
  const counts = new Float64Array(bins);
  const span = hi - lo;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v < lo || v > hi) continue;
    // Divide before scaling: bins / span overflows for a subnormal span.
    counts[Math.min(bins - 1, Math.floor(((v - lo) / span) * bins))]++;
  }
  return { edges, counts };
}

/**
 * Ranks of all draws pooled over chains, 1 … N (N the total), ties sharing their average rank:
 * the ranks of Vehtari et al. (2021).
 *
 * @throws DataError for no draws or non-finite values.
 * @example
 * ```ts
 * pooledRanks([[0.5, 0.1], [0.3, 0.9]]); // [[3, 1], [2, 4]]
 * ```
 */
export function pooledRanks(chains: readonly Numbers[]): Float64Array[] {
  let total = 0;
  for (const c of chains) {
    checkFinite("pooledRanks()", c);
    total += c.length;
  }
  const values = new Float64Array(total);
  const chainOf = new Int32Array(total);
  const drawOf = new Int32Array(total);
  let k = 0;
  chains.forEach((c, ci) => {
    for (let i = 0; i < c.length; i++, k++) {
      values[k] = c[i];
      chainOf[k] = ci;
      drawOf[k] = i;
    }
  });
  // Sort positions by value; equal values are resolved below by averaging, so stability is moot.
  const order = Int32Array.from({ length: total }, (_, i) => i).sort((a, b) => values[a] - values[b]);
  const ranks = chains.map((c) => new Float64Array(c.length));
  let start = 0;
  while (start < total) {
    let end = start + 1;
    while (end < total && values[order[end]] === values[order[start]]) end++;
    const rank = (start + 1 + end) / 2; // mean of ranks start+1 … end
    for (let j = start; j < end; j++) ranks[chainOf[order[j]]][drawOf[order[j]]] = rank;
    start = end;
  }
  return ranks;
}

/**
 * Per-chain histograms of pooled ranks over `bins` equal slices of 1 … N (Vehtari et al. 2021,
 * §4.1): for chains that sample the same distribution each chain's histogram is uniform.
 *
 * @throws DataError for no draws or non-finite values.
 * @example
 * ```ts
 * const { counts, edges } = rankHistogram(chains, 20); // counts[c] sums to chains[c].length
 * ```
 */
export function rankHistogram(
  chains: readonly Numbers[],
  bins = 20,
): { readonly counts: Float64Array[]; readonly edges: Float64Array; readonly total: number } {
  const b = Math.max(1, Math.round(bins));
  const ranks = pooledRanks(chains);
  const total = ranks.reduce((s, r) => s + r.length, 0);
  const edges = new Float64Array(b + 1);
  for (let i = 0; i <= b; i++) edges[i] = (total * i) / b;
  const counts = ranks.map((r) => {
    const out = new Float64Array(b);
    // Rank r ∈ [1, N] falls in slice ⌊(r − 1)·B / N⌋.
    for (let i = 0; i < r.length; i++) out[Math.min(b - 1, Math.floor(((r[i] - 1) * b) / total))]++;
    return out;
  });
  return { counts, edges, total };
}

/**
 * Smallest and largest value over several arrays.
 *
 * @throws DataError for no values or a non-finite value.
 * @example
 * ```ts
 * extentOf([[3, 1], [7]]); // [1, 7]
 * ```
 */
export function extentOf(arrays: readonly Numbers[]): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const a of arrays) {
    checkFinite("extentOf()", a, 0);
    for (let i = 0; i < a.length; i++) {
      if (a[i] < lo) lo = a[i];
      if (a[i] > hi) hi = a[i];
    }
  }
  if (!(lo <= hi))
    throw new DataError({ where: "extentOf()", what: "no values", got: "0 values", expected: "at least one" });
  return [lo, hi];
}
