import { describe, expect, it } from "vitest";
import { checkCommand } from "../../src/cli/check.js";
import { EXIT_FAILURE, EXIT_OK } from "../../src/cli/shared.js";
import { describeShared } from "../helpers/shared.js";
import {
  ARD_MODEL,
  ardData,
  dataPath,
  exampleModels,
  LOGISTIC_DATA,
  modelPath,
  NEEDS_DATA,
  POSTERIORDB,
} from "./examples.js";
import { memoryIo } from "./memory_io.js";

/** The latent names of a model, read off the parameters section of `check`'s output. */
function parameterNames(out: string): string[] {
  const section = out.split("\nparameters (")[1]!.split("\n\n")[0]!;
  return section
    .split("\n")
    .slice(1)
    .map((line) => line.trim().split(/\s+/)[0]!);
}

describe("sprig check without data", () => {
  for (const name of exampleModels()) {
    it(`${name}: ${NEEDS_DATA.has(name) ? "asks for the data" : "summarises the declarations"}`, async () => {
      const io = memoryIo();
      const code = await checkCommand([modelPath(name)], io);
      if (NEEDS_DATA.has(name)) {
        // These models unroll loops over data: the error says so, located in the file.
        expect(code).toBe(EXIT_FAILURE);
        expect(io.err()).toMatch(new RegExp(`^examples/models/${name}\\.sprig:\\d+:\\d+: `));
        return;
      }
      expect(code).toBe(EXIT_OK);
      expect(io.err()).toBe("");
      expect(io.out()).toContain(`model '${name}' (examples/models/${name}.sprig): parsed and lowered`);
      expect(io.out()).toContain("gradient-based (sample, vi): every latent is continuous");
      expect(parameterNames(io.out()).length).toBeGreaterThan(0);
    });
  }

  it("shows declared types and symbolic shapes", async () => {
    const io = memoryIo();
    expect(await checkCommand([modelPath("eight_schools_noncentered")], io)).toBe(EXIT_OK);
    expect(io.out()).toMatch(/\n {2}sigma\s+vector<lower=0>\[J\]\n/);
    expect(io.out()).toMatch(/\n {2}theta_trans\s+vector\[J\]\s+~ normal\(loc=0, scale=1\)\s+\[noncentered\]\n/);
    expect(io.out()).toContain("transformed parameters (1, kept with every draw): theta vector[J]");
    expect(io.out()).toContain("y ~ normal(loc=theta, scale=sigma)");
  });
});

describeShared("sprig check with posteriordb data", ["posteriordb"], () => {
  for (const [name, posterior] of Object.entries(POSTERIORDB)) {
    it(`${name}: compiles, and NUTS/VI can run it`, async () => {
      const io = memoryIo();
      expect(await checkCommand([modelPath(name), "--data", dataPath(posterior)], io)).toBe(EXIT_OK);
      const out = io.out();
      expect(out).toContain(`parsed, lowered and compiled with ${dataPath(posterior)}`);
      expect(out).toMatch(
        /gradient-based \(sample, vi\): yes — \d+ continuous coordinates?; log density and gradient finite/,
      );
      expect(out).toContain("EM-SBL (sbl): no — no sparse prior");
      expect(out.split("\n").length).toBeLessThan(60);
    });
  }

  it("eight schools: concrete shapes, supports and the data's sizes", async () => {
    const io = memoryIo();
    const data = dataPath(POSTERIORDB.eight_schools_noncentered!);
    expect(await checkCommand([modelPath("eight_schools_noncentered"), "--data", data], io)).toBe(EXIT_OK);
    expect(io.out()).toContain("parameters (3 latents, 10 unconstrained coordinates):");
    expect(io.out()).toMatch(/\n {2}tau\s+real\s+\(0, ∞\)\s+~ half_cauchy\(scale=5\)\n/);
    expect(io.out()).toMatch(/\n {2}theta_trans\s+vector\[8\]\s+\(-∞, ∞\)/);
    expect(io.out()).toMatch(/\n {2}J\s+int<lower=0>\s+= 8\n/);
    expect(io.out()).toContain("theta vector[8]");
  });
});

describe("sprig check: backends and errors", () => {
  it("a sparse regression: EM-SBL detects the ARD block", async () => {
    const io = memoryIo({ "ard.sprig": ARD_MODEL, "d.json": JSON.stringify(ardData()) });
    expect(await checkCommand(["ard.sprig", "--data", "d.json"], io)).toBe(EXIT_OK);
    expect(io.out()).toContain(
      "EM-SBL (sbl): yes — y ~ normal(X * w, sigma): w ~ ard (w_alpha); noise scale 'sigma' learned; algorithms em, tipping_faul (default em)",
    );
    expect(io.out()).toMatch(/hyper-parameters \(2, point-estimated\):\n {2}sigma\s+real<lower=0>\s+init 1/);
    expect(io.out()).toMatch(/w_alpha\s+vector<lower=0>\[D\]\s+init 1\s+\[ard precision\]/);
    const noData = memoryIo({ "ard.sprig": ARD_MODEL });
    expect(await checkCommand(["ard.sprig"], noData)).toBe(EXIT_OK);
    expect(noData.out()).toContain(
      "EM-SBL (sbl): sparse prior 'w' (ard); pass --data to detect the linear-Gaussian block",
    );
  });

  it("computed bounds: the support column names the bound expressions", async () => {
    const model = `
data { real s; }
parameters {
  real<lower=0, upper=1> a;
  real<lower=0, upper=1 - a> b;
  real<upper=a + s> c;
}
model { a ~ beta(2, 2); b ~ normal(0, 1); c ~ normal(0, 1); }
`;
    const io = memoryIo({ "m.sprig": model, "d.json": JSON.stringify({ s: 2 }) });
    expect(await checkCommand(["m.sprig", "--data", "d.json"], io)).toBe(EXIT_OK);
    expect(io.out()).toMatch(/\n {2}a\s+real\s+\(0, 1\)\s+~ beta/);
    expect(io.out()).toMatch(/\n {2}b\s+real\s+\(0, 1 - a\)\s+~ normal/);
    expect(io.out()).toMatch(/\n {2}c\s+real\s+\(-∞, a \+ s\)\s+~ normal/);
  });

  it("logistic regression with inline data", async () => {
    const io = memoryIo({ "d.json": LOGISTIC_DATA });
    expect(await checkCommand([modelPath("logistic_regression"), "--data", "d.json"], io)).toBe(EXIT_OK);
    expect(io.out()).toMatch(/\n {2}X\s+matrix\[N, D\]\s+6 × 2\n/);
    expect(io.out()).toContain("yes — 3 continuous coordinates");
  });

  it("a discrete latent rules out the gradient-based backends", async () => {
    const text = "parameters { real<lower=0> lam; int k; }\nmodel { lam ~ gamma(2, 1); k ~ poisson(lam); }\n";
    const io = memoryIo({ "disc.sprig": text, "d.json": "{}" });
    expect(await checkCommand(["disc.sprig", "--data", "d.json"], io)).toBe(EXIT_OK);
    expect(io.out()).toContain("gradient-based (sample, vi): no — discrete latent 'k'");
    expect(io.out()).toMatch(/\n {2}k\s+int\s+integers ≥ 0\s+~ poisson\(rate=lam\)/);
  });

  it("syntax errors: every one, located, with the source line and a caret; exit code 1", async () => {
    const text = "data {\n  int N\n  vector[N] y;\n}\nparameters {\n  real mu\n}\nmodel { y ~ normal(mu, 1); }\n";
    const io = memoryIo({ "m.sprig": text });
    expect(await checkCommand(["m.sprig"], io)).toBe(EXIT_FAILURE);
    expect(io.out()).toBe("");
    const err = io.err();
    expect(err).toContain("m.sprig:2:8: syntax error: expected ';' — got 'vector'.");
    expect(err).toContain("    2 |   int N\n      |        ^\n");
    expect(err).toContain("m.sprig:6:10: syntax error: expected ';' — got '}'.");
    expect(err).not.toMatch(/\n\s+at /);
  });

  it("semantic errors carry a suggestion", async () => {
    const text = "parameters { real<lower=0> tau; }\nmodel { tau ~ half_cuachy(5); }\n";
    const io = memoryIo({ "m.sprig": text });
    expect(await checkCommand(["m.sprig"], io)).toBe(EXIT_FAILURE);
    expect(io.err()).toContain(
      "m.sprig:2:15: tau ~ half_cuachy(): unknown family 'half_cuachy'. Hint: did you mean 'half_cauchy'?",
    );
    expect(io.err()).toContain("^^^^^^^^^^^");
  });
});
