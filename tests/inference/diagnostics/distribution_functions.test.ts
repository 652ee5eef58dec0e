import { describe, expect, it } from "vitest";
import {
  betaQuantile,
  incompleteBeta,
  normalQuantile,
} from "../../../src/inference/diagnostics/distribution_functions.js";
import { normalCdf } from "../../../src/runtime/special.js";

describe("normal distribution functions", () => {
  it("normalQuantile inverts normalCdf to ~1e-14, including far tails", () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 13);
    expect(normalQuantile(0.05)).toBeCloseTo(-1.6448536269514722, 13);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 12);
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalQuantile(1)).toBe(Number.POSITIVE_INFINITY);
    expect(normalQuantile(1.5)).toBeNaN();
    for (const p of [1e-300, 1e-20, 0.001, 0.2, 0.4999, 0.7, 0.99999]) {
      expect(Math.abs(normalCdf(normalQuantile(p)) / p - 1)).toBeLessThan(1e-12);
    }
  });
});

describe("beta distribution functions", () => {
  it("incompleteBeta matches closed forms", () => {
    for (const x of [0.01, 0.3, 0.5, 0.77, 0.999]) {
      expect(incompleteBeta(x, 1, 3)).toBeCloseTo(1 - (1 - x) ** 3, 13);
      expect(incompleteBeta(x, 2.5, 1)).toBeCloseTo(x ** 2.5, 13);
      expect(incompleteBeta(x, 2, 2)).toBeCloseTo(3 * x * x - 2 * x ** 3, 13);
      expect(incompleteBeta(x, 40, 7) + incompleteBeta(1 - x, 7, 40)).toBeCloseTo(1, 12);
    }
    expect(incompleteBeta(0, 2, 3)).toBe(0);
    expect(incompleteBeta(1, 2, 3)).toBe(1);
  });

  it("betaQuantile inverts incompleteBeta for the large shapes MCSE uses", () => {
    for (const [a, b] of [
      [3, 3],
      [201, 3801],
      [3801, 201],
      [0.5, 0.5],
    ]) {
      for (const p of [0.1586553, 0.5, 0.8413447]) {
        expect(incompleteBeta(betaQuantile(p, a, b), a, b)).toBeCloseTo(p, 10);
      }
    }
    expect(betaQuantile(0.5, 3, 3)).toBeCloseTo(0.5, 14);
  });
});
