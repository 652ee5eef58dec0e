import { Worker, type WorkerOptions } from "node:worker_threads";
import { WorkerError } from "./errors.js";

// Running from TypeScript source (tsx, vitest) or from compiled dist/: the entry sits next to this
// file with the same extension either way.
const FROM_SOURCE = import.meta.url.endsWith(".ts");
const ENTRY = new URL(FROM_SOURCE ? "./worker_entry.ts" : "./worker_entry.js", import.meta.url);

/**
 * True when this module runs from TypeScript source, so its workers must load TypeScript too.
 *
 * @example
 * ```ts
 * const withTsx = FROM_TYPESCRIPT_SOURCE || /\.ts$/.test(taskUrl);
 * ```
 */
export const FROM_TYPESCRIPT_SOURCE: boolean = FROM_SOURCE;

/**
 * Starts a worker running the pool's entry. With `withTsx`, tsx's loader is registered inside the
 * worker first: Node 20 cannot load `.ts` in a Worker, and `execArgv: ["--import", "tsx"]` fails
 * there with ERR_UNKNOWN_FILE_EXTENSION, so an eval bootstrap registers tsx and then imports the
 * entry. tsx is resolved from this module, not from the process cwd, which an eval worker would use.
 *
 * @example
 * ```ts
 * const worker = spawnWorker(FROM_TYPESCRIPT_SOURCE, {});
 * ```
 */
export function spawnWorker(withTsx: boolean, options: WorkerOptions): Worker {
  if (!withTsx) return new Worker(ENTRY, options);
  const tsxApi = resolveTsx();
  const bootstrap =
    `import(${JSON.stringify(tsxApi)})` +
    `.then(({ register }) => { register(); return import(${JSON.stringify(ENTRY.href)}); });`;
  return new Worker(bootstrap, { ...options, eval: true });
}

function resolveTsx(): string {
  try {
    return import.meta.resolve("tsx/esm/api");
  } catch {
    throw new WorkerError({
      where: "worker pool",
      what: "a TypeScript task module needs tsx in the workers, and tsx cannot be resolved",
      hint: "install tsx (npm i -D tsx) or point the pool at the compiled .js module.",
    });
  }
}
