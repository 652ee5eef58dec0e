/**
 * Level-3 BLAS on row-major matrices: general product, symmetric rank-k update, triangular
 * solve with many right-hand sides.
 *
 * All matrices are row-major with a leading dimension (the row pitch); the BLAS forms put every
 * matrix at offset 0, the offset forms take `offsetX` right after each leading dimension.
 * `beta = 0` overwrites C without reading it; `alpha = 0` skips A and B. Outputs must not
 * overlap the inputs.
 *
 * Speed: everything funnels into one cache-blocked i-k-j sweep whose inner loop runs over a
 * contiguous row of B and of C, with a 4 × 4 register block (4 rows of C, 4 values of k) so each
 * load of B feeds four multiply-adds and each load/store of C carries four. When op(B) would be
 * read across rows (B transposed), a KC × NC panel of it is first copied into a fixed scratch
 * buffer so the same sweep applies. V8 does not vectorise, so this register reuse is what lifts
 * plain JS from ~1.2 to ~5–6 GFLOP/s at n = 500.
 */
import { checkFlag, checkMatrix } from "./blas1.js";
import { dtrsvOffset } from "./blas2.js";
import type { Transpose, Uplo } from "./kernel_set.js";

/** Depth of a k panel: KC rows of the B panel are swept per pass over C. */
const KC = 128;
/** Width of a j panel: 4 rows × NC doubles of C stay in L1, KC × NC of B in L2. */
const NC = 256;
/**
 * Scratch for a transposed B panel (256 KiB, allocated once at load). Kernels run to completion
 * without yielding and never call each other while it is live, so one buffer is enough.
 */
const PANEL = new Float64Array(KC * NC);

/**
 * C[i, j] += alpha · Σ_k opA[i, k] · opB[k, j] for i < M, j < N, k < K, where
 * opA[i, k] = A[offsetA + i·sAi + k·sAk] and opB[k, j] = B[offsetB + k·sBk + j·sBj].
 * The strides cover all transpose combinations (and the sub-blocks dsyrk needs).
 */
function gemmAccumulate(
  M: number,
  N: number,
  K: number,
  alpha: number,
  A: Float64Array,
  sAi: number,
  sAk: number,
  offsetA: number,
  B: Float64Array,
  sBk: number,
  sBj: number,
  offsetB: number,
  C: Float64Array,
  ldc: number,
  offsetC: number,
): void {
  for (let jj = 0; jj < N; jj += NC) {
    const nb = Math.min(N - jj, NC);
    for (let kk = 0; kk < K; kk += KC) {
      const kb = Math.min(K - kk, KC);
      const aPanel = offsetA + kk * sAk;
      if (sBj === 1) {
        sweep(M, nb, kb, alpha, A, sAi, sAk, aPanel, B, sBk, offsetB + kk * sBk + jj, C, ldc, offsetC + jj);
      } else {
        // Copy the kb × nb panel of op(B) so its rows are contiguous; reading B along its own
        // rows keeps the copy's source access sequential.
        for (let j = 0; j < nb; j++) {
          let src = offsetB + kk * sBk + (jj + j) * sBj;
          let dst = j;
          for (let k = 0; k < kb; k++, src += sBk, dst += nb) PANEL[dst] = B[src];
        }
        sweep(M, nb, kb, alpha, A, sAi, sAk, aPanel, PANEL, nb, 0, C, ldc, offsetC + jj);
      }
    }
  }
}

/**
 * The register-blocked sweep: C[i, 0:nb] += alpha · opA[i, 0:kb] · Bp[0:kb, 0:nb] where row k of
 * the panel Bp starts at offsetB + k·ldb and is contiguous.
 */
function sweep(
  M: number,
  nb: number,
  kb: number,
  alpha: number,
  A: Float64Array,
  sAi: number,
  sAk: number,
  offsetA: number,
  B: Float64Array,
  ldb: number,
  offsetB: number,
  C: Float64Array,
  ldc: number,
  offsetC: number,
): void {
  let i = 0;
  for (; i + 3 < M; i += 4) {
    const c0 = offsetC + i * ldc;
    const c1 = c0 + ldc;
    const c2 = c1 + ldc;
    const c3 = c2 + ldc;
    const a0 = offsetA + i * sAi;
    const a1 = a0 + sAi;
    const a2 = a1 + sAi;
    const a3 = a2 + sAi;
    let k = 0;
    for (; k + 3 < kb; k += 4) {
      const o0 = k * sAk;
      const o1 = o0 + sAk;
      const o2 = o1 + sAk;
      const o3 = o2 + sAk;
      const p0 = alpha * A[a0 + o0];
      const p1 = alpha * A[a0 + o1];
      const p2 = alpha * A[a0 + o2];
      const p3 = alpha * A[a0 + o3];
      const q0 = alpha * A[a1 + o0];
      const q1 = alpha * A[a1 + o1];
      const q2 = alpha * A[a1 + o2];
      const q3 = alpha * A[a1 + o3];
      const r0 = alpha * A[a2 + o0];
      const r1 = alpha * A[a2 + o1];
      const r2 = alpha * A[a2 + o2];
      const r3 = alpha * A[a2 + o3];
      const s0 = alpha * A[a3 + o0];
      const s1 = alpha * A[a3 + o1];
      const s2 = alpha * A[a3 + o2];
      const s3 = alpha * A[a3 + o3];
      const b0 = offsetB + k * ldb;
      const b1 = b0 + ldb;
      const b2 = b1 + ldb;
      const b3 = b2 + ldb;
      for (let j = 0; j < nb; j++) {
        const x0 = B[b0 + j];
        const x1 = B[b1 + j];
        const x2 = B[b2 + j];
        const x3 = B[b3 + j];
        C[c0 + j] += p0 * x0 + p1 * x1 + p2 * x2 + p3 * x3;
        C[c1 + j] += q0 * x0 + q1 * x1 + q2 * x2 + q3 * x3;
        C[c2 + j] += r0 * x0 + r1 * x1 + r2 * x2 + r3 * x3;
        C[c3 + j] += s0 * x0 + s1 * x1 + s2 * x2 + s3 * x3;
      }
    }
    for (; k < kb; k++) {
      const o = k * sAk;
      const p = alpha * A[a0 + o];
      const q = alpha * A[a1 + o];
      const r = alpha * A[a2 + o];
      const s = alpha * A[a3 + o];
      const b = offsetB + k * ldb;
      for (let j = 0; j < nb; j++) {
        const x = B[b + j];
        C[c0 + j] += p * x;
        C[c1 + j] += q * x;
        C[c2 + j] += r * x;
        C[c3 + j] += s * x;
      }
    }
  }
  for (; i < M; i++) {
    const c = offsetC + i * ldc;
    const a = offsetA + i * sAi;
    let k = 0;
    for (; k + 3 < kb; k += 4) {
      const p0 = alpha * A[a + k * sAk];
      const p1 = alpha * A[a + (k + 1) * sAk];
      const p2 = alpha * A[a + (k + 2) * sAk];
      const p3 = alpha * A[a + (k + 3) * sAk];
      const b0 = offsetB + k * ldb;
      const b1 = b0 + ldb;
      const b2 = b1 + ldb;
      const b3 = b2 + ldb;
      for (let j = 0; j < nb; j++) C[c + j] += p0 * B[b0 + j] + p1 * B[b1 + j] + p2 * B[b2 + j] + p3 * B[b3 + j];
    }
    for (; k < kb; k++) {
      const p = alpha * A[a + k * sAk];
      const b = offsetB + k * ldb;
      for (let j = 0; j < nb; j++) C[c + j] += p * B[b + j];
    }
  }
}

/** C[0:M, 0:N] ← beta·C; beta = 0 writes zeros without reading. */
function scaleMatrix(M: number, N: number, beta: number, C: Float64Array, ldc: number, offsetC: number): void {
  if (beta === 1) return;
  for (let i = 0; i < M; i++) {
    const r = offsetC + i * ldc;
    if (beta === 0) for (let j = 0; j < N; j++) C[r + j] = 0;
    else for (let j = 0; j < N; j++) C[r + j] *= beta;
  }
}

/**
 * C ← alpha·op(A)·op(B) + beta·C with op(A) M × K and op(B) K × N, all row-major (offset form).
 * Stored shapes: A is M × K ("N") or K × M ("T"); B is K × N ("N") or N × K ("T"); C is M × N.
 *
 * @example
 * ```ts
 * const A = new Float64Array([1, 2, 3, 4]); // [[1, 2], [3, 4]]
 * const C = new Float64Array(4);
 * dgemmOffset("N", "T", 2, 2, 2, 1, A, 2, 0, A, 2, 0, 0, C, 2, 0); // C = A·Aᵀ = [5, 11, 11, 25]
 * ```
 */
export function dgemmOffset(
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
): void {
  checkFlag("dgemm", "transA", transA, "NT");
  checkFlag("dgemm", "transB", transB, "NT");
  if (M < 0) M = 0;
  if (N < 0) N = 0;
  if (K < 0) K = 0;
  const aN = transA === "N";
  const bN = transB === "N";
  checkMatrix("dgemm", "A", aN ? M : K, aN ? K : M, A, lda, offsetA, 1);
  checkMatrix("dgemm", "B", bN ? K : N, bN ? N : K, B, ldb, offsetB, 1);
  checkMatrix("dgemm", "C", M, N, C, ldc, offsetC, 1);
  if (M === 0 || N === 0) return;
  scaleMatrix(M, N, beta, C, ldc, offsetC);
  if (alpha === 0 || K === 0) return;
  gemmAccumulate(
    M,
    N,
    K,
    alpha,
    A,
    aN ? lda : 1,
    aN ? 1 : lda,
    offsetA,
    B,
    bN ? ldb : 1,
    bN ? 1 : ldb,
    offsetB,
    C,
    ldc,
    offsetC,
  );
}

/**
 * C ← alpha·op(A)·op(B) + beta·C (BLAS form, all matrices at offset 0).
 *
 * @example
 * ```ts
 * const I = new Float64Array([1, 0, 0, 1]);
 * const B = new Float64Array([1, 2, 3, 4]);
 * const C = new Float64Array(4);
 * dgemm("N", "N", 2, 2, 2, 2, I, 2, B, 2, 0, C, 2); // C = [2, 4, 6, 8]
 * ```
 */
export function dgemm(
  transA: Transpose,
  transB: Transpose,
  M: number,
  N: number,
  K: number,
  alpha: number,
  A: Float64Array,
  lda: number,
  B: Float64Array,
  ldb: number,
  beta: number,
  C: Float64Array,
  ldc: number,
): void {
  dgemmOffset(transA, transB, M, N, K, alpha, A, lda, 0, B, ldb, 0, beta, C, ldc, 0);
}

/** Below this size a diagonal block of dsyrk is done with direct dot products. */
const SYRK_LEAF = 16;

/**
 * The `lower`/upper triangle of C[0:n, 0:n] += alpha·opA·opAᵀ for opA[i, k] = A[offsetA + i·sAi + k·sAk].
 * Recursive halving: the off-diagonal quarter is a plain rectangular product (fast path), the
 * two diagonal halves recurse, so only O(n·LEAF·K) work runs outside the blocked sweep.
 */
function syrkTriangle(
  lower: boolean,
  n: number,
  K: number,
  alpha: number,
  A: Float64Array,
  sAi: number,
  sAk: number,
  offsetA: number,
  C: Float64Array,
  ldc: number,
  offsetC: number,
): void {
  if (n <= SYRK_LEAF) {
    for (let i = 0; i < n; i++) {
      const j0 = lower ? 0 : i;
      const j1 = lower ? i + 1 : n;
      const ai = offsetA + i * sAi;
      const r = offsetC + i * ldc;
      for (let j = j0; j < j1; j++) {
        const aj = offsetA + j * sAi;
        let s = 0;
        for (let k = 0, o = 0; k < K; k++, o += sAk) s += A[ai + o] * A[aj + o];
        C[r + j] += alpha * s;
      }
    }
    return;
  }
  const h = n >> 1;
  syrkTriangle(lower, h, K, alpha, A, sAi, sAk, offsetA, C, ldc, offsetC);
  const second = offsetA + h * sAi;
  if (lower) {
    // C[h:n, 0:h] += alpha · opA[h:n, :] · opA[0:h, :]ᵀ
    gemmAccumulate(n - h, h, K, alpha, A, sAi, sAk, second, A, sAk, sAi, offsetA, C, ldc, offsetC + h * ldc);
  } else {
    // C[0:h, h:n] += alpha · opA[0:h, :] · opA[h:n, :]ᵀ
    gemmAccumulate(h, n - h, K, alpha, A, sAi, sAk, offsetA, A, sAk, sAi, second, C, ldc, offsetC + h);
  }
  syrkTriangle(lower, n - h, K, alpha, A, sAi, sAk, second, C, ldc, offsetC + h * ldc + h);
}

/**
 * Symmetric rank-k update of one triangle (offset form): C ← alpha·A·Aᵀ + beta·C for
 * `trans = "N"` (A is N × K) or C ← alpha·Aᵀ·A + beta·C for `"T"` (A is K × N). Only the `uplo`
 * triangle of the N × N matrix C is read or written.
 *
 * @example
 * ```ts
 * const A = new Float64Array([1, 2, 3, 4]);
 * const C = new Float64Array(4).fill(-1);
 * dsyrkOffset("L", "N", 2, 2, 1, A, 2, 0, 0, C, 2, 0); // C = [5, -1, 11, 25]
 * ```
 */
export function dsyrkOffset(
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
): void {
  checkFlag("dsyrk", "uplo", uplo, "UL");
  checkFlag("dsyrk", "trans", trans, "NT");
  if (N < 0) N = 0;
  if (K < 0) K = 0;
  const notrans = trans === "N";
  checkMatrix("dsyrk", "A", notrans ? N : K, notrans ? K : N, A, lda, offsetA, 1);
  checkMatrix("dsyrk", "C", N, N, C, ldc, offsetC, 1);
  if (N === 0) return;
  const lower = uplo === "L";
  if (beta !== 1) {
    for (let i = 0; i < N; i++) {
      const r = offsetC + i * ldc;
      const j0 = lower ? 0 : i;
      const j1 = lower ? i + 1 : N;
      if (beta === 0) for (let j = j0; j < j1; j++) C[r + j] = 0;
      else for (let j = j0; j < j1; j++) C[r + j] *= beta;
    }
  }
  if (alpha === 0 || K === 0) return;
  syrkTriangle(lower, N, K, alpha, A, notrans ? lda : 1, notrans ? 1 : lda, offsetA, C, ldc, offsetC);
}

/**
 * Symmetric rank-k update of one triangle (BLAS form).
 *
 * @example
 * ```ts
 * const A = new Float64Array([1, 2]); // 1 × 2
 * const C = new Float64Array(4);
 * dsyrk("U", "T", 2, 1, 1, A, 2, 0, C, 2); // upper triangle of AᵀA: C = [1, 2, 0, 4]
 * ```
 */
export function dsyrk(
  uplo: Uplo,
  trans: Transpose,
  N: number,
  K: number,
  alpha: number,
  A: Float64Array,
  lda: number,
  beta: number,
  C: Float64Array,
  ldc: number,
): void {
  dsyrkOffset(uplo, trans, N, K, alpha, A, lda, 0, beta, C, ldc, 0);
}

/** Rows per diagonal block of dtrsm; the rest of the work goes through the blocked product. */
const TRSM_BLOCK = 64;

/**
 * Triangular solve with many right-hand sides, in place (offset form):
 * B ← alpha·op(A)⁻¹·B (`side = "L"`, A is M × M) or B ← alpha·B·op(A)⁻¹ (`side = "R"`, A is N × N),
 * B is M × N. Only the `uplo` triangle of A is read; `diag = "U"` takes the diagonal as 1 without
 * reading it. No singularity test (as in BLAS): a zero pivot yields ±Infinity/NaN. `alpha = 0`
 * zeroes B without reading A or B.
 *
 * @example
 * ```ts
 * const L = new Float64Array([2, 0, 1, 1]); // [[2, 0], [1, 1]]
 * const B = new Float64Array([2, 4, 3, 5]); // [[2, 4], [3, 5]]
 * dtrsmOffset("L", "L", "N", "N", 2, 2, 1, L, 2, 0, B, 2, 0); // B = [[1, 2], [2, 3]]
 * ```
 */
export function dtrsmOffset(
  side: "L" | "R",
  uplo: Uplo,
  transA: Transpose,
  diag: "N" | "U",
  M: number,
  N: number,
  alpha: number,
  A: Float64Array,
  lda: number,
  offsetA: number,
  B: Float64Array,
  ldb: number,
  offsetB: number,
): void {
  checkFlag("dtrsm", "side", side, "LR");
  checkFlag("dtrsm", "uplo", uplo, "UL");
  checkFlag("dtrsm", "transA", transA, "NT");
  checkFlag("dtrsm", "diag", diag, "NU");
  if (M < 0) M = 0;
  if (N < 0) N = 0;
  const left = side === "L";
  const na = left ? M : N;
  checkMatrix("dtrsm", "A", na, na, A, lda, offsetA, 1);
  checkMatrix("dtrsm", "B", M, N, B, ldb, offsetB, 1);
  if (M === 0 || N === 0) return;
  scaleMatrix(M, N, alpha, B, ldb, offsetB);
  if (alpha === 0) return;
  // op(A)[i, k] = A[offsetA + i·sAi + k·sAk]; "upper" means op(A) is upper triangular.
  const sAi = transA === "N" ? lda : 1;
  const sAk = transA === "N" ? 1 : lda;
  const upper = (uplo === "U") === (transA === "N");
  const unit = diag === "U";
  // Blocked: for each diagonal block, first subtract the contribution of the already solved
  // part with the fast rectangular product, then solve the small triangular block directly.
  // Blocks are visited in the order the dependencies allow (from the bottom/right when solving
  // backwards).
  // op(A) upper on the left, or lower on the right, is solved backwards.
  const backward = upper === left;
  const flipped: Transpose = transA === "N" ? "T" : "N";
  const blocks = Math.ceil(na / TRSM_BLOCK);
  for (let step = 0; step < blocks; step++) {
    const b = backward ? blocks - 1 - step : step;
    const i0 = b * TRSM_BLOCK;
    const i1 = Math.min(na, i0 + TRSM_BLOCK);
    const s0 = backward ? i1 : 0;
    const s1 = backward ? na : i0;
    if (left) {
      // B[i0:i1, :] -= op(A)[i0:i1, s0:s1] · X[s0:s1, :]
      gemmAccumulate(
        i1 - i0,
        N,
        s1 - s0,
        -1,
        A,
        sAi,
        sAk,
        offsetA + i0 * sAi + s0 * sAk,
        B,
        ldb,
        1,
        offsetB + s0 * ldb,
        B,
        ldb,
        offsetB + i0 * ldb,
      );
      solveLeftBlock(upper, unit, i0, i1, N, A, sAi, sAk, offsetA, B, ldb, offsetB);
    } else {
      // B[:, i0:i1] -= X[:, s0:s1] · op(A)[s0:s1, i0:i1]
      gemmAccumulate(
        M,
        i1 - i0,
        s1 - s0,
        -1,
        B,
        ldb,
        1,
        offsetB + s0,
        A,
        sAi,
        sAk,
        offsetA + s0 * sAi + i0 * sAk,
        B,
        ldb,
        offsetB + i0,
      );
      // Each row x of the block solves x·T = b  ⇔  Tᵀ·xᵀ = bᵀ: a triangular solve with the
      // transpose flipped on a contiguous row.
      const diagBlock = offsetA + i0 * lda + i0;
      for (let i = 0; i < M; i++) {
        dtrsvOffset(uplo, flipped, diag, i1 - i0, A, lda, diagBlock, B, 1, offsetB + i * ldb + i0);
      }
    }
  }
}

/**
 * Solves op(A)[i0:i1, i0:i1]·X = B[i0:i1, :] in place. Row i of X is
 * (B[i] − Σ_k op(A)[i, k]·X[k]) / op(A)[i, i] over the already solved rows k of the block, so
 * every update is a contiguous row operation; four rows k at a time.
 */
function solveLeftBlock(
  upper: boolean,
  unit: boolean,
  i0: number,
  i1: number,
  N: number,
  A: Float64Array,
  sAi: number,
  sAk: number,
  offsetA: number,
  B: Float64Array,
  ldb: number,
  offsetB: number,
): void {
  for (let step = i0; step < i1; step++) {
    const i = upper ? i1 - 1 - (step - i0) : step;
    const k0 = upper ? i + 1 : i0;
    const k1 = upper ? i1 : i;
    const ri = offsetB + i * ldb;
    const ai = offsetA + i * sAi;
    let k = k0;
    for (; k + 3 < k1; k += 4) {
      const t0 = A[ai + k * sAk];
      const t1 = A[ai + (k + 1) * sAk];
      const t2 = A[ai + (k + 2) * sAk];
      const t3 = A[ai + (k + 3) * sAk];
      const b0 = offsetB + k * ldb;
      const b1 = b0 + ldb;
      const b2 = b1 + ldb;
      const b3 = b2 + ldb;
      for (let j = 0; j < N; j++) B[ri + j] -= t0 * B[b0 + j] + t1 * B[b1 + j] + t2 * B[b2 + j] + t3 * B[b3 + j];
    }
    for (; k < k1; k++) {
      const t = A[ai + k * sAk];
      const b = offsetB + k * ldb;
      for (let j = 0; j < N; j++) B[ri + j] -= t * B[b + j];
    }
    if (!unit) {
      const d = A[ai + i * sAk];
      for (let j = 0; j < N; j++) B[ri + j] /= d;
    }
  }
}

/**
 * Triangular solve with many right-hand sides, in place (BLAS form).
 *
 * @example
 * ```ts
 * const U = new Float64Array([2, 1, 0, 1]); // [[2, 1], [0, 1]]
 * const B = new Float64Array([2, 3]); // 1 × 2
 * dtrsm("R", "U", "N", "N", 1, 2, 1, U, 2, B, 2); // B·U⁻¹ = [1, 2]
 * ```
 */
export function dtrsm(
  side: "L" | "R",
  uplo: Uplo,
  transA: Transpose,
  diag: "N" | "U",
  M: number,
  N: number,
  alpha: number,
  A: Float64Array,
  lda: number,
  B: Float64Array,
  ldb: number,
): void {
  dtrsmOffset(side, uplo, transA, diag, M, N, alpha, A, lda, 0, B, ldb, 0);
}
