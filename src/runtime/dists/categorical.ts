import type { Rng } from "../../core/rng.js";
import type { Shape } from "../../core/shape.js";
import type { Support } from "../../core/support.js";
import { sampleCategorical } from "../rng/samplers.js";
import type { Distribution, GradOut, Params, Value } from "./distribution.js";
import {
  asArray,
  checkGradBuffer,
  invalidParam,
  onSimplex,
  requireParam,
  SIMPLEX,
  sampleEvents,
} from "./vector_family.js";

const WHERE = "categorical()";
const ORDER = ["probs"] as const;

/**
 * The support {0, …, K − 1} of a K-category family (categories are 0-based, like every index
 * in sprig).
 *
 * @param k - the number of categories
 * @returns the integer support
 * @example
 * ```ts
 * categorySupport(3); // { kind: "integer", lower: 0, upper: 2 }
 * ```
 */
export function categorySupport(k: number): Support {
  return { kind: "integer", lower: 0, upper: k - 1 };
}

/**
 * Whether x is a valid 0-based category index below k.
 *
 * @param x - the value
 * @param k - the number of categories
 * @returns true for 0, 1, …, k − 1
 * @example
 * ```ts
 * isCategory(2, 3); // true
 * isCategory(3, 3); // false
 * ```
 */
export function isCategory(x: number, k: number): boolean {
  return x >= 0 && x < k && Number.isInteger(x);
}

const probsBox = new Float64Array(1);
const valueBox = new Float64Array(1);

/**
 * categorical(probs): one of K categories, numbered **0 to K − 1** (sprig indexes from 0
 * everywhere; Stan numbers them from 1), with P(x = j) = probs[j]; log p(x) = log probs[x].
 * `probs` is one probability vector shared by every element of the value (a vector value is
 * that many independent draws); it must lie on the simplex to within 1e-8, otherwise the density
 * is −Infinity. For per-observation probabilities write one categorical per observation, or use
 * categorical_logit with a linear predictor.
 *
 * Partials: ∂/∂probs[j] = (count of j) / probs[j], the derivative with the entries taken as
 * free coordinates; a simplex bijector (or any map onto the simplex) composes with it by the
 * chain rule.
 *
 * @example
 * ```ts
 * categorical.logDensity(new Float64Array([0, 2]), { probs: new Float64Array([0.5, 0.3, 0.2]) }); // log 0.5 + log 0.2
 * ```
 */
export const categorical: Distribution = {
  family: "categorical",
  params: { probs: { rank: 1, support: SIMPLEX, doc: "probability of each category (sums to 1)" } },
  paramOrder: ORDER,
  eventRank: 0,
  discrete: true,

  support(p: Params): Support {
    return categorySupport(asArray(requireParam(WHERE, p, "probs", ORDER), probsBox).length);
  },

  logDensity(x: Value, p: Params): number {
    const probs = asArray(requireParam(WHERE, p, "probs", ORDER), probsBox);
    const k = probs.length;
    if (!onSimplex(probs, 0, k, false)) return Number.NEGATIVE_INFINITY;
    const xs = asArray(x, valueBox);
    let total = 0;
    for (let i = 0; i < xs.length; i++) {
      const c = xs[i]!;
      if (!isCategory(c, k)) return Number.NEGATIVE_INFINITY;
      total += Math.log(probs[c]!);
    }
    return total;
  },

  logDensityGrad(x: Value, p: Params, out: GradOut): number {
    const probs = asArray(requireParam(WHERE, p, "probs", ORDER), probsBox);
    const k = probs.length;
    const g = out.params.probs;
    checkGradBuffer(WHERE, "parameter 'probs'", g, k);
    if (!onSimplex(probs, 0, k, false)) return Number.NEGATIVE_INFINITY;
    const xs = asArray(x, valueBox);
    let total = 0;
    for (let i = 0; i < xs.length; i++) {
      const c = xs[i]!;
      if (!isCategory(c, k)) return Number.NEGATIVE_INFINITY;
      const pc = probs[c]!;
      if (pc === 0) return Number.NEGATIVE_INFINITY;
      total += Math.log(pc);
      if (g !== undefined) g[c]! += 1 / pc;
    }
    return total;
  },

  sample(rng: Rng, p: Params, shape: Shape, out?: Float64Array): Value {
    const probs = asArray(requireParam(WHERE, p, "probs", ORDER), probsBox);
    if (!onSimplex(probs, 0, probs.length, false)) {
      throw invalidParam(WHERE, "parameter 'probs' must be a probability vector (non-negative, summing to 1)", probs);
    }
    const n = sampleEvents(WHERE, shape, 1, out);
    if (shape.length === 0 && out === undefined) return sampleCategorical(rng, probs);
    const target = out ?? new Float64Array(n);
    for (let i = 0; i < n; i++) target[i] = sampleCategorical(rng, probs);
    return target;
  },
};
