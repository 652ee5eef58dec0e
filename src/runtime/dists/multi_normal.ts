import type { Rng } from "../../core/rng.js";
import type { Shape } from "../../core/shape.js";
import { REAL, type Support } from "../../core/support.js";
import { dpotrf, dpotrs } from "../../kernels/cholesky.js";
import { HALF_LN_TWO_PI } from "../special.js";
import type { Distribution, GradOut, Params, Value } from "./distribution.js";
import {
  drawGaussianEvents,
  finiteLoc,
  type GaussianAccumulators,
  gaussianEvents,
  locMode,
  matrixEventShape,
  NO_ACCUMULATORS,
  squareSide,
} from "./gaussian_events.js";
import { asArray, checkGradBuffer, eventCount, invalidParam, requireParam, sampleEvents } from "./vector_family.js";

const WHERE = "multi_normal()";
const ORDER = ["loc", "cov"] as const;
/** Relative asymmetry |Σ_ij − Σ_ji| / √(Σ_ii·Σ_jj) tolerated as rounding (Stan uses 1e-8 too). */
const SYMMETRY_TOLERANCE = 1e-8;
const covBox = new Float64Array(1);
const valueBox = new Float64Array(1);

/** Reused for every gradient call, so that a call allocates nothing. */
const accumulators: GaussianAccumulators = { gx: undefined, gloc: undefined, outer: undefined, cross: undefined };

/** One remembered covariance with its Cholesky factor (and inverse, once a gradient needed it). */
interface Factorisation {
  k: number;
  cov: Float64Array;
  factor: Float64Array;
  inverse: Float64Array;
  inverseReady: boolean;
  /** False for a covariance that is not symmetric positive definite. */
  valid: boolean;
  /** Σ log L_jj = ½ log|Σ|. */
  logDiag: number;
}

/**
 * The factorisations of the last few covariances seen. A prior or likelihood with a fixed
 * covariance is evaluated many times with the same matrix, so comparing k² numbers replaces an
 * O(k³) factorisation; several slots let a model with a few multi_normal terms keep all of
 * them. Slots are reused round-robin.
 */
const SLOTS = 4;
const slots: Factorisation[] = [];
let nextSlot = 0;
/** Scratch for Σ_events w wᵀ, grown to k². */
let outerScratch = new Float64Array(0);

/** Whether the k × k matrix is finite and symmetric to within rounding (diagonal positive). */
function symmetric(cov: Float64Array, k: number): boolean {
  for (let j = 0; j < k; j++) {
    const d = cov[j * k + j]!;
    if (!(d > 0 && d < Number.POSITIVE_INFINITY)) return false;
  }
  for (let j = 0; j < k; j++) {
    for (let l = 0; l < j; l++) {
      const a = cov[j * k + l]!;
      const b = cov[l * k + j]!;
      if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
      if (Math.abs(a - b) > SYMMETRY_TOLERANCE * Math.sqrt(cov[j * k + j]! * cov[l * k + l]!)) return false;
    }
  }
  return true;
}

/** The factorisation of `cov`: a remembered one with equal entries, else a slot refilled. */
function factorise(cov: Float64Array, k: number): Factorisation {
  const n = k * k;
  for (const slot of slots) {
    if (slot.k !== k) continue;
    let same = true;
    for (let i = 0; same && i < n; i++) same = slot.cov[i] === cov[i];
    if (same) return slot;
  }
  let slot = slots[nextSlot];
  if (slot === undefined || slot.k !== k) {
    slot = {
      k,
      cov: new Float64Array(n),
      factor: new Float64Array(n),
      inverse: new Float64Array(n),
      inverseReady: false,
      valid: false,
      logDiag: 0,
    };
    slots[nextSlot] = slot;
  }
  nextSlot = (nextSlot + 1) % SLOTS;
  slot.cov.set(cov);
  slot.inverseReady = false;
  slot.valid = symmetric(cov, k);
  if (!slot.valid) return slot;
  slot.factor.set(cov);
  slot.valid = dpotrf("L", k, slot.factor, k) === 0;
  if (!slot.valid) return slot;
  let logDiag = 0;
  for (let j = 0; j < k; j++) logDiag += Math.log(slot.factor[j * k + j]!);
  slot.logDiag = logDiag;
  return slot;
}

/** Σ⁻¹ from the factor (k triangular solves against the identity), computed once per matrix. */
function inverse(f: Factorisation): Float64Array {
  if (!f.inverseReady) {
    const k = f.k;
    const inv = f.inverse.fill(0);
    for (let j = 0; j < k; j++) inv[j * k + j] = 1;
    dpotrs("L", k, k, f.factor, k, inv, k);
    f.inverseReady = true;
  }
  return f.inverse;
}

/**
 * multi_normal(loc, cov): the multivariate normal with mean `loc` and covariance `cov`
 * (row-major k × k, symmetric to within 1e-8 relative and positive definite, otherwise the
 * density is −Infinity), log p(x) = −½k·log 2π − ½log|Σ| − ½(x − loc)ᵀΣ⁻¹(x − loc), evaluated
 * through the Cholesky factor Σ = L·Lᵀ (LAPACK-style dpotrf; the factors of the last few
 * matrices seen are reused). A value of m·k numbers is m independent events (row-major); `loc` is a
 * scalar, one k-vector, or one per event.
 *
 * Partials, with w = Σ⁻¹(x − loc): ∂/∂x = −w, ∂/∂loc = w, and for the covariance the symmetric
 * gradient G = ½(Σ_events w wᵀ − m·Σ⁻¹): for every symmetric perturbation dΣ the log density
 * changes by Σ_jl G_jl dΣ_jl. (The density is defined on symmetric matrices only, so the
 * gradient is fixed up to its antisymmetric part, which is zero here.)
 *
 * @example
 * ```ts
 * multiNormal.logDensity(new Float64Array([0, 0]), { loc: 0, cov: new Float64Array([1, 0, 0, 1]) }); // −log 2π
 * ```
 */
export const multiNormal: Distribution = {
  family: "multi_normal",
  params: {
    loc: { rank: 1, support: REAL, doc: "mean vector" },
    cov: { rank: 2, support: REAL, doc: "covariance matrix (symmetric positive definite)" },
  },
  paramOrder: ORDER,
  eventRank: 1,
  discrete: false,

  support: (): Support => REAL,

  logDensity(x: Value, p: Params): number {
    const loc = requireParam(WHERE, p, "loc", ORDER);
    const cov = asArray(requireParam(WHERE, p, "cov", ORDER), covBox);
    const xs = asArray(x, valueBox);
    const k = squareSide(WHERE, "cov", cov.length);
    const m = eventCount(WHERE, xs.length, k, `cov is ${k} × ${k}`);
    const mode = locMode(WHERE, loc, k, m);
    if (!finiteLoc(loc)) return Number.NEGATIVE_INFINITY;
    for (let i = 0; i < xs.length; i++) if (!Number.isFinite(xs[i]!)) return Number.NEGATIVE_INFINITY;
    const f = factorise(cov, k);
    if (!f.valid) return Number.NEGATIVE_INFINITY;
    const q = gaussianEvents(xs, m, k, loc, mode, f.factor, NO_ACCUMULATORS);
    return -m * (k * HALF_LN_TWO_PI + f.logDiag) - 0.5 * q;
  },

  logDensityGrad(x: Value, p: Params, out: GradOut): number {
    const loc = requireParam(WHERE, p, "loc", ORDER);
    const cov = asArray(requireParam(WHERE, p, "cov", ORDER), covBox);
    const xs = asArray(x, valueBox);
    const k = squareSide(WHERE, "cov", cov.length);
    const m = eventCount(WHERE, xs.length, k, `cov is ${k} × ${k}`);
    const mode = locMode(WHERE, loc, k, m);
    const gc = out.params.cov;
    checkGradBuffer(WHERE, "the value", out.x, xs.length);
    checkGradBuffer(WHERE, "parameter 'loc'", out.params.loc, typeof loc === "number" ? 1 : loc.length);
    checkGradBuffer(WHERE, "parameter 'cov'", gc, k * k);
    if (!finiteLoc(loc)) return Number.NEGATIVE_INFINITY;
    for (let i = 0; i < xs.length; i++) if (!Number.isFinite(xs[i]!)) return Number.NEGATIVE_INFINITY;
    const f = factorise(cov, k);
    if (!f.valid) return Number.NEGATIVE_INFINITY;
    if (gc !== undefined && outerScratch.length < k * k) outerScratch = new Float64Array(k * k);
    const outer = gc === undefined ? undefined : outerScratch.fill(0, 0, k * k);
    accumulators.gx = out.x;
    accumulators.gloc = out.params.loc;
    accumulators.outer = outer;
    const q = gaussianEvents(xs, m, k, loc, mode, f.factor, accumulators);
    if (gc !== undefined && outer !== undefined) {
      const inv = inverse(f);
      for (let i = 0; i < k * k; i++) gc[i]! += 0.5 * (outer[i]! - m * inv[i]!);
    }
    return -m * (k * HALF_LN_TWO_PI + f.logDiag) - 0.5 * q;
  },

  sample(rng: Rng, p: Params, shape: Shape, out?: Float64Array): Value {
    const loc = requireParam(WHERE, p, "loc", ORDER);
    const cov = asArray(requireParam(WHERE, p, "cov", ORDER), covBox);
    const k = squareSide(WHERE, "cov", cov.length);
    if (!finiteLoc(loc)) throw invalidParam(WHERE, "parameter 'loc' must be finite", loc);
    const f = factorise(cov, k);
    if (!f.valid) throw invalidParam(WHERE, "parameter 'cov' must be symmetric positive definite", cov);
    const m = sampleEvents(WHERE, shape, k, out);
    return drawGaussianEvents(rng, WHERE, loc, f.factor, k, m, out);
  },

  eventShape: (paramShapes) => matrixEventShape(paramShapes.cov, paramShapes.loc),
};
