/**
 * Graph rewrites: pure functions from a graph to a new graph (the inputs are frozen and never
 * change). They play the part of NumPyro's `condition`/`substitute` handlers without a handler
 * stack. Each result is rebuilt through {@link GraphBuilder}, so it is validated like any model.
 *
 * - `condition(g, x)`: the latent `x` becomes data that is observed with the same distribution;
 *   its value is supplied with the other data at compile time. Its density term stays. A latent
 *   with computed bounds (`real<upper=1 - a>`) is refused: data cannot carry such bounds.
 * - `fix(g, x, v)`: as `condition`, with the value `v` embedded in the graph; for a hyper-parameter,
 *   the same as `substitute`.
 * - `substitute(g, x, v)`: every use of the latent or hyper `x` is replaced by the constant `v`
 *   and the node is removed, *with its density term* (an intervention, do(x = v)); use `fix` to
 *   keep the term.
 * @module ir/rewrites
 */
import { ModelError } from "../core/errors.js";
import type { SignatureLookup } from "../core/family.js";
import { GraphBuilder } from "./builder.js";
import { constant, rebuildExpr } from "./expr.js";
import { printExpr } from "./printer.js";
import type { Expr, LatentNode, ModelGraph, ModelNode } from "./types.js";

/**
 * A value for `fix` and `substitute`: a number, or the elements of a vector.
 *
 * @example
 * ```ts
 * const v: RewriteValue = new Float64Array([1, 2]);
 * ```
 */
export type RewriteValue = number | readonly number[] | Float64Array;

/**
 * Turns latent `name` into observed data (value given at compile time). Throws ModelError for a
 * latent with computed bounds: data cannot carry them.
 *
 * @example
 * ```ts
 * const g2 = condition(graph, "mu", registry);
 * compile(g2, { ...data, mu: 1.5 }, registry);
 * ```
 */
export function condition(graph: ModelGraph, name: string, families: SignatureLookup): ModelGraph {
  return latentToObserved(graph, name, undefined, families, "condition()");
}

/**
 * Turns latent `name` into observed data with an embedded value, or a hyper into a constant.
 *
 * @example
 * ```ts
 * const g2 = fix(graph, "tau", 2, registry); // tau = 2, its prior term kept
 * ```
 */
export function fix(graph: ModelGraph, name: string, value: RewriteValue, families: SignatureLookup): ModelGraph {
  const node = findNode(graph, name, "fix()", ["latent", "hyper"]);
  if (node.kind === "hyper") return substitute(graph, name, value, families);
  return latentToObserved(graph, name, toPlain(value), families, "fix()");
}

/**
 * Replaces every use of latent or hyper `name` by a constant and removes the node.
 *
 * @example
 * ```ts
 * const g2 = substitute(graph, "tau", 5, registry);
 * ```
 */
export function substitute(
  graph: ModelGraph,
  name: string,
  value: RewriteValue,
  families: SignatureLookup,
): ModelGraph {
  findNode(graph, name, "substitute()", ["latent", "hyper"]);
  const replacement = constant(toPlain(value));
  const swap = (e: Expr): Expr =>
    rebuildExpr(e, (r) => (r.name === name ? { ...replacement, ...(r.span ? { span: r.span } : {}) } : r));
  const b = new GraphBuilder(graph.name, families);
  for (const node of graph.nodes) {
    if (node.name === name && (node.kind === "latent" || node.kind === "hyper")) continue;
    b.add(mapExprs(node, swap));
  }
  return b.build();
}

function latentToObserved(
  graph: ModelGraph,
  name: string,
  value: number | readonly number[] | undefined,
  families: SignatureLookup,
  where: string,
): ModelGraph {
  const target = findNode(graph, name, where, ["latent"]);
  if (target.kind === "latent" && target.bounds !== undefined) refuseComputedBounds(target, where);
  const b = new GraphBuilder(graph.name, families);
  for (const node of graph.nodes) {
    if (node.kind === "latent" && node.name === name) {
      b.data({
        name,
        shape: node.shape,
        dtype: node.dtype,
        ...(node.support ? { support: node.support } : {}),
        ...(value !== undefined ? { value } : {}),
        ...(node.span ? { span: node.span } : {}),
      });
      b.observed({ name, family: node.family, args: node.args, ...(node.span ? { span: node.span } : {}) });
    } else {
      b.add(node);
    }
  }
  return b.build();
}

/**
 * A latent whose bounds are expressions cannot become data: as in Stan, where a data variable's
 * constraint may read only data, the bound could be checked against the value only where the
 * density is evaluated, and a data node has nowhere to carry it. Dropping the bound would accept
 * out-of-bounds values silently, so the rewrite is refused.
 */
function refuseComputedBounds(node: LatentNode, where: string): never {
  const sides = [
    ...(node.bounds!.lower ? [`lower=${printExpr(node.bounds!.lower)}`] : []),
    ...(node.bounds!.upper ? [`upper=${printExpr(node.bounds!.upper)}`] : []),
  ];
  throw new ModelError({
    where: `${where}: latent '${node.name}'`,
    what: "its bounds are computed, and data cannot carry computed bounds",
    got: `<${sides.join(", ")}>`,
    expected: "a latent with literal bounds (or none)",
    hint: `substitute() replaces '${node.name}' by a value (dropping its density term); or condition the latents its bounds read, which leaves '${node.name}' a latent.`,
    ...(node.span ? { span: node.span } : {}),
  });
}

function findNode(graph: ModelGraph, name: string, where: string, kinds: readonly ModelNode["kind"][]): ModelNode {
  const node = graph.nodes.find((n) => n.name === name && n.kind !== "observed");
  if (node === undefined || !kinds.includes(node.kind)) {
    throw new ModelError({
      where,
      what: node === undefined ? `no node named '${name}'` : `'${name}' is a ${node.kind} node`,
      expected: kinds.join(" or "),
    });
  }
  return node;
}

function mapExprs(node: ModelNode, f: (e: Expr) => Expr): ModelNode {
  switch (node.kind) {
    case "latent": {
      const args = Object.fromEntries(Object.entries(node.args).map(([k, v]) => [k, f(v)]));
      if (node.bounds === undefined) return { ...node, args };
      const { lower, upper } = node.bounds;
      return {
        ...node,
        args,
        bounds: { ...(lower ? { lower: f(lower) } : {}), ...(upper ? { upper: f(upper) } : {}) },
      };
    }
    case "observed":
      return { ...node, args: Object.fromEntries(Object.entries(node.args).map(([k, v]) => [k, f(v)])) };
    case "deterministic":
    case "factor":
      return { ...node, expr: f(node.expr) };
    default:
      return node;
  }
}

function toPlain(value: RewriteValue): number | readonly number[] {
  return typeof value === "number" ? value : Array.from(value);
}
