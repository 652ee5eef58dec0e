/**
 * Dependency-free SVG figures for diagnostics and results. Every function returns a standalone
 * SVG document as a string (same input, same bytes) and runs in Node and browsers; `writeSvg`
 * (Node only) lives in `plots/node.ts`.
 *
 * Layers: `format`/`scale`/`palette` (numbers, ticks, colours) → `renderFigure` (panels of
 * marks in data coordinates) → ready-made figures taking plain arrays, with thin adapters from
 * sprig's results (`drawsOf`, `divergentOf`, `energyOf`, `sblRecoveryData`, `gpPlotData`).
 * See docs/plots.md.
 * @module plots
 */
export { type DensityPlotOptions, densityMarks, densityPlot } from "./density.js";
export { checkDraws, divergentOf, drawsOf, type ParameterDraws } from "./draws.js";
export { type EnergyPlotOptions, energyBfmi, energyOf, energyPlot } from "./energy.js";
export {
  type AreaMark,
  type AxisSpec,
  type BandsMark,
  type FigureOptions,
  type FigureSpec,
  type LegendEntry,
  type LineMark,
  type Mark,
  type Numbers,
  type PanelSpec,
  type PointsMark,
  type RectsMark,
  type RugMark,
  type RuleMark,
  renderFigure,
  type SegmentsMark,
  type TextMark,
} from "./figure.js";
export {
  type ForestPlotOptions,
  type ForestRow,
  type ForestRowsOptions,
  forestLabels,
  forestPlot,
  forestRows,
} from "./forest.js";
export { escapeXml, formatTick, formatValue } from "./format.js";
export { type GpPlotData, type GpPlotDataOptions, gpPlot, gpPlotData } from "./gp.js";
export { type LinePlotOptions, type LineSeries, linePlot } from "./lines.js";
export { HIGHLIGHT, NEUTRAL, PALETTE, seriesColor } from "./palette.js";
export { type PairPlotOptions, pairPlot } from "./pair.js";
export { type RankPlotOptions, rankPlot } from "./rank.js";
export {
  linearScale,
  linearTicks,
  logScale,
  logTicks,
  niceDomain,
  paddedDomain,
  type Scale,
  type TickValue,
  tickStep,
} from "./scale.js";
export {
  type EvidencePlotOptions,
  type EvidenceSeries,
  evidencePlot,
  evidenceSeries,
  type SblRecoveryData,
  type SblRecoveryOptions,
  sblRecoveryData,
  sblRecoveryPlot,
} from "./sbl.js";
export {
  type DensityEstimate,
  extentOf,
  type Histogram,
  type HistogramOptions,
  histogram,
  type KdeOptions,
  kde,
  meanSd,
  pooledRanks,
  quantileSorted,
  rankHistogram,
  silvermanBandwidth,
  sortedCopy,
} from "./stats.js";
export { type TracePlotOptions, tracePlot } from "./trace.js";
