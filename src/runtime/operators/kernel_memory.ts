/**
 * Private buffers of operators and factorisations, placed where the active kernels read them
 * fastest and given back automatically.
 *
 * When the WebAssembly set is active, arrays from {@link allocFloat64} live in wasm memory, which
 * the JavaScript garbage collector does not manage: a block stays reserved until it is released.
 * Operators and factor objects never hand these buffers out (they return copies), so once the
 * owning object is unreachable no view of the block remains and it can be reused; a
 * FinalizationRegistry keyed on the owner releases it then. Small buffers are ordinary arrays:
 * for them the arena bookkeeping costs more than the copy the wasm kernels would make.
 *
 * @module
 */
import { allocFloat64, allocInt32, inKernelMemory, releaseArray } from "../kernel_provider.js";

/** Below this many elements a buffer is an ordinary typed array. */
const SMALL = 256;

const registry = new FinalizationRegistry<Float64Array | Int32Array>((array) => releaseArray(array));

/**
 * A zeroed Float64Array of length n owned by `owner`: in kernel memory when that helps, released
 * when `owner` is garbage collected. The array must stay private to `owner`.
 *
 * @example
 * ```ts
 * class Op { readonly data = ownedFloat64(this, 1 << 20); }
 * ```
 */
export function ownedFloat64(owner: object, n: number): Float64Array {
  if (n < SMALL) return new Float64Array(n);
  const array = allocFloat64(n);
  if (inKernelMemory(array)) registry.register(owner, array);
  return array;
}

/**
 * A zeroed Int32Array of length n owned by `owner` (CSR/CSC index arrays); see {@link ownedFloat64}.
 *
 * @example
 * ```ts
 * const colIdx = ownedInt32(this, nnz);
 * ```
 */
export function ownedInt32(owner: object, n: number): Int32Array {
  if (n < SMALL) return new Int32Array(n);
  const array = allocInt32(n);
  if (inKernelMemory(array)) registry.register(owner, array);
  return array;
}
