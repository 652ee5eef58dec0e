import { describe, expect, it } from "vitest";
import { compile } from "../../../../src/inference/model/index.js";
import { type ModelContext, model, uniform } from "../../../../src/lang/builder/index.js";
import { blockArd, kroneckerArd, patternCoupled, turboVbi } from "../../../../src/lang/builder/priors/index.js";
import type { Value } from "../../../../src/runtime/dists/index.js";
import { BOTH, DRAWS, priorModel, registry } from "./marginal_setup.js";
import { at, drawPrior, expectMeanWithin4Mcse, studentTail } from "./reference.js";

/*
 * Acceptance 1 for the structured priors: prior draws reproduce the covariance structure each
 * prior defines. Point-estimated precisions are set to distinct known values, so every
 * coefficient's variance (or covariance with a neighbour) is known exactly and a wrong index
 * mapping, coupling or correlation fails; with gamma hyper-priors the moments E[α^-k] =
 * b^k Γ(a − k)/Γ(a) give the marginal and the extra dependence between coefficients that share
 * a precision. Each check compares a mean of iid per-draw statistics with its exact value within
 * 4 Monte Carlo standard errors (sd/√n, n = 20 000 independent prior draws; pooled conditional
 * checks are iid given the support and use the same formula over the pooled values).
 */

/** E[α^-k] for α ~ gamma(a, rate b). */
function inverseMoment(a: number, b: number, k: number): number {
  let m = 1;
  for (let j = 1; j <= k; j++) m *= b / (a - j);
  return m;
}

function column(draws: readonly Record<string, Value>[], f: (d: Record<string, Value>) => number): Float64Array {
  return Float64Array.from(draws, f);
}

function compiled(body: (m: ModelContext) => void, hyper: Record<string, number[]>) {
  return compile(model("prior", body, { families: registry }), {}, registry, { hyper });
}

describe.each(BOTH)("kronecker ARD (%s)", (parameterization) => {
  it("point-estimated factors: Var(x_(i,j)) = 1/(α¹_i·α²_j) with the last index fastest", () => {
    const a1 = [1, 4];
    const a2 = [0.5, 1, 2];
    const draws = drawPrior(
      compiled((m) => kroneckerArd(m, "x", { dims: [2, 3], parameterization }), { x_alpha1: a1, x_alpha2: a2 }),
      DRAWS,
      31,
    );
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 3; j++) {
        expectMeanWithin4Mcse(
          column(draws, (d) => at(d.x, i * 3 + j) ** 2),
          1 / (a1[i]! * a2[j]!),
          `Var x(${i},${j})`,
        );
      }
    }
  });

  it("gamma factors: x·√(α¹α²) is standard normal, and coefficients sharing a factor are dependent", () => {
    const a = 6;
    const b = 5;
    const draws = drawPrior(
      priorModel((m) => kroneckerArd(m, "x", { dims: [2, 3], hyperprior: { shape: a, rate: b }, parameterization })),
      DRAWS,
      32,
    );
    const standardized = (d: Record<string, Value>, i: number) =>
      at(d.x, i) * Math.sqrt(at(d.x_alpha1, Math.floor(i / 3)) * at(d.x_alpha2, i % 3));
    expectMeanWithin4Mcse(
      column(draws, (d) => standardized(d, 4) ** 2),
      1,
      "E[u²]",
    );
    expectMeanWithin4Mcse(
      column(draws, (d) => at(d.x, 0) ** 2),
      inverseMoment(a, b, 1) ** 2,
      "E[x²]",
    );
    // x(0,0), x(0,1) share α¹_0: E[x²x²] = E[α^-2]·E[α^-1]²; x(0,0), x(1,1) share nothing: E[α^-1]⁴.
    expectMeanWithin4Mcse(
      column(draws, (d) => at(d.x, 0) ** 2 * at(d.x, 1) ** 2),
      inverseMoment(a, b, 2) * inverseMoment(a, b, 1) ** 2,
      "E[x00² x01²]",
    );
    expectMeanWithin4Mcse(
      column(draws, (d) => at(d.x, 0) ** 2 * at(d.x, 4) ** 2),
      inverseMoment(a, b, 1) ** 4,
      "E[x00² x11²]",
    );
  });
});

describe.each(BOTH)("block ARD (%s)", (parameterization) => {
  const alpha = [4, 0.25];
  const blockOf = [0, 0, 0, 1, 1];

  it("independent blocks: Var(x_i) = 1/α_(block of i)", () => {
    const draws = drawPrior(
      compiled((m) => blockArd(m, "x", { blockSizes: [3, 2], parameterization }), { x_alpha: alpha }),
      DRAWS,
      33,
    );
    for (let i = 0; i < 5; i++)
      expectMeanWithin4Mcse(
        column(draws, (d) => at(d.x, i) ** 2),
        1 / alpha[blockOf[i]!]!,
        `Var x${i}`,
      );
  });

  it("AR(1) correlation r: Cov(x_i, x_j) = r^|i−j|/α_b inside a block, 0 across blocks", () => {
    const r = 0.6;
    const draws = drawPrior(
      compiled((m) => blockArd(m, "x", { blockSizes: [3, 2], correlation: r, parameterization }), { x_alpha: alpha }),
      DRAWS,
      34,
    );
    const pairs: [number, number, number][] = [
      [0, 0, 1 / 4],
      [2, 2, 1 / 4],
      [0, 1, r / 4],
      [1, 2, r / 4],
      [0, 2, (r * r) / 4],
      [3, 4, r / 0.25],
      [4, 4, 1 / 0.25],
      [2, 3, 0],
    ];
    for (const [i, j, truth] of pairs)
      expectMeanWithin4Mcse(
        column(draws, (d) => at(d.x, i) * at(d.x, j)),
        truth,
        `Cov(x${i}, x${j})`,
      );
  });

  it("a correlation that is a model value r ~ uniform(0.2, 0.8): Cov(x0, x1) = E[r]/α, Cov(x0, x2) = E[r²]/α", () => {
    const draws = drawPrior(
      compiled(
        (m) => {
          const r = m.param("r", uniform({ lower: 0.2, upper: 0.8 }));
          blockArd(m, "x", { blockSizes: [3, 2], correlation: r, parameterization });
        },
        { x_alpha: alpha },
      ),
      DRAWS,
      35,
    );
    expectMeanWithin4Mcse(
      column(draws, (d) => at(d.x, 0) * at(d.x, 1)),
      0.5 / 4,
      "Cov(x0, x1)",
    );
    expectMeanWithin4Mcse(
      column(draws, (d) => at(d.x, 0) * at(d.x, 2)),
      (0.6 ** 2 / 12 + 0.25) / 4,
      "Cov(x0, x2)",
    );
    expectMeanWithin4Mcse(
      column(draws, (d) => at(d.x, 4) ** 2),
      4,
      "Var x4",
    );
  });
});

describe.each(BOTH)("pattern-coupled (%s)", (parameterization) => {
  it("point-estimated α: Var(x_i) = 1/(α_i + β(α_(i−1) + α_(i+1)))", () => {
    const draws = drawPrior(
      compiled((m) => patternCoupled(m, "x", { size: 5, coupling: 0.5, parameterization }), {
        x_alpha: [1, 2, 3, 4, 5],
      }),
      DRAWS,
      36,
    );
    const precision = [1 + 0.5 * 2, 2 + 0.5 * 4, 3 + 0.5 * 6, 4 + 0.5 * 8, 5 + 0.5 * 4];
    for (let i = 0; i < 5; i++)
      expectMeanWithin4Mcse(
        column(draws, (d) => at(d.x, i) ** 2),
        1 / precision[i]!,
        `Var x${i}`,
      );
  });

  it("gamma α with β = 1: the precision is gamma(k·a, b) with k − 1 neighbours, so E[x²] = b/(k·a − 1)", () => {
    const a = 3;
    const b = 2;
    const chain = drawPrior(
      priorModel((m) => patternCoupled(m, "x", { size: 5, hyperprior: { shape: a, rate: b }, parameterization })),
      DRAWS,
      37,
    );
    expectMeanWithin4Mcse(
      column(chain, (d) => at(d.x, 0) ** 2),
      b / (2 * a - 1),
      "end of chain",
    );
    expectMeanWithin4Mcse(
      column(chain, (d) => at(d.x, 2) ** 2),
      b / (3 * a - 1),
      "inside the chain",
    );
    const grid = drawPrior(
      priorModel((m) => patternCoupled(m, "x", { grid: [3, 3], hyperprior: { shape: a, rate: b }, parameterization })),
      DRAWS,
      38,
    );
    expectMeanWithin4Mcse(
      column(grid, (d) => at(d.x, 0) ** 2),
      b / (3 * a - 1),
      "grid corner",
    );
    expectMeanWithin4Mcse(
      column(grid, (d) => at(d.x, 1) ** 2),
      b / (4 * a - 1),
      "grid edge",
    );
    expectMeanWithin4Mcse(
      column(grid, (d) => at(d.x, 4) ** 2),
      b / (5 * a - 1),
      "grid centre",
    );
  });
});

describe.each(BOTH)("turbo-VBI three-layer prior (%s)", (parameterization) => {
  const p01 = 0.2;
  const p10 = 0.3;
  const active = { shape: 3, rate: 2 };
  const inactive = { shape: 4, rate: 0.01 };
  const draws = drawPrior(
    priorModel((m) => turboVbi(m, "w", { size: 6, p01, p10, firstActive: 0.5, active, inactive, parameterization })),
    DRAWS,
    39,
  );

  it("the support is the Markov chain: P(s_i = 1) and P(s_i = s_(i+1) = 1)", () => {
    // The support is one vector latent of 0/1 entries (binary_markov_chain), not N scalars.
    expect(draws.every((d) => d.w_support instanceof Float64Array && d.w_support.length === 6)).toBe(true);
    let p = 0.5;
    for (let i = 0; i < 5; i++) {
      expectMeanWithin4Mcse(
        column(draws, (d) => at(d.w_support, i)),
        p,
        `P(s${i + 1} = 1)`,
      );
      expectMeanWithin4Mcse(
        column(draws, (d) => at(d.w_support, i) * at(d.w_support, i + 1)),
        p * (1 - p10),
        `P(s${i + 1} = s${i + 2} = 1)`,
      );
      p = p01 + p * (1 - p01 - p10);
    }
    expectMeanWithin4Mcse(
      column(draws, (d) => at(d.w_support, 5)),
      p,
      "P(s6 = 1)",
    );
  });

  it("given the support, ρ and x follow the active or inactive layer", () => {
    for (const [state, law] of [
      [1, active],
      [0, inactive],
    ] as const) {
      const rho: number[] = [];
      const tail: number[] = [];
      const scale = Math.sqrt(law.rate / law.shape);
      for (const d of draws) {
        for (let i = 0; i < 6; i++) {
          if (at(d.w_support, i) !== state) continue;
          rho.push(at(d.w_rho, i));
          tail.push(Math.abs(at(d.w, i)) > scale ? 1 : 0);
        }
      }
      expectMeanWithin4Mcse(rho, law.shape / law.rate, `E[ρ | s = ${state}]`);
      // x | s ~ student_t(2a, 0, √(b/a)) after integrating ρ out.
      expectMeanWithin4Mcse(tail, studentTail(scale, 2 * law.shape, scale), `P(|x| > scale | s = ${state})`);
    }
  });
});
