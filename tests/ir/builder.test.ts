import { describe, expect, it } from "vitest";
import { exampleFamilies } from "../../examples/models/families.js";
import { ModelError, ShapeError } from "../../src/core/errors.js";
import { binary, constant, GraphBuilder, matvec, ref, referencedNames } from "../../src/ir/index.js";

const families = exampleFamilies();

describe("GraphBuilder", () => {
  it("infers a latent's shape from its arguments and its dtype from the family", () => {
    const b = new GraphBuilder("m", families);
    b.data({ name: "J", shape: [], dtype: "int" });
    const mu = b.data({ name: "mu", shape: ["J"] });
    const theta = b.latent({ name: "theta", family: "normal", args: { scale: constant(1), loc: mu } });
    expect(theta.shape).toEqual(["J"]);
    const k = b.latent({ name: "k", family: "poisson", args: { rate: constant(2.5) } });
    expect(k.dtype).toBe("int");
    const g = b.build();
    const node = g.nodes.find((n) => n.name === "theta");
    // Arguments are stored in the family's order, whatever order they were written in.
    expect(node?.kind === "latent" && Object.keys(node.args)).toEqual(["loc", "scale"]);
  });

  it("freezes the graph and refuses additions after build", () => {
    const b = new GraphBuilder("m", families);
    b.latent({ name: "a", family: "normal", args: { loc: constant(0), scale: constant(1) } });
    const g = b.build();
    expect(Object.isFrozen(g)).toBe(true);
    expect(Object.isFrozen(g.nodes)).toBe(true);
    expect(Object.isFrozen(g.nodes[0])).toBe(true);
    expect(() => b.latent({ name: "c", family: "normal", args: { loc: constant(0), scale: constant(1) } })).toThrow(
      "model 'm': the graph is already built. Hint: start a new GraphBuilder.",
    );
  });

  it("checks symbolic sizes by name and defers name-versus-number to data binding", () => {
    const b = new GraphBuilder("m", families);
    b.data({ name: "N", shape: [], dtype: "int" });
    b.data({ name: "D", shape: [], dtype: "int" });
    const X = b.data({ name: "X", shape: ["N", "D"] });
    const w = b.data({ name: "w", shape: [4] });
    expect(matvec(X, w).shape).toEqual(["N"]);
    const v = b.data({ name: "v", shape: ["N"] });
    expect(() => binary("add", v, b.data({ name: "u", shape: ["D"] }))).toThrow(ShapeError);
    expect(binary("add", v, b.data({ name: "q", shape: [7] })).shape).toEqual([7]);
  });

  it("names factors and validates their shape", () => {
    const b = new GraphBuilder("m", families);
    const v = b.data({ name: "v", shape: [3] });
    b.factor({ expr: constant(1) });
    expect(() => b.factor({ expr: v })).toThrow(
      "factor 'factor_2': target += needs a scalar — got vector[3], expected scalar. Hint: reduce it first, e.g. sum(...).",
    );
    expect(b.build().nodes.map((n) => n.name)).toEqual(["v", "factor_1"]);
  });

  it("rejects invalid identifiers and family argument objects", () => {
    const b = new GraphBuilder("m", families);
    expect(() => b.data({ name: "2x", shape: [] })).toThrow(
      "node name: not a valid identifier — got '2x', expected a letter followed by letters, digits or '_'.",
    );
    expect(() => b.latent({ name: "a", family: "normal", args: null as never })).toThrow(ModelError);
  });

  it("lists the names an expression refers to", () => {
    const e = binary("add", ref("a", [], "real"), binary("mul", ref("b", [], "real"), ref("a", [], "real")));
    expect(referencedNames(e)).toEqual(["a", "b"]);
  });
});
