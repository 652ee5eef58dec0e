/**
 * The code of docs/custom-priors.md, kept verbatim here so that the guide's examples are tested:
 * the generalized double Pareto prior written as a Distribution object and as an expression,
 * and the horseshoe-like prior as an expression.
 */
import { describe, expect, it } from "vitest";
import type { Rng } from "../../../src/core/rng.js";
import { shapeSize } from "../../../src/core/shape.js";
import { POSITIVE, REAL } from "../../../src/core/support.js";
import type { Distribution, GradOut, Params, Value } from "../../../src/runtime/dists/distribution.js";
import { createDefaultRegistry, expressionDistribution } from "../../../src/runtime/dists/index.js";
import { createRng, sampleExponential, sampleGamma } from "../../../src/runtime/rng/index.js";
import { derivative, relativeError } from "./finite_diff.js";

// --- docs/custom-priors.md, "Route 1: a Distribution object" ---------------------------------

/** One GDP draw through its hierarchy: λ ~ Gamma(α, rate η), τ ~ Exp(rate λ²/2), x ~ N(0, τ). */
function drawGdp(rng: Rng, alpha: number, eta: number): number {
  const lambda = sampleGamma(rng, alpha, eta);
  const tau = sampleExponential(rng, 0.5 * lambda * lambda);
  return Math.sqrt(tau) * rng.normal();
}

const gdp: Distribution = {
  family: "gdp",
  params: {
    alpha: { rank: 0, support: POSITIVE, doc: "tail index α" },
    eta: { rank: 0, support: POSITIVE, doc: "scale η" },
  },
  paramOrder: ["alpha", "eta"],
  eventRank: 0,
  discrete: false,
  support: () => REAL,

  logDensity(x: Value, p: Params): number {
    const alpha = p.alpha as number;
    const eta = p.eta as number;
    if (!(alpha > 0 && alpha < Infinity && eta > 0 && eta < Infinity)) return -Infinity;
    const xs = typeof x === "number" ? [x] : x;
    const constant = Math.log(alpha) - Math.log(2 * eta);
    let total = 0;
    for (const xi of xs) {
      if (!Number.isFinite(xi)) return -Infinity;
      total += constant - (alpha + 1) * Math.log1p(Math.abs(xi) / eta);
    }
    return total;
  },

  logDensityGrad(x: Value, p: Params, out: GradOut): number {
    const alpha = p.alpha as number;
    const eta = p.eta as number;
    if (!(alpha > 0 && alpha < Infinity && eta > 0 && eta < Infinity)) return -Infinity;
    const xs = typeof x === "number" ? [x] : x;
    const constant = Math.log(alpha) - Math.log(2 * eta);
    let total = 0;
    for (let i = 0; i < xs.length; i++) {
      const xi = xs[i]!;
      if (!Number.isFinite(xi)) return -Infinity;
      const a = Math.abs(xi);
      const log1pz = Math.log1p(a / eta);
      total += constant - (alpha + 1) * log1pz;
      // Partials are ADDED (+=): the caller may accumulate several terms into one buffer.
      if (out.x) out.x[i]! -= ((alpha + 1) * Math.sign(xi)) / (eta + a);
      if (out.params.alpha) out.params.alpha[0]! += 1 / alpha - log1pz;
      if (out.params.eta) out.params.eta[0]! += -1 / eta + ((alpha + 1) * a) / (eta * (eta + a));
    }
    return total;
  },

  sample(rng: Rng, p: Params, shape: readonly number[], out?: Float64Array): Value {
    const alpha = p.alpha as number;
    const eta = p.eta as number;
    if (shape.length === 0 && !out) return drawGdp(rng, alpha, eta);
    const target = out ?? new Float64Array(shapeSize(shape));
    for (let i = 0; i < target.length; i++) target[i] = drawGdp(rng, alpha, eta);
    return target;
  },
};

const registry = createDefaultRegistry().register(gdp);

// --- docs/custom-priors.md, "Route 2: a log density as a mathjs expression" ----------------

const gdpExpr = expressionDistribution({
  family: "gdp_expr",
  params: {
    alpha: { rank: 0, support: POSITIVE, doc: "tail index α" },
    eta: { rank: 0, support: POSITIVE, doc: "scale η" },
  },
  logDensity: "log(alpha) - log(2 * eta) - (alpha + 1) * log(1 + abs(x) / eta)",
  sample: (rng, p) => drawGdp(rng, p.alpha!, p.eta!),
});

const horseshoeLike = expressionDistribution({
  family: "horseshoe_like",
  params: { a: { rank: 0, support: POSITIVE, doc: "global scale², a = τ²" } },
  logDensity: "log(log1p(a / x^2)) - log(2 * pi) - 0.5 * log(a)",
  // x = √a · U · C with U uniform and C standard Cauchy (the scale-mixture representation).
  sample: (rng, p) => Math.sqrt(p.a!) * rng.uniform() * Math.tan(Math.PI * (rng.uniform() - 0.5)),
});

registry.register(gdpExpr).register(horseshoeLike);

// ---------------------------------------------------------------------------------------------

describe("docs/custom-priors.md", () => {
  it("the hand-written GDP is registered, and its partials agree with finite differences", () => {
    const prior = registry.get("gdp");
    const p = { alpha: 2, eta: 0.5 };
    const out = { x: new Float64Array(1), params: { alpha: new Float64Array(1), eta: new Float64Array(1) } };
    prior.logDensityGrad!(0.8, p, out);
    expect(
      relativeError(
        out.x[0]!,
        derivative((t) => prior.logDensity(t, p), 0.8, 1e-4),
      ),
    ).toBeLessThan(1e-8);
    expect(
      relativeError(
        out.params.alpha[0]!,
        derivative((t) => prior.logDensity(0.8, { ...p, alpha: t }), 2, 1e-4),
      ),
    ).toBeLessThan(1e-8);
    expect(
      relativeError(
        out.params.eta[0]!,
        derivative((t) => prior.logDensity(0.8, { ...p, eta: t }), 0.5, 1e-4),
      ),
    ).toBeLessThan(1e-8);
  });

  it("both routes give the same GDP: values, partials and (same stream) draws", () => {
    const xs = new Float64Array([-2, -0.1, 0.3, 4]);
    const p = { alpha: 1.5, eta: 0.7 };
    expect(registry.get("gdp_expr").logDensity(xs, p)).toBeCloseTo(gdp.logDensity(xs, p), 12);
    const a = { x: new Float64Array(4), params: { alpha: new Float64Array(1), eta: new Float64Array(1) } };
    const b = { x: new Float64Array(4), params: { alpha: new Float64Array(1), eta: new Float64Array(1) } };
    gdp.logDensityGrad!(xs, p, a);
    gdpExpr.logDensityGrad!(xs, p, b);
    for (let i = 0; i < 4; i++) expect(b.x[i]).toBeCloseTo(a.x[i]!, 12);
    expect(b.params.alpha[0]).toBeCloseTo(a.params.alpha[0]!, 12);
    expect(b.params.eta[0]).toBeCloseTo(a.params.eta[0]!, 12);
    expect(Array.from(gdpExpr.sample(createRng(7), p, [5]) as Float64Array)).toEqual(
      Array.from(gdp.sample(createRng(7), p, [5]) as Float64Array),
    );
  });

  it("prints the derived GDP partials shown in the guide", () => {
    expect(gdpExpr.partials.x).toBe("-((alpha + 1) * sign(x) / eta / (abs(x) / eta + 1))");
    expect(gdpExpr.partials.alpha).toBe("1 / alpha - log(abs(x) / eta + 1)");
    expect(gdpExpr.partials.eta).toBe("((alpha + 1) * abs(x) / (abs(x) / eta + 1) - eta) / eta ^ 2");
  });

  it("shows the derived partials of the horseshoe-like prior", () => {
    expect(Object.keys(horseshoeLike.partials)).toEqual(["x", "a"]);
    expect(registry.get("horseshoe_like").logDensity(1, { a: 1 })).toBeCloseTo(
      Math.log(Math.log(2) / (2 * Math.PI)),
      14,
    );
  });
});
