import { pooledMean } from "../../../src/inference/diagnostics/draws.js";
import { mcseMean } from "../../../src/inference/diagnostics/mcse.js";
import type { DensityModel, VariableLayout } from "../../../src/inference/model/density_model.js";
import { handModel, layoutOf as realLayout } from "../../helpers/hand_models.js";

export { gaussianModel, layoutOf as realLayout } from "../../helpers/hand_models.js";

/** A model on ℝ^d with the identity transform, from a log density and its gradient. */
export function identityModel(
  layout: VariableLayout[],
  logDensityAndGrad: (theta: Float64Array, grad: Float64Array) => number,
  extra: Partial<Pick<DensityModel, "discreteLatents">> = {},
): DensityModel {
  return handModel(layout, logDensityAndGrad, extra.discreteLatents ?? []);
}

/** Standard normal in d dimensions with per-coordinate scales (diagonal Gaussian). */
export function diagonalGaussianModel(scales: Float64Array): DensityModel {
  const d = scales.length;
  const precision = scales.map((s) => 1 / (s * s));
  return identityModel(realLayout([{ name: "x", shape: [d] }]), (theta, grad) => {
    let lp = 0;
    for (let i = 0; i < d; i++) {
      const g = -precision[i] * theta[i];
      grad[i] = g;
      lp += 0.5 * g * theta[i];
    }
    return lp;
  });
}

/**
 * Neal's funnel in centred form: v ~ N(0, 3²), xᵢ | v ~ N(0, e^v), i < k. The neck at small v
 * has curvature e^(−v) that no single step size handles, so NUTS reports divergences.
 */
export function funnelModel(k: number): DensityModel {
  return identityModel(
    realLayout([
      { name: "v", shape: [] },
      { name: "x", shape: [k] },
    ]),
    (theta, grad) => {
      const v = theta[0];
      const ev = Math.exp(-v);
      let lp = (-v * v) / 18;
      let gv = -v / 9;
      for (let i = 1; i <= k; i++) {
        const x = theta[i];
        lp += -0.5 * x * x * ev - 0.5 * v;
        gv += 0.5 * x * x * ev - 0.5;
        grad[i] = -x * ev;
      }
      grad[0] = gv;
      return lp;
    },
  );
}

/**
 * Estimate of E[f] from per-chain draws of f with its Monte Carlo standard error
 * sd/√ESS_mean, ESS from our own diagnostics.
 */
export function estimate(chains: readonly Float64Array[]): { mean: number; mcse: number } {
  return { mean: pooledMean(chains), mcse: mcseMean(chains) };
}

/** Per-chain draws of f(x) for a row-major draws buffer of width d (e.g. from kernel runs). */
export function mapDraws(
  chains: readonly Float64Array[],
  d: number,
  f: (draw: Float64Array) => number,
): Float64Array[] {
  return chains.map((draws) => {
    const n = draws.length / d;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = f(draws.subarray(i * d, (i + 1) * d));
    return out;
  });
}

/**
 * Bayesian linear regression with the normal–inverse-gamma conjugate prior,
 * β | σ² ~ N(0, σ²·V₀), σ² ~ InvGamma(a₀, b₀), y | β, σ² ~ N(Xβ, σ²I), sampled on (β, log σ²)
 * (log|J| = log σ² included). The posterior is known in closed form:
 * Vₙ = (V₀⁻¹ + XᵀX)⁻¹, mₙ = Vₙ·Xᵀy, aₙ = a₀ + n/2, bₙ = b₀ + ½(yᵀy − mₙᵀVₙ⁻¹mₙ);
 * E[β] = mₙ, Cov[β] = bₙ/(aₙ − 1)·Vₙ, E[σ²] = bₙ/(aₙ − 1), Var[σ²] = E[σ²]²/(aₙ − 2).
 */
export function conjugateRegression(x: Float64Array, y: Float64Array, p: number, priorScale = 10, a0 = 2, b0 = 1) {
  const n = y.length;
  const v0Inv = 1 / (priorScale * priorScale);
  // Posterior precision A = V₀⁻¹ + XᵀX and Xᵀy.
  const a = new Float64Array(p * p);
  const xty = new Float64Array(p);
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < p; i++) {
      xty[i] += x[r * p + i] * y[r];
      for (let j = 0; j < p; j++) a[i * p + j] += x[r * p + i] * x[r * p + j];
    }
  }
  for (let i = 0; i < p; i++) a[i * p + i] += v0Inv;
  const vn = invertSpd(a, p);
  const mn = new Float64Array(p);
  for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) mn[i] += vn[i * p + j] * xty[j];
  let yty = 0;
  for (let r = 0; r < n; r++) yty += y[r] * y[r];
  let quad = 0;
  for (let i = 0; i < p; i++) quad += mn[i] * xty[i]; // mₙᵀVₙ⁻¹mₙ = mₙᵀXᵀy
  const an = a0 + n / 2;
  const bn = b0 + 0.5 * (yty - quad);
  const sigma2Mean = bn / (an - 1);

  const d = p + 1;
  const resid = new Float64Array(n);
  const layout = realLayout([
    { name: "beta", shape: [p] },
    { name: "sigma2", shape: [], positive: true },
  ]);
  const model = identityModel(layout, (theta, grad) => {
    const u = theta[p];
    let q = b0;
    for (let r = 0; r < n; r++) {
      let fit = 0;
      for (let i = 0; i < p; i++) fit += x[r * p + i] * theta[i];
      resid[r] = y[r] - fit;
      q += 0.5 * resid[r] * resid[r];
    }
    for (let i = 0; i < p; i++) q += 0.5 * v0Inv * theta[i] * theta[i];
    const inv = Math.exp(-u);
    for (let i = 0; i < p; i++) {
      let g = -v0Inv * theta[i];
      for (let r = 0; r < n; r++) g += x[r * p + i] * resid[r];
      grad[i] = g * inv;
    }
    const power = p / 2 + n / 2 + a0 + 1;
    grad[p] = -power + q * inv + 1;
    return -power * u - q * inv + u;
  });
  const constrained: DensityModel = {
    ...model,
    constrain(theta, out) {
      const o = out ?? new Float64Array(d);
      for (let i = 0; i < p; i++) o[i] = theta[i];
      o[p] = Math.exp(theta[p]);
      return o;
    },
  };
  return {
    model: constrained,
    betaMean: mn,
    betaCov: vn.map((v) => v * sigma2Mean),
    sigma2Mean,
    sigma2Var: (sigma2Mean * sigma2Mean) / (an - 2),
  };
}

/** Inverse of a small symmetric positive-definite matrix by Gauss–Jordan elimination. */
export function invertSpd(a: Float64Array, p: number): Float64Array {
  const m = a.slice();
  const inv = new Float64Array(p * p);
  for (let i = 0; i < p; i++) inv[i * p + i] = 1;
  for (let c = 0; c < p; c++) {
    const pivot = m[c * p + c];
    for (let j = 0; j < p; j++) {
      m[c * p + j] /= pivot;
      inv[c * p + j] /= pivot;
    }
    for (let r = 0; r < p; r++) {
      if (r === c) continue;
      const f = m[r * p + c];
      for (let j = 0; j < p; j++) {
        m[r * p + j] -= f * m[c * p + j];
        inv[r * p + j] -= f * inv[c * p + j];
      }
    }
  }
  return inv;
}
