/**
 * Kid IQ (Gelman & Hill 2007): a child's test score regressed on the mother's high-school
 * completion and IQ. As posteriordb's `kidiq-kidscore_momhsiq`: flat priors on the coefficients,
 * `sigma ~ cauchy(0, 2.5)` on (0, ∞), i.e. half_cauchy(2.5).
 */
import { dist, halfCauchy, model, normal } from "../../src/lang/builder/index.js";
import { exampleFamilies } from "./families.js";

/**
 * kid_score ~ normal(beta[1] + beta[2]·mom_hs + beta[3]·mom_iq, sigma). Data fields: N,
 * kid_score, mom_hs, mom_iq.
 *
 * @example
 * ```ts
 * const m = compile(kidiq, posteriordbData("kidiq-kidscore_momhsiq"), exampleFamilies());
 * ```
 */
export const kidiq = model(
  "kidiq_momhsiq",
  ({ data, param, observe }) => {
    const N = data.int("N", { lower: 0 });
    const kidScore = data.vector("kid_score", N, { lower: 0, upper: 200 });
    const momIq = data.vector("mom_iq", N, { lower: 0, upper: 200 });
    const momHs = data.vector("mom_hs", N, { lower: 0, upper: 1 });
    const beta = param("beta", dist("flat", {}), { size: 3 });
    const sigma = param("sigma", halfCauchy({ scale: 2.5 }));
    const mu = momHs
      .mul(beta.at(1))
      .add(momIq.mul(beta.at(2)))
      .add(beta.at(0));
    observe(kidScore, normal({ loc: mu, scale: sigma }));
  },
  { families: exampleFamilies() },
);
