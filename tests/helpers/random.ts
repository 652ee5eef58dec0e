/**
 * A seeded uniform stream for tests that need reproducible filler independent of sprig's own
 * RNG (kernel and operator tests must not depend on the code under test).
 */

/**
 * Deterministic uniform [0, 1) stream (mulberry32: a 32-bit Weyl counter and an xorshift-multiply
 * finaliser), so vectors of any length stay reproducible from one integer seed.
 *
 * @example
 * ```ts
 * const rand = mulberry32(7);
 * const v = Float64Array.from({ length: 4 }, () => 2 * rand() - 1);
 * ```
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
