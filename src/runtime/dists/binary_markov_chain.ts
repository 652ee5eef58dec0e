import { ShapeError } from "../../core/errors.js";
import type { Rng } from "../../core/rng.js";
import { formatShape, type Shape, shapeSize } from "../../core/shape.js";
import { BOOLEAN, type Support, UNIT_INTERVAL } from "../../core/support.js";
import type { Distribution, GradOut, Params, Value } from "./distribution.js";
import { checkGradBuffer, invalidParam, requireParam } from "./vector_family.js";

const WHERE = "binary_markov_chain()";
const ORDER = ["first", "p01", "p10"] as const;

/** Scratch for the three parameters, reused by every call (no allocation per density). */
const theta = new Float64Array(3);
/** Scratch for the sufficient statistics [s₁, n₀₀, n₀₁, n₁₀, n₁₁] of the last value read. */
const counts = new Float64Array(5);

/**
 * Reads the three scalar parameters into {@link theta}; a parameter given as an array must have
 * exactly one entry (the chain's probabilities are shared by every step). Returns whether all
 * three are probabilities in [0, 1].
 */
function readParams(p: Params): boolean {
  let ok = true;
  for (let k = 0; k < 3; k++) {
    const name = ORDER[k]!;
    const v = requireParam(WHERE, p, name, ORDER);
    let value: number;
    if (typeof v === "number") value = v;
    else if (v.length === 1) value = v[0]!;
    else {
      throw new ShapeError({
        where: WHERE,
        what: `parameter '${name}' must be a scalar (one probability for every step of the chain)`,
        got: `a vector of ${v.length}`,
        expected: "a scalar",
      });
    }
    theta[k] = value;
    if (!(value >= 0 && value <= 1)) ok = false;
  }
  return ok;
}

/**
 * Fills {@link counts} with the first state and the four transition counts of x; returns false
 * when an entry is not exactly 0 or 1 (outside the support).
 */
function countTransitions(x: Value): boolean {
  counts.fill(0);
  if (typeof x === "number") {
    if (x !== 0 && x !== 1) return false;
    counts[0] = x;
    return true;
  }
  const n = x.length;
  if (n === 0) return true;
  let previous = x[0]!;
  if (previous !== 0 && previous !== 1) return false;
  counts[0] = previous;
  // counts[1 + 2·s_(i−1) + s_i] is n₀₀, n₀₁, n₁₀, n₁₁ in that order.
  for (let i = 1; i < n; i++) {
    const s = x[i]!;
    if (s !== 0 && s !== 1) return false;
    counts[1 + 2 * previous + s]! += 1;
    previous = s;
  }
  return true;
}

/** c·log(q), with 0·log 0 = 0: an impossible event that does not occur costs nothing. */
function weightedLog(c: number, q: number): number {
  return c === 0 ? 0 : c * Math.log(q);
}

/** Whether x is empty (a chain of length 0 has probability 1 and no first state). */
function isEmpty(x: Value): boolean {
  return typeof x !== "number" && x.length === 0;
}

/** log p(s) from {@link counts} and {@link theta}. */
function chainLogProbability(empty: boolean): number {
  const first = theta[0]!;
  const p01 = theta[1]!;
  const p10 = theta[2]!;
  const s1 = counts[0]!;
  return (
    (empty ? 0 : s1 === 1 ? Math.log(first) : Math.log1p(-first)) +
    weightedLog(counts[1]!, 1 - p01) +
    weightedLog(counts[2]!, p01) +
    weightedLog(counts[3]!, p10) +
    weightedLog(counts[4]!, 1 - p10)
  );
}

/** c₁/q − c₀/(1 − q), skipping a zero count (its term is constant 0, also at q ∈ {0, 1}). */
function binaryScore(ones: number, zeros: number, q: number): number {
  return (ones === 0 ? 0 : ones / q) - (zeros === 0 ? 0 : zeros / (1 - q));
}

/**
 * binary_markov_chain(first, p01, p10): a sequence s ∈ {0, 1}ᴺ drawn by a two-state Markov chain
 * that starts in state 1 with probability `first` and then moves 0 → 1 with probability `p01`
 * and 1 → 0 with probability `p10`:
 *
 *     log p(s) = log first^(s₁) (1 − first)^(1 − s₁)
 *              + n₀₀ log(1 − p01) + n₀₁ log p01 + n₁₀ log p10 + n₁₁ log(1 − p10),
 *
 * with n_ab the number of steps a → b. The whole value (a vector, flattened row-major if it has
 * more dimensions) is one chain, so the family has event rank 1 and its length is the declared
 * size of the variable (a literal or integer data). Starting from the stationary law takes
 * first = p01 / (p01 + p10). Mean run lengths are 1/p10 for ones and 1/p01 for zeros: the
 * clustered support of the Turbo-VBI prior. Values other than exactly 0 or 1, or probabilities
 * outside [0, 1], give −Infinity; a transition of probability 0 that does not occur costs
 * nothing.
 *
 * Partials (the value is discrete and gets none): ∂/∂first = s₁/first − (1 − s₁)/(1 − first),
 * ∂/∂p01 = n₀₁/p01 − n₀₀/(1 − p01), ∂/∂p10 = n₁₀/p10 − n₁₁/(1 − p10). Sampling draws the chain
 * forwards, one uniform per step.
 *
 * @example
 * ```ts
 * binaryMarkovChain.logDensity(new Float64Array([1, 1, 0]), { first: 0.5, p01: 0.1, p10: 0.2 });
 * // log 0.5 + log 0.8 + log 0.2
 * ```
 */
export const binaryMarkovChain: Distribution = {
  family: "binary_markov_chain",
  params: {
    first: { rank: 0, support: UNIT_INTERVAL, doc: "probability that the chain starts at 1" },
    p01: { rank: 0, support: UNIT_INTERVAL, doc: "probability of a step from 0 to 1" },
    p10: { rank: 0, support: UNIT_INTERVAL, doc: "probability of a step from 1 to 0" },
  },
  paramOrder: ORDER,
  eventRank: 1,
  discrete: true,

  support: (): Support => BOOLEAN,

  logDensity(x: Value, p: Params): number {
    if (!readParams(p) || !countTransitions(x)) return Number.NEGATIVE_INFINITY;
    // An impossible first state or transition that occurs is log 0 = −∞ by itself; zero counts
    // are skipped, so 0·log 0 never makes a NaN.
    return chainLogProbability(isEmpty(x));
  },

  logDensityGrad(x: Value, p: Params, out: GradOut): number {
    const g = out.params;
    for (const name of ORDER) checkGradBuffer(WHERE, `parameter '${name}'`, g[name], 1);
    if (!readParams(p) || !countTransitions(x)) return Number.NEGATIVE_INFINITY;
    const empty = isEmpty(x);
    const lp = chainLogProbability(empty);
    // At −∞ the partials are meaningless (and would divide by a zero probability).
    if (lp === Number.NEGATIVE_INFINITY) return lp;
    const gFirst = g.first;
    const g01 = g.p01;
    const g10 = g.p10;
    if (gFirst !== undefined && !empty) gFirst[0]! += binaryScore(counts[0]!, 1 - counts[0]!, theta[0]!);
    if (g01 !== undefined) g01[0]! += binaryScore(counts[2]!, counts[1]!, theta[1]!);
    if (g10 !== undefined) g10[0]! += binaryScore(counts[3]!, counts[4]!, theta[2]!);
    return lp;
  },

  sample(rng: Rng, p: Params, shape: Shape, out?: Float64Array): Value {
    if (!readParams(p)) {
      throw invalidParam(
        WHERE,
        "parameters 'first', 'p01' and 'p10' must be probabilities in [0, 1]",
        `first=${theta[0]}, p01=${theta[1]}, p10=${theta[2]}`,
      );
    }
    const first = theta[0]!;
    const stay1 = 1 - theta[2]!;
    const enter1 = theta[1]!;
    // `[]` is a chain of one step (a bernoulli(first) draw), returned as a number.
    if (shape.length === 0 && out === undefined) return rng.uniform() < first ? 1 : 0;
    const n = shapeSize(shape);
    if (out !== undefined && out.length < n) {
      throw new ShapeError({
        where: WHERE,
        what: "output buffer is too short",
        got: `${out.length} for shape ${formatShape(shape)}`,
        expected: `at least ${n}`,
      });
    }
    const target = out ?? new Float64Array(n);
    if (n === 0) return target;
    let s = rng.uniform() < first ? 1 : 0;
    target[0] = s;
    for (let i = 1; i < n; i++) {
      s = rng.uniform() < (s === 1 ? stay1 : enter1) ? 1 : 0;
      target[i] = s;
    }
    return target;
  },
};
