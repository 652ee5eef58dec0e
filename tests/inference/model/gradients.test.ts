import { describe, it } from "vitest";
import {
  eightSchoolsCentered,
  eightSchoolsData,
  eightSchoolsNoncentered,
} from "../../../examples/models/eight_schools.js";
import { exampleFamilies } from "../../../examples/models/families.js";
import { kidiq } from "../../../examples/models/kidiq.js";
import { logisticRegression, syntheticLogisticData } from "../../../examples/models/logistic_regression.js";
import { radonCentered, radonNoncentered, syntheticRadonData } from "../../../examples/models/radon.js";
import { wells } from "../../../examples/models/wells.js";
import type { Rng } from "../../../src/core/rng.js";
import { compile, type ModelData } from "../../../src/inference/model/index.js";
import type { ModelGraph } from "../../../src/ir/index.js";
import { createRng } from "../../../src/runtime/rng/index.js";
import { expectGradientMatches } from "./finite_differences.js";

/** Small synthetic data sets shaped like the real ones (the gradient does not depend on realism). */
function kidiqData(rng: Rng): ModelData {
  const N = 40;
  const momHs = Array.from({ length: N }, () => (rng.uniform() < 0.7 ? 1 : 0));
  const momIq = Array.from({ length: N }, () => 100 + 15 * rng.normal());
  return {
    N,
    mom_hs: momHs,
    mom_iq: momIq,
    kid_score: momIq.map((iq, i) => Math.min(200, Math.max(0, 26 + 6 * momHs[i]! + 0.6 * iq + 18 * rng.normal()))),
  };
}

function wellsData(rng: Rng): ModelData {
  const N = 60;
  return {
    N,
    switched: Array.from({ length: N }, () => (rng.uniform() < 0.6 ? 1 : 0)),
    dist: Array.from({ length: N }, () => 100 * rng.uniform()),
    arsenic: Array.from({ length: N }, () => 0.5 + 3 * rng.uniform()),
    educ: Array.from({ length: N }, () => Math.floor(12 * rng.uniform())),
  };
}

const rng = createRng(2024);
const EXAMPLES: { name: string; graph: ModelGraph; data: ModelData }[] = [
  { name: "eight schools, centred", graph: eightSchoolsCentered, data: eightSchoolsData },
  { name: "eight schools, non-centred", graph: eightSchoolsNoncentered, data: eightSchoolsData },
  { name: "kidiq linear regression", graph: kidiq, data: kidiqData(rng) },
  { name: "wells logistic regression (transformed data)", graph: wells, data: wellsData(rng) },
  { name: "radon varying intercept, non-centred", graph: radonNoncentered, data: syntheticRadonData(rng, 6, 40) },
  {
    name: "radon varying intercept, centred (declared bounds)",
    graph: radonCentered,
    data: syntheticRadonData(rng, 6, 40),
  },
  {
    name: "logistic regression with a dense design matrix",
    graph: logisticRegression,
    data: syntheticLogisticData(rng, 30, 4),
  },
];

describe("logDensityAndGrad of every example against central differences at 20 random points", () => {
  const families = exampleFamilies();
  for (const { name, graph, data } of EXAMPLES) {
    it(name, () => {
      const model = compile(graph, data, families);
      const points = createRng(7);
      for (let p = 0; p < 20; p++) {
        const theta = new Float64Array(model.dimension);
        for (let i = 0; i < theta.length; i++) theta[i] = points.normal();
        expectGradientMatches(model, theta);
      }
    });
  }
});
