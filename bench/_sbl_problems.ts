/**
 * The problem files of ../shared/sbl-bench (problems/*.json) and their translation into sprig's
 * SBL problem, shared by the `sbl` and `vi` benchmarks. Not a benchmark itself (the leading
 * underscore keeps bench/run.ts from listing it).
 */
import type { SblProblem } from "../src/inference/em/index.js";

/** One frozen problem y = (F₁ ⊗ … ⊗ F_K)·x_true + noise, as stored by sbl-bench. */
export interface BenchProblem {
  id: string;
  x_model: string;
  size: string;
  snr_db: number;
  trial: number;
  factors: number[][][];
  y: number[];
  x_true: number[];
  noise_var: number;
}

/**
 * The bench problem as an SBL problem with known noise, under an ARD prior or a Kronecker ARD
 * prior (one precision vector per factor).
 *
 * @example
 * ```ts
 * fitSbl(sblProblem(problem, "ard"), { algorithm: "em" });
 * ```
 */
export function sblProblem(p: BenchProblem, prior: "ard" | "kron"): SblProblem {
  const factors = p.factors.map((f) => ({ rows: f.length, cols: f[0].length, data: Float64Array.from(f.flat()) }));
  return {
    A: { factors },
    y: Float64Array.from(p.y),
    noise: { variance: p.noise_var },
    prior: prior === "ard" ? "ard" : { kind: "kronecker_ard" },
  };
}
