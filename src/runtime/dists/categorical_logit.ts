import type { Rng } from "../../core/rng.js";
import type { Shape } from "../../core/shape.js";
import { REAL, type Support } from "../../core/support.js";
import { sampleCategoricalLogits } from "../rng/samplers.js";
import { logSumExp } from "../special.js";
import { categorySupport, isCategory } from "./categorical.js";
import type { Distribution, GradOut, Params, Value } from "./distribution.js";
import { asArray, checkGradBuffer, invalidParam, requireParam, sampleEvents } from "./vector_family.js";

const WHERE = "categorical_logit()";
const ORDER = ["logits"] as const;
const logitsBox = new Float64Array(1);
const valueBox = new Float64Array(1);

/** Whether every logit is finite (the density needs a finite normaliser). */
function allFinite(v: Float64Array): boolean {
  for (let j = 0; j < v.length; j++) if (!Number.isFinite(v[j]!)) return false;
  return true;
}

/**
 * categorical_logit(logits): categorical with probs = softmax(logits), categories numbered
 * **0 to K − 1**; log p(x) = logits[x] − log Σ_j exp(logits[j]), evaluated with the maximum
 * shifted out so that no logit overflows. Logits are identified only up to an added constant.
 * One logits vector is shared by every element of the value.
 *
 * Partials: ∂/∂logits[j] = (count of j) − n·softmax(logits)[j] for n draws.
 *
 * @example
 * ```ts
 * categoricalLogit.logDensity(1, { logits: new Float64Array([0, 0]) }); // returns −log 2
 * ```
 */
export const categoricalLogit: Distribution = {
  family: "categorical_logit",
  params: { logits: { rank: 1, support: REAL, doc: "unnormalised log-probabilities" } },
  paramOrder: ORDER,
  eventRank: 0,
  discrete: true,

  support(p: Params): Support {
    return categorySupport(asArray(requireParam(WHERE, p, "logits", ORDER), logitsBox).length);
  },

  logDensity(x: Value, p: Params): number {
    const logits = asArray(requireParam(WHERE, p, "logits", ORDER), logitsBox);
    const k = logits.length;
    if (k === 0 || !allFinite(logits)) return Number.NEGATIVE_INFINITY;
    const xs = asArray(x, valueBox);
    let total = 0;
    for (let i = 0; i < xs.length; i++) {
      const c = xs[i]!;
      if (!isCategory(c, k)) return Number.NEGATIVE_INFINITY;
      total += logits[c]!;
    }
    return xs.length === 0 ? 0 : total - xs.length * logSumExp(k, logits);
  },

  logDensityGrad(x: Value, p: Params, out: GradOut): number {
    const logits = asArray(requireParam(WHERE, p, "logits", ORDER), logitsBox);
    const k = logits.length;
    const g = out.params.logits;
    checkGradBuffer(WHERE, "parameter 'logits'", g, typeof p.logits === "number" ? 1 : k);
    if (k === 0 || !allFinite(logits)) return Number.NEGATIVE_INFINITY;
    const xs = asArray(x, valueBox);
    const n = xs.length;
    for (let i = 0; i < n; i++) if (!isCategory(xs[i]!, k)) return Number.NEGATIVE_INFINITY;
    if (n === 0) return 0;
    const lse = logSumExp(k, logits);
    let total = -n * lse;
    for (let i = 0; i < n; i++) {
      const c = xs[i]!;
      total += logits[c]!;
      if (g !== undefined) g[c]! += 1;
    }
    if (g !== undefined) for (let j = 0; j < k; j++) g[j]! -= n * Math.exp(logits[j]! - lse);
    return total;
  },

  sample(rng: Rng, p: Params, shape: Shape, out?: Float64Array): Value {
    const logits = asArray(requireParam(WHERE, p, "logits", ORDER), logitsBox);
    if (logits.length === 0 || !allFinite(logits)) {
      throw invalidParam(WHERE, "parameter 'logits' must be a non-empty vector of finite numbers", logits);
    }
    const n = sampleEvents(WHERE, shape, 1, out);
    if (shape.length === 0 && out === undefined) return sampleCategoricalLogits(rng, logits);
    const target = out ?? new Float64Array(n);
    for (let i = 0; i < n; i++) target[i] = sampleCategoricalLogits(rng, logits);
    return target;
  },
};
