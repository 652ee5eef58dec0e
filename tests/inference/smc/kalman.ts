/**
 * Exact references for the SMC tests: the Kalman filter and the Rauch–Tung–Striebel smoother of
 * a linear-Gaussian state-space model with scalar observations, written independently of the SMC
 * code (plain arrays, textbook recursions), plus the AR(1)-plus-noise model as a StateSpaceModel.
 */
import type { Rng } from "../../../src/core/rng.js";
import type { Proposal, StateSpaceModel } from "../../../src/inference/smc/index.js";

/** x₀ ~ N(m0, P0); x_t = F x_{t−1} + N(0, Q); y_t = H·x_t + N(0, R) (scalar y). */
export interface LinearGaussianSpec {
  readonly F: number[][];
  readonly Q: number[][];
  readonly H: number[];
  readonly R: number;
  readonly m0: number[];
  readonly P0: number[][];
}

export interface KalmanResult {
  readonly logEvidence: number;
  /** Filtered means and covariances, per time. */
  readonly filteredMeans: number[][];
  readonly filteredCovs: number[][][];
  /** Smoothed (RTS) means and covariances, per time. */
  readonly smoothedMeans: number[][];
  readonly smoothedCovs: number[][][];
  /** Cov(x_t, x_{t+1} | y_{0:T−1}) for t = 0 … T−2 (G_t P^s_{t+1}, the smoother gain times the next smoothed covariance). */
  readonly smoothedLagCovs: number[][][];
}

const matVec = (A: number[][], x: number[]) => A.map((row) => row.reduce((s, a, j) => s + a * x[j], 0));
const matMul = (A: number[][], B: number[][]) =>
  A.map((row) => B[0].map((_, j) => row.reduce((s, a, k) => s + a * B[k][j], 0)));
const transpose = (A: number[][]) => A[0].map((_, j) => A.map((row) => row[j]));
const add = (A: number[][], B: number[][]) => A.map((row, i) => row.map((a, j) => a + B[i][j]));
const sub = (A: number[][], B: number[][]) => A.map((row, i) => row.map((a, j) => a - B[i][j]));

/** Inverse of a small symmetric positive-definite matrix by Gauss–Jordan elimination with pivoting. */
function inverse(A: number[][]): number[][] {
  const n = A.length;
  const M = A.map((row, i) => [...row, ...row.map((_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r][c]) > Math.abs(M[p][c])) p = r;
    [M[c], M[p]] = [M[p], M[c]];
    const pivot = M[c][c];
    for (let j = 0; j < 2 * n; j++) M[c][j] /= pivot;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = M[r][c];
      for (let j = 0; j < 2 * n; j++) M[r][j] -= f * M[c][j];
    }
  }
  return M.map((row) => row.slice(n));
}

/** Kalman filter (prediction–update, Joseph-free textbook form) and RTS smoother. */
export function kalman(spec: LinearGaussianSpec, y: readonly number[]): KalmanResult {
  const { F, Q, H, R } = spec;
  const T = y.length;
  const filteredMeans: number[][] = [];
  const filteredCovs: number[][][] = [];
  const predictedMeans: number[][] = [];
  const predictedCovs: number[][][] = [];
  let logEvidence = 0;
  let m = spec.m0;
  let P = spec.P0;
  for (let t = 0; t < T; t++) {
    if (t > 0) {
      m = matVec(F, m);
      P = add(matMul(matMul(F, P), transpose(F)), Q);
    }
    predictedMeans.push(m);
    predictedCovs.push(P);
    const PH = P.map((row) => row.reduce((s, a, j) => s + a * H[j], 0));
    const S = H.reduce((s, h, i) => s + h * PH[i], 0) + R;
    const e = y[t] - H.reduce((s, h, i) => s + h * m[i], 0);
    logEvidence += -0.5 * (Math.log(2 * Math.PI * S) + (e * e) / S);
    const K = PH.map((v) => v / S);
    m = m.map((v, i) => v + K[i] * e);
    P = P.map((row, i) => row.map((v, j) => v - K[i] * PH[j]));
    filteredMeans.push(m);
    filteredCovs.push(P);
  }
  const smoothedMeans: number[][] = new Array(T);
  const smoothedCovs: number[][][] = new Array(T);
  const smoothedLagCovs: number[][][] = new Array(Math.max(T - 1, 0));
  smoothedMeans[T - 1] = filteredMeans[T - 1];
  smoothedCovs[T - 1] = filteredCovs[T - 1];
  for (let t = T - 2; t >= 0; t--) {
    const G = matMul(matMul(filteredCovs[t], transpose(F)), inverse(predictedCovs[t + 1]));
    const dm = smoothedMeans[t + 1].map((v, i) => v - predictedMeans[t + 1][i]);
    smoothedMeans[t] = filteredMeans[t].map((v, i) => v + matVec(G, dm)[i]);
    smoothedCovs[t] = add(
      filteredCovs[t],
      matMul(matMul(G, sub(smoothedCovs[t + 1], predictedCovs[t + 1])), transpose(G)),
    );
    smoothedLagCovs[t] = matMul(G, smoothedCovs[t + 1]);
  }
  return { logEvidence, filteredMeans, filteredCovs, smoothedMeans, smoothedCovs, smoothedLagCovs };
}

/** Parameters of the scalar AR(1)-plus-noise model: x₀ ~ N(0, s0²), x_t = φx_{t−1} + q·ε, y_t = x_t + μ + r·ν. */
export interface Ar1Params {
  readonly phi: number;
  readonly q: number;
  readonly r: number;
  readonly s0: number;
  readonly mu?: number;
}

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
export const normalLogDensity = (x: number, mean: number, sd: number): number => {
  const z = (x - mean) / sd;
  return -0.5 * z * z - Math.log(sd) - LOG_SQRT_2PI;
};

/** Simulates y (and x) from the AR(1)-plus-noise model. */
export function simulateAr1(rng: Rng, p: Ar1Params, T: number): { x: number[]; y: number[] } {
  const x: number[] = [];
  const y: number[] = [];
  let state = p.s0 * rng.normal();
  for (let t = 0; t < T; t++) {
    if (t > 0) state = p.phi * state + p.q * rng.normal();
    x.push(state);
    y.push(state + (p.mu ?? 0) + p.r * rng.normal());
  }
  return { x, y };
}

/** The AR(1)-plus-noise model as a StateSpaceModel (with the transition's density bound). */
export function ar1Model(p: Ar1Params, y: readonly number[]): StateSpaceModel {
  const mu = p.mu ?? 0;
  return {
    stateDimension: 1,
    numTimeSteps: y.length,
    initial: {
      sample: (rng, out) => {
        out[0] = p.s0 * rng.normal();
      },
      logDensity: (x) => normalLogDensity(x[0], 0, p.s0),
    },
    transition: {
      sample: (rng, prev, _t, out) => {
        out[0] = p.phi * prev[0] + p.q * rng.normal();
      },
      logDensity: (prev, next) => normalLogDensity(next[0], p.phi * prev[0], p.q),
      logDensityBound: () => -Math.log(p.q) - LOG_SQRT_2PI,
    },
    observation: { logDensity: (x, t) => normalLogDensity(y[t], x[0] + mu, p.r) },
  };
}

/** The scalar AR(1) spec for {@link kalman} (μ = 0). */
export function ar1Spec(p: Ar1Params): LinearGaussianSpec {
  return { F: [[p.phi]], Q: [[p.q * p.q]], H: [1], R: p.r * p.r, m0: [0], P0: [[p.s0 * p.s0]] };
}

/**
 * The fully adapted proposal of the AR(1) model: q_t(x_t | x_{t−1}) = p(x_t | x_{t−1}, y_t) and
 * look-ahead η(x_t) = p(y_{t+1} | x_t), both Gaussian in closed form.
 */
export function ar1OptimalProposal(p: Ar1Params, y: readonly number[]): Proposal {
  const q2 = p.q * p.q;
  const r2 = p.r * p.r;
  const s2 = 1 / (1 / q2 + 1 / r2);
  const s = Math.sqrt(s2);
  const v0 = 1 / (1 / (p.s0 * p.s0) + 1 / r2);
  const mean = (prev: number, t: number) => s2 * ((p.phi * prev) / q2 + y[t] / r2);
  return {
    initial: {
      sample: (rng, out) => {
        out[0] = v0 * (y[0] / r2) + Math.sqrt(v0) * rng.normal();
      },
      logDensity: (x) => normalLogDensity(x[0], v0 * (y[0] / r2), Math.sqrt(v0)),
    },
    sample: (rng, prev, t, out) => {
      out[0] = mean(prev[0], t) + s * rng.normal();
    },
    logDensity: (prev, next, t) => normalLogDensity(next[0], mean(prev[0], t), s),
    logLookahead: (x, t) => normalLogDensity(y[t + 1], p.phi * x[0], Math.sqrt(q2 + r2)),
  };
}

/**
 * A linear-Gaussian model with diagonal Q and P0 as a StateSpaceModel (any state dimension): the
 * coordinates of each noise term are independent, so densities are sums of scalar normal terms.
 */
export function diagonalLinearGaussianModel(spec: LinearGaussianSpec, y: readonly number[]): StateSpaceModel {
  const n = spec.m0.length;
  const q = spec.Q.map((row, i) => Math.sqrt(row[i]));
  const p0 = spec.P0.map((row, i) => Math.sqrt(row[i]));
  const r = Math.sqrt(spec.R);
  const mean = (prev: Float64Array, i: number) => spec.F[i].reduce((s, f, j) => s + f * prev[j], 0);
  return {
    stateDimension: n,
    numTimeSteps: y.length,
    initial: {
      sample: (rng, out) => {
        for (let i = 0; i < n; i++) out[i] = spec.m0[i] + p0[i] * rng.normal();
      },
      logDensity: (x) => {
        let s = 0;
        for (let i = 0; i < n; i++) s += normalLogDensity(x[i], spec.m0[i], p0[i]);
        return s;
      },
    },
    transition: {
      sample: (rng, prev, _t, out) => {
        for (let i = 0; i < n; i++) out[i] = mean(prev, i) + q[i] * rng.normal();
      },
      logDensity: (prev, next) => {
        let s = 0;
        for (let i = 0; i < n; i++) s += normalLogDensity(next[i], mean(prev, i), q[i]);
        return s;
      },
      logDensityBound: () => q.reduce((s, qi) => s - Math.log(qi) - LOG_SQRT_2PI, 0),
    },
    observation: {
      logDensity: (x, t) =>
        normalLogDensity(
          y[t],
          spec.H.reduce((s, h, i) => s + h * x[i], 0),
          r,
        ),
    },
  };
}
