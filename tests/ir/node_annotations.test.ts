/**
 * Annotations on hyper-parameters and deterministic nodes: accepted and checked by the builder
 * and the DSL, kept through JSON and rewrites, printed as `@key(value)` attributes, and grouped
 * by the compiled model's structure facts. The sparse priors use them to tag their precisions
 * (role `precision`) and a non-centred value (role `value`).
 */
import { describe, expect, it } from "vitest";
import { ModelError } from "../../src/core/errors.js";
import { compile } from "../../src/inference/model/index.js";
import { GraphBuilder, graphFromJSON, graphToJSON, printModel, substitute } from "../../src/ir/index.js";
import { constant } from "../../src/ir/expr.js";
import { model } from "../../src/lang/builder/index.js";
import { ard } from "../../src/lang/builder/priors/index.js";
import { createDefaultRegistry } from "../../src/runtime/dists/index.js";

const registry = createDefaultRegistry();

describe("annotations on hyper and deterministic nodes", () => {
  it("the builder stores them, JSON keeps them and the printer shows them", () => {
    const b = new GraphBuilder("tags", registry);
    const g = b.hyper({
      name: "g",
      shape: [2],
      support: { kind: "positive" },
      init: 1,
      annotations: { prior: "ard", group: "x", role: "precision" },
    });
    b.deterministic({ name: "h", expr: g, annotations: { role: "value", weight: 2, flag: true } });
    const graph = b.build();
    expect(graph.nodes[0]).toMatchObject({
      kind: "hyper",
      annotations: { prior: "ard", group: "x", role: "precision" },
    });
    expect(graph.nodes[1]).toMatchObject({
      kind: "deterministic",
      annotations: { role: "value", weight: 2, flag: true },
    });
    const again = graphFromJSON(graphToJSON(graph), registry);
    expect(graphToJSON(again)).toBe(graphToJSON(graph));
    expect(printModel(graph)).toBe(`// sprig model: tags
hyper {
  @group("x") @prior("ard") @role("precision") vector<positive>[2] g = 1;
}
transformed parameters {
  @flag(true) @role("value") @weight(2) vector[2] h = g;
}
`);
  });

  it("rejects annotation values that are not strings, numbers or booleans", () => {
    const b = new GraphBuilder("bad", registry);
    expect(() => b.hyper({ name: "g", init: 1, annotations: { role: { nested: 1 } as unknown as string } })).toThrow(
      ModelError,
    );
    expect(() => b.deterministic({ name: "d", expr: constant(1), annotations: { "bad key": "x" } })).toThrow(
      /annotation 'bad key'/,
    );
  });

  it("the DSL passes them on, and substitute keeps the other nodes' annotations", () => {
    const graph = model(
      "dsl",
      (m) => {
        const a = m.hyper("a", { init: 2, lower: 0, annotations: { role: "precision" } });
        m.deterministic("b", a.mul(2), { annotations: { role: "value" } });
      },
      { families: registry },
    );
    expect(graph.nodes.map((n) => ("annotations" in n ? n.annotations : undefined))).toEqual([
      { role: "precision" },
      { role: "value" },
    ]);
    const fixed = substitute(graph, "a", 3, registry);
    expect(fixed.nodes).toHaveLength(1);
    expect(fixed.nodes[0]).toMatchObject({ name: "b", annotations: { role: "value" } });
  });

  it("ard tags its precision and its non-centred value; the structure groups all three kinds", () => {
    const graph = model(
      "ard_nc",
      (m) => {
        ard(m, "x", { size: 3, parameterization: "noncentered" });
      },
      { families: registry },
    );
    const byName = new Map(graph.nodes.map((n) => [n.name, n]));
    expect(byName.get("x_alpha")).toMatchObject({
      kind: "hyper",
      annotations: { prior: "ard", group: "x", role: "precision" },
    });
    expect(byName.get("x")).toMatchObject({
      kind: "deterministic",
      annotations: { prior: "ard", group: "x", role: "value", hypers: "x_alpha" },
    });
    const groups = compile(graph, {}, registry).structure.sparsePriorGroups;
    expect(groups).toHaveLength(1);
    expect(groups[0]!.members.map((m) => [m.name, m.role])).toEqual([
      ["x_z", "standardized"],
      ["x_alpha", "precision"],
      ["x", "value"],
    ]);
  });
});
