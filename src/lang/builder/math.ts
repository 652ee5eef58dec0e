/**
 * Free-function forms of the DSL's maths, for code that reads like the formula:
 * `exp(x)`, `logistic(eta)`, `sum(v)`, `dot(x, beta)`, `matvec(X, beta)`. Each keeps the kind of
 * its argument (a function of a Vector is a Vector).
 * @module lang/builder/math
 */
import { ModelError } from "../../core/errors.js";
import * as ir from "../../ir/expr.js";
import type { CallFn } from "../../ir/types.js";
import { callerSpan } from "./span.js";
import { type Matrix, type RealLike, Scalar, type ScalarLike, toExpr, Vector, wrap } from "./values.js";

function apply(fn: CallFn, x: RealLike): Scalar | Vector {
  const span = callerSpan();
  return wrap(ir.call(fn, toExpr(x, span), span));
}

/** Elementwise exp. @example `exp(logSigma)` */
export function exp(x: ScalarLike): Scalar;
export function exp(x: Vector): Vector;
export function exp(x: RealLike): Scalar | Vector {
  return apply("exp", x);
}

/** Elementwise natural log. @example `log(x)` */
export function log(x: ScalarLike): Scalar;
export function log(x: Vector): Vector;
export function log(x: RealLike): Scalar | Vector {
  return apply("log", x);
}

/** Elementwise log(1 + x). @example `log1p(x)` */
export function log1p(x: ScalarLike): Scalar;
export function log1p(x: Vector): Vector;
export function log1p(x: RealLike): Scalar | Vector {
  return apply("log1p", x);
}

/** Elementwise exp(x) − 1. @example `expm1(x)` */
export function expm1(x: ScalarLike): Scalar;
export function expm1(x: Vector): Vector;
export function expm1(x: RealLike): Scalar | Vector {
  return apply("expm1", x);
}

/** Elementwise 1 / (1 + exp(−x)). @example `logistic(eta)` */
export function logistic(x: ScalarLike): Scalar;
export function logistic(x: Vector): Vector;
export function logistic(x: RealLike): Scalar | Vector {
  return apply("logistic", x);
}

/** Elementwise log(1 + exp(x)). @example `softplus(x)` */
export function softplus(x: ScalarLike): Scalar;
export function softplus(x: Vector): Vector;
export function softplus(x: RealLike): Scalar | Vector {
  return apply("softplus", x);
}

/** Elementwise |x|. @example `abs(x)` */
export function abs(x: ScalarLike): Scalar;
export function abs(x: Vector): Vector;
export function abs(x: RealLike): Scalar | Vector {
  return apply("abs", x);
}

/** Elementwise √x. @example `sqrt(v)` */
export function sqrt(x: ScalarLike): Scalar;
export function sqrt(x: Vector): Vector;
export function sqrt(x: RealLike): Scalar | Vector {
  return apply("sqrt", x);
}

/** Elementwise power, broadcasting scalars. @example `pow(x, 2)` */
export function pow(base: ScalarLike, exponent: ScalarLike): Scalar;
export function pow(base: RealLike, exponent: RealLike): Vector;
export function pow(base: RealLike, exponent: RealLike): Scalar | Vector {
  const span = callerSpan();
  return wrap(ir.binary("pow", toExpr(base, span), toExpr(exponent, span), span));
}

/** Σ x. @example `sum(logLik)` */
export function sum(x: Vector): Scalar {
  return new Scalar(ir.reduce("sum", vectorArg(x, "sum").expr, callerSpan()));
}

/** Mean of the elements. @example `mean(x)` */
export function mean(x: Vector): Scalar {
  return new Scalar(ir.reduce("mean", vectorArg(x, "mean").expr, callerSpan()));
}

/** log Σ exp(x), computed stably. @example `logSumExp(logWeights)` */
export function logSumExp(x: Vector): Scalar {
  return new Scalar(ir.reduce("log_sum_exp", vectorArg(x, "logSumExp").expr, callerSpan()));
}

/** Inner product. @example `dot(x, beta)` */
export function dot(a: Vector, b: Vector): Scalar {
  return new Scalar(ir.dot(vectorArg(a, "dot").expr, vectorArg(b, "dot").expr, callerSpan()));
}

/** `A x` for matrix data A. @example `matvec(X, beta)` */
export function matvec(A: Matrix, x: Vector): Vector {
  return A.matvec(x);
}

/**
 * A vector from scalars and numbers.
 *
 * @example
 * ```ts
 * const coef = vector([alpha, beta, 0]);
 * ```
 */
export function vector(elements: readonly ScalarLike[]): Vector {
  const span = callerSpan();
  return new Vector(
    ir.vector(
      elements.map((e) => toExpr(e, span)),
      span,
    ),
  );
}

function vectorArg(x: unknown, where: string): Vector {
  if (x instanceof Vector) return x;
  throw new ModelError({
    where: `${where}()`,
    what: "expected a vector",
    got: x instanceof Scalar ? "a scalar" : typeof x,
    span: callerSpan(),
  });
}
