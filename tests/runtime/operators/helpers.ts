/**
 * Shared checks for LinearOperator implementations: every product is compared with a naive loop
 * over the operator's expected dense matrix and with ml-matrix.
 *
 * Tolerance: output i of a product is a sum of n terms, so any summation order is within
 * n·2⁻⁵³·Σⱼ|Aᵢⱼ·xⱼ| of the exact value. We allow 1e-12·Σⱼ|Aᵢⱼ·xⱼ| (true for n up to ~10⁴, far
 * above the sizes here), which still catches any wrong, missing or misplaced term of relative
 * size above 1e-12.
 */
import { Matrix } from "ml-matrix";
import { expect } from "vitest";
import { ShapeError } from "../../../src/core/errors.js";
import type { LinearOperator } from "../../../src/runtime/linear_operator.js";
import { mulberry32 } from "../../helpers/random.js";

export const RTOL = 1e-12;

export { mulberry32 } from "../../helpers/random.js";

/** n uniform values in [-1, 1). */
export function randomVector(rand: () => number, n: number): Float64Array {
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) v[i] = 2 * rand() - 1;
  return v;
}

/** A rows × cols matrix with roughly `density` of its entries nonzero. */
export function randomMatrix(rand: () => number, rows: number, cols: number, density = 1): Float64Array {
  const a = new Float64Array(rows * cols);
  for (let i = 0; i < a.length; i++) if (rand() < density) a[i] = 2 * rand() - 1;
  return a;
}

/** Nested rows of a row-major matrix. */
export function toRows(a: Float64Array, rows: number, cols: number): number[][] {
  return Array.from({ length: rows }, (_, i) => Array.from(a.subarray(i * cols, (i + 1) * cols)));
}

/**
 * y = op(A)·x by the textbook loop, with the per-entry scale Σ|Mᵢⱼ·xⱼ| for the tolerance, where
 * M (default |A|) bounds the magnitude of the terms that make up each entry of A.
 */
export function naiveProduct(
  a: Float64Array,
  rows: number,
  cols: number,
  x: Float64Array,
  transposed: boolean,
  magnitude: Float64Array = a,
): { y: Float64Array; scale: Float64Array } {
  const m = transposed ? cols : rows;
  const n = transposed ? rows : cols;
  const y = new Float64Array(m);
  const scale = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      const at = transposed ? j * cols + i : i * cols + j;
      y[i] += a[at] * x[j];
      scale[i] += Math.abs(magnitude[at] * x[j]);
    }
  }
  return { y, scale };
}

/** Asserts |actual − expected| ≤ RTOL·scale + tiny entrywise, naming the first failure. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, scale?: ArrayLike<number>): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const s = scale ? scale[i] : Math.abs(expected[i]);
    const tol = RTOL * s + 1e-300;
    if (!(Math.abs(actual[i] - expected[i]) <= tol)) {
      expect.fail(`entry ${i}: got ${actual[i]}, expected ${expected[i]} (tolerance ${tol})`);
    }
  }
}

/**
 * The whole LinearOperator contract for `op` against its expected dense matrix `dense`:
 * toDense, apply and applyTranspose vs the naive loop and ml-matrix, alpha/beta semantics
 * (including beta = 0 ignoring NaN in y), the adjoint identity ⟨Ax, y⟩ = ⟨x, Aᵀy⟩, diagGram vs
 * the dense column norms, and ShapeErrors for wrong vector lengths.
 *
 * `magnitude` (default |dense|) bounds, entry by entry, the sum of the absolute values of the
 * terms that make up each entry — needed when an operator builds entries by sums that cancel
 * (U·Uᵀ), where rounding is relative to the terms, not to the result.
 */
export function checkOperator(op: LinearOperator, dense: Float64Array, seed: number, magnitude = dense): void {
  const { rows, cols } = op;
  const rand = mulberry32(seed);
  expect(dense.length).toBe(rows * cols);
  expectClose(
    op.toDense(),
    dense,
    magnitude.map((v) => Math.abs(v)),
  );

  const x = randomVector(rand, cols);
  const r = randomVector(rand, rows);

  // Plain products against the naive loop (y pre-filled with NaN: beta defaults to 0).
  const y = new Float64Array(rows).fill(Number.NaN);
  op.apply(x, y);
  const ref = naiveProduct(dense, rows, cols, x, false, magnitude);
  expectClose(y, ref.y, ref.scale);
  const g = new Float64Array(cols).fill(Number.NaN);
  op.applyTranspose(r, g);
  const refT = naiveProduct(dense, rows, cols, r, true, magnitude);
  expectClose(g, refT.y, refT.scale);

  // ml-matrix as an independent reference.
  if (rows > 0 && cols > 0) {
    const M = new Matrix(toRows(dense, rows, cols));
    expectClose(y, M.mmul(Matrix.columnVector(Array.from(x))).to1DArray(), ref.scale);
    expectClose(
      g,
      M.transpose()
        .mmul(Matrix.columnVector(Array.from(r)))
        .to1DArray(),
      refT.scale,
    );
  }

  // alpha/beta: y = alpha·A·x + beta·y0.
  const alpha = -1.75;
  const beta = 0.5;
  const y0 = randomVector(rand, rows);
  const yab = Float64Array.from(y0);
  op.apply(x, yab, alpha, beta);
  expectClose(
    yab,
    ref.y.map((v, i) => alpha * v + beta * y0[i]),
    ref.scale.map((s, i) => Math.abs(alpha) * s + Math.abs(beta * y0[i])),
  );
  const g0 = randomVector(rand, cols);
  const gab = Float64Array.from(g0);
  op.applyTranspose(r, gab, alpha, beta);
  expectClose(
    gab,
    refT.y.map((v, i) => alpha * v + beta * g0[i]),
    refT.scale.map((s, i) => Math.abs(alpha) * s + Math.abs(beta * g0[i])),
  );
  // alpha = 0, beta = 1 leaves y alone; alpha = 2, beta = 0 ignores NaN in y.
  const keep = Float64Array.from(y0);
  op.apply(x, keep, 0, 1);
  expect(Array.from(keep)).toEqual(Array.from(y0));
  const twice = new Float64Array(rows).fill(Number.NaN);
  op.apply(x, twice, 2, 0);
  expectClose(
    twice,
    ref.y.map((v) => 2 * v),
    ref.scale.map((s) => 2 * s),
  );

  // Adjoint identity: ⟨A·x, r⟩ = ⟨x, Aᵀ·r⟩, within the rounding of both sums.
  let lhs = 0;
  let rhs = 0;
  let mag = 0;
  for (let i = 0; i < rows; i++) lhs += y[i] * r[i];
  for (let j = 0; j < cols; j++) rhs += x[j] * g[j];
  for (let i = 0; i < rows; i++) mag += ref.scale[i] * Math.abs(r[i]);
  expect(Math.abs(lhs - rhs)).toBeLessThanOrEqual(2 * RTOL * mag + 1e-300);

  // diagGram vs squared column norms of the dense matrix.
  const dg = new Float64Array(cols).fill(Number.NaN);
  op.diagGram(dg);
  const colNorms = new Float64Array(cols);
  const colScale = new Float64Array(cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      colNorms[j] += dense[i * cols + j] ** 2;
      colScale[j] += magnitude[i * cols + j] ** 2;
    }
  }
  expectClose(dg, colNorms, colScale);

  // Wrong lengths are ShapeErrors naming the vector.
  expect(() => op.apply(new Float64Array(cols + 1), new Float64Array(rows))).toThrow(ShapeError);
  expect(() => op.apply(new Float64Array(cols), new Float64Array(rows + 1))).toThrow(ShapeError);
  expect(() => op.applyTranspose(new Float64Array(rows + 1), new Float64Array(cols))).toThrow(ShapeError);
  expect(() => op.diagGram(new Float64Array(cols + 1))).toThrow(/diagGram: 'out' has the wrong length/);
}

/**
 * Random COO triplets (duplicates and any order) and the dense matrix they sum to. Values are
 * multiples of 2⁻¹⁰ in [-1, 1), so sums of duplicates are exact in any order and the stored
 * matrix must equal the reference bit for bit.
 */
export function randomCoo(seed: number, rows: number, cols: number, count: number) {
  const rand = mulberry32(seed);
  const r: number[] = [];
  const c: number[] = [];
  const v: number[] = [];
  const dense = new Float64Array(rows * cols);
  if (rows > 0 && cols > 0) {
    for (let k = 0; k < count; k++) {
      const i = Math.floor(rand() * rows);
      // Few distinct columns per row so that duplicates are common.
      const j = Math.floor(rand() * Math.min(cols, 1 + (k % 7)));
      const x = (Math.floor(2048 * rand()) - 1024) / 1024;
      r.push(i);
      c.push(j);
      v.push(x);
      dense[i * cols + j] += x;
    }
  }
  return { r, c, v, dense };
}
