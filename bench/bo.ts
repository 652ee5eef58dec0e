/**
 * `npm run bench -- bo [--seeds 5] [--problems branin,hartmann6] [--acquisition log_ei]
 *   [--sizes 200,500,1000] [--no-python] [--skip-regret] [--skip-fit]`
 *
 * 1. Regret curves: GP-BO (sprig's `minimize`) against uniform random search on Branin (budget 40,
 *    target regret 1e-2) and Hartmann-6 (budget 100, target 0.1), over several seeds. Prints the
 *    median simple regret at checkpoints for both, their ratio, and how many seeds reached the
 *    target (and by which evaluation).
 * 2. GP fit cost at n = 200, 500, 1000 points in 6 dimensions (Matérn 5/2, ARD): one evaluation of
 *    the log marginal likelihood with its gradient, a full single-start fit (L-BFGS), and 1000
 *    predictions. When a Python with numpy and scipy is on PATH, the same evaluation (Cholesky,
 *    K⁻¹ by cho_solve, trace terms, LAPACK/BLAS underneath) runs on the same data as the
 *    reference, and scikit-learn's GaussianProcessRegressor fit (one start) when it is installed.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AcquisitionKind } from "../src/inference/bo/acquisition.js";
import { fitGp, MarginalLikelihood, packTheta } from "../src/inference/bo/gp.js";
import { minimize } from "../src/inference/bo/minimize.js";
import { BRANIN, HARTMANN6, type TestProblem } from "../src/inference/bo/test_functions.js";
import { createRng } from "../src/runtime/rng/index.js";
import { cpuSeconds, median } from "./_util.js";

interface Settings {
  seeds: number;
  problems: string[];
  acquisition: AcquisitionKind;
  sizes: number[];
  python: boolean;
  regret: boolean;
  fit: boolean;
}

function parse(args: string[]): Settings {
  const value = (flag: string): string | undefined => {
    const i = args.indexOf(flag);
    return i >= 0 ? args[i + 1] : undefined;
  };
  return {
    seeds: Number(value("--seeds") ?? 5),
    problems: (value("--problems") ?? "branin,hartmann6").split(","),
    acquisition: (value("--acquisition") ?? "log_ei") as AcquisitionKind,
    sizes: (value("--sizes") ?? "200,500,1000").split(",").map(Number),
    python: !args.includes("--no-python"),
    regret: !args.includes("--skip-regret"),
    fit: !args.includes("--skip-fit"),
  };
}

const SETUPS: Record<string, { problem: TestProblem; budget: number; target: number; checkpoints: number[] }> = {
  branin: { problem: BRANIN, budget: 40, target: 1e-2, checkpoints: [6, 10, 20, 30, 40] },
  hartmann6: { problem: HARTMANN6, budget: 100, target: 0.1, checkpoints: [14, 25, 50, 75, 100] },
};

function randomSearch(problem: TestProblem, budget: number, seed: number): number[] {
  const rng = createRng(`random-search/${seed}`);
  const d = problem.bounds.length;
  const x = new Float64Array(d);
  const best: number[] = [];
  let current = Number.POSITIVE_INFINITY;
  for (let i = 0; i < budget; i++) {
    for (let j = 0; j < d; j++) {
      const [lo, hi] = problem.bounds[j];
      x[j] = lo + (hi - lo) * rng.uniform();
    }
    current = Math.min(current, problem.f(x));
    best.push(current);
  }
  return best;
}

function regretCurves(s: Settings): void {
  console.log(`\n== Regret: GP-BO (${s.acquisition}, Matérn 5/2) vs uniform random search, ${s.seeds} seeds ==`);
  for (const name of s.problems) {
    const setup = SETUPS[name];
    if (!setup) {
      console.log(`  unknown problem '${name}' (known: ${Object.keys(SETUPS).join(", ")})`);
      continue;
    }
    const { problem, budget, target, checkpoints } = setup;
    const bo: number[][] = [];
    const random: number[][] = [];
    const hits: number[] = [];
    let cpu = 0;
    for (let seed = 0; seed < s.seeds; seed++) {
      const start = process.cpuUsage();
      const result = minimize(problem.f, problem.bounds, { seed, budget, acquisition: s.acquisition });
      cpu += cpuSeconds(start);
      const regret = result.history.bestValues.map((v) => v - problem.minimum);
      bo.push(regret);
      random.push(randomSearch(problem, budget, seed).map((v) => v - problem.minimum));
      const hit = regret.findIndex((r) => r < target);
      hits.push(hit < 0 ? Number.POSITIVE_INFINITY : hit + 1);
    }
    console.log(`\n${name} (f* = ${problem.minimum}, budget ${budget}, target regret ${target}):`);
    console.log("  evals | median regret BO | median regret random | random / BO");
    for (const c of checkpoints) {
      const b = median(bo.map((r) => r[c - 1]));
      const r = median(random.map((r) => r[c - 1]));
      console.log(
        `  ${String(c).padStart(5)} | ${b.toExponential(2).padStart(16)} | ${r.toExponential(2).padStart(20)} | ${(r / b).toPrecision(3).padStart(11)}`,
      );
    }
    const reached = hits.filter(Number.isFinite);
    const randomReached = random.filter((r) => r[budget - 1] < target).length;
    console.log(
      `  BO reached the target in ${reached.length}/${s.seeds} seeds` +
        (reached.length ? ` (evaluations needed: ${hits.map((h) => (Number.isFinite(h) ? h : "-")).join(", ")})` : "") +
        `; random search in ${randomReached}/${s.seeds}. BO CPU ${(cpu / s.seeds).toFixed(1)} s per run.`,
    );
  }
}

const PYTHON_REFERENCE = `
import json, sys, time
import numpy as np
from scipy.linalg import cho_factor, cho_solve
data = json.load(open(sys.argv[1]))
X = np.array(data["x"]); y = np.array(data["y"]); theta = np.array(data["theta"])
n, d = X.shape
def evaluate(theta):
    ell = np.exp(theta[:d]); sf2 = np.exp(theta[d]); sn2 = np.exp(theta[d + 1])
    Z = X / ell
    D = Z[:, None, :] - Z[None, :, :]
    r = np.sqrt((D ** 2).sum(-1))
    e = np.exp(-np.sqrt(5) * r)
    K = sf2 * (1 + np.sqrt(5) * r + 5 / 3 * r ** 2) * e
    S = -5 / 6 * sf2 * (1 + np.sqrt(5) * r) * e
    Kn = K + sn2 * np.eye(n)
    c = cho_factor(Kn, lower=False)
    a = cho_solve(c, y)
    value = -0.5 * y @ a - np.log(np.diag(c[0])).sum() - 0.5 * n * np.log(2 * np.pi)
    W = np.outer(a, a) - cho_solve(c, np.eye(n))
    g = np.empty(d + 2)
    WS = W * S
    for k in range(d):
        g[k] = -(WS * D[:, :, k] ** 2).sum()
    g[d] = 0.5 * (W * K).sum()
    g[d + 1] = 0.5 * sn2 * np.trace(W)
    return value, g
evaluate(theta)
best = 1e9
for _ in range(3):
    t = time.process_time(); v, g = evaluate(theta); best = min(best, time.process_time() - t)
out = {"eval_seconds": best, "value": v, "grad": g.tolist()}
try:
    from sklearn.gaussian_process import GaussianProcessRegressor
    from sklearn.gaussian_process.kernels import ConstantKernel, Matern, WhiteKernel
    kernel = ConstantKernel(1.0, (1e-2, 1e2)) * Matern(length_scale=[0.2 * np.sqrt(d)] * d, length_scale_bounds=(1e-2, 1e2), nu=2.5) + WhiteKernel(1e-3, (1e-6, 1))
    gpr = GaussianProcessRegressor(kernel, normalize_y=False, n_restarts_optimizer=0)
    t = time.process_time(); gpr.fit(X, y); out["sklearn_fit_seconds"] = time.process_time() - t
    out["sklearn_log_evidence"] = float(gpr.log_marginal_likelihood_value_)
except ImportError:
    pass
print(json.dumps(out))
`;

/** A Python with numpy and scipy: Debian's (which may also have scikit-learn), else the one on PATH. */
function findPython(): string | undefined {
  for (const candidate of ["/usr/bin/python3", "python3"]) {
    if (spawnSync(candidate, ["-c", "import numpy, scipy"]).status === 0) return candidate;
  }
  return undefined;
}

function pythonReference(
  python: string,
  x: Float64Array,
  y: Float64Array,
  n: number,
  d: number,
  theta: Float64Array,
): Record<string, number | number[]> | undefined {
  const dir = mkdtempSync(join(tmpdir(), "sprig-bo-bench-"));
  try {
    const file = join(dir, "data.json");
    const rows = Array.from({ length: n }, (_, i) => Array.from(x.subarray(i * d, (i + 1) * d)));
    writeFileSync(file, JSON.stringify({ x: rows, y: Array.from(y), theta: Array.from(theta) }));
    const script = join(dir, "reference.py");
    writeFileSync(script, PYTHON_REFERENCE);
    const r = spawnSync(python, [script, file], { encoding: "utf8", maxBuffer: 1 << 24 });
    if (r.status !== 0) {
      console.log(`  python reference failed: ${(r.stderr || r.error?.message || "").trim().split("\n").at(-1)}`);
      return undefined;
    }
    return JSON.parse(r.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function fitTimes(s: Settings): void {
  console.log("\n== GP fit cost, d = 6, Matérn 5/2 with ARD (CPU seconds) ==");
  const d = 6;
  const python = s.python ? findPython() : undefined;
  const hasPython = python !== undefined;
  if (s.python && !hasPython) console.log("  (no python3 with numpy and scipy found: sprig figures only)");
  // Warm the JIT on a small problem so that the timings exclude compilation.
  fitGp(
    createRng(0),
    randomRows(createRng(1), 40, d),
    new Float64Array(40).map((_, i) => Math.sin(i)),
    { restarts: 0 },
  );
  for (const n of s.sizes) {
    const rng = createRng(`fit/${n}`);
    const rows = randomRows(rng, n, d);
    const y = Float64Array.from(rows, (r) => HARTMANN6.f(Float64Array.from(r)) + 0.01 * rng.normal());
    const x = Float64Array.from(rows.flat());
    let mean = 0;
    for (const v of y) mean += v / n;
    let sd = 0;
    for (const v of y) sd += (v - mean) ** 2 / (n - 1);
    sd = Math.sqrt(sd);
    const ys = y.map((v) => (v - mean) / sd);
    const ml = new MarginalLikelihood("matern52", x, ys, n, d);
    const theta = packTheta(
      { lengthScales: new Float64Array(d).fill(0.5), signalVariance: 1, noiseVariance: 1e-3 },
      d,
      true,
    );
    const grad = new Float64Array(d + 2);
    ml.evaluate(theta, grad);
    let evalSeconds = Number.POSITIVE_INFINITY;
    for (let r = 0; r < 3; r++) {
      const start = process.cpuUsage();
      ml.evaluate(theta, grad);
      evalSeconds = Math.min(evalSeconds, cpuSeconds(start));
    }
    let evaluations = 0;
    const original = MarginalLikelihood.prototype.evaluate;
    MarginalLikelihood.prototype.evaluate = function (this: MarginalLikelihood, t: Float64Array, g?: Float64Array) {
      evaluations++;
      return original.call(this, t, g);
    };
    let start = process.cpuUsage();
    const gp = fitGp(createRng(n), rows, y, { restarts: 0, kernel: "matern52" });
    const fitSeconds = cpuSeconds(start);
    MarginalLikelihood.prototype.evaluate = original;
    const test = randomRows(createRng(`test/${n}`), 1000, d);
    start = process.cpuUsage();
    gp.predict(test);
    const predictSeconds = cpuSeconds(start);
    console.log(`\n  n = ${n}`);
    console.log(`    log evidence + gradient, one evaluation: sprig ${evalSeconds.toFixed(4)} s`);
    console.log(
      `    full fit (one start): sprig ${fitSeconds.toFixed(2)} s, ${evaluations} evaluations, log evidence ${gp.logMarginalLikelihood.toFixed(2)} (standardised y)`,
    );
    console.log(`    1000 predictions (mean + variance): sprig ${predictSeconds.toFixed(3)} s`);
    if (!hasPython) continue;
    const ref = pythonReference(python, x, ys, n, d, theta);
    if (!ref) continue;
    const refEval = ref.eval_seconds as number;
    const gradErr = Math.max(...(ref.grad as number[]).map((g, j) => Math.abs(g - grad[j]) / Math.max(1, Math.abs(g))));
    console.log(
      `    reference numpy/scipy evaluation: ${refEval.toFixed(4)} s; sprig / numpy = ${(evalSeconds / refEval).toFixed(2)}` +
        ` (same value to ${Math.abs((ref.value as number) - ml.evaluate(theta)).toExponential(1)}, gradient to ${gradErr.toExponential(1)} relative)`,
    );
    if (ref.sklearn_fit_seconds !== undefined) {
      console.log(
        `    reference scikit-learn fit (one start, same kernel family and bounds): ${(ref.sklearn_fit_seconds as number).toFixed(2)} s;` +
          ` sprig / sklearn = ${(fitSeconds / (ref.sklearn_fit_seconds as number)).toFixed(2)}` +
          ` (sklearn log evidence ${(ref.sklearn_log_evidence as number).toFixed(2)})`,
      );
    }
  }
}

function randomRows(rng: ReturnType<typeof createRng>, n: number, d: number): number[][] {
  return Array.from({ length: n }, () => Array.from({ length: d }, () => rng.uniform()));
}

export default async function bo(args: string[]): Promise<void> {
  const settings = parse(args);
  if (settings.regret) regretCurves(settings);
  if (settings.fit) fitTimes(settings);
}
