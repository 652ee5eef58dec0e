/**
 * Declared supports survive parse(print(graph)) unchanged: int data without a support gets the
 * integer support the text front end gives `int` data, and a latent's `positive` support is
 * stored as the `lower(0)` that `<lower=0>` parses to. Data and hyper supports keep `positive`
 * because their values are checked against it (0 is rejected).
 */
import { describe, expect, it } from "vitest";
import { DomainError } from "../../src/core/errors.js";
import { constant, GraphBuilder, graphToJSON, printModel } from "../../src/ir/index.js";
import type { ModelGraph } from "../../src/ir/types.js";
import { parseModel } from "../../src/lang/text/index.js";
import { createDefaultRegistry } from "../../src/runtime/dists/index.js";

const registry = createDefaultRegistry();

/** The graph as JSON text without source spans (spans point into different texts). */
function plain(graph: ModelGraph): string {
  return JSON.stringify(JSON.parse(graphToJSON(graph), (key, value) => (key === "span" ? undefined : value)));
}

function supportOf(graph: ModelGraph, name: string): unknown {
  const node = graph.nodes.find((n) => n.name === name);
  return node !== undefined && "support" in node ? node.support : undefined;
}

function build(): ModelGraph {
  const b = new GraphBuilder("supports", registry);
  const n = b.data({ name: "n", shape: [], dtype: "int" });
  b.data({ name: "counts", shape: [3], dtype: "int" });
  const sigma = b.latent({
    name: "sigma",
    family: "half_normal",
    args: { scale: constant(1) },
    support: { kind: "positive" },
  });
  b.latent({ name: "mu", family: "normal", args: { loc: n, scale: sigma } });
  return b.build();
}

describe("declared supports round-trip through the text format", () => {
  it("gives int data without a support the integer support", () => {
    const g = build();
    expect(supportOf(g, "n")).toEqual({ kind: "integer" });
    expect(supportOf(g, "counts")).toEqual({ kind: "integer" });
  });

  it("stores a latent's positive support as lower(0)", () => {
    expect(supportOf(build(), "sigma")).toEqual({ kind: "lower", lower: 0 });
  });

  it("builder graph equals parseModel(printModel(graph))", () => {
    const g = build();
    const back = parseModel(printModel(g), registry, { name: g.name });
    expect(plain(back)).toBe(plain(g));
  });

  it("keeps positive on data, so an embedded 0 is still rejected", () => {
    const b = new GraphBuilder("strict", registry);
    expect(() => b.data({ name: "s", shape: [], support: { kind: "positive" }, value: 0 })).toThrow(DomainError);
    const ok = new GraphBuilder("strict_ok", registry);
    ok.data({ name: "s", shape: [], support: { kind: "positive" }, value: 1 });
    expect(supportOf(ok.build(), "s")).toEqual({ kind: "positive" });
  });
});
