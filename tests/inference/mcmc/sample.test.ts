import { describe, expect, it } from "vitest";
import { CapabilityError, DomainError, ShapeError } from "../../../src/core/errors.js";
import { countFlags } from "../../../src/inference/diagnostics/sampler.js";
import { extractDraws } from "../../../src/inference/mcmc/output.js";
import {
  columnsOf,
  type McmcResult,
  runChain,
  type SampleProgress,
  sample,
} from "../../../src/inference/mcmc/sample.js";
import { createRng } from "../../../src/runtime/rng/index.js";
import {
  conjugateRegression,
  diagonalGaussianModel,
  estimate,
  funnelModel,
  gaussianModel,
  identityModel,
  mapDraws,
  realLayout,
} from "./models.js";

/** Per-chain draws of every flat coordinate of a result, as one row-major buffer per chain. */
const chainsOf = (r: McmcResult) => r.chains.map((c) => c.draws);

describe("sample: correlated 10-d Gaussian with a dense metric", () => {
  // Σ_ij = s_i s_j ρ^|i−j| with scales s from 1 to 10 and ρ = 0.9: condition number ≈ 2000.
  const d = 10;
  const rho = 0.9;
  const scales = Float64Array.from({ length: d }, (_, i) => 10 ** (i / (d - 1)));
  const mean = Float64Array.from({ length: d }, (_, i) => i - 4.5);
  const sigma = (i: number, j: number) => scales[i] * scales[j] * rho ** Math.abs(i - j);
  // The AR(1) correlation matrix has a tridiagonal inverse; P = S⁻¹ R⁻¹ S⁻¹.
  const precision = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    const diag = i === 0 || i === d - 1 ? 1 : 1 + rho * rho;
    precision[i * d + i] = diag / (1 - rho * rho) / (scales[i] * scales[i]);
    if (i + 1 < d) {
      const off = -rho / (1 - rho * rho) / (scales[i] * scales[i + 1]);
      precision[i * d + i + 1] = off;
      precision[(i + 1) * d + i] = off;
    }
  }
  const model = gaussianModel(mean, precision);

  it("recovers the mean and every covariance entry within 5 MCSE, and adapts M⁻¹ ≈ Σ", async () => {
    const result = await sample(model, {
      numChains: 4,
      numWarmup: 1000,
      numSamples: 1500,
      seed: 2024,
      metric: "dense",
    });
    const draws = chainsOf(result);
    // Each check: |estimate − truth| < 5·MCSE with MCSE = sd/√ESS of the summand (our ESS).
    // 65 checks at 5 MCSE fail by chance with probability ≈ 4·10⁻⁵ for a correct sampler.
    for (let i = 0; i < d; i++) {
      const m = estimate(mapDraws(draws, d, (x) => x[i]));
      expect(Math.abs(m.mean - mean[i]), `mean ${i}`).toBeLessThan(5 * m.mcse);
      for (let j = 0; j <= i; j++) {
        const c = estimate(mapDraws(draws, d, (x) => (x[i] - mean[i]) * (x[j] - mean[j])));
        expect(Math.abs(c.mean - sigma(i, j)), `cov ${i},${j}`).toBeLessThan(5 * c.mcse);
      }
    }
    // The dense metric makes the target nearly isotropic: short trajectories, no divergences.
    for (const chain of result.chains) {
      expect(countFlags(chain.stats.isDivergent)).toBe(0);
      const meanSteps = chain.stats.numSteps.reduce((s, k) => s + k, 0) / result.numSamples;
      expect(meanSteps).toBeLessThan(16);
      // The last window's estimate (≈ 500 correlated draws) is within 25% on the diagonal.
      for (let i = 0; i < d; i++) {
        expect(Math.abs(chain.inverseMassMatrix[i * d + i] / sigma(i, i) - 1)).toBeLessThan(0.25);
      }
    }
  });
});

describe("sample: conjugate linear regression", () => {
  // Data from a fixed stream: 40 rows, intercept + 2 covariates.
  const rng = createRng(77);
  const n = 40;
  const p = 3;
  const x = new Float64Array(n * p);
  const y = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    x[r * p] = 1;
    x[r * p + 1] = rng.normal();
    x[r * p + 2] = rng.normal();
    y[r] = 0.5 + 1.5 * x[r * p + 1] - 0.7 * x[r * p + 2] + 0.8 * rng.normal();
  }
  const truth = conjugateRegression(x, y, p);

  it("matches the closed-form posterior means and sds", async () => {
    const result = await sample(truth.model, { numChains: 4, numWarmup: 500, numSamples: 1000, seed: 5 });
    expect(result.columns.map((c) => c.name)).toEqual(["beta[1]", "beta[2]", "beta[3]", "sigma2"]);
    const draws = chainsOf(result);
    for (let i = 0; i < p; i++) {
      const m = estimate(mapDraws(draws, p + 1, (v) => v[i]));
      expect(Math.abs(m.mean - truth.betaMean[i])).toBeLessThan(5 * m.mcse);
      const mu = truth.betaMean[i];
      const v = estimate(mapDraws(draws, p + 1, (w) => (w[i] - mu) ** 2));
      expect(Math.abs(v.mean - truth.betaCov[i * p + i])).toBeLessThan(5 * v.mcse);
    }
    // σ² is drawn on the log scale and reported constrained: positive, with the inverse-gamma mean.
    const s2 = estimate(mapDraws(draws, p + 1, (v) => v[p]));
    expect(Math.abs(s2.mean - truth.sigma2Mean)).toBeLessThan(5 * s2.mcse);
    const s2var = estimate(mapDraws(draws, p + 1, (v) => (v[p] - truth.sigma2Mean) ** 2));
    expect(Math.abs(s2var.mean - truth.sigma2Var)).toBeLessThan(5 * s2var.mcse);
    expect(extractDraws(result, "sigma2").every((c) => c.every((v) => v > 0))).toBe(true);
  });
});

describe("sample: Neal's funnel", () => {
  it("reports divergences", async () => {
    const result = await sample(funnelModel(9), { numChains: 2, numWarmup: 500, numSamples: 500, seed: 3 });
    const divergent = result.chains.reduce((s, c) => s + countFlags(c.stats.isDivergent), 0);
    expect(divergent).toBeGreaterThan(0);
  });
});

describe("sample: reproducibility and chains as pure functions", () => {
  const model = diagonalGaussianModel(new Float64Array([1, 3]));
  const options = { numChains: 3, numWarmup: 150, numSamples: 100, seed: "repro" };

  it("gives bit-identical draws and stats for the same seed", async () => {
    const a = await sample(model, options);
    const b = await sample(model, options);
    for (let c = 0; c < 3; c++) {
      expect(Buffer.from(a.chains[c].draws.buffer).equals(Buffer.from(b.chains[c].draws.buffer))).toBe(true);
      expect(Buffer.from(a.chains[c].stats.energy.buffer).equals(Buffer.from(b.chains[c].stats.energy.buffer))).toBe(
        true,
      );
    }
    const other = await sample(model, { ...options, seed: "other" });
    expect(Array.from(other.chains[0].draws)).not.toEqual(Array.from(a.chains[0].draws));
  });

  it("runs any chain alone with the same result (what a worker does)", async () => {
    const all = await sample(model, options);
    const alone = runChain(model, 2, options);
    expect(Buffer.from(alone.draws.buffer).equals(Buffer.from(all.chains[2].draws.buffer))).toBe(true);
    expect(alone.seed).toBe("repro/2");
    expect(alone.stepSize).toBe(all.chains[2].stepSize);
  });

  it("records sampler statistics per draw", async () => {
    const result = await sample(model, options);
    const chain = result.chains[0];
    expect(chain.draws.length).toBe(100 * 2);
    for (const stat of Object.values(chain.stats)) expect(stat.length).toBe(100);
    expect(chain.stats.stepSize.every((e) => e === chain.stepSize)).toBe(true);
    expect(chain.stats.treeDepth.every((t) => t >= 1 && t <= 10)).toBe(true);
    expect(chain.numGradientEvaluations).toBeGreaterThan(chain.stats.numSteps.reduce((s, k) => s + k, 0));
    const g = new Float64Array(2);
    chain.stats.logDensity.forEach((lp, i) => {
      expect(lp).toBe(model.logDensityAndGrad(chain.draws.subarray(2 * i, 2 * i + 2), g));
    });
  });

  it("runs static HMC through the same driver", async () => {
    const result = await sample(model, { ...options, algorithm: "hmc", numSteps: 5 });
    expect(result.algorithm).toBe("hmc");
    expect(result.chains[0].stats.numSteps.every((k) => k === 5)).toBe(true);
    expect(result.chains[0].stats.treeDepth.every((t) => t === 0)).toBe(true);
  });
});

describe("sample: progress and cancellation", () => {
  const model = diagonalGaussianModel(new Float64Array([1]));

  it("reports progress for each chain and phase, ending at the full count", async () => {
    const seen: SampleProgress[] = [];
    await sample(model, { numChains: 2, numWarmup: 200, numSamples: 300, seed: 1, onProgress: (p) => seen.push(p) });
    for (const chain of [0, 1]) {
      const warm = seen.filter((p) => p.chain === chain && p.phase === "warmup");
      const samp = seen.filter((p) => p.chain === chain && p.phase === "sampling");
      expect(warm.at(-1)?.iteration).toBe(200);
      expect(samp.at(-1)?.iteration).toBe(300);
      expect(samp.length).toBeLessThanOrEqual(101);
    }
  });

  it("stops when the signal is aborted", async () => {
    const controller = new AbortController();
    const run = sample(model, {
      numChains: 2,
      numWarmup: 200,
      numSamples: 300,
      seed: 1,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.phase === "sampling" && p.iteration >= 30) controller.abort(new Error("stopped by user"));
      },
    });
    await expect(run).rejects.toThrow("stopped by user");
  });
});

describe("sample: bad input is refused before sampling", () => {
  const model = diagonalGaussianModel(new Float64Array([1, 1]));

  it("refuses a model with a discrete latent", async () => {
    const discrete = identityModel(realLayout([{ name: "x", shape: [] }]), () => 0, { discreteLatents: ["k"] });
    await expect(sample(discrete)).rejects.toThrow(CapabilityError);
    await expect(sample(discrete)).rejects.toThrow(
      "nuts: latent 'k' is discrete; NUTS needs gradients for every latent. Hint: marginalise 'k' out of the model or use smc.",
    );
  });

  it("explains a log density that is NaN everywhere", async () => {
    const broken = identityModel(realLayout([{ name: "x", shape: [2] }]), () => Number.NaN);
    await expect(sample(broken, { numChains: 1 })).rejects.toThrow(DomainError);
    await expect(sample(broken, { numChains: 1 })).rejects.toThrow(
      /^nuts: no finite log density found in 100 attempts at uniform\(-2, 2\) initial points — got log density NaN at \[/,
    );
  });

  it("rejects invalid counts and settings", async () => {
    await expect(sample(model, { numChains: 0 })).rejects.toThrow(
      "nuts: numChains must be an integer ≥ 1 — got 0, expected an integer ≥ 1.",
    );
    await expect(sample(model, { numChains: 1.5 })).rejects.toThrow(DomainError);
    await expect(sample(model, { numSamples: 0 })).rejects.toThrow(/numSamples/);
    await expect(sample(model, { numWarmup: -1 })).rejects.toThrow(/numWarmup/);
    await expect(sample(model, { targetAcceptRate: 1 })).rejects.toThrow(/targetAcceptRate/);
    await expect(sample(model, { maxTreeDepth: 0 })).rejects.toThrow(/maxTreeDepth/);
    await expect(sample(model, { initRadius: -1 })).rejects.toThrow(/initRadius/);
  });

  it("checks initial positions", async () => {
    await expect(sample(model, { numChains: 2, initialPositions: [new Float64Array(3)] })).rejects.toThrow(ShapeError);
    await expect(
      sample(model, { numChains: 3, initialPositions: [new Float64Array(2), new Float64Array(2)] }),
    ).rejects.toThrow(/one position for all chains or one per chain/);
    const r = await sample(model, {
      numChains: 1,
      numWarmup: 0,
      numSamples: 1,
      seed: 1,
      initialPositions: [new Float64Array([0.25, -0.5])],
    });
    expect(Array.from(r.chains[0].initialPosition)).toEqual([0.25, -0.5]);
  });
});

describe("columnsOf", () => {
  it("names scalars, vectors and row-major matrices Stan-style", () => {
    const layout = realLayout([
      { name: "mu", shape: [] },
      { name: "beta", shape: [2] },
      { name: "L", shape: [2, 3] },
    ]);
    expect(columnsOf(layout).map((c) => c.name)).toEqual([
      "mu",
      "beta[1]",
      "beta[2]",
      "L[1,1]",
      "L[1,2]",
      "L[1,3]",
      "L[2,1]",
      "L[2,2]",
      "L[2,3]",
    ]);
  });
});
