/**
 * Factorisation objects: Cholesky (real and complex Hermitian) with an explicit jitter policy,
 * the symmetric eigendecomposition and the thin SVD, each with solves and the quantities models
 * need (log-determinants, inverse diagonals, ranks, reconstructions).
 *
 * @module
 */
export { Cholesky } from "./cholesky.js";
export { ComplexCholesky } from "./complex_cholesky.js";
export type { CholeskyOptions } from "./jitter.js";
export { Svd } from "./svd.js";
export { SymmetricEigen } from "./symmetric_eigen.js";
