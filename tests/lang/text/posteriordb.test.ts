/**
 * Acceptance 2: posteriordb models translated to the sprig language (examples/models/*.sprig),
 * each loading its folder's data.json unchanged, reproduce Stan's log density differences at the
 * six points of logdensity.json (format and comparison rule: ../shared/posteriordb/README.md).
 * Stan drops the constants of `~` statements, so lp(point_i) − lp(point_0) is compared, within the
 * file's tolerance (1e-8 relative, or 1e-8 absolute when the difference is small). lp_no_jacobian
 * is checked at the constrained `params`; lp_jacobian at sprig's unconstrained image of them
 * (sprig's transforms are Stan's, so the Jacobian terms agree).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { diamondsData } from "../../../examples/models/diamonds.js";
import { exampleFamilies } from "../../../examples/models/families.js";
import { compile } from "../../../src/inference/model/index.js";
import { parseModel } from "../../../src/lang/text/index.js";
import { describeShared, REPO_ROOT, readSharedJson } from "../../helpers/shared.js";

interface LogDensityFile {
  tolerance: { relative: number; absolute: number };
  points: { params: Record<string, number | number[]>; lp_jacobian: number; lp_no_jacobian: number }[];
}

/**
 * examples/models/<file>.sprig → posteriordb folder, and the data preparation that stands in for
 * Stan's transformed data where the language cannot express it (diamonds' centred design).
 */
const TRANSLATIONS: readonly [string, string, ((raw: never) => Record<string, unknown>)?][] = [
  ["eight_schools_centered", "eight_schools-eight_schools_centered"],
  ["eight_schools_noncentered", "eight_schools-eight_schools_noncentered"],
  ["kidiq_momhsiq", "kidiq-kidscore_momhsiq"],
  ["radon_variable_intercept_centered", "radon_mn-radon_variable_intercept_centered"],
  ["radon_variable_intercept_noncentered", "radon_mn-radon_variable_intercept_noncentered"],
  ["wells_dae_c", "wells_data-wells_dae_c_model"],
  ["earnings_earn_height", "earnings-earn_height"],
  ["kilpisjarvi", "kilpisjarvi_mod-kilpisjarvi"],
  ["mesquite_logvas", "mesquite-logmesquite_logvas"],
  ["sblrc_blr", "sblrc-blr"],
  ["nes", "nes2000-nes"],
  ["low_dim_gauss_mix", "low_dim_gauss_mix-low_dim_gauss_mix"],
  ["arK", "arK-arK"],
  ["arma11", "arma-arma11"],
  ["garch11", "garch-garch11"],
  ["diamonds", "diamonds-diamonds", diamondsData],
];

function expectDifferencesMatch(ours: number[], stan: number[], tol: { relative: number; absolute: number }): void {
  expect(ours.every(Number.isFinite)).toBe(true);
  for (let i = 1; i < stan.length; i++) {
    const dStan = stan[i]! - stan[0]!;
    const dOurs = ours[i]! - ours[0]!;
    expect(Math.abs(dOurs - dStan), `point ${i}: sprig ${dOurs}, Stan ${dStan}`).toBeLessThanOrEqual(
      Math.max(tol.absolute, tol.relative * Math.abs(dStan)),
    );
  }
}

const families = exampleFamilies();

for (const [file, posterior, prepare] of TRANSLATIONS) {
  describeShared(`${file}.sprig against Stan (${posterior})`, ["posteriordb", posterior, "logdensity.json"], () => {
    const text = readFileSync(join(REPO_ROOT, "examples", "models", `${file}.sprig`), "utf8");
    const raw = readSharedJson<Record<string, unknown>>("posteriordb", posterior, "data.json");
    const data = prepare === undefined ? raw : prepare(raw as never);
    const reference = readSharedJson<LogDensityFile>("posteriordb", posterior, "logdensity.json");
    // The data are passed to the parser too: some models unroll loops or decide conditions on them.
    const graph = parseModel(text, families, { file: `${file}.sprig`, data });

    it("matches lp_no_jacobian differences", () => {
      const model = compile(graph, data as never, families, { jacobian: false });
      const ours = reference.points.map((p) => model.logDensity(model.unconstrain(p.params)));
      expectDifferencesMatch(
        ours,
        reference.points.map((p) => p.lp_no_jacobian),
        reference.tolerance,
      );
    });

    it("matches lp_jacobian differences", () => {
      const model = compile(graph, data as never, families);
      const ours = reference.points.map((p) => model.logDensity(model.unconstrain(p.params)));
      expectDifferencesMatch(
        ours,
        reference.points.map((p) => p.lp_jacobian),
        reference.tolerance,
      );
    });
  });
}
