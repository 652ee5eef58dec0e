import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runNutsDiagnostics } from "../../examples/plots/nuts_diagnostics.js";
import { parseXml } from "./xml.js";

describe("plots examples at tiny size", () => {
  const dir = mkdtempSync(join(tmpdir(), "sprig-plots-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("nuts_diagnostics samples eight schools and writes five well-formed figures", async () => {
    const lines: string[] = [];
    const { files, divergences } = await runNutsDiagnostics({
      numChains: 2,
      numWarmup: 150,
      numSamples: 100,
      seed: 3,
      outDir: dir,
      log: (l) => lines.push(l),
    });
    expect(files.map((f) => basename(f))).toEqual(["trace.svg", "rank.svg", "pair.svg", "energy.svg", "forest.svg"]);
    for (const f of files) expect(parseXml(readFileSync(f, "utf8")).name).toBe("svg");
    expect(divergences).toBeGreaterThanOrEqual(0);
    expect(lines[0]).toMatch(/eight schools \(centred\): 2 chains × 100 draws, \d+ divergent/);
  });
});
