/**
 * The model graph (IR): node and expression types, the validating builder, the printer to
 * model text, JSON (de)serialisation and rewrites. Both front ends produce it; every backend
 * reads it through the density compiler.
 * @module ir
 */
export * from "./builder.js";
export * from "./expr.js";
export * from "./json.js";
export * from "./printer.js";
export * from "./rewrites.js";
export { closestName, suggestionHint } from "./suggest.js";
export * from "./types.js";
