import { describe, expect, it } from "vitest";
import { eightSchoolsCentered, eightSchoolsNoncentered } from "../../examples/models/eight_schools.js";
import { exampleFamilies } from "../../examples/models/families.js";
import { kidiq } from "../../examples/models/kidiq.js";
import { logisticRegression } from "../../examples/models/logistic_regression.js";
import { radonCentered, radonNoncentered } from "../../examples/models/radon.js";
import { wells } from "../../examples/models/wells.js";
import { ModelError, ShapeError } from "../../src/core/errors.js";
import { graphFromJSON, graphToJSON, printModel } from "../../src/ir/index.js";

const families = exampleFamilies();
const EXAMPLES = [
  eightSchoolsCentered,
  eightSchoolsNoncentered,
  kidiq,
  wells,
  radonCentered,
  radonNoncentered,
  logisticRegression,
];

describe("graph JSON", () => {
  for (const graph of EXAMPLES) {
    it(`round-trips ${graph.name}`, () => {
      const text = graphToJSON(graph, 2);
      const again = graphFromJSON(text, families);
      expect(again).toEqual(graph);
      expect(graphToJSON(again, 2)).toBe(text);
      expect(printModel(again)).toBe(printModel(graph));
      expect(Object.isFrozen(again.nodes[0])).toBe(true);
    });
  }

  it("validates what it loads like the builder does", () => {
    const plain = JSON.parse(graphToJSON(eightSchoolsNoncentered));
    const observed = plain.nodes.find((n: { kind: string }) => n.kind === "observed");
    observed.args.loc = { kind: "ref", name: "thta", shape: ["J"], dtype: "real" };
    expect(() => graphFromJSON(plain, families)).toThrow(
      "normal() argument 'loc': unknown name 'thta'. Hint: did you mean 'theta'?",
    );

    const reshaped = JSON.parse(graphToJSON(eightSchoolsNoncentered));
    reshaped.nodes.find((n: { name: string }) => n.name === "mu").shape = [2, 2];
    expect(() => graphFromJSON(reshaped, families)).toThrow(ShapeError);
  });

  it("rejects text that is not a graph", () => {
    expect(() => graphFromJSON("{", families)).toThrow(ModelError);
    expect(() => graphFromJSON({ version: 2, name: "m", nodes: [] }, families)).toThrow(
      "graphFromJSON(): unsupported graph version — got 2, expected 1.",
    );
    expect(() => graphFromJSON({ version: 1, name: "m", nodes: [{ kind: "mystery", name: "x" }] }, families)).toThrow(
      "model 'm': unknown node kind — got 'mystery', expected data, hyper, latent, observed, deterministic or factor.",
    );
  });
});
