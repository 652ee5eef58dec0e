/**
 * parse(print(graph)) = graph for the expanded hierarchy of every sparse prior. The expansions
 * tag their latents, their point-estimated precisions (role "precision") and the non-centred
 * value x (role "value") with annotations, which the printer writes as `@key(value)` in front of
 * the parameters, hyper and transformed blocks' declarations; reading the text back must give
 * the same nodes, in the same order, with the same tags and parameterization.
 *
 * Annotation keys are compared as a set: the printer writes them sorted, so the parsed node
 * lists them in that order, while the builder keeps its insertion order. Everything else is
 * compared exactly, and printing the parsed graph must give the same text again.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { exampleFamilies } from "../../../examples/models/families.js";
import { makeBlockSparse } from "../../../examples/models/sparse_block.js";
import { makeKroneckerRecovery } from "../../../examples/models/sparse_kronecker_recovery.js";
import { sparseRegression } from "../../../examples/models/sparse_regression.js";
import { binary, constant, GraphBuilder, graphToJSON, printModel } from "../../../src/ir/index.js";
import type { Annotations, ModelGraph } from "../../../src/ir/types.js";
import { halfNormal, type ModelContext, model, normal, type Vector } from "../../../src/lang/builder/index.js";
import {
  ard,
  blockArd,
  horseshoe,
  kroneckerArd,
  laplaceMixture,
  patternCoupled,
  regularizedHorseshoe,
  spikeAndSlab,
  studentTMixture,
  turboVbi,
} from "../../../src/lang/builder/priors/index.js";
import { parseModel } from "../../../src/lang/text/index.js";

const families = exampleFamilies();

/** The graph as plain JSON without source spans (spans point into different texts). */
function plain(graph: ModelGraph): unknown {
  return JSON.parse(graphToJSON(graph), (key, value) => (key === "span" ? undefined : value));
}

/**
 * y = A·x + noise around a sparse prior on x of length `size`, with the noise scale
 * point-estimated (the form EM-SBL reads) and declared first, as in examples/models/sparse_*.ts.
 */
function regression(name: string, size: number, prior: (m: ModelContext) => Vector): ModelGraph {
  return model(
    name,
    (m) => {
      const M = m.data.int("M", { lower: 1 });
      const A = m.data.matrix("A", M, size);
      const y = m.data.vector("y", M);
      const sigma = m.hyper("sigma", { init: 0.5, lower: 0 });
      const x = prior(m);
      m.observe(y, normal({ loc: A.matvec(x), scale: sigma }));
    },
    { families },
  );
}

/** Each sparse prior in its default form and in the variants that change which nodes it makes. */
const CASES: readonly [string, ModelGraph][] = [
  ["ard (centred, precisions as hyper-parameters)", regression("ard", 4, (m) => ard(m, "x", { size: 4 }))],
  [
    "ard (non-centred, vector init)",
    regression("ard_nc", 3, (m) => ard(m, "x", { size: 3, parameterization: "noncentered", init: [1, 2, 0.5] })),
  ],
  [
    "ard (gamma hyper-prior: precisions as latents)",
    regression("ard_hp", 3, (m) => ard(m, "x", { size: 3, hyperprior: { shape: 1, rate: 0.5 } })),
  ],
  ["horseshoe (non-centred)", regression("hs", 4, (m) => horseshoe(m, "x", { size: 4 }))],
  [
    "horseshoe (centred, heavier tails, global scale from the sparsity guess)",
    model(
      "hs_c",
      (m) => {
        const N = m.data.int("N", { lower: 1 });
        const D = m.data.int("D", { lower: 1 });
        const X = m.data.matrix("X", N, D);
        const y = m.data.vector("y", N);
        const sigma = m.param("sigma", halfNormal({ scale: 2 }), { lower: 0 });
        const beta = horseshoe(m, "beta", {
          size: D,
          parameterization: "centered",
          expectedNonZeros: 2,
          noiseScale: sigma,
          numObservations: N,
          localDf: 3,
          globalDf: 1,
        });
        m.observe(y, normal({ loc: X.matvec(beta), scale: sigma }));
      },
      { families },
    ),
  ],
  ["regularized_horseshoe (the sparse regression example)", sparseRegression],
  [
    "regularized_horseshoe (centred, slab settings)",
    regression("rhs_c", 4, (m) =>
      regularizedHorseshoe(m, "x", { size: 4, parameterization: "centered", slabScale: 1.5, slabDf: 6 }),
    ),
  ],
  ["laplace mixture (non-centred)", regression("lap", 3, (m) => laplaceMixture(m, "x", { size: 3, scale: 0.5 }))],
  [
    "laplace mixture (centred)",
    regression("lap_c", 3, (m) => laplaceMixture(m, "x", { size: 3, parameterization: "centered" })),
  ],
  ["student_t mixture (non-centred)", regression("st", 3, (m) => studentTMixture(m, "x", { size: 3, df: 3 }))],
  [
    "student_t mixture (centred)",
    regression("st_c", 3, (m) => studentTMixture(m, "x", { size: 3, parameterization: "centered", scale: 2 })),
  ],
  [
    "spike_and_slab (relaxed, beta inclusion)",
    regression("ss", 3, (m) => spikeAndSlab(m, "x", { size: 3, inclusion: { alpha: 1, beta: 4 } })),
  ],
  [
    "spike_and_slab (discrete indicators, centred)",
    regression("ss_d", 3, (m) =>
      spikeAndSlab(m, "x", { size: 3, form: "discrete", parameterization: "centered", inclusion: 0.2 }),
    ),
  ],
  [
    "spike_and_slab (discrete indicators, non-centred)",
    regression("ss_dn", 3, (m) => spikeAndSlab(m, "x", { size: 3, form: "discrete", spikeScale: 0.01 })),
  ],
  ["kronecker_ard (the recovery example)", makeKroneckerRecovery([2, 3])],
  [
    "kronecker_ard (non-centred, gamma hyper-prior)",
    regression("kr", 6, (m) =>
      kroneckerArd(m, "x", { dims: [3, 2], parameterization: "noncentered", hyperprior: { shape: 2, rate: 1 } }),
    ),
  ],
  ["block_ard (the block example: AR(1) blocks, non-centred)", makeBlockSparse([2, 3], 0.8)],
  ["block_ard (centred, independent blocks)", regression("ba", 4, (m) => blockArd(m, "x", { blockSizes: [2, 2] }))],
  [
    "block_ard (centred AR(1) blocks, gamma hyper-prior)",
    regression("ba_hp", 3, (m) =>
      blockArd(m, "x", { blockSizes: [2, 1], correlation: 0.5, hyperprior: { shape: 1, rate: 1 } }),
    ),
  ],
  ["pattern_coupled (chain)", regression("pc", 4, (m) => patternCoupled(m, "x", { size: 4, coupling: 0.5 }))],
  [
    "pattern_coupled (grid, non-centred)",
    regression("pc_g", 6, (m) => patternCoupled(m, "x", { grid: [2, 3], parameterization: "noncentered" })),
  ],
  ["turbo_vbi (centred)", regression("tv", 3, (m) => turboVbi(m, "x", { size: 3 }))],
  [
    "turbo_vbi (non-centred, custom chain)",
    regression("tv_nc", 3, (m) =>
      turboVbi(m, "x", { size: 3, parameterization: "noncentered", p01: 0.1, p10: 0.3, firstActive: 0.5 }),
    ),
  ],
];

describe("parse(print(graph)) = graph for every sparse prior", () => {
  it.each(CASES)("%s", (_, graph) => {
    const text = printModel(graph);
    const back = parseModel(text, families, { name: graph.name });
    expect(plain(back)).toEqual(plain(graph));
    expect(printModel(back)).toBe(text);
  });

  it("the annotated hyper-parameters and the non-centred value are really in the printed text", () => {
    expect(printModel(CASES[0]![1])).toContain(
      'hyper {\n  real<lower=0> sigma = 0.5;\n  @group("x") @prior("ard") @role("precision") vector<lower=0>[4] x_alpha = 1;\n}',
    );
    expect(printModel(CASES[3]![1])).toContain(
      'transformed parameters {\n  @global_df(1) @global_scale(1) @group("x") @local_df(1) @prior("horseshoe") @role("value") vector[4] x = ',
    );
    // The cases exercise tagged hyper-parameters and tagged deterministic values, not only latents.
    const tagged = (kind: string, role: string): number =>
      CASES.filter(([, g]) =>
        g.nodes.some((n) => n.kind === kind && "annotations" in n && n.annotations?.role === role),
      ).length;
    expect(tagged("hyper", "precision")).toBe(7);
    expect(tagged("deterministic", "value")).toBe(12);
  });
});

describe("parse(print(graph)) = graph for random annotations", () => {
  // Keys are IR identifiers, keywords of the language included. Left out are the tags whose
  // printed form reads back as something else (see the report on the printer): `part`, which the
  // text reserves for `target +=`, a string `parameterization` on a latent (the printer writes the
  // latent's parameterization field the same way), and the numbers -0, NaN and ±Infinity, which
  // print as `0`, `NaN` and `Infinity`.
  const key = fc
    .oneof(
      fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,6}$/),
      fc.constantFrom("data", "model", "hyper", "in", "for", "real", "vector", "target", "true"),
    )
    .filter((k) => k !== "part" && k !== "parameterization");
  const value = fc.oneof(
    fc.string({ unit: "binary", maxLength: 8 }),
    fc.integer({ min: -1000, max: 1000 }),
    fc.double({ noNaN: true, noDefaultInfinity: true }).filter((v) => !Object.is(v, -0)),
    fc.boolean(),
  );
  const tags = fc.dictionary(key, value, { maxKeys: 4 });

  it("on hyper-parameters, latents and transformed parameters (200 graphs)", () => {
    fc.assert(
      fc.property(tags, tags, tags, (hyperTags, latentTags, detTags) => {
        const g = new GraphBuilder("tags", families);
        const some = (a: Annotations): { annotations?: Annotations } =>
          Object.keys(a).length > 0 ? { annotations: a } : {};
        g.data({ name: "y", shape: [3] });
        const h = g.hyper({ name: "h", shape: [], support: { kind: "lower", lower: 0 }, init: 1, ...some(hyperTags) });
        const z = g.latent({
          name: "z",
          family: "normal",
          args: { loc: constant(0), scale: h },
          shape: [3],
          ...some(latentTags),
        });
        const d = g.deterministic({ name: "d", expr: binary("mul", z, h), ...some(detTags) });
        g.observed({ name: "y", family: "normal", args: { loc: d, scale: constant(1) } });
        const graph = g.build();
        const text = printModel(graph);
        expect(plain(parseModel(text, families, { name: "tags" }))).toEqual(plain(graph));
      }),
      { numRuns: 200 },
    );
  });
});

describe("declaration order the printed text does not record", () => {
  /** The nodes grouped by kind, each group in graph order. */
  function byKind(graph: ModelGraph): Record<string, unknown[]> {
    const out: Record<string, unknown[]> = {};
    for (const n of (plain(graph) as { nodes: { kind: string }[] }).nodes) {
      out[n.kind] = [...(out[n.kind] ?? []), n];
    }
    return out;
  }

  it("a parameter declared before a prior's precisions: both graphs take the IR's canonical order", () => {
    // The hyper block holds every hyper-parameter, so the text cannot say that the builder made
    // `sigma` before `x_alpha`. The IR builder therefore puts hyper-parameters right after the data
    // whichever front end built the graph, and both graphs come out identical.
    const graph = model(
      "ard_after_sigma",
      (m) => {
        const M = m.data.int("M", { lower: 1 });
        const A = m.data.matrix("A", M, 3);
        const y = m.data.vector("y", M);
        const sigma = m.param("sigma", halfNormal({ scale: 1 }), { lower: 0 });
        const x = ard(m, "x", { size: 3, parameterization: "noncentered" });
        m.observe(y, normal({ loc: A.matvec(x), scale: sigma }));
      },
      { families },
    );
    const back = parseModel(printModel(graph), families, { name: graph.name });
    expect(graph.nodes.map((n) => n.name)).toEqual(["M", "A", "y", "x_alpha", "sigma", "x_z", "x", "y"]);
    expect(back.nodes.map((n) => n.name)).toEqual(["M", "A", "y", "x_alpha", "sigma", "x_z", "x", "y"]);
    expect(byKind(back)).toEqual(byKind(graph));
    expect(plain(back)).toEqual(plain(graph));
  });
});
