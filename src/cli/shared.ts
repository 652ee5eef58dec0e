/**
 * What every `sprig` command shares: the I/O seam ({@link CliIo}) that lets tests run commands
 * in-process, option parsing on top of Node's `util.parseArgs` with sprig-format messages, the
 * mapping from errors to exit codes, reading model and data files, and small text-table helpers.
 * @module cli/shared
 */
import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import {
  createDefaultRegistry,
  describeValue,
  type ModelData,
  type ModelGraph,
  parseModel,
  type Registry,
  SprigError,
} from "../index.js";
import { closestName } from "../ir/suggest.js";

/**
 * Somewhere a command writes text: `process.stdout`, `process.stderr`, or a test buffer.
 *
 * @example
 * ```ts
 * const chunks: string[] = [];
 * const out: OutputStream = { write: (text) => chunks.push(text), isTTY: false };
 * ```
 */
export interface OutputStream {
  write(text: string): unknown;
  /** Whether the stream is a terminal (progress bars are drawn only there). */
  readonly isTTY?: boolean;
}

/**
 * Everything a command touches outside its own computation. {@link nodeIo} is the real one;
 * tests pass buffers and an in-memory file system.
 *
 * @example
 * ```ts
 * const code = await runCli(["check", "m.sprig"], nodeIo());
 * ```
 */
export interface CliIo {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  /** Reads a UTF-8 text file; throws (any error) when it cannot. */
  readFile(path: string): string;
  /** Writes a UTF-8 text file, replacing it; throws (any error) when it cannot. */
  writeFile(path: string, text: string): void;
  /** Environment variables (`SPRIG_DEBUG=1` shows stack traces of unexpected errors). */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/**
 * A sprig command: takes its arguments (without the command name) and resolves to its exit code.
 * Commands never throw: errors are reported on `io.stderr`.
 *
 * @example
 * ```ts
 * const code: number = await checkCommand(["model.sprig"], io);
 * ```
 */
export type Command = (argv: readonly string[], io: CliIo) => Promise<number>;

/** Exit code of a successful run. @example `process.exitCode = EXIT_OK;` */
export const EXIT_OK = 0;
/** Exit code when the model, the data or the run failed. @example `if (code === EXIT_FAILURE) …` */
export const EXIT_FAILURE = 1;
/** Exit code of bad usage: unknown command or flag, bad flag value, unreadable file. @example `if (code === EXIT_USAGE) …` */
export const EXIT_USAGE = 2;

/**
 * Bad command-line usage (exit code 2): an unknown command or option, a malformed value, a file
 * that cannot be read or written, data that is not JSON.
 *
 * @example
 * ```ts
 * throw new UsageError({ where: "sprig sample", what: "--chains must be a positive integer", got: "'4.5'" });
 * ```
 */
export class UsageError extends SprigError {}

/**
 * The process's own I/O: standard streams, the file system and the environment.
 *
 * @example
 * ```ts
 * process.exitCode = await runCli(process.argv.slice(2), nodeIo());
 * ```
 */
export function nodeIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    readFile: (path) => readFileSync(path, "utf8"),
    writeFile: (path, text) => writeFileSync(path, text, "utf8"),
    env: process.env,
  };
}

/**
 * One command-line option: `string` options take a value (`--chains 4` or `--chains=4`),
 * `boolean` ones do not.
 *
 * @example
 * ```ts
 * const chains: OptionSpec = { type: "string", value: "n", help: "number of chains", default: "4" };
 * ```
 */
export interface OptionSpec {
  readonly type: "string" | "boolean";
  /** One-letter alias (`-h`). */
  readonly short?: string;
  /** Placeholder of the value in the help text (`n`, `file`). */
  readonly value?: string;
  /** One line of help. */
  readonly help: string;
  /** The default, as shown in the help text. */
  readonly default?: string;
}

/**
 * A command's name, usage line, description and options: the source of its `--help` text and
 * of its argument parsing.
 *
 * @example
 * ```ts
 * const spec: CommandSpec = { name: "print", usage: "sprig print <model.sprig> [--json]", summary: "…", options: {} };
 * ```
 */
export interface CommandSpec {
  readonly name: string;
  /** The usage line(s). */
  readonly usage: string;
  /** One-line description (shown in `sprig --help`). */
  readonly summary: string;
  /** Longer description, shown under the usage line. */
  readonly description?: string;
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** Example invocations shown at the end of the help. */
  readonly examples?: readonly string[];
}

/** `--help`/`-h`, accepted by every command. */
const HELP_OPTION: OptionSpec = { type: "boolean", short: "h", help: "show this help and exit" };

/**
 * The parsed command line: option values by long name, and the positional arguments.
 *
 * @example
 * ```ts
 * const args: ParsedArgs = { values: { chains: "4" }, positionals: ["m.sprig"] };
 * ```
 */
export interface ParsedArgs {
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
  readonly positionals: readonly string[];
}

/**
 * Parses a command's arguments with `util.parseArgs` (strict), turning its errors into
 * {@link UsageError}s in sprig's format with a "did you mean" hint. Returns `"help"` when
 * `--help` was given.
 *
 * @throws UsageError for an unknown option, a missing value or a value given to a flag
 * @example
 * ```ts
 * const args = parseCommand(SAMPLE_SPEC, ["m.sprig", "--chains", "2"]);
 * ```
 */
export function parseCommand(spec: CommandSpec, argv: readonly string[]): ParsedArgs | "help" {
  const options: Record<string, { type: "string" | "boolean"; short?: string }> = { help: HELP_OPTION };
  for (const [name, o] of Object.entries(spec.options)) {
    options[name] = o.short === undefined ? { type: o.type } : { type: o.type, short: o.short };
  }
  const where = `sprig ${spec.name}`;
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv], options, strict: true, allowPositionals: true });
  } catch (e) {
    throw argumentError(where, e, Object.keys(options));
  }
  if (parsed.values.help === true) return "help";
  return { values: parsed.values as ParsedArgs["values"], positionals: parsed.positionals };
}

/** parseArgs' own messages are long and differently worded; this rewrites the common ones. */
function argumentError(where: string, e: unknown, known: readonly string[]): UsageError {
  const code = (e as { code?: string }).code;
  const message = e instanceof Error ? e.message : String(e);
  const flag = /'(-[^' ]*)/.exec(message)?.[1] ?? "?";
  const flags = known.map((k) => `--${k}`);
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
    const best = closestName(flag.replace(/^-+/, ""), known);
    return new UsageError({
      where,
      what: "unknown option",
      got: `'${flag}'`,
      hint: best !== undefined ? `did you mean '--${best}'?` : `known options: ${flags.join(", ")}.`,
    });
  }
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
    if (/does not take an argument/.test(message)) {
      return new UsageError({ where, what: `option ${flag} is a flag and takes no value`, got: `'${flag}=…'` });
    }
    return new UsageError({
      where,
      what: `option ${flag} needs a value`,
      hint: `write ${flag} <value>, or ${flag}=<value> when the value starts with '-'.`,
    });
  }
  return new UsageError({ where, what: "cannot parse the arguments", got: message.split("\n")[0] });
}

/**
 * The help text of a command, generated from its spec.
 *
 * @example
 * ```ts
 * io.stdout.write(formatHelp(PRINT_SPEC));
 * ```
 */
export function formatHelp(spec: CommandSpec): string {
  const entries: [string, string][] = Object.entries(spec.options).map(([name, o]) => {
    const short = o.short === undefined ? "    " : `-${o.short}, `;
    const flag = `${short}--${name}${o.type === "string" ? ` <${o.value ?? "value"}>` : ""}`;
    return [flag, o.default === undefined ? o.help : `${o.help} (default ${o.default})`];
  });
  entries.push(["-h, --help", HELP_OPTION.help]);
  const width = Math.max(...entries.map(([flag]) => flag.length));
  const lines = [`Usage: ${spec.usage}`, "", spec.summary];
  if (spec.description !== undefined) lines.push("", spec.description);
  lines.push("", "Options:", ...entries.map(([flag, help]) => `  ${flag.padEnd(width)}  ${help}`));
  if (spec.examples !== undefined && spec.examples.length > 0) {
    lines.push("", "Examples:", ...spec.examples.map((e) => `  ${e}`));
  }
  return `${lines.join("\n")}\n`;
}

/**
 * Runs a command's body and maps what it throws to an exit code: {@link UsageError} → 2, any
 * other sprig error (model, data, capability, domain) → 1, with the error's message on stderr;
 * anything else is a bug → 1 with a one-line message (the stack trace with `SPRIG_DEBUG=1`).
 *
 * @example
 * ```ts
 * export const printCommand: Command = (argv, io) => runGuarded(io, () => printBody(argv, io));
 * ```
 */
export async function runGuarded(io: CliIo, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (e) {
    const debug = io.env.SPRIG_DEBUG === "1";
    if (e instanceof SprigError) {
      io.stderr.write(`${e.message}\n`);
      if (debug && e.stack !== undefined) io.stderr.write(`${e.stack}\n`);
      return e instanceof UsageError ? EXIT_USAGE : EXIT_FAILURE;
    }
    const message = e instanceof Error ? e.message : String(e);
    io.stderr.write(
      `sprig: internal error: ${message.split("\n")[0]}${debug ? "" : ". Hint: rerun with SPRIG_DEBUG=1 for the stack trace, and please report it."}\n`,
    );
    if (debug && e instanceof Error && e.stack !== undefined) io.stderr.write(`${e.stack}\n`);
    return EXIT_FAILURE;
  }
}

/**
 * Wraps a command body as a {@link Command}: `--help` prints the spec's help and exits 0,
 * errors become exit codes (see {@link runGuarded}).
 *
 * @example
 * ```ts
 * export const printCommand = defineCommand(PRINT_SPEC, async (args, io) => { … return EXIT_OK; });
 * ```
 */
export function defineCommand(spec: CommandSpec, body: (args: ParsedArgs, io: CliIo) => Promise<number>): Command {
  return (argv, io) =>
    runGuarded(io, async () => {
      const args = parseCommand(spec, argv);
      if (args === "help") {
        io.stdout.write(formatHelp(spec));
        return EXIT_OK;
      }
      return body(args, io);
    });
}

/**
 * The single positional argument (the model file), or a UsageError.
 *
 * @example
 * ```ts
 * const file = onePositional("sprig check", args, "<model.sprig>");
 * ```
 */
export function onePositional(where: string, args: ParsedArgs, what: string): string {
  if (args.positionals.length === 1) return args.positionals[0]!;
  if (args.positionals.length === 0) {
    throw new UsageError({ where, what: `missing ${what}`, hint: `run '${where} --help' for usage.` });
  }
  throw new UsageError({
    where,
    what: `expected one ${what}`,
    got: args.positionals.map((p) => `'${p}'`).join(", "),
    hint: "options start with '--'.",
  });
}

/**
 * A string option's value (undefined when absent).
 *
 * @example
 * ```ts
 * const output = stringOption(args, "output");
 * ```
 */
export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const v = args.values[name];
  return typeof v === "string" ? v : undefined;
}

/**
 * An integer option, at least `min`; `fallback` when absent.
 *
 * @throws UsageError naming the flag and the value when it is not such an integer
 * @example
 * ```ts
 * const chains = integerOption("sprig sample", args, "chains", 1, 4);
 * ```
 */
export function integerOption(where: string, args: ParsedArgs, name: string, min: number, fallback: number): number {
  const raw = stringOption(args, name);
  if (raw === undefined) return fallback;
  const value = /^\s*[+-]?\d+\s*$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min) {
    throw new UsageError({
      where,
      what: `--${name} must be an integer`,
      got: `'${raw}'`,
      expected: min === 0 ? "a non-negative integer" : min === 1 ? "a positive integer" : `an integer ≥ ${min}`,
    });
  }
  return value;
}

/**
 * A real-valued option satisfying `valid` (described by `expected`); `fallback` when absent.
 *
 * @throws UsageError naming the flag and the value
 * @example
 * ```ts
 * const delta = numberOption("sprig sample", args, "adapt-delta", (x) => x > 0 && x < 1, "a number in (0, 1)", 0.8);
 * ```
 */
export function numberOption(
  where: string,
  args: ParsedArgs,
  name: string,
  valid: (x: number) => boolean,
  expected: string,
  fallback: number,
): number;
export function numberOption(
  where: string,
  args: ParsedArgs,
  name: string,
  valid: (x: number) => boolean,
  expected: string,
): number | undefined;
export function numberOption(
  where: string,
  args: ParsedArgs,
  name: string,
  valid: (x: number) => boolean,
  expected: string,
  fallback?: number,
): number | undefined {
  const raw = stringOption(args, name);
  if (raw === undefined) return fallback;
  const value = raw.trim() === "" ? Number.NaN : Number(raw);
  if (!Number.isFinite(value) || !valid(value)) {
    throw new UsageError({ where, what: `bad value for --${name}`, got: `'${raw}'`, expected });
  }
  return value;
}

/**
 * An option restricted to a list of words; `fallback` when absent.
 *
 * @throws UsageError listing the choices, with a "did you mean" hint
 * @example
 * ```ts
 * const metric = choiceOption("sprig sample", args, "metric", ["unit", "diag", "dense"] as const, "diag");
 * ```
 */
export function choiceOption<T extends string>(
  where: string,
  args: ParsedArgs,
  name: string,
  choices: readonly T[],
  fallback: T,
): T;
export function choiceOption<T extends string>(
  where: string,
  args: ParsedArgs,
  name: string,
  choices: readonly T[],
): T | undefined;
export function choiceOption<T extends string>(
  where: string,
  args: ParsedArgs,
  name: string,
  choices: readonly T[],
  fallback?: T,
): T | undefined {
  const raw = stringOption(args, name);
  if (raw === undefined) return fallback;
  if ((choices as readonly string[]).includes(raw)) return raw as T;
  const best = closestName(raw, choices);
  throw new UsageError({
    where,
    what: `bad value for --${name}`,
    got: `'${raw}'`,
    expected: choices.map((c) => `'${c}'`).join(", "),
    ...(best !== undefined ? { hint: `did you mean '${best}'?` } : {}),
  });
}

/**
 * The seed option: a non-negative integer (as CmdStan's `seed`); `fallback` when absent.
 *
 * @example
 * ```ts
 * const seed = seedOption("sprig vi", args, 0);
 * ```
 */
export function seedOption(where: string, args: ParsedArgs, fallback: number): number {
  return integerOption(where, args, "seed", 0, fallback);
}

/**
 * Reads a file through the I/O seam, turning a failure into a UsageError naming the file.
 *
 * @example
 * ```ts
 * const text = readTextFile("sprig check", io, "model.sprig", "model file");
 * ```
 */
export function readTextFile(where: string, io: CliIo, path: string, what: string): string {
  try {
    return io.readFile(path);
  } catch (e) {
    const code = (e as { code?: string }).code;
    const reason =
      code === "ENOENT"
        ? "no such file"
        : code === "EISDIR"
          ? "it is a directory"
          : code === "EACCES"
            ? "permission denied"
            : e instanceof Error
              ? e.message
              : String(e);
    throw new UsageError({ where, what: `cannot read the ${what} '${path}'`, got: reason });
  }
}

/**
 * Reads and parses a JSON data file (CmdStan's JSON data format: an object with one field per
 * data variable; matrices as arrays of rows).
 *
 * @throws UsageError when the file cannot be read, is not JSON, or is not a JSON object
 * @example
 * ```ts
 * const data = readDataFile("sprig sample", io, "data.json");
 * ```
 */
export function readDataFile(where: string, io: CliIo, path: string): ModelData {
  const text = readTextFile(where, io, path, "data file");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new UsageError({
      where: `${path}${jsonErrorLocation(text, e)}`,
      what: "the data file is not valid JSON",
      got: jsonErrorReason(e),
      hint: "data files are JSON objects with one field per data variable, as CmdStan's.",
    });
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new UsageError({
      where: path,
      what: "the data file must hold a JSON object",
      got: Array.isArray(value) ? "an array" : describeValue(value),
      expected: '{ "N": 3, "y": [ … ], … }',
    });
  }
  return value as ModelData;
}

/** JSON.parse's message on one line, without the echoed text (which may span lines). */
function jsonErrorReason(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  const token = /^Unexpected token '(.+?)',/s.exec(message);
  if (token) return `unexpected '${token[1]}'`;
  return message.replace(/ in JSON at position \d+.*$/s, "").split("\n")[0]!;
}

/** `:line:col` of a JSON.parse error, when its message gives a position. */
function jsonErrorLocation(text: string, e: unknown): string {
  const match = /position (\d+)/.exec(e instanceof Error ? e.message : "");
  if (!match) return "";
  const offset = Math.min(Number(match[1]), text.length);
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  const column = offset - before.lastIndexOf("\n");
  return `:${line}:${column}`;
}

/**
 * A parsed model with what it was read from.
 *
 * @example
 * ```ts
 * const { graph, registry } = loadModel("sprig check", io, "m.sprig", data);
 * ```
 */
export interface LoadedModel {
  readonly file: string;
  readonly graph: ModelGraph;
  /** The family registry the model was checked against (sprig's built-in one). */
  readonly registry: Registry;
}

/**
 * Reads and parses a model file against the default family registry. With `data`, loops that
 * need the data are unrolled and the data are checked against the declarations (as
 * `parseModel(text, registry, { data })`).
 *
 * @throws UsageError when the file cannot be read; ModelSyntaxError / ModelError for the model
 * @example
 * ```ts
 * const { graph } = loadModel("sprig print", io, "examples/models/kilpisjarvi.sprig");
 * ```
 */
export function loadModel(where: string, io: CliIo, file: string, data?: ModelData): LoadedModel {
  const text = readTextFile(where, io, file, "model file");
  const registry = createDefaultRegistry();
  const graph = parseModel(text, registry, data === undefined ? { file } : { file, data });
  return { file, graph, registry };
}

/**
 * The `--data` file, required: a UsageError when absent.
 *
 * @example
 * ```ts
 * const data = requiredData("sprig sample", io, args);
 * ```
 */
export function requiredData(where: string, io: CliIo, args: ParsedArgs): ModelData {
  const path = stringOption(args, "data");
  if (path === undefined) {
    throw new UsageError({
      where,
      what: "missing --data <file.json>",
      hint: "give the data as a JSON file (CmdStan's format); a model with no data takes '{}'.",
    });
  }
  return readDataFile(where, io, path);
}

/**
 * Writes a file through the I/O seam, turning a failure into a UsageError naming the file.
 *
 * @example
 * ```ts
 * writeTextFile("sprig sample", io, "draws.csv", csv);
 * ```
 */
export function writeTextFile(where: string, io: CliIo, path: string, text: string): void {
  try {
    io.writeFile(path, text);
  } catch (e) {
    const code = (e as { code?: string }).code;
    const reason = code === "ENOENT" ? "its directory does not exist" : e instanceof Error ? e.message : String(e);
    throw new UsageError({ where, what: `cannot write the output file '${path}'`, got: reason });
  }
}

/**
 * The output format implied by the `--output` file's extension.
 *
 * @throws UsageError for any other extension
 * @example
 * ```ts
 * outputFormat("sprig sample", "run/draws.csv"); // "csv"
 * ```
 */
export function outputFormat(where: string, path: string): "csv" | "json" {
  const lower = path.toLowerCase();
  if (lower.endsWith(".csv")) return "csv";
  if (lower.endsWith(".json")) return "json";
  throw new UsageError({
    where,
    what: "cannot tell the output format from the file name",
    got: `'${path}'`,
    expected: "a name ending in .csv (Stan CSV) or .json (InferenceData JSON)",
  });
}

/**
 * Renders rows as a text table, columns two spaces apart: numbers right-aligned after a
 * left-aligned first column (`align: "numbers"`, the default), or every column left-aligned.
 *
 * @example
 * ```ts
 * formatTable(["", "Mean"], [["mu", "4.4"]]); // "    Mean\nmu   4.4"
 * ```
 */
export function formatTable(
  titles: readonly string[],
  rows: readonly (readonly string[])[],
  align: "numbers" | "left" = "numbers",
): string {
  const widths = titles.map((t, k) => Math.max(t.length, ...rows.map((row) => (row[k] ?? "").length)));
  const render = (cells: readonly string[]) =>
    cells
      .map((cell, k) => (k === 0 || align === "left" ? cell.padEnd(widths[k]!) : cell.padStart(widths[k]!)))
      .join("  ")
      .trimEnd();
  return [render(titles), ...rows.map(render)].join("\n");
}

/**
 * A number with three significant digits, exponent form for very large or small magnitudes (the
 * format of the NUTS summary table).
 *
 * @example
 * ```ts
 * formatNumber(3.14159); // "3.14"
 * ```
 */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return "0";
  const a = Math.abs(x);
  if (a >= 1e5 || a < 1e-3) return x.toExponential(2);
  return x.toPrecision(3);
}

/**
 * Display names of a variable's elements, Stan style and row-major: `tau`, `beta[1]`,
 * `Sigma[1,2]`.
 *
 * @example
 * ```ts
 * elementNames("beta", [2]); // ["beta[1]", "beta[2]"]
 * ```
 */
export function elementNames(name: string, shape: readonly number[]): string[] {
  if (shape.length === 0) return [name];
  const size = shape.reduce((a, b) => a * b, 1);
  const names: string[] = [];
  for (let k = 0; k < size; k++) {
    const index: number[] = new Array(shape.length);
    let rest = k;
    for (let a = shape.length - 1; a >= 0; a--) {
      index[a] = (rest % shape[a]!) + 1;
      rest = Math.floor(rest / shape[a]!);
    }
    names.push(`${name}[${index.join(",")}]`);
  }
  return names;
}

/**
 * A list of names cut to `max` entries, with a count of the rest.
 *
 * @example
 * ```ts
 * listNames(["a", "b", "c"], 2); // "a, b and 1 more"
 * ```
 */
export function listNames(names: readonly string[], max = 8): string {
  if (names.length <= max) return names.join(", ");
  return `${names.slice(0, max).join(", ")} and ${names.length - max} more`;
}
