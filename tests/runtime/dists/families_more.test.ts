import binomialLogpmf from "@stdlib/stats-base-dists-binomial-logpmf";
import invgammaLogpdf from "@stdlib/stats-base-dists-invgamma-logpdf";
import laplaceLogpdf from "@stdlib/stats-base-dists-laplace-logpdf";
import logisticLogpdf from "@stdlib/stats-base-dists-logistic-logpdf";
import negativeBinomialLogpmf from "@stdlib/stats-base-dists-negative-binomial-logpmf";
import poissonLogpmf from "@stdlib/stats-base-dists-poisson-logpmf";
import tLogpdf from "@stdlib/stats-base-dists-t-logpdf";
import weibullLogpdf from "@stdlib/stats-base-dists-weibull-logpdf";
import { describe, expect, it } from "vitest";
import {
  binomial,
  binomialLogit,
  exponential,
  halfCauchy,
  halfNormal,
  halfStudentT,
  inverseGamma,
  laplace,
  logistic,
  negativeBinomial,
  weibull,
} from "../../../src/runtime/dists/index.js";
import { logChoose } from "../../../src/runtime/dists/log_choose.js";
import { lgamma, logistic as sigmoid } from "../../../src/runtime/special.js";
import { describeScalarFamily, type FamilyCase, logU, NON_REAL, u } from "./scalar_suite.js";

const LN2 = Math.LN2;
const gammaFn = (x: number) => Math.exp(lgamma(x));

/** E|T| and E T² for T ~ student_t(ν, 0, 1), ν > 2: the half-t's first two moments at scale 1. */
function halfTMoments(df: number): { mean: number; second: number } {
  const mean =
    (2 * Math.sqrt(df) * Math.exp(lgamma(0.5 * (df + 1)) - lgamma(0.5 * df))) / (Math.sqrt(Math.PI) * (df - 1));
  return { mean, second: df / (df - 2) };
}

const HALF_T = halfTMoments(6);
const WEIBULL_MEAN = 2 * gammaFn(1 + 1 / 1.5);
const WEIBULL_VAR = 4 * gammaFn(1 + 2 / 1.5) - WEIBULL_MEAN ** 2;
const BINOMIAL_LOGIT_P = sigmoid(0.4);

const CASES: readonly FamilyCase[] = [
  {
    dist: halfStudentT,
    reference: (x, p) => LN2 + tLogpdf(x / p.scale!, p.df!) - Math.log(p.scale!),
    drawParams: (rng) => ({ df: logU(rng, -1, 3.5), scale: logU(rng, -2, 2) }),
    drawX: (rng, p) => p.scale! * u(rng, 0.01, 6),
    outside: [...NON_REAL, -1e-12, -3],
    // df = 6: the fourth moment exists, so the sample variance has a finite MCSE.
    sampleParams: { df: 6, scale: 1.5 },
    sampleCheck: { kind: "moments", mean: 1.5 * HALF_T.mean, variance: 2.25 * (HALF_T.second - HALF_T.mean ** 2) },
  },
  {
    dist: laplace,
    reference: (x, p) => laplaceLogpdf(x, p.loc!, p.scale!),
    drawParams: (rng) => ({ loc: u(rng, -5, 5), scale: logU(rng, -2, 2) }),
    // Away from the kink at loc (± 1% of a scale), where the derivative jumps.
    drawX: (rng, p) => p.loc! + p.scale! * (rng.uniform() < 0.5 ? -1 : 1) * u(rng, 0.01, 6),
    outside: NON_REAL,
    sampleParams: { loc: 1, scale: 2 },
    sampleCheck: { kind: "moments", mean: 1, variance: 8 },
  },
  {
    dist: inverseGamma,
    reference: (x, p) => invgammaLogpdf(x, p.shape!, p.scale!),
    drawParams: (rng) => ({ shape: logU(rng, -1.5, 2.5), scale: logU(rng, -2, 2) }),
    drawX: (rng, p) => (p.scale! / p.shape!) * logU(rng, -1, 2),
    outside: [...NON_REAL, 0, -1],
    // shape 6 > 4: the fourth moment exists.
    sampleParams: { shape: 6, scale: 2 },
    sampleCheck: { kind: "moments", mean: 2 / 5, variance: 4 / (25 * 4) },
  },
  {
    dist: logistic,
    reference: (x, p) => logisticLogpdf(x, p.loc!, p.scale!),
    drawParams: (rng) => ({ loc: u(rng, -5, 5), scale: logU(rng, -2, 2) }),
    drawX: (rng, p) => p.loc! + p.scale! * u(rng, -20, 20),
    outside: NON_REAL,
    sampleParams: { loc: 1, scale: 2 },
    sampleCheck: { kind: "moments", mean: 1, variance: (Math.PI * Math.PI * 4) / 3 },
  },
  {
    dist: weibull,
    reference: (x, p) => weibullLogpdf(x, p.shape!, p.scale!),
    drawParams: (rng) => ({ shape: logU(rng, -1, 2), scale: logU(rng, -2, 2) }),
    drawX: (rng, p) => p.scale! * logU(rng, -2, 0.8),
    outside: [...NON_REAL, 0, -1],
    sampleParams: { shape: 1.5, scale: 2 },
    sampleCheck: { kind: "moments", mean: WEIBULL_MEAN, variance: WEIBULL_VAR },
  },
  {
    dist: binomial,
    reference: (x, p) => binomialLogpmf(x, p.trials!, p.prob!),
    drawParams: (rng) => ({ trials: Math.floor(u(rng, 0, 300)), prob: u(rng, 0.02, 0.98) }),
    drawX: (rng, p) => Math.floor(u(rng, 0, p.trials! + 1)),
    outside: [...NON_REAL, -1, 0.5, 51],
    // trials·prob = 15 ≥ 10 exercises the sampler's rejection (BTRD) branch.
    sampleParams: { trials: 50, prob: 0.3 },
    sampleCheck: { kind: "moments", mean: 15, variance: 10.5 },
  },
  {
    dist: binomialLogit,
    reference: (x, p) => binomialLogpmf(x, p.trials!, sigmoid(p.logit!)),
    drawParams: (rng) => ({ trials: Math.floor(u(rng, 0, 300)), logit: u(rng, -4, 4) }),
    drawX: (rng, p) => Math.floor(u(rng, 0, p.trials! + 1)),
    outside: [...NON_REAL, -1, 2.5, 13],
    sampleParams: { trials: 12, logit: 0.4 },
    sampleCheck: {
      kind: "moments",
      mean: 12 * BINOMIAL_LOGIT_P,
      variance: 12 * BINOMIAL_LOGIT_P * (1 - BINOMIAL_LOGIT_P),
    },
  },
  {
    dist: negativeBinomial,
    // @stdlib counts failures before r successes with success probability p: r = φ, p = φ/(μ + φ).
    reference: (x, p) => negativeBinomialLogpmf(x, p.concentration!, p.concentration! / (p.mean! + p.concentration!)),
    drawParams: (rng) => ({ mean: logU(rng, -2, 4), concentration: logU(rng, -2, 4) }),
    drawX: (rng, p) => Math.floor(u(rng, 0, 3 * p.mean! + 5)),
    outside: [...NON_REAL, -1, 0.5],
    sampleParams: { mean: 4, concentration: 2.5 },
    sampleCheck: { kind: "moments", mean: 4, variance: 4 + 16 / 2.5 },
  },
];

for (const c of CASES) describeScalarFamily(c);

describe("limits and special cases", () => {
  it("half_student_t is the half-Cauchy at df = 1 and tends to the half-normal", () => {
    for (const x of [0, 0.3, 2, 40]) {
      expect(halfStudentT.logDensity(x, { df: 1, scale: 1.7 })).toBeCloseTo(
        halfCauchy.logDensity(x, { scale: 1.7 }),
        12,
      );
      // The gap is about z⁴/(4ν) (z = x/scale): below 1e-9 at ν = 1e14 even for z ≈ 24. Two log-gammas
      // of 5e13 would lose ~1e-2 to rounding; the log-beta normaliser keeps the limit exact.
      expect(halfStudentT.logDensity(x, { df: 1e14, scale: 1.7 })).toBeCloseTo(
        halfNormal.logDensity(x, { scale: 1.7 }),
        8,
      );
    }
  });

  it("weibull with shape 1 is the exponential", () => {
    for (const x of [0.01, 1, 7]) {
      expect(weibull.logDensity(x, { shape: 1, scale: 0.5 })).toBeCloseTo(exponential.logDensity(x, { rate: 2 }), 13);
    }
  });

  it("laplace uses the zero subgradient at its kink", () => {
    const out = { x: new Float64Array(1), params: { loc: new Float64Array(1), scale: new Float64Array(1) } };
    expect(laplace.logDensityGrad!(2, { loc: 2, scale: 0.5 }, out)).toBeCloseTo(-Math.log(1), 14);
    expect(out.x[0]).toBe(0);
    expect(out.params.loc[0]).toBe(0);
    expect(out.params.scale[0]).toBeCloseTo(-2, 14);
  });

  it("binomial handles prob 0 and 1 (0·log 0 = 0) and large trial counts", () => {
    expect(binomial.logDensity(0, { trials: 7, prob: 0 })).toBe(0);
    expect(binomial.logDensity(7, { trials: 7, prob: 1 })).toBe(0);
    expect(binomial.logDensity(1, { trials: 7, prob: 0 })).toBe(Number.NEGATIVE_INFINITY);
    const out = { params: { trials: new Float64Array(1), prob: new Float64Array(1) } };
    expect(binomial.logDensityGrad!(0, { trials: 7, prob: 0 }, out)).toBe(0);
    expect(out.params.prob[0]).toBe(-7);
    expect(out.params.trials[0]).toBe(0); // discrete: never receives a partial
    // n = 10⁶ uses the log-beta form; compare with @stdlib.
    expect(binomial.logDensity(300_123, { trials: 1e6, prob: 0.3 })).toBeCloseTo(binomialLogpmf(300_123, 1e6, 0.3), 9);
    // Past 2^53 / lgamma's range the log-beta form stays finite.
    expect(Number.isFinite(logChoose(1e300, 3))).toBe(true);
    expect(logChoose(1e300, 3)).toBeCloseTo(3 * Math.log(1e300) - Math.log(6), 9);
  });

  it("logChoose agrees between the table and the log-beta form", () => {
    for (const [n, k] of [
      [255, 0],
      [255, 17],
      [255, 128],
      [255, 255],
    ] as const) {
      const viaBeta = -Math.log1p(n) - (lgamma(n - k + 1) + lgamma(k + 1) - lgamma(n + 2));
      expect(logChoose(n, k)).toBeCloseTo(viaBeta, 10);
      expect(logChoose(n + 1, k)).toBeCloseTo(logChoose(n, k) + Math.log((n + 1) / (n + 1 - k)), 9);
    }
  });

  it("binomial_logit equals binomial at prob = logistic(logit), with the chain rule, and stays finite where prob rounds", () => {
    for (const l of [-7, -1.1, 0, 2.5]) {
      for (const k of [0, 3, 9]) {
        const prob = sigmoid(l);
        expect(binomialLogit.logDensity(k, { trials: 9, logit: l })).toBeCloseTo(
          binomial.logDensity(k, { trials: 9, prob }),
          11,
        );
        const viaLogit = { params: { logit: new Float64Array(1) } };
        const viaProb = { params: { prob: new Float64Array(1) } };
        binomialLogit.logDensityGrad!(k, { trials: 9, logit: l }, viaLogit);
        binomial.logDensityGrad!(k, { trials: 9, prob }, viaProb);
        expect(viaLogit.params.logit[0]).toBeCloseTo(viaProb.params.prob[0]! * prob * (1 - prob), 10);
      }
    }
    expect(binomial.logDensity(0, { trials: 3, prob: sigmoid(40) })).toBe(Number.NEGATIVE_INFINITY);
    expect(binomialLogit.logDensity(0, { trials: 3, logit: 40 })).toBeCloseTo(-120, 10);
  });

  it("negative_binomial tends to the Poisson as the concentration grows, with accurate partials", () => {
    for (const k of [0, 2, 9, 40]) {
      // The gap is about ((k − μ)² − k)/(2φ): below 1e-10 at φ = 1e13 for k ≤ 40.
      expect(negativeBinomial.logDensity(k, { mean: 6, concentration: 1e13 })).toBeCloseTo(poissonLogpmf(k, 6), 9);
    }
    // At large φ the partial in φ is O(1/φ²); the exact digamma sum keeps its sign and size.
    const out = { params: { mean: new Float64Array(1), concentration: new Float64Array(1) } };
    negativeBinomial.logDensityGrad!(3, { mean: 2, concentration: 1e6 }, out);
    // log p = log Poisson(k; μ) + ((k − μ)² − k)/(2φ) + O(1/φ²), so ∂/∂φ ≈ −((k − μ)² − k)/(2φ²) = 1e-12
    // here; the relative size of the next term is O(1/φ) = 1e-6.
    expect(out.params.concentration[0]! / 1e-12).toBeCloseTo(1, 4);
    expect(out.params.mean[0]).toBeCloseTo(3 / 2 - 1, 5);
  });

  it("reports the value support of the binomials", () => {
    expect(binomial.support({ trials: 5, prob: 0.5 })).toEqual({ kind: "integer", lower: 0, upper: 5 });
    expect(binomialLogit.support({ trials: new Float64Array([2, 3]), logit: 0 })).toEqual({
      kind: "integer",
      lower: 0,
    });
    expect(negativeBinomial.support({ mean: 1, concentration: 1 })).toEqual({ kind: "integer", lower: 0 });
    expect(inverseGamma.support({ shape: 1, scale: 1 })).toEqual({ kind: "positive" });
    expect(halfStudentT.support({ df: 3, scale: 1 })).toEqual({ kind: "lower", lower: 0 });
  });
});
