/**
 * Minibatched log densities for stochastic variational inference on large data: the gradient of
 * each step uses a random subset of the observations with its log likelihood scaled by N/B, an
 * unbiased estimate of the full log density (Hoffman, Blei, Wang & Paisley 2013).
 *
 * @module
 */
import { DomainError, describeValue } from "../../core/errors.js";
import type { Rng } from "../../core/rng.js";

/**
 * A log density whose every evaluation sees only the current minibatch. ADVI calls
 * `nextBatch(rng)` once per gradient step, before the Monte Carlo draws of that step, so every
 * draw of a step sees the same batch. `logDensityAndGrad` must return an unbiased estimate of the
 * full log density on the unconstrained scale (log|J| included): prior terms once, the batch's
 * log likelihood multiplied by N / batchSize.
 *
 * @example
 * ```ts
 * const batches: MinibatchDensity = createMinibatch({ numObservations: 1e6, batchSize: 256, logPrior, logLikelihood });
 * fitAdvi(model, { family: "meanfield", seed: 1, minibatch: batches });
 * ```
 */
export interface MinibatchDensity {
  /** Picks the batch the following evaluations use. */
  nextBatch(rng: Rng): void;
  /** Scaled log density estimate at θ; writes its gradient into `grad` (overwritten). */
  logDensityAndGrad(theta: Float64Array, grad: Float64Array): number;
}

/**
 * The pieces of a model with independent observations, for {@link createMinibatch}.
 *
 * @example
 * ```ts
 * const spec: MinibatchSpec = {
 *   numObservations: y.length,
 *   batchSize: 100,
 *   logPrior: (theta, grad) => { grad.fill(0); return 0; },
 *   logLikelihood: (theta, indices, count, grad) => { grad.fill(0); let s = 0; for (let k = 0; k < count; k++) s += ll(theta, indices[k], grad); return s; },
 * };
 * ```
 */
export interface MinibatchSpec {
  /** N, the number of observations. */
  readonly numObservations: number;
  /** B, the number of observations per batch (1 ≤ B ≤ N). */
  readonly batchSize: number;
  /** Log prior of θ on the unconstrained scale, log|J| included; writes ∇ into `grad` (overwritten). */
  logPrior(theta: Float64Array, grad: Float64Array): number;
  /**
   * Unscaled sum of the log likelihoods of observations `indices[0 … count−1]`; writes its
   * gradient into `grad` (overwritten).
   */
  logLikelihood(theta: Float64Array, indices: Int32Array, count: number, grad: Float64Array): number;
}

/**
 * Builds a {@link MinibatchDensity} that samples B of the N observations without replacement for
 * each step (a partial Fisher–Yates shuffle of a reused permutation, so nothing is allocated per
 * step) and returns log prior + (N/B)·Σ_batch log likelihood.
 *
 * @throws DomainError unless 1 ≤ batchSize ≤ numObservations are integers.
 * @example
 * ```ts
 * const minibatch = createMinibatch({ numObservations: n, batchSize: 64, logPrior, logLikelihood });
 * ```
 */
export function createMinibatch(spec: MinibatchSpec): MinibatchDensity {
  const N = spec.numObservations;
  const B = spec.batchSize;
  if (!Number.isInteger(N) || N < 1 || !Number.isInteger(B) || B < 1 || B > N) {
    throw new DomainError({
      where: "createMinibatch",
      what: "batchSize must be an integer between 1 and numObservations",
      got: `batchSize ${describeValue(B)}, numObservations ${describeValue(N)}`,
      expected: "integers with 1 ≤ batchSize ≤ numObservations",
    });
  }
  const permutation = new Int32Array(N);
  for (let i = 0; i < N; i++) permutation[i] = i;
  const batch = permutation.subarray(0, B);
  const scale = N / B;
  let likelihoodGrad = new Float64Array(0);
  return {
    nextBatch(rng) {
      for (let i = 0; i < B; i++) {
        const j = i + Math.floor(rng.uniform() * (N - i));
        const t = permutation[i];
        permutation[i] = permutation[j];
        permutation[j] = t;
      }
    },
    logDensityAndGrad(theta, grad) {
      if (likelihoodGrad.length !== grad.length) likelihoodGrad = new Float64Array(grad.length);
      const prior = spec.logPrior(theta, grad);
      const likelihood = spec.logLikelihood(theta, batch, B, likelihoodGrad);
      for (let i = 0; i < grad.length; i++) grad[i] += scale * likelihoodGrad[i];
      return prior + scale * likelihood;
    },
  };
}
