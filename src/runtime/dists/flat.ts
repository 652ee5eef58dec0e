import { DomainError } from "../../core/errors.js";
import { REAL } from "../../core/support.js";
import { scalarFamily } from "./scalar_family.js";

/**
 * flat(): log density 0 for every finite value — the improper uniform prior on the real line that Stan
 * gives a parameter declared without a `~` statement. It cannot be sampled, so models using
 * it have no prior simulation. A scalar family without parameters, so that its term is a (trivial)
 * loop in the generated density rather than a call.
 *
 * @example
 * ```ts
 * flat.logDensity(new Float64Array([1, 2]), {}); // 0
 * ```
 */
export const flat = scalarFamily({
  family: "flat",
  params: {},
  paramOrder: [],
  discrete: false,
  support: () => REAL,
  elementLogDensity: (x) => (Number.isFinite(x) ? 0 : Number.NEGATIVE_INFINITY),
  elementLogDensityGrad(x, _a, _b, _c, g) {
    g[0] = 0;
    return Number.isFinite(x) ? 0 : Number.NEGATIVE_INFINITY;
  },
  elementSample() {
    throw new DomainError({
      where: "flat()",
      what: "an improper prior cannot be sampled",
      hint: "give the parameter a proper prior to simulate from the model.",
    });
  },
});
