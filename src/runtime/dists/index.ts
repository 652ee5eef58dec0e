/**
 * Distribution families, the registry that names them, and the broadcasting helper for
 * writing scalar families.
 * @module runtime/dists
 */
import { bernoulli } from "./bernoulli.js";
import { bernoulliLogit } from "./bernoulli_logit.js";
import { beta } from "./beta.js";
import { binaryMarkovChain } from "./binary_markov_chain.js";
import { binomial } from "./binomial.js";
import { binomialLogit } from "./binomial_logit.js";
import { categorical } from "./categorical.js";
import { categoricalLogit } from "./categorical_logit.js";
import { cauchy } from "./cauchy.js";
import { complexNormal } from "./complex_normal.js";
import { dirichlet } from "./dirichlet.js";
import { exponential } from "./exponential.js";
import { flat } from "./flat.js";
import { gamma } from "./gamma.js";
import { halfCauchy } from "./half_cauchy.js";
import { halfNormal } from "./half_normal.js";
import { halfStudentT } from "./half_student_t.js";
import { inverseGamma } from "./inverse_gamma.js";
import { laplace } from "./laplace.js";
import { logistic } from "./logistic.js";
import { lognormal } from "./lognormal.js";
import { multiNormal } from "./multi_normal.js";
import { multiNormalCholesky } from "./multi_normal_cholesky.js";
import { negativeBinomial } from "./negative_binomial.js";
import { normal } from "./normal.js";
import { poisson } from "./poisson.js";
import { poissonLog } from "./poisson_log.js";
import { Registry } from "./registry.js";
import { studentT } from "./student_t.js";
import { uniform } from "./uniform.js";
import { weibull } from "./weibull.js";

export type { Distribution, GradOut, Params, Value } from "./distribution.js";
export {
  EXPRESSION_FUNCTIONS,
  type ExpressionDistribution,
  type ExpressionPriorDefinition,
  expressionDistribution,
} from "./expression.js";
export { Registry } from "./registry.js";
export { type ScalarFamilyDefinition, scalarFamily } from "./scalar_family.js";
export { editDistance, suggestName } from "./suggest.js";
export {
  bernoulli,
  bernoulliLogit,
  beta,
  binaryMarkovChain,
  binomial,
  binomialLogit,
  categorical,
  categoricalLogit,
  cauchy,
  complexNormal,
  dirichlet,
  exponential,
  flat,
  gamma,
  halfCauchy,
  halfNormal,
  halfStudentT,
  inverseGamma,
  laplace,
  logistic,
  lognormal,
  multiNormal,
  multiNormalCholesky,
  negativeBinomial,
  normal,
  poisson,
  poissonLog,
  studentT,
  uniform,
  weibull,
};

/**
 * A new registry holding every built-in family: normal, half_normal, student_t, cauchy,
 * half_cauchy, exponential, gamma, lognormal, beta, uniform, bernoulli, bernoulli_logit,
 * poisson, poisson_log, half_student_t, laplace, inverse_gamma, logistic, weibull, binomial,
 * binomial_logit, negative_binomial, categorical, categorical_logit, dirichlet, multi_normal,
 * multi_normal_cholesky, complex_normal, flat, binary_markov_chain. Each call returns a fresh
 * registry, so registering a custom family on one never affects another.
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
    .register(poissonLog)
    .register(halfStudentT)
    .register(laplace)
    .register(inverseGamma)
    .register(logistic)
    .register(weibull)
    .register(binomial)
    .register(binomialLogit)
    .register(negativeBinomial)
    .register(categorical)
    .register(categoricalLogit)
    .register(dirichlet)
    .register(multiNormal)
    .register(multiNormalCholesky)
    .register(complexNormal)
    .register(flat)
    .register(binaryMarkovChain);
}
