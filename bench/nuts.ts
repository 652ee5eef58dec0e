/**
 * `npm run bench -- nuts [--seeds 1,2,3] [--skip-webppl | --skip-stan]`: NUTS speed against Stan and WebPPL.
 *
 * 1. Min ESS_bulk per CPU-second (warm-up included, summed over chains) for
 *    eight_schools_noncentered, wells and radon non-centred from ../shared/posteriordb, 4 chains ×
 *    (1000 warm-up + 1000 draws) one after another on one thread, each posterior in a fresh
 *    process where it is compiled once and sampled once per seed (as the rstan script compiles
 *    once and calls sampling() per seed; the first seed's run includes V8's JIT warm-up), the
 *    median over seeds 1–3 as rstan's figures are; ESS per 1000 gradient evaluations of the sampling phase (hardware-
 *    neutral) for both; the bar: sprig ≥ 0.5 × rstan's ESS/s. rstan runs side by side only when
 *    Rscript with rstan is installed; otherwise its figures come from each folder's
 *    rstan_timing.json, i.e. from another run on a loaded machine, and are labelled so.
 * 2. The Bayesian linear regression of ../shared/webppl-bench (D = 10, N = 100): the folder is
 *    copied to a temp dir, webppl installed there when the npm registry answers, its QUICK run
 *    made (`QUICK=1 bash run-bench.sh`), and WebPPL's hand-tuned tensor HMC (10 steps of 0.02) put
 *    next to sprig's NUTS on the very data.json that run generated, in the same process tree and
 *    load. The bar: sprig's min ESS/CPU-s ≥ 10 × WebPPL's.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { eightSchoolsNoncentered } from "../examples/models/eight_schools.js";
import { exampleFamilies } from "../examples/models/families.js";
import { radonNoncentered } from "../examples/models/radon.js";
import { wells } from "../examples/models/wells.js";
import { pooledMean } from "../src/inference/diagnostics/index.js";
import { extractDraws, type McmcResult, sample } from "../src/inference/mcmc/index.js";
import { compile, type DensityModel, type ModelData } from "../src/inference/model/index.js";
import type { ModelGraph } from "../src/ir/index.js";
import { model, normal } from "../src/lang/builder/index.js";
import { createDefaultRegistry } from "../src/runtime/dists/index.js";
import {
  minEssBulk,
  type Reference,
  type RstanTiming,
  readPosteriorJson,
  samplingGradients,
} from "./_posteriordb_rules.js";

const REPO = resolve(fileURLToPath(new URL("..", import.meta.url)));
const SHARED = process.env.SPRIG_SHARED ? resolve(process.env.SPRIG_SHARED) : resolve(REPO, "..", "shared");
const POSTERIORDB = join(SHARED, "posteriordb");

const POSTERIORS: readonly { readonly name: string; readonly label: string; readonly graph: ModelGraph }[] = [
  {
    name: "eight_schools-eight_schools_noncentered",
    label: "eight schools (non-centred)",
    graph: eightSchoolsNoncentered,
  },
  { name: "wells_data-wells_dae_c_model", label: "wells (logistic regression)", graph: wells },
  { name: "radon_mn-radon_variable_intercept_noncentered", label: "radon (non-centred)", graph: radonNoncentered },
];

/** WebPPL's Bayesian linear regression in sprig: w ~ normal(0, I_D), y ~ normal(X·w, sigma), sigma known. */
const blr = model(
  "webppl_blr",
  ({ data, param, observe }) => {
    const N = data.int("N", { lower: 0 });
    const D = data.int("D", { lower: 0 });
    const X = data.matrix("X", N, D);
    const y = data.vector("y", N);
    const sigma = data.real("sigma", { lower: 0 });
    const w = param("w", normal({ loc: 0, scale: 1 }), { size: D });
    observe(y, normal({ loc: X.matvec(w), scale: sigma }));
  },
  { families: createDefaultRegistry() },
);

interface Measured {
  readonly seed: number;
  readonly cpuSeconds: number;
  readonly minEss: number;
  readonly essPerSecond: number;
  readonly essPer1000Gradients: number;
  readonly microsecondsPerGradient: number;
  readonly divergences: number;
  /** BLR only: largest |posterior mean − exact mean| in exact posterior sds. */
  readonly maxMeanError?: number;
}

function cpuSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : 0.5 * (s[m - 1] + s[m]);
}

function allGradients(result: McmcResult): number {
  return result.chains.reduce((n, c) => n + c.numGradientEvaluations, 0);
}

async function measure(
  compiled: DensityModel,
  names: readonly string[],
  seed: number,
  meanError?: (result: McmcResult) => number,
): Promise<Measured> {
  const start = process.cpuUsage();
  const result = await sample(compiled, { numChains: 4, numWarmup: 1000, numSamples: 1000, seed, progress: false });
  const cpuSeconds = cpuSince(start);
  const minEss = minEssBulk(result, names);
  return {
    seed,
    cpuSeconds,
    minEss,
    essPerSecond: minEss / cpuSeconds,
    essPer1000Gradients: (1000 * minEss) / samplingGradients(result),
    microsecondsPerGradient: (1e6 * cpuSeconds) / allGradients(result),
    divergences: result.chains.reduce((n, c) => n + c.stats.isDivergent.reduce((a, b) => a + b, 0), 0),
    ...(meanError ? { maxMeanError: meanError(result) } : {}),
  };
}

/**
 * Runs `--child <spec>` in a fresh Node process (this bench, same loader), so each model is timed
 * from a cold start in a process of its own, as Stan and WebPPL runs are, and no model's call
 * feedback slows another's.
 */
function measureInChild(spec: string, seeds: readonly number[]): Measured[] | undefined {
  const runner = fileURLToPath(new URL("./run.ts", import.meta.url));
  const child = spawnSync(
    process.execPath,
    [...process.execArgv, runner, "nuts", "--child", spec, "--seeds", seeds.join(",")],
    {
      cwd: REPO,
      encoding: "utf8",
      timeout: 1_800_000,
      maxBuffer: 1 << 24,
    },
  );
  const line = child.stdout.split("\n").find((l) => l.startsWith("[{"));
  if (child.status !== 0 || line === undefined) {
    console.log(`  ${spec}: measurement failed — ${failureMessage(child.stderr || child.stdout)}`);
    return undefined;
  }
  return JSON.parse(line) as Measured[];
}

/** The child side of {@link measureInChild}: measures one model for every seed and prints JSON. */
async function child(spec: string, seeds: readonly number[]): Promise<void> {
  const runs: Measured[] = [];
  if (spec.startsWith("posterior:")) {
    const name = spec.slice("posterior:".length);
    const entry = POSTERIORS.find((p) => p.name === name);
    if (entry === undefined) throw new Error(`unknown posterior ${name}`);
    const data = readPosteriorJson<ModelData>(POSTERIORDB, name, "data.json");
    const names = readPosteriorJson<Reference>(POSTERIORDB, name, "reference.json").parameters.map((q) => q.name);
    // Compiled once and sampled once per seed, as the rstan script builds its model once
    // (stan_model) and calls sampling() per seed; compile time is excluded on both sides.
    const compiled = compile(entry.graph, data, exampleFamilies());
    for (const seed of seeds) runs.push(await measure(compiled, names, seed));
  } else if (spec.startsWith("blr:")) {
    const data = JSON.parse(readFileSync(spec.slice("blr:".length), "utf8")) as ModelData & {
      postMean: number[];
      postSd: number[];
    };
    const names = data.postMean.map((_, j) => `w[${j + 1}]`);
    const compiled = compile(blr, data, createDefaultRegistry());
    for (const seed of seeds) {
      const measured = await measure(compiled, names, seed, (result) =>
        Math.max(
          ...names.map((n, j) => Math.abs(pooledMean(extractDraws(result, n)) - data.postMean[j]) / data.postSd[j]),
        ),
      );
      runs.push(measured);
    }
  } else {
    throw new Error(`unknown child spec ${spec}`);
  }
  console.log(JSON.stringify(runs));
}

function rstanInstalled(): boolean {
  const probe = spawnSync(
    "Rscript",
    ["-e", "suppressMessages({library(rstan); library(jsonlite); library(posterior)}); cat('ok')"],
    { encoding: "utf8", timeout: 60_000 },
  );
  return probe.status === 0 && probe.stdout.includes("ok");
}

// rstan on one core with the same chains, warm-up, draws and seeds, with the two workarounds
// ../shared/posteriordb/README.md gives for Debian's rstan 2.21 (a private boost symlink; the
// legacy-syntax model). Prints one JSON record per seed: min ESS_bulk, CPU seconds, leapfrog steps.
const RSTAN_SCRIPT = `
args <- commandArgs(trailingOnly = TRUE)
suppressMessages({ library(rstan); library(jsonlite); library(posterior) })
boost <- file.path(tempdir(), "sprig-boost")
dir.create(boost, showWarnings = FALSE)
if (!file.exists(file.path(boost, "boost"))) file.symlink("/usr/include/boost", file.path(boost, "boost"))
rstan_options(boost_lib = boost, auto_write = TRUE)
model <- stan_model(args[1])
data <- fromJSON(args[2], simplifyVector = TRUE)
quantities <- fromJSON(args[3])
runs <- list()
for (seed in as.integer(strsplit(args[4], ",")[[1]])) {
  fit <- sampling(model, data = data, chains = 4, cores = 1, iter = 2000, warmup = 1000, seed = seed, refresh = 0)
  draws <- as.array(fit)
  ess <- sapply(quantities, function(q) ess_bulk(draws[, , q]))
  steps <- sum(sapply(get_sampler_params(fit, inc_warmup = FALSE), function(x) sum(x[, "n_leapfrog__"])))
  runs[[length(runs) + 1]] <- list(seed = seed, min_ess = min(ess), cpu = sum(get_elapsed_time(fit)), leapfrog = steps)
}
cat(toJSON(runs, auto_unbox = TRUE, digits = NA))
`;

interface RstanRun {
  readonly seed: number;
  readonly min_ess: number;
  readonly cpu: number;
  readonly leapfrog: number;
}

/** Runs rstan side by side on one posterior; undefined (with a message) when it fails. */
function runRstan(posterior: string, names: readonly string[], seeds: readonly number[]): RstanRun[] | undefined {
  const folder = join(POSTERIORDB, posterior);
  const legacy = join(folder, "model_legacy_syntax.stan");
  const dir = join(tmpdir(), "sprig-rstan");
  mkdirSync(dir, { recursive: true });
  const script = join(dir, "run.R");
  const namesFile = join(dir, `${posterior}.names.json`);
  writeFileSync(script, RSTAN_SCRIPT);
  writeFileSync(namesFile, JSON.stringify(names));
  const stanFile = existsSync(legacy) ? legacy : join(folder, "model.stan");
  const r = run(
    "Rscript",
    [script, stanFile, join(folder, "data.json"), namesFile, seeds.join(",")],
    dir,
    {},
    3_600_000,
  );
  const json = r.stdout.slice(r.stdout.indexOf("["));
  if (r.status !== 0 || !json.startsWith("[")) {
    console.log(`  rstan failed on ${posterior}: ${(r.stderr || r.stdout).trim().split("\n").slice(-2).join(" ")}`);
    return undefined;
  }
  return JSON.parse(json) as RstanRun[];
}

/** The error line of a failed child's output (not its stack frames). */
function failureMessage(output: string): string {
  const lines = output.trim().split("\n");
  return lines.find((l) => /^\w*Error\b|Error:/.test(l.trim())) ?? lines.slice(-3).join(" ");
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + " ".repeat(width - text.length);
}

async function versusStan(seeds: readonly number[]): Promise<void> {
  console.log("== NUTS vs rstan: min ESS_bulk per CPU-second, 4 chains × (1000 warm-up + 1000 draws) ==");
  const sideBySide = rstanInstalled();
  console.log(
    sideBySide
      ? "rstan is installed: it runs side by side here, same chains, draws and seeds, one core (its CPU time is Stan's own per-chain elapsed time)."
      : "rstan is not installed here (Debian r-cran-rstan; see ../shared/posteriordb/README.md), so rstan's figures come from each folder's rstan_timing.json: ANOTHER RUN (rstan 2.21, one core, 4 × (1000 + 1000), median of seeds 1-3, loaded 2-core VM).",
  );
  console.log(
    `sprig: one fresh process per posterior, the model compiled once (excluded, as Stan's C++ compile is) and sampled for seeds ${seeds.join(", ")} in turn (the first run includes V8's JIT warm-up); chains one after another on one thread; process CPU time; median over the seeds.\n`,
  );
  console.log(
    [
      pad("posterior", 30),
      pad("sprig ESS/s", 12),
      pad("(per seed)", 24),
      pad("rstan ESS/s", 12),
      pad("ratio", 7),
      pad("ESS/1k grad sprig", 18),
      pad("rstan", 7),
      pad("µs/grad sprig", 14),
      pad("rstan", 7),
      "bar ≥ 0.5× rstan",
    ].join(" "),
  );
  for (const p of POSTERIORS) {
    if (!existsSync(join(POSTERIORDB, p.name, "reference.json"))) {
      console.log(`${pad(p.label, 30)} skipped: ${join(POSTERIORDB, p.name)} not found`);
      continue;
    }
    const names = readPosteriorJson<Reference>(POSTERIORDB, p.name, "reference.json").parameters.map((q) => q.name);
    const recorded = readPosteriorJson<RstanTiming>(POSTERIORDB, p.name, "rstan_timing.json");
    const live = sideBySide ? runRstan(p.name, names, seeds) : undefined;
    const rstan =
      live === undefined
        ? recorded
        : {
            ...recorded,
            min_ess_bulk_per_cpu_second: median(live.map((r) => r.min_ess / r.cpu)),
            ess_bulk_per_1000_gradients: median(live.map((r) => (1000 * r.min_ess) / r.leapfrog)),
            microseconds_per_gradient: Number.NaN,
          };
    const runs = measureInChild(`posterior:${p.name}`, seeds);
    if (runs === undefined) continue;
    const essPerSecond = median(runs.map((r) => r.essPerSecond));
    const ratio = essPerSecond / rstan.min_ess_bulk_per_cpu_second;
    console.log(
      [
        pad(p.label, 30),
        pad(essPerSecond.toFixed(0), 12),
        pad(runs.map((r) => r.essPerSecond.toFixed(0)).join(", "), 24),
        pad(`${rstan.min_ess_bulk_per_cpu_second.toFixed(0)}${live === undefined ? "*" : ""}`, 12),
        pad(`${ratio.toFixed(2)}x`, 7),
        pad(median(runs.map((r) => r.essPer1000Gradients)).toFixed(1), 18),
        pad(rstan.ess_bulk_per_1000_gradients.toFixed(1), 7),
        pad(median(runs.map((r) => r.microsecondsPerGradient)).toFixed(1), 14),
        pad(Number.isNaN(rstan.microseconds_per_gradient) ? "—" : rstan.microseconds_per_gradient.toFixed(1), 7),
        ratio >= 0.5 ? "PASS" : "FAIL",
      ].join(" "),
    );
    const detail = runs.map(
      (r) =>
        `seed ${r.seed}: ${r.cpuSeconds.toFixed(2)} CPU s, min ESS ${r.minEss.toFixed(0)}, ${r.divergences} divergences`,
    );
    console.log(`${" ".repeat(31)}${detail.join("; ")}`);
  }
  if (!sideBySide) console.log("* rstan_timing.json: from another run, not measured here.");
  console.log(
    `load average during the run: ${readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")}\n`,
  );
}

interface WebpplLine {
  readonly variant: string;
  readonly kernel: string;
  readonly stepSize?: number;
  readonly cpuSec: number | null;
  readonly minEss: number;
  readonly minEssPerCpuSec: number | null;
  readonly maxAbsMeanErrInPostSd: number;
}

function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}, timeout = 900_000) {
  return spawnSync(command, args, {
    cwd,
    env: { ...process.env, ...env },
    encoding: "utf8",
    timeout,
    maxBuffer: 1 << 26,
  });
}

function prepareWebppl(): string | undefined {
  const source = join(SHARED, "webppl-bench");
  if (!existsSync(source)) {
    console.log(`skipped: ${source} not found.`);
    return undefined;
  }
  // A stable temp folder, so webppl is installed once and later runs reuse it.
  const dir = join(tmpdir(), "sprig-webppl-bench");
  mkdirSync(dir, { recursive: true });
  cpSync(source, dir, { recursive: true });
  if (!existsSync(join(dir, "node_modules", "webppl"))) {
    const ping = run("npm", ["ping"], dir, {}, 30_000);
    if (ping.status !== 0) {
      console.log("skipped: the npm registry does not answer (npm ping failed), so webppl cannot be installed.");
      return undefined;
    }
    console.log(`installing webppl 0.9.15 in ${dir} …`);
    const install = run("npm", ["install", "--no-audit", "--no-fund"], dir);
    if (install.status !== 0 || !existsSync(join(dir, "node_modules", "webppl"))) {
      console.log(
        `skipped: npm install failed (${(install.stderr || install.stdout).trim().split("\n").slice(-2).join(" ")}).`,
      );
      return undefined;
    }
  }
  return dir;
}

async function versusWebppl(): Promise<void> {
  console.log("== NUTS vs WebPPL hand-tuned HMC: Bayesian linear regression (D = 10, N = 100) ==");
  const dir = prepareWebppl();
  if (dir === undefined) return;
  console.log(`running WebPPL's QUICK benchmark in ${dir} (QUICK=1 bash run-bench.sh, 1-2 minutes) …`);
  const bench = run("bash", ["run-bench.sh"], dir, { QUICK: "1" });
  if (bench.status !== 0) {
    console.log(`skipped: run-bench.sh failed (${bench.stderr.trim().split("\n").slice(-2).join(" ")}).`);
    return;
  }
  const lines = bench.stdout
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l.replace(/\s+wallSecInclCompile=.*$/, "")) as WebpplLine);
  for (const line of bench.stdout.split("\n").filter((l) => /^(load|calibration|node)/.test(l)))
    console.log(`  ${line}`);
  const hmc = lines.filter((l) => l.variant === "tensor" && l.kernel === "HMC" && l.stepSize === 0.02);
  if (hmc.length === 0 || hmc.some((l) => l.minEssPerCpuSec === null)) {
    console.log("skipped: no tensor-HMC result with CPU time in WebPPL's output.");
    return;
  }
  for (const l of hmc) {
    console.log(
      `  WebPPL tensor HMC (10 × 0.02), 1 chain × 2000 draws: ${l.cpuSec?.toFixed(2)} CPU s, min ESS ${l.minEss}, ${l.minEssPerCpuSec?.toFixed(0)} ESS/CPU-s, max |mean error| ${l.maxAbsMeanErrInPostSd} sd`,
    );
  }
  const webppl = median(hmc.map((l) => l.minEssPerCpuSec ?? 0));

  const runs = measureInChild(`blr:${join(dir, "data.json")}`, [1, 2, 3]);
  if (runs === undefined) return;
  for (const r of runs) {
    console.log(
      `  sprig NUTS (adapted), 4 chains × (1000 + 1000), seed ${r.seed}${r.seed === 1 ? " (cold JIT)" : ""}: ${r.cpuSeconds.toFixed(2)} CPU s incl. warm-up, min ESS_bulk ${r.minEss.toFixed(0)}, ${r.essPerSecond.toFixed(0)} ESS/CPU-s, max |mean error| ${r.maxMeanError?.toFixed(3)} sd`,
    );
  }
  const sprig = median(runs.map((r) => r.essPerSecond));
  const ratio = sprig / webppl;
  const cold = runs[0].essPerSecond / webppl;
  console.log(
    `\n  median min ESS/CPU-s: sprig ${sprig.toFixed(0)} vs WebPPL ${webppl.toFixed(0)} → ${ratio.toFixed(1)}x (bar ≥ 10x): ${ratio >= 10 ? "PASS" : "FAIL"}; first (cold) sprig run alone: ${cold.toFixed(1)}x`,
  );
  console.log(
    "  (WebPPL: burn 0, no adaptation, step size tuned by hand on this posterior, ESS from analyze.js on 1800 draws; sprig: NUTS with Stan's warm-up, which is counted in its CPU time.)\n",
  );
}

/**
 * The benchmark entry point (see the module comment for what it measures).
 *
 * @example
 * ```sh
 * npm run bench -- nuts --seeds 1,2,3
 * ```
 */
export default async function nuts(args: string[]): Promise<void> {
  const seeds = args.includes("--seeds") ? args[args.indexOf("--seeds") + 1].split(",").map(Number) : [1, 2, 3];
  if (args.includes("--child")) {
    await child(args[args.indexOf("--child") + 1], seeds);
    return;
  }
  if (args.includes("--skip-stan")) console.log("rstan comparison skipped (--skip-stan).");
  else if (existsSync(POSTERIORDB)) await versusStan(seeds);
  else console.log(`posteriordb comparison skipped: ${POSTERIORDB} not found.`);
  if (args.includes("--skip-webppl")) console.log("WebPPL comparison skipped (--skip-webppl).");
  else await versusWebppl();
}
