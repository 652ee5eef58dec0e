/**
 * Kronecker-structured sparse recovery (KroSBL's setting; He & Joseph 2024): y = (A₁ ⊗ A₂)·x + e
 * with x on an n₁ × n₂ grid whose support is a product of supports along each axis — e.g. the
 * angle × delay taps of a MIMO channel. The Kronecker-ARD prior has n₁ + n₂ precisions instead
 * of n₁·n₂. The dictionary is bound as a KroneckerOperator and never formed; the precisions and
 * the noise scale are point-estimated hyper-parameters, the form EM-SBL reads (the compiled
 * model reports y = A·x as a linear-Gaussian block and x as a `kronecker_ard` group).
 * Data fields: M (rows of A), A (a LinearOperator, M × n₁n₂), y.
 */
import type { Rng } from "../../src/core/rng.js";
import type { ModelGraph } from "../../src/ir/types.js";
import { model, normal } from "../../src/lang/builder/index.js";
import { kroneckerArd } from "../../src/lang/builder/priors/index.js";
import { DenseOperator, KroneckerOperator } from "../../src/runtime/operators/index.js";
import { exampleFamilies } from "./families.js";

/**
 * The model for an n₁ × n₂ grid of coefficients.
 *
 * @param dims - [n₁, n₂] (or more factors)
 * @returns the model graph
 * @example
 * ```ts
 * const m = compile(makeKroneckerRecovery([8, 8]), syntheticKroneckerData(createRng(2), [6, 6], [8, 8], [[1, 5], [2, 3]]), exampleFamilies());
 * ```
 */
export function makeKroneckerRecovery(dims: readonly number[]): ModelGraph {
  const size = dims.reduce((a, b) => a * b, 1);
  return model(
    "kronecker_ard_recovery",
    (m) => {
      const M = m.data.int("M", { lower: 1 });
      const A = m.data.matrix("A", M, size);
      const y = m.data.vector("y", M);
      const sigma = m.hyper("sigma", { init: 0.1, lower: 0 });
      const x = kroneckerArd(m, "x", { dims });
      m.observe(y, normal({ loc: A.matvec(x), scale: sigma }));
    },
    { families: exampleFamilies() },
  );
}

/**
 * Gaussian factor dictionaries A_k (m_k × n_k, entries normal(0, 1/m_k)); x is non-zero (±1
 * plus noise) exactly on the product of the given per-axis supports; noise sd 0.05.
 *
 * @param rng - random stream
 * @param rows - [m₁, m₂]: rows of each factor
 * @param dims - [n₁, n₂]: columns of each factor
 * @param supports - active indices along each axis
 * @returns data for {@link makeKroneckerRecovery} and the true x
 * @example
 * ```ts
 * const data = syntheticKroneckerData(createRng(2), [6, 6], [8, 8], [[1, 5], [2, 3]]);
 * ```
 */
export function syntheticKroneckerData(
  rng: Rng,
  rows: readonly number[],
  dims: readonly number[],
  supports: readonly (readonly number[])[],
): { M: number; A: KroneckerOperator; y: Float64Array; x: Float64Array } {
  const factors = rows.map((mk, k) => {
    const n = dims[k]!;
    const values = new Float64Array(mk * n);
    for (let i = 0; i < values.length; i++) values[i] = rng.normal() / Math.sqrt(mk);
    return new DenseOperator(values, mk, n);
  });
  const A = new KroneckerOperator(factors);
  const x = new Float64Array(A.cols);
  const strides = dims.map((_, k) => dims.slice(k + 1).reduce((a, b) => a * b, 1));
  for (let i = 0; i < x.length; i++) {
    const active = dims.every((n, k) => supports[k]!.includes(Math.floor(i / strides[k]!) % n));
    if (active) x[i] = (rng.uniform() < 0.5 ? -1 : 1) * (1 + 0.2 * rng.normal());
  }
  const y = new Float64Array(A.rows);
  A.apply(x, y);
  for (let i = 0; i < y.length; i++) y[i]! += 0.05 * rng.normal();
  return { M: A.rows, A, y, x };
}
