/**
 * Deterministic optimisers shared by the inference backends.
 * @module runtime/optim
 */
export { Lbfgs, type LbfgsOptions, type LbfgsResult, type LbfgsStatus, type ObjectiveWithGradient } from "./lbfgs.js";
