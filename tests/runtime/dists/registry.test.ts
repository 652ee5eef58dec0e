import { describe, expect, it } from "vitest";
import { ModelError } from "../../../src/core/errors.js";
import { POSITIVE, REAL } from "../../../src/core/support.js";
import type { Distribution } from "../../../src/runtime/dists/distribution.js";
import { createDefaultRegistry, normal, Registry } from "../../../src/runtime/dists/index.js";

const BUILT_INS = [
  "normal",
  "half_normal",
  "student_t",
  "cauchy",
  "half_cauchy",
  "exponential",
  "gamma",
  "lognormal",
  "beta",
  "uniform",
  "bernoulli",
  "bernoulli_logit",
  "poisson",
  "poisson_log",
  "half_student_t",
  "laplace",
  "inverse_gamma",
  "logistic",
  "weibull",
  "binomial",
  "binomial_logit",
  "negative_binomial",
  "categorical",
  "categorical_logit",
  "dirichlet",
  "multi_normal",
  "multi_normal_cholesky",
  "complex_normal",
  "flat",
  "binary_markov_chain",
];

/** A valid custom prior (an ARD-style zero-mean normal with a precision), to be broken per test. */
function myPrior(overrides: Record<string, unknown> = {}): Distribution {
  const base: Distribution = {
    family: "my_prior",
    params: { precision: { rank: 0, support: POSITIVE } },
    paramOrder: ["precision"],
    eventRank: 0,
    discrete: false,
    support: () => REAL,
    logDensity: (x, p) =>
      0.5 * (Math.log(p.precision as number) - Math.log(2 * Math.PI) - (p.precision as number) * (x as number) ** 2),
    sample: (rng, p) => rng.normal() / Math.sqrt(p.precision as number),
  };
  return { ...base, ...overrides } as Distribution;
}

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ModelError);
    return (error as Error).message;
  }
  throw new Error("expected a ModelError");
}

describe("Registry", () => {
  it("holds every built-in family, each a fresh registry", () => {
    const a = createDefaultRegistry();
    const b = createDefaultRegistry();
    expect(a.families()).toEqual(BUILT_INS);
    a.register(myPrior());
    expect(a.has("my_prior")).toBe(true);
    expect(b.has("my_prior")).toBe(false);
    expect(a.get("my_prior").logDensity(0, { precision: 1 })).toBeCloseTo(-0.5 * Math.log(2 * Math.PI), 14);
  });

  it("exposes signatures for the IR builder and checker", () => {
    const registry = createDefaultRegistry();
    const sig = registry.signature("student_t")!;
    expect(sig.paramOrder).toEqual(["df", "loc", "scale"]);
    expect(sig.eventRank).toBe(0);
    expect(sig.discrete).toBe(false);
    expect(registry.signature("poisson")!.discrete).toBe(true);
    expect(registry.signature("beta")!.paramOrder).toEqual(["alpha", "beta"]);
    expect(registry.signature("nope")).toBeUndefined();
    for (const family of BUILT_INS) expect(registry.get(family).family).toBe(family);
  });

  it("suggests the closest family for a typo or a camelCase spelling", () => {
    const registry = createDefaultRegistry();
    expect(messageOf(() => registry.get("half_cauchi"))).toBe(
      "registry: unknown distribution family 'half_cauchi'. Hint: did you mean 'half_cauchy'?",
    );
    expect(messageOf(() => registry.get("halfNormal"))).toBe(
      "registry: unknown distribution family 'halfNormal'. Hint: did you mean 'half_normal'?",
    );
    expect(messageOf(() => registry.get("wishart"))).toBe(
      `registry: unknown distribution family 'wishart'. Hint: known families are ${BUILT_INS.join(", ")}; register a custom one with registry.register(...).`,
    );
  });

  it("refuses duplicates", () => {
    expect(messageOf(() => createDefaultRegistry().register(normal))).toBe(
      "registry: family 'normal' is already registered — got a second definition, expected a new name. Hint: give the custom family another name, e.g. 'normal_custom'.",
    );
  });

  it("validates definitions with messages in the one format", () => {
    const cases: [Record<string, unknown>, string][] = [
      [
        { logDensity: undefined },
        "registry: family 'my_prior' has no logDensity — got undefined, expected a function(x, params) => number.",
      ],
      [
        { sample: 3 },
        "registry: family 'my_prior' has no sample — got number, expected a function(rng, params, shape, out?) => Value.",
      ],
      [
        { support: undefined },
        "registry: family 'my_prior' has no support — got undefined, expected a function(params) => Support.",
      ],
      [
        { family: "myPrior" },
        "registry: a family name must be snake_case — got 'myPrior', expected lower-case words joined by '_', e.g. 'my_prior'.",
      ],
      [
        { family: "_prior" },
        "registry: a family name must be snake_case — got '_prior', expected lower-case words joined by '_', e.g. 'my_prior'.",
      ],
      [
        { paramOrder: ["precision", "scale"] },
        "registry: family 'my_prior' lists 'scale' in paramOrder but not in params — got [precision], expected a key of params.",
      ],
      [
        { paramOrder: [] },
        "registry: family 'my_prior' has parameter 'precision' missing from paramOrder — got [], expected every key of params.",
      ],
      [
        { paramOrder: ["precision", "precision"] },
        "registry: family 'my_prior' lists parameter 'precision' twice in paramOrder — got [precision, precision], expected each name once.",
      ],
      [
        { params: { precision: { rank: 3, support: POSITIVE } } },
        "registry: family 'my_prior' parameter 'precision' has an invalid rank — got 3, expected 0, 1 or 2.",
      ],
      [
        { params: { precision: { rank: 0 } } },
        "registry: family 'my_prior' parameter 'precision' has no support — got undefined, expected a Support such as POSITIVE.",
      ],
      [{ eventRank: 5 }, "registry: family 'my_prior' has an invalid eventRank — got 5, expected 0, 1 or 2."],
      [{ discrete: "no" }, "registry: family 'my_prior' has no discrete flag — got 'no', expected true or false."],
      [
        { logDensityGrad: {} },
        "registry: family 'my_prior' has a logDensityGrad that is not a function — got object, expected a function or undefined.",
      ],
    ];
    for (const [overrides, message] of cases) {
      expect(messageOf(() => new Registry().register(myPrior(overrides)))).toBe(message);
    }
  });

  it("chains registrations and keeps their order", () => {
    const registry = new Registry().register(myPrior()).register(normal);
    expect(registry.families()).toEqual(["my_prior", "normal"]);
    expect(messageOf(() => new Registry().get("normal"))).toBe(
      "registry: unknown distribution family 'normal'. Hint: known families are (none); register a custom one with registry.register(...).",
    );
  });
});
