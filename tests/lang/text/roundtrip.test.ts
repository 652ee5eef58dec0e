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
 *
 * Each random graph also declares data, hyper-parameters and latents with random declared
 * supports — every kind of `Support`, with random bounds and shapes, each on every node kind
 * that can carry it — and a table-driven test runs every (support, node kind) pair once, so
 * coverage does not rest on the random draws. The one IR normalisation is the builder's: a
 * latent's `positive` is stored as `lower(0)` (the same model through its bijector).
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
import type { Dim, Expr, IrShape, ModelGraph } from "../../../src/ir/types.js";
import { parseModel } from "../../../src/lang/text/index.js";
import type { Support } from "../../../src/core/support.js";

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

// ------------------------------------------------------------------ declared supports

type NodeKind = "data" | "hyper" | "latent";

/** A declaration with a declared support (or none), on one node kind. */
interface Declared {
  readonly node: NodeKind;
  readonly support: Support | undefined;
  readonly shape: IrShape;
}

/** A point inside an elementwise support: embedded data values and hyper initial values. */
function inside(support: Support | undefined): number {
  switch (support?.kind) {
    case "positive":
      return 2;
    case "lower":
      return support.lower + 1;
    case "upper":
      return support.upper - 1;
    case "interval":
      return (support.lower + support.upper) / 2;
    case "integer":
      return support.lower ?? support.upper ?? -3;
    case "boolean":
      return 1;
    default:
      return 0.5;
  }
}

/** A value the builder accepts for a constrained vector of length n (a simplex, or increasing). */
function constrainedValue(support: Support, n: number): number[] {
  return Array.from({ length: n }, (_, i) => (support.kind === "simplex" ? 1 / n : i + 1));
}

/** Declares `d` as node `name` of graph `g`. */
function declare(g: GraphBuilder, name: string, d: Declared): void {
  const constrained = ["simplex", "ordered", "positive_ordered", "cholesky_corr"].includes(d.support?.kind ?? "");
  const n = typeof d.shape[0] === "number" ? d.shape[0] : 3;
  switch (d.node) {
    case "data": {
      const discrete = d.support?.kind === "integer" || d.support?.kind === "boolean";
      // Scalar data and vectors of literal length sometimes embed a value (the `fix` rewrite's form).
      const value =
        constrained || d.shape.length === 2 || typeof d.shape[0] === "string"
          ? undefined
          : d.shape.length === 0
            ? inside(d.support)
            : Array.from({ length: n }, () => inside(d.support));
      g.data({
        name,
        shape: d.shape,
        dtype: discrete ? "int" : "real",
        ...(d.support ? { support: d.support } : {}),
        ...(value !== undefined && name.endsWith("v") ? { value } : {}),
      });
      return;
    }
    case "hyper": {
      const init =
        d.support?.kind === "cholesky_corr" ? 1 : constrained ? constrainedValue(d.support!, n) : inside(d.support);
      g.hyper({ name, shape: d.shape, ...(d.support ? { support: d.support } : {}), init });
      return;
    }
    case "latent": {
      const kind = d.support?.kind;
      const [family, args] =
        kind === "boolean"
          ? (["bernoulli", { prob: constant(0.5) }] as const)
          : kind === "integer"
            ? (["poisson", { rate: constant(2) }] as const)
            : constrained
              ? (["flat", {}] as const)
              : (["normal", { loc: constant(0), scale: constant(1) }] as const);
      g.latent({ name, family, args, shape: d.shape, ...(d.support ? { support: d.support } : {}) });
      return;
    }
  }
}

/** Every support kind, with the node kinds that can carry it (hyper-parameters are continuous). */
const CARRIERS: { readonly [K in Support["kind"]]: readonly NodeKind[] } = {
  real: ["data", "hyper", "latent"],
  positive: ["data", "hyper", "latent"],
  lower: ["data", "hyper", "latent"],
  upper: ["data", "hyper", "latent"],
  interval: ["data", "hyper", "latent"],
  simplex: ["data", "hyper", "latent"],
  ordered: ["data", "hyper", "latent"],
  positive_ordered: ["data", "hyper", "latent"],
  cholesky_corr: ["data", "hyper", "latent"],
  integer: ["data", "latent"],
  boolean: ["data", "latent"],
};

const bound = fc.oneof(
  fc.integer({ min: -5, max: 9 }),
  fc.double({ min: -100, max: 100, noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, 1e-7, -2.5e10),
);
const intBound = fc.option(fc.integer({ min: -5, max: 9 }), { nil: undefined });
const size: fc.Arbitrary<Dim> = fc.oneof(fc.integer({ min: 1, max: 4 }), fc.constantFrom("N", "J"));
const literalSize = fc.integer({ min: 1, max: 4 });

/** A random support of the given kind, with random bounds. */
function supportOf(kind: Support["kind"]): fc.Arbitrary<Support> {
  switch (kind) {
    case "lower":
      return bound.map((lower) => ({ kind, lower }));
    case "upper":
      return bound.map((upper) => ({ kind, upper }));
    case "interval":
      return fc
        .tuple(bound, bound)
        .filter(([a, b]) => a !== b)
        .map(([a, b]) => ({ kind, lower: Math.min(a, b), upper: Math.max(a, b) }));
    case "integer":
      return fc.tuple(intBound, intBound).map(([a, b]) => {
        const [lower, upper] = a !== undefined && b !== undefined ? [Math.min(a, b), Math.max(a, b)] : [a, b];
        return { kind, ...(lower !== undefined ? { lower } : {}), ...(upper !== undefined ? { upper } : {}) };
      });
    default:
      return fc.constant({ kind } as Support);
  }
}

/** A shape that suits the support (and the node: discrete and constrained hyper values need literal sizes). */
function shapeFor(support: Support | undefined, node: NodeKind): fc.Arbitrary<IrShape> {
  switch (support?.kind) {
    case "simplex":
    case "ordered":
    case "positive_ordered":
      return (node === "hyper" ? literalSize : size).map((n) => [n]);
    case "cholesky_corr":
      // A hyper-parameter's matrix starts from one repeated number: only 1 × 1 is a valid factor.
      return node === "hyper" ? fc.constant([1, 1]) : size.map((n) => [n, n]);
    case "integer":
    case "boolean":
      return fc.oneof(
        fc.constant([]),
        size.map((n) => [n]),
      );
    default:
      return fc.oneof(
        fc.constant([]),
        size.map((n) => [n]),
        fc.tuple(size, size),
      );
  }
}

/** A random declaration: any node kind, any support it can carry (or none), a shape that suits it. */
const declaration: fc.Arbitrary<Declared> = fc
  .tuple(
    fc.constantFrom<NodeKind>("data", "hyper", "latent"),
    fc.constantFrom<Support["kind"] | "none">("none", ...(Object.keys(CARRIERS) as Support["kind"][])),
  )
  .filter(([node, kind]) => kind === "none" || CARRIERS[kind].includes(node))
  .chain(([node, kind]) =>
    (kind === "none" ? fc.constant(undefined) : supportOf(kind)).chain((support) =>
      shapeFor(support, node).map((shape) => ({ node, support, shape })),
    ),
  );

function graphOf(det: Expr, term: Expr, loc: Expr, declared: readonly Declared[] = []): ModelGraph {
  const g = new GraphBuilder("random", families);
  g.data({ name: "N", shape: [], dtype: "int", support: { kind: "integer", lower: 0 } });
  g.data({ name: "J", shape: [], dtype: "int", support: { kind: "integer", lower: 0 } });
  // Every other declaration's name ends in `v`; data named so embed a value where one fits.
  for (const [i, d] of declared.entries()) declare(g, `${d.node[0]}${i}${i % 2 === 0 ? "v" : ""}`, d);
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
  it("300 random graphs, with random declared supports on data, hyper and latent nodes", () => {
    fc.assert(
      fc.property(
        expression("vecN", 3),
        expression("scalar", 3),
        expression("vecN", 2),
        fc.array(declaration, { maxLength: 6 }),
        (det, term, loc, declared) => {
          const graph = graphOf(det, term, loc, declared);
          const text = printModel(graph);
          const back = parseModel(text, families);
          expect(graphToJSON(stripSpans(back))).toBe(graphToJSON(stripSpans(graph)));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("every support kind on every node kind that can carry it", () => {
  /** One fixed support per kind, and the shape it is declared with. */
  const SAMPLES: { readonly [K in Support["kind"]]: readonly [Support, IrShape] } = {
    real: [{ kind: "real" }, ["N"]],
    positive: [{ kind: "positive" }, [2]],
    lower: [{ kind: "lower", lower: -1.5 }, []],
    upper: [{ kind: "upper", upper: 3 }, ["N", 2]],
    interval: [{ kind: "interval", lower: 0, upper: 1 }, [3]],
    simplex: [{ kind: "simplex" }, [3]],
    ordered: [{ kind: "ordered" }, [2]],
    positive_ordered: [{ kind: "positive_ordered" }, [4]],
    cholesky_corr: [{ kind: "cholesky_corr" }, [3, 3]],
    integer: [{ kind: "integer", upper: 7 }, ["J"]],
    boolean: [{ kind: "boolean" }, [2]],
  };
  const cases = (Object.keys(SAMPLES) as Support["kind"][]).flatMap((kind) =>
    CARRIERS[kind].map((node) => [kind, node] as const),
  );

  it.each(cases)("%s on %s", (kind, node) => {
    const [support, sampleShape] = SAMPLES[kind];
    // The builder refuses a larger cholesky_corr hyper-parameter (see tests/ir/hyper_supports.test.ts).
    const shape = kind === "cholesky_corr" && node === "hyper" ? [1, 1] : sampleShape;
    const graph = graphOf(constant(1), constant(0), constant(0), [{ node, support, shape }]);
    const declaredNode = graph.nodes.find((n) => n.name === `${node[0]}0v`)!;
    // The builder keeps the declared support, except a latent's positive, stored as lower(0).
    expect("support" in declaredNode && declaredNode.support).toEqual(
      node === "latent" && kind === "positive" ? { kind: "lower", lower: 0 } : support,
    );
    const back = parseModel(printModel(graph), families);
    expect(graphToJSON(stripSpans(back))).toBe(graphToJSON(stripSpans(graph)));
  });

  it("and bare declarations (no support) as well", () => {
    for (const node of ["data", "hyper", "latent"] as const) {
      const graph = graphOf(constant(1), constant(0), constant(0), [{ node, support: undefined, shape: [2] }]);
      expect(graphToJSON(stripSpans(parseModel(printModel(graph), families)))).toBe(graphToJSON(stripSpans(graph)));
    }
  });
});

describe("computed bounds on a latent", () => {
  /** The random graph plus latent `e` over N whose bounds read data and the latents a, c before it. */
  function withBounds(lower: Expr | undefined, upper: Expr | undefined): ModelGraph {
    const g = new GraphBuilder("random", families);
    for (const node of graphOf(constant(1), constant(0), constant(0)).nodes) {
      if (node.kind === "factor") {
        g.latent({
          name: "e",
          family: "normal",
          args: { loc: constant(0), scale: constant(1) },
          shape: ["N"],
          bounds: { ...(lower ? { lower } : {}), ...(upper ? { upper } : {}) },
        });
      }
      g.add(node);
    }
    return g.build();
  }

  it("200 random scalar and vector bound expressions, lower, upper or both", () => {
    const bound = fc.option(fc.oneof(expression("scalar", 2), expression("vecN", 2)), { nil: undefined });
    fc.assert(
      fc.property(bound, bound, (lower, upper) => {
        fc.pre(lower !== undefined || upper !== undefined);
        const graph = withBounds(lower, upper);
        const back = parseModel(printModel(graph), families);
        expect(graphToJSON(stripSpans(back))).toBe(graphToJSON(stripSpans(graph)));
      }),
      { numRuns: 200 },
    );
  });

  it("prints a computed bound inside the declaration", () => {
    const graph = withBounds(constant(0), binary("sub", constant(1), a));
    expect(printModel(graph)).toContain("vector<lower=0, upper=1 - a>[N] e;");
    expect(graph.nodes.find((n) => n.name === "e")).toMatchObject({ bounds: { upper: { kind: "binary" } } });
  });
});

function stripSpans(graph: ModelGraph): ModelGraph {
  return JSON.parse(JSON.stringify(graph, (k, v) => (k === "span" ? undefined : v))) as ModelGraph;
}
