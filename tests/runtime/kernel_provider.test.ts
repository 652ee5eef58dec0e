import { afterEach, describe, expect, it, vi } from "vitest";

// The provider decides once per module instance, so each scenario imports a fresh module graph
// after setting the environment (vi.resetModules); the plain set and the error classes are taken
// from that same graph so that identity checks are meaningful.
async function freshProvider() {
  vi.resetModules();
  const provider = await import("../../src/runtime/kernel_provider.js");
  const { plainKernels } = await import("../../src/kernels/plain_set.js");
  const { CapabilityError, DomainError } = await import("../../src/core/errors.js");
  return { ...provider, plainKernels, CapabilityError, DomainError };
}

afterEach(() => {
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
});

describe("kernel provider", () => {
  it("picks wasm-simd by default on an engine with WebAssembly SIMD (Node 20) and allocates in its memory", async () => {
    vi.stubEnv("SPRIG_KERNELS", "");
    const p = await freshProvider();
    expect(p.activeKernels().name).toBe("wasm-simd");
    expect(p.activeKernels()).toBe(p.activeKernels());
    const x = p.allocFloat64(5);
    const idx = p.allocInt32(3);
    expect(x).toBeInstanceOf(Float64Array);
    expect(idx).toBeInstanceOf(Int32Array);
    expect(x.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(p.inKernelMemory(x) && p.inKernelMemory(idx)).toBe(true);
    expect(p.inKernelMemory(new Float64Array(2))).toBe(false);
    x.set([1, 2, 3, 4, 5]);
    expect(p.activeKernels().ddot(5, x, 1, 0, x, 1, 0)).toBe(55);
    p.releaseArray(x);
    p.releaseArray(idx);
    p.releaseArray(new Float64Array(1)); // ordinary arrays are ignored
  });

  it("SPRIG_KERNELS=plain forces the plain set and ordinary arrays", async () => {
    vi.stubEnv("SPRIG_KERNELS", "plain");
    const p = await freshProvider();
    expect(p.activeKernels()).toBe(p.plainKernels);
    const x = p.allocFloat64(4);
    expect(x.buffer).toBeInstanceOf(ArrayBuffer);
    expect(p.inKernelMemory(x)).toBe(false);
    expect(Array.from(x)).toEqual([0, 0, 0, 0]);
  });

  it("SPRIG_KERNELS=wasm forces the wasm set", async () => {
    vi.stubEnv("SPRIG_KERNELS", "wasm");
    const p = await freshProvider();
    expect(p.activeKernels().name).toBe("wasm-simd");
  });

  it("falls back to plain without WebAssembly, and refuses a forced wasm set there", async () => {
    vi.stubGlobal("WebAssembly", undefined);
    vi.stubEnv("SPRIG_KERNELS", "auto");
    const p = await freshProvider();
    expect(p.activeKernels()).toBe(p.plainKernels);
    expect(p.allocFloat64(2).buffer).toBeInstanceOf(ArrayBuffer);
    expect(() => p.chooseKernels("wasm")).toThrow(p.CapabilityError);
  });

  it("falls back to plain when the engine rejects the module (no SIMD)", async () => {
    // Everything works except validation, so only the validate() check can cause the fallback.
    const real = (globalThis as unknown as { WebAssembly: Record<string, unknown> }).WebAssembly;
    vi.stubGlobal("WebAssembly", {
      Memory: real.Memory,
      Module: real.Module,
      Instance: real.Instance,
      validate: () => false,
    });
    const p = await freshProvider();
    expect(p.chooseKernels(undefined)).toBe(p.plainKernels);
  });

  it("rejects an unknown SPRIG_KERNELS value with the one error format", async () => {
    vi.stubEnv("SPRIG_KERNELS", "fast");
    const p = await freshProvider();
    expect(() => p.activeKernels()).toThrow(p.DomainError);
    expect(() => p.chooseKernels("fast")).toThrow(/SPRIG_KERNELS: unknown kernel set — got 'fast'/);
  });
});
