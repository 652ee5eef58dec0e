import { describe, expect, it } from "vitest";
import { exampleFamilies } from "../../../examples/models/families.js";
import { DataError, ModelError } from "../../../src/core/errors.js";
import { compile } from "../../../src/inference/model/index.js";
import { GraphBuilder } from "../../../src/ir/builder.js";
import { parseModel } from "../../../src/lang/text/index.js";
import { CsrOperator, DenseOperator } from "../../../src/runtime/operators/index.js";

/**
 * Every declared support is enforced where values enter a model — data binding, hyper-parameter
 * initial values, `compile(…, { hyper })` and `setHyper` — with the full message asserted: the
 * field, the element (1-based, row and column for matrices), the value and the constraint.
 */
const families = exampleFamilies();

const MODEL = `data {
  int K;
  array[K] bool hit;
  array[K] int<lower=1, upper=3> grp;
  real<positive> s;
  vector<lower=0>[K] counts;
  vector<lower=-1, upper=1>[K] r;
  simplex[K] w;
  ordered[K] cut;
  positive_ordered[K] pc;
  cholesky_factor_corr[K] L;
  matrix<positive>[2, K] X;
}
hyper {
  real<positive> lambda = 1;
  ordered[2] c2 = [-1, 1];
  simplex[3] sh = [0.2, 0.3, 0.5];
  vector<lower=0>[K] gamma = 1;
  ordered[K] oc = 1;
}
parameters { real mu; }
model { mu ~ normal(0, lambda); }`;

const graph = parseModel(MODEL, families, { file: "m.sprig" });
const L3 = [
  [1, 0, 0],
  [0.6, 0.8, 0],
  [-0.36, 0.48, 0.8],
];
const GOOD = {
  K: 3,
  hit: [0, 1, 1],
  grp: [1, 2, 3],
  s: 0.5,
  counts: [0, 1, 2],
  r: [-1, 0, 1],
  w: [0.2, 0.3, 0.5],
  cut: [-1, 0, 2],
  pc: [0.1, 1, 2],
  L: L3,
  X: [
    [1, 2, 3],
    [4, 5, 6],
  ],
};
/** `oc = 1` cannot be an ordered[3] start; the symbolic size defers its check to compile time. */
const HYPER = { hyper: { oc: [1, 2, 3] } };

const bind = (patch: Record<string, unknown>) => () => compile(graph, { ...GOOD, ...patch } as never, families, HYPER);

describe("data at the edge of their supports bind", () => {
  it("exact bounds, -0, a simplex with a zero, a valid Cholesky factor as an operator", () => {
    expect(() =>
      bind({
        counts: [0, -0, 1e300],
        r: [-1, 1, -0],
        w: [0, 0, 1],
        hit: [-0, 1, 0],
        L: new DenseOperator(Float64Array.from(L3.flat()), 3, 3),
        X: new Float64Array([5e-324, 1, 1, 1, 1, 1]),
      })(),
    ).not.toThrow();
  });
});

describe("data outside their declared support: DataError with the full message", () => {
  it.each([
    [
      "bool data",
      { hit: [0, 2, 1] },
      "data 'hit': value at hit[2] is outside the declared support — got 2, expected 0 or 1.",
    ],
    [
      "an integer range",
      { grp: [1, 4, 2] },
      "data 'grp': value at grp[2] is outside the declared support — got 4, expected an integer in [1, 3].",
    ],
    [
      "non-integers for int data",
      { grp: [1, 2.5, 2] },
      "data 'grp': non-integer value at grp[2] — got 2.5, expected integers (declared int). Hint: round the data, or declare it real.",
    ],
    [
      "<positive> excludes 0",
      { s: 0 },
      "data 's': value is outside the declared support — got 0, expected a value > 0. Hint: <positive> excludes 0; declare <lower=0> to admit it.",
    ],
    [
      "<positive> excludes -0",
      { s: -0 },
      "data 's': value is outside the declared support — got -0, expected a value > 0. Hint: <positive> excludes 0; declare <lower=0> to admit it.",
    ],
    [
      "<lower=0> below the bound",
      { counts: [0, 1, -1e-300] },
      "data 'counts': value at counts[3] is outside the declared support — got -1e-300, expected a value ≥ 0.",
    ],
    [
      "an interval",
      { r: [0, 1.5, 0] },
      "data 'r': value at r[2] is outside the declared support — got 1.5, expected a value in [-1, 1].",
    ],
    [
      "+Infinity",
      { counts: [0, Number.POSITIVE_INFINITY, 1] },
      "data 'counts': non-finite value at counts[2] — got Infinity, expected finite numbers. Hint: remove or impute missing values before binding.",
    ],
    [
      "a simplex off by 1e-7",
      { w: [0.2, 0.3, 0.5 + 1e-7] },
      "data 'w': simplex does not sum to 1 — got sum 1.0000001 for w = [0.2, 0.3, 0.5000001], expected |sum − 1| ≤ 1e-8. Hint: divide the values by their sum.",
    ],
    [
      "a simplex with a negative element",
      { w: [0.6, -0.1, 0.5] },
      "data 'w': simplex element w[2] is negative — got -0.1, expected every element ≥ 0.",
    ],
    [
      "an ordered vector with a tie",
      { cut: [-1, 0, 0] },
      "data 'cut': ordered vector is not strictly increasing at cut[3] — got cut[2] = 0, cut[3] = 0, expected cut[3] > cut[2]. Hint: sort the values; ties are not allowed.",
    ],
    [
      "a positive_ordered vector starting at 0",
      { pc: [0, 1, 2] },
      "data 'pc': positive_ordered vector has a non-positive first element pc[1] — got 0, expected pc[1] > 0.",
    ],
    [
      "a positive_ordered vector decreasing",
      { pc: [1, 3, 2] },
      "data 'pc': positive_ordered vector is not strictly increasing at pc[3] — got pc[2] = 3, pc[3] = 2, expected pc[3] > pc[2]. Hint: sort the values; ties are not allowed.",
    ],
    [
      "a transposed Cholesky factor",
      {
        L: [
          [1, 0.6, -0.36],
          [0, 0.8, 0.48],
          [0, 0, 0.8],
        ],
      },
      "data 'L': cholesky_factor_corr is not lower triangular at L[1, 2] — got 0.6, expected 0 above the diagonal. Hint: pass the lower factor L (with L Lᵀ the correlation matrix), not its transpose.",
    ],
    [
      "a Cholesky factor with a negative diagonal",
      {
        L: [
          [1, 0, 0],
          [0.6, -0.8, 0],
          [-0.36, 0.48, 0.8],
        ],
      },
      "data 'L': cholesky_factor_corr has a non-positive diagonal element L[2, 2] — got -0.8, expected L[2, 2] > 0. Hint: flip the sign of that row: L and its row-negated copy give the same L Lᵀ.",
    ],
    [
      "a covariance factor (rows not of unit norm)",
      {
        L: [
          [2, 0, 0],
          [1.2, 1.6, 0],
          [-0.72, 0.96, 1.6],
        ],
      },
      "data 'L': cholesky_factor_corr row L[1, :] does not have unit length — got squared norm 4, expected |‖L[1, :]‖² − 1| ≤ 1e-8. Hint: each row of the Cholesky factor of a correlation matrix has norm 1 (diag(L Lᵀ) = 1); divide each row by its norm.",
    ],
    [
      "a Cholesky factor given as an operator",
      { L: new DenseOperator(Float64Array.from([1, 0, 0, 0.6, 0.8, 0, 0, 0, 0.9]), 3, 3) },
      "data 'L': cholesky_factor_corr row L[3, :] does not have unit length — got squared norm 0.81, expected |‖L[3, :]‖² − 1| ≤ 1e-8. Hint: each row of the Cholesky factor of a correlation matrix has norm 1 (diag(L Lᵀ) = 1); divide each row by its norm.",
    ],
    [
      "a matrix entry, row and column 1-based",
      {
        X: [
          [1, 2, 3],
          [4, -5, 6],
        ],
      },
      "data 'X': value at X[2, 2] is outside the declared support — got -5, expected a value > 0.",
    ],
    [
      "a sparse operator's implicit zero",
      { X: new CsrOperator(2, 3, [0, 1, 2], [0, 1], [1, 1]) },
      "data 'X': value at X[1, 2] is outside the declared support — got 0, expected a value > 0. Hint: <positive> excludes 0; declare <lower=0> to admit it.",
    ],
    [
      "a NaN in a row-major matrix",
      { X: new Float64Array([1, 1, 1, 1, 1, Number.NaN]) },
      "data 'X': non-finite value at X[2, 3] — got NaN, expected finite numbers. Hint: remove or impute missing values before binding.",
    ],
    [
      "a non-number in a matrix row",
      {
        X: [
          [1, 1, "1"],
          [1, 1, 1],
        ],
      },
      "data 'X': X[1, 3] is not a number — got '1', expected matrix[2, 3] (matrix[2, K] with K = 3) (array of rows, row-major Float64Array or LinearOperator).",
    ],
  ] as const)("%s", (_label, patch, message) => {
    let error: unknown;
    try {
      bind(patch)();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DataError);
    expect((error as Error).message).toBe(message);
  });

  it("an empty simplex is refused; empty ordered and Cholesky data are fine", () => {
    const data = { ...GOOD, K: 0, hit: [], grp: [], counts: [], r: [], w: [], cut: [], pc: [], L: [], X: [[], []] };
    expect(() => compile(graph, data, families, { hyper: { oc: [] } })).toThrow(
      "data 'w': simplex does not sum to 1 — got sum 0 for w = [], expected |sum − 1| ≤ 1e-8. Hint: a simplex has at least one element; check its declared size.",
    );
    const noSimplex = parseModel(MODEL.replace("simplex[K] w;", "vector[K] w;"), families);
    expect(() => compile(noSimplex, data, families, { hyper: { oc: [] } })).not.toThrow();
  });

  it("the Float64Array given for a matrix is copied, like every other data value", () => {
    const regression = parseModel(
      "data { int N; vector[N] y; matrix[N, 2] X; } parameters { vector[2] b; } model { b ~ normal(0, 1); y ~ normal(X * b, 1); }",
      families,
    );
    const X = new Float64Array([1, 2, 3, 4, 5, 6]);
    const m = compile(regression, { N: 3, y: [1, 0, -1], X }, families);
    const theta = new Float64Array([0.5, -0.25]);
    const before = m.logDensity(theta);
    X.fill(100);
    expect(m.logDensity(theta)).toBe(before);
  });
});

describe("hyper-parameter values: initial, compile options and setHyper share the data checks", () => {
  it("a symbolic-size ordered hyper starting from one number is refused once the size is known", () => {
    expect(() => compile(graph, GOOD, families)).toThrow(
      "hyper 'oc': ordered vector is not strictly increasing at oc[2] — got oc[1] = 1, oc[2] = 1, expected oc[2] > oc[1]. Hint: sort the values; ties are not allowed.",
    );
  });

  it("compile(…, { hyper }) values are checked", () => {
    expect(() => compile(graph, GOOD, families, { hyper: { oc: [1, 2, 3], gamma: [1, -2, 1] } })).toThrow(
      "hyper 'gamma': value at gamma[2] is outside the declared support — got -2, expected a value ≥ 0.",
    );
    expect(() => compile(graph, GOOD, families, { hyper: { oc: [1, 2, 3], lambda: 0 } })).toThrow(
      "hyper 'lambda': value is outside the declared support — got 0, expected a value > 0. Hint: <positive> excludes 0; declare <lower=0> to admit it.",
    );
  });

  it("setHyper refuses an invalid value and leaves the old one in place", () => {
    const m = compile(graph, GOOD, families, HYPER);
    const theta = new Float64Array([0.3]);
    const before = m.logDensity(theta);
    const cases: readonly [string, unknown, string][] = [
      [
        "sh",
        [0.5, 0.5, 0.5],
        "hyper 'sh': simplex does not sum to 1 — got sum 1.5 for sh = [0.5, 0.5, 0.5], expected |sum − 1| ≤ 1e-8. Hint: divide the values by their sum.",
      ],
      [
        "c2",
        [1, -1],
        "hyper 'c2': ordered vector is not strictly increasing at c2[2] — got c2[1] = 1, c2[2] = -1, expected c2[2] > c2[1]. Hint: sort the values; ties are not allowed.",
      ],
      [
        "c2",
        0,
        "hyper 'c2': ordered vector is not strictly increasing at c2[2] — got c2[1] = 0, c2[2] = 0, expected c2[2] > c2[1]. Hint: sort the values; ties are not allowed.",
      ],
      ["lambda", Number.NaN, "hyper 'lambda': non-finite value — got NaN, expected finite numbers."],
      [
        "lambda",
        -0,
        "hyper 'lambda': value is outside the declared support — got -0, expected a value > 0. Hint: <positive> excludes 0; declare <lower=0> to admit it.",
      ],
      ["lambda", "2", "hyper 'lambda': wrong type — got '2', expected a number."],
      ["gamma", [1, "a", 1], "hyper 'gamma': gamma[2] is not a number — got 'a', expected one number or 3 numbers."],
      ["gamma", [1, 1], "hyper 'gamma': wrong length — got vector[2], expected one number or 3 numbers."],
    ];
    for (const [name, value, message] of cases) {
      let error: unknown;
      try {
        m.setHyper(name, value as never);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(DataError);
      expect((error as Error).message).toBe(message);
    }
    expect(m.hyperValues()).toEqual({
      lambda: 1,
      c2: Float64Array.from([-1, 1]),
      sh: Float64Array.from([0.2, 0.3, 0.5]),
      gamma: Float64Array.from([1, 1, 1]),
      oc: Float64Array.from([1, 2, 3]),
    });
    expect(m.logDensity(theta)).toBe(before);
    m.setHyper("sh", [0.1, 0.1, 0.8]);
    m.setHyper("lambda", 2);
    expect(m.logDensity(theta)).not.toBe(before);
  });
});

describe("hyper-parameter initial values are checked when the model is built", () => {
  const parse = (hyper: string, data = "") =>
    parseModel(`${data}hyper { ${hyper} } parameters { real mu; } model { mu ~ normal(0, 1); }`, families, {
      file: "m.sprig",
    });
  const messageOf = (f: () => unknown): string => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(ModelError);
      return (e as Error).message.split("\n")[0]!;
    }
    throw new Error("expected a ModelError");
  };

  it.each([
    [
      "simplex[3] sh = [0.2, 0.3, 0.4];",
      "m.sprig:1:20: initial value of hyper 'sh': simplex does not sum to 1 — got sum 0.9 for sh = [0.2, 0.3, 0.4], expected |sum − 1| ≤ 1e-8. Hint: divide the values by their sum.",
    ],
    [
      "simplex[4] sh = 0.3;",
      "m.sprig:1:20: initial value of hyper 'sh': simplex does not sum to 1 — got sum 1.2 for sh = [0.3, 0.3, 0.3, 0.3], expected |sum − 1| ≤ 1e-8. Hint: divide the values by their sum.",
    ],
    [
      "ordered[2] c = [1, 1];",
      "m.sprig:1:20: initial value of hyper 'c': ordered vector is not strictly increasing at c[2] — got c[1] = 1, c[2] = 1, expected c[2] > c[1]. Hint: sort the values; ties are not allowed.",
    ],
    [
      "positive_ordered[2] c = [-1, 1];",
      "m.sprig:1:29: initial value of hyper 'c': positive_ordered vector has a non-positive first element c[1] — got -1, expected c[1] > 0.",
    ],
    [
      "real<positive> g = 0;",
      "m.sprig:1:24: initial value of hyper 'g': value is outside the declared support — got 0, expected a value > 0. Hint: <positive> excludes 0; declare <lower=0> to admit it.",
    ],
    [
      "vector<lower=0>[3] g = [1, -1, 2];",
      "m.sprig:1:28: initial value of hyper 'g': value at g[2] is outside the declared support — got -1, expected a value ≥ 0.",
    ],
    [
      "cholesky_factor_corr[1] Lh = 0.5;",
      "m.sprig:1:33: initial value of hyper 'Lh': cholesky_factor_corr row Lh[1, :] does not have unit length — got squared norm 0.25, expected |‖Lh[1, :]‖² − 1| ≤ 1e-8. Hint: each row of the Cholesky factor of a correlation matrix has norm 1 (diag(L Lᵀ) = 1); divide each row by its norm.",
    ],
    [
      "cholesky_factor_corr[2] Lh = 1;",
      "m.sprig:1:33: hyper 'Lh': a cholesky_factor_corr hyper-parameter larger than 1 × 1 cannot have a valid initial value — got cholesky_factor_corr[2], expected cholesky_factor_corr[1]. Hint: a matrix hyper-parameter starts from one number repeated, which is not a Cholesky factor for K ≥ 2; declare 'Lh' as data (cholesky_factor_corr[K] Lh in the data block) and pass its value to compile(), or make it a parameter.",
    ],
  ])("%s", (hyper, message) => {
    expect(messageOf(() => parse(hyper))).toBe(message);
  });

  it("a cholesky_factor_corr hyper of symbolic size is refused too (one number cannot fill K ≥ 2)", () => {
    expect(messageOf(() => parse("cholesky_factor_corr[K] Lh = 1;", "data { int K; } "))).toContain(
      "hyper 'Lh': a cholesky_factor_corr hyper-parameter larger than 1 × 1 cannot have a valid initial value — got cholesky_factor_corr[K]",
    );
    const b = new GraphBuilder("g", families);
    b.data({ name: "K", shape: [], dtype: "int" });
    expect(() => b.hyper({ name: "L", shape: ["K", "K"], support: { kind: "cholesky_corr" }, init: 1 })).toThrow(
      ModelError,
    );
  });

  it("valid initial values at the edges build: 1 × 1 Cholesky factor 1, simplex summing within 1e-8, lower bound itself", () => {
    expect(() =>
      parse(
        "cholesky_factor_corr[1] Lh = 1; simplex[3] sh = [0.1, 0.2, 0.700000005]; vector<lower=0>[2] g = [0, -0]; ordered[1] o = 5;",
      ),
    ).not.toThrow();
  });
});
