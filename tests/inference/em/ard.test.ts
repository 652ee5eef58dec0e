import { describe, expect, it } from "vitest";
import { buildKernel, fitSbl } from "../../../src/inference/em/index.js";
import type { SblState } from "../../../src/inference/em/index.js";
import {
  denseConditioning,
  denseOp,
  diag,
  gradLogGamma,
  gradLogNoise,
  normals,
  randomMatrix,
  toMatrix,
} from "./dense_reference.js";

/** A small under-determined problem with 3 non-zeros out of 16 (m = 10). */
function problem(seed: number, m = 10, n = 16) {
  const draw = normals(seed);
  const A = randomMatrix(m, n, draw);
  const x = new Float64Array(n);
  x[2] = 2;
  x[7] = -1.5;
  x[11] = 1;
  const y = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += A[i * n + j] * x[j];
    y[i] = s + 0.1 * draw();
  }
  return { A, y, m, n, op: denseOp(A, m, n) };
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

describe("classic EM-SBL (ard)", () => {
  for (const form of ["primal", "dual"] as const) {
    it(`${form} E-step equals dense Gaussian conditioning and the dense log evidence`, () => {
      const { A, y, m, n, op } = problem(3);
      const kernel = buildKernel({ algorithm: "em", form, pruneThreshold: 0 });
      // Two steps give a non-uniform gamma and a learned noise variance.
      let state = kernel.init({ A: op, y, noise: "learn" });
      state = kernel.step(kernel.step(state).state).state;
      const ref = denseConditioning(toMatrix(A, m, n), Array.from(y), diag(state.gamma), state.noiseVariance);
      expect(maxAbsDiff(state.mean, ref.mean)).toBeLessThan(1e-11);
      expect(maxAbsDiff(state.varianceDiag, ref.cov.diag())).toBeLessThan(1e-11);
      expect(Math.abs(state.logEvidence - ref.logEvidence)).toBeLessThan(1e-10);
      // Full covariance on the support.
      const S = kernel.covariance(state);
      const k = state.active.length;
      let err = 0;
      for (let a = 0; a < k; a++) {
        for (let b = 0; b < k; b++)
          err = Math.max(err, Math.abs(S[a * k + b] - ref.cov.get(state.active[a], state.active[b])));
      }
      expect(err).toBeLessThan(1e-11);
    });
  }

  it("primal and dual forms follow the same trajectory", () => {
    const { y, op } = problem(5);
    const run = (form: "primal" | "dual") =>
      fitSbl({ A: op, y, noise: "learn" }, { algorithm: "em", form, maxIterations: 40, tolerance: 0 });
    const p = run("primal");
    const d = run("dual");
    expect(maxAbsDiff(p.logEvidence, d.logEvidence)).toBeLessThan(1e-9);
    expect(maxAbsDiff(p.gamma, d.gamma)).toBeLessThan(1e-9);
  });

  for (const noise of [{ variance: 0.01 }, "learn"] as const) {
    const label = typeof noise === "string" ? "learned" : "known";
    it(`the EM fixed point is stationary for the type-II likelihood (${label} noise)`, () => {
      const { A, y, m, n, op } = problem(7);
      const fit = fitSbl(
        { A: op, y, noise },
        { algorithm: "em", pruneThreshold: 1e-4, tolerance: 1e-13, maxIterations: 20000 },
      );
      expect(fit.converged).toBe(true);
      const Am = toMatrix(A, m, n);
      const grad = gradLogGamma(Am, Array.from(y), fit.gamma, fit.noiseVariance);
      expect(fit.support.length).toBeGreaterThan(0);
      for (const i of fit.support) expect(Math.abs(grad[i])).toBeLessThan(1e-8);
      if (noise === "learn") {
        expect(Math.abs(gradLogNoise(Am, Array.from(y), fit.gamma, fit.noiseVariance))).toBeLessThan(1e-8);
      }
      // The reported final evidence is the dense one at the returned hyper-parameters.
      const ref = denseConditioning(Am, Array.from(y), diag(fit.gamma), fit.noiseVariance);
      expect(Math.abs(fit.logEvidence.at(-1)! - ref.logEvidence)).toBeLessThan(1e-10);
    });

    it(`EM never decreases the log evidence (${label} noise, no pruning)`, () => {
      const { y, op } = problem(11);
      const fit = fitSbl({ A: op, y, noise }, { algorithm: "em", pruneThreshold: 0, tolerance: 0, maxIterations: 300 });
      for (let t = 1; t < fit.logEvidence.length; t++) {
        // Relative rounding slack only: EM's guarantee is exact in exact arithmetic.
        expect(fit.logEvidence[t]).toBeGreaterThanOrEqual(
          fit.logEvidence[t - 1] - 1e-12 * Math.abs(fit.logEvidence[t - 1]),
        );
      }
    });
  }

  it("MacKay's update reaches a stationary point too", () => {
    const { A, y, m, n, op } = problem(7);
    const fit = fitSbl(
      { A: op, y, noise: "learn" },
      { algorithm: "em", update: "mackay", pruneThreshold: 1e-4, tolerance: 1e-13, maxIterations: 5000 },
    );
    const grad = gradLogGamma(toMatrix(A, m, n), Array.from(y), fit.gamma, fit.noiseVariance);
    for (const i of fit.support) expect(Math.abs(grad[i])).toBeLessThan(1e-8);
  });

  it("recovers the support of a well-posed sparse problem", () => {
    const { y, op } = problem(13, 30, 40);
    const fit = fitSbl({ A: op, y, noise: "learn" }, { algorithm: "em" });
    expect(Array.from(fit.support)).toEqual([2, 7, 11]);
    expect(fit.mean[2]).toBeCloseTo(2, 1);
    expect(fit.alpha[0]).toBe(Number.POSITIVE_INFINITY);
    expect(fit.alpha[2]).toBeCloseTo(1 / fit.gamma[2], 12);
  });

  it("step never mutates its input state", () => {
    const { y, op } = problem(17);
    const kernel = buildKernel({ algorithm: "em" });
    const s0 = kernel.init({ A: op, y, noise: "learn" });
    const copy = (s: SblState) =>
      JSON.stringify({ ...s, gamma: [...s.gamma], mean: [...s.mean], v: [...s.varianceDiag], a: [...s.active] });
    const before = copy(s0);
    const a = kernel.step(s0);
    const b = kernel.step(s0);
    expect(copy(s0)).toBe(before);
    expect(a.info.logEvidence).toBe(b.info.logEvidence);
  });
});
