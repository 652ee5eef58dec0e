import { type ErrorParts, formatError, SprigError } from "../../core/errors.js";

/**
 * What a worker reported about a failure: the remote error's name, message and stack.
 *
 * @example
 * ```ts
 * const remote: RemoteErrorInfo = { name: "DomainError", message: "gamma(): …", stack: "DomainError: …\n    at …" };
 * ```
 */
export interface RemoteErrorInfo {
  readonly name: string;
  readonly message: string;
  readonly stack?: string | undefined;
}

/**
 * A task failed inside a worker, a worker died, or the pool was used after `close()`. The message
 * carries the worker's own message and stack frames; `cause` is an `Error` rebuilt from them, and
 * `taskIndex` names the input whose task failed.
 *
 * @example
 * ```ts
 * try {
 *   await pool.map(url, "fit", inputs, { seed: 1 });
 * } catch (e) {
 *   if (e instanceof WorkerError) console.error(e.taskIndex, e.message);
 * }
 * ```
 */
export class WorkerError extends SprigError {
  /** The index of the input whose task failed, when the failure belongs to one task. */
  readonly taskIndex: number | undefined;
  /** The error the worker reported, when there was one. */
  readonly remote: RemoteErrorInfo | undefined;

  /**
   * @example
   * ```ts
   * throw new WorkerError({ where: "worker pool", what: "the pool is closed" });
   * ```
   */
  constructor(parts: ErrorParts, taskIndex?: number, remote?: RemoteErrorInfo) {
    super(parts);
    this.taskIndex = taskIndex;
    this.remote = remote;
    if (remote !== undefined) {
      const frames = stackFrames(remote);
      if (frames !== "") this.message = `${formatError(parts)}\nWorker stack:\n${frames}`;
      const cause = new Error(remote.message);
      cause.name = remote.name;
      if (remote.stack !== undefined) cause.stack = remote.stack;
      this.cause = cause;
    }
  }
}

// A stack starts by repeating "Name: message"; keep only what follows, so the message is not
// printed twice.
function stackFrames(remote: RemoteErrorInfo): string {
  const stack = remote.stack ?? "";
  const head = `${remote.name}: ${remote.message}`;
  return (stack.startsWith(head) ? stack.slice(head.length) : stack).replace(/^\n+/, "").trimEnd();
}

/**
 * Flattens anything thrown into the plain name/message/stack record that crosses threads.
 *
 * @example
 * ```ts
 * remoteErrorInfo(new RangeError("bad")); // { name: "RangeError", message: "bad", stack: "RangeError: bad\n    at …" }
 * remoteErrorInfo("oops"); // { name: "thrown value", message: "oops" }
 * ```
 */
export function remoteErrorInfo(error: unknown): RemoteErrorInfo {
  if (error instanceof Error) return { name: error.name, message: error.message, stack: error.stack };
  return { name: "thrown value", message: String(error) };
}
