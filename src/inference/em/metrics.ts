/**
 * Sparse-recovery scores as defined by the KroSBL paper's code and the sbl-bench README: the
 * normalised squared error and the support F1 / recovery rate, where the estimated support is
 * {i : |x̂ᵢ| > threshold · max|x̂|}.
 *
 * @example
 * ```ts
 * const { nmse, f1, srr } = recoveryScores(fit.mean, xTrue); // 10·log10(nmse) is the NMSE in dB
 * ```
 */
export function recoveryScores(
  xhat: ArrayLike<number>,
  x: ArrayLike<number>,
  threshold = 1e-3,
): { nmse: number; f1: number; srr: number } {
  let num = 0;
  let den = 0;
  let max = 0;
  for (let i = 0; i < x.length; i++) {
    num += (xhat[i] - x[i]) ** 2;
    den += x[i] ** 2;
    max = Math.max(max, Math.abs(xhat[i]));
  }
  let inter = 0;
  let est = 0;
  let truth = 0;
  for (let i = 0; i < x.length; i++) {
    const t = x[i] !== 0;
    const e = max > 0 && Math.abs(xhat[i]) > threshold * max;
    if (t) truth++;
    if (e) est++;
    if (t && e) inter++;
  }
  const union = truth + est - inter;
  return {
    nmse: num / den,
    f1: truth + est > 0 ? (2 * inter) / (truth + est) : 1,
    srr: union > 0 ? inter / union : 1,
  };
}
