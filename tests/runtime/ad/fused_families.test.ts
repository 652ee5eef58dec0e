import { describe, expect, it } from "vitest";
import type { Rng } from "../../../src/core/rng.js";
import {
  compileProgram,
  type DensityPair,
  type ProgramNode,
  type Term,
  type UnaryFn,
} from "../../../src/runtime/ad/index.js";
import type { Distribution } from "../../../src/runtime/dists/distribution.js";
import {
  bernoulli,
  bernoulliLogit,
  beta,
  binomial,
  binomialLogit,
  cauchy,
  exponential,
  flat,
  gamma,
  halfCauchy,
  halfNormal,
  halfStudentT,
  inverseGamma,
  laplace,
  logistic,
  lognormal,
  negativeBinomial,
  normal,
  poisson,
  poissonLog,
  studentT,
  uniform,
  weibull,
} from "../../../src/runtime/dists/index.js";
import { elementKernel } from "../../../src/runtime/dists/scalar_family.js";
import { createRng } from "../../../src/runtime/rng/index.js";

/**
 * Every scalar family's density term, compiled twice: with its element kernel fused into the
 * generated loop (the family itself), and through its broadcasting `logDensity`/`logDensityGrad`
 * (a copy `{ ...family }`, which has no element kernel: the documented way to force the call).
 * Values and gradients must agree to 1e-12 relative at random points and at edge points whose
 * parameters reach |η| = 800, 1e±304 and beyond the double range; a support violation must give
 * −∞ with a zero gradient on both paths.
 */

const N = 7;
const LIKELIHOOD = { prior: false, likelihood: true, jacobian: false };

/** How a parameter or value is made from θ: a transform of latents, or fixed data. */
type Source = UnaryFn | "id" | { readonly data: number | Float64Array };

interface Case {
  readonly dist: Distribution;
  /** The value: a transform of a latent vector (continuous families) or data drawn from `dataParams`. */
  readonly value: Source | "sample";
  /** Parameters: the first listed is per element (a latent vector), the others scalars. */
  readonly params: Readonly<Record<string, Source>>;
  /** Parameters the data are drawn with (discrete families). */
  readonly dataParams?: Readonly<Record<string, number>>;
}

const TRIALS = Float64Array.of(0, 1, 5, 12, 40, 255, 300);

const CASES: readonly Case[] = [
  { dist: flat, value: "id", params: {} },
  { dist: normal, value: "id", params: { loc: "id", scale: "exp" } },
  { dist: halfNormal, value: "exp", params: { scale: "exp" } },
  { dist: cauchy, value: "id", params: { loc: "id", scale: "exp" } },
  { dist: halfCauchy, value: "exp", params: { scale: "exp" } },
  { dist: lognormal, value: "exp", params: { loc: "id", scale: "exp" } },
  { dist: studentT, value: "id", params: { loc: "id", df: "exp", scale: "exp" } },
  { dist: halfStudentT, value: "exp", params: { scale: "exp", df: "exp" } },
  { dist: laplace, value: "id", params: { loc: "id", scale: "exp" } },
  { dist: logistic, value: "id", params: { loc: "id", scale: "exp" } },
  { dist: exponential, value: "exp", params: { rate: "exp" } },
  { dist: gamma, value: "exp", params: { rate: "exp", shape: "exp" } },
  { dist: inverseGamma, value: "exp", params: { scale: "exp", shape: "exp" } },
  { dist: weibull, value: "exp", params: { scale: "exp", shape: "exp" } },
  { dist: beta, value: "logistic", params: { alpha: "exp", beta: "exp" } },
  { dist: uniform, value: "logistic", params: { lower: { data: -0.5 }, upper: { data: 1.5 } } },
  { dist: bernoulli, value: "sample", params: { prob: "logistic" }, dataParams: { prob: 0.4 } },
  { dist: bernoulliLogit, value: "sample", params: { logit: "id" }, dataParams: { logit: -0.3 } },
  { dist: poisson, value: "sample", params: { rate: "exp" }, dataParams: { rate: 3 } },
  { dist: poissonLog, value: "sample", params: { log_rate: "id" }, dataParams: { log_rate: 1.5 } },
  {
    dist: binomial,
    value: "sample",
    params: { prob: "logistic", trials: { data: TRIALS } },
    dataParams: { prob: 0.3 },
  },
  {
    dist: binomialLogit,
    value: "sample",
    params: { logit: "id", trials: { data: TRIALS } },
    dataParams: { logit: 0.2 },
  },
  {
    dist: negativeBinomial,
    value: "sample",
    params: { mean: "exp", concentration: "exp" },
    dataParams: { mean: 4, concentration: 2 },
  },
];

/** The program of one case; θ = (value latents when continuous, the per-element parameter, the scalars). */
function program(c: Case, dist: Distribution, rng: Rng): { nodes: ProgramNode[]; terms: Term[]; dimension: number } {
  const nodes: ProgramNode[] = [];
  const add = (node: ProgramNode): number => nodes.push(node) - 1;
  let offset = 0;
  const source = (s: Source, vector: boolean): number => {
    if (typeof s === "object") {
      const scalar = typeof s.data === "number";
      return add({ op: "const", value: s.data, size: scalar ? 1 : N, scalar });
    }
    const size = vector ? N : 1;
    const latent = add({ op: "latent", offset, unconstrainedSize: size, discrete: false, size, scalar: !vector });
    offset += size;
    return s === "id" ? latent : add({ op: "unary", fn: s, x: latent, size, scalar: !vector });
  };
  let value: number;
  if (c.value === "sample") {
    const params: Record<string, number | Float64Array> = { ...c.dataParams };
    for (const [name, s] of Object.entries(c.params)) if (typeof s === "object") params[name] = s.data;
    value = add({ op: "const", value: c.dist.sample(rng, params, [N]) as Float64Array, size: N, scalar: false });
  } else {
    value = source(c.value, true);
  }
  const params: Record<string, number> = {};
  Object.entries(c.params).forEach(([name, s], m) => {
    params[name] = source(s, m === 0);
  });
  const terms: Term[] = [
    { kind: "density", dist, value, params, part: "likelihood", shape: [N], samples: false, label: "y" },
  ];
  return { nodes, terms, dimension: offset };
}

/** θ at random (normal, sd 1.5) with `edges` of its coordinates set to extreme values. */
function point(rng: Rng, dimension: number, edges: number): Float64Array {
  const extremes = [0, 1e-9, -1e-9, 30, -30, 300, -300, 700, -700, 745, -745, 800, -800];
  const theta = Float64Array.from({ length: dimension }, () => 1.5 * rng.normal());
  for (let e = 0; e < edges; e++) {
    theta[Math.floor(rng.uniform() * dimension)] = extremes[Math.floor(rng.uniform() * extremes.length)]!;
  }
  return theta;
}

/** |a − b| ≤ 1e-12·max(|a|, |b|), or the same non-finite number. */
function agree(a: number, b: number): boolean {
  if (!Number.isFinite(a) || !Number.isFinite(b)) return Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));
  return Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b));
}

function evaluate(pair: DensityPair, theta: Float64Array): { value: number; withGrad: number; grad: Float64Array } {
  const grad = new Float64Array(theta.length).fill(Number.NaN);
  const withGrad = pair.logDensityAndGrad(theta, grad);
  return { value: pair.logDensity(theta), withGrad, grad };
}

describe.each(CASES.map((c) => ({ family: c.dist.family, c })))("fused $family", ({ c }) => {
  const rng = createRng(`fused/${c.dist.family}`);
  const fusedProgram = program(c, c.dist, rng);
  const unfusedProgram = program(c, { ...c.dist }, createRng(`fused/${c.dist.family}`));
  const fused = compileProgram(fusedProgram, { sufficientStatistics: false });
  const unfused = compileProgram(unfusedProgram, { sufficientStatistics: false });
  const fusedPair = fused.density(LIKELIHOOD);
  const unfusedPair = unfused.density(LIKELIHOOD);

  it("is fused through its element kernel (and the copy is not)", () => {
    expect(elementKernel(c.dist)).toBeDefined();
    expect(fused.source("grad:-L-")).not.toContain(".logDensityGrad(");
    expect(unfused.source("grad:-L-")).toContain(".logDensityGrad(");
  });

  it("equals the unfused density and gradient at random and edge points", () => {
    const dimension = fusedProgram.dimension;
    let finite = 0;
    let impossible = 0;
    for (let trial = 0; trial < 300; trial++) {
      const theta = point(rng, dimension, trial < 60 ? 0 : 1 + (trial % 3));
      const a = evaluate(fusedPair, theta);
      const b = evaluate(unfusedPair, theta);
      const at = `θ = [${[...theta].join(", ")}]`;
      expect(Object.is(a.value, a.withGrad), `fused value with and without gradient at ${at}`).toBe(true);
      expect(agree(a.value, b.value), `value ${a.value} vs ${b.value} at ${at}`).toBe(true);
      expect(agree(a.withGrad, b.withGrad), `value with gradient at ${at}`).toBe(true);
      if (a.value === Number.NEGATIVE_INFINITY) {
        // Outside the support: −∞ on both paths, with a zero gradient.
        impossible++;
        expect([...a.grad], at).toEqual(new Array(dimension).fill(0));
        expect([...b.grad], at).toEqual(new Array(dimension).fill(0));
        continue;
      }
      finite++;
      for (let i = 0; i < dimension; i++) {
        expect(agree(a.grad[i]!, b.grad[i]!), `∂/∂θ[${i}]: ${a.grad[i]} vs ${b.grad[i]} at ${at}`).toBe(true);
      }
    }
    expect(finite).toBeGreaterThan(60);
    expect(finite + impossible).toBe(300);
  });

  it("gives −∞ and a zero gradient on both paths when a coordinate is NaN", () => {
    // θᵢ = NaN makes the value or a parameter NaN: outside every support, not a NaN density.
    // (θᵢ = ±800 overflowing exp to +∞ or 0 is among the edge points above.)
    const dimension = fusedProgram.dimension;
    for (let i = 0; i < dimension; i++) {
      const theta = point(rng, dimension, 0);
      theta[i] = Number.NaN;
      for (const pair of [fusedPair, unfusedPair]) {
        const { value, withGrad, grad } = evaluate(pair, theta);
        expect(value).toBe(Number.NEGATIVE_INFINITY);
        expect(withGrad).toBe(Number.NEGATIVE_INFINITY);
        expect([...grad]).toEqual(new Array(dimension).fill(0));
      }
    }
  });
});

describe("fused bernoulli_logit at large |η|", () => {
  it("takes one exponential per element and is exact at |η| = 800 where 1 + e^η overflows", () => {
    const k = elementKernel(bernoulliLogit)!;
    const g = new Float64Array(4);
    const none = new Float64Array(0);
    for (const eta of [800, 40, 1, 0, -1, -40, -800]) {
      for (const y of [0, 1]) {
        // log σ(s·η) with s = ±1, from the exact identity log σ(t) = −log1p(e^(−t)) for t ≥ 0 and
        // t − log1p(e^t) below.
        const t = y === 1 ? eta : -eta;
        const expected = t >= 0 ? -Math.log1p(Math.exp(-t)) : t - Math.log1p(Math.exp(t));
        const sigma = eta >= 0 ? 1 / (1 + Math.exp(-eta)) : Math.exp(eta) / (1 + Math.exp(eta));
        // === rather than toBe: the kernel's −0 and +0 at |η| = 800 are the same log density.
        expect(k.logDensityGrad(y, eta, 0, 0, g, none) === expected).toBe(true);
        expect(k.logDensity(y, eta, 0, 0, none) === expected).toBe(true);
        expect(g[1]).toBeCloseTo(y - sigma, 15);
      }
    }
    expect(k.logDensity(0, 800, 0, 0, none)).toBe(-800);
    expect(k.logDensity(1, -800, 0, 0, none)).toBe(-800);
    expect(Number.isFinite(Math.log1p(Math.exp(800)))).toBe(false); // the naive form would be −∞
  });
});
