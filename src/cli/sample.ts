/**
 * `sprig sample model.sprig --data data.json [...]`: NUTS with Stan's warm-up (the `sample`
 * driver), the Stan-style summary table and diagnostic warnings on stdout, and the draws as Stan
 * CSV (one file per chain, as CmdStan) or ArviZ InferenceData JSON.
 * @module cli/sample
 */
import { type ModelData, type ModelGraph, mcmc, sample, summary } from "../index.js";
import {
  type CliIo,
  type CommandSpec,
  choiceOption,
  defineCommand,
  EXIT_OK,
  integerOption,
  loadModel,
  numberOption,
  onePositional,
  outputFormat,
  type ParsedArgs,
  requiredData,
  seedOption,
  stringOption,
  UsageError,
  writeTextFile,
} from "./shared.js";

/**
 * The `sample` command's options and help text.
 *
 * @example
 * ```ts
 * process.stdout.write(formatHelp(SAMPLE_SPEC));
 * ```
 */
export const SAMPLE_SPEC: CommandSpec = {
  name: "sample",
  usage: "sprig sample <model.sprig> --data <data.json> [options]",
  summary: "Sample the posterior with NUTS (Stan's warm-up); print the summary and diagnostics.",
  description:
    "Prints Stan's summary table (mean, MCSE, sd, quantiles, bulk/tail ESS, R-hat) and the\n" +
    "diagnostic warnings (divergences, tree depth, E-BFMI, R-hat, ESS) on stdout. With --output\n" +
    "x.csv each chain is written as a Stan CSV file (x_1.csv, x_2.csv, … when there are several\n" +
    "chains, as CmdStan does); with --output x.json all chains go to one ArviZ InferenceData JSON\n" +
    "file (az.from_dict(**json.load(f))). Progress is drawn on stderr when it is a terminal.",
  options: {
    data: { type: "string", value: "file", help: "data as JSON (CmdStan's format), required" },
    chains: { type: "string", value: "n", help: "number of chains", default: "4" },
    warmup: { type: "string", value: "n", help: "warm-up iterations per chain (not kept)", default: "1000" },
    samples: { type: "string", value: "n", help: "kept draws per chain", default: "1000" },
    seed: { type: "string", value: "n", help: "random seed; chain i uses stream '<seed>/<i>'", default: "0" },
    workers: {
      type: "string",
      value: "n|auto",
      help: "worker threads for the chains; 'auto' = one per core (same draws either way)",
      default: "1",
    },
    metric: { type: "string", value: "diag|dense|unit", help: "inverse mass matrix to adapt", default: "diag" },
    "adapt-delta": { type: "string", value: "x", help: "target acceptance statistic, in (0, 1)", default: "0.8" },
    "max-depth": { type: "string", value: "n", help: "maximum tree depth", default: "10" },
    "init-radius": {
      type: "string",
      value: "x",
      help: "initial points uniform(-x, x) on the unconstrained scale",
      default: "2",
    },
    output: {
      type: "string",
      value: "file",
      help: "write the draws: <name>.csv (Stan CSV) or <name>.json (InferenceData)",
    },
    "sig-figs": { type: "string", value: "n", help: "significant digits in the CSV (default: full precision)" },
    predictive: {
      type: "boolean",
      help: "with a .json output, add posterior_predictive and observed_data groups",
    },
  },
  examples: [
    "sprig sample examples/models/eight_schools_noncentered.sprig --data eight_schools.json",
    "sprig sample model.sprig --data data.json --chains 4 --workers auto --output fit.csv",
    "sprig sample model.sprig --data data.json --adapt-delta 0.95 --output fit.json --predictive",
  ],
};

/** The parsed and checked options of one run. */
interface SampleRun {
  readonly options: mcmc.SampleOptions;
  readonly output?: { readonly format: "csv" | "json"; readonly paths: readonly string[] };
  readonly sigFigs?: number;
  readonly predictive: boolean;
}

/**
 * Runs `sprig sample`.
 *
 * @example
 * ```ts
 * const code = await sampleCommand(["m.sprig", "--data", "d.json", "--chains", "2"], nodeIo());
 * ```
 */
export const sampleCommand = defineCommand(SAMPLE_SPEC, async (args, io) => {
  const where = "sprig sample";
  const file = onePositional(where, args, "<model.sprig>");
  const run = readOptions(where, args, io);
  const data = requiredData(where, io, args);
  const { graph } = loadModel(where, io, file, data);
  // CmdStan opens its output files before sampling; so does this, so a bad path fails at once
  // and not after the run.
  for (const path of run.output?.paths ?? []) writeTextFile(where, io, path, "");
  const result = await sample(graph, data, run.options);
  // The progress bar ends on its own line with the cursor at its start: erase it, so the
  // summary does not print over it.
  if (io.stderr.isTTY === true) io.stderr.write("\r\u001b[2K");
  io.stdout.write(`${summary(result)}\n`);
  if (run.output !== undefined) {
    await writeDraws(where, io, result, graph, data, file, run);
    io.stderr.write(`sprig sample: wrote ${run.output.paths.join(", ")}\n`);
  }
  return EXIT_OK;
});

function readOptions(where: string, args: ParsedArgs, io: CliIo): SampleRun {
  const numChains = integerOption(where, args, "chains", 1, 4);
  const rawWorkers = stringOption(args, "workers");
  const workers = rawWorkers === "auto" ? "auto" : integerOption(where, args, "workers", 1, 1);
  const options: mcmc.SampleOptions = {
    numChains,
    numWarmup: integerOption(where, args, "warmup", 0, 1000),
    numSamples: integerOption(where, args, "samples", 1, 1000),
    seed: seedOption(where, args, 0),
    workers,
    metric: choiceOption(where, args, "metric", ["diag", "dense", "unit"] as const, "diag"),
    targetAcceptRate: numberOption(where, args, "adapt-delta", (x) => x > 0 && x < 1, "a number in (0, 1)", 0.8),
    maxTreeDepth: integerOption(where, args, "max-depth", 1, 10),
    initRadius: numberOption(where, args, "init-radius", (x) => x >= 0, "a non-negative number", 2),
    progress: io.stderr.isTTY === true ? io.stderr : false,
  };
  const sigFigs =
    stringOption(args, "sig-figs") === undefined ? undefined : integerOption(where, args, "sig-figs", 1, 0);
  if (sigFigs !== undefined && sigFigs > 17) {
    throw new UsageError({ where, what: "--sig-figs must be at most 17", got: String(sigFigs) });
  }
  const predictive = args.values.predictive === true;
  const path = stringOption(args, "output");
  if (path === undefined) {
    if (predictive || sigFigs !== undefined) {
      throw new UsageError({
        where,
        what: `${predictive ? "--predictive" : "--sig-figs"} needs --output`,
        hint: "add --output draws.json (or draws.csv for --sig-figs).",
      });
    }
    return { options, predictive };
  }
  const format = outputFormat(where, path);
  if (predictive && format !== "json") {
    throw new UsageError({
      where,
      what: "--predictive needs a .json output (the InferenceData groups)",
      got: `'${path}'`,
    });
  }
  const paths =
    format === "json" || numChains === 1
      ? [path]
      : Array.from({ length: numChains }, (_, c) => path.replace(/\.csv$/i, `_${c + 1}.csv`));
  return { options, output: { format, paths }, ...(sigFigs !== undefined ? { sigFigs } : {}), predictive };
}

async function writeDraws(
  where: string,
  io: CliIo,
  result: mcmc.McmcResult,
  graph: ModelGraph,
  data: ModelData,
  file: string,
  run: SampleRun,
): Promise<void> {
  const output = run.output!;
  if (output.format === "csv") {
    output.paths.forEach((path, c) => {
      const csv = mcmc.toStanCsv(result, c, {
        modelName: graph.name,
        ...(run.sigFigs !== undefined ? { significantDigits: run.sigFigs } : {}),
      });
      writeTextFile(where, io, path, csv);
    });
    return;
  }
  const base = mcmc.toInferenceData(result);
  const idata: Record<string, unknown> = { ...base, attrs: { ...base.attrs, model: graph.name, model_file: file } };
  if (run.predictive) {
    const ppc = await mcmc.posteriorPredictive(result, graph, data, { seed: `${result.seed}/predictive` });
    const groups: Record<string, unknown> = {};
    const observed: Record<string, unknown> = {};
    for (const name of ppc.names) {
      const shape = ppc.shapes[name]!;
      const size = shape.reduce((a, b) => a * b, 1);
      groups[name] = ppc.draws[name]!.map((chain) =>
        Array.from({ length: ppc.numSamples }, (_, i) => nest(chain, i * size, shape, 0)),
      );
      observed[name] = data[name];
    }
    idata.posterior_predictive = groups;
    idata.observed_data = observed;
  }
  writeTextFile(where, io, output.paths[0]!, `${JSON.stringify(idata)}\n`);
}

/** Row-major values at `offset` as nested arrays of `shape` (null for non-finite values, as JSON has no NaN). */
function nest(flat: Float64Array, offset: number, shape: readonly number[], axis: number): unknown {
  if (axis === shape.length) {
    const x = flat[offset]!;
    return Number.isFinite(x) ? x : null;
  }
  let stride = 1;
  for (let a = axis + 1; a < shape.length; a++) stride *= shape[a]!;
  return Array.from({ length: shape[axis]! }, (_, i) => nest(flat, offset + i * stride, shape, axis + 1));
}
