/**
 * Eigendecomposition of a small Hermitian matrix by cyclic Jacobi rotations, for the per-factor
 * E-step of complex KroSBL (factors have at most a few dozen rows, where Jacobi's simplicity and
 * its accurate small eigenvalues beat a tridiagonal reduction).
 *
 * Each rotation zeroes h_pq with J = diag(1, e^{−iφ}) · [[c, s], [−s, c]] on rows/columns p, q,
 * where h_pq = |h_pq| e^{iφ}: the phase makes the 2 × 2 block real symmetric, and (c, s) is the
 * classical symmetric Jacobi rotation (Golub & Van Loan, Matrix Computations, §8.5).
 *
 * @module
 */

/**
 * A = U diag(w) Uᴴ for a Hermitian N × N matrix A (interleaved row-major; both triangles are
 * read). Eigenvalues ascending in `w`, orthonormal eigenvectors in the columns of `U`
 * (interleaved row-major N × N). `A` is overwritten. Returns the number of sweeps used.
 *
 * @example
 * ```ts
 * const A = Float64Array.of(2, 0, 0, 1, 0, -1, 2, 0); // [[2, i], [-i, 2]]
 * const w = new Float64Array(2), U = new Float64Array(8);
 * hermitianEigen(2, A, w, U); // w = [1, 3]
 * ```
 */
export function hermitianEigen(N: number, A: Float64Array, w: Float64Array, U: Float64Array): number {
  U.fill(0, 0, 2 * N * N);
  for (let i = 0; i < N; i++) U[2 * (i * N + i)] = 1;
  let total = 0;
  for (let i = 0; i < 2 * N * N; i++) total += A[i] * A[i];
  const tiny = 1e-300;
  let sweep = 0;
  for (; sweep < 60; sweep++) {
    let off = 0;
    for (let p = 0; p < N; p++) {
      for (let q = p + 1; q < N; q++) {
        const idx = 2 * (p * N + q);
        off += A[idx] * A[idx] + A[idx + 1] * A[idx + 1];
      }
    }
    if (off <= 1e-32 * total || off < tiny) break;
    for (let p = 0; p < N - 1; p++) {
      for (let q = p + 1; q < N; q++) {
        const idx = 2 * (p * N + q);
        const hr = A[idx];
        const hi = A[idx + 1];
        const mag = Math.hypot(hr, hi);
        if (mag < tiny) continue;
        const a = A[2 * (p * N + p)];
        const b = A[2 * (q * N + q)];
        if (mag <= 1e-18 * (Math.abs(a) + Math.abs(b))) {
          A[idx] = 0;
          A[idx + 1] = 0;
          A[2 * (q * N + p)] = 0;
          A[2 * (q * N + p) + 1] = 0;
          continue;
        }
        // e^{-iφ} = conj(h)/|h|.
        const er = hr / mag;
        const ei = -hi / mag;
        const tau = (b - a) / (2 * mag);
        const t = (tau >= 0 ? 1 : -1) / (Math.abs(tau) + Math.sqrt(1 + tau * tau));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = t * c;
        // Columns: col_p ← c col_p − s e^{-iφ} col_q; col_q ← s col_p + c e^{-iφ} col_q (A and U).
        rotateColumns(N, A, p, q, c, s, er, ei);
        rotateColumns(N, U, p, q, c, s, er, ei);
        // Rows (Jᴴ from the left): row_p ← c row_p − s e^{iφ} row_q; row_q ← s row_p + c e^{iφ} row_q.
        for (let j = 0; j < N; j++) {
          const ip = 2 * (p * N + j);
          const iq = 2 * (q * N + j);
          const xr = A[ip];
          const xi = A[ip + 1];
          const zr = A[iq];
          const zi = A[iq + 1];
          // e^{iφ} z = (er − i ei)(zr + i zi)
          const fr = er * zr + ei * zi;
          const fi = er * zi - ei * zr;
          A[ip] = c * xr - s * fr;
          A[ip + 1] = c * xi - s * fi;
          A[iq] = s * xr + c * fr;
          A[iq + 1] = s * xi + c * fi;
        }
        // Exact zeros and a real diagonal, so rounding does not accumulate there.
        A[idx] = 0;
        A[idx + 1] = 0;
        A[2 * (q * N + p)] = 0;
        A[2 * (q * N + p) + 1] = 0;
        A[2 * (p * N + p) + 1] = 0;
        A[2 * (q * N + q) + 1] = 0;
      }
    }
  }
  for (let i = 0; i < N; i++) w[i] = A[2 * (i * N + i)];
  // Selection sort ascending, swapping eigenvector columns along.
  for (let i = 0; i < N - 1; i++) {
    let k = i;
    for (let j = i + 1; j < N; j++) if (w[j] < w[k]) k = j;
    if (k === i) continue;
    const t = w[i];
    w[i] = w[k];
    w[k] = t;
    for (let r = 0; r < N; r++) {
      const a = 2 * (r * N + i);
      const b = 2 * (r * N + k);
      const ur = U[a];
      const ui = U[a + 1];
      U[a] = U[b];
      U[a + 1] = U[b + 1];
      U[b] = ur;
      U[b + 1] = ui;
    }
  }
  return sweep;
}

/** col_p ← c col_p − s e col_q; col_q ← s col_p + c e col_q with e = er + i ei. */
function rotateColumns(
  N: number,
  M: Float64Array,
  p: number,
  q: number,
  c: number,
  s: number,
  er: number,
  ei: number,
): void {
  for (let r = 0; r < N; r++) {
    const ip = 2 * (r * N + p);
    const iq = 2 * (r * N + q);
    const xr = M[ip];
    const xi = M[ip + 1];
    const zr = M[iq];
    const zi = M[iq + 1];
    const fr = er * zr - ei * zi;
    const fi = er * zi + ei * zr;
    M[ip] = c * xr - s * fr;
    M[ip + 1] = c * xi - s * fi;
    M[iq] = s * xr + c * fr;
    M[iq + 1] = s * xi + c * fi;
  }
}
