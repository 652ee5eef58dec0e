/**
 * `npm run bench -- density [seconds]`: evaluations per second of `logDensityAndGrad` for
 * logistic regression (N = 5000, D = 100, synthetic, seeded) and the radon varying-intercept
 * model (posteriordb's data when ../shared is present, else synthetic of the same size), each
 * next to a hand-written Float64Array implementation of the same function measured in the same
 * run, and the heap before and after 1e5 calls.
 */
import { existsSync, readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { exampleFamilies } from "../examples/models/families.js";
import { logisticRegression, syntheticLogisticData } from "../examples/models/logistic_regression.js";
import { radonNoncentered, syntheticRadonData } from "../examples/models/radon.js";
import { compile } from "../src/inference/model/index.js";
import type { Distribution, GradOut, Params, Value } from "../src/runtime/dists/distribution.js";
import { createDefaultRegistry, Registry } from "../src/runtime/dists/index.js";
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
 * Diagnostic only: normal and half_normal written as whole-vector loops (log(scale) and 1/scale
 * hoisted when the scale is one number), registered under the built-in names, to separate the
 * density compiler's cost from the registry families' per-element cost.
 */
function vectorisedFamilies(): Registry {
  const base = createDefaultRegistry();
  const make = (family: "normal" | "half_normal"): Distribution => {
    const half = family === "half_normal";
    const constant = half ? HALF_LOG_2PI - LOG_2 : HALF_LOG_2PI;
    const logDensityGrad = (x: Value, p: Params, out: GradOut): number => {
      const scale = p.scale as number;
      const loc = half ? 0 : (p.loc as number | Float64Array);
      const gx = out.x;
      const gLoc = out.params.loc;
      const gScale = out.params.scale;
      const inv = 1 / scale;
      const n = typeof x === "number" ? 1 : x.length;
      let ss = 0;
      for (let i = 0; i < n; i++) {
        const xi = typeof x === "number" ? x : x[i]!;
        if (half && xi < 0) return Number.NEGATIVE_INFINITY;
        const z = (xi - (typeof loc === "number" ? loc : loc[i]!)) * inv;
        ss += z * z;
        if (gx !== undefined) gx[i]! -= z * inv;
        if (gLoc !== undefined) gLoc[gLoc.length === 1 ? 0 : i]! += z * inv;
      }
      if (gScale !== undefined) gScale[0]! += (ss - n) * inv;
      return -0.5 * ss - n * (Math.log(scale) + constant);
    };
    return { ...base.get(family), logDensity: (x, p) => logDensityGrad(x, p, { params: {} }), logDensityGrad };
  };
  return new Registry().register(make("normal")).register(make("half_normal"));
}

function timeIt(fn: Fn, theta: Float64Array, grad: Float64Array, seconds: number): number {
  for (let i = 0; i < 200; i++) fn(theta, grad);
  let calls = 0;
  const start = performance.now();
  let now = start;
  while (now - start < seconds * 1000) {
    for (let i = 0; i < 50; i++) fn(theta, grad);
    calls += 50;
    now = performance.now();
  }
  return calls / ((now - start) / 1000);
}

function heapCheck(fn: Fn, theta: Float64Array, grad: Float64Array, gc: (() => void) | undefined): string {
  for (let i = 0; i < 1000; i++) fn(theta, grad);
  gc?.();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < 100_000; i++) fn(theta, grad);
  const after = process.memoryUsage().heapUsed;
  gc?.();
  const afterGc = process.memoryUsage().heapUsed;
  const mb = (b: number) => `${(b / 1048576).toFixed(2)} MB`;
  return `heap before ${mb(before)}, after 1e5 calls ${mb(after)} (${after - before >= 0 ? "+" : ""}${((after - before) / 1024).toFixed(1)} kB), after gc ${mb(afterGc)}`;
}

function report(name: string, sprig: Fn, hand: Fn, dim: number, seconds: number, gc: (() => void) | undefined): void {
  const rng = createRng(11);
  const theta = new Float64Array(dim);
  for (let i = 0; i < dim; i++) theta[i] = 0.3 * rng.normal();
  const g1 = new Float64Array(dim);
  const g2 = new Float64Array(dim);
  const lp1 = sprig(theta, g1);
  const lp2 = hand(theta, g2);
  let gdiff = 0;
  for (let i = 0; i < dim; i++) gdiff = Math.max(gdiff, Math.abs(g1[i]! - g2[i]!) / Math.max(1, Math.abs(g2[i]!)));
  // Alternate the two implementations so machine load affects both alike.
  let rs = 0;
  let rh = 0;
  for (let round = 0; round < 3; round++) {
    rs = Math.max(rs, timeIt(sprig, theta, g1, seconds / 3));
    rh = Math.max(rh, timeIt(hand, theta, g2, seconds / 3));
  }
  console.log(`${name} (dimension ${dim})`);
  console.log(
    `  agreement: |Δlp| = ${Math.abs(lp1 - lp2).toExponential(1)}, max rel |Δgrad| = ${gdiff.toExponential(1)}`,
  );
  console.log(`  sprig        ${rs.toFixed(0).padStart(9)} evals/s`);
  console.log(`  hand-written ${rh.toFixed(0).padStart(9)} evals/s`);
  console.log(`  ratio sprig / hand-written = ${(rs / rh).toFixed(2)} (bar: >= 0.5)`);
  console.log(`  sprig: ${heapCheck(sprig, theta, g1, gc)}`);
}

export default async function main(args: string[]): Promise<void> {
  const seconds = Number(args[0] ?? 6);
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("typeof gc === 'function' ? gc : undefined") as (() => void) | undefined;
  const families = exampleFamilies();
  console.log(`kernel set: ${activeKernels().name} (SPRIG_KERNELS=plain forces the TypeScript kernels)`);

  const logistic = syntheticLogisticData(createRng(42), 5000, 100);
  const lr = compile(logisticRegression, logistic, families);
  const handLr = handLogistic(5000, 100, logistic.X, Float64Array.from(logistic.y));
  report("logistic regression N=5000 D=100", (t, g) => lr.logDensityAndGrad(t, g), handLr, lr.dimension, seconds, gc);

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
  report(label, (t, g) => radon.logDensityAndGrad(t, g), handR, radon.dimension, seconds, gc);

  const radonVectorised = compile(radonNoncentered, radonData, vectorisedFamilies());
  console.log("diagnostic: the same radon model with normal/half_normal written as whole-vector loops");
  report(
    "radon, vectorised normal families",
    (t, g) => radonVectorised.logDensityAndGrad(t, g),
    handR,
    radon.dimension,
    seconds,
    gc,
  );
}
