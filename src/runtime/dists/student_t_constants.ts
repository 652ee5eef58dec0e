import { digamma, lbeta } from "../special.js";
import { memoizeLast } from "./memo.js";

/**
 * lgamma((ν+1)/2) − lgamma(ν/2) − ½log(νπ), cached per ν. Since Γ((ν+1)/2)/Γ(ν/2) = √π / B(ν/2, ½),
 * this is −log B(ν/2, ½) − ½log ν: one log-beta, free of the cancellation of two huge log-gammas
 * at large ν.
 */
const dfNormaliser = memoizeLast((df) => -lbeta(0.5 * df, 0.5) - 0.5 * Math.log(df));
/** ∂ dfNormaliser / ∂ν = ½(ψ((ν+1)/2) − ψ(ν/2) − 1/ν), cached per ν. */
const dfNormaliserPartial = memoizeLast((df) => 0.5 * (digamma(0.5 * (df + 1)) - digamma(0.5 * df) - 1 / df));

/**
 * The per-(ν, scale) constants of Student-t element kernels, shared by `student_t` and
 * `half_student_t` (whose normaliser is this one plus log 2): k[0] = normaliser − log scale,
 * k[1] = 1/scale, k[2] = 1/ν, k[3] = ½(ν + 1), k[4] = ∂normaliser/∂ν. The ν-only parts are
 * cached, so a per-element scale costs one log per element.
 *
 * @example
 * ```ts
 * const k = new Float64Array(5);
 * studentTConstants(3, 2, k); // k[1] === 0.5
 * ```
 */
export function studentTConstants(df: number, scale: number, k: Float64Array): void {
  k[0] = dfNormaliser(df) - Math.log(scale);
  k[1] = 1 / scale;
  k[2] = 1 / df;
  k[3] = 0.5 * (df + 1);
  k[4] = dfNormaliserPartial(df);
}
