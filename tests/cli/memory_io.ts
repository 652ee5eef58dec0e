/**
 * An in-memory {@link CliIo} for running `sprig` commands in-process: captured stdout/stderr,
 * virtual files (inline models and data) over the real file system (paths relative to the
 * repository root), and writes kept in a map. Writes under `/unwritable/` fail with ENOENT, as
 * a missing directory does.
 */
import { readFileSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import type { CliIo } from "../../src/cli/shared.js";
import { REPO_ROOT } from "../helpers/shared.js";

/** A CliIo whose output and written files can be read back. */
export interface MemoryIo extends CliIo {
  /** Everything written to stdout so far. */
  out(): string;
  /** Everything written to stderr so far. */
  err(): string;
  /** Files written by the command, by the path it used. */
  readonly written: Map<string, string>;
}

/**
 * A fresh in-memory I/O.
 *
 * @example
 * ```ts
 * const io = memoryIo({ "m.sprig": "parameters { real mu; } model { mu ~ normal(0, 1); }" });
 * ```
 */
export function memoryIo(files: Record<string, string> = {}, env: Record<string, string> = {}): MemoryIo {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const written = new Map<string, string>();
  return {
    stdout: { write: (text: string) => stdout.push(text), isTTY: false },
    stderr: { write: (text: string) => stderr.push(text), isTTY: false },
    readFile(path: string): string {
      if (path in files) return files[path]!;
      if (written.has(path)) return written.get(path)!;
      return readFileSync(isAbsolute(path) ? path : resolve(REPO_ROOT, path), "utf8");
    },
    writeFile(path: string, text: string): void {
      if (path.startsWith("/unwritable/")) {
        throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: "ENOENT" });
      }
      written.set(path, text);
    },
    env,
    out: () => stdout.join(""),
    err: () => stderr.join(""),
    written,
  };
}

/**
 * The rows of a summary table printed by `sprig sample` or `sprig vi`, by quantity name:
 * the numbers of each row in column order (Mean first).
 *
 * @example
 * ```ts
 * summaryRows(io.out()).get("mu"); // [mean, mcse, sd, ...]
 * ```
 */
export function summaryRows(text: string): Map<string, number[]> {
  const rows = new Map<string, number[]>();
  for (const line of text.split("\n")) {
    const cells = line.trim().split(/\s+/);
    if (cells.length < 3) continue;
    // R-hat and ESS are NaN for a constant or very short series: still a row.
    const numbers = cells.slice(1).map((c) => (c === "NaN" ? Number.NaN : Number(c)));
    if (cells.slice(1).every((c, k) => c === "NaN" || !Number.isNaN(numbers[k]))) rows.set(cells[0]!, numbers);
  }
  return rows;
}
