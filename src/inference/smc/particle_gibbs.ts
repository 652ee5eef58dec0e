import { DomainError, describeValue, ShapeError } from "../../core/errors.js";
import type { Rng } from "../../core/rng.js";
import { checkInteger, checkTrajectory } from "./checks.js";
import { ConditionalSmc } from "./csmc.js";
import type { Proposal, StateSpaceModel } from "./types.js";

/**
 * A move of the static parameters θ that leaves p(θ | x_{0:T−1}, y) invariant: a conjugate Gibbs
 * draw, a Metropolis–Hastings step, a slice-sampling step… It receives the current trajectory
 * (T × d) and parameters, must not mutate them, and returns the new parameters (`parameters`
 * itself to stay put).
 *
 * @example
 * ```ts
 * // y_t = x_t + μ + noise(sd r), μ ~ N(0, s²): the conjugate draw of μ given x.
 * const moveMu: ParameterMove = (rng, x, theta) => {
 *   let s = 0; for (let t = 0; t < T; t++) s += y[t] - x[t];
 *   const precision = 1 / s ** 2 + T / r ** 2;
 *   return new Float64Array([s / r ** 2 / precision + rng.normal() / Math.sqrt(precision)]);
 * };
 * ```
 */
export type ParameterMove = (rng: Rng, trajectory: Float64Array, parameters: Float64Array) => Float64Array;

/**
 * Build-time choices of the particle Gibbs kernel.
 *
 * @example
 * ```ts
 * const choices: ParticleGibbsChoices = { model: (theta) => ar1(theta[0]), numParticles: 20, parameterMove };
 * ```
 */
export interface ParticleGibbsChoices {
  /** The state-space model at parameters θ (called once per step; sizes must not depend on θ). */
  readonly model: (parameters: Float64Array) => StateSpaceModel;
  /** Particles per conditional-SMC sweep, including the reference (≥ 2). */
  readonly numParticles: number;
  /** Ancestor sampling (default true); false gives the original particle Gibbs sampler. */
  readonly ancestorSampling?: boolean;
  /** A guided or auxiliary proposal at parameters θ (bootstrap when absent). */
  readonly proposal?: (parameters: Float64Array) => Proposal;
  /** The parameter update after each sweep; θ stays fixed when absent. */
  readonly parameterMove?: ParameterMove;
}

/**
 * The particle Gibbs state: the reference trajectory and the static parameters.
 *
 * @example
 * ```ts
 * const state: ParticleGibbsState = kernel.init(rng, new Float64Array([0.9]));
 * ```
 */
export interface ParticleGibbsState {
  /** x_{0:T−1}, T × d, time-major. */
  readonly trajectory: Float64Array;
  /** θ. */
  readonly parameters: Float64Array;
}

/**
 * Diagnostics of one particle Gibbs step.
 *
 * @example
 * ```ts
 * if (info.updateRate < 0.1) console.warn("the trajectory hardly moves: raise numParticles");
 * ```
 */
export interface ParticleGibbsInfo {
  /** Fraction of times whose state came from a particle other than the reference. */
  readonly updateRate: number;
  /** Mean Kish ESS of the sweep's weights. */
  readonly meanEss: number;
  /** The sweep's conditional evidence estimate (diagnostic only; not unbiased). */
  readonly logEvidence: number;
}

/**
 * The particle Gibbs kernel: `init` draws a first trajectory with an unconditional filter (or
 * takes one), each `step` runs a conditional-SMC sweep and then the parameter move.
 *
 * @example
 * ```ts
 * const kernel = buildKernel({ model: makeModel, numParticles: 20 });
 * let state = kernel.init(rng, theta0);
 * for (let s = 0; s < 1000; s++) state = kernel.step(rng, state).state;
 * ```
 */
export interface ParticleGibbsKernel {
  /** The starting state at `parameters` (copied), with `trajectory` (copied) or one drawn by a particle filter. */
  init(rng: Rng, parameters: Float64Array, trajectory?: Float64Array): ParticleGibbsState;
  /** One sweep and parameter move; never mutates `state`. */
  step(rng: Rng, state: ParticleGibbsState): { readonly state: ParticleGibbsState; readonly info: ParticleGibbsInfo };
}

/**
 * Builds a particle Gibbs kernel with ancestor sampling (PGAS; Lindsten, Jordan & Schön 2014) for
 * p(x_{0:T−1}, θ | y): conditional SMC updates the latent trajectory given θ, the user's move
 * updates θ given the trajectory. With ancestor sampling a small N (10–50) mixes well even for
 * long series; without it N must grow with T. The conditional-SMC buffers are allocated at the
 * first `init`/`step` and reused.
 *
 * @throws DomainError for invalid choices, and at `step` for a parameter move that returns
 *   anything but a finite Float64Array of the same length.
 * @example
 * ```ts
 * const kernel = buildKernel({ model: (theta) => ar1Model(theta[0]), numParticles: 20, parameterMove: gibbsPhi });
 * const { state, info } = kernel.step(rng, kernel.init(rng, new Float64Array([0.5])));
 * ```
 */
export function buildKernel(choices: ParticleGibbsChoices): ParticleGibbsKernel {
  const where = "particleGibbs";
  if (typeof choices.model !== "function") {
    throw new DomainError({
      where,
      what: "choices.model must be a function of the parameters returning a StateSpaceModel",
      got: describeValue(choices.model),
      expected: "(parameters: Float64Array) => StateSpaceModel",
    });
  }
  checkInteger(where, "numParticles", choices.numParticles, 2);
  let csmc: ConditionalSmc | undefined;
  const sweeper = (model: StateSpaceModel): ConditionalSmc => {
    if (csmc === undefined) {
      csmc = new ConditionalSmc(where, model, {
        numParticles: choices.numParticles,
        ancestorSampling: choices.ancestorSampling ?? true,
      });
    }
    return csmc;
  };
  const checkParameters = (parameters: Float64Array, expectedLength: number, what: string) => {
    if (!(parameters instanceof Float64Array) || parameters.length !== expectedLength) {
      throw new ShapeError({
        where,
        what,
        got: parameters instanceof Float64Array ? `length ${parameters.length}` : describeValue(parameters),
        expected: `a Float64Array of length ${expectedLength}`,
      });
    }
    for (let i = 0; i < parameters.length; i++) {
      if (!Number.isFinite(parameters[i])) {
        throw new DomainError({
          where,
          what: `${what}: parameter ${i} is not finite`,
          got: describeValue(parameters[i]),
          expected: "a finite number",
        });
      }
    }
  };
  return {
    init(rng: Rng, parameters: Float64Array, trajectory?: Float64Array): ParticleGibbsState {
      checkParameters(parameters, parameters.length, "the initial parameters");
      const model = choices.model(parameters);
      const sweep = sweeper(model);
      const out = new Float64Array(sweep.numTimeSteps * sweep.stateDimension);
      if (trajectory) {
        checkTrajectory(where, trajectory, sweep.numTimeSteps, sweep.stateDimension);
        out.set(trajectory);
      } else {
        sweep.run(rng, model, choices.proposal?.(parameters), undefined, out);
      }
      return { trajectory: out, parameters: Float64Array.from(parameters) };
    },
    step(rng: Rng, state: ParticleGibbsState) {
      const model = choices.model(state.parameters);
      const sweep = sweeper(model);
      const trajectory = new Float64Array(sweep.numTimeSteps * sweep.stateDimension);
      const summary = sweep.run(rng, model, choices.proposal?.(state.parameters), state.trajectory, trajectory);
      let parameters = state.parameters;
      if (choices.parameterMove) {
        parameters = choices.parameterMove(rng, trajectory, state.parameters);
        checkParameters(parameters, state.parameters.length, "the parameter move's result");
      }
      return {
        state: { trajectory, parameters },
        info: { updateRate: summary.updateRate, meanEss: summary.meanEss, logEvidence: summary.logEvidence },
      };
    },
  };
}
