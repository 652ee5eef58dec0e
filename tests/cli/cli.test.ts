import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/cli.js";
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, runGuarded } from "../../src/cli/shared.js";
import { REPO_ROOT } from "../helpers/shared.js";
import { memoryIo } from "./memory_io.js";

const MODEL = "examples/models/eight_schools_noncentered.sprig";

describe("sprig: top level", () => {
  it("--version prints the version of package.json", async () => {
    const io = memoryIo();
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { version: string };
    expect(await runCli(["--version"], io)).toBe(EXIT_OK);
    expect(io.out()).toBe(`sprig ${pkg.version}\n`);
  });

  it("--help lists every command; no arguments prints it on stderr with exit code 2", async () => {
    const io = memoryIo();
    expect(await runCli(["--help"], io)).toBe(EXIT_OK);
    for (const command of ["check", "print", "sample", "vi", "sbl"])
      expect(io.out()).toMatch(new RegExp(`\\n  ${command} `));
    expect(io.out()).toContain("Exit codes");
    const bare = memoryIo();
    expect(await runCli([], bare)).toBe(EXIT_USAGE);
    expect(bare.out()).toBe("");
    expect(bare.err()).toContain("Usage: sprig <command>");
  });

  it("<command> --help and help <command> print the same help, with every flag", async () => {
    const flags: Record<string, string[]> = {
      check: ["--data"],
      print: ["--json", "--data"],
      sample: [
        "--chains",
        "--warmup",
        "--samples",
        "--seed",
        "--workers",
        "--metric",
        "--adapt-delta",
        "--max-depth",
        "--output",
      ],
      vi: ["--method", "--rank", "--draws", "--seed", "--output", "--psis-resample"],
      sbl: ["--algorithm", "--max-iter", "--tol", "--prune", "--output"],
    };
    for (const [command, expected] of Object.entries(flags)) {
      const a = memoryIo();
      const b = memoryIo();
      expect(await runCli([command, "--help"], a)).toBe(EXIT_OK);
      expect(await runCli(["help", command], b)).toBe(EXIT_OK);
      expect(a.out()).toBe(b.out());
      expect(a.out()).toContain(`Usage: sprig ${command} `);
      for (const flag of expected) expect(a.out()).toContain(flag);
    }
  });

  it("an unknown command is a usage error with a suggestion", async () => {
    const io = memoryIo();
    expect(await runCli(["smaple", MODEL], io)).toBe(EXIT_USAGE);
    expect(io.err()).toBe("sprig: unknown command — got 'smaple'. Hint: did you mean 'sample'?\n");
    const flag = memoryIo();
    expect(await runCli(["--bogus"], flag)).toBe(EXIT_USAGE);
    expect(flag.err()).toMatch(/^sprig: unknown option — got '--bogus'/);
  });
});

describe("sprig: bad usage is one line on stderr and exit code 2", () => {
  const data = "d.json";
  const files = {
    [data]: JSON.stringify({ J: 8, y: [28, 8, -3, 7, -1, 1, 18, 12], sigma: [15, 10, 16, 11, 9, 11, 10, 18] }),
  };
  const cases: [string[], RegExp][] = [
    [
      ["sample", MODEL, "--data", data, "--chain", "2"],
      /^sprig sample: unknown option — got '--chain'\. Hint: did you mean '--chains'\?$/,
    ],
    [
      ["sample", MODEL, "--data", data, "--chains", "2.5"],
      /^sprig sample: --chains must be an integer — got '2\.5', expected a positive integer\.$/,
    ],
    [["sample", MODEL, "--data", data, "--chains", "0"], /--chains must be an integer — got '0'/],
    [
      ["sample", MODEL, "--data", data, "--warmup=-5"],
      /--warmup must be an integer — got '-5', expected a non-negative integer/,
    ],
    [["sample", MODEL, "--data", data, "--chains"], /^sprig sample: option --chains needs a value/],
    [
      ["sample", MODEL, "--data", data, "--seed", "-1"],
      /option --seed needs a value.*--seed=<value> when the value starts with '-'/,
    ],
    [
      ["sample", MODEL, "--data", data, "--metric", "dens"],
      /bad value for --metric — got 'dens', expected 'diag', 'dense', 'unit'\. Hint: did you mean 'dense'\?/,
    ],
    [
      ["sample", MODEL, "--data", data, "--adapt-delta", "1"],
      /bad value for --adapt-delta — got '1', expected a number in \(0, 1\)/,
    ],
    [["sample", MODEL, "--data", data, "--workers", "many"], /--workers must be an integer — got 'many'/],
    [["sample", MODEL, "--data", data, "--seed", "x"], /--seed must be an integer/],
    [["sample", MODEL], /^sprig sample: missing --data <file\.json>/],
    [["sample", "--data", data], /^sprig sample: missing <model\.sprig>/],
    [["check", MODEL, "other.sprig"], /^sprig check: expected one <model\.sprig> — got/],
    [["check", "missing.sprig"], /^sprig check: cannot read the model file 'missing\.sprig' — got no such file\.$/],
    [["check", MODEL, "--data", "missing.json"], /cannot read the data file 'missing\.json' — got no such file/],
    [["print", MODEL, "--json=yes"], /option --json is a flag and takes no value/],
    [["vi", MODEL, "--data", data, "--method", "lowrank"], /--method lowrank needs --rank <r>/],
    [["vi", MODEL, "--data", data, "--rank", "2"], /--rank applies to --method lowrank only/],
    [["vi", MODEL, "--data", data, "--eta=-1"], /bad value for --eta — got '-1', expected a positive number/],
    [["sbl", MODEL, "--data", data, "--algorithm", "krosbl"], /bad value for --algorithm — got 'krosbl'/],
    [["sbl", MODEL, "--data", data, "--output", "fit.csv"], /the EM-SBL fit is written as JSON/],
  ];
  for (const [argv, message] of cases) {
    it(argv.slice(0, 1).concat(argv.slice(2)).join(" "), async () => {
      const io = memoryIo(files);
      expect(await runCli(argv, io)).toBe(EXIT_USAGE);
      expect(io.out()).toBe("");
      expect(io.err().trimEnd()).toMatch(message);
      expect(io.err().trimEnd().split("\n")).toHaveLength(1);
    });
  }
});

describe("sprig: data files", () => {
  it("reports invalid JSON with its location, a non-object, and data that do not fit the model", async () => {
    const bad = memoryIo({ "d.json": '{\n  "J": 8,\n  "y": [1, 2,\n' });
    expect(await runCli(["check", MODEL, "--data", "d.json"], bad)).toBe(EXIT_USAGE);
    expect(bad.err()).toMatch(/^d\.json(:\d+:\d+)?: the data file is not valid JSON — got /);
    const array = memoryIo({ "d.json": "[1, 2]" });
    expect(await runCli(["check", MODEL, "--data", "d.json"], array)).toBe(EXIT_USAGE);
    expect(array.err()).toContain("d.json: the data file must hold a JSON object — got an array");
    // Valid JSON that does not fit the declarations is a model/data error: exit code 1, located.
    const short = memoryIo({ "d.json": JSON.stringify({ J: 8, y: [1, 2], sigma: [1, 1, 1, 1, 1, 1, 1, 1] }) });
    expect(await runCli(["check", MODEL, "--data", "d.json"], short)).toBe(EXIT_FAILURE);
    expect(short.err()).toContain("data 'y'");
    expect(short.err()).toContain("expected 8");
  });
});

describe("sprig: unexpected errors", () => {
  it("are one line without a stack trace, and the stack with SPRIG_DEBUG=1", async () => {
    const boom = async (): Promise<number> => {
      throw new TypeError("x is not a function");
    };
    const quiet = memoryIo();
    expect(await runGuarded(quiet, boom)).toBe(EXIT_FAILURE);
    expect(quiet.err()).toBe(
      "sprig: internal error: x is not a function. Hint: rerun with SPRIG_DEBUG=1 for the stack trace, and please report it.\n",
    );
    const debug = memoryIo({}, { SPRIG_DEBUG: "1" });
    expect(await runGuarded(debug, boom)).toBe(EXIT_FAILURE);
    expect(debug.err()).toMatch(/TypeError: x is not a function\n\s+at /);
  });
});
