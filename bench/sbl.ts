/**
 * `npm run bench -- sbl [--sizes S,M,L] [--algos em,krosbl_am,krosbl_svd,tipping_faul]
 *   [--models kron_product,kron_support] [--trials 5] [--full] [--no-python]`
 *
 * Runs sprig's EM-SBL, KroSBL-AM, KroSBL-SVD and Tipping–Faul on the frozen problems of
 * ../shared/sbl-bench and prints, per algorithm / value model / size / SNR, the median NMSE (dB),
 * the mean support F1 and the mean CPU seconds beside the reference figures of
 * results/python_solvers.csv (same metric definitions as the bench README). When /usr/bin/python3
 * has numpy and scikit-learn, the reference solvers run side by side on trial 0 of every setting,
 * and the CPU bars use those same-machine figures. Settings match the reference solvers: known
 * noise, γ₀ = 1, stop when ‖Δγ‖/‖γ‖ < 1e-4 or after 150 iterations, prune below 1e-3 · max
 * (KroSBL-AM: 1e-2 per factor); Tipping–Faul with known noise ('fastml_known').
 *
 * Each algorithm is run once on a small problem before timing, so CPU figures exclude JIT warm-up.
 * Without --full, EM-SBL and Tipping–Faul run at size L only where the reference has a figure
 * (trial 0 of kron_product), since each such solve takes tens of seconds in any implementation.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { fitSbl, recoveryScores } from "../src/inference/em/index.js";
import type { FitSblOptions } from "../src/inference/em/index.js";
import { type BenchProblem, sblProblem } from "./_sbl_problems.js";
import { cpuSeconds, median, parseArgs } from "./_util.js";

type Algo = "em" | "krosbl_am" | "krosbl_svd" | "tipping_faul";
const ALL_ALGOS: readonly Algo[] = ["em", "krosbl_am", "krosbl_svd", "tipping_faul"];
/** The reference solver of run_baselines.py that implements the same algorithm. */
const REFERENCE: Record<Algo, string> = {
  em: "em_sbl",
  krosbl_am: "krosbl_am",
  krosbl_svd: "krosbl_svd",
  tipping_faul: "fastml_known",
};
const OPTIONS: Record<Algo, FitSblOptions> = {
  em: { algorithm: "em", initialGamma: 1, pruneThreshold: 1e-3, tolerance: 1e-4, maxIterations: 150 },
  krosbl_am: { algorithm: "krosbl_am", initialGamma: 1, pruneThreshold: 1e-2, tolerance: 1e-4, maxIterations: 150 },
  krosbl_svd: { algorithm: "krosbl_svd", initialGamma: 1, pruneThreshold: 1e-3, tolerance: 1e-4, maxIterations: 150 },
  tipping_faul: { algorithm: "tipping_faul", maxIterations: 2000 },
};

interface Entry {
  id: string;
  file: string;
  x_model: string;
  size: string;
  snr_db: number;
  trial: number;
}

interface Row {
  nmse: number;
  f1: number;
  srr: number;
  cpu: number;
}

function solve(algo: Algo, p: BenchProblem): Row {
  const problem = sblProblem(p, "ard");
  const c0 = cpuSeconds();
  const fit = fitSbl(problem, OPTIONS[algo]);
  const cpu = cpuSeconds() - c0;
  return { ...recoveryScores(fit.mean, p.x_true), cpu };
}

/** Rows of a run_baselines.py CSV keyed by `id|algo`. */
function readCsv(path: string): Map<string, Row> {
  const out = new Map<string, Row>();
  const lines = readFileSync(path, "utf8").trim().split("\n");
  const head = lines[0].split(",");
  const col = (name: string) => head.indexOf(name);
  const [iId, iAlgo, iNmse, iF1, iSrr, iCpu] = ["id", "algo", "nmse", "f1", "srr", "cpu_s"].map(col);
  for (const line of lines.slice(1)) {
    const f = line.split(",");
    out.set(`${f[iId]}|${f[iAlgo]}`, { nmse: +f[iNmse], f1: +f[iF1], srr: +f[iSrr], cpu: +f[iCpu] });
  }
  return out;
}

const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const dB = (x: number) => 10 * Math.log10(x);
const fmt = (x: number, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : "—");

function pythonAvailable(): boolean {
  if (!existsSync("/usr/bin/python3")) return false;
  const r = spawnSync("/usr/bin/python3", ["-c", "import numpy, sklearn"], { encoding: "utf8" });
  return r.status === 0;
}

/** Runs run_baselines.py on trial 0 of the given sizes; returns its rows (or undefined on failure). */
function runPython(dir: string, sizes: readonly string[], algos: readonly Algo[]): Map<string, Row> | undefined {
  const tmp = mkdtempSync(join(tmpdir(), "sprig-sbl-"));
  const out = join(tmp, "py.csv");
  try {
    for (const size of sizes) {
      const names = new Set<string>();
      for (const a of algos) {
        // The dense reference solvers take tens of seconds per problem at L; KroSBL runs everywhere.
        if (size === "L" && (a === "em" || a === "tipping_faul")) continue;
        names.add(REFERENCE[a]);
      }
      if (size !== "L" && algos.includes("em")) names.add("ard_sklearn");
      if (names.size === 0) continue;
      console.log(`  python reference solvers, size ${size}, trial 0: ${[...names].join(", ")} …`);
      const r = spawnSync(
        "/usr/bin/python3",
        // Filter values must not start with '-' (argparse would read them as options): "S-snr" selects size S.
        [join(dir, "run_baselines.py"), "--out", out, "--filter", `${size}-snr`, "t00", "--algos", ...names],
        { encoding: "utf8", env: { ...process.env, OPENBLAS_NUM_THREADS: "1", OMP_NUM_THREADS: "1" } },
      );
      if (r.status !== 0) {
        console.log(`  python run failed (${r.stderr.trim().split("\n").at(-1)}); skipping side-by-side figures`);
        return undefined;
      }
    }
    return existsSync(out) ? readCsv(out) : new Map();
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * The benchmark entry point (see the file comment for the flags).
 *
 * @example
 * ```ts
 * await sblBench(["--sizes", "S,M", "--algos", "em,krosbl_svd"]);
 * ```
 */
export default async function sblBench(args: string[]): Promise<void> {
  const opts = parseArgs(args);
  const dir = process.env.SBL_BENCH_DIR ?? fileURLToPath(new URL("../../shared/sbl-bench/", import.meta.url));
  const indexPath = join(dir, "problems", "index.json");
  if (!existsSync(indexPath)) {
    console.log(`sbl bench: ${indexPath} not found — skipping (set SBL_BENCH_DIR to the sbl-bench folder).`);
    return;
  }
  const sizes = String(opts.sizes ?? "S,M,L").split(",");
  const algos = String(opts.algos ?? ALL_ALGOS.join(",")).split(",") as Algo[];
  for (const a of algos) {
    if (!ALL_ALGOS.includes(a)) throw new Error(`sbl bench: unknown algorithm '${a}' (use ${ALL_ALGOS.join(", ")})`);
  }
  const models = String(opts.models ?? "kron_product,kron_support").split(",");
  const trials = Number(opts.trials ?? 5);
  const full = opts.full === true;
  const index = JSON.parse(readFileSync(indexPath, "utf8")) as { problems: Entry[] };
  const entries = index.problems.filter(
    (e) => sizes.includes(e.size) && models.includes(e.x_model) && e.trial < trials,
  );
  const reference = readCsv(join(dir, "results", "python_solvers.csv"));
  const load = (e: Entry) => JSON.parse(readFileSync(join(dir, "problems", e.file), "utf8")) as BenchProblem;

  console.log(`sbl bench: ${entries.length} problems from ${dir}`);
  // Warm-up (JIT) on one small problem per algorithm, untimed.
  const warm = index.problems.find((e) => e.size === "S");
  if (warm) {
    const p = load(warm);
    for (const a of algos) for (let r = 0; r < 2; r++) solve(a, p);
  }

  const results = new Map<string, Row>(); // `${id}|${algo}`
  for (const e of entries) {
    const p = load(e);
    for (const a of algos) {
      const heavy = (a === "em" || a === "tipping_faul") && e.size === "L";
      if (heavy && !full && !reference.has(`${e.id}|${REFERENCE[a]}`)) continue;
      const row = solve(a, p);
      results.set(`${e.id}|${a}`, row);
      process.stdout.write(
        `  ${e.id.padEnd(28)} ${a.padEnd(13)} nmse ${row.nmse.toExponential(2)}  f1 ${row.f1.toFixed(2)}  cpu ${row.cpu.toFixed(3)} s\n`,
      );
    }
  }

  const python = opts["no-python"] === true || !pythonAvailable() ? undefined : runPython(dir, sizes, algos);
  if (!python) console.log("  (python3 with numpy + scikit-learn not used: reference CPU figures come from the CSV)");

  // Per algorithm / model / size / SNR table.
  console.log(
    "\nmedian NMSE (dB) / mean F1 / mean CPU s — sprig vs results/python_solvers.csv" +
      (python ? " (and the reference solvers run here on trial 0)" : ""),
  );
  const header = [
    "algo",
    "model",
    "size",
    "SNR",
    "n",
    "sprig dB",
    "ref dB",
    "Δ dB",
    "sprig F1",
    "ref F1",
    "sprig cpu",
    "ref cpu",
    ...(python ? ["t0 sprig", "t0 py"] : []),
    "NMSE bar",
  ];
  console.log(`| ${header.join(" | ")} |`);
  console.log(`| ${header.map(() => "---").join(" | ")} |`);
  let nmseOk = true;
  let nmseChecked = 0;
  for (const a of algos) {
    for (const model of models) {
      for (const size of sizes) {
        for (const snr of [10, 20, 30]) {
          const group = entries.filter((e) => e.x_model === model && e.size === size && e.snr_db === snr);
          const mine = group.map((e) => results.get(`${e.id}|${a}`)).filter((r): r is Row => r !== undefined);
          if (mine.length === 0) continue;
          const ids = group.filter((e) => results.has(`${e.id}|${a}`)).map((e) => e.id);
          const refs = ids.map((id) => reference.get(`${id}|${REFERENCE[a]}`)).filter((r): r is Row => !!r);
          const myDb = dB(median(mine.map((r) => r.nmse)));
          const refDb = refs.length === mine.length ? dB(median(refs.map((r) => r.nmse))) : Number.NaN;
          const delta = myDb - refDb;
          let verdict = "no ref";
          if (Number.isFinite(refDb)) {
            nmseChecked++;
            const ok = Math.abs(delta) <= 0.5;
            if (!ok) nmseOk = false;
            verdict = ok ? "PASS" : "FAIL";
          }
          const t0 = group.find((e) => e.trial === 0);
          const pyRow = t0 && python?.get(`${t0.id}|${REFERENCE[a]}`);
          const myT0 = t0 && results.get(`${t0.id}|${a}`);
          console.log(
            `| ${[
              a,
              model,
              size,
              snr,
              mine.length,
              fmt(myDb),
              fmt(refDb),
              fmt(delta),
              fmt(mean(mine.map((r) => r.f1))),
              refs.length ? fmt(mean(refs.map((r) => r.f1))) : "—",
              fmt(mean(mine.map((r) => r.cpu)), 3),
              refs.length ? fmt(mean(refs.map((r) => r.cpu)), 3) : "—",
              ...(python ? [myT0 ? fmt(myT0.cpu, 3) : "—", pyRow ? fmt(pyRow.cpu, 3) : "—"] : []),
              verdict,
            ].join(" | ")} |`,
          );
        }
      }
    }
  }

  // Bars.
  console.log("\nbars");
  console.log(
    `  NMSE within 0.5 dB of the same algorithm's reference at every size/SNR (${nmseChecked} settings): ${nmseOk ? "PASS" : "FAIL"}`,
  );
  const cpuOf = (a: Algo, size: string, source: Map<string, Row>, refAlgo: string, onlyT0: boolean) => {
    const v: number[] = [];
    const w: number[] = [];
    for (const e of entries) {
      if (e.size !== size || (onlyT0 && e.trial !== 0)) continue;
      const mine = results.get(`${e.id}|${a}`);
      const ref = source.get(`${e.id}|${refAlgo}`);
      if (mine && ref) {
        v.push(mine.cpu);
        w.push(ref.cpu);
      }
    }
    return v.length ? { sprig: mean(v), ref: mean(w), n: v.length } : undefined;
  };
  const cpuSource = python ?? reference;
  const sourceName = python ? "numpy here, trial 0" : "CSV";
  for (const a of ["krosbl_svd", "krosbl_am"] as const) {
    if (!algos.includes(a) || !sizes.includes("L")) continue;
    const c = cpuOf(a, "L", cpuSource, REFERENCE[a], !!python) ?? cpuOf(a, "L", reference, REFERENCE[a], false);
    if (!c) continue;
    const ratio = c.sprig / c.ref;
    console.log(
      `  ${a} at L: ${c.sprig.toFixed(4)} s vs numpy ${c.ref.toFixed(4)} s (${sourceName}, n=${c.n}): ratio ${ratio.toFixed(2)} ≤ 1.5: ${ratio <= 1.5 ? "PASS" : "FAIL"}`,
    );
  }
  if (algos.includes("em")) {
    for (const size of sizes) {
      let c = cpuOf("em", size, cpuSource, "ard_sklearn", !!python);
      let src = sourceName;
      if (!c) {
        c = cpuOf("em", size, reference, "ard_sklearn", false);
        src = "CSV";
      }
      if (!c) continue;
      const ratio = c.sprig / c.ref;
      const verdict = size === "L" ? "(ratio only)" : ratio <= 1 ? "PASS" : "FAIL";
      console.log(
        `  em at ${size}: ${c.sprig.toFixed(3)} s vs sklearn ARDRegression ${c.ref.toFixed(3)} s (${src}, n=${c.n}): ratio ${ratio.toFixed(2)} ${verdict}`,
      );
    }
  }
}
