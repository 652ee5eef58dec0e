/**
 * The Node-only part of the plots: writing a figure to disk. Kept out of `plots/index.ts` so the
 * figures themselves stay usable in browsers and workers.
 *
 * @module
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/**
 * Writes an SVG document to `path` (UTF-8), creating missing parent directories.
 *
 * @example
 * ```ts
 * writeSvg("out/trace.svg", tracePlot(drawsOf(result, ["mu", "tau"])));
 * ```
 */
export function writeSvg(path: string, svg: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, svg, "utf8");
}
