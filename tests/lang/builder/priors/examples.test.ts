import { describe, expect, it } from "vitest";
import { exampleFamilies } from "../../../../examples/models/families.js";
import { makeBlockSparse, syntheticBlockData } from "../../../../examples/models/sparse_block.js";
import {
  makeKroneckerRecovery,
  syntheticKroneckerData,
} from "../../../../examples/models/sparse_kronecker_recovery.js";
import { sparseRegression, syntheticSparseRegressionData } from "../../../../examples/models/sparse_regression.js";
import { type CompiledModel, compile } from "../../../../src/inference/model/index.js";
import { type McmcResult, sample } from "../../../../src/inference/mcmc/index.js";
import { createRng } from "../../../../src/runtime/rng/index.js";
import { centralDifference } from "../../../helpers/finite_differences.js";

/*
 * The sparse-prior examples at tiny size: each compiles with its synthetic data, has finite
 * gradients that match central finite differences at prior draws (the AD through softplus, pow,
 * constant gathers and the AR(1) factor), and exposes the structure facts EM backends read.
 * The regularized-horseshoe regression also runs a short NUTS chain and finds the two large
 * coefficients.
 */
const families = exampleFamilies();

/** Max relative difference between the gradient and central differences at a few prior draws. */
function gradientError(model: CompiledModel, seed: number): number {
  const rng = createRng(seed);
  const grad = new Float64Array(model.dimension);
  let worst = 0;
  for (let k = 0; k < 3; k++) {
    const theta = model.samplePrior(rng);
    // Keep the point moderate: prior draws of heavy-tailed scales can sit where the density is flat.
    for (let i = 0; i < theta.length; i++) theta[i] = Math.max(-3, Math.min(3, theta[i]!));
    model.logDensityAndGrad(theta, grad);
    for (let i = 0; i < theta.length; i++) {
      const h = 1e-5 * Math.max(1, Math.abs(theta[i]!));
      const fd = centralDifference((t) => model.logDensity(t), theta, i, h);
      worst = Math.max(worst, Math.abs(fd - grad[i]!) / Math.max(1, Math.abs(fd)));
    }
  }
  return worst;
}

/** Posterior mean of a named coordinate (constrained draw or derived quantity). */
function posteriorMean(result: McmcResult, column: string): number {
  const index = result.columns.findIndex((c) => c.name === column);
  expect(index).toBeGreaterThanOrEqual(0);
  const derivedWidth = result.columns.length - result.constrainedDimension;
  let sum = 0;
  let n = 0;
  for (const chain of result.chains) {
    for (let s = 0; s < result.numSamples; s++) {
      sum +=
        index < result.constrainedDimension
          ? chain.draws[s * result.constrainedDimension + index]!
          : chain.derived![s * derivedWidth + index - result.constrainedDimension]!;
      n++;
    }
  }
  return sum / n;
}

describe("sparse regression with a regularized horseshoe", () => {
  const data = syntheticSparseRegressionData(createRng(7), 40, 6, 2);
  const model = compile(sparseRegression, data, families);

  it("compiles with exact gradients and reports its hierarchy", () => {
    expect(gradientError(model, 1)).toBeLessThan(1e-5);
    const group = model.structure.sparsePriorGroups.find((g) => g.group === "beta");
    expect(group?.prior).toBe("regularized_horseshoe");
    expect(group?.members.map((m) => m.role).sort()).toEqual([
      "global_scale",
      "local_scale",
      "slab_variance",
      "standardized",
      "value",
    ]);
  });

  it("NUTS at tiny size recovers the two large coefficients (true ±3) and shrinks the rest", async () => {
    const result = await sample(model, { numChains: 1, numWarmup: 300, numSamples: 200, seed: 3 });
    expect(posteriorMean(result, "beta[1]")).toBeGreaterThan(2);
    expect(posteriorMean(result, "beta[2]")).toBeLessThan(-2);
    for (let d = 3; d <= 6; d++) expect(Math.abs(posteriorMean(result, `beta[${d}]`))).toBeLessThan(0.5);
  });
});

describe("Kronecker-ARD sparse recovery", () => {
  const dims = [4, 5];
  const data = syntheticKroneckerData(createRng(2), [3, 4], dims, [[1], [0, 3]]);
  const model = compile(makeKroneckerRecovery(dims), data, families);

  it("compiles with exact gradients, y = A·x as a linear-Gaussian block and x as a kronecker_ard group", () => {
    expect(model.dimension).toBe(20);
    expect(gradientError(model, 2)).toBeLessThan(1e-5);
    const [block] = model.structure.linearGaussian;
    expect(block).toMatchObject({ observed: "y", latent: "x", operatorName: "A" });
    expect(block!.operator.kind).toBe("kronecker");
    const group = model.structure.sparsePriorGroups.find((g) => g.group === "x")!;
    expect(group.prior).toBe("kronecker_ard");
    expect(group.members[0]!.annotations).toMatchObject({ role: "value", dims: "4,5", hypers: "x_alpha1,x_alpha2" });
    expect(model.structure.hypers.map((h) => h.name).sort()).toEqual(["sigma", "x_alpha1", "x_alpha2"]);
  });

  it("the true x scores higher than the zero vector once the support's precisions are lowered", () => {
    // With α small on the true support and large elsewhere the posterior favours the truth.
    model.setHyper("x_alpha1", [1e4, 1, 1e4, 1e4]);
    model.setHyper("x_alpha2", [1, 1e4, 1e4, 1, 1e4]);
    const truth = model.unconstrain({ x: data.x });
    const zero = new Float64Array(model.dimension);
    expect(model.logDensity(truth)).toBeGreaterThan(model.logDensity(zero));
  });
});

describe("block-sparse signal with block_ard", () => {
  const blockSizes = [4, 4, 4, 4, 4, 4];
  const data = syntheticBlockData(createRng(3), 12, blockSizes, [1, 4], 0.8);

  it.each(["centered", "noncentered"] as const)(
    "%s: compiles with exact gradients and reports a block_ard group",
    (parameterization) => {
      const model = compile(makeBlockSparse(blockSizes, 0.8, parameterization), data, families);
      expect(gradientError(model, 3)).toBeLessThan(1e-5);
      const group = model.structure.sparsePriorGroups.find((g) => g.group === "x")!;
      expect(group.prior).toBe("block_ard");
      expect(group.members[0]!.annotations).toMatchObject({
        block_sizes: "4,4,4,4,4,4",
        intra_correlation: true,
        correlation: 0.8,
      });
      expect(model.constrainedDimension).toBe(24);
    },
  );
});
