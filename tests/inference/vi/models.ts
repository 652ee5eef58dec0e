/**
 * Hand-written DensityModels for the VI tests and bench (no compiler needed): a Gaussian with a
 * known posterior, a logistic regression, and a model with a positive parameter (log transform).
 */
import type { Rng } from "../../../src/core/rng.js";
import type { Shape } from "../../../src/core/shape.js";
import { POSITIVE, REAL, type Support } from "../../../src/core/support.js";
import type { DensityModel, VariableLayout } from "../../../src/inference/model/density_model.js";
import type { Bijector } from "../../../src/runtime/bijectors/bijector.js";

const identity: Bijector = {
  name: "identity",
  unconstrainedSize: (n) => n,
  forward(u, uOff, x, xOff, n) {
    for (let i = 0; i < n; i++) x[xOff + i] = u[uOff + i];
    return 0;
  },
  inverse(x, xOff, u, uOff, n) {
    for (let i = 0; i < n; i++) u[uOff + i] = x[xOff + i];
  },
  backward(_u, _uOff, n, xAdj, xAdjOff, uAdj, uAdjOff) {
    for (let i = 0; i < n; i++) uAdj[uAdjOff + i] += xAdj[xAdjOff + i];
  },
};

const exp: Bijector = {
  name: "lower(0)",
  unconstrainedSize: (n) => n,
  forward(u, uOff, x, xOff, n) {
    let logJ = 0;
    for (let i = 0; i < n; i++) {
      x[xOff + i] = Math.exp(u[uOff + i]);
      logJ += u[uOff + i];
    }
    return logJ;
  },
  inverse(x, xOff, u, uOff, n) {
    for (let i = 0; i < n; i++) u[uOff + i] = Math.log(x[xOff + i]);
  },
  backward(u, uOff, n, xAdj, xAdjOff, uAdj, uAdjOff) {
    for (let i = 0; i < n; i++) uAdj[uAdjOff + i] += xAdj[xAdjOff + i] * Math.exp(u[uOff + i]) + 1;
  },
};

/** A layout of variables, each either real (identity) or positive (exp). */
export function layoutOf(variables: readonly { name: string; shape: Shape; positive?: boolean }[]): VariableLayout[] {
  let offset = 0;
  return variables.map(({ name, shape, positive }) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const support: Support = positive ? POSITIVE : REAL;
    const v: VariableLayout = {
      name,
      shape,
      offset,
      size,
      constrainedOffset: offset,
      constrainedSize: size,
      support,
      bijector: positive ? exp : identity,
    };
    offset += size;
    return v;
  });
}

/** A model from an unconstrained log density (log|J| included by the caller). */
export function handModel(
  layout: VariableLayout[],
  logDensityAndGrad: (theta: Float64Array, grad: Float64Array) => number,
  discreteLatents: readonly string[] = [],
): DensityModel {
  const d = layout.reduce((a, v) => a + v.size, 0);
  const scratch = new Float64Array(d);
  return {
    dimension: d,
    constrainedDimension: d,
    layout,
    discreteLatents,
    logDensity: (theta) => logDensityAndGrad(theta, scratch),
    logDensityAndGrad,
    constrain(theta, out) {
      const o = out ?? new Float64Array(d);
      for (const v of layout) v.bijector.forward(theta, v.offset, o, v.constrainedOffset, v.size);
      return o;
    },
    unconstrain(values, out) {
      const o = out ?? new Float64Array(d);
      for (const v of layout) {
        const x = values[v.name];
        const arr = typeof x === "number" ? Float64Array.of(x) : (x as Float64Array);
        v.bijector.inverse(arr, 0, o, v.offset, v.size);
      }
      return o;
    },
    samplePrior(rng: Rng, out) {
      const o = out ?? new Float64Array(d);
      for (let i = 0; i < d; i++) o[i] = rng.normal();
      return o;
    },
  };
}

/** N(mean, P⁻¹) on ℝ^d (one vector variable 'x'), given the precision P (row-major d·d). */
export function gaussianModel(mean: Float64Array, precision: Float64Array): DensityModel {
  const d = mean.length;
  const diff = new Float64Array(d);
  return handModel(layoutOf([{ name: "x", shape: [d] }]), (theta, grad) => {
    for (let i = 0; i < d; i++) diff[i] = theta[i] - mean[i];
    let quad = 0;
    for (let i = 0; i < d; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += precision[i * d + j] * diff[j];
      grad[i] = -s;
      quad += diff[i] * s;
    }
    return -0.5 * quad;
  });
}

/**
 * Bayesian logistic regression y ~ bernoulli(logistic(X β)), β ~ N(0, priorScale²), with X row-major
 * n × p; one vector variable 'beta'.
 */
export function logisticModel(X: Float64Array, y: Float64Array, p: number, priorScale = 10): DensityModel {
  const n = y.length;
  const prec = 1 / (priorScale * priorScale);
  return handModel(layoutOf([{ name: "beta", shape: [p] }]), (beta, grad) => {
    let lp = 0;
    for (let j = 0; j < p; j++) {
      lp -= 0.5 * prec * beta[j] * beta[j];
      grad[j] = -prec * beta[j];
    }
    for (let i = 0; i < n; i++) {
      let eta = 0;
      for (let j = 0; j < p; j++) eta += X[i * p + j] * beta[j];
      // log σ(η) = −log1p(e^(−η)), log(1 − σ(η)) = −log1p(e^η), in a stable form.
      const logSig = eta > 0 ? -Math.log1p(Math.exp(-eta)) : eta - Math.log1p(Math.exp(eta));
      const logOneMinus = logSig - eta;
      lp += y[i] === 1 ? logSig : logOneMinus;
      const sig = 1 / (1 + Math.exp(-eta));
      const r = y[i] - sig;
      for (let j = 0; j < p; j++) grad[j] += r * X[i * p + j];
    }
    return lp;
  });
}

/** Synthetic logistic-regression data from a seeded stream: X with a leading column of ones. */
export function logisticData(rng: Rng, n: number, beta: readonly number[]): { X: Float64Array; y: Float64Array } {
  const p = beta.length;
  const X = new Float64Array(n * p);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let eta = 0;
    for (let j = 0; j < p; j++) {
      const x = j === 0 ? 1 : rng.normal();
      X[i * p + j] = x;
      eta += x * beta[j];
    }
    y[i] = rng.uniform() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
  }
  return { X, y };
}

/**
 * Normal model with unknown mean and scale: y_i ~ N(mu, sigma), mu ~ N(0, 10), sigma ~ lognormal(0, 1),
 * sampled on (mu, log sigma) with log|J| = log sigma.
 */
export function normalScaleModel(y: Float64Array): DensityModel {
  const n = y.length;
  return handModel(
    layoutOf([
      { name: "mu", shape: [] },
      { name: "sigma", shape: [], positive: true },
    ]),
    (theta, grad) => {
      const mu = theta[0];
      const logSigma = theta[1];
      const inv2 = Math.exp(-2 * logSigma);
      let ss = 0;
      let s1 = 0;
      for (let i = 0; i < n; i++) {
        const r = y[i] - mu;
        ss += r * r;
        s1 += r;
      }
      // lognormal(0, 1) prior on sigma: −log σ − ½(log σ)²; plus log|J| = log σ.
      const lp = -0.005 * mu * mu - 0.5 * logSigma * logSigma - n * logSigma - 0.5 * ss * inv2;
      grad[0] = -0.01 * mu + s1 * inv2;
      grad[1] = -logSigma - n + ss * inv2;
      return lp;
    },
  );
}
