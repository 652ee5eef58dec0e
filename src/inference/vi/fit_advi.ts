/**
 * The ADVI driver: step-size search, the optimisation loop with Stan's relative-ELBO stopping
 * rule, automatic step-size reduction when the optimiser diverges, iterate averaging, and the
 * Pareto-k diagnostic of the result.
 *
 * @module
 */
import { DomainError, describeValue } from "../../core/errors.js";
import type { Rng } from "../../core/rng.js";
import { Lbfgs } from "../../runtime/optim/index.js";
import { createRng } from "../../runtime/rng/index.js";
import { LN_TWO_PI } from "../../runtime/special.js";
import { findInitialPosition } from "../mcmc/init.js";
import type { DensityModel } from "../model/density_model.js";
import {
  type AdviChoices,
  type AdviKernel,
  type AdviState,
  type AdviStateBuffer,
  buildKernel,
  type ElboEstimate,
  requireContinuousLatents,
} from "./advi.js";
import {
  createApproximation,
  summarizeDraws,
  type VariableSummaries,
  type VariationalApproximation,
  type VariationalDraws,
} from "./approximation.js";
import { type ConvergenceReason, RelativeElboRule } from "./convergence.js";
import { psis, resampleIndices } from "./psis.js";

/**
 * Options of {@link fitAdvi}; every field but `seed` has a default.
 *
 * @example
 * ```ts
 * const options: FitAdviOptions = { family: "fullrank", seed: 1, maxIterations: 20000, importanceResampling: true };
 * ```
 */
export interface FitAdviOptions extends AdviChoices {
  /** Seed of every random stream of the fit (number or string). */
  readonly seed: number | string;
  /** Initial μ on the unconstrained scale (default: uniform(−2, 2) draw with finite log density). */
  readonly initialPosition?: Float64Array;
  /**
   * Base step size η of Adam, or `'adapt'` (default): try each of {@link FitAdviOptions.stepSizeGrid}
   * for `adaptIterations` steps from the initial state and keep the one with the best ELBO
   * (Stan's `adapt_engaged`, with a grid suited to Adam).
   */
  readonly stepSize?: number | "adapt";
  /** Candidate step sizes of the search (default [1, 0.3, 0.1, 0.03, 0.01]). */
  readonly stepSizeGrid?: readonly number[];
  /** Steps per candidate in the search (default 50, as Stan). */
  readonly adaptIterations?: number;
  /**
   * How q starts (see {@link initialApproximation}): `'lbfgs'` (default) follows an L-BFGS path
   * from the initial position towards the mode and starts from the diagonal Gaussian with the best
   * ELBO among points of that path; `'curvature'` starts at the initial position with scales from
   * the curvature there; `'unit'` is Stan's start (σ = 1).
   */
  readonly initialization?: "lbfgs" | "curvature" | "unit";
  /** Iteration cap of the L-BFGS path of the `'lbfgs'` initialization (default 1000). */
  readonly initIterations?: number;
  /** Iteration cap of the optimisation (default 10000, as Stan). */
  readonly maxIterations?: number;
  /** Stan's `tol_rel_obj`: relative-ELBO-change tolerance (default 0.01). */
  readonly tolRelObj?: number;
  /** Evaluate the ELBO every this many iterations (default 100, as Stan). */
  readonly evalElbo?: number;
  /** Draws per ELBO evaluation (default 100, as Stan). */
  readonly elboSamples?: number;
  /** Length of the convergence buffer (default Stan's max(0.1 · maxIterations / evalElbo, 2)). */
  readonly convergenceWindow?: number;
  /**
   * The returned parameters are the average of the iterates over the last `averageWindows`
   * evaluation windows (at most the second half of the run); 0 returns the last iterate.
   * Default 5. Averaging removes most of the jitter of a constant-step stochastic optimiser.
   */
  readonly averageWindows?: number;
  /** Step-size halvings allowed after divergence before giving up (default 10). */
  readonly maxStepSizeReductions?: number;
  /** Draws from q used for the summaries and the Pareto-k diagnostic (default 1000). */
  readonly numDraws?: number;
  /** Also return `numDraws` PSIS-weighted resampled draws (default false). */
  readonly importanceResampling?: boolean;
  /** Called after every ELBO evaluation; return false to stop early. */
  readonly onEvaluation?: (iteration: number, elbo: number) => boolean | undefined;
}

/**
 * Why the optimisation stopped.
 *
 * @example
 * ```ts
 * if (fit.stopReason === "maxIterations") console.warn("ADVI did not converge");
 * ```
 */
export type AdviStopReason = ConvergenceReason | "maxIterations" | "callback";

/**
 * The result of {@link fitAdvi}.
 *
 * @example
 * ```ts
 * const fit = fitAdvi(model, { family: "meanfield", seed: 1 });
 * fit.mean.beta; fit.sd.beta; fit.paretoK;
 * ```
 */
export interface AdviResult extends VariableSummaries {
  /** The fitted approximation. */
  readonly approximation: VariationalApproximation;
  /** ELBO estimates (`elboSamples` draws each) at every evaluation. */
  readonly elboTrace: Float64Array;
  /** Iteration of each entry of `elboTrace`. */
  readonly elboIterations: Int32Array;
  /** ELBO estimate at the returned parameters, with `numDraws` draws. */
  readonly elbo: number;
  /** Optimisation steps taken (search steps not included). */
  readonly iterations: number;
  /** Whether the relative-ELBO rule was met. */
  readonly converged: boolean;
  /** Why the loop stopped. */
  readonly stopReason: AdviStopReason;
  /** Base step size used at the end (after any reductions). */
  readonly stepSize: number;
  /** How many times the step size was halved after a divergence. */
  readonly stepSizeReductions: number;
  /** Pareto k̂ of the importance ratios p/q at `numDraws` draws (see docs/vi.md). */
  readonly paretoK: number;
  /** The k̂ threshold for this number of draws, min(1 − 1/log₁₀S, 0.7). */
  readonly paretoKThreshold: number;
  /** Effective sample size of the smoothed importance weights. */
  readonly importanceEss: number;
  /** Draws from q. */
  readonly draws: VariationalDraws;
  /** PSIS-resampled draws, when `importanceResampling` was set. */
  readonly resampledDraws?: VariationalDraws;
  /** Things the user should know (step-size reductions, non-convergence, large k̂). */
  readonly warnings: readonly string[];
  /** Wall-clock seconds of the optimisation (search included). */
  readonly timeSeconds: number;
}

function checkInteger(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new DomainError({
      where: "advi",
      what: `${name} must be an integer ≥ ${min}`,
      got: describeValue(value),
      expected: `an integer ≥ ${min}`,
    });
  }
}

function copyState(from: AdviState, to: AdviStateBuffer): void {
  to.params.set(from.params);
  to.firstMoment.set(from.firstMoment);
  to.secondMoment.set(from.secondMoment);
  to.iteration = from.iteration;
  to.stepSize = from.stepSize;
  to.elbo = from.elbo;
}

function elboProblem(estimate: ElboEstimate, numDraws: number): string {
  if (estimate.numNonFinite === 0) return `ELBO ${estimate.elbo}`;
  return `log density ${estimate.firstNonFinite} at ${describeValue(estimate.firstNonFinitePoint)} (${estimate.numNonFinite} of ${numDraws} draws not finite)`;
}

/** Whether an evaluated ELBO signals divergence relative to the last good one. */
function isDiverging(estimate: ElboEstimate, reference: ElboEstimate): boolean {
  if (!Number.isFinite(estimate.elbo)) return true;
  const noise = 10 * Math.hypot(estimate.standardError, reference.standardError);
  return estimate.elbo < reference.elbo - Math.max(0.5 * Math.abs(reference.elbo), noise, 1);
}

/**
 * Fits a Gaussian approximation to the posterior of `model` by ADVI.
 *
 * The loop: an optional step-size search; then Adam steps with the ELBO re-estimated every
 * `evalElbo` steps and Stan's relative-change rule (mean or median of the last changes below
 * `tolRelObj`); the result averages the iterates of the last evaluation windows. When a step
 * meets a non-finite log density or gradient, or an evaluated ELBO drops by more than half its
 * magnitude (beyond Monte Carlo noise), the optimiser rolls back to the last good evaluation and
 * halves the step size (at most `maxStepSizeReductions` times, then a DomainError).
 *
 * @throws CapabilityError for a model with discrete latents; DomainError when the ELBO is not
 *   finite at the initial approximation, when every candidate step size fails, or when the step
 *   size had to be halved more than `maxStepSizeReductions` times.
 * @example
 * ```ts
 * const fit = fitAdvi(model, { family: "meanfield", seed: 42 });
 * console.log(fit.mean.mu, fit.sd.mu, fit.paretoK);
 * ```
 */
export function fitAdvi(model: DensityModel, options: FitAdviOptions): AdviResult {
  requireContinuousLatents(model);
  const maxIterations = options.maxIterations ?? 10000;
  const evalElbo = options.evalElbo ?? 100;
  const elboSamples = options.elboSamples ?? 100;
  const tolRelObj = options.tolRelObj ?? 0.01;
  const adaptIterations = options.adaptIterations ?? 50;
  const averageWindows = options.averageWindows ?? 5;
  const maxReductions = options.maxStepSizeReductions ?? 10;
  const numDraws = options.numDraws ?? 1000;
  checkInteger("maxIterations", maxIterations, 0);
  checkInteger("evalElbo", evalElbo, 1);
  checkInteger("elboSamples", elboSamples, 2);
  checkInteger("adaptIterations", adaptIterations, 1);
  checkInteger("averageWindows", averageWindows, 0);
  checkInteger("maxStepSizeReductions", maxReductions, 0);
  checkInteger("numDraws", numDraws, 2);
  if (options.initialization !== undefined && !["lbfgs", "curvature", "unit"].includes(options.initialization)) {
    throw new DomainError({
      where: "advi",
      what: "unknown initialization",
      got: describeValue(options.initialization),
      expected: "'lbfgs', 'curvature' or 'unit'",
    });
  }
  const windowSize = options.convergenceWindow ?? Math.max(Math.floor((0.1 * maxIterations) / evalElbo), 2);
  checkInteger("convergenceWindow", windowSize, 1);
  if (!(tolRelObj > 0)) {
    throw new DomainError({
      where: "advi",
      what: "tolRelObj must be positive",
      got: describeValue(tolRelObj),
      expected: "a value > 0",
    });
  }
  const grid = options.stepSizeGrid ?? [1, 0.3, 0.1, 0.03, 0.01];
  const fixedStep = options.stepSize ?? "adapt";
  for (const eta of fixedStep === "adapt" ? grid : [fixedStep]) {
    if (!(eta > 0) || !Number.isFinite(eta)) {
      throw new DomainError({
        where: "advi",
        what: "step sizes must be positive and finite",
        got: describeValue(eta),
        expected: "a value in (0, ∞)",
      });
    }
  }

  const started = performance.now();
  const root = createRng(options.seed);
  const initRng = root.split();
  const optimRng = root.split();
  const evalRng = root.split();
  const drawRng = root.split();
  const kernel = buildKernel(options);
  const start = options.initialPosition ?? findInitialPosition(initRng, model, 2, 100, "advi");
  const how = options.initialization ?? "lbfgs";
  const begin =
    how === "lbfgs"
      ? initialApproximation(model, initRng, start, elboSamples, options.initIterations ?? 1000)
      : { position: start, scales: how === "curvature" ? curvatureScales(model, start) : undefined };
  const initial = kernel.init(model, initRng, {
    position: begin.position,
    stepSize: fixedStep === "adapt" ? grid[0] : fixedStep,
    ...(begin.scales ? { initialScale: begin.scales } : {}),
  });
  const initialElbo = kernel.estimateElbo(evalRng, initial, elboSamples);
  if (!Number.isFinite(initialElbo.elbo)) {
    throw new DomainError({
      where: "advi",
      what: "the ELBO is not finite at the initial approximation",
      got: elboProblem(initialElbo, elboSamples),
      expected: "a finite log density at draws from N(μ₀, I) on the unconstrained scale",
      hint: "pass initialPosition inside the region where the model's log density is finite (e.g. model.unconstrain of a plausible value), check the data for NaN, or use priors with full support on the unconstrained scale.",
    });
  }
  const warnings: string[] = [];
  let a = kernel.allocateState();
  let b = kernel.allocateState();

  // Step-size search: each candidate runs from the initial state; keep the best end state.
  let current: AdviStateBuffer = kernel.allocateState();
  let currentElbo: ElboEstimate = initialElbo;
  if (fixedStep === "adapt") {
    let best: { eta: number; estimate: ElboEstimate } | undefined;
    const bestState = kernel.allocateState();
    for (const eta of grid) {
      copyState(initial, a);
      a.stepSize = eta;
      const ok = runSteps(kernel, optimRng, a, b, adaptIterations);
      const end = ok.state;
      if (!ok.finite) continue;
      const estimate = kernel.estimateElbo(evalRng, end, elboSamples);
      if (!Number.isFinite(estimate.elbo)) continue;
      if (!best || estimate.elbo > best.estimate.elbo) {
        best = { eta, estimate };
        copyState(end, bestState);
      }
    }
    if (!best) {
      throw new DomainError({
        where: "advi",
        what: "every candidate step size met a non-finite log density or gradient during the step-size search",
        got: `step sizes [${grid.join(", ")}]`,
        expected: "at least one step size with finite ELBO after the search",
        hint: "pass smaller values in stepSizeGrid, or a fixed small stepSize, and check the model's log density for overflow.",
      });
    }
    copyState(bestState, current);
    currentElbo = best.estimate;
    // The search's steps do not count towards the schedule of the run proper.
    current.iteration = 0;
  } else {
    copyState(initial, current);
  }

  const rule = new RelativeElboRule(tolRelObj, windowSize);
  rule.push(currentElbo.elbo);
  const lastGood = kernel.allocateState();
  copyState(current, lastGood);
  let lastGoodElbo = currentElbo;
  const P = current.params.length;
  const windowSum = new Float64Array(P);
  let windowCount = 0;
  const ring: Float64Array[] = Array.from({ length: averageWindows }, () => new Float64Array(P));
  let windowsDone = 0;
  const trace: number[] = [currentElbo.elbo];
  const traceIterations: number[] = [0];
  let reductions = 0;
  let stopReason: AdviStopReason = "maxIterations";
  let iteration = 0;

  const closeWindow = () => {
    if (windowCount === 0 || averageWindows === 0) return;
    const slot = ring[windowsDone % averageWindows];
    for (let j = 0; j < P; j++) slot[j] = windowSum[j] / windowCount;
    windowsDone++;
    windowSum.fill(0);
    windowCount = 0;
  };

  const rollback = (why: string) => {
    reductions++;
    const newStep = current.stepSize / 2;
    if (reductions > maxReductions) {
      throw new DomainError({
        where: "advi",
        what: `the optimisation kept diverging after ${maxReductions} step-size halvings`,
        got: `${why} at iteration ${iteration} with step size ${current.stepSize}`,
        expected: "a step size at which the ELBO stays finite and does not collapse",
        hint: "start from a better initialPosition, give a smaller stepSize, or reparameterise the model (e.g. non-centred) so its scales are closer to 1.",
      });
    }
    if (reductions === 1)
      warnings.push(
        `advi: the optimiser diverged (${why}); the step size was halved and the run rolled back to its last good state.`,
      );
    copyState(lastGood, current);
    current.stepSize = newStep;
    lastGood.stepSize = newStep;
    rule.resetReference(lastGoodElbo.elbo);
    windowSum.fill(0);
    windowCount = 0;
  };

  a = current;
  while (iteration < maxIterations) {
    const info = kernel.stepInto(optimRng, a, b);
    iteration++;
    if (!info.isFinite) {
      rollback(`a non-finite ${Number.isFinite(info.elbo) ? "gradient" : "log density"}`);
      a = current;
      continue;
    }
    const swap = a;
    a = b;
    b = swap;
    current = a;
    for (let j = 0; j < P; j++) windowSum[j] += a.params[j];
    windowCount++;
    if (iteration % evalElbo !== 0) continue;
    const estimate = kernel.estimateElbo(evalRng, a, elboSamples);
    if (isDiverging(estimate, lastGoodElbo)) {
      rollback(
        Number.isFinite(estimate.elbo)
          ? `the ELBO fell from ${lastGoodElbo.elbo} to ${estimate.elbo}`
          : "a non-finite ELBO",
      );
      a = current;
      continue;
    }
    trace.push(estimate.elbo);
    traceIterations.push(iteration);
    copyState(a, lastGood);
    lastGoodElbo = estimate;
    closeWindow();
    const reason = rule.push(estimate.elbo);
    if (options.onEvaluation?.(iteration, estimate.elbo) === false) {
      stopReason = "callback";
      break;
    }
    if (reason) {
      stopReason = reason;
      break;
    }
  }
  if (iteration > 0 && iteration % evalElbo !== 0) closeWindow();
  // At most the second half of the run, but at least the last window when there is one.
  const used = Math.min(averageWindows, windowsDone, Math.max(1, Math.floor(windowsDone / 2)));
  const finalParams = current.params.slice();
  if (used > 0) {
    finalParams.fill(0);
    for (let w = 0; w < used; w++) {
      const slot = ring[(windowsDone - 1 - w) % averageWindows];
      for (let j = 0; j < P; j++) finalParams[j] += slot[j] / used;
    }
  }
  const timeSeconds = (performance.now() - started) / 1000;
  if (stopReason === "maxIterations" && maxIterations > 0) {
    warnings.push(
      `advi: the relative ELBO change did not fall below tolRelObj = ${tolRelObj} within ${maxIterations} iterations (mean ${rule.mean.toPrecision(3)}, median ${rule.median.toPrecision(3)}).`,
    );
  }
  if (reductions > 0) warnings.push(`advi: step size reduced ${reductions} time(s), to ${current.stepSize}.`);

  const spec = options.family ?? "meanfield";
  const approximation = createApproximation(model, spec, finalParams);
  const diagnostics = diagnose(
    model,
    approximation,
    drawRng,
    numDraws,
    options.importanceResampling === true,
    warnings,
  );
  return {
    approximation,
    ...summarizeDraws(diagnostics.draws),
    elboTrace: Float64Array.from(trace),
    elboIterations: Int32Array.from(traceIterations),
    elbo: diagnostics.elbo,
    iterations: iteration,
    converged: stopReason === "mean" || stopReason === "median",
    stopReason,
    stepSize: current.stepSize,
    stepSizeReductions: reductions,
    paretoK: diagnostics.paretoK,
    paretoKThreshold: diagnostics.paretoKThreshold,
    importanceEss: diagnostics.ess,
    draws: diagnostics.draws,
    ...(diagnostics.resampled ? { resampledDraws: diagnostics.resampled } : {}),
    warnings,
    timeSeconds,
  };
}

/** Runs `count` steps ping-ponging between `a` and `b`; reports the end state and whether all were finite. */
function runSteps(
  kernel: AdviKernel,
  rng: Rng,
  a: AdviStateBuffer,
  b: AdviStateBuffer,
  count: number,
): { state: AdviStateBuffer; finite: boolean } {
  let from = a;
  let to = b;
  for (let t = 0; t < count; t++) {
    if (!kernel.stepInto(rng, from, to).isFinite) return { state: from, finite: false };
    const swap = from;
    from = to;
    to = swap;
  }
  return { state: from, finite: true };
}

/** Draws from q, the ELBO at the returned parameters, PSIS and optional resampling. */
function diagnose(
  model: DensityModel,
  q: VariationalApproximation,
  rng: Rng,
  numDraws: number,
  resample: boolean,
  warnings: string[],
): {
  draws: VariationalDraws;
  elbo: number;
  paretoK: number;
  paretoKThreshold: number;
  ess: number;
  resampled?: VariationalDraws;
} {
  const draws = q.sample(rng, numDraws);
  const d = model.dimension;
  const logRatios = new Float64Array(numDraws);
  let sum = 0;
  let nonFinite = 0;
  for (let s = 0; s < numDraws; s++) {
    const theta = draws.unconstrained.subarray(s * d, (s + 1) * d);
    const lp = model.logDensity(theta);
    const lq = q.logDensity(theta);
    sum += lp - lq;
    if (Number.isFinite(lp)) {
      logRatios[s] = lp - lq;
    } else {
      nonFinite++;
      logRatios[s] = Number.NEGATIVE_INFINITY;
    }
  }
  if (nonFinite > 0)
    warnings.push(
      `advi: the log density was not finite at ${nonFinite} of ${numDraws} draws from q (weight 0 in PSIS).`,
    );
  const smoothed = psis(logRatios);
  if (smoothed.paretoK > 0.7) {
    warnings.push(
      `advi: Pareto k̂ = ${smoothed.paretoK.toFixed(2)} > 0.7: q is far from the posterior; treat the approximation as rough (see docs/vi.md).`,
    );
  } else if (smoothed.paretoK > 0.5) {
    warnings.push(
      `advi: Pareto k̂ = ${smoothed.paretoK.toFixed(2)} > 0.5: q is usable as an importance proposal (importanceResampling) but its own moments may be biased.`,
    );
  }
  let resampled: VariationalDraws | undefined;
  if (resample && Number.isFinite(smoothed.logWeights[0])) {
    const picks = resampleIndices(rng, smoothed.logWeights, numDraws);
    const D = draws.constrainedDimension;
    const unconstrained = new Float64Array(numDraws * d);
    const constrained = new Float64Array(numDraws * D);
    for (let s = 0; s < numDraws; s++) {
      const k = picks[s];
      unconstrained.set(draws.unconstrained.subarray(k * d, (k + 1) * d), s * d);
      constrained.set(draws.constrained.subarray(k * D, (k + 1) * D), s * D);
    }
    resampled = { ...draws, unconstrained, constrained };
  }
  return {
    draws,
    elbo: sum / numDraws,
    paretoK: smoothed.paretoK,
    paretoKThreshold: smoothed.paretoKThreshold,
    ess: smoothed.effectiveSampleSize,
    ...(resampled ? { resampled } : {}),
  };
}

/**
 * Per-coordinate initial scales from the curvature of log p at θ₀: σᵢ = (−∂²log p/∂θᵢ²)^(−1/2)
 * by central differences of the gradient, clipped to [minScale, 1]; coordinates where the
 * curvature is not negative (or not finite) keep Stan's σ = 1. For a Gaussian posterior at its
 * mode this is exactly the mean-field optimum 1/√Pᵢᵢ. Costs 2d gradient evaluations.
 *
 * @example
 * ```ts
 * const sigma = curvatureScales(model, theta0); // initial mean-field scales at θ₀
 * ```
 */
export function curvatureScales(model: DensityModel, theta0: Float64Array, minScale = 1e-3): Float64Array {
  const d = model.dimension;
  const point = theta0.slice();
  const plus = new Float64Array(d);
  const minus = new Float64Array(d);
  const out = new Float64Array(d).fill(1);
  for (let i = 0; i < d; i++) {
    const h = 1e-4 * Math.max(1, Math.abs(theta0[i]));
    point[i] = theta0[i] + h;
    const lpPlus = model.logDensityAndGrad(point, plus);
    point[i] = theta0[i] - h;
    const lpMinus = model.logDensityAndGrad(point, minus);
    point[i] = theta0[i];
    const curvature = (plus[i] - minus[i]) / (2 * h);
    if (Number.isFinite(lpPlus) && Number.isFinite(lpMinus) && curvature < 0 && Number.isFinite(curvature)) {
      out[i] = Math.min(1, Math.max(minScale, 1 / Math.sqrt(-curvature)));
    }
  }
  return out;
}

/** ELBO of N(μ, diag(σ²)) with `numDraws` draws: mean log p + Σ log σ + (d/2)(1 + log 2π). */
function diagonalElbo(model: DensityModel, rng: Rng, mu: Float64Array, sigma: Float64Array, numDraws: number): number {
  const d = mu.length;
  const theta = new Float64Array(d);
  let entropy = 0.5 * d * (1 + LN_TWO_PI);
  for (let i = 0; i < d; i++) entropy += Math.log(sigma[i]);
  let sum = 0;
  for (let s = 0; s < numDraws; s++) {
    for (let i = 0; i < d; i++) theta[i] = mu[i] + sigma[i] * rng.normal();
    sum += model.logDensity(theta);
  }
  return sum / numDraws + entropy;
}

/**
 * The starting approximation of the `'lbfgs'` initialization, a light form of Pathfinder (Zhang,
 * Carpenter, Gelman & Vehtari 2022, JMLR 23(306)) with diagonal Gaussians: run L-BFGS from
 * `start` towards the mode, and among the start, the iterates 1, 2, 4, 8, … and the last one,
 * keep the point whose Gaussian N(x, diag(curvature scales)) has the highest ELBO estimate. For a
 * near-Gaussian posterior this is the mode with the mean-field optimal scales; choosing by ELBO
 * rather than taking the end point guards against posteriors whose density is unbounded (funnels).
 *
 * @example
 * ```ts
 * const { position, scales } = initialApproximation(model, rng, theta0, 100, 1000);
 * ```
 */
export function initialApproximation(
  model: DensityModel,
  rng: Rng,
  start: Float64Array,
  numDraws: number,
  maxIterations: number,
): { position: Float64Array; scales: Float64Array } {
  const candidates: Float64Array[] = [start.slice()];
  // A start outside the finite region has no path (the ELBO check downstream reports it), and a
  // model without latents has nothing to optimise.
  if (start.length > 0 && start.every(Number.isFinite)) {
    let nextRecord = 1;
    const negativeLogDensity = (x: Float64Array, g: Float64Array): number => {
      const lp = model.logDensityAndGrad(x, g);
      for (let i = 0; i < g.length; i++) g[i] = -g[i];
      return -lp;
    };
    const path = new Lbfgs(start.length, 6).minimize(negativeLogDensity, start, {
      maxIterations,
      gradientTolerance: 1e-8,
      onIterate(k, x) {
        if (k === nextRecord) {
          candidates.push(x.slice());
          nextRecord *= 2;
        }
      },
    });
    if (path.numIterations > 0 && path.numIterations !== nextRecord / 2) candidates.push(path.x);
  }
  let best = { position: start, scales: curvatureScales(model, start), elbo: Number.NEGATIVE_INFINITY };
  for (const x of candidates) {
    const scales = curvatureScales(model, x);
    const elbo = diagonalElbo(model, rng, x, scales, numDraws);
    if (elbo > best.elbo) best = { position: x, scales, elbo };
  }
  return { position: best.position, scales: best.scales };
}
