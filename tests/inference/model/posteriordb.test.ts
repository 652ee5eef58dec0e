import { describe, expect, it } from "vitest";
import { diamonds, diamondsData } from "../../../examples/models/diamonds.js";
import { eightSchoolsCentered, eightSchoolsNoncentered } from "../../../examples/models/eight_schools.js";
import { exampleFamilies } from "../../../examples/models/families.js";
import { kidiq } from "../../../examples/models/kidiq.js";
import { radonCentered, radonNoncentered } from "../../../examples/models/radon.js";
import { wells } from "../../../examples/models/wells.js";
import { compile, type ModelData } from "../../../src/inference/model/index.js";
import type { ModelGraph } from "../../../src/ir/index.js";
import { describeShared, readSharedJson } from "../../helpers/shared.js";

/**
 * Stan's log density at six points of each posterior (../shared/posteriordb/<name>/logdensity.json,
 * format in that folder's README). Stan drops constants of `~` statements, so differences
 * lp(point_i) − lp(point_0) are compared, to 1e-8 relative (1e-8 absolute when small): the
 * file's own tolerance. `lp_no_jacobian` is checked at each point's constrained `params`;
 * `lp_jacobian` at sprig's unconstrained image of those params (sprig uses Stan's transforms,
 * so it must agree regardless of parameter order); the gradient at Stan's `upars` where sprig
 * declares parameters in Stan's order.
 */
interface LogDensityFile {
  tolerance: { relative: number; absolute: number };
  points: {
    params: Record<string, number | number[]>;
    upars: number[];
    lp_jacobian: number;
    lp_no_jacobian: number;
    grad: number[];
  }[];
}

/** `prepare` turns data.json into the graph's data where Stan's transformed data became data preparation. */
const CASES: { name: string; graph: ModelGraph; stanOrder: boolean; prepare?: (raw: never) => ModelData }[] = [
  { name: "eight_schools-eight_schools_noncentered", graph: eightSchoolsNoncentered, stanOrder: true },
  { name: "eight_schools-eight_schools_centered", graph: eightSchoolsCentered, stanOrder: false },
  { name: "kidiq-kidscore_momhsiq", graph: kidiq, stanOrder: true },
  { name: "wells_data-wells_dae_c_model", graph: wells, stanOrder: true },
  { name: "radon_mn-radon_variable_intercept_noncentered", graph: radonNoncentered, stanOrder: true },
  { name: "radon_mn-radon_variable_intercept_centered", graph: radonCentered, stanOrder: false },
  { name: "diamonds-diamonds", graph: diamonds, stanOrder: true, prepare: diamondsData },
];

function expectDifferencesMatch(ours: number[], stan: number[], tol: { relative: number; absolute: number }): void {
  for (let i = 1; i < stan.length; i++) {
    const dStan = stan[i]! - stan[0]!;
    const dOurs = ours[i]! - ours[0]!;
    expect(Math.abs(dOurs - dStan)).toBeLessThanOrEqual(Math.max(tol.absolute, tol.relative * Math.abs(dStan)));
  }
}

describe("sprig log densities against Stan's (posteriordb logdensity.json)", () => {
  const families = exampleFamilies();
  for (const { name, graph, stanOrder, prepare } of CASES) {
    describeShared(name, ["posteriordb", name, "logdensity.json"], () => {
      const file = readSharedJson<LogDensityFile>("posteriordb", name, "logdensity.json");
      const raw = readSharedJson<Record<string, number | number[]>>("posteriordb", name, "data.json");
      const data = prepare === undefined ? raw : prepare(raw as never);
      const withJacobian = compile(graph, data, families);
      const withoutJacobian = compile(graph, data, families, { jacobian: false });

      it("matches lp_no_jacobian differences at the constrained points", () => {
        const ours = file.points.map((p) => withoutJacobian.logDensity(withoutJacobian.unconstrain(p.params)));
        expectDifferencesMatch(
          ours,
          file.points.map((p) => p.lp_no_jacobian),
          file.tolerance,
        );
      });

      it("matches lp_jacobian differences (Stan's transforms)", () => {
        const ours = file.points.map((p) => withJacobian.logDensity(withJacobian.unconstrain(p.params)));
        expectDifferencesMatch(
          ours,
          file.points.map((p) => p.lp_jacobian),
          file.tolerance,
        );
      });

      if (stanOrder) {
        it("reproduces Stan's unconstrained vector and gradient", () => {
          for (const p of file.points) {
            const theta = withJacobian.unconstrain(p.params);
            theta.forEach((v, i) => {
              expect(Math.abs(v - p.upars[i]!)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(p.upars[i]!)));
            });
            const grad = new Float64Array(withJacobian.dimension);
            withJacobian.logDensityAndGrad(Float64Array.from(p.upars), grad);
            const scale = Math.max(1, ...p.grad.map(Math.abs));
            grad.forEach((g, i) => {
              expect(Math.abs(g - p.grad[i]!)).toBeLessThanOrEqual(1e-6 * scale);
            });
          }
        });
      }
    });
  }
});
