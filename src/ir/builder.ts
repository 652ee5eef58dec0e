/**
 * The only way to make a {@link ModelGraph}: a builder that checks every invariant as a node is
 * added (unique names, references to earlier nodes, family arguments against the family's
 * signature, shapes, constant arguments inside their supports) and then freezes the graph.
 * Both front ends, JSON loading and the rewrites go through it, so a graph that exists is valid.
 * @module ir/builder
 */
import { DomainError, describeValue, ModelError, ShapeError } from "../core/errors.js";
import type { FamilySignature, SignatureLookup } from "../core/family.js";
import type { SourceSpan } from "../core/span.js";
import { formatSupport, inScalarSupport, isDiscrete, type Support } from "../core/support.js";
import { findSupportViolation } from "../core/support_check.js";
import { constantValue, formatIrShape, rebuildExpr, ref as refExpr, referencedNames, shapesAgree } from "./expr.js";
import { closestName, suggestionHint } from "./suggest.js";
import type {
  Annotations,
  DataNode,
  DeterministicNode,
  Dim,
  DType,
  Expr,
  FactorNode,
  HyperNode,
  IrShape,
  LatentBounds,
  LatentNode,
  ModelGraph,
  ModelNode,
  ObservedNode,
  RefExpr,
} from "./types.js";

/**
 * Words of the model language that cannot name a node or a model: every keyword of its lexer
 * (a node named `bool` or `simplex` would print as text that does not parse back), and a few
 * names the printed text uses.
 *
 * @example
 * ```ts
 * RESERVED_WORDS.has("model"); // true
 * ```
 */
export const RESERVED_WORDS: ReadonlySet<string> = new Set([
  "functions",
  "data",
  "hyper",
  "parameters",
  "transformed",
  "model",
  "generated",
  "quantities",
  "target",
  "int",
  "real",
  "bool",
  "vector",
  "matrix",
  "sparse_matrix",
  "operator",
  "array",
  "simplex",
  "ordered",
  "positive_ordered",
  "cholesky_factor_corr",
  "void",
  "for",
  "in",
  "while",
  "if",
  "else",
  "return",
  "lower",
  "upper",
  "gather",
  "dot",
  "sum",
  "mean",
  "log_sum_exp",
]);
const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]*$/;
/**
 * Annotation keys the model language reads as node fields, so they could not print and parse
 * back as tags: `@part` is a factor's part (the text allows it only on `target +=`), and on a
 * latent `@parameterization` is its parameterization. On other declarations `@parameterization`
 * is an ordinary tag.
 */
const RESERVED_ANNOTATIONS = new Set(["part"]);
const RESERVED_LATENT_ANNOTATIONS = new Set(["parameterization", "part"]);

/**
 * What `data()` needs. @example `{ name: "y", shape: ["J"] }`
 */
export interface DataSpec {
  readonly name: string;
  readonly shape: IrShape;
  readonly dtype?: DType;
  /** Defaults to `{ kind: "integer" }` for int data and to none for real data. */
  readonly support?: Support;
  readonly value?: number | readonly number[];
  readonly span?: SourceSpan;
}

/** What `hyper()` needs. @example `{ name: "gamma", shape: ["D"], support: POSITIVE, init: 1 }` */
export interface HyperSpec {
  readonly name: string;
  readonly shape?: IrShape;
  readonly support?: Support;
  readonly init: number | readonly number[];
  readonly annotations?: Annotations;
  readonly span?: SourceSpan;
}

/** What `latent()` needs; `shape` defaults to the broadcast shape of the arguments. @example `{ name: "mu", family: "normal", args: { loc, scale } }` */
export interface LatentSpec {
  readonly name: string;
  /** Ignored: the builder derives it from the family (present so a LatentNode is a LatentSpec). */
  readonly dtype?: DType;
  readonly family: string;
  readonly args: Readonly<Record<string, Expr>>;
  readonly shape?: IrShape;
  /** `positive` is stored as `lower(0)`, the same model for a latent, as the text `<lower=0>` gives. */
  readonly support?: Support;
  /**
   * Bounds given as expressions of data, hyper-parameters and earlier latents (exclusive with
   * `support`); bounds that are all number literals become a `support`.
   */
  readonly bounds?: LatentBounds;
  readonly annotations?: Annotations;
  readonly parameterization?: string;
  readonly span?: SourceSpan;
}

/** What `observed()` needs; `name` is the observed data node. @example `{ name: "y", family: "normal", args }` */
export interface ObservedSpec {
  readonly name: string;
  readonly family: string;
  readonly args: Readonly<Record<string, Expr>>;
  readonly span?: SourceSpan;
}

/** What `deterministic()` needs. @example `{ name: "theta", expr }` */
export interface DeterministicSpec {
  readonly name: string;
  readonly expr: Expr;
  readonly annotations?: Annotations;
  readonly span?: SourceSpan;
}

/** What `factor()` needs; the name defaults to `factor_<k>`, the part to likelihood. @example `{ expr }` */
export interface FactorSpec {
  readonly expr: Expr;
  readonly name?: string;
  readonly part?: "prior" | "likelihood";
  readonly span?: SourceSpan;
}

/**
 * Builds a model graph node by node, validating as it goes, then freezes it.
 *
 * @example
 * ```ts
 * const b = new GraphBuilder("demo", registry);
 * const mu = b.latent({ name: "mu", family: "normal", args: { loc: constant(0), scale: constant(1) } });
 * b.data({ name: "y", shape: [3] });
 * b.observed({ name: "y", family: "normal", args: { loc: mu, scale: constant(1) } });
 * const graph = b.build();
 * ```
 */
export class GraphBuilder {
  private readonly nodes: ModelNode[] = [];
  private readonly byName = new Map<string, ModelNode>();
  private readonly observedNames = new Set<string>();
  private factorCount = 0;
  private frozen = false;

  /**
   * @param name - the model's name
   * @param families - the signatures of the distribution families the model may use
   */
  constructor(
    readonly name: string,
    readonly families: SignatureLookup,
  ) {
    checkName(name, "model", undefined);
  }

  /**
   * The node of that name, if any.
   *
   * @example
   * ```ts
   * b.node("mu")?.kind; // "latent"
   * ```
   */
  node(name: string): ModelNode | undefined {
    return this.byName.get(name);
  }

  /**
   * A typed reference to an existing data, hyper, latent or deterministic node.
   *
   * @example
   * ```ts
   * const mu = b.ref("mu");
   * ```
   */
  ref(name: string, span?: SourceSpan): RefExpr {
    const node = this.byName.get(name);
    if (node === undefined || node.kind === "factor") {
      throw new ModelError({
        where: `model '${this.name}'`,
        what: `unknown name '${name}'`,
        hint: suggestionHint(name, this.referenceableNames(), "names"),
        span,
      });
    }
    const { shape, dtype } = valueType(node);
    return refExpr(name, shape, dtype, span);
  }

  /**
   * Declares data (bound at compile time).
   *
   * @example
   * ```ts
   * const J = b.data({ name: "J", shape: [], dtype: "int" });
   * const y = b.data({ name: "y", shape: ["J"] });
   * ```
   */
  data(spec: DataSpec): RefExpr {
    const where = `data '${spec.name}'`;
    this.claim(spec.name, spec.span);
    const dtype = spec.dtype ?? "real";
    this.checkShape(spec.shape, where, spec.span);
    if (spec.shape.length > 2) {
      throw new ShapeError({
        where,
        what: "data of rank above 2 is not supported",
        got: formatIrShape(spec.shape),
        expected: "scalar, vector or matrix",
        span: spec.span,
      });
    }
    if (spec.shape.length === 2 && dtype !== "real") {
      throw new ModelError({ where, what: "matrix data must be real", got: dtype, expected: "real", span: spec.span });
    }
    if (spec.support !== undefined) {
      if (dtype === "int" && !isDiscrete(spec.support)) {
        throw new ModelError({
          where,
          what: "integer data needs an integer support",
          got: formatSupport(spec.support),
          expected: "integer(lower, upper)",
          span: spec.span,
        });
      }
      if (dtype === "real" && isDiscrete(spec.support)) {
        throw new ModelError({
          where,
          what: "real data cannot have a discrete support",
          got: formatSupport(spec.support),
          hint: "declare the data as int.",
          span: spec.span,
        });
      }
    }
    // Integer data always carries an integer support, as the text front end gives `int` data, so
    // both front ends build equal graphs and parse(print(graph)) equals the graph. The default
    // admits exactly what `int` admits, so validation does not change.
    const support: Support | undefined = spec.support ?? (dtype === "int" ? { kind: "integer" } : undefined);
    if (spec.value !== undefined) checkEmbeddedValue(spec.value, spec.shape, dtype, support, where, spec.span);
    const node: DataNode = freezeDeep({
      kind: "data",
      name: spec.name,
      shape: [...spec.shape],
      dtype,
      ...(support ? { support } : {}),
      ...(spec.value !== undefined ? { value: typeof spec.value === "number" ? spec.value : [...spec.value] } : {}),
      ...(spec.span ? { span: spec.span } : {}),
    });
    this.push(node);
    return refExpr(node.name, node.shape, dtype, spec.span);
  }

  /**
   * Declares a point-estimated hyper-parameter.
   *
   * @example
   * ```ts
   * const gamma = b.hyper({ name: "gamma", shape: ["D"], support: POSITIVE, init: 1 });
   * ```
   */
  hyper(spec: HyperSpec): RefExpr {
    const where = `hyper '${spec.name}'`;
    this.claim(spec.name, spec.span);
    const shape = spec.shape ?? [];
    this.checkShape(shape, where, spec.span);
    const support = spec.support ?? { kind: "real" };
    if (isDiscrete(support)) {
      throw new ModelError({
        where,
        what: "hyper-parameters must be continuous",
        got: formatSupport(support),
        expected: "a continuous support",
        span: spec.span,
      });
    }
    const init = spec.init;
    if (typeof init !== "number") {
      const size = shape.length === 1 ? shape[0] : undefined;
      if (shape.length !== 1 || (typeof size === "number" && init.length !== size)) {
        throw new ShapeError({
          where,
          what: "initial value does not match the shape",
          got: `${init.length} values`,
          expected: formatIrShape(shape),
          hint: "give one number to fill every element.",
          span: spec.span,
        });
      }
    }
    this.checkHyperInit(spec.name, shape, support, init, spec.span);
    const annotations =
      spec.annotations && canonicalAnnotations(spec.annotations, where, spec.span, RESERVED_ANNOTATIONS);
    const node: HyperNode = freezeDeep({
      kind: "hyper",
      name: spec.name,
      shape: [...shape],
      support,
      init: typeof init === "number" ? init : [...init],
      ...(annotations ? { annotations } : {}),
      ...(spec.span ? { span: spec.span } : {}),
    });
    this.push(node);
    return refExpr(node.name, node.shape, "real", spec.span);
  }

  /**
   * Checks a hyper-parameter's initial value against its support with the checker data and
   * `setHyper` use. With literal sizes the whole value is checked; with a symbolic size a
   * constrained vector (simplex, ordered…) is checked when compiled, once the size is known, and
   * elementwise supports are checked on the numbers given. The IR holds a matrix's initial value
   * as one repeated number, and for K ≥ 2 no repeated number is a correlation Cholesky factor
   * (the entries above the diagonal must be 0, the diagonal ones positive), so a
   * `cholesky_factor_corr` hyper-parameter must be 1 × 1.
   */
  private checkHyperInit(
    name: string,
    shape: IrShape,
    support: Support,
    init: number | readonly number[],
    span: SourceSpan | undefined,
  ): void {
    const where = `hyper '${name}'`;
    if (support.kind === "cholesky_corr" && !(shape.length === 2 && shape[0] === 1 && shape[1] === 1)) {
      throw new ModelError({
        where,
        what: "a cholesky_factor_corr hyper-parameter larger than 1 × 1 cannot have a valid initial value",
        got: shape.length === 2 && shape[0] === shape[1] ? `cholesky_factor_corr[${shape[0]}]` : formatIrShape(shape),
        expected: "cholesky_factor_corr[1]",
        hint: `a matrix hyper-parameter starts from one number repeated, which is not a Cholesky factor for K ≥ 2; declare '${name}' as data (cholesky_factor_corr[K] ${name} in the data block) and pass its value to compile(), or make it a parameter.`,
        span,
      });
    }
    const literal = shape.every((d): d is number => typeof d === "number");
    const elementwise = !["simplex", "ordered", "positive_ordered", "cholesky_corr"].includes(support.kind);
    if (!literal && !elementwise && typeof init === "number") return;
    const concrete: readonly number[] = literal ? shape : typeof init === "number" ? [] : [init.length];
    const size = concrete.reduce((a, b) => a * b, 1);
    const values = typeof init === "number" ? new Array<number>(size).fill(init) : init;
    const violation = findSupportViolation(support, values, concrete, name);
    if (violation !== undefined) {
      throw new ModelError({
        where: `initial value of ${where}`,
        what: violation.what,
        got: violation.got,
        expected: violation.expected,
        hint: violation.hint,
        span,
      });
    }
  }

  /**
   * Declares a latent variable `name ~ family(args)`.
   *
   * @example
   * ```ts
   * const tau = b.latent({ name: "tau", family: "half_cauchy", args: { scale: constant(5) } });
   * ```
   */
  latent(spec: LatentSpec): RefExpr {
    const where = `latent '${spec.name}'`;
    this.claim(spec.name, spec.span);
    if (spec.shape !== undefined) this.checkShape(spec.shape, where, spec.span);
    const { sig, args, shape } = this.checkFamilyCall(spec.family, spec.args, spec.shape, spec.name, spec.span);
    if (spec.support !== undefined && hasNaNBound(spec.support)) {
      throw new ModelError({
        where,
        what: "declared bounds must not be NaN",
        got: formatSupport(spec.support),
        span: spec.span,
      });
    }
    if (spec.support !== undefined && isDiscrete(spec.support) !== sig.discrete) {
      throw new ModelError({
        where,
        what: `declared support does not suit the ${sig.discrete ? "discrete" : "continuous"} family '${sig.family}'`,
        got: formatSupport(spec.support),
        span: spec.span,
      });
    }
    // A latent's value only ever comes through its bijector, which is open at the bound either way,
    // so `positive` and `lower(0)` mean the same model; store the form the text `<lower=0>` gives
    // so parse(print(graph)) equals the graph. Data and hyper values are checked against their
    // support (positive rejects 0, lower(0) admits it), so theirs stay as declared.
    const dynamic = spec.bounds === undefined ? undefined : this.checkBounds(spec, shape, sig.discrete, where);
    const declared = dynamic?.support ?? spec.support;
    const support: Support | undefined = declared?.kind === "positive" ? { kind: "lower", lower: 0 } : declared;
    const bounds = dynamic?.bounds;
    const annotations =
      spec.annotations && canonicalAnnotations(spec.annotations, where, spec.span, RESERVED_LATENT_ANNOTATIONS);
    const node: LatentNode = freezeDeep({
      kind: "latent",
      name: spec.name,
      family: sig.family,
      args,
      shape: [...shape],
      dtype: sig.discrete ? "int" : "real",
      ...(support ? { support } : {}),
      ...(bounds ? { bounds } : {}),
      ...(annotations ? { annotations } : {}),
      ...(spec.parameterization !== undefined ? { parameterization: spec.parameterization } : {}),
      ...(spec.span ? { span: spec.span } : {}),
    });
    this.push(node);
    return refExpr(node.name, node.shape, sig.discrete ? "int" : "real", spec.span);
  }

  /**
   * Declares an observation of a data node, `name ~ family(args)`.
   *
   * @example
   * ```ts
   * b.observed({ name: "y", family: "normal", args: { loc: theta, scale: sigma } });
   * ```
   */
  observed(spec: ObservedSpec): void {
    this.open(spec.span);
    const target = this.byName.get(spec.name);
    if (target === undefined || target.kind !== "data") {
      throw new ModelError({
        where: `observe '${spec.name}'`,
        what:
          target === undefined
            ? `unknown data '${spec.name}'`
            : `only data can be observed, but '${spec.name}' is ${article(target.kind)}`,
        hint:
          target === undefined
            ? suggestionHint(spec.name, this.namesOfKind("data"), "data")
            : "declare it as data, or use condition() to turn a latent into an observation.",
        span: spec.span,
      });
    }
    if (this.observedNames.has(spec.name)) {
      throw new ModelError({
        where: `observe '${spec.name}'`,
        what: "data is already observed",
        hint: "each data node takes one distribution statement; add terms with a factor instead.",
        span: spec.span,
      });
    }
    if (target.shape.length === 2) {
      throw new ShapeError({
        where: `observe '${spec.name}'`,
        what: "matrix data cannot be observed",
        got: formatIrShape(target.shape),
        expected: "scalar or vector",
        span: spec.span,
      });
    }
    const { sig, args } = this.checkFamilyCall(spec.family, spec.args, target.shape, spec.name, spec.span);
    if (sig.discrete && target.dtype !== "int") {
      throw new ModelError({
        where: `observe '${spec.name}'`,
        what: `the discrete family '${sig.family}' needs integer data`,
        got: `real ${formatIrShape(target.shape)}`,
        expected: "int data",
        hint: `declare '${spec.name}' as integer data.`,
        span: spec.span,
      });
    }
    const node: ObservedNode = freezeDeep({
      kind: "observed",
      name: spec.name,
      family: sig.family,
      args,
      ...(spec.span ? { span: spec.span } : {}),
    });
    this.observedNames.add(spec.name);
    this.nodes.push(node);
  }

  /**
   * Declares a named function of other nodes.
   *
   * @example
   * ```ts
   * const theta = b.deterministic({ name: "theta", expr: binary("add", mu, binary("mul", tau, z)) });
   * ```
   */
  deterministic(spec: DeterministicSpec): RefExpr {
    const where = `deterministic '${spec.name}'`;
    this.claim(spec.name, spec.span);
    const expr = this.checkExpr(spec.expr, where);
    const annotations =
      spec.annotations && canonicalAnnotations(spec.annotations, where, spec.span, RESERVED_ANNOTATIONS);
    const node: DeterministicNode = freezeDeep({
      kind: "deterministic",
      name: spec.name,
      expr,
      ...(annotations ? { annotations } : {}),
      ...(spec.span ? { span: spec.span } : {}),
    });
    this.push(node);
    return refExpr(node.name, expr.shape, expr.dtype, spec.span);
  }

  /**
   * Adds `target += expr` for a scalar expression.
   *
   * @example
   * ```ts
   * b.factor({ expr: reduce("sum", logWeights) });
   * ```
   */
  factor(spec: FactorSpec): void {
    this.open(spec.span);
    const name = spec.name ?? this.nextFactorName();
    this.claim(name, spec.span);
    const expr = this.checkExpr(spec.expr, `factor '${name}'`);
    if (expr.shape.length !== 0) {
      throw new ShapeError({
        where: `factor '${name}'`,
        what: "target += needs a scalar",
        got: formatIrShape(expr.shape),
        expected: "scalar",
        hint: "reduce it first, e.g. sum(...).",
        span: spec.span ?? expr.span,
      });
    }
    const node: FactorNode = freezeDeep({
      kind: "factor",
      name,
      expr,
      part: spec.part ?? "likelihood",
      ...(spec.span ? { span: spec.span } : {}),
    });
    this.push(node);
  }

  /**
   * Adds a complete node (as read from JSON or produced by a rewrite), with the same checks.
   *
   * @example
   * ```ts
   * for (const node of other.nodes) b.add(node);
   * ```
   */
  add(node: ModelNode): void {
    switch (node.kind) {
      case "data":
        this.data(node);
        return;
      case "hyper":
        this.hyper(node);
        return;
      case "latent":
        this.latent(node);
        return;
      case "observed":
        this.observed(node);
        return;
      case "deterministic":
        this.deterministic(node);
        return;
      case "factor":
        this.factor(node);
        return;
      default:
        throw new ModelError({
          where: `model '${this.name}'`,
          what: "unknown node kind",
          got: describeValue((node as { kind?: unknown }).kind),
          expected: "data, hyper, latent, observed, deterministic or factor",
        });
    }
  }

  /**
   * Freezes the graph; the builder accepts no more nodes. The nodes come out in a canonical
   * order (see `canonicalOrder`), so the graph does not depend on which of several
   * equivalent orders a front end declared them in.
   *
   * @example
   * ```ts
   * const graph = b.build();
   * ```
   */
  build(): ModelGraph {
    this.open(undefined);
    this.frozen = true;
    return Object.freeze({ version: 1, name: this.name, nodes: Object.freeze(canonicalOrder(this.nodes)) });
  }

  private open(span: SourceSpan | undefined): void {
    if (this.frozen) {
      throw new ModelError({
        where: `model '${this.name}'`,
        what: "the graph is already built",
        hint: "start a new GraphBuilder.",
        span,
      });
    }
  }

  private claim(name: string, span: SourceSpan | undefined): void {
    this.open(span);
    checkName(name, "node", span);
    const existing = this.byName.get(name);
    if (existing !== undefined) {
      throw new ModelError({
        where: `model '${this.name}'`,
        what: `duplicate name '${name}'`,
        got: `a second declaration (the first is ${article(existing.kind)}${existing.span ? ` at ${existing.span.line}:${existing.span.column}` : ""})`,
        expected: "unique names",
        hint: "rename one of them.",
        span,
      });
    }
  }

  private push(node: ModelNode): void {
    this.nodes.push(node);
    this.byName.set(node.name, node);
  }

  private nextFactorName(): string {
    let name: string;
    do name = `factor_${++this.factorCount}`;
    while (this.byName.has(name));
    return name;
  }

  private referenceableNames(): string[] {
    return [...this.byName.values()].filter((n) => n.kind !== "factor").map((n) => n.name);
  }

  private namesOfKind(kind: ModelNode["kind"]): string[] {
    return [...this.byName.values()].filter((n) => n.kind === kind).map((n) => n.name);
  }

  private checkShape(shape: IrShape, where: string, span: SourceSpan | undefined): void {
    if (!Array.isArray(shape)) {
      throw new ShapeError({ where, what: "shape must be an array of sizes", got: describeValue(shape), span });
    }
    shape.forEach((d: Dim) => {
      if (typeof d === "number") {
        if (!Number.isInteger(d) || d < 1) {
          throw new ShapeError({
            where,
            what: "sizes must be positive integers",
            got: String(d),
            expected: "an integer ≥ 1",
            span,
          });
        }
        return;
      }
      const sizeNode = this.byName.get(d);
      if (
        sizeNode === undefined ||
        sizeNode.kind !== "data" ||
        sizeNode.dtype !== "int" ||
        sizeNode.shape.length !== 0
      ) {
        throw new ModelError({
          where,
          what: `size '${d}' is not integer scalar data`,
          got: sizeNode === undefined ? "an unknown name" : `${article(sizeNode.kind)}`,
          expected: "a name declared earlier as `int` data",
          hint:
            sizeNode === undefined
              ? suggestionHint(d, this.namesOfKind("data"), "data")
              : `declare '${d}' as int data.`,
          span,
        });
      }
    });
  }

  /** Re-derives every shape of an expression against this graph's nodes. */
  private checkExpr(expr: Expr, where: string): Expr {
    const rebuilt = rebuildExpr(expr, (r) => {
      const node = this.byName.get(r.name);
      if (node === undefined || node.kind === "factor") {
        throw new ModelError({
          where,
          what: `unknown name '${r.name}'`,
          hint: suggestionHint(r.name, this.referenceableNames(), "names"),
          span: r.span ?? expr.span,
        });
      }
      const { shape, dtype } = valueType(node);
      return refExpr(r.name, shape, dtype, r.span);
    });
    checkMatrixUse(rebuilt, this.byName, where);
    return rebuilt;
  }

  /**
   * Checks a latent's expression bounds: continuous family, no `support` beside them, every
   * name declared before the latent (so θ's layout order computes bounds before the value), a
   * scalar or the latent's shape. All-literal bounds come back as a static support, so the DSL's
   * `{ lower: 0, upper: 1 }` and the text's `<lower=0, upper=1>` give the same graph.
   */
  private checkBounds(
    spec: LatentSpec,
    shape: IrShape,
    discrete: boolean,
    where: string,
  ): { support?: Support; bounds?: LatentBounds } {
    const raw = spec.bounds!;
    if (discrete) {
      throw new ModelError({
        where,
        what: "bounds given as expressions need a continuous latent",
        got: `the discrete family '${spec.family}'`,
        hint: "declare integer bounds as numbers (int<lower=0, upper=10>).",
        span: spec.span,
      });
    }
    if (spec.support !== undefined) {
      throw new ModelError({
        where,
        what: "both a support and bounds are declared",
        got: formatSupport(spec.support),
        hint: "give the bounds once, in `bounds`.",
        span: spec.span,
      });
    }
    const checked: { lower?: Expr; upper?: Expr } = {};
    for (const side of ["lower", "upper"] as const) {
      const e = raw[side];
      if (e === undefined) continue;
      const site = `${where}, ${side} bound`;
      for (const r of referencedNames(e)) {
        if (r === spec.name || !this.byName.has(r)) {
          throw new ModelError({
            where: site,
            what: `the bound reads '${r}', which is not declared before '${spec.name}'`,
            hint:
              r === spec.name
                ? "a bound cannot depend on the variable it bounds."
                : `declare '${r}' before '${spec.name}': bounds may read data, hyper-parameters and earlier parameters.`,
            span: e.span ?? spec.span,
          });
        }
      }
      const expr = this.checkExpr(e, site);
      if (expr.shape.length !== 0 && !shapesAgree(expr.shape, shape)) {
        throw new ShapeError({
          where: site,
          what: "the bound's shape does not match the latent's",
          got: formatIrShape(expr.shape),
          expected: shape.length === 0 ? "a scalar" : `a scalar or ${formatIrShape(shape)}`,
          span: expr.span ?? spec.span,
        });
      }
      checked[side] = expr;
    }
    const { lower, upper } = checked;
    if (lower === undefined && upper === undefined) return {};
    const lo = lower && foldScalar(lower);
    const hi = upper && foldScalar(upper);
    if ((lower === undefined || lo !== undefined) && (upper === undefined || hi !== undefined)) {
      if (lo !== undefined && hi !== undefined) return { support: { kind: "interval", lower: lo, upper: hi } };
      return { support: lo !== undefined ? { kind: "lower", lower: lo } : { kind: "upper", upper: hi! } };
    }
    return { bounds: checked };
  }

  private checkFamilyCall(
    family: string,
    rawArgs: Readonly<Record<string, Expr>>,
    declaredShape: IrShape | undefined,
    siteName: string,
    span: SourceSpan | undefined,
  ): { sig: FamilySignature; args: Record<string, Expr>; shape: IrShape } {
    const sig = this.families.signature(family);
    if (sig === undefined) {
      throw new ModelError({
        where: `'${siteName}' ~ ${family}()`,
        what: `unknown distribution family '${family}'`,
        hint: suggestionHint(family, this.families.families(), "families"),
        span,
      });
    }
    const where = `${sig.family}()`;
    if (rawArgs === null || typeof rawArgs !== "object") {
      throw new ModelError({
        where,
        what: "arguments must be an object of named expressions",
        got: describeValue(rawArgs),
        span,
      });
    }
    const names = Object.keys(rawArgs);
    for (const name of names) {
      if (!(name in sig.params)) {
        throw new ModelError({
          where,
          what: `unknown argument '${name}'`,
          got: `'${name}'`,
          expected: `one of ${sig.paramOrder.map((p) => `'${p}'`).join(", ")}`,
          hint:
            closestName(name, sig.paramOrder) !== undefined
              ? `did you mean '${closestName(name, sig.paramOrder)}'?`
              : undefined,
          span: rawArgs[name]?.span ?? span,
        });
      }
    }
    for (const p of sig.paramOrder) {
      if (!(p in rawArgs) && sig.params[p]!.default === undefined) {
        throw new ModelError({
          where,
          what: `missing argument '${p}'`,
          expected: `arguments ${sig.paramOrder.map((q) => `'${q}'`).join(", ")}`,
          hint: `write ${sig.family}(${sig.paramOrder.map((q) => `${q}=…`).join(", ")}).`,
          span,
        });
      }
    }
    const args: Record<string, Expr> = {};
    // Arguments in the family's positional order, so printing and JSON are canonical.
    for (const p of sig.paramOrder) {
      if (p in rawArgs) args[p] = this.checkExpr(rawArgs[p]!, `${where} argument '${p}'`);
    }
    let shape: IrShape | undefined = declaredShape;
    if (sig.eventRank === 0) {
      if (shape === undefined) {
        shape = [];
        for (const [p, a] of Object.entries(args)) {
          if (a.shape.length === 0) continue;
          if (shape.length === 0) shape = a.shape;
          else if (!shapesAgree(shape, a.shape)) {
            throw new ShapeError({
              where,
              what: `argument '${p}' does not broadcast against the others`,
              got: formatIrShape(a.shape),
              expected: formatIrShape(shape),
              span: a.span ?? span,
            });
          }
        }
      }
      for (const [p, a] of Object.entries(args)) {
        const spec = sig.params[p]!;
        const ok = spec.rank === 0 ? a.shape.length === 0 || shapesAgree(a.shape, shape) : a.shape.length === spec.rank;
        if (!ok) {
          throw new ShapeError({
            where,
            what: `argument '${p}' has the wrong shape for '${siteName}'`,
            got: formatIrShape(a.shape),
            expected:
              spec.rank !== 0
                ? `rank ${spec.rank}`
                : shape.length === 0
                  ? "scalar"
                  : `scalar or ${formatIrShape(shape)}`,
            span: a.span ?? span,
          });
        }
      }
    } else {
      if (shape === undefined) {
        throw new ShapeError({
          where,
          what: `the shape of '${siteName}' must be given for the multivariate family '${sig.family}'`,
          expected: `a shape of rank ${sig.eventRank}`,
          span,
        });
      }
      for (const [p, a] of Object.entries(args)) {
        const rank = sig.params[p]!.rank;
        if (a.shape.length !== rank) {
          throw new ShapeError({
            where,
            what: `argument '${p}' has the wrong rank`,
            got: formatIrShape(a.shape),
            expected: rank === 0 ? "scalar" : rank === 1 ? "vector" : "matrix",
            span: a.span ?? span,
          });
        }
      }
    }
    for (const [p, a] of Object.entries(args)) {
      const value = constantValue(a);
      if (value === undefined) continue;
      const support = sig.params[p]!.support;
      const values = typeof value === "number" ? [value] : value;
      values.forEach((v, i) => {
        if (!inScalarSupport(support, v)) {
          throw new DomainError({
            where,
            what: `parameter '${p}' must be ${supportPhrase(support)}`,
            got: typeof value === "number" ? describeValue(v) : `${describeValue(v)} at element ${i}`,
            span: a.span ?? span,
          });
        }
      });
    }
    return { sig, args, shape };
  }
}

/**
 * The canonical order of a graph's nodes, the order the printed text's blocks give back when
 * it is parsed: data, then deterministics of data alone (transformed data), then hyper-parameters
 * (they read nothing but data sizes), each group in declaration order; then latents, observations
 * and factors in declaration order, each preceded by the deterministics it reads that are not yet
 * placed (depth first, each node's inputs in declaration order); then unused deterministics.
 * Latents keep their relative order, so the parameter vector's layout is the declaration order.
 * `nodes` must be in a dependency order (the builder guarantees it); so is the result.
 */
function canonicalOrder(nodes: readonly ModelNode[]): ModelNode[] {
  const position = new Map<string, number>();
  const kinds = new Map<string, ModelNode["kind"]>();
  const deterministics = new Map<string, DeterministicNode>();
  const dataOnly = new Set<string>();
  nodes.forEach((n, i) => {
    if (n.kind === "observed") return;
    position.set(n.name, i);
    kinds.set(n.name, n.kind);
    if (n.kind !== "deterministic") return;
    deterministics.set(n.name, n);
    if (referencedNames(n.expr).every((r) => kinds.get(r) === "data" || dataOnly.has(r))) dataOnly.add(n.name);
  });
  const out: ModelNode[] = [];
  const placed = new Set<string>();
  const place = (n: ModelNode): void => {
    out.push(n);
    if (n.kind !== "observed") placed.add(n.name);
  };
  const placeInputs = (inputs: readonly string[]): void => {
    const waiting = [...new Set(inputs)]
      .filter((r) => deterministics.has(r) && !placed.has(r))
      .sort((a, b) => position.get(a)! - position.get(b)!);
    for (const r of waiting) {
      if (placed.has(r)) continue;
      const d = deterministics.get(r)!;
      placeInputs(referencedNames(d.expr));
      place(d);
    }
  };
  for (const n of nodes) if (n.kind === "data") place(n);
  for (const n of nodes) if (n.kind === "deterministic" && dataOnly.has(n.name)) place(n);
  for (const n of nodes) if (n.kind === "hyper") place(n);
  for (const n of nodes) {
    if (n.kind === "latent" || n.kind === "observed") {
      const bounds = n.kind === "latent" && n.bounds ? [n.bounds.lower, n.bounds.upper] : [];
      placeInputs([...bounds, ...Object.values(n.args)].flatMap((e) => (e ? referencedNames(e) : [])));
      place(n);
    } else if (n.kind === "factor") {
      placeInputs(referencedNames(n.expr));
      place(n);
    }
  }
  for (const n of nodes) if (n.kind === "deterministic" && !placed.has(n.name)) place(n);
  return out;
}

/** Shape and element type of the value a node defines. */
function valueType(node: ModelNode): { shape: IrShape; dtype: DType } {
  switch (node.kind) {
    case "data":
      return { shape: node.shape, dtype: node.dtype };
    case "hyper":
      return { shape: node.shape, dtype: "real" };
    case "latent":
      return { shape: node.shape, dtype: node.dtype };
    case "deterministic":
      return { shape: node.expr.shape, dtype: node.expr.dtype };
    default:
      return { shape: [], dtype: "real" };
  }
}

/** Matrix data are operators: they may only appear as the left operand of a matvec. */
function checkMatrixUse(expr: Expr, nodes: ReadonlyMap<string, ModelNode>, where: string): void {
  const visit = (e: Expr, asOperator: boolean): void => {
    switch (e.kind) {
      case "const":
        return;
      case "ref": {
        const node = nodes.get(e.name);
        if (node?.kind === "data" && node.shape.length === 2 && !asOperator) {
          throw new ModelError({
            where,
            what: `matrix data '${e.name}' can only be used in a matrix-vector product`,
            got: "an elementwise use",
            expected: `matvec(${e.name}, x)`,
            span: e.span,
          });
        }
        if (asOperator && node?.kind !== "data") {
          throw new ModelError({
            where,
            what: `matvec needs matrix data, but '${e.name}' is ${article(node?.kind ?? "unknown")}`,
            expected: "matrix data (dense or a LinearOperator)",
            span: e.span,
          });
        }
        return;
      }
      case "unary":
      case "call":
      case "reduce":
      case "index":
        visit(e.arg, false);
        return;
      case "binary":
      case "dot":
        visit(e.left, false);
        visit(e.right, false);
        return;
      case "gather":
        visit(e.arg, false);
        visit(e.index, false);
        return;
      case "matvec":
        visit(e.matrix, true);
        visit(e.vector, false);
        return;
      case "vector":
        for (const x of e.elements) visit(x, false);
        return;
    }
  };
  visit(expr, false);
}

function checkName(name: string, what: string, span: SourceSpan | undefined): void {
  if (typeof name !== "string" || !IDENTIFIER.test(name)) {
    throw new ModelError({
      where: `${what} name`,
      what: "not a valid identifier",
      got: describeValue(name),
      expected: "a letter followed by letters, digits or '_'",
      span,
    });
  }
  if (RESERVED_WORDS.has(name)) {
    throw new ModelError({
      where: `${what} name`,
      what: `'${name}' is a reserved word of the model language`,
      hint: `choose another name, e.g. '${name}_'.`,
      span,
    });
  }
}

/**
 * Checks a node's annotations and returns a copy with the keys sorted, the order the printer
 * writes them in, so a graph read back from its text (or from JSON) serialises identically.
 */
function canonicalAnnotations(
  a: Annotations,
  where: string,
  span: SourceSpan | undefined,
  reserved: ReadonlySet<string>,
): Annotations {
  if (a === null || typeof a !== "object" || Array.isArray(a)) {
    throw new ModelError({ where, what: "annotations must be an object", got: describeValue(a), span });
  }
  const sorted: Record<string, string | number | boolean> = {};
  for (const k of Object.keys(a).sort()) {
    const v = a[k];
    if (!IDENTIFIER.test(k) || !(typeof v === "string" || typeof v === "number" || typeof v === "boolean")) {
      throw new ModelError({
        where,
        what: `annotation '${k}' must map an identifier to a string, number or boolean`,
        got: describeValue(v),
        span,
      });
    }
    if (reserved.has(k)) {
      throw new ModelError({
        where,
        what: `'${k}' is a reserved annotation`,
        got: `@${k}(${typeof v === "string" ? JSON.stringify(v) : String(v)})`,
        expected: "any other key",
        hint:
          k === "parameterization"
            ? "give a latent's parameterization in its own field (LatentSpec.parameterization)."
            : "a factor's part is the FactorSpec.part field, not an annotation.",
        span,
      });
    }
    if (typeof v === "number" && !Number.isFinite(v)) {
      throw new ModelError({
        where,
        what: `annotation '${k}' must be a finite number`,
        got: describeValue(v),
        expected: "a finite number",
        span,
      });
    }
    sorted[k] = v;
  }
  return sorted;
}

function checkEmbeddedValue(
  value: number | readonly number[],
  shape: IrShape,
  dtype: DType,
  support: Support | undefined,
  where: string,
  span: SourceSpan | undefined,
): void {
  const values = typeof value === "number" ? [value] : value;
  const rankOk = typeof value === "number" ? shape.length === 0 : shape.length === 1;
  const size = shape[0];
  if (!rankOk || (typeof size === "number" && typeof value !== "number" && value.length !== size)) {
    throw new ShapeError({
      where,
      what: "embedded value does not match the shape",
      got: typeof value === "number" ? "scalar" : `vector[${value.length}]`,
      expected: formatIrShape(shape),
      span,
    });
  }
  values.forEach((v, i) => {
    const ok =
      Number.isFinite(v) &&
      (dtype === "real" || Number.isInteger(v)) &&
      (support === undefined || inScalarSupport(support, v));
    if (!ok) {
      throw new DomainError({
        where,
        what: `embedded value is invalid at element ${i}`,
        got: describeValue(v),
        expected: support ? supportPhrase(support) : dtype,
        span,
      });
    }
  });
}

/**
 * Plain words for "a value in this support", used in error messages.
 *
 * @example
 * ```ts
 * supportPhrase({ kind: "positive" }); // "positive"
 * ```
 */
export function supportPhrase(support: Support): string {
  switch (support.kind) {
    case "real":
      return "finite";
    case "positive":
      return "positive";
    case "lower":
      return `at least ${support.lower}`;
    case "upper":
      return `at most ${support.upper}`;
    case "interval":
      return `in [${support.lower}, ${support.upper}]`;
    case "integer":
      return `an integer${support.lower !== undefined ? ` ≥ ${support.lower}` : ""}${support.upper !== undefined ? ` ≤ ${support.upper}` : ""}`;
    case "boolean":
      return "0 or 1";
    default:
      return `in ${formatSupport(support)}`;
  }
}

/**
 * The number an arithmetic expression of scalar literals stands for (`1 - 0.5`, `-(2)`), folded
 * as the model text folds bound values, or undefined.
 */
function foldScalar(e: Expr): number | undefined {
  switch (e.kind) {
    case "const":
      return typeof e.value === "number" ? e.value : undefined;
    case "unary": {
      const v = foldScalar(e.arg);
      return v === undefined ? undefined : -v;
    }
    case "binary": {
      const a = foldScalar(e.left);
      const b = foldScalar(e.right);
      if (a === undefined || b === undefined) return undefined;
      switch (e.op) {
        case "add":
          return a + b;
        case "sub":
          return a - b;
        case "mul":
          return a * b;
        case "div":
          return a / b;
        case "pow":
          return a ** b;
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

function hasNaNBound(s: Support): boolean {
  const b = s as { lower?: number; upper?: number };
  return Number.isNaN(b.lower) || Number.isNaN(b.upper);
}

function article(kind: string): string {
  return /^[aeiou]/.test(kind) ? `an ${kind}` : `a ${kind}`;
}

function freezeDeep<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) freezeDeep(v);
  }
  return value;
}
