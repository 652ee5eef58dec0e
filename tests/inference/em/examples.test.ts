import { describe, expect, it } from "vitest";
import { runIrsMimo, svgPlot } from "../../../examples/em/irs_mimo.js";
import { runKroneckerRecovery } from "../../../examples/em/kronecker_recovery.js";

describe("EM-SBL examples at tiny size", () => {
  it("kronecker_recovery runs and KroSBL-SVD recovers the signal", () => {
    const lines: string[] = [];
    const rows = runKroneckerRecovery({
      N: [6, 6, 6],
      M: [4, 5, 5],
      K: [2, 2, 2],
      trials: 1,
      snrDb: 30,
      log: (l) => lines.push(l),
    });
    expect(rows.map((r) => r.solver)).toEqual(["KroSBL-SVD", "KroSBL-AM", "classic SBL (EM)", "Tipping–Faul"]);
    for (const r of rows) expect(Number.isFinite(r.nmseDb)).toBe(true);
    expect(rows[0].nmseDb).toBeLessThan(-10);
    expect(lines.length).toBe(3 + rows.length);
  });

  it("irs_mimo runs the sweep and draws the plot", () => {
    const result = runIrsMimo({
      grid: 8,
      irsElements: 16,
      bsAntennas: 8,
      patterns: 4,
      spread: 2,
      trials: 1,
      snrsDb: [10, 30],
      classic: true,
      svgPath: null,
      log: () => {},
    });
    expect(result.series.map((s) => s.name)).toContain("classic complex SBL");
    for (const s of result.series) for (const v of s.nmseDb) expect(Number.isFinite(v)).toBe(true);
    const svg = svgPlot(result);
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg.match(/<polyline/g)?.length).toBe(result.series.length);
  });
});
