import { Matrix } from "ml-matrix";
import { describe, expect, it } from "vitest";
import { buildKernel, fitSbl } from "../../../src/inference/em/index.js";
import { denseConditioning, denseOp, diag, gradLogGamma, normals, randomMatrix, toMatrix } from "./dense_reference.js";

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

/** A block-sparse problem: blocks of 4, blocks 1 and 4 active (n = 24, m = 14). */
function blockProblem(seed: number) {
  const draw = normals(seed);
  const m = 14;
  const n = 24;
  const A = randomMatrix(m, n, draw);
  const x = new Float64Array(n);
  x.set([1, 1.2, 0.9, 1.1], 4);
  x.set([-1, -0.8, -1.1, -0.9], 16);
  const y = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) y[i] += A[i * n + j] * x[j];
    y[i] += 0.05 * draw();
  }
  return { A, x, y, m, n, op: denseOp(A, m, n) };
}

describe("block SBL (BSBL-EM)", () => {
  it("with blocks of size 1 it is classic EM-SBL, step for step", () => {
    const { y, op, n } = blockProblem(1);
    const opts = { tolerance: 0, maxIterations: 30, initialGamma: 1 };
    const classic = fitSbl({ A: op, y, noise: "learn" }, { algorithm: "em", ...opts });
    const blocks = fitSbl(
      { A: op, y, noise: "learn", prior: { kind: "block_ard", blockSizes: new Array(n).fill(1) } },
      { algorithm: "bsbl", ...opts },
    );
    expect(maxAbsDiff(blocks.logEvidence, classic.logEvidence)).toBeLessThan(1e-9);
    expect(maxAbsDiff(blocks.gamma, classic.gamma)).toBeLessThan(1e-9);
  });

  for (const form of ["primal", "dual"] as const) {
    it(`${form} E-step with intra-block correlation equals dense conditioning`, () => {
      const { A, y, m, n, op } = blockProblem(2);
      const kernel = buildKernel({ algorithm: "bsbl", form, pruneThreshold: 0 });
      const prior = { kind: "block_ard" as const, blockSizes: [4, 4, 4, 4, 4, 4], intraCorrelation: true };
      let state = kernel.init({ A: op, y, noise: "learn", prior });
      for (let t = 0; t < 3; t++) state = kernel.step(state).state;
      const r = state.extra.correlation!;
      expect(Math.abs(r)).toBeGreaterThan(0.1);
      // Prior covariance blockdiag(γ_b B), B_ij = r^|i−j|.
      const S0 = Matrix.zeros(n, n);
      const g = state.extra.blockGammas!;
      for (let b = 0; b < 6; b++)
        for (let i = 0; i < 4; i++)
          for (let j = 0; j < 4; j++) S0.set(4 * b + i, 4 * b + j, g[b] * r ** Math.abs(i - j));
      const ref = denseConditioning(toMatrix(A, m, n), Array.from(y), S0, state.noiseVariance);
      expect(maxAbsDiff(state.mean, ref.mean)).toBeLessThan(1e-11);
      expect(maxAbsDiff(state.varianceDiag, ref.cov.diag())).toBeLessThan(1e-11);
      expect(Math.abs(state.logEvidence - ref.logEvidence)).toBeLessThan(1e-10);
      const S = kernel.covariance(state);
      const k = state.active.length;
      let err = 0;
      for (let a = 0; a < k; a++)
        for (let b = 0; b < k; b++)
          err = Math.max(err, Math.abs(S[a * k + b] - ref.cov.get(state.active[a], state.active[b])));
      expect(err).toBeLessThan(1e-11);
    });
  }

  it("without correlation, EM is monotone and its fixed point is stationary in log γ_b", () => {
    const { A, y, m, n, op } = blockProblem(3);
    const prior = { kind: "block_ard" as const, blockSizes: [4, 4, 4, 4, 4, 4] };
    const mono = fitSbl(
      { A: op, y, noise: "learn", prior },
      { algorithm: "bsbl", pruneThreshold: 0, tolerance: 0, maxIterations: 200 },
    );
    for (let t = 1; t < mono.logEvidence.length; t++) {
      expect(mono.logEvidence[t]).toBeGreaterThanOrEqual(
        mono.logEvidence[t - 1] - 1e-12 * Math.abs(mono.logEvidence[t - 1]),
      );
    }
    const fit = fitSbl(
      { A: op, y, noise: { variance: 0.0025 }, prior },
      { algorithm: "bsbl", pruneThreshold: 1e-3, tolerance: 1e-13, maxIterations: 20000 },
    );
    expect(fit.converged).toBe(true);
    expect(Array.from(fit.support)).toEqual([4, 5, 6, 7, 16, 17, 18, 19]);
    const grad = gradLogGamma(toMatrix(A, m, n), Array.from(y), fit.gamma, fit.noiseVariance);
    for (let b = 0; b < 6; b++) {
      let s = 0;
      for (let i = 0; i < 4; i++) s += grad[4 * b + i];
      if (fit.gamma[4 * b] > 0) expect(Math.abs(s)).toBeLessThan(1e-8);
    }
  });
});

describe("pattern-coupled SBL (PC-SBL)", () => {
  it("E-step equals dense conditioning at γ_i = 1/(α_i + β α_{i−1} + β α_{i+1})", () => {
    const { A, y, m, n, op } = blockProblem(4);
    const kernel = buildKernel({ algorithm: "pc_sbl", pruneThreshold: 0 });
    let state = kernel.init({ A: op, y, noise: "learn", prior: { kind: "pc_sbl", beta: 1 } });
    for (let t = 0; t < 3; t++) state = kernel.step(state).state;
    const alpha = state.extra.alpha!;
    const gamma = Float64Array.from(
      { length: n },
      (_, i) => 1 / (alpha[i] + (i > 0 ? alpha[i - 1] : 0) + (i + 1 < n ? alpha[i + 1] : 0)),
    );
    expect(maxAbsDiff(state.gamma, gamma)).toBeLessThan(1e-12 * Math.max(...gamma));
    const ref = denseConditioning(toMatrix(A, m, n), Array.from(y), diag(state.gamma), state.noiseVariance);
    expect(maxAbsDiff(state.mean, ref.mean)).toBeLessThan(1e-11);
    expect(Math.abs(state.logEvidence - ref.logEvidence)).toBeLessThan(1e-10);
  });

  it("with β = 0 it is EM-SBL up to the hyper-prior constant b", () => {
    const { y, op } = blockProblem(5);
    const opts = { tolerance: 0, maxIterations: 20, initialGamma: 1, pruneThreshold: 1e-3 };
    const classic = fitSbl({ A: op, y, noise: "learn" }, { algorithm: "em", ...opts });
    const pc = fitSbl({ A: op, y, noise: "learn", prior: { kind: "pc_sbl", beta: 0, b: 1e-300 } }, opts);
    expect(maxAbsDiff(pc.gamma, classic.gamma)).toBeLessThan(1e-10);
  });

  it("recovers clustered non-zeros of unknown block layout better than ARD", () => {
    // n = 100, m = 40, three runs of 6 non-zeros at unknown places (the setting PC-SBL is for).
    const draw = normals(2);
    const m = 40;
    const n = 100;
    const A = randomMatrix(m, n, draw);
    const x = new Float64Array(n);
    for (const s of [10, 45, 80]) for (let t = 0; t < 6; t++) x[s + t] = draw();
    const y = new Float64Array(m);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) y[i] += A[i * n + j] * x[j];
      y[i] += 0.05 * draw();
    }
    const nmse = (est: Float64Array) => {
      let e = 0;
      let q = 0;
      for (let i = 0; i < n; i++) {
        e += (est[i] - x[i]) ** 2;
        q += x[i] ** 2;
      }
      return e / q;
    };
    const pc = fitSbl(
      { A: denseOp(A, m, n), y, noise: "learn", prior: { kind: "pc_sbl", beta: 1 } },
      { maxIterations: 300 },
    );
    const ard = fitSbl({ A: denseOp(A, m, n), y, noise: "learn" }, { algorithm: "em" });
    expect(nmse(pc.mean)).toBeLessThan(1e-3);
    expect(nmse(pc.mean)).toBeLessThan(nmse(ard.mean) / 10);
  });
});
