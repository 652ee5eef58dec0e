/**
 * Test helpers: Richardson-extrapolated central differences (error O(h⁴)) and a log|det| by
 * LU with partial pivoting, both independent of the code under test.
 */

/** d f / dt at t, from central differences at steps h and h/2 combined to cancel the h² term. */
export function derivative(f: (t: number) => number, t: number, h: number): number {
  const wide = (f(t + h) - f(t - h)) / (2 * h);
  const narrow = (f(t + h / 2) - f(t - h / 2)) / h;
  return (4 * narrow - wide) / 3;
}

/** A step that is small relative to t (and to 1e-3 when t is near 0). */
export function stepFor(t: number): number {
  return 1e-4 * Math.max(Math.abs(t), 1e-3);
}

/** Relative error with a floor on the denominator, so that near-zero partials compare absolutely. */
export function relativeError(actual: number, expected: number, floor = 1e-2): number {
  return Math.abs(actual - expected) / Math.max(Math.abs(expected), floor);
}

/** log|det A| of a dense row-major m × m matrix (copied; −Infinity when singular). */
export function logAbsDet(matrix: Float64Array, m: number): number {
  const a = Float64Array.from(matrix);
  let logDet = 0;
  for (let col = 0; col < m; col++) {
    let pivot = col;
    for (let r = col + 1; r < m; r++) if (Math.abs(a[r * m + col]!) > Math.abs(a[pivot * m + col]!)) pivot = r;
    const p = a[pivot * m + col]!;
    if (p === 0) return Number.NEGATIVE_INFINITY;
    if (pivot !== col) {
      for (let c = 0; c < m; c++) {
        const t = a[col * m + c]!;
        a[col * m + c] = a[pivot * m + c]!;
        a[pivot * m + c] = t;
      }
    }
    logDet += Math.log(Math.abs(p));
    for (let r = col + 1; r < m; r++) {
      const factor = a[r * m + col]! / p;
      for (let c = col; c < m; c++) a[r * m + c]! -= factor * a[col * m + c]!;
    }
  }
  return logDet;
}
