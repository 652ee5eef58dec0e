/**
 * Distribution constructors for the DSL. Each returns a {@link Dist} — a family name with named
 * argument expressions — whose type records whether any argument is a vector, so that
 * `param("mu", normal({ loc: 0, scale: 1 }))` is a Scalar and `normal({ loc: theta, scale: 1 })`
 * describes a Vector. Names are camelCase here and snake_case in the IR (`halfCauchy` →
 * `half_cauchy`). Families registered by users are reached with {@link dist}.
 *
 * Tip: regression code often names a coefficient `beta`; import the family under another name
 * (`import { beta as betaDist }`) if you need both.
 * @module lang/builder/families
 */
import type { SourceSpan } from "../../core/span.js";
import type { Expr } from "../../ir/types.js";
import { callerSpan } from "./span.js";
import { type RealLike, toExpr } from "./values.js";

/**
 * A family argument: a number, a literal vector, or a model value.
 *
 * @example
 * ```ts
 * const scale: Arg = tau;
 * ```
 */
export type Arg = RealLike | readonly number[];

/**
 * `"vector"` when any argument is a vector (so the variable is one), else `"scalar"`.
 *
 * @example
 * ```ts
 * type R = RankOf<{ loc: Vector; scale: number }>; // "vector"
 * ```
 */
export type RankOf<A> = [Extract<A[keyof A], { readonly kind: "vector" } | readonly number[]>] extends [never]
  ? "scalar"
  : "vector";

/**
 * A distribution with its arguments, ready for `param` or `observe`.
 *
 * @example
 * ```ts
 * const prior: Dist<"scalar"> = halfCauchy({ scale: 5 });
 * ```
 */
export interface Dist<R extends "scalar" | "vector" = "scalar" | "vector"> {
  /** Snake-case family name. */
  readonly family: string;
  /** Argument expressions by parameter name. */
  readonly args: Readonly<Record<string, Expr>>;
  /** Whether the arguments make the variable a vector (type-level only). */
  readonly rank?: R;
  /** Where the distribution was written. */
  readonly span?: SourceSpan;
}

/**
 * Any family by name with named arguments — built-in or registered by the user. A camelCase name
 * is converted to snake_case.
 *
 * @example
 * ```ts
 * const prior = dist("ard_normal", { scale: gamma });
 * ```
 */
export function dist<A extends Readonly<Record<string, Arg>>>(family: string, args: A): Dist<RankOf<A>> {
  return make(family, args, callerSpan());
}

function make<A extends Readonly<Record<string, Arg>>>(
  family: string,
  args: A,
  span: SourceSpan | undefined,
): Dist<RankOf<A>> {
  const exprs: Record<string, Expr> = {};
  for (const [name, value] of Object.entries(args)) if (value !== undefined) exprs[name] = toExpr(value, span);
  return Object.freeze({ family: toSnakeCase(family), args: Object.freeze(exprs), ...(span ? { span } : {}) });
}

/**
 * `halfCauchy` → `half_cauchy`; snake_case names are unchanged.
 *
 * @example
 * ```ts
 * toSnakeCase("bernoulliLogit"); // "bernoulli_logit"
 * ```
 */
export function toSnakeCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
}

/** normal(loc, scale). @example `normal({ loc: 0, scale: 5 })` */
export function normal<A extends { loc: Arg; scale: Arg }>(args: A): Dist<RankOf<A>> {
  return make("normal", args, callerSpan());
}
/** half_normal(scale) on (0, ∞). @example `halfNormal({ scale: 1 })` */
export function halfNormal<A extends { scale: Arg }>(args: A): Dist<RankOf<A>> {
  return make("half_normal", args, callerSpan());
}
/** student_t(df, loc, scale). @example `studentT({ df: 3, loc: 0, scale: 1 })` */
export function studentT<A extends { df: Arg; loc: Arg; scale: Arg }>(args: A): Dist<RankOf<A>> {
  return make("student_t", args, callerSpan());
}
/** cauchy(loc, scale). @example `cauchy({ loc: 0, scale: 2.5 })` */
export function cauchy<A extends { loc: Arg; scale: Arg }>(args: A): Dist<RankOf<A>> {
  return make("cauchy", args, callerSpan());
}
/** half_cauchy(scale) on (0, ∞). @example `halfCauchy({ scale: 5 })` */
export function halfCauchy<A extends { scale: Arg }>(args: A): Dist<RankOf<A>> {
  return make("half_cauchy", args, callerSpan());
}
/** exponential(rate). @example `exponential({ rate: 1 })` */
export function exponential<A extends { rate: Arg }>(args: A): Dist<RankOf<A>> {
  return make("exponential", args, callerSpan());
}
/** gamma(shape, rate). @example `gamma({ shape: 2, rate: 0.5 })` */
export function gamma<A extends { shape: Arg; rate: Arg }>(args: A): Dist<RankOf<A>> {
  return make("gamma", args, callerSpan());
}
/** lognormal(loc, scale). @example `lognormal({ loc: 0, scale: 1 })` */
export function lognormal<A extends { loc: Arg; scale: Arg }>(args: A): Dist<RankOf<A>> {
  return make("lognormal", args, callerSpan());
}
/** beta(alpha, beta) on (0, 1). @example `beta({ alpha: 2, beta: 2 })` */
export function beta<A extends { alpha: Arg; beta: Arg }>(args: A): Dist<RankOf<A>> {
  return make("beta", args, callerSpan());
}
/** uniform(lower, upper). @example `uniform({ lower: 0, upper: 1 })` */
export function uniform<A extends { lower: Arg; upper: Arg }>(args: A): Dist<RankOf<A>> {
  return make("uniform", args, callerSpan());
}
/** bernoulli(prob) on {0, 1}. @example `bernoulli({ prob: p })` */
export function bernoulli<A extends { prob: Arg }>(args: A): Dist<RankOf<A>> {
  return make("bernoulli", args, callerSpan());
}
/** bernoulli_logit(logit): bernoulli with prob = logistic(logit). @example `bernoulliLogit({ logit: eta })` */
export function bernoulliLogit<A extends { logit: Arg }>(args: A): Dist<RankOf<A>> {
  return make("bernoulli_logit", args, callerSpan());
}
/** poisson(rate). @example `poisson({ rate: 3 })` */
export function poisson<A extends { rate: Arg }>(args: A): Dist<RankOf<A>> {
  return make("poisson", args, callerSpan());
}
/** poisson_log(log_rate): poisson with rate = exp(log_rate). @example `poissonLog({ log_rate: eta })` */
export function poissonLog<A extends { log_rate: Arg }>(args: A): Dist<RankOf<A>> {
  return make("poisson_log", args, callerSpan());
}
