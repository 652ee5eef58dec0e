/**
 * Pieces every SBL kernel shares: the noise-variance M-step with its floor, pruning, the
 * relative-change measure of the stopping rule, and the documented outcome for all-zero data.
 *
 * @module
 */
import { DataError } from "../../core/errors.js";
import { HALF_LOG_2PI } from "./linalg.js";
import type { NormalizedProblem } from "./problem.js";
import type { SblState } from "./types.js";

/**
 * Default relative noise floor: σ² ≥ 1e-10 · mean(|y|²).
 *
 * @example
 * ```ts
 * const minimum = DEFAULT_NOISE_FLOOR * p.yPower;
 * ```
 */
export const DEFAULT_NOISE_FLOOR = 1e-10;

/**
 * The noise-variance M-step. EM (monotone): σ² ← (‖y − Aμ‖² + σ² T)/m with T = tr(AΣ₀AᵀC⁻¹);
 * MacKay: σ² ← ‖y − Aμ‖²/(m − T). Both are clamped at `floor · mean(|y|²)`; hitting the floor
 * adds a warning instead of letting σ² collapse to 0 (which makes the evidence unbounded).
 *
 * With a Gamma(a, b) prior on the precision β = 1/σ² (`p.noisePrior`) the same rules give the
 * posterior mode of β: the prior adds c(a − 1) pseudo-observations with total power c·b, c = 2
 * for real data and 1 for circular complex data (whose log density has −m log σ², not −m/2):
 * EM σ² ← (‖y − Aμ‖² + σ² T + c b)/(m + c(a − 1)).
 *
 * @example
 * ```ts
 * const { variance, warning } = updateNoise(p, state, "em", 1e-10);
 * ```
 */
export function updateNoise(
  p: NormalizedProblem,
  sigma2: number,
  residual2: number,
  trace: number,
  rule: "em" | "mackay",
  floor: number,
): { variance: number; warning?: string } {
  const m = p.m;
  const c = p.complex ? 1 : 2;
  const extraCount = p.noisePrior ? c * (p.noisePrior.shape - 1) : 0;
  const extraPower = p.noisePrior ? c * p.noisePrior.rate : 0;
  let next: number;
  const dof = m - trace + extraCount;
  if (rule === "mackay" && dof > 1e-9 * m) next = (residual2 + extraPower) / dof;
  else next = (residual2 + sigma2 * trace + extraPower) / Math.max(m + extraCount, 1e-9 * m);
  const minimum = floor * p.yPower;
  if (!(next >= minimum)) {
    return {
      variance: minimum,
      warning:
        `noise variance reached its floor ${minimum.toPrecision(3)} (noiseFloor · mean|y|²): ` +
        "the model interpolates the data; give the noise variance or raise noiseFloor",
    };
  }
  return { variance: next };
}

/**
 * ‖a − b‖₂ / ‖b‖₂ (0 when both are zero): the relative hyper-parameter change of the stopping rule.
 *
 * @example
 * ```ts
 * relativeChange(newGamma, oldGamma) < 1e-6;
 * ```
 */
export function relativeChange(a: Float64Array, b: Float64Array): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i] - b[i];
    num += d * d;
    den += b[i] * b[i];
  }
  if (den === 0) return num === 0 ? 0 : Number.POSITIVE_INFINITY;
  return Math.sqrt(num / den);
}

/**
 * Zeroes entries of `gamma` below `threshold · max(gamma)` and returns the indices kept.
 *
 * @example
 * ```ts
 * const active = prune(gamma, 1e-3);
 * ```
 */
export function prune(gamma: Float64Array, threshold: number): Int32Array {
  let max = 0;
  for (let i = 0; i < gamma.length; i++) if (gamma[i] > max) max = gamma[i];
  const cut = threshold * max;
  let count = 0;
  for (let i = 0; i < gamma.length; i++) {
    if (!(gamma[i] > 0) || gamma[i] < cut) gamma[i] = 0;
    else count++;
  }
  const active = new Int32Array(count);
  let c = 0;
  for (let i = 0; i < gamma.length; i++) if (gamma[i] > 0) active[c++] = i;
  return active;
}

/**
 * |L_new − L_old| / max(1, |L_old|).
 *
 * @example
 * ```ts
 * evidenceChange(-10.5, -10.4);
 * ```
 */
export function evidenceChange(next: number, prev: number): number {
  return Math.abs(next - prev) / Math.max(1, Math.abs(prev));
}

/**
 * The message of the all-zero-data outcome.
 *
 * @example
 * ```ts
 * fit.warnings.includes(ZERO_DATA_WARNING);
 * ```
 */
export const ZERO_DATA_WARNING = "y is all zeros: every coefficient is pruned and the posterior mean is 0";

/**
 * The documented outcome for y = 0 with a known noise variance: every hyper-parameter is 0 (the
 * evidence is maximised by explaining nothing), the posterior is the point mass at 0, and the
 * state is marked done. With a learned noise variance there is no maximum (σ² → 0 sends the
 * evidence to +∞), so that case is a DataError — unless the noise precision has a Gamma prior,
 * whose mode then gives σ².
 *
 * @throws DataError when the noise variance is to be learned without a precision prior.
 * @example
 * ```ts
 * if (p.yPower === 0) return zeroDataState(p, extra);
 * ```
 */
export function zeroDataState(p: NormalizedProblem, extra: SblState["extra"]): SblState {
  if (p.learnNoise && p.noisePrior === undefined) {
    throw new DataError({
      where: "em-sbl",
      what: "y is all zeros, so a learned noise variance has no maximum (it collapses to 0)",
      got: "y = 0",
      expected: "some non-zero observation",
      hint: "give the noise variance (noise: { variance }) to get the all-zero solution.",
    });
  }
  // With a Gamma prior on the precision the mode exists even for y = 0: σ² = c·b / (m + c(a − 1)).
  const c = p.complex ? 1 : 2;
  const s2 =
    p.learnNoise && p.noisePrior
      ? (c * p.noisePrior.rate) / Math.max(p.m + c * (p.noisePrior.shape - 1), 1e-9 * p.m)
      : p.noiseVariance;
  const logEvidence = p.complex ? -p.m * Math.log(Math.PI * s2) : -p.m * HALF_LOG_2PI - 0.5 * p.m * Math.log(s2);
  return {
    iteration: 0,
    gamma: new Float64Array(p.n),
    active: new Int32Array(0),
    noiseVariance: s2,
    mean: new Float64Array(p.complex ? 2 * p.n : p.n),
    varianceDiag: new Float64Array(p.n),
    logEvidence,
    residual2: 0,
    effectiveParameters: 0,
    done: true,
    extra,
  };
}

/**
 * The 'auto' initial prior variance: the signal power left after the noise, spread evenly over
 * the columns, γ₀ = max(‖y‖² − m σ², 0.1 ‖y‖²) / ‖A‖²_F.
 *
 * @example
 * ```ts
 * const g0 = autoGamma(p, frobenius2);
 * ```
 */
export function autoGamma(p: NormalizedProblem, frobenius2: number): number {
  const power = p.yPower * p.m;
  const signal = Math.max(power - p.m * p.noiseVariance, 0.1 * power);
  return frobenius2 > 0 ? signal / frobenius2 : 1;
}
