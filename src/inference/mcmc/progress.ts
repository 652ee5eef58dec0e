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

/**
 * The size of a run, for {@link progressBar}.
 *
 * @example
 * ```ts
 * const run: ProgressRun = { numChains: 4, numWarmup: 1000, numSamples: 1000 };
 * ```
 */
export interface ProgressRun {
  readonly numChains: number;
  readonly numWarmup: number;
  readonly numSamples: number;
}

/**
 * An `onProgress` callback for chains that run at the same time (worker threads): on a TTY it
 * redraws one line for the whole run — overall bar, how many chains are warming up, sampling or
 * done, post-warm-up divergences — only when the whole percentage or a count changes; elsewhere
 * it writes one line when each chain finishes a phase, as {@link progressPrinter} does.
 *
 * @example
 * ```ts
 * await sample(graph, data, { workers: 4, onProgress: progressBar(process.stderr, { numChains: 4, numWarmup: 1000, numSamples: 1000 }) });
 * // ▕██████████░░░░░░░░░░▏  52%  warm-up 0 · sampling 4 · done 0 · 0 divergent
 * ```
 */
export function progressBar(sink: ProgressSink, run: ProgressRun): (progress: SampleProgress) => void {
  const perChain = run.numWarmup + run.numSamples;
  const total = Math.max(1, run.numChains * perChain);
  const warmupDone = new Float64Array(run.numChains);
  const samplingDone = new Float64Array(run.numChains);
  const divergent = new Float64Array(run.numChains);
  let shown = "";
  const fallback = progressPrinter(sink, run.numChains);
  return (p) => {
    if (!sink.isTTY) {
      fallback(p);
      return;
    }
    if (p.phase === "warmup") warmupDone[p.chain] = p.iteration;
    else {
      warmupDone[p.chain] = run.numWarmup;
      samplingDone[p.chain] = p.iteration;
      divergent[p.chain] = p.numDivergent;
    }
    let done = 0;
    let warming = 0;
    let sampling = 0;
    let finished = 0;
    let numDivergent = 0;
    for (let c = 0; c < run.numChains; c++) {
      done += warmupDone[c] + samplingDone[c];
      numDivergent += divergent[c];
      if (samplingDone[c] === run.numSamples) finished++;
      else if (samplingDone[c] > 0 || (warmupDone[c] === run.numWarmup && run.numWarmup > 0)) sampling++;
      else if (warmupDone[c] > 0) warming++;
    }
    const percent = Math.floor((100 * done) / total);
    const filled = Math.floor(percent / 5);
    const line = `▕${"█".repeat(filled)}${"░".repeat(20 - filled)}▏ ${String(percent).padStart(3)}%  warm-up ${warming} · sampling ${sampling} · done ${finished} · ${numDivergent} divergent`;
    if (line === shown) return;
    shown = line;
    sink.write(`\r${line}${finished === run.numChains ? "\n" : ""}`);
  };
}
