import { describe, expect, it } from "vitest";
import { buildWindowSchedule } from "../../../src/inference/adaptation/schedule.js";

describe("buildWindowSchedule (Stan's 75 / 25-doubling / 50 plan)", () => {
  it("lays out the default 1000 iterations as Stan does", () => {
    const s = buildWindowSchedule(1000);
    expect(s.initBuffer).toBe(75);
    expect(s.termBuffer).toBe(50);
    expect(s.windows).toEqual([
      { start: 75, end: 100 },
      { start: 100, end: 150 },
      { start: 150, end: 250 },
      { start: 250, end: 450 },
      { start: 450, end: 950 },
    ]);
  });

  it("stretches the last window when the next doubling would not fit", () => {
    // 2000: 75 + 25 + 50 + 100 + 200 + 400 = 850; the next window (800) would end at 1650 and a
    // further one (1600) not fit, so it runs to 2000 − 50.
    expect(buildWindowSchedule(2000).windows.at(-1)).toEqual({ start: 850, end: 1950 });
    // 180: the first window keeps its 25 iterations; the second runs to the terminal buffer.
    expect(buildWindowSchedule(180).windows).toEqual([
      { start: 75, end: 100 },
      { start: 100, end: 130 },
    ]);
  });

  it("shrinks to 15% / 75% / 10% when the default phases do not fit", () => {
    const s = buildWindowSchedule(100);
    expect(s.initBuffer).toBe(15);
    expect(s.termBuffer).toBe(10);
    expect(s.windows).toEqual([{ start: 15, end: 90 }]);
  });

  it("adapts no metric below 20 iterations", () => {
    expect(buildWindowSchedule(19).windows).toEqual([]);
    expect(buildWindowSchedule(0).windows).toEqual([]);
  });

  it("windows tile the slow phase without gaps", () => {
    for (const n of [20, 37, 150, 151, 500, 999, 1000, 1001, 5000]) {
      const s = buildWindowSchedule(n);
      let at = s.initBuffer;
      for (const w of s.windows) {
        expect(w.start).toBe(at);
        expect(w.end).toBeGreaterThan(w.start);
        at = w.end;
      }
      expect(at).toBe(n - s.termBuffer);
    }
  });

  it("accepts custom buffers and rejects invalid ones", () => {
    expect(buildWindowSchedule(300, { initBuffer: 50, baseWindow: 50, termBuffer: 50 }).windows).toEqual([
      { start: 50, end: 100 },
      { start: 100, end: 250 },
    ]);
    expect(() => buildWindowSchedule(-5)).toThrow(/numWarmup must be an integer ≥ 0/);
    expect(() => buildWindowSchedule(100, { baseWindow: 0 })).toThrow(/baseWindow/);
  });
});
