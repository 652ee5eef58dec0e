import { describe, expect, it } from "vitest";
import { recoveryScores } from "../../../src/inference/em/index.js";

describe("recoveryScores", () => {
  it("computes NMSE and the support F1/SRR with the 1e-3 · max|x̂| threshold", () => {
    // Truth support {0, 2}; estimate support {0, 1} (x̂[3] = 1e-4 is below 1e-3 · 2).
    const x = [1, 0, 2, 0];
    const xhat = [2, 0.5, 0, 1e-4];
    const { nmse, f1, srr } = recoveryScores(xhat, x);
    expect(nmse).toBeCloseTo((1 + 0.25 + 4 + 1e-8) / 5, 12);
    expect(f1).toBeCloseTo(0.5, 12); // 2·1 / (2 + 2)
    expect(srr).toBeCloseTo(1 / 3, 12); // 1 / |{0, 1, 2}|
  });

  it("gives an empty estimated support for an all-zero estimate", () => {
    expect(recoveryScores([0, 0], [1, 0])).toEqual({ nmse: 1, f1: 0, srr: 0 });
  });
});
