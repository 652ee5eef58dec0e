/**
 * `npm run bench -- vi [--part advi|sbl|all] [--seeds 3] [--grad-samples M] [--sizes S,M] [--trials 1]
 *   [--models kron_product,kron_support]`
 *
 * Part 1 (ADVI): mean-field ADVI with default settings on the posteriordb posteriors of the
 * acceptance set (wells logistic regression, kidiq regression, eight schools non-centred), compiled
 * from examples/models. For every reference quantity (transformed parameters through the model's
 * deterministics) it prints |mean − ref.mean| / ref.sd with the pass mark 0.3, the sd ratio
 * (mean-field under-disperses correlated posteriors by design), Pareto k̂, iterations and CPU time
 * to convergence beside rstan's ADVI time when ../shared/posteriordb records one (it records NUTS
 * only; that figure is shown for scale). A full-rank row per posterior is printed for comparison.
 *
 * Part 2 (VB-SBL vs EM-SBL): on the frozen problems of ../shared/sbl-bench (known noise, as the
 * reference solvers), VB with the ARD prior (exact, and pruned below 1e-3 · max 1/E[α] as EM prunes
 * below 1e-3 · max γ) against EM-SBL (`em`), and VB with the Kronecker ARD
 * prior against KroSBL-AM and KroSBL-SVD; NMSE (dB) and CPU seconds per problem, then medians and
 * the gaps. Stopping: ‖Δ‖/‖·‖ < 1e-4 or 150 iterations for every solver (EM on γ, VB on μ), as
 * in `npm run bench -- sbl`. The turbo prior is run for information.
 *
 * Each solver is run once before timing so CPU figures exclude JIT warm-up.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { eightSchoolsNoncentered } from "../examples/models/eight_schools.js";
import { exampleFamilies } from "../examples/models/families.js";
import { kidiq } from "../examples/models/kidiq.js";
import { wells } from "../examples/models/wells.js";
import { type FitSblOptions, fitSbl } from "../src/inference/em/index.js";
import { type CompiledModel, compile } from "../src/inference/model/index.js";
import { type AdviResult, type FitVbOptions, fitAdvi, fitVb, type VbProblem } from "../src/inference/vi/index.js";
import type { ModelGraph } from "../src/ir/index.js";
import { type BenchProblem, sblProblem } from "./_sbl_problems.js";
import { cpuSeconds, median } from "./_util.js";

const SHARED = fileURLToPath(new URL("../../shared/", import.meta.url));
const PDB = join(SHARED, "posteriordb");
const SBL = join(SHARED, "sbl-bench");

interface Quantity {
  readonly name: string;
  readonly mean: number;
  readonly sd: number;
}

function flag(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
}

/** CPU seconds (user + system) of `run`, and its result. */
function cpuTimed<T>(run: () => T): { value: T; seconds: number } {
  const start = process.cpuUsage();
  const value = run();
  return { value, seconds: cpuSeconds(start) };
}

const pad = (s: string, n: number) => s.padEnd(n);
const num = (x: number, digits = 3) => (Number.isFinite(x) ? x.toFixed(digits) : String(x));

/** Values of a reference quantity ("beta[2]", "theta[1]", "tau") at every draw of a fit. */
function quantityDraws(model: CompiledModel, fit: AdviResult, name: string): Float64Array {
  const match = /^([A-Za-z_][A-Za-z0-9_]*)(?:\[(\d+)\])?$/.exec(name);
  if (!match) throw new Error(`bench vi: cannot parse quantity name ${name}`);
  const base = match[1];
  const index = match[2] === undefined ? 0 : Number(match[2]) - 1;
  const draws = fit.draws;
  const out = new Float64Array(draws.numDraws);
  const latent = model.layout.find((v) => v.name === base);
  const D = draws.constrainedDimension;
  const d = draws.dimension;
  for (let s = 0; s < draws.numDraws; s++) {
    if (latent) {
      out[s] = draws.constrained[s * D + latent.constrainedOffset + index];
    } else {
      const value = model.deterministics(draws.unconstrained.subarray(s * d, (s + 1) * d))[base];
      out[s] = typeof value === "number" ? value : (value as Float64Array)[index];
    }
  }
  return out;
}

function meanSd(x: Float64Array): { mean: number; sd: number } {
  let mean = 0;
  for (let i = 0; i < x.length; i++) mean += x[i] / x.length;
  let ss = 0;
  for (let i = 0; i < x.length; i++) ss += (x[i] - mean) ** 2;
  return { mean, sd: Math.sqrt(ss / (x.length - 1)) };
}

async function adviPart(seeds: number, gradSamples: number | undefined): Promise<void> {
  console.log("\n=== ADVI on posteriordb (mean-field, default options; pass: every |Δmean| ≤ 0.3 ref sd) ===");
  if (!existsSync(PDB)) {
    console.log(`skipped: ${PDB} not found`);
    return;
  }
  const cases: { posterior: string; graph: ModelGraph }[] = [
    { posterior: "wells_data-wells_dae_c_model", graph: wells },
    { posterior: "kidiq-kidscore_momhsiq", graph: kidiq },
    { posterior: "eight_schools-eight_schools_noncentered", graph: eightSchoolsNoncentered },
  ];
  const families = exampleFamilies();
  console.log(
    `${pad("posterior", 40)}${pad("family", 10)}${pad("seed", 5)}${pad("iters", 7)}${pad("stop", 14)}${pad("k̂", 6)}` +
      `${pad("max|Δm|/sd", 22)}${pad("sd ratio", 16)}${pad("pass", 6)}${pad("cpu s", 8)}rstan ADVI s`,
  );
  let allPass = true;
  for (const { posterior, graph } of cases) {
    const dir = join(PDB, posterior);
    if (!existsSync(join(dir, "data.json"))) {
      console.log(`${posterior}: skipped (no data.json)`);
      continue;
    }
    const data = JSON.parse(readFileSync(join(dir, "data.json"), "utf8"));
    const reference = JSON.parse(readFileSync(join(dir, "reference.json"), "utf8")).parameters as Quantity[];
    const timingFile = join(dir, "rstan_timing.json");
    const timing = existsSync(timingFile) ? JSON.parse(readFileSync(timingFile, "utf8")) : undefined;
    const rstan =
      timing?.advi_cpu_seconds !== undefined
        ? num(timing.advi_cpu_seconds)
        : `n/a (only NUTS recorded${timing ? `: ${num(timing.chain_cpu_seconds, 1)} s, 4 chains` : ""})`;
    const model = compile(graph, data, families);
    fitAdvi(model, { seed: 99, maxIterations: 200, numDraws: 10 });
    const runs: { family: "meanfield" | "fullrank"; seed: number }[] = [];
    for (let seed = 1; seed <= seeds; seed++) runs.push({ family: "meanfield", seed });
    runs.push({ family: "fullrank", seed: 1 });
    for (const { family, seed } of runs) {
      const { value: fit, seconds } = cpuTimed(() =>
        fitAdvi(model, { family, seed, numDraws: 4000, ...(gradSamples ? { gradSamples } : {}) }),
      );
      let worst = { name: "", error: -1 };
      let minRatio = Number.POSITIVE_INFINITY;
      let maxRatio = 0;
      for (const ref of reference) {
        const { mean, sd } = meanSd(quantityDraws(model, fit, ref.name));
        const error = Math.abs(mean - ref.mean) / ref.sd;
        if (error > worst.error) worst = { name: ref.name, error };
        minRatio = Math.min(minRatio, sd / ref.sd);
        maxRatio = Math.max(maxRatio, sd / ref.sd);
      }
      const pass = worst.error <= 0.3;
      if (family === "meanfield") allPass &&= pass;
      console.log(
        `${pad(posterior, 40)}${pad(family, 10)}${pad(String(seed), 5)}${pad(String(fit.iterations), 7)}` +
          `${pad(fit.stopReason, 14)}${pad(num(fit.paretoK, 2), 6)}${pad(`${num(worst.error)} (${worst.name})`, 22)}` +
          `${pad(`${num(minRatio, 2)}–${num(maxRatio, 2)}`, 16)}${pad(pass ? "yes" : "NO", 6)}${pad(num(seconds), 8)}${rstan}`,
      );
    }
  }
  console.log(`mean-field acceptance (every quantity within 0.3 sd, every seed): ${allPass ? "PASS" : "FAIL"}`);
}

const EM_OPTIONS: Record<string, FitSblOptions> = {
  em: { algorithm: "em", initialGamma: 1, pruneThreshold: 1e-3, tolerance: 1e-4, maxIterations: 150 },
  krosbl_am: { algorithm: "krosbl_am", initialGamma: 1, pruneThreshold: 1e-2, tolerance: 1e-4, maxIterations: 150 },
  krosbl_svd: { algorithm: "krosbl_svd", initialGamma: 1, pruneThreshold: 1e-3, tolerance: 1e-4, maxIterations: 150 },
};
const VB_OPTIONS: FitVbOptions = { tolerance: 1e-4, maxIterations: 150 };

function sblPart(sizes: string[], trials: number, models: string[]): void {
  console.log("\n=== VB-SBL vs EM-SBL on sbl-bench (known noise; NMSE dB and CPU s) ===");
  const indexFile = join(SBL, "problems", "index.json");
  if (!existsSync(indexFile)) {
    console.log(`skipped: ${indexFile} not found`);
    return;
  }
  const index = JSON.parse(readFileSync(indexFile, "utf8")) as {
    problems: { id: string; file: string; size: string; x_model: string; trial: number }[];
  };
  const entries = index.problems.filter(
    (p) => sizes.includes(p.size) && p.trial < trials && models.includes(p.x_model),
  );
  const solvers: { label: string; run: (p: BenchProblem) => Float64Array }[] = [
    { label: "em", run: (p) => fitSbl(sblProblem(p, "ard"), EM_OPTIONS.em).mean },
    { label: "vb ard", run: (p) => fitVb(sblProblem(p, "ard") as VbProblem, VB_OPTIONS).mean },
    {
      label: "vb ard pruned",
      run: (p) => fitVb(sblProblem(p, "ard") as VbProblem, { ...VB_OPTIONS, pruneThreshold: 1e-3 }).mean,
    },
    { label: "krosbl_am", run: (p) => fitSbl(sblProblem(p, "kron"), EM_OPTIONS.krosbl_am).mean },
    { label: "krosbl_svd", run: (p) => fitSbl(sblProblem(p, "kron"), EM_OPTIONS.krosbl_svd).mean },
    { label: "vb kron", run: (p) => fitVb(sblProblem(p, "kron") as VbProblem, VB_OPTIONS).mean },
    {
      label: "vb turbo",
      run: (p) => fitVb({ ...sblProblem(p, "ard"), prior: { kind: "turbo" } } as VbProblem, VB_OPTIONS).mean,
    },
  ];
  const load = (file: string) => JSON.parse(readFileSync(join(SBL, "problems", file), "utf8")) as BenchProblem;
  if (entries.length > 0) {
    const warm = load(entries[0].file);
    for (const s of solvers) s.run(warm);
  }
  const results = new Map<string, { nmse: number[]; seconds: number[] }>();
  const key = (size: string, label: string) => `${size}|${label}`;
  console.log(`${pad("problem", 30)}${solvers.map((s) => pad(s.label, 18)).join("")}`);
  for (const entry of entries) {
    const p = load(entry.file);
    const cells: string[] = [];
    for (const s of solvers) {
      const { value: mean, seconds } = cpuTimed(() => s.run(p));
      let err = 0;
      let norm = 0;
      for (let i = 0; i < mean.length; i++) {
        err += (mean[i] - p.x_true[i]) ** 2;
        norm += p.x_true[i] ** 2;
      }
      const db = 10 * Math.log10(err / norm);
      const r = results.get(key(p.size, s.label)) ?? { nmse: [], seconds: [] };
      r.nmse.push(db);
      r.seconds.push(seconds);
      results.set(key(p.size, s.label), r);
      cells.push(pad(`${num(db, 1)} / ${num(seconds, 2)}s`, 18));
    }
    console.log(`${pad(p.id, 30)}${cells.join("")}`);
  }
  console.log("\nmedians per size (NMSE dB / CPU s):");
  for (const size of sizes) {
    const row = solvers.map((s) => {
      const r = results.get(key(size, s.label));
      return pad(r ? `${num(median(r.nmse), 1)} / ${num(median(r.seconds), 2)}s` : "—", 18);
    });
    console.log(`${pad(size, 30)}${row.join("")}`);
  }
  console.log("\nVB vs EM (median over problems of the per-problem NMSE gap VB − EM, dB; CPU ratio VB/EM):");
  for (const size of sizes) {
    for (const [vb, em] of [
      ["vb ard", "em"],
      ["vb ard pruned", "em"],
      ["vb kron", "krosbl_am"],
      ["vb kron", "krosbl_svd"],
    ] as const) {
      const a = results.get(key(size, vb));
      const b = results.get(key(size, em));
      if (!a || !b) continue;
      const gap = median(a.nmse.map((v, i) => v - b.nmse[i]));
      const ratio = median(a.seconds.map((v, i) => v / Math.max(b.seconds[i], 1e-6)));
      const verdict =
        gap <= 1 && ratio <= 1.5
          ? "within 1 dB at similar or lower time"
          : gap <= 1
            ? "within 1 dB, slower"
            : "more than 1 dB worse";
      console.log(
        `  ${pad(size, 3)} ${pad(`${vb} vs ${em}`, 26)} gap ${pad(num(gap, 2), 7)} dB   time ×${pad(num(ratio, 2), 6)} ${verdict}`,
      );
    }
  }
}

export default async function main(args: string[]): Promise<void> {
  const part = flag(args, "part", "all");
  const seeds = Number(flag(args, "seeds", "3"));
  const sizes = flag(args, "sizes", "S,M").split(",");
  const trials = Number(flag(args, "trials", "1"));
  const models = flag(args, "models", "kron_product,kron_support").split(",");
  const gradSamples = args.includes("--grad-samples") ? Number(flag(args, "grad-samples", "1")) : undefined;
  if (part === "advi" || part === "all") await adviPart(seeds, gradSamples);
  if (part === "sbl" || part === "all") sblPart(sizes, trials, models);
}
