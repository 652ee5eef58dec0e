/**
 * parse(print(graph)) = graph for random graphs: fast-check builds random, well-typed expression
 * trees with the IR's own constructors (every operator, function, reduction, index, gather,
 * dot, matrix-vector product and vector literal, nested in every way the printer's precedence
 * must parenthesise), puts them in deterministic nodes, factors and observation arguments,
 * prints the graph and parses it back.
 *
 * Two IR forms print the same text as a simpler form, so the generator avoids them: `neg` of a
 * literal (`-1` reads back as the literal −1) and a vector literal of literals only (`[1, 2]`
 * reads back as a constant vector).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { exampleFamilies } from "../../../examples/models/families.js";
import {
  BINARY_OPS,
  binary,
  CALL_FNS,
  call,
  constant,
  dot,
  GraphBuilder,
  gather,
  graphToJSON,
  index,
  matvec,
  neg,
  printModel,
  REDUCE_OPS,
  reduce,
  ref,
  referencedNames,
  vector,
} from "../../../src/ir/index.js";
import type { Expr, ModelGraph } from "../../../src/ir/types.js";
import { parseModel } from "../../../src/lang/text/index.js";

const families = exampleFamilies();

const a = ref("a", [], "real");
const b = ref("b", ["J"], "real");
const c = ref("c", ["N"], "real");
const x = ref("x", ["N"], "real");
const idx = ref("idx", ["N"], "int");
const X = ref("X", ["N", "J"], "real");

const literal = fc.oneof(
  fc.integer({ min: -5, max: 9 }),
  fc.double({ min: -100, max: 100, noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0.1, 1e-7, 2.5e10, -0),
);

type Kind = "scalar" | "vecN" | "vecJ";

/** A random expression of the given kind, depth-limited. */
const expression: (kind: Kind, depth: number) => fc.Arbitrary<Expr> = (kind, depth) => {
  const leaves: fc.Arbitrary<Expr>[] =
    kind === "scalar"
      ? [literal.map((v) => constant(v)), fc.constant(a)]
      : kind === "vecN"
        ? [fc.constant(c), fc.constant(x)]
        : [fc.constant(b)];
  if (depth <= 0) return fc.oneof(...leaves);
  const sub = (k: Kind) => expression(k, depth - 1);
  const nonLiteral = (k: Kind) => sub(k).filter((e) => e.kind !== "const");
  const branches: fc.Arbitrary<Expr>[] = [
    ...leaves,
    nonLiteral(kind).map((e) => neg(e)),
    fc
      .tuple(fc.constantFrom(...BINARY_OPS), sub(kind), fc.oneof(sub(kind), sub("scalar")))
      .map(([op, l, r]) => binary(op, l, r)),
    fc.tuple(fc.constantFrom(...BINARY_OPS), sub("scalar"), sub(kind)).map(([op, l, r]) => binary(op, l, r)),
    fc.tuple(fc.constantFrom(...CALL_FNS), sub(kind)).map(([fn, e]) => call(fn, e)),
  ];
  if (kind === "scalar") {
    branches.push(
      fc.tuple(fc.constantFrom(...REDUCE_OPS), sub("vecN")).map(([op, e]) => reduce(op, e)),
      fc.tuple(sub("vecN"), fc.integer({ min: 0, max: 20 })).map(([e, k]) => index(e, k)),
      fc.tuple(sub("vecJ"), sub("vecJ")).map(([l, r]) => dot(l, r)),
    );
  }
  if (kind === "vecN") {
    branches.push(
      sub("vecJ").map((e) => gather(e, idx, 1)),
      sub("vecJ").map((e) => gather(e, idx, 0)),
      sub("vecJ").map((e) => matvec(X, e)),
    );
  }
  if (kind === "vecJ") {
    branches.push(
      fc
        .array(sub("scalar"), { minLength: 2, maxLength: 2 })
        .filter((es) => es.some((e) => e.kind !== "const"))
        .map((es) => vector(es)),
    );
  }
  return fc.oneof({ depthSize: "small" }, ...branches);
};

function graphOf(det: Expr, term: Expr, loc: Expr): ModelGraph {
  const g = new GraphBuilder("random", families);
  g.data({ name: "N", shape: [], dtype: "int", support: { kind: "integer", lower: 0 } });
  g.data({ name: "J", shape: [], dtype: "int", support: { kind: "integer", lower: 0 } });
  g.data({ name: "x", shape: ["N"] });
  g.data({ name: "y", shape: ["N"] });
  g.data({ name: "idx", shape: ["N"], dtype: "int", support: { kind: "integer", lower: 1 } });
  g.data({ name: "X", shape: ["N", "J"] });
  // The printer puts deterministic nodes in their own blocks; the parser places one computed
  // from data alone right after the data (transformed data), any other just before its first
  // use (transformed parameters), so the graph here does the same (d is used by the observation).
  const dataOnly = referencedNames(det).every((n) => ["N", "J", "x", "y", "idx", "X"].includes(n));
  const d = dataOnly ? g.deterministic({ name: "d", expr: det }) : undefined;
  g.latent({ name: "a", family: "normal", args: { loc: constant(0), scale: constant(1) } });
  g.latent({ name: "b", family: "normal", args: { loc: constant(0), scale: constant(1) }, shape: ["J"] });
  g.latent({ name: "c", family: "normal", args: { loc: constant(0), scale: constant(1) }, shape: ["N"] });
  const dRef = d ?? g.deterministic({ name: "d", expr: det });
  g.observed({ name: "y", family: "normal", args: { loc: binary("add", dRef, loc), scale: constant(1) } });
  g.factor({ expr: term });
  return g.build();
}

describe("parse(print(graph)) = graph for random graphs", () => {
  it("300 random graphs", () => {
    fc.assert(
      fc.property(expression("vecN", 3), expression("scalar", 3), expression("vecN", 2), (det, term, loc) => {
        const graph = graphOf(det, term, loc);
        const text = printModel(graph);
        const back = parseModel(text, families);
        expect(graphToJSON(stripSpans(back))).toBe(graphToJSON(stripSpans(graph)));
      }),
      { numRuns: 300 },
    );
  });
});

function stripSpans(graph: ModelGraph): ModelGraph {
  return JSON.parse(JSON.stringify(graph, (k, v) => (k === "span" ? undefined : v))) as ModelGraph;
}
