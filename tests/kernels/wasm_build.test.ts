import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { kernelsWasmBytes } from "../../src/kernels/wasm/wasm_set.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const COMMITTED = join(ROOT, "src/kernels/wasm/kernels.wasm");

function hasAssemblyScript(): boolean {
  try {
    createRequire(import.meta.url).resolve("assemblyscript/package.json");
    return true;
  } catch {
    return false;
  }
}

describe("committed wasm binary", () => {
  it("is exactly what the embedded base64 module decodes to", () => {
    expect(Buffer.from(kernelsWasmBytes()).equals(readFileSync(COMMITTED))).toBe(true);
  });

  const asc = hasAssemblyScript();
  (asc ? it : it.skip)(
    asc
      ? "is reproduced byte for byte by scripts/build-wasm.mjs (asc output is deterministic)"
      : "is reproduced by scripts/build-wasm.mjs — SKIPPED: the assemblyscript devDependency is not installed",
    () => {
      const out = mkdtempSync(join(tmpdir(), "sprig-wasm-"));
      try {
        const run = spawnSync(process.execPath, [join(ROOT, "scripts/build-wasm.mjs"), "--out-dir", out], {
          encoding: "utf8",
        });
        expect(run.status, run.stderr).toBe(0);
        expect(readFileSync(join(out, "kernels.wasm")).equals(readFileSync(COMMITTED))).toBe(true);
        expect(readFileSync(join(out, "generated/kernels_wasm.ts"), "utf8")).toBe(
          readFileSync(join(ROOT, "src/kernels/wasm/generated/kernels_wasm.ts"), "utf8"),
        );
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    },
  );
});
