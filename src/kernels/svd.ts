/**
 * Thin singular value decomposition by preconditioned one-sided (Hestenes) Jacobi.
 *
 * With k = min(M, N) and L = max(M, N), let C be A (M ≥ N) or Aᵀ (M < N), an L × k matrix. Its
 * columns are stored as the ROWS of a k × L scratch block B, so that every dot product, reflector
 * and rotation runs along contiguous memory. A column-pivoted Householder QR, C·Π = Q·R, is
 * followed by one-sided Jacobi on the rows of the k × k factor R (Drmač–Veselić preconditioning:
 * pivoting concentrates the mass on the diagonal so few sweeps are needed, most markedly for
 * graded or nearly low-rank matrices). One-sided Jacobi is chosen for accuracy: it is backward
 * stable column by column, so small singular values keep high relative accuracy when the columns
 * are well scaled, which bidiagonalisation does not guarantee.
 *
 * @module
 */

/** Unit roundoff of float64 (2^-52). */
const EPS = 2.220446049250313e-16;
/**
 * Squared norms below this (after scaling max|A| to ≈ 1) are treated as exact zeros (2^-1000,
 * i.e. singular values under ~1e-150·max|A|): their rows would be rounding noise whose pairwise
 * angles cannot be resolved in floating point, far below any SVD's eps·‖A‖ accuracy.
 */
const TINY2 = 9.332636185032189e-302;
/** Sweep limit; Jacobi converges quadratically and typically needs 5–12 sweeps. */
const MAX_SWEEPS = 60;

function checkMatrix(
  where: string,
  name: string,
  rows: number,
  cols: number,
  X: Float64Array,
  ld: number,
  offset: number,
): void {
  if (!Number.isInteger(ld) || ld < Math.max(1, cols)) {
    throw new RangeError(
      `${where}: leading dimension of ${name} too small — got ${ld}, expected an integer >= ${cols}.`,
    );
  }
  if (!Number.isInteger(offset) || offset < 0 || offset + (rows - 1) * ld + cols > X.length) {
    throw new RangeError(
      `${where}: ${name} too short — got length ${X.length} with offset ${offset}, expected >= ${offset + (rows - 1) * ld + cols}.`,
    );
  }
}

/**
 * Number of float64 scratch entries {@link dgesvdThin} needs for an M × N matrix:
 * k·L + 2k² + 2k + L with k = min(M, N), L = max(M, N) (0 when either dimension is ≤ 0).
 *
 * @example
 * ```ts
 * const work = new Float64Array(dgesvdWorkSize(100, 20)); // 2000 + 800 + 40 + 100 entries
 * ```
 */
export function dgesvdWorkSize(M: number, N: number): number {
  if (M <= 0 || N <= 0) return 0;
  const k = Math.min(M, N);
  const L = Math.max(M, N);
  return k * L + 2 * k * k + 2 * k + L;
}

/** Swaps rows i and j (length n) of a block with leading dimension ld at offset o. */
function swapRows(X: Float64Array, o: number, ld: number, n: number, i: number, j: number): void {
  const ri = o + i * ld;
  const rj = o + j * ld;
  for (let c = 0; c < n; c++) {
    const t = X[ri + c];
    X[ri + c] = X[rj + c];
    X[rj + c] = t;
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

/**
 * Cyclic one-sided Jacobi on the k rows (length L) of B at ob, accumulating into R (k × k) at or;
 * the squared row norms live at on. Returns the number of sweeps used, or -1 if MAX_SWEEPS passed
 * without convergence.
 */
function jacobi(k: number, L: number, work: Float64Array, ob: number, or: number, on: number): number {
  // A pair counts as orthogonal when its cosine is below √L·eps: the rounding level of the dot
  // product itself, so the test is neither unreachable nor loose.
  const tol = Math.sqrt(L) * EPS;
  for (let i = 0; i < k; i++) work[on + i] = dot(work, ob + i * L, ob + i * L, L);
  for (let sweep = 1; sweep <= MAX_SWEEPS; sweep++) {
    let rotated = false;
    for (let p = 0; p < k - 1; p++) {
      const bp = ob + p * L;
      for (let q = p + 1; q < k; q++) {
        const alpha = work[on + p];
        const beta = work[on + q];
        if (alpha < TINY2 || beta < TINY2) continue;
        const bq = ob + q * L;
        const gamma = dot(work, bp, bq, L);
        if (!(Math.abs(gamma) > tol * Math.sqrt(alpha) * Math.sqrt(beta))) continue;
        rotated = true;
        // Rotation [c -s; s c] on (row p, row q) zeroing their inner product (Rutishauser's
        // formulas): t is the smaller root of t² + 2ζt - 1 = 0, so |angle| ≤ π/4.
        const zeta = (beta - alpha) / (2 * gamma);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.hypot(1, zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        // The new norms are summed from the rotated data rather than updated as α - tγ, which
        // cancels catastrophically when a row is nearly in the span of the other.
        let na = 0;
        let nb = 0;
        for (let j = 0; j < L; j++) {
          const x = work[bp + j];
          const y = work[bq + j];
          const u = c * x - s * y;
          const v = s * x + c * y;
          work[bp + j] = u;
          work[bq + j] = v;
          na += u * u;
          nb += v * v;
        }
        work[on + p] = na;
        work[on + q] = nb;
        const rp = or + p * k;
        const rq = or + q * k;
        for (let j = 0; j < k; j++) {
          const x = work[rp + j];
          const y = work[rq + j];
          work[rp + j] = c * x - s * y;
          work[rq + j] = s * x + c * y;
        }
      }
    }
    if (!rotated) return sweep;
  }
  return -1;
}

/**
 * Replaces row i of B (k rows of length L, rows 0..i-1 orthonormal) by a unit vector orthogonal to
 * the rows before it. The start is the coordinate vector least represented in those rows (its
 * squared residual is at least (L - i)/L ≥ 1/L), then two Gram–Schmidt passes make it orthogonal
 * to working precision. colw[j] tracks Σ_t B[t, j]² over the finished rows.
 */
function completeRow(i: number, L: number, work: Float64Array, ob: number, ocolw: number): void {
  let best = 0;
  for (let j = 1; j < L; j++) if (work[ocolw + j] < work[ocolw + best]) best = j;
  const bi = ob + i * L;
  work.fill(0, bi, bi + L);
  work[bi + best] = 1;
  for (let pass = 0; pass < 2; pass++) {
    for (let t = 0; t < i; t++) {
      const bt = ob + t * L;
      let dot = 0;
      for (let j = 0; j < L; j++) dot += work[bt + j] * work[bi + j];
      for (let j = 0; j < L; j++) work[bi + j] -= dot * work[bt + j];
    }
  }
  let nrm = 0;
  for (let j = 0; j < L; j++) nrm += work[bi + j] * work[bi + j];
  nrm = Math.sqrt(nrm);
  for (let j = 0; j < L; j++) work[bi + j] /= nrm;
}

/**
 * Householder QR with column pivoting of C = Bᵀ (L × k), done on the rows of B: on return
 * Πᵀ·B·H_0·…·H_{k-1} = Rᵀ sits in the lower triangle of B, reflector j (H = I - τ·v·vᵀ, v[j] = 1)
 * in B[j, j+1..L-1] with τ in work[otau + j], and perm[j] = the original index of row j.
 * Pivoting (largest remaining norm first) is what makes the later Jacobi sweeps converge fast.
 */
function pivotedQr(k: number, L: number, work: Float64Array, ob: number, otau: number, operm: number): void {
  for (let j = 0; j < k; j++) work[operm + j] = j;
  for (let j = 0; j < k; j++) {
    // The remaining norms are recomputed rather than downdated: it costs a quarter of the
    // reflector update and has no cancellation to guard against.
    let best = j;
    let bestNorm = -1;
    for (let i = j; i < k; i++) {
      const bi = ob + i * L;
      let a = 0;
      for (let c = j; c < L; c++) a += work[bi + c] * work[bi + c];
      if (a > bestNorm) {
        bestNorm = a;
        best = i;
      }
    }
    if (best !== j) {
      swapRows(work, ob, L, L, j, best);
      const t = work[operm + j];
      work[operm + j] = work[operm + best];
      work[operm + best] = t;
    }
    const bj = ob + j * L;
    const alpha = work[bj + j];
    // The tail is summed afresh: bestNorm - α² could round a small but significant tail to zero.
    const sigma = dot(work, bj + j + 1, bj + j + 1, L - j - 1);
    if (sigma === 0) {
      work[otau + j] = 0;
      continue;
    }
    const norm = Math.sqrt(alpha * alpha + sigma);
    const beta = alpha >= 0 ? -norm : norm;
    const tau = (beta - alpha) / beta;
    const scal = 1 / (alpha - beta);
    work[otau + j] = tau;
    work[bj + j] = beta;
    for (let c = j + 1; c < L; c++) work[bj + c] *= scal;
    for (let i = j + 1; i < k; i++) {
      const bi = ob + i * L;
      const d = tau * (work[bi + j] + dot(work, bi + j + 1, bj + j + 1, L - j - 1));
      work[bi + j] -= d;
      for (let c = j + 1; c < L; c++) work[bi + c] -= d * work[bj + c];
    }
  }
}

/**
 * Thin SVD A = U·diag(s)·Vt of an M × N row-major matrix (offset form); A is not modified.
 * With k = min(M, N): s (k entries from offsetS) descending and non-negative, U is M × k with
 * orthonormal columns, Vt is k × N with orthonormal rows. Rank-deficient and zero matrices get
 * s = 0 for the missing directions and still an orthonormal U and Vt (completed arbitrarily).
 * Singular values below ~1e-150·max|A| are returned as 0. `work` needs
 * {@link dgesvdWorkSize}(M, N) entries from offsetWork.
 *
 * Method (Drmač–Veselić preconditioning): with C = A (M ≥ N) or Aᵀ (M < N), a pivoted QR
 * C·Π = Q·R, then one-sided Jacobi on the rows of R, G·R = Σ·Xᵀ with G orthogonal, so that
 * C = (Q·Gᵀ)·Σ·(Π·X)ᵀ. Jacobi on a pivoted triangular factor needs a few sweeps where the raw
 * matrix needs ten or more, and Q·Gᵀ is orthonormal by construction.
 *
 * @returns 0 on success; 1 if the Jacobi sweeps did not converge (the outputs are then the last
 *   iterate: orthonormal factors, less accurate values); 1 with all outputs NaN if A contains
 *   NaN or ±Infinity.
 * @throws RangeError for leading dimensions below the column counts or arrays too short.
 * @example
 * ```ts
 * const A = new Float64Array([3, 0, 0, 4]); // diag(3, 4)
 * const s = new Float64Array(2), U = new Float64Array(4), Vt = new Float64Array(4);
 * dgesvdThinOffset(2, 2, A, 2, 0, s, 0, U, 2, 0, Vt, 2, 0, new Float64Array(dgesvdWorkSize(2, 2)), 0);
 * // s = [4, 3]; U and Vt are ±[[0, 1], [1, 0]]
 * ```
 */
export function dgesvdThinOffset(
  M: number,
  N: number,
  A: Float64Array,
  lda: number,
  offsetA: number,
  s: Float64Array,
  offsetS: number,
  U: Float64Array,
  ldu: number,
  offsetU: number,
  Vt: Float64Array,
  ldvt: number,
  offsetVt: number,
  work: Float64Array,
  offsetWork: number,
): number {
  if (M <= 0 || N <= 0) return 0;
  const k = Math.min(M, N);
  const L = Math.max(M, N);
  const need = dgesvdWorkSize(M, N);
  checkMatrix("dgesvdThin", "A", M, N, A, lda, offsetA);
  checkMatrix("dgesvdThin", "s", 1, k, s, k, offsetS);
  checkMatrix("dgesvdThin", "U", M, k, U, ldu, offsetU);
  checkMatrix("dgesvdThin", "Vt", k, N, Vt, ldvt, offsetVt);
  checkMatrix("dgesvdThin", "work", 1, need, work, need, offsetWork);
  // Work layout: B (k × L) | T (k × k) | G (k × k) | τ (k) | perm (k) | scratch (L).
  const ob = offsetWork;
  const ot = ob + k * L;
  const og = ot + k * k;
  const otau = og + k * k;
  const operm = otau + k;
  const ow = operm + k;
  const tall = M >= N;

  // B = Cᵀ, i.e. Aᵀ (tall) or A (wide); find max|A| and reject non-finite input in the same pass.
  let amax = 0;
  let finite = true;
  for (let i = 0; i < M; i++) {
    const ra = offsetA + i * lda;
    for (let j = 0; j < N; j++) {
      const v = A[ra + j];
      work[tall ? ob + j * L + i : ob + i * L + j] = v;
      const av = Math.abs(v);
      if (av > amax) amax = av;
      else if (!(av <= amax)) finite = false;
    }
  }
  if (!finite || amax === Number.POSITIVE_INFINITY) {
    s.fill(Number.NaN, offsetS, offsetS + k);
    for (let i = 0; i < M; i++) U.fill(Number.NaN, offsetU + i * ldu, offsetU + i * ldu + k);
    for (let i = 0; i < k; i++) Vt.fill(Number.NaN, offsetVt + i * ldvt, offsetVt + i * ldvt + N);
    return 1;
  }
  // Exact power-of-two scaling to max|A| ≈ 1 keeps the squared norms in range.
  const expo = amax > 0 ? Math.max(-1000, Math.min(1000, Math.round(Math.log2(amax)))) : 0;
  const scale = 2 ** -expo;
  if (scale !== 1) for (let j = ob; j < ob + k * L; j++) work[j] *= scale;

  pivotedQr(k, L, work, ob, otau, operm);
  // T = R (upper triangular, row i of R is column i of Rᵀ in B), G = I.
  for (let i = 0; i < k; i++) {
    const ti = ot + i * k;
    for (let c = 0; c < k; c++) work[ti + c] = c >= i ? work[ob + c * L + i] : 0;
  }
  work.fill(0, og, og + k * k);
  for (let i = 0; i < k; i++) work[og + i * k + i] = 1;

  const info = jacobi(k, k, work, ot, og, ow) < 0 ? 1 : 0;

  // σᵢ = ‖row i of T‖ (stored temporarily in s), sorted descending together with the rows of G.
  for (let i = 0; i < k; i++) {
    const a = dot(work, ot + i * k, ot + i * k, k);
    s[offsetS + i] = a < TINY2 ? 0 : Math.sqrt(a);
  }
  for (let i = 0; i < k - 1; i++) {
    let m = i;
    for (let j = i + 1; j < k; j++) if (s[offsetS + j] > s[offsetS + m]) m = j;
    if (m === i) continue;
    const t = s[offsetS + i];
    s[offsetS + i] = s[offsetS + m];
    s[offsetS + m] = t;
    swapRows(work, ot, k, k, i, m);
    swapRows(work, og, k, k, i, m);
  }
  // X = normalised rows of T; zero singular values (sorted last) get an orthonormal completion.
  work.fill(0, ow, ow + k);
  for (let i = 0; i < k; i++) {
    const ti = ot + i * k;
    const sigma = s[offsetS + i];
    if (sigma > 0) {
      for (let j = 0; j < k; j++) work[ti + j] /= sigma;
    } else {
      completeRow(i, k, work, ot, ow);
    }
    for (let j = 0; j < k; j++) work[ow + j] += work[ti + j] * work[ti + j];
    s[offsetS + i] = sigma / scale;
  }

  // Π·X: column perm[j] of the short-side factor is row j of X.
  // Q·Gᵀ: the long-side factor, reflectors applied last-to-first to [Gᵀ; 0].
  if (tall) {
    for (let i = 0; i < k; i++) {
      const rv = offsetVt + i * ldvt;
      for (let j = 0; j < k; j++) Vt[rv + work[operm + j]] = work[ot + i * k + j];
    }
    for (let r = 0; r < M; r++) {
      const ru = offsetU + r * ldu;
      for (let c = 0; c < k; c++) U[ru + c] = r < k ? work[og + c * k + r] : 0;
    }
    // U ← H_j·U: w = Uᵀv over rows j.., then U[r] -= τ·v[r]·w (all along contiguous rows of U).
    for (let j = k - 1; j >= 0; j--) {
      const tau = work[otau + j];
      if (tau === 0) continue;
      const bj = ob + j * L;
      const uj = offsetU + j * ldu;
      for (let c = 0; c < k; c++) work[ow + c] = U[uj + c];
      for (let r = j + 1; r < M; r++) {
        const v = work[bj + r];
        const ur = offsetU + r * ldu;
        for (let c = 0; c < k; c++) work[ow + c] += v * U[ur + c];
      }
      for (let c = 0; c < k; c++) U[uj + c] -= tau * work[ow + c];
      for (let r = j + 1; r < M; r++) {
        const tv = tau * work[bj + r];
        const ur = offsetU + r * ldu;
        for (let c = 0; c < k; c++) U[ur + c] -= tv * work[ow + c];
      }
    }
  } else {
    for (let j = 0; j < k; j++) {
      const ru = offsetU + work[operm + j] * ldu;
      for (let i = 0; i < k; i++) U[ru + i] = work[ot + i * k + j];
    }
    // Row i of Vt = [G[i], 0]·H_{k-1}·…·H_0, each reflector applied along the contiguous row.
    for (let i = 0; i < k; i++) {
      const rv = offsetVt + i * ldvt;
      for (let c = 0; c < N; c++) Vt[rv + c] = c < k ? work[og + i * k + c] : 0;
      for (let j = k - 1; j >= 0; j--) {
        const tau = work[otau + j];
        if (tau === 0) continue;
        const bj = ob + j * L;
        let d = Vt[rv + j];
        for (let c = j + 1; c < N; c++) d += Vt[rv + c] * work[bj + c];
        d *= tau;
        Vt[rv + j] -= d;
        for (let c = j + 1; c < N; c++) Vt[rv + c] -= d * work[bj + c];
      }
    }
  }
  return info;
}

/**
 * Thin SVD A = U·diag(s)·Vt of an M × N row-major matrix: k = min(M, N) singular values in s
 * (descending), U is M × k, Vt is k × N. `work` needs {@link dgesvdWorkSize}(M, N) entries. See
 * {@link dgesvdThinOffset}.
 *
 * @returns 0, or 1 if the Jacobi sweeps did not converge or A is not finite.
 * @example
 * ```ts
 * const A = new Float64Array([1, 1, 1, 1, 1, 1]); // 3 × 2 of ones
 * const s = new Float64Array(2), U = new Float64Array(6), Vt = new Float64Array(4);
 * dgesvdThin(3, 2, A, 2, s, U, 2, Vt, 2, new Float64Array(dgesvdWorkSize(3, 2))); // s ≈ [√6, 0]
 * ```
 */
export function dgesvdThin(
  M: number,
  N: number,
  A: Float64Array,
  lda: number,
  s: Float64Array,
  U: Float64Array,
  ldu: number,
  Vt: Float64Array,
  ldvt: number,
  work: Float64Array,
): number {
  return dgesvdThinOffset(M, N, A, lda, 0, s, 0, U, ldu, 0, Vt, ldvt, 0, work, 0);
}
