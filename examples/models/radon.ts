/**
 * Radon in Minnesota homes (Gelman & Hill 2007): log radon by floor of measurement with a
 * varying intercept per county, `alpha[county]` — a gather whose gradient is a scatter-add.
 * As posteriordb's `radon_mn-radon_variable_intercept_{noncentered,centered}`, parameters in
 * Stan's order. Data fields: J, N, county_idx (1-based), floor_measure, log_radon.
 */
import type { Rng } from "../../src/core/rng.js";
import { halfNormal, model, normal } from "../../src/lang/builder/index.js";
import { exampleFamilies } from "./families.js";

const families = exampleFamilies();

/**
 * Non-centred: alpha = mu_alpha + sigma_alpha · alpha_raw, alpha_raw ~ normal(0, 1).
 *
 * @example
 * ```ts
 * const m = compile(radonNoncentered, syntheticRadonData(createRng(1), 85, 919), exampleFamilies());
 * ```
 */
export const radonNoncentered = model(
  "radon_variable_intercept_noncentered",
  ({ data, param, observe, deterministic }) => {
    const J = data.int("J", { lower: 0 });
    const N = data.int("N", { lower: 0 });
    const county = data.index("county_idx", N, { base: 1 });
    const floor = data.vector("floor_measure", N);
    const logRadon = data.vector("log_radon", N);
    const alphaRaw = param("alpha_raw", normal({ loc: 0, scale: 1 }), { size: J, parameterization: "noncentered" });
    const beta = param("beta", normal({ loc: 0, scale: 10 }));
    const muAlpha = param("mu_alpha", normal({ loc: 0, scale: 10 }));
    const sigmaAlpha = param("sigma_alpha", halfNormal({ scale: 1 }));
    const sigmaY = param("sigma_y", halfNormal({ scale: 1 }));
    const alpha = deterministic("alpha", alphaRaw.mul(sigmaAlpha).add(muAlpha));
    observe(logRadon, normal({ loc: alpha.gather(county).add(floor.mul(beta)), scale: sigmaY }));
  },
  { families },
);

/**
 * Centred: alpha ~ normal(mu_alpha, sigma_alpha). The scales are written as Stan writes them,
 * `real<lower=0>` with a normal prior (a declared bound); that equals half_normal up to a constant.
 *
 * @example
 * ```ts
 * const m = compile(radonCentered, data, exampleFamilies());
 * ```
 */
export const radonCentered = model(
  "radon_variable_intercept_centered",
  ({ data, param, observe }) => {
    const J = data.int("J", { lower: 0 });
    const N = data.int("N", { lower: 0 });
    const county = data.index("county_idx", N, { base: 1 });
    const floor = data.vector("floor_measure", N);
    const logRadon = data.vector("log_radon", N);
    const sigmaY = param("sigma_y", normal({ loc: 0, scale: 1 }), { lower: 0 });
    const sigmaAlpha = param("sigma_alpha", normal({ loc: 0, scale: 1 }), { lower: 0 });
    const muAlpha = param("mu_alpha", normal({ loc: 0, scale: 10 }));
    const beta = param("beta", normal({ loc: 0, scale: 10 }));
    const alpha = param("alpha", normal({ loc: muAlpha, scale: sigmaAlpha }), {
      size: J,
      parameterization: "centered",
    });
    observe(logRadon, normal({ loc: alpha.gather(county).add(floor.mul(beta)), scale: sigmaY }));
  },
  { families },
);

/**
 * Radon-shaped synthetic data: J counties with random sizes, floor indicators, and log radon
 * from the model with mu_alpha = 1.5, sigma_alpha = 0.3, beta = −0.7, sigma_y = 0.8.
 *
 * @param rng - random stream
 * @param J - number of counties
 * @param N - number of homes
 * @example
 * ```ts
 * const data = syntheticRadonData(createRng(7), 85, 919);
 * ```
 */
export function syntheticRadonData(
  rng: Rng,
  J: number,
  N: number,
): { J: number; N: number; county_idx: number[]; floor_measure: number[]; log_radon: number[] } {
  const alpha = Array.from({ length: J }, () => 1.5 + 0.3 * rng.normal());
  const county = Array.from({ length: N }, (_, n) => (n < J ? n + 1 : 1 + Math.floor(rng.uniform() * J)));
  const floor = Array.from({ length: N }, () => (rng.uniform() < 0.2 ? 1 : 0));
  const logRadon = county.map((c, n) => alpha[c - 1]! - 0.7 * floor[n]! + 0.8 * rng.normal());
  return { J, N, county_idx: county, floor_measure: floor, log_radon: logRadon };
}
