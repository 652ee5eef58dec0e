/**
 * Reverse-mode automatic differentiation over vector programs, by code generation: a program
 * of Float64Array operations (elementwise maths, gathers, reductions, matvecs with
 * LinearOperators, distribution terms, bijectors) becomes a log density and its gradient as
 * generated JavaScript with fused elementwise loops and no allocation per call.
 * @module runtime/ad
 */
export { ALL_TERMS, type CompiledProgram, compileProgram, type DensityPair, type TermSelection } from "./codegen.js";
export { finiteDifferenceGrad } from "./finite_difference.js";
export type { BinaryFn, DensityTerm, FactorTerm, Program, ProgramNode, ProgramOp, Term, UnaryFn } from "./program.js";
