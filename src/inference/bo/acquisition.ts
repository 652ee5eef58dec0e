/**
 * Acquisition functions for minimisation, each "larger is better", with gradients with respect
 * to the (normalised) input.
 *
 * With posterior mean μ(x), standard deviation σ(x), incumbent y* (the best value observed) and
 * z = (y* − μ)/σ:
 * - expected improvement EI = E[(y* − f)⁺] = σ·h(z), h(z) = φ(z) + zΦ(z)
 *   (Močkus 1975; Jones, Schonlau & Welch 1998);
 * - log-EI = log σ + log h(z), evaluated without underflow or cancellation for z ≪ 0
 *   (Ament et al. 2023; see `gaussian_tail.ts`). Same maximiser as EI, but its landscape is not
 *   flat at 0 far from the data, so gradient-based maximisation keeps working: the default;
 * - probability of improvement PI = Φ((y* − ξ − μ)/σ) (Kushner 1964), maximised as log PI;
 * - upper confidence bound UCB = −μ + √β·σ: the upper bound of −f, i.e. the lower confidence
 *   bound of f (Srinivas et al. 2010);
 * - knowledge gradient KG(x) = E[max_{a∈A} −μₙ₊₁(a)] − max_{a∈A} −μₙ(a), the expected gain in the
 *   best posterior mean from one more noisy observation at x (Frazier, Powell & Dayanik 2009). On a
 *   continuous domain it is computed exactly over a finite set A = anchors ∪ {x} — the
 *   "discretised KG plus the sampled point" (Scott, Frazier & Powell 2011's KGCP uses the observed
 *   points as anchors; here the minimiser of μₙ is added, so that the baseline is the true best
 *   posterior mean). Given x, μₙ₊₁(a) = μₙ(a) + σ̃(a, x)·Z with Z ~ N(0, 1) and
 *   σ̃(a, x) = Σₙ(a, x)/√(σₙ²(x) + σn²), so KG = E[maxᵢ(aᵢ + bᵢZ)] − maxᵢ aᵢ, a piecewise-linear
 *   expectation computed exactly from the upper envelope of the lines (Frazier et al. 2009,
 *   algorithm 1) as Σⱼ (b_{j+1} − b_j)·h(−|c_j|) over the envelope's breakpoints c_j.
 *
 * Values and gradients are on the GP's internal scale (standardised outputs), which changes EI,
 * UCB and KG by a positive factor and leaves their maximisers alone.
 *
 * @module
 */
import { DomainError, describeValue } from "../../core/errors.js";
import { flattenPoints } from "./bounds.js";
import {
  expectedPositivePart,
  logExpectedPositivePart,
  logExpectedPositivePartGrad,
  logNormalCdf,
  logNormalCdfGrad,
} from "./gaussian_tail.js";
import type { GpPosterior, PointWorkspace } from "./gp.js";
import { Lbfgs } from "../../runtime/optim/index.js";
import { normalCdf, normalPdf } from "../../runtime/special.js";

/**
 * The acquisitions: `'log_ei'` (default), `'ei'`, `'pi'`, `'ucb'` and `'kg'`.
 *
 * @example
 * ```ts
 * const acquisition: AcquisitionKind = "kg";
 * ```
 */
export type AcquisitionKind = "log_ei" | "ei" | "pi" | "ucb" | "kg";

/**
 * Every {@link AcquisitionKind}.
 *
 * @example
 * ```ts
 * ACQUISITION_KINDS.length; // 5
 * ```
 */
export const ACQUISITION_KINDS: readonly AcquisitionKind[] = ["log_ei", "ei", "pi", "ucb", "kg"];

/**
 * Tunables of the acquisitions that have any.
 *
 * @example
 * ```ts
 * const options: AcquisitionOptions = { beta: 4, xi: 0.01 };
 * ```
 */
export interface AcquisitionOptions {
  /** UCB's exploration weight β ≥ 0 (default 4: two posterior standard deviations). */
  readonly beta?: number;
  /** PI's required margin ξ ≥ 0, in standardised output units (default 0.01). */
  readonly xi?: number;
}

/**
 * An acquisition bound to one posterior, evaluated at normalised points. Not re-entrant: it owns
 * its scratch buffers.
 *
 * @example
 * ```ts
 * const value = acquisition.evaluate(x, gradient); // gradient filled with ∂value/∂x
 * ```
 */
export interface AcquisitionFunction {
  /** Which acquisition this is. */
  readonly kind: AcquisitionKind;
  /** The value at x (read at `offset`), and its gradient into `gradient` when given. */
  evaluate(x: Float64Array, gradient?: Float64Array, offset?: number): number;
  /** Values at `count` points stored row-major in `points` (a faster path for scoring many). */
  evaluateBatch(points: Float64Array, count: number, out: Float64Array): void;
}

/**
 * Expected improvement E[(best − Y)⁺] of Y ~ N(mean, sd²) below `best` (minimisation).
 *
 * @example
 * ```ts
 * expectedImprovement(0, 1, 0); // φ(0) ≈ 0.3989
 * ```
 */
export function expectedImprovement(mean: number, sd: number, best: number): number {
  checkSd("expectedImprovement()", sd);
  if (sd === 0) return Math.max(best - mean, 0);
  return sd * expectedPositivePart((best - mean) / sd);
}

/**
 * log of {@link expectedImprovement}, finite wherever sd > 0 even when EI underflows to 0.
 *
 * @example
 * ```ts
 * logExpectedImprovement(50, 1, 0); // ≈ -1258.8 (EI itself underflows)
 * ```
 */
export function logExpectedImprovement(mean: number, sd: number, best: number): number {
  checkSd("logExpectedImprovement()", sd);
  if (sd === 0) return Math.log(Math.max(best - mean, 0));
  return Math.log(sd) + logExpectedPositivePart((best - mean) / sd);
}

/**
 * Probability P(Y < best − xi) of Y ~ N(mean, sd²).
 *
 * @example
 * ```ts
 * probabilityOfImprovement(0, 1, 0); // 0.5
 * ```
 */
export function probabilityOfImprovement(mean: number, sd: number, best: number, xi = 0): number {
  checkSd("probabilityOfImprovement()", sd);
  if (sd === 0) return mean < best - xi ? 1 : 0;
  return normalCdf((best - xi - mean) / sd);
}

/**
 * −mean + √β·sd: the upper confidence bound of −Y (larger is better when minimising).
 *
 * @example
 * ```ts
 * upperConfidenceBound(1, 0.5, 4); // -1 + 2·0.5 = 0
 * ```
 */
export function upperConfidenceBound(mean: number, sd: number, beta = 4): number {
  checkSd("upperConfidenceBound()", sd);
  return -mean + Math.sqrt(beta) * sd;
}

/**
 * E[maxᵢ(aᵢ + bᵢZ)] − maxᵢ aᵢ for Z ~ N(0, 1): the knowledge-gradient gain of a set of lines
 * (Frazier, Powell & Dayanik 2009), exact, without cancellation. Allocates its work arrays; the
 * acquisition uses a preallocated {@link LinesMaximum}.
 *
 * @example
 * ```ts
 * expectedMaxGain(Float64Array.of(0, 0), Float64Array.of(-1, 1)); // E|Z| = √(2/π) ≈ 0.7979
 * ```
 */
export function expectedMaxGain(a: Float64Array, b: Float64Array): number {
  if (a.length !== b.length) {
    throw new DomainError({
      where: "expectedMaxGain()",
      what: "a and b must have the same length",
      got: `${a.length} and ${b.length}`,
    });
  }
  const lines = new LinesMaximum(a.length);
  lines.a.set(a);
  lines.b.set(b);
  return lines.gain(a.length, false);
}

/**
 * Workspace for E[maxᵢ(aᵢ + bᵢZ)] − maxᵢ aᵢ over up to `capacity` lines, with the partial
 * derivatives ∂/∂aᵢ and ∂/∂bᵢ. Fill `a` and `b`, then call {@link LinesMaximum.gain}.
 *
 * Algorithm: sort by slope (ties: the larger intercept wins), build the upper envelope with a
 * stack (a line is dropped when the next one overtakes it before it ever becomes the maximum),
 * then sum (b_{j+1} − b_j)·h(−|c_j|) over consecutive envelope lines meeting at c_j. Derivative of
 * one term: ∂/∂b_{j+1} = −∂/∂b_j = φ(c_j), ∂/∂a_j = −∂/∂a_{j+1} = −sign(c_j)·Φ(−|c_j|).
 *
 * @example
 * ```ts
 * const lines = new LinesMaximum(3);
 * lines.a.set([0, 1, 0]); lines.b.set([-1, 0, 1]);
 * const kg = lines.gain(3, true); // lines.gradA, lines.gradB hold the partials
 * ```
 */
export class LinesMaximum {
  /** Intercepts. */
  readonly a: Float64Array;
  /** Slopes. */
  readonly b: Float64Array;
  /** ∂gain/∂aᵢ after `gain(…, true)`. */
  readonly gradA: Float64Array;
  /** ∂gain/∂bᵢ after `gain(…, true)`. */
  readonly gradB: Float64Array;
  private readonly order: Int32Array;
  private readonly stack: Int32Array;
  private readonly start: Float64Array;
  private readonly byRank: (i: number, j: number) => number;

  /**
   * @example
   * ```ts
   * const lines = new LinesMaximum(100);
   * ```
   */
  constructor(capacity: number) {
    this.a = new Float64Array(capacity);
    this.b = new Float64Array(capacity);
    this.gradA = new Float64Array(capacity);
    this.gradB = new Float64Array(capacity);
    this.order = new Int32Array(capacity);
    this.stack = new Int32Array(capacity);
    this.start = new Float64Array(capacity);
    const { a, b } = this;
    this.byRank = (i, j) => b[i] - b[j] || a[i] - a[j];
  }

  /**
   * The gain over the first `count` lines; with `withGradient` also fills gradA and gradB.
   *
   * @example
   * ```ts
   * const value = lines.gain(count, false);
   * ```
   */
  gain(count: number, withGradient: boolean): number {
    const { a, b, stack, start, gradA, gradB } = this;
    const order = this.order.subarray(0, count);
    for (let i = 0; i < count; i++) order[i] = i;
    order.sort(this.byRank);
    let top = -1;
    for (let r = 0; r < count; r++) {
      const j = order[r];
      // Equal slopes: the later line (sorted by intercept) dominates the earlier one.
      if (top >= 0 && b[stack[top]] === b[j]) top--;
      let c = Number.NEGATIVE_INFINITY;
      while (top >= 0) {
        const k = stack[top];
        c = (a[k] - a[j]) / (b[j] - b[k]);
        if (top >= 1 && c <= start[top]) {
          top--;
          c = Number.NEGATIVE_INFINITY;
        } else {
          break;
        }
      }
      stack[++top] = j;
      start[top] = top === 0 ? Number.NEGATIVE_INFINITY : c;
    }
    if (withGradient) {
      gradA.fill(0, 0, count);
      gradB.fill(0, 0, count);
    }
    let total = 0;
    for (let t = 1; t <= top; t++) {
      const lo = stack[t - 1];
      const hi = stack[t];
      const c = start[t];
      const abs = Math.abs(c);
      const db = b[hi] - b[lo];
      total += db * expectedPositivePart(-abs);
      if (withGradient) {
        const pdf = normalPdf(c);
        gradB[hi] += pdf;
        gradB[lo] -= pdf;
        const tail = (c > 0 ? 1 : c < 0 ? -1 : 0) * normalCdf(-abs);
        gradA[lo] -= tail;
        gradA[hi] += tail;
      }
    }
    return total;
  }
}

/**
 * Context a step gives {@link createAcquisition}.
 *
 * @example
 * ```ts
 * const context: AcquisitionContext = { incumbent: Math.min(...gp.outputs) };
 * ```
 */
export interface AcquisitionContext extends AcquisitionOptions {
  /** The best (smallest) standardised output so far. */
  readonly incumbent: number;
}

/**
 * Binds an acquisition to a posterior. For `'kg'` this also locates the minimiser of the
 * posterior mean (L-BFGS from the best observed points) to complete the anchor set.
 *
 * @throws DomainError for an unknown kind or invalid β/ξ.
 * @example
 * ```ts
 * const acquisition = createAcquisition(gp, "log_ei", { incumbent: -1.3 });
 * const value = acquisition.evaluate(Float64Array.of(0.2, 0.7));
 * ```
 */
export function createAcquisition(
  posterior: GpPosterior,
  kind: AcquisitionKind,
  context: AcquisitionContext,
): AcquisitionFunction {
  const beta = context.beta ?? 4;
  const xi = context.xi ?? 0.01;
  if (!(beta >= 0 && Number.isFinite(beta))) {
    throw new DomainError({ where: "bo", what: "beta must be a finite number ≥ 0", got: describeValue(beta) });
  }
  if (!(xi >= 0 && Number.isFinite(xi))) {
    throw new DomainError({ where: "bo", what: "xi must be a finite number ≥ 0", got: describeValue(xi) });
  }
  switch (kind) {
    case "log_ei":
    case "ei":
    case "pi":
    case "ucb":
      return new AnalyticAcquisition(posterior, kind, context.incumbent, beta, xi);
    case "kg":
      return new KnowledgeGradient(posterior, meanMinimizerAnchors(posterior));
    default:
      throw new DomainError({
        where: "bo",
        what: "unknown acquisition",
        got: describeValue(kind),
        expected: ACQUISITION_KINDS.map((k) => `'${k}'`).join(", "),
      });
  }
}

/**
 * The knowledge gradient at `point` (user units) with anchors `anchors` (user units) plus the
 * point itself, in the user's output units: the expected decrease of min over A of the posterior
 * mean after one more noisy observation at `point`.
 *
 * @example
 * ```ts
 * const gain = knowledgeGradient(gp, [0.3], [[0], [0.25], [0.5], [0.75], [1]]);
 * ```
 */
export function knowledgeGradient(
  posterior: GpPosterior,
  point: ArrayLike<number>,
  anchors: readonly ArrayLike<number>[],
): number {
  const d = posterior.dimension;
  const flat = flattenPoints("knowledgeGradient()", anchors, d);
  const x = flattenPoints("knowledgeGradient()", [point], d);
  const normalizedAnchors = new Float64Array(anchors.length * d);
  const tmp = new Float64Array(d);
  for (let i = 0; i < anchors.length; i++) normalizedAnchors.set(posterior.normalize(flat, i * d, tmp), i * d);
  const kg = new KnowledgeGradient(posterior, normalizedAnchors);
  return posterior.transform.outputScale * kg.evaluate(posterior.normalize(x, 0, new Float64Array(d)));
}

class AnalyticAcquisition implements AcquisitionFunction {
  private readonly work: PointWorkspace;
  private readonly sqrtBeta: number;
  private cMean = 0;
  private cSd = 0;
  private means = new Float64Array(0);
  private variances = new Float64Array(0);

  constructor(
    posterior: GpPosterior,
    readonly kind: "log_ei" | "ei" | "pi" | "ucb",
    private readonly incumbent: number,
    beta: number,
    private readonly xi: number,
  ) {
    this.work = posterior.createWorkspace();
    this.sqrtBeta = Math.sqrt(beta);
  }

  evaluate(x: Float64Array, gradient?: Float64Array, offset = 0): number {
    const work = this.work;
    work.at(x, gradient !== undefined, offset);
    const value = this.value(work.mean, work.variance);
    if (gradient) {
      // ∂value = cMean·∂μ + cSd·∂σ, and ∂σ = ∂var/(2σ).
      const cVar = this.cSd / (2 * Math.sqrt(work.variance));
      for (let j = 0; j < gradient.length; j++) {
        gradient[j] = this.cMean * work.meanGradient[j] + cVar * work.varianceGradient[j];
      }
    }
    return value;
  }

  evaluateBatch(points: Float64Array, count: number, out: Float64Array): void {
    if (this.means.length < count) {
      this.means = new Float64Array(count);
      this.variances = new Float64Array(count);
    }
    this.work.meanVarianceBatch(points, count, this.means, this.variances);
    for (let i = 0; i < count; i++) out[i] = this.value(this.means[i], this.variances[i]);
  }

  /** The value at (mean, variance); leaves ∂value/∂mean and ∂value/∂sd in cMean and cSd. */
  private value(mean: number, variance: number): number {
    const sd = Math.sqrt(variance);
    const z = (this.incumbent - (this.kind === "pi" ? this.xi : 0) - mean) / sd;
    switch (this.kind) {
      case "log_ei": {
        const g = logExpectedPositivePartGrad(z);
        this.cMean = -g / sd;
        this.cSd = (1 - g * z) / sd;
        return Math.log(sd) + logExpectedPositivePart(z);
      }
      case "ei":
        this.cMean = -normalCdf(z);
        this.cSd = normalPdf(z);
        return sd * expectedPositivePart(z);
      case "pi": {
        const g = logNormalCdfGrad(z);
        this.cMean = -g / sd;
        this.cSd = (-g * z) / sd;
        return logNormalCdf(z);
      }
      default:
        this.cMean = -1;
        this.cSd = this.sqrtBeta;
        return -mean + this.sqrtBeta * sd;
    }
  }
}

/**
 * The discretised knowledge gradient over anchors ∪ {x} (see the module notes), with its
 * gradient. Per anchor the constructor caches μ(a) and K⁻¹k(X, a); an evaluation then costs
 * O(M·n) for M anchors plus an O(M log M) sort.
 */
class KnowledgeGradient implements AcquisitionFunction {
  readonly kind = "kg" as const;
  private readonly work: PointWorkspace;
  private readonly anchorWork: PointWorkspace;
  private readonly numAnchors: number;
  private readonly anchorMean: Float64Array;
  private readonly anchorSolve: Float64Array;
  private readonly lines: LinesMaximum;
  private readonly u: Float64Array;
  private readonly tmp: Float64Array;
  private readonly dAnchor: Float64Array;
  private readonly noise: number;

  constructor(
    private readonly posterior: GpPosterior,
    private readonly anchors: Float64Array,
  ) {
    const n = posterior.numObservations;
    const d = posterior.dimension;
    const m = anchors.length / d;
    this.numAnchors = m;
    this.noise = posterior.hyperparameters.noiseVariance;
    this.work = posterior.createWorkspace();
    this.anchorWork = posterior.createWorkspace();
    this.anchorMean = new Float64Array(m);
    this.anchorSolve = new Float64Array(m * n);
    for (let i = 0; i < m; i++) {
      this.anchorWork.at(anchors, false, i * d);
      this.anchorMean[i] = this.anchorWork.mean;
      this.anchorWork.solve(this.anchorWork.k, this.anchorSolve.subarray(i * n, (i + 1) * n));
    }
    this.lines = new LinesMaximum(m + 1);
    this.u = new Float64Array(n);
    this.tmp = new Float64Array(d);
    this.dAnchor = new Float64Array(d);
  }

  evaluateBatch(points: Float64Array, count: number, out: Float64Array): void {
    const d = this.posterior.dimension;
    for (let i = 0; i < count; i++) out[i] = this.evaluate(points, undefined, i * d);
  }

  evaluate(x: Float64Array, gradient?: Float64Array, offset = 0): number {
    const { posterior, work, anchors, anchorMean, anchorSolve, lines, numAnchors: m } = this;
    const n = posterior.numObservations;
    const d = posterior.dimension;
    const withGradient = gradient !== undefined;
    work.at(x, withGradient, offset);
    const s2 = work.variance + this.noise;
    const s = Math.sqrt(s2);
    const k = work.k;
    // Lines in the maximisation form: aᵢ = −μ(aᵢ), bᵢ = Σₙ(aᵢ, x)/s.
    for (let i = 0; i < m; i++) {
      let q = 0;
      const o = i * n;
      for (let r = 0; r < n; r++) q += anchorSolve[o + r] * k[r];
      lines.a[i] = -anchorMean[i];
      lines.b[i] = (work.priorCovariance(anchors, i * d) - q) / s;
    }
    lines.a[m] = -work.mean;
    lines.b[m] = work.variance / s;
    const value = lines.gain(m + 1, withGradient);
    if (!gradient) return value;
    // ∂bᵢ/∂x = ∂Σᵢ/∂x / s − bᵢ ∂var/∂x / (2s²), with ∂Σᵢ/∂x = ∂k(aᵢ, x)/∂x − Σ_r (K⁻¹k(X, aᵢ))_r ∂k_r/∂x
    // for anchors and ∂Σ/∂x = ∂var/∂x for x itself; ∂a/∂x = −∂μ/∂x for x itself.
    const { u, tmp, dAnchor } = this;
    const gradB = lines.gradB;
    u.fill(0);
    gradient.fill(0);
    let weighted = 0;
    for (let i = 0; i <= m; i++) weighted += gradB[i] * lines.b[i];
    for (let i = 0; i < m; i++) {
      const c = gradB[i];
      if (c === 0) continue;
      const o = i * n;
      for (let r = 0; r < n; r++) u[r] += c * anchorSolve[o + r];
      work.priorCovariance(anchors, i * d, dAnchor);
      for (let j = 0; j < d; j++) gradient[j] += (c * dAnchor[j]) / s;
    }
    work.contract(u, tmp);
    const cVar = gradB[m] / s - weighted / (2 * s2);
    const cMean = -lines.gradA[m];
    for (let j = 0; j < d; j++) {
      gradient[j] += -tmp[j] / s + cVar * work.varianceGradient[j] + cMean * work.meanGradient[j];
    }
    return value;
  }
}

/**
 * KG anchors: the observed points plus the minimiser of the posterior mean, found by L-BFGS in the
 * unit box from the three observed points with the smallest posterior mean.
 */
function meanMinimizerAnchors(posterior: GpPosterior): Float64Array {
  const n = posterior.numObservations;
  const d = posterior.dimension;
  const work = posterior.createWorkspace();
  const means = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    work.at(posterior.inputs, false, i * d);
    means[i] = work.mean;
  }
  const ranked = Array.from({ length: n }, (_, i) => i).sort((i, j) => means[i] - means[j]);
  const lbfgs = new Lbfgs(d);
  const lower = new Float64Array(d);
  const upper = new Float64Array(d).fill(1);
  const objective = (x: Float64Array, g: Float64Array): number => {
    work.at(x, true);
    g.set(work.meanGradient);
    return work.mean;
  };
  let best: Float64Array = posterior.inputs.slice(ranked[0] * d, ranked[0] * d + d);
  let bestValue = means[ranked[0]];
  for (let r = 0; r < Math.min(3, n); r++) {
    const i = ranked[r];
    const start = posterior.inputs.slice(i * d, i * d + d);
    for (let j = 0; j < d; j++) start[j] = Math.min(1, Math.max(0, start[j]));
    const result = lbfgs.minimize(objective, start, { lower, upper, maxIterations: 100 });
    if (result.value < bestValue) {
      bestValue = result.value;
      best = result.x;
    }
  }
  const anchors = new Float64Array((n + 1) * d);
  anchors.set(posterior.inputs.subarray(0, n * d));
  anchors.set(best, n * d);
  return anchors;
}

function checkSd(where: string, sd: number): void {
  if (!(sd >= 0) || !Number.isFinite(sd)) {
    throw new DomainError({ where, what: "the standard deviation must be finite and ≥ 0", got: describeValue(sd) });
  }
}
