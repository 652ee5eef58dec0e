/**
 * binary_markov_chain: the exact chain log-probability (against the product of the conditional
 * probabilities and a brute-force enumeration of {0, 1}ᴺ), its support and parameter checks,
 * its partials (central differences), and its forward sampler (transition counts within 4 MCSE
 * of their exact expectations).
 */
import { describe, expect, it } from "vitest";
import { DomainError, ShapeError } from "../../../src/core/errors.js";
import { compile } from "../../../src/inference/model/index.js";
import { beta, dist as family, model } from "../../../src/lang/builder/index.js";
import type { GradOut, Params } from "../../../src/runtime/dists/distribution.js";
import { binaryMarkovChain, createDefaultRegistry } from "../../../src/runtime/dists/index.js";
import { createRng } from "../../../src/runtime/rng/index.js";
import { derivative, relativeError } from "./finite_diff.js";
import { expectMeansWithinMcse } from "../../helpers/mcse.js";

const NEG_INF = Number.NEGATIVE_INFINITY;
const dist = binaryMarkovChain;

/** The N-step sequence whose bits are those of `code` (s₁ the lowest bit). */
function sequence(code: number, n: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => (code >> i) & 1);
}

/** Π of the conditional probabilities, step by step (independent of the counting code). */
function naiveProbability(s: Float64Array, first: number, p01: number, p10: number): number {
  let prob = s[0] === 1 ? first : 1 - first;
  for (let i = 1; i < s.length; i++) {
    const up = s[i - 1] === 1 ? 1 - p10 : p01;
    prob *= s[i] === 1 ? up : 1 - up;
  }
  return prob;
}

/** P(s_i = 1) for i = 1 … n by propagating the marginal through the transition matrix. */
function marginals(n: number, first: number, p01: number, p10: number): Float64Array {
  const q = new Float64Array(n);
  q[0] = first;
  for (let i = 1; i < n; i++) q[i] = p01 * (1 - q[i - 1]!) + (1 - p10) * q[i - 1]!;
  return q;
}

const PARAMS: readonly Params[] = [
  { first: 0.5, p01: 0.1, p10: 0.2 },
  { first: 0.2 / (0.2 + 0.3), p01: 0.2, p10: 0.3 },
  { first: 0.9, p01: 0.7, p10: 0.05 },
  { first: 0.3, p01: 0, p10: 1 },
  { first: 1, p01: 0.4, p10: 0 },
];

describe("binary_markov_chain log-probability", () => {
  it.each(PARAMS)("sums to 1 over all 2^N sequences (N ≤ 10) and equals the product of conditionals: %o", (p) => {
    const { first, p01, p10 } = p as { first: number; p01: number; p10: number };
    for (let n = 1; n <= 10; n++) {
      let total = 0;
      for (let code = 0; code < 2 ** n; code++) {
        const s = sequence(code, n);
        const lp = dist.logDensity(s, p);
        expect(Number.isNaN(lp)).toBe(false);
        const naive = naiveProbability(s, first, p01, p10);
        if (naive === 0) expect(lp).toBe(NEG_INF);
        else expect(Math.abs(lp - Math.log(naive))).toBeLessThan(1e-12 * Math.max(1, Math.abs(lp)));
        total += Math.exp(lp);
      }
      expect(Math.abs(total - 1), `N = ${n}`).toBeLessThan(1e-12);
    }
  });

  it("is bernoulli(first) for one step, given as a number or a length-1 array", () => {
    const p = { first: 0.3, p01: 0.6, p10: 0.6 };
    expect(dist.logDensity(1, p)).toBeCloseTo(Math.log(0.3), 15);
    expect(dist.logDensity(Float64Array.of(0), p)).toBeCloseTo(Math.log(0.7), 15);
    expect(dist.logDensity(new Float64Array(0), p)).toBe(0);
    // Parameters given as length-1 arrays (how a compiled model may pass a scalar node) are scalars.
    expect(dist.logDensity(Float64Array.of(1, 1), { first: Float64Array.of(0.3), p01: 0.6, p10: 0.6 })).toBeCloseTo(
      Math.log(0.3 * 0.4),
      15,
    );
  });

  it("is −Infinity outside the support and for parameters outside [0, 1], never NaN", () => {
    const p = { first: 0.5, p01: 0.1, p10: 0.2 };
    for (const bad of [0.5, 2, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(dist.logDensity(Float64Array.of(0, bad, 1), p)).toBe(NEG_INF);
      expect(dist.logDensity(bad, p)).toBe(NEG_INF);
    }
    for (const bad of [-0.1, 1.5, Number.NaN]) {
      for (const name of ["first", "p01", "p10"]) {
        expect(dist.logDensity(Float64Array.of(0, 1, 1), { ...p, [name]: bad })).toBe(NEG_INF);
      }
    }
    // Probabilities 0 and 1 are allowed: an impossible step costs −∞ only when it occurs.
    expect(dist.logDensity(Float64Array.of(0, 0, 0), { first: 0, p01: 0, p10: 0.5 })).toBe(0);
    expect(dist.logDensity(Float64Array.of(0, 0, 1), { first: 0, p01: 0, p10: 0.5 })).toBe(NEG_INF);
    expect(dist.logDensity(Float64Array.of(1, 1, 1), { first: 1, p01: 0.5, p10: 0 })).toBe(0);
    expect(dist.logDensity(Float64Array.of(0, 1), { first: 1, p01: 0.5, p10: 0 })).toBe(NEG_INF);
  });

  it("refuses a vector parameter and a missing one", () => {
    expect(() =>
      dist.logDensity(Float64Array.of(0, 1), { first: 0.5, p01: Float64Array.of(0.1, 0.2), p10: 0.2 }),
    ).toThrow(ShapeError);
    expect(() => dist.logDensity(Float64Array.of(0, 1), { first: 0.5, p01: 0.1 })).toThrow(/missing parameter 'p10'/);
  });
});

describe("binary_markov_chain partials", () => {
  const s = Float64Array.of(1, 1, 0, 0, 0, 1, 0, 1, 1, 1);
  const p = { first: 0.35, p01: 0.25, p10: 0.4 };

  it("match central differences and accumulate (+=) into the buffers", () => {
    const out: GradOut = {
      params: { first: Float64Array.of(1), p01: Float64Array.of(1), p10: Float64Array.of(1) },
    };
    const lp = dist.logDensityGrad!(s, p, out);
    expect(lp).toBe(dist.logDensity(s, p));
    for (const name of ["first", "p01", "p10"] as const) {
      const fd = derivative((t) => dist.logDensity(s, { ...p, [name]: t }), p[name], 1e-5);
      expect(relativeError(out.params[name]![0]! - 1, fd), name).toBeLessThan(1e-6);
    }
    // The value is discrete: no x buffer is read or written, and absent buffers are skipped.
    expect(dist.logDensityGrad!(s, p, { params: { p01: new Float64Array(1) } })).toBe(lp);
  });

  it("stay finite at boundary probabilities whose transitions never occur; −∞ leaves the buffers alone", () => {
    const g = { first: new Float64Array(1), p01: new Float64Array(1), p10: new Float64Array(1) };
    const lp = dist.logDensityGrad!(Float64Array.of(0, 0, 0), { first: 0, p01: 0, p10: 1 }, { params: g });
    expect(lp).toBe(0);
    // ∂/∂p01 = −n₀₀/(1 − p01) = −2; no 1-state ever occurs, so p10 has no influence.
    expect(Array.from(g.p01)).toEqual([-2]);
    expect(Array.from(g.p10)).toEqual([0]);
    expect(Number.isFinite(g.first[0]!)).toBe(true);
    const h = { first: new Float64Array(1), p01: new Float64Array(1), p10: new Float64Array(1) };
    expect(dist.logDensityGrad!(Float64Array.of(0, 1), { first: 0.5, p01: 0, p10: 0.5 }, { params: h })).toBe(NEG_INF);
    expect([h.first[0], h.p01[0], h.p10[0]]).toEqual([0, 0, 0]);
  });

  it("give a compiled model the gradient in learnable transition probabilities (observed chain)", () => {
    const registry = createDefaultRegistry();
    const graph = model(
      "observed_chain",
      (m) => {
        const n = m.data.int("N");
        const up = m.param("up", beta({ alpha: 2, beta: 2 }));
        const down = m.param("down", beta({ alpha: 2, beta: 2 }));
        m.observe(m.data.ints("s", n), family("binary_markov_chain", { first: 0.5, p01: up, p10: down }));
      },
      { families: registry },
    );
    const compiled = compile(graph, { N: 10, s: Array.from(s) }, registry);
    const theta = Float64Array.of(0.3, -0.4);
    const grad = new Float64Array(2);
    const lp = compiled.logDensityAndGrad(theta, grad);
    expect(lp).toBeCloseTo(compiled.logDensity(theta), 12);
    for (let k = 0; k < 2; k++) {
      const fd = derivative(
        (t) => compiled.logDensity(Float64Array.from(theta, (v, j) => (j === k ? t : v))),
        theta[k]!,
        1e-4,
      );
      expect(relativeError(grad[k]!, fd), `θ[${k}]`).toBeLessThan(1e-6);
    }
  });

  it("check the buffer lengths", () => {
    expect(() => dist.logDensityGrad!(s, p, { params: { first: new Float64Array(2) } })).toThrow(ShapeError);
  });
});

describe("binary_markov_chain sampling", () => {
  const first = 0.15;
  const p01 = 0.1;
  const p10 = 0.25;
  const n = 30;
  const draws = 20_000;

  it("draws first states and transitions with the chain's frequencies (4 MCSE)", () => {
    // Per draw (iid across draws): s₁ and the counts n₀₀, n₀₁, n₁₀, n₁₁. Their exact means
    // follow from the marginals q_i = P(s_i = 1): E[n_ab] = Σ_{i<N} P(s_i = a)·P(a → b).
    // Each mean is compared with its MCSE = sd/√draws.
    const q = marginals(n, first, p01, p10);
    const expected = [first, 0, 0, 0, 0];
    for (let i = 0; i + 1 < n; i++) {
      expected[1]! += (1 - q[i]!) * (1 - p01);
      expected[2]! += (1 - q[i]!) * p01;
      expected[3]! += q[i]! * p10;
      expected[4]! += q[i]! * (1 - p10);
    }
    const stats = Array.from({ length: 5 }, () => new Float64Array(draws));
    const rng = createRng(7);
    const buffer = new Float64Array(n);
    for (let d = 0; d < draws; d++) {
      dist.sample(rng, { first, p01, p10 }, [n], buffer);
      stats[0]![d] = buffer[0]!;
      for (let i = 1; i < n; i++) stats[1 + 2 * buffer[i - 1]! + buffer[i]!]![d]! += 1;
    }
    expectMeansWithinMcse(stats, expected);
  });

  it("is reproducible, writes into a buffer, and gives a number for shape []", () => {
    const p = { first, p01, p10 };
    const a = dist.sample(createRng(3), p, [12]) as Float64Array;
    const b = new Float64Array(12);
    expect(dist.sample(createRng(3), p, [12], b)).toBe(b);
    expect(Array.from(b)).toEqual(Array.from(a));
    expect(a.every((v) => v === 0 || v === 1)).toBe(true);
    expect(typeof dist.sample(createRng(3), p, [])).toBe("number");
    expect(dist.logDensity(a, p)).toBeGreaterThan(NEG_INF);
  });

  it("refuses invalid parameters and a short buffer", () => {
    expect(() => dist.sample(createRng(1), { first: 1.2, p01, p10 }, [4])).toThrow(DomainError);
    expect(() => dist.sample(createRng(1), { first, p01, p10 }, [4], new Float64Array(3))).toThrow(ShapeError);
  });
});

describe("binary_markov_chain registration", () => {
  it("is a discrete rank-1 family of the default registry", () => {
    const sig = createDefaultRegistry().signature("binary_markov_chain");
    expect(sig).toMatchObject({ eventRank: 1, discrete: true, paramOrder: ["first", "p01", "p10"] });
  });
});
