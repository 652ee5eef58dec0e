/**
 * Conversion of the accepted matrix inputs to a {@link LinearOperator}.
 *
 * @module
 */
import { ShapeError, describeValue } from "../../core/errors.js";
import type { LinearOperator } from "../linear_operator.js";
import { DenseOperator } from "./dense_operator.js";
import { denseInput, type NestedRows } from "./validate.js";

/**
 * What operator-taking APIs accept: an operator, or a dense matrix as nested rows.
 *
 * @example
 * ```ts
 * const factors: OperatorLike[] = [[[1, 2], [3, 4]], new DiagonalOperator([1, 2])];
 * ```
 */
export type OperatorLike = LinearOperator | NestedRows;

/**
 * Whether `value` implements {@link LinearOperator} (duck-typed: sizes, products, diagGram, toDense).
 *
 * @example
 * ```ts
 * isLinearOperator(new DiagonalOperator([1])); // true
 * isLinearOperator([[1]]); // false
 * ```
 */
export function isLinearOperator(value: unknown): value is LinearOperator {
  if (typeof value !== "object" || value === null || Array.isArray(value) || ArrayBuffer.isView(value)) return false;
  const op = value as Partial<LinearOperator>;
  return (
    typeof op.rows === "number" &&
    typeof op.cols === "number" &&
    typeof op.apply === "function" &&
    typeof op.applyTranspose === "function" &&
    typeof op.diagGram === "function" &&
    typeof op.toDense === "function"
  );
}

/**
 * Accepts a {@link LinearOperator} (returned as is), nested rows (`number[][]`) or row-major data
 * with its shape, and returns an operator; dense inputs become a {@link DenseOperator}.
 *
 * @param shape `[rows, cols]`, required for a Float64Array and ignored otherwise
 * @param where the caller's name for error messages
 * @throws ShapeError for a missing or wrong shape or ragged rows; DataError for non-finite entries.
 * @example
 * ```ts
 * asLinearOperator([[1, 2], [3, 4]]).kind; // 'dense'
 * asLinearOperator(Float64Array.of(1, 2, 3, 4, 5, 6), [2, 3]).rows; // 2
 * asLinearOperator(new DiagonalOperator([1, 2])).kind; // 'diagonal'
 * ```
 */
export function asLinearOperator(
  value: OperatorLike | Float64Array,
  shape?: readonly [number, number],
  where = "asLinearOperator",
): LinearOperator {
  if (isLinearOperator(value)) return value;
  if (value instanceof Float64Array || Array.isArray(value)) {
    const m = denseInput(where, value as NestedRows | Float64Array, shape?.[0], shape?.[1]);
    return new DenseOperator(m.data, m.rows, m.cols);
  }
  throw new ShapeError({
    where,
    what: "cannot use this value as a linear operator",
    got: describeValue(value),
    expected: "a LinearOperator, nested rows (number[][]) or a Float64Array with [rows, cols]",
  });
}
