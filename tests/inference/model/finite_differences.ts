import { expect } from "vitest";
import type { DensityModel } from "../../../src/inference/model/index.js";

const H = 1e-5;

/**
 * Checks `logDensityAndGrad` against central differences of `logDensity` at θ. The tolerance
 * is the central-difference error budget: truncation O(h²·f''') — bounded here by 1e-6 relative
 * to the gradient — plus rounding, about 10·ε·|f| / h.
 */
export function expectGradientMatches(
  model: Pick<DensityModel, "dimension" | "logDensity" | "logDensityAndGrad">,
  theta: Float64Array,
): void {
  const grad = new Float64Array(model.dimension);
  const lp = model.logDensityAndGrad(theta, grad);
  expect(lp).toBe(model.logDensity(theta));
  expect(Number.isFinite(lp)).toBe(true);
  const work = theta.slice();
  for (let i = 0; i < theta.length; i++) {
    const h = H * Math.max(1, Math.abs(theta[i]!));
    work[i] = theta[i]! + h;
    const up = model.logDensity(work);
    work[i] = theta[i]! - h;
    const down = model.logDensity(work);
    work[i] = theta[i]!;
    const fd = (up - down) / (2 * h);
    const tol = 1e-6 * Math.max(1, Math.abs(grad[i]!)) + (10 * Number.EPSILON * Math.abs(lp)) / h;
    expect(Math.abs(grad[i]! - fd), `component ${i}: analytic ${grad[i]}, numeric ${fd}`).toBeLessThanOrEqual(tol);
  }
}
