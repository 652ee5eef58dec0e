import { describe, expect, it } from "vitest";
import { buildKernel } from "../../../src/inference/bo/kernel.js";
import { minimize } from "../../../src/inference/bo/minimize.js";
import { BRANIN, branin, HARTMANN6, hartmann6 } from "../../../src/inference/bo/test_functions.js";
import { createRng } from "../../../src/runtime/rng/index.js";

describe("test functions", () => {
  it("take their published minimum values at their minimisers", () => {
    for (const m of BRANIN.minimizers) expect(branin(Float64Array.from(m))).toBeCloseTo(BRANIN.minimum, 6);
    expect(hartmann6(Float64Array.from(HARTMANN6.minimizers[0]))).toBeCloseTo(-3.32237, 5);
  });
});

describe("minimize", () => {
  it("finds the Branin minimum 0.397887 to within 1e-2 in at most 40 evaluations (seed 0)", () => {
    const result = minimize(BRANIN.f, BRANIN.bounds, { seed: 0, budget: 40 });
    expect(result.numEvaluations).toBe(40);
    expect(result.value - BRANIN.minimum).toBeLessThan(1e-2);
    expect(result.value).toBeGreaterThanOrEqual(BRANIN.minimum - 1e-12);
    // The best point lies near one of the three global minimisers.
    const distance = Math.min(...BRANIN.minimizers.map(([a, b]) => Math.hypot(result.x[0] - a, result.x[1] - b)));
    expect(distance).toBeLessThan(0.1);
    expect(result.history.bestValues[39]).toBe(result.value);
    expect(result.surrogate.numObservations).toBe(40);
  });

  it("is reproducible from its seed, and the seed matters", () => {
    const f = (x: Float64Array) => (x[0] - 0.3) ** 2 + Math.sin(5 * x[1]);
    const bounds: [number, number][] = [
      [0, 1],
      [0, 1],
    ];
    const a = minimize(f, bounds, { seed: 9, budget: 10 });
    const b = minimize(f, bounds, { seed: 9, budget: 10 });
    const c = minimize(f, bounds, { seed: 10, budget: 10 });
    expect(b.history.values).toEqual(a.history.values);
    expect(c.history.values).not.toEqual(a.history.values);
  });

  for (const acquisition of ["ei", "pi", "ucb", "kg"] as const) {
    it(`${acquisition}: improves on a 1-d quadratic beyond its initial design`, () => {
      const f = (x: Float64Array) => (x[0] - 0.71) ** 2;
      const result = minimize(f, [[-2, 2]], { seed: 1, budget: 9, initialDesign: 4, acquisition });
      expect(result.steps).toHaveLength(5);
      // Four LHS points on [−2, 2] leave the best at least ~0.01 away; five steps of any of these
      // acquisitions get within 1e-3 of x* = 0.71.
      expect(Math.abs(result.x[0] - 0.71)).toBeLessThan(0.03);
    });
  }

  it("accepts explicit initial points and a known noise variance", () => {
    const f = (x: Float64Array) => Math.abs(x[0] - 1);
    const result = minimize(f, [[0, 3]], { seed: 2, budget: 6, initialDesign: [[0], [3]], noiseVariance: 1e-4 });
    expect(Array.from(result.history.points[0])).toEqual([0]);
    expect(Array.from(result.history.points[1])).toEqual([3]);
    expect(result.numEvaluations).toBe(6);
  });

  it("rejects bad input in the sprig error format", () => {
    const f = (x: Float64Array) => x[0];
    expect(() => minimize(f, [[1, 0]])).toThrow(/bounds\[0\] is not a finite interval/);
    expect(() => minimize(f, [[0, 1]], { budget: 3, initialDesign: 5 })).toThrow(
      /initial design is larger than the budget/,
    );
    expect(() => minimize(() => Number.NaN, [[0, 1]], { budget: 3 })).toThrow(/objective returned a non-finite value/);
    expect(() => minimize(f, [[0, 1]], { acquisition: "thompson" as never })).toThrow(/unknown acquisition/);
    expect(() => minimize(f, [[0, 1]], { kernel: "rbf" as never })).toThrow(/unknown covariance kernel/);
    expect(() => minimize(f, [[0, 1]], { initialDesign: [[2]] })).toThrow(/outside the bounds/);
  });
});

describe("the BO kernel", () => {
  it("reaches within 0.1 of the 6-d Hartmann minimum −3.32237 within 100 evaluations (seed 0)", () => {
    // Driven step by step and stopped at the first success, so the test costs ~40 evaluations;
    // the bench runs the full budget over ten seeds (9 of 10 succeed).
    const kernel = buildKernel();
    const rng = createRng(0);
    let state = kernel.init({ f: HARTMANN6.f, bounds: HARTMANN6.bounds }, rng);
    while (state.values[state.bestIndex] - HARTMANN6.minimum >= 0.1 && state.numObservations < 100) {
      state = kernel.step(rng, state).state;
    }
    expect(state.values[state.bestIndex] - HARTMANN6.minimum).toBeLessThan(0.1);
    expect(state.numObservations).toBeLessThanOrEqual(100);
  });

  it("step returns a new state and never mutates the one it was given", () => {
    const kernel = buildKernel({ acquisition: "log_ei" });
    const rng = createRng(4);
    const state = kernel.init(
      {
        f: (x) => (x[0] - 0.2) ** 2 + x[1],
        bounds: [
          [0, 1],
          [0, 1],
        ],
        initialDesign: 5,
      },
      rng,
    );
    const points = Float64Array.from(state.points);
    const values = Float64Array.from(state.values);
    const { state: next, info } = kernel.step(rng, state);
    expect(Array.from(state.points)).toEqual(Array.from(points));
    expect(Array.from(state.values)).toEqual(Array.from(values));
    expect(state.numObservations).toBe(5);
    expect(next.numObservations).toBe(6);
    expect(Array.from(next.points.subarray(10))).toEqual(Array.from(info.point));
    expect(next.values[5]).toBe(info.value);
    expect(next.surrogate.numObservations).toBe(6);
    expect(next.values[next.bestIndex]).toBe(Math.min(...next.values));
  });
});
