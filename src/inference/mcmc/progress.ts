import type { SampleProgress } from "./sample.js";

/**
 * Where {@link progressPrinter} writes: `process.stderr` or anything with `write` (and `isTTY`).
 *
 * @example
 * ```ts
 * const sink: ProgressSink = { write: (text) => chunks.push(text), isTTY: false };
 * ```
 */
export interface ProgressSink {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

/**
 * An `onProgress` callback that shows sampling progress. On a TTY it redraws one status line
 * per update (`chain 2/4 warm-up  350/1000  ▕███░░░░░░░▏ 0 divergent`); elsewhere (logs, CI)
 * it writes one line when each chain finishes a phase.
 *
 * @example
 * ```ts
 * await sample(model, { numChains: 4, onProgress: progressPrinter(process.stderr, 4) });
 * ```
 */
export function progressPrinter(sink: ProgressSink, numChains: number): (progress: SampleProgress) => void {
  return (p) => {
    const phase = p.phase === "warmup" ? "warm-up " : "sampling";
    const count = `${String(p.iteration).padStart(String(p.numIterations).length)}/${p.numIterations}`;
    const head = `chain ${p.chain + 1}/${numChains} ${phase} ${count}`;
    const done = p.iteration === p.numIterations;
    if (sink.isTTY) {
      const filled = Math.round((20 * p.iteration) / Math.max(p.numIterations, 1));
      const bar = `▕${"█".repeat(filled)}${"░".repeat(20 - filled)}▏`;
      sink.write(`\r${head} ${bar} ${p.numDivergent} divergent${done ? "\n" : ""}`);
    } else if (done) {
      sink.write(`${head} done, ${p.numDivergent} divergent\n`);
    }
  };
}
