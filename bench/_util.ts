/**
 * Small helpers several benchmarks share: the median of a sample, process CPU time and `--flag
 * value` parsing. Not a benchmark itself (the leading underscore keeps bench/run.ts from listing it).
 */

/**
 * The median of `values` (the mean of the two middle ones for an even count; NaN when empty).
 *
 * @example
 * ```ts
 * median([3, 1, 4, 1]); // 2
 * ```
 */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : 0.5 * (s[m - 1] + s[m]);
}

/**
 * CPU seconds (user + system) this process used since `start`, or in total without it. CPU time
 * is the figure to trust on a shared machine, where other jobs stretch wall time.
 *
 * @example
 * ```ts
 * const start = process.cpuUsage();
 * run();
 * const seconds = cpuSeconds(start);
 * ```
 */
export function cpuSeconds(start?: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(start);
  return (u.user + u.system) / 1e6;
}

/**
 * `--key value` pairs into `{ key: "value" }` and bare `--flag`s into `{ flag: true }`; other
 * arguments are ignored.
 *
 * @example
 * ```ts
 * parseArgs(["--runs", "10", "--no-webppl"]); // { runs: "10", "no-webppl": true }
 * ```
 */
export function parseArgs(args: readonly string[]): Record<string, string | boolean> {
  const out: Record<string, string | boolean> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith("--")) continue;
    const next = args[i + 1];
    if (next !== undefined && !next.startsWith("--")) {
      out[a.slice(2)] = next;
      i++;
    } else out[a.slice(2)] = true;
  }
  return out;
}
