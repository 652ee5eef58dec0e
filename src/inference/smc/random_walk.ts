import { CapabilityError, DomainError, describeValue } from "../../core/errors.js";
import type { Rng } from "../../core/rng.js";
import { dpotrf } from "../../kernels/cholesky.js";

/**
 * A static target for tempered SMC: π_β(θ) ∝ p(θ)·L(θ)^β on ℝ^d, from the prior (β = 0) to the
 * posterior (β = 1). A compiled `DensityModel` provides this shape through
 * {@link temperingTarget}; it can also be written by hand.
 *
 * @example
 * ```ts
 * const target: TemperingTarget = {
 *   dimension: 1,
 *   logPrior: (theta) => -0.5 * theta[0] ** 2,
 *   logLikelihood: (theta) => -0.5 * (2 - theta[0]) ** 2,
 *   samplePrior: (rng, out) => { out[0] = rng.normal(); return out; },
 * };
 * ```
 */
export interface TemperingTarget {
  /** Length d of θ. */
  readonly dimension: number;
  /** log p(θ) (including any log|J| of a change of variables); `-Infinity` outside the support, never NaN. */
  logPrior(theta: Float64Array): number;
  /** log L(θ) = log p(y | θ); `-Infinity` allowed, never NaN. */
  logLikelihood(theta: Float64Array): number;
  /** One prior draw written into `out` (length d); returns `out` or another array holding the draw. */
  samplePrior(rng: Rng, out: Float64Array): Float64Array;
  /** Names of discrete coordinates; the random-walk move refuses a target that has any. */
  readonly discreteLatents?: readonly string[];
}

/**
 * The cached densities of one particle, updated in place by a {@link TemperedMove}.
 *
 * @example
 * ```ts
 * const cache: DensityCache = { logPrior: -1.2, logLikelihood: -30.5 };
 * ```
 */
export interface DensityCache {
  logPrior: number;
  logLikelihood: number;
}

/**
 * An MCMC move that leaves π_β invariant, applied to every particle after resampling.
 *
 * @example
 * ```ts
 * const move: TemperedMove = {
 *   step(rng, position, cache, temperature, scale) { ...; return acceptanceProbability; },
 * };
 * ```
 */
export interface TemperedMove {
  /**
   * Called once per SMC step with the resampled, equally weighted cloud (N × d, read-only) before
   * any particle moves: the place to fit a proposal to the cloud. Must depend only on its inputs.
   */
  prepare?(particles: Float64Array, numParticles: number, temperature: number): void;
  /**
   * One π_β-invariant transition of `position` (length d; overwritten with the new point).
   * `cache` holds log p and log L at `position` on entry and must hold them at the new point on
   * exit. `scale` is the adaptive proposal scale the kernel carries in its state (ignore it if
   * unused). Returns the acceptance probability, which drives the scale adaptation.
   */
  step(rng: Rng, position: Float64Array, cache: DensityCache, temperature: number, scale: number): number;
}

/**
 * Choices of the random-walk Metropolis move.
 *
 * @example
 * ```ts
 * const choices: RandomWalkChoices = { covariance: "diag" };
 * ```
 */
export interface RandomWalkChoices {
  /**
   * Proposal covariance fitted to the cloud: `dense` (the particles' covariance, O(d²) per
   * proposal; default) or `diag` (their variances, O(d)).
   */
  readonly covariance?: "dense" | "diag";
}

/**
 * π_β on the log scale without forming 0·(−∞) at β = 0.
 *
 * @example
 * ```ts
 * temperedLogDensity(-1, Number.NEGATIVE_INFINITY, 0); // -1
 * ```
 */
export function temperedLogDensity(logPrior: number, logLikelihood: number, temperature: number): number {
  return temperature === 0 ? logPrior : logPrior + temperature * logLikelihood;
}

/**
 * Random-walk Metropolis for tempered SMC: proposals θ′ = θ + s·L·z, z ~ N(0, I), where L L′ is
 * the covariance of the current particle cloud (or its diagonal) and s the kernel's adaptive
 * scale, which starts at 2.38/√d (Roberts, Gelman & Gilks 1997) and is tuned towards acceptance
 * 0.234. Fitting the proposal to the cloud is what makes the move work without hand tuning
 * (Chopin 2002; Jasra et al. 2011). A cloud whose covariance is not positive definite falls back
 * to the diagonal.
 *
 * @throws CapabilityError when the target has discrete coordinates.
 * @example
 * ```ts
 * const move = createRandomWalkMove(target, { covariance: "dense" });
 * ```
 */
export function createRandomWalkMove(target: TemperingTarget, choices: RandomWalkChoices = {}): TemperedMove {
  const where = "temperedSmc";
  const discrete = target.discreteLatents ?? [];
  if (discrete.length > 0) {
    throw new CapabilityError({
      where,
      what: `latent '${discrete[0]}' is discrete; the random-walk move needs continuous coordinates`,
      got: `discrete latents ${discrete.join(", ")}`,
      expected: "continuous latents only",
      hint: "pass a move for the discrete coordinates (choices.move), or marginalise them.",
    });
  }
  const covariance = choices.covariance ?? "dense";
  if (covariance !== "dense" && covariance !== "diag") {
    throw new DomainError({
      where,
      what: "unknown covariance option",
      got: describeValue(covariance),
      expected: "'dense' or 'diag'",
    });
  }
  const d = target.dimension;
  const mean = new Float64Array(d);
  const factor = new Float64Array(d * d); // lower Cholesky factor, row-major
  const sd = new Float64Array(d);
  const z = new Float64Array(d);
  const proposal = new Float64Array(d);
  let dense = covariance === "dense";

  return {
    prepare(particles: Float64Array, numParticles: number): void {
      mean.fill(0);
      for (let i = 0; i < numParticles; i++) for (let k = 0; k < d; k++) mean[k] += particles[i * d + k];
      for (let k = 0; k < d; k++) mean[k] /= numParticles;
      factor.fill(0);
      for (let i = 0; i < numParticles; i++) {
        const row = i * d;
        for (let a = 0; a < d; a++) {
          const ea = particles[row + a] - mean[a];
          for (let b = 0; b <= a; b++) factor[a * d + b] += ea * (particles[row + b] - mean[b]);
        }
      }
      let meanVariance = 0;
      for (let a = 0; a < d; a++) {
        for (let b = 0; b <= a; b++) factor[a * d + b] /= numParticles;
        meanVariance += factor[a * d + a] / d;
      }
      // A collapsed cloud (all copies of one point) would freeze the walk: keep a floor of scale.
      const floor = Math.max(meanVariance * 1e-10, 1e-20);
      for (let k = 0; k < d; k++) sd[k] = Math.sqrt(Math.max(factor[k * d + k], floor));
      dense = covariance === "dense";
      if (dense) {
        for (let k = 0; k < d; k++) factor[k * d + k] += floor;
        if (dpotrf("L", d, factor, d) !== 0) dense = false;
      }
    },
    step(rng: Rng, position: Float64Array, cache: DensityCache, temperature: number, scale: number): number {
      for (let k = 0; k < d; k++) z[k] = rng.normal();
      if (dense) {
        for (let a = 0; a < d; a++) {
          let s = 0;
          for (let b = 0; b <= a; b++) s += factor[a * d + b] * z[b];
          proposal[a] = position[a] + scale * s;
        }
      } else {
        for (let k = 0; k < d; k++) proposal[k] = position[k] + scale * sd[k] * z[k];
      }
      const logPrior = target.logPrior(proposal);
      checkDensity(where, "logPrior", logPrior);
      if (logPrior === Number.NEGATIVE_INFINITY) return 0;
      const logLikelihood = target.logLikelihood(proposal);
      checkDensity(where, "logLikelihood", logLikelihood);
      const logRatio =
        temperedLogDensity(logPrior, logLikelihood, temperature) -
        temperedLogDensity(cache.logPrior, cache.logLikelihood, temperature);
      const accept = logRatio >= 0 ? 1 : Math.exp(logRatio);
      if (logRatio >= 0 || Math.log(rng.uniform()) < logRatio) {
        position.set(proposal);
        cache.logPrior = logPrior;
        cache.logLikelihood = logLikelihood;
      }
      return accept;
    },
  };
}

/**
 * Refuses NaN and +Infinity from a target's log density.
 *
 * @throws DomainError naming the function.
 * @example
 * ```ts
 * checkDensity("temperedSmc", "logLikelihood", value);
 * ```
 */
export function checkDensity(where: string, name: string, value: number): void {
  if (!(value < Number.POSITIVE_INFINITY)) {
    throw new DomainError({
      where,
      what: `target.${name} returned a value that is not a number below +Infinity`,
      got: describeValue(value),
      expected: "a number in [−Infinity, +Infinity)",
    });
  }
}
