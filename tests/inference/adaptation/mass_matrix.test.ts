import { describe, expect, it } from "vitest";
import { welfordCovariance } from "../../../src/inference/adaptation/mass_matrix.js";
import { createRng } from "../../../src/runtime/rng/index.js";

function draws(n: number, d: number, seed: number): Float64Array[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => {
    const z = Float64Array.from({ length: d }, () => rng.normal());
    // Correlate the coordinates so the dense estimate has off-diagonal structure.
    for (let i = 1; i < d; i++) z[i] = 0.5 * z[i - 1] + z[i] + i;
    return z;
  });
}

/** Two-pass sample covariance (n − 1 denominator), the reference. */
function covariance(xs: Float64Array[], d: number): Float64Array {
  const n = xs.length;
  const mean = new Float64Array(d);
  for (const x of xs) for (let i = 0; i < d; i++) mean[i] += x[i] / n;
  const c = new Float64Array(d * d);
  for (const x of xs) {
    for (let i = 0; i < d; i++)
      for (let j = 0; j < d; j++) c[i * d + j] += ((x[i] - mean[i]) * (x[j] - mean[j])) / (n - 1);
  }
  return c;
}

describe("welfordCovariance", () => {
  const d = 3;
  const xs = draws(60, d, 4);
  const reference = covariance(xs, d);
  const n = xs.length;
  // Stan's regularisation: n/(n + 5)·Σ̂ + 10⁻³·5/(n + 5)·I.
  const regularised = (i: number, j: number) =>
    (n / (n + 5)) * reference[i * d + j] + (i === j ? (1e-3 * 5) / (n + 5) : 0);

  it("matches the two-pass covariance, regularised toward the identity (dense)", () => {
    const w = welfordCovariance("dense", d);
    let s = w.init();
    for (const x of xs) s = w.update(s, x);
    const out = w.final(s);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) expect(out[i * d + j]).toBeCloseTo(regularised(i, j), 12);
    expect(out[1]).toBe(out[d]);
  });

  it("optionally shrinks dense correlations toward zero, keeping the variances", () => {
    const w = welfordCovariance("dense", d, "diagonal");
    let s = w.init();
    for (const x of xs) s = w.update(s, x);
    const out = w.final(s);
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        const expected = i === j ? reference[i * d + i] + (1e-3 * 5) / (n + 5) : (n / (n + 5)) * reference[i * d + j];
        expect(out[i * d + j]).toBeCloseTo(expected, 12);
      }
    }
  });

  it("matches the two-pass variances (diag)", () => {
    const w = welfordCovariance("diag", d);
    let s = w.init();
    for (const x of xs) s = w.update(s, x);
    const out = w.final(s);
    expect(out.length).toBe(d);
    for (let i = 0; i < d; i++) expect(out[i]).toBeCloseTo(regularised(i, i), 12);
  });

  it("needs two draws and has nothing to estimate for the unit metric", () => {
    const w = welfordCovariance("diag", 2);
    expect(() => w.final(w.update(w.init(), new Float64Array([1, 2])))).toThrow(/at least two draws/);
    const u = welfordCovariance("unit", 2);
    expect(u.final(u.init()).length).toBe(0);
  });
});
