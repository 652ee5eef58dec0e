import type { Rng } from "../../core/rng.js";
import type { Shape } from "../../core/shape.js";
import { REAL, type Support } from "../../core/support.js";
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

const WHERE = "multi_normal_cholesky()";
const ORDER = ["loc", "chol"] as const;
const cholBox = new Float64Array(1);
const valueBox = new Float64Array(1);

/** Reused for every gradient call, so that a call allocates nothing. */
const accumulators: GaussianAccumulators = { gx: undefined, gloc: undefined, outer: undefined, cross: undefined };

/** Whether the lower triangle is finite with a positive diagonal (a valid Cholesky factor). */
function validFactor(chol: Float64Array, k: number): boolean {
  for (let j = 0; j < k; j++) {
    const row = j * k;
    for (let l = 0; l < j; l++) if (!Number.isFinite(chol[row + l]!)) return false;
    const d = chol[row + j]!;
    if (!(d > 0 && d < Number.POSITIVE_INFINITY)) return false;
  }
  return true;
}

/**
 * multi_normal_cholesky(loc, chol): the multivariate normal with covariance L·Lᵀ given by its
 * lower Cholesky factor L (`chol`, row-major k × k; the strict upper triangle is ignored and
 * receives zero partials; the diagonal must be positive),
 * log p(x) = −½k·log 2π − Σ log L_jj − ½|L⁻¹(x − loc)|². No factorisation is needed, so this is
 * the form to use when L comes from a cholesky_corr bijector times scales. A value of m·k
 * numbers is m independent events (row-major); `loc` is a scalar, one k-vector, or one per event.
 *
 * Partials, with z = L⁻¹(x − loc) and w = L⁻ᵀz: ∂/∂x = −w, ∂/∂loc = w and
 * ∂/∂L = tril(Σ_events w zᵀ) − m·diag(1/L_jj).
 *
 * @example
 * ```ts
 * multiNormalCholesky.logDensity(new Float64Array([0, 0]), { loc: 0, chol: new Float64Array([1, 0, 0, 1]) }); // −log 2π
 * ```
 */
export const multiNormalCholesky: Distribution = {
  family: "multi_normal_cholesky",
  params: {
    loc: { rank: 1, support: REAL, doc: "mean vector" },
    chol: { rank: 2, support: REAL, doc: "lower Cholesky factor of the covariance (positive diagonal)" },
  },
  paramOrder: ORDER,
  eventRank: 1,
  discrete: false,

  support: (): Support => REAL,

  logDensity(x: Value, p: Params): number {
    const loc = requireParam(WHERE, p, "loc", ORDER);
    const chol = asArray(requireParam(WHERE, p, "chol", ORDER), cholBox);
    const xs = asArray(x, valueBox);
    const k = squareSide(WHERE, "chol", chol.length);
    const m = eventCount(WHERE, xs.length, k, `chol is ${k} × ${k}`);
    const mode = locMode(WHERE, loc, k, m);
    if (!finiteLoc(loc) || !validFactor(chol, k)) return Number.NEGATIVE_INFINITY;
    for (let i = 0; i < xs.length; i++) if (!Number.isFinite(xs[i]!)) return Number.NEGATIVE_INFINITY;
    let logDiag = 0;
    for (let j = 0; j < k; j++) logDiag += Math.log(chol[j * k + j]!);
    const q = gaussianEvents(xs, m, k, loc, mode, chol, NO_ACCUMULATORS);
    return -m * (k * HALF_LN_TWO_PI + logDiag) - 0.5 * q;
  },

  logDensityGrad(x: Value, p: Params, out: GradOut): number {
    const loc = requireParam(WHERE, p, "loc", ORDER);
    const chol = asArray(requireParam(WHERE, p, "chol", ORDER), cholBox);
    const xs = asArray(x, valueBox);
    const k = squareSide(WHERE, "chol", chol.length);
    const m = eventCount(WHERE, xs.length, k, `chol is ${k} × ${k}`);
    const mode = locMode(WHERE, loc, k, m);
    const gl = out.params.chol;
    checkGradBuffer(WHERE, "the value", out.x, xs.length);
    checkGradBuffer(WHERE, "parameter 'loc'", out.params.loc, typeof loc === "number" ? 1 : loc.length);
    checkGradBuffer(WHERE, "parameter 'chol'", gl, k * k);
    if (!finiteLoc(loc) || !validFactor(chol, k)) return Number.NEGATIVE_INFINITY;
    for (let i = 0; i < xs.length; i++) if (!Number.isFinite(xs[i]!)) return Number.NEGATIVE_INFINITY;
    let logDiag = 0;
    for (let j = 0; j < k; j++) logDiag += Math.log(chol[j * k + j]!);
    accumulators.gx = out.x;
    accumulators.gloc = out.params.loc;
    accumulators.cross = gl;
    const q = gaussianEvents(xs, m, k, loc, mode, chol, accumulators);
    if (gl !== undefined) for (let j = 0; j < k; j++) gl[j * k + j]! -= m / chol[j * k + j]!;
    return -m * (k * HALF_LN_TWO_PI + logDiag) - 0.5 * q;
  },

  sample(rng: Rng, p: Params, shape: Shape, out?: Float64Array): Value {
    const loc = requireParam(WHERE, p, "loc", ORDER);
    const chol = asArray(requireParam(WHERE, p, "chol", ORDER), cholBox);
    const k = squareSide(WHERE, "chol", chol.length);
    if (!validFactor(chol, k)) {
      throw invalidParam(WHERE, "parameter 'chol' must be lower triangular with a positive diagonal", chol);
    }
    if (!finiteLoc(loc)) throw invalidParam(WHERE, "parameter 'loc' must be finite", loc);
    const m = sampleEvents(WHERE, shape, k, out);
    return drawGaussianEvents(rng, WHERE, loc, chol, k, m, out);
  },

  eventShape: (paramShapes) => matrixEventShape(paramShapes.chol, paramShapes.loc),
};
