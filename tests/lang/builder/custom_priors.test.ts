/**
 * Custom priors in the two front ends (issue 4, acceptance 3): a family registered on a registry
 * is written in the TypeScript builder (by name with `dist`, or through its typed constructor
 * from `customFamily`) and in model text exactly like a built-in one, and both front ends give
 * the same graph. A bad definition fails when it is registered or built, and a bad use fails
 * when the model is built, each with a message in the DESIGN.md format.
 */
import { describe, expect, it } from "vitest";
import {
  HORSESHOE_LIKE_REGRESSION_TEXT,
  horseshoeLikeFamilies,
  makeHorseshoeLikeRegression,
  parseHorseshoeLikeRegression,
} from "../../../examples/models/custom_prior_expression.js";
import {
  GDP_REGRESSION_TEXT,
  gdp,
  gdpDistribution,
  gdpFamilies,
  makeGdpRegression,
  parseGdpRegression,
} from "../../../examples/models/custom_prior_object.js";
import { CapabilityError, DomainError, ModelError } from "../../../src/core/errors.js";
import type { FamilySignature } from "../../../src/core/family.js";
import { POSITIVE } from "../../../src/core/support.js";
import { compile } from "../../../src/inference/model/index.js";
import { graphToJSON, printModel } from "../../../src/ir/index.js";
import type { ModelGraph } from "../../../src/ir/types.js";
import { customFamily, dist, halfNormal, type ModelContext, model } from "../../../src/lang/builder/index.js";
import { parseModel } from "../../../src/lang/text/index.js";
import { createDefaultRegistry, expressionDistribution } from "../../../src/runtime/dists/index.js";
import { createRng } from "../../../src/runtime/rng/index.js";

/** The graph as JSON without source spans (the builder points into .ts files, the parser into text). */
function withoutSpans(graph: ModelGraph): string {
  return JSON.stringify(JSON.parse(graphToJSON(graph)), (key, value) => (key === "span" ? undefined : value));
}

function messageOf(f: () => unknown): string {
  try {
    f();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error("expected an error");
}

const SPAN = /^tests\/lang\/builder\/custom_priors\.test\.ts:\d+:\d+: /;
const families = gdpFamilies();
const build = (body: (m: ModelContext) => void) => () => model("m", body, { families });

describe("a registered custom family in both front ends", () => {
  it("custom_prior_object: the builder and the text give the same graph", () => {
    expect(withoutSpans(parseGdpRegression(families))).toBe(withoutSpans(makeGdpRegression(families)));
    expect(GDP_REGRESSION_TEXT).toContain("beta ~ gdp(alpha=1, eta=eta);");
  });

  it("custom_prior_expression: the builder and the text give the same graph", () => {
    const registry = horseshoeLikeFamilies();
    expect(withoutSpans(parseHorseshoeLikeRegression(registry))).toBe(
      withoutSpans(makeHorseshoeLikeRegression(registry)),
    );
    expect(HORSESHOE_LIKE_REGRESSION_TEXT).toContain("beta ~ horseshoe_like(tau^2);");
  });

  it("customFamily(definition) and dist(name) record the same latent, located at the user's line", () => {
    const graphOf = (viaConstructor: boolean): ModelGraph =>
      model(
        "m",
        ({ param }) => {
          const eta = param("eta", halfNormal({ scale: 1 }));
          param("b", viaConstructor ? gdp({ alpha: 1, eta }) : dist("gdp", { alpha: 1, eta }), { size: 3 });
        },
        { families },
      );
    const typed = graphOf(true);
    expect(withoutSpans(typed)).toBe(withoutSpans(graphOf(false)));
    const b = typed.nodes.find((n) => n.name === "b")!;
    expect(b).toMatchObject({ kind: "latent", family: "gdp", shape: [3] });
    expect(b.span?.file).toBe("tests/lang/builder/custom_priors.test.ts");
  });

  it("a parameter with a default may be left out, in the constructor's type and in the model", () => {
    // A family known only by its signature: the builder needs nothing else.
    const skewed = {
      family: "skew_scale",
      params: {
        scale: { rank: 0, support: POSITIVE },
        skew: { rank: 0, support: { kind: "real" }, default: 0 },
      },
      paramOrder: ["scale", "skew"],
      eventRank: 0,
      discrete: false,
    } as const satisfies FamilySignature;
    const lookup = {
      signature: (f: string) => (f === "skew_scale" ? skewed : undefined),
      families: () => ["skew_scale"],
    };
    const skewScale = customFamily(skewed);
    const graph = model("m", ({ param }) => void param("b", skewScale({ scale: 2 })), { families: lookup });
    expect(graph.nodes[0]).toMatchObject({ kind: "latent", family: "skew_scale" });
    // @ts-expect-error — 'scale' has no default.
    expect(() => model("m", ({ param }) => void param("b", skewScale({ skew: 1 })), { families: lookup })).toThrow(
      ModelError,
    );
  });

  it("printing a graph with a custom family gives text that parses back to it", () => {
    const graph = makeGdpRegression(families);
    expect(printModel(graph)).toContain("beta ~ gdp(alpha=1, eta=eta);");
    expect(withoutSpans(parseModel(printModel(graph), families))).toBe(withoutSpans(graph));
  });

  it("positional and named arguments in text, and scalar parameters broadcast over a vector", () => {
    const registry = horseshoeLikeFamilies();
    const positional = parseModel("parameters { vector[3] b; }\nmodel { b ~ horseshoe_like(0.25); }", registry);
    const named = parseModel("parameters { vector[3] b; }\nmodel { b ~ horseshoe_like(a=0.25); }", registry);
    expect(withoutSpans(named)).toBe(withoutSpans(positional));
    const m = compile(positional, {}, registry);
    const theta = new Float64Array([0.3, -1, 2]);
    const prior = registry.get("horseshoe_like");
    expect(m.logDensity(theta)).toBeCloseTo(prior.logDensity(theta, { a: 0.25 }), 12);
  });
});

describe("a bad definition fails when it is registered or built", () => {
  it("a Distribution object without logDensity", () => {
    const { logDensity: _omitted, ...withoutDensity } = gdpDistribution;
    const f = () => createDefaultRegistry().register({ ...withoutDensity, family: "my_gdp" } as never);
    expect(f).toThrow(ModelError);
    expect(messageOf(f)).toBe(
      "registry: family 'my_gdp' has no logDensity — got undefined, expected a function(x, params) => number.",
    );
  });

  it("a name that is not snake_case, and a second definition under a taken name", () => {
    expect(messageOf(() => createDefaultRegistry().register({ ...gdpDistribution, family: "myGdp" }))).toBe(
      "registry: a family name must be snake_case — got 'myGdp', expected lower-case words joined by '_', e.g. 'my_prior'.",
    );
    expect(messageOf(() => gdpFamilies().register(gdpDistribution))).toBe(
      "registry: family 'gdp' is already registered — got a second definition, expected a new name. Hint: give the custom family another name, e.g. 'gdp_custom'.",
    );
  });

  const lambda = { lambda: { rank: 0, support: POSITIVE, doc: "rate" } } as const;

  it("an expression that does not parse, with a caret under the column", () => {
    const f = () =>
      expressionDistribution({ family: "neg", params: lambda, logDensity: "log(lambda) - lambda * abs(x" });
    expect(f).toThrow(ModelError);
    expect(messageOf(f)).toBe(
      [
        "expression prior 'neg': logDensity does not parse (mathjs: Parenthesis ) expected, at column 29) — got 'log(lambda) - lambda * abs(x'. Hint: look at column 29:",
        "  log(lambda) - lambda * abs(x",
        "                              ^",
      ].join("\n"),
    );
  });

  it("an expression with an unknown symbol, with a suggestion", () => {
    const f = () =>
      expressionDistribution({ family: "neg", params: lambda, logDensity: "log(lamda) - lambda * abs(x)" });
    expect(f).toThrow(ModelError);
    expect(messageOf(f)).toBe(
      "expression prior 'neg': unknown symbol 'lamda' in logDensity — expected one of x, lambda. Hint: did you mean 'lambda'?",
    );
  });

  it("an expression definition without logDensity", () => {
    expect(messageOf(() => expressionDistribution({ family: "neg", params: lambda } as never))).toBe(
      "expression prior 'neg': missing logDensity — got undefined, expected a mathjs expression string in x and the parameters, e.g. \"log(lambda) - lambda * abs(x)\".",
    );
  });

  it("customFamily() of something that is not a family definition points at the caller", () => {
    const msg = messageOf(() => customFamily({} as never));
    expect(msg).toMatch(SPAN);
    expect(msg.replace(SPAN, "")).toBe(
      "customFamily(): the definition has no snake_case family name — got an object without a 'family' name, expected a Distribution (or FamilySignature) with family such as 'my_prior'. Hint: pass the object you registered with registry.register(...).",
    );
  });
});

describe("a bad use fails when the model is built, located at the use", () => {
  it("builder: a custom family missing from the registry the model is built with", () => {
    const msg = messageOf(() =>
      model("m", ({ param }) => void param("b", gdp({ alpha: 1, eta: 1 })), { families: createDefaultRegistry() }),
    );
    expect(msg).toMatch(SPAN);
    expect(msg.replace(SPAN, "")).toMatch(/^'b' ~ gdp\(\): unknown distribution family 'gdp'\. Hint: known families: /);
  });

  it("builder: a misspelt custom family, argument name, missing argument and out-of-support constant", () => {
    const strip = (f: () => unknown) => messageOf(f).replace(SPAN, "");
    expect(strip(build(({ param }) => void param("b", dist("gdb", { alpha: 1, eta: 1 }))))).toBe(
      "'b' ~ gdb(): unknown distribution family 'gdb'. Hint: did you mean 'gdp'?",
    );
    expect(strip(build(({ param }) => void param("b", dist("gdp", { alpha: 1, eat: 1 }))))).toBe(
      "gdp(): unknown argument 'eat' — got 'eat', expected one of 'alpha', 'eta'. Hint: did you mean 'eta'?",
    );
    // @ts-expect-error — the typed constructor requires every parameter without a default.
    expect(strip(build(({ param }) => void param("b", gdp({ alpha: 1 }))))).toBe(
      "gdp(): missing argument 'eta' — expected arguments 'alpha', 'eta'. Hint: write gdp(alpha=…, eta=…).",
    );
    const negative = build(({ param }) => void param("b", gdp({ alpha: 1, eta: -1 })));
    expect(negative).toThrow(DomainError);
    expect(strip(negative)).toBe("gdp(): parameter 'eta' must be positive — got -1.");
  });

  it("text: an unregistered custom family, too many arguments, an out-of-support constant", () => {
    expect(
      messageOf(() => parseModel("parameters { real b; }\nmodel { b ~ gdp(1, 2); }", createDefaultRegistry())),
    ).toBe(
      [
        "2:13: b ~ gdp(): unknown family 'gdp'. Hint: known families: normal, half_normal, student_t, cauchy, half_cauchy, exponential, gamma, lognormal, beta, uniform, bernoulli, bernoulli_logit, poisson, poisson_log, …; register custom ones on the registry.",
        "    2 | model { b ~ gdp(1, 2); }",
        "      |             ^^^",
      ].join("\n"),
    );
    expect(messageOf(() => parseModel("parameters { real b; }\nmodel { b ~ gdp(1, 2, 3); }", families))).toMatch(
      /^2:23: gdp\(\): too many arguments — got 3, expected at most 2 \(alpha, eta\)\./,
    );
    // parseModel reports every problem as a ModelError (DomainError is the builder's class for it).
    const f = () => parseModel("parameters { real b; }\nmodel { b ~ gdp(alpha=1, eta=0); }", families);
    expect(f).toThrow(ModelError);
    expect(messageOf(f).split("\n")[0]).toBe("2:30: gdp(): parameter 'eta' must be positive — got 0.");
  });

  it("prior sampling from an expression prior defined without a sampler is refused by name", () => {
    const noSampler = expressionDistribution({
      family: "gdp_density_only",
      params: {
        alpha: { rank: 0, support: POSITIVE },
        eta: { rank: 0, support: POSITIVE },
      },
      logDensity: "log(alpha) - log(2 * eta) - (alpha + 1) * log1p(abs(x) / eta)",
    });
    const registry = createDefaultRegistry().register(noSampler);
    const graph = parseModel("parameters { vector[2] b; }\nmodel { b ~ gdp_density_only(1, 1); }", registry);
    const m = compile(graph, {}, registry);
    expect(Number.isFinite(m.logDensity(new Float64Array([0.5, -0.5])))).toBe(true);
    const f = () => m.samplePrior(createRng(1));
    expect(f).toThrow(CapabilityError);
    expect(messageOf(f)).toMatch(
      /^expression prior 'gdp_density_only': cannot draw from this prior: it was defined by its log density alone\. Hint: /,
    );
  });
});
