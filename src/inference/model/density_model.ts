import type { Rng } from "../../core/rng.js";
import type { Shape } from "../../core/shape.js";
import type { Support } from "../../core/support.js";
import type { Bijector } from "../../runtime/bijectors/bijector.js";
import type { Value } from "../../runtime/dists/distribution.js";
import type { ModelStructure } from "./structure.js";

/**
 * Where one latent variable lives in the unconstrained parameter vector θ and in the flat
 * constrained vector returned by {@link DensityModel.constrain}.
 *
 * @example
 * ```ts
 * const tau: VariableLayout = { name: "tau", shape: [], offset: 1, size: 1, constrainedOffset: 1, constrainedSize: 1, support: POSITIVE, bijector: lowerBound(0) };
 * ```
 */
export interface VariableLayout {
  /** Variable name as written in the model. */
  readonly name: string;
  /** Constrained shape (`[]` scalar, `[n]` vector, `[m, n]` matrix row-major). */
  readonly shape: Shape;
  /** Offset of the variable's unconstrained block in θ. */
  readonly offset: number;
  /** Length of the unconstrained block (simplex of size K: K − 1). */
  readonly size: number;
  /** Offset in the flat constrained vector. */
  readonly constrainedOffset: number;
  /** Number of constrained values (product of `shape`). */
  readonly constrainedSize: number;
  /** The support the bijector maps onto (`real` when {@link computedBounds} is present). */
  readonly support: Support;
  /** The transform from unconstrained to constrained values (identity when {@link computedBounds} is present). */
  readonly bijector: Bijector;
  /**
   * Bounds given as expressions (Stan's `real<lower=0, upper=1 - alpha1>`), printed as in model
   * text. Their values change with θ, so no fixed support or bijector describes the variable;
   * `constrain`/`unconstrain` and the log density apply the bounds, and this field tells readers
   * (summaries, `sprig check`) what the variable's support really is.
   */
  readonly computedBounds?: ComputedBoundsText;
}

/**
 * The expressions of a latent's computed bounds, as model text; an absent side is unbounded.
 *
 * @example
 * ```ts
 * const b: ComputedBoundsText = { lower: "0", upper: "1 - alpha1" };
 * ```
 */
export interface ComputedBoundsText {
  readonly lower?: string;
  readonly upper?: string;
}

/**
 * What a compiled model offers every backend: the unconstrained layout, the log density with
 * exact gradients (including log|J| of the bijectors), constrain/unconstrain and prior
 * simulation. Structure facts for EM/VB backends are added by the compiler as optional fields.
 *
 * @example
 * ```ts
 * const grad = new Float64Array(model.dimension);
 * const lp = model.logDensityAndGrad(theta, grad);
 * ```
 */
export interface DensityModel {
  /** Length of the unconstrained vector θ. */
  readonly dimension: number;
  /** Length of the flat constrained vector. */
  readonly constrainedDimension: number;
  /** One entry per latent variable, in θ order. */
  readonly layout: readonly VariableLayout[];
  /** log p(θ, data) on the unconstrained scale, including log|J|; `-Infinity` outside the support, never NaN. */
  logDensity(theta: Float64Array): number;
  /** Same value; writes ∇θ into `grad` (overwritten, length `dimension`). */
  logDensityAndGrad(theta: Float64Array, grad: Float64Array): number;
  /** Flat constrained values of θ (writes into `out` when given). */
  constrain(theta: Float64Array, out?: Float64Array): Float64Array;
  /** θ from named constrained values; throws DataError on a missing or mis-shaped name. */
  unconstrain(values: Readonly<Record<string, Value>>, out?: Float64Array): Float64Array;
  /** Names of latents whose support is discrete (gradient backends refuse them). */
  readonly discreteLatents: readonly string[];
  /** One draw of every latent from the prior, as an unconstrained θ. */
  samplePrior(rng: Rng, out?: Float64Array): Float64Array;

  /**
   * log prior at θ: latent prior terms, factors marked `prior`, and log|J| of the bijectors, so
   * that `logPrior + logLikelihood = logDensity` (tempered SMC targets prior · likelihood^β).
   */
  logPrior?(theta: Float64Array): number;
  /** log likelihood at θ: observation terms and factors marked `likelihood` (no Jacobian). */
  logLikelihood?(theta: Float64Array): number;
  /** {@link logPrior} and its gradient (overwrites `grad`). */
  logPriorAndGrad?(theta: Float64Array, grad: Float64Array): number;
  /** {@link logLikelihood} and its gradient (overwrites `grad`). */
  logLikelihoodAndGrad?(theta: Float64Array, grad: Float64Array): number;
  /** One prior-predictive draw: θ from the prior and every observed variable given θ. */
  samplePriorPredictive?(rng: Rng): PriorPredictiveDraw;
  /** Structure facts for closed-form backends (hyper-parameters, linear-Gaussian blocks, sparse-prior groups). */
  readonly structure?: ModelStructure;
  /** Current values of the hyper-parameters, by name (copies). */
  hyperValues?(): Record<string, Value>;
  /** Sets a hyper-parameter; the log density changes accordingly. Throws DataError on a bad name, shape or value. */
  setHyper?(name: string, value: Value | ArrayLike<number>): void;
}

/**
 * One draw from the prior predictive distribution.
 *
 * @example
 * ```ts
 * const { theta, observed } = model.samplePriorPredictive!(rng);
 * ```
 */
export interface PriorPredictiveDraw {
  /** Unconstrained latent values drawn from the prior. */
  readonly theta: Float64Array;
  /** A simulated value for every observed data node, given `theta`. */
  readonly observed: Readonly<Record<string, Value>>;
}
