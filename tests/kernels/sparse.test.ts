import fc from "fast-check";
import { Matrix } from "ml-matrix";
import { describe, expect, it } from "vitest";
import type { KernelSet } from "../../src/kernels/kernel_set.js";
import {
  dcoo2csr,
  dcscmv,
  dcscmvOffset,
  dcscmvT,
  dcscmvTOffset,
  dcsrmm,
  dcsrmmOffset,
  dcsrmv,
  dcsrmvOffset,
  dcsrmvT,
  dcsrmvTOffset,
} from "../../src/kernels/sparse.js";
import { mulberry32 } from "../helpers/random.js";

// Every product is checked against a dense reference built from the same (row, col, value)
// triples. Tolerance: each output is a sum of at most ~40 products, so the rounding error of any
// summation order is below 40·2⁻⁵³·Σ|terms| ≈ 5e-15·Σ|terms|; 1e-12·Σ|terms| is loose enough
// for that yet catches any wrong or missing term (a missing term of size ≥ 1e-12·Σ|terms|).
// ABS_FLOOR covers products that underflow into subnormals, where rounding depends on whether
// alpha multiplies before or after the sum (fast-check likes values such as 1e-272).
const RTOL = 1e-12;
const ABS_FLOOR = 1e-300;
const RUNS = { numRuns: 300, seed: 20240611 };

type Entry = readonly [row: number, col: number, value: number];

interface Sparse {
  M: number;
  N: number;
  entries: readonly Entry[];
}

const value = fc.double({ min: -8, max: 8, noNaN: true, noDefaultInfinity: true });

/**
 * A random M × N pattern: random density, empty rows and columns, duplicates, any entry order.
 * `size: "max"` lets the entry count really reach `maxNnz` (fast-check's default size would keep
 * arrays around ten entries, too few to reach the long-row code paths).
 */
function arbSparse(maxM: number, maxN: number, maxNnz: number): fc.Arbitrary<Sparse> {
  return fc.tuple(fc.integer({ min: 0, max: maxM }), fc.integer({ min: 0, max: maxN })).chain(([M, N]) =>
    fc.record({
      M: fc.constant(M),
      N: fc.constant(N),
      entries:
        M > 0 && N > 0
          ? fc.array(fc.tuple(fc.integer({ min: 0, max: M - 1 }), fc.integer({ min: 0, max: N - 1 }), value), {
              maxLength: maxNnz,
              size: "max",
            })
          : fc.constant([] as Entry[]),
    }),
  );
}

/** Compressed storage along `major` (0 = rows → CSR, 1 = columns → CSC), entries kept in input order, duplicates kept. */
function compress(s: Sparse, major: 0 | 1): { ptr: Int32Array; idx: Int32Array; values: Float64Array } {
  const n = major === 0 ? s.M : s.N;
  const ptr = new Int32Array(n + 1);
  for (const e of s.entries) ptr[e[major] + 1]++;
  for (let i = 0; i < n; i++) ptr[i + 1] += ptr[i];
  const next = ptr.slice(0, n);
  const idx = new Int32Array(s.entries.length);
  const values = new Float64Array(s.entries.length);
  for (const e of s.entries) {
    const k = next[e[major]]++;
    idx[k] = e[1 - major];
    values[k] = e[2];
  }
  return { ptr, idx, values };
}

/** Dense row-major M × N with duplicates summed. */
function dense(s: Sparse): Float64Array {
  const A = new Float64Array(s.M * s.N);
  for (const [r, c, v] of s.entries) A[r * s.N + c] += v;
  return A;
}

/**
 * Σ|v| over the duplicates at each position: the error scale. Kernels add duplicates one product
 * at a time, so cancelling duplicates (v and ≈ −v) bound the error by |v|·|x|, not |Σv|·|x|.
 */
function denseAbs(s: Sparse): Float64Array {
  const A = new Float64Array(s.M * s.N);
  for (const [r, c, v] of s.entries) A[r * s.N + c] += Math.abs(v);
  return A;
}

/** Strided storage of a logical vector; unused slots hold `fill`. Offset-form layout. */
interface Placed {
  data: Float64Array;
  stride: number;
  offset: number;
}

function place(logical: Float64Array, stride: number, pad: number, fill: number): Placed {
  const n = logical.length;
  const span = n > 0 ? (n - 1) * Math.abs(stride) + 1 : 0;
  const offset = pad + (stride < 0 && n > 0 ? (n - 1) * -stride : 0);
  const data = new Float64Array(pad + span + 2).fill(fill);
  for (let i = 0; i < n; i++) data[offset + i * stride] = logical[i];
  return { data, stride, offset };
}

function gatherLogical(p: Placed, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = p.data[p.offset + i * p.stride];
  return out;
}

function randomVector(n: number, rnd: () => number): Float64Array {
  return Float64Array.from({ length: n }, () => 4 * rnd() - 2);
}

/** want[i] and the absolute scale Σ|terms| for y = alpha·op(A)·x + beta·y0 (dense, op = A or Aᵀ). */
function reference(
  s: Sparse,
  trans: boolean,
  alpha: number,
  x: Float64Array,
  beta: number,
  y0: Float64Array,
): { want: Float64Array; scale: Float64Array } {
  const { M, N } = s;
  const A = dense(s);
  const absA = denseAbs(s);
  const nOut = trans ? N : M;
  const nIn = trans ? M : N;
  const want = new Float64Array(nOut);
  const scale = new Float64Array(nOut);
  for (let i = 0; i < nOut; i++) {
    let s = 0;
    let a = 0;
    for (let j = 0; j < nIn; j++) {
      const p = trans ? j * N + i : i * N + j;
      s += A[p] * x[j];
      a += absA[p] * Math.abs(x[j]);
    }
    const yTerm = beta === 0 ? 0 : beta * y0[i];
    want[i] = alpha * s + yTerm;
    scale[i] = Math.abs(alpha) * a + Math.abs(yTerm);
  }
  return { want, scale };
}

function expectClose(got: Float64Array, want: Float64Array, scale: Float64Array): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const err = Math.abs(got[i] - want[i]);
    if (!(err <= RTOL * scale[i] + ABS_FLOOR)) {
      throw new Error(`element ${i}: got ${got[i]}, want ${want[i]} (|err| ${err}, scale ${scale[i]})`);
    }
  }
}

/** Every slot of `data` outside the logical vector still holds `fill`. */
function expectUntouched(p: Placed, n: number, fill: number): void {
  const used = new Set<number>();
  for (let i = 0; i < n; i++) used.add(p.offset + i * p.stride);
  for (let k = 0; k < p.data.length; k++) {
    if (!used.has(k)) expect(p.data[k]).toBe(fill);
  }
}

const stride = fc.integer({ min: -3, max: 3 }).filter((s) => s !== 0);
const scalar = fc.oneof(fc.constant(0), fc.constant(1), value);

const vectorCase = fc.record({
  sparse: arbSparse(9, 9, 40),
  sx: stride,
  sy: stride,
  padX: fc.integer({ min: 0, max: 3 }),
  padY: fc.integer({ min: 0, max: 3 }),
  alpha: scalar,
  beta: scalar,
  seed: fc.integer(),
});

type VectorKernel = typeof dcsrmvOffset;

/**
 * Runs one offset-form matrix–vector kernel on a placed x and y and checks it against the dense
 * reference; beta = 0 puts NaN in y and alpha = 0 puts NaN in x, which must not leak.
 */
function checkVectorKernel(
  kernel: VectorKernel,
  major: 0 | 1,
  trans: boolean,
  c: {
    sparse: Sparse;
    sx: number;
    sy: number;
    padX: number;
    padY: number;
    alpha: number;
    beta: number;
    seed: number;
  },
): void {
  const { M, N } = c.sparse;
  const rnd = mulberry32(c.seed);
  const nIn = trans ? M : N;
  const nOut = trans ? N : M;
  const x = randomVector(nIn, rnd);
  const y0 = randomVector(nOut, rnd);
  const px = place(c.alpha === 0 ? new Float64Array(nIn).fill(Number.NaN) : x, c.sx, c.padX, 7);
  const py = place(c.beta === 0 ? new Float64Array(nOut).fill(Number.NaN) : y0, c.sy, c.padY, 9);
  const { ptr, idx, values } = compress(c.sparse, major);
  kernel(M, N, c.alpha, ptr, idx, values, px.data, px.stride, px.offset, c.beta, py.data, py.stride, py.offset);
  const { want, scale } = reference(c.sparse, trans, c.alpha, x, c.beta, y0);
  expectClose(gatherLogical(py, nOut), want, scale);
  expectUntouched(py, nOut, 9);
}

describe("CSR / CSC matrix–vector products vs a dense reference", () => {
  it("dcsrmvOffset: y = alpha A x + beta y (strides, offsets, beta = 0 with NaN y, alpha = 0 with NaN x)", () => {
    fc.assert(
      fc.property(vectorCase, (c) => checkVectorKernel(dcsrmvOffset, 0, false, c)),
      RUNS,
    );
  });

  it("dcsrmvTOffset: y = alpha Aᵀ x + beta y", () => {
    fc.assert(
      fc.property(vectorCase, (c) => checkVectorKernel(dcsrmvTOffset, 0, true, c)),
      RUNS,
    );
  });

  it("dcscmvOffset: y = alpha A x + beta y for CSC storage", () => {
    fc.assert(
      fc.property(vectorCase, (c) => checkVectorKernel(dcscmvOffset, 1, false, c)),
      RUNS,
    );
  });

  it("dcscmvTOffset: y = alpha Aᵀ x + beta y for CSC storage", () => {
    fc.assert(
      fc.property(vectorCase, (c) => checkVectorKernel(dcscmvTOffset, 1, true, c)),
      RUNS,
    );
  });

  it("BLAS forms start negative strides at the far end", () => {
    const forms: [typeof dcsrmv, 0 | 1, boolean][] = [
      [dcsrmv, 0, false],
      [dcsrmvT, 0, true],
      [dcscmv, 1, false],
      [dcscmvT, 1, true],
    ];
    fc.assert(
      fc.property(vectorCase, (c) => {
        for (const [kernel, major, trans] of forms) {
          // Pad 0 makes `place` put element 0 exactly where the BLAS convention expects it.
          const noPad = { ...c, padX: 0, padY: 0 };
          checkVectorKernel(
            (M, N, alpha, p, i, v, x, sx, _ox, beta, y, sy, _oy) => kernel(M, N, alpha, p, i, v, x, sx, beta, y, sy),
            major,
            trans,
            noPad,
          );
        }
      }),
      { numRuns: 150, seed: 7 },
    );
  });

  it("agrees with ml-matrix on a dense product of the same matrix", () => {
    fc.assert(
      fc.property(arbSparse(12, 12, 60), fc.integer(), (s, seed) => {
        fc.pre(s.M > 0 && s.N > 0);
        const x = randomVector(s.N, mulberry32(seed));
        const { ptr, idx, values } = compress(s, 0);
        const y = new Float64Array(s.M);
        dcsrmv(s.M, s.N, 1, ptr, idx, values, x, 1, 0, y, 1);
        const A = new Matrix(s.M, s.N);
        const absA = new Matrix(s.M, s.N);
        for (const [r, c, v] of s.entries) {
          A.set(r, c, A.get(r, c) + v);
          absA.set(r, c, absA.get(r, c) + Math.abs(v));
        }
        const want = A.mmul(Matrix.columnVector(x)).getColumn(0);
        const scale = absA.mmul(Matrix.columnVector(x.map(Math.abs))).getColumn(0);
        expectClose(y, Float64Array.from(want), Float64Array.from(scale));
      }),
      { numRuns: 100, seed: 11 },
    );
  });

  it("long rows exercise the unrolled loop and its tail (row lengths 0..37)", () => {
    const rnd = mulberry32(5);
    const M = 38;
    const N = 50;
    const entries: Entry[] = [];
    for (let r = 0; r < M; r++) for (let k = 0; k < r; k++) entries.push([r, Math.floor(rnd() * N), 2 * rnd() - 1]);
    const s = { M, N, entries };
    checkVectorKernel(dcsrmvOffset, 0, false, {
      sparse: s,
      sx: 1,
      sy: 1,
      padX: 0,
      padY: 0,
      alpha: 1.5,
      beta: 0,
      seed: 3,
    });
    // The transpose stored by columns has the same long compressed lines, now walked by the CSC gather.
    const t = { M: N, N: M, entries: entries.map(([r, c, v]): Entry => [c, r, v]) };
    checkVectorKernel(dcscmvTOffset, 1, true, {
      sparse: t,
      sx: 1,
      sy: 1,
      padX: 0,
      padY: 0,
      alpha: -1,
      beta: 2,
      seed: 4,
    });
  });

  it("M <= 0 / N <= 0: nothing to write, or y <- beta y for the empty sum", () => {
    const ptr = new Int32Array(4);
    const idx = new Int32Array(0);
    const values = new Float64Array(0);
    const x = new Float64Array(0);
    const y = Float64Array.of(1, 2, 3);
    dcsrmv(0, 3, 1, ptr, idx, values, x, 1, 5, y, 1);
    dcsrmv(-2, 3, 1, ptr, idx, values, x, 1, 5, y, 1);
    expect(Array.from(y)).toEqual([1, 2, 3]);
    dcsrmv(3, 0, 1, ptr, idx, values, x, 1, 2, y, 1);
    expect(Array.from(y)).toEqual([2, 4, 6]);
    dcsrmvT(0, 3, 1, ptr, idx, values, x, 1, 0, y, 1);
    expect(Array.from(y)).toEqual([0, 0, 0]);
    y.fill(Number.NaN);
    dcscmv(3, 0, 1, ptr, idx, values, x, 1, 0, y, 1);
    expect(Array.from(y)).toEqual([0, 0, 0]);
    const z = Float64Array.of(1, 1, 1);
    dcscmvT(0, 3, 1, ptr, idx, values, x, 1, 3, z, 1);
    expect(Array.from(z)).toEqual([3, 3, 3]);
  });

  it("throws RangeError on invalid sizes, never reads past the arrays", () => {
    const ptr = Int32Array.of(0, 1, 2);
    const idx = Int32Array.of(0, 1);
    const values = Float64Array.of(1, 2);
    const x = Float64Array.of(1, 1);
    const y = new Float64Array(2);
    expect(() => dcsrmv(3, 2, 1, ptr, idx, values, x, 1, 0, y, 1)).toThrow(RangeError); // rowPtr too short
    expect(() => dcsrmv(2, 3, 1, ptr, idx, values, x, 1, 0, y, 1)).toThrow(RangeError); // x too short
    expect(() => dcsrmv(2, 2, 1, ptr, idx, values, x, 1, 0, new Float64Array(1), 1)).toThrow(RangeError);
    expect(() => dcsrmv(2, 2, 1, ptr, idx, values, x, 0, 0, y, 1)).toThrow(RangeError); // zero stride
    expect(() => dcsrmvOffset(2, 2, 1, ptr, idx, values, x, 1, 1, 0, y, 1, 0)).toThrow(RangeError); // offset past end
    expect(() => dcsrmv(2, 2, 1, Int32Array.of(0, 1, 3), idx, values, x, 1, 0, y, 1)).toThrow(/dcsrmv: pattern/);
    expect(() => dcscmvT(2, 2, 1, ptr, idx, Float64Array.of(1), x, 1, 0, y, 1)).toThrow(RangeError);
    expect(() => dcsrmvT(2, 2, 1, ptr, idx, values, x, 1, 0, y, 2)).toThrow(RangeError);
  });

  it("the offset forms fit the KernelSet member signature", () => {
    const member: KernelSet["dcsrmv"] = dcsrmvOffset;
    expect(member).toBe(dcsrmvOffset);
  });
});

describe("dcsrmm: C = alpha A B + beta C", () => {
  it("matches the dense product (leading dimensions, offsets, beta = 0 with NaN C, alpha = 0 with NaN B)", () => {
    fc.assert(
      fc.property(
        arbSparse(7, 7, 30),
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: 4 }),
        scalar,
        scalar,
        fc.integer(),
        (s, K, extraB, extraC, off, alpha, beta, seed) => {
          const rnd = mulberry32(seed);
          const { M, N } = s;
          const ldb = K + extraB;
          const ldc = K + extraC;
          const B = new Float64Array(off + N * ldb).map(() => (alpha === 0 ? Number.NaN : 4 * rnd() - 2));
          const C0 = new Float64Array(off + M * ldc).map(() => 4 * rnd() - 2);
          const C = beta === 0 ? C0.map((v, i) => (i >= off && (i - off) % ldc < K ? Number.NaN : v)) : C0.slice();
          const { ptr, idx, values } = compress(s, 0);
          dcsrmmOffset(M, N, K, alpha, ptr, idx, values, B, ldb, off, beta, C, ldc, off);
          const A = dense(s);
          const absA = denseAbs(s);
          for (let i = 0; i < M; i++) {
            for (let p = 0; p < ldc; p++) {
              const got = C[off + i * ldc + p];
              if (p >= K) {
                expect(got).toBe(C0[off + i * ldc + p]); // padding between rows untouched
                continue;
              }
              let sum = 0;
              let abs = 0;
              if (alpha !== 0) {
                for (let j = 0; j < N; j++) {
                  sum += A[i * N + j] * B[off + j * ldb + p];
                  abs += absA[i * N + j] * Math.abs(B[off + j * ldb + p]);
                }
              }
              const yTerm = beta === 0 ? 0 : beta * C0[off + i * ldc + p];
              const want = alpha * sum + yTerm;
              expect(Math.abs(got - want)).toBeLessThanOrEqual(
                RTOL * (Math.abs(alpha) * abs + Math.abs(yTerm)) + ABS_FLOOR,
              );
            }
          }
          for (let k = 0; k < off; k++) expect(C[k]).toBe(C0[k]);
        },
      ),
      { numRuns: 200, seed: 99 },
    );
  });

  it("the BLAS form works at offset 0 and rejects a short leading dimension", () => {
    const rowPtr = Int32Array.of(0, 2, 3);
    const colIdx = Int32Array.of(0, 2, 1);
    const values = Float64Array.of(1, 2, 3);
    const B = Float64Array.of(1, 2, 3, 4, 5, 6); // 3 × 2
    const C = new Float64Array(4);
    dcsrmm(2, 3, 2, 1, rowPtr, colIdx, values, B, 2, 0, C, 2);
    expect(Array.from(C)).toEqual([11, 14, 9, 12]);
    expect(() => dcsrmm(2, 3, 2, 1, rowPtr, colIdx, values, B, 1, 0, C, 2)).toThrow(RangeError);
    expect(() => dcsrmm(2, 3, 2, 1, rowPtr, colIdx, values, B, 2, 0, new Float64Array(3), 2)).toThrow(RangeError);
  });
});

describe("dcoo2csr", () => {
  function checkConversion(s: Sparse, permutationSeed: number): void {
    const { M, N } = s;
    const nnz = s.entries.length;
    // Shuffle so that row order, column order and duplicate positions are all arbitrary.
    const order = s.entries.map((_, k) => k);
    const rnd = mulberry32(permutationSeed);
    for (let k = nnz - 1; k > 0; k--) {
      const j = Math.floor(rnd() * (k + 1));
      [order[k], order[j]] = [order[j], order[k]];
    }
    const rowIdx = Int32Array.from(order, (k) => s.entries[k][0]);
    const colIdx = Int32Array.from(order, (k) => s.entries[k][1]);
    const vals = Float64Array.from(order, (k) => s.entries[k][2]);
    const rowPtr = new Int32Array(M + 1).fill(-5);
    const outCol = new Int32Array(nnz);
    const outVal = new Float64Array(nnz);
    const got = dcoo2csr(M, N, nnz, rowIdx, colIdx, vals, rowPtr, outCol, outVal, new Int32Array(M + 1));

    const distinct = new Set(s.entries.map(([r, c]) => r * N + c));
    expect(got).toBe(distinct.size);
    expect(rowPtr[0]).toBe(0);
    expect(rowPtr[M]).toBe(got);
    const A = new Float64Array(M * N);
    const absSum = new Float64Array(M * N);
    for (const [r, c, v] of s.entries) absSum[r * N + c] += Math.abs(v);
    for (let i = 0; i < M; i++) {
      expect(rowPtr[i + 1]).toBeGreaterThanOrEqual(rowPtr[i]);
      for (let k = rowPtr[i]; k < rowPtr[i + 1]; k++) {
        if (k > rowPtr[i]) expect(outCol[k]).toBeGreaterThan(outCol[k - 1]); // sorted, no duplicates left
        A[i * N + outCol[k]] = outVal[k];
      }
    }
    const want = dense(s);
    for (let p = 0; p < M * N; p++) expect(Math.abs(A[p] - want[p])).toBeLessThanOrEqual(RTOL * absSum[p] + ABS_FLOOR);
  }

  it("sorts columns within rows and sums duplicates (short rows: insertion sort)", () => {
    fc.assert(
      fc.property(arbSparse(10, 10, 60), fc.integer(), (s, seed) => checkConversion(s, seed)),
      RUNS,
    );
  });

  it("sorts long rows (heapsort) with heavy duplication", () => {
    fc.assert(
      fc.property(arbSparse(3, 40, 300), fc.integer(), (s, seed) => checkConversion(s, seed)),
      { numRuns: 100, seed: 42 },
    );
  });

  it("converts a hand-checked example", () => {
    const rowPtr = new Int32Array(3);
    const cols = new Int32Array(4);
    const vals = new Float64Array(4);
    const nnz = dcoo2csr(
      2,
      3,
      4,
      Int32Array.of(1, 0, 1, 1),
      Int32Array.of(2, 1, 2, 0),
      Float64Array.of(5, 1, 2, 3),
      rowPtr,
      cols,
      vals,
      new Int32Array(3),
    );
    expect(nnz).toBe(3);
    expect(Array.from(rowPtr)).toEqual([0, 1, 3]);
    expect(Array.from(cols.subarray(0, 3))).toEqual([1, 0, 2]);
    expect(Array.from(vals.subarray(0, 3))).toEqual([1, 3, 7]);
  });

  it("handles the empty matrix and rejects out-of-range entries and short arrays", () => {
    const rowPtr = new Int32Array(4).fill(7);
    const none = new Int32Array(0);
    expect(
      dcoo2csr(3, 3, 0, none, none, new Float64Array(0), rowPtr, none, new Float64Array(0), new Int32Array(4)),
    ).toBe(0);
    expect(Array.from(rowPtr)).toEqual([0, 0, 0, 0]);
    expect(
      dcoo2csr(
        0,
        0,
        0,
        none,
        none,
        new Float64Array(0),
        new Int32Array(1),
        none,
        new Float64Array(0),
        new Int32Array(1),
      ),
    ).toBe(0);
    const one = (r: number, c: number) => () =>
      dcoo2csr(
        2,
        2,
        1,
        Int32Array.of(r),
        Int32Array.of(c),
        Float64Array.of(1),
        new Int32Array(3),
        new Int32Array(1),
        new Float64Array(1),
        new Int32Array(3),
      );
    expect(one(0, 1)).not.toThrow();
    expect(one(2, 0)).toThrow(/dcoo2csr: entry 0 outside the matrix/);
    expect(one(0, -1)).toThrow(RangeError);
    expect(() =>
      dcoo2csr(
        2,
        2,
        1,
        Int32Array.of(0),
        Int32Array.of(0),
        Float64Array.of(1),
        new Int32Array(2),
        new Int32Array(1),
        new Float64Array(1),
        new Int32Array(3),
      ),
    ).toThrow(/rowPtr too short/);
    expect(() =>
      dcoo2csr(
        2,
        2,
        2,
        Int32Array.of(0, 1),
        Int32Array.of(0, 1),
        Float64Array.of(1, 2),
        new Int32Array(3),
        new Int32Array(1),
        new Float64Array(2),
        new Int32Array(3),
      ),
    ).toThrow(/output arrays too short/);
  });
});
