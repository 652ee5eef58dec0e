/**
 * Rich output for sprig's example notebooks, in Jupyter and headless.
 *
 * `show(value)` displays an SVG figure (any string that starts with `<svg` or `<?xml`), a table
 * (`{ columns, rows }`, or an array of plain objects with the same keys) or plain text. Where it
 * goes depends on who runs the notebook:
 *
 * 1. the headless runner (`scripts/run-notebook.ts`) installs a sink on `globalThis`; the output is
 *    handed to it as a MIME bundle and saved into the notebook with `--write`;
 * 2. under the tslab Jupyter kernel, tslab's display API shows it in the notebook (tslab compiles
 *    this file to CommonJS and hooks `require("tslab")`, so the module is found without being a
 *    dependency of this project);
 * 3. anywhere else, the plain-text form is printed.
 *
 * Plain text always goes to `console.log`, so it is a stream output in every case.
 */

/**
 * A MIME bundle as in a Jupyter `display_data` output: MIME type → content.
 *
 * @example
 * ```ts
 * const bundle: MimeBundle = { "image/svg+xml": svg, "text/plain": "[SVG figure]" };
 * ```
 */
export type MimeBundle = Readonly<Record<string, string>>;

/**
 * The runner's sink: receives one MIME bundle per displayed value.
 *
 * @example
 * ```ts
 * const sink: DisplaySink = (bundle) => outputs.push(bundle);
 * ```
 */
export type DisplaySink = (bundle: MimeBundle) => void;

/**
 * A table: column names and rows of cells. Numbers are printed with 4 significant digits unless
 * they are integers.
 *
 * @example
 * ```ts
 * show({ columns: ["method", "F1"], rows: [["NUTS", 0.92], ["EM-SBL", 1]] });
 * ```
 */
export interface Table {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly (string | number | boolean)[])[];
  /** Shown above the table. */
  readonly caption?: string;
}

/**
 * What {@link show} accepts: an SVG document or text, a {@link Table}, or flat records.
 *
 * @example
 * ```ts
 * const rows: Showable = [{ method: "NUTS", f1: 0.91 }];
 * ```
 */
export type Showable = string | Table | readonly Readonly<Record<string, string | number | boolean>>[];

/**
 * The global key of the runner's sink (a registered symbol, so two copies of this module agree).
 *
 * @example
 * ```ts
 * (globalThis as Record<symbol, unknown>)[DISPLAY_SINK] = (bundle: MimeBundle) => saved.push(bundle);
 * ```
 */
export const DISPLAY_SINK: symbol = Symbol.for("sprig.notebook.display");

interface TslabDisplay {
  svg(s: string): void;
  html(s: string): void;
}

let tslabDisplay: TslabDisplay | null | undefined;

/** tslab's display API, or null outside tslab. Looked up once. */
function tslab(): TslabDisplay | null {
  if (tslabDisplay !== undefined) return tslabDisplay;
  tslabDisplay = null;
  // Under tslab this module runs as CommonJS with tslab's hooked `require`; as an ES module (tsx,
  // the headless runner) there is no `require` and the lookup is skipped.
  if (typeof require === "function") {
    try {
      const module = require("tslab") as { display?: TslabDisplay };
      if (module.display && typeof module.display.svg === "function") tslabDisplay = module.display;
    } catch {
      // not running under tslab
    }
  }
  return tslabDisplay;
}

function formatCell(value: string | number | boolean): string {
  if (typeof value !== "number") return String(value);
  if (Number.isInteger(value) || !Number.isFinite(value)) return String(value);
  return Number(value.toPrecision(4)).toString();
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/**
 * Normalises the accepted table forms to {@link Table}.
 *
 * @example
 * ```ts
 * toTable([{ a: 1, b: 2 }]); // { columns: ["a", "b"], rows: [[1, 2]] }
 * ```
 */
export function toTable(value: Table | readonly Readonly<Record<string, string | number | boolean>>[]): Table {
  if (!Array.isArray(value)) return value as Table;
  const records = value as readonly Readonly<Record<string, string | number | boolean>>[];
  const columns = records.length > 0 ? Object.keys(records[0]) : [];
  return { columns, rows: records.map((r) => columns.map((c) => r[c] ?? "")) };
}

/**
 * A table as aligned plain text (the `text/plain` form) and as HTML (the `text/html` form).
 *
 * @example
 * ```ts
 * const { text, html } = renderTable({ columns: ["x"], rows: [[1.23456]] }); // text "x\n----\n1.235"
 * ```
 */
export function renderTable(table: Table): { text: string; html: string } {
  const cells = table.rows.map((row) => row.map(formatCell));
  const widths = table.columns.map((c, j) => Math.max(c.length, ...cells.map((row) => (row[j] ?? "").length)));
  const line = (row: readonly string[]) =>
    row
      .map((cell, j) => cell.padEnd(widths[j]))
      .join("  ")
      .trimEnd();
  const text = [
    ...(table.caption ? [table.caption] : []),
    line(table.columns),
    widths.map((w) => "-".repeat(w)).join("  "),
    ...cells.map(line),
  ].join("\n");
  const numeric = table.columns.map((_, j) => table.rows.every((row) => typeof row[j] === "number"));
  const td = (tag: string, cell: string, j: number) =>
    `<${tag}${numeric[j] ? ' style="text-align:right"' : ""}>${escapeHtml(cell)}</${tag}>`;
  const html = [
    "<table>",
    ...(table.caption ? [`<caption>${escapeHtml(table.caption)}</caption>`] : []),
    `<thead><tr>${table.columns.map((c, j) => td("th", c, j)).join("")}</tr></thead>`,
    "<tbody>",
    ...cells.map((row) => `<tr>${row.map((c, j) => td("td", c, j)).join("")}</tr>`),
    "</tbody>",
    "</table>",
  ].join("\n");
  return { text, html };
}

function svgTitle(svg: string): string {
  const match = /<title[^>]*>([^<]*)<\/title>/.exec(svg);
  return match ? match[1].trim() : "";
}

let figuresShown = 0;

/**
 * Gives the element ids of the `n`-th figure a suffix of their own. sprig's figures all start
 * their clip-path ids at `sprig-clip-0`; where several SVGs are inlined into one page (the
 * classic notebook, GitHub's notebook view) a figure would otherwise clip to another's panels.
 *
 * @example
 * ```ts
 * uniqueIds('<clipPath id="a"/><g clip-path="url(#a)"/>', 2); // ids become "a-2"
 * ```
 */
export function uniqueIds(svg: string, n: number): string {
  const ids = new Set(Array.from(svg.matchAll(/\bid="([^"]+)"/g), (m) => m[1]));
  let out = svg;
  for (const id of ids) {
    const renamed = `${id}-${n}`;
    out = out
      .split(`id="${id}"`)
      .join(`id="${renamed}"`)
      .split(`url(#${id})`)
      .join(`url(#${renamed})`)
      .split(`href="#${id}"`)
      .join(`href="#${renamed}"`);
  }
  return out;
}

/**
 * Displays an SVG figure, a table or text in the notebook (see the module comment for where it goes).
 *
 * @example
 * ```ts
 * show(plots.rankPlot(drawsOf(result, ["mu", "tau"])));
 * show([{ method: "NUTS", f1: 0.91 }, { method: "ADVI", f1: 0.83 }]);
 * show("done");
 * ```
 */
export function show(value: Showable): void {
  if (typeof value === "string") {
    const trimmed = value.trimStart();
    if (!trimmed.startsWith("<svg") && !trimmed.startsWith("<?xml")) {
      console.log(value);
      return;
    }
    const svg = uniqueIds(value, ++figuresShown);
    const title = svgTitle(svg);
    const bundle = { "image/svg+xml": svg, "text/plain": `[SVG figure${title ? `: ${title}` : ""}]` };
    emit(bundle, (d) => d.svg(svg));
    return;
  }
  const { text, html } = renderTable(toTable(value));
  emit({ "text/html": html, "text/plain": text }, (d) => d.html(html));
}

function emit(bundle: MimeBundle, withTslab: (display: TslabDisplay) => void): void {
  const sink = (globalThis as Record<symbol, unknown>)[DISPLAY_SINK];
  if (typeof sink === "function") {
    (sink as DisplaySink)(bundle);
    return;
  }
  const display = tslab();
  if (display) {
    withTslab(display);
    return;
  }
  console.log(bundle["text/plain"]);
}
