/**
 * Logistic regression with a dense design matrix: y ~ bernoulli_logit(alpha + X·beta), normal
 * priors. The workhorse of the density benchmark (N = 5000, D = 100).
 */
import type { Rng } from "../../src/core/rng.js";
import { bernoulliLogit, model, normal } from "../../src/lang/builder/index.js";
import { exampleFamilies } from "./families.js";

/**
 * The model; data fields N, D, X (N × D, rows or row-major Float64Array or a LinearOperator), y.
 *
 * @example
 * ```ts
 * const m = compile(logisticRegression, syntheticLogisticData(createRng(1), 5000, 100), exampleFamilies());
 * ```
 */
export const logisticRegression = model(
  "logistic_regression",
  ({ data, param, observe }) => {
    const N = data.int("N", { lower: 0 });
    const D = data.int("D", { lower: 0 });
    const X = data.matrix("X", N, D);
    const y = data.ints("y", N, { lower: 0, upper: 1 });
    const alpha = param("alpha", normal({ loc: 0, scale: 2.5 }));
    const beta = param("beta", normal({ loc: 0, scale: 1 }), { size: D });
    observe(y, bernoulliLogit({ logit: X.matvec(beta).add(alpha) }));
  },
  { families: exampleFamilies() },
);

/**
 * Standard-normal features, true coefficients ~ normal(0, 0.3), outcomes drawn from the model.
 *
 * @param rng - random stream
 * @param N - rows
 * @param D - columns
 * @example
 * ```ts
 * const data = syntheticLogisticData(createRng(3), 200, 5);
 * ```
 */
export function syntheticLogisticData(
  rng: Rng,
  N: number,
  D: number,
): { N: number; D: number; X: Float64Array; y: number[] } {
  const X = new Float64Array(N * D);
  for (let i = 0; i < X.length; i++) X[i] = rng.normal();
  const beta = Array.from({ length: D }, () => 0.3 * rng.normal());
  const y: number[] = [];
  for (let n = 0; n < N; n++) {
    let eta = 0.2;
    for (let d = 0; d < D; d++) eta += X[n * D + d]! * beta[d]!;
    y.push(rng.uniform() < 1 / (1 + Math.exp(-eta)) ? 1 : 0);
  }
  return { N, D, X, y };
}
