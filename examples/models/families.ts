/**
 * The registry the example models are built and compiled with: sprig's built-in families plus
 * `flat`, the improper uniform prior on the real line that Stan gives a parameter declared
 * without a `~` statement (kidiq's and wells' regression coefficients). It also shows how a
 * custom family is one object registered explicitly.
 */
import { DomainError } from "../../src/core/errors.js";
import { REAL } from "../../src/core/support.js";
import type { Distribution } from "../../src/runtime/dists/distribution.js";
import { createDefaultRegistry, type Registry } from "../../src/runtime/dists/index.js";

/**
 * flat(): log density 0 for every finite value (improper). It cannot be sampled, so models using
 * it have no prior simulation.
 *
 * @example
 * ```ts
 * flat.logDensity(new Float64Array([1, 2]), {}); // 0
 * ```
 */
export const flat: Distribution = {
  family: "flat",
  params: {},
  paramOrder: [],
  eventRank: 0,
  discrete: false,
  support: () => REAL,
  logDensity(x) {
    if (typeof x === "number") return Number.isFinite(x) ? 0 : Number.NEGATIVE_INFINITY;
    for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i])) return Number.NEGATIVE_INFINITY;
    return 0;
  },
  logDensityGrad(x) {
    return this.logDensity(x, {});
  },
  sample() {
    throw new DomainError({
      where: "flat()",
      what: "an improper prior cannot be sampled",
      hint: "give the parameter a proper prior to simulate from the model.",
    });
  },
};

/**
 * A fresh registry with the built-in families and `flat`.
 *
 * @example
 * ```ts
 * const registry = exampleFamilies();
 * ```
 */
export function exampleFamilies(): Registry {
  return createDefaultRegistry().register(flat);
}
