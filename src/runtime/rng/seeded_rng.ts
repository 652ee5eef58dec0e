import { createHash } from "node:crypto";
import normalFactory from "@stdlib/random-base-normal";
import seedrandom from "seedrandom";
import { DomainError, describeValue } from "../../core/errors.js";
import type { Rng } from "../../core/rng.js";

/**
 * The one concrete {@link Rng} of sprig: Brent's xorgens4096 generator (`seedrandom.xor4096`)
 * keyed by a SHA-256 digest of a seed *path*.
 *
 * Why xor4096: a 4096-bit state with period 2^4128 − 2^32, it passes BigCrush, and seedrandom's
 * `double()` for it combines two 32-bit outputs into a 53-bit fraction and rejects 0, so
 * `uniform()` lies in the open interval (0, 1) on the 2^-53 grid (`log(u)` is always finite).
 * alea is faster to seed but its `double()` can return exactly 0 and its period is ~2^116.
 *
 * Why a seed path: the k-th child of a stream with seed `s` is the stream with seed `s/k`
 * (k counts from 0). Its key is a hash of that path, never of the parent's draws, so chain i's
 * stream is the same however many draws the parent took first and however chains are spread over
 * workers; `createRng(child.seed)` recreates the child exactly.
 *
 * @example
 * ```ts
 * const rng = new SeededRng("42");
 * const u = rng.uniform(); // in (0, 1)
 * ```
 */
export class SeededRng implements Rng {
  /** The seed path this stream was keyed from, e.g. `"42"` or `"42/3/0"`. */
  readonly seed: string;
  /** A uniform draw in the open interval (0, 1), 53-bit resolution. A plain function value, so it can be passed around unbound. */
  readonly uniform: () => number;
  private splits = 0;
  // Built on first use: the @stdlib factory allocates tables and draws one uniform to seed the
  // ziggurat's layer-index generator, so streams that never draw normals pay nothing.
  private standardNormal: (() => number) | undefined;

  /**
   * Keys a stream from an already normalised seed path; use {@link createRng} for user seeds.
   *
   * @example
   * ```ts
   * const child = new SeededRng("42/0"); // the same stream as createRng(42).split()
   * ```
   */
  constructor(seed: string) {
    this.seed = seed;
    // Feeding the generator a 256-bit digest (not the raw path) makes nearby paths like "7/1" and
    // "7/2" start from unrelated states: xor4096 only mixes its seed string character by character.
    const key = createHash("sha256").update(seed).digest("hex");
    this.uniform = seedrandom.xor4096(key).double;
  }

  /**
   * A standard normal draw: the improved ziggurat of @stdlib (exact, not an approximation) driven
   * by this stream's uniforms.
   *
   * @example
   * ```ts
   * const z = createRng(1).normal();
   * ```
   */
  normal(): number {
    if (this.standardNormal === undefined) {
      this.standardNormal = normalFactory.factory(0, 1, { prng: this.uniform });
    }
    return this.standardNormal();
  }

  /**
   * The next child stream: the k-th call returns the stream with seed `${seed}/${k}`,
   * independent of how many draws this stream has made.
   *
   * @example
   * ```ts
   * const rng = createRng(7);
   * const a = rng.split(); // seed "7/0"
   * const b = rng.split(); // seed "7/1"
   * ```
   */
  split(): SeededRng {
    const child = new SeededRng(`${this.seed}/${this.splits}`);
    this.splits += 1;
    return child;
  }

  /**
   * The next `n` children at once, e.g. one per chain; equivalent to calling {@link split} n times.
   *
   * @example
   * ```ts
   * const [chain0, chain1] = createRng(7).splitN(2);
   * ```
   */
  splitN(n: number): SeededRng[] {
    requireCount("splitN()", n);
    const children: SeededRng[] = [];
    for (let k = 0; k < n; k++) children.push(this.split());
    return children;
  }
}

/**
 * Creates a seeded stream. A numeric seed must be a safe integer; `createRng(42)` and
 * `createRng("42")` are the same stream. Any non-empty string is a valid seed, including the
 * `seed` of a split child (`"42/0"`), which recreates that child.
 *
 * @example
 * ```ts
 * const rng = createRng(2024);
 * const x = rng.normal();
 * const again = createRng(2024).normal(); // === x
 * ```
 */
export function createRng(seed: number | string): SeededRng {
  return new SeededRng(normalizeSeed("createRng()", seed));
}

/**
 * The seed of the k-th split (counting from 0) of `createRng(seed)`, without building any stream.
 * Lets a coordinator hand each worker a string instead of a generator.
 *
 * @example
 * ```ts
 * splitSeed(42, 3); // "42/3"
 * createRng(splitSeed(42, 3)); // the same stream as createRng(42).splitN(4)[3]
 * ```
 */
export function splitSeed(seed: number | string, k: number): string {
  const base = normalizeSeed("splitSeed()", seed);
  if (!Number.isSafeInteger(k) || k < 0) {
    throw new DomainError({
      where: "splitSeed()",
      what: "the split index must be a non-negative integer",
      got: describeValue(k),
      expected: "k ≥ 0",
    });
  }
  return `${base}/${k}`;
}

/**
 * Splits any {@link Rng} into `n` child streams (one `split()` call each), e.g. one per chain.
 *
 * @example
 * ```ts
 * const chains = splitStreams(createRng(1), 4).map((rng) => rng.normal());
 * ```
 */
export function splitStreams(rng: Rng, n: number): Rng[] {
  requireCount("splitStreams()", n);
  const children: Rng[] = [];
  for (let k = 0; k < n; k++) children.push(rng.split());
  return children;
}

function normalizeSeed(where: string, seed: number | string): string {
  if (typeof seed === "number") {
    if (!Number.isSafeInteger(seed)) {
      throw new DomainError({
        where,
        what: "a numeric seed must be an integer",
        got: describeValue(seed),
        expected: "a safe integer",
        hint: "pass a string to use any other key.",
      });
    }
    return String(seed);
  }
  if (typeof seed !== "string" || seed.length === 0) {
    throw new DomainError({
      where,
      what: "the seed must be an integer or a non-empty string",
      got: describeValue(seed),
      expected: "e.g. 42 or 'run-1'",
    });
  }
  return seed;
}

function requireCount(where: string, n: number): void {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new DomainError({
      where,
      what: "the number of streams must be a non-negative integer",
      got: describeValue(n),
      expected: "n ≥ 0",
    });
  }
}
