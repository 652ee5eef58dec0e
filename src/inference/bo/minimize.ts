/**
 * The one-call driver: `minimize(f, bounds, options)` runs the BO kernel for a budget of
 * evaluations from a seed and returns the best point, its value and the history.
 *
 * @module
 */
import { DomainError, describeValue } from "../../core/errors.js";
import { createRng } from "../../runtime/rng/seeded_rng.js";
import type { Bounds } from "./bounds.js";
import type { GpPosterior } from "./gp.js";
import { type BoChoices, type BoInfo, type BoState, buildKernel } from "./kernel.js";

/**
 * Options of {@link minimize}: the kernel's {@link BoChoices} plus the run's seed, budget and
 * initial design.
 *
 * @example
 * ```ts
 * const options: MinimizeOptions = { seed: 3, budget: 40, initialDesign: 6, acquisition: "log_ei" };
 * ```
 */
export interface MinimizeOptions extends BoChoices {
  /** Seed of the run's random stream (default 0); equal seeds give identical runs. */
  readonly seed?: number | string;
  /** Total number of objective evaluations, initial design included (default 10·(d + 1)). */
  readonly budget?: number;
  /** Latin-hypercube size (default min(2(d + 1), budget)) or explicit starting points. */
  readonly initialDesign?: number | readonly ArrayLike<number>[];
  /** Called after every step with its diagnostics and the new state. */
  readonly onStep?: (info: BoInfo, state: BoState) => void;
}

/**
 * The outcome of {@link minimize}.
 *
 * @example
 * ```ts
 * const { x, value, history } = minimize(f, bounds, { seed: 1 });
 * history.bestValues.at(-1) === value; // true
 * ```
 */
export interface MinimizeResult {
  /** The best point evaluated. */
  readonly x: Float64Array;
  /** f at that point. */
  readonly value: number;
  /** Number of evaluations made. */
  readonly numEvaluations: number;
  /** Every evaluation in order, with the running minimum. */
  readonly history: {
    readonly points: readonly Float64Array[];
    readonly values: readonly number[];
    readonly bestValues: readonly number[];
  };
  /** Diagnostics of each step after the initial design. */
  readonly steps: readonly BoInfo[];
  /** The GP fitted to every evaluation. */
  readonly surrogate: GpPosterior;
  /** The final state (continue with `buildKernel(choices).step`). */
  readonly state: BoState;
}

/**
 * Minimises a black-box function on a box by GP-based Bayesian optimisation.
 *
 * @throws DomainError for invalid bounds, budget or choices; DataError when f returns a
 *   non-finite value.
 * @example
 * ```ts
 * const branin = (x: Float64Array) =>
 *   (x[1] - (5.1 / (4 * Math.PI ** 2)) * x[0] ** 2 + (5 / Math.PI) * x[0] - 6) ** 2 +
 *   10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x[0]) + 10;
 * const result = minimize(branin, [[-5, 10], [0, 15]], { seed: 1, budget: 40 });
 * result.value; // ≈ 0.3979
 * ```
 */
export function minimize(
  f: (x: Float64Array) => number,
  bounds: Bounds,
  options: MinimizeOptions = {},
): MinimizeResult {
  const d = Array.isArray(bounds) ? bounds.length : 0;
  const budget = options.budget ?? 10 * (d + 1);
  if (!Number.isInteger(budget) || budget < 1) {
    throw new DomainError({
      where: "minimize()",
      what: "budget must be a positive integer",
      got: describeValue(budget),
    });
  }
  const design = options.initialDesign ?? Math.min(2 * (d + 1), budget);
  const designSize = typeof design === "number" ? design : design.length;
  if (designSize > budget) {
    throw new DomainError({
      where: "minimize()",
      what: "the initial design is larger than the budget",
      got: `${designSize} initial points`,
      expected: `at most budget = ${budget}`,
    });
  }
  if (typeof f !== "function") {
    throw new DomainError({ where: "minimize()", what: "f must be a function", got: describeValue(f) });
  }
  const kernel = buildKernel(options);
  const rng = createRng(options.seed ?? 0);
  let state = kernel.init({ f, bounds, initialDesign: design }, rng);
  const steps: BoInfo[] = [];
  while (state.numObservations < budget) {
    const next = kernel.step(rng, state);
    state = next.state;
    steps.push(next.info);
    options.onStep?.(next.info, state);
  }
  const points: Float64Array[] = [];
  const values: number[] = [];
  const bestValues: number[] = [];
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < state.numObservations; i++) {
    points.push(state.points.slice(i * state.dimension, (i + 1) * state.dimension));
    values.push(state.values[i]);
    best = Math.min(best, state.values[i]);
    bestValues.push(best);
  }
  const b = state.bestIndex;
  return {
    x: state.points.slice(b * state.dimension, (b + 1) * state.dimension),
    value: state.values[b],
    numEvaluations: state.numObservations,
    history: { points, values, bestValues },
    steps,
    surrogate: state.surrogate,
    state,
  };
}
