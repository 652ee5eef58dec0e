import { describe, expect, it } from "vitest";
import { eightSchoolsData, eightSchoolsNoncentered } from "../../../examples/models/eight_schools.js";
import { CapabilityError, DataError, DomainError } from "../../../src/core/errors.js";
import { type SampleOptions, type SampleProgress, sample } from "../../../src/inference/mcmc/index.js";
import type { ModelData } from "../../../src/inference/model/index.js";
import type { ModelGraph } from "../../../src/ir/index.js";
import { model, normal, poisson, sqrt } from "../../../src/lang/builder/index.js";
import { createDefaultRegistry } from "../../../src/runtime/dists/index.js";

/**
 * Issue 7, acceptance 5: bad input is refused with a clear error before sampling starts, through
 * the model-graph entry point, in this thread and with worker threads alike (the worker path
 * checks in this thread before any worker starts, so the error is the same object type and text).
 */
const families = createDefaultRegistry();

const withDiscreteLatent = model(
  "counts",
  ({ param }) => {
    param("k", poisson({ rate: 3 }));
    param("x", normal({ loc: 0, scale: 1 }));
  },
  { families },
);

// sqrt of a negative number everywhere: the log density is NaN at every point. A NaN made from
// ordinary finite numbers is a bug in the model, not a point outside the support: the compiled
// density names the factor and the operation at the first initial point tried.
const nanEverywhere = model(
  "broken",
  ({ param, factor }) => {
    const x = param("x", normal({ loc: 0, scale: 1 }), { size: 2 });
    factor(sqrt(x.sum().mul(x.sum()).add(1).neg()));
  },
  { families },
);

async function refusal(graph: ModelGraph, data: ModelData, options: SampleOptions): Promise<unknown> {
  const seen: SampleProgress[] = [];
  try {
    await sample(graph, data, { ...options, onProgress: (p) => seen.push(p) });
  } catch (error) {
    // Not one iteration ran: the error came before sampling.
    expect(seen).toEqual([]);
    return error;
  }
  throw new Error("sampling was not refused");
}

describe.each([
  { label: "in this thread", workers: 1 },
  { label: "with two workers", workers: 2 },
])("sample refuses bad input before sampling ($label)", ({ workers }) => {
  it("a model with a discrete latent", async () => {
    const error = await refusal(withDiscreteLatent, {}, { workers });
    expect(error).toBeInstanceOf(CapabilityError);
    expect((error as Error).message).toBe(
      "nuts: latent 'k' is discrete; NUTS needs gradients for every latent. Hint: marginalise 'k' out of the model or use smc.",
    );
  });

  it("a log density that is NaN everywhere", async () => {
    const error = await refusal(nanEverywhere, {}, { workers, numChains: 2 });
    expect(error).toBeInstanceOf(DomainError);
    expect((error as Error).message).toMatch(
      /^factor 'factor_1': the log density is NaN: an operation was applied outside its domain — got sqrt\(-\d[\d.e+-]*\), expected an argument ≥ 0\. Hint: a factor must be a number \(or -Infinity\) wherever the parameters are inside their supports; /,
    );
  });

  it("data of the wrong shape, or missing", async () => {
    const short = await refusal(
      eightSchoolsNoncentered,
      { ...eightSchoolsData, y: [28, 8, -3, 7, -1, 1, 18] },
      { workers },
    );
    expect(short).toBeInstanceOf(DataError);
    expect((short as Error).message).toBe(
      "data 'y': wrong length — got vector[7], expected vector[8] (vector[J] with J = 8) of reals.",
    );
    const scalar = await refusal(eightSchoolsNoncentered, { ...eightSchoolsData, J: [8] }, { workers });
    expect((scalar as Error).message).toBe(
      "data 'J': wrong shape — got vector[1], expected an integer ≥ 0. Hint: pass the number itself, not a one-element array.",
    );
    const missing = await refusal(eightSchoolsNoncentered, { J: 8, y: eightSchoolsData.y }, { workers });
    expect((missing as Error).message).toBe(
      "data 'sigma': missing field — expected vector[8] (vector[J] with J = 8) of reals. Hint: add 'sigma' to the data passed to compile().",
    );
  });

  it("numChains ≤ 0", async () => {
    for (const numChains of [0, -1]) {
      const error = await refusal(eightSchoolsNoncentered, eightSchoolsData, { workers, numChains });
      expect(error).toBeInstanceOf(DomainError);
      expect((error as Error).message).toBe(
        `nuts: numChains must be an integer ≥ 1 — got ${numChains}, expected an integer ≥ 1.`,
      );
    }
  });
});

describe("sample's call forms", () => {
  it("refuses data given with an already compiled model", async () => {
    const { compile } = await import("../../../src/inference/model/index.js");
    const compiled = compile(eightSchoolsNoncentered, eightSchoolsData, families);
    await expect(sample(compiled, { J: 8 }, { numChains: 1 })).rejects.toThrow(
      "sample(): data were given with an already compiled model — got fields J. Hint: compile the model with its data, or pass the model graph: sample(graph, data, options).",
    );
  });

  it("explains an unknown source and a missing module export", async () => {
    await expect(sample({ nonsense: true } as unknown as ModelGraph, {})).rejects.toThrow(
      /^sample\(\): unknown model source/,
    );
    const module = new URL("./fixtures/chain_models.ts", import.meta.url);
    await expect(sample({ module, export: "nothing" }, {})).rejects.toThrow(
      /^sample\(\): module file:.*chain_models\.ts has no export 'nothing' — expected one of 'customFamilies', .*'scaledGaussian'\.$/,
    );
  });
});
