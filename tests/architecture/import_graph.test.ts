import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * The one-way dependency rules of DESIGN.md section 2, checked on the real import graph:
 * core <- everything; lang -> ir <- inference -> runtime -> kernels.
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const SRC = join(ROOT, "src");

interface Edge {
  readonly from: string; // path relative to src/
  readonly to: string; // path relative to src/, or the bare package name
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...sourceFiles(full));
    else if (entry.endsWith(".ts")) out.push(full);
  }
  return out;
}

const IMPORT_RE = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

/** Every import (static, re-export, dynamic with a literal) of one file's text. */
export function importsOf(fromRel: string, text: string): Edge[] {
  const edges: Edge[] = [];
  for (const match of text.matchAll(IMPORT_RE)) {
    const spec = match[1] ?? match[2];
    if (!spec) continue;
    const to = spec.startsWith(".") ? relative(SRC, resolve(SRC, dirname(fromRel), spec)) : spec;
    edges.push({ from: fromRel, to });
  }
  return edges;
}

const FOLDERS = ["core", "ir", "lang", "inference", "runtime", "kernels", "plots", "cli"] as const;
type Folder = (typeof FOLDERS)[number] | "root" | "external";

function folderOf(path: string): Folder {
  if (!path.includes("/") && path.endsWith(".ts")) return "root";
  if (path.startsWith("..")) return "external";
  const head = path.split("/")[0];
  return (FOLDERS as readonly string[]).includes(head ?? "") ? (head as Folder) : "external";
}

/** Allowed target folders for each source folder; packages are checked separately. */
const ALLOWED: Record<Exclude<Folder, "external">, readonly Folder[]> = {
  kernels: ["kernels"],
  core: ["core"],
  runtime: ["runtime", "kernels", "core"],
  ir: ["ir", "core"],
  lang: ["lang", "ir", "core", "runtime"],
  inference: ["inference", "ir", "runtime", "kernels", "core"],
  // Figures take plain arrays and read sprig's result types; no backend depends on them.
  plots: ["plots", "inference", "core"],
  // The command line is an application on top of the public API: nothing imports it.
  cli: ["cli", "root", "plots", "lang", "ir", "inference", "runtime", "kernels", "core"],
  root: ["core", "ir", "lang", "inference", "runtime", "kernels", "plots"],
};

/** The violations of the dependency rules in a list of edges. */
export function violations(edges: readonly Edge[]): string[] {
  const bad: string[] = [];
  for (const { from, to } of edges) {
    const source = folderOf(from);
    if (source === "external") continue;
    const isPackage = !to.includes("/") || (!to.startsWith("src") && folderOf(to) === "external");
    const target = folderOf(to);
    if (source === "kernels" && (isPackage || target !== "kernels")) {
      bad.push(`${from} imports '${to}': src/kernels must import nothing outside src/kernels`);
    } else if (!isPackage && target !== "external" && !ALLOWED[source].includes(target)) {
      bad.push(`${from} imports '${to}': src/${source} may not depend on src/${target}`);
    }
  }
  return bad;
}

describe("import graph", () => {
  it("follows DESIGN.md's one-way dependencies", () => {
    const edges = sourceFiles(SRC).flatMap((file) => importsOf(relative(SRC, file), readFileSync(file, "utf8")));
    expect(edges.length).toBeGreaterThan(0);
    expect(violations(edges)).toEqual([]);
  });

  it("catches each forbidden direction", () => {
    const forbidden: Edge[] = [
      { from: "kernels/blas1.ts", to: "core/errors.js" },
      { from: "kernels/blas1.ts", to: "seedrandom" },
      { from: "runtime/operators/dense.ts", to: "ir/graph.js" },
      { from: "runtime/operators/dense.ts", to: "inference/model/compile.js" },
      { from: "inference/mcmc/nuts.ts", to: "lang/text/parse.js" },
      { from: "core/errors.ts", to: "runtime/rng/rng.js" },
      { from: "inference/mcmc/sample.ts", to: "plots/trace.js" },
      { from: "index.ts", to: "cli/main.js" },
      { from: "plots/trace.ts", to: "cli/shared.js" },
    ];
    expect(violations(forbidden)).toHaveLength(forbidden.length);
    expect(violations([{ from: "inference/mcmc/nuts.ts", to: "runtime/rng/rng.js" }])).toEqual([]);
  });

  it("resolves relative specifiers against the importing file", () => {
    const edges = importsOf("runtime/operators/dense.ts", 'import { ddot } from "../../kernels/blas1.js";\n');
    expect(edges).toEqual([{ from: "runtime/operators/dense.ts", to: "kernels/blas1.js" }]);
  });
});
