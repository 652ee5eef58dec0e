import fc from "fast-check";
import { Matrix } from "ml-matrix";
import { describe, expect, it } from "vitest";
import { dkronmv, kronWorkSize, zkronmv, zkronWorkSize } from "../../src/kernels/kronecker.js";
import type { KernelSet } from "../../src/kernels/kernel_set.js";
import { mulberry32 } from "../helpers/random.js";

// Every product is compared with the explicitly formed Kronecker product applied to x. Each
// output is a sum of at most 4⁴ = 256 products of ≤ 5 factors, so any evaluation order is within
// ~(256 + 5)·2⁻⁵³·Σ|terms| ≈ 3e-14·Σ|terms| of the exact value; 1e-12·Σ|terms| (Σ|terms| from
// the product of the absolute factors and |x|) leaves room for that and nothing else.
const RTOL = 1e-12;

/** A dense row-major matrix; complex ones are interleaved (2·rows·cols numbers). */
interface Dense {
  rows: number;
  cols: number;
  data: Float64Array;
}

/** Kronecker product of two row-major matrices; `w` = 1 real, 2 complex. */
function kron2(a: Dense, b: Dense, w: 1 | 2): Dense {
  const rows = a.rows * b.rows;
  const cols = a.cols * b.cols;
  const data = new Float64Array(w * rows * cols);
  for (let i = 0; i < a.rows; i++) {
    for (let j = 0; j < a.cols; j++) {
      for (let p = 0; p < b.rows; p++) {
        for (let q = 0; q < b.cols; q++) {
          const o = w * ((i * b.rows + p) * cols + j * b.cols + q);
          const ia = w * (i * a.cols + j);
          const ib = w * (p * b.cols + q);
          if (w === 1) {
            data[o] = a.data[ia] * b.data[ib];
          } else {
            data[o] = a.data[ia] * b.data[ib] - a.data[ia + 1] * b.data[ib + 1];
            data[o + 1] = a.data[ia] * b.data[ib + 1] + a.data[ia + 1] * b.data[ib];
          }
        }
      }
    }
  }
  return { rows, cols, data };
}

function kronAll(factors: readonly Dense[], w: 1 | 2): Dense {
  const one: Dense = { rows: 1, cols: 1, data: w === 1 ? Float64Array.of(1) : Float64Array.of(1, 0) };
  return factors.reduce((acc, f) => kron2(acc, f, w), one);
}

/** Dense op(P)·x (real) and the error scale |op(P)|·|x|. */
function denseApply(P: Dense, trans: boolean, x: Float64Array): { want: Float64Array; scale: Float64Array } {
  const nOut = trans ? P.cols : P.rows;
  const nIn = trans ? P.rows : P.cols;
  const want = new Float64Array(nOut);
  const scale = new Float64Array(nOut);
  for (let i = 0; i < nOut; i++) {
    for (let j = 0; j < nIn; j++) {
      const a = trans ? P.data[j * P.cols + i] : P.data[i * P.cols + j];
      want[i] += a * x[j];
      scale[i] += Math.abs(a * x[j]);
    }
  }
  return { want, scale };
}

/** Complex op(P)·x with op ∈ {N, T, C}, interleaved, and the scale Σ|P_ij|·|x_j|. */
function zdenseApply(P: Dense, trans: "N" | "T" | "C", x: Float64Array): { want: Float64Array; scale: Float64Array } {
  const t = trans !== "N";
  const nOut = t ? P.cols : P.rows;
  const nIn = t ? P.rows : P.cols;
  const want = new Float64Array(2 * nOut);
  const scale = new Float64Array(nOut);
  for (let i = 0; i < nOut; i++) {
    for (let j = 0; j < nIn; j++) {
      const o = 2 * (t ? j * P.cols + i : i * P.cols + j);
      const ar = P.data[o];
      const ai = trans === "C" ? -P.data[o + 1] : P.data[o + 1];
      const xr = x[2 * j];
      const xi = x[2 * j + 1];
      want[2 * i] += ar * xr - ai * xi;
      want[2 * i + 1] += ar * xi + ai * xr;
      scale[i] += Math.hypot(ar, ai) * Math.hypot(xr, xi);
    }
  }
  return { want, scale };
}

function expectClose(got: Float64Array, want: Float64Array, scale: Float64Array, w: 1 | 2): void {
  expect(got.length).toBeGreaterThanOrEqual(want.length);
  for (let k = 0; k < want.length; k++) {
    const err = Math.abs(got[k] - want[k]);
    // 2·scale for complex: each real part is bounded by the sum of the two real products' magnitudes.
    const tol = RTOL * w * scale[Math.floor(k / w)];
    if (!(err <= tol)) throw new Error(`element ${k}: got ${got[k]}, want ${want[k]} (|err| ${err}, tol ${tol})`);
  }
}

/** K factors of shapes rows[k] × cols[k] in 1..maxDim, random entries from a seed. */
const shapes = (maxK: number, maxDim = 4) =>
  fc.integer({ min: 1, max: maxK }).chain((K) =>
    fc.record({
      K: fc.constant(K),
      rows: fc.array(fc.integer({ min: 1, max: maxDim }), { minLength: K, maxLength: K }),
      cols: fc.array(fc.integer({ min: 1, max: maxDim }), { minLength: K, maxLength: K }),
      seed: fc.integer(),
    }),
  );

function randomFactors(rows: number[], cols: number[], w: 1 | 2, rnd: () => number): Dense[] {
  return rows.map((r, k) => ({
    rows: r,
    cols: cols[k],
    data: Float64Array.from({ length: w * r * cols[k] }, () => 2 * rnd() - 1),
  }));
}

describe("dkronmv vs the explicitly formed Kronecker product", () => {
  const realProperty = (maxK: number, maxDim: number) =>
    fc.property(shapes(maxK, maxDim), fc.constantFrom("N" as const, "T" as const), ({ K, rows, cols, seed }, trans) => {
      const rnd = mulberry32(seed);
      const F = randomFactors(rows, cols, 1, rnd);
      const P = kronAll(F, 1);
      const t = trans === "T";
      const nIn = t ? P.rows : P.cols;
      const nOut = t ? P.cols : P.rows;
      const x = Float64Array.from({ length: nIn }, () => 2 * rnd() - 1);
      const xCopy = x.slice();
      const y = new Float64Array(nOut + 3).fill(Number.NaN);
      const r = Int32Array.from(rows);
      const c = Int32Array.from(cols);
      const work = new Float64Array(kronWorkSize(K, r, c)).fill(Number.NaN);
      dkronmv(
        trans,
        K,
        r,
        c,
        F.map((f) => f.data),
        x,
        y,
        work,
      );
      const { want, scale } = denseApply(P, t, x);
      expectClose(y, want, scale, 1);
      for (let k = nOut; k < y.length; k++) expect(y[k]).toBeNaN(); // nothing written past y
      expect(x).toEqual(xCopy); // x is input only
    });

  it("matches op(A1 ⊗ … ⊗ AK)·x for K = 1..4, rectangular factors, 'N' and 'T'", () => {
    fc.assert(realProperty(4, 4), { numRuns: 300, seed: 314 });
  });

  it("matches for larger factors (dimensions 1..9: every 4 × 2 block remainder)", () => {
    fc.assert(realProperty(2, 9), { numRuns: 200, seed: 159 });
  });

  it("the test's kron helper agrees with ml-matrix kroneckerProduct", () => {
    fc.assert(
      fc.property(shapes(3), ({ rows, cols, seed }) => {
        const F = randomFactors(rows, cols, 1, mulberry32(seed));
        const P = kronAll(F, 1);
        const toMatrix = (d: Dense) =>
          new Matrix(
            Array.from({ length: d.rows }, (_, i) => Array.from(d.data.subarray(i * d.cols, (i + 1) * d.cols))),
          );
        const Q = F.slice(1).reduce((acc, f) => acc.kroneckerProduct(toMatrix(f)), toMatrix(F[0]));
        expect(Q.rows).toBe(P.rows);
        expect(Q.columns).toBe(P.cols);
        const q = Q.to1DArray();
        for (let k = 0; k < q.length; k++) expect(Math.abs(q[k] - P.data[k])).toBeLessThanOrEqual(1e-15);
      }),
      { numRuns: 50, seed: 2 },
    );
  });

  it("follows the numpy.kron index order on a hand-checked example", () => {
    const rows = Int32Array.of(2, 3);
    const cols = Int32Array.of(2, 3);
    const A = Float64Array.of(1, 2, 3, 4);
    const B = Float64Array.of(1, 0, 0, 0, 2, 0, 0, 0, 3);
    const y = new Float64Array(6);
    dkronmv("N", 2, rows, cols, [A, B], new Float64Array(6).fill(1), y, new Float64Array(kronWorkSize(2, rows, cols)));
    expect(Array.from(y)).toEqual([3, 6, 9, 7, 14, 21]);
  });

  it("zero-size factors: an empty output is left alone, an empty input gives y = 0", () => {
    const w = new Float64Array(64);
    const y = Float64Array.of(5, 5);
    dkronmv(
      "N",
      2,
      Int32Array.of(0, 2),
      Int32Array.of(3, 2),
      [new Float64Array(0), new Float64Array(4)],
      new Float64Array(6),
      y,
      w,
    );
    expect(Array.from(y)).toEqual([5, 5]);
    dkronmv(
      "N",
      2,
      Int32Array.of(1, 2),
      Int32Array.of(0, 2),
      [new Float64Array(0), new Float64Array(4)],
      new Float64Array(0),
      y,
      w,
    );
    expect(Array.from(y)).toEqual([0, 0]);
    dkronmv("T", 0, Int32Array.of(), Int32Array.of(), [], new Float64Array(0), y, w);
    expect(Array.from(y)).toEqual([0, 0]);
  });

  it("throws RangeError on invalid sizes", () => {
    const rows = Int32Array.of(2, 2);
    const cols = Int32Array.of(3, 3);
    const F = [new Float64Array(6), new Float64Array(6)];
    const x = new Float64Array(9);
    const y = new Float64Array(4);
    const work = new Float64Array(kronWorkSize(2, rows, cols));
    expect(() => dkronmv("N", 2, rows, cols, F, x, y, work)).not.toThrow();
    expect(() => dkronmv("N", 2, rows, cols, F, new Float64Array(8), y, work)).toThrow(/dkronmv: x too short/);
    expect(() => dkronmv("N", 2, rows, cols, F, x, new Float64Array(3), work)).toThrow(RangeError);
    expect(() => dkronmv("T", 2, rows, cols, F, x, y, work)).toThrow(RangeError); // x needs 4, y needs 9
    // "N" needs two 2×3 intermediates (12); kronWorkSize adds room for a transposed factor (for "T").
    expect(() => dkronmv("N", 2, rows, cols, F, x, y, new Float64Array(11))).toThrow(/work too short/);
    expect(() => dkronmv("T", 2, rows, cols, F, y.subarray(0, 4), x, new Float64Array(work.length - 1))).toThrow(
      /work too short/,
    );
    expect(() => dkronmv("T", 2, rows, cols, F, y.subarray(0, 4), x, work)).not.toThrow();
    expect(() => dkronmv("N", 2, rows, cols, [F[0]], x, y, work)).toThrow(/too few factors/);
    expect(() => dkronmv("N", 2, rows, cols, [F[0], new Float64Array(5)], x, y, work)).toThrow(/factor 1 too short/);
    expect(() => dkronmv("N", 3, rows, cols, F, x, y, work)).toThrow(/dimension arrays too short/);
    expect(() => dkronmv("N", 1, Int32Array.of(-1), cols, F, x, y, work)).toThrow(/negative dimension/);
    expect(() => dkronmv("X" as "N", 2, rows, cols, F, x, y, work)).toThrow(/invalid trans/);
  });

  it("fits the KernelSet member signature", () => {
    const member: KernelSet["dkronmv"] = dkronmv;
    expect(member).toBe(dkronmv);
  });
});

describe("zkronmv vs the explicitly formed complex Kronecker product", () => {
  it("matches op(A1 ⊗ … ⊗ AK)·x for K = 1..4 with op = N, T, C", () => {
    fc.assert(
      fc.property(
        shapes(4),
        fc.constantFrom("N" as const, "T" as const, "C" as const),
        ({ K, rows, cols, seed }, trans) => {
          const rnd = mulberry32(seed);
          const F = randomFactors(rows, cols, 2, rnd);
          const P = kronAll(F, 2);
          const t = trans !== "N";
          const nIn = t ? P.rows : P.cols;
          const nOut = t ? P.cols : P.rows;
          const x = Float64Array.from({ length: 2 * nIn }, () => 2 * rnd() - 1);
          const y = new Float64Array(2 * nOut + 2).fill(Number.NaN);
          const r = Int32Array.from(rows);
          const c = Int32Array.from(cols);
          const work = new Float64Array(zkronWorkSize(K, r, c)).fill(Number.NaN);
          zkronmv(
            trans,
            K,
            r,
            c,
            F.map((f) => f.data),
            x,
            y,
            work,
          );
          const { want, scale } = zdenseApply(P, trans, x);
          expectClose(y, want, scale, 2);
          expect(y[2 * nOut]).toBeNaN();
          expect(y[2 * nOut + 1]).toBeNaN();
        },
      ),
      { numRuns: 300, seed: 2718 },
    );
  });

  it("conjugates for 'C' only (hand-checked)", () => {
    const rows = Int32Array.of(1, 1);
    const cols = Int32Array.of(1, 2);
    const F = [Float64Array.of(0, 1), Float64Array.of(1, 0, 2, 0)];
    const work = new Float64Array(zkronWorkSize(2, rows, cols));
    const y = new Float64Array(4);
    zkronmv("C", 2, rows, cols, F, Float64Array.of(1, 0), y, work);
    expect(Array.from(y)).toEqual([0, -1, 0, -2]);
    zkronmv("T", 2, rows, cols, F, Float64Array.of(1, 0), y, work);
    expect(Array.from(y)).toEqual([0, 1, 0, 2]);
    const z = new Float64Array(2);
    zkronmv("N", 2, rows, cols, F, Float64Array.of(1, 0, 0, 1), z, work); // i·(1·1 + 2·i) = -2 + i
    expect(Array.from(z)).toEqual([-2, 1]);
  });

  it("throws RangeError on invalid sizes", () => {
    const rows = Int32Array.of(2);
    const cols = Int32Array.of(2);
    const work = new Float64Array(zkronWorkSize(1, rows, cols));
    expect(() =>
      zkronmv("N", 1, rows, cols, [new Float64Array(4)], new Float64Array(4), new Float64Array(4), work),
    ).toThrow(/zkronmv: factor 0 too short/);
    expect(() =>
      zkronmv("C", 1, rows, cols, [new Float64Array(8)], new Float64Array(3), new Float64Array(4), work),
    ).toThrow(/x too short/);
    expect(() =>
      zkronmv("H" as "C", 1, rows, cols, [new Float64Array(8)], new Float64Array(4), new Float64Array(4), work),
    ).toThrow(/invalid trans/);
  });
});
