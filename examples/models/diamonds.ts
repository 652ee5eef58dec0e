/**
 * Diamond prices (ggplot2's `diamonds`, Wickham 2016): log price regressed on 24 predictors
 * (carat, cut, colour, clarity and polynomial terms; N = 5000). As posteriordb's
 * `diamonds-diamonds`, a brms model: the predictors are centred, `b ~ normal(0, 1)`,
 * `Intercept ~ student_t(3, 8, 10)` for the intercept of the centred design, `sigma` half
 * student-t(3, 0, 10), and `b_Intercept` (the intercept on the original scale) read out. The
 * posterior is strongly correlated, so sample it with `metric: "dense"`.
 */
import { DataError, describeValue } from "../../src/core/errors.js";
import { dist, model, normal, studentT } from "../../src/lang/builder/index.js";
import { exampleFamilies } from "./families.js";

/**
 * The posteriordb data file of `diamonds-diamonds`: `X` is N × K with a column of ones first.
 *
 * @example
 * ```ts
 * const raw: DiamondsRawData = { N: 2, K: 2, X: [[1, 0.3], [1, 0.5]], Y: [6, 7], prior_only: 0 };
 * ```
 */
export interface DiamondsRawData {
  readonly N: number;
  readonly K: number;
  readonly X: readonly (readonly number[])[];
  readonly Y: readonly number[];
  readonly prior_only: number;
}

/**
 * The data the {@link diamonds} graph is compiled with: the centred design `Xc` (N × Kc,
 * row-major) and the column means `means_X` it was centred by.
 *
 * @example
 * ```ts
 * const { Xc, means_X } = diamondsData(raw);
 * ```
 */
export interface DiamondsData {
  readonly [field: string]: number | Float64Array;
  readonly N: number;
  readonly Kc: number;
  readonly Y: Float64Array;
  readonly Xc: Float64Array;
  readonly means_X: Float64Array;
}

/**
 * Stan's `transformed data` block of the brms model, done once before compiling: drops the
 * intercept column of X and centres the other K − 1 columns, `Xc[, j] = X[, j + 1] −
 * mean(X[, j + 1])`, keeping the means for `b_Intercept`. The language has no matrix column
 * operations, and centring is data preparation anyway: it is not repeated at every gradient.
 * brms's `prior_only = 1` (drop the likelihood) is not supported: the graph always observes Y.
 *
 * @param raw - the posteriordb data (`data.json` of `diamonds-diamonds`)
 * @returns the data fields of {@link diamonds}
 * @throws DataError when X is not N × K or prior_only is not 0
 * @example
 * ```ts
 * const m = compile(diamonds, diamondsData(posteriordbData("diamonds-diamonds")), exampleFamilies());
 * ```
 */
export function diamondsData(raw: DiamondsRawData): DiamondsData {
  const { N, K, X } = raw;
  if (raw.prior_only !== 0) {
    throw new DataError({
      where: "diamondsData",
      what: "prior_only must be 0",
      got: describeValue(raw.prior_only),
      expected: "0",
      hint: "the graph always includes the likelihood; sample the priors with sprig's prior sampling instead.",
    });
  }
  if (X.length !== N || raw.Y.length !== N || X.some((row) => row.length !== K)) {
    throw new DataError({
      where: "diamondsData",
      what: "X must be N × K and Y of length N",
      got: `X with ${X.length} rows, Y of length ${raw.Y.length}`,
      expected: `${N} rows of ${K} values and ${N} responses`,
    });
  }
  const Kc = K - 1;
  const meansX = new Float64Array(Kc);
  for (const row of X) for (let j = 0; j < Kc; j++) meansX[j]! += row[j + 1]!;
  for (let j = 0; j < Kc; j++) meansX[j]! /= N;
  const Xc = new Float64Array(N * Kc);
  X.forEach((row, i) => {
    for (let j = 0; j < Kc; j++) Xc[i * Kc + j] = row[j + 1]! - meansX[j]!;
  });
  return { N, Kc, Y: Float64Array.from(raw.Y), Xc, means_X: meansX };
}

/**
 * Y ~ normal(Intercept + Xc·b, sigma), with b_Intercept = Intercept − means_X·b. Parameters are
 * declared in Stan's order (b, Intercept, sigma), so θ lines up with Stan's unconstrained vector.
 * Data fields: those of {@link diamondsData}.
 *
 * @example
 * ```ts
 * const data = diamondsData(posteriordbData("diamonds-diamonds"));
 * const result = await sample(diamonds, data, { metric: "dense" });
 * ```
 */
export const diamonds = model(
  "diamonds",
  ({ data, param, observe, deterministic }) => {
    const N = data.int("N", { lower: 0 });
    const Kc = data.int("Kc", { lower: 0 });
    const Y = data.vector("Y", N);
    const Xc = data.matrix("Xc", N, Kc);
    const meansX = data.vector("means_X", Kc);
    const b = param("b", normal({ loc: 0, scale: 1 }), { size: Kc });
    const intercept = param("Intercept", studentT({ df: 3, loc: 8, scale: 10 }));
    // brms: student_t(3, 0, 10) on (0, ∞), normalised by its lccdf at 0 — the half student-t.
    const sigma = param("sigma", dist("half_student_t", { df: 3, scale: 10 }));
    observe(Y, normal({ loc: Xc.matvec(b).add(intercept), scale: sigma }));
    deterministic("b_Intercept", intercept.sub(meansX.dot(b)));
  },
  { families: exampleFamilies() },
);
