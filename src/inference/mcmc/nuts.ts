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
import { createNutsTrajectory, type TrajectoryBuilder, type TrajectoryOutcome } from "./trajectory.js";
import type { HmcKernel, HmcParams, HmcState, HmcStateBuffer, NutsInfo, Transition } from "./types.js";

/**
 * Build-time choices of the NUTS kernel.
 *
 * @example
 * ```ts
 * const choices: NutsChoices = { maxTreeDepth: 12, metric: "dense" };
 * ```
 */
export interface NutsChoices {
  /** Integration scheme (default {@link velocityVerlet}). */
  readonly integrator?: Integrator;
  /** Maximum number of trajectory doublings, i.e. at most 2^maxTreeDepth − 1 steps (default 10). */
  readonly maxTreeDepth?: number;
  /** Metric family of `params.inverseMassMatrix` (default `diag`). */
  readonly metric?: MetricKind;
  /** Energy error H − H₀ above which a trajectory is divergent (default 1000, as in Stan). */
  readonly divergenceThreshold?: number;
}

/**
 * The largest accepted `maxTreeDepth`: 2^30 integrator steps per transition is already absurd.
 *
 * @example
 * ```ts
 * buildKernel(model, { maxTreeDepth: MAX_TREE_DEPTH_LIMIT }); // allowed, but rarely sensible
 * ```
 */
export const MAX_TREE_DEPTH_LIMIT = 30;

/**
 * The No-U-Turn Sampler with multinomial trajectory sampling, Stan's variant (see
 * {@link createNutsTrajectory}). The kernel is bound to one model; all scratch memory is
 * allocated here, and a transition allocates only the new state's two arrays.
 *
 * @example
 * ```ts
 * const kernel = buildKernel(model, { metric: "diag", maxTreeDepth: 10 });
 * let state = kernel.init(theta0);
 * const { state: next, info } = kernel.step(rng, state, { stepSize: 0.25, inverseMassMatrix: ones });
 * info.treeDepth; // e.g. 3
 * ```
 */
export function buildKernel(model: DensityModel, choices: NutsChoices = {}): HmcKernel<NutsInfo> {
  return new NutsKernel(model, choices);
}

// A class so that `init`/`step` are shared prototype methods: each chain builds its own kernel,
// and shared methods keep V8's optimised code valid from chain to chain.
class NutsKernel implements HmcKernel<NutsInfo> {
  readonly integrator: Integrator;
  readonly metric: MetricKind;
  private readonly metricFor: (inverseMassMatrix: Float64Array | undefined) => Metric;
  private readonly trajectory: TrajectoryBuilder;
  // Reused by stepInto (documented as overwritten by the next transition): no allocation per step.
  private readonly info: { -readonly [K in keyof NutsInfo]: NutsInfo[K] } = {
    acceptStat: 0,
    treeDepth: 0,
    numSteps: 0,
    isDivergent: false,
    energy: 0,
  };

  constructor(
    readonly model: DensityModel,
    choices: NutsChoices,
  ) {
    this.integrator = choices.integrator ?? velocityVerlet;
    this.metric = choices.metric ?? "diag";
    const maxTreeDepth = choices.maxTreeDepth ?? 10;
    const divergenceThreshold = choices.divergenceThreshold ?? 1000;
    checkInteger("nuts", "maxTreeDepth", maxTreeDepth, 1, MAX_TREE_DEPTH_LIMIT);
    checkDivergenceThreshold("nuts", divergenceThreshold);
    this.metricFor = createMetricCache(this.metric, model.dimension);
    this.trajectory = createNutsTrajectory(model, this.integrator, maxTreeDepth, divergenceThreshold);
  }

  init(position: Float64Array): HmcState {
    return initHmcState(this.model, position, "nuts");
  }

  step(rng: Rng, state: HmcState, params: HmcParams): Transition<NutsInfo> {
    const out = this.run(rng, state, params);
    return { state: nextState(state, out), info: { ...this.fillInfo(out) } };
  }

  stepInto(rng: Rng, state: HmcState, params: HmcParams, to: HmcStateBuffer): NutsInfo {
    const out = this.run(rng, state, params);
    writeNextState(state, out, to);
    return this.fillInfo(out);
  }

  private run(rng: Rng, state: HmcState, params: HmcParams): TrajectoryOutcome {
    checkStepSize("nuts", params.stepSize);
    checkStateDimension("nuts", state, this.model.dimension);
    return this.trajectory.run(rng, state, this.metricFor(params.inverseMassMatrix), params.stepSize);
  }

  private fillInfo(out: TrajectoryOutcome): NutsInfo {
    const info = this.info;
    info.acceptStat = out.acceptStat;
    info.treeDepth = out.treeDepth;
    info.numSteps = out.numSteps;
    info.isDivergent = out.isDivergent;
    info.energy = out.energy;
    return info;
  }
}
