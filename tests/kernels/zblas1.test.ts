import fc from "fast-check";
import { type Complex, add, complex, dot, dotMultiply, multiply, sum } from "mathjs";
import { describe, expect, it } from "vitest";
import {
  zaxpy,
  zaxpyOffset,
  zdotc,
  zdotcOffset,
  zdotu,
  zdotuOffset,
  zscal,
  zscalOffset,
} from "../../src/kernels/zblas1.js";
import { expectClose, expectUntouched, gather, lcg, stridedVector } from "./reference.js";

// Half the cases use unit stride, so the unrolled fast paths are exercised as often as the generic ones.
const stride = fc.oneof(fc.constant(1), fc.constantFrom(-3, -2, -1, 2, 3));
const base = fc.integer({ min: 0, max: 3 });
const seed = fc.integer({ min: 0, max: 0x7fffffff });
const size = fc.integer({ min: -2, max: 40 });
const part = fc.oneof(fc.constant(0), fc.double({ min: -3, max: 3, noNaN: true }));
const twoVectors = fc.record({ N: size, sx: stride, bx: base, sy: stride, by: base, seed });

function toComplex(v: Float64Array): Complex[] {
  const out: Complex[] = [];
  for (let i = 0; i < v.length; i += 2) out.push(complex(v[i], v[i + 1]));
  return out;
}

/** Array positions (in numbers, both parts) of the N logical complex elements. */
function positions(N: number, s: number, offset: number): Set<number> {
  const out = new Set<number>();
  for (let i = 0; i < N; i++) {
    out.add(2 * (offset + i * s));
    out.add(2 * (offset + i * s) + 1);
  }
  return out;
}

/** Naive Σ op(x_i)·y_i with op = conj when `conj`; also Σ |x_i|·|y_i| as error scale. */
function naiveDot(gx: Float64Array, gy: Float64Array, conj: boolean): [number, number, number] {
  let re = 0;
  let im = 0;
  let scale = 0;
  for (let i = 0; i < gx.length; i += 2) {
    const xr = gx[i];
    const xi = conj ? -gx[i + 1] : gx[i + 1];
    re += xr * gy[i] - xi * gy[i + 1];
    im += xr * gy[i + 1] + xi * gy[i];
    scale += Math.hypot(xr, xi) * Math.hypot(gy[i], gy[i + 1]);
  }
  return [re, im, scale];
}

describe("zdotu / zdotc", () => {
  for (const conj of [false, true]) {
    const name = conj ? "zdotc" : "zdotu";
    it(`${name} matches the naive sum and mathjs; BLAS form equals the offset form`, () => {
      fc.assert(
        fc.property(twoVectors, ({ N, sx, bx, sy, by, seed }) => {
          const rng = lcg(seed);
          const x = stridedVector(rng, N, sx, bx, 2, 2);
          const y = stridedVector(rng, N, sy, by, 2, 2);
          const out = new Float64Array([Number.NaN, Number.NaN]);
          (conj ? zdotcOffset : zdotuOffset)(N, x.data, sx, x.offset, y.data, sy, y.offset, out);
          const gx = gather(N, x.data, sx, x.offset, 2);
          const gy = gather(N, y.data, sy, y.offset, 2);
          const [re, im, scale] = naiveDot(gx, gy, conj);
          expectClose(out, [re, im], [scale, scale]);
          if (N > 0) {
            const cx = toComplex(gx);
            const cy = toComplex(gy);
            // mathjs `dot` conjugates its first argument.
            const m = (conj ? dot(cx, cy) : sum(dotMultiply(cx, cy) as unknown as Complex[])) as Complex;
            expectClose(out, [m.re, m.im], [scale, scale]);
          }
          const blas = new Float64Array(2);
          (conj ? zdotc : zdotu)(N, x.data.subarray(2 * bx), sx, y.data.subarray(2 * by), sy, blas);
          expect(blas).toEqual(out);
        }),
      );
    });
  }

  it("known values and a short out array", () => {
    const out = new Float64Array(2);
    const x = new Float64Array([1, 2, 3, -1]);
    const y = new Float64Array([2, 1, 0, 1]);
    zdotc(2, x, 1, y, 1, out);
    expect(Array.from(out)).toEqual([3, 0]);
    zdotu(2, x, 1, y, 1, out);
    expect(Array.from(out)).toEqual([1, 8]);
    expect(() => zdotu(2, x, 1, y, 1, new Float64Array(1))).toThrow(RangeError);
    expect(() => zdotc(3, x, 1, y, 1, out)).toThrow(/does not fit/);
  });
});

describe("zaxpy", () => {
  it("updates exactly the strided elements of y, like mathjs", () => {
    fc.assert(
      fc.property(twoVectors, part, part, ({ N, sx, bx, sy, by, seed }, ar, ai) => {
        const rng = lcg(seed);
        const x = stridedVector(rng, N, sx, bx, 2, 2);
        const y = stridedVector(rng, N, sy, by, 2, 2);
        const gx = gather(N, x.data, sx, x.offset, 2);
        const gy = gather(N, y.data, sy, y.offset, 2);
        const before = y.data.slice();
        const blas = y.data.slice();
        zaxpyOffset(N, ar, ai, x.data, sx, x.offset, y.data, sy, y.offset);
        const got = gather(N, y.data, sy, y.offset, 2);
        const want = new Float64Array(gy.length);
        const scale = new Float64Array(gy.length);
        for (let i = 0; i < gy.length; i += 2) {
          want[i] = gy[i] + ar * gx[i] - ai * gx[i + 1];
          want[i + 1] = gy[i + 1] + ar * gx[i + 1] + ai * gx[i];
          scale[i] = scale[i + 1] = Math.hypot(gy[i], gy[i + 1]) + Math.hypot(ar, ai) * Math.hypot(gx[i], gx[i + 1]);
        }
        expectClose(got, want, scale, 1e-15);
        if (N > 0) {
          const m = add(multiply(complex(ar, ai), toComplex(gx)), toComplex(gy)) as unknown as Complex[];
          expectClose(
            got,
            m.flatMap((c) => [c.re, c.im]),
            scale,
            1e-15,
          );
        }
        expectUntouched(y.data, before, positions(N, sy, y.offset));
        zaxpy(N, ar, ai, x.data.subarray(2 * bx), sx, blas.subarray(2 * by), sy);
        expect(blas).toEqual(y.data);
      }),
    );
  });

  it("does not read x when alpha = 0", () => {
    const y = new Float64Array([1, 2]);
    zaxpy(1, 0, 0, new Float64Array([Number.NaN, Number.NaN]), 1, y, 1);
    expect(Array.from(y)).toEqual([1, 2]);
  });
});

describe("zscal", () => {
  it("scales exactly the strided elements, like mathjs", () => {
    fc.assert(
      fc.property(fc.record({ N: size, sx: stride, bx: base, seed }), part, part, ({ N, sx, bx, seed }, ar, ai) => {
        const x = stridedVector(lcg(seed), N, sx, bx, 2, 2);
        const gx = gather(N, x.data, sx, x.offset, 2);
        const before = x.data.slice();
        const blas = x.data.slice();
        zscalOffset(N, ar, ai, x.data, sx, x.offset);
        const got = gather(N, x.data, sx, x.offset, 2);
        const scale = new Float64Array(gx.length);
        for (let i = 0; i < gx.length; i += 2) {
          scale[i] = scale[i + 1] = Math.hypot(ar, ai) * Math.hypot(gx[i], gx[i + 1]);
        }
        if (N > 0) {
          const m = multiply(complex(ar, ai), toComplex(gx)) as unknown as Complex[];
          expectClose(
            got,
            m.flatMap((c) => [c.re, c.im]),
            scale,
            1e-15,
          );
        }
        expectUntouched(x.data, before, positions(N, sx, x.offset));
        zscal(N, ar, ai, blas.subarray(2 * bx), sx);
        expect(blas).toEqual(x.data);
      }),
    );
  });

  it("alpha = 0 writes zeros without reading; i·(1 + 2i) = -2 + i", () => {
    const x = new Float64Array([Number.NaN, Number.POSITIVE_INFINITY]);
    zscal(1, 0, 0, x, 1);
    expect(Array.from(x)).toEqual([0, 0]);
    const y = new Float64Array([1, 2]);
    zscal(1, 0, 1, y, 1);
    expect(Array.from(y)).toEqual([-2, 1]);
  });
});
