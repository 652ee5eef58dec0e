import { extractDraws } from "../mcmc/output.js";
import type { McmcResult } from "../mcmc/sample.js";
import { type ChainDraws, pooledMean, pooledSd, pooledSorted, sortedQuantile } from "./draws.js";
import { essBulk, essTail } from "./ess.js";
import { mcseMean } from "./mcse.js";
import { rhat } from "./rhat.js";
import { countFlags, countSaturated, ebfmi } from "./sampler.js";

/**
 * Posterior summary of one scalar quantity (the columns of Stan's summary table).
 *
 * @example
 * ```ts
 * const row: SummaryRow = summarizeDraws("mu", chains);
 * ```
 */
export interface SummaryRow {
  readonly name: string;
  readonly mean: number;
  /** Monte Carlo standard error of the mean. */
  readonly mcseMean: number;
  readonly sd: number;
  /** Median absolute deviation, scaled by 1.4826 to estimate sd under normality. */
  readonly mad: number;
  readonly q5: number;
  readonly q50: number;
  readonly q95: number;
  readonly essBulk: number;
  readonly essTail: number;
  readonly rhat: number;
}

/**
 * Thresholds above/below which {@link diagnose} warns (Vehtari et al. 2021; Betancourt 2016).
 *
 * @example
 * ```ts
 * diagnose(result, { rhat: 1.05 });
 * ```
 */
export interface DiagnosticThresholds {
  /** R-hat above this fails (default 1.01). */
  readonly rhat?: number;
  /** Bulk/tail ESS below this many per chain fails (default 100). */
  readonly essPerChain?: number;
  /** E-BFMI below this fails (default 0.3). */
  readonly ebfmi?: number;
}

/**
 * What {@link diagnose} found; `warnings` is empty when every check passed.
 *
 * @example
 * ```ts
 * const report = diagnose(result);
 * if (report.warnings.length > 0) console.warn(report.warnings.join("\n"));
 * ```
 */
export interface DiagnosticReport {
  readonly numTransitions: number;
  readonly numDivergent: number;
  /** Transitions that hit the maximum tree depth. */
  readonly numSaturated: number;
  /** E-BFMI of each chain. */
  readonly ebfmi: readonly number[];
  /** Names whose R-hat exceeds the threshold (or is NaN). */
  readonly highRhat: readonly string[];
  /** Names whose bulk or tail ESS is below the threshold. */
  readonly lowEss: readonly string[];
  /** One plain-language warning per failed check, with what to do about it. */
  readonly warnings: readonly string[];
}

/**
 * Summary statistics and convergence diagnostics of one scalar quantity's draws.
 *
 * @example
 * ```ts
 * summarizeDraws("tau", extractDraws(result, "tau")).rhat;
 * ```
 */
export function summarizeDraws(name: string, chains: ChainDraws): SummaryRow {
  const sorted = pooledSorted(chains);
  const median = sortedQuantile(sorted, 0.5);
  const deviations = sorted.map((x) => Math.abs(x - median)).sort();
  return {
    name,
    mean: pooledMean(chains),
    mcseMean: mcseMean(chains),
    sd: pooledSd(chains),
    mad: 1.4826 * sortedQuantile(deviations, 0.5),
    q5: sortedQuantile(sorted, 0.05),
    q50: median,
    q95: sortedQuantile(sorted, 0.95),
    essBulk: essBulk(chains),
    essTail: essTail(chains),
    rhat: rhat(chains),
  };
}

/**
 * One {@link SummaryRow} for `lp__` and each flat constrained coordinate of a result.
 *
 * @example
 * ```ts
 * summarize(result).filter((row) => row.rhat > 1.01);
 * ```
 */
export function summarize(result: McmcResult): SummaryRow[] {
  const rows = [
    summarizeDraws(
      "lp__",
      result.chains.map((c) => c.stats.logDensity),
    ),
  ];
  result.columns.forEach((column, k) => {
    rows.push(summarizeDraws(column.name, extractDraws(result, k)));
  });
  return rows;
}

function percent(k: number, n: number): string {
  return `${((100 * k) / n).toFixed(1)}%`;
}

function listNames(names: readonly string[]): string {
  return names.length <= 6 ? names.join(", ") : `${names.slice(0, 6).join(", ")} and ${names.length - 6} more`;
}

/**
 * Runs the sampler and convergence checks Stan's `diagnose` runs: divergences, tree-depth
 * saturation, E-BFMI per chain, R-hat and bulk/tail ESS per quantity.
 *
 * @example
 * ```ts
 * diagnose(result).warnings; // [] when nothing failed
 * ```
 */
export function diagnose(
  result: McmcResult,
  thresholds: DiagnosticThresholds = {},
  rows: readonly SummaryRow[] = summarize(result),
): DiagnosticReport {
  const rhatMax = thresholds.rhat ?? 1.01;
  const essMin = (thresholds.essPerChain ?? 100) * result.numChains;
  const ebfmiMin = thresholds.ebfmi ?? 0.3;
  const numTransitions = result.numChains * result.numSamples;
  let numDivergent = 0;
  let numSaturated = 0;
  for (const c of result.chains) {
    numDivergent += countFlags(c.stats.isDivergent);
    if (result.algorithm === "nuts") numSaturated += countSaturated(c.stats.treeDepth, result.maxTreeDepth);
  }
  const energyFractions = result.chains.map((c) => ebfmi(c.stats.energy));
  const highRhat = rows.filter((r) => !(r.rhat <= rhatMax)).map((r) => r.name);
  const lowEss = rows.filter((r) => !(r.essBulk >= essMin && r.essTail >= essMin)).map((r) => r.name);
  const warnings: string[] = [];
  if (numDivergent > 0) {
    warnings.push(
      `${numDivergent} of ${numTransitions} (${percent(numDivergent, numTransitions)}) transitions ended with a divergence: the sampler could not follow the posterior's curvature there, so the draws may be biased. Raise targetAcceptRate (e.g. 0.95) or reparameterise (a non-centred prior for hierarchical scales).`,
    );
  }
  if (numSaturated > 0) {
    warnings.push(
      `${numSaturated} of ${numTransitions} (${percent(numSaturated, numTransitions)}) transitions hit the maximum tree depth of ${result.maxTreeDepth}: a sign of strong correlations or poorly scaled parameters (efficiency, not validity). Try metric 'dense', a reparameterisation, or a larger maxTreeDepth.`,
    );
  }
  const lowEnergy = energyFractions.flatMap((e, c) => (e < ebfmiMin ? [`chain ${c + 1} (${e.toFixed(2)})`] : []));
  if (lowEnergy.length > 0) {
    warnings.push(
      `E-BFMI below ${ebfmiMin} in ${lowEnergy.join(", ")}: the momentum resampling explores the energy distribution slowly, typically because of heavy tails or a funnel. Try a reparameterisation.`,
    );
  }
  if (highRhat.length > 0) {
    warnings.push(
      `R-hat above ${rhatMax} for ${listNames(highRhat)}: the chains disagree, so they have not converged to a common distribution. Run longer chains or reparameterise.`,
    );
  }
  if (lowEss.length > 0) {
    warnings.push(
      `bulk or tail ESS below ${essMin} (${thresholds.essPerChain ?? 100} per chain) for ${listNames(lowEss)}: estimates of means or intervals are unreliable. Run more iterations.`,
    );
  }
  return {
    numTransitions,
    numDivergent,
    numSaturated,
    ebfmi: energyFractions,
    highRhat,
    lowEss,
    warnings,
  };
}

function formatValue(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return "0";
  const a = Math.abs(x);
  if (a >= 1e5 || a < 1e-3) return x.toExponential(2);
  return x.toPrecision(3);
}

function formatCount(x: number): string {
  return Number.isFinite(x) ? String(Math.round(x)) : String(x);
}

/**
 * Stan-style text summary of a result: a header with the run's size and time, one row per
 * quantity (Mean, MCSE, StdDev, MAD, 5%, 50%, 95%, ESS_bulk, ESS_tail, R_hat) and the
 * diagnostic warnings.
 *
 * @example
 * ```ts
 * console.log(summary(await sample(model, { seed: 1 })));
 * ```
 */
export function summary(result: McmcResult, thresholds: DiagnosticThresholds = {}): string {
  const rows = summarize(result);
  const report = diagnose(result, thresholds, rows);
  const warmupSeconds = result.chains.reduce((s, c) => s + c.warmupSeconds, 0);
  const samplingSeconds = result.chains.reduce((s, c) => s + c.samplingSeconds, 0);
  const gradients = result.chains.reduce((s, c) => s + c.numGradientEvaluations, 0);
  const header = [
    `sprig ${result.algorithm.toUpperCase()} (${result.metric} metric): ${result.numChains} chains × (${result.numWarmup} warm-up + ${result.numSamples} draws) = ${result.numChains * result.numSamples} draws kept`,
    `time: ${warmupSeconds.toFixed(2)} s warm-up + ${samplingSeconds.toFixed(2)} s sampling (summed over chains); ${gradients} gradient evaluations; step sizes ${result.chains.map((c) => c.stepSize.toPrecision(3)).join(", ")}`,
    "",
  ];
  const titles = ["", "Mean", "MCSE", "StdDev", "MAD", "5%", "50%", "95%", "ESS_bulk", "ESS_tail", "R_hat"];
  const table = rows.map((r) => [
    r.name,
    formatValue(r.mean),
    formatValue(r.mcseMean),
    formatValue(r.sd),
    formatValue(r.mad),
    formatValue(r.q5),
    formatValue(r.q50),
    formatValue(r.q95),
    formatCount(r.essBulk),
    formatCount(r.essTail),
    Number.isFinite(r.rhat) ? r.rhat.toFixed(3) : String(r.rhat),
  ]);
  const widths = titles.map((t, k) => Math.max(t.length, ...table.map((row) => row[k].length)));
  const render = (cells: string[]) =>
    cells.map((cell, k) => (k === 0 ? cell.padEnd(widths[k]) : cell.padStart(widths[k]))).join("  ");
  const body = [render(titles), ...table.map(render)];
  const footer =
    report.warnings.length === 0
      ? ["", "No problems detected: no divergences, no saturated trees, E-BFMI, R-hat and ESS within thresholds."]
      : ["", ...report.warnings.map((w) => `Warning: ${w}`)];
  return [...header, ...body, ...footer].join("\n");
}
