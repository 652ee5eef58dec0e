/**
 * Maximisation of an acquisition over the unit cube: score a cheap space-filling set of raw
 * candidates, then polish the best few with box-constrained L-BFGS (the multi-start scheme of
 * BoTorch's `optimize_acqf`, here with a Latin hypercube, uniform points and local perturbations of
 * the best observations as raw candidates).
 *
 * @module
 */
import type { Rng } from "../../core/rng.js";
import type { AcquisitionFunction } from "./acquisition.js";
import { latinHypercube, uniformPoints } from "./design.js";
import { Lbfgs } from "../../runtime/optim/index.js";

/**
 * Budgets of {@link AcquisitionMaximizer.maximize}.
 *
 * @example
 * ```ts
 * const options: MaximizeOptions = { rawCandidates: 1000, restarts: 8, maxIterations: 100 };
 * ```
 */
export interface MaximizeOptions {
  /** Number of raw candidates scored without gradients (default max(500, min(3000, 200·d))). */
  readonly rawCandidates?: number;
  /** Number of the best raw candidates polished by L-BFGS (default 8). */
  readonly restarts?: number;
  /** L-BFGS iterations per restart (default 100). */
  readonly maxIterations?: number;
}

/**
 * The best point found and its acquisition value.
 *
 * @example
 * ```ts
 * const { x, value } = maximizer.maximize(rng, acquisition, incumbents, 3);
 * ```
 */
export interface MaximizeResult {
  /** The maximiser (normalised coordinates, a fresh array). */
  readonly x: Float64Array;
  /** The acquisition value there. */
  readonly value: number;
}

/** Local perturbation scales around the best observations (fractions of the box edge). */
const LOCAL_SCALES = [0.1, 0.02, 0.004];
/** Perturbed copies per scale and incumbent. */
const LOCAL_COPIES = 4;

/**
 * Multi-start acquisition maximiser for one dimension, reusing its buffers across steps.
 *
 * @example
 * ```ts
 * const maximizer = new AcquisitionMaximizer(2);
 * const best = maximizer.maximize(rng, acquisition, gp.inputs.subarray(0, 2), 1);
 * ```
 */
export class AcquisitionMaximizer {
  /** Dimension d of the unit cube searched. */
  readonly dimension: number;
  private readonly options: Required<MaximizeOptions>;
  private readonly lbfgs: Lbfgs;
  private readonly lower: Float64Array;
  private readonly upper: Float64Array;
  private candidates: Float64Array;
  private scores: Float64Array;
  private readonly start: Float64Array;

  /**
   * @example
   * ```ts
   * const maximizer = new AcquisitionMaximizer(6, { restarts: 12 });
   * ```
   */
  constructor(dimension: number, options: MaximizeOptions = {}) {
    this.dimension = dimension;
    this.options = {
      rawCandidates: options.rawCandidates ?? Math.max(500, Math.min(3000, 200 * dimension)),
      restarts: options.restarts ?? 8,
      maxIterations: options.maxIterations ?? 100,
    };
    this.lbfgs = new Lbfgs(dimension);
    this.lower = new Float64Array(dimension);
    this.upper = new Float64Array(dimension).fill(1);
    this.candidates = new Float64Array(0);
    this.scores = new Float64Array(0);
    this.start = new Float64Array(dimension);
  }

  /**
   * Maximises `acquisition` over [0, 1]^d. `incumbents` holds `numIncumbents` normalised points
   * (row-major) around which local candidates are drawn — the best observations so far.
   *
   * @example
   * ```ts
   * const { x, value } = maximizer.maximize(rng, acquisition, bestPoints, 3);
   * ```
   */
  maximize(
    rng: Rng,
    acquisition: AcquisitionFunction,
    incumbents: Float64Array,
    numIncumbents: number,
  ): MaximizeResult {
    const d = this.dimension;
    const { rawCandidates, restarts, maxIterations } = this.options;
    const numLocal = numIncumbents * LOCAL_SCALES.length * LOCAL_COPIES;
    const total = rawCandidates + numLocal;
    if (this.candidates.length < total * d) {
      this.candidates = new Float64Array(total * d);
      this.scores = new Float64Array(total);
    }
    const { candidates, scores } = this;
    const numLhs = Math.ceil(rawCandidates / 2);
    latinHypercube(rng, numLhs, d, candidates);
    uniformPoints(rng, rawCandidates - numLhs, d, candidates, numLhs);
    let row = rawCandidates;
    for (let c = 0; c < numIncumbents; c++) {
      for (const scale of LOCAL_SCALES) {
        for (let r = 0; r < LOCAL_COPIES; r++, row++) {
          for (let j = 0; j < d; j++) {
            const v = incumbents[c * d + j] + scale * rng.normal();
            candidates[row * d + j] = Math.min(1, Math.max(0, v));
          }
        }
      }
    }
    acquisition.evaluateBatch(candidates, total, scores);
    for (let i = 0; i < total; i++) if (Number.isNaN(scores[i])) scores[i] = Number.NEGATIVE_INFINITY;
    const ranked = topIndices(scores, total, restarts);
    let bestX: Float64Array = candidates.slice(ranked[0] * d, ranked[0] * d + d);
    let bestValue = scores[ranked[0]];
    const objective = (x: Float64Array, g: Float64Array): number => {
      const v = acquisition.evaluate(x, g);
      for (let j = 0; j < d; j++) g[j] = -g[j];
      return Number.isFinite(v) ? -v : Number.POSITIVE_INFINITY;
    };
    for (const index of ranked) {
      if (!Number.isFinite(scores[index])) continue;
      this.start.set(candidates.subarray(index * d, index * d + d));
      const result = this.lbfgs.minimize(objective, this.start, {
        lower: this.lower,
        upper: this.upper,
        maxIterations,
        gradientTolerance: 1e-9,
        valueTolerance: 1e-12,
      });
      if (-result.value > bestValue) {
        bestValue = -result.value;
        bestX = result.x;
      }
    }
    return { x: bestX, value: bestValue };
  }
}

/** Indices of the k largest scores, best first. */
function topIndices(scores: Float64Array, count: number, k: number): number[] {
  const chosen: number[] = [];
  for (let i = 0; i < count; i++) {
    if (chosen.length < k || scores[i] > scores[chosen[chosen.length - 1]]) {
      let p = Math.min(chosen.length, k - 1);
      if (chosen.length < k) chosen.push(i);
      while (p > 0 && scores[chosen[p - 1]] < scores[i]) {
        chosen[p] = chosen[p - 1];
        p--;
      }
      chosen[p] = i;
    }
  }
  return chosen;
}
