/**
 * The registry the example models are built and compiled with. It is the default registry: the
 * built-in families include `flat`, the improper prior of kidiq's and wells' coefficients.
 */
import { createDefaultRegistry, type Registry } from "../../src/runtime/dists/index.js";

/**
 * A fresh default registry for the examples.
 *
 * @example
 * ```ts
 * const registry = exampleFamilies();
 * ```
 */
export function exampleFamilies(): Registry {
  return createDefaultRegistry();
}
