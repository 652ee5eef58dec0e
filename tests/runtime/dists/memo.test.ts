import { describe, expect, it } from "vitest";
import { memoizeLast, memoizeLast2 } from "../../../src/runtime/dists/memo.js";

describe("memoizeLast", () => {
  it("computes once per distinct consecutive argument", () => {
    let calls = 0;
    const square = memoizeLast((a) => {
      calls++;
      return a * a;
    });
    expect([square(3), square(3), square(3)]).toEqual([9, 9, 9]);
    expect(calls).toBe(1);
    expect(square(4)).toBe(16);
    expect(square(3)).toBe(9);
    expect(calls).toBe(3);
  });

  it("never serves a remembered value for NaN", () => {
    let calls = 0;
    const f = memoizeLast((a) => {
      calls++;
      return a;
    });
    expect(f(Number.NaN)).toBeNaN();
    expect(f(Number.NaN)).toBeNaN();
    expect(calls).toBe(2);
  });
});

describe("memoizeLast2", () => {
  it("keys on both arguments", () => {
    let calls = 0;
    const sub = memoizeLast2((a, b) => {
      calls++;
      return a - b;
    });
    expect(sub(5, 2)).toBe(3);
    expect(sub(5, 2)).toBe(3);
    expect(sub(5, 3)).toBe(2);
    expect(sub(6, 3)).toBe(3);
    expect(calls).toBe(3);
  });
});
