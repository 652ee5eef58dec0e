import { describe, expect, it } from "vitest";
import { progressBar, sample } from "../../../src/inference/mcmc/index.js";
import { diagonalGaussianModel } from "./models.js";

describe("progressBar", () => {
  const run = { numChains: 2, numWarmup: 10, numSamples: 10 };

  it("redraws one line for all chains on a TTY, only when it changes, ending with a newline", () => {
    const chunks: string[] = [];
    const show = progressBar({ write: (t) => chunks.push(t), isTTY: true }, run);
    show({ chain: 0, phase: "warmup", iteration: 5, numIterations: 10, numDivergent: 3 });
    show({ chain: 0, phase: "warmup", iteration: 5, numIterations: 10, numDivergent: 3 });
    show({ chain: 1, phase: "warmup", iteration: 10, numIterations: 10, numDivergent: 0 });
    show({ chain: 0, phase: "warmup", iteration: 10, numIterations: 10, numDivergent: 3 });
    show({ chain: 1, phase: "sampling", iteration: 10, numIterations: 10, numDivergent: 1 });
    show({ chain: 0, phase: "sampling", iteration: 10, numIterations: 10, numDivergent: 0 });
    expect(chunks).toEqual([
      "\r▕██░░░░░░░░░░░░░░░░░░▏  12%  warm-up 1 · sampling 0 · done 0 · 0 divergent",
      "\r▕███████░░░░░░░░░░░░░▏  37%  warm-up 1 · sampling 1 · done 0 · 0 divergent",
      "\r▕██████████░░░░░░░░░░▏  50%  warm-up 0 · sampling 2 · done 0 · 0 divergent",
      "\r▕███████████████░░░░░▏  75%  warm-up 0 · sampling 1 · done 1 · 1 divergent",
      "\r▕████████████████████▏ 100%  warm-up 0 · sampling 0 · done 2 · 1 divergent\n",
    ]);
  });

  it("writes one line per finished chain phase elsewhere, and is what progress: sink uses", async () => {
    const chunks: string[] = [];
    await sample(diagonalGaussianModel(new Float64Array([1])), {
      ...run,
      numWarmup: 20,
      seed: 1,
      progress: { write: (t) => chunks.push(t) },
    });
    expect(chunks.length).toBe(4);
    expect(chunks[3]).toMatch(/^chain 2\/2 sampling 10\/10 done, \d+ divergent\n$/);
  });
});
