/**
 * The energy plot of Hamiltonian Monte Carlo (Betancourt 2016, "Diagnosing suboptimal cotangent
 * disintegrations in Hamiltonian Monte Carlo"): per chain, the marginal energy distribution
 * against the distribution of energy changes between successive draws, with the E-BFMI.
 *
 * @module
 */
import { ShapeError } from "../core/errors.js";
import type { McmcResult } from "../inference/mcmc/sample.js";
import { type FigureOptions, type Numbers, type PanelSpec, renderFigure } from "./figure.js";
import { formatValue } from "./format.js";
import { HIGHLIGHT, NEUTRAL, seriesColor } from "./palette.js";
import { extentOf, histogram } from "./stats.js";

/**
 * Options of {@link energyPlot}.
 *
 * @example
 * ```ts
 * energyPlot(energyOf(result), { bins: 40 });
 * ```
 */
export interface EnergyPlotOptions extends FigureOptions {
  /** Histogram bins (default 30). */
  readonly bins?: number;
  /** E-BFMI below this is flagged in the highlight colour (default 0.3). */
  readonly threshold?: number;
}

/**
 * The Hamiltonian at each kept draw, per chain (Stan's `energy__`).
 *
 * @example
 * ```ts
 * writeSvg("energy.svg", energyPlot(energyOf(result)));
 * ```
 */
export function energyOf(result: McmcResult): Float64Array[] {
  return result.chains.map((chain) => chain.stats.energy);
}

/**
 * Energy Bayesian fraction of missing information of one chain: Σ(Eₙ − Eₙ₋₁)² / Σ(Eₙ − Ē)²
 * (NaN for fewer than two draws or constant energy).
 *
 * @example
 * ```ts
 * energyBfmi(result.chains[0].stats.energy); // < 0.3: momentum resampling explores the energy poorly
 * ```
 */
export function energyBfmi(energy: Numbers): number {
  const n = energy.length;
  if (n < 2) return Number.NaN;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += energy[i];
  mean /= n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    if (i > 0) num += (energy[i] - energy[i - 1]) ** 2;
    den += (energy[i] - mean) ** 2;
  }
  return den > 0 ? num / den : Number.NaN;
}

/** E-BFMI with 2 significant digits, or more when rounding would hide which side of the threshold it is on. */
function bfmiText(bfmi: number, threshold: number): string {
  let digits = 2;
  let text = formatValue(bfmi, digits);
  while (digits < 6 && bfmi < threshold !== Number(text.replace("\u2212", "-")) < threshold) {
    digits++;
    text = formatValue(bfmi, digits);
  }
  return text;
}

/**
 * One panel per chain: overlaid density histograms of the centred marginal energy E − Ē and of
 * the energy transitions ΔE = Eₙ − Eₙ₋₁, on shared bins; the panel title gives the chain's
 * E-BFMI, in vermillion when it is below `threshold`.
 *
 * How to read it: each iteration, resampling the momentum can change the energy only by about
 * the spread of ΔE. When the ΔE histogram is as wide as the marginal energy histogram, a few
 * iterations reach any energy level the posterior needs (E-BFMI near 1). When it is much
 * narrower (E-BFMI below about 0.3), the chain random-walks through energy levels and explores
 * heavy tails slowly, which usually points to a poorly scaled hierarchical model (a funnel) —
 * reparameterise rather than run longer.
 *
 * @throws ShapeError for no chains or a chain with fewer than two draws; DataError for non-finite energies.
 * @example
 * ```ts
 * writeSvg("energy.svg", energyPlot(energyOf(result), { title: "Energy" }));
 * ```
 */
export function energyPlot(energy: readonly Numbers[], options: EnergyPlotOptions = {}): string {
  const where = "energyPlot()";
  if (energy.length === 0 || energy.some((e) => e.length < 2)) {
    throw new ShapeError({
      where,
      what: "needs at least one chain with at least two draws",
      got: `${energy.length} chains × [${energy.map((e) => e.length).join(", ")}]`,
    });
  }
  const threshold = options.threshold ?? 0.3;
  const bins = Math.max(2, Math.round(options.bins ?? 30));
  const panels: PanelSpec[] = energy.map((e, c) => {
    const n = e.length;
    let mean = 0;
    for (let i = 0; i < n; i++) mean += e[i];
    mean /= n;
    const centred = Float64Array.from({ length: n }, (_, i) => e[i] - mean);
    const transitions = Float64Array.from({ length: n - 1 }, (_, i) => e[i + 1] - e[i]);
    const range = extentOf([centred, transitions]);
    const marginal = histogram(centred, { bins, range });
    const change = histogram(transitions, { bins, range });
    const width = marginal.edges[1] - marginal.edges[0];
    const toDensity = (counts: Float64Array, size: number) => counts.map((v) => v / (size * width));
    const bfmi = energyBfmi(e);
    const low = bfmi < threshold;
    const x0 = marginal.edges.subarray(0, bins);
    const x1 = marginal.edges.subarray(1);
    const zeros = new Float64Array(bins);
    return {
      title: `chain ${c + 1} · E-BFMI ${bfmiText(bfmi, threshold)}${low ? ` (< ${threshold})` : ""}`,
      titleColor: low ? HIGHLIGHT : undefined,
      x: { label: "energy − mean", ticks: 4 },
      y: { include: [0], pad: [0, 0.05], hidden: true },
      grid: false,
      marks: [
        { kind: "rects", x0, x1, y0: zeros, y1: toDensity(marginal.counts, n), fill: seriesColor(0), opacity: 0.5 },
        { kind: "rects", x0, x1, y0: zeros, y1: toDensity(change.counts, n - 1), fill: seriesColor(1), opacity: 0.5 },
        { kind: "rule", axis: "x", value: 0, stroke: NEUTRAL.reference, dash: "3 3" },
      ],
    };
  });
  return renderFigure({
    title: options.title ?? "Energy: marginal vs transition",
    columns: Math.min(energy.length, 4),
    panelWidth: options.panelWidth ?? 260,
    panelHeight: options.panelHeight ?? 200,
    idPrefix: options.idPrefix,
    legend: {
      entries: [
        { label: "marginal energy E − Ē", color: seriesColor(0), symbol: "rect", opacity: 0.5 },
        { label: "energy transition ΔE", color: seriesColor(1), symbol: "rect", opacity: 0.5 },
      ],
    },
    panels,
  });
}
