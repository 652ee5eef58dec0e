/**
 * The C yardstick of the kernel benchmark: compiles ../shared/bench/kernels_ref.c (resolved
 * relative to the repository, i.e. the `shared` folder next to it) with `gcc -O3 -march=native`
 * into bench/.out/, runs it, and parses its one-line result. Also reproduces the C program's
 * xorshift random stream so that the JS side can build the very same dense inputs and compare
 * checksums, and writes CSR matrices in the binary layout its header describes.
 * Not a benchmark itself (the leading underscore keeps bench/run.ts from listing it).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..");
/** Where the compiled binary and the SpMV input files go (git-ignored). */
export const OUT_DIR = join(REPO, "bench/.out");
const SOURCE = resolve(REPO, "../shared/bench/kernels_ref.c");
const BINARY = join(OUT_DIR, "kernels_ref");

/** One result line of kernels_ref. */
export interface CResult {
  readonly seconds: number;
  readonly gflops: number;
  readonly checksum: number;
}

/** The compiled reference, or why there is none. */
export type CReference =
  | { readonly available: true; run(args: readonly string[]): CResult }
  | { readonly available: false; readonly reason: string };

/**
 * Compiles the C reference when needed (missing or older than its source) and returns a runner.
 *
 * @example
 * ```ts
 * const c = cReference();
 * if (c.available) console.log(c.run(["gemm", "500", "5"]).seconds);
 * ```
 */
export function cReference(): CReference {
  if (!existsSync(SOURCE)) return { available: false, reason: `C reference not found at ${SOURCE} (no ../shared)` };
  const gcc = spawnSync("gcc", ["--version"], { encoding: "utf8" });
  if (gcc.error || gcc.status !== 0) return { available: false, reason: "gcc is not installed" };
  if (!existsSync(BINARY) || statSync(BINARY).mtimeMs < statSync(SOURCE).mtimeMs) {
    mkdirSync(OUT_DIR, { recursive: true });
    const cc = spawnSync("gcc", ["-O3", "-march=native", "-o", BINARY, SOURCE, "-lm"], { encoding: "utf8" });
    if (cc.status !== 0) return { available: false, reason: `gcc failed: ${cc.stderr.trim()}` };
  }
  return {
    available: true,
    run(args: readonly string[]): CResult {
      const r = spawnSync(BINARY, args, { encoding: "utf8" });
      if (r.status !== 0) throw new Error(`kernels_ref ${args.join(" ")} failed: ${r.stderr.trim()}`);
      const field = (name: string) => {
        const m = new RegExp(`\\b${name}=(\\S+)`).exec(r.stdout);
        if (!m) throw new Error(`kernels_ref ${args.join(" ")}: no '${name}' in '${r.stdout.trim()}'`);
        return Number(m[1]);
      };
      return { seconds: field("seconds"), gflops: field("gflops"), checksum: field("checksum") };
    },
  };
}

/**
 * Writes a CSR matrix and a vector in kernels_ref's `spmv` input layout: DIR/meta.txt holding
 * "rows cols nnz", then rowptr.i32, colidx.i32, values.f64 and x.f64 as raw little-endian arrays.
 *
 * @example
 * ```ts
 * writeSpmvInput(dir, M, N, rowPtr, colIdx, values, x);
 * c.run(["spmv", dir, "20"]);
 * ```
 */
export function writeSpmvInput(
  dir: string,
  rows: number,
  cols: number,
  rowPtr: Int32Array,
  colIdx: Int32Array,
  values: Float64Array,
  x: Float64Array,
): void {
  mkdirSync(dir, { recursive: true });
  const nnz = rowPtr[rows];
  const raw = (a: Int32Array | Float64Array, n: number) => Buffer.from(a.buffer, a.byteOffset, n * a.BYTES_PER_ELEMENT);
  writeFileSync(join(dir, "meta.txt"), `${rows} ${cols} ${nnz}\n`);
  writeFileSync(join(dir, "rowptr.i32"), raw(rowPtr, rows + 1));
  writeFileSync(join(dir, "colidx.i32"), raw(colIdx, nnz));
  writeFileSync(join(dir, "values.f64"), raw(values, nnz));
  writeFileSync(join(dir, "x.f64"), raw(x, cols));
}

/**
 * The C program's generator: xorshift64 (13, 7, 17) from 88172645463325252, returning the top 53
 * bits as a double in [0, 1). Implemented on two 32-bit halves so that it is exact and fast.
 *
 * @example
 * ```ts
 * const urand = cUniformStream();
 * const a = urand() - 0.5; // the same value kernels_ref draws first
 * ```
 */
export function cUniformStream(): () => number {
  // 88172645463325252 = 0x0139408d_cbbf7a44 (hi, lo)
  let hi = 0x0139408d >>> 0;
  let lo = 0xcbbf7a44 >>> 0;
  return () => {
    // x ^= x << 13
    let nh = (hi ^ ((hi << 13) | (lo >>> 19))) >>> 0;
    let nl = (lo ^ (lo << 13)) >>> 0;
    hi = nh;
    lo = nl;
    // x ^= x >> 7
    nl = (lo ^ ((lo >>> 7) | (hi << 25))) >>> 0;
    nh = (hi ^ (hi >>> 7)) >>> 0;
    hi = nh;
    lo = nl;
    // x ^= x << 17
    nh = (hi ^ ((hi << 17) | (lo >>> 15))) >>> 0;
    nl = (lo ^ (lo << 17)) >>> 0;
    hi = nh;
    lo = nl;
    // (x >> 11) · 2⁻⁵³
    return (hi * 2097152 + (lo >>> 11)) / 9007199254740992;
  };
}
