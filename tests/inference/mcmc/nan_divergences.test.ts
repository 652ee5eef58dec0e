import { describe, expect, it } from "vitest";
import { DomainError } from "../../../src/core/errors.js";
import { extractDraws } from "../../../src/inference/mcmc/output.js";
import { sample } from "../../../src/inference/mcmc/index.js";
import { model, normal, sqrt } from "../../../src/lang/builder/index.js";
import { createDefaultRegistry } from "../../../src/runtime/dists/index.js";
import { identityModel, realLayout } from "./models.js";

/**
 * The compiled density's NaN rule seen from NUTS: a NaN made by overflow far out in a trajectory
 * is −∞ (a divergence; the run goes on), a NaN made from ordinary numbers is a DomainError naming
 * the site even when it first appears mid-run.
 */
const families = createDefaultRegistry();

describe("NaN in a log density under NUTS", () => {
  it("is a divergence when it comes from overflow: e^(1000x) − e^(1000x) = ∞ − ∞ beyond x ≈ 0.71", async () => {
    // The factor is 0 wherever e^(1000x) is finite and NaN from ∞ − ∞ beyond x = log(MAX)/1000:
    // the posterior is a normal truncated at 0.7098, its boundary met by overflow.
    const truncated = model(
      "overflow",
      ({ param, factor }) => {
        const x = param("x", normal({ loc: 0, scale: 1 }));
        factor(x.mul(1000).exp().sub(x.mul(1000).exp()));
      },
      { families },
    );
    const result = await sample(truncated, {}, { numChains: 1, numWarmup: 300, numSamples: 300, seed: 3 });
    const chain = result.chains[0]!;
    const draws = extractDraws(result, "x")[0]!;
    expect(draws.length).toBe(300);
    expect(Math.max(...draws)).toBeLessThan(Math.log(Number.MAX_VALUE) / 1000);
    // Trajectories that crossed the boundary were divergences, not errors.
    const divergences = chain.numWarmupDivergent + chain.stats.isDivergent.reduce((a, b) => a + b, 0);
    expect(divergences).toBeGreaterThan(0);
  });

  it("is a DomainError naming the factor when it comes from ordinary numbers, even mid-run", async () => {
    // sqrt(1.5 − x²) is NaN for |x| > 1.22, which trajectories from x = 0.1 soon reach: the run
    // stops with the site named instead of treating the region as outside the support.
    const broken = model(
      "mid_run",
      ({ param, factor }) => {
        const x = param("x", normal({ loc: 0, scale: 1 }));
        factor(sqrt(x.mul(x).neg().add(1.5)));
      },
      { families },
    );
    const options = {
      numChains: 1,
      numWarmup: 300,
      numSamples: 300,
      seed: 5,
      initialPositions: [Float64Array.of(0.1)],
    };
    await expect(sample(broken, {}, options)).rejects.toThrow(DomainError);
    await expect(sample(broken, {}, options)).rejects.toThrow(
      /^factor 'factor_1': the log density is NaN: an operation was applied outside its domain — got sqrt\(-/,
    );
  });

  it("makes initialisation name the coordinate when every point tried has a NaN gradient", async () => {
    // A finite log density whose gradient is NaN in its third coordinate, the second of 'b'.
    const layout = realLayout([
      { name: "a", shape: [] },
      { name: "b", shape: [2] },
    ]);
    const model = identityModel(layout, (theta, grad) => {
      grad[0] = -theta[0]!;
      grad[1] = -theta[1]!;
      grad[2] = Number.NaN;
      return -0.5 * (theta[0]! ** 2 + theta[1]! ** 2 + theta[2]! ** 2);
    });
    await expect(sample(model, { numChains: 1 })).rejects.toThrow(
      /^nuts: no finite log density found in 100 attempts .* — got a non-finite gradient \(log density -?[\d.]+; ∂\/∂θ\[2\] = NaN \(latent 'b'\)\) at \[/,
    );
  });
});
