/**
 * Dense complex Hermitian Cholesky factorisation and solves (LAPACK `zpotrf` / `zpotrs`),
 * row-major, interleaved (re, im) storage. Leading dimensions and offsets count complex elements.
 *
 * The algorithm mirrors the real kernel in cholesky.ts: right-looking on the upper factor
 * (A = UᴴU) so that inner loops walk contiguous rows, with a panel of pivot rows applied to the
 * trailing matrix through a 2 × 2 complex register tile. The lower factor (A = L·Lᴴ) is obtained
 * from the upper one on the conjugate-transposed storage (L = Uᴴ), swapped in place and back.
 *
 * @module
 */

/** Pivot rows per panel, consumed two at a time by the trailing update. */
const PANEL = 8;

function checkUplo(where: string, uplo: string): void {
  if (uplo !== "U" && uplo !== "L") {
    throw new RangeError(`${where}: invalid uplo — got ${JSON.stringify(uplo)}, expected "U" or "L".`);
  }
}

/** Validates a rows × cols complex row-major block (only called when rows, cols > 0). */
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
  const need = 2 * (offset + (rows - 1) * ld + cols);
  if (!Number.isInteger(offset) || offset < 0 || need > M.length) {
    throw new RangeError(
      `${where}: ${name} too short — got length ${M.length} (${M.length / 2} complex) with offset ${offset}, expected >= ${need} numbers.`,
    );
  }
}

/** Replaces the strict lower triangle by the conjugate transpose of the strict upper one and vice versa. */
function conjTransposeSquare(N: number, A: Float64Array, lda: number, off: number): void {
  for (let i = 0; i < N; i++) {
    for (let j = i + 1; j < N; j++) {
      const u = 2 * (off + i * lda + j);
      const l = 2 * (off + j * lda + i);
      const re = A[u];
      const im = A[u + 1];
      A[u] = A[l];
      A[u + 1] = -A[l + 1];
      A[l] = re;
      A[l + 1] = -im;
    }
  }
}

/** Factors pivot rows k0..k1-1 across the full width and applies their mutual updates. */
function factorPanel(N: number, A: Float64Array, lda: number, off: number, k0: number, k1: number): number {
  for (let k = k0; k < k1; k++) {
    const rk = 2 * (off + k * lda);
    // Only the real part of a Hermitian diagonal is meaningful; `!(d > 0)` also rejects NaN.
    const d = A[rk + 2 * k];
    if (!(d > 0)) return k + 1;
    const u = Math.sqrt(d);
    A[rk + 2 * k] = u;
    A[rk + 2 * k + 1] = 0;
    const inv = 1 / u;
    for (let j = 2 * (k + 1); j < 2 * N; j++) A[rk + j] *= inv;
    for (let i = k + 1; i < k1; i++) rank1Row(N, A, lda, off, k, i);
  }
  return 0;
}

/** A[i, j] -= conj(U[p, i])·U[p, j] for j = i..N-1 (row i, from its diagonal on). */
function rank1Row(N: number, A: Float64Array, lda: number, off: number, p: number, i: number): void {
  const rp = 2 * (off + p * lda);
  const ri = 2 * (off + i * lda);
  const ar = A[rp + 2 * i];
  const ai = -A[rp + 2 * i + 1];
  for (let j = 2 * i; j < 2 * N; j += 2) {
    const ur = A[rp + j];
    const ui = A[rp + j + 1];
    A[ri + j] -= ar * ur - ai * ui;
    A[ri + j + 1] -= ar * ui + ai * ur;
  }
}

/** Rank-2 update of target rows i, i+1 by pivot rows p, p+1; the four conjugated coefficients stay in registers. */
function tile2x2(N: number, A: Float64Array, lda: number, off: number, p: number, i: number): void {
  const r0 = 2 * (off + p * lda);
  const r1 = r0 + 2 * lda;
  const t0 = 2 * (off + i * lda);
  const t1 = t0 + 2 * lda;
  const c = 2 * i;
  // a = conj(U[p.., i]), b = conj(U[p.., i+1]).
  const a0r = A[r0 + c];
  const a0i = -A[r0 + c + 1];
  const a1r = A[r1 + c];
  const a1i = -A[r1 + c + 1];
  const b0r = A[r0 + c + 2];
  const b0i = -A[r0 + c + 3];
  const b1r = A[r1 + c + 2];
  const b1i = -A[r1 + c + 3];
  // Row i starts on its diagonal, one column before row i+1 does.
  {
    const u0r = A[r0 + c];
    const u0i = A[r0 + c + 1];
    const u1r = A[r1 + c];
    const u1i = A[r1 + c + 1];
    A[t0 + c] -= a0r * u0r - a0i * u0i + a1r * u1r - a1i * u1i;
    A[t0 + c + 1] -= a0r * u0i + a0i * u0r + a1r * u1i + a1i * u1r;
  }
  for (let j = c + 2; j < 2 * N; j += 2) {
    const u0r = A[r0 + j];
    const u0i = A[r0 + j + 1];
    const u1r = A[r1 + j];
    const u1i = A[r1 + j + 1];
    A[t0 + j] -= a0r * u0r - a0i * u0i + a1r * u1r - a1i * u1i;
    A[t0 + j + 1] -= a0r * u0i + a0i * u0r + a1r * u1i + a1i * u1r;
    A[t1 + j] -= b0r * u0r - b0i * u0i + b1r * u1r - b1i * u1i;
    A[t1 + j + 1] -= b0r * u0i + b0i * u0r + b1r * u1i + b1i * u1r;
  }
}

/** A = UᴴU on the upper triangle of the N × N complex block. */
function potrfUpper(N: number, A: Float64Array, lda: number, off: number): number {
  for (let k0 = 0; k0 < N; k0 += PANEL) {
    const k1 = Math.min(N, k0 + PANEL);
    const info = factorPanel(N, A, lda, off, k0, k1);
    if (info !== 0) return info;
    let i = k1;
    for (; i + 2 <= N; i += 2) {
      let p = k0;
      for (; p + 2 <= k1; p += 2) tile2x2(N, A, lda, off, p, i);
      for (; p < k1; p++) {
        rank1Row(N, A, lda, off, p, i);
        rank1Row(N, A, lda, off, p, i + 1);
      }
    }
    for (; i < N; i++) for (let p = k0; p < k1; p++) rank1Row(N, A, lda, off, p, i);
  }
  return 0;
}

/**
 * Hermitian Cholesky factorisation in place (offset form). With `uplo = 'U'` the upper triangle
 * of the N × N complex row-major block is overwritten by U with A = UᴴU; with `'L'` the lower
 * triangle by L with A = L·Lᴴ. The imaginary parts of the input diagonal are ignored; the factor's
 * diagonal is real and positive (its imaginary parts are written as 0). The other strict triangle
 * is left bit-for-bit unchanged.
 *
 * @returns 0, or the 1-based index of the first pivot whose real part is not positive (or NaN).
 * @throws RangeError for an invalid `uplo`, `lda < N` or an array too short for the block.
 * @example
 * ```ts
 * // A = [[4, 2i], [-2i, 5]] (interleaved re, im)
 * const A = new Float64Array([4, 0, 0, 2, 0, -2, 5, 0]);
 * zpotrfOffset("U", 2, A, 2, 0); // 0; U = [[2, i], [0, 2]]
 * ```
 */
export function zpotrfOffset(uplo: "U" | "L", N: number, A: Float64Array, lda: number, offsetA: number): number {
  checkUplo("zpotrf", uplo);
  if (N <= 0) return 0;
  checkMatrix("zpotrf", "A", N, N, A, lda, offsetA);
  if (uplo === "U") return potrfUpper(N, A, lda, offsetA);
  conjTransposeSquare(N, A, lda, offsetA);
  const info = potrfUpper(N, A, lda, offsetA);
  conjTransposeSquare(N, A, lda, offsetA);
  return info;
}

/**
 * Hermitian Cholesky factorisation in place: A = UᴴU (`'U'`) or A = L·Lᴴ (`'L'`), complex
 * interleaved, row-major. See {@link zpotrfOffset}.
 *
 * @returns 0, or the 1-based index of the first non-positive (or NaN) pivot.
 * @example
 * ```ts
 * const A = new Float64Array([4, 0, 0, 2, 0, -2, 5, 0]); // [[4, 2i], [-2i, 5]]
 * zpotrf("L", 2, A, 2); // 0; L = [[2, 0], [-i, 2]]
 * ```
 */
export function zpotrf(uplo: "U" | "L", N: number, A: Float64Array, lda: number): number {
  return zpotrfOffset(uplo, N, A, lda, 0);
}

/** B[dst] -= (cr + i·ci)·B[src] over `nrhs` complex entries. */
function subScaled(B: Float64Array, dst: number, src: number, cr: number, ci: number, nrhs: number): void {
  for (let c = 0; c < 2 * nrhs; c += 2) {
    const xr = B[src + c];
    const xi = B[src + c + 1];
    B[dst + c] -= cr * xr - ci * xi;
    B[dst + c + 1] -= cr * xi + ci * xr;
  }
}

/** Index of the first number of complex row i of a block at `offset` with leading dimension `ld`. */
function rowAt(offset: number, ld: number, i: number): number {
  return 2 * (offset + i * ld);
}

function scaleRow(B: Float64Array, at: number, s: number, nrhs: number): void {
  for (let c = 0; c < 2 * nrhs; c++) B[at + c] *= s;
}

/**
 * Solves A·X = B with the Hermitian Cholesky factor from {@link zpotrfOffset} (offset form).
 * B is N × nrhs complex row-major (leading dimension `ldb`, counted in complex elements) and is
 * overwritten by X. Only the `uplo` triangle of A and the real parts of its diagonal are read.
 *
 * @throws RangeError for an invalid `uplo`, small leading dimensions or short arrays.
 * @example
 * ```ts
 * const A = new Float64Array([4, 0, 0, 2, 0, -2, 5, 0]);
 * zpotrfOffset("U", 2, A, 2, 0);
 * const b = new Float64Array([4, 2, 5, -2]); // A·[1, 1]
 * zpotrsOffset("U", 2, 1, A, 2, 0, b, 1, 0); // b = [1, 0, 1, 0]
 * ```
 */
export function zpotrsOffset(
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
  checkUplo("zpotrs", uplo);
  if (N <= 0 || nrhs <= 0) return;
  checkMatrix("zpotrs", "A", N, N, A, lda, offsetA);
  checkMatrix("zpotrs", "B", N, nrhs, B, ldb, offsetB);
  if (uplo === "U") {
    // Uᴴ·Y = B: row k of U scatters conj(U[k, i])·Y[k] into the rows below.
    for (let k = 0; k < N; k++) {
      const rk = 2 * (offsetA + k * lda);
      scaleRow(B, rowAt(offsetB, ldb, k), 1 / A[rk + 2 * k], nrhs);
      for (let i = k + 1; i < N; i++)
        subScaled(B, rowAt(offsetB, ldb, i), rowAt(offsetB, ldb, k), A[rk + 2 * i], -A[rk + 2 * i + 1], nrhs);
    }
    // U·X = Y: row i of U gathers U[i, k]·X[k] from the rows below.
    for (let i = N - 1; i >= 0; i--) {
      const ri = 2 * (offsetA + i * lda);
      for (let k = i + 1; k < N; k++)
        subScaled(B, rowAt(offsetB, ldb, i), rowAt(offsetB, ldb, k), A[ri + 2 * k], A[ri + 2 * k + 1], nrhs);
      scaleRow(B, rowAt(offsetB, ldb, i), 1 / A[ri + 2 * i], nrhs);
    }
  } else {
    // L·Y = B: row i of L gathers from the rows above.
    for (let i = 0; i < N; i++) {
      const ri = 2 * (offsetA + i * lda);
      for (let k = 0; k < i; k++)
        subScaled(B, rowAt(offsetB, ldb, i), rowAt(offsetB, ldb, k), A[ri + 2 * k], A[ri + 2 * k + 1], nrhs);
      scaleRow(B, rowAt(offsetB, ldb, i), 1 / A[ri + 2 * i], nrhs);
    }
    // Lᴴ·X = Y: row k of L scatters conj(L[k, i])·X[k] into the rows above.
    for (let k = N - 1; k >= 0; k--) {
      const rk = 2 * (offsetA + k * lda);
      scaleRow(B, rowAt(offsetB, ldb, k), 1 / A[rk + 2 * k], nrhs);
      for (let i = 0; i < k; i++)
        subScaled(B, rowAt(offsetB, ldb, i), rowAt(offsetB, ldb, k), A[rk + 2 * i], -A[rk + 2 * i + 1], nrhs);
    }
  }
}

/**
 * Solves A·X = B with a Hermitian Cholesky factor from {@link zpotrf}; B (N × nrhs complex,
 * row-major) is overwritten by X. See {@link zpotrsOffset}.
 *
 * @example
 * ```ts
 * const A = new Float64Array([4, 0, 0, 2, 0, -2, 5, 0]);
 * zpotrf("L", 2, A, 2);
 * const b = new Float64Array([4, 2, 5, -2]);
 * zpotrs("L", 2, 1, A, 2, b, 1); // b = [1, 0, 1, 0]
 * ```
 */
export function zpotrs(
  uplo: "U" | "L",
  N: number,
  nrhs: number,
  A: Float64Array,
  lda: number,
  B: Float64Array,
  ldb: number,
): void {
  zpotrsOffset(uplo, N, nrhs, A, lda, 0, B, ldb, 0);
}
