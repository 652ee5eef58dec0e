/**
 * `npm run bench -- density [seconds per round] [rounds] [heap-check calls]`: evaluations per
 * second of `logDensityAndGrad` for logistic regression (N = 5000, D = 100, synthetic, seeded),
 * the radon varying-intercept model, kidiq and wells (posteriordb's data when ../shared is
 * present, else synthetic of the same size; kidiq both with its Gaussian likelihood collapsed to
 * sufficient statistics, the default, and as written), each next to a hand-written Float64Array
 * implementation of the same function measured in alternating rounds of the same run (per second
 * of CPU time, which a loaded machine disturbs less than wall time); the bytes allocated per
 * call; and the heap before and after 1e5 calls (and after a full collection: what is retained).
 * Last, for every scalar family, the cost per element of a likelihood term evaluated by its
 * element kernel in the generated loop next to the same term called through the family's
 * broadcasting methods.
 */
import { existsSync, readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { getHeapSpaceStatistics, setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { exampleFamilies } from "../examples/models/families.js";
import { kidiq } from "../examples/models/kidiq.js";
import { logisticRegression, syntheticLogisticData } from "../examples/models/logistic_regression.js";
import { radonNoncentered, syntheticRadonData } from "../examples/models/radon.js";
import { wells } from "../examples/models/wells.js";
import { compile } from "../src/inference/model/index.js";
import { compileProgram, type ProgramNode, type Term, type UnaryFn } from "../src/runtime/ad/index.js";
import type { Distribution } from "../src/runtime/dists/distribution.js";
import * as dists from "../src/runtime/dists/index.js";
import { activeKernels } from "../src/runtime/kernel_provider.js";
import { createRng } from "../src/runtime/rng/index.js";

type Fn = (theta: Float64Array, grad: Float64Array) => number;

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
const LOG_2 = Math.log(2);

function log1pexp(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/** Hand-written logistic regression: alpha ~ normal(0, 2.5), beta ~ normal(0, 1), y ~ bernoulli_logit(alpha + X beta). */
function handLogistic(N: number, D: number, X: Float64Array, y: Float64Array): Fn {
  const eta = new Float64Array(N);
  const r = new Float64Array(N);
  return (theta, grad) => {
    const alpha = theta[0]!;
    let lp = -0.5 * (alpha / 2.5) ** 2 - Math.log(2.5) - HALF_LOG_2PI;
    grad[0] = -alpha / 6.25;
    for (let d = 0; d < D; d++) {
      const b = theta[1 + d]!;
      lp += -0.5 * b * b - HALF_LOG_2PI;
      grad[1 + d] = -b;
    }
    // X·beta with four independent accumulators (the usual unrolling for a dot product).
    const D4 = D - (D % 4);
    for (let n = 0; n < N; n++) {
      const row = n * D;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let d = 0;
      for (; d < D4; d += 4) {
        s0 += X[row + d]! * theta[1 + d]!;
        s1 += X[row + d + 1]! * theta[2 + d]!;
        s2 += X[row + d + 2]! * theta[3 + d]!;
        s3 += X[row + d + 3]! * theta[4 + d]!;
      }
      for (; d < D; d++) s0 += X[row + d]! * theta[1 + d]!;
      eta[n] = alpha + s0 + s1 + s2 + s3;
    }
    let ga = 0;
    for (let n = 0; n < N; n++) {
      const e = eta[n]!;
      lp += y[n] === 1 ? -log1pexp(-e) : -log1pexp(e);
      const p = 1 / (1 + Math.exp(-e));
      r[n] = y[n]! - p;
      ga += r[n]!;
    }
    grad[0] += ga;
    // Xᵀ·r, four rows at a time so each pass over grad does four multiply-adds per element.
    const N4 = N - (N % 4);
    let n = 0;
    for (; n < N4; n += 4) {
      const r0 = r[n]!;
      const r1 = r[n + 1]!;
      const r2 = r[n + 2]!;
      const r3 = r[n + 3]!;
      const o0 = n * D;
      const o1 = o0 + D;
      const o2 = o1 + D;
      const o3 = o2 + D;
      for (let d = 0; d < D; d++) grad[1 + d]! += r0 * X[o0 + d]! + r1 * X[o1 + d]! + r2 * X[o2 + d]! + r3 * X[o3 + d]!;
    }
    for (; n < N; n++) {
      const rn = r[n]!;
      const row = n * D;
      for (let d = 0; d < D; d++) grad[1 + d]! += rn * X[row + d]!;
    }
    return lp;
  };
}

/** Hand-written non-centred radon model on the unconstrained scale, Jacobian included. */
function handRadon(J: number, N: number, county: Int32Array, floor: Float64Array, y: Float64Array): Fn {
  return (theta, grad) => {
    const beta = theta[J]!;
    const muA = theta[J + 1]!;
    const lsA = theta[J + 2]!;
    const lsY = theta[J + 3]!;
    const sA = Math.exp(lsA);
    const sY = Math.exp(lsY);
    let lp = -0.5 * (beta / 10) ** 2 - 0.5 * (muA / 10) ** 2 - 2 * (Math.log(10) + HALF_LOG_2PI);
    lp += -0.5 * sA * sA + LOG_2 - HALF_LOG_2PI - 0.5 * sY * sY + LOG_2 - HALF_LOG_2PI + lsA + lsY;
    let gSA = -sA;
    let gSY = -sY;
    for (let j = 0; j < J; j++) {
      const z = theta[j]!;
      lp += -0.5 * z * z - HALF_LOG_2PI;
      grad[j] = -z;
    }
    let gB = -beta / 100;
    let gMu = -muA / 100;
    const inv = 1 / sY;
    let ss = 0;
    for (let n = 0; n < N; n++) {
      const c = county[n]!;
      const raw = theta[c]!;
      const r = (y[n]! - (muA + sA * raw + floor[n]! * beta)) * inv;
      ss += r * r;
      const g = r * inv;
      grad[c]! += g * sA;
      gMu += g;
      gB += g * floor[n]!;
      gSA += g * raw;
    }
    lp += -0.5 * ss - N * (lsY + HALF_LOG_2PI);
    gSY += ss * inv - N * inv;
    grad[J] = gB;
    grad[J + 1] = gMu;
    grad[J + 2] = gSA * sA + 1;
    grad[J + 3] = gSY * sY + 1;
    return lp;
  };
}

/**
 * Hand-written kidiq on the unconstrained scale (σ = exp θ₃, Jacobian included): flat β,
 * σ ~ half_cauchy(2.5), y ~ normal(β₀ + β₁·hs + β₂·iq, σ) as one loop over the N children.
 */
function handKidiq(N: number, hs: Float64Array, iq: Float64Array, y: Float64Array): Fn {
  const halfCauchyConstant = LOG_2 - Math.log(Math.PI * 2.5);
  return (theta, grad) => {
    const b0 = theta[0]!;
    const b1 = theta[1]!;
    const b2 = theta[2]!;
    const ls = theta[3]!;
    const s = Math.exp(ls);
    const inv = 1 / s;
    let ss = 0;
    let g0 = 0;
    let g1 = 0;
    let g2 = 0;
    for (let n = 0; n < N; n++) {
      const r = (y[n]! - (b0 + b1 * hs[n]! + b2 * iq[n]!)) * inv;
      ss += r * r;
      const g = r * inv;
      g0 += g;
      g1 += g * hs[n]!;
      g2 += g * iq[n]!;
    }
    grad[0] = g0;
    grad[1] = g1;
    grad[2] = g2;
    grad[3] = (ss * inv - N * inv - (2 * s) / (6.25 + s * s)) * s + 1;
    return -0.5 * ss - N * (ls + HALF_LOG_2PI) + halfCauchyConstant - Math.log1p((s / 2.5) ** 2) + ls;
  };
}

/** kidiq-shaped data (N = 434): hs ∈ {0, 1}, iq ≈ 100 ± 15, y = 26 + 6·hs + 0.6·iq + 18·noise. */
function syntheticKidiqData(rng: ReturnType<typeof createRng>, N: number): Record<string, number | number[]> {
  const hs = Array.from({ length: N }, () => (rng.uniform() < 0.8 ? 1 : 0));
  const iq = Array.from({ length: N }, () => 100 + 15 * rng.normal());
  const y = hs.map((h, n) => 26 + 6 * h + 0.6 * iq[n]! + 18 * rng.normal());
  return { N, kid_score: y, mom_hs: hs, mom_iq: iq };
}

/**
 * Hand-written wells (posteriordb's wells_dae_c) on the unconstrained scale: flat priors, the
 * transformed data computed once, and per element one exponential and one log1p (the stable
 * log σ(±η) = −log1p(e^(−|η|)) − max(∓η, 0)) with the derivative y − σ(η) from the same e^(−|η|).
 */
function handWells(data: Record<string, number | number[]>): Fn {
  const N = data.N as number;
  const dist = data.dist as number[];
  const arsenic = data.arsenic as number[];
  const meanDist = dist.reduce((s, v) => s + v, 0) / N;
  const meanArsenic = arsenic.reduce((s, v) => s + v, 0) / N;
  const x1 = Float64Array.from(dist, (v) => (v - meanDist) / 100);
  const x2 = Float64Array.from(arsenic, (v) => v - meanArsenic);
  const x3 = x1.map((v, n) => v * x2[n]!);
  const x4 = Float64Array.from(data.educ as number[], (v) => v / 4);
  const y = Float64Array.from(data.switched as number[]);
  return (theta, grad) => {
    const [alpha, b1, b2, b3, b4] = theta as unknown as [number, number, number, number, number];
    let lp = 0;
    let g0 = 0;
    let g1 = 0;
    let g2 = 0;
    let g3 = 0;
    let g4 = 0;
    for (let n = 0; n < N; n++) {
      const eta = alpha + b1 * x1[n]! + b2 * x2[n]! + b3 * x3[n]! + b4 * x4[n]!;
      const e = Math.exp(-Math.abs(eta));
      const r = 1 / (1 + e);
      const yn = y[n]!;
      lp += Math.min((2 * yn - 1) * eta, 0) - Math.log1p(e);
      const d = yn - (eta >= 0 ? r : e * r);
      g0 += d;
      g1 += d * x1[n]!;
      g2 += d * x2[n]!;
      g3 += d * x3[n]!;
      g4 += d * x4[n]!;
    }
    grad[0] = g0;
    grad[1] = g1;
    grad[2] = g2;
    grad[3] = g3;
    grad[4] = g4;
    return lp;
  };
}

/** wells-shaped data (N = 3020): distances in metres, arsenic levels, years of education, switches. */
function syntheticWellsData(rng: ReturnType<typeof createRng>, N: number): Record<string, number | number[]> {
  const dist = Array.from({ length: N }, () => 48 * -Math.log(rng.uniform()));
  const arsenic = Array.from({ length: N }, () => 0.5 + 1.5 * -Math.log(rng.uniform()));
  const educ = Array.from({ length: N }, () => Math.floor(rng.uniform() * 17));
  const switched = dist.map((d, n) => {
    const eta = 0.35 - 0.9 * ((d - 48) / 100) + 0.47 * (arsenic[n]! - 2) + 0.04 * educ[n]!;
    return rng.uniform() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
  });
  return { N, switched, dist, arsenic, educ };
}

/** How a parameter of a per-family term is made from θ. */
type Link = UnaryFn | "id" | number;

/**
 * Per scalar family: how its parameters are made (the first per element, from a fused chain
 * x·w + b; the others scalar latents or constants) and the parameters its data are drawn at.
 */
const FAMILY_TERMS: readonly { dist: Distribution; params: Record<string, Link>; data: Record<string, number> }[] = [
  { dist: dists.normal, params: { loc: "id", scale: "exp" }, data: { loc: 0.2, scale: 1 } },
  { dist: dists.halfNormal, params: { scale: "exp" }, data: { scale: 1 } },
  { dist: dists.cauchy, params: { loc: "id", scale: "exp" }, data: { loc: 0.2, scale: 1 } },
  { dist: dists.halfCauchy, params: { scale: "exp" }, data: { scale: 1 } },
  { dist: dists.lognormal, params: { loc: "id", scale: "exp" }, data: { loc: 0.2, scale: 1 } },
  { dist: dists.studentT, params: { loc: "id", df: "exp", scale: "exp" }, data: { loc: 0.2, df: 4, scale: 1 } },
  { dist: dists.halfStudentT, params: { scale: "exp", df: "exp" }, data: { scale: 1, df: 4 } },
  { dist: dists.laplace, params: { loc: "id", scale: "exp" }, data: { loc: 0.2, scale: 1 } },
  { dist: dists.logistic, params: { loc: "id", scale: "exp" }, data: { loc: 0.2, scale: 1 } },
  { dist: dists.exponential, params: { rate: "exp" }, data: { rate: 1.2 } },
  { dist: dists.gamma, params: { rate: "exp", shape: "exp" }, data: { rate: 1.2, shape: 2 } },
  { dist: dists.inverseGamma, params: { scale: "exp", shape: "exp" }, data: { scale: 1.2, shape: 3 } },
  { dist: dists.weibull, params: { scale: "exp", shape: "exp" }, data: { scale: 1.2, shape: 1.5 } },
  { dist: dists.beta, params: { alpha: "exp", beta: "exp" }, data: { alpha: 2, beta: 3 } },
  { dist: dists.bernoulli, params: { prob: "logistic" }, data: { prob: 0.4 } },
  { dist: dists.bernoulliLogit, params: { logit: "id" }, data: { logit: 0.2 } },
  { dist: dists.poisson, params: { rate: "exp" }, data: { rate: 3 } },
  { dist: dists.poissonLog, params: { log_rate: "id" }, data: { log_rate: 1 } },
  { dist: dists.binomial, params: { prob: "logistic", trials: 10 }, data: { prob: 0.4, trials: 10 } },
  { dist: dists.binomialLogit, params: { logit: "id", trials: 10 }, data: { logit: 0.2, trials: 10 } },
  { dist: dists.negativeBinomial, params: { mean: "exp", concentration: "exp" }, data: { mean: 4, concentration: 2 } },
];

/**
 * The gradient of `y ~ family(params)` with N = 2000 data as a compiled program, with the family's
 * element kernel fused into the generated loop or (a copy `{ ...family }`) called through its
 * broadcasting `logDensityGrad`.
 */
function familyTerm(
  dist: Distribution,
  params: Record<string, Link>,
  dataParams: Record<string, number>,
  fused: boolean,
): { fn: Fn; dim: number } {
  const N = 2000;
  const rng = createRng(`bench/${dist.family}`);
  const nodes: ProgramNode[] = [];
  const add = (node: ProgramNode): number => nodes.push(node) - 1;
  const covariate = Float64Array.from({ length: N }, () => rng.normal());
  const w = add({ op: "latent", offset: 0, unconstrainedSize: 1, discrete: false, size: 1, scalar: true });
  const b = add({ op: "latent", offset: 1, unconstrainedSize: 1, discrete: false, size: 1, scalar: true });
  const x = add({ op: "const", value: covariate, size: N, scalar: false });
  const chain = add({
    op: "binary",
    fn: "add",
    a: add({ op: "binary", fn: "mul", a: x, b: w, size: N, scalar: false }),
    b,
    size: N,
    scalar: false,
  });
  let offset = 2;
  const ids: Record<string, number> = {};
  Object.entries(params).forEach(([name, link], m) => {
    if (typeof link === "number") {
      ids[name] = add({ op: "const", value: link, size: 1, scalar: true });
      return;
    }
    const vector = m === 0;
    const base = vector
      ? chain
      : add({ op: "latent", offset: offset++, unconstrainedSize: 1, discrete: false, size: 1, scalar: true });
    ids[name] = link === "id" ? base : add({ op: "unary", fn: link, x: base, size: vector ? N : 1, scalar: !vector });
  });
  const y = add({ op: "const", value: dist.sample(rng, dataParams, [N]) as Float64Array, size: N, scalar: false });
  const terms: Term[] = [
    {
      kind: "density",
      dist: fused ? dist : { ...dist },
      value: y,
      params: ids,
      part: "likelihood",
      shape: [N],
      samples: false,
    },
  ];
  const pair = compileProgram({ nodes, terms, dimension: offset }, { sufficientStatistics: false }).density({
    prior: true,
    likelihood: true,
    jacobian: true,
  });
  return { fn: (t, g) => pair.logDensityAndGrad(t, g), dim: offset };
}

function reportFamilies(settings: Settings): void {
  console.log("scalar families: y ~ family(x·w + b, scalars), N = 2000, ns per element of logDensityAndGrad");
  console.log("  family              fused   called   speed-up");
  for (const { dist, params, data } of FAMILY_TERMS) {
    const fused = familyTerm(dist, params, data, true);
    const called = familyTerm(dist, params, data, false);
    const theta = Float64Array.from({ length: fused.dim }, (_, i) => (i === 0 ? 0.3 : 0.1));
    const grad = new Float64Array(fused.dim);
    timeIt(fused.fn, theta, grad, 0.2);
    timeIt(called.fn, theta, grad, 0.2);
    const seconds = Math.max(0.2, settings.seconds / 4);
    const a: number[] = [];
    const b: number[] = [];
    for (let round = 0; round < 3; round++) {
      a.push(1e9 / timeIt(fused.fn, theta, grad, seconds) / 2000);
      b.push(1e9 / timeIt(called.fn, theta, grad, seconds) / 2000);
    }
    const f = median(a);
    const c = median(b);
    console.log(
      `  ${dist.family.padEnd(18)} ${f.toFixed(1).padStart(6)}   ${c.toFixed(1).padStart(6)}   ${(c / f).toFixed(2).padStart(6)}x`,
    );
  }
}

/**
 * Calls per second of this process's CPU time: on a loaded machine, time the scheduler gives to
 * other processes would otherwise count against whichever implementation was running.
 */
function timeIt(fn: Fn, theta: Float64Array, grad: Float64Array, seconds: number): number {
  let calls = 0;
  const cpu = process.cpuUsage();
  const start = performance.now();
  let now = start;
  while (now - start < seconds * 1000) {
    for (let i = 0; i < 10; i++) fn(theta, grad);
    calls += 10;
    now = performance.now();
  }
  const used = process.cpuUsage(cpu);
  return calls / ((used.user + used.system) / 1e6);
}

function newSpaceUsed(): number {
  return getHeapSpaceStatistics().find((space) => space.space_name === "new_space")?.space_used_size ?? 0;
}

/**
 * Bytes allocated per call in steady state: the growth of the young generation over a batch of
 * calls, from the batches during which no scavenge emptied it (the smallest such figure).
 */
function allocatedPerCall(fn: Fn, theta: Float64Array, grad: Float64Array, batch: number): number {
  let best = Number.POSITIVE_INFINITY;
  for (let rep = 0; rep < 20; rep++) {
    const before = newSpaceUsed();
    for (let i = 0; i < batch; i++) fn(theta, grad);
    const grown = newSpaceUsed() - before;
    if (grown >= 0) best = Math.min(best, grown / batch);
  }
  return best;
}

function heapCheck(
  fn: Fn,
  theta: Float64Array,
  grad: Float64Array,
  calls: number,
  gc: (() => void) | undefined,
): string {
  for (let i = 0; i < 1000; i++) fn(theta, grad);
  gc?.();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < calls; i++) fn(theta, grad);
  const after = process.memoryUsage().heapUsed;
  gc?.();
  const afterGc = process.memoryUsage().heapUsed;
  const kb = (b: number) => `${b >= 0 ? "+" : ""}${(b / 1024).toFixed(1)} kB`;
  const mb = (b: number) => `${(b / 1048576).toFixed(2)} MB`;
  return (
    `heap before ${mb(before)}, after ${calls.toExponential(0)} calls ${mb(after)} (${kb(after - before)}), ` +
    `after gc ${mb(afterGc)} (retained ${kb(afterGc - before)})`
  );
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : 0.5 * (sorted[mid - 1]! + sorted[mid]!);
}

interface Settings {
  readonly rounds: number;
  readonly seconds: number;
  readonly heapCalls: number;
  readonly gc: (() => void) | undefined;
}

/** The point every figure is measured at: θ ~ 0.3·normal(0, 1), seeded. */
function reportTheta(dim: number): Float64Array {
  const rng = createRng(11);
  const theta = new Float64Array(dim);
  for (let i = 0; i < dim; i++) theta[i] = 0.3 * rng.normal();
  return theta;
}

function report(name: string, sprig: Fn, hand: Fn, dim: number, settings: Settings): void {
  const theta = reportTheta(dim);
  const g1 = new Float64Array(dim);
  const g2 = new Float64Array(dim);
  const lp1 = sprig(theta, g1);
  const lp2 = hand(theta, g2);
  let gdiff = 0;
  for (let i = 0; i < dim; i++) gdiff = Math.max(gdiff, Math.abs(g1[i]! - g2[i]!) / Math.max(1, Math.abs(g2[i]!)));
  // Warm both up, then alternate them round by round so that machine load affects both alike;
  // the ratio is taken within each round and summarised by its median and range.
  timeIt(sprig, theta, g1, 0.3);
  timeIt(hand, theta, g2, 0.3);
  const rs: number[] = [];
  const rh: number[] = [];
  const ratios: number[] = [];
  for (let round = 0; round < settings.rounds; round++) {
    const first = round % 2 === 0;
    const a = timeIt(first ? sprig : hand, theta, first ? g1 : g2, settings.seconds / 2);
    const b = timeIt(first ? hand : sprig, theta, first ? g2 : g1, settings.seconds / 2);
    const s = first ? a : b;
    const h = first ? b : a;
    rs.push(s);
    rh.push(h);
    ratios.push(s / h);
  }
  const batch = Math.max(10, Math.min(2000, Math.round(median(rs) / 20)));
  console.log(`${name} (dimension ${dim})`);
  console.log(
    `  agreement: |Δlp| = ${Math.abs(lp1 - lp2).toExponential(1)}, max rel |Δgrad| = ${gdiff.toExponential(1)}`,
  );
  console.log(
    `  sprig        ${median(rs).toFixed(0).padStart(9)} evals per CPU second (median of ${settings.rounds} rounds), ${(1e6 / median(rs)).toFixed(2)} µs per call`,
  );
  console.log(
    `  hand-written ${median(rh).toFixed(0).padStart(9)} evals per CPU second, ${(1e6 / median(rh)).toFixed(2)} µs per call`,
  );
  console.log(
    `  ratio sprig / hand-written = ${median(ratios).toFixed(2)} median, ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)} over rounds (bar: >= 0.5)`,
  );
  console.log(
    `  allocated per call: sprig ${allocatedPerCall(sprig, theta, g1, batch).toFixed(0)} B, hand-written ${allocatedPerCall(hand, theta, g2, batch).toFixed(0)} B (boxing the returned number costs 16 B)`,
  );
  console.log(`  sprig: ${heapCheck(sprig, theta, g1, settings.heapCalls, settings.gc)}`);
}

/**
 * Arguments: `[seconds per round] [rounds] [calls for the heap check]`, default `2 7 100000`.
 */
export default async function main(args: string[]): Promise<void> {
  setFlagsFromString("--expose-gc");
  const settings: Settings = {
    seconds: Number(args[0] ?? 2),
    rounds: Number(args[1] ?? 7),
    heapCalls: Number(args[2] ?? 100_000),
    gc: runInNewContext("typeof gc === 'function' ? gc : undefined") as (() => void) | undefined,
  };
  const families = exampleFamilies();
  console.log(`kernel set: ${activeKernels().name} (SPRIG_KERNELS=plain forces the TypeScript kernels)`);

  const logistic = syntheticLogisticData(createRng(42), 5000, 100);
  const lr = compile(logisticRegression, logistic, families);
  const handLr = handLogistic(5000, 100, logistic.X, Float64Array.from(logistic.y));
  report("logistic regression N=5000 D=100", (t, g) => lr.logDensityAndGrad(t, g), handLr, lr.dimension, settings);

  const shared = new URL(
    "../../shared/posteriordb/radon_mn-radon_variable_intercept_noncentered/data.json",
    import.meta.url,
  );
  const fromShared = existsSync(shared);
  const radonData = fromShared ? JSON.parse(readFileSync(shared, "utf8")) : syntheticRadonData(createRng(5), 85, 919);
  const radon = compile(radonNoncentered, radonData, families);
  const county = Int32Array.from(radonData.county_idx as number[], (c) => c - 1);
  const floor = Float64Array.from(radonData.floor_measure as number[]);
  const logRadon = Float64Array.from(radonData.log_radon as number[]);
  const handR = handRadon(radonData.J, radonData.N, county, floor, logRadon);
  const label = `radon varying intercept, non-centred (J=${radonData.J}, N=${radonData.N}, ${fromShared ? "posteriordb" : "synthetic"} data)`;
  report(label, (t, g) => radon.logDensityAndGrad(t, g), handR, radon.dimension, settings);

  const kidiqShared = new URL("../../shared/posteriordb/kidiq-kidscore_momhsiq/data.json", import.meta.url);
  const kidiqFromShared = existsSync(kidiqShared);
  const kidiqData = kidiqFromShared
    ? JSON.parse(readFileSync(kidiqShared, "utf8"))
    : syntheticKidiqData(createRng(6), 434);
  const handK = handKidiq(
    kidiqData.N,
    Float64Array.from(kidiqData.mom_hs as number[]),
    Float64Array.from(kidiqData.mom_iq as number[]),
    Float64Array.from(kidiqData.kid_score as number[]),
  );
  const kidiqLabel = `kidiq (N=${kidiqData.N}, ${kidiqFromShared ? "posteriordb" : "synthetic"} data)`;
  const collapsed = compile(kidiq, kidiqData, families);
  const asWritten = compile(kidiq, kidiqData, families, { sufficientStatistics: false });
  report(
    `${kidiqLabel}, Gaussian likelihood as sufficient statistics (the default)`,
    (t, g) => collapsed.logDensityAndGrad(t, g),
    handK,
    collapsed.dimension,
    settings,
  );
  const written: Fn = (t, g) => asWritten.logDensityAndGrad(t, g);
  const thetaK = reportTheta(asWritten.dimension);
  const gradK = new Float64Array(asWritten.dimension);
  timeIt(written, thetaK, gradK, 0.3);
  const asWrittenRate = median(
    Array.from({ length: settings.rounds }, () => timeIt(written, thetaK, gradK, settings.seconds / 2)),
  );
  console.log(
    `  sprig with the likelihood as written (sufficientStatistics: false) ${asWrittenRate.toFixed(0)} evals per CPU second`,
  );

  const wellsShared = new URL("../../shared/posteriordb/wells_data-wells_dae_c_model/data.json", import.meta.url);
  const wellsFromShared = existsSync(wellsShared);
  const wellsData = wellsFromShared
    ? JSON.parse(readFileSync(wellsShared, "utf8"))
    : syntheticWellsData(createRng(7), 3020);
  const wellsModel = compile(wells, wellsData, families);
  report(
    `wells, bernoulli_logit (N=${wellsData.N}, ${wellsFromShared ? "posteriordb" : "synthetic"} data)`,
    (t, g) => wellsModel.logDensityAndGrad(t, g),
    handWells(wellsData),
    wellsModel.dimension,
    settings,
  );

  reportFamilies(settings);
}
