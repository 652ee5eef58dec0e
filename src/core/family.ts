import type { Support } from "./support.js";

/**
 * Rank of a value: 0 scalar, 1 vector, 2 matrix.
 *
 * @example
 * ```ts
 * const r: Rank = 1;
 * ```
 */
export type Rank = 0 | 1 | 2;

/**
 * What a family accepts for one parameter. A scalar-event family broadcasts: a parameter of
 * rank 0 may be given as a vector of the value's length (elementwise parameters).
 *
 * @example
 * ```ts
 * const scale: ParamSpec = { rank: 0, support: { kind: "positive" }, doc: "standard deviation" };
 * ```
 */
export interface ParamSpec {
  /** Rank of one event's parameter; rank-0 parameters broadcast over vector values. */
  readonly rank: Rank;
  /** Where the parameter must lie; constants outside it are compile-time errors. */
  readonly support: Support;
  /** One line for docs and error messages. */
  readonly doc?: string;
  /** Default value, making the argument optional. */
  readonly default?: number;
}

/**
 * The signature of a distribution family: what the IR builder and the text checker need to
 * validate a `~` statement without knowing how to evaluate the density.
 *
 * @example
 * ```ts
 * const sig: FamilySignature = {
 *   family: "normal",
 *   params: { loc: { rank: 0, support: { kind: "real" } }, scale: { rank: 0, support: { kind: "positive" } } },
 *   paramOrder: ["loc", "scale"],
 *   eventRank: 0,
 *   discrete: false,
 * };
 * ```
 */
export interface FamilySignature {
  /** Snake-case family name as written in model text (`half_normal`). */
  readonly family: string;
  /** Parameter specifications by name. */
  readonly params: Readonly<Record<string, ParamSpec>>;
  /** Positional order of the parameters (text front end allows positional arguments). */
  readonly paramOrder: readonly string[];
  /** Rank of one event: 0 for scalar families (they broadcast), 1 for dirichlet, multi_normal… */
  readonly eventRank: Rank;
  /** True when values are integers/booleans (no gradient w.r.t. the value). */
  readonly discrete: boolean;
}

/**
 * Looks up family signatures by name; the IR builder and text checker depend only on this.
 * The runtime's distribution registry implements it.
 *
 * @example
 * ```ts
 * const lookup: SignatureLookup = { signature: (f) => (f === "normal" ? sig : undefined), families: () => ["normal"] };
 * ```
 */
export interface SignatureLookup {
  /** The signature of a registered family, or undefined. */
  signature(family: string): FamilySignature | undefined;
  /** Every registered family name (for "did you mean" suggestions). */
  families(): readonly string[];
}
