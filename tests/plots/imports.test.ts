import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * src/plots' place in the dependency graph (tests/architecture does not know the folder yet):
 * plots may import core, and only types from inference; only plots/node.ts may touch Node; no
 * package at all; and nothing else in src/ except the composition root may import plots.
 */
const SRC = join(dirname(fileURLToPath(import.meta.url)), "../../src");

interface Import {
  readonly from: string; // relative to src/
  readonly to: string; // relative to src/, or the bare specifier
  readonly typeOnly: boolean;
}

const IMPORT_RE =
  /(?:^|\n)\s*(import|export)(\s+type)?\s[^;]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

function importsOf(fromRel: string, text: string): Import[] {
  const out: Import[] = [];
  for (const m of text.matchAll(IMPORT_RE)) {
    const spec = m[3] ?? m[4];
    const to = spec.startsWith(".") ? relative(SRC, resolve(SRC, dirname(fromRel), spec)) : spec;
    out.push({ from: fromRel, to, typeOnly: m[2] !== undefined });
  }
  return out;
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = join(dir, entry);
    return statSync(full).isDirectory() ? files(full) : entry.endsWith(".ts") ? [full] : [];
  });
}

/** Violations of the plots rules among the given imports. */
export function plotViolations(imports: readonly Import[]): string[] {
  const bad: string[] = [];
  for (const { from, to, typeOnly } of imports) {
    const inPlots = from.startsWith("plots/");
    if (!inPlots) {
      if (to.startsWith("plots/") && from.includes("/"))
        bad.push(`${from} imports ${to}: only src/index.ts may import plots`);
      continue;
    }
    if (to.startsWith("node:")) {
      if (from !== "plots/node.ts") bad.push(`${from} imports ${to}: only plots/node.ts may use Node`);
    } else if (to.startsWith("inference/")) {
      if (!typeOnly) bad.push(`${from} imports ${to}: plots may import only types from inference`);
    } else if (!to.startsWith("plots/") && !to.startsWith("core/")) {
      bad.push(`${from} imports ${to}: plots may depend on core (and inference types) only`);
    }
  }
  return bad;
}

describe("plots in the import graph", () => {
  it("follows its rules", () => {
    const all = files(SRC).flatMap((f) => importsOf(relative(SRC, f), readFileSync(f, "utf8")));
    expect(all.filter((i) => i.from.startsWith("plots/")).length).toBeGreaterThan(10);
    expect(plotViolations(all)).toEqual([]);
  });

  it("catches each forbidden import", () => {
    const forbidden = [
      "import { fitSbl } from '../inference/em/fit.js';",
      'import { writeFileSync } from "node:fs";',
      'import { Matrix } from "ml-matrix";',
      'import { createRng } from "../runtime/rng/index.js";',
    ];
    for (const line of forbidden) expect(plotViolations(importsOf("plots/sbl.ts", line))).toHaveLength(1);
    expect(
      plotViolations(importsOf("inference/em/fit.ts", 'import { kde } from "../../plots/stats.js";')),
    ).toHaveLength(1);
    expect(
      plotViolations(importsOf("plots/sbl.ts", 'import type { SblResult } from "../inference/em/types.js";')),
    ).toEqual([]);
  });
});
