/**
 * The Student-t prior as a normal scale mixture with gamma-distributed precisions (the
 * normal-gamma representation; Tipping 2001 derives ARD's marginal from it, Andrews & Mallows
 * 1974 the general identity).
 * @module lang/builder/priors/student_t
 */
import { gamma } from "../families.js";
import { callerSpan } from "../span.js";
import type { ScalarLike, Vector } from "../values.js";
import {
  checkCall,
  checkReal,
  checkSize,
  HierarchyBuilder,
  inverseSqrt,
  type PriorContext,
  type SparsePriorValue,
  scalarOf,
  type VectorPriorOptions,
  whereOf,
} from "./common.js";

/**
 * Options of {@link studentTMixture}.
 *
 * @example
 * ```ts
 * const o: StudentTMixtureOptions = { size: D, df: 3, scale: 1 };
 * ```
 */
export interface StudentTMixtureOptions extends VectorPriorOptions {
  /** ν, degrees of freedom of the t marginal (a number or a model value). Default 3. */
  readonly df?: ScalarLike;
  /** s, scale of the t marginal (a number or a model value). Default 1. */
  readonly scale?: ScalarLike;
}

/**
 * The parts of a Student-t scale-mixture hierarchy.
 *
 * @example
 * ```ts
 * const { w } = studentTMixture(m, "beta", { size: D }).parts;
 * ```
 */
export interface StudentTMixtureParts {
  /** Mixing precisions w. */
  readonly w: Vector;
  /** Standardised coefficients (non-centred form only). */
  readonly z?: Vector;
}

/**
 * Student-t coefficients as a normal scale mixture: x_i ~ normal(0, s/√w_i) with
 * w_i ~ gamma(ν/2, rate ν/2), so that x_i ~ student_t(ν, 0, s) marginally. Heavier tails than a
 * normal with a finite peak: mild shrinkage that large effects escape. The precisions w make
 * the conditionals conjugate for EM, Gibbs and variational backends. Non-centred by default.
 * Nodes: `<name>_w`, `<name>_z` (non-centred) and `<name>`.
 *
 * @param m - the model context
 * @param name - the coefficients' name
 * @param options - size, degrees of freedom ν, scale s, parameterization
 * @returns the coefficient vector with `parts.w`
 * @example
 * ```ts
 * const beta = studentTMixture(m, "beta", { size: D, df: 3, scale: 2.5 });
 * ```
 */
export function studentTMixture(
  m: PriorContext,
  name: string,
  options: StudentTMixtureOptions,
): SparsePriorValue<StudentTMixtureParts> {
  const span = callerSpan();
  const parameterization = checkCall(
    "student_t",
    name,
    options,
    ["size", "parameterization", "df", "scale"],
    "noncentered",
    span,
  );
  const where = whereOf("student_t", name);
  checkSize(where, options.size, span);
  const df = options.df ?? 3;
  const s = options.scale ?? 1;
  checkReal(where, "df", df, { positive: true }, span);
  checkReal(where, "scale", s, { positive: true }, span);
  const extra = { ...(typeof df === "number" ? { df } : {}), ...(typeof s === "number" ? { scale: s } : {}) };
  const h = new HierarchyBuilder(m, "student_t", name, parameterization, extra, span);
  const half = typeof df === "number" ? df / 2 : scalarOf(df).mul(0.5);
  const w = h.latent("w", "precision", gamma({ shape: half, rate: half }), { size: options.size }) as Vector;
  const { value, z } = h.value(inverseSqrt(w).mul(s), options.size);
  return h.result(value, { w, ...(z ? { z } : {}) });
}
