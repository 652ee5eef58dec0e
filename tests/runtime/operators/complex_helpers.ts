/**
 * Checks for ComplexLinearOperator implementations against an explicit interleaved dense matrix:
 * A·x and Aᴴ·x by the textbook complex loop, the adjoint identity ⟨A·x, r⟩ = ⟨x, Aᴴ·r⟩ (with the
 * conjugate-linear inner product ⟨u, v⟩ = Σ conj(uᵢ)·vᵢ), diagGram = Σᵢ |Aᵢⱼ|² and length errors.
 * Tolerance as in helpers.ts: 1e-12 times the sum of the magnitudes of the terms.
 */
import { expect } from "vitest";
import { ShapeError } from "../../../src/core/errors.js";
import type { ComplexLinearOperator } from "../../../src/runtime/linear_operator.js";
import { expectClose, mulberry32, RTOL, randomVector } from "./helpers.js";

/** Complex op(A)·x (op = identity or conjugate transpose) with per-entry magnitude scales (re and im alike). */
export function naiveComplexProduct(
  a: Float64Array,
  rows: number,
  cols: number,
  x: Float64Array,
  adjoint: boolean,
): { y: Float64Array; scale: Float64Array } {
  const m = adjoint ? cols : rows;
  const n = adjoint ? rows : cols;
  const y = new Float64Array(2 * m);
  const scale = new Float64Array(2 * m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      const at = adjoint ? j * cols + i : i * cols + j;
      const ar = a[2 * at];
      const ai = adjoint ? -a[2 * at + 1] : a[2 * at + 1];
      const xr = x[2 * j];
      const xi = x[2 * j + 1];
      y[2 * i] += ar * xr - ai * xi;
      y[2 * i + 1] += ar * xi + ai * xr;
      const s = Math.hypot(ar, ai) * Math.hypot(xr, xi) * 2;
      scale[2 * i] += s;
      scale[2 * i + 1] += s;
    }
  }
  return { y, scale };
}

/**
 * `magnitude` (default |entry|, for both parts) bounds the terms each dense entry was built from:
 * a product of complex factors cancels in its real and imaginary parts, so rounding is relative
 * to Π|Aₖ|, not to the result.
 */
export function checkComplexOperator(
  op: ComplexLinearOperator,
  dense: Float64Array,
  seed: number,
  magnitude: Float64Array = dense.map((v) => Math.abs(v)),
): void {
  const { rows, cols } = op;
  const rand = mulberry32(seed);
  expect(dense.length).toBe(2 * rows * cols);
  expectClose(op.toDense(), dense, magnitude);
  const x = randomVector(rand, 2 * cols);
  const r = randomVector(rand, 2 * rows);
  const y = new Float64Array(2 * rows).fill(Number.NaN);
  op.apply(x, y);
  const ref = naiveComplexProduct(dense, rows, cols, x, false);
  expectClose(y, ref.y, ref.scale);
  const g = new Float64Array(2 * cols).fill(Number.NaN);
  op.applyAdjoint(r, g);
  const refH = naiveComplexProduct(dense, rows, cols, r, true);
  expectClose(g, refH.y, refH.scale);

  // ⟨A·x, r⟩ = ⟨x, Aᴴ·r⟩ with ⟨u, v⟩ = Σ conj(uᵢ)·vᵢ (both real and imaginary parts).
  let lr = 0;
  let li = 0;
  let rr = 0;
  let ri = 0;
  let mag = 0;
  for (let i = 0; i < rows; i++) {
    lr += y[2 * i] * r[2 * i] + y[2 * i + 1] * r[2 * i + 1];
    li += y[2 * i] * r[2 * i + 1] - y[2 * i + 1] * r[2 * i];
    mag += ref.scale[2 * i] * Math.hypot(r[2 * i], r[2 * i + 1]);
  }
  for (let j = 0; j < cols; j++) {
    rr += x[2 * j] * g[2 * j] + x[2 * j + 1] * g[2 * j + 1];
    ri += x[2 * j] * g[2 * j + 1] - x[2 * j + 1] * g[2 * j];
  }
  expect(Math.abs(lr - rr)).toBeLessThanOrEqual(4 * RTOL * mag + 1e-300);
  expect(Math.abs(li - ri)).toBeLessThanOrEqual(4 * RTOL * mag + 1e-300);

  const dg = new Float64Array(cols).fill(Number.NaN);
  op.diagGram(dg);
  const colNorms = new Float64Array(cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) colNorms[j] += dense[2 * (i * cols + j)] ** 2 + dense[2 * (i * cols + j) + 1] ** 2;
  }
  expectClose(dg, colNorms);

  expect(() => op.apply(new Float64Array(2 * cols + 1), new Float64Array(2 * rows))).toThrow(ShapeError);
  expect(() => op.apply(new Float64Array(2 * cols), new Float64Array(2 * rows + 1))).toThrow(ShapeError);
  expect(() => op.applyAdjoint(new Float64Array(2 * rows + 2), new Float64Array(2 * cols))).toThrow(ShapeError);
  expect(() => op.diagGram(new Float64Array(2 * cols + 1))).toThrow(ShapeError);
}
