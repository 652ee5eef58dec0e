import type { Rng } from "../../core/rng.js";
import { createRng } from "../rng/index.js";
import { type RemoteErrorInfo, remoteErrorInfo } from "./errors.js";

/**
 * A function a worker pool can run: it gets its input, its own random stream and a progress
 * callback, and returns (or resolves to) a structured-cloneable result.
 *
 * @example
 * ```ts
 * export const sumNormals: WorkerTask<number, number> = (n, rng) => {
 *   let s = 0;
 *   for (let i = 0; i < n; i++) s += rng.normal();
 *   return s;
 * };
 * ```
 */
export type WorkerTask<I = unknown, O = unknown> = (
  input: I,
  rng: Rng,
  progress: (value: unknown) => void,
) => O | Promise<O>;

/**
 * One task as sent to a worker.
 *
 * @example
 * ```ts
 * const request: TaskRequest = { taskId: 1, moduleUrl: "file:///app/task.js", exportName: "fit", input: 3, seed: "7/0" };
 * ```
 */
export interface TaskRequest {
  /** Pool-wide id, echoed in progress messages. */
  readonly taskId: number;
  /** `file:` (or other importable) URL of the module exporting the task. */
  readonly moduleUrl: string;
  readonly exportName: string;
  readonly input: unknown;
  /** Seed path of the task's stream, e.g. `"7/3"` for input 3 of a map with seed 7. */
  readonly seed: string;
}

/**
 * A task's result or its failure, as a plain value: errors are flattened here rather than thrown
 * through comlink, so non-Error throws and the original name and stack survive the trip.
 *
 * @example
 * ```ts
 * const done: TaskOutcome = { ok: true, value: 42 };
 * ```
 */
export type TaskOutcome =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: RemoteErrorInfo };

/**
 * A progress report from a worker, tagged with the task it belongs to. It travels on the same
 * port as comlink's replies (which ignore messages without their `id`), so a task's reports
 * always arrive before its result.
 *
 * @example
 * ```ts
 * const report: ProgressMessage = { sprigProgress: 1, value: { iteration: 100 } };
 * ```
 */
export interface ProgressMessage {
  /** The task id. */
  readonly sprigProgress: number;
  readonly value: unknown;
}

/**
 * True for a {@link ProgressMessage}, as opposed to comlink traffic.
 *
 * @example
 * ```ts
 * worker.on("message", (data) => { if (isProgressMessage(data)) show(data.value); });
 * ```
 */
export function isProgressMessage(data: unknown): data is ProgressMessage {
  return typeof data === "object" && data !== null && typeof (data as ProgressMessage).sprigProgress === "number";
}

/**
 * The object a worker exposes over comlink.
 *
 * @example
 * ```ts
 * const outcome = await host.run(request);
 * ```
 */
export interface TaskHost {
  run(request: TaskRequest): Promise<TaskOutcome>;
}

/**
 * Builds the worker-side task runner; `post` sends progress reports to the main thread.
 *
 * @example
 * ```ts
 * expose(createTaskHost((m) => parentPort.postMessage(m)), nodeEndpoint(parentPort));
 * ```
 */
export function createTaskHost(post: (message: ProgressMessage) => void): TaskHost {
  return {
    async run(request: TaskRequest): Promise<TaskOutcome> {
      try {
        const module = (await import(request.moduleUrl)) as Record<string, unknown>;
        const task = module[request.exportName];
        if (typeof task !== "function") {
          throw new TypeError(
            `'${request.exportName}' is not an exported function of ${request.moduleUrl} (found ${typeof task})`,
          );
        }
        const progress = (value: unknown): void => {
          post({ sprigProgress: request.taskId, value });
        };
        const value = await (task as WorkerTask)(request.input, createRng(request.seed), progress);
        return { ok: true, value };
      } catch (error) {
        return { ok: false, error: remoteErrorInfo(error) };
      }
    },
  };
}
