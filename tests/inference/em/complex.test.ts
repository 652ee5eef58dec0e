import { describe, expect, it } from "vitest";
import { buildKernel, fitSbl, hermitianEigen } from "../../../src/inference/em/index.js";
import type { SblMatrix } from "../../../src/inference/em/index.js";
import { complexConditioning, complexDenseOp, denseOp, kron, normals, randomMatrix } from "./dense_reference.js";

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

/** Interleaved complex Kronecker product of interleaved factors. */
function complexKron(factors: SblMatrix[]): Float64Array {
  let data = Float64Array.from(factors[0].data);
  let r = factors[0].rows;
  let c = factors[0].cols;
  for (let d = 1; d < factors.length; d++) {
    const B = factors[d];
    const out = new Float64Array(2 * r * B.rows * c * B.cols);
    const ldo = c * B.cols;
    for (let i = 0; i < r; i++)
      for (let j = 0; j < c; j++)
        for (let p = 0; p < B.rows; p++)
          for (let q = 0; q < B.cols; q++) {
            const ar = data[2 * (i * c + j)];
            const ai = data[2 * (i * c + j) + 1];
            const br = B.data[2 * (p * B.cols + q)];
            const bi = B.data[2 * (p * B.cols + q) + 1];
            const o = 2 * ((i * B.rows + p) * ldo + j * B.cols + q);
            out[o] = ar * br - ai * bi;
            out[o + 1] = ar * bi + ai * br;
          }
    data = out;
    r *= B.rows;
    c *= B.cols;
  }
  return data;
}

/** Real data as complex interleaved with zero imaginary parts. */
const asComplex = (v: Float64Array) => {
  const out = new Float64Array(2 * v.length);
  for (let i = 0; i < v.length; i++) out[2 * i] = v[i];
  return out;
};

describe("hermitianEigen", () => {
  it("diagonalises random Hermitian matrices, including repeated eigenvalues", () => {
    const draw = normals(3);
    for (const spectrum of [
      [0.3, -1, 2, 5, 0.7, 1.1, 4],
      [1, 1, 2, 2, 2, 5, 0],
    ]) {
      const N = spectrum.length;
      // A = Q diag(λ) Qᴴ with Q unitary from Gram–Schmidt of a complex Gaussian matrix.
      const Q = randomMatrix(N, 2 * N, draw);
      for (let j = 0; j < N; j++) {
        for (let k = 0; k < j; k++) {
          let dr = 0;
          let di = 0;
          for (let i = 0; i < N; i++) {
            const [ar, ai] = [Q[2 * (i * N + k)], Q[2 * (i * N + k) + 1]];
            const [br, bi] = [Q[2 * (i * N + j)], Q[2 * (i * N + j) + 1]];
            dr += ar * br + ai * bi;
            di += ar * bi - ai * br;
          }
          for (let i = 0; i < N; i++) {
            const [ar, ai] = [Q[2 * (i * N + k)], Q[2 * (i * N + k) + 1]];
            Q[2 * (i * N + j)] -= dr * ar - di * ai;
            Q[2 * (i * N + j) + 1] -= dr * ai + di * ar;
          }
        }
        let norm = 0;
        for (let i = 0; i < N; i++) norm += Q[2 * (i * N + j)] ** 2 + Q[2 * (i * N + j) + 1] ** 2;
        for (let i = 0; i < N; i++) {
          Q[2 * (i * N + j)] /= Math.sqrt(norm);
          Q[2 * (i * N + j) + 1] /= Math.sqrt(norm);
        }
      }
      const A = new Float64Array(2 * N * N);
      for (let i = 0; i < N; i++)
        for (let k = 0; k < N; k++)
          for (let j = 0; j < N; j++) {
            const [ar, ai] = [Q[2 * (i * N + j)], Q[2 * (i * N + j) + 1]];
            const [br, bi] = [Q[2 * (k * N + j)], -Q[2 * (k * N + j) + 1]];
            A[2 * (i * N + k)] += spectrum[j] * (ar * br - ai * bi);
            A[2 * (i * N + k) + 1] += spectrum[j] * (ar * bi + ai * br);
          }
      const w = new Float64Array(N);
      const U = new Float64Array(2 * N * N);
      hermitianEigen(N, Float64Array.from(A), w, U);
      expect(
        maxAbsDiff(
          w,
          [...spectrum].sort((a, b) => a - b),
        ),
      ).toBeLessThan(1e-12);
      let rec = 0;
      let orth = 0;
      for (let i = 0; i < N; i++)
        for (let k = 0; k < N; k++) {
          let re = 0;
          let im = 0;
          let ore = 0;
          let oim = 0;
          for (let j = 0; j < N; j++) {
            const [ar, ai] = [U[2 * (i * N + j)], U[2 * (i * N + j) + 1]];
            const [br, bi] = [U[2 * (k * N + j)], -U[2 * (k * N + j) + 1]];
            re += w[j] * (ar * br - ai * bi);
            im += w[j] * (ar * bi + ai * br);
            // (UᴴU)_ik = Σ_j conj(U_ji) U_jk
            const [cr, ci] = [U[2 * (j * N + i)], -U[2 * (j * N + i) + 1]];
            const [dr, di] = [U[2 * (j * N + k)], U[2 * (j * N + k) + 1]];
            ore += cr * dr - ci * di;
            oim += cr * di + ci * dr;
          }
          rec = Math.max(rec, Math.abs(re - A[2 * (i * N + k)]), Math.abs(im - A[2 * (i * N + k) + 1]));
          orth = Math.max(orth, Math.abs(ore - (i === k ? 1 : 0)), Math.abs(oim));
        }
      expect(rec).toBeLessThan(1e-12);
      expect(orth).toBeLessThan(1e-12);
    }
  });
});

describe("complex SBL", () => {
  const draw = normals(17);
  const m = 7;
  const n = 11;
  const Ac = randomMatrix(m, 2 * n, draw);
  const yc = randomMatrix(1, 2 * m, draw);

  it("classic complex E-step equals circular complex Gaussian conditioning", () => {
    for (const form of ["primal", "dual"] as const) {
      const kernel = buildKernel({ algorithm: "em", form, pruneThreshold: 0 });
      let state = kernel.init({ A: complexDenseOp(Ac, m, n), y: yc, noise: "learn" });
      state = kernel.step(kernel.step(state).state).state;
      const ref = complexConditioning(Ac, m, n, yc, state.gamma, state.noiseVariance);
      expect(maxAbsDiff(state.mean, ref.mean)).toBeLessThan(1e-11);
      expect(maxAbsDiff(state.varianceDiag, ref.variance)).toBeLessThan(1e-11);
      expect(Math.abs(state.logEvidence - ref.logEvidence)).toBeLessThan(1e-10);
      // The diagonal of the full (Hermitian) covariance is the variance vector.
      const S = kernel.covariance(state);
      const k = state.active.length;
      for (let a = 0; a < k; a++) {
        expect(S[2 * (a * k + a)]).toBeCloseTo(state.varianceDiag[state.active[a]], 11);
        expect(Math.abs(S[2 * (a * k + a) + 1])).toBeLessThan(1e-12);
      }
    }
  });

  it("complex KroSBL E-step equals circular complex Gaussian conditioning", () => {
    const d2 = normals(23);
    const F: SblMatrix[] = [
      { rows: 2, cols: 3, data: randomMatrix(2, 6, d2) },
      { rows: 3, cols: 4, data: randomMatrix(3, 8, d2) },
    ];
    const Ak = complexKron(F);
    const yk = randomMatrix(1, 12, d2);
    for (const algorithm of ["krosbl_am", "krosbl_svd"] as const) {
      const kernel = buildKernel({ algorithm, pruneThreshold: 0 });
      let state = kernel.init({ A: { factors: F, complex: true }, y: yk, noise: "learn" });
      for (let t = 0; t < 3; t++) state = kernel.step(state).state;
      const ref = complexConditioning(Ak, 6, 12, yk, state.gamma, state.noiseVariance);
      expect(maxAbsDiff(state.mean, ref.mean)).toBeLessThan(1e-11);
      expect(maxAbsDiff(state.varianceDiag, ref.variance)).toBeLessThan(1e-11);
      expect(Math.abs(state.logEvidence - ref.logEvidence)).toBeLessThan(1e-10);
    }
  });

  it("complex and real code paths agree on real data", () => {
    // On real data the complex E- and M-steps are the real ones, and log CN(y|0,C) = 2 log N(y|0,C) + m log 2.
    const d3 = normals(29);
    const A = randomMatrix(m, n, d3);
    const y = Float64Array.from({ length: m }, d3);
    const opts = { tolerance: 0, maxIterations: 30, initialGamma: 0.5 };
    const real = fitSbl({ A: denseOp(A, m, n), y, noise: "learn" }, { algorithm: "em", ...opts });
    const cx = fitSbl(
      { A: complexDenseOp(asComplex(A), m, n), y: asComplex(y), noise: "learn" },
      { algorithm: "em", ...opts },
    );
    expect(maxAbsDiff(cx.gamma, real.gamma)).toBeLessThan(1e-10);
    expect(Math.abs(cx.noiseVariance - real.noiseVariance)).toBeLessThan(1e-12);
    for (let t = 0; t < real.logEvidence.length; t++) {
      expect(cx.logEvidence[t]).toBeCloseTo(2 * real.logEvidence[t] + m * Math.log(2), 9);
    }
    for (let i = 0; i < n; i++) {
      expect(cx.mean[2 * i]).toBeCloseTo(real.mean[i], 10);
      expect(cx.mean[2 * i + 1]).toBe(0);
    }
    const F: SblMatrix[] = [
      { rows: 3, cols: 4, data: randomMatrix(3, 4, d3) },
      { rows: 2, cols: 5, data: randomMatrix(2, 5, d3) },
    ];
    const yk = Float64Array.from({ length: 6 }, d3);
    for (const algorithm of ["krosbl_am", "krosbl_svd"] as const) {
      const r = fitSbl({ A: { factors: F }, y: yk, noise: "learn" }, { algorithm, ...opts });
      const Fc = F.map((f) => ({ ...f, data: asComplex(f.data) }));
      const c = fitSbl({ A: { factors: Fc, complex: true }, y: asComplex(yk), noise: "learn" }, { algorithm, ...opts });
      expect(maxAbsDiff(c.gamma, r.gamma)).toBeLessThan(1e-10);
      expect(c.logEvidence.at(-1)!).toBeCloseTo(2 * r.logEvidence.at(-1)! + 6 * Math.log(2), 9);
    }
    const Ak = kron(F);
    const pc = fitSbl({ A: denseOp(Ak, 6, 20), y: yk, prior: { kind: "pc_sbl", beta: 0.5 } }, { ...opts });
    const pcc = fitSbl(
      { A: complexDenseOp(asComplex(Ak), 6, 20), y: asComplex(yk), prior: { kind: "pc_sbl", beta: 0.5 } },
      { ...opts },
    );
    expect(maxAbsDiff(pcc.gamma, pc.gamma)).toBeLessThan(1e-10);
  });
});
