/**
 * Allocation-free numeric kernels over Float64Array/Int32Array in the BLAS/@stdlib convention
 * (`ddot(N, x, strideX, y, strideY)` plus `...Offset` forms), the {@link KernelSet} interface for
 * the hot ones, and the portable and WebAssembly-SIMD sets. This folder imports nothing.
 * @module kernels
 */
export * from "./blas1.js";
export * from "./blas2.js";
export * from "./blas3.js";
export * from "./cholesky.js";
export * from "./eigen.js";
export type { KernelSet, Transpose, Uplo } from "./kernel_set.js";
export * from "./kronecker.js";
export { plainKernels } from "./plain_set.js";
export * from "./sparse.js";
export * from "./svd.js";
export * from "./zblas1.js";
export * from "./zcholesky.js";
