import { describe, expect, it } from "vitest";
import { eightSchoolsData, eightSchoolsNoncentered } from "../../../examples/models/eight_schools.js";
import { DomainError } from "../../../src/core/errors.js";
import { mcseMean, pooledMean } from "../../../src/inference/diagnostics/index.js";
import {
  extractDraws,
  posteriorPredictive,
  sample,
  toInferenceData,
  toStanCsv,
} from "../../../src/inference/mcmc/index.js";
import { model, normal } from "../../../src/lang/builder/index.js";
import { createDefaultRegistry } from "../../../src/runtime/dists/index.js";

const families = createDefaultRegistry();

// y_i ~ normal(mu, 1), mu ~ normal(0, 10): mu | y ~ normal(m, v) with v = 1 / (N + 1/100) and
// m = v · Σy, so each replicated y_i is normal(m, 1 + v).
const conjugate = model(
  "conjugate_normal",
  ({ data, param, observe }) => {
    const N = data.int("N", { lower: 0 });
    const y = data.vector("y", N);
    observe(y, normal({ loc: param("mu", normal({ loc: 0, scale: 10 })), scale: 1 }));
  },
  { families },
);
const y = [1.2, 0.4, 2.1, 1.7, 0.9];
const data = { N: y.length, y };
const v = 1 / (y.length + 1 / 100);
const m = v * y.reduce((a, b) => a + b, 0);

describe("posteriorPredictive", () => {
  it("draws replicated data from the observation model at each posterior draw", async () => {
    const result = await sample(conjugate, data, { numChains: 4, numWarmup: 400, numSamples: 1000, seed: 21 });
    const ppc = await posteriorPredictive(result, conjugate, data, { seed: 5 });
    expect(ppc.names).toEqual(["y"]);
    expect(ppc.shapes).toEqual({ y: [5] });
    expect(ppc.draws.y.map((d) => d.length)).toEqual([5000, 5000, 5000, 5000]);
    for (const i of [0, 3]) {
      const rep = ppc.draws.y.map((chain) => chain.filter((_, k) => k % 5 === i));
      // Mean m and E[(y_rep − m)²] = 1 + v, each within 5 Monte Carlo standard errors of its
      // estimate (MCSE from the rank-normalised ESS of the series, autocorrelation of mu included).
      expect(Math.abs(pooledMean(rep) - m)).toBeLessThan(5 * mcseMean(rep));
      const sq = rep.map((chain) => chain.map((x) => (x - m) ** 2));
      expect(Math.abs(pooledMean(sq) - (1 + v))).toBeLessThan(5 * mcseMean(sq));
    }
    // Reproducible for a seed, different for another.
    const again = await posteriorPredictive(result, conjugate, data, { seed: 5 });
    expect(Array.from(again.draws.y[2])).toEqual(Array.from(ppc.draws.y[2]));
    const other = await posteriorPredictive(result, conjugate, data, { seed: 6 });
    expect(Array.from(other.draws.y[2])).not.toEqual(Array.from(ppc.draws.y[2]));
  });

  it("refuses a graph whose latents are not the result's", async () => {
    const result = await sample(conjugate, data, { numChains: 1, numWarmup: 50, numSamples: 10, seed: 1 });
    await expect(posteriorPredictive(result, eightSchoolsNoncentered, eightSchoolsData)).rejects.toThrow(DomainError);
    await expect(posteriorPredictive(result, eightSchoolsNoncentered, eightSchoolsData)).rejects.toThrow(
      "posteriorPredictive(): the result's variables are not the graph's latent variables — got mu, expected theta_trans, mu, tau. Hint: pass the same graph the result was sampled from.",
    );
  });
});

describe("derived quantities (transformed parameters)", () => {
  const options = { numChains: 2, numWarmup: 200, numSamples: 100, seed: 3 };

  it("keeps deterministics of the latents with every draw, named and exported", async () => {
    const result = await sample(eightSchoolsNoncentered, eightSchoolsData, options);
    expect(result.derived).toEqual([{ name: "theta", shape: [8], offset: 0, size: 8 }]);
    expect(result.columns.slice(-2).map((c) => c.name)).toEqual(["theta[7]", "theta[8]"]);
    const mu = extractDraws(result, "mu");
    const tau = extractDraws(result, "tau");
    const trans = extractDraws(result, "theta_trans[3]");
    const theta = extractDraws(result, "theta[3]");
    for (let c = 0; c < 2; c++) {
      for (let i = 0; i < 100; i++) {
        const expected = trans[c][i] * tau[c][i] + mu[c][i];
        expect(Math.abs(theta[c][i] - expected)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(expected)));
      }
    }
    const header = toStanCsv(result, 0)
      .split("\n")
      .find((line) => line.startsWith("lp__"));
    expect(header?.split(",").slice(-10)).toEqual([
      "mu",
      "tau",
      ...Array.from({ length: 8 }, (_, j) => `theta.${j + 1}`),
    ]);
    const idata = toInferenceData(result);
    const thetaDraws = idata.posterior.theta as number[][][];
    expect(thetaDraws.length).toBe(2);
    expect(thetaDraws[1][99]).toEqual(
      Array.from({ length: 8 }, (_, j) => extractDraws(result, `theta[${j + 1}]`)[1][99]),
    );
  });

  it("leaves them out on request, and for models without any", async () => {
    const without = await sample(eightSchoolsNoncentered, eightSchoolsData, { ...options, derived: false });
    expect(without.derived).toEqual([]);
    expect(without.columns.map((c) => c.name)).not.toContain("theta[1]");
    const none = await sample(conjugate, data, options);
    expect(none.derivedDimension).toBe(0);
    expect(none.columns.map((c) => c.name)).toEqual(["mu"]);
  });
});
