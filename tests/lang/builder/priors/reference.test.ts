import { describe, expect, it } from "vitest";
import {
  erfc,
  integrate,
  logHalfCauchyDensity,
  logProductHalfCauchyDensity,
  normalTail,
  studentTail,
} from "./reference.js";

// The reference helpers are themselves checked against published values, so a wrong reference
// cannot make a wrong prior pass.
describe("reference helpers", () => {
  it("erfc matches tabulated values on both sides of the series/fraction switch", () => {
    expect(erfc(0.5)).toBeCloseTo(0.4795001221869535, 14);
    expect(erfc(1)).toBeCloseTo(0.15729920705028513, 14);
    expect(erfc(3) / 2.209049699858544e-5).toBeCloseTo(1, 12);
    expect(erfc(6) / 2.1519736712498913e-17).toBeCloseTo(1, 10);
    expect(normalTail(1.959963984540054)).toBeCloseTo(0.05, 12);
  });

  it("Student-t tails match the Cauchy closed form and a tabulated quantile", () => {
    expect(studentTail(1, 1, 1)).toBeCloseTo(0.5, 10);
    expect(studentTail(3, 1, 2)).toBeCloseTo(1 - (2 / Math.PI) * Math.atan(1.5), 10);
    expect(studentTail(2.776445105197799, 4, 1)).toBeCloseTo(0.05, 9);
  });

  it("the log half-Cauchy density integrates to one, and its self-convolution is the product density", () => {
    expect(integrate(logHalfCauchyDensity, -40, 40, 80)).toBeCloseTo(1, 12);
    expect(integrate(logProductHalfCauchyDensity, -60, 60, 120)).toBeCloseTo(1, 12);
    for (const w of [-3, 0, 0.5, 4]) {
      const convolution = integrate((s) => logHalfCauchyDensity(s) * logHalfCauchyDensity(w - s), -50, 50, 100);
      expect(convolution).toBeCloseTo(logProductHalfCauchyDensity(w), 12);
    }
  });
});
