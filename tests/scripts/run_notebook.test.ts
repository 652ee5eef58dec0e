/**
 * The headless notebook runner: the module it builds from the cells, output attribution to cells
 * in one shared scope, failure reports that name the cell and line, and the round trip of saved
 * outputs through the notebook's JSON. The end-to-end cases run small notebooks written to a
 * temporary directory (one child process each, about a second).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import {
  buildModule,
  joinLines,
  type Notebook,
  type NotebookCell,
  readNotebook,
  redirectToSource,
  runNotebook,
  serializeNotebook,
  splitLines,
  storedOutputs,
  typecheckNotebooks,
} from "../../scripts/run-notebook.js";

const repo = fileURLToPath(new URL("../../", import.meta.url));
const display = fileURLToPath(new URL("../../examples/notebooks/display.ts", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "sprig-notebook-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function notebook(cells: readonly (string | { markdown: string })[]): Notebook {
  return {
    cells: cells.map(
      (c, i): NotebookCell =>
        typeof c === "string"
          ? { cell_type: "code", id: `c${i}`, metadata: {}, source: splitLines(c), execution_count: null, outputs: [] }
          : { cell_type: "markdown", id: `m${i}`, metadata: {}, source: splitLines(c.markdown) },
    ),
    metadata: { kernelspec: { name: "tslab", display_name: "TypeScript", language: "typescript" } },
    nbformat: 4,
    nbformat_minor: 5,
  };
}

function save(name: string, nb: Notebook): string {
  const path = join(dir, name);
  writeFileSync(path, serializeNotebook(nb));
  return path;
}

const quiet = { log: () => {} };

describe("building the module", () => {
  it("puts a marker before every non-empty code cell and records where each cell starts", () => {
    const nb = notebook(["const a = 1;\nconst b = 2;", { markdown: "# text" }, "   \n", "console.log(a + b)\n"]);
    const built = buildModule(nb, dir, undefined);
    const lines = built.source.split("\n");
    expect(built.cells.map((c) => [c.cellIndex, c.executionCount])).toEqual([
      [0, 1],
      [3, 2],
    ]);
    expect(lines[built.cells[0].firstLine - 1]).toBe("const a = 1;");
    expect(lines[built.cells[0].firstLine]).toBe("const b = 2;");
    expect(lines[built.cells[1].firstLine - 1]).toBe("console.log(a + b)");
    expect(lines[built.cells[1].firstLine - 2]).toContain("(2);");
    expect(built.source).not.toContain("# text");
  });

  it("redirects relative imports of the package's dist/ to src/, and nothing else", () => {
    const from = join(repo, "examples", "notebooks");
    expect(redirectToSource("../../dist/index.js", from, repo)).toBe("../../src/index.js");
    expect(redirectToSource("../../dist/plots/index.js", from, repo)).toBe("../../src/plots/index.js");
    expect(redirectToSource("./display.js", from, repo)).toBe("./display.js");
    expect(redirectToSource("node:fs", from, repo)).toBe("node:fs");
    expect(redirectToSource("../../dist/no_such_module.js", from, repo)).toBe("../../dist/no_such_module.js");
    const nb = notebook([
      'import { plots } from "../../dist/index.js";\nconst m = await import("../../dist/index.js");',
    ]);
    const source = buildModule(nb, from, repo).source;
    expect(source).toContain('from "../../src/index.js"');
    expect(source).toContain('import("../../src/index.js")');
    expect(buildModule(nb, from, undefined).source).toContain('from "../../dist/index.js"');
  });

  it("stores multi-line strings as lists of lines and joins them back", () => {
    expect(splitLines("a\nb\n")).toEqual(["a\n", "b\n"]);
    expect(splitLines("a\n\nb")).toEqual(["a\n", "\n", "b"]);
    expect(splitLines("")).toEqual([]);
    for (const text of ["", "x", "a\nb", "a\n\n", "\n"]) expect(joinLines(splitLines(text))).toBe(text);
    expect(() => joinLines(3)).toThrow(/expected a string or a list of strings/);
  });
});

describe("running a notebook", () => {
  it("runs the cells in one scope and attributes streams and displays to the cell that produced them", async () => {
    const path = save(
      "shared.ipynb",
      notebook([
        `import { show } from ${JSON.stringify(display)};\nconst tiny = process.env.SPRIG_NOTEBOOK_TINY;\nconst xs = [1, 2, 3];\nconsole.log("first", tiny);`,
        { markdown: "Between the cells." },
        "await new Promise((r) => setTimeout(r, 20));\nconsole.error('to stderr');\nconsole.log('sum', xs.reduce((a, b) => a + b, 0));",
        `show('<svg xmlns="http://www.w3.org/2000/svg"><title>T</title><clipPath id="k"/><g clip-path="url(#k)"/></svg>');\nshow([{ a: 1, b: 0.123456 }]);`,
      ]),
    );
    const run = await runNotebook(path, { tiny: true, ...quiet });
    expect(run.ok).toBe(true);
    expect(run.cells.map((c) => [c.cellIndex, c.executionCount])).toEqual([
      [0, 1],
      [2, 2],
      [3, 3],
    ]);
    expect(run.cells[0].outputs).toEqual([{ output_type: "stream", name: "stdout", text: "first 1\n" }]);
    expect(run.cells[1].outputs).toEqual([
      { output_type: "stream", name: "stderr", text: "to stderr\n" },
      { output_type: "stream", name: "stdout", text: "sum 6\n" },
    ]);
    const [svg, table] = run.cells[2].outputs;
    expect(svg.output_type === "display_data" && svg.data["image/svg+xml"]).toContain('clip-path="url(#k-1)"');
    expect(svg.output_type === "display_data" && svg.data["text/plain"]).toBe("[SVG figure: T]");
    expect(table.output_type === "display_data" && table.data["text/plain"]).toBe("a  b\n-  ------\n1  0.1235");
    expect(table.output_type === "display_data" && table.data["text/html"]).toContain("<td");
    // The generated module is removed after the run.
    expect(readdirSync(dir).filter((f) => f.endsWith(".mts"))).toEqual([]);
  }, 30_000);

  it("sets the tiny flag only when asked", async () => {
    const path = save("flag.ipynb", notebook(["console.log(process.env.SPRIG_NOTEBOOK_TINY)"]));
    const run = await runNotebook(path, quiet);
    expect(run.cells[0].outputs).toEqual([{ output_type: "stream", name: "stdout", text: "0\n" }]);
  }, 30_000);

  it("saves outputs into the notebook so that they read back unchanged, leaving other cells alone", async () => {
    const nb = notebook([
      { markdown: "# Title\n\nSome *text*." },
      `import { show } from ${JSON.stringify(display)};\nconsole.log("line 1\\nline 2");`,
      `show('<svg xmlns="http://www.w3.org/2000/svg">\\n<rect/>\\n</svg>');`,
    ]);
    const path = save("write.ipynb", nb);
    const run = await runNotebook(path, { write: true, ...quiet });
    expect(run.ok).toBe(true);
    const text = readFileSync(path, "utf8");
    const written = readNotebook(path);
    expect(written.cells[0]).toEqual(nb.cells[0]);
    expect(written.cells.map((c) => c.execution_count ?? null)).toEqual([null, 1, 2]);
    expect(storedOutputs(written)).toEqual(run.cells.map((c) => c.outputs));
    expect(written.metadata).toEqual(nb.metadata);
    // Jupyter's layout: lists of lines, sorted keys, one-space indent; re-serialising is the identity.
    const raw = JSON.parse(text);
    expect(raw.cells[1].outputs[0].text).toEqual(["line 1\n", "line 2\n"]);
    expect(raw.cells[2].outputs[0].data["image/svg+xml"]).toEqual([
      '<svg xmlns="http://www.w3.org/2000/svg">\n',
      "<rect/>\n",
      "</svg>",
    ]);
    expect(Object.keys(raw.cells[1])).toEqual(["cell_type", "execution_count", "id", "metadata", "outputs", "source"]);
    expect(serializeNotebook(written)).toBe(text);
  }, 30_000);

  it("reports a throwing cell by its number, line and source, keeps earlier outputs and writes nothing", async () => {
    const path = save(
      "throws.ipynb",
      notebook([
        "console.log('before');",
        { markdown: "text" },
        "const ok = 1;\nconst value: { deep?: { x: number } } = {};\nconsole.log(value.deep!.x + ok);\nconsole.log('never');",
        "console.log('after');",
      ]),
    );
    const before = readFileSync(path, "utf8");
    const run = await runNotebook(path, { write: true, ...quiet });
    expect(run.ok).toBe(false);
    if (run.ok) return;
    expect(run.failure).toMatchObject({ executionCount: 2, cellIndex: 2, id: "c2", line: 3, ename: "TypeError" });
    expect(run.failure.sourceLine).toBe("console.log(value.deep!.x + ok);");
    expect(run.failure.message).toContain('In [2] (cell id "c2"), line 3 failed');
    expect(run.failure.message).toContain("3 | console.log(value.deep!.x + ok);");
    expect(run.cells[0].outputs).toEqual([{ output_type: "stream", name: "stdout", text: "before\n" }]);
    expect(run.cells[1].outputs.at(-1)).toMatchObject({ output_type: "error", ename: "TypeError" });
    expect(run.cells).toHaveLength(2);
    expect(readFileSync(path, "utf8")).toBe(before);
  }, 30_000);

  it("locates a rejected top-level await and a compile error in their cells", async () => {
    const rejected = await runNotebook(
      save("rejects.ipynb", notebook(["const a = 1;", "\nawait Promise.reject(new RangeError('nope'));"])),
      quiet,
    );
    expect(rejected.ok || rejected.failure).toMatchObject({
      executionCount: 2,
      line: 2,
      ename: "RangeError",
      evalue: "nope",
    });
    const redeclared = await runNotebook(
      save("redeclares.ipynb", notebook(["const a = 1;", "let b = 2;\nconst a = 3;"])),
      quiet,
    );
    expect(redeclared.ok || redeclared.failure).toMatchObject({ executionCount: 2, line: 2 });
    expect(redeclared.ok || redeclared.failure.evalue).toMatch(/"a" has already been declared/);
  }, 30_000);

  it("type-checks cells with the project's settings and reports errors at their cell and line", async () => {
    const path = save(
      "types.ipynb",
      notebook([
        "const n: number = 1;",
        { markdown: "text" },
        "const ok = n + 1;\nconst s: string = ok;\nconsole.log(s);",
      ]),
    );
    const errors = await typecheckNotebooks([path]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ executionCount: 2, id: "c2", line: 2, code: "TS2322" });
    expect(errors[0].message).toContain('types.ipynb: In [2] (cell id "c2"), line 2: TS2322');
    expect(readdirSync(dir).filter((f) => f.startsWith(".types"))).toEqual([]);
  }, 60_000);
});
