/**
 * The figure core: a figure is plain data — a grid of panels (small multiples), each with two
 * axes and a list of marks in data coordinates, plus an optional legend — and
 * {@link renderFigure} turns it into one standalone SVG document. Every figure in this folder
 * builds a {@link FigureSpec} and renders it; write your own the same way.
 *
 * Layout is deterministic: panel margins come from estimated label widths, the left margin is
 * shared by all panels so small multiples line up, and numbers are printed with fixed rounding.
 *
 * @module
 */
import { DomainError, describeValue } from "../core/errors.js";
import { escapeXml, formatCoordinate as fmt, textWidth } from "./format.js";
import { NEUTRAL } from "./palette.js";
import { linearScale, logScale, type Scale, type TickValue, widenPoint } from "./scale.js";
import { element, textElement } from "./svg.js";

/**
 * Numbers a mark reads: a Float64Array, a plain array, any array-like.
 *
 * @example
 * ```ts
 * const xs: Numbers = new Float64Array([0, 1, 2]);
 * ```
 */
export type Numbers = ArrayLike<number>;

/**
 * A polyline through (x[i], y[i]); it breaks at non-finite points (and at values a log axis
 * cannot show).
 *
 * @example
 * ```ts
 * const m: LineMark = { kind: "line", x: [0, 1, 2], y: [1, 3, 2], stroke: PALETTE[0] };
 * ```
 */
export interface LineMark {
  readonly kind: "line";
  readonly x: Numbers;
  readonly y: Numbers;
  readonly stroke: string;
  /** Default 1.5 px. */
  readonly strokeWidth?: number;
  readonly opacity?: number;
  /** SVG `stroke-dasharray`, e.g. `"4 3"`. */
  readonly dash?: string;
}

/**
 * Circles at (x[i], y[i]); non-finite points are skipped.
 *
 * @example
 * ```ts
 * const m: PointsMark = { kind: "points", x, y, fill: HIGHLIGHT, radius: 3 };
 * ```
 */
export interface PointsMark {
  readonly kind: "points";
  readonly x: Numbers;
  readonly y: Numbers;
  readonly fill: string;
  /** Default 2.5 px. */
  readonly radius?: number;
  readonly opacity?: number;
  /** Draw rings (stroke in `fill`, no fill) instead of discs. */
  readonly hollow?: boolean;
}

/**
 * Axis-aligned rectangles [x0[i], x1[i]] × [y0[i], y1[i]] (bars, histogram bins).
 *
 * @example
 * ```ts
 * const bars: RectsMark = { kind: "rects", x0: [0, 1], x1: [1, 2], y0: [0, 0], y1: [3, 5], fill: PALETTE[0] };
 * ```
 */
export interface RectsMark {
  readonly kind: "rects";
  readonly x0: Numbers;
  readonly x1: Numbers;
  readonly y0: Numbers;
  readonly y1: Numbers;
  readonly fill: string;
  readonly opacity?: number;
  /** Outline colour (none by default). */
  readonly stroke?: string;
}

/**
 * The region between two curves y0(x) and y1(x) (an interval band); breaks at non-finite points.
 *
 * @example
 * ```ts
 * const band: AreaMark = { kind: "area", x, y0: lower, y1: upper, fill: PALETTE[0], opacity: 0.2 };
 * ```
 */
export interface AreaMark {
  readonly kind: "area";
  readonly x: Numbers;
  readonly y0: Numbers;
  readonly y1: Numbers;
  readonly fill: string;
  /** Default 0.25. */
  readonly opacity?: number;
}

/**
 * Straight segments (x0[i], y0[i]) – (x1[i], y1[i]): stems, error bars, intervals.
 *
 * @example
 * ```ts
 * const stems: SegmentsMark = { kind: "segments", x0: i, x1: i, y0: zeros, y1: values, stroke: PALETTE[0] };
 * ```
 */
export interface SegmentsMark {
  readonly kind: "segments";
  readonly x0: Numbers;
  readonly y0: Numbers;
  readonly x1: Numbers;
  readonly y1: Numbers;
  readonly stroke: string;
  /** Default 1 px. */
  readonly strokeWidth?: number;
  readonly opacity?: number;
}

/**
 * A reference line across the whole panel: vertical at x = value (`axis: "x"`) or horizontal at
 * y = value.
 *
 * @example
 * ```ts
 * const zero: RuleMark = { kind: "rule", axis: "y", value: 0, dash: "4 3" };
 * ```
 */
export interface RuleMark {
  readonly kind: "rule";
  readonly axis: "x" | "y";
  readonly value: number;
  /** Default the reference grey. */
  readonly stroke?: string;
  /** Default 1 px. */
  readonly strokeWidth?: number;
  readonly dash?: string;
}

/**
 * Shaded spans across the whole panel: x ∈ [from[i], to[i]] (`axis: "x"`) or y ∈ [from[i], to[i]].
 *
 * @example
 * ```ts
 * const support: BandsMark = { kind: "bands", axis: "x", from: [2.5], to: [3.5], fill: NEUTRAL.shade };
 * ```
 */
export interface BandsMark {
  readonly kind: "bands";
  readonly axis: "x" | "y";
  readonly from: Numbers;
  readonly to: Numbers;
  readonly fill: string;
  readonly opacity?: number;
}

/**
 * Short vertical ticks standing on the bottom edge of the panel at the given x values (e.g. the
 * iterations of divergent transitions under a trace).
 *
 * @example
 * ```ts
 * const rug: RugMark = { kind: "rug", values: [12, 480], stroke: HIGHLIGHT };
 * ```
 */
export interface RugMark {
  readonly kind: "rug";
  readonly values: Numbers;
  readonly stroke: string;
  /** Tick length in px (default 7). */
  readonly length?: number;
  /** Default 1.2 px. */
  readonly strokeWidth?: number;
}

/**
 * A text label at a data position.
 *
 * @example
 * ```ts
 * const note: TextMark = { kind: "text", x: 3, y: 0.5, text: "mode", anchor: "start", dx: 4 };
 * ```
 */
export interface TextMark {
  readonly kind: "text";
  readonly x: number;
  readonly y: number;
  readonly text: string;
  /** Default `"start"`. */
  readonly anchor?: "start" | "middle" | "end";
  readonly fill?: string;
  /** Font size in px (default 11). */
  readonly size?: number;
  /** Offsets in px. */
  readonly dx?: number;
  readonly dy?: number;
}

/**
 * Everything a panel can draw.
 *
 * @example
 * ```ts
 * const marks: Mark[] = [{ kind: "line", x, y, stroke: PALETTE[0] }, { kind: "rule", axis: "y", value: 0 }];
 * ```
 */
export type Mark =
  | LineMark
  | PointsMark
  | RectsMark
  | AreaMark
  | SegmentsMark
  | RuleMark
  | BandsMark
  | RugMark
  | TextMark;

/**
 * One axis of a panel. With no `domain`, the domain is the extent of the marks (and `include`),
 * widened by `pad` and then to whole ticks (`nice`).
 *
 * @example
 * ```ts
 * const y: AxisSpec = { label: "count", include: [0], pad: [0, 0.05] };
 * const x: AxisSpec = { type: "log", label: "SNR" };
 * ```
 */
export interface AxisSpec {
  /** Default `"linear"`. */
  readonly type?: "linear" | "log";
  /** A fixed domain (marks outside are clipped). */
  readonly domain?: readonly [number, number];
  /** Values the derived domain must contain (e.g. 0 for bars). */
  readonly include?: readonly number[];
  /** Fraction of the span added below and above the data (default 0.04; a pair sets each side). */
  readonly pad?: number | readonly [number, number];
  /** Widen a derived domain to whole ticks (default true). */
  readonly nice?: boolean;
  /** Axis title. */
  readonly label?: string;
  /** Approximate number of ticks (default from the panel size). */
  readonly ticks?: number;
  /** Explicit ticks (e.g. category names); replaces the automatic ones. */
  readonly tickValues?: readonly TickValue[];
  /** No ticks, tick labels or grid lines. */
  readonly hidden?: boolean;
}

/**
 * One panel: axes, marks and an optional title.
 *
 * @example
 * ```ts
 * const panel: PanelSpec = { title: "mu", x: { label: "iteration" }, y: {}, marks: [line] };
 * ```
 */
export interface PanelSpec {
  readonly title?: string;
  /** Colour of the title (e.g. {@link HIGHLIGHT} to flag a problem). */
  readonly titleColor?: string;
  readonly x?: AxisSpec;
  readonly y?: AxisSpec;
  readonly marks: readonly Mark[];
  /** Grid lines at the ticks (default true). */
  readonly grid?: boolean;
  /** Labels written to the right of the plot area at y positions (e.g. a summary per forest row). */
  readonly rightLabels?: readonly TickValue[];
}

/**
 * A legend entry: a swatch in the style of the mark it explains, and a label.
 *
 * @example
 * ```ts
 * const entry: LegendEntry = { label: "chain 1", color: PALETTE[0], symbol: "line" };
 * ```
 */
export interface LegendEntry {
  readonly label: string;
  readonly color: string;
  /** Default `"line"`. */
  readonly symbol?: "line" | "point" | "ring" | "rect";
  /** Line swatches: stroke width (default 2) and dash. */
  readonly strokeWidth?: number;
  readonly dash?: string;
  readonly opacity?: number;
}

/**
 * A whole figure: panels laid out row-major in `columns` columns (`null` leaves a cell empty).
 *
 * @example
 * ```ts
 * const svg = renderFigure({ title: "Two panels", columns: 2, panels: [a, b], legend: { entries } });
 * ```
 */
export interface FigureSpec {
  readonly panels: readonly (PanelSpec | null)[];
  /** Default: all panels in one row up to 3, else ⌈√n⌉. */
  readonly columns?: number;
  /** Size of one grid cell in px (default 320 × 220). */
  readonly panelWidth?: number;
  readonly panelHeight?: number;
  readonly title?: string;
  /** Accessible description (`<desc>`). */
  readonly description?: string;
  readonly legend?: {
    readonly entries: readonly LegendEntry[];
    /** Default `"top"` (rows under the title, wrapped to the width). */
    readonly position?: "top" | "right";
  };
  /** Prefix of element ids (clip paths); set distinct prefixes when inlining several figures in one page (default `"sprig"`). */
  readonly idPrefix?: string;
}

const TICK_FONT = 11;
const LABEL_FONT = 12;
const TITLE_FONT = 14;
const LEGEND_FONT = 11;
const TICK_LENGTH = 4;
const LEGEND_ROW = 17;
const SWATCH = 18;
const CLIP_SLACK = 5;
/** Smallest left margin: room for half of a centred x tick label at the left end. */
const MIN_LEFT = 20;

interface Extent {
  lo: number;
  hi: number;
}

function extend(extent: Extent, values: Numbers | undefined, positiveOnly: boolean): void {
  if (values === undefined) return;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v) || (positiveOnly && !(v > 0))) continue;
    if (v < extent.lo) extent.lo = v;
    if (v > extent.hi) extent.hi = v;
  }
}

function markValues(mark: Mark, axis: "x" | "y"): Numbers[] {
  switch (mark.kind) {
    case "line":
    case "points":
      return [axis === "x" ? mark.x : mark.y];
    case "area":
      return axis === "x" ? [mark.x] : [mark.y0, mark.y1];
    case "rects":
    case "segments":
      return axis === "x" ? [mark.x0, mark.x1] : [mark.y0, mark.y1];
    case "rule":
      return mark.axis === axis ? [[mark.value]] : [];
    case "bands":
      return mark.axis === axis ? [mark.from, mark.to] : [];
    case "rug":
      return axis === "x" ? [mark.values] : [];
    case "text":
      return [[axis === "x" ? mark.x : mark.y]];
  }
}

/** The domain of one axis: fixed, or derived from the marks and widened. */
function resolveDomain(spec: AxisSpec | undefined, marks: readonly Mark[], axis: "x" | "y"): [number, number] {
  const isLog = spec?.type === "log";
  if (spec?.domain) return [spec.domain[0], spec.domain[1]];
  const extent: Extent = { lo: Number.POSITIVE_INFINITY, hi: Number.NEGATIVE_INFINITY };
  for (const mark of marks) for (const values of markValues(mark, axis)) extend(extent, values, isLog);
  extend(extent, spec?.include, isLog);
  if (spec?.tickValues)
    extend(
      extent,
      spec.tickValues.map((t) => t.value),
      isLog,
    );
  let { lo, hi } = extent;
  if (!(lo <= hi)) [lo, hi] = isLog ? [1, 10] : [0, 1];
  if (lo === hi) {
    [lo, hi] = isLog ? [lo / 2, hi * 2] : widenPoint(lo, 0.1);
  }
  const pad = spec?.pad ?? 0.04;
  const [padLo, padHi] = typeof pad === "number" ? [pad, pad] : pad;
  if (isLog) {
    const ratio = Math.log(hi / lo);
    [lo, hi] = [lo * Math.exp(-padLo * ratio), hi * Math.exp(padHi * ratio)];
  } else {
    const span = hi - lo;
    [lo, hi] = [lo - padLo * span, hi + padHi * span];
  }
  return [lo, hi];
}

function makeScale(spec: AxisSpec | undefined, domain: [number, number], range: [number, number]): Scale {
  const scale = spec?.type === "log" ? logScale(domain, range) : linearScale(domain, range);
  const derived = spec?.domain === undefined;
  return derived && (spec?.nice ?? true) && !spec?.tickValues ? scale.nice(tickCount(spec, range)) : scale;
}

/** Default tick count: about one per 70 px across, one per 40 px up. */
function tickCount(spec: AxisSpec | undefined, range: readonly [number, number]): number {
  const vertical = range[0] > range[1];
  return spec?.ticks ?? Math.max(2, Math.round(Math.abs(range[1] - range[0]) / (vertical ? 40 : 70)));
}

function ticksOf(spec: AxisSpec | undefined, scale: Scale): readonly TickValue[] {
  if (spec?.hidden) return [];
  if (spec?.tickValues) return spec.tickValues;
  return scale.ticks(tickCount(spec, scale.range));
}

function checkSize(where: string, name: string, value: number): void {
  if (!(Number.isFinite(value) && value > 0)) {
    throw new DomainError({ where, what: `${name} must be a positive number of pixels`, got: describeValue(value) });
  }
}

/** Plot-area geometry of one panel cell. */
interface PanelBox {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

function polylinePoints(xs: Float64Array, ys: Float64Array, from: number, to: number): string {
  let out = "";
  for (let i = from; i < to; i++) out += `${i > from ? " " : ""}${fmt(xs[i])},${fmt(ys[i])}`;
  return out;
}

function mapAll(values: Numbers, scale: Scale): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = scale.map(values[i]);
  return out;
}

/** Runs [start, end) of indices where every array is finite. */
function finiteRuns(length: number, arrays: readonly Float64Array[]): [number, number][] {
  const runs: [number, number][] = [];
  let start = -1;
  for (let i = 0; i <= length; i++) {
    const ok = i < length && arrays.every((a) => Number.isFinite(a[i]));
    if (ok && start < 0) start = i;
    if (!ok && start >= 0) {
      runs.push([start, i]);
      start = -1;
    }
  }
  return runs;
}

function checkLengths(kind: string, arrays: readonly Numbers[]): number {
  const n = arrays[0].length;
  for (const a of arrays) {
    if (a.length !== n) {
      throw new DomainError({
        where: `renderFigure(): ${kind} mark`,
        what: "coordinate arrays differ in length",
        got: arrays.map((b) => b.length).join(" vs "),
        expected: "equal lengths",
      });
    }
  }
  return n;
}

function renderMark(mark: Mark, sx: Scale, sy: Scale, box: PanelBox): string {
  switch (mark.kind) {
    case "line": {
      const n = checkLengths("line", [mark.x, mark.y]);
      const px = mapAll(mark.x, sx);
      const py = mapAll(mark.y, sy);
      return finiteRuns(n, [px, py])
        .filter(([a, b]) => b - a >= 2)
        .map(([a, b]) =>
          element("polyline", {
            points: polylinePoints(px, py, a, b),
            fill: "none",
            stroke: mark.stroke,
            "stroke-width": mark.strokeWidth ?? 1.5,
            "stroke-opacity": mark.opacity === undefined ? undefined : String(mark.opacity),
            "stroke-dasharray": mark.dash,
            "stroke-linejoin": "round",
          }),
        )
        .join("");
    }
    case "points": {
      const n = checkLengths("points", [mark.x, mark.y]);
      const r = mark.radius ?? 2.5;
      let circles = "";
      for (let i = 0; i < n; i++) {
        const cx = sx.map(mark.x[i]);
        const cy = sy.map(mark.y[i]);
        if (Number.isFinite(cx) && Number.isFinite(cy)) circles += element("circle", { cx, cy, r });
      }
      if (circles === "") return "";
      const opacity = mark.opacity === undefined ? undefined : String(mark.opacity);
      return mark.hollow
        ? element("g", { fill: "none", stroke: mark.fill, "stroke-width": 1.2, "stroke-opacity": opacity }, circles)
        : element("g", { fill: mark.fill, "fill-opacity": opacity }, circles);
    }
    case "rects": {
      const n = checkLengths("rects", [mark.x0, mark.x1, mark.y0, mark.y1]);
      let rects = "";
      for (let i = 0; i < n; i++) {
        const a = sx.map(mark.x0[i]);
        const b = sx.map(mark.x1[i]);
        const c = sy.map(mark.y0[i]);
        const d = sy.map(mark.y1[i]);
        if (![a, b, c, d].every(Number.isFinite)) continue;
        rects += element("rect", {
          x: Math.min(a, b),
          y: Math.min(c, d),
          width: Math.abs(b - a),
          height: Math.abs(d - c),
        });
      }
      if (rects === "") return "";
      return element(
        "g",
        {
          fill: mark.fill,
          "fill-opacity": mark.opacity === undefined ? undefined : String(mark.opacity),
          stroke: mark.stroke,
          "stroke-width": mark.stroke === undefined ? undefined : 0.5,
        },
        rects,
      );
    }
    case "area": {
      const n = checkLengths("area", [mark.x, mark.y0, mark.y1]);
      const px = mapAll(mark.x, sx);
      const p0 = mapAll(mark.y0, sy);
      const p1 = mapAll(mark.y1, sy);
      let d = "";
      for (const [a, b] of finiteRuns(n, [px, p0, p1])) {
        if (b - a < 2) continue;
        d += `M${fmt(px[a])},${fmt(p1[a])}`;
        for (let i = a + 1; i < b; i++) d += `L${fmt(px[i])},${fmt(p1[i])}`;
        for (let i = b - 1; i >= a; i--) d += `L${fmt(px[i])},${fmt(p0[i])}`;
        d += "Z";
      }
      if (d === "") return "";
      return element("path", { d, fill: mark.fill, "fill-opacity": String(mark.opacity ?? 0.25), stroke: "none" });
    }
    case "segments": {
      const n = checkLengths("segments", [mark.x0, mark.y0, mark.x1, mark.y1]);
      let d = "";
      for (let i = 0; i < n; i++) {
        const a = sx.map(mark.x0[i]);
        const b = sy.map(mark.y0[i]);
        const c = sx.map(mark.x1[i]);
        const e = sy.map(mark.y1[i]);
        if ([a, b, c, e].every(Number.isFinite)) d += `M${fmt(a)},${fmt(b)}L${fmt(c)},${fmt(e)}`;
      }
      if (d === "") return "";
      return element("path", {
        d,
        fill: "none",
        stroke: mark.stroke,
        "stroke-width": mark.strokeWidth ?? 1,
        "stroke-opacity": mark.opacity === undefined ? undefined : String(mark.opacity),
      });
    }
    case "rule": {
      const style = {
        stroke: mark.stroke ?? NEUTRAL.reference,
        "stroke-width": mark.strokeWidth ?? 1,
        "stroke-dasharray": mark.dash,
      };
      if (mark.axis === "x") {
        const x = sx.map(mark.value);
        if (!Number.isFinite(x)) return "";
        return element("line", { x1: x, y1: box.top, x2: x, y2: box.top + box.height, ...style });
      }
      const y = sy.map(mark.value);
      if (!Number.isFinite(y)) return "";
      return element("line", { x1: box.left, y1: y, x2: box.left + box.width, y2: y, ...style });
    }
    case "bands": {
      const n = checkLengths("bands", [mark.from, mark.to]);
      const scale = mark.axis === "x" ? sx : sy;
      let rects = "";
      for (let i = 0; i < n; i++) {
        const a = scale.map(mark.from[i]);
        const b = scale.map(mark.to[i]);
        if (!Number.isFinite(a) || !Number.isFinite(b)) continue;
        rects +=
          mark.axis === "x"
            ? element("rect", { x: Math.min(a, b), y: box.top, width: Math.abs(b - a), height: box.height })
            : element("rect", { x: box.left, y: Math.min(a, b), width: box.width, height: Math.abs(b - a) });
      }
      if (rects === "") return "";
      const opacity = mark.opacity === undefined ? undefined : String(mark.opacity);
      return element("g", { fill: mark.fill, "fill-opacity": opacity }, rects);
    }
    case "rug": {
      const bottom = box.top + box.height;
      const length = mark.length ?? 7;
      let lines = "";
      for (let i = 0; i < mark.values.length; i++) {
        const x = sx.map(mark.values[i]);
        if (Number.isFinite(x)) lines += element("line", { x1: x, y1: bottom, x2: x, y2: bottom - length });
      }
      if (lines === "") return "";
      return element("g", { stroke: mark.stroke, "stroke-width": mark.strokeWidth ?? 1.2 }, lines);
    }
    case "text": {
      const x = sx.map(mark.x);
      const y = sy.map(mark.y);
      if (!Number.isFinite(x) || !Number.isFinite(y)) return "";
      return textElement(
        {
          x: x + (mark.dx ?? 0),
          y: y + (mark.dy ?? 0),
          "text-anchor": mark.anchor ?? "start",
          "font-size": mark.size ?? TICK_FONT,
          fill: mark.fill ?? NEUTRAL.ink,
        },
        mark.text,
      );
    }
  }
}

/** Margins around a panel's plot area inside its cell. */
interface Margins {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

function legendSwatch(entry: LegendEntry, x: number, y: number): string {
  const symbol = entry.symbol ?? "line";
  const cx = x + SWATCH / 2;
  const opacity = entry.opacity === undefined ? undefined : String(entry.opacity);
  switch (symbol) {
    case "line":
      return element("line", {
        x1: x,
        y1: y,
        x2: x + SWATCH,
        y2: y,
        stroke: entry.color,
        "stroke-width": entry.strokeWidth ?? 2,
        "stroke-dasharray": entry.dash,
        "stroke-opacity": opacity,
      });
    case "point":
      return element("circle", { cx, cy: y, r: 3.5, fill: entry.color, "fill-opacity": opacity });
    case "ring":
      return element("circle", { cx, cy: y, r: 3.5, fill: "none", stroke: entry.color, "stroke-width": 1.2 });
    case "rect":
      return element("rect", { x, y: y - 5, width: SWATCH, height: 10, fill: entry.color, "fill-opacity": opacity });
  }
}

function legendEntryWidth(entry: LegendEntry): number {
  return SWATCH + 5 + textWidth(entry.label, LEGEND_FONT) + 16;
}

/** Row-wrapped legend entries for a top legend of the given width. */
function legendRows(entries: readonly LegendEntry[], width: number): LegendEntry[][] {
  const rows: LegendEntry[][] = [];
  let row: LegendEntry[] = [];
  let used = 0;
  for (const entry of entries) {
    const w = legendEntryWidth(entry);
    if (row.length > 0 && used + w > width) {
      rows.push(row);
      row = [];
      used = 0;
    }
    row.push(entry);
    used += w;
  }
  if (row.length > 0) rows.push(row);
  return rows;
}

function renderLegendEntry(entry: LegendEntry, x: number, y: number): string {
  return (
    legendSwatch(entry, x, y) +
    textElement({ x: x + SWATCH + 5, y: y + 4, "font-size": LEGEND_FONT, fill: NEUTRAL.ink }, entry.label)
  );
}

/**
 * Renders a figure to a standalone SVG document (a string starting with `<svg`).
 *
 * @throws DomainError for non-positive sizes, invalid fixed domains or mark arrays of unequal length.
 * @example
 * ```ts
 * const svg = renderFigure({
 *   title: "A line",
 *   panels: [{ x: { label: "x" }, y: { label: "y" }, marks: [{ kind: "line", x: [0, 1, 2], y: [0, 1, 4], stroke: PALETTE[0] }] }],
 * });
 * ```
 */
export function renderFigure(spec: FigureSpec): string {
  const where = "renderFigure()";
  const count = spec.panels.length;
  const columns = Math.max(
    1,
    Math.round(spec.columns ?? (count <= 3 ? Math.max(1, count) : Math.ceil(Math.sqrt(count)))),
  );
  const rows = Math.max(1, Math.ceil(count / columns));
  const cellWidth = spec.panelWidth ?? 320;
  const cellHeight = spec.panelHeight ?? 220;
  checkSize(where, "panelWidth", cellWidth);
  checkSize(where, "panelHeight", cellHeight);
  const prefix = (spec.idPrefix ?? "sprig").replace(/[^A-Za-z0-9_-]/g, "_");

  const legendEntries = spec.legend?.entries ?? [];
  const legendRight = legendEntries.length > 0 && spec.legend?.position === "right";
  const rightWidth = legendRight ? Math.max(...legendEntries.map(legendEntryWidth)) + 8 : 0;
  const width = columns * cellWidth + rightWidth;
  const titleHeight = spec.title ? 30 : 6;
  const topRows = legendEntries.length > 0 && !legendRight ? legendRows(legendEntries, width - 24) : [];
  const legendHeight = topRows.length > 0 ? topRows.length * LEGEND_ROW + 4 : 0;
  const gridTop = titleHeight + legendHeight;
  const height = gridTop + rows * cellHeight;

  // Pass 1: domains, y ticks (the plot height is fixed by the vertical margins), margins.
  const prepared = spec.panels.map((panel) => {
    if (panel === null) return null;
    const margins: Margins = {
      top: panel.title ? 24 : 10,
      bottom: 8 + (panel.x?.hidden ? 0 : TICK_FONT + 8) + (panel.x?.label ? LABEL_FONT + 6 : 0),
      left: 0,
      // Room for half of a centred x tick label at the right end.
      right: 20,
    };
    const plotHeight = cellHeight - margins.top - margins.bottom;
    checkSize(where, "plot height (panelHeight minus titles and axes)", plotHeight);
    const yScale = makeScale(panel.y, resolveDomain(panel.y, panel.marks, "y"), [plotHeight, 0]);
    const yTicks = ticksOf(panel.y, yScale);
    const widest = yTicks.reduce((w, t) => Math.max(w, textWidth(t.label, TICK_FONT)), 0);
    margins.left =
      MIN_LEFT + (panel.y?.label ? LABEL_FONT + 8 : 0) + widest + (yTicks.length > 0 ? TICK_LENGTH + 4 : 0);
    if (panel.rightLabels?.length) {
      margins.right = 14 + panel.rightLabels.reduce((w, t) => Math.max(w, textWidth(t.label, TICK_FONT)), 0);
    }
    return { panel, margins, plotHeight, yDomain: yScale.domain };
  });
  // Shared left and right margins, so that the plot areas of a column line up.
  const left = prepared.reduce((m, p) => Math.max(m, p?.margins.left ?? 0), 0);
  const right = prepared.reduce((m, p) => Math.max(m, p?.margins.right ?? 0), 0);

  const defs: string[] = [];
  const body: string[] = [];
  prepared.forEach((entry, index) => {
    if (entry === null) return;
    const { panel, margins, plotHeight } = entry;
    const cellX = (index % columns) * cellWidth;
    const cellY = gridTop + Math.floor(index / columns) * cellHeight;
    const box: PanelBox = {
      left: cellX + left,
      top: cellY + margins.top,
      width: cellWidth - left - right,
      height: plotHeight,
    };
    checkSize(where, "plot width (panelWidth minus labels)", box.width);
    const sy = (panel.y?.type === "log" ? logScale : linearScale)(entry.yDomain, [box.top + box.height, box.top]);
    const sx = makeScale(panel.x, resolveDomain(panel.x, panel.marks, "x"), [box.left, box.left + box.width]);
    const xTicks = ticksOf(panel.x, sx);
    const yTicks = ticksOf(panel.y, sy);
    const clipId = `${prefix}-clip-${index}`;
    defs.push(
      element(
        "clipPath",
        { id: clipId },
        // A few px of slack so that markers on the domain's edge are not cut in half.
        element("rect", {
          x: box.left - CLIP_SLACK,
          y: box.top - CLIP_SLACK,
          width: box.width + 2 * CLIP_SLACK,
          height: box.height + 2 * CLIP_SLACK,
        }),
      ),
    );
    const parts: string[] = [];
    if (panel.title) {
      parts.push(
        textElement(
          {
            x: box.left + box.width / 2,
            y: cellY + 16,
            "text-anchor": "middle",
            "font-size": LABEL_FONT,
            "font-weight": "600",
            fill: panel.titleColor ?? NEUTRAL.ink,
          },
          panel.title,
        ),
      );
    }
    if (panel.grid ?? true) {
      let grid = "";
      for (const t of xTicks) {
        const x = sx.map(t.value);
        if (Number.isFinite(x)) grid += element("line", { x1: x, y1: box.top, x2: x, y2: box.top + box.height });
      }
      for (const t of yTicks) {
        const y = sy.map(t.value);
        if (Number.isFinite(y)) grid += element("line", { x1: box.left, y1: y, x2: box.left + box.width, y2: y });
      }
      if (grid !== "") parts.push(element("g", { stroke: NEUTRAL.grid, "stroke-width": 1 }, grid));
    }
    const marks = panel.marks.map((m) => renderMark(m, sx, sy, box)).join("");
    if (marks !== "") parts.push(element("g", { "clip-path": `url(#${clipId})` }, marks));

    // Axes: left and bottom lines, outward ticks, labels.
    const bottom = box.top + box.height;
    let axes = "";
    if (!panel.x?.hidden) axes += element("line", { x1: box.left, y1: bottom, x2: box.left + box.width, y2: bottom });
    if (!panel.y?.hidden) axes += element("line", { x1: box.left, y1: box.top, x2: box.left, y2: bottom });
    for (const t of xTicks) {
      const x = sx.map(t.value);
      if (Number.isFinite(x)) axes += element("line", { x1: x, y1: bottom, x2: x, y2: bottom + TICK_LENGTH });
    }
    for (const t of yTicks) {
      const y = sy.map(t.value);
      if (Number.isFinite(y)) axes += element("line", { x1: box.left - TICK_LENGTH, y1: y, x2: box.left, y2: y });
    }
    if (axes !== "") parts.push(element("g", { stroke: NEUTRAL.muted, "stroke-width": 1 }, axes));
    let labels = "";
    for (const t of xTicks) {
      const x = sx.map(t.value);
      if (Number.isFinite(x)) {
        labels += textElement({ x, y: bottom + TICK_LENGTH + TICK_FONT + 1, "text-anchor": "middle" }, t.label);
      }
    }
    for (const t of yTicks) {
      const y = sy.map(t.value);
      if (Number.isFinite(y)) {
        labels += textElement({ x: box.left - TICK_LENGTH - 3, y: y + 3.5, "text-anchor": "end" }, t.label);
      }
    }
    for (const t of panel.rightLabels ?? []) {
      const y = sy.map(t.value);
      if (Number.isFinite(y)) labels += textElement({ x: box.left + box.width + 8, y: y + 3.5 }, t.label);
    }
    if (labels !== "") parts.push(element("g", { fill: NEUTRAL.muted, "font-size": TICK_FONT }, labels));
    if (panel.x?.label) {
      parts.push(
        textElement(
          {
            x: box.left + box.width / 2,
            y: cellY + cellHeight - 8,
            "text-anchor": "middle",
            "font-size": LABEL_FONT,
            fill: NEUTRAL.ink,
          },
          panel.x.label,
        ),
      );
    }
    if (panel.y?.label) {
      const x = cellX + 8 + LABEL_FONT - 2;
      const y = box.top + box.height / 2;
      parts.push(
        textElement(
          {
            x,
            y,
            transform: `rotate(-90 ${fmt(x)} ${fmt(y)})`,
            "text-anchor": "middle",
            "font-size": LABEL_FONT,
            fill: NEUTRAL.ink,
          },
          panel.y.label,
        ),
      );
    }
    body.push(element("g", { class: "panel" }, parts.join("")));
  });

  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${fmt(width)}" height="${fmt(height)}" viewBox="0 0 ${fmt(width)} ${fmt(height)}" font-family="sans-serif" font-size="${TICK_FONT}">`,
    element("title", {}, escapeXml(spec.title ?? "sprig figure")),
  ];
  if (spec.description) out.push(element("desc", {}, escapeXml(spec.description)));
  out.push(element("rect", { width, height, fill: "#FFFFFF" }));
  if (defs.length > 0) out.push(element("defs", {}, defs.join("")));
  if (spec.title) {
    out.push(
      textElement({ x: 14, y: 21, "font-size": TITLE_FONT, "font-weight": "600", fill: NEUTRAL.ink }, spec.title),
    );
  }
  if (legendEntries.length > 0) {
    let legend = "";
    if (legendRight) {
      legendEntries.forEach((entry, i) => {
        legend += renderLegendEntry(entry, columns * cellWidth + 4, gridTop + 18 + i * LEGEND_ROW);
      });
    } else {
      topRows.forEach((row, r) => {
        let x = 14;
        for (const entry of row) {
          legend += renderLegendEntry(entry, x, titleHeight + 10 + r * LEGEND_ROW);
          x += legendEntryWidth(entry);
        }
      });
    }
    out.push(element("g", { class: "legend" }, legend));
  }
  out.push(...body, "</svg>");
  return `${out.join("\n")}\n`;
}

/**
 * Options every ready-made figure takes: a title, the size of one panel and the id prefix.
 *
 * @example
 * ```ts
 * tracePlot(params, { title: "Eight schools", panelWidth: 360, panelHeight: 180 });
 * ```
 */
export interface FigureOptions {
  readonly title?: string;
  readonly panelWidth?: number;
  readonly panelHeight?: number;
  /** See {@link FigureSpec.idPrefix}. */
  readonly idPrefix?: string;
}
