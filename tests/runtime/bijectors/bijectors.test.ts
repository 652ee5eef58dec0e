import { describe, expect, it } from "vitest";
import { DomainError, ShapeError } from "../../../src/core/errors.js";
import type { Support } from "../../../src/core/support.js";
import type { Bijector } from "../../../src/runtime/bijectors/bijector.js";
import {
  bijectorForSupport,
  choleskyCorr,
  identity,
  interval,
  lowerBound,
  ordered,
  positiveOrdered,
  simplex,
  upperBound,
} from "../../../src/runtime/bijectors/index.js";
import { createRng } from "../../../src/runtime/rng/index.js";
import { derivative, logAbsDet } from "../dists/finite_diff.js";

/**
 * One row per bijector. `free` lists the constrained coordinates that parameterise the set (all
 * of them, except the last simplex component and the diagonal/upper entries of a Cholesky
 * factor); log|J| is the log-determinant of the square Jacobian of those coordinates.
 */
interface BijectorCase {
  readonly label: string;
  readonly make: () => Bijector;
  readonly n: number;
  readonly free: (n: number) => number[];
  /** Checks that a forward image lies in the constrained set. */
  readonly inSet: (x: Float64Array) => boolean;
}

const all = (n: number) => Array.from({ length: n }, (_, i) => i);
const strictlyLower = (n: number) => {
  const k = Math.round(Math.sqrt(n));
  const idx: number[] = [];
  for (let i = 1; i < k; i++) for (let j = 0; j < i; j++) idx.push(i * k + j);
  return idx;
};
const increasing = (x: Float64Array) => x.every((v, i) => i === 0 || v > x[i - 1]!);

const CASES: readonly BijectorCase[] = [
  { label: "identity", make: identity, n: 3, free: all, inSet: (x) => x.every(Number.isFinite) },
  { label: "lower(-2)", make: () => lowerBound(-2), n: 3, free: all, inSet: (x) => x.every((v) => v > -2) },
  { label: "upper(1.5)", make: () => upperBound(1.5), n: 3, free: all, inSet: (x) => x.every((v) => v < 1.5) },
  {
    label: "interval(-1, 3)",
    make: () => interval(-1, 3),
    n: 4,
    free: all,
    inSet: (x) => x.every((v) => v > -1 && v < 3),
  },
  {
    label: "simplex K=5",
    make: simplex,
    n: 5,
    free: (n) => all(n - 1),
    inSet: (x) => x.every((v) => v > 0) && Math.abs(x.reduce((s, v) => s + v, 0) - 1) < 1e-14,
  },
  { label: "ordered", make: ordered, n: 4, free: all, inSet: increasing },
  { label: "positive_ordered", make: positiveOrdered, n: 4, free: all, inSet: (x) => x[0]! > 0 && increasing(x) },
  { label: "cholesky_corr K=3", make: choleskyCorr, n: 9, free: strictlyLower, inSet: isCorrCholesky },
  { label: "cholesky_corr K=4", make: choleskyCorr, n: 16, free: strictlyLower, inSet: isCorrCholesky },
];

function isCorrCholesky(x: Float64Array): boolean {
  const k = Math.round(Math.sqrt(x.length));
  for (let i = 0; i < k; i++) {
    let norm = 0;
    for (let j = 0; j < k; j++) {
      const v = x[i * k + j]!;
      if (j > i && v !== 0) return false;
      norm += v * v;
    }
    if (!(x[i * k + i]! > 0) || Math.abs(norm - 1) > 1e-14) return false;
  }
  return true;
}

/** Random unconstrained points, moderate so that finite differences are well conditioned. */
function randomU(seed: string, m: number, scale = 1.5): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: m }, () => scale * rng.normal());
}

describe.each(CASES.map((c) => [c.label, c] as const))("%s", (label, c) => {
  const b = c.make();
  const m = b.unconstrainedSize(c.n);

  it("maps into the set and inverts, at any offsets", () => {
    for (let trial = 0; trial < 20; trial++) {
      const u = randomU(`${label}/roundtrip/${trial}`, m, 3);
      // Offsets check that every index is relative to uOff / xOff.
      const uBig = new Float64Array(m + 5);
      uBig.set(u, 2);
      const xBig = new Float64Array(c.n + 7).fill(Number.NaN);
      b.forward(uBig, 2, xBig, 3, c.n);
      const x = xBig.slice(3, 3 + c.n);
      expect(c.inSet(x), `forward(${Array.from(u)}) = ${Array.from(x)}`).toBe(true);
      expect(Number.isNaN(xBig[2]!) && Number.isNaN(xBig[3 + c.n]!)).toBe(true); // nothing written outside
      const back = new Float64Array(m + 4).fill(Number.NaN);
      b.inverse(xBig, 3, back, 1, c.n);
      for (let i = 0; i < m; i++) expect(back[1 + i]).toBeCloseTo(u[i]!, 9);
    }
  });

  it("returns log|det J| of the free coordinates (numeric Jacobian)", () => {
    const free = c.free(c.n);
    expect(free.length).toBe(m);
    const x = new Float64Array(c.n);
    for (let trial = 0; trial < 10; trial++) {
      const u = randomU(`${label}/jacobian/${trial}`, m);
      const logJ = b.forward(u, 0, x, 0, c.n);
      const jac = new Float64Array(m * m);
      for (let col = 0; col < m; col++) {
        for (let row = 0; row < m; row++) {
          jac[row * m + col] = derivative(
            (t) => {
              const v = Float64Array.from(u);
              v[col] = t;
              b.forward(v, 0, x, 0, c.n);
              return x[free[row]!]!;
            },
            u[col]!,
            1e-3,
          );
        }
      }
      expect(logJ).toBeCloseTo(m === 0 ? 0 : logAbsDet(jac, m), 8);
    }
  });

  it("backward adds Jᵀ·xAdj + ∇ log|J| (finite differences of w·forward(u) + log|J|)", () => {
    const x = new Float64Array(c.n);
    for (let trial = 0; trial < 10; trial++) {
      const u = randomU(`${label}/backward/${trial}`, m);
      const w = randomU(`${label}/weights/${trial}`, c.n, 1);
      const objective = (v: Float64Array) => {
        const logJ = b.forward(v, 0, x, 0, c.n);
        let s = logJ;
        for (let i = 0; i < c.n; i++) s += w[i]! * x[i]!;
        return s;
      };
      const uAdj = new Float64Array(m + 2).fill(0.25); // accumulation: 0.25 must survive
      b.backward(u, 0, c.n, w, 0, uAdj, 1);
      expect(uAdj[0]).toBe(0.25);
      expect(uAdj[m + 1]).toBe(0.25);
      for (let i = 0; i < m; i++) {
        const fd = derivative(
          (t) => {
            const v = Float64Array.from(u);
            v[i] = t;
            return objective(v);
          },
          u[i]!,
          1e-3,
        );
        expect(Math.abs(uAdj[1 + i]! - 0.25 - fd) / Math.max(1, Math.abs(fd)), `component ${i}`).toBeLessThan(1e-7);
      }
    }
  });

  it("stays finite (no NaN) at extreme unconstrained values", () => {
    const x = new Float64Array(c.n);
    for (const v of [-40, 40, -700, 700]) {
      const u = new Float64Array(m).fill(v);
      const logJ = b.forward(u, 0, x, 0, c.n);
      expect(Number.isNaN(logJ), `log|J| at u = ${v}`).toBe(false);
      expect(x.some(Number.isNaN), `x at u = ${v}`).toBe(false);
      const uAdj = new Float64Array(m);
      b.backward(u, 0, c.n, new Float64Array(c.n).fill(1), 0, uAdj, 0);
      expect(uAdj.some(Number.isNaN), `uAdj at u = ${v}`).toBe(false);
    }
  });
});

describe("simplex", () => {
  it("maps u = 0 to the uniform simplex", () => {
    const x = new Float64Array(4);
    simplex().forward(new Float64Array(3), 0, x, 0, 4);
    for (const v of x) expect(v).toBeCloseTo(0.25, 15);
  });

  it("is Stan's stick-breaking transform (reference written from its definition)", () => {
    // Stan: z_k = inv_logit(y_k − log(K − 1 − k)); x_k = stick·z_k; lp += log(stick) + log z_k + log(1 − z_k); stick −= x_k.
    const u = new Float64Array([0.3, -1.2, 2.5, 0.01, -0.7]);
    const k = u.length + 1;
    const expected = new Float64Array(k);
    let stick = 1;
    let lp = 0;
    for (let i = 0; i < k - 1; i++) {
      const z = 1 / (1 + Math.exp(-(u[i]! - Math.log(k - 1 - i))));
      expected[i] = stick * z;
      lp += Math.log(stick) + Math.log(z) + Math.log(1 - z);
      stick -= expected[i]!;
    }
    expected[k - 1] = stick;
    const x = new Float64Array(k);
    expect(simplex().forward(u, 0, x, 0, k)).toBeCloseTo(lp, 13);
    for (let i = 0; i < k; i++) expect(x[i]).toBeCloseTo(expected[i]!, 15);
  });

  it("handles K = 1 and rejects K = 0", () => {
    const x = new Float64Array(1);
    expect(simplex().forward(new Float64Array(0), 0, x, 0, 1)).toBe(0);
    expect(x[0]).toBe(1);
    expect(() => simplex().unconstrainedSize(0)).toThrow(ShapeError);
  });
});

describe("cholesky_corr", () => {
  it("is Stan's CPC transform (reference written from its definition)", () => {
    // Stan: z = tanh(y); L(i,0) = z; then L(i,j) = z·sqrt(1 − Σ_{l<j} L(i,l)²), lp += log(1 − z²) for
    // every z and 0.5·log(1 − Σ) for each j ≥ 1; L(i,i) = sqrt(1 − Σ_{l<i} L(i,l)²).
    const u = new Float64Array([0.4, -1.1, 0.8, 2.2, -0.3, 0.05]);
    const k = 4;
    const expected = new Float64Array(k * k);
    let lp = 0;
    let m = 0;
    expected[0] = 1;
    for (let i = 1; i < k; i++) {
      let sumSq = 0;
      for (let j = 0; j < i; j++) {
        const z = Math.tanh(u[m++]!);
        lp += Math.log(1 - z * z);
        if (j > 0) lp += 0.5 * Math.log(1 - sumSq);
        expected[i * k + j] = z * Math.sqrt(1 - sumSq);
        sumSq += expected[i * k + j]! ** 2;
      }
      expected[i * k + i] = Math.sqrt(1 - sumSq);
    }
    const x = new Float64Array(k * k).fill(Number.NaN);
    expect(choleskyCorr().forward(u, 0, x, 0, k * k)).toBeCloseTo(lp, 13);
    for (let i = 0; i < k * k; i++) expect(x[i]).toBeCloseTo(expected[i]!, 14);
    expect(() => choleskyCorr().unconstrainedSize(8)).toThrow(ShapeError);
  });
});

describe("interval", () => {
  it("keeps both ends in full precision", () => {
    const b = interval(0, 1);
    const x = new Float64Array(1);
    const tail = Math.exp(-30) / (1 + Math.exp(-30)); // logistic(−30)
    b.forward(new Float64Array([-30]), 0, x, 0, 1);
    expect(Math.abs(x[0]! - tail) / tail).toBeLessThan(1e-15);
    // Near an upper bound of 0 the value is tiny, so it too must keep its relative precision.
    interval(-1, 0).forward(new Float64Array([30]), 0, x, 0, 1);
    expect(Math.abs(-x[0]! - tail) / tail).toBeLessThan(1e-15);
    const u = new Float64Array(1);
    b.inverse(new Float64Array([1e-300]), 0, u, 0, 1);
    expect(u[0]).toBeCloseTo(Math.log(1e-300), 10);
  });

  it("rejects empty or infinite intervals", () => {
    expect(() => interval(1, 1)).toThrow(DomainError);
    expect(() => interval(0, Number.POSITIVE_INFINITY)).toThrow(
      "interval(): the upper bound must be finite — got Infinity, expected a finite number. Hint: bijectorForSupport() handles infinite bounds by choosing a one-sided or identity bijector.",
    );
    expect(() => lowerBound(Number.NaN)).toThrow(DomainError);
  });
});

describe("bijectorForSupport", () => {
  it.each<[Support, string]>([
    [{ kind: "real" }, "identity"],
    [{ kind: "positive" }, "lower(0)"],
    [{ kind: "lower", lower: 2 }, "lower(2)"],
    [{ kind: "lower", lower: Number.NEGATIVE_INFINITY }, "identity"],
    [{ kind: "upper", upper: -1 }, "upper(-1)"],
    [{ kind: "interval", lower: 0, upper: 1 }, "interval(0, 1)"],
    [{ kind: "interval", lower: 0, upper: Number.POSITIVE_INFINITY }, "lower(0)"],
    [{ kind: "interval", lower: Number.NEGATIVE_INFINITY, upper: 5 }, "upper(5)"],
    [{ kind: "interval", lower: Number.NEGATIVE_INFINITY, upper: Number.POSITIVE_INFINITY }, "identity"],
    [{ kind: "simplex" }, "simplex"],
    [{ kind: "ordered" }, "ordered"],
    [{ kind: "positive_ordered" }, "positive_ordered"],
    [{ kind: "cholesky_corr" }, "cholesky_corr"],
  ])("%j → %s", (support, name) => {
    expect(bijectorForSupport(support).name).toBe(name);
  });

  it("refuses discrete and empty supports", () => {
    expect(() => bijectorForSupport({ kind: "integer", lower: 0 })).toThrow(
      "bijectorForSupport(): a discrete support has no bijector — got integer(0, inf), expected a continuous support. Hint: marginalise the discrete variable, or use a backend that samples discrete latents (smc).",
    );
    expect(() => bijectorForSupport({ kind: "boolean" })).toThrow(DomainError);
    expect(() => bijectorForSupport({ kind: "interval", lower: 2, upper: 1 })).toThrow(
      "bijectorForSupport(): the support's bounds do not enclose an interval — got interval(2, 1), expected lower < upper, neither NaN.",
    );
  });
});
