import { describe, expect, it } from "vitest";
import { REAL } from "../../../src/core/support.js";
import {
  ALL_TERMS,
  compileProgram,
  finiteDifferenceGrad,
  type ProgramNode,
  type Term,
} from "../../../src/runtime/ad/index.js";
import { lowerBound } from "../../../src/runtime/bijectors/index.js";
import type { Distribution } from "../../../src/runtime/dists/distribution.js";
import { normal } from "../../../src/runtime/dists/index.js";

const N = 50;
const interleaved = Int32Array.from({ length: N }, (_, i) => i % 5);
/** Grouped index data (sorted by group), which the adjoint accumulates run by run. */
const grouped = Int32Array.from({ length: N }, (_, i) => Math.floor(i / 10));
const floor = Float64Array.from({ length: N }, (_, i) => (i % 3 === 0 ? 1 : 0));
const y = Float64Array.from({ length: N }, (_, i) => Math.sin(i));

/** A radon-shaped program: alpha = mu + s·raw (J = 5), loc = alpha[county] + floor·beta, y ~ normal(loc, sigma). */
function radonProgram(county: Int32Array = interleaved): { nodes: ProgramNode[]; terms: Term[]; dimension: number } {
  const nodes: ProgramNode[] = [
    { op: "latent", offset: 0, unconstrainedSize: 5, discrete: false, size: 5, scalar: false }, // 0 raw
    { op: "latent", offset: 5, unconstrainedSize: 1, discrete: false, size: 1, scalar: true }, // 1 mu
    { op: "latent", offset: 6, unconstrainedSize: 1, discrete: false, size: 1, scalar: true, bijector: lowerBound(0) }, // 2 s
    { op: "binary", fn: "mul", a: 0, b: 2, size: 5, scalar: false }, // 3
    { op: "binary", fn: "add", a: 3, b: 1, size: 5, scalar: false }, // 4 alpha
    { op: "gather", src: 4, index: county, size: N, scalar: false }, // 5
    { op: "const", value: floor, size: N, scalar: false }, // 6
    { op: "latent", offset: 7, unconstrainedSize: 1, discrete: false, size: 1, scalar: true }, // 7 beta
    { op: "binary", fn: "mul", a: 6, b: 7, size: N, scalar: false }, // 8
    { op: "binary", fn: "add", a: 5, b: 8, size: N, scalar: false }, // 9 loc
    { op: "const", value: y, size: N, scalar: false }, // 10
    { op: "const", value: 0, size: 1, scalar: true }, // 11
    { op: "const", value: 1, size: 1, scalar: true }, // 12
  ];
  const prior = (value: number): Term => ({
    kind: "density",
    dist: normal,
    value,
    params: { loc: 11, scale: 12 },
    part: "prior",
    shape: [],
    samples: true,
  });
  const terms: Term[] = [
    {
      kind: "density",
      dist: normal,
      value: 0,
      params: { loc: 11, scale: 12 },
      part: "prior",
      shape: [5],
      samples: true,
    },
    prior(1),
    prior(2),
    prior(7),
    {
      kind: "density",
      dist: normal,
      value: 10,
      params: { loc: 9, scale: 12 },
      part: "likelihood",
      shape: [N],
      samples: false,
    },
  ];
  return { nodes, terms, dimension: 8 };
}

function count(text: string, pattern: string): number {
  return text.split(pattern).length - 1;
}

describe("generated code", () => {
  it("fuses elementwise chains: one loop over the observations computes the terms and their adjoints", () => {
    const compiled = compileProgram(radonProgram());
    compiled.density(ALL_TERMS);
    const source = compiled.source("grad:PLJ")!;
    expect(count(source, `k < ${N}`)).toBe(1);
    // The gather's adjoint is a scatter-add into alpha's adjoint.
    expect(source).toContain("a4[ix5[k]] +=");
    expect(source).not.toContain("new ");
  });

  it("accumulates the scatter-add run by run for grouped index data", () => {
    const compiled = compileProgram(radonProgram(grouped));
    compiled.density(ALL_TERMS);
    const source = compiled.source("grad:PLJ")!;
    expect(source).toContain("run5 += d5;");
    expect(source).not.toContain("a4[ix5[k]] +=");
  });

  it.each([
    ["interleaved", interleaved],
    ["grouped", grouped],
  ])("matches central differences (%s index data)", (_, county) => {
    const pair = compileProgram(radonProgram(county)).density(ALL_TERMS);
    const theta = Float64Array.of(0.3, -0.2, 0.5, 1, -1, 0.7, -0.4, 0.2);
    const grad = new Float64Array(8);
    const lp = pair.logDensityAndGrad(theta, grad);
    expect(lp).toBe(pair.logDensity(theta));
    for (let i = 0; i < 8; i++) {
      const up = theta.slice();
      const down = theta.slice();
      up[i]! += 1e-6;
      down[i]! -= 1e-6;
      expect(grad[i]).toBeCloseTo((pair.logDensity(up) - pair.logDensity(down)) / 2e-6, 6);
    }
  });

  it("evaluates constant subprograms once and writes their scalars as literals", () => {
    const data = Float64Array.of(1, 2, 3, 6);
    const nodes: ProgramNode[] = [
      { op: "const", value: data, size: 4, scalar: false },
      { op: "reduce", fn: "mean", x: 0, size: 1, scalar: true }, // 3, computed once
      { op: "latent", offset: 0, unconstrainedSize: 1, discrete: false, size: 1, scalar: true },
      { op: "binary", fn: "mul", a: 1, b: 2, size: 1, scalar: true },
    ];
    const compiled = compileProgram({ nodes, terms: [{ kind: "factor", value: 3, part: "likelihood" }], dimension: 1 });
    const pair = compiled.density(ALL_TERMS);
    expect(compiled.source("value:PLJ")).toContain("const v3 = (3 * v2);");
    expect(pair.logDensity(Float64Array.of(2))).toBe(6);
    expect(compiled.read(1)).toBe(3);
  });

  it("never returns NaN: log_sum_exp of −∞ and 0·log 0 in pow", () => {
    const nodes: ProgramNode[] = [
      { op: "latent", offset: 0, unconstrainedSize: 2, discrete: false, size: 2, scalar: false },
      {
        op: "const",
        value: Float64Array.of(Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY),
        size: 2,
        scalar: false,
      },
      { op: "binary", fn: "add", a: 0, b: 1, size: 2, scalar: false },
      { op: "reduce", fn: "log_sum_exp", x: 2, size: 1, scalar: true },
    ];
    const pair = compileProgram({
      nodes,
      terms: [{ kind: "factor", value: 3, part: "likelihood" }],
      dimension: 2,
    }).density(ALL_TERMS);
    const grad = new Float64Array(2).fill(3);
    expect(pair.logDensityAndGrad(Float64Array.of(0, 1), grad)).toBe(Number.NEGATIVE_INFINITY);
    expect([...grad]).toEqual([0, 0]);

    const powNodes: ProgramNode[] = [
      { op: "const", value: 0, size: 1, scalar: true },
      { op: "latent", offset: 0, unconstrainedSize: 1, discrete: false, size: 1, scalar: true },
      { op: "binary", fn: "pow", a: 0, b: 1, size: 1, scalar: true },
    ];
    const powPair = compileProgram({
      nodes: powNodes,
      terms: [{ kind: "factor", value: 2, part: "likelihood" }],
      dimension: 1,
    }).density(ALL_TERMS);
    const g = new Float64Array(1);
    expect(powPair.logDensityAndGrad(Float64Array.of(2), g)).toBe(0);
    expect(g[0]).toBe(0);
  });
});

describe("finiteDifferenceGrad", () => {
  it("agrees with analytic partials for a scalar-event family, broadcasting included", () => {
    const x = Float64Array.of(0.3, -1.2, 2.5);
    const loc = Float64Array.of(0.1, 0.2, 0.3);
    const analytic = { x: new Float64Array(3), params: { loc: new Float64Array(3), scale: new Float64Array(1) } };
    const numeric = { x: new Float64Array(3), params: { loc: new Float64Array(3), scale: new Float64Array(1) } };
    const lp = normal.logDensityGrad!(x, { loc, scale: 1.7 }, analytic);
    expect(finiteDifferenceGrad(normal)(x, { loc, scale: 1.7 }, numeric)).toBe(lp);
    for (const [a, b] of [
      [analytic.x, numeric.x],
      [analytic.params.loc, numeric.params.loc],
      [analytic.params.scale, numeric.params.scale],
    ] as const) {
      a.forEach((v, i) => {
        expect(Math.abs(v - b[i]!)).toBeLessThan(1e-8 * Math.max(1, Math.abs(v)));
      });
    }
  });

  it("perturbs whole vectors for multivariate families", () => {
    // log p(x | c) = −c·Σx², eventRank 1: ∂/∂x = −2c·x, ∂/∂c = −Σx².
    const sumSquares: Distribution = {
      family: "sum_squares",
      params: { c: { rank: 0, support: REAL } },
      paramOrder: ["c"],
      eventRank: 1,
      discrete: false,
      support: () => REAL,
      logDensity: (x, p) => -(p.c as number) * [...(x as Float64Array)].reduce((s, v) => s + v * v, 0),
      sample: () => 0,
    };
    const x = Float64Array.of(1, -2, 0.5);
    const out = { x: new Float64Array(3), params: { c: new Float64Array(1) } };
    finiteDifferenceGrad(sumSquares)(x, { c: 0.7 }, out);
    [...x].forEach((v, i) => {
      expect(out.x[i]).toBeCloseTo(-1.4 * v, 7);
    });
    expect(out.params.c[0]).toBeCloseTo(-5.25, 7);
  });
});
