/**
 * Arsenic wells (Gelman & Hill 2007): whether a household switched wells, by logistic
 * regression on distance, arsenic level, their interaction and education. As posteriordb's
 * `wells_data-wells_dae_c_model`, including its transformed data (centring and scaling), which
 * sprig computes once when the data are bound. Flat priors on the coefficients, as in Stan.
 */
import { dist, model, bernoulliLogit } from "../../src/lang/builder/index.js";
import { exampleFamilies } from "./families.js";

/**
 * switched ~ bernoulli_logit(alpha + x·beta) with x = [c_dist100, c_arsenic, da_inter, educ4].
 * Data fields: N, switched, dist, arsenic, educ.
 *
 * @example
 * ```ts
 * const m = compile(wells, posteriordbData("wells_data-wells_dae_c_model"), exampleFamilies());
 * ```
 */
export const wells = model(
  "wells_dae_c",
  ({ data, param, observe, deterministic }) => {
    const N = data.int("N", { lower: 0 });
    const switched = data.ints("switched", N, { lower: 0, upper: 1 });
    const distance = data.vector("dist", N);
    const arsenic = data.vector("arsenic", N);
    const educ = data.vector("educ", N);
    const cDist100 = deterministic("c_dist100", distance.sub(distance.mean()).div(100));
    const cArsenic = deterministic("c_arsenic", arsenic.sub(arsenic.mean()));
    const daInter = deterministic("da_inter", cDist100.mul(cArsenic));
    const educ4 = deterministic("educ4", educ.div(4));
    const alpha = param("alpha", dist("flat", {}));
    const beta = param("beta", dist("flat", {}), { size: 4 });
    const eta = cDist100
      .mul(beta.at(0))
      .add(cArsenic.mul(beta.at(1)))
      .add(daInter.mul(beta.at(2)))
      .add(educ4.mul(beta.at(3)))
      .add(alpha);
    observe(switched, bernoulliLogit({ logit: eta }));
  },
  { families: exampleFamilies() },
);
