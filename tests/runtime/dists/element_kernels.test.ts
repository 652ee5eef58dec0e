import { describe, expect, it } from "vitest";
import { inScalarSupport } from "../../../src/core/support.js";
import type { Distribution } from "../../../src/runtime/dists/distribution.js";
import * as dists from "../../../src/runtime/dists/index.js";
import { elementKernel } from "../../../src/runtime/dists/scalar_family.js";

/**
 * The element kernels the density compiler fuses into its loops: one per built-in scalar family,
 * never NaN for ordinary finite arguments inside their supports (a compiled density reports such
 * a NaN as a bug in the family, where the broadcasting methods would say −∞), the value with and
 * without partials equal to the last bit, and no NaN partial next to a finite value.
 *
 * "Ordinary" is 0 or a normal double at most 2^1000 in magnitude: subnormal and near-overflow
 * arguments only come from an overflow upstream, and the compiler reads a NaN there as −∞.
 */

const MAGNITUDES = [
  0,
  2.2250738585072014e-308,
  1e-300,
  1e-150,
  1e-10,
  0.3,
  1,
  2.5,
  10,
  255,
  256,
  1e4,
  1e150,
  2 ** 1000,
];
const VALUES = [...new Set([...MAGNITUDES, ...MAGNITUDES.map((v) => -v), 0.5, 1 - 1e-16, 3, 12])];

const families = Object.values(dists).filter(
  (d): d is Distribution => typeof d === "object" && d !== null && elementKernel(d as Distribution) !== undefined,
);

describe("element kernels", () => {
  it("exist for every built-in scalar family", () => {
    const names = families.map((d) => d.family).sort();
    expect(names).toEqual(
      [
        "bernoulli",
        "bernoulli_logit",
        "beta",
        "binomial",
        "binomial_logit",
        "cauchy",
        "exponential",
        "flat",
        "gamma",
        "half_cauchy",
        "half_normal",
        "half_student_t",
        "inverse_gamma",
        "laplace",
        "logistic",
        "lognormal",
        "negative_binomial",
        "normal",
        "poisson",
        "poisson_log",
        "student_t",
        "uniform",
        "weibull",
      ].sort(),
    );
  });

  it.each(families.map((d) => ({ family: d.family, d })))(
    "$family: never NaN at ordinary arguments inside the supports",
    ({ d }) => {
      const kernel = elementKernel(d)!;
      const m = kernel.paramOrder.length;
      const k = new Float64Array(kernel.constants?.size ?? 0);
      const g = new Float64Array(4);
      const p = [0, 0, 0];
      let checked = 0;
      const visit = (depth: number): void => {
        if (depth < m) {
          for (const v of VALUES) {
            if (!inScalarSupport(kernel.supports[depth]!, v)) continue;
            p[depth] = v;
            visit(depth + 1);
          }
          return;
        }
        kernel.constants?.compute(p[0]!, p[1]!, p[2]!, k);
        for (const x of VALUES) {
          const at = `x = ${x}, ${kernel.paramOrder.map((name, i) => `${name} = ${p[i]}`).join(", ")}`;
          const value = kernel.logDensity(x, p[0]!, p[1]!, p[2]!, k);
          g.fill(0);
          const withGrad = kernel.logDensityGrad(x, p[0]!, p[1]!, p[2]!, g, k);
          checked++;
          if (Number.isNaN(value) || !Object.is(value, withGrad) || value === Number.POSITIVE_INFINITY) {
            expect.fail(`value ${value}, with partials ${withGrad} at ${at}`);
          }
          if (value === Number.NEGATIVE_INFINITY) continue;
          for (let i = kernel.discrete ? 1 : 0; i <= m; i++) {
            if (Number.isNaN(g[i])) expect.fail(`partial ${i} is NaN at ${at}`);
          }
        }
      };
      visit(0);
      expect(checked).toBeGreaterThanOrEqual(VALUES.length);
    },
  );
});
