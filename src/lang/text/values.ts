/**
 * Symbolic values of the lowering. Statements are executed symbolically: every variable holds
 * an IR expression (or, for matrix data, an operator) instead of a number. Inside a `for` loop
 * that is being vectorised, the loop variable is a *lane index* and per-iteration scalars are
 * *lane values*: IR vectors with one element per iteration, so `mu[n] = alpha[county[n]]` over
 * `n in 1:N` becomes the single expression `alpha[county]`.
 * @module lang/text/values
 */
import type { SourceSpan } from "../../core/span.js";
import type { Dim, Expr, RefExpr } from "../../ir/types.js";

/**
 * The iteration space of a vectorised loop `for (v in lower:upper)`.
 *
 * @example
 * ```ts
 * const lane: Lane = { id: 1, lower: 1, upper: undefined, upperName: "N", length: "N", span };
 * ```
 */
export interface Lane {
  /** Distinguishes nested or successive loops. */
  readonly id: number;
  /** First value of the loop variable (always known). */
  readonly lower: number;
  /** Last value, when known (literal or data given). */
  readonly upper: number | undefined;
  /** The integer data naming the upper bound, when it is written as that name. */
  readonly upperName: string | undefined;
  /** Number of iterations, as an IR dimension. */
  readonly length: Dim;
  readonly span: SourceSpan;
}

/**
 * A value during lowering.
 *
 * - `expr`: an IR expression; with `lane`, one element per loop iteration; `transposed` marks
 *   `v'` so that `v' * w` is a dot product;
 * - `lane_index`: the loop variable of a vectorised loop plus a constant offset (`n - 1`);
 * - `matrix`: matrix data, usable as the left operand of a product;
 * - `row`: one row of matrix data (`X[n]` in a loop, or `X[i]` at a known position).
 *
 * @example
 * ```ts
 * const v: Value = { kind: "expr", expr: constant(1) };
 * ```
 */
export type Value =
  | { readonly kind: "expr"; readonly expr: Expr; readonly lane?: Lane; readonly transposed?: boolean }
  | { readonly kind: "lane_index"; readonly lane: Lane; readonly offset: number }
  | { readonly kind: "matrix"; readonly ref: RefExpr }
  | { readonly kind: "row"; readonly ref: RefExpr; readonly lane?: Lane; readonly position?: Expr };

/**
 * Thrown (and caught by the loop lowering) when a loop body cannot be vectorised; the loop is
 * then unrolled if its bounds are known.
 *
 * @example
 * ```ts
 * throw new VectorizeFailure("'mu' is read at n - 1 while the loop writes it", span);
 * ```
 */
export class VectorizeFailure extends Error {
  constructor(
    readonly reason: string,
    readonly span: SourceSpan | undefined,
  ) {
    super(reason);
    this.name = "VectorizeFailure";
  }
}
