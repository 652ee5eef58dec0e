/**
 * `npm run bench -- posteriordb [--only a,b] [--sprig] [--seed N]`: every posteriordb posterior
 * in ../shared/posteriordb that has a sprig version — the TypeScript builder examples
 * (examples/models/*.ts), and the `.sprig` translations (examples/models/*.sprig, matched by their
 * `// posteriordb: <name>` line) when the text language is present — sampled with 4 chains of
 * 1000 warm-up + 1000 draws (Stan's defaults; NUTS, diagonal metric, target accept 0.8; the
 * dense metric where that is what a user should choose, listed in DENSE_METRIC and printed in
 * the table), one chain after another on one thread, each posterior in a fresh Node process.
 * Where Stan's transformed data became data preparation (diamonds' centred design), PREPARE maps
 * data.json to the graph's data before compiling, outside the timed sampling. Each is judged by the README's rules (R-hat < 1.01 and
 * ESS_bulk ≥ 400 first, then means, sds, tails, max |z| < 4); a run that fails convergence is
 * repeated once with 2000 + 4000 per chain, as the README asks, rather than loosening tolerances.
 * Prints min ESS_bulk per CPU-second (warm-up included, summed over chains) and ESS per 1000
 * gradients next to rstan's figures from the folder's rstan_timing.json (another run, another
 * load: indicative only). A TypeScript example is preferred where both exist; `--sprig` prefers
 * the text translation.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { diamonds, diamondsData } from "../examples/models/diamonds.js";
import { eightSchoolsCentered, eightSchoolsNoncentered } from "../examples/models/eight_schools.js";
import { exampleFamilies } from "../examples/models/families.js";
import { kidiq } from "../examples/models/kidiq.js";
import { radonCentered, radonNoncentered } from "../examples/models/radon.js";
import { wells } from "../examples/models/wells.js";
import { diagnose } from "../src/inference/diagnostics/index.js";
import { type MetricKind, sample } from "../src/inference/mcmc/index.js";
import { compile, type ModelData } from "../src/inference/model/index.js";
import type { ModelGraph } from "../src/ir/index.js";
import {
  checkAgainstReference,
  loadParseModel,
  type PosteriorCheck,
  type Reference,
  type RstanTiming,
  readPosteriorJson,
  samplingGradients,
  sprigTranslations,
} from "./_posteriordb_rules.js";

const REPO = resolve(fileURLToPath(new URL("..", import.meta.url)));
const ROOT = process.env.SPRIG_SHARED
  ? resolve(process.env.SPRIG_SHARED, "posteriordb")
  : resolve(REPO, "..", "shared", "posteriordb");

const TS_MODELS: Readonly<Record<string, ModelGraph>> = {
  "eight_schools-eight_schools_noncentered": eightSchoolsNoncentered,
  "eight_schools-eight_schools_centered": eightSchoolsCentered,
  "kidiq-kidscore_momhsiq": kidiq,
  "wells_data-wells_dae_c_model": wells,
  "radon_mn-radon_variable_intercept_noncentered": radonNoncentered,
  "radon_mn-radon_variable_intercept_centered": radonCentered,
  "diamonds-diamonds": diamonds,
};

/**
 * data.json → the graph's data, where Stan's transformed data block is data preparation in sprig
 * (the language has no matrix column operations for diamonds' centring). Both the builder model
 * and the `.sprig` translation take the prepared data.
 */
const PREPARE: Readonly<Record<string, (raw: never) => ModelData>> = {
  "diamonds-diamonds": diamondsData,
};

/**
 * Posteriors sampled with the dense metric, as a user should: diamonds' 26 parameters are so
 * correlated that the diagonal metric saturates tree depth 10 (rstan: every iteration at depth
 * 8–10), while the dense one needs ~15 leapfrog steps per draw. Every other posterior uses
 * Stan's default diagonal metric, like the rstan figures it is shown next to.
 */
const DENSE_METRIC = new Set(["diamonds-diamonds"]);

// README rule 7: a funnel that must either sample accurately or report divergences.
const EXPECTED_DIVERGENT = new Set(["eight_schools-eight_schools_centered"]);

interface Entry {
  readonly posterior: string;
  readonly source: string;
  readonly graph: ModelGraph;
}

/** What a child process reports about one posterior. */
interface Outcome {
  readonly numWarmup: number;
  readonly numSamples: number;
  readonly cpuSeconds: number;
  readonly check: PosteriorCheck;
  readonly divergences: number;
  readonly essPer1000Gradients: number;
  readonly metric: MetricKind;
  /** CPU time / all gradient evaluations (warm-up and initialisation included), sampler overhead included. */
  readonly microsecondsPerGradient: number;
  /** Kept transitions that stopped at the maximum tree depth, summed over chains. */
  readonly treeDepthHits: number;
}

function cpuSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

async function runOnce(entry: Entry, seed: number, numWarmup: number, numSamples: number): Promise<Outcome> {
  const data = posteriorData(entry.posterior);
  const reference = readPosteriorJson<Reference>(ROOT, entry.posterior, "reference.json");
  const model = compile(entry.graph, data, exampleFamilies());
  const metric: MetricKind = DENSE_METRIC.has(entry.posterior) ? "dense" : "diag";
  const start = process.cpuUsage();
  const result = await sample(model, { numChains: 4, numWarmup, numSamples, seed, metric, progress: false });
  const cpuSeconds = cpuSince(start);
  const check = checkAgainstReference(result, reference);
  let gradients = 0;
  let treeDepthHits = 0;
  for (const chain of result.chains) {
    gradients += chain.numGradientEvaluations;
    for (const depth of chain.stats.treeDepth) if (depth >= result.maxTreeDepth) treeDepthHits++;
  }
  return {
    numWarmup,
    numSamples,
    cpuSeconds,
    check,
    divergences: diagnose(result).numDivergent,
    essPer1000Gradients: (1000 * check.minEssBulk) / samplingGradients(result),
    metric,
    microsecondsPerGradient: (1e6 * cpuSeconds) / gradients,
    treeDepthHits,
  };
}

/** A posterior's data.json, prepared for its graph where PREPARE says so. */
function posteriorData(posterior: string): ModelData {
  const raw = readPosteriorJson<ModelData>(ROOT, posterior, "data.json");
  const prepare = PREPARE[posterior];
  return prepare === undefined ? raw : prepare(raw as never);
}

/** Every posterior with a sprig version: builder examples, then `.sprig` translations for the rest. */
async function collectEntries(preferSprig: boolean, quiet: boolean): Promise<Map<string, Entry>> {
  const entries = new Map<string, Entry>();
  for (const [posterior, graph] of Object.entries(TS_MODELS)) {
    entries.set(posterior, { posterior, source: "builder (.ts)", graph });
  }
  const parseModel = await loadParseModel();
  const translations = sprigTranslations(resolve(REPO, "examples", "models"));
  if (parseModel === undefined) {
    if (!quiet) {
      console.log(
        `.sprig translations skipped: src/lang/text does not export parseModel yet (${translations.length} files found).`,
      );
    }
    return entries;
  }
  for (const file of translations) {
    if (!existsSync(resolve(ROOT, file.posterior, "reference.json"))) continue;
    if (entries.has(file.posterior) && !preferSprig) continue;
    const data = posteriorData(file.posterior);
    try {
      const graph = parseModel(file.text, exampleFamilies(), { file: file.path, data });
      entries.set(file.posterior, { posterior: file.posterior, source: `text (${file.path.split("/").pop()})`, graph });
    } catch (error) {
      if (!quiet)
        console.log(`${file.posterior}: ${file.path} does not parse — ${(error as Error).message.split("\n")[0]}`);
    }
  }
  return entries;
}

/** The child side: one posterior, with the README's one retry at more iterations; prints JSON. */
async function child(posterior: string, preferSprig: boolean, seed: number): Promise<void> {
  const entry = (await collectEntries(preferSprig, true)).get(posterior);
  if (entry === undefined) throw new Error(`no sprig version of ${posterior}`);
  let outcome = await runOnce(entry, seed, 1000, 1000);
  if (!outcome.check.converged && !EXPECTED_DIVERGENT.has(posterior)) outcome = await runOnce(entry, seed, 2000, 4000);
  console.log(`RESULT ${JSON.stringify(outcome)}`);
}

/**
 * Runs one posterior in a fresh Node process (same loader), so each is timed from a cold start
 * in a process of its own, as an rstan fit is, and no model's call feedback slows the next one.
 */
function runInChild(posterior: string, preferSprig: boolean, seed: number): Outcome | string {
  const runner = fileURLToPath(new URL("./run.ts", import.meta.url));
  const args = [...process.execArgv, runner, "posteriordb", "--child", posterior, "--seed", String(seed)];
  if (preferSprig) args.push("--sprig");
  const result = spawnSync(process.execPath, args, {
    cwd: REPO,
    encoding: "utf8",
    timeout: 3_600_000,
    maxBuffer: 1 << 24,
  });
  const line = result.stdout.split("\n").find((l) => l.startsWith("RESULT "));
  if (result.status !== 0 || line === undefined) {
    return failureMessage(result.stderr || result.stdout);
  }
  return JSON.parse(line.slice("RESULT ".length)) as Outcome;
}

/** The error line of a failed child's output (not its stack frames). */
function failureMessage(output: string): string {
  const lines = output.trim().split("\n");
  return lines.find((l) => /^\w*Error\b|Error:/.test(l.trim())) ?? lines.slice(-3).join(" ");
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + " ".repeat(width - text.length);
}

function num(x: number, digits = 0): string {
  return Number.isFinite(x) ? x.toFixed(digits) : String(x);
}

/** An rstan_timing.json figure, or a dash where the file has none (diamonds' rough probe). */
function rstanFigure(x: number | undefined, digits: number): string {
  return x === undefined ? "—" : num(x, digits);
}

/**
 * The benchmark entry point (see the module comment for what it measures).
 *
 * @example
 * ```sh
 * npm run bench -- posteriordb --only kidiq,wells
 * ```
 */
export default async function posteriordb(args: string[]): Promise<void> {
  if (!existsSync(ROOT)) {
    console.log(
      `posteriordb: skipped — ${ROOT} not found (the shared folder belongs next to the repository, or set SPRIG_SHARED).`,
    );
    return;
  }
  const only = args.includes("--only") ? args[args.indexOf("--only") + 1]?.split(",") : undefined;
  const preferSprig = args.includes("--sprig");
  const seed = args.includes("--seed") ? Number(args[args.indexOf("--seed") + 1]) : 1;
  if (args.includes("--child")) {
    await child(args[args.indexOf("--child") + 1], preferSprig, seed);
    return;
  }
  const entries = await collectEntries(preferSprig, false);
  const selected = [...entries.values()]
    .filter((e) => only === undefined || only.some((o) => e.posterior.includes(o)))
    .sort((a, b) => a.posterior.localeCompare(b.posterior));

  console.log(
    `posteriordb suite: ${selected.length} posteriors with a sprig version, 4 chains × (1000 warm-up + 1000 draws), seed ${seed}, chains one after another on one thread, each posterior in a fresh process.`,
  );
  console.log("ESS/s = min ESS_bulk over the reference quantities / CPU seconds of all chains (warm-up included).");
  console.log(
    "rstan figures: the folder's rstan_timing.json, measured in another run on a loaded 2-core VM (indicative only);",
  );
  console.log(
    "rstan always used the diagonal metric. (rough): one short chain and classic n_eff over a few parameters, an upper bound.",
  );
  console.log("µs/grad = CPU time / all gradient evaluations (warm-up included), sampler overhead included.\n");
  const header = [
    pad("posterior", 46),
    pad("source", 34),
    pad("iters", 10),
    pad("metric", 6),
    pad("CPU s", 7),
    pad("minESS", 7),
    pad("ESS/s", 8),
    pad("rstan ESS/s", 12),
    pad("ESS/1k grad", 12),
    pad("rstan", 7),
    pad("µs/grad", 8),
    pad("rstan", 6),
    pad("depth10", 7),
    pad("maxRhat", 8),
    pad("max|z|", 7),
    pad("div", 5),
    "verdict",
  ].join(" ");
  console.log(header);
  const problems: string[] = [];
  const notes: string[] = [];
  let passed = 0;
  for (const entry of selected) {
    const timingPath = resolve(ROOT, entry.posterior, "rstan_timing.json");
    const timing = existsSync(timingPath)
      ? readPosteriorJson<RstanTiming>(ROOT, entry.posterior, "rstan_timing.json")
      : undefined;
    const run = runInChild(entry.posterior, preferSprig, seed);
    if (typeof run === "string") {
      console.log(`${pad(entry.posterior, 46)} ${pad(entry.source, 34)} ERROR ${run}`);
      problems.push(`${entry.posterior}: ${run}`);
      continue;
    }
    const { check, cpuSeconds } = run;
    const essPerSecond = check.minEssBulk / cpuSeconds;
    const per1000 = run.essPer1000Gradients;
    const ok = check.converged && check.accurate;
    let verdict = ok ? "PASS" : "FAIL";
    if (EXPECTED_DIVERGENT.has(entry.posterior)) {
      verdict = ok ? "PASS" : run.divergences > 0 ? "EXPECTED (divergences flagged)" : "FAIL (biased, no divergences)";
    }
    if (verdict.startsWith("PASS") || verdict.startsWith("EXPECTED")) passed++;
    else problems.push(`${entry.posterior}: ${check.failures.join("; ")}`);
    if (check.notes.length > 0) notes.push(`${entry.posterior}: ${check.notes.join("; ")}`);
    console.log(
      [
        pad(entry.posterior, 46),
        pad(entry.source, 34),
        pad(`${run.numWarmup}+${run.numSamples}`, 10),
        pad(run.metric, 6),
        pad(num(cpuSeconds, 2), 7),
        pad(num(check.minEssBulk), 7),
        pad(num(essPerSecond), 8),
        pad(
          timing
            ? `${num(timing.min_ess_bulk_per_cpu_second, timing.min_ess_bulk_per_cpu_second < 100 ? 1 : 0)}${timing.rough ? " (rough)" : ""}`
            : "—",
          12,
        ),
        pad(num(per1000, 1), 12),
        pad(rstanFigure(timing?.ess_bulk_per_1000_gradients, 1), 7),
        pad(num(run.microsecondsPerGradient, 1), 8),
        pad(rstanFigure(timing?.microseconds_per_gradient, 1), 6),
        pad(String(run.treeDepthHits), 7),
        pad(num(check.maxRhat, 4), 8),
        pad(num(check.maxAbsZ, 2), 7),
        pad(String(run.divergences), 5),
        verdict,
      ].join(" "),
    );
  }
  console.log(
    `\n${passed} of ${selected.length} posteriors pass (the centred eight schools counts when it flags its divergences).`,
  );
  for (const p of problems) console.log(`  ${p}`);
  if (notes.length > 0) {
    console.log("Tail quantiles outside the README's optional rule 4 (≈3 standard errors; reported, not failed):");
    for (const n of notes) console.log(`  ${n}`);
  }
  const covered = new Set(selected.map((e) => e.posterior));
  const index = readPosteriorJson<{ posteriors: { name: string }[] }>(ROOT, "", "index.json");
  const missing = index.posteriors.map((p) => p.name).filter((n) => !covered.has(n));
  if (missing.length > 0 && only === undefined) console.log(`No sprig version yet: ${missing.join(", ")}.`);
}
