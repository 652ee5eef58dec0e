import { DomainError, describeValue, ShapeError } from "../../core/errors.js";
import type { StateSpaceModel } from "./types.js";

/**
 * Checks that a value is an integer ≥ `min`.
 *
 * @throws DomainError naming `name`.
 * @example
 * ```ts
 * checkInteger("particleFilter", "numParticles", 1000, 1);
 * ```
 */
export function checkInteger(where: string, name: string, value: number, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new DomainError({
      where,
      what: `${name} must be an integer ≥ ${min}`,
      got: describeValue(value),
      expected: `an integer ≥ ${min}`,
    });
  }
}

/**
 * Checks that a value lies in the closed interval [lo, hi].
 *
 * @throws DomainError naming `name`.
 * @example
 * ```ts
 * checkInterval("particleFilter", "resampleThreshold", 0.5, 0, 1);
 * ```
 */
export function checkInterval(where: string, name: string, value: number, lo: number, hi: number): void {
  if (!(value >= lo && value <= hi)) {
    throw new DomainError({
      where,
      what: `${name} out of range`,
      got: describeValue(value),
      expected: `a number in [${lo}, ${hi}]`,
    });
  }
}

/**
 * Checks the sizes and functions of a state-space model.
 *
 * @throws DomainError for a non-integer or non-positive size or a missing function.
 * @example
 * ```ts
 * checkStateSpaceModel("particleFilter", model);
 * ```
 */
export function checkStateSpaceModel(where: string, model: StateSpaceModel): void {
  checkInteger(where, "stateDimension", model.stateDimension, 1);
  checkInteger(where, "numTimeSteps", model.numTimeSteps, 1);
  const parts: [string, unknown][] = [
    ["initial.sample", model.initial?.sample],
    ["initial.logDensity", model.initial?.logDensity],
    ["transition.sample", model.transition?.sample],
    ["transition.logDensity", model.transition?.logDensity],
    ["observation.logDensity", model.observation?.logDensity],
  ];
  for (const [name, fn] of parts) {
    if (typeof fn !== "function") {
      throw new DomainError({
        where,
        what: `the state-space model has no function '${name}'`,
        got: describeValue(fn),
        expected: "a function",
      });
    }
  }
}

/**
 * Checks that a flat trajectory holds T states of dimension d.
 *
 * @throws ShapeError otherwise.
 * @example
 * ```ts
 * checkTrajectory("particleGibbs", trajectory, 100, 1);
 * ```
 */
export function checkTrajectory(where: string, trajectory: Float64Array, numTimeSteps: number, dim: number): void {
  if (trajectory.length !== numTimeSteps * dim) {
    throw new ShapeError({
      where,
      what: "the trajectory does not hold numTimeSteps × stateDimension values",
      got: `length ${trajectory.length}`,
      expected: `${numTimeSteps} × ${dim} = ${numTimeSteps * dim}`,
    });
  }
}
