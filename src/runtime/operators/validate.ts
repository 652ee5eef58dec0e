/**
 * Argument checks and small vector helpers shared by the operators and factorisations. The
 * kernels below them only throw `RangeError` on impossible sizes; these checks run first and
 * name the user's object, the offending value and the expected one in the sprig error format.
 *
 * @module
 */
import { DataError, DomainError, describeValue, ShapeError } from "../../core/errors.js";

/**
 * A dense matrix given as rows of numbers.
 *
 * @example
 * ```ts
 * const A: NestedRows = [[1, 2], [3, 4]];
 * ```
 */
export type NestedRows = readonly (readonly number[])[];

/**
 * A dense row-major matrix: `data[i·cols + j]` is entry (i, j).
 *
 * @example
 * ```ts
 * const I: DenseMatrix = { data: Float64Array.of(1, 0, 0, 1), rows: 2, cols: 2 };
 * ```
 */
export interface DenseMatrix {
  /** Row-major entries, rows·cols of them. */
  readonly data: Float64Array;
  /** Number of rows. */
  readonly rows: number;
  /** Number of columns. */
  readonly cols: number;
}

/**
 * Throws a ShapeError unless `value` is a non-negative integer (a row or column count).
 *
 * @example
 * ```ts
 * checkDimension("DenseOperator", "rows", 3); // fine
 * checkDimension("DenseOperator", "rows", -1); // ShapeError
 * ```
 */
export function checkDimension(where: string, name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new ShapeError({
      where,
      what: `${name} must be a non-negative integer`,
      got: describeValue(value),
      expected: "an integer >= 0",
    });
  }
}

/**
 * Throws a ShapeError unless vector `name` has exactly `expected` numbers; `meaning` says where
 * the expected length comes from ("the number of columns").
 *
 * @example
 * ```ts
 * checkLength("DenseOperator.apply", "x", x, op.cols, "the number of columns");
 * ```
 */
export function checkLength(
  where: string,
  name: string,
  vector: ArrayLike<number>,
  expected: number,
  meaning: string,
): void {
  if (vector.length !== expected) {
    throw new ShapeError({
      where,
      what: `'${name}' has the wrong length`,
      got: String(vector.length),
      expected: `${expected} (${meaning})`,
    });
  }
}

/**
 * Throws a DataError naming the first entry of `values` that is NaN or infinite.
 *
 * @example
 * ```ts
 * checkFinite("DiagonalOperator", "diagonal", [1, Number.NaN]); // DataError: entry 1 is NaN
 * ```
 */
export function checkFinite(where: string, name: string, values: ArrayLike<number>): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) {
      throw new DataError({
        where,
        what: `${name} entry ${i} is not finite`,
        got: describeValue(v),
        expected: "a finite number",
      });
    }
  }
}

/**
 * Copies nested rows into a row-major Float64Array, checking that every row has the same
 * length and every entry is finite.
 *
 * @example
 * ```ts
 * denseFromRows("DenseOperator", [[1, 2], [3, 4]]); // { data: [1, 2, 3, 4], rows: 2, cols: 2 }
 * ```
 */
export function denseFromRows(where: string, nested: NestedRows): DenseMatrix {
  if (!Array.isArray(nested)) {
    throw new ShapeError({
      where,
      what: "a dense matrix must be an array of rows",
      got: describeValue(nested),
      expected: "number[][]",
    });
  }
  const rows = nested.length;
  const cols = rows > 0 ? nested[0].length : 0;
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const row = nested[i];
    if (!Array.isArray(row) || row.length !== cols) {
      throw new ShapeError({
        where,
        what: `row ${i} has a different length from row 0`,
        got: Array.isArray(row) ? String(row.length) : describeValue(row),
        expected: `${cols} entries`,
        hint: "every row of a dense matrix needs the same number of entries.",
      });
    }
    for (let j = 0; j < cols; j++) {
      const v = row[j];
      if (typeof v !== "number" || !Number.isFinite(v)) {
        throw new DataError({
          where,
          what: `entry (${i}, ${j}) is not a finite number`,
          got: describeValue(v),
          expected: "a finite number",
        });
      }
      data[i * cols + j] = v;
    }
  }
  return { data, rows, cols };
}

/**
 * A dense matrix given either as nested rows or as row-major data with its shape, checked and
 * returned row-major (the data array itself when it already is one).
 *
 * @throws ShapeError when a Float64Array comes without a shape or with the wrong length.
 * @example
 * ```ts
 * denseInput("CsrOperator.fromDense", Float64Array.of(1, 2), 1, 2); // { data, rows: 1, cols: 2 }
 * denseInput("CsrOperator.fromDense", [[1, 2]]); // the same matrix
 * ```
 */
export function denseInput(where: string, data: NestedRows | Float64Array, rows?: number, cols?: number): DenseMatrix {
  if (!(data instanceof Float64Array)) return denseFromRows(where, data);
  if (rows === undefined || cols === undefined) {
    throw new ShapeError({
      where,
      what: "a Float64Array needs its shape",
      got: `rows ${describeValue(rows)}, cols ${describeValue(cols)}`,
      expected: "both rows and cols",
      hint: "pass (data, rows, cols), or nested rows such as [[1, 2], [3, 4]].",
    });
  }
  checkDimension(where, "rows", rows);
  checkDimension(where, "cols", cols);
  if (data.length !== rows * cols) {
    throw new ShapeError({
      where,
      what: "data length does not match rows × cols",
      got: String(data.length),
      expected: String(rows * cols),
    });
  }
  checkFinite(where, "data", data);
  return { data, rows, cols };
}

/**
 * Relative tolerance of the symmetry checks, against the largest entry of the matrix.
 *
 * @example
 * ```ts
 * Math.abs(a - b) <= SYMMETRY_TOLERANCE * largest; // what counts as symmetric
 * ```
 */
export const SYMMETRY_TOLERANCE = 1e-8;

/**
 * Throws a DomainError when the n × n row-major matrix A is not symmetric: some
 * |A[i, j] − A[j, i]| exceeds {@link SYMMETRY_TOLERANCE} times the largest |entry|. The
 * tolerance admits the rounding of products such as XᵀX formed in a different summation order.
 *
 * @example
 * ```ts
 * checkSymmetric("cholesky", Float64Array.of(2, 1, 1, 2), 2); // fine
 * ```
 */
export function checkSymmetric(where: string, A: Float64Array, n: number): void {
  let amax = 0;
  for (let i = 0; i < n * n; i++) amax = Math.max(amax, Math.abs(A[i]));
  const tol = SYMMETRY_TOLERANCE * amax;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const a = A[i * n + j];
      const b = A[j * n + i];
      if (Math.abs(a - b) > tol) {
        throw new DomainError({
          where,
          what: "matrix is not symmetric",
          got: `A[${i}, ${j}] = ${shortNumber(a)} but A[${j}, ${i}] = ${shortNumber(b)}`,
          expected: `equal entries (to ${SYMMETRY_TOLERANCE} of the largest entry)`,
          hint: "if the difference is rounding, pass (A + Aᵀ)/2; otherwise check how the matrix was built.",
        });
      }
    }
  }
}

/**
 * Checks that an n × n row-major matrix argument has n² finite entries.
 *
 * @throws ShapeError for a wrong length, DataError for a non-finite entry.
 * @example
 * ```ts
 * checkSquare("cholesky", A, 3);
 * ```
 */
export function checkSquare(where: string, A: ArrayLike<number>, n: number, width = 1): void {
  checkDimension(where, "n", n);
  if (A.length !== width * n * n) {
    throw new ShapeError({
      where,
      what: width === 1 ? "matrix length does not match n × n" : "matrix length does not match 2 · n × n",
      got: String(A.length),
      expected: String(width * n * n),
      hint: width === 1 ? undefined : "complex matrices are interleaved (re, im) pairs.",
    });
  }
  checkFinite(where, "matrix", A);
}

/**
 * y ← beta·y over the first n entries; beta = 0 writes zeros without reading y (so NaN in an
 * output buffer never leaks into a result).
 *
 * @example
 * ```ts
 * scaleVector(y.length, 0, y); // y = 0
 * ```
 */
export function scaleVector(n: number, beta: number, y: Float64Array): void {
  if (beta === 1) return;
  if (beta === 0) y.fill(0, 0, n);
  else for (let i = 0; i < n; i++) y[i] *= beta;
}

/**
 * y ← alpha·src + beta·y over the first n entries; beta = 0 ignores y's contents.
 *
 * @example
 * ```ts
 * blendInto(3, 2, src, 1, y); // y = 2·src + y
 * ```
 */
export function blendInto(n: number, alpha: number, src: Float64Array, beta: number, y: Float64Array): void {
  if (beta === 0) for (let i = 0; i < n; i++) y[i] = alpha * src[i];
  else for (let i = 0; i < n; i++) y[i] = alpha * src[i] + beta * y[i];
}

/**
 * out = v₁ ⊗ … ⊗ v_K, the Kronecker product of vectors (out.length = Π|vₖ|; nothing is written
 * when it is 0). The Kronecker operators use it for diag(Gram) = ⊗ diag(AₖᴴAₖ). It expands in
 * place from the back: entry i of the current prefix product spreads over [i·c, (i+1)·c), which
 * never overwrites an entry < i that is still to be read, so no scratch is needed.
 *
 * @example
 * ```ts
 * const out = new Float64Array(4);
 * kronVectorInto(out, [Float64Array.of(1, 2), Float64Array.of(3, 4)]); // [3, 4, 6, 8]
 * ```
 */
export function kronVectorInto(out: Float64Array, factors: readonly Float64Array[]): void {
  if (out.length === 0) return;
  out[0] = 1;
  let size = 1;
  for (const g of factors) {
    const c = g.length;
    for (let i = size - 1; i >= 0; i--) {
      const v = out[i];
      for (let j = c - 1; j >= 0; j--) out[i * c + j] = v * g[j];
    }
    size *= c;
  }
}

/**
 * Renders a number with three significant digits for error messages (`-0.00214`, `1e-12`).
 *
 * @example
 * ```ts
 * shortNumber(-0.0021384); // "-0.00214"
 * ```
 */
export function shortNumber(v: number): string {
  return Number.isFinite(v) ? String(Number(v.toPrecision(3))) : String(v);
}
