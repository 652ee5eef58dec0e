import { describe, expect, it } from "vitest";
import { printCommand } from "../../src/cli/print.js";
import { EXIT_OK } from "../../src/cli/shared.js";
import { createDefaultRegistry, graphFromJSON, graphToJSON, parseModel } from "../../src/index.js";
import { describeShared } from "../helpers/shared.js";
import { dataPath, exampleModels, modelPath, NEEDS_DATA, POSTERIORDB } from "./examples.js";
import { memoryIo } from "./memory_io.js";

const registry = createDefaultRegistry();

/** A graph's JSON without source spans, which differ between a file and its printed form. */
function withoutSpans(json: string): unknown {
  return JSON.parse(json, (key, value) => (key === "span" ? undefined : value));
}

/** Prints a model both ways and checks that each form reads back to the graph it came from. */
async function roundTrip(name: string, data?: string): Promise<void> {
  const extra = data === undefined ? [] : ["--data", data];
  const text = memoryIo();
  expect(await printCommand([modelPath(name), ...extra], text)).toBe(EXIT_OK);
  const json = memoryIo();
  expect(await printCommand([modelPath(name), "--json", ...extra], json)).toBe(EXIT_OK);
  const original = withoutSpans(graphToJSON(graphFromJSON(json.out(), registry)));
  expect(text.out()).toMatch(new RegExp(`^// sprig model: ${name}\\n`));
  // The canonical text parses back to the same graph (and needs no data: loops are unrolled).
  expect(withoutSpans(graphToJSON(parseModel(text.out(), registry)))).toEqual(original);
  expect(JSON.parse(json.out()).name).toBe(name);
}

describe("sprig print", () => {
  for (const name of exampleModels().filter((n) => !NEEDS_DATA.has(n))) {
    it(`${name}: canonical text and IR JSON describe the same graph`, async () => {
      await roundTrip(name);
    });
  }

  it("names every argument in the canonical text", async () => {
    const io = memoryIo();
    expect(await printCommand([modelPath("kidiq_momhsiq")], io)).toBe(EXIT_OK);
    expect(io.out()).toContain("sigma ~ half_cauchy(scale=2.5);");
    expect(io.out()).toContain("beta ~ flat();");
  });
});

describeShared("sprig print with data", ["posteriordb"], () => {
  for (const name of [...NEEDS_DATA]) {
    it(`${name}: lowered with its data`, async () => {
      await roundTrip(name, dataPath(POSTERIORDB[name]!));
    });
  }
});
