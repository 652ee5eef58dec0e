import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { escapeXml, formatCoordinate, formatTick, formatValue } from "../../src/plots/format.js";
import { parseXml, textContent } from "./xml.js";

const MINUS = "\u2212";

describe("escapeXml", () => {
  it("escapes the five XML specials", () => {
    expect(escapeXml(`a<b>&"c"'d'`)).toBe("a&lt;b&gt;&amp;&quot;c&quot;&#39;d&#39;");
    expect(escapeXml("&amp;")).toBe("&amp;amp;"); // already-escaped text is text, not markup
  });

  it("replaces characters XML cannot carry and keeps surrogate pairs", () => {
    expect(escapeXml("a\u0000b\u001Fc\tn\n")).toBe("a\uFFFDb\uFFFDc\tn\n");
    expect(escapeXml("\uD835\uDF03")).toBe("\uD835\uDF03"); // 𝜃 (a pair) survives
    expect(escapeXml("x\uD835y")).toBe("x\uFFFDy"); // a lone high surrogate does not
  });

  it("round-trips any string through element content and attributes", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 40 }), (s) => {
        const doc = parseXml(`<t a="${escapeXml(s)}">${escapeXml(s)}</t>`);
        expect(doc.attributes.a).toBe(s);
        expect(textContent(doc)).toBe(s);
      }),
    );
  });
});

describe("number formatting", () => {
  it("rounds coordinates to 0.01 px without -0", () => {
    expect(formatCoordinate(12.3456)).toBe("12.35");
    expect(formatCoordinate(-0.001)).toBe("0");
    expect(formatCoordinate(100)).toBe("100");
    expect(formatCoordinate(3e9)).toBe("1000000");
  });

  it("labels ticks with the decimals of the step and a true minus", () => {
    expect(formatTick(0.30000000000000004, 0.1)).toBe("0.3");
    expect(formatTick(-2, 0.5)).toBe(`${MINUS}2.0`);
    expect(formatTick(1e-17, 0.2)).toBe("0");
    expect(formatTick(2e6, 1e6)).toBe("2e6");
    expect(formatTick(2.5e-6, 5e-7)).toBe("2.5e-6");
    expect(formatTick(1500, 500)).toBe("1500");
  });

  it("gives significant digits for display values", () => {
    expect(formatValue(0.83214, 2)).toBe("0.83");
    expect(formatValue(9.996, 3)).toBe("10.0");
    expect(formatValue(-1234.5, 3)).toBe(`${MINUS}1230`);
    expect(formatValue(Number.NaN)).toBe("NaN");
  });
});
