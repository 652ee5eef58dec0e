/**
 * Exact Gaussian-process regression: the surrogate of Bayesian optimisation.
 *
 * Model. Inputs are mapped affinely onto the unit cube (by the search box, or by the data's
 * range), outputs are standardised to mean 0 and standard deviation 1, and on that scale
 *   f ~ GP(0, σf²·ρ(r²)),  r² = Σₖ (xₖ − x′ₖ)²/ℓₖ²,  yᵢ = f(xᵢ) + εᵢ,  εᵢ ~ N(0, σn²),
 * with ρ one of the kernels of `covariance.ts`. The hyper-parameters θ = (log ℓ₁ … log ℓ_d,
 * log σf², log σn²) are fitted by maximising the exact log marginal likelihood
 *   log p(y | θ) = −½ yᵀK⁻¹y − ½ log|K| − (n/2) log 2π,   K = σf²R + σn²I,
 * whose gradient is ∂/∂θⱼ = ½ tr((ααᵀ − K⁻¹) ∂K/∂θⱼ) with α = K⁻¹y (Rasmussen & Williams 2006,
 * eq. 5.9), by multi-start L-BFGS inside a box of plausible values.
 *
 * Numerics. K is factored by the runtime's Cholesky with the `'auto'` jitter policy (a rounding
 * failure adds 1e-10·mean diag and upwards; the jitter used is reported); predictions use the
 * triangular factor, never an explicit inverse; predictive variances are floored at a tiny
 * positive value so that σ = √var is always usable.
 *
 * @module
 */
import { DomainError, describeValue, SprigError } from "../../core/errors.js";
import type { Rng } from "../../core/rng.js";
import { dtrsvOffset } from "../../kernels/blas2.js";
import { dtrsmOffset } from "../../kernels/blas3.js";
import { dpotrsOffset } from "../../kernels/cholesky.js";
import { Cholesky } from "../../runtime/factor/cholesky.js";
import { factorWithJitter, type JitterAttempt } from "../../runtime/factor/jitter.js";
import { activeKernels } from "../../runtime/kernel_provider.js";
import { ownedFloat64 } from "../../runtime/operators/kernel_memory.js";
import { LN_TWO_PI } from "../../runtime/special.js";
import { type Bounds, boxOf, flattenPoints, valuesOf } from "./bounds.js";
import {
  type CovarianceKernel,
  covarianceAndSlope,
  fillCovariance,
  fillCrossCovariance,
  kernelCode,
} from "./covariance.js";
import { Lbfgs } from "../../runtime/optim/index.js";

/**
 * The hyper-parameters of a fitted GP, on the internal scale: length-scales in units of the
 * normalised inputs (the box mapped to [0, 1]^d), variances in units of the standardised outputs.
 *
 * @example
 * ```ts
 * const theta: GpHyperparameters = { lengthScales: Float64Array.of(0.3, 0.5), signalVariance: 1, noiseVariance: 1e-6 };
 * ```
 */
export interface GpHyperparameters {
  /** ARD length-scales ℓₖ > 0, one per input dimension. */
  readonly lengthScales: Float64Array;
  /** Signal variance σf² > 0. */
  readonly signalVariance: number;
  /** Observation-noise variance σn² > 0. */
  readonly noiseVariance: number;
}

/**
 * The affine maps between the user's units and the GP's internal scale:
 * x̃ = (x − inputLower)/inputScale and ỹ = (y − outputMean)/outputScale.
 *
 * @example
 * ```ts
 * const t: GpTransform = { inputLower: Float64Array.of(-5, 0), inputScale: Float64Array.of(15, 15), outputMean: 54, outputScale: 51 };
 * ```
 */
export interface GpTransform {
  /** Subtracted from each input coordinate. */
  readonly inputLower: Float64Array;
  /** Divides each shifted input coordinate (> 0). */
  readonly inputScale: Float64Array;
  /** Subtracted from the outputs. */
  readonly outputMean: number;
  /** Divides the centred outputs (> 0). */
  readonly outputScale: number;
}

/**
 * The box the hyper-parameter search stays in, on the internal scale. Bounds keep the fit away
 * from the degenerate optima of the likelihood (ℓ → 0 interpolating noise, ℓ → ∞ a constant).
 *
 * @example
 * ```ts
 * const box: HyperparameterBounds = { lengthScale: [0.01, 100], signalVariance: [0.01, 100], noiseVariance: [1e-6, 1] };
 * ```
 */
export interface HyperparameterBounds {
  /** Range of every ℓₖ (default [0.01, 100]: 1% of the box to 100 boxes). */
  readonly lengthScale: readonly [number, number];
  /** Range of σf² (default [0.01, 100]). */
  readonly signalVariance: readonly [number, number];
  /** Range of σn² (default [1e-6, 1]: deterministic objectives sit at the floor). */
  readonly noiseVariance: readonly [number, number];
}

/**
 * The default {@link HyperparameterBounds}.
 *
 * @example
 * ```ts
 * DEFAULT_HYPERPARAMETER_BOUNDS.noiseVariance; // [1e-6, 1]
 * ```
 */
export const DEFAULT_HYPERPARAMETER_BOUNDS: HyperparameterBounds = Object.freeze({
  lengthScale: [0.01, 100] as const,
  signalVariance: [0.01, 100] as const,
  noiseVariance: [1e-6, 1] as const,
});

/**
 * Options shared by {@link conditionGp} and {@link fitGp}.
 *
 * @example
 * ```ts
 * const options: GpOptions = { kernel: "matern52", bounds: [[-5, 10], [0, 15]] };
 * ```
 */
export interface GpOptions {
  /** Covariance family (default `'matern52'`). */
  readonly kernel?: CovarianceKernel;
  /** Box mapped onto [0, 1]^d; default: the range of the data in each dimension. */
  readonly bounds?: Bounds;
  /** Standardise the outputs (default true). With false the prior mean is 0 in the user's units. */
  readonly standardize?: boolean;
}

/**
 * Options of {@link fitGp}.
 *
 * @example
 * ```ts
 * const options: FitGpOptions = { kernel: "matern32", restarts: 8, noiseVariance: 0.01 };
 * ```
 */
export interface FitGpOptions extends GpOptions {
  /** A known noise variance in the user's output units (not fitted); default: fitted. */
  readonly noiseVariance?: number;
  /** Random restarts of L-BFGS besides the default and warm starts (default 4). */
  readonly restarts?: number;
  /** A warm start on the internal scale (e.g. the previous BO iteration's fit). */
  readonly initial?: GpHyperparameters;
  /** Where the hyper-parameter search may go (defaults: {@link DEFAULT_HYPERPARAMETER_BOUNDS}). */
  readonly hyperparameterBounds?: Partial<HyperparameterBounds>;
  /** Iteration cap of each L-BFGS run (default 200). */
  readonly maxIterations?: number;
  /**
   * A log-normal prior on every length-scale, turning the fit into MAP estimation: log ℓₖ ~
   * N(log median, logSd²). Default none (maximum marginal likelihood).
   */
  readonly lengthScalePrior?: LengthScalePrior;
}

/**
 * A log-normal prior on the length-scales (normalised input units): log ℓ ~ N(log median, logSd²).
 *
 * @example
 * ```ts
 * const prior: LengthScalePrior = { median: 0.5, logSd: 1 };
 * ```
 */
export interface LengthScalePrior {
  /** Median length-scale (> 0). */
  readonly median: number;
  /** Standard deviation of log ℓ (> 0). */
  readonly logSd: number;
}

/**
 * Options of {@link GpPosterior.predict}.
 *
 * @example
 * ```ts
 * posterior.predict(points, { includeNoise: true });
 * ```
 */
export interface PredictOptions {
  /** Predict a new observation y (variance + σn²) instead of the latent f (default false). */
  readonly includeNoise?: boolean;
}

/** Smallest predictive variance reported, relative to σf² (rounding can make it ≤ 0). */
const VARIANCE_FLOOR = 1e-12;
const CHOLESKY_OPTIONS = { jitter: "auto", where: "gp" } as const;
/** Points per block of {@link PointWorkspace.meanVarianceBatch}. */
const BATCH_BLOCK = 64;

/**
 * The exact log marginal likelihood of normalised data and its gradient with respect to the log
 * hyper-parameters θ = (log ℓ₁ … log ℓ_d, log σf², log σn²) — the last entry is absent when the
 * noise is fixed. All work arrays are allocated once per dataset.
 *
 * The gradient uses W = ααᵀ − K⁻¹ (K⁻¹ = U⁻¹U⁻ᵀ from a blocked triangular inverse and a dsyrk): ∂/∂log σf² = ½ Σ W∘(K − σn²I), ∂/∂log σn² = ½ σn² tr W, and
 * ∂/∂log ℓₖ = −Σᵢⱼ Wᵢⱼ σf²ρ′(r²ᵢⱼ) (xᵢₖ − xⱼₖ)²/ℓₖ². One evaluation costs a Cholesky factorisation
 * plus (with the gradient) an inverse: about n³ flops.
 *
 * @example
 * ```ts
 * const ml = new MarginalLikelihood("matern52", X, y, n, d);
 * const grad = new Float64Array(ml.dimension);
 * const logEvidence = ml.evaluate(Float64Array.of(Math.log(0.3), Math.log(0.3), 0, Math.log(1e-4)), grad);
 * ```
 */
export class MarginalLikelihood {
  /** Length of θ: d + 2, or d + 1 with fixed noise. */
  readonly dimension: number;
  /** Number of observations n. */
  readonly numObservations: number;
  /** Input dimension d. */
  readonly inputDimension: number;
  /** The covariance family. */
  readonly kernel: CovarianceKernel;
  /** The fixed noise variance (internal scale), when the noise is not fitted. */
  readonly fixedNoise: number | undefined;
  private readonly code: number;
  private readonly x: Float64Array;
  private readonly y: Float64Array;
  private readonly z: Float64Array;
  /** K = σf²R + σn²I (both triangles). */
  private readonly k: Float64Array;
  /** Slopes σf²ρ′(r²). */
  private readonly s: Float64Array;
  /** The Cholesky factor U (upper triangle; the strict lower triangle is stale). */
  private readonly u: Float64Array;
  /** U⁻¹ (upper, zero below the diagonal), then W = ααᵀ − K⁻¹ in its upper triangle. */
  private readonly inv: Float64Array;
  private readonly w: Float64Array;
  private readonly scratch: Float64Array;
  private readonly alpha: Float64Array;
  private readonly invLength: Float64Array;
  private readonly attempt: JitterAttempt;
  private lastJitter = 0;

  /**
   * @param kernel - covariance family
   * @param x - normalised inputs, n × d row-major (kept by reference; do not modify)
   * @param y - standardised outputs, length n (kept by reference)
   * @param fixedNoise - σn² on the internal scale when it is known; omit to fit it
   * @example
   * ```ts
   * const ml = new MarginalLikelihood("squared_exponential", X, y, 20, 2, 1e-6);
   * ```
   */
  constructor(kernel: CovarianceKernel, x: Float64Array, y: Float64Array, n: number, d: number, fixedNoise?: number) {
    this.code = kernelCode(kernel);
    this.kernel = kernel;
    if (x.length !== n * d || y.length !== n) {
      throw new DomainError({
        where: "gp",
        what: "inputs and outputs do not match n and d",
        got: `${x.length} input numbers and ${y.length} outputs`,
        expected: `${n * d} and ${n}`,
      });
    }
    if (fixedNoise !== undefined && !(fixedNoise > 0 && Number.isFinite(fixedNoise))) {
      throw new DomainError({
        where: "gp",
        what: "a fixed noise variance must be positive",
        got: describeValue(fixedNoise),
      });
    }
    this.fixedNoise = fixedNoise;
    this.numObservations = n;
    this.inputDimension = d;
    this.dimension = d + (fixedNoise === undefined ? 2 : 1);
    this.x = x;
    this.y = y;
    this.z = new Float64Array(n * d);
    this.k = ownedFloat64(this, n * n);
    this.s = ownedFloat64(this, n * n);
    this.u = ownedFloat64(this, n * n);
    this.inv = ownedFloat64(this, n * n);
    this.w = ownedFloat64(this, n * n);
    this.scratch = ownedFloat64(this, Math.ceil(n / 2) ** 2);
    this.alpha = new Float64Array(n);
    this.invLength = new Float64Array(d);
    const { k, u } = this;
    // The runtime's jitter policy drives the factorisation of this object's own buffer, so the
    // factor can be inverted in place without the copies the Cholesky object would make.
    this.attempt = {
      load(jitter) {
        u.set(k);
        if (jitter !== 0) for (let i = 0; i < n; i++) u[i * n + i] += jitter;
      },
      factor: () => activeKernels().dpotrf("U", n, u, Math.max(1, n), 0),
      pivotValue(p, jitter) {
        let value = k[p * n + p] + jitter;
        for (let q = 0; q < p; q++) value -= u[q * n + p] * u[q * n + p];
        return value;
      },
    };
  }

  /**
   * The jitter the last successful evaluation added to K's diagonal (0 when none).
   *
   * @example
   * ```ts
   * if (ml.jitter > 0) console.warn("K needed jitter");
   * ```
   */
  get jitter(): number {
    return this.lastJitter;
  }

  /**
   * log p(y | θ), and its gradient into `grad` when given. Returns −Infinity when K cannot be
   * factored even with jitter (so optimisers treat θ as infeasible).
   *
   * @example
   * ```ts
   * const value = ml.evaluate(theta, grad);
   * ```
   */
  evaluate(theta: Float64Array, grad?: Float64Array): number {
    const n = this.numObservations;
    const d = this.inputDimension;
    const { x, z, k, s, u, alpha, invLength } = this;
    for (let j = 0; j < d; j++) invLength[j] = Math.exp(-theta[j]);
    const signal = Math.exp(theta[d]);
    const noise = this.fixedNoise ?? Math.exp(theta[d + 1]);
    if (!Number.isFinite(signal) || !Number.isFinite(noise) || !(signal > 0) || !(noise > 0)) {
      return Number.NEGATIVE_INFINITY;
    }
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) z[i * d + j] = x[i * d + j] * invLength[j];
    fillCovariance(this.code, z, n, d, signal, k, grad ? s : undefined);
    for (let i = 0; i < n; i++) k[i * n + i] += noise;
    try {
      this.lastJitter = factorWithJitter(signal + noise, CHOLESKY_OPTIONS, this.attempt);
    } catch (error) {
      if (error instanceof SprigError) return Number.NEGATIVE_INFINITY;
      throw error;
    }
    let logDet = 0;
    for (let i = 0; i < n; i++) logDet += Math.log(u[i * n + i]);
    alpha.set(this.y);
    dpotrsOffset("U", n, 1, u, n, 0, alpha, 1, 0);
    let quad = 0;
    for (let i = 0; i < n; i++) quad += this.y[i] * alpha[i];
    const value = -0.5 * quad - logDet - 0.5 * n * LN_TWO_PI;
    if (!grad) return value;
    // K⁻¹ = U⁻¹U⁻ᵀ into the upper triangle of w, then w ← ααᵀ − K⁻¹ there.
    invertUpper(n, u, this.inv, this.scratch);
    const w = this.w;
    activeKernels().dsyrk("U", "N", n, n, 1, this.inv, Math.max(1, n), 0, 0, w, Math.max(1, n), 0);
    let traceW = 0;
    let sumWK = 0;
    for (let j = 0; j < d; j++) grad[j] = 0;
    for (let i = 0; i < n; i++) {
      const ai = alpha[i];
      const row = i * n;
      const wii = ai * ai - w[row + i];
      traceW += wii;
      for (let jj = i + 1; jj < n; jj++) {
        const wij = ai * alpha[jj] - w[row + jj];
        sumWK += 2 * wij * k[row + jj];
        const ws = -2 * wij * s[row + jj];
        for (let j = 0; j < d; j++) {
          const diff = z[i * d + j] - z[jj * d + j];
          grad[j] += ws * diff * diff;
        }
      }
    }
    grad[d] = 0.5 * (sumWK + signal * traceW);
    if (this.fixedNoise === undefined) grad[d + 1] = 0.5 * noise * traceW;
    return value;
  }
}

/** Blocks at most this large are inverted by the direct row recurrence. */
const INVERT_LEAF = 48;

/**
 * X = U⁻¹ for the upper-triangular n × n U (row-major, leading dimension n; only the upper
 * triangle is read), with zeros below the diagonal. Recursive halving,
 *   [U₁₁ U₁₂; 0 U₂₂]⁻¹ = [X₁₁, −X₁₁·U₁₂·X₂₂; 0, X₂₂],
 * puts almost all of the n³/3 flops into two dgemm calls per level (the active kernel set's, so
 * WebAssembly SIMD when it loads); the leaves use the row recurrence. `scratch` holds ⌈n/2⌉² numbers.
 */
function invertUpper(n: number, u: Float64Array, x: Float64Array, scratch: Float64Array): void {
  invertBlock(n, 0, n, u, x, scratch);
}

function invertBlock(size: number, at: number, ld: number, u: Float64Array, x: Float64Array, t: Float64Array): void {
  if (size <= INVERT_LEAF) {
    invertLeaf(size, at, ld, u, x);
    return;
  }
  const n1 = size >> 1;
  const n2 = size - n1;
  const o11 = at * ld + at;
  const o12 = o11 + n1;
  const o21 = o11 + n1 * ld;
  const o22 = o21 + n1;
  invertBlock(n1, at, ld, u, x, t);
  invertBlock(n2, at + n1, ld, u, x, t);
  for (let i = 0; i < n2; i++) x.fill(0, o21 + i * ld, o21 + i * ld + n1);
  const kernels = activeKernels();
  // T = U₁₂·X₂₂ (n1 × n2; X₂₂ is stored full with zeros below its diagonal), then X₁₂ = −X₁₁·T.
  kernels.dgemm("N", "N", n1, n2, n2, 1, u, ld, o12, x, ld, o22, 0, t, n2, 0);
  kernels.dgemm("N", "N", n1, n2, n1, -1, x, ld, o11, t, n2, 0, 0, x, ld, o12);
}

/**
 * The direct recurrence on a diagonal block: row i solves U[i, i]·X[i, :] = eᵢ − Σ_{k>i} U[i, k]·X[k, :]
 * from the bottom row up, along contiguous rows (X[k, j] = 0 for j < k).
 */
function invertLeaf(size: number, at: number, ld: number, u: Float64Array, x: Float64Array): void {
  for (let i = size - 1; i >= 0; i--) {
    const row = (at + i) * ld + at;
    x.fill(0, row, row + size);
    for (let k = i + 1; k < size; k++) {
      const a = u[row + k];
      if (a === 0) continue;
      const rk = (at + k) * ld + at;
      for (let j = k; j < size; j++) x[row + j] += a * x[rk + j];
    }
    const inv = 1 / u[row + i];
    for (let j = i + 1; j < size; j++) x[row + j] *= -inv;
    x[row + i] = inv;
  }
}

/**
 * A Gaussian-process posterior: the data, the hyper-parameters and the Cholesky factor of K,
 * with predictions in the user's units. Immutable; build it with {@link fitGp} or
 * {@link conditionGp}.
 *
 * @example
 * ```ts
 * const gp = fitGp(createRng(1), points, values, { bounds: [[0, 1], [0, 1]] });
 * const { mean, variance } = gp.predict([[0.5, 0.5]]);
 * ```
 */
export class GpPosterior {
  /** The covariance family. */
  readonly kernel: CovarianceKernel;
  /** Input dimension d. */
  readonly dimension: number;
  /** Number of observations n. */
  readonly numObservations: number;
  /** Hyper-parameters on the internal scale. */
  readonly hyperparameters: GpHyperparameters;
  /** The maps between the user's units and the internal scale. */
  readonly transform: GpTransform;
  /** log p(ỹ | θ) of the standardised outputs (add −n·log outputScale for the user's units). */
  readonly logMarginalLikelihood: number;
  /** Jitter added to K's diagonal by the factorisation (0 when none was needed). */
  readonly jitter: number;
  /** Normalised inputs, n × d row-major. */
  readonly inputs: Float64Array;
  /** Standardised outputs, length n. */
  readonly outputs: Float64Array;
  /** Inputs divided by their length-scales (z = x̃/ℓ), n × d row-major. */
  readonly scaledInputs: Float64Array;
  /** The Cholesky factor U of K = UᵀU (upper triangle, row-major n × n). */
  readonly choleskyUpper: Float64Array;
  /** α = K⁻¹ỹ, so the posterior mean at x is k(x, X)ᵀα. */
  readonly weights: Float64Array;
  /** The kernel's numeric code (what the fill functions of `covariance.ts` take). */
  readonly code: number;

  /**
   * Use {@link conditionGp} or {@link fitGp}; this constructor trusts its arguments.
   *
   * @example
   * ```ts
   * const gp = conditionGp(points, values, theta, { bounds });
   * ```
   */
  constructor(
    kernel: CovarianceKernel,
    inputs: Float64Array,
    outputs: Float64Array,
    d: number,
    hyperparameters: GpHyperparameters,
    transform: GpTransform,
  ) {
    const n = outputs.length;
    this.kernel = kernel;
    this.code = kernelCode(kernel);
    this.dimension = d;
    this.numObservations = n;
    this.hyperparameters = hyperparameters;
    this.transform = transform;
    this.inputs = inputs;
    this.outputs = outputs;
    const scaled = new Float64Array(n * d);
    const { lengthScales, signalVariance, noiseVariance } = hyperparameters;
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) scaled[i * d + j] = inputs[i * d + j] / lengthScales[j];
    this.scaledInputs = scaled;
    const k = new Float64Array(n * n);
    fillCovariance(this.code, scaled, n, d, signalVariance, k);
    for (let i = 0; i < n; i++) k[i * n + i] += noiseVariance;
    const chol = Cholesky.factor(k, n, CHOLESKY_OPTIONS);
    this.jitter = chol.jitter;
    this.choleskyUpper = chol.upper();
    this.weights = chol.solve(outputs);
    let quad = 0;
    for (let i = 0; i < n; i++) quad += outputs[i] * this.weights[i];
    this.logMarginalLikelihood = -0.5 * quad - 0.5 * chol.logDet() - 0.5 * n * LN_TWO_PI;
  }

  /**
   * Posterior mean and variance of f (or of a new observation) at each point, in the user's units.
   *
   * @throws ShapeError / DataError for malformed points.
   * @example
   * ```ts
   * const { mean, variance } = gp.predict([[0.1, 0.2], [0.3, 0.4]]);
   * ```
   */
  predict(
    points: readonly ArrayLike<number>[],
    options: PredictOptions = {},
  ): { mean: Float64Array; variance: Float64Array } {
    const d = this.dimension;
    const flat = flattenPoints("gp.predict()", points, d);
    const m = points.length;
    const mean = new Float64Array(m);
    const variance = new Float64Array(m);
    const normalized = new Float64Array(m * d);
    const xn = new Float64Array(d);
    for (let i = 0; i < m; i++) normalized.set(this.normalize(flat, i * d, xn), i * d);
    this.createWorkspace().meanVarianceBatch(normalized, m, mean, variance);
    const { outputMean, outputScale } = this.transform;
    const extra = options.includeNoise ? this.hyperparameters.noiseVariance : 0;
    for (let i = 0; i < m; i++) {
      mean[i] = outputMean + outputScale * mean[i];
      variance[i] = outputScale * outputScale * (variance[i] + extra);
    }
    return { mean, variance };
  }

  /**
   * Joint posterior of f at the points: the mean (m) and the covariance (m × m row-major), in the
   * user's units. Costs n²m + nm² flops.
   *
   * @example
   * ```ts
   * const { mean, covariance } = gp.predictCovariance([[0.1], [0.2], [0.3]]);
   * ```
   */
  predictCovariance(points: readonly ArrayLike<number>[]): { mean: Float64Array; covariance: Float64Array } {
    const d = this.dimension;
    const n = this.numObservations;
    const m = points.length;
    const flat = flattenPoints("gp.predictCovariance()", points, d);
    const { outputMean, outputScale } = this.transform;
    const { signalVariance, lengthScales } = this.hyperparameters;
    const zs = new Float64Array(m * d);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < d; j++) {
        zs[i * d + j] =
          (flat[i * d + j] - this.transform.inputLower[j]) / this.transform.inputScale[j] / lengthScales[j];
      }
    }
    // B = K(X, X*) (n × m), then V = L⁻¹B = U⁻ᵀB; cov = K(X*, X*) − VᵀV.
    const row = new Float64Array(n);
    const v = new Float64Array(n * m);
    const mean = new Float64Array(m);
    for (let i = 0; i < m; i++) {
      fillCrossCovariance(this.code, zs, i * d, this.scaledInputs, n, d, signalVariance, row);
      let mu = 0;
      for (let j = 0; j < n; j++) {
        v[j * m + i] = row[j];
        mu += row[j] * this.weights[j];
      }
      mean[i] = outputMean + outputScale * mu;
    }
    dtrsmOffset("L", "U", "T", "N", n, m, 1, this.choleskyUpper, Math.max(1, n), 0, v, Math.max(1, m), 0);
    const covariance = new Float64Array(m * m);
    fillCovariance(this.code, zs, m, d, signalVariance, covariance);
    if (n > 0 && m > 0) activeKernels().dgemm("T", "N", m, m, n, -1, v, m, 0, v, m, 0, 1, covariance, m, 0);
    const s2 = outputScale * outputScale;
    for (let i = 0; i < m * m; i++) covariance[i] *= s2;
    return { mean, covariance };
  }

  /**
   * A reusable evaluator of the posterior at single points on the internal scale (normalised
   * inputs, standardised outputs), with gradients: what acquisitions use in their inner loops.
   *
   * @example
   * ```ts
   * const work = gp.createWorkspace();
   * work.at(Float64Array.of(0.5, 0.5), true); // work.mean, work.variance, work.meanGradient, ...
   * ```
   */
  createWorkspace(): PointWorkspace {
    return new PointWorkspace(this);
  }

  /**
   * Maps a point in the user's units (read from `source` at `offset`) onto the normalised scale.
   *
   * @example
   * ```ts
   * gp.normalize(Float64Array.of(2.5, 7.5), 0, out); // out = [0.5, 0.5] for the Branin box
   * ```
   */
  normalize(source: ArrayLike<number>, offset: number, out: Float64Array): Float64Array {
    const { inputLower, inputScale } = this.transform;
    for (let j = 0; j < this.dimension; j++) out[j] = (source[offset + j] - inputLower[j]) / inputScale[j];
    return out;
  }

  /**
   * Maps a normalised point back to the user's units.
   *
   * @example
   * ```ts
   * gp.denormalize(Float64Array.of(0.5, 0.5), out); // out = [2.5, 7.5] for the Branin box
   * ```
   */
  denormalize(normalized: Float64Array, out: Float64Array): Float64Array {
    const { inputLower, inputScale } = this.transform;
    for (let j = 0; j < this.dimension; j++) out[j] = inputLower[j] + inputScale[j] * normalized[j];
    return out;
  }
}

/**
 * Evaluates a {@link GpPosterior} at one normalised point at a time, with gradients, into its own
 * buffers (no allocation per call). After {@link PointWorkspace.at}: `k` = k(x, X), `v` = L⁻¹k,
 * `mean` = kᵀα and `variance` = σf² − vᵀv (floored); with gradients also `w` = K⁻¹k,
 * `meanGradient` and `varianceGradient` (with respect to the normalised x).
 *
 * @example
 * ```ts
 * const work = gp.createWorkspace();
 * work.at(x, true);
 * const sd = Math.sqrt(work.variance);
 * ```
 */
export class PointWorkspace {
  /** k(x, Xᵢ). */
  readonly k: Float64Array;
  /** σf²ρ′(r²ᵢ), the slopes behind every input gradient. */
  readonly slope: Float64Array;
  /** L⁻¹k. */
  readonly v: Float64Array;
  /** K⁻¹k (filled when gradients are requested). */
  readonly w: Float64Array;
  /** ∂mean/∂x. */
  readonly meanGradient: Float64Array;
  /** ∂variance/∂x (0 where the variance is floored). */
  readonly varianceGradient: Float64Array;
  /** Posterior mean at the last point (internal scale). */
  mean = 0;
  /** Posterior variance of f at the last point (internal scale, ≥ floor). */
  variance = 0;
  private readonly gp: GpPosterior;
  private readonly z: Float64Array;
  private readonly other: Float64Array;
  private readonly pair = new Float64Array(2);
  private block: Float64Array | undefined;

  /**
   * Use {@link GpPosterior.createWorkspace}.
   *
   * @example
   * ```ts
   * const work = new PointWorkspace(gp);
   * ```
   */
  constructor(gp: GpPosterior) {
    const n = gp.numObservations;
    const d = gp.dimension;
    this.gp = gp;
    this.k = new Float64Array(n);
    this.slope = new Float64Array(n);
    this.v = new Float64Array(n);
    this.w = new Float64Array(n);
    this.meanGradient = new Float64Array(d);
    this.varianceGradient = new Float64Array(d);
    this.z = new Float64Array(d);
    this.other = new Float64Array(d);
  }

  /**
   * Evaluates the posterior at the normalised point x (read from `x` at `offset`).
   *
   * @example
   * ```ts
   * work.at(candidates, true, 3 * d); // the fourth candidate of a flat array
   * ```
   */
  at(x: Float64Array, withGradient: boolean, offset = 0): void {
    const gp = this.gp;
    const n = gp.numObservations;
    const d = gp.dimension;
    const { lengthScales, signalVariance } = gp.hyperparameters;
    const { k, slope, v, w, z } = this;
    for (let j = 0; j < d; j++) z[j] = x[offset + j] / lengthScales[j];
    fillCrossCovariance(gp.code, z, 0, gp.scaledInputs, n, d, signalVariance, k, slope);
    let mean = 0;
    for (let i = 0; i < n; i++) {
      mean += k[i] * gp.weights[i];
      v[i] = k[i];
    }
    if (n > 0) dtrsvOffset("U", "T", "N", n, gp.choleskyUpper, n, 0, v, 1, 0);
    let explained = 0;
    for (let i = 0; i < n; i++) explained += v[i] * v[i];
    const raw = signalVariance - explained;
    const floor = VARIANCE_FLOOR * signalVariance;
    this.mean = mean;
    this.variance = Math.max(raw, floor);
    if (!withGradient) return;
    w.set(v);
    if (n > 0) dtrsvOffset("U", "N", "N", n, gp.choleskyUpper, n, 0, w, 1, 0);
    this.contract(gp.weights, this.meanGradient);
    this.contract(w, this.varianceGradient);
    const scale = raw > floor ? -2 : 0;
    for (let j = 0; j < d; j++) this.varianceGradient[j] *= scale;
  }

  /**
   * Posterior means and variances (internal scale) at `count` normalised points stored row-major
   * in `points`, in blocks: each block's triangular solves run as one multi-right-hand-side dtrsm,
   * several times faster than point-by-point solves. Does not change the single-point fields.
   *
   * @example
   * ```ts
   * work.meanVarianceBatch(candidates, 1000, means, variances);
   * ```
   */
  meanVarianceBatch(points: Float64Array, count: number, mean: Float64Array, variance: Float64Array): void {
    const gp = this.gp;
    const n = gp.numObservations;
    const d = gp.dimension;
    const { lengthScales, signalVariance } = gp.hyperparameters;
    const floor = VARIANCE_FLOOR * signalVariance;
    this.block ??= new Float64Array(n * BATCH_BLOCK);
    const block = this.block;
    const { k, z } = this;
    for (let b0 = 0; b0 < count; b0 += BATCH_BLOCK) {
      const bs = Math.min(BATCH_BLOCK, count - b0);
      for (let c = 0; c < bs; c++) {
        const o = (b0 + c) * d;
        for (let j = 0; j < d; j++) z[j] = points[o + j] / lengthScales[j];
        fillCrossCovariance(gp.code, z, 0, gp.scaledInputs, n, d, signalVariance, k);
        let mu = 0;
        for (let i = 0; i < n; i++) {
          block[i * bs + c] = k[i];
          mu += k[i] * gp.weights[i];
        }
        mean[b0 + c] = mu;
      }
      if (n > 0) dtrsmOffset("L", "U", "T", "N", n, bs, 1, gp.choleskyUpper, n, 0, block, bs, 0);
      for (let c = 0; c < bs; c++) {
        let explained = 0;
        for (let i = 0; i < n; i++) explained += block[i * bs + c] * block[i * bs + c];
        const raw = signalVariance - explained;
        variance[b0 + c] = Math.max(raw, floor);
      }
    }
  }

  /**
   * out = Σᵢ uᵢ ∂k(x, Xᵢ)/∂x at the last point (∂k/∂xⱼ = 2σf²ρ′(r²)(zⱼ − Zᵢⱼ)/ℓⱼ).
   *
   * @example
   * ```ts
   * work.contract(gp.weights, out); // ∂mean/∂x
   * ```
   */
  contract(u: Float64Array, out: Float64Array): void {
    const gp = this.gp;
    const n = gp.numObservations;
    const d = gp.dimension;
    const { z, slope } = this;
    const Z = gp.scaledInputs;
    out.fill(0);
    for (let i = 0; i < n; i++) {
      const c = u[i] * slope[i];
      if (c === 0) continue;
      for (let j = 0; j < d; j++) out[j] += c * (z[j] - Z[i * d + j]);
    }
    const ls = gp.hyperparameters.lengthScales;
    for (let j = 0; j < d; j++) out[j] *= 2 / ls[j];
  }

  /**
   * Prior covariance k(a, x) between a normalised point a (read at `offset`) and the last point x,
   * and its gradient with respect to x into `gradient` when given.
   *
   * @example
   * ```ts
   * const c = work.priorCovariance(anchors, 2 * d, grad);
   * ```
   */
  priorCovariance(a: Float64Array, offset: number, gradient?: Float64Array): number {
    const gp = this.gp;
    const d = gp.dimension;
    const ls = gp.hyperparameters.lengthScales;
    const { z, other, pair } = this;
    let r2 = 0;
    for (let j = 0; j < d; j++) {
      other[j] = a[offset + j] / ls[j];
      const diff = z[j] - other[j];
      r2 += diff * diff;
    }
    covarianceAndSlope(gp.code, r2, gp.hyperparameters.signalVariance, pair);
    if (gradient) for (let j = 0; j < d; j++) gradient[j] = (2 * pair[1] * (z[j] - other[j])) / ls[j];
    return pair[0];
  }

  /**
   * out = K⁻¹b through the Cholesky factor (b and out of length n; may alias).
   *
   * @example
   * ```ts
   * work.solve(kAnchor, wAnchor);
   * ```
   */
  solve(b: Float64Array, out: Float64Array): Float64Array {
    const n = this.gp.numObservations;
    if (out !== b) out.set(b);
    if (n > 0) dpotrsOffset("U", n, 1, this.gp.choleskyUpper, n, 0, out, 1, 0);
    return out;
  }
}

/**
 * Normalised data and the transform that produced it.
 *
 * @example
 * ```ts
 * const data = normalizeData("fitGp()", X, y, n, d, box, true);
 * ```
 */
export interface NormalizedData {
  /** Normalised inputs, n × d. */
  readonly inputs: Float64Array;
  /** Standardised outputs. */
  readonly outputs: Float64Array;
  /** Input dimension. */
  readonly dimension: number;
  /** The maps used. */
  readonly transform: GpTransform;
}

/**
 * Maps flat inputs (n × d, user units) onto [0, 1]^d by `box` (or the data's range) and
 * standardises the outputs (or leaves them, with `standardize = false`).
 *
 * @example
 * ```ts
 * const data = normalizeData("bo", points, values, n, d, { lower, upper }, true);
 * ```
 */
export function normalizeData(
  x: Float64Array,
  y: Float64Array,
  n: number,
  d: number,
  box: { lower: Float64Array; upper: Float64Array } | undefined,
  standardize: boolean,
): NormalizedData {
  const inputLower = new Float64Array(d);
  const inputScale = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    let lo = box ? box.lower[j] : Number.POSITIVE_INFINITY;
    let hi = box ? box.upper[j] : Number.NEGATIVE_INFINITY;
    if (!box) {
      for (let i = 0; i < n; i++) {
        lo = Math.min(lo, x[i * d + j]);
        hi = Math.max(hi, x[i * d + j]);
      }
    }
    inputLower[j] = Number.isFinite(lo) ? lo : 0;
    inputScale[j] = hi > lo ? hi - lo : 1;
  }
  let outputMean = 0;
  let outputScale = 1;
  if (standardize && n > 0) {
    for (let i = 0; i < n; i++) outputMean += y[i];
    outputMean /= n;
    if (n > 1) {
      let ss = 0;
      for (let i = 0; i < n; i++) ss += (y[i] - outputMean) ** 2;
      const sd = Math.sqrt(ss / (n - 1));
      if (sd > 0 && Number.isFinite(sd)) outputScale = sd;
    }
  }
  const inputs = new Float64Array(n * d);
  const outputs = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) inputs[i * d + j] = (x[i * d + j] - inputLower[j]) / inputScale[j];
    outputs[i] = (y[i] - outputMean) / outputScale;
  }
  return { inputs, outputs, dimension: d, transform: { inputLower, inputScale, outputMean, outputScale } };
}

/**
 * The posterior of a GP with given hyper-parameters (internal scale) — no fitting.
 *
 * @throws ShapeError / DataError for malformed data; DomainError for invalid hyper-parameters.
 * @example
 * ```ts
 * const gp = conditionGp([[0], [0.5], [1]], [1, 0, 1], { lengthScales: Float64Array.of(0.3), signalVariance: 1, noiseVariance: 1e-4 }, { bounds: [[0, 1]] });
 * ```
 */
export function conditionGp(
  points: readonly ArrayLike<number>[],
  values: ArrayLike<number>,
  hyperparameters: GpHyperparameters,
  options: GpOptions = {},
): GpPosterior {
  const d = dimensionOf("conditionGp()", points, options.bounds);
  const n = points.length;
  if (n < 1) {
    throw new DomainError({ where: "conditionGp()", what: "at least one observation is needed", got: "0 points" });
  }
  const x = flattenPoints("conditionGp()", points, d);
  const y = valuesOf("conditionGp()", values, n);
  checkHyperparameters(hyperparameters, d);
  const box = options.bounds ? boxOf("conditionGp()", options.bounds) : undefined;
  const data = normalizeData(x, y, n, d, box, options.standardize ?? true);
  return new GpPosterior(options.kernel ?? "matern52", data.inputs, data.outputs, d, hyperparameters, data.transform);
}

/**
 * Fits a GP to (points, values) by maximising the log marginal likelihood over the
 * hyper-parameters (multi-start L-BFGS in log space, inside {@link HyperparameterBounds}) and
 * returns the posterior at the best fit. Restarts draw their starting points from `rng`.
 *
 * @throws ShapeError / DataError for malformed data; DomainError when no start can be factored.
 * @example
 * ```ts
 * const gp = fitGp(createRng(7), [[0.1], [0.4], [0.9]], [1.2, 0.3, 0.8], { bounds: [[0, 1]] });
 * gp.hyperparameters.lengthScales;
 * ```
 */
export function fitGp(
  rng: Rng,
  points: readonly ArrayLike<number>[],
  values: ArrayLike<number>,
  options: FitGpOptions = {},
): GpPosterior {
  const d = dimensionOf("fitGp()", points, options.bounds);
  const n = points.length;
  if (n < 1) {
    throw new DomainError({ where: "fitGp()", what: "at least one observation is needed", got: "0 points" });
  }
  const x = flattenPoints("fitGp()", points, d);
  const y = valuesOf("fitGp()", values, n);
  const box = options.bounds ? boxOf("fitGp()", options.bounds) : undefined;
  const data = normalizeData(x, y, n, d, box, options.standardize ?? true);
  return fitNormalized(rng, data, options);
}

/**
 * {@link fitGp} on data that is already normalised (what the BO kernel calls each step).
 *
 * @example
 * ```ts
 * const gp = fitNormalized(rng, normalizeData(x, y, n, d, box, true), { restarts: 2, initial: previous.hyperparameters });
 * ```
 */
export function fitNormalized(rng: Rng, data: NormalizedData, options: FitGpOptions = {}): GpPosterior {
  const d = data.dimension;
  const n = data.outputs.length;
  const kernel = options.kernel ?? "matern52";
  const hb = { ...DEFAULT_HYPERPARAMETER_BOUNDS, ...options.hyperparameterBounds };
  checkHyperBounds(hb);
  const scale2 = data.transform.outputScale ** 2;
  const fixedNoise = options.noiseVariance === undefined ? undefined : options.noiseVariance / scale2;
  if (options.noiseVariance !== undefined && !(options.noiseVariance > 0 && Number.isFinite(options.noiseVariance))) {
    throw new DomainError({
      where: "fitGp()",
      what: "noiseVariance must be positive",
      got: describeValue(options.noiseVariance),
      hint: "for a deterministic objective leave it unset (it is fitted, down to the floor of hyperparameterBounds).",
    });
  }
  const restarts = options.restarts ?? 4;
  const ml = new MarginalLikelihood(kernel, data.inputs, data.outputs, n, d, fixedNoise);
  const p = ml.dimension;
  const lower = new Float64Array(p);
  const upper = new Float64Array(p);
  for (let j = 0; j < d; j++) {
    lower[j] = Math.log(hb.lengthScale[0]);
    upper[j] = Math.log(hb.lengthScale[1]);
  }
  lower[d] = Math.log(hb.signalVariance[0]);
  upper[d] = Math.log(hb.signalVariance[1]);
  if (fixedNoise === undefined) {
    lower[d + 1] = Math.log(hb.noiseVariance[0]);
    upper[d + 1] = Math.log(hb.noiseVariance[1]);
  }
  const prior = options.lengthScalePrior;
  if (
    prior &&
    !(prior.median > 0 && prior.logSd > 0 && Number.isFinite(prior.median) && Number.isFinite(prior.logSd))
  ) {
    throw new DomainError({
      where: "fitGp()",
      what: "lengthScalePrior needs a positive median and logSd",
      got: `median ${prior.median}, logSd ${prior.logSd}`,
    });
  }
  const priorMean = prior ? Math.log(prior.median) : 0;
  const priorPrecision = prior ? 1 / (prior.logSd * prior.logSd) : 0;
  // Minimise −(log p(y | θ) + log p(θ)) / n so that tolerances mean the same for every n.
  const objective = (theta: Float64Array, grad: Float64Array): number => {
    let value = ml.evaluate(theta, grad);
    for (let j = 0; j < d; j++) {
      const dev = theta[j] - priorMean;
      value -= 0.5 * priorPrecision * dev * dev;
      grad[j] -= priorPrecision * dev;
    }
    for (let j = 0; j < p; j++) grad[j] = -grad[j] / n;
    return -value / n;
  };
  const starts: Float64Array[] = [];
  if (options.initial) {
    checkHyperparameters(options.initial, d);
    starts.push(packTheta(options.initial, d, fixedNoise === undefined));
  }
  // A neutral start: length-scales a fifth of the box edge scaled by √d (typical distances
  // between points grow like √d), unit signal variance, small noise.
  const neutral = new Float64Array(p);
  neutral.fill(Math.log(0.2 * Math.sqrt(d)), 0, d);
  neutral[d] = 0;
  if (fixedNoise === undefined) neutral[d + 1] = Math.log(1e-3);
  starts.push(neutral);
  for (let r = 0; r < restarts; r++) {
    const theta = new Float64Array(p);
    for (let j = 0; j < d; j++)
      theta[j] = Math.log(0.05) + rng.uniform() * (Math.log(2 * Math.sqrt(d)) - Math.log(0.05));
    theta[d] = Math.log(0.3) + rng.uniform() * (Math.log(3) - Math.log(0.3));
    if (fixedNoise === undefined) theta[d + 1] = Math.log(1e-6) + rng.uniform() * (Math.log(0.1) - Math.log(1e-6));
    starts.push(theta);
  }
  const lbfgs = new Lbfgs(p);
  let best: Float64Array | undefined;
  let bestValue = Number.POSITIVE_INFINITY;
  for (const start of starts) {
    for (let j = 0; j < p; j++) start[j] = Math.min(upper[j], Math.max(lower[j], start[j]));
    const result = lbfgs.minimize(objective, start, {
      lower,
      upper,
      maxIterations: options.maxIterations ?? 200,
      gradientTolerance: 1e-6,
      valueTolerance: 1e-10,
    });
    if (result.value < bestValue) {
      bestValue = result.value;
      best = result.x;
    }
  }
  if (!best) {
    throw new DomainError({
      where: "fitGp()",
      what: "the covariance matrix could not be factored at any starting hyper-parameters",
      got: `${n} points in ${d} dimensions`,
      hint: "check for duplicated points with very different values, or fix noiseVariance to a larger value.",
    });
  }
  const hyperparameters = unpackTheta(best, d, fixedNoise);
  return new GpPosterior(kernel, data.inputs, data.outputs, d, hyperparameters, data.transform);
}

/**
 * θ = (log ℓ, log σf², log σn²) from hyper-parameters (without the noise entry when `withNoise`
 * is false).
 *
 * @example
 * ```ts
 * packTheta({ lengthScales: Float64Array.of(1), signalVariance: 1, noiseVariance: 1 }, 1, true); // [0, 0, 0]
 * ```
 */
export function packTheta(h: GpHyperparameters, d: number, withNoise: boolean): Float64Array {
  const theta = new Float64Array(d + (withNoise ? 2 : 1));
  for (let j = 0; j < d; j++) theta[j] = Math.log(h.lengthScales[j]);
  theta[d] = Math.log(h.signalVariance);
  if (withNoise) theta[d + 1] = Math.log(h.noiseVariance);
  return theta;
}

/**
 * The inverse of {@link packTheta}; `fixedNoise` supplies σn² when θ has no noise entry.
 *
 * @example
 * ```ts
 * unpackTheta(Float64Array.of(0, 0, 0), 1).signalVariance; // 1
 * ```
 */
export function unpackTheta(theta: Float64Array, d: number, fixedNoise?: number): GpHyperparameters {
  const lengthScales = new Float64Array(d);
  for (let j = 0; j < d; j++) lengthScales[j] = Math.exp(theta[j]);
  return {
    lengthScales,
    signalVariance: Math.exp(theta[d]),
    noiseVariance: fixedNoise ?? Math.exp(theta[d + 1]),
  };
}

function dimensionOf(where: string, points: readonly ArrayLike<number>[], bounds: Bounds | undefined): number {
  if (bounds) return boxOf(where, bounds).lower.length;
  const first = points[0];
  if (!first || first.length < 1) {
    throw new DomainError({
      where,
      what: "the input dimension cannot be inferred",
      got: describeValue(first),
      expected: "at least one point with ≥ 1 coordinate, or bounds",
    });
  }
  return first.length;
}

function checkHyperparameters(h: GpHyperparameters, d: number): void {
  const ok =
    h.lengthScales.length === d &&
    Array.from(h.lengthScales).every((l) => l > 0 && Number.isFinite(l)) &&
    h.signalVariance > 0 &&
    Number.isFinite(h.signalVariance) &&
    h.noiseVariance > 0 &&
    Number.isFinite(h.noiseVariance);
  if (!ok) {
    throw new DomainError({
      where: "gp",
      what: "invalid hyper-parameters",
      got: `lengthScales ${describeValue(h.lengthScales)}, signalVariance ${h.signalVariance}, noiseVariance ${h.noiseVariance}`,
      expected: `${d} positive length-scales and positive finite variances`,
    });
  }
}

function checkHyperBounds(hb: HyperparameterBounds): void {
  for (const name of ["lengthScale", "signalVariance", "noiseVariance"] as const) {
    const [lo, hi] = hb[name];
    if (!(lo > 0 && hi >= lo && Number.isFinite(hi))) {
      throw new DomainError({
        where: "fitGp()",
        what: `hyperparameterBounds.${name} is not a positive interval`,
        got: `[${lo}, ${hi}]`,
        expected: "0 < lower ≤ upper < ∞",
      });
    }
  }
}
