/**
 * Declared supports survive parse(print(graph)) unchanged: int data without a support gets the
 * integer support the text front end gives `int` data, and a latent's `positive` support is
 * stored as the `lower(0)` that `<lower=0>` parses to. Data and hyper supports keep `positive`
 * because their values are checked against it (0 is rejected); it prints as `<positive>`. The
 * golden below fixes the text of every other support form: `bool`, `<unbounded>`, constrained
 * types in the data and hyper blocks.
 */
import { describe, expect, it } from "vitest";
import { DomainError } from "../../src/core/errors.js";
import { BOOLEAN } from "../../src/core/support.js";
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

  it("keeps positive on a hyper-parameter, printed as <positive>", () => {
    const b = new GraphBuilder("strict_hyper", registry);
    b.hyper({ name: "g", shape: [2], support: { kind: "positive" }, init: 1 });
    const g = b.build();
    expect(printModel(g)).toContain("vector<positive>[2] g = 1;");
    const back = parseModel(printModel(g), registry, { name: g.name });
    expect(supportOf(back, "g")).toEqual({ kind: "positive" });
  });
});

describe("every support form prints as text that reads back (golden)", () => {
  function everySupport(): ModelGraph {
    const b = new GraphBuilder("every_support", registry);
    b.data({ name: "K", shape: [], dtype: "int", support: { kind: "integer", lower: 1 } });
    b.data({ name: "flag", shape: [], dtype: "int", support: { kind: "boolean" } });
    b.data({ name: "hits", shape: ["K"], dtype: "int", support: { kind: "boolean" } });
    b.data({ name: "scale", shape: [], support: { kind: "positive" }, value: 2 });
    b.data({ name: "x", shape: ["K"], support: { kind: "real" } });
    b.data({ name: "w", shape: ["K"], support: { kind: "simplex" } });
    b.data({ name: "L", shape: ["K", "K"], support: { kind: "cholesky_corr" } });
    b.hyper({ name: "gamma", shape: ["K"], support: { kind: "positive" }, init: 1 });
    b.hyper({ name: "cuts", shape: [3], support: { kind: "ordered" }, init: [-1, 0, 1] });
    b.hyper({ name: "h", support: { kind: "real" }, init: 0 });
    b.latent({ name: "s", family: "half_normal", args: { scale: constant(1) }, support: { kind: "real" } });
    b.latent({ name: "c", family: "poisson", args: { rate: constant(3) }, support: { kind: "integer" } });
    b.latent({ name: "z", family: "bernoulli", args: { prob: constant(0.5) }, shape: ["K"], support: BOOLEAN });
    b.latent({ name: "sigma", family: "half_normal", args: { scale: constant(1) }, support: { kind: "positive" } });
    return b.build();
  }

  it("prints bool, <positive>, <unbounded> and constrained data and hyper types", () => {
    // A hyper's bare type is already real, and int data already integers, so neither gets
    // <unbounded>; a parameter's bare type takes its family's support, so `s` and `c` need it.
    expect(printModel(everySupport())).toBe(`// sprig model: every_support
data {
  int<lower=1> K;
  bool flag;
  array[K] bool hits;
  real<positive> scale = 2;
  vector<unbounded>[K] x;
  simplex[K] w;
  cholesky_factor_corr[K] L;
}
hyper {
  vector<positive>[K] gamma = 1;
  ordered[3] cuts = [-1, 0, 1];
  real h = 0;
}
parameters {
  real<unbounded> s;
  int<unbounded> c;
  array[K] bool z;
  real<lower=0> sigma;
}
model {
  s ~ half_normal(scale=1);
  c ~ poisson(rate=3);
  z ~ bernoulli(prob=0.5);
  sigma ~ half_normal(scale=1);
}
`);
  });

  it("reads that text back as the same graph", () => {
    const g = everySupport();
    expect(plain(parseModel(printModel(g), registry, { name: g.name }))).toBe(plain(g));
  });
});
