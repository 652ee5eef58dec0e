import { describe, expect, it } from "vitest";
import { COVARIANCE_KERNELS, correlation, correlationSlope } from "../../../src/inference/bo/covariance.js";
import { conditionGp, fitGp, MarginalLikelihood, packTheta } from "../../../src/inference/bo/gp.js";
import { createRng } from "../../../src/runtime/rng/index.js";
import { referenceKernel, referencePosterior } from "./reference.js";
import { centralDifference } from "../../helpers/finite_differences.js";

function randomPoints(seed: number, n: number, d: number): number[][] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => Array.from({ length: d }, () => rng.uniform()));
}

describe("covariance functions", () => {
  it("match their closed forms in r and have the slope dρ/d(r²) by central differences", () => {
    for (const kernel of COVARIANCE_KERNELS) {
      for (const r2 of [0.01, 0.3, 1, 4.5]) {
        const want = referenceKernel(kernel, [Math.sqrt(r2)], [0], [1], 1);
        expect(correlation(kernel, r2)).toBeCloseTo(want, 14);
        const h = 1e-6;
        const fd = (correlation(kernel, r2 + h) - correlation(kernel, r2 - h)) / (2 * h);
        expect(Math.abs(correlationSlope(kernel, r2) - fd)).toBeLessThan(1e-8);
      }
    }
    // The Matérn slopes stay finite at r = 0 (−3/2 and −5/6).
    expect(correlationSlope("matern32", 0)).toBe(-1.5);
    expect(correlationSlope("matern52", 0)).toBeCloseTo(-5 / 6, 15);
  });
});

describe("GP posterior against a dense closed form (ml-matrix)", () => {
  const d = 2;
  const points = randomPoints(11, 15, d);
  const values = points.map(([a, b]) => Math.sin(5 * a) + Math.cos(3 * b) + 0.3 * a * b);
  const test = randomPoints(12, 7, d);

  for (const kernel of COVARIANCE_KERNELS) {
    it(`${kernel}: mean, variance, joint covariance and evidence agree to 1e-8 (identity transform)`, () => {
      const hyper = { lengthScales: Float64Array.of(0.35, 0.6), signalVariance: 1.7, noiseVariance: 1e-3 };
      const gp = conditionGp(points, values, hyper, {
        kernel,
        bounds: [
          [0, 1],
          [0, 1],
        ],
        standardize: false,
      });
      const ref = referencePosterior(
        { kernel, points, values, lengthScales: [0.35, 0.6], signalVariance: 1.7, noiseVariance: 1e-3 },
        test,
      );
      const { mean, variance } = gp.predict(test);
      const joint = gp.predictCovariance(test);
      for (let i = 0; i < test.length; i++) {
        expect(Math.abs(mean[i] - ref.mean[i])).toBeLessThan(1e-8);
        expect(Math.abs(variance[i] - ref.covariance[i][i])).toBeLessThan(1e-8);
        expect(Math.abs(joint.mean[i] - ref.mean[i])).toBeLessThan(1e-8);
        for (let j = 0; j < test.length; j++) {
          expect(Math.abs(joint.covariance[i * test.length + j] - ref.covariance[i][j])).toBeLessThan(1e-8);
        }
      }
      expect(Math.abs(gp.logMarginalLikelihood - ref.logMarginalLikelihood)).toBeLessThan(1e-8);
      expect(gp.jitter).toBe(0);
      // A new observation adds the noise variance.
      expect(gp.predict(test, { includeNoise: true }).variance[0] - variance[0]).toBeCloseTo(1e-3, 12);
    });
  }

  it("applies the input box and output standardisation as documented", () => {
    const box: [number, number][] = [
      [-5, 10],
      [0, 15],
    ];
    const user = points.map(([a, b]) => [-5 + 15 * a, 15 * b]);
    const userValues = values.map((v) => 40 + 25 * v);
    const hyper = { lengthScales: Float64Array.of(0.35, 0.6), signalVariance: 1.2, noiseVariance: 1e-4 };
    const gp = conditionGp(user, userValues, hyper, { kernel: "matern52", bounds: box });
    // Reference: normalise by hand, then map the prediction back.
    const mu = userValues.reduce((s, v) => s + v, 0) / userValues.length;
    const sd = Math.sqrt(userValues.reduce((s, v) => s + (v - mu) ** 2, 0) / (userValues.length - 1));
    const ref = referencePosterior(
      {
        kernel: "matern52",
        points,
        values: userValues.map((v) => (v - mu) / sd),
        lengthScales: [0.35, 0.6],
        signalVariance: 1.2,
        noiseVariance: 1e-4,
      },
      test,
    );
    const { mean, variance } = gp.predict(test.map(([a, b]) => [-5 + 15 * a, 15 * b]));
    for (let i = 0; i < test.length; i++) {
      expect(Math.abs(mean[i] - (mu + sd * ref.mean[i]))).toBeLessThan(1e-8 * sd);
      expect(Math.abs(variance[i] - sd * sd * ref.covariance[i][i])).toBeLessThan(1e-8 * sd * sd);
    }
  });
});

describe("marginal likelihood", () => {
  const d = 3;
  const n = 25;
  const points = randomPoints(21, n, d);
  const x = Float64Array.from(points.flat());
  const rng = createRng(22);
  const y = Float64Array.from(points, ([a, b, c]) => Math.sin(4 * a) - b * b + 0.5 * c + 0.1 * rng.normal());

  it("matches the dense closed form", () => {
    const ml = new MarginalLikelihood("matern32", x, y, n, d);
    const theta = packTheta(
      { lengthScales: Float64Array.of(0.4, 0.7, 1.3), signalVariance: 0.8, noiseVariance: 0.01 },
      d,
      true,
    );
    const ref = referencePosterior(
      {
        kernel: "matern32",
        points,
        values: Array.from(y),
        lengthScales: [0.4, 0.7, 1.3],
        signalVariance: 0.8,
        noiseVariance: 0.01,
      },
      [],
    );
    expect(Math.abs(ml.evaluate(theta) - ref.logMarginalLikelihood)).toBeLessThan(1e-9);
  });

  for (const kernel of COVARIANCE_KERNELS) {
    for (const fixed of [false, true]) {
      it(`${kernel}${fixed ? " (fixed noise)" : ""}: analytic gradient matches central differences to < 1e-6 relative`, () => {
        const ml = new MarginalLikelihood(kernel, x, y, n, d, fixed ? 0.02 : undefined);
        const theta = Float64Array.of(
          Math.log(0.3),
          Math.log(0.9),
          Math.log(0.5),
          Math.log(1.4),
          ...(fixed ? [] : [Math.log(0.05)]),
        );
        const grad = new Float64Array(ml.dimension);
        ml.evaluate(theta, grad);
        // Step 1e-5 in log space: truncation O(h²·f‴) ≈ 1e-10 and rounding ε·|f|/h ≈ 1e-10, both far
        // below the 1e-6 bar.
        const h = 1e-5;
        let scale = 0;
        for (const g of grad) scale = Math.max(scale, Math.abs(g));
        for (let j = 0; j < ml.dimension; j++) {
          const fd = centralDifference((t) => ml.evaluate(t), theta, j, h);
          expect(Math.abs(grad[j] - fd) / Math.max(Math.abs(fd), 1e-3 * scale), `component ${j}`).toBeLessThan(1e-6);
        }
      });
    }
  }

  it("keeps the gradient exact at n = 150, where K⁻¹ comes from the blocked triangular inverse", () => {
    const big = randomPoints(23, 150, 2);
    const xb = Float64Array.from(big.flat());
    const yb = Float64Array.from(big, ([a, b]) => Math.sin(3 * a) * Math.cos(2 * b));
    const ml = new MarginalLikelihood("matern52", xb, yb, 150, 2);
    const theta = Float64Array.of(Math.log(0.4), Math.log(0.6), Math.log(1.1), Math.log(0.01));
    const grad = new Float64Array(4);
    ml.evaluate(theta, grad);
    const h = 1e-5;
    for (let j = 0; j < 4; j++) {
      const fd = centralDifference((t) => ml.evaluate(t), theta, j, h);
      expect(Math.abs(grad[j] - fd) / Math.max(Math.abs(fd), 1), `component ${j}`).toBeLessThan(1e-6);
    }
  });

  it("returns -Infinity instead of throwing when K cannot be factored", () => {
    const dup = Float64Array.of(0.5, 0.5, 0.5, 0.5);
    const ml = new MarginalLikelihood("squared_exponential", dup, Float64Array.of(1, -1), 2, 2);
    // σn² = e^-800 underflows to 0, so K is exactly singular.
    expect(ml.evaluate(Float64Array.of(0, 0, 0, -800))).toBe(Number.NEGATIVE_INFINITY);
  });
});

describe("hyper-parameter fitting", () => {
  it("finds a stationary point of the evidence that beats every random start, reproducibly", () => {
    const points = randomPoints(31, 30, 2);
    const values = points.map(([a, b]) => Math.sin(6 * a) + 0.2 * b);
    const bounds: [number, number][] = [
      [0, 1],
      [0, 1],
    ];
    const gp = fitGp(createRng(5), points, values, { bounds, kernel: "matern52" });
    const again = fitGp(createRng(5), points, values, { bounds, kernel: "matern52" });
    expect(Array.from(again.hyperparameters.lengthScales)).toEqual(Array.from(gp.hyperparameters.lengthScales));
    const ml = new MarginalLikelihood("matern52", gp.inputs, gp.outputs, 30, 2);
    const theta = packTheta(gp.hyperparameters, 2, true);
    const grad = new Float64Array(4);
    const best = ml.evaluate(theta, grad);
    // The fit sits at the noise floor (a smooth function), so K is ill-conditioned (κ ≈ 1e8) and the
    // two code paths (x·(1/ℓ) here, x/ℓ in the posterior) agree to ~1e-8 rather than to rounding.
    expect(Math.abs(best - gp.logMarginalLikelihood)).toBeLessThan(1e-6);
    // Interior coordinates have a vanishing gradient (x is independent of b beyond a linear
    // trend, so ℓ₂ may sit at its upper bound: skip coordinates on a bound).
    const lower = [Math.log(0.01), Math.log(0.01), Math.log(0.01), Math.log(1e-6)];
    const upper = [Math.log(100), Math.log(100), Math.log(100), 0];
    for (let j = 0; j < 4; j++) {
      if (theta[j] > lower[j] + 1e-6 && theta[j] < upper[j] - 1e-6) expect(Math.abs(grad[j]) / 30).toBeLessThan(1e-4);
    }
    const rng = createRng(6);
    for (let r = 0; r < 50; r++) {
      const t = Float64Array.from(lower, (lo, j) => lo + rng.uniform() * (upper[j] - lo));
      expect(ml.evaluate(t)).toBeLessThanOrEqual(best + 1e-9);
    }
    // The smooth function is explained with long length-scales relative to the noise floor.
    expect(gp.hyperparameters.lengthScales[0]).toBeGreaterThan(0.05);
    expect(gp.hyperparameters.lengthScales[0]).toBeLessThan(2);
  });

  it("recovers a known noise level from noisy data", () => {
    const rng = createRng(41);
    const points = randomPoints(42, 150, 1);
    const values = points.map(([a]) => Math.sin(2 * Math.PI * a) + 0.1 * rng.normal());
    const gp = fitGp(createRng(43), points, values, { bounds: [[0, 1]], kernel: "squared_exponential" });
    const noiseSd = Math.sqrt(gp.hyperparameters.noiseVariance) * gp.transform.outputScale;
    // With 150 residuals the noise sd is estimated to about ±6% (sd of a sample sd ≈ σ/√(2n)).
    expect(noiseSd).toBeGreaterThan(0.08);
    expect(noiseSd).toBeLessThan(0.12);
  });

  it("honours a fixed noise variance (given in the data's units)", () => {
    const points = randomPoints(51, 12, 1);
    const values = points.map(([a]) => 10 * a * a);
    const gp = fitGp(createRng(52), points, values, { bounds: [[0, 1]], noiseVariance: 0.25 });
    expect(gp.hyperparameters.noiseVariance * gp.transform.outputScale ** 2).toBeCloseTo(0.25, 12);
  });

  it("rejects malformed data with the sprig error format", () => {
    expect(() => fitGp(createRng(1), [[0], [1]], [1])).toThrow(/one value is needed per point/);
    expect(() => fitGp(createRng(1), [[0], [1]], [1, Number.NaN])).toThrow(/value 1 is not finite/);
    expect(() => fitGp(createRng(1), [[0], [1, 2]], [1, 2])).toThrow(/point 1 has the wrong number of coordinates/);
    expect(() => fitGp(createRng(1), [[0], [1]], [1, 2], { noiseVariance: -1 })).toThrow(
      /noiseVariance must be positive/,
    );
  });
});
