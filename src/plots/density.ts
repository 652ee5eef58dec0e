/**
 * Posterior densities: one panel per parameter, a kernel density estimate (or a histogram) per
 * chain, overlaid so that disagreeing chains show as curves that do not coincide.
 *
 * @module
 */
import { checkDraws, type ParameterDraws } from "./draws.js";
import { type FigureOptions, type LegendEntry, type Mark, renderFigure } from "./figure.js";
import { seriesColor } from "./palette.js";
import { histogram, kde } from "./stats.js";

/**
 * Options of {@link densityPlot}.
 *
 * @example
 * ```ts
 * densityPlot(params, { pooled: true, bounds: { tau: [0, Infinity] } });
 * ```
 */
export interface DensityPlotOptions extends FigureOptions {
  /** `"kde"` (default) or `"histogram"`. */
  readonly kind?: "kde" | "histogram";
  /** One curve for all chains together instead of one per chain (default false). */
  readonly pooled?: boolean;
  /** Support of a parameter by name, for boundary-corrected densities (e.g. `{ tau: [0, Infinity] }`). */
  readonly bounds?: Readonly<Record<string, readonly [number, number]>>;
  /** Panels per row (default up to 3). */
  readonly columns?: number;
}

/**
 * The marks of one parameter's density: a KDE line or histogram outline per chain (or pooled).
 *
 * @example
 * ```ts
 * const marks = densityMarks(param, { kind: "kde" });
 * ```
 */
export function densityMarks(
  parameter: ParameterDraws,
  options: Pick<DensityPlotOptions, "kind" | "pooled" | "bounds"> = {},
): Mark[] {
  const groups: { values: ArrayLike<number>; color: string }[] = options.pooled
    ? [{ values: parameter.chains.flatMap((c) => Array.from(c)), color: seriesColor(0) }]
    : parameter.chains.map((values, c) => ({ values, color: seriesColor(c) }));
  const bounds = options.bounds?.[parameter.name];
  if (options.kind === "histogram") {
    // One set of edges for every chain, so the outlines are comparable bin by bin.
    const all = parameter.chains.flatMap((c) => Array.from(c));
    const { edges } = histogram(all);
    return groups.map(({ values, color }) => {
      const { counts } = histogram(values, { bins: edges.length - 1, range: [edges[0], edges[edges.length - 1]] });
      const width = edges[1] - edges[0];
      // Step outline of the normalised histogram: two points per bin.
      const x: number[] = [];
      const y: number[] = [];
      for (let b = 0; b < counts.length; b++) {
        const h = counts[b] / (values.length * width);
        x.push(edges[b], edges[b + 1]);
        y.push(h, h);
      }
      return { kind: "line", x, y, stroke: color, strokeWidth: 1.3 } as const;
    });
  }
  return groups.map(({ values, color }) => {
    const { x, density } = kde(values, { bounds });
    return { kind: "line", x, y: density, stroke: color, strokeWidth: 1.5 } as const;
  });
}

/**
 * Posterior density of each parameter, chains overlaid.
 *
 * How to read it: curves of different chains should lie on top of each other; a chain whose
 * curve is shifted or has a mode the others lack has not mixed. Bounded parameters (scales,
 * probabilities) should be given `bounds`, or the estimate spills past the boundary.
 *
 * @throws ShapeError for inconsistent draws; DataError for non-finite draws.
 * @example
 * ```ts
 * writeSvg("density.svg", densityPlot(drawsOf(result, ["mu", "tau"]), { bounds: { tau: [0, Infinity] } }));
 * ```
 */
export function densityPlot(parameters: readonly ParameterDraws[], options: DensityPlotOptions = {}): string {
  const { numChains } = checkDraws("densityPlot()", parameters);
  const entries: LegendEntry[] = options.pooled
    ? []
    : Array.from({ length: numChains }, (_, c) => ({ label: `chain ${c + 1}`, color: seriesColor(c) }));
  return renderFigure({
    title: options.title,
    panelWidth: options.panelWidth ?? 300,
    panelHeight: options.panelHeight ?? 200,
    idPrefix: options.idPrefix,
    columns: options.columns,
    legend: entries.length > 1 ? { entries } : undefined,
    panels: parameters.map((p) => ({
      title: p.name,
      x: {},
      y: { include: [0], pad: [0, 0.05], label: "density" },
      marks: densityMarks(p, options),
    })),
  });
}
