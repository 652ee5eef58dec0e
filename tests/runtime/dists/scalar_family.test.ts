import { describe, expect, it } from "vitest";
import { halfNormal, multiNormal, normal, studentT } from "../../../src/runtime/dists/index.js";
import { elementKernel } from "../../../src/runtime/dists/scalar_family.js";

describe("elementKernel", () => {
  it("exposes the element functions of scalar families only, never of a copy", () => {
    const k = elementKernel(normal)!;
    expect(k.paramOrder).toEqual(["loc", "scale"]);
    expect(k.supports.map((s) => s.kind)).toEqual(["real", "positive"]);
    expect(k.constants?.params).toEqual([1]);
    expect(elementKernel(studentT)?.paramOrder).toEqual(["df", "loc", "scale"]);
    expect(elementKernel({ ...normal })).toBeUndefined();
    expect(elementKernel(multiNormal)).toBeUndefined();
  });

  it("with its constants reproduces the family's density and partials for one element", () => {
    for (const [dist, params] of [
      [normal, [0.3, 1.7, 0]],
      [halfNormal, [1.7, 0, 0]],
    ] as const) {
      const k = elementKernel(dist)!;
      const c = new Float64Array(k.constants!.size);
      k.constants!.compute(params[0], params[1], params[2], c);
      const g = new Float64Array(4);
      const lp = k.logDensityGrad(0.9, params[0], params[1], params[2], g, c);
      const named = Object.fromEntries(k.paramOrder.map((name, m) => [name, params[m]!]));
      const out = {
        x: new Float64Array(1),
        params: Object.fromEntries(k.paramOrder.map((n) => [n, new Float64Array(1)])),
      };
      expect(lp).toBe(dist.logDensityGrad!(0.9, named, out));
      expect(k.logDensity(0.9, params[0], params[1], params[2], c)).toBe(lp);
      expect(g[0]).toBe(out.x[0]);
      k.paramOrder.forEach((name, m) => {
        expect(g[m + 1]).toBe(out.params[name]![0]);
      });
    }
  });
});

describe("per-parameter constants", () => {
  it("are recomputed element by element when the parameter they depend on is a vector", () => {
    // A vector scale takes the per-element path; each element must match a scalar-scale call.
    const x = Float64Array.of(0.4, -1.3, 2.2);
    const loc = Float64Array.of(0.1, 0.2, -0.3);
    const scale = Float64Array.of(0.5, 1.5, 3);
    const out = { x: new Float64Array(3), params: { loc: new Float64Array(3), scale: new Float64Array(3) } };
    const lp = normal.logDensityGrad!(x, { loc, scale }, out);
    let sum = 0;
    for (let i = 0; i < 3; i++) {
      const one = { x: new Float64Array(1), params: { loc: new Float64Array(1), scale: new Float64Array(1) } };
      sum += normal.logDensityGrad!(x[i]!, { loc: loc[i]!, scale: scale[i]! }, one);
      expect(out.x[i]).toBeCloseTo(one.x[0]!, 14);
      expect(out.params.scale[i]).toBeCloseTo(one.params.scale[0]!, 14);
    }
    expect(lp).toBeCloseTo(sum, 12);
    expect(normal.logDensity(x, { loc, scale })).toBe(lp);
  });

  it("follow the scale from one call to the next (no stale constants)", () => {
    const x = Float64Array.of(0.4, -1.3);
    const a = normal.logDensity(x, { loc: 0, scale: 2 });
    normal.logDensity(x, { loc: 0, scale: 5 });
    expect(normal.logDensity(x, { loc: 0, scale: 2 })).toBe(a);
    expect(halfNormal.logDensity(Float64Array.of(0.5), { scale: 2 })).toBeCloseTo(
      Math.log(2) - 0.5 * Math.log(2 * Math.PI) - Math.log(2) - 0.5 * 0.0625,
      14,
    );
  });
});
