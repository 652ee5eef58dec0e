/**
 * The example models of examples/models and the posteriordb posterior whose data each one
 * reads (../shared/posteriordb/<name>/data.json), for the CLI tests.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT, sharedPath } from "../helpers/shared.js";

/** Model file base name → posteriordb posterior name. */
export const POSTERIORDB: Readonly<Record<string, string>> = {
  arK: "arK-arK",
  arma11: "arma-arma11",
  earnings_earn_height: "earnings-earn_height",
  garch11: "garch-garch11",
  eight_schools_centered: "eight_schools-eight_schools_centered",
  eight_schools_noncentered: "eight_schools-eight_schools_noncentered",
  kidiq_momhsiq: "kidiq-kidscore_momhsiq",
  kilpisjarvi: "kilpisjarvi_mod-kilpisjarvi",
  low_dim_gauss_mix: "low_dim_gauss_mix-low_dim_gauss_mix",
  mesquite_logvas: "mesquite-logmesquite_logvas",
  nes: "nes2000-nes",
  radon_variable_intercept_centered: "radon_mn-radon_variable_intercept_centered",
  radon_variable_intercept_noncentered: "radon_mn-radon_variable_intercept_noncentered",
  sblrc_blr: "sblrc-blr",
  wells_dae_c: "wells_data-wells_dae_c_model",
};

/** Models whose loops can only be lowered with the data at hand. */
export const NEEDS_DATA: ReadonlySet<string> = new Set(["arK", "arma11", "garch11", "nes"]);

/** Every `.sprig` model in examples/models, by base name. */
export function exampleModels(): string[] {
  return readdirSync(join(REPO_ROOT, "examples", "models"))
    .filter((f) => f.endsWith(".sprig"))
    .map((f) => f.replace(/\.sprig$/, ""))
    .sort();
}

/** Path of an example model, relative to the repository root. */
export function modelPath(name: string): string {
  return `examples/models/${name}.sprig`;
}

/** Absolute path of a posteriordb posterior's data file. */
export function dataPath(posterior: string): string {
  return sharedPath("posteriordb", posterior, "data.json");
}

/** Small inline data for logistic_regression.sprig (it has no posteriordb twin). */
export const LOGISTIC_DATA = JSON.stringify({
  N: 6,
  D: 2,
  X: [
    [0.5, -1],
    [1.5, 0.2],
    [-0.3, 0.8],
    [2, 1],
    [-1.2, -0.4],
    [0.1, 0.3],
  ],
  y: [1, 1, 0, 1, 0, 0],
});

/** A sparse regression in the model language: EM-SBL detects its ARD block. */
export const ARD_MODEL = `data { int<lower=1> N; int<lower=1> D; matrix[N, D] X; vector[N] y; }
hyper { real<lower=0> sigma = 1; }
parameters { vector[D] w; }
model { w ~ ard(); y ~ normal(X * w, sigma); }
`;

/** True coefficients of {@link ardData}: three of eight non-zero. */
export const ARD_TRUTH = [2, 0, 0, -1.5, 0, 0, 0, 1];

/**
 * Synthetic data for {@link ARD_MODEL}: 30 rows, X uniform(−1.5, 1.5), y = X·w + noise
 * uniform(−0.05, 0.05), from a Park–Miller generator so the data never change.
 */
export function ardData(): { N: number; D: number; X: number[][]; y: number[] } {
  let s = 1;
  const next = () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647 - 0.5;
  };
  const N = 30;
  const D = ARD_TRUTH.length;
  const X = Array.from({ length: N }, () => Array.from({ length: D }, () => 3 * next()));
  const y = X.map((row) => row.reduce((a, x, j) => a + x * ARD_TRUTH[j]!, 0) + 0.1 * next());
  return { N, D, X, y };
}
