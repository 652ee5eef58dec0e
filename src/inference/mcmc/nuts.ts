import type { DensityModel } from "../model/density_model.js";
import { type Integrator, velocityVerlet } from "./integrators.js";
import { checkDivergenceThreshold, checkInteger } from "./kernel_support.js";
import type { MetricKind } from "./metrics.js";
import { createNutsTrajectory, type TrajectoryOutcome } from "./trajectory.js";
import { TrajectoryKernel } from "./trajectory_kernel.js";
import type { HmcKernel, NutsInfo } from "./types.js";

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

class NutsKernel extends TrajectoryKernel<NutsInfo> {
  constructor(model: DensityModel, choices: NutsChoices) {
    const integrator = choices.integrator ?? velocityVerlet;
    const maxTreeDepth = choices.maxTreeDepth ?? 10;
    const divergenceThreshold = choices.divergenceThreshold ?? 1000;
    checkInteger("nuts", "maxTreeDepth", maxTreeDepth, 1, MAX_TREE_DEPTH_LIMIT);
    checkDivergenceThreshold("nuts", divergenceThreshold);
    const trajectory = createNutsTrajectory(model, integrator, maxTreeDepth, divergenceThreshold);
    super(model, integrator, choices.metric ?? "diag", trajectory, "nuts", {
      acceptStat: 0,
      treeDepth: 0,
      numSteps: 0,
      isDivergent: false,
      energy: 0,
    });
  }

  protected fillInfo(out: TrajectoryOutcome, info: { -readonly [K in keyof NutsInfo]: NutsInfo[K] }): void {
    info.acceptStat = out.acceptStat;
    info.treeDepth = out.treeDepth;
    info.numSteps = out.numSteps;
    info.isDivergent = out.isDivergent;
    info.energy = out.energy;
  }
}
