import { DomainError } from "../../core/errors.js";
import { formatSupport, type Support } from "../../core/support.js";
import type { Bijector } from "./bijector.js";
import { choleskyCorr } from "./cholesky_corr.js";
import { identity } from "./identity.js";
import { interval } from "./interval.js";
import { lowerBound } from "./lower_bound.js";
import { ordered, positiveOrdered } from "./ordered.js";
import { simplex } from "./simplex.js";
import { upperBound } from "./upper_bound.js";

/**
 * The default bijector onto a support (NumPyro's `biject_to`, Stan's declared-constraint
 * transforms): real → identity, positive → lower(0), lower(a) → a + exp(u), upper(b) → b − exp(u),
 * interval(a, b) → a + (b − a)·logistic(u), simplex → stick-breaking, ordered, positive_ordered,
 * cholesky_corr → tanh/CPC. An infinite bound counts as no bound (interval(0, ∞) gets lower(0),
 * lower(−∞) gets identity). Discrete supports have no bijector and throw DomainError.
 *
 * @param support - where the variable lives
 * @returns a fresh bijector onto it
 * @example
 * ```ts
 * bijectorForSupport({ kind: "interval", lower: 0, upper: 1 }).name; // "interval(0, 1)"
 * bijectorForSupport({ kind: "interval", lower: 0, upper: Infinity }).name; // "lower(0)"
 * ```
 */
export function bijectorForSupport(support: Support): Bijector {
  switch (support.kind) {
    case "real":
      return identity();
    case "positive":
      return lowerBound(0);
    case "lower":
      return bounded(support, support.lower, Number.POSITIVE_INFINITY);
    case "upper":
      return bounded(support, Number.NEGATIVE_INFINITY, support.upper);
    case "interval":
      return bounded(support, support.lower, support.upper);
    case "simplex":
      return simplex();
    case "ordered":
      return ordered();
    case "positive_ordered":
      return positiveOrdered();
    case "cholesky_corr":
      return choleskyCorr();
    case "integer":
    case "boolean":
      throw new DomainError({
        where: "bijectorForSupport()",
        what: "a discrete support has no bijector",
        got: formatSupport(support),
        expected: "a continuous support",
        hint: "marginalise the discrete variable, or use a backend that samples discrete latents (smc).",
      });
  }
}

function bounded(support: Support, lower: number, upper: number): Bijector {
  if (
    Number.isNaN(lower) ||
    Number.isNaN(upper) ||
    lower === Number.POSITIVE_INFINITY ||
    upper === Number.NEGATIVE_INFINITY ||
    !(lower < upper)
  ) {
    throw new DomainError({
      where: "bijectorForSupport()",
      what: "the support's bounds do not enclose an interval",
      got: formatSupport(support),
      expected: "lower < upper, neither NaN",
    });
  }
  const hasLower = lower > Number.NEGATIVE_INFINITY;
  const hasUpper = upper < Number.POSITIVE_INFINITY;
  if (hasLower && hasUpper) return interval(lower, upper);
  if (hasLower) return lowerBound(lower);
  if (hasUpper) return upperBound(upper);
  return identity();
}
