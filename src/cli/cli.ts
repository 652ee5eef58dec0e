/**
 * The `sprig` command line: dispatches to one command per subcommand and answers `--help`,
 * `--version` and `help <command>`. Every command is a function `(argv, io) => exit code`, so
 * the whole CLI runs in-process under tests.
 * @module cli
 */
import { readFileSync } from "node:fs";
import { CHECK_SPEC, checkCommand } from "./check.js";
import { PRINT_SPEC, printCommand } from "./print.js";
import { SAMPLE_SPEC, sampleCommand } from "./sample.js";
import { SBL_SPEC, sblCommand } from "./sbl.js";
import {
  type CliIo,
  type Command,
  type CommandSpec,
  EXIT_OK,
  EXIT_USAGE,
  formatHelp,
  runGuarded,
  UsageError,
} from "./shared.js";
import { closestName } from "../ir/suggest.js";
import { VI_SPEC, viCommand } from "./vi.js";

/** Every command, in the order `sprig --help` lists them. */
const COMMANDS: readonly (readonly [CommandSpec, Command])[] = [
  [CHECK_SPEC, checkCommand],
  [PRINT_SPEC, printCommand],
  [SAMPLE_SPEC, sampleCommand],
  [VI_SPEC, viCommand],
  [SBL_SPEC, sblCommand],
];

/**
 * The version in sprig's package.json (two folders up from this module in `src/cli` and in
 * `dist/cli` alike).
 *
 * @example
 * ```ts
 * cliVersion(); // "0.1.0"
 * ```
 */
export function cliVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version?: unknown };
  return typeof pkg.version === "string" ? pkg.version : "unknown";
}

/**
 * The top-level help: usage, commands, global options, exit codes.
 *
 * @example
 * ```ts
 * process.stdout.write(mainHelp());
 * ```
 */
export function mainHelp(): string {
  const width = Math.max(...COMMANDS.map(([s]) => s.name.length));
  return [
    "Usage: sprig <command> [options]",
    "",
    "sprig runs models written in the sprig model language (a Stan-like language with sparse",
    "priors): check and print them, sample them with NUTS, fit them with ADVI or EM-SBL.",
    "",
    "Commands:",
    ...COMMANDS.map(([s]) => `  ${s.name.padEnd(width)}  ${s.summary}`),
    "",
    "Options:",
    "  -h, --help     show this help (or 'sprig <command> --help' for a command's)",
    "      --version  print sprig's version",
    "",
    "Exit codes: 0 success, 1 model, data or run error, 2 bad usage (unknown flag, bad value,",
    "unreadable file). Set SPRIG_DEBUG=1 to see stack traces.",
    "",
  ].join("\n");
}

/**
 * Runs the CLI on `argv` (the arguments after the program name) and resolves to the exit code.
 *
 * @example
 * ```ts
 * process.exitCode = await runCli(process.argv.slice(2), nodeIo());
 * ```
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    io.stderr.write(mainHelp());
    return EXIT_USAGE;
  }
  if (first === "--help" || first === "-h") {
    io.stdout.write(mainHelp());
    return EXIT_OK;
  }
  if (first === "--version") {
    return runGuarded(io, async () => {
      io.stdout.write(`sprig ${cliVersion()}\n`);
      return EXIT_OK;
    });
  }
  if (first === "help") {
    const topic = rest[0];
    if (topic === undefined) {
      io.stdout.write(mainHelp());
      return EXIT_OK;
    }
    return runGuarded(io, async () => {
      io.stdout.write(formatHelp(findCommand(topic)[0]));
      return EXIT_OK;
    });
  }
  return runGuarded(io, () => findCommand(first)[1](rest, io));
}

/** The command named `name`, or a UsageError with a "did you mean" hint. */
function findCommand(name: string): readonly [CommandSpec, Command] {
  const entry = COMMANDS.find(([s]) => s.name === name);
  if (entry !== undefined) return entry;
  const names = COMMANDS.map(([s]) => s.name);
  const isFlag = name.startsWith("-");
  const best = isFlag ? undefined : closestName(name, names);
  throw new UsageError({
    where: "sprig",
    what: isFlag ? "unknown option" : "unknown command",
    got: `'${name}'`,
    hint: best !== undefined ? `did you mean '${best}'?` : `commands: ${names.join(", ")}; see 'sprig --help'.`,
  });
}
