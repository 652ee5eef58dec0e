import { describe, expect, it } from "vitest";
import { eightSchoolsData, eightSchoolsNoncentered } from "../../../examples/models/eight_schools.js";
import { exampleFamilies } from "../../../examples/models/families.js";
import { radonNoncentered, syntheticRadonData } from "../../../examples/models/radon.js";
import { DataError, ModelError, ShapeError } from "../../../src/core/errors.js";
import { compile } from "../../../src/inference/model/index.js";
import { model, normal, uniform } from "../../../src/lang/builder/index.js";
import { CsrOperator } from "../../../src/runtime/operators/index.js";
import { createRng } from "../../../src/runtime/rng/index.js";

/**
 * Mistakes caught when data are bound and the model is compiled, each asserted in the DESIGN.md
 * message format; DataErrors name the field, the expected shape and what was given.
 */
const families = exampleFamilies();
const radon = syntheticRadonData(createRng(1), 3, 8);

describe("data errors name the field, the expected shape and what was given", () => {
  it("missing field", () => {
    const { y: _y, ...rest } = eightSchoolsData;
    expect(() => compile(eightSchoolsNoncentered, rest, families)).toThrow(DataError);
    expect(() => compile(eightSchoolsNoncentered, rest, families)).toThrow(
      "data 'y': missing field — expected vector[8] (vector[J] with J = 8) of reals. Hint: add 'y' to the data passed to compile().",
    );
  });

  it("wrong length", () => {
    expect(() => compile(eightSchoolsNoncentered, { ...eightSchoolsData, y: [1, 2, 3, 4, 5, 6, 7] }, families)).toThrow(
      "data 'y': wrong length — got vector[7], expected vector[8] (vector[J] with J = 8) of reals.",
    );
  });

  it("non-finite value", () => {
    expect(() =>
      compile(eightSchoolsNoncentered, { ...eightSchoolsData, y: [1, 2, Number.NaN, 4, 5, 6, 7, 8] }, families),
    ).toThrow(
      "data 'y': non-finite value at y[3] — got NaN, expected finite numbers. Hint: remove or impute missing values before binding.",
    );
  });

  it("reals given for integer data", () => {
    expect(() => compile(eightSchoolsNoncentered, { ...eightSchoolsData, J: 8.5 }, families)).toThrow(
      "data 'J': non-integer value — got 8.5, expected integers (declared int). Hint: round the data, or declare it real.",
    );
  });

  it("a value outside the declared bounds", () => {
    const sigma = [...eightSchoolsData.sigma];
    sigma[3] = -2;
    expect(() => compile(eightSchoolsNoncentered, { ...eightSchoolsData, sigma }, families)).toThrow(
      "data 'sigma': value at sigma[4] is outside the declared support — got -2, expected a value ≥ 0.",
    );
  });

  it("a number where a vector is expected, and an array where a number is", () => {
    expect(() => compile(eightSchoolsNoncentered, { ...eightSchoolsData, y: 3 }, families)).toThrow(
      "data 'y': wrong type — got the number 3, expected vector[8] (vector[J] with J = 8) of reals.",
    );
    expect(() => compile(eightSchoolsNoncentered, { ...eightSchoolsData, J: [8] }, families)).toThrow(
      "data 'J': wrong shape — got vector[1], expected an integer ≥ 0. Hint: pass the number itself, not a one-element array.",
    );
  });

  it("a gather index out of range", () => {
    const county = [...radon.county_idx];
    county[5] = 4;
    expect(() => compile(radonNoncentered, { ...radon, county_idx: county }, families)).toThrow(
      "data 'county_idx': index out of range at element 5 — got 4, expected 1..3 (1-based positions in a vector[3]).",
    );
  });

  it("a 0 in 1-based index data", () => {
    const county = [...radon.county_idx];
    county[2] = 0;
    expect(() => compile(radonNoncentered, { ...radon, county_idx: county }, families)).toThrow(
      "data 'county_idx': value at county_idx[3] is outside the declared support — got 0, expected an integer ≥ 1.",
    );
  });

  it("matrix data: ragged rows and operators of the wrong size", () => {
    const lr = model(
      "lr",
      ({ data, param, observe }) => {
        const N = data.int("N");
        const D = data.int("D");
        observe(
          data.vector("y", N),
          normal({
            loc: data.matrix("X", N, D).matvec(param("b", normal({ loc: 0, scale: 1 }), { size: D })),
            scale: 1,
          }),
        );
      },
      { families },
    );
    expect(() => compile(lr, { N: 2, D: 2, y: [1, 2], X: [[1, 2], [3]] }, families)).toThrow(
      "data 'X': row 2 has the wrong length — got 1 columns, expected matrix[2, 2] (matrix[N, D] with N = 2, D = 2) (array of rows, row-major Float64Array or LinearOperator).",
    );
    const X = new CsrOperator(3, 2, [0, 1, 2, 2], [0, 1], [1, 1]);
    expect(() => compile(lr, { N: 2, D: 2, y: [1, 2], X }, families)).toThrow(
      "data 'X': operator has the wrong size — got csr 3 × 2, expected matrix[2, 2]",
    );
  });

  it("an unknown hyper-parameter in the options", () => {
    expect(() => compile(eightSchoolsNoncentered, eightSchoolsData, families, { hyper: { gamma: 1 } })).toThrow(
      "hyper 'gamma': no such hyper-parameter in the model — expected none (the model declares no hyper-parameters).",
    );
  });
});

describe("compile-time model errors", () => {
  it("a support that depends on computed arguments", () => {
    const m = model(
      "u",
      ({ param }) => {
        const a = param("a", normal({ loc: 0, scale: 1 }));
        param("x", uniform({ lower: a, upper: 2 }));
      },
      { families },
    );
    expect(() => compile(m, {}, families)).toThrow(ModelError);
    expect(() => compile(m, {}, families)).toThrow(
      /latent 'x': the support of uniform\(\) depends on arguments that are not literals\. Hint: declare the bounds on the parameter \(e\.g\. \{ lower: 0, upper: 1 \}\), as Stan requires\.$/,
    );
  });

  it("a family missing from the registry passed to compile", () => {
    expect(() =>
      compile(eightSchoolsNoncentered, eightSchoolsData, { has: () => false, get: () => undefined as never }),
    ).toThrow(
      "'theta_trans' ~ normal(): family 'normal' is not in the registry passed to compile(). Hint: compile with the registry the model was built with, or register the family.",
    );
  });
});

describe("run-time argument errors", () => {
  const m = compile(eightSchoolsNoncentered, eightSchoolsData, families);

  it("θ of the wrong length", () => {
    expect(() => m.logDensity(new Float64Array(3))).toThrow(ShapeError);
    expect(() => m.logDensity(new Float64Array(3))).toThrow(
      "eight_schools_noncentered.logDensity: θ has the wrong length — got 3, expected a Float64Array of length 10.",
    );
  });

  it("unconstrain with a missing or out-of-support value", () => {
    expect(() => m.unconstrain({ theta_trans: new Float64Array(8), mu: 0 })).toThrow(
      "unconstrain: latent 'tau': missing value — expected a number.",
    );
    expect(() => m.unconstrain({ theta_trans: new Float64Array(8), mu: 0, tau: -1 })).toThrow(
      "unconstrain: latent 'tau': value outside the support at element 0 — got -1, expected greater than 0.",
    );
    expect(() => m.unconstrain({ theta_trans: [1, 2], mu: 0, tau: 1 })).toThrow(
      "unconstrain: latent 'theta_trans': wrong shape — got 2 values, expected vector[8] (8 numbers).",
    );
  });
});
