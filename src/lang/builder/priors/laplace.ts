/**
 * The Bayesian lasso prior as a normal scale mixture (Park & Casella 2008, "The Bayesian lasso",
 * JASA 103(482); the mixture identity is Andrews & Mallows 1974).
 * @module lang/builder/priors/laplace
 */
import { exponential } from "../families.js";
import { callerSpan } from "../span.js";
import type { ScalarLike, Vector } from "../values.js";
import {
  checkCall,
  checkReal,
  checkSize,
  HierarchyBuilder,
  type PriorContext,
  type SparsePriorValue,
  scalarOf,
  type VectorPriorOptions,
  whereOf,
} from "./common.js";

/**
 * Options of {@link laplaceMixture}.
 *
 * @example
 * ```ts
 * const o: LaplaceMixtureOptions = { size: D, scale: 0.5 };
 * ```
 */
export interface LaplaceMixtureOptions extends VectorPriorOptions {
  /** b, the scale of the Laplace marginal (variance 2b²): a number or a model value. Default 1. */
  readonly scale?: ScalarLike;
}

/**
 * The parts of a Bayesian-lasso hierarchy.
 *
 * @example
 * ```ts
 * const { v } = laplaceMixture(m, "beta", { size: D }).parts;
 * ```
 */
export interface LaplaceMixtureParts {
  /** Mixing variances v. */
  readonly v: Vector;
  /** Standardised coefficients (non-centred form only). */
  readonly z?: Vector;
}

/**
 * The Laplace (double-exponential) prior written as a scale mixture of normals: x_i ~ normal(0,
 * √v_i) with v_i ~ exponential(rate = 1/(2b²)), so that x_i ~ laplace(0, b) marginally. The
 * posterior mode is the lasso; the latent variances give EM and Gibbs backends closed-form
 * updates, and gradient samplers see a smooth hierarchy. Non-centred by default. Nodes:
 * `<name>_v`, `<name>_z` (non-centred) and `<name>`.
 *
 * @param m - the model context
 * @param name - the coefficients' name
 * @param options - size, Laplace scale b, parameterization
 * @returns the coefficient vector with `parts.v`
 * @example
 * ```ts
 * const beta = laplaceMixture(m, "beta", { size: D, scale: 0.5 });
 * ```
 */
export function laplaceMixture(
  m: PriorContext,
  name: string,
  options: LaplaceMixtureOptions,
): SparsePriorValue<LaplaceMixtureParts> {
  const span = callerSpan();
  const parameterization = checkCall(
    "laplace",
    name,
    options,
    ["size", "parameterization", "scale"],
    "noncentered",
    span,
  );
  const where = whereOf("laplace", name);
  checkSize(where, options.size, span);
  const b = options.scale ?? 1;
  checkReal(where, "scale", b, { positive: true }, span);
  const h = new HierarchyBuilder(m, "laplace", name, parameterization, typeof b === "number" ? { scale: b } : {}, span);
  // v ~ exponential(λ²/2) with λ = 1/b gives x ~ laplace(0, b).
  const rate = typeof b === "number" ? 1 / (2 * b * b) : scalarOf(b).pow(-2).mul(0.5);
  const v = h.latent("v", "variance", exponential({ rate }), { size: options.size }) as Vector;
  const { value, z } = h.value(v.sqrt(), options.size);
  return h.result(value, { v, ...(z ? { z } : {}) });
}
