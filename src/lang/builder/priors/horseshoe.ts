/**
 * The horseshoe prior (Carvalho, Polson & Scott 2010) and the global scale chosen from a prior
 * guess of the number of non-zero coefficients (Piironen & Vehtari 2017).
 * @module lang/builder/priors/horseshoe
 */
import { ModelError } from "../../../core/errors.js";
import type { SourceSpan } from "../../../core/span.js";
import { dist, halfCauchy } from "../families.js";
import type { Dist } from "../families.js";
import { callerSpan } from "../span.js";
import { type DimLike, IntScalar, type Scalar, type ScalarLike, type Vector } from "../values.js";
import {
  checkCall,
  checkReal,
  checkSize,
  type Extra,
  HierarchyBuilder,
  type PriorContext,
  type SparsePriorValue,
  scalarOf,
  type VectorPriorOptions,
  whereOf,
} from "./common.js";

/**
 * How the global scale τ₀ is given: directly, or from the expected number of non-zero
 * coefficients p₀ as τ₀ = p₀/(D − p₀) · σ/√N (Piironen & Vehtari 2017, eq. 3.12).
 *
 * @example
 * ```ts
 * const g: GlobalScaleOptions = { expectedNonZeros: 5, noiseScale: sigma, numObservations: N };
 * ```
 */
export interface GlobalScaleOptions {
  /** τ₀, the scale of the half-Cauchy (half-t) prior on τ. Default 1 unless `expectedNonZeros` is given. */
  readonly globalScale?: ScalarLike;
  /** p₀: the prior guess of how many coefficients are non-zero, 0 < p₀ < D. */
  readonly expectedNonZeros?: number;
  /** σ, the noise scale of the likelihood (a number or the model's noise parameter). Default 1. */
  readonly noiseScale?: ScalarLike;
  /** N, the number of observations (a number or integer data). Required with `expectedNonZeros`. */
  readonly numObservations?: DimLike;
}

/**
 * Options of {@link horseshoe}.
 *
 * @example
 * ```ts
 * const o: HorseshoeOptions = { size: D, globalScale: 0.1 };
 * ```
 */
export interface HorseshoeOptions extends VectorPriorOptions, GlobalScaleOptions {
  /** Degrees of freedom ν of the half-t local scales (1: half-Cauchy, the horseshoe). */
  readonly localDf?: number;
  /** Degrees of freedom of the half-t global scale (1: half-Cauchy). */
  readonly globalDf?: number;
}

/**
 * The parts of a horseshoe hierarchy.
 *
 * @example
 * ```ts
 * const { tau, lambda } = horseshoe(m, "beta", { size: D }).parts;
 * ```
 */
export interface HorseshoeParts {
  /** Global scale τ. */
  readonly tau: Scalar;
  /** Local scales λ. */
  readonly lambda: Vector;
  /** Standardised coefficients (non-centred form only). */
  readonly z?: Vector;
}

/**
 * The option names that set the global scale, shared by the horseshoe-type priors.
 *
 * @example
 * ```ts
 * checkCall("horseshoe", name, options, ["size", ...GLOBAL_SCALE_KEYS], "noncentered", span);
 * ```
 */
export const GLOBAL_SCALE_KEYS = ["globalScale", "expectedNonZeros", "noiseScale", "numObservations"] as const;

/**
 * τ₀ = p₀/(D − p₀) · σ/√N, Piironen & Vehtari's choice of the global scale for p₀ expected
 * non-zeros among D coefficients with noise scale σ and N observations: a number when every input
 * is a number, else a model value.
 *
 * @param options - p₀, D, σ (default 1) and N
 * @returns τ₀
 * @example
 * ```ts
 * globalScaleFromSparsity({ expectedNonZeros: 3, size: 100, numObservations: 50 }); // 3/97/√50
 * ```
 */
export function globalScaleFromSparsity(options: {
  readonly expectedNonZeros: number;
  readonly size: DimLike;
  readonly noiseScale?: ScalarLike;
  readonly numObservations: DimLike;
}): ScalarLike {
  const span = callerSpan();
  const where = "globalScaleFromSparsity()";
  const { expectedNonZeros: p0, size: D, numObservations: N } = options;
  const sigma = options.noiseScale ?? 1;
  checkReal(where, "expectedNonZeros", p0, { positive: true, model: false }, span);
  checkSize(where, D, span);
  if (typeof D === "number")
    checkReal(where, "expectedNonZeros", p0, { lower: 0, upper: D, open: true, model: false }, span);
  if (!(N instanceof IntScalar)) checkReal(where, "numObservations", N, { positive: true, model: false }, span);
  checkReal(where, "noiseScale", sigma, { positive: true }, span);
  if (typeof D === "number" && typeof N === "number" && typeof sigma === "number")
    return ((p0 / (D - p0)) * sigma) / Math.sqrt(N);
  const ratio = typeof D === "number" ? scalarOf(p0 / (D - p0)) : scalarOf(p0).div(scalarOf(D).sub(p0));
  return ratio.mul(sigma).div(scalarOf(N).sqrt());
}

/**
 * Resolves the global-scale options of a horseshoe-type prior to τ₀.
 *
 * @example
 * ```ts
 * const tau0 = resolveGlobalScale(where, options, span);
 * ```
 */
export function resolveGlobalScale(
  where: string,
  options: GlobalScaleOptions & { readonly size: DimLike },
  span: SourceSpan | undefined,
): ScalarLike {
  if (options.expectedNonZeros === undefined) {
    for (const key of ["noiseScale", "numObservations"] as const) {
      if (options[key] !== undefined) {
        throw new ModelError({
          where,
          what: `option '${key}' only applies with 'expectedNonZeros'`,
          hint: "give expectedNonZeros (p₀), or set globalScale directly.",
          span,
        });
      }
    }
    const tau0 = options.globalScale ?? 1;
    checkReal(where, "globalScale", tau0, { positive: true }, span);
    return tau0;
  }
  if (options.globalScale !== undefined) {
    throw new ModelError({ where, what: "give either 'globalScale' or 'expectedNonZeros', not both", span });
  }
  if (options.numObservations === undefined) {
    throw new ModelError({
      where,
      what: "option 'expectedNonZeros' needs 'numObservations'",
      hint: "τ₀ = p₀/(D − p₀) · σ/√N needs N; pass numObservations (and noiseScale σ).",
      span,
    });
  }
  return globalScaleFromSparsity({
    expectedNonZeros: options.expectedNonZeros,
    size: options.size,
    numObservations: options.numObservations,
    ...(options.noiseScale !== undefined ? { noiseScale: options.noiseScale } : {}),
  });
}

/**
 * A half-t scale prior with ν degrees of freedom: half-Cauchy when ν = 1.
 *
 * @example
 * ```ts
 * halfT(1, 0.1); // halfCauchy({ scale: 0.1 })
 * ```
 */
export function halfT(df: number, scale: ScalarLike): Dist {
  return df === 1 ? halfCauchy({ scale }) : dist("half_student_t", { df, scale });
}

/**
 * The settings annotated on a horseshoe-type hierarchy (τ₀ only when it is a number).
 *
 * @example
 * ```ts
 * horseshoeExtra(1, 1, 0.1); // { local_df: 1, global_df: 1, global_scale: 0.1 }
 * ```
 */
export function horseshoeExtra(localDf: number, globalDf: number, tau0: ScalarLike): Extra {
  return { local_df: localDf, global_df: globalDf, ...(typeof tau0 === "number" ? { global_scale: tau0 } : {}) };
}

/**
 * The horseshoe: x_i ~ normal(0, τ·λ_i), λ_i ~ half-Cauchy(0, 1), τ ~ half-Cauchy(0, τ₀).
 * The heavy-tailed local scales leave large signals unshrunk while the global scale pulls noise
 * to zero. Non-centred by default (x = z·τ·λ, z ~ normal(0, 1)), which is what gradient samplers
 * need when the data are weak. Nodes: `<name>_tau`, `<name>_lambda`, `<name>_z` (non-centred) and
 * `<name>`.
 *
 * @param m - the model context
 * @param name - the coefficients' name
 * @param options - size, global scale (or expected non-zeros), local/global degrees of freedom
 * @returns the coefficient vector, with `parts.tau` and `parts.lambda`
 * @example
 * ```ts
 * model("hs", (m) => {
 *   const D = m.data.int("D");
 *   const beta = horseshoe(m, "beta", { size: D, globalScale: 0.1 });
 * }, { families: createDefaultRegistry() });
 * ```
 */
export function horseshoe(m: PriorContext, name: string, options: HorseshoeOptions): SparsePriorValue<HorseshoeParts> {
  const span = callerSpan();
  const parameterization = checkCall(
    "horseshoe",
    name,
    options,
    ["size", "parameterization", ...GLOBAL_SCALE_KEYS, "localDf", "globalDf"],
    "noncentered",
    span,
  );
  const where = whereOf("horseshoe", name);
  checkSize(where, options.size, span);
  const localDf = options.localDf ?? 1;
  const globalDf = options.globalDf ?? 1;
  checkReal(where, "localDf", localDf, { positive: true, model: false }, span);
  checkReal(where, "globalDf", globalDf, { positive: true, model: false }, span);
  const tau0 = resolveGlobalScale(where, options, span);
  const h = new HierarchyBuilder(m, "horseshoe", name, parameterization, horseshoeExtra(localDf, globalDf, tau0), span);
  const tau = h.latent("tau", "global_scale", halfT(globalDf, tau0)) as Scalar;
  const lambda = h.latent("lambda", "local_scale", halfT(localDf, 1), { size: options.size }) as Vector;
  const { value, z } = h.value(lambda.mul(tau), options.size);
  return h.result(value, { tau, lambda, ...(z ? { z } : {}) });
}
