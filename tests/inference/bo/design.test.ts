import { describe, expect, it } from "vitest";
import { latinHypercube, uniformPoints } from "../../../src/inference/bo/design.js";
import { createRng } from "../../../src/runtime/rng/index.js";

describe("space-filling designs", () => {
  it("a Latin hypercube puts exactly one point in each of the n strata of every dimension", () => {
    for (const [n, d] of [
      [10, 2],
      [37, 5],
    ]) {
      const design = latinHypercube(createRng(n), n, d);
      for (let j = 0; j < d; j++) {
        const strata = new Set<number>();
        for (let i = 0; i < n; i++) {
          const v = design[i * d + j];
          expect(v).toBeGreaterThanOrEqual(0);
          expect(v).toBeLessThan(1);
          strata.add(Math.floor(v * n));
        }
        expect(strata.size).toBe(n);
      }
    }
  });

  it("is reproducible from the seed and differs between seeds", () => {
    expect(Array.from(latinHypercube(createRng(3), 8, 3))).toEqual(Array.from(latinHypercube(createRng(3), 8, 3)));
    expect(Array.from(latinHypercube(createRng(3), 8, 3))).not.toEqual(Array.from(latinHypercube(createRng(4), 8, 3)));
  });

  it("uniform points fill only the requested rows, inside (0, 1)", () => {
    const out = new Float64Array(10).fill(-1);
    uniformPoints(createRng(5), 3, 2, out, 1);
    expect(Array.from(out.subarray(0, 2))).toEqual([-1, -1]);
    for (const v of out.subarray(2, 8)) expect(v > 0 && v < 1).toBe(true);
    expect(Array.from(out.subarray(8))).toEqual([-1, -1]);
  });
});
