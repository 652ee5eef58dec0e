/**
 * Gaussian variational families on the unconstrained space: θ = μ + (scale map)·ξ with ξ a vector
 * of independent standard normals. Each family packs its parameters into one Float64Array (so the
 * optimiser treats them uniformly), draws θ from ξ, back-propagates ∇θ to the parameters (the
 * reparameterisation gradient), and gives the entropy and its gradient in closed form.
 *
 * Scales are parameterised through logs (σ = exp(ω), and the Cholesky diagonal exp(ω)), so every
 * parameter vector is valid and the entropy gradient never divides by a value near zero.
 *
 * @module
 */
import { DomainError, describeValue } from "../../core/errors.js";
import { LN_TWO_PI } from "../../runtime/special.js";

/**
 * Which Gaussian family: independent coordinates, a dense Cholesky factor, or a rank-r factor
 * plus an independent diagonal.
 *
 * @example
 * ```ts
 * const family: FamilySpec = { kind: "lowrank", rank: 3 };
 * ```
 */
export type FamilySpec = "meanfield" | "fullrank" | { readonly kind: "lowrank"; readonly rank: number };

/**
 * A Gaussian family bound to one dimension, with private scratch buffers. Parameter vectors are
 * `[μ (d), ω (d), factor entries…]`; `prepare(params)` must be called after the parameters change
 * and before `entropy`, `addEntropyGradient` or `logDensity` (it caches factorisations).
 *
 * @example
 * ```ts
 * const q = createFamily("meanfield", 2);
 * const params = new Float64Array(q.numParams); // μ = 0, σ = 1
 * q.prepare(params);
 * q.entropy(); // 2·½(1 + log 2π)
 * ```
 */
export interface GaussianFamily {
  /** `'meanfield'`, `'fullrank'` or `'lowrank'`. */
  readonly kind: "meanfield" | "fullrank" | "lowrank";
  /** Dimension d of θ. */
  readonly dimension: number;
  /** Rank of the low-rank factor (0 for the other families). */
  readonly rank: number;
  /** Length of the packed parameter vector. */
  readonly numParams: number;
  /** Number of standard normals one draw consumes (d, or d + rank). */
  readonly noiseDimension: number;
  /** Sets μ = `location` and the scale to the identity (σ = 1, no correlation). */
  initialize(location: Float64Array, params: Float64Array): void;
  /** Caches what `entropy`, `addEntropyGradient` and `logDensity` need for these parameters. */
  prepare(params: Float64Array): void;
  /** θ = μ + S·ξ for the noise ξ (length `noiseDimension`). */
  draw(params: Float64Array, noise: Float64Array, theta: Float64Array): void;
  /** gradParams += (∂θ/∂params)ᵀ·gradTheta at the draw made from `noise`. */
  addSampleGradient(params: Float64Array, noise: Float64Array, gradTheta: Float64Array, gradParams: Float64Array): void;
  /** Entropy of q at the prepared parameters. */
  entropy(): number;
  /** gradParams += weight·∇(entropy) at the prepared parameters. */
  addEntropyGradient(params: Float64Array, gradParams: Float64Array, weight: number): void;
  /** log q(θ) at the prepared parameters. */
  logDensity(params: Float64Array, theta: Float64Array): number;
  /** Marginal standard deviations √Σᵢᵢ (writes `out`, length d). */
  marginalSd(params: Float64Array, out: Float64Array): void;
  /** The covariance Σ as a dense row-major d × d array. */
  covariance(params: Float64Array): Float64Array;
}

const HALF_LN_2PI_E = 0.5 * (1 + LN_TWO_PI);

/**
 * Checks a family specification and builds the family for dimension `d`.
 *
 * @throws DomainError for an unknown family or a rank outside 1 … d.
 * @example
 * ```ts
 * const q = createFamily({ kind: "lowrank", rank: 2 }, 10);
 * q.numParams; // 10 + 10 + 20
 * ```
 */
export function createFamily(spec: FamilySpec, d: number): GaussianFamily {
  if (spec === "meanfield") return meanField(d);
  if (spec === "fullrank") return fullRank(d);
  if (typeof spec === "object" && spec !== null && spec.kind === "lowrank") {
    const r = spec.rank;
    if (!Number.isInteger(r) || r < 1 || r > Math.max(1, d)) {
      throw new DomainError({
        where: "advi",
        what: "the low-rank family needs an integer rank between 1 and the dimension",
        got: describeValue(r),
        expected: `an integer in [1, ${Math.max(1, d)}]`,
      });
    }
    return lowRank(d, r);
  }
  throw new DomainError({
    where: "advi",
    what: "unknown variational family",
    got: describeValue(typeof spec === "object" && spec !== null ? (spec as { kind?: unknown }).kind : spec),
    expected: "'meanfield', 'fullrank' or { kind: 'lowrank', rank }",
  });
}

/** q(θ) = Πᵢ N(θᵢ | μᵢ, exp(ωᵢ)²): parameters [μ, ω]. */
function meanField(d: number): GaussianFamily {
  let sumOmega = 0;
  return {
    kind: "meanfield",
    dimension: d,
    rank: 0,
    numParams: 2 * d,
    noiseDimension: d,
    initialize(location, params) {
      params.set(location, 0);
      params.fill(0, d, 2 * d);
    },
    prepare(params) {
      let s = 0;
      for (let i = 0; i < d; i++) s += params[d + i];
      sumOmega = s;
    },
    draw(params, noise, theta) {
      for (let i = 0; i < d; i++) theta[i] = params[i] + Math.exp(params[d + i]) * noise[i];
    },
    addSampleGradient(params, noise, g, out) {
      for (let i = 0; i < d; i++) {
        out[i] += g[i];
        out[d + i] += g[i] * noise[i] * Math.exp(params[d + i]);
      }
    },
    entropy: () => sumOmega + d * HALF_LN_2PI_E,
    addEntropyGradient(_params, out, weight) {
      for (let i = 0; i < d; i++) out[d + i] += weight;
    },
    logDensity(params, theta) {
      let quad = 0;
      for (let i = 0; i < d; i++) {
        const u = (theta[i] - params[i]) * Math.exp(-params[d + i]);
        quad += u * u;
      }
      return -0.5 * quad - sumOmega - 0.5 * d * LN_TWO_PI;
    },
    marginalSd(params, out) {
      for (let i = 0; i < d; i++) out[i] = Math.exp(params[d + i]);
    },
    covariance(params) {
      const c = new Float64Array(d * d);
      for (let i = 0; i < d; i++) c[i * d + i] = Math.exp(2 * params[d + i]);
      return c;
    },
  };
}

/**
 * q(θ) = N(μ, L·Lᵀ) with L lower triangular, diagonal exp(ω): parameters [μ, ω, L strictly
 * below the diagonal packed by rows (entry (i, j), j < i, at 2d + i(i−1)/2 + j)].
 */
function fullRank(d: number): GaussianFamily {
  const lower = 2 * d;
  const solved = new Float64Array(d);
  let sumOmega = 0;
  return {
    kind: "fullrank",
    dimension: d,
    rank: 0,
    numParams: 2 * d + (d * (d - 1)) / 2,
    noiseDimension: d,
    initialize(location, params) {
      params.set(location, 0);
      params.fill(0, d);
    },
    prepare(params) {
      let s = 0;
      for (let i = 0; i < d; i++) s += params[d + i];
      sumOmega = s;
    },
    draw(params, noise, theta) {
      for (let i = 0; i < d; i++) {
        const row = lower + (i * (i - 1)) / 2;
        let s = params[i] + Math.exp(params[d + i]) * noise[i];
        for (let j = 0; j < i; j++) s += params[row + j] * noise[j];
        theta[i] = s;
      }
    },
    addSampleGradient(params, noise, g, out) {
      for (let i = 0; i < d; i++) {
        const gi = g[i];
        out[i] += gi;
        out[d + i] += gi * noise[i] * Math.exp(params[d + i]);
        const row = lower + (i * (i - 1)) / 2;
        for (let j = 0; j < i; j++) out[row + j] += gi * noise[j];
      }
    },
    entropy: () => sumOmega + d * HALF_LN_2PI_E,
    addEntropyGradient(_params, out, weight) {
      for (let i = 0; i < d; i++) out[d + i] += weight;
    },
    logDensity(params, theta) {
      // Forward substitution L·u = θ − μ; then log q = −½|u|² − log|L| − (d/2) log 2π.
      let quad = 0;
      for (let i = 0; i < d; i++) {
        const row = lower + (i * (i - 1)) / 2;
        let s = theta[i] - params[i];
        for (let j = 0; j < i; j++) s -= params[row + j] * solved[j];
        const u = s * Math.exp(-params[d + i]);
        solved[i] = u;
        quad += u * u;
      }
      return -0.5 * quad - sumOmega - 0.5 * d * LN_TWO_PI;
    },
    marginalSd(params, out) {
      for (let i = 0; i < d; i++) {
        const row = lower + (i * (i - 1)) / 2;
        let s = Math.exp(2 * params[d + i]);
        for (let j = 0; j < i; j++) s += params[row + j] * params[row + j];
        out[i] = Math.sqrt(s);
      }
    },
    covariance(params) {
      const L = new Float64Array(d * d);
      for (let i = 0; i < d; i++) {
        const row = lower + (i * (i - 1)) / 2;
        for (let j = 0; j < i; j++) L[i * d + j] = params[row + j];
        L[i * d + i] = Math.exp(params[d + i]);
      }
      const c = new Float64Array(d * d);
      for (let i = 0; i < d; i++) {
        for (let j = 0; j <= i; j++) {
          let s = 0;
          for (let k = 0; k <= j; k++) s += L[i * d + k] * L[j * d + k];
          c[i * d + j] = s;
          c[j * d + i] = s;
        }
      }
      return c;
    },
  };
}

/**
 * q(θ) = N(μ, B·Bᵀ + diag(exp(2ω))) with B a d × r factor: parameters [μ, ω, B row-major].
 * Draws use θ = μ + B·z + exp(ω)⊙ε with noise [ε (d), z (r)]. Entropy and log q go through the
 * r × r capacitance C = I + BᵀD⁻¹B (D = diag(exp(2ω))): log det Σ = log det D + log det C
 * (matrix determinant lemma), Σ⁻¹ = D⁻¹ − D⁻¹BC⁻¹BᵀD⁻¹ (Woodbury), Σ⁻¹B = D⁻¹BC⁻¹. The cost is
 * O(d·r²) per `prepare`, O(d·r) per draw.
 */
function lowRank(d: number, r: number): GaussianFamily {
  const factor = 2 * d;
  const chol = new Float64Array(r * r); // Cholesky factor of C (lower, row-major)
  const w = new Float64Array(d * r); // B·C⁻¹, row-major
  const u = new Float64Array(r);
  let logDetSigma = 0;

  /** Solves C·x = b in place with the cached lower Cholesky factor. */
  const solveC = (b: Float64Array, off: number) => {
    for (let i = 0; i < r; i++) {
      let s = b[off + i];
      for (let k = 0; k < i; k++) s -= chol[i * r + k] * b[off + k];
      b[off + i] = s / chol[i * r + i];
    }
    for (let i = r - 1; i >= 0; i--) {
      let s = b[off + i];
      for (let k = i + 1; k < r; k++) s -= chol[k * r + i] * b[off + k];
      b[off + i] = s / chol[i * r + i];
    }
  };

  return {
    kind: "lowrank",
    dimension: d,
    rank: r,
    numParams: 2 * d + d * r,
    noiseDimension: d + r,
    initialize(location, params) {
      params.set(location, 0);
      params.fill(0, d);
    },
    prepare(params) {
      // C = I + Σᵢ bᵢ bᵢᵀ / σᵢ² (lower triangle), then C = L·Lᵀ.
      chol.fill(0);
      let logDetD = 0;
      for (let i = 0; i < d; i++) {
        const inv = Math.exp(-2 * params[d + i]);
        logDetD += 2 * params[d + i];
        const row = factor + i * r;
        for (let a = 0; a < r; a++) {
          const ba = params[row + a] * inv;
          for (let b = 0; b <= a; b++) chol[a * r + b] += ba * params[row + b];
        }
      }
      let logDetC = 0;
      for (let a = 0; a < r; a++) {
        chol[a * r + a] += 1;
        for (let b = 0; b <= a; b++) {
          let s = chol[a * r + b];
          for (let k = 0; k < b; k++) s -= chol[a * r + k] * chol[b * r + k];
          if (a === b) {
            // C ⪰ I, so the pivot is ≥ 1 in exact arithmetic; max() guards rounding only.
            const pivot = Math.sqrt(Math.max(s, 1e-300));
            chol[a * r + a] = pivot;
            logDetC += 2 * Math.log(pivot);
          } else {
            chol[a * r + b] = s / chol[b * r + b];
          }
        }
      }
      logDetSigma = logDetD + logDetC;
      for (let i = 0; i < d; i++) {
        const row = factor + i * r;
        for (let a = 0; a < r; a++) w[i * r + a] = params[row + a];
        solveC(w, i * r);
      }
    },
    draw(params, noise, theta) {
      for (let i = 0; i < d; i++) {
        const row = factor + i * r;
        let s = params[i] + Math.exp(params[d + i]) * noise[i];
        for (let a = 0; a < r; a++) s += params[row + a] * noise[d + a];
        theta[i] = s;
      }
    },
    addSampleGradient(params, noise, g, out) {
      for (let i = 0; i < d; i++) {
        const gi = g[i];
        out[i] += gi;
        out[d + i] += gi * noise[i] * Math.exp(params[d + i]);
        const row = factor + i * r;
        for (let a = 0; a < r; a++) out[row + a] += gi * noise[d + a];
      }
    },
    entropy: () => 0.5 * logDetSigma + d * HALF_LN_2PI_E,
    addEntropyGradient(params, out, weight) {
      // ∂H/∂B = Σ⁻¹B = D⁻¹·B·C⁻¹; ∂H/∂ωᵢ = σᵢ²(Σ⁻¹)ᵢᵢ = 1 − (B·C⁻¹·Bᵀ)ᵢᵢ / σᵢ².
      for (let i = 0; i < d; i++) {
        const inv = Math.exp(-2 * params[d + i]);
        const row = factor + i * r;
        let q = 0;
        for (let a = 0; a < r; a++) {
          const wa = w[i * r + a];
          q += wa * params[row + a];
          out[row + a] += weight * wa * inv;
        }
        out[d + i] += weight * (1 - q * inv);
      }
    },
    logDensity(params, theta) {
      // δᵀΣ⁻¹δ = δᵀD⁻¹δ − uᵀC⁻¹u with u = BᵀD⁻¹δ.
      u.fill(0);
      let quad = 0;
      for (let i = 0; i < d; i++) {
        const inv = Math.exp(-2 * params[d + i]);
        const delta = theta[i] - params[i];
        quad += delta * delta * inv;
        const row = factor + i * r;
        for (let a = 0; a < r; a++) u[a] += params[row + a] * inv * delta;
      }
      let correction = 0;
      for (let a = 0; a < r; a++) {
        let s = u[a];
        for (let k = 0; k < a; k++) s -= chol[a * r + k] * u[k];
        u[a] = s / chol[a * r + a];
        correction += u[a] * u[a];
      }
      return -0.5 * (quad - correction) - 0.5 * logDetSigma - 0.5 * d * LN_TWO_PI;
    },
    marginalSd(params, out) {
      for (let i = 0; i < d; i++) {
        const row = factor + i * r;
        let s = Math.exp(2 * params[d + i]);
        for (let a = 0; a < r; a++) s += params[row + a] * params[row + a];
        out[i] = Math.sqrt(s);
      }
    },
    covariance(params) {
      const c = new Float64Array(d * d);
      for (let i = 0; i < d; i++) {
        for (let j = 0; j <= i; j++) {
          let s = i === j ? Math.exp(2 * params[d + i]) : 0;
          for (let a = 0; a < r; a++) s += params[factor + i * r + a] * params[factor + j * r + a];
          c[i * d + j] = s;
          c[j * d + i] = s;
        }
      }
      return c;
    },
  };
}
