/**
 * The portable kernel set: the TypeScript kernels of this folder behind the {@link KernelSet}
 * interface. It is the reference the WebAssembly set is tested against and the fallback wherever
 * WebAssembly SIMD is unavailable.
 *
 * @module
 */
import { daxpyOffset, ddotOffset } from "./blas1.js";
import { dgemvOffset } from "./blas2.js";
import { dgemmOffset, dsyrkOffset } from "./blas3.js";
import { dpotrfOffset } from "./cholesky.js";
import type { KernelSet } from "./kernel_set.js";
import { dkronmv } from "./kronecker.js";
import { dcsrmvOffset } from "./sparse.js";

/**
 * The plain TypeScript kernels (offset forms), named `'plain'`.
 *
 * @example
 * ```ts
 * const k = plainKernels;
 * k.ddot(3, Float64Array.of(1, 2, 3), 1, 0, Float64Array.of(4, 5, 6), 1, 0); // 32
 * ```
 */
export const plainKernels: KernelSet = Object.freeze({
  name: "plain",
  ddot: ddotOffset,
  daxpy: daxpyOffset,
  dgemv: dgemvOffset,
  dgemm: dgemmOffset,
  dsyrk: dsyrkOffset,
  dpotrf: dpotrfOffset,
  dcsrmv: dcsrmvOffset,
  dkronmv,
});
