/**
 * A general line chart: named series against a shared x axis (linear or log), with markers.
 *
 * @module
 */
import { ShapeError } from "../core/errors.js";
import { type FigureOptions, type Mark, type Numbers, renderFigure } from "./figure.js";
import { seriesColor } from "./palette.js";

/**
 * One series of a line chart.
 *
 * @example
 * ```ts
 * const s: LineSeries = { name: "KroSBL-SVD", x: [0, 10, 20], y: [-5, -14, -22] };
 * ```
 */
export interface LineSeries {
  readonly name: string;
  readonly x: Numbers;
  readonly y: Numbers;
}

/**
 * Options of {@link linePlot}.
 *
 * @example
 * ```ts
 * linePlot(series, { xLabel: "SNR (dB)", yLabel: "NMSE (dB)", legend: "right" });
 * ```
 */
export interface LinePlotOptions extends FigureOptions {
  readonly xLabel?: string;
  readonly yLabel?: string;
  /** Default `"linear"`. */
  readonly xType?: "linear" | "log";
  readonly yType?: "linear" | "log";
  /** Dots at the data points (default: when a series has at most 50 points). */
  readonly markers?: boolean;
  /** Where the legend goes (default `"right"`). */
  readonly legend?: "top" | "right";
}

/**
 * Lines (one per series, palette colours in order) with optional markers and a legend.
 *
 * @throws ShapeError for no series or a series whose x and y differ in length.
 * @example
 * ```ts
 * const svg = linePlot([{ name: "a", x: [0, 10], y: [-5, -15] }], { xLabel: "SNR (dB)", yLabel: "NMSE (dB)" });
 * ```
 */
export function linePlot(series: readonly LineSeries[], options: LinePlotOptions = {}): string {
  if (series.length === 0) {
    throw new ShapeError({ where: "linePlot()", what: "no series given", got: "0", expected: "at least one" });
  }
  const marks: Mark[] = [];
  series.forEach((s, k) => {
    if (s.x.length !== s.y.length) {
      throw new ShapeError({
        where: "linePlot()",
        what: `series '${s.name}' has x and y of different lengths`,
        got: `${s.x.length} and ${s.y.length}`,
      });
    }
    const color = seriesColor(k);
    marks.push({ kind: "line", x: s.x, y: s.y, stroke: color, strokeWidth: 2 });
    if (options.markers ?? s.x.length <= 50) marks.push({ kind: "points", x: s.x, y: s.y, fill: color, radius: 3.2 });
  });
  return renderFigure({
    title: options.title,
    panelWidth: options.panelWidth ?? 460,
    panelHeight: options.panelHeight ?? 340,
    idPrefix: options.idPrefix,
    legend: {
      entries: series.map((s, k) => ({ label: s.name, color: seriesColor(k) })),
      position: options.legend ?? "right",
    },
    panels: [
      {
        x: { type: options.xType, label: options.xLabel, pad: 0, nice: false },
        y: { type: options.yType, label: options.yLabel },
        marks,
      },
    ],
  });
}
