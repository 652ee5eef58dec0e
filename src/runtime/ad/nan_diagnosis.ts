/**
 * Why a compiled log density (or one entry of its gradient) is NaN, worked out off the hot path.
 *
 * Generated densities test their total once (`total === total`) and their gradient with one
 * sum; only a NaN calls in here. The program is then evaluated node by node and its terms
 * re-evaluated one at a time, to tell the two ways a NaN arises apart:
 *
 * - From ordinary finite numbers (see below): a distribution's `logDensity` (or element kernel,
 *   or partial) returning NaN for arguments inside their supports, or an operation in a factor
 *   applied outside its domain (log or sqrt of a negative number, a negative number to a
 *   fractional power). That is a bug in the model or in a family, wherever it happens, and it is
 *   thrown as a DomainError naming the site (the term's variable or data name and family, or the
 *   factor), the element and the argument values.
 * - From numbers that had already overflowed or underflowed: ∞ − ∞, 0·∞ and ∞/∞ downstream of
 *   an exp that overflowed, or at a position far out in a diverging trajectory; 0/0 of two
 *   underflowed numbers; and any NaN whose arguments include a number at the ends of the double
 *   range — subnormal (below 2^−1022, where a reciprocal overflows) or beyond 2^1000 in magnitude
 *   (where products and log-gammas overflow). Such numbers only come out of an overflow or
 *   underflow upstream, and no family is expected to keep full precision there. The point is
 *   then treated as outside the support: the value is −∞ (so a sampler records a divergence) and
 *   a NaN gradient entry is returned as it is.
 *
 * Arguments that are NaN or ±∞ never make an error here either: a distribution term whose
 * argument is not finite is outside its support, −∞, as the generated code already decides.
 * @module runtime/ad/nan_diagnosis
 */
import { DomainError, describeValue } from "../../core/errors.js";
import { inScalarSupport } from "../../core/support.js";
import { elementLabel } from "../../core/support_check.js";
import type { GradOut, Value } from "../dists/distribution.js";
import type { ElementKernel } from "../dists/scalar_family.js";
import { log1pexp, logistic } from "../special.js";
import type { DensityTerm, FactorTerm, ProgramNode, Term } from "./program.js";
import { nodeInputs } from "./program.js";

/**
 * What the diagnosis reads of a compiled program.
 *
 * @example
 * ```ts
 * const view: ProgramView = { nodes, terms, kernels, needsGrad, evaluate, stored };
 * ```
 */
export interface ProgramView {
  readonly nodes: readonly ProgramNode[];
  readonly terms: readonly Term[];
  /** The element kernel each density term is fused with (undefined: called through its distribution). */
  readonly kernels: readonly (ElementKernel | undefined)[];
  /** Whether a gradient flows to each node. */
  readonly needsGrad: readonly boolean[];
  /** Evaluates every node at θ. */
  evaluate(theta: Float64Array): void;
  /** A node's value after {@link evaluate}; undefined for a vector node inlined into its consumer (never stored). */
  stored(i: number): number | Float64Array | undefined;
}

/**
 * Throws a DomainError naming the term that made the log density NaN from ordinary finite
 * arguments, and returns (the caller then reports −∞) when the NaN came from numbers that had
 * overflowed.
 *
 * @param view - the program
 * @param theta - the position whose log density was NaN
 * @param selected - whether a term belongs to the density that was evaluated
 * @throws DomainError naming the site when a term or an operation produced NaN from ordinary numbers
 * @example
 * ```ts
 * if (lp !== lp) { explainNaNLogDensity(view, theta, () => true); return -Infinity; }
 * ```
 */
export function explainNaNLogDensity(view: ProgramView, theta: Float64Array, selected: (term: Term) => boolean): void {
  if (!allFinite(theta)) return;
  view.evaluate(theta);
  let factors = 0;
  for (let t = 0; t < view.terms.length; t++) {
    const term = view.terms[t]!;
    if (term.kind === "factor") factors++;
    if (!selected(term)) continue;
    if (term.kind === "factor") checkFactor(view, term, factors);
    else checkDensity(view, term, t, undefined);
  }
}

/**
 * Throws a DomainError when a NaN gradient entry at a finite log density comes from a term's own
 * partial derivatives at ordinary finite arguments (naming the term, the argument, and the
 * coordinates of θ it reached); returns when it arose elsewhere — in the chain rule at a
 * non-differentiable point, or from overflowed numbers — leaving `grad` as it is.
 *
 * @param view - the program
 * @param theta - the position
 * @param grad - the gradient with NaN entries
 * @param selected - whether a term belongs to the density that was evaluated
 * @throws DomainError naming the site and the coordinates
 * @example
 * ```ts
 * if (sum !== sum) explainNaNGradient(view, theta, grad, () => true);
 * ```
 */
export function explainNaNGradient(
  view: ProgramView,
  theta: Float64Array,
  grad: Float64Array,
  selected: (term: Term) => boolean,
): void {
  const coordinates: number[] = [];
  for (let i = 0; i < grad.length; i++) if (Number.isNaN(grad[i])) coordinates.push(i);
  if (coordinates.length === 0 || !allFinite(theta)) return;
  view.evaluate(theta);
  for (let t = 0; t < view.terms.length; t++) {
    const term = view.terms[t]!;
    if (term.kind === "density" && selected(term)) checkDensity(view, term, t, coordinates);
  }
}

/** One term's arguments at one element: the value, then each parameter by name. */
interface Arguments {
  readonly x: number;
  readonly params: readonly (readonly [name: string, value: number])[];
}

/**
 * Re-evaluates a density term (per element when it has a kernel) and throws when it is NaN — or,
 * with `coordinates`, when a needed partial is NaN at a finite value — at ordinary arguments.
 */
function checkDensity(view: ProgramView, term: DensityTerm, t: number, coordinates: number[] | undefined): void {
  const kernel = view.kernels[t];
  const x = view.stored(term.value)!;
  if (kernel !== undefined) {
    checkKernel(view, term, kernel, x, coordinates);
    return;
  }
  const params: Record<string, Value> = {};
  for (const [name, j] of Object.entries(term.params)) params[name] = view.stored(j)!;
  if (!allOrdinary(x) || !Object.values(params).every(allOrdinary)) return;
  const dist = term.dist;
  if (coordinates === undefined) {
    const lp = dist.logDensity(x, params);
    if (Number.isNaN(lp)) throw valueError(term, undefined, wholeArguments(x, params), "logDensity");
    return;
  }
  if (dist.logDensityGrad === undefined) return;
  const size = view.nodes[term.value]!.size;
  const buffer = (j: number): Float64Array | undefined =>
    view.needsGrad[j] ? new Float64Array(view.nodes[j]!.scalar ? 1 : view.nodes[j]!.size) : undefined;
  const out: GradOut = {
    x: dist.discrete ? undefined : buffer(term.value),
    params: Object.fromEntries(Object.entries(term.params).map(([name, j]) => [name, buffer(j)])),
  };
  const lp = dist.logDensityGrad(x, params, out);
  if (!Number.isFinite(lp)) return;
  const partials: [string, Float64Array | undefined][] = [["the value", out.x], ...Object.entries(out.params)];
  for (const [name, partial] of partials) {
    if (partial === undefined) continue;
    const k = partial.findIndex(Number.isNaN);
    if (k < 0) continue;
    const where = partial.length === size && size > 1 ? k : undefined;
    throw gradientError(view, term, where, name, wholeArguments(x, params), lp, coordinates, "logDensityGrad");
  }
}

function checkKernel(
  view: ProgramView,
  term: DensityTerm,
  kernel: ElementKernel,
  x: number | Float64Array,
  coordinates: number[] | undefined,
): void {
  const n = view.nodes[term.value]!.size;
  const order = kernel.paramOrder;
  const sources = order.map((name, m) => {
    const j = term.params[name];
    return j === undefined ? (kernel.defaults[m] ?? 0) : view.stored(j)!;
  });
  const p = new Float64Array(3);
  const k = new Float64Array(kernel.constants?.size ?? 0);
  const g = new Float64Array(4);
  // A parameter outside its support anywhere makes the whole term −∞, as in the generated loop.
  for (let e = 0; e < n; e++) {
    for (let m = 0; m < order.length; m++) {
      if (!inScalarSupport(kernel.supports[m]!, element(sources[m]!, e))) return;
    }
  }
  for (let e = 0; e < n; e++) {
    const xe = element(x, e);
    for (let m = 0; m < 3; m++) p[m] = m < order.length ? element(sources[m]!, e) : 0;
    if (!ordinary(xe) || !allOrdinary(p)) continue;
    kernel.constants?.compute(p[0]!, p[1]!, p[2]!, k);
    const args: Arguments = { x: xe, params: order.map((name, m) => [name, p[m]!] as const) };
    // The generated value and gradient functions call one element function each: check both.
    const value = kernel.logDensity(xe, p[0]!, p[1]!, p[2]!, k);
    const lp = kernel.logDensityGrad(xe, p[0]!, p[1]!, p[2]!, g.fill(0), k);
    if (coordinates === undefined) {
      if (Number.isNaN(value) || Number.isNaN(lp)) throw valueError(term, e, args, "element kernel");
      continue;
    }
    if (!Number.isFinite(lp)) continue;
    if (!kernel.discrete && view.needsGrad[term.value] && Number.isNaN(g[0])) {
      throw gradientError(view, term, e, "the value", args, lp, coordinates, "elementLogDensityGrad");
    }
    for (let m = 0; m < order.length; m++) {
      const j = term.params[order[m]!];
      if (j !== undefined && view.needsGrad[j] && Number.isNaN(g[m + 1])) {
        throw gradientError(view, term, e, order[m]!, args, lp, coordinates, "elementLogDensityGrad");
      }
    }
  }
}

/** Throws for the first operation in a NaN factor's computation that made NaN from ordinary operands. */
function checkFactor(view: ProgramView, term: FactorTerm, ordinal: number): void {
  const v = view.stored(term.value);
  if (typeof v !== "number" || !Number.isNaN(v)) return;
  const ancestors = new Set<number>();
  const stack = [term.value];
  while (stack.length > 0) {
    const j = stack.pop()!;
    if (ancestors.has(j)) continue;
    ancestors.add(j);
    stack.push(...nodeInputs(view.nodes[j]!));
  }
  for (const j of [...ancestors].sort((a, b) => a - b)) {
    const node = view.nodes[j]!;
    if (node.op !== "unary" && node.op !== "binary") continue;
    for (let k = 0; k < node.size; k++) {
      if (!Number.isNaN(valueAt(view, j, k))) continue;
      if (node.op === "unary") {
        const a = valueAt(view, node.x, operandIndex(view, node.x, k));
        if (ordinary(a)) throw factorError(term, ordinal, `${node.fn}(${a})`, domainOf(node.fn));
      } else {
        const a = valueAt(view, node.a, operandIndex(view, node.a, k));
        const b = valueAt(view, node.b, operandIndex(view, node.b, k));
        // 0/0 of two numbers that underflowed is the overflow case, not a domain error.
        const underflow = node.fn === "div" && a === 0 && b === 0;
        if (ordinary(a) && ordinary(b) && !underflow) {
          throw factorError(term, ordinal, `${node.fn}(${a}, ${b})`, domainOf(node.fn));
        }
      }
    }
  }
}

/** Element k of a node that may be inlined (recomputed from its operands, as the generated code does). */
function valueAt(view: ProgramView, i: number, k: number): number {
  const stored = view.stored(i);
  if (stored !== undefined) return element(stored, k);
  const node = view.nodes[i]!;
  switch (node.op) {
    case "unary":
      return UNARY[node.fn](valueAt(view, node.x, operandIndex(view, node.x, k)));
    case "binary":
      return BINARY[node.fn](
        valueAt(view, node.a, operandIndex(view, node.a, k)),
        valueAt(view, node.b, operandIndex(view, node.b, k)),
      );
    case "gather":
      return valueAt(view, node.src, node.index[k]!);
    default:
      return Number.NaN;
  }
}

/** The element of operand `j` that element k of an elementwise op reads (a scalar operand broadcasts). */
function operandIndex(view: ProgramView, j: number, k: number): number {
  return view.nodes[j]!.scalar ? 0 : k;
}

const UNARY: Record<string, (x: number) => number> = {
  neg: (x) => -x,
  exp: Math.exp,
  log: Math.log,
  log1p: Math.log1p,
  expm1: Math.expm1,
  logistic,
  softplus: log1pexp,
  abs: Math.abs,
  sqrt: Math.sqrt,
};

const BINARY: Record<string, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: Math.pow,
};

/** What the arguments of an operation that can make NaN from finite numbers must be. */
function domainOf(fn: string): string {
  switch (fn) {
    case "log":
    case "sqrt":
      return "an argument ≥ 0";
    case "log1p":
      return "an argument ≥ −1";
    case "pow":
      return "a base ≥ 0 (or an integer exponent)";
    case "div":
      return "a divisor that is not 0 when the dividend is 0";
    default:
      return "arguments in its domain";
  }
}

function element(v: number | Float64Array, k: number): number {
  return typeof v === "number" ? v : v.length === 1 ? v[0]! : v[k]!;
}

function allFinite(v: Value | ArrayLike<number>): boolean {
  if (typeof v === "number") return Number.isFinite(v);
  for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i])) return false;
  return true;
}

/** The smallest normal double, 2^−1022: below it a reciprocal overflows. */
const SMALLEST_NORMAL = 2.2250738585072014e-308;
/** 2^1000: beyond it squares, products and log-gammas overflow. */
const LARGEST_ORDINARY = 2 ** 1000;

/** Whether x is 0 or a normal double at most 2^1000 in magnitude (not at the ends of the double range). */
function ordinary(x: number): boolean {
  const a = Math.abs(x);
  return a === 0 || (a >= SMALLEST_NORMAL && a <= LARGEST_ORDINARY);
}

/** Whether every number of a value is {@link ordinary}. */
function allOrdinary(v: Value | ArrayLike<number>): boolean {
  if (typeof v === "number") return ordinary(v);
  for (let i = 0; i < v.length; i++) if (!ordinary(v[i]!)) return false;
  return true;
}

function wholeArguments(x: Value, params: Record<string, Value>): string {
  const parts = [`value ${describeValue(x)}`];
  for (const [name, v] of Object.entries(params)) parts.push(`${name} = ${describeValue(v)}`);
  return parts.join(", ");
}

function describeArguments(term: DensityTerm, e: number | undefined, args: Arguments | string): string {
  if (typeof args === "string") {
    return e === undefined ? args : `${args} (in element ${elementLabel(term.label ?? "x", term.shape, e)})`;
  }
  const value = elementLabel(term.label ?? "x", e === undefined ? [] : term.shape, e ?? 0);
  return [`${value} = ${args.x}`, ...args.params.map(([name, v]) => `${name} = ${v}`)].join(", ");
}

/** `'y' ~ normal()` for a labelled term, `normal() term` otherwise. */
function siteOf(term: DensityTerm): string {
  return term.label === undefined ? `${term.dist.family}() term` : `'${term.label}' ~ ${term.dist.family}()`;
}

function valueError(
  term: DensityTerm,
  e: number | undefined,
  args: Arguments | string,
  what: "logDensity" | "element kernel",
): DomainError {
  const family = term.dist.family;
  return new DomainError({
    where: siteOf(term),
    what: "the log density is NaN",
    got: `NaN at ${describeArguments(term, e, args)}`,
    expected: "a number or -Infinity",
    hint:
      `${family}'s ${what} returned NaN for finite arguments inside their supports; a density must ` +
      "return -Infinity outside its support and a number inside it. Check its formula at these values " +
      "(NaN comes from 0/0, ∞ − ∞, 0·∞, or log/sqrt of a negative number).",
  });
}

function gradientError(
  view: ProgramView,
  term: DensityTerm,
  e: number | undefined,
  argument: string,
  args: Arguments | string,
  lp: number,
  coordinates: readonly number[],
  source: "logDensityGrad" | "elementLogDensityGrad",
): DomainError {
  const named = argument === "the value" ? "the value" : `'${argument}'`;
  const shown = coordinates.slice(0, 4).map((i) => coordinateName(view, i));
  const more = coordinates.length > 4 ? ` and ${coordinates.length - 4} more` : "";
  return new DomainError({
    where: siteOf(term),
    what: `the partial derivative with respect to ${named} is NaN where the log density is finite`,
    got: `NaN at ${describeArguments(term, e, args)} (log density ${lp})`,
    expected: "a finite partial",
    hint:
      `it reaches the gradient at ${shown.join(", ")}${more}. ${term.dist.family}'s ${source} must give ` +
      "finite partials wherever its log density is finite; check them at these values" +
      (source === "logDensityGrad" ? ", or leave logDensityGrad out to have sprig differentiate numerically." : "."),
  });
}

function factorError(term: FactorTerm, ordinal: number, operation: string, expected: string): DomainError {
  const name = term.label === undefined ? `factor #${ordinal}` : `factor '${term.label}'`;
  return new DomainError({
    where: name,
    what: "the log density is NaN: an operation was applied outside its domain",
    got: operation,
    expected,
    hint:
      "a factor must be a number (or -Infinity) wherever the parameters are inside their supports; " +
      "guard the argument (e.g. sqrt(x * x + 1), log1p(exp(x))) or declare the parameter's support so " +
      "that it cannot leave the domain.",
  });
}

/** `θ[5] ('beta'[2])`: a coordinate of θ and the latent it belongs to, 1-based within the latent. */
function coordinateName(view: ProgramView, i: number): string {
  for (let j = 0; j < view.nodes.length; j++) {
    const node = view.nodes[j]!;
    if (node.op !== "latent" || i < node.offset || i >= node.offset + node.unconstrainedSize) continue;
    const prior = view.terms.find((term) => term.kind === "density" && term.samples && term.value === j);
    const name = prior?.kind === "density" && prior.label !== undefined ? prior.label : `latent ${j}`;
    const label =
      node.unconstrainedSize === 1 && node.scalar
        ? name
        : elementLabel(name, [node.unconstrainedSize], i - node.offset);
    return `θ[${i}] (${label})`;
  }
  return `θ[${i}]`;
}
