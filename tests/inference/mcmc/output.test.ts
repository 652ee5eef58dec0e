import { beforeAll, describe, expect, it } from "vitest";
import { DataError } from "../../../src/core/errors.js";
import {
  extractDraws,
  type InferenceDataJson,
  toInferenceData,
  toStanCsv,
} from "../../../src/inference/mcmc/output.js";
import { type McmcResult, sample } from "../../../src/inference/mcmc/sample.js";
import { identityModel, realLayout } from "./models.js";

// mu (scalar) and L (2 × 3, row-major), all independent standard normals.
const layout = realLayout([
  { name: "mu", shape: [] },
  { name: "L", shape: [2, 3] },
]);
const model = identityModel(layout, (theta, grad) => {
  let lp = 0;
  for (let i = 0; i < theta.length; i++) {
    grad[i] = -theta[i];
    lp -= 0.5 * theta[i] * theta[i];
  }
  return lp;
});

describe("Stan CSV export", () => {
  let result: McmcResult;
  let csv: string;
  let lines: string[];
  let header: string;
  let rows: string[];
  beforeAll(async () => {
    result = await sample(model, { numChains: 2, numWarmup: 100, numSamples: 20, seed: 4, metric: "dense" });
    csv = toStanCsv(result, 1);
    lines = csv.trimEnd().split("\n");
    header = lines.find((l) => !l.startsWith("#")) ?? "";
    rows = lines.filter((l) => !l.startsWith("#") && l !== header);
  });

  it("names elements Stan's way, column-major after the sampler columns", () => {
    expect(header.split(",")).toEqual([
      "lp__",
      "accept_stat__",
      "stepsize__",
      "treedepth__",
      "n_leapfrog__",
      "divergent__",
      "energy__",
      "mu",
      "L.1.1",
      "L.2.1",
      "L.1.2",
      "L.2.2",
      "L.1.3",
      "L.2.3",
    ]);
  });

  it("writes every draw at full precision, mapped to the right column", () => {
    expect(rows.length).toBe(20);
    const chain = result.chains[1];
    const cols = header.split(",");
    rows.forEach((row, i) => {
      const cells = row.split(",").map(Number);
      expect(cells[0]).toBe(chain.stats.logDensity[i]);
      expect(cells[5]).toBe(chain.stats.isDivergent[i]);
      // L.2.1 is row 2, column 1: row-major offset 1 + (1·3 + 0).
      expect(cells[cols.indexOf("L.2.1")]).toBe(chain.draws[i * 7 + 1 + 3]);
      expect(cells[cols.indexOf("L.1.3")]).toBe(chain.draws[i * 7 + 1 + 2]);
      expect(cells[cols.indexOf("mu")]).toBe(chain.draws[i * 7]);
    });
  });

  it("records the configuration, adaptation and timing as comments", () => {
    expect(csv).toContain("# method = sample (Default)");
    expect(csv).toContain("#     num_samples = 20");
    expect(csv).toContain("#         metric = dense_e");
    expect(csv).toContain("#             max_depth = 10");
    expect(csv).toContain(`# Step size = ${result.chains[1].stepSize}`);
    const matrixStart = lines.indexOf("# Elements of inverse mass matrix:");
    expect(matrixStart).toBeGreaterThan(0);
    expect(lines[matrixStart + 1].split(",").length).toBe(7);
    expect(lines.some((l) => l.includes("seconds (Total)"))).toBe(true);
  });

  it("rounds to the requested significant digits and rejects unknown chains", () => {
    const short = toStanCsv(result, 0, { significantDigits: 3 });
    const firstRow = short.split("\n").filter((l) => !l.startsWith("#"))[1];
    for (const cell of firstRow.split(",")) expect(Number(cell)).toBe(Number(Number(cell).toPrecision(3)));
    expect(firstRow).not.toBe(
      toStanCsv(result, 0)
        .split("\n")
        .filter((l) => !l.startsWith("#"))[1],
    );
    expect(() => toStanCsv(result, 5)).toThrow(DataError);
  });
});

describe("InferenceData JSON export", () => {
  let result: McmcResult;
  let idata: InferenceDataJson;
  beforeAll(async () => {
    result = await sample(model, { numChains: 3, numWarmup: 50, numSamples: 10, seed: 5 });
    idata = toInferenceData(result);
  });

  it("nests variables as [chain][draw][...shape]", () => {
    const L = idata.posterior.L as number[][][][];
    expect(L.length).toBe(3);
    expect(L[0].length).toBe(10);
    expect(L[0][0].length).toBe(2);
    expect(L[0][0][0].length).toBe(3);
    expect(L[2][4][1][2]).toBe(result.chains[2].draws[4 * 7 + 1 + 5]);
    const mu = idata.posterior.mu as number[][];
    expect(mu[1][9]).toBe(result.chains[1].draws[9 * 7]);
  });

  it("uses ArviZ's sample_stats names and survives JSON", () => {
    expect(Object.keys(idata.sample_stats).sort()).toEqual(
      ["acceptance_rate", "diverging", "energy", "lp", "n_steps", "step_size", "tree_depth"].sort(),
    );
    const roundTrip = JSON.parse(JSON.stringify(idata));
    expect(roundTrip.sample_stats.diverging[0][0]).toBe(false);
    expect(roundTrip.attrs.inference_library).toBe("sprig");
  });
});

describe("extractDraws", () => {
  let result: McmcResult;
  beforeAll(async () => {
    result = await sample(model, { numChains: 2, numWarmup: 20, numSamples: 5, seed: 6 });
  });
  it("returns one array per chain for a name or an index, and explains unknown names", () => {
    const byName = extractDraws(result, "L[2,1]");
    const byIndex = extractDraws(result, 4);
    expect(byName.length).toBe(2);
    expect(Array.from(byName[1])).toEqual(Array.from(byIndex[1]));
    expect(byName[0][3]).toBe(result.chains[0].draws[3 * 7 + 4]);
    expect(() => extractDraws(result, "nope")).toThrow(
      /extractDraws: no such column in the draws — got 'nope', expected one of mu, L\[1,1\]/,
    );
  });
});
