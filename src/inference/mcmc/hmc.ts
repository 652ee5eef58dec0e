import type { DensityModel } from "../model/density_model.js";
import { type Integrator, velocityVerlet } from "./integrators.js";
import { checkDivergenceThreshold, checkInteger } from "./kernel_support.js";
import type { MetricKind } from "./metrics.js";
import { createStaticTrajectory, type TrajectoryOutcome } from "./trajectory.js";
import { TrajectoryKernel } from "./trajectory_kernel.js";
import type { HmcKernel, StaticHmcInfo } from "./types.js";

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

class StaticHmcKernel extends TrajectoryKernel<StaticHmcInfo> {
  constructor(model: DensityModel, choices: StaticHmcChoices) {
    const integrator = choices.integrator ?? velocityVerlet;
    const numSteps = choices.numSteps ?? 10;
    const divergenceThreshold = choices.divergenceThreshold ?? 1000;
    checkInteger("hmc", "numSteps", numSteps, 1);
    checkDivergenceThreshold("hmc", divergenceThreshold);
    const trajectory = createStaticTrajectory(model, integrator, numSteps, divergenceThreshold);
    super(model, integrator, choices.metric ?? "diag", trajectory, "hmc", {
      acceptStat: 0,
      isAccepted: false,
      numSteps: 0,
      isDivergent: false,
      energy: 0,
    });
  }

  protected fillInfo(out: TrajectoryOutcome, info: { -readonly [K in keyof StaticHmcInfo]: StaticHmcInfo[K] }): void {
    info.acceptStat = out.acceptStat;
    info.isAccepted = out.moved;
    info.numSteps = out.numSteps;
    info.isDivergent = out.isDivergent;
    info.energy = out.energy;
  }
}
