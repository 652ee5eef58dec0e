import type { SourceSpan } from "../core/span.js";
import type { Support } from "../core/support.js";

/**
 * One dimension of an IR shape: a concrete size, or the name of an `int` scalar data node whose
 * value fixes the size when data are bound (`"J"` in `vector[J] y`).
 *
 * @example
 * ```ts
 * const dims: Dim[] = [8, "J"];
 * ```
 */
export type Dim = number | string;

/**
 * The shape of an IR value: `[]` scalar, `[n]` vector, `[m, n]` matrix; dimensions may be
 * symbolic until data are bound.
 *
 * @example
 * ```ts
 * const s: IrShape = ["N", 4];
 * ```
 */
export type IrShape = readonly Dim[];

/**
 * Element type of an IR value. Integer values are exact (counts, indices); arithmetic on them
 * gives reals except for `+`, `-`, `*` and negation of integers.
 *
 * @example
 * ```ts
 * const t: DType = "int";
 * ```
 */
export type DType = "real" | "int";

/** Fields every expression carries. */
interface ExprBase {
  /** Shape of the expression's value. */
  readonly shape: IrShape;
  /** Element type of the value. */
  readonly dtype: DType;
  /** Where the expression was written, when known. */
  readonly span?: SourceSpan;
}

/**
 * A literal: a number, or a vector of numbers.
 *
 * @example
 * ```ts
 * const two: ConstExpr = { kind: "const", value: 2, shape: [], dtype: "int" };
 * ```
 */
export interface ConstExpr extends ExprBase {
  readonly kind: "const";
  readonly value: number | readonly number[];
}

/**
 * A reference to a named node (data, hyper, latent or deterministic).
 *
 * @example
 * ```ts
 * const mu: RefExpr = { kind: "ref", name: "mu", shape: [], dtype: "real" };
 * ```
 */
export interface RefExpr extends ExprBase {
  readonly kind: "ref";
  readonly name: string;
}

/**
 * Unary arithmetic operators.
 *
 * @example
 * ```ts
 * const op: UnaryOp = "neg";
 * ```
 */
export type UnaryOp = "neg";

/**
 * Elementwise negation `-x`.
 *
 * @example
 * ```ts
 * const e: UnaryExpr = { kind: "unary", op: "neg", arg: mu, shape: [], dtype: "real" };
 * ```
 */
export interface UnaryExpr extends ExprBase {
  readonly kind: "unary";
  readonly op: UnaryOp;
  readonly arg: Expr;
}

/**
 * Elementwise binary operators; a scalar operand broadcasts against a vector or matrix.
 *
 * @example
 * ```ts
 * const op: BinaryOp = "pow";
 * ```
 */
export type BinaryOp = "add" | "sub" | "mul" | "div" | "pow";

/**
 * Elementwise `left op right` with scalar broadcasting.
 *
 * @example
 * ```ts
 * const e: BinaryExpr = { kind: "binary", op: "add", left: a, right: b, shape: ["J"], dtype: "real" };
 * ```
 */
export interface BinaryExpr extends ExprBase {
  readonly kind: "binary";
  readonly op: BinaryOp;
  readonly left: Expr;
  readonly right: Expr;
}

/**
 * Elementwise math functions of one argument.
 *
 * @example
 * ```ts
 * const f: CallFn = "logistic";
 * ```
 */
export type CallFn = "exp" | "log" | "log1p" | "expm1" | "logistic" | "softplus" | "abs" | "sqrt";

/**
 * An elementwise math function applied to its argument, e.g. `exp(x)`.
 *
 * @example
 * ```ts
 * const e: CallExpr = { kind: "call", fn: "exp", arg: x, shape: ["N"], dtype: "real" };
 * ```
 */
export interface CallExpr extends ExprBase {
  readonly kind: "call";
  readonly fn: CallFn;
  readonly arg: Expr;
}

/**
 * Reductions of a vector or matrix to a scalar.
 *
 * @example
 * ```ts
 * const r: ReduceOp = "log_sum_exp";
 * ```
 */
export type ReduceOp = "sum" | "mean" | "log_sum_exp";

/**
 * A reduction over every element, e.g. `sum(x)`.
 *
 * @example
 * ```ts
 * const e: ReduceExpr = { kind: "reduce", op: "sum", arg: x, shape: [], dtype: "real" };
 * ```
 */
export interface ReduceExpr extends ExprBase {
  readonly kind: "reduce";
  readonly op: ReduceOp;
  readonly arg: Expr;
}

/**
 * One element of a vector at a constant 0-based position (`beta[1]` in model text is position 0).
 *
 * @example
 * ```ts
 * const e: IndexExpr = { kind: "index", arg: beta, index: 0, shape: [], dtype: "real" };
 * ```
 */
export interface IndexExpr extends ExprBase {
  readonly kind: "index";
  readonly arg: Expr;
  readonly index: number;
}

/**
 * `arg[index]` for an integer data vector `index`: element i of the result is
 * `arg[index[i] - base]`. Group-level effects (`alpha[county]`) are gathers; their adjoint is a
 * scatter-add. `base` is 1 for Stan-style 1-based index data, 0 for 0-based.
 *
 * @example
 * ```ts
 * const e: GatherExpr = { kind: "gather", arg: alpha, index: county, base: 1, shape: ["N"], dtype: "real" };
 * ```
 */
export interface GatherExpr extends ExprBase {
  readonly kind: "gather";
  readonly arg: Expr;
  readonly index: Expr;
  readonly base: 0 | 1;
}

/**
 * The inner product of two vectors of equal length.
 *
 * @example
 * ```ts
 * const e: DotExpr = { kind: "dot", left: x, right: beta, shape: [], dtype: "real" };
 * ```
 */
export interface DotExpr extends ExprBase {
  readonly kind: "dot";
  readonly left: Expr;
  readonly right: Expr;
}

/**
 * `A x` for a matrix-valued data node `A` (bound as a dense array or any runtime
 * LinearOperator: CSR, Kronecker, low-rank…). Its adjoint is the transposed product.
 *
 * @example
 * ```ts
 * const e: MatvecExpr = { kind: "matvec", matrix: X, vector: beta, shape: ["N"], dtype: "real" };
 * ```
 */
export interface MatvecExpr extends ExprBase {
  readonly kind: "matvec";
  readonly matrix: RefExpr;
  readonly vector: Expr;
}

/**
 * A vector built from scalar expressions, `[a, b, c]`.
 *
 * @example
 * ```ts
 * const e: VectorExpr = { kind: "vector", elements: [a, b], shape: [2], dtype: "real" };
 * ```
 */
export interface VectorExpr extends ExprBase {
  readonly kind: "vector";
  readonly elements: readonly Expr[];
}

/**
 * A typed expression tree. Every node carries its shape, element type and optional source span.
 *
 * @example
 * ```ts
 * function isLeaf(e: Expr): boolean { return e.kind === "const" || e.kind === "ref"; }
 * ```
 */
export type Expr =
  | ConstExpr
  | RefExpr
  | UnaryExpr
  | BinaryExpr
  | CallExpr
  | ReduceExpr
  | IndexExpr
  | GatherExpr
  | DotExpr
  | MatvecExpr
  | VectorExpr;

/**
 * Free-form tags on a latent, hyper-parameter or deterministic node, JSON values only. The
 * sparse-prior expansions tag every node they create, e.g.
 * `{ prior: "horseshoe", group: "beta", role: "local_scale" }`, so backends can find a
 * hierarchy's pieces again.
 *
 * @example
 * ```ts
 * const a: Annotations = { prior: "horseshoe", group: "beta", role: "global_scale" };
 * ```
 */
export interface Annotations {
  readonly prior?: string;
  readonly role?: string;
  readonly group?: string;
  readonly [key: string]: string | number | boolean | undefined;
}

/** Fields every node carries. */
interface NodeBase {
  /** Unique name within the model. */
  readonly name: string;
  /** Where the node was declared, when known. */
  readonly span?: SourceSpan;
}

/**
 * Data bound at compile time. Rank-2 real data are matrices, bound as dense arrays or
 * LinearOperators and usable only in `matvec`. `support` bounds are checked when data are bound;
 * `value` embeds a constant (set by the `fix` rewrite) that is used when the data object lacks it.
 *
 * @example
 * ```ts
 * const y: DataNode = { kind: "data", name: "y", shape: ["J"], dtype: "real" };
 * ```
 */
export interface DataNode extends NodeBase {
  readonly kind: "data";
  readonly shape: IrShape;
  readonly dtype: DType;
  readonly support?: Support;
  readonly value?: number | readonly number[];
}

/**
 * A point-estimated parameter (type-II maximum likelihood, EM hyper-parameters): it has a support
 * and an initial value but no prior, and is not part of θ.
 *
 * @example
 * ```ts
 * const g: HyperNode = { kind: "hyper", name: "gamma", shape: ["D"], support: POSITIVE, init: 1 };
 * ```
 */
export interface HyperNode extends NodeBase {
  readonly kind: "hyper";
  readonly shape: IrShape;
  readonly support: Support;
  readonly init: number | readonly number[];
  readonly annotations?: Annotations;
}

/**
 * A random variable `name ~ family(args)`. `support`, when present, is a declared constraint
 * that replaces the family's (Stan's `real<lower=0> sigma; sigma ~ normal(0, 1)`); the density is
 * then the family's, restricted. `parameterization` records how a hierarchy was written
 * (`"centered"`, `"noncentered"`), for reparameterising rewrites.
 *
 * @example
 * ```ts
 * const tau: LatentNode = { kind: "latent", name: "tau", family: "half_cauchy", args: { scale: five }, shape: [], dtype: "real" };
 * ```
 */
export interface LatentNode extends NodeBase {
  readonly kind: "latent";
  readonly family: string;
  readonly args: Readonly<Record<string, Expr>>;
  readonly shape: IrShape;
  /** `int` for discrete families (set by the builder from the family's signature). */
  readonly dtype: DType;
  readonly support?: Support;
  /**
   * Bounds computed from data, hyper-parameters and earlier latents (Stan's
   * `real<lower=0, upper=1 - alpha1> beta1`); present only when some bound is not a literal, and
   * then `support` is absent.
   */
  readonly bounds?: LatentBounds;
  readonly annotations?: Annotations;
  readonly parameterization?: string;
}

/**
 * Bounds of a continuous latent given as expressions of data, hyper-parameters and latents
 * declared before it. A scalar bound applies to every element; a vector bound has the latent's
 * shape. At least one of the two is present.
 *
 * @example
 * ```ts
 * const b: LatentBounds = { lower: { kind: "const", value: 0, shape: [], dtype: "int" }, upper: oneMinusAlpha };
 * ```
 */
export interface LatentBounds {
  readonly lower?: Expr;
  readonly upper?: Expr;
}

/**
 * An observation `data ~ family(args)`; `name` is the observed data node's name.
 *
 * @example
 * ```ts
 * const obs: ObservedNode = { kind: "observed", name: "y", family: "normal", args: { loc: theta, scale: sigma } };
 * ```
 */
export interface ObservedNode extends NodeBase {
  readonly kind: "observed";
  readonly family: string;
  readonly args: Readonly<Record<string, Expr>>;
}

/**
 * A named function of other nodes, `name = expr` (Stan's transformed data/parameters).
 *
 * @example
 * ```ts
 * const theta: DeterministicNode = { kind: "deterministic", name: "theta", expr };
 * ```
 */
export interface DeterministicNode extends NodeBase {
  readonly kind: "deterministic";
  readonly expr: Expr;
  readonly annotations?: Annotations;
}

/**
 * `target += expr` for a scalar expression. `part` says whether the term belongs to the prior
 * or the likelihood in the compiled model's split.
 *
 * @example
 * ```ts
 * const f: FactorNode = { kind: "factor", name: "factor_1", expr, part: "likelihood" };
 * ```
 */
export interface FactorNode extends NodeBase {
  readonly kind: "factor";
  readonly expr: Expr;
  readonly part: "prior" | "likelihood";
}

/**
 * A node of the model graph.
 *
 * @example
 * ```ts
 * function isRandom(n: ModelNode): boolean { return n.kind === "latent" || n.kind === "observed"; }
 * ```
 */
export type ModelNode = DataNode | HyperNode | LatentNode | ObservedNode | DeterministicNode | FactorNode;

/**
 * A frozen, validated model: nodes in an order where every reference points backwards.
 * Plain JSON data (see `graphToJSON`), built only by `GraphBuilder`.
 *
 * @example
 * ```ts
 * for (const node of graph.nodes) if (node.kind === "latent") console.log(node.name);
 * ```
 */
export interface ModelGraph {
  /** Format version of the graph (bumped on incompatible changes). */
  readonly version: 1;
  /** Model name. */
  readonly name: string;
  /** Nodes in definition order. */
  readonly nodes: readonly ModelNode[];
}

/** The graph format version written by this library. @example `IR_VERSION === 1` */
export const IR_VERSION = 1;
