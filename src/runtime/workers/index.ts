/**
 * A worker-thread pool for parallel chains: comlink over node:worker_threads, one seeded stream
 * per task.
 * @module runtime/workers
 */
export { type RemoteErrorInfo, remoteErrorInfo, WorkerError } from "./errors.js";
export { createWorkerPool, type MapOptions, type WorkerPool, type WorkerPoolOptions } from "./pool.js";
export type { WorkerTask } from "./task_host.js";
