/**
 * The exact Gaussian E-step of dense SBL models: for y = A x + e, e ~ N(0, σ² I) and a
 * block-diagonal prior x_S ~ N(0, R Rᵀ) on the active columns S (R lower triangular per block;
 * a diagonal prior is the case of 1 × 1 blocks with R = √γ), it computes the posterior mean, the
 * diagonal blocks of the posterior covariance, the log evidence log N(y | 0, σ² I + A R Rᵀ Aᵀ),
 * ‖y − Aμ‖² and tr(A Σ₀ Aᵀ C⁻¹) (for the noise update).
 *
 * Two algebraically equal forms, chosen by flop count for every call:
 * - dual (y-space, Woodbury): C = σ² I + B Bᵀ with B = A_S R (m × m Cholesky, 2m²k + m³/3 flops);
 * - primal (x-space): H = I + B̄ᵀ B̄ with B̄ = B/σ (k × k Cholesky, about k³/2 flops), using a
 *   cached Gram matrix A_Sᵀ A_S that shrinking active sets only sub-select (never recompute).
 * Both factor well-conditioned matrices (eigenvalues ≥ σ² and ≥ 1), so pruned or huge
 * hyper-parameters do not hurt the factorisation.
 *
 * @module
 */
import type { KernelSet } from "../../kernels/kernel_set.js";
import { allocFloat64, releaseArray } from "../../runtime/kernel_provider.js";
import {
  backwardSolveTransposed,
  choleskyLower,
  forwardSolve,
  HALF_LOG_2PI,
  invertLower,
  logDetFromCholesky,
  trsmLower,
} from "./linalg.js";

/**
 * The prior on the active columns: `cols` lists them (blocks contiguous), `blockStarts` (length
 * nb + 1) gives block boundaries as positions in `cols` (undefined: every column its own block),
 * `factor` holds √γ per column (singletons) or the packed row-major lower factors of the blocks.
 *
 * @example
 * ```ts
 * const prior: DensePrior = { cols: Int32Array.of(0, 3), factor: Float64Array.of(1, 0.5) };
 * ```
 */
export interface DensePrior {
  /** Active column indices of A, k of them. */
  readonly cols: Int32Array;
  /** Block boundaries (positions in cols), or undefined for a diagonal prior. */
  readonly blockStarts?: Int32Array;
  /** Square roots of the prior variances (diagonal prior) or packed lower block factors. */
  readonly factor: Float64Array;
}

/**
 * What one E-step writes (arrays preallocated by the caller, length ≥ k or Σ d_b²).
 *
 * @example
 * ```ts
 * estep.run(prior, 0.01, "auto", out); out.logEvidence;
 * ```
 */
export interface DenseMoments {
  /** Posterior mean on the active columns. */
  readonly mean: Float64Array;
  /** Posterior covariance: its diagonal (diagonal prior) or the packed diagonal blocks. */
  readonly cov: Float64Array;
  /** log N(y | 0, C). */
  logEvidence: number;
  /** ‖y − A μ‖². */
  residual2: number;
  /** tr(A Σ₀ Aᵀ C⁻¹) = Σ_j (1 − Σ_jj/γ_j) for a diagonal prior. */
  trace: number;
  /** Which form ran. */
  form: "primal" | "dual";
}

/**
 * A reusable E-step for one dense dictionary (m × N row-major) and data y.
 *
 * @example
 * ```ts
 * const estep = new DenseEStep(activeKernels(), A, m, n, y);
 * const out = { mean: new Float64Array(n), cov: new Float64Array(n), logEvidence: 0, residual2: 0, trace: 0, form: "dual" as const };
 * estep.run({ cols, factor: sqrtGamma }, 0.01, "auto", out);
 * ```
 */
export class DenseEStep {
  /** Rows. */
  readonly m: number;
  /** Columns. */
  readonly N: number;
  private readonly kernels: KernelSet;
  private readonly A: Float64Array;
  private readonly y: Float64Array;
  private readonly aty: Float64Array;
  private readonly yy: number;
  private readonly owned: Float64Array[] = [];
  private bufB: Float64Array | undefined;
  private bufC: Float64Array | undefined;
  private bufH: Float64Array | undefined;
  private bufX: Float64Array | undefined;
  private gram: Float64Array | undefined;
  private gramSize = 0;
  /** Position of each column of A in the cached Gram matrix, −1 when absent. */
  private readonly gramPos: Int32Array;
  private readonly z: Float64Array;
  private readonly u: Float64Array;
  private readonly w: Float64Array;
  private blockGram: Float64Array;

  constructor(kernels: KernelSet, A: Float64Array, m: number, N: number, y: Float64Array) {
    this.kernels = kernels;
    this.A = A;
    this.m = m;
    this.N = N;
    this.y = y;
    this.aty = new Float64Array(N);
    kernels.dgemv("T", m, N, 1, A, N, 0, y, 1, 0, 0, this.aty, 1, 0);
    let yy = 0;
    for (let i = 0; i < m; i++) yy += y[i] * y[i];
    this.yy = yy;
    this.gramPos = new Int32Array(N).fill(-1);
    this.z = new Float64Array(m);
    this.u = new Float64Array(N);
    this.w = new Float64Array(N);
    this.blockGram = new Float64Array(N);
  }

  /** Scratch for the per-block Gram matrices (Σ d_b² numbers). */
  private blockScratch(prior: DensePrior): Float64Array {
    const starts = prior.blockStarts;
    let total = prior.cols.length;
    if (starts) {
      total = 0;
      for (let b = 0; b + 1 < starts.length; b++) total += (starts[b + 1] - starts[b]) ** 2;
    }
    if (this.blockGram.length < total) this.blockGram = new Float64Array(total);
    return this.blockGram;
  }

  /** Gives kernel-arena buffers back; the object must not be used afterwards. */
  dispose(): void {
    for (const b of this.owned) releaseArray(b);
    this.owned.length = 0;
  }

  /** The named scratch buffer, grown to at least n numbers. */
  private take(name: "bufB" | "bufC" | "bufH" | "bufX" | "gram", n: number): Float64Array {
    const b = this.buffer(this[name], n);
    this[name] = b;
    return b;
  }

  /** A buffer of at least n numbers from the kernel arena, reused while large enough. */
  private buffer(current: Float64Array | undefined, n: number): Float64Array {
    if (current && current.length >= n) return current;
    if (current) {
      releaseArray(current);
      this.owned.splice(this.owned.indexOf(current), 1);
    }
    const b = allocFloat64(Math.max(n, 1));
    this.owned.push(b);
    return b;
  }

  /** Flop estimates of the two forms for k active columns (the Gram build counted when not cached). */
  private costs(cols: Int32Array): { primal: number; dual: number } {
    const k = cols.length;
    const m = this.m;
    let cached = this.gram !== undefined;
    if (cached) for (let p = 0; p < k && cached; p++) cached = this.gramPos[cols[p]] >= 0;
    const primal = (k * k * k) / 2 + (cached ? 0 : k * k * m);
    const dual = 2 * m * m * k + (m * m * m) / 3;
    return { primal, dual };
  }

  /**
   * Runs the E-step for the given prior and noise variance, writing into `out`.
   *
   * @example
   * ```ts
   * estep.run({ cols, factor }, sigma2, "auto", out); out.logEvidence;
   * ```
   */
  run(prior: DensePrior, sigma2: number, form: "auto" | "primal" | "dual", out: DenseMoments): void {
    const k = prior.cols.length;
    if (k === 0) {
      out.logEvidence = -this.m * HALF_LOG_2PI - 0.5 * this.m * Math.log(sigma2) - (0.5 * this.yy) / sigma2;
      out.residual2 = this.yy;
      out.trace = 0;
      out.form = "dual";
      return;
    }
    let usePrimal: boolean;
    if (form === "auto") {
      const c = this.costs(prior.cols);
      usePrimal = c.primal < c.dual;
    } else {
      usePrimal = form === "primal";
    }
    if (usePrimal) this.primal(prior, sigma2, out);
    else this.dual(prior, sigma2, out);
  }

  /** B = A_S R (m × k, row-major). */
  private buildB(prior: DensePrior, B: Float64Array): void {
    const { cols, factor, blockStarts } = prior;
    const k = cols.length;
    const { A, N, m } = this;
    if (!blockStarts) {
      for (let i = 0; i < m; i++) {
        const ai = i * N;
        const bi = i * k;
        for (let p = 0; p < k; p++) B[bi + p] = A[ai + cols[p]] * factor[p];
      }
      return;
    }
    const nb = blockStarts.length - 1;
    for (let i = 0; i < m; i++) {
      const ai = i * N;
      const bi = i * k;
      let off = 0;
      for (let b = 0; b < nb; b++) {
        const p0 = blockStarts[b];
        const d = blockStarts[b + 1] - p0;
        for (let t = 0; t < d; t++) {
          let s = 0;
          for (let q = t; q < d; q++) s += A[ai + cols[p0 + q]] * factor[off + q * d + t];
          B[bi + p0 + t] = s;
        }
        off += d * d;
      }
    }
  }

  /** μ = R v and Σ_b = R_b G_b R_bᵀ from per-block Gram-like matrices G (packed, or a diagonal). */
  private finishMoments(prior: DensePrior, v: Float64Array, G: Float64Array, out: DenseMoments): void {
    const { factor, blockStarts } = prior;
    const k = prior.cols.length;
    if (!blockStarts) {
      for (let p = 0; p < k; p++) {
        const r = factor[p];
        out.mean[p] = r * v[p];
        out.cov[p] = r * r * G[p];
      }
      return;
    }
    const nb = blockStarts.length - 1;
    let off = 0;
    for (let b = 0; b < nb; b++) {
      const p0 = blockStarts[b];
      const d = blockStarts[b + 1] - p0;
      for (let t = 0; t < d; t++) {
        let s = 0;
        for (let q = 0; q <= t; q++) s += factor[off + t * d + q] * v[p0 + q];
        out.mean[p0 + t] = s;
      }
      // cov_b = R G Rᵀ: (R G)[t][q] = Σ_{s ≤ t} R[t][s] G[s][q]
      for (let t = 0; t < d; t++) {
        for (let q = 0; q < d; q++) {
          let acc = 0;
          for (let s1 = 0; s1 <= t; s1++) {
            const rts = factor[off + t * d + s1];
            for (let s2 = 0; s2 <= q; s2++) acc += rts * G[off + s1 * d + s2] * factor[off + q * d + s2];
          }
          out.cov[off + t * d + q] = acc;
        }
      }
      off += d * d;
    }
  }

  private dual(prior: DensePrior, sigma2: number, out: DenseMoments): void {
    const { kernels, m } = this;
    const k = prior.cols.length;
    const B = this.take("bufB", m * k);
    const C = this.take("bufC", m * m);
    this.buildB(prior, B);
    kernels.dsyrk("L", "N", m, k, 1, B, k, 0, 0, C, m, 0);
    for (let i = 0; i < m; i++) C[i * m + i] += sigma2;
    choleskyLower(kernels, m, C, m, "em-sbl (y-space E-step)");
    const z = this.z;
    z.set(this.y.subarray(0, m));
    forwardSolve(m, C, m, z);
    trsmLower(kernels, m, C, m, B, k, k);
    const u = this.u;
    kernels.dgemv("T", m, k, 1, B, k, 0, z, 1, 0, 0, u, 1, 0);
    // G = I − VᵀV restricted to the diagonal blocks; T = ‖V‖²_F.
    const G = this.blockScratch(prior);
    const blockStarts = prior.blockStarts;
    let trace = 0;
    if (!blockStarts) {
      G.fill(0, 0, k);
      for (let i = 0; i < m; i++) {
        const bi = i * k;
        for (let p = 0; p < k; p++) {
          const v = B[bi + p];
          G[p] += v * v;
        }
      }
      for (let p = 0; p < k; p++) {
        trace += G[p];
        G[p] = 1 - G[p];
      }
    } else {
      const nb = blockStarts.length - 1;
      let total = 0;
      for (let b = 0; b < nb; b++) {
        const d = blockStarts[b + 1] - blockStarts[b];
        total += d * d;
      }
      G.fill(0, 0, total);
      for (let i = 0; i < m; i++) {
        const bi = i * k;
        let off = 0;
        for (let b = 0; b < nb; b++) {
          const p0 = blockStarts[b];
          const d = blockStarts[b + 1] - p0;
          for (let t = 0; t < d; t++) {
            const vt = B[bi + p0 + t];
            for (let q = 0; q < d; q++) G[off + t * d + q] += vt * B[bi + p0 + q];
          }
          off += d * d;
        }
      }
      let off = 0;
      for (let b = 0; b < nb; b++) {
        const d = blockStarts[b + 1] - blockStarts[b];
        for (let t = 0; t < d; t++) {
          for (let q = 0; q < d; q++) {
            const g = G[off + t * d + q];
            if (t === q) trace += g;
            G[off + t * d + q] = (t === q ? 1 : 0) - g;
          }
        }
        off += d * d;
      }
    }
    this.finishMoments(prior, u, G, out);
    let quad = 0;
    for (let i = 0; i < m; i++) quad += z[i] * z[i];
    const logDet = logDetFromCholesky(m, C, m);
    backwardSolveTransposed(m, C, m, z);
    let r2 = 0;
    for (let i = 0; i < m; i++) r2 += z[i] * z[i];
    out.residual2 = sigma2 * sigma2 * r2;
    out.trace = trace;
    out.logEvidence = -m * HALF_LOG_2PI - 0.5 * logDet - 0.5 * quad;
    out.form = "dual";
  }

  /** Makes sure the cached Gram matrix holds every active column. */
  private ensureGram(cols: Int32Array): void {
    let cached = this.gram !== undefined;
    if (cached) for (let p = 0; p < cols.length && cached; p++) cached = this.gramPos[cols[p]] >= 0;
    if (cached) return;
    const { kernels, m, A, N } = this;
    const k = cols.length;
    const As = this.take("bufB", m * k);
    for (let i = 0; i < m; i++) {
      const ai = i * N;
      const bi = i * k;
      for (let p = 0; p < k; p++) As[bi + p] = A[ai + cols[p]];
    }
    const G = this.take("gram", k * k);
    kernels.dsyrk("L", "T", k, m, 1, As, k, 0, 0, G, k, 0);
    this.gramPos.fill(-1);
    for (let p = 0; p < k; p++) this.gramPos[cols[p]] = p;
    this.gramSize = k;
  }

  /** H = I + R̄ᵀ A_Sᵀ A_S R̄ with R̄ = R/σ, full k × k, from the cached Gram matrix. */
  private buildH(prior: DensePrior, sigma2: number, H: Float64Array): void {
    const { cols, factor, blockStarts } = prior;
    const k = cols.length;
    this.ensureGram(cols);
    const G = this.gram!;
    const kg = this.gramSize;
    const pos = this.gramPos;
    const sigma = Math.sqrt(sigma2);
    if (!blockStarts) {
      for (let p = 0; p < k; p++) {
        const gp = pos[cols[p]];
        const sp = factor[p] / sigma;
        for (let q = 0; q <= p; q++) {
          const gq = pos[cols[q]];
          const g = gp >= gq ? G[gp * kg + gq] : G[gq * kg + gp];
          const h = sp * (factor[q] / sigma) * g;
          H[p * k + q] = h;
          H[q * k + p] = h;
        }
      }
    } else {
      for (let p = 0; p < k; p++) {
        const gp = pos[cols[p]];
        for (let q = 0; q < k; q++) {
          const gq = pos[cols[q]];
          H[p * k + q] = gp >= gq ? G[gp * kg + gq] : G[gq * kg + gp];
        }
      }
      this.applyFactor(prior, H, k, 1 / sigma);
    }
    for (let p = 0; p < k; p++) H[p * k + p] += 1;
  }

  /** W ← (cR)ᵀ W (cR) for a full k × k W and the block-diagonal lower factor R of the prior. */
  private applyFactor(prior: DensePrior, W: Float64Array, k: number, c: number): void {
    const { factor, blockStarts } = prior;
    const starts = blockStarts!;
    const nb = starts.length - 1;
    const tmp = this.u;
    // Columns: W[:, block] ← W[:, block] R_b; then rows: W[block, :] ← R_bᵀ W[block, :].
    let off = 0;
    for (let b = 0; b < nb; b++) {
      const p0 = starts[b];
      const d = starts[b + 1] - p0;
      for (let r = 0; r < k; r++) {
        for (let t = 0; t < d; t++) {
          let s = 0;
          for (let q = t; q < d; q++) s += W[r * k + p0 + q] * factor[off + q * d + t];
          tmp[t] = s * c;
        }
        for (let t = 0; t < d; t++) W[r * k + p0 + t] = tmp[t];
      }
      off += d * d;
    }
    off = 0;
    for (let b = 0; b < nb; b++) {
      const p0 = starts[b];
      const d = starts[b + 1] - p0;
      for (let col = 0; col < k; col++) {
        for (let t = 0; t < d; t++) {
          let s = 0;
          for (let q = t; q < d; q++) s += factor[off + q * d + t] * W[(p0 + q) * k + col];
          tmp[t] = s * c;
        }
        for (let t = 0; t < d; t++) W[(p0 + t) * k + col] = tmp[t];
      }
      off += d * d;
    }
  }

  /**
   * The full posterior covariance on the active columns (k × k row-major), exactly:
   * Σ = R (I + R̄ᵀ A_Sᵀ A_S R̄)⁻¹ Rᵀ.
   *
   * @example
   * ```ts
   * const S = estep.covariance({ cols, factor }, sigma2); // k·k numbers
   * ```
   */
  covariance(prior: DensePrior, sigma2: number): Float64Array {
    const k = prior.cols.length;
    const out = new Float64Array(k * k);
    if (k === 0) return out;
    const { kernels } = this;
    const H = this.take("bufH", k * k);
    this.buildH(prior, sigma2, H);
    choleskyLower(kernels, k, H, k, "em-sbl (covariance)");
    const X = this.take("bufX", k * k);
    invertLower(kernels, k, H, k, X);
    // H⁻¹ = Xᵀ X (X = L⁻¹ lower triangular).
    for (let p = 0; p < k; p++) {
      for (let q = 0; q <= p; q++) {
        let s = 0;
        for (let r = p; r < k; r++) s += X[r * k + p] * X[r * k + q];
        out[p * k + q] = s;
        out[q * k + p] = s;
      }
    }
    if (!prior.blockStarts) {
      for (let p = 0; p < k; p++) {
        for (let q = 0; q < k; q++) out[p * k + q] *= prior.factor[p] * prior.factor[q];
      }
    } else {
      // Σ = R H⁻¹ Rᵀ, block by block.
      this.applyFactorLeftRight(prior, out, k);
    }
    return out;
  }

  /** W ← R W Rᵀ for the block-diagonal lower factor R. */
  private applyFactorLeftRight(prior: DensePrior, W: Float64Array, k: number): void {
    const { factor, blockStarts } = prior;
    const starts = blockStarts!;
    const nb = starts.length - 1;
    const tmp = this.u;
    let off = 0;
    for (let b = 0; b < nb; b++) {
      const p0 = starts[b];
      const d = starts[b + 1] - p0;
      // rows: W[block, :] ← R_b W[block, :]
      for (let col = 0; col < k; col++) {
        for (let t = 0; t < d; t++) {
          let s = 0;
          for (let q = 0; q <= t; q++) s += factor[off + t * d + q] * W[(p0 + q) * k + col];
          tmp[t] = s;
        }
        for (let t = 0; t < d; t++) W[(p0 + t) * k + col] = tmp[t];
      }
      // columns: W[:, block] ← W[:, block] R_bᵀ
      for (let r = 0; r < k; r++) {
        for (let t = 0; t < d; t++) {
          let s = 0;
          for (let q = 0; q <= t; q++) s += W[r * k + p0 + q] * factor[off + t * d + q];
          tmp[t] = s;
        }
        for (let t = 0; t < d; t++) W[r * k + p0 + t] = tmp[t];
      }
      off += d * d;
    }
  }

  private primal(prior: DensePrior, sigma2: number, out: DenseMoments): void {
    const { kernels, m, N, A } = this;
    const { cols, factor, blockStarts } = prior;
    const k = cols.length;
    const H = this.take("bufH", k * k);
    const sigma = Math.sqrt(sigma2);
    this.buildH(prior, sigma2, H);
    choleskyLower(kernels, k, H, k, "em-sbl (x-space E-step)");
    // v = R̄ᵀ (Aᵀy)_S / σ; w = H⁻¹ v.
    const w = this.w;
    if (!blockStarts) {
      for (let p = 0; p < k; p++) w[p] = (factor[p] / sigma) * (this.aty[cols[p]] / sigma);
    } else {
      const nb = blockStarts.length - 1;
      let off = 0;
      for (let b = 0; b < nb; b++) {
        const p0 = blockStarts[b];
        const d = blockStarts[b + 1] - p0;
        for (let t = 0; t < d; t++) {
          let s = 0;
          for (let q = t; q < d; q++) s += factor[off + q * d + t] * this.aty[cols[p0 + q]];
          w[p0 + t] = s / sigma2;
        }
        off += d * d;
      }
    }
    forwardSolve(k, H, k, w);
    backwardSolveTransposed(k, H, k, w);
    let ww = 0;
    for (let p = 0; p < k; p++) ww += w[p] * w[p];
    const X = this.take("bufX", k * k);
    invertLower(kernels, k, H, k, X);
    // Diagonal blocks of H⁻¹ = L⁻ᵀ L⁻¹: (H⁻¹)_pq = Σ_r X[r][p] X[r][q], r ≥ max(p, q).
    const Gb = this.blockScratch(prior);
    let traceHinv = 0;
    if (!blockStarts) {
      Gb.fill(0, 0, k);
      for (let r = 0; r < k; r++) {
        const xr = r * k;
        for (let p = 0; p <= r; p++) {
          const v = X[xr + p];
          Gb[p] += v * v;
        }
      }
      for (let p = 0; p < k; p++) traceHinv += Gb[p];
    } else {
      const nb = blockStarts.length - 1;
      let off = 0;
      for (let b = 0; b < nb; b++) {
        const p0 = blockStarts[b];
        const d = blockStarts[b + 1] - p0;
        for (let t = 0; t < d; t++) {
          for (let q = 0; q < d; q++) {
            let s = 0;
            for (let r = p0 + Math.max(t, q); r < k; r++) s += X[r * k + p0 + t] * X[r * k + p0 + q];
            Gb[off + t * d + q] = s;
            if (t === q) traceHinv += s;
          }
        }
        off += d * d;
      }
    }
    // Σ = R H⁻¹ Rᵀ: finishMoments applies R on both sides; μ = R w.
    this.finishMoments(prior, w, Gb, out);
    let r2 = 0;
    for (let i = 0; i < m; i++) {
      const ai = i * N;
      let s = this.y[i];
      for (let p = 0; p < k; p++) s -= A[ai + cols[p]] * out.mean[p];
      r2 += s * s;
    }
    const logDet = m * Math.log(sigma2) + logDetFromCholesky(k, H, k);
    out.residual2 = r2;
    out.trace = k - traceHinv;
    out.logEvidence = -m * HALF_LOG_2PI - 0.5 * logDet - 0.5 * (r2 / sigma2 + ww);
    out.form = "primal";
  }
}
