import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eightSchoolsData, eightSchoolsNoncentered } from "../../../examples/models/eight_schools.js";
import { CapabilityError, DomainError, ShapeError } from "../../../src/core/errors.js";
import { compile } from "../../../src/inference/model/index.js";
import {
  type AdviResult,
  type ElboProgress,
  fitAdvi,
  fitAdviInWorker,
  fitVb,
  fitVbInWorker,
  type VbProblem,
  type VbResult,
} from "../../../src/inference/vi/index.js";
import { createDefaultRegistry } from "../../../src/runtime/dists/index.js";
import { DenseOperator } from "../../../src/runtime/operators/index.js";
import { createRng } from "../../../src/runtime/rng/index.js";
import { createWorkerPool, type WorkerPool } from "../../../src/runtime/workers/index.js";
import { customFamilies, customFamilyGraph } from "../mcmc/fixtures/chain_models.js";
import { fastDecay, logistic, logisticMinibatch, sparseArdProblem } from "./fixtures/worker_models.js";
import { logisticData } from "./models.js";

const MCMC_FIXTURES = new URL("../mcmc/fixtures/chain_models.ts", import.meta.url);
const VI_FIXTURES = new URL("./fixtures/worker_models.ts", import.meta.url);

function bytes(x: ArrayBufferView): Buffer {
  return Buffer.from(x.buffer, x.byteOffset, x.byteLength);
}

function expectSameBytes(a: ArrayBufferView, b: ArrayBufferView): void {
  expect(bytes(b).equals(bytes(a))).toBe(true);
}

/** Two ADVI results agree bit for bit (wall time aside), and the rebuilt approximation works. */
function expectSameFit(a: AdviResult, b: AdviResult): void {
  expectSameBytes(a.elboTrace, b.elboTrace);
  expectSameBytes(a.elboIterations, b.elboIterations);
  expectSameBytes(a.approximation.params, b.approximation.params);
  expectSameBytes(a.approximation.scale, b.approximation.scale);
  expectSameBytes(a.approximation.covariance(), b.approximation.covariance());
  expect(Object.keys(b.mean)).toEqual(Object.keys(a.mean));
  for (const name of Object.keys(a.mean)) {
    expectSameBytes(a.mean[name], b.mean[name]);
    expectSameBytes(a.sd[name], b.sd[name]);
  }
  expectSameBytes(a.draws.constrained, b.draws.constrained);
  expectSameBytes(a.draws.unconstrained, b.draws.unconstrained);
  expect(b.draws.layout.map((v) => v.name)).toEqual(a.draws.layout.map((v) => v.name));
  expect(b.resampledDraws === undefined).toBe(a.resampledDraws === undefined);
  if (a.resampledDraws && b.resampledDraws) expectSameBytes(a.resampledDraws.constrained, b.resampledDraws.constrained);
  for (const key of ["elbo", "iterations", "stopReason", "stepSize", "paretoK", "importanceEss"] as const) {
    expect(b[key]).toBe(a[key]);
  }
  expect(b.warnings).toEqual(a.warnings);
  // The approximation rebuilt on the caller's model draws exactly as the original does.
  expectSameBytes(
    a.approximation.sample(createRng(5), 20).constrained,
    b.approximation.sample(createRng(5), 20).constrained,
  );
}

function expectSameVb(a: VbResult, b: VbResult): void {
  for (const key of ["mean", "variance", "precisionMean", "support", "elbo"] as const) expectSameBytes(a[key], b[key]);
  for (const key of ["noiseVariance", "iterations", "converged", "form"] as const) expect(b[key]).toBe(a[key]);
  expectSameBytes(a.state.precisionRate, b.state.precisionRate);
}

describe("fitAdviInWorker", () => {
  let pool: WorkerPool;

  beforeAll(() => {
    pool = createWorkerPool({ size: 2 });
  });

  afterAll(async () => {
    await pool.close();
  });

  const options = {
    seed: 11,
    family: "fullrank",
    maxIterations: 1500,
    numDraws: 400,
    importanceResampling: true,
  } as const;

  it("gives the in-thread fit bit for bit for a model graph, and forwards every ELBO evaluation", async () => {
    const here = fitAdvi(compile(eightSchoolsNoncentered, eightSchoolsData, createDefaultRegistry()), options);
    const seen: ElboProgress[] = [];
    const [there, ownPool] = await Promise.all([
      fitAdviInWorker(eightSchoolsNoncentered, eightSchoolsData, { ...options, pool, onProgress: (p) => seen.push(p) }),
      fitAdviInWorker(eightSchoolsNoncentered, eightSchoolsData, options),
    ]);
    expectSameFit(here, there);
    expectSameFit(here, ownPool);
    expect(here.elboTrace.length).toBeGreaterThan(2);
    expect(seen.map((p) => p.elbo)).toEqual(Array.from(here.elboTrace.subarray(1)));
    expect(seen.map((p) => p.iteration)).toEqual(Array.from(here.elboIterations.subarray(1)));
  });

  it("runs custom families and a hand-written model, minibatch and schedule named by module export", async () => {
    const y = [0.5, 1.5, 2.5];
    const families = { module: MCMC_FIXTURES, export: "customFamilies" };
    const small = { seed: 3, maxIterations: 600, numDraws: 200 };
    const here = fitAdvi(compile(customFamilyGraph, { y }, customFamilies()), small);
    const { X, y: outcomes } = logisticData(createRng(12), 200, [0.5, -1, 2]);
    const data = { X, y: outcomes, p: 3 };
    const batched = { seed: 4, stepSize: 0.03, maxIterations: 400, numDraws: 200 };
    const hereBatched = fitAdvi(logistic(data), {
      ...batched,
      minibatch: logisticMinibatch(data),
      schedule: fastDecay,
    });
    const [there, thereBatched] = await Promise.all([
      fitAdviInWorker(customFamilyGraph, { y }, { ...small, families, pool }),
      fitAdviInWorker({ module: VI_FIXTURES, export: "logistic" }, data, {
        ...batched,
        minibatch: { module: VI_FIXTURES, export: "logisticMinibatch" },
        schedule: { module: VI_FIXTURES, export: "fastDecay" },
        pool,
      }),
    ]);
    expectSameFit(here, there);
    expectSameFit(hereBatched, thereBatched);
  });

  it("stops the worker when the signal is aborted", async () => {
    const own = createWorkerPool({ size: 1 });
    const controller = new AbortController();
    // Without the abort this run would take minutes: a million steps, the stopping rule off.
    const run = fitAdviInWorker(eightSchoolsNoncentered, eightSchoolsData, {
      seed: 1,
      maxIterations: 1_000_000,
      tolRelObj: 1e-300,
      evalElbo: 10,
      pool: own,
      signal: controller.signal,
      onProgress: () => controller.abort(new Error("stopped by user")),
    });
    await expect(run).rejects.toThrow("stopped by user");
    // The worker running the fit was terminated, not left optimising.
    expect(own.workerCount).toBe(0);
    // An already aborted signal rejects before any worker starts.
    const early = fitAdviInWorker(eightSchoolsNoncentered, eightSchoolsData, {
      seed: 1,
      pool: own,
      signal: AbortSignal.abort(new Error("too late")),
    });
    await expect(early).rejects.toThrow("too late");
    expect(own.workerCount).toBe(0);
    await own.close();
  });

  it("refuses, before any worker starts, what cannot be sent to a worker", async () => {
    const compiled = compile(eightSchoolsNoncentered, eightSchoolsData, createDefaultRegistry());
    const run = fitAdviInWorker(compiled, undefined, { seed: 1, pool });
    await expect(run).rejects.toThrow(CapabilityError);
    await expect(fitAdviInWorker(compiled, undefined, { seed: 1, pool })).rejects.toThrow(
      "fitAdviInWorker(): a compiled DensityModel holds closures and cannot be sent to worker threads. Hint: pass the model graph and its data (fitAdviInWorker(graph, data, options)), or { module, export } naming a function (data) => DensityModel; or call fitAdvi(model, options) in this thread.",
    );
    const schedule = fastDecay as unknown as { module: string; export: string };
    await expect(fitAdviInWorker(eightSchoolsNoncentered, eightSchoolsData, { seed: 1, schedule })).rejects.toThrow(
      "fitAdviInWorker(): 'schedule' must be a module export for a worker to import it",
    );
    const withCallback = { seed: 1, onEvaluation: () => true } as unknown as { seed: number };
    await expect(fitAdviInWorker(eightSchoolsNoncentered, eightSchoolsData, withCallback)).rejects.toThrow(
      "fitAdviInWorker(): option 'onEvaluation' is a function, which cannot be sent to a worker thread",
    );
  });

  it("throws a failing fit's own error, with the class and message it has in this thread", async () => {
    const model = compile(eightSchoolsNoncentered, eightSchoolsData, createDefaultRegistry());
    const bad = { seed: 1, evalElbo: 0 };
    let message = "";
    try {
      fitAdvi(model, bad);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^advi: evalElbo must be an integer/);
    const run = fitAdviInWorker(eightSchoolsNoncentered, eightSchoolsData, { ...bad, pool });
    await expect(run).rejects.toThrow(DomainError);
    await expect(fitAdviInWorker(eightSchoolsNoncentered, eightSchoolsData, { ...bad, pool })).rejects.toThrow(message);
  });
});

describe("fitVbInWorker", () => {
  let pool: WorkerPool;

  beforeAll(() => {
    pool = createWorkerPool({ size: 2 });
  });

  afterAll(async () => {
    await pool.close();
  });

  /** A Kronecker problem with one factor an operator and one a plain matrix. */
  function kroneckerProblem(): VbProblem {
    const rng = createRng("vb-kron");
    const A1 = Float64Array.from({ length: 4 * 5 }, () => rng.normal());
    const A2 = Float64Array.from({ length: 5 * 6 }, () => rng.normal());
    const y = Float64Array.from({ length: 20 }, () => rng.normal());
    return {
      A: { factors: [new DenseOperator(A1, 4, 5), { rows: 5, cols: 6, data: A2 }] },
      y,
      noise: { variance: 0.1 },
      prior: { kind: "kronecker_ard" },
    };
  }

  it("gives the in-thread fit bit for bit: dense, Kronecker, and a problem named by module export", async () => {
    const dense = sparseArdProblem();
    const kron = kroneckerProblem();
    const options = { maxIterations: 200 };
    const here = fitVb(dense, options);
    const hereKron = fitVb(kron, options);
    const seen: ElboProgress[] = [];
    const [there, thereKron, viaModule] = await Promise.all([
      fitVbInWorker(dense, { ...options, pool, onProgress: (p) => seen.push(p) }),
      fitVbInWorker(kron, { ...options, pool }),
      fitVbInWorker({ module: VI_FIXTURES, export: "sparseArdProblem" }, options),
    ]);
    expect(hereKron.form).toBe("kronecker");
    expectSameVb(here, there);
    expectSameVb(hereKron, thereKron);
    expectSameVb(here, viaModule);
    expect(seen.map((p) => p.elbo)).toEqual(Array.from(here.elbo.subarray(1)));
    expect(seen.map((p) => p.iteration)).toEqual(Array.from({ length: here.iterations }, (_, i) => i + 1));
  });

  it("throws a failing fit's own error, and stops when the signal is aborted", async () => {
    const A = new DenseOperator(new Float64Array(8), 4, 2);
    const bad = { A, y: Float64Array.of(1, 2, 3) };
    expect(() => fitVb(bad)).toThrow(ShapeError);
    let message = "";
    try {
      fitVb(bad);
    } catch (error) {
      message = (error as Error).message;
    }
    await expect(fitVbInWorker(bad, { pool })).rejects.toThrow(ShapeError);
    await expect(fitVbInWorker(bad, { pool })).rejects.toThrow(message);

    const own = createWorkerPool({ size: 1 });
    const controller = new AbortController();
    // Ten million sweeps with the stopping rule off would take many minutes.
    const run = fitVbInWorker(sparseArdProblem(), {
      maxIterations: 10_000_000,
      tolerance: 0,
      pool: own,
      signal: controller.signal,
      onProgress: () => controller.abort(new Error("stopped by user")),
    });
    await expect(run).rejects.toThrow("stopped by user");
    expect(own.workerCount).toBe(0);
    await own.close();
  });
});
