/**
 * EM-SBL on a model: {@link fitEm} compiles the model (or takes a compiled one), finds its
 * sparse linear-Gaussian block with {@link detectEm}, runs {@link fitSbl} and returns the
 * answer in the model's own names and shapes: the posterior mean and standard deviation of the
 * coefficients (and of the standardised z of a non-centred prior), the estimated
 * hyper-parameters by node name, the posterior modes of Gamma-distributed precisions, the
 * support, the log evidence trace, iterations and time. {@link fixEmEstimates} puts the
 * estimates back into the graph, so NUTS or VI can run the same model conditionally on them.
 *
 * @module
 */
import { CapabilityError } from "../../core/errors.js";
import type { SignatureLookup } from "../../core/family.js";
import { substitute } from "../../ir/rewrites.js";
import type { ModelGraph } from "../../ir/types.js";
import type { Value } from "../../runtime/dists/distribution.js";
import { type CompiledModel, compile } from "../model/compile.js";
import { bindData, type ModelData } from "../model/data.js";
import type { DistributionLookup } from "../model/lower.js";
import { detectPlan, type EmPlan } from "./detect.js";
import { fitSbl } from "./fit.js";
import type { FitSblOptions, SblAlgorithm, SblResult } from "./types.js";

/**
 * Options of {@link fitEm}: those of `fitSbl` (algorithm, stopping rule, pruning, …). The
 * algorithm must fit the model's prior (see `plan.algorithms`); by default the first one does.
 *
 * @example
 * ```ts
 * fitEm(graph, data, registry, { algorithm: "tipping_faul", tolerance: 1e-8 });
 * ```
 */
export type FitEmOptions = FitSblOptions;

/**
 * The result of {@link fitEm}, in the model's names and shapes.
 *
 * @example
 * ```ts
 * const fit = fitEm(graph, data, registry);
 * fit.mean.w;          // posterior mean of the coefficients 'w'
 * fit.hypers.w_alpha;  // estimated precisions (Infinity = pruned)
 * fit.hypers.sigma;    // estimated noise scale
 * ```
 */
export interface EmFit {
  /** What was detected: the model's names for every piece and the problem that ran. */
  readonly plan: EmPlan;
  /** The algorithm that ran. */
  readonly algorithm: SblAlgorithm;
  /**
   * Posterior means by name: the coefficients x, and the standardised z of a non-centred prior
   * (z = x / prior sd; 0 where pruned). Complex coefficients stay interleaved (re, im).
   */
  readonly mean: Readonly<Record<string, Float64Array>>;
  /** Posterior standard deviations with the same names and shapes (z: 1 where pruned, its prior). */
  readonly sd: Readonly<Record<string, Float64Array>>;
  /**
   * Estimated hyper-parameters by node name (type-II maximum likelihood): precisions (Infinity
   * where the coefficient is pruned), the noise hyper-parameter in the model's form (s, s² or 1/s²),
   * an intra-block correlation.
   */
  readonly hypers: Readonly<Record<string, Value>>;
  /** Posterior modes of latent precisions (Gamma hyper-priors, Student-t weights, the noise precision). */
  readonly modes: Readonly<Record<string, Value>>;
  /** Indices of x that are kept (both elements of a kept complex coefficient), ascending. */
  readonly support: Int32Array;
  /** The likelihood's noise variance s² at the estimate. */
  readonly noiseVariance: number;
  /** Log evidence at the start and after every step (MAP variants: without the hyper-prior terms). */
  readonly logEvidence: Float64Array;
  /** EM steps taken. */
  readonly iterations: number;
  /** Whether the stopping rule was met before the iteration cap. */
  readonly converged: boolean;
  /** Wall-clock seconds of the whole call (compilation, detection and EM). */
  readonly timeSeconds: number;
  /** Warnings raised by the fit (noise at its floor, all-zero data, …). */
  readonly warnings: readonly string[];
  /** The full posterior covariance on the support, when `covariance: 'full'` was asked for. */
  readonly covariance?: Float64Array;
  /** The backend's own result, indices and all. */
  readonly sbl: SblResult;
}

function isCompiled(model: ModelGraph | CompiledModel): model is CompiledModel {
  return typeof (model as CompiledModel).structure === "object" && typeof (model as CompiledModel).graph === "object";
}

/**
 * Detects the EM-SBL problem of a model without running it.
 *
 * @throws CapabilityError naming what is missing when the model is not a sparse linear-Gaussian
 *   block EM-SBL can run; DataError for data that do not fit the model.
 * @example
 * ```ts
 * const plan = detectEm(graph, data, registry);
 * console.log(plan.summary, plan.algorithms);
 * ```
 */
export function detectEm(model: CompiledModel, data: ModelData): EmPlan;
export function detectEm(model: ModelGraph, data: ModelData, registry: DistributionLookup): EmPlan;
export function detectEm(model: ModelGraph | CompiledModel, data: ModelData, registry?: DistributionLookup): EmPlan {
  const compiled = isCompiled(model) ? model : compile(model, data, requireRegistry(registry));
  return detectPlan({
    graph: compiled.graph,
    structure: compiled.structure,
    data: bindData(compiled.graph, data),
    hypers: compiled.hyperValues(),
  });
}

/**
 * Fits a sparse linear-Gaussian model by EM-SBL: type-II maximum likelihood of the prior's
 * hyper-parameters (and of a noise hyper-parameter), or their posterior mode when they have
 * Gamma priors, with the Gaussian posterior of the coefficients at the estimate. Models that do
 * not fit are refused before any iteration. A compiled model is used as compiled (its
 * hyper-parameter values are the starting noise level); `data` must be the data it was compiled
 * with, and are read for the observations.
 *
 * @throws CapabilityError when the model has no sparse linear-Gaussian block EM-SBL can run, or
 *   the algorithm does not fit its prior; DataError / ShapeError for bad data.
 * @example
 * ```ts
 * const graph = model("sbl", (m) => {
 *   const N = m.data.int("N"); const D = m.data.int("D");
 *   const X = m.data.matrix("X", N, D); const y = m.data.vector("y", N);
 *   const sigma = m.hyper("sigma", { init: 1, lower: 0 });
 *   const w = ard(m, "w", { size: D });
 *   m.observe(y, normal({ loc: X.matvec(w), scale: sigma }));
 * }, { families: registry });
 * const fit = fitEm(graph, { N, D, X, y }, registry);
 * fit.mean.w; fit.hypers.w_alpha; fit.hypers.sigma; fit.support;
 * ```
 */
export function fitEm(model: CompiledModel, data: ModelData, options?: FitEmOptions): EmFit;
export function fitEm(model: ModelGraph, data: ModelData, registry: DistributionLookup, options?: FitEmOptions): EmFit;
export function fitEm(
  model: ModelGraph | CompiledModel,
  data: ModelData,
  third?: DistributionLookup | FitEmOptions,
  fourth?: FitEmOptions,
): EmFit {
  const started = performance.now();
  const compiledForm = isCompiled(model);
  const options = ((compiledForm ? third : fourth) ?? {}) as FitEmOptions;
  const plan = compiledForm
    ? detectEm(model, data)
    : detectEm(model, data, requireRegistry(third as DistributionLookup | undefined));
  const algorithm = options.algorithm ?? plan.algorithm;
  if (!plan.algorithms.includes(algorithm)) {
    throw new CapabilityError({
      where: "em-sbl",
      what: `the algorithm does not fit the ${plan.prior.kind} prior on '${plan.coefficients}'`,
      got: `'${algorithm}'`,
      expected: plan.algorithms.map((a) => `'${a}'`).join(" or "),
      hint: "leave `algorithm` out to use the first that fits.",
    });
  }
  const sbl = fitSbl(plan.problem, { ...options, algorithm });
  return assemble(plan, sbl, algorithm, (performance.now() - started) / 1000);
}

function requireRegistry(registry: DistributionLookup | undefined): DistributionLookup {
  if (registry === undefined || typeof (registry as DistributionLookup).get !== "function") {
    throw new CapabilityError({
      where: "em-sbl",
      what: "a model graph needs the family registry to be compiled",
      hint: "call fitEm(graph, data, registry, options), or pass a compiled model.",
    });
  }
  return registry;
}

/** 1/v elementwise, Infinity where v = 0 (a pruned variance). */
function inverse(v: Float64Array, scale = 1): Float64Array {
  return v.map((g) => (g > 0 ? scale / g : Number.POSITIVE_INFINITY));
}

/**
 * The precisions of ARD run through PC-SBL's update with β = 0, with Infinity where the
 * coefficient is pruned: the last update still assigns a pruned entry a finite α (from its zero
 * moments), but the coefficient is held at 0.
 */
function prunedInfinite(alpha: Float64Array | undefined, gamma: Float64Array): Float64Array {
  return gamma.map((g, i) => (g > 0 ? (alpha?.[i] ?? 1 / g) : Number.POSITIVE_INFINITY));
}

function assemble(plan: EmPlan, sbl: SblResult, algorithm: SblAlgorithm, seconds: number): EmFit {
  const complex = plan.embedding === "complex";
  const x = plan.coefficients;
  const n = sbl.gamma.length;
  const length = complex ? 2 * n : n;
  const sd = new Float64Array(length);
  // Prior variance of each element of x at the estimate (per real part for complex data).
  const prior = new Float64Array(length);
  for (let i = 0; i < n; i++) {
    if (complex) {
      sd[2 * i] = sd[2 * i + 1] = Math.sqrt(sbl.varianceDiag[i] / 2);
      prior[2 * i] = prior[2 * i + 1] = sbl.gamma[i] / 2;
    } else {
      sd[i] = Math.sqrt(sbl.varianceDiag[i]);
      prior[i] = sbl.gamma[i];
    }
  }
  const mean: Record<string, Float64Array> = { [x]: Float64Array.from(sbl.mean) };
  const sds: Record<string, Float64Array> = { [x]: sd };
  const correlatedBlocks = plan.prior.kind === "block_ard" && plan.prior.correlation !== undefined;
  if (plan.standardized !== undefined && !correlatedBlocks) {
    const zMean = new Float64Array(length);
    const zSd = new Float64Array(length).fill(1);
    for (let i = 0; i < length; i++) {
      if (!(prior[i] > 0)) continue;
      const s = Math.sqrt(prior[i]);
      zMean[i] = sbl.mean[i] / s;
      zSd[i] = sd[i] / s;
    }
    mean[plan.standardized] = zMean;
    sds[plan.standardized] = zSd;
  }
  const hypers: Record<string, Value> = {};
  const modes: Record<string, Value> = {};
  const p = plan.prior;
  switch (p.kind) {
    case "ard":
      hypers[p.precision] =
        p.form === "precision"
          ? Float64Array.from(sbl.alpha)
          : p.form === "variance"
            ? Float64Array.from(sbl.gamma)
            : sbl.gamma.map(Math.sqrt);
      break;
    case "complex_ard":
      // x_re, x_im ~ N(0, 1/α): the complex variance is γ = 2/α.
      hypers[p.precision] = inverse(sbl.gamma, 2);
      break;
    case "ard_map":
      modes[p.precision] = prunedInfinite(sbl.extra.alpha, sbl.gamma).map((a) => a * p.precisionScale);
      break;
    case "kronecker_ard":
      p.precisions.forEach((name, k) => {
        hypers[name] = inverse(sbl.extra.factorGammas![k]!);
      });
      break;
    case "block_ard":
      hypers[p.precision] = inverse(sbl.extra.blockGammas!);
      if (p.correlation !== undefined) hypers[p.correlation] = sbl.extra.correlation ?? 0;
      break;
    case "pc_sbl":
      // Pruned entries keep their finite α: it still enters the neighbours' precisions.
      (p.precisionKind === "hyper" ? hypers : modes)[p.precision] = Float64Array.from(sbl.extra.alpha!);
      break;
  }
  const s2 = sbl.noiseVariance * plan.noiseRatio;
  const noise = plan.noise;
  if (noise.kind === "hyper") {
    hypers[noise.name] = noise.form === "scale" ? Math.sqrt(s2) : noise.form === "variance" ? s2 : 1 / s2;
  } else if (noise.kind === "gamma_precision") {
    modes[noise.name] = 1 / s2;
  }
  const support = complex ? new Int32Array(2 * sbl.support.length) : Int32Array.from(sbl.support);
  if (complex) {
    sbl.support.forEach((i, k) => {
      support[2 * k] = 2 * i;
      support[2 * k + 1] = 2 * i + 1;
    });
  }
  return {
    plan,
    algorithm,
    mean,
    sd: sds,
    hypers,
    modes,
    support,
    noiseVariance: s2,
    logEvidence: sbl.logEvidence,
    iterations: sbl.iterations,
    converged: sbl.converged,
    timeSeconds: seconds,
    warnings: sbl.warnings,
    ...(sbl.covariance ? { covariance: sbl.covariance } : {}),
    sbl,
  };
}

/**
 * Options of {@link fixEmEstimates}.
 *
 * @example
 * ```ts
 * fixEmEstimates(graph, fit, registry, { prunedPrecision: 1e8 });
 * ```
 */
export interface FixEmOptions {
  /**
   * Precision given to pruned coefficients (EM's Infinity, which no density accepts). Default:
   * 1e6 × the largest finite precision of the same node, i.e. a prior standard deviation 1000
   * times smaller than that of the most shrunk coefficient EM keeps.
   */
  readonly prunedPrecision?: number;
}

/**
 * The model with EM's estimates put in: every estimated hyper-parameter and every latent
 * precision EM took the mode of is replaced by its value (`substitute`), so the graph's
 * posterior is the conditional posterior EM computed — the right target for checking EM against
 * NUTS, or for sampling the coefficients given the hyper-parameters. Pruned coefficients get a
 * large finite precision (see {@link FixEmOptions}); under `pc_sbl` they keep their finite α
 * (it couples to the neighbours), so there they are not held at 0 as EM holds them.
 *
 * @example
 * ```ts
 * const fit = fitEm(graph, data, registry);
 * const conditional = fixEmEstimates(graph, fit, registry);
 * const draws = await sample(compile(conditional, data, registry), { seed: 1 });
 * ```
 */
export function fixEmEstimates(
  graph: ModelGraph,
  fit: EmFit,
  families: SignatureLookup,
  options: FixEmOptions = {},
): ModelGraph {
  const prior = fit.plan.prior;
  // A hand-written ARD may hold variances (α⁻¹) or scales (α^−½), where pruned entries are 0.
  const exponent = prior.kind === "ard" ? { precision: 1, variance: -1, scale: -0.5 }[prior.form] : 1;
  let out = graph;
  for (const [name, value] of [...Object.entries(fit.hypers), ...Object.entries(fit.modes)]) {
    const k = prior.kind === "ard" && prior.precision === name ? exponent : 1;
    out = substitute(out, name, withoutPruned(value, k, options.prunedPrecision), families);
  }
  return out;
}

/**
 * A node's value v = α^k (k = 1 precisions, −1 variances, −½ scales) with the pruned entries
 * (α = ∞) replaced by α = `pruned`, default 10⁶ × the largest kept precision.
 */
function withoutPruned(value: Value, k: number, pruned: number | undefined): number | Float64Array {
  if (typeof value === "number") return value;
  const precision = (v: number): number => v ** (1 / k);
  let max = 0;
  for (const v of value) {
    const a = precision(v);
    if (Number.isFinite(a) && a > max) max = a;
  }
  const fill = (pruned ?? 1e6 * (max > 0 ? max : 1)) ** k;
  return value.map((v) => (Number.isFinite(precision(v)) ? v : fill));
}
