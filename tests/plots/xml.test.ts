import { describe, expect, it } from "vitest";
import { allElements, inherited, parseXml, textContent } from "./xml.js";

describe("the test XML reader", () => {
  it("reads a well-formed document with entities, comments and inheritance", () => {
    const root = parseXml(
      '<svg a="1"><!-- c --><g fill="red"><circle r="2"/></g><text>a &lt; b &amp; &#233;</text></svg>\n',
    );
    expect(root.name).toBe("svg");
    const circle = allElements(root).find((e) => e.name === "circle");
    expect(circle && inherited(circle, "fill")).toBe("red");
    expect(textContent(root)).toBe("a < b & é");
  });

  it.each([
    ["misnested tags", "<a><b></a></b>"],
    ["an unclosed tag", "<a><b></b>"],
    ["a stray end tag", "<a></a></b>"],
    ["a bare ampersand in text", "<a>x & y</a>"],
    ["a bare ampersand in an attribute", '<a t="x & y"/>'],
    ["a raw '<' in text", "<a>1 < 2</a>"],
    ["an unquoted attribute", "<a t=1/>"],
    ["a duplicate attribute", '<a t="1" t="2"/>'],
    ["two roots", "<a/><b/>"],
    ["text outside the root", "<a/>x"],
    ["an unknown entity", "<a>&nbsp;</a>"],
  ])("rejects %s", (_, source) => {
    expect(() => parseXml(source)).toThrow();
  });
});
