/**
 * A compact limited-memory BFGS minimiser with optional box constraints and an optional
 * per-iteration callback. Bayesian optimisation fits its surrogate's hyper-parameters and
 * maximises acquisitions with it (box-constrained); ADVI follows its unconstrained path towards
 * the mode to choose a starting approximation (recording the iterates through `onIterate`).
 *
 * Method. The search direction is the L-BFGS two-loop recursion (Nocedal & Wright 2006,
 * algorithm 7.4) applied to the projected gradient: a variable that sits on a bound with the
 * gradient pushing it outwards is held fixed for the iteration (its component is zeroed before and
 * after the recursion, and any other component that would leave the box from a bound is zeroed
 * too). Then:
 * - when the whole quasi-Newton step α = 1 (the first iteration: a unit-length steepest-descent
 *   step) stays inside the box, a strong-Wolfe line search (N&W algorithms 3.5–3.6: bracketing,
 *   then a zoom with safeguarded cubic interpolation; c₁ = 1e-4, c₂ = 0.9) runs along the segment
 *   up to the first bound it meets, where it stops if the function still decreases there;
 * - otherwise a backtracking Armijo search runs along the projected path P(x + αd), halving α
 *   (Bertsekas 1982's projection arc), so several bounds can become active in one iteration.
 * Without bounds every iteration takes the strong-Wolfe branch: plain L-BFGS.
 * A pair (s, y) enters the memory only when sᵀy > ε·yᵀy, which keeps the implicit Hessian
 * positive definite. The memory is cleared when the set of bound-held variables changes (its pairs
 * carry curvature along directions that are no longer free) and when a direction fails to descend.
 *
 * This is a projected quasi-Newton method, not Byrd–Lu–Nocedal–Zhu L-BFGS-B (no generalised
 * Cauchy point or subspace minimisation). For small, well-scaled boxes (a handful of log
 * hyper-parameters; the unit cube of a BO problem) it converges to the same points; the tests
 * check it against known minima of constrained and unconstrained problems.
 *
 * Non-finite objective values or gradients are allowed: the line searches treat such a point as
 * "step too long", so the iterates stay where the objective is finite.
 *
 * @module runtime/optim
 */
import { DomainError, describeValue, ShapeError } from "../../core/errors.js";

/**
 * An objective for {@link Lbfgs}: returns f(x) and writes ∇f(x) into `gradient`. It may return
 * +Infinity (e.g. a failed factorisation) or a non-finite gradient to reject a point; it must not
 * keep `x`, which is reused.
 *
 * @example
 * ```ts
 * const sphere: ObjectiveWithGradient = (x, g) => { g[0] = 2 * x[0]; return x[0] * x[0]; };
 * ```
 */
export type ObjectiveWithGradient = (x: Float64Array, gradient: Float64Array) => number;

/**
 * Options of {@link Lbfgs.minimize}; all have defaults.
 *
 * @example
 * ```ts
 * const path: Float64Array[] = [];
 * const options: LbfgsOptions = {
 *   lower: Float64Array.of(0, 0),
 *   upper: Float64Array.of(1, 1),
 *   maxIterations: 100,
 *   onIterate: (k, x) => path.push(x.slice()),
 * };
 * ```
 */
export interface LbfgsOptions {
  /** Lower bounds (length d); omit for none. Entries may be -Infinity. */
  readonly lower?: Float64Array;
  /** Upper bounds (length d); omit for none. Entries may be +Infinity. */
  readonly upper?: Float64Array;
  /** Iteration cap (default 200). */
  readonly maxIterations?: number;
  /** Cap on objective evaluations (default 20 · maxIterations). */
  readonly maxEvaluations?: number;
  /** Stop when the largest projected-gradient component is at most this (default 1e-6). */
  readonly gradientTolerance?: number;
  /** Stop when f decreases by at most valueTolerance · max(1, |f|) in an iteration (default 1e-12). */
  readonly valueTolerance?: number;
  /**
   * Called after every accepted iteration (1, 2, …) with the new iterate and f there, e.g. to
   * record the optimisation path. The array is the minimiser's own: do not modify it, and copy
   * what you keep (the next iteration overwrites it).
   */
  readonly onIterate?: (iteration: number, x: Float64Array, value: number) => void;
}

/**
 * Why {@link Lbfgs.minimize} stopped: `'gradient'` and `'value'` are convergence;
 * `'line_search_failed'` means no acceptable step exists along a steepest-descent direction either
 * (usually: converged to rounding level); `'nonfinite_start'` means f(x₀) or ∇f(x₀) was not finite.
 *
 * @example
 * ```ts
 * const ok = result.status === "gradient" || result.status === "value";
 * ```
 */
export type LbfgsStatus =
  | "gradient"
  | "value"
  | "max_iterations"
  | "max_evaluations"
  | "line_search_failed"
  | "nonfinite_start";

/**
 * The outcome of {@link Lbfgs.minimize}. `x` and `gradient` are fresh arrays.
 *
 * @example
 * ```ts
 * const { x, value, status } = lbfgs.minimize(f, x0);
 * ```
 */
export interface LbfgsResult {
  /** The final iterate (inside the box). */
  readonly x: Float64Array;
  /** f at x. */
  readonly value: number;
  /** ∇f at x. */
  readonly gradient: Float64Array;
  /** Iterations completed. */
  readonly numIterations: number;
  /** Objective evaluations, the first included. */
  readonly numEvaluations: number;
  /** Why it stopped. */
  readonly status: LbfgsStatus;
}

const C1 = 1e-4;
const C2 = 0.9;
const MAX_BRACKET = 25;
const MAX_ZOOM = 30;
const MAX_BACKTRACK = 50;
const CURVATURE_EPS = 2.220446049250313e-16;

/**
 * A reusable L-BFGS minimiser for one dimension: all work arrays are allocated once, so a loop of
 * many small optimisations (multi-start acquisition maximisation) allocates only the results.
 *
 * @example
 * ```ts
 * const lbfgs = new Lbfgs(2);
 * const rosenbrock: ObjectiveWithGradient = (x, g) => {
 *   const a = 1 - x[0], b = x[1] - x[0] * x[0];
 *   g[0] = -2 * a - 400 * x[0] * b; g[1] = 200 * b;
 *   return a * a + 100 * b * b;
 * };
 * lbfgs.minimize(rosenbrock, Float64Array.of(-1.2, 1)).x; // ≈ [1, 1]
 * ```
 */
export class Lbfgs {
  /** Number of variables. */
  readonly dimension: number;
  /** Number of (s, y) pairs kept. */
  readonly memory: number;
  private readonly x: Float64Array;
  private readonly g: Float64Array;
  private readonly pg: Float64Array;
  /** 1 for variables free in this iteration, 0 for those held on a bound. */
  private readonly free: Uint8Array;
  private readonly dir: Float64Array;
  private readonly xt: Float64Array;
  private readonly gt: Float64Array;
  private readonly xa: Float64Array;
  private readonly ga: Float64Array;
  private readonly sMem: Float64Array;
  private readonly yMem: Float64Array;
  private readonly rhoMem: Float64Array;
  private readonly alphaMem: Float64Array;
  private count = 0;
  private head = 0;
  private evaluations = 0;
  private f = 0;
  private fa = 0;
  private lower: Float64Array | undefined;
  private upper: Float64Array | undefined;
  private objective: ObjectiveWithGradient = () => 0;

  /**
   * @param dimension - number of variables (≥ 1)
   * @param memory - number of correction pairs kept (default 8)
   * @example
   * ```ts
   * const lbfgs = new Lbfgs(5, 10);
   * ```
   */
  constructor(dimension: number, memory = 8) {
    if (!Number.isInteger(dimension) || dimension < 1) {
      throw new ShapeError({
        where: "lbfgs",
        what: "dimension must be a positive integer",
        got: describeValue(dimension),
      });
    }
    if (!Number.isInteger(memory) || memory < 1) {
      throw new DomainError({ where: "lbfgs", what: "memory must be a positive integer", got: describeValue(memory) });
    }
    this.dimension = dimension;
    this.memory = memory;
    const n = dimension;
    this.x = new Float64Array(n);
    this.g = new Float64Array(n);
    this.pg = new Float64Array(n);
    this.free = new Uint8Array(n);
    this.dir = new Float64Array(n);
    this.xt = new Float64Array(n);
    this.gt = new Float64Array(n);
    this.xa = new Float64Array(n);
    this.ga = new Float64Array(n);
    this.sMem = new Float64Array(memory * n);
    this.yMem = new Float64Array(memory * n);
    this.rhoMem = new Float64Array(memory);
    this.alphaMem = new Float64Array(memory);
  }

  /**
   * Minimises `objective` from `x0` (projected into the box first).
   *
   * @throws ShapeError when `x0` or a bound has the wrong length; DomainError when a lower bound
   *   exceeds its upper bound or x₀ is not finite.
   * @example
   * ```ts
   * const r = new Lbfgs(1).minimize((x, g) => { g[0] = 2 * (x[0] - 3); return (x[0] - 3) ** 2; },
   *   Float64Array.of(0), { lower: Float64Array.of(-1), upper: Float64Array.of(2) });
   * r.x[0]; // 2 (the bound)
   * ```
   */
  minimize(objective: ObjectiveWithGradient, x0: Float64Array, options: LbfgsOptions = {}): LbfgsResult {
    this.checkInputs(x0, options);
    const maxIterations = options.maxIterations ?? 200;
    const maxEvaluations = options.maxEvaluations ?? 20 * maxIterations;
    const gtol = options.gradientTolerance ?? 1e-6;
    const vtol = options.valueTolerance ?? 1e-12;
    this.objective = objective;
    this.lower = options.lower;
    this.upper = options.upper;
    this.count = 0;
    this.head = 0;
    this.evaluations = 0;
    this.free.fill(1);
    const { x, g, dir } = this;
    x.set(x0);
    this.project(x);
    this.f = this.evaluate(x, g);
    if (!Number.isFinite(this.f)) return this.result(0, "nonfinite_start");
    let status: LbfgsStatus = "max_iterations";
    let iteration = 0;
    let retried = false;
    while (iteration < maxIterations) {
      if (this.projectGradient() <= gtol) {
        status = "gradient";
        break;
      }
      let slope = this.direction();
      if (!(slope < 0)) {
        this.count = 0;
        slope = this.direction();
        if (!(slope < 0)) {
          status = "gradient";
          break;
        }
      }
      const alphaMax = this.breakpoint();
      const alpha0 = this.count > 0 ? 1 : Math.min(1, 1 / norm2(dir));
      const accepted = alphaMax >= alpha0 ? this.wolfe(alpha0, alphaMax, slope) : this.armijo(alpha0);
      if (!accepted) {
        if (this.count > 0 && !retried) {
          // The quasi-Newton model may be stale: retry once from steepest descent.
          this.count = 0;
          retried = true;
          continue;
        }
        status = "line_search_failed";
        break;
      }
      retried = false;
      iteration++;
      const fOld = this.f;
      this.remember();
      x.set(this.xa);
      g.set(this.ga);
      this.f = this.fa;
      options.onIterate?.(iteration, x, this.f);
      if (fOld - this.f <= vtol * Math.max(1, Math.abs(fOld), Math.abs(this.f))) {
        status = "value";
        break;
      }
      if (this.evaluations >= maxEvaluations) {
        status = "max_evaluations";
        break;
      }
    }
    return this.result(iteration, status);
  }

  private checkInputs(x0: Float64Array, options: LbfgsOptions): void {
    const n = this.dimension;
    if (x0.length !== n) {
      throw new ShapeError({
        where: "lbfgs",
        what: "x0 has the wrong length",
        got: String(x0.length),
        expected: String(n),
      });
    }
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(x0[i])) {
        throw new DomainError({ where: "lbfgs", what: "x0 must be finite", got: describeValue(x0) });
      }
    }
    const { lower, upper } = options;
    for (const [name, bound] of [
      ["lower", lower],
      ["upper", upper],
    ] as const) {
      if (bound && bound.length !== n) {
        throw new ShapeError({
          where: "lbfgs",
          what: `${name} has the wrong length`,
          got: String(bound.length),
          expected: String(n),
        });
      }
    }
    if (lower && upper) {
      for (let i = 0; i < n; i++) {
        if (!(lower[i] <= upper[i])) {
          throw new DomainError({
            where: "lbfgs",
            what: `bounds of variable ${i} are empty`,
            got: `[${lower[i]}, ${upper[i]}]`,
            expected: "lower ≤ upper",
          });
        }
      }
    }
  }

  /**
   * f(x) with ∇f written to g; +Infinity when the value or any gradient component is not finite
   * (−Infinity included: an unbounded-below point is rejected, not accepted as a step).
   */
  private evaluate(x: Float64Array, g: Float64Array): number {
    this.evaluations++;
    const value = this.objective(x, g);
    if (!Number.isFinite(value)) return Number.POSITIVE_INFINITY;
    for (let i = 0; i < g.length; i++) if (!Number.isFinite(g[i])) return Number.POSITIVE_INFINITY;
    return value;
  }

  private project(x: Float64Array): void {
    const { lower, upper } = this;
    if (lower) for (let i = 0; i < x.length; i++) if (x[i] < lower[i]) x[i] = lower[i];
    if (upper) for (let i = 0; i < x.length; i++) if (x[i] > upper[i]) x[i] = upper[i];
  }

  /**
   * pg = g with the components of bound-held variables zeroed; returns ‖pg‖∞. When the set of
   * held variables changes, the memory is cleared: its pairs describe curvature along directions
   * that are no longer available.
   */
  private projectGradient(): number {
    const { x, g, pg, free, lower, upper } = this;
    let norm = 0;
    let changed = false;
    for (let i = 0; i < x.length; i++) {
      const held =
        (lower !== undefined && x[i] <= lower[i] && g[i] > 0) || (upper !== undefined && x[i] >= upper[i] && g[i] < 0);
      const f = held ? 0 : 1;
      if (free[i] !== f) changed = true;
      free[i] = f;
      pg[i] = held ? 0 : g[i];
      norm = Math.max(norm, Math.abs(pg[i]));
    }
    if (changed) this.count = 0;
    return norm;
  }

  /** dir = −H·pg by the two-loop recursion, with outward components at bounds removed; returns gᵀdir. */
  private direction(): number {
    const { x, g, pg, dir, sMem, yMem, rhoMem, alphaMem, memory, lower, upper } = this;
    const n = this.dimension;
    dir.set(pg);
    let k = this.head;
    for (let c = 0; c < this.count; c++) {
      k = (k - 1 + memory) % memory;
      const a = rhoMem[k] * dotAt(sMem, k * n, dir, n);
      alphaMem[k] = a;
      for (let i = 0; i < n; i++) dir[i] -= a * yMem[k * n + i];
    }
    if (this.count > 0) {
      const newest = (this.head - 1 + memory) % memory;
      let yy = 0;
      for (let i = newest * n; i < newest * n + n; i++) yy += yMem[i] * yMem[i];
      const gamma = 1 / (rhoMem[newest] * yy);
      for (let i = 0; i < n; i++) dir[i] *= gamma;
    }
    for (let c = 0; c < this.count; c++) {
      const b = rhoMem[k] * dotAt(yMem, k * n, dir, n);
      const a = alphaMem[k];
      for (let i = 0; i < n; i++) dir[i] += (a - b) * sMem[k * n + i];
      k = (k + 1) % memory;
    }
    let slope = 0;
    for (let i = 0; i < n; i++) {
      let di = pg[i] === 0 ? 0 : -dir[i];
      if ((lower !== undefined && x[i] <= lower[i] && di < 0) || (upper !== undefined && x[i] >= upper[i] && di > 0))
        di = 0;
      dir[i] = di;
      slope += g[i] * di;
    }
    return slope;
  }

  /** Largest α with x + α·dir inside the box. */
  private breakpoint(): number {
    const { x, dir, lower, upper } = this;
    let alpha = Number.POSITIVE_INFINITY;
    for (let i = 0; i < x.length; i++) {
      if (dir[i] < 0 && lower !== undefined) alpha = Math.min(alpha, (lower[i] - x[i]) / dir[i]);
      else if (dir[i] > 0 && upper !== undefined) alpha = Math.min(alpha, (upper[i] - x[i]) / dir[i]);
    }
    return alpha;
  }

  /** Evaluates at x + α·dir (clamped, for rounding at the breakpoint); returns f and leaves xt, gt. */
  private trial(alpha: number): number {
    const { x, dir, xt, gt } = this;
    for (let i = 0; i < x.length; i++) xt[i] = x[i] + alpha * dir[i];
    this.project(xt);
    return this.evaluate(xt, gt);
  }

  private acceptTrial(value: number): void {
    this.xa.set(this.xt);
    this.ga.set(this.gt);
    this.fa = value;
  }

  /** Strong-Wolfe search on [0, alphaMax]; the accepted point is left in xa, ga, fa. */
  private wolfe(alpha0: number, alphaMax: number, slope0: number): boolean {
    const f0 = this.f;
    let aPrev = 0;
    let fPrev = f0;
    let dPrev = slope0;
    let alpha = alpha0;
    for (let i = 0; i < MAX_BRACKET; i++) {
      const ft = this.trial(alpha);
      const dt = dotAt(this.gt, 0, this.dir, this.dimension);
      if (!Number.isFinite(ft) || ft > f0 + C1 * alpha * slope0 || (i > 0 && ft >= fPrev)) {
        return this.zoom(aPrev, fPrev, dPrev, alpha, ft, dt, slope0);
      }
      if (Math.abs(dt) <= -C2 * slope0) {
        this.acceptTrial(ft);
        return true;
      }
      if (dt >= 0) {
        this.acceptTrial(ft);
        return this.zoom(alpha, ft, dt, aPrev, fPrev, dPrev, slope0);
      }
      this.acceptTrial(ft);
      if (alpha >= alphaMax) return true;
      aPrev = alpha;
      fPrev = ft;
      dPrev = dt;
      alpha = Math.min(alphaMax, 4 * alpha);
    }
    return aPrev > 0;
  }

  /**
   * N&W algorithm 3.6. Invariant: the "lo" end satisfies sufficient decrease and is the best point
   * so far; when aLo > 0 its point is in xa, ga, fa.
   */
  private zoom(aLo: number, fLo: number, dLo: number, aHi: number, fHi: number, dHi: number, slope0: number): boolean {
    const f0 = this.f;
    for (let j = 0; j < MAX_ZOOM; j++) {
      const alpha = interpolate(aLo, fLo, dLo, aHi, fHi, dHi);
      const ft = this.trial(alpha);
      const dt = dotAt(this.gt, 0, this.dir, this.dimension);
      if (!Number.isFinite(ft) || ft > f0 + C1 * alpha * slope0 || ft >= fLo) {
        aHi = alpha;
        fHi = ft;
        dHi = dt;
      } else {
        this.acceptTrial(ft);
        if (Math.abs(dt) <= -C2 * slope0) return true;
        if (dt * (aHi - aLo) >= 0) {
          aHi = aLo;
          fHi = fLo;
          dHi = dLo;
        }
        aLo = alpha;
        fLo = ft;
        dLo = dt;
      }
      if (Math.abs(aHi - aLo) <= 1e-14 * Math.max(aLo, aHi)) break;
    }
    return aLo > 0;
  }

  /** Backtracking Armijo search along the projection arc P(x + α·dir). */
  private armijo(alpha0: number): boolean {
    const { x, g, xt } = this;
    let alpha = alpha0;
    for (let i = 0; i < MAX_BACKTRACK; i++) {
      for (let k = 0; k < x.length; k++) xt[k] = x[k] + alpha * this.dir[k];
      this.project(xt);
      let decrease = 0;
      for (let k = 0; k < x.length; k++) decrease += g[k] * (xt[k] - x[k]);
      if (!(decrease < 0)) return false;
      const ft = this.evaluate(xt, this.gt);
      if (Number.isFinite(ft) && ft <= this.f + C1 * decrease) {
        this.acceptTrial(ft);
        return true;
      }
      alpha *= 0.5;
    }
    return false;
  }

  /** Stores s = xa − x, y = ga − g when the curvature condition holds. */
  private remember(): void {
    const { x, g, xa, ga, sMem, yMem, memory } = this;
    const n = this.dimension;
    const o = this.head * n;
    let sy = 0;
    let yy = 0;
    for (let i = 0; i < n; i++) {
      const s = xa[i] - x[i];
      const y = ga[i] - g[i];
      sMem[o + i] = s;
      yMem[o + i] = y;
      sy += s * y;
      yy += y * y;
    }
    if (!(sy > CURVATURE_EPS * yy) || !Number.isFinite(sy)) return;
    this.rhoMem[this.head] = 1 / sy;
    this.head = (this.head + 1) % memory;
    this.count = Math.min(this.count + 1, memory);
  }

  private result(iterations: number, status: LbfgsStatus): LbfgsResult {
    return {
      x: Float64Array.from(this.x),
      value: this.f,
      gradient: Float64Array.from(this.g),
      numIterations: iterations,
      numEvaluations: this.evaluations,
      status,
    };
  }
}

function dotAt(a: Float64Array, offset: number, b: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[offset + i] * b[i];
  return s;
}

function norm2(a: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * a[i];
  return Math.sqrt(s);
}

/**
 * The minimiser of the cubic matching values and slopes at both ends (N&W eq. 3.59), kept at
 * least a tenth of the interval away from either end; bisection when that fails or a value is
 * not finite.
 */
function interpolate(a0: number, f0: number, g0: number, a1: number, f1: number, g1: number): number {
  const lo = Math.min(a0, a1);
  const hi = Math.max(a0, a1);
  const width = hi - lo;
  const mid = 0.5 * (a0 + a1);
  if (!Number.isFinite(f0) || !Number.isFinite(f1) || !Number.isFinite(g0) || !Number.isFinite(g1)) return mid;
  const d1 = g0 + g1 - (3 * (f0 - f1)) / (a0 - a1);
  const disc = d1 * d1 - g0 * g1;
  if (!(disc >= 0)) return mid;
  const d2 = Math.sign(a1 - a0) * Math.sqrt(disc);
  const alpha = a1 - ((a1 - a0) * (g1 + d2 - d1)) / (g1 - g0 + 2 * d2);
  if (!Number.isFinite(alpha) || alpha < lo + 0.1 * width || alpha > hi - 0.1 * width) return mid;
  return alpha;
}
