import { describe, expect, it } from "vitest";
import { Lbfgs, type ObjectiveWithGradient } from "../../../src/runtime/optim/lbfgs.js";

const rosenbrock: ObjectiveWithGradient = (x, g) => {
  let f = 0;
  g.fill(0);
  for (let i = 0; i + 1 < x.length; i++) {
    const a = 1 - x[i];
    const b = x[i + 1] - x[i] * x[i];
    f += a * a + 100 * b * b;
    g[i] += -2 * a - 400 * x[i] * b;
    g[i + 1] += 200 * b;
  }
  return f;
};

describe("L-BFGS", () => {
  it("minimises the Rosenbrock function (unconstrained, strong-Wolfe path) to its known minimum", () => {
    for (const d of [2, 5, 10]) {
      const x0 = new Float64Array(d).fill(-1.2);
      const r = new Lbfgs(d).minimize(rosenbrock, x0, { maxIterations: 500, gradientTolerance: 1e-9 });
      expect(r.status === "gradient" || r.status === "value").toBe(true);
      for (const v of r.x) expect(Math.abs(v - 1)).toBeLessThan(1e-6);
      expect(r.value).toBeLessThan(1e-12);
      expect(r.numIterations).toBeLessThan(200);
    }
  });

  it("solves a box-constrained quadratic whose solution has active and inactive bounds (KKT point)", () => {
    // f(x) = ½ xᵀAx − bᵀx with A SPD; the unconstrained minimiser leaves the box, so the solution
    // has x₀ on its upper bound, x₂ on its lower bound and x₁ free — the projected gradient is 0.
    const A = [
      [4, 1, 0.5],
      [1, 3, 0.2],
      [0.5, 0.2, 2],
    ];
    const b = [10, 1, -6];
    const f: ObjectiveWithGradient = (x, g) => {
      let v = 0;
      for (let i = 0; i < 3; i++) {
        let ax = 0;
        for (let j = 0; j < 3; j++) ax += A[i][j] * x[j];
        g[i] = ax - b[i];
        v += 0.5 * x[i] * ax - b[i] * x[i];
      }
      return v;
    };
    const lower = Float64Array.of(-1, -1, -1);
    const upper = Float64Array.of(1, 1, 1);
    const r = new Lbfgs(3).minimize(f, Float64Array.of(0, 0, 0), {
      lower,
      upper,
      gradientTolerance: 1e-10,
      valueTolerance: 0,
    });
    expect(r.status).toBe("gradient");
    expect(r.x[0]).toBe(1);
    expect(r.x[2]).toBe(-1);
    // Free coordinate: 3x₁ = 1 − 1·x₀ − 0.2·x₂ = 0.2 ⇒ x₁ = 1/15.
    expect(Math.abs(r.x[1] - 1 / 15)).toBeLessThan(1e-9);
    expect(r.gradient[0]).toBeLessThan(0); // pushing outward at the upper bound
    expect(r.gradient[2]).toBeGreaterThan(0); // pushing outward at the lower bound
  });

  it("converges to a corner from inside and stays feasible throughout", () => {
    let outside = 0;
    const lower = Float64Array.of(0, 0);
    const upper = Float64Array.of(1, 1);
    const f: ObjectiveWithGradient = (x, g) => {
      if (x[0] < 0 || x[0] > 1 || x[1] < 0 || x[1] > 1) outside++;
      g[0] = 2 * (x[0] - 3);
      g[1] = 2 * (x[1] + 2);
      return (x[0] - 3) ** 2 + (x[1] + 2) ** 2;
    };
    const r = new Lbfgs(2).minimize(f, Float64Array.of(0.5, 0.5), { lower, upper });
    expect(Array.from(r.x)).toEqual([1, 0]);
    expect(outside).toBe(0);
  });

  it("treats non-finite values as infeasible and reports a non-finite start", () => {
    // A barrier at x = 0.5: +Infinity to the left; the minimum of (x − 2)² on x ≥ 0.5 is at 2.
    const f: ObjectiveWithGradient = (x, g) => {
      if (x[0] < 0.5) return Number.POSITIVE_INFINITY;
      g[0] = 2 * (x[0] - 2);
      return (x[0] - 2) ** 2;
    };
    const lbfgs = new Lbfgs(1);
    expect(Math.abs(lbfgs.minimize(f, Float64Array.of(5)).x[0] - 2)).toBeLessThan(1e-6);
    expect(lbfgs.minimize(f, Float64Array.of(0)).status).toBe("nonfinite_start");
    const nan: ObjectiveWithGradient = () => Number.NaN;
    expect(lbfgs.minimize(nan, Float64Array.of(1)).status).toBe("nonfinite_start");
  });

  it("rejects malformed inputs in the sprig error format", () => {
    const lbfgs = new Lbfgs(2);
    expect(() => lbfgs.minimize(rosenbrock, Float64Array.of(1))).toThrow(/x0 has the wrong length/);
    expect(() =>
      lbfgs.minimize(rosenbrock, Float64Array.of(0, 0), { lower: Float64Array.of(1, 0), upper: Float64Array.of(0, 1) }),
    ).toThrow(/bounds of variable 0 are empty/);
    expect(() => new Lbfgs(0)).toThrow(/dimension must be a positive integer/);
  });
  it("finds the mode of an ill-conditioned log density (condition number 10⁴), as VI's path does", () => {
    // Minimising −log p of independent normals with means 0, 1, 2 and scales 1, 10, 100.
    const scales = [1, 10, 100];
    const f: ObjectiveWithGradient = (x, g) => {
      let v = 0;
      for (let i = 0; i < 3; i++) {
        const r = (x[i] - i) / scales[i];
        v += 0.5 * r * r;
        g[i] = r / scales[i];
      }
      return v;
    };
    const r = new Lbfgs(3, 6).minimize(f, Float64Array.of(5, 5, 5), { maxIterations: 1000, gradientTolerance: 1e-8 });
    expect(r.status === "gradient" || r.status === "value").toBe(true);
    for (let i = 0; i < 3; i++) expect(r.x[i]).toBeCloseTo(i, 4);
  });

  it("reports every accepted iterate to onIterate, in order, ending at the returned point", () => {
    const seen: { k: number; x: Float64Array; value: number }[] = [];
    const r = new Lbfgs(2).minimize(rosenbrock, Float64Array.of(-1.2, 1), {
      maxIterations: 500,
      onIterate: (k, x, value) => seen.push({ k, x: x.slice(), value }),
    });
    expect(seen.length).toBe(r.numIterations);
    expect(seen.map((s) => s.k)).toEqual(Array.from({ length: r.numIterations }, (_, i) => i + 1));
    // Every accepted step decreases f (sufficient decrease), so the recorded values fall strictly.
    for (let i = 1; i < seen.length; i++) expect(seen[i].value).toBeLessThan(seen[i - 1].value);
    const last = seen[seen.length - 1];
    expect(Array.from(last.x)).toEqual(Array.from(r.x));
    expect(last.value).toBe(r.value);
  });

  it("rejects points with a non-finite gradient as it does non-finite values", () => {
    // (x + 1)² has its minimum at −1, but its gradient is NaN left of 0.5: every accepted iterate
    // must stay at x ≥ 0.5, and the run must end close to that edge rather than inside the NaN region.
    let accepted = 0;
    const f: ObjectiveWithGradient = (x, g) => {
      g[0] = x[0] < 0.5 ? Number.NaN : 2 * (x[0] + 1);
      return (x[0] + 1) ** 2;
    };
    const r = new Lbfgs(1).minimize(f, Float64Array.of(5), {
      onIterate: (_k, x) => {
        if (x[0] < 0.5) accepted++;
      },
    });
    expect(accepted).toBe(0);
    expect(r.x[0]).toBeGreaterThanOrEqual(0.5);
    expect(r.x[0]).toBeLessThan(0.51);
    expect(new Lbfgs(1).minimize(f, Float64Array.of(0)).status).toBe("nonfinite_start");
  });
});
