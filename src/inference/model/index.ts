/**
 * From model graph and data to a {@link DensityModel}: data binding and validation, lowering to
 * a vector program, generated log density and gradient, layout, prior simulation and
 * structure facts.
 * @module inference/model
 */
export { type CompiledModel, type CompileOptions, compile, type NamedValue } from "./compile.js";
export { type BoundData, type BoundValue, bindData, type DataValue, type ModelData } from "./data.js";
export type { ComputedBoundsText, DensityModel, PriorPredictiveDraw, VariableLayout } from "./density_model.js";
export type { DistributionLookup, LoweredModel } from "./lower.js";
export {
  type ArgumentRef,
  analyseStructure,
  type HyperInfo,
  type LatentPrior,
  type LinearGaussianBlock,
  type ModelStructure,
  type SparsePriorGroup,
} from "./structure.js";
