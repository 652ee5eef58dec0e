/**
 * Forest plots: a point estimate with an inner and an outer central interval per parameter, all
 * on one axis.
 *
 * @module
 */
import { DataError, DomainError, describeValue } from "../core/errors.js";
import { checkDraws, type ParameterDraws } from "./draws.js";
import { type FigureOptions, type Mark, renderFigure } from "./figure.js";
import { formatValue } from "./format.js";
import { NEUTRAL, seriesColor } from "./palette.js";
import { meanSd, quantileSorted, sortedCopy } from "./stats.js";

/**
 * One row of a forest plot.
 *
 * @example
 * ```ts
 * const row: ForestRow = { name: "mu", center: 4.4, inner: [2.1, 6.6], outer: [-1.3, 9.8], note: "R̂ 1.00" };
 * ```
 */
export interface ForestRow {
  readonly name: string;
  /** Point estimate (mean or median). */
  readonly center: number;
  /** Inner (e.g. 50%) interval. */
  readonly inner: readonly [number, number];
  /** Outer (e.g. 90%) interval. */
  readonly outer: readonly [number, number];
  /** Text written right of the plot on this row (e.g. R-hat and ESS). */
  readonly note?: string;
}

/**
 * Options of {@link forestRows}.
 *
 * @example
 * ```ts
 * forestRows(params, { inner: 0.5, outer: 0.94, center: "mean" });
 * ```
 */
export interface ForestRowsOptions {
  /** Probability mass of the inner central interval (default 0.5). */
  readonly inner?: number;
  /** Probability mass of the outer central interval (default 0.9). */
  readonly outer?: number;
  /** Point estimate (default `"median"`). */
  readonly center?: "median" | "mean";
}

/**
 * Summarises pooled draws into forest rows: the median (or mean) and equal-tailed central
 * intervals from type-7 sample quantiles.
 *
 * @throws DomainError unless 0 < inner < outer < 1; ShapeError/DataError for bad draws.
 * @example
 * ```ts
 * const rows = forestRows(drawsOf(result, ["mu", "tau", "theta"]));
 * ```
 */
export function forestRows(parameters: readonly ParameterDraws[], options: ForestRowsOptions = {}): ForestRow[] {
  checkDraws("forestRows()", parameters);
  const inner = options.inner ?? 0.5;
  const outer = options.outer ?? 0.9;
  if (!(inner > 0 && inner < outer && outer < 1)) {
    throw new DomainError({
      where: "forestRows()",
      what: "invalid interval probabilities",
      got: `inner ${describeValue(inner)}, outer ${describeValue(outer)}`,
      expected: "0 < inner < outer < 1",
    });
  }
  return parameters.map((p) => {
    const all = sortedCopy(p.chains.flatMap((c) => Array.from(c)));
    if (!all.every(Number.isFinite)) {
      throw new DataError({ where: "forestRows()", what: `parameter '${p.name}' has non-finite draws` });
    }
    const q = (prob: number) => quantileSorted(all, prob);
    return {
      name: p.name,
      center: options.center === "mean" ? meanSd(all).mean : q(0.5),
      inner: [q((1 - inner) / 2), q((1 + inner) / 2)],
      outer: [q((1 - outer) / 2), q((1 + outer) / 2)],
    };
  });
}

/**
 * Options of {@link forestPlot}.
 *
 * @example
 * ```ts
 * forestPlot(rows, { reference: 0, xLabel: "effect", labels: { center: "median" } });
 * ```
 */
export interface ForestPlotOptions extends FigureOptions {
  /** Draw a dashed vertical line here (e.g. 0). */
  readonly reference?: number;
  readonly xLabel?: string;
  /** What the marks mean, shown in the legend (default: point estimate, inner and outer interval). */
  readonly labels?: { readonly center?: string; readonly inner?: string; readonly outer?: string };
}

/**
 * A forest plot: one row per parameter, top to bottom in the given order, with a thin line for
 * the outer interval, a thick line for the inner one and a point for the estimate.
 *
 * How to read it: compare locations and uncertainties across parameters at a glance — which
 * effects are clearly away from the reference value, which are shrunk together (hierarchical
 * models), which are barely identified (wide outer intervals). Notes on the right typically
 * carry R-hat and ESS, so a row that looks fine but did not converge is not missed.
 *
 * @throws DomainError for no rows; DataError for non-finite row values.
 * @example
 * ```ts
 * writeSvg("forest.svg", forestPlot(forestRows(drawsOf(result, ["mu", "tau", "theta"])), { reference: 0 }));
 * ```
 */
export function forestPlot(rows: readonly ForestRow[], options: ForestPlotOptions = {}): string {
  if (rows.length === 0) {
    throw new DomainError({ where: "forestPlot()", what: "no rows to draw", got: "0 rows" });
  }
  for (const r of rows) {
    if (![r.center, ...r.inner, ...r.outer].every(Number.isFinite)) {
      throw new DataError({
        where: "forestPlot()",
        what: `row '${r.name}' has a non-finite value`,
        got: describeValue([r.center, r.inner, r.outer]),
      });
    }
  }
  const n = rows.length;
  // Row i at y = n − i, so the first row is on top.
  const y = rows.map((_, i) => n - i);
  const color = seriesColor(0);
  const marks: Mark[] = [];
  if (options.reference !== undefined) {
    marks.push({ kind: "rule", axis: "x", value: options.reference, dash: "4 3", stroke: NEUTRAL.reference });
  }
  marks.push(
    {
      kind: "segments",
      x0: rows.map((r) => r.outer[0]),
      x1: rows.map((r) => r.outer[1]),
      y0: y,
      y1: y,
      stroke: color,
      strokeWidth: 1.3,
    },
    {
      kind: "segments",
      x0: rows.map((r) => r.inner[0]),
      x1: rows.map((r) => r.inner[1]),
      y0: y,
      y1: y,
      stroke: color,
      strokeWidth: 4,
    },
    { kind: "points", x: rows.map((r) => r.center), y, fill: "#FFFFFF", radius: 3.6 },
    { kind: "points", x: rows.map((r) => r.center), y, fill: color, radius: 3.6, hollow: true },
  );
  const notes = rows.flatMap((r, i) => (r.note ? [{ value: y[i], label: r.note }] : []));
  const labels = options.labels ?? {};
  return renderFigure({
    title: options.title,
    panelWidth: options.panelWidth ?? 560,
    panelHeight: options.panelHeight ?? 64 + 22 * n,
    idPrefix: options.idPrefix,
    legend: {
      entries: [
        { label: labels.center ?? "point estimate", color, symbol: "ring" },
        { label: labels.inner ?? "inner interval", color, strokeWidth: 4 },
        { label: labels.outer ?? "outer interval", color, strokeWidth: 1.3 },
      ],
    },
    panels: [
      {
        x: { label: options.xLabel },
        y: { domain: [0.4, n + 0.6], tickValues: rows.map((r, i) => ({ value: y[i], label: r.name })) },
        marks,
        rightLabels: notes,
      },
    ],
  });
}

/**
 * The default legend text of {@link forestRows}' intervals, e.g. "50% interval".
 *
 * @example
 * ```ts
 * forestPlot(rows, { labels: forestLabels({ inner: 0.5, outer: 0.9 }) });
 * ```
 */
export function forestLabels(options: ForestRowsOptions = {}): {
  center: string;
  inner: string;
  outer: string;
} {
  return {
    center: options.center === "mean" ? "mean" : "median",
    inner: `${formatValue(100 * (options.inner ?? 0.5), 3).replace(/\.0+$/, "")}% interval`,
    outer: `${formatValue(100 * (options.outer ?? 0.9), 3).replace(/\.0+$/, "")}% interval`,
  };
}
