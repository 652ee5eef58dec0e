import { describe, expect, it } from "vitest";
import { type CompiledModel, compile } from "../../../../src/inference/model/index.js";
import { type ModelContext, model } from "../../../../src/lang/builder/index.js";
import {
  ard,
  blockArd,
  horseshoe,
  kroneckerArd,
  laplaceMixture,
  type Parameterization,
  patternCoupled,
  regularizedHorseshoe,
  spikeAndSlab,
  studentTMixture,
  turboVbi,
} from "../../../../src/lang/builder/priors/index.js";
import { createDefaultRegistry, type Value } from "../../../../src/runtime/dists/index.js";
import { createRng } from "../../../../src/runtime/rng/index.js";
import { at } from "./reference.js";

/*
 * Acceptance 2: the centred and non-centred forms of every prior are the same distribution.
 * The non-centred model draws z and sets x = T(z, scales); the centred model draws x directly.
 * By the change of variables, log p_nc(z, rest) = log p_c(T(z), rest) + log|det ∂T/∂z|, with
 * log|det ∂T/∂z| = Σ log|x_i/z_i| for x = z·scale (the block-correlated form has its own
 * triangular factor). The check evaluates both compiled models at corresponding points — the
 * non-centred θ from its prior, the centred θ = unconstrain(x, rest) — on the constrained scale
 * (jacobian: false) and on the unconstrained scale (jacobian: true, where the scales' own
 * bijector terms are common to both), and requires log p_nc − log|det| − log p_c to be the same
 * constant at every point. Both densities are normalised, so the constant is 0; a wrong
 * Jacobian, a missing normalising term or a scale that differs between the forms breaks it.
 */
const registry = createDefaultRegistry();
const POINTS = 8;

interface Case {
  readonly label: string;
  readonly build: (m: ModelContext, parameterization: Parameterization) => void;
  readonly hyper?: Record<string, number[]>;
  /** log|det ∂x/∂z| at a non-centred point (default Σ log|x_i/z_i|). */
  readonly logJacobian?: (values: Record<string, Value>) => number;
  /** Centred latents from the non-centred values (default: same names, x from the deterministic). */
  readonly centred?: (values: Record<string, Value>) => Record<string, Value>;
}

function compiled(c: Case, parameterization: Parameterization, jacobian: boolean): CompiledModel {
  const graph = model(`${c.label}_${parameterization}`, (m) => c.build(m, parameterization), { families: registry });
  return compile(graph, {}, registry, { jacobian, ...(c.hyper ? { hyper: c.hyper } : {}) });
}

function ratioJacobian(values: Record<string, Value>): number {
  const x = values.x as Float64Array;
  const z = values.x_z as Float64Array;
  let s = 0;
  for (let i = 0; i < x.length; i++) s += Math.log(Math.abs(x[i]! / z[i]!));
  return s;
}

/** log p_nc − log|det| − log p_c at each of the points. */
function offsets(c: Case, jacobian: boolean): number[] {
  const nc = compiled(c, "noncentered", jacobian);
  const ce = compiled(c, "centered", jacobian);
  const rng = createRng(41);
  const out: number[] = [];
  for (let k = 0; k < POINTS; k++) {
    const theta = nc.samplePrior(rng);
    const values = { ...nc.constrainedValues(theta), ...nc.deterministics(theta) };
    const named = c.centred?.(values) ?? Object.fromEntries(ce.layout.map((v) => [v.name, values[v.name]!]));
    const thetaC = ce.unconstrain(named);
    out.push(nc.logDensity(theta) - (c.logJacobian ?? ratioJacobian)(values) - ce.logDensity(thetaC));
  }
  return out;
}

const blockSizes = [3, 2];
const r = 0.6;

const CASES: readonly Case[] = [
  {
    label: "ard_hyper",
    build: (m, p) => ard(m, "x", { size: 5, parameterization: p }),
    hyper: { x_alpha: [0.5, 1, 2, 4, 8] },
  },
  {
    label: "ard_gamma",
    build: (m, p) => ard(m, "x", { size: 5, hyperprior: { shape: 2, rate: 1 }, parameterization: p }),
  },
  { label: "horseshoe", build: (m, p) => horseshoe(m, "x", { size: 5, globalScale: 0.3, parameterization: p }) },
  {
    label: "horseshoe_t",
    build: (m, p) => horseshoe(m, "x", { size: 5, localDf: 3, globalDf: 2, parameterization: p }),
  },
  {
    label: "rhs",
    build: (m, p) =>
      regularizedHorseshoe(m, "x", { size: 5, expectedNonZeros: 2, numObservations: 50, parameterization: p }),
  },
  {
    label: "rhs_fixed",
    build: (m, p) => regularizedHorseshoe(m, "x", { size: 5, slabDf: Number.POSITIVE_INFINITY, parameterization: p }),
  },
  { label: "laplace", build: (m, p) => laplaceMixture(m, "x", { size: 5, scale: 0.7, parameterization: p }) },
  { label: "student_t", build: (m, p) => studentTMixture(m, "x", { size: 5, df: 4, scale: 2, parameterization: p }) },
  {
    label: "spike_relaxed",
    build: (m, p) => spikeAndSlab(m, "x", { size: 5, inclusion: { alpha: 1, beta: 3 }, parameterization: p }),
  },
  {
    label: "spike_discrete",
    build: (m, p) =>
      spikeAndSlab(m, "x", { size: 5, form: "discrete", spikeScale: 0.1, inclusion: 0.4, parameterization: p }),
  },
  {
    label: "kronecker",
    build: (m, p) => kroneckerArd(m, "x", { dims: [2, 3], hyperprior: { shape: 2, rate: 2 }, parameterization: p }),
  },
  {
    label: "block",
    build: (m, p) => blockArd(m, "x", { blockSizes, parameterization: p }),
    hyper: { x_alpha: [4, 0.25] },
  },
  {
    label: "block_ar1",
    build: (m, p) =>
      blockArd(m, "x", { blockSizes, correlation: r, hyperprior: { shape: 2, rate: 1 }, parameterization: p }),
    // x = diag(s) L z with L lower triangular: diagonal 1 at a block's start, √(1 − r²) elsewhere.
    logJacobian: (v) => {
      let s = 0;
      [0, 0, 0, 1, 1].forEach((b) => {
        s += -0.5 * Math.log(at(v.x_alpha, b));
      });
      return s + (5 - blockSizes.length) * 0.5 * Math.log(1 - r * r);
    },
    // Centred latents hold position j of every block: x_pos1 = [x0, x3], x_pos2 = [x1, x4], x_pos3 = [x2].
    centred: (v) => ({
      x_alpha: v.x_alpha!,
      x_pos1: Float64Array.of(at(v.x, 0), at(v.x, 3)),
      x_pos2: Float64Array.of(at(v.x, 1), at(v.x, 4)),
      x_pos3: Float64Array.of(at(v.x, 2)),
    }),
  },
  {
    label: "pc_sbl",
    build: (m, p) =>
      patternCoupled(m, "x", { size: 5, coupling: 0.7, hyperprior: { shape: 2, rate: 1 }, parameterization: p }),
  },
  { label: "turbo_vbi", build: (m, p) => turboVbi(m, "x", { size: 4, parameterization: p }) },
];

describe.each(CASES)("$label: centred and non-centred densities agree", (c) => {
  it.each([false, true])("jacobian %s: log p_nc − log|∂x/∂z| − log p_c is 0 at every point", (jacobian) => {
    const d = offsets(c, jacobian);
    for (const v of d) expect(Math.abs(v)).toBeLessThan(1e-10);
  });
});

describe("the comparison can fail", () => {
  it("a non-centred density without its Jacobian differs from the centred one", () => {
    const c = CASES.find((k) => k.label === "horseshoe")!;
    const wrong = offsets({ ...c, logJacobian: () => 0 }, false);
    expect(Math.max(...wrong) - Math.min(...wrong)).toBeGreaterThan(0.1);
  });
});
