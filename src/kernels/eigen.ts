/**
 * Symmetric eigendecomposition (LAPACK `dsyev`): Householder reduction to tridiagonal form, then
 * implicit QR sweeps with Wilkinson shifts on the tridiagonal matrix.
 *
 * Layout choices, all so that the O(N³) loops walk contiguous rows of row-major storage:
 * - the reduction keeps only the lower triangle of the working copy (in Z) and computes the
 *   symmetric product B·v row by row (one dot and one axpy per row);
 * - the orthogonal factor is built and rotated as Vᵀ (eigenvectors in ROWS), because a Givens
 *   rotation of two columns of V is a rotation of two contiguous rows of Vᵀ; the block is
 *   transposed once at the end so that the eigenvectors come out as the columns of Z.
 * The input is scaled by a power of two (exact) so that sums of squares neither overflow nor
 * underflow for any finite input.
 *
 * @module
 */

/** Unit roundoff of float64 (2^-52). */
const EPS = 2.220446049250313e-16;
/** Below this an off-diagonal entry is treated as zero regardless of its neighbours (2^-1000). */
const TINY = 9.332636185032189e-302;

/** Validates an N × N row-major block (only called when N > 0). */
function checkSquare(where: string, name: string, N: number, M: Float64Array, ld: number, offset: number): void {
  if (!Number.isInteger(ld) || ld < Math.max(1, N)) {
    throw new RangeError(`${where}: leading dimension of ${name} too small — got ${ld}, expected an integer >= ${N}.`);
  }
  if (!Number.isInteger(offset) || offset < 0 || offset + (N - 1) * ld + N > M.length) {
    throw new RangeError(
      `${where}: ${name} too short — got length ${M.length} with offset ${offset}, expected >= ${offset + (N - 1) * ld + N}.`,
    );
  }
}

function checkVector(where: string, name: string, n: number, v: Float64Array, offset: number): void {
  if (!Number.isInteger(offset) || offset < 0 || offset + n > v.length) {
    throw new RangeError(
      `${where}: ${name} too short — got length ${v.length} with offset ${offset}, expected >= ${offset + n}.`,
    );
  }
}

/**
 * Number of float64 scratch entries {@link dsyev} needs for an N × N matrix: 4N (diagonal,
 * off-diagonal, Householder scalars and one vector).
 *
 * @example
 * ```ts
 * const work = new Float64Array(dsyevWorkSize(10)); // 40 entries
 * ```
 */
export function dsyevWorkSize(N: number): number {
  return N <= 0 ? 0 : 4 * N;
}

/**
 * Reduces the symmetric matrix held in the lower triangle of Z to tridiagonal T = Qᵀ·A·Q.
 * d, e receive T's diagonal and sub-diagonal; reflector k (H = I - τ·v·vᵀ, v[0] = 1) is stored in
 * row k of Z to the right of the diagonal with τ in tau[k]; p is an N-vector of scratch.
 */
function tridiagonalize(
  N: number,
  Z: Float64Array,
  ldz: number,
  oz: number,
  work: Float64Array,
  od: number,
  oe: number,
  ot: number,
  op: number,
): void {
  for (let k = 0; k + 2 < N; k++) {
    const rk = oz + k * ldz;
    work[od + k] = Z[rk + k];
    // x = column k below the diagonal (strided: O(N) per step, O(N²) in total).
    const alpha = Z[rk + ldz + k];
    let sigma = 0;
    for (let i = k + 2; i < N; i++) {
      const x = Z[oz + i * ldz + k];
      sigma += x * x;
    }
    if (sigma === 0) {
      // Already in tridiagonal form in this column: H = I.
      work[ot + k] = 0;
      work[oe + k] = alpha;
      continue;
    }
    const norm = Math.sqrt(alpha * alpha + sigma);
    // β takes the sign opposite to α so that α - β never cancels.
    const beta = alpha >= 0 ? -norm : norm;
    const tau = (beta - alpha) / beta;
    const scal = 1 / (alpha - beta);
    work[ot + k] = tau;
    work[oe + k] = beta;
    Z[rk + k + 1] = 1;
    for (let i = k + 2; i < N; i++) Z[rk + i] = Z[oz + i * ldz + k] * scal;
    // p = τ·B·v with B the trailing block (lower triangle only): row i contributes its dot with v
    // to p[i] and, by symmetry, B[i, j]·v[i] to every p[j] with j < i.
    const b0 = k + 1;
    for (let i = b0; i < N; i++) {
      const ri = oz + i * ldz;
      const vi = Z[rk + i];
      let s = 0;
      for (let j = b0; j < i; j++) {
        const b = Z[ri + j];
        s += b * Z[rk + j];
        work[op + j] += b * vi;
      }
      work[op + i] = s + Z[ri + i] * vi;
    }
    let pv = 0;
    for (let i = b0; i < N; i++) {
      work[op + i] *= tau;
      pv += work[op + i] * Z[rk + i];
    }
    // w = p - (τ/2)(pᵀv)·v makes B - v·wᵀ - w·vᵀ equal to H·B·H.
    const half = 0.5 * tau * pv;
    for (let i = b0; i < N; i++) work[op + i] -= half * Z[rk + i];
    for (let i = b0; i < N; i++) {
      const ri = oz + i * ldz;
      const vi = Z[rk + i];
      const wi = work[op + i];
      for (let j = b0; j <= i; j++) Z[ri + j] -= vi * work[op + j] + wi * Z[rk + j];
    }
  }
  if (N >= 2) {
    const r = oz + (N - 2) * ldz;
    work[od + N - 2] = Z[r + N - 2];
    work[oe + N - 2] = Z[r + ldz + N - 2];
    work[ot + N - 2] = 0;
  }
  work[od + N - 1] = Z[oz + (N - 1) * ldz + N - 1];
  work[oe + N - 1] = 0;
}

/**
 * Overwrites Z with Qᵀ = H_{N-3}·…·H_0 from the reflectors left by {@link tridiagonalize}. Built
 * backwards on a growing trailing block, so each reflector touches only rows and columns it
 * affects; row m of Z is free once H_m has been applied, which makes the in-place order safe.
 */
function formQt(N: number, Z: Float64Array, ldz: number, oz: number, work: Float64Array, ot: number): void {
  for (let m = N - 1; m >= 0; m--) {
    const rm = oz + m * ldz;
    Z[rm + m] = 1;
    for (let j = m + 1; j < N; j++) {
      Z[rm + j] = 0;
      Z[oz + j * ldz + m] = 0;
    }
    if (m === 0 || m > N - 2) continue;
    const tau = work[ot + m - 1];
    if (tau === 0) continue;
    const rv = rm - ldz; // reflector H_{m-1}, v[m..N-1] with v[m] = 1
    for (let i = m; i < N; i++) {
      const ri = oz + i * ldz;
      const s = tau * dot(Z, ri + m, rv + m, N - m);
      for (let j = m; j < N; j++) Z[ri + j] -= s * Z[rv + j];
    }
  }
}

/**
 * Σ X[a + j]·X[b + j] for j < n with four partial sums: a single running sum is bound by the
 * floating-point add latency, four independent ones keep the adder busy.
 */
function dot(X: Float64Array, a: number, b: number, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    s0 += X[a + j] * X[b + j];
    s1 += X[a + j + 1] * X[b + j + 1];
    s2 += X[a + j + 2] * X[b + j + 2];
    s3 += X[a + j + 3] * X[b + j + 3];
  }
  for (; j < n; j++) s0 += X[a + j] * X[b + j];
  return s0 + s1 + (s2 + s3);
}

/** |e| is negligible next to its diagonal neighbours (relative test, so tiny eigenvalues keep their accuracy). */
function negligible(e: number, a: number, b: number): boolean {
  const ae = Math.abs(e);
  return ae <= EPS * Math.sqrt(Math.abs(a)) * Math.sqrt(Math.abs(b)) || ae <= TINY;
}

/**
 * One implicit symmetric QR step with a Wilkinson shift on the unreduced block lo..hi of the
 * tridiagonal (d, e): a Givens rotation introduced at the top and chased down as a bulge. Each
 * rotation R acts as T ← R·T·Rᵀ and, on the eigenvector rows, Vᵀ ← R·Vᵀ.
 */
function qrStep(
  N: number,
  lo: number,
  hi: number,
  work: Float64Array,
  od: number,
  oe: number,
  Z: Float64Array,
  ldz: number,
  oz: number,
): void {
  // Wilkinson shift: eigenvalue of the trailing 2 × 2 block closer to its last diagonal entry,
  // written so that b² is never formed.
  const a = work[od + hi - 1];
  const b = work[oe + hi - 1];
  const c = work[od + hi];
  const delta = 0.5 * (a - c);
  const root = Math.hypot(delta, b);
  const mu = c - b * (b / (delta >= 0 ? delta + root : delta - root));
  let x = work[od + lo] - mu;
  let z = work[oe + lo];
  for (let k = lo; k < hi; k++) {
    const r = Math.hypot(x, z);
    let cs = 1;
    let sn = 0;
    if (r > 0) {
      cs = x / r;
      sn = z / r;
    }
    if (k > lo) work[oe + k - 1] = r;
    const dk = work[od + k];
    const ek = work[oe + k];
    const dk1 = work[od + k + 1];
    const cc = cs * cs;
    const ss = sn * sn;
    const cse = 2 * cs * sn * ek;
    work[od + k] = cc * dk + cse + ss * dk1;
    work[od + k + 1] = ss * dk - cse + cc * dk1;
    work[oe + k] = cs * sn * (dk1 - dk) + (cc - ss) * ek;
    if (k + 1 < hi) {
      const next = work[oe + k + 1];
      z = sn * next;
      work[oe + k + 1] = cs * next;
      x = work[oe + k];
    }
    const r0 = oz + k * ldz;
    const r1 = r0 + ldz;
    for (let j = 0; j < N; j++) {
      const u = Z[r0 + j];
      const v = Z[r1 + j];
      Z[r0 + j] = cs * u + sn * v;
      Z[r1 + j] = cs * v - sn * u;
    }
  }
}

/**
 * Symmetric eigendecomposition A = Z·diag(w)·Zᵀ (offset form). Reads ONLY the lower triangle
 * (j ≤ i) of the N × N row-major block of A; A itself is not modified unless Z is the same
 * storage (Z may alias A exactly: same array, offset and leading dimension). Eigenvalues are
 * written in ascending order to w[offsetW..offsetW+N-1]; the orthonormal eigenvector of w[i] is
 * column i of Z. `work` needs {@link dsyevWorkSize}(N) entries from `offsetWork`.
 *
 * @returns 0 on success; otherwise the number of off-diagonal entries that had not converged
 *   after 30·N QR iterations (w and Z then hold an unfinished decomposition, unsorted). If A
 *   contains NaN or ±Infinity, w and Z are filled with NaN and N is returned.
 * @throws RangeError for leading dimensions below N or arrays too short.
 * @example
 * ```ts
 * const A = new Float64Array([2, 0, 1, 2]); // lower triangle of [[2, 1], [1, 2]]
 * const w = new Float64Array(2);
 * const Z = new Float64Array(4);
 * dsyevOffset(2, A, 2, 0, w, 0, Z, 2, 0, new Float64Array(dsyevWorkSize(2)), 0);
 * // w ≈ [1, 3]; columns of Z are ±[1, -1]/√2 and ±[1, 1]/√2
 * ```
 */
export function dsyevOffset(
  N: number,
  A: Float64Array,
  lda: number,
  offsetA: number,
  w: Float64Array,
  offsetW: number,
  Z: Float64Array,
  ldz: number,
  offsetZ: number,
  work: Float64Array,
  offsetWork: number,
): number {
  if (N <= 0) return 0;
  checkSquare("dsyev", "A", N, A, lda, offsetA);
  checkSquare("dsyev", "Z", N, Z, ldz, offsetZ);
  checkVector("dsyev", "w", N, w, offsetW);
  checkVector("dsyev", "work", 4 * N, work, offsetWork);
  // Copy the lower triangle into Z and find its largest magnitude (NaN/Infinity make it non-finite).
  let amax = 0;
  let finite = true;
  for (let i = 0; i < N; i++) {
    const ra = offsetA + i * lda;
    const rz = offsetZ + i * ldz;
    for (let j = 0; j <= i; j++) {
      const v = A[ra + j];
      Z[rz + j] = v;
      const av = Math.abs(v);
      if (av > amax) amax = av;
      else if (!(av <= amax)) finite = false;
    }
  }
  if (!finite || amax === Number.POSITIVE_INFINITY) {
    for (let i = 0; i < N; i++) {
      w[offsetW + i] = Number.NaN;
      Z.fill(Number.NaN, offsetZ + i * ldz, offsetZ + i * ldz + N);
    }
    return N;
  }
  // Power-of-two scaling to max|A| ≈ 1 is exact and keeps every sum of squares in range.
  const expo = amax > 0 ? Math.max(-1000, Math.min(1000, Math.round(Math.log2(amax)))) : 0;
  const scale = 2 ** -expo;
  if (scale !== 1) {
    for (let i = 0; i < N; i++) {
      const rz = offsetZ + i * ldz;
      for (let j = 0; j <= i; j++) Z[rz + j] *= scale;
    }
  }
  const od = offsetWork;
  const oe = od + N;
  const ot = oe + N;
  const op = ot + N;
  tridiagonalize(N, Z, ldz, offsetZ, work, od, oe, ot, op);
  formQt(N, Z, ldz, offsetZ, work, ot);

  // QR sweeps: deflate converged eigenvalues at the bottom, iterate on the last unreduced block.
  const maxIter = 30 * N;
  let iter = 0;
  let hi = N - 1;
  while (hi > 0) {
    if (negligible(work[oe + hi - 1], work[od + hi - 1], work[od + hi])) {
      work[oe + hi - 1] = 0;
      hi--;
      continue;
    }
    let lo = hi - 1;
    while (lo > 0 && !negligible(work[oe + lo - 1], work[od + lo - 1], work[od + lo])) lo--;
    if (lo > 0) work[oe + lo - 1] = 0;
    if (iter >= maxIter) {
      let failed = 0;
      for (let i = 0; i < hi; i++) if (work[oe + i] !== 0) failed++;
      for (let i = 0; i < N; i++) w[offsetW + i] = work[od + i] / scale;
      transposeSquare(N, Z, ldz, offsetZ);
      return failed;
    }
    iter++;
    qrStep(N, lo, hi, work, od, oe, Z, ldz, offsetZ);
  }

  // Selection sort (ascending), moving eigenvector rows along: N swaps of contiguous rows.
  for (let i = 0; i < N - 1; i++) {
    let m = i;
    for (let j = i + 1; j < N; j++) if (work[od + j] < work[od + m]) m = j;
    if (m === i) continue;
    const t = work[od + i];
    work[od + i] = work[od + m];
    work[od + m] = t;
    const ri = offsetZ + i * ldz;
    const rm = offsetZ + m * ldz;
    for (let j = 0; j < N; j++) {
      const u = Z[ri + j];
      Z[ri + j] = Z[rm + j];
      Z[rm + j] = u;
    }
  }
  for (let i = 0; i < N; i++) w[offsetW + i] = work[od + i] / scale;
  transposeSquare(N, Z, ldz, offsetZ);
  return 0;
}

/** In-place transpose of the N × N block (rows of Vᵀ become columns of V). */
function transposeSquare(N: number, Z: Float64Array, ldz: number, oz: number): void {
  for (let i = 0; i < N; i++) {
    for (let j = i + 1; j < N; j++) {
      const a = oz + i * ldz + j;
      const b = oz + j * ldz + i;
      const t = Z[a];
      Z[a] = Z[b];
      Z[b] = t;
    }
  }
}

/**
 * Symmetric eigendecomposition A = Z·diag(w)·Zᵀ of an N × N row-major matrix of which only the
 * lower triangle is read: eigenvalues ascending in w, orthonormal eigenvectors in the columns of
 * Z. `work` needs {@link dsyevWorkSize}(N) entries. See {@link dsyevOffset}.
 *
 * @returns 0, or > 0 if the QR iteration did not converge (N for non-finite input).
 * @example
 * ```ts
 * const A = new Float64Array([2, 1, 1, 2]);
 * const w = new Float64Array(2);
 * const Z = new Float64Array(4);
 * dsyev(2, A, 2, w, Z, 2, new Float64Array(dsyevWorkSize(2))); // 0; w ≈ [1, 3]
 * ```
 */
export function dsyev(
  N: number,
  A: Float64Array,
  lda: number,
  w: Float64Array,
  Z: Float64Array,
  ldz: number,
  work: Float64Array,
): number {
  return dsyevOffset(N, A, lda, 0, w, 0, Z, ldz, 0, work, 0);
}
