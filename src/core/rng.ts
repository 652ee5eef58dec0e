/**
 * A seeded, splittable stream of random numbers. Every stochastic function in sprig takes one
 * as its first argument; nothing uses `Math.random`.
 *
 * @example
 * ```ts
 * function coin(rng: Rng): boolean { return rng.uniform() < 0.5; }
 * ```
 */
export interface Rng {
  /** A uniform draw in the open interval (0, 1), 53-bit resolution. */
  uniform(): number;
  /** A standard normal draw. */
  normal(): number;
  /** A new independent stream, reproducible from this stream's seed and split count. */
  split(): Rng;
  /** A JSON-able description sufficient to recreate this stream's starting point. */
  readonly seed: string;
}
