/**
 * Latents whose bounds are expressions of data and earlier latents (Stan's
 * `real<lower=0, upper=1 - alpha1> beta1`): gradients against central differences, log|J|
 * against a numeric Jacobian of constrain, constrain∘unconstrain = identity, prior draws inside
 * the bounds, printing and parsing back, and the errors for bounds the IR cannot take.
 */
import { describe, expect, it } from "vitest";
import { exampleFamilies } from "../../../examples/models/families.js";
import { ModelError, ShapeError } from "../../../src/core/errors.js";
import { createRng } from "../../../src/runtime/rng/index.js";
import { compile } from "../../../src/inference/model/index.js";
import {
  binary,
  condition,
  constant,
  fix,
  GraphBuilder,
  graphFromJSON,
  graphToJSON,
  printModel,
  ref,
  substitute,
} from "../../../src/ir/index.js";
import { parseModel } from "../../../src/lang/text/index.js";
import { expectGradientMatches } from "./finite_differences.js";

const families = exampleFamilies();

// a: both literal bounds (static fast path); b: lower only; c: upper only; d: both computed;
// v: a vector with a scalar computed bound; w: a vector bound of matching size (chained on v).
const MODEL = `
data {
  int<lower=1> N;
  vector[N] y;
  real s;
}
parameters {
  real<lower=0, upper=1> a;
  real<lower=a> b;
  real<upper=a + s> c;
  real<lower=-a, upper=b + 1> d;
  vector<lower=d>[N] v;
  vector<lower=v - 1, upper=v + exp(a)>[N] w;
}
model {
  a ~ beta(2, 2);
  b ~ normal(0, 2);
  c ~ normal(0, 2);
  d ~ normal(0, 1);
  v ~ normal(0, 3);
  w ~ normal(v, 1);
  y ~ normal(w, 1);
}
`;
const data = { N: 3, y: [0.5, 1.5, -0.2], s: 2 };
const graph = parseModel(MODEL, families);
const dim = 4 + 2 * data.N;
const thetaAt = (seed: number): Float64Array => {
  const rng = createRng(seed);
  return Float64Array.from({ length: dim }, () => 1.5 * rng.normal());
};

/** log|det J| by Gaussian elimination with partial pivoting. */
function logAbsDet(m: number[][]): number {
  const a = m.map((r) => r.slice());
  const n = a.length;
  let out = 0;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[p]![c]!)) p = r;
    [a[c], a[p]] = [a[p]!, a[c]!];
    out += Math.log(Math.abs(a[c]![c]!));
    for (let r = c + 1; r < n; r++) {
      const f = a[r]![c]! / a[c]![c]!;
      for (let k = c; k < n; k++) a[r]![k]! -= f * a[c]![k]!;
    }
  }
  return out;
}

describe("computed bounds", () => {
  const model = compile(graph, data, families);
  const noJacobian = compile(graph, data, families, { jacobian: false });

  it("keeps the computed bounds in the IR and prints them back", () => {
    const d = graph.nodes.find((n) => n.name === "d");
    expect(d?.kind === "latent" && d.bounds?.upper?.kind).toBe("binary");
    const a = graph.nodes.find((n) => n.name === "a");
    expect(a?.kind === "latent" && a.support).toEqual({ kind: "interval", lower: 0, upper: 1 });
    const text = printModel(graph);
    expect(text).toContain("real<lower=-a, upper=b + 1> d;");
    const noSpans = (g: unknown): string => JSON.stringify(g, (k, v) => (k === "span" ? undefined : v));
    expect(noSpans(parseModel(text, families))).toBe(noSpans(graph));
    expect(graphToJSON(graphFromJSON(graphToJSON(graph), families))).toBe(graphToJSON(graph));
  });

  it("has exact gradients with and without log|J| (bounds' inputs get theirs)", () => {
    for (const seed of [1, 2, 3]) {
      expectGradientMatches(model, thetaAt(seed));
      expectGradientMatches(noJacobian, thetaAt(seed));
    }
  });

  it("adds log|J| of constrain, as a numeric Jacobian gives it", () => {
    for (const seed of [4, 5]) {
      const theta = thetaAt(seed);
      const h = 1e-6;
      const columns: number[][] = [];
      for (let i = 0; i < dim; i++) {
        const up = theta.slice();
        const down = theta.slice();
        up[i]! += h;
        down[i]! -= h;
        const xu = model.constrain(up);
        const xd = model.constrain(down);
        columns.push(Array.from(xu, (x, k) => (x - xd[k]!) / (2 * h)));
      }
      const logJ = model.logDensity(theta) - noJacobian.logDensity(theta);
      // Central differences with h = 1e-6 are good to ~1e-9 relative per entry here.
      expect(logJ).toBeCloseTo(logAbsDet(columns), 6);
    }
  });

  it("constrains inside the bounds, and unconstrain inverts constrain", () => {
    for (const seed of [6, 7, 8]) {
      const theta = thetaAt(seed);
      const x = model.constrainedValues(theta);
      const [a, b, c, d] = [x.a as number, x.b as number, x.c as number, x.d as number];
      expect(b).toBeGreaterThan(a);
      expect(c).toBeLessThan(a + 2);
      expect(d > -a && d < b + 1).toBe(true);
      const v = x.v as Float64Array;
      const w = x.w as Float64Array;
      for (let k = 0; k < data.N; k++) {
        expect(v[k]).toBeGreaterThan(d);
        expect(w[k]! > v[k]! - 1 && w[k]! < v[k]! + Math.exp(a)).toBe(true);
      }
      const back = model.unconstrain(x);
      for (let i = 0; i < dim; i++) expect(back[i]).toBeCloseTo(theta[i]!, 9);
    }
  });

  it("rejects a value outside its computed bounds in unconstrain", () => {
    const x = model.constrainedValues(thetaAt(9));
    expect(() => model.unconstrain({ ...x, b: (x.a as number) - 0.1 })).toThrow(/outside its bounds/);
  });

  it("draws the prior inside the bounds", () => {
    const rng = createRng(11);
    for (let r = 0; r < 50; r++) {
      const theta = model.samplePrior(rng);
      expect(Number.isFinite(model.logDensity(theta))).toBe(true);
      const x = model.constrainedValues(theta);
      expect(x.b as number).toBeGreaterThan(x.a as number);
    }
  });

  it("takes computed bounds from the builder API as well", () => {
    const b = new GraphBuilder("garch_bounds", families);
    const alpha = b.latent({
      name: "alpha",
      family: "uniform",
      args: { lower: constant(0), upper: constant(1) },
      support: { kind: "interval", lower: 0, upper: 1 },
    });
    b.latent({
      name: "beta",
      family: "uniform",
      args: { lower: constant(0), upper: constant(1) },
      bounds: { lower: constant(0), upper: binary("sub", constant(1), alpha) },
    });
    const g = b.build();
    expect(printModel(g)).toContain("real<lower=0, upper=1 - alpha> beta;");
    const m = compile(g, {}, families);
    expectGradientMatches(m, Float64Array.of(0.3, -0.4));
  });
});

describe("computed bounds: an empty interval", () => {
  it("is −∞ (outside the support), with and without the gradient", () => {
    const g = parseModel(
      "parameters { real a; real b; real<lower=a, upper=b> x; } model { a ~ normal(0, 1); b ~ normal(0, 1); x ~ normal(0, 1); }",
      families,
    );
    const m = compile(g, {}, families);
    const theta = Float64Array.of(1, -1, 0.3);
    expect(m.logDensity(theta)).toBe(Number.NEGATIVE_INFINITY);
    expect(m.logDensityAndGrad(theta, new Float64Array(3))).toBe(Number.NEGATIVE_INFINITY);
    expectGradientMatches(m, Float64Array.of(-1, 1, 0.3));
  });
});

describe("computed bounds: errors", () => {
  it("names the variable and bound that reads a later parameter", () => {
    const text = MODEL.replace("real<lower=a> b;", "real<lower=c> b;");
    expect(() => parseModel(text, families)).toThrow(/c/);
    const b = new GraphBuilder("m", families);
    expect(() =>
      b.latent({
        name: "x",
        family: "normal",
        args: { loc: constant(0), scale: constant(1) },
        bounds: { upper: ref("y", [], "real") },
      }),
    ).toThrow(ModelError);
    expect(() =>
      b.latent({
        name: "x",
        family: "normal",
        args: { loc: constant(0), scale: constant(1) },
        bounds: { upper: ref("y", [], "real") },
      }),
    ).toThrow(/latent 'x', upper bound.*'y'/);
  });

  it("rejects a vector bound of the wrong size", () => {
    const text = MODEL.replace("vector<lower=d>[N] v;", "vector<lower=y[1:2]>[N] v;");
    expect(() => compile(parseModel(text, families), data, families)).toThrow(ShapeError);
    const b = new GraphBuilder("m", families);
    const z = b.latent({ name: "z", family: "normal", args: { loc: constant(0), scale: constant(1) }, shape: [2] });
    expect(() =>
      b.latent({
        name: "x",
        family: "normal",
        args: { loc: constant(0), scale: constant(1) },
        shape: [3],
        bounds: { lower: z },
      }),
    ).toThrow(/lower bound/);
  });

  it("the layout names the bound expressions; support and bijector stay the unconstrained placeholders", () => {
    const byName = new Map(compile(graph, data, families).layout.map((v) => [v.name, v]));
    expect(byName.get("a")!.computedBounds).toBeUndefined();
    expect(byName.get("a")!.support).toEqual({ kind: "interval", lower: 0, upper: 1 });
    expect(byName.get("b")!.computedBounds).toEqual({ lower: "a" });
    expect(byName.get("c")!.computedBounds).toEqual({ upper: "a + s" });
    expect(byName.get("d")!.computedBounds).toEqual({ lower: "-a", upper: "b + 1" });
    expect(byName.get("w")!.computedBounds).toEqual({ lower: "v - 1", upper: "v + exp(a)" });
    expect(byName.get("d")!.support).toEqual({ kind: "real" });
  });

  it("condition and fix refuse a latent with computed bounds (data cannot carry them)", () => {
    // Dropping the bound would accept d = 10 > b + 1 silently; the refusal names the bounds.
    expect(() => condition(graph, "d", families)).toThrow(ModelError);
    expect(() => condition(graph, "d", families)).toThrow(
      "condition(): latent 'd': its bounds are computed, and data cannot carry computed bounds — got <lower=-a, upper=b + 1>",
    );
    expect(() => fix(graph, "w", [0, 0, 0], families)).toThrow(/fix\(\): latent 'w'.*upper=v \+ exp\(a\)/);
    // substitute() removes the node, so nothing is left to bound.
    expect(substitute(graph, "d", 0.5, families).nodes.some((n) => n.name === "d")).toBe(false);
  });

  it("conditioning a latent that bounds read keeps the bounds, now of data", () => {
    const g = condition(graph, "a", families);
    const b = g.nodes.find((n) => n.name === "b" && n.kind === "latent");
    expect(b?.kind === "latent" && b.bounds?.lower).toEqual(expect.objectContaining({ kind: "ref", name: "a" }));
    const m = compile(g, { ...data, a: 0.3 }, families);
    expect(m.dimension).toBe(dim - 1);
    // b's lower bound is now the datum a = 0.3: every constrained b lies above it.
    const bAt = m.layout.find((v) => v.name === "b")!.constrainedOffset;
    for (const t of [-30, -1, 0, 2]) {
      const theta = new Float64Array(m.dimension).fill(t);
      expect(m.constrain(theta)[bAt]!).toBeGreaterThan(0.3);
    }
  });

  it("rejects computed bounds on a discrete latent", () => {
    const b = new GraphBuilder("m", families);
    const z = b.latent({ name: "z", family: "normal", args: { loc: constant(0), scale: constant(1) } });
    expect(() => b.latent({ name: "k", family: "poisson", args: { rate: constant(3) }, bounds: { upper: z } })).toThrow(
      /continuous latent/,
    );
  });
});
