/**
 * Structured-sparsity SBL on dense dictionaries: block SBL (BSBL-EM; Zhang & Rao, "Sparse signal
 * recovery with temporally correlated source vectors using sparse Bayesian learning", IEEE JSTSP
 * 2011, and "Extension of SBL algorithms for the recovery of block sparse signals with
 * intra-block correlation", IEEE TSP 2013) and pattern-coupled SBL (PC-SBL; Fang, Shen, Li &
 * Wang, "Pattern-coupled sparse Bayesian learning for recovery of block-sparse signals",
 * IEEE TSP 2015).
 *
 * BSBL: x_b ~ N(0, γ_b B) on consecutive blocks, B = I or the AR(1) Toeplitz matrix
 * B_ij = r^|i−j|. With M_b = Σ_b + μ_b μ_bᵀ (posterior second moment of block b):
 *
 *     γ_b ← tr(B⁻¹ M_b) / d_b                                      (exact EM given B)
 *     r   ← mean sub-diagonal / mean diagonal of Σ_b M_b / γ_b,  |r| ≤ 0.99  (BSBL's Toeplitz fit)
 *
 * B⁻¹ and chol(B) of the AR(1) matrix are used in closed form. With B = I the iteration is EM for
 * a block-tied ARD prior and never decreases the evidence; the correlation fit does not
 * guarantee that.
 *
 * PC-SBL: x_i ~ N(0, 1/(α_i + β α_{i−1} + β α_{i+1})), and with ω_i = E[x_i²] + β E[x_{i−1}²] +
 * β E[x_{i+1}²] the (sub-optimal, closed-form) M-step of the paper is α_i ← a / (½ ω_i + b).
 * It maximises a hyper-prior-penalised evidence approximately, so the evidence need not rise
 * monotonically.
 *
 * Both learn σ² by the EM rule σ² ← (‖y − Aμ‖² + tr(A Σ Aᵀ)) / m.
 *
 * @module
 */
import { CapabilityError } from "../../core/errors.js";
import { activeKernels } from "../../runtime/kernel_provider.js";
import { ardMStep, bindDiagonal, type DiagonalBinding, diagonalCovariance, idleInfo, stepInfo } from "./ard.js";
import { autoGamma, DEFAULT_NOISE_FLOOR, prune, relativeChange, updateNoise, zeroDataState } from "./common.js";
import { DenseEStep, type DenseMoments } from "./dense_estep.js";
import { denseDictionary, type NormalizedProblem, normalizeProblem } from "./problem.js";
import type { SblChoices, SblKernel, SblProblem, SblState } from "./types.js";

/** Lower Cholesky factor of the d × d AR(1) matrix B_ij = r^|i−j| (row-major), in closed form. */
function ar1Cholesky(d: number, r: number, out: Float64Array, offset: number): void {
  const c = Math.sqrt(1 - r * r);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      let v = 0;
      if (j === 0) v = r ** i;
      else if (j <= i) v = c * r ** (i - j);
      out[offset + i * d + j] = v;
    }
  }
}

/** tr(B⁻¹ M) for the AR(1) matrix B (B⁻¹ is tridiagonal: (1/(1−r²))·[1, 1+r², …, 1+r², 1; −r off-diagonal]). */
function ar1TraceSolve(d: number, r: number, M: Float64Array, offset: number): number {
  if (d === 1) return M[offset];
  const s = 1 / (1 - r * r);
  let t = 0;
  for (let i = 0; i < d; i++) {
    const diag = i === 0 || i === d - 1 ? 1 : 1 + r * r;
    t += diag * M[offset + i * d + i];
    if (i + 1 < d) t -= r * (M[offset + i * d + i + 1] + M[offset + (i + 1) * d + i]);
  }
  return s * t;
}

function refuseComplex(p: NormalizedProblem, algorithm: string): void {
  if (p.complex && algorithm === "bsbl") {
    throw new CapabilityError({
      where: "em-sbl",
      what: "bsbl runs on real data only",
      got: "a complex dictionary",
      hint: "use algorithm 'em' or 'pc_sbl' (both accept complex data).",
    });
  }
}

/**
 * The BSBL-EM kernel (`algorithm: 'bsbl'`) for the `block_ard` prior (real data).
 *
 * @example
 * ```ts
 * const kernel = buildBsblKernel({ algorithm: "bsbl" });
 * let state = kernel.init({ A, y, prior: { kind: "block_ard", blockSizes: [4, 4, 4], intraCorrelation: true } });
 * state = kernel.step(state).state;
 * ```
 */
export function buildBsblKernel(choices: SblChoices): SblKernel {
  const threshold = choices.pruneThreshold ?? 1e-3;
  const form = choices.form ?? "auto";
  const floor = choices.noiseFloor ?? DEFAULT_NOISE_FLOOR;
  let bound:
    | {
        p: NormalizedProblem;
        estep: DenseEStep;
        starts: Int32Array;
        learnR: boolean;
        out: DenseMoments;
      }
    | undefined;

  const evaluate = (blockGammas: Float64Array, r: number, sigma2: number, iteration: number): SblState => {
    const b = bound!;
    const { p, starts } = b;
    const nb = starts.length - 1;
    let k = 0;
    let packed = 0;
    let activeBlocks = 0;
    for (let q = 0; q < nb; q++) {
      if (blockGammas[q] > 0) {
        const d = starts[q + 1] - starts[q];
        k += d;
        packed += d * d;
        activeBlocks++;
      }
    }
    const cols = new Int32Array(k);
    const blockStarts = new Int32Array(activeBlocks + 1);
    const factor = new Float64Array(packed);
    let pos = 0;
    let off = 0;
    let ab = 0;
    for (let q = 0; q < nb; q++) {
      const g = blockGammas[q];
      if (!(g > 0)) continue;
      const d = starts[q + 1] - starts[q];
      blockStarts[ab++] = pos;
      for (let t = 0; t < d; t++) cols[pos + t] = starts[q] + t;
      ar1Cholesky(d, r, factor, off);
      const sg = Math.sqrt(g);
      for (let t = 0; t < d * d; t++) factor[off + t] *= sg;
      pos += d;
      off += d * d;
    }
    blockStarts[activeBlocks] = pos;
    const out = b.out;
    if (out.mean.length < k || out.cov.length < packed) {
      b.out = { ...out, mean: new Float64Array(k), cov: new Float64Array(packed) };
    }
    b.estep.run({ cols, blockStarts, factor }, sigma2, form, b.out);
    const n = p.n;
    const gamma = new Float64Array(n);
    const mean = new Float64Array(n);
    const varianceDiag = new Float64Array(n);
    off = 0;
    for (let a = 0; a < activeBlocks; a++) {
      const p0 = blockStarts[a];
      const d = blockStarts[a + 1] - p0;
      for (let t = 0; t < d; t++) {
        const i = cols[p0 + t];
        gamma[i] = blockGammas[blockIndexOf(starts, i)];
        mean[i] = b.out.mean[p0 + t];
        varianceDiag[i] = b.out.cov[off + t * d + t];
      }
      off += d * d;
    }
    return {
      iteration,
      gamma,
      active: cols,
      noiseVariance: sigma2,
      mean,
      varianceDiag,
      logEvidence: b.out.logEvidence,
      residual2: b.out.residual2,
      effectiveParameters: b.out.trace,
      done: false,
      extra: { blockGammas, correlation: r, form: b.out.form, blockCovariance: b.out.cov.slice(0, packed) },
    };
  };

  return {
    algorithm: "bsbl",
    init(problem: SblProblem): SblState {
      const p = normalizeProblem(problem);
      if (p.prior.kind !== "block_ard") {
        throw new CapabilityError({
          where: "em-sbl",
          what: `algorithm 'bsbl' fits the 'block_ard' prior, not '${p.prior.kind}'`,
        });
      }
      refuseComplex(p, "bsbl");
      bound?.estep.dispose();
      bound = undefined;
      const starts = p.prior.blockStarts;
      const learnR = p.prior.intraCorrelation;
      if (p.yPower === 0) {
        return zeroDataState(p, { blockGammas: new Float64Array(starts.length - 1), correlation: 0 });
      }
      const A = denseDictionary(p);
      let frobenius2 = 0;
      for (const v of A) frobenius2 += v * v;
      bound = {
        p,
        estep: new DenseEStep(activeKernels(), A, p.m, p.n, p.y),
        starts,
        learnR,
        out: {
          mean: new Float64Array(p.n),
          cov: new Float64Array(p.n),
          logEvidence: 0,
          residual2: 0,
          trace: 0,
          form: "dual",
        },
      };
      const g0 =
        choices.initialGamma === undefined || choices.initialGamma === "auto"
          ? autoGamma(p, frobenius2)
          : choices.initialGamma;
      const blockGammas = new Float64Array(starts.length - 1).fill(g0);
      return evaluate(blockGammas, 0, p.noiseVariance, 0);
    },
    step(state: SblState) {
      if (state.done || !bound) return { state, info: idleInfo(state) };
      const b = bound;
      const { p, starts } = b;
      const prevGammas = state.extra.blockGammas!;
      const r = state.extra.correlation ?? 0;
      const cov = state.extra.blockCovariance!;
      const nb = starts.length - 1;
      const blockGammas = new Float64Array(nb);
      // Second moments M_b = Σ_b + μ_b μ_bᵀ, packed in active-block order.
      const moments: { q: number; off: number; d: number }[] = [];
      const M = new Float64Array(cov.length);
      let off = 0;
      for (let q = 0; q < nb; q++) {
        if (!(prevGammas[q] > 0)) continue;
        const s0 = starts[q];
        const d = starts[q + 1] - s0;
        for (let t = 0; t < d; t++) {
          for (let u = 0; u < d; u++) {
            M[off + t * d + u] = cov[off + t * d + u] + state.mean[s0 + t] * state.mean[s0 + u];
          }
        }
        blockGammas[q] = Math.max(ar1TraceSolve(d, r, M, off) / d, 0);
        moments.push({ q, off, d });
        off += d * d;
      }
      let nextR = 0;
      if (b.learnR) {
        let diag = 0;
        let sub = 0;
        let nDiag = 0;
        let nSub = 0;
        for (const { q, off: o, d } of moments) {
          const g = blockGammas[q];
          if (!(g > 0)) continue;
          for (let t = 0; t < d; t++) {
            diag += M[o + t * d + t] / g;
            nDiag++;
            if (t + 1 < d) {
              sub += (M[o + t * d + t + 1] + M[o + (t + 1) * d + t]) / (2 * g);
              nSub++;
            }
          }
        }
        if (nSub > 0 && diag > 0) nextR = Math.max(-0.99, Math.min(0.99, sub / nSub / (diag / nDiag)));
      }
      const warnings: string[] = [];
      let sigma2 = state.noiseVariance;
      if (p.learnNoise) {
        const u = updateNoise(p, sigma2, state.residual2, state.effectiveParameters, "em", floor);
        sigma2 = u.variance;
        if (u.warning) warnings.push(u.warning);
      }
      prune(blockGammas, threshold);
      const next = evaluate(blockGammas, nextR, sigma2, state.iteration + 1);
      return { state: next, info: stepInfo(state, next, relativeChange(next.gamma, state.gamma), warnings) };
    },
    covariance(state: SblState): Float64Array {
      if (!bound || state.active.length === 0) return new Float64Array(0);
      const { starts } = bound;
      const r = state.extra.correlation ?? 0;
      const gammas = state.extra.blockGammas!;
      const nb = starts.length - 1;
      const blockStarts: number[] = [];
      const factors: number[] = [];
      let pos = 0;
      for (let q = 0; q < nb; q++) {
        if (!(gammas[q] > 0)) continue;
        const d = starts[q + 1] - starts[q];
        blockStarts.push(pos);
        const f = new Float64Array(d * d);
        ar1Cholesky(d, r, f, 0);
        const sg = Math.sqrt(gammas[q]);
        for (const v of f) factors.push(v * sg);
        pos += d;
      }
      blockStarts.push(pos);
      return bound.estep.covariance(
        { cols: state.active, blockStarts: Int32Array.from(blockStarts), factor: Float64Array.from(factors) },
        state.noiseVariance,
      );
    },
    dispose(): void {
      bound?.estep.dispose();
      bound = undefined;
    },
  };
}

/** The block of coefficient i (binary search over block starts). */
function blockIndexOf(starts: Int32Array, i: number): number {
  let lo = 0;
  let hi = starts.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= i) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * The PC-SBL kernel (`algorithm: 'pc_sbl'`) for the `pc_sbl` prior, real or complex.
 *
 * @example
 * ```ts
 * const kernel = buildPcSblKernel({ algorithm: "pc_sbl" });
 * let state = kernel.init({ A, y, prior: { kind: "pc_sbl", beta: 1 } });
 * state = kernel.step(state).state;
 * ```
 */
export function buildPcSblKernel(choices: SblChoices): SblKernel {
  const threshold = choices.pruneThreshold ?? 1e-3;
  const form = choices.form ?? "auto";
  const floor = choices.noiseFloor ?? DEFAULT_NOISE_FLOOR;
  let bound: DiagonalBinding | undefined;
  let coupling = { beta: 1, a: 0.5, b: 1e-10 };

  /** γ_i = 1/(α_i + β α_{i−1} + β α_{i+1}) on the entries not yet pruned. */
  const variances = (alpha: Float64Array, alive: Float64Array): Float64Array => {
    const n = alpha.length;
    const g = new Float64Array(n);
    const beta = coupling.beta;
    for (let i = 0; i < n; i++) {
      if (!(alive[i] > 0)) continue;
      const prec = alpha[i] + beta * ((i > 0 ? alpha[i - 1] : 0) + (i + 1 < n ? alpha[i + 1] : 0));
      g[i] = 1 / prec;
    }
    return g;
  };

  return {
    algorithm: "pc_sbl",
    init(problem: SblProblem): SblState {
      const p = normalizeProblem(problem);
      if (p.prior.kind !== "pc_sbl") {
        throw new CapabilityError({
          where: "em-sbl",
          what: `algorithm 'pc_sbl' fits the 'pc_sbl' prior, not '${p.prior.kind}'`,
        });
      }
      coupling = { beta: p.prior.beta, a: p.prior.a, b: p.prior.b };
      bound?.estep.dispose();
      bound = undefined;
      if (p.yPower === 0) return zeroDataState(p, { alpha: new Float64Array(p.n) });
      bound = bindDiagonal(p, form);
      const g0 =
        choices.initialGamma === undefined || choices.initialGamma === "auto"
          ? autoGamma(p, bound.frobenius2)
          : choices.initialGamma;
      // α₀ such that every prior variance starts at γ₀ in the interior.
      const alpha = new Float64Array(p.n).fill(1 / (g0 * (1 + 2 * coupling.beta)));
      const gamma = variances(alpha, new Float64Array(p.n).fill(1));
      const active = prune(gamma, 0);
      return bound.evaluate(gamma, active, p.noiseVariance, 0, { alpha });
    },
    step(state: SblState) {
      if (state.done || !bound) return { state, info: idleInfo(state) };
      const p = bound.p;
      const n = p.n;
      const second = ardMStep(state, p.complex, "em");
      const { beta, a, b } = coupling;
      const alpha = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const omega = second[i] + beta * ((i > 0 ? second[i - 1] : 0) + (i + 1 < n ? second[i + 1] : 0));
        alpha[i] = a / (0.5 * omega + b);
      }
      const warnings: string[] = [];
      let sigma2 = state.noiseVariance;
      if (p.learnNoise) {
        const u = updateNoise(p, sigma2, state.residual2, state.effectiveParameters, "em", floor);
        sigma2 = u.variance;
        if (u.warning) warnings.push(u.warning);
      }
      const gamma = variances(alpha, state.gamma);
      const active = prune(gamma, threshold);
      const next = bound.evaluate(gamma, active, sigma2, state.iteration + 1, { alpha });
      return { state: next, info: stepInfo(state, next, relativeChange(next.gamma, state.gamma), warnings) };
    },
    covariance(state: SblState): Float64Array {
      if (!bound || state.active.length === 0) return new Float64Array(0);
      return diagonalCovariance(bound, state);
    },
    dispose(): void {
      bound?.estep.dispose();
      bound = undefined;
    },
  };
}
