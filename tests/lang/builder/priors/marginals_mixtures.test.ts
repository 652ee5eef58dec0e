import { describe, it } from "vitest";
import { ard, laplaceMixture, spikeAndSlab, studentTMixture } from "../../../../src/lang/builder/priors/index.js";
import { BOTH, D, DRAWS, fractions, meanSquares, priorModel, tailFractions } from "./marginal_setup.js";
import { drawPrior, expectMeanWithin4Mcse, integrate, normalTail, studentTail } from "./reference.js";

/*
 * Acceptance 1 for the scale-mixture priors (Laplace, Student-t, ARD, spike-and-slab): prior draws of each compiled hierarchy (samplePrior,
 * fixed seeds) reproduce the known marginal of the coefficients. Every check compares the mean
 * of an iid per-draw statistic (the fraction of |x_i| above a threshold, or x_i²) with its exact
 * or numerically integrated value, within 4 Monte Carlo standard errors (sd/√n over n
 * independent prior draws; a per-draw average over the D coefficients keeps draws independent
 * even when the coefficients share a global scale). n = 20 000 resolves a 1 % tail probability
 * to about 7 % relative error, so a wrong scale, a missing square root or a swapped rate fails.
 * Both parameterizations are checked: centred draws x directly, non-centred through z.
 */
describe.each(BOTH)("laplace mixture (%s)", (parameterization) => {
  const b = 0.7;
  const draws = drawPrior(
    priorModel((m) => laplaceMixture(m, "beta", { size: D, scale: b, parameterization })),
    DRAWS,
    14,
  );

  it("has the Laplace(0, b) tail P(|x| > t) = exp(−t/b)", () => {
    for (const t of [0.2, 1, 3])
      expectMeanWithin4Mcse(tailFractions(draws, "beta", t), Math.exp(-t / b), `P(|x| > ${t})`);
  });

  it("has variance 2b²", () => {
    expectMeanWithin4Mcse(meanSquares(draws, "beta"), 2 * b * b, "E[x²]");
  });
});

describe.each(BOTH)("student-t mixture (%s)", (parameterization) => {
  it("has the student_t(ν, 0, s) marginal", () => {
    const df = 3;
    const s = 1.5;
    const draws = drawPrior(
      priorModel((m) => studentTMixture(m, "beta", { size: D, df, scale: s, parameterization })),
      DRAWS,
      15,
    );
    for (const t of [0.5, 2, 8])
      expectMeanWithin4Mcse(tailFractions(draws, "beta", t), studentTail(t, df, s), `P(|x| > ${t})`);
  });
});

describe.each(BOTH)("ard (%s)", (parameterization) => {
  it("with a point-estimated precision α = 4, x ~ normal(0, 1/2)", () => {
    const draws = drawPrior(
      priorModel((m) => ard(m, "w", { size: D, init: 4, parameterization })),
      DRAWS,
      16,
    );
    expectMeanWithin4Mcse(meanSquares(draws, "w"), 0.25, "E[x²]");
    expectMeanWithin4Mcse(tailFractions(draws, "w", 0.5), normalTail(1), "P(|x| > 0.5)");
  });

  it("with α ~ gamma(a, b), x ~ student_t(2a, 0, √(b/a))", () => {
    const a = 2;
    const rate = 3;
    const draws = drawPrior(
      priorModel((m) => ard(m, "w", { size: D, hyperprior: { shape: a, rate }, parameterization })),
      DRAWS,
      17,
    );
    for (const t of [0.5, 2, 6])
      expectMeanWithin4Mcse(tailFractions(draws, "w", t), studentTail(t, 2 * a, Math.sqrt(rate / a)), `P(|x| > ${t})`);
  });
});

describe.each(BOTH)("spike and slab (%s)", (parameterization) => {
  const spike = 0.05;
  const slab = 2;
  const pi = 0.3;

  it("discrete: a two-component normal mixture with P(γ = 1) = π", () => {
    const draws = drawPrior(
      priorModel((m) =>
        spikeAndSlab(m, "beta", {
          size: D,
          form: "discrete",
          spikeScale: spike,
          slabScale: slab,
          inclusion: pi,
          parameterization,
        }),
      ),
      DRAWS,
      18,
    );
    expectMeanWithin4Mcse(meanSquares(draws, "beta_gamma"), pi, "P(γ = 1)");
    for (const t of [0.02, 0.1, 3]) {
      const truth = pi * normalTail(t / slab) + (1 - pi) * normalTail(t / spike);
      expectMeanWithin4Mcse(tailFractions(draws, "beta", t), truth, `P(|x| > ${t})`);
    }
  });

  it("relaxed: P(w > ½) = π exactly and the marginal matches the binary-Concrete integral", () => {
    const temperature = 0.1;
    const draws = drawPrior(
      priorModel((m) =>
        spikeAndSlab(m, "beta", { size: D, spikeScale: spike, slabScale: slab, inclusion: pi, parameterization }),
      ),
      DRAWS,
      19,
    );
    expectMeanWithin4Mcse(
      fractions(draws, "beta_logit", (g) => g > 0),
      pi,
      "P(g > 0)",
    );
    // g = logit π + logit(u), u ~ uniform(0, 1); sd = spike + logistic(g/T)·(slab − spike).
    const sd = (u: number) => {
      const g = Math.log(pi / (1 - pi)) + Math.log(u / (1 - u));
      return spike + (slab - spike) / (1 + Math.exp(-g / temperature));
    };
    for (const t of [0.05, 0.5, 3]) {
      const truth = integrate((u) => normalTail(t / sd(u)), 0, 1, 400);
      expectMeanWithin4Mcse(tailFractions(draws, "beta", t), truth, `P(|x| > ${t})`);
    }
  });

  it("relaxed with π ~ beta(2, 3): P(w > ½) = E[π] = 0.4", () => {
    const draws = drawPrior(
      priorModel((m) => spikeAndSlab(m, "beta", { size: D, inclusion: { alpha: 2, beta: 3 }, parameterization })),
      DRAWS,
      20,
    );
    expectMeanWithin4Mcse(
      fractions(draws, "beta_logit", (g) => g > 0),
      0.4,
      "P(g > 0)",
    );
  });
});

describe("spike and slab with a point-mass spike (discrete, non-centred)", () => {
  it("sets exactly a fraction 1 − π of the coefficients to zero and the rest ~ normal(0, slab)", () => {
    const draws = drawPrior(
      priorModel((m) =>
        spikeAndSlab(m, "beta", { size: D, form: "discrete", spikeScale: 0, slabScale: 2, inclusion: 0.3 }),
      ),
      DRAWS,
      21,
    );
    const zeros = fractions(draws, "beta", (x) => x === 0);
    expectMeanWithin4Mcse(zeros, 0.7, "P(x = 0)");
    expectMeanWithin4Mcse(tailFractions(draws, "beta", 1), 0.3 * normalTail(0.5), "P(|x| > 1)");
  });
});
