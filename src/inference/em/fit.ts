/**
 * The EM-SBL driver: {@link buildKernel} dispatches on the algorithm, {@link fitSbl} runs the
 * init/step loop with the stopping rule and assembles the result.
 *
 * @module
 */
import { CapabilityError, DomainError, describeValue } from "../../core/errors.js";
import { buildArdKernel } from "./ard.js";
import { buildBsblKernel, buildPcSblKernel } from "./block.js";
import { ZERO_DATA_WARNING } from "./common.js";
import { buildKroSblKernel } from "./krosbl.js";
import { buildTippingFaulKernel } from "./tipping_faul.js";
import type { FitSblOptions, SblAlgorithm, SblChoices, SblKernel, SblProblem, SblResult, SblState } from "./types.js";

const ALGORITHMS: readonly SblAlgorithm[] = ["em", "tipping_faul", "krosbl_am", "krosbl_svd", "bsbl", "pc_sbl"];

/**
 * Builds the kernel of one algorithm with its build-time choices.
 *
 * @throws DomainError for an unknown algorithm or an out-of-range choice.
 * @example
 * ```ts
 * const kernel = buildKernel({ algorithm: "krosbl_svd" });
 * let state = kernel.init({ A: { factors: [A1, A2] }, y, noise: { variance: 0.01 } });
 * ```
 */
export function buildKernel(choices: SblChoices): SblKernel {
  const threshold = choices.pruneThreshold;
  if (threshold !== undefined && !(threshold >= 0 && threshold < 1)) {
    throw new DomainError({
      where: "em-sbl",
      what: "pruneThreshold out of range",
      got: String(threshold),
      expected: "a number in [0, 1)",
    });
  }
  const g0 = choices.initialGamma;
  if (g0 !== undefined && g0 !== "auto" && !(g0 > 0 && Number.isFinite(g0))) {
    throw new DomainError({
      where: "em-sbl",
      what: "initialGamma must be positive",
      got: String(g0),
      expected: "a finite number > 0 or 'auto'",
    });
  }
  switch (choices.algorithm) {
    case "em":
      return buildArdKernel(choices);
    case "tipping_faul":
      return buildTippingFaulKernel(choices);
    case "krosbl_am":
    case "krosbl_svd":
      return buildKroSblKernel(choices);
    case "bsbl":
      return buildBsblKernel(choices);
    case "pc_sbl":
      return buildPcSblKernel(choices);
    default:
      throw new DomainError({
        where: "em-sbl",
        what: "unknown algorithm",
        got: describeValue(choices.algorithm),
        expected: ALGORITHMS.map((a) => `'${a}'`).join(", "),
      });
  }
}

/** The algorithm that fits a problem's prior when the caller names none. */
function defaultAlgorithm(problem: SblProblem): SblAlgorithm {
  const prior = problem.prior;
  if (prior === undefined || prior === "ard") return "em";
  switch (prior.kind) {
    case "kronecker_ard":
      return "krosbl_am";
    case "block_ard":
      return "bsbl";
    case "pc_sbl":
      return "pc_sbl";
    default:
      return "em";
  }
}

/** Whether an algorithm fits the prior; a mismatch is refused before the run. */
function checkPairing(algorithm: SblAlgorithm, problem: SblProblem): void {
  const prior = problem.prior;
  const kind = prior === undefined || prior === "ard" ? "ard" : prior.kind;
  const fits: Record<SblAlgorithm, readonly string[]> = {
    em: ["ard"],
    tipping_faul: ["ard"],
    krosbl_am: ["kronecker_ard", "ard"],
    krosbl_svd: ["kronecker_ard", "ard"],
    bsbl: ["block_ard"],
    pc_sbl: ["pc_sbl"],
  };
  const noise = problem.noise;
  if (algorithm === "tipping_faul" && typeof noise === "object" && "learn" in noise && noise.precisionPrior) {
    throw new CapabilityError({
      where: "em-sbl",
      what: "tipping_faul has no update for a Gamma prior on the noise precision",
      hint: "use algorithm 'em', or give the noise variance.",
    });
  }
  if (!fits[algorithm].includes(kind)) {
    throw new CapabilityError({
      where: "em-sbl",
      what: `algorithm '${algorithm}' does not fit the '${kind}' prior`,
      hint: `for '${kind}' use ${ALGORITHMS.filter((a) => fits[a].includes(kind))
        .map((a) => `'${a}'`)
        .join(" or ")}.`,
    });
  }
}

/**
 * Fits a sparse linear-Gaussian model by type-II maximum likelihood: runs the chosen algorithm
 * until the relative change of the hyper-parameters (or of the log evidence) falls below
 * `tolerance`, the algorithm declares convergence, or `maxIterations` steps were taken.
 *
 * @throws ShapeError / DataError / DomainError / CapabilityError for bad input (see
 *   `normalizeProblem`), before any iteration.
 * @example
 * ```ts
 * const fit = fitSbl({ A, y, noise: "learn" }, { algorithm: "em", tolerance: 1e-6 });
 * console.log(fit.support, fit.noiseVariance, fit.logEvidence.at(-1));
 * ```
 */
export function fitSbl(problem: SblProblem, options: FitSblOptions = {}): SblResult {
  const started = performance.now();
  const algorithm = options.algorithm ?? defaultAlgorithm(problem);
  checkPairing(algorithm, problem);
  // Tipping–Faul takes one action per step and decides convergence itself.
  const selfTerminating = algorithm === "tipping_faul";
  const maxIterations = options.maxIterations ?? (selfTerminating ? 2000 : 500);
  const tolerance = options.tolerance ?? 1e-6;
  const stopOn = options.stopOn ?? "gamma";
  if (!(Number.isInteger(maxIterations) && maxIterations >= 0)) {
    throw new DomainError({
      where: "em-sbl",
      what: "maxIterations must be a non-negative integer",
      got: String(maxIterations),
    });
  }
  if (!(tolerance >= 0)) {
    throw new DomainError({ where: "em-sbl", what: "tolerance must be ≥ 0", got: String(tolerance) });
  }
  const kernel = buildKernel({ ...options, algorithm });
  try {
    return run(kernel, problem, options, algorithm, maxIterations, tolerance, stopOn, selfTerminating, started);
  } finally {
    kernel.dispose();
  }
}

/** The driver loop of {@link fitSbl} (the kernel is disposed by the caller). */
function run(
  kernel: SblKernel,
  problem: SblProblem,
  options: FitSblOptions,
  algorithm: SblAlgorithm,
  maxIterations: number,
  tolerance: number,
  stopOn: "gamma" | "evidence",
  selfTerminating: boolean,
  started: number,
): SblResult {
  let state: SblState = kernel.init(problem);
  const trace: number[] = [state.logEvidence];
  const warnings = new Set<string>();
  if (state.done && state.active.length === 0) warnings.add(ZERO_DATA_WARNING);
  let converged = state.done;
  while (!converged && state.iteration < maxIterations) {
    const { state: next, info } = kernel.step(state);
    state = next;
    trace.push(info.logEvidence);
    for (const w of info.warnings) warnings.add(w);
    const change = stopOn === "gamma" ? info.maxChange : info.evidenceChange;
    if (state.done || (!selfTerminating && change < tolerance)) converged = true;
    if (options.onStep && options.onStep(state, info) === false) break;
  }
  const n = state.gamma.length;
  const alpha = new Float64Array(n);
  for (let i = 0; i < n; i++) alpha[i] = state.gamma[i] > 0 ? 1 / state.gamma[i] : Number.POSITIVE_INFINITY;
  const covariance = options.covariance === "full" ? kernel.covariance(state) : undefined;
  return {
    algorithm,
    mean: state.mean,
    varianceDiag: state.varianceDiag,
    ...(covariance ? { covariance } : {}),
    gamma: state.gamma,
    alpha,
    noiseVariance: state.noiseVariance,
    support: state.active,
    logEvidence: Float64Array.from(trace),
    iterations: state.iteration,
    converged,
    timeSeconds: (performance.now() - started) / 1000,
    warnings: [...warnings],
    extra: state.extra,
  };
}
