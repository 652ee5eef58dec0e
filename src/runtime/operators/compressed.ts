/**
 * Validation and assembly shared by the CSR and CSC operators. Both store a "major" dimension
 * (rows for CSR, columns for CSC) as a pointer array and the "minor" index of every entry.
 *
 * @module
 */
import { dcoo2csr } from "../../kernels/sparse.js";
import { DataError, ShapeError } from "../../core/errors.js";
import { checkDimension, checkFinite } from "./validate.js";

/**
 * The three arrays of a compressed sparse matrix.
 *
 * @example
 * ```ts
 * const identity2: CompressedArrays = { ptr: Int32Array.of(0, 1, 2), idx: Int32Array.of(0, 1), values: Float64Array.of(1, 1) };
 * ```
 */
export interface CompressedArrays {
  /** Start of each major line, length major + 1, ptr[0] = 0. */
  readonly ptr: Int32Array;
  /** Minor index of each stored entry. */
  readonly idx: Int32Array;
  /** Value of each stored entry. */
  readonly values: Float64Array;
}

/**
 * Names used in messages: CSR stores rows (major) and column indices; CSC the other way round.
 *
 * @example
 * ```ts
 * const CSR: CompressedNames = { where: "CsrOperator", ptr: "rowPtr", idx: "colIdx", major: "row", minor: "column" };
 * ```
 */
export interface CompressedNames {
  readonly where: string;
  readonly ptr: string;
  readonly idx: string;
  readonly major: string;
  readonly minor: string;
}

/**
 * Checks a compressed pattern: `ptr` has major + 1 non-decreasing integer entries starting at 0,
 * `idx` and `values` have ptr[major] entries, every index lies in [0, minor), every value is finite.
 *
 * @example
 * ```ts
 * checkCompressed(CSR_NAMES, 2, 3, [0, 2, 3], [0, 2, 1], [1, 2, 3]);
 * ```
 */
export function checkCompressed(
  names: CompressedNames,
  major: number,
  minor: number,
  ptr: ArrayLike<number>,
  idx: ArrayLike<number>,
  values: ArrayLike<number>,
): void {
  const { where } = names;
  if (ptr.length !== major + 1) {
    throw new ShapeError({
      where,
      what: `${names.ptr} must have one entry per ${names.major} plus one`,
      got: `length ${ptr.length}`,
      expected: String(major + 1),
    });
  }
  if (ptr[0] !== 0) {
    throw new DataError({ where, what: `${names.ptr}[0] must be 0`, got: String(ptr[0]), expected: "0" });
  }
  for (let i = 0; i < major; i++) {
    const next = ptr[i + 1];
    if (!Number.isInteger(next) || next < ptr[i]) {
      throw new DataError({
        where,
        what: `${names.ptr} must be non-decreasing integers`,
        got: `${names.ptr}[${i}] = ${ptr[i]}, ${names.ptr}[${i + 1}] = ${next}`,
        expected: `${names.ptr}[${i + 1}] >= ${ptr[i]}`,
      });
    }
  }
  const nnz = ptr[major];
  if (idx.length !== nnz || values.length !== nnz) {
    throw new ShapeError({
      where,
      what: `${names.idx} and values must have ${names.ptr}[${major}] entries`,
      got: `${names.idx} length ${idx.length}, values length ${values.length}`,
      expected: String(nnz),
    });
  }
  for (let k = 0; k < nnz; k++) {
    const j = idx[k];
    if (!Number.isInteger(j) || j < 0 || j >= minor) {
      throw new DataError({
        where,
        what: `${names.idx}[${k}] is outside the matrix`,
        got: String(j),
        expected: `an integer ${names.minor} index in [0, ${minor})`,
      });
    }
  }
  checkFinite(where, "values", values);
}

/**
 * The canonical form of a checked compressed pattern: minor indices strictly increasing within
 * each major line (sorted, duplicates summed). Returns the input arrays unchanged when they
 * already are canonical, so the common case costs one pass and no copy.
 *
 * @example
 * ```ts
 * canonicalCompressed(1, 3, [0, 2], [2, 2], [1, 4]); // ptr [0, 1], idx [2], values [5]
 * ```
 */
export function canonicalCompressed(
  major: number,
  minor: number,
  ptr: ArrayLike<number>,
  idx: ArrayLike<number>,
  values: ArrayLike<number>,
): { ptr: ArrayLike<number>; idx: ArrayLike<number>; values: ArrayLike<number> } {
  let canonical = true;
  for (let i = 0; i < major && canonical; i++) {
    for (let k = ptr[i] + 1; k < ptr[i + 1]; k++) {
      if (idx[k] <= idx[k - 1]) {
        canonical = false;
        break;
      }
    }
  }
  if (canonical) return { ptr, idx, values };
  const n = values.length;
  const majorIdx = new Int32Array(n);
  for (let i = 0; i < major; i++) majorIdx.fill(i, ptr[i], ptr[i + 1]);
  const outPtr = new Int32Array(major + 1);
  const outIdx = new Int32Array(n);
  const outValues = new Float64Array(n);
  const nnz = dcoo2csr(
    major,
    minor,
    n,
    majorIdx,
    Int32Array.from(idx),
    Float64Array.from(values),
    outPtr,
    outIdx,
    outValues,
    new Int32Array(major + 1),
  );
  return { ptr: outPtr, idx: outIdx.subarray(0, nnz), values: outValues.subarray(0, nnz) };
}

/**
 * Assembles coordinate triplets (any order, duplicates summed) into compressed arrays along the
 * `major` index; entries are sorted by minor index within each major line. Use it with
 * (rowIdx, colIdx) for CSR and (colIdx, rowIdx) for CSC.
 *
 * @throws ShapeError when the triplet arrays differ in length; DataError for an index outside
 *   the matrix or a non-finite value.
 * @example
 * ```ts
 * const csr = compressCoo(CSR_NAMES, 2, 3, [1, 0], [2, 1], [5, 1]);
 * ```
 */
export function compressCoo(
  names: CompressedNames,
  major: number,
  minor: number,
  majorIdx: ArrayLike<number>,
  minorIdx: ArrayLike<number>,
  values: ArrayLike<number>,
): CompressedArrays {
  const { where } = names;
  checkDimension(where, names.major === "row" ? "rows" : "cols", major);
  checkDimension(where, names.minor === "row" ? "rows" : "cols", minor);
  const n = values.length;
  if (majorIdx.length !== n || minorIdx.length !== n) {
    throw new ShapeError({
      where,
      what: "the coordinate arrays must have one entry per value",
      got: `${names.major} indices ${majorIdx.length}, ${names.minor} indices ${minorIdx.length}, values ${n}`,
      expected: `${n} each`,
    });
  }
  for (let k = 0; k < n; k++) {
    const a = majorIdx[k];
    const b = minorIdx[k];
    if (!Number.isInteger(a) || a < 0 || a >= major || !Number.isInteger(b) || b < 0 || b >= minor) {
      const [r, c] = names.major === "row" ? [a, b] : [b, a];
      const [rows, cols] = names.major === "row" ? [major, minor] : [minor, major];
      throw new DataError({
        where,
        what: `entry ${k} is outside the ${rows} × ${cols} matrix`,
        got: `(row ${r}, col ${c})`,
        expected: `row in [0, ${rows}), col in [0, ${cols})`,
      });
    }
  }
  checkFinite(where, "values", values);
  const ptr = new Int32Array(major + 1);
  const idx = new Int32Array(n);
  const vals = new Float64Array(n);
  const nnz = dcoo2csr(
    major,
    minor,
    n,
    Int32Array.from(majorIdx),
    Int32Array.from(minorIdx),
    Float64Array.from(values),
    ptr,
    idx,
    vals,
    new Int32Array(major + 1),
  );
  return { ptr, idx: idx.subarray(0, nnz), values: vals.subarray(0, nnz) };
}

/**
 * The nonzero entries of a dense row-major matrix as compressed arrays along rows
 * (`byRows = true`, CSR) or columns (CSC).
 *
 * @example
 * ```ts
 * compressDense(Float64Array.of(1, 0, 0, 2), 2, 2, true); // ptr [0, 1, 2], idx [0, 1], values [1, 2]
 * ```
 */
export function compressDense(data: Float64Array, rows: number, cols: number, byRows: boolean): CompressedArrays {
  const major = byRows ? rows : cols;
  const minor = byRows ? cols : rows;
  let nnz = 0;
  for (let i = 0; i < data.length; i++) if (data[i] !== 0) nnz++;
  const ptr = new Int32Array(major + 1);
  const idx = new Int32Array(nnz);
  const values = new Float64Array(nnz);
  let k = 0;
  for (let a = 0; a < major; a++) {
    for (let b = 0; b < minor; b++) {
      const v = byRows ? data[a * cols + b] : data[b * cols + a];
      if (v !== 0) {
        idx[k] = b;
        values[k++] = v;
      }
    }
    ptr[a + 1] = k;
  }
  return { ptr, idx, values };
}
