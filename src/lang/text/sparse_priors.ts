/**
 * Sparse priors by name in model text: `beta ~ horseshoe(expected_non_zeros=3, ...)` expands the
 * builder's sparse-prior hierarchy (`src/lang/builder/priors`) for the declared vector `beta`,
 * so both front ends produce the same nodes and annotations. Options are written in snake_case
 * (`expected_non_zeros` is the builder's `expectedNonZeros`); the vector's size comes from its
 * declaration and the parameterization from an `@parameterization("...")` annotation or a
 * `parameterization="..."` argument. Users add their own expansions through `parseModel`'s
 * `sparsePriors` option.
 * @module lang/text/sparse_priors
 */
import type { PriorContext } from "../builder/priors/common.js";
import {
  ard,
  blockArd,
  horseshoe,
  kroneckerArd,
  laplaceMixture,
  patternCoupled,
  regularizedHorseshoe,
  spikeAndSlab,
  studentTMixture,
  turboVbi,
} from "../builder/priors/index.js";

/**
 * A sparse-prior expansion: declares the hierarchy of the vector `name` through the model
 * context `m` (the same signature as the builder's prior functions).
 *
 * @example
 * ```ts
 * const myPrior: SparsePriorExpansion = (m, name, options) => m.param(name, normal({ loc: 0, scale: 1 }), { size: options.size as number });
 * ```
 */
export type SparsePriorExpansion = (
  m: PriorContext,
  name: string,
  options: Readonly<Record<string, unknown>>,
) => unknown;

/** Wraps a builder prior function whose options object is typed more narrowly. */
function expansion<O>(fn: (m: PriorContext, name: string, options: O) => unknown): SparsePriorExpansion {
  return (m, name, options) => fn(m, name, options as O);
}

/**
 * The built-in sparse priors by their text names. Names differ from registry families where the
 * builder's annotation name is also a family (`laplace`, `student_t`): registry families win a
 * clash, so the mixtures are `laplace_mixture` and `student_t_mixture` here.
 *
 * @example
 * ```ts
 * SPARSE_PRIORS.has("regularized_horseshoe"); // true
 * ```
 */
export const SPARSE_PRIORS: ReadonlyMap<string, SparsePriorExpansion> = new Map([
  ["ard", expansion(ard)],
  ["horseshoe", expansion(horseshoe)],
  ["regularized_horseshoe", expansion(regularizedHorseshoe)],
  ["laplace_mixture", expansion(laplaceMixture)],
  ["student_t_mixture", expansion(studentTMixture)],
  ["spike_and_slab", expansion(spikeAndSlab)],
  ["kronecker_ard", expansion(kroneckerArd)],
  ["block_ard", expansion(blockArd)],
  ["pattern_coupled", expansion(patternCoupled)],
  ["turbo_vbi", expansion(turboVbi)],
]);

/**
 * `expected_non_zeros` → `expectedNonZeros`.
 *
 * @example
 * ```ts
 * camelCase("num_observations"); // "numObservations"
 * ```
 */
export function camelCase(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}
