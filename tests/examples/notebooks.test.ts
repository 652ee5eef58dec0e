/**
 * Every example notebook runs headlessly at tiny size (`--tiny`) through scripts/run-notebook.ts,
 * and what it reports is checked, not only that it ran. The checks read the notebooks' printed
 * lines and tables (the `text/plain` form of `show()`), so a notebook that silently stops
 * computing the thing its narrative claims fails here.
 *
 * Tolerances. Seeds are fixed, so each run is deterministic; the bounds leave room for numerical
 * changes elsewhere in the library without becoming vacuous:
 * - particle filter: log Ẑ over R = 20 runs; the bias-corrected mean (mean + s²/2) must be within
 *   4 standard errors s/√R of the Kalman log-likelihood, and the mean of Ẑ/Z within 4 of its
 *   standard errors of 1 (a 4-SE band fails by chance with probability ≈ 6e-5 each);
 * - particle Gibbs: the posterior mean of φ within 4 MCSE of the exact (grid) mean;
 * - support recovery and NMSE: bounds set well inside what the tiny runs give (F1 = 1 and
 *   −28 dB for KroSBL, F1 = 1 for NUTS), so only a real regression crosses them;
 * - eight schools: the centred model diverges more than the non-centred one at every seed tried
 *   (1–12) at the tiny size.
 */
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { type CellRun, type NotebookOutput, runNotebook, typecheckNotebooks } from "../../scripts/run-notebook.js";

const folder = fileURLToPath(new URL("../../examples/notebooks/", import.meta.url));

async function run(name: string): Promise<Map<string, CellRun>> {
  const result = await runNotebook(`${folder}${name}.ipynb`, { tiny: true, log: () => {} });
  if (!result.ok) throw new Error(result.failure.message);
  return new Map(result.cells.map((c) => [c.id ?? String(c.executionCount), c]));
}

function cell(cells: Map<string, CellRun>, id: string): CellRun {
  const found = cells.get(id);
  if (!found) throw new Error(`no executed cell with id "${id}"`);
  return found;
}

/** Everything a cell printed to stdout. */
function stdout(c: CellRun): string {
  return c.outputs.map((o) => (o.output_type === "stream" && o.name === "stdout" ? o.text : "")).join("");
}

function displays(c: CellRun): Extract<NotebookOutput, { output_type: "display_data" }>[] {
  return c.outputs.filter(
    (o): o is Extract<NotebookOutput, { output_type: "display_data" }> => o.output_type === "display_data",
  );
}

function svgCount(cells: Map<string, CellRun>): number {
  return [...cells.values()].reduce((n, c) => n + displays(c).filter((d) => "image/svg+xml" in d.data).length, 0);
}

/** The k-th table a cell showed, as records; columns are located by the dashes under the header. */
function table(c: CellRun, k = 0): Record<string, string>[] {
  const tables = displays(c).filter((d) => "text/html" in d.data);
  const lines = tables[k].data["text/plain"].split("\n");
  const dashes = lines.findIndex((l) => /^-+( +-+)*$/.test(l));
  const spans = [...lines[dashes].matchAll(/-+/g)].map((m) => m.index ?? 0);
  const cut = (line: string) => spans.map((start, j) => line.slice(start, spans[j + 1]).trim());
  const header = cut(lines[dashes - 1]);
  return lines.slice(dashes + 1).map((line) => Object.fromEntries(cut(line).map((v, j) => [header[j], v])));
}

/** The number after `label` in a cell's output. */
function numberAfter(c: CellRun, label: string): number {
  const text = stdout(c);
  const at = text.indexOf(label);
  if (at < 0) throw new Error(`"${label}" not printed; got: ${text}`);
  return Number(/[-+0-9.e]+/.exec(text.slice(at + label.length))?.[0]);
}

describe("example notebooks (tiny)", () => {
  it("every notebook in examples/notebooks is covered here", () => {
    const notebooks = readdirSync(folder).filter((f) => f.endsWith(".ipynb"));
    expect(notebooks.sort()).toEqual(
      ["bayes_opt", "eight_schools", "kronecker_sbl", "sparse_regression", "state_space"].map((n) => `${n}.ipynb`),
    );
  });

  it("every notebook type-checks with the project's strict settings (tslab type-checks cells too)", async () => {
    const paths = readdirSync(folder)
      .filter((f) => f.endsWith(".ipynb"))
      .map((f) => `${folder}${f}`);
    const errors = await typecheckNotebooks(paths);
    expect(errors.map((e) => e.message)).toEqual([]);
  }, 120_000);

  it("sparse regression: NUTS recovers the support, EM-SBL refuses the horseshoe, every engine finds the large coefficients", async () => {
    const cells = await run("sparse_regression");
    expect(stdout(cell(cells, "hs-model"))).toMatch(/^CapabilityError: em-sbl: 'w' has a regularized_horseshoe prior/);
    const rows = table(cell(cells, "compare"));
    expect(rows.map((r) => r.engine)).toEqual([
      "EM-SBL (type-II ML)",
      "EM-SBL (MAP-II)",
      "NUTS",
      "ADVI (mean-field)",
      "NUTS",
      "ADVI (mean-field)",
    ]);
    for (const row of rows) {
      expect(Number(row["true positives"])).toBeGreaterThanOrEqual(4);
      expect(Number(row["support F1"])).toBeGreaterThan(0.6);
      expect(Number(row["coefficient RMSE"])).toBeLessThan(0.2);
    }
    for (const row of rows.filter((r) => r.engine === "NUTS"))
      expect(Number(row["support F1"])).toBeGreaterThanOrEqual(0.8);
    expect(stdout(cell(cells, "adapt"))).toMatch(/targetAcceptRate 0\.95: 0 divergent/);
    expect(svgCount(cells)).toBe(4);
  }, 90_000);

  it("eight schools: the centred model diverges more and mixes worse than the non-centred one", async () => {
    const cells = await run("eight_schools");
    const [centred, noncentred] = table(cell(cells, "compare"));
    expect(centred.model).toBe("centred");
    expect(Number(centred.divergent)).toBeGreaterThan(Number(noncentred.divergent));
    expect(Number(noncentred["R-hat τ"])).toBeLessThan(1.05);
    expect(Number(noncentred["bulk ESS τ"])).toBeGreaterThan(Number(centred["bulk ESS τ"]));
    expect(stdout(cell(cells, "noncentred"))).toContain("No problems detected");
    expect(stdout(cell(cells, "centred"))).toMatch(/Warning: \d+ of \d+ .* transitions ended with a divergence/);
    expect(svgCount(cells)).toBe(8);
  }, 90_000);

  it("KroSBL: exact support and a lower NMSE than classic SBL on a product support, the reverse on a scattered one", async () => {
    const cells = await run("kronecker_sbl");
    const rows = Object.fromEntries(table(cell(cells, "solvers")).map((r) => [r.solver, r]));
    for (const name of ["KroSBL-SVD", "KroSBL-AM"]) {
      expect(Number(rows[name]["support F1"])).toBe(1);
      expect(Number(rows[name]["NMSE (dB)"])).toBeLessThan(-20);
      expect(Number(rows[name]["NMSE (dB)"])).toBeLessThan(Number(rows["classic EM-SBL"]["NMSE (dB)"]));
    }
    const scattered = Object.fromEntries(table(cell(cells, "misspec")).map((r) => [r.solver, r]));
    expect(Number(scattered["classic EM-SBL"]["support F1"])).toBeGreaterThan(
      Number(scattered["KroSBL-SVD"]["support F1"]),
    );
    expect(numberAfter(cell(cells, "model"), "largest difference from fitSbl's KroSBL-AM estimate:")).toBeLessThan(
      1e-8,
    );
    expect(stdout(cell(cells, "model"))).toContain("x ~ kronecker_ard (x_alpha1 ⊗ x_alpha2)");
    expect(svgCount(cells)).toBe(2);
  }, 90_000);

  it("state-space: the particle filter's likelihood matches Kalman within its standard error, particle Gibbs matches the exact posterior", async () => {
    const cells = await run("state_space");
    const rows = table(cell(cells, "evidence"));
    const guided = rows.find((r) => r.filter === "guided")!;
    const bootstrap = rows.find((r) => r.filter === "bootstrap")!;
    expect(Math.abs(Number(guided["(mean + s²/2 − log Z)/SE"]))).toBeLessThan(4);
    expect(Math.abs(Number(guided["mean Ẑ/Z"]) - 1)).toBeLessThan(4 * Number(guided["SE of Ẑ/Z"]));
    expect(Number(guided["sd log Ẑ"])).toBeLessThan(Number(bootstrap["sd log Ẑ"]));
    expect(Math.abs(numberAfter(cell(cells, "pg-compare"), "(PG mean − exact mean) / MCSE ="))).toBeLessThan(4);
    expect(numberAfter(cell(cells, "filtering"), "largest |PF mean − Kalman mean| / filtering sd:")).toBeLessThan(2);
    expect(svgCount(cells)).toBe(3);
  }, 90_000);

  it("Bayesian optimisation: EI finds the Forrester minimum and beats random search", async () => {
    const cells = await run("bayes_opt");
    const history = table(cell(cells, "steps"));
    expect(history).toHaveLength(5);
    expect(Number(history[4]["regret f_best − f*"])).toBeLessThan(0.01);
    const bo = numberAfter(cell(cells, "random"), "final median regret: BO");
    const random = numberAfter(cell(cells, "random"), "random search");
    expect(bo).toBeLessThan(random);
    expect(svgCount(cells)).toBe(7);
  }, 90_000);
});
