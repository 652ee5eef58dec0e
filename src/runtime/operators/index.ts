/**
 * Linear operators: dense, sparse (CSR/CSC), diagonal, Kronecker, block-diagonal,
 * low-rank-plus-diagonal and complex dense/Kronecker, all behind the `LinearOperator` /
 * `ComplexLinearOperator` contracts of `../linear_operator.ts`.
 *
 * @module
 */
export { asLinearOperator, isLinearOperator, type OperatorLike } from "./as_linear_operator.js";
export { BlockDiagonalOperator } from "./block_diagonal_operator.js";
export { ComplexDenseOperator } from "./complex_dense_operator.js";
export { type ComplexParts, ComplexKroneckerOperator } from "./complex_kronecker_operator.js";
export { CscOperator } from "./csc_operator.js";
export { CsrOperator } from "./csr_operator.js";
export { DenseOperator } from "./dense_operator.js";
export { DiagonalOperator } from "./diagonal_operator.js";
export { KroneckerOperator } from "./kronecker_operator.js";
export {
  type LowRankCore,
  LowRankPlusDiagonal,
  type LowRankPlusDiagonalUpdate,
} from "./low_rank_plus_diagonal.js";
export type { DenseMatrix, NestedRows } from "./validate.js";
