/**
 * Binding data to a model graph: every data node gets a value of the declared shape, integers
 * where declared, finite numbers, inside its declared support (bounds, bool, simplex, ordered,
 * positive_ordered, cholesky_factor_corr — checked by `findSupportViolation`, as hyper-parameter
 * values are); symbolic sizes take their values from the integer data that name them. Every
 * failure is a DataError naming the field, the offending element (1-based, `y[3]`, `L[2, 1]`),
 * the value and what was expected.
 * @module inference/model/data
 */
import { DataError, describeValue } from "../../core/errors.js";
import { formatSupport, REAL, type Support } from "../../core/support.js";
import { elementLabel, findSupportViolation } from "../../core/support_check.js";
import { formatIrShape } from "../../ir/expr.js";
import { supportPhrase } from "../../ir/builder.js";
import type { DataNode, HyperNode, IrShape, ModelGraph } from "../../ir/types.js";
import type { LinearOperator } from "../../runtime/linear_operator.js";
import { DenseOperator, isLinearOperator } from "../../runtime/operators/index.js";

/** The support of integer data declared without one: what `int` admits. */
const INTEGER: Support = Object.freeze({ kind: "integer" });

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
      shape.length === 2
        ? bindMatrix(node, shape, given, where, expected)
        : bindArray(node, shape, given, where, expected);
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
    checkSupport(node, [given], shape, where);
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
  copyNumbers(given, values, node.name, shape, where, expected);
  checkSupport(node, values, shape, where);
  return { kind: "vector", values };
}

/** Copies `given` into `out` (same length), refusing any element that is not a number. */
function copyNumbers(
  given: ArrayLike<unknown>,
  out: Float64Array,
  name: string,
  shape: readonly number[],
  where: string,
  expected: string,
): void {
  for (let i = 0; i < out.length; i++) {
    const v = given[i];
    if (typeof v !== "number") {
      throw new DataError({
        where,
        what: `${elementLabel(name, shape, i)} is not a number`,
        got: describeValue(v),
        expected,
      });
    }
    out[i] = v;
  }
}

/**
 * Checks a whole data value against the node's declared support (integer data without one are
 * integers; real data without one are finite numbers) through the one shared checker.
 */
function checkSupport(node: DataNode, values: ArrayLike<number>, shape: readonly number[], where: string): void {
  const support = node.support ?? (node.dtype === "int" ? INTEGER : REAL);
  const violation = findSupportViolation(support, values, shape, node.name);
  if (violation === undefined) return;
  const { code, what, got, hint } = violation;
  throw new DataError({
    where,
    what,
    got,
    // Integer data are declared `int`; say so, since the fix may be the declaration.
    expected: code === "non_integer" && support.kind === "integer" ? "integers (declared int)" : violation.expected,
    hint:
      code === "non_finite"
        ? "remove or impute missing values before binding."
        : code === "non_integer" && support.kind === "integer"
          ? "round the data, or declare it real."
          : hint,
  });
}

/**
 * Operators with more entries than this are not expanded to check a declared support: the dense
 * copy would cost more memory than the data (8 bytes per entry: 32 MiB here).
 */
const MAX_CHECKED_OPERATOR_ENTRIES = 1 << 22;

function bindMatrix(
  node: DataNode,
  shape: readonly number[],
  given: unknown,
  where: string,
  expected: string,
): BoundValue {
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
    // An operator (sparse, Kronecker, low-rank…) is taken as is; only a declared constraint
    // (e.g. cholesky_factor_corr, <lower=0>) needs its entries, so only then is it expanded.
    if (node.support !== undefined && node.support.kind !== "real") {
      if (rows * cols > MAX_CHECKED_OPERATOR_ENTRIES) {
        throw new DataError({
          where,
          what: `cannot check the declared support ${formatSupport(node.support)} of an operator this large`,
          got: `${given.kind} ${rows} × ${cols}`,
          expected: `at most ${MAX_CHECKED_OPERATOR_ENTRIES} entries`,
          hint: "check the values yourself and declare the matrix without a constraint.",
        });
      }
      checkSupport(node, given.toDense(), shape, where);
    }
    return { kind: "operator", operator: given };
  }
  let values: Float64Array;
  if (Array.isArray(given) && given.every((r) => isArrayLike(r))) {
    const rowsGiven = given as readonly ArrayLike<unknown>[];
    if (rowsGiven.length !== rows || rowsGiven.some((r) => r.length !== cols)) {
      const bad = rowsGiven.findIndex((r) => r.length !== cols);
      throw new DataError({
        where,
        what: rowsGiven.length !== rows ? "wrong number of rows" : `row ${bad + 1} has the wrong length`,
        got: rowsGiven.length !== rows ? `${rowsGiven.length} rows` : `${rowsGiven[bad]!.length} columns`,
        expected,
      });
    }
    values = new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++) {
      const r = rowsGiven[i]!;
      for (let j = 0; j < cols; j++) {
        const v = r[j];
        if (typeof v !== "number") {
          throw new DataError({
            where,
            what: `${elementLabel(node.name, shape, i * cols + j)} is not a number`,
            got: describeValue(v),
            expected,
          });
        }
        values[i * cols + j] = v;
      }
    }
  } else if (given instanceof Float64Array) {
    if (given.length !== rows * cols) {
      throw new DataError({
        where,
        what: "wrong number of values",
        got: `${given.length} values`,
        expected: `${rows * cols} values, ${expected}`,
      });
    }
    // A copy, as for vectors: the caller may reuse the array after compile().
    values = given.slice();
  } else {
    throw new DataError({ where, what: "wrong type", got: describeValue(given), expected });
  }
  checkSupport(node, values, shape, where);
  return { kind: "operator", operator: new DenseOperator(values, rows, cols) };
}

function isArrayLike(v: unknown): v is ArrayLike<unknown> {
  return Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));
}

/**
 * Writes a hyper-parameter value into its buffer (one number fills every element) after
 * checking its type, length and declared support — the same checker data go through, so an
 * initial value, a `compile(…, { hyper })` value and a `setHyper` value are held to one rule.
 * Throws DataError naming the hyper-parameter, the element (1-based) and the constraint; the
 * buffer is written only when the whole value is valid.
 *
 * @param buffer - the hyper-parameter's storage (its concrete size)
 * @param value - one number, or one number per element (row-major for a matrix)
 * @param node - the hyper node (name and support)
 * @param shape - its concrete shape
 * @example
 * ```ts
 * fillHyper(buffer, [0.2, 0.3, 0.5], simplexNode, [3]);
 * ```
 */
export function fillHyper(
  buffer: Float64Array,
  value: number | ArrayLike<number>,
  node: HyperNode,
  shape: readonly number[],
): void {
  const where = `hyper '${node.name}'`;
  const accepted = buffer.length === 1 ? "a number" : `one number or ${buffer.length} numbers`;
  const next = new Float64Array(buffer.length);
  if (typeof value === "number") {
    next.fill(value);
  } else if (!isArrayLike(value) || typeof value === "string") {
    throw new DataError({
      where,
      what: "wrong type",
      got: describeValue(value),
      expected: accepted,
    });
  } else {
    if (value.length !== buffer.length) {
      throw new DataError({
        where,
        what: "wrong length",
        got: `vector[${value.length}]`,
        expected: accepted,
      });
    }
    copyNumbers(value, next, node.name, shape, where, accepted);
  }
  const violation = findSupportViolation(node.support, next, shape, node.name);
  if (violation !== undefined) {
    const { code: _code, index: _index, ...parts } = violation;
    throw new DataError({ where, ...parts });
  }
  buffer.set(next);
}
