/**
 * Types shared by every layer: shapes, supports, the RNG interface, source spans and errors.
 * @module core
 */
export * from "./errors.js";
export * from "./family.js";
export * from "./rng.js";
export * from "./shape.js";
export * from "./span.js";
export * from "./support.js";
export * from "./support_check.js";
