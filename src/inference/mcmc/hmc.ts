import type { Rng } from "../../core/rng.js";
import type { DensityModel } from "../model/density_model.js";
import { type Integrator, velocityVerlet } from "./integrators.js";
import {
  checkDivergenceThreshold,
  checkInteger,
  checkStateDimension,
  checkStepSize,
  initHmcState,
  nextState,
  writeNextState,
} from "./kernel_support.js";
import { createMetricCache, type Metric, type MetricKind } from "./metrics.js";
import { createStaticTrajectory, type TrajectoryBuilder, type TrajectoryOutcome } from "./trajectory.js";
import type { HmcKernel, HmcParams, HmcState, HmcStateBuffer, StaticHmcInfo, Transition } from "./types.js";

/**
 * Build-time choices of the static HMC kernel.
 *
 * @example
 * ```ts
 * const choices: StaticHmcChoices = { numSteps: 16, metric: "unit" };
 * ```
 */
export interface StaticHmcChoices {
  /** Integrator steps per transition (default 10). */
  readonly numSteps?: number;
  /** Integration scheme (default {@link velocityVerlet}). */
  readonly integrator?: Integrator;
  /** Metric family of `params.inverseMassMatrix` (default `diag`). */
  readonly metric?: MetricKind;
  /** Energy error above which a trajectory counts as divergent (default 1000, as in Stan). */
  readonly divergenceThreshold?: number;
}

/**
 * Static Hamiltonian Monte Carlo: a fixed number of integrator steps per transition followed by
 * a Metropolis accept/reject of the end point (Neal 2011). Mostly a baseline for NUTS; its
 * efficiency depends on choosing `numSteps·stepSize` near a half-period of the target.
 *
 * @example
 * ```ts
 * const kernel = buildKernel(model, { numSteps: 20, metric: "unit" });
 * const { state, info } = kernel.step(rng, kernel.init(theta0), { stepSize: 0.1 });
 * ```
 */
export function buildKernel(model: DensityModel, choices: StaticHmcChoices = {}): HmcKernel<StaticHmcInfo> {
  return new StaticHmcKernel(model, choices);
}

// A class for the same reason as the NUTS kernel: shared prototype methods across chains.
class StaticHmcKernel implements HmcKernel<StaticHmcInfo> {
  readonly integrator: Integrator;
  readonly metric: MetricKind;
  private readonly metricFor: (inverseMassMatrix: Float64Array | undefined) => Metric;
  private readonly trajectory: TrajectoryBuilder;
  // Reused by stepInto (documented as overwritten by the next transition): no allocation per step.
  private readonly info: { -readonly [K in keyof StaticHmcInfo]: StaticHmcInfo[K] } = {
    acceptStat: 0,
    isAccepted: false,
    numSteps: 0,
    isDivergent: false,
    energy: 0,
  };

  constructor(
    readonly model: DensityModel,
    choices: StaticHmcChoices,
  ) {
    this.integrator = choices.integrator ?? velocityVerlet;
    this.metric = choices.metric ?? "diag";
    const numSteps = choices.numSteps ?? 10;
    const divergenceThreshold = choices.divergenceThreshold ?? 1000;
    checkInteger("hmc", "numSteps", numSteps, 1);
    checkDivergenceThreshold("hmc", divergenceThreshold);
    this.metricFor = createMetricCache(this.metric, model.dimension);
    this.trajectory = createStaticTrajectory(model, this.integrator, numSteps, divergenceThreshold);
  }

  init(position: Float64Array): HmcState {
    return initHmcState(this.model, position, "hmc");
  }

  step(rng: Rng, state: HmcState, params: HmcParams): Transition<StaticHmcInfo> {
    const out = this.run(rng, state, params);
    return { state: nextState(state, out), info: { ...this.fillInfo(out) } };
  }

  stepInto(rng: Rng, state: HmcState, params: HmcParams, to: HmcStateBuffer): StaticHmcInfo {
    const out = this.run(rng, state, params);
    writeNextState(state, out, to);
    return this.fillInfo(out);
  }

  private run(rng: Rng, state: HmcState, params: HmcParams): TrajectoryOutcome {
    checkStepSize("hmc", params.stepSize);
    checkStateDimension("hmc", state, this.model.dimension);
    return this.trajectory.run(rng, state, this.metricFor(params.inverseMassMatrix), params.stepSize);
  }

  private fillInfo(out: TrajectoryOutcome): StaticHmcInfo {
    const info = this.info;
    info.acceptStat = out.acceptStat;
    info.isAccepted = out.moved;
    info.numSteps = out.numSteps;
    info.isDivergent = out.isDivergent;
    info.energy = out.energy;
    return info;
  }
}
