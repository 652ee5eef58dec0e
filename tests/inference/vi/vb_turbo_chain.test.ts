/**
 * VB-SBL's turbo support factor and the model layer's `binary_markov_chain` family describe the
 * same chain: the forward–backward pass of q(s) ∝ p(s) Πₙ exp φ_{sₙ}(n) must give
 * log Z = log Σ_s p(s) exp Σₙ φ_{sₙ}(n), with p the family's law started from the stationary
 * probability, enumerated over all of {0, 1}ᴺ; its marginals must be the enumerated ones.
 */
import { describe, expect, it } from "vitest";
import { forwardBackward } from "../../../src/inference/vi/index.js";
import { binaryMarkovChain } from "../../../src/runtime/dists/index.js";
import { createRng } from "../../../src/runtime/rng/index.js";

describe("turbo forward–backward against the binary_markov_chain family", () => {
  it.each([
    [0.1, 0.2, 8, 8],
    [0.3, 0.05, 10, 5],
    [0.02, 0.4, 9, 3],
  ])(
    "p01 = %f, p10 = %f, N = %i in chains of %i: log Z and marginals equal the enumeration",
    (p01, p10, n, chainLength) => {
      const rng = createRng(n + chainLength);
      const phi0 = Float64Array.from({ length: n }, () => 2 * rng.normal());
      const phi1 = Float64Array.from({ length: n }, () => 2 * rng.normal());
      const marginal = new Float64Array(n);
      const terms = forwardBackward(phi0, phi1, p01, p10, chainLength, marginal);
      let logZ = terms;
      for (let k = 0; k < n; k++) logZ += (1 - marginal[k]!) * phi0[k]! + marginal[k]! * phi1[k]!;

      // Independent chains of `chainLength`, each started from the stationary law.
      const params = { first: p01 / (p01 + p10), p01, p10 };
      let z = 0;
      const ones = new Float64Array(n);
      const s = new Float64Array(n);
      for (let code = 0; code < 2 ** n; code++) {
        for (let k = 0; k < n; k++) s[k] = (code >> k) & 1;
        let lp = 0;
        for (let start = 0; start < n; start += chainLength) {
          lp += binaryMarkovChain.logDensity(s.subarray(start, start + chainLength), params);
        }
        for (let k = 0; k < n; k++) lp += s[k] === 1 ? phi1[k]! : phi0[k]!;
        const w = Math.exp(lp);
        z += w;
        for (let k = 0; k < n; k++) ones[k]! += s[k]! * w;
      }
      expect(Math.abs(logZ - Math.log(z))).toBeLessThan(1e-10);
      for (let k = 0; k < n; k++) expect(Math.abs(marginal[k]! - ones[k]! / z)).toBeLessThan(1e-12);
    },
  );
});
