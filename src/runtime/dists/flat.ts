import { DomainError } from "../../core/errors.js";
import { REAL } from "../../core/support.js";
import type { Distribution } from "./distribution.js";

/**
 * flat(): log density 0 for every finite value — the improper uniform prior on the real line that Stan
 * gives a parameter declared without a `~` statement. It cannot be sampled, so models using
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
