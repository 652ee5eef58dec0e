import { describe, expect, it } from "vitest";
import {
  copyPhasePoint,
  createIntegratorStepper,
  createPhasePoint,
  type Integrator,
  mcLachlan,
  velocityVerlet,
} from "../../../src/inference/mcmc/integrators.js";
import { buildMetric } from "../../../src/inference/mcmc/metrics.js";
import { identityModel, realLayout } from "./models.js";

// Harmonic oscillator H(q, p) = q²/2 + p²/2: log density −q²/2, exact flow q(t) = q₀cos t + p₀sin t.
const oscillator = identityModel(realLayout([{ name: "q", shape: [] }]), (theta, grad) => {
  grad[0] = -theta[0];
  return -0.5 * theta[0] * theta[0];
});
const unit = buildMetric("unit", 1);

function start(q: number, p: number) {
  const z = createPhasePoint(1);
  z.position[0] = q;
  z.momentum[0] = p;
  z.logDensity = oscillator.logDensityAndGrad(z.position, z.gradient);
  return z;
}

const energy = (z: ReturnType<typeof start>) => -z.logDensity + 0.5 * z.momentum[0] * z.momentum[0];

/** Largest |H − H₀| and the end-point error against the exact flow over time T. */
function integrate(integrator: Integrator, stepSize: number, time: number) {
  const stepper = createIntegratorStepper(integrator, oscillator);
  const z = start(1, 0.5);
  const h0 = energy(z);
  const n = Math.round(time / stepSize);
  let maxError = 0;
  for (let i = 0; i < n; i++) {
    stepper.step(z, unit, stepSize);
    maxError = Math.max(maxError, Math.abs(energy(z) - h0));
  }
  const t = n * stepSize;
  const exactQ = Math.cos(t) + 0.5 * Math.sin(t);
  return { maxError, pathError: Math.abs(z.position[0] - exactQ) };
}

describe.each([velocityVerlet, mcLachlan])("$name on a harmonic oscillator", (integrator) => {
  it("has an energy error of order ε² (halving ε divides it by ≈ 4)", () => {
    const coarse = integrate(integrator, 0.1, 2 * Math.PI);
    const fine = integrate(integrator, 0.05, 2 * Math.PI);
    // A second-order symplectic scheme's energy error is bounded by C·ε² over long times.
    expect(coarse.maxError).toBeLessThan(0.01);
    expect(coarse.maxError / fine.maxError).toBeGreaterThan(3.5);
    expect(coarse.maxError / fine.maxError).toBeLessThan(4.5);
    // The trajectory itself also converges at second order.
    expect(coarse.pathError / fine.pathError).toBeGreaterThan(3.5);
    expect(coarse.pathError / fine.pathError).toBeLessThan(4.5);
  });

  it("does not drift: the energy error stays bounded over 100 periods", () => {
    const long = integrate(integrator, 0.1, 200 * Math.PI);
    const short = integrate(integrator, 0.1, 2 * Math.PI);
    expect(long.maxError).toBeLessThan(1.01 * short.maxError + 1e-12);
  });

  it("is reversible: flipping the momentum retraces the path to rounding error", () => {
    const stepper = createIntegratorStepper(integrator, oscillator);
    const z = start(0.3, -1.2);
    const z0 = createPhasePoint(1);
    copyPhasePoint(z, z0);
    for (let i = 0; i < 50; i++) stepper.step(z, unit, 0.17);
    z.momentum[0] = -z.momentum[0];
    for (let i = 0; i < 50; i++) stepper.step(z, unit, 0.17);
    expect(Math.abs(z.position[0] - z0.position[0])).toBeLessThan(1e-13);
    expect(Math.abs(-z.momentum[0] - z0.momentum[0])).toBeLessThan(1e-13);
  });

  it("integrates backward in time with a negative step size", () => {
    const stepper = createIntegratorStepper(integrator, oscillator);
    const z = start(0.8, 0.1);
    for (let i = 0; i < 20; i++) stepper.step(z, unit, 0.05);
    for (let i = 0; i < 20; i++) stepper.step(z, unit, -0.05);
    expect(Math.abs(z.position[0] - 0.8)).toBeLessThan(1e-13);
    expect(Math.abs(z.momentum[0] - 0.1)).toBeLessThan(1e-13);
  });
});

describe("integrators with a non-unit metric", () => {
  it("follow the flow of H = q²/2 + p²/(2m) (frequency 1/√m)", () => {
    // Mass m = 4 (inverse mass 0.25): q(t) = q₀ cos(t/2) + (p₀/2)·sin(t/2).
    const metric = buildMetric("diag", 1, new Float64Array([0.25]));
    const stepper = createIntegratorStepper(velocityVerlet, oscillator);
    const z = start(1, 1);
    const eps = 0.001;
    const n = 1000;
    for (let i = 0; i < n; i++) stepper.step(z, metric, eps);
    const t = n * eps;
    expect(z.position[0]).toBeCloseTo(Math.cos(t / 2) + 0.5 * Math.sin(t / 2), 6);
  });

  it("rejects a coefficient list of even length", () => {
    expect(() => createIntegratorStepper({ name: "bad", coefficients: [0.5, 0.5] }, oscillator)).toThrow(/odd length/);
  });
});
