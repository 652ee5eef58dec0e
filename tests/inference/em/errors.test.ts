import { describe, expect, it } from "vitest";
import { CapabilityError, DataError, DomainError, ShapeError } from "../../../src/core/errors.js";
import { buildKernel, fitSbl } from "../../../src/inference/em/index.js";
import { complexDenseOp, denseOp, normals, randomMatrix } from "./dense_reference.js";

const draw = normals(5);
const m = 8;
const n = 12;
const A = randomMatrix(m, n, draw);
const op = denseOp(A, m, n);
const y = Float64Array.from({ length: m }, draw);

function noNaN(values: ArrayLike<number>): boolean {
  for (let i = 0; i < values.length; i++) if (Number.isNaN(values[i])) return false;
  return true;
}

describe("EM-SBL bad input", () => {
  it("non-finite observations are a DataError naming the index", () => {
    const bad = Float64Array.from(y);
    bad[3] = Number.NaN;
    expect(() => fitSbl({ A: op, y: bad })).toThrow(DataError);
    expect(() => fitSbl({ A: op, y: bad })).toThrow(/'y' has a non-finite entry at index 3/);
    bad[3] = Number.POSITIVE_INFINITY;
    expect(() => fitSbl({ A: op, y: bad })).toThrow(DataError);
    const badA = Float64Array.from(A);
    badA[5] = Number.NaN;
    expect(() => fitSbl({ A: denseOp(badA, m, n), y })).toThrow(/dictionary has a non-finite entry/);
  });

  it("a dictionary whose shape does not match is a ShapeError", () => {
    expect(() => fitSbl({ A: op, y: y.subarray(0, m - 1) })).toThrow(ShapeError);
    expect(() => fitSbl({ A: op, y: y.subarray(0, m - 1) })).toThrow(
      /'y' does not match the dictionary's 8 rows — got length 7, expected 8/,
    );
    // Complex: y needs 2m interleaved numbers.
    expect(() => fitSbl({ A: complexDenseOp(randomMatrix(m, 2 * n, draw), m, n), y })).toThrow(ShapeError);
    // Kronecker factors with the wrong number of entries.
    expect(() =>
      fitSbl(
        { A: { factors: [{ rows: 2, cols: 3, data: new Float64Array(5) }] }, y: new Float64Array(2) },
        { algorithm: "krosbl_am" },
      ),
    ).toThrow(ShapeError);
    expect(() => fitSbl({ A: op, y, prior: { kind: "block_ard", blockSizes: [4, 4] } })).toThrow(
      /block sizes do not add up/,
    );
    expect(() =>
      fitSbl({
        A: { factors: [{ rows: 2, cols: 3, data: new Float64Array(6) }] },
        y: new Float64Array(2),
        prior: { kind: "kronecker_ard", dims: [4] },
      }),
    ).toThrow(ShapeError);
  });

  it("all-zero y: known noise gives the all-pruned solution with finite evidence; learned noise is a DataError", () => {
    const zero = new Float64Array(m);
    for (const algorithm of ["em", "tipping_faul", "pc_sbl"] as const) {
      const prior = algorithm === "pc_sbl" ? ({ kind: "pc_sbl", beta: 1 } as const) : undefined;
      const fit = fitSbl({ A: op, y: zero, noise: { variance: 0.5 }, prior }, { algorithm });
      expect(fit.support.length).toBe(0);
      expect(fit.mean.every((v) => v === 0)).toBe(true);
      expect(fit.converged).toBe(true);
      expect(fit.logEvidence[0]).toBeCloseTo(-0.5 * m * Math.log(2 * Math.PI * 0.5), 12);
      expect(fit.warnings.join(" ")).toMatch(/y is all zeros/);
    }
    const kr = fitSbl(
      {
        A: { factors: [{ rows: 2, cols: 3, data: randomMatrix(2, 3, draw) }] },
        y: new Float64Array(2),
        noise: { variance: 1 },
      },
      { algorithm: "krosbl_svd" },
    );
    expect(kr.support.length).toBe(0);
    expect(() => fitSbl({ A: op, y: zero, noise: "learn" })).toThrow(DataError);
    expect(() => fitSbl({ A: op, y: zero, noise: "learn" })).toThrow(/learned noise variance has no maximum/);
  });

  it("a noise variance that collapses to zero stops at the floor with a warning, never NaN", () => {
    // Noiseless 2-sparse data: y lies in the span of two columns, so the evidence grows without
    // bound as σ² → 0 with γ on those columns (log det C → −∞ while yᵀC⁻¹y stays bounded).
    const x = new Float64Array(n);
    x[2] = 1;
    x[7] = -2;
    const exact = new Float64Array(m);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) exact[i] += A[i * n + j] * x[j];
    for (const algorithm of ["em", "tipping_faul"] as const) {
      const fit = fitSbl({ A: op, y: exact, noise: "learn" }, { algorithm, maxIterations: 3000 });
      const power = exact.reduce((s, v) => s + v * v, 0) / m;
      expect(fit.noiseVariance).toBeGreaterThanOrEqual(1e-10 * power * (1 - 1e-12));
      expect(fit.warnings.join(" ")).toMatch(/noise variance reached its floor/);
      expect(noNaN(fit.mean) && noNaN(fit.gamma) && noNaN(fit.logEvidence) && noNaN(fit.varianceDiag)).toBe(true);
    }
  });

  it("out-of-range settings are DomainErrors", () => {
    expect(() => fitSbl({ A: op, y, noise: { variance: 0 } })).toThrow(DomainError);
    expect(() => fitSbl({ A: op, y, noise: { variance: -1 } })).toThrow(/noise variance must be positive/);
    expect(() => buildKernel({ algorithm: "em", pruneThreshold: 1 })).toThrow(DomainError);
    expect(() => buildKernel({ algorithm: "em", initialGamma: -2 })).toThrow(DomainError);
    expect(() => fitSbl({ A: op, y, prior: { kind: "pc_sbl", beta: -1 } })).toThrow(DomainError);
    expect(() => fitSbl({ A: op, y }, { maxIterations: 1.5 })).toThrow(DomainError);
  });

  it("algorithm/prior/dictionary mismatches are refused before the run", () => {
    expect(() => fitSbl({ A: op, y }, { algorithm: "krosbl_am" })).toThrow(CapabilityError);
    expect(() => fitSbl({ A: op, y }, { algorithm: "krosbl_am" })).toThrow(
      /KroSBL needs a Kronecker-structured dictionary/,
    );
    expect(() => fitSbl({ A: op, y, prior: { kind: "pc_sbl", beta: 1 } }, { algorithm: "em" })).toThrow(
      CapabilityError,
    );
    expect(() => fitSbl({ A: op, y, prior: { kind: "kronecker_ard" } })).toThrow(CapabilityError);
    const cx = complexDenseOp(randomMatrix(m, 2 * n, draw), m, n);
    expect(() => fitSbl({ A: cx, y: new Float64Array(2 * m).fill(1) }, { algorithm: "tipping_faul" })).toThrow(
      CapabilityError,
    );
    expect(() =>
      fitSbl(
        {
          A: { factors: [{ rows: 2, cols: 3, data: randomMatrix(2, 3, draw) }] },
          y: Float64Array.of(1, 2),
          prior: { kind: "kronecker_ard", coupling: [0.5] },
        },
        { algorithm: "krosbl_svd" },
      ),
    ).toThrow(/needs the AM M-step/);
  });
});
