import bernoulliPmf from "@stdlib/stats-base-dists-bernoulli-pmf";
import betaLogpdf from "@stdlib/stats-base-dists-beta-logpdf";
import cauchyLogpdf from "@stdlib/stats-base-dists-cauchy-logpdf";
import exponentialLogpdf from "@stdlib/stats-base-dists-exponential-logpdf";
import gammaLogpdf from "@stdlib/stats-base-dists-gamma-logpdf";
import lognormalLogpdf from "@stdlib/stats-base-dists-lognormal-logpdf";
import normalLogpdf from "@stdlib/stats-base-dists-normal-logpdf";
import poissonLogpmf from "@stdlib/stats-base-dists-poisson-logpmf";
import tLogpdf from "@stdlib/stats-base-dists-t-logpdf";
import uniformLogpdf from "@stdlib/stats-base-dists-uniform-logpdf";
import { describe, expect, it } from "vitest";
import { DomainError } from "../../../src/core/errors.js";
import {
  bernoulli,
  bernoulliLogit,
  beta,
  cauchy,
  exponential,
  gamma,
  halfCauchy,
  halfNormal,
  lognormal,
  normal,
  poisson,
  poissonLog,
  studentT,
  uniform,
} from "../../../src/runtime/dists/index.js";
import { createRng } from "../../../src/runtime/rng/index.js";
import { logistic } from "../../../src/runtime/special.js";

import { describeScalarFamily, type FamilyCase, logU, NON_REAL, u } from "./scalar_suite.js";

const LN2 = Math.LN2;

const CASES: readonly FamilyCase[] = [
  {
    dist: normal,
    reference: (x, p) => normalLogpdf(x, p.loc!, p.scale!),
    drawParams: (rng) => ({ loc: u(rng, -5, 5), scale: logU(rng, -2, 2) }),
    drawX: (rng, p) => p.loc! + p.scale! * u(rng, -4, 4),
    outside: NON_REAL,
    sampleParams: { loc: 1, scale: 2 },
    sampleCheck: { kind: "moments", mean: 1, variance: 4 },
  },
  {
    dist: halfNormal,
    reference: (x, p) => LN2 + normalLogpdf(x, 0, p.scale!),
    drawParams: (rng) => ({ scale: logU(rng, -2, 2) }),
    drawX: (rng, p) => p.scale! * u(rng, 0.01, 4),
    outside: [...NON_REAL, -1e-12, -3],
    sampleParams: { scale: 1.5 },
    sampleCheck: { kind: "moments", mean: 1.5 * Math.sqrt(2 / Math.PI), variance: 2.25 * (1 - 2 / Math.PI) },
  },
  {
    dist: studentT,
    reference: (x, p) => tLogpdf((x - p.loc!) / p.scale!, p.df!) - Math.log(p.scale!),
    drawParams: (rng) => ({ df: logU(rng, -1, 3.5), loc: u(rng, -5, 5), scale: logU(rng, -2, 2) }),
    drawX: (rng, p) => p.loc! + p.scale! * u(rng, -6, 6),
    outside: NON_REAL,
    // df = 6: the fourth moment exists, so the sample variance has a finite MCSE.
    sampleParams: { df: 6, loc: 1, scale: 2 },
    sampleCheck: { kind: "moments", mean: 1, variance: (4 * 6) / 4 },
  },
  {
    dist: cauchy,
    reference: (x, p) => cauchyLogpdf(x, p.loc!, p.scale!),
    drawParams: (rng) => ({ loc: u(rng, -5, 5), scale: logU(rng, -2, 2) }),
    drawX: (rng, p) => p.loc! + p.scale! * u(rng, -10, 10),
    outside: NON_REAL,
    sampleParams: { loc: 1, scale: 2 },
    // Quantiles loc + scale·tan(π(q − ½)).
    sampleCheck: {
      kind: "probabilities",
      below: [
        [1 + 2 * Math.tan(-0.4 * Math.PI), 0.1],
        [1 - 2, 0.25],
        [1, 0.5],
        [1 + 2 * Math.tan(0.45 * Math.PI), 0.95],
      ],
    },
  },
  {
    dist: halfCauchy,
    reference: (x, p) => LN2 + cauchyLogpdf(x, 0, p.scale!),
    drawParams: (rng) => ({ scale: logU(rng, -2, 2) }),
    drawX: (rng, p) => p.scale! * u(rng, 0.01, 10),
    outside: [...NON_REAL, -1e-12, -3],
    sampleParams: { scale: 1.5 },
    // P(X ≤ scale·tan(πq/2)) = q.
    sampleCheck: {
      kind: "probabilities",
      below: [
        [1.5 * Math.tan(0.05 * Math.PI), 0.1],
        [1.5, 0.5],
        [1.5 * Math.tan(0.45 * Math.PI), 0.9],
      ],
    },
  },
  {
    dist: exponential,
    reference: (x, p) => exponentialLogpdf(x, p.rate!),
    drawParams: (rng) => ({ rate: logU(rng, -2, 2) }),
    drawX: (rng, p) => u(rng, 0.01, 5) / p.rate!,
    outside: [...NON_REAL, -1e-12, -3],
    sampleParams: { rate: 2 },
    sampleCheck: { kind: "moments", mean: 0.5, variance: 0.25 },
  },
  {
    dist: gamma,
    reference: (x, p) => gammaLogpdf(x, p.shape!, p.rate!),
    drawParams: (rng) => ({ shape: logU(rng, -1.5, 2.5), rate: logU(rng, -2, 2) }),
    drawX: (rng, p) => (p.shape! / p.rate!) * logU(rng, -2, 1),
    outside: [...NON_REAL, 0, -1],
    // shape < 1 exercises the sampler's boosted branch.
    sampleParams: { shape: 0.7, rate: 1.5 },
    sampleCheck: { kind: "moments", mean: 0.7 / 1.5, variance: 0.7 / 2.25 },
  },
  {
    dist: lognormal,
    reference: (x, p) => lognormalLogpdf(x, p.loc!, p.scale!),
    drawParams: (rng) => ({ loc: u(rng, -2, 2), scale: logU(rng, -1.5, 1) }),
    drawX: (rng, p) => Math.exp(p.loc! + p.scale! * u(rng, -3, 3)),
    outside: [...NON_REAL, 0, -1],
    sampleParams: { loc: 0.3, scale: 0.5 },
    sampleCheck: {
      kind: "moments",
      mean: Math.exp(0.3 + 0.125),
      variance: (Math.exp(0.25) - 1) * Math.exp(0.6 + 0.25),
    },
  },
  {
    dist: beta,
    reference: (x, p) => betaLogpdf(x, p.alpha!, p.beta!),
    drawParams: (rng) => ({ alpha: logU(rng, -1.5, 2.5), beta: logU(rng, -1.5, 2.5) }),
    drawX: (rng) => u(rng, 0.02, 0.98),
    outside: [...NON_REAL, 0, 1, -0.5, 1.5],
    sampleParams: { alpha: 2, beta: 5 },
    sampleCheck: { kind: "moments", mean: 2 / 7, variance: 10 / (49 * 8) },
  },
  {
    dist: uniform,
    reference: (x, p) => uniformLogpdf(x, p.lower!, p.upper!),
    drawParams: (rng) => {
      const lower = u(rng, -5, 5);
      return { lower, upper: lower + logU(rng, -2, 2) };
    },
    drawX: (rng, p) => p.lower! + (p.upper! - p.lower!) * u(rng, 0.02, 0.98),
    outside: [...NON_REAL, -1.0000001, 3.0000001, 10],
    sampleParams: { lower: -1, upper: 3 },
    sampleCheck: { kind: "moments", mean: 1, variance: 16 / 12 },
  },
  {
    dist: bernoulli,
    reference: (x, p) => Math.log(bernoulliPmf(x, p.prob!)),
    drawParams: (rng) => ({ prob: u(rng, 0.02, 0.98) }),
    drawX: (rng) => (rng.uniform() < 0.5 ? 0 : 1),
    outside: [...NON_REAL, -1, 0.5, 2],
    sampleParams: { prob: 0.3 },
    sampleCheck: { kind: "moments", mean: 0.3, variance: 0.21 },
  },
  {
    dist: bernoulliLogit,
    reference: (x, p) => Math.log(bernoulliPmf(x, logistic(p.logit!))),
    drawParams: (rng) => ({ logit: u(rng, -6, 6) }),
    drawX: (rng) => (rng.uniform() < 0.5 ? 0 : 1),
    outside: [...NON_REAL, -1, 0.5, 2],
    sampleParams: { logit: 0.5 },
    sampleCheck: { kind: "moments", mean: logistic(0.5), variance: logistic(0.5) * logistic(-0.5) },
  },
  {
    dist: poisson,
    reference: (x, p) => poissonLogpmf(x, p.rate!),
    drawParams: (rng) => ({ rate: logU(rng, -2, 4) }),
    drawX: (rng, p) => Math.floor(u(rng, 0, 3 * p.rate! + 5)),
    outside: [...NON_REAL, -1, 0.5, 2.5],
    sampleParams: { rate: 3.5 },
    sampleCheck: { kind: "moments", mean: 3.5, variance: 3.5 },
  },
  {
    dist: poissonLog,
    reference: (x, p) => poissonLogpmf(x, Math.exp(p.log_rate!)),
    drawParams: (rng) => ({ log_rate: u(rng, -2, 4) }),
    drawX: (rng, p) => Math.floor(u(rng, 0, 3 * Math.exp(p.log_rate!) + 5)),
    outside: [...NON_REAL, -1, 0.5, 2.5],
    sampleParams: { log_rate: 1.2 },
    sampleCheck: { kind: "moments", mean: Math.exp(1.2), variance: Math.exp(1.2) },
  },
];

for (const c of CASES) describeScalarFamily(c);

describe("scalar families: shapes and errors", () => {
  it("rejects parameters that do not broadcast and short gradient buffers", () => {
    const x = new Float64Array([0, 1, 2]);
    expect(() => normal.logDensity(x, { loc: new Float64Array(2), scale: 1 })).toThrow(
      "normal(): parameter 'loc' does not broadcast against the value — got vector[2], expected a scalar or vector[3].",
    );
    expect(() => normal.logDensityGrad!(x, { loc: 0, scale: 1 }, { x: new Float64Array(2), params: {} })).toThrow(
      /gradient buffer for the value has the wrong length/,
    );
    expect(() => normal.logDensityGrad!(x, { loc: 0, scale: 1 }, { params: { scale: new Float64Array(3) } })).toThrow(
      "normal(): gradient buffer for parameter 'scale' has the wrong length — got 3, expected 1.",
    );
  });

  it("names the missing parameter", () => {
    expect(() => normal.logDensity(0, { loc: 0 })).toThrow(
      "normal(): missing parameter 'scale' — got parameters {loc}, expected {loc, scale}.",
    );
  });

  it("reports invalid sampling parameters in the one error format", () => {
    expect(() => normal.sample(createRng(1), { loc: 0, scale: -1 }, [])).toThrow(
      "normal(): parameter 'scale' must be positive and finite — got -1.",
    );
    expect(() => normal.sample(createRng(1), { loc: 0, scale: new Float64Array([1, 0]) }, [2])).toThrow(
      "normal(): parameter 'scale' must be positive and finite — got 0 at element 1.",
    );
    expect(() => uniform.sample(createRng(1), { lower: 1, upper: 0 }, [])).toThrow(DomainError);
  });

  it("skips absent gradient buffers and ignores the value buffer of discrete families", () => {
    const out = { x: new Float64Array(1), params: { rate: undefined } };
    expect(poisson.logDensityGrad!(2, { rate: 3 }, out)).toBeCloseTo(poissonLogpmf(2, 3), 12);
    expect(out.x[0]).toBe(0);
    const partial = { params: { scale: new Float64Array(1) } };
    normal.logDensityGrad!(1, { loc: 0, scale: 2 }, partial);
    expect(partial.params.scale[0]).toBeCloseTo((0.25 - 1) / 2, 14);
  });

  it("sums an empty vector to 0", () => {
    expect(normal.logDensity(new Float64Array(0), { loc: 0, scale: 1 })).toBe(0);
  });

  it("describes supports", () => {
    expect(uniform.support({ lower: -1, upper: 2 })).toEqual({ kind: "interval", lower: -1, upper: 2 });
    expect(() => uniform.support({ lower: new Float64Array([0, 1]), upper: 2 })).toThrow(
      /uniform\(\): the support of a uniform with elementwise \(vector\) bounds is not one interval/,
    );
    expect(halfCauchy.support({ scale: 1 })).toEqual({ kind: "lower", lower: 0 });
    expect(gamma.support({ shape: 1, rate: 1 })).toEqual({ kind: "positive" });
  });

  it("keeps half-line boundary values in the support where the density is finite", () => {
    expect(halfNormal.logDensity(0, { scale: 2 })).toBeCloseTo(LN2 + normalLogpdf(0, 0, 2), 14);
    expect(halfCauchy.logDensity(0, { scale: 2 })).toBeCloseTo(LN2 + cauchyLogpdf(0, 0, 2), 14);
    expect(exponential.logDensity(0, { rate: 2 })).toBeCloseTo(Math.log(2), 14);
    expect(uniform.logDensity(3, { lower: 1, upper: 3 })).toBeCloseTo(-LN2, 14);
  });
});

describe("logit and log-rate parameterisations", () => {
  it("bernoulli_logit equals bernoulli at prob = logistic(logit), with the chain rule for partials", () => {
    for (const l of [-8, -1.3, 0, 0.4, 5]) {
      for (const x of [0, 1]) {
        const prob = logistic(l);
        expect(bernoulliLogit.logDensity(x, { logit: l })).toBeCloseTo(bernoulli.logDensity(x, { prob }), 12);
        const viaLogit = { params: { logit: new Float64Array(1) } };
        const viaProb = { params: { prob: new Float64Array(1) } };
        bernoulliLogit.logDensityGrad!(x, { logit: l }, viaLogit);
        bernoulli.logDensityGrad!(x, { prob }, viaProb);
        expect(viaLogit.params.logit[0]).toBeCloseTo(viaProb.params.prob[0]! * prob * (1 - prob), 12);
      }
    }
  });

  it("bernoulli_logit stays finite where prob rounds to 0 or 1", () => {
    expect(bernoulli.logDensity(0, { prob: logistic(40) })).toBe(Number.NEGATIVE_INFINITY);
    expect(bernoulliLogit.logDensity(0, { logit: 40 })).toBeCloseTo(-40, 12);
    expect(bernoulliLogit.logDensity(1, { logit: -800 })).toBe(-800);
  });

  it("poisson_log equals poisson at rate = exp(log_rate), with the chain rule for partials", () => {
    for (const eta of [-3, 0, 1.7, 4]) {
      for (const k of [0, 1, 7, 40]) {
        const rate = Math.exp(eta);
        expect(poissonLog.logDensity(k, { log_rate: eta })).toBeCloseTo(poisson.logDensity(k, { rate }), 10);
        const viaLog = { params: { log_rate: new Float64Array(1) } };
        const viaRate = { params: { rate: new Float64Array(1) } };
        poissonLog.logDensityGrad!(k, { log_rate: eta }, viaLog);
        poisson.logDensityGrad!(k, { rate }, viaRate);
        expect(viaLog.params.log_rate[0]).toBeCloseTo(viaRate.params.rate[0]! * rate, 10);
      }
    }
  });
});
