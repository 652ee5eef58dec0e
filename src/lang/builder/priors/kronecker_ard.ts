/**
 * Kronecker-structured ARD, the prior of KroSBL (He & Joseph, "Bayesian algorithms for
 * Kronecker-structured sparse vector recovery with application to IRS-MIMO channel estimation",
 * IEEE TSP 2024).
 * @module lang/builder/priors/kronecker_ard
 */
import { DomainError, describeValue, ModelError } from "../../../core/errors.js";
import { callerSpan } from "../span.js";
import type { Vector } from "../values.js";
import {
  checkCall,
  checkInit,
  type GammaHyperprior,
  gatherConstant,
  HierarchyBuilder,
  inverseSqrt,
  type PriorContext,
  precisionNode,
  type SparsePriorValue,
  whereOf,
} from "./common.js";

/**
 * Options of {@link kroneckerArd}.
 *
 * @example
 * ```ts
 * const o: KroneckerArdOptions = { dims: [16, 16] };
 * ```
 */
export interface KroneckerArdOptions {
  /** Sizes n₁, …, n_K of the factors; x has n₁·…·n_K elements, the last index varying fastest. */
  readonly dims: readonly number[];
  /** Centred (default) or non-centred value. */
  readonly parameterization?: "centered" | "noncentered";
  /** Each factor precision α⁽ᵏ⁾_j ~ gamma(shape, rate); without it they are hyper-parameters. */
  readonly hyperprior?: GammaHyperprior;
  /** Initial value of every factor precision when they are hyper-parameters. Default 1. */
  readonly init?: number;
}

/**
 * The parts of a Kronecker-ARD hierarchy.
 *
 * @example
 * ```ts
 * const [rowPrecision, colPrecision] = kroneckerArd(m, "x", { dims: [8, 8] }).parts.alphas;
 * ```
 */
export interface KroneckerArdParts {
  /** One precision vector per factor (hyper-parameters or latents). */
  readonly alphas: readonly Vector[];
  /** Standardised coefficients (non-centred form only). */
  readonly z?: Vector;
}

/**
 * Kronecker ARD: x_i ~ normal(0, α_i^(−1/2)) with the precision vector a Kronecker product of
 * per-factor precisions, α = α⁽¹⁾ ⊗ … ⊗ α⁽ᴷ⁾, i.e. α_(i₁…i_K) = Π_k α⁽ᵏ⁾_(i_k). It suits
 * coefficients on a grid (angle × delay, row × column of an image) whose support is a product
 * of supports along each axis, as when the dictionary is itself A₁ ⊗ … ⊗ A_K: Σ n_k
 * hyper-parameters instead of Π n_k. The product is unchanged when one factor is scaled up and
 * another down, so with point-estimated precisions EM fixes the scale of all but one factor.
 * Centred by default. Nodes: `<name>_alpha1` … `<name>_alphaK`, `<name>_z` (non-centred) and
 * `<name>`. Index convention as the runtime's KroneckerOperator (numpy.kron).
 *
 * @param m - the model context
 * @param name - the coefficients' name
 * @param options - factor sizes, hyper-prior or initial precision, parameterization
 * @returns the coefficient vector with `parts.alphas`
 * @example
 * ```ts
 * const x = kroneckerArd(m, "x", { dims: [8, 16] });
 * m.observe(y, normal({ loc: A.matvec(x), scale: sigma })); // A bound as a KroneckerOperator
 * ```
 */
export function kroneckerArd(
  m: PriorContext,
  name: string,
  options: KroneckerArdOptions,
): SparsePriorValue<KroneckerArdParts> {
  const span = callerSpan();
  const parameterization = checkCall(
    "kronecker_ard",
    name,
    options,
    ["dims", "parameterization", "hyperprior", "init"],
    "centered",
    span,
  );
  const where = whereOf("kronecker_ard", name);
  const dims = options.dims;
  if (
    !Array.isArray(dims) ||
    dims.length === 0 ||
    !dims.every((n) => typeof n === "number" && Number.isInteger(n) && n >= 1)
  ) {
    throw new DomainError({
      where,
      what: "option 'dims' must list the factor sizes",
      got: describeValue(dims),
      expected: "a non-empty array of integers ≥ 1",
      span,
    });
  }
  if (options.init !== undefined && typeof options.init !== "number") {
    throw new ModelError({
      where,
      what: "option 'init' must be one number for every factor",
      got: describeValue(options.init),
      span,
    });
  }
  checkInit(where, options.init, undefined, span);
  const size = dims.reduce((a, b) => a * b, 1);
  const h = new HierarchyBuilder(m, "kronecker_ard", name, parameterization, { dims: dims.join(",") }, span);
  const alphas = dims.map((n, k) =>
    precisionNode(h, `alpha${k + 1}`, n, options.hyperprior, options.init, where, span),
  );
  let stride = size;
  let alpha: Vector | undefined;
  dims.forEach((n, k) => {
    stride /= n;
    const index = Array.from({ length: size }, (_, i) => Math.floor(i / stride) % n);
    const spread = n === size ? alphas[k]! : gatherConstant(alphas[k]!, index);
    alpha = alpha === undefined ? spread : alpha.mul(spread);
  });
  const { value, z } = h.value(inverseSqrt(alpha!), size);
  return h.result(value, { alphas, ...(z ? { z } : {}) });
}
