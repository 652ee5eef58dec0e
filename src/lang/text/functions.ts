/**
 * The built-in functions of the model language and how each lowers to IR expressions. The IR
 * has eight elementwise functions, three reductions, `dot`, `gather` and the arithmetic
 * operators; Stan's other common functions are spelt with those (`square(x)` is `x^2`,
 * `log1m(x)` is `log1p(-x)`, `log_inv_logit(x)` is `-softplus(-x)`), so they cost nothing new in
 * the backends and differentiate exactly.
 * @module lang/text/functions
 */
import { binary, call, constant, neg, reduce } from "../../ir/expr.js";
import type { SourceSpan } from "../../core/span.js";
import type { Expr } from "../../ir/types.js";

/**
 * A built-in function that lowers argument expressions to one IR expression, elementwise over
 * vectors unless stated.
 *
 * @example
 * ```ts
 * const f: BuiltinFunction = { name: "square", arity: [1, 1], doc: "x^2", lower: ([x], s) => binary("pow", x, constant(2), s) };
 * ```
 */
export interface BuiltinFunction {
  readonly name: string;
  /** Fewest and most arguments. */
  readonly arity: readonly [number, number];
  /** One line for the language reference. */
  readonly doc: string;
  /** True for reductions (a vector in, a scalar out); the others are elementwise or scalar. */
  readonly reduction?: boolean;
  /** Builds the IR expression from lowered arguments. */
  readonly lower: (args: readonly Expr[], span: SourceSpan | undefined) => Expr;
}

const LOG_2 = Math.LN2;
const LOG_10 = Math.LN10;

function unaryFn(name: string, doc: string, lower: (x: Expr, s: SourceSpan | undefined) => Expr): BuiltinFunction {
  return { name, arity: [1, 1], doc, lower: (args, s) => lower(args[0]!, s) };
}

function one(value: number, s: SourceSpan | undefined): Expr {
  return constant(value, s);
}

/** Functions whose lowering needs only their argument expressions. */
const TABLE: readonly BuiltinFunction[] = [
  unaryFn("exp", "e^x", (x, s) => call("exp", x, s)),
  unaryFn("log", "natural logarithm", (x, s) => call("log", x, s)),
  unaryFn("log1p", "log(1 + x), accurate near 0", (x, s) => call("log1p", x, s)),
  unaryFn("expm1", "e^x − 1, accurate near 0", (x, s) => call("expm1", x, s)),
  unaryFn("logistic", "1 / (1 + e^−x)", (x, s) => call("logistic", x, s)),
  unaryFn("inv_logit", "Stan's name for logistic", (x, s) => call("logistic", x, s)),
  unaryFn("softplus", "log(1 + e^x)", (x, s) => call("softplus", x, s)),
  unaryFn("log1p_exp", "Stan's name for softplus", (x, s) => call("softplus", x, s)),
  unaryFn("abs", "|x|", (x, s) => call("abs", x, s)),
  unaryFn("fabs", "Stan's old name for abs", (x, s) => call("abs", x, s)),
  unaryFn("sqrt", "square root", (x, s) => call("sqrt", x, s)),
  unaryFn("square", "x^2", (x, s) => binary("pow", x, one(2, s), s)),
  unaryFn("inv", "1 / x", (x, s) => binary("div", one(1, s), x, s)),
  unaryFn("inv_sqrt", "1 / sqrt(x)", (x, s) => binary("div", one(1, s), call("sqrt", x, s), s)),
  unaryFn("inv_square", "1 / x^2", (x, s) => binary("div", one(1, s), binary("pow", x, one(2, s), s), s)),
  unaryFn("log1m", "log(1 − x)", (x, s) => call("log1p", neg(x, s), s)),
  unaryFn("log_inv_logit", "log(logistic(x)) = −softplus(−x)", (x, s) => neg(call("softplus", neg(x, s), s), s)),
  unaryFn("log1m_inv_logit", "log(1 − logistic(x)) = −softplus(x)", (x, s) => neg(call("softplus", x, s), s)),
  unaryFn("logit", "log(x / (1 − x))", (x, s) => binary("sub", call("log", x, s), call("log1p", neg(x, s), s), s)),
  unaryFn("log1m_exp", "log(1 − e^x) for x < 0", (x, s) => call("log", neg(call("expm1", x, s), s), s)),
  unaryFn("log2", "base-2 logarithm", (x, s) => binary("div", call("log", x, s), one(LOG_2, s), s)),
  unaryFn("log10", "base-10 logarithm", (x, s) => binary("div", call("log", x, s), one(LOG_10, s), s)),
  unaryFn("exp2", "2^x", (x, s) => binary("pow", one(2, s), x, s)),
  unaryFn("tanh", "hyperbolic tangent, 2·logistic(2x) − 1", (x, s) =>
    binary("sub", binary("mul", one(2, s), call("logistic", binary("mul", one(2, s), x, s), s), s), one(1, s), s),
  ),
  { ...unaryFn("sum", "sum of the elements", (x, s) => reduce("sum", x, s)), reduction: true },
  { ...unaryFn("mean", "mean of the elements", (x, s) => reduce("mean", x, s)), reduction: true },
  {
    name: "pow",
    arity: [2, 2],
    doc: "x^y",
    lower: ([x, y], s) => binary("pow", x!, y!, s),
  },
  {
    name: "fma",
    arity: [3, 3],
    doc: "x·y + z",
    lower: ([x, y, z], s) => binary("add", binary("mul", x!, y!, s), z!, s),
  },
  {
    name: "log_diff_exp",
    arity: [2, 2],
    doc: "log(e^x − e^y) for x > y, as x + log(−expm1(y − x))",
    lower: ([x, y], s) => binary("add", x!, call("log", neg(call("expm1", binary("sub", y!, x!, s), s), s), s), s),
  },
  { name: "pi", arity: [0, 0], doc: "π", lower: (_a, s) => constant(Math.PI, s) },
  { name: "e", arity: [0, 0], doc: "Euler's number", lower: (_a, s) => constant(Math.E, s) },
  { name: "sqrt2", arity: [0, 0], doc: "√2", lower: (_a, s) => constant(Math.SQRT2, s) },
  { name: "log2", arity: [0, 0], doc: "log 2", lower: (_a, s) => constant(LOG_2, s) },
  { name: "log10", arity: [0, 0], doc: "log 10", lower: (_a, s) => constant(LOG_10, s) },
];

/**
 * The functions the lowering implements itself, because they need more than argument
 * expressions: shapes (`size`), matrix operands (`dot_product` of a matrix row), data values
 * (`rep_vector`), the lane structure of loops, or densities. Listed here so the checker knows
 * every callable name and its arity.
 *
 * @example
 * ```ts
 * SPECIAL_FUNCTIONS.get("log_mix")?.arity; // [3, 3]
 * ```
 */
export const SPECIAL_FUNCTIONS: ReadonlyMap<
  string,
  { readonly arity: readonly [number, number]; readonly doc: string }
> = new Map([
  ["log_sum_exp", { arity: [1, 2] as const, doc: "log Σ e^x over a vector, or log(e^a + e^b) of two scalars" }],
  ["log_mix", { arity: [3, 3] as const, doc: "log(θ·e^a + (1 − θ)·e^b), a two-component mixture of log densities" }],
  [
    "dot_product",
    { arity: [2, 2] as const, doc: "inner product of two vectors (a matrix row times a vector inside a loop)" },
  ],
  ["dot", { arity: [2, 2] as const, doc: "the IR's name for dot_product" }],
  ["dot_self", { arity: [1, 1] as const, doc: "x · x" }],
  ["gather", { arity: [2, 3] as const, doc: "gather(x, idx, base=0): x at integer positions idx (0- or 1-based)" }],
  ["size", { arity: [1, 1] as const, doc: "length of a vector" }],
  ["num_elements", { arity: [1, 1] as const, doc: "number of elements" }],
  ["rows", { arity: [1, 1] as const, doc: "rows of a matrix or length of a vector" }],
  ["cols", { arity: [1, 1] as const, doc: "columns of a matrix" }],
  ["rep_vector", { arity: [2, 2] as const, doc: "a vector of n copies of x" }],
  ["min", { arity: [2, 2] as const, doc: "smaller of two integers known when the model is built" }],
  ["max", { arity: [2, 2] as const, doc: "larger of two integers known when the model is built" }],
]);

/**
 * Built-in functions by name.
 *
 * @example
 * ```ts
 * BUILTINS.get("square")?.lower([x], span);
 * ```
 */
export const BUILTINS: ReadonlyMap<string, BuiltinFunction> = new Map(
  TABLE.filter((f) => !(f.arity[1] === 0 && TABLE.some((g) => g.name === f.name && g.arity[1] > 0))).map(
    (f) => [f.name, f] as const,
  ),
);

/** Names of zero-argument constants that share a name with a one-argument function (`log2()` vs `log2(x)`). */
const CONSTANT_OVERLOADS: ReadonlyMap<string, BuiltinFunction> = new Map(
  TABLE.filter((f) => f.arity[1] === 0 && TABLE.some((g) => g.name === f.name && g.arity[1] > 0)).map(
    (f) => [f.name, f] as const,
  ),
);

/**
 * The built-in for a name and argument count (handles `log2()` the constant vs `log2(x)`).
 *
 * @example
 * ```ts
 * builtinFor("log2", 0)?.doc; // "log 2"
 * ```
 */
export function builtinFor(name: string, argCount: number): BuiltinFunction | undefined {
  if (argCount === 0 && CONSTANT_OVERLOADS.has(name)) return CONSTANT_OVERLOADS.get(name);
  return BUILTINS.get(name);
}

/**
 * Every callable built-in name (for "did you mean" suggestions and the reference).
 *
 * @example
 * ```ts
 * builtinNames().includes("inv_logit"); // true
 * ```
 */
export function builtinNames(): string[] {
  return [...new Set([...BUILTINS.keys(), ...SPECIAL_FUNCTIONS.keys()])];
}

/**
 * Arity of a built-in name: the widest range over its overloads.
 *
 * @example
 * ```ts
 * builtinArity("log2"); // [0, 1]
 * ```
 */
export function builtinArity(name: string): readonly [number, number] | undefined {
  const special = SPECIAL_FUNCTIONS.get(name);
  if (special) return special.arity;
  const overloads = TABLE.filter((f) => f.name === name);
  if (overloads.length === 0) return undefined;
  return [Math.min(...overloads.map((f) => f.arity[0])), Math.max(...overloads.map((f) => f.arity[1]))];
}
