import { describe, expect, it } from "vitest";
import {
  digamma,
  EULER_GAMMA,
  erfc,
  HALF_LN_TWO_PI,
  LN_PI,
  LN_TWO_PI,
  lbeta,
  lgamma,
  log1pexp,
  logFactorial,
  logAddExp,
  logistic,
  logit,
  logSumExp,
  millsFraction,
  normalCdf,
  normalPdf,
} from "../../src/runtime/special.js";
import fixtures from "../fixtures/special/special.json" with { type: "json" };

/** |actual − expected| / max(1, |expected|): relative for large values, absolute near zero. */
function scaledError(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.max(1, Math.abs(expected));
}

function worstError(rows: number[][], fn: (...args: number[]) => number): number {
  let worst = 0;
  for (const row of rows) {
    const expected = row[row.length - 1]!;
    worst = Math.max(worst, scaledError(fn(...row.slice(0, -1)), expected));
  }
  return worst;
}

describe("constants", () => {
  it("are the rounded values of their definitions", () => {
    expect(LN_TWO_PI).toBe(Math.log(2 * Math.PI));
    expect(HALF_LN_TWO_PI).toBe(0.5 * Math.log(2 * Math.PI));
    expect(LN_PI).toBe(Math.log(Math.PI));
    expect(digamma(1)).toBeCloseTo(-EULER_GAMMA, 14);
  });
});

describe("lgamma", () => {
  it("matches 50-digit mpmath values to a few ulps", () => {
    expect(fixtures.lgamma.length).toBeGreaterThan(80);
    expect(worstError(fixtures.lgamma, lgamma)).toBeLessThan(1e-14);
  });

  it("is exact at 1 and 2 and satisfies the recurrence lgamma(x + 1) = lgamma(x) + log x", () => {
    expect(lgamma(1)).toBe(0);
    expect(lgamma(2)).toBe(0);
    for (const x of [0.01, 0.3, 2.7, 9.9, 10.1, 55]) {
      expect(scaledError(lgamma(x + 1), lgamma(x) + Math.log(x))).toBeLessThan(1e-14);
    }
  });

  it("has poles at the non-positive integers and handles ±Infinity and NaN", () => {
    for (const x of [0, -1, -7, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])
      expect(lgamma(x)).toBe(Number.POSITIVE_INFINITY);
    expect(lgamma(Number.NaN)).toBeNaN();
    expect(lgamma(1e308)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe("logFactorial", () => {
  it("is exact for small counts and equals lgamma(k + 1) through and beyond its table", () => {
    expect(logFactorial(0)).toBe(0);
    expect(logFactorial(1)).toBe(0);
    expect(logFactorial(5)).toBeCloseTo(Math.log(120), 14);
    for (const k of [17, 170, 255, 256, 1000, 1e6]) expect(logFactorial(k)).toBe(lgamma(k + 1));
    expect(logFactorial(2.5)).toBe(lgamma(3.5));
  });
});

describe("digamma", () => {
  it("matches 50-digit mpmath values", () => {
    expect(worstError(fixtures.digamma, digamma)).toBeLessThan(1e-14);
  });

  it("is the derivative of lgamma", () => {
    for (const x of [0.05, 0.7, 3, 12.5, -2.5]) {
      const h = 1e-5 * Math.max(1, Math.abs(x));
      const fd = (lgamma(x + h) - lgamma(x - h)) / (2 * h);
      expect(scaledError(digamma(x), fd)).toBeLessThan(1e-7);
    }
  });

  it("is NaN at poles and +Infinity at +Infinity", () => {
    expect(digamma(0)).toBeNaN();
    expect(digamma(-3)).toBeNaN();
    expect(digamma(Number.NEGATIVE_INFINITY)).toBeNaN();
    expect(digamma(Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe("lbeta", () => {
  it("matches 50-digit mpmath values, including large arguments where three lgammas cancel", () => {
    expect(worstError(fixtures.lbeta, lbeta)).toBeLessThan(1e-14);
  });

  it("is symmetric and handles the edges", () => {
    expect(lbeta(3, 1e6)).toBe(lbeta(1e6, 3));
    expect(lbeta(0, 2)).toBe(Number.POSITIVE_INFINITY);
    expect(lbeta(2, Number.POSITIVE_INFINITY)).toBe(Number.NEGATIVE_INFINITY);
    expect(lbeta(-1, 2)).toBeNaN();
  });
});

describe("logistic family", () => {
  it("log1pexp matches mpmath and never overflows", () => {
    expect(worstError(fixtures.log1pexp, log1pexp)).toBeLessThan(1e-15);
    expect(log1pexp(1e308)).toBe(1e308);
    expect(log1pexp(-1e308)).toBe(0);
  });

  it("logistic is in [0, 1], symmetric and inverted by logit", () => {
    expect(logistic(0)).toBe(0.5);
    expect(logistic(800)).toBe(1);
    expect(logistic(-800)).toBe(0);
    expect(logistic(-745)).toBeGreaterThan(0);
    for (const x of [-30, -2.5, -1e-9, 0.3, 7, 30]) expect(logistic(x) + logistic(-x)).toBeCloseTo(1, 15);
    // Near 1 a probability has only ~|x|·log10(e) fewer significant digits, so round trips stay moderate.
    for (const x of [-30, -2.5, -1e-9, 0.3, 7]) expect(logit(logistic(x))).toBeCloseTo(x, 9);
    expect(logit(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(logit(1)).toBe(Number.POSITIVE_INFINITY);
    expect(logit(1.5)).toBeNaN();
  });

  it("logSumExp is stable, honours stride and offset, and handles empty and infinite input", () => {
    expect(logSumExp(2, new Float64Array([1000, 1000]))).toBeCloseTo(1000 + Math.LN2, 12);
    expect(logSumExp(3, new Float64Array([-1000, -1001, -1002]))).toBeCloseTo(
      -1000 + Math.log(1 + Math.exp(-1) + Math.exp(-2)),
      12,
    );
    expect(logSumExp(2, new Float64Array([9, 0, 99, 0]), 2, 1)).toBeCloseTo(Math.LN2, 15);
    expect(logSumExp(0, new Float64Array(0))).toBe(Number.NEGATIVE_INFINITY);
    expect(logSumExp(2, new Float64Array([Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY]))).toBe(
      Number.NEGATIVE_INFINITY,
    );
    expect(logSumExp(2, new Float64Array([0, Number.POSITIVE_INFINITY]))).toBe(Number.POSITIVE_INFINITY);
    expect(logSumExp(2, new Float64Array([0, Number.NaN]))).toBeNaN();
  });

  it("logAddExp agrees with logSumExp of two terms", () => {
    for (const [a, b] of [
      [0, 0],
      [-3, 5],
      [700, 710],
      [-1e6, 2],
    ] as const) {
      expect(logAddExp(a, b)).toBeCloseTo(logSumExp(2, new Float64Array([a, b])), 12);
    }
    expect(logAddExp(Number.NEGATIVE_INFINITY, 3)).toBe(3);
    expect(logAddExp(Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY)).toBe(Number.NEGATIVE_INFINITY);
  });
});

describe("standard normal functions", () => {
  it("erfc matches reference values across the series/continued-fraction switch", () => {
    // Reference values: erfc from high-precision tables (Abramowitz & Stegun 7.1, DLMF).
    const cases: [number, number][] = [
      [0, 1],
      [0.5, 0.4795001221869535],
      [1, 0.15729920705028513],
      [2, 0.004677734981047266],
      [3, 2.209049699858544e-5],
      [5, 1.5374597944280349e-12],
      [10, 2.088487583762545e-45],
      [-1, 1.8427007929497148],
    ];
    for (const [x, y] of cases) expect(Math.abs(erfc(x) / y - 1)).toBeLessThan(1e-12);
    expect(erfc(Number.NaN)).toBeNaN();
  });

  it("erfc keeps full relative accuracy between the series and the continued fraction", () => {
    // mpmath at 40 digits, rounded to the nearest double. The series' 1 − erf form would lose log₁₀(1/erfc) digits here (up to
    // ~3 at x = 2.4, i.e. ~1e-13 relative); the continued fraction keeps a few ulps.
    const cases: [number, number][] = [
      [1.2, 0.08968602177036462],
      [1.6, 0.023651616655355992],
      [2, 0.004677734981047266],
      [2.2, 0.0018628462979818914],
      [2.4, 0.0006885138966450786],
      [4, 1.541725790028002e-8],
      [20, 5.395865611607901e-176],
    ];
    for (const [x, y] of cases) expect(Math.abs(erfc(x) / y - 1), `erfc(${x})`).toBeLessThan(4e-15);
  });

  it("Φ agrees with erfc, is exact at the infinities and uses b(t) in the tails", () => {
    for (const z of [-1.5, -0.3, 0, 0.7, 1.9]) expect(normalCdf(z)).toBe(0.5 * erfc(-z / Math.SQRT2));
    for (const z of [-2.5, -8, -30]) {
      // Lower tail: Φ(z) = φ(z)·R(−z) = φ(z)/(t + b(t)), compared with erfc's own tail form. The
      // rounding of z/√2 (relative ε) moves e^(−x²) by a relative 2x²ε = z²ε, hence the budget.
      expect(Math.abs(normalCdf(z) / (0.5 * erfc(-z / Math.SQRT2)) - 1)).toBeLessThan((8 + z * z) * Number.EPSILON);
      expect(normalCdf(z)).toBe(normalPdf(z) / (-z + millsFraction(-z)));
    }
    expect(normalCdf(Number.NEGATIVE_INFINITY)).toBe(0);
    expect(normalCdf(Number.POSITIVE_INFINITY)).toBe(1);
    expect(erfc(Number.POSITIVE_INFINITY)).toBe(0);
    expect(erfc(Number.NEGATIVE_INFINITY)).toBe(2);
    expect(normalCdf(Number.NaN)).toBeNaN();
    // b(t) → 1/t as t → ∞ (R(t) ≈ 1/t − 1/t³), and b(∞) = 0.
    expect(millsFraction(1e8) * 1e8).toBeCloseTo(1, 12);
    expect(millsFraction(Number.POSITIVE_INFINITY)).toBe(0);
  });
});
