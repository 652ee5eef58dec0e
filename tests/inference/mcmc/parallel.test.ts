import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eightSchoolsData, eightSchoolsNoncentered } from "../../../examples/models/eight_schools.js";
import { exampleFamilies } from "../../../examples/models/families.js";
import { logisticRegression } from "../../../examples/models/logistic_regression.js";
import { CapabilityError, DomainError } from "../../../src/core/errors.js";
import {
  type ChainResult,
  type McmcResult,
  runChainWithStream,
  type SampleProgress,
  sample,
} from "../../../src/inference/mcmc/index.js";
import { compile } from "../../../src/inference/model/index.js";
import { createRng } from "../../../src/runtime/rng/index.js";
import { createWorkerPool, type WorkerPool } from "../../../src/runtime/workers/index.js";
import { DenseOperator } from "../../../src/runtime/operators/index.js";
import { customFamilies, customFamilyGraph } from "./fixtures/chain_models.js";
import { diagonalGaussianModel } from "./models.js";

const FIXTURES = new URL("./fixtures/chain_models.ts", import.meta.url);

function bytes(x: ArrayBufferView): Buffer {
  return Buffer.from(x.buffer, x.byteOffset, x.byteLength);
}

/** Every array and adapted value of two chains agrees bit for bit (timings aside). */
function expectSameChain(a: ChainResult, b: ChainResult): void {
  expect(b.seed).toBe(a.seed);
  expect(bytes(b.draws).equals(bytes(a.draws))).toBe(true);
  expect(bytes(b.derived ?? new Float64Array(0)).equals(bytes(a.derived ?? new Float64Array(0)))).toBe(true);
  for (const key of Object.keys(a.stats) as (keyof ChainResult["stats"])[]) {
    expect(bytes(b.stats[key]).equals(bytes(a.stats[key]))).toBe(true);
  }
  expect(bytes(b.inverseMassMatrix).equals(bytes(a.inverseMassMatrix))).toBe(true);
  expect(bytes(b.initialPosition).equals(bytes(a.initialPosition))).toBe(true);
  expect(b.stepSize).toBe(a.stepSize);
  expect(b.numGradientEvaluations).toBe(a.numGradientEvaluations);
}

function expectSameRun(a: McmcResult, b: McmcResult): void {
  expect(b.columns).toEqual(a.columns);
  expect(b.chains.length).toBe(a.chains.length);
  a.chains.forEach((chain, c) => {
    expectSameChain(chain, b.chains[c]);
  });
}

describe("sample with worker threads", () => {
  let one: WorkerPool;
  let two: WorkerPool;

  beforeAll(() => {
    one = createWorkerPool({ size: 1 });
    two = createWorkerPool({ size: 2 });
  });

  afterAll(async () => {
    await one.close();
    await two.close();
  });

  const options = { numChains: 4, numWarmup: 150, numSamples: 100, seed: "parallel" };

  it("gives bit-identical draws in this thread, with one worker and with two", async () => {
    const here = await sample(eightSchoolsNoncentered, eightSchoolsData, options);
    const [single, pair] = await Promise.all([
      sample(eightSchoolsNoncentered, eightSchoolsData, { ...options, pool: one }),
      sample(eightSchoolsNoncentered, eightSchoolsData, { ...options, workers: 2 }),
    ]);
    expectSameRun(here, single);
    expectSameRun(here, pair);
    // The derived quantity theta = mu + tau · theta_trans travels with the draws.
    expect(here.columns.map((c) => c.name)).toContain("theta[8]");
    expect(here.chains[0].derived?.length).toBe(100 * 8);
    // A compiled model in this thread gives the same run as the graph.
    const compiled = await sample(compile(eightSchoolsNoncentered, eightSchoolsData, exampleFamilies()), options);
    expectSameRun(here, compiled);
  });

  it("runs a hand-written model named by module export, identically here and in workers", async () => {
    const source = { module: FIXTURES, export: "scaledGaussian" };
    const data = { scales: [1, 4] };
    const small = { numChains: 3, numWarmup: 100, numSamples: 50, seed: 9 };
    const [here, there] = await Promise.all([
      sample(source, data, small),
      sample(source, data, { ...small, pool: two }),
    ]);
    expectSameRun(here, there);
    // The same chains as the model built directly in this thread.
    expectSameRun(here, await sample(diagonalGaussianModel(new Float64Array([1, 4])), small));
  });

  it("rebuilds custom families in workers from a module export", async () => {
    const data = { y: [0.5, 1.5, 2.5] };
    const families = { module: FIXTURES, export: "customFamilies" };
    const small = { numChains: 2, numWarmup: 100, numSamples: 50, seed: 4, families };
    const [here, there] = await Promise.all([
      sample(customFamilyGraph, data, small),
      sample(customFamilyGraph, data, { ...small, pool: two }),
    ]);
    expectSameRun(here, there);
    // A factory returning a graph works as a source too.
    const viaFactory = await sample({ module: FIXTURES, export: "eightSchoolsGraph" }, eightSchoolsData, {
      ...options,
      numChains: 2,
      pool: two,
    });
    const direct = await sample(eightSchoolsNoncentered, eightSchoolsData, { ...options, numChains: 2 });
    expectSameRun(direct, viaFactory);
  });

  it("forwards every chain's progress from the workers", async () => {
    const seen: SampleProgress[] = [];
    await sample(eightSchoolsNoncentered, eightSchoolsData, { ...options, pool: two, onProgress: (p) => seen.push(p) });
    for (let chain = 0; chain < 4; chain++) {
      expect(seen.filter((p) => p.chain === chain && p.phase === "warmup").at(-1)?.iteration).toBe(150);
      expect(seen.filter((p) => p.chain === chain && p.phase === "sampling").at(-1)?.iteration).toBe(100);
    }
  });

  it("stops the workers when the signal is aborted", async () => {
    const controller = new AbortController();
    const pool = createWorkerPool({ size: 2 });
    const run = sample(eightSchoolsNoncentered, eightSchoolsData, {
      ...options,
      numSamples: 100_000,
      pool,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.phase === "sampling") controller.abort(new Error("stopped by user"));
      },
    });
    await expect(run).rejects.toThrow("stopped by user");
    // The workers running the aborted chains were terminated, not left sampling.
    expect(pool.workerCount).toBe(0);
    await pool.close();
  });

  it("refuses, before any worker starts, what cannot be sent to a worker", async () => {
    const model = diagonalGaussianModel(new Float64Array([1]));
    await expect(sample(model, { workers: 2 })).rejects.toThrow(CapabilityError);
    await expect(sample(model, { workers: 2 })).rejects.toThrow(
      "sample(): a compiled DensityModel holds closures and cannot be sent to worker threads. Hint: pass the model graph and its data",
    );
    await expect(
      sample(customFamilyGraph, { y: [1, 2, 3] }, { workers: 2, families: customFamilies() }),
    ).rejects.toThrow(
      "sample(): family 'shifted_normal' of model 'custom_family' is not built in, and a registry object cannot be sent to worker threads. Hint: pass families as a module export",
    );
    const factory = { module: FIXTURES, export: "eightSchoolsGraph" };
    await expect(sample(factory, eightSchoolsData, { workers: 2, families: exampleFamilies() })).rejects.toThrow(
      "sample(): a registry object cannot be sent to worker threads. Hint: pass families as a module export",
    );
    const X = new DenseOperator(new Float64Array([1, 0, 0, 1, 1, 1, -1, 0.5]), 4, 2);
    await expect(sample(logisticRegression, { N: 4, D: 2, X, y: [1, 0, 1, 0] }, { workers: 2 })).rejects.toThrow(
      "sample(): data 'X' is a dense LinearOperator, which cannot be copied to a worker thread. Hint: pass a dense matrix",
    );
    await expect(sample(eightSchoolsNoncentered, eightSchoolsData, { workers: 0 })).rejects.toThrow(
      "sample(): workers must be an integer ≥ 1 — got 0, expected an integer ≥ 1.",
    );
  });

  it("checks that a chain runs on its own stream", () => {
    const model = diagonalGaussianModel(new Float64Array([1]));
    expect(() => runChainWithStream(model, 1, createRng("5/0"), { seed: 5 })).toThrow(DomainError);
    expect(() => runChainWithStream(model, 1, createRng("5/0"), { seed: 5 })).toThrow(
      "nuts: chain 1 was given the wrong random stream — got '5/0', expected '5/1' (split 1 of the run's seed).",
    );
  });
});
