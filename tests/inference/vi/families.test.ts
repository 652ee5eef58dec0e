import { describe, expect, it } from "vitest";
import { DomainError } from "../../../src/core/errors.js";
import { createFamily, type FamilySpec } from "../../../src/inference/vi/families.js";
import { createRng } from "../../../src/runtime/rng/index.js";
import { LN_TWO_PI } from "../../../src/runtime/special.js";
import { centralDifference } from "../../helpers/finite_differences.js";

const SPECS: FamilySpec[] = ["meanfield", "fullrank", { kind: "lowrank", rank: 2 }];
const d = 4;

/** Random parameters: μ, ω and factor entries of moderate size. */
function randomParams(spec: FamilySpec, seed: number): Float64Array {
  const q = createFamily(spec, d);
  const rng = createRng(seed);
  return Float64Array.from({ length: q.numParams }, () => 0.5 * rng.normal());
}

/** log N(θ | μ, Σ) by an independent route: Gauss–Jordan inverse and determinant of Σ. */
function gaussianLogDensity(theta: Float64Array, mu: Float64Array, sigma: Float64Array): number {
  const n = mu.length;
  const M = Array.from({ length: n }, (_, i) => [
    ...Array.from(sigma.subarray(i * n, (i + 1) * n)),
    ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)),
  ]);
  let logDet = 0;
  for (let i = 0; i < n; i++) {
    const p = M[i][i];
    logDet += Math.log(p);
    for (let j = 0; j < 2 * n; j++) M[i][j] /= p;
    for (let k = 0; k < n; k++) {
      if (k === i) continue;
      const f = M[k][i];
      for (let j = 0; j < 2 * n; j++) M[k][j] -= f * M[i][j];
    }
  }
  let quad = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) quad += (theta[i] - mu[i]) * M[i][n + j] * (theta[j] - mu[j]);
  return -0.5 * quad - 0.5 * logDet - 0.5 * n * LN_TWO_PI;
}

describe("Gaussian variational families", () => {
  for (const spec of SPECS) {
    const name = typeof spec === "string" ? spec : `lowrank(${spec.rank})`;
    describe(name, () => {
      it("log q and the entropy agree with the dense Gaussian formulas", () => {
        const q = createFamily(spec, d);
        const params = randomParams(spec, 3);
        q.prepare(params);
        const cov = q.covariance(params);
        const mu = params.subarray(0, d);
        const theta = Float64Array.of(0.3, -1.2, 0.8, 2.0);
        expect(q.logDensity(params, theta)).toBeCloseTo(gaussianLogDensity(theta, mu, cov), 10);
        // H = ½ log det(2πe Σ): log det Σ from the density at the mean.
        const logDetSigma = -2 * gaussianLogDensity(mu, mu, cov) - d * LN_TWO_PI;
        expect(q.entropy()).toBeCloseTo(0.5 * logDetSigma + 0.5 * d * (1 + LN_TWO_PI), 10);
      });

      it("draws have the family's covariance", () => {
        // 40 000 draws: the MC error of a covariance entry is about √((ΣᵢᵢΣⱼⱼ + Σᵢⱼ²)/S) ≤ 0.01·scale,
        // so 0.05·√(ΣᵢᵢΣⱼⱼ) is five standard errors.
        const q = createFamily(spec, d);
        const params = randomParams(spec, 5);
        const cov = q.covariance(params);
        const rng = createRng(11);
        const S = 40_000;
        const noise = new Float64Array(q.noiseDimension);
        const theta = new Float64Array(d);
        const sum = new Float64Array(d);
        const sum2 = new Float64Array(d * d);
        for (let s = 0; s < S; s++) {
          for (let i = 0; i < noise.length; i++) noise[i] = rng.normal();
          q.draw(params, noise, theta);
          for (let i = 0; i < d; i++) {
            const di = theta[i] - params[i];
            sum[i] += di;
            for (let j = 0; j < d; j++) sum2[i * d + j] += di * (theta[j] - params[j]);
          }
        }
        for (let i = 0; i < d; i++) {
          expect(Math.abs(sum[i] / S)).toBeLessThan(5 * Math.sqrt(cov[i * d + i] / S));
          for (let j = 0; j < d; j++) {
            const scale = Math.sqrt(cov[i * d + i] * cov[j * d + j]);
            expect(Math.abs(sum2[i * d + j] / S - cov[i * d + j])).toBeLessThan(0.05 * scale);
          }
        }
        const sd = new Float64Array(d);
        q.marginalSd(params, sd);
        for (let i = 0; i < d; i++) expect(sd[i]).toBeCloseTo(Math.sqrt(cov[i * d + i]), 12);
      });

      it("sample and entropy gradients match central finite differences", () => {
        const q = createFamily(spec, d);
        const params = randomParams(spec, 7);
        const noise = Float64Array.from({ length: q.noiseDimension }, (_, i) => Math.sin(i + 1));
        // f(params) = c·θ(params) + H(params), whose gradient is Jᵀc + ∇H.
        const c = Float64Array.of(0.7, -0.2, 1.1, 0.4);
        const theta = new Float64Array(d);
        const f = (p: Float64Array) => {
          q.prepare(p);
          q.draw(p, noise, theta);
          let s = q.entropy();
          for (let i = 0; i < d; i++) s += c[i] * theta[i];
          return s;
        };
        const grad = new Float64Array(q.numParams);
        q.prepare(params);
        q.addSampleGradient(params, noise, c, grad);
        q.addEntropyGradient(params, grad, 1);
        const h = 1e-6;
        for (let j = 0; j < q.numParams; j++) {
          expect(grad[j]).toBeCloseTo(centralDifference(f, params, j, h), 6);
        }
      });

      it("initialize gives μ = location and unit covariance", () => {
        const q = createFamily(spec, d);
        const params = randomParams(spec, 1);
        q.initialize(Float64Array.of(1, 2, 3, 4), params);
        const cov = q.covariance(params);
        for (let i = 0; i < d; i++) {
          expect(params[i]).toBe(i + 1);
          for (let j = 0; j < d; j++) expect(cov[i * d + j]).toBe(i === j ? 1 : 0);
        }
      });
    });
  }

  it("refuses unknown families and bad ranks", () => {
    expect(() => createFamily({ kind: "lowrank", rank: 0 }, 3)).toThrow(DomainError);
    expect(() => createFamily({ kind: "lowrank", rank: 4 }, 3)).toThrow(/rank/);
    expect(() => createFamily("diagonal" as FamilySpec, 3)).toThrow(/unknown variational family/);
  });
});
