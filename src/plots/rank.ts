/**
 * Rank plots (Vehtari, Gelman, Simpson, Carpenter & Bürkner 2021, §4.1): histograms, per chain,
 * of the ranks of each chain's draws among all draws pooled.
 *
 * @module
 */
import { checkDraws, type ParameterDraws } from "./draws.js";
import { type FigureOptions, type LegendEntry, type PanelSpec, renderFigure } from "./figure.js";
import { NEUTRAL, seriesColor } from "./palette.js";
import { niceDomain } from "./scale.js";
import { rankHistogram } from "./stats.js";

/**
 * Options of {@link rankPlot}.
 *
 * @example
 * ```ts
 * rankPlot(params, { bins: 20 });
 * ```
 */
export interface RankPlotOptions extends FigureOptions {
  /** Rank bins per histogram (default 20). */
  readonly bins?: number;
}

/** z of the central 99% interval of a normal: the band the counts should mostly stay in. */
const Z_99 = 2.5758293035489004;

/**
 * Rank histograms: one row per parameter, one panel per chain. All draws are ranked together;
 * each panel counts one chain's ranks in equal slices of 1 … N.
 *
 * How to read it: if all chains sample the same distribution, every chain's ranks are uniform,
 * so the bars scatter around the dashed line (n/bins) and nearly all stay inside the grey band
 * (the central 99% of a Binomial(n, 1/bins) count, which assumes independent draws; positively
 * autocorrelated chains scatter more). A chain with too many high (or low) ranks sits above (or
 * below) the others; a ∪ or ∩ shape means the chain has a larger (smaller) spread. Rank plots show
 * these differences more reliably than trace plots, especially with many draws.
 *
 * @throws ShapeError for inconsistent draws; DataError for non-finite draws.
 * @example
 * ```ts
 * writeSvg("rank.svg", rankPlot(drawsOf(result, ["mu", "tau"])));
 * ```
 */
export function rankPlot(parameters: readonly ParameterDraws[], options: RankPlotOptions = {}): string {
  const { numChains, numDraws } = checkDraws("rankPlot()", parameters);
  const bins = Math.max(1, Math.round(options.bins ?? 20));
  const histograms = parameters.map((p) => rankHistogram(p.chains, bins));
  const p = 1 / bins;
  const expected = numDraws * p;
  const halfWidth = Z_99 * Math.sqrt(numDraws * p * (1 - p));
  let top = expected + halfWidth;
  for (const h of histograms) for (const c of h.counts) for (const v of c) top = Math.max(top, v);
  // One y range for every panel, so heights compare across chains and parameters.
  const yDomain = niceDomain(0, top * 1.04, 4);
  const panels: PanelSpec[] = [];
  parameters.forEach((param, k) => {
    const { counts, edges, total } = histograms[k];
    counts.forEach((chainCounts, c) => {
      panels.push({
        title: numChains > 1 ? `${param.name} · chain ${c + 1}` : param.name,
        x: { domain: [0, total], ticks: 3 },
        y: { domain: yDomain, ticks: 3 },
        grid: false,
        marks: [
          {
            kind: "bands",
            axis: "y",
            from: [Math.max(0, expected - halfWidth)],
            to: [expected + halfWidth],
            fill: NEUTRAL.shade,
          },
          {
            kind: "rects",
            x0: edges.subarray(0, bins),
            x1: edges.subarray(1),
            y0: new Float64Array(bins),
            y1: chainCounts,
            fill: seriesColor(c),
            opacity: 0.85,
            stroke: "#FFFFFF",
          },
          { kind: "rule", axis: "y", value: expected, dash: "4 3" },
        ],
      });
    });
  });
  const entries: LegendEntry[] = [
    { label: `uniform expectation (n/${bins})`, color: NEUTRAL.reference, dash: "4 3", strokeWidth: 1 },
    { label: "99% band for independent draws", color: NEUTRAL.shade, symbol: "rect" },
  ];
  return renderFigure({
    title: options.title ?? "Rank histograms",
    columns: numChains,
    panelWidth: options.panelWidth ?? 210,
    panelHeight: options.panelHeight ?? 140,
    idPrefix: options.idPrefix,
    legend: { entries },
    panels,
  });
}
