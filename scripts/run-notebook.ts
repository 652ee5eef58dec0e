/**
 * Headless runner for sprig's TypeScript notebooks (`.ipynb` files for the tslab Jupyter kernel).
 *
 *     npm run notebook -- examples/notebooks/eight_schools.ipynb [--tiny] [--write] [--dist] [--quiet]
 *
 * The code cells run in order in ONE module scope, as in a kernel: they share variables, and
 * top-level `await` works. The runner writes them into a temporary `.mts` module next to the
 * notebook (so relative imports resolve as in Jupyter), with a marker statement before each cell,
 * and runs it in a child `node --import tsx` process. The child reports every stdout/stderr chunk
 * and every `show()` of `examples/notebooks/display.ts` over the IPC channel, tagged with the
 * cell that was running, so outputs land in the right cell.
 *
 * - Notebooks import the library as `../../dist/index.js`, which is what tslab loads. The runner
 *   redirects relative imports of `<package>/dist/X.js` to `<package>/src/X.ts` so CI tests the
 *   sources without a build; `--dist` keeps the imports as written.
 * - `--tiny` sets `SPRIG_NOTEBOOK_TINY=1`; notebooks read it to shrink chains, draws and sizes.
 * - A cell that throws stops the run: the report names the cell (`In [n]`, its id), the line in
 *   the cell and its source, and the error. Exit code 1; usage errors exit 2.
 * - `--write` saves the outputs into the notebook (stream outputs, `display_data` with
 *   `image/svg+xml` or `text/html`, execution counts) in Jupyter's own layout (sorted keys,
 *   one-space indent, strings split into lines), so a committed notebook shows its results on
 *   GitHub and re-saving it in Jupyter gives a small diff. A failed run writes nothing.
 *
 * - `--typecheck` first type-checks the cells with the project's TypeScript and tsconfig (one `tsc`
 *   run for all notebooks given), reporting each error at its cell and line; tslab type-checks
 *   cells too, so a notebook that fails here would fail in Jupyter.
 *
 * Differences from a kernel: the value of a cell's last expression is not echoed (end a cell with
 * `console.log(...)` or `show(...)`), and a name can be declared in one cell only.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/**
 * One output of a code cell, in nbformat 4 form (multi-line strings already joined).
 *
 * @example
 * ```ts
 * const out: NotebookOutput = { output_type: "stream", name: "stdout", text: "done\n" };
 * ```
 */
export type NotebookOutput =
  | { readonly output_type: "stream"; readonly name: "stdout" | "stderr"; readonly text: string }
  | {
      readonly output_type: "display_data";
      readonly data: Readonly<Record<string, string>>;
      readonly metadata: Readonly<Record<string, unknown>>;
    }
  | {
      readonly output_type: "error";
      readonly ename: string;
      readonly evalue: string;
      readonly traceback: readonly string[];
    };

/**
 * A notebook cell as stored (nbformat 4.5); `source` may be a string or a list of lines.
 *
 * @example
 * ```ts
 * const cell: NotebookCell = { cell_type: "code", id: "fit", metadata: {}, source: ["x = 1;\n"], outputs: [] };
 * ```
 */
export interface NotebookCell {
  readonly cell_type: "code" | "markdown" | "raw";
  readonly id?: string;
  readonly metadata: Record<string, unknown>;
  readonly source: string | readonly string[];
  readonly execution_count?: number | null;
  readonly outputs?: readonly unknown[];
  readonly [key: string]: unknown;
}

/**
 * A notebook document (nbformat 4).
 *
 * @example
 * ```ts
 * const nb: Notebook = { cells: [], metadata: {}, nbformat: 4, nbformat_minor: 5 };
 * ```
 */
export interface Notebook {
  readonly cells: readonly NotebookCell[];
  readonly metadata: Record<string, unknown>;
  readonly nbformat: number;
  readonly nbformat_minor: number;
}

/**
 * Options of {@link runNotebook}.
 *
 * @example
 * ```ts
 * await runNotebook("examples/notebooks/eight_schools.ipynb", { tiny: true, log: () => {} });
 * ```
 */
export interface RunNotebookOptions {
  /** Set `SPRIG_NOTEBOOK_TINY=1` for the notebook (CI sizes). Default false. */
  readonly tiny?: boolean;
  /** Save the outputs into the notebook after a successful run. Default false. */
  readonly write?: boolean;
  /** Keep imports of `dist/` as written instead of redirecting them to `src/`. Default false. */
  readonly dist?: boolean;
  /** Kill the run after this many seconds. Default 1800. */
  readonly timeoutSeconds?: number;
  /** Where progress and outputs are echoed as they arrive (default: console.log; `() => {}` for silence). */
  readonly log?: (line: string) => void;
}

/**
 * One executed code cell.
 *
 * @example
 * ```ts
 * run.cells.find((c) => c.id === "compare")?.outputs;
 * ```
 */
export interface CellRun {
  /** Position among all the notebook's cells (0-based). */
  readonly cellIndex: number;
  /** The execution count, 1 for the first code cell. */
  readonly executionCount: number;
  readonly id: string | undefined;
  readonly outputs: readonly NotebookOutput[];
  /** Wall-clock seconds from this cell's start to the next one's (or the end). */
  readonly seconds: number;
}

/**
 * Where and why a run failed.
 *
 * @example
 * ```ts
 * if (!run.ok) console.error(`cell ${run.failure.executionCount}, line ${run.failure.line}: ${run.failure.evalue}`);
 * ```
 */
export interface CellFailure {
  /** The execution count of the failing cell (`In [n]`), or 0 when no cell had started. */
  readonly executionCount: number;
  readonly cellIndex: number;
  readonly id: string | undefined;
  /** 1-based line within the cell, when the error's stack or message locates it. */
  readonly line: number | undefined;
  /** That line's source. */
  readonly sourceLine: string | undefined;
  readonly ename: string;
  readonly evalue: string;
  /** The report printed by the command line: cell, line, source and error. */
  readonly message: string;
}

/**
 * The outcome of {@link runNotebook}.
 *
 * @example
 * ```ts
 * const run = await runNotebook(path, { tiny: true });
 * if (!run.ok) console.error(run.failure.message);
 * ```
 */
export type NotebookRun =
  | { readonly ok: true; readonly path: string; readonly cells: readonly CellRun[]; readonly seconds: number }
  | {
      readonly ok: false;
      readonly path: string;
      readonly cells: readonly CellRun[];
      readonly seconds: number;
      readonly failure: CellFailure;
    };

/**
 * The generated module and where each code cell starts in it.
 *
 * @example
 * ```ts
 * const { source, cells } = buildModule(nb, dir, undefined); // cells[0].firstLine: first line of In [1]
 * ```
 */
export interface NotebookModule {
  readonly source: string;
  /** One entry per non-empty code cell, in order. */
  readonly cells: readonly {
    readonly cellIndex: number;
    readonly executionCount: number;
    readonly firstLine: number;
  }[];
}

/** Messages from the child process. */
type ChildMessage =
  | { readonly type: "cell"; readonly executionCount: number }
  | { readonly type: "stream"; readonly name: "stdout" | "stderr"; readonly text: string }
  | { readonly type: "display"; readonly data: Record<string, string> }
  | { readonly type: "error"; readonly ename: string; readonly evalue: string; readonly stack: string }
  | { readonly type: "done" };

const CELL_HOOK = "sprig.notebook.cell";
const DISPLAY_SINK = "sprig.notebook.display";
const TINY_ENV = "SPRIG_NOTEBOOK_TINY";

/**
 * Joins nbformat's multi-line string form (a list of lines) into one string.
 *
 * @example
 * ```ts
 * joinLines(["a\n", "b"]); // "a\nb"
 * ```
 */
export function joinLines(value: unknown): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value) && value.every((v) => typeof v === "string")) return value.join("");
  throw new TypeError(`notebook: expected a string or a list of strings — got ${JSON.stringify(value)?.slice(0, 80)}`);
}

/**
 * Splits a string into nbformat's list-of-lines form (each line keeps its newline).
 *
 * @example
 * ```ts
 * splitLines("a\nb"); // ["a\n", "b"]
 * ```
 */
export function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/**
 * Reads and checks a notebook file (nbformat 4 with a list of cells).
 *
 * @throws Error naming the file when it is not JSON or not an nbformat-4 notebook.
 * @example
 * ```ts
 * const nb = readNotebook("examples/notebooks/eight_schools.ipynb");
 * ```
 */
export function readNotebook(path: string): Notebook {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new Error(`${path}: not a JSON notebook — ${(error as Error).message}`);
  }
  const nb = parsed as Partial<Notebook>;
  if (nb === null || typeof nb !== "object" || nb.nbformat !== 4 || !Array.isArray(nb.cells)) {
    throw new Error(
      `${path}: not an nbformat-4 notebook — got nbformat ${String(nb?.nbformat)}, expected 4 with a "cells" list`,
    );
  }
  return nb as Notebook;
}

/**
 * The package root of a path: the nearest ancestor directory with a package.json.
 *
 * @example
 * ```ts
 * packageRoot("sprig/examples/notebooks"); // "sprig"
 * ```
 */
export function packageRoot(from: string): string | undefined {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, "package.json"))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * Rewrites a relative import of `<root>/dist/X.js` in a module in `fromDir` to the source file
 * `<root>/src/X.ts` (written with a `.js` extension, as tsx resolves it), when that file exists.
 *
 * @example
 * ```ts
 * redirectToSource("../../dist/index.js", "sprig/examples/notebooks", "sprig"); // "../../src/index.js"
 * ```
 */
export function redirectToSource(specifier: string, fromDir: string, root: string): string {
  if (!specifier.startsWith("./") && !specifier.startsWith("../")) return specifier;
  const target = resolve(fromDir, specifier);
  const dist = join(root, "dist") + sep;
  if (!target.startsWith(dist) || !target.endsWith(".js")) return specifier;
  const source = join(root, "src", target.slice(dist.length));
  if (!existsSync(source.replace(/\.js$/, ".ts"))) return specifier;
  const rel = relative(fromDir, source).split(sep).join("/");
  return rel.startsWith(".") ? rel : `./${rel}`;
}

const IMPORT_SPECIFIER = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(["'])([^"'\n]+)\2/g;

/**
 * Builds the module that runs a notebook's code cells in one scope: a marker statement before each
 * cell tells the child process which cell is running. Empty code cells are skipped.
 *
 * @param nb - the notebook
 * @param fromDir - the directory the module will live in (the notebook's)
 * @param root - package root for the dist → src redirect, or undefined to keep imports as written
 * @example
 * ```ts
 * const { source, cells } = buildModule(readNotebook(path), dirname(path), packageRoot(path));
 * ```
 */
export function buildModule(nb: Notebook, fromDir: string, root: string | undefined): NotebookModule {
  const lines = [
    "// Generated by scripts/run-notebook.ts from a notebook's code cells; deleted after the run.",
    "export {};",
  ];
  const cells: { cellIndex: number; executionCount: number; firstLine: number }[] = [];
  nb.cells.forEach((cell, cellIndex) => {
    if (cell.cell_type !== "code") return;
    let source = joinLines(cell.source);
    if (source.trim() === "") return;
    if (root !== undefined) {
      source = source.replace(IMPORT_SPECIFIER, (_m, head: string, quote: string, spec: string) => {
        return `${head}${quote}${redirectToSource(spec, fromDir, root)}${quote}`;
      });
    }
    const executionCount = cells.length + 1;
    // A statement of its own, led by `;` so that a cell without a final semicolon cannot swallow it.
    lines.push(`;(globalThis as any)[Symbol.for(${JSON.stringify(CELL_HOOK)})](${executionCount});`);
    cells.push({ cellIndex, executionCount, firstLine: lines.length + 1 });
    lines.push(...source.replace(/\n$/, "").split("\n"));
  });
  return { source: `${lines.join("\n")}\n`, cells };
}

/** Adds a stream chunk, merging it into the previous output when that is the same stream. */
function appendStream(outputs: NotebookOutput[], name: "stdout" | "stderr", text: string): void {
  const last = outputs[outputs.length - 1];
  if (last?.output_type === "stream" && last.name === name) {
    outputs[outputs.length - 1] = { output_type: "stream", name, text: last.text + text };
  } else {
    outputs.push({ output_type: "stream", name, text });
  }
}

/**
 * Finds `<file>:<line>` of the generated module in a stack or message. The file name is unique
 * to the run; esbuild's messages may give it a `.ts` extension instead of `.mts`.
 */
function locate(text: string, file: string): number | undefined {
  const stem = basename(file, ".mts").replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const match = new RegExp(`${stem}\\.m?ts:(\\d+)`).exec(text);
  return match ? Number(match[1]) : undefined;
}

/** Replaces the generated module's path (as a path or URL, any extension) with `<notebook>`. */
function hideModulePath(text: string, file: string): string {
  const stem = file.slice(0, -".mts".length).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return text.replace(new RegExp(`(?:file://)?${stem}\\.m?ts`, "g"), "<notebook>");
}

/** The nbformat error output of a failure (the traceback without the runner's own frames). */
function errorOutput(ename: string, evalue: string, stack: string, file: string): NotebookOutput {
  const traceback = stack
    .split("\n")
    .filter((line) => !line.includes("run-notebook.ts") && !line.includes("node:internal"))
    .map((line) => hideModulePath(line, file));
  return { output_type: "error", ename, evalue, traceback };
}

/**
 * Runs a notebook's code cells in order in one module scope (in a child process) and collects each
 * cell's outputs; with `write`, saves them into the notebook.
 *
 * @throws Error when the notebook cannot be read; a failing cell is reported in the result.
 * @example
 * ```ts
 * const run = await runNotebook("examples/notebooks/sparse_regression.ipynb", { tiny: true, log: () => {} });
 * run.ok && run.cells[2].outputs;
 * ```
 */
export async function runNotebook(path: string, options: RunNotebookOptions = {}): Promise<NotebookRun> {
  const log = options.log ?? ((line: string) => console.log(line));
  const notebookPath = resolve(path);
  const nb = readNotebook(notebookPath);
  const dir = dirname(notebookPath);
  const built = buildModule(nb, dir, options.dist ? undefined : packageRoot(dir));
  const modulePath = join(dir, `.${basename(notebookPath, ".ipynb")}.run-${process.pid}-${Date.now()}.mts`);
  writeFileSync(modulePath, built.source);
  const started = performance.now();
  const outputs = new Map<number, NotebookOutput[]>();
  const bucket = (executionCount: number): NotebookOutput[] => {
    const list = outputs.get(executionCount) ?? [];
    outputs.set(executionCount, list);
    return list;
  };
  const startedAt = new Map<number, number>();
  // Output before the first marker comes from evaluating the (hoisted) imports: it belongs to the first cell.
  let current = 1;
  let failure: { ename: string; evalue: string; stack: string } | undefined;
  let done = false;
  let childOutput = "";
  try {
    const child = spawn(
      process.execPath,
      ["--import", import.meta.resolve("tsx"), fileURLToPath(import.meta.url), "--child", modulePath],
      {
        cwd: dir,
        env: { ...process.env, [TINY_ENV]: options.tiny ? "1" : "0" },
        stdio: ["ignore", "pipe", "pipe", "ipc"],
      },
    );
    child.stdout?.on("data", (chunk: Buffer) => {
      childOutput += chunk.toString("utf8");
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      childOutput += chunk.toString("utf8");
    });
    child.on("message", (message: ChildMessage) => {
      switch (message.type) {
        case "cell": {
          current = message.executionCount;
          startedAt.set(current, performance.now());
          const info = built.cells[current - 1];
          log(`In [${current}]${nb.cells[info.cellIndex].id ? ` (${nb.cells[info.cellIndex].id})` : ""}`);
          break;
        }
        case "stream":
          appendStream(bucket(current), message.name, message.text);
          for (const line of message.text.replace(/\n$/, "").split("\n")) log(`  ${line}`);
          break;
        case "display":
          bucket(current).push({ output_type: "display_data", data: message.data, metadata: {} });
          for (const line of (message.data["text/plain"] ?? `[${Object.keys(message.data).join(", ")}]`).split("\n")) {
            log(`  ${line}`);
          }
          break;
        case "error":
          failure = { ename: message.ename, evalue: message.evalue, stack: message.stack };
          break;
        case "done":
          done = true;
          break;
      }
    });
    const exitCode = await waitForExit(child, (options.timeoutSeconds ?? 1800) * 1000);
    if (!failure && !done) {
      failure =
        exitCode === "timeout"
          ? {
              ename: "Timeout",
              evalue: `the run took longer than ${options.timeoutSeconds ?? 1800} s`,
              stack: "",
            }
          : {
              ename: "ExitError",
              evalue: `the notebook process exited with code ${exitCode} before the last cell finished`,
              stack: childOutput,
            };
    }
  } finally {
    unlinkSync(modulePath);
  }
  const end = performance.now();
  const cells: CellRun[] = built.cells
    .filter((c) => startedAt.has(c.executionCount))
    .map((c) => {
      const next = startedAt.get(c.executionCount + 1) ?? end;
      return {
        cellIndex: c.cellIndex,
        executionCount: c.executionCount,
        id: nb.cells[c.cellIndex].id,
        outputs: outputs.get(c.executionCount) ?? [],
        seconds: (next - (startedAt.get(c.executionCount) ?? end)) / 1000,
      };
    });
  const seconds = (end - started) / 1000;
  if (failure) {
    const report = describeFailure(nb, built, failure, current, modulePath, notebookPath);
    const failing = cells.find((c) => c.executionCount === report.executionCount);
    if (failing) {
      (failing.outputs as NotebookOutput[]).push(errorOutput(failure.ename, failure.evalue, failure.stack, modulePath));
    }
    log(report.message);
    return { ok: false, path: notebookPath, cells, seconds, failure: report };
  }
  if (options.write) {
    writeFileSync(notebookPath, serializeNotebook(withOutputs(nb, cells)));
    log(`wrote outputs of ${cells.length} cells to ${path}`);
  }
  log(`${path}: ${cells.length} cells ran in ${seconds.toFixed(1)} s${options.tiny ? " (tiny)" : ""}`);
  return { ok: true, path: notebookPath, cells, seconds };
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<number | "timeout"> {
  return new Promise((resolveExit) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      resolveExit("timeout");
    }, timeoutMs);
    // "close", not "exit": it comes after the IPC channel has delivered every message.
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolveExit(code ?? (signal ? 128 : 1));
    });
  });
}

/** Locates a failure in the notebook: cell from the stack (or the running cell), line and source. */
function describeFailure(
  nb: Notebook,
  built: NotebookModule,
  failure: { ename: string; evalue: string; stack: string },
  running: number,
  modulePath: string,
  notebookPath: string,
): CellFailure {
  const moduleLine = locate(`${failure.stack}\n${failure.evalue}`, modulePath);
  let cell = built.cells[running - 1];
  let line: number | undefined;
  if (moduleLine !== undefined) {
    const containing = built.cells.filter((c) => c.firstLine <= moduleLine).pop();
    if (containing) {
      cell = containing;
      line = moduleLine - containing.firstLine + 1;
    }
  }
  const where = cell
    ? `In [${cell.executionCount}]${nb.cells[cell.cellIndex].id ? ` (cell id "${nb.cells[cell.cellIndex].id}")` : ""}`
    : "before the first cell";
  const sourceLine =
    cell && line !== undefined ? joinLines(nb.cells[cell.cellIndex].source).split("\n")[line - 1] : undefined;
  const evalue = hideModulePath(failure.evalue, modulePath);
  const message = [
    `${notebookPath}: ${where}${line !== undefined ? `, line ${line}` : ""} failed`,
    ...(sourceLine !== undefined ? [`  ${line} | ${sourceLine}`] : []),
    `${failure.ename}: ${evalue}`,
  ].join("\n");
  return {
    executionCount: cell?.executionCount ?? 0,
    cellIndex: cell?.cellIndex ?? -1,
    id: cell ? nb.cells[cell.cellIndex].id : undefined,
    line,
    sourceLine,
    ename: failure.ename,
    evalue,
    message,
  };
}

/**
 * A copy of the notebook with the outputs and execution counts of a run; cells the run did not
 * execute are cleared.
 *
 * @example
 * ```ts
 * writeFileSync(path, serializeNotebook(withOutputs(nb, run.cells)));
 * ```
 */
export function withOutputs(nb: Notebook, cells: readonly CellRun[]): Notebook {
  const byIndex = new Map(cells.map((c) => [c.cellIndex, c]));
  return {
    ...nb,
    cells: nb.cells.map((cell, index) => {
      if (cell.cell_type !== "code") return cell;
      const run = byIndex.get(index);
      return { ...cell, execution_count: run?.executionCount ?? null, outputs: run?.outputs ?? [] };
    }),
  };
}

/**
 * Multi-line strings in nbformat's list-of-lines form (cell sources, stream text, MIME data other
 * than JSON), keys sorted: Jupyter's own layout.
 */
function toStored(value: unknown, key: string | undefined): unknown {
  if (typeof value === "string") {
    const multiline = key === "source" || key === "text" || (key?.includes("/") && key !== "application/json");
    return multiline ? splitLines(value) : value;
  }
  // A traceback is already a list of lines.
  if (Array.isArray(value)) return key === "traceback" ? value : value.map((v) => toStored(v, undefined));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) out[k] = toStored((value as Record<string, unknown>)[k], k);
    return out;
  }
  return value;
}

/**
 * Serialises a notebook as Jupyter writes it: sorted keys, one-space indent, multi-line strings
 * as lists of lines, a final newline.
 *
 * @example
 * ```ts
 * writeFileSync("x.ipynb", serializeNotebook(nb));
 * ```
 */
export function serializeNotebook(nb: Notebook): string {
  return `${JSON.stringify(toStored(nb, undefined), null, 1)}\n`;
}

/**
 * Reads the stored outputs of a notebook's code cells back into {@link NotebookOutput}s (multi-line
 * strings joined).
 *
 * @example
 * ```ts
 * storedOutputs(readNotebook(path))[0]; // outputs of the first code cell
 * ```
 */
export function storedOutputs(nb: Notebook): NotebookOutput[][] {
  return nb.cells
    .filter((c) => c.cell_type === "code")
    .map((c) =>
      ((c.outputs ?? []) as Record<string, unknown>[]).map((o): NotebookOutput => {
        if (o.output_type === "stream") {
          return { output_type: "stream", name: o.name as "stdout" | "stderr", text: joinLines(o.text) };
        }
        if (o.output_type === "display_data" || o.output_type === "execute_result") {
          const data: Record<string, string> = {};
          for (const [k, v] of Object.entries(o.data as Record<string, unknown>)) data[k] = joinLines(v);
          return { output_type: "display_data", data, metadata: (o.metadata as Record<string, unknown>) ?? {} };
        }
        return {
          output_type: "error",
          ename: String(o.ename),
          evalue: String(o.evalue),
          traceback: (o.traceback as string[]) ?? [],
        };
      }),
    );
}

/** The child process: runs the generated module and reports cells, streams, displays and errors. */
async function runChild(modulePath: string): Promise<void> {
  if (typeof process.send !== "function") {
    throw new Error("run-notebook: --child is the runner's own mode; it needs the IPC channel of runNotebook()");
  }
  const send = (message: ChildMessage): Promise<void> =>
    new Promise((done) => {
      process.send?.(message, undefined, {}, () => done());
    });
  const capture = (name: "stdout" | "stderr") => {
    const stream = process[name];
    stream.write = ((chunk: string | Uint8Array, encoding?: unknown, callback?: unknown) => {
      const text = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
      void send({ type: "stream", name, text });
      const cb = typeof encoding === "function" ? encoding : callback;
      if (typeof cb === "function") cb();
      return true;
    }) as typeof stream.write;
  };
  capture("stdout");
  capture("stderr");
  const hooks = globalThis as Record<symbol, unknown>;
  hooks[Symbol.for(CELL_HOOK)] = (executionCount: number) => {
    void send({ type: "cell", executionCount });
  };
  hooks[Symbol.for(DISPLAY_SINK)] = (data: Record<string, string>) => {
    void send({ type: "display", data: { ...data } });
  };
  const fail = async (error: unknown) => {
    const e = error instanceof Error ? error : new Error(String(error));
    await send({ type: "error", ename: e.name, evalue: e.message, stack: e.stack ?? "" });
    process.exit(1);
  };
  process.on("uncaughtException", fail);
  process.on("unhandledRejection", fail);
  try {
    await import(pathToFileURL(modulePath).href);
  } catch (error) {
    await fail(error);
    return;
  }
  await send({ type: "done" });
  // Worker pools or timers a notebook left open must not keep the run alive.
  process.exit(0);
}

/**
 * One type error in a notebook's cells (or, with `executionCount` 0, in a file the cells import).
 *
 * @example
 * ```ts
 * const errors = await typecheckNotebooks(["examples/notebooks/eight_schools.ipynb"]);
 * errors.map((e) => e.message);
 * ```
 */
export interface NotebookTypeError {
  readonly path: string;
  readonly executionCount: number;
  readonly id: string | undefined;
  /** 1-based line within the cell. */
  readonly line: number;
  readonly code: string;
  readonly text: string;
  /** `<notebook>: In [n] (cell id "…"), line l: TSxxxx <text>`. */
  readonly message: string;
}

/**
 * Type-checks the code cells of notebooks with the project's TypeScript and tsconfig (strict, like
 * the sources), in one `tsc` run: each notebook becomes the module {@link runNotebook} would run
 * (with the same dist → src redirect unless `dist`), and every error is mapped back to its cell.
 *
 * @example
 * ```ts
 * const errors = await typecheckNotebooks(paths);
 * if (errors.length > 0) console.error(errors.map((e) => e.message).join("\n"));
 * ```
 */
export async function typecheckNotebooks(
  paths: readonly string[],
  options: { readonly dist?: boolean } = {},
): Promise<NotebookTypeError[]> {
  const stamp = `${process.pid}-${Date.now()}`;
  const modules = paths.map((path) => {
    const notebookPath = resolve(path);
    const nb = readNotebook(notebookPath);
    const dir = dirname(notebookPath);
    const built = buildModule(nb, dir, options.dist ? undefined : packageRoot(dir));
    const modulePath = join(dir, `.${basename(notebookPath, ".ipynb")}.check-${stamp}.mts`);
    return { path, nb, built, modulePath };
  });
  // The project whose settings apply: the notebooks' package, or the one this script belongs to.
  const root =
    packageRoot(dirname(resolve(paths[0]))) ?? packageRoot(dirname(fileURLToPath(import.meta.url))) ?? process.cwd();
  const configPath = join(dirname(modules[0].modulePath), `.notebooks.tsconfig-${stamp}.json`);
  const base = join(root, "tsconfig.json");
  // The deepest directory holding the project and every notebook (tsc's rootDir must contain all files).
  let rootDir = root;
  const within = (dir: string, ancestor: string) =>
    `${dir}${sep}`.startsWith(ancestor.endsWith(sep) ? ancestor : `${ancestor}${sep}`);
  for (const m of modules) {
    while (!within(dirname(m.modulePath), rootDir) && dirname(rootDir) !== rootDir) rootDir = dirname(rootDir);
  }
  const config = {
    ...(existsSync(base) ? { extends: base } : {}),
    compilerOptions: {
      noEmit: true,
      rootDir,
      // Resolved from the project even when a notebook lives outside it.
      typeRoots: [join(root, "node_modules", "@types")],
      ...(existsSync(base) ? {} : { strict: true, module: "nodenext" }),
    },
    files: modules.map((m) => m.modulePath),
    // Ambient declarations the sources rely on (e.g. for untyped deep imports).
    include: [join(root, "**", "*.d.ts")],
    exclude: [join(root, "node_modules"), join(root, "dist")],
  };
  let output = "";
  try {
    for (const m of modules) writeFileSync(m.modulePath, m.built.source);
    writeFileSync(configPath, JSON.stringify(config));
    const tsc = join(dirname(fileURLToPath(import.meta.resolve("typescript"))), "..", "bin", "tsc");
    const child = spawn(process.execPath, [tsc, "-p", configPath, "--pretty", "false"], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
    });
    await waitForExit(child, 600_000);
  } finally {
    for (const m of modules) if (existsSync(m.modulePath)) unlinkSync(m.modulePath);
    if (existsSync(configPath)) unlinkSync(configPath);
  }
  const errors: NotebookTypeError[] = [];
  // `file(line,col): error TS1234: text` or `error TS1234: text`, continuation lines indented.
  for (const block of output.split(/\n(?=\S)/)) {
    const match = /^(?:(.+?)\((\d+),(\d+)\): )?error (TS\d+): ([\s\S]*)$/.exec(block.trim());
    if (!match) continue;
    const [, file = "tsc", lineText = "0", , code, text] = match;
    const m = modules.find((x) => resolve(root, file) === x.modulePath);
    const moduleLine = Number(lineText);
    const cell = m ? m.built.cells.filter((c) => c.firstLine <= moduleLine).pop() : undefined;
    const id = m && cell ? m.nb.cells[cell.cellIndex].id : undefined;
    const line = cell ? moduleLine - cell.firstLine + 1 : moduleLine;
    const where = m
      ? `${m.path}: In [${cell?.executionCount ?? 0}]${id ? ` (cell id "${id}")` : ""}, line ${line}`
      : `${file}:${moduleLine}`;
    errors.push({
      path: m?.path ?? file,
      executionCount: cell?.executionCount ?? 0,
      id,
      line,
      code,
      text: text.trim(),
      message: `${where}: ${code} ${text.trim()}`,
    });
  }
  if (errors.length === 0 && /error TS\d+/.test(output)) {
    throw new Error(`typecheck: tsc reported errors the runner could not read:\n${output}`);
  }
  return errors;
}

const USAGE = "usage: npm run notebook -- <notebook.ipynb>... [--tiny] [--write] [--dist] [--typecheck] [--quiet]";

async function main(argv: readonly string[]): Promise<number> {
  if (argv[0] === "--child") {
    await runChild(argv[1]);
    return 0;
  }
  const flags = new Set(argv.filter((a) => a.startsWith("--")));
  const paths = argv.filter((a) => !a.startsWith("--"));
  const unknown = [...flags].filter((f) => !["--tiny", "--write", "--dist", "--typecheck", "--quiet"].includes(f));
  if (paths.length === 0 || unknown.length > 0) {
    console.error(unknown.length > 0 ? `run-notebook: unknown option ${unknown.join(", ")}\n${USAGE}` : USAGE);
    return 2;
  }
  const missing = paths.find((path) => !existsSync(path));
  if (missing !== undefined) {
    console.error(`run-notebook: ${missing}: no such file`);
    return 2;
  }
  if (flags.has("--typecheck")) {
    const errors = await typecheckNotebooks(paths, { dist: flags.has("--dist") });
    for (const error of errors) console.error(error.message);
    if (errors.length > 0) {
      console.log(`0 passed, ${paths.length} failed (type errors)`);
      return 1;
    }
  }
  let failed = 0;
  for (const path of paths) {
    const run = await runNotebook(path, {
      tiny: flags.has("--tiny"),
      write: flags.has("--write"),
      dist: flags.has("--dist"),
      log: flags.has("--quiet") ? () => {} : undefined,
    });
    if (!run.ok) {
      failed++;
      if (flags.has("--quiet")) console.error(run.failure.message);
    }
  }
  console.log(`${paths.length - failed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
