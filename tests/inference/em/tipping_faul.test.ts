import { CholeskyDecomposition, Matrix } from "ml-matrix";
import { describe, expect, it } from "vitest";
import { buildKernel, fitSbl } from "../../../src/inference/em/index.js";
import type { SblMatrix } from "../../../src/inference/em/index.js";
import {
  denseConditioning,
  denseOp,
  diag,
  kron,
  normals,
  randomMatrix,
  symmetric,
  toMatrix,
} from "./dense_reference.js";

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

function sparseProblem(seed: number, m: number, n: number, noise: number) {
  const draw = normals(seed);
  const A = randomMatrix(m, n, draw);
  const x = new Float64Array(n);
  x[1] = 1.5;
  x[Math.floor(n / 2)] = -2;
  x[n - 3] = 1;
  const y = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) y[i] += A[i * n + j] * x[j];
    y[i] += noise * draw();
  }
  return { A, y, x };
}

/** The best gain of any single add / delete / re-estimate action, from the dense marginal covariance. */
function bestGain(A: Matrix, y: number[], gamma: ArrayLike<number>, sigma2: number): number {
  const m = A.rows;
  const C = symmetric(A.mmul(diag(gamma)).mmul(A.transpose()).add(Matrix.eye(m).mul(sigma2)));
  const chol = new CholeskyDecomposition(C);
  const CiY = chol.solve(Matrix.columnVector(y));
  const CiA = chol.solve(A);
  let best = 0;
  for (let j = 0; j < A.columns; j++) {
    let S = 0;
    let Q = 0;
    for (let r = 0; r < m; r++) {
      S += A.get(r, j) * CiA.get(r, j);
      Q += A.get(r, j) * CiY.get(r, 0);
    }
    // s, q exclude basis j itself: C₋ⱼ = C − γ_j a_j a_jᵀ.
    const g = gamma[j];
    const s = S / (1 - g * S);
    const q = Q / (1 - g * S);
    // ℓ(α) = ½ [log α − log(α + s) + q²/(α + s)], maximised at α* = s²/(q² − s) (or ∞).
    const ell = (alpha: number) =>
      Number.isFinite(alpha) ? 0.5 * (Math.log(alpha / (alpha + s)) + (q * q) / (alpha + s)) : 0;
    const current = g > 0 ? ell(1 / g) : 0;
    const target = q * q > s ? ell((s * s) / (q * q - s)) : 0;
    best = Math.max(best, target - current);
  }
  return best;
}

describe("Tipping–Faul fast marginal likelihood", () => {
  it("reports the exact evidence and posterior, raises the evidence at every step, and ends where no action gains", () => {
    const m = 20;
    const n = 40;
    const { A, y } = sparseProblem(4, m, n, 0.1);
    const kernel = buildKernel({ algorithm: "tipping_faul" });
    let state = kernel.init({ A: denseOp(A, m, n), y, noise: { variance: 0.01 } });
    const Am = toMatrix(A, m, n);
    let prev = state.logEvidence;
    let steps = 0;
    while (!state.done && steps < 500) {
      state = kernel.step(state).state;
      steps++;
      expect(state.logEvidence).toBeGreaterThanOrEqual(prev - 1e-10);
      prev = state.logEvidence;
      if (steps % 5 === 0 || state.done) {
        const ref = denseConditioning(Am, Array.from(y), diag(state.gamma), state.noiseVariance);
        expect(Math.abs(state.logEvidence - ref.logEvidence)).toBeLessThan(1e-9);
        expect(maxAbsDiff(state.mean, ref.mean)).toBeLessThan(1e-9);
        expect(maxAbsDiff(state.varianceDiag, ref.cov.diag())).toBeLessThan(1e-9);
      }
    }
    expect(state.done).toBe(true);
    // Termination: the best remaining action is a re-estimate moving log α by < 1e-3, whose gain is O(1e-6).
    expect(bestGain(Am, Array.from(y), state.gamma, state.noiseVariance)).toBeLessThan(1e-4);
  });

  it("a Kronecker dictionary (never formed) gives the same trajectory as its dense product", () => {
    const draw = normals(9);
    const F: SblMatrix[] = [
      { rows: 4, cols: 6, data: randomMatrix(4, 6, draw) },
      { rows: 5, cols: 7, data: randomMatrix(5, 7, draw) },
    ];
    const A = kron(F);
    const x = new Float64Array(42);
    x[8] = 1;
    x[30] = -1.2;
    const y = new Float64Array(20);
    for (let i = 0; i < 20; i++) {
      for (let j = 0; j < 42; j++) y[i] += A[i * 42 + j] * x[j];
      y[i] += 0.05 * draw();
    }
    const dense = fitSbl({ A: denseOp(A, 20, 42), y, noise: { variance: 0.0025 } }, { algorithm: "tipping_faul" });
    const kr = fitSbl({ A: { factors: F }, y, noise: { variance: 0.0025 } }, { algorithm: "tipping_faul" });
    expect(kr.iterations).toBe(dense.iterations);
    expect(maxAbsDiff(kr.logEvidence, dense.logEvidence)).toBeLessThan(1e-8);
    expect(Array.from(kr.support)).toEqual(Array.from(dense.support));
  });

  it("learns the noise variance and puts its largest hyper-parameters on the true support", () => {
    const { y, A } = sparseProblem(12, 60, 40, 0.1);
    const fit = fitSbl({ A: denseOp(A, 60, 40), y, noise: "learn" }, { algorithm: "tipping_faul" });
    expect(fit.converged).toBe(true);
    const top = Array.from(fit.gamma.keys())
      .sort((a, b) => fit.gamma[b] - fit.gamma[a])
      .slice(0, 3)
      .sort((a, b) => a - b);
    expect(top).toEqual([1, 20, 37]);
    // σ̂² has relative sd ≈ √(2/(m − k)) ≈ 0.19 around 0.01; 3.5 sd ≈ ±0.65.
    expect(fit.noiseVariance).toBeGreaterThan(0.0035);
    expect(fit.noiseVariance).toBeLessThan(0.0165);
  });
});
