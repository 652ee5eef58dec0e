import { DataError, describeValue } from "../../core/errors.js";
import type { McmcResult } from "./sample.js";

const EMPTY = new Float64Array(0);

/**
 * The draws of one flat quantity, one Float64Array per chain: the input shape of every
 * diagnostic. `column` is a display name (`"beta[2]"`, `"tau"`, a derived `"theta[1]"`) or an
 * index into `result.columns` (constrained coordinates first, then derived quantities).
 *
 * @example
 * ```ts
 * rhat(extractDraws(result, "tau"));
 * ```
 */
export function extractDraws(result: McmcResult, column: string | number): Float64Array[] {
  const index = typeof column === "number" ? column : result.columns.findIndex((c) => c.name === column);
  if (!Number.isInteger(index) || index < 0 || index >= result.columns.length) {
    const names = result.columns.slice(0, 8).map((c) => c.name);
    throw new DataError({
      where: "extractDraws",
      what: "no such column in the draws",
      got: describeValue(column),
      expected: `one of ${names.join(", ")}${result.columns.length > 8 ? ", …" : ""}`,
    });
  }
  const d = result.constrainedDimension;
  const isDerived = index >= d;
  const width = isDerived ? (result.derivedDimension ?? 0) : d;
  const at = isDerived ? index - d : index;
  return result.chains.map((chain) => {
    const source = isDerived ? (chain.derived ?? EMPTY) : chain.draws;
    const out = new Float64Array(result.numSamples);
    for (let i = 0; i < out.length; i++) out[i] = source[i * width + at];
    return out;
  });
}

/**
 * Options of {@link toStanCsv}.
 *
 * @example
 * ```ts
 * const options: StanCsvOptions = { significantDigits: 6 };
 * ```
 */
export interface StanCsvOptions {
  /** Significant digits per value; default: every digit needed to round-trip a double. */
  readonly significantDigits?: number;
  /** Value of the `model =` header line (default `sprig_model`). */
  readonly modelName?: string;
}

function formatNumber(x: number, digits: number | undefined): string {
  if (Number.isNaN(x)) return "nan";
  if (x === Number.POSITIVE_INFINITY) return "inf";
  if (x === Number.NEGATIVE_INFINITY) return "-inf";
  if (digits === undefined || Number.isInteger(x)) return String(x);
  return String(Number(x.toPrecision(digits)));
}

/**
 * One chain as a Stan CSV file (CmdStan's `output.csv` layout): the configuration comments, the
 * header `lp__, accept_stat__, stepsize__, treedepth__, n_leapfrog__, divergent__, energy__,
 * <params>` with Stan's element names (`beta.2`, `Sigma.1.2`) in column-major order, the
 * adaptation block (step size and inverse mass matrix), the draws and the timing footer.
 * Readable by ArviZ (`from_cmdstan`), CmdStanPy (`from_csv`), cmdstanr and bayesplot.
 *
 * @example
 * ```ts
 * result.chains.forEach((_, c) => writeFileSync(`chain_${c + 1}.csv`, toStanCsv(result, c)));
 * ```
 */
export function toStanCsv(result: McmcResult, chainIndex: number, options: StanCsvOptions = {}): string {
  const chain = result.chains[chainIndex];
  if (chain === undefined) {
    throw new DataError({
      where: "toStanCsv",
      what: "no such chain",
      got: describeValue(chainIndex),
      expected: `an index in [0, ${result.chains.length - 1}]`,
    });
  }
  const digits = options.significantDigits;
  const fmt = (x: number) => formatNumber(x, digits);
  const d = result.constrainedDimension;
  const isNuts = result.algorithm === "nuts";
  const metricName = result.metric === "dense" ? "dense_e" : result.metric === "diag" ? "diag_e" : "unit_e";
  const lines: string[] = [
    "# stan_version_major = 2",
    "# stan_version_minor = 36",
    "# stan_version_patch = 0",
    `# model = ${options.modelName ?? "sprig_model"}`,
    "# method = sample (Default)",
    "#   sample",
    `#     num_samples = ${result.numSamples}`,
    `#     num_warmup = ${result.numWarmup}`,
    "#     save_warmup = 0",
    "#     thin = 1 (Default)",
    "#     adapt",
    `#       engaged = ${result.numWarmup > 0 ? 1 : 0}`,
    "#       gamma = 0.05 (Default)",
    `#       delta = ${result.targetAcceptRate}`,
    "#       kappa = 0.75 (Default)",
    "#       t0 = 10 (Default)",
    "#     algorithm = hmc (Default)",
    "#       hmc",
    `#         engine = ${isNuts ? "nuts" : "static"}`,
    ...(isNuts ? ["#           nuts", `#             max_depth = ${result.maxTreeDepth}`] : []),
    `#         metric = ${metricName}`,
    "#     num_chains = 1 (Default)",
    `# id = ${chainIndex + 1}`,
    "# random",
    `#   seed = ${chain.seed}`,
    "# generator = sprig",
  ];

  // Stan's element order: parameters in layout order, then the derived quantities (Stan's
  // transformed parameters); elements column-major (first index fastest).
  const order: number[] = [];
  const names: string[] = [];
  const pushVariable = (name: string, shape: readonly number[], offset: number, size: number): void => {
    const rank = shape.length;
    const index = new Array<number>(rank).fill(0);
    for (let k = 0; k < size; k++) {
      let rowMajor = 0;
      for (let a = 0; a < rank; a++) rowMajor = rowMajor * shape[a] + index[a];
      order.push(offset + rowMajor);
      names.push(rank === 0 ? name : `${name}.${index.map((i) => i + 1).join(".")}`);
      for (let a = 0; a < rank; a++) {
        index[a]++;
        if (index[a] < shape[a]) break;
        index[a] = 0;
      }
    }
  };
  for (const v of [...result.layout].sort((a, b) => a.constrainedOffset - b.constrainedOffset)) {
    pushVariable(v.name, v.shape, v.constrainedOffset, v.constrainedSize);
  }
  // Offsets past d address the derived rows.
  for (const q of result.derived ?? []) pushVariable(q.name, q.shape, d + q.offset, q.size);
  const dd = result.derivedDimension ?? 0;
  lines.push(
    ["lp__", "accept_stat__", "stepsize__", "treedepth__", "n_leapfrog__", "divergent__", "energy__", ...names].join(
      ",",
    ),
  );

  lines.push("# Adaptation terminated", `# Step size = ${fmt(chain.stepSize)}`);
  const inv = chain.inverseMassMatrix;
  const n = inv.length;
  if (result.metric === "diag") {
    lines.push("# Diagonal elements of inverse mass matrix:", `# ${Array.from(inv, fmt).join(", ")}`);
  } else if (result.metric === "dense") {
    const dim = Math.round(Math.sqrt(n));
    lines.push("# Elements of inverse mass matrix:");
    for (let i = 0; i < dim; i++) lines.push(`# ${Array.from(inv.subarray(i * dim, (i + 1) * dim), fmt).join(", ")}`);
  } else {
    lines.push("# No free parameters for unit metric");
  }

  const s = chain.stats;
  for (let i = 0; i < result.numSamples; i++) {
    const row = [
      fmt(s.logDensity[i]),
      fmt(s.acceptStat[i]),
      fmt(s.stepSize[i]),
      String(s.treeDepth[i]),
      String(s.numSteps[i]),
      String(s.isDivergent[i]),
      fmt(s.energy[i]),
    ];
    const derived = chain.derived ?? EMPTY;
    for (const k of order) row.push(fmt(k < d ? chain.draws[i * d + k] : derived[i * dd + k - d]));
    lines.push(row.join(","));
  }
  const warm = chain.warmupSeconds;
  const samp = chain.samplingSeconds;
  lines.push(
    "# ",
    `#  Elapsed Time: ${warm.toFixed(3)} seconds (Warm-up)`,
    `#                ${samp.toFixed(3)} seconds (Sampling)`,
    `#                ${(warm + samp).toFixed(3)} seconds (Total)`,
    "# ",
  );
  return `${lines.join("\n")}\n`;
}

/**
 * A nested array: chain × draw × the variable's own shape.
 *
 * @example
 * ```ts
 * const mu: NestedNumbers = [[0.1, 0.2], [0.05, -0.3]];
 * ```
 */
export type NestedNumbers = number | boolean | null | readonly NestedNumbers[];

/**
 * The InferenceData groups as plain JSON, in the layout ArviZ's `from_dict` takes: every
 * variable nested `[chain][draw][...shape]`; sampler statistics under ArviZ's names.
 *
 * @example
 * ```ts
 * const idata: InferenceDataJson = toInferenceData(result);
 * ```
 */
export interface InferenceDataJson {
  readonly posterior: Record<string, NestedNumbers>;
  readonly sample_stats: Record<string, NestedNumbers>;
  readonly attrs: Record<string, string | number>;
}

function nest(flat: ArrayLike<number>, offset: number, shape: readonly number[], axis: number): NestedNumbers {
  if (axis === shape.length) {
    const x = flat[offset];
    return Number.isFinite(x) ? x : null;
  }
  let stride = 1;
  for (let a = axis + 1; a < shape.length; a++) stride *= shape[a];
  const out: NestedNumbers[] = [];
  for (let i = 0; i < shape[axis]; i++) out.push(nest(flat, offset + i * stride, shape, axis + 1));
  return out;
}

/**
 * Converts a result to ArviZ-InferenceData-shaped JSON (posterior, sample_stats, attrs). In
 * Python: `az.from_dict(**json.load(open("run.json")))`. Non-finite values become `null`
 * (NaN after loading).
 *
 * @example
 * ```ts
 * writeFileSync("run.json", JSON.stringify(toInferenceData(result)));
 * ```
 */
export function toInferenceData(result: McmcResult): InferenceDataJson {
  const d = result.constrainedDimension;
  const posterior: Record<string, NestedNumbers> = {};
  for (const v of result.layout) {
    posterior[v.name] = result.chains.map((chain) => {
      const draws: NestedNumbers[] = [];
      for (let i = 0; i < result.numSamples; i++) {
        draws.push(nest(chain.draws, i * d + v.constrainedOffset, v.shape, 0));
      }
      return draws;
    });
  }
  const dd = result.derivedDimension ?? 0;
  for (const q of result.derived ?? []) {
    posterior[q.name] = result.chains.map((chain) => {
      const draws: NestedNumbers[] = [];
      for (let i = 0; i < result.numSamples; i++)
        draws.push(nest(chain.derived ?? EMPTY, i * dd + q.offset, q.shape, 0));
      return draws;
    });
  }
  const perChain = (pick: (c: (typeof result.chains)[number]) => ArrayLike<number>) =>
    result.chains.map((c) => Array.from(pick(c), (x) => (Number.isFinite(x) ? x : null)));
  const sampleStats: Record<string, NestedNumbers> = {
    lp: perChain((c) => c.stats.logDensity),
    acceptance_rate: perChain((c) => c.stats.acceptStat),
    step_size: perChain((c) => c.stats.stepSize),
    tree_depth: perChain((c) => c.stats.treeDepth),
    n_steps: perChain((c) => c.stats.numSteps),
    diverging: result.chains.map((c) => Array.from(c.stats.isDivergent, (x) => x === 1)),
    energy: perChain((c) => c.stats.energy),
  };
  return {
    posterior,
    sample_stats: sampleStats,
    attrs: {
      inference_library: "sprig",
      sampling_algorithm: result.algorithm,
      metric: result.metric,
      num_warmup: result.numWarmup,
      num_samples: result.numSamples,
      num_chains: result.numChains,
      seed: result.seed,
    },
  };
}
