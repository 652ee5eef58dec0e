import { describe, expect, it } from "vitest";
import { sblCommand } from "../../src/cli/sbl.js";
import { EXIT_FAILURE, EXIT_OK } from "../../src/cli/shared.js";
import { describeShared, readSharedJson } from "../helpers/shared.js";
import { ARD_MODEL, ARD_TRUTH, ardData, dataPath, modelPath, POSTERIORDB } from "./examples.js";
import { memoryIo } from "./memory_io.js";

const files = { "ard.sprig": ARD_MODEL, "d.json": JSON.stringify(ardData()) };

describe("sprig sbl", () => {
  for (const algorithm of ["em", "tipping_faul"]) {
    it(`${algorithm}: recovers the support and the coefficients of a sparse regression`, async () => {
      const io = memoryIo(files);
      expect(
        await sblCommand(["ard.sprig", "--data", "d.json", "--algorithm", algorithm, "--output", "fit.json"], io),
      ).toBe(EXIT_OK);
      const out = io.out();
      expect(out).toContain(
        `sprig EM-SBL (${algorithm}): y ~ normal(X * w, sigma): w ~ ard (w_alpha); noise scale 'sigma' learned`,
      );
      // EM keeps exactly the true support; Tipping–Faul's greedy additions may also keep a
      // near-zero coefficient when that raises the evidence (it does here, w[7] ≈ −0.01).
      if (algorithm === "em") expect(out).toContain("support: 3 of 8 coefficients kept: w[1], w[4], w[8]");
      expect(out).toMatch(/\n\s+Mean\s+StdDev\s+w_alpha\n/);
      expect(out).not.toMatch(/\nw\[2\] /);
      expect(out).toMatch(/\n {2}sigma = \d/);
      const fit = JSON.parse(io.written.get("fit.json")!);
      expect(fit.support).toEqual(expect.arrayContaining([1, 4, 8]));
      expect(fit.support.length).toBeLessThanOrEqual(4);
      expect(fit.algorithm).toBe(algorithm);
      // Noise is uniform(−0.05, 0.05) (sd 0.029) on 30 rows with |x| ≤ 1.5: each kept coefficient is
      // determined to ~0.01, so 0.05 is five of its posterior sds.
      fit.mean.w.forEach((m: number, i: number) => {
        expect(Math.abs(m - ARD_TRUTH[i]!), `w[${i + 1}]`).toBeLessThan(0.05);
      });
      expect(fit.hypers.w_alpha[1]).toBe("Infinity");
      expect(fit.hypers.sigma).toBeGreaterThan(0.01);
      expect(fit.hypers.sigma).toBeLessThan(0.06);
      expect(fit.log_evidence.at(-1)).toBeGreaterThan(fit.log_evidence[0]);
      expect(fit.converged).toBe(true);
    });
  }

  it("refuses an algorithm that does not fit the prior, and models without a sparse linear-Gaussian block", async () => {
    const io = memoryIo(files);
    expect(await sblCommand(["ard.sprig", "--data", "d.json", "--algorithm", "bsbl"], io)).toBe(EXIT_FAILURE);
    expect(io.err()).toBe(
      "em-sbl: the algorithm does not fit the ard prior on 'w' — got 'bsbl', expected 'em' or 'tipping_faul'. Hint: leave `algorithm` out to use the first that fits.\n",
    );
    const schools = memoryIo({
      "d.json": JSON.stringify({ J: 2, y: [1, 2], sigma: [1, 1] }),
    });
    expect(await sblCommand([modelPath("eight_schools_noncentered"), "--data", "d.json"], schools)).toBe(EXIT_FAILURE);
    expect(schools.err()).toMatch(
      /^em-sbl: the mean of 'y' ~ normal\(loc=theta, scale=sigma\) is not linear in the coefficients/,
    );
  });
});

describeShared("sprig sbl on posteriordb data", ["posteriordb", "sblrc-blr"], () => {
  it("sblrc-blr with an ARD prior: EM means agree with the NUTS reference", async () => {
    const text = ARD_MODEL.replace(/\bw\b/g, "beta");
    const io = memoryIo({ "blr.sprig": text });
    expect(
      await sblCommand(["blr.sprig", "--data", dataPath(POSTERIORDB.sblrc_blr!), "--output", "fit.json"], io),
    ).toBe(EXIT_OK);
    const fit = JSON.parse(io.written.get("fit.json")!);
    expect(fit.support).toEqual([1, 2, 3, 4, 5]);
    // EM gives the posterior of beta given the estimated sigma and precisions; with 100 rows the
    // likelihood pins each coefficient to ~0.001 while the ARD prior sd is ~1, so the prior's pull
    // and sigma's uncertainty move the mean by far less than half a posterior sd.
    const reference = readSharedJson<{ parameters: { name: string; mean: number; sd: number }[] }>(
      "posteriordb",
      "sblrc-blr",
      "reference.json",
    );
    for (let i = 0; i < 5; i++) {
      const ref = reference.parameters.find((p) => p.name === `beta[${i + 1}]`)!;
      expect(Math.abs(fit.mean.beta[i] - ref.mean) / ref.sd, ref.name).toBeLessThan(0.5);
    }
    const sigma = reference.parameters.find((p) => p.name === "sigma")!;
    expect(Math.abs(fit.hypers.sigma - sigma.mean) / sigma.sd).toBeLessThan(1);
  });
});
