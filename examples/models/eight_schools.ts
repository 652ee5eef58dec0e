/**
 * Eight schools (Rubin 1981): the effect of coaching in eight schools, estimated with a
 * hierarchical normal model, in Stan's two parameterisations. The centred one has a funnel
 * between `tau` and `theta`; the non-centred one samples `theta_trans` = (theta − mu) / tau.
 * As posteriordb's `eight_schools-eight_schools_{centered,noncentered}`; `tau`'s
 * `real<lower=0>` + `cauchy(0, 5)` is `half_cauchy(scale=5)` (they differ by the constant log 2).
 */
import { halfCauchy, model, normal } from "../../src/lang/builder/index.js";
import { exampleFamilies } from "./families.js";

const families = exampleFamilies();

/**
 * The eight schools data: estimated effects `y` and their standard errors `sigma`.
 *
 * @example
 * ```ts
 * compile(eightSchoolsNoncentered, eightSchoolsData, exampleFamilies());
 * ```
 */
export const eightSchoolsData = Object.freeze({
  J: 8,
  y: [28, 8, -3, 7, -1, 1, 18, 12],
  sigma: [15, 10, 16, 11, 9, 11, 10, 18],
});

/**
 * Centred: theta ~ normal(mu, tau).
 *
 * @example
 * ```ts
 * console.log(printModel(eightSchoolsCentered));
 * ```
 */
export const eightSchoolsCentered = model(
  "eight_schools_centered",
  ({ data, param, observe }) => {
    const J = data.int("J", { lower: 0 });
    const y = data.vector("y", J);
    const sigma = data.vector("sigma", J, { lower: 0 });
    const theta = param(
      "theta",
      normal({ loc: param("mu", normal({ loc: 0, scale: 5 })), scale: param("tau", halfCauchy({ scale: 5 })) }),
      {
        size: J,
        parameterization: "centered",
      },
    );
    observe(y, normal({ loc: theta, scale: sigma }));
  },
  { families },
);

/**
 * Non-centred: theta = mu + tau · theta_trans with theta_trans ~ normal(0, 1). Parameters are
 * declared in Stan's order (theta_trans, mu, tau), so θ lines up with Stan's unconstrained vector.
 *
 * @example
 * ```ts
 * const m = compile(eightSchoolsNoncentered, eightSchoolsData, exampleFamilies());
 * m.deterministics(m.samplePrior(createRng(1))).theta;
 * ```
 */
export const eightSchoolsNoncentered = model(
  "eight_schools_noncentered",
  ({ data, param, observe, deterministic }) => {
    const J = data.int("J", { lower: 0 });
    const y = data.vector("y", J);
    const sigma = data.vector("sigma", J, { lower: 0 });
    const thetaTrans = param("theta_trans", normal({ loc: 0, scale: 1 }), { size: J, parameterization: "noncentered" });
    const mu = param("mu", normal({ loc: 0, scale: 5 }));
    const tau = param("tau", halfCauchy({ scale: 5 }));
    const theta = deterministic("theta", thetaTrans.mul(tau).add(mu));
    observe(y, normal({ loc: theta, scale: sigma }));
  },
  { families },
);
