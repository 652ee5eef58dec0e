import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Support } from "../../src/core/support.js";
import {
  constraintPhrase,
  elementLabel,
  findSupportViolation,
  inSupport,
  SUPPORT_TOLERANCE,
} from "../../src/core/support_check.js";

/**
 * The one support checker used for data, hyper-parameter initial values and setHyper:
 * table-driven edge cases for every support kind, exact messages for each kind of violation, and
 * a property test (values built inside each support pass; a perturbation outside fails).
 */

const inf = Number.POSITIVE_INFINITY;
const S = {
  real: { kind: "real" },
  positive: { kind: "positive" },
  lower0: { kind: "lower", lower: 0 },
  upper3: { kind: "upper", upper: 3 },
  unit: { kind: "interval", lower: 0, upper: 1 },
  integer: { kind: "integer" },
  int13: { kind: "integer", lower: 1, upper: 3 },
  boolean: { kind: "boolean" },
  simplex: { kind: "simplex" },
  ordered: { kind: "ordered" },
  positiveOrdered: { kind: "positive_ordered" },
  chol: { kind: "cholesky_corr" },
} as const satisfies Record<string, Support>;

/** A valid 3 × 3 correlation Cholesky factor (row-major), rows of unit norm. */
const L3 = [1, 0, 0, 0.6, 0.8, 0, -0.36, 0.48, 0.8];

type Case = readonly [label: string, support: Support, values: readonly number[], shape: readonly number[]];

const VALID: readonly Case[] = [
  ["real: any finite number", S.real, [-1e308, 0, -0, 5e-324], [4]],
  ["real: empty vector", S.real, [], [0]],
  ["positive: smallest subnormal", S.positive, [5e-324], []],
  ["lower(0): the bound itself", S.lower0, [0], []],
  ["lower(0): -0 equals the bound", S.lower0, [-0], []],
  ["upper(3): the bound itself", S.upper3, [3, -1e300], [2]],
  ["interval: both ends", S.unit, [0, 1, 0.5], [3]],
  ["integer: unbounded, -0", S.integer, [-7, -0, 12], [3]],
  ["integer(1, 3): both ends", S.int13, [1, 3, 2], [3]],
  ["boolean: 0, 1 and -0", S.boolean, [0, 1, -0], [3]],
  ["simplex: one element", S.simplex, [1], [1]],
  ["simplex: a zero element and sum within tolerance", S.simplex, [0, 0.3, 0.7 + 0.9e-8], [3]],
  ["simplex: tenths summing to 0.9999999999999999", S.simplex, Array(10).fill(0.1), [10]],
  ["ordered: empty", S.ordered, [], [0]],
  ["ordered: one element", S.ordered, [-5], [1]],
  ["ordered: negative and increasing", S.ordered, [-3, -2.5, 0, 1e300], [4]],
  ["positive_ordered: empty", S.positiveOrdered, [], [0]],
  ["positive_ordered: tiny first", S.positiveOrdered, [5e-324, 1], [2]],
  ["cholesky_corr: 0 × 0", S.chol, [], [0, 0]],
  ["cholesky_corr: 1 × 1", S.chol, [1], [1, 1]],
  ["cholesky_corr: 3 × 3", S.chol, L3, [3, 3]],
  ["cholesky_corr: identity with -0 above the diagonal", S.chol, [1, -0, 0, 1], [2, 2]],
];

describe("values inside their support pass", () => {
  it.each(VALID)("%s", (_label, support, values, shape) => {
    expect(findSupportViolation(support, values, shape, "x")).toBeUndefined();
    expect(inSupport(support, values, shape)).toBe(true);
  });
});

/** [label, support, values, shape, code, index (0-based) or undefined]. */
const INVALID: readonly (readonly [...Case, string, number | undefined])[] = [
  ["real: NaN", S.real, [1, Number.NaN], [2], "non_finite", 1],
  ["real: +Infinity", S.real, [inf], [], "non_finite", 0],
  ["real: -Infinity", S.real, [-inf], [1], "non_finite", 0],
  ["positive: 0", S.positive, [0], [], "outside", 0],
  ["positive: -0", S.positive, [1, -0], [2], "outside", 1],
  ["positive: +Infinity is not finite", S.positive, [inf], [], "non_finite", 0],
  ["lower(0): just below", S.lower0, [-5e-324], [], "outside", 0],
  ["upper(3): just above", S.upper3, [3.0000000000000004], [], "outside", 0],
  ["interval: above", S.unit, [0.5, 1.0000000000000002], [2], "outside", 1],
  ["interval: -Infinity", S.unit, [-inf], [], "non_finite", 0],
  ["integer: 2.5", S.integer, [1, 2.5], [2], "non_integer", 1],
  ["integer(1, 3): 0", S.int13, [0], [], "outside", 0],
  ["integer(1, 3): 4", S.int13, [1, 4], [2], "outside", 1],
  ["boolean: 2", S.boolean, [0, 2], [2], "outside", 1],
  ["boolean: 0.5", S.boolean, [0.5], [], "non_integer", 0],
  ["boolean: -1", S.boolean, [-1], [1], "outside", 0],
  ["simplex: empty", S.simplex, [], [0], "simplex_sum", undefined],
  ["simplex: a negative element", S.simplex, [1.1, -0.1], [2], "simplex_negative", 1],
  ["simplex: sum 1 + 2e-8", S.simplex, [0.5, 0.5 + 2e-8], [2], "simplex_sum", undefined],
  ["simplex: NaN", S.simplex, [Number.NaN, 1], [2], "non_finite", 0],
  ["simplex: a scalar", S.simplex, [1], [], "shape", undefined],
  ["ordered: a tie", S.ordered, [1, 2, 2], [3], "not_increasing", 2],
  ["ordered: decreasing", S.ordered, [1, 0], [2], "not_increasing", 1],
  ["ordered: -0 after 0 is a tie", S.ordered, [0, -0], [2], "not_increasing", 1],
  ["ordered: Infinity", S.ordered, [1, inf], [2], "non_finite", 1],
  ["positive_ordered: first is 0", S.positiveOrdered, [0, 1], [2], "not_positive", 0],
  ["positive_ordered: first is -0", S.positiveOrdered, [-0], [1], "not_positive", 0],
  ["positive_ordered: not increasing", S.positiveOrdered, [1, 3, 2], [3], "not_increasing", 2],
  ["cholesky_corr: not square", S.chol, [1, 0, 0, 0, 1, 0], [2, 3], "shape", undefined],
  ["cholesky_corr: a vector", S.chol, [1], [1], "shape", undefined],
  ["cholesky_corr: upper entry", S.chol, [1, 1e-300, 0, 1], [2, 2], "not_lower_triangular", 1],
  ["cholesky_corr: transposed", S.chol, [1, 0.6, 0, 0.8], [2, 2], "not_lower_triangular", 1],
  ["cholesky_corr: negative diagonal", S.chol, [1, 0, 0.6, -0.8], [2, 2], "diagonal", 3],
  ["cholesky_corr: zero diagonal", S.chol, [0, 0, 0, 1], [2, 2], "diagonal", 0],
  ["cholesky_corr: row norm 1 + 3e-8", S.chol, [1, 0, 0.6, 0.8 + 2e-8], [2, 2], "row_norm", undefined],
  ["cholesky_corr: NaN", S.chol, [1, 0, Number.NaN, 1], [2, 2], "non_finite", 2],
];

describe("values outside their support are caught, with the offending element", () => {
  it.each(INVALID)("%s", (_label, support, values, shape, code, index) => {
    const v = findSupportViolation(support, values, shape, "x");
    expect(v?.code).toBe(code);
    expect(v?.index).toBe(index);
    expect(inSupport(support, values, shape)).toBe(false);
  });
});

describe("messages name the element (1-based), the value and the constraint", () => {
  const message = (support: Support, values: readonly number[], shape: readonly number[], name: string) => {
    const v = findSupportViolation(support, values, shape, name)!;
    return `${v.what} — got ${v.got}, expected ${v.expected}.${v.hint ? ` Hint: ${v.hint}` : ""}`;
  };

  it.each([
    [S.real, [1, 2, Number.NaN], [3], "y", "non-finite value at y[3] — got NaN, expected finite numbers."],
    [S.real, [inf], [], "s", "non-finite value — got Infinity, expected finite numbers."],
    [
      S.positive,
      [-0],
      [],
      "s",
      "value is outside the declared support — got -0, expected a value > 0. Hint: <positive> excludes 0; declare <lower=0> to admit it.",
    ],
    [
      S.lower0,
      [1, -2],
      [2],
      "sigma",
      "value at sigma[2] is outside the declared support — got -2, expected a value ≥ 0.",
    ],
    [S.unit, [2], [], "p", "value is outside the declared support — got 2, expected a value in [0, 1]."],
    [
      S.int13,
      [1, 2, 7],
      [3],
      "k",
      "value at k[3] is outside the declared support — got 7, expected an integer in [1, 3].",
    ],
    [S.integer, [1.5], [1], "k", "non-integer value at k[1] — got 1.5, expected integers."],
    [S.boolean, [0, 1, 2], [3], "hit", "value at hit[3] is outside the declared support — got 2, expected 0 or 1."],
    [
      S.simplex,
      [0.5, -0.25, 0.75],
      [3],
      "w",
      "simplex element w[2] is negative — got -0.25, expected every element ≥ 0.",
    ],
    [
      S.simplex,
      [0.2, 0.3, 0.4],
      [3],
      "w",
      "simplex does not sum to 1 — got sum 0.9 for w = [0.2, 0.3, 0.4], expected |sum − 1| ≤ 1e-8. Hint: divide the values by their sum.",
    ],
    [
      S.simplex,
      [],
      [0],
      "w",
      "simplex does not sum to 1 — got sum 0 for w = [], expected |sum − 1| ≤ 1e-8. Hint: a simplex has at least one element; check its declared size.",
    ],
    [
      S.ordered,
      [-1, 2, 2],
      [3],
      "c",
      "ordered vector is not strictly increasing at c[3] — got c[2] = 2, c[3] = 2, expected c[3] > c[2]. Hint: sort the values; ties are not allowed.",
    ],
    [
      S.positiveOrdered,
      [0, 1],
      [2],
      "c",
      "positive_ordered vector has a non-positive first element c[1] — got 0, expected c[1] > 0.",
    ],
    [
      S.chol,
      [1, 0, 0, 0.6, 0.8, 0.1, 0, 0, 1],
      [3, 3],
      "L",
      "cholesky_factor_corr is not lower triangular at L[2, 3] — got 0.1, expected 0 above the diagonal. Hint: pass the lower factor L (with L Lᵀ the correlation matrix), not its transpose.",
    ],
    [
      S.chol,
      [1, 0, 0.6, -0.8],
      [2, 2],
      "L",
      "cholesky_factor_corr has a non-positive diagonal element L[2, 2] — got -0.8, expected L[2, 2] > 0. Hint: flip the sign of that row: L and its row-negated copy give the same L Lᵀ.",
    ],
    [
      S.chol,
      [1, 0, 0.5, 0.5],
      [2, 2],
      "L",
      "cholesky_factor_corr row L[2, :] does not have unit length — got squared norm 0.5, expected |‖L[2, :]‖² − 1| ≤ 1e-8. Hint: each row of the Cholesky factor of a correlation matrix has norm 1 (diag(L Lᵀ) = 1); divide each row by its norm.",
    ],
    [
      S.chol,
      [1, 0, 0, 0, 1, 0],
      [2, 3],
      "L",
      "a cholesky_factor_corr must be a square matrix — got matrix[2, 3], expected matrix[K, K].",
    ],
  ] as const)("message %#", (support, values, shape, name, expected) => {
    expect(message(support, values, shape, name)).toBe(expected);
  });

  it("labels elements of scalars, vectors and matrices 1-based, row-major", () => {
    expect(elementLabel("s", [], 0)).toBe("s");
    expect(elementLabel("y", [5], 4)).toBe("y[5]");
    expect(elementLabel("L", [3, 3], 3)).toBe("L[2, 1]");
    expect(elementLabel("X", [2, 4], 7)).toBe("X[2, 4]");
  });

  it("phrases every elementwise constraint", () => {
    expect(constraintPhrase({ kind: "upper", upper: -1 })).toBe("a value ≤ -1");
    expect(constraintPhrase({ kind: "integer", lower: 0 })).toBe("an integer ≥ 0");
    expect(constraintPhrase({ kind: "integer", upper: 9 })).toBe("an integer ≤ 9");
    expect(constraintPhrase({ kind: "integer" })).toBe("an integer");
  });

  it("a NaN bound rejects every value instead of admitting it", () => {
    expect(findSupportViolation({ kind: "lower", lower: Number.NaN }, [1], [], "x")?.code).toBe("outside");
    expect(findSupportViolation({ kind: "interval", lower: 0, upper: Number.NaN }, [0.5], [], "x")?.code).toBe(
      "outside",
    );
  });
});

/** Values built inside each support, and one perturbation that leaves it. */
describe("property: built inside passes, a perturbation outside fails", () => {
  const finite = fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true });
  const n = fc.integer({ min: 1, max: 12 });

  it("bounded scalar supports", () => {
    fc.assert(
      fc.property(fc.array(finite, { minLength: 1, maxLength: 8 }), finite, fc.nat(), (raw, bound, pick) => {
        const k = pick % raw.length;
        // lower(b): |x| + b ≥ b; moving element k below b by a relative step leaves it.
        const lower: Support = { kind: "lower", lower: bound };
        const inside = raw.map((x) => bound + Math.abs(x));
        expect(inSupport(lower, inside, [inside.length])).toBe(true);
        const out = [...inside];
        out[k] = bound - Math.max(1e-6, Math.abs(bound) * 1e-9);
        expect(findSupportViolation(lower, out, [out.length], "x")?.index).toBe(k);
        // positive: 1 + |x| > 0; 0 or a negative value leaves it.
        const pos = raw.map((x) => 1 + Math.abs(x));
        expect(inSupport({ kind: "positive" }, pos, [pos.length])).toBe(true);
        pos[k] = -Math.abs(raw[k]!);
        expect(findSupportViolation({ kind: "positive" }, pos, [pos.length], "x")?.index).toBe(k);
      }),
      { numRuns: 200 },
    );
  });

  it("integer ranges and booleans", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -5, max: 5 }), { minLength: 1, maxLength: 8 }), fc.nat(), (raw, pick) => {
        const k = pick % raw.length;
        const range: Support = { kind: "integer", lower: -5, upper: 5 };
        expect(inSupport(range, raw, [raw.length])).toBe(true);
        const out = [...raw];
        out[k] = raw[k]! + 0.5;
        expect(findSupportViolation(range, out, [out.length], "x")?.code).toBe("non_integer");
        out[k] = raw[k]! >= 0 ? 6 : -6;
        expect(findSupportViolation(range, out, [out.length], "x")?.code).toBe("outside");
        const bits: number[] = raw.map((x) => (x > 0 ? 1 : 0));
        expect(inSupport({ kind: "boolean" }, bits, [bits.length])).toBe(true);
        bits[k] = 2;
        expect(inSupport({ kind: "boolean" }, bits, [bits.length])).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  it("simplex: normalised positive weights pass; moving mass off the simplex fails", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 1e-3, max: 1e3, noNaN: true }), { minLength: 1, maxLength: 50 }),
        fc.nat(),
        (raw, pick) => {
          const total = raw.reduce((a, b) => a + b, 0);
          const w = raw.map((x) => x / total);
          expect(inSupport({ kind: "simplex" }, w, [w.length])).toBe(true);
          const k = pick % w.length;
          const off = [...w];
          off[k] = w[k]! + 1e-6; // sum 1 + 1e-6: well past the 1e-8 tolerance
          expect(findSupportViolation({ kind: "simplex" }, off, [off.length], "w")?.code).toBe("simplex_sum");
          const neg = [...w];
          neg[k] = -w[k]!;
          expect(findSupportViolation({ kind: "simplex" }, neg, [neg.length], "w")?.code).toBe("simplex_negative");
        },
      ),
      { numRuns: 200 },
    );
  });

  it("ordered and positive_ordered: cumulative sums of positive steps pass; a swap or tie fails", () => {
    fc.assert(
      fc.property(
        n.chain((len) =>
          fc.tuple(
            fc.array(fc.double({ min: 1e-3, max: 10, noNaN: true }), { minLength: len + 1, maxLength: len + 1 }),
            fc.integer({ min: 1, max: Math.max(1, len) }),
          ),
        ),
        finite,
        ([steps, k], start) => {
          const ordered: number[] = [];
          for (const s of steps) ordered.push((ordered.at(-1) ?? start) + s);
          expect(inSupport({ kind: "ordered" }, ordered, [ordered.length])).toBe(true);
          const positive = ordered.map((x) => x - start); // starts at steps[0] > 0
          expect(inSupport({ kind: "positive_ordered" }, positive, [positive.length])).toBe(true);
          const tie = [...ordered];
          tie[k] = tie[k - 1]!;
          expect(findSupportViolation({ kind: "ordered" }, tie, [tie.length], "c")?.index).toBe(k);
          const shifted = positive.map((x) => x - positive[0]!); // first element 0
          expect(findSupportViolation({ kind: "positive_ordered" }, shifted, [shifted.length], "c")?.code).toBe(
            "not_positive",
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it("cholesky_corr: normalised random lower-triangular rows pass; scaling a row or filling the upper part fails", () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 6 })
          .chain((K) =>
            fc.tuple(
              fc.constant(K),
              fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: K * K, maxLength: K * K }),
              fc.nat({ max: K - 1 }),
            ),
          ),
        ([K, raw, row]) => {
          const L = new Float64Array(K * K);
          for (let i = 0; i < K; i++) {
            // A positive diagonal keeps the row away from zero before it is normalised.
            let norm = 0;
            for (let j = 0; j <= i; j++) {
              L[i * K + j] = j === i ? 0.5 + Math.abs(raw[i * K + j]!) : raw[i * K + j]!;
              norm += L[i * K + j]! ** 2;
            }
            for (let j = 0; j <= i; j++) L[i * K + j]! /= Math.sqrt(norm);
          }
          expect(findSupportViolation({ kind: "cholesky_corr" }, L, [K, K], "L")).toBeUndefined();
          const scaled = L.slice();
          for (let j = 0; j <= row; j++) scaled[row * K + j]! *= 1 + 1e-6;
          expect(findSupportViolation({ kind: "cholesky_corr" }, scaled, [K, K], "L")?.code).toBe("row_norm");
          if (K >= 2) {
            const upper = L.slice();
            upper[row === K - 1 ? K - 1 : row * K + row + 1] = 0.1;
            expect(findSupportViolation({ kind: "cholesky_corr" }, upper, [K, K], "L")?.code).toBe(
              "not_lower_triangular",
            );
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it("the tolerance is Stan's 1e-8", () => {
    expect(SUPPORT_TOLERANCE).toBe(1e-8);
  });
});
