import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { KernelSet, Transpose, Uplo } from "../../src/kernels/kernel_set.js";
import { kronWorkSize } from "../../src/kernels/kronecker.js";
import { plainKernels } from "../../src/kernels/plain_set.js";
import { kernelsWasmBytes, loadWasmKernels } from "../../src/kernels/wasm/wasm_set.js";
import { mulberry32 } from "../helpers/random.js";

// One battery of property tests, run against BOTH kernel sets: each random problem is solved by a
// naive loop written here and by the set; for the wasm set the operands are placed at random
// inside its arena or in ordinary arrays (the copy / fallback paths), and the result must also
// match the plain set's.
//
// Tolerance: every output is a sum of at most n ≤ 600 products, so any summation order is within
// n·2⁻⁵³·Σ|terms| ≤ 7e-14·Σ|terms| of the exact value (Higham, Thm 3.1); two orders differ by at
// most twice that. RTOL = 1e-12 of Σ|terms| therefore passes every correct order and fails any
// wrong index, stride, transpose or scaling (those give O(1) relative errors).
const RTOL = 1e-12;

const loaded = loadWasmKernels();
if (!loaded) throw new Error("wasm kernels failed to load: Node 20 supports WebAssembly SIMD and shared memory");
const wasm = loaded.kernels;
const arena = loaded.arena;

/** Arrays of one test case: in the arena or not (decided per operand), released afterwards. */
class Placement {
  private readonly owned: (Float64Array | Int32Array)[] = [];
  constructor(
    private readonly rand: () => number,
    private readonly mode: "arena" | "foreign" | "mixed",
  ) {}
  private inArena(): boolean {
    return this.mode === "arena" || (this.mode === "mixed" && this.rand() < 0.5);
  }
  f64(n: number, fill: "random" | "nan" | "zero" = "random"): Float64Array {
    const a = this.inArena() ? arena.float64(n) : undefined;
    if (a) this.owned.push(a);
    const out = a ?? new Float64Array(n);
    if (fill === "random") for (let i = 0; i < n; i++) out[i] = 2 * this.rand() - 1;
    if (fill === "nan") out.fill(Number.NaN);
    return out;
  }
  i32(n: number): Int32Array {
    const a = this.inArena() ? arena.int32(n) : undefined;
    if (a) this.owned.push(a);
    return a ?? new Int32Array(n);
  }
  copy(src: Float64Array): Float64Array {
    const out = this.f64(src.length, "zero");
    out.set(src);
    return out;
  }
  release(): void {
    for (const a of this.owned) arena.release(a);
  }
}

interface Case {
  readonly name: string;
  readonly k: KernelSet;
  readonly mode: "arena" | "foreign" | "mixed";
}

const CASES: Case[] = [
  { name: "plain", k: plainKernels, mode: "foreign" },
  { name: "plain on arena arrays", k: plainKernels, mode: "arena" },
  { name: "wasm-simd, arena operands", k: wasm, mode: "arena" },
  { name: "wasm-simd, foreign operands", k: wasm, mode: "foreign" },
  { name: "wasm-simd, mixed operands", k: wasm, mode: "mixed" },
];

/**
 * |got − want| ≤ RTOL·scale elementwise (scale: Σ|terms| of each output); a NaN in `want` marks an
 * element the kernel must not touch (it was NaN before the call), so `got` must still be NaN.
 */
function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, scale: ArrayLike<number>, what: string): void {
  for (let i = 0; i < want.length; i++) {
    if (Number.isNaN(want[i])) {
      if (!Number.isNaN(got[i])) throw new Error(`${what}[${i}]: an untouched element changed to ${got[i]}`);
      continue;
    }
    const err = Math.abs(got[i] - want[i]);
    if (!(err <= RTOL * scale[i] + 1e-300)) {
      throw new Error(`${what}[${i}]: got ${got[i]}, want ${want[i]} (|err| ${err}, bound ${RTOL * scale[i]})`);
    }
  }
}

const seedArb = fc.integer({ min: 1, max: 2 ** 31 - 1 });
const transArb = fc.constantFrom<Transpose>("N", "T");
const uploArb = fc.constantFrom<Uplo>("U", "L");
const strideArb = fc.constantFrom(1, 1, 2, -1, -3);
const RUNS = { numRuns: 40, seed: 20261125 };

describe.each(CASES)("kernel set: $name", ({ k, mode }) => {
  it("ddot and daxpy match naive loops (strides incl. negative, offsets, N <= 0)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -2, max: 300 }),
        strideArb,
        strideArb,
        fc.nat(5),
        fc.nat(5),
        seedArb,
        (N, sx, sy, padX, padY, seed) => {
          const p = new Placement(mulberry32(seed), mode);
          const n = Math.max(N, 0);
          const x = p.f64(padX + Math.max(1, 1 + (n - 1) * Math.abs(sx)) + 2);
          const y = p.f64(padY + Math.max(1, 1 + (n - 1) * Math.abs(sy)) + 2);
          const ox = padX + (sx < 0 ? (n - 1) * -sx : 0);
          const oy = padY + (sy < 0 ? (n - 1) * -sy : 0);
          let want = 0;
          let scale = 0;
          for (let i = 0; i < n; i++) {
            want += x[ox + i * sx] * y[oy + i * sy];
            scale += Math.abs(x[ox + i * sx] * y[oy + i * sy]);
          }
          expectClose([k.ddot(N, x, sx, ox, y, sy, oy)], [want], [scale], "ddot");
          const alpha = 0.75;
          const y0 = Float64Array.from(y);
          const yWant = Float64Array.from(y);
          const yScale = new Float64Array(y.length);
          for (let i = 0; i < n; i++) {
            yWant[oy + i * sy] += alpha * x[ox + i * sx];
            yScale[oy + i * sy] = Math.abs(y0[oy + i * sy]) + Math.abs(alpha * x[ox + i * sx]);
          }
          k.daxpy(N, alpha, x, sx, ox, y, sy, oy);
          expectClose(y, yWant, yScale, "daxpy");
          p.release();
        },
      ),
      RUNS,
    );
  });

  it("dgemv matches a naive loop (both transposes, lda > cols, strides, beta = 0 ignores NaN)", () => {
    fc.assert(
      fc.property(
        transArb,
        fc.integer({ min: 0, max: 70 }),
        fc.integer({ min: 0, max: 70 }),
        fc.nat(3),
        fc.nat(4),
        strideArb,
        strideArb,
        fc.constantFrom(0, 1, -0.5),
        fc.constantFrom(0, 1, 1.5),
        seedArb,
        (trans, M, N, ldPad, offA, sx, sy, beta, alpha, seed) => {
          const p = new Placement(mulberry32(seed), mode);
          const lda = Math.max(1, N + ldPad);
          const A = p.f64(offA + Math.max(0, M - 1) * lda + N + 1);
          const nx = trans === "N" ? N : M;
          const ny = trans === "N" ? M : N;
          const x = p.f64(Math.max(1, 1 + (nx - 1) * Math.abs(sx)));
          const y = p.f64(Math.max(1, 1 + (ny - 1) * Math.abs(sy)), beta === 0 ? "nan" : "random");
          const ox = sx < 0 ? (nx - 1) * -sx : 0;
          const oy = sy < 0 ? (ny - 1) * -sy : 0;
          const want = Float64Array.from(y);
          const scale = new Float64Array(y.length);
          for (let i = 0; i < ny; i++) {
            let s = 0;
            let t = 0;
            for (let j = 0; j < nx; j++) {
              const a = trans === "N" ? A[offA + i * lda + j] : A[offA + j * lda + i];
              s += a * x[ox + j * sx];
              t += Math.abs(a * x[ox + j * sx]);
            }
            const yi = y[oy + i * sy];
            want[oy + i * sy] = alpha * s + (beta === 0 ? 0 : beta * yi);
            scale[oy + i * sy] = Math.abs(alpha) * t + (beta === 0 ? 0 : Math.abs(beta * yi));
          }
          k.dgemv(trans, M, N, alpha, A, lda, offA, x, sx, ox, beta, y, sy, oy);
          expectClose(y, want, scale, "dgemv");
          p.release();
        },
      ),
      RUNS,
    );
  });

  it("dgemm matches a naive triple loop (all transposes, edge tiles, offsets, beta = 0 ignores NaN)", () => {
    fc.assert(
      fc.property(
        transArb,
        transArb,
        fc.integer({ min: 0, max: 37 }),
        fc.integer({ min: 0, max: 37 }),
        fc.integer({ min: 0, max: 300 }),
        fc.nat(3),
        fc.constantFrom(0, 1, 0.5),
        fc.constantFrom(0, 1, -2),
        seedArb,
        (tA, tB, M, N, K, pad, beta, alpha, seed) => {
          const p = new Placement(mulberry32(seed), mode);
          const [ar, ac] = tA === "N" ? [M, K] : [K, M];
          const [br, bc] = tB === "N" ? [K, N] : [N, K];
          const lda = Math.max(1, ac + pad);
          const ldb = Math.max(1, bc + pad);
          const ldc = Math.max(1, N + pad);
          const A = p.f64(pad + Math.max(0, ar - 1) * lda + ac + 1);
          const B = p.f64(pad + Math.max(0, br - 1) * ldb + bc + 1);
          const C = p.f64(pad + Math.max(0, M - 1) * ldc + N + 1, beta === 0 ? "nan" : "random");
          const want = Float64Array.from(C);
          const scale = new Float64Array(C.length);
          for (let i = 0; i < M; i++) {
            for (let j = 0; j < N; j++) {
              let s = 0;
              let t = 0;
              for (let q = 0; q < K; q++) {
                const a = tA === "N" ? A[pad + i * lda + q] : A[pad + q * lda + i];
                const b = tB === "N" ? B[pad + q * ldb + j] : B[pad + j * ldb + q];
                s += a * b;
                t += Math.abs(a * b);
              }
              const c = C[pad + i * ldc + j];
              want[pad + i * ldc + j] = alpha * s + (beta === 0 ? 0 : beta * c);
              scale[pad + i * ldc + j] = Math.abs(alpha) * t + (beta === 0 ? 0 : Math.abs(beta * c));
            }
          }
          k.dgemm(tA, tB, M, N, K, alpha, A, lda, pad, B, ldb, pad, beta, C, ldc, pad);
          expectClose(C, want, scale, "dgemm");
          p.release();
        },
      ),
      { numRuns: 30, seed: 20261125 },
    );
  });

  it("dsyrk writes exactly the requested triangle of alpha·op(A)·op(A)ᵀ + beta·C", () => {
    fc.assert(
      fc.property(
        uploArb,
        transArb,
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 0, max: 90 }),
        fc.nat(3),
        fc.constantFrom(0, 1, 0.5),
        seedArb,
        (uplo, trans, N, K, pad, beta, seed) => {
          const p = new Placement(mulberry32(seed), mode);
          const alpha = 1.25;
          const [ar, ac] = trans === "N" ? [N, K] : [K, N];
          const lda = Math.max(1, ac + pad);
          const ldc = Math.max(1, N + pad);
          const A = p.f64(pad + Math.max(0, ar - 1) * lda + ac + 1);
          const C = p.f64(pad + Math.max(0, N - 1) * ldc + N + 1);
          // The untouched triangle is marked with NaN so that a stray write or read shows.
          for (let i = 0; i < N; i++) {
            for (let j = 0; j < N; j++) {
              const inside = uplo === "U" ? j >= i : j <= i;
              if (!inside || beta === 0) C[pad + i * ldc + j] = Number.NaN;
            }
          }
          const want = Float64Array.from(C);
          const scale = new Float64Array(C.length);
          for (let i = 0; i < N; i++) {
            for (let j = 0; j < N; j++) {
              if (!(uplo === "U" ? j >= i : j <= i)) continue;
              let s = 0;
              let t = 0;
              for (let q = 0; q < K; q++) {
                const a = trans === "N" ? A[pad + i * lda + q] : A[pad + q * lda + i];
                const b = trans === "N" ? A[pad + j * lda + q] : A[pad + q * lda + j];
                s += a * b;
                t += Math.abs(a * b);
              }
              const c = C[pad + i * ldc + j];
              want[pad + i * ldc + j] = alpha * s + (beta === 0 ? 0 : beta * c);
              scale[pad + i * ldc + j] = alpha * t + (beta === 0 ? 0 : Math.abs(beta * c));
            }
          }
          k.dsyrk(uplo, trans, N, K, alpha, A, lda, pad, beta, C, ldc, pad);
          expectClose(C, want, scale, "dsyrk");
          p.release();
        },
      ),
      RUNS,
    );
  });

  it("dpotrf factors SPD matrices (both triangles, blocked sizes) and leaves the other triangle alone", () => {
    fc.assert(
      fc.property(uploArb, fc.integer({ min: 1, max: 150 }), fc.nat(3), seedArb, (uplo, N, pad, seed) => {
        const p = new Placement(mulberry32(seed), mode);
        const lda = N + pad;
        // S = G·Gᵀ/N + I: eigenvalues in [1, ~5], so the factor is well conditioned and entrywise
        // comparisons at RTOL·(row scale) are meaningful.
        const G = new Float64Array(N * N);
        const rand = mulberry32(seed ^ 0x5eed);
        for (let i = 0; i < N * N; i++) G[i] = 2 * rand() - 1;
        const S = new Float64Array(N * N);
        for (let i = 0; i < N; i++) {
          for (let j = 0; j < N; j++) {
            let s = i === j ? 1 : 0;
            for (let q = 0; q < N; q++) s += (G[i * N + q] * G[j * N + q]) / N;
            S[i * N + j] = s;
          }
        }
        const A = p.f64(pad + (N - 1) * lda + N + 1);
        for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) A[pad + i * lda + j] = S[i * N + j];
        const other = (i: number, j: number) => (uplo === "U" ? j < i : j > i);
        for (let i = 0; i < N; i++)
          for (let j = 0; j < N; j++) if (other(i, j)) A[pad + i * lda + j] = 1000 + i + j / 1000;
        // Naive unblocked Cholesky (upper, A = UᵀU) of S; the lower factor is Uᵀ.
        const U = Float64Array.from(S);
        for (let q = 0; q < N; q++) {
          const d = Math.sqrt(U[q * N + q]);
          U[q * N + q] = d;
          for (let j = q + 1; j < N; j++) U[q * N + j] /= d;
          for (let i = q + 1; i < N; i++) for (let j = i; j < N; j++) U[i * N + j] -= U[q * N + i] * U[q * N + j];
        }
        expect(k.dpotrf(uplo, N, A, lda, pad)).toBe(0);
        let worst = 0;
        let otherChanged = 0;
        for (let i = 0; i < N; i++) {
          for (let j = 0; j < N; j++) {
            const got = A[pad + i * lda + j];
            if (other(i, j)) {
              if (got !== 1000 + i + j / 1000) otherChanged++;
            } else {
              worst = Math.max(worst, Math.abs(got - (uplo === "U" ? U[i * N + j] : U[j * N + i])));
            }
          }
        }
        expect(otherChanged).toBe(0);
        // Entries of U are O(1) and each is a sum of ≤ N ≤ 150 products of O(1) terms.
        expect(worst).toBeLessThanOrEqual(RTOL * 10);
        p.release();
      }),
      { numRuns: 25, seed: 20261125 },
    );
  });

  it("dpotrf reports the first non-positive (or NaN) pivot as LAPACK's info", () => {
    for (const uplo of ["U", "L"] as const) {
      for (const [N, bad] of [
        [5, 3],
        [100, 70],
        [130, 129],
      ] as const) {
        const p = new Placement(mulberry32(N), mode);
        const A = p.f64(N * N, "zero");
        for (let i = 0; i < N; i++) A[i * N + i] = i === bad ? -1 : 2;
        expect(k.dpotrf(uplo, N, A, N, 0)).toBe(bad + 1);
        A.fill(0);
        for (let i = 0; i < N; i++) A[i * N + i] = i === bad ? Number.NaN : 2;
        expect(k.dpotrf(uplo, N, A, N, 0)).toBe(bad + 1);
        p.release();
      }
    }
  });

  it("dcsrmv matches a naive loop (empty rows, duplicates, strided x and y, beta = 0 ignores NaN)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 0, max: 12 }),
        strideArb,
        strideArb,
        fc.constantFrom(0, 1, -0.5),
        fc.constantFrom(0, 1, 2),
        seedArb,
        (M, N, maxPerRow, sx, sy, beta, alpha, seed) => {
          const rand = mulberry32(seed);
          const p = new Placement(rand, mode);
          const rowPtr = p.i32(M + 1);
          for (let i = 0; i < M; i++) rowPtr[i + 1] = rowPtr[i] + (N === 0 ? 0 : Math.floor(rand() * (maxPerRow + 1)));
          const nnz = rowPtr[M];
          const colIdx = p.i32(nnz + 1);
          for (let q = 0; q < nnz; q++) colIdx[q] = Math.floor(rand() * N);
          const values = p.f64(nnz + 1);
          const x = p.f64(Math.max(1, 1 + (N - 1) * Math.abs(sx)));
          const y = p.f64(Math.max(1, 1 + (M - 1) * Math.abs(sy)), beta === 0 ? "nan" : "random");
          const ox = sx < 0 ? (N - 1) * -sx : 0;
          const oy = sy < 0 ? (M - 1) * -sy : 0;
          const want = Float64Array.from(y);
          const scale = new Float64Array(y.length);
          for (let i = 0; i < M; i++) {
            let s = 0;
            let t = 0;
            for (let q = rowPtr[i]; q < rowPtr[i + 1]; q++) {
              s += values[q] * x[ox + colIdx[q] * sx];
              t += Math.abs(values[q] * x[ox + colIdx[q] * sx]);
            }
            const yi = y[oy + i * sy];
            want[oy + i * sy] = alpha * s + (beta === 0 ? 0 : beta * yi);
            scale[oy + i * sy] = Math.abs(alpha) * t + (beta === 0 ? 0 : Math.abs(beta * yi));
          }
          k.dcsrmv(M, N, alpha, rowPtr, colIdx, values, x, sx, ox, beta, y, sy, oy);
          expectClose(y, want, scale, "dcsrmv");
          p.release();
        },
      ),
      RUNS,
    );
  });

  it("dkronmv matches the explicitly formed Kronecker product (N and T, rectangular factors)", () => {
    fc.assert(
      fc.property(
        transArb,
        fc.array(fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 })), {
          minLength: 1,
          maxLength: 4,
        }),
        seedArb,
        (trans, shape, seed) => {
          const p = new Placement(mulberry32(seed), mode);
          const K = shape.length;
          const rows = Int32Array.from(shape, (s) => s[0]);
          const cols = Int32Array.from(shape, (s) => s[1]);
          const factors = shape.map(([r, c]) => p.f64(r * c));
          // Formed product, entry by entry, with mixed-radix indices (last factor fastest).
          const R = rows.reduce((a, b) => a * b, 1);
          const Cn = cols.reduce((a, b) => a * b, 1);
          const entry = (I: number, J: number) => {
            let v = 1;
            for (let f = K - 1; f >= 0; f--) {
              v *= factors[f][(I % rows[f]) * cols[f] + (J % cols[f])];
              I = Math.floor(I / rows[f]);
              J = Math.floor(J / cols[f]);
            }
            return v;
          };
          const [nIn, nOut] = trans === "N" ? [Cn, R] : [R, Cn];
          const x = p.f64(nIn);
          const y = p.f64(nOut, "nan");
          const work = p.f64(kronWorkSize(K, rows, cols));
          const want = new Float64Array(nOut);
          const scale = new Float64Array(nOut);
          for (let i = 0; i < nOut; i++) {
            for (let j = 0; j < nIn; j++) {
              const a = trans === "N" ? entry(i, j) : entry(j, i);
              want[i] += a * x[j];
              scale[i] += Math.abs(a * x[j]);
            }
          }
          k.dkronmv(trans, K, rows, cols, factors, x, y, work);
          expectClose(y, want, scale, "dkronmv");
          p.release();
        },
      ),
      RUNS,
    );
  });

  it("throws RangeError for arrays that are too short and for invalid flags", () => {
    const p = new Placement(mulberry32(1), mode);
    const x = p.f64(4);
    const A = p.f64(9);
    expect(() => k.ddot(5, x, 1, 0, x, 1, 0)).toThrow(RangeError);
    expect(() => k.daxpy(3, 1, x, 2, 0, x, 1, 0)).toThrow(RangeError);
    expect(() => k.dgemv("X" as Transpose, 3, 3, 1, A, 3, 0, x, 1, 0, 0, x, 1, 0)).toThrow(RangeError);
    expect(() => k.dgemv("N", 3, 3, 1, A, 3, 1, x, 1, 0, 0, x, 1, 0)).toThrow(RangeError);
    expect(() => k.dgemm("N", "N", 3, 3, 3, 1, A, 2, 0, A, 3, 0, 0, p.f64(9), 3, 0)).toThrow(RangeError);
    expect(() => k.dsyrk("X" as Uplo, "N", 3, 3, 1, A, 3, 0, 0, p.f64(9), 3, 0)).toThrow(RangeError);
    expect(() => k.dpotrf("U", 4, A, 4, 0)).toThrow(RangeError);
    const rows = Int32Array.of(2, 2);
    expect(() => k.dkronmv("N", 2, rows, rows, [x, x], x, x, p.f64(2))).toThrow(RangeError);
    const rowPtr = p.i32(3);
    rowPtr.set([0, 2, 5]);
    expect(() => k.dcsrmv(2, 2, 1, rowPtr, p.i32(4), p.f64(4), x, 1, 0, 0, x, 1, 0)).toThrow(RangeError);
    p.release();
  });
});

describe("wasm-simd against plain on the same larger inputs", () => {
  // Sizes past every blocking boundary of the wasm kernels (GEMM MC/KC, Cholesky NB = 64, the
  // 4-row gemv blocks) where a naive loop would be slow; same RTOL·Σ|terms| argument as above,
  // with Σ|terms| bounded by (length of the sum)·max|term| for these [-1, 1] inputs.
  it("agrees on dgemv, dgemm, dsyrk, dpotrf, dcsrmv and dkronmv", () => {
    fc.assert(
      fc.property(transArb, transArb, uploArb, fc.integer({ min: 100, max: 300 }), seedArb, (tA, tB, uplo, n, seed) => {
        const rand = mulberry32(seed);
        const fill = (a: Float64Array) => {
          for (let i = 0; i < a.length; i++) a[i] = 2 * rand() - 1;
          return a;
        };
        const pa = new Placement(rand, "arena");
        const A = fill(pa.f64(n * n));
        const B = fill(pa.f64(n * n));
        const Cw = fill(pa.f64(n * n));
        const Cp = Float64Array.from(Cw);
        wasm.dgemm(tA, tB, n, n - 7, n - 3, 0.5, A, n, 0, B, n, 0, 0.25, Cw, n, 0);
        plainKernels.dgemm(tA, tB, n, n - 7, n - 3, 0.5, A, n, 0, B, n, 0, 0.25, Cp, n, 0);
        expectClose(Cw, Cp, new Float64Array(n * n).fill(n), "dgemm");
        const Sw = fill(pa.f64(n * n));
        const Sp = Float64Array.from(Sw);
        wasm.dsyrk(uplo, tA, n, n - 5, 1, A, n, 0, 0.5, Sw, n, 0);
        plainKernels.dsyrk(uplo, tA, n, n - 5, 1, A, n, 0, 0.5, Sp, n, 0);
        expectClose(Sw, Sp, new Float64Array(n * n).fill(n), "dsyrk");
        // SPD: Sw (lower or upper triangle now holds A·Aᵀ-like data) + n·I.
        for (let i = 0; i < n; i++) {
          Sw[i * n + i] += n;
          Sp[i * n + i] += n;
        }
        expect(wasm.dpotrf(uplo, n, Sw, n, 0)).toBe(plainKernels.dpotrf(uplo, n, Sp, n, 0));
        expectClose(Sw, Sp, new Float64Array(n * n).fill(n), "dpotrf");
        const x = fill(pa.f64(n));
        const yw = fill(pa.f64(n));
        const yp = Float64Array.from(yw);
        wasm.dgemv(tA, n, n, 1.5, A, n, 0, x, 1, 0, 0.5, yw, 1, 0);
        plainKernels.dgemv(tA, n, n, 1.5, A, n, 0, x, 1, 0, 0.5, yp, 1, 0);
        expectClose(yw, yp, new Float64Array(n).fill(n), "dgemv");
        const M = 40 * n;
        const rowPtr = pa.i32(M + 1);
        for (let i = 0; i < M; i++) rowPtr[i + 1] = rowPtr[i] + Math.floor(rand() * 20);
        const colIdx = pa.i32(rowPtr[M]);
        for (let q = 0; q < colIdx.length; q++) colIdx[q] = Math.floor(rand() * n);
        const values = fill(pa.f64(rowPtr[M]));
        const zw = fill(pa.f64(M));
        const zp = Float64Array.from(zw);
        wasm.dcsrmv(M, n, 1, rowPtr, colIdx, values, x, 1, 0, 1, zw, 1, 0);
        plainKernels.dcsrmv(M, n, 1, rowPtr, colIdx, values, x, 1, 0, 1, zp, 1, 0);
        expectClose(zw, zp, new Float64Array(M).fill(21), "dcsrmv");
        const dims = Int32Array.of(9, 11, 7);
        const cdims = Int32Array.of(10, 8, 12);
        const factors = [fill(pa.f64(90)), fill(pa.f64(88)), fill(pa.f64(84))];
        const v = fill(pa.f64(960));
        const kw = pa.f64(693);
        const kp = new Float64Array(693);
        const work = pa.f64(kronWorkSize(3, dims, cdims));
        wasm.dkronmv("N", 3, dims, cdims, factors, v, kw, work);
        plainKernels.dkronmv("N", 3, dims, cdims, factors, v, kp, new Float64Array(work.length));
        expectClose(kw, kp, new Float64Array(693).fill(960), "dkronmv");
        pa.release();
      }),
      { numRuns: 6, seed: 20261125 },
    );
  });
});

describe("wasm set specifics", () => {
  it("is named wasm-simd and embeds a wasm binary", () => {
    expect(wasm.name).toBe("wasm-simd");
    expect(Array.from(kernelsWasmBytes().subarray(0, 4))).toEqual([0, 0x61, 0x73, 0x6d]);
  });

  it("crosses every blocking boundary of the packed GEMM (MC = 128, KC = 256, NC = 1024) correctly", () => {
    const rand = mulberry32(7);
    const [M, N, K] = [133, 1031, 261];
    const A = arena.float64(M * K)!;
    const B = arena.float64(K * N)!;
    const C = arena.float64(M * N)!;
    for (const a of [A, B]) for (let i = 0; i < a.length; i++) a[i] = 2 * rand() - 1;
    const ref = new Float64Array(M * N);
    plainKernels.dgemm("N", "N", M, N, K, 1, A, K, 0, B, N, 0, 0, ref, N, 0);
    wasm.dgemm("N", "N", M, N, K, 1, A, K, 0, B, N, 0, 0, C, N, 0);
    // |Σ| over K = 261 products of entries in [-1, 1]: both orders are within 261·2⁻⁵³·261 ≈ 8e-12.
    let worst = 0;
    for (let i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(C[i] - ref[i]));
    expect(worst).toBeLessThan(RTOL * K);
    for (const a of [A, B, C]) arena.release(a);
  });

  it("rejects CSR column indices and row pointers that would read outside the pattern", () => {
    const rowPtr = arena.int32(3)!;
    rowPtr.set([0, 2, 3]);
    const colIdx = arena.int32(3)!;
    colIdx.set([0, 5, 1]);
    const values = arena.float64(3)!;
    const x = arena.float64(2)!;
    const y = arena.float64(2)!;
    expect(() => wasm.dcsrmv(2, 2, 1, rowPtr, colIdx, values, x, 1, 0, 0, y, 1, 0)).toThrow(/column index/);
    colIdx.set([0, 1, -1]);
    expect(() => wasm.dcsrmv(2, 2, 1, rowPtr, colIdx, values, x, 1, 0, 0, y, 1, 0)).toThrow(/column index/);
    colIdx.set([0, 1, 1]);
    rowPtr.set([0, 7, 3]);
    expect(() => wasm.dcsrmv(2, 2, 1, rowPtr, colIdx, values, x, 1, 0, 0, y, 1, 0)).toThrow(/row pointer/);
    for (const a of [rowPtr, colIdx, values, x, y]) arena.release(a);
  });
});

describe("WasmArena", () => {
  it("hands out zeroed arrays, recognises them, and reuses released blocks", () => {
    const a = arena.float64(1000)!;
    a.fill(3);
    expect(arena.owns(a)).toBe(true);
    expect(arena.owns(new Float64Array(4))).toBe(false);
    const addr = a.byteOffset;
    arena.release(a);
    const b = arena.float64(1000)!;
    expect(b.byteOffset).toBe(addr);
    expect(b.every((v) => v === 0)).toBe(true);
    const i = arena.int32(5)!;
    expect(i).toBeInstanceOf(Int32Array);
    expect(() => arena.release(b.subarray(1))).toThrow(RangeError);
    expect(() => arena.float64(-1)).toThrow(RangeError);
    arena.release(b);
    arena.release(i);
    arena.release(new Float64Array(3)); // not the arena's: ignored
  });

  it("keeps earlier arrays valid (not detached) when the memory grows", () => {
    const before = arena.float64(16)!;
    before.fill(7);
    const bytes = arena.memory.buffer.byteLength;
    const big = arena.float64(bytes / 8 + 1024)!; // forces a growth
    expect(arena.memory.buffer.byteLength).toBeGreaterThan(bytes);
    expect(before.length).toBe(16);
    expect(before.every((v) => v === 7)).toBe(true);
    before[0] = 9;
    expect(wasm.ddot(1, before, 1, 0, before, 1, 0)).toBe(81);
    expect(arena.owns(before) && arena.owns(big)).toBe(true);
    arena.release(big);
    arena.release(before);
  });
});
