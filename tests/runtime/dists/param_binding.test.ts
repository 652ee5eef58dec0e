import { describe, expect, it } from "vitest";
import { POSITIVE, REAL, type Support } from "../../../src/core/support.js";
import { createParamBinder } from "../../../src/runtime/dists/param_binding.js";

const specs = { loc: { rank: 0, support: REAL, default: 0 }, scale: { rank: 0, support: POSITIVE } } as const;
const requirement = (s: Support) => `be ${s.kind}`;

describe("createParamBinder", () => {
  it("boxes numbers, substitutes defaults, sets strides and leaves extra slots as broadcast zeros", () => {
    const binder = createParamBinder("f()", ["loc", "scale"], specs, requirement, 3);
    const scale = new Float64Array([1, 2, 3]);
    expect(binder.bind({ scale }, 3, true)).toBe(true);
    expect(binder.data[0]![0]).toBe(0);
    expect(binder.data[1]).toBe(scale);
    expect(binder.data[2]![0]).toBe(0);
    expect([...binder.strides]).toEqual([0, 1, 0]);
    const box = binder.data[0];
    expect(binder.bind({ loc: 4, scale: new Float64Array([5]) }, 3, true)).toBe(true);
    // The number goes into the same preallocated box: binding does not allocate.
    expect(binder.data[0]).toBe(box);
    expect(binder.data[0]![0]).toBe(4);
    expect([...binder.strides]).toEqual([0, 0, 0]);
  });

  it("reports values outside the support as false, or throws when strict", () => {
    const binder = createParamBinder("f()", ["loc", "scale"], specs, requirement);
    expect(binder.bind({ scale: new Float64Array([1, -1]) }, 2, false)).toBe(false);
    expect(() => binder.bind({ scale: new Float64Array([1, -1]) }, 2, true)).toThrow(
      "f(): parameter 'scale' must be positive — got -1 at element 1.",
    );
    expect(() => binder.bind({ scale: 0 }, 2, true)).toThrow("f(): parameter 'scale' must be positive — got 0.");
  });

  it("still checks shapes after an invalid value and names missing parameters", () => {
    const binder = createParamBinder("f()", ["scale", "loc"], specs, requirement);
    expect(() => binder.bind({ scale: -1, loc: new Float64Array(2) }, 3, false)).toThrow(
      "f(): parameter 'loc' does not broadcast against the value — got vector[2], expected a scalar or vector[3].",
    );
    expect(() => binder.bind({ loc: 1 }, 1, false)).toThrow(
      "f(): missing parameter 'scale' — got parameters {loc}, expected {scale, loc}.",
    );
  });
});
