/**
 * Hand-written DensityModels for backend tests that do not need the compiler: a layout of real or
 * positive variables, a model from a log density and its gradient, and a Gaussian with a known
 * posterior. Shared by the MCMC and VI tests.
 */
import type { Rng } from "../../src/core/rng.js";
import type { Shape } from "../../src/core/shape.js";
import { POSITIVE, REAL, type Support } from "../../src/core/support.js";
import type { DensityModel, VariableLayout } from "../../src/inference/model/density_model.js";
import type { Bijector } from "../../src/runtime/bijectors/bijector.js";

/** The identity transform (real variables). */
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

/** x = exp(u) (positive variables). */
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
