import { availableParallelism } from "node:os";
import { isAbsolute } from "node:path";
import { pathToFileURL } from "node:url";
import type { Worker } from "node:worker_threads";
import { releaseProxy, type Remote, wrap } from "comlink";
import nodeEndpoint from "comlink/dist/esm/node-adapter.mjs";
import { DomainError, describeValue } from "../../core/errors.js";
import { splitSeed } from "../rng/index.js";
import { type RemoteErrorInfo, remoteErrorInfo, WorkerError } from "./errors.js";
import { FROM_TYPESCRIPT_SOURCE, spawnWorker } from "./spawn.js";
import {
  isProgressMessage,
  type ProgressMessage,
  type TaskHost,
  type TaskOutcome,
  type TaskRequest,
} from "./task_host.js";

/**
 * Options of {@link createWorkerPool}.
 *
 * @example
 * ```ts
 * const options: WorkerPoolOptions = { size: 4 };
 * ```
 */
export interface WorkerPoolOptions {
  /** Most workers alive at once; defaults to `os.availableParallelism()`. Workers start on demand. */
  readonly size?: number | undefined;
}

/**
 * Options of {@link WorkerPool.map}.
 *
 * @example
 * ```ts
 * const options: MapOptions = { seed: 42, signal: AbortSignal.timeout(60_000), onProgress: (i, v) => console.log(i, v) };
 * ```
 */
export interface MapOptions {
  /** Task i gets the i-th split of `createRng(seed)`, i.e. the stream with seed `${seed}/${i}`. */
  readonly seed: number | string;
  /** Aborting terminates the workers running this map's tasks and rejects with `signal.reason`. */
  readonly signal?: AbortSignal | undefined;
  /** Receives whatever task `index` passes to its `progress` callback, in order, before its result. */
  readonly onProgress?: ((index: number, value: unknown) => void) | undefined;
}

/**
 * A pool of worker threads running task functions exported by ES modules.
 *
 * @example
 * ```ts
 * const pool = createWorkerPool({ size: 2 });
 * try {
 *   const sums = await pool.map<number>(new URL("./tasks.js", import.meta.url), "sumNormals", [1e4, 1e4], { seed: 7 });
 * } finally {
 *   await pool.close();
 * }
 * ```
 */
export interface WorkerPool {
  /** Most workers alive at once. */
  readonly size: number;
  /** Workers alive now: started on demand, at most `size`, 0 after `close()`. */
  readonly workerCount: number;
  /**
   * Runs `module[exportName](inputs[i], rng_i, progress)` for every input, spread over the workers,
   * and resolves to the results in input order. rng_i is the i-th split of `createRng(seed)`, so
   * the results do not depend on the pool size or on scheduling. The first failing task rejects
   * the whole map with a {@link WorkerError} and stops its other tasks.
   */
  map<O = unknown>(
    module: string | URL,
    exportName: string,
    inputs: readonly unknown[],
    options: MapOptions,
  ): Promise<O[]>;
  /** Rejects unfinished maps, terminates every worker and resolves once they have exited. */
  close(): Promise<void>;
}

/**
 * Creates a worker pool. Task modules are imported inside the workers by URL; TypeScript task
 * modules work when tsx is installed (workers register it themselves). Idle workers do not keep
 * the process alive, but call `close()` when done to free them.
 *
 * @example
 * ```ts
 * const pool = createWorkerPool({ size: 2 });
 * const draws = await pool.map<Float64Array>("/abs/path/chains.js", "runChain", [{ n: 1000 }, { n: 1000 }], { seed: 1 });
 * await pool.close();
 * ```
 */
export function createWorkerPool(options: WorkerPoolOptions = {}): WorkerPool {
  const size = options.size ?? availableParallelism();
  if (!Number.isSafeInteger(size) || size < 1) {
    throw new DomainError({
      where: "createWorkerPool()",
      what: "'size' must be a positive integer",
      got: describeValue(size),
      expected: "size ≥ 1",
    });
  }
  return new Pool(size);
}

const WHERE = "worker pool";

interface MapCall {
  readonly exportName: string;
  readonly withTsx: boolean;
  readonly results: unknown[];
  remaining: number;
  settled: boolean;
  readonly onProgress: ((index: number, value: unknown) => void) | undefined;
  readonly resolve: (results: unknown[]) => void;
  readonly reject: (error: unknown) => void;
  readonly detach: () => void;
}

interface Job {
  readonly call: MapCall;
  readonly index: number;
  readonly request: TaskRequest;
}

interface Slot {
  readonly worker: Worker;
  readonly api: Remote<TaskHost>;
  readonly withTsx: boolean;
  job: Job | undefined;
  retired: boolean;
}

class Pool implements WorkerPool {
  readonly size: number;
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private readonly calls = new Set<MapCall>();
  private readonly exits = new Set<Promise<unknown>>();
  private nextTaskId = 1;
  private closed = false;

  constructor(size: number) {
    this.size = size;
  }

  get workerCount(): number {
    return this.slots.length;
  }

  async map<O = unknown>(
    module: string | URL,
    exportName: string,
    inputs: readonly unknown[],
    options: MapOptions,
  ): Promise<O[]> {
    if (this.closed) {
      throw new WorkerError({ where: WHERE, what: "the pool is closed", hint: "create a new pool." });
    }
    const moduleUrl = moduleUrlOf(module);
    if (typeof exportName !== "string" || exportName === "") {
      throw new DomainError({
        where: WHERE,
        what: "the export name must be a non-empty string",
        got: describeValue(exportName),
      });
    }
    if (!Array.isArray(inputs)) {
      throw new DomainError({ where: WHERE, what: "'inputs' must be an array", got: describeValue(inputs) });
    }
    // Fixes every task's stream (and rejects a bad seed) before anything runs.
    const seeds = inputs.map((_, i) => splitSeed(options.seed, i));
    const { signal, onProgress } = options;
    if (signal?.aborted) throw signal.reason;
    if (inputs.length === 0) return [];

    const results = await new Promise<unknown[]>((resolve, reject) => {
      const onAbort = (): void => {
        this.fail(call, signal?.reason);
        this.pump();
      };
      const call: MapCall = {
        exportName,
        withTsx: FROM_TYPESCRIPT_SOURCE || /\.[cm]?tsx?$/.test(new URL(moduleUrl).pathname),
        results: new Array(inputs.length),
        remaining: inputs.length,
        settled: false,
        onProgress,
        resolve,
        reject,
        detach: () => signal?.removeEventListener("abort", onAbort),
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.calls.add(call);
      inputs.forEach((input, index) => {
        const request: TaskRequest = { taskId: this.nextTaskId++, moduleUrl, exportName, input, seed: seeds[index] };
        this.queue.push({ call, index, request });
      });
      this.pump();
    });
    return results as O[];
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const call of [...this.calls]) {
      this.fail(call, new WorkerError({ where: WHERE, what: "the pool was closed before the map finished" }));
    }
    for (const slot of [...this.slots]) this.retire(slot);
    await Promise.all([...this.exits]);
  }

  // Hands queued jobs to idle workers, starting workers up to `size`.
  private pump(): void {
    while (this.queue.length > 0) {
      const job = this.queue[0];
      let slot: Slot | undefined;
      try {
        slot = this.idleSlot(job.call.withTsx);
      } catch (error) {
        this.fail(job.call, error);
        continue;
      }
      if (slot === undefined) return;
      this.queue.shift();
      this.start(slot, job);
    }
  }

  private idleSlot(withTsx: boolean): Slot | undefined {
    let plainIdle: Slot | undefined;
    for (const slot of this.slots) {
      if (slot.job !== undefined) continue;
      if (slot.withTsx || !withTsx) return slot;
      plainIdle = slot;
    }
    // An idle worker without tsx cannot import a .ts task: replace it with one that can.
    if (plainIdle !== undefined) this.retire(plainIdle);
    return this.slots.length < this.size ? this.spawn(withTsx) : undefined;
  }

  private spawn(withTsx: boolean): Slot {
    const worker = spawnWorker(withTsx, {});
    const slot: Slot = { worker, api: wrap<TaskHost>(nodeEndpoint(worker)), withTsx, job: undefined, retired: false };
    worker.on("message", (data: unknown) => {
      if (isProgressMessage(data)) this.forwardProgress(slot, data);
    });
    worker.on("error", (error: unknown) => this.onDeath(slot, remoteErrorInfo(error)));
    worker.on("exit", (code: number) =>
      this.onDeath(slot, { name: "exit", message: `the worker exited unexpectedly with code ${code}` }),
    );
    // Only a worker with a task in flight keeps the process alive (see start/finish).
    worker.unref();
    this.slots.push(slot);
    return slot;
  }

  private start(slot: Slot, job: Job): void {
    slot.job = job;
    slot.worker.ref();
    slot.api.run(job.request).then(
      (outcome) => this.finish(slot, job, outcome),
      (error: unknown) => this.finish(slot, job, { ok: false, error: remoteErrorInfo(error) }),
    );
  }

  private finish(slot: Slot, job: Job, outcome: TaskOutcome): void {
    // A retired or dead slot's late answer belongs to a map that has already settled.
    if (slot.job !== job) return;
    slot.job = undefined;
    slot.worker.unref();
    const call = job.call;
    if (!call.settled) {
      if (outcome.ok) {
        call.results[job.index] = outcome.value;
        call.remaining -= 1;
        if (call.remaining === 0) {
          call.settled = true;
          call.detach();
          this.calls.delete(call);
          call.resolve(call.results);
        }
      } else {
        this.fail(
          call,
          new WorkerError(
            {
              where: WHERE,
              what: `task '${call.exportName}' failed on input ${job.index}: ${outcome.error.name}: ${outcome.error.message}`,
            },
            job.index,
            outcome.error,
          ),
        );
      }
    }
    this.pump();
  }

  private forwardProgress(slot: Slot, message: ProgressMessage): void {
    const job = slot.job;
    if (job === undefined || job.request.taskId !== message.sprigProgress || job.call.settled) return;
    try {
      job.call.onProgress?.(job.index, message.value);
    } catch (error) {
      this.fail(job.call, error);
      this.pump();
    }
  }

  private onDeath(slot: Slot, info: RemoteErrorInfo): void {
    if (slot.retired) return;
    this.discard(slot);
    const job = slot.job;
    slot.job = undefined;
    if (job !== undefined) {
      const what = `the worker running task '${job.call.exportName}' on input ${job.index} died: ${info.name}: ${info.message}`;
      this.fail(job.call, new WorkerError({ where: WHERE, what }, job.index, info));
    }
    this.pump();
  }

  // Settles a map as failed: drops its queued jobs and terminates the workers running the others.
  private fail(call: MapCall, error: unknown): void {
    if (call.settled) return;
    call.settled = true;
    call.detach();
    this.calls.delete(call);
    for (let i = this.queue.length - 1; i >= 0; i--) {
      if (this.queue[i].call === call) this.queue.splice(i, 1);
    }
    for (const slot of [...this.slots]) {
      if (slot.job?.call === call) this.retire(slot);
    }
    call.reject(error);
  }

  private retire(slot: Slot): void {
    if (slot.retired) return;
    this.discard(slot);
    slot.job = undefined;
    slot.api[releaseProxy]();
    const exit = slot.worker.terminate();
    const forget = (): void => {
      this.exits.delete(exit);
    };
    exit.then(forget, forget);
    this.exits.add(exit);
  }

  private discard(slot: Slot): void {
    slot.retired = true;
    const at = this.slots.indexOf(slot);
    if (at >= 0) this.slots.splice(at, 1);
  }
}

function moduleUrlOf(module: string | URL): string {
  if (module instanceof URL) return module.href;
  if (typeof module === "string") {
    if (isAbsolute(module)) return pathToFileURL(module).href;
    if (/^[a-z][a-z0-9+.-]+:/i.test(module)) return module;
  }
  throw new DomainError({
    where: WHERE,
    what: "the task module must be a URL or an absolute path",
    got: describeValue(module),
    hint: "pass new URL('./task.js', import.meta.url).",
  });
}
