import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DomainError } from "../../src/core/errors.js";
import { linearScale, linearTicks, logScale, logTicks, niceDomain, tickStep } from "../../src/plots/scale.js";

/** A finite interval whose span is not lost in rounding next to its location. */
const interval = fc
  .tuple(fc.double({ min: -1e8, max: 1e8, noNaN: true }), fc.double({ min: 1e-6, max: 1e8, noNaN: true }))
  .filter(([lo, span]) => span > Math.abs(lo) * 1e-6)
  .map(([lo, span]) => [lo, lo + span] as const);
const range = fc.tuple(
  fc.double({ min: -2000, max: 2000, noNaN: true }),
  fc.double({ min: -2000, max: 2000, noNaN: true }),
);
const count = fc.integer({ min: 2, max: 12 });

/** Whether s is 1, 2 or 5 times a power of ten. */
function isNiceStep(s: number): boolean {
  const exponent = Math.floor(Math.log10(s) + 1e-12);
  const m = s / 10 ** exponent;
  return [1, 2, 5, 10].some((k) => Math.abs(m - k) < 1e-9 * k);
}

const parse = (label: string) => Number(label.replace("\u2212", "-"));

describe("linear scale", () => {
  it("maps the domain ends to the range ends and is monotone", () => {
    fc.assert(
      fc.property(interval, range, fc.double({ min: 0, max: 1, noNaN: true }), ([d0, d1], [r0, r1], t) => {
        const s = linearScale([d0, d1], [r0, r1]);
        expect(s.map(d0)).toBeCloseTo(r0, 6);
        expect(s.map(d1)).toBe(r1);
        const v = d0 + t * (d1 - d0);
        const p = s.map(v);
        expect(Math.min(r0, r1) - 1e-6).toBeLessThanOrEqual(p);
        expect(p).toBeLessThanOrEqual(Math.max(r0, r1) + 1e-6);
      }),
    );
  });

  it("has nice, evenly spaced ticks inside the domain, about as many as asked", () => {
    fc.assert(
      fc.property(interval, count, ([lo, hi], n) => {
        const step = tickStep(lo, hi, n);
        expect(isNiceStep(step)).toBe(true);
        const ticks = linearTicks(lo, hi, n);
        // step/raw lies in (0.63, 1.59] for raw = span/n, so the count lies near n.
        expect(ticks.length).toBeGreaterThanOrEqual(Math.floor(n / 1.59));
        expect(ticks.length).toBeLessThanOrEqual(Math.ceil(n / 0.63) + 1);
        const slack = (hi - lo) * 1e-9;
        for (const t of ticks) {
          expect(t).toBeGreaterThanOrEqual(lo - slack);
          expect(t).toBeLessThanOrEqual(hi + slack);
          expect(Math.abs(t / step - Math.round(t / step))).toBeLessThan(1e-6);
        }
        for (let i = 1; i < ticks.length; i++) expect(ticks[i] - ticks[i - 1]).toBeCloseTo(step, 9 - Math.log10(step));
      }),
    );
  });

  it("widens a domain to whole ticks that contain it", () => {
    fc.assert(
      fc.property(interval, count, ([lo, hi], n) => {
        const [a, b] = niceDomain(lo, hi, n);
        expect(a).toBeLessThanOrEqual(lo);
        expect(b).toBeGreaterThanOrEqual(hi);
        const ticks = linearTicks(a, b, n);
        expect(ticks[0]).toBe(a);
        expect(ticks.at(-1)).toBe(b);
      }),
    );
  });

  it("labels distinct ticks distinctly, and each label reads back as its value", () => {
    fc.assert(
      fc.property(interval, count, ([lo, hi], n) => {
        const ticks = linearScale([lo, hi], [0, 100]).ticks(n);
        const labels = ticks.map((t) => t.label);
        expect(new Set(labels).size).toBe(labels.length);
        const step = tickStep(lo, hi, n);
        for (const t of ticks) expect(Math.abs(parse(t.label) - t.value)).toBeLessThanOrEqual(step * 1e-6);
      }),
    );
  });

  it("gives the textbook ticks", () => {
    expect(linearTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(linearTicks(-0.3, 1.1, 5)).toEqual([-0.2, 0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceDomain(0.13, 9.7)).toEqual([0, 10]);
    expect(
      linearScale([0, 10], [0, 100])
        .ticks(5)
        .map((t) => t.label),
    ).toEqual(["0", "2", "4", "6", "8", "10"]);
  });

  it("rejects empty and non-finite domains", () => {
    expect(() => linearScale([1, 1], [0, 1])).toThrow(DomainError);
    expect(() => linearScale([0, Number.NaN], [0, 1])).toThrow(DomainError);
    expect(() => linearScale([0, 1], [0, Number.POSITIVE_INFINITY])).toThrow(DomainError);
  });
});

describe("log scale", () => {
  const positive = fc
    .tuple(fc.double({ min: -12, max: 12, noNaN: true }), fc.double({ min: 0.01, max: 15, noNaN: true }))
    .map(([e, decades]) => [10 ** e, 10 ** (e + decades)] as const);

  it("maps the domain ends to the range ends and rejects non-positive values", () => {
    fc.assert(
      fc.property(positive, range, ([d0, d1], [r0, r1]) => {
        const s = logScale([d0, d1], [r0, r1]);
        expect(s.map(d0)).toBeCloseTo(r0, 6);
        expect(s.map(d1)).toBe(r1);
        expect(s.map(Math.sqrt(d0 * d1))).toBeCloseTo((r0 + r1) / 2, 6);
        expect(s.map(0)).toBeNaN();
        expect(s.map(-1)).toBeNaN();
      }),
    );
  });

  it("puts its ticks inside the domain, at 1, 2 or 5 times powers of ten over wide domains", () => {
    fc.assert(
      fc.property(positive, count, ([d0, d1], n) => {
        const ticks = logTicks(d0, d1, n);
        for (const t of ticks) {
          expect(t).toBeGreaterThan(0);
          expect(t).toBeGreaterThanOrEqual(d0 * (1 - 1e-9));
          expect(t).toBeLessThanOrEqual(d1 * (1 + 1e-9));
        }
        if (d1 / d0 >= 100) {
          expect(ticks.length).toBeGreaterThanOrEqual(2);
          for (const t of ticks) expect(isNiceStep(t)).toBe(true);
        }
        const labels = logScale([d0, d1], [0, 1])
          .ticks(n)
          .map((t) => t.label);
        expect(new Set(labels).size).toBe(labels.length);
      }),
    );
  });

  it("widens to whole decades and gives the textbook ticks", () => {
    expect(logScale([3, 700], [0, 1]).nice().domain).toEqual([1, 1000]);
    expect(logTicks(1e-3, 1e3, 4)).toEqual([0.001, 0.1, 10, 1000]);
    expect(logTicks(1, 100)).toEqual([1, 2, 5, 10, 20, 50, 100]);
    expect(
      logScale([1e-9, 1], [0, 1])
        .ticks(4)
        .map((t) => t.label),
    ).toEqual(["1e\u22129", "1e\u22126", "1e\u22123", "1"]);
  });

  it("rejects a domain that is not positive", () => {
    expect(() => logScale([0, 1], [0, 1])).toThrow(DomainError);
  });
});
