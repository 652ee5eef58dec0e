/**
 * Types shared by the EM-SBL backend: the problem description (what structure detection will
 * produce from a compiled model), the options of {@link fitSbl}, the kernel state and the result.
 *
 * The model class is the linear-Gaussian block
 *
 *     y = A x + e,   e ~ N(0, σ² I)  (or CN(0, σ² I) for complex data),
 *     x ~ N(0, Σ₀(θ))                (a Gaussian scale mixture with hyper-parameters θ),
 *
 * and every algorithm here maximises the type-II likelihood log N(y | 0, σ² I + A Σ₀(θ) Aᵀ) over θ
 * (and σ² when it is learned).
 *
 * @module
 */
import type { ComplexLinearOperator, LinearOperator } from "../../runtime/linear_operator.js";

/**
 * A dense matrix stored row-major; complex matrices are interleaved (re, im), 2·rows·cols numbers.
 *
 * @example
 * ```ts
 * const A1: SblMatrix = { rows: 2, cols: 3, data: new Float64Array(6) };
 * ```
 */
export interface SblMatrix {
  /** Number of rows. */
  readonly rows: number;
  /** Number of columns. */
  readonly cols: number;
  /** Row-major entries (interleaved re, im when the dictionary is complex). */
  readonly data: Float64Array;
}

/**
 * A Kronecker-structured dictionary A = A₁ ⊗ A₂ ⊗ … ⊗ A_D, given by its factors (outermost
 * first, numpy.kron index order: the last factor's index varies fastest in x and y). KroSBL never
 * forms the product; the other algorithms form it when they need columns of A.
 *
 * @example
 * ```ts
 * const A: KroneckerDictionary = { factors: [A1, A2, A3] };
 * const Az: KroneckerDictionary = { factors: [Z1, Z2], complex: true };
 * ```
 */
export interface KroneckerDictionary {
  /** The factors: dense matrices or operators (their `toDense()` is read once). */
  readonly factors: readonly (SblMatrix | LinearOperator | ComplexLinearOperator)[];
  /** Whether the factors (and y) are complex, interleaved (re, im). Default false. */
  readonly complex?: boolean;
}

/**
 * The dictionary of an SBL problem: any real or complex operator, or Kronecker factors.
 *
 * @example
 * ```ts
 * const A: SblDictionary = { factors: [A1, A2] };
 * ```
 */
export type SblDictionary = LinearOperator | ComplexLinearOperator | KroneckerDictionary;

/**
 * The noise model: a known variance σ² > 0, or `'learn'` (EM / MacKay re-estimation, starting
 * from `initialVariance` or 1% of the mean power of y). With `precisionPrior` the noise
 * precision β = 1/σ² has a Gamma(shape, rate) prior and the M-step returns its posterior mode
 * (MAP-II) instead of the maximum of the evidence.
 *
 * @example
 * ```ts
 * const known: SblNoise = { variance: 0.01 };
 * const learned: SblNoise = "learn";
 * const map: SblNoise = { learn: true, precisionPrior: { shape: 2, rate: 0.1 } };
 * ```
 */
export type SblNoise =
  | { readonly variance: number }
  | "learn"
  | {
      readonly learn: true;
      readonly initialVariance?: number;
      readonly precisionPrior?: SblGammaPrior;
    };

/**
 * A Gamma(shape, rate) prior on a precision (density ∝ β^(shape−1) e^(−rate·β)).
 *
 * @example
 * ```ts
 * const g: SblGammaPrior = { shape: 2, rate: 0.5 };
 * ```
 */
export interface SblGammaPrior {
  readonly shape: number;
  readonly rate: number;
}

/**
 * The sparsity prior on x (all zero-mean Gaussian scale mixtures):
 * - `'ard'`: x_i ~ N(0, γ_i), one hyper-parameter per coefficient (Tipping 2001).
 * - `kronecker_ard`: γ = γ⁽¹⁾ ⊗ … ⊗ γ⁽ᴰ⁾, one vector per Kronecker factor (He & Joseph 2024);
 *   `coupling[d] > 0` couples neighbouring entries of factor d (the block-sparse extension).
 * - `block_ard`: x_b ~ N(0, γ_b B) on contiguous blocks (Zhang & Rao 2011, BSBL); B = I, or a
 *   learned AR(1) Toeplitz correlation when `intraCorrelation` is true.
 * - `pc_sbl`: pattern-coupled prior x_i ~ N(0, (α_i + β α_{i-1} + β α_{i+1})⁻¹) (Fang et al. 2015).
 *
 * @example
 * ```ts
 * const p1: SblPrior = "ard";
 * const p2: SblPrior = { kind: "block_ard", blockSizes: [4, 4, 4, 4], intraCorrelation: true };
 * ```
 */
export type SblPrior =
  | "ard"
  | { readonly kind: "ard" }
  | {
      readonly kind: "kronecker_ard";
      /** Expected factor column counts; checked against the dictionary when given. */
      readonly dims?: readonly number[];
      /** Per-factor neighbour coupling in [0, 1) (block-sparse KroSBL); default all 0. */
      readonly coupling?: readonly number[];
    }
  | {
      readonly kind: "block_ard";
      /** Sizes of consecutive blocks of x; they must add up to the number of columns. */
      readonly blockSizes: readonly number[];
      /** Learn a shared AR(1) intra-block correlation (BSBL-EM). Default false. */
      readonly intraCorrelation?: boolean;
    }
  | {
      readonly kind: "pc_sbl";
      /** Coupling β ≥ 0 between neighbouring coefficients (Fang et al. use 1). */
      readonly beta: number;
      /** Gamma hyper-prior shape-like constant a of the α update (default 0.5). */
      readonly a?: number;
      /** Gamma hyper-prior rate-like constant b of the α update (default 1e-10). */
      readonly b?: number;
    };

/**
 * A sparse linear-Gaussian problem: what a model compiles to when EM-SBL can run it.
 *
 * @example
 * ```ts
 * const problem: SblProblem = { A: new DenseOperator(rows), y, noise: "learn", prior: "ard" };
 * ```
 */
export interface SblProblem {
  /** The dictionary (m × n). */
  readonly A: SblDictionary;
  /** Observations: m numbers, or 2m interleaved (re, im) for a complex dictionary. */
  readonly y: Float64Array | readonly number[];
  /** Noise model; default `'learn'`. */
  readonly noise?: SblNoise;
  /** Sparsity prior; default `'ard'` (or `kronecker_ard` for a {@link KroneckerDictionary} and a KroSBL algorithm). */
  readonly prior?: SblPrior;
}

/**
 * The algorithms of the backend.
 *
 * @example
 * ```ts
 * const algorithm: SblAlgorithm = "krosbl_svd";
 * ```
 */
export type SblAlgorithm = "em" | "tipping_faul" | "krosbl_am" | "krosbl_svd" | "bsbl" | "pc_sbl";

/**
 * Build-time choices of an SBL kernel (see {@link buildKernel}).
 *
 * @example
 * ```ts
 * const choices: SblChoices = { algorithm: "em", pruneThreshold: 1e-3, form: "auto" };
 * ```
 */
export interface SblChoices {
  /** Which algorithm. */
  readonly algorithm: SblAlgorithm;
  /**
   * Hyper-parameters below `pruneThreshold · max` are set to 0 for good (for KroSBL: per factor).
   * Default: 1e-3 (em, bsbl, pc_sbl, krosbl_svd), 1e-2 (krosbl_am), the settings of the
   * reference implementations. Use 0 to never prune.
   */
  readonly pruneThreshold?: number;
  /** Dense E-step form: x-space (primal), y-space Woodbury (dual), or chosen by flop count (default). */
  readonly form?: "auto" | "primal" | "dual";
  /** `'em'` (γ = μ² + Σᵢᵢ, monotone; default) or `'mackay'` (γ = μ² / (1 − Σᵢᵢ/γ), faster, not monotone). Dense ARD only. */
  readonly update?: "em" | "mackay";
  /** Initial hyper-parameters: a number for all, or `'auto'` (default) = signal power spread over the columns. */
  readonly initialGamma?: number | "auto";
  /** Smallest noise variance a learned σ² may take, relative to mean(|y|²) (default 1e-10). */
  readonly noiseFloor?: number;
  /** KroSBL-AM inner loop: relative tolerance (default 1e-6) and cap (default 1000) of the alternating minimisation. */
  readonly innerTolerance?: number;
  /** KroSBL-AM inner iteration cap (default 1000). */
  readonly maxInnerIterations?: number;
  /** Tipping–Faul: re-estimate a learned noise variance every this many steps (default 5). */
  readonly noiseEvery?: number;
}

/**
 * The state an SBL kernel carries between steps: the hyper-parameters and the Gaussian posterior
 * of x at those hyper-parameters. States are never mutated; a step returns a fresh one.
 *
 * @example
 * ```ts
 * const { state } = kernel.step(kernel.init(problem));
 * state.gamma; // prior variances, 0 where pruned
 * ```
 */
export interface SblState {
  /** Steps taken since `init` (0 for the initial state). */
  readonly iteration: number;
  /** Prior variance of each coefficient (length n); 0 for pruned coefficients. */
  readonly gamma: Float64Array;
  /** Indices with gamma > 0, ascending. */
  readonly active: Int32Array;
  /** Noise variance σ² the posterior was computed with. */
  readonly noiseVariance: number;
  /** Posterior mean of x (length n, or 2n interleaved for complex problems). */
  readonly mean: Float64Array;
  /** Posterior variances E|x_i − μ_i|² (length n). */
  readonly varianceDiag: Float64Array;
  /** log N(y | 0, σ² I + A Σ₀ Aᴴ) at this state (complex: the circular complex density). */
  readonly logEvidence: number;
  /** ‖y − A μ‖² at this state (feeds the noise update). */
  readonly residual2: number;
  /** tr(A Σ₀ Aᴴ C⁻¹) = Σᵢ (1 − Σᵢᵢ/γᵢ) for ARD: MacKay's number of well-determined parameters. */
  readonly effectiveParameters: number;
  /** Whether the algorithm itself declared convergence (Tipping–Faul: no improving action left). */
  readonly done: boolean;
  /** Algorithm-specific hyper-parameters (KroSBL factors, BSBL correlation, PC-SBL α, …). */
  readonly extra: SblExtra;
}

/**
 * Algorithm-specific hyper-parameters carried in the state.
 *
 * @example
 * ```ts
 * const factors = state.extra.factorGammas; // KroSBL only
 * ```
 */
export interface SblExtra {
  /** KroSBL: the per-factor hyper-parameter vectors (full length N_d, 0 where pruned). */
  readonly factorGammas?: readonly Float64Array[];
  /** BSBL: one hyper-parameter per block. */
  readonly blockGammas?: Float64Array;
  /** BSBL with intra-block correlation: the AR(1) coefficient of B. */
  readonly correlation?: number;
  /** BSBL: the posterior covariance blocks of the active blocks (row-major, packed in order). */
  readonly blockCovariance?: Float64Array;
  /** PC-SBL: the α hyper-parameters (precisions before coupling). */
  readonly alpha?: Float64Array;
  /** Dense algorithms: the E-step form used for this state. */
  readonly form?: "primal" | "dual" | "kronecker" | "sequential";
  /** Tipping–Faul: posterior covariance of x on `active` (k × k row-major), used by the next step. */
  readonly activeCovariance?: Float64Array;
  /** Tipping–Faul: S_m = β φ_mᵀφ_m − β² φ_mᵀΦΣΦᵀφ_m for every candidate m (the "sparsity" factors). */
  readonly sparsity?: Float64Array;
  /** Tipping–Faul: Q_m = β φ_mᵀt − β φ_mᵀΦμ for every candidate m (the "quality" factors). */
  readonly quality?: Float64Array;
}

/**
 * What one step reports (not carried to the next step).
 *
 * @example
 * ```ts
 * const { info } = kernel.step(state);
 * console.log(info.logEvidence, info.maxChange);
 * ```
 */
export interface SblInfo {
  /** Log evidence at the new state. */
  readonly logEvidence: number;
  /** max(‖γ_new − γ_old‖₂ / ‖γ_old‖₂, |Δσ²|/σ²): relative change of the hyper-parameters (pruned entries 0). */
  readonly maxChange: number;
  /** |L_new − L_old| / max(1, |L_old|). */
  readonly evidenceChange: number;
  /** Number of coefficients still active. */
  readonly activeCount: number;
  /** Noise variance of the new state. */
  readonly noiseVariance: number;
  /** Warnings raised in this step (e.g. the noise variance hit its floor). */
  readonly warnings: readonly string[];
}

/**
 * An SBL kernel with the backend's shared init/step shape: `init` binds a problem and returns the
 * state at the initial hyper-parameters; `step` runs one E-step + M-step (or one Tipping–Faul
 * action). Scratch buffers are private to the kernel, so step one problem at a time per kernel.
 *
 * @example
 * ```ts
 * const kernel = buildKernel({ algorithm: "em" });
 * let state = kernel.init(problem);
 * for (let i = 0; i < 100; i++) state = kernel.step(state).state;
 * ```
 */
export interface SblKernel {
  /** The algorithm this kernel runs. */
  readonly algorithm: SblAlgorithm;
  /** Validates and binds the problem, and returns the state at the initial hyper-parameters. */
  init(problem: SblProblem): SblState;
  /** One iteration from `state`; never mutates `state`. */
  step(state: SblState): { readonly state: SblState; readonly info: SblInfo };
  /**
   * The full posterior covariance of x on `state.active` (k × k row-major; complex problems:
   * 2·k·k interleaved Hermitian), computed exactly at the state's hyper-parameters.
   */
  covariance(state: SblState): Float64Array;
  /** Gives the kernel's scratch (kernel-arena memory) back; `init` may be called again afterwards. */
  dispose(): void;
}

/**
 * Options of {@link fitSbl}: the kernel choices plus the stopping rule.
 *
 * @example
 * ```ts
 * fitSbl(problem, { algorithm: "krosbl_svd", maxIterations: 150, tolerance: 1e-4 });
 * ```
 */
export interface FitSblOptions extends Partial<SblChoices> {
  /** Iteration cap (default 500; 2000 for tipping_faul, whose steps are single add/delete/re-estimate actions). */
  readonly maxIterations?: number;
  /** Stop when the chosen relative change falls below this (default 1e-6; tipping_faul stops by its own rule). */
  readonly tolerance?: number;
  /** Which change the tolerance applies to: hyper-parameters (default) or log evidence. */
  readonly stopOn?: "gamma" | "evidence";
  /** `'diag'` (default): variances only; `'full'`: also the covariance on the support. */
  readonly covariance?: "diag" | "full";
  /** Called after every step; return `false` to stop early. */
  readonly onStep?: (state: SblState, info: SblInfo) => boolean | undefined;
}

/**
 * The outcome of {@link fitSbl}.
 *
 * @example
 * ```ts
 * const fit = fitSbl(problem);
 * fit.support; // kept indices
 * fit.logEvidence.at(-1); // final type-II log likelihood
 * ```
 */
export interface SblResult {
  /** The algorithm that ran. */
  readonly algorithm: SblAlgorithm;
  /** Posterior mean of x (length n; 2n interleaved for complex problems). */
  readonly mean: Float64Array;
  /** Posterior variances (length n; 0 off the support). */
  readonly varianceDiag: Float64Array;
  /** Full posterior covariance on `support` when requested (k × k; complex: interleaved). */
  readonly covariance?: Float64Array;
  /** Prior variances γ (length n; 0 where pruned). */
  readonly gamma: Float64Array;
  /** Precisions α = 1/γ (Infinity where pruned). */
  readonly alpha: Float64Array;
  /** Noise variance σ² (the given one, or the learned one). */
  readonly noiseVariance: number;
  /** Indices kept (γ > 0), ascending. */
  readonly support: Int32Array;
  /** Log evidence at the initial state and after every step. */
  readonly logEvidence: Float64Array;
  /** Steps taken. */
  readonly iterations: number;
  /** Whether the stopping rule was met before `maxIterations`. */
  readonly converged: boolean;
  /** Wall-clock seconds of the fit. */
  readonly timeSeconds: number;
  /** Distinct warnings raised during the fit. */
  readonly warnings: readonly string[];
  /** Algorithm-specific hyper-parameters of the final state. */
  readonly extra: SblExtra;
}
