import { describe, expect, it } from "vitest";
import { progressPrinter } from "../../../src/inference/mcmc/progress.js";
import { sample } from "../../../src/inference/mcmc/sample.js";
import { diagonalGaussianModel } from "./models.js";

describe("progressPrinter", () => {
  const model = diagonalGaussianModel(new Float64Array([1]));

  it("redraws one status line per update on a TTY", async () => {
    const chunks: string[] = [];
    const onProgress = progressPrinter({ write: (t) => chunks.push(t), isTTY: true }, 2);
    await sample(model, { numChains: 2, numWarmup: 100, numSamples: 100, seed: 1, onProgress });
    expect(chunks.every((c) => c.startsWith("\r"))).toBe(true);
    expect(chunks).toContain("\rchain 2/2 sampling 100/100 ▕████████████████████▏ 0 divergent\n");
    expect(chunks.filter((c) => c.endsWith("\n")).length).toBe(4);
  });

  it("writes one line per finished phase elsewhere", async () => {
    const chunks: string[] = [];
    const onProgress = progressPrinter({ write: (t) => chunks.push(t) }, 1);
    await sample(model, { numChains: 1, numWarmup: 50, numSamples: 60, seed: 1, onProgress });
    // Early warm-up may diverge while dual averaging probes large steps; the count is reported.
    expect(chunks.length).toBe(2);
    expect(chunks[0]).toMatch(/^chain 1\/1 warm-up {2}50\/50 done, \d+ divergent\n$/);
    expect(chunks[1]).toBe("chain 1/1 sampling 60/60 done, 0 divergent\n");
  });
});
