/**
 * Distribution families, the registry that names them, and the broadcasting helper for
 * writing scalar families.
 * @module runtime/dists
 */
import { bernoulli } from "./bernoulli.js";
import { bernoulliLogit } from "./bernoulli_logit.js";
import { beta } from "./beta.js";
import { cauchy } from "./cauchy.js";
import { exponential } from "./exponential.js";
import { gamma } from "./gamma.js";
import { halfCauchy } from "./half_cauchy.js";
import { halfNormal } from "./half_normal.js";
import { lognormal } from "./lognormal.js";
import { normal } from "./normal.js";
import { poisson } from "./poisson.js";
import { poissonLog } from "./poisson_log.js";
import { Registry } from "./registry.js";
import { studentT } from "./student_t.js";
import { uniform } from "./uniform.js";

export type { Distribution, GradOut, Params, Value } from "./distribution.js";
export { Registry } from "./registry.js";
export { type ScalarFamilyDefinition, scalarFamily } from "./scalar_family.js";
export { editDistance, suggestName } from "./suggest.js";
export {
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
};

/**
 * A new registry holding every built-in family: normal, half_normal, student_t, cauchy,
 * half_cauchy, exponential, gamma, lognormal, beta, uniform, bernoulli, bernoulli_logit,
 * poisson, poisson_log. Each call returns a fresh registry, so registering a custom family on
 * one never affects another.
 *
 * @returns a registry with the built-in families
 * @example
 * ```ts
 * const registry = createDefaultRegistry();
 * registry.get("half_cauchy").logDensity(1, { scale: 1 }); // returns log(1/π)
 * ```
 */
export function createDefaultRegistry(): Registry {
  return new Registry()
    .register(normal)
    .register(halfNormal)
    .register(studentT)
    .register(cauchy)
    .register(halfCauchy)
    .register(exponential)
    .register(gamma)
    .register(lognormal)
    .register(beta)
    .register(uniform)
    .register(bernoulli)
    .register(bernoulliLogit)
    .register(poisson)
    .register(poissonLog);
}
