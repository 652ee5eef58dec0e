/**
 * Dense real Cholesky factorisation and solves (LAPACK `dpotrf` / `dpotrs`), row-major.
 *
 * The upper factor (A = UᵀU) is computed right-looking so that every inner loop runs along a
 * contiguous row of U: that is the access pattern a JIT can stream through without gathers. The
 * update is blocked: a panel of {@link PANEL} pivot rows is factored first, then the trailing matrix
 * receives the panel's contribution through a 4 × 4 register tile (four pivot rows × four target
 * rows), which cuts loads and stores per multiply-add about fourfold versus the rank-1 form.
 * The lower factor (A = L·Lᵀ) is the same computation on the transposed storage: row-major L is
 * column-major U, so the block is transposed in place, factored as 'U' and transposed back.
 *
 * @module
 */

/** Pivot rows per panel; the trailing update consumes them four at a time (measured best at 8 on N = 200…2000). */
const PANEL = 8;

function checkUplo(where: string, uplo: string): void {
  if (uplo !== "U" && uplo !== "L") {
    throw new RangeError(`${where}: invalid uplo — got ${JSON.stringify(uplo)}, expected "U" or "L".`);
  }
}

/** Validates a rows × cols row-major block at `offset` with leading dimension `ld` (only called when rows, cols > 0). */
function checkMatrix(
  where: string,
  name: string,
  rows: number,
  cols: number,
  M: Float64Array,
  ld: number,
  offset: number,
): void {
  if (!Number.isInteger(ld) || ld < Math.max(1, cols)) {
    throw new RangeError(
      `${where}: leading dimension of ${name} too small — got ${ld}, expected an integer >= ${cols}.`,
    );
  }
  if (!Number.isInteger(offset) || offset < 0 || offset + (rows - 1) * ld + cols > M.length) {
    throw new RangeError(
      `${where}: ${name} too short — got length ${M.length} with offset ${offset}, expected >= ${offset + (rows - 1) * ld + cols}.`,
    );
  }
}

/** Swaps the strict upper and lower triangles of the N × N block (an in-place transpose), tile by tile for cache reuse. */
function transposeSquare(N: number, A: Float64Array, lda: number, off: number): void {
  const T = 32;
  for (let i0 = 0; i0 < N; i0 += T) {
    const i1 = Math.min(N, i0 + T);
    for (let j0 = i0; j0 < N; j0 += T) {
      const j1 = Math.min(N, j0 + T);
      for (let i = i0; i < i1; i++) {
        const ri = off + i * lda;
        for (let j = Math.max(j0, i + 1); j < j1; j++) {
          const a = off + j * lda + i;
          const t = A[ri + j];
          A[ri + j] = A[a];
          A[a] = t;
        }
      }
    }
  }
}

/**
 * Factors pivot rows k0..k1-1 (full width to N) and applies their mutual updates. Returns 0 or
 * the 1-based failing pivot.
 */
function factorPanel(N: number, A: Float64Array, lda: number, off: number, k0: number, k1: number): number {
  for (let k = k0; k < k1; k++) {
    const rk = off + k * lda;
    const d = A[rk + k];
    // `!(d > 0)` also rejects NaN, as LAPACK does.
    if (!(d > 0)) return k + 1;
    const u = Math.sqrt(d);
    A[rk + k] = u;
    const inv = 1 / u;
    for (let j = k + 1; j < N; j++) A[rk + j] *= inv;
    for (let i = k + 1; i < k1; i++) {
      const a = A[rk + i];
      const ri = off + i * lda;
      for (let j = i; j < N; j++) A[ri + j] -= a * A[rk + j];
    }
  }
  return 0;
}

/** Rank-1 update of row i (columns i..N-1) by pivot row p: A[i, j] -= U[p, i]·U[p, j]. */
function rank1Row(N: number, A: Float64Array, lda: number, off: number, p: number, i: number): void {
  const rp = off + p * lda;
  const ri = off + i * lda;
  const a = A[rp + i];
  for (let j = i; j < N; j++) A[ri + j] -= a * A[rp + j];
}

/**
 * Rank-4 update of target rows i..i+3 by pivot rows p..p+3, columns from the diagonal on. The
 * sixteen coefficients U[p+q, i+r] stay in registers while the j loop streams eight rows.
 */
function tile4x4(N: number, A: Float64Array, lda: number, off: number, p: number, i: number): void {
  const r0 = off + p * lda;
  const r1 = r0 + lda;
  const r2 = r1 + lda;
  const r3 = r2 + lda;
  const t0 = off + i * lda;
  const t1 = t0 + lda;
  const t2 = t1 + lda;
  const t3 = t2 + lda;
  const a0 = A[r0 + i];
  const a1 = A[r1 + i];
  const a2 = A[r2 + i];
  const a3 = A[r3 + i];
  const b0 = A[r0 + i + 1];
  const b1 = A[r1 + i + 1];
  const b2 = A[r2 + i + 1];
  const b3 = A[r3 + i + 1];
  const c0 = A[r0 + i + 2];
  const c1 = A[r1 + i + 2];
  const c2 = A[r2 + i + 2];
  const c3 = A[r3 + i + 2];
  const d0 = A[r0 + i + 3];
  const d1 = A[r1 + i + 3];
  const d2 = A[r2 + i + 3];
  const d3 = A[r3 + i + 3];
  // The 4 × 4 diagonal block: only its upper triangle belongs to U.
  A[t0 + i] -= a0 * a0 + a1 * a1 + a2 * a2 + a3 * a3;
  A[t0 + i + 1] -= a0 * b0 + a1 * b1 + a2 * b2 + a3 * b3;
  A[t0 + i + 2] -= a0 * c0 + a1 * c1 + a2 * c2 + a3 * c3;
  A[t0 + i + 3] -= a0 * d0 + a1 * d1 + a2 * d2 + a3 * d3;
  A[t1 + i + 1] -= b0 * b0 + b1 * b1 + b2 * b2 + b3 * b3;
  A[t1 + i + 2] -= b0 * c0 + b1 * c1 + b2 * c2 + b3 * c3;
  A[t1 + i + 3] -= b0 * d0 + b1 * d1 + b2 * d2 + b3 * d3;
  A[t2 + i + 2] -= c0 * c0 + c1 * c1 + c2 * c2 + c3 * c3;
  A[t2 + i + 3] -= c0 * d0 + c1 * d1 + c2 * d2 + c3 * d3;
  A[t3 + i + 3] -= d0 * d0 + d1 * d1 + d2 * d2 + d3 * d3;
  for (let j = i + 4; j < N; j++) {
    const u0 = A[r0 + j];
    const u1 = A[r1 + j];
    const u2 = A[r2 + j];
    const u3 = A[r3 + j];
    A[t0 + j] -= a0 * u0 + a1 * u1 + a2 * u2 + a3 * u3;
    A[t1 + j] -= b0 * u0 + b1 * u1 + b2 * u2 + b3 * u3;
    A[t2 + j] -= c0 * u0 + c1 * u1 + c2 * u2 + c3 * u3;
    A[t3 + j] -= d0 * u0 + d1 * u1 + d2 * u2 + d3 * u3;
  }
}

/** A = UᵀU on the upper triangle of the N × N block. */
function potrfUpper(N: number, A: Float64Array, lda: number, off: number): number {
  for (let k0 = 0; k0 < N; k0 += PANEL) {
    const k1 = Math.min(N, k0 + PANEL);
    const info = factorPanel(N, A, lda, off, k0, k1);
    if (info !== 0) return info;
    let i = k1;
    for (; i + 4 <= N; i += 4) {
      let p = k0;
      for (; p + 4 <= k1; p += 4) tile4x4(N, A, lda, off, p, i);
      for (; p < k1; p++) for (let r = 0; r < 4; r++) rank1Row(N, A, lda, off, p, i + r);
    }
    for (; i < N; i++) for (let p = k0; p < k1; p++) rank1Row(N, A, lda, off, p, i);
  }
  return 0;
}

/**
 * Cholesky factorisation in place (offset form). With `uplo = 'U'` the upper triangle of the
 * N × N row-major block at `offsetA` is overwritten by U with A = UᵀU; with `'L'` the lower
 * triangle is overwritten by L with A = L·Lᵀ. The other triangle is left bit-for-bit unchanged.
 *
 * @returns 0 on success, or the 1-based index k of the first pivot that is not positive (or is
 *   NaN), as LAPACK's `info`; rows/columns before k then hold the partial factor.
 * @throws RangeError for an invalid `uplo`, `lda < N` or an array too short for the block.
 * @example
 * ```ts
 * const A = new Float64Array([4, 2, 2, 5]); // [[4, 2], [2, 5]]
 * dpotrfOffset("U", 2, A, 2, 0); // 0; A is now [2, 1, 2, 2] (U = [[2, 1], [0, 2]])
 * ```
 */
export function dpotrfOffset(uplo: "U" | "L", N: number, A: Float64Array, lda: number, offsetA: number): number {
  checkUplo("dpotrf", uplo);
  if (N <= 0) return 0;
  checkMatrix("dpotrf", "A", N, N, A, lda, offsetA);
  if (uplo === "U") return potrfUpper(N, A, lda, offsetA);
  transposeSquare(N, A, lda, offsetA);
  const info = potrfUpper(N, A, lda, offsetA);
  transposeSquare(N, A, lda, offsetA);
  return info;
}

/**
 * Cholesky factorisation in place: A = UᵀU (`'U'`) or A = L·Lᵀ (`'L'`), row-major with leading
 * dimension `lda`. See {@link dpotrfOffset}.
 *
 * @returns 0, or the 1-based index of the first non-positive (or NaN) pivot.
 * @example
 * ```ts
 * const A = new Float64Array([4, 2, 2, 5]);
 * const info = dpotrf("L", 2, A, 2); // 0; lower triangle is L = [[2, 0], [1, 2]]
 * ```
 */
export function dpotrf(uplo: "U" | "L", N: number, A: Float64Array, lda: number): number {
  return dpotrfOffset(uplo, N, A, lda, 0);
}

/** One right-hand side (b strided by `sb`): the same sweeps as dpotrs with the right-hand-side loop removed. */
function potrsVector(
  uplo: "U" | "L",
  N: number,
  A: Float64Array,
  lda: number,
  offA: number,
  b: Float64Array,
  sb: number,
  offB: number,
): void {
  if (uplo === "U") {
    for (let k = 0; k < N; k++) {
      const rk = offA + k * lda;
      const y = b[offB + k * sb] / A[rk + k];
      b[offB + k * sb] = y;
      for (let i = k + 1, bi = offB + i * sb; i < N; i++, bi += sb) b[bi] -= A[rk + i] * y;
    }
    for (let i = N - 1; i >= 0; i--) {
      const ri = offA + i * lda;
      let s = b[offB + i * sb];
      for (let k = i + 1, bk = offB + k * sb; k < N; k++, bk += sb) s -= A[ri + k] * b[bk];
      b[offB + i * sb] = s / A[ri + i];
    }
  } else {
    for (let i = 0; i < N; i++) {
      const ri = offA + i * lda;
      let s = b[offB + i * sb];
      for (let k = 0, bk = offB; k < i; k++, bk += sb) s -= A[ri + k] * b[bk];
      b[offB + i * sb] = s / A[ri + i];
    }
    for (let k = N - 1; k >= 0; k--) {
      const rk = offA + k * lda;
      const x = b[offB + k * sb] / A[rk + k];
      b[offB + k * sb] = x;
      for (let i = 0, bi = offB; i < k; i++, bi += sb) b[bi] -= A[rk + i] * x;
    }
  }
}

/**
 * Solves A·X = B with the Cholesky factor from {@link dpotrfOffset} (offset form). B is N × nrhs
 * row-major with leading dimension `ldb` and is overwritten by X. Only the `uplo` triangle of A is
 * read. Each triangular sweep walks a contiguous row of the factor, and for several right-hand
 * sides its innermost loop runs along a contiguous row of B.
 *
 * @throws RangeError for an invalid `uplo`, small leading dimensions or short arrays.
 * @example
 * ```ts
 * const A = new Float64Array([4, 2, 2, 5]);
 * dpotrfOffset("U", 2, A, 2, 0);
 * const b = new Float64Array([6, 7]);
 * dpotrsOffset("U", 2, 1, A, 2, 0, b, 1, 0); // b = [1, 1]
 * ```
 */
export function dpotrsOffset(
  uplo: "U" | "L",
  N: number,
  nrhs: number,
  A: Float64Array,
  lda: number,
  offsetA: number,
  B: Float64Array,
  ldb: number,
  offsetB: number,
): void {
  checkUplo("dpotrs", uplo);
  if (N <= 0 || nrhs <= 0) return;
  checkMatrix("dpotrs", "A", N, N, A, lda, offsetA);
  checkMatrix("dpotrs", "B", N, nrhs, B, ldb, offsetB);
  if (nrhs === 1) {
    potrsVector(uplo, N, A, lda, offsetA, B, ldb, offsetB);
    return;
  }
  if (uplo === "U") {
    // Uᵀ·Y = B, row k of U scatters into the rows below: B[i] -= U[k, i]·Y[k].
    for (let k = 0; k < N; k++) {
      const rk = offsetA + k * lda;
      const bk = offsetB + k * ldb;
      const inv = 1 / A[rk + k];
      for (let c = 0; c < nrhs; c++) B[bk + c] *= inv;
      for (let i = k + 1; i < N; i++) {
        const a = A[rk + i];
        const bi = offsetB + i * ldb;
        for (let c = 0; c < nrhs; c++) B[bi + c] -= a * B[bk + c];
      }
    }
    // U·X = Y, row i of U gathers from the rows below: X[i] = (Y[i] - Σ U[i, k]·X[k]) / U[i, i].
    for (let i = N - 1; i >= 0; i--) {
      const ri = offsetA + i * lda;
      const bi = offsetB + i * ldb;
      for (let k = i + 1; k < N; k++) {
        const a = A[ri + k];
        const bk = offsetB + k * ldb;
        for (let c = 0; c < nrhs; c++) B[bi + c] -= a * B[bk + c];
      }
      const inv = 1 / A[ri + i];
      for (let c = 0; c < nrhs; c++) B[bi + c] *= inv;
    }
  } else {
    // L·Y = B, row i of L gathers from the rows above.
    for (let i = 0; i < N; i++) {
      const ri = offsetA + i * lda;
      const bi = offsetB + i * ldb;
      for (let k = 0; k < i; k++) {
        const a = A[ri + k];
        const bk = offsetB + k * ldb;
        for (let c = 0; c < nrhs; c++) B[bi + c] -= a * B[bk + c];
      }
      const inv = 1 / A[ri + i];
      for (let c = 0; c < nrhs; c++) B[bi + c] *= inv;
    }
    // Lᵀ·X = Y, row k of L scatters into the rows above: Y[i] -= L[k, i]·X[k].
    for (let k = N - 1; k >= 0; k--) {
      const rk = offsetA + k * lda;
      const bk = offsetB + k * ldb;
      const inv = 1 / A[rk + k];
      for (let c = 0; c < nrhs; c++) B[bk + c] *= inv;
      for (let i = 0; i < k; i++) {
        const a = A[rk + i];
        const bi = offsetB + i * ldb;
        for (let c = 0; c < nrhs; c++) B[bi + c] -= a * B[bk + c];
      }
    }
  }
}

/**
 * Solves A·X = B with a Cholesky factor from {@link dpotrf}; B (N × nrhs, row-major, leading
 * dimension `ldb`) is overwritten by X. See {@link dpotrsOffset}.
 *
 * @example
 * ```ts
 * const A = new Float64Array([4, 2, 2, 5]);
 * dpotrf("L", 2, A, 2);
 * const B = new Float64Array([6, 4, 7, 2]); // two right-hand sides, columns [6, 7] and [4, 2]
 * dpotrs("L", 2, 2, A, 2, B, 2); // B = [1, 1, 1, 0]
 * ```
 */
export function dpotrs(
  uplo: "U" | "L",
  N: number,
  nrhs: number,
  A: Float64Array,
  lda: number,
  B: Float64Array,
  ldb: number,
): void {
  dpotrsOffset(uplo, N, nrhs, A, lda, 0, B, ldb, 0);
}
