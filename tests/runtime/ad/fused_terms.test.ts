import { describe, expect, it } from "vitest";
import { POSITIVE, REAL } from "../../../src/core/support.js";
import { ALL_TERMS, compileProgram, type ProgramNode, type Term } from "../../../src/runtime/ad/index.js";
import type { Distribution } from "../../../src/runtime/dists/distribution.js";
import { normal, scalarFamily, studentT } from "../../../src/runtime/dists/index.js";

/**
 * Density terms of scalar families are evaluated by their element kernels in generated loops, with
 * the elementwise chain computing a parameter fused into the term's loop. These tests hold that
 * path to what the families' own broadcasting methods compute.
 */

const N = 6;
const y = Float64Array.of(0.4, -1.3, 2.2, 0.1, -0.6, 1.7);
const x = Float64Array.of(1, 0, 2, 1, 0, 3);
const LIKELIHOOD = { prior: false, likelihood: true, jacobian: false };

/**
 * θ = (u[0..N), b, s): loc = u·x + b (fused chain), scale = exp(u) (fused chain, a per-element
 * scale), y ~ family(loc, scale) plus y ~ student_t(4, loc, s) with a scalar scale s.
 */
function program(family: Distribution): { nodes: ProgramNode[]; terms: Term[]; dimension: number } {
  const nodes: ProgramNode[] = [
    { op: "latent", offset: 0, unconstrainedSize: N, discrete: false, size: N, scalar: false }, // 0 u
    { op: "latent", offset: N, unconstrainedSize: 1, discrete: false, size: 1, scalar: true }, // 1 b
    { op: "latent", offset: N + 1, unconstrainedSize: 1, discrete: false, size: 1, scalar: true }, // 2 s
    { op: "const", value: x, size: N, scalar: false }, // 3
    { op: "binary", fn: "mul", a: 0, b: 3, size: N, scalar: false }, // 4
    { op: "binary", fn: "add", a: 4, b: 1, size: N, scalar: false }, // 5 loc
    { op: "unary", fn: "exp", x: 0, size: N, scalar: false }, // 6 scale
    { op: "const", value: y, size: N, scalar: false }, // 7
    { op: "const", value: 4, size: 1, scalar: true }, // 8 df
    { op: "binary", fn: "mul", a: 4, b: 1, size: N, scalar: false }, // 9 second loc: u·x·b
  ];
  const terms: Term[] = [
    {
      kind: "density",
      dist: family,
      value: 7,
      params: { loc: 5, scale: 6 },
      part: "likelihood",
      shape: [N],
      samples: false,
    },
    {
      kind: "density",
      dist: studentT,
      value: 7,
      params: { df: 8, loc: 9, scale: 2 },
      part: "likelihood",
      shape: [N],
      samples: false,
    },
  ];
  return { nodes, terms, dimension: N + 2 };
}

/** The same density through the families' own methods. */
function reference(family: Distribution, theta: Float64Array): number {
  const u = theta.subarray(0, N);
  const b = theta[N]!;
  const s = theta[N + 1]!;
  const loc = u.map((v, i) => v * x[i]! + b);
  const scale = u.map(Math.exp);
  const loc2 = u.map((v, i) => v * x[i]! * b);
  return family.logDensity(y, { loc, scale }) + studentT.logDensity(y, { df: 4, loc: loc2, scale: s });
}

const points = [
  Float64Array.of(0.3, -0.2, 0.5, 0.1, -0.4, 0.2, 0.7, 1.3),
  Float64Array.of(-0.5, 0.4, -0.1, 0.3, 0.2, -0.6, -1.1, 0.4),
];

describe("fused scalar-family terms", () => {
  it("equal the families' own densities; partials match central differences", () => {
    const pair = compileProgram(program(normal)).density(LIKELIHOOD);
    for (const theta of points) {
      const grad = new Float64Array(N + 2);
      const lp = pair.logDensityAndGrad(theta, grad);
      expect(lp).toBe(pair.logDensity(theta));
      expect(Math.abs(lp - reference(normal, theta))).toBeLessThan(1e-12 * Math.abs(lp));
      for (let i = 0; i < N + 2; i++) {
        const up = theta.slice();
        const down = theta.slice();
        up[i]! += 1e-6;
        down[i]! -= 1e-6;
        const numeric = (pair.logDensity(up) - pair.logDensity(down)) / 2e-6;
        expect(Math.abs(grad[i]! - numeric)).toBeLessThan(1e-6 * Math.max(1, Math.abs(numeric)));
      }
    }
  });

  it("compute the parameters in the term's loop: no stored loc, no call through the family object", () => {
    const compiled = compileProgram(program(normal));
    compiled.density(ALL_TERMS);
    const source = compiled.source("grad:PLJ")!;
    expect(source).not.toContain("b5[k] =");
    expect(source).not.toContain(".logDensityGrad(");
    expect(source).not.toContain("new ");
  });

  it("are −∞ with zero gradient when a parameter leaves its support", () => {
    const pair = compileProgram(program(normal)).density(LIKELIHOOD);
    const grad = new Float64Array(N + 2).fill(7);
    // s < 0: student_t's scalar scale is outside its support.
    const negative = Float64Array.of(0.3, -0.2, 0.5, 0.1, -0.4, 0.2, 0.7, -1);
    expect(pair.logDensityAndGrad(negative, grad)).toBe(Number.NEGATIVE_INFINITY);
    expect(pair.logDensity(negative)).toBe(Number.NEGATIVE_INFINITY);
    expect([...grad]).toEqual(new Array(N + 2).fill(0));
    // u[0] = 800: exp overflows, so the per-element scale is +∞ and loc·b is finite; scale ∉ (0, ∞).
    const overflow = Float64Array.of(800, -0.2, 0.5, 0.1, -0.4, 0.2, 0.7, 1);
    expect(pair.logDensity(overflow)).toBe(Number.NEGATIVE_INFINITY);
    // b = +∞ makes loc non-finite: a REAL parameter must be finite even where the element density
    // would stay finite (a capped quadratic ignores how far away loc is).
    const capped = scalarFamily({
      family: "capped",
      params: { loc: { rank: 0, support: REAL }, scale: { rank: 0, support: POSITIVE } },
      paramOrder: ["loc", "scale"],
      discrete: false,
      support: () => REAL,
      elementLogDensity: (v, loc) => -Math.min((v - loc) ** 2, 1),
      elementLogDensityGrad: (v, loc, _s, _c, g) => {
        const inside = (v - loc) ** 2 < 1;
        g[0] = inside ? -2 * (v - loc) : 0;
        g[1] = -g[0];
        g[2] = 0;
        return -Math.min((v - loc) ** 2, 1);
      },
      elementSample: (_rng, loc) => loc,
    });
    const cappedProgram = program(capped);
    const cappedPair = compileProgram({ ...cappedProgram, terms: cappedProgram.terms.slice(0, 1) }).density(LIKELIHOOD);
    const infinite = Float64Array.of(0.3, -0.2, 0.5, 0.1, -0.4, 0.2, Number.POSITIVE_INFINITY, 1);
    expect(capped.logDensity(y, { loc: Float64Array.of(Number.POSITIVE_INFINITY), scale: 1 })).toBe(
      Number.NEGATIVE_INFINITY,
    );
    expect(cappedPair.logDensity(infinite)).toBe(Number.NEGATIVE_INFINITY);
    expect(cappedPair.logDensityAndGrad(infinite, grad)).toBe(Number.NEGATIVE_INFINITY);
    expect(cappedPair.logDensity(points[0]!)).toBeGreaterThan(Number.NEGATIVE_INFINITY);
  });

  it("serve families without declared constants and fill in default arguments", () => {
    // normal written without per-parameter constants, with a default scale.
    const plainNormal = scalarFamily({
      family: "plain_normal",
      params: { loc: { rank: 0, support: REAL }, scale: { rank: 0, support: POSITIVE, default: 2 } },
      paramOrder: ["loc", "scale"],
      discrete: false,
      support: () => REAL,
      elementLogDensity: (v, loc, scale) => normal.logDensity(v, { loc, scale }),
      elementLogDensityGrad: (v, loc, scale, _c, g) => {
        const z = (v - loc) / scale;
        g[0] = -z / scale;
        g[1] = z / scale;
        g[2] = (z * z - 1) / scale;
        return normal.logDensity(v, { loc, scale });
      },
      elementSample: (rng, loc, scale) => loc + scale * rng.normal(),
    });
    const built = program(plainNormal);
    const terms: Term[] = [{ ...(built.terms[0] as Term & { kind: "density" }), params: { loc: 5 } }];
    const pair = compileProgram({ ...built, terms }).density(LIKELIHOOD);
    const theta = points[0]!;
    const loc = theta.subarray(0, N).map((v, i) => v * x[i]! + theta[N]!);
    const grad = new Float64Array(N + 2);
    const lp = pair.logDensityAndGrad(theta, grad);
    expect(lp).toBeCloseTo(normal.logDensity(y, { loc, scale: 2 }), 12);
    // ∂/∂b = Σ (y − loc) / 4.
    const expected = [...y].reduce((s, v, i) => s + (v - loc[i]!) / 4, 0);
    expect(grad[N]).toBeCloseTo(expected, 12);
  });

  it("call a copy of a scalar family through the copy's own methods", () => {
    // A copy with an overridden density must not be evaluated with the original's element kernel.
    const shifted: Distribution = {
      ...normal,
      logDensity: (v, p) => normal.logDensity(v, p) + 1,
      logDensityGrad: (v, p, out) => normal.logDensityGrad!(v, p, out) + 1,
    };
    const pair = compileProgram(program(shifted)).density(LIKELIHOOD);
    const theta = points[1]!;
    expect(pair.logDensity(theta)).toBeCloseTo(reference(normal, theta) + 1, 10);
    expect(pair.logDensityAndGrad(theta, new Float64Array(N + 2))).toBeCloseTo(reference(normal, theta) + 1, 10);
  });
});
