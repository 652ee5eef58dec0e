/**
 * sprig — probabilistic programming in TypeScript for hierarchical sparse priors.
 *
 * This is the composition root. Models are written with the typed DSL (`model`, families such
 * as `normal`, `halfCauchy`) or in the sprig model language, compiled against an explicit family
 * {@link Registry} (`createDefaultRegistry()` — there is no global registry), and run by a backend.
 *
 * Runtime families (`Distribution` objects) and the DSL's family constructors share names, so
 * the runtime is re-exported as the `runtime` namespace and the DSL at the top level.
 *
 * @example
 * ```ts
 * import { compile, createDefaultRegistry, model, normal, halfCauchy, sample } from "sprig";
 * const families = createDefaultRegistry();
 * const m = model("normal_mean", ({ data, param, observe }) => {
 *   const N = data.int("N");
 *   const y = data.vector("y", N);
 *   const mu = param("mu", normal({ loc: 0, scale: 10 }));
 *   const sigma = param("sigma", halfCauchy({ scale: 5 }));
 *   observe(y, normal({ loc: mu, scale: sigma }));
 * }, { families });
 * const density = compile(m, { N: 3, y: [1.2, 0.4, 2.2] }, families);
 * ```
 * @module sprig
 */
export * from "./core/index.js";
export * from "./inference/model/index.js";
export type { ModelGraph } from "./ir/index.js";
export { condition, fix, GraphBuilder, graphFromJSON, graphToJSON, printModel, substitute } from "./ir/index.js";
export * as ir from "./ir/index.js";
export * from "./lang/builder/index.js";
export { createDefaultRegistry, Registry } from "./runtime/dists/index.js";
export * as runtime from "./runtime/index.js";
export { parseModel } from "./lang/text/index.js";

// Backends share one shape (each exports `buildKernel`), so each is a namespace; the drivers most
// users call first are also exported at the top level.
export * as bo from "./inference/bo/index.js";
export { minimize } from "./inference/bo/index.js";
export * as diagnostics from "./inference/diagnostics/index.js";
export { summary } from "./inference/diagnostics/index.js";
export * as em from "./inference/em/index.js";
export { fitSbl } from "./inference/em/index.js";
export * as mcmc from "./inference/mcmc/index.js";
export * as plots from "./plots/index.js";
// The package already needs Node (worker threads), so the file-writing helper ships in the main entry.
export { writeSvg } from "./plots/node.js";
export { sample } from "./inference/mcmc/index.js";
export * as smc from "./inference/smc/index.js";
export { particleFilter, temperedSmc } from "./inference/smc/index.js";
export * as vi from "./inference/vi/index.js";
export { fitAdvi, fitVb } from "./inference/vi/index.js";
export type { KernelSet, Transpose, Uplo } from "./kernels/index.js";
export type { ParseOptions } from "./lang/text/index.js";
export * from "./lang/builder/priors/index.js";
export type { DenseRegularization } from "./inference/adaptation/mass_matrix.js";
export type { NormalizedDictionary, NormalizedPrior } from "./inference/em/problem.js";
export type { SparsePriorExpansion } from "./lang/text/index.js";
export type * as ad from "./runtime/ad/program.js";
