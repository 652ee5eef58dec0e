/**
 * Pair plots: every pair of parameters as a scatter of the pooled draws, divergent transitions
 * highlighted, with each parameter's histogram on the diagonal.
 *
 * @module
 */
import { ShapeError } from "../core/errors.js";
import { checkDraws, checkFlags, type ParameterDraws } from "./draws.js";
import { type FigureOptions, type LegendEntry, type Numbers, type PanelSpec, renderFigure } from "./figure.js";
import { HIGHLIGHT, seriesColor } from "./palette.js";
import { paddedDomain } from "./scale.js";
import { extentOf, histogram } from "./stats.js";

/**
 * Options of {@link pairPlot}.
 *
 * @example
 * ```ts
 * pairPlot(params, { divergent: divergentOf(result), maxPoints: 1000 });
 * ```
 */
export interface PairPlotOptions extends FigureOptions {
  /** Per-chain flags (1 = divergent transition); those draws are drawn on top in the highlight colour. */
  readonly divergent?: readonly Numbers[];
  /**
   * At most this many non-divergent draws per scatter (default 2000), taken at an even stride so
   * the figure stays deterministic and small; divergent draws are always all drawn.
   */
  readonly maxPoints?: number;
}

/**
 * A lower-triangular grid of scatter plots of the pooled draws for every pair of parameters,
 * with each parameter's histogram on the diagonal.
 *
 * How to read it: look for the geometry the sampler has to cross — strong correlations, banana
 * shapes, and funnels (a scale parameter, often on the log scale, against the parameters it
 * scales). Divergent transitions are drawn in vermillion: if they concentrate in one region
 * (the neck of a funnel), the sampler cannot resolve that region and the draws are biased; a
 * reparameterisation (e.g. non-centred) is usually the cure. Divergences scattered uniformly
 * among the draws are more likely false positives, which a smaller step size (a higher
 * `targetAcceptRate`) removes.
 *
 * @throws ShapeError for fewer than two parameters or inconsistent draws or flags.
 * @example
 * ```ts
 * const logTau = drawsOf(result, ["tau"])[0];
 * const params = [drawsOf(result, ["theta[1]"])[0], { name: "log tau", chains: logTau.chains.map((c) => c.map(Math.log)) }];
 * writeSvg("pair.svg", pairPlot(params, { divergent: divergentOf(result) }));
 * ```
 */
export function pairPlot(parameters: readonly ParameterDraws[], options: PairPlotOptions = {}): string {
  const where = "pairPlot()";
  const { numChains, numDraws } = checkDraws(where, parameters);
  if (parameters.length < 2) {
    throw new ShapeError({ where, what: "needs at least two parameters", got: String(parameters.length) });
  }
  if (options.divergent) checkFlags(where, options.divergent, numChains, numDraws);
  const k = parameters.length;
  const total = numChains * numDraws;
  // Pool chains once per parameter; split the pooled index set into divergent and the rest.
  const pooled = parameters.map((p) => {
    const out = new Float64Array(total);
    p.chains.forEach((c, ci) => {
      for (let i = 0; i < numDraws; i++) out[ci * numDraws + i] = c[i];
    });
    return out;
  });
  const divergentIndex: number[] = [];
  const regularIndex: number[] = [];
  for (let ci = 0; ci < numChains; ci++) {
    for (let i = 0; i < numDraws; i++) {
      const flagged = options.divergent !== undefined && options.divergent[ci][i] !== 0;
      (flagged ? divergentIndex : regularIndex).push(ci * numDraws + i);
    }
  }
  const maxPoints = Math.max(1, Math.round(options.maxPoints ?? 2000));
  const stride = Math.max(1, Math.ceil(regularIndex.length / maxPoints));
  const shown = regularIndex.filter((_, j) => j % stride === 0);
  const pick = (values: Float64Array, index: readonly number[]) => Float64Array.from(index, (i) => values[i]);
  const domains = pooled.map((values) => paddedDomain(...extentOf([values]), 0.04, 4));

  const panels: (PanelSpec | null)[] = [];
  for (let row = 0; row < k; row++) {
    for (let col = 0; col < k; col++) {
      const xLabel = row === k - 1 ? parameters[col].name : undefined;
      if (col > row) {
        panels.push(null);
      } else if (col === row) {
        const { edges, counts } = histogram(pooled[col], { bins: 30, range: domains[col] });
        panels.push({
          x: { domain: domains[col], label: xLabel, ticks: 4 },
          y: { include: [0], pad: [0, 0.05], hidden: true },
          grid: false,
          marks: [
            {
              kind: "rects",
              x0: edges.subarray(0, -1),
              x1: edges.subarray(1),
              y0: new Float64Array(counts.length),
              y1: counts,
              fill: seriesColor(0),
              opacity: 0.6,
              stroke: "#FFFFFF",
            },
          ],
        });
      } else {
        panels.push({
          x: { domain: domains[col], label: xLabel, ticks: 4 },
          y: { domain: domains[row], label: col === 0 ? parameters[row].name : undefined, ticks: 4 },
          marks: [
            {
              kind: "points",
              x: pick(pooled[col], shown),
              y: pick(pooled[row], shown),
              fill: seriesColor(0),
              radius: 1.6,
              opacity: 0.35,
            },
            ...(divergentIndex.length > 0
              ? [
                  {
                    kind: "points",
                    x: pick(pooled[col], divergentIndex),
                    y: pick(pooled[row], divergentIndex),
                    fill: HIGHLIGHT,
                    radius: 2.4,
                    opacity: 0.9,
                  } as const,
                ]
              : []),
          ],
        });
      }
    }
  }
  const entries: LegendEntry[] = [
    {
      label: stride > 1 ? `draws (1 in ${stride} of ${regularIndex.length} shown)` : "draws",
      color: seriesColor(0),
      symbol: "point",
      opacity: 0.5,
    },
  ];
  if (options.divergent)
    entries.push({ label: `divergent (${divergentIndex.length})`, color: HIGHLIGHT, symbol: "point" });
  return renderFigure({
    title: options.title,
    columns: k,
    panelWidth: options.panelWidth ?? 230,
    panelHeight: options.panelHeight ?? 210,
    idPrefix: options.idPrefix,
    legend: { entries },
    panels,
  });
}
