/**
 * The typed embedded DSL: models written in TypeScript, lowered to the IR as they are declared.
 * @module lang/builder
 */
export * from "./families.js";
export * from "./math.js";
export * from "./model.js";
export { callerSpan } from "./span.js";
export * from "./values.js";
export { customFamily, type FamilyArgs } from "./custom_family.js";
