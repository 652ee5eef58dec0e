import { describe, expect, it } from "vitest";
import { eightSchoolsCentered, eightSchoolsNoncentered } from "../../examples/models/eight_schools.js";
import { exampleFamilies } from "../../examples/models/families.js";
import { radonNoncentered } from "../../examples/models/radon.js";
import { wells } from "../../examples/models/wells.js";
import {
  binary,
  call,
  constant,
  GraphBuilder,
  gather,
  index,
  neg,
  printExpr,
  printModel,
  reduce,
  ref,
  vector,
} from "../../src/ir/index.js";
import { normal } from "../../src/lang/builder/index.js";

describe("printModel", () => {
  it("prints eight schools (non-centred) as model text (golden)", () => {
    expect(printModel(eightSchoolsNoncentered)).toBe(`// sprig model: eight_schools_noncentered
data {
  int<lower=0> J;
  vector[J] y;
  vector<lower=0>[J] sigma;
}
parameters {
  @parameterization("noncentered") vector[J] theta_trans;
  real mu;
  real tau;
}
transformed parameters {
  vector[J] theta = theta_trans * tau + mu;
}
model {
  theta_trans ~ normal(loc=0, scale=1);
  mu ~ normal(loc=0, scale=5);
  tau ~ half_cauchy(scale=5);
  y ~ normal(loc=theta, scale=sigma);
}
`);
  });

  it("prints eight schools (centred) with nested latent arguments", () => {
    expect(printModel(eightSchoolsCentered)).toBe(`// sprig model: eight_schools_centered
data {
  int<lower=0> J;
  vector[J] y;
  vector<lower=0>[J] sigma;
}
parameters {
  real mu;
  real tau;
  @parameterization("centered") vector[J] theta;
}
model {
  mu ~ normal(loc=0, scale=5);
  tau ~ half_cauchy(scale=5);
  theta ~ normal(loc=mu, scale=tau);
  y ~ normal(loc=theta, scale=sigma);
}
`);
  });

  it("prints index data, gathers, transformed data and declared bounds", () => {
    const radon = printModel(radonNoncentered);
    expect(radon).toContain("array[N] int<lower=1> county_idx;");
    expect(radon).toContain("log_radon ~ normal(loc=alpha[county_idx] + floor_measure * beta, scale=sigma_y);");
    const text = printModel(wells);
    expect(text).toContain("transformed data {\n  vector[N] c_dist100 = (dist - mean(dist)) / 100;");
    expect(text).toContain("array[N] int<lower=0, upper=1> switched;");
  });

  it("parenthesises by precedence and marks elementwise vector operators", () => {
    const x = ref("x", ["N"], "real");
    const a = ref("a", [], "real");
    expect(printExpr(binary("mul", binary("add", a, constant(1)), x))).toBe("(a + 1) * x");
    expect(printExpr(binary("sub", a, binary("sub", a, a)))).toBe("a - (a - a)");
    expect(printExpr(binary("mul", x, x))).toBe("x .* x");
    expect(printExpr(binary("div", x, x))).toBe("x ./ x");
    expect(printExpr(binary("pow", a, binary("pow", a, constant(2))))).toBe("a^a^2");
    expect(printExpr(binary("pow", binary("pow", a, a), constant(2)))).toBe("(a^a)^2");
    expect(printExpr(binary("pow", x, constant(2)))).toBe("x.^2");
    expect(printExpr(neg(binary("add", a, a)))).toBe("-(a + a)");
    expect(printExpr(binary("add", a, constant(-1.5)))).toBe("a + -1.5");
    expect(printExpr(binary("mul", a, constant(-2)))).toBe("a * -2");
    expect(printExpr(binary("pow", a, constant(-2)))).toBe("a^(-2)");
    expect(printExpr(call("log1p", reduce("log_sum_exp", x)))).toBe("log1p(log_sum_exp(x))");
    expect(printExpr(index(ref("beta", [3], "real"), 0))).toBe("beta[1]");
    expect(printExpr(gather(ref("alpha", [3], "real"), ref("g", ["N"], "int"), 0))).toBe("gather(alpha, g, base=0)");
    expect(printExpr(vector([a, constant(1e-7)]))).toBe("[a, 1e-7]");
  });

  it("prints hyper-parameters, annotations, factors and embedded data", () => {
    const b = new GraphBuilder("tags", exampleFamilies());
    b.data({ name: "D", shape: [], dtype: "int" });
    b.data({ name: "z", shape: [2], value: [0.5, 1] });
    const g = b.hyper({ name: "gamma", shape: ["D"], support: { kind: "positive" }, init: 1 });
    const w = b.latent({
      name: "w",
      family: "normal",
      args: normal({ loc: 0, scale: 1 }).args,
      shape: ["D"],
      annotations: { prior: "ard", group: "w", role: "coefficients" },
    });
    b.factor({ expr: reduce("sum", binary("mul", w, g)), part: "prior" });
    expect(printModel(b.build())).toBe(`// sprig model: tags
data {
  int D;
  vector[2] z = [0.5, 1];
}
hyper {
  vector<positive>[D] gamma = 1;
}
parameters {
  @group("w") @prior("ard") @role("coefficients") vector[D] w;
}
model {
  w ~ normal(loc=0, scale=1);
  @part("prior") target += sum(w .* gamma);
}
`);
  });
});
