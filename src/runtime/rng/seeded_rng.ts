import { createHash } from "node:crypto";
import seedrandom from "seedrandom";
import { DomainError, describeValue } from "../../core/errors.js";
import type { Rng } from "../../core/rng.js";

// Why the generators are written out here rather than called as closures: seedrandom's `double`
// and @stdlib's normal factory return a fresh closure per stream, so every chain's stream had a
// different call target at the same call sites of the NUTS tree builder, and V8 threw the
// optimised code away at each new chain ("wrong call target"). Prototype methods with the state
// in fields give those call sites one target for every stream. The arithmetic below is the same
// operation for operation as seedrandom 3.0.5's xor4096 and @stdlib's improved ziggurat (with its
// MT19937 layer index), so every stream is bit-identical to the closures it replaces.

// Weyl-sequence increment of xorgens (Brent 2007), the golden ratio times 2^32, as an int32.
const WEYL = 0x61c88647;
const TWO_POW_32 = 0x100000000;
const TWO_POW_21 = 1 << 21;

// Mersenne Twister MT19937 (Matsumoto & Nishimura 1998): the generator the improved ziggurat
// draws its 7-bit layer index from.
const MT_N = 624;
const MT_M = 397;
const MT_UPPER = 0x80000000;
const MT_LOWER = 0x7fffffff;
const MT_MATRIX_A = 0x9908b0df;
const MT_INIT_MULTIPLIER = 1812433253;
const UINT32_MAX = 0xffffffff;

// Improved ziggurat (Doornik 2005) with 128 layers; the right tail starts at ZIG_R and V is the
// common area of the layers, (R·φ(R) + P(X ≥ R))·√(2π).
const ZIG_LAYERS = 128;
const ZIG_R = 3.442619855899;
const ZIG_V = 9.91256303526217e-3;
const ZIG_X = zigguratCoordinates();
const ZIG_RATIO = zigguratRatios(ZIG_X);

/** Layer edges x_0 … x_128 (x_0 = V / f(R) for the base strip, x_128 = 0). */
function zigguratCoordinates(): Float64Array {
  const x = new Float64Array(ZIG_LAYERS + 1);
  let f = Math.exp(-0.5 * ZIG_R * ZIG_R);
  x[0] = ZIG_V / f;
  x[1] = ZIG_R;
  for (let i = 2; i < ZIG_LAYERS; i++) {
    x[i] = Math.sqrt(-2.0 * Math.log(ZIG_V / x[i - 1] + f));
    f = Math.exp(-0.5 * x[i] * x[i]);
  }
  x[ZIG_LAYERS] = 0.0;
  return x;
}

/** x_{i+1} / x_i: the fraction of layer i inside the density, where no density test is needed. */
function zigguratRatios(x: Float64Array): Float64Array {
  const r = new Float64Array(x.length - 1);
  for (let i = 0; i < r.length; i++) r[i] = x[i + 1] / x[i];
  return r;
}

/**
 * The one concrete {@link Rng} of sprig: Brent's xorgens4096 generator (`seedrandom.xor4096`)
 * keyed by a SHA-256 digest of a seed *path*.
 *
 * Why xor4096: a 4096-bit state with period 2^4128 − 2^32, it passes BigCrush, and its `double()`
 * combines two 32-bit outputs into a 53-bit fraction and rejects 0, so `uniform()` lies in the
 * open interval (0, 1) on the 2^-53 grid (`log(u)` is always finite). alea is faster to seed but
 * its `double()` can return exactly 0 and its period is ~2^116.
 *
 * Why a seed path: the k-th child of a stream with seed `s` is the stream with seed `s/k`
 * (k counts from 0). Its key is a hash of that path, never of the parent's draws, so chain i's
 * stream is the same however many draws the parent took first and however chains are spread over
 * workers; `createRng(child.seed)` recreates the child exactly.
 *
 * `uniform` and `normal` are prototype methods: call them on the stream (`rng.uniform()`), or
 * wrap them (`() => rng.uniform()`) to pass one as a function.
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
  private splits = 0;
  // xorgens4096 state: the 128-word circular array, its position and the Weyl counter.
  private readonly xorState: Int32Array;
  private xorIndex: number;
  private weyl: number;
  // The ziggurat's MT19937, seeded from this stream on the first normal draw (as @stdlib seeds
  // it), so streams that never draw normals pay nothing. Empty until then.
  private mtState: Uint32Array = new Uint32Array(0);
  private mtIndex = MT_N;

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
    // seedrandom does the keying (string mixing and 512 warm-up steps); its state is copied out.
    const key = createHash("sha256").update(seed).digest("hex");
    const keyed = seedrandom.xor4096(key, { state: true }).state();
    this.xorState = Int32Array.from(keyed.X);
    this.xorIndex = keyed.i;
    this.weyl = keyed.w;
  }

  /**
   * A uniform draw in the open interval (0, 1), 53-bit resolution: 21 high bits of one output and
   * 32 bits of the next, redrawn in the (2^-53-probability) event of exactly 0.
   *
   * @example
   * ```ts
   * const u = createRng(1).uniform();
   * ```
   */
  uniform(): number {
    let result: number;
    do {
      const top = this.nextInt32() >>> 11;
      const bottom = (this.nextInt32() >>> 0) / TWO_POW_32;
      result = (top + bottom) / TWO_POW_21;
    } while (result === 0);
    return result;
  }

  /**
   * A standard normal draw: the improved ziggurat (Doornik 2005; exact, not an approximation)
   * on this stream's uniforms, with the layer index from an MT19937 seeded by one uniform of this
   * stream at the first call.
   *
   * @example
   * ```ts
   * const z = createRng(1).normal();
   * ```
   */
  normal(): number {
    if (this.mtState.length === 0) this.seedLayerGenerator();
    for (;;) {
      const u = 2.0 * this.uniform() - 1.0;
      const i = this.nextLayerBits() & (ZIG_LAYERS - 1);
      // Inside the rectangle that lies wholly under the density: accept at once.
      if (Math.abs(u) < ZIG_RATIO[i]) return u * ZIG_X[i];
      if (i === 0) return this.normalTail(u < 0.0);
      // In the wedge between the rectangle and the density: accept with the density's height.
      const x = u * ZIG_X[i];
      const x2 = x * x;
      const f0 = Math.exp(-0.5 * (ZIG_X[i] * ZIG_X[i] - x2));
      const f1 = Math.exp(-0.5 * (ZIG_X[i + 1] * ZIG_X[i + 1] - x2));
      if (f1 + this.uniform() * (f0 - f1) < 1.0) return x;
    }
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

  /** One xorgens4096 step: the xorshift array update plus the Weyl sequence, as an int32. */
  private nextInt32(): number {
    const x = this.xorState;
    const w = (this.weyl + WEYL) | 0;
    this.weyl = w;
    let v = x[(this.xorIndex + 34) & 127];
    const i = (this.xorIndex + 1) & 127;
    let t = x[i];
    v ^= v << 13;
    t ^= t << 17;
    v ^= v >>> 15;
    t ^= t >>> 12;
    v = v ^ t;
    x[i] = v;
    this.xorIndex = i;
    return (v + (w ^ (w >>> 16))) | 0;
  }

  /** Marsaglia's tail method beyond ZIG_R: exponential proposals accepted against the normal tail. */
  private normalTail(negative: boolean): number {
    let x: number;
    let y: number;
    do {
      x = Math.log(this.uniform()) / ZIG_R;
      y = Math.log(this.uniform());
    } while (-2.0 * y < x * x);
    return negative ? x - ZIG_R : ZIG_R - x;
  }

  /** Knuth's MT19937 initialisation from a 32-bit seed in [1, 2^32 − 1] drawn from this stream. */
  private seedLayerGenerator(): void {
    const mt = new Uint32Array(MT_N);
    let s = Math.floor(1.0 + UINT32_MAX * this.uniform()) >>> 0;
    mt[0] = s;
    for (let i = 1; i < MT_N; i++) {
      s = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = (Math.imul(s, MT_INIT_MULTIPLIER) + i) >>> 0;
    }
    this.mtState = mt;
    this.mtIndex = MT_N;
  }

  /** The next tempered MT19937 output (regenerating the block of 624 words when it is used up). */
  private nextLayerBits(): number {
    const mt = this.mtState;
    if (this.mtIndex >= MT_N) {
      twist(mt);
      this.mtIndex = 0;
    }
    let r = mt[this.mtIndex];
    this.mtIndex += 1;
    r ^= r >>> 11;
    r ^= (r << 7) & 0x9d2c5680;
    r ^= (r << 15) & 0xefc60000;
    r ^= r >>> 18;
    return r >>> 0;
  }
}

/** MT19937's state transition on all 624 words. */
function twist(mt: Uint32Array): void {
  let i = 0;
  for (; i < MT_N - MT_M; i++) {
    const y = (mt[i] & MT_UPPER) | (mt[i + 1] & MT_LOWER);
    mt[i] = mt[i + MT_M] ^ (y >>> 1) ^ (y & 1 ? MT_MATRIX_A : 0);
  }
  for (; i < MT_N - 1; i++) {
    const y = (mt[i] & MT_UPPER) | (mt[i + 1] & MT_LOWER);
    mt[i] = mt[i + MT_M - MT_N] ^ (y >>> 1) ^ (y & 1 ? MT_MATRIX_A : 0);
  }
  const y = (mt[MT_N - 1] & MT_UPPER) | (mt[0] & MT_LOWER);
  mt[MT_N - 1] = mt[MT_M - 1] ^ (y >>> 1) ^ (y & 1 ? MT_MATRIX_A : 0);
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
