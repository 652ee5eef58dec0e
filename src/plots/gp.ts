/**
 * Bayesian optimisation in one dimension: the GP posterior (mean ± 2 sd) with the observations,
 * and the acquisition function beneath it on the same x axis.
 *
 * @module
 */
import { DomainError, ShapeError } from "../core/errors.js";
import type { BoState } from "../inference/bo/kernel.js";
import {
  type FigureOptions,
  type LegendEntry,
  type Mark,
  type Numbers,
  type PanelSpec,
  renderFigure,
} from "./figure.js";
import { NEUTRAL, seriesColor } from "./palette.js";

/**
 * What {@link gpPlot} draws, on a grid of x values.
 *
 * @example
 * ```ts
 * const data: GpPlotData = { x: grid, mean, sd, observed: { x: xs, y: ys } };
 * ```
 */
export interface GpPlotData {
  /** Grid of inputs, ascending. */
  readonly x: Numbers;
  /** Posterior mean of f on the grid. */
  readonly mean: Numbers;
  /** Posterior standard deviation of f on the grid. */
  readonly sd: Numbers;
  /** Evaluated points. */
  readonly observed: { readonly x: Numbers; readonly y: Numbers };
  /** Acquisition values on the grid, drawn in a second panel. */
  readonly acquisition?: { readonly values: Numbers; readonly label?: string };
  /** The next point to evaluate (a vertical line in both panels). */
  readonly next?: number;
  /** The true objective on the grid (test problems), dashed. */
  readonly truth?: Numbers;
}

/**
 * Options of {@link gpPlotData}.
 *
 * @example
 * ```ts
 * gpPlotData(state, { points: 301, acquisition: (m, s, best) => bo.expectedImprovement(m, s, best) });
 * ```
 */
export interface GpPlotDataOptions {
  /** Grid size across the box (default 201). */
  readonly points?: number;
  /** Acquisition as a function of the posterior mean and sd at x and the best value so far (minimisation). */
  readonly acquisition?: (mean: number, sd: number, best: number) => number;
  /** Name of the acquisition (default "acquisition"). */
  readonly acquisitionLabel?: string;
  /** Evaluate the objective on the grid as the truth (only for cheap test functions; default false). */
  readonly truth?: boolean;
  /** The next point, e.g. `info.point[0]` of the step that follows. */
  readonly next?: number;
}

/**
 * Reads a 1-d BO state: the surrogate's posterior of f on a grid across the box, the
 * observations and, when given, an acquisition evaluated from the posterior.
 *
 * @throws DomainError for a state of dimension other than 1.
 * @example
 * ```ts
 * writeSvg("bo.svg", gpPlot(gpPlotData(state, { acquisition: bo.expectedImprovement })));
 * ```
 */
export function gpPlotData(state: BoState, options: GpPlotDataOptions = {}): GpPlotData {
  if (state.dimension !== 1) {
    throw new DomainError({
      where: "gpPlotData()",
      what: "only one-dimensional BO states can be drawn",
      got: `dimension ${state.dimension}`,
      expected: "1",
      hint: "plot a slice: condition the other inputs and predict on a 1-d grid yourself, then call gpPlot().",
    });
  }
  const size = Math.max(2, Math.round(options.points ?? 201));
  const lo = state.box.lower[0];
  const hi = state.box.upper[0];
  const x = Float64Array.from({ length: size }, (_, i) => (i === size - 1 ? hi : lo + ((hi - lo) * i) / (size - 1)));
  const { mean, variance } = state.surrogate.predict(Array.from(x, (v) => [v]));
  const sd = variance.map((v) => Math.sqrt(Math.max(0, v)));
  const best = state.values[state.bestIndex];
  const acquire = options.acquisition;
  return {
    x,
    mean,
    sd,
    observed: { x: state.points.slice(0, state.numObservations), y: state.values.slice() },
    acquisition: acquire
      ? {
          values: Float64Array.from(mean, (m, i) => acquire(m, sd[i], best)),
          label: options.acquisitionLabel,
        }
      : undefined,
    truth: options.truth ? Float64Array.from(x, (v) => state.objective.f(Float64Array.of(v))) : undefined,
    next: options.next,
  };
}

/**
 * The GP posterior of f (mean and a ±2 sd band) with the evaluated points, and, when given, the
 * acquisition in a panel below.
 *
 * How to read it: the band should cover the observations (they are noisy evaluations of f) and
 * widen away from them; a band that is narrow far from any observation means over-confident
 * length-scales, and the search will stop exploring there. The acquisition is high where a low
 * mean (exploitation) or a wide band (exploration) makes improvement likely; its maximum is the
 * next evaluation.
 *
 * @throws ShapeError when grid arrays differ in length.
 * @example
 * ```ts
 * writeSvg("bo.svg", gpPlot({ x: grid, mean, sd, observed: { x: xs, y: ys } }));
 * ```
 */
export function gpPlot(data: GpPlotData, options: FigureOptions = {}): string {
  const n = data.x.length;
  const lengths = [data.mean.length, data.sd.length, data.acquisition?.values.length ?? n, data.truth?.length ?? n];
  if (lengths.some((l) => l !== n) || data.observed.x.length !== data.observed.y.length) {
    throw new ShapeError({
      where: "gpPlot()",
      what: "grid arrays (or observation arrays) differ in length",
      got: `${n} grid points, lengths [${lengths.join(", ")}], ${data.observed.x.length}/${data.observed.y.length} observations`,
    });
  }
  const color = seriesColor(0);
  const nextColor = seriesColor(1);
  const lower = Float64Array.from({ length: n }, (_, i) => data.mean[i] - 2 * data.sd[i]);
  const upper = Float64Array.from({ length: n }, (_, i) => data.mean[i] + 2 * data.sd[i]);
  const nextRule: Mark[] =
    data.next === undefined ? [] : [{ kind: "rule", axis: "x", value: data.next, stroke: nextColor, dash: "5 3" }];
  const marks: Mark[] = [
    { kind: "area", x: data.x, y0: lower, y1: upper, fill: color, opacity: 0.2 },
    ...(data.truth
      ? [{ kind: "line", x: data.x, y: data.truth, stroke: NEUTRAL.reference, dash: "4 3" } as const]
      : []),
    { kind: "line", x: data.x, y: data.mean, stroke: color, strokeWidth: 2 },
    ...nextRule,
    { kind: "points", x: data.observed.x, y: data.observed.y, fill: NEUTRAL.ink, radius: 3.2 },
  ];
  const entries: LegendEntry[] = [
    { label: "posterior mean", color },
    { label: "± 2 sd", color, symbol: "rect", opacity: 0.25 },
    { label: "observations", color: NEUTRAL.ink, symbol: "point" },
  ];
  if (data.truth) entries.push({ label: "objective", color: NEUTRAL.reference, dash: "4 3" });
  if (data.next !== undefined) entries.push({ label: "next point", color: nextColor, dash: "5 3" });
  const xDomain: [number, number] = [Math.min(data.x[0], data.x[n - 1]), Math.max(data.x[0], data.x[n - 1])];
  const panels: PanelSpec[] = [
    {
      title: "GP posterior",
      x: { domain: xDomain, label: data.acquisition ? undefined : "x" },
      y: { label: "f(x)" },
      marks,
    },
  ];
  if (data.acquisition) {
    const acquisitionColor = seriesColor(2);
    panels.push({
      title: data.acquisition.label ?? "acquisition",
      x: { domain: xDomain, label: "x" },
      y: {},
      marks: [
        { kind: "line", x: data.x, y: data.acquisition.values, stroke: acquisitionColor, strokeWidth: 1.8 },
        ...nextRule,
      ],
    });
  }
  return renderFigure({
    title: options.title,
    columns: 1,
    panelWidth: options.panelWidth ?? 600,
    panelHeight: options.panelHeight ?? 230,
    idPrefix: options.idPrefix,
    legend: { entries },
    panels,
  });
}
