import { describe, expect, it } from "vitest";
import { sampleCommand } from "../../src/cli/sample.js";
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from "../../src/cli/shared.js";
import { describeShared, readSharedJson } from "../helpers/shared.js";
import { dataPath, exampleModels, LOGISTIC_DATA, modelPath, POSTERIORDB } from "./examples.js";
import { memoryIo, summaryRows } from "./memory_io.js";

interface Reference {
  readonly parameters: readonly { readonly name: string; readonly mean: number; readonly sd: number }[];
}

/** The data rows of a Stan CSV file (comment lines and the header removed). */
function csvRows(csv: string): string[][] {
  const lines = csv.split("\n").filter((l) => l !== "" && !l.startsWith("#"));
  return lines.slice(1).map((l) => l.split(","));
}

function csvHeader(csv: string): string[] {
  return csv
    .split("\n")
    .find((l) => l !== "" && !l.startsWith("#"))!
    .split(",");
}

/**
 * Checks every reference quantity's mean against the summary table. The sprig mean's Monte Carlo
 * standard error is the MCSE column (sd/√ESS_bulk); the reference's own MCSE is ~0.01 sd
 * (10,000 effective draws), negligible beside it. |mean − ref| ≤ 4·MCSE fails with probability
 * ~6e-5 per quantity for a correct sampler, so a failure here means a wrong posterior.
 */
function expectMeansMatch(out: string, reference: Reference): void {
  const rows = summaryRows(out);
  for (const p of reference.parameters) {
    const row = rows.get(p.name);
    expect(row, p.name).toBeDefined();
    const [mean, mcse] = row!;
    expect(Math.abs(mean! - p.mean), `${p.name}: mean ${mean} vs ${p.mean} (MCSE ${mcse})`).toBeLessThanOrEqual(
      4 * mcse!,
    );
  }
}

describeShared("sprig sample against posteriordb", ["posteriordb"], () => {
  const schools = POSTERIORDB.eight_schools_noncentered!;

  it("eight schools (non-centred): summary means within 4 MCSE, Stan CSV per chain", async () => {
    const io = memoryIo();
    const argv = [modelPath("eight_schools_noncentered"), "--data", dataPath(schools), "--chains", "2"];
    const code = await sampleCommand(
      [...argv, "--warmup", "500", "--samples", "500", "--seed", "11", "--output", "fit.csv"],
      io,
    );
    expect(code).toBe(EXIT_OK);
    expect(io.out()).toMatch(
      /^sprig NUTS \(diag metric\): 2 chains × \(500 warm-up \+ 500 draws\) = 1000 draws kept\n/,
    );
    expect(io.out()).toMatch(/\n\s+Mean\s+MCSE\s+StdDev\s+MAD\s+5%\s+50%\s+95%\s+ESS_bulk\s+ESS_tail\s+R_hat\n/);
    expectMeansMatch(io.out(), readSharedJson<Reference>("posteriordb", schools, "reference.json"));
    expect(io.err()).toBe("sprig sample: wrote fit_1.csv, fit_2.csv\n");
    // One CmdStan CSV per chain: sampler columns, the 10 parameters, then theta (transformed).
    for (const file of ["fit_1.csv", "fit_2.csv"]) {
      const csv = io.written.get(file)!;
      const header = csvHeader(csv);
      expect(header.slice(0, 7)).toEqual([
        "lp__",
        "accept_stat__",
        "stepsize__",
        "treedepth__",
        "n_leapfrog__",
        "divergent__",
        "energy__",
      ]);
      expect(header.slice(7)).toEqual([
        ...Array.from({ length: 8 }, (_, i) => `theta_trans.${i + 1}`),
        "mu",
        "tau",
        ...Array.from({ length: 8 }, (_, i) => `theta.${i + 1}`),
      ]);
      const rows = csvRows(csv);
      expect(rows).toHaveLength(500);
      expect(rows.every((r) => r.length === 25 && r.every((x) => Number.isFinite(Number(x))))).toBe(true);
      expect(csv).toContain("# model = eight_schools_noncentered");
    }
    // tau > 0 in every draw; theta = mu + tau · theta_trans row by row.
    const row = csvRows(io.written.get("fit_1.csv")!)[17]!.map(Number);
    expect(row[16]).toBeGreaterThan(0);
    expect(row[17]).toBeCloseTo(row[15]! + row[16]! * row[7]!, 10);
  });

  it("kidiq with the dense metric: means within 4 MCSE", async () => {
    const posterior = POSTERIORDB.kidiq_momhsiq!;
    const io = memoryIo();
    const argv = [modelPath("kidiq_momhsiq"), "--data", dataPath(posterior), "--chains", "2", "--warmup", "400"];
    expect(await sampleCommand([...argv, "--samples", "400", "--metric", "dense", "--seed", "5"], io)).toBe(EXIT_OK);
    expect(io.out()).toMatch(/^sprig NUTS \(dense metric\)/);
    expectMeansMatch(io.out(), readSharedJson<Reference>("posteriordb", posterior, "reference.json"));
  });

  it("InferenceData JSON with the posterior predictive", async () => {
    const io = memoryIo();
    const argv = [
      modelPath("eight_schools_noncentered"),
      "--data",
      dataPath(schools),
      "--chains",
      "2",
      "--warmup",
      "100",
    ];
    expect(await sampleCommand([...argv, "--samples", "30", "--output", "fit.json", "--predictive"], io)).toBe(EXIT_OK);
    const idata = JSON.parse(io.written.get("fit.json")!);
    expect(Object.keys(idata).sort()).toEqual([
      "attrs",
      "observed_data",
      "posterior",
      "posterior_predictive",
      "sample_stats",
    ]);
    expect(Object.keys(idata.posterior)).toEqual(["theta_trans", "mu", "tau", "theta"]);
    expect(idata.posterior.mu).toHaveLength(2);
    expect(idata.posterior.mu[1]).toHaveLength(30);
    expect(idata.posterior.theta[0][29]).toHaveLength(8);
    expect(idata.sample_stats.diverging[0]).toHaveLength(30);
    expect(idata.posterior_predictive.y[1][29]).toHaveLength(8);
    expect(idata.observed_data.y).toEqual([28, 8, -3, 7, -1, 1, 18, 12]);
    expect(idata.attrs).toMatchObject({ model: "eight_schools_noncentered", num_chains: 2, num_samples: 30 });
  });

  it("the same seed gives the same draws, in this thread or in worker threads", async () => {
    const draws = async (extra: string[]): Promise<string[][]> => {
      const io = memoryIo();
      const argv = [modelPath("eight_schools_noncentered"), "--data", dataPath(schools), "--chains", "2"];
      expect(
        await sampleCommand(
          [...argv, "--warmup", "100", "--samples", "50", "--seed", "3", "--output", "d.csv", ...extra],
          io,
        ),
      ).toBe(EXIT_OK);
      return [csvRows(io.written.get("d_1.csv")!).flat(), csvRows(io.written.get("d_2.csv")!).flat()];
    };
    const here = await draws([]);
    expect(await draws([])).toEqual(here);
    expect(await draws(["--workers", "2"])).toEqual(here);
    const other = memoryIo();
    const argv = [
      modelPath("eight_schools_noncentered"),
      "--data",
      dataPath(schools),
      "--chains",
      "1",
      "--warmup",
      "100",
    ];
    expect(await sampleCommand([...argv, "--samples", "50", "--seed", "4", "--output", "e.csv"], other)).toBe(EXIT_OK);
    expect(csvRows(other.written.get("e.csv")!).flat()).not.toEqual(here[0]);
  });

  it("--sig-figs rounds the CSV values", async () => {
    const io = memoryIo();
    const argv = [modelPath("kilpisjarvi"), "--data", dataPath(POSTERIORDB.kilpisjarvi!), "--chains", "1"];
    expect(
      await sampleCommand([...argv, "--warmup", "50", "--samples", "5", "--output", "k.csv", "--sig-figs", "3"], io),
    ).toBe(EXIT_OK);
    // lp__ and the parameters (the integer sampler columns are printed as they are).
    const values = csvRows(io.written.get("k.csv")!).flatMap((r) => [r[0]!, ...r.slice(7)]);
    expect(
      values.every((v) => v.replace(/^-/, "").replace(/e.*$/, "").replace(".", "").replace(/^0+/, "").length <= 3),
    ).toBe(true);
  });

  // Short runs of every example model: the command works end to end on each (tree depth capped
  // so that the unadapted first iterations stay cheap).
  for (const name of exampleModels().filter((n) => n in POSTERIORDB)) {
    it(`${name}: runs and reports every parameter`, async () => {
      const io = memoryIo();
      const argv = [modelPath(name), "--data", dataPath(POSTERIORDB[name]!), "--chains", "1", "--warmup", "30"];
      expect(await sampleCommand([...argv, "--samples", "10", "--max-depth", "4", "--output", "s.csv"], io)).toBe(
        EXIT_OK,
      );
      const rows = summaryRows(io.out());
      const header = csvHeader(io.written.get("s.csv")!);
      expect(rows.has("lp__")).toBe(true);
      // Every CSV column (Stan's dotted names) has its summary row (bracketed names).
      for (const column of header.slice(7)) {
        const [base, ...index] = column.split(".");
        expect(rows.has(index.length === 0 ? base! : `${base}[${index.join(",")}]`), column).toBe(true);
      }
      expect(csvRows(io.written.get("s.csv")!)).toHaveLength(10);
    });
  }
});

describe("sprig sample: inline data and errors", () => {
  it("logistic regression with inline data", async () => {
    const io = memoryIo({ "d.json": LOGISTIC_DATA });
    const argv = [modelPath("logistic_regression"), "--data", "d.json", "--chains", "1", "--warmup", "100"];
    expect(await sampleCommand([...argv, "--samples", "20"], io)).toBe(EXIT_OK);
    expect([...summaryRows(io.out()).keys()]).toEqual(["lp__", "alpha", "beta[1]", "beta[2]"]);
  });

  it("bad output settings fail before any sampling", async () => {
    const data = { "d.json": LOGISTIC_DATA };
    const argv = [modelPath("logistic_regression"), "--data", "d.json"];
    const cases: [string[], string][] = [
      [["--output", "fit.txt"], "cannot tell the output format from the file name — got 'fit.txt'"],
      [["--output", "fit.csv", "--predictive"], "--predictive needs a .json output"],
      [["--predictive"], "--predictive needs --output"],
      [["--output", "fit.csv", "--sig-figs", "40"], "--sig-figs must be at most 17"],
      [
        ["--output", "/unwritable/fit.csv", "--chains", "1"],
        "cannot write the output file '/unwritable/fit.csv' — got its directory does not exist.",
      ],
    ];
    for (const [extra, message] of cases) {
      const io = memoryIo(data);
      expect(await sampleCommand([...argv, ...extra], io), extra.join(" ")).toBe(EXIT_USAGE);
      expect(io.out()).toBe("");
      expect(io.err()).toContain(message);
    }
  });

  it("data that do not fit the model, and a discrete latent, are errors with exit code 1", async () => {
    const io = memoryIo({ "d.json": JSON.stringify({ N: 2, D: 2, X: [[1, 2]], y: [1, 0] }) });
    expect(await sampleCommand([modelPath("logistic_regression"), "--data", "d.json"], io)).toBe(EXIT_FAILURE);
    expect(io.err()).toContain("data 'X'");
    const text = "parameters { real<lower=0> lam; int k; }\nmodel { lam ~ gamma(2, 1); k ~ poisson(lam); }\n";
    const discrete = memoryIo({ "m.sprig": text, "d.json": "{}" });
    expect(await sampleCommand(["m.sprig", "--data", "d.json"], discrete)).toBe(EXIT_FAILURE);
    expect(discrete.err()).toMatch(/^nuts: latent 'k' is discrete; NUTS needs gradients for every latent\. Hint: /);
  });
});
