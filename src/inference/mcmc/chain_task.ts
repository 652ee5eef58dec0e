/**
 * The worker side of parallel chains: the task `sample()` hands the worker pool. A worker
 * rebuilds the model once per run (from the graph's JSON or by importing the user's module,
 * see `TransferableModel`) and runs the chains it is given on the streams the pool assigns.
 * @module inference/mcmc/chain_task
 */
import type { Rng } from "../../core/rng.js";
import type { DensityModel } from "../model/density_model.js";
import { type ChainResult, runChainWithStream, type SampleOptions, type SampleProgress } from "./sample.js";
import { buildTransferable, type TransferableModel } from "../model_source.js";

/**
 * One chain as sent to a worker: the run's key (chains of one run share the rebuilt model), the
 * model description, the chain index and the structured-cloneable options.
 *
 * @example
 * ```ts
 * const input: ChainTaskInput = { key: "run-1", model: spec, chain: 0, options: { seed: 1, numSamples: 500 } };
 * ```
 */
export interface ChainTaskInput {
  readonly key: string;
  readonly model: TransferableModel;
  readonly chain: number;
  readonly options: SampleOptions;
}

// A worker usually runs several chains of the same run in a row; rebuilding (compiling) the model
// once per run also keeps the generated code's call sites warm from one chain to the next.
let cached: { readonly key: string; readonly model: Promise<DensityModel> } | undefined;

/**
 * Runs one chain in a worker. The pool's stream for task i is the i-th split of the run's seed,
 * which {@link runChainWithStream} checks is chain i's stream, so draws do not depend on where
 * a chain runs.
 *
 * @example
 * ```ts
 * await pool.map(new URL("./chain_task.js", import.meta.url), "runChainTask", inputs, { seed: 1 });
 * ```
 */
export async function runChainTask(
  input: ChainTaskInput,
  rng: Rng,
  progress: (value: SampleProgress) => void,
): Promise<ChainResult> {
  if (cached?.key !== input.key) {
    cached = { key: input.key, model: buildTransferable(input.model, `sample() worker, chain ${input.chain}`) };
  }
  const model = await cached.model;
  return runChainWithStream(model, input.chain, rng, { ...input.options, onProgress: progress });
}
