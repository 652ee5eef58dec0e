import { randomUUID } from "node:crypto";
import { availableParallelism } from "node:os";
import { DomainError, describeValue } from "../../core/errors.js";
import type { Rng } from "../../core/rng.js";
import { createRng, splitSeed } from "../../runtime/rng/index.js";
import { createWorkerPool, type WorkerPool } from "../../runtime/workers/index.js";
import type { DenseRegularization } from "../adaptation/mass_matrix.js";
import type { WindowScheduleOptions } from "../adaptation/schedule.js";
import { runWarmup } from "../adaptation/window_adaptation.js";
import type { ModelData } from "../model/data.js";
import type { DensityModel, VariableLayout } from "../model/density_model.js";
import type { ChainTaskInput } from "./chain_task.js";
import { type DerivedLayout, derivedQuantities } from "./derived.js";
import { buildKernel as buildStaticKernel } from "./hmc.js";
import { checkInitialPosition, findInitialPosition, requireContinuous } from "./init.js";
import { type Integrator, velocityVerlet } from "./integrators.js";
import { checkInteger } from "./kernel_support.js";
import type { MetricKind } from "./metrics.js";
import { buildKernel as buildNutsKernel } from "./nuts.js";
import { type ProgressSink, progressBar } from "./progress.js";
import {
  type FamiliesSource,
  isDensityModel,
  type ModelSource,
  resolveModel,
  type TransferableModel,
  toTransferable,
} from "../model_source.js";
import type { HmcKernel, HmcState, HmcStateBuffer, TransitionInfo } from "./types.js";

// The worker task module sits next to this file, with this file's extension (TypeScript source
// under tsx/vitest, JavaScript in dist/).
const CHAIN_TASK_URL = new URL(
  import.meta.url.endsWith(".ts") ? "./chain_task.ts" : "./chain_task.js",
  import.meta.url,
);

/**
 * Options of {@link sample} and {@link runChain}. Every field has Stan's default.
 *
 * @example
 * ```ts
 * const options: SampleOptions = { numChains: 4, numWarmup: 1000, numSamples: 1000, seed: 42 };
 * ```
 */
export interface SampleOptions extends WindowScheduleOptions {
  /** Independent chains (default 4). */
  readonly numChains?: number;
  /** Warm-up (adaptation) iterations per chain, not kept (default 1000). */
  readonly numWarmup?: number;
  /** Kept iterations per chain (default 1000). */
  readonly numSamples?: number;
  /** Seed of the root stream; chain i uses its i-th split (default 0). */
  readonly seed?: number | string;
  /** Target of step-size adaptation (default 0.8). */
  readonly targetAcceptRate?: number;
  /** NUTS maximum tree depth (default 10). */
  readonly maxTreeDepth?: number;
  /** Inverse-mass-matrix family to adapt (default `diag`). */
  readonly metric?: MetricKind;
  /**
   * How warm-up regularises dense estimates: `identity` (default, Stan's rule) or `diagonal`
   * (shrink correlations toward zero, keeping variances; much faster warm-up when the dimension
   * exceeds the early windows' 25–100 draws).
   */
  readonly denseRegularization?: DenseRegularization;
  /** `nuts` (default) or fixed-length `hmc`. */
  readonly algorithm?: "nuts" | "hmc";
  /** Integrator steps per static-HMC transition (default 10; `algorithm: "hmc"` only). */
  readonly numSteps?: number;
  /** Integration scheme (default leapfrog). */
  readonly integrator?: Integrator;
  /** Random initial points are uniform(−initRadius, initRadius) on the unconstrained scale (default 2). */
  readonly initRadius?: number;
  /** Unconstrained initial positions: one for every chain, or one per chain. */
  readonly initialPositions?: readonly Float64Array[];
  /** Called periodically (about 100 times per chain phase) with progress. */
  readonly onProgress?: (progress: SampleProgress) => void;
  /** Aborts between iterations when signalled (rejects with the signal's reason). */
  readonly signal?: AbortSignal;
  /**
   * Worker threads to run chains in (default 1: every chain in this thread, one after another).
   * `"auto"` uses one per core, at most one per chain. Workers rebuild the model from a
   * serialisable source (a graph's JSON or a module export, see {@link ModelSource}); draws are
   * bit-identical whatever the number of workers.
   */
  readonly workers?: number | "auto";
  /** A pool to run chains in (kept open afterwards), instead of a pool created for this run. */
  readonly pool?: WorkerPool;
  /** Families a model graph is compiled with (default: sprig's built-in registry). */
  readonly families?: FamiliesSource;
  /**
   * Progress display: `true` draws a bar on stderr, a sink writes there; default: on stderr when it
   * is a TTY. Independent of `onProgress`.
   */
  readonly progress?: boolean | ProgressSink;
  /**
   * Keep the model's derived quantities (deterministic nodes that depend on the latents, Stan's
   * transformed parameters) with every draw (default true; compiled models only).
   */
  readonly derived?: boolean;
}

/**
 * A progress report from a running chain.
 *
 * @example
 * ```ts
 * onProgress: (p) => console.log(`chain ${p.chain} ${p.phase} ${p.iteration}/${p.numIterations}`)
 * ```
 */
export interface SampleProgress {
  /** Chain index (0-based). */
  readonly chain: number;
  /** `warmup` or `sampling`. */
  readonly phase: "warmup" | "sampling";
  /** Iterations completed in this phase. */
  readonly iteration: number;
  /** Iterations in this phase. */
  readonly numIterations: number;
  /** Divergent transitions so far in this phase. */
  readonly numDivergent: number;
}

/**
 * Per-iteration sampler statistics of a chain's kept draws (Stan's `__` columns).
 *
 * @example
 * ```ts
 * const divergences = stats.isDivergent.reduce((a, b) => a + b, 0);
 * ```
 */
export interface SamplerStats {
  /** log density at each draw (Stan's `lp__`, unconstrained scale, including log|J|). */
  readonly logDensity: Float64Array;
  /** Acceptance statistic (`accept_stat__`). */
  readonly acceptStat: Float64Array;
  /** Step size used (`stepsize__`). */
  readonly stepSize: Float64Array;
  /** Tree depth (`treedepth__`; 0 for static HMC). */
  readonly treeDepth: Int32Array;
  /** Integrator steps (`n_leapfrog__`). */
  readonly numSteps: Int32Array;
  /** 1 if divergent (`divergent__`). */
  readonly isDivergent: Uint8Array;
  /** Hamiltonian at the draw (`energy__`). */
  readonly energy: Float64Array;
}

/**
 * One chain's output. Plain data (typed arrays and numbers), so it can cross a worker boundary.
 *
 * @example
 * ```ts
 * const firstDraw = chain.draws.subarray(0, result.constrainedDimension);
 * ```
 */
export interface ChainResult {
  /** Chain index. */
  readonly chain: number;
  /** Seed path of the chain's stream (`createRng(seed)` recreates it). */
  readonly seed: string;
  /** Constrained draws, `numSamples × constrainedDimension`, row-major. */
  readonly draws: Float64Array;
  /** Derived quantities at each draw, `numSamples × derivedDimension`, row-major (absent or empty if none). */
  readonly derived?: Float64Array;
  /** Sampler statistics of the kept draws. */
  readonly stats: SamplerStats;
  /** Adapted step size. */
  readonly stepSize: number;
  /** Adapted inverse mass matrix (empty for the unit metric). */
  readonly inverseMassMatrix: Float64Array;
  /** Unconstrained starting point. */
  readonly initialPosition: Float64Array;
  /** Divergent transitions during warm-up. */
  readonly numWarmupDivergent: number;
  /** Gradient evaluations, warm-up and initialisation included. */
  readonly numGradientEvaluations: number;
  /** Wall time of initialisation and warm-up, seconds. */
  readonly warmupSeconds: number;
  /** Wall time of sampling, seconds. */
  readonly samplingSeconds: number;
}

/**
 * One flat constrained coordinate: its display name (`beta[2]`, `Sigma[1,2]`, 1-based), the
 * variable it belongs to and its 0-based index within the variable's shape.
 *
 * @example
 * ```ts
 * const c: ColumnInfo = { name: "beta[2]", variable: "beta", index: [1] };
 * ```
 */
export interface ColumnInfo {
  readonly name: string;
  readonly variable: string;
  readonly index: readonly number[];
}

/**
 * The output of {@link sample}: every chain plus what is needed to name and interpret it.
 *
 * @example
 * ```ts
 * const result = await sample(model, { seed: 1 });
 * console.log(summary(result));
 * ```
 */
export interface McmcResult {
  readonly chains: readonly ChainResult[];
  /**
   * Names of the flat quantities: the constrained coordinates in draw order (indices below
   * `constrainedDimension`), then the derived quantities in their row order.
   */
  readonly columns: readonly ColumnInfo[];
  /** The model's layout (variable names, shapes, offsets). */
  readonly layout: readonly VariableLayout[];
  readonly constrainedDimension: number;
  /** Layout of the derived quantities in each chain's `derived` rows (absent: none). */
  readonly derived?: readonly DerivedLayout[];
  /** Derived values per draw (absent: 0). */
  readonly derivedDimension?: number;
  readonly numChains: number;
  readonly numWarmup: number;
  readonly numSamples: number;
  readonly algorithm: "nuts" | "hmc";
  readonly metric: MetricKind;
  readonly maxTreeDepth: number;
  readonly targetAcceptRate: number;
  readonly seed: string;
}

interface ResolvedOptions {
  readonly numChains: number;
  readonly numWarmup: number;
  readonly numSamples: number;
  readonly seed: number | string;
  readonly targetAcceptRate: number;
  readonly maxTreeDepth: number;
  readonly metric: MetricKind;
  readonly algorithm: "nuts" | "hmc";
  readonly numSteps: number;
  readonly integrator: Integrator;
  readonly initRadius: number;
}

function resolveOptions(model: DensityModel, options: SampleOptions): ResolvedOptions {
  const resolved: ResolvedOptions = {
    numChains: options.numChains ?? 4,
    numWarmup: options.numWarmup ?? 1000,
    numSamples: options.numSamples ?? 1000,
    seed: options.seed ?? 0,
    targetAcceptRate: options.targetAcceptRate ?? 0.8,
    maxTreeDepth: options.maxTreeDepth ?? 10,
    metric: options.metric ?? "diag",
    algorithm: options.algorithm ?? "nuts",
    numSteps: options.numSteps ?? 10,
    integrator: options.integrator ?? velocityVerlet,
    initRadius: options.initRadius ?? 2,
  };
  const where = resolved.algorithm;
  checkInteger(where, "numChains", resolved.numChains, 1);
  checkInteger(where, "numWarmup", resolved.numWarmup, 0);
  checkInteger(where, "numSamples", resolved.numSamples, 1);
  if (resolved.algorithm !== "nuts" && resolved.algorithm !== "hmc") {
    throw new DomainError({
      where: "sample",
      what: "unknown algorithm",
      got: describeValue(resolved.algorithm),
      expected: "'nuts' or 'hmc'",
    });
  }
  if (!(resolved.targetAcceptRate > 0 && resolved.targetAcceptRate < 1)) {
    throw new DomainError({
      where,
      what: "targetAcceptRate must lie strictly between 0 and 1",
      got: describeValue(resolved.targetAcceptRate),
      expected: "a value in (0, 1)",
    });
  }
  if (model.dimension < 1) {
    throw new DomainError({
      where,
      what: "the model has no continuous latent variables to sample",
      got: "dimension 0",
      hint: "condition on fewer variables, or simulate from the prior with samplePrior().",
    });
  }
  const inits = options.initialPositions;
  if (inits !== undefined && inits.length !== 1 && inits.length !== resolved.numChains) {
    throw new DomainError({
      where,
      what: "initialPositions must hold one position for all chains or one per chain",
      got: `${inits.length} positions`,
      expected: `1 or ${resolved.numChains}`,
    });
  }
  requireContinuous(model, where);
  return resolved;
}

function buildChainKernel(model: DensityModel, o: ResolvedOptions): HmcKernel<TransitionInfo & { treeDepth?: number }> {
  return o.algorithm === "nuts"
    ? buildNutsKernel(model, { integrator: o.integrator, maxTreeDepth: o.maxTreeDepth, metric: o.metric })
    : buildStaticKernel(model, { integrator: o.integrator, numSteps: o.numSteps, metric: o.metric });
}

/**
 * Forwards to a model, counting gradient evaluations. A class (not a literal of closures) so that
 * the integrator's call site sees one shared method whichever chain is running.
 */
class CountingModel implements DensityModel {
  count = 0;
  readonly dimension: number;
  readonly constrainedDimension: number;
  readonly layout: readonly VariableLayout[];
  readonly discreteLatents: readonly string[];

  constructor(private readonly inner: DensityModel) {
    this.dimension = inner.dimension;
    this.constrainedDimension = inner.constrainedDimension;
    this.layout = inner.layout;
    this.discreteLatents = inner.discreteLatents;
  }

  logDensity(theta: Float64Array): number {
    return this.inner.logDensity(theta);
  }

  logDensityAndGrad(theta: Float64Array, grad: Float64Array): number {
    this.count++;
    return this.inner.logDensityAndGrad(theta, grad);
  }

  constrain(theta: Float64Array, out?: Float64Array): Float64Array {
    return this.inner.constrain(theta, out);
  }

  unconstrain(values: Parameters<DensityModel["unconstrain"]>[0], out?: Float64Array): Float64Array {
    return this.inner.unconstrain(values, out);
  }

  samplePrior(rng: Rng, out?: Float64Array): Float64Array {
    return this.inner.samplePrior(rng, out);
  }
}

/**
 * Runs chain `chainIndex` to completion: a pure function of the model, the index and the
 * options (its stream is the `chainIndex`-th split of `createRng(seed)`), so a worker can run any
 * chain and produce the same draws bit for bit.
 *
 * @example
 * ```ts
 * const chain = runChain(model, 2, { seed: 7, numWarmup: 500, numSamples: 500 });
 * ```
 */
export function runChain(model: DensityModel, chainIndex: number, options: SampleOptions = {}): ChainResult {
  const o = resolveOptions(model, options);
  checkInteger(o.algorithm, "chainIndex", chainIndex, 0);
  return runChainOn(model, chainIndex, createRng(splitSeed(o.seed, chainIndex)), o, options);
}

/**
 * {@link runChain} on a stream the caller made: the worker pool hands each task the `i`-th split
 * of `createRng(seed)`, the very stream `runChain` builds for chain `i`. Throws if `rng` is any
 * other stream, so a scheduling mistake cannot silently change the draws.
 *
 * @example
 * ```ts
 * const chain = runChainWithStream(model, 1, createRng("7/1"), { seed: 7 });
 * ```
 */
export function runChainWithStream(
  model: DensityModel,
  chainIndex: number,
  rng: Rng,
  options: SampleOptions = {},
): ChainResult {
  const o = resolveOptions(model, options);
  checkInteger(o.algorithm, "chainIndex", chainIndex, 0);
  const expected = splitSeed(o.seed, chainIndex);
  if (rng.seed !== expected) {
    throw new DomainError({
      where: o.algorithm,
      what: `chain ${chainIndex} was given the wrong random stream`,
      got: describeValue(rng.seed),
      expected: `'${expected}' (split ${chainIndex} of the run's seed)`,
    });
  }
  return runChainOn(model, chainIndex, rng, o, options);
}

function runChainOn(
  model: DensityModel,
  chainIndex: number,
  rng: Rng,
  o: ResolvedOptions,
  options: SampleOptions,
): ChainResult {
  const counter = new CountingModel(model);
  const kernel = buildChainKernel(counter, o);
  const derived = options.derived === false ? undefined : derivedQuantities(model);
  const { onProgress, signal } = options;
  const d = model.constrainedDimension;

  const warmupStart = performance.now();
  const inits = options.initialPositions;
  const initialPosition =
    inits === undefined
      ? findInitialPosition(rng, counter, o.initRadius, 100, o.algorithm)
      : checkInitialPosition(model, inits.length === 1 ? inits[0] : inits[chainIndex], o.algorithm);
  const initialState: HmcState = kernel.init(initialPosition);

  const warmupEvery = Math.max(1, Math.floor(o.numWarmup / 100));
  let warmupDivergent = 0;
  const warm = runWarmup(
    rng,
    kernel,
    initialState,
    {
      numWarmup: o.numWarmup,
      targetAcceptRate: o.targetAcceptRate,
      initBuffer: options.initBuffer,
      termBuffer: options.termBuffer,
      baseWindow: options.baseWindow,
      denseRegularization: options.denseRegularization,
    },
    (i, info) => {
      signal?.throwIfAborted();
      if (info.isDivergent) warmupDivergent++;
      if (onProgress && ((i + 1) % warmupEvery === 0 || i + 1 === o.numWarmup)) {
        onProgress({
          chain: chainIndex,
          phase: "warmup",
          iteration: i + 1,
          numIterations: o.numWarmup,
          numDivergent: warmupDivergent,
        });
      }
    },
  );
  // The warm-up's final state is a buffer of its own, which sampling now advances in place.
  const state: HmcStateBuffer = warm.state;
  const params = warm.params;
  const warmupSeconds = (performance.now() - warmupStart) / 1000;

  const n = o.numSamples;
  const draws = new Float64Array(n * d);
  const dd = derived?.dimension ?? 0;
  const derivedDraws = new Float64Array(n * dd);
  const stats: SamplerStats = {
    logDensity: new Float64Array(n),
    acceptStat: new Float64Array(n),
    stepSize: new Float64Array(n).fill(params.stepSize),
    treeDepth: new Int32Array(n),
    numSteps: new Int32Array(n),
    isDivergent: new Uint8Array(n),
    energy: new Float64Array(n),
  };
  const samplingEvery = Math.max(1, Math.floor(n / 100));
  let numDivergent = 0;
  const samplingStart = performance.now();
  for (let i = 0; i < n; i++) {
    signal?.throwIfAborted();
    const info = kernel.stepInto(rng, state, params, state);
    model.constrain(state.position, draws.subarray(i * d, (i + 1) * d));
    if (derived !== undefined) derived.fill(state.position, derivedDraws, i * dd);
    stats.logDensity[i] = state.logDensity;
    stats.acceptStat[i] = info.acceptStat;
    stats.treeDepth[i] = info.treeDepth ?? 0;
    stats.numSteps[i] = info.numSteps;
    stats.isDivergent[i] = info.isDivergent ? 1 : 0;
    stats.energy[i] = info.energy;
    if (info.isDivergent) numDivergent++;
    if (onProgress && ((i + 1) % samplingEvery === 0 || i + 1 === n)) {
      onProgress({ chain: chainIndex, phase: "sampling", iteration: i + 1, numIterations: n, numDivergent });
    }
  }
  return {
    chain: chainIndex,
    seed: rng.seed,
    draws,
    derived: derivedDraws,
    stats,
    stepSize: params.stepSize,
    inverseMassMatrix: params.inverseMassMatrix ?? new Float64Array(0),
    initialPosition,
    numWarmupDivergent: warm.numDivergent,
    numGradientEvaluations: counter.count,
    warmupSeconds,
    samplingSeconds: (performance.now() - samplingStart) / 1000,
  };
}

/**
 * Display names of the flat constrained coordinates, Stan style: `tau`, `beta[1]`,
 * `Sigma[1,2]` (1-based, row-major as the constrained layout is).
 *
 * @example
 * ```ts
 * columnsOf(model.layout).map((c) => c.name); // ["mu", "tau", "theta[1]", …]
 * ```
 */
export function columnsOf(layout: readonly VariableLayout[]): ColumnInfo[] {
  const columns: ColumnInfo[] = [];
  for (const v of [...layout].sort((a, b) => a.constrainedOffset - b.constrainedOffset)) {
    pushColumns(columns, v.name, v.shape, v.constrainedSize);
  }
  return columns;
}

function pushColumns(columns: ColumnInfo[], name: string, shape: readonly number[], size: number): void {
  for (let k = 0; k < size; k++) {
    const index: number[] = new Array(shape.length);
    let rest = k;
    for (let a = shape.length - 1; a >= 0; a--) {
      index[a] = rest % shape[a];
      rest = Math.floor(rest / shape[a]);
    }
    const display = shape.length === 0 ? name : `${name}[${index.map((i) => i + 1).join(",")}]`;
    columns.push({ name: display, variable: name, index });
  }
}

function allColumns(layout: readonly VariableLayout[], derived: readonly DerivedLayout[]): ColumnInfo[] {
  const columns = columnsOf(layout);
  for (const q of derived) pushColumns(columns, q.name, q.shape, q.size);
  return columns;
}

/**
 * Runs `numChains` NUTS (or static HMC) chains with Stan's warm-up and returns named,
 * constrained draws (with the model's derived quantities) and sampler statistics.
 *
 * Two call forms: `sample(model, options)` for a compiled {@link DensityModel}, and
 * `sample(source, data, options)` for a model graph or a module export (see {@link ModelSource}),
 * compiled here with `data` and `options.families`. With `workers > 1` (or a `pool`) the chains
 * run in worker threads, each rebuilding the model from the graph's JSON or by importing the
 * module; chain i always runs on the i-th split of `createRng(seed)`, so the draws are
 * bit-identical in this thread and with any number of workers. Everything that can be checked
 * (data, options, discrete latents, a finite starting point) is checked before any chain starts.
 *
 * @example
 * ```ts
 * const result = await sample(eightSchoolsNoncentered, eightSchoolsData, { numChains: 4, seed: 42, workers: 2 });
 * console.log(summary(result));
 * ```
 */
export function sample(model: DensityModel, options?: SampleOptions): Promise<McmcResult>;
export function sample(source: ModelSource, data: ModelData | undefined, options?: SampleOptions): Promise<McmcResult>;
export async function sample(
  source: ModelSource,
  second?: ModelData | SampleOptions,
  third?: SampleOptions,
): Promise<McmcResult> {
  // A compiled model carries its data: sample(model, options). Any other source: (source, data, options).
  const compiledForm = isDensityModel(source) && third === undefined;
  const data = compiledForm ? undefined : (second as ModelData | undefined);
  const options = ((compiledForm ? second : third) ?? {}) as SampleOptions;
  if (isDensityModel(source) && data !== undefined && Object.keys(data).length > 0) {
    throw new DomainError({
      where: "sample()",
      what: "data were given with an already compiled model",
      got: `fields ${Object.keys(data).join(", ")}`,
      hint: "compile the model with its data, or pass the model graph: sample(graph, data, options).",
    });
  }
  const model = await resolveModel(source, data, options.families, "sample()");
  const o = resolveOptions(model, options);
  const workers = resolveWorkers(options, o.numChains);
  const derivedLayout = options.derived === false ? [] : (derivedQuantities(model)?.layout ?? []);
  const display = progressDisplay(options.progress, o);
  const onProgress =
    display === undefined
      ? options.onProgress
      : (p: SampleProgress) => {
          display(p);
          options.onProgress?.(p);
        };
  const chains =
    workers > 1 || options.pool !== undefined
      ? await runInWorkers(
          model,
          toTransferable(source, data, options.families, "sample()"),
          o,
          options,
          workers,
          onProgress,
        )
      : await runHere(model, o, { ...options, onProgress });
  return {
    chains,
    columns: allColumns(model.layout, derivedLayout),
    layout: model.layout,
    constrainedDimension: model.constrainedDimension,
    derived: derivedLayout,
    derivedDimension: derivedLayout.reduce((n, q) => n + q.size, 0),
    numChains: o.numChains,
    numWarmup: o.numWarmup,
    numSamples: o.numSamples,
    algorithm: o.algorithm,
    metric: o.metric,
    maxTreeDepth: o.algorithm === "nuts" ? o.maxTreeDepth : 0,
    targetAcceptRate: o.targetAcceptRate,
    seed: String(o.seed),
  };
}

function resolveWorkers(options: SampleOptions, numChains: number): number {
  const requested = options.workers ?? 1;
  if (requested === "auto") return Math.min(numChains, availableParallelism());
  checkInteger("sample()", "workers", requested, 1);
  return Math.min(requested, numChains);
}

function progressDisplay(
  progress: boolean | ProgressSink | undefined,
  o: ResolvedOptions,
): ((p: SampleProgress) => void) | undefined {
  const sink = progress === true || progress === undefined ? process.stderr : progress === false ? undefined : progress;
  // By default only a terminal gets a display; logs and pipes stay clean.
  if (sink === undefined || (progress === undefined && !process.stderr.isTTY)) return undefined;
  return progressBar(sink, { numChains: o.numChains, numWarmup: o.numWarmup, numSamples: o.numSamples });
}

async function runHere(model: DensityModel, o: ResolvedOptions, options: SampleOptions): Promise<ChainResult[]> {
  const chains: ChainResult[] = [];
  for (let c = 0; c < o.numChains; c++) {
    options.signal?.throwIfAborted();
    chains.push(runChainOn(model, c, createRng(splitSeed(o.seed, c)), o, options));
    // Let timers and abort handlers run between chains.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return chains;
}

async function runInWorkers(
  model: DensityModel,
  spec: TransferableModel,
  o: ResolvedOptions,
  options: SampleOptions,
  workers: number,
  onProgress: ((p: SampleProgress) => void) | undefined,
): Promise<ChainResult[]> {
  // A worker's failure reaches this thread as a WorkerError; check here what can be checked, so
  // that a model with no finite starting point fails with the same error as in this thread.
  const inits = options.initialPositions;
  if (inits === undefined)
    findInitialPosition(createRng(`${o.seed}/init-check`), model, o.initRadius, 100, o.algorithm);
  else for (const p of inits) checkInitialPosition(model, p, o.algorithm);

  const { onProgress: _p, signal, pool: given, progress: _d, families: _f, workers: _w, ...rest } = options;
  const chainOptions: SampleOptions = { ...rest, seed: o.seed };
  const key = randomUUID();
  const inputs: ChainTaskInput[] = Array.from({ length: o.numChains }, (_, chain) => ({
    key,
    model: spec,
    chain,
    options: chainOptions,
  }));
  const pool = given ?? createWorkerPool({ size: workers });
  try {
    return await pool.map<ChainResult>(CHAIN_TASK_URL, "runChainTask", inputs, {
      seed: o.seed,
      signal,
      onProgress: onProgress === undefined ? undefined : (_i, value) => onProgress(value as SampleProgress),
    });
  } finally {
    if (given === undefined) await pool.close();
  }
}
