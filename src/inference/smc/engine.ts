import { DomainError, describeValue } from "../../core/errors.js";
import type { Rng } from "../../core/rng.js";
import { multinomialResample, type ResampleFunction } from "./resampling.js";
import type { Proposal, StateSpaceModel } from "./types.js";
import { effectiveSampleSize, normalizeLogWeights } from "./weights.js";

/**
 * N particles of dimension d in one flat row-major Float64Array, plus one length-d view per
 * particle made once, so model functions receive plain vectors without an allocation per call.
 *
 * @example
 * ```ts
 * const buffer = new ParticleBuffer(1000, 2);
 * buffer.views[3][1] = 0.5; // same memory as buffer.data[3 * 2 + 1]
 * ```
 */
export class ParticleBuffer {
  /** numParticles × stateDimension values, particle-major. */
  readonly data: Float64Array;
  /** `views[i]` is `data.subarray(i·d, (i+1)·d)`. */
  readonly views: Float64Array[];

  constructor(numParticles: number, dim: number) {
    this.data = new Float64Array(numParticles * dim);
    this.views = [];
    for (let i = 0; i < numParticles; i++) this.views.push(this.data.subarray(i * dim, (i + 1) * dim));
  }
}

/**
 * How the engine resamples: adaptively with a scheme (ordinary filters), or conditionally on a
 * reference particle at index 0 (conditional SMC), with or without ancestor sampling.
 *
 * @example
 * ```ts
 * const mode: EngineMode = { kind: "adaptive", resample: RESAMPLING_SCHEMES.systematic, threshold: 0.5 };
 * ```
 */
export type EngineMode =
  | { readonly kind: "adaptive"; readonly resample: ResampleFunction; readonly threshold: number }
  | { readonly kind: "conditional"; readonly ancestorSampling: boolean };

/**
 * The particle system every state-space algorithm of this folder runs on: propagation, weighting
 * (bootstrap, guided and auxiliary), adaptive or conditional resampling and the evidence estimate,
 * all on buffers allocated once. `start` fills time 0; each `advance` moves to the next time,
 * keeping the previous generation (particles, weights, look-ahead values) in the `prev*` fields
 * for smoothers to read. The `cur`/`prev` buffers swap roles at every step.
 *
 * Weights: the log weight ℓᵢ is the weight of the resampling target (it includes the look-ahead
 * log η(xᵢ) of an auxiliary proposal); `weights` is its normalisation, `filterWeights` the
 * normalisation of ℓᵢ − log η(xᵢ), the weights of the filtering distribution p(x_t | y_{0:t}).
 *
 * @example
 * ```ts
 * const engine = new FilterEngine("particleFilter", model, undefined, 1000, mode);
 * engine.start(rng);
 * while (engine.time < model.numTimeSteps - 1) engine.advance(rng);
 * engine.logEvidence; // log p̂(y_{0:T−1})
 * ```
 */
export class FilterEngine {
  model: StateSpaceModel;
  proposal: Proposal | undefined;
  readonly numParticles: number;
  readonly stateDimension: number;
  cur: ParticleBuffer;
  prev: ParticleBuffer;
  logWeights: Float64Array;
  prevLogWeights: Float64Array;
  weights: Float64Array;
  prevWeights: Float64Array;
  filterWeights: Float64Array;
  prevFilterWeights: Float64Array;
  lookahead: Float64Array;
  prevLookahead: Float64Array;
  /** Index in `prev` of each particle of `cur` (identity when the last step did not resample). */
  readonly ancestors: Int32Array;
  /** Time index of `cur`. */
  time = -1;
  /** log Σᵢ exp ℓᵢ at the current time. */
  logSum = 0;
  /** Kish ESS of `weights` at the current time. */
  ess = 0;
  /** Whether the step to the current time resampled. */
  resampled = false;
  /** log p̂(y_{0:t}). */
  logEvidence = 0;
  /** log p̂(y_t | y_{0:t−1}) of the step to the current time. */
  logEvidenceIncrement = 0;
  private readonly scratch: Float64Array;
  private readonly referenceState: Float64Array;

  constructor(
    readonly where: string,
    model: StateSpaceModel,
    proposal: Proposal | undefined,
    numParticles: number,
    readonly mode: EngineMode,
  ) {
    this.model = model;
    this.proposal = proposal;
    this.numParticles = numParticles;
    const d = model.stateDimension;
    this.stateDimension = d;
    this.cur = new ParticleBuffer(numParticles, d);
    this.prev = new ParticleBuffer(numParticles, d);
    this.logWeights = new Float64Array(numParticles);
    this.prevLogWeights = new Float64Array(numParticles);
    this.weights = new Float64Array(numParticles);
    this.prevWeights = new Float64Array(numParticles);
    this.filterWeights = new Float64Array(numParticles);
    this.prevFilterWeights = new Float64Array(numParticles);
    this.lookahead = new Float64Array(numParticles);
    this.prevLookahead = new Float64Array(numParticles);
    this.ancestors = new Int32Array(numParticles);
    this.scratch = new Float64Array(numParticles);
    this.referenceState = new Float64Array(d);
  }

  /**
   * Draws and weights the particles at time 0. In conditional mode particle 0 is set to the first
   * state of `reference` (a flat T × d trajectory) when one is given.
   */
  start(rng: Rng, reference?: Float64Array): void {
    const { model, proposal, numParticles: n } = this;
    const initialProposal = proposal?.initial;
    const lookahead = proposal?.logLookahead !== undefined && model.numTimeSteps > 1 ? proposal : undefined;
    const conditional = reference !== undefined && this.mode.kind === "conditional";
    for (let i = 0; i < n; i++) {
      const x = this.cur.views[i];
      if (conditional && i === 0) this.copyReference(reference, 0, x);
      else if (initialProposal) initialProposal.sample(rng, x);
      else model.initial.sample(rng, x);
      let lw = initialProposal ? model.initial.logDensity(x) - initialProposal.logDensity(x) : 0;
      lw += model.observation.logDensity(x, 0);
      this.lookahead[i] = 0;
      if (lookahead && lw > Number.NEGATIVE_INFINITY) {
        const la = this.checkedLookahead(lookahead, x, 0, i);
        this.lookahead[i] = la;
        lw += la;
      }
      this.checkLogWeight(lw, 0, i);
      this.logWeights[i] = lw;
    }
    this.time = 0;
    this.resampled = false;
    this.logEvidence = 0;
    this.finishWeights(Math.log(n));
  }

  /**
   * Resamples (when the mode says so), propagates every particle to the next time and weights it.
   * In conditional mode particle 0 follows `reference`, and its ancestor is drawn by ancestor
   * sampling (Lindsten, Jordan & Schön 2014) or kept at 0.
   */
  advance(rng: Rng, reference?: Float64Array): void {
    const { model, proposal, numParticles: n, mode } = this;
    const t = this.time + 1;
    this.swap();
    const lookahead = proposal?.logLookahead !== undefined && t < model.numTimeSteps - 1 ? proposal : undefined;
    const hasPrevLookahead = proposal?.logLookahead !== undefined;
    const conditional = reference !== undefined && mode.kind === "conditional";
    const ancestors = this.ancestors;
    let baseLogSum: number;
    if (mode.kind === "conditional") {
      if (conditional) {
        this.copyReference(reference, t, this.referenceState);
        multinomialResample(rng, this.prevWeights, n, ancestors, n - 1, 1);
        ancestors[0] = mode.ancestorSampling ? this.sampleReferenceAncestor(rng, t) : 0;
      } else {
        multinomialResample(rng, this.prevWeights, n, ancestors, n, 0);
      }
      this.resampled = true;
      baseLogSum = Math.log(n);
    } else if (mode.threshold >= 1 || this.ess < mode.threshold * n) {
      mode.resample(rng, this.prevWeights, n, ancestors, n, 0);
      this.resampled = true;
      baseLogSum = Math.log(n);
    } else {
      for (let i = 0; i < n; i++) ancestors[i] = i;
      this.resampled = false;
      baseLogSum = this.logSum;
    }
    const resampled = this.resampled;
    for (let i = 0; i < n; i++) {
      const a = ancestors[i];
      const parent = this.prev.views[a];
      const x = this.cur.views[i];
      let lw = resampled ? 0 : this.prevLogWeights[a];
      if (conditional && i === 0) {
        x.set(this.referenceState);
        if (proposal) lw += model.transition.logDensity(parent, x, t) - proposal.logDensity(parent, x, t);
      } else if (proposal) {
        proposal.sample(rng, parent, t, x);
        lw += model.transition.logDensity(parent, x, t) - proposal.logDensity(parent, x, t);
      } else {
        model.transition.sample(rng, parent, t, x);
      }
      if (hasPrevLookahead) lw -= this.prevLookahead[a];
      if (lw > Number.NEGATIVE_INFINITY) lw += model.observation.logDensity(x, t);
      this.lookahead[i] = 0;
      if (lookahead && lw > Number.NEGATIVE_INFINITY) {
        const la = this.checkedLookahead(lookahead, x, t, i);
        this.lookahead[i] = la;
        lw += la;
      }
      this.checkLogWeight(lw, t, i);
      this.logWeights[i] = lw;
    }
    this.time = t;
    this.finishWeights(baseLogSum);
  }

  /**
   * Ancestor sampling: index j of the previous generation with probability ∝
   * W_{t−1}ʲ · f_t(x′_t | x_{t−1}ʲ) / η(x_{t−1}ʲ), so the reference's past is redrawn. One pass
   * for the log weights, one exp pass into the scratch, one inversion scan.
   */
  private sampleReferenceAncestor(rng: Rng, t: number): number {
    const { numParticles: n, scratch } = this;
    const transition = this.model.transition;
    let max = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < n; j++) {
      const lw = this.prevLogWeights[j];
      const v =
        lw > Number.NEGATIVE_INFINITY
          ? lw - this.prevLookahead[j] + transition.logDensity(this.prev.views[j], this.referenceState, t)
          : Number.NEGATIVE_INFINITY;
      scratch[j] = v;
      if (v > max) max = v;
    }
    // Every ancestor impossible can only mean the reference itself has zero density; keep its own past.
    if (!(max > Number.NEGATIVE_INFINITY)) return 0;
    let sum = 0;
    for (let j = 0; j < n; j++) {
      const w = Math.exp(scratch[j] - max);
      scratch[j] = w;
      sum += w;
    }
    const target = rng.uniform() * sum;
    let cum = 0;
    let last = 0;
    for (let j = 0; j < n; j++) {
      if (scratch[j] === 0) continue;
      cum += scratch[j];
      last = j;
      if (target < cum) return j;
    }
    return last;
  }

  /**
   * Sets the current generation from saved arrays (copied): time, particles (N × d), log weights
   * and look-ahead values, and the running evidence. Lets a pure kernel resume from its state.
   */
  load(
    time: number,
    particles: Float64Array,
    logWeights: Float64Array,
    lookahead: Float64Array,
    logEvidence: number,
  ): void {
    this.cur.data.set(particles);
    this.logWeights.set(logWeights);
    this.lookahead.set(lookahead);
    this.time = time;
    this.logEvidence = logEvidence;
    this.normalizeCurrent();
  }

  private finishWeights(baseLogSum: number): void {
    this.normalizeCurrent();
    this.logEvidenceIncrement = this.logSum - baseLogSum;
    this.logEvidence += this.logEvidenceIncrement;
  }

  private normalizeCurrent(): void {
    const n = this.numParticles;
    const t = this.time;
    const logSum = normalizeLogWeights(this.logWeights, n, this.weights);
    if (logSum === Number.NEGATIVE_INFINITY) {
      throw new DomainError({
        where: this.where,
        what: `every particle has zero weight at time ${t}`,
        got: "all log weights −Infinity",
        expected: "at least one particle with positive weight",
        hint: "the observation at this time is impossible under every particle: increase numParticles, use a guided proposal, or check the observation model.",
      });
    }
    this.logSum = logSum;
    this.ess = effectiveSampleSize(this.weights, n);
    if (this.proposal?.logLookahead !== undefined) {
      for (let i = 0; i < n; i++) this.scratch[i] = this.logWeights[i] - this.lookahead[i];
      normalizeLogWeights(this.scratch, n, this.filterWeights);
    } else {
      this.filterWeights.set(this.weights);
    }
  }

  private swap(): void {
    const buffer = this.cur;
    this.cur = this.prev;
    this.prev = buffer;
    let a = this.logWeights;
    this.logWeights = this.prevLogWeights;
    this.prevLogWeights = a;
    a = this.weights;
    this.weights = this.prevWeights;
    this.prevWeights = a;
    a = this.filterWeights;
    this.filterWeights = this.prevFilterWeights;
    this.prevFilterWeights = a;
    a = this.lookahead;
    this.lookahead = this.prevLookahead;
    this.prevLookahead = a;
  }

  private copyReference(reference: Float64Array, t: number, out: Float64Array): void {
    const d = this.stateDimension;
    for (let k = 0; k < d; k++) out[k] = reference[t * d + k];
  }

  private checkedLookahead(proposal: Proposal, x: Float64Array, t: number, i: number): number {
    const la = proposal.logLookahead!(x, t);
    if (!Number.isFinite(la)) {
      throw new DomainError({
        where: this.where,
        what: `the look-ahead log weight of particle ${i} at time ${t} is not finite`,
        got: describeValue(la),
        expected: "a finite number",
        hint: "logLookahead must be finite wherever the proposal can put a particle.",
      });
    }
    return la;
  }

  private checkLogWeight(lw: number, t: number, i: number): void {
    if (!(lw < Number.POSITIVE_INFINITY)) {
      throw new DomainError({
        where: this.where,
        what: `the log weight of particle ${i} at time ${t} is not a number below +Infinity`,
        got: describeValue(lw),
        expected: "a number in [−Infinity, +Infinity)",
        hint: "a log density (observation, transition or proposal) returned NaN or +Infinity there.",
      });
    }
  }
}
