/**
 * A block-sparse signal (BSBL's setting; Zhang & Rao 2013): x is zero except in a few blocks of
 * known boundaries, and smooth inside an active block. block_ard gives each block one precision
 * and an AR(1) correlation r inside blocks; y = A·x + e with a random Gaussian A. The precisions
 * and the noise scale are point-estimated hyper-parameters (the form EM-SBL's BSBL reads); the
 * non-centred parameterization suits gradient samplers, which then see x = diag(s)·L·z.
 * Data fields: M, A (M × Σ block sizes), y.
 */
import type { Rng } from "../../src/core/rng.js";
import type { ModelGraph } from "../../src/ir/types.js";
import { model, normal } from "../../src/lang/builder/index.js";
import { blockArd, type Parameterization } from "../../src/lang/builder/priors/index.js";
import { exampleFamilies } from "./families.js";

/**
 * The model for the given blocks and intra-block correlation.
 *
 * @param blockSizes - sizes of the consecutive blocks
 * @param correlation - AR(1) correlation r inside a block
 * @param parameterization - centred (per-position latents) or non-centred
 * @returns the model graph
 * @example
 * ```ts
 * const graph = makeBlockSparse(Array(16).fill(4), 0.8);
 * ```
 */
export function makeBlockSparse(
  blockSizes: readonly number[],
  correlation: number,
  parameterization: Parameterization = "noncentered",
): ModelGraph {
  const size = blockSizes.reduce((a, b) => a + b, 0);
  return model(
    "block_sparse_signal",
    (m) => {
      const M = m.data.int("M", { lower: 1 });
      const A = m.data.matrix("A", M, size);
      const y = m.data.vector("y", M);
      const sigma = m.hyper("sigma", { init: 0.05, lower: 0 });
      const x = blockArd(m, "x", { blockSizes, correlation, parameterization });
      m.observe(y, normal({ loc: A.matvec(x), scale: sigma }));
    },
    { families: exampleFamilies() },
  );
}

/**
 * A random Gaussian dictionary (entries normal(0, 1/M)); the listed blocks are active with an
 * AR(1) signal of correlation r and unit variance; noise sd 0.05.
 *
 * @param rng - random stream
 * @param M - measurements
 * @param blockSizes - block sizes
 * @param activeBlocks - indices of the non-zero blocks
 * @param correlation - AR(1) correlation inside active blocks
 * @returns data for {@link makeBlockSparse} and the true x
 * @example
 * ```ts
 * const data = syntheticBlockData(createRng(3), 24, Array(8).fill(4), [1, 6], 0.8);
 * ```
 */
export function syntheticBlockData(
  rng: Rng,
  M: number,
  blockSizes: readonly number[],
  activeBlocks: readonly number[],
  correlation: number,
): { M: number; A: number[][]; y: Float64Array; x: Float64Array } {
  const size = blockSizes.reduce((a, b) => a + b, 0);
  const x = new Float64Array(size);
  let start = 0;
  blockSizes.forEach((d, b) => {
    if (activeBlocks.includes(b)) {
      let v = rng.normal();
      for (let j = 0; j < d; j++) {
        if (j > 0) v = correlation * v + Math.sqrt(1 - correlation * correlation) * rng.normal();
        x[start + j] = v;
      }
    }
    start += d;
  });
  const A = Array.from({ length: M }, () => Array.from({ length: size }, () => rng.normal() / Math.sqrt(M)));
  const y = Float64Array.from(A, (row) => row.reduce((s, a, j) => s + a * x[j]!, 0) + 0.05 * rng.normal());
  return { M, A, y, x };
}
