/**
 * `sprig vi model.sprig --data data.json [...]`: ADVI (`fitAdvi`) with mean-field, full-rank or
 * low-rank Gaussian families; prints the fit's diagnostics (stop reason, ELBO, Pareto k̂) and a
 * table of the approximate posterior, and writes the draws as CmdStan's variational CSV or as
 * InferenceData-shaped JSON.
 * @module cli/vi
 */
import { type CompiledModel, compile, diagnostics, mcmc, vi } from "../index.js";
import {
  type CommandSpec,
  choiceOption,
  defineCommand,
  elementNames,
  EXIT_OK,
  formatNumber,
  formatTable,
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
 * The `vi` command's options and help text.
 *
 * @example
 * ```ts
 * process.stdout.write(formatHelp(VI_SPEC));
 * ```
 */
export const VI_SPEC: CommandSpec = {
  name: "vi",
  usage: "sprig vi <model.sprig> --data <data.json> [options]",
  summary: "Fit a Gaussian approximation of the posterior with ADVI; print its summary and Pareto k̂.",
  description:
    "ADVI on the unconstrained scale with Stan's relative-ELBO stopping rule, started from a short\n" +
    "L-BFGS path (see docs/vi.md). Pareto k̂ says whether to trust the result: below 0.5 good,\n" +
    "0.5-0.7 usable with --psis-resample, above 0.7 use NUTS. With --output x.csv the draws are\n" +
    "written in CmdStan's variational CSV layout (first row: the mean); x.json holds\n" +
    "InferenceData-shaped JSON with one chain.",
  options: {
    data: { type: "string", value: "file", help: "data as JSON (CmdStan's format), required" },
    method: {
      type: "string",
      value: "meanfield|fullrank|lowrank",
      help: "Gaussian family of the approximation",
      default: "meanfield",
    },
    rank: { type: "string", value: "r", help: "rank of the low-rank factor (--method lowrank only)" },
    seed: { type: "string", value: "n", help: "random seed", default: "0" },
    iter: { type: "string", value: "n", help: "maximum optimisation iterations", default: "10000" },
    "grad-samples": { type: "string", value: "n", help: "Monte Carlo draws per gradient", default: "4" },
    "elbo-samples": { type: "string", value: "n", help: "draws per ELBO evaluation", default: "100" },
    "eval-elbo": { type: "string", value: "n", help: "evaluate the ELBO every n iterations", default: "100" },
    eta: { type: "string", value: "x", help: "Adam step size (default: adapted over a grid, as Stan)" },
    "tol-rel-obj": { type: "string", value: "x", help: "relative ELBO change tolerance", default: "0.01" },
    init: { type: "string", value: "lbfgs|curvature|unit", help: "how q starts", default: "lbfgs" },
    draws: { type: "string", value: "n", help: "draws from q for the summary, k̂ and the output", default: "1000" },
    "psis-resample": { type: "boolean", help: "report and write PSIS-resampled draws instead of q's own" },
    output: { type: "string", value: "file", help: "write the draws: <name>.csv (CmdStan variational CSV) or .json" },
  },
  examples: [
    "sprig vi examples/models/kidiq_momhsiq.sprig --data kidiq.json --method fullrank",
    "sprig vi model.sprig --data data.json --draws 4000 --output approx.csv",
  ],
};

/**
 * Runs `sprig vi`.
 *
 * @example
 * ```ts
 * const code = await viCommand(["m.sprig", "--data", "d.json", "--method", "fullrank"], nodeIo());
 * ```
 */
export const viCommand = defineCommand(VI_SPEC, async (args, io) => {
  const where = "sprig vi";
  const file = onePositional(where, args, "<model.sprig>");
  const options = readOptions(where, args);
  const resample = args.values["psis-resample"] === true;
  const outputPath = stringOption(args, "output");
  const format = outputPath === undefined ? undefined : outputFormat(where, outputPath);
  const data = requiredData(where, io, args);
  const { graph, registry } = loadModel(where, io, file, data);
  const model = compile(graph, data, registry);
  if (outputPath !== undefined) writeTextFile(where, io, outputPath, "");
  const fit = vi.fitAdvi(model, { ...options, importanceResampling: resample });
  const draws = resample ? (fit.resampledDraws ?? fit.draws) : fit.draws;
  const warnings = [...fit.warnings];
  if (resample && fit.resampledDraws === undefined) {
    warnings.push("sprig vi: PSIS resampling was not possible (no finite importance weight); q's own draws are shown.");
  }
  const table = drawTable(model, draws);
  io.stdout.write(`${report(fit, options, resample && fit.resampledDraws !== undefined, table, warnings)}\n`);
  if (outputPath !== undefined && format !== undefined) {
    const text =
      format === "csv"
        ? variationalCsv(model, fit, draws, table, options)
        : `${JSON.stringify(inferenceData(model, fit, draws, table, file))}\n`;
    writeTextFile(where, io, outputPath, text);
    io.stderr.write(`sprig vi: wrote ${outputPath}\n`);
  }
  return EXIT_OK;
});

function readOptions(where: string, args: ParsedArgs): vi.FitAdviOptions {
  const method = choiceOption(where, args, "method", ["meanfield", "fullrank", "lowrank"] as const, "meanfield");
  const rankGiven = stringOption(args, "rank") !== undefined;
  if (method !== "lowrank" && rankGiven) {
    throw new UsageError({ where, what: "--rank applies to --method lowrank only", got: `--method ${method}` });
  }
  if (method === "lowrank" && !rankGiven) {
    throw new UsageError({ where, what: "--method lowrank needs --rank <r>", hint: "e.g. --rank 3." });
  }
  const family: vi.FamilySpec =
    method === "lowrank" ? { kind: "lowrank", rank: integerOption(where, args, "rank", 1, 1) } : method;
  const eta = numberOption(where, args, "eta", (x) => x > 0, "a positive number");
  return {
    family,
    seed: seedOption(where, args, 0),
    maxIterations: integerOption(where, args, "iter", 0, 10000),
    gradSamples: integerOption(where, args, "grad-samples", 1, 4),
    elboSamples: integerOption(where, args, "elbo-samples", 2, 100),
    evalElbo: integerOption(where, args, "eval-elbo", 1, 100),
    tolRelObj: numberOption(where, args, "tol-rel-obj", (x) => x > 0, "a positive number", 0.01),
    initialization: choiceOption(where, args, "init", ["lbfgs", "curvature", "unit"] as const, "lbfgs"),
    numDraws: integerOption(where, args, "draws", 2, 1000),
    ...(eta !== undefined ? { stepSize: eta } : {}),
  };
}

/** Every reported quantity's draws: the latents' elements, then the derived quantities'. */
interface DrawTable {
  /** Display names, Stan style (`beta[2]`). */
  readonly names: readonly string[];
  /** One array of draws per name. */
  readonly columns: readonly Float64Array[];
  /** Variables (name, shape) and where their elements start in `columns`. */
  readonly variables: readonly { readonly name: string; readonly shape: readonly number[]; readonly start: number }[];
}

function drawTable(model: CompiledModel, draws: vi.VariationalDraws): DrawTable {
  const n = draws.numDraws;
  const names: string[] = [];
  const columns: Float64Array[] = [];
  const variables: { name: string; shape: readonly number[]; start: number }[] = [];
  const D = draws.constrainedDimension;
  for (const v of [...model.layout].sort((a, b) => a.constrainedOffset - b.constrainedOffset)) {
    variables.push({ name: v.name, shape: v.shape, start: columns.length });
    elementNames(v.name, v.shape).forEach((name, k) => {
      const column = new Float64Array(n);
      for (let s = 0; s < n; s++) column[s] = draws.constrained[s * D + v.constrainedOffset + k]!;
      names.push(name);
      columns.push(column);
    });
  }
  const derived = mcmc.derivedQuantities(model);
  if (derived !== undefined) {
    const rows = new Float64Array(n * derived.dimension);
    const d = draws.dimension;
    for (let s = 0; s < n; s++) {
      derived.fill(draws.unconstrained.subarray(s * d, (s + 1) * d), rows, s * derived.dimension);
    }
    for (const q of derived.layout) {
      variables.push({ name: q.name, shape: q.shape, start: columns.length });
      elementNames(q.name, q.shape).forEach((name, k) => {
        const column = new Float64Array(n);
        for (let s = 0; s < n; s++) column[s] = rows[s * derived.dimension + q.offset + k]!;
        names.push(name);
        columns.push(column);
      });
    }
  }
  return { names, columns, variables };
}

function familyName(family: vi.FamilySpec | undefined): string {
  if (family === undefined) return "meanfield";
  return typeof family === "string" ? family : `lowrank, rank ${family.rank}`;
}

function report(
  fit: vi.AdviResult,
  options: vi.FitAdviOptions,
  resampled: boolean,
  table: DrawTable,
  warnings: readonly string[],
): string {
  const stop = fit.converged
    ? `converged (${fit.stopReason} relative ELBO change below ${options.tolRelObj})`
    : `stopped: ${fit.stopReason === "maxIterations" ? "iteration limit reached" : fit.stopReason}`;
  const k = fit.paretoK;
  const verdict =
    k < 0.5
      ? "good: q is close to the posterior"
      : k < 0.7
        ? "fair: q's moments may be biased; --psis-resample corrects them"
        : "poor: do not trust q or its PSIS correction; use sample (NUTS)";
  const header = [
    `sprig ADVI (${familyName(options.family)}): ${fit.iterations} iterations, ${stop}; ${fit.timeSeconds.toFixed(2)} s`,
    `ELBO ${fit.elbo.toPrecision(6)}; step size ${fit.stepSize}${fit.stepSizeReductions > 0 ? ` after ${fit.stepSizeReductions} reduction(s)` : ""}`,
    `Pareto k̂ ${Number.isFinite(k) ? k.toFixed(2) : String(k)} (${verdict}); importance ESS ${Math.round(fit.importanceEss)} of ${options.numDraws}`,
    `${table.columns[0]?.length ?? 0} ${resampled ? "PSIS-resampled draws" : "draws from q"}:`,
    "",
  ];
  const rows = table.names.map((name, j) => {
    const column = table.columns[j]!;
    const sorted = Float64Array.from(column).sort();
    const mean = column.reduce((a, b) => a + b, 0) / column.length;
    let ss = 0;
    for (const x of column) ss += (x - mean) * (x - mean);
    const sd = Math.sqrt(ss / Math.max(1, column.length - 1));
    return [
      name,
      formatNumber(mean),
      formatNumber(sd),
      formatNumber(diagnostics.sortedQuantile(sorted, 0.05)),
      formatNumber(diagnostics.sortedQuantile(sorted, 0.5)),
      formatNumber(diagnostics.sortedQuantile(sorted, 0.95)),
    ];
  });
  const body = formatTable(["", "Mean", "StdDev", "5%", "50%", "95%"], rows);
  const footer = warnings.length === 0 ? [] : ["", ...warnings.map((w) => `Warning: ${w}`)];
  return [...header, body, ...footer].join("\n");
}

/**
 * Stan's element order for a CSV header: elements column-major (first index fastest), named
 * `beta.2`, `Sigma.1.2`; returns the names and each element's row-major index.
 */
function stanOrder(name: string, shape: readonly number[]): { names: string[]; rowMajor: number[] } {
  const size = shape.reduce((a, b) => a * b, 1);
  const names: string[] = [];
  const rowMajor: number[] = [];
  const index = new Array<number>(shape.length).fill(0);
  for (let k = 0; k < size; k++) {
    let r = 0;
    for (let a = 0; a < shape.length; a++) r = r * shape[a]! + index[a]!;
    rowMajor.push(r);
    names.push(shape.length === 0 ? name : `${name}.${index.map((i) => i + 1).join(".")}`);
    for (let a = 0; a < shape.length; a++) {
      index[a]!++;
      if (index[a]! < shape[a]!) break;
      index[a] = 0;
    }
  }
  return { names, rowMajor };
}

/** CmdStan's variational output: config comments, header, the mean row (lp__ = 0), then the draws. */
function variationalCsv(
  model: CompiledModel,
  fit: vi.AdviResult,
  draws: vi.VariationalDraws,
  table: DrawTable,
  options: vi.FitAdviOptions,
): string {
  const order: number[] = [];
  const names: string[] = [];
  for (const v of table.variables) {
    const s = stanOrder(v.name, v.shape);
    names.push(...s.names);
    order.push(...s.rowMajor.map((r) => v.start + r));
  }
  const q = fit.approximation;
  // The first row is the approximation's mean: μ mapped to the constrained scale (CmdStan's
  // convention), with its derived quantities.
  const meanValues = new Float64Array(table.columns.length);
  const constrainedMean = model.constrain(q.location);
  let j = 0;
  for (const v of [...model.layout].sort((a, b) => a.constrainedOffset - b.constrainedOffset)) {
    for (let k = 0; k < v.constrainedSize; k++) meanValues[j++] = constrainedMean[v.constrainedOffset + k]!;
  }
  const derived = mcmc.derivedQuantities(model);
  if (derived !== undefined) {
    const row = new Float64Array(derived.dimension);
    derived.fill(q.location, row, 0);
    meanValues.set(row, j);
  }
  const fmt = (x: number) => (Number.isNaN(x) ? "nan" : Number.isFinite(x) ? String(x) : x > 0 ? "inf" : "-inf");
  const lines = [
    "# stan_version_major = 2",
    "# stan_version_minor = 36",
    "# stan_version_patch = 0",
    `# model = ${model.name}`,
    "# method = variational",
    "#   variational",
    `#     algorithm = ${typeof options.family === "string" ? options.family : "lowrank"}`,
    `#     iter = ${options.maxIterations}`,
    `#     grad_samples = ${options.gradSamples}`,
    `#     elbo_samples = ${options.elboSamples}`,
    `#     eta = ${fit.stepSize}`,
    `#     tol_rel_obj = ${options.tolRelObj}`,
    `#     eval_elbo = ${options.evalElbo}`,
    `#     output_samples = ${draws.numDraws}`,
    "# random",
    `#   seed = ${options.seed}`,
    "# generator = sprig",
    ["lp__", "log_p__", "log_g__", ...names].join(","),
    "# Stepsize adaptation complete.",
    `# eta = ${fit.stepSize}`,
    ["0", "0", "0", ...order.map((k) => fmt(meanValues[k]!))].join(","),
  ];
  const d = draws.dimension;
  for (let s = 0; s < draws.numDraws; s++) {
    const theta = draws.unconstrained.subarray(s * d, (s + 1) * d);
    const row = ["0", fmt(model.logDensity(theta)), fmt(q.logDensity(theta))];
    for (const k of order) row.push(fmt(table.columns[k]![s]!));
    lines.push(row.join(","));
  }
  return `${lines.join("\n")}\n`;
}

/** One chain of draws per variable, `[1][draw][...shape]`, plus the fit's diagnostics as attributes. */
function inferenceData(
  model: CompiledModel,
  fit: vi.AdviResult,
  draws: vi.VariationalDraws,
  table: DrawTable,
  file: string,
): Record<string, unknown> {
  const n = draws.numDraws;
  const posterior: Record<string, unknown> = {};
  for (const v of table.variables) {
    const size = v.shape.reduce((a, b) => a * b, 1);
    const perDraw = Array.from({ length: n }, (_, s) => {
      const flat = Array.from({ length: size }, (_, k) => finiteOrNull(table.columns[v.start + k]![s]!));
      return nestRows(flat, v.shape);
    });
    posterior[v.name] = [perDraw];
  }
  const d = draws.dimension;
  const logP: (number | null)[] = [];
  const logQ: (number | null)[] = [];
  for (let s = 0; s < n; s++) {
    const theta = draws.unconstrained.subarray(s * d, (s + 1) * d);
    logP.push(finiteOrNull(model.logDensity(theta)));
    logQ.push(finiteOrNull(fit.approximation.logDensity(theta)));
  }
  return {
    posterior,
    sample_stats: { lp: [logP], log_q: [logQ] },
    attrs: {
      inference_library: "sprig",
      method: "advi",
      family: fit.approximation.family,
      model: model.name,
      model_file: file,
      elbo: fit.elbo,
      pareto_k: fit.paretoK,
      iterations: fit.iterations,
      converged: fit.converged ? 1 : 0,
    },
  };
}

function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

/** Row-major values as nested arrays of `shape` (a scalar for `[]`). */
function nestRows(flat: readonly (number | null)[], shape: readonly number[]): unknown {
  if (shape.length === 0) return flat[0];
  if (shape.length === 1) return flat;
  const inner = shape.slice(1);
  const stride = inner.reduce((a, b) => a * b, 1);
  return Array.from({ length: shape[0]! }, (_, i) => nestRows(flat.slice(i * stride, (i + 1) * stride), inner));
}
