/**
 * `sprig sbl model.sprig --data data.json [...]`: EM-SBL through the model route (`fitEm`):
 * detects the model's sparse linear-Gaussian block, runs evidence maximisation and prints the
 * kept support with the posterior of the coefficients, the estimated hyper-parameters and the log
 * evidence; `--output fit.json` writes all of it.
 * @module cli/sbl
 */
import { compile, em, type runtime } from "../index.js";
import {
  type CommandSpec,
  choiceOption,
  defineCommand,
  elementNames,
  EXIT_OK,
  formatNumber,
  formatTable,
  integerOption,
  listNames,
  loadModel,
  numberOption,
  onePositional,
  outputFormat,
  type ParsedArgs,
  requiredData,
  stringOption,
  UsageError,
  writeTextFile,
} from "./shared.js";

/** Every EM-SBL algorithm; `fitEm` refuses the ones that do not fit the detected prior. */
const ALGORITHMS: readonly em.SblAlgorithm[] = ["em", "tipping_faul", "krosbl_am", "krosbl_svd", "bsbl", "pc_sbl"];

/**
 * The `sbl` command's options and help text.
 *
 * @example
 * ```ts
 * process.stdout.write(formatHelp(SBL_SPEC));
 * ```
 */
export const SBL_SPEC: CommandSpec = {
  name: "sbl",
  usage: "sprig sbl <model.sprig> --data <data.json> [options]",
  summary: "Fit a sparse linear-Gaussian model by EM-SBL (evidence maximisation); print support and hypers.",
  description:
    "The model must have one observation y ~ normal(A * x [+ offset], s) with a sparse prior on x\n" +
    "(ard, block_ard, kronecker_ard, pattern_coupled, student_t_mixture): 'sprig check --data'\n" +
    "says whether it does. Prints the kept coefficients with their posterior mean and sd, the\n" +
    "estimated hyper-parameters (type-II maximum likelihood; Infinity = pruned) and the log\n" +
    "evidence; --output fit.json writes them with the evidence trace. See docs/em-sbl.md.",
  options: {
    data: { type: "string", value: "file", help: "data as JSON (CmdStan's format), required" },
    algorithm: {
      type: "string",
      value: "name",
      help: `${ALGORITHMS.join("|")} (default: the first that fits the prior)`,
    },
    "max-iter": { type: "string", value: "n", help: "iteration cap (default 500; 2000 for tipping_faul)" },
    tol: { type: "string", value: "x", help: "relative-change tolerance of the stopping rule", default: "1e-6" },
    "stop-on": { type: "string", value: "gamma|evidence", help: "what the tolerance applies to", default: "gamma" },
    prune: {
      type: "string",
      value: "x",
      help: "prune hyper-parameters below x · max, in [0, 1) (default 1e-3; 1e-2 for krosbl_am)",
    },
    update: { type: "string", value: "em|mackay", help: "dense ARD update rule", default: "em" },
    output: { type: "string", value: "file", help: "write the fit as <name>.json" },
  },
  examples: [
    "sprig sbl sparse_regression.sprig --data data.json",
    "sprig sbl model.sprig --data data.json --algorithm tipping_faul --output fit.json",
  ],
};

/**
 * Runs `sprig sbl`.
 *
 * @example
 * ```ts
 * const code = await sblCommand(["ard.sprig", "--data", "d.json"], nodeIo());
 * ```
 */
export const sblCommand = defineCommand(SBL_SPEC, async (args, io) => {
  const where = "sprig sbl";
  const file = onePositional(where, args, "<model.sprig>");
  const options = readOptions(where, args);
  const outputPath = stringOption(args, "output");
  if (outputPath !== undefined && outputFormat(where, outputPath) !== "json") {
    throw new UsageError({
      where,
      what: "the EM-SBL fit is written as JSON",
      got: `'${outputPath}'`,
      expected: "a .json file",
    });
  }
  const data = requiredData(where, io, args);
  const { graph, registry } = loadModel(where, io, file, data);
  const model = compile(graph, data, registry);
  if (outputPath !== undefined) writeTextFile(where, io, outputPath, "");
  const fit = em.fitEm(model, data, options);
  io.stdout.write(`${report(fit)}\n`);
  if (outputPath !== undefined) {
    writeTextFile(where, io, outputPath, `${JSON.stringify(toJson(fit, model.name, file))}\n`);
    io.stderr.write(`sprig sbl: wrote ${outputPath}\n`);
  }
  return EXIT_OK;
});

function readOptions(where: string, args: ParsedArgs): em.FitEmOptions {
  const algorithm = choiceOption(where, args, "algorithm", ALGORITHMS);
  const maxIterations =
    stringOption(args, "max-iter") === undefined ? undefined : integerOption(where, args, "max-iter", 1, 1);
  const prune = numberOption(where, args, "prune", (x) => x >= 0 && x < 1, "a number in [0, 1)");
  const tolerance = numberOption(where, args, "tol", (x) => x > 0, "a positive number");
  const stopOn = choiceOption(where, args, "stop-on", ["gamma", "evidence"] as const);
  const update = choiceOption(where, args, "update", ["em", "mackay"] as const);
  // Only what was given: the backend's defaults depend on the algorithm.
  return {
    ...(algorithm !== undefined ? { algorithm } : {}),
    ...(maxIterations !== undefined ? { maxIterations } : {}),
    ...(prune !== undefined ? { pruneThreshold: prune } : {}),
    ...(tolerance !== undefined ? { tolerance } : {}),
    ...(stopOn !== undefined ? { stopOn } : {}),
    ...(update !== undefined ? { update } : {}),
  };
}

function valueText(value: runtime.Value): string {
  if (typeof value === "number") return formatNumber(value);
  const shown = Array.from(value.slice(0, 8), formatNumber).join(", ");
  return `[${shown}${value.length > 8 ? `, … (${value.length} values)` : ""}]`;
}

function report(fit: em.EmFit): string {
  const plan = fit.plan;
  const x = plan.coefficients;
  const mean = fit.mean[x]!;
  const sd = fit.sd[x]!;
  const names = elementNames(x, [mean.length]);
  const evidence = fit.logEvidence[fit.logEvidence.length - 1]!;
  const kept = Array.from(fit.support);
  const lines = [
    `sprig EM-SBL (${fit.algorithm}): ${plan.summary}`,
    `${fit.converged ? "converged" : "stopped at the iteration cap"} after ${fit.iterations} iterations, ${fit.timeSeconds.toFixed(2)} s`,
    `log evidence ${evidence.toPrecision(8)}; noise variance ${formatNumber(fit.noiseVariance)}`,
    `support: ${kept.length} of ${mean.length} coefficients kept${
      kept.length > 0
        ? `: ${listNames(
            kept.map((i) => names[i]!),
            12,
          )}`
        : ""
    }`,
  ];
  // Per-coefficient hyper-parameters (ARD precisions) join the table; the rest are listed.
  const perCoefficient = Object.entries({ ...fit.hypers, ...fit.modes }).filter(
    ([, v]) => typeof v !== "number" && v.length === mean.length,
  );
  if (kept.length > 0) {
    const titles = ["", "Mean", "StdDev", ...perCoefficient.map(([name]) => name)];
    const rows = kept.map((i) => [
      names[i]!,
      formatNumber(mean[i]!),
      formatNumber(sd[i]!),
      ...perCoefficient.map(([, v]) => formatNumber((v as Float64Array)[i]!)),
    ]);
    lines.push("", formatTable(titles, rows));
  }
  const others = (record: Readonly<Record<string, runtime.Value>>) =>
    Object.entries(record).filter(([name]) => !perCoefficient.some(([n]) => n === name));
  const hypers = others(fit.hypers);
  const modes = others(fit.modes);
  if (hypers.length > 0) {
    lines.push(
      "",
      "hyper-parameters (type-II maximum likelihood):",
      ...hypers.map(([k, v]) => `  ${k} = ${valueText(v)}`),
    );
  }
  if (modes.length > 0) {
    lines.push("", "posterior modes:", ...modes.map(([k, v]) => `  ${k} = ${valueText(v)}`));
  }
  if (fit.warnings.length > 0) lines.push("", ...fit.warnings.map((w) => `Warning: ${w}`));
  return lines.join("\n");
}

/** Infinity (a pruned precision) has no JSON form; it is written as the string "Infinity". */
function jsonValue(value: runtime.Value): unknown {
  const one = (x: number) => (Number.isFinite(x) ? x : Number.isNaN(x) ? null : x > 0 ? "Infinity" : "-Infinity");
  return typeof value === "number" ? one(value) : Array.from(value, one);
}

function toJson(fit: em.EmFit, name: string, file: string): Record<string, unknown> {
  const record = (r: Readonly<Record<string, runtime.Value>>) =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, jsonValue(v)]));
  return {
    model: name,
    model_file: file,
    algorithm: fit.algorithm,
    summary: fit.plan.summary,
    coefficients: fit.plan.coefficients,
    mean: record(fit.mean),
    sd: record(fit.sd),
    hypers: record(fit.hypers),
    modes: record(fit.modes),
    support: Array.from(fit.support, (i) => i + 1),
    noise_variance: fit.noiseVariance,
    log_evidence: Array.from(fit.logEvidence),
    iterations: fit.iterations,
    converged: fit.converged,
    warnings: fit.warnings,
  };
}
