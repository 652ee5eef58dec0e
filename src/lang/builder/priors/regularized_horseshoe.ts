/**
 * The regularized horseshoe (Piironen & Vehtari 2017, "Sparsity information and regularization
 * in the horseshoe and other shrinkage priors", Electronic Journal of Statistics 11(2)).
 * @module lang/builder/priors/regularized_horseshoe
 */
import { dist } from "../families.js";
import { callerSpan } from "../span.js";
import type { Scalar, Vector } from "../values.js";
import {
  checkCall,
  checkReal,
  checkSize,
  HierarchyBuilder,
  type PriorContext,
  type SparsePriorValue,
  scalarOf,
  whereOf,
} from "./common.js";
import { GLOBAL_SCALE_KEYS, type HorseshoeOptions, halfT, horseshoeExtra, resolveGlobalScale } from "./horseshoe.js";

/**
 * Options of {@link regularizedHorseshoe}.
 *
 * @example
 * ```ts
 * const o: RegularizedHorseshoeOptions = { size: D, expectedNonZeros: 5, noiseScale: sigma, numObservations: N };
 * ```
 */
export interface RegularizedHorseshoeOptions extends HorseshoeOptions {
  /** s, the slab scale: the prior scale of the coefficients far from zero. Default 2. */
  readonly slabScale?: number;
  /** ν, the slab's degrees of freedom (c² ~ inv-gamma(ν/2, ν s²/2)); `Infinity` fixes c = s. Default 4. */
  readonly slabDf?: number;
}

/**
 * The parts of a regularized-horseshoe hierarchy.
 *
 * @example
 * ```ts
 * const { c2 } = regularizedHorseshoe(m, "beta", { size: D }).parts;
 * ```
 */
export interface RegularizedHorseshoeParts {
  /** Global scale τ. */
  readonly tau: Scalar;
  /** Local scales λ. */
  readonly lambda: Vector;
  /** Slab variance c² (absent when `slabDf` is infinite). */
  readonly c2?: Scalar;
  /** Standardised coefficients (non-centred form only). */
  readonly z?: Vector;
}

/**
 * The regularized horseshoe: x_i ~ normal(0, τ·λ̃_i) with λ̃_i² = c²λ_i² / (c² + τ²λ_i²),
 * λ_i ~ half-Cauchy(0, 1), τ ~ half-Cauchy(0, τ₀) and c² ~ inv-gamma(ν/2, ν s²/2). Small
 * coefficients are shrunk as by the horseshoe; large ones see a normal(0, c) slab instead of an
 * unbounded scale, so the conditional standard deviation τ·λ̃ never exceeds c. This keeps the
 * posterior proper for separable logistic regression and tames the funnel in τ. Non-centred by
 * default. Nodes: `<name>_tau`, `<name>_lambda`, `<name>_c2` (unless `slabDf` is infinite),
 * `<name>_z` (non-centred) and `<name>`.
 *
 * The effective scale is computed as c·(1 + (c/(τλ))²)^(−1/2) in log form,
 * exp(log c − ½·softplus(−2·log(τλ/c))), which neither overflows nor loses the bound for extreme λ.
 *
 * @param m - the model context
 * @param name - the coefficients' name
 * @param options - size; τ₀ or expected non-zeros; slab scale and degrees of freedom
 * @returns the coefficient vector with its parts
 * @example
 * ```ts
 * const beta = regularizedHorseshoe(m, "beta", { size: D, expectedNonZeros: 3, noiseScale: sigma, numObservations: N });
 * ```
 */
export function regularizedHorseshoe(
  m: PriorContext,
  name: string,
  options: RegularizedHorseshoeOptions,
): SparsePriorValue<RegularizedHorseshoeParts> {
  const span = callerSpan();
  const parameterization = checkCall(
    "regularized_horseshoe",
    name,
    options,
    ["size", "parameterization", ...GLOBAL_SCALE_KEYS, "localDf", "globalDf", "slabScale", "slabDf"],
    "noncentered",
    span,
  );
  const where = whereOf("regularized_horseshoe", name);
  checkSize(where, options.size, span);
  const localDf = options.localDf ?? 1;
  const globalDf = options.globalDf ?? 1;
  const slabScale = options.slabScale ?? 2;
  const slabDf = options.slabDf ?? 4;
  checkReal(where, "localDf", localDf, { positive: true, model: false }, span);
  checkReal(where, "globalDf", globalDf, { positive: true, model: false }, span);
  checkReal(where, "slabScale", slabScale, { positive: true, model: false }, span);
  checkReal(where, "slabDf", slabDf, { positive: true, allowInfinity: true, model: false }, span);
  const tau0 = resolveGlobalScale(where, options, span);
  const fixedSlab = slabDf === Number.POSITIVE_INFINITY;
  const extra = {
    ...horseshoeExtra(localDf, globalDf, tau0),
    slab_scale: slabScale,
    ...(fixedSlab ? { slab_fixed: true } : { slab_df: slabDf }),
  };
  const h = new HierarchyBuilder(m, "regularized_horseshoe", name, parameterization, extra, span);
  const tau = h.latent("tau", "global_scale", halfT(globalDf, tau0)) as Scalar;
  const lambda = h.latent("lambda", "local_scale", halfT(localDf, 1), { size: options.size }) as Vector;
  const c2 = fixedSlab
    ? undefined
    : (h.latent(
        "c2",
        "slab_variance",
        dist("inverse_gamma", { shape: slabDf / 2, scale: (slabDf * slabScale * slabScale) / 2 }),
      ) as Scalar);
  const logC = c2 === undefined ? scalarOf(Math.log(slabScale)) : c2.log().mul(0.5);
  // log(τλ/c); the effective scale is c·exp(−½·softplus(−2·log(τλ/c))) = τλ̃.
  const logRatio = lambda.log().add(tau.log()).sub(logC);
  const scale = logRatio.mul(-2).softplus().mul(-0.5).add(logC).exp();
  const { value, z } = h.value(scale, options.size);
  return h.result(value, { tau, lambda, ...(c2 ? { c2 } : {}), ...(z ? { z } : {}) });
}
