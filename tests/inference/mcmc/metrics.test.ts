import { describe, expect, it } from "vitest";
import { DomainError, ShapeError } from "../../../src/core/errors.js";
import {
  buildMetric,
  createMetricCache,
  identityInverseMassMatrix,
  type MetricKind,
} from "../../../src/inference/mcmc/metrics.js";
import { createRng } from "../../../src/runtime/rng/index.js";

// Inverse mass matrix M⁻¹ = [[2, 0.6, 0], [0.6, 1, -0.3], [0, -0.3, 0.5]] and its inverse M.
const INV = new Float64Array([2, 0.6, 0, 0.6, 1, -0.3, 0, -0.3, 0.5]);

function invert3(a: Float64Array): Float64Array {
  const [a00, a01, a02, a10, a11, a12, a20, a21, a22] = a;
  const c00 = a11 * a22 - a12 * a21;
  const c01 = a12 * a20 - a10 * a22;
  const c02 = a10 * a21 - a11 * a20;
  const det = a00 * c00 + a01 * c01 + a02 * c02;
  return new Float64Array([
    c00 / det,
    (a02 * a21 - a01 * a22) / det,
    (a01 * a12 - a02 * a11) / det,
    c01 / det,
    (a00 * a22 - a02 * a20) / det,
    (a02 * a10 - a00 * a12) / det,
    c02 / det,
    (a01 * a20 - a00 * a21) / det,
    (a00 * a11 - a01 * a10) / det,
  ]);
}

const cases: [MetricKind, Float64Array, Float64Array][] = [
  ["unit", new Float64Array(0), new Float64Array([1, 0, 0, 0, 1, 0, 0, 0, 1])],
  ["diag", new Float64Array([2, 1, 0.5]), new Float64Array([0.5, 0, 0, 0, 1, 0, 0, 0, 2])],
  ["dense", INV, invert3(INV)],
];

describe.each(cases)("%s metric", (kind, inverseMassMatrix, mass) => {
  const metric = buildMetric(kind, 3, inverseMassMatrix);

  it("draws momenta with covariance M", () => {
    const rng = createRng(17);
    const n = 40000;
    const p = new Float64Array(3);
    const sums = new Float64Array(9);
    for (let k = 0; k < n; k++) {
      metric.sampleMomentum(rng, p);
      for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) sums[i * 3 + j] += p[i] * p[j];
    }
    // The sample covariance of n iid normals has sd √((M_ii·M_jj + M_ij²)/n) per entry; 5 sd bound.
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        const sd = Math.sqrt((mass[i * 3 + i] * mass[j * 3 + j] + mass[i * 3 + j] ** 2) / n);
        expect(Math.abs(sums[i * 3 + j] / n - mass[i * 3 + j])).toBeLessThan(5 * sd);
      }
    }
  });

  it("has velocity M⁻¹p and kinetic energy ½pᵀM⁻¹p", () => {
    const p = new Float64Array([0.3, -1.1, 2]);
    const v = new Float64Array(3);
    metric.velocity(p, v);
    const full = kind === "unit" ? cases[0][2] : kind === "diag" ? invert3(mass) : INV;
    for (let i = 0; i < 3; i++) {
      const expected = full[i * 3] * p[0] + full[i * 3 + 1] * p[1] + full[i * 3 + 2] * p[2];
      expect(v[i]).toBeCloseTo(expected, 14);
    }
    expect(metric.kineticEnergy(p)).toBeCloseTo(0.5 * (p[0] * v[0] + p[1] * v[1] + p[2] * v[2]), 14);
  });
});

describe("metric construction", () => {
  it("rejects wrong sizes, non-positive diagonals and non-positive-definite matrices", () => {
    expect(() => buildMetric("diag", 3, new Float64Array(2))).toThrow(ShapeError);
    expect(() => buildMetric("dense", 2)).toThrow(/inverse mass matrix has the wrong size — got none, expected 4/);
    expect(() => buildMetric("diag", 2, new Float64Array([1, 0]))).toThrow(DomainError);
    expect(() => buildMetric("dense", 2, new Float64Array([1, 2, 2, 1]))).toThrow(/not positive definite/);
    expect(() => buildMetric("dense", 2, new Float64Array([1, 0.5, 0.4, 1]))).toThrow(/must be symmetric/);
  });

  it("identity matrices of each kind", () => {
    expect(Array.from(identityInverseMassMatrix("diag", 2))).toEqual([1, 1]);
    expect(Array.from(identityInverseMassMatrix("dense", 2))).toEqual([1, 0, 0, 1]);
    expect(identityInverseMassMatrix("unit", 2).length).toBe(0);
  });

  it("caches the factorisation by array identity", () => {
    const metricFor = createMetricCache("dense", 3);
    const a = metricFor(INV);
    expect(metricFor(INV)).toBe(a);
    expect(metricFor(INV.slice())).not.toBe(a);
  });
});
