/**
 * `npm run bench -- lang [runs]`: time to parse and lower a 200-line model (a hierarchical
 * regression with 40 predictors, transformed data, user functions and a loop that is vectorised),
 * after warm-up; median of `runs` (default 50). Printed next to the time to load the same IR from
 * its JSON (the cost of the IR builder's own validation, which parsing includes) and the 50 ms bar.
 */
import { performance } from "node:perf_hooks";
import { exampleFamilies } from "../examples/models/families.js";
import { graphFromJSON, graphToJSON } from "../src/ir/index.js";
import { parseModel } from "../src/lang/text/index.js";

const PREDICTORS = 36;
/** Predictors that are centred in transformed data (the rest are used as given). */
const CENTRED = 19;
const BAR_MS = 50;

/**
 * A 200-line model exercising the whole front end.
 *
 * @example
 * ```ts
 * benchmarkModel().split("\n").length; // 200
 * ```
 */
export function benchmarkModel(): string {
  const k = Array.from({ length: PREDICTORS }, (_, i) => i + 1);
  const lines = [
    "// Benchmark model: hierarchical regression with many predictors.",
    "functions {",
    "  vector affine(vector z, real m, real s) {",
    "    return m + s * z;",
    "  }",
    "  real sq(real x) { return x * x; }",
    "}",
    "data {",
    "  int<lower=1> N;",
    "  int<lower=1> J;",
    "  array[N] int<lower=1> group;",
    "  vector[N] y;",
    ...k.map((i) => `  vector[N] x${i};`),
    "}",
    "transformed data {",
    ...k.slice(0, CENTRED).map((i) => `  vector[N] z${i} = (x${i} - mean(x${i})) / 2;`),
    "}",
    "parameters {",
    "  real alpha;",
    "  vector[J] u_raw;",
    "  real<lower=0> tau;",
    "  real<lower=0> sigma;",
    ...k.map((i) => `  real b${i};`),
    "}",
    "transformed parameters {",
    "  vector[J] u = affine(u_raw, 0, tau);",
    "  real shrink = sq(tau) / (sq(tau) + sq(sigma));",
    "}",
    "model {",
    "  vector[N] mu;",
    "  alpha ~ normal(0, 5);",
    "  u_raw ~ normal(0, 1);",
    "  tau ~ half_normal(1);",
    "  sigma ~ exponential(1);",
    ...k.map((i) => `  b${i} ~ normal(0, ${i <= CENTRED ? 1 : 2.5});`),
    "  for (n in 1:N) {",
    "    mu[n] = alpha + u[group[n]]",
    ...k.map((i) => `      + b${i} * ${i <= CENTRED ? `z${i}` : `x${i}`}[n]`),
    "      ;",
    "  }",
    "  y ~ normal(mu, sigma);",
    "}",
  ];
  return lines.join("\n");
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/**
 * Median wall time and mean CPU time of one call, after 20 warm-up calls. The CPU time (this
 * process only) is the figure to trust on a shared machine, where other jobs stretch wall time.
 */
function time(run: () => void, runs: number): { wall: number; cpu: number } {
  for (let i = 0; i < 20; i++) run();
  const samples: number[] = [];
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    run();
    samples.push(performance.now() - t0);
  }
  const cpu = process.cpuUsage(cpu0);
  return { wall: median(samples), cpu: (cpu.user + cpu.system) / 1000 / runs };
}

export default async function main(args: string[]): Promise<void> {
  const runs = Number(args[0] ?? 50);
  const text = benchmarkModel();
  const families = exampleFamilies();
  const graph = parseModel(text, families, { file: "bench.sprig" });
  const jsonText = graphToJSON(graph);
  const parse = time(() => parseModel(text, families, { file: "bench.sprig" }), runs);
  const json = time(() => graphFromJSON(jsonText, families), runs);
  const verdict = (ms: number): string => `${ms < BAR_MS ? "PASS" : "FAIL"} (${(ms / BAR_MS).toFixed(2)} of the bar)`;
  console.log(
    `lang: ${text.split("\n").length}-line model, ${graph.nodes.length} IR nodes, ${runs} runs after 20 warm-up`,
  );
  console.log("                          wall (median)   CPU (mean)");
  console.log(
    `  parse + check + lower:  ${parse.wall.toFixed(2).padStart(8)} ms   ${parse.cpu.toFixed(2).padStart(8)} ms`,
  );
  console.log(
    `  IR from JSON (builder): ${json.wall.toFixed(2).padStart(8)} ms   ${json.cpu.toFixed(2).padStart(8)} ms   ratio ${(parse.cpu / json.cpu).toFixed(1)}x (CPU)`,
  );
  console.log(`  bar ${BAR_MS} ms:               wall ${verdict(parse.wall)}, CPU ${verdict(parse.cpu)}`);
}
