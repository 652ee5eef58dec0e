/**
 * Automatic differentiation variational inference (ADVI; Kucukelbir, Tran, Ranganath, Gelman &
 * Blei 2017, JMLR 18(14)) as a kernel with the backend shape of DESIGN.md §4: `init` binds a model
 * and returns the optimiser state, `step` takes one stochastic gradient step on the ELBO and
 * returns a new state.
 *
 * The ELBO of a Gaussian q on the unconstrained space is E_q[log p(θ)] + H[q] (log|J| is inside
 * log p). Its gradient is estimated with the reparameterisation θ = μ + S·ξ, ξ ~ N(0, I):
 * ∇ELBO ≈ (1/M) Σₘ (∂θ/∂params)ᵀ ∇log p(θₘ) + ∇H, with the entropy term exact. The parameters
 * move by Adam (Kingma & Ba 2015) with learning rate stepSize · schedule(t).
 *
 * @module
 */
import { CapabilityError, DomainError, describeValue, ShapeError } from "../../core/errors.js";
import type { Rng } from "../../core/rng.js";
import { findInitialPosition } from "../mcmc/init.js";
import type { DensityModel } from "../model/density_model.js";
import { createFamily, type FamilySpec, type GaussianFamily } from "./families.js";
import type { MinibatchDensity } from "./minibatch.js";

/**
 * Build-time choices of the ADVI kernel.
 *
 * @example
 * ```ts
 * const choices: AdviChoices = { family: "fullrank", gradSamples: 4 };
 * ```
 */
export interface AdviChoices {
  /** Variational family (default `'meanfield'`). */
  readonly family?: FamilySpec;
  /**
   * Monte Carlo draws per gradient estimate (default 4; Stan uses 1). Four draws halve the
   * gradient noise for four times the cost of a step, which lets the relative-ELBO rule stop much
   * nearer the optimum on flat directions (e.g. τ of the non-centred eight schools).
   */
  readonly gradSamples?: number;
  /** Adam's first-moment decay β₁ (default 0.9). */
  readonly beta1?: number;
  /** Adam's second-moment decay β₂ (default 0.999). */
  readonly beta2?: number;
  /** Adam's denominator guard ε (default 1e-8). */
  readonly epsilon?: number;
  /**
   * Multiplier of the base step size at step t = 1, 2, … (default {@link defaultSchedule}).
   * Must return a finite positive number.
   */
  readonly schedule?: (t: number) => number;
  /**
   * Move μ in units of q's own marginal sd: Δμᵢ = rate·σᵢ·m̂ᵢ/(√v̂ᵢ + ε) (default true). Plain Adam
   * moves every coordinate by about `rate` per step whatever its scale, which throws draws far
   * outside the posterior for tightly determined coordinates; scaling by σᵢ keeps each step a
   * fixed fraction of q's width, a diagonal trust region.
   */
  readonly scaleMeanStep?: boolean;
  /** Take gradients on minibatches instead of the full model (see {@link MinibatchDensity}). */
  readonly minibatch?: MinibatchDensity;
}

/**
 * The default step-size schedule: constant for the first 250 steps, then decaying as
 * (t/250)^(−1/2). The decay makes the stationary jitter of the stochastic optimiser shrink as the
 * run goes on (a Robbins–Monro-type sequence), while the flat start lets the mean travel from the
 * initial point quickly.
 *
 * @example
 * ```ts
 * defaultSchedule(100); // 1
 * defaultSchedule(1000); // 0.5
 * ```
 */
export function defaultSchedule(t: number): number {
  return t <= 250 ? 1 : Math.sqrt(250 / t);
}

/**
 * The ADVI optimiser state. States are never mutated by {@link AdviKernel.step}.
 *
 * @example
 * ```ts
 * const state: AdviState = kernel.init(model, rng);
 * state.params.subarray(0, model.dimension); // the mean μ
 * ```
 */
export interface AdviState {
  /** Gradient steps taken since `init`. */
  readonly iteration: number;
  /** Packed variational parameters [μ, ω, factor…] (see {@link GaussianFamily}). */
  readonly params: Float64Array;
  /** Adam's first moment. */
  readonly firstMoment: Float64Array;
  /** Adam's second moment. */
  readonly secondMoment: Float64Array;
  /** Base step size η; the step at iteration t uses η·schedule(t). */
  readonly stepSize: number;
  /** The single-step ELBO estimate of the last step (NaN before the first step). */
  readonly elbo: number;
}

/**
 * A state whose fields a kernel may overwrite: the target of {@link AdviKernel.stepInto}.
 *
 * @example
 * ```ts
 * const out: AdviStateBuffer = kernel.allocateState();
 * kernel.stepInto(rng, state, out);
 * ```
 */
export type AdviStateBuffer = { -readonly [K in keyof AdviState]: AdviState[K] };

/**
 * What one step reports.
 *
 * @example
 * ```ts
 * const { info } = kernel.step(rng, state);
 * if (!info.isFinite) console.log("step rejected");
 * ```
 */
export interface AdviInfo {
  /** Monte Carlo ELBO estimate from this step's draws, at the parameters before the step. */
  readonly elbo: number;
  /** False when a log density or a gradient was not finite; the state was then left unchanged. */
  readonly isFinite: boolean;
}

/**
 * A Monte Carlo estimate of the ELBO from {@link AdviKernel.estimateElbo}.
 *
 * @example
 * ```ts
 * const { elbo, numNonFinite } = kernel.estimateElbo(rng, state, 100);
 * ```
 */
export interface ElboEstimate {
  /** (1/S) Σ log p(θₛ) + H[q]; not finite when some draw had a non-finite log density. */
  readonly elbo: number;
  /** Draws whose log density was not finite. */
  readonly numNonFinite: number;
  /** Monte Carlo standard error of the estimate, sd(log p(θₛ)) / √S (NaN when not finite). */
  readonly standardError: number;
  /** The first non-finite log density seen (NaN, −Infinity), or undefined. */
  readonly firstNonFinite?: number;
  /** The unconstrained draw where that happened (a copy). */
  readonly firstNonFinitePoint?: Float64Array;
}

/**
 * The ADVI kernel. `init` binds one model (and allocates every buffer a step needs); a kernel
 * serves one model and one optimisation at a time.
 *
 * @example
 * ```ts
 * const kernel = buildKernel({ family: "meanfield" });
 * let state = kernel.init(model, rng, { stepSize: 0.1 });
 * for (let t = 0; t < 1000; t++) state = kernel.step(rng, state).state;
 * ```
 */
export interface AdviKernel {
  /** The family, available after `init`. */
  readonly family: GaussianFamily;
  /** The bound model, available after `init`. */
  readonly model: DensityModel;
  /**
   * Binds `model` and returns the state with μ at `position` (default: a uniform(−2, 2) draw with
   * finite log density, as Stan), marginal scales `initialScale` (default 1, as Stan; the
   * off-diagonal factor starts at 0) and base step size `stepSize` (default 0.1).
   */
  init(
    model: DensityModel,
    rng: Rng,
    options?: { readonly position?: Float64Array; readonly stepSize?: number; readonly initialScale?: Float64Array },
  ): AdviState;
  /** One Adam step on the ELBO; returns a fresh state (or `state` itself when `isFinite` is false). */
  step(rng: Rng, state: AdviState): { readonly state: AdviState; readonly info: AdviInfo };
  /** The same step written into `out` (which must not share arrays with `state`): no allocation. */
  stepInto(rng: Rng, state: AdviState, out: AdviStateBuffer): AdviInfo;
  /** A state with fresh arrays, for {@link AdviKernel.stepInto}. */
  allocateState(): AdviStateBuffer;
  /** ELBO estimate with `numDraws` draws from q and the full model's log density. */
  estimateElbo(rng: Rng, state: AdviState, numDraws: number): ElboEstimate;
}

function checkPositive(name: string, value: number, below?: number): void {
  if (!(value > 0) || !Number.isFinite(value) || (below !== undefined && !(value < below))) {
    throw new DomainError({
      where: "advi",
      what: `${name} out of range`,
      got: describeValue(value),
      expected: below === undefined ? "a finite value > 0" : `a value in (0, ${below})`,
    });
  }
}

/**
 * Refuses models with discrete latents: the reparameterisation gradient needs ∇θ log p for every
 * coordinate.
 *
 * @throws CapabilityError naming the first discrete latent.
 * @example
 * ```ts
 * requireContinuousLatents(model); // throws for a model with a poisson latent
 * ```
 */
export function requireContinuousLatents(model: DensityModel): void {
  const discrete = model.discreteLatents;
  if (discrete.length === 0) return;
  const name = discrete[0];
  const more = discrete.length > 1 ? ` (and ${discrete.slice(1).join(", ")})` : "";
  throw new CapabilityError({
    where: "advi",
    what: `latent '${name}'${more} is discrete; ADVI needs the gradient of the log density in every latent`,
    got: `discrete latent '${name}'`,
    expected: "continuous latents only",
    hint: `marginalise '${name}' out of the model, or use smc (or closed-form VB for a conjugate sparse hierarchy).`,
  });
}

/**
 * Builds an ADVI kernel.
 *
 * @throws DomainError for invalid choices (non-positive gradSamples, β outside (0, 1), …).
 * @example
 * ```ts
 * const kernel = buildKernel({ family: { kind: "lowrank", rank: 2 }, gradSamples: 2 });
 * ```
 */
export function buildKernel(choices: AdviChoices = {}): AdviKernel {
  const spec = choices.family ?? "meanfield";
  const gradSamples = choices.gradSamples ?? 4;
  const beta1 = choices.beta1 ?? 0.9;
  const beta2 = choices.beta2 ?? 0.999;
  const epsilon = choices.epsilon ?? 1e-8;
  const schedule = choices.schedule ?? defaultSchedule;
  const minibatch = choices.minibatch;
  if (!Number.isInteger(gradSamples) || gradSamples < 1) {
    throw new DomainError({
      where: "advi",
      what: "gradSamples must be a positive integer",
      got: describeValue(gradSamples),
      expected: "an integer ≥ 1",
    });
  }
  checkPositive("beta1", beta1, 1);
  checkPositive("beta2", beta2, 1);
  checkPositive("epsilon", epsilon);

  let family: GaussianFamily | undefined;
  let model: DensityModel | undefined;
  let noise = new Float64Array(0);
  let theta = new Float64Array(0);
  let gradTheta = new Float64Array(0);
  let gradParams = new Float64Array(0);
  let meanScale = new Float64Array(0);
  const scaleMeanStep = choices.scaleMeanStep ?? true;

  const bound = (): { family: GaussianFamily; model: DensityModel } => {
    if (!family || !model) {
      throw new DomainError({
        where: "advi",
        what: "the kernel is not bound to a model",
        hint: "call kernel.init(model, rng) first.",
      });
    }
    return { family, model };
  };

  const checkState = (state: AdviState, q: GaussianFamily) => {
    if (state.params.length !== q.numParams) {
      throw new ShapeError({
        where: "advi",
        what: "state does not belong to this kernel's family and model",
        got: `${state.params.length} parameters`,
        expected: String(q.numParams),
      });
    }
  };

  const allocateState = (): AdviStateBuffer => {
    const q = bound().family;
    return {
      iteration: 0,
      params: new Float64Array(q.numParams),
      firstMoment: new Float64Array(q.numParams),
      secondMoment: new Float64Array(q.numParams),
      stepSize: 0,
      elbo: Number.NaN,
    };
  };

  const stepInto = (rng: Rng, state: AdviState, out: AdviStateBuffer): AdviInfo => {
    const { family: q, model: p } = bound();
    checkState(state, q);
    const params = state.params;
    q.prepare(params);
    gradParams.fill(0);
    if (minibatch) minibatch.nextBatch(rng);
    let sumLogDensity = 0;
    for (let m = 0; m < gradSamples; m++) {
      for (let i = 0; i < noise.length; i++) noise[i] = rng.normal();
      q.draw(params, noise, theta);
      const lp = minibatch ? minibatch.logDensityAndGrad(theta, gradTheta) : p.logDensityAndGrad(theta, gradTheta);
      if (!Number.isFinite(lp)) return { elbo: lp, isFinite: false };
      sumLogDensity += lp;
      q.addSampleGradient(params, noise, gradTheta, gradParams);
    }
    const inv = 1 / gradSamples;
    for (let j = 0; j < gradParams.length; j++) gradParams[j] *= inv;
    q.addEntropyGradient(params, gradParams, 1);
    const elbo = sumLogDensity * inv + q.entropy();
    for (let j = 0; j < gradParams.length; j++) {
      if (!Number.isFinite(gradParams[j])) return { elbo, isFinite: false };
    }
    const t = state.iteration + 1;
    const rate = state.stepSize * schedule(t);
    const correction1 = 1 - beta1 ** t;
    const correction2 = 1 - beta2 ** t;
    const m1 = state.firstMoment;
    const m2 = state.secondMoment;
    const outParams = out.params;
    const outM1 = out.firstMoment;
    const outM2 = out.secondMoment;
    if (scaleMeanStep) q.marginalSd(params, meanScale);
    for (let j = 0; j < gradParams.length; j++) {
      const g = gradParams[j];
      const a = beta1 * m1[j] + (1 - beta1) * g;
      const b = beta2 * m2[j] + (1 - beta2) * g * g;
      outM1[j] = a;
      outM2[j] = b;
      // Ascent on the ELBO.
      const move = (rate * (a / correction1)) / (Math.sqrt(b / correction2) + epsilon);
      outParams[j] = params[j] + (scaleMeanStep && j < meanScale.length ? move * meanScale[j] : move);
    }
    out.iteration = t;
    out.stepSize = state.stepSize;
    out.elbo = elbo;
    return { elbo, isFinite: true };
  };

  return {
    get family() {
      return bound().family;
    },
    get model() {
      return bound().model;
    },
    init(target, rng, options = {}) {
      requireContinuousLatents(target);
      const d = target.dimension;
      const q = createFamily(spec, d);
      const stepSize = options.stepSize ?? 0.1;
      checkPositive("stepSize", stepSize);
      let position: Float64Array;
      if (options.position) {
        if (options.position.length !== d) {
          throw new ShapeError({
            where: "advi",
            what: "initial position has the wrong length",
            got: String(options.position.length),
            expected: `${d} (the model's unconstrained dimension)`,
          });
        }
        position = options.position;
      } else {
        position = findInitialPosition(rng, target, 2, 100, "advi");
      }
      family = q;
      model = target;
      noise = new Float64Array(q.noiseDimension);
      theta = new Float64Array(d);
      gradTheta = new Float64Array(d);
      gradParams = new Float64Array(q.numParams);
      meanScale = new Float64Array(d);
      const state = allocateState();
      q.initialize(position, state.params);
      if (options.initialScale !== undefined) {
        for (let i = 0; i < d; i++) state.params[d + i] = Math.log(options.initialScale[i]);
      }
      state.stepSize = stepSize;
      return state;
    },
    step(rng, state) {
      const out = allocateState();
      const info = stepInto(rng, state, out);
      return { state: info.isFinite ? out : state, info };
    },
    stepInto,
    allocateState,
    estimateElbo(rng, state, numDraws) {
      const { family: q, model: p } = bound();
      checkState(state, q);
      q.prepare(state.params);
      let mean = 0;
      let m2 = 0;
      let numNonFinite = 0;
      let firstNonFinite: number | undefined;
      let firstNonFinitePoint: Float64Array | undefined;
      for (let s = 0; s < numDraws; s++) {
        for (let i = 0; i < noise.length; i++) noise[i] = rng.normal();
        q.draw(state.params, noise, theta);
        const lp = p.logDensity(theta);
        if (!Number.isFinite(lp)) {
          numNonFinite++;
          if (firstNonFinite === undefined) {
            firstNonFinite = lp;
            firstNonFinitePoint = theta.slice();
          }
        }
        const delta = lp - mean;
        mean += delta / (s + 1);
        m2 += delta * (lp - mean);
      }
      return {
        elbo: mean + q.entropy(),
        standardError: numDraws > 1 ? Math.sqrt(m2 / (numDraws - 1) / numDraws) : Number.NaN,
        numNonFinite,
        ...(firstNonFinite !== undefined ? { firstNonFinite, firstNonFinitePoint } : {}),
      };
    },
  };
}
