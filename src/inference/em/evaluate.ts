/**
 * A small numeric evaluator of IR expressions, used by structure detection to check that an
 * annotated sparse prior really has the form its annotation claims: the prior variance of the
 * coefficients is evaluated at test values of the hyper-parameters and compared with the closed
 * form the EM updates assume. It covers what prior hierarchies and mean offsets are written
 * with (arithmetic, elementwise functions, gathers, indexing, literals); matrix products and
 * reductions of latents are not needed there and return `undefined`, as do unknown names.
 *
 * @module
 */
import type { Expr } from "../../ir/types.js";

/**
 * Values of named nodes: numbers for scalars, Float64Arrays for vectors.
 *
 * @example
 * ```ts
 * const env: ValueEnv = new Map([["alpha", new Float64Array([1, 2])]]);
 * ```
 */
export type ValueEnv = ReadonlyMap<string, number | Float64Array>;

/**
 * The value of `expr` given the values of the names it references, or `undefined` when it
 * references an unknown name or uses an operation the evaluator does not cover.
 *
 * @example
 * ```ts
 * evaluate(binary("pow", ref("alpha", [2], "real"), constant(-0.5)), env); // Float64Array [1, 0.707…]
 * ```
 */
export function evaluate(expr: Expr, env: ValueEnv): number | Float64Array | undefined {
  switch (expr.kind) {
    case "const":
      return typeof expr.value === "number" ? expr.value : Float64Array.from(expr.value);
    case "ref":
      return env.get(expr.name);
    case "unary": {
      const a = evaluate(expr.arg, env);
      return a === undefined ? undefined : map1(a, (v) => -v);
    }
    case "binary": {
      const a = evaluate(expr.left, env);
      const b = evaluate(expr.right, env);
      if (a === undefined || b === undefined) return undefined;
      const f = BINARY[expr.op];
      return map2(a, b, f);
    }
    case "call": {
      const a = evaluate(expr.arg, env);
      return a === undefined ? undefined : map1(a, CALLS[expr.fn]);
    }
    case "index": {
      const a = evaluate(expr.arg, env);
      return a instanceof Float64Array ? a[expr.index] : undefined;
    }
    case "gather": {
      const a = evaluate(expr.arg, env);
      const idx = evaluate(expr.index, env);
      if (!(a instanceof Float64Array) || !(idx instanceof Float64Array)) return undefined;
      const out = new Float64Array(idx.length);
      for (let i = 0; i < idx.length; i++) {
        const k = idx[i] - expr.base;
        if (!(k >= 0 && k < a.length)) return undefined;
        out[i] = a[k];
      }
      return out;
    }
    case "vector": {
      const out = new Float64Array(expr.elements.length);
      for (let i = 0; i < out.length; i++) {
        const v = evaluate(expr.elements[i], env);
        if (typeof v !== "number") return undefined;
        out[i] = v;
      }
      return out;
    }
    default:
      return undefined;
  }
}

const BINARY: Record<string, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: (a, b) => a ** b,
};

const CALLS: Record<string, (a: number) => number> = {
  exp: Math.exp,
  log: Math.log,
  log1p: Math.log1p,
  expm1: Math.expm1,
  logistic: (a) => 1 / (1 + Math.exp(-a)),
  softplus: (a) => (a > 0 ? a + Math.log1p(Math.exp(-a)) : Math.log1p(Math.exp(a))),
  abs: Math.abs,
  sqrt: Math.sqrt,
};

function map1(a: number | Float64Array, f: (v: number) => number): number | Float64Array {
  return typeof a === "number" ? f(a) : a.map(f);
}

function map2(
  a: number | Float64Array,
  b: number | Float64Array,
  f: (x: number, y: number) => number,
): number | Float64Array | undefined {
  if (typeof a === "number" && typeof b === "number") return f(a, b);
  if (typeof a === "number") return (b as Float64Array).map((v) => f(a, v));
  if (typeof b === "number") return a.map((v) => f(v, b));
  if (a.length !== b.length) return undefined;
  return a.map((v, i) => f(v, b[i]));
}
