import { ShapeError } from "../../core/errors.js";
import type { Rng } from "../../core/rng.js";
import { checkInteger, checkStateSpaceModel, checkTrajectory } from "./checks.js";
import { FilterEngine } from "./engine.js";
import type { Proposal, StateSpaceModel } from "./types.js";
import { sampleLogCategorical } from "./weights.js";

/**
 * Choices of conditional SMC.
 *
 * @example
 * ```ts
 * const choices: ConditionalSmcChoices = { numParticles: 50 };
 * ```
 */
export interface ConditionalSmcChoices {
  /** Number of particles N including the reference (≥ 2). */
  readonly numParticles: number;
  /**
   * Redraw the reference's ancestor at each step (Lindsten, Jordan & Schön 2014; default true).
   * Without it the kernel is the particle Gibbs of Andrieu, Doucet & Holenstein (2010), whose
   * early states barely move unless N grows with T.
   */
  readonly ancestorSampling?: boolean;
  /** A guided or auxiliary proposal (bootstrap when absent). */
  readonly proposal?: Proposal;
}

/**
 * Summary of one conditional-SMC sweep.
 *
 * @example
 * ```ts
 * const { updateRate } = sweep.run(rng, model, undefined, reference, out);
 * ```
 */
export interface ConditionalSmcSweep {
  /** Fraction of times whose new state comes from a particle other than the reference (0 without a reference: 1). */
  readonly updateRate: number;
  /** Mean Kish ESS of the weights over the T times. */
  readonly meanEss: number;
  /** The sweep's evidence estimate (conditional on the reference, so not unbiased; a diagnostic only). */
  readonly logEvidence: number;
}

/**
 * Reusable conditional SMC (Andrieu, Doucet & Holenstein 2010) with ancestor sampling (Lindsten,
 * Jordan & Schön 2014). Particle 0 is pinned to the reference trajectory; the other N − 1 are
 * resampled multinomially at every step, and the reference's ancestor is redrawn with
 * probability ∝ W_{t−1}ʲ f_t(x′_t | x_{t−1}ʲ). The output trajectory is traced back from a final
 * particle drawn with the final weights; the map reference → output leaves p(x_{0:T−1} | y)
 * invariant. Every buffer (two generations, the T × N × d history, the T × N ancestors) is
 * allocated once, so repeated sweeps allocate nothing.
 *
 * Conditional resampling uses the multinomial scheme for the N − 1 free particles: that is the
 * case the invariance proofs cover directly. The conditional versions of the low-variance schemes
 * (Chopin & Singh 2015) would lower the variance further; sprig does not offer them yet.
 *
 * @example
 * ```ts
 * const csmc = new ConditionalSmc("particleGibbs", model, { numParticles: 50 });
 * const next = new Float64Array(model.numTimeSteps * model.stateDimension);
 * csmc.run(rng, model, undefined, reference, next);
 * ```
 */
export class ConditionalSmc {
  readonly numParticles: number;
  readonly stateDimension: number;
  readonly numTimeSteps: number;
  private readonly engine: FilterEngine;
  private readonly particleHistory: Float64Array;
  private readonly ancestorHistory: Int32Array;

  constructor(
    readonly where: string,
    model: StateSpaceModel,
    choices: ConditionalSmcChoices,
  ) {
    checkStateSpaceModel(where, model);
    checkInteger(where, "numParticles", choices.numParticles, 2);
    this.numParticles = choices.numParticles;
    this.stateDimension = model.stateDimension;
    this.numTimeSteps = model.numTimeSteps;
    this.engine = new FilterEngine(where, model, choices.proposal, choices.numParticles, {
      kind: "conditional",
      ancestorSampling: choices.ancestorSampling ?? true,
    });
    const n = choices.numParticles;
    this.particleHistory = new Float64Array(model.numTimeSteps * n * model.stateDimension);
    this.ancestorHistory = new Int32Array(model.numTimeSteps * n);
  }

  /**
   * One sweep for `model` (which may differ from the constructor's in its parameters, not its
   * sizes): conditional on `reference` when given, else an ordinary filter with multinomial
   * resampling at every step (to draw a first trajectory). Writes the new trajectory into `out`
   * (T × d, an array other than `reference`).
   *
   * @throws ShapeError when the model's sizes differ from the constructor's or an array is mis-sized.
   */
  run(
    rng: Rng,
    model: StateSpaceModel,
    proposal: Proposal | undefined,
    reference: Float64Array | undefined,
    out: Float64Array,
  ): ConditionalSmcSweep {
    const { engine, numParticles: n, stateDimension: d, numTimeSteps: T } = this;
    if (model !== engine.model) {
      checkStateSpaceModel(this.where, model);
      if (model.stateDimension !== d || model.numTimeSteps !== T) {
        throw new ShapeError({
          where: this.where,
          what: "the model's sizes changed between sweeps",
          got: `stateDimension ${model.stateDimension}, numTimeSteps ${model.numTimeSteps}`,
          expected: `stateDimension ${d}, numTimeSteps ${T}`,
        });
      }
    }
    if (reference) checkTrajectory(this.where, reference, T, d);
    checkTrajectory(this.where, out, T, d);
    if (reference === out) {
      throw new ShapeError({
        where: this.where,
        what: "the output array must not be the reference array",
        hint: "pass a fresh array for the new trajectory.",
      });
    }
    engine.model = model;
    engine.proposal = proposal;
    let essSum = 0;
    for (let t = 0; t < T; t++) {
      if (t === 0) engine.start(rng, reference);
      else engine.advance(rng, reference);
      essSum += engine.ess;
      this.particleHistory.set(engine.cur.data, t * n * d);
      if (t > 0) this.ancestorHistory.set(engine.ancestors, t * n);
    }
    let index = sampleLogCategorical(rng, engine.logWeights, n);
    let fresh = 0;
    for (let t = T - 1; t >= 0; t--) {
      if (index !== 0) fresh++;
      const base = (t * n + index) * d;
      for (let k = 0; k < d; k++) out[t * d + k] = this.particleHistory[base + k];
      if (t > 0) index = this.ancestorHistory[t * n + index];
    }
    return {
      updateRate: reference ? fresh / T : 1,
      meanEss: essSum / T,
      logEvidence: engine.logEvidence,
    };
  }
}

/**
 * One conditional-SMC sweep with ancestor sampling from `reference` (a flat T × d trajectory):
 * returns a new trajectory whose law, when `reference` ~ p(x_{0:T−1} | y), is again
 * p(x_{0:T−1} | y). Allocates its buffers per call; for repeated sweeps use the particle Gibbs
 * kernel (or {@link ConditionalSmc}) instead.
 *
 * @example
 * ```ts
 * let x = conditionalSmc(rng, model, undefined, { numParticles: 100 }).trajectory; // unconditional start
 * for (let s = 0; s < 1000; s++) x = conditionalSmc(rng, model, x, { numParticles: 20 }).trajectory;
 * ```
 */
export function conditionalSmc(
  rng: Rng,
  model: StateSpaceModel,
  reference: Float64Array | undefined,
  choices: ConditionalSmcChoices,
): ConditionalSmcSweep & { readonly trajectory: Float64Array } {
  const csmc = new ConditionalSmc("conditionalSmc", model, choices);
  const trajectory = new Float64Array(model.numTimeSteps * model.stateDimension);
  const sweep = csmc.run(rng, model, choices.proposal, reference, trajectory);
  return { ...sweep, trajectory };
}
