import { describe, expect, it } from "vitest";
import { DataError, DomainError, ShapeError } from "../../src/core/errors.js";
import { buildKernel, expectedImprovement } from "../../src/inference/bo/index.js";
import { ebfmi } from "../../src/inference/diagnostics/index.js";
import { fitSbl } from "../../src/inference/em/index.js";
import type { SblResult } from "../../src/inference/em/types.js";
import type { ChainResult, McmcResult } from "../../src/inference/mcmc/sample.js";
import {
  densityPlot,
  divergentOf,
  drawsOf,
  energyBfmi,
  energyOf,
  energyPlot,
  evidencePlot,
  evidenceSeries,
  forestPlot,
  forestRows,
  gpPlot,
  gpPlotData,
  HIGHLIGHT,
  linePlot,
  type ParameterDraws,
  pairPlot,
  rankPlot,
  sblRecoveryData,
  sblRecoveryPlot,
  seriesColor,
  tracePlot,
} from "../../src/plots/index.js";
import { createRng } from "../../src/runtime/rng/index.js";
import { DenseOperator } from "../../src/runtime/operators/dense_operator.js";
import { allElements, inherited, parseXml, textContent, within, type XmlElement } from "./xml.js";

const byName = (root: XmlElement, name: string) => allElements(root).filter((e) => e.name === name);

/** Parses and checks what every figure must satisfy. */
function wellFormed(svg: string): XmlElement {
  expect(svg.startsWith("<svg ")).toBe(true);
  expect(svg).not.toMatch(/NaN|Infinity|undefined|null/);
  const root = parseXml(svg);
  expect(root.name).toBe("svg");
  expect(Number(root.attributes.width)).toBeGreaterThan(0);
  expect(Number(root.attributes.height)).toBeGreaterThan(0);
  return root;
}

/** Chains × draws of N(loc, 1), with a fixed seed. */
function normalDraws(seed: number, name: string, numChains: number, numDraws: number, loc = 0): ParameterDraws {
  const rng = createRng(seed);
  return {
    name,
    chains: Array.from({ length: numChains }, () => Float64Array.from({ length: numDraws }, () => loc + rng.normal())),
  };
}

/** Exactly `count` divergent flags spread over chains × draws. */
function flags(numChains: number, numDraws: number, count: number): Uint8Array[] {
  const out = Array.from({ length: numChains }, () => new Uint8Array(numDraws));
  for (let k = 0; k < count; k++) out[k % numChains][(k * 7 + 3) % numDraws] = 1;
  return out;
}

/** Circles drawn in the highlight colour in the panels (legend swatches excluded). */
function highlightedCircles(root: XmlElement): number {
  return byName(root, "circle").filter((c) => !within(c, "legend") && inherited(c, "fill") === HIGHLIGHT).length;
}

/** A sampler result by hand: 2 chains × 40 draws of mu and theta[1..2], and a derived z. */
function fakeResult(): McmcResult {
  const numSamples = 40;
  const chains: ChainResult[] = [0, 1].map((c) => {
    const draws = new Float64Array(numSamples * 3);
    const derived = new Float64Array(numSamples);
    for (let i = 0; i < numSamples; i++) {
      draws.set([c * 100 + i, 1000 + i, 2000 + i], 3 * i);
      derived[i] = -i;
    }
    const isDivergent = new Uint8Array(numSamples);
    isDivergent[c + 5] = 1;
    return {
      chain: c,
      seed: `0/${c}`,
      draws,
      derived,
      stats: {
        logDensity: new Float64Array(numSamples),
        acceptStat: new Float64Array(numSamples),
        stepSize: new Float64Array(numSamples),
        treeDepth: new Int32Array(numSamples),
        numSteps: new Int32Array(numSamples),
        isDivergent,
        energy: Float64Array.from({ length: numSamples }, (_, i) => Math.sin(i + c)),
      },
      stepSize: 0.5,
      inverseMassMatrix: new Float64Array(3),
      initialPosition: new Float64Array(3),
      numWarmupDivergent: 0,
      numGradientEvaluations: 0,
      warmupSeconds: 0,
      samplingSeconds: 0,
    };
  });
  return {
    chains,
    columns: [
      { name: "mu", variable: "mu", index: [] },
      { name: "theta[1]", variable: "theta", index: [0] },
      { name: "theta[2]", variable: "theta", index: [1] },
      { name: "z", variable: "z", index: [] },
    ],
    layout: [],
    constrainedDimension: 3,
    derivedDimension: 1,
    numChains: 2,
    numWarmup: 0,
    numSamples,
    algorithm: "nuts",
    metric: "diag",
    maxTreeDepth: 10,
    targetAcceptRate: 0.8,
    seed: "0",
  };
}

describe("MCMC adapters", () => {
  it("read columns, whole variables and derived quantities per chain", () => {
    const result = fakeResult();
    const [mu, t1, t2, z] = drawsOf(result, ["mu", "theta", "z"]);
    expect([mu.name, t1.name, t2.name, z.name]).toEqual(["mu", "theta[1]", "theta[2]", "z"]);
    expect(Array.from(mu.chains[1].slice(0, 3))).toEqual([100, 101, 102]);
    expect(Array.from(t2.chains[0].slice(0, 2))).toEqual([2000, 2001]);
    expect(Array.from(z.chains[0].slice(0, 3))).toEqual([-0, -1, -2]);
    expect(drawsOf(result, ["theta[2]"]).map((p) => p.name)).toEqual(["theta[2]"]);
    expect(drawsOf(result)).toHaveLength(4);
    expect(() => drawsOf(result, ["sigma"])).toThrow(DataError);
    expect(divergentOf(result).map((f) => f.indexOf(1))).toEqual([5, 6]);
    expect(energyOf(result)[1][0]).toBe(Math.sin(1));
  });
});

describe("trace, density and rank plots", () => {
  const params = [normalDraws(1, "mu", 3, 200), normalDraws(2, "tau", 3, 200, 5)];

  it("draw one line per chain and parameter, and one tick per divergence under each trace", () => {
    const divergent = flags(3, 200, 7);
    const root = wellFormed(tracePlot(params, { divergent }));
    // Trace lines plus density curves: two polylines per chain and parameter.
    expect(byName(root, "polyline")).toHaveLength(2 * 3 * 2);
    const ticks = byName(root, "line").filter((l) => !within(l, "legend") && inherited(l, "stroke") === HIGHLIGHT);
    expect(ticks).toHaveLength(7 * params.length);
    const noDensity = wellFormed(tracePlot(params, { density: false }));
    expect(byName(noDensity, "polyline")).toHaveLength(3 * 2);
  });

  it("draw densities as curves or histogram outlines", () => {
    expect(byName(wellFormed(densityPlot(params)), "polyline")).toHaveLength(6);
    expect(byName(wellFormed(densityPlot(params, { kind: "histogram" })), "polyline")).toHaveLength(6);
    expect(byName(wellFormed(densityPlot(params, { pooled: true })), "polyline")).toHaveLength(2);
  });

  it("draw one bar per rank bin, chain and parameter, in the chain's colour", () => {
    const root = wellFormed(rankPlot(params, { bins: 12 }));
    for (let c = 0; c < 3; c++) {
      const bars = byName(root, "rect").filter((r) => inherited(r, "fill") === seriesColor(c) && !within(r, "legend"));
      expect(bars).toHaveLength(12 * params.length);
    }
  });

  it("refuse inconsistent or non-finite draws", () => {
    const ragged = { name: "x", chains: [new Float64Array(10), new Float64Array(9)] };
    expect(() => tracePlot([ragged])).toThrow(ShapeError);
    expect(() => rankPlot([params[0], normalDraws(3, "y", 2, 200)])).toThrow(ShapeError);
    expect(() => tracePlot(params, { divergent: flags(3, 199, 1) })).toThrow(ShapeError);
    const bad = { name: "x", chains: [Float64Array.of(1, Number.NaN, 2)] };
    expect(() => tracePlot([bad])).toThrow(DataError);
    expect(() => rankPlot([bad])).toThrow(DataError);
  });
});

describe("pair plot", () => {
  it("draws each divergent draw exactly once per scatter, in the highlight colour", () => {
    const a = normalDraws(4, "a", 2, 300);
    const b = normalDraws(5, "b", 2, 300);
    const c = normalDraws(6, "c", 2, 300);
    for (const count of [0, 1, 13]) {
      const divergent = flags(2, 300, count);
      expect(highlightedCircles(wellFormed(pairPlot([a, b], { divergent })))).toBe(count);
      expect(highlightedCircles(wellFormed(pairPlot([a, b, c], { divergent })))).toBe(3 * count);
    }
  });

  it("thins the other draws to maxPoints but never the divergent ones", () => {
    const a = normalDraws(4, "a", 2, 300);
    const b = normalDraws(5, "b", 2, 300);
    const root = wellFormed(pairPlot([a, b], { divergent: flags(2, 300, 9), maxPoints: 50 }));
    const regular = byName(root, "circle").filter(
      (e) => !within(e, "legend") && inherited(e, "fill") === seriesColor(0),
    );
    expect(regular.length).toBeLessThanOrEqual(50);
    expect(regular.length).toBeGreaterThanOrEqual(45);
    expect(highlightedCircles(root)).toBe(9);
    expect(() => pairPlot([a])).toThrow(ShapeError);
  });
});

describe("energy plot", () => {
  it("computes E-BFMI like the diagnostics and flags a low one", () => {
    const rng = createRng(8);
    const iid = Float64Array.from({ length: 500 }, () => rng.normal());
    let level = 0;
    // A slowly moving energy (AR(1), φ = 0.98): E-BFMI ≈ 2(1 − φ) = 0.04.
    const sticky = Float64Array.from({ length: 500 }, () => {
      level = 0.98 * level + 0.2 * rng.normal();
      return level;
    });
    expect(energyBfmi(iid)).toBeCloseTo(ebfmi(iid), 12);
    expect(energyBfmi(sticky)).toBeLessThan(0.3);
    const root = wellFormed(energyPlot([iid, sticky]));
    const titles = byName(root, "text").filter((t) => textContent(t).startsWith("chain "));
    expect(titles.map((t) => t.attributes.fill === HIGHLIGHT)).toEqual([false, true]);
    expect(() => energyPlot([Float64Array.of(1)])).toThrow(ShapeError);
  });
});

describe("forest plot", () => {
  it("summarises pooled draws with type-7 quantiles and draws one row each, first on top", () => {
    const draws = Float64Array.from({ length: 100 }, (_, i) => i + 1);
    const p = { name: "x", chains: [draws.slice(0, 50), draws.slice(50)] };
    const [row] = forestRows([p]);
    expect(row.center).toBe(50.5);
    expect(row.inner[0]).toBeCloseTo(25.75, 12);
    expect(row.inner[1]).toBeCloseTo(75.25, 12);
    expect(row.outer[0]).toBeCloseTo(5.95, 12);
    expect(row.outer[1]).toBeCloseTo(95.05, 12);
    const rows = [
      { ...row, name: "first", note: "R-hat 1.00" },
      { ...row, name: "second" },
    ];
    const root = wellFormed(forestPlot(rows, { reference: 0 }));
    const labels = byName(root, "text").filter((t) => ["first", "second"].includes(textContent(t)));
    expect(labels.map(textContent)).toEqual(["first", "second"]);
    expect(Number(labels[0].attributes.y)).toBeLessThan(Number(labels[1].attributes.y));
    expect(byName(root, "text").map(textContent)).toContain("R-hat 1.00");
    expect(() => forestRows([p], { inner: 0.9, outer: 0.5 })).toThrow(DomainError);
    expect(() => forestPlot([])).toThrow(DomainError);
  });
});

describe("SBL figures", () => {
  function problem() {
    const rng = createRng(9);
    const m = 30;
    const n = 60;
    const A = Float64Array.from({ length: m * n }, () => rng.normal() / Math.sqrt(m));
    const x = new Float64Array(n);
    for (const i of [3, 20, 41]) x[i] = 2 + rng.uniform();
    const y = new Float64Array(m);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) y[i] += A[i * n + j] * x[j];
      y[i] += 0.01 * rng.normal();
    }
    return { A: new DenseOperator(A, m, n), y, x };
  }

  it("draws a stem per estimated coefficient and a shaded band per true one", () => {
    const { A, y, x } = problem();
    const fit = fitSbl({ A, y, noise: "learn" });
    const data = sblRecoveryData(fit, x);
    expect(Array.from(data.support ?? [])).toEqual(Array.from(fit.support));
    expect(data.sd?.[fit.support[0]]).toBeCloseTo(Math.sqrt(fit.varianceDiag[fit.support[0]]), 12);
    const root = wellFormed(sblRecoveryPlot(data));
    const panel = (e: XmlElement) => !within(e, "legend");
    const dots = byName(root, "circle").filter((c) => panel(c) && inherited(c, "fill") === seriesColor(0));
    expect(dots).toHaveLength(fit.support.length);
    const rings = byName(root, "circle").filter((c) => panel(c) && inherited(c, "fill") === "none");
    expect(rings).toHaveLength(3);
    const bands = byName(root, "rect").filter((r) => panel(r) && inherited(r, "fill") === seriesColor(1));
    expect(bands).toHaveLength(3);
    expect(() => sblRecoveryPlot({ estimate: [1, 2], truth: [1] })).toThrow(ShapeError);
  });

  it("shows complex coefficients as magnitudes and reads fitEm-style results", () => {
    const complexFit = {
      algorithm: "em",
      mean: Float64Array.of(3, 4, 0, 0),
      varianceDiag: Float64Array.of(0.1, 0),
      gamma: Float64Array.of(1, 0),
      alpha: Float64Array.of(1, Number.POSITIVE_INFINITY),
      noiseVariance: 0.1,
      support: Int32Array.of(0),
      logEvidence: Float64Array.of(-3, -2),
      iterations: 1,
      converged: true,
      timeSeconds: 0,
      warnings: [],
      extra: {},
    } satisfies SblResult;
    const data = sblRecoveryData(complexFit, Float64Array.of(0, 5, 0, 0));
    expect(Array.from(data.estimate)).toEqual([5, 0]);
    expect(Array.from(data.truth ?? [])).toEqual([5, 0]);
    expect(data.sd).toBeUndefined();
    const viaEm = sblRecoveryData({ sbl: complexFit } as unknown as Parameters<typeof sblRecoveryData>[0]);
    expect(Array.from(viaEm.estimate)).toEqual([5, 0]);
  });

  it("draws evidence histories, plain and as a gap on a log axis", () => {
    const { A, y } = problem();
    const em = evidenceSeries("EM", fitSbl({ A, y, noise: "learn" }));
    const tf = evidenceSeries("Tipping–Faul", fitSbl({ A, y, noise: "learn" }, { algorithm: "tipping_faul" }));
    expect(byName(wellFormed(evidencePlot([em, tf])), "polyline")).toHaveLength(2);
    wellFormed(evidencePlot([em, tf], { gap: true }));
    expect(() => evidencePlot([])).toThrow(ShapeError);
  });
});

describe("GP-BO figure", () => {
  it("draws the posterior band, observations and acquisition of a 1-d state", () => {
    const rng = createRng(10);
    const kernel = buildKernel({});
    const f = (v: Float64Array) => Math.sin(3 * v[0]) + v[0] * v[0];
    const state = kernel.init({ f, bounds: [[-1, 2]], initialDesign: 5 }, rng);
    const data = gpPlotData(state, { points: 101, acquisition: expectedImprovement, truth: true, next: 0.3 });
    expect([data.x[0], data.x[100]]).toEqual([-1, 2]);
    expect(data.x).toHaveLength(101);
    const best = Math.min(...state.values);
    expect(data.acquisition?.values[40]).toBeCloseTo(expectedImprovement(data.mean[40], data.sd[40], best), 12);
    expect(data.truth?.[100]).toBeCloseTo(f(Float64Array.of(2)), 12);
    const root = wellFormed(gpPlot(data));
    const observations = byName(root, "circle").filter((c) => !within(c, "legend"));
    expect(observations).toHaveLength(5);
    expect(byName(root, "path").filter((p) => p.attributes.d?.endsWith("Z"))).toHaveLength(1);
    const state2 = kernel.init(
      {
        f: (v) => v[0] + v[1],
        bounds: [
          [0, 1],
          [0, 1],
        ],
        initialDesign: 3,
      },
      rng,
    );
    expect(() => gpPlotData(state2)).toThrow(DomainError);
    expect(() => gpPlot({ ...data, sd: Array.from(data.sd).slice(1) })).toThrow(ShapeError);
  });
});

describe("every figure", () => {
  const build = (): string[] => {
    const a = normalDraws(1, "a<b>&\"c'", 2, 120);
    const b = normalDraws(2, "b", 2, 120, 3);
    const divergent = flags(2, 120, 4);
    return [
      tracePlot([a, b], { divergent, title: "T&C" }),
      densityPlot([a, b]),
      rankPlot([a, b]),
      pairPlot([a, b], { divergent }),
      energyPlot(b.chains),
      forestPlot(forestRows([a, b])),
      sblRecoveryPlot({ estimate: [0, 1.5, 0, -2], truth: [0, 1, 0, -2], sd: [0, 0.1, 0, 0.2] }),
      evidencePlot([{ name: "em", logEvidence: [-10, -5, -4, -3.9] }], { gap: true }),
      gpPlot({ x: [0, 0.5, 1], mean: [0, 1, 0], sd: [1, 0.1, 1], observed: { x: [0.5], y: [1] } }),
      linePlot([{ name: "s", x: [1, 10, 100], y: [1e-3, 1e-2, 5e-2] }], { xType: "log", yType: "log" }),
    ];
  };

  it("is the same bytes for the same input", () => {
    expect(build()).toEqual(build());
  });

  it("is well-formed and escapes names", () => {
    const name = "a<b>&\"c'";
    for (const svg of build()) {
      const root = wellFormed(svg);
      expect(svg).not.toContain(name);
      if (svg.includes("a&lt;b&gt;")) {
        expect(byName(root, "text").some((t) => textContent(t).includes(name))).toBe(true);
      }
    }
    const trace = parseXml(build()[0]);
    expect(byName(trace, "text").map(textContent)).toContain(`${name}: density`);
    expect(byName(trace, "title").map(textContent)).toEqual(["T&C"]);
  });
});
