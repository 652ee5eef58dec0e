/**
 * Kronecker-structured SBL (KroSBL; He & Joseph, "Bayesian algorithms for Kronecker-structured
 * sparse vector recovery with application to IRS-MIMO channel estimation", IEEE TSP 2024,
 * arXiv 2307.14719), real or circular complex, with the AM and SVD M-steps and the
 * pattern-coupled (block-sparse) extension.
 *
 * Model: y = (A₁ ⊗ … ⊗ A_D) x + e with prior variances γ = g₁ ⊗ … ⊗ g_D.
 *
 * E-step, never forming A, the n × n covariance or even the m × m one. With
 * K_d = A_d G_d A_dᴴ = U_d diag(p_d) U_dᴴ (one small eigendecomposition per factor),
 *
 *     C = σ² I + ⊗K_d = (⊗U_d) diag(den) (⊗U_d)ᴴ,    den = σ² + p₁ ⊗ … ⊗ p_D,
 *     z = (⊗U_d)ᴴ y,   μ = (⊗W_d) (z / den)   with W_d = G_d A_dᴴ U_d,
 *     Σ_ii = γ_i − [(⊗|W_d|²) (1/den)]_i,
 *     log|C| = Σ log den,   yᴴC⁻¹y = Σ |z|²/den,   ‖y − Aμ‖² = σ⁴ Σ |z/den|²,
 *
 * so one iteration costs Σ M_d³ + O((m + n) Σ M_d) flops and O(Σ M_d N_d + m + n) memory.
 *
 * M-step: with Λ_i = |μ_i|² + Σ_ii, EM maximises −Σ_i (log γ_i + Λ_i/γ_i) over Kronecker γ.
 * - AM: exact block-coordinate ascent, g_d[j] = mean over the slice i_d = j of Λ / Π_{e≠d} g_e,
 *   repeated until the product stops changing; each factor but the last is then normalised to
 *   unit norm (the product is unchanged). Its fixed points are stationary points of the evidence
 *   restricted to Kronecker-structured γ.
 * - SVD: the rank-one fit of the tensor Λ by sequential SVDs of its unfoldings (top singular
 *   vector of the mode-1 unfolding, then of the scaled right singular vector, …), as in the paper.
 * - Coupled AM (block-sparse extension, `coupling[d] = β > 0`): factor d's variances are
 *   γ_d = C_d g with C_d tridiagonal (1 on the diagonal, β beside it) and g ≥ 0 the non-negative
 *   least-squares fit of C_d g to the AM target, so neighbouring entries rise and fall together.
 * Noise (learned): σ² ← (‖y − Aμ‖² + σ² Σ p/den) / m.
 *
 * @module
 */
import { CapabilityError } from "../../core/errors.js";
import { dsyev, dsyevWorkSize } from "../../kernels/eigen.js";
import { dkronmv, kronWorkSize, zkronmv } from "../../kernels/kronecker.js";
import { activeKernels } from "../../runtime/kernel_provider.js";
import { idleInfo, realForm, stepInfo } from "./ard.js";
import { DEFAULT_NOISE_FLOOR, relativeChange, updateNoise, zeroDataState } from "./common.js";
import { DenseEStep } from "./dense_estep.js";
import { hermitianEigen } from "./hermitian_eigen.js";
import { HALF_LOG_2PI } from "./linalg.js";
import { type NormalizedProblem, normalizeProblem } from "./problem.js";
import type { SblChoices, SblKernel, SblProblem, SblState } from "./types.js";

/** Scratch and data of one bound Kronecker problem. */
interface KroBinding {
  readonly p: NormalizedProblem;
  readonly D: number;
  readonly rows: Int32Array;
  readonly cols: Int32Array;
  readonly factors: readonly Float64Array[];
  readonly coupling: Float64Array;
  /** Per factor: active sub-dictionary, K_d, eigenvalues, eigenvectors, W_d, |W_d|². */
  readonly sub: Float64Array[];
  readonly K: Float64Array[];
  readonly eig: Float64Array[];
  readonly U: Float64Array[];
  readonly W: Float64Array[];
  readonly W2: Float64Array[];
  readonly eigWork: Float64Array[];
  readonly z: Float64Array;
  readonly den: Float64Array;
  readonly invDen: Float64Array;
  readonly scaled: Float64Array;
  readonly meanAct: Float64Array;
  readonly varAct: Float64Array;
  readonly kronWork: Float64Array;
  readonly ping: Float64Array;
  readonly pong: Float64Array;
}

/** Active indices (g > 0) of one factor. */
function activeOf(g: Float64Array): Int32Array {
  let c = 0;
  for (let i = 0; i < g.length; i++) if (g[i] > 0) c++;
  const out = new Int32Array(c);
  c = 0;
  for (let i = 0; i < g.length; i++) if (g[i] > 0) out[c++] = i;
  return out;
}

/** out ← v₁ ⊗ … ⊗ v_D (lengths from `lens`), using ping/pong scratch; returns the length. */
function kronVectors(
  vs: readonly Float64Array[],
  lens: ArrayLike<number>,
  out: Float64Array,
  tmp: Float64Array,
): number {
  const D = vs.length;
  let len = 1;
  // Alternate so that the last product lands in `out`.
  let cur = D % 2 === 0 ? out : tmp;
  let nxt = D % 2 === 0 ? tmp : out;
  cur[0] = 1;
  for (let d = 0; d < D; d++) {
    const v = vs[d];
    const k = lens[d];
    for (let t = len - 1; t >= 0; t--) {
      const c = cur[t];
      for (let j = 0; j < k; j++) nxt[t * k + j] = c * v[j];
    }
    len *= k;
    const s = cur;
    cur = nxt;
    nxt = s;
  }
  return len;
}

/** Full indices of the active Kronecker sub-grid, in tensor order. */
function activeFullIndex(actives: readonly Int32Array[], cols: Int32Array): Int32Array {
  let idx = Int32Array.of(0);
  for (let d = 0; d < actives.length; d++) {
    const a = actives[d];
    const next = new Int32Array(idx.length * a.length);
    for (let t = 0; t < idx.length; t++) {
      const base = idx[t] * cols[d];
      for (let j = 0; j < a.length; j++) next[t * a.length + j] = base + a[j];
    }
    idx = next;
  }
  return idx;
}

function bind(p: NormalizedProblem): KroBinding {
  const dict = p.dictionary;
  if (dict.kind !== "kronecker") {
    throw new CapabilityError({
      where: "em-sbl",
      what: "KroSBL needs a Kronecker-structured dictionary",
      got: "a dense or sparse operator",
      hint: "pass A as { factors: [A1, A2, ...] }, or use algorithm 'em'.",
    });
  }
  const { rows, cols, factors } = dict;
  const D = rows.length;
  const c = p.complex ? 2 : 1;
  const coupling = p.prior.kind === "kronecker_ard" ? p.prior.coupling : new Float64Array(D);
  const m = p.m;
  const n = p.n;
  // Room for products with A_d-shaped (M × N, N × M) and U_d-shaped (M × M) factors.
  const real = Math.max(kronWorkSize(D, rows, cols), kronWorkSize(D, rows, rows));
  const work = c === 2 ? 2 * real : real;
  return {
    p,
    D,
    rows,
    cols,
    factors,
    coupling,
    sub: Array.from(rows, (M, d) => new Float64Array(c * M * cols[d])),
    K: Array.from(rows, (M) => new Float64Array(c * M * M)),
    eig: Array.from(rows, (M) => new Float64Array(M)),
    U: Array.from(rows, (M) => new Float64Array(c * M * M)),
    W: Array.from(rows, (M, d) => new Float64Array(c * M * cols[d])),
    W2: Array.from(rows, (M, d) => new Float64Array(M * cols[d])),
    eigWork: Array.from(rows, (M) => new Float64Array(dsyevWorkSize(M))),
    z: new Float64Array(c * m),
    den: new Float64Array(m),
    invDen: new Float64Array(m),
    scaled: new Float64Array(c * m),
    meanAct: new Float64Array(c * n),
    varAct: new Float64Array(n),
    kronWork: new Float64Array(Math.max(work, 1)),
    ping: new Float64Array(Math.max(m, n)),
    pong: new Float64Array(Math.max(m, n)),
  };
}

/** The E-step at factor variances `gs` (full length N_d, 0 = pruned) and σ²; returns the state. */
function evaluate(b: KroBinding, gs: readonly Float64Array[], sigma2: number, iteration: number): SblState {
  const { p, D, rows, cols, factors } = b;
  const complex = p.complex;
  const c = complex ? 2 : 1;
  const actives = gs.map(activeOf);
  const ks = Int32Array.from(actives, (a) => a.length);
  const gAct = actives.map((a, d) => Float64Array.from(a, (i) => gs[d][i]));
  for (let d = 0; d < D; d++) {
    const M = rows[d];
    const N = cols[d];
    const k = ks[d];
    const A = factors[d];
    const act = actives[d];
    const g = gAct[d];
    const S = b.sub[d];
    for (let i = 0; i < M; i++) {
      for (let q = 0; q < k; q++) {
        const src = c * (i * N + act[q]);
        const dst = c * (i * k + q);
        S[dst] = A[src];
        if (complex) S[dst + 1] = A[src + 1];
      }
    }
    // K_d = S diag(g) Sᴴ (M × M).
    const K = b.K[d];
    for (let i = 0; i < M; i++) {
      for (let j = 0; j <= i; j++) {
        let re = 0;
        let im = 0;
        if (!complex) {
          for (let q = 0; q < k; q++) re += S[i * k + q] * g[q] * S[j * k + q];
          K[i * M + j] = re;
          K[j * M + i] = re;
        } else {
          for (let q = 0; q < k; q++) {
            const ar = S[2 * (i * k + q)];
            const ai = S[2 * (i * k + q) + 1];
            const br = S[2 * (j * k + q)];
            const bi = S[2 * (j * k + q) + 1];
            // a · g · conj(b)
            re += g[q] * (ar * br + ai * bi);
            im += g[q] * (ai * br - ar * bi);
          }
          K[2 * (i * M + j)] = re;
          K[2 * (i * M + j) + 1] = im;
          K[2 * (j * M + i)] = re;
          K[2 * (j * M + i) + 1] = -im;
        }
      }
    }
    const w = b.eig[d];
    const U = b.U[d];
    if (!complex) dsyev(M, K, M, w, U, M, b.eigWork[d]);
    else hermitianEigen(M, K, w, U);
    for (let i = 0; i < M; i++) if (!(w[i] > 0)) w[i] = 0;
    // W_d = diag(g) Sᴴ U (k × M) and |W_d|².
    const W = b.W[d];
    const W2 = b.W2[d];
    for (let q = 0; q < k; q++) {
      for (let t = 0; t < M; t++) {
        let re = 0;
        let im = 0;
        if (!complex) {
          for (let i = 0; i < M; i++) re += S[i * k + q] * U[i * M + t];
          re *= g[q];
          W[q * M + t] = re;
          W2[q * M + t] = re * re;
        } else {
          for (let i = 0; i < M; i++) {
            const ar = S[2 * (i * k + q)];
            const ai = -S[2 * (i * k + q) + 1];
            const ur = U[2 * (i * M + t)];
            const ui = U[2 * (i * M + t) + 1];
            re += ar * ur - ai * ui;
            im += ar * ui + ai * ur;
          }
          re *= g[q];
          im *= g[q];
          W[2 * (q * M + t)] = re;
          W[2 * (q * M + t) + 1] = im;
          W2[q * M + t] = re * re + im * im;
        }
      }
    }
  }
  const m = p.m;
  const { z, den, invDen, scaled, kronWork } = b;
  if (!complex) dkronmv("T", D, rows, rows, b.U, p.y, z, kronWork);
  else zkronmv("C", D, rows, rows, b.U, p.y, z, kronWork);
  kronVectors(b.eig, rows, den, b.ping);
  let logDet = 0;
  let quad = 0;
  let scaled2 = 0;
  let trace = 0;
  for (let t = 0; t < m; t++) {
    const pt = den[t];
    const dt = sigma2 + pt;
    den[t] = dt;
    invDen[t] = 1 / dt;
    logDet += Math.log(dt);
    trace += pt / dt;
    if (!complex) {
      const zt = z[t];
      quad += (zt * zt) / dt;
      const s = zt / dt;
      scaled[t] = s;
      scaled2 += s * s;
    } else {
      const zr = z[2 * t];
      const zi = z[2 * t + 1];
      quad += (zr * zr + zi * zi) / dt;
      const sr = zr / dt;
      const si = zi / dt;
      scaled[2 * t] = sr;
      scaled[2 * t + 1] = si;
      scaled2 += sr * sr + si * si;
    }
  }
  const nAct = ks.reduce((a, v) => a * v, 1);
  const meanAct = b.meanAct;
  const varAct = b.varAct;
  if (nAct > 0) {
    if (!complex) dkronmv("N", D, ks, rows, b.W, scaled, meanAct, kronWork);
    else zkronmv("N", D, ks, rows, b.W, scaled, meanAct, kronWork);
    dkronmv("N", D, ks, rows, b.W2, invDen, varAct, kronWork);
  }
  const gammaAct = b.ping;
  kronVectors(gAct, ks, gammaAct, b.pong);
  const full = activeFullIndex(actives, cols);
  const n = p.n;
  const gamma = new Float64Array(n);
  const mean = new Float64Array(c * n);
  const varianceDiag = new Float64Array(n);
  for (let t = 0; t < nAct; t++) {
    const i = full[t];
    gamma[i] = gammaAct[t];
    const v = gammaAct[t] - varAct[t];
    varianceDiag[i] = Math.max(v, 0);
    if (!complex) mean[i] = meanAct[t];
    else {
      mean[2 * i] = meanAct[2 * t];
      mean[2 * i + 1] = meanAct[2 * t + 1];
    }
  }
  const active = Int32Array.from(full).sort();
  const logEvidence = complex ? -m * Math.log(Math.PI) - logDet - quad : -m * HALF_LOG_2PI - 0.5 * logDet - 0.5 * quad;
  return {
    iteration,
    gamma,
    active,
    noiseVariance: sigma2,
    mean,
    varianceDiag,
    logEvidence,
    residual2: sigma2 * sigma2 * scaled2,
    effectiveParameters: trace,
    done: false,
    extra: { factorGammas: gs, form: "kronecker" },
  };
}

/** Λ on the active sub-grid (tensor order), from a state. */
function secondMoments(
  state: SblState,
  actives: readonly Int32Array[],
  cols: Int32Array,
  complex: boolean,
): Float64Array {
  const full = activeFullIndex(actives, cols);
  const out = new Float64Array(full.length);
  for (let t = 0; t < full.length; t++) {
    const i = full[t];
    const mu2 = complex ? state.mean[2 * i] ** 2 + state.mean[2 * i + 1] ** 2 : state.mean[i] ** 2;
    out[t] = mu2 + state.varianceDiag[i];
  }
  return out;
}

/**
 * Slice means of Λ / Π_{e≠d} g_e for factor d (Λ on the k₁ × … × k_D grid, last index fastest):
 * the contraction of Λ with the reciprocal vectors of every other factor, one mode at a time
 * from the last, so the cost is O(n) rather than O(n·D).
 */
function amTarget(
  lambda: Float64Array,
  g: readonly Float64Array[],
  d: number,
  out: Float64Array,
  scratch: readonly Float64Array[],
): void {
  const D = g.length;
  const ks = g.map((v) => v.length);
  let src = lambda;
  let size = lambda.length;
  // After contracting modes e+1..D−1 (all but d), the tensor is [k_0 … k_e, (k_d when d > e)].
  let tail = 1;
  let which = 0;
  for (let e = D - 1; e >= 0; e--) {
    if (e === d) {
      tail = ks[d];
      continue;
    }
    const k = ks[e];
    const pre = size / (k * tail);
    const dst = scratch[which];
    which ^= 1;
    const h = g[e];
    for (let a = 0; a < pre; a++) {
      for (let c = 0; c < tail; c++) {
        let s = 0;
        const base = a * k * tail + c;
        for (let j = 0; j < k; j++) s += src[base + j * tail] / h[j];
        dst[a * tail + c] = s;
      }
    }
    src = dst;
    size = pre * tail;
  }
  const count = lambda.length / ks[d];
  for (let j = 0; j < ks[d]; j++) out[j] = src[j] / count;
}

/**
 * min ½‖C g − t‖² over g ≥ 0 for the tridiagonal C (1 on the diagonal, β off it), by projected
 * Gauss–Seidel on the normal equations (CᵀC is pentadiagonal and diagonally dominant for β < ½,
 * and positive definite for β < 1/(2 cos(π/(k+1)))), then returns C g.
 */
function coupledFit(t: Float64Array, beta: number, out: Float64Array): void {
  const k = t.length;
  const g = new Float64Array(k);
  for (let j = 0; j < k; j++) g[j] = Math.max(t[j], 0) / (1 + 2 * beta);
  const ct = new Float64Array(k);
  for (let j = 0; j < k; j++) ct[j] = t[j] + beta * ((j > 0 ? t[j - 1] : 0) + (j + 1 < k ? t[j + 1] : 0));
  // (CᵀC)_jj = 1 + β²·(neighbours), (CᵀC)_{j,j±1} = 2β, (CᵀC)_{j,j±2} = β².
  let scale = 0;
  for (let j = 0; j < k; j++) scale = Math.max(scale, Math.abs(t[j]));
  for (let sweep = 0; sweep < 500; sweep++) {
    let change = 0;
    for (let j = 0; j < k; j++) {
      const nb = (j > 0 ? 1 : 0) + (j + 1 < k ? 1 : 0);
      const diag = 1 + beta * beta * nb;
      let off = 0;
      if (j > 0) off += 2 * beta * g[j - 1];
      if (j + 1 < k) off += 2 * beta * g[j + 1];
      if (j > 1) off += beta * beta * g[j - 2];
      if (j + 2 < k) off += beta * beta * g[j + 2];
      const next = Math.max(0, (ct[j] - off) / diag);
      change = Math.max(change, Math.abs(next - g[j]));
      g[j] = next;
    }
    if (change <= 1e-12 * scale) break;
  }
  for (let j = 0; j < k; j++) out[j] = g[j] + beta * ((j > 0 ? g[j - 1] : 0) + (j + 1 < k ? g[j + 1] : 0));
}

/** ‖g₁ ⊗ … ⊗ g_D − h₁ ⊗ … ⊗ h_D‖² and ‖h₁ ⊗ … ⊗ h_D‖², from per-factor inner products. */
function kronDistance(g: readonly Float64Array[], h: readonly Float64Array[]): { diff2: number; norm2: number } {
  let gg = 1;
  let hh = 1;
  let gh = 1;
  for (let d = 0; d < g.length; d++) {
    let a = 0;
    let b = 0;
    let c = 0;
    for (let j = 0; j < g[d].length; j++) {
      a += g[d][j] * g[d][j];
      b += h[d][j] * h[d][j];
      c += g[d][j] * h[d][j];
    }
    gg *= a;
    hh *= b;
    gh *= c;
  }
  return { diff2: Math.max(gg + hh - 2 * gh, 0), norm2: hh };
}

/** AM M-step on the active grid; g (active values per factor) is updated in place. */
function mStepAm(lambda: Float64Array, g: Float64Array[], coupling: Float64Array, tol: number, maxInner: number): void {
  const D = g.length;
  const ks = g.map((v) => v.length);
  const target = new Float64Array(Math.max(...ks));
  const scratch = [new Float64Array(lambda.length), new Float64Array(lambda.length)];
  for (let it = 0; it < maxInner; it++) {
    const old = g.map((v) => Float64Array.from(v));
    for (let d = 0; d < D; d++) {
      const t = target.subarray(0, ks[d]);
      amTarget(lambda, g, d, t, scratch);
      if (coupling[d] > 0) {
        coupledFit(t, coupling[d], g[d]);
        let max = 0;
        for (let j = 0; j < ks[d]; j++) max = Math.max(max, g[d][j]);
        // Keep every entry positive so the other factors' targets stay finite; pruning removes
        // the negligible ones after the M-step.
        for (let j = 0; j < ks[d]; j++) if (!(g[d][j] > 1e-12 * max)) g[d][j] = 1e-12 * max;
      } else {
        g[d].set(t);
      }
    }
    let scale = 1;
    for (let d = 0; d < D - 1; d++) {
      let s = 0;
      for (let j = 0; j < ks[d]; j++) s += g[d][j] * g[d][j];
      const norm = Math.sqrt(s);
      if (norm > 0) {
        for (let j = 0; j < ks[d]; j++) g[d][j] /= norm;
        scale *= norm;
      }
    }
    for (let j = 0; j < ks[D - 1]; j++) g[D - 1][j] *= scale;
    const { diff2, norm2 } = kronDistance(g, old);
    if (diff2 <= tol * tol * norm2) break;
  }
}

/** Top eigenpair of a symmetric k × k matrix (lower triangle read) via the eigen kernel. */
function topEigen(k: number, G: Float64Array): { value: number; vector: Float64Array } {
  const w = new Float64Array(k);
  const Z = new Float64Array(k * k);
  dsyev(k, G, k, w, Z, k, new Float64Array(dsyevWorkSize(k)));
  const vector = new Float64Array(k);
  for (let i = 0; i < k; i++) vector[i] = Math.abs(Z[i * k + k - 1]);
  return { value: Math.max(w[k - 1], 0), vector };
}

/** SVD M-step: sequential rank-one fits of the unfoldings of Λ; writes the factors into g. */
function mStepSvd(lambda: Float64Array, g: Float64Array[]): void {
  const D = g.length;
  let rest = lambda;
  for (let d = 0; d < D - 1; d++) {
    const k = g[d].length;
    const r = rest.length / k;
    // Gram matrix of the mode-d unfolding (k × r, row-major): top left singular vector and value.
    const G = new Float64Array(k * k);
    for (let i = 0; i < k; i++) {
      for (let j = 0; j <= i; j++) {
        let s = 0;
        const oi = i * r;
        const oj = j * r;
        for (let c = 0; c < r; c++) s += rest[oi + c] * rest[oj + c];
        G[i * k + j] = s;
      }
    }
    const { value, vector } = topEigen(k, G);
    const sigma = Math.sqrt(value);
    g[d].set(vector);
    // Next tensor: σ |v| with v = restᵀ u / σ, i.e. |restᵀ u|.
    const next = new Float64Array(r);
    if (sigma > 0) {
      for (let i = 0; i < k; i++) {
        const ui = vector[i];
        if (ui === 0) continue;
        const oi = i * r;
        for (let c = 0; c < r; c++) next[c] += ui * rest[oi + c];
      }
      for (let c = 0; c < r; c++) next[c] = Math.abs(next[c]);
    }
    rest = next;
  }
  g[D - 1].set(rest);
}

/**
 * The KroSBL kernel: `algorithm: 'krosbl_am'` or `'krosbl_svd'`, for a Kronecker dictionary
 * with the `kronecker_ard` (or default `ard`) prior, real or complex.
 *
 * @example
 * ```ts
 * const kernel = buildKroSblKernel({ algorithm: "krosbl_svd" });
 * let state = kernel.init({ A: { factors: [A1, A2, A3] }, y, noise: { variance: 0.01 } });
 * state = kernel.step(state).state;
 * ```
 */
export function buildKroSblKernel(choices: SblChoices): SblKernel {
  const algorithm = choices.algorithm;
  if (algorithm !== "krosbl_am" && algorithm !== "krosbl_svd") {
    throw new CapabilityError({ where: "em-sbl", what: `buildKroSblKernel cannot run '${algorithm}'` });
  }
  const useAm = algorithm === "krosbl_am";
  const threshold = choices.pruneThreshold ?? (useAm ? 1e-2 : 1e-3);
  const floor = choices.noiseFloor ?? DEFAULT_NOISE_FLOOR;
  const innerTol = choices.innerTolerance ?? 1e-6;
  const maxInner = choices.maxInnerIterations ?? 1000;
  let b: KroBinding | undefined;
  return {
    algorithm,
    init(problem: SblProblem): SblState {
      const p = normalizeProblem(problem);
      if (p.prior.kind !== "ard" && p.prior.kind !== "kronecker_ard") {
        throw new CapabilityError({
          where: "em-sbl",
          what: `algorithm '${algorithm}' fits the 'kronecker_ard' prior, not '${p.prior.kind}'`,
        });
      }
      b = undefined;
      const binding = bind(p);
      if (!useAm && binding.coupling.some((v) => v > 0)) {
        throw new CapabilityError({
          where: "em-sbl",
          what: "the coupled (block-sparse) KroSBL prior needs the AM M-step",
          got: "'krosbl_svd'",
          hint: "use algorithm 'krosbl_am'.",
        });
      }
      if (p.yPower === 0) {
        return zeroDataState(p, { factorGammas: Array.from(binding.cols, (N) => new Float64Array(N)) });
      }
      b = binding;
      const D = b.D;
      let g0 = 1;
      if (choices.initialGamma === undefined || choices.initialGamma === "auto") {
        let frob = 1;
        for (let d = 0; d < D; d++) {
          let s = 0;
          for (const v of b.factors[d]) s += v * v;
          frob *= s;
        }
        const power = p.yPower * p.m;
        g0 = Math.max(power - p.m * p.noiseVariance, 0.1 * power) / frob;
      } else {
        g0 = choices.initialGamma;
      }
      // γ₀ everywhere, split as unit-norm constant factors times one scaled last factor.
      const gs = Array.from(b.cols, (N) => new Float64Array(N));
      let scale = g0;
      for (let d = 0; d < D - 1; d++) {
        gs[d].fill(1 / Math.sqrt(b.cols[d]));
        scale *= Math.sqrt(b.cols[d]);
      }
      gs[D - 1].fill(scale);
      return evaluate(b, gs, p.noiseVariance, 0);
    },
    step(state: SblState) {
      if (state.done || !b) return { state, info: idleInfo(state) };
      const { p, D, cols } = b;
      const prev = state.extra.factorGammas!;
      const actives = prev.map(activeOf);
      const lambda = secondMoments(state, actives, cols, p.complex);
      const g = actives.map((a, d) => Float64Array.from(a, (i) => prev[d][i]));
      if (useAm) mStepAm(lambda, g, b.coupling, innerTol, maxInner);
      else mStepSvd(lambda, g);
      const gs = Array.from(cols, (N) => new Float64Array(N));
      for (let d = 0; d < D; d++) {
        let max = 0;
        for (const v of g[d]) if (v > max) max = v;
        const cut = threshold * max;
        const a = actives[d];
        for (let q = 0; q < a.length; q++) {
          const v = g[d][q];
          gs[d][a[q]] = v > 0 && v >= cut ? v : 0;
        }
      }
      const warnings: string[] = [];
      let sigma2 = state.noiseVariance;
      if (p.learnNoise) {
        const u = updateNoise(p, sigma2, state.residual2, state.effectiveParameters, "em", floor);
        sigma2 = u.variance;
        if (u.warning) warnings.push(u.warning);
      }
      const next = evaluate(b, gs, sigma2, state.iteration + 1);
      return { state: next, info: stepInfo(state, next, relativeChange(next.gamma, state.gamma), warnings) };
    },
    covariance(state: SblState): Float64Array {
      if (!b || state.active.length === 0) return new Float64Array(0);
      return supportCovariance(b.p, state);
    },
    dispose(): void {
      // Scratch lives in ordinary arrays; dropping the binding frees it.
      b = undefined;
    },
  };
}

/** Largest support for which {@link supportCovariance} forms the support's columns. */
const MAX_COVARIANCE_SUPPORT = 4096;

/**
 * Exact posterior covariance on the support of a state, forming only the support's columns of
 * the dictionary (m × k, or the 2m × 2k real embedding for complex data).
 *
 * @throws CapabilityError when the support has more than 4096 entries.
 * @example
 * ```ts
 * const S = supportCovariance(p, state); // k × k (complex: interleaved)
 * ```
 */
export function supportCovariance(p: NormalizedProblem, state: SblState): Float64Array {
  const k = state.active.length;
  if (k > MAX_COVARIANCE_SUPPORT) {
    throw new CapabilityError({
      where: "em-sbl",
      what: "the full covariance on a support this large would not fit in memory",
      got: `${k} kept coefficients`,
      expected: `at most ${MAX_COVARIANCE_SUPPORT}`,
      hint: "use covariance: 'diag' (the variances are always returned).",
    });
  }
  const dict = p.dictionary;
  const c = p.complex ? 2 : 1;
  const m = p.m;
  // Columns of the support, dense (m × k, interleaved when complex).
  const cols = new Float64Array(c * m * k);
  if (dict.kind === "dense") {
    for (let i = 0; i < m; i++) {
      for (let q = 0; q < k; q++) {
        const src = c * (i * p.n + state.active[q]);
        cols[c * (i * k + q)] = dict.data[src];
        if (c === 2) cols[c * (i * k + q) + 1] = dict.data[src + 1];
      }
    }
  } else {
    const { rows, cols: ncols, factors } = dict;
    const D = rows.length;
    const digits = new Int32Array(D);
    const rdig = new Int32Array(D);
    for (let q = 0; q < k; q++) {
      let rem = state.active[q];
      for (let d = D - 1; d >= 0; d--) {
        digits[d] = rem % ncols[d];
        rem = Math.floor(rem / ncols[d]);
      }
      for (let i = 0; i < m; i++) {
        let r = i;
        for (let d = D - 1; d >= 0; d--) {
          rdig[d] = r % rows[d];
          r = Math.floor(r / rows[d]);
        }
        let re = 1;
        let im = 0;
        for (let d = 0; d < D; d++) {
          const src = c * (rdig[d] * ncols[d] + digits[d]);
          const ar = factors[d][src];
          const ai = c === 2 ? factors[d][src + 1] : 0;
          const nr = re * ar - im * ai;
          im = re * ai + im * ar;
          re = nr;
        }
        cols[c * (i * k + q)] = re;
        if (c === 2) cols[c * (i * k + q) + 1] = im;
      }
    }
  }
  const sub: NormalizedProblem = { ...p, n: k, dictionary: { kind: "dense", data: cols } };
  const { A, rows, cols: N, y } = realForm(sub);
  const estep = new DenseEStep(activeKernels(), A, rows, N, y);
  const idx = new Int32Array(c * k);
  const factor = new Float64Array(c * k);
  for (let q = 0; q < k; q++) {
    idx[q] = q;
    factor[q] = Math.sqrt(state.gamma[state.active[q]] / c);
    if (c === 2) {
      idx[k + q] = k + q;
      factor[k + q] = factor[q];
    }
  }
  const S = estep.covariance({ cols: idx, factor }, state.noiseVariance / c);
  estep.dispose();
  if (c === 1) return S;
  const out = new Float64Array(2 * k * k);
  const K2 = 2 * k;
  for (let a = 0; a < k; a++) {
    for (let bb = 0; bb < k; bb++) {
      out[2 * (a * k + bb)] = 2 * S[a * K2 + bb];
      out[2 * (a * k + bb) + 1] = 2 * S[(k + a) * K2 + bb];
    }
  }
  return out;
}
