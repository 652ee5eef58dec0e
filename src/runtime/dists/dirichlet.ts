import type { Rng } from "../../core/rng.js";
import type { Shape } from "../../core/shape.js";
import { POSITIVE, type Support } from "../../core/support.js";
import { sampleDirichlet } from "../rng/samplers.js";
import { digamma, lgamma } from "../special.js";
import type { Distribution, GradOut, Params, Value } from "./distribution.js";
import {
  asArray,
  checkGradBuffer,
  eventCount,
  invalidParam,
  onSimplex,
  requireParam,
  SIMPLEX,
  sampleEvents,
} from "./vector_family.js";

const WHERE = "dirichlet()";
const ORDER = ["alpha"] as const;
const alphaBox = new Float64Array(1);
const valueBox = new Float64Array(1);

/**
 * lgamma(Σα) − Σ lgamma(α_j) and the digammas ψ(α_j), ψ(Σα) for the last concentration vector
 * seen: a prior's α is usually a constant, and the K log-gammas cost far more than comparing K
 * numbers.
 */
let cachedAlpha = new Float64Array(0);
let cachedDigamma = new Float64Array(0);
let cachedNormaliser = 0;
let cachedDigammaSum = 0;
let digammaValid = false;

/** Whether every α_j is positive and finite. */
function validAlpha(alpha: Float64Array): boolean {
  for (let j = 0; j < alpha.length; j++) {
    const a = alpha[j]!;
    if (!(a > 0 && a < Number.POSITIVE_INFINITY)) return false;
  }
  return alpha.length > 0;
}

/** Makes the cache describe `alpha` (assumed valid); `withDigamma` also fills the digammas. */
function refresh(alpha: Float64Array, withDigamma: boolean): void {
  const k = alpha.length;
  let same = cachedAlpha.length === k;
  for (let j = 0; same && j < k; j++) same = cachedAlpha[j] === alpha[j];
  if (!same) {
    if (cachedAlpha.length !== k) {
      cachedAlpha = new Float64Array(k);
      cachedDigamma = new Float64Array(k);
    }
    cachedAlpha.set(alpha);
    let sum = 0;
    let logGammas = 0;
    for (let j = 0; j < k; j++) {
      sum += alpha[j]!;
      logGammas += lgamma(alpha[j]!);
    }
    cachedNormaliser = lgamma(sum) - logGammas;
    digammaValid = false;
  }
  if (withDigamma && !digammaValid) {
    let sum = 0;
    for (let j = 0; j < k; j++) {
      sum += alpha[j]!;
      cachedDigamma[j] = digamma(alpha[j]!);
    }
    cachedDigammaSum = digamma(sum);
    digammaValid = true;
  }
}

/**
 * dirichlet(alpha): a probability vector of K entries with
 * log p(x) = lgamma(Σα) − Σ lgamma(α_j) + Σ (α_j − 1)·log x_j on the open simplex (every
 * x_j > 0, Σ x_j = 1 within 1e-8; otherwise −Infinity). α = 1 is uniform on the simplex; α_j < 1
 * pushes mass to the corners (the sparse regime). A value of m·K numbers is m independent
 * events (row-major), all with the same α.
 *
 * Partials: ∂/∂x_j = (α_j − 1)/x_j, with the entries taken as free coordinates (a simplex
 * bijector composes with it by the chain rule); ∂/∂α_j = ψ(Σα) − ψ(α_j) + log x_j per event.
 *
 * Sampling works in log space, but for concentrations around 0.01 and below an entry can still
 * round to exactly 0, a point of the closed simplex where this density is −Infinity.
 *
 * @example
 * ```ts
 * dirichlet.logDensity(new Float64Array([0.2, 0.8]), { alpha: new Float64Array([1, 1]) }); // returns 0
 * ```
 */
export const dirichlet: Distribution = {
  family: "dirichlet",
  params: { alpha: { rank: 1, support: POSITIVE, doc: "concentration of each entry" } },
  paramOrder: ORDER,
  eventRank: 1,
  discrete: false,

  support: (): Support => SIMPLEX,

  logDensity(x: Value, p: Params): number {
    const alpha = asArray(requireParam(WHERE, p, "alpha", ORDER), alphaBox);
    const xs = asArray(x, valueBox);
    const k = alpha.length;
    const m = eventCount(WHERE, xs.length, k, `alpha has ${k} entries`);
    if (!validAlpha(alpha)) return Number.NEGATIVE_INFINITY;
    refresh(alpha, false);
    let total = m * cachedNormaliser;
    for (let e = 0, offset = 0; e < m; e++, offset += k) {
      if (!onSimplex(xs, offset, k, true)) return Number.NEGATIVE_INFINITY;
      for (let j = 0; j < k; j++) total += (alpha[j]! - 1) * Math.log(xs[offset + j]!);
    }
    return total;
  },

  logDensityGrad(x: Value, p: Params, out: GradOut): number {
    const alpha = asArray(requireParam(WHERE, p, "alpha", ORDER), alphaBox);
    const xs = asArray(x, valueBox);
    const k = alpha.length;
    const m = eventCount(WHERE, xs.length, k, `alpha has ${k} entries`);
    const gx = out.x;
    const ga = out.params.alpha;
    checkGradBuffer(WHERE, "the value", gx, xs.length);
    checkGradBuffer(WHERE, "parameter 'alpha'", ga, k);
    if (!validAlpha(alpha)) return Number.NEGATIVE_INFINITY;
    refresh(alpha, ga !== undefined);
    let total = m * cachedNormaliser;
    for (let e = 0, offset = 0; e < m; e++, offset += k) {
      if (!onSimplex(xs, offset, k, true)) return Number.NEGATIVE_INFINITY;
      for (let j = 0; j < k; j++) {
        const xj = xs[offset + j]!;
        const logX = Math.log(xj);
        total += (alpha[j]! - 1) * logX;
        if (gx !== undefined) gx[offset + j]! += (alpha[j]! - 1) / xj;
        if (ga !== undefined) ga[j]! += logX;
      }
    }
    if (ga !== undefined) for (let j = 0; j < k; j++) ga[j]! += m * (cachedDigammaSum - cachedDigamma[j]!);
    return total;
  },

  sample(rng: Rng, p: Params, shape: Shape, out?: Float64Array): Value {
    const alpha = asArray(requireParam(WHERE, p, "alpha", ORDER), alphaBox);
    if (!validAlpha(alpha)) {
      throw invalidParam(WHERE, "parameter 'alpha' must be a non-empty vector of positive finite numbers", alpha);
    }
    const k = alpha.length;
    const m = sampleEvents(WHERE, shape, k, out);
    const target = out ?? new Float64Array(m * k);
    for (let e = 0; e < m; e++) sampleDirichlet(rng, alpha, target.subarray(e * k, (e + 1) * k));
    return target;
  },

  eventShape: (paramShapes) => paramShapes.alpha ?? [],
};
