/**
 * The event loop shared by multi_normal and multi_normal_cholesky: given the lower Cholesky
 * factor L of the covariance, it whitens each event (z = L⁻¹(x − loc)), sums the quadratic form,
 * and accumulates the partials that both families need.
 * @module runtime/dists/gaussian_events
 */
import { ShapeError } from "../../core/errors.js";
import type { Rng } from "../../core/rng.js";
import { formatShape, type Shape } from "../../core/shape.js";
import { sampleMultivariateNormal } from "../rng/samplers.js";
import type { Value } from "./distribution.js";

/**
 * How a location broadcasts over m events of size k: one number for every entry, one k-vector
 * for every event, or one k-vector per event (length m·k).
 *
 * @example
 * ```ts
 * const mode: LocMode = "event";
 * ```
 */
export type LocMode = "scalar" | "event" | "each";

/**
 * The broadcast mode of `loc` for m events of size k; throws a ShapeError for any other length.
 *
 * @param where - the family
 * @param loc - the location parameter
 * @param k - event size
 * @param m - number of events
 * @returns the mode
 * @example
 * ```ts
 * locMode("multi_normal()", new Float64Array(3), 3, 5); // "event"
 * ```
 */
export function locMode(where: string, loc: Value, k: number, m: number): LocMode {
  if (typeof loc === "number" || loc.length === 1) return "scalar";
  if (loc.length === k) return "event";
  if (loc.length === m * k) return "each";
  throw new ShapeError({
    where,
    what: "parameter 'loc' does not broadcast against the value",
    got: formatShape([loc.length]),
    expected: `a scalar, vector[${k}] (one event) or vector[${m * k}] (one per event)`,
  });
}

/** Scratch for one event: residual/whitened vector z and back-solved w = L⁻ᵀz. */
let zScratch = new Float64Array(8);
let wScratch = new Float64Array(8);

/**
 * What {@link gaussianEvents} accumulates besides the quadratic form. Every buffer is optional
 * and receives `+=` contributions.
 *
 * @example
 * ```ts
 * const acc: GaussianAccumulators = { gx: out.x, gloc: out.params.loc, outer: undefined, cross: undefined };
 * ```
 */
export interface GaussianAccumulators {
  /** ∂/∂x = −Σ⁻¹(x − loc) per entry (length m·k). */
  gx: Float64Array | undefined;
  /** ∂/∂loc = +Σ⁻¹(x − loc), summed as `loc` broadcasts. */
  gloc: Float64Array | undefined;
  /** Σ_i w_i w_iᵀ (k × k, full), w = Σ⁻¹(x − loc): the covariance partial's data term. */
  outer: Float64Array | undefined;
  /** Σ_i w_i z_iᵀ on the lower triangle (k × k), z = L⁻¹(x − loc): the Cholesky factor's partial. */
  cross: Float64Array | undefined;
}

/**
 * Accumulators for a log density without partials.
 *
 * @example
 * ```ts
 * gaussianEvents(x, 1, 2, 0, "scalar", L, NO_ACCUMULATORS);
 * ```
 */
export const NO_ACCUMULATORS: Readonly<GaussianAccumulators> = Object.freeze({
  gx: undefined,
  gloc: undefined,
  outer: undefined,
  cross: undefined,
});

/**
 * Σ_i |L⁻¹(x_i − loc_i)|² over the m events of `xs` (row-major m × k), with L the lower
 * triangle of the row-major k × k `factor` (the strict upper triangle is not read; the diagonal
 * must be positive). Adds the requested partials into `acc`. O(m·k²); allocation-free once the
 * scratch has grown to k.
 *
 * @param xs - values, m·k numbers
 * @param m - number of events
 * @param k - event size
 * @param loc - location
 * @param mode - how `loc` broadcasts (from {@link locMode})
 * @param factor - lower Cholesky factor of the covariance
 * @param acc - partial-derivative accumulators
 * @returns the summed squared Mahalanobis distance
 * @example
 * ```ts
 * gaussianEvents(x, 1, 2, 0, "scalar", L, { gx: undefined, gloc: undefined, outer: undefined, cross: undefined });
 * ```
 */
export function gaussianEvents(
  xs: Float64Array,
  m: number,
  k: number,
  loc: Value,
  mode: LocMode,
  factor: Float64Array,
  acc: Readonly<GaussianAccumulators>,
): number {
  if (zScratch.length < k) {
    zScratch = new Float64Array(k);
    wScratch = new Float64Array(k);
  }
  const z = zScratch;
  const w = wScratch;
  const { gx, gloc, outer, cross } = acc;
  const needW = gx !== undefined || gloc !== undefined || outer !== undefined || cross !== undefined;
  const locScalar = typeof loc === "number" ? loc : loc[0]!;
  let quadratic = 0;
  for (let e = 0, offset = 0; e < m; e++, offset += k) {
    // Forward substitution L z = x − loc, row by row (each row of L is contiguous).
    for (let j = 0; j < k; j++) {
      const mu = mode === "scalar" ? locScalar : (loc as Float64Array)[mode === "event" ? j : offset + j]!;
      let s = xs[offset + j]! - mu;
      const row = j * k;
      for (let l = 0; l < j; l++) s -= factor[row + l]! * z[l]!;
      const zj = s / factor[row + j]!;
      z[j] = zj;
      quadratic += zj * zj;
    }
    if (!needW) continue;
    // Back substitution Lᵀ w = z: w = Σ⁻¹(x − loc).
    for (let j = k - 1; j >= 0; j--) {
      let s = z[j]!;
      for (let l = j + 1; l < k; l++) s -= factor[l * k + j]! * w[l]!;
      w[j] = s / factor[j * k + j]!;
    }
    for (let j = 0; j < k; j++) {
      const wj = w[j]!;
      if (gx !== undefined) gx[offset + j]! -= wj;
      if (gloc !== undefined) gloc[mode === "scalar" ? 0 : mode === "event" ? j : offset + j]! += wj;
      if (outer !== undefined) for (let l = 0; l < k; l++) outer[j * k + l]! += wj * w[l]!;
      if (cross !== undefined) for (let l = 0; l <= j; l++) cross[j * k + l]! += wj * z[l]!;
    }
  }
  return quadratic;
}

/**
 * The side k of a square matrix stored as `length` numbers; throws a ShapeError when `length`
 * is not a perfect square.
 *
 * @param where - the family
 * @param name - the matrix parameter
 * @param length - its number of entries
 * @returns k with k² = length
 * @example
 * ```ts
 * squareSide("multi_normal()", "cov", 9); // 3
 * ```
 */
export function squareSide(where: string, name: string, length: number): number {
  const k = Math.round(Math.sqrt(length));
  if (k * k !== length || k === 0) {
    throw new ShapeError({
      where,
      what: `parameter '${name}' is not a square matrix`,
      got: `${length} numbers`,
      expected: "k² numbers for some k ≥ 1 (a row-major k × k matrix)",
    });
  }
  return k;
}

/**
 * Whether every entry of `loc` is finite.
 *
 * @param loc - a location
 * @returns true when finite
 * @example
 * ```ts
 * finiteLoc(new Float64Array([0, 1])); // true
 * ```
 */
export function finiteLoc(loc: Value): boolean {
  if (typeof loc === "number") return Number.isFinite(loc);
  for (let i = 0; i < loc.length; i++) if (!Number.isFinite(loc[i]!)) return false;
  return true;
}

/**
 * The event shape [k] of a Gaussian family from its k × k matrix parameter's shape, falling
 * back to the location's shape.
 *
 * @param matrix - shape of the covariance or its factor
 * @param loc - shape of the location
 * @returns [k]
 * @example
 * ```ts
 * matrixEventShape([3, 3], []); // [3]
 * ```
 */
export function matrixEventShape(matrix: Shape | undefined, loc: Shape | undefined): Shape {
  if (matrix !== undefined && matrix.length === 2) return [matrix[0]!];
  return loc ?? [];
}

let meanScratch = new Float64Array(8);

/** The mean of event e as a k-vector: `loc`, its e-th row, or `scratch` filled with a broadcast scalar. */
function eventMean(loc: Value, mode: LocMode, e: number, k: number, scratch: Float64Array): Float64Array {
  if (mode === "scalar") return scratch.fill(typeof loc === "number" ? loc : loc[0]!);
  const v = loc as Float64Array;
  return mode === "event" ? v : v.subarray(e * k, (e + 1) * k);
}

/**
 * Draws m events of size k from N(loc, L·Lᵀ) into `out` (allocated when absent), one
 * `sampleMultivariateNormal` per event; `loc` broadcasts as in the densities.
 *
 * @param rng - the stream
 * @param where - the family, for shape errors
 * @param loc - location
 * @param factor - lower Cholesky factor (row-major k × k; upper triangle ignored)
 * @param k - event size
 * @param m - number of events
 * @param out - optional output buffer of at least m·k numbers
 * @returns the draws
 * @example
 * ```ts
 * drawGaussianEvents(createRng(1), "multi_normal()", 0, L, 2, 10); // 10 draws of a 2-vector
 * ```
 */
export function drawGaussianEvents(
  rng: Rng,
  where: string,
  loc: Value,
  factor: Float64Array,
  k: number,
  m: number,
  out: Float64Array | undefined,
): Float64Array {
  const mode = locMode(where, loc, k, m);
  if (meanScratch.length !== k) meanScratch = new Float64Array(k);
  const target = out ?? new Float64Array(m * k);
  for (let e = 0; e < m; e++) {
    const mean = eventMean(loc, mode, e, k, meanScratch);
    sampleMultivariateNormal(rng, mean, factor, target.subarray(e * k, (e + 1) * k));
  }
  return target;
}
