/**
 * The constructs of the model language and how they lower to the IR: each test states a program
 * and either the IR it must give (compared with the graph of an equivalent, simpler program) or
 * the log density it must compute (compared with an independent evaluation: the registry's own
 * families, or plain arithmetic on the data).
 */
import { describe, expect, it } from "vitest";
import { exampleFamilies } from "../../../examples/models/families.js";
import { ModelError } from "../../../src/core/errors.js";
import { REAL } from "../../../src/core/support.js";
import { compile } from "../../../src/inference/model/index.js";
import { RESERVED_WORDS } from "../../../src/ir/builder.js";
import { graphToJSON, printModel } from "../../../src/ir/index.js";
import type { ModelGraph } from "../../../src/ir/types.js";
import { parseModel, parseProgram } from "../../../src/lang/text/index.js";
import { ALL_TOKENS } from "../../../src/lang/text/tokens.js";
import { halfNormal, model, normal } from "../../../src/lang/builder/index.js";
import { ard, horseshoe } from "../../../src/lang/builder/priors/index.js";
import { scalarFamily } from "../../../src/runtime/dists/index.js";

const families = exampleFamilies();

function parse(text: string, data?: Record<string, unknown>): ModelGraph {
  return parseModel(text, families, { file: "t.sprig", ...(data ? { data } : {}) });
}

function plain(graph: ModelGraph): unknown {
  return JSON.parse(graphToJSON(graph), (key, value) =>
    key === "span" || (key === "name" && typeof value === "string" && value === graph.name) ? undefined : value,
  );
}

/** Two programs lower to the same graph (spans and model names aside). */
function expectSameGraph(a: string, b: string, data?: Record<string, unknown>): void {
  expect(plain(parse(a, data))).toEqual(plain(parse(b, data)));
}

/** The log density of a model without parameters: the sum of its target terms at the data. */
function value(text: string, data: Record<string, unknown>): number {
  const graph = parse(text, data);
  return compile(graph, data as never, families).logDensity(new Float64Array(0));
}

describe("densities inside expressions equal the registry's families", () => {
  // The expansion of `family_lpdf(v | args)` is IR arithmetic; the registry's logDensity is the
  // runtime's independent implementation of the same density.
  const cases: [string, Record<string, number>, string][] = [
    ["normal", { loc: 1, scale: 2 }, "1, 2"],
    ["half_normal", { scale: 1.5 }, "1.5"],
    ["cauchy", { loc: -1, scale: 0.5 }, "-1, 0.5"],
    ["half_cauchy", { scale: 2 }, "2"],
    ["exponential", { rate: 3 }, "3"],
    ["lognormal", { loc: 0.2, scale: 0.7 }, "0.2, 0.7"],
    ["laplace", { loc: 0.5, scale: 2 }, "0.5, 2"],
    ["logistic", { loc: 0.5, scale: 2 }, "0.5, 2"],
    ["student_t", { df: 3.5, loc: 1, scale: 2 }, "3.5, 1, 2"],
    ["gamma", { shape: 2.5, rate: 1.5 }, "2.5, 1.5"],
    ["beta", { alpha: 2, beta: 3.5 }, "2, 3.5"],
    ["uniform", { lower: -1, upper: 4 }, "-1, 4"],
  ];
  for (const [family, params, args] of cases) {
    it(`${family}_lpdf`, () => {
      const v = [0.37, 0.81, 1.9];
      const ours = value(`data { vector[3] v; } model { target += ${family}_lpdf(v | ${args}); }`, { v });
      const reference = families.get(family).logDensity(new Float64Array(v), params);
      expect(ours).toBeCloseTo(reference, 12);
    });
  }
  it("bernoulli_lpmf and bernoulli_logit_lpmf", () => {
    const k = [0, 1, 1];
    expect(value("data { array[3] int k; } model { target += bernoulli_lpmf(k | 0.3); }", { k })).toBeCloseTo(
      families.get("bernoulli").logDensity(new Float64Array(k), { prob: 0.3 }),
      12,
    );
    expect(value("data { array[3] int k; } model { target += bernoulli_logit_lpmf(k | -0.4); }", { k })).toBeCloseTo(
      families.get("bernoulli_logit").logDensity(new Float64Array(k), { logit: -0.4 }),
      12,
    );
  });
});

describe("loops", () => {
  it("an elementwise loop is vectorised into the same graph as the vector statement", () => {
    expectSameGraph(
      "data { int J; vector[J] y; } parameters { real mu; vector[J] theta; } model { mu ~ normal(0, 1); for (j in 1:J) theta[j] ~ normal(mu, 1); for (j in 1:J) y[j] ~ normal(theta[j], 2); }",
      "data { int J; vector[J] y; } parameters { real mu; vector[J] theta; } model { mu ~ normal(0, 1); theta ~ normal(mu, 1); y ~ normal(theta, 2); }",
    );
  });

  it("a loop building a local vector, with multi-indexing, becomes a gather", () => {
    expectSameGraph(
      "data { int N; int J; array[N] int g; vector[N] x; vector[N] y; } parameters { vector[J] a; real b; } model { vector[N] mu; a ~ normal(0, 1); b ~ normal(0, 1); for (n in 1:N) { mu[n] = a[g[n]] + x[n] * b; } y ~ normal(mu, 1); }",
      "data { int N; int J; array[N] int g; vector[N] x; vector[N] y; } parameters { vector[J] a; real b; } model { a ~ normal(0, 1); b ~ normal(0, 1); y ~ normal(a[g] + x * b, 1); }",
    );
  });

  it("a matrix row in a loop is a matrix-vector product", () => {
    const vectorised =
      "data { int N; int K; sparse_matrix[N, K] X; vector[N] y; } parameters { vector[K] b; } model { b ~ normal(0, 1); y ~ normal(X * b, 1); }";
    expectSameGraph(
      "data { int N; int K; sparse_matrix[N, K] X; vector[N] y; } parameters { vector[K] b; } model { b ~ normal(0, 1); for (n in 1:N) y[n] ~ normal(X[n] * b, 1); }",
      vectorised,
    );
    expectSameGraph(
      "data { int N; int K; sparse_matrix[N, K] X; vector[N] y; } parameters { vector[K] b; } model { b ~ normal(0, 1); for (n in 1:N) y[n] ~ normal(dot_product(X[n], b), 1); }",
      vectorised,
    );
  });

  it("a term repeated in every iteration is counted once per iteration", () => {
    // 4 iterations of target += 0.25: the factor is 0.25 * 4.
    expect(value("data { int N; } model { for (n in 1:N) target += 0.25; }", { N: 4 })).toBeCloseTo(1, 14);
  });

  it("conditions on data are decided when the model is built (the loop is unrolled)", () => {
    const x = [1.5, -2, 0.5, -0.25];
    const expected = x.reduce((s, v) => s + (v > 0 ? v * v : Math.abs(v)), 0);
    const text =
      "data { int N; vector[N] x; } model { for (n in 1:N) { if (x[n] > 0) target += square(x[n]); else target += abs(x[n]); } }";
    expect(value(text, { N: 4, x })).toBeCloseTo(expected, 14);
  });

  it("a recurrence is unrolled, with long terms named so the graph stays linear in length", () => {
    const y = Array.from({ length: 60 }, (_, t) => Math.sin(t));
    const text =
      "data { int T; vector[T] y; } parameters { real<lower=-1, upper=1> phi; } model { vector[T] e; phi ~ uniform(-1, 1); e[1] = y[1]; for (t in 2:T) e[t] = y[t] - phi * e[t - 1]; target += -0.5 * dot_self(e); }";
    const graph = parse(text, { T: 60, y });
    // Direct evaluation of the same recursion.
    const phi = 0.3;
    const e = [y[0]!];
    for (let t = 1; t < 60; t++) e.push(y[t]! - phi * e[t - 1]!);
    const expected = -0.5 * e.reduce((s, v) => s + v * v, 0) - Math.log(2);
    const model = compile(graph, { T: 60, y }, families, { jacobian: false });
    expect(model.logDensity(model.unconstrain({ phi }))).toBeCloseTo(expected, 10);
    expect(graph.nodes.length).toBeLessThan(30);
  });

  it("shifted reads in a vectorised loop become gathers (with the data's sizes)", () => {
    const y = [0.5, 1, -0.5, 2, 0];
    const text = "data { int T; vector[T] y; } model { for (t in 2:T) target += y[t] * y[t - 1]; }";
    expect(value(text, { T: 5, y })).toBeCloseTo(0.5 * 1 + 1 * -0.5 + -0.5 * 2 + 2 * 0, 14);
  });

  it("foreach loops iterate over a vector's elements", () => {
    expect(value("data { vector[3] x; } model { for (v in x) target += v; }", { x: [1, 2, 4] })).toBeCloseTo(7, 14);
  });
});

describe("functions, locals and expressions", () => {
  it("user functions are inlined", () => {
    expectSameGraph(
      "functions { vector affine(vector z, real m, real s) { return m + s * z; } } data { int J; } parameters { vector[J] z; real m; } transformed parameters { vector[J] t = affine(z, m, 2); } model { z ~ normal(0, 1); m ~ normal(0, 1); }",
      "data { int J; } parameters { vector[J] z; real m; } transformed parameters { vector[J] t = m + 2 * z; } model { z ~ normal(0, 1); m ~ normal(0, 1); }",
    );
  });

  it("a user _lpdf function gives a family usable with '~'", () => {
    const text =
      "functions { real sq_lpdf(vector y, real s) { return -0.5 * dot_self(y) / square(s); } } data { vector[2] y; } model { y ~ sq(2); }";
    expect(value(text, { y: [1, 3] })).toBeCloseTo((-0.5 * 10) / 4, 14);
  });

  it("ternaries, rep_vector, size, slices and min/max on known values", () => {
    const text =
      "data { int N; vector[N] x; } model { target += sum(x[2:N]) + sum(rep_vector(1.5, 2)) + size(x) + (N > 2 ? 10 : 20) + max(1, 3); }";
    expect(value(text, { N: 4, x: [1, 2, 3, 4] })).toBeCloseTo(9 + 3 + 4 + 10 + 3, 12);
  });

  it("x' * y is a dot product, and log_mix is the stable two-component mixture", () => {
    const text = "data { vector[2] x; vector[2] y; } model { target += x' * y + log_mix(0.3, -1, -2); }";
    const expected = 1 * 3 + 2 * 4 + Math.log(0.3 * Math.exp(-1) + 0.7 * Math.exp(-2));
    expect(value(text, { x: [1, 2], y: [3, 4] })).toBeCloseTo(expected, 12);
  });

  it("sizes computed from data, and Stan's legacy array syntax", () => {
    const graph = parse("data { int K; real y[K]; } parameters { vector[K - 1] b; } model { b ~ normal(0, 1); }", {
      K: 4,
      y: [1, 2, 3, 4],
    });
    expect(graph.nodes.find((n) => n.name === "b")).toMatchObject({ kind: "latent", shape: [3] });
    expect(graph.nodes.find((n) => n.name === "y")).toMatchObject({ kind: "data", shape: ["K"] });
  });
});

describe("declarations and annotations", () => {
  it("bounds, constrained types, hyper-parameters, parts and annotations reach the IR", () => {
    const graph = parse(`
      hyper { vector<lower=0>[3] gamma = 2; }
      parameters {
        @group("w") @prior("custom") simplex[3] w;
        ordered[2] c;
        real<lower=-1, upper=1> r;
        @parameterization("noncentered") vector[3] z;
      }
      model {
        w ~ flat();
        c ~ normal(0, 5);
        r ~ uniform(-1, 1);
        z ~ normal(0, gamma);
        @part("prior") target += -sum(gamma);
      }`);
    const byName = new Map(graph.nodes.map((n) => [n.name, n]));
    expect(byName.get("gamma")).toMatchObject({
      kind: "hyper",
      shape: [3],
      support: { kind: "lower", lower: 0 },
      init: 2,
    });
    expect(byName.get("w")).toMatchObject({
      support: { kind: "simplex" },
      annotations: { group: "w", prior: "custom" },
    });
    expect(byName.get("c")).toMatchObject({ support: { kind: "ordered" } });
    expect(byName.get("r")).toMatchObject({ support: { kind: "interval", lower: -1, upper: 1 } });
    expect(byName.get("z")).toMatchObject({ parameterization: "noncentered" });
    expect(graph.nodes.find((n) => n.kind === "factor")).toMatchObject({ part: "prior" });
  });

  it("annotations on hyper, transformed data and transformed parameters declarations tag their nodes", () => {
    const graph = parse(`
      data { int N; }
      transformed data { @note("sizes") @model(1) int M = 2 * N; }
      hyper { @group("z") @role("precision") @parameterization("any") real<lower=0> alpha = 1; }
      parameters { @group("z") @role("standardized") @parameterization("noncentered") vector[N] z; }
      transformed parameters { @group("z") @role("value") @scaled(true) @offset(-0.5) vector[N] x = z / sqrt(alpha); }
      model { z ~ normal(0, 1); target += -0.5 * dot(x, x); }`);
    const byName = new Map(graph.nodes.map((n) => [n.name, n]));
    // Keywords are valid annotation keys; on nodes other than parameters, @parameterization is a tag like any other.
    expect(byName.get("M")).toMatchObject({ kind: "deterministic", annotations: { note: "sizes", model: 1 } });
    expect(byName.get("alpha")).toMatchObject({
      kind: "hyper",
      annotations: { group: "z", role: "precision", parameterization: "any" },
    });
    expect(byName.get("z")).toMatchObject({
      kind: "latent",
      annotations: { group: "z", role: "standardized" },
      parameterization: "noncentered",
    });
    expect(byName.get("z")).not.toHaveProperty("annotations.parameterization");
    expect(byName.get("x")).toMatchObject({
      kind: "deterministic",
      annotations: { group: "z", role: "value", scaled: true, offset: -0.5 },
    });
    expect(plain(parse(printModel(graph)))).toEqual(plain(graph));
  });

  it("int transformed parameters hold integer functions of discrete parameters", () => {
    const graph = parse(`
      parameters { int<lower=0, upper=1> s1; int<lower=0, upper=1> s2; vector[2] w; }
      transformed parameters { array[2] int s = [s1, s2]; int k = s1 + s2; }
      model { s1 ~ bernoulli(0.5); s2 ~ bernoulli(0.5); w ~ normal(0, 0.1 + s * 0.9); }`);
    expect(graph.nodes.find((n) => n.name === "s")).toMatchObject({ kind: "deterministic", expr: { dtype: "int" } });
    expect(graph.nodes.find((n) => n.name === "k")).toMatchObject({ kind: "deterministic", expr: { dtype: "int" } });
  });

  it("custom families registered by the user are usable by name with named or positional arguments", () => {
    const registry = exampleFamilies().register(
      scalarFamily({
        family: "shifted_exponential",
        params: { rate: { rank: 0, support: { kind: "positive" } }, shift: { rank: 0, support: REAL } },
        paramOrder: ["rate", "shift"],
        discrete: false,
        support: () => REAL,
        elementLogDensity: (x, rate, shift) =>
          x >= shift ? Math.log(rate) - rate * (x - shift) : Number.NEGATIVE_INFINITY,
        elementLogDensityGrad: (x, rate, shift, _c, g) => {
          g[0] = -rate;
          g[1] = 1 / rate - (x - shift);
          g[2] = rate;
          return Math.log(rate) - rate * (x - shift);
        },
        elementSample: (rng, rate, shift) => shift - Math.log(rng.uniform()) / rate,
      }),
    );
    const a = parseModel("parameters { real x; } model { x ~ shifted_exponential(shift=1, rate=2); }", registry);
    const b = parseModel("parameters { real x; } model { x ~ shifted_exponential(2, 1); }", registry);
    expect(plain(a)).toEqual(plain(b));
    expect(a.nodes[0]).toMatchObject({ family: "shifted_exponential" });
    expect(() =>
      parseModel("parameters { real x; } model { x ~ shifted_exponential(2, 1); }", exampleFamilies()),
    ).toThrow(/unknown family 'shifted_exponential'/);
  });

  it("parameters are used before their '~' statement; nodes come out in dependency order", () => {
    const graph = parse(
      "parameters { real mu; real<lower=0> tau; vector[3] theta; } model { theta ~ normal(mu, tau); mu ~ normal(0, 1); tau ~ exponential(1); }",
    );
    expect(graph.nodes.map((n) => n.name)).toEqual(["mu", "tau", "theta"]);
  });

  it("a cycle between parameters is reported", () => {
    expect(() => parse("parameters { real a; real b; } model { a ~ normal(b, 1); b ~ normal(a, 1); }")).toThrow(
      ModelError,
    );
  });
});

describe("supports: bool, <positive>, <unbounded>, constrained data and hyper types", () => {
  const SUPPORTS = `
    data {
      int K;
      bool robust;
      array[K] bool hit;
      real<positive> scale;
      vector<lower=0>[K] counts;
      real<unbounded> shift;
      simplex[K] weights;
      cholesky_factor_corr[K] L;
    }
    hyper {
      real<positive> g = 1;
      ordered[2] cuts = [-1, 1];
      matrix<lower=0>[2, 2] m = 1;
    }
    parameters {
      real<positive> sigma;
      real<unbounded> s;
      int<unbounded> c;
      array[K] bool z;
    }
    model {
      sigma ~ half_normal(1);
      s ~ half_normal(1);
      c ~ poisson(3);
      z ~ bernoulli(0.5);
    }`;

  it("reach the IR as the supports they name", () => {
    const graph = parse(SUPPORTS);
    const support = (name: string) => {
      const node = graph.nodes.find((n) => n.name === name && n.kind !== "observed");
      return node !== undefined && "support" in node ? node.support : undefined;
    };
    expect(support("robust")).toEqual({ kind: "boolean" });
    expect(graph.nodes.find((n) => n.name === "hit")).toMatchObject({ shape: ["K"], dtype: "int" });
    expect(support("hit")).toEqual({ kind: "boolean" });
    expect(support("scale")).toEqual({ kind: "positive" });
    expect(support("counts")).toEqual({ kind: "lower", lower: 0 });
    expect(support("shift")).toEqual(REAL);
    expect(support("weights")).toEqual({ kind: "simplex" });
    expect(graph.nodes.find((n) => n.name === "L")).toMatchObject({
      shape: ["K", "K"],
      support: { kind: "cholesky_corr" },
    });
    expect(support("g")).toEqual({ kind: "positive" });
    expect(graph.nodes.find((n) => n.name === "cuts")).toMatchObject({ support: { kind: "ordered" }, init: [-1, 1] });
    expect(graph.nodes.find((n) => n.name === "m")).toMatchObject({
      shape: [2, 2],
      support: { kind: "lower", lower: 0 },
    });
    // On a parameter, <positive> and <lower=0> are one model (the bijector is open at 0).
    expect(support("sigma")).toEqual({ kind: "lower", lower: 0 });
    expect(support("s")).toEqual(REAL);
    expect(support("c")).toEqual({ kind: "integer" });
    expect(support("z")).toEqual({ kind: "boolean" });
    expect(graph.nodes.find((n) => n.name === "z")).toMatchObject({ dtype: "int", shape: ["K"] });
  });

  it("and print back to the same graph", () => {
    const graph = parse(SUPPORTS);
    expect(plain(parseModel(printModel(graph), families))).toEqual(plain(graph));
  });

  it("<positive> data reject 0 where <lower=0> data accept it; bool data reject 2", () => {
    const text = (type: string) => `data { ${type} s; } parameters { real mu; } model { mu ~ normal(s, 1); }`;
    const at = (type: string, s: number) => () =>
      compile(parse(text(type)), { s } as never, families).logDensity(new Float64Array([0]));
    expect(at("real<lower=0>", 0)).not.toThrow();
    expect(at("real<positive>", 0)).toThrow(
      /data 's': value is outside the declared support — got 0, expected a value > 0. Hint: <positive> excludes 0/,
    );
    expect(at("real<positive>", 1e-300)).not.toThrow();
    expect(at("bool", 1)).not.toThrow();
    expect(at("bool", 2)).toThrow(/data 's': value is outside the declared support — got 2, expected 0 or 1/);
    expect(at("int<lower=0, upper=1>", 2)).toThrow(/outside the declared support/);
  });

  it("<unbounded> on a parameter replaces the family's support (Stan's unconstrained `real`)", () => {
    const density = (type: string) =>
      compile(parse(`parameters { ${type} s; } model { s ~ half_normal(1); }`), {}, families);
    // The bare type takes half_normal's positive support: θ = -1 is s = exp(-1), inside it.
    expect(Number.isFinite(density("real").logDensity(new Float64Array([-1])))).toBe(true);
    // <unbounded> keeps the identity transform, so θ = -1 is s = -1, outside half_normal's support.
    expect(density("real<unbounded>").logDensity(new Float64Array([-1]))).toBe(Number.NEGATIVE_INFINITY);
    // At s = 1 both give half_normal's density: θ = 1 without a transform, θ = 0 = log 1 with log|J| = 0.
    expect(density("real<unbounded>").logDensity(new Float64Array([1]))).toBeCloseTo(
      density("real").logDensity(new Float64Array([0])),
      12,
    );
  });

  it("`positive` and `unbounded` stay usable as names; every lexer keyword is reserved in the IR", () => {
    const graph = parse(
      "data { real positive; real unbounded; } parameters { real<lower=positive, upper=unbounded> a; } model { a ~ uniform(positive, unbounded); }",
      { positive: 1, unbounded: 2 },
    );
    expect(graph.nodes.find((n) => n.name === "a")).toMatchObject({
      support: { kind: "interval", lower: 1, upper: 2 },
    });
    expect(graph.nodes.map((n) => n.name)).toContain("unbounded");
    const keywords = ALL_TOKENS.filter((t) => t.LONGER_ALT !== undefined).map((t) => (t.PATTERN as RegExp).source);
    expect(keywords).toContain("bool");
    for (const word of keywords) expect(RESERVED_WORDS.has(word), word).toBe(true);
  });
});

describe("sparse priors by name", () => {
  it("beta ~ horseshoe(...) expands to the builder's hierarchy, node for node", () => {
    const text = `
      data { int N; int D; matrix[N, D] X; vector[N] y; }
      parameters { real<lower=0> sigma; vector[D] beta; }
      model {
        sigma ~ half_normal(2);
        beta ~ horseshoe(expected_non_zeros=3, noise_scale=sigma, num_observations=N);
        y ~ normal(X * beta, sigma);
      }`;
    const built = model(
      "hs",
      (m) => {
        const N = m.data.int("N");
        const D = m.data.int("D");
        const X = m.data.matrix("X", N, D);
        const y = m.data.vector("y", N);
        const sigma = m.param("sigma", halfNormal({ scale: 2 }), { lower: 0 });
        const beta = horseshoe(m, "beta", { size: D, expectedNonZeros: 3, noiseScale: sigma, numObservations: N });
        m.observe(y, normal({ loc: X.matvec(beta), scale: sigma }));
      },
      { families },
    );
    const parsed = parseModel(text, families, { name: "hs" });
    expect(plain(parsed)).toEqual(plain(built));
    expect(plain(parseModel(printModel(parsed), families))).toEqual(plain(built));
  });

  it("the parameterization annotation and hyper-prior options reach the expansion", () => {
    const parsed = parse(
      'data { int D; } parameters { @parameterization("centered") vector[D] w; } model { w ~ ard(hyperprior_shape=1, hyperprior_rate=0.5); }',
    );
    const built = model(
      "t",
      (m) =>
        void ard(m, "w", { size: m.data.int("D"), parameterization: "centered", hyperprior: { shape: 1, rate: 0.5 } }),
      { families },
    );
    expect(plain(parsed)).toEqual(plain(built));
  });

  it("a user-registered sparse prior is usable by name", () => {
    const graph = parseModel(
      "data { int D; } parameters { vector[D] w; } model { w ~ my_shrinkage(scale=0.1); }",
      families,
      {
        sparsePriors: {
          my_shrinkage: (m, name, o) =>
            m.param(name, normal({ loc: 0, scale: o.scale as number }), {
              size: o.size as never,
              annotations: { prior: "my_shrinkage", group: name },
            }),
        },
      },
    );
    expect(graph.nodes.find((n) => n.name === "w")).toMatchObject({
      kind: "latent",
      family: "normal",
      annotations: { prior: "my_shrinkage" },
    });
  });

  it("options are checked, with suggestions in the text's snake_case", () => {
    expect(() => parse("data { int D; } parameters { vector[D] w; } model { w ~ horseshoe(global_scle=1); }")).toThrow(
      "did you mean 'global_scale'?",
    );
  });
});

describe("the printer's language", () => {
  it("parses what printModel writes, including gather(x, i, base=0), dot() and negative literals", () => {
    const text = `// sprig model: printed
data {
  int N;
  array[N] int<lower=0> idx;
  vector[N] y;
}
parameters {
  vector[N] a;
  real b;
}
model {
  a ~ normal(loc=-1, scale=2);
  b ~ normal(loc=0, scale=1);
  y ~ normal(loc=gather(a, idx, base=0) + dot(a, a) * b^(-2) - -0.5, scale=1);
}
`;
    const graph = parseModel(text, families);
    expect(graph.name).toBe("printed");
    expect(printModel(graph)).toBe(text);
  });

  it("the AST keeps spans of every construct", () => {
    const program = parseProgram("model {\n  target += exp(1);\n}", "m.sprig");
    const stmt = program.blocks[0]!.body[0]!;
    expect(stmt.span).toMatchObject({ file: "m.sprig", line: 2, column: 3 });
  });
});
