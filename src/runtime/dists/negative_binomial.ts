import { NONNEGATIVE_INTEGER, POSITIVE } from "../../core/support.js";
import { sampleGamma, samplePoisson } from "../rng/samplers.js";
import { digamma, lbeta } from "../special.js";
import { scalarFamily } from "./scalar_family.js";

/** Counts up to this sum ψ(k + φ) − ψ(φ) = Σ_{j<k} 1/(φ + j) exactly instead of subtracting digammas. */
const DIGAMMA_SUM_LIMIT = 32;

/** log(1 + a/b) for a, b > 0, also when a/b overflows. */
function log1pRatio(a: number, b: number): number {
  const r = a / b;
  return r < Number.POSITIVE_INFINITY ? Math.log1p(r) : Math.log(a) - Math.log(b);
}

/**
 * k·log(μ/(μ+φ)) + φ·log(φ/(μ+φ)) + log C(k+φ−1, k), with the binomial coefficient as
 * −log B(φ, k+1) − log(k+φ) (no cancellation of large log-gammas when φ is large).
 */
function logPmf(k: number, mean: number, concentration: number): number {
  const counts = k === 0 ? 0 : k * log1pRatio(concentration, mean);
  return (
    -lbeta(concentration, k + 1) -
    Math.log(k + concentration) -
    counts -
    concentration * log1pRatio(mean, concentration)
  );
}

/**
 * negative_binomial(mean, concentration): the gamma–Poisson mixture in Stan's neg_binomial_2
 * parameterisation (mean = μ, concentration = φ, as NumPyro's NegativeBinomial2), for
 * k = 0, 1, 2, …:
 * log p(k) = log C(k + φ − 1, k) + k·log(μ/(μ + φ)) + φ·log(φ/(μ + φ)); mean μ, variance
 * μ + μ²/φ. Small φ is strong over-dispersion; φ → ∞ is the Poisson(μ).
 *
 * @example
 * ```ts
 * negativeBinomial.logDensity(0, { mean: 2, concentration: 1 }); // returns log(1/3)
 * ```
 */
export const negativeBinomial = scalarFamily({
  family: "negative_binomial",
  params: {
    mean: { rank: 0, support: POSITIVE, doc: "mean count μ (Stan's mu)" },
    concentration: { rank: 0, support: POSITIVE, doc: "inverse over-dispersion φ (Stan's phi)" },
  },
  paramOrder: ["mean", "concentration"],
  discrete: true,
  support: () => NONNEGATIVE_INTEGER,
  elementLogDensity(k, mean, concentration) {
    if (!(k >= 0 && Number.isInteger(k))) return Number.NEGATIVE_INFINITY;
    return logPmf(k, mean, concentration);
  },
  elementLogDensityGrad(k, mean, concentration, _c, g) {
    if (!(k >= 0 && Number.isInteger(k))) return Number.NEGATIVE_INFINITY;
    const weight = concentration / (mean + concentration);
    // ∂/∂μ = k/μ − (k + φ)/(μ + φ), regrouped as φ/(μ + φ)·(k/μ − 1) so it never overflows.
    g[1] = weight * (k / mean - 1);
    let digammaDiff = 0;
    if (k <= DIGAMMA_SUM_LIMIT) {
      for (let j = 0; j < k; j++) digammaDiff += 1 / (concentration + j);
    } else {
      digammaDiff = digamma(k + concentration) - digamma(concentration);
    }
    g[2] = digammaDiff - log1pRatio(mean, concentration) + (mean - k) / (mean + concentration);
    return logPmf(k, mean, concentration);
  },
  // Poisson(μ·G) with G ~ gamma(φ, rate φ), mean 1: the rate φ stays finite however μ and φ compare.
  elementSample: (rng, mean, concentration) =>
    samplePoisson(rng, mean * sampleGamma(rng, concentration, concentration)),
});
