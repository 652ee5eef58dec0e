/**
 * Log densities written as IR expressions, for the places where the IR has no node for a
 * density: `normal_lpdf(y[n] | mu, s)` inside a larger expression (`log_mix`, a sum), or a `~`
 * statement whose left side is an expression, a slice or a local variable rather than a whole
 * parameter or data node. Each expansion is the family's full log density (normalising
 * constants included, as the IR's `target +=` keeps them) for values inside the support; unlike
 * a node's density it does not return −∞ outside the support, so use it on values the model
 * keeps in the support. Terms such as log Γ(ν) are computed here when their argument is a
 * constant and refused otherwise, since the IR has no log-gamma function.
 * @module lang/text/densities
 */
import { ModelError } from "../../core/errors.js";
import type { SourceSpan } from "../../core/span.js";
import { binary, call, constant, constantValue, neg } from "../../ir/expr.js";
import type { Expr } from "../../ir/types.js";
import { HALF_LN_TWO_PI, LN_PI, lbeta, lgamma } from "../../runtime/special.js";

/** What an expansion receives: the value and the arguments by parameter name. */
type Build = (x: Expr, p: Readonly<Record<string, Expr>>, s: SourceSpan | undefined) => Expr;

/**
 * A family's log density as an IR expression.
 *
 * @example
 * ```ts
 * DENSITY_EXPANSIONS.get("normal")?.params; // ["loc", "scale"]
 * ```
 */
export interface DensityExpansion {
  readonly family: string;
  /** The parameter names the expansion reads, in the registry's positional order. */
  readonly params: readonly string[];
  readonly build: Build;
}

const c = (v: number, s: SourceSpan | undefined): Expr => constant(v, s);
const add = (a: Expr, b: Expr, s: SourceSpan | undefined): Expr => binary("add", a, b, s);
const sub = (a: Expr, b: Expr, s: SourceSpan | undefined): Expr => binary("sub", a, b, s);
const mul = (a: Expr, b: Expr, s: SourceSpan | undefined): Expr => binary("mul", a, b, s);
const div = (a: Expr, b: Expr, s: SourceSpan | undefined): Expr => binary("div", a, b, s);
const log = (a: Expr, s: SourceSpan | undefined): Expr => call("log", a, s);

/** A scalar constant argument, or a ModelError saying why one is needed. */
function constantArg(family: string, param: string, e: Expr, s: SourceSpan | undefined): number {
  const v = constantValue(e);
  if (typeof v === "number") return v;
  throw new ModelError({
    where: `${family}_lpdf()`,
    what: `argument '${param}' must be a constant number when the density is used inside an expression`,
    got: "an expression",
    hint: `the IR has no log-gamma function; write '${family}' as a '~' statement on a whole parameter or data vector instead.`,
    span: e.span ?? s,
  });
}

/** −½((x − μ)/σ)² − log σ − ½ log 2π */
const normalBuild: Build = (x, p, s) => {
  const z = div(sub(x, p.loc!, s), p.scale!, s);
  return sub(sub(mul(c(-0.5, s), binary("pow", z, c(2, s), s), s), log(p.scale!, s), s), c(HALF_LN_TWO_PI, s), s);
};

/** −log π − log σ − log1p(((x − μ)/σ)²) */
const cauchyBuild: Build = (x, p, s) => {
  const z = div(sub(x, p.loc!, s), p.scale!, s);
  return sub(neg(add(c(LN_PI, s), log(p.scale!, s), s), s), call("log1p", binary("pow", z, c(2, s), s), s), s);
};

const EXPANSIONS: readonly DensityExpansion[] = [
  { family: "normal", params: ["loc", "scale"], build: normalBuild },
  {
    family: "half_normal",
    params: ["scale"],
    build: (x, p, s) => add(c(Math.LN2, s), normalBuild(x, { loc: c(0, s), scale: p.scale! }, s), s),
  },
  { family: "cauchy", params: ["loc", "scale"], build: cauchyBuild },
  {
    family: "half_cauchy",
    params: ["scale"],
    build: (x, p, s) => add(c(Math.LN2, s), cauchyBuild(x, { loc: c(0, s), scale: p.scale! }, s), s),
  },
  {
    family: "exponential",
    params: ["rate"],
    build: (x, p, s) => sub(log(p.rate!, s), mul(p.rate!, x, s), s),
  },
  {
    family: "lognormal",
    params: ["loc", "scale"],
    build: (x, p, s) => sub(normalBuild(log(x, s), p, s), log(x, s), s),
  },
  {
    family: "laplace",
    params: ["loc", "scale"],
    build: (x, p, s) =>
      sub(neg(add(c(Math.LN2, s), log(p.scale!, s), s), s), div(call("abs", sub(x, p.loc!, s), s), p.scale!, s), s),
  },
  {
    family: "logistic",
    params: ["loc", "scale"],
    // log f = −z − log σ − 2·log(1 + e^−z) = −z − log σ − 2·softplus(−z)
    build: (x, p, s) => {
      const z = div(sub(x, p.loc!, s), p.scale!, s);
      return sub(sub(neg(z, s), log(p.scale!, s), s), mul(c(2, s), call("softplus", neg(z, s), s), s), s);
    },
  },
  {
    family: "student_t",
    params: ["df", "loc", "scale"],
    build: (x, p, s) => {
      const nu = constantArg("student_t", "df", p.df!, s);
      const k = lgamma((nu + 1) / 2) - lgamma(nu / 2) - 0.5 * Math.log(nu * Math.PI);
      const z = div(sub(x, p.loc!, s), p.scale!, s);
      const tail = mul(c((nu + 1) / 2, s), call("log1p", div(binary("pow", z, c(2, s), s), c(nu, s), s), s), s);
      return sub(sub(c(k, s), log(p.scale!, s), s), tail, s);
    },
  },
  {
    family: "gamma",
    params: ["shape", "rate"],
    build: (x, p, s) => {
      const a = constantArg("gamma", "shape", p.shape!, s);
      const head = sub(mul(c(a, s), log(p.rate!, s), s), c(lgamma(a), s), s);
      return sub(add(head, mul(c(a - 1, s), log(x, s), s), s), mul(p.rate!, x, s), s);
    },
  },
  {
    family: "beta",
    params: ["alpha", "beta"],
    build: (x, p, s) => {
      const a = constantArg("beta", "alpha", p.alpha!, s);
      const b = constantArg("beta", "beta", p.beta!, s);
      return sub(
        add(mul(c(a - 1, s), log(x, s), s), mul(c(b - 1, s), call("log1p", neg(x, s), s), s), s),
        c(lbeta(a, b), s),
        s,
      );
    },
  },
  {
    family: "uniform",
    params: ["lower", "upper"],
    build: (x, p, s) => add(mul(c(0, s), x, s), neg(log(sub(p.upper!, p.lower!, s), s), s), s),
  },
  {
    family: "bernoulli",
    params: ["prob"],
    build: (y, p, s) =>
      add(mul(y, log(p.prob!, s), s), mul(sub(c(1, s), y, s), call("log1p", neg(p.prob!, s), s), s), s),
  },
  {
    family: "bernoulli_logit",
    params: ["logit"],
    build: (y, p, s) => sub(mul(y, p.logit!, s), call("softplus", p.logit!, s), s),
  },
];

/**
 * Expansions by family name.
 *
 * @example
 * ```ts
 * DENSITY_EXPANSIONS.has("bernoulli_logit"); // true
 * ```
 */
export const DENSITY_EXPANSIONS: ReadonlyMap<string, DensityExpansion> = new Map(
  EXPANSIONS.map((e) => [e.family, e] as const),
);
