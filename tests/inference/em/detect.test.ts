/**
 * Structure detection and `fitEm`: a model written with the DSL's sparse priors runs exactly
 * the `fitSbl` problem one would build by hand (same numbers, bit for bit), with the answer in
 * the model's names; the MAP variants (Gamma hyper-priors, Student-t weights, a Gamma noise
 * precision) stop at the stationary points of their posteriors; models that do not fit are
 * refused before any iteration with a message naming what is missing; bad data give clear
 * errors or the documented outcomes.
 */
import { describe, expect, it } from "vitest";
import { CapabilityError, DataError } from "../../../src/core/errors.js";
import {
  ComplexAsRealOperator,
  detectEm,
  type EmFit,
  fitEm,
  fitSbl,
  fixEmEstimates,
} from "../../../src/inference/em/index.js";
import { ZERO_DATA_WARNING } from "../../../src/inference/em/common.js";
import { compile } from "../../../src/inference/model/index.js";
import type { ModelGraph } from "../../../src/ir/types.js";
import {
  dist,
  exponential,
  gamma,
  halfNormal,
  type ModelContext,
  model,
  normal,
  studentT,
  type Vector,
} from "../../../src/lang/builder/index.js";
import {
  ard,
  blockArd,
  horseshoe,
  kroneckerArd,
  laplaceMixture,
  patternCoupled,
  studentTMixture,
  turboVbi,
} from "../../../src/lang/builder/priors/index.js";
import { parseModel } from "../../../src/lang/text/index.js";
import { createDefaultRegistry } from "../../../src/runtime/dists/index.js";
import { ComplexDenseOperator, DenseOperator, KroneckerOperator } from "../../../src/runtime/operators/index.js";
import { createRng } from "../../../src/runtime/rng/index.js";

const registry = createDefaultRegistry();
const rng = createRng(2024);
const N = 30;
const D = 12;
const X = Float64Array.from({ length: N * D }, () => rng.normal());
const wTrue = new Float64Array(D);
wTrue[1] = 2;
wTrue[5] = -1.5;
wTrue[9] = 1;
const y = new Float64Array(N);
for (let i = 0; i < N; i++) {
  for (let d = 0; d < D; d++) y[i] += X[i * D + d] * wTrue[d];
  y[i] += 0.2 * rng.normal();
}
const data = { N, D, X, y };
const A = new DenseOperator(X, N, D);

type Prior = (m: ModelContext, D: ReturnType<ModelContext["data"]["int"]>) => Vector;
type Noise = (m: ModelContext) => Parameters<typeof normal>[0]["scale"];

const sigmaHyper: Noise = (m) => m.hyper("sigma", { init: 1, lower: 0 });

/** y ~ normal(X · w, noise) with the given prior on w. */
function regression(prior: Prior, noise: Noise = sigmaHyper, name = "sbl"): ModelGraph {
  return model(
    name,
    (m) => {
      const n = m.data.int("N");
      const d = m.data.int("D");
      const Xm = m.data.matrix("X", n, d);
      const yv = m.data.vector("y", n);
      const w = prior(m, d);
      m.observe(yv, normal({ loc: Xm.matvec(w), scale: noise(m) }));
    },
    { families: registry },
  );
}

/** E[x_i²] = μ_i² + Σ_ii from a fit. */
function secondMoment(fit: EmFit, name: string): Float64Array {
  return fit.mean[name]!.map((m, i) => m * m + fit.sd[name]![i]! ** 2);
}

describe("fitEm on an ARD model runs exactly the hand-built fitSbl problem", () => {
  const direct = fitSbl({ A, y, noise: { learn: true, initialVariance: 1 } }, { algorithm: "em" });

  it.each(["centered", "noncentered"] as const)("%s ARD: same numbers, the model's names", (parameterization) => {
    const graph = regression((m, d) => ard(m, "w", { size: d, parameterization }));
    const fit = fitEm(graph, data, registry);
    expect(fit.plan.summary).toBe("y ~ normal(X * w, sigma): w ~ ard (w_alpha); noise scale 'sigma' learned");
    expect(fit.algorithm).toBe("em");
    expect(fit.mean.w).toEqual(direct.mean);
    expect(fit.sd.w).toEqual(direct.varianceDiag.map(Math.sqrt));
    expect(fit.hypers.w_alpha).toEqual(direct.alpha);
    expect(fit.hypers.sigma).toBe(Math.sqrt(direct.noiseVariance));
    expect(fit.support).toEqual(direct.support);
    expect(Array.from(fit.support)).toEqual(expect.arrayContaining([1, 5, 9]));
    expect(fit.logEvidence).toEqual(direct.logEvidence);
    expect(fit.iterations).toBe(direct.iterations);
    expect(fit.timeSeconds).toBeGreaterThan(0);
    if (parameterization === "noncentered") {
      // z = w / prior sd at the estimate; a pruned z keeps its N(0, 1) prior.
      const z = fit.mean.w_z!;
      expect(z[1]).toBeCloseTo(direct.mean[1]! * Math.sqrt(direct.alpha[1]!), 12);
      expect(z[0]).toBe(0);
      expect(fit.sd.w_z![0]).toBe(1);
    } else {
      expect(fit.mean.w_z).toBeUndefined();
    }
  });

  it("a compiled model gives the same fit; tipping_faul is allowed, bsbl is refused", () => {
    const graph = regression((m, d) => ard(m, "w", { size: d }));
    const compiled = compile(graph, data, registry);
    expect(fitEm(compiled, data).mean.w).toEqual(direct.mean);
    expect(fitEm(compiled, data, { algorithm: "tipping_faul" }).support.length).toBeGreaterThan(0);
    expect(() => fitEm(compiled, data, { algorithm: "bsbl" })).toThrow(
      "em-sbl: the algorithm does not fit the ard prior on 'w' — got 'bsbl', expected 'em' or 'tipping_faul'. Hint: leave `algorithm` out to use the first that fits.",
    );
  });

  it("the same model written in the model language fits identically", () => {
    const text = `
      data { int N; int D; matrix[N, D] X; vector[N] y; }
      hyper { real<lower=0> sigma = 1; }
      parameters { vector[D] w; }
      model { w ~ ard(); y ~ normal(X * w, sigma); }`;
    const fit = fitEm(parseModel(text, registry), data, registry);
    expect(fit.mean.w).toEqual(direct.mean);
    expect(fit.hypers.w_alpha).toEqual(direct.alpha);
  });

  it("fixEmEstimates gives the conditional posterior EM computed: its gradient vanishes at EM's mean", () => {
    const graph = regression((m, d) => ard(m, "w", { size: d }));
    const fit = fitEm(graph, data, registry);
    const conditional = fixEmEstimates(graph, fit, registry);
    expect(conditional.nodes.some((n) => n.kind === "hyper")).toBe(false);
    const compiled = compile(conditional, data, registry);
    const theta = compiled.unconstrain({ w: fit.mean.w! });
    const grad = new Float64Array(compiled.dimension);
    compiled.logDensityAndGrad(theta, grad);
    // For the kept coefficients ∂/∂w_i = −α_i μ_i + x_iᵀ(y − Xμ)/σ², which is 0 at EM's E-step.
    for (const i of fit.support) expect(Math.abs(grad[i]!)).toBeLessThan(1e-8);
  });
});

describe("a hand-written ARD prior without annotations is recognised by its form", () => {
  const direct = fitSbl({ A, y, noise: { variance: 0.04 } }, { algorithm: "em" });
  it.each([
    ["precision", (h: Vector) => h.pow(-0.5), (g: Float64Array) => g.map((v) => (v > 0 ? 1 / v : Infinity))],
    ["variance", (h: Vector) => h.sqrt(), (g: Float64Array) => g],
    ["scale", (h: Vector) => h, (g: Float64Array) => g.map(Math.sqrt)],
  ] as const)("the hyper-parameter holds the %s", (form, scaleOf, expected) => {
    const graph = regression(
      (m, d) =>
        m.param("w", normal({ loc: 0, scale: scaleOf(m.hyper("h", { init: 1, lower: 0, size: d })) }), { size: d }),
      () => 0.2,
    );
    const fit = fitEm(graph, data, registry);
    expect(fit.plan.prior).toEqual({ kind: "ard", precision: "h", form });
    expect(fit.mean.w).toEqual(direct.mean);
    expect(fit.hypers.h).toEqual(expected(direct.gamma));
    // Pruned entries get a tiny finite prior variance in the conditional graph.
    const conditional = compile(fixEmEstimates(graph, fit, registry), data, registry);
    expect(Number.isFinite(conditional.logDensity(conditional.unconstrain({ w: fit.mean.w! })))).toBe(true);
  });
});

describe("noise models", () => {
  const prior: Prior = (m, d) => ard(m, "w", { size: d });

  it("a constant scale is a known variance", () => {
    const plan = detectEm(
      regression(prior, () => 0.2),
      data,
      registry,
    );
    expect(plan.noise).toEqual({ kind: "known", variance: 0.2 * 0.2 });
    expect(plan.problem.noise).toEqual({ variance: 0.2 * 0.2 });
  });

  it("scale data are known; a precision or variance hyper-parameter is learned in its own form", () => {
    const withData = model(
      "d",
      (m) => {
        const n = m.data.int("N");
        const d = m.data.int("D");
        const s = m.data.real("s", { lower: 0 });
        m.observe(
          m.data.vector("y", n),
          normal({ loc: m.data.matrix("X", n, d).matvec(ard(m, "w", { size: d })), scale: s }),
        );
      },
      { families: registry },
    );
    expect(detectEm(withData, { ...data, s: 0.5 }, registry).noise).toEqual({ kind: "known", variance: 0.25 });
    const precision = fitEm(
      regression(prior, (m) => m.hyper("tau", { init: 4, lower: 0 }).pow(-0.5)),
      data,
      registry,
    );
    expect(precision.plan.noise).toMatchObject({
      kind: "hyper",
      name: "tau",
      form: "precision",
      initialVariance: 0.25,
    });
    expect(precision.hypers.tau).toBeCloseTo(1 / precision.noiseVariance, 12);
    const variance = fitEm(
      regression(prior, (m) => m.hyper("v", { init: 1, lower: 0 }).sqrt()),
      data,
      registry,
    );
    expect(variance.hypers.v).toBe(variance.noiseVariance);
  });

  it("a gamma noise precision stops at its posterior mode (MAP-II stationarity)", () => {
    const [a, b] = [3, 0.05];
    const graph = regression(prior, (m) => m.param("beta", gamma({ shape: a, rate: b })).pow(-0.5));
    const fit = fitEm(graph, data, registry, { tolerance: 1e-13, maxIterations: 20000, covariance: "full" });
    expect(fit.plan.noise).toEqual({ kind: "gamma_precision", name: "beta", shape: a, rate: b });
    // β = (N/2 + a − 1) / (b + E‖y − Xw‖²/2), E‖y − Xw‖² = ‖y − Xμ‖² + tr(X_S Σ X_Sᵀ).
    const mu = fit.mean.w!;
    const S = Array.from(fit.support);
    const cov = fit.covariance!;
    let expected2 = 0;
    for (let i = 0; i < N; i++) {
      let r = y[i]!;
      for (let d = 0; d < D; d++) r -= X[i * D + d]! * mu[d]!;
      expected2 += r * r;
      S.forEach((p, j) => {
        S.forEach((q, k) => {
          expected2 += X[i * D + p]! * cov[j * S.length + k]! * X[i * D + q]!;
        });
      });
    }
    const beta = fit.modes.beta as number;
    expect(beta).toBeCloseTo((N / 2 + a - 1) / (b + expected2 / 2), 6);
  });
});

describe("MAP variants", () => {
  it("ARD with gamma hyper-priors: α_i = (a − ½)/(E[w_i²]/2 + b) at the fixed point", () => {
    const [a, b] = [1.5, 1e-3];
    const graph = regression((m, d) => ard(m, "w", { size: d, hyperprior: { shape: a, rate: b } }));
    const fit = fitEm(graph, data, registry, { tolerance: 1e-13, maxIterations: 20000, pruneThreshold: 0 });
    expect(fit.plan.prior).toMatchObject({ kind: "ard_map", precision: "w_alpha", shape: a, rate: b });
    expect(fit.algorithm).toBe("pc_sbl");
    const alpha = fit.modes.w_alpha as Float64Array;
    const m2 = secondMoment(fit, "w");
    for (let i = 0; i < D; i++) expect(alpha[i]! / ((a - 0.5) / (m2[i]! / 2 + b))).toBeCloseTo(1, 6);
    // The strong coefficients keep small precisions, the others are shrunk hard.
    expect(alpha[1]!).toBeLessThan(1);
    expect(alpha[0]!).toBeGreaterThan(10);
  });

  it("Student-t coefficients: weights w_i = (ν − 1)/(E[x_i²]/s² + ν) at the fixed point", () => {
    const [df, s] = [3, 0.5];
    const graph = regression((m, d) => studentTMixture(m, "w", { size: d, df, scale: s }));
    const fit = fitEm(graph, data, registry, { tolerance: 1e-13, maxIterations: 20000, pruneThreshold: 0 });
    expect(fit.plan.prior).toMatchObject({ kind: "ard_map", source: "student_t", precision: "w_w" });
    const weights = fit.modes.w_w as Float64Array;
    const m2 = secondMoment(fit, "w");
    for (let i = 0; i < D; i++) expect(weights[i]! / ((df - 1) / (m2[i]! / (s * s) + df))).toBeCloseTo(1, 6);
    expect(fit.mean.w_z).toBeDefined();
  });

  it("a hyper-prior shape ≤ ½ has no mode and is refused", () => {
    const graph = regression((m, d) => ard(m, "w", { size: d, hyperprior: { shape: 0.5, rate: 1 } }));
    expect(() => detectEm(graph, data, registry)).toThrow(/its posterior mode given 'w' exists only for shape > 1\/2/);
  });
});

describe("structured priors", () => {
  const dims = [4, 5];
  const factors = [
    new DenseOperator(
      Float64Array.from({ length: 12 }, () => rng.normal()),
      3,
      4,
    ),
    new DenseOperator(
      Float64Array.from({ length: 20 }, () => rng.normal()),
      4,
      5,
    ),
  ];
  const K = new KroneckerOperator(factors);
  const xK = new Float64Array(20);
  xK[7] = 1.5;
  xK[8] = -1;
  const yK = new Float64Array(12);
  K.apply(xK, yK);
  for (let i = 0; i < 12; i++) yK[i] += 0.01 * rng.normal();
  const kron = model(
    "kron",
    (m) => {
      const Am = m.data.matrix("A", 12, 20);
      const yv = m.data.vector("y", 12);
      const x = kroneckerArd(m, "x", { dims });
      m.observe(yv, normal({ loc: Am.matvec(x), scale: m.hyper("sigma", { init: 0.1, lower: 0 }) }));
    },
    { families: registry },
  );

  it("kronecker_ard with a KroneckerOperator runs KroSBL on the factors", () => {
    const direct = fitSbl(
      { A: { factors }, y: yK, noise: { learn: true, initialVariance: 0.01 }, prior: { kind: "kronecker_ard", dims } },
      { algorithm: "krosbl_svd" },
    );
    const fit = fitEm(kron, { A: K, y: yK }, registry, { algorithm: "krosbl_svd" });
    expect(fit.plan.algorithms).toEqual(["krosbl_am", "krosbl_svd"]);
    expect(fit.mean.x).toEqual(direct.mean);
    expect(fit.hypers.x_alpha1).toEqual(direct.extra.factorGammas![0]!.map((g) => (g > 0 ? 1 / g : Infinity)));
    expect(fit.hypers.x_alpha2).toEqual(direct.extra.factorGammas![1]!.map((g) => (g > 0 ? 1 / g : Infinity)));
    expect(fitEm(kron, { A: K, y: yK }, registry).algorithm).toBe("krosbl_am");
  });

  it("kronecker_ard on a dense operator is refused", () => {
    expect(() => detectEm(kron, { A: new DenseOperator(K.toDense(), 12, 20), y: yK }, registry)).toThrow(
      "em-sbl: the kronecker_ard prior needs 'A' to be a KroneckerOperator — got a dense operator. Hint: bind 'A' as new KroneckerOperator([A1, A2, ...]), or use the ard prior.",
    );
  });

  const blockSizes = [3, 3, 3, 3];
  it("block_ard runs BSBL; a hyper-parameter correlation is learned, a fixed one is refused", () => {
    const direct = fitSbl(
      { A, y, noise: { learn: true, initialVariance: 1 }, prior: { kind: "block_ard", blockSizes } },
      { algorithm: "bsbl" },
    );
    const fit = fitEm(
      regression((m) => blockArd(m, "w", { blockSizes })),
      data,
      registry,
    );
    expect(fit.mean.w).toEqual(direct.mean);
    expect(fit.hypers.w_alpha).toEqual(direct.extra.blockGammas!.map((g) => (g > 0 ? 1 / g : Infinity)));
    for (const parameterization of ["centered", "noncentered"] as const) {
      const correlated = regression((m) =>
        blockArd(m, "w", {
          blockSizes,
          parameterization,
          correlation: m.hyper("r", { init: 0.3, lower: -1, upper: 1 }),
        }),
      );
      const withR = fitEm(correlated, data, registry);
      expect(withR.plan.prior).toMatchObject({ kind: "block_ard", correlation: "r" });
      expect(Math.abs(withR.hypers.r as number)).toBeLessThan(1);
    }
    expect(() =>
      detectEm(
        regression((m) => blockArd(m, "w", { blockSizes, correlation: 0.5 })),
        data,
        registry,
      ),
    ).toThrow(/fixes the intra-block correlation at 0.5/);
  });

  it("pc_sbl on a chain runs PC-SBL; on a grid it is refused", () => {
    const direct = fitSbl(
      { A, y, noise: { learn: true, initialVariance: 1 }, prior: { kind: "pc_sbl", beta: 0.5 } },
      { algorithm: "pc_sbl" },
    );
    const fit = fitEm(
      regression((m) => patternCoupled(m, "w", { size: D, coupling: 0.5 })),
      data,
      registry,
    );
    expect(fit.mean.w).toEqual(direct.mean);
    expect(fit.hypers.w_alpha).toEqual(direct.extra.alpha);
    expect(() =>
      detectEm(
        regression((m) => patternCoupled(m, "w", { grid: [3, 4] })),
        data,
        registry,
      ),
    ).toThrow(/couples a 2-D grid/);
  });
});

describe("complex data", () => {
  const M = 10;
  const n = 16;
  const cdata = Float64Array.from({ length: 2 * M * n }, () => rng.normal() / Math.sqrt(2));
  const C = new ComplexDenseOperator(cdata, M, n);
  const R = new ComplexAsRealOperator(C);
  const xC = new Float64Array(2 * n);
  xC[6] = 1;
  xC[7] = -0.5;
  xC[20] = -0.8;
  xC[21] = 0.9;
  const yC = new Float64Array(2 * M);
  C.apply(xC, yC);
  for (let i = 0; i < yC.length; i++) yC[i] += 0.05 * rng.normal();

  it("ComplexAsRealOperator is the realified operator: apply, transpose and Gram agree with toDense", () => {
    const dense = R.toDense();
    const v = Float64Array.from({ length: 2 * n }, () => rng.normal());
    const u = Float64Array.from({ length: 2 * M }, () => rng.normal());
    const Av = new Float64Array(2 * M);
    const Atu = new Float64Array(2 * n);
    R.apply(v, Av);
    R.applyTranspose(u, Atu, 2, 0);
    const gram = new Float64Array(2 * n);
    R.diagGram(gram);
    for (let i = 0; i < 2 * M; i++) {
      let s = 0;
      for (let j = 0; j < 2 * n; j++) s += dense[i * 2 * n + j]! * v[j]!;
      expect(Av[i]).toBeCloseTo(s, 12);
    }
    for (let j = 0; j < 2 * n; j++) {
      let s = 0;
      let g = 0;
      for (let i = 0; i < 2 * M; i++) {
        s += dense[i * 2 * n + j]! * u[i]!;
        g += dense[i * 2 * n + j]! ** 2;
      }
      expect(Atu[j]).toBeCloseTo(2 * s, 12);
      expect(gram[j]).toBeCloseTo(g, 12);
    }
  });

  const complexModel = (prior: (m: ModelContext) => Vector) =>
    model(
      "cplx",
      (m) => {
        const Am = m.data.matrix("A", 2 * M, 2 * n);
        const yv = m.data.vector("y", 2 * M);
        const x = prior(m);
        m.observe(yv, dist("complex_normal", { loc: Am.matvec(x), scale: m.hyper("sigma", { init: 0.5, lower: 0 }) }));
      },
      { families: registry },
    );

  it("block_ard with blocks of 2 is circular complex ARD and runs the complex kernels", () => {
    const graph = complexModel((m) => blockArd(m, "x", { blockSizes: new Array(n).fill(2) }));
    const fit = fitEm(graph, { A: R, y: yC }, registry);
    expect(fit.plan.embedding).toBe("complex");
    const direct = fitSbl({ A: C, y: yC, noise: { learn: true, initialVariance: 0.25 } }, { algorithm: "em" });
    expect(fit.mean.x).toEqual(direct.mean);
    expect(fit.hypers.x_alpha).toEqual(direct.gamma.map((g) => (g > 0 ? 2 / g : Infinity)));
    expect(fit.hypers.sigma).toBe(Math.sqrt(direct.noiseVariance));
    expect(Array.from(fit.support)).toEqual([6, 7, 20, 21]);
  });

  it("ard on the real and imaginary parts runs the real embedding with noise variance s²/2", () => {
    const graph = complexModel((m) => ard(m, "x", { size: 2 * n }));
    const plan = detectEm(graph, { A: R, y: yC }, registry);
    expect(plan.embedding).toBe("real");
    expect(plan.noiseRatio).toBe(2);
    expect(plan.problem.noise).toEqual({ learn: true, initialVariance: 0.125 });
    const fit = fitEm(graph, { A: R, y: yC }, registry);
    expect(fit.noiseVariance).toBeCloseTo(2 * fit.sbl.noiseVariance, 14);
  });
});

describe("offsets", () => {
  it("a known offset is subtracted from y", () => {
    const graph = model(
      "offset",
      (m) => {
        const n = m.data.int("N");
        const d = m.data.int("D");
        const b0 = m.data.vector("b0", n);
        const w = ard(m, "w", { size: d });
        m.observe(m.data.vector("y", n), normal({ loc: m.data.matrix("X", n, d).matvec(w).add(b0), scale: 0.2 }));
      },
      { families: registry },
    );
    const b0 = Float64Array.from({ length: N }, (_, i) => i / 10);
    const plan = detectEm(graph, { ...data, y: y.map((v, i) => v + b0[i]!), b0 }, registry);
    const shifted = plan.problem.y as Float64Array;
    for (let i = 0; i < N; i++) expect(shifted[i]).toBeCloseTo(y[i]!, 12);
  });
});

describe("models EM-SBL cannot run are refused before the run", () => {
  const refused = (graph: ModelGraph, message: string | RegExp, d: Record<string, unknown> = data) => {
    let error: unknown;
    try {
      detectEm(graph, d as typeof data, registry);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CapabilityError);
    expect((error as Error).message).toMatch(message);
  };

  it("a non-Gaussian likelihood", () => {
    const graph = model(
      "robust",
      (m) => {
        const n = m.data.int("N");
        const d = m.data.int("D");
        const w = ard(m, "w", { size: d });
        m.observe(m.data.vector("y", n), studentT({ df: 4, loc: m.data.matrix("X", n, d).matvec(w), scale: 1 }));
      },
      { families: registry },
    );
    refused(
      graph,
      "em-sbl: 'y' ~ student_t(df=4, loc=X * w, scale=1) is not Gaussian; EM-SBL needs a Gaussian likelihood — expected normal or complex_normal. Hint: use nuts or vi.",
    );
  });

  it("no sparse prior on the coefficients", () => {
    refused(
      regression((m, d) => m.param("w", normal({ loc: 0, scale: 10 }), { size: d })),
      "em-sbl: no sparse prior on 'w': EM-SBL learns the prior variances of the coefficients, but 'w' ~ normal(loc=0, scale=10) has none to learn.",
    );
  });

  it("a nonlinear link", () => {
    const graph = model(
      "link",
      (m) => {
        const n = m.data.int("N");
        const d = m.data.int("D");
        const w = ard(m, "w", { size: d });
        m.observe(m.data.vector("y", n), normal({ loc: m.data.matrix("X", n, d).matvec(w).exp(), scale: 1 }));
      },
      { families: registry },
    );
    refused(
      graph,
      /the mean of 'y' ~ normal\(.*\) is not linear in the coefficients — got exp\(X \* w\).*identity link/,
    );
  });

  it("two linear-Gaussian blocks", () => {
    const graph = model(
      "two",
      (m) => {
        const n = m.data.int("N");
        const d = m.data.int("D");
        const Xm = m.data.matrix("X", n, d);
        const w = ard(m, "w", { size: d });
        m.observe(m.data.vector("y", n), normal({ loc: Xm.matvec(w), scale: 1 }));
        m.observe(m.data.vector("y2", n), normal({ loc: Xm.matvec(w), scale: 1 }));
      },
      { families: registry },
    );
    refused(graph, "has 2 observations ('y', 'y2'); EM-SBL handles one linear-Gaussian block", { ...data, y2: y });
  });

  it("priors without EM updates", () => {
    refused(
      regression((m, d) => horseshoe(m, "w", { size: d })),
      "'w' has a horseshoe prior",
    );
    refused(
      regression((m, d) => laplaceMixture(m, "w", { size: d })),
      /Laplace mixture's exponential variances/,
    );
    refused(
      regression((m, d) => turboVbi(m, "w", { size: d })),
      /support layer is discrete/,
    );
  });

  it("an extra latent, an intercept, a factor term", () => {
    refused(
      regression((m, d) => {
        m.param("nuisance", normal({ loc: 0, scale: 1 }));
        return ard(m, "w", { size: d });
      }),
      "latent 'nuisance' ~ normal(loc=0, scale=1) is neither part of the sparse prior on 'w' nor the noise",
    );
    const intercept = model(
      "intercept",
      (m) => {
        const n = m.data.int("N");
        const d = m.data.int("D");
        const b0 = m.param("b0", normal({ loc: 0, scale: 5 }));
        const w = ard(m, "w", { size: d });
        m.observe(m.data.vector("y", n), normal({ loc: m.data.matrix("X", n, d).matvec(w).add(b0), scale: 1 }));
      },
      { families: registry },
    );
    refused(
      intercept,
      /adds a term that is not known data — got b0, expected constants or data only\. Hint: .*column of ones/,
    );
    const withFactor = regression((m, d) => {
      const w = ard(m, "w", { size: d });
      m.factor(w.sum().mul(-1), { part: "prior" });
      return w;
    });
    refused(withFactor, /adds a term EM-SBL cannot account for/);
  });

  it("noise scales EM cannot update", () => {
    refused(
      regression(
        (m, d) => ard(m, "w", { size: d }),
        (m) => m.param("sigma", halfNormal({ scale: 1 })),
      ),
      /the noise scale of 'y' is sigma with 'sigma' ~ half_normal\(scale=1\), a latent EM-SBL cannot update/,
    );
    const perObservation = model(
      "hetero",
      (m) => {
        const n = m.data.int("N");
        const d = m.data.int("D");
        const s = m.data.vector("s", n, { lower: 0 });
        const w = ard(m, "w", { size: d });
        m.observe(m.data.vector("y", n), normal({ loc: m.data.matrix("X", n, d).matvec(w), scale: s }));
      },
      { families: registry },
    );
    refused(perObservation, /a vector \(vector\[N\]\); EM-SBL needs one noise level/, {
      ...data,
      s: new Float64Array(N).fill(1),
    });
    refused(
      regression(
        (m, d) => ard(m, "w", { size: d }),
        (m) => m.param("rate", exponential({ rate: 1 })).pow(-0.5),
      ),
      /'rate' ~ exponential\(rate=1\), a latent EM-SBL cannot update/,
    );
  });

  it("a graph without a registry", () => {
    const graph = regression((m, d) => ard(m, "w", { size: d }));
    expect(() => fitEm(graph, data, undefined as never)).toThrow(/needs the family registry/);
  });
});

describe("bad data through fitEm", () => {
  const graph = regression((m, d) => ard(m, "w", { size: d }));
  const known = regression(
    (m, d) => ard(m, "w", { size: d }),
    () => 0.2,
  );

  it("non-finite y and a dictionary of the wrong shape are DataErrors naming the field", () => {
    const bad = Float64Array.from(y);
    bad[3] = Number.NaN;
    expect(() => fitEm(graph, { ...data, y: bad }, registry)).toThrow(/data 'y': non-finite value at y\[4\] — got NaN/);
    expect(() =>
      fitEm(graph, { ...data, X: new DenseOperator(X.subarray(0, N * (D - 1)), N, D - 1) }, registry),
    ).toThrow(DataError);
    expect(() => fitEm(graph, { ...data, X: X.subarray(1) }, registry)).toThrow(/data 'X': wrong number of values/);
  });

  it("all-zero y: known noise gives the documented empty fit, learned noise is a DataError", () => {
    const zero = new Float64Array(N);
    const fit = fitEm(known, { ...data, y: zero }, registry);
    expect(fit.support.length).toBe(0);
    expect(Array.from(fit.mean.w!)).toEqual(new Array(D).fill(0));
    expect(fit.warnings).toContain(ZERO_DATA_WARNING);
    expect(fit.logEvidence[0]).toBeCloseTo(-0.5 * N * Math.log(2 * Math.PI * 0.04), 10);
    expect((fit.hypers.w_alpha as Float64Array).every((a) => a === Infinity)).toBe(true);
    expect(() => fitEm(graph, { ...data, y: zero }, registry)).toThrow(
      /y is all zeros, so a learned noise variance has no maximum/,
    );
    // A Gamma prior on the noise precision has a mode even then: s² = 2b / (N + 2a − 2).
    const gammaNoise = regression(
      (m, d) => ard(m, "w", { size: d }),
      (m) => m.param("beta", gamma({ shape: 2, rate: 0.5 })).pow(-0.5),
    );
    const map = fitEm(gammaNoise, { ...data, y: zero }, registry);
    expect(map.noiseVariance).toBeCloseTo((2 * 0.5) / (N + 2), 14);
  });

  it("noiseless data: a learned noise level stops at its floor with a warning, nothing is NaN", () => {
    const exact = new Float64Array(N);
    for (let i = 0; i < N; i++) for (let d = 0; d < D; d++) exact[i] += X[i * D + d]! * wTrue[d]!;
    const fit = fitEm(graph, { ...data, y: exact }, registry, { maxIterations: 2000 });
    expect(fit.warnings.some((w) => w.startsWith("noise variance reached its floor"))).toBe(true);
    expect(Number.isFinite(fit.hypers.sigma as number)).toBe(true);
    expect(fit.mean.w!.every(Number.isFinite)).toBe(true);
    expect(fit.mean.w![1]).toBeCloseTo(2, 6);
  });
});
