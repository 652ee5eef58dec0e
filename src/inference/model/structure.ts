/**
 * Structure facts: what a compiled model can tell backends beyond its log density. EM/SBL and
 * variational backends read them to use closed forms (a linear-Gaussian observation y = A x + e,
 * a prior whose scale is a hyper-parameter, the pieces of a sparse-prior hierarchy); samplers
 * ignore them.
 * @module inference/model/structure
 */
import type { Shape } from "../../core/shape.js";
import type { Support } from "../../core/support.js";
import { constantValue, referencedNames } from "../../ir/expr.js";
import type { Annotations, Expr, ModelGraph, ModelNode } from "../../ir/types.js";
import type { LinearOperator } from "../../runtime/linear_operator.js";

/**
 * How an argument of a distribution is given: a literal, a node by name (data, hyper, latent or
 * deterministic), or some other expression.
 *
 * @example
 * ```ts
 * const scale: ArgumentRef = { kind: "node", name: "gamma", nodeKind: "hyper" };
 * ```
 */
export type ArgumentRef =
  | { readonly kind: "constant"; readonly value: number | readonly number[] }
  | { readonly kind: "node"; readonly name: string; readonly nodeKind: ModelNode["kind"] }
  | { readonly kind: "expression" };

/**
 * A hyper-parameter: point-estimated, with a support and the shape of its value.
 *
 * @example
 * ```ts
 * const h: HyperInfo = { name: "gamma", shape: [100], support: POSITIVE };
 * ```
 */
export interface HyperInfo {
  readonly name: string;
  readonly shape: Shape;
  readonly support: Support;
}

/**
 * A latent's prior as written: family and how each argument is given.
 *
 * @example
 * ```ts
 * const p: LatentPrior = { name: "x", family: "normal", args: { loc: { kind: "constant", value: 0 }, scale: { kind: "node", name: "gamma", nodeKind: "hyper" } } };
 * ```
 */
export interface LatentPrior {
  readonly name: string;
  readonly family: string;
  readonly args: Readonly<Record<string, ArgumentRef>>;
}

/**
 * An observation `y ~ normal(loc = A·x [+ offset], scale = s)` (or `complex_normal`, for
 * complex data interleaved as (re, im) pairs) with A matrix data bound as a LinearOperator and
 * x a latent vector, or a deterministic one (the value of a non-centred prior): the
 * conjugate-Gaussian block SBL and VB backends solve in closed form.
 *
 * @example
 * ```ts
 * const block: LinearGaussianBlock = { observed: "y", family: "normal", latent: "x", latentKind: "latent", operatorName: "A", operator, scale: { kind: "node", name: "sigma", nodeKind: "hyper" } };
 * ```
 */
export interface LinearGaussianBlock {
  readonly observed: string;
  /** The likelihood's family: `normal`, or `complex_normal` for interleaved complex data. */
  readonly family: "normal" | "complex_normal";
  /** The name of the coefficient vector x. */
  readonly latent: string;
  /** Whether x is a latent or a deterministic node (x = z · scale of a non-centred prior). */
  readonly latentKind: "latent" | "deterministic";
  readonly operatorName: string;
  readonly operator: LinearOperator;
  readonly scale: ArgumentRef;
  /** An additive term of the mean that does not involve the latent, when present. */
  readonly offset?: ArgumentRef;
}

/**
 * Nodes sharing an annotation `group` (e.g. the local and global scales and the coefficients
 * of one horseshoe, or the precisions and coefficients of one ARD prior), with their roles.
 * Latents come first, then hyper-parameters, then deterministic nodes, each in model order.
 *
 * @example
 * ```ts
 * const g: SparsePriorGroup = { group: "beta", prior: "horseshoe", members: [{ name: "tau", role: "global_scale" }] };
 * ```
 */
export interface SparsePriorGroup {
  readonly group: string;
  readonly prior?: string;
  readonly members: readonly { readonly name: string; readonly role?: string; readonly annotations: Annotations }[];
}

/**
 * Everything the compiler knows about a model's structure.
 *
 * @example
 * ```ts
 * for (const block of model.structure.linearGaussian) console.log(block.observed, "=", block.operatorName, "·", block.latent);
 * ```
 */
export interface ModelStructure {
  readonly hypers: readonly HyperInfo[];
  readonly latentPriors: readonly LatentPrior[];
  readonly linearGaussian: readonly LinearGaussianBlock[];
  readonly sparsePriorGroups: readonly SparsePriorGroup[];
}

/**
 * Reads the structure facts off a graph.
 *
 * @param graph - the model graph
 * @param shapes - concrete shape of each named value
 * @param operators - bound matrix data
 * @example
 * ```ts
 * const facts = analyseStructure(graph, lowered.shapes, lowered.operators);
 * ```
 */
export function analyseStructure(
  graph: ModelGraph,
  shapes: ReadonlyMap<string, readonly number[]>,
  operators: ReadonlyMap<string, LinearOperator>,
): ModelStructure {
  const byName = new Map<string, ModelNode>();
  for (const node of graph.nodes) if (node.kind !== "observed") byName.set(node.name, node);
  const describe = (e: Expr): ArgumentRef => {
    const value = constantValue(e);
    if (value !== undefined) return { kind: "constant", value };
    if (e.kind === "ref") {
      const node = byName.get(e.name);
      if (node) return { kind: "node", name: e.name, nodeKind: node.kind };
    }
    return { kind: "expression" };
  };
  const hypers: HyperInfo[] = [];
  const latentPriors: LatentPrior[] = [];
  const linearGaussian: LinearGaussianBlock[] = [];
  const groups = new Map<string, { prior?: string; members: SparsePriorGroup["members"][number][] }>();
  for (const node of graph.nodes) {
    if (node.kind === "hyper")
      hypers.push({ name: node.name, shape: shapes.get(node.name) ?? [], support: node.support });
    if (node.kind === "latent") {
      latentPriors.push({
        name: node.name,
        family: node.family,
        args: Object.fromEntries(Object.entries(node.args).map(([k, v]) => [k, describe(v)])),
      });
    }
    const gaussian = node.kind === "observed" && (node.family === "normal" || node.family === "complex_normal");
    if (gaussian && node.args.loc && node.args.scale) {
      const block = linearPart(node.args.loc, byName, describe);
      const operator = block && operators.get(block.operatorName);
      if (block && operator) {
        linearGaussian.push({
          observed: node.name,
          family: node.family as LinearGaussianBlock["family"],
          ...block,
          operator,
          scale: describe(node.args.scale),
        });
      }
    }
  }
  // Group members: latents first, then hyper-parameters, then deterministic nodes, each in model order.
  for (const kind of ["latent", "hyper", "deterministic"] as const) {
    for (const node of graph.nodes) {
      if (node.kind !== kind) continue;
      const annotations = node.annotations;
      const group = annotations?.group;
      if (annotations === undefined || group === undefined) continue;
      const entry = groups.get(group) ?? { members: [] };
      if (annotations.prior !== undefined) entry.prior ??= annotations.prior;
      entry.members.push({
        name: node.name,
        ...(annotations.role !== undefined ? { role: annotations.role } : {}),
        annotations,
      });
      groups.set(group, entry);
    }
  }
  return {
    hypers,
    latentPriors,
    linearGaussian,
    sparsePriorGroups: [...groups].map(([group, g]) => ({
      group,
      ...(g.prior !== undefined ? { prior: g.prior } : {}),
      members: g.members,
    })),
  };
}

type LinearPart = {
  latent: string;
  latentKind: "latent" | "deterministic";
  operatorName: string;
  offset?: ArgumentRef;
};

/**
 * Recognises `A·x` and `A·x + offset` / `offset + A·x` with x a latent (or a deterministic
 * vector) and A matrix data, looking through deterministics (`mu = A·x; y ~ normal(mu, s)`).
 */
function linearPart(
  expr: Expr,
  byName: ReadonlyMap<string, ModelNode>,
  describe: (e: Expr) => ArgumentRef,
): LinearPart | undefined {
  let loc = expr;
  for (let node = loc.kind === "ref" ? byName.get(loc.name) : undefined; node?.kind === "deterministic"; ) {
    loc = node.expr;
    node = loc.kind === "ref" ? byName.get(loc.name) : undefined;
  }
  const direct = (e: Expr): Omit<LinearPart, "offset"> | undefined => {
    if (e.kind !== "matvec" || e.vector.kind !== "ref") return undefined;
    const kind = byName.get(e.vector.name)?.kind;
    return kind === "latent" || kind === "deterministic"
      ? { latent: e.vector.name, latentKind: kind, operatorName: e.matrix.name }
      : undefined;
  };
  const plain = direct(loc);
  if (plain) return plain;
  if (loc.kind === "binary" && loc.op === "add") {
    const left = direct(loc.left);
    if (left && !mentions(loc.right, left.latent)) return { ...left, offset: describe(loc.right) };
    const right = direct(loc.right);
    if (right && !mentions(loc.left, right.latent)) return { ...right, offset: describe(loc.left) };
  }
  return undefined;
}

function mentions(e: Expr, name: string): boolean {
  return referencedNames(e).includes(name);
}
