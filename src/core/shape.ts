import { ShapeError } from "./errors.js";

/**
 * The shape of a value: `[]` for a scalar, `[n]` for a vector, `[m, n]` for a matrix (row-major).
 *
 * @example
 * ```ts
 * const s: Shape = [3, 4];
 * ```
 */
export type Shape = readonly number[];

/**
 * Number of elements of a shape (1 for a scalar).
 *
 * @example
 * ```ts
 * shapeSize([3, 4]); // 12
 * ```
 */
export function shapeSize(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/**
 * Whether two shapes are identical.
 *
 * @example
 * ```ts
 * sameShape([2, 3], [2, 3]); // true
 * ```
 */
export function sameShape(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Renders a shape for messages: `scalar`, `vector[3]`, `matrix[2, 3]`.
 *
 * @example
 * ```ts
 * formatShape([2, 3]); // "matrix[2, 3]"
 * ```
 */
export function formatShape(shape: Shape): string {
  if (shape.length === 0) return "scalar";
  if (shape.length === 1) return `vector[${shape[0]}]`;
  if (shape.length === 2) return `matrix[${shape[0]}, ${shape[1]}]`;
  return `array[${shape.join(", ")}]`;
}

/**
 * The shape two operands broadcast to (scalars broadcast against anything; otherwise equal).
 *
 * @example
 * ```ts
 * broadcastShapes([], [5], "add"); // [5]
 * ```
 */
export function broadcastShapes(a: Shape, b: Shape, where: string): Shape {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  if (!sameShape(a, b)) {
    throw new ShapeError({
      where,
      what: "operands do not broadcast",
      got: `${formatShape(a)} and ${formatShape(b)}`,
      expected: "equal shapes or one scalar",
    });
  }
  return a;
}
