/**
 * The comparison rules of ../shared/posteriordb/README.md ("How a test should compare"), shared by
 * the posteriordb test (a fast subset) and `npm run bench -- posteriordb` (every posterior with a
 * sprig version). Not a benchmark itself (the leading underscore keeps bench/run.ts from listing it).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  essBulk,
  essTail,
  mcseMean,
  pooledMean,
  pooledSd,
  quantile,
  rhat,
} from "../src/inference/diagnostics/index.js";
import { extractDraws, type McmcResult } from "../src/inference/mcmc/index.js";
import type { ModelGraph } from "../src/ir/index.js";

/**
 * One quantity of a posteriordb `reference.json`.
 *
 * @example
 * ```ts
 * const mu: ReferenceQuantity = { name: "mu", mean: 4.41, sd: 3.31, q5: -0.94, q50: 4.36, q95: 9.83, mcse_mean: 0.033 };
 * ```
 */
export interface ReferenceQuantity {
  readonly name: string;
  readonly mean: number;
  readonly sd: number;
  readonly q5: number;
  readonly q50: number;
  readonly q95: number;
  readonly mcse_mean: number;
}

/**
 * A posteriordb `reference.json`.
 *
 * @example
 * ```ts
 * const reference = readPosteriorJson<Reference>(root, "kidiq-kidscore_momhsiq", "reference.json");
 * ```
 */
export interface Reference {
  readonly posterior: string;
  readonly source: string;
  readonly parameters: readonly ReferenceQuantity[];
}

/**
 * A posteriordb `rstan_timing.json` (the fields the benchmarks read). A `rough` file (diamonds'
 * one short probe chain) lacks the per-gradient figures and `min_ess_bulk`: check before use.
 *
 * @example
 * ```ts
 * const timing = readPosteriorJson<RstanTiming>(root, "wells_data-wells_dae_c_model", "rstan_timing.json");
 * ```
 */
export interface RstanTiming {
  readonly min_ess_bulk_per_cpu_second: number;
  readonly ess_bulk_per_1000_gradients: number;
  readonly microseconds_per_gradient: number;
  readonly min_ess_bulk: number;
  readonly chain_cpu_seconds: number;
  readonly measured_on: string;
  readonly rough?: boolean;
}

/**
 * The README's verdict on one quantity.
 *
 * @example
 * ```ts
 * const ok = (q: QuantityCheck) => q.meanError <= q.meanTolerance;
 * ```
 */
export interface QuantityCheck {
  readonly name: string;
  readonly mean: number;
  readonly sd: number;
  readonly essBulk: number;
  readonly essTail: number;
  readonly rhat: number;
  /** |m − ref.mean| / ref.sd and its tolerance max(0.1, 4/√ESS). */
  readonly meanError: number;
  readonly meanTolerance: number;
  /** s / ref.sd and its tolerance: within 1 ± max(0.1, 3/√ESS). */
  readonly sdRatio: number;
  readonly sdTolerance: number;
  /** Larger of the q5 and q95 errors in ref sds, and its tolerance max(0.15, 6/√ESS_tail). */
  readonly tailError: number;
  readonly tailTolerance: number;
  /** (m − ref.mean) / √(mcse² + ref.mcse²). */
  readonly z: number;
}

/**
 * The README's verdict on a posterior.
 *
 * @example
 * ```ts
 * const passed = (c: PosteriorCheck) => c.converged && c.accurate;
 * ```
 */
export interface PosteriorCheck {
  readonly quantities: readonly QuantityCheck[];
  /** Rule 1: R-hat < 1.01 and ESS_bulk ≥ 400 for every quantity. */
  readonly converged: boolean;
  /** Rules 2, 3 and 5: means, scales and the joint z check. */
  readonly accurate: boolean;
  readonly minEssBulk: number;
  readonly maxRhat: number;
  readonly maxAbsZ: number;
  /** One line per failed rule and quantity. */
  readonly failures: readonly string[];
  /** Tail (rule 4) exceedances: reported, not counted as failures (see {@link checkAgainstReference}). */
  readonly notes: readonly string[];
}

/**
 * Applies the README's rules 1–5 to every quantity of `reference`. Rule 4 (the 5% and 95%
 * quantiles within max(0.15, 6/√ESS_tail) sds) is optional there and only reported here: a
 * quantile estimate's sd is about 2.1/√ESS_tail reference sds for a normal, so that bound sits at
 * 2.8–3.2 standard errors, and over the 170 tails of the radon posteriors about one run in five
 * would trip it by chance. Rules 2, 3 and 5 sit at 4+ standard errors.
 *
 * @example
 * ```ts
 * const check = checkAgainstReference(result, reference);
 * if (!check.converged || !check.accurate) console.log(check.failures.join("\n"));
 * ```
 */
export function checkAgainstReference(result: McmcResult, reference: Reference): PosteriorCheck {
  const quantities: QuantityCheck[] = [];
  const failures: string[] = [];
  const notes: string[] = [];
  for (const ref of reference.parameters) {
    const chains = extractDraws(result, ref.name);
    const mean = pooledMean(chains);
    const sd = pooledSd(chains);
    const bulk = essBulk(chains);
    const tail = essTail(chains);
    const q: QuantityCheck = {
      name: ref.name,
      mean,
      sd,
      essBulk: bulk,
      essTail: tail,
      rhat: rhat(chains),
      meanError: Math.abs(mean - ref.mean) / ref.sd,
      meanTolerance: Math.max(0.1, 4 / Math.sqrt(bulk)),
      sdRatio: sd / ref.sd,
      sdTolerance: Math.max(0.1, 3 / Math.sqrt(bulk)),
      tailError:
        Math.max(Math.abs(quantile(chains, 0.05) - ref.q5), Math.abs(quantile(chains, 0.95) - ref.q95)) / ref.sd,
      tailTolerance: Math.max(0.15, 6 / Math.sqrt(tail)),
      z: (mean - ref.mean) / Math.sqrt(mcseMean(chains) ** 2 + ref.mcse_mean ** 2),
    };
    quantities.push(q);
    if (!(q.rhat < 1.01)) failures.push(`${q.name}: R-hat ${q.rhat.toFixed(4)} ≥ 1.01`);
    if (!(q.essBulk >= 400)) failures.push(`${q.name}: ESS_bulk ${q.essBulk.toFixed(0)} < 400`);
    if (!(q.meanError <= q.meanTolerance)) {
      failures.push(`${q.name}: |mean − ref| = ${q.meanError.toFixed(3)} sd > ${q.meanTolerance.toFixed(3)}`);
    }
    if (!(Math.abs(q.sdRatio - 1) <= q.sdTolerance)) {
      failures.push(`${q.name}: sd ratio ${q.sdRatio.toFixed(3)} outside 1 ± ${q.sdTolerance.toFixed(3)}`);
    }
    if (!(q.tailError <= q.tailTolerance)) {
      notes.push(`${q.name}: tail quantile error ${q.tailError.toFixed(3)} sd > ${q.tailTolerance.toFixed(3)}`);
    }
  }
  const maxAbsZ = Math.max(...quantities.map((q) => Math.abs(q.z)));
  if (!(maxAbsZ < 4)) failures.push(`max |z| = ${maxAbsZ.toFixed(2)} ≥ 4`);
  const converged = quantities.every((q) => q.rhat < 1.01 && q.essBulk >= 400);
  const accurate =
    maxAbsZ < 4 && quantities.every((q) => q.meanError <= q.meanTolerance && Math.abs(q.sdRatio - 1) <= q.sdTolerance);
  return {
    quantities,
    converged,
    accurate,
    minEssBulk: Math.min(...quantities.map((q) => q.essBulk)),
    maxRhat: Math.max(...quantities.map((q) => q.rhat)),
    maxAbsZ,
    failures,
    notes,
  };
}

/**
 * Min over the reference quantities of ESS_bulk, the README's speed measure's numerator.
 *
 * @example
 * ```ts
 * minEssBulk(result, reference.parameters.map((p) => p.name));
 * ```
 */
export function minEssBulk(result: McmcResult, names: readonly string[]): number {
  return Math.min(...names.map((name) => essBulk(extractDraws(result, name))));
}

/**
 * Leapfrog steps of the kept iterations, summed over chains (the README's gradient count).
 *
 * @example
 * ```ts
 * const per1000 = (1000 * minEss) / samplingGradients(result);
 * ```
 */
export function samplingGradients(result: McmcResult): number {
  let steps = 0;
  for (const chain of result.chains) for (const k of chain.stats.numSteps) steps += k;
  return steps;
}

/**
 * Reads a JSON file of a posteriordb folder.
 *
 * @example
 * ```ts
 * const data = readPosteriorJson<ModelData>(root, "eight_schools-eight_schools_noncentered", "data.json");
 * ```
 */
export function readPosteriorJson<T>(root: string, posterior: string, file: string): T {
  return JSON.parse(readFileSync(join(root, posterior, file), "utf8")) as T;
}

/**
 * A `.sprig` example with the posteriordb posterior it translates (its `// posteriordb: name` line).
 *
 * @example
 * ```ts
 * const file: SprigFile = { path: "examples/models/arK.sprig", posterior: "arK-arK", text };
 * ```
 */
export interface SprigFile {
  readonly path: string;
  readonly posterior: string;
  readonly text: string;
}

/**
 * The `.sprig` model files under `dir` that name a posteriordb posterior in a
 * `// posteriordb: <name>` comment.
 *
 * @example
 * ```ts
 * sprigTranslations("examples/models").map((f) => f.posterior);
 * ```
 */
export function sprigTranslations(dir: string): SprigFile[] {
  if (!existsSync(dir)) return [];
  const files: SprigFile[] = [];
  for (const entry of readdirSync(dir).sort()) {
    if (!entry.endsWith(".sprig")) continue;
    const path = join(dir, entry);
    const text = readFileSync(path, "utf8");
    const match = /^\/\/.*posteriordb:\s*([A-Za-z0-9_.-]+-[A-Za-z0-9_.-]+)/m.exec(text);
    if (match) files.push({ path, posterior: match[1].replace(/[.;,]+$/, ""), text });
  }
  return files;
}

/**
 * The text front end's entry point, when it exists: `parseModel(text, families, { file, data })`.
 *
 * @example
 * ```ts
 * const graph = parse(text, exampleFamilies(), { file: "arK.sprig", data });
 * ```
 */
export type ParseModel = (
  text: string,
  families: unknown,
  options: { readonly file?: string; readonly data?: Readonly<Record<string, unknown>> },
) => ModelGraph;

/**
 * Loads `parseModel` from src/lang/text if the text language is there, else undefined (the
 * callers then skip the `.sprig` translations with a message).
 *
 * @example
 * ```ts
 * const parse = await loadParseModel();
 * ```
 */
export async function loadParseModel(): Promise<ParseModel | undefined> {
  try {
    const module = (await import("../src/lang/text/index.js")) as { parseModel?: unknown };
    return typeof module.parseModel === "function" ? (module.parseModel as ParseModel) : undefined;
  } catch {
    return undefined;
  }
}
