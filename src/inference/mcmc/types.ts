import type { Rng } from "../../core/rng.js";
import type { DensityModel } from "../model/density_model.js";
import type { Integrator } from "./integrators.js";
import type { MetricKind } from "./metrics.js";

/**
 * The state a Hamiltonian kernel carries between transitions: the position and the log
 * density and gradient cached there, so that a transition starts without re-evaluating the model.
 * Kernels never mutate a state they are given; a transition returns a fresh one (or the same
 * object when the chain did not move).
 *
 * @example
 * ```ts
 * const state: HmcState = kernel.init(new Float64Array([0, 0]));
 * ```
 */
export interface HmcState {
  /** Unconstrained position θ. */
  readonly position: Float64Array;
  /** log p(θ) including log|J|. */
  readonly logDensity: number;
  /** ∇θ log p(θ). */
  readonly gradient: Float64Array;
}

/**
 * Per-transition tunables: what adaptation changes. The kernel reads `inverseMassMatrix` as
 * immutable and caches its factorisation by array identity, so pass a new array to change it.
 *
 * @example
 * ```ts
 * const params: HmcParams = { stepSize: 0.3, inverseMassMatrix: new Float64Array([1, 1]) };
 * ```
 */
export interface HmcParams {
  /** Integrator step size ε > 0. */
  readonly stepSize: number;
  /** Diagonal (length d) or dense (d·d row-major) M⁻¹; ignored by the unit metric. */
  readonly inverseMassMatrix?: Float64Array;
}

/**
 * Diagnostics every Hamiltonian transition reports (not carried to the next transition).
 *
 * @example
 * ```ts
 * if (info.isDivergent) divergences++;
 * ```
 */
export interface TransitionInfo {
  /** Acceptance statistic adaptation targets: mean Metropolis acceptance over the trajectory (NUTS) or the Metropolis probability (static HMC). */
  readonly acceptStat: number;
  /** Integrator steps taken (each costs one gradient with leapfrog). */
  readonly numSteps: number;
  /** Whether the energy error exceeded the divergence threshold (or became NaN). */
  readonly isDivergent: boolean;
  /** Hamiltonian H = −log p(θ) + K(p) at the returned state (Stan's `energy__`), for E-BFMI. */
  readonly energy: number;
}

/**
 * Diagnostics of one NUTS transition.
 *
 * @example
 * ```ts
 * const saturated = info.treeDepth >= maxTreeDepth;
 * ```
 */
export interface NutsInfo extends TransitionInfo {
  /** Number of trajectory doublings accepted (0 … maxTreeDepth). */
  readonly treeDepth: number;
}

/**
 * Diagnostics of one static-HMC transition.
 *
 * @example
 * ```ts
 * if (info.isAccepted) accepted++;
 * ```
 */
export interface StaticHmcInfo extends TransitionInfo {
  /** Whether the end of the trajectory was accepted. */
  readonly isAccepted: boolean;
}

/**
 * What a transition returns: the new state and the diagnostics of getting there.
 *
 * @example
 * ```ts
 * const { state, info } = kernel.step(rng, state0, params);
 * ```
 */
export interface Transition<Info extends TransitionInfo> {
  readonly state: HmcState;
  readonly info: Info;
}

/**
 * A Hamiltonian Monte Carlo kernel bound to one model: `init` caches the density at a position,
 * `step` runs one transition. Scratch buffers are private to the kernel, so one kernel must not
 * be stepped from two places at once (build one per chain).
 *
 * @example
 * ```ts
 * const kernel = buildKernel(model, { metric: "diag" });
 * let state = kernel.init(position);
 * state = kernel.step(rng, state, { stepSize: 0.2, inverseMassMatrix: ones }).state;
 * ```
 */
export interface HmcKernel<Info extends TransitionInfo = TransitionInfo> {
  /** The model the kernel was built for. */
  readonly model: DensityModel;
  /** The metric family `params.inverseMassMatrix` is read as. */
  readonly metric: MetricKind;
  /** The integration scheme. */
  readonly integrator: Integrator;
  /** Evaluates the log density and gradient at `position` (copied) and returns the state there. */
  init(position: Float64Array): HmcState;
  /** One transition from `state`; never mutates `state`. */
  step(rng: Rng, state: HmcState, params: HmcParams): Transition<Info>;
  /**
   * The same transition (same draws for the same stream) written into `out`, which may be
   * `state` itself: the allocation-free form sampling loops use. The returned info object is
   * owned by the kernel and overwritten by its next transition; copy what you keep.
   */
  stepInto(rng: Rng, state: HmcState, params: HmcParams, out: HmcStateBuffer): Info;
}

/**
 * A state whose fields a kernel may overwrite: the target of {@link HmcKernel.stepInto}.
 *
 * @example
 * ```ts
 * const buffer: HmcStateBuffer = { ...kernel.init(theta0) };
 * for (let i = 0; i < 100; i++) kernel.stepInto(rng, buffer, params, buffer);
 * ```
 */
export type HmcStateBuffer = { -readonly [K in keyof HmcState]: HmcState[K] };
