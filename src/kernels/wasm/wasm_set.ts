/**
 * The WebAssembly-SIMD kernel set: the AssemblyScript kernels of `wasm/kernels.ts` (compiled and
 * embedded by `scripts/build-wasm.mjs`) behind the {@link KernelSet} interface, with the same
 * semantics, argument checks and errors as the plain set.
 *
 * Data placement. Wasm code reads only its own memory, so every operand needs an address there.
 * Arrays allocated from the set's {@link WasmArena} already have one and are passed by pointer at
 * no cost. Other arrays are handled by cost:
 * - when the foreign operand is the bulk of the work (the matrix of dgemv/dcsrmv, either vector of
 *   ddot/daxpy), copying it in would cost as much as the plain kernel itself, so the call goes to
 *   the plain kernel — never slower than the plain set;
 * - otherwise (the vectors of dgemv/dcsrmv, every operand of dgemm/dsyrk/dpotrf, whose work grows
 *   faster than their data, and the Kronecker factors and vectors) the operand is copied into a
 *   scratch block of the arena, packed to unit stride, and outputs are copied back afterwards.
 * The scratch block and the GEMM packing space are reserved once and grown on demand; if the
 * arena cannot provide them, the call falls back to the plain kernel.
 *
 * @module
 */
import { checkFlag, checkMatrix, checkStride, checkVector } from "../blas1.js";
import type { KernelSet, Transpose, Uplo } from "../kernel_set.js";
import { plainKernels } from "../plain_set.js";
import { WasmArena, type WasmApi, webAssemblyApi } from "./arena.js";
import { KERNELS_WASM_BASE64 } from "./generated/kernels_wasm.js";

/** The functions `wasm/kernels.ts` exports (pointers are byte addresses, strides in elements). */
interface KernelExports {
  heapBase(): number;
  gemmWorkBytes(): number;
  ddot(n: number, px: number, sx: number, py: number, sy: number): number;
  daxpy(n: number, alpha: number, px: number, sx: number, py: number, sy: number): void;
  dgemvN(...args: number[]): void;
  dgemvT(...args: number[]): void;
  dgemm(...args: number[]): void;
  dpotrfU(n: number, pa: number, lda: number, work: number): number;
  dpotrfL(n: number, pa: number, lda: number, work: number): number;
  dcsrmv(...args: number[]): number;
  dkronmv(...args: number[]): void;
}

/**
 * A loaded wasm kernel set and the arena its fast operands live in.
 *
 * @example
 * ```ts
 * const { kernels, arena } = loadWasmKernels()!;
 * const x = arena.float64(1000)!; // used in place by kernels.ddot(...)
 * ```
 */
export interface WasmKernels {
  /** The kernels, named `'wasm-simd'`. */
  readonly kernels: KernelSet;
  /** Allocator for arrays the kernels can use in place. */
  readonly arena: WasmArena;
  /** Bytes of the GEMM packing buffer the set reserves in the arena on first use (dgemm, dsyrk, dpotrf, dkronmv). */
  readonly packingBytes: number;
}

/** Initial memory: 4 MiB, enough for the GEMM packing space; it grows on demand. */
const INITIAL_PAGES = 64;
/** The module declares a 4 GiB (wasm32) maximum; shared memories must state one. */
const MAXIMUM_PAGES = 65536;

/**
 * The compiled kernel module's bytes.
 *
 * @example
 * ```ts
 * const bytes = kernelsWasmBytes(); // starts with "\0asm"
 * ```
 */
export function kernelsWasmBytes(): Uint8Array {
  const text = atob(KERNELS_WASM_BASE64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/**
 * Compiles and instantiates the kernel module on a fresh shared memory. Returns undefined when
 * the engine has no WebAssembly, rejects the module (no SIMD or no shared memory/threads), or
 * refuses a synchronous compile (browser main threads limit it).
 *
 * @example
 * ```ts
 * const loaded = loadWasmKernels();
 * const k = loaded ? loaded.kernels : plainKernels;
 * ```
 */
export function loadWasmKernels(api: WasmApi | undefined = webAssemblyApi()): WasmKernels | undefined {
  if (!api) return undefined;
  const bytes = kernelsWasmBytes();
  try {
    if (!api.validate(bytes)) return undefined;
    const memory = new api.Memory({ initial: INITIAL_PAGES, maximum: MAXIMUM_PAGES, shared: true });
    const instance = new api.Instance(new api.Module(bytes), { env: { memory } });
    const exports = instance.exports as KernelExports;
    const arena = new WasmArena(memory, exports.heapBase());
    return { kernels: createWasmKernelSet(exports, arena), arena, packingBytes: exports.gemmWorkBytes() };
  } catch {
    return undefined;
  }
}

function alignUp(bytes: number): number {
  return Math.ceil(bytes / 16) * 16;
}

function fail(where: string, what: string, got: string, expected: string): never {
  throw new RangeError(`${where}: ${what} — got ${got}, expected ${expected}.`);
}

/** Builds the KernelSet over an instantiated module and its arena. */
function createWasmKernelSet(ex: KernelExports, arena: WasmArena): KernelSet {
  const plain = plainKernels;

  // --- Scratch: one block reused by every call, carved front to back by a cursor. ------------
  let scratchAddr = -1;
  let scratchBytes = 0;
  let cursor = 0;
  let gemmWork = -1;

  /** Makes `bytes` of scratch available and resets the cursor; false if the arena is exhausted. */
  function beginScratch(bytes: number): boolean {
    if (bytes > scratchBytes) {
      if (scratchAddr >= 0) arena.releaseBlock(scratchAddr);
      const want = Math.max(bytes, 2 * scratchBytes);
      scratchAddr = arena.reserve(want);
      scratchBytes = want;
      if (scratchAddr < 0) {
        scratchAddr = arena.reserve(bytes);
        scratchBytes = scratchAddr < 0 ? 0 : bytes;
      }
      if (scratchAddr < 0) return false;
    }
    cursor = scratchAddr;
    return true;
  }

  function take(bytes: number): number {
    const addr = cursor;
    cursor += alignUp(bytes);
    return addr;
  }

  /** The GEMM packing space (also used by dsyrk, dpotrf and dkronmv); false if unavailable. */
  function haveGemmWork(): boolean {
    if (gemmWork < 0) gemmWork = arena.reserve(ex.gemmWorkBytes());
    return gemmWork >= 0;
  }

  // --- Copies between foreign arrays and scratch (plain loops: no allocation). ----------------
  function vecIn(v: Float64Array, n: number, stride: number, offset: number, addr: number): void {
    const h = arena.f64;
    const d = addr / 8;
    for (let i = 0, iv = offset; i < n; i++, iv += stride) h[d + i] = v[iv];
  }
  function vecOut(v: Float64Array, n: number, stride: number, offset: number, addr: number): void {
    const h = arena.f64;
    const d = addr / 8;
    for (let i = 0, iv = offset; i < n; i++, iv += stride) v[iv] = h[d + i];
  }
  /** Copies a rows × cols block (leading dimension ld) into scratch packed with leading dimension cols. */
  function matIn(A: Float64Array, rows: number, cols: number, ld: number, offset: number, addr: number): void {
    const h = arena.f64;
    let d = addr / 8;
    for (let i = 0; i < rows; i++, d += cols) {
      const r = offset + i * ld;
      for (let j = 0; j < cols; j++) h[d + j] = A[r + j];
    }
  }
  function matOut(A: Float64Array, rows: number, cols: number, ld: number, offset: number, addr: number): void {
    const h = arena.f64;
    let d = addr / 8;
    for (let i = 0; i < rows; i++, d += cols) {
      const r = offset + i * ld;
      for (let j = 0; j < cols; j++) A[r + j] = h[d + j];
    }
  }
  /** Copies the `lower`/upper triangle of an n × n block to or from scratch (packed, ld = n). */
  function triCopy(
    toScratch: boolean,
    lower: boolean,
    n: number,
    A: Float64Array,
    ld: number,
    offset: number,
    addr: number,
  ) {
    const h = arena.f64;
    const d = addr / 8;
    for (let i = 0; i < n; i++) {
      const r = offset + i * ld;
      const s = d + i * n;
      const j0 = lower ? 0 : i;
      const j1 = lower ? i + 1 : n;
      if (toScratch) for (let j = j0; j < j1; j++) h[s + j] = A[r + j];
      else for (let j = j0; j < j1; j++) A[r + j] = h[s + j];
    }
  }

  const ddot = (
    N: number,
    x: Float64Array,
    strideX: number,
    offsetX: number,
    y: Float64Array,
    strideY: number,
    offsetY: number,
  ): number => {
    if (N <= 0) return 0;
    if (!arena.owns(x) || !arena.owns(y)) return plain.ddot(N, x, strideX, offsetX, y, strideY, offsetY);
    checkVector("ddot", "x", N, x, strideX, offsetX, 1);
    checkVector("ddot", "y", N, y, strideY, offsetY, 1);
    return ex.ddot(N, x.byteOffset + 8 * offsetX, strideX, y.byteOffset + 8 * offsetY, strideY);
  };

  const daxpy = (
    N: number,
    alpha: number,
    x: Float64Array,
    strideX: number,
    offsetX: number,
    y: Float64Array,
    strideY: number,
    offsetY: number,
  ): void => {
    if (N <= 0 || alpha === 0) return;
    if (!arena.owns(x) || !arena.owns(y)) {
      plain.daxpy(N, alpha, x, strideX, offsetX, y, strideY, offsetY);
      return;
    }
    checkVector("daxpy", "x", N, x, strideX, offsetX, 1);
    checkVector("daxpy", "y", N, y, strideY, offsetY, 1);
    ex.daxpy(N, alpha, x.byteOffset + 8 * offsetX, strideX, y.byteOffset + 8 * offsetY, strideY);
  };

  const dgemv = (
    trans: Transpose,
    M: number,
    N: number,
    alpha: number,
    A: Float64Array,
    lda: number,
    offsetA: number,
    x: Float64Array,
    strideX: number,
    offsetX: number,
    beta: number,
    y: Float64Array,
    strideY: number,
    offsetY: number,
  ): void => {
    if (!arena.owns(A)) {
      plain.dgemv(trans, M, N, alpha, A, lda, offsetA, x, strideX, offsetX, beta, y, strideY, offsetY);
      return;
    }
    checkFlag("dgemv", "trans", trans, "NT");
    checkStride("dgemv", "strideX", strideX);
    checkStride("dgemv", "strideY", strideY);
    if (M < 0) M = 0;
    if (N < 0) N = 0;
    const notrans = trans === "N";
    const ny = notrans ? M : N;
    const nx = notrans ? N : M;
    checkMatrix("dgemv", "A", M, N, A, lda, offsetA, 1);
    checkVector("dgemv", "x", nx, x, strideX, offsetX, 1);
    checkVector("dgemv", "y", ny, y, strideY, offsetY, 1);
    if (ny === 0) return;
    const readsX = alpha !== 0 && nx > 0;
    const copyX = readsX && !arena.owns(x);
    const copyY = !arena.owns(y);
    if ((copyX || copyY) && !beginScratch((copyX ? alignUp(8 * nx) : 0) + (copyY ? alignUp(8 * ny) : 0))) {
      plain.dgemv(trans, M, N, alpha, A, lda, offsetA, x, strideX, offsetX, beta, y, strideY, offsetY);
      return;
    }
    let px = readsX ? x.byteOffset + 8 * offsetX : 0;
    let sx = strideX;
    if (copyX) {
      px = take(8 * nx);
      vecIn(x, nx, strideX, offsetX, px);
      sx = 1;
    }
    let py = y.byteOffset + 8 * offsetY;
    let sy = strideY;
    if (copyY) {
      py = take(8 * ny);
      if (beta !== 0) vecIn(y, ny, strideY, offsetY, py);
      sy = 1;
    }
    const pa = A.byteOffset + 8 * offsetA;
    if (notrans) ex.dgemvN(M, N, alpha, pa, lda, px, sx, beta, py, sy);
    else ex.dgemvT(M, N, alpha, pa, lda, px, sx, beta, py, sy);
    if (copyY) vecOut(y, ny, strideY, offsetY, py);
  };

  const dgemm = (
    transA: Transpose,
    transB: Transpose,
    M: number,
    N: number,
    K: number,
    alpha: number,
    A: Float64Array,
    lda: number,
    offsetA: number,
    B: Float64Array,
    ldb: number,
    offsetB: number,
    beta: number,
    C: Float64Array,
    ldc: number,
    offsetC: number,
  ): void => {
    checkFlag("dgemm", "transA", transA, "NT");
    checkFlag("dgemm", "transB", transB, "NT");
    if (M < 0) M = 0;
    if (N < 0) N = 0;
    if (K < 0) K = 0;
    const aN = transA === "N";
    const bN = transB === "N";
    const aRows = aN ? M : K;
    const aCols = aN ? K : M;
    const bRows = bN ? K : N;
    const bCols = bN ? N : K;
    checkMatrix("dgemm", "A", aRows, aCols, A, lda, offsetA, 1);
    checkMatrix("dgemm", "B", bRows, bCols, B, ldb, offsetB, 1);
    checkMatrix("dgemm", "C", M, N, C, ldc, offsetC, 1);
    if (M === 0 || N === 0) return;
    const product = alpha !== 0 && K > 0;
    const copyA = product && !arena.owns(A);
    const copyB = product && !arena.owns(B);
    const copyC = !arena.owns(C);
    const need =
      (copyA ? alignUp(8 * aRows * aCols) : 0) +
      (copyB ? alignUp(8 * bRows * bCols) : 0) +
      (copyC ? alignUp(8 * M * N) : 0);
    if ((need > 0 && !beginScratch(need)) || (product && !haveGemmWork())) {
      plain.dgemm(transA, transB, M, N, K, alpha, A, lda, offsetA, B, ldb, offsetB, beta, C, ldc, offsetC);
      return;
    }
    let pa = product ? A.byteOffset + 8 * offsetA : 0;
    let la = lda;
    if (copyA) {
      pa = take(8 * aRows * aCols);
      matIn(A, aRows, aCols, lda, offsetA, pa);
      la = aCols;
    }
    let pb = product ? B.byteOffset + 8 * offsetB : 0;
    let lb = ldb;
    if (copyB) {
      pb = take(8 * bRows * bCols);
      matIn(B, bRows, bCols, ldb, offsetB, pb);
      lb = bCols;
    }
    let pc = C.byteOffset + 8 * offsetC;
    let lc = ldc;
    if (copyC) {
      pc = take(8 * M * N);
      if (beta !== 0) matIn(C, M, N, ldc, offsetC, pc);
      lc = N;
    }
    ex.dgemm(aN ? 0 : 1, bN ? 0 : 1, M, N, K, alpha, pa, la, pb, lb, beta, pc, lc, product ? gemmWork : 0, 0);
    if (copyC) matOut(C, M, N, ldc, offsetC, pc);
  };

  const dsyrk = (
    uplo: Uplo,
    trans: Transpose,
    N: number,
    K: number,
    alpha: number,
    A: Float64Array,
    lda: number,
    offsetA: number,
    beta: number,
    C: Float64Array,
    ldc: number,
    offsetC: number,
  ): void => {
    checkFlag("dsyrk", "uplo", uplo, "UL");
    checkFlag("dsyrk", "trans", trans, "NT");
    if (N < 0) N = 0;
    if (K < 0) K = 0;
    const notrans = trans === "N";
    const aRows = notrans ? N : K;
    const aCols = notrans ? K : N;
    checkMatrix("dsyrk", "A", aRows, aCols, A, lda, offsetA, 1);
    checkMatrix("dsyrk", "C", N, N, C, ldc, offsetC, 1);
    if (N === 0) return;
    const lower = uplo === "L";
    const product = alpha !== 0 && K > 0;
    const copyA = product && !arena.owns(A);
    const copyC = !arena.owns(C);
    const need = (copyA ? alignUp(8 * aRows * aCols) : 0) + (copyC ? alignUp(8 * N * N) : 0);
    if ((need > 0 && !beginScratch(need)) || (product && !haveGemmWork())) {
      plain.dsyrk(uplo, trans, N, K, alpha, A, lda, offsetA, beta, C, ldc, offsetC);
      return;
    }
    let pa = product ? A.byteOffset + 8 * offsetA : 0;
    let la = lda;
    if (copyA) {
      pa = take(8 * aRows * aCols);
      matIn(A, aRows, aCols, lda, offsetA, pa);
      la = aCols;
    }
    let pc = C.byteOffset + 8 * offsetC;
    let lc = ldc;
    if (copyC) {
      pc = take(8 * N * N);
      if (beta !== 0) triCopy(true, lower, N, C, ldc, offsetC, pc);
      lc = N;
    }
    // C ← alpha·op(A)·op(A)ᵀ + beta·C on one triangle: the GEMM driver with a triangle mask,
    // reading A once as the left and once (transposed) as the right operand.
    const tA = notrans ? 0 : 1;
    ex.dgemm(tA, 1 - tA, N, N, K, alpha, pa, la, pa, la, beta, pc, lc, product ? gemmWork : 0, lower ? 2 : 1);
    if (copyC) triCopy(false, lower, N, C, ldc, offsetC, pc);
  };

  const dpotrf = (uplo: Uplo, N: number, A: Float64Array, lda: number, offsetA: number): number => {
    if (uplo !== "U" && uplo !== "L") {
      throw new RangeError(`dpotrf: invalid uplo — got ${JSON.stringify(uplo)}, expected "U" or "L".`);
    }
    if (N <= 0) return 0;
    if (!Number.isInteger(lda) || lda < Math.max(1, N))
      fail("dpotrf", "leading dimension of A too small", `${lda}`, `an integer >= ${N}`);
    if (!Number.isInteger(offsetA) || offsetA < 0 || offsetA + (N - 1) * lda + N > A.length) {
      fail("dpotrf", "A too short", `length ${A.length} with offset ${offsetA}`, `>= ${offsetA + (N - 1) * lda + N}`);
    }
    const lower = uplo === "L";
    const copyA = !arena.owns(A);
    if ((copyA && !beginScratch(8 * N * N)) || !haveGemmWork()) return plain.dpotrf(uplo, N, A, lda, offsetA);
    let pa = A.byteOffset + 8 * offsetA;
    let la = lda;
    if (copyA) {
      pa = take(8 * N * N);
      triCopy(true, lower, N, A, lda, offsetA, pa);
      la = N;
    }
    const info = lower ? ex.dpotrfL(N, pa, la, gemmWork) : ex.dpotrfU(N, pa, la, gemmWork);
    if (copyA) triCopy(false, lower, N, A, lda, offsetA, pa);
    return info;
  };

  const dcsrmv = (
    M: number,
    N: number,
    alpha: number,
    rowPtr: Int32Array,
    colIdx: Int32Array,
    values: Float64Array,
    x: Float64Array,
    strideX: number,
    offsetX: number,
    beta: number,
    y: Float64Array,
    strideY: number,
    offsetY: number,
  ): void => {
    if (M <= 0 || N <= 0 || alpha === 0 || !arena.owns(rowPtr) || !arena.owns(colIdx) || !arena.owns(values)) {
      plain.dcsrmv(M, N, alpha, rowPtr, colIdx, values, x, strideX, offsetX, beta, y, strideY, offsetY);
      return;
    }
    if (rowPtr.length < M + 1)
      fail("dcsrmv", "pointer array too short", `length ${rowPtr.length}`, `at least ${M + 1}`);
    const end = rowPtr[M];
    const first = rowPtr[0];
    if (first < 0 || first > end) fail("dcsrmv", "invalid first pointer", `${first}`, `0 <= ptr[0] <= ${end}`);
    const nnzMax = Math.min(colIdx.length, values.length);
    if (end > nnzMax) {
      fail(
        "dcsrmv",
        "pattern has more entries than its index/value arrays",
        `ptr[${M}] = ${end} with ${colIdx.length} indices and ${values.length} values`,
        `ptr[${M}] <= both lengths`,
      );
    }
    checkStride("dcsrmv", "strideX", strideX);
    checkStride("dcsrmv", "strideY", strideY);
    checkVector("dcsrmv", "y", M, y, strideY, offsetY, 1);
    checkVector("dcsrmv", "x", N, x, strideX, offsetX, 1);
    const copyX = !arena.owns(x);
    const copyY = !arena.owns(y);
    if ((copyX || copyY) && !beginScratch((copyX ? alignUp(8 * N) : 0) + (copyY ? alignUp(8 * M) : 0))) {
      plain.dcsrmv(M, N, alpha, rowPtr, colIdx, values, x, strideX, offsetX, beta, y, strideY, offsetY);
      return;
    }
    let px = x.byteOffset + 8 * offsetX;
    let sx = strideX;
    if (copyX) {
      px = take(8 * N);
      vecIn(x, N, strideX, offsetX, px);
      sx = 1;
    }
    let py = y.byteOffset + 8 * offsetY;
    let sy = strideY;
    if (copyY) {
      py = take(8 * M);
      if (beta !== 0) vecIn(y, M, strideY, offsetY, py);
      sy = 1;
    }
    const status = ex.dcsrmv(
      M,
      N,
      alpha,
      rowPtr.byteOffset,
      colIdx.byteOffset,
      values.byteOffset,
      px,
      sx,
      beta,
      py,
      sy,
      nnzMax,
    );
    if (status > 0) {
      fail(
        "dcsrmv",
        `row ${status - 1} has a column index outside the matrix`,
        "an index < 0 or >= N",
        `indices in [0, ${N})`,
      );
    }
    if (status < 0) {
      fail(
        "dcsrmv",
        `row pointer ${-status} runs past the index/value arrays`,
        `ptr[${-status}] = ${rowPtr[-status]}`,
        `<= ${nnzMax}`,
      );
    }
    if (copyY) vecOut(y, M, strideY, offsetY, py);
  };

  const dkronmv = (
    trans: Transpose,
    K: number,
    rows: Int32Array,
    cols: Int32Array,
    factors: readonly Float64Array[],
    x: Float64Array,
    y: Float64Array,
    work: Float64Array,
  ): void => {
    if (trans !== "N" && trans !== "T") fail("dkronmv", "invalid trans", `'${trans}'`, "'N' or 'T'");
    if (K <= 0) return;
    const t = trans === "T";
    if (rows.length < K || cols.length < K) {
      fail(
        "dkronmv",
        "dimension arrays too short",
        `rows.length ${rows.length}, cols.length ${cols.length}`,
        `at least K = ${K}`,
      );
    }
    // Sizes as the plain kernel plans them: the same factor order gives the same intermediates.
    let nIn = 1;
    let nOut = 1;
    let maxFactor = 0;
    for (let k = 0; k < K; k++) {
      const r = rows[k];
      const c = cols[k];
      if (r < 0 || c < 0) fail("dkronmv", `factor ${k} has a negative dimension`, `${r} × ${c}`, "non-negative sizes");
      nIn *= t ? r : c;
      nOut *= t ? c : r;
      if (r * c > maxFactor) maxFactor = r * c;
    }
    let maxInter = 0;
    let size = nIn;
    for (let k = K - 1; k >= 1; k--) {
      const inDim = t ? rows[k] : cols[k];
      size = inDim === 0 ? 0 : (size / inDim) * (t ? cols[k] : rows[k]);
      if (size > maxInter) maxInter = size;
    }
    if (factors.length < K) fail("dkronmv", "too few factors", `${factors.length}`, `K = ${K}`);
    let factorBytes = 0;
    for (let k = 0; k < K; k++) {
      const need = rows[k] * cols[k];
      if (factors[k].length < need) {
        fail(
          "dkronmv",
          `factor ${k} too short`,
          `length ${factors[k].length}`,
          `at least ${need} for ${rows[k]} × ${cols[k]}`,
        );
      }
      if (!arena.owns(factors[k])) factorBytes += alignUp(8 * need);
    }
    if (x.length < nIn) fail("dkronmv", "x too short", `length ${x.length}`, `at least ${nIn}`);
    if (y.length < nOut) fail("dkronmv", "y too short", `length ${y.length}`, `at least ${nOut}`);
    const needWork = 2 * maxInter + (t ? maxFactor : 0);
    if (work.length < needWork) fail("dkronmv", "work too short", `length ${work.length}`, `at least ${needWork}`);
    if (nOut === 0) return;
    if (nIn === 0) {
      // Some factor has no input columns: the product is the zero matrix.
      y.fill(0, 0, nOut);
      return;
    }
    const copyX = !arena.owns(x);
    const copyY = !arena.owns(y);
    const ownWork = arena.owns(work);
    const need =
      alignUp(8 * K) +
      alignUp(4 * K) +
      factorBytes +
      (copyX ? alignUp(8 * nIn) : 0) +
      (copyY ? alignUp(8 * nOut) : 0) +
      (ownWork ? 0 : 2 * alignUp(8 * maxInter));
    if (!beginScratch(need) || !haveGemmWork()) {
      plain.dkronmv(trans, K, rows, cols, factors, x, y, work);
      return;
    }
    const dims = take(8 * K);
    const ptrs = take(4 * K);
    const h32 = arena.i32;
    for (let k = 0; k < K; k++) {
      h32[dims / 4 + k] = rows[k];
      h32[dims / 4 + K + k] = cols[k];
      const f = factors[k];
      let pf = f.byteOffset;
      if (!arena.owns(f)) {
        pf = take(8 * rows[k] * cols[k]);
        vecIn(f, rows[k] * cols[k], 1, 0, pf);
      }
      h32[ptrs / 4 + k] = pf;
    }
    let px = x.byteOffset;
    if (copyX) {
      px = take(8 * nIn);
      vecIn(x, nIn, 1, 0, px);
    }
    const py = copyY ? take(8 * nOut) : y.byteOffset;
    const buf0 = ownWork ? work.byteOffset : take(8 * maxInter);
    const buf1 = ownWork ? work.byteOffset + 8 * maxInter : take(8 * maxInter);
    ex.dkronmv(t ? 1 : 0, K, dims, ptrs, px, py, buf0, buf1, gemmWork);
    if (copyY) vecOut(y, nOut, 1, 0, py);
  };

  return Object.freeze({ name: "wasm-simd", ddot, daxpy, dgemv, dgemm, dsyrk, dpotrf, dcsrmv, dkronmv });
}
