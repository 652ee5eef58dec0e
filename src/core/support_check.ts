/**
 * Whether a whole value (scalar, vector or matrix) lies in a declared {@link Support}, and if not,
 * the first violation in words. One checker serves every boundary where user values enter a
 * model — data binding, hyper-parameter initial values, `setHyper` — so the three accept the same
 * values and explain a rejection the same way. Element positions are 1-based, as in Stan
 * (`y[3]`, `L[2, 1]`).
 * @module core/support_check
 */
import type { Support } from "./support.js";

/**
 * How far the sum of a simplex may be from 1, and the squared norm of a row of a correlation
 * Cholesky factor from 1: Stan's `CONSTRAINT_TOLERANCE`. Values that went through a text file
 * with 9+ significant digits, or were normalised in floating point, pass; a typo does not.
 *
 * @example
 * ```ts
 * Math.abs(0.2 + 0.3 + 0.5 - 1) <= SUPPORT_TOLERANCE; // true
 * ```
 */
export const SUPPORT_TOLERANCE = 1e-8;

/**
 * What was wrong, for callers that want to react to a kind of violation (a hint of their own)
 * rather than parse the words.
 *
 * @example
 * ```ts
 * const code: SupportViolationCode = "simplex_sum";
 * ```
 */
export type SupportViolationCode =
  | "non_finite"
  | "non_integer"
  | "outside"
  | "shape"
  | "simplex_negative"
  | "simplex_sum"
  | "not_increasing"
  | "not_positive"
  | "not_lower_triangular"
  | "diagonal"
  | "row_norm";

/**
 * The first way a value breaks its support, as the parts of a sprig error message (the caller
 * adds `where`: the data field or hyper-parameter).
 *
 * @example
 * ```ts
 * const v = findSupportViolation({ kind: "positive" }, [1, 0], [2], "s");
 * // { code: "outside", index: 1, what: "value at s[2] is outside the declared support", got: "0", … }
 * ```
 */
export interface SupportViolation {
  readonly code: SupportViolationCode;
  /** 0-based flat (row-major) index of the offending element, when one element is to blame. */
  readonly index?: number;
  readonly what: string;
  readonly got: string;
  readonly expected: string;
  readonly hint?: string;
}

/**
 * The first violation of `support` by `values`, or undefined when every constraint holds.
 * Elements must be finite numbers whatever the support (checked over the whole value first, so a
 * NaN is reported as such rather than as a broken constraint); `integer` and `boolean` also need whole
 * numbers; bounds include their ends (`lower(0)` admits 0) except `positive` (> 0); a simplex has
 * elements ≥ 0 summing to 1 within {@link SUPPORT_TOLERANCE}; `ordered` is strictly increasing and
 * `positive_ordered` also starts above 0; `cholesky_corr` is a square lower-triangular matrix
 * (exact zeros above the diagonal) with a positive diagonal and rows of unit Euclidean norm
 * (squared norm within {@link SUPPORT_TOLERANCE} of 1, Stan's check). An empty simplex is invalid
 * (its sum is 0); empty vectors of every other kind are valid.
 *
 * @param support - the declared support
 * @param values - the value, flattened row-major
 * @param shape - its concrete shape (`[]`, `[n]` or `[rows, cols]`), for positions and matrix checks
 * @param name - its name, used in positions (`w[2]`)
 * @returns the first violation (non-finite elements first, then in element order), or undefined
 * @example
 * ```ts
 * findSupportViolation({ kind: "simplex" }, [0.2, 0.3, 0.4], [3], "w")?.what;
 * // "simplex does not sum to 1"
 * ```
 */
export function findSupportViolation(
  support: Support,
  values: ArrayLike<number>,
  shape: readonly number[],
  name: string,
): SupportViolation | undefined {
  const n = values.length;
  // Finite numbers first, for every kind: NaN compares false with everything, so a later check
  // would blame it on the wrong constraint.
  for (let k = 0; k < n; k++) {
    const v = values[k]!;
    if (typeof v !== "number" || !Number.isFinite(v)) {
      return {
        code: "non_finite",
        index: k,
        what: `non-finite value${at(name, shape, k)}`,
        got: num(v),
        expected: "finite numbers",
      };
    }
  }
  switch (support.kind) {
    case "simplex":
      return checkSimplex(values, shape, name);
    case "ordered":
    case "positive_ordered":
      return checkOrdered(values, shape, name, support.kind === "positive_ordered");
    case "cholesky_corr":
      return checkCholeskyCorr(values, shape, name);
    default:
      return checkElementwise(support, values, shape, name);
  }
}

/**
 * Whether `values` lie in `support` (see {@link findSupportViolation} for the exact rules).
 *
 * @example
 * ```ts
 * inSupport({ kind: "ordered" }, [1, 2, 2], [3]); // false: ties are not increasing
 * ```
 */
export function inSupport(support: Support, values: ArrayLike<number>, shape: readonly number[]): boolean {
  return findSupportViolation(support, values, shape, "x") === undefined;
}

/**
 * The constraint a single element of an elementwise support must meet, in words for messages:
 * `a value > 0`, `a value in [0, 1]`, `an integer ≥ 1`, `0 or 1`.
 *
 * @example
 * ```ts
 * constraintPhrase({ kind: "lower", lower: 0 }); // "a value ≥ 0"
 * ```
 */
export function constraintPhrase(support: Support): string {
  switch (support.kind) {
    case "real":
      return "a finite number";
    case "positive":
      return "a value > 0";
    case "lower":
      return `a value ≥ ${num(support.lower)}`;
    case "upper":
      return `a value ≤ ${num(support.upper)}`;
    case "interval":
      return `a value in [${num(support.lower)}, ${num(support.upper)}]`;
    case "integer":
      if (support.lower !== undefined && support.upper !== undefined)
        return `an integer in [${num(support.lower)}, ${num(support.upper)}]`;
      if (support.lower !== undefined) return `an integer ≥ ${num(support.lower)}`;
      if (support.upper !== undefined) return `an integer ≤ ${num(support.upper)}`;
      return "an integer";
    case "boolean":
      return "0 or 1";
    case "simplex":
      return "non-negative values summing to 1";
    case "ordered":
      return "strictly increasing values";
    case "positive_ordered":
      return "strictly increasing positive values";
    case "cholesky_corr":
      return "the Cholesky factor of a correlation matrix";
  }
}

/**
 * The position of element `k` (0-based, row-major) of a value of `shape`, 1-based as in Stan:
 * `y` for a scalar, `y[3]` for a vector, `L[2, 1]` for a matrix.
 *
 * @example
 * ```ts
 * elementLabel("L", [3, 3], 3); // "L[2, 1]"
 * ```
 */
export function elementLabel(name: string, shape: readonly number[], k: number): string {
  if (shape.length === 0) return name;
  const position: number[] = [];
  let rest = k;
  for (let d = shape.length - 1; d >= 0; d--) {
    const size = Math.max(1, shape[d]!);
    position.unshift((rest % size) + 1);
    rest = Math.floor(rest / size);
  }
  return `${name}[${position.join(", ")}]`;
}

function checkElementwise(
  support: Support,
  values: ArrayLike<number>,
  shape: readonly number[],
  name: string,
): SupportViolation | undefined {
  const whole = support.kind === "integer" || support.kind === "boolean";
  const lower = boundOf(support, "lower");
  const upper = boundOf(support, "upper");
  const strictLower = support.kind === "positive";
  for (let k = 0; k < values.length; k++) {
    const v = values[k]!;
    if (whole && !Number.isInteger(v)) {
      return {
        code: "non_integer",
        index: k,
        what: `non-integer value${at(name, shape, k)}`,
        got: num(v),
        expected: support.kind === "boolean" ? "0 or 1" : "integers",
      };
    }
    // Negated comparisons, so a NaN bound rejects every value instead of admitting it.
    const below = strictLower ? !(v > lower) : !(v >= lower);
    if (below || !(v <= upper)) {
      return {
        code: "outside",
        index: k,
        what: `value${at(name, shape, k)} is outside the declared support`,
        got: num(v),
        expected: constraintPhrase(support),
        ...(strictLower && v === 0 ? { hint: "<positive> excludes 0; declare <lower=0> to admit it." } : {}),
      };
    }
  }
  return undefined;
}

function boundOf(support: Support, side: "lower" | "upper"): number {
  switch (support.kind) {
    case "positive":
      return side === "lower" ? 0 : Number.POSITIVE_INFINITY;
    case "lower":
      return side === "lower" ? support.lower : Number.POSITIVE_INFINITY;
    case "upper":
      return side === "upper" ? support.upper : Number.NEGATIVE_INFINITY;
    case "interval":
      return support[side];
    case "integer":
      return support[side] ?? (side === "lower" ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY);
    case "boolean":
      return side === "lower" ? 0 : 1;
    default:
      return side === "lower" ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
}

/** A simplex, an ordered vector: anything but a vector is a declaration error worth naming. */
function notAVector(kind: string, shape: readonly number[]): SupportViolation | undefined {
  if (shape.length === 1) return undefined;
  return {
    code: "shape",
    what: `a ${kind} must be a vector`,
    got: shapeText(shape),
    expected: `${kind}[K]`,
  };
}

function checkSimplex(values: ArrayLike<number>, shape: readonly number[], name: string): SupportViolation | undefined {
  const bad = notAVector("simplex", shape);
  if (bad) return bad;
  for (let k = 0; k < values.length; k++) {
    if (values[k]! < 0) {
      return {
        code: "simplex_negative",
        index: k,
        what: `simplex element ${elementLabel(name, shape, k)} is negative`,
        got: num(values[k]!),
        expected: "every element ≥ 0",
      };
    }
  }
  // Neumaier's compensated sum, so a long simplex normalised in floating point is not rejected
  // for the rounding of the check itself.
  let sum = 0;
  let carry = 0;
  for (let k = 0; k < values.length; k++) {
    const v = values[k]!;
    const t = sum + v;
    carry += Math.abs(sum) >= Math.abs(v) ? sum - t + v : v - t + sum;
    sum = t;
  }
  sum += carry;
  if (Math.abs(sum - 1) <= SUPPORT_TOLERANCE) return undefined;
  return {
    code: "simplex_sum",
    what: "simplex does not sum to 1",
    got: `sum ${rounded(sum)} for ${name} = ${listText(values)}`,
    expected: `|sum − 1| ≤ ${SUPPORT_TOLERANCE}`,
    hint:
      values.length === 0
        ? "a simplex has at least one element; check its declared size."
        : "divide the values by their sum.",
  };
}

function checkOrdered(
  values: ArrayLike<number>,
  shape: readonly number[],
  name: string,
  positive: boolean,
): SupportViolation | undefined {
  const kind = positive ? "positive_ordered" : "ordered";
  const bad = notAVector(kind, shape);
  if (bad) return bad;
  if (positive && values.length > 0 && !(values[0]! > 0)) {
    const first = elementLabel(name, shape, 0);
    return {
      code: "not_positive",
      index: 0,
      what: `positive_ordered vector has a non-positive first element ${first}`,
      got: num(values[0]!),
      expected: `${first} > 0`,
    };
  }
  for (let k = 1; k < values.length; k++) {
    if (!(values[k]! > values[k - 1]!)) {
      const prev = elementLabel(name, shape, k - 1);
      const here = elementLabel(name, shape, k);
      return {
        code: "not_increasing",
        index: k,
        what: `${kind} vector is not strictly increasing at ${here}`,
        got: `${prev} = ${num(values[k - 1]!)}, ${here} = ${num(values[k]!)}`,
        expected: `${here} > ${prev}`,
        hint: "sort the values; ties are not allowed.",
      };
    }
  }
  return undefined;
}

function checkCholeskyCorr(
  values: ArrayLike<number>,
  shape: readonly number[],
  name: string,
): SupportViolation | undefined {
  if (shape.length !== 2 || shape[0] !== shape[1]) {
    return {
      code: "shape",
      what: "a cholesky_factor_corr must be a square matrix",
      got: shapeText(shape),
      expected: "matrix[K, K]",
    };
  }
  const size = shape[0]!;
  // Stan's order: lower triangular (exact zeros: a factor computed by a Cholesky routine has
  // them), then the diagonal, then unit rows; the first offending element in row-major order
  // within each check.
  for (let i = 0; i < size; i++) {
    for (let j = i + 1; j < size; j++) {
      const v = values[i * size + j]!;
      if (v !== 0) {
        return {
          code: "not_lower_triangular",
          index: i * size + j,
          what: `cholesky_factor_corr is not lower triangular at ${elementLabel(name, shape, i * size + j)}`,
          got: num(v),
          expected: "0 above the diagonal",
          hint: "pass the lower factor L (with L Lᵀ the correlation matrix), not its transpose.",
        };
      }
    }
  }
  for (let i = 0; i < size; i++) {
    const v = values[i * size + i]!;
    if (!(v > 0)) {
      const label = elementLabel(name, shape, i * size + i);
      return {
        code: "diagonal",
        index: i * size + i,
        what: `cholesky_factor_corr has a non-positive diagonal element ${label}`,
        got: num(v),
        expected: `${label} > 0`,
        hint: "flip the sign of that row: L and its row-negated copy give the same L Lᵀ.",
      };
    }
  }
  for (let i = 0; i < size; i++) {
    let squared = 0;
    for (let j = 0; j <= i; j++) squared += values[i * size + j]! ** 2;
    if (!(Math.abs(squared - 1) <= SUPPORT_TOLERANCE)) {
      return {
        code: "row_norm",
        what: `cholesky_factor_corr row ${name}[${i + 1}, :] does not have unit length`,
        got: `squared norm ${rounded(squared)}`,
        expected: `|‖${name}[${i + 1}, :]‖² − 1| ≤ ${SUPPORT_TOLERANCE}`,
        hint: "each row of the Cholesky factor of a correlation matrix has norm 1 (diag(L Lᵀ) = 1); divide each row by its norm.",
      };
    }
  }
  return undefined;
}

/** ` at y[3]` for vectors and matrices; nothing for a scalar, whose name the caller gives. */
function at(name: string, shape: readonly number[], k: number): string {
  return shape.length === 0 ? "" : ` at ${elementLabel(name, shape, k)}`;
}

/** A number as written, keeping the sign of −0 (which `String` drops) so edge cases read true. */
function num(v: unknown): string {
  if (typeof v !== "number") return typeof v === "string" ? `'${v}'` : String(v);
  return Object.is(v, -0) ? "-0" : String(v);
}

/**
 * A computed sum for messages, to 12 significant digits: enough to show any miss beyond the
 * 1e-8 tolerance, without the last-place noise of the summation (1.0000000999999998).
 */
function rounded(v: number): string {
  return String(Number(v.toPrecision(12)));
}

function shapeText(shape: readonly number[]): string {
  if (shape.length === 0) return "a scalar";
  return `${shape.length === 1 ? "vector" : "matrix"}[${shape.join(", ")}]`;
}

function listText(values: ArrayLike<number>): string {
  const shown: string[] = [];
  for (let k = 0; k < Math.min(values.length, 6); k++) shown.push(num(values[k]!));
  return `[${shown.join(", ")}${values.length > 6 ? `, … (${values.length} items)` : ""}]`;
}
