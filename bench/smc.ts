/**
 * `npm run bench -- smc [--runs 50] [--webppl-runs 3] [--no-webppl] [--pmcmc]`
 *
 * The state-space model of ../shared/webppl-bench (AR(1) latent with φ = 0.9 and process sd 0.5,
 * Gaussian observations with sd 0.5, T = 100; data regenerated here with gen-ssm.js's generator
 * and seed) filtered by sprig's bootstrap particle filter, against the exact Kalman
 * log-likelihood: mean and sd of log Ẑ over `--runs` seeds, its bias-corrected error in units of
 * the SE, CPU time per run and particle-steps per CPU second, for N = 100, 1000, 10000 and each
 * resampling scheme.
 *
 * Side by side (unless --no-webppl): WebPPL 0.9.15's SMC (`ssm-smc.wppl`, 1000 particles,
 * resampling at every step) on the same data, from a copy of webppl-bench in the OS temp folder
 * with `npm install` run there once (reused afterwards; set WEBPPL_BENCH_DIR to use a prepared
 * copy). With --pmcmc, WebPPL's PMCMC (100 particles × 50 sweeps, no ancestor sampling) beside
 * sprig's particle Gibbs with ancestor sampling at the same size. Figures are CPU seconds of the
 * process (WebPPL's measured inside its own process, excluding its compile step).
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  particleFilter,
  particleGibbs,
  type ResamplingScheme,
  type StateSpaceModel,
} from "../src/inference/smc/index.js";
import { createRng } from "../src/runtime/rng/index.js";
import { cpuSeconds, parseArgs } from "./_util.js";

interface SsmData {
  readonly T: number;
  readonly phi: number;
  readonly q: number;
  readonly r: number;
  readonly s0: number;
  readonly y: number[];
  readonly exactLogLik: number;
}

/** gen-ssm.js re-implemented: mulberry32(777) uniforms, Box–Muller normals, the same draw order. */
function generateSsm(): SsmData {
  let a = 777;
  const uniform = () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = () => {
    const u = 1 - uniform();
    const v = uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  const T = 100;
  const phi = 0.9;
  const q = 0.5;
  const r = 0.5;
  const s0 = 1;
  let x = s0 * normal();
  const y: number[] = [];
  for (let t = 0; t < T; t++) {
    if (t > 0) x = phi * x + q * normal();
    y.push(x + r * normal());
  }
  return { T, phi, q, r, s0, y, exactLogLik: kalmanLogLik(phi, q, r, s0, y) };
}

/** The scalar Kalman filter's log-likelihood (the reference the WebPPL script compares with). */
function kalmanLogLik(phi: number, q: number, r: number, s0: number, y: readonly number[]): number {
  let m = 0;
  let P = s0 * s0;
  let ll = 0;
  for (let t = 0; t < y.length; t++) {
    if (t > 0) {
      m = phi * m;
      P = phi * phi * P + q * q;
    }
    const S = P + r * r;
    const e = y[t] - m;
    ll += -0.5 * (Math.log(2 * Math.PI * S) + (e * e) / S);
    const K = P / S;
    m += K * e;
    P *= 1 - K;
  }
  return ll;
}

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

function ssmModel(d: SsmData): StateSpaceModel {
  const logNormal = (x: number, mean: number, sd: number) => {
    const z = (x - mean) / sd;
    return -0.5 * z * z - Math.log(sd) - HALF_LOG_2PI;
  };
  return {
    stateDimension: 1,
    numTimeSteps: d.T,
    initial: {
      sample: (rng, out) => {
        out[0] = d.s0 * rng.normal();
      },
      logDensity: (x) => logNormal(x[0], 0, d.s0),
    },
    transition: {
      sample: (rng, prev, _t, out) => {
        out[0] = d.phi * prev[0] + d.q * rng.normal();
      },
      logDensity: (prev, next) => logNormal(next[0], d.phi * prev[0], d.q),
      logDensityBound: () => -Math.log(d.q) - HALF_LOG_2PI,
    },
    observation: { logDensity: (x, t) => logNormal(d.y[t], x[0], d.r) },
  };
}

function meanSd(v: number[]): { mean: number; sd: number } {
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(v.length - 1, 1));
  return { mean, sd };
}

interface PfRow {
  readonly numParticles: number;
  readonly scheme: ResamplingScheme;
  readonly threshold: number;
  readonly logZ: { mean: number; sd: number };
  readonly cpuPerRun: number;
}

function runPf(data: SsmData, numParticles: number, scheme: ResamplingScheme, threshold: number, runs: number): PfRow {
  const model = ssmModel(data);
  const estimates: number[] = [];
  const c0 = cpuSeconds();
  for (let s = 0; s < runs; s++) {
    const rng = createRng(`smc-bench-${s}`);
    estimates.push(
      particleFilter(rng, { model, numParticles, resampling: scheme, resampleThreshold: threshold, history: "none" })
        .logEvidence,
    );
  }
  return { numParticles, scheme, threshold, logZ: meanSd(estimates), cpuPerRun: (cpuSeconds() - c0) / runs };
}

/** A prepared webppl-bench copy with webppl installed, or undefined (with the reason printed). */
function webpplDir(): string | undefined {
  const fromEnv = process.env.WEBPPL_BENCH_DIR;
  if (fromEnv) {
    if (existsSync(join(fromEnv, "node_modules", ".bin", "webppl"))) return fromEnv;
    console.log(`  WEBPPL_BENCH_DIR=${fromEnv} has no node_modules/.bin/webppl; skipping WebPPL.`);
    return undefined;
  }
  const source = fileURLToPath(new URL("../../shared/webppl-bench/", import.meta.url));
  if (!existsSync(join(source, "ssm-smc.wppl"))) {
    console.log(`  ${source} not found; skipping WebPPL.`);
    return undefined;
  }
  const dir = join(tmpdir(), "sprig-webppl-bench-0.9.15");
  if (!existsSync(join(dir, "node_modules", ".bin", "webppl"))) {
    console.log(`  installing webppl 0.9.15 into ${dir} (once) …`);
    mkdirSync(dir, { recursive: true });
    cpSync(source, dir, { recursive: true });
    const r = spawnSync("npm", ["install", "--no-audit", "--no-fund"], {
      cwd: dir,
      encoding: "utf8",
      timeout: 300_000,
    });
    if (r.status !== 0 || !existsSync(join(dir, "node_modules", ".bin", "webppl"))) {
      console.log(`  npm install failed (${(r.stderr ?? "").trim().split("\n").at(-1)}); skipping WebPPL.`);
      return undefined;
    }
  }
  return dir;
}

interface WebpplSmc {
  readonly logZ: number;
  readonly cpuMs: number;
}

/** Runs ssm-smc.wppl once; returns its SMC figures and, with PMCMC, its CPU ms. */
function runWebppl(dir: string, seed: number, pmcmc: boolean): { smc?: WebpplSmc; pmcmcCpuMs?: number } {
  const r = spawnSync(
    join(dir, "node_modules", ".bin", "webppl"),
    ["ssm-smc.wppl", "--require", "./chainrec", "--random-seed", String(seed)],
    {
      cwd: dir,
      encoding: "utf8",
      timeout: 600_000,
      env: { ...process.env, BENCH_DATA: "ssm.json", SKIP_PMCMC: pmcmc ? "" : "1" },
    },
  );
  if (r.status !== 0) {
    console.log(`  webppl failed: ${(r.stderr ?? "").trim().split("\n").at(-1)}`);
    return {};
  }
  const smc = /SMC particles=\d+ logZ=(\S+) exact=\S+ inferMs=\S+ cpuMs=(\S+)/.exec(r.stdout);
  const pm = /PMCMC .* cpuMs=(\S+)/.exec(r.stdout);
  return {
    ...(smc ? { smc: { logZ: Number(smc[1]), cpuMs: Number(smc[2]) } } : {}),
    ...(pm ? { pmcmcCpuMs: Number(pm[1]) } : {}),
  };
}

const f = (x: number, d = 3) => x.toFixed(d);

/**
 * The benchmark entry point (see the file comment for the flags).
 *
 * @example
 * ```ts
 * await smcBench(["--runs", "10", "--no-webppl"]);
 * ```
 */
export default async function smcBench(args: string[]): Promise<void> {
  const opts = parseArgs(args);
  const runs = Number(opts.runs ?? 50);
  const webpplRuns = Number(opts["webppl-runs"] ?? 3);
  const data = generateSsm();
  const exact = data.exactLogLik;
  console.log(
    `smc bench: webppl-bench SSM (AR(1) φ=${data.phi}, process sd ${data.q}, obs sd ${data.r}, T=${data.T}); exact Kalman log-likelihood ${f(exact, 4)}`,
  );

  // Warm-up (JIT), untimed.
  runPf(data, 1000, "systematic", 1, 3);

  console.log(`\nsprig bootstrap particle filter, ${runs} seeds per row (CPU seconds of this process)`);
  // log Ẑ is biased down by ≈ sd²/2 (E[Ẑ] = Z): z adds it back before dividing by the SE.
  console.log(
    "  N       scheme       resample    mean log Ẑ   sd      z = (mean + sd²/2 − exact)/SE   CPU ms/run   steps/s",
  );
  const rows: PfRow[] = [];
  const configs: [number, ResamplingScheme, number][] = [
    [100, "systematic", 1],
    [1000, "systematic", 1],
    [10000, "systematic", 1],
    [1000, "multinomial", 1],
    [1000, "stratified", 1],
    [1000, "residual", 1],
    [1000, "systematic", 0.5],
  ];
  for (const [n, scheme, threshold] of configs) {
    // N = 10000 runs take 10× longer: a quarter of the seeds (at least 3).
    const rowRuns = n >= 10000 ? Math.max(3, Math.round(runs / 4)) : runs;
    const row = runPf(data, n, scheme, threshold, rowRuns);
    rows.push(row);
    const se = row.logZ.sd / Math.sqrt(rowRuns);
    const z = (row.logZ.mean + (row.logZ.sd * row.logZ.sd) / 2 - exact) / se;
    console.log(
      `  ${String(n).padEnd(7)} ${scheme.padEnd(12)} ${(threshold >= 1 ? "every step" : `ESS<${threshold}N`).padEnd(11)} ${f(row.logZ.mean, 4).padStart(10)}   ${f(row.logZ.sd)}   ${f(z, 2).padStart(8)}                    ${f(row.cpuPerRun * 1e3, 1).padStart(8)}     ${((n * data.T) / row.cpuPerRun / 1e6).toFixed(2)} M`,
    );
  }

  if (opts["no-webppl"] === true) return;
  console.log("\nWebPPL 0.9.15 side by side (same data, 1000 particles, resampling every step)");
  const dir = webpplDir();
  if (!dir) return;
  const gen = spawnSync("node", ["gen-ssm.js"], { cwd: dir, encoding: "utf8" });
  if (gen.status !== 0) {
    console.log(`  node gen-ssm.js failed: ${gen.stderr.trim()}`);
    return;
  }
  const theirs = JSON.parse(readFileSync(join(dir, "ssm.json"), "utf8")) as SsmData;
  const maxDiff = Math.max(...theirs.y.map((v, t) => Math.abs(v - data.y[t])));
  console.log(
    `  gen-ssm.js data vs the re-implementation here: max |Δy| = ${maxDiff.toExponential(1)}, exact ${f(theirs.exactLogLik, 4)}`,
  );
  const webppl: WebpplSmc[] = [];
  let pmcmcCpuMs: number | undefined;
  for (let s = 1; s <= webpplRuns; s++) {
    const out = runWebppl(dir, s, opts.pmcmc === true && s === 1);
    if (out.smc) webppl.push(out.smc);
    if (out.pmcmcCpuMs !== undefined) pmcmcCpuMs = out.pmcmcCpuMs;
  }
  if (webppl.length === 0) return;
  const w = meanSd(webppl.map((r) => r.logZ));
  const wCpu = webppl.reduce((a, r) => a + r.cpuMs, 0) / webppl.length / 1e3;
  const ours = rows[1];
  console.log("                     mean log Ẑ   sd      |mean−exact|   CPU ms/run   particle-steps/s");
  console.log(
    `  WebPPL (${webppl.length} seeds)    ${f(w.mean, 4)}   ${f(w.sd)}   ${f(Math.abs(w.mean - exact))}          ${f(wCpu * 1e3, 1).padStart(8)}     ${((1000 * data.T) / wCpu / 1e6).toFixed(3)} M`,
  );
  console.log(
    `  sprig  (${runs} seeds)   ${f(ours.logZ.mean, 4)}   ${f(ours.logZ.sd)}   ${f(Math.abs(ours.logZ.mean - exact))}          ${f(ours.cpuPerRun * 1e3, 1).padStart(8)}     ${((1000 * data.T) / ours.cpuPerRun / 1e6).toFixed(2)} M`,
  );
  console.log(`  CPU ratio WebPPL / sprig: ${f(wCpu / ours.cpuPerRun, 1)}×`);

  if (pmcmcCpuMs !== undefined) {
    const model = ssmModel(data);
    const kernel = particleGibbs.buildKernel({ model: () => model, numParticles: 100 });
    const rng = createRng("smc-bench-pg");
    const c0 = cpuSeconds();
    let state = kernel.init(rng, new Float64Array(0));
    for (let s = 0; s < 50; s++) state = kernel.step(rng, state).state;
    const cpu = cpuSeconds() - c0;
    console.log("\nparticle Gibbs, 100 particles × 50 sweeps (CPU seconds)");
    console.log(`  WebPPL PMCMC (no ancestor sampling): ${f(pmcmcCpuMs / 1e3, 2)} s`);
    console.log(`  sprig PGAS (ancestor sampling):      ${f(cpu, 3)} s   ratio ${f(pmcmcCpuMs / 1e3 / cpu, 1)}×`);
  }
}
