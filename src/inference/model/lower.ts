/**
 * Lowering: model graph + bound data → a vector {@link Program} for the differentiator, plus the
 * layout of θ. Symbolic sizes become numbers, so every shape is checked again here with the real
 * sizes; index data are range-checked against what they gather from.
 * @module inference/model/lower
 */
import { DataError, describeValue, ModelError, ShapeError } from "../../core/errors.js";
import { isDiscrete, type Support } from "../../core/support.js";
import { formatIrShape } from "../../ir/expr.js";
import { printExpr } from "../../ir/printer.js";
import type { Expr, HyperNode, LatentNode, ModelGraph, ModelNode } from "../../ir/types.js";
import type { Program, ProgramNode, Term } from "../../runtime/ad/program.js";
import { bijectorForSupport, identity } from "../../runtime/bijectors/index.js";
import type { Distribution, Params } from "../../runtime/dists/distribution.js";
import type { LinearOperator } from "../../runtime/linear_operator.js";
import { type BoundData, describeShape, fillHyper, resolveShape } from "./data.js";
import type { VariableLayout } from "./density_model.js";

/**
 * What lowering produces: the program, θ's layout and where each named value lives.
 *
 * @example
 * ```ts
 * const lowered = lowerGraph(graph, bindData(graph, data), registry, {});
 * ```
 */
export interface LoweredModel {
  readonly program: Program;
  readonly layout: readonly VariableLayout[];
  /** Program node holding each data (non-matrix), hyper, latent (constrained) and deterministic value. */
  readonly valueNodes: ReadonlyMap<string, number>;
  /** Concrete shape of each named value. */
  readonly shapes: ReadonlyMap<string, readonly number[]>;
  /** The density term of each observed data node. */
  readonly observedTerms: ReadonlyMap<string, number>;
  /** Storage of each hyper-parameter (the program reads it on every call). */
  readonly hyperBuffers: ReadonlyMap<string, Float64Array>;
  /** Matrix data, as bound. */
  readonly operators: ReadonlyMap<string, LinearOperator>;
  /** Names of latents with discrete support. */
  readonly discreteLatents: readonly string[];
  /** Program nodes of the computed bounds of each latent that has them (`real<upper=1 - a>`). */
  readonly computedBounds: ReadonlyMap<string, { readonly lower?: number; readonly upper?: number }>;
}

/**
 * Where the compiler finds distribution families: the runtime's `Registry` satisfies it.
 *
 * @example
 * ```ts
 * const families: DistributionLookup = createDefaultRegistry();
 * ```
 */
export interface DistributionLookup {
  has(family: string): boolean;
  get(family: string): Distribution;
}

/** Mutable program node under construction. */
type Draft = ProgramNode;

/**
 * Lowers a graph with bound data.
 *
 * @param graph - a built model graph
 * @param bound - data validated by `bindData`
 * @param registry - the distribution families
 * @param hyperValues - initial values for hyper-parameters (default: each node's `init`)
 * @example
 * ```ts
 * const { program, layout } = lowerGraph(graph, bound, registry, {});
 * ```
 */
export function lowerGraph(
  graph: ModelGraph,
  bound: BoundData,
  registry: DistributionLookup,
  hyperValues: Readonly<Record<string, number | ArrayLike<number>>>,
): LoweredModel {
  return new Lowering(graph, bound, registry, hyperValues).run();
}

class Lowering {
  private readonly nodes: Draft[] = [];
  private readonly terms: Term[] = [];
  private readonly layout: VariableLayout[] = [];
  private readonly valueNodes = new Map<string, number>();
  private readonly shapes = new Map<string, readonly number[]>();
  private readonly observedTerms = new Map<string, number>();
  private readonly hyperBuffers = new Map<string, Float64Array>();
  private readonly operators = new Map<string, LinearOperator>();
  private readonly discreteLatents: string[] = [];
  private readonly computedBounds = new Map<string, { lower?: number; upper?: number }>();
  private readonly byName = new Map<string, ModelNode>();
  private offset = 0;
  private constrainedOffset = 0;

  constructor(
    private readonly graph: ModelGraph,
    private readonly bound: BoundData,
    private readonly registry: DistributionLookup,
    private readonly hyperValues: Readonly<Record<string, number | ArrayLike<number>>>,
  ) {}

  run(): LoweredModel {
    for (const name of Object.keys(this.hyperValues)) {
      const node = this.graph.nodes.find((n) => n.name === name);
      if (node?.kind !== "hyper") {
        throw new DataError({
          where: `hyper '${name}'`,
          what: "no such hyper-parameter in the model",
          expected: hyperList(this.graph),
        });
      }
    }
    for (const node of this.graph.nodes) {
      this.byName.set(node.name, node);
      switch (node.kind) {
        case "data":
          this.lowerData(node.name);
          break;
        case "hyper":
          this.lowerHyper(node);
          break;
        case "latent":
          this.lowerLatent(node);
          break;
        case "observed":
          this.lowerObserved(node.name, node.family, node.args);
          break;
        case "deterministic": {
          const id = this.lowerExpr(node.expr);
          this.nodes[id] = { ...this.nodes[id]!, keep: true };
          this.valueNodes.set(node.name, id);
          this.shapes.set(node.name, this.shapeOf(id, node.expr));
          break;
        }
        case "factor": {
          const id = this.lowerExpr(node.expr);
          this.terms.push({ kind: "factor", value: id, part: node.part, label: node.name });
          break;
        }
      }
    }
    return {
      program: { nodes: this.nodes.map((n) => Object.freeze(n)), terms: this.terms, dimension: this.offset },
      layout: this.layout,
      valueNodes: this.valueNodes,
      shapes: this.shapes,
      observedTerms: this.observedTerms,
      hyperBuffers: this.hyperBuffers,
      operators: this.operators,
      discreteLatents: this.discreteLatents,
      computedBounds: this.computedBounds,
    };
  }

  private push(node: Draft): number {
    this.nodes.push(node);
    return this.nodes.length - 1;
  }

  private shapeOf(id: number, expr: Expr): readonly number[] {
    const node = this.nodes[id]!;
    if (node.scalar) return [];
    const irShape = resolveShape(expr.shape, this.bound.dims);
    return irShape.length === 2 ? irShape : [node.size];
  }

  private lowerData(name: string): void {
    const value = this.bound.values.get(name)!;
    if (value.kind === "operator") {
      this.operators.set(name, value.operator);
      return;
    }
    const id =
      value.kind === "scalar"
        ? this.push({ op: "const", value: value.value, size: 1, scalar: true })
        : this.push({ op: "const", value: value.values, size: value.values.length, scalar: false });
    this.valueNodes.set(name, id);
    this.shapes.set(name, value.kind === "scalar" ? [] : [value.values.length]);
  }

  private lowerHyper(node: HyperNode): void {
    const shape = resolveShape(node.shape, this.bound.dims);
    const size = shape.reduce((a, b) => a * b, 1);
    const buffer = new Float64Array(size);
    const given = this.hyperValues[node.name];
    fillHyper(buffer, given ?? node.init, node, shape);
    this.hyperBuffers.set(node.name, buffer);
    const id = this.push({ op: "input", buffer, size, scalar: shape.length === 0 });
    this.valueNodes.set(node.name, id);
    this.shapes.set(node.name, shape);
  }

  private family(name: string, site: string, node: ModelNode): Distribution {
    if (!this.registry.has(name)) {
      throw new ModelError({
        where: `'${site}' ~ ${name}()`,
        what: `family '${name}' is not in the registry passed to compile()`,
        hint: "compile with the registry the model was built with, or register the family.",
        span: node.span,
      });
    }
    return this.registry.get(name);
  }

  /** Lowers family arguments and checks their sizes against the value's. */
  private lowerArgs(
    dist: Distribution,
    args: Readonly<Record<string, Expr>>,
    size: number,
    site: string,
  ): Record<string, number> {
    const params: Record<string, number> = {};
    for (const [name, expr] of Object.entries(args)) {
      const id = this.lowerExpr(expr);
      const node = this.nodes[id]!;
      if (dist.eventRank === 0 && !node.scalar && node.size !== size) {
        throw new ShapeError({
          where: `${dist.family}()`,
          what: `argument '${name}' does not match the size of '${site}'`,
          got: `vector[${node.size}]`,
          expected: `a scalar or vector[${size}]`,
          span: expr.span,
        });
      }
      params[name] = id;
    }
    return params;
  }

  private lowerLatent(node: LatentNode): void {
    const dist = this.family(node.family, node.name, node);
    const shape = resolveShape(node.shape, this.bound.dims);
    const size = shape.reduce((a, b) => a * b, 1);
    const params = this.lowerArgs(dist, node.args, size, node.name);
    if (node.bounds !== undefined) {
      this.lowerBoundedLatent(node, dist, params, shape, size);
      return;
    }
    const support = node.support ?? this.familySupport(dist, params, node);
    const discrete = dist.discrete || isDiscrete(support);
    const bijector = discrete ? undefined : (dist.bijector?.(support) ?? bijectorForSupport(support));
    const isIdentity = bijector === undefined || (support.kind === "real" && dist.bijector === undefined);
    const unconstrainedSize = bijector ? bijector.unconstrainedSize(size) : size;
    const id = this.push({
      op: "latent",
      offset: this.offset,
      unconstrainedSize,
      ...(isIdentity ? {} : { bijector }),
      discrete,
      size,
      scalar: shape.length === 0,
    });
    if (discrete) this.discreteLatents.push(node.name);
    this.registerLatent(node, id, dist, params, shape, unconstrainedSize, {
      support,
      bijector: bijector ?? identity(),
    });
  }

  /**
   * What every latent adds besides its program node: its layout entry (at the current offsets,
   * which it then advances), its value and shape by name, and its prior term.
   */
  private registerLatent(
    node: LatentNode,
    id: number,
    dist: Distribution,
    params: Record<string, number>,
    shape: readonly number[],
    unconstrainedSize: number,
    how: Pick<VariableLayout, "support" | "bijector" | "computedBounds">,
  ): void {
    const size = shape.reduce((a, b) => a * b, 1);
    this.layout.push(
      Object.freeze({
        name: node.name,
        shape,
        offset: this.offset,
        size: unconstrainedSize,
        constrainedOffset: this.constrainedOffset,
        constrainedSize: size,
        ...how,
      }),
    );
    this.offset += unconstrainedSize;
    this.constrainedOffset += size;
    this.valueNodes.set(node.name, id);
    this.shapes.set(node.name, shape);
    this.terms.push({
      kind: "density",
      dist,
      value: id,
      params,
      part: "prior",
      shape,
      samples: true,
      ...(node.support ? { support: node.support } : {}),
      label: node.name,
    });
  }

  /**
   * A latent whose bounds are expressions: the `latent` op reads the bound nodes (the code
   * generator applies the transform and its log|J|); θ's layout records the unconstrained real
   * line, and `compile` maps through the bounds' values.
   */
  private lowerBoundedLatent(
    node: LatentNode,
    dist: Distribution,
    params: Record<string, number>,
    shape: readonly number[],
    size: number,
  ): void {
    const ids: { lower?: number; upper?: number } = {};
    const text: { lower?: string; upper?: string } = {};
    for (const side of ["lower", "upper"] as const) {
      const e = node.bounds![side];
      if (e === undefined) continue;
      text[side] = printExpr(e);
      const id = this.lowerExpr(e);
      const b = this.nodes[id]!;
      if (!b.scalar && (shape.length === 0 || b.size !== size)) {
        throw new ShapeError({
          where: `latent '${node.name}', ${side} bound`,
          what: "the bound's size does not match the latent's once data are bound",
          got: `vector[${b.size}]`,
          expected: shape.length === 0 ? "a scalar" : `a scalar or vector[${size}]`,
          span: e.span ?? node.span,
        });
      }
      ids[side] = id;
    }
    const id = this.push({
      op: "latent",
      offset: this.offset,
      unconstrainedSize: size,
      discrete: false,
      ...ids,
      size,
      scalar: shape.length === 0,
    });
    this.computedBounds.set(node.name, ids);
    this.registerLatent(node, id, dist, params, shape, size, {
      support: { kind: "real" } as Support,
      bijector: identity(),
      computedBounds: Object.freeze(text),
    });
  }

  /** The family's support from its literal arguments (arguments computed at run time must not move it). */
  private familySupport(dist: Distribution, params: Record<string, number>, node: LatentNode): Support {
    const known: Record<string, number> = {};
    for (const [name, id] of Object.entries(params)) {
      const p = this.nodes[id]!;
      known[name] = p.op === "const" && typeof p.value === "number" ? p.value : Number.NaN;
    }
    const support = dist.support(known as Params);
    const bounds = [(support as { lower?: number }).lower, (support as { upper?: number }).upper];
    if (bounds.some((b) => b !== undefined && Number.isNaN(b))) {
      throw new ModelError({
        where: `latent '${node.name}'`,
        what: `the support of ${dist.family}() depends on arguments that are not literals`,
        hint: "declare the bounds on the parameter (e.g. { lower: 0, upper: 1 }), as Stan requires.",
        span: node.span,
      });
    }
    return support;
  }

  private lowerObserved(name: string, family: string, args: Readonly<Record<string, Expr>>): void {
    const node = this.byName.get(name)!;
    const dist = this.family(family, name, node);
    const value = this.valueNodes.get(name)!;
    const size = this.nodes[value]!.size;
    const params = this.lowerArgs(dist, args, size, name);
    this.observedTerms.set(name, this.terms.length);
    this.terms.push({
      kind: "density",
      dist,
      value,
      params,
      part: "likelihood",
      shape: this.shapes.get(name)!,
      samples: false,
      label: name,
    });
  }

  private sizeMismatch(where: string, a: Expr, b: Expr, na: number, nb: number, span: Expr["span"]): ShapeError {
    return new ShapeError({
      where,
      what: "operand sizes differ once data are bound",
      got: `${describeShape(a.shape, [na])} and ${describeShape(b.shape, [nb])}`,
      expected: "equal sizes",
      span,
    });
  }

  /** Lowers an expression; references reuse the node that defines the name. */
  private lowerExpr(e: Expr): number {
    switch (e.kind) {
      case "const":
        return typeof e.value === "number"
          ? this.push({ op: "const", value: e.value, size: 1, scalar: true })
          : this.push({ op: "const", value: Float64Array.from(e.value), size: e.value.length, scalar: false });
      case "ref": {
        const id = this.valueNodes.get(e.name);
        if (id === undefined) {
          throw new ModelError({
            where: "density compiler",
            what: `'${e.name}' has no value here`,
            hint: "matrix data can only be used in matvec.",
            span: e.span,
          });
        }
        return id;
      }
      case "unary": {
        const x = this.lowerExpr(e.arg);
        const n = this.nodes[x]!;
        return this.push({ op: "unary", fn: "neg", x, size: n.size, scalar: n.scalar });
      }
      case "call": {
        const x = this.lowerExpr(e.arg);
        const n = this.nodes[x]!;
        return this.push({ op: "unary", fn: e.fn, x, size: n.size, scalar: n.scalar });
      }
      case "binary": {
        const a = this.lowerExpr(e.left);
        const b = this.lowerExpr(e.right);
        const na = this.nodes[a]!;
        const nb = this.nodes[b]!;
        if (!na.scalar && !nb.scalar && na.size !== nb.size)
          throw this.sizeMismatch(e.op, e.left, e.right, na.size, nb.size, e.span);
        const scalar = na.scalar && nb.scalar;
        return this.push({ op: "binary", fn: e.op, a, b, size: scalar ? 1 : Math.max(na.size, nb.size), scalar });
      }
      case "reduce": {
        const x = this.lowerExpr(e.arg);
        return this.push({ op: "reduce", fn: e.op, x, size: 1, scalar: true });
      }
      case "index": {
        const src = this.lowerExpr(e.arg);
        const n = this.nodes[src]!;
        if (e.index >= n.size) {
          throw new ShapeError({
            where: "index",
            what: "position out of range once data are bound",
            got: `${e.index + 1} (1-based)`,
            expected: `at most ${n.size}`,
            span: e.span,
          });
        }
        return this.push({ op: "index", src, at: e.index, size: 1, scalar: true });
      }
      case "gather":
        return this.lowerGather(e);
      case "dot": {
        const a = this.lowerExpr(e.left);
        const b = this.lowerExpr(e.right);
        const na = this.nodes[a]!;
        const nb = this.nodes[b]!;
        if (na.size !== nb.size) throw this.sizeMismatch("dot", e.left, e.right, na.size, nb.size, e.span);
        const product = this.push({ op: "binary", fn: "mul", a, b, size: na.size, scalar: false });
        return this.push({ op: "reduce", fn: "sum", x: product, size: 1, scalar: true });
      }
      case "matvec": {
        const operator = this.operators.get(e.matrix.name);
        if (operator === undefined) {
          throw new ModelError({ where: "matvec", what: `'${e.matrix.name}' is not matrix data`, span: e.span });
        }
        const x = this.lowerExpr(e.vector);
        const nx = this.nodes[x]!;
        if (nx.scalar || nx.size !== operator.cols) {
          throw new ShapeError({
            where: "matvec",
            what: `inner sizes of '${e.matrix.name}' and the vector differ`,
            got: `${operator.rows} × ${operator.cols} times vector[${nx.scalar ? 1 : nx.size}]`,
            expected: `a vector[${operator.cols}]`,
            span: e.span,
          });
        }
        return this.push({ op: "matvec", operator, x, size: operator.rows, scalar: false });
      }
      case "vector": {
        const elements = e.elements.map((x) => this.lowerExpr(x));
        return this.push({ op: "stack", elements, size: elements.length, scalar: false });
      }
    }
  }

  private lowerGather(e: Extract<Expr, { kind: "gather" }>): number {
    const src = this.lowerExpr(e.arg);
    const srcNode = this.nodes[src]!;
    let raw: Float64Array;
    let label: string;
    if (e.index.kind === "ref" && this.bound.values.get(e.index.name)?.kind === "vector") {
      raw = (this.bound.values.get(e.index.name) as { values: Float64Array }).values;
      label = `data '${e.index.name}'`;
    } else if (e.index.kind === "const" && typeof e.index.value !== "number") {
      raw = Float64Array.from(e.index.value);
      label = "gather index";
    } else {
      throw new ModelError({
        where: "gather",
        what: "the index must be integer data or a literal vector",
        got: formatIrShape(e.index.shape),
        hint: "compute index vectors before binding them as data.",
        span: e.span,
      });
    }
    const index = new Int32Array(raw.length);
    const n = srcNode.size;
    for (let k = 0; k < raw.length; k++) {
      const v = raw[k]! - e.base;
      if (!(v >= 0 && v < n)) {
        throw new DataError({
          where: label,
          what: `index out of range at element ${k}`,
          got: describeValue(raw[k]!),
          expected: `${e.base}..${n - 1 + e.base} (${e.base}-based positions in a vector[${n}])`,
          hint: e.base === 0 ? "indices here are 0-based; for 1-based data declare the index with base 1." : undefined,
          span: e.span,
        });
      }
      index[k] = v;
    }
    return this.push({ op: "gather", src, index, size: index.length, scalar: false });
  }
}

/**
 * "one of 'a', 'b'" for the hyper-parameters of a graph, for messages.
 *
 * @example
 * ```ts
 * hyperList(graph); // "one of 'gamma', 'sigma'"
 * ```
 */
export function hyperList(graph: ModelGraph): string {
  const names = graph.nodes.filter((n) => n.kind === "hyper").map((n) => `'${n.name}'`);
  return names.length > 0 ? `one of ${names.join(", ")}` : "none (the model declares no hyper-parameters)";
}
