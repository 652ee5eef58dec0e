/**
 * The Turbo-VBI prior with its support as one `binary_markov_chain` latent: the size may be
 * integer data (one graph serves every N, with the same nodes), the compiled model's support
 * term is the exact chain law (enumerated over {0, 1}ᴺ), prior draws make the chain's
 * transitions at the right rates (4 MCSE), the text language reads `vector[N] w; w ~ turbo_vbi()`
 * into the same graph and prints it back, and gradient backends refuse the discrete support by
 * name.
 */
import { describe, expect, it } from "vitest";
import { CapabilityError, ModelError } from "../../../../src/core/errors.js";
import { sample } from "../../../../src/inference/mcmc/index.js";
import { compile } from "../../../../src/inference/model/index.js";
import { fitAdvi } from "../../../../src/inference/vi/index.js";
import { graphToJSON, type ModelGraph, printModel } from "../../../../src/ir/index.js";
import { type ModelContext, model, normal } from "../../../../src/lang/builder/index.js";
import { type TurboVbiOptions, turboVbi } from "../../../../src/lang/builder/priors/index.js";
import { parseModel } from "../../../../src/lang/text/index.js";
import { createDefaultRegistry } from "../../../../src/runtime/dists/index.js";
import { createRng } from "../../../../src/runtime/rng/index.js";
import { expectMeansWithinMcse } from "../../../helpers/mcse.js";

const registry = createDefaultRegistry();
const gammaDist = registry.get("gamma");
const normalDist = registry.get("normal");

const p01 = 0.15;
const p10 = 0.35;
const firstActive = 0.6;
// Dyadic laws: `inactive + s·(active − inactive)` is then exact in floating point.
const active = { shape: 2, rate: 0.5 };
const inactive = { shape: 3, rate: 4 };
const OPTIONS: Omit<TurboVbiOptions, "size"> = { p01, p10, firstActive, active, inactive };

/** The prior alone, sized by integer data N. */
const prior = model(
  "turbo_data_sized",
  (m) => {
    const N = m.data.int("N", { lower: 1 });
    turboVbi(m, "w", { size: N, ...OPTIONS });
  },
  { families: registry },
);

/** The graph as plain JSON without source spans. */
function plain(graph: ModelGraph): unknown {
  return JSON.parse(graphToJSON(graph), (key, value) => (key === "span" ? undefined : value));
}

/** Sum over i of a per-element log density, with per-element parameters picked by s_i. */
function conditionalLayers(s: Float64Array, rho: Float64Array, x: Float64Array): number {
  const n = s.length;
  const shape = Float64Array.from(s, (v) => (v === 1 ? active.shape : inactive.shape));
  const rate = Float64Array.from(s, (v) => (v === 1 ? active.rate : inactive.rate));
  const scale = Float64Array.from({ length: n }, (_, i) => rho[i]! ** -0.5);
  return gammaDist.logDensity(rho, { shape, rate }) + normalDist.logDensity(x, { loc: 0, scale });
}

describe("turbo_vbi with a data-sized support chain", () => {
  it("builds one support latent whatever N is: the same graph for data N as nodes, independent of the size", () => {
    const latents = prior.nodes.filter((n) => n.kind === "latent");
    expect(latents.map((n) => n.name)).toEqual(["w_support", "w_rho", "w"]);
    expect(latents[0]).toMatchObject({
      family: "binary_markov_chain",
      annotations: { role: "support", discrete: true },
    });
    const literal = (size: number) => model("m", (m) => void turboVbi(m, "w", { size }), { families: registry });
    expect(literal(500).nodes.length).toBe(literal(3).nodes.length);
    for (const n of [1, 7, 40]) {
      const compiled = compile(prior, { N: n }, registry);
      expect(compiled.discreteLatents).toEqual(["w_support"]);
      expect(compiled.layout.map((v) => [v.name, v.shape])).toEqual([
        ["w_support", [n]],
        ["w_rho", [n]],
        ["w", [n]],
      ]);
    }
  });

  it("has the exact chain law as its support term: Σ over all 2^N supports of p(s) is 1 (N ≤ 10, within 1e-12)", () => {
    // log p(s, ρ, x) − log p(ρ | s) − log p(x | ρ) = log p(s), evaluated by the compiled model
    // (jacobian off: the constrained density) at fixed ρ and x for every s ∈ {0, 1}ᴺ.
    const rng = createRng(11);
    for (let n = 1; n <= 10; n++) {
      const compiled = compile(prior, { N: n }, registry, { jacobian: false });
      const draw = compiled.constrainedValues(compiled.samplePrior(rng));
      const rho = draw.w_rho as Float64Array;
      const x = draw.w as Float64Array;
      let total = 0;
      for (let code = 0; code < 2 ** n; code++) {
        const s = Float64Array.from({ length: n }, (_, i) => (code >> i) & 1);
        let naive = s[0] === 1 ? firstActive : 1 - firstActive;
        for (let i = 1; i < n; i++) {
          const up = s[i - 1] === 1 ? 1 - p10 : p01;
          naive *= s[i] === 1 ? up : 1 - up;
        }
        const theta = compiled.unconstrain({ w_support: s, w_rho: rho, w: x });
        const logSupport = compiled.logDensity(theta) - conditionalLayers(s, rho, x);
        expect(Math.abs(logSupport - Math.log(naive)), `N = ${n}, s = ${Array.from(s)}`).toBeLessThan(1e-10);
        total += Math.exp(logSupport);
      }
      expect(Math.abs(total - 1), `N = ${n}`).toBeLessThan(1e-12);
    }
  });

  it("draws supports from the prior with the chain's transition rates (4 MCSE)", () => {
    // Per prior draw (iid): s₁ and the transition counts n₀₀, n₀₁, n₁₀, n₁₁ over N = 25 steps.
    // E[n_ab] = Σ_{i<N} P(s_i = a)·P(a → b), with P(s_i = 1) propagated from firstActive;
    // each mean is compared with its MCSE = sd/√draws.
    const n = 25;
    const draws = 8000;
    const compiled = compile(prior, { N: n }, registry);
    const expected = [firstActive, 0, 0, 0, 0];
    let q = firstActive;
    for (let i = 0; i + 1 < n; i++) {
      expected[1]! += (1 - q) * (1 - p01);
      expected[2]! += (1 - q) * p01;
      expected[3]! += q * p10;
      expected[4]! += q * (1 - p10);
      q = p01 * (1 - q) + (1 - p10) * q;
    }
    const stats = Array.from({ length: 5 }, () => new Float64Array(draws));
    const rng = createRng(5);
    const theta = new Float64Array(compiled.dimension);
    for (let d = 0; d < draws; d++) {
      compiled.samplePrior(rng, theta);
      const s = compiled.constrainedValues(theta).w_support as Float64Array;
      stats[0]![d] = s[0]!;
      for (let i = 1; i < n; i++) stats[1 + 2 * s[i - 1]! + s[i]!]![d]! += 1;
    }
    expectMeansWithinMcse(stats, expected);
  });

  it("reads `vector[N] w; w ~ turbo_vbi(...)` with data N into the builder's graph, and prints it back", () => {
    const text = `data { int<lower=1> N; } parameters { vector[N] w; }
      model { w ~ turbo_vbi(p01=0.15, p10=0.35, first_active=0.6); }`;
    const parsed = parseModel(text, registry, { name: "turbo_text" });
    const built = model(
      "turbo_text",
      (m) => void turboVbi(m, "w", { size: m.data.int("N", { lower: 1 }), p01, p10, firstActive }),
      { families: registry },
    );
    expect(plain(parsed)).toEqual(plain(built));
    const printed = printModel(parsed);
    expect(printed).toContain("w_support ~ binary_markov_chain(first=0.6, p01=0.15, p10=0.35);");
    expect(plain(parseModel(printed, registry, { name: "turbo_text" }))).toEqual(plain(parsed));
  });

  it("still refuses a size that is neither a positive integer nor integer data", () => {
    expect(() => model("m", (m) => void turboVbi(m, "w", { size: 2.5 }), { families: registry })).toThrow(ModelError);
  });
});

describe("gradient backends refuse the discrete support by name", () => {
  const regression = (m: ModelContext) => {
    const N = m.data.int("N", { lower: 1 });
    const M = m.data.int("M", { lower: 1 });
    const w = turboVbi(m, "w", { size: N, ...OPTIONS });
    m.observe(m.data.vector("y", M), normal({ loc: m.data.matrix("A", M, N).matvec(w), scale: 0.5 }));
  };
  const compiled = compile(
    model("turbo_regression", regression, { families: registry }),
    {
      N: 3,
      M: 2,
      A: [
        [1, 0, 2],
        [0, 1, 1],
      ],
      y: [0.5, -0.2],
    },
    registry,
  );

  it("NUTS", async () => {
    await expect(sample(compiled, { numChains: 1, numWarmup: 10, numSamples: 10 })).rejects.toThrow(CapabilityError);
    await expect(sample(compiled, { numChains: 1, numWarmup: 10, numSamples: 10 })).rejects.toThrow(
      "nuts: latent 'w_support' is discrete; NUTS needs gradients for every latent. Hint: marginalise 'w_support' out of the model or use smc.",
    );
  });

  it("ADVI", () => {
    expect(() => fitAdvi(compiled, { seed: 1 })).toThrow(CapabilityError);
    expect(() => fitAdvi(compiled, { seed: 1 })).toThrow(/latent 'w_support'.*discrete/);
  });
});
