import { describe, expect, it } from "vitest";
import { fitSbl } from "../../../src/inference/em/index.js";
import { denseOp, normals, randomMatrix } from "./dense_reference.js";

const draw = normals(77);
const m = 12;
const n = 20;
const A = randomMatrix(m, n, draw);
const x = new Float64Array(n);
x[4] = 1;
x[9] = -1;
const y = new Float64Array(m);
for (let i = 0; i < m; i++) {
  for (let j = 0; j < n; j++) y[i] += A[i * n + j] * x[j];
  y[i] += 0.05 * draw();
}
const op = denseOp(A, m, n);

describe("fitSbl driver", () => {
  it("honours maxIterations, reports the evidence trace and stops on the evidence rule", () => {
    const capped = fitSbl({ A: op, y }, { maxIterations: 3, tolerance: 0 });
    expect(capped.iterations).toBe(3);
    expect(capped.converged).toBe(false);
    expect(capped.logEvidence.length).toBe(4);
    const byEvidence = fitSbl({ A: op, y }, { stopOn: "evidence", tolerance: 1e-9, maxIterations: 10000 });
    expect(byEvidence.converged).toBe(true);
    const L = byEvidence.logEvidence;
    expect(Math.abs(L[L.length - 1] - L[L.length - 2]) / Math.max(1, Math.abs(L[L.length - 2]))).toBeLessThan(1e-9);
  });

  it("returns precisions, the support, and the full covariance on request", () => {
    const fit = fitSbl({ A: op, y, noise: "learn" }, { covariance: "full" });
    const k = fit.support.length;
    expect(fit.covariance?.length).toBe(k * k);
    for (let a = 0; a < k; a++) expect(fit.covariance![a * k + a]).toBeCloseTo(fit.varianceDiag[fit.support[a]], 12);
    for (let i = 0; i < n; i++) {
      if (fit.gamma[i] > 0) expect(fit.alpha[i]).toBeCloseTo(1 / fit.gamma[i], 10);
      else expect(fit.alpha[i]).toBe(Number.POSITIVE_INFINITY);
    }
    expect(fit.timeSeconds).toBeGreaterThanOrEqual(0);
    expect(fit.algorithm).toBe("em");
  });

  it("onStep can stop the run early", () => {
    let calls = 0;
    const fit = fitSbl({ A: op, y }, { tolerance: 0, maxIterations: 100, onStep: () => ++calls < 5 });
    expect(fit.iterations).toBe(5);
  });

  it("the default algorithm follows the prior", () => {
    expect(fitSbl({ A: op, y, prior: { kind: "pc_sbl", beta: 1 } }, { maxIterations: 2 }).algorithm).toBe("pc_sbl");
    expect(
      fitSbl({ A: op, y, prior: { kind: "block_ard", blockSizes: [10, 10] } }, { maxIterations: 2 }).algorithm,
    ).toBe("bsbl");
    const F = [
      { rows: 3, cols: 4, data: randomMatrix(3, 4, draw) },
      { rows: 4, cols: 5, data: randomMatrix(4, 5, draw) },
    ];
    expect(
      fitSbl({ A: { factors: F }, y: y.subarray(0, 12), prior: { kind: "kronecker_ard" } }, { maxIterations: 2 })
        .algorithm,
    ).toBe("krosbl_am");
  });
});
