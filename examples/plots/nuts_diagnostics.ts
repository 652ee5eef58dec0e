/**
 * NUTS diagnostics as figures, on eight schools (Rubin 1981). The centred parameterisation has a
 * funnel between `tau` and the school effects that NUTS cannot enter, so this run has divergent
 * transitions to look at: the pair plot shows them piled up at small `tau`, the trace marks where
 * they happened, the energy plot shows a lowered E-BFMI. `--noncentered` samples the
 * non-centred model instead, where they disappear.
 *
 * Writes trace, rank, pair, energy and forest SVGs to examples/plots/out/ (or `--out DIR`).
 *
 * Run: `npx tsx examples/plots/nuts_diagnostics.ts [--noncentered] [--seed 1]`
 */
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { essBulk, rhat } from "../../src/inference/diagnostics/index.js";
import { sample } from "../../src/inference/mcmc/index.js";
import {
  divergentOf,
  drawsOf,
  energyOf,
  energyPlot,
  forestLabels,
  forestPlot,
  forestRows,
  pairPlot,
  rankPlot,
  tracePlot,
} from "../../src/plots/index.js";
import { writeSvg } from "../../src/plots/node.js";
import { eightSchoolsCentered, eightSchoolsNoncentered } from "../models/eight_schools.js";

/**
 * Settings of one run.
 *
 * @example
 * ```ts
 * await runNutsDiagnostics({ numSamples: 200, outDir: "out/plots" });
 * ```
 */
export interface NutsDiagnosticsOptions {
  /** Sample the non-centred model (default false: the centred one, with its funnel). */
  readonly noncentered?: boolean;
  readonly numChains?: number;
  readonly numWarmup?: number;
  readonly numSamples?: number;
  readonly seed?: number;
  /** Where the SVGs go (default examples/plots/out). */
  readonly outDir?: string;
  /** Where lines go (default console.log). */
  readonly log?: (line: string) => void;
}

/**
 * What a run wrote and saw.
 *
 * @example
 * ```ts
 * const { files, divergences } = await runNutsDiagnostics({ numSamples: 200 });
 * ```
 */
export interface NutsDiagnosticsResult {
  /** Paths of the SVG files written. */
  readonly files: readonly string[];
  /** Divergent transitions among the kept draws, all chains. */
  readonly divergences: number;
}

/** The eight schools data: estimated coaching effects and their standard errors. */
const DATA = { J: 8, y: [28, 8, -3, 7, -1, 1, 18, 12], sigma: [15, 10, 16, 11, 9, 11, 10, 18] };

/**
 * Samples eight schools and writes the diagnostic figures.
 *
 * @example
 * ```ts
 * const result = await runNutsDiagnostics({ numChains: 2, numWarmup: 100, numSamples: 100, outDir: "out/p" });
 * ```
 */
export async function runNutsDiagnostics(options: NutsDiagnosticsOptions = {}): Promise<NutsDiagnosticsResult> {
  const log = options.log ?? console.log;
  const outDir = options.outDir ?? fileURLToPath(new URL("./out/", import.meta.url));
  const noncentered = options.noncentered ?? false;
  const name = noncentered ? "non-centred" : "centred";
  const result = await sample(noncentered ? eightSchoolsNoncentered : eightSchoolsCentered, DATA, {
    numChains: options.numChains ?? 4,
    numWarmup: options.numWarmup ?? 1000,
    numSamples: options.numSamples ?? 1000,
    seed: options.seed ?? 1,
    progress: false,
  });
  const divergent = divergentOf(result);
  const divergences = divergent.reduce((s, flags) => s + flags.reduce((a, b) => a + b, 0), 0);
  log(`eight schools (${name}): ${result.numChains} chains × ${result.numSamples} draws, ${divergences} divergent`);

  // `theta` is a parameter of the centred model and a derived quantity of the non-centred one;
  // drawsOf finds both by name.
  const [mu, tau, theta1] = drawsOf(result, ["mu", "tau", "theta[1]"]);
  const logTau = { name: "log tau", chains: tau.chains.map((c) => Float64Array.from(c, Math.log)) };
  const everything = drawsOf(result, ["mu", "tau", "theta"]);
  const intervals = { inner: 0.5, outer: 0.9 };
  const rows = forestRows(everything, intervals).map((row, i) => {
    const chains = everything[i].chains;
    return { ...row, note: `R̂ ${rhat(chains).toFixed(3)}  ESS ${Math.round(essBulk(chains))}` };
  });

  const figures: [string, string][] = [
    [
      "trace.svg",
      tracePlot([mu, tau, theta1], {
        title: `Eight schools (${name}): traces`,
        divergent,
        bounds: { tau: [0, Number.POSITIVE_INFINITY] },
      }),
    ],
    ["rank.svg", rankPlot([mu, tau, theta1], { title: `Eight schools (${name}): rank histograms` })],
    ["pair.svg", pairPlot([mu, logTau, theta1], { title: `Eight schools (${name}): pairs`, divergent })],
    ["energy.svg", energyPlot(energyOf(result), { title: `Eight schools (${name}): energy` })],
    [
      "forest.svg",
      forestPlot(rows, {
        title: `Eight schools (${name}): posterior summaries`,
        reference: 0,
        labels: forestLabels(intervals),
      }),
    ],
  ];
  const files: string[] = [];
  for (const [file, svg] of figures) {
    const path = join(outDir, file);
    writeSvg(path, svg);
    files.push(path);
  }
  log(`wrote ${files.length} figures to ${outDir}`);
  return { files, divergences };
}

function arg(flag: string): string | undefined {
  const i = process.argv.indexOf(`--${flag}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runNutsDiagnostics({
    noncentered: process.argv.includes("--noncentered"),
    seed: Number(arg("seed") ?? 1),
    outDir: arg("out"),
  });
}
