/**
 * The Gaussian factor q(x) = N(μ, Σ) of variational Bayes for y = A x + e: with prior precisions
 * ⟨α⟩ (per coefficient) and noise precision ⟨β⟩ taken at their variational means,
 *
 *     Σ = (⟨β⟩ AᵀA + diag⟨α⟩)⁻¹,   μ = ⟨β⟩ Σ Aᵀy,
 *
 * which is the SBL posterior at γ = 1/⟨α⟩, σ² = 1/⟨β⟩. Besides μ and diag Σ the ELBO needs
 * log det Σ, tr(AᵀAΣ) and ‖y − Aμ‖², which both solvers here return.
 *
 * @module
 */
import { dsyev, dsyevWorkSize } from "../../kernels/eigen.js";
import { dkronmv, kronWorkSize } from "../../kernels/kronecker.js";
import { activeKernels } from "../../runtime/kernel_provider.js";
import { DenseEStep, type DenseMoments } from "../em/dense_estep.js";
import { HALF_LOG_2PI } from "../em/linalg.js";

/**
 * The moments of q(x) the coordinate updates and the ELBO read.
 *
 * @example
 * ```ts
 * const moments = allocateMoments(n);
 * solver.update(alphaMean, beta, moments);
 * ```
 */
export interface GaussianMoments {
  /** μ (length n). */
  readonly mean: Float64Array;
  /** diag Σ (length n). */
  readonly variance: Float64Array;
  /** log det Σ. */
  logDetCovariance: number;
  /** tr(AᵀA Σ). */
  traceGramCovariance: number;
  /** ‖y − Aμ‖². */
  residual2: number;
}

/**
 * Fresh moment buffers for n coefficients.
 *
 * @example
 * ```ts
 * const moments = allocateMoments(100);
 * ```
 */
export function allocateMoments(n: number): GaussianMoments {
  return {
    mean: new Float64Array(n),
    variance: new Float64Array(n),
    logDetCovariance: 0,
    traceGramCovariance: 0,
    residual2: 0,
  };
}

/**
 * Computes q(x) for given ⟨α⟩ and ⟨β⟩. The precisions come as factors whose Kronecker product is
 * the per-coefficient vector ⟨α⟩: one factor of length n for a dense solver, one per dictionary
 * factor for the Kronecker solver.
 *
 * @example
 * ```ts
 * solver.update([alphaMean], 1 / noiseVariance, moments);
 * ```
 */
export interface GaussianSolver {
  /** Which form runs: `'dense'` (x- or y-space, by flop count) or `'kronecker'`. */
  readonly form: "dense" | "kronecker";
  /**
   * Writes q(x) at precisions ⊗`alphaFactors` (all > 0) and noise precision `beta` into `out`.
   * A dense solver takes `keep` (1 = in the model): coefficients with 0 are pruned, that is
   * removed from the model, and get mean and variance 0 (the Kronecker solver keeps everything).
   */
  update(alphaFactors: readonly Float64Array[], beta: number, out: GaussianMoments, keep?: Uint8Array): void;
  /** Releases kernel-arena memory; the solver must not be used afterwards. */
  dispose(): void;
}

/**
 * A solver for a dense dictionary (m × n row-major): the exact E-step of the EM-SBL backend
 * (`DenseEStep`) with every column active, which picks the x-space (n × n) or y-space
 * (m × m, Woodbury) Cholesky by flop count. log det Σ is recovered from the log evidence it
 * returns: with C = σ²I + AΓAᵀ, log det Σ = m log σ² + Σ log γ − log det C and
 * log det C = −2 log N(y | 0, C) − m log 2π − yᵀC⁻¹y, yᵀC⁻¹y = ‖y − Aμ‖²/σ² + Σ μᵢ²/γᵢ.
 *
 * @example
 * ```ts
 * const solver = denseSolver(A, m, n, y);
 * ```
 */
export function denseSolver(A: Float64Array, m: number, n: number, y: Float64Array): GaussianSolver {
  const estep = new DenseEStep(activeKernels(), A, m, n, y);
  const cols = new Int32Array(n);
  for (let i = 0; i < n; i++) cols[i] = i;
  const factor = new Float64Array(n);
  const moments: DenseMoments = {
    mean: new Float64Array(n),
    cov: new Float64Array(n),
    logEvidence: 0,
    residual2: 0,
    trace: 0,
    form: "dual",
  };
  return {
    form: "dense",
    update(alphaFactors, beta, out, keep) {
      const alphaMean = alphaFactors[0];
      const sigma2 = 1 / beta;
      let k = 0;
      let sumLogGamma = 0;
      for (let i = 0; i < n; i++) {
        if (keep && keep[i] === 0) continue;
        cols[k] = i;
        factor[k] = 1 / Math.sqrt(alphaMean[i]);
        sumLogGamma -= Math.log(alphaMean[i]);
        k++;
      }
      estep.run({ cols: cols.subarray(0, k), factor: factor.subarray(0, k) }, sigma2, "auto", moments);
      out.mean.fill(0);
      out.variance.fill(0);
      let prior = 0;
      for (let p = 0; p < k; p++) {
        const i = cols[p];
        out.mean[i] = moments.mean[p];
        out.variance[i] = moments.cov[p];
        prior += moments.mean[p] * moments.mean[p] * alphaMean[i];
      }
      const quad = moments.residual2 * beta + prior;
      const logDetC = -2 * moments.logEvidence - 2 * m * HALF_LOG_2PI - quad;
      out.logDetCovariance = m * Math.log(sigma2) + sumLogGamma - logDetC;
      // tr(AᵀAΣ) = σ² Σᵢ (1 − ⟨αᵢ⟩Σᵢᵢ), the E-step's `trace` times σ².
      out.traceGramCovariance = sigma2 * moments.trace;
      out.residual2 = moments.residual2;
    },
    dispose: () => estep.dispose(),
  };
}

/**
 * A solver for A = A₁ ⊗ … ⊗ A_D when the precisions are Kronecker-structured too,
 * ⟨α⟩ = ⟨α⁽¹⁾⟩ ⊗ … ⊗ ⟨α⁽ᴰ⁾⟩ (the kronecker_ard prior). With G_d = diag(1/⟨α⁽ᵈ⁾⟩) and the small
 * eigendecompositions G_d^½ A_dᵀA_d G_d^½ = V_d Λ_d V_dᵀ (N_d × N_d each),
 *
 *     Σ = G^½ V (βΛ + I)⁻¹ Vᵀ G^½   with V = ⊗V_d, Λ = ⊗Λ_d, G = ⊗G_d,
 *     μ = (⊗ G_d^½V_d) [β (⊗ W_d)ᵀ y ⊘ (βλ + 1)],   W_d = A_d G_d^½ V_d,
 *     diag Σ = (⊗ (G_d^½V_d)∘²) (1 ⊘ (βλ + 1)),
 *     log det Σ = Σ log g − Σ_k log(βλ_k + 1),   tr(AᵀAΣ) = Σ_k λ_k / (βλ_k + 1),
 *
 * so an update costs Σ N_d³ + a few Kronecker products, never forming A or Σ.
 *
 * @param factors row-major factors A_d (rows[d] × cols[d])
 * @example
 * ```ts
 * const solver = kroneckerSolver([A1, A2], Int32Array.of(4, 5), Int32Array.of(6, 8), y);
 * solver.update([alpha1, alpha2], beta, moments);
 * ```
 */
export function kroneckerSolver(
  factors: readonly Float64Array[],
  rows: Int32Array,
  cols: Int32Array,
  y: Float64Array,
): GaussianSolver {
  const D = factors.length;
  const n = cols.reduce((a, b) => a * b, 1);
  const m = rows.reduce((a, b) => a * b, 1);
  const gram = factors.map((A, d) => {
    const M = rows[d];
    const N = cols[d];
    const G = new Float64Array(N * N);
    for (let r = 0; r < M; r++) {
      for (let i = 0; i < N; i++) {
        const ai = A[r * N + i];
        if (ai === 0) continue;
        for (let j = 0; j <= i; j++) G[i * N + j] += ai * A[r * N + j];
      }
    }
    return G;
  });
  const scaledGram = gram.map((G) => new Float64Array(G.length));
  const lambda = Array.from(cols, (N) => new Float64Array(N));
  const V = Array.from(cols, (N) => new Float64Array(N * N));
  const GV = Array.from(cols, (N) => new Float64Array(N * N));
  const GV2 = Array.from(cols, (N) => new Float64Array(N * N));
  const W = factors.map((_, d) => new Float64Array(rows[d] * cols[d]));
  const eigWork = Array.from(cols, (N) => new Float64Array(dsyevWorkSize(N)));
  const squareDims = Int32Array.from(cols);
  const work = new Float64Array(Math.max(kronWorkSize(D, rows, cols), kronWorkSize(D, squareDims, squareDims)));
  const lambdaAll = new Float64Array(n);
  const u = new Float64Array(n);
  const weights = new Float64Array(n);
  const fitted = new Float64Array(m);
  const sqrtG = Array.from(cols, (N) => new Float64Array(N));
  const expanded = Array.from(cols, (N) => new Float64Array(N));

  const update = (alphaFactors: readonly Float64Array[], beta: number, out: GaussianMoments) => {
    let logDetG = 0;
    for (let d = 0; d < D; d++) {
      const N = cols[d];
      const M = rows[d];
      const g = sqrtG[d];
      let sumLog = 0;
      for (let i = 0; i < N; i++) {
        g[i] = 1 / Math.sqrt(alphaFactors[d][i]);
        sumLog -= Math.log(alphaFactors[d][i]);
      }
      // Each factor's log g_j appears n / N_d times in Σ log g.
      logDetG += (n / N) * sumLog;
      const B = scaledGram[d];
      const G = gram[d];
      for (let i = 0; i < N; i++) for (let j = 0; j <= i; j++) B[i * N + j] = g[i] * G[i * N + j] * g[j];
      dsyev(N, B, N, lambda[d], V[d], N, eigWork[d]);
      // Rounding can leave tiny negative eigenvalues of a PSD matrix.
      for (let k = 0; k < N; k++) if (lambda[d][k] < 0) lambda[d][k] = 0;
      const gv = GV[d];
      const gv2 = GV2[d];
      for (let i = 0; i < N; i++) {
        for (let k = 0; k < N; k++) {
          const v = g[i] * V[d][i * N + k];
          gv[i * N + k] = v;
          gv2[i * N + k] = v * v;
        }
      }
      const Wd = W[d];
      const A = factors[d];
      for (let r = 0; r < M; r++) {
        for (let k = 0; k < N; k++) {
          let s = 0;
          for (let i = 0; i < N; i++) s += A[r * N + i] * gv[i * N + k];
          Wd[r * N + k] = s;
        }
      }
      expanded[d].set(lambda[d]);
    }
    kronProduct(expanded, cols, lambdaAll);
    dkronmv("T", D, rows, cols, W, y, u, work);
    let logDetInner = 0;
    let trace = 0;
    for (let k = 0; k < n; k++) {
      const denom = beta * lambdaAll[k] + 1;
      weights[k] = 1 / denom;
      u[k] *= beta / denom;
      logDetInner += Math.log(denom);
      trace += lambdaAll[k] / denom;
    }
    dkronmv("N", D, squareDims, squareDims, GV, u, out.mean, work);
    dkronmv("N", D, squareDims, squareDims, GV2, weights, out.variance, work);
    dkronmv("N", D, rows, cols, factors, out.mean, fitted, work);
    let r2 = 0;
    for (let i = 0; i < m; i++) r2 += (y[i] - fitted[i]) ** 2;
    out.residual2 = r2;
    out.logDetCovariance = logDetG - logDetInner;
    out.traceGramCovariance = trace;
  };

  return {
    form: "kronecker",
    update,
    dispose() {},
  };
}

/**
 * out ← v₁ ⊗ … ⊗ v_D (numpy.kron order: the last factor's index varies fastest), in place in
 * `out` (length Π lens).
 *
 * @example
 * ```ts
 * const out = new Float64Array(4);
 * kronProduct([Float64Array.of(1, 2), Float64Array.of(3, 4)], [2, 2], out); // [3, 4, 6, 8]
 * ```
 */
export function kronProduct(vs: readonly Float64Array[], lens: ArrayLike<number>, out: Float64Array): void {
  let len = 1;
  out[0] = 1;
  for (let d = 0; d < vs.length; d++) {
    const v = vs[d];
    const k = lens[d];
    // Expand in place from the back so unread entries are never overwritten.
    for (let t = len - 1; t >= 0; t--) {
      const c = out[t];
      for (let j = k - 1; j >= 0; j--) out[t * k + j] = c * v[j];
    }
    len *= k;
  }
}
