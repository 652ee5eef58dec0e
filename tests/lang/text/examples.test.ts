/**
 * Acceptance 1: every builder example has a .sprig twin in examples/models that parses to an
 * identical graph (the serialised IR, with source spans removed since the two front ends point at
 * different files). Also: printing any example graph and parsing the text back gives the graph
 * again, for the builder examples and for every .sprig example.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { diamonds } from "../../../examples/models/diamonds.js";
import { eightSchoolsCentered, eightSchoolsNoncentered } from "../../../examples/models/eight_schools.js";
import { exampleFamilies } from "../../../examples/models/families.js";
import { kidiq } from "../../../examples/models/kidiq.js";
import { logisticRegression } from "../../../examples/models/logistic_regression.js";
import { radonCentered, radonNoncentered } from "../../../examples/models/radon.js";
import { wells } from "../../../examples/models/wells.js";
import { graphToJSON, printModel } from "../../../src/ir/index.js";
import type { ModelGraph } from "../../../src/ir/types.js";
import { parseModel } from "../../../src/lang/text/index.js";
import { REPO_ROOT } from "../../helpers/shared.js";

const MODELS = join(REPO_ROOT, "examples", "models");
const families = exampleFamilies();

/** The graph as JSON without source spans (the builder points into .ts files, the parser into .sprig). */
function withoutSpans(graph: ModelGraph): string {
  return JSON.stringify(JSON.parse(graphToJSON(graph)), (key, value) => (key === "span" ? undefined : value));
}

function readModel(file: string): string {
  return readFileSync(join(MODELS, file), "utf8");
}

const TWINS: readonly [string, ModelGraph][] = [
  ["eight_schools_centered.sprig", eightSchoolsCentered],
  ["eight_schools_noncentered.sprig", eightSchoolsNoncentered],
  ["kidiq_momhsiq.sprig", kidiq],
  ["radon_variable_intercept_centered.sprig", radonCentered],
  ["radon_variable_intercept_noncentered.sprig", radonNoncentered],
  ["wells_dae_c.sprig", wells],
  ["logistic_regression.sprig", logisticRegression],
  ["diamonds.sprig", diamonds],
];

describe("the .sprig version of each builder example gives the identical IR", () => {
  for (const [file, graph] of TWINS) {
    it(`${file} = ${graph.name} (builder)`, () => {
      const parsed = parseModel(readModel(file), families, { file, name: graph.name });
      expect(withoutSpans(parsed)).toBe(withoutSpans(graph));
    });
  }

  it("the parsed graph keeps spans pointing into the model text", () => {
    const parsed = parseModel(readModel("eight_schools_centered.sprig"), families, {
      file: "eight_schools_centered.sprig",
    });
    const tau = parsed.nodes.find((n) => n.name === "tau")!;
    expect(tau.span).toMatchObject({ file: "eight_schools_centered.sprig", line: 17 });
  });
});

describe("parse(print(graph)) = graph", () => {
  for (const [, graph] of TWINS) {
    it(`builder example ${graph.name}`, () => {
      expect(withoutSpans(parseModel(printModel(graph), families))).toBe(withoutSpans(graph));
    });
  }

  // Models that need their data at parse time (loops that are unrolled, conditions on data).
  const needsData: Record<string, Record<string, unknown>> = {
    "nes.sprig": syntheticNes(),
    "arK.sprig": { K: 2, T: 6, y: [0.1, -0.3, 0.5, 0.2, -0.1, 0.4] },
    "arma11.sprig": { T: 5, y: [0.5, -0.2, 0.1, 0.3, -0.4] },
    "garch11.sprig": { T: 4, y: [0.5, -0.2, 0.1, 0.3], sigma1: 1 },
  };
  for (const file of readdirSync(MODELS).filter((f) => f.endsWith(".sprig"))) {
    it(`examples/models/${file}`, () => {
      const graph = parseModel(readModel(file), families, {
        file,
        ...(needsData[file] ? { data: needsData[file] } : {}),
      });
      const printed = printModel(graph);
      expect(withoutSpans(parseModel(printed, families))).toBe(withoutSpans(graph));
      // The printer's header names the model, so the name survives the round trip.
      expect(parseModel(printed, families).name).toBe(graph.name);
    });
  }
});

function syntheticNes(): Record<string, unknown> {
  const N = 6;
  const v = (k: number) => Array.from({ length: N }, (_, i) => ((i + 1) * (k + 3)) % 7);
  return {
    N,
    partyid7: v(1),
    real_ideo: v(2),
    race_adj: v(3),
    educ1: v(4),
    gender: v(5),
    income: v(6),
    age_discrete: [1, 2, 3, 4, 2, 1],
  };
}
