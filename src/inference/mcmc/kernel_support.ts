import { DomainError, describeValue, ShapeError } from "../../core/errors.js";
import type { DensityModel } from "../model/density_model.js";
import type { TrajectoryOutcome } from "./trajectory.js";
import type { HmcState, HmcStateBuffer } from "./types.js";

/**
 * Evaluates the model at `position` and returns the Hamiltonian state there (the position is
 * copied). Throws when the position has the wrong length or the log density or its gradient is
 * not finite, since no Hamiltonian transition can start from such a point.
 *
 * @example
 * ```ts
 * const state = initHmcState(model, new Float64Array([0.1, -0.3]));
 * ```
 */
export function initHmcState(model: DensityModel, position: Float64Array, where = "hmc"): HmcState {
  if (position.length !== model.dimension) {
    throw new ShapeError({
      where,
      what: "initial position has the wrong length",
      got: String(position.length),
      expected: `${model.dimension} (the model's unconstrained dimension)`,
    });
  }
  const copy = new Float64Array(position);
  const gradient = new Float64Array(model.dimension);
  const logDensity = model.logDensityAndGrad(copy, gradient);
  if (!Number.isFinite(logDensity) || !allFinite(gradient)) {
    throw new DomainError({
      where,
      what: Number.isFinite(logDensity)
        ? "the gradient of the log density is not finite at the initial position"
        : "the log density is not finite at the initial position",
      got: `${logDensity} at ${describeValue(copy)}`,
      expected: "a point where the log density and its gradient are finite",
      hint: "start inside the support (unconstrained values of moderate size).",
    });
  }
  return { position: copy, logDensity, gradient };
}

/**
 * Whether every entry of `x` is finite.
 *
 * @example
 * ```ts
 * allFinite(new Float64Array([1, Number.NaN])); // false
 * ```
 */
export function allFinite(x: Float64Array): boolean {
  for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i])) return false;
  return true;
}

/**
 * Throws a {@link DomainError} unless `value` is an integer in [min, max].
 *
 * @example
 * ```ts
 * checkInteger("nuts", "numChains", 0, 1); // throws "nuts: numChains must be an integer ≥ 1 — got 0, …"
 * ```
 */
export function checkInteger(where: string, name: string, value: number, min: number, max = Infinity): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new DomainError({
      where,
      what: `${name} must be an integer${max === Infinity ? ` ≥ ${min}` : ` in [${min}, ${max}]`}`,
      got: describeValue(value),
      expected: max === Infinity ? `an integer ≥ ${min}` : `an integer in [${min}, ${max}]`,
    });
  }
}

/**
 * Throws a {@link DomainError} unless `stepSize` is positive and finite.
 *
 * @example
 * ```ts
 * checkStepSize("nuts", 0.1); // fine
 * ```
 */
export function checkStepSize(where: string, stepSize: number): void {
  if (!(stepSize > 0) || !Number.isFinite(stepSize)) {
    throw new DomainError({
      where,
      what: "stepSize must be positive and finite",
      got: describeValue(stepSize),
      expected: "a value in (0, ∞)",
    });
  }
}

/**
 * Throws a {@link DomainError} unless `threshold` (the energy error that marks a divergence) is positive.
 *
 * @example
 * ```ts
 * checkDivergenceThreshold("nuts", 1000); // fine
 * ```
 */
export function checkDivergenceThreshold(where: string, threshold: number): void {
  if (!(threshold > 0)) {
    throw new DomainError({
      where,
      what: "divergenceThreshold must be positive",
      got: describeValue(threshold),
      expected: "a value in (0, ∞]",
    });
  }
}

/**
 * Writes the state a trajectory chose into `out` (which may be the starting state itself):
 * nothing to copy when the chain stayed put.
 *
 * @example
 * ```ts
 * writeNextState(state, trajectory.run(rng, state, metric, stepSize), buffer);
 * ```
 */
export function writeNextState(state: HmcState, out: TrajectoryOutcome, to: HmcStateBuffer): void {
  if (!out.moved) {
    if (to === state) return;
    to.position.set(state.position);
    to.gradient.set(state.gradient);
    to.logDensity = state.logDensity;
    return;
  }
  to.position.set(out.position);
  to.gradient.set(out.gradient);
  to.logDensity = out.logDensity;
}

/**
 * The new state of a transition: a fresh copy of the chosen point, or `state` itself when the
 * chain stayed (states are immutable, so sharing is safe).
 *
 * @example
 * ```ts
 * const next = nextState(state, trajectory.run(rng, state, metric, stepSize));
 * ```
 */
export function nextState(state: HmcState, out: TrajectoryOutcome): HmcState {
  if (!out.moved) return state;
  return { position: out.position.slice(), logDensity: out.logDensity, gradient: out.gradient.slice() };
}

/**
 * Throws a {@link ShapeError} unless the state's position has the model's dimension.
 *
 * @example
 * ```ts
 * checkStateDimension("nuts", state, model.dimension);
 * ```
 */
export function checkStateDimension(where: string, state: HmcState, dimension: number): void {
  if (state.position.length !== dimension) {
    throw new ShapeError({
      where,
      what: "state has the wrong dimension",
      got: String(state.position.length),
      expected: String(dimension),
    });
  }
}
