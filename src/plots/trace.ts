/**
 * Trace plots: the draws of each parameter against the iteration, chains overlaid, next to the
 * chains' densities, with divergent transitions marked under the trace.
 *
 * @module
 */
import { densityMarks } from "./density.js";
import { checkDraws, checkFlags, type ParameterDraws } from "./draws.js";
import { type FigureOptions, type LegendEntry, type Numbers, type PanelSpec, renderFigure } from "./figure.js";
import { HIGHLIGHT, seriesColor } from "./palette.js";
import { paddedDomain } from "./scale.js";
import { extentOf } from "./stats.js";

/**
 * Options of {@link tracePlot}.
 *
 * @example
 * ```ts
 * tracePlot(params, { divergent: divergentOf(result), density: false });
 * ```
 */
export interface TracePlotOptions extends FigureOptions {
  /** Per-chain flags (1 = divergent transition), drawn as ticks under the trace. */
  readonly divergent?: readonly Numbers[];
  /** Draw each parameter's per-chain densities left of its trace (default true). */
  readonly density?: boolean;
  /** Supports for the densities (e.g. `{ tau: [0, Infinity] }`). */
  readonly bounds?: Readonly<Record<string, readonly [number, number]>>;
}

/**
 * A trace plot per parameter (draw against iteration, one line per chain) with, by default, the
 * per-chain densities beside it on the same value axis.
 *
 * How to read it: after warm-up the chains should look like stationary, overlapping noise
 * ("hairy caterpillars") around the same level. Trends, chains stuck at different levels, or long
 * flat stretches (a chain that stops moving) mean the draws do not represent the posterior yet.
 * Ticks under the trace mark divergent transitions; if they cluster in one region of the value
 * axis, the sampler cannot enter that region (typically a funnel).
 *
 * @throws ShapeError for inconsistent draws or flags; DataError for non-finite draws.
 * @example
 * ```ts
 * writeSvg("trace.svg", tracePlot(drawsOf(result, ["mu", "tau"]), { divergent: divergentOf(result) }));
 * ```
 */
export function tracePlot(parameters: readonly ParameterDraws[], options: TracePlotOptions = {}): string {
  const { numChains, numDraws } = checkDraws("tracePlot()", parameters);
  if (options.divergent) checkFlags("tracePlot()", options.divergent, numChains, numDraws);
  const withDensity = options.density ?? true;
  const iterations = Float64Array.from({ length: numDraws }, (_, i) => i + 1);
  const divergentAt: number[] = [];
  for (const flags of options.divergent ?? []) {
    for (let i = 0; i < flags.length; i++) if (flags[i] !== 0) divergentAt.push(i + 1);
  }
  divergentAt.sort((a, b) => a - b);
  const panels: PanelSpec[] = [];
  for (const p of parameters) {
    const domain = paddedDomain(...extentOf(p.chains));
    if (withDensity) {
      panels.push({
        title: `${p.name}: density`,
        x: { domain },
        y: { include: [0], pad: [0, 0.05], hidden: true },
        marks: densityMarks(p, { bounds: options.bounds }),
      });
    }
    panels.push({
      title: withDensity ? `${p.name}: trace` : p.name,
      x: { domain: [1, Math.max(2, numDraws)], label: "iteration" },
      y: { domain },
      marks: [
        ...p.chains.map(
          (c, k) =>
            ({ kind: "line", x: iterations, y: c, stroke: seriesColor(k), strokeWidth: 0.8, opacity: 0.85 }) as const,
        ),
        ...(divergentAt.length > 0 ? [{ kind: "rug", values: divergentAt, stroke: HIGHLIGHT } as const] : []),
      ],
    });
  }
  const entries: LegendEntry[] = Array.from({ length: numChains }, (_, c) => ({
    label: `chain ${c + 1}`,
    color: seriesColor(c),
  }));
  if (divergentAt.length > 0) entries.push({ label: `divergent (${divergentAt.length})`, color: HIGHLIGHT });
  return renderFigure({
    title: options.title,
    columns: withDensity ? 2 : 1,
    panelWidth: options.panelWidth ?? (withDensity ? 340 : 560),
    panelHeight: options.panelHeight ?? 170,
    idPrefix: options.idPrefix,
    legend: { entries },
    panels,
  });
}
