import { describe, expect, it } from "vitest";
import { DomainError } from "../../../src/core/errors.js";
import { findReasonableStepSize } from "../../../src/inference/adaptation/step_size.js";
import { runWarmup, windowAdaptation } from "../../../src/inference/adaptation/window_adaptation.js";
import * as nuts from "../../../src/inference/mcmc/nuts.js";
import { createRng } from "../../../src/runtime/rng/index.js";
import { diagonalGaussianModel, identityModel, realLayout } from "../mcmc/models.js";

const scales = new Float64Array([0.1, 1, 10]);
const model = diagonalGaussianModel(scales);

describe("findReasonableStepSize", () => {
  it("scales with the target: 100× narrower target, ≈ 100× smaller step", () => {
    const wide = diagonalGaussianModel(new Float64Array([1]));
    const narrow = diagonalGaussianModel(new Float64Array([0.01]));
    const epsWide = findReasonableStepSize(
      createRng(1),
      wide,
      nuts.buildKernel(wide).init(new Float64Array([0.3])),
      { stepSize: 1 },
      "unit",
    );
    const epsNarrow = findReasonableStepSize(
      createRng(1),
      narrow,
      nuts.buildKernel(narrow).init(new Float64Array([0.003])),
      { stepSize: 1 },
      "unit",
    );
    // Both searches move in powers of two; the answers' ratio is within a factor 4 of 100.
    expect(epsWide / epsNarrow).toBeGreaterThan(25);
    expect(epsWide / epsNarrow).toBeLessThan(400);
    expect(epsWide).toBeGreaterThan(0.25);
    expect(epsWide).toBeLessThan(8);
  });

  it("reports an improper (flat) posterior", () => {
    const flat = identityModel(realLayout([{ name: "x", shape: [] }]), (_t, g) => {
      g[0] = 0;
      return 0;
    });
    const state = nuts.buildKernel(flat).init(new Float64Array([0]));
    expect(() => findReasonableStepSize(createRng(1), flat, state, { stepSize: 1 }, "unit")).toThrow(DomainError);
    expect(() => findReasonableStepSize(createRng(1), flat, state, { stepSize: 1 }, "unit")).toThrow(/improper/);
  });
});

describe("windowAdaptation", () => {
  it.each(["diag", "dense"] as const)("learns the target's scales with the %s metric", (metric) => {
    const kernel = nuts.buildKernel(model, { metric });
    const rng = createRng(12);
    let iterations = 0;
    const warm = runWarmup(rng, kernel, kernel.init(new Float64Array([0.05, -0.5, 3])), { numWarmup: 1000 }, () => {
      iterations++;
    });
    expect(iterations).toBe(1000);
    const inv = warm.params.inverseMassMatrix!;
    // The last window's estimate uses ≈ 500 draws: each variance within 25% of the truth.
    for (let i = 0; i < 3; i++) {
      const v = metric === "diag" ? inv[i] : inv[i * 3 + i];
      expect(Math.abs(v / scales[i] ** 2 - 1)).toBeLessThan(0.25);
    }
    // After rescaling the target is a standard normal, where leapfrog accepts 0.8 at ε ≈ 1.
    expect(warm.params.stepSize).toBeGreaterThan(0.5);
    expect(warm.params.stepSize).toBeLessThan(1.6);
  });

  it("installs a new metric exactly at each window end", () => {
    const kernel = nuts.buildKernel(model, { metric: "diag" });
    const adaptation = windowAdaptation(kernel, { numWarmup: 300 });
    expect(adaptation.schedule.windows.map((w) => w.end)).toEqual([100, 150, 250]);
    const rng = createRng(4);
    let state = kernel.init(new Float64Array([0, 0, 0]));
    let a = adaptation.init(rng, state);
    const changedAt: number[] = [];
    for (let i = 0; i < 300; i++) {
      const t = kernel.step(rng, state, a.params);
      state = t.state;
      const before = a.params.inverseMassMatrix;
      a = adaptation.update(rng, a, state, t.info);
      if (a.params.inverseMassMatrix !== before) changedAt.push(i + 1);
    }
    expect(changedAt).toEqual([100, 150, 250]);
    // The final step size is the dual-averaging average of the terminal phase, not the last iterate.
    expect(adaptation.final(a).stepSize).toBeCloseTo(Math.exp(a.stepSize.logStepSizeAvg), 14);
  });

  it("leaves the unit metric alone and still adapts the step size", () => {
    const kernel = nuts.buildKernel(diagonalGaussianModel(new Float64Array([0.2, 0.2])), { metric: "unit" });
    const warm = runWarmup(createRng(2), kernel, kernel.init(new Float64Array([0, 0])), { numWarmup: 200 });
    expect(warm.params.inverseMassMatrix!.length).toBe(0);
    // Standard-normal ε ≈ 1 scaled by sd 0.2.
    expect(warm.params.stepSize).toBeGreaterThan(0.1);
    expect(warm.params.stepSize).toBeLessThan(0.32);
  });
});
