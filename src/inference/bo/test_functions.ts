/**
 * Standard test problems for black-box optimisers, with their boxes and known minima
 * (Dixon & Szegő 1978; Surjanovic & Bingham's Virtual Library of Simulation Experiments).
 *
 * @module
 */
import type { Bounds } from "./bounds.js";

/**
 * A test problem: the function, its box and its global minimum value.
 *
 * @example
 * ```ts
 * const { f, bounds, minimum } = BRANIN;
 * ```
 */
export interface TestProblem {
  /** Short name. */
  readonly name: string;
  /** The function. */
  readonly f: (x: Float64Array) => number;
  /** The usual search box. */
  readonly bounds: Bounds;
  /** The global minimum value. */
  readonly minimum: number;
  /** The global minimisers. */
  readonly minimizers: readonly (readonly number[])[];
}

/**
 * The Branin–Hoo function on [−5, 10] × [0, 15]: three global minima of 0.397887 at (−π, 12.275),
 * (π, 2.275) and (9.42478, 2.475).
 *
 * @example
 * ```ts
 * branin(Float64Array.of(Math.PI, 2.275)); // ≈ 0.397887
 * ```
 */
export function branin(x: Float64Array): number {
  const b = 5.1 / (4 * Math.PI * Math.PI);
  const c = 5 / Math.PI;
  const t = 1 / (8 * Math.PI);
  const u = x[1] - b * x[0] * x[0] + c * x[0] - 6;
  return u * u + 10 * (1 - t) * Math.cos(x[0]) + 10;
}

const HARTMANN_ALPHA = [1.0, 1.2, 3.0, 3.2];
const HARTMANN_A = [
  [10, 3, 17, 3.5, 1.7, 8],
  [0.05, 10, 17, 0.1, 8, 14],
  [3, 3.5, 1.7, 10, 17, 8],
  [17, 8, 0.05, 10, 0.1, 14],
];
const HARTMANN_P = [
  [0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886],
  [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
  [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.665],
  [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381],
];

/**
 * The six-dimensional Hartmann function on [0, 1]^6: global minimum −3.32237 at
 * (0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573), and a local minimum near −3.2032.
 *
 * @example
 * ```ts
 * hartmann6(Float64Array.of(0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573)); // ≈ -3.32237
 * ```
 */
export function hartmann6(x: Float64Array): number {
  let total = 0;
  for (let i = 0; i < 4; i++) {
    let inner = 0;
    for (let j = 0; j < 6; j++) {
      const diff = x[j] - HARTMANN_P[i][j];
      inner += HARTMANN_A[i][j] * diff * diff;
    }
    total -= HARTMANN_ALPHA[i] * Math.exp(-inner);
  }
  return total;
}

/**
 * Branin as a {@link TestProblem}.
 *
 * @example
 * ```ts
 * minimize(BRANIN.f, BRANIN.bounds, { budget: 40 }).value - BRANIN.minimum; // regret
 * ```
 */
export const BRANIN: TestProblem = Object.freeze({
  name: "branin",
  f: branin,
  bounds: [
    [-5, 10],
    [0, 15],
  ] as const,
  minimum: 0.397887357729739,
  minimizers: [
    [-Math.PI, 12.275],
    [Math.PI, 2.275],
    [9.42477796076938, 2.475],
  ],
});

/**
 * Hartmann-6 as a {@link TestProblem}.
 *
 * @example
 * ```ts
 * HARTMANN6.minimum; // -3.32237
 * ```
 */
export const HARTMANN6: TestProblem = Object.freeze({
  name: "hartmann6",
  f: hartmann6,
  bounds: Array.from({ length: 6 }, () => [0, 1] as const),
  minimum: -3.322368011415515,
  minimizers: [[0.20168952, 0.15001069, 0.47687398, 0.27533243, 0.31165162, 0.65730054]],
});
