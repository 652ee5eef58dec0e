/**
 * Every ```sprig example of docs/language.md parses (with the registry of the examples, which adds
 * `flat`); examples preceded by `<!-- data: {...} -->` are parsed with that data and compiled, and
 * their log density at the origin of θ is finite or −∞ (never NaN).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { exampleFamilies } from "../../../examples/models/families.js";
import { compile } from "../../../src/inference/model/index.js";
import { parseModel } from "../../../src/lang/text/index.js";
import { REPO_ROOT } from "../../helpers/shared.js";

const page = readFileSync(join(REPO_ROOT, "docs", "language.md"), "utf8");
const EXAMPLE = /(?:<!-- data: (.*?) -->\n)?```sprig\n([\s\S]*?)```/g;
const examples = [...page.matchAll(EXAMPLE)].map((m) => ({
  line: page.slice(0, m.index).split("\n").length,
  data: m[1] !== undefined ? (JSON.parse(m[1]) as Record<string, unknown>) : undefined,
  text: m[2]!,
}));

describe("docs/language.md examples", () => {
  it("has examples", () => {
    expect(examples.length).toBeGreaterThanOrEqual(12);
  });
  const families = exampleFamilies();
  for (const ex of examples) {
    it(`example at line ${ex.line}`, () => {
      const graph = parseModel(ex.text, families, {
        file: `language.md:${ex.line}`,
        ...(ex.data ? { data: ex.data } : {}),
      });
      expect(graph.nodes.length).toBeGreaterThan(0);
      if (ex.data) {
        const model = compile(graph, ex.data as never, families);
        expect(Number.isNaN(model.logDensity(new Float64Array(model.dimension)))).toBe(false);
      }
    });
  }
});
