import { DomainError } from "../../core/errors.js";
import type { Rng } from "../../core/rng.js";
import { createIntegratorStepper, createPhasePoint, type Integrator, velocityVerlet } from "../mcmc/integrators.js";
import { buildMetric, type MetricKind } from "../mcmc/metrics.js";
import type { DensityModel } from "../model/density_model.js";
import type { HmcParams, HmcState } from "../mcmc/types.js";

const LOG_ACCEPT_TARGET = Math.log(0.8);
const MAX_STEP_SIZE = 1e7;

/**
 * Stan's initial step-size heuristic (after Hoffman & Gelman 2014, Alg. 4): from `state`, take
 * one integrator step with a fresh momentum and compare the energy change ΔH with log 0.8;
 * then keep doubling (if the step was accepted-looking) or halving (if not) the step size until
 * one step crosses that line. Gives dual averaging a starting point of the right order of
 * magnitude, and is rerun whenever a new metric is installed.
 *
 * @throws DomainError when the step size runs past 10⁷ (an improper posterior) or to 0 (a
 *   discontinuous or non-finite density near `state`).
 * @example
 * ```ts
 * const eps = findReasonableStepSize(rng, model, state, { stepSize: 1, inverseMassMatrix: ones }, "diag");
 * ```
 */
export function findReasonableStepSize(
  rng: Rng,
  model: DensityModel,
  state: HmcState,
  params: HmcParams,
  metricKind: MetricKind,
  integrator: Integrator = velocityVerlet,
): number {
  let stepSize = params.stepSize;
  if (!(stepSize > 0) || stepSize > MAX_STEP_SIZE) return stepSize;
  const metric = buildMetric(metricKind, model.dimension, params.inverseMassMatrix);
  const stepper = createIntegratorStepper(integrator, model);
  const z = createPhasePoint(model.dimension);
  // Energy change of one step of size `stepSize` from `state` with a fresh momentum.
  const trial = () => {
    z.position.set(state.position);
    z.gradient.set(state.gradient);
    z.logDensity = state.logDensity;
    metric.sampleMomentum(rng, z.momentum);
    const h0 = -z.logDensity + metric.kineticEnergy(z.momentum);
    stepper.step(z, metric, stepSize);
    const h = -z.logDensity + metric.kineticEnergy(z.momentum);
    return Number.isNaN(h) ? Number.NEGATIVE_INFINITY : h0 - h;
  };
  const direction = trial() > LOG_ACCEPT_TARGET ? 1 : -1;
  for (;;) {
    const deltaH = trial();
    if (direction === 1 ? !(deltaH > LOG_ACCEPT_TARGET) : !(deltaH < LOG_ACCEPT_TARGET)) break;
    stepSize = direction === 1 ? 2 * stepSize : 0.5 * stepSize;
    if (stepSize > MAX_STEP_SIZE) {
      throw new DomainError({
        where: "nuts",
        what: "the step-size search grew past 1e7: the posterior looks improper",
        got: `ε = ${stepSize}`,
        hint: "check that every latent has a proper prior (or that the data identify it).",
      });
    }
    if (stepSize === 0) {
      throw new DomainError({
        where: "nuts",
        what: "no acceptably small step size was found: the log density may be discontinuous or non-finite near the current point",
        got: "ε = 0",
        hint: "check the model for discontinuities, or supply other initial values.",
      });
    }
  }
  return stepSize;
}
