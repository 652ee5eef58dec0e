import fc from "fast-check";
import { CholeskyDecomposition, Matrix } from "ml-matrix";
import { describe, expect, it } from "vitest";
import { DataError, DomainError, ShapeError } from "../../../src/core/errors.js";
import { LowRankPlusDiagonal } from "../../../src/runtime/operators/low_rank_plus_diagonal.js";
import { checkOperator, mulberry32, randomMatrix, randomVector, toRows } from "./helpers.js";

const RUNS = { numRuns: 40, seed: 20240707 };

type Core = { kind: "identity" } | { kind: "diagonal"; c: Float64Array } | { kind: "matrix"; C: Float64Array };

/**
 * D + U·C·Uᵀ by the textbook loop (upper triangle, mirrored, so it is exactly symmetric), and
 * the magnitude bound |D| + Σ|U·C·U| for tolerances.
 */
function formed(d: Float64Array, U: Float64Array, k: number, core: Core): { A: Float64Array; magnitude: Float64Array } {
  const n = d.length;
  const C = new Float64Array(k * k);
  if (core.kind === "identity") for (let a = 0; a < k; a++) C[a * k + a] = 1;
  else if (core.kind === "diagonal") for (let a = 0; a < k; a++) C[a * k + a] = core.c[a];
  else C.set(core.C);
  const A = new Float64Array(n * n);
  const magnitude = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let s = i === j ? d[i] : 0;
      let m = Math.abs(s);
      for (let a = 0; a < k; a++) {
        for (let b = 0; b < k; b++) {
          const t = U[i * k + a] * C[a * k + b] * U[j * k + b];
          s += t;
          m += Math.abs(t);
        }
      }
      A[i * n + j] = A[j * n + i] = s;
      // The operator factors C (eigen-decomposition for a dense core), which can enlarge the
      // intermediate terms by up to k·‖C‖; 2k·m is a comfortable bound for the sizes here.
      magnitude[i * n + j] = magnitude[j * n + i] = 2 * Math.max(1, k) * m;
    }
  }
  return { A, magnitude };
}

/** Random core: identity, a diagonal with some exact zeros (pruned SBL weights), or a rank-deficient PSD matrix. */
function randomCore(rand: () => number, k: number, which: number): Core {
  if (which === 0) return { kind: "identity" };
  if (which === 1)
    return { kind: "diagonal", c: Float64Array.from({ length: k }, () => (rand() < 0.3 ? 0 : 3 * rand())) };
  const r = Math.max(1, k - 1);
  const B = randomMatrix(rand, k, r);
  const C = new Float64Array(k * k);
  for (let a = 0; a < k; a++)
    for (let b = 0; b < k; b++) for (let q = 0; q < r; q++) C[a * k + b] += B[a * r + q] * B[b * r + q];
  return { kind: "matrix", C };
}

function options(core: Core) {
  return core.kind === "diagonal" ? { coreDiagonal: core.c } : core.kind === "matrix" ? { coreMatrix: core.C } : {};
}

/** Solve and log-determinant against ml-matrix's dense Cholesky of the formed matrix. */
function checkSolve(op: LowRankPlusDiagonal, A: Float64Array, seed: number): void {
  const n = op.rows;
  const chol = new CholeskyDecomposition(new Matrix(toRows(A, n, n)));
  expect(chol.isPositiveDefinite()).toBe(true);
  const L = chol.lowerTriangularMatrix;
  let logDet = 0;
  for (let i = 0; i < n; i++) logDet += 2 * Math.log(L.get(i, i));
  // log|A| is a sum of n logs of O(1..10) numbers; 1e-10 absolute covers rounding of both routes.
  expect(Math.abs(op.logDet() - logDet)).toBeLessThanOrEqual(1e-10 * Math.max(1, Math.abs(logDet)));
  const b = randomVector(mulberry32(seed), n);
  const x = op.solve(b);
  const ref = chol.solve(Matrix.columnVector(Array.from(b))).to1DArray();
  // Residual test, the backward-stable criterion: ‖A·x − b‖ ≤ 1e-10·‖A‖·‖x‖ (condition numbers here are ≤ ~1e4).
  const Ax = new Float64Array(n);
  op.apply(x, Ax);
  let res = 0;
  let aNorm = 0;
  let xNorm = 0;
  for (let i = 0; i < n; i++) {
    res = Math.max(res, Math.abs(Ax[i] - b[i]));
    xNorm = Math.max(xNorm, Math.abs(x[i]));
    let row = 0;
    for (let j = 0; j < n; j++) row += Math.abs(A[i * n + j]);
    aNorm = Math.max(aNorm, row);
  }
  expect(res).toBeLessThanOrEqual(1e-10 * aNorm * xNorm);
  for (let i = 0; i < n; i++) expect(Math.abs(x[i] - ref[i])).toBeLessThanOrEqual(1e-7 * Math.max(1, Math.abs(ref[i])));
  // In place (out = b).
  const inPlace = Float64Array.from(b);
  op.solve(inPlace, inPlace);
  expect(Array.from(inPlace)).toEqual(Array.from(x));
}

describe("LowRankPlusDiagonal", () => {
  it("matches the formed matrix, its Cholesky solve and log-determinant (both routes, all cores)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 14 }),
        fc.integer({ min: 0, max: 18 }),
        fc.integer({ min: 0, max: 2 }),
        fc.nat(),
        (n, k, which, seed) => {
          const rand = mulberry32(seed);
          const d = Float64Array.from({ length: n }, () => 0.05 + rand());
          const U = randomMatrix(rand, n, k);
          const core = randomCore(rand, k, which);
          const op = new LowRankPlusDiagonal(d, which === 2 ? toRows(U, n, k) : U, options(core));
          expect(op.woodbury).toBe(k < n);
          expect([op.rows, op.cols, op.rank, op.kind]).toEqual([n, n, k, "low_rank_plus_diagonal"]);
          const { A, magnitude } = formed(d, U, k, core);
          checkOperator(op, A, seed + 1, magnitude);
          checkSolve(op, A, seed + 2);
        },
      ),
      RUNS,
    );
  });

  it("update() refactors in place for new noise and prior variances", () => {
    const rand = mulberry32(3);
    const n = 30;
    const k = 6;
    const U = randomMatrix(rand, n, k);
    const op = new LowRankPlusDiagonal(new Float64Array(n).fill(1), U);
    const d = Float64Array.from({ length: n }, () => 0.1 + rand());
    const gamma = Float64Array.of(1, 0, 2, 0.5, 0, 3);
    op.update({ diagonal: d, coreDiagonal: gamma });
    const { A, magnitude } = formed(d, U, k, { kind: "diagonal", c: gamma });
    checkOperator(op, A, 4, magnitude);
    checkSolve(op, A, 5);
    // Only the core changes; the diagonal is kept.
    const gamma2 = Float64Array.of(0.2, 0.2, 0.2, 0.2, 0.2, 0.2);
    op.update({ coreDiagonal: gamma2 });
    const second = formed(d, U, k, { kind: "diagonal", c: gamma2 });
    checkOperator(op, second.A, 6, second.magnitude);
    checkSolve(op, second.A, 7);
  });

  it("matches a larger case with the Woodbury route in kernel memory", () => {
    const rand = mulberry32(11);
    const n = 120;
    const k = 9;
    const d = Float64Array.from({ length: n }, () => 0.5 + rand());
    const U = randomMatrix(rand, n, k);
    const core = randomCore(rand, k, 2);
    const op = new LowRankPlusDiagonal(d, U, options(core));
    const { A, magnitude } = formed(d, U, k, core);
    checkOperator(op, A, 12, magnitude);
    checkSolve(op, A, 13);
  });

  it("rejects invalid parts with named errors", () => {
    const U = [
      [1, 0],
      [0, 1],
      [1, 1],
    ];
    expect(() => new LowRankPlusDiagonal([1, 0, 1], U)).toThrow(DomainError);
    expect(() => new LowRankPlusDiagonal([1, -2, 1], U)).toThrow(
      "LowRankPlusDiagonal: diagonal entry 1 must be positive and finite — got -2, expected > 0.",
    );
    expect(() => new LowRankPlusDiagonal([1, Number.NaN, 1], U)).toThrow(DataError);
    expect(() => new LowRankPlusDiagonal([1, 1], U)).toThrow(
      "LowRankPlusDiagonal: the factor must have one row per diagonal entry — got 3 rows, expected 2.",
    );
    expect(() => new LowRankPlusDiagonal([1, 1], new Float64Array(5))).toThrow(ShapeError);
    expect(() => new LowRankPlusDiagonal([1, 1, 1], U, { coreDiagonal: [1, -1] })).toThrow(
      /coreDiagonal entry 1 must be non-negative and finite — got -1/,
    );
    expect(() => new LowRankPlusDiagonal([1, 1, 1], U, { coreDiagonal: [1] })).toThrow(ShapeError);
    expect(
      () =>
        new LowRankPlusDiagonal([1, 1, 1], U, {
          coreMatrix: [
            [1, 2],
            [2, 1],
          ],
        }),
    ).toThrow(/coreMatrix is not positive semi-definite — got smallest eigenvalue -1/);
    expect(
      () =>
        new LowRankPlusDiagonal([1, 1, 1], U, {
          coreMatrix: [
            [1, 0.5],
            [0, 1],
          ],
        }),
    ).toThrow(/matrix is not symmetric/);
    expect(() => new LowRankPlusDiagonal([1, 1, 1], U, { coreDiagonal: [1, 1], coreMatrix: [[1]] })).toThrow(
      /give coreDiagonal or coreMatrix, not both/,
    );
    const op = new LowRankPlusDiagonal([1, 1, 1], U);
    expect(() => op.solve(new Float64Array(2))).toThrow(ShapeError);
    expect(() => op.update({ diagonal: [1, 1] })).toThrow(ShapeError);
    // A rejected update changes nothing, even when some of its parts were valid.
    const before = op.toDense();
    const logDet = op.logDet();
    expect(() => op.update({ diagonal: [5, 5, 5], coreDiagonal: [1, -1] })).toThrow(DomainError);
    expect(() => op.update({ coreDiagonal: [1, 1], diagonal: [5, 0, 5] })).toThrow(DomainError);
    expect(Array.from(op.toDense())).toEqual(Array.from(before));
    expect(op.logDet()).toBe(logDet);
  });
});
