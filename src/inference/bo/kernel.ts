/**
 * The Bayesian-optimisation backend in the shared shape: `buildKernel(choices)` returns
 * `{ init(objective, rng), step(rng, state) }`, and one step maximises the acquisition of the
 * state's surrogate, evaluates the objective there and refits the surrogate.
 *
 * State invariant: `state.surrogate` is the GP fitted to exactly `state`'s observations. So a
 * step runs "maximise acquisition → evaluate f → fit surrogate", which is the cycle "fit,
 * maximise, evaluate" entered one phase later; `init` evaluates the initial design and makes the
 * first fit. The final state therefore carries the surrogate of every observation, ready for
 * predictions.
 *
 * @module
 */
import { DataError, DomainError, describeValue } from "../../core/errors.js";
import type { Rng } from "../../core/rng.js";
import { ACQUISITION_KINDS, type AcquisitionKind, createAcquisition } from "./acquisition.js";
import { type Bounds, type Box, boxOf, flattenPoints } from "./bounds.js";
import { type CovarianceKernel, kernelCode } from "./covariance.js";
import { latinHypercube } from "./design.js";
import {
  fitNormalized,
  type GpPosterior,
  type HyperparameterBounds,
  type LengthScalePrior,
  normalizeData,
} from "./gp.js";
import { AcquisitionMaximizer } from "./maximize.js";

/**
 * Build-time choices of the BO kernel; every field has a default.
 *
 * @example
 * ```ts
 * const choices: BoChoices = { acquisition: "kg", kernel: "matern52", fitRestarts: 2 };
 * ```
 */
export interface BoChoices {
  /** Acquisition (default `'log_ei'`). */
  readonly acquisition?: AcquisitionKind;
  /** GP covariance (default `'matern52'`). */
  readonly kernel?: CovarianceKernel;
  /** UCB's β (default 4). */
  readonly beta?: number;
  /** PI's margin ξ in standardised units (default 0.01). */
  readonly xi?: number;
  /** Known observation-noise variance in the objective's units; default: fitted. */
  readonly noiseVariance?: number;
  /** Random hyper-parameter restarts per refit, besides the warm and neutral starts (default 2; the first fit uses 4 more). */
  readonly fitRestarts?: number;
  /** Where the hyper-parameter search may go. */
  readonly hyperparameterBounds?: Partial<HyperparameterBounds>;
  /**
   * Log-normal prior on the length-scales, making each refit a MAP estimate (default
   * {@link DEFAULT_LENGTH_SCALE_PRIOR}; `null` for plain maximum marginal likelihood).
   */
  readonly lengthScalePrior?: LengthScalePrior | null;
  /** Raw candidates scored per acquisition maximisation (default max(500, min(3000, 200·d))). */
  readonly rawCandidates?: number;
  /** L-BFGS restarts of the acquisition maximisation (default 8). */
  readonly acquisitionRestarts?: number;
}

/**
 * What is being minimised: a black-box function on a box, and the initial design.
 *
 * @example
 * ```ts
 * const objective: ObjectiveInfo = { f: (x) => (x[0] - 1) ** 2, bounds: [[-2, 2]], initialDesign: 4 };
 * ```
 */
export interface ObjectiveInfo {
  /** The function to minimise; receives a fresh array in the box's units; must return a finite number. */
  readonly f: (x: Float64Array) => number;
  /** The search box. */
  readonly bounds: Bounds;
  /**
   * The initial design: a number of Latin-hypercube points (default 2(d + 1)) or explicit points
   * inside the box.
   */
  readonly initialDesign?: number | readonly ArrayLike<number>[];
}

/**
 * The state of a BO run: observations and the surrogate fitted to them. Never mutated.
 *
 * @example
 * ```ts
 * const best = state.values[state.bestIndex];
 * ```
 */
export interface BoState {
  /** The objective being minimised. */
  readonly objective: ObjectiveInfo;
  /** The search box as arrays. */
  readonly box: Box;
  /** Input dimension d. */
  readonly dimension: number;
  /** Number of observations n. */
  readonly numObservations: number;
  /** Observed points, n × d row-major, in the box's units. */
  readonly points: Float64Array;
  /** Observed values, length n. */
  readonly values: Float64Array;
  /** Index of the smallest value. */
  readonly bestIndex: number;
  /** The GP fitted to these observations. */
  readonly surrogate: GpPosterior;
}

/**
 * Diagnostics of one BO step.
 *
 * @example
 * ```ts
 * if (info.isImprovement) console.log(info.value);
 * ```
 */
export interface BoInfo {
  /** The point evaluated (box units; a fresh array). */
  readonly point: Float64Array;
  /** f there. */
  readonly value: number;
  /** The maximised acquisition value (GP internal scale; log scale for log-EI and PI). */
  readonly acquisitionValue: number;
  /** Whether the value beats every earlier observation. */
  readonly isImprovement: boolean;
  /** log marginal likelihood of the refitted surrogate (standardised outputs). */
  readonly logMarginalLikelihood: number;
  /** Jitter the refitted surrogate's factorisation needed (0 when none). */
  readonly jitter: number;
}

/**
 * {@link BoChoices} with the defaults filled in (the three optional-by-nature fields stay optional).
 *
 * @example
 * ```ts
 * buildKernel({}).choices.acquisition; // "log_ei"
 * ```
 */
export type ResolvedBoChoices = BoChoices &
  Required<Pick<BoChoices, "acquisition" | "kernel" | "beta" | "xi" | "fitRestarts" | "acquisitionRestarts">>;

/**
 * A BO kernel: `init` evaluates the initial design, `step` adds one evaluation. Scratch buffers
 * are private to the kernel; states are immutable.
 *
 * @example
 * ```ts
 * const kernel = buildKernel({ acquisition: "log_ei" });
 * let state = kernel.init({ f, bounds: [[0, 1]] }, rng);
 * state = kernel.step(rng, state).state;
 * ```
 */
export interface BoKernel {
  /** The choices with defaults filled in. */
  readonly choices: ResolvedBoChoices;
  /** Evaluates the initial design and fits the first surrogate. */
  init(objective: ObjectiveInfo, rng: Rng): BoState;
  /** One step: maximise the acquisition, evaluate f, refit. */
  step(rng: Rng, state: BoState): { state: BoState; info: BoInfo };
}

/**
 * The default length-scale prior of the BO kernel: log ℓ ~ N(log 0.5, 1²) on the unit cube, i.e.
 * ℓ within [0.07, 3.7] with 95% prior probability. Why: with few observations in a local basin
 * that is flat along some inputs, maximum likelihood sends those length-scales to their bound,
 * the surrogate declares the inputs irrelevant, and EI stops exploring them (on Hartmann-6 this
 * trapped 3 of 10 seeds in the −3.20 local minimum; with the prior 1 of 10). Data outweigh the
 * prior quickly (Branin's fitted ℓ ≈ (0.9, 2.8) is unchanged).
 *
 * @example
 * ```ts
 * buildKernel({ lengthScalePrior: DEFAULT_LENGTH_SCALE_PRIOR }); // the same as buildKernel({})
 * ```
 */
export const DEFAULT_LENGTH_SCALE_PRIOR: LengthScalePrior = Object.freeze({ median: 0.5, logSd: 1 });

/** Extra random restarts of the first fit, where no warm start exists. */
const FIRST_FIT_EXTRA_RESTARTS = 4;
/** Incumbents around which the maximiser draws local candidates. */
const NUM_INCUMBENTS = 3;

/**
 * Builds the BO kernel.
 *
 * @throws DomainError for an unknown acquisition or kernel name, or invalid numeric choices.
 * @example
 * ```ts
 * const kernel = buildKernel({ acquisition: "kg", kernel: "matern32" });
 * const rng = createRng(1);
 * let state = kernel.init({ f: (x) => Math.sin(3 * x[0]) + x[0] ** 2, bounds: [[-1, 2]] }, rng);
 * for (let i = 0; i < 10; i++) state = kernel.step(rng, state).state;
 * state.values[state.bestIndex];
 * ```
 */
export function buildKernel(choices: BoChoices = {}): BoKernel {
  const filled: ResolvedBoChoices = {
    ...choices,
    acquisition: choices.acquisition ?? "log_ei",
    kernel: choices.kernel ?? "matern52",
    beta: choices.beta ?? 4,
    xi: choices.xi ?? 0.01,
    fitRestarts: choices.fitRestarts ?? 2,
    acquisitionRestarts: choices.acquisitionRestarts ?? 8,
    lengthScalePrior: choices.lengthScalePrior === undefined ? DEFAULT_LENGTH_SCALE_PRIOR : choices.lengthScalePrior,
  };
  checkCount("fitRestarts", filled.fitRestarts, 0);
  checkCount("acquisitionRestarts", filled.acquisitionRestarts, 1);
  if (filled.rawCandidates !== undefined) checkCount("rawCandidates", filled.rawCandidates, 1);
  return new BoKernelImpl(filled);
}

class BoKernelImpl implements BoKernel {
  private maximizer: AcquisitionMaximizer | undefined;

  constructor(readonly choices: ResolvedBoChoices) {
    // Fail at build time on a bad acquisition or kernel name, not at the first step.
    if (!ACQUISITION_KINDS.includes(choices.acquisition)) {
      throw new DomainError({
        where: "bo",
        what: "unknown acquisition",
        got: describeValue(choices.acquisition),
        expected: ACQUISITION_KINDS.map((k) => `'${k}'`).join(", "),
      });
    }
    kernelCode(choices.kernel);
    for (const name of ["beta", "xi"] as const) {
      if (!(choices[name] >= 0 && Number.isFinite(choices[name]))) {
        throw new DomainError({
          where: "bo",
          what: `${name} must be a finite number ≥ 0`,
          got: describeValue(choices[name]),
        });
      }
    }
  }

  init(objective: ObjectiveInfo, rng: Rng): BoState {
    const box = boxOf("bo.init()", objective.bounds);
    const d = box.lower.length;
    const design = objective.initialDesign ?? 2 * (d + 1);
    let points: Float64Array;
    if (typeof design === "number") {
      checkCount("initialDesign", design, 1);
      points = latinHypercube(rng, design, d);
      for (let i = 0; i < design; i++) {
        for (let j = 0; j < d; j++) {
          points[i * d + j] = box.lower[j] + (box.upper[j] - box.lower[j]) * points[i * d + j];
        }
      }
    } else {
      if (design.length < 1) {
        throw new DomainError({ where: "bo.init()", what: "the initial design is empty", got: "0 points" });
      }
      points = flattenPoints("bo.init()", design, d);
      checkInBox(points, box);
    }
    const n = points.length / d;
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) values[i] = evaluateObjective(objective, points.slice(i * d, i * d + d));
    const surrogate = this.fit(rng, points, values, box, undefined);
    return { objective, box, dimension: d, numObservations: n, points, values, bestIndex: argmin(values), surrogate };
  }

  step(rng: Rng, state: BoState): { state: BoState; info: BoInfo } {
    const d = state.dimension;
    const n = state.numObservations;
    const gp = state.surrogate;
    if (!this.maximizer || this.maximizer.dimension !== d) {
      this.maximizer = new AcquisitionMaximizer(d, {
        rawCandidates: this.choices.rawCandidates,
        restarts: this.choices.acquisitionRestarts,
      });
    }
    let incumbent = Number.POSITIVE_INFINITY;
    for (let i = 0; i < n; i++) incumbent = Math.min(incumbent, gp.outputs[i]);
    const acquisition = createAcquisition(gp, this.choices.acquisition, {
      incumbent,
      beta: this.choices.beta,
      xi: this.choices.xi,
    });
    const incumbents = bestRows(gp.inputs, state.values, n, d, NUM_INCUMBENTS);
    const { x, value: acquisitionValue } = this.maximizer.maximize(rng, acquisition, incumbents, incumbents.length / d);
    const point = gp.denormalize(x, new Float64Array(d));
    for (let j = 0; j < d; j++) point[j] = Math.min(state.box.upper[j], Math.max(state.box.lower[j], point[j]));
    const value = evaluateObjective(state.objective, point.slice());
    const points = new Float64Array((n + 1) * d);
    points.set(state.points);
    points.set(point, n * d);
    const values = new Float64Array(n + 1);
    values.set(state.values);
    values[n] = value;
    const isImprovement = value < state.values[state.bestIndex];
    const surrogate = this.fit(rng, points, values, state.box, gp);
    return {
      state: {
        objective: state.objective,
        box: state.box,
        dimension: d,
        numObservations: n + 1,
        points,
        values,
        bestIndex: isImprovement ? n : state.bestIndex,
        surrogate,
      },
      info: {
        point,
        value,
        acquisitionValue,
        isImprovement,
        logMarginalLikelihood: surrogate.logMarginalLikelihood,
        jitter: surrogate.jitter,
      },
    };
  }

  private fit(
    rng: Rng,
    points: Float64Array,
    values: Float64Array,
    box: Box,
    previous: GpPosterior | undefined,
  ): GpPosterior {
    const d = box.lower.length;
    const data = normalizeData(points, values, values.length, d, box, true);
    return fitNormalized(rng, data, {
      kernel: this.choices.kernel,
      noiseVariance: this.choices.noiseVariance,
      hyperparameterBounds: this.choices.hyperparameterBounds,
      lengthScalePrior: this.choices.lengthScalePrior ?? undefined,
      restarts: this.choices.fitRestarts + (previous ? 0 : FIRST_FIT_EXTRA_RESTARTS),
      initial: previous?.hyperparameters,
    });
  }
}

function evaluateObjective(objective: ObjectiveInfo, x: Float64Array): number {
  const value = objective.f(x);
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new DataError({
      where: "bo",
      what: "the objective returned a non-finite value",
      got: `${describeValue(value)} at x = ${describeValue(x)}`,
      expected: "a finite number",
      hint: "return a large finite penalty for infeasible points, or shrink the bounds.",
    });
  }
  return value;
}

function checkInBox(points: Float64Array, box: Box): void {
  const d = box.lower.length;
  for (let i = 0; i < points.length / d; i++) {
    for (let j = 0; j < d; j++) {
      const v = points[i * d + j];
      if (v < box.lower[j] || v > box.upper[j]) {
        throw new DomainError({
          where: "bo.init()",
          what: `initial point ${i} lies outside the bounds in coordinate ${j}`,
          got: String(v),
          expected: `within [${box.lower[j]}, ${box.upper[j]}]`,
        });
      }
    }
  }
}

function checkCount(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new DomainError({ where: "bo", what: `${name} must be an integer ≥ ${min}`, got: describeValue(value) });
  }
}

function argmin(values: Float64Array): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] < values[best]) best = i;
  return best;
}

/** The k rows with the smallest values, row-major. */
function bestRows(inputs: Float64Array, values: Float64Array, n: number, d: number, k: number): Float64Array {
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => values[i] - values[j]);
  const m = Math.min(k, n);
  const out = new Float64Array(m * d);
  for (let r = 0; r < m; r++) out.set(inputs.subarray(order[r] * d, order[r] * d + d), r * d);
  return out;
}
