import { describe, expect, it } from "vitest";
import { buildKernel, fitSbl } from "../../../src/inference/em/index.js";
import type { SblMatrix } from "../../../src/inference/em/index.js";
import {
  denseConditioning,
  denseOp,
  diag,
  gradLogGamma,
  kron,
  normals,
  randomMatrix,
  toMatrix,
} from "./dense_reference.js";

function factorsOf(dims: [number, number][], draw: () => number): SblMatrix[] {
  return dims.map(([rows, cols]) => ({ rows, cols, data: randomMatrix(rows, cols, draw) }));
}

/** A random orthogonal n × n matrix (Gram–Schmidt of a Gaussian matrix). */
function orthogonal(n: number, draw: () => number): SblMatrix {
  const Q = randomMatrix(n, n, draw);
  for (let j = 0; j < n; j++) {
    for (let k = 0; k < j; k++) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += Q[i * n + j] * Q[i * n + k];
      for (let i = 0; i < n; i++) Q[i * n + j] -= dot * Q[i * n + k];
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += Q[i * n + j] ** 2;
    for (let i = 0; i < n; i++) Q[i * n + j] /= Math.sqrt(norm);
  }
  return { rows: n, cols: n, data: Q };
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

describe("KroSBL", () => {
  const draw = normals(21);
  const factors = factorsOf(
    [
      [3, 4],
      [4, 5],
      [2, 3],
    ],
    draw,
  );
  const A = kron(factors);
  const m = 24;
  const n = 60;
  const y = Float64Array.from({ length: m }, draw);

  for (const algorithm of ["krosbl_am", "krosbl_svd"] as const) {
    it(`${algorithm}: the Kronecker E-step equals dense Gaussian conditioning`, () => {
      const kernel = buildKernel({ algorithm, pruneThreshold: 0 });
      let state = kernel.init({ A: { factors }, y, noise: "learn" });
      for (let t = 0; t < 3; t++) state = kernel.step(state).state;
      const ref = denseConditioning(toMatrix(A, m, n), Array.from(y), diag(state.gamma), state.noiseVariance);
      expect(maxAbsDiff(state.mean, ref.mean)).toBeLessThan(1e-12);
      expect(maxAbsDiff(state.varianceDiag, ref.cov.diag())).toBeLessThan(1e-12);
      expect(Math.abs(state.logEvidence - ref.logEvidence)).toBeLessThan(1e-10);
      const S = kernel.covariance(state);
      let err = 0;
      for (let a = 0; a < n; a++)
        for (let b = 0; b < n; b++) err = Math.max(err, Math.abs(S[a * n + b] - ref.cov.get(a, b)));
      expect(err).toBeLessThan(1e-12);
    });
  }

  it("KroSBL-AM's fixed point is stationary for the evidence restricted to Kronecker-structured γ", () => {
    const fit = fitSbl(
      { A: { factors }, y, noise: { variance: 0.05 } },
      { algorithm: "krosbl_am", pruneThreshold: 1e-2, tolerance: 1e-13, innerTolerance: 1e-14, maxIterations: 5000 },
    );
    expect(fit.converged).toBe(true);
    const grad = gradLogGamma(toMatrix(A, m, n), Array.from(y), fit.gamma, fit.noiseVariance);
    // ∂L/∂log g_d[j] = Σ over the slice i_d = j of ∂L/∂log γ_i.
    const dims = [4, 5, 3];
    const gs = fit.extra.factorGammas!;
    for (let d = 0; d < 3; d++) {
      const slice = new Float64Array(dims[d]);
      for (let i = 0; i < n; i++) {
        const digits = [Math.floor(i / 15), Math.floor(i / 3) % 5, i % 3];
        slice[digits[d]] += grad[i];
      }
      for (let j = 0; j < dims[d]; j++) if (gs[d][j] > 0) expect(Math.abs(slice[j])).toBeLessThan(1e-8);
    }
  });

  it("KroSBL-AM, KroSBL-SVD and classic EM reach the same optimum when it is Kronecker-structured", () => {
    // Orthogonal factors decouple the evidence: the classic optimum is γ_i = (Aᵀy)_i² − σ². Choosing
    // (Aᵀy)_i² = σ² + (a ⊗ b ⊗ c)_i makes that optimum Kronecker-structured.
    const d2 = normals(5);
    const Q = [orthogonal(3, d2), orthogonal(4, d2), orthogonal(2, d2)];
    const a = [1, 0.5, 2];
    const b = [0.3, 1, 1.5, 0.7];
    const c = [1, 0.2];
    const sigma2 = 0.1;
    const Qd = kron(Q);
    const N = 24;
    const w = new Float64Array(N);
    for (let i = 0; i < N; i++) {
      const g = a[Math.floor(i / 8)] * b[Math.floor(i / 2) % 4] * c[i % 2];
      w[i] = (i % 3 === 0 ? -1 : 1) * Math.sqrt(sigma2 + g);
    }
    const yy = new Float64Array(N);
    for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) yy[i] += Qd[i * N + j] * w[j];
    const opts = { tolerance: 1e-14, pruneThreshold: 0, maxIterations: 20000, innerTolerance: 1e-15 };
    const classic = fitSbl({ A: denseOp(Qd, N, N), y: yy, noise: { variance: sigma2 } }, { algorithm: "em", ...opts });
    const am = fitSbl({ A: { factors: Q }, y: yy, noise: { variance: sigma2 } }, { algorithm: "krosbl_am", ...opts });
    const svd = fitSbl({ A: { factors: Q }, y: yy, noise: { variance: sigma2 } }, { algorithm: "krosbl_svd", ...opts });
    const truth = Float64Array.from(w, (v) => v * v - sigma2);
    for (const fit of [classic, am, svd]) {
      expect(maxAbsDiff(fit.gamma, truth)).toBeLessThan(1e-8);
      expect(Math.abs(fit.logEvidence.at(-1)! - classic.logEvidence.at(-1)!)).toBeLessThan(1e-9);
    }
  });

  it("with one factor KroSBL is classic EM-SBL, step for step", () => {
    const F = factorsOf([[6, 9]], normals(8));
    const yy = Float64Array.from({ length: 6 }, normals(9));
    const opts = { tolerance: 0, maxIterations: 25, pruneThreshold: 1e-3, initialGamma: 1 };
    const classic = fitSbl({ A: denseOp(F[0].data, 6, 9), y: yy, noise: "learn" }, { algorithm: "em", ...opts });
    for (const algorithm of ["krosbl_am", "krosbl_svd"] as const) {
      const k = fitSbl({ A: { factors: F }, y: yy, noise: "learn" }, { algorithm, ...opts });
      expect(maxAbsDiff(k.logEvidence, classic.logEvidence)).toBeLessThan(1e-9);
      expect(maxAbsDiff(k.gamma, classic.gamma)).toBeLessThan(1e-9);
    }
  });

  it("runs where the n × n covariance could never be formed (n = 262144)", () => {
    const d3 = normals(31);
    const big = factorsOf(
      [
        [8, 64],
        [8, 64],
        [8, 64],
      ],
      d3,
    );
    const x1 = new Float64Array(64);
    x1[3] = 1;
    x1[40] = -2;
    // y = (A1 x1) ⊗ (A2 x1) ⊗ (A3 x1) + noise, built factor-wise.
    const parts = big.map((F) => {
      const v = new Float64Array(8);
      for (let i = 0; i < 8; i++) for (let j = 0; j < 64; j++) v[i] += F.data[i * 64 + j] * x1[j];
      return v;
    });
    const yy = new Float64Array(512);
    for (let i = 0; i < 512; i++) yy[i] = parts[0][i >> 6] * parts[1][(i >> 3) & 7] * parts[2][i & 7] + 0.01 * d3();
    const fit = fitSbl(
      { A: { factors: big }, y: yy, noise: { variance: 1e-4 } },
      { algorithm: "krosbl_svd", maxIterations: 30 },
    );
    expect(fit.mean.length).toBe(64 ** 3);
    expect(Number.isFinite(fit.logEvidence.at(-1)!)).toBe(true);
    expect(fit.mean.every(Number.isFinite)).toBe(true);
    // The 8 true entries lie on the grid {3, 40}³ and dominate the estimate.
    const idx = (i: number, j: number, k: number) => (i * 64 + j) * 64 + k;
    expect(Math.abs(fit.mean[idx(40, 40, 40)])).toBeGreaterThan(4);
  });

  it("the coupled (block-sparse) extension reduces to plain AM with zero coupling and keeps runs together", () => {
    const d4 = normals(41);
    const F = factorsOf(
      [
        [8, 16],
        [8, 16],
      ],
      d4,
    );
    // Support: a run of 3 in each factor, values of mixed magnitudes.
    const x1 = new Float64Array(16);
    x1.set([1, 0.15, 1.2], 5);
    const x2 = new Float64Array(16);
    x2.set([0.8, 1, 0.1], 9);
    const AA = kron(F);
    const x = new Float64Array(256);
    for (let i = 0; i < 16; i++) for (let j = 0; j < 16; j++) x[i * 16 + j] = x1[i] * x2[j];
    const yy = new Float64Array(64);
    for (let i = 0; i < 64; i++) {
      for (let j = 0; j < 256; j++) yy[i] += AA[i * 256 + j] * x[j];
      yy[i] += 0.05 * d4();
    }
    const base = { tolerance: 1e-8, maxIterations: 300 };
    const plain = fitSbl(
      { A: { factors: F }, y: yy, noise: { variance: 0.0025 } },
      { algorithm: "krosbl_am", ...base },
    );
    const zero = fitSbl(
      { A: { factors: F }, y: yy, noise: { variance: 0.0025 }, prior: { kind: "kronecker_ard", coupling: [0, 0] } },
      { algorithm: "krosbl_am", ...base },
    );
    expect(maxAbsDiff(plain.gamma, zero.gamma)).toBe(0);
    const coupled = fitSbl(
      { A: { factors: F }, y: yy, noise: { variance: 0.0025 }, prior: { kind: "kronecker_ard", coupling: [0.5, 0.5] } },
      { algorithm: "krosbl_am", ...base },
    );
    const g = coupled.extra.factorGammas!;
    // The weak middle entries of each run survive because their neighbours are strong.
    expect(g[0][6]).toBeGreaterThan(0);
    expect(g[1][11]).toBeGreaterThan(0);
    let err = 0;
    let norm = 0;
    for (let i = 0; i < 256; i++) {
      err += (coupled.mean[i] - x[i]) ** 2;
      norm += x[i] ** 2;
    }
    expect(err / norm).toBeLessThan(0.05);
  });
});
