/**
 * Sparse linear regression with the regularized horseshoe (Piironen & Vehtari 2017): many
 * candidate predictors, few of them relevant. The global scale comes from a prior guess p₀ of
 * the number of relevant predictors, τ₀ = p₀/(D − p₀)·σ/√N, with σ the model's own noise scale;
 * the slab keeps the few large coefficients regularised. Non-centred, as NUTS needs.
 * Data fields: N, D, X (N × D), y.
 */
import type { Rng } from "../../src/core/rng.js";
import type { ModelGraph } from "../../src/ir/types.js";
import { halfNormal, model, normal } from "../../src/lang/builder/index.js";
import { regularizedHorseshoe } from "../../src/lang/builder/priors/index.js";
import { exampleFamilies } from "./families.js";

/**
 * The model for a prior guess of `expectedNonZeros` relevant predictors (it needs D > p₀).
 *
 * @param expectedNonZeros - p₀
 * @returns the model graph
 * @example
 * ```ts
 * const m = compile(makeSparseRegression(5), syntheticSparseRegressionData(createRng(1), 100, 50, 5), exampleFamilies());
 * ```
 */
export function makeSparseRegression(expectedNonZeros: number): ModelGraph {
  return model(
    "sparse_regression_rhs",
    (m) => {
      const N = m.data.int("N", { lower: 1 });
      const D = m.data.int("D", { lower: 1 });
      const X = m.data.matrix("X", N, D);
      const y = m.data.vector("y", N);
      const alpha = m.param("alpha", normal({ loc: 0, scale: 5 }));
      const sigma = m.param("sigma", halfNormal({ scale: 2 }));
      const beta = regularizedHorseshoe(m, "beta", {
        size: D,
        expectedNonZeros,
        noiseScale: sigma,
        numObservations: N,
      });
      m.observe(y, normal({ loc: X.matvec(beta).add(alpha), scale: sigma }));
    },
    { families: exampleFamilies() },
  );
}

/**
 * The model with p₀ = 3.
 *
 * @example
 * ```ts
 * console.log(printModel(sparseRegression));
 * ```
 */
export const sparseRegression = makeSparseRegression(3);

/**
 * Standard-normal predictors; the first `nonZeros` coefficients are ±3 (alternating), the rest 0;
 * intercept 1, noise σ = 1.
 *
 * @param rng - random stream
 * @param N - observations
 * @param D - predictors
 * @param nonZeros - relevant predictors
 * @returns data for {@link makeSparseRegression} and the true coefficients
 * @example
 * ```ts
 * const data = syntheticSparseRegressionData(createRng(7), 40, 10, 2);
 * ```
 */
export function syntheticSparseRegressionData(
  rng: Rng,
  N: number,
  D: number,
  nonZeros: number,
): { N: number; D: number; X: Float64Array; y: Float64Array; beta: Float64Array } {
  const X = new Float64Array(N * D);
  for (let i = 0; i < X.length; i++) X[i] = rng.normal();
  const beta = new Float64Array(D);
  for (let d = 0; d < nonZeros; d++) beta[d] = d % 2 === 0 ? 3 : -3;
  const y = new Float64Array(N);
  for (let n = 0; n < N; n++) {
    let mean = 1;
    for (let d = 0; d < D; d++) mean += X[n * D + d]! * beta[d]!;
    y[n] = mean + rng.normal();
  }
  return { N, D, X, y, beta };
}
