/**
 * Naive reference loops and seeded random data shared by the kernel tests. Everything here is
 * written for obviousness, not speed: dense row-major products as the textbook triple loop,
 * strided views gathered into plain dense arrays, and a componentwise error check.
 */
import { expect } from "vitest";

/** A seeded random source: `next()` is uniform on [0, 1). */
export interface TestRng {
  next(): number;
}

/**
 * A 32-bit linear congruential generator (Numerical Recipes constants). Plenty for test data and
 * fully reproducible from its seed.
 *
 * @example
 * ```ts
 * const rng = lcg(42);
 * rng.next(); // a number in [0, 1)
 * ```
 */
export function lcg(seed: number): TestRng {
  let state = seed >>> 0;
  return {
    next(): number {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      return state / 4294967296;
    },
  };
}

/**
 * A Float64Array of n uniform draws on [lo, hi).
 *
 * @example
 * ```ts
 * randomArray(lcg(1), 5); // 5 numbers in [-1, 1)
 * ```
 */
export function randomArray(rng: TestRng, n: number, lo = -1, hi = 1): Float64Array {
  const out = new Float64Array(Math.max(0, n));
  for (let i = 0; i < out.length; i++) out[i] = lo + (hi - lo) * rng.next();
  return out;
}

/**
 * Array length needed for N elements at `offset + i·stride` (each `width` numbers), plus `pad`
 * spare elements at the end so tests can check nothing outside the vector is written.
 *
 * @example
 * ```ts
 * vectorLength(3, -2, 4, 1); // 6
 * ```
 */
export function vectorLength(N: number, stride: number, offset: number, pad = 0, width = 1): number {
  const span = N > 0 ? offset + (N - 1) * Math.abs(stride) + 1 : offset;
  return (span + pad) * width;
}

/** A strided vector inside a larger random array: element i is `data[(offset + i·stride)·width + w]`. */
export interface StridedVector {
  readonly data: Float64Array;
  readonly offset: number;
}

/**
 * Random strided vector: `base` spare elements before it, `pad` after, and for a negative
 * stride the offset points at the far end (so `offset + i·stride` stays in bounds).
 *
 * @example
 * ```ts
 * const { data, offset } = stridedVector(lcg(1), 3, -2, 1); // offset 5, data.length 8
 * ```
 */
export function stridedVector(
  rng: TestRng,
  N: number,
  stride: number,
  base: number,
  pad = 2,
  width = 1,
): StridedVector {
  const data = randomArray(rng, vectorLength(N, stride, base, pad, width));
  const offset = base + (stride < 0 && N > 0 ? (N - 1) * -stride : 0);
  return { data, offset };
}

/** A row-major matrix inside a larger array: entry (i, j) is `data[(offset + i·ld + j)·width + w]`. */
export interface StridedMatrix {
  readonly data: Float64Array;
  readonly ld: number;
  readonly offset: number;
}

/**
 * Random rows × cols row-major matrix with leading dimension `cols + ldPad` (at least 1),
 * `offset` spare numbers before it and `pad` after it.
 *
 * @example
 * ```ts
 * const { data, ld } = stridedMatrix(lcg(1), 2, 3, 1, 0); // ld 4, data.length 9
 * ```
 */
export function stridedMatrix(
  rng: TestRng,
  rows: number,
  cols: number,
  ldPad: number,
  offset: number,
  pad = 2,
  width = 1,
): StridedMatrix {
  const ld = Math.max(1, cols + ldPad);
  const span = rows > 0 && cols > 0 ? offset + (rows - 1) * ld + cols : offset;
  return { data: randomArray(rng, (span + pad) * width), ld, offset };
}

/**
 * The N logical elements `x[offset + i·stride]` (times `width` numbers each) as a dense array.
 *
 * @example
 * ```ts
 * gather(2, new Float64Array([1, 2, 3]), -2, 2); // [3, 1]
 * ```
 */
export function gather(N: number, x: Float64Array, stride: number, offset: number, width = 1): Float64Array {
  const out = new Float64Array(Math.max(0, N) * width);
  for (let i = 0; i < N; i++) {
    for (let w = 0; w < width; w++) out[i * width + w] = x[(offset + i * stride) * width + w];
  }
  return out;
}

/**
 * Writes a dense logical vector into its strided positions of x (inverse of {@link gather}).
 *
 * @example
 * ```ts
 * const x = new Float64Array(3);
 * scatter(2, new Float64Array([7, 8]), x, 2, 0); // x = [7, 0, 8]
 * ```
 */
export function scatter(
  N: number,
  values: ArrayLike<number>,
  x: Float64Array,
  stride: number,
  offset: number,
  width = 1,
): void {
  for (let i = 0; i < N; i++) {
    for (let w = 0; w < width; w++) x[(offset + i * stride) * width + w] = values[i * width + w];
  }
}

/**
 * The rows × cols row-major matrix stored at `offset` with leading dimension ld, as a dense
 * rows × cols array.
 *
 * @example
 * ```ts
 * gatherMatrix(2, 2, new Float64Array([1, 2, 9, 3, 4, 9]), 3, 0); // [1, 2, 3, 4]
 * ```
 */
export function gatherMatrix(
  rows: number,
  cols: number,
  A: Float64Array,
  ld: number,
  offset: number,
  width = 1,
): Float64Array {
  const out = new Float64Array(Math.max(0, rows) * Math.max(0, cols) * width);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      for (let w = 0; w < width; w++) out[(i * cols + j) * width + w] = A[(offset + i * ld + j) * width + w];
    }
  }
  return out;
}

/**
 * Dense transpose of a rows × cols row-major matrix.
 *
 * @example
 * ```ts
 * transpose(1, 2, new Float64Array([1, 2])); // [1, 2] as 2 × 1
 * ```
 */
export function transpose(rows: number, cols: number, A: Float64Array): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = A[i * cols + j];
  return out;
}

/**
 * Textbook C = A·B for dense row-major A (M × K) and B (K × N).
 *
 * @example
 * ```ts
 * naiveMatmul(1, 1, 2, new Float64Array([1, 2]), new Float64Array([3, 4])); // [11]
 * ```
 */
export function naiveMatmul(M: number, N: number, K: number, A: Float64Array, B: Float64Array): Float64Array {
  const C = new Float64Array(M * N);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += A[i * K + k] * B[k * N + j];
      C[i * N + j] = s;
    }
  }
  return C;
}

/**
 * Textbook y = A·x for dense row-major A (M × N).
 *
 * @example
 * ```ts
 * naiveMatvec(1, 2, new Float64Array([1, 2]), new Float64Array([3, 4])); // [11]
 * ```
 */
export function naiveMatvec(M: number, N: number, A: Float64Array, x: Float64Array): Float64Array {
  return naiveMatmul(M, 1, N, A, x);
}

/**
 * A random triangular matrix whose unreferenced parts are NaN (the other triangle, and the
 * diagonal when it is implicitly 1), plus the dense op(A) it stands for. Off-diagonals are
 * scaled by 1/N and pivots lie in ±[1, 2], so solutions stay O(1) and the residual test is sharp.
 *
 * @example
 * ```ts
 * const { data, ld, op } = triangular(lcg(1), "L", "N", "N", 3, 0, 0); // op is the dense 3 × 3 L
 * ```
 */
export function triangular(
  rng: TestRng,
  uplo: "U" | "L",
  trans: "N" | "T",
  diag: "N" | "U",
  N: number,
  ldPad: number,
  offA: number,
): { data: Float64Array; ld: number; op: Float64Array } {
  const A = stridedMatrix(rng, N, N, ldPad, offA);
  A.data.fill(Number.NaN);
  const dense = new Float64Array(N * N);
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) {
      const inTriangle = uplo === "U" ? j > i : j < i;
      if (inTriangle) {
        const v = (2 * rng.next() - 1) / N;
        A.data[offA + i * A.ld + j] = v;
        dense[i * N + j] = v;
      } else if (i === j) {
        const v = (1 + rng.next()) * (rng.next() < 0.5 ? -1 : 1);
        if (diag === "N") A.data[offA + i * A.ld + j] = v;
        dense[i * N + j] = diag === "U" ? 1 : v;
      }
    }
  }
  return { data: A.data, ld: A.ld, op: trans === "N" ? dense : transpose(N, N, dense) };
}

/**
 * Elementwise absolute values (for error bounds such as |A|·|B|).
 *
 * @example
 * ```ts
 * abs(new Float64Array([-1, 2])); // [1, 2]
 * ```
 */
export function abs(x: Float64Array): Float64Array {
  return x.map(Math.abs);
}

/**
 * Asserts |got[i] − want[i]| <= rtol·scale[i] + atol for every i, reporting the worst entry.
 * `scale` is a componentwise magnitude such as (|alpha|·|A|·|B| + |beta|·|C|)[i], which is what
 * floating-point error in sums is proportional to, so rtol can be a small multiple of eps·K.
 *
 * @example
 * ```ts
 * expectClose(new Float64Array([1]), new Float64Array([1 + 1e-15]), new Float64Array([1]));
 * ```
 */
export function expectClose(
  got: ArrayLike<number>,
  want: ArrayLike<number>,
  scale: ArrayLike<number>,
  rtol = 1e-12,
  atol = 1e-300,
): void {
  expect(got.length).toBe(want.length);
  let worst = -1;
  let worstRatio = 0;
  for (let i = 0; i < got.length; i++) {
    const err = Math.abs(got[i] - want[i]);
    const allowed = rtol * scale[i] + atol;
    // NaN in either side fails: !(err <= allowed).
    if (!(err <= allowed)) {
      const ratio = Number.isFinite(err) ? err / allowed : Number.POSITIVE_INFINITY;
      if (worst < 0 || ratio > worstRatio) {
        worst = i;
        worstRatio = ratio;
      }
    }
  }
  if (worst >= 0) {
    expect.fail(
      `entry ${worst}: got ${got[worst]}, want ${want[worst]} (|err| ${Math.abs(got[worst] - want[worst])} > ` +
        `${rtol}·${scale[worst]})`,
    );
  }
}

/**
 * Asserts that two arrays agree exactly outside the given set of indices (used to check that a
 * kernel writes nothing beyond its output).
 *
 * @example
 * ```ts
 * expectUntouched(new Float64Array([1, 5]), new Float64Array([1, 2]), new Set([1]));
 * ```
 */
export function expectUntouched(after: Float64Array, before: Float64Array, written: ReadonlySet<number>): void {
  for (let i = 0; i < before.length; i++) {
    if (!written.has(i) && !Object.is(after[i], before[i])) {
      expect.fail(`index ${i} outside the output changed: ${before[i]} -> ${after[i]}`);
    }
  }
}
