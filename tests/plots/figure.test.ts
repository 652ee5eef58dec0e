import { describe, expect, it } from "vitest";
import { DomainError } from "../../src/core/errors.js";
import { type FigureSpec, renderFigure } from "../../src/plots/figure.js";
import { PALETTE } from "../../src/plots/palette.js";
import { allElements, parseXml, textContent, type XmlElement } from "./xml.js";

const byName = (root: XmlElement, name: string) => allElements(root).filter((e) => e.name === name);
const points = (polyline: XmlElement) =>
  polyline.attributes.points.split(" ").map((p) => p.split(",").map(Number) as [number, number]);

describe("renderFigure", () => {
  it("maps a fixed domain onto the plot area exactly", () => {
    const svg = renderFigure({
      panels: [
        {
          x: { domain: [0, 10] },
          y: { domain: [-1, 1] },
          marks: [{ kind: "line", x: [0, 5, 10], y: [-1, 0, 1], stroke: PALETTE[0] }],
        },
      ],
    });
    const root = parseXml(svg);
    const [line] = byName(root, "polyline");
    const clip = byName(root, "clipPath")[0].children[0].attributes;
    // The clip rectangle is the plot area plus 5 px of slack on every side.
    const left = Number(clip.x) + 5;
    const top = Number(clip.y) + 5;
    const right = left + Number(clip.width) - 10;
    const bottom = top + Number(clip.height) - 10;
    const [first, middle, last] = points(line);
    expect(first[0]).toBeCloseTo(left, 2);
    expect(first[1]).toBeCloseTo(bottom, 2);
    expect(last[0]).toBeCloseTo(right, 2);
    expect(last[1]).toBeCloseTo(top, 2);
    expect(middle[0]).toBeCloseTo((left + right) / 2, 1);
    expect(middle[1]).toBeCloseTo((top + bottom) / 2, 1);
  });

  it("breaks lines at non-finite values and drops what a log axis cannot show", () => {
    const svg = renderFigure({
      panels: [
        {
          x: {},
          y: { type: "log" },
          marks: [
            { kind: "line", x: [1, 2, 3, 4, 5, 6], y: [1, 10, Number.NaN, 100, 1000, 0], stroke: PALETTE[0] },
            { kind: "points", x: [1, 2, 3], y: [1, -1, 10], fill: PALETTE[1] },
          ],
        },
      ],
    });
    const root = parseXml(svg);
    expect(byName(root, "polyline").map((p) => points(p).length)).toEqual([2, 2]);
    expect(byName(root, "circle")).toHaveLength(2);
    expect(svg).not.toMatch(/NaN|Infinity|undefined/);
  });

  it("lays out small multiples, empty cells and both legend positions", () => {
    const panel = { x: {}, y: {}, marks: [{ kind: "points", x: [0, 1], y: [0, 1], fill: PALETTE[0] }] } as const;
    const spec: FigureSpec = {
      title: "grid",
      columns: 2,
      panelWidth: 200,
      panelHeight: 150,
      panels: [panel, null, panel],
      legend: { entries: [{ label: "a", color: PALETTE[0] }] },
    };
    const top = parseXml(renderFigure(spec));
    expect(top.attributes.width).toBe("400");
    expect(Number(top.attributes.height)).toBeGreaterThan(300);
    expect(allElements(top).filter((e) => e.attributes.class === "panel")).toHaveLength(2);
    const right = parseXml(
      renderFigure({ ...spec, legend: { entries: spec.legend?.entries ?? [], position: "right" } }),
    );
    expect(Number(right.attributes.width)).toBeGreaterThan(400);
  });

  it("writes explicit tick labels and right-hand labels", () => {
    const root = parseXml(
      renderFigure({
        panels: [
          {
            x: {},
            y: { domain: [0, 3], tickValues: [{ value: 1, label: "beta[1]" }] },
            rightLabels: [{ value: 1, label: "R-hat 1.01" }],
            marks: [{ kind: "points", x: [0], y: [1], fill: PALETTE[0] }],
          },
        ],
      }),
    );
    const texts = byName(root, "text").map(textContent);
    expect(texts).toContain("beta[1]");
    expect(texts).toContain("R-hat 1.01");
  });

  it("renders every mark kind into a well-formed document", () => {
    const svg = renderFigure({
      title: 'all "marks" <here> & there',
      description: "every kind",
      panels: [
        {
          title: "t",
          x: { label: "x" },
          y: { label: "y", include: [0] },
          marks: [
            { kind: "area", x: [0, 1, 2], y0: [0, 0, 0], y1: [1, 2, 1], fill: PALETTE[0] },
            { kind: "rects", x0: [0], x1: [1], y0: [0], y1: [2], fill: PALETTE[1], stroke: "#fff" },
            { kind: "segments", x0: [0], y0: [0], x1: [2], y1: [2], stroke: PALETTE[2] },
            { kind: "rule", axis: "y", value: 1, dash: "3 3" },
            { kind: "bands", axis: "x", from: [0.5], to: [0.7], fill: PALETTE[3] },
            { kind: "rug", values: [0.2, 1.5], stroke: PALETTE[4] },
            { kind: "text", x: 1, y: 1, text: "a < b", anchor: "middle" },
            { kind: "points", x: [1], y: [1], fill: PALETTE[0], hollow: true },
          ],
        },
      ],
    });
    const root = parseXml(svg);
    expect(byName(root, "title").map(textContent)).toEqual(['all "marks" <here> & there']);
    expect(byName(root, "text").map(textContent)).toContain("a < b");
    expect(svg).not.toMatch(/NaN|Infinity|undefined/);
  });

  it("refuses sizes and marks it cannot draw", () => {
    expect(() => renderFigure({ panelWidth: 0, panels: [] })).toThrow(DomainError);
    expect(() => renderFigure({ panelHeight: 20, panels: [{ x: { label: "x" }, marks: [] }] })).toThrow(DomainError);
    expect(() =>
      renderFigure({ panels: [{ marks: [{ kind: "line", x: [0, 1], y: [0], stroke: PALETTE[0] }] }] }),
    ).toThrow(DomainError);
    expect(() => renderFigure({ panels: [{ x: { domain: [1, 1] }, marks: [] }] })).toThrow(DomainError);
  });
});
