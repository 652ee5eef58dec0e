// sprig's WebAssembly-SIMD kernels (AssemblyScript). Built by `node scripts/build-wasm.mjs` into
// src/kernels/wasm/kernels.wasm; src/kernels/wasm/wasm_set.ts wraps the exports as a KernelSet.
//
// Conventions (the JS wrapper guarantees them before calling):
// - Every pointer is a byte address in the module's (imported, shared) memory and points at the
//   FIRST element the kernel touches (the wrapper folds offsets in). Strides count f64 elements and
//   may be negative; dense matrices are row-major with leading dimension `ld` (elements).
// - Sizes are validated by the wrapper; N <= 0 is a no-op as in BLAS.
// - beta = 0 writes outputs without reading them; alpha = 0 reads no input matrix/vector.
// - No allocation: scratch space (packing buffers, Kronecker intermediates) comes from the caller
//   as a `work` pointer, sized by the *WorkBytes functions below.
//
// SIMD is f64x2 (128-bit); wasm has no FMA in the fixed-width proposal, so products and sums are
// separate instructions (and results match a plain mul-then-add up to summation order).

/** Start of the free heap: the JS arena allocates from here upward. */
export function heapBase(): usize {
  return __heap_base;
}

// ---------------------------------------------------------------------------------------------
// Small helpers

// @ts-ignore: decorator
@inline function hsum(v: v128): f64 {
  return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
}

// @ts-ignore: decorator
@inline function imin(a: i32, b: i32): i32 {
  return a < b ? a : b;
}

/** Σ x[i]·y[i], i < n, both contiguous; four f64x2 accumulators hide the add latency. */
function dotUnit(n: i32, px: usize, py: usize): f64 {
  let a0 = f64x2.splat(0);
  let a1 = f64x2.splat(0);
  let a2 = f64x2.splat(0);
  let a3 = f64x2.splat(0);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const o = <usize>i << 3;
    a0 = f64x2.add(a0, f64x2.mul(v128.load(px + o), v128.load(py + o)));
    a1 = f64x2.add(a1, f64x2.mul(v128.load(px + o, 16), v128.load(py + o, 16)));
    a2 = f64x2.add(a2, f64x2.mul(v128.load(px + o, 32), v128.load(py + o, 32)));
    a3 = f64x2.add(a3, f64x2.mul(v128.load(px + o, 48), v128.load(py + o, 48)));
  }
  for (; i + 2 <= n; i += 2) {
    const o = <usize>i << 3;
    a0 = f64x2.add(a0, f64x2.mul(v128.load(px + o), v128.load(py + o)));
  }
  let s = hsum(f64x2.add(f64x2.add(a0, a1), f64x2.add(a2, a3)));
  if (i < n) s += load<f64>(px + (<usize>i << 3)) * load<f64>(py + (<usize>i << 3));
  return s;
}

/** y[i] += a·x[i], i < n, both contiguous. */
function axpyUnit(n: i32, a: f64, px: usize, py: usize): void {
  const va = f64x2.splat(a);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 3;
    v128.store(py + o, f64x2.add(v128.load(py + o), f64x2.mul(va, v128.load(px + o))));
    v128.store(py + o, f64x2.add(v128.load(py + o, 16), f64x2.mul(va, v128.load(px + o, 16))), 16);
  }
  for (; i < n; i++) {
    const o = <usize>i << 3;
    store<f64>(py + o, load<f64>(py + o) + a * load<f64>(px + o));
  }
}

/** x[i] ← a·x[i] (a = 0 writes zeros without reading), strided. */
function scal(n: i32, a: f64, px: usize, sx: i32): void {
  if (a == 1) return;
  const dx = <usize>(sx << 3);
  if (sx == 1) {
    const va = f64x2.splat(a);
    let i = 0;
    if (a == 0) {
      for (; i + 2 <= n; i += 2) v128.store(px + (<usize>i << 3), f64x2.splat(0));
    } else {
      for (; i + 2 <= n; i += 2) {
        const o = <usize>i << 3;
        v128.store(px + o, f64x2.mul(va, v128.load(px + o)));
      }
    }
    if (i < n) {
      const o = <usize>i << 3;
      store<f64>(px + o, a == 0 ? 0 : a * load<f64>(px + o));
    }
    return;
  }
  let p = px;
  if (a == 0) {
    for (let i = 0; i < n; i++, p += dx) store<f64>(p, 0);
  } else {
    for (let i = 0; i < n; i++, p += dx) store<f64>(p, a * load<f64>(p));
  }
}

// ---------------------------------------------------------------------------------------------
// BLAS-1

/** Σ x[i·sx]·y[i·sy], i < n. */
export function ddot(n: i32, px: usize, sx: i32, py: usize, sy: i32): f64 {
  if (n <= 0) return 0;
  if (sx == 1 && sy == 1) return dotUnit(n, px, py);
  const dx = <usize>(sx << 3);
  const dy = <usize>(sy << 3);
  let s0: f64 = 0;
  let s1: f64 = 0;
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    s0 += load<f64>(px) * load<f64>(py);
    s1 += load<f64>(px + dx) * load<f64>(py + dy);
    px += dx << 1;
    py += dy << 1;
  }
  if (i < n) s0 += load<f64>(px) * load<f64>(py);
  return s0 + s1;
}

/** y ← alpha·x + y. */
export function daxpy(n: i32, alpha: f64, px: usize, sx: i32, py: usize, sy: i32): void {
  if (n <= 0 || alpha == 0) return;
  if (sx == 1 && sy == 1) {
    axpyUnit(n, alpha, px, py);
    return;
  }
  const dx = <usize>(sx << 3);
  const dy = <usize>(sy << 3);
  for (let i = 0; i < n; i++, px += dx, py += dy) store<f64>(py, load<f64>(py) + alpha * load<f64>(px));
}

// ---------------------------------------------------------------------------------------------
// BLAS-2

/** y ← alpha·A·x + beta·y, A is m × n row-major: one dot product per row, four rows at a time. */
export function dgemvN(
  m: i32,
  n: i32,
  alpha: f64,
  pa: usize,
  lda: i32,
  px: usize,
  sx: i32,
  beta: f64,
  py: usize,
  sy: i32,
): void {
  if (m <= 0) return;
  if (alpha == 0 || n <= 0) {
    scal(m, beta, py, sy);
    return;
  }
  const rowBytes = <usize>lda << 3;
  const dy = <usize>(sy << 3);
  let i = 0;
  if (sx == 1) {
    // Four rows share every load of x; each row keeps its own f64x2 accumulator.
    for (; i + 4 <= m; i += 4) {
      const r0 = pa + <usize>i * rowBytes;
      const r1 = r0 + rowBytes;
      const r2 = r1 + rowBytes;
      const r3 = r2 + rowBytes;
      let a0 = f64x2.splat(0);
      let a1 = f64x2.splat(0);
      let a2 = f64x2.splat(0);
      let a3 = f64x2.splat(0);
      let j = 0;
      for (; j + 2 <= n; j += 2) {
        const o = <usize>j << 3;
        const xv = v128.load(px + o);
        a0 = f64x2.add(a0, f64x2.mul(v128.load(r0 + o), xv));
        a1 = f64x2.add(a1, f64x2.mul(v128.load(r1 + o), xv));
        a2 = f64x2.add(a2, f64x2.mul(v128.load(r2 + o), xv));
        a3 = f64x2.add(a3, f64x2.mul(v128.load(r3 + o), xv));
      }
      let s0 = hsum(a0);
      let s1 = hsum(a1);
      let s2 = hsum(a2);
      let s3 = hsum(a3);
      if (j < n) {
        const o = <usize>j << 3;
        const xj = load<f64>(px + o);
        s0 += load<f64>(r0 + o) * xj;
        s1 += load<f64>(r1 + o) * xj;
        s2 += load<f64>(r2 + o) * xj;
        s3 += load<f64>(r3 + o) * xj;
      }
      const q = py + <usize>(i * sy) * 8;
      if (beta == 0) {
        store<f64>(q, alpha * s0);
        store<f64>(q + dy, alpha * s1);
        store<f64>(q + 2 * dy, alpha * s2);
        store<f64>(q + 3 * dy, alpha * s3);
      } else {
        store<f64>(q, alpha * s0 + beta * load<f64>(q));
        store<f64>(q + dy, alpha * s1 + beta * load<f64>(q + dy));
        store<f64>(q + 2 * dy, alpha * s2 + beta * load<f64>(q + 2 * dy));
        store<f64>(q + 3 * dy, alpha * s3 + beta * load<f64>(q + 3 * dy));
      }
    }
    for (; i < m; i++) {
      const s = dotUnit(n, pa + <usize>i * rowBytes, px);
      const q = py + <usize>(i * sy) * 8;
      store<f64>(q, beta == 0 ? alpha * s : alpha * s + beta * load<f64>(q));
    }
    return;
  }
  for (; i < m; i++) {
    const s = ddot(n, pa + <usize>i * rowBytes, 1, px, sx);
    const q = py + <usize>(i * sy) * 8;
    store<f64>(q, beta == 0 ? alpha * s : alpha * s + beta * load<f64>(q));
  }
}

/** y ← alpha·Aᵀ·x + beta·y, A is m × n row-major: y accumulates scaled rows, four rows per pass. */
export function dgemvT(
  m: i32,
  n: i32,
  alpha: f64,
  pa: usize,
  lda: i32,
  px: usize,
  sx: i32,
  beta: f64,
  py: usize,
  sy: i32,
): void {
  if (n <= 0) return;
  scal(n, beta, py, sy);
  if (alpha == 0 || m <= 0) return;
  const rowBytes = <usize>lda << 3;
  const dx = <usize>(sx << 3);
  let i = 0;
  if (sy == 1) {
    for (; i + 4 <= m; i += 4) {
      const r0 = pa + <usize>i * rowBytes;
      const r1 = r0 + rowBytes;
      const r2 = r1 + rowBytes;
      const r3 = r2 + rowBytes;
      const xp = px + <usize>(i * sx) * 8;
      const t0 = alpha * load<f64>(xp);
      const t1 = alpha * load<f64>(xp + dx);
      const t2 = alpha * load<f64>(xp + 2 * dx);
      const t3 = alpha * load<f64>(xp + 3 * dx);
      const v0 = f64x2.splat(t0);
      const v1 = f64x2.splat(t1);
      const v2 = f64x2.splat(t2);
      const v3 = f64x2.splat(t3);
      let j = 0;
      for (; j + 2 <= n; j += 2) {
        const o = <usize>j << 3;
        let acc = v128.load(py + o);
        acc = f64x2.add(acc, f64x2.mul(v0, v128.load(r0 + o)));
        acc = f64x2.add(acc, f64x2.mul(v1, v128.load(r1 + o)));
        acc = f64x2.add(acc, f64x2.mul(v2, v128.load(r2 + o)));
        acc = f64x2.add(acc, f64x2.mul(v3, v128.load(r3 + o)));
        v128.store(py + o, acc);
      }
      if (j < n) {
        const o = <usize>j << 3;
        let acc = load<f64>(py + o);
        acc += t0 * load<f64>(r0 + o);
        acc += t1 * load<f64>(r1 + o);
        acc += t2 * load<f64>(r2 + o);
        acc += t3 * load<f64>(r3 + o);
        store<f64>(py + o, acc);
      }
    }
    for (; i < m; i++) axpyUnit(n, alpha * load<f64>(px + <usize>(i * sx) * 8), pa + <usize>i * rowBytes, py);
    return;
  }
  const dy = <usize>(sy << 3);
  for (; i < m; i++) {
    const t = alpha * load<f64>(px + <usize>(i * sx) * 8);
    const r = pa + <usize>i * rowBytes;
    let q = py;
    for (let j = 0; j < n; j++, q += dy) store<f64>(q, load<f64>(q) + t * load<f64>(r + (<usize>j << 3)));
  }
}

// ---------------------------------------------------------------------------------------------
// BLAS-3: one packed, register-blocked GEMM driver (Goto/BLIS layout) that also serves SYRK and
// the trailing updates of the blocked Cholesky through a triangle mask on C.

/** Micro-tile: MR rows × NR columns of C live in 8 f64x2 registers. */
const MR = 4;
const NR = 4;
/** Depth of a packed panel: KC·NR doubles of B (8 KiB) stay in L1 across the row sweep. */
const KC = 256;
/** Rows of A packed at once: MC·KC doubles (256 KiB) stay in L2. */
const MC = 128;
/** Columns of B packed at once: KC·NC doubles (2 MiB) stay in L3. */
const NC = 1024;

const TRI_FULL = 0;
const TRI_UPPER = 1;
const TRI_LOWER = 2;

/** Bytes of `work` that dgemm (and therefore dsyrk and dpotrf) needs. */
export function gemmWorkBytes(): i32 {
  return ((MC + MR) * KC + KC * (NC + NR) + MR * NR) << 3;
}

/** Whether (i, j) of C is written under the triangle mask. */
// @ts-ignore: decorator
@inline function inTriangle(i: i32, j: i32, tri: i32): bool {
  return tri == TRI_FULL || (tri == TRI_UPPER ? j >= i : j <= i);
}

/** C ← beta·C on the masked part of the m × n matrix (beta = 0 writes zeros unread). */
function scaleC(m: i32, n: i32, beta: f64, pc: usize, ldc: i32, tri: i32): void {
  if (beta == 1) return;
  for (let i = 0; i < m; i++) {
    let j0 = 0;
    let j1 = n;
    if (tri == TRI_UPPER) j0 = i;
    else if (tri == TRI_LOWER) j1 = imin(i + 1, n);
    if (j1 > j0) scal(j1 - j0, beta, pc + ((<usize>i * <usize>ldc + <usize>j0) << 3), 1);
  }
}

/**
 * Packs alpha·op(A)[i0 .. i0+mc, k0 .. k0+kc] into MR-row micro-panels: within a panel, the MR
 * values of one k are adjacent (what the micro-kernel splats). Rows past mc are zero.
 */
function packA(transA: i32, pa: usize, lda: i32, i0: i32, mc: i32, k0: i32, kc: i32, alpha: f64, dst: usize): void {
  const ldaBytes = <usize>lda << 3;
  for (let ip = 0; ip < mc; ip += MR) {
    const rows = imin(MR, mc - ip);
    if (transA == 0) {
      // op(A)(i, k) = A[i, k]: MR row streams, read along k.
      const base = pa + <usize>(i0 + ip) * ldaBytes + (<usize>k0 << 3);
      if (rows == MR) {
        const r1 = base + ldaBytes;
        const r2 = r1 + ldaBytes;
        const r3 = r2 + ldaBytes;
        for (let k = 0; k < kc; k++) {
          const o = <usize>k << 3;
          store<f64>(dst, alpha * load<f64>(base + o));
          store<f64>(dst, alpha * load<f64>(r1 + o), 8);
          store<f64>(dst, alpha * load<f64>(r2 + o), 16);
          store<f64>(dst, alpha * load<f64>(r3 + o), 24);
          dst += MR << 3;
        }
      } else {
        for (let k = 0; k < kc; k++) {
          for (let r = 0; r < MR; r++) {
            const v = r < rows ? alpha * load<f64>(base + <usize>r * ldaBytes + (<usize>k << 3)) : 0;
            store<f64>(dst + (<usize>r << 3), v);
          }
          dst += MR << 3;
        }
      }
    } else {
      // op(A)(i, k) = A[k, i]: the MR values of one k are contiguous in row k of A.
      const base = pa + <usize>k0 * ldaBytes + (<usize>(i0 + ip) << 3);
      if (rows == MR) {
        const va = f64x2.splat(alpha);
        for (let k = 0; k < kc; k++) {
          const src = base + <usize>k * ldaBytes;
          v128.store(dst, f64x2.mul(va, v128.load(src)));
          v128.store(dst, f64x2.mul(va, v128.load(src, 16)), 16);
          dst += MR << 3;
        }
      } else {
        for (let k = 0; k < kc; k++) {
          const src = base + <usize>k * ldaBytes;
          for (let r = 0; r < MR; r++) {
            store<f64>(dst + (<usize>r << 3), r < rows ? alpha * load<f64>(src + (<usize>r << 3)) : 0);
          }
          dst += MR << 3;
        }
      }
    }
  }
}

/**
 * Packs op(B)[k0 .. k0+kc, j0 .. j0+nc] into NR-column micro-panels: within a panel, the NR
 * values of one k are adjacent (two f64x2 loads in the micro-kernel). Columns past nc are zero.
 */
function packB(transB: i32, pb: usize, ldb: i32, k0: i32, kc: i32, j0: i32, nc: i32, dst: usize): void {
  const ldbBytes = <usize>ldb << 3;
  for (let jp = 0; jp < nc; jp += NR) {
    const cols = imin(NR, nc - jp);
    if (transB == 0) {
      // op(B)(k, j) = B[k, j]: NR contiguous values per k.
      const base = pb + <usize>k0 * ldbBytes + (<usize>(j0 + jp) << 3);
      if (cols == NR) {
        for (let k = 0; k < kc; k++) {
          const src = base + <usize>k * ldbBytes;
          v128.store(dst, v128.load(src));
          v128.store(dst, v128.load(src, 16), 16);
          dst += NR << 3;
        }
      } else {
        for (let k = 0; k < kc; k++) {
          const src = base + <usize>k * ldbBytes;
          for (let c = 0; c < NR; c++) store<f64>(dst + (<usize>c << 3), c < cols ? load<f64>(src + (<usize>c << 3)) : 0);
          dst += NR << 3;
        }
      }
    } else {
      // op(B)(k, j) = B[j, k]: NR row streams of B, read along k.
      const base = pb + <usize>(j0 + jp) * ldbBytes + (<usize>k0 << 3);
      if (cols == NR) {
        const r1 = base + ldbBytes;
        const r2 = r1 + ldbBytes;
        const r3 = r2 + ldbBytes;
        for (let k = 0; k < kc; k++) {
          const o = <usize>k << 3;
          store<f64>(dst, load<f64>(base + o));
          store<f64>(dst, load<f64>(r1 + o), 8);
          store<f64>(dst, load<f64>(r2 + o), 16);
          store<f64>(dst, load<f64>(r3 + o), 24);
          dst += NR << 3;
        }
      } else {
        for (let k = 0; k < kc; k++) {
          for (let c = 0; c < NR; c++) {
            const v = c < cols ? load<f64>(base + <usize>c * ldbBytes + (<usize>k << 3)) : 0;
            store<f64>(dst + (<usize>c << 3), v);
          }
          dst += NR << 3;
        }
      }
    }
  }
}

/**
 * C[i0.., j0..] += Apanel·Bpanel for one MR × NR tile over depth kc. Full interior tiles add the
 * registers straight into C; edge tiles and tiles cut by the triangle mask go through `tmp`.
 */
function microKernel(
  kc: i32,
  ap: usize,
  bp: usize,
  pc: usize,
  ldc: i32,
  rows: i32,
  cols: i32,
  i0: i32,
  j0: i32,
  tri: i32,
  tmp: usize,
): void {
  let c00 = f64x2.splat(0);
  let c01 = f64x2.splat(0);
  let c10 = f64x2.splat(0);
  let c11 = f64x2.splat(0);
  let c20 = f64x2.splat(0);
  let c21 = f64x2.splat(0);
  let c30 = f64x2.splat(0);
  let c31 = f64x2.splat(0);
  for (let k = 0; k < kc; k++) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let a = v128.load64_splat(ap);
    c00 = f64x2.add(c00, f64x2.mul(a, b0));
    c01 = f64x2.add(c01, f64x2.mul(a, b1));
    a = v128.load64_splat(ap, 8);
    c10 = f64x2.add(c10, f64x2.mul(a, b0));
    c11 = f64x2.add(c11, f64x2.mul(a, b1));
    a = v128.load64_splat(ap, 16);
    c20 = f64x2.add(c20, f64x2.mul(a, b0));
    c21 = f64x2.add(c21, f64x2.mul(a, b1));
    a = v128.load64_splat(ap, 24);
    c30 = f64x2.add(c30, f64x2.mul(a, b0));
    c31 = f64x2.add(c31, f64x2.mul(a, b1));
    ap += MR << 3;
    bp += NR << 3;
  }
  const ldcBytes = <usize>ldc << 3;
  const full =
    rows == MR &&
    cols == NR &&
    (tri == TRI_FULL || (tri == TRI_UPPER ? j0 >= i0 + MR - 1 : j0 + NR - 1 <= i0));
  if (full) {
    let c = pc;
    v128.store(c, f64x2.add(v128.load(c), c00));
    v128.store(c, f64x2.add(v128.load(c, 16), c01), 16);
    c += ldcBytes;
    v128.store(c, f64x2.add(v128.load(c), c10));
    v128.store(c, f64x2.add(v128.load(c, 16), c11), 16);
    c += ldcBytes;
    v128.store(c, f64x2.add(v128.load(c), c20));
    v128.store(c, f64x2.add(v128.load(c, 16), c21), 16);
    c += ldcBytes;
    v128.store(c, f64x2.add(v128.load(c), c30));
    v128.store(c, f64x2.add(v128.load(c, 16), c31), 16);
    return;
  }
  v128.store(tmp, c00);
  v128.store(tmp, c01, 16);
  v128.store(tmp, c10, 32);
  v128.store(tmp, c11, 48);
  v128.store(tmp, c20, 64);
  v128.store(tmp, c21, 80);
  v128.store(tmp, c30, 96);
  v128.store(tmp, c31, 112);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      if (!inTriangle(i0 + r, j0 + c, tri)) continue;
      const q = pc + <usize>r * ldcBytes + (<usize>c << 3);
      store<f64>(q, load<f64>(q) + load<f64>(tmp + (<usize>(r * NR + c) << 3)));
    }
  }
}

/**
 * C ← alpha·op(A)·op(B) + beta·C, op(A) m × k, op(B) k × n, restricted to the `tri` part of C
 * (0 all, 1 upper j ≥ i, 2 lower j ≤ i). `work` holds gemmWorkBytes() bytes.
 */
export function dgemm(
  transA: i32,
  transB: i32,
  m: i32,
  n: i32,
  k: i32,
  alpha: f64,
  pa: usize,
  lda: i32,
  pb: usize,
  ldb: i32,
  beta: f64,
  pc: usize,
  ldc: i32,
  work: usize,
  tri: i32,
): void {
  if (m <= 0 || n <= 0) return;
  scaleC(m, n, beta, pc, ldc, tri);
  if (alpha == 0 || k <= 0) return;
  const apack = work;
  const bpack = work + ((<usize>(MC + MR) * KC) << 3);
  const tmp = bpack + ((<usize>KC * (NC + NR)) << 3);
  const ldcBytes = <usize>ldc << 3;
  for (let jc = 0; jc < n; jc += NC) {
    const nc = imin(NC, n - jc);
    for (let pcol = 0; pcol < k; pcol += KC) {
      const kc = imin(KC, k - pcol);
      packB(transB, pb, ldb, pcol, kc, jc, nc, bpack);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = imin(MC, m - ic);
        // A block whose whole rectangle lies outside the triangle contributes nothing.
        if (tri == TRI_UPPER && jc + nc - 1 < ic) continue;
        if (tri == TRI_LOWER && jc > ic + mc - 1) continue;
        packA(transA, pa, lda, ic, mc, pcol, kc, alpha, apack);
        for (let jr = 0; jr < nc; jr += NR) {
          const cols = imin(NR, nc - jr);
          const j0 = jc + jr;
          const bp = bpack + ((<usize>jr * <usize>kc) << 3);
          for (let ir = 0; ir < mc; ir += MR) {
            const i0 = ic + ir;
            if (tri == TRI_UPPER && j0 + cols - 1 < i0) continue;
            if (tri == TRI_LOWER && j0 > i0 + MR - 1) continue;
            microKernel(
              kc,
              apack + ((<usize>ir * <usize>kc) << 3),
              bp,
              pc + <usize>i0 * ldcBytes + (<usize>j0 << 3),
              ldc,
              imin(MR, mc - ir),
              cols,
              i0,
              j0,
              tri,
              tmp,
            );
          }
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Cholesky (LAPACK dpotrf semantics: info = 0 or the 1-based index of the first bad pivot).

/** Panel width of the blocked factorisations. */
const NB = 64;

/**
 * A = UᵀU in place (upper triangle of the row-major n × n A). Blocked right-looking: the NB-row
 * panel is factored with contiguous row updates (which also solve the panel's off-diagonal block),
 * then the trailing upper triangle gets one GEMM-kernel update A22 ← A22 − U12ᵀ·U12.
 */
export function dpotrfU(n: i32, pa: usize, lda: i32, work: usize): i32 {
  const ldaBytes = <usize>lda << 3;
  for (let kb = 0; kb < n; kb += NB) {
    const kend = imin(kb + NB, n);
    for (let k = kb; k < kend; k++) {
      const rowk = pa + <usize>k * ldaBytes;
      const pkk = rowk + (<usize>k << 3);
      const d = load<f64>(pkk);
      if (!(d > 0)) return k + 1;
      const r = Math.sqrt(d);
      store<f64>(pkk, r);
      const len = n - k - 1;
      scal(len, 1 / r, pkk + 8, 1);
      for (let i = k + 1; i < kend; i++) {
        const a = load<f64>(rowk + (<usize>i << 3));
        if (a != 0) axpyUnit(n - i, -a, rowk + (<usize>i << 3), pa + <usize>i * ldaBytes + (<usize>i << 3));
      }
    }
    const rest = n - kend;
    if (rest > 0) {
      const u12 = pa + <usize>kb * ldaBytes + (<usize>kend << 3);
      const a22 = pa + <usize>kend * ldaBytes + (<usize>kend << 3);
      dgemm(1, 0, rest, rest, kend - kb, -1, u12, lda, u12, lda, 1, a22, lda, work, TRI_UPPER);
    }
  }
  return 0;
}

/**
 * A = L·Lᵀ in place (lower triangle of the row-major n × n A). Blocked: within a panel of NB
 * columns every entry is one contiguous dot product against an earlier row (Crout order, so the
 * pivots are met in order), then the trailing lower triangle gets A22 ← A22 − L21·L21ᵀ.
 */
export function dpotrfL(n: i32, pa: usize, lda: i32, work: usize): i32 {
  const ldaBytes = <usize>lda << 3;
  for (let kb = 0; kb < n; kb += NB) {
    const kend = imin(kb + NB, n);
    for (let i = kb; i < n; i++) {
      const rowi = pa + <usize>i * ldaBytes;
      const jmax = imin(i, kend - 1);
      for (let j = kb; j <= jmax; j++) {
        const rowj = pa + <usize>j * ldaBytes;
        const pij = rowi + (<usize>j << 3);
        const s = load<f64>(pij) - dotUnit(j - kb, rowi + (<usize>kb << 3), rowj + (<usize>kb << 3));
        if (j == i) {
          if (!(s > 0)) return i + 1;
          store<f64>(pij, Math.sqrt(s));
        } else {
          store<f64>(pij, s / load<f64>(rowj + (<usize>j << 3)));
        }
      }
    }
    const rest = n - kend;
    if (rest > 0) {
      const l21 = pa + <usize>kend * ldaBytes + (<usize>kb << 3);
      const a22 = pa + <usize>kend * ldaBytes + (<usize>kend << 3);
      dgemm(0, 1, rest, rest, kend - kb, -1, l21, lda, l21, lda, 1, a22, lda, work, TRI_LOWER);
    }
  }
  return 0;
}

// ---------------------------------------------------------------------------------------------
// Sparse

/**
 * y ← alpha·A·x + beta·y for CSR A (m rows, n columns), row pointers read as stored from
 * rowPtr[0]. Returns 0, or −(i+1) when rowPtr[i+1] exceeds `nnzMax` (the shorter of the index and
 * value arrays), or i+1 when row i holds a column index outside [0, n): the check is one
 * well-predicted compare per entry and keeps a malformed pattern from reading foreign memory.
 * Pairs of entries share one f64x2 multiply-add; the gathered x values are inserted lane by lane
 * (wasm has no gather).
 */
export function dcsrmv(
  m: i32,
  n: i32,
  alpha: f64,
  prp: usize,
  pci: usize,
  pv: usize,
  px: usize,
  sx: i32,
  beta: f64,
  py: usize,
  sy: i32,
  nnzMax: i32,
): i32 {
  if (m <= 0) return 0;
  const dy = <usize>(sy << 3);
  if (alpha == 0 || n <= 0) {
    scal(m, beta, py, sy);
    return 0;
  }
  const un = <u32>n;
  let k = load<i32>(prp);
  let q = py;
  if (sx == 1) {
    for (let i = 0; i < m; i++, q += dy) {
      const end = load<i32>(prp + (<usize>(i + 1) << 2));
      if (end > nnzMax) return -(i + 1);
      let acc = f64x2.splat(0);
      for (; k + 1 < end; k += 2) {
        const c0 = load<i32>(pci + (<usize>k << 2));
        const c1 = load<i32>(pci + (<usize>k << 2), 4);
        if (<u32>c0 >= un || <u32>c1 >= un) return i + 1;
        let xv = v128.load64_zero(px + (<usize>c0 << 3));
        xv = v128.load64_lane(px + (<usize>c1 << 3), xv, 1);
        acc = f64x2.add(acc, f64x2.mul(v128.load(pv + (<usize>k << 3)), xv));
      }
      let s = hsum(acc);
      if (k < end) {
        const c = load<i32>(pci + (<usize>k << 2));
        if (<u32>c >= un) return i + 1;
        s += load<f64>(pv + (<usize>k << 3)) * load<f64>(px + (<usize>c << 3));
        k++;
      }
      store<f64>(q, beta == 0 ? alpha * s : alpha * s + beta * load<f64>(q));
    }
    return 0;
  }
  for (let i = 0; i < m; i++, q += dy) {
    const end = load<i32>(prp + (<usize>(i + 1) << 2));
    if (end > nnzMax) return -(i + 1);
    let s: f64 = 0;
    for (; k < end; k++) {
      const c = load<i32>(pci + (<usize>k << 2));
      if (<u32>c >= un) return i + 1;
      s += load<f64>(pv + (<usize>k << 3)) * load<f64>(px + <usize>(c * sx) * 8);
    }
    store<f64>(q, beta == 0 ? alpha * s : alpha * s + beta * load<f64>(q));
  }
  return 0;
}

// ---------------------------------------------------------------------------------------------
// Kronecker matrix–vector product

/**
 * y ← op(A₁ ⊗ … ⊗ A_K)·x without forming the product (the last factor varies fastest in x).
 * x is a tensor of shape (q₁, …, q_K); applying factor m maps axis m from q_m to p_m, where
 * op(A_m) is p_m × q_m. Factors are applied last to first (the order of the plain kernel, so the
 * intermediates have the sizes kronWorkSize plans for), and each mode product is a batch of GEMMs
 * on the packed kernel: for the last axis one (left × q)·op(A)ᵀ, otherwise op(A)·X_l for each
 * leading index l. `pdims` holds rows[0..K) then cols[0..K) (i32), `pfac` the K factor addresses
 * (row-major, leading dimension = cols). Intermediates alternate between buf0 and buf1 and the
 * last product lands in y; `work` is the GEMM packing space. All dimensions must be positive.
 */
export function dkronmv(
  trans: i32,
  K: i32,
  pdims: usize,
  pfac: usize,
  px: usize,
  py: usize,
  buf0: usize,
  buf1: usize,
  work: usize,
): void {
  // Current tensor: axes < m still inputs (size q), axes > m already outputs (size p).
  let right: i32 = 1;
  let left: i32 = 1;
  for (let t = 0; t < K - 1; t++) left *= load<i32>(pdims + (<usize>(t + (trans ? 0 : K)) << 2));
  let src = px;
  for (let m = K - 1; m >= 0; m--) {
    const ar = load<i32>(pdims + (<usize>m << 2));
    const ac = load<i32>(pdims + (<usize>(K + m) << 2));
    const pa = <usize>load<i32>(pfac + (<usize>m << 2));
    const p = trans ? ac : ar;
    const q = trans ? ar : ac;
    const dst = m == 0 ? py : ((K - 1 - m) & 1) == 0 ? buf0 : buf1;
    if (right == 1) {
      // OUT (left × p) = IN (left × q) · op(A)ᵀ
      dgemm(0, trans ? 0 : 1, left, p, q, 1, src, q, pa, ac, 0, dst, p, work, TRI_FULL);
    } else {
      const inStride = (<usize>q * <usize>right) << 3;
      const outStride = (<usize>p * <usize>right) << 3;
      for (let l = 0; l < left; l++) {
        dgemm(
          trans,
          0,
          p,
          right,
          q,
          1,
          pa,
          ac,
          src + <usize>l * inStride,
          right,
          0,
          dst + <usize>l * outStride,
          right,
          work,
          TRI_FULL,
        );
      }
    }
    right *= p;
    if (m > 0) left /= trans ? load<i32>(pdims + (<usize>(m - 1) << 2)) : load<i32>(pdims + (<usize>(K + m - 1) << 2));
    src = dst;
  }
}
