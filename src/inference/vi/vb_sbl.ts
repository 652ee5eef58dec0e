/**
 * Closed-form (coordinate-ascent) variational Bayes for sparse linear-Gaussian models
 * y = A x + e, e ~ N(0, β⁻¹ I), with the problem description of the EM-SBL backend
 * ({@link SblProblem}) and one more prior:
 *
 * - `ard`: x_i ~ N(0, α_i⁻¹), α_i ~ Gamma(a, b) (Bishop & Tipping 2000; Tipping 2001, §5);
 * - `block_ard`: one α per contiguous block, x_b ~ N(0, α_b⁻¹ I);
 * - `kronecker_ard`: α = α⁽¹⁾ ⊗ … ⊗ α⁽ᴰ⁾ with α⁽ᵈ⁾_j ~ Gamma(a, b), for A = A₁ ⊗ … ⊗ A_D;
 * - `turbo`: the three-layer prior of Turbo-VBI (Liu, Lau et al.): support s_n ∈ {0, 1} with a
 *   Markov-chain prior, ρ_n | s_n ~ Gamma(a_{s_n}, b_{s_n}) (active / inactive hyper-parameters),
 *   x_n ~ N(0, ρ_n⁻¹);
 *
 * and β ~ Gamma(c, d) when the noise is learned. The variational family is
 * q(x) q(α or ρ) [q(s)] q(β) with q(s) a whole chain (so its update uses the Markov neighbours
 * exactly, by forward–backward). Every update maximises the ELBO over one factor exactly, so
 * the ELBO, computed in closed form after every iteration, never decreases.
 *
 * @module
 */
import { CapabilityError, DomainError, describeValue, SprigError } from "../../core/errors.js";
import { digamma, LN_TWO_PI, lgamma } from "../../runtime/special.js";
import { autoGamma } from "../em/common.js";
import { denseDictionary, type NormalizedProblem, normalizeProblem } from "../em/problem.js";
import type { SblPrior, SblProblem } from "../em/types.js";
import {
  allocateMoments,
  denseSolver,
  type GaussianMoments,
  type GaussianSolver,
  kroneckerSolver,
  kronProduct,
} from "./vb_posterior.js";

const WHERE = "vb-sbl";
/** Range of the over-relaxation factor (1 = plain coordinate ascent). */
const MIN_RELAXATION = 2;
const MAX_RELAXATION = 64;
/** Largest change of a log Gamma parameter an over-relaxed move may make (a factor of 100). */
const MAX_LOG_MOVE = Math.log(100);

/**
 * A Gamma(shape, rate) distribution (density ∝ x^(shape−1) e^(−rate·x)).
 *
 * @example
 * ```ts
 * const g: GammaParameters = { shape: 1, rate: 0.5 }; // mean 2
 * ```
 */
export interface GammaParameters {
  readonly shape: number;
  readonly rate: number;
}

/**
 * The three-layer hierarchical prior of Turbo-VBI: a hidden Markov support, precisions whose
 * Gamma prior depends on the support, and Gaussian coefficients. Defaults are relative to the
 * signal scale γ₀ = (power of y) / ‖A‖²_F: active Gamma(1, γ₀/π₁), inactive Gamma(1, 10⁻⁶·γ₀/π₁),
 * with π₁ the stationary probability of the active state.
 *
 * @example
 * ```ts
 * const prior: TurboPrior = { kind: "turbo", transition01: 0.02, transition10: 0.2 };
 * ```
 */
export interface TurboPrior {
  readonly kind: "turbo";
  /** Gamma prior of ρ_n when s_n = 1 (x_n free to be large). */
  readonly active?: GammaParameters;
  /** Gamma prior of ρ_n when s_n = 0 (x_n pinned near 0): a large mean shape/rate. */
  readonly inactive?: GammaParameters;
  /** P(s_n = 1 | s_{n−1} = 0), in (0, 1) (default 0.01). */
  readonly transition01?: number;
  /** P(s_n = 0 | s_{n−1} = 1), in (0, 1) (default 0.1; mean active run 1/transition10). */
  readonly transition10?: number;
  /** Length of each independent chain (default n: one chain); must divide n (e.g. a matrix's column length). */
  readonly chainLength?: number;
  /** VB-ARD iterations run to initialise q(ρ) and q(x) before the turbo updates start (default 30). */
  readonly warmStart?: number;
}

/**
 * The priors of VB-SBL: those of the EM backend it shares (`ard`, `block_ard` without intra-block
 * correlation, `kronecker_ard` without coupling) plus {@link TurboPrior}.
 *
 * @example
 * ```ts
 * const prior: VbPrior = { kind: "block_ard", blockSizes: [4, 4, 4, 4] };
 * ```
 */
export type VbPrior = SblPrior | TurboPrior;

/**
 * A sparse linear-Gaussian problem for VB-SBL: the EM-SBL problem with the prior widened to
 * {@link VbPrior}. Real-valued only.
 *
 * @example
 * ```ts
 * const problem: VbProblem = { A: new DenseOperator(rows), y, noise: "learn", prior: "ard" };
 * ```
 */
export interface VbProblem extends Omit<SblProblem, "prior"> {
  readonly prior?: VbPrior;
}

/**
 * Build-time choices of the VB kernel: the Gamma hyper-priors.
 *
 * @example
 * ```ts
 * const choices: VbChoices = { precisionPrior: { shape: 1e-6, rate: 1e-6 } };
 * ```
 */
export interface VbChoices {
  /** Gamma(a, b) on every α (ard, block_ard, kronecker_ard factors). Default a = 1e-6, b = 1e-6·γ₀. */
  readonly precisionPrior?: Partial<GammaParameters>;
  /** Gamma(c, d) on the noise precision β when it is learned. Default c = 1e-6, d = 1e-6·mean(y²). */
  readonly noisePrior?: Partial<GammaParameters>;
  /**
   * Also try an over-relaxed move of q(α) each step and keep it when its ELBO is higher
   * (default true, except for the turbo prior, whose plain updates converge in tens of steps and
   * whose support updates settle in better optima without extrapolation, and with pruning, which
   * extrapolation would make prune too early). SBL's fixed-point updates converge linearly with a rate near 1 for the
   * precisions that run off to infinity; extrapolating them cuts the iteration count several-fold
   * at the price of a second q(x) solve per step, without giving up monotonicity.
   */
  readonly overRelaxation?: boolean;
  /**
   * Prune (remove from the model for good) precision groups whose 1/E[α] falls below
   * `pruneThreshold` · the largest one, as EM-SBL does (ard and block_ard only; default 0: never).
   * Later sweeps then solve only for the kept coefficients, which makes them much cheaper, but the
   * ELBO of a step that prunes is that of the smaller model, so it can drop at such a step (it is
   * monotone between prunes). With the default the ELBO never decreases.
   */
  readonly pruneThreshold?: number;
}

/**
 * The variational state. Never mutated by {@link VbKernel.step}.
 *
 * @example
 * ```ts
 * const { state } = kernel.step(kernel.init(problem));
 * state.mean; state.elbo;
 * ```
 */
export interface VbState {
  /** Iterations since `init`. */
  readonly iteration: number;
  /** E_q[x] (length n). */
  readonly mean: Float64Array;
  /** Var_q[x_i] (length n). */
  readonly variance: Float64Array;
  /** Shapes of the Gamma factors q(α) (or q(ρ) for turbo), one per precision group. */
  readonly precisionShape: Float64Array;
  /** Rates of the Gamma factors, one per precision group. */
  readonly precisionRate: Float64Array;
  /** Shape of q(β) (NaN when the noise is known). */
  readonly noiseShape: number;
  /** Rate of q(β) (NaN when the noise is known). */
  readonly noiseRate: number;
  /** E_q[β] (the given 1/σ² when the noise is known). */
  readonly noisePrecision: number;
  /** Turbo: q(s_n = 1). */
  readonly supportProbability?: Float64Array;
  /** The evidence lower bound at this state. */
  readonly elbo: number;
  /** Over-relaxation factor the next step tries (see {@link VbChoices.overRelaxation}). */
  readonly relaxation: number;
  /** Cached q(x) quantities the next ELBO needs: log det Σ, tr(AᵀAΣ), ‖y − Aμ‖². */
  readonly logDetCovariance: number;
  readonly traceGramCovariance: number;
  readonly residual2: number;
  /** Turbo: E_q[log p(s)] + H[q(s)], fixed while q(s) is. */
  readonly supportTerms?: number;
  /** With pruning: 1 for coefficients still in the model, 0 for pruned ones. */
  readonly keep?: Uint8Array;
}

/**
 * What one step reports.
 *
 * @example
 * ```ts
 * const { info } = kernel.step(state);
 * info.elbo - info.previousElbo; // ≥ 0 up to rounding
 * ```
 */
export interface VbInfo {
  /** ELBO after the step. */
  readonly elbo: number;
  /** ELBO before the step. */
  readonly previousElbo: number;
  /** ‖μ_new − μ_old‖ / ‖μ_old‖ (Infinity when μ_old = 0 ≠ μ_new). */
  readonly meanChange: number;
}

/**
 * The VB-SBL kernel (the EM backend's init/step shape; deterministic, so no rng).
 *
 * @example
 * ```ts
 * const kernel = buildVbKernel();
 * let state = kernel.init(problem);
 * for (let t = 0; t < 100; t++) state = kernel.step(state).state;
 * ```
 */
export interface VbKernel {
  /** Validates and binds the problem; returns the initial state (with its ELBO). */
  init(problem: VbProblem): VbState;
  /** One sweep of the coordinate updates; never mutates `state`. */
  step(state: VbState): { readonly state: VbState; readonly info: VbInfo };
  /** E_q[α_i] (turbo: E_q[ρ_i]) per coefficient at `state`. */
  precisionMean(state: VbState): Float64Array;
  /** Which q(x) solver the bound problem uses. */
  readonly form: "dense" | "kronecker";
  /** Releases kernel-arena memory of the bound problem. */
  dispose(): void;
}

/** The prior after validation, with its precision groups. */
type BoundPrior =
  | { readonly kind: "ard" }
  | { readonly kind: "block_ard"; readonly starts: Int32Array }
  | { readonly kind: "kronecker_ard"; readonly offsets: Int32Array; readonly strides: Int32Array }
  | {
      readonly kind: "turbo";
      readonly active: GammaParameters;
      readonly inactive: GammaParameters;
      readonly p01: number;
      readonly p10: number;
      readonly chainLength: number;
      readonly warmStart: number;
    };

/** Everything fixed for one bound problem. */
interface Binding {
  readonly p: NormalizedProblem;
  readonly n: number;
  readonly m: number;
  readonly prior: BoundPrior;
  readonly groups: number;
  readonly solver: GaussianSolver;
  readonly a: number;
  readonly b: number;
  readonly c: number;
  readonly d: number;
  readonly learnNoise: boolean;
  readonly gamma0: number;
  /** Kronecker: factor column counts. */
  readonly cols?: Int32Array;
}

function rethrow(error: unknown): never {
  if (error instanceof SprigError) {
    const Kind = error.constructor as new (parts: SprigError["parts"]) => SprigError;
    throw new Kind({ ...error.parts, where: WHERE });
  }
  throw error;
}

function checkGamma(name: string, g: Partial<GammaParameters> | undefined): void {
  if (g === undefined) return;
  for (const key of ["shape", "rate"] as const) {
    const v = g[key];
    if (v !== undefined && !(v > 0 && Number.isFinite(v))) {
      throw new DomainError({
        where: WHERE,
        what: `${name}.${key} must be positive and finite`,
        got: describeValue(v),
        expected: "a value in (0, ∞)",
      });
    }
  }
}

function checkProbability(name: string, v: number): void {
  if (!(v > 0 && v < 1)) {
    throw new DomainError({
      where: WHERE,
      what: `${name} must be a probability strictly between 0 and 1`,
      got: describeValue(v),
      expected: "a value in (0, 1)",
    });
  }
}

function bind(problem: VbProblem, choices: VbChoices): Binding {
  const requested = problem.prior;
  const turbo =
    typeof requested === "object" && requested !== null && requested.kind === "turbo" ? requested : undefined;
  let p: NormalizedProblem;
  try {
    p = normalizeProblem({ ...problem, prior: turbo ? "ard" : (requested as SblPrior | undefined) });
  } catch (error) {
    rethrow(error);
  }
  if (p.complex) {
    throw new CapabilityError({
      where: WHERE,
      what: "complex-valued problems are not supported by the variational backend",
      hint: "use fitSbl (EM-SBL) for complex data, or pass the real embedding [[Re A, −Im A], [Im A, Re A]].",
    });
  }
  const { m, n } = p;
  const dict = p.dictionary;
  const frobenius2 =
    dict.kind === "kronecker"
      ? dict.factors.reduce((acc, f) => acc * f.reduce((s, v) => s + v * v, 0), 1)
      : dict.data.reduce((s, v) => s + v * v, 0);
  const gamma0 = autoGamma(p, frobenius2);
  checkGamma("precisionPrior", choices.precisionPrior);
  checkGamma("noisePrior", choices.noisePrior);
  const a = choices.precisionPrior?.shape ?? 1e-6;
  const b = choices.precisionPrior?.rate ?? 1e-6 * gamma0;
  const c = choices.noisePrior?.shape ?? 1e-6;
  const d = choices.noisePrior?.rate ?? 1e-6 * p.yPower;

  let prior: BoundPrior;
  let groups = n;
  let cols: Int32Array | undefined;
  if (turbo) {
    const p01 = turbo.transition01 ?? 0.01;
    const p10 = turbo.transition10 ?? 0.1;
    checkProbability("transition01", p01);
    checkProbability("transition10", p10);
    const pi1 = p01 / (p01 + p10);
    checkGamma("active", turbo.active);
    checkGamma("inactive", turbo.inactive);
    const chainLength = turbo.chainLength ?? n;
    if (!Number.isInteger(chainLength) || chainLength < 1 || n % chainLength !== 0) {
      throw new DomainError({
        where: WHERE,
        what: "chainLength must be a positive divisor of the number of coefficients",
        got: describeValue(chainLength),
        expected: `a divisor of ${n}`,
      });
    }
    prior = {
      kind: "turbo",
      active: turbo.active ?? { shape: 1, rate: gamma0 / pi1 },
      inactive: turbo.inactive ?? { shape: 1, rate: (1e-6 * gamma0) / pi1 },
      p01,
      p10,
      chainLength,
      warmStart: turbo.warmStart ?? 30,
    };
  } else {
    const np = p.prior;
    if (np.kind === "ard") {
      prior = { kind: "ard" };
    } else if (np.kind === "block_ard") {
      if (np.intraCorrelation) {
        throw new CapabilityError({
          where: WHERE,
          what: "block_ard with intraCorrelation has no closed-form variational update here",
          hint: "drop intraCorrelation (blocks with identity correlation), or use fitSbl with algorithm 'bsbl'.",
        });
      }
      prior = { kind: "block_ard", starts: np.blockStarts };
      groups = np.blockStarts.length - 1;
    } else if (np.kind === "kronecker_ard") {
      if (np.coupling.some((v) => v !== 0)) {
        throw new CapabilityError({
          where: WHERE,
          what: "kronecker_ard coupling (the block-sparse KroSBL extension) has no conjugate variational update",
          hint: "set coupling to 0, use the turbo prior for structured supports, or use fitSbl with algorithm 'krosbl_am'.",
        });
      }
      if (dict.kind !== "kronecker")
        throw new CapabilityError({ where: WHERE, what: "kronecker_ard needs a Kronecker dictionary" });
      cols = dict.cols;
      const D = cols.length;
      const offsets = new Int32Array(D + 1);
      const strides = new Int32Array(D);
      for (let k = 0; k < D; k++) offsets[k + 1] = offsets[k] + cols[k];
      let stride = 1;
      for (let k = D - 1; k >= 0; k--) {
        strides[k] = stride;
        stride *= cols[k];
      }
      prior = { kind: "kronecker_ard", offsets, strides };
      groups = offsets[D];
    } else {
      throw new CapabilityError({
        where: WHERE,
        what: `the '${np.kind}' prior has no conjugate variational update`,
        hint: "use the turbo prior (a Markov-chain support) for coupled neighbours, or fitSbl with algorithm 'pc_sbl'.",
      });
    }
  }
  const pruneThreshold = choices.pruneThreshold ?? 0;
  if (!(pruneThreshold >= 0 && pruneThreshold < 1)) {
    throw new DomainError({
      where: WHERE,
      what: "pruneThreshold out of range",
      got: describeValue(pruneThreshold),
      expected: "a value in [0, 1)",
    });
  }
  if (pruneThreshold > 0 && prior.kind !== "ard" && prior.kind !== "block_ard") {
    throw new CapabilityError({
      where: WHERE,
      what: `pruning is available for the ard and block_ard priors, not '${prior.kind}'`,
      hint: "set pruneThreshold to 0.",
    });
  }
  const solver =
    prior.kind === "kronecker_ard" && dict.kind === "kronecker"
      ? kroneckerSolver(dict.factors, dict.rows, dict.cols, p.y)
      : denseSolver(denseDictionary(p), m, n, p.y);
  return { p, n, m, prior, groups, solver, a, b, c, d, learnNoise: p.learnNoise, gamma0, ...(cols ? { cols } : {}) };
}

/** A coefficient of precision group g (ard and turbo: g itself; blocks: the block's first). */
function firstMember(bd: Binding, g: number): number {
  return bd.prior.kind === "block_ard" ? bd.prior.starts[g] : g;
}

/** E_q[log Gamma(x | shape0, rate0)] for q = Gamma(shape, rate). */
function expectedLogGamma(shape0: number, rate0: number, shape: number, rate: number): number {
  const mean = shape / rate;
  const meanLog = digamma(shape) - Math.log(rate);
  return shape0 * Math.log(rate0) - lgamma(shape0) + (shape0 - 1) * meanLog - rate0 * mean;
}

/** Entropy of Gamma(shape, rate). */
function gammaEntropy(shape: number, rate: number): number {
  return shape - Math.log(rate) + lgamma(shape) + (1 - shape) * digamma(shape);
}

/** Per-coefficient E[α] and E[log α] from the group factors. */
function expandPrecisions(
  bound: Binding,
  shape: Float64Array,
  rate: Float64Array,
  mean: Float64Array,
  meanLog: Float64Array,
  factorMeans: Float64Array[],
  factorLogs: Float64Array[],
): void {
  const prior = bound.prior;
  const n = bound.n;
  if (prior.kind === "ard" || prior.kind === "turbo") {
    for (let i = 0; i < n; i++) {
      mean[i] = shape[i] / rate[i];
      meanLog[i] = digamma(shape[i]) - Math.log(rate[i]);
    }
  } else if (prior.kind === "block_ard") {
    const starts = prior.starts;
    for (let g = 0; g + 1 < starts.length; g++) {
      const mu = shape[g] / rate[g];
      const lg = digamma(shape[g]) - Math.log(rate[g]);
      for (let i = starts[g]; i < starts[g + 1]; i++) {
        mean[i] = mu;
        meanLog[i] = lg;
      }
    }
  } else {
    const cols = bound.cols!;
    for (let k = 0; k < cols.length; k++) {
      const off = prior.offsets[k];
      for (let j = 0; j < cols[k]; j++) {
        factorMeans[k][j] = shape[off + j] / rate[off + j];
        factorLogs[k][j] = digamma(shape[off + j]) - Math.log(rate[off + j]);
      }
    }
    kronProduct(factorMeans, cols, mean);
    // E[log α_i] = Σ_d E[log α⁽ᵈ⁾_{i_d}]: a Kronecker *sum*, built as a product of exponentials
    // would overflow, so add per factor through the index strides.
    meanLog.fill(0);
    for (let k = 0; k < cols.length; k++) {
      const stride = prior.strides[k];
      const N = cols[k];
      for (let i = 0; i < n; i++) meanLog[i] += factorLogs[k][Math.floor(i / stride) % N];
    }
  }
}

/**
 * The support factor of the turbo prior: q(s) ∝ p(s) Πₙ exp φ_{sₙ}(n) for a two-state Markov
 * chain p(s) (transition probabilities `p01` = P(1 | 0), `p10` = P(0 | 1), started from its
 * stationary law), split into independent chains of `chainLength`. Scaled forward–backward writes
 * the marginals q(sₙ = 1) into `marginal` and returns E_q[log p(s)] + H[q(s)]; adding
 * Σₙ E_q[φ_{sₙ}(n)] gives log Z, the value of the maximised ELBO term.
 *
 * @example
 * ```ts
 * const marginal = new Float64Array(4);
 * const terms = forwardBackward(Float64Array.of(0, 0, 0, 0), Float64Array.of(2, -1, 3, 0), 0.1, 0.2, 4, marginal);
 * ```
 */
export function forwardBackward(
  phi0: Float64Array,
  phi1: Float64Array,
  p01: number,
  p10: number,
  chainLength: number,
  marginal: Float64Array,
): number {
  const n = phi0.length;
  const t = [
    [1 - p01, p01],
    [p10, 1 - p10],
  ];
  const logT = t.map((row) => row.map(Math.log));
  const pi1 = p01 / (p01 + p10);
  const pi = [1 - pi1, pi1];
  const f0 = new Float64Array(chainLength);
  const f1 = new Float64Array(chainLength);
  const scale = new Float64Array(chainLength);
  const psi0 = new Float64Array(chainLength);
  const psi1 = new Float64Array(chainLength);
  let terms = 0;
  for (let start = 0; start < n; start += chainLength) {
    const L = chainLength;
    for (let k = 0; k < L; k++) {
      const top = Math.max(phi0[start + k], phi1[start + k]);
      psi0[k] = Math.exp(phi0[start + k] - top);
      psi1[k] = Math.exp(phi1[start + k] - top);
    }
    for (let k = 0; k < L; k++) {
      let a0: number;
      let a1: number;
      if (k === 0) {
        a0 = pi[0] * psi0[0];
        a1 = pi[1] * psi1[0];
      } else {
        a0 = (f0[k - 1] * t[0][0] + f1[k - 1] * t[1][0]) * psi0[k];
        a1 = (f0[k - 1] * t[0][1] + f1[k - 1] * t[1][1]) * psi1[k];
      }
      const s = a0 + a1;
      scale[k] = s;
      f0[k] = a0 / s;
      f1[k] = a1 / s;
    }
    // Backward pass with the same scaling; pairwise marginals on the way.
    let b0 = 1;
    let b1 = 1;
    const xlogx = (x: number) => (x > 0 ? x * Math.log(x) : 0);
    marginal[start + L - 1] = f1[L - 1];
    let pairEntropy = 0;
    let nodeEntropy = 0;
    let logPrior = 0;
    for (let k = L - 2; k >= 0; k--) {
      const w0 = (psi0[k + 1] * b0) / scale[k + 1];
      const w1 = (psi1[k + 1] * b1) / scale[k + 1];
      // ξ(s, s') = f_k(s) T(s, s') ψ_{k+1}(s') b_{k+1}(s') / c_{k+1}.
      const xi00 = f0[k] * t[0][0] * w0;
      const xi01 = f0[k] * t[0][1] * w1;
      const xi10 = f1[k] * t[1][0] * w0;
      const xi11 = f1[k] * t[1][1] * w1;
      pairEntropy -= xlogx(xi00) + xlogx(xi01) + xlogx(xi10) + xlogx(xi11);
      logPrior += xi00 * logT[0][0] + xi01 * logT[0][1] + xi10 * logT[1][0] + xi11 * logT[1][1];
      const nb0 = t[0][0] * w0 + t[0][1] * w1;
      const nb1 = t[1][0] * w0 + t[1][1] * w1;
      b0 = nb0;
      b1 = nb1;
      const q1 = f1[k] * b1;
      const q0 = f0[k] * b0;
      const total = q0 + q1;
      marginal[start + k] = q1 / total;
      if (k > 0) nodeEntropy -= xlogx(q0 / total) + xlogx(q1 / total);
    }
    const q1First = marginal[start];
    logPrior += (1 - q1First) * Math.log(pi[0]) + q1First * Math.log(pi[1]);
    // H[q] of a chain: Σ pair entropies − Σ interior node entropies (single node: its own entropy).
    const entropy = L === 1 ? -(xlogx(q1First) + xlogx(1 - q1First)) : pairEntropy - nodeEntropy;
    terms += logPrior + entropy;
  }
  return terms;
}

/**
 * Builds the VB-SBL kernel.
 *
 * @example
 * ```ts
 * const kernel = buildVbKernel({ noisePrior: { shape: 1e-3, rate: 1e-3 } });
 * const state = kernel.init({ A, y, prior: "ard" });
 * ```
 */
export function buildVbKernel(choices: VbChoices = {}): VbKernel {
  let bound: Binding | undefined;
  let x2 = new Float64Array(0);
  let alphaMean = new Float64Array(0);
  let alphaLog = new Float64Array(0);
  let factorMeans: Float64Array[] = [];
  let factorLogs: Float64Array[] = [];
  let phi0 = new Float64Array(0);
  let phi1 = new Float64Array(0);

  const need = (): Binding => {
    if (!bound)
      throw new DomainError({
        where: WHERE,
        what: "the kernel is not bound to a problem",
        hint: "call kernel.init(problem) first.",
      });
    return bound;
  };

  const pruneThreshold = choices.pruneThreshold ?? 0;

  /**
   * The keep mask after this step's q(α): groups whose 1/E[α] = rate/shape falls below
   * pruneThreshold · its largest value over the kept groups leave the model for good.
   */
  const prune = (bd: Binding, shape: Float64Array, rate: Float64Array, previous: Uint8Array | undefined) => {
    const keep = previous ? previous.slice() : new Uint8Array(bd.n).fill(1);
    let max = 0;
    for (let g = 0; g < bd.groups; g++) if (keep[firstMember(bd, g)] === 1) max = Math.max(max, rate[g] / shape[g]);
    for (let g = 0; g < bd.groups; g++) {
      if (keep[firstMember(bd, g)] === 0 || rate[g] / shape[g] >= pruneThreshold * max) continue;
      const prior = bd.prior;
      if (prior.kind === "block_ard") keep.fill(0, prior.starts[g], prior.starts[g + 1]);
      else keep[g] = 0;
    }
    return keep;
  };

  /** The q(x) update at the given factors, into fresh moments. */
  const solveX = (
    bd: Binding,
    shape: Float64Array,
    rate: Float64Array,
    beta: number,
    keep: Uint8Array | undefined,
  ): GaussianMoments => {
    expandPrecisions(bd, shape, rate, alphaMean, alphaLog, factorMeans, factorLogs);
    const moments = allocateMoments(bd.n);
    bd.solver.update(bd.prior.kind === "kronecker_ard" ? factorMeans : [alphaMean], beta, moments, keep);
    return moments;
  };

  /** The ELBO of a full set of factors (q(x) moments, Gamma factors, q(β), turbo's q(s)). */
  const elboOf = (
    bd: Binding,
    x: GaussianMoments,
    shape: Float64Array,
    rate: Float64Array,
    noiseShape: number,
    noiseRate: number,
    beta: number,
    support: Float64Array | undefined,
    supportTerms: number,
    keep: Uint8Array | undefined,
  ): number => {
    const { n, m } = bd;
    // Pruned coefficients (keep = 0) are no longer in the model: no x or α terms.
    let kept = 0;
    expandPrecisions(bd, shape, rate, alphaMean, alphaLog, factorMeans, factorLogs);
    const meanLogBeta = bd.learnNoise ? digamma(noiseShape) - Math.log(noiseRate) : Math.log(beta);
    let elbo = 0.5 * m * (meanLogBeta - LN_TWO_PI) - 0.5 * beta * (x.residual2 + x.traceGramCovariance);
    for (let i = 0; i < n; i++) {
      if (keep && keep[i] === 0) continue;
      kept++;
      const second = x.mean[i] * x.mean[i] + x.variance[i];
      elbo += 0.5 * alphaLog[i] - 0.5 * LN_TWO_PI - 0.5 * alphaMean[i] * second;
    }
    elbo += 0.5 * x.logDetCovariance + 0.5 * kept * (1 + LN_TWO_PI);
    const prior = bd.prior;
    if (prior.kind === "turbo") {
      for (let i = 0; i < n; i++) {
        const q1 = support![i];
        elbo +=
          q1 * expectedLogGamma(prior.active.shape, prior.active.rate, shape[i], rate[i]) +
          (1 - q1) * expectedLogGamma(prior.inactive.shape, prior.inactive.rate, shape[i], rate[i]) +
          gammaEntropy(shape[i], rate[i]);
      }
      elbo += supportTerms;
    } else {
      for (let g = 0; g < bd.groups; g++) {
        if (keep && keep[firstMember(bd, g)] === 0) continue;
        elbo += expectedLogGamma(bd.a, bd.b, shape[g], rate[g]) + gammaEntropy(shape[g], rate[g]);
      }
    }
    if (bd.learnNoise)
      elbo += expectedLogGamma(bd.c, bd.d, noiseShape, noiseRate) + gammaEntropy(noiseShape, noiseRate);
    return elbo;
  };

  /** The exact q(α) (or q(ρ)) update from ⟨x²⟩, into `shape`/`rate` (which hold the current factors). */
  const updatePrecisions = (
    bd: Binding,
    shape: Float64Array,
    rate: Float64Array,
    support: Float64Array | undefined,
  ) => {
    const prior = bd.prior;
    const n = bd.n;
    if (prior.kind === "ard") {
      for (let i = 0; i < n; i++) {
        shape[i] = bd.a + 0.5;
        rate[i] = bd.b + 0.5 * x2[i];
      }
    } else if (prior.kind === "turbo") {
      const { active, inactive } = prior;
      for (let i = 0; i < n; i++) {
        const q1 = support![i];
        shape[i] = q1 * active.shape + (1 - q1) * inactive.shape + 0.5;
        rate[i] = q1 * active.rate + (1 - q1) * inactive.rate + 0.5 * x2[i];
      }
    } else if (prior.kind === "block_ard") {
      const starts = prior.starts;
      for (let g = 0; g + 1 < starts.length; g++) {
        let s = 0;
        for (let i = starts[g]; i < starts[g + 1]; i++) s += x2[i];
        shape[g] = bd.a + 0.5 * (starts[g + 1] - starts[g]);
        rate[g] = bd.b + 0.5 * s;
      }
    } else {
      // One factor at a time, each given the latest others: Σ_{i: i_d = j} ⟨x_i²⟩ Π_{e≠d} ⟨α⁽ᵉ⁾⟩.
      const cols = bd.cols!;
      for (let k = 0; k < cols.length; k++) {
        expandPrecisions(bd, shape, rate, alphaMean, alphaLog, factorMeans, factorLogs);
        const N = cols[k];
        const stride = prior.strides[k];
        const off = prior.offsets[k];
        const sums = new Float64Array(N);
        for (let i = 0; i < n; i++) {
          const j = Math.floor(i / stride) % N;
          sums[j] += (x2[i] * alphaMean[i]) / factorMeans[k][j];
        }
        for (let j = 0; j < N; j++) {
          shape[off + j] = bd.a + (0.5 * n) / N;
          rate[off + j] = bd.b + 0.5 * sums[j];
        }
      }
    }
  };

  /** q(s) from the unary potentials of the current q(ρ); returns E log p(s) + H[q(s)]. */
  const updateSupport = (bd: Binding, shape: Float64Array, rate: Float64Array, support: Float64Array): number => {
    const prior = bd.prior;
    if (prior.kind !== "turbo") return 0;
    for (let i = 0; i < bd.n; i++) {
      phi1[i] = expectedLogGamma(prior.active.shape, prior.active.rate, shape[i], rate[i]);
      phi0[i] = expectedLogGamma(prior.inactive.shape, prior.inactive.rate, shape[i], rate[i]);
    }
    return forwardBackward(phi0, phi1, prior.p01, prior.p10, prior.chainLength, support);
  };

  return {
    get form() {
      return need().solver.form;
    },
    precisionMean(state) {
      const bd = need();
      expandPrecisions(bd, state.precisionShape, state.precisionRate, alphaMean, alphaLog, factorMeans, factorLogs);
      return alphaMean.slice();
    },
    dispose() {
      bound?.solver.dispose();
      bound = undefined;
    },
    init(problem) {
      bound?.solver.dispose();
      const bd = bind(problem, choices);
      bound = bd;
      const { n, m } = bd;
      x2 = new Float64Array(n);
      alphaMean = new Float64Array(n);
      alphaLog = new Float64Array(n);
      factorMeans = bd.cols ? Array.from(bd.cols, (N) => new Float64Array(N)) : [];
      factorLogs = bd.cols ? Array.from(bd.cols, (N) => new Float64Array(N)) : [];
      phi0 = new Float64Array(n);
      phi1 = new Float64Array(n);
      // Start every precision at mean 1/γ₀ (kronecker: each factor at γ₀^(−1/D)).
      const shape = new Float64Array(bd.groups);
      const rate = new Float64Array(bd.groups);
      const prior = bd.prior;
      if (prior.kind === "kronecker_ard") {
        const cols = bd.cols!;
        const perFactor = bd.gamma0 ** (1 / cols.length);
        for (let k = 0; k < cols.length; k++) {
          for (let j = 0; j < cols[k]; j++) {
            shape[prior.offsets[k] + j] = bd.a + (0.5 * n) / cols[k];
            rate[prior.offsets[k] + j] = shape[prior.offsets[k] + j] * perFactor;
          }
        }
      } else if (prior.kind === "block_ard") {
        for (let g = 0; g < bd.groups; g++) {
          shape[g] = bd.a + 0.5 * (prior.starts[g + 1] - prior.starts[g]);
          rate[g] = shape[g] * bd.gamma0;
        }
      } else {
        for (let i = 0; i < n; i++) {
          shape[i] = (prior.kind === "turbo" ? 1 : bd.a) + 0.5;
          rate[i] = shape[i] * bd.gamma0;
        }
      }
      let support: Float64Array | undefined;
      let supportTerms = 0;
      if (prior.kind === "turbo") {
        // q(s) starts at the prior chain: zero unary potentials.
        support = new Float64Array(n);
        phi0.fill(0);
        phi1.fill(0);
        supportTerms = forwardBackward(phi0, phi1, prior.p01, prior.p10, prior.chainLength, support);
      }
      const noiseShape = bd.learnNoise ? bd.c + 0.5 * m : Number.NaN;
      const noiseRate = bd.learnNoise ? noiseShape * bd.p.noiseVariance : Number.NaN;
      const beta = 1 / bd.p.noiseVariance;
      if (prior.kind === "turbo" && prior.warmStart > 0) {
        // Mean-field support updates commit early; starting q(ρ) from a short VB-ARD run (vague
        // Gamma(1e-6, 1e-6·γ₀) priors) gives them coefficients whose ⟨x²⟩ already separates.
        for (let t = 0; t < prior.warmStart; t++) {
          const xw = solveX(bd, shape, rate, beta, undefined);
          for (let i = 0; i < n; i++) {
            shape[i] = 1e-6 + 0.5;
            rate[i] = 1e-6 * bd.gamma0 + 0.5 * (xw.mean[i] * xw.mean[i] + xw.variance[i]);
          }
        }
      }
      const x = solveX(bd, shape, rate, beta, undefined);
      const elbo = elboOf(bd, x, shape, rate, noiseShape, noiseRate, beta, support, supportTerms, undefined);
      return {
        iteration: 0,
        mean: x.mean,
        variance: x.variance,
        precisionShape: shape,
        precisionRate: rate,
        noiseShape,
        noiseRate,
        noisePrecision: beta,
        ...(support ? { supportProbability: support, supportTerms } : {}),
        elbo,
        relaxation: MIN_RELAXATION,
        logDetCovariance: x.logDetCovariance,
        traceGramCovariance: x.traceGramCovariance,
        residual2: x.residual2,
      };
    },
    step(state) {
      const bd = need();
      const { n, m } = bd;
      if (state.mean.length !== n || state.precisionShape.length !== bd.groups) {
        throw new DomainError({
          where: WHERE,
          what: "state does not belong to the bound problem",
          got: `${state.mean.length} coefficients`,
          expected: String(n),
        });
      }
      for (let i = 0; i < n; i++) x2[i] = state.mean[i] * state.mean[i] + state.variance[i];
      // q(β) depends only on the current q(x), so both candidates below share it.
      let noiseShape = state.noiseShape;
      let noiseRate = state.noiseRate;
      let beta = state.noisePrecision;
      if (bd.learnNoise) {
        noiseShape = bd.c + 0.5 * m;
        noiseRate = bd.d + 0.5 * (state.residual2 + state.traceGramCovariance);
        beta = noiseShape / noiseRate;
      }
      const shape = state.precisionShape.slice();
      const rate = state.precisionRate.slice();
      const support = state.supportProbability?.slice();
      updatePrecisions(bd, shape, rate, support);
      const keep = pruneThreshold > 0 ? prune(bd, shape, rate, state.keep) : undefined;
      /** q(s) (turbo), q(x) and the ELBO after q(α) = Gamma(shape, rate) and the new q(β). */
      const complete = (shape: Float64Array, rate: Float64Array, support: Float64Array | undefined) => {
        const supportTerms = support ? updateSupport(bd, shape, rate, support) : 0;
        const x = solveX(bd, shape, rate, beta, keep);
        const elbo = elboOf(bd, x, shape, rate, noiseShape, noiseRate, beta, support, supportTerms, keep);
        return { shape, rate, support, supportTerms, x, elbo };
      };
      let next = complete(shape, rate, support);
      let relaxation = state.relaxation;
      if (choices.overRelaxation ?? (bd.prior.kind !== "turbo" && pruneThreshold === 0)) {
        // Over-relaxed bound optimisation (Salakhutdinov & Roweis 2003): also try moving the
        // Gamma parameters `relaxation` times as far, in log space, as the plain update did, and
        // keep whichever full state has the larger ELBO, so the ELBO still never decreases.
        const omega = relaxation;
        const shapeX = new Float64Array(bd.groups);
        const rateX = new Float64Array(bd.groups);
        // Each log-parameter moves at most MAX_LOG_MOVE, so one bad extrapolation cannot wreck
        // the conditioning of the q(x) solve.
        const move = (from: number, to: number) =>
          from * Math.exp(Math.max(-MAX_LOG_MOVE, Math.min(MAX_LOG_MOVE, omega * Math.log(to / from))));
        for (let g = 0; g < bd.groups; g++) {
          shapeX[g] = move(state.precisionShape[g], shape[g]);
          rateX[g] = move(state.precisionRate[g], rate[g]);
        }
        let extrapolated: ReturnType<typeof complete> | undefined;
        try {
          extrapolated = complete(shapeX, rateX, state.supportProbability?.slice());
        } catch (error) {
          // A candidate whose q(x) solve is numerically singular is simply not taken.
          if (!(error instanceof DomainError)) throw error;
        }
        if (extrapolated && extrapolated.elbo > next.elbo) {
          next = extrapolated;
          relaxation = Math.min(2 * omega, MAX_RELAXATION);
        } else {
          relaxation = MIN_RELAXATION;
        }
      }
      const x = next.x;
      let num = 0;
      let den = 0;
      for (let i = 0; i < n; i++) {
        num += (x.mean[i] - state.mean[i]) ** 2;
        den += state.mean[i] ** 2;
      }
      const meanChange = den > 0 ? Math.sqrt(num / den) : num > 0 ? Number.POSITIVE_INFINITY : 0;
      return {
        state: {
          iteration: state.iteration + 1,
          mean: x.mean,
          variance: x.variance,
          precisionShape: next.shape,
          precisionRate: next.rate,
          noiseShape,
          noiseRate,
          noisePrecision: beta,
          ...(next.support ? { supportProbability: next.support, supportTerms: next.supportTerms } : {}),
          ...(keep ? { keep } : {}),
          elbo: next.elbo,
          relaxation,
          logDetCovariance: x.logDetCovariance,
          traceGramCovariance: x.traceGramCovariance,
          residual2: x.residual2,
        },
        info: { elbo: next.elbo, previousElbo: state.elbo, meanChange },
      };
    },
  };
}
