import invgammaLogpdf from "@stdlib/stats-base-dists-invgamma-logpdf";
import { describe, expect, it } from "vitest";
import { horseshoe, regularizedHorseshoe } from "../../../../src/lang/builder/priors/index.js";
import { BOTH, D, DRAWS, meanSquares, overHorseshoeScale, priorModel, tailFractions } from "./marginal_setup.js";
import { at, drawPrior, expectMeanWithin4Mcse, normalTail, rule } from "./reference.js";

/*
 * Acceptance 1 for the horseshoe family: prior draws of each compiled hierarchy (samplePrior,
 * fixed seeds) reproduce the known marginal of the coefficients. Every check compares the mean
 * of an iid per-draw statistic (the fraction of |x_i| above a threshold, or x_i²) with its exact
 * or numerically integrated value, within 4 Monte Carlo standard errors (sd/√n over n
 * independent prior draws; a per-draw average over the D coefficients keeps draws independent
 * even when the coefficients share a global scale). n = 20 000 resolves a 1 % tail probability
 * to about 7 % relative error, so a wrong scale, a missing square root or a swapped rate fails.
 * Both parameterizations are checked: centred draws x directly, non-centred through z.
 */
describe.each(BOTH)("horseshoe (%s)", (parameterization) => {
  const tau0 = 0.5;
  const draws = drawPrior(
    priorModel((m) => horseshoe(m, "beta", { size: D, globalScale: tau0, parameterization })),
    DRAWS,
    11,
  );

  // No closed form: P(|x| > t) = E[2Φ(−t/(τλ))]. t = 10 and 100 probe the Cauchy-like tail,
  // P(|x| > t) ≈ (4/π²)·√(2/π)·τ₀·log(t/τ₀)/t, far heavier than any normal or Laplace tail.
  it.each([0.05, 1, 10, 100])("P(|x| > %s) matches the integrated marginal", (t) => {
    const truth = overHorseshoeScale(tau0, (s) => normalTail(t / s));
    expectMeanWithin4Mcse(tailFractions(draws, "beta", t), truth, `P(|x| > ${t})`);
  });

  it("has a Cauchy-like tail: P(|x| > 100) is still about 1 % (a normal or Laplace tail gives ~0)", () => {
    const p100 = tailFractions(draws, "beta", 100).reduce((a, b) => a + b, 0) / DRAWS;
    expect(p100).toBeGreaterThan(0.005);
  });
});

describe.each(BOTH)("regularized horseshoe (%s)", (parameterization) => {
  it("fixed slab: the marginal matches, and the variance stays below the slab's c²", () => {
    const c = 1.5;
    const tau0 = 0.5;
    const draws = drawPrior(
      priorModel((m) =>
        regularizedHorseshoe(m, "beta", {
          size: D,
          globalScale: tau0,
          slabScale: c,
          slabDf: Number.POSITIVE_INFINITY,
          parameterization,
        }),
      ),
      DRAWS,
      12,
    );
    // Effective scale τλ̃ = c·u/√(1 + u²) with u = τλ/c (Piironen & Vehtari eq. 2.8).
    const effective = (s: number) => (c * (s / c)) / Math.sqrt(1 + (s / c) ** 2);
    for (const t of [0.1, 1, 3]) {
      const truth = overHorseshoeScale(tau0, (s) => normalTail(t / effective(s)));
      expectMeanWithin4Mcse(tailFractions(draws, "beta", t), truth, `P(|x| > ${t})`);
    }
    // E[x²] = E[(τλ̃)²] < c²: the slab bound (x has all moments, unlike the horseshoe).
    const variance = overHorseshoeScale(tau0, (s) => effective(s) ** 2);
    expect(variance).toBeLessThan(c * c);
    expectMeanWithin4Mcse(meanSquares(draws, "beta"), variance, "E[x²]");
  });

  it("random slab (ν = 4, s = 2): per draw the scale is below c, and the marginal matches", () => {
    const slabDf = 4;
    const slabScale = 2;
    const tau0 = 0.3;
    const draws = drawPrior(
      priorModel((m) => regularizedHorseshoe(m, "beta", { size: D, globalScale: tau0, parameterization })),
      DRAWS,
      13,
    );
    // Bound: λ̃² = c²λ²/(c² + τ²λ²) ⇒ τλ̃ < c in every draw, written as in the paper.
    let worst = 0;
    let formulaError = 0;
    for (const d of draws) {
      const tau = at(d.beta_tau, 0);
      const c2 = at(d.beta_c2, 0);
      for (let i = 0; i < D; i++) {
        const lambda = at(d.beta_lambda, i);
        const scale = tau * Math.sqrt((c2 * lambda * lambda) / (c2 + tau * tau * lambda * lambda));
        worst = Math.max(worst, scale / Math.sqrt(c2));
        // Non-centred, x = z·τλ̃: the code's log-space scale equals the paper's formula.
        if (parameterization === "noncentered")
          formulaError = Math.max(formulaError, Math.abs(at(d.beta, i) / at(d.beta_z, i) / scale - 1));
      }
    }
    expect(worst).toBeLessThan(1);
    expect(formulaError).toBeLessThan(1e-10);
    // P(|x| > t) = E over c² ~ inv-gamma(ν/2, νs²/2) and τλ of 2Φ(−t/τλ̃); y = log c².
    const ys = rule(-6, 30, 24);
    for (const t of [0.3, 1, 3]) {
      let truth = 0;
      for (let k = 0; k < ys.x.length; k++) {
        const c2 = Math.exp(ys.x[k]!);
        const weight = ys.w[k]! * Math.exp(invgammaLogpdf(c2, slabDf / 2, (slabDf * slabScale * slabScale) / 2)) * c2;
        truth += weight * overHorseshoeScale(tau0, (s) => normalTail(t / (s / Math.sqrt(1 + (s * s) / c2))), 120);
      }
      expectMeanWithin4Mcse(tailFractions(draws, "beta", t), truth, `P(|x| > ${t})`);
    }
  });
});
