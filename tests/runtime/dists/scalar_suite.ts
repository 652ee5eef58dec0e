/**
 * The generic tests every scalar-event family must pass, driven by one table row per family:
 * log density against an independent implementation, analytic partials against central finite
 * differences, −Infinity outside the supports, never NaN at edge inputs, broadcasting, and
 * sample moments (or probabilities, for heavy tails) within 4 Monte Carlo standard errors.
 * Parameters with a discrete support (binomial trials) get no partial and no finite difference.
 */
import { describe, expect, it } from "vitest";
import { DomainError } from "../../../src/core/errors.js";
import type { Rng } from "../../../src/core/rng.js";
import { inScalarSupport, isDiscrete, type Support } from "../../../src/core/support.js";
import type { Distribution, GradOut, Params } from "../../../src/runtime/dists/distribution.js";
import { createRng } from "../../../src/runtime/rng/index.js";
import { derivative, relativeError, stepFor } from "./finite_diff.js";

/** Parameter values of one element by name. */
export type P = Record<string, number>;

/** What the generic tests check of a sample: moments when they exist, else probabilities. */
export type SampleCheck =
  | { readonly kind: "moments"; readonly mean: number; readonly variance: number }
  | { readonly kind: "probabilities"; readonly below: readonly (readonly [point: number, prob: number])[] };

/**
 * One row per family. `reference` is an independent implementation (@stdlib); `drawParams` and
 * `drawX` give random interior points (at least ~1% away from any boundary, so finite-difference
 * steps stay inside the support); `outside` are values with density −Infinity at `sampleParams`.
 */
export interface FamilyCase {
  readonly dist: Distribution;
  readonly reference: (x: number, p: P) => number;
  readonly drawParams: (rng: Rng) => P;
  readonly drawX: (rng: Rng, p: P) => number;
  readonly outside: readonly number[];
  readonly sampleParams: P;
  readonly sampleCheck: SampleCheck;
}

/** Non-finite values: outside every scalar support. */
export const NON_REAL = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];

/** A uniform draw on (lo, hi). */
export const u = (rng: Rng, lo: number, hi: number): number => lo + (hi - lo) * rng.uniform();
/** exp of a uniform draw on (lo, hi): log-uniform on (e^lo, e^hi). */
export const logU = (rng: Rng, lo: number, hi: number): number => Math.exp(u(rng, lo, hi));

/** Values outside a parameter support (the generic "invalid parameter" inputs). */
function outsideOf(support: Support): number[] {
  const candidates = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0, -1, -1e-300, 1.5, 2];
  return candidates.filter((v) => !inScalarSupport(support, v));
}

/** Unusual but possibly valid inputs: the density must be finite or −Infinity, never NaN/+Infinity. */
const EDGE = [
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  0,
  -0,
  -1,
  1,
  5e-324,
  1e-300,
  1e300,
  -1e300,
  Number.MAX_VALUE,
];

function gradOut(dist: Distribution, n: number, paramLengths: Record<string, number>): GradOut {
  const params: Record<string, Float64Array> = {};
  for (const name of dist.paramOrder) params[name] = new Float64Array(paramLengths[name] ?? 1);
  return { x: dist.discrete ? undefined : new Float64Array(n), params };
}

/**
 * Registers the generic `describe` block of one family.
 *
 * @param c - the family's table row
 */
export function describeScalarFamily(c: FamilyCase): void {
  const { dist } = c;
  const family = dist.family;
  const continuousParams = dist.paramOrder.filter((name) => !isDiscrete(dist.params[name]!.support));

  describe(family, () => {
    it("matches the @stdlib reference at random points", () => {
      const rng = createRng(`ref/${family}`);
      let worst = 0;
      for (let trial = 0; trial < 60; trial++) {
        const p = c.drawParams(rng);
        const x = c.drawX(rng, p);
        const expected = c.reference(x, p);
        const actual = dist.logDensity(x, p);
        expect(Number.isFinite(expected), `reference at x=${x}, ${JSON.stringify(p)}`).toBe(true);
        worst = Math.max(worst, Math.abs(actual - expected) / Math.max(1, Math.abs(expected)));
      }
      expect(worst).toBeLessThan(1e-12);
    });

    it("has analytic partials that agree with finite differences", () => {
      const rng = createRng(`grad/${family}`);
      for (let trial = 0; trial < 25; trial++) {
        const p = c.drawParams(rng);
        const x = c.drawX(rng, p);
        const out = gradOut(dist, 1, {});
        const lp = dist.logDensityGrad!(x, p, out);
        expect(lp).toBeCloseTo(dist.logDensity(x, p), 12);
        if (!dist.discrete) {
          const fd = derivative((t) => dist.logDensity(t, p), x, stepFor(x));
          expect(relativeError(out.x![0]!, fd), `d/dx at x=${x}, ${JSON.stringify(p)}`).toBeLessThan(1e-6);
        }
        for (const name of continuousParams) {
          const fd = derivative((t) => dist.logDensity(x, { ...p, [name]: t }), p[name]!, stepFor(p[name]!));
          const analytic = out.params[name]![0]!;
          expect(relativeError(analytic, fd), `d/d${name} at x=${x}, ${JSON.stringify(p)}`).toBeLessThan(1e-6);
        }
      }
    });

    it("gives -Infinity outside the support of the value", () => {
      const p = c.sampleParams;
      for (const x of c.outside) {
        expect(dist.logDensity(x, p), `x = ${x}`).toBe(Number.NEGATIVE_INFINITY);
        expect(dist.logDensityGrad!(x, p, gradOut(dist, 1, {})), `x = ${x}`).toBe(Number.NEGATIVE_INFINITY);
        // One bad element makes the whole vector impossible.
        const xs = new Float64Array([c.drawX(createRng(1), p), x]);
        expect(dist.logDensity(xs, p)).toBe(Number.NEGATIVE_INFINITY);
      }
    });

    it("gives -Infinity for parameters outside their support and refuses to sample with them", () => {
      const x = c.drawX(createRng(2), c.sampleParams);
      for (const name of dist.paramOrder) {
        for (const bad of outsideOf(dist.params[name]!.support)) {
          const p = { ...c.sampleParams, [name]: bad };
          expect(dist.logDensity(x, p), `${name} = ${bad}`).toBe(Number.NEGATIVE_INFINITY);
          expect(dist.logDensityGrad!(x, p, gradOut(dist, 1, {}))).toBe(Number.NEGATIVE_INFINITY);
          expect(() => dist.sample(createRng(3), p, [])).toThrow(DomainError);
        }
      }
    });

    it("is never NaN or +Infinity at edge inputs", () => {
      for (const x of EDGE) {
        for (const name of dist.paramOrder) {
          for (const v of EDGE) {
            const p = { ...c.sampleParams, [name]: v };
            const lp = dist.logDensity(x, p);
            expect(Number.isNaN(lp) || lp === Number.POSITIVE_INFINITY, `x=${x}, ${name}=${v}: ${lp}`).toBe(false);
            const out = gradOut(dist, 1, {});
            expect(dist.logDensityGrad!(x, p, out)).toBe(lp);
            if (lp > Number.NEGATIVE_INFINITY) {
              for (const g of [out.x, ...Object.values(out.params)]) {
                if (g !== undefined) expect(Number.isNaN(g[0]!), `gradient at x=${x}, ${name}=${v}`).toBe(false);
              }
            }
          }
        }
      }
    });

    it("broadcasts: vectors equal the sum of elements and scalar parameters get summed partials", () => {
      const rng = createRng(`broadcast/${family}`);
      const n = 5;
      const perElement = Array.from({ length: n }, () => c.drawParams(rng));
      const xs = Float64Array.from(perElement, (p) => c.drawX(rng, p));
      const vectorParams: Record<string, Float64Array> = {};
      for (const name of dist.paramOrder) vectorParams[name] = Float64Array.from(perElement, (p) => p[name]!);

      const separate = perElement.map((p, i) => {
        const out = gradOut(dist, 1, {});
        const lp = dist.logDensityGrad!(xs[i]!, p, out);
        return { lp, out };
      });
      const sum = separate.reduce((s, e) => s + e.lp, 0);
      expect(dist.logDensity(xs, vectorParams)).toBeCloseTo(sum, 10);

      const lengths = Object.fromEntries(dist.paramOrder.map((name) => [name, n]));
      const out = gradOut(dist, n, lengths);
      expect(dist.logDensityGrad!(xs, vectorParams, out)).toBeCloseTo(sum, 10);
      for (let i = 0; i < n; i++) {
        if (!dist.discrete) expect(out.x![i]).toBeCloseTo(separate[i]!.out.x![0]!, 10);
        for (const name of continuousParams)
          expect(out.params[name]![i]).toBeCloseTo(separate[i]!.out.params[name]![0]!, 10);
      }

      // The last continuous parameter as a broadcast scalar (same value for every element).
      const shared = continuousParams[continuousParams.length - 1]!;
      const value = perElement[0]![shared]!;
      const sharedParams: Params = { ...vectorParams, [shared]: value };
      const sharedOut = gradOut(dist, n, { ...lengths, [shared]: 1 });
      sharedOut.params[shared]![0] = 10; // partials are added, not assigned
      const lpShared = dist.logDensityGrad!(xs, sharedParams, sharedOut);
      let summed = 0;
      let lpExpected = 0;
      for (let i = 0; i < n; i++) {
        const p = { ...perElement[i]!, [shared]: value };
        const one = gradOut(dist, 1, {});
        lpExpected += dist.logDensityGrad!(xs[i]!, p, one);
        summed += one.params[shared]![0]!;
      }
      if (lpExpected === Number.NEGATIVE_INFINITY) {
        expect(lpShared).toBe(Number.NEGATIVE_INFINITY);
      } else {
        expect(lpShared).toBeCloseTo(lpExpected, 10);
        expect(sharedOut.params[shared]![0]).toBeCloseTo(10 + summed, 8);
      }
    });

    it("samples with the right moments (fixed seed, 4 Monte Carlo standard errors)", () => {
      const draws = 20_000;
      const x = dist.sample(createRng(`sample/${family}`), c.sampleParams, [draws]) as Float64Array;
      expect(x.length).toBe(draws);
      // Every draw lies in the support (finite density).
      expect(Number.isFinite(dist.logDensity(x, c.sampleParams))).toBe(true);
      const check = c.sampleCheck;
      if (check.kind === "moments") {
        let mean = 0;
        for (const v of x) mean += v / draws;
        let m2 = 0;
        let m4 = 0;
        for (const v of x) {
          const d = (v - mean) ** 2;
          m2 += d / draws;
          m4 += (d * d) / draws;
        }
        // MCSE of the mean is sqrt(Var/N) with the true variance; of the (biased) sample variance
        // sqrt((μ₄ − σ⁴)/N), with μ₄ estimated from the draws. 4 MCSE: a correct sampler fails with
        // probability ~6e-5 per check, a biased one by more than ~5 MCSE is caught.
        expect(Math.abs(mean - check.mean)).toBeLessThan(4 * Math.sqrt(check.variance / draws));
        expect(Math.abs(m2 - check.variance)).toBeLessThan(4 * Math.sqrt((m4 - m2 * m2) / draws));
      } else {
        // Heavy tails: compare the empirical CDF at known quantiles; MCSE sqrt(q(1 − q)/N).
        for (const [point, prob] of check.below) {
          let count = 0;
          for (const v of x) if (v <= point) count++;
          expect(Math.abs(count / draws - prob), `P(X ≤ ${point})`).toBeLessThan(
            4 * Math.sqrt((prob * (1 - prob)) / draws),
          );
        }
      }
    });

    it("samples reproducibly, elementwise, and into a given buffer", () => {
      const a = dist.sample(createRng(9), c.sampleParams, [4]) as Float64Array;
      const b = dist.sample(createRng(9), c.sampleParams, [4], new Float64Array(4)) as Float64Array;
      expect(Array.from(b)).toEqual(Array.from(a));
      const scalar = dist.sample(createRng(9), c.sampleParams, []);
      expect(typeof scalar).toBe("number");
      expect(scalar).toBe(a[0]);
      // Elementwise parameters: element i follows parameter set i.
      const rng = createRng(`elementwise/${family}`);
      const sets = [c.drawParams(rng), c.drawParams(rng), c.drawParams(rng)];
      const params: Record<string, Float64Array> = {};
      for (const name of dist.paramOrder) params[name] = Float64Array.from(sets, (p) => p[name]!);
      const draws = dist.sample(createRng(10), params, [3]) as Float64Array;
      for (const [i, p] of sets.entries())
        expect(dist.logDensity(draws[i]!, p)).toBeGreaterThan(Number.NEGATIVE_INFINITY);
    });
  });
}
