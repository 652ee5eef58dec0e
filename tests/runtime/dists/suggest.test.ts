import { describe, expect, it } from "vitest";
import { editDistance, suggestName } from "../../../src/runtime/dists/suggest.js";

describe("editDistance", () => {
  it.each([
    ["", "", 0],
    ["abc", "", 3],
    ["", "abc", 3],
    ["gamma", "gamma", 0],
    ["gamma", "gmama", 1],
    ["normal", "norm", 2],
    ["cauchy", "cauchi", 1],
    ["kitten", "sitting", 3],
    ["ca", "abc", 3],
  ])("%s → %s is %i", (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });
});

describe("suggestName", () => {
  const families = ["normal", "half_normal", "cauchy", "half_cauchy", "gamma", "beta", "poisson", "poisson_log"];

  it.each([
    ["half_cauchi", "half_cauchy"],
    ["halfCauchy", "half_cauchy"],
    ["HalfNormal", "half_normal"],
    ["norml", "normal"],
    ["gmama", "gamma"],
    ["poissonlog", "poisson_log"],
    ["beat", "beta"],
  ])("%s → %s", (name, expected) => {
    expect(suggestName(name, families)).toBe(expected);
  });

  it("suggests nothing when no candidate is plausibly a typo", () => {
    expect(suggestName("wishart", families)).toBeUndefined();
    expect(suggestName("x", families)).toBeUndefined();
    expect(suggestName("normal", [])).toBeUndefined();
  });

  it("prefers the nearer candidate and, on ties, the earlier one", () => {
    expect(suggestName("betas", ["beta", "betas_x"])).toBe("beta");
    expect(suggestName("ab", ["ax", "xb"])).toBe("ax");
  });
});
