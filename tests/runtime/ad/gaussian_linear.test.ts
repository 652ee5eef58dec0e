import { describe, expect, it } from "vitest";
import type { Rng } from "../../../src/core/rng.js";
import {
  ALL_TERMS,
  type BinaryFn,
  collapseGaussianLikelihoods,
  compileProgram,
  type GaussianLinearStatistics,
  gaussianLinearStatistics,
  type Program,
  type ProgramNode,
  type Term,
  type TermSelection,
} from "../../../src/runtime/ad/index.js";
import { lowerBound } from "../../../src/runtime/bijectors/index.js";
import type { Distribution } from "../../../src/runtime/dists/distribution.js";
import { halfNormal, normal, studentT } from "../../../src/runtime/dists/index.js";
import type { LinearOperator } from "../../../src/runtime/linear_operator.js";
import { CsrOperator, DenseOperator } from "../../../src/runtime/operators/index.js";
import { createRng } from "../../../src/runtime/rng/index.js";

/**
 * Gaussian likelihoods with a mean affine in few unknowns are evaluated through sufficient
 * statistics (a `gaussian_linear` node) in the generated densities. Every case here compares the
 * default compilation with `sufficientStatistics: false`, which evaluates the term element by
 * element as written: values and gradients must agree to 1e-9 relative.
 */

const LIKELIHOOD: TermSelection = { prior: false, likelihood: true, jacobian: false };
const PRIOR: TermSelection = { prior: true, likelihood: false, jacobian: true };

/** A small program builder: latents get normal(0, 1) priors (half_normal(1) when positive). */
class Builder {
  readonly nodes: ProgramNode[] = [];
  readonly terms: Term[] = [];
  private dimension = 0;
  private readonly zero = this.push({ op: "const", value: 0, size: 1, scalar: true });
  private readonly one = this.push({ op: "const", value: 1, size: 1, scalar: true });

  push(node: ProgramNode): number {
    this.nodes.push(node);
    return this.nodes.length - 1;
  }

  constant(value: number | Float64Array): number {
    return typeof value === "number"
      ? this.push({ op: "const", value, size: 1, scalar: true })
      : this.push({ op: "const", value, size: value.length, scalar: false });
  }

  /** A latent of `size` numbers (size 0: a scalar); `positive` uses exp (lowerBound(0)), `raw` no bijector. */
  latent(size: number, kind: "real" | "positive" | "raw" = "real"): number {
    const scalar = size === 0;
    const n = scalar ? 1 : size;
    const id = this.push({
      op: "latent",
      offset: this.dimension,
      unconstrainedSize: n,
      discrete: false,
      size: n,
      scalar,
      ...(kind === "positive" ? { bijector: lowerBound(0) } : {}),
    });
    this.dimension += n;
    this.terms.push({
      kind: "density",
      dist: kind === "positive" ? halfNormal : normal,
      value: id,
      params: kind === "positive" ? { scale: this.one } : { loc: this.zero, scale: this.one },
      part: "prior",
      shape: scalar ? [] : [n],
      samples: true,
    });
    return id;
  }

  binary(fn: BinaryFn, a: number, b: number): number {
    const scalar = this.nodes[a]!.scalar && this.nodes[b]!.scalar;
    const size = scalar ? 1 : Math.max(this.nodes[a]!.size, this.nodes[b]!.size);
    return this.push({ op: "binary", fn, a, b, size, scalar });
  }

  matvec(operator: LinearOperator, x: number): number {
    return this.push({ op: "matvec", operator, x, size: operator.rows, scalar: false });
  }

  index(src: number, at: number): number {
    return this.push({ op: "index", src, at, size: 1, scalar: true });
  }

  observe(y: number, params: Record<string, number>, dist: Distribution = normal): number {
    this.terms.push({
      kind: "density",
      dist,
      value: y,
      params,
      part: "likelihood",
      shape: [this.nodes[y]!.size],
      samples: false,
    });
    return this.terms.length - 1;
  }

  program(): Program {
    return { nodes: this.nodes, terms: this.terms, dimension: this.dimension };
  }
}

function normals(rng: Rng, n: number, scale = 1, mean = 0): Float64Array {
  return Float64Array.from({ length: n }, () => mean + scale * rng.normal());
}

/** How many likelihood terms the rewrite collapses. */
function collapsedTerms(program: Program): number {
  const full = compileProgram(program, { sufficientStatistics: false });
  const reduced = collapseGaussianLikelihoods(program, (i) => full.read(i));
  return reduced.nodes.filter((n) => n.op === "gaussian_linear").length;
}

/** ‖a − b‖∞ / ‖b‖∞ (0 when both are zero). */
function relativeError(a: Float64Array, b: Float64Array): number {
  let diff = 0;
  let size = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    size = Math.max(size, Math.abs(b[i]!));
  }
  return size === 0 ? diff : diff / size;
}

/** ‖y − Z·z‖² element by element. */
function directRss(design: LinearOperator, y: Float64Array, z: Float64Array): number {
  const fitted = new Float64Array(design.rows);
  design.apply(z, fitted);
  return y.reduce((acc, v, i) => acc + (v - fitted[i]!) ** 2, 0);
}

/** rss + ‖R·(z − ẑ) − e‖² from the statistics. */
function fromStatistics(s: GaussianLinearStatistics, z: Float64Array): number {
  const k = z.length;
  let r = s.rss;
  for (let i = 0; i < k; i++) {
    let u = -s.shift[i]!;
    for (let j = i; j < k; j++) u += s.factor[i * k + j]! * (z[j]! - s.center[j]!);
    r += u * u;
  }
  return r;
}

/**
 * Default vs opt-out compilation at every point, for the full density, the likelihood alone and the
 * prior alone: values and gradients within 1e-9 relative; logDensity equals logDensityAndGrad.
 */
function expectSameDensities(
  program: Program,
  points: readonly Float64Array[],
  fast = compileProgram(program),
  full = compileProgram(program, { sufficientStatistics: false }),
): void {
  for (const selection of [ALL_TERMS, LIKELIHOOD, PRIOR]) {
    const a = fast.density(selection);
    const b = full.density(selection);
    for (const theta of points) {
      const ga = new Float64Array(program.dimension);
      const gb = new Float64Array(program.dimension);
      const va = a.logDensityAndGrad(theta, ga);
      const vb = b.logDensityAndGrad(theta, gb);
      expect(Number.isFinite(vb)).toBe(true);
      expect(Math.abs(va - vb)).toBeLessThanOrEqual(1e-9 * Math.abs(vb));
      expect(a.logDensity(theta)).toBe(va);
      expect(relativeError(ga, gb)).toBeLessThanOrEqual(1e-9);
    }
  }
}

/** 24 points: θ = center + spread·N(0, 1) per coordinate. */
function pointsAround(rng: Rng, center: Float64Array, spread: Float64Array | number): Float64Array[] {
  return Array.from({ length: 24 }, () =>
    center.map((c, i) => c + (typeof spread === "number" ? spread : spread[i]!) * rng.normal()),
  );
}

const rng0 = createRng(20261126);
const N = 100;
const D = 10;
const X = normals(rng0, N * D);
const wTrue = normals(rng0, D);
const yBlr = new Float64Array(N);
new DenseOperator(X, N, D).apply(wTrue, yBlr);
for (let i = 0; i < N; i++) yBlr[i] += 0.5 * rng0.normal();

describe("sufficient statistics of Gaussian likelihoods with an affine mean", () => {
  it("Bayesian linear regression y ~ normal(X·w, σ), σ fixed: same density and gradient", () => {
    const b = new Builder();
    const w = b.latent(D);
    const loc = b.matvec(new DenseOperator(X, N, D), w);
    b.observe(b.constant(yBlr), { loc, scale: b.constant(0.5) });
    const program = b.program();
    expect(collapsedTerms(program)).toBe(1);
    expectSameDensities(program, pointsAround(createRng(1), wTrue, 0.3));
    expectSameDensities(program, pointsAround(createRng(2), new Float64Array(D), 2));
    const compiled = compileProgram(program);
    compiled.density(ALL_TERMS);
    // The N × D products are gone from the gradient.
    expect(compiled.source("grad:PLJ")).not.toContain(".apply(");
    expect(compiled.source("grad:PLJ")).not.toContain(".applyTranspose(");
  });

  it("intercept + X·w with a latent σ (log-transformed), and an offset computed from data", () => {
    const b = new Builder();
    const w = b.latent(D);
    const alpha = b.latent(0);
    const sigma = b.latent(0, "positive");
    const raw = b.constant(normals(createRng(3), N, 0.2));
    const offset = b.binary("mul", raw, b.constant(2)); // transformed data: static, not a const
    const loc = b.binary("add", b.binary("add", b.matvec(new DenseOperator(X, N, D), w), alpha), offset);
    b.observe(b.constant(yBlr), { loc, scale: sigma });
    const program = b.program();
    expect(collapsedTerms(program)).toBe(1);
    const center = Float64Array.of(...wTrue, 0.1, Math.log(0.5));
    expectSameDensities(program, pointsAround(createRng(4), center, 0.3));
  });

  it("a wider design (K = 31, beyond the unrolled product) with an intercept and a latent σ", () => {
    const rng = createRng(19);
    const n = 300;
    const d = 30;
    const wide = new DenseOperator(normals(rng, n * d), n, d);
    const truth = normals(rng, d);
    const y = new Float64Array(n);
    wide.apply(truth, y);
    for (let i = 0; i < n; i++) y[i] += 1 + 0.3 * rng.normal();
    const b = new Builder();
    const w = b.latent(d);
    const alpha = b.latent(0);
    const sigma = b.latent(0, "positive");
    b.observe(b.constant(y), { loc: b.binary("add", alpha, b.matvec(wide, w)), scale: sigma });
    const program = b.program();
    expect(collapsedTerms(program)).toBe(1);
    expectSameDensities(program, pointsAround(createRng(20), Float64Array.of(...truth, 1, Math.log(0.3)), 0.1));
    const compiled = compileProgram(program);
    compiled.density(ALL_TERMS);
    expect(compiled.source("grad:PLJ")).toContain("gop");
  });

  it("kidiq-like: data columns times scalar coefficients plus an intercept, data with a large mean", () => {
    // kid_score ≈ 26 + 6·mom_hs + 0.6·mom_iq + 18·noise, N = 434: yᵀy ≈ 3·10⁶ against r ≈ 1.4·10⁵.
    const rng = createRng(5);
    const n = 434;
    const hs = Float64Array.from({ length: n }, () => (rng.uniform() < 0.8 ? 1 : 0));
    const iq = normals(rng, n, 15, 100);
    const kid = Float64Array.from({ length: n }, (_, i) => 26 + 6 * hs[i]! + 0.6 * iq[i]! + 18 * rng.normal());
    const b = new Builder();
    const beta = b.latent(3);
    const sigma = b.latent(0, "positive");
    const loc = b.binary(
      "add",
      b.binary(
        "add",
        b.binary("mul", b.constant(hs), b.index(beta, 1)),
        b.binary("mul", b.constant(iq), b.index(beta, 2)),
      ),
      b.index(beta, 0),
    );
    b.observe(b.constant(kid), { loc, scale: sigma });
    const program = b.program();
    expect(collapsedTerms(program)).toBe(1);
    const center = Float64Array.of(26, 6, 0.6, Math.log(18));
    expectSameDensities(program, pointsAround(createRng(6), center, Float64Array.of(3, 2, 0.03, 0.2)));
  });

  it("scaled, negated and divided blocks over a sparse design, a latent σ and a scalar coordinate repeated", () => {
    // loc = −(A·u)/2 + s ⊙ (B·v) − c·t + 3·t with A, B CSR, s a data vector, t scalar (twice).
    const rng = createRng(7);
    const n = 200;
    const csr = (cols: number): CsrOperator => {
      const rowPtr = [0];
      const colIdx: number[] = [];
      const values: number[] = [];
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < cols; j++) {
          if (rng.uniform() < 0.4) {
            colIdx.push(j);
            values.push(rng.normal());
          }
        }
        rowPtr.push(colIdx.length);
      }
      return new CsrOperator(n, cols, rowPtr, colIdx, values);
    };
    const b = new Builder();
    const u = b.latent(4);
    const v = b.latent(3);
    const t = b.latent(0);
    const sigma = b.latent(0, "positive");
    const s = b.constant(normals(rng, n, 0.5, 1));
    const c = b.constant(normals(rng, n));
    const au = b.push({
      op: "unary",
      fn: "neg",
      x: b.binary("div", b.matvec(csr(4), u), b.constant(2)),
      size: n,
      scalar: false,
    });
    const bv = b.binary("mul", s, b.matvec(csr(3), v));
    const ct = b.binary("mul", c, t);
    const loc = b.binary("add", b.binary("sub", b.binary("add", au, bv), ct), b.binary("mul", b.constant(3), t));
    b.observe(b.constant(normals(rng, n, 2)), { loc, scale: sigma });
    const program = b.program();
    expect(collapsedTerms(program)).toBe(1);
    expectSameDensities(program, pointsAround(createRng(8), new Float64Array(9), 0.7));
  });

  it("a scalar mean of many data and a singular design (two intercepts, a zero column) stay exact", () => {
    const rng = createRng(9);
    const n = 300;
    const b = new Builder();
    const a1 = b.latent(0);
    const a2 = b.latent(0);
    const g = b.latent(0);
    const sigma = b.latent(0, "positive");
    // Two intercepts (equal columns) and a zero column: a singular ZᵀZ.
    const ones = b.constant(new Float64Array(n).fill(1));
    const zeros = b.constant(new Float64Array(n));
    const loc = b.binary("add", b.binary("mul", ones, a1), b.binary("add", a2, b.binary("mul", zeros, g)));
    b.observe(b.constant(normals(rng, n, 1.5, 4)), { loc, scale: sigma });
    // A scalar mean of many data: one coordinate with a column of ones.
    const mean = b.latent(0);
    b.observe(b.constant(normals(rng, n, 1, -2)), { loc: mean, scale: sigma });
    const program = b.program();
    expect(collapsedTerms(program)).toBe(2);
    expectSameDensities(program, pointsAround(createRng(10), Float64Array.of(2, 2, 0, 0.4, -2), 0.5));

    // The same singularity in the statistics: the columns [1, 1, 0] of a 3-coordinate design.
    const design = new DenseOperator(
      Float64Array.from({ length: 3 * n }, (_, k) => (k % 3 === 2 ? 0 : 1)),
      n,
      3,
    );
    const y = normals(rng, n, 1, 4);
    const stats = gaussianLinearStatistics(design, y)!;
    expect(stats.center[2]).toBe(0);
    for (const z of pointsAround(createRng(11), new Float64Array(3), 3)) {
      expect(Math.abs(fromStatistics(stats, z) - directRss(design, y, z))).toBeLessThan(
        1e-12 * directRss(design, y, z),
      );
    }
    // ZᵀZ is singular, so even when it is tried first the statistics come from QR.
    const viaGramFirst = gaussianLinearStatistics(design, y, { maxQrWork: 0 })!;
    expect([...viaGramFirst.factor]).toEqual([...stats.factor]);
  });

  it("keeps r accurate when it is 10¹² times smaller than yᵀy (mean 10³, noise 10⁻³)", () => {
    // The expanded quadratic zᵀZᵀZz − 2yᵀZz + yᵀy would lose ~12 of 16 digits of r here (checked
    // below as a control); R·(z − ẑ) − e has no such cancellation. The element-wise reference
    // itself loses 10³·ε / 10⁻³ ≈ 1e-13 per residual.
    const rng = createRng(12);
    const n = 400;
    const x = normals(rng, n);
    const y = Float64Array.from(x, (v) => 1000 + 2 * v + 1e-3 * rng.normal());
    const b = new Builder();
    const a = b.latent(0);
    const slope = b.latent(0);
    const loc = b.binary("add", a, b.binary("mul", b.constant(x), slope));
    b.observe(b.constant(y), { loc, scale: b.constant(1e-3) });
    const program = b.program();
    expect(collapsedTerms(program)).toBe(1);
    const fast = compileProgram(program).density(LIKELIHOOD);
    const full = compileProgram(program, { sufficientStatistics: false }).density(LIKELIHOOD);
    const constant = -n * (Math.log(1e-3) + 0.5 * Math.log(2 * Math.PI));
    const rssOf = (lp: number): number => -2e-6 * (lp - constant);
    const sum = (f: (i: number) => number): number => x.reduce((acc, _, i) => acc + f(i), 0);
    const sx = sum((i) => x[i]!);
    const sxx = sum((i) => x[i]! * x[i]!);
    const sy = sum((i) => y[i]!);
    const sxy = sum((i) => x[i]! * y[i]!);
    const syy = sum((i) => y[i]! * y[i]!);
    let worstExpanded = 0;
    for (const theta of pointsAround(createRng(13), Float64Array.of(1000, 2), 1e-4)) {
      const ga = new Float64Array(2);
      const gb = new Float64Array(2);
      const va = fast.logDensityAndGrad(theta, ga);
      const vb = full.logDensityAndGrad(theta, gb);
      expect(Math.abs(rssOf(va) - rssOf(vb))).toBeLessThanOrEqual(1e-9 * rssOf(vb));
      expect(relativeError(ga, gb)).toBeLessThanOrEqual(1e-9);
      const [z0, z1] = [theta[0]!, theta[1]!];
      const expanded = z0 * z0 * n + 2 * z0 * z1 * sx + z1 * z1 * sxx - 2 * (z0 * sy + z1 * sxy) + syy;
      worstExpanded = Math.max(worstExpanded, Math.abs(expanded - rssOf(vb)) / rssOf(vb));
    }
    expect(worstExpanded).toBeGreaterThan(1e-6);
  });

  it("statistics from QR keep r to ε·cond(Z) for raw-scale predictors; the ZᵀZ route agrees when well-conditioned", () => {
    // Intercept and calendar years 10000..10061: cond(Z) ≈ 10⁶. Points spread along the posterior's
    // ridge (intercept and slope moving together), where r is small against ‖Z‖²‖z − ẑ‖²: an
    // evaluation through ZᵀZ loses cond(Z)² (≈ 5e-11 relative here), the factor R only cond(Z).
    const rng = createRng(21);
    const n = 62;
    const years = new DenseOperator(
      Float64Array.from({ length: 2 * n }, (_, k) => (k % 2 === 0 ? 1 : 10000 + (k >> 1))),
      n,
      2,
    );
    const y = Float64Array.from({ length: n }, (_, i) => -70 + 0.02 * (10000 + i) + 1.1 * rng.normal());
    const stats = gaussianLinearStatistics(years, y)!;
    const slopeSd = 1.1 / Math.sqrt(n * 18 * 18);
    for (let p = 0; p < 24; p++) {
      const db = 3 * slopeSd * rng.normal();
      const z = Float64Array.of(stats.center[0]! - db * 10030.5 + 0.4 * rng.normal(), stats.center[1]! + db);
      const direct = directRss(years, y, z);
      expect(Math.abs(fromStatistics(stats, z) - direct)).toBeLessThanOrEqual(1e-12 * direct);
    }
    // A well-conditioned design: the Householder and ZᵀZ routes give the same r.
    const design = new DenseOperator(normals(rng, 200 * 6), 200, 6);
    const target = normals(rng, 200, 2, 3);
    const viaQr = gaussianLinearStatistics(design, target)!;
    const viaGram = gaussianLinearStatistics(design, target, { maxQrWork: 0 })!;
    // Two routes were taken: the Cholesky factor has a positive diagonal, Householder's need not.
    expect([...viaGram.factor]).not.toEqual([...viaQr.factor]);
    for (let j = 0; j < 6; j++) expect(viaGram.factor[j * 6 + j]).toBeGreaterThan(0);
    for (const z of pointsAround(createRng(22), viaQr.center, 0.5)) {
      const direct = directRss(design, target, z);
      expect(Math.abs(fromStatistics(viaQr, z) - direct)).toBeLessThanOrEqual(1e-13 * direct);
      expect(Math.abs(fromStatistics(viaGram, z) - direct)).toBeLessThanOrEqual(1e-12 * direct);
    }
  });

  it("σ ≤ 0, σ = ∞ or a non-finite coordinate give −∞ with a zero gradient, as the normal family does", () => {
    const b = new Builder();
    const w = b.latent(D);
    const sigma = b.latent(0, "raw"); // no bijector: θ holds σ itself
    b.observe(b.constant(yBlr), { loc: b.matvec(new DenseOperator(X, N, D), w), scale: sigma });
    const program = b.program();
    expect(collapsedTerms(program)).toBe(1);
    const fast = compileProgram(program).density(LIKELIHOOD);
    const full = compileProgram(program, { sufficientStatistics: false }).density(LIKELIHOOD);
    const bad = [-0.5, 0, Number.POSITIVE_INFINITY, Number.NaN].map((s) => Float64Array.of(...wTrue, s));
    bad.push(Float64Array.of(Number.POSITIVE_INFINITY, ...wTrue.subarray(1), 0.5));
    bad.push(Float64Array.of(Number.NaN, ...wTrue.subarray(1), 0.5));
    for (const theta of bad) {
      for (const pair of [fast, full]) {
        const grad = new Float64Array(D + 1).fill(7);
        expect(pair.logDensityAndGrad(theta, grad)).toBe(Number.NEGATIVE_INFINITY);
        expect(pair.logDensity(theta)).toBe(Number.NEGATIVE_INFINITY);
        expect([...grad]).toEqual(new Array(D + 1).fill(0));
      }
    }
    expectSameDensities(program, pointsAround(createRng(14), Float64Array.of(...wTrue, 0.5), 0.05));
  });

  it("leaves other terms alone: vector scale, latent or hyper-dependent data, K² > nnz, other families, gathers", () => {
    const dense = new DenseOperator(X, N, D);
    const cases: Record<string, (b: Builder) => void> = {
      "vector scale": (b) => {
        const w = b.latent(D);
        const scale = b.push({ op: "unary", fn: "exp", x: b.latent(N), size: N, scalar: false });
        b.observe(b.constant(yBlr), { loc: b.matvec(dense, w), scale });
      },
      "latent y": (b) => {
        const w = b.latent(D);
        b.observe(b.latent(N), { loc: b.matvec(dense, w), scale: b.constant(1) });
      },
      "y computed from a hyper-parameter": (b) => {
        const w = b.latent(D);
        const h = b.push({ op: "input", buffer: Float64Array.of(1), size: 1, scalar: true });
        b.observe(b.binary("add", b.constant(yBlr), h), { loc: b.matvec(dense, w), scale: b.constant(1) });
      },
      "coefficient from a hyper-parameter": (b) => {
        const t = b.latent(0);
        const h = b.push({ op: "input", buffer: new Float64Array(N).fill(1), size: N, scalar: false });
        b.observe(b.constant(yBlr), { loc: b.binary("mul", h, t), scale: b.constant(1) });
      },
      "K² > nnz (D > N)": (b) => {
        const w = b.latent(12);
        const wide = new DenseOperator(normals(createRng(15), 5 * 12), 5, 12);
        b.observe(b.constant(yBlr.slice(0, 5)), { loc: b.matvec(wide, w), scale: b.constant(1) });
      },
      student_t: (b) => {
        const w = b.latent(D);
        b.observe(b.constant(yBlr), { df: b.constant(4), loc: b.matvec(dense, w), scale: b.constant(1) }, studentT);
      },
      "a copy of normal": (b) => {
        const w = b.latent(D);
        b.observe(b.constant(yBlr), { loc: b.matvec(dense, w), scale: b.constant(1) }, { ...normal });
      },
      "gather (radon's alpha[county])": (b) => {
        const alpha = b.latent(5);
        const county = Int32Array.from({ length: N }, (_, i) => i % 5);
        const loc = b.push({ op: "gather", src: alpha, index: county, size: N, scalar: false });
        b.observe(b.constant(yBlr), { loc, scale: b.constant(1) });
      },
      "product of unknowns": (b) => {
        const w = b.latent(D);
        const tau = b.latent(0, "positive");
        b.observe(b.constant(yBlr), { loc: b.binary("mul", b.matvec(dense, w), tau), scale: b.constant(1) });
      },
      "nonlinear in w": (b) => {
        const w = b.latent(D);
        const ew = b.push({ op: "unary", fn: "exp", x: b.matvec(dense, w), size: N, scalar: false });
        b.observe(b.constant(yBlr), { loc: ew, scale: b.constant(1) });
      },
    };
    for (const [name, build] of Object.entries(cases)) {
      const b = new Builder();
      build(b);
      const program = b.program();
      const full = compileProgram(program, { sufficientStatistics: false });
      expect(
        collapseGaussianLikelihoods(program, (i) => full.read(i)),
        name,
      ).toBe(program);
    }
  });

  it("simulation, posterior predictive draws and read-out use the program as written", () => {
    const b = new Builder();
    const w = b.latent(D);
    const sigma = b.latent(0, "positive");
    const loc = b.matvec(new DenseOperator(X, N, D), w);
    b.nodes[loc] = { ...b.nodes[loc]!, keep: true };
    const t = b.observe(b.constant(yBlr), { loc, scale: sigma });
    const program = b.program();
    expect(collapsedTerms(program)).toBe(1);
    const fast = compileProgram(program);
    const full = compileProgram(program, { sufficientStatistics: false });
    const thetaFast = new Float64Array(D + 1);
    const thetaFull = new Float64Array(D + 1);
    fast.simulate(createRng(16), thetaFast);
    full.simulate(createRng(16), thetaFull);
    expect([...thetaFast]).toEqual([...thetaFull]);
    expect([...fast.predictive(t)]).toEqual([...full.predictive(t)]);
    expect(fast.predictive(t).some((v) => v !== 0)).toBe(true);
    fast.evaluate(thetaFast);
    full.evaluate(thetaFull);
    expect([...(fast.read(loc) as Float64Array)]).toEqual([...(full.read(loc) as Float64Array)]);
  });
});
