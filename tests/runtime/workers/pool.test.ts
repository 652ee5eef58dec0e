import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DomainError } from "../../../src/core/errors.js";
import { createRng, splitSeed } from "../../../src/runtime/rng/index.js";
import { createWorkerPool, type WorkerPool, WorkerError } from "../../../src/runtime/workers/index.js";
import { sumNormals } from "./fixtures/tasks.js";

const TASKS = new URL("./fixtures/tasks.ts", import.meta.url);

// Live MessagePorts are how Node reports referenced workers and ports that keep the process alive.
function liveHandles(): number {
  return process.getActiveResourcesInfo().filter((r) => r === "MessagePort" || r === "Worker").length;
}

describe("worker pool", () => {
  let one: WorkerPool;
  let two: WorkerPool;
  let baseline: number;

  beforeAll(() => {
    baseline = liveHandles();
    one = createWorkerPool({ size: 1 });
    two = createWorkerPool({ size: 2 });
  });

  afterAll(async () => {
    await one.close();
    await two.close();
  });

  it("gives task i the i-th split stream, so results are identical for 1 and 2 workers", async () => {
    const inputs = [10_000, 10_000, 5_000, 10_000];
    const [a, b] = await Promise.all([
      one.map<number>(TASKS, "sumNormals", inputs, { seed: 7 }),
      two.map<number>(TASKS, "sumNormals", inputs, { seed: 7 }),
    ]);
    expect(a).toEqual(b);
    expect(two.workerCount).toBe(2);
    // The same numbers in this thread, from the documented stream of task i.
    const children = createRng(7).splitN(inputs.length);
    expect(a).toEqual(inputs.map((n, i) => sumNormals(n, children[i])));
    expect(a).toEqual(inputs.map((n, i) => sumNormals(n, createRng(splitSeed(7, i)))));
    // A different seed gives different results.
    expect(await two.map<number>(TASKS, "sumNormals", inputs, { seed: 8 })).not.toEqual(a);
  });

  it("returns Float64Array results in input order and forwards progress", async () => {
    const progress: [number, unknown][] = [];
    const results = await two.map<Float64Array>(TASKS, "uniforms", [4, 2, 6], {
      seed: "order",
      onProgress: (index, value) => progress.push([index, value]),
    });
    expect(results.map((r) => r.length)).toEqual([4, 2, 6]);
    expect(results[2]).toBeInstanceOf(Float64Array);
    const expected = createRng("order/2");
    expect(Array.from(results[2])).toEqual(Array.from({ length: 6 }, () => expected.uniform()));
    // Each task reports { done: n/2 } then { done: n }; reports travel ahead of the result.
    for (const [index, n] of [
      [0, 4],
      [1, 2],
      [2, 6],
    ]) {
      expect(progress.filter(([i]) => i === index).map(([, v]) => v)).toEqual([{ done: n / 2 }, { done: n }]);
    }
  });

  it("rejects with a WorkerError carrying the task's message and stack", async () => {
    const failure = two.map(TASKS, "failOnTwo", [0, 1, 2, 3], { seed: 1 });
    await expect(failure).rejects.toBeInstanceOf(WorkerError);
    const error = (await failure.catch((e: unknown) => e)) as WorkerError;
    expect(error.taskIndex).toBe(2);
    expect(error.message).toContain(
      "worker pool: task 'failOnTwo' failed on input 2: DomainError: fixture: input two is not allowed — got 2.",
    );
    expect(error.message).toContain("Worker stack:");
    expect(error.message).toContain("tasks.ts");
    expect(error.remote?.name).toBe("DomainError");
    expect((error.cause as Error).message).toBe("fixture: input two is not allowed — got 2.");
    // The pool still works afterwards.
    expect(await two.map(TASKS, "failOnTwo", [5, 6], { seed: 1 })).toEqual([5, 6]);
  });

  it("rejects with a WorkerError when a worker dies, and replaces the worker", async () => {
    await expect(one.map(TASKS, "crash", ["exit"], { seed: 1 })).rejects.toThrow(
      "worker pool: the worker running task 'crash' on input 0 died: exit: the worker exited unexpectedly with code 3.",
    );
    const uncaught = (await one.map(TASKS, "crash", ["uncaught"], { seed: 1 }).catch((e: unknown) => e)) as WorkerError;
    expect(uncaught).toBeInstanceOf(WorkerError);
    expect(uncaught.message).toContain("died: RangeError: uncaught in a timer.");
    expect(uncaught.message).toContain("tasks.ts");
    expect(await one.map(TASKS, "failOnTwo", [4], { seed: 1 })).toEqual([4]);
    expect(one.workerCount).toBe(1);
  });

  it("reports a missing export and rejects bad arguments", async () => {
    await expect(one.map(TASKS, "notAFunction", [1], { seed: 1 })).rejects.toThrow(
      /'notAFunction' is not an exported function of file:.*tasks\.ts \(found number\)/,
    );
    await expect(one.map("relative/tasks.js", "sumNormals", [1], { seed: 1 })).rejects.toThrow(DomainError);
    await expect(one.map(TASKS, "sumNormals", [1], { seed: 1.5 })).rejects.toThrow(DomainError);
    expect(await one.map(TASKS, "sumNormals", [], { seed: 1 })).toEqual([]);
    expect(() => createWorkerPool({ size: 0 })).toThrow(
      "createWorkerPool(): 'size' must be a positive integer — got 0, expected size ≥ 1.",
    );
  });

  it("cancels a running task promptly on abort, and keeps serving later maps", async () => {
    const controller = new AbortController();
    let abortedAt = 0;
    const cancelled = two.map(TASKS, "spin", [0, 1], {
      seed: 3,
      signal: controller.signal,
      onProgress: () => {
        // Abort once a task is really running in a worker.
        abortedAt = Date.now();
        controller.abort();
      },
    });
    // spin runs for 60 s unless its worker is terminated, so only the abort can settle this in time.
    const error = (await cancelled.catch((e: unknown) => e)) as Error;
    expect(error.name).toBe("AbortError");
    expect(Date.now() - abortedAt).toBeLessThan(1000);
    expect(await two.map<number>(TASKS, "sumNormals", [10], { seed: 2 })).toEqual([
      sumNormals(10, createRng(splitSeed(2, 0))),
    ]);
    const already = AbortSignal.abort();
    await expect(two.map(TASKS, "sumNormals", [1], { seed: 1, signal: already })).rejects.toBe(already.reason);
  });

  it("close() rejects running maps, stops every worker and leaves no live handles", async () => {
    const pool = createWorkerPool({ size: 2 });
    expect(await pool.map(TASKS, "sumNormals", [1, 2], { seed: 1 })).toHaveLength(2);
    expect(pool.workerCount).toBe(2);
    const running = pool.map(TASKS, "spin", [0], { seed: 1 });
    const rejection = running.catch((e: unknown) => e);
    await pool.close();
    const error = await rejection;
    expect(error).toBeInstanceOf(WorkerError);
    expect((error as Error).message).toBe("worker pool: the pool was closed before the map finished.");
    expect(pool.workerCount).toBe(0);
    await expect(pool.map(TASKS, "sumNormals", [1], { seed: 1 })).rejects.toThrow("worker pool: the pool is closed.");
    // Idle workers of the other pools are unreferenced, so nothing beyond the baseline stays live.
    expect(liveHandles()).toBeLessThanOrEqual(baseline);
  });
});
