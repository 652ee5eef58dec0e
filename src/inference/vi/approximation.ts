/**
 * A fitted Gaussian approximation q on the unconstrained space, with draws and summaries mapped
 * to the model's named, constrained variables.
 *
 * @module
 */
import { DataError, describeValue, DomainError } from "../../core/errors.js";
import type { Rng } from "../../core/rng.js";
import type { DensityModel, VariableLayout } from "../model/density_model.js";
import { createFamily, type FamilySpec, type GaussianFamily } from "./families.js";

/**
 * Draws from an approximation (or importance-resampled draws), row-major.
 *
 * @example
 * ```ts
 * const draws = approximation.sample(rng, 1000);
 * const tau = variableDraws(draws, "tau"); // 1000 values
 * ```
 */
export interface VariationalDraws {
  /** Number of draws. */
  readonly numDraws: number;
  /** The model's layout (variable names, shapes, offsets). */
  readonly layout: readonly VariableLayout[];
  /** Length of one constrained draw. */
  readonly constrainedDimension: number;
  /** Length of one unconstrained draw. */
  readonly dimension: number;
  /** numDraws × constrainedDimension constrained values. */
  readonly constrained: Float64Array;
  /** numDraws × dimension unconstrained values. */
  readonly unconstrained: Float64Array;
}

/**
 * The draws of one named variable: numDraws × constrainedSize values, row-major (a scalar
 * variable gives one value per draw).
 *
 * @throws DataError for a name not in the layout.
 * @example
 * ```ts
 * const beta = variableDraws(draws, "beta"); // numDraws × length(beta)
 * ```
 */
export function variableDraws(draws: VariationalDraws, name: string): Float64Array {
  const v = findVariable(draws.layout, name, "variableDraws");
  const out = new Float64Array(draws.numDraws * v.constrainedSize);
  const D = draws.constrainedDimension;
  for (let s = 0; s < draws.numDraws; s++) {
    out.set(
      draws.constrained.subarray(s * D + v.constrainedOffset, s * D + v.constrainedOffset + v.constrainedSize),
      s * v.constrainedSize,
    );
  }
  return out;
}

function findVariable(layout: readonly VariableLayout[], name: string, where: string): VariableLayout {
  const v = layout.find((l) => l.name === name);
  if (!v) {
    throw new DataError({
      where,
      what: "no latent variable of that name",
      got: describeValue(name),
      expected: `one of ${layout.map((l) => `'${l.name}'`).join(", ")}`,
    });
  }
  return v;
}

/**
 * Per-variable posterior summaries on the constrained scale: one Float64Array per variable name,
 * of length constrainedSize (row-major over the variable's shape).
 *
 * @example
 * ```ts
 * const { mean, sd } = summarizeDraws(draws);
 * mean.beta; // Float64Array
 * ```
 */
export interface VariableSummaries {
  /** Mean of each variable's draws. */
  readonly mean: Readonly<Record<string, Float64Array>>;
  /** Standard deviation (n − 1 denominator) of each variable's draws. */
  readonly sd: Readonly<Record<string, Float64Array>>;
}

/**
 * Means and standard deviations of every named variable over a set of draws (Welford's update,
 * so large values lose no precision).
 *
 * @example
 * ```ts
 * summarizeDraws(approximation.sample(rng, 4000)).mean.tau;
 * ```
 */
export function summarizeDraws(draws: VariationalDraws): VariableSummaries {
  const D = draws.constrainedDimension;
  const mean = new Float64Array(D);
  const m2 = new Float64Array(D);
  for (let s = 0; s < draws.numDraws; s++) {
    const row = s * D;
    for (let j = 0; j < D; j++) {
      const x = draws.constrained[row + j];
      const delta = x - mean[j];
      mean[j] += delta / (s + 1);
      m2[j] += delta * (x - mean[j]);
    }
  }
  const meanOut: Record<string, Float64Array> = {};
  const sdOut: Record<string, Float64Array> = {};
  for (const v of draws.layout) {
    meanOut[v.name] = mean.slice(v.constrainedOffset, v.constrainedOffset + v.constrainedSize);
    sdOut[v.name] = Float64Array.from(m2.subarray(v.constrainedOffset, v.constrainedOffset + v.constrainedSize), (x) =>
      Math.sqrt(x / Math.max(1, draws.numDraws - 1)),
    );
  }
  return { mean: meanOut, sd: sdOut };
}

/**
 * A Gaussian approximation q(θ) on the unconstrained space of a model.
 *
 * @example
 * ```ts
 * const q = fit.approximation;
 * q.location; // μ
 * const draws = q.sample(rng, 1000); // constrained and unconstrained
 * ```
 */
export interface VariationalApproximation {
  /** `'meanfield'`, `'fullrank'` or `'lowrank'`. */
  readonly family: GaussianFamily["kind"];
  /** Rank of the low-rank factor (0 otherwise). */
  readonly rank: number;
  /** Unconstrained dimension. */
  readonly dimension: number;
  /** The model's layout. */
  readonly layout: readonly VariableLayout[];
  /** The packed variational parameters (a copy; see {@link GaussianFamily}). */
  readonly params: Float64Array;
  /** Mean μ of q on the unconstrained scale. */
  readonly location: Float64Array;
  /** Marginal standard deviations of q on the unconstrained scale. */
  readonly scale: Float64Array;
  /** Covariance of q (dense row-major d × d, unconstrained scale). */
  covariance(): Float64Array;
  /** log q(θ) at an unconstrained θ. */
  logDensity(theta: Float64Array): number;
  /** `n` draws θ ~ q, with their constrained values. */
  sample(rng: Rng, n: number): VariationalDraws;
}

/**
 * Wraps packed parameters of `spec` as an approximation of `model`'s posterior.
 *
 * @throws DomainError when `params` has the wrong length for the family and dimension.
 * @example
 * ```ts
 * const q = createApproximation(model, "meanfield", state.params);
 * ```
 */
export function createApproximation(
  model: DensityModel,
  spec: FamilySpec,
  params: Float64Array,
): VariationalApproximation {
  const d = model.dimension;
  const family = createFamily(spec, d);
  if (params.length !== family.numParams) {
    throw new DomainError({
      where: "advi",
      what: "parameter vector does not match the family",
      got: `${params.length} values`,
      expected: `${family.numParams} for a ${family.kind} family in dimension ${d}`,
    });
  }
  const copy = params.slice();
  family.prepare(copy);
  const scale = new Float64Array(d);
  family.marginalSd(copy, scale);
  return {
    family: family.kind,
    rank: family.rank,
    dimension: d,
    layout: model.layout,
    params: copy,
    location: copy.slice(0, d),
    scale,
    covariance: () => family.covariance(copy),
    logDensity: (theta) => family.logDensity(copy, theta),
    sample(rng, n) {
      if (!Number.isInteger(n) || n < 0) {
        throw new DomainError({
          where: "advi",
          what: "number of draws must be a non-negative integer",
          got: describeValue(n),
        });
      }
      const D = model.constrainedDimension;
      const unconstrained = new Float64Array(n * d);
      const constrained = new Float64Array(n * D);
      const noise = new Float64Array(family.noiseDimension);
      for (let s = 0; s < n; s++) {
        for (let i = 0; i < noise.length; i++) noise[i] = rng.normal();
        const theta = unconstrained.subarray(s * d, (s + 1) * d);
        family.draw(copy, noise, theta);
        model.constrain(theta, constrained.subarray(s * D, (s + 1) * D));
      }
      return { numDraws: n, layout: model.layout, constrainedDimension: D, dimension: d, constrained, unconstrained };
    },
  };
}
