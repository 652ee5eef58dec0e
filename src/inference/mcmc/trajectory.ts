import type { Rng } from "../../core/rng.js";
import type { DensityModel } from "../model/density_model.js";
import {
  copyPhasePoint,
  createIntegratorStepper,
  createPhasePoint,
  type Integrator,
  type IntegratorStepper,
  type PhasePoint,
} from "./integrators.js";
import type { Metric } from "./metrics.js";
import type { HmcState } from "./types.js";

/**
 * Where a trajectory builder reports one transition: the chosen point (position, gradient, log
 * density, energy) plus its diagnostics. `position` and `gradient` are views of builder-owned
 * buffers that the next transition overwrites; kernels copy what they keep.
 *
 * @example
 * ```ts
 * const out = trajectory.run(rng, state, metric, 0.1);
 * if (out.moved) keep(out.position);
 * ```
 */
export interface TrajectoryOutcome {
  /** Whether the chosen point differs from the starting state. */
  moved: boolean;
  /** Chosen position (valid when `moved`). */
  readonly position: Float64Array;
  /** Gradient at the chosen position (valid when `moved`). */
  readonly gradient: Float64Array;
  /** Log density at the chosen position. */
  logDensity: number;
  /** Hamiltonian at the chosen point. */
  energy: number;
  /** Acceptance statistic of the transition. */
  acceptStat: number;
  /** Integrator steps taken. */
  numSteps: number;
  /** NUTS tree depth (0 for static trajectories). */
  treeDepth: number;
  /** Whether a divergence ended (or was found in) the trajectory. */
  isDivergent: boolean;
}

/**
 * A trajectory builder: runs one transition's worth of integration from `state` and selects a
 * point. All buffers are preallocated when the builder is created.
 *
 * @example
 * ```ts
 * const trajectory = createNutsTrajectory(model, velocityVerlet, 10, 1000);
 * ```
 */
export interface TrajectoryBuilder {
  run(rng: Rng, state: HmcState, metric: Metric, stepSize: number): TrajectoryOutcome;
}

function createOutcome(position: Float64Array, gradient: Float64Array): TrajectoryOutcome {
  return {
    moved: false,
    position,
    gradient,
    logDensity: 0,
    energy: 0,
    acceptStat: 0,
    numSteps: 0,
    treeDepth: 0,
    isDivergent: false,
  };
}

/** A candidate sample inside a trajectory: what must survive if it is finally chosen. */
class Proposal {
  readonly position: Float64Array;
  readonly gradient: Float64Array;
  logDensity = 0;
  energy = 0;
  constructor(d: number) {
    this.position = new Float64Array(d);
    this.gradient = new Float64Array(d);
  }
}

function copyProposal(from: Proposal, to: Proposal): void {
  to.position.set(from.position);
  to.gradient.set(from.gradient);
  to.logDensity = from.logDensity;
  to.energy = from.energy;
}

function logAddExp(a: number, b: number): number {
  if (a === Number.NEGATIVE_INFINITY) return b;
  if (b === Number.NEGATIVE_INFINITY) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

function dot(a: Float64Array, b: Float64Array, d: number): number {
  let s = 0;
  for (let i = 0; i < d; i++) s += a[i] * b[i];
  return s;
}

/**
 * The generalised no-U-turn criterion (Betancourt 2017) for a span with summed momentum
 * ρ = x + y and end velocities p♯₋, p♯₊: the span keeps extending while both p♯₋·ρ > 0 and
 * p♯₊·ρ > 0. Taking ρ as a sum of two buffers lets the cross-subtree checks run without a
 * temporary vector.
 */
function noUTurn(pSharpMinus: Float64Array, pSharpPlus: Float64Array, x: Float64Array, y: Float64Array, d: number) {
  let minus = 0;
  let plus = 0;
  for (let i = 0; i < d; i++) {
    const r = x[i] + y[i];
    minus += pSharpMinus[i] * r;
    plus += pSharpPlus[i] * r;
  }
  return minus > 0 && plus > 0;
}

// The builders are classes rather than closures: every chain builds its own kernel, and methods
// shared on a prototype keep V8's type feedback and optimised code valid from chain to chain.

class StaticTrajectory implements TrajectoryBuilder {
  private readonly stepper: IntegratorStepper;
  private readonly z: PhasePoint;
  private readonly velocity: Float64Array;
  private readonly out: TrajectoryOutcome;

  constructor(
    model: DensityModel,
    integrator: Integrator,
    private readonly numSteps: number,
    private readonly divergenceThreshold: number,
  ) {
    this.stepper = createIntegratorStepper(integrator, model);
    this.z = createPhasePoint(model.dimension);
    this.velocity = new Float64Array(model.dimension);
    this.out = createOutcome(this.z.position, this.z.gradient);
  }

  run(rng: Rng, state: HmcState, metric: Metric, stepSize: number): TrajectoryOutcome {
    const { z, velocity, out } = this;
    const d = z.position.length;
    z.position.set(state.position);
    z.gradient.set(state.gradient);
    z.logDensity = state.logDensity;
    metric.sampleMomentum(rng, z.momentum);
    const h0 = -state.logDensity + metric.kineticEnergy(z.momentum);
    let h = h0;
    let steps = 0;
    let divergent = false;
    while (steps < this.numSteps) {
      this.stepper.step(z, metric, stepSize);
      steps++;
      metric.velocity(z.momentum, velocity);
      h = -z.logDensity + 0.5 * dot(z.momentum, velocity, d);
      if (Number.isNaN(h)) h = Number.POSITIVE_INFINITY;
      if (h - h0 > this.divergenceThreshold) {
        divergent = true;
        break;
      }
    }
    const logRatio = h0 - h;
    const acceptProb = divergent ? 0 : logRatio >= 0 ? 1 : Math.exp(logRatio);
    const accepted = acceptProb > 0 && rng.uniform() < acceptProb;
    out.moved = accepted;
    out.logDensity = accepted ? z.logDensity : state.logDensity;
    out.energy = accepted ? h : h0;
    out.acceptStat = acceptProb;
    out.numSteps = steps;
    out.treeDepth = 0;
    out.isDivergent = divergent;
    return out;
  }
}

/**
 * Fixed-length integration with a Metropolis correction (static HMC, Neal 2011): `numSteps`
 * integrator steps from a fresh momentum, then accept the end point with probability
 * min(1, exp(H₀ − H₁)). The trajectory stops early once the energy error passes
 * `divergenceThreshold` (the end point could only be rejected).
 *
 * @example
 * ```ts
 * const trajectory = createStaticTrajectory(model, velocityVerlet, 20, 1000);
 * ```
 */
export function createStaticTrajectory(
  model: DensityModel,
  integrator: Integrator,
  numSteps: number,
  divergenceThreshold: number,
): TrajectoryBuilder {
  return new StaticTrajectory(model, integrator, numSteps, divergenceThreshold);
}

/** Buffers at the seam between the initial and final halves of a subtree at one recursion level. */
class Level {
  readonly pInitEnd: Float64Array;
  readonly pSharpInitEnd: Float64Array;
  readonly pFinalBeg: Float64Array;
  readonly pSharpFinalBeg: Float64Array;
  readonly rhoInit: Float64Array;
  readonly rhoFinal: Float64Array;
  readonly proposeFinal: Proposal;
  constructor(d: number) {
    this.pInitEnd = new Float64Array(d);
    this.pSharpInitEnd = new Float64Array(d);
    this.pFinalBeg = new Float64Array(d);
    this.pSharpFinalBeg = new Float64Array(d);
    this.rhoInit = new Float64Array(d);
    this.rhoFinal = new Float64Array(d);
    this.proposeFinal = new Proposal(d);
  }
}

class NutsTrajectory implements TrajectoryBuilder {
  private readonly d: number;
  private readonly stepper: IntegratorStepper;
  private readonly out: TrajectoryOutcome;
  // The moving point and the two ends of the whole trajectory.
  private readonly z: PhasePoint;
  private readonly zFwd: PhasePoint;
  private readonly zBck: PhasePoint;
  private readonly sample: Proposal;
  private readonly propose: Proposal;
  // Momenta and velocities (p♯ = M⁻¹p) at the four ends of the backward and forward parts of
  // the trajectory, and their summed momenta.
  private readonly pFwdFwd: Float64Array;
  private readonly pSharpFwdFwd: Float64Array;
  private readonly pFwdBck: Float64Array;
  private readonly pSharpFwdBck: Float64Array;
  private readonly pBckFwd: Float64Array;
  private readonly pSharpBckFwd: Float64Array;
  private readonly pBckBck: Float64Array;
  private readonly pSharpBckBck: Float64Array;
  private readonly rho: Float64Array;
  private readonly rhoFwd: Float64Array;
  private readonly rhoBck: Float64Array;
  // Per recursion level k ≥ 1 (index 0 unused).
  private readonly levels: Level[];
  // Transition-wide values shared by the recursion.
  private rng!: Rng;
  private metric!: Metric;
  private signedStepSize = 0;
  private h0 = 0;
  private numSteps = 0;
  private sumMetropolisProb = 0;
  private divergent = false;
  // log Σ exp(H₀ − H) of the subtree most recently completed by buildTree.
  private subtreeLogWeight = 0;

  constructor(
    model: DensityModel,
    integrator: Integrator,
    private readonly maxTreeDepth: number,
    private readonly divergenceThreshold: number,
  ) {
    const d = model.dimension;
    this.d = d;
    this.stepper = createIntegratorStepper(integrator, model);
    this.z = createPhasePoint(d);
    this.zFwd = createPhasePoint(d);
    this.zBck = createPhasePoint(d);
    this.sample = new Proposal(d);
    this.propose = new Proposal(d);
    this.out = createOutcome(this.sample.position, this.sample.gradient);
    this.pFwdFwd = new Float64Array(d);
    this.pSharpFwdFwd = new Float64Array(d);
    this.pFwdBck = new Float64Array(d);
    this.pSharpFwdBck = new Float64Array(d);
    this.pBckFwd = new Float64Array(d);
    this.pSharpBckFwd = new Float64Array(d);
    this.pBckBck = new Float64Array(d);
    this.pSharpBckBck = new Float64Array(d);
    this.rho = new Float64Array(d);
    this.rhoFwd = new Float64Array(d);
    this.rhoBck = new Float64Array(d);
    this.levels = Array.from({ length: Math.max(maxTreeDepth, 1) }, () => new Level(d));
  }

  // Builds a subtree of 2^depth steps continuing from z in the current direction. Writes the
  // chosen point to `proposal`, the velocities/momenta at its first and last points, and its
  // summed momentum to `rhoOut`. Returns false when the subtree diverged or U-turned.
  private buildTree(
    depth: number,
    proposal: Proposal,
    pSharpBeg: Float64Array,
    pSharpEnd: Float64Array,
    rhoOut: Float64Array,
    pBeg: Float64Array,
    pEnd: Float64Array,
  ): boolean {
    const d = this.d;
    const metric = this.metric;
    if (depth === 0) {
      const z = this.z;
      this.stepper.step(z, metric, this.signedStepSize);
      this.numSteps++;
      const p = z.momentum;
      metric.velocity(p, pSharpBeg);
      let h = -z.logDensity + 0.5 * dot(p, pSharpBeg, d);
      if (Number.isNaN(h)) h = Number.POSITIVE_INFINITY;
      if (h - this.h0 > this.divergenceThreshold) this.divergent = true;
      const logWeight = this.h0 - h;
      this.subtreeLogWeight = logWeight;
      this.sumMetropolisProb += logWeight > 0 ? 1 : Math.exp(logWeight);
      proposal.position.set(z.position);
      proposal.gradient.set(z.gradient);
      proposal.logDensity = z.logDensity;
      proposal.energy = h;
      pSharpEnd.set(pSharpBeg);
      rhoOut.set(p);
      pBeg.set(p);
      pEnd.set(p);
      return !this.divergent;
    }
    const level = this.levels[depth];
    if (!this.buildTree(depth - 1, proposal, pSharpBeg, level.pSharpInitEnd, level.rhoInit, pBeg, level.pInitEnd)) {
      return false;
    }
    const logWeightInit = this.subtreeLogWeight;
    if (
      !this.buildTree(
        depth - 1,
        level.proposeFinal,
        level.pSharpFinalBeg,
        pSharpEnd,
        level.rhoFinal,
        level.pFinalBeg,
        pEnd,
      )
    ) {
      return false;
    }
    const logWeightFinal = this.subtreeLogWeight;
    const logWeight = logAddExp(logWeightInit, logWeightFinal);
    this.subtreeLogWeight = logWeight;
    // Uniform progressive sampling: the final half wins with probability W_final / W_subtree.
    if (logWeightFinal > logWeight || this.rng.uniform() < Math.exp(logWeightFinal - logWeight)) {
      copyProposal(level.proposeFinal, proposal);
    }
    const rhoInit = level.rhoInit;
    const rhoFinal = level.rhoFinal;
    for (let i = 0; i < d; i++) rhoOut[i] = rhoInit[i] + rhoFinal[i];
    return (
      noUTurn(pSharpBeg, pSharpEnd, rhoInit, rhoFinal, d) &&
      noUTurn(pSharpBeg, level.pSharpFinalBeg, rhoInit, level.pFinalBeg, d) &&
      noUTurn(level.pSharpInitEnd, pSharpEnd, rhoFinal, level.pInitEnd, d)
    );
  }

  run(rng: Rng, state: HmcState, metric: Metric, stepSize: number): TrajectoryOutcome {
    const { d, z, zFwd, zBck, sample, propose, rho, rhoFwd, rhoBck } = this;
    const { pFwdFwd, pSharpFwdFwd, pFwdBck, pSharpFwdBck, pBckFwd, pSharpBckFwd, pBckBck, pSharpBckBck } = this;
    this.rng = rng;
    this.metric = metric;
    z.position.set(state.position);
    z.gradient.set(state.gradient);
    z.logDensity = state.logDensity;
    metric.sampleMomentum(rng, z.momentum);
    metric.velocity(z.momentum, pSharpFwdFwd);
    this.h0 = -state.logDensity + 0.5 * dot(z.momentum, pSharpFwdFwd, d);
    copyPhasePoint(z, zFwd);
    copyPhasePoint(z, zBck);
    const p0 = z.momentum;
    pFwdFwd.set(p0);
    pFwdBck.set(p0);
    pBckFwd.set(p0);
    pBckBck.set(p0);
    pSharpFwdBck.set(pSharpFwdFwd);
    pSharpBckFwd.set(pSharpFwdFwd);
    pSharpBckBck.set(pSharpFwdFwd);
    rho.set(p0);

    let moved = false;
    sample.logDensity = state.logDensity;
    sample.energy = this.h0;
    let logSumWeight = 0; // log exp(H₀ − H₀): the initial point's weight
    this.numSteps = 0;
    this.sumMetropolisProb = 0;
    this.divergent = false;
    let depth = 0;

    while (depth < this.maxTreeDepth) {
      let valid: boolean;
      if (rng.uniform() > 0.5) {
        // Extend forward: the old trajectory becomes the backward part, ending at its old front.
        copyPhasePoint(zFwd, z);
        rhoBck.set(rho);
        pBckFwd.set(pFwdFwd);
        pSharpBckFwd.set(pSharpFwdFwd);
        this.signedStepSize = stepSize;
        valid = this.buildTree(depth, propose, pSharpFwdBck, pSharpFwdFwd, rhoFwd, pFwdBck, pFwdFwd);
        copyPhasePoint(z, zFwd);
      } else {
        // Extend backward (integrating with −ε): the old trajectory becomes the forward part.
        copyPhasePoint(zBck, z);
        rhoFwd.set(rho);
        pFwdBck.set(pBckBck);
        pSharpFwdBck.set(pSharpBckBck);
        this.signedStepSize = -stepSize;
        valid = this.buildTree(depth, propose, pSharpBckFwd, pSharpBckBck, rhoBck, pBckFwd, pBckBck);
        copyPhasePoint(z, zBck);
      }
      if (!valid) break;
      depth++;
      // Biased progressive sampling: move to the new subtree with probability min(1, W_new/W_old).
      const logWeightNew = this.subtreeLogWeight;
      if (logWeightNew > logSumWeight || rng.uniform() < Math.exp(logWeightNew - logSumWeight)) {
        copyProposal(propose, sample);
        moved = true;
      }
      logSumWeight = logAddExp(logSumWeight, logWeightNew);
      for (let i = 0; i < d; i++) rho[i] = rhoBck[i] + rhoFwd[i];
      const persist =
        noUTurn(pSharpBckBck, pSharpFwdFwd, rhoBck, rhoFwd, d) &&
        noUTurn(pSharpBckBck, pSharpFwdBck, rhoBck, pFwdBck, d) &&
        noUTurn(pSharpBckFwd, pSharpFwdFwd, rhoFwd, pBckFwd, d);
      if (!persist) break;
    }

    const out = this.out;
    out.moved = moved;
    out.logDensity = sample.logDensity;
    out.energy = sample.energy;
    out.acceptStat = this.numSteps > 0 ? this.sumMetropolisProb / this.numSteps : 0;
    out.numSteps = this.numSteps;
    out.treeDepth = depth;
    out.isDivergent = this.divergent;
    return out;
  }
}

/**
 * The NUTS trajectory as Stan builds it (Hoffman & Gelman 2014; Betancourt 2017): the
 * trajectory doubles in a random direction until the generalised no-U-turn criterion fails,
 * a subtree diverges (energy error > `divergenceThreshold`) or `maxTreeDepth` doublings are
 * done. A point is chosen by multinomial sampling: uniform progressive sampling inside each new
 * subtree, biased progressive sampling (accept the new subtree with probability
 * min(1, W_new/W_old)) when it is merged with the old trajectory, which favours points far from
 * the start. The criterion is also checked across every merge boundary (the old span plus the
 * first point of the new one, and vice versa), which catches U-turns that fall between two
 * subtrees. At the top level the old trajectory's far end is used for those checks.
 *
 * Buffers for every level of the recursion are allocated here, so a transition allocates nothing.
 *
 * @example
 * ```ts
 * const trajectory = createNutsTrajectory(model, velocityVerlet, 10, 1000);
 * const out = trajectory.run(rng, state, metric, 0.2);
 * ```
 */
export function createNutsTrajectory(
  model: DensityModel,
  integrator: Integrator,
  maxTreeDepth: number,
  divergenceThreshold: number,
): TrajectoryBuilder {
  return new NutsTrajectory(model, integrator, maxTreeDepth, divergenceThreshold);
}
