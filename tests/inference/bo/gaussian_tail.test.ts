import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  expectedPositivePart,
  logExpectedPositivePart,
  logExpectedPositivePartGrad,
  logNormalCdf,
  logNormalCdfGrad,
} from "../../../src/inference/bo/gaussian_tail.js";
import { normalCdf, normalPdf } from "../../../src/runtime/special.js";

interface Row {
  z: number;
  h: string;
  log_h: string;
  dlog_h: string;
  log_cdf: string;
  dlog_cdf: string;
}

// mpmath at 400 digits (fixtures/make_gaussian_tail.py): independent of the continued fraction.
const rows: Row[] = JSON.parse(readFileSync(new URL("./fixtures/gaussian_tail.json", import.meta.url), "utf8")).rows;

function relativeError(got: number, want: number): number {
  return Math.abs(got - want) / Math.abs(want);
}

describe("normal tail quantities against mpmath", () => {
  it("log h(z) and its derivative are accurate to ~1e-14 for z from -1e8 to 40", () => {
    for (const r of rows) {
      expect(relativeError(logExpectedPositivePart(r.z), Number(r.log_h)), `log h(${r.z})`).toBeLessThan(2e-14);
      expect(relativeError(logExpectedPositivePartGrad(r.z), Number(r.dlog_h)), `d log h(${r.z})`).toBeLessThan(2e-13);
    }
  });

  it("log Φ(z) and φ/Φ are accurate wherever log Φ is not below rounding", () => {
    for (const r of rows) {
      const want = Number(r.log_cdf);
      // For z ≥ 8, log Φ(z) ≈ -Φ(-z) is below 1e-15: compare absolutely there.
      if (Math.abs(want) < 1e-15) expect(Math.abs(logNormalCdf(r.z) - want)).toBeLessThan(1e-28);
      else expect(relativeError(logNormalCdf(r.z), want), `log Φ(${r.z})`).toBeLessThan(2e-14);
      const ratio = Number(r.dlog_cdf);
      // φ(z)/Φ(z) underflows (φ(40) ≈ 1e-348) far in the upper tail.
      if (ratio > 1e-290) expect(relativeError(logNormalCdfGrad(r.z), ratio), `φ/Φ(${r.z})`).toBeLessThan(2e-13);
      else expect(logNormalCdfGrad(r.z)).toBeLessThan(1e-290);
    }
  });

  it("h(z) is accurate where representable and underflows to 0 only where the truth is below 1e-308", () => {
    for (const r of rows) {
      const want = Number(r.h);
      const got = expectedPositivePart(r.z);
      if (want > 1e-290) expect(relativeError(got, want), `h(${r.z})`).toBeLessThan(2e-13);
      else expect(got).toBeLessThan(1e-290);
    }
  });

  it("is continuous across the switch to the continued fraction at z = -2", () => {
    const below = logExpectedPositivePart(-2 - 1e-12);
    const above = logExpectedPositivePart(-2 + 1e-12);
    // The slope is ≈ 2.37, so the two sides differ by ≈ 4.7e-12 plus rounding.
    expect(Math.abs(above - below - 2e-12 * logExpectedPositivePartGrad(-2))).toBeLessThan(1e-13);
  });

  it("Φ(z) is relatively accurate in the lower tail and absolutely accurate above", () => {
    for (const r of rows) {
      const want = Math.exp(Number(r.log_cdf));
      if (r.z < 0 && want > 1e-290) expect(relativeError(normalCdf(r.z), want), `Φ(${r.z})`).toBeLessThan(2e-14);
      if (r.z >= 0) expect(Math.abs(normalCdf(r.z) - want)).toBeLessThan(2e-16);
    }
  });

  it("returns NaN for NaN and φ(0) = 1/√(2π)", () => {
    expect(logExpectedPositivePart(Number.NaN)).toBeNaN();
    expect(logNormalCdf(Number.NaN)).toBeNaN();
    expect(normalPdf(0)).toBeCloseTo(1 / Math.sqrt(2 * Math.PI), 15);
  });
});
