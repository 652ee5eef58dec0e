import { describe, expect, it } from "vitest";
import { EXIT_OK, EXIT_USAGE } from "../../src/cli/shared.js";
import { viCommand } from "../../src/cli/vi.js";
import { describeShared, readSharedJson } from "../helpers/shared.js";
import { dataPath, LOGISTIC_DATA, modelPath, POSTERIORDB } from "./examples.js";
import { memoryIo, summaryRows } from "./memory_io.js";

interface Reference {
  readonly parameters: readonly { readonly name: string; readonly mean: number; readonly sd: number }[];
}

describeShared("sprig vi against posteriordb", ["posteriordb"], () => {
  const kidiq = POSTERIORDB.kidiq_momhsiq!;

  /**
   * ADVI is biased by design, so the tolerance is not Monte Carlo error alone: docs/vi.md
   * measures the mean-field means on kidiq within 0.02–0.09 posterior sd of the reference over
   * five seeds (all within 0.3), and the 1000 draws add ~0.03 sd of Monte Carlo error. A wrong
   * fit (a wrong scale, an unconverged run) is off by whole posterior sds.
   */
  for (const method of ["meanfield", "fullrank"]) {
    it(`kidiq, ${method}: means within 0.3 posterior sd of the reference; CmdStan variational CSV`, async () => {
      const io = memoryIo();
      const argv = [modelPath("kidiq_momhsiq"), "--data", dataPath(kidiq), "--method", method, "--seed", "2"];
      expect(await viCommand([...argv, "--output", "q.csv"], io)).toBe(EXIT_OK);
      expect(io.out()).toMatch(new RegExp(`^sprig ADVI \\(${method}\\): \\d+ iterations, `));
      expect(io.out()).toMatch(/\nPareto k̂ \d\.\d\d \((good|fair|poor)/);
      const rows = summaryRows(io.out());
      for (const p of readSharedJson<Reference>("posteriordb", kidiq, "reference.json").parameters) {
        const mean = rows.get(p.name)?.[0];
        expect(mean, p.name).toBeDefined();
        expect(Math.abs(mean! - p.mean) / p.sd, `${p.name}: ${mean} vs ${p.mean}`).toBeLessThan(0.3);
      }
      const lines = io.written
        .get("q.csv")!
        .split("\n")
        .filter((l) => l !== "" && !l.startsWith("#"));
      expect(lines[0]).toBe("lp__,log_p__,log_g__,beta.1,beta.2,beta.3,sigma");
      expect(lines).toHaveLength(1 + 1 + 1000);
      // First row: the approximation's mean (lp__ = log_p__ = log_g__ = 0, as CmdStan writes it).
      expect(lines[1]!.startsWith("0,0,0,")).toBe(true);
      const draw = lines[2]!.split(",").map(Number);
      expect(draw[0]).toBe(0);
      expect(draw[1]).toBeLessThan(0);
      expect(Number.isFinite(draw[2])).toBe(true);
      expect(draw[6]).toBeGreaterThan(0);
    });
  }

  it("eight schools, low-rank with PSIS resampling: derived quantities and JSON output", async () => {
    const io = memoryIo();
    const argv = [modelPath("eight_schools_noncentered"), "--data", dataPath(POSTERIORDB.eight_schools_noncentered!)];
    const extra = ["--method", "lowrank", "--rank", "1", "--psis-resample", "--draws", "200", "--output", "q.json"];
    expect(await viCommand([...argv, ...extra], io)).toBe(EXIT_OK);
    expect(io.out()).toMatch(/^sprig ADVI \(lowrank, rank 1\)/);
    expect(io.out()).toContain("200 PSIS-resampled draws:");
    const rows = summaryRows(io.out());
    expect([...rows.keys()]).toEqual([
      ...Array.from({ length: 8 }, (_, i) => `theta_trans[${i + 1}]`),
      "mu",
      "tau",
      ...Array.from({ length: 8 }, (_, i) => `theta[${i + 1}]`),
    ]);
    const idata = JSON.parse(io.written.get("q.json")!);
    expect(idata.posterior.tau).toHaveLength(1);
    expect(idata.posterior.tau[0]).toHaveLength(200);
    expect(idata.posterior.theta[0][199]).toHaveLength(8);
    expect(idata.sample_stats.lp[0]).toHaveLength(200);
    expect(idata.attrs).toMatchObject({ method: "advi", family: "lowrank", model: "eight_schools_noncentered" });
    expect(idata.posterior.tau[0].every((t: number) => t > 0)).toBe(true);
  });
});

describe("sprig vi: options", () => {
  it("a short run reports that it stopped at the iteration limit", async () => {
    const io = memoryIo({ "d.json": LOGISTIC_DATA });
    const argv = [modelPath("logistic_regression"), "--data", "d.json", "--iter", "100", "--tol-rel-obj", "1e-9"];
    expect(await viCommand([...argv, "--eval-elbo", "50", "--draws", "50"], io)).toBe(EXIT_OK);
    expect(io.out()).toContain("stopped: iteration limit reached");
    expect(io.out()).toMatch(
      /Warning: advi: the relative ELBO change did not fall below tolRelObj = 1e-9 within 100 iterations/,
    );
  });

  it("rejects bad values before fitting", async () => {
    const io = memoryIo({ "d.json": LOGISTIC_DATA });
    expect(await viCommand([modelPath("logistic_regression"), "--data", "d.json", "--method", "full"], io)).toBe(
      EXIT_USAGE,
    );
    expect(io.err()).toContain("bad value for --method — got 'full', expected 'meanfield', 'fullrank', 'lowrank'");
    const draws = memoryIo({ "d.json": LOGISTIC_DATA });
    expect(await viCommand([modelPath("logistic_regression"), "--data", "d.json", "--draws", "1"], draws)).toBe(
      EXIT_USAGE,
    );
    expect(draws.err()).toContain("--draws must be an integer — got '1', expected an integer ≥ 2");
  });
});
