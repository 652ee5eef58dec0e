/**
 * Which kernel set the runtime uses, and where hot arrays should live.
 *
 * The WebAssembly-SIMD set is chosen when the engine validates and loads its module (fixed-width
 * SIMD plus shared memory; Node ≥ 16.4 and current browsers in cross-origin-isolated pages), the
 * plain TypeScript set otherwise. `SPRIG_KERNELS=plain|wasm` in the environment forces one
 * (`auto` or unset: the default). The choice is made once, on first use.
 *
 * The wasm kernels run at full speed only on arrays inside wasm memory; {@link allocFloat64} and
 * {@link allocInt32} place arrays there when the wasm set is active, so operators that allocate
 * through them never pay a copy. Arrays from anywhere else still work (see
 * src/kernels/wasm/wasm_set.ts for the copy/fallback rules).
 *
 * @module
 */
import { CapabilityError, DomainError } from "../core/errors.js";
import type { KernelSet } from "../kernels/kernel_set.js";
import { plainKernels } from "../kernels/plain_set.js";
import { loadWasmKernels, type WasmKernels } from "../kernels/wasm/wasm_set.js";

let loaded: WasmKernels | undefined | null = null;
let active: KernelSet | undefined;

/** The wasm set, loaded at most once per process (each load reserves its own memory). */
function wasmKernels(): WasmKernels | undefined {
  if (loaded === null) loaded = loadWasmKernels();
  return loaded;
}

/**
 * Resolves a kernel-set request (an explicit choice or the value of `SPRIG_KERNELS`).
 * Throws a DomainError for an unknown value and a CapabilityError when `wasm` is demanded but
 * this engine cannot run the module.
 *
 * @example
 * ```ts
 * chooseKernels("plain").name; // "plain"
 * chooseKernels(undefined).name; // "wasm-simd" on Node 20
 * ```
 */
export function chooseKernels(choice: string | undefined): KernelSet {
  const value = choice === undefined || choice === "" ? "auto" : choice;
  if (value !== "auto" && value !== "plain" && value !== "wasm") {
    throw new DomainError({
      where: "SPRIG_KERNELS",
      what: "unknown kernel set",
      got: `'${value}'`,
      expected: "'plain', 'wasm' or 'auto'",
    });
  }
  if (value === "plain") return plainKernels;
  const wasm = wasmKernels();
  if (wasm) return wasm.kernels;
  if (value === "wasm") {
    throw new CapabilityError({
      where: "SPRIG_KERNELS",
      what: "the WebAssembly-SIMD kernels cannot run in this engine",
      got: "'wasm'",
      expected: "an engine with WebAssembly fixed-width SIMD and shared memory",
      hint: "unset SPRIG_KERNELS (or set it to 'plain') to use the TypeScript kernels.",
    });
  }
  return plainKernels;
}

function environmentChoice(): string | undefined {
  return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.SPRIG_KERNELS;
}

/**
 * The kernel set the runtime uses: wasm-simd when it loads, plain otherwise, unless
 * `SPRIG_KERNELS` says otherwise. Decided on the first call and then fixed.
 *
 * @example
 * ```ts
 * const k = activeKernels();
 * const s = k.ddot(3, x, 1, 0, y, 1, 0);
 * ```
 */
export function activeKernels(): KernelSet {
  if (active === undefined) active = chooseKernels(environmentChoice());
  return active;
}

/** The arena of the active set, when it is the wasm set. */
function activeArena(): WasmKernels["arena"] | undefined {
  const kernels = activeKernels();
  return loaded && kernels === loaded.kernels ? loaded.arena : undefined;
}

/**
 * A zeroed Float64Array of length n, inside wasm memory when the wasm set is active (so the
 * kernels use it in place) and an ordinary array otherwise or when wasm memory is exhausted.
 * Such arrays never detach: the memory is shared, and growing it keeps existing views valid.
 *
 * @example
 * ```ts
 * const y = allocFloat64(rows); // pass to activeKernels().dgemv(...) without a copy
 * ```
 */
export function allocFloat64(n: number): Float64Array {
  return activeArena()?.float64(n) ?? new Float64Array(n);
}

/**
 * A zeroed Int32Array of length n, inside wasm memory when the wasm set is active (for CSR
 * row pointers and column indices) and an ordinary array otherwise.
 *
 * @example
 * ```ts
 * const colIdx = allocInt32(nnz);
 * ```
 */
export function allocInt32(n: number): Int32Array {
  return activeArena()?.int32(n) ?? new Int32Array(n);
}

/**
 * Gives the wasm memory of an array from {@link allocFloat64}/{@link allocInt32} back for reuse;
 * ordinary arrays are ignored. Optional (memory that is never released is simply kept), but
 * long-running programs that build and drop many large operators should call it. Neither the
 * array nor any subarray of it may be used afterwards.
 *
 * @example
 * ```ts
 * const work = allocFloat64(n);
 * // ... use work ...
 * releaseArray(work);
 * ```
 */
export function releaseArray(array: Float64Array | Int32Array): void {
  loaded?.arena.release(array);
}

/**
 * Whether an array lives in the active wasm set's memory (and is therefore used without copies).
 *
 * @example
 * ```ts
 * inKernelMemory(allocFloat64(4)); // true when the wasm set is active
 * ```
 */
export function inKernelMemory(array: ArrayBufferView): boolean {
  return activeArena()?.owns(array) ?? false;
}
