import { CapabilityError, DomainError, describeValue, ShapeError } from "../../core/errors.js";
import type { Rng } from "../../core/rng.js";
import type { DensityModel } from "../model/density_model.js";
import { checkInteger, checkInterval } from "./checks.js";
import {
  checkDensity,
  createRandomWalkMove,
  type DensityCache,
  type RandomWalkChoices,
  type TemperedMove,
  type TemperingTarget,
} from "./random_walk.js";
import { type ResamplingScheme, resamplingFunction } from "./resampling.js";
import { effectiveSampleSize, normalizeLogWeights } from "./weights.js";

/**
 * Build-time choices of the tempered SMC sampler.
 *
 * @example
 * ```ts
 * const choices: TemperingChoices = { target, numParticles: 1000, targetEss: 0.5, numMcmcSteps: 10 };
 * ```
 */
export interface TemperingChoices {
  /** The prior/likelihood pair to temper between. */
  readonly target: TemperingTarget;
  /** Number of particles N (≥ 2). */
  readonly numParticles: number;
  /**
   * The next temperature is chosen so that the conditional ESS of the reweighting equals
   * targetEss · N (default 0.5): closer to 1 means more, gentler steps.
   */
  readonly targetEss?: number;
  /** MCMC moves per particle per SMC step (default 5). */
  readonly numMcmcSteps?: number;
  /** Resampling scheme (default `systematic`). */
  readonly resampling?: ResamplingScheme;
  /** A π_β-invariant move; random-walk Metropolis fitted to the cloud when absent. */
  readonly move?: TemperedMove;
  /** Choices of the default random-walk move. */
  readonly randomWalk?: RandomWalkChoices;
  /** Acceptance rate the proposal scale is tuned towards (default 0.234). */
  readonly targetAcceptance?: number;
}

/**
 * The state of the tempered SMC sampler: an equally or unequally weighted cloud at temperature β.
 * Never mutated; each step returns a fresh one.
 *
 * @example
 * ```ts
 * const { particles, temperature, logEvidence } = state;
 * ```
 */
export interface TemperingState {
  /** N × d particles, particle-major. */
  readonly particles: Float64Array;
  /** log p(θᵢ) of each particle. */
  readonly logPrior: Float64Array;
  /** log L(θᵢ) of each particle. */
  readonly logLikelihood: Float64Array;
  /** Normalised log weights (−log N each after resampling). */
  readonly logWeights: Float64Array;
  /** β ∈ [0, 1]. */
  readonly temperature: number;
  /** log Ẑ_β, the estimate of log ∫ p(θ) L(θ)^β dθ. */
  readonly logEvidence: number;
  /** Scale s of the move's proposal (adapted every step). */
  readonly scale: number;
}

/**
 * Diagnostics of one tempered SMC step.
 *
 * @example
 * ```ts
 * console.log(info.temperature, info.acceptanceRate);
 * ```
 */
export interface TemperingInfo {
  /** The new temperature. */
  readonly temperature: number;
  /** Kish ESS after reweighting, before resampling. */
  readonly ess: number;
  /** log Ẑ_{β′}/Ẑ_β of this step. */
  readonly logEvidenceIncrement: number;
  /** Mean acceptance probability of the moves. */
  readonly acceptanceRate: number;
  /** The proposal scale used by this step's moves. */
  readonly scale: number;
}

/**
 * The tempered SMC kernel.
 *
 * @example
 * ```ts
 * const kernel = buildKernel({ target, numParticles: 1000 });
 * let state = kernel.init(rng);
 * while (state.temperature < 1) state = kernel.step(rng, state).state;
 * ```
 */
export interface TemperingKernel {
  /** N prior draws at β = 0 with their densities. */
  init(rng: Rng): TemperingState;
  /** Reweight to the next temperature, resample, move; never mutates `state`. At β = 1 it only moves. */
  step(rng: Rng, state: TemperingState): { readonly state: TemperingState; readonly info: TemperingInfo };
}

/**
 * The {@link TemperingTarget} view of a compiled model: its unconstrained dimension, prior (with
 * log|J|), likelihood and prior sampler.
 *
 * @throws CapabilityError when the model has no prior/likelihood split.
 * @example
 * ```ts
 * const result = temperedSmc(rng, { target: temperingTarget(model), numParticles: 2000 });
 * ```
 */
export function temperingTarget(model: DensityModel): TemperingTarget {
  const { logPrior, logLikelihood } = model;
  if (logPrior === undefined || logLikelihood === undefined) {
    throw new CapabilityError({
      where: "temperedSmc",
      what: "the model has no prior/likelihood split; tempering needs log p(θ) and log p(y | θ) separately",
      got: `logPrior ${logPrior ? "present" : "missing"}, logLikelihood ${logLikelihood ? "present" : "missing"}`,
      expected: "both",
      hint: "compile the model with observed data so the compiler can split the density, or use nuts.",
    });
  }
  return {
    dimension: model.dimension,
    logPrior: (theta) => logPrior.call(model, theta),
    logLikelihood: (theta) => logLikelihood.call(model, theta),
    samplePrior: (rng, out) => model.samplePrior(rng, out),
    discreteLatents: model.discreteLatents,
  };
}

/**
 * The largest δ ≤ `maxDelta` whose conditional ESS (Zhou, Johansen & Aston 2016)
 * (Σ Wᵢuᵢ)² / Σ Wᵢuᵢ², uᵢ = exp(δℓᵢ), is at least `target`, by bisection (the ratio decreases in δ).
 */
function nextIncrement(
  weights: Float64Array,
  logLik: Float64Array,
  n: number,
  maxDelta: number,
  target: number,
): number {
  const ratio = (delta: number) => {
    let max = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < n; i++) if (weights[i] > 0 && logLik[i] > max) max = logLik[i];
    if (max === Number.NEGATIVE_INFINITY) return 0;
    let s1 = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      if (!(weights[i] > 0)) continue;
      const u = Math.exp(delta * (logLik[i] - max));
      s1 += weights[i] * u;
      s2 += weights[i] * u * u;
    }
    return (s1 * s1) / s2;
  };
  if (ratio(maxDelta) >= target) return maxDelta;
  let lo = 0;
  let hi = maxDelta;
  for (let iteration = 0; iteration < 60 && hi - lo > 1e-12 * maxDelta; iteration++) {
    const mid = 0.5 * (lo + hi);
    if (ratio(mid) >= target) lo = mid;
    else hi = mid;
  }
  // lo = 0 only when every positive δ falls short (particles with zero likelihood): take the smallest step.
  return lo > 0 ? lo : hi;
}

/**
 * Builds an adaptive tempered SMC sampler (Del Moral, Doucet & Jasra 2006; Jasra, Stephens,
 * Doucet & Tsagaris 2011): particles start from the prior and are moved through
 * π_β ∝ p(θ)·L(θ)^β up to β = 1. Each step chooses β′ by bisection so that the conditional ESS is
 * targetEss · N, reweights by L^{β′−β}, resamples and applies `numMcmcSteps` π_{β′}-invariant
 * moves. The product of the mean incremental weights estimates the evidence p(y) (unbiased for a
 * fixed schedule; the adaptive schedule adds a bias that vanishes as N grows — Beskos, Jasra,
 * Kantas & Thiery 2016).
 *
 * @throws DomainError for invalid choices, or at `init`/`step` for a NaN or +Infinity density and
 *   a prior draw with zero prior density.
 * @example
 * ```ts
 * const kernel = buildKernel({ target, numParticles: 1000 });
 * const { state, info } = kernel.step(rng, kernel.init(rng));
 * ```
 */
export function buildKernel(choices: TemperingChoices): TemperingKernel {
  const where = "temperedSmc";
  const { target, numParticles: n } = choices;
  checkInteger(where, "target.dimension", target.dimension, 1);
  checkInteger(where, "numParticles", n, 2);
  const targetEss = choices.targetEss ?? 0.5;
  if (!(targetEss > 0 && targetEss < 1)) {
    throw new DomainError({
      where,
      what: "targetEss out of range",
      got: describeValue(targetEss),
      expected: "0 < targetEss < 1",
    });
  }
  const numMcmcSteps = choices.numMcmcSteps ?? 5;
  checkInteger(where, "numMcmcSteps", numMcmcSteps, 0);
  const targetAcceptance = choices.targetAcceptance ?? 0.234;
  checkInterval(where, "targetAcceptance", targetAcceptance, 0, 1);
  const resample = resamplingFunction(where, choices.resampling ?? "systematic");
  const move = choices.move ?? createRandomWalkMove(target, choices.randomWalk);
  const d = target.dimension;
  const x = new Float64Array(d);
  const weights = new Float64Array(n);
  const newLogWeights = new Float64Array(n);
  const ancestors = new Int32Array(n);
  const cache: DensityCache = { logPrior: 0, logLikelihood: 0 };

  const checkState = (state: TemperingState) => {
    if (
      state.particles.length !== n * d ||
      state.logPrior.length !== n ||
      state.logLikelihood.length !== n ||
      state.logWeights.length !== n
    ) {
      throw new ShapeError({
        where,
        what: "the state does not belong to this kernel",
        got: `${state.particles.length} particle values, ${state.logWeights.length} weights`,
        expected: `${n} × ${d} values, ${n} weights`,
      });
    }
  };

  return {
    init(rng: Rng): TemperingState {
      const particles = new Float64Array(n * d);
      const logPrior = new Float64Array(n);
      const logLikelihood = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const draw = target.samplePrior(rng, x);
        if (draw !== x) x.set(draw);
        const lp = target.logPrior(x);
        if (!Number.isFinite(lp)) {
          throw new DomainError({
            where,
            what: "a prior draw has a non-finite prior log density",
            got: `logPrior ${describeValue(lp)} at ${describeValue(x)}`,
            expected: "finite",
            hint: "samplePrior and logPrior must describe the same distribution.",
          });
        }
        const ll = target.logLikelihood(x);
        checkDensity(where, "logLikelihood", ll);
        particles.set(x, i * d);
        logPrior[i] = lp;
        logLikelihood[i] = ll;
      }
      return {
        particles,
        logPrior,
        logLikelihood,
        logWeights: new Float64Array(n).fill(-Math.log(n)),
        temperature: 0,
        logEvidence: 0,
        scale: 2.38 / Math.sqrt(d),
      };
    },

    step(rng: Rng, state: TemperingState) {
      checkState(state);
      const beta = state.temperature;
      const logSumPrev = normalizeLogWeights(state.logWeights, n, weights);
      if (logSumPrev === Number.NEGATIVE_INFINITY) {
        throw new DomainError({
          where,
          what: "every particle of the state has zero weight",
          got: "all log weights −Infinity",
        });
      }
      const delta = beta < 1 ? nextIncrement(weights, state.logLikelihood, n, 1 - beta, targetEss) : 0;
      const temperature = delta === 1 - beta ? 1 : beta + delta;
      const particles = new Float64Array(n * d);
      const logPrior = new Float64Array(n);
      const logLikelihood = new Float64Array(n);
      let ess = effectiveSampleSize(weights, n);
      let increment = 0;
      if (delta > 0) {
        for (let i = 0; i < n; i++) {
          newLogWeights[i] =
            weights[i] > 0 ? Math.log(weights[i]) + delta * state.logLikelihood[i] : Number.NEGATIVE_INFINITY;
        }
        increment = normalizeLogWeights(newLogWeights, n, weights);
        if (increment === Number.NEGATIVE_INFINITY) {
          throw new DomainError({
            where,
            what: `every particle has zero likelihood at temperature ${temperature}`,
            got: "all log likelihoods −Infinity",
            hint: "check the likelihood, or start from a prior that puts mass where the data are possible.",
          });
        }
        ess = effectiveSampleSize(weights, n);
        resample(rng, weights, n, ancestors, n, 0);
        for (let i = 0; i < n; i++) {
          const a = ancestors[i];
          for (let k = 0; k < d; k++) particles[i * d + k] = state.particles[a * d + k];
          logPrior[i] = state.logPrior[a];
          logLikelihood[i] = state.logLikelihood[a];
        }
      } else {
        particles.set(state.particles);
        logPrior.set(state.logPrior);
        logLikelihood.set(state.logLikelihood);
      }
      const logWeights = new Float64Array(n);
      if (delta > 0) logWeights.fill(-Math.log(n));
      else for (let i = 0; i < n; i++) logWeights[i] = Math.log(weights[i]);

      const scale = state.scale;
      let acceptance = 0;
      if (numMcmcSteps > 0) {
        move.prepare?.(particles, n, temperature);
        for (let i = 0; i < n; i++) {
          for (let k = 0; k < d; k++) x[k] = particles[i * d + k];
          cache.logPrior = logPrior[i];
          cache.logLikelihood = logLikelihood[i];
          for (let s = 0; s < numMcmcSteps; s++) acceptance += move.step(rng, x, cache, temperature, scale);
          particles.set(x, i * d);
          logPrior[i] = cache.logPrior;
          logLikelihood[i] = cache.logLikelihood;
        }
        acceptance /= n * numMcmcSteps;
      }
      // Multiplicative Robbins–Monro-style correction of the scale towards the target acceptance.
      const nextScale = numMcmcSteps > 0 ? scale * Math.exp(acceptance - targetAcceptance) : scale;
      return {
        state: {
          particles,
          logPrior,
          logLikelihood,
          logWeights,
          temperature,
          logEvidence: state.logEvidence + increment,
          scale: nextScale,
        },
        info: { temperature, ess, logEvidenceIncrement: increment, acceptanceRate: acceptance, scale },
      };
    },
  };
}

/**
 * The output of {@link temperedSmc}.
 *
 * @example
 * ```ts
 * const { logEvidence, state, temperatures } = temperedSmc(rng, choices);
 * ```
 */
export interface TemperedSmcResult {
  /** The final state (β = 1, equally weighted after the last resampling). */
  readonly state: TemperingState;
  /** log Ẑ, the estimate of log p(y). */
  readonly logEvidence: number;
  /** The adaptive schedule β₁ < … < 1 (β₀ = 0 omitted). */
  readonly temperatures: Float64Array;
  /** Per-step diagnostics. */
  readonly infos: readonly TemperingInfo[];
}

/**
 * Runs adaptive tempered SMC from the prior to the posterior (see {@link buildKernel}), then
 * `extraMoves` more move-only steps at β = 1.
 *
 * @throws DomainError when β = 1 is not reached within `maxSteps` steps, or the kernel's errors.
 * @example
 * ```ts
 * const { logEvidence, state } = temperedSmc(createRng(1), { target, numParticles: 2000 });
 * ```
 */
export function temperedSmc(
  rng: Rng,
  choices: TemperingChoices,
  options: { readonly maxSteps?: number; readonly extraMoves?: number } = {},
): TemperedSmcResult {
  const maxSteps = options.maxSteps ?? 1000;
  const extraMoves = options.extraMoves ?? 0;
  checkInteger("temperedSmc", "maxSteps", maxSteps, 1);
  checkInteger("temperedSmc", "extraMoves", extraMoves, 0);
  const kernel = buildKernel(choices);
  let state = kernel.init(rng);
  const temperatures: number[] = [];
  const infos: TemperingInfo[] = [];
  while (state.temperature < 1) {
    if (temperatures.length >= maxSteps) {
      throw new DomainError({
        where: "temperedSmc",
        what: `the temperature did not reach 1 within maxSteps = ${maxSteps} steps`,
        got: `β = ${state.temperature}`,
        expected: "β = 1",
        hint: "raise maxSteps, lower targetEss, or use more particles.",
      });
    }
    const { state: next, info } = kernel.step(rng, state);
    state = next;
    temperatures.push(info.temperature);
    infos.push(info);
  }
  for (let k = 0; k < extraMoves; k++) {
    const { state: next, info } = kernel.step(rng, state);
    state = next;
    infos.push(info);
  }
  return { state, logEvidence: state.logEvidence, temperatures: Float64Array.from(temperatures), infos };
}
