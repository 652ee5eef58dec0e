import { DomainError, describeValue, ShapeError } from "../../core/errors.js";
import type { Rng } from "../../core/rng.js";
import { checkInteger, checkInterval, checkStateSpaceModel } from "./checks.js";
import { FilterEngine } from "./engine.js";
import { type ResamplingScheme, resamplingFunction } from "./resampling.js";
import type { Proposal, StateSpaceModel } from "./types.js";

/**
 * What a filter run keeps besides the summaries: nothing, the ancestor indices (T × N Int32, 4·T·N
 * bytes), or the ancestors and every generation of particles (T × N × d doubles), which lets
 * {@link ancestralPath} rebuild any particle's trajectory.
 *
 * @example
 * ```ts
 * const history: FilterHistory = "particles";
 * ```
 */
export type FilterHistory = "none" | "ancestry" | "particles";

/**
 * Build-time choices of the particle filter.
 *
 * @example
 * ```ts
 * const choices: ParticleFilterChoices = { model, numParticles: 1000, resampling: "systematic" };
 * ```
 */
export interface ParticleFilterChoices {
  /** The state-space model (data bound in). */
  readonly model: StateSpaceModel;
  /** Number of particles N (≥ 1). */
  readonly numParticles: number;
  /** Resampling scheme (default `systematic`). */
  readonly resampling?: ResamplingScheme;
  /**
   * Resample before propagating when ESS < threshold · N (default 0.5); 1 resamples at every
   * step, 0 never (sequential importance sampling).
   */
  readonly resampleThreshold?: number;
  /** A guided or auxiliary proposal; the bootstrap filter (propose from the transition) when absent. */
  readonly proposal?: Proposal;
  /** What to record beyond the summaries (default `ancestry`). */
  readonly history?: FilterHistory;
}

/**
 * The output of {@link particleFilter}. Arrays indexed by time are time-major: entry (t, k) of a
 * T × d array is at t·d + k.
 *
 * @example
 * ```ts
 * const { logEvidence, filteringMeans, ess } = particleFilter(rng, choices);
 * ```
 */
export interface ParticleFilterResult {
  /** Unbiased estimate of the evidence on the log scale: log p̂(y_{0:T−1}). */
  readonly logEvidence: number;
  /** log p̂(y_t | y_{0:t−1}) for each t (they sum to `logEvidence`). */
  readonly logEvidenceIncrements: Float64Array;
  /** E[x_t | y_{0:t}] estimates, T × d. */
  readonly filteringMeans: Float64Array;
  /** Var[x_t,k | y_{0:t}] estimates (per coordinate), T × d. */
  readonly filteringVariances: Float64Array;
  /** Kish ESS of the weights at each time, after weighting and before any resampling. */
  readonly ess: Float64Array;
  /** 1 where the step to time t resampled (entry 0 is 0). */
  readonly resampled: Uint8Array;
  /** The particles at time T − 1, N × d. */
  readonly particles: Float64Array;
  /** Their normalised log weights (log Wᵢ, log-sum-exp 0). */
  readonly logWeights: Float64Array;
  /** Row t (t ≥ 1) holds each time-t particle's parent index at t − 1; row 0 is −1. T × N. */
  readonly ancestors?: Int32Array;
  /** Every generation of particles, T × N × d (history `particles` only). */
  readonly particleHistory?: Float64Array;
}

interface FilterSetup {
  readonly engine: FilterEngine;
  readonly numTimeSteps: number;
  readonly stateDimension: number;
}

function setup(where: string, choices: ParticleFilterChoices): FilterSetup {
  const { model, numParticles } = choices;
  checkStateSpaceModel(where, model);
  checkInteger(where, "numParticles", numParticles, 1);
  const threshold = choices.resampleThreshold ?? 0.5;
  checkInterval(where, "resampleThreshold", threshold, 0, 1);
  const resample = resamplingFunction(where, choices.resampling ?? "systematic");
  const engine = new FilterEngine(where, model, choices.proposal, numParticles, {
    kind: "adaptive",
    resample,
    threshold,
  });
  return { engine, numTimeSteps: model.numTimeSteps, stateDimension: model.stateDimension };
}

/** Weighted mean and per-coordinate variance of the current generation with the filter weights. */
function filteringMoments(engine: FilterEngine, means: Float64Array, variances: Float64Array, offset: number): void {
  const d = engine.stateDimension;
  const n = engine.numParticles;
  const w = engine.filterWeights;
  const x = engine.cur.data;
  for (let k = 0; k < d; k++) {
    let mean = 0;
    for (let i = 0; i < n; i++) if (w[i] > 0) mean += w[i] * x[i * d + k];
    let variance = 0;
    for (let i = 0; i < n; i++) {
      if (w[i] > 0) {
        const e = x[i * d + k] - mean;
        variance += w[i] * e * e;
      }
    }
    means[offset + k] = mean;
    variances[offset + k] = variance;
  }
}

/**
 * Runs a particle filter over all T time steps: the bootstrap filter of Gordon, Salmond & Smith
 * (1993) by default, a guided filter with `proposal`, an auxiliary filter (Pitt & Shephard 1999)
 * when the proposal has `logLookahead`. Resamples adaptively when the ESS falls below
 * `resampleThreshold · N` (Liu & Chen 1995). The evidence estimate is unbiased (Del Moral 2004):
 * E[exp(logEvidence)] = p(y_{0:T−1}); on the log scale it is biased down by about half its variance.
 * Buffers are allocated once per call; the inner loop allocates nothing.
 *
 * @throws DomainError for invalid choices, a NaN or +Infinity log weight, or a time at which every
 *   particle has zero weight.
 * @example
 * ```ts
 * const result = particleFilter(createRng(1), { model, numParticles: 1000 });
 * console.log(result.logEvidence, result.filteringMeans[99]);
 * ```
 */
export function particleFilter(rng: Rng, choices: ParticleFilterChoices): ParticleFilterResult {
  const where = "particleFilter";
  const { engine, numTimeSteps: T, stateDimension: d } = setup(where, choices);
  const history = choices.history ?? "ancestry";
  if (history !== "none" && history !== "ancestry" && history !== "particles") {
    throw new DomainError({
      where,
      what: "unknown history option",
      got: describeValue(history),
      expected: "'none', 'ancestry' or 'particles'",
    });
  }
  const n = engine.numParticles;
  const increments = new Float64Array(T);
  const means = new Float64Array(T * d);
  const variances = new Float64Array(T * d);
  const ess = new Float64Array(T);
  const resampled = new Uint8Array(T);
  const ancestors = history === "none" ? undefined : new Int32Array(T * n);
  const particleHistory = history === "particles" ? new Float64Array(T * n * d) : undefined;

  for (let t = 0; t < T; t++) {
    if (t === 0) engine.start(rng);
    else engine.advance(rng);
    increments[t] = engine.logEvidenceIncrement;
    ess[t] = engine.ess;
    resampled[t] = engine.resampled ? 1 : 0;
    filteringMoments(engine, means, variances, t * d);
    if (ancestors) {
      if (t === 0) ancestors.fill(-1, 0, n);
      else ancestors.set(engine.ancestors, t * n);
    }
    if (particleHistory) particleHistory.set(engine.cur.data, t * n * d);
  }
  const logWeights = new Float64Array(n);
  for (let i = 0; i < n; i++) logWeights[i] = engine.logWeights[i] - engine.logSum;
  return {
    logEvidence: engine.logEvidence,
    logEvidenceIncrements: increments,
    filteringMeans: means,
    filteringVariances: variances,
    ess,
    resampled,
    particles: Float64Array.from(engine.cur.data),
    logWeights,
    ...(ancestors ? { ancestors } : {}),
    ...(particleHistory ? { particleHistory } : {}),
  };
}

/**
 * The trajectory x_{0:T−1} of final particle `index`, following its ancestors back through the
 * recorded history (the genealogy-tracing smoother of Kitagawa 1996: drawing `index` with the
 * final weights gives a draw from an approximation of p(x_{0:T−1} | y), which degenerates for
 * early times when T ≫ N — use the PaRIS smoother or particle Gibbs for smoothing).
 *
 * @throws DomainError when the run did not record `particles` history; ShapeError for a bad index.
 * @example
 * ```ts
 * const result = particleFilter(rng, { model, numParticles: 500, history: "particles" });
 * const path = ancestralPath(result, 0); // T × d
 * ```
 */
export function ancestralPath(result: ParticleFilterResult, index: number, out?: Float64Array): Float64Array {
  const { ancestors, particleHistory } = result;
  if (!ancestors || !particleHistory) {
    throw new DomainError({
      where: "ancestralPath()",
      what: "the filter run did not record the particle history",
      hint: "run particleFilter with history: 'particles'.",
    });
  }
  const T = result.ess.length;
  const n = result.logWeights.length;
  const d = result.particles.length / n;
  if (!Number.isSafeInteger(index) || index < 0 || index >= n) {
    throw new ShapeError({
      where: "ancestralPath()",
      what: "particle index out of range",
      got: describeValue(index),
      expected: `an integer in [0, ${n - 1}]`,
    });
  }
  const path = out ?? new Float64Array(T * d);
  let i = index;
  for (let t = T - 1; t >= 0; t--) {
    for (let k = 0; k < d; k++) path[t * d + k] = particleHistory[(t * n + i) * d + k];
    if (t > 0) i = ancestors[t * n + i];
  }
  return path;
}

/**
 * The state of the online particle-filter kernel: one generation of particles with its weights.
 * States are never mutated; every step returns a fresh one.
 *
 * @example
 * ```ts
 * let state: FilterState = kernel.init(rng);
 * ```
 */
export interface FilterState {
  /** Time index t of the particles. */
  readonly time: number;
  /** N × d particles at time t. */
  readonly particles: Float64Array;
  /** Unnormalised log weights ℓᵢ (including any look-ahead log η). */
  readonly logWeights: Float64Array;
  /** The look-ahead log η(xᵢ) of each particle (zeros without an auxiliary proposal). */
  readonly lookahead: Float64Array;
  /** log p̂(y_{0:t}). */
  readonly logEvidence: number;
}

/**
 * Diagnostics of one filter step.
 *
 * @example
 * ```ts
 * if (info.resampled) resamplingCount++;
 * ```
 */
export interface FilterInfo {
  /** Kish ESS of the new weights. */
  readonly ess: number;
  /** Whether the step resampled before propagating. */
  readonly resampled: boolean;
  /** log p̂(y_t | y_{0:t−1}). */
  readonly logEvidenceIncrement: number;
  /** E[x_t | y_{0:t}] estimate (length d). */
  readonly filteringMean: Float64Array;
}

/**
 * The particle filter as a kernel: `init` weights the time-0 particles, each `step` resamples
 * (adaptively), propagates and reweights one time step. For online use — data arriving one time
 * at a time through the model's observation function — or a custom driver loop; the state is
 * copied in and out of the kernel's private buffers (O(N·d) per step).
 *
 * @example
 * ```ts
 * const kernel = buildKernel({ model, numParticles: 500 });
 * let state = kernel.init(rng);
 * while (state.time < model.numTimeSteps - 1) state = kernel.step(rng, state).state;
 * ```
 */
export interface FilterKernel {
  /** Particles at time 0, drawn and weighted. */
  init(rng: Rng): FilterState;
  /** One step from `state` (time t) to time t + 1; never mutates `state`. */
  step(rng: Rng, state: FilterState): { readonly state: FilterState; readonly info: FilterInfo };
}

/**
 * Builds the online particle-filter kernel (same choices as {@link particleFilter}; `history` is
 * ignored).
 *
 * @throws DomainError for invalid choices; ShapeError when stepping a state of another size or
 *   past the last time.
 * @example
 * ```ts
 * const kernel = buildKernel({ model, numParticles: 500, resampling: "stratified" });
 * const { state, info } = kernel.step(rng, kernel.init(rng));
 * ```
 */
export function buildKernel(choices: ParticleFilterChoices): FilterKernel {
  const where = "particleFilter.kernel";
  const { engine, numTimeSteps: T, stateDimension: d } = setup(where, choices);
  const n = engine.numParticles;
  const snapshot = (): FilterState => ({
    time: engine.time,
    particles: Float64Array.from(engine.cur.data),
    logWeights: Float64Array.from(engine.logWeights),
    lookahead: Float64Array.from(engine.lookahead),
    logEvidence: engine.logEvidence,
  });
  return {
    init(rng: Rng): FilterState {
      engine.start(rng);
      return snapshot();
    },
    step(rng: Rng, state: FilterState) {
      if (state.particles.length !== n * d || state.logWeights.length !== n || state.lookahead.length !== n) {
        throw new ShapeError({
          where,
          what: "the state does not belong to this kernel",
          got: `${state.particles.length} particle values and ${state.logWeights.length} weights`,
          expected: `${n} × ${d} values and ${n} weights`,
        });
      }
      if (!(state.time >= 0 && state.time < T - 1)) {
        throw new ShapeError({
          where,
          what: "no time step left to filter",
          got: `time ${describeValue(state.time)}`,
          expected: `time in [0, ${T - 2}] (numTimeSteps ${T})`,
        });
      }
      engine.load(state.time, state.particles, state.logWeights, state.lookahead, state.logEvidence);
      engine.advance(rng);
      const filteringMean = new Float64Array(d);
      filteringMoments(engine, filteringMean, new Float64Array(d), 0);
      return {
        state: snapshot(),
        info: {
          ess: engine.ess,
          resampled: engine.resampled,
          logEvidenceIncrement: engine.logEvidenceIncrement,
          filteringMean,
        },
      };
    },
  };
}
