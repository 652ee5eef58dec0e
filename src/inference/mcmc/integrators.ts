import type { DensityModel } from "../model/density_model.js";
import type { Metric } from "./metrics.js";

/**
 * A symmetric splitting integrator for Hamiltonian dynamics, given as data: the palindromic
 * list of substep weights `[b₁, a₁, b₂, a₂, …, b₁]`. Even entries are momentum kicks
 * `p += bₖ·ε·∇log p(q)`, odd entries are position drifts `q += aₖ·ε·M⁻¹p`. Each drift costs one
 * gradient evaluation; the final kick's gradient is carried to the next step, so a step of a
 * scheme with `k` drifts costs `k` gradients.
 *
 * @example
 * ```ts
 * const leapfrog: Integrator = { name: "velocity_verlet", coefficients: [0.5, 1, 0.5] };
 * ```
 */
export interface Integrator {
  /** Name used in output metadata, e.g. `velocity_verlet`. */
  readonly name: string;
  /** Palindromic weights alternating kick, drift, kick, …; kicks and drifts each sum to 1. */
  readonly coefficients: readonly number[];
}

/**
 * The leapfrog (Störmer–Verlet) scheme Stan uses: half kick, full drift, half kick. Second
 * order, one gradient per step, stable for ε·ω < 2 on a harmonic oscillator of frequency ω.
 *
 * @example
 * ```ts
 * velocityVerlet.coefficients; // [0.5, 1, 0.5]
 * ```
 */
export const velocityVerlet: Integrator = Object.freeze({
  name: "velocity_verlet",
  coefficients: Object.freeze([0.5, 1, 0.5]),
});

// McLachlan (1995) two-stage scheme with the weight that minimises the leading error term of the
// shadow Hamiltonian for Gaussian targets (Blanes, Casas & Sanz-Serna 2014: b = 0.1932…).
const MCLACHLAN_B = 0.1931833275037836;

/**
 * McLachlan's minimum-error two-stage palindromic scheme: second order like leapfrog but with
 * a much smaller energy error per gradient on near-Gaussian targets. Two gradients per step, so
 * compare at equal cost (step size about twice leapfrog's).
 *
 * @example
 * ```ts
 * buildKernel(model, { integrator: mcLachlan });
 * ```
 */
export const mcLachlan: Integrator = Object.freeze({
  name: "mclachlan",
  coefficients: Object.freeze([MCLACHLAN_B, 0.5, 1 - 2 * MCLACHLAN_B, 0.5, MCLACHLAN_B]),
});

/**
 * A point in phase space with the cached log density and gradient at its position. Buffers are
 * owned by whoever allocated them; integrators update them in place.
 *
 * @example
 * ```ts
 * const z = createPhasePoint(3);
 * ```
 */
export interface PhasePoint {
  /** Position q (unconstrained parameters). */
  readonly position: Float64Array;
  /** Momentum p. */
  readonly momentum: Float64Array;
  /** ∇ log p(q). */
  readonly gradient: Float64Array;
  /** log p(q). */
  logDensity: number;
}

/**
 * Allocates a phase point of the given dimension (all zeros, log density 0).
 *
 * @example
 * ```ts
 * const z = createPhasePoint(2); // z.position.length === 2
 * ```
 */
export function createPhasePoint(dimension: number): PhasePoint {
  return {
    position: new Float64Array(dimension),
    momentum: new Float64Array(dimension),
    gradient: new Float64Array(dimension),
    logDensity: 0,
  };
}

/**
 * Copies every field of `from` into `to` (same dimension).
 *
 * @example
 * ```ts
 * copyPhasePoint(a, b); // b now equals a
 * ```
 */
export function copyPhasePoint(from: PhasePoint, to: PhasePoint): void {
  to.position.set(from.position);
  to.momentum.set(from.momentum);
  to.gradient.set(from.gradient);
  to.logDensity = from.logDensity;
}

/**
 * Applies one integrator step `z ← Φ_ε(z)` in place. `stepSize` may be negative (integration
 * backward in time, as NUTS does when it extends a trajectory to the left).
 *
 * @example
 * ```ts
 * const stepper: IntegratorStepper = createIntegratorStepper(velocityVerlet, model);
 * stepper.step(z, metric, -0.1); // one step backward in time
 * ```
 */
export interface IntegratorStepper {
  step(z: PhasePoint, metric: Metric, stepSize: number): void;
}

// A class rather than a closure: every kernel builds its own stepper, and methods shared on a
// prototype keep V8's type feedback (and optimised code) valid from one chain to the next.
class SplittingStepper implements IntegratorStepper {
  private readonly coefficients: Float64Array;
  private readonly velocity: Float64Array;

  constructor(
    integrator: Integrator,
    private readonly model: DensityModel,
  ) {
    this.coefficients = Float64Array.from(integrator.coefficients);
    if (this.coefficients.length % 2 !== 1) {
      throw new RangeError(`${integrator.name}: coefficient list must have odd length (kick, drift, …, kick)`);
    }
    this.velocity = new Float64Array(model.dimension);
  }

  step(z: PhasePoint, metric: Metric, stepSize: number): void {
    const coefficients = this.coefficients;
    const velocity = this.velocity;
    const q = z.position;
    const p = z.momentum;
    const g = z.gradient;
    const d = q.length;
    for (let k = 0; k < coefficients.length; k++) {
      const h = coefficients[k] * stepSize;
      if ((k & 1) === 0) {
        for (let i = 0; i < d; i++) p[i] += h * g[i];
      } else {
        metric.velocity(p, velocity);
        for (let i = 0; i < d; i++) q[i] += h * velocity[i];
        z.logDensity = this.model.logDensityAndGrad(q, g);
      }
    }
  }
}

/**
 * Builds the in-place stepper of a scheme for one model. Its velocity scratch buffer is private,
 * so a step allocates nothing.
 *
 * @example
 * ```ts
 * const stepper = createIntegratorStepper(velocityVerlet, model);
 * stepper.step(z, metric, 0.1); // one leapfrog step of size 0.1
 * ```
 */
export function createIntegratorStepper(integrator: Integrator, model: DensityModel): IntegratorStepper {
  return new SplittingStepper(integrator, model);
}
