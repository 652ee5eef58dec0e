/**
 * Prints a model graph as sprig model text, a Stan-like language the text front end parses back.
 *
 * Grammar of the printed text (EBNF; `//` comments run to the end of the line):
 * ```
 * model      = { block } ;
 * block      = block_name "{" { statement } "}" ;
 * block_name = "data" | "transformed data" | "hyper" | "parameters"
 *            | "transformed parameters" | "model" ;            (printed in this order, empty ones omitted)
 * data             : decl [ "=" literal ] ";"                  (a literal is embedded by fix())
 * transformed data : { annotation } decl "=" expr ";"         (deterministics of data only)
 * hyper            : { annotation } decl "=" literal ";"       (initial value)
 * parameters       : { annotation } decl ";"                   (bounds only when declared explicitly)
 * transformed parameters : { annotation } decl "=" expr ";"
 * model            : name "~" family "(" args ")" ";"          (latents first-to-last, observations)
 *                  | [ "@part(\"prior\")" ] "target" "+=" expr ";"
 * decl       = type name ;
 * type       = ( "int" | "real" ) [ bounds ]
 *            | "vector" [ bounds ] "[" dim "]"
 *            | "matrix" [ bounds ] "[" dim "," dim "]"
 *            | "array" "[" dim "]" "int" [ bounds ]
 *            | "bool" | "array" "[" dim "]" "bool"                (boolean support)
 *            | ( "simplex" | "ordered" | "positive_ordered" | "cholesky_factor_corr" ) "[" dim "]" ;
 * bounds     = "<" ( "positive"                                   (strict x > 0)
 *                  | "unbounded"                                  (real / integer, declared)
 *                  | bound { "," bound } ) ">" ;
 * bound      = ( "lower" | "upper" ) "=" number ;
 * Every support prints as text that reads back as the same support. `<unbounded>` (the whole
 * real line, or all integers) is written only where the bare type means something else: on a
 * parameter, whose bare type takes its family's support, and on real data, whose bare type
 * declares no support.
 * dim        = integer | name ;
 * annotation = "@" name "(" literal ")" ;                    (e.g. @group("beta") @parameterization("noncentered");
 *                                                              the node's annotations, keys sorted)
 * args       = name "=" expr { "," name "=" expr } ;         (always named, in the family's order)
 * expr       = term { ( "+" | "-" ) term } ;
 * term       = unary { ( "*" | "/" | ".*" | "./" ) unary } ; (".*" "./" between two non-scalars;
 *                                                              matrix "*" vector is a matrix-vector product)
 * unary      = "-" unary | power ;
 * power      = postfix [ ( "^" | ".^" ) unary ] ;            (right-associative; ".^" when an operand is non-scalar)
 * postfix    = atom { "[" expr "]" } ;                       (constant integer: 1-based element;
 *                                                              integer vector: 1-based gather)
 * atom       = number | string | name | "(" expr ")" | "[" expr { "," expr } "]"
 *            | fn "(" expr { "," expr } ")"
 *            | "gather" "(" expr "," expr "," "base" "=" "0" ")" ;   (0-based gather)
 * fn         = "exp" | "log" | "log1p" | "expm1" | "logistic" | "softplus" | "abs" | "sqrt"
 *            | "sum" | "mean" | "log_sum_exp" | "dot" ;
 * ```
 * Each block keeps the graph's node order, and the text parser gives the nodes back in the
 * canonical order of `GraphBuilder.build()`, so parsing the printed text gives the same graph.
 * Numbers print with JavaScript's shortest round-tripping form (`0.1`, `1e-7`), so parsing them
 * gives back the same doubles.
 * @module ir/printer
 */
import type { Support } from "../core/support.js";
import { referencedNames } from "./expr.js";
import type { Annotations, DType, Expr, IrShape, LatentBounds, ModelGraph, ModelNode } from "./types.js";

const INDENT = "  ";

/**
 * The model as sprig model text.
 *
 * @example
 * ```ts
 * console.log(printModel(graph));
 * // data {
 * //   int<lower=0> J;
 * //   ...
 * ```
 */
export function printModel(graph: ModelGraph): string {
  const dataOnly = dataOnlyDeterministics(graph);
  const blocks: [string, string[]][] = [
    ["data", []],
    ["transformed data", []],
    ["hyper", []],
    ["parameters", []],
    ["transformed parameters", []],
    ["model", []],
  ];
  const [data, tdata, hyper, params, tparams, model] = blocks.map((b) => b[1]) as [
    string[],
    string[],
    string[],
    string[],
    string[],
    string[],
  ];
  for (const node of graph.nodes) {
    switch (node.kind) {
      case "data":
        data.push(
          `${declaration(node.shape, node.dtype, node.support, node.name, "data")}${node.value !== undefined ? ` = ${literal(node.value)}` : ""};`,
        );
        break;
      case "hyper":
        hyper.push(
          `${annotationPrefix(node.annotations)}${declaration(node.shape, "real", node.support, node.name, "hyper")} = ${literal(node.init)};`,
        );
        break;
      case "latent":
        params.push(
          `${annotationPrefix(node.annotations, node.parameterization)}${declaration(node.shape, node.dtype, node.support, node.name, "latent", node.bounds)};`,
        );
        model.push(`${node.name} ~ ${familyCall(node.family, node.args)};`);
        break;
      case "observed":
        model.push(`${node.name} ~ ${familyCall(node.family, node.args)};`);
        break;
      case "deterministic": {
        const line = `${annotationPrefix(node.annotations)}${declaration(node.expr.shape, node.expr.dtype, undefined, node.name, "deterministic")} = ${printExpr(node.expr)};`;
        (dataOnly.has(node.name) ? tdata : tparams).push(line);
        break;
      }
      case "factor":
        model.push(`${node.part === "prior" ? '@part("prior") ' : ""}target += ${printExpr(node.expr)};`);
        break;
    }
  }
  const out: string[] = [`// sprig model: ${graph.name}`];
  for (const [name, lines] of blocks) {
    if (lines.length === 0) continue;
    out.push(`${name} {`, ...lines.map((l) => INDENT + l), "}");
  }
  return `${out.join("\n")}\n`;
}

/**
 * One expression as model text (see the grammar in this module's documentation).
 *
 * @example
 * ```ts
 * printExpr(binary("add", ref("mu", [], "real"), constant(1))); // "mu + 1"
 * ```
 */
export function printExpr(expr: Expr): string {
  return show(expr, 0);
}

/** Binding strength: 1 additive, 2 multiplicative, 3 unary minus, 4 power, 5 postfix, 6 atom. */
function level(e: Expr): number {
  switch (e.kind) {
    case "binary":
      return e.op === "add" || e.op === "sub" ? 1 : e.op === "pow" ? 4 : 2;
    case "matvec":
      return 2;
    case "unary":
      return 3;
    case "const":
      return typeof e.value === "number" && (e.value < 0 || Object.is(e.value, -0)) ? 3 : 6;
    case "index":
      return 5;
    case "gather":
      return e.base === 1 ? 5 : 6;
    default:
      return 6;
  }
}

function show(e: Expr, min: number): string {
  const text = render(e);
  return level(e) < min ? `(${text})` : text;
}

function render(e: Expr): string {
  switch (e.kind) {
    case "const":
      return literal(e.value);
    case "ref":
      return e.name;
    case "unary":
      return `-${show(e.arg, 4)}`;
    case "binary": {
      const vectorial = e.left.shape.length > 0 && e.right.shape.length > 0;
      switch (e.op) {
        case "add":
          return `${show(e.left, 1)} + ${show(e.right, 2)}`;
        case "sub":
          return `${show(e.left, 1)} - ${show(e.right, 2)}`;
        case "mul":
          return `${show(e.left, 2)} ${vectorial ? ".*" : "*"} ${show(e.right, 3)}`;
        case "div":
          return `${show(e.left, 2)} ${vectorial ? "./" : "/"} ${show(e.right, 3)}`;
        case "pow":
          return `${show(e.left, 5)}${e.left.shape.length > 0 || e.right.shape.length > 0 ? ".^" : "^"}${show(e.right, 4)}`;
      }
      break;
    }
    case "call":
      return `${e.fn}(${show(e.arg, 0)})`;
    case "reduce":
      return `${e.op}(${show(e.arg, 0)})`;
    case "index":
      return `${show(e.arg, 5)}[${e.index + 1}]`;
    case "gather":
      return e.base === 1
        ? `${show(e.arg, 5)}[${show(e.index, 0)}]`
        : `gather(${show(e.arg, 0)}, ${show(e.index, 0)}, base=0)`;
    case "dot":
      return `dot(${show(e.left, 0)}, ${show(e.right, 0)})`;
    case "matvec":
      return `${e.matrix.name} * ${show(e.vector, 3)}`;
    case "vector":
      return `[${e.elements.map((x) => show(x, 0)).join(", ")}]`;
  }
  return "";
}

function literal(value: number | readonly number[]): string {
  if (typeof value === "number") return Object.is(value, -0) ? "-0" : String(value);
  return `[${value.map((v) => literal(v)).join(", ")}]`;
}

function familyCall(family: string, args: Readonly<Record<string, Expr>>): string {
  return `${family}(${Object.entries(args)
    .map(([k, v]) => `${k}=${show(v, 0)}`)
    .join(", ")})`;
}

/**
 * `@key(value) ` for each annotation (keys sorted, as the builder stores them; numbers as
 * {@link literal} writes them, so `-0` reads back), then a latent's `@parameterization(...)`.
 */
function annotationPrefix(a: Annotations | undefined, parameterization?: string): string {
  const parts: string[] = [];
  for (const key of Object.keys(a ?? {}).sort()) {
    const v = a![key];
    if (v !== undefined)
      parts.push(
        `@${key}(${typeof v === "string" ? JSON.stringify(v) : typeof v === "number" ? literal(v) : String(v)}) `,
      );
  }
  if (parameterization !== undefined) parts.push(`@parameterization(${JSON.stringify(parameterization)}) `);
  return parts.join("");
}

/** Which node a declaration is for: a support is printed against what that block assumes without one. */
type DeclaredNode = "data" | "hyper" | "latent" | "deterministic";

function declaration(
  shape: IrShape,
  dtype: DType,
  support: Support | undefined,
  name: string,
  node: DeclaredNode,
  computed?: LatentBounds,
): string {
  if (support !== undefined) {
    switch (support.kind) {
      case "simplex":
      case "ordered":
      case "positive_ordered":
        return `${support.kind}[${shape[0]}] ${name}`;
      case "cholesky_corr":
        return `cholesky_factor_corr[${shape[0]}] ${name}`;
      case "boolean":
        return shape.length === 0 ? `bool ${name}` : `array[${shape[0]}] bool ${name}`;
      default:
        break;
    }
  }
  const isInt = dtype === "int";
  const b = computed !== undefined ? computedBounds(computed) : support === undefined ? "" : bounds(support, node);
  if (shape.length === 0) return `${isInt ? "int" : "real"}${b} ${name}`;
  if (shape.length === 1) return isInt ? `array[${shape[0]}] int${b} ${name}` : `vector${b}[${shape[0]}] ${name}`;
  return `matrix${b}[${shape.join(", ")}] ${name}`;
}

/**
 * The `<...>` of a declared support. A declaration without bounds already means something per
 * block — integer data are integers, a hyper-parameter is real, a parameter takes its family's
 * support — so the whole line (`real`, `integer` without bounds) prints as `<unbounded>` only
 * where the bare type would mean something else.
 */
function bounds(support: Support, node: DeclaredNode): string {
  switch (support.kind) {
    case "real":
      return node === "hyper" ? "" : "<unbounded>";
    case "positive":
      return "<positive>";
    case "lower":
      return `<lower=${literal(support.lower)}>`;
    case "upper":
      return `<upper=${literal(support.upper)}>`;
    case "interval":
      return `<lower=${literal(support.lower)}, upper=${literal(support.upper)}>`;
    case "integer": {
      const parts: string[] = [];
      if (support.lower !== undefined) parts.push(`lower=${literal(support.lower)}`);
      if (support.upper !== undefined) parts.push(`upper=${literal(support.upper)}`);
      if (parts.length > 0) return `<${parts.join(", ")}>`;
      return node === "data" ? "" : "<unbounded>";
    }
    case "simplex":
    case "ordered":
    case "positive_ordered":
    case "cholesky_corr":
    case "boolean":
      // Printed as their own types by `declaration`.
      return "";
  }
}

/** `<lower=a, upper=1 - alpha1>` for bounds given as expressions. */
function computedBounds(b: LatentBounds): string {
  const parts: string[] = [];
  if (b.lower !== undefined) parts.push(`lower=${printExpr(b.lower)}`);
  if (b.upper !== undefined) parts.push(`upper=${printExpr(b.upper)}`);
  return `<${parts.join(", ")}>`;
}

/** Deterministics computed from data alone (Stan's transformed data). */
function dataOnlyDeterministics(graph: ModelGraph): Set<string> {
  const byName = new Map<string, ModelNode>(graph.nodes.map((n) => [n.name, n]));
  const result = new Set<string>();
  for (const node of graph.nodes) {
    if (node.kind !== "deterministic") continue;
    const ok = referencedNames(node.expr).every((r) => {
      const dep = byName.get(r);
      return dep?.kind === "data" || result.has(r);
    });
    if (ok) result.add(node.name);
  }
  return result;
}
