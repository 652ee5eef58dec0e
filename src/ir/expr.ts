/**
 * Expression constructors with shape inference. Every constructor checks its operands' shapes
 * and computes the result's shape and element type, so an expression tree is well-typed by
 * construction; `GraphBuilder` re-runs the same constructors over incoming trees (from JSON or a
 * rewrite), so these functions are the single source of the shape rules.
 *
 * Symbolic dimensions (`"J"`) compare by name: `vector[J]` and `vector[J]` agree, `vector[J]` and
 * `vector[N]` do not, even if J and N happen to be equal in some data set (declare them with one
 * name). A symbolic and a concrete dimension are checked when data are bound.
 * @module ir/expr
 */
import { describeValue, ModelError, ShapeError } from "../core/errors.js";
import type { SourceSpan } from "../core/span.js";
import type {
  BinaryExpr,
  BinaryOp,
  CallExpr,
  CallFn,
  ConstExpr,
  Dim,
  DotExpr,
  DType,
  Expr,
  GatherExpr,
  IndexExpr,
  IrShape,
  MatvecExpr,
  ReduceExpr,
  ReduceOp,
  RefExpr,
  UnaryExpr,
  VectorExpr,
} from "./types.js";

/** Every elementwise function name, in documentation order. @example `CALL_FNS.includes("exp")` */
export const CALL_FNS: readonly CallFn[] = ["exp", "log", "log1p", "expm1", "logistic", "softplus", "abs", "sqrt"];
/** Every reduction name. @example `REDUCE_OPS.includes("sum")` */
export const REDUCE_OPS: readonly ReduceOp[] = ["sum", "mean", "log_sum_exp"];
/** Every binary operator name. @example `BINARY_OPS.includes("pow")` */
export const BINARY_OPS: readonly BinaryOp[] = ["add", "sub", "mul", "div", "pow"];

/**
 * Renders an IR shape for messages: `scalar`, `vector[J]`, `matrix[N, 4]`.
 *
 * @example
 * ```ts
 * formatIrShape(["N", 4]); // "matrix[N, 4]"
 * ```
 */
export function formatIrShape(shape: IrShape): string {
  if (shape.length === 0) return "scalar";
  if (shape.length === 1) return `vector[${shape[0]}]`;
  if (shape.length === 2) return `matrix[${shape[0]}, ${shape[1]}]`;
  return `array[${shape.join(", ")}]`;
}

/**
 * Whether two dimensions can be equal: identical numbers or names agree, two different numbers
 * or two different names do not, and a name against a number is decided when data are bound.
 *
 * @example
 * ```ts
 * dimsAgree("J", "J"); // true
 * dimsAgree("J", 8); // true (checked later)
 * dimsAgree("J", "N"); // false
 * ```
 */
export function dimsAgree(a: Dim, b: Dim): boolean {
  if (typeof a === typeof b) return a === b;
  return true;
}

/**
 * Whether two shapes have the same rank and agreeing dimensions.
 *
 * @example
 * ```ts
 * shapesAgree(["J"], ["J"]); // true
 * ```
 */
export function shapesAgree(a: IrShape, b: IrShape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!dimsAgree(a[i]!, b[i]!)) return false;
  return true;
}

/** Picks the more informative of two agreeing shapes (concrete sizes over names). */
function mergeShapes(a: IrShape, b: IrShape): IrShape {
  return a.map((d, i) => (typeof d === "number" ? d : b[i]!));
}

function spanOf(...exprs: Expr[]): SourceSpan | undefined {
  for (const e of exprs) if (e.span) return e.span;
  return undefined;
}

function withSpan<T extends object>(node: T, span: SourceSpan | undefined): T {
  return span ? { ...node, span } : node;
}

/**
 * A numeric literal (or a vector literal of numbers). Integers get dtype `int`.
 *
 * @example
 * ```ts
 * constant(5); // { kind: "const", value: 5, shape: [], dtype: "int" }
 * ```
 */
export function constant(value: number | readonly number[], span?: SourceSpan): ConstExpr {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) {
      throw new ModelError({
        where: "constant",
        what: "a literal must be finite",
        got: String(value),
        expected: "a finite number",
        span,
      });
    }
    return withSpan({ kind: "const", value, shape: [], dtype: Number.isInteger(value) ? "int" : "real" }, span);
  }
  if (value.length === 0) {
    throw new ShapeError({ where: "constant", what: "a vector literal needs at least one element", got: "[]", span });
  }
  for (let i = 0; i < value.length; i++) {
    if (!Number.isFinite(value[i])) {
      throw new ModelError({
        where: "constant",
        what: `a literal must be finite (element ${i})`,
        got: String(value[i]),
        expected: "a finite number",
        span,
      });
    }
  }
  const dtype: DType = value.every((v) => Number.isInteger(v)) ? "int" : "real";
  return withSpan({ kind: "const", value: Object.freeze([...value]), shape: [value.length], dtype }, span);
}

/**
 * A reference to a node of known shape (the builder's `ref` looks the shape up for you).
 *
 * @example
 * ```ts
 * ref("mu", [], "real");
 * ```
 */
export function ref(name: string, shape: IrShape, dtype: DType, span?: SourceSpan): RefExpr {
  return withSpan({ kind: "ref", name, shape, dtype }, span);
}

/**
 * Elementwise negation.
 *
 * @example
 * ```ts
 * neg(constant(2)); // -2 as an expression
 * ```
 */
export function neg(arg: Expr, span?: SourceSpan): UnaryExpr {
  return withSpan({ kind: "unary", op: "neg", arg, shape: arg.shape, dtype: arg.dtype }, span ?? arg.span);
}

/**
 * Elementwise `left op right`; a scalar broadcasts against anything, otherwise shapes must agree.
 *
 * @example
 * ```ts
 * binary("mul", thetaTrans, tau); // vector[J]
 * ```
 */
export function binary(op: BinaryOp, left: Expr, right: Expr, span?: SourceSpan): BinaryExpr {
  const where = span ?? spanOf(left, right);
  let shape: IrShape;
  if (left.shape.length === 0) shape = right.shape;
  else if (right.shape.length === 0) shape = left.shape;
  else if (shapesAgree(left.shape, right.shape)) shape = mergeShapes(left.shape, right.shape);
  else {
    throw new ShapeError({
      where: op,
      what: "operands do not broadcast",
      got: `${formatIrShape(left.shape)} and ${formatIrShape(right.shape)}`,
      expected: "equal shapes or one scalar",
      hint: "declare both with the same size name, or index/reduce one of them first.",
      span: where,
    });
  }
  const dtype: DType = left.dtype === "int" && right.dtype === "int" && op !== "div" && op !== "pow" ? "int" : "real";
  return withSpan({ kind: "binary", op, left, right, shape, dtype }, where);
}

/**
 * An elementwise math function.
 *
 * @example
 * ```ts
 * call("exp", logSigma);
 * ```
 */
export function call(fn: CallFn, arg: Expr, span?: SourceSpan): CallExpr {
  if (!CALL_FNS.includes(fn)) {
    throw new ModelError({
      where: "call",
      what: `unknown function '${fn}'`,
      expected: `one of ${CALL_FNS.join(", ")}`,
      span: span ?? arg.span,
    });
  }
  return withSpan({ kind: "call", fn, arg, shape: arg.shape, dtype: "real" }, span ?? arg.span);
}

/**
 * A reduction of a vector or matrix to a scalar.
 *
 * @example
 * ```ts
 * reduce("sum", logLik);
 * ```
 */
export function reduce(op: ReduceOp, arg: Expr, span?: SourceSpan): ReduceExpr {
  if (arg.shape.length === 0) {
    throw new ShapeError({
      where: `${op}()`,
      what: "cannot reduce a scalar",
      got: "scalar",
      expected: "a vector or matrix",
      span: span ?? arg.span,
    });
  }
  const dtype: DType = op === "sum" && arg.dtype === "int" ? "int" : "real";
  return withSpan({ kind: "reduce", op, arg, shape: [], dtype }, span ?? arg.span);
}

/**
 * Element `index` (0-based) of a vector.
 *
 * @example
 * ```ts
 * index(beta, 0); // beta[1] in model text
 * ```
 */
export function index(arg: Expr, position: number, span?: SourceSpan): IndexExpr {
  const where = span ?? arg.span;
  if (arg.shape.length !== 1) {
    throw new ShapeError({
      where: "index",
      what: "only vectors can be indexed",
      got: formatIrShape(arg.shape),
      expected: "a vector",
      span: where,
    });
  }
  const size = arg.shape[0]!;
  if (!Number.isInteger(position) || position < 0 || (typeof size === "number" && position >= size)) {
    throw new ShapeError({
      where: "index",
      what: "position out of range",
      got: String(position),
      expected:
        typeof size === "number" ? `an integer in [0, ${size - 1}] (0-based)` : "a non-negative integer (0-based)",
      span: where,
    });
  }
  return withSpan({ kind: "index", arg, index: position, shape: [], dtype: arg.dtype }, where);
}

/**
 * `arg[idx]` for an integer vector `idx` with the given base (1 for Stan-style data).
 *
 * @example
 * ```ts
 * gather(alpha, countyIdx, 1); // alpha[county_idx], one value per observation
 * ```
 */
export function gather(arg: Expr, idx: Expr, base: 0 | 1, span?: SourceSpan): GatherExpr {
  const where = span ?? spanOf(idx, arg);
  if (arg.shape.length !== 1) {
    throw new ShapeError({
      where: "gather",
      what: "only vectors can be gathered from",
      got: formatIrShape(arg.shape),
      expected: "a vector",
      span: where,
    });
  }
  if (idx.shape.length !== 1 || idx.dtype !== "int") {
    throw new ModelError({
      where: "gather",
      what: "the index must be an integer vector",
      got: `${idx.dtype} ${formatIrShape(idx.shape)}`,
      expected: "int vector (integer data)",
      hint: "declare the index data as integers, e.g. data.index('county', N).",
      span: where,
    });
  }
  if (base !== 0 && base !== 1) {
    throw new ModelError({ where: "gather", what: "index base must be 0 or 1", got: String(base), span: where });
  }
  return withSpan({ kind: "gather", arg, index: idx, base, shape: idx.shape, dtype: arg.dtype }, where);
}

/**
 * The inner product of two vectors.
 *
 * @example
 * ```ts
 * dot(x, beta);
 * ```
 */
export function dot(left: Expr, right: Expr, span?: SourceSpan): DotExpr {
  const where = span ?? spanOf(left, right);
  if (left.shape.length !== 1 || right.shape.length !== 1 || !dimsAgree(left.shape[0]!, right.shape[0]!)) {
    throw new ShapeError({
      where: "dot",
      what: "operands must be vectors of one length",
      got: `${formatIrShape(left.shape)} and ${formatIrShape(right.shape)}`,
      expected: "two vectors of equal length",
      span: where,
    });
  }
  return withSpan({ kind: "dot", left, right, shape: [], dtype: "real" }, where);
}

/**
 * `A x` for a matrix data reference `A` and a vector `x` of length cols(A).
 *
 * @example
 * ```ts
 * matvec(ref("X", ["N", "D"], "real"), beta); // vector[N]
 * ```
 */
export function matvec(matrix: RefExpr, vector: Expr, span?: SourceSpan): MatvecExpr {
  const where = span ?? spanOf(vector, matrix);
  if (matrix.kind !== "ref" || matrix.shape.length !== 2) {
    throw new ShapeError({
      where: "matvec",
      what: "the left operand must be matrix data",
      got: formatIrShape(matrix.shape),
      expected: "a matrix (dense or LinearOperator data)",
      span: where,
    });
  }
  if (vector.shape.length !== 1 || !dimsAgree(matrix.shape[1]!, vector.shape[0]!)) {
    throw new ShapeError({
      where: "matvec",
      what: `inner sizes of '${matrix.name}' and the vector differ`,
      got: `${formatIrShape(matrix.shape)} times ${formatIrShape(vector.shape)}`,
      expected: `a vector[${matrix.shape[1]}]`,
      span: where,
    });
  }
  return withSpan({ kind: "matvec", matrix, vector, shape: [matrix.shape[0]!], dtype: "real" }, where);
}

/**
 * A vector literal of scalar expressions.
 *
 * @example
 * ```ts
 * vector([alpha, beta]); // vector[2]
 * ```
 */
export function vector(elements: readonly Expr[], span?: SourceSpan): VectorExpr {
  const where = span ?? spanOf(...elements);
  if (elements.length === 0) {
    throw new ShapeError({
      where: "vector",
      what: "a vector literal needs at least one element",
      got: "[]",
      span: where,
    });
  }
  elements.forEach((e, i) => {
    if (e.shape.length !== 0) {
      throw new ShapeError({
        where: "vector",
        what: `element ${i} is not a scalar`,
        got: formatIrShape(e.shape),
        expected: "scalar",
        span: e.span ?? where,
      });
    }
  });
  const dtype: DType = elements.every((e) => e.dtype === "int") ? "int" : "real";
  return withSpan({ kind: "vector", elements: Object.freeze([...elements]), shape: [elements.length], dtype }, where);
}

/**
 * The value of an expression built only from literals (`-1`, `[1, 2]`, `-(2)`), or undefined.
 * Used to check constant family arguments against their supports when a model is built.
 *
 * @example
 * ```ts
 * constantValue(neg(constant(1))); // -1
 * ```
 */
export function constantValue(expr: Expr): number | readonly number[] | undefined {
  switch (expr.kind) {
    case "const":
      return expr.value;
    case "unary": {
      const v = constantValue(expr.arg);
      if (v === undefined) return undefined;
      return typeof v === "number" ? -v : v.map((x) => -x);
    }
    case "vector": {
      const out: number[] = [];
      for (const e of expr.elements) {
        const v = constantValue(e);
        if (typeof v !== "number") return undefined;
        out.push(v);
      }
      return out;
    }
    default:
      return undefined;
  }
}

/**
 * Names referenced anywhere inside an expression, in first-use order.
 *
 * @example
 * ```ts
 * referencedNames(binary("add", ref("a", [], "real"), ref("b", [], "real"))); // ["a", "b"]
 * ```
 */
export function referencedNames(expr: Expr): string[] {
  const seen = new Set<string>();
  const visit = (e: Expr): void => {
    if (e.kind === "ref") seen.add(e.name);
    else forEachChild(e, visit);
  };
  visit(expr);
  return [...seen];
}

/**
 * Calls `visit` on each direct sub-expression of `expr`, left to right (a matvec's matrix before
 * its vector); constants and references have none. Tree walkers recurse through it so that a new
 * expression kind is handled in one place.
 *
 * @example
 * ```ts
 * const count = (e: Expr): number => { let n = 1; forEachChild(e, (c) => { n += count(c); }); return n; };
 * ```
 */
export function forEachChild(expr: Expr, visit: (child: Expr) => void): void {
  switch (expr.kind) {
    case "const":
    case "ref":
      return;
    case "unary":
    case "call":
    case "reduce":
    case "index":
      visit(expr.arg);
      return;
    case "binary":
    case "dot":
      visit(expr.left);
      visit(expr.right);
      return;
    case "gather":
      visit(expr.arg);
      visit(expr.index);
      return;
    case "matvec":
      visit(expr.matrix);
      visit(expr.vector);
      return;
    case "vector":
      for (const x of expr.elements) visit(x);
      return;
  }
}

/**
 * Rebuilds an expression bottom-up through the constructors above, replacing each reference by
 * `resolve(ref)`. With the identity resolver it re-derives every shape (validation); rewrites
 * use it to substitute constants for names.
 *
 * @example
 * ```ts
 * const checked = rebuildExpr(expr, (r) => ref(r.name, lookupShape(r.name), "real", r.span));
 * ```
 */
export function rebuildExpr(expr: Expr, resolve: (r: RefExpr) => Expr): Expr {
  const go = (e: Expr): Expr => {
    switch (e.kind) {
      case "const":
        return constant(e.value, e.span);
      case "ref":
        return resolve(e);
      case "unary":
        return neg(go(e.arg), e.span);
      case "binary":
        return binary(e.op, go(e.left), go(e.right), e.span);
      case "call":
        return call(e.fn, go(e.arg), e.span);
      case "reduce":
        return reduce(e.op, go(e.arg), e.span);
      case "index":
        return index(go(e.arg), e.index, e.span);
      case "gather":
        return gather(go(e.arg), go(e.index), e.base, e.span);
      case "dot":
        return dot(go(e.left), go(e.right), e.span);
      case "matvec": {
        const m = go(e.matrix);
        if (m.kind !== "ref") {
          throw new ModelError({
            where: "matvec",
            what: `matrix '${e.matrix.name}' must stay a data reference`,
            got: m.kind,
            expected: "ref",
            span: e.span,
          });
        }
        return matvec(m, go(e.vector), e.span);
      }
      case "vector":
        return vector(e.elements.map(go), e.span);
      default:
        throw new ModelError({
          where: "expression",
          what: "unknown expression kind",
          got: describeValue((e as { kind?: unknown }).kind),
          expected: "const, ref, unary, binary, call, reduce, index, gather, dot, matvec or vector",
        });
    }
  };
  return go(expr);
}
