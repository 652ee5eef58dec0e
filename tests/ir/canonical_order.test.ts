/**
 * GraphBuilder.build() puts the nodes in one canonical order (data, transformed data, hyper,
 * then latents/observations/factors in declaration order with each deterministic just before
 * its first reader), the order the text front end gives back for printed text. So the builder's
 * graph and parse(print(graph)) are equal node for node, whatever order the builder calls came
 * in, and annotations are stored with sorted keys in both.
 */
import { describe, expect, it } from "vitest";
import { makeBlockSparse } from "../../examples/models/sparse_block.js";
import { makeKroneckerRecovery } from "../../examples/models/sparse_kronecker_recovery.js";
import { sparseRegression } from "../../examples/models/sparse_regression.js";
import { ModelError } from "../../src/core/errors.js";
import { binary, constant, GraphBuilder, graphFromJSON, graphToJSON, printModel } from "../../src/ir/index.js";
import type { ModelGraph } from "../../src/ir/types.js";
import { halfNormal, model, normal } from "../../src/lang/builder/index.js";
import { ard, horseshoe } from "../../src/lang/builder/priors/index.js";
import { parseModel } from "../../src/lang/text/index.js";
import { createDefaultRegistry } from "../../src/runtime/dists/index.js";

const registry = createDefaultRegistry();

/** The graph as JSON text without source spans (spans point into different texts). */
function plain(graph: ModelGraph): string {
  return JSON.stringify(JSON.parse(graphToJSON(graph), (key, value) => (key === "span" ? undefined : value)));
}

const names = (graph: ModelGraph): string[] => graph.nodes.map((n) => n.name);

function roundTrip(graph: ModelGraph): ModelGraph {
  return parseModel(printModel(graph), registry, { name: graph.name });
}

/** y = A·x + noise, with `sigma = m.param(...)` declared before or after the prior on x. */
function paramAndPrior(name: string, paramFirst: boolean, prior: "ard" | "horseshoe"): ModelGraph {
  return model(
    name,
    (m) => {
      const M = m.data.int("M", { lower: 1 });
      const A = m.data.matrix("A", M, 3);
      const y = m.data.vector("y", M);
      const sigmaOf = () => m.param("sigma", halfNormal({ scale: 1 }), { lower: 0 });
      const sigma = paramFirst ? sigmaOf() : undefined;
      const x =
        prior === "ard" ? ard(m, "x", { size: 3, parameterization: "noncentered" }) : horseshoe(m, "x", { size: 3 });
      m.observe(y, normal({ loc: A.matvec(x), scale: sigma ?? sigmaOf() }));
    },
    { families: registry },
  );
}

describe("the builder's graph equals parse(print(graph))", () => {
  const cases: [string, ModelGraph][] = [
    ["examples/models/sparse_regression.ts", sparseRegression],
    ["examples/models/sparse_kronecker_recovery.ts", makeKroneckerRecovery([2, 3])],
    ["examples/models/sparse_block.ts", makeBlockSparse([2, 3], 0.8)],
    ["ard (non-centred) after sigma = m.param(...)", paramAndPrior("ard_then", true, "ard")],
    ["horseshoe, then sigma = m.param(...)", paramAndPrior("hs_then", false, "horseshoe")],
  ];
  it.each(cases)("%s", (_, graph) => {
    const back = roundTrip(graph);
    expect(names(back)).toEqual(names(graph));
    expect(plain(back)).toBe(plain(graph));
  });

  it("places hyper-parameters after the data and each deterministic before its first reader", () => {
    // The builder calls came as `sigma x_alpha x_z x y` and `x_z x sigma y`.
    expect(names(paramAndPrior("a", true, "ard"))).toEqual(["M", "A", "y", "x_alpha", "sigma", "x_z", "x", "y"]);
    const hs = names(paramAndPrior("h", false, "horseshoe"));
    expect(hs.slice(-4)).toEqual(["x_z", "sigma", "x", "y"]);
  });
});

describe("canonical order", () => {
  /** Declared out of canonical order: a hyper after a latent, data after a deterministic, ... */
  function scrambled(): ModelGraph {
    const b = new GraphBuilder("scrambled", registry);
    const N = b.data({ name: "N", shape: [], dtype: "int", support: { kind: "integer", lower: 1 } });
    const mu = b.latent({ name: "mu", family: "normal", args: { loc: constant(0), scale: constant(1) } });
    const shifted = b.deterministic({ name: "shifted", expr: binary("add", mu, constant(1)) });
    const unused = b.deterministic({ name: "unused", expr: binary("mul", mu, constant(2)) });
    b.deterministic({ name: "unused2", expr: binary("mul", unused, constant(2)) });
    const h = b.hyper({ name: "h", support: { kind: "lower", lower: 0 }, init: 1 });
    const twiceN = b.deterministic({ name: "twiceN", expr: binary("mul", N, constant(2)) });
    const tau = b.latent({ name: "tau", family: "half_normal", args: { scale: h } });
    b.data({ name: "y", shape: ["N"] });
    const scale = b.deterministic({ name: "scale", expr: binary("add", tau, twiceN) });
    const both = b.deterministic({ name: "both", expr: binary("mul", scale, shifted) });
    b.observed({ name: "y", family: "normal", args: { loc: both, scale } });
    b.factor({ expr: shifted });
    return b.build();
  }

  it("is data, transformed data, hyper, then the rest with deterministics just before first use", () => {
    // The observation reads `both` and `scale`, declared `scale` then `both`; `both` reads
    // `shifted`, placed just before it. Unused deterministics go last; the latents keep their
    // order (mu, tau).
    expect(names(scrambled())).toEqual([
      "N",
      "y",
      "twiceN",
      "h",
      "mu",
      "tau",
      "scale",
      "shifted",
      "both",
      "y",
      "factor_1",
      "unused",
      "unused2",
    ]);
  });

  it("is a fixed point: rebuilding (JSON) and parse(print(·)) keep it", () => {
    const graph = scrambled();
    expect(graphToJSON(graphFromJSON(graphToJSON(graph), registry))).toBe(graphToJSON(graph));
    expect(plain(roundTrip(graph))).toBe(plain(graph));
  });
});

describe("annotations round-trip and are checked", () => {
  it("stores keys sorted and reads back -0", () => {
    const b = new GraphBuilder("tags", registry);
    const support = { kind: "lower", lower: 0 } as const;
    b.hyper({ name: "h", support, init: 1, annotations: { zeta: -0, alpha: 2, mid: "m" } });
    const graph = b.build();
    const node = graph.nodes[0]!;
    expect(node.kind === "hyper" && Object.keys(node.annotations ?? {})).toEqual(["alpha", "mid", "zeta"]);
    expect(printModel(graph)).toContain('@alpha(2) @mid("m") @zeta(-0) real<lower=0> h = 1;');
    const back = roundTrip(graph).nodes[0]!;
    expect(back.kind === "hyper" && Object.is(back.annotations?.zeta, -0)).toBe(true);
    expect(plain(roundTrip(graph))).toBe(plain(graph));
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])("rejects the number %s", (v) => {
    const b = new GraphBuilder("bad", registry);
    expect(() => b.deterministic({ name: "d", expr: constant(1), annotations: { w: v } })).toThrow(
      /deterministic 'd': annotation 'w' must be a finite number — got (NaN|-?Infinity)/,
    );
  });

  it("rejects `part` on declarations and `parameterization` on a latent", () => {
    const b = new GraphBuilder("bad", registry);
    expect(() => b.hyper({ name: "h", init: 1, annotations: { part: "prior" } })).toThrow(ModelError);
    expect(() => b.deterministic({ name: "d", expr: constant(1), annotations: { part: "prior" } })).toThrow(
      /'part' is a reserved annotation/,
    );
    expect(() =>
      b.latent({
        name: "z",
        family: "normal",
        args: { loc: constant(0), scale: constant(1) },
        annotations: { parameterization: "noncentered" },
      }),
    ).toThrow(/latent 'z': 'parameterization' is a reserved annotation.*own field/);
  });
});
