/**
 * Reference values for the sparse-prior tests, computed independently of sprig's runtime:
 * Gaussian tails from a series/continued-fraction erfc, Student-t tails by quadrature of
 * @stdlib's t log density, and composite Gauss–Legendre quadrature for the marginals that have
 * no closed form (horseshoe, regularized horseshoe, relaxed spike-and-slab). Also the draw loop
 * and the Monte Carlo standard error check the statistical tests share.
 */
import tLogpdf from "@stdlib/stats-base-dists-t-logpdf";
import { expect } from "vitest";
import type { CompiledModel } from "../../../../src/inference/model/index.js";
import type { Value } from "../../../../src/runtime/dists/index.js";
import { createRng } from "../../../../src/runtime/rng/index.js";

/** erfc(x) for x ≥ 0: Taylor series of erf below 2.5, Lentz continued fraction above (≈1e-15 relative). */
export function erfc(x: number): number {
  if (x < 0) return 2 - erfc(-x);
  if (x < 2.5) {
    // erf(x) = 2/√π Σ (−1)^n x^(2n+1) / (n! (2n+1))
    let term = x;
    let sum = x;
    for (let n = 1; n < 200; n++) {
      term *= (-x * x) / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return 1 - (2 / Math.sqrt(Math.PI)) * sum;
  }
  // erfc(x) = exp(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …))))), evaluated by Lentz's method.
  const tiny = 1e-300;
  let f = x;
  let C = x;
  let D = 0;
  for (let k = 1; k < 500; k++) {
    const a = k / 2;
    D = x + a * D;
    D = D === 0 ? tiny : 1 / D;
    C = x + a / C;
    if (C === 0) C = tiny;
    const delta = C * D;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
}

/** P(|Z| > a) for Z ~ normal(0, 1). */
export function normalTail(a: number): number {
  return erfc(a / Math.SQRT2);
}

/** Gauss–Legendre nodes and weights on [−1, 1] (Newton on P_n from the three-term recurrence). */
export function gaussLegendre(n: number): { nodes: Float64Array; weights: Float64Array } {
  const nodes = new Float64Array(n);
  const weights = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let x = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let dp = 0;
    for (let it = 0; it < 100; it++) {
      let p0 = 1;
      let p1 = x;
      for (let k = 2; k <= n; k++) {
        const p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
        p0 = p1;
        p1 = p2;
      }
      dp = (n * (x * p1 - p0)) / (x * x - 1);
      const dx = p1 / dp;
      x -= dx;
      if (Math.abs(dx) < 1e-15) break;
    }
    nodes[i] = x;
    weights[i] = 2 / ((1 - x * x) * dp * dp);
  }
  return { nodes, weights };
}

const RULE = gaussLegendre(8);

/** Composite 8-point Gauss–Legendre rule on [a, b] with `panels` panels: points and weights. */
export function rule(a: number, b: number, panels: number): { x: Float64Array; w: Float64Array } {
  const n = RULE.nodes.length;
  const x = new Float64Array(panels * n);
  const w = new Float64Array(panels * n);
  const h = (b - a) / panels;
  for (let p = 0; p < panels; p++) {
    const mid = a + (p + 0.5) * h;
    for (let i = 0; i < n; i++) {
      x[p * n + i] = mid + 0.5 * h * RULE.nodes[i]!;
      w[p * n + i] = 0.5 * h * RULE.weights[i]!;
    }
  }
  return { x, w };
}

/** ∫ f over [a, b]. */
export function integrate(f: (x: number) => number, a: number, b: number, panels = 64): number {
  const { x, w } = rule(a, b, panels);
  let s = 0;
  for (let i = 0; i < x.length; i++) s += w[i]! * f(x[i]!);
  return s;
}

/** Density of log λ for λ ~ half-Cauchy(0, 1): sech(l)/π. */
export function logHalfCauchyDensity(l: number): number {
  return 2 / (Math.PI * (Math.exp(l) + Math.exp(-l)));
}

/**
 * Density of w = log(λ₁λ₂) for independent λ₁, λ₂ ~ half-Cauchy(0, 1): (2/π²)·w/sinh(w), from the
 * product density (4/π²)·log(x)/(x² − 1) (checked against the convolution in reference.test.ts).
 */
export function logProductHalfCauchyDensity(w: number): number {
  if (Math.abs(w) < 1e-8) return 2 / (Math.PI * Math.PI);
  return (2 / (Math.PI * Math.PI)) * (w / Math.sinh(w));
}

/** P(|T| > t) for T ~ student_t(df, 0, scale): 2∫_t^∞ p, substituting x = t/u so the tail is a finite interval. */
export function studentTail(t: number, df: number, scale: number): number {
  const a = t / scale;
  if (a === 0) return 1;
  return 2 * integrate((u) => (u === 0 ? 0 : Math.exp(tLogpdf(a / u, df)) * (a / (u * u))), 0, 1, 64);
}

/** Draws n prior samples and returns, per draw, the constrained latents and deterministics by name. */
export function drawPrior(model: CompiledModel, n: number, seed: number): Record<string, Value>[] {
  const rng = createRng(seed);
  const out: Record<string, Value>[] = [];
  const theta = new Float64Array(model.dimension);
  for (let k = 0; k < n; k++) {
    model.samplePrior(rng, theta);
    out.push({ ...model.constrainedValues(theta), ...model.deterministics(theta) });
  }
  return out;
}

/** Element i of a value (a number for scalars). */
export function at(v: Value | undefined, i: number): number {
  if (v === undefined) throw new Error("missing value");
  return typeof v === "number" ? v : v[i]!;
}

/**
 * Checks that the mean of iid per-draw statistics matches `truth` within 4 Monte Carlo standard
 * errors, MCSE = sd/√n (draws from samplePrior are independent). Returns |error|/MCSE.
 */
export function expectMeanWithin4Mcse(values: ArrayLike<number>, truth: number, label: string): number {
  const n = values.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i]!;
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i]! - mean) ** 2;
  const mcse = Math.sqrt(ss / (n - 1) / n);
  const z = Math.abs(mean - truth) / mcse;
  expect(z, `${label}: mean ${mean}, truth ${truth}, MCSE ${mcse}`).toBeLessThan(4);
  return z;
}
