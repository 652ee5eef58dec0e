/**
 * Hand-written DensityModels for the VI tests and bench (no compiler needed): a Gaussian with a
 * known posterior, a logistic regression, and a model with a positive parameter (log transform).
 */
import type { Rng } from "../../../src/core/rng.js";
import type { DensityModel } from "../../../src/inference/model/density_model.js";

export { gaussianModel, handModel, layoutOf } from "../../helpers/hand_models.js";
import { handModel, layoutOf } from "../../helpers/hand_models.js";

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
