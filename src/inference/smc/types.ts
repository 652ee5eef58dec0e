import type { Rng } from "../../core/rng.js";

/**
 * The law of the first state x₀ of a {@link StateSpaceModel}.
 *
 * @example
 * ```ts
 * const initial: InitialDistribution = {
 *   sample: (rng, out) => { out[0] = rng.normal(); },
 *   logDensity: (x) => -0.5 * (x[0] * x[0] + Math.log(2 * Math.PI)),
 * };
 * ```
 */
export interface InitialDistribution {
  /** Writes one draw of x₀ into `out` (length `stateDimension`). */
  sample(rng: Rng, out: Float64Array): void;
  /** log p(x₀); `-Infinity` outside the support, never NaN. */
  logDensity(state: Float64Array): number;
}

/**
 * The Markov transition f_t(x_t | x_{t−1}) of a {@link StateSpaceModel}; `t` is the time index of
 * the new state (1 … T−1).
 *
 * @example
 * ```ts
 * const transition: StateTransition = {
 *   sample: (rng, prev, t, out) => { out[0] = 0.9 * prev[0] + 0.5 * rng.normal(); },
 *   logDensity: (prev, next, t) => { const z = (next[0] - 0.9 * prev[0]) / 0.5; return -0.5 * z * z - Math.log(0.5 * Math.sqrt(2 * Math.PI)); },
 *   logDensityBound: () => -Math.log(0.5 * Math.sqrt(2 * Math.PI)),
 * };
 * ```
 */
export interface StateTransition {
  /** Writes one draw of x_t given x_{t−1} = `prev` into `out` (both length `stateDimension`). */
  sample(rng: Rng, prev: Float64Array, t: number, out: Float64Array): void;
  /** log f_t(next | prev); `-Infinity` where impossible, never NaN. */
  logDensity(prev: Float64Array, next: Float64Array, t: number): number;
  /**
   * An upper bound of `logDensity(prev, next, t)` over all `prev`, `next` (e.g. the log density at
   * the mode of a Gaussian). Lets the PaRIS smoother draw backward indices by accept–reject in
   * O(1) expected time each; without it the smoother computes every backward kernel exactly.
   */
  logDensityBound?(t: number): number;
}

/**
 * The observation density g_t(y_t | x_t); the data are bound into the model (closed over), so only
 * the state and the time index are passed.
 *
 * @example
 * ```ts
 * const y = [0.3, -0.1];
 * const observation: ObservationModel = {
 *   logDensity: (x, t) => { const z = (y[t] - x[0]) / 0.5; return -0.5 * z * z - Math.log(0.5 * Math.sqrt(2 * Math.PI)); },
 * };
 * ```
 */
export interface ObservationModel {
  /** log g_t(y_t | x_t); return 0 at a time without an observation. `-Infinity` allowed, never NaN. */
  logDensity(state: Float64Array, t: number): number;
}

/**
 * A state-space (hidden Markov) model with continuous or discrete states stored as Float64Array:
 * x₀ ~ μ, x_t | x_{t−1} ~ f_t, y_t | x_t ~ g_t for t = 0 … T−1. This is the description the
 * compiler produces from the IR's state-space form; it can also be written by hand.
 *
 * Every function receives length-`stateDimension` views that the particle system owns: read them
 * during the call, write only into `out`, and never keep a reference.
 *
 * @example
 * ```ts
 * const ar1: StateSpaceModel = { stateDimension: 1, numTimeSteps: y.length, initial, transition, observation };
 * ```
 */
export interface StateSpaceModel {
  /** Length d of one state vector. */
  readonly stateDimension: number;
  /** Number of time steps T (observations y₀ … y_{T−1}). */
  readonly numTimeSteps: number;
  /** Law of x₀. */
  readonly initial: InitialDistribution;
  /** Markov transition of the latent state. */
  readonly transition: StateTransition;
  /** Observation density of the data at each time. */
  readonly observation: ObservationModel;
}

/**
 * A guided (and optionally auxiliary) proposal for the particle filter. Particles at time t are
 * drawn from q_t(x_t | x_{t−1}) instead of the transition, and weighted by g_t·f_t / q_t.
 *
 * With `logLookahead`, the filter is the auxiliary particle filter of Pitt & Shephard (1999) in
 * the form of Johansen & Doucet (2008): particles at time t are resampled with weights multiplied
 * by η(x_t) ≈ p(y_{t+1} | x_t), and the factor is divided out at t + 1, so the evidence estimate
 * stays unbiased and the filtering estimates use the weights without η.
 *
 * @example
 * ```ts
 * // Locally optimal proposal of x_t = φ x_{t−1} + q ε, y_t = x_t + r ν:
 * const s2 = 1 / (1 / q ** 2 + 1 / r ** 2);
 * const proposal: Proposal = {
 *   sample: (rng, prev, t, out) => { out[0] = s2 * (phi * prev[0] / q ** 2 + y[t] / r ** 2) + Math.sqrt(s2) * rng.normal(); },
 *   logDensity: (prev, next, t) => normalLogDensity(next[0], s2 * (phi * prev[0] / q ** 2 + y[t] / r ** 2), Math.sqrt(s2)),
 * };
 * ```
 */
export interface Proposal {
  /** Proposal for x₀; the model's initial law when absent. */
  readonly initial?: InitialDistribution;
  /** Writes a draw of x_t from q_t(· | prev) into `out`. */
  sample(rng: Rng, prev: Float64Array, t: number, out: Float64Array): void;
  /** log q_t(next | prev); must be finite wherever `sample` can land. */
  logDensity(prev: Float64Array, next: Float64Array, t: number): number;
  /**
   * log η(x_t), an approximation of log p(y_{t+1} | x_t) used as a look-ahead resampling weight;
   * called for t = 0 … T−2. Must be finite (a zero look-ahead weight would lose particles the
   * filter needs).
   */
  logLookahead?(state: Float64Array, t: number): number;
}

/**
 * An additive functional h(x_{0:t}) = h₀(x₀) + Σ_{s=1}^{t} h_s(x_{s−1}, x_s) with values in ℝ^m,
 * whose smoothed expectation E[h(X_{0:t}) | y_{0:t}] the PaRIS smoother estimates online.
 *
 * @example
 * ```ts
 * // Sum of the states, Σ_s x_s (m = 1):
 * const sum: AdditiveFunctional = {
 *   dimension: 1,
 *   initial: (x, out) => { out[0] = x[0]; },
 *   increment: (prev, next, t, out) => { out[0] = next[0]; },
 * };
 * ```
 */
export interface AdditiveFunctional {
  /** Length m of the functional's value. */
  readonly dimension: number;
  /** Writes h₀(x₀) into `out` (length m; every entry must be written). */
  initial(state: Float64Array, out: Float64Array): void;
  /** Writes h_t(x_{t−1}, x_t) into `out` (length m; every entry must be written). */
  increment(prev: Float64Array, next: Float64Array, t: number, out: Float64Array): void;
}
