/**
 * The numeric runtime every backend calls: linear operators, factorisations, seeded RNG streams
 * and samplers, distributions and their registry, bijectors, special functions, an L-BFGS
 * optimiser, kernel-set selection and the worker pool.
 * @module runtime
 */
export * from "./bijectors/index.js";
export * from "./dists/index.js";
export * from "./factor/index.js";
export * from "./kernel_provider.js";
export type { ComplexLinearOperator, LinearOperator } from "./linear_operator.js";
export * from "./operators/index.js";
export * from "./optim/index.js";
export * from "./rng/index.js";
export * as special from "./special.js";
export * from "./workers/index.js";
