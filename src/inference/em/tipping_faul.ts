/**
 * Tipping & Faul's fast marginal-likelihood maximisation ("Fast marginal likelihood maximisation
 * for sparse Bayesian models", AISTATS 2003): the model starts with one basis function and each
 * step adds, deletes or re-estimates the single basis whose change raises the log evidence most.
 *
 * With β = 1/σ², the used set u, Σ = (diag α_u + β Φ_uᵀ Φ_u)⁻¹ and μ = β Σ Φ_uᵀ t, every
 * candidate j has
 *
 *     S_j = β φ_jᵀφ_j − β² φ_jᵀ Φ_u Σ Φ_uᵀ φ_j,     Q_j = β φ_jᵀ t − β φ_jᵀ Φ_u μ,
 *     s_j = α_j S_j / (α_j − S_j),  q_j = α_j Q_j / (α_j − S_j)   (j ∈ u; else s = S, q = Q),
 *
 * and the evidence as a function of α_j alone is maximised at α_j = s_j² / (q_j² − s_j) when
 * q_j² > s_j and at α_j = ∞ (basis out) otherwise. The gains of the three actions are
 *
 *     add:         ½ (Q²/S − 1 − log(Q²/S)),
 *     re-estimate: ½ (Δ Q²/(Δ S + 1) − log(1 + Δ S)),  Δ = 1/α_new − 1/α_old,
 *     delete:      −½ (q²/(s + α) − log(1 + s/α)).
 *
 * The search stops when no action gains, or when the best action is a re-estimate changing
 * log α by less than 1e-3 and no basis asks to be deleted. A learned noise variance is
 * re-estimated every `noiseEvery` steps by MacKay's rule σ² = ‖t − Φμ‖² / (m − Σ(1 − α_i Σ_ii)).
 *
 * The Gram columns Φᵀφ_j are computed once per basis that enters (for a Kronecker dictionary
 * as ⊗_d (A_dᵀA_d)[:, j_d], O(n) each), so the full dictionary is never formed in that case.
 *
 * @module
 */
import { CapabilityError } from "../../core/errors.js";
import { dkronmv, kronWorkSize } from "../../kernels/kronecker.js";
import { activeKernels } from "../../runtime/kernel_provider.js";
import { idleInfo, stepInfo } from "./ard.js";
import { DEFAULT_NOISE_FLOOR, relativeChange, zeroDataState } from "./common.js";
import { choleskyLower, HALF_LOG_2PI, invertLower, logDetFromCholesky } from "./linalg.js";
import { type NormalizedProblem, normalizeProblem } from "./problem.js";
import type { SblChoices, SblKernel, SblProblem, SblState } from "./types.js";

/** Dictionary access Tipping–Faul needs: Φᵀt, column norms, Gram columns and Φ x. */
interface Access {
  readonly phit: Float64Array;
  readonly pnorm2: Float64Array;
  gramColumn(j: number, out: Float64Array): void;
  /** out ← Φ x for x with entries only on `used`. */
  apply(used: Int32Array, values: Float64Array, out: Float64Array): void;
}

function denseAccess(p: NormalizedProblem, A: Float64Array): Access {
  const { m, n } = p;
  const k = activeKernels();
  const phit = new Float64Array(n);
  k.dgemv("T", m, n, 1, A, n, 0, p.y, 1, 0, 0, phit, 1, 0);
  const pnorm2 = new Float64Array(n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) pnorm2[j] += A[i * n + j] ** 2;
  const col = new Float64Array(m);
  return {
    phit,
    pnorm2,
    gramColumn(j, out) {
      for (let i = 0; i < m; i++) col[i] = A[i * n + j];
      k.dgemv("T", m, n, 1, A, n, 0, col, 1, 0, 0, out, 1, 0);
    },
    apply(used, values, out) {
      out.fill(0, 0, m);
      for (let i = 0; i < m; i++) {
        let s = 0;
        for (let q = 0; q < used.length; q++) s += A[i * n + used[q]] * values[q];
        out[i] = s;
      }
    },
  };
}

function kroneckerAccess(
  p: NormalizedProblem,
  factors: readonly Float64Array[],
  rows: Int32Array,
  cols: Int32Array,
): Access {
  const { n } = p;
  const D = rows.length;
  const work = new Float64Array(Math.max(1, kronWorkSize(D, rows, cols)));
  const phit = new Float64Array(n);
  dkronmv("T", D, rows, cols, factors, p.y, phit, work);
  // Per-factor Gram matrices G_d = A_dᵀ A_d.
  const grams = factors.map((A, d) => {
    const M = rows[d];
    const N = cols[d];
    const G = new Float64Array(N * N);
    for (let a = 0; a < N; a++) {
      for (let b = 0; b < N; b++) {
        let s = 0;
        for (let i = 0; i < M; i++) s += A[i * N + a] * A[i * N + b];
        G[a * N + b] = s;
      }
    }
    return G;
  });
  const diagVectors = grams.map((G, d) => Float64Array.from({ length: cols[d] }, (_, a) => G[a * cols[d] + a]));
  const pnorm2 = kronProduct(diagVectors);
  const digits = new Int32Array(D);
  const full = new Float64Array(n);
  return {
    phit,
    pnorm2,
    gramColumn(j, out) {
      let rem = j;
      for (let d = D - 1; d >= 0; d--) {
        digits[d] = rem % cols[d];
        rem = Math.floor(rem / cols[d]);
      }
      const vs = grams.map((G, d) => {
        const N = cols[d];
        return Float64Array.from({ length: N }, (_, a) => G[a * N + digits[d]]);
      });
      out.set(kronProduct(vs));
    },
    apply(used, values, out) {
      full.fill(0);
      for (let q = 0; q < used.length; q++) full[used[q]] = values[q];
      dkronmv("N", D, rows, cols, factors, full, out, work);
    },
  };
}

/** v₁ ⊗ … ⊗ v_D. */
function kronProduct(vs: readonly Float64Array[]): Float64Array {
  let cur = Float64Array.of(1);
  for (const v of vs) {
    const next = new Float64Array(cur.length * v.length);
    for (let t = 0; t < cur.length; t++) for (let j = 0; j < v.length; j++) next[t * v.length + j] = cur[t] * v[j];
    cur = next;
  }
  return cur;
}

/**
 * The Tipping–Faul quantities for one used set: the posterior on it, the evidence and, for every
 * candidate m, S_m = β φ_mᵀφ_m − β² φ_mᵀΦΣΦᵀφ_m and Q_m = β φ_mᵀt − β φ_mᵀΦμ.
 */
interface Model {
  readonly used: Int32Array;
  readonly alpha: Float64Array;
  readonly beta: number;
  readonly sigma: Float64Array;
  readonly mu: Float64Array;
  readonly S: Float64Array;
  readonly Q: Float64Array;
  readonly logEvidence: number;
}

/** Steps between recomputations from scratch, which bound the drift of the rank-one updates. */
const REFRESH_EVERY = 50;

/**
 * The Tipping–Faul kernel (`algorithm: 'tipping_faul'`), real data, ARD prior; dense or
 * Kronecker dictionaries. Each step costs O(k n) (rank-one updates of Σ, μ, S and Q, Tipping &
 * Faul's appendix); every 50 steps and after every noise update everything is recomputed from
 * scratch (O(k² n)).
 *
 * @example
 * ```ts
 * const kernel = buildTippingFaulKernel({ algorithm: "tipping_faul" });
 * let state = kernel.init({ A, y, noise: { variance: 0.01 } });
 * while (!state.done) state = kernel.step(state).state;
 * ```
 */
export function buildTippingFaulKernel(choices: SblChoices): SblKernel {
  const noiseEvery = choices.noiseEvery ?? 5;
  const floor = choices.noiseFloor ?? DEFAULT_NOISE_FLOOR;
  const kernels = activeKernels();
  let p: NormalizedProblem | undefined;
  let access: Access | undefined;
  let yy = 0;
  const gramCache = new Map<number, Float64Array>();

  const gram = (j: number): Float64Array => {
    let g = gramCache.get(j);
    if (!g) {
      g = new Float64Array(p!.n);
      access!.gramColumn(j, g);
      gramCache.set(j, g);
    }
    return g;
  };

  /** Σ, μ, S, Q and the evidence from scratch. */
  const fresh = (used: Int32Array, alpha: Float64Array, beta: number): Model => {
    const prob = p!;
    const n = prob.n;
    const k = used.length;
    const H = new Float64Array(k * k);
    const Gu = new Float64Array(k * n);
    for (let a = 0; a < k; a++) {
      const ga = gram(used[a]);
      Gu.set(ga, a * n);
      for (let b = 0; b < k; b++) H[a * k + b] = beta * ga[used[b]];
      H[a * k + a] += alpha[a];
    }
    choleskyLower(kernels, k, H, k, "em-sbl (tipping_faul)");
    const X = new Float64Array(k * k);
    invertLower(kernels, k, H, k, X);
    const sigma = new Float64Array(k * k);
    for (let a = 0; a < k; a++) {
      for (let b = 0; b <= a; b++) {
        let s = 0;
        for (let r = a; r < k; r++) s += X[r * k + a] * X[r * k + b];
        sigma[a * k + b] = s;
        sigma[b * k + a] = s;
      }
    }
    const mu = new Float64Array(k);
    for (let a = 0; a < k; a++) {
      let s = 0;
      for (let b = 0; b < k; b++) s += sigma[a * k + b] * access!.phit[used[b]];
      mu[a] = beta * s;
    }
    // S and Q for every candidate: X₂ = Σ Gu (k × n) through the kernel set's GEMM.
    const SG = new Float64Array(k * n);
    kernels.dgemm("N", "N", k, n, k, 1, sigma, k, 0, Gu, n, 0, 0, SG, n, 0);
    const S = new Float64Array(n);
    const Q = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      S[j] = beta * access!.pnorm2[j];
      Q[j] = beta * access!.phit[j];
    }
    for (let a = 0; a < k; a++) {
      const off = a * n;
      const ma = mu[a];
      for (let j = 0; j < n; j++) {
        const g = Gu[off + j];
        S[j] -= beta * beta * g * SG[off + j];
        Q[j] -= beta * g * ma;
      }
    }
    let logAlpha = 0;
    let mAm = 0;
    let bty = 0;
    for (let a = 0; a < k; a++) {
      logAlpha += Math.log(alpha[a]);
      mAm += alpha[a] * mu[a] * mu[a];
      bty += access!.phit[used[a]] * mu[a];
    }
    // log|C| = −m log β + log|Σ⁻¹| − Σ log α;  tᵀC⁻¹t = β(‖t‖² − (Φᵀt)ᵀμ).
    const logDet = -prob.m * Math.log(beta) + logDetFromCholesky(k, H, k) - logAlpha;
    const quad = beta * (yy - bty);
    const logEvidence = -prob.m * HALF_LOG_2PI - 0.5 * logDet - 0.5 * Math.max(quad, mAm);
    return { used, alpha, beta, sigma, mu, S, Q, logEvidence };
  };

  /** v = β Σ_b c_b G_b: β Σ_pᵀ Φ_uᵀ φ_m for all m, given a column c of Σ. */
  const project = (used: Int32Array, c: Float64Array, beta: number): Float64Array => {
    const n = p!.n;
    const v = new Float64Array(n);
    for (let b = 0; b < used.length; b++) {
      const cb = beta * c[b];
      if (cb === 0) continue;
      const g = gram(used[b]);
      for (let j = 0; j < n; j++) v[j] += cb * g[j];
    }
    return v;
  };

  /** Re-estimate (finite α̃) or delete (α̃ = ∞) the basis at position q, by rank-one updates. */
  const downdate = (model: Model, q: number, newAlpha: number, gain: number): Model => {
    const { used, alpha, beta, sigma, mu } = model;
    const k = used.length;
    const c = Float64Array.from({ length: k }, (_, b) => sigma[b * k + q]);
    const kappa = Number.isFinite(newAlpha) ? 1 / (c[q] + 1 / (newAlpha - alpha[q])) : 1 / c[q];
    const v = project(used, c, beta);
    const muq = mu[q];
    const S = Float64Array.from(model.S);
    const Q = Float64Array.from(model.Q);
    for (let j = 0; j < S.length; j++) {
      S[j] += kappa * v[j] * v[j];
      Q[j] += kappa * muq * v[j];
    }
    const nextSigma = new Float64Array(k * k);
    const nextMu = new Float64Array(k);
    for (let a = 0; a < k; a++) {
      nextMu[a] = mu[a] - kappa * muq * c[a];
      for (let b = 0; b < k; b++) nextSigma[a * k + b] = sigma[a * k + b] - kappa * c[a] * c[b];
    }
    if (Number.isFinite(newAlpha)) {
      const nextAlpha = Float64Array.from(alpha);
      nextAlpha[q] = newAlpha;
      return { ...model, alpha: nextAlpha, sigma: nextSigma, mu: nextMu, S, Q, logEvidence: model.logEvidence + gain };
    }
    const keep = Array.from({ length: k }, (_, a) => a).filter((a) => a !== q);
    const k1 = k - 1;
    const reduced = new Float64Array(k1 * k1);
    keep.forEach((a, i) => {
      keep.forEach((b, j) => {
        reduced[i * k1 + j] = nextSigma[a * k + b];
      });
    });
    return {
      used: Int32Array.from(keep, (a) => used[a]),
      alpha: Float64Array.from(keep, (a) => alpha[a]),
      beta,
      sigma: reduced,
      mu: Float64Array.from(keep, (a) => nextMu[a]),
      S,
      Q,
      logEvidence: model.logEvidence + gain,
    };
  };

  /** Adds basis j with precision α by the bordered-inverse update. */
  const add = (model: Model, j: number, newAlpha: number, gain: number): Model => {
    const { used, alpha, beta, sigma, mu } = model;
    const n = p!.n;
    const k = used.length;
    const gj = gram(j);
    const g = Float64Array.from(used, (u) => gj[u]);
    const w = new Float64Array(k);
    for (let a = 0; a < k; a++) {
      let s = 0;
      for (let b = 0; b < k; b++) s += sigma[a * k + b] * g[b];
      w[a] = s;
    }
    const sjj = 1 / (newAlpha + model.S[j]);
    const muj = sjj * model.Q[j];
    // β φ_mᵀ e_j with e_j = φ_j − β Φ Σ Φᵀ φ_j.
    const e = project(used, w, beta);
    const S = Float64Array.from(model.S);
    const Q = Float64Array.from(model.Q);
    for (let m = 0; m < n; m++) {
      const t = beta * gj[m] - beta * e[m];
      S[m] -= sjj * t * t;
      Q[m] -= muj * t;
    }
    // Insert at the sorted position.
    let at = 0;
    while (at < k && used[at] < j) at++;
    const k1 = k + 1;
    const order = (a: number) => (a < at ? a : a + 1);
    const nextSigma = new Float64Array(k1 * k1);
    const nextMu = new Float64Array(k1);
    for (let a = 0; a < k; a++) {
      nextMu[order(a)] = mu[a] - beta * w[a] * muj;
      for (let b = 0; b < k; b++)
        nextSigma[order(a) * k1 + order(b)] = sigma[a * k + b] + beta * beta * sjj * w[a] * w[b];
      nextSigma[order(a) * k1 + at] = -beta * sjj * w[a];
      nextSigma[at * k1 + order(a)] = -beta * sjj * w[a];
    }
    nextSigma[at * k1 + at] = sjj;
    nextMu[at] = muj;
    const nextUsed = new Int32Array(k1);
    const nextAlpha = new Float64Array(k1);
    for (let a = 0; a < k; a++) {
      nextUsed[order(a)] = used[a];
      nextAlpha[order(a)] = alpha[a];
    }
    nextUsed[at] = j;
    nextAlpha[at] = newAlpha;
    return {
      used: nextUsed,
      alpha: nextAlpha,
      beta,
      sigma: nextSigma,
      mu: nextMu,
      S,
      Q,
      logEvidence: model.logEvidence + gain,
    };
  };

  const toState = (model: Model, iteration: number, done: boolean): SblState => {
    const n = p!.n;
    const { used, alpha, sigma, mu, beta } = model;
    const k = used.length;
    const gamma = new Float64Array(n);
    const mean = new Float64Array(n);
    const varianceDiag = new Float64Array(n);
    let effective = 0;
    let mAm = 0;
    let bty = 0;
    for (let a = 0; a < k; a++) {
      gamma[used[a]] = 1 / alpha[a];
      mean[used[a]] = mu[a];
      varianceDiag[used[a]] = sigma[a * k + a];
      effective += 1 - alpha[a] * sigma[a * k + a];
      mAm += alpha[a] * mu[a] * mu[a];
      bty += access!.phit[used[a]] * mu[a];
    }
    // ‖t − Φμ‖² from tᵀC⁻¹t = β‖t − Φμ‖² + μᵀAμ = β(‖t‖² − (Φᵀt)ᵀμ).
    const residual2 = Math.max(yy - bty - mAm / beta, 0);
    return {
      iteration,
      gamma,
      active: used,
      noiseVariance: 1 / beta,
      mean,
      varianceDiag,
      logEvidence: model.logEvidence,
      residual2,
      effectiveParameters: effective,
      done,
      extra: { activeCovariance: sigma, sparsity: model.S, quality: model.Q, form: "sequential" },
    };
  };

  const modelOf = (state: SblState): Model => {
    const used = state.active;
    return {
      used,
      alpha: Float64Array.from(used, (j) => 1 / state.gamma[j]),
      beta: 1 / state.noiseVariance,
      sigma: state.extra.activeCovariance!,
      mu: Float64Array.from(used, (j) => state.mean[j]),
      S: state.extra.sparsity!,
      Q: state.extra.quality!,
      logEvidence: state.logEvidence,
    };
  };

  return {
    algorithm: "tipping_faul",
    init(problem: SblProblem): SblState {
      const prob = normalizeProblem(problem);
      if (prob.complex) {
        throw new CapabilityError({
          where: "em-sbl",
          what: "tipping_faul runs on real data only",
          got: "a complex dictionary",
          hint: "use algorithm 'em' (complex ARD) or 'krosbl_am'/'krosbl_svd'.",
        });
      }
      if (prob.prior.kind !== "ard") {
        throw new CapabilityError({
          where: "em-sbl",
          what: `tipping_faul fits the 'ard' prior, not '${prob.prior.kind}'`,
        });
      }
      p = undefined;
      access = undefined;
      gramCache.clear();
      if (prob.yPower === 0) return zeroDataState(prob, { form: "sequential" });
      p = prob;
      yy = prob.yPower * prob.m;
      const dict = prob.dictionary;
      access =
        dict.kind === "dense"
          ? denseAccess(prob, dict.data)
          : kroneckerAccess(prob, dict.factors, dict.rows, dict.cols);
      const beta = 1 / prob.noiseVariance;
      let j0 = 0;
      let best = -1;
      for (let j = 0; j < prob.n; j++) {
        if (access.pnorm2[j] === 0) continue;
        const v = access.phit[j] ** 2 / access.pnorm2[j];
        if (v > best) {
          best = v;
          j0 = j;
        }
      }
      const pn = access.pnorm2[j0];
      const alpha0 = pn / Math.max(best - 1 / beta, 1e-12 * pn);
      return toState(fresh(Int32Array.of(j0), Float64Array.of(alpha0), beta), 0, false);
    },
    step(state: SblState) {
      if (state.done || !p || !access) return { state, info: idleInfo(state) };
      const prob = p;
      const n = prob.n;
      const model = modelOf(state);
      const { used, alpha, S: Sv, Q: Qv } = model;
      const k = used.length;
      const usedPos = new Int32Array(n).fill(-1);
      for (let a = 0; a < k; a++) usedPos[used[a]] = a;
      let bestGain = 0;
      let bestJ = -1;
      let bestAction = 0; // 1 add, −1 delete, 0 re-estimate
      let bestAlpha = Number.POSITIVE_INFINITY;
      let anyDelete = false;
      for (let j = 0; j < n; j++) {
        const S = Sv[j];
        const Q = Qv[j];
        const pos = usedPos[j];
        let gain: number;
        let action: number;
        let newAlpha = Number.POSITIVE_INFINITY;
        if (pos < 0) {
          if (!(S > 0) || !(Q * Q > S)) continue;
          const quot = (Q * Q) / S;
          gain = 0.5 * (quot - 1 - Math.log(quot));
          action = 1;
          newAlpha = (S * S) / (Q * Q - S);
        } else {
          const a = alpha[pos];
          const s = (a * S) / (a - S);
          const q = (a * Q) / (a - S);
          const theta = q * q - s;
          if (theta > 0) {
            newAlpha = (s * s) / theta;
            const delta = 1 / newAlpha - 1 / a;
            gain = 0.5 * ((delta * Q * Q) / (delta * S + 1) - Math.log1p(S * delta));
            action = 0;
          } else if (k > 1) {
            anyDelete = true;
            gain = -0.5 * ((q * q) / (s + a) - Math.log1p(s / a));
            action = -1;
          } else continue;
        }
        // Strictly greater keeps the first index among equal gains.
        if (gain > bestGain) {
          bestGain = gain;
          bestJ = j;
          bestAction = action;
          bestAlpha = newAlpha;
        }
      }
      let terminate = bestJ < 0;
      if (!terminate && bestAction === 0) {
        const old = alpha[usedPos[bestJ]];
        if (Math.abs(Math.log(bestAlpha) - Math.log(old)) < 1e-3 && !anyDelete) terminate = true;
      }
      const iteration = state.iteration + 1;
      let next = model;
      if (!terminate) {
        if (bestAction === 1) next = add(model, bestJ, bestAlpha, bestGain);
        else next = downdate(model, usedPos[bestJ], bestAction === 0 ? bestAlpha : Number.POSITIVE_INFINITY, bestGain);
        if (iteration % REFRESH_EVERY === 0) next = fresh(next.used, next.alpha, next.beta);
      }
      const warnings: string[] = [];
      let done = terminate;
      if (prob.learnNoise && (iteration % noiseEvery === 0 || terminate)) {
        const current = toState(next, iteration, false);
        const dof = prob.m - current.effectiveParameters;
        let variance =
          dof > 1e-9 * prob.m
            ? current.residual2 / dof
            : (current.residual2 + current.effectiveParameters * current.noiseVariance) / prob.m;
        const minimum = floor * prob.yPower;
        const floored = !(variance >= minimum);
        if (floored) {
          variance = minimum;
          warnings.push(
            `noise variance reached its floor ${minimum.toPrecision(3)} (noiseFloor · mean|y|²): ` +
              "the model interpolates the data; give the noise variance or raise noiseFloor",
          );
        }
        const nextBeta = 1 / variance;
        // At the floor the estimate cannot move further down; stopping there avoids a cycle
        // between the floor and the estimate the floored model produces.
        const changed = !floored && Math.abs(Math.log(nextBeta) - Math.log(next.beta)) > 1e-3;
        next = fresh(next.used, next.alpha, nextBeta);
        if (terminate && changed) done = false;
      }
      const out = toState(next, iteration, done);
      return { state: out, info: stepInfo(state, out, relativeChange(out.gamma, state.gamma), warnings) };
    },
    covariance(state: SblState): Float64Array {
      return Float64Array.from(state.extra.activeCovariance ?? []);
    },
    dispose(): void {
      // Gram columns and dictionary access live in ordinary arrays; dropping them frees them.
      p = undefined;
      access = undefined;
      gramCache.clear();
    },
  };
}
