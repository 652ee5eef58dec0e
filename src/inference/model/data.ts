/**
 * Binding data to a model graph: every data node gets a value of the declared shape, integers
 * where declared, finite numbers, inside declared bounds; symbolic sizes take their values from
 * the integer data that name them. Every failure is a DataError naming the field, the expected
 * shape and what was given.
 * @module inference/model/data
 */
import { DataError, describeValue } from "../../core/errors.js";
import { inScalarSupport } from "../../core/support.js";
import { formatIrShape } from "../../ir/expr.js";
import { supportPhrase } from "../../ir/builder.js";
import type { DataNode, IrShape, ModelGraph } from "../../ir/types.js";
import type { LinearOperator } from "../../runtime/linear_operator.js";
import { DenseOperator, isLinearOperator } from "../../runtime/operators/index.js";

/**
 * A value for one data field: a number; a vector as an array or typed array; a matrix as an
 * array of rows, a row-major Float64Array, or any LinearOperator (dense, CSR, Kronecker,
 * low-rank…).
 *
 * @example
 * ```ts
 * const data: ModelData = { J: 8, y: [28, 8, -3, 7, -1, 1, 18, 12], X: csrOperator };
 * ```
 */
export type DataValue = number | ArrayLike<number> | readonly (readonly number[])[] | LinearOperator;

/**
 * The data object passed to `compile`: one field per data node (extra fields are ignored).
 *
 * @example
 * ```ts
 * const data: ModelData = { N: 3, y: [1, 0, 1] };
 * ```
 */
export type ModelData = Readonly<Record<string, DataValue>>;

/**
 * A validated data value: a number, a vector (with a 0-based integer copy for index data), or
 * an operator.
 *
 * @example
 * ```ts
 * const v: BoundValue = { kind: "scalar", value: 8 };
 * ```
 */
export type BoundValue =
  | { readonly kind: "scalar"; readonly value: number }
  | { readonly kind: "vector"; readonly values: Float64Array }
  | { readonly kind: "operator"; readonly operator: LinearOperator };

/**
 * Data bound to a graph: concrete sizes of the symbolic dimensions and one value per data node.
 *
 * @example
 * ```ts
 * const bound = bindData(graph, data);
 * bound.dims.get("J"); // 8
 * ```
 */
export interface BoundData {
  readonly dims: ReadonlyMap<string, number>;
  readonly values: ReadonlyMap<string, BoundValue>;
}

/**
 * Validates `data` against the data nodes of `graph` and converts it to Float64Arrays and
 * operators (copies: later changes to the caller's arrays do not affect the model).
 *
 * @example
 * ```ts
 * const bound = bindData(graph, { J: 8, y, sigma });
 * ```
 */
export function bindData(graph: ModelGraph, data: ModelData): BoundData {
  if (data === null || typeof data !== "object") {
    throw new DataError({
      where: `model '${graph.name}'`,
      what: "data must be an object of named fields",
      got: describeValue(data),
    });
  }
  const dims = new Map<string, number>();
  const values = new Map<string, BoundValue>();
  for (const node of graph.nodes) {
    if (node.kind !== "data") continue;
    const shape = resolveShape(node.shape, dims);
    const given: unknown = Object.hasOwn(data, node.name) ? data[node.name] : node.value;
    const where = `data '${node.name}'`;
    const expected = expectedText(node, shape);
    if (given === undefined) {
      throw new DataError({
        where,
        what: "missing field",
        expected,
        hint: `add '${node.name}' to the data passed to compile().`,
      });
    }
    const bound =
      shape.length === 2 ? bindMatrix(shape, given, where, expected) : bindArray(node, shape, given, where, expected);
    values.set(node.name, bound);
    if (node.dtype === "int" && shape.length === 0 && bound.kind === "scalar") {
      if (bound.value < 0) {
        throw new DataError({
          where,
          what: "a size must not be negative",
          got: String(bound.value),
          expected: "an integer ≥ 0",
        });
      }
      dims.set(node.name, bound.value);
    }
  }
  return { dims, values };
}

/**
 * Concrete sizes of an IR shape, with names looked up in `dims`.
 *
 * @example
 * ```ts
 * resolveShape(["J"], new Map([["J", 8]])); // [8]
 * ```
 */
export function resolveShape(shape: IrShape, dims: ReadonlyMap<string, number>): number[] {
  return shape.map((d) => {
    if (typeof d === "number") return d;
    const v = dims.get(d);
    if (v === undefined)
      throw new DataError({
        where: `size '${d}'`,
        what: "not bound yet",
        hint: `declare '${d}' as int data before using it.`,
      });
    return v;
  });
}

/**
 * A shape for messages, with names resolved: `vector[8] (vector[J], J = 8)`.
 *
 * @example
 * ```ts
 * describeShape(["J"], [8]); // "vector[8] (vector[J] with J = 8)"
 * ```
 */
export function describeShape(shape: IrShape, concrete: readonly number[]): string {
  const plain = formatIrShape(concrete);
  if (shape.every((d) => typeof d === "number")) return plain;
  const names = shape.filter((d) => typeof d === "string").map((d) => `${d} = ${concrete[shape.indexOf(d)]}`);
  return `${plain} (${formatIrShape(shape)} with ${[...new Set(names)].join(", ")})`;
}

function expectedText(node: DataNode, shape: readonly number[]): string {
  const type = node.dtype === "int" ? "integers" : "reals";
  if (shape.length === 0) {
    if (node.dtype === "int") return node.support ? supportPhrase(node.support) : "an integer";
    return node.support ? `a real number ${supportPhrase(node.support)}` : "a real number";
  }
  if (shape.length === 2)
    return `${describeShape(node.shape, shape)} (array of rows, row-major Float64Array or LinearOperator)`;
  return `${describeShape(node.shape, shape)} of ${type}`;
}

function bindArray(
  node: DataNode,
  shape: readonly number[],
  given: unknown,
  where: string,
  expected: string,
): BoundValue {
  if (shape.length === 0) {
    if (typeof given !== "number") {
      throw new DataError({
        where,
        what: "wrong shape",
        got: isArrayLike(given) ? `vector[${given.length}]` : typeof given,
        expected,
        hint: isArrayLike(given) && given.length === 1 ? "pass the number itself, not a one-element array." : undefined,
      });
    }
    checkElement(node, given, -1, where);
    return { kind: "scalar", value: given };
  }
  if (!isArrayLike(given) || typeof given === "string") {
    throw new DataError({
      where,
      what: "wrong type",
      got: typeof given === "number" ? `the number ${given}` : typeof given,
      expected,
    });
  }
  if (given.length !== shape[0]) {
    throw new DataError({ where, what: "wrong length", got: `vector[${given.length}]`, expected });
  }
  const values = new Float64Array(given.length);
  for (let i = 0; i < given.length; i++) {
    const v = given[i];
    if (typeof v !== "number") {
      throw new DataError({ where, what: `element ${i} is not a number`, got: describeValue(v), expected });
    }
    checkElement(node, v, i, where);
    values[i] = v;
  }
  return { kind: "vector", values };
}

function checkElement(node: DataNode, v: number, i: number, where: string): void {
  const at = i >= 0 ? ` at element ${i}` : "";
  if (!Number.isFinite(v)) {
    throw new DataError({
      where,
      what: `non-finite value${at}`,
      got: describeValue(v),
      expected: "finite numbers",
      hint: "remove or impute missing values before binding.",
    });
  }
  if (node.dtype === "int" && !Number.isInteger(v)) {
    throw new DataError({
      where,
      what: `non-integer value${at}`,
      got: describeValue(v),
      expected: "integers (declared int)",
      hint: "round the data, or declare it real.",
    });
  }
  if (node.support !== undefined && !inScalarSupport(node.support, v)) {
    throw new DataError({
      where,
      what: `value${at} is outside the declared support`,
      got: describeValue(v),
      expected: supportPhrase(node.support),
    });
  }
}

function bindMatrix(shape: readonly number[], given: unknown, where: string, expected: string): BoundValue {
  const [rows, cols] = shape as [number, number];
  if (isLinearOperator(given)) {
    if (given.rows !== rows || given.cols !== cols) {
      throw new DataError({
        where,
        what: "operator has the wrong size",
        got: `${given.kind} ${given.rows} × ${given.cols}`,
        expected,
      });
    }
    return { kind: "operator", operator: given };
  }
  let values: Float64Array;
  if (Array.isArray(given) && given.every((r) => isArrayLike(r))) {
    const rowsGiven = given as readonly ArrayLike<number>[];
    if (rowsGiven.length !== rows || rowsGiven.some((r) => r.length !== cols)) {
      const bad = rowsGiven.findIndex((r) => r.length !== cols);
      throw new DataError({
        where,
        what: rowsGiven.length !== rows ? "wrong number of rows" : `row ${bad} has the wrong length`,
        got: rowsGiven.length !== rows ? `${rowsGiven.length} rows` : `${rowsGiven[bad]!.length} columns`,
        expected,
      });
    }
    values = new Float64Array(rows * cols);
    rowsGiven.forEach((r, i) => {
      for (let j = 0; j < cols; j++) values[i * cols + j] = r[j]!;
    });
  } else if (given instanceof Float64Array) {
    if (given.length !== rows * cols) {
      throw new DataError({
        where,
        what: "wrong number of values",
        got: `${given.length} values`,
        expected: `${rows * cols} values, ${expected}`,
      });
    }
    values = given;
  } else {
    throw new DataError({ where, what: "wrong type", got: describeValue(given), expected });
  }
  for (let k = 0; k < values.length; k++) {
    if (!Number.isFinite(values[k])) {
      throw new DataError({
        where,
        what: `non-finite value at row ${Math.floor(k / cols)}, column ${k % cols}`,
        got: describeValue(values[k]),
        expected: "finite numbers",
      });
    }
  }
  return { kind: "operator", operator: new DenseOperator(values, rows, cols) };
}

function isArrayLike(v: unknown): v is ArrayLike<unknown> {
  return Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));
}
