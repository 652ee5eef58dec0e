/**
 * Typed model values. A value's kind is part of its TypeScript type: `Scalar`, `Vector` (and the
 * integer data kinds `IntScalar`, `IntVector`), and `Matrix` for matrix data, which only
 * multiplies vectors. Arithmetic broadcasts scalars; mixing vectors of different declared sizes
 * is a ShapeError when the model is built. Values are immutable: every operation returns a new
 * value holding an IR expression.
 * @module lang/builder/values
 */
import { ModelError, ShapeError } from "../../core/errors.js";
import type { SourceSpan } from "../../core/span.js";
import * as ir from "../../ir/expr.js";
import type { BinaryOp, CallFn, Dim, Expr, ReduceOp, RefExpr } from "../../ir/types.js";
import { callerSpan } from "./span.js";

/**
 * Anything usable where a real scalar is expected.
 *
 * @example
 * ```ts
 * const s: ScalarLike = 2.5;
 * ```
 */
export type ScalarLike = number | Scalar;

/**
 * Anything usable as a real operand: a number, a scalar or a vector.
 *
 * @example
 * ```ts
 * const x: RealLike = theta;
 * ```
 */
export type RealLike = number | Scalar | Vector;

/**
 * A size: a number or integer scalar data (`data.int("J")`).
 *
 * @example
 * ```ts
 * const y = data.vector("y", J);
 * ```
 */
export type DimLike = number | IntScalar;

/**
 * A real scalar in a model.
 *
 * @example
 * ```ts
 * const z = mu.add(tau.mul(2)).exp();
 * ```
 */
export class Scalar {
  /** Discriminates kinds at the type level (a Scalar is never a Vector). */
  readonly kind: "scalar" = "scalar";
  /** @param expr - the IR expression (shape `[]`) */
  constructor(readonly expr: Expr) {}
  /** `this + other`. @example `mu.add(1)` */
  add(other: ScalarLike): Scalar;
  add(other: Vector): Vector;
  add(other: RealLike): Scalar | Vector {
    return arith("add", this, other, callerSpan());
  }
  /** `this - other`. @example `mu.sub(x)` */
  sub(other: ScalarLike): Scalar;
  sub(other: Vector): Vector;
  sub(other: RealLike): Scalar | Vector {
    return arith("sub", this, other, callerSpan());
  }
  /** `this * other` (elementwise). @example `tau.mul(z)` */
  mul(other: ScalarLike): Scalar;
  mul(other: Vector): Vector;
  mul(other: RealLike): Scalar | Vector {
    return arith("mul", this, other, callerSpan());
  }
  /** `this / other`. @example `x.div(2)` */
  div(other: ScalarLike): Scalar;
  div(other: Vector): Vector;
  div(other: RealLike): Scalar | Vector {
    return arith("div", this, other, callerSpan());
  }
  /** `this ^ other`. @example `sigma.pow(2)` */
  pow(other: ScalarLike): Scalar;
  pow(other: Vector): Vector;
  pow(other: RealLike): Scalar | Vector {
    return arith("pow", this, other, callerSpan());
  }
  /** `-this`. @example `mu.neg()` */
  neg(): Scalar {
    return new Scalar(ir.neg(this.expr, callerSpan()));
  }
  /** exp. @example `logSigma.exp()` */
  exp(): Scalar {
    return call("exp", this, callerSpan()) as Scalar;
  }
  /** Natural log. @example `x.log()` */
  log(): Scalar {
    return call("log", this, callerSpan()) as Scalar;
  }
  /** log(1 + x). @example `x.log1p()` */
  log1p(): Scalar {
    return call("log1p", this, callerSpan()) as Scalar;
  }
  /** exp(x) − 1. @example `x.expm1()` */
  expm1(): Scalar {
    return call("expm1", this, callerSpan()) as Scalar;
  }
  /** 1 / (1 + exp(−x)). @example `eta.logistic()` */
  logistic(): Scalar {
    return call("logistic", this, callerSpan()) as Scalar;
  }
  /** log(1 + exp(x)). @example `x.softplus()` */
  softplus(): Scalar {
    return call("softplus", this, callerSpan()) as Scalar;
  }
  /** |x|. @example `x.abs()` */
  abs(): Scalar {
    return call("abs", this, callerSpan()) as Scalar;
  }
  /** √x. @example `v.sqrt()` */
  sqrt(): Scalar {
    return call("sqrt", this, callerSpan()) as Scalar;
  }
}

/**
 * Integer scalar data; usable in arithmetic and as the size of vectors.
 *
 * @example
 * ```ts
 * const J = data.int("J");
 * const theta = param("theta", normal({ loc: 0, scale: 1 }), { size: J });
 * ```
 */
export class IntScalar extends Scalar {
  /** @param expr - a reference to int scalar data */
  constructor(override readonly expr: RefExpr) {
    super(expr);
  }
  /** The data name, used as a symbolic size. */
  get dim(): string {
    return this.expr.name;
  }
}

/**
 * A real vector in a model.
 *
 * @example
 * ```ts
 * const theta = thetaTrans.mul(tau).add(mu);
 * ```
 */
export class Vector {
  /** Discriminates kinds at the type level. */
  readonly kind: "vector" = "vector";
  /** @param expr - the IR expression (shape `[n]`) */
  constructor(readonly expr: Expr) {}
  /** The (possibly symbolic) length. */
  get size(): Dim {
    return this.expr.shape[0]!;
  }
  /** `this + other`, broadcasting scalars. @example `alpha.add(x.mul(beta))` */
  add(other: RealLike): Vector {
    return arith("add", this, other, callerSpan()) as Vector;
  }
  /** `this - other`. @example `y.sub(mu)` */
  sub(other: RealLike): Vector {
    return arith("sub", this, other, callerSpan()) as Vector;
  }
  /** Elementwise `this * other`. @example `x.mul(beta)` */
  mul(other: RealLike): Vector {
    return arith("mul", this, other, callerSpan()) as Vector;
  }
  /** Elementwise `this / other`. @example `x.div(100)` */
  div(other: RealLike): Vector {
    return arith("div", this, other, callerSpan()) as Vector;
  }
  /** Elementwise power. @example `x.pow(2)` */
  pow(other: RealLike): Vector {
    return arith("pow", this, other, callerSpan()) as Vector;
  }
  /** Elementwise negation. @example `x.neg()` */
  neg(): Vector {
    return new Vector(ir.neg(this.expr, callerSpan()));
  }
  /** Elementwise exp. @example `logRate.exp()` */
  exp(): Vector {
    return call("exp", this, callerSpan()) as Vector;
  }
  /** Elementwise log. @example `x.log()` */
  log(): Vector {
    return call("log", this, callerSpan()) as Vector;
  }
  /** Elementwise log(1 + x). @example `x.log1p()` */
  log1p(): Vector {
    return call("log1p", this, callerSpan()) as Vector;
  }
  /** Elementwise exp(x) − 1. @example `x.expm1()` */
  expm1(): Vector {
    return call("expm1", this, callerSpan()) as Vector;
  }
  /** Elementwise logistic. @example `eta.logistic()` */
  logistic(): Vector {
    return call("logistic", this, callerSpan()) as Vector;
  }
  /** Elementwise log(1 + exp(x)). @example `x.softplus()` */
  softplus(): Vector {
    return call("softplus", this, callerSpan()) as Vector;
  }
  /** Elementwise |x|. @example `x.abs()` */
  abs(): Vector {
    return call("abs", this, callerSpan()) as Vector;
  }
  /** Elementwise √x. @example `v.sqrt()` */
  sqrt(): Vector {
    return call("sqrt", this, callerSpan()) as Vector;
  }
  /** Σ x. @example `logLik.sum()` */
  sum(): Scalar {
    return reduce("sum", this, callerSpan());
  }
  /** Mean of the elements. @example `x.mean()` */
  mean(): Scalar {
    return reduce("mean", this, callerSpan());
  }
  /** log Σ exp(x), computed stably. @example `logWeights.logSumExp()` */
  logSumExp(): Scalar {
    return reduce("log_sum_exp", this, callerSpan());
  }
  /** Inner product with another vector. @example `x.dot(beta)` */
  dot(other: Vector): Scalar {
    return new Scalar(ir.dot(this.expr, vectorOperand(other, "dot").expr, callerSpan()));
  }
  /** Element at a 0-based position. @example `beta.at(0)` (Stan's `beta[1]`) */
  at(position: number): Scalar {
    return new Scalar(ir.index(this.expr, position, callerSpan()));
  }
  /**
   * `this[index]` for integer data: one element per index (group effects such as
   * `alpha.gather(county)`). The index's base comes from its declaration (`data.index`).
   *
   * @example
   * ```ts
   * const county = data.index("county", N, { base: 1 });
   * const mu = alpha.gather(county).add(floor.mul(beta));
   * ```
   */
  gather(index: IntVector): Vector {
    if (!(index instanceof IntVector)) {
      throw new ModelError({
        where: "gather",
        what: "the index must be integer data",
        expected: "a value from data.index() or data.ints()",
        span: callerSpan(),
      });
    }
    return new Vector(ir.gather(this.expr, index.expr, index.base, callerSpan()));
  }
}

/**
 * Integer vector data (counts, 0/1 outcomes, group indices).
 *
 * @example
 * ```ts
 * const county = data.index("county_idx", N, { base: 1 });
 * ```
 */
export class IntVector extends Vector {
  /**
   * @param expr - a reference to int vector data
   * @param base - 1 when the values are 1-based positions (Stan-style), 0 otherwise
   */
  constructor(
    override readonly expr: RefExpr,
    readonly base: 0 | 1,
  ) {
    super(expr);
  }
}

/**
 * Matrix data, bound at compile time as a dense array or any LinearOperator (CSR, Kronecker,
 * low-rank…). It can only multiply a vector.
 *
 * @example
 * ```ts
 * const X = data.matrix("X", N, D);
 * const eta = X.matvec(beta).add(alpha);
 * ```
 */
export class Matrix {
  /** Discriminates kinds at the type level. */
  readonly kind: "matrix" = "matrix";
  /** @param expr - a reference to matrix data */
  constructor(readonly expr: RefExpr) {}
  /** Number of rows (possibly symbolic). */
  get rows(): Dim {
    return this.expr.shape[0]!;
  }
  /** Number of columns (possibly symbolic). */
  get cols(): Dim {
    return this.expr.shape[1]!;
  }
  /** `A x`. @example `X.matvec(beta)` */
  matvec(x: Vector): Vector {
    return new Vector(ir.matvec(this.expr, vectorOperand(x, "matvec").expr, callerSpan()));
  }
}

/**
 * The IR expression of a value or number.
 *
 * @example
 * ```ts
 * toExpr(2); // a constant
 * ```
 */
export function toExpr(v: RealLike | readonly number[], span?: SourceSpan): Expr {
  if (typeof v === "number") return ir.constant(v, span);
  if (Array.isArray(v)) return ir.constant(v as readonly number[], span);
  if (v instanceof Scalar || v instanceof Vector) return v.expr;
  throw new ModelError({
    where: "model",
    what: "expected a number, scalar or vector",
    got: v instanceof Matrix ? "a matrix (matrices only multiply vectors: A.matvec(x))" : typeof v,
    span,
  });
}

/**
 * Wraps an expression in the value class of its rank.
 *
 * @example
 * ```ts
 * wrap(ir.constant(1)); // a Scalar
 * ```
 */
export function wrap(expr: Expr): Scalar | Vector {
  if (expr.shape.length === 0) return new Scalar(expr);
  if (expr.shape.length === 1) return new Vector(expr);
  throw new ShapeError({
    where: "model",
    what: "matrix-valued expressions are not supported here",
    got: ir.formatIrShape(expr.shape),
    span: expr.span,
  });
}

function arith(op: BinaryOp, left: Scalar | Vector, right: RealLike, span: SourceSpan | undefined): Scalar | Vector {
  return wrap(ir.binary(op, left.expr, toExpr(right, span), span));
}

function call(fn: CallFn, x: Scalar | Vector, span: SourceSpan | undefined): Scalar | Vector {
  return wrap(ir.call(fn, x.expr, span));
}

function reduce(op: ReduceOp, x: Vector, span: SourceSpan | undefined): Scalar {
  return new Scalar(ir.reduce(op, x.expr, span));
}

function vectorOperand(x: unknown, where: string): Vector {
  if (x instanceof Vector) return x;
  throw new ShapeError({
    where,
    what: "expected a vector",
    got: x instanceof Scalar ? "a scalar" : x instanceof Matrix ? "a matrix" : typeof x,
    expected: "a Vector",
    span: callerSpan(),
  });
}
