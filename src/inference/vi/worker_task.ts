/**
 * The worker side of `fitAdviInWorker` and `fitVbInWorker`: the tasks the worker pool
 * runs. A task rebuilds the model (from the graph's JSON or by importing the user's module, see
 * `TransferableModel`) or the VB problem, imports the schedule and minibatch a caller named by
 * module export, runs the ordinary in-thread fit with the caller's seed, and answers with
 * structured-cloneable data.
 *
 * @module
 */
import { DomainError, describeValue } from "../../core/errors.js";
import type { Rng } from "../../core/rng.js";
import type { ModelData } from "../model/data.js";
import { buildTransferable, importExport, type TransferableModel } from "../model_source.js";
import { type FitAdviOptions, fitAdvi } from "./fit_advi.js";
import { type FitVbOptions, fitVb, type VbResult } from "./fit_vb.js";
import type { MinibatchDensity } from "./minibatch.js";
import {
  type AdviResultData,
  adviResultToData,
  replyOf,
  type TaskReply,
  type VbProblemData,
  vbProblemFromData,
} from "./transfer.js";
import type { VbProblem } from "./vb_sbl.js";

/**
 * A module export by URL string (what crosses to the worker).
 *
 * @example
 * ```ts
 * const ref: ModuleRef = { module: "file:///app/schedules.js", export: "slowDecay" };
 * ```
 */
export interface ModuleRef {
  readonly module: string;
  readonly export: string;
}

/**
 * The ELBO after an evaluation, as reported to the caller.
 *
 * @example
 * ```ts
 * onProgress: (p: ElboProgress) => console.log(`iteration ${p.iteration}: ELBO ${p.elbo}`)
 * ```
 */
export interface ElboProgress {
  /** Optimisation iteration (ADVI) or coordinate-ascent sweep (VB) just completed. */
  readonly iteration: number;
  /** The ELBO there (ADVI: the Monte Carlo estimate of that evaluation). */
  readonly elbo: number;
}

/**
 * The ADVI options that cross to the worker: every {@link FitAdviOptions} field but the closures.
 *
 * @example
 * ```ts
 * const options: AdviTaskOptions = { seed: 1, family: "fullrank" };
 * ```
 */
export type AdviTaskOptions = Omit<FitAdviOptions, "schedule" | "minibatch" | "onEvaluation">;

/**
 * One ADVI fit as sent to a worker.
 *
 * @example
 * ```ts
 * const input: AdviTaskInput = { model: spec, options: { seed: 1 }, reportProgress: false };
 * ```
 */
export interface AdviTaskInput {
  readonly model: TransferableModel;
  readonly options: AdviTaskOptions;
  /** A function t ↦ step-size multiplier. */
  readonly schedule?: ModuleRef;
  /** A MinibatchDensity, or a function (data) ↦ MinibatchDensity called with the model's data. */
  readonly minibatch?: ModuleRef;
  /** Post an {@link ElboProgress} after every ELBO evaluation. */
  readonly reportProgress: boolean;
}

const ADVI_WHERE = "fitAdviInWorker() worker";
const VB_WHERE = "fitVbInWorker() worker";

async function importSchedule(ref: ModuleRef): Promise<(t: number) => number> {
  const value = await importExport(ref, ADVI_WHERE);
  if (typeof value !== "function") {
    throw new DomainError({
      where: ADVI_WHERE,
      what: `the schedule export '${ref.export}' is not a function`,
      got: describeValue(value),
      expected: "a function (t) => step-size multiplier",
    });
  }
  return value as (t: number) => number;
}

function isMinibatch(value: unknown): value is MinibatchDensity {
  const m = value as Partial<MinibatchDensity> | null;
  return (
    typeof m === "object" &&
    m !== null &&
    typeof m.nextBatch === "function" &&
    typeof m.logDensityAndGrad === "function"
  );
}

async function importMinibatch(ref: ModuleRef, data: ModelData): Promise<MinibatchDensity> {
  const value = await importExport(ref, ADVI_WHERE);
  const built = typeof value === "function" ? await (value as (d: ModelData) => unknown)(data) : value;
  if (!isMinibatch(built)) {
    throw new DomainError({
      where: ADVI_WHERE,
      what: `the minibatch export '${ref.export}' gave no MinibatchDensity`,
      got: describeValue(built),
      expected: "a MinibatchDensity (nextBatch, logDensityAndGrad) or a function (data) => MinibatchDensity",
    });
  }
  return built;
}

/**
 * Runs one ADVI fit in a worker. The pool's stream is not used: the fit draws from
 * `createRng(options.seed)` exactly as {@link fitAdvi} in the caller's thread would, so the result
 * is the same bit for bit.
 *
 * @example
 * ```ts
 * await pool.map(new URL("./worker_task.js", import.meta.url), "runAdviTask", [input], { seed: 1 });
 * ```
 */
export function runAdviTask(
  input: AdviTaskInput,
  _rng: Rng,
  progress: (value: ElboProgress) => void,
): Promise<TaskReply<AdviResultData>> {
  return replyOf(async () => {
    const model = await buildTransferable(input.model, ADVI_WHERE);
    const schedule = input.schedule === undefined ? undefined : await importSchedule(input.schedule);
    const minibatch =
      input.minibatch === undefined ? undefined : await importMinibatch(input.minibatch, input.model.data);
    const onEvaluation = (iteration: number, elbo: number): undefined => {
      progress({ iteration, elbo });
      return undefined;
    };
    const result = fitAdvi(model, {
      ...input.options,
      ...(schedule ? { schedule } : {}),
      ...(minibatch ? { minibatch } : {}),
      ...(input.reportProgress ? { onEvaluation } : {}),
    });
    return adviResultToData(result);
  });
}

/**
 * The VB options that cross to the worker: every {@link FitVbOptions} field but `onStep`.
 *
 * @example
 * ```ts
 * const options: VbTaskOptions = { maxIterations: 300 };
 * ```
 */
export type VbTaskOptions = Omit<FitVbOptions, "onStep">;

/**
 * One VB-SBL fit as sent to a worker: the problem as data, or a module export naming a problem
 * or a (possibly async) function returning one.
 *
 * @example
 * ```ts
 * const input: VbTaskInput = { problem: { kind: "data", data }, options: {}, reportProgress: false };
 * ```
 */
export interface VbTaskInput {
  readonly problem: { readonly kind: "data"; readonly data: VbProblemData } | ({ readonly kind: "module" } & ModuleRef);
  readonly options: VbTaskOptions;
  /** Post an {@link ElboProgress} after every sweep. */
  readonly reportProgress: boolean;
}

async function importProblem(ref: ModuleRef): Promise<VbProblem> {
  const value = await importExport(ref, VB_WHERE);
  const built = typeof value === "function" ? await (value as () => unknown)() : value;
  if (typeof built !== "object" || built === null) {
    throw new DomainError({
      where: VB_WHERE,
      what: `the problem export '${ref.export}' gave no VB problem`,
      got: describeValue(built),
      expected: "a VbProblem { A, y, noise?, prior? } or a function returning one",
    });
  }
  return built as VbProblem;
}

/**
 * Runs one VB-SBL fit in a worker (deterministic, so the pool's stream is not used).
 *
 * @example
 * ```ts
 * await pool.map(new URL("./worker_task.js", import.meta.url), "runVbTask", [input], { seed: 0 });
 * ```
 */
export function runVbTask(
  input: VbTaskInput,
  _rng: Rng,
  progress: (value: ElboProgress) => void,
): Promise<TaskReply<VbResult>> {
  return replyOf(async () => {
    const source = input.problem;
    const problem =
      source.kind === "data"
        ? vbProblemFromData(source.data)
        : await importProblem({ module: source.module, export: source.export });
    const onStep = (state: { readonly iteration: number; readonly elbo: number }): undefined => {
      progress({ iteration: state.iteration, elbo: state.elbo });
      return undefined;
    };
    return fitVb(problem, { ...input.options, ...(input.reportProgress ? { onStep } : {}) });
  });
}
