import type { Rng } from "../../core/rng.js";
import type { DensityModel } from "../model/density_model.js";
import type { Integrator } from "./integrators.js";
import { checkStateDimension, checkStepSize, initHmcState, nextState, writeNextState } from "./kernel_support.js";
import { createMetricCache, type Metric, type MetricKind } from "./metrics.js";
import type { TrajectoryBuilder, TrajectoryOutcome } from "./trajectory.js";
import type { HmcKernel, HmcParams, HmcState, HmcStateBuffer, Transition, TransitionInfo } from "./types.js";

/**
 * The part every trajectory-based kernel shares: check the tunables, run the trajectory builder
 * under the metric the inverse mass matrix defines, and hand back the chosen state (a fresh one
 * from {@link HmcKernel.step}, in place with {@link HmcKernel.stepInto}). Subclasses only say
 * how a trajectory's outcome reads as their transition info.
 *
 * A class so that `step`/`stepInto` are shared prototype methods: each chain builds its own
 * kernel, and shared methods keep V8's optimised code valid from chain to chain.
 *
 * @example
 * ```ts
 * // nuts.ts: the NUTS kernel adds the tree depth to the shared fields
 * class NutsKernel extends TrajectoryKernel<NutsInfo> {
 *   protected fillInfo(out: TrajectoryOutcome, info: { -readonly [K in keyof NutsInfo]: NutsInfo[K] }): void {
 *     info.treeDepth = out.treeDepth; // … and acceptStat, numSteps, isDivergent, energy
 *   }
 * }
 * ```
 */
export abstract class TrajectoryKernel<Info extends TransitionInfo> implements HmcKernel<Info> {
  private readonly metricFor: (inverseMassMatrix: Float64Array | undefined) => Metric;

  protected constructor(
    readonly model: DensityModel,
    readonly integrator: Integrator,
    readonly metric: MetricKind,
    private readonly trajectory: TrajectoryBuilder,
    /** Name used in error messages (`nuts`, `hmc`). */
    private readonly where: string,
    /** Reused by stepInto (documented as overwritten by the next transition): no allocation per step. */
    private readonly info: Info,
  ) {
    this.metricFor = createMetricCache(metric, model.dimension);
  }

  init(position: Float64Array): HmcState {
    return initHmcState(this.model, position, this.where);
  }

  step(rng: Rng, state: HmcState, params: HmcParams): Transition<Info> {
    const out = this.run(rng, state, params);
    return { state: nextState(state, out), info: { ...this.report(out) } };
  }

  stepInto(rng: Rng, state: HmcState, params: HmcParams, to: HmcStateBuffer): Info {
    const out = this.run(rng, state, params);
    writeNextState(state, out, to);
    return this.report(out);
  }

  /** Writes the outcome's fields into the kernel's reused info object. */
  protected abstract fillInfo(out: TrajectoryOutcome, info: { -readonly [K in keyof Info]: Info[K] }): void;

  private report(out: TrajectoryOutcome): Info {
    this.fillInfo(out, this.info);
    return this.info;
  }

  private run(rng: Rng, state: HmcState, params: HmcParams): TrajectoryOutcome {
    checkStepSize(this.where, params.stepSize);
    checkStateDimension(this.where, state, this.model.dimension);
    return this.trajectory.run(rng, state, this.metricFor(params.inverseMassMatrix), params.stepSize);
  }
}
