import { describe, expect, it } from "vitest";
import { eightSchoolsData, eightSchoolsNoncentered } from "../../../examples/models/eight_schools.js";
import { exampleFamilies } from "../../../examples/models/families.js";
import { radonCentered, syntheticRadonData } from "../../../examples/models/radon.js";
import { compile, type DataValue } from "../../../src/inference/model/index.js";
import {
  abs,
  beta,
  dist,
  dot,
  exp,
  expm1,
  log,
  log1p,
  logistic,
  lognormal,
  logSumExp,
  mean,
  model,
  normal,
  poisson,
  softplus,
  sqrt,
  uniform,
  vector,
} from "../../../src/lang/builder/index.js";
import { normal as normalFamily } from "../../../src/runtime/dists/index.js";
import {
  CsrOperator,
  DenseOperator,
  KroneckerOperator,
  LowRankPlusDiagonal,
} from "../../../src/runtime/operators/index.js";
import { createRng } from "../../../src/runtime/rng/index.js";
import { expectGradientMatches } from "./finite_differences.js";

/** `normal` without analytic partials, to exercise the finite-difference fallback. */
const slowNormal = { ...normalFamily, family: "slow_normal", logDensityGrad: undefined };
const families = exampleFamilies().register(slowNormal);

/** Every expression kind and elementwise function, with matrix data bound as any operator. */
const ops = model(
  "ops",
  ({ data, param, hyper, observe, deterministic, factor }) => {
    const N = data.int("N");
    const K = data.int("K");
    const A = data.matrix("A", N, K);
    const idx = data.index("idx", N);
    const x = data.vector("x", N);
    const y = data.vector("y", N);
    const g = hyper("g", { init: 1.5, lower: 0 });
    const w = param("w", normal({ loc: 0, scale: g }), { size: K });
    const s = param("s", lognormal({ loc: 0, scale: 1 }));
    const u = param("u", beta({ alpha: 2, beta: 3 }));
    const v = param("v", uniform({ lower: -1, upper: 2 }));
    const eta = deterministic("eta", A.matvec(w).add(w.gather(idx).mul(x)).sub(x.pow(2).mul(u)));
    const t = exp(eta.div(10))
      .add(log1p(x.abs()))
      .add(logistic(eta))
      .add(softplus(eta.neg()))
      .add(sqrt(x.mul(x).add(1)))
      .add(expm1(x.div(20)))
      .add(log(x.abs().add(s)))
      .add(abs(eta).mul(0.1));
    observe(y, dist("slow_normal", { loc: t, scale: s }));
    factor(
      logSumExp(eta)
        .add(dot(w, w).mul(-0.1))
        .add(vector([s, u, v, 1]).at(2).pow(2))
        .add(mean(eta))
        .add(s.pow(u)),
      { part: "prior" },
    );
    factor(
      exp(s)
        .mul(log1p(u))
        .sub(sqrt(s))
        .add(softplus(v))
        .add(logistic(v))
        .add(expm1(u))
        .add(abs(v))
        .div(s)
        .add(log(s).neg()),
    );
  },
  { families },
);

function opsData(A: DataValue, N: number, K: number) {
  const rng = createRng(3);
  return {
    N,
    K,
    A,
    idx: Array.from({ length: N }, (_, i) => i % K),
    x: Array.from({ length: N }, () => rng.normal()),
    y: Array.from({ length: N }, () => 2 + rng.normal()),
  };
}

function randomPoints(dim: number, count: number, seed: number): Float64Array[] {
  const rng = createRng(seed);
  return Array.from({ length: count }, () => Float64Array.from({ length: dim }, () => 0.8 * rng.normal()));
}

describe("compile: every operation differentiates correctly", () => {
  const dense = [
    [1, 0.5, -1, 2],
    [0, 1, 0.3, -0.2],
    [2, -1, 0, 1],
    [0.1, 0.2, 0.3, 0.4],
    [-1, 0, 1, 0],
    [0.5, 0.5, 0.5, 0.5],
  ];
  const operators: [string, DataValue, number, number][] = [
    ["dense rows", dense, 6, 4],
    ["row-major Float64Array", Float64Array.from(dense.flat()), 6, 4],
    ["DenseOperator", DenseOperator.fromRows(dense), 6, 4],
    [
      "CSR",
      new CsrOperator(6, 4, [0, 2, 3, 5, 6, 7, 9], [0, 3, 1, 0, 2, 1, 2, 0, 3], [1, 2, -1, 0.5, 3, 1, -2, 0.7, 0.1]),
      6,
      4,
    ],
    [
      "Kronecker 2×2 ⊗ 3×2",
      new KroneckerOperator([
        [
          [1, 2],
          [0.5, -1],
        ],
        [
          [1, 0],
          [0.3, 2],
          [-1, 1],
        ],
      ]),
      6,
      4,
    ],
    [
      "low rank + diagonal",
      new LowRankPlusDiagonal(
        [1, 2, 1, 2, 1, 2],
        [
          [1, 0],
          [0, 1],
          [1, 1],
          [0.5, 0],
          [0, 0.5],
          [1, -1],
        ],
      ),
      6,
      6,
    ],
  ];
  for (const [name, A, N, K] of operators) {
    it(`matvec with ${name}`, () => {
      const m = compile(ops, opsData(A, N, K), families);
      for (const theta of randomPoints(m.dimension, 10, 5)) expectGradientMatches(m, theta);
    });
  }

  it("prior and likelihood split: each part differentiates and they sum to the density", () => {
    const m = compile(ops, opsData(dense, 6, 4), families);
    for (const theta of randomPoints(m.dimension, 5, 6)) {
      expect(m.logPrior(theta) + m.logLikelihood(theta)).toBeCloseTo(m.logDensity(theta), 10);
      expectGradientMatches(
        { dimension: m.dimension, logDensity: m.logPrior, logDensityAndGrad: m.logPriorAndGrad },
        theta,
      );
      expectGradientMatches(
        { dimension: m.dimension, logDensity: m.logLikelihood, logDensityAndGrad: m.logLikelihoodAndGrad },
        theta,
      );
    }
  });

  it("without the Jacobian the gradient is that of the constrained density", () => {
    const m = compile(ops, opsData(dense, 6, 4), families, { jacobian: false });
    const withJ = compile(ops, opsData(dense, 6, 4), families);
    for (const theta of randomPoints(m.dimension, 5, 7)) {
      expectGradientMatches(m, theta);
      expect(m.logDensity(theta)).not.toBeCloseTo(withJ.logDensity(theta), 3);
    }
  });

  it("hyper-parameters: values, setHyper and their validation", () => {
    const m = compile(ops, opsData(dense, 6, 4), families, { hyper: { g: 2 } });
    expect(m.hyperValues()).toEqual({ g: 2 });
    const theta = randomPoints(m.dimension, 1, 8)[0]!;
    const before = m.logDensity(theta);
    m.setHyper("g", 3);
    // w ~ normal(0, g) over K = 4 elements: the change is Σ[log N(w|0,3) − log N(w|0,2)].
    const w = m.constrainedValues(theta).w as Float64Array;
    const expected = w.reduce(
      (acc, wi) =>
        acc + (normalFamily.logDensity(wi, { loc: 0, scale: 3 }) - normalFamily.logDensity(wi, { loc: 0, scale: 2 })),
      0,
    );
    expect(m.logDensity(theta) - before).toBeCloseTo(expected, 10);
    expect(() => m.setHyper("g", -1)).toThrow(
      "hyper 'g': value is outside the declared support — got -1, expected a value ≥ 0.",
    );
    expect(() => m.setHyper("gamma", 1)).toThrow("ops.setHyper(): no hyper-parameter 'gamma' — expected one of 'g'.");
  });
});

describe("compile: layout, transforms and read-out", () => {
  const m = compile(eightSchoolsNoncentered, eightSchoolsData, families);

  it("lays θ out in declaration order with Stan's transforms", () => {
    expect(m.dimension).toBe(10);
    expect(m.layout.map((v) => [v.name, v.offset, v.size, v.bijector.name])).toEqual([
      ["theta_trans", 0, 8, "identity"],
      ["mu", 8, 1, "identity"],
      ["tau", 9, 1, "lower(0)"],
    ]);
    expect(m.discreteLatents).toEqual([]);
  });

  it("constrain and unconstrain are inverse", () => {
    for (const theta of randomPoints(m.dimension, 5, 9)) {
      const values = m.constrainedValues(theta);
      expect(values.tau).toBeCloseTo(Math.exp(theta[9]!), 12);
      const back = m.unconstrain(values);
      back.forEach((b, i) => {
        expect(b).toBeCloseTo(theta[i]!, 12);
      });
    }
  });

  it("reads deterministics", () => {
    const theta = randomPoints(m.dimension, 1, 10)[0]!;
    const { theta: schoolEffects } = m.deterministics(theta) as { theta: Float64Array };
    const tau = Math.exp(theta[9]!);
    schoolEffects.forEach((t, j) => {
      expect(t).toBeCloseTo(theta[8]! + tau * theta[j]!, 12);
    });
  });

  it("returns −Infinity, never NaN, and a zero gradient outside the support", () => {
    const theta = new Float64Array(m.dimension).fill(Number.NaN);
    const grad = new Float64Array(m.dimension).fill(7);
    expect(m.logDensity(theta)).toBe(Number.NEGATIVE_INFINITY);
    expect(m.logDensityAndGrad(theta, grad)).toBe(Number.NEGATIVE_INFINITY);
    expect([...grad].every((g) => g === 0)).toBe(true);
  });
});

describe("compile: prior simulation", () => {
  it("draws latents from their priors (moments within 4 Monte Carlo standard errors)", () => {
    const m = compile(eightSchoolsNoncentered, eightSchoolsData, families);
    const rng = createRng(11);
    const n = 4000;
    let sum = 0;
    let sumSq = 0;
    let positive = 0;
    for (let i = 0; i < n; i++) {
      const values = m.constrainedValues(m.samplePrior(rng));
      const mu = values.mu as number;
      sum += mu;
      sumSq += mu * mu;
      if ((values.tau as number) < 5) positive++;
    }
    const mean = sum / n;
    const sd = Math.sqrt(sumSq / n - mean * mean);
    // mu ~ normal(0, 5): SE(mean) = 5/√n ≈ 0.079, SE(sd) ≈ 5/√(2n) ≈ 0.056.
    expect(Math.abs(mean)).toBeLessThan(4 * (5 / Math.sqrt(n)));
    expect(Math.abs(sd - 5)).toBeLessThan(4 * (5 / Math.sqrt(2 * n)));
    // tau ~ half_cauchy(5) has median 5: P(tau < 5) = 0.5, SE = 0.5/√n ≈ 0.0079.
    expect(Math.abs(positive / n - 0.5)).toBeLessThan(4 * (0.5 / Math.sqrt(n)));
  });

  it("respects declared bounds (normal prior on a scale declared lower = 0)", () => {
    const m = compile(radonCentered, syntheticRadonData(createRng(1), 5, 30), families);
    const rng = createRng(12);
    const n = 4000;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const sigmaY = m.constrainedValues(m.samplePrior(rng)).sigma_y as number;
      expect(sigmaY).toBeGreaterThan(0);
      sum += sigmaY;
    }
    // |normal(0, 1)| has mean √(2/π) ≈ 0.798 and sd ≈ 0.603: SE(mean) ≈ 0.0095.
    expect(Math.abs(sum / n - Math.sqrt(2 / Math.PI))).toBeLessThan(4 * (0.603 / Math.sqrt(n)));
  });

  it("simulates the prior predictive", () => {
    const m = compile(eightSchoolsNoncentered, eightSchoolsData, families);
    const draw = m.samplePriorPredictive(createRng(13));
    expect(draw.theta.length).toBe(10);
    const y = draw.observed.y as Float64Array;
    expect(y.length).toBe(8);
    expect([...y].every(Number.isFinite)).toBe(true);
  });

  it("refuses improper priors with a clear message", () => {
    const flatModel = model("flat_only", ({ param }) => void param("a", dist("flat", {})), { families });
    const m = compile(flatModel, {}, families);
    expect(() => m.samplePrior(createRng(1))).toThrow("flat(): an improper prior cannot be sampled.");
  });
});

describe("compile: discrete latents", () => {
  const counts = model(
    "counts",
    ({ data, param, observe }) => {
      const N = data.int("N");
      const y = data.ints("y", N, { lower: 0 });
      const k = param("k", poisson({ rate: 3 }));
      const lambda = param("lambda", lognormal({ loc: 0, scale: 1 }));
      observe(y, poisson({ rate: k.add(lambda) }));
    },
    { families },
  );
  const m = compile(counts, { N: 3, y: [1, 4, 2] }, families);

  it("are listed, read as integers, and get no gradient", () => {
    expect(m.discreteLatents).toEqual(["k"]);
    const theta = Float64Array.of(2, 0.3);
    const grad = new Float64Array(2);
    const lp = m.logDensityAndGrad(theta, grad);
    expect(lp).toBeCloseTo(m.logDensity(theta), 12);
    expect(grad[0]).toBe(0);
    const h = 1e-6;
    const fd = (m.logDensity(Float64Array.of(2, 0.3 + h)) - m.logDensity(Float64Array.of(2, 0.3 - h))) / (2 * h);
    expect(grad[1]).toBeCloseTo(fd, 6);
    expect(m.logDensity(Float64Array.of(2.5, 0.3))).toBe(Number.NEGATIVE_INFINITY);
  });

  it("are simulated as integers", () => {
    const theta = m.samplePrior(createRng(4));
    expect(Number.isInteger(theta[0])).toBe(true);
  });
});

describe("compile: structure facts", () => {
  const sbl = model(
    "sbl",
    ({ data, param, hyper, observe }) => {
      const N = data.int("N");
      const D = data.int("D");
      const Phi = data.matrix("Phi", N, D);
      const t = data.vector("t", N);
      const gamma = hyper("gamma", { init: 1, lower: 0, size: D });
      const sigma = hyper("sigma", { init: 0.1, lower: 0 });
      const w = param("w", normal({ loc: 0, scale: gamma.sqrt() }), {
        size: D,
        annotations: { prior: "ard", group: "w", role: "coefficients" },
      });
      observe(t, normal({ loc: Phi.matvec(w), scale: sigma }));
    },
    { families },
  );

  it("finds the linear-Gaussian block, hyper-parameters and sparse-prior groups", () => {
    const Phi = new CsrOperator(3, 2, [0, 1, 2, 3], [0, 1, 0], [1, 1, 1]);
    const m = compile(sbl, { N: 3, D: 2, Phi, t: [1, 2, 3] }, families);
    expect(m.structure.hypers).toEqual([
      { name: "gamma", shape: [2], support: { kind: "lower", lower: 0 } },
      { name: "sigma", shape: [], support: { kind: "lower", lower: 0 } },
    ]);
    expect(m.structure.linearGaussian).toHaveLength(1);
    const block = m.structure.linearGaussian[0]!;
    expect(block.observed).toBe("t");
    expect(block.latent).toBe("w");
    expect(block.operatorName).toBe("Phi");
    expect(block.operator).toBe(Phi);
    expect(block.scale).toEqual({ kind: "node", name: "sigma", nodeKind: "hyper" });
    expect(m.structure.sparsePriorGroups).toEqual([
      {
        group: "w",
        prior: "ard",
        members: [{ name: "w", role: "coefficients", annotations: { prior: "ard", group: "w", role: "coefficients" } }],
      },
    ]);
    expect(m.structure.latentPriors[0]).toEqual({
      name: "w",
      family: "normal",
      args: { loc: { kind: "constant", value: 0 }, scale: { kind: "expression" } },
    });
  });
});
