import { describe, expect, it } from "vitest";
import { foldDraws, quantile, rankNormalize, splitChains } from "../../../src/inference/diagnostics/draws.js";
import { countFlags, countSaturated, ebfmi } from "../../../src/inference/diagnostics/sampler.js";
import { diagnose, summarize, summary } from "../../../src/inference/diagnostics/summary.js";
import { type McmcResult, sample } from "../../../src/inference/mcmc/sample.js";
import { createRng } from "../../../src/runtime/rng/index.js";
import { normalCdf } from "../../../src/runtime/special.js";
import { diagonalGaussianModel, realLayout } from "../mcmc/models.js";

describe("draw transforms", () => {
  it("split chains drop the middle draw of odd lengths", () => {
    const halves = splitChains([new Float64Array([1, 2, 3, 4, 5]), new Float64Array([6, 7, 8, 9, 10])]);
    expect(halves.map((h) => Array.from(h))).toEqual([
      [1, 2],
      [4, 5],
      [6, 7],
      [9, 10],
    ]);
  });

  it("rank normalisation uses pooled average ranks and Blom's offset", () => {
    const [a, b] = rankNormalize([new Float64Array([3, 1]), new Float64Array([2, 2])]);
    // Ranks 4, 1 and the tie 2.5, 2.5 over S = 4: z = Φ⁻¹((r − 3/8)/(4 + 1/4)).
    const z = (r: number) => (r - 0.375) / 4.25;
    expect(normalCdf(a[1])).toBeCloseTo(z(1), 14);
    expect(b[0]).toBe(b[1]);
    expect(b[0]).toBeCloseTo(0, 12); // z(2.5) = 0.5
    expect(a[0]).toBeCloseTo(-a[1], 12);
    expect(z(2.5)).toBe(0.5);
  });

  it("quantiles interpolate (type 7) and folding centres on the median", () => {
    expect(quantile([new Float64Array([4, 1]), new Float64Array([3, 2])], 0.5)).toBe(2.5);
    expect(quantile([new Float64Array([1, 2, 3, 4, 5])], 0.05)).toBeCloseTo(1.2, 14);
    expect(Array.from(foldDraws([new Float64Array([1, 2, 6])])[0])).toEqual([1, 0, 4]);
  });
});

describe("sampler diagnostics", () => {
  it("E-BFMI ≈ 2 for independent energies and small for a slow random walk", () => {
    const rng = createRng(3);
    const iid = Float64Array.from({ length: 20000 }, () => rng.normal());
    // E[(Eₙ − Eₙ₋₁)²] = 2·Var(E) for independent draws; the ratio's sd is ≈ 0.02 here.
    expect(ebfmi(iid)).toBeGreaterThan(1.9);
    expect(ebfmi(iid)).toBeLessThan(2.1);
    let v = 0;
    const walk = Float64Array.from({ length: 2000 }, () => {
      v = 0.99 * v + 0.1 * rng.normal();
      return v;
    });
    expect(ebfmi(walk)).toBeLessThan(0.3);
    expect(ebfmi(new Float64Array([1, 1, 1]))).toBeNaN();
  });

  it("counts flagged and saturated transitions", () => {
    expect(countFlags(new Uint8Array([0, 1, 1, 0]))).toBe(2);
    expect(countSaturated(new Int32Array([3, 10, 9, 10]), 10)).toBe(2);
  });
});

/** A hand-made result with iid standard-normal draws for `names`, optionally spoiled. */
function fakeResult(options: { shift?: number; divergent?: number; saturated?: number; energy?: "iid" | "walk" } = {}) {
  const rng = createRng(21);
  const numChains = 4;
  const n = 500;
  const layout = realLayout([
    { name: "mu", shape: [] },
    { name: "beta", shape: [2] },
  ]);
  const chains = Array.from({ length: numChains }, (_, c) => {
    const draws = Float64Array.from({ length: n * 3 }, () => rng.normal());
    if (c === 3 && options.shift) for (let i = 0; i < n; i++) draws[i * 3] += options.shift;
    let e = 0;
    const energy = Float64Array.from({ length: n }, () => {
      e = options.energy === "walk" ? 0.99 * e + 0.1 * rng.normal() : rng.normal();
      return e;
    });
    const isDivergent = new Uint8Array(n);
    isDivergent.fill(1, 0, options.divergent ?? 0);
    const treeDepth = new Int32Array(n).fill(3);
    treeDepth.fill(10, 0, options.saturated ?? 0);
    return {
      chain: c,
      seed: `fake/${c}`,
      draws,
      stats: {
        logDensity: Float64Array.from({ length: n }, () => -rng.uniform()),
        acceptStat: new Float64Array(n).fill(0.8),
        stepSize: new Float64Array(n).fill(0.5),
        treeDepth,
        numSteps: new Int32Array(n).fill(7),
        isDivergent,
        energy,
      },
      stepSize: 0.5,
      inverseMassMatrix: new Float64Array([1, 1, 1]),
      initialPosition: new Float64Array(3),
      numWarmupDivergent: 0,
      numGradientEvaluations: 7 * n,
      warmupSeconds: 0.1,
      samplingSeconds: 0.1,
    };
  });
  const result: McmcResult = {
    chains,
    columns: [
      { name: "mu", variable: "mu", index: [] },
      { name: "beta[1]", variable: "beta", index: [0] },
      { name: "beta[2]", variable: "beta", index: [1] },
    ],
    layout,
    constrainedDimension: 3,
    numChains,
    numWarmup: 500,
    numSamples: n,
    algorithm: "nuts",
    metric: "diag",
    maxTreeDepth: 10,
    targetAcceptRate: 0.8,
    seed: "fake",
  };
  return result;
}

describe("summary and diagnose", () => {
  it("summarises every quantity with lp__ first", () => {
    const rows = summarize(fakeResult());
    expect(rows.map((r) => r.name)).toEqual(["lp__", "mu", "beta[1]", "beta[2]"]);
    const mu = rows[1];
    // 2000 iid N(0, 1) draws: mean within 5/√2000, sd and MAD near 1, quantiles near ±1.645.
    expect(Math.abs(mu.mean)).toBeLessThan(5 / Math.sqrt(2000));
    expect(Math.abs(mu.sd - 1)).toBeLessThan(0.08);
    expect(Math.abs(mu.mad - 1)).toBeLessThan(0.12);
    expect(Math.abs(mu.q95 - 1.645)).toBeLessThan(0.15);
    expect(Math.abs(mu.q5 + 1.645)).toBeLessThan(0.15);
    expect(mu.rhat).toBeLessThan(1.01);
  });

  it("passes a healthy run without warnings", () => {
    const report = diagnose(fakeResult());
    expect(report.warnings).toEqual([]);
    expect(summary(fakeResult())).toContain("No problems detected");
  });

  it("warns about divergences, saturated trees, low E-BFMI, high R-hat and low ESS", () => {
    const result = fakeResult({ shift: 2, divergent: 5, saturated: 7, energy: "walk" });
    const report = diagnose(result);
    expect(report.numDivergent).toBe(20);
    expect(report.numSaturated).toBe(28);
    expect(report.highRhat).toEqual(["mu"]);
    expect(report.lowEss).toContain("mu");
    const text = summary(result);
    expect(text).toContain("Warning: 20 of 2000 (1.0%) transitions ended with a divergence");
    expect(text).toContain("hit the maximum tree depth of 10");
    expect(text).toContain("E-BFMI below 0.3 in chain 1");
    expect(text).toContain("R-hat above 1.01 for mu");
  });

  it("prints a Stan-like table", () => {
    const lines = summary(fakeResult()).split("\n");
    const header = lines.find((l) => l.includes("ESS_bulk"));
    expect(header?.trim().split(/\s+/)).toEqual([
      "Mean",
      "MCSE",
      "StdDev",
      "MAD",
      "5%",
      "50%",
      "95%",
      "ESS_bulk",
      "ESS_tail",
      "R_hat",
    ]);
    expect(lines.some((l) => l.startsWith("beta[2] "))).toBe(true);
    expect(lines[0]).toContain("4 chains × (500 warm-up + 500 draws)");
  });

  it("summarises a real run of the sampler cleanly", async () => {
    const result = await sample(diagonalGaussianModel(new Float64Array([1, 5])), {
      numChains: 4,
      numWarmup: 300,
      numSamples: 300,
      seed: 9,
    });
    const report = diagnose(result);
    expect(report.numDivergent).toBe(0);
    expect(report.highRhat).toEqual([]);
    expect(report.ebfmi.every((e) => e > 0.3)).toBe(true);
  });
});
