/**
 * Bijectors from unconstrained reals onto constrained sets, and the default choice per support.
 * @module runtime/bijectors
 */
export type { Bijector } from "./bijector.js";
export { choleskyCorr } from "./cholesky_corr.js";
export { bijectorForSupport } from "./for_support.js";
export { identity } from "./identity.js";
export { interval } from "./interval.js";
export { lowerBound } from "./lower_bound.js";
export { ordered, positiveOrdered } from "./ordered.js";
export { simplex } from "./simplex.js";
export { upperBound } from "./upper_bound.js";
