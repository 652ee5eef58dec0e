/**
 * Automatic relevance determination (MacKay 1994; Tipping 2001, "Sparse Bayesian learning and
 * the relevance vector machine", JMLR 1).
 * @module lang/builder/priors/ard
 */
import { callerSpan } from "../span.js";
import type { Vector } from "../values.js";
import {
  checkCall,
  checkInit,
  checkSize,
  type GammaHyperprior,
  HierarchyBuilder,
  inverseSqrt,
  type PriorContext,
  precisionNode,
  type SparsePriorValue,
  type VectorPriorOptions,
  whereOf,
} from "./common.js";

/**
 * Options of {@link ard}.
 *
 * @example
 * ```ts
 * const point: ArdOptions = { size: D };                                  // α point-estimated
 * const bayes: ArdOptions = { size: D, hyperprior: { shape: 1, rate: 1 } }; // α ~ gamma(1, 1)
 * ```
 */
export interface ArdOptions extends VectorPriorOptions {
  /** α_i ~ gamma(shape, rate); without it α is a hyper-parameter (type-II maximum likelihood). */
  readonly hyperprior?: GammaHyperprior;
  /** Initial value of the hyper-parameter α (one number or one per coefficient). Default 1. */
  readonly init?: number | readonly number[];
}

/**
 * The parts of an ARD hierarchy.
 *
 * @example
 * ```ts
 * const { alpha } = ard(m, "w", { size: D }).parts;
 * ```
 */
export interface ArdParts {
  /** Precisions α (a hyper-parameter or a latent). */
  readonly alpha: Vector;
  /** Standardised coefficients (non-centred form only). */
  readonly z?: Vector;
}

/**
 * ARD: x_i ~ normal(0, α_i^(−1/2)), one precision per coefficient. With α point-estimated
 * (the default) this is the sparse Bayesian learning prior: maximising the evidence drives the
 * precisions of irrelevant coefficients to infinity. With a gamma(a, b) hyper-prior the marginal
 * of x_i is Student-t with 2a degrees of freedom and scale √(b/a). Centred by default, which is
 * the form EM-SBL reads. Nodes: `<name>_alpha` (hyper or latent), `<name>_z` (non-centred) and
 * `<name>`.
 *
 * @param m - the model context
 * @param name - the coefficients' name
 * @param options - size, hyper-prior or initial precision, parameterization
 * @returns the coefficient vector with `parts.alpha`
 * @example
 * ```ts
 * const w = ard(m, "w", { size: D });
 * m.observe(y, normal({ loc: A.matvec(w), scale: sigma }));
 * ```
 */
export function ard(m: PriorContext, name: string, options: ArdOptions): SparsePriorValue<ArdParts> {
  const span = callerSpan();
  const parameterization = checkCall(
    "ard",
    name,
    options,
    ["size", "parameterization", "hyperprior", "init"],
    "centered",
    span,
  );
  const where = whereOf("ard", name);
  checkSize(where, options.size, span);
  checkInit(where, options.init, typeof options.size === "number" ? options.size : undefined, span);
  const h = new HierarchyBuilder(m, "ard", name, parameterization, {}, span);
  const alpha = precisionNode(h, "alpha", options.size, options.hyperprior, options.init, where, span);
  const { value, z } = h.value(inverseSqrt(alpha), options.size);
  return h.result(value, { alpha, ...(z ? { z } : {}) });
}
