import { describe, expect, it } from "vitest";
import { DomainError, ModelError, type SprigError } from "../../../../src/core/errors.js";
import { compile } from "../../../../src/inference/model/index.js";
import type { LatentNode, ModelGraph } from "../../../../src/ir/types.js";
import { halfCauchy, type ModelContext, model, normal, Scalar, Vector } from "../../../../src/lang/builder/index.js";
import {
  ard,
  blockArd,
  globalScaleFromSparsity,
  horseshoe,
  kroneckerArd,
  laplaceMixture,
  patternCoupled,
  regularizedHorseshoe,
  type SparsePriorValue,
  spikeAndSlab,
  studentTMixture,
  turboVbi,
} from "../../../../src/lang/builder/priors/index.js";
import { createDefaultRegistry } from "../../../../src/runtime/dists/index.js";
import { createRng } from "../../../../src/runtime/rng/index.js";

/*
 * The expansions' identity in the IR: node names, annotations { prior, group, role }, the
 * parameterization field, discrete flags, and what the compiled model's structure facts report;
 * and the error messages for bad options.
 */
const registry = createDefaultRegistry();

function build(body: (m: ModelContext) => void): ModelGraph {
  return model("m", body, { families: registry });
}

function latents(graph: ModelGraph): LatentNode[] {
  return graph.nodes.filter((n): n is LatentNode => n.kind === "latent");
}

interface Expectation {
  readonly prior: string;
  readonly body: (m: ModelContext) => unknown;
  /** latent name → role */
  readonly roles: Record<string, string>;
  readonly hypers?: readonly string[];
  readonly deterministic?: boolean;
  readonly parameterization: "centered" | "noncentered";
}

const EXPECTED: readonly Expectation[] = [
  {
    prior: "ard",
    body: (m) => ard(m, "x", { size: 3 }),
    roles: { x: "value" },
    hypers: ["x_alpha"],
    parameterization: "centered",
  },
  {
    prior: "horseshoe",
    body: (m) => horseshoe(m, "x", { size: 3 }),
    roles: { x_tau: "global_scale", x_lambda: "local_scale", x_z: "standardized" },
    deterministic: true,
    parameterization: "noncentered",
  },
  {
    prior: "regularized_horseshoe",
    body: (m) => regularizedHorseshoe(m, "x", { size: 3 }),
    roles: { x_tau: "global_scale", x_lambda: "local_scale", x_c2: "slab_variance", x_z: "standardized" },
    deterministic: true,
    parameterization: "noncentered",
  },
  {
    prior: "laplace",
    body: (m) => laplaceMixture(m, "x", { size: 3 }),
    roles: { x_v: "variance", x_z: "standardized" },
    deterministic: true,
    parameterization: "noncentered",
  },
  {
    prior: "student_t",
    body: (m) => studentTMixture(m, "x", { size: 3 }),
    roles: { x_w: "precision", x_z: "standardized" },
    deterministic: true,
    parameterization: "noncentered",
  },
  {
    prior: "spike_and_slab",
    body: (m) => spikeAndSlab(m, "x", { size: 3, inclusion: { alpha: 1, beta: 1 } }),
    roles: { x_pi: "inclusion_probability", x_logit: "inclusion_logit", x_z: "standardized" },
    deterministic: true,
    parameterization: "noncentered",
  },
  {
    prior: "spike_and_slab",
    body: (m) => spikeAndSlab(m, "x", { size: 3, form: "discrete", parameterization: "centered" }),
    roles: { x_gamma: "inclusion", x: "value" },
    parameterization: "centered",
  },
  {
    prior: "kronecker_ard",
    body: (m) => kroneckerArd(m, "x", { dims: [2, 2] }),
    roles: { x: "value" },
    hypers: ["x_alpha1", "x_alpha2"],
    parameterization: "centered",
  },
  {
    prior: "block_ard",
    body: (m) => blockArd(m, "x", { blockSizes: [2, 2] }),
    roles: { x: "value" },
    hypers: ["x_alpha"],
    parameterization: "centered",
  },
  {
    prior: "block_ard",
    body: (m) => blockArd(m, "x", { blockSizes: [2, 1], correlation: 0.5, hyperprior: { shape: 1, rate: 1 } }),
    roles: { x_alpha: "precision", x_pos1: "value", x_pos2: "value" },
    deterministic: true,
    parameterization: "centered",
  },
  {
    prior: "pc_sbl",
    body: (m) => patternCoupled(m, "x", { size: 3 }),
    roles: { x: "value" },
    hypers: ["x_alpha"],
    parameterization: "centered",
  },
  {
    prior: "turbo_vbi",
    body: (m) => turboVbi(m, "x", { size: 2 }),
    roles: { x_support: "support", x_rho: "precision", x: "value" },
    parameterization: "centered",
  },
];

describe.each(EXPECTED)("$prior expansion", (e) => {
  const graph = build((m) => {
    e.body(m);
  });

  it("tags every latent with prior, group and role, and names nodes <group>_<part>", () => {
    const found = Object.fromEntries(latents(graph).map((n) => [n.name, n.annotations]));
    expect(Object.keys(found).sort()).toEqual(Object.keys(e.roles).sort());
    for (const [name, role] of Object.entries(e.roles))
      expect(found[name]).toMatchObject({ prior: e.prior, group: "x", role });
    const hypers = graph.nodes.filter((n) => n.kind === "hyper").map((n) => n.name);
    expect(hypers).toEqual(e.hypers ?? []);
    const value = graph.nodes.find((n) => n.name === "x")!;
    expect(value.kind).toBe(e.deterministic ? "deterministic" : "latent");
  });

  it("stamps the parameterization and the hyper-parameter names on the coefficient latents", () => {
    const anchors = latents(graph).filter(
      (n) => n.annotations?.role === "value" || n.annotations?.role === "standardized",
    );
    expect(anchors.length).toBeGreaterThan(0);
    for (const n of anchors) {
      expect(n.parameterization).toBe(e.parameterization);
      if (e.hypers) expect(n.annotations?.hypers).toBe(e.hypers.join(","));
    }
  });

  it("appears as one sparse-prior group in the compiled structure", () => {
    const compiled = compile(graph, {}, registry);
    const groups = compiled.structure.sparsePriorGroups;
    expect(groups.map((g) => [g.group, g.prior])).toEqual([["x", e.prior]]);
    // Every node the expansion makes is a member: latents, precisions (hypers) and a deterministic value.
    const members = groups[0]!.members;
    const made = graph.nodes.filter((n) => n.kind === "latent" || n.kind === "hyper" || n.kind === "deterministic");
    expect(members.map((m) => m.name).sort()).toEqual(made.map((n) => n.name).sort());
    for (const h of e.hypers ?? []) expect(members.find((m) => m.name === h)?.role).toBe("precision");
    if (e.deterministic) expect(members.find((m) => m.name === "x")?.role).toBe("value");
  });
});

describe("discrete members", () => {
  it("flags spike-and-slab indicators and Turbo-VBI supports as discrete; the relaxed form has none", () => {
    const discrete = compile(
      build((m) => void spikeAndSlab(m, "x", { size: 3, form: "discrete" })),
      {},
      registry,
    );
    expect(discrete.discreteLatents).toEqual(["x_gamma"]);
    expect(discrete.graph.nodes.find((n) => n.name === "x_gamma")).toMatchObject({ annotations: { discrete: true } });
    const turbo = compile(
      build((m) => void turboVbi(m, "x", { size: 3 })),
      {},
      registry,
    );
    expect(turbo.discreteLatents).toEqual(["x_support"]);
    expect(turbo.graph.nodes.find((n) => n.name === "x_support")).toMatchObject({
      family: "binary_markov_chain",
      annotations: { discrete: true },
    });
    const relaxed = compile(
      build((m) => void spikeAndSlab(m, "x", { size: 3 })),
      {},
      registry,
    );
    expect(relaxed.discreteLatents).toEqual([]);
  });
});

describe("the returned value", () => {
  it("is a Vector usable in expressions, carrying the prior's identity and parts", () => {
    let beta: SparsePriorValue<{ tau: Scalar; lambda: Vector }> | undefined;
    build((m) => {
      const X = m.data.matrix("X", 2, 3);
      const y = m.data.vector("y", 2);
      beta = horseshoe(m, "beta", { size: 3 });
      m.observe(y, normal({ loc: X.matvec(beta), scale: 1 }));
    });
    expect(beta).toBeInstanceOf(Vector);
    expect(beta!.prior).toBe("horseshoe");
    expect(beta!.group).toBe("beta");
    expect(beta!.parameterization).toBe("noncentered");
    expect(beta!.parts.tau).toBeInstanceOf(Scalar);
    expect(beta!.parts.lambda).toBeInstanceOf(Vector);
  });
});

describe("global scale from the expected number of non-zeros", () => {
  it("is p₀/(D − p₀)·σ/√N for numbers", () => {
    expect(globalScaleFromSparsity({ expectedNonZeros: 3, size: 100, numObservations: 50, noiseScale: 2 })).toBeCloseTo(
      (3 / 97) * (2 / Math.sqrt(50)),
      15,
    );
  });

  it("with data sizes and a data noise scale gives the same density as the number", () => {
    const symbolic = build((m) => {
      const N = m.data.int("N");
      const D = m.data.int("D");
      const sigma = m.data.real("sigma", { lower: 0 });
      horseshoe(m, "beta", { size: D, expectedNonZeros: 3, noiseScale: sigma, numObservations: N });
    });
    const numeric = build((m) => void horseshoe(m, "beta", { size: 10, globalScale: (3 / 7) * (0.5 / Math.sqrt(40)) }));
    const a = compile(symbolic, { N: 40, D: 10, sigma: 0.5 }, registry);
    const b = compile(numeric, {}, registry);
    const theta = a.samplePrior(createRng(5));
    expect(a.logDensity(theta)).toBeCloseTo(b.logDensity(theta), 12);
  });
});

describe("errors", () => {
  const thrown = (body: (m: ModelContext) => void): SprigError => {
    try {
      build(body);
    } catch (e) {
      return e as SprigError;
    }
    throw new Error("expected an error");
  };

  it("a misspelt option names the option and suggests the right one, pointing at the caller", () => {
    const e = thrown((m) => void horseshoe(m, "beta", { size: 3, globalscale: 1 } as never));
    expect(e).toBeInstanceOf(ModelError);
    expect(e.message).toContain("horseshoe('beta'): unknown option 'globalscale'");
    expect(e.message).toContain("did you mean 'globalScale'?");
    expect(e.span?.file).toMatch(/annotations\.test\.ts$/);
  });

  it("out-of-range values are DomainErrors in the one message format", () => {
    const e = thrown((m) => void regularizedHorseshoe(m, "beta", { size: 3, slabScale: -1 }));
    expect(e).toBeInstanceOf(DomainError);
    expect(e.message).toMatch(
      /regularized_horseshoe\('beta'\): option 'slabScale' is out of range — got -1, expected positive\.$/,
    );
    expect(thrown((m) => void blockArd(m, "x", { blockSizes: [2], correlation: 1 }))).toBeInstanceOf(DomainError);
    expect(thrown((m) => void horseshoe(m, "b", { size: 5, expectedNonZeros: 5, numObservations: 10 }))).toBeInstanceOf(
      DomainError,
    );
    expect(thrown((m) => void kroneckerArd(m, "x", { dims: [2, 0] }))).toBeInstanceOf(DomainError);
  });

  it("structured priors need literal sizes", () => {
    const e = thrown((m) => void patternCoupled(m, "x", { size: m.data.int("N") as never }));
    expect(e.message).toContain("pc_sbl('x'): option 'size' must be a literal positive integer — got integer data 'N'");
  });

  it("inconsistent combinations are refused with a way out", () => {
    expect(thrown((m) => void spikeAndSlab(m, "x", { size: 3, spikeScale: 0 })).message).toContain(
      "Hint: use form: 'discrete' with the non-centred parameterization",
    );
    expect(thrown((m) => void horseshoe(m, "x", { size: 3, globalScale: 1, expectedNonZeros: 1 })).message).toContain(
      "either 'globalScale' or 'expectedNonZeros'",
    );
    expect(thrown((m) => void horseshoe(m, "x", { size: 3, expectedNonZeros: 1 })).message).toContain(
      "needs 'numObservations'",
    );
    expect(thrown((m) => void ard(m, "x", { size: 3, hyperprior: { shape: 1, rate: 1 }, init: 2 })).message).toContain(
      "'init' only applies",
    );
    expect(thrown((m) => void ard(m, "x", { size: 3, parameterization: "centred" as never })).message).toContain(
      "unknown parameterization",
    );
    expect(thrown((m) => void patternCoupled(m, "x", { size: 3, grid: [1, 3] })).message).toContain(
      "exactly one of 'size'",
    );
  });

  it("a name clash with the user's own nodes is the builder's duplicate-name error", () => {
    const e = thrown((m) => {
      m.param("beta_tau", halfCauchy({ scale: 1 }));
      horseshoe(m, "beta", { size: 3 });
    });
    expect(e.message).toContain("duplicate name 'beta_tau'");
  });
});
