/**
 * In-place iterative radix-2 complex FFT of length n (a power of two), forward transform
 * X_k = Σ x_j e^(−2πijk/n).
 */
function fftInPlace(re: Float64Array, im: Float64Array, n: number): void {
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      let t = re[i];
      re[i] = re[j];
      re[j] = t;
      t = im[i];
      im[i] = im[j];
      im[j] = t;
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const angle = (-2 * Math.PI) / len;
    const wRe = Math.cos(angle);
    const wIm = Math.sin(angle);
    const half = len >> 1;
    for (let start = 0; start < n; start += len) {
      let uRe = 1;
      let uIm = 0;
      for (let k = 0; k < half; k++) {
        const a = start + k;
        const b = a + half;
        const tRe = re[b] * uRe - im[b] * uIm;
        const tIm = re[b] * uIm + im[b] * uRe;
        re[b] = re[a] - tRe;
        im[b] = im[a] - tIm;
        re[a] += tRe;
        im[a] += tIm;
        const nextRe = uRe * wRe - uIm * wIm;
        uIm = uRe * wIm + uIm * wRe;
        uRe = nextRe;
      }
    }
  }
}

/**
 * The biased sample autocovariance of one chain, γ̂(t) = (1/n)·Σ_{i<n−t} (xᵢ − x̄)(x_{i+t} − x̄)
 * for t = 0 … n − 1, computed with a zero-padded FFT in O(n log n) (padding to ≥ 2n removes the
 * circular wrap-around).
 *
 * @param x - the chain (length n ≥ 1)
 * @param offset - where the chain starts in `x` (default 0)
 * @param n - its length (default `x.length − offset`)
 * @returns a fresh Float64Array of length n
 * @example
 * ```ts
 * autocovariance(new Float64Array([1, 2, 3, 4])); // [1.25, 0.3125, -0.375, -0.5625]
 * ```
 */
export function autocovariance(x: Float64Array, offset = 0, n = x.length - offset): Float64Array {
  let size = 1;
  while (size < 2 * n) size <<= 1;
  const re = new Float64Array(size);
  const im = new Float64Array(size);
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[offset + i];
  mean /= n;
  for (let i = 0; i < n; i++) re[i] = x[offset + i] - mean;
  fftInPlace(re, im, size);
  for (let k = 0; k < size; k++) {
    re[k] = re[k] * re[k] + im[k] * im[k];
    im[k] = 0;
  }
  // The power spectrum is real and even, so a forward transform equals size × the inverse one.
  fftInPlace(re, im, size);
  const out = new Float64Array(n);
  const scale = 1 / (size * n);
  for (let t = 0; t < n; t++) out[t] = re[t] * scale;
  return out;
}
