import { describe, expect, it } from "vitest";
import { CapabilityError, DomainError } from "../../../src/core/errors.js";
import { fitVb } from "../../../src/inference/vi/fit_vb.js";
import { allocateMoments, denseSolver, kronProduct, kroneckerSolver } from "../../../src/inference/vi/vb_posterior.js";
import { buildVbKernel, forwardBackward, type VbPrior, type VbProblem } from "../../../src/inference/vi/vb_sbl.js";
import { DenseOperator } from "../../../src/runtime/operators/dense_operator.js";
import { createRng, sampleGamma } from "../../../src/runtime/rng/index.js";
import { LN_TWO_PI, lgamma } from "../../../src/runtime/special.js";

type Rng = ReturnType<typeof createRng>;

function randomMatrix(rng: Rng, rows: number, cols: number): Float64Array {
  return Float64Array.from({ length: rows * cols }, () => rng.normal());
}

/** Dense row-major Kronecker product of two factors. */
function kron2(A: Float64Array, ra: number, ca: number, B: Float64Array, rb: number, cb: number): Float64Array {
  const out = new Float64Array(ra * rb * ca * cb);
  for (let i = 0; i < ra; i++)
    for (let j = 0; j < ca; j++)
      for (let p = 0; p < rb; p++)
        for (let q = 0; q < cb; q++) out[(i * rb + p) * (ca * cb) + j * cb + q] = A[i * ca + j] * B[p * cb + q];
  return out;
}

/** A sparse problem y = A x + e with k nonzeros (Gaussian values) at random positions. */
function sparseProblem(rng: Rng, A: Float64Array, m: number, n: number, k: number, noiseSd: number) {
  const x = new Float64Array(n);
  for (let t = 0; t < k; t++) x[Math.floor(rng.uniform() * n)] = 1 + rng.normal();
  const y = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += A[i * n + j] * x[j];
    y[i] = s + noiseSd * rng.normal();
  }
  return { x, y };
}

/** A problem of one of the four prior kinds, for seed-indexed sweeps. */
function problemFor(seed: number): { problem: VbProblem; label: string } {
  const rng = createRng(seed);
  const kind = seed % 4;
  const noise = seed % 2 === 0 ? ("learn" as const) : { variance: 0.01 + 0.1 * rng.uniform() };
  if (kind === 2) {
    const [r1, c1, r2, c2] = [2 + (seed % 3), 3 + (seed % 2), 3, 4];
    const A1 = randomMatrix(rng, r1, c1);
    const A2 = randomMatrix(rng, r2, c2);
    const A = kron2(A1, r1, c1, A2, r2, c2);
    const { y } = sparseProblem(rng, A, r1 * r2, c1 * c2, 2, 0.1);
    return {
      label: "kronecker_ard",
      problem: {
        A: {
          factors: [
            { rows: r1, cols: c1, data: A1 },
            { rows: r2, cols: c2, data: A2 },
          ],
        },
        y,
        noise,
        prior: { kind: "kronecker_ard" },
      },
    };
  }
  const m = 8 + (seed % 7);
  const n = 12 + (seed % 9);
  const A = randomMatrix(rng, m, n);
  const { y } = sparseProblem(rng, A, m, n, 3, 0.1);
  let prior: VbPrior = "ard";
  if (kind === 1) {
    const sizes: number[] = [];
    for (let left = n; left > 0; left -= 3) sizes.push(Math.min(3, left));
    prior = { kind: "block_ard", blockSizes: sizes };
  } else if (kind === 3) {
    prior = { kind: "turbo", transition01: 0.1, transition10: 0.3, warmStart: seed % 3 === 0 ? 0 : 5 };
  }
  return {
    label: typeof prior === "string" ? prior : prior.kind,
    problem: { A: new DenseOperator(A, m, n), y, noise, prior },
  };
}

describe("VB-SBL", () => {
  it("never decreases the ELBO (50 seeds, all priors, learned and known noise)", () => {
    let steps = 0;
    for (let seed = 1; seed <= 50; seed++) {
      const { problem, label } = problemFor(seed);
      const fit = fitVb(problem, { maxIterations: 60, tolerance: 0, overRelaxation: seed % 5 !== 0 });
      for (let t = 1; t < fit.elbo.length; t++) {
        const drop = fit.elbo[t - 1] - fit.elbo[t];
        if (drop > 1e-9 * Math.abs(fit.elbo[t - 1])) {
          throw new Error(`seed ${seed} (${label}): ELBO fell from ${fit.elbo[t - 1]} to ${fit.elbo[t]} at step ${t}`);
        }
        steps++;
      }
      expect(Number.isFinite(fit.elbo.at(-1)!)).toBe(true);
    }
    expect(steps).toBe(50 * 60);
  });

  for (const kind of ["ard", "block_ard", "kronecker_ard"] as const) {
    it(`computes the ELBO exactly (${kind}: Monte Carlo check of E_q[log p − log q])`, () => {
      const rng = createRng(31);
      let problem: VbProblem;
      let A: Float64Array;
      const m = 6;
      const n = 4;
      let groupOf: (i: number) => number[];
      if (kind === "kronecker_ard") {
        const A1 = randomMatrix(rng, 2, 2);
        const A2 = randomMatrix(rng, 3, 2);
        A = kron2(A1, 2, 2, A2, 3, 2);
        problem = {
          A: {
            factors: [
              { rows: 2, cols: 2, data: A1 },
              { rows: 3, cols: 2, data: A2 },
            ],
          },
          y: Float64Array.from({ length: m }, () => rng.normal()),
          prior: { kind: "kronecker_ard" },
        };
        // Coefficient i = 2·i₁ + i₂ has α⁽¹⁾_{i₁}·α⁽²⁾_{i₂}: groups 0–1 are factor 1, 2–3 factor 2.
        groupOf = (i) => [Math.floor(i / 2), 2 + (i % 2)];
      } else {
        A = randomMatrix(rng, m, n);
        problem = {
          A: new DenseOperator(A, m, n),
          y: Float64Array.from({ length: m }, () => rng.normal()),
          prior: kind === "ard" ? "ard" : { kind: "block_ard", blockSizes: [1, 3] },
        };
        groupOf = kind === "ard" ? (i) => [i] : (i) => [i === 0 ? 0 : 1];
      }
      const a = 0.7;
      const b = 0.4;
      const c = 1.5;
      const d = 0.3;
      const kernel = buildVbKernel({ precisionPrior: { shape: a, rate: b }, noisePrior: { shape: c, rate: d } });
      let state = kernel.init({ ...problem, noise: "learn" });
      for (let t = 0; t < 4; t++) state = kernel.step(state).state;
      const groups = state.precisionShape.length;
      // Σ = (⟨β⟩AᵀA + diag⟨α⟩)⁻¹ formed directly, and its Cholesky factor for sampling.
      const alphaBar = Float64Array.from({ length: n }, (_, i) =>
        groupOf(i).reduce((acc, g) => acc * (state.precisionShape[g] / state.precisionRate[g]), 1),
      );
      const beta = state.noisePrecision;
      const prec = Array.from({ length: n }, (_, i) =>
        Array.from({ length: n }, (_, j) => {
          let s = 0;
          for (let r = 0; r < m; r++) s += A[r * n + i] * A[r * n + j];
          return beta * s + (i === j ? alphaBar[i] : 0);
        }),
      );
      const Minv = prec.map((row, i) => [...row, ...row.map((_, j) => (i === j ? 1 : 0))]);
      for (let i = 0; i < n; i++) {
        const p = Minv[i][i];
        for (let j = 0; j < 2 * n; j++) Minv[i][j] /= p;
        for (let k = 0; k < n; k++) {
          if (k === i) continue;
          const f = Minv[k][i];
          for (let j = 0; j < 2 * n; j++) Minv[k][j] -= f * Minv[i][j];
        }
      }
      const Sigma = Minv.map((row) => row.slice(n));
      const L = Sigma.map(() => new Float64Array(n));
      for (let i = 0; i < n; i++) {
        for (let j = 0; j <= i; j++) {
          let s = Sigma[i][j];
          for (let k = 0; k < j; k++) s -= L[i][k] * L[j][k];
          L[i][j] = i === j ? Math.sqrt(s) : s / L[j][j];
        }
      }
      let logDetSigma = 0;
      for (let i = 0; i < n; i++) logDetSigma += 2 * Math.log(L[i][i]);
      for (let i = 0; i < n; i++) expect(state.variance[i]).toBeCloseTo(Sigma[i][i], 10);
      const logGamma = (x: number, k: number, r: number) => k * Math.log(r) - lgamma(k) + (k - 1) * Math.log(x) - r * x;
      const y = problem.y as Float64Array;
      const draws = 40_000;
      const z = new Float64Array(n);
      const x = new Float64Array(n);
      const alpha = new Float64Array(groups);
      let mean = 0;
      let m2 = 0;
      for (let s = 0; s < draws; s++) {
        let value = 0;
        for (let g = 0; g < groups; g++) {
          alpha[g] = sampleGamma(rng, state.precisionShape[g], state.precisionRate[g]);
          value += logGamma(alpha[g], a, b) - logGamma(alpha[g], state.precisionShape[g], state.precisionRate[g]);
        }
        const bt = sampleGamma(rng, state.noiseShape, state.noiseRate);
        value += logGamma(bt, c, d) - logGamma(bt, state.noiseShape, state.noiseRate);
        let quadQ = 0;
        for (let i = 0; i < n; i++) {
          z[i] = rng.normal();
          quadQ += z[i] * z[i];
        }
        for (let i = 0; i < n; i++) {
          let v = state.mean[i];
          for (let k = 0; k <= i; k++) v += L[i][k] * z[k];
          x[i] = v;
        }
        value -= -0.5 * quadQ - 0.5 * logDetSigma - 0.5 * n * LN_TWO_PI;
        for (let i = 0; i < n; i++) {
          const ai = groupOf(i).reduce((acc, g) => acc * alpha[g], 1);
          value += 0.5 * Math.log(ai) - 0.5 * LN_TWO_PI - 0.5 * ai * x[i] * x[i];
        }
        let r2 = 0;
        for (let r = 0; r < m; r++) {
          let fit = 0;
          for (let i = 0; i < n; i++) fit += A[r * n + i] * x[i];
          r2 += (y[r] - fit) ** 2;
        }
        value += 0.5 * m * (Math.log(bt) - LN_TWO_PI) - 0.5 * bt * r2;
        const delta = value - mean;
        mean += delta / (s + 1);
        m2 += delta * (value - mean);
      }
      const se = Math.sqrt(m2 / (draws - 1) / draws);
      // Five Monte Carlo standard errors of the 40 000-draw estimate.
      expect(Math.abs(mean - state.elbo)).toBeLessThan(5 * se);
      kernel.dispose();
    });
  }

  it("the Kronecker solver agrees with the dense solver", () => {
    const rng = createRng(5);
    const A1 = randomMatrix(rng, 3, 4);
    const A2 = randomMatrix(rng, 4, 5);
    const A = kron2(A1, 3, 4, A2, 4, 5);
    const y = Float64Array.from({ length: 12 }, () => rng.normal());
    const a1 = Float64Array.from({ length: 4 }, () => Math.exp(rng.normal()));
    const a2 = Float64Array.from({ length: 5 }, () => Math.exp(rng.normal()));
    const full = new Float64Array(20);
    kronProduct([a1, a2], [4, 5], full);
    const dense = allocateMoments(20);
    const kron = allocateMoments(20);
    denseSolver(A, 12, 20, y).update([full], 3, dense);
    kroneckerSolver([A1, A2], Int32Array.of(3, 4), Int32Array.of(4, 5), y).update([a1, a2], 3, kron);
    for (let i = 0; i < 20; i++) {
      expect(kron.mean[i]).toBeCloseTo(dense.mean[i], 10);
      expect(kron.variance[i]).toBeCloseTo(dense.variance[i], 10);
    }
    expect(kron.logDetCovariance).toBeCloseTo(dense.logDetCovariance, 9);
    expect(kron.traceGramCovariance).toBeCloseTo(dense.traceGramCovariance, 9);
    expect(kron.residual2).toBeCloseTo(dense.residual2, 9);
  });

  it("forward–backward gives the exact chain marginals and log Z", () => {
    const phi0 = Float64Array.of(0.1, -1, 2, 0.5, 0, 1);
    const phi1 = Float64Array.of(1, 0.3, -2, 0.7, 1.5, -0.4);
    const p01 = 0.2;
    const p10 = 0.3;
    for (const chainLength of [6, 3, 1]) {
      const marginal = new Float64Array(6);
      const terms = forwardBackward(phi0, phi1, p01, p10, chainLength, marginal);
      // Brute force over the 2⁶ supports, chains of `chainLength` independent of each other.
      const pi1 = p01 / (p01 + p10);
      const T = [
        [1 - p01, p01],
        [p10, 1 - p10],
      ];
      let Z = 0;
      const exact = new Float64Array(6);
      for (let code = 0; code < 64; code++) {
        const s = Array.from({ length: 6 }, (_, i) => (code >> i) & 1);
        let lp = 0;
        for (let i = 0; i < 6; i++) {
          lp += i % chainLength === 0 ? Math.log(s[i] ? pi1 : 1 - pi1) : Math.log(T[s[i - 1]][s[i]]);
          lp += s[i] ? phi1[i] : phi0[i];
        }
        const w = Math.exp(lp);
        Z += w;
        for (let i = 0; i < 6; i++) if (s[i]) exact[i] += w;
      }
      for (let i = 0; i < 6; i++) expect(marginal[i]).toBeCloseTo(exact[i] / Z, 12);
      // At the optimum, E_q[log p(s)] + H[q(s)] + Σ E_q[φ] = log Z.
      let expectedPhi = 0;
      for (let i = 0; i < 6; i++) expectedPhi += marginal[i] * phi1[i] + (1 - marginal[i]) * phi0[i];
      expect(terms + expectedPhi).toBeCloseTo(Math.log(Z), 12);
    }
  });

  it("recovers a sparse vector (ARD, learned noise)", () => {
    const rng = createRng(8);
    const m = 30;
    const n = 60;
    const A = randomMatrix(rng, m, n);
    const x = new Float64Array(n);
    x[5] = 2;
    x[17] = -1.5;
    x[40] = 1;
    const y = new Float64Array(m);
    for (let i = 0; i < m; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += A[i * n + j] * x[j];
      y[i] = s + 0.01 * rng.normal();
    }
    // With the noise learned from 30 measurements, ARD absorbs some noise into coefficients of
    // ~0.4% of the largest, so the support is read at 1% of max |μ|.
    const fit = fitVb({ A: new DenseOperator(A, m, n), y, prior: "ard" }, { supportThreshold: 0.01 });
    let err = 0;
    for (let j = 0; j < n; j++) err += (fit.mean[j] - x[j]) ** 2;
    expect(10 * Math.log10(err / 7.25)).toBeLessThan(-30);
    expect(Array.from(fit.support)).toEqual([5, 17, 40]);
    expect(fit.converged).toBe(true);
  });

  it("prunes like EM when asked, with the ELBO monotone between prunes", () => {
    const rng = createRng(8);
    const m = 30;
    const n = 60;
    const A = randomMatrix(rng, m, n);
    const x = new Float64Array(n);
    x[5] = 2;
    x[17] = -1.5;
    x[40] = 1;
    const y = new Float64Array(m);
    for (let i = 0; i < m; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += A[i * n + j] * x[j];
      y[i] = s + 0.01 * rng.normal();
    }
    const kept: number[] = [];
    const fit = fitVb(
      { A: new DenseOperator(A, m, n), y, noise: { variance: 1e-4 }, prior: "ard" },
      {
        pruneThreshold: 1e-3,
        onStep: (state) => {
          kept.push(state.keep!.reduce((a, b) => a + b, 0));
          return undefined;
        },
      },
    );
    expect(kept.at(-1)).toBeLessThan(n);
    for (let t = 1; t < kept.length; t++) {
      // A step that prunes nothing is exact coordinate ascent on the same model.
      if (kept[t] === kept[t - 1])
        expect(fit.elbo[t + 1]).toBeGreaterThanOrEqual(fit.elbo[t] - 1e-9 * Math.abs(fit.elbo[t]));
    }
    let err = 0;
    for (let j = 0; j < n; j++) err += (fit.mean[j] - x[j]) ** 2;
    expect(10 * Math.log10(err / 7.25)).toBeLessThan(-30);
    expect(Array.from(fit.support)).toEqual([5, 17, 40]);
    expect(() =>
      fitVb({ A: new DenseOperator(A, m, n), y, prior: { kind: "turbo" } }, { pruneThreshold: 1e-3 }),
    ).toThrow(CapabilityError);
    expect(() => fitVb({ A: new DenseOperator(A, m, n), y }, { pruneThreshold: 2 })).toThrow(/pruneThreshold/);
  });

  it("the turbo prior finds a block-sparse support that ARD blurs", () => {
    const rng = createRng(4);
    const m = 40;
    const n = 100;
    const A = randomMatrix(rng, m, n);
    const x = new Float64Array(n);
    for (const start of [10, 50, 80]) for (let k = 0; k < 5; k++) x[start + k] = rng.normal();
    const y = new Float64Array(m);
    let power = 0;
    for (let i = 0; i < m; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += A[i * n + j] * x[j];
      y[i] = s;
      power += (s * s) / m;
    }
    const noiseVariance = power / 100; // 20 dB
    for (let i = 0; i < m; i++) y[i] += Math.sqrt(noiseVariance) * rng.normal();
    const problem = { A: new DenseOperator(A, m, n), y, noise: { variance: noiseVariance } };
    const nmse = (mu: Float64Array) => {
      let e = 0;
      let t = 0;
      for (let j = 0; j < n; j++) {
        e += (mu[j] - x[j]) ** 2;
        t += x[j] ** 2;
      }
      return 10 * Math.log10(e / t);
    };
    const turbo = fitVb({ ...problem, prior: { kind: "turbo", transition01: 0.02, transition10: 0.2 } });
    const ard = fitVb({ ...problem, prior: "ard" });
    expect(nmse(turbo.mean)).toBeLessThan(nmse(ard.mean) - 2);
    const truth = [10, 11, 12, 13, 14, 50, 51, 52, 53, 54, 80, 81, 82, 83, 84];
    expect(Array.from(turbo.support)).toEqual(truth);
    expect(turbo.supportProbability?.length).toBe(n);
  });

  it("refuses what it cannot do, with a way out", () => {
    const A = new DenseOperator(Float64Array.of(1, 0, 0, 1), 2, 2);
    const y = Float64Array.of(1, 2);
    expect(() => fitVb({ A, y, prior: { kind: "pc_sbl", beta: 1 } })).toThrow(CapabilityError);
    expect(() => fitVb({ A, y, prior: { kind: "pc_sbl", beta: 1 } })).toThrow(/pc_sbl.*Hint: use the turbo prior/);
    expect(() => fitVb({ A, y, prior: { kind: "block_ard", blockSizes: [2], intraCorrelation: true } })).toThrow(
      CapabilityError,
    );
    const factors = [
      { rows: 1, cols: 2, data: Float64Array.of(1, 2) },
      { rows: 2, cols: 1, data: Float64Array.of(1, 3) },
    ];
    expect(() => fitVb({ A: { factors }, y, prior: { kind: "kronecker_ard", coupling: [0.5, 0] } })).toThrow(
      /coupling/,
    );
    expect(() =>
      fitVb({
        A: { factors: [{ rows: 1, cols: 1, data: Float64Array.of(1, 0) }], complex: true },
        y: Float64Array.of(1, 0),
      }),
    ).toThrow(/complex-valued/);
    expect(() => fitVb({ A, y, prior: { kind: "turbo", transition01: 1.5 } })).toThrow(DomainError);
    expect(() => fitVb({ A, y: Float64Array.of(1, 2, 3) })).toThrow(/^vb-sbl:/);
  });
});
