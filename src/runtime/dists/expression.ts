/**
 * Custom priors from a log density written as a mathjs expression string. The expression is
 * parsed and checked once, its partial derivatives are derived symbolically (mathjs
 * `derivative`, extended with rules for the special functions mathjs does not know) and
 * simplified, and value and partials are compiled together into one JavaScript loop with
 * common subexpressions shared — mathjs' own `evaluate` walks the tree at every call, which is
 * far too slow for a sampler's inner loop.
 * @module runtime/dists/expression
 */
import { createRequire } from "node:module";
import type { MathNode } from "mathjs";
import { CapabilityError, describeValue, ModelError, ShapeError } from "../../core/errors.js";
import type { ParamSpec } from "../../core/family.js";
import type { Rng } from "../../core/rng.js";
import { type Shape, shapeSize } from "../../core/shape.js";
import { formatSupport, isDiscrete, REAL, type Support } from "../../core/support.js";
import { digamma, lbeta, lgamma, log1pexp, logistic } from "../special.js";
import type { Distribution, GradOut, Params, Value } from "./distribution.js";
import { memoizeLast, memoizeLast2 } from "./memo.js";
import { createParamBinder } from "./param_binding.js";
import { suggestName } from "./suggest.js";

type MathJs = typeof import("mathjs");

let mathjsModule: MathJs | undefined;

/**
 * mathjs' number-only build, loaded on first use: importing it costs about half a second, which
 * programs that never define an expression prior should not pay.
 */
function mathjs(): MathJs {
  mathjsModule ??= createRequire(import.meta.url)("mathjs/number") as MathJs;
  return mathjsModule;
}

/**
 * The definition of a custom prior whose log density is a mathjs expression in the value `x`
 * and the named scalar parameters.
 *
 * @example
 * ```ts
 * const def: ExpressionPriorDefinition = {
 *   family: "gdp",
 *   params: { alpha: { rank: 0, support: POSITIVE }, eta: { rank: 0, support: POSITIVE } },
 *   logDensity: "log(alpha) - log(2 * eta) - (alpha + 1) * log(1 + abs(x) / eta)",
 * };
 * ```
 */
export interface ExpressionPriorDefinition {
  /** Snake-case family name, as written in model text. */
  readonly family: string;
  /** Scalar (rank-0) parameters by name; each broadcasts over a vector value like the built-in families. */
  readonly params: Readonly<Record<string, ParamSpec>>;
  /** Positional order of the parameters; defaults to the key order of `params`. */
  readonly paramOrder?: readonly string[];
  /**
   * The log density of one element, with its normalising constant, in `x`, the parameters, the
   * constants `pi` and `e`, the operators + − * / ^ and the functions listed in
   * {@link EXPRESSION_FUNCTIONS}.
   */
  readonly logDensity: string;
  /** The support of x (a scalar support); defaults to the real line. Integer or boolean supports make the family discrete. */
  readonly support?: Support;
  /** Draws one element given the parameters (numbers); without it, prior sampling is refused. */
  readonly sample?: (rng: Rng, p: Readonly<Record<string, number>>) => number;
  /**
   * Derive and compile the partial derivatives (default true). Set false for a density mathjs
   * cannot differentiate; the density compiler then differentiates numerically.
   */
  readonly gradient?: boolean;
}

/**
 * A {@link Distribution} built by {@link expressionDistribution}, which also shows what was
 * derived: the simplified partial derivatives, as mathjs text, by argument name.
 *
 * @example
 * ```ts
 * gdp.partials.x; // "-((alpha + 1) * sign(x) / eta / (abs(x) / eta + 1))" or an equivalent form
 * ```
 */
export interface ExpressionDistribution extends Distribution {
  /** The source log density. */
  readonly expression: string;
  /** ∂ logDensity / ∂ argument as simplified mathjs text, for `x` (continuous families) and each continuous parameter. */
  readonly partials: Readonly<Record<string, string>>;
}

/** How a function of the expression language is compiled, and its partial derivatives where mathjs has none. */
interface FunctionSpec {
  /** Accepted argument counts. */
  readonly arity: readonly number[];
  /** The function itself, at its first arity (the second argument is unused by unary functions). */
  readonly evaluate: (a: number, b: number) => number;
  /** The two-argument form of a function that also takes one argument (log with a base). */
  readonly evaluateBinary?: (a: number, b: number) => number;
  /** Inline JavaScript for a call; absent for sprig's special functions, always called through a closure. */
  readonly inline?: (args: readonly string[]) => string;
  /** True when the inline form costs no more than a cache lookup (abs, square, …). */
  readonly cheap?: boolean;
  /** ∂f/∂arg_k as mathjs nodes, for functions whose derivative mathjs does not know. */
  readonly partials?: (args: readonly MathNode[]) => MathNode[];
}

const mathCall =
  (name: string) =>
  (args: readonly string[]): string =>
    `Math.${name}(${args.join(", ")})`;

/** A unary Math function, inlined as Math.name(a). */
function unary(name: keyof Math & string, partials?: FunctionSpec["partials"]): FunctionSpec {
  const f = Math[name] as (a: number) => number;
  return { arity: [1], evaluate: (a) => f(a), inline: mathCall(name), ...(partials ? { partials } : {}) };
}

/** A special function of sprig's, called through a per-call-site closure. */
function special(
  arity: number,
  evaluate: (a: number, b: number) => number,
  partials?: FunctionSpec["partials"],
): FunctionSpec {
  return { arity: [arity], evaluate, ...(partials ? { partials } : {}) };
}

const digammaPartial: FunctionSpec["partials"] = ([u]) => [fn("digamma", u!)];
const logisticPartial: FunctionSpec["partials"] = ([u]) => [fn("logistic", u!)];

/**
 * The functions an expression may call. Those mathjs cannot differentiate (or differentiates
 * unhelpfully: abs′ = abs(u)/u is NaN at 0) carry their own partials. Calls whose arguments do
 * not involve x, and every call of lgamma, digamma and lbeta, go through a closure that
 * remembers its last argument, so that a broadcast parameter's log or log-gamma costs one
 * evaluation per vector rather than one per element.
 */
const FUNCTIONS: Readonly<Record<string, FunctionSpec>> = {
  abs: { ...unary("abs", ([u]) => [fn("sign", u!)]), cheap: true },
  sign: { ...unary("sign", () => [num(0)]), cheap: true },
  exp: unary("exp"),
  log: {
    arity: [1, 2],
    evaluate: (a) => Math.log(a),
    evaluateBinary: (a, b) => Math.log(a) / Math.log(b),
    inline: (args) => (args.length === 1 ? `Math.log(${args[0]})` : `(Math.log(${args[0]}) / Math.log(${args[1]}))`),
  },
  log1p: unary("log1p", ([u]) => [op("/", num(1), op("+", num(1), u!))]),
  expm1: unary("expm1", ([u]) => [fn("exp", u!)]),
  log2: unary("log2", ([u]) => [op("/", num(1 / Math.LN2), u!)]),
  log10: unary("log10"),
  sqrt: unary("sqrt"),
  cbrt: unary("cbrt"),
  square: {
    arity: [1],
    evaluate: (a) => a * a,
    inline: ([a]) => `(${a} * ${a})`,
    cheap: true,
    partials: ([u]) => [op("*", num(2), u!)],
  },
  cube: {
    arity: [1],
    evaluate: (a) => a * a * a,
    inline: ([a]) => `(${a} * ${a} * ${a})`,
    cheap: true,
    partials: ([u]) => [op("*", num(3), op("^", u!, num(2)))],
  },
  pow: { arity: [2], evaluate: Math.pow, inline: ([a, b]) => `Math.pow(${a}, ${b})` },
  sin: unary("sin"),
  cos: unary("cos"),
  tan: unary("tan"),
  sec: { arity: [1], evaluate: (a) => 1 / Math.cos(a), inline: ([a]) => `(1 / Math.cos(${a}))` },
  atan: unary("atan"),
  sinh: unary("sinh"),
  cosh: unary("cosh"),
  tanh: unary("tanh"),
  sech: { arity: [1], evaluate: (a) => 1 / Math.cosh(a), inline: ([a]) => `(1 / Math.cosh(${a}))` },
  asinh: unary("asinh"),
  lgamma: special(1, lgamma, digammaPartial),
  gammaln: special(1, lgamma, digammaPartial),
  digamma: special(1, digamma),
  lbeta: special(2, lbeta, ([a, b]) => {
    const psiSum = fn("digamma", op("+", a!, b!));
    return [op("-", fn("digamma", a!), psiSum), op("-", fn("digamma", b!), psiSum.cloneDeep())];
  }),
  log1pexp: special(1, log1pexp, logisticPartial),
  softplus: special(1, log1pexp, logisticPartial),
  logistic: special(1, logistic, ([u]) => [op("*", fn("logistic", u!), fn("logistic", op("-", num(0), u!)))]),
};

/**
 * The names of the functions an expression prior may use: abs, sign, exp, log (one argument,
 * or two for a base), log1p, expm1, log2, log10, sqrt, cbrt, square, cube, pow, the
 * trigonometric and hyperbolic functions sin, cos, tan, sec, atan, sinh, cosh, tanh, sech,
 * asinh, and the special functions lgamma (alias gammaln), digamma, lbeta, log1pexp (alias
 * softplus) and logistic. digamma has no derivative rule (sprig has no trigamma), so it may
 * only appear where no partial is taken through it, or with `gradient: false`.
 *
 * @example
 * ```ts
 * EXPRESSION_FUNCTIONS.includes("lgamma"); // true
 * ```
 */
export const EXPRESSION_FUNCTIONS: readonly string[] = Object.freeze(Object.keys(FUNCTIONS).sort());

/** mathjs operator names accepted, mapped to the canonical ones (element-wise forms are the same on scalars). */
const OPERATORS: Readonly<Record<string, string>> = {
  add: "add",
  subtract: "subtract",
  multiply: "multiply",
  divide: "divide",
  pow: "pow",
  unaryMinus: "unaryMinus",
  unaryPlus: "unaryPlus",
  dotMultiply: "multiply",
  dotDivide: "divide",
  dotPow: "pow",
};

const CONSTANTS: Readonly<Record<string, number>> = { pi: Math.PI, e: Math.E };
const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]*$/;
const SNAKE_CASE = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/;

// ---------------------------------------------------------------------------------------------
// Node helpers. mathjs node classes come from the lazily loaded module.

function num(value: number): MathNode {
  return new (mathjs().ConstantNode)(value);
}

function sym(name: string): MathNode {
  return new (mathjs().SymbolNode)(name);
}

function fn(name: string, ...args: MathNode[]): MathNode {
  return new (mathjs().FunctionNode)(new (mathjs().SymbolNode)(name), args);
}

const OPERATOR_NAMES = { "+": "add", "-": "subtract", "*": "multiply", "/": "divide", "^": "pow" } as const;

function op(symbol: keyof typeof OPERATOR_NAMES, a: MathNode, b: MathNode): MathNode {
  const ctor = mathjs().OperatorNode as unknown as new (o: string, f: string, args: MathNode[]) => MathNode;
  return new ctor(symbol, OPERATOR_NAMES[symbol], [a, b]);
}

function unaryMinus(a: MathNode): MathNode {
  const ctor = mathjs().OperatorNode as unknown as new (o: string, f: string, args: MathNode[]) => MathNode;
  return new ctor("-", "unaryMinus", [a]);
}

interface NodeView {
  readonly type: string;
  readonly name?: string;
  readonly value?: unknown;
  readonly fn?: string | { readonly name?: string };
  readonly op?: string;
  readonly args?: readonly MathNode[];
  readonly content?: MathNode;
}

/** The fields of a mathjs node read here, with one type for every node kind. */
function view(node: MathNode): NodeView {
  return node as unknown as NodeView;
}

/** The function name of a FunctionNode (its `fn` is a SymbolNode). */
function functionName(node: MathNode): string {
  const f = view(node).fn;
  return typeof f === "object" && typeof f.name === "string" ? f.name : String(f);
}

/** Whether `node` mentions the symbol `name` (function names are not symbols here). */
function dependsOn(node: MathNode, name: string): boolean {
  const v = view(node);
  switch (v.type) {
    case "SymbolNode":
      return v.name === name;
    case "ConstantNode":
      return false;
    case "ParenthesisNode":
      return dependsOn(v.content!, name);
    default:
      return (v.args ?? []).some((a) => dependsOn(a, name));
  }
}

/** Whether a call of a sprig-ruled function (one with its own partials) depends on `name`. */
function needsOwnRules(node: MathNode, name: string): boolean {
  const v = view(node);
  if (v.type === "ParenthesisNode") return needsOwnRules(v.content!, name);
  if (v.type === "FunctionNode" && FUNCTIONS[functionName(node)]?.partials !== undefined && dependsOn(node, name)) {
    return true;
  }
  return (v.args ?? []).some((a) => needsOwnRules(a, name));
}

function sum(terms: MathNode[]): MathNode {
  if (terms.length === 0) return num(0);
  return terms.reduce((a, b) => op("+", a, b));
}

function product(factors: MathNode[]): MathNode {
  return factors.reduce((a, b) => op("*", a, b));
}

/**
 * ∂node/∂name. Subtrees without sprig-ruled functions go to mathjs `derivative` whole; above
 * them the sum, product, quotient, power and chain rules are applied here, taking the outer
 * derivative of a function either from its sprig rule or from mathjs (on placeholder arguments
 * that are then substituted back).
 */
function differentiate(node: MathNode, name: string): MathNode {
  if (!dependsOn(node, name)) return num(0);
  const math = mathjs();
  if (!needsOwnRules(node, name)) return math.derivative(node, name, { simplify: false });
  const v = view(node);
  const args = v.args ?? [];
  const d = (a: MathNode) => differentiate(a, name);
  if (v.type === "ParenthesisNode") return d(v.content!);
  if (v.type === "OperatorNode") {
    switch (OPERATORS[String(v.fn)]) {
      case "add":
        return sum(args.map(d));
      case "subtract":
        return op("-", d(args[0]!), d(args[1]!));
      case "unaryMinus":
        return unaryMinus(d(args[0]!));
      case "unaryPlus":
        return d(args[0]!);
      case "multiply":
        return sum(args.map((a, k) => product([...args.filter((_, j) => j !== k).map((b) => b.cloneDeep()), d(a)])));
      case "divide": {
        const [u, w] = args as [MathNode, MathNode];
        return op(
          "-",
          op("/", d(u), w.cloneDeep()),
          op("/", op("*", u.cloneDeep(), d(w)), op("^", w.cloneDeep(), num(2))),
        );
      }
      case "pow": {
        const [u, w] = args as [MathNode, MathNode];
        if (!dependsOn(w, name)) {
          return product([w.cloneDeep(), op("^", u.cloneDeep(), op("-", w.cloneDeep(), num(1))), d(u)]);
        }
        return op(
          "*",
          node.cloneDeep(),
          op("+", op("*", d(w), fn("log", u.cloneDeep())), op("/", op("*", w.cloneDeep(), d(u)), u.cloneDeep())),
        );
      }
    }
  }
  // A function call: Σ_k ∂f/∂arg_k · ∂arg_k/∂name.
  const outer = outerPartials(node);
  const terms: MathNode[] = [];
  for (let k = 0; k < args.length; k++) {
    if (dependsOn(args[k]!, name)) terms.push(op("*", outer[k]!, d(args[k]!)));
  }
  return sum(terms);
}

/** ∂f/∂arg_k for a call f(args), from the sprig rule or from mathjs on placeholders u0, u1, … */
function outerPartials(node: MathNode): MathNode[] {
  const name = functionName(node);
  const args = view(node).args ?? [];
  const rule = FUNCTIONS[name]?.partials;
  if (rule !== undefined) return rule(args.map((a) => a.cloneDeep()));
  const placeholders = args.map((_, k) => `u${k}`);
  const generic = fn(name, ...placeholders.map(sym));
  return placeholders.map((p) => {
    const partial = mathjs().derivative(generic, p, { simplify: false });
    return partial.transform((n) => {
      const nv = view(n);
      const k = nv.type === "SymbolNode" ? placeholders.indexOf(nv.name!) : -1;
      return k >= 0 ? args[k]!.cloneDeep() : n;
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Checking and renaming the user's tree.

interface CheckContext {
  readonly where: string;
  readonly source: string;
  /** User-facing symbol → internal name (x → v0, parameters → v1, v2, …). */
  readonly rename: ReadonlyMap<string, string>;
  readonly symbols: readonly string[];
}

/** Plain words for syntax the expression language does not have. */
const SYNTAX_WORDS: Readonly<Record<string, string>> = {
  AssignmentNode: "an assignment",
  ConditionalNode: "a conditional 'a ? b : c'",
  ArrayNode: "a vector or matrix literal",
  AccessorNode: "an index or property access",
  BlockNode: "several statements",
  FunctionAssignmentNode: "a function definition",
  ObjectNode: "an object",
  RangeNode: "a range",
  RelationalNode: "a comparison",
  IndexNode: "an index",
};

const SYNTAX_HINT =
  "an expression prior is one scalar formula in x and the parameters, built from numbers, + - * / ^ and the functions of EXPRESSION_FUNCTIONS.";

/**
 * Checks every node and returns a copy with symbols renamed to internal names and the
 * constants pi and e replaced by their values, so that mathjs' simplifier can never mistake a
 * parameter for one of its own constants (it knows e, i, phi, tau, …).
 */
function checkAndRename(node: MathNode, ctx: CheckContext): MathNode {
  const v = view(node);
  switch (v.type) {
    case "ConstantNode": {
      if (typeof v.value !== "number") {
        throw new ModelError({
          where: ctx.where,
          what: "unsupported constant in logDensity",
          got: describeValue(v.value),
          expected: "a number",
          hint: SYNTAX_HINT,
        });
      }
      return num(v.value);
    }
    case "SymbolNode": {
      const internal = ctx.rename.get(v.name!);
      if (internal !== undefined) return sym(internal);
      const constant = CONSTANTS[v.name!];
      if (constant !== undefined) return num(constant);
      const suggestion = suggestName(v.name!, [...ctx.symbols, ...Object.keys(CONSTANTS)]);
      throw new ModelError({
        where: ctx.where,
        what: `unknown symbol '${v.name}' in logDensity`,
        expected: `one of ${ctx.symbols.join(", ")}`,
        hint:
          suggestion !== undefined
            ? `did you mean '${suggestion}'?`
            : "declare it in params, or use the constants pi and e.",
      });
    }
    case "ParenthesisNode":
      return checkAndRename(v.content!, ctx);
    case "OperatorNode": {
      const canonical = OPERATORS[String(v.fn)];
      if (canonical === undefined) {
        throw new ModelError({
          where: ctx.where,
          what: `unsupported operator '${v.op}' in logDensity`,
          got: `'${node.toString()}'`,
          expected: "+, -, *, / or ^",
          hint: SYNTAX_HINT,
        });
      }
      const args = (v.args ?? []).map((a) => checkAndRename(a, ctx));
      if (canonical === "unaryMinus") return unaryMinus(args[0]!);
      if (canonical === "unaryPlus") return args[0]!;
      const symbol = ({ add: "+", subtract: "-", multiply: "*", divide: "/", pow: "^" } as const)[
        canonical as "add" | "subtract" | "multiply" | "divide" | "pow"
      ];
      return args.reduce((a, b) => op(symbol, a, b));
    }
    case "FunctionNode": {
      const name = functionName(node);
      const spec = FUNCTIONS[name];
      if (spec === undefined) {
        const suggestion = suggestName(name, EXPRESSION_FUNCTIONS);
        throw new ModelError({
          where: ctx.where,
          what: `unknown function '${name}' in logDensity`,
          expected: `one of ${EXPRESSION_FUNCTIONS.join(", ")}`,
          ...(suggestion !== undefined ? { hint: `did you mean '${suggestion}'?` } : {}),
        });
      }
      const args = v.args ?? [];
      if (!spec.arity.includes(args.length)) {
        throw new ModelError({
          where: ctx.where,
          what: `function '${name}' called with the wrong number of arguments in logDensity`,
          got: String(args.length),
          expected: spec.arity.join(" or "),
        });
      }
      return fn(name, ...args.map((a) => checkAndRename(a, ctx)));
    }
    default:
      throw new ModelError({
        where: ctx.where,
        what: `unsupported syntax in logDensity: ${SYNTAX_WORDS[v.type] ?? v.type}`,
        got: `'${node.toString()}'`,
        hint: SYNTAX_HINT,
      });
  }
}

// ---------------------------------------------------------------------------------------------
// Code generation.

/** A JavaScript number literal (parenthesised when negative, so that `a - -1` cannot occur). */
function literal(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Number.POSITIVE_INFINITY) return "Infinity";
  if (value === Number.NEGATIVE_INFINITY) return "(-Infinity)";
  return value < 0 || Object.is(value, -0) ? `(${value})` : String(value);
}

/** A numeric value of a constant node after simplification (mathjs may leave a Fraction-like object). */
function constantValue(node: MathNode): number {
  const value = view(node).value;
  return typeof value === "number" ? value : Number(value);
}

/**
 * Emits straight-line JavaScript for several expressions over the same variables, one `const`
 * per distinct operation: identical subexpressions (say log(eta) in the value and in a partial)
 * are computed once. Costly calls that do not involve x go through remembering closures (see
 * {@link FUNCTIONS}).
 */
class Emitter {
  readonly lines: string[] = [];
  readonly closures: ((a: number, b: number) => number)[] = [];
  private readonly temps = new Map<string, string>();
  /** Names whose value changes with x (the symbol v0 and the temporaries computed from it). */
  private readonly varying = new Set<string>(["v0"]);

  emit(node: MathNode): string {
    const v = view(node);
    switch (v.type) {
      case "ConstantNode":
        return literal(constantValue(node));
      case "SymbolNode":
        return v.name!;
      case "ParenthesisNode":
        return this.emit(v.content!);
      case "OperatorNode": {
        const args = (v.args ?? []).map((a) => this.emit(a));
        const varying = args.some((a) => this.varying.has(a));
        return this.temp(this.operator(String(v.fn), args, v.args ?? []), undefined, varying);
      }
      case "FunctionNode": {
        const name = functionName(node);
        const spec = FUNCTIONS[name];
        if (spec === undefined) throw new Error(`expression compiler: no emitter for function '${name}'`);
        const args = (v.args ?? []).map((a) => this.emit(a));
        const key = `${name}(${args.join(", ")})`;
        const known = this.temps.get(key);
        if (known !== undefined) return known;
        const varying = args.some((a) => this.varying.has(a));
        if (spec.inline !== undefined && (varying || spec.cheap === true)) {
          return this.temp(spec.inline(args), key, varying);
        }
        // A new call site: its own closure, remembering its last argument(s).
        const evaluate = args.length === 2 ? (spec.evaluateBinary ?? spec.evaluate) : spec.evaluate;
        this.closures.push(args.length === 1 ? memoizeLast((a) => evaluate(a, Number.NaN)) : memoizeLast2(evaluate));
        return this.temp(`C${this.closures.length - 1}(${args.join(", ")})`, key, varying);
      }
      default:
        throw new Error(`expression compiler: unexpected node ${v.type}`);
    }
  }

  private operator(name: string, args: readonly string[], nodes: readonly MathNode[]): string {
    switch (OPERATORS[name]) {
      case "add":
        return args.join(" + ");
      case "subtract":
        return `${args[0]} - ${args[1]}`;
      case "multiply":
        return args.join(" * ");
      case "divide":
        return `${args[0]} / ${args[1]}`;
      case "unaryMinus":
        return `-${args[0]}`;
      case "unaryPlus":
        return args[0]!;
      case "pow":
        return power(args[0]!, nodes[1]!, args[1]!);
      default:
        throw new Error(`expression compiler: no emitter for operator '${name}'`);
    }
  }

  private temp(code: string, key: string | undefined, varying: boolean): string {
    const known = this.temps.get(key ?? code);
    if (known !== undefined) return known;
    const name = `t${this.temps.size}`;
    this.temps.set(key ?? code, name);
    if (varying) this.varying.add(name);
    this.lines.push(`const ${name} = ${code};`);
    return name;
  }
}

/** b^e, with the common constant exponents written as multiplications or roots. */
function power(base: string, exponentNode: MathNode, exponent: string): string {
  if (view(exponentNode).type === "ConstantNode") {
    switch (constantValue(exponentNode)) {
      case 0:
        return "1";
      case 1:
        return base;
      case 2:
        return `${base} * ${base}`;
      case 3:
        return `${base} * ${base} * ${base}`;
      case 0.5:
        return `Math.sqrt(${base})`;
      case -0.5:
        return `1 / Math.sqrt(${base})`;
      case -1:
        return `1 / ${base}`;
      case -2:
        return `1 / (${base} * ${base})`;
    }
  }
  return `Math.pow(${base}, ${exponent})`;
}

/** The support test of one element `v0` as JavaScript. */
function supportTest(support: Support): string {
  switch (support.kind) {
    case "real":
      return "v0 > -Infinity && v0 < Infinity";
    case "positive":
      return "v0 > 0 && v0 < Infinity";
    case "lower":
      return `v0 >= ${literal(support.lower)} && v0 < Infinity`;
    case "upper":
      return `v0 <= ${literal(support.upper)} && v0 > -Infinity`;
    case "interval":
      return `v0 >= ${literal(support.lower)} && v0 <= ${literal(support.upper)}`;
    case "integer":
      return [
        "Number.isInteger(v0)",
        ...(support.lower !== undefined ? [`v0 >= ${literal(support.lower)}`] : []),
        ...(support.upper !== undefined ? [`v0 <= ${literal(support.upper)}`] : []),
      ].join(" && ");
    case "boolean":
      return "v0 === 0 || v0 === 1";
    default:
      throw new Error(`expression compiler: '${support.kind}' is not a scalar support`);
  }
}

/** (xs, n, D, S) → Σ log p; D[k], S[k] are parameter k's data and stride (0 = broadcast). */
type ValueKernel = (xs: Float64Array, n: number, data: Float64Array[], strides: Int32Array) => number;
/** As {@link ValueKernel}, adding partials into gx and G[k] (each may be undefined). */
type GradKernel = (
  xs: Float64Array,
  n: number,
  data: Float64Array[],
  strides: Int32Array,
  gx: Float64Array | undefined,
  grads: (Float64Array | undefined)[],
) => number;

/**
 * Builds one loop over the elements: bind parameters, check the support, evaluate the shared
 * temporaries, accumulate the value (−Infinity on the first impossible element; NaN is reported
 * as −Infinity) and, for the gradient kernel, add the partials.
 */
function compileKernel(
  value: MathNode,
  partials: readonly { readonly target: string; readonly node: MathNode }[],
  paramCount: number,
  support: Support,
): { readonly kernel: (...args: never[]) => number; readonly source: string } {
  const emitter = new Emitter();
  const lp = emitter.emit(value);
  const partialCode = partials.map((p) => ({ target: p.target, code: emitter.emit(p.node) }));
  const params = Array.from({ length: paramCount }, (_, k) => k);
  const withGrad = partials.length > 0;
  const header = [
    ...params.map((k) => `const d${k} = D[${k}], s${k} = S[${k}];`),
    ...(withGrad ? params.map((k) => `const g${k} = G[${k}];`) : []),
  ];
  const body = [
    "const v0 = xs[i];",
    `if (!(${supportTest(support)})) return -Infinity;`,
    ...params.map((k) => `const v${k + 1} = d${k}[i * s${k}];`),
    ...emitter.lines,
    `const lp = ${lp};`,
    "if (!(lp > -Infinity)) return -Infinity;",
    "total += lp;",
    ...partialCode.map(({ target, code }) =>
      target === "x"
        ? `if (gx !== undefined) gx[i] += ${code};`
        : `if (g${target} !== undefined) g${target}[i * s${target}] += ${code};`,
    ),
  ];
  const signature = withGrad ? "xs, n, D, S, gx, G" : "xs, n, D, S";
  const source = [
    `return function ${withGrad ? "logDensityGrad" : "logDensity"}(${signature}) {`,
    ...header.map((line) => `  ${line}`),
    "  let total = 0;",
    "  for (let i = 0; i < n; i++) {",
    ...body.map((line) => `    ${line}`),
    "  }",
    "  return total === total ? total : -Infinity;",
    "};",
  ].join("\n");
  const closureNames = emitter.closures.map((_, k) => `C${k}`);
  // The source is assembled only from internal identifiers and numeric literals (every symbol
  // and function was checked against the allowed lists), so no user text reaches it.
  const factory = new Function(...closureNames, `"use strict";\n${source}`) as (
    ...closures: ((a: number, b: number) => number)[]
  ) => (...args: never[]) => number;
  return { kernel: factory(...emitter.closures), source };
}

// ---------------------------------------------------------------------------------------------
// The public constructor.

function definitionError(where: string, what: string, got: unknown, expected: string, hint?: string): ModelError {
  return new ModelError({
    where,
    what,
    got: typeof got === "string" ? got : describeValue(got),
    expected,
    ...(hint !== undefined ? { hint } : {}),
  });
}

/** The mathjs parse error turned into the sprig format, with a caret under the column. */
function parseError(where: string, source: string, error: unknown): ModelError {
  const raw = error instanceof Error ? error.message : String(error);
  const char = (error as { char?: unknown }).char;
  const column = typeof char === "number" ? char : undefined;
  const message = raw.replace(/\s*\(char \d+\)\s*$/, "");
  return new ModelError({
    where,
    what: `logDensity does not parse (mathjs: ${message}${column !== undefined ? `, at column ${column}` : ""})`,
    got: `'${source}'`,
    ...(column !== undefined
      ? { hint: `look at column ${column}:\n  ${source}\n  ${" ".repeat(Math.max(0, column - 1))}^` }
      : { hint: "check the expression's syntax (mathjs)." }),
  });
}

/** The mathjs differentiation failure turned into the sprig format. */
function derivativeError(where: string, argument: string, error: unknown): ModelError {
  const raw = error instanceof Error ? error.message : String(error);
  const match = /Cannot process (function|operator) "([^"]+)"/.exec(raw);
  return new ModelError({
    where,
    what: `cannot differentiate logDensity with respect to '${argument}'`,
    got: match !== null ? `the ${match[1]} '${match[2]}'` : `'${raw}'`,
    expected: "functions with known derivatives",
    hint: `mathjs says: ${raw.split(":")[0]}. Rewrite that term, or set gradient: false to let the density compiler differentiate numerically.`,
  });
}

/** Internal-to-user names for printing derived partials. */
function printable(node: MathNode, names: ReadonlyMap<string, string>): string {
  return node
    .transform((n) => {
      const v = view(n);
      return v.type === "SymbolNode" && names.has(v.name!) ? sym(names.get(v.name!)!) : n;
    })
    .toString();
}

/**
 * Builds a custom prior from a mathjs expression for its log density. Everything is done
 * once, here: the expression is parsed and checked (unknown symbols and functions are
 * reported with a "did you mean"), ∂/∂x and ∂/∂parameter are derived symbolically and
 * simplified, and value and partials are compiled into JavaScript loops over the elements.
 * The result broadcasts like the built-in scalar families (a vector value with scalar or
 * elementwise parameters), returns −Infinity outside the support and for parameters outside
 * their supports, never NaN, and registers like any {@link Distribution}.
 *
 * The expression is the log density of ONE element and must include its normalising constant
 * (a constant that does not depend on the parameters may be left out only if no backend needs
 * evidence or prior-predictive checks). Partials are derived for `x` (unless the support is
 * discrete) and for every parameter whose support is continuous.
 *
 * @param def - family name, scalar parameters, the log density, support and optional sampler
 * @returns the distribution, with the derived partials as text
 * @throws ModelError for a bad definition: missing or unparsable logDensity, unknown symbol or
 *   function, unsupported syntax, or a derivative mathjs cannot take
 * @example
 * ```ts
 * const gdp = expressionDistribution({
 *   family: "generalized_double_pareto",
 *   params: { alpha: { rank: 0, support: POSITIVE }, eta: { rank: 0, support: POSITIVE } },
 *   logDensity: "log(alpha) - log(2 * eta) - (alpha + 1) * log(1 + abs(x) / eta)",
 * });
 * createDefaultRegistry().register(gdp);
 * ```
 */
export function expressionDistribution(def: ExpressionPriorDefinition): ExpressionDistribution {
  if (typeof def !== "object" || def === null) {
    throw definitionError("expression prior", "a definition must be an object", def, "{ family, params, logDensity }");
  }
  const family: unknown = def.family;
  if (typeof family !== "string" || !SNAKE_CASE.test(family)) {
    throw definitionError(
      "expression prior",
      "a family name must be snake_case",
      family,
      "lower-case words joined by '_', e.g. 'my_prior'",
    );
  }
  const where = `expression prior '${family}'`;
  const source: unknown = def.logDensity;
  if (typeof source !== "string" || source.trim() === "") {
    throw definitionError(
      where,
      "missing logDensity",
      source === undefined ? "undefined" : source,
      'a mathjs expression string in x and the parameters, e.g. "log(lambda) - lambda * abs(x)"',
    );
  }
  const params: unknown = def.params;
  if (typeof params !== "object" || params === null) {
    throw definitionError(where, "has no params", params, "an object of ParamSpec by name (may be empty)");
  }
  const specs = params as Readonly<Record<string, ParamSpec>>;
  const order = def.paramOrder ?? Object.keys(specs);
  const keys = Object.keys(specs);
  if (order.length !== keys.length || !keys.every((k) => order.includes(k))) {
    throw definitionError(
      where,
      "has a paramOrder that does not list the params",
      `[${order.join(", ")}]`,
      `an order of ${keys.join(", ")}`,
    );
  }
  for (const name of order) {
    if (!IDENTIFIER.test(name) || name === "x" || name in CONSTANTS) {
      throw definitionError(
        where,
        `cannot name a parameter '${name}'`,
        `'${name}'`,
        "an identifier other than x, pi and e",
      );
    }
    const spec = specs[name]!;
    if (spec?.rank !== 0 || spec.support === undefined || !isScalarSupport(spec.support)) {
      throw definitionError(
        where,
        `parameter '${name}' must be a scalar with a scalar support`,
        spec === undefined
          ? "undefined"
          : `rank ${spec.rank}, support ${spec.support ? formatSupport(spec.support) : "undefined"}`,
        "{ rank: 0, support: REAL | POSITIVE | … }",
        "expression priors broadcast scalar parameters over the value; write a Distribution object for vector parameters.",
      );
    }
  }
  const support = def.support ?? REAL;
  if (!isScalarSupport(support)) {
    throw definitionError(
      where,
      "needs a scalar support for x",
      formatSupport(support),
      "real, positive, lower, upper, interval, integer or boolean",
    );
  }
  const discrete = isDiscrete(support);

  const math = mathjs();
  let parsed: MathNode;
  try {
    parsed = math.parse(source);
  } catch (error) {
    throw parseError(where, source, error);
  }
  const rename = new Map<string, string>([["x", "v0"], ...order.map((name, k) => [name, `v${k + 1}`] as const)]);
  const userNames = new Map([...rename].map(([user, internal]) => [internal, user] as const));
  const value = checkAndRename(parsed, { where, source, rename, symbols: ["x", ...order] });

  const targets = [
    ...(discrete ? [] : [{ name: "x", target: "x" }]),
    ...order.flatMap((name, k) => (isDiscrete(specs[name]!.support) ? [] : [{ name, target: String(k) }])),
  ];
  const partials: { target: string; node: MathNode }[] = [];
  const partialText: Record<string, string> = {};
  if (def.gradient !== false) {
    for (const { name, target } of targets) {
      let node: MathNode;
      try {
        node = math.simplify(differentiate(value, rename.get(name)!), {}, { exactFractions: false });
      } catch (error) {
        throw derivativeError(where, name, error);
      }
      partials.push({ target, node });
      partialText[name] = printable(node, userNames);
    }
  }

  const m = order.length;
  const valueKernel = compileKernel(value, [], m, support).kernel as ValueKernel;
  const gradKernel =
    def.gradient === false ? undefined : (compileKernel(value, partials, m, support).kernel as GradKernel);

  // Per-call bindings (JavaScript is single-threaded and kernels never re-enter).
  const binder = createParamBinder(where, order, specs, (s) => `lie in ${formatSupport(s)}`);
  const { data, strides } = binder;
  const bindParams = binder.bind;
  const grads: (Float64Array | undefined)[] = order.map(() => undefined);
  const xBox = new Float64Array(1);
  const element: Record<string, number> = Object.fromEntries(order.map((name) => [name, 0]));

  function bindValue(x: Value): Float64Array {
    if (typeof x !== "number") return x;
    xBox[0] = x;
    return xBox;
  }

  const sampleElement = def.sample;
  const dist: ExpressionDistribution = {
    family,
    params: specs,
    paramOrder: order,
    eventRank: 0,
    discrete,
    expression: source,
    partials: partialText,
    support: () => support,

    logDensity(x: Value, p: Params): number {
      const xs = bindValue(x);
      if (!bindParams(p, xs.length, false)) return Number.NEGATIVE_INFINITY;
      return valueKernel(xs, xs.length, data, strides);
    },

    sample(rng: Rng, p: Params, shape: Shape, out?: Float64Array): Value {
      if (sampleElement === undefined) {
        throw new CapabilityError({
          where,
          what: "cannot draw from this prior: it was defined by its log density alone",
          hint: "prior sampling (prior-predictive checks, initialisation from the prior, SMC from the prior) needs a sampler; pass sample: (rng, p) => … to expressionDistribution, or initialise the backend another way.",
        });
      }
      const n = shapeSize(shape);
      bindParams(p, n, true);
      if (out !== undefined && out.length < n) {
        throw new ShapeError({
          where,
          what: "output buffer is too short",
          got: String(out.length),
          expected: `at least ${n}`,
        });
      }
      if (shape.length === 0 && out === undefined) {
        if (strides.some((s) => s !== 0)) {
          throw new ShapeError({
            where,
            what: "vector parameters need a vector sample shape",
            got: "scalar",
            expected: "[n]",
          });
        }
        for (let k = 0; k < m; k++) element[order[k]!] = data[k]![0]!;
        return sampleElement(rng, element);
      }
      const target = out ?? new Float64Array(n);
      for (let i = 0; i < n; i++) {
        for (let k = 0; k < m; k++) element[order[k]!] = data[k]![i * strides[k]!]!;
        target[i] = sampleElement(rng, element);
      }
      return target;
    },
  };
  if (gradKernel === undefined) return dist;
  return {
    ...dist,
    logDensityGrad(x: Value, p: Params, out: GradOut): number {
      const xs = bindValue(x);
      const n = xs.length;
      if (!bindParams(p, n, false)) return Number.NEGATIVE_INFINITY;
      for (let k = 0; k < m; k++) {
        const buffer = out.params[order[k]!];
        const expected = strides[k] === 0 ? 1 : n;
        if (buffer !== undefined && buffer.length !== expected) {
          throw new ShapeError({
            where,
            what: `gradient buffer for parameter '${order[k]}' has the wrong length`,
            got: String(buffer.length),
            expected: String(expected),
          });
        }
        grads[k] = buffer;
      }
      const gx = discrete ? undefined : out.x;
      if (gx !== undefined && gx.length !== n) {
        throw new ShapeError({
          where,
          what: "gradient buffer for the value has the wrong length",
          got: String(gx.length),
          expected: String(n),
        });
      }
      return gradKernel(xs, n, data, strides, gx, grads);
    },
  };
}

/** Whether a support describes scalars (the kinds a generated support test can check). */
function isScalarSupport(support: Support): boolean {
  return ["real", "positive", "lower", "upper", "interval", "integer", "boolean"].includes(support.kind);
}
