import { describe, expect, it } from "vitest";
import { DomainError } from "../../../src/core/errors.js";
import type { Rng } from "../../../src/core/rng.js";
import { createRng, SeededRng, splitSeed, splitStreams } from "../../../src/runtime/rng/index.js";

const N = 20_000;

function draws(rng: Rng, n: number, kind: "uniform" | "normal" = "uniform"): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = kind === "uniform" ? rng.uniform() : rng.normal();
  return out;
}

function correlation(a: Float64Array, b: Float64Array): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i] / n;
    mb += b[i] / n;
  }
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

// Standard normal CDF through the Abramowitz–Stegun 7.1.26 erf approximation (|error| < 1.5e-7,
// far below the Monte Carlo error the checks below allow).
function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-z * z);
  return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

describe("createRng", () => {
  it("gives the same numbers for the same seed and different numbers for different seeds", () => {
    const a = draws(createRng(42), 100);
    expect(draws(createRng(42), 100)).toEqual(a);
    expect(draws(createRng("42"), 100)).toEqual(a);
    expect(draws(createRng(43), 100)).not.toEqual(a);
    expect(draws(createRng("42 "), 100)).not.toEqual(a);
    const z = draws(createRng("normals"), 100, "normal");
    expect(draws(createRng("normals"), 100, "normal")).toEqual(z);
  });

  it("draws uniforms in the open interval (0, 1) on the 2^-53 grid, using all 53 bits", () => {
    const u = draws(createRng(7), N);
    let odd = 0;
    let min = 1;
    let max = 0;
    for (const x of u) {
      const scaled = x * 2 ** 53;
      expect(Number.isInteger(scaled)).toBe(true);
      if (scaled % 2 === 1) odd++;
      min = Math.min(min, x);
      max = Math.max(max, x);
    }
    expect(min).toBeGreaterThan(0);
    expect(max).toBeLessThan(1);
    // The lowest bit is set with probability 1/2 if the resolution is really 53 bits (a 32-bit
    // generator scaled up would never set it). Binomial sd = sqrt(N/4); allow 4 sd.
    expect(Math.abs(odd - N / 2)).toBeLessThan(4 * Math.sqrt(N / 4));
  });

  it("has uniform mean 1/2 and variance 1/12 within 4 Monte Carlo standard errors", () => {
    const u = draws(createRng(11), N);
    const mean = u.reduce((s, x) => s + x, 0) / N;
    const variance = u.reduce((s, x) => s + (x - mean) ** 2, 0) / (N - 1);
    // Var(U) = 1/12; the variance estimator's sd is sqrt((mu4 - sigma^4)/N) with mu4 = 1/80.
    expect(Math.abs(mean - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / N));
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(4 * Math.sqrt((1 / 80 - 1 / 144) / N));
  });

  it("draws exact standard normals: CDF at several points within 4 binomial standard errors", () => {
    const z = draws(createRng(5), N, "normal");
    for (const x of [-3, -2, -1, -0.5, 0, 0.5, 1, 2, 3]) {
      const p = normalCdf(x);
      const frac = z.reduce((c, v) => c + (v <= x ? 1 : 0), 0) / N;
      // frac is a binomial proportion with sd sqrt(p(1-p)/N).
      expect(Math.abs(frac - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / N) + 1e-12);
    }
  });

  it("rejects seeds that are not integers or non-empty strings", () => {
    expect(() => createRng(1.5)).toThrow(DomainError);
    expect(() => createRng(1.5)).toThrow(
      "createRng(): a numeric seed must be an integer — got 1.5, expected a safe integer. Hint: pass a string to use any other key.",
    );
    expect(() => createRng(Number.NaN)).toThrow(DomainError);
    expect(() => createRng("")).toThrow(
      "createRng(): the seed must be an integer or a non-empty string — got '', expected e.g. 42 or 'run-1'.",
    );
  });
});

describe("split", () => {
  it("names the k-th child '<seed>/k' and recreates it from that seed", () => {
    const rng = createRng(42);
    const [c0, c1] = rng.splitN(2);
    expect(c0.seed).toBe("42/0");
    expect(c1.seed).toBe("42/1");
    expect(c1.split().seed).toBe("42/1/0");
    expect(draws(createRng(c1.seed), 50)).toEqual(draws(c1, 50));
    expect(splitSeed(42, 1)).toBe("42/1");
    expect(splitSeed("run", 0)).toBe("run/0");
  });

  it("gives the same k-th child however many draws the parent took before", () => {
    const fresh = createRng(9);
    fresh.split();
    const second = draws(fresh.split(), 100);
    const used = createRng(9);
    draws(used, 1000, "normal");
    used.split();
    draws(used, 17);
    expect(draws(used.split(), 100)).toEqual(second);
  });

  it("does not change the parent's own stream", () => {
    const a = createRng(3);
    const b = createRng(3);
    a.splitN(5);
    expect(draws(a, 20)).toEqual(draws(b, 20));
  });

  it("gives children that differ from each other and from the parent, uncorrelated", () => {
    const parent = createRng(1234);
    const children = parent.splitN(3);
    const streams = [parent, ...children].map((r) => draws(r, N));
    for (let i = 0; i < streams.length; i++) {
      for (let j = i + 1; j < streams.length; j++) {
        expect(streams[i]).not.toEqual(streams[j]);
        // Independent streams: the sample correlation has sd ~ 1/sqrt(N); allow 4 sd.
        expect(Math.abs(correlation(streams[i], streams[j]))).toBeLessThan(4 / Math.sqrt(N));
      }
    }
    // Lagged cross-correlation catches a child that is the parent shifted by one draw.
    const lagged = correlation(streams[1].subarray(1), streams[2].subarray(0, N - 1));
    expect(Math.abs(lagged)).toBeLessThan(4 / Math.sqrt(N));
  });

  it("splitStreams splits any Rng and matches splitN on a SeededRng", () => {
    const viaHelper = splitStreams(createRng(77), 3).map((r) => r.seed);
    expect(viaHelper).toEqual(
      createRng(77)
        .splitN(3)
        .map((r) => r.seed),
    );
    expect(splitStreams(createRng(1), 0)).toEqual([]);
    expect(createRng(1).split()).toBeInstanceOf(SeededRng);
  });

  it("rejects negative or fractional counts and indices", () => {
    expect(() => createRng(1).splitN(-1)).toThrow(
      "splitN(): the number of streams must be a non-negative integer — got -1, expected n ≥ 0.",
    );
    expect(() => splitStreams(createRng(1), 1.5)).toThrow(DomainError);
    expect(() => splitSeed(1, -2)).toThrow(
      "splitSeed(): the split index must be a non-negative integer — got -2, expected k ≥ 0.",
    );
  });
});
