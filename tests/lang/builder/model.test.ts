import { describe, expect, expectTypeOf, it } from "vitest";
import { eightSchoolsNoncentered } from "../../../examples/models/eight_schools.js";
import { exampleFamilies } from "../../../examples/models/families.js";
import { binary, constant, GraphBuilder, type ModelGraph, type ModelNode } from "../../../src/ir/index.js";
import {
  dist,
  exp,
  halfCauchy,
  halfNormal,
  type IntScalar,
  logSumExp,
  type Matrix,
  model,
  normal,
  type Scalar,
  studentT,
  sum,
  toSnakeCase,
  type Vector,
  vector,
} from "../../../src/lang/builder/index.js";

const families = exampleFamilies();

/** The graph without source spans, for comparing graphs built in different places. */
function withoutSpans(g: ModelGraph): unknown {
  return JSON.parse(JSON.stringify(g, (k, v) => (k === "span" ? undefined : v)));
}

describe("the typed DSL", () => {
  it("gives values their kind in the type system", () => {
    model(
      "types",
      ({ data, param, hyper }) => {
        const N = data.int("N");
        expectTypeOf(N).toEqualTypeOf<IntScalar>();
        const X = data.matrix("X", N, 3);
        expectTypeOf(X).toEqualTypeOf<Matrix>();
        const mu = param("mu", normal({ loc: 0, scale: 1 }));
        expectTypeOf(mu).toEqualTypeOf<Scalar>();
        const beta = param("beta", normal({ loc: 0, scale: 1 }), { size: 3 });
        expectTypeOf(beta).toEqualTypeOf<Vector>();
        const eta = X.matvec(beta);
        expectTypeOf(eta).toEqualTypeOf<Vector>();
        const z = param("z", normal({ loc: eta, scale: 1 }));
        expectTypeOf(z).toEqualTypeOf<Vector>();
        expectTypeOf(mu.add(1)).toEqualTypeOf<Scalar>();
        expectTypeOf(mu.mul(beta)).toEqualTypeOf<Vector>();
        expectTypeOf(exp(beta)).toEqualTypeOf<Vector>();
        expectTypeOf(sum(beta)).toEqualTypeOf<Scalar>();
        expectTypeOf(beta.dot(beta)).toEqualTypeOf<Scalar>();
        expectTypeOf(hyper("g", { init: 1 })).toEqualTypeOf<Scalar>();
        expectTypeOf(hyper("h", { init: 1, size: 3 })).toEqualTypeOf<Vector>();
        // Type errors only (never run): the compiler rejects these.
        const typeErrors = () => {
          // @ts-expect-error a matrix multiplies a vector, not a scalar
          X.matvec(mu);
          // @ts-expect-error normal has no argument 'sd'
          normal({ loc: 0, sd: 1 });
          // @ts-expect-error a vector is not a size
          data.vector("v", beta);
        };
        expectTypeOf(typeErrors).toBeFunction();
      },
      { families },
    );
  });

  it("builds the same graph as the IR builder by hand", () => {
    const b = new GraphBuilder("eight_schools_noncentered", families);
    b.data({ name: "J", shape: [], dtype: "int", support: { kind: "integer", lower: 0 } });
    const y = b.data({ name: "y", shape: ["J"] });
    const sigma = b.data({ name: "sigma", shape: ["J"], support: { kind: "lower", lower: 0 } });
    const z = b.latent({
      name: "theta_trans",
      family: "normal",
      args: { loc: constant(0), scale: constant(1) },
      shape: ["J"],
      parameterization: "noncentered",
    });
    const mu = b.latent({ name: "mu", family: "normal", args: { loc: constant(0), scale: constant(5) } });
    const tau = b.latent({ name: "tau", family: "half_cauchy", args: { scale: constant(5) } });
    const theta = b.deterministic({ name: "theta", expr: binary("add", binary("mul", z, tau), mu) });
    b.observed({ name: y.name, family: "normal", args: { loc: theta, scale: sigma } });
    expect(withoutSpans(eightSchoolsNoncentered)).toEqual(withoutSpans(b.build()));
  });

  it("records where each declaration was written", () => {
    const g = model("spans", ({ param }) => void param("a", halfNormal({ scale: 1 })), { families });
    const node = g.nodes[0] as ModelNode;
    expect(node.span?.file).toBe("tests/lang/builder/model.test.ts");
    expect(node.span?.line).toBeGreaterThan(1);
  });

  it("maps camelCase families to snake_case", () => {
    expect(toSnakeCase("halfCauchy")).toBe("half_cauchy");
    expect(toSnakeCase("bernoulliLogit")).toBe("bernoulli_logit");
    expect(toSnakeCase("student_t")).toBe("student_t");
    expect(dist("halfCauchy", { scale: 1 }).family).toBe("half_cauchy");
    expect(studentT({ df: 3, loc: 0, scale: 1 }).family).toBe("student_t");
    expect(halfCauchy({ scale: 1 }).family).toBe("half_cauchy");
  });

  it("supports vector literals, reductions and factors", () => {
    const g = model(
      "misc",
      ({ param, factor }) => {
        const a = param("a", normal({ loc: 0, scale: 1 }));
        const b = param("b", normal({ loc: 0, scale: 1 }));
        factor(logSumExp(vector([a, b, 0])), { name: "mixture", part: "prior" });
      },
      { families },
    );
    const f = g.nodes.find((n) => n.kind === "factor");
    expect(f).toMatchObject({ name: "mixture", part: "prior", expr: { kind: "reduce", op: "log_sum_exp", shape: [] } });
  });
});

describe("computed bounds in the DSL", () => {
  it("takes values as bounds and builds the graph the text gives", async () => {
    const { parseModel } = await import("../../../src/lang/text/index.js");
    const g = model(
      "bounded",
      ({ data, param }) => {
        const N = data.int("N", { lower: 1 });
        const s = data.real("s");
        const a = param("a", normal({ loc: 0, scale: 1 }), { lower: 0, upper: 1 });
        const b = param("b", normal({ loc: 0, scale: 1 }), { lower: 0, upper: a.neg().add(1) });
        param("v", normal({ loc: 0, scale: 1 }), { size: N, lower: b.mul(s) });
      },
      { families },
    );
    const text = `data { int<lower=1> N; real s; }
parameters { real<lower=0, upper=1> a; real<lower=0, upper=-a + 1> b; vector<lower=b * s>[N] v; }
model { a ~ normal(0, 1); b ~ normal(0, 1); v ~ normal(0, 1); }`;
    const fromText = parseModel(`// sprig model: bounded\n${text}`, families);
    expect(withoutSpans(g)).toEqual(withoutSpans(fromText));
    expect(g.nodes.find((n) => n.name === "b")).toMatchObject({ bounds: { upper: { kind: "binary", op: "add" } } });
  });
});
