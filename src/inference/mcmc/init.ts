import { CapabilityError, DomainError, describeValue, ShapeError } from "../../core/errors.js";
import type { Rng } from "../../core/rng.js";
import type { DensityModel } from "../model/density_model.js";
import { allFinite } from "./kernel_support.js";

/**
 * Throws a {@link CapabilityError} naming the first discrete latent when the model has any:
 * gradient-based samplers cannot move discrete variables.
 *
 * @example
 * ```ts
 * requireContinuous(model, "nuts"); // nuts: latent 'k' is discrete; NUTS needs gradients for every latent. Hint: …
 * ```
 */
export function requireContinuous(model: DensityModel, where: string): void {
  const discrete = model.discreteLatents;
  if (discrete.length === 0) return;
  const name = discrete[0];
  const others = discrete.length > 1 ? ` (and ${discrete.length - 1} more: ${discrete.slice(1).join(", ")})` : "";
  throw new CapabilityError({
    where,
    what: `latent '${name}'${others} is discrete; ${where.toUpperCase()} needs gradients for every latent`,
    hint: `marginalise '${name}' out of the model or use smc.`,
  });
}

/**
 * Draws initial positions uniformly from (−radius, radius) on the unconstrained scale (Stan's
 * default with radius 2) until the log density and its gradient are finite, trying at most
 * `maxAttempts` points.
 *
 * @throws DomainError naming the last value and point tried when every attempt fails.
 * @example
 * ```ts
 * const theta0 = findInitialPosition(rng, model, 2); // a point with finite log density
 * ```
 */
export function findInitialPosition(
  rng: Rng,
  model: DensityModel,
  radius = 2,
  maxAttempts = 100,
  where = "nuts",
): Float64Array {
  if (!(radius >= 0) || !Number.isFinite(radius)) {
    throw new DomainError({
      where,
      what: "initRadius must be finite and non-negative",
      got: describeValue(radius),
      expected: "a value in [0, ∞)",
    });
  }
  const d = model.dimension;
  const position = new Float64Array(d);
  const gradient = new Float64Array(d);
  let last = Number.NaN;
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    for (let i = 0; i < d; i++) position[i] = radius * (2 * rng.uniform() - 1);
    last = model.logDensityAndGrad(position, gradient);
    if (Number.isFinite(last) && allFinite(gradient)) return position;
  }
  const problem = Number.isFinite(last)
    ? `a non-finite gradient (log density ${last}; ${firstNonFinite(model, gradient)})`
    : `log density ${last}`;
  throw new DomainError({
    where,
    what: `no finite log density found in ${maxAttempts} attempts at uniform(${-radius}, ${radius}) initial points`,
    got: `${problem} at ${describeValue(position)} on the last attempt`,
    hint: "check the data and the supports of the priors, or pass initialPositions inside the support.",
  });
}

/** `∂/∂θ[3] = NaN (latent 'beta')`: the first non-finite gradient entry and the latent it belongs to. */
function firstNonFinite(model: DensityModel, gradient: Float64Array): string {
  const i = gradient.findIndex((g) => !Number.isFinite(g));
  const owner = model.layout.find((v) => i >= v.offset && i < v.offset + v.size);
  return `∂/∂θ[${i}] = ${gradient[i]}${owner === undefined ? "" : ` (latent '${owner.name}')`}`;
}

/**
 * Checks a user-supplied initial position (unconstrained scale) and returns a copy.
 *
 * @example
 * ```ts
 * const theta0 = checkInitialPosition(model, new Float64Array([0, 1]), "nuts");
 * ```
 */
export function checkInitialPosition(model: DensityModel, position: Float64Array, where: string): Float64Array {
  if (position.length !== model.dimension) {
    throw new ShapeError({
      where,
      what: "initial position has the wrong length",
      got: String(position.length),
      expected: `${model.dimension} (the unconstrained dimension)`,
    });
  }
  return new Float64Array(position);
}
