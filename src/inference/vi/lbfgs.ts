/**
 * Limited-memory BFGS ascent of a log density (Nocedal & Wright 2006, algorithms 7.4–7.5) with a
 * backtracking Armijo line search. ADVI uses its path to start from a sensible approximation
 * instead of a random point with unit scales.
 *
 * @module
 */

/**
 * Options of {@link lbfgsPath}.
 *
 * @example
 * ```ts
 * const options: LbfgsOptions = { maxIterations: 200, history: 6 };
 * ```
 */
export interface LbfgsOptions {
  /** Iteration cap (default 1000). */
  readonly maxIterations?: number;
  /** Number of (s, y) pairs kept (default 6). */
  readonly history?: number;
  /** Stop when |Δ log p| ≤ relativeTolerance · max(1, |log p|) (default 1e-12). */
  readonly relativeTolerance?: number;
  /** Stop when max |∇ log p| falls below this (default 1e-8). */
  readonly gradientTolerance?: number;
  /** Called with every accepted iterate (the arrays are reused: copy what you keep). */
  readonly onIterate?: (iteration: number, position: Float64Array, logDensity: number) => void;
}

/**
 * The end of an L-BFGS run.
 *
 * @example
 * ```ts
 * const { position, logDensity, iterations } = lbfgsPath(f, x0);
 * ```
 */
export interface LbfgsResult {
  /** Last accepted position (a fresh array). */
  readonly position: Float64Array;
  /** log p there. */
  readonly logDensity: number;
  /** Accepted iterations. */
  readonly iterations: number;
  /** Whether a tolerance was met (false: cap reached or the line search failed). */
  readonly converged: boolean;
}

/**
 * Maximises `logDensityAndGrad` from `start` by L-BFGS. Points where the log density or gradient
 * is not finite are treated as failures of the line search (the step is shortened), so the path
 * stays where the density is finite.
 *
 * @example
 * ```ts
 * const fit = lbfgsPath((x, g) => { g[0] = -x[0]; return -0.5 * x[0] * x[0]; }, Float64Array.of(3));
 * fit.position[0]; // ≈ 0
 * ```
 */
export function lbfgsPath(
  logDensityAndGrad: (theta: Float64Array, grad: Float64Array) => number,
  start: Float64Array,
  options: LbfgsOptions = {},
): LbfgsResult {
  const d = start.length;
  const maxIterations = options.maxIterations ?? 1000;
  const m = options.history ?? 6;
  const relTol = options.relativeTolerance ?? 1e-12;
  const gradTol = options.gradientTolerance ?? 1e-8;
  const x = start.slice();
  const g = new Float64Array(d);
  const xNew = new Float64Array(d);
  const gNew = new Float64Array(d);
  const direction = new Float64Array(d);
  const S = Array.from({ length: m }, () => new Float64Array(d));
  const Y = Array.from({ length: m }, () => new Float64Array(d));
  const rho = new Float64Array(m);
  const alpha = new Float64Array(m);
  let stored = 0;
  let newest = -1;
  let f = logDensityAndGrad(x, g);
  if (!Number.isFinite(f)) return { position: x, logDensity: f, iterations: 0, converged: false };
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    let gMax = 0;
    for (let i = 0; i < d; i++) gMax = Math.max(gMax, Math.abs(g[i]));
    if (!(gMax > gradTol)) {
      converged = true;
      break;
    }
    // Two-loop recursion for the ascent direction H·g (H ≈ inverse of −∇² log p).
    direction.set(g);
    for (let k = 0; k < stored; k++) {
      const j = (newest - k + m) % m;
      let s = 0;
      for (let i = 0; i < d; i++) s += S[j][i] * direction[i];
      alpha[j] = rho[j] * s;
      for (let i = 0; i < d; i++) direction[i] -= alpha[j] * Y[j][i];
    }
    if (stored > 0) {
      let sy = 0;
      let yy = 0;
      for (let i = 0; i < d; i++) {
        sy += S[newest][i] * Y[newest][i];
        yy += Y[newest][i] * Y[newest][i];
      }
      const gamma = sy / yy;
      for (let i = 0; i < d; i++) direction[i] *= gamma;
    } else {
      // First step: a unit-length move along the gradient.
      let norm = 0;
      for (let i = 0; i < d; i++) norm += g[i] * g[i];
      const scale = 1 / Math.max(Math.sqrt(norm), 1e-300);
      for (let i = 0; i < d; i++) direction[i] *= scale;
    }
    for (let k = stored - 1; k >= 0; k--) {
      const j = (newest - k + m) % m;
      let s = 0;
      for (let i = 0; i < d; i++) s += Y[j][i] * direction[i];
      const beta = rho[j] * s;
      for (let i = 0; i < d; i++) direction[i] += (alpha[j] - beta) * S[j][i];
    }
    let slope = 0;
    for (let i = 0; i < d; i++) slope += g[i] * direction[i];
    if (!(slope > 0)) {
      // Not an ascent direction (a stale curvature pair): restart from the gradient.
      stored = 0;
      direction.set(g);
      slope = 0;
      for (let i = 0; i < d; i++) slope += g[i] * g[i];
    }
    let step = 1;
    let fNew = Number.NaN;
    let accepted = false;
    for (let tries = 0; tries < 60; tries++) {
      for (let i = 0; i < d; i++) xNew[i] = x[i] + step * direction[i];
      fNew = logDensityAndGrad(xNew, gNew);
      let finite = Number.isFinite(fNew);
      for (let i = 0; finite && i < d; i++) finite = Number.isFinite(gNew[i]);
      if (finite && fNew >= f + 1e-4 * step * slope) {
        accepted = true;
        break;
      }
      step *= 0.5;
    }
    if (!accepted) break;
    iterations++;
    let sy = 0;
    const next = (newest + 1) % m;
    for (let i = 0; i < d; i++) {
      S[next][i] = xNew[i] - x[i];
      // y = −(∇ log p_new − ∇ log p_old): the gradient change of −log p.
      Y[next][i] = g[i] - gNew[i];
      sy += S[next][i] * Y[next][i];
    }
    if (sy > 1e-12) {
      rho[next] = 1 / sy;
      newest = next;
      stored = Math.min(stored + 1, m);
    }
    const change = Math.abs(fNew - f);
    x.set(xNew);
    g.set(gNew);
    f = fNew;
    options.onIterate?.(iterations, x, f);
    if (change <= relTol * Math.max(1, Math.abs(f))) {
      converged = true;
      break;
    }
  }
  return { position: x, logDensity: f, iterations, converged };
}
