/**
 * ADVI and VB-SBL in a worker thread, so a long fit leaves the caller's event loop free (a UI, a
 * server, several fits at once in a pool). The model travels as `sample()`'s chains do: a graph
 * as JSON with its data, or a module export the worker imports; the fit runs there with the
 * caller's seed and comes back as data, rebuilt here on the caller's model. Results are
 * identical to {@link fitAdvi} / {@link fitVb} in this thread, bit for bit.
 *
 * @module
 */
import { CapabilityError, describeValue } from "../../core/errors.js";
import { createWorkerPool, type WorkerPool } from "../../runtime/workers/index.js";
import type { ModelData } from "../model/data.js";
import {
  type FamiliesSource,
  isModuleExport,
  type ModelSource,
  type ModuleExport,
  moduleUrl,
  resolveModel,
  type TransferHints,
  toTransferable,
} from "../model_source.js";
import { requireContinuousLatents } from "./advi.js";
import type { AdviResult, FitAdviOptions } from "./fit_advi.js";
import type { FitVbOptions, VbResult } from "./fit_vb.js";
import { type AdviResultData, adviResultFromData, type TaskReply, unwrapReply, vbProblemToData } from "./transfer.js";
import type { VbProblem } from "./vb_sbl.js";
import type { AdviTaskInput, ElboProgress, ModuleRef, VbTaskInput } from "./worker_task.js";

// The task module sits next to this file, with this file's extension (TypeScript source under
// tsx/vitest, JavaScript in dist/).
const TASK_URL = new URL(import.meta.url.endsWith(".ts") ? "./worker_task.ts" : "./worker_task.js", import.meta.url);

const ADVI_WHERE = "fitAdviInWorker()";
const VB_WHERE = "fitVbInWorker()";
const ADVI_HINTS: TransferHints = {
  graphCall: "fitAdviInWorker(graph, data, options)",
  inThisThread: "call fitAdvi(model, options) in this thread",
};

/**
 * Where a fit runs and how it is stopped: shared by {@link FitAdviInWorkerOptions} and
 * {@link FitVbInWorkerOptions}.
 *
 * @example
 * ```ts
 * const run: WorkerRunOptions = { pool, signal: AbortSignal.timeout(60_000), onProgress: (p) => console.log(p.elbo) };
 * ```
 */
export interface WorkerRunOptions {
  /** A pool to run in (kept open afterwards); default: a one-worker pool for this fit, closed after it. */
  readonly pool?: WorkerPool;
  /** Aborting terminates the worker running the fit and rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  /** Receives the ELBO after every evaluation (ADVI) or sweep (VB), forwarded from the worker. */
  readonly onProgress?: (progress: ElboProgress) => void;
}

/**
 * Options of {@link fitAdviInWorker}: those of {@link fitAdvi}, with the two functions a worker
 * must import given as module exports, `onEvaluation` replaced by `onProgress` (stop early with
 * `signal`), and the families a model graph is compiled with.
 *
 * @example
 * ```ts
 * const options: FitAdviInWorkerOptions = { seed: 1, family: "fullrank", signal: controller.signal };
 * ```
 */
export interface FitAdviInWorkerOptions
  extends Omit<FitAdviOptions, "schedule" | "minibatch" | "onEvaluation">,
    WorkerRunOptions {
  /** A module export of a step-size schedule t ↦ multiplier (default: `defaultSchedule`). */
  readonly schedule?: ModuleExport;
  /**
   * Minibatched gradients: a module export of a MinibatchDensity, or of a function
   * (data) ↦ MinibatchDensity that the worker calls with the model's data.
   */
  readonly minibatch?: ModuleExport;
  /** Families a model graph is compiled with (default: sprig's built-in registry). */
  readonly families?: FamiliesSource;
}

/**
 * Options of {@link fitVbInWorker}: those of {@link fitVb}, with `onStep` replaced by
 * `onProgress` (stop early with `signal`).
 *
 * @example
 * ```ts
 * const options: FitVbInWorkerOptions = { maxIterations: 300, onProgress: (p) => console.log(p.iteration, p.elbo) };
 * ```
 */
export interface FitVbInWorkerOptions extends Omit<FitVbOptions, "onStep">, WorkerRunOptions {}

// A function cannot be structured-cloned; name the option instead of failing inside postMessage.
function checkNoFunctions(options: object, where: string, inThisThread: string): void {
  for (const [name, value] of Object.entries(options)) {
    if (typeof value === "function") {
      throw new CapabilityError({
        where,
        what: `option '${name}' is a function, which cannot be sent to a worker thread`,
        hint: `leave it out (progress comes through onProgress, early stops through signal), or ${inThisThread}.`,
      });
    }
  }
}

function moduleRef(value: unknown, name: string): ModuleRef {
  if (!isModuleExport(value)) {
    throw new CapabilityError({
      where: ADVI_WHERE,
      what: `'${name}' must be a module export for a worker to import it`,
      got: describeValue(value),
      expected: "{ module, export }",
      hint: `export it from a module and pass { module: new URL('./file.js', import.meta.url), export: '…' }, or ${ADVI_HINTS.inThisThread}.`,
    });
  }
  return { module: moduleUrl(value, ADVI_WHERE), export: value.export };
}

async function runTask<T>(
  exportName: string,
  input: unknown,
  seed: number | string,
  run: WorkerRunOptions,
): Promise<T> {
  const { pool: given, signal, onProgress } = run;
  const pool = given ?? createWorkerPool({ size: 1 });
  try {
    const [reply] = await pool.map<TaskReply<T>>(TASK_URL, exportName, [input], {
      seed,
      signal,
      onProgress: onProgress === undefined ? undefined : (_i, value) => onProgress(value as ElboProgress),
    });
    return unwrapReply(reply);
  } finally {
    if (given === undefined) await pool.close();
  }
}

/**
 * {@link fitAdvi} in a worker thread. `source` is a model graph (compiled in the worker from its
 * JSON with `data` and the built-in families, or `options.families` given as a module export) or
 * a module export naming a graph, a DensityModel or a function (data) ↦ DensityModel | ModelGraph;
 * a compiled DensityModel cannot cross threads and is refused. The model is also built here, to
 * rebuild the approximation (from its parameters) and the draws' layout on the caller's side.
 * Same seed, same result as in this thread, bit for bit (`timeSeconds` aside).
 *
 * @throws CapabilityError for what cannot be sent to a worker (a compiled model, a registry
 *   object with custom families, LinearOperator data, a function-valued option) and for discrete
 *   latents; the errors {@link fitAdvi} throws, with the same class and message; the signal's
 *   reason when aborted; a WorkerError when the worker itself fails.
 * @example
 * ```ts
 * const fit = await fitAdviInWorker(eightSchoolsNoncentered, eightSchoolsData, { seed: 1, signal });
 * fit.mean.tau; fit.approximation.covariance();
 * ```
 */
export async function fitAdviInWorker(
  source: ModelSource,
  data: ModelData | undefined,
  options: FitAdviInWorkerOptions,
): Promise<AdviResult> {
  const { pool, signal, onProgress, families, schedule, minibatch, ...fitOptions } = options;
  signal?.throwIfAborted();
  const model = toTransferable(source, data, families, ADVI_WHERE, ADVI_HINTS);
  checkNoFunctions(fitOptions, ADVI_WHERE, ADVI_HINTS.inThisThread);
  const input: AdviTaskInput = {
    model,
    options: fitOptions,
    ...(schedule === undefined ? {} : { schedule: moduleRef(schedule, "schedule") }),
    ...(minibatch === undefined ? {} : { minibatch: moduleRef(minibatch, "minibatch") }),
    reportProgress: onProgress !== undefined,
  };
  // Checked here too, so what fails before the fit starts fails before a worker starts.
  const here = await resolveModel(source, data, families, ADVI_WHERE);
  requireContinuousLatents(here);
  const result = await runTask<AdviResultData>("runAdviTask", input, fitOptions.seed, { pool, signal, onProgress });
  return adviResultFromData(here, fitOptions.family ?? "meanfield", result);
}

/**
 * {@link fitVb} in a worker thread. `problem` is a {@link VbProblem} (operators are sent as their
 * dense entries, which is all fitVb reads of them; Kronecker factors stay factors) or a module
 * export naming a problem or a function returning one, built in the worker (for dictionaries
 * that are cheaper to build than to copy). Same result as in this thread, bit for bit
 * (`timeSeconds` aside).
 *
 * @throws the errors {@link fitVb} throws, with the same class and message; CapabilityError for
 *   a function-valued option; the signal's reason when aborted; a WorkerError when the worker
 *   itself fails.
 * @example
 * ```ts
 * const fit = await fitVbInWorker({ A: new DenseOperator(rows, m, n), y, prior: "ard" }, { pool });
 * fit.support;
 * ```
 */
export async function fitVbInWorker(
  problem: VbProblem | ModuleExport,
  options: FitVbInWorkerOptions = {},
): Promise<VbResult> {
  const { pool, signal, onProgress, ...fitOptions } = options;
  signal?.throwIfAborted();
  checkNoFunctions(fitOptions, VB_WHERE, "call fitVb(problem, options) in this thread");
  const input: VbTaskInput = {
    problem: isModuleExport(problem)
      ? { kind: "module", module: moduleUrl(problem, VB_WHERE), export: problem.export }
      : { kind: "data", data: vbProblemToData(problem) },
    options: fitOptions,
    reportProgress: onProgress !== undefined,
  };
  // VB-SBL is deterministic: the pool's stream is not used.
  return runTask<VbResult>("runVbTask", input, 0, { pool, signal, onProgress });
}
