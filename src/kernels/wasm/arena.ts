/**
 * The minimal slice of the WebAssembly JS API that sprig uses. The project compiles with
 * `lib: ES2023` and Node types only, neither of which declares `WebAssembly`, and src/kernels may
 * not import anything, so the few members are typed here and read from `globalThis`.
 *
 * @example
 * ```ts
 * const api: WasmApi | undefined = webAssemblyApi();
 * const memory = api && new api.Memory({ initial: 1, maximum: 16, shared: true });
 * ```
 */
export interface WasmApi {
  /** `new WebAssembly.Memory(descriptor)`. */
  Memory: new (descriptor: {
    initial: number;
    maximum: number;
    shared: boolean;
  }) => WasmMemory;
  /** `new WebAssembly.Module(bytes)` (synchronous compile). */
  Module: new (
    bytes: Uint8Array,
  ) => object;
  /** `new WebAssembly.Instance(module, imports)`. */
  Instance: new (
    module: object,
    imports: object,
  ) => { readonly exports: object };
  /** `WebAssembly.validate(bytes)`: false when the engine lacks a feature the module uses (SIMD, threads). */
  validate(bytes: Uint8Array): boolean;
}

/**
 * A `WebAssembly.Memory`: a growable buffer of 64 KiB pages.
 *
 * @example
 * ```ts
 * memory.grow(1); // one more page; views of a shared memory stay valid
 * ```
 */
export interface WasmMemory {
  /** The current buffer; for shared memory a new `SharedArrayBuffer` object after each growth. */
  readonly buffer: ArrayBufferLike;
  /** Grows by `pages` 64 KiB pages, returning the old size in pages; throws a RangeError past the maximum. */
  grow(pages: number): number;
}

/**
 * The engine's WebAssembly API, or undefined where there is none (some sandboxes).
 *
 * @example
 * ```ts
 * const wasm = webAssemblyApi();
 * if (wasm && wasm.validate(bytes)) { ... }
 * ```
 */
export function webAssemblyApi(): WasmApi | undefined {
  return (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
}

/** Bytes per wasm page. */
const PAGE = 65536;
/** Blocks are 16-byte aligned so that f64x2 loads at block starts are aligned. */
const ALIGN = 16;

function alignUp(bytes: number): number {
  return Math.ceil(bytes / ALIGN) * ALIGN;
}

/**
 * An allocator over one wasm memory, so that hot buffers can live where the wasm kernels read
 * them without copying.
 *
 * Design: the memory is SHARED (`shared: true` with a maximum). Growing a non-shared memory
 * detaches its ArrayBuffer, which would silently empty every Float64Array handed out before;
 * growing a shared memory only appends pages, so existing views stay valid (checked on Node 20).
 * Each growth yields a new `SharedArrayBuffer` object for the same memory, so ownership is
 * recognised through a set of all buffer objects seen. Blocks come from a first-fit free list with
 * coalescing above a bump pointer; they are zeroed on allocation like `new Float64Array(n)`.
 * Memory is returned only by an explicit {@link WasmArena.release} (a finaliser cannot tell when
 * the last subarray of a block dies, and reusing a block still viewed elsewhere would corrupt
 * data); when the memory cannot grow any further, allocation returns undefined and callers fall
 * back to ordinary typed arrays.
 *
 * @example
 * ```ts
 * const arena = new WasmArena(memory, heapBase);
 * const x = arena.float64(1000); // zeroed, a view into wasm memory
 * arena.owns(x); // true
 * arena.release(x);
 * ```
 */
export class WasmArena {
  /** The memory all blocks live in. */
  readonly memory: WasmMemory;
  /** The whole memory as doubles; rebuilt after growth (the old view keeps its old length). */
  f64: Float64Array;
  /** The whole memory as 32-bit integers; rebuilt after growth. */
  i32: Int32Array;
  private readonly buffers = new WeakSet<object>();
  private top: number;
  private readonly live = new Map<number, number>();
  /** Free blocks sorted by address, as parallel arrays (address, size in bytes). */
  private readonly freeAddr: number[] = [];
  private readonly freeSize: number[] = [];

  /**
   * @param memory a shared wasm memory
   * @param heapBase first byte the module does not use for its own static data
   * @example
   * ```ts
   * const arena = new WasmArena(memory, exports.heapBase());
   * ```
   */
  constructor(memory: WasmMemory, heapBase: number) {
    this.memory = memory;
    this.top = alignUp(Math.max(heapBase, ALIGN));
    this.f64 = new Float64Array(memory.buffer);
    this.i32 = new Int32Array(memory.buffer);
    this.buffers.add(memory.buffer);
  }

  /**
   * Bytes currently handed out (live blocks, including the kernels' own scratch).
   *
   * @example
   * ```ts
   * console.log(`${arena.bytesInUse} bytes in wasm memory`);
   * ```
   */
  get bytesInUse(): number {
    let total = 0;
    for (const size of this.live.values()) total += size;
    return total;
  }

  /**
   * Whether `view` is a view into this arena's memory (any growth generation), i.e. whether the
   * wasm kernels can use it without a copy.
   *
   * @example
   * ```ts
   * arena.owns(arena.float64(4)!); // true
   * arena.owns(new Float64Array(4)); // false
   * ```
   */
  owns(view: ArrayBufferView): boolean {
    return this.buffers.has(view.buffer);
  }

  /**
   * A zeroed Float64Array of length n in wasm memory, or undefined when the memory is exhausted.
   *
   * @example
   * ```ts
   * const x = arena.float64(8) ?? new Float64Array(8);
   * ```
   */
  float64(n: number): Float64Array | undefined {
    const addr = this.reserve(8 * checkLength(n));
    return addr < 0 ? undefined : new Float64Array(this.memory.buffer, addr, n);
  }

  /**
   * A zeroed Int32Array of length n in wasm memory, or undefined when the memory is exhausted.
   *
   * @example
   * ```ts
   * const idx = arena.int32(8) ?? new Int32Array(8);
   * ```
   */
  int32(n: number): Int32Array | undefined {
    const addr = this.reserve(4 * checkLength(n));
    return addr < 0 ? undefined : new Int32Array(this.memory.buffer, addr, n);
  }

  /**
   * Returns the block of an array from {@link float64}/{@link int32} to the free list; arrays not
   * owned by the arena are ignored, so callers may release unconditionally. The array (and every
   * subarray of it) must not be used afterwards.
   *
   * @example
   * ```ts
   * arena.release(x);
   * ```
   */
  release(view: ArrayBufferView): void {
    if (!this.owns(view)) return;
    if (!this.live.has(view.byteOffset)) {
      throw new RangeError(
        `WasmArena.release: not the start of a live block — got byteOffset ${view.byteOffset}, expected an array returned by float64()/int32() and not yet released. Hint: release the original array, not a subarray.`,
      );
    }
    this.releaseBlock(view.byteOffset);
  }

  /**
   * Reserves a raw zeroed block of at least `bytes` bytes and returns its address, or −1 when the
   * memory cannot grow enough.
   *
   * @example
   * ```ts
   * const addr = arena.reserve(1 << 20);
   * ```
   */
  reserve(bytes: number): number {
    const size = alignUp(Math.max(bytes, ALIGN));
    let addr = -1;
    for (let i = 0; i < this.freeAddr.length; i++) {
      if (this.freeSize[i] >= size) {
        addr = this.freeAddr[i];
        if (this.freeSize[i] === size) {
          this.freeAddr.splice(i, 1);
          this.freeSize.splice(i, 1);
        } else {
          this.freeAddr[i] += size;
          this.freeSize[i] -= size;
        }
        break;
      }
    }
    if (addr < 0) {
      if (!this.ensure(this.top + size)) return -1;
      addr = this.top;
      this.top += size;
    }
    this.live.set(addr, size);
    this.f64.fill(0, addr / 8, (addr + size) / 8);
    return addr;
  }

  /**
   * Frees a block from {@link reserve} by its address.
   *
   * @example
   * ```ts
   * arena.releaseBlock(addr);
   * ```
   */
  releaseBlock(addr: number): void {
    const size = this.live.get(addr);
    if (size === undefined) {
      throw new RangeError(`WasmArena.releaseBlock: no live block — got address ${addr}, expected a reserved address.`);
    }
    this.live.delete(addr);
    let i = 0;
    while (i < this.freeAddr.length && this.freeAddr[i] < addr) i++;
    this.freeAddr.splice(i, 0, addr);
    this.freeSize.splice(i, 0, size);
    // Coalesce with the next block, then the previous one.
    if (i + 1 < this.freeAddr.length && this.freeAddr[i] + this.freeSize[i] === this.freeAddr[i + 1]) {
      this.freeSize[i] += this.freeSize[i + 1];
      this.freeAddr.splice(i + 1, 1);
      this.freeSize.splice(i + 1, 1);
    }
    if (i > 0 && this.freeAddr[i - 1] + this.freeSize[i - 1] === this.freeAddr[i]) {
      this.freeSize[i - 1] += this.freeSize[i];
      this.freeAddr.splice(i, 1);
      this.freeSize.splice(i, 1);
      i--;
    }
    // A free block that reaches the bump pointer returns to it.
    if (this.freeAddr[i] + this.freeSize[i] === this.top) {
      this.top = this.freeAddr[i];
      this.freeAddr.splice(i, 1);
      this.freeSize.splice(i, 1);
    }
  }

  /** Grows the memory so that byte `end` exists; false when it cannot. */
  private ensure(end: number): boolean {
    const have = this.memory.buffer.byteLength;
    if (end <= have) return true;
    // Grow by at least an eighth of the current size so that many small blocks cost few growths.
    const pages = Math.max(Math.ceil((end - have) / PAGE), Math.ceil(have / PAGE / 8));
    try {
      this.memory.grow(pages);
    } catch {
      try {
        this.memory.grow(Math.ceil((end - have) / PAGE));
      } catch {
        return false;
      }
    }
    const buffer = this.memory.buffer;
    this.buffers.add(buffer);
    this.f64 = new Float64Array(buffer);
    this.i32 = new Int32Array(buffer);
    return true;
  }
}

function checkLength(n: number): number {
  if (!Number.isInteger(n) || n < 0) {
    throw new RangeError(`WasmArena: invalid array length — got ${n}, expected a non-negative integer.`);
  }
  return n;
}
