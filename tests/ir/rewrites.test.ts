import { describe, expect, it } from "vitest";
import { eightSchoolsData, eightSchoolsNoncentered } from "../../examples/models/eight_schools.js";
import { exampleFamilies } from "../../examples/models/families.js";
import { compile } from "../../src/inference/model/index.js";
import { condition, fix, printModel, substitute } from "../../src/ir/index.js";
import { halfCauchy as halfCauchyFamily, normal as normalFamily } from "../../src/runtime/dists/index.js";

const families = exampleFamilies();
const theta = Float64Array.of(0.1, -0.2, 0.3, 0.4, -0.5, 0.6, 0.7, -0.8, 1.5, 0.4);

describe("rewrites", () => {
  it("condition turns a latent into observed data and keeps its density term", () => {
    const g = condition(eightSchoolsNoncentered, "mu", families);
    expect(g.nodes.filter((n) => n.name === "mu").map((n) => n.kind)).toEqual(["data", "observed"]);
    expect(printModel(g)).toContain("mu ~ normal(loc=0, scale=5);");
    const full = compile(eightSchoolsNoncentered, eightSchoolsData, families);
    const conditioned = compile(g, { ...eightSchoolsData, mu: 1.5 }, families);
    expect(conditioned.dimension).toBe(9);
    const rest = Float64Array.of(...theta.slice(0, 8), theta[9]!);
    expect(conditioned.logDensity(rest)).toBeCloseTo(full.logDensity(theta), 12);
    expect(() => compile(g, eightSchoolsData, families)).toThrow("data 'mu': missing field — expected a real number.");
  });

  it("fix embeds the value and keeps the density term", () => {
    const g = fix(eightSchoolsNoncentered, "mu", 1.5, families);
    const full = compile(eightSchoolsNoncentered, eightSchoolsData, families);
    const fixed = compile(g, eightSchoolsData, families);
    expect(printModel(g)).toContain("real mu = 1.5;");
    expect(fixed.logDensity(Float64Array.of(...theta.slice(0, 8), theta[9]!))).toBeCloseTo(full.logDensity(theta), 12);
  });

  it("substitute replaces a latent by a constant and drops its density term", () => {
    const g = substitute(eightSchoolsNoncentered, "tau", 2, families);
    expect(g.nodes.some((n) => n.name === "tau")).toBe(false);
    expect(printModel(g)).toContain("vector[J] theta = theta_trans * 2 + mu;");
    const full = compile(eightSchoolsNoncentered, eightSchoolsData, families);
    const sub = compile(g, eightSchoolsData, families);
    const at = Float64Array.of(...theta.slice(0, 9), Math.log(2));
    // The full density at tau = 2 minus tau's prior term and its log-Jacobian log(2).
    const expected = full.logDensity(at) - halfCauchyFamily.logDensity(2, { scale: 5 }) - Math.log(2);
    expect(sub.logDensity(theta.slice(0, 9))).toBeCloseTo(expected, 12);
    expect(normalFamily.family).toBe("normal");
  });

  it("refuses names of the wrong kind and leaves the input untouched", () => {
    expect(() => condition(eightSchoolsNoncentered, "y", families)).toThrow(
      "condition(): 'y' is a data node — expected latent.",
    );
    expect(() => substitute(eightSchoolsNoncentered, "nope", 1, families)).toThrow(
      "substitute(): no node named 'nope' — expected latent or hyper.",
    );
    expect(eightSchoolsNoncentered.nodes.find((n) => n.name === "mu")?.kind).toBe("latent");
  });
});
