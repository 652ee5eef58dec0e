import { describe, expect, it } from "vitest";
import { autocovariance } from "../../../src/inference/diagnostics/autocovariance.js";
import { createRng } from "../../../src/runtime/rng/index.js";

function direct(x: Float64Array): Float64Array {
  const n = x.length;
  const mean = x.reduce((s, v) => s + v, 0) / n;
  const out = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    let s = 0;
    for (let i = 0; i + t < n; i++) s += (x[i] - mean) * (x[i + t] - mean);
    out[t] = s / n;
  }
  return out;
}

describe("autocovariance", () => {
  it.each([1, 2, 3, 7, 64, 100, 1023])("matches the direct O(n²) sum for n = %i", (n) => {
    const rng = createRng(n);
    const x = Float64Array.from({ length: n }, () => 3 + rng.normal());
    const fast = autocovariance(x);
    const slow = direct(x);
    for (let t = 0; t < n; t++) expect(fast[t]).toBeCloseTo(slow[t], 12);
  });

  it("works on a sub-range of a buffer", () => {
    const x = new Float64Array([9, 1, 2, 3, 4, 9]);
    expect(Array.from(autocovariance(x, 1, 4))).toEqual(
      Array.from(direct(new Float64Array([1, 2, 3, 4]))).map((v) => expect.closeTo(v, 14)),
    );
  });
});
