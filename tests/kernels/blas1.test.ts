import fc from "fast-check";
import { Matrix } from "ml-matrix";
import { describe, expect, it } from "vitest";
import {
  dasum,
  dasumOffset,
  daxpy,
  daxpyOffset,
  dcopy,
  dcopyOffset,
  ddot,
  ddotOffset,
  dnrm2,
  dnrm2Offset,
  dscal,
  dscalOffset,
  idamax,
  idamaxOffset,
} from "../../src/kernels/blas1.js";
import { expectClose, expectUntouched, gather, lcg, randomArray, stridedVector } from "./reference.js";

// Half the cases use unit stride, so the unrolled fast paths are exercised as often as the generic ones.
const stride = fc.oneof(fc.constant(1), fc.constantFrom(-3, -2, -1, 2, 3));
const base = fc.integer({ min: 0, max: 3 });
const seed = fc.integer({ min: 0, max: 0x7fffffff });
const size = fc.integer({ min: -2, max: 40 });
const scalar = fc.oneof(fc.constant(0), fc.constant(1), fc.double({ min: -3, max: 3, noNaN: true }));

/** One vector case: size, x layout, y layout, data seed. */
const twoVectors = fc.record({ N: size, sx: stride, bx: base, sy: stride, by: base, seed });
const oneVector = fc.record({ N: size, sx: stride, bx: base, seed });

/** Array positions of the N logical elements (to check nothing else is written). */
function positions(N: number, s: number, offset: number): Set<number> {
  const out = new Set<number>();
  for (let i = 0; i < N; i++) out.add(offset + i * s);
  return out;
}

function rowVector(v: Float64Array): Matrix {
  return Matrix.rowVector(Array.from(v));
}

describe("ddot", () => {
  it("matches the naive sum and ml-matrix; BLAS form equals the offset form", () => {
    fc.assert(
      fc.property(twoVectors, ({ N, sx, bx, sy, by, seed }) => {
        const rng = lcg(seed);
        const x = stridedVector(rng, N, sx, bx);
        const y = stridedVector(rng, N, sy, by);
        const got = ddotOffset(N, x.data, sx, x.offset, y.data, sy, y.offset);
        const gx = gather(N, x.data, sx, x.offset);
        const gy = gather(N, y.data, sy, y.offset);
        let want = 0;
        let scale = 0;
        for (let i = 0; i < gx.length; i++) {
          want += gx[i] * gy[i];
          scale += Math.abs(gx[i] * gy[i]);
        }
        expectClose([got], [want], [scale]);
        if (N > 0) expectClose([got], [rowVector(gx).dot(rowVector(gy))], [scale]);
        else expect(got).toBe(0);
        expect(ddot(N, x.data.subarray(bx), sx, y.data.subarray(by), sy)).toBe(got);
      }),
    );
  });

  it("uses the shared-index fast path and the offset path consistently", () => {
    const rng = lcg(7);
    const x = stridedVector(rng, 37, 1, 0).data;
    const shifted = new Float64Array(x.length + 3);
    shifted.set(x, 3);
    expect(ddotOffset(37, x, 1, 0, shifted, 1, 3)).toBe(ddotOffset(37, x, 1, 0, x, 1, 0));
  });

  it("throws RangeError when a vector does not fit its array", () => {
    const x = new Float64Array(4);
    expect(() => ddotOffset(3, x, 2, 0, x, 1, 0)).toThrow(RangeError);
    expect(() => ddotOffset(3, x, -1, 1, x, 1, 0)).toThrow(/does not fit/);
    expect(() => ddot(5, x, 1, x, 1)).toThrow(RangeError);
  });
});

describe("daxpy", () => {
  it("updates exactly the strided elements of y", () => {
    fc.assert(
      fc.property(twoVectors, scalar, ({ N, sx, bx, sy, by, seed }, alpha) => {
        const rng = lcg(seed);
        const x = stridedVector(rng, N, sx, bx);
        const y = stridedVector(rng, N, sy, by);
        const gx = gather(N, x.data, sx, x.offset);
        const gy = gather(N, y.data, sy, y.offset);
        const blasY = y.data.slice();
        const before = y.data.slice();
        daxpyOffset(N, alpha, x.data, sx, x.offset, y.data, sy, y.offset);
        const want = gy.map((v, i) => v + alpha * gx[i]);
        const scale = gy.map((v, i) => Math.abs(v) + Math.abs(alpha * gx[i]));
        expectClose(gather(N, y.data, sy, y.offset), want, scale, 1e-15);
        expectUntouched(y.data, before, positions(N, sy, y.offset));
        daxpy(N, alpha, x.data.subarray(bx), sx, blasY.subarray(by), sy);
        expect(blasY).toEqual(y.data);
      }),
    );
  });

  it("gives the same result through the shared-index and the shifted-index fast paths", () => {
    const x = randomArray(lcg(3), 37);
    const y = randomArray(lcg(4), 37);
    const same = y.slice();
    daxpyOffset(37, 0.3, x, 1, 0, same, 1, 0);
    const shifted = new Float64Array(y.length + 2);
    shifted.set(y, 2);
    daxpyOffset(37, 0.3, x, 1, 0, shifted, 1, 2);
    expect(shifted.subarray(2)).toEqual(same);
    expectClose(
      same,
      y.map((v, i) => v + 0.3 * x[i]),
      y.map((v, i) => Math.abs(v) + Math.abs(0.3 * x[i])),
      1e-15,
    );
  });

  it("does not read x when alpha = 0", () => {
    const x = new Float64Array(5).fill(Number.NaN);
    const y = new Float64Array([1, 2, 3, 4, 5]);
    daxpyOffset(5, 0, x, 1, 0, y, 1, 0);
    expect(Array.from(y)).toEqual([1, 2, 3, 4, 5]);
  });
});

describe("dscal", () => {
  it("scales exactly the strided elements", () => {
    fc.assert(
      fc.property(oneVector, scalar, ({ N, sx, bx, seed }, alpha) => {
        const x = stridedVector(lcg(seed), N, sx, bx);
        const gx = gather(N, x.data, sx, x.offset);
        const before = x.data.slice();
        const blas = x.data.slice();
        dscalOffset(N, alpha, x.data, sx, x.offset);
        // alpha = 0 writes +0 rather than computing 0·v (which is -0 for negative v).
        expect(gather(N, x.data, sx, x.offset)).toEqual(gx.map((v) => (alpha === 0 ? 0 : alpha * v)));
        expectUntouched(x.data, before, positions(N, sx, x.offset));
        dscal(N, alpha, blas.subarray(bx), sx);
        expect(blas).toEqual(x.data);
      }),
    );
  });

  it("alpha = 0 writes zeros without reading (NaN does not survive)", () => {
    const x = new Float64Array([Number.NaN, Number.POSITIVE_INFINITY, 3]);
    dscal(3, 0, x, 1);
    expect(Array.from(x)).toEqual([0, 0, 0]);
  });
});

/** Overflow-free reference: scale by the largest magnitude first. */
function referenceNorm(v: Float64Array): number {
  let m = 0;
  for (const a of v) m = Math.max(m, Math.abs(a));
  if (m === 0) return 0;
  let s = 0;
  for (const a of v) s += (a / m) ** 2;
  return m * Math.sqrt(s);
}

describe("dnrm2", () => {
  it("matches a scaled reference and ml-matrix on random vectors", () => {
    fc.assert(
      fc.property(oneVector, ({ N, sx, bx, seed }) => {
        const x = stridedVector(lcg(seed), N, sx, bx);
        const got = dnrm2Offset(N, x.data, sx, x.offset);
        const gx = gather(N, x.data, sx, x.offset);
        const want = referenceNorm(gx);
        expectClose([got], [want], [want], 1e-14);
        if (N > 0) expectClose([got], [rowVector(gx).norm("frobenius")], [want], 1e-14);
        expect(dnrm2(N, x.data.subarray(bx), sx)).toBe(got);
      }),
    );
  });

  it("is homogeneous under power-of-two scaling far into overflow/underflow range", () => {
    fc.assert(
      fc.property(oneVector, fc.integer({ min: -950, max: 950 }), ({ N, sx, bx, seed }, k) => {
        const x = stridedVector(lcg(seed), N, sx, bx);
        const c = 2 ** k;
        const scaled = x.data.map((v) => v * c);
        const plain = dnrm2Offset(N, x.data, sx, x.offset);
        // Scaling by a power of two is exact, so only the algorithm's own rounding differs.
        expectClose([dnrm2Offset(N, scaled, sx, x.offset)], [plain * c], [plain * c], 1e-14);
      }),
    );
  });

  it("handles huge, tiny and mixed magnitudes, NaN and Infinity", () => {
    const cases = [
      [3e200, 4e200],
      [3e-200, 4e-200],
      [1e-300, 1, 1e-300],
      [1e300, 1e-300],
      [1e-155, 2e-154], // small and medium accumulators both active
      [1e-155, 1e-170, 3e-160], // small only
      [1e300, 3, 1e-300], // big and medium
      [2 ** 486, 2 ** 487, 2 ** -511, 2 ** -512], // right at the thresholds
    ];
    for (const c of cases) {
      const v = new Float64Array(c);
      const want = referenceNorm(v);
      expectClose([dnrm2(v.length, v, 1)], [want], [want], 1e-15);
    }
    expect(dnrm2(2, new Float64Array([Number.NaN, 1]), 1)).toBeNaN();
    expect(dnrm2(2, new Float64Array([Number.NaN, 1e300]), 1)).toBeNaN();
    expect(dnrm2(2, new Float64Array([Number.NaN, 1e-300]), 1)).toBeNaN();
    expect(dnrm2(2, new Float64Array([Number.NEGATIVE_INFINITY, 1]), 1)).toBe(Number.POSITIVE_INFINITY);
    expect(dnrm2(0, new Float64Array(0), 1)).toBe(0);
    expect(dnrm2(3, new Float64Array(3), 1)).toBe(0);
    expect(dnrm2(1, new Float64Array([Number.MIN_VALUE]), 1)).toBe(Number.MIN_VALUE);
  });
});

describe("dcopy", () => {
  it("copies exactly the strided elements", () => {
    fc.assert(
      fc.property(twoVectors, ({ N, sx, bx, sy, by, seed }) => {
        const rng = lcg(seed);
        const x = stridedVector(rng, N, sx, bx);
        const y = stridedVector(rng, N, sy, by);
        const before = y.data.slice();
        const blas = y.data.slice();
        dcopyOffset(N, x.data, sx, x.offset, y.data, sy, y.offset);
        expect(gather(N, y.data, sy, y.offset)).toEqual(gather(N, x.data, sx, x.offset));
        expectUntouched(y.data, before, positions(N, sy, y.offset));
        dcopy(N, x.data.subarray(bx), sx, blas.subarray(by), sy);
        expect(blas).toEqual(y.data);
      }),
    );
  });
});

describe("dasum", () => {
  it("matches the naive sum and ml-matrix", () => {
    fc.assert(
      fc.property(oneVector, ({ N, sx, bx, seed }) => {
        const x = stridedVector(lcg(seed), N, sx, bx);
        const gx = gather(N, x.data, sx, x.offset);
        const got = dasumOffset(N, x.data, sx, x.offset);
        const want = gx.reduce((s, v) => s + Math.abs(v), 0);
        expectClose([got], [want], [want]);
        if (N > 0) expectClose([got], [rowVector(gx).abs().sum()], [want]);
        expect(dasum(N, x.data.subarray(bx), sx)).toBe(got);
      }),
    );
  });
});

describe("idamax", () => {
  it("finds the first largest magnitude like ml-matrix; -1 when N <= 0", () => {
    fc.assert(
      fc.property(oneVector, ({ N, sx, bx, seed }) => {
        const x = stridedVector(lcg(seed), N, sx, bx);
        const gx = gather(N, x.data, sx, x.offset);
        const got = idamaxOffset(N, x.data, sx, x.offset);
        let want = N > 0 ? 0 : -1;
        for (let i = 1; i < gx.length; i++) if (Math.abs(gx[i]) > Math.abs(gx[want])) want = i;
        expect(got).toBe(want);
        if (N > 0) expect(rowVector(gx).abs().maxIndex()[1]).toBe(got);
        expect(idamax(N, x.data.subarray(bx), sx)).toBe(got);
      }),
    );
  });

  it("breaks ties by the first index and counts in walk order for negative strides", () => {
    expect(idamax(4, new Float64Array([1, -3, 3, 2]), 1)).toBe(1);
    // Walk order with stride -1 is [2, 3, -3, 1]: the 3 comes first at index 1.
    expect(idamax(4, new Float64Array([1, -3, 3, 2]), -1)).toBe(1);
    expect(idamax(0, new Float64Array(0), 1)).toBe(-1);
    expect(idamaxOffset(-1, new Float64Array(0), 1, 0)).toBe(-1);
  });
});
