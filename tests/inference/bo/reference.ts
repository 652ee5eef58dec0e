/**
 * Dense closed-form Gaussian-process formulas computed with ml-matrix, written independently of
 * src/inference/bo (kernels in terms of r, explicit solves), as the outside truth for the GP and
 * acquisition tests.
 */
import { CholeskyDecomposition, Matrix } from "ml-matrix";
import type { CovarianceKernel } from "../../../src/inference/bo/covariance.js";

/** k(x, x′) = σ²·ρ(r), r the length-scaled distance. */
export function referenceKernel(
  kernel: CovarianceKernel,
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  lengthScales: ArrayLike<number>,
  signalVariance: number,
): number {
  let r2 = 0;
  for (let j = 0; j < a.length; j++) r2 += ((a[j] - b[j]) / lengthScales[j]) ** 2;
  const r = Math.sqrt(r2);
  if (kernel === "squared_exponential") return signalVariance * Math.exp(-0.5 * r * r);
  if (kernel === "matern32") return signalVariance * (1 + Math.sqrt(3) * r) * Math.exp(-Math.sqrt(3) * r);
  return signalVariance * (1 + Math.sqrt(5) * r + (5 / 3) * r * r) * Math.exp(-Math.sqrt(5) * r);
}

export interface ReferenceModel {
  kernel: CovarianceKernel;
  points: number[][];
  values: number[];
  lengthScales: number[];
  signalVariance: number;
  noiseVariance: number;
}

function gram(m: ReferenceModel, a: number[][], b: number[][]): Matrix {
  return new Matrix(a.map((x) => b.map((y) => referenceKernel(m.kernel, x, y, m.lengthScales, m.signalVariance))));
}

/** Posterior mean, covariance of f at `test`, and the log marginal likelihood. */
export function referencePosterior(
  m: ReferenceModel,
  test: number[][],
): { mean: number[]; covariance: number[][]; logMarginalLikelihood: number } {
  const n = m.points.length;
  const K = gram(m, m.points, m.points).add(Matrix.eye(n, n).mul(m.noiseVariance));
  const chol = new CholeskyDecomposition(K);
  const y = Matrix.columnVector(m.values);
  const alpha = chol.solve(y);
  const Ks = gram(m, m.points, test); // n × m
  const mean = Ks.transpose().mmul(alpha).to1DArray();
  const covariance = gram(m, test, test)
    .sub(Ks.transpose().mmul(chol.solve(Ks)))
    .to2DArray();
  const L = chol.lowerTriangularMatrix;
  let logDet = 0;
  for (let i = 0; i < n; i++) logDet += 2 * Math.log(L.get(i, i));
  const quad = y.transpose().mmul(alpha).get(0, 0);
  return { mean, covariance, logMarginalLikelihood: -0.5 * quad - 0.5 * logDet - 0.5 * n * Math.log(2 * Math.PI) };
}

/** Posterior mean of f at `test` only (the brute-force knowledge-gradient loop calls this often). */
export function referenceMean(m: ReferenceModel, test: number[][]): number[] {
  const n = m.points.length;
  const K = gram(m, m.points, m.points).add(Matrix.eye(n, n).mul(m.noiseVariance));
  const alpha = new CholeskyDecomposition(K).solve(Matrix.columnVector(m.values));
  return gram(m, test, m.points).mmul(alpha).to1DArray();
}
