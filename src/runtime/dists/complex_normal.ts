import { ShapeError } from "../../core/errors.js";
import type { Rng } from "../../core/rng.js";
import { formatShape, type Shape } from "../../core/shape.js";
import { POSITIVE, REAL, type Support } from "../../core/support.js";
import { LN_PI } from "../special.js";
import type { Distribution, GradOut, Params, Value } from "./distribution.js";
import { asArray, checkGradBuffer, eventCount, invalidParam, requireParam, sampleEvents } from "./vector_family.js";

const WHERE = "complex_normal()";
const ORDER = ["loc", "scale"] as const;
const valueBox = new Float64Array(1);
const scaleBox = new Float64Array(1);
/** A real `loc` given as a number, as the complex number (loc, 0). */
const locBox = new Float64Array(2);

// Per-call bindings (JavaScript is single-threaded and nothing here re-enters): the location as
// interleaved pairs with stride 0 (one complex number for all) or 2 (one per element), the scale
// with stride 0 (shared) or 1 (one per element).
let locData: Float64Array = locBox;
let locStride = 0;
let scaleData: Float64Array = scaleBox;
let scaleStride = 0;

function bindLoc(loc: Value, n: number): void {
  if (typeof loc === "number") {
    locBox[0] = loc;
    locBox[1] = 0;
    locData = locBox;
    locStride = 0;
  } else if (loc.length === 2 || loc.length === 2 * n) {
    locData = loc;
    locStride = loc.length === 2 ? 0 : 2;
  } else {
    throw new ShapeError({
      where: WHERE,
      what: "parameter 'loc' does not broadcast against the value",
      got: formatShape([loc.length]),
      expected: `a real number, vector[2] (one complex number) or vector[${2 * n}] (one per element)`,
    });
  }
}

function bindScale(scale: Value, n: number): void {
  const data = asArray(scale, scaleBox);
  if (data.length !== 1 && data.length !== n) {
    throw new ShapeError({
      where: WHERE,
      what: "parameter 'scale' does not broadcast against the value",
      got: formatShape([data.length]),
      expected: `a scalar or vector[${n}] (one per complex element)`,
    });
  }
  scaleData = data;
  scaleStride = data.length === 1 ? 0 : 1;
}

/** Index of the first entry that is not positive and finite, or −1. */
function firstBadScale(scale: Float64Array): number {
  for (let i = 0; i < scale.length; i++) {
    const s = scale[i]!;
    if (!(s > 0 && s < Number.POSITIVE_INFINITY)) return i;
  }
  return -1;
}

/** Whether every entry is finite. */
function allFinite(v: Float64Array): boolean {
  for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i]!)) return false;
  return true;
}

/**
 * complex_normal(loc, scale): the circularly-symmetric complex Gaussian CN(loc, scale²) for
 * complex values stored interleaved as (re, im) pairs, the convention of sprig's complex
 * kernels: a value of 2n numbers is n complex elements, each an event of shape [2]. Per element,
 * log p(x) = −log(π·scale²) − |x − loc|² / scale², i.e. real and imaginary parts independent
 * normals with variance scale²/2 each, so E|x − loc|² = scale². This is the noise model of
 * complex-valued measurements (radar, MRI, channel estimation).
 *
 * `loc` is a real number (imaginary part 0), one complex number [re, im], or one per element
 * (2n numbers); `scale` is one positive number or one per element (n numbers).
 *
 * Partials, with d = x − loc: ∂/∂x = −2d/scale² (componentwise), ∂/∂loc = 2d/scale²,
 * ∂/∂scale = −2/scale + 2|d|²/scale³. A real `loc` given as a number receives the sum of the
 * real-part partials (its imaginary part is fixed at 0).
 *
 * @example
 * ```ts
 * complexNormal.logDensity(new Float64Array([1, 0]), { loc: 0, scale: 1 }); // returns −log π − 1
 * ```
 */
export const complexNormal: Distribution = {
  family: "complex_normal",
  params: {
    loc: { rank: 1, support: REAL, doc: "complex mean, interleaved (re, im)" },
    scale: { rank: 0, support: POSITIVE, doc: "scale: E|x − loc|² = scale²" },
  },
  paramOrder: ORDER,
  eventRank: 1,
  discrete: false,

  support: (): Support => REAL,

  logDensity(x: Value, p: Params): number {
    const xs = asArray(x, valueBox);
    const n = eventCount(WHERE, xs.length, 2, "complex values are (re, im) pairs");
    bindLoc(requireParam(WHERE, p, "loc", ORDER), n);
    bindScale(requireParam(WHERE, p, "scale", ORDER), n);
    if (!allFinite(locData) || firstBadScale(scaleData) >= 0 || !allFinite(xs)) return Number.NEGATIVE_INFINITY;
    let total = 0;
    for (let i = 0; i < n; i++) {
      const s = scaleData[i * scaleStride]!;
      const dr = xs[2 * i]! - locData[i * locStride]!;
      const di = xs[2 * i + 1]! - locData[i * locStride + 1]!;
      const invS = 1 / s;
      total -= LN_PI + 2 * Math.log(s) + (dr * dr + di * di) * invS * invS;
    }
    return total;
  },

  logDensityGrad(x: Value, p: Params, out: GradOut): number {
    const xs = asArray(x, valueBox);
    const n = eventCount(WHERE, xs.length, 2, "complex values are (re, im) pairs");
    const rawLoc = requireParam(WHERE, p, "loc", ORDER);
    bindLoc(rawLoc, n);
    bindScale(requireParam(WHERE, p, "scale", ORDER), n);
    const gx = out.x;
    const gl = out.params.loc;
    const gs = out.params.scale;
    checkGradBuffer(WHERE, "the value", gx, xs.length);
    checkGradBuffer(WHERE, "parameter 'loc'", gl, typeof rawLoc === "number" ? 1 : rawLoc.length);
    checkGradBuffer(WHERE, "parameter 'scale'", gs, scaleData.length);
    if (!allFinite(locData) || firstBadScale(scaleData) >= 0 || !allFinite(xs)) return Number.NEGATIVE_INFINITY;
    const realLoc = typeof rawLoc === "number";
    let total = 0;
    for (let i = 0; i < n; i++) {
      const s = scaleData[i * scaleStride]!;
      const dr = xs[2 * i]! - locData[i * locStride]!;
      const di = xs[2 * i + 1]! - locData[i * locStride + 1]!;
      const invS = 1 / s;
      const r2 = (dr * dr + di * di) * invS * invS;
      total -= LN_PI + 2 * Math.log(s) + r2;
      const w = 2 * invS * invS;
      if (gx !== undefined) {
        gx[2 * i]! -= w * dr;
        gx[2 * i + 1]! -= w * di;
      }
      if (gl !== undefined) {
        if (realLoc) gl[0]! += w * dr;
        else {
          gl[i * locStride]! += w * dr;
          gl[i * locStride + 1]! += w * di;
        }
      }
      if (gs !== undefined) gs[i * scaleStride]! += 2 * (r2 - 1) * invS;
    }
    return total;
  },

  sample(rng: Rng, p: Params, shape: Shape, out?: Float64Array): Value {
    const m = sampleEvents(WHERE, shape, 2, out);
    bindLoc(requireParam(WHERE, p, "loc", ORDER), m);
    bindScale(requireParam(WHERE, p, "scale", ORDER), m);
    if (!allFinite(locData)) throw invalidParam(WHERE, "parameter 'loc' must be finite", locData);
    const bad = firstBadScale(scaleData);
    if (bad >= 0) throw invalidParam(WHERE, "parameter 'scale' must be positive and finite", scaleData[bad]);
    const target = out ?? new Float64Array(2 * m);
    for (let i = 0; i < m; i++) {
      // Each part has variance scale²/2.
      const sd = scaleData[i * scaleStride]! * Math.SQRT1_2;
      target[2 * i] = locData[i * locStride]! + sd * rng.normal();
      target[2 * i + 1] = locData[i * locStride + 1]! + sd * rng.normal();
    }
    return target;
  },

  eventShape: () => [2],
};
