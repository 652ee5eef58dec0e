import { DomainError, describeValue } from "../../core/errors.js";
import type { Rng } from "../../core/rng.js";
import { checkInteger, checkInterval, checkStateSpaceModel } from "./checks.js";
import { FilterEngine } from "./engine.js";
import type { ParticleFilterChoices } from "./particle_filter.js";
import { resamplingFunction } from "./resampling.js";
import type { AdditiveFunctional, StateTransition } from "./types.js";
import { AliasTable } from "./weights.js";

/**
 * Choices of the PaRIS smoother: the filter's choices plus the backward-sampling ones.
 *
 * @example
 * ```ts
 * const choices: ParisChoices = { model, numParticles: 500, numBackward: 2 };
 * ```
 */
export interface ParisChoices extends Omit<ParticleFilterChoices, "history"> {
  /** Backward draws Ñ per particle and step (default 2; Ñ ≥ 2 keeps the estimator stable). */
  readonly numBackward?: number;
  /**
   * Accept–reject proposals tried per backward draw before computing that particle's backward
   * kernel exactly (default 32). Used only when the transition has `logDensityBound`.
   */
  readonly maxRejectionTrials?: number;
  /** Record the smoothed estimate after every time step (default false: only the last). */
  readonly recordAll?: boolean;
}

/**
 * The output of {@link parisSmoother}.
 *
 * @example
 * ```ts
 * const { smoothed } = parisSmoother(rng, functional, choices); // E[h(X_{0:T−1}) | y]
 * ```
 */
export interface ParisResult {
  /** Estimate of E[h(X_{0:T−1}) | y_{0:T−1}] (length m). */
  readonly smoothed: Float64Array;
  /** With `recordAll`: row t estimates E[h(X_{0:t}) | y_{0:t}], T × m. */
  readonly online?: Float64Array;
  /** The filter's evidence estimate (as {@link particleFilter}). */
  readonly logEvidence: number;
  /** Kish ESS of the filter weights per time. */
  readonly ess: Float64Array;
  /** Mean accept–reject proposals per backward draw (0 without a transition bound). */
  readonly meanTrials: number;
  /** How many particle updates fell back to the exact O(N) backward kernel. */
  readonly numExact: number;
}

/**
 * The PaRIS smoother (particle-based, rapid incremental smoother; Olsson & Westerborn 2017):
 * online estimates of the smoothed expectation of an additive functional
 * h(x_{0:t}) = h₀(x₀) + Σ h_s(x_{s−1}, x_s), in O(N·Ñ) per step instead of the O(N²) of
 * forward-filtering backward-smoothing.
 *
 * Each particle ξ_tⁱ carries τ_tⁱ ≈ E[h(X_{0:t}) | X_t = ξ_tⁱ, y_{0:t}]. At each step Ñ indices Jₖ
 * are drawn from the backward kernel Λ_t(i, j) ∝ ω_{t−1}ʲ f_t(ξ_tⁱ | ξ_{t−1}ʲ) and
 * τ_tⁱ = Ñ⁻¹ Σₖ [τ_{t−1}^{Jₖ} + h_t(ξ_{t−1}^{Jₖ}, ξ_tⁱ)]; the estimate is Σᵢ ω_tⁱ τ_tⁱ.
 *
 * Backward draws: when the transition declares `logDensityBound` (f_t ≤ ε̄), candidates j are drawn
 * from ω_{t−1} with an alias table and accepted with probability f_t(ξ_tⁱ | ξ_{t−1}ʲ)/ε̄ (Douc,
 * Garivier, Moulines & Olsson 2011), expected O(1) each. A particle whose draw is still rejected
 * after `maxRejectionTrials` candidates gets its backward kernel computed exactly (O(N)) — the
 * hybrid of Dau & Chopin (2022), which keeps each draw exactly Λ-distributed. Without a bound every
 * kernel is computed exactly (O(N²) per step).
 *
 * @throws DomainError for invalid choices, a functional that writes non-finite values, a transition
 *   density above its declared bound, or the filter's errors.
 * @example
 * ```ts
 * // Smoothed means of every state: h = (x_0, …, x_{T−1}), h_t adds x_t at coordinate t.
 * const h: AdditiveFunctional = {
 *   dimension: T,
 *   initial: (x, out) => { out.fill(0); out[0] = x[0]; },
 *   increment: (prev, x, t, out) => { out.fill(0); out[t] = x[0]; },
 * };
 * const { smoothed } = parisSmoother(createRng(1), h, { model, numParticles: 500 });
 * ```
 */
export function parisSmoother(rng: Rng, functional: AdditiveFunctional, choices: ParisChoices): ParisResult {
  const where = "parisSmoother";
  const { model, numParticles: n } = choices;
  checkStateSpaceModel(where, model);
  checkInteger(where, "numParticles", n, 1);
  checkInteger(where, "functional.dimension", functional.dimension, 1);
  const numBackward = choices.numBackward ?? 2;
  checkInteger(where, "numBackward", numBackward, 1);
  const maxTrials = choices.maxRejectionTrials ?? 32;
  checkInteger(where, "maxRejectionTrials", maxTrials, 0);
  const threshold = choices.resampleThreshold ?? 0.5;
  checkInterval(where, "resampleThreshold", threshold, 0, 1);
  const resample = resamplingFunction(where, choices.resampling ?? "systematic");
  const engine = new FilterEngine(where, model, choices.proposal, n, { kind: "adaptive", resample, threshold });

  const T = model.numTimeSteps;
  const m = functional.dimension;
  const transition = model.transition;
  let tau = new Float64Array(n * m);
  let tauPrev = new Float64Array(n * m);
  const term = new Float64Array(m);
  const accumulator = new Float64Array(m);
  const cumulative = new Float64Array(n);
  const alias = new AliasTable(n);
  const ess = new Float64Array(T);
  const online = choices.recordAll ? new Float64Array(T * m) : undefined;
  const smoothed = new Float64Array(m);
  let trials = 0;
  let draws = 0;
  let numExact = 0;

  const checkTerm = (t: number) => {
    for (let k = 0; k < m; k++) {
      if (!Number.isFinite(term[k])) {
        throw new DomainError({
          where,
          what: `the additive functional wrote a non-finite value at time ${t}, coordinate ${k}`,
          got: describeValue(term[k]),
          expected: "finite values",
        });
      }
    }
  };
  const estimate = (t: number) => {
    smoothed.fill(0);
    const w = engine.filterWeights;
    for (let i = 0; i < n; i++) {
      const wi = w[i];
      if (wi === 0) continue;
      for (let k = 0; k < m; k++) smoothed[k] += wi * tau[i * m + k];
    }
    if (online) online.set(smoothed, t * m);
  };

  engine.start(rng);
  for (let i = 0; i < n; i++) {
    functional.initial(engine.cur.views[i], term);
    checkTerm(0);
    tau.set(term, i * m);
  }
  ess[0] = engine.ess;
  estimate(0);

  for (let t = 1; t < T; t++) {
    engine.advance(rng);
    ess[t] = engine.ess;
    const w = engine.prevFilterWeights;
    const parents = engine.prev.views;
    const logBound = transition.logDensityBound?.(t);
    const useRejection = logBound !== undefined && maxTrials > 0;
    if (logBound !== undefined && !(logBound < Number.POSITIVE_INFINITY)) {
      throw new DomainError({
        where,
        what: `transition.logDensityBound(${t}) is not a number below +Infinity`,
        got: describeValue(logBound),
        expected: "a finite upper bound of the transition log density",
      });
    }
    if (useRejection) alias.build(w, n);
    const swap = tauPrev;
    tauPrev = tau;
    tau = swap;
    for (let i = 0; i < n; i++) {
      const x = engine.cur.views[i];
      accumulator.fill(0);
      let exactReady = false;
      let exactTotal = 0;
      for (let b = 0; b < numBackward; b++) {
        let j = -1;
        if (useRejection) {
          for (let trial = 0; trial < maxTrials; trial++) {
            const candidate = alias.draw(rng);
            const logF = checkedLogDensity(transition, parents[candidate], x, t);
            trials++;
            if (logF > logBound) {
              throw new DomainError({
                where,
                what: `the transition log density at time ${t} exceeds its declared bound`,
                got: `${logF} > logDensityBound ${logBound}`,
                expected: "logDensity(prev, next, t) ≤ logDensityBound(t)",
                hint: "fix logDensityBound (it must hold for every prev and next) or remove it.",
              });
            }
            if (Math.log(rng.uniform()) < logF - logBound) {
              j = candidate;
              break;
            }
          }
          draws++;
        }
        if (j < 0) {
          if (!exactReady) {
            exactTotal = backwardCumulative(transition, w, parents, x, t, n, cumulative);
            exactReady = true;
            numExact++;
          }
          // A particle no parent can reach has zero filter weight; its own parent keeps τ defined.
          j = exactTotal > 0 ? searchCumulative(cumulative, n, rng.uniform() * exactTotal) : engine.ancestors[i];
        }
        const base = j * m;
        for (let k = 0; k < m; k++) accumulator[k] += tauPrev[base + k];
        functional.increment(parents[j], x, t, term);
        checkTerm(t);
        for (let k = 0; k < m; k++) accumulator[k] += term[k];
      }
      const inv = 1 / numBackward;
      for (let k = 0; k < m; k++) tau[i * m + k] = accumulator[k] * inv;
    }
    estimate(t);
  }
  return {
    smoothed: Float64Array.from(smoothed),
    ...(online ? { online } : {}),
    logEvidence: engine.logEvidence,
    ess,
    meanTrials: draws > 0 ? trials / draws : 0,
    numExact,
  };
}

/**
 * Cumulative unnormalised backward weights ω_{t−1}ʲ f_t(x | ξ_{t−1}ʲ), scaled by the largest
 * transition density so that nothing underflows; returns the total.
 */
function backwardCumulative(
  transition: StateTransition,
  weights: Float64Array,
  parents: Float64Array[],
  x: Float64Array,
  t: number,
  n: number,
  out: Float64Array,
): number {
  let max = Number.NEGATIVE_INFINITY;
  for (let j = 0; j < n; j++) {
    const lf = weights[j] > 0 ? checkedLogDensity(transition, parents[j], x, t) : Number.NEGATIVE_INFINITY;
    out[j] = lf;
    if (lf > max) max = lf;
  }
  if (max === Number.NEGATIVE_INFINITY) return 0;
  let cum = 0;
  for (let j = 0; j < n; j++) {
    cum += weights[j] * Math.exp(out[j] - max);
    out[j] = cum;
  }
  return cum;
}

/** f_t(next | prev) on the log scale, refusing NaN (which would silently corrupt the backward kernel). */
function checkedLogDensity(transition: StateTransition, prev: Float64Array, next: Float64Array, t: number): number {
  const lf = transition.logDensity(prev, next, t);
  if (Number.isNaN(lf)) {
    throw new DomainError({
      where: "parisSmoother",
      what: `the transition log density at time ${t} is NaN`,
      got: "NaN",
      expected: "a number or −Infinity",
    });
  }
  return lf;
}

/** The first index whose cumulative weight exceeds `target` (binary search; skips zero-width entries). */
function searchCumulative(cumulative: Float64Array, n: number, target: number): number {
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cumulative[mid] > target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
