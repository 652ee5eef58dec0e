/**
 * Figures for sparse Bayesian learning: coefficient recovery (true against estimated stems, the
 * true support shaded) and the log evidence per EM iteration.
 *
 * @module
 */
import { ShapeError } from "../core/errors.js";
import type { EmFit } from "../inference/em/fit_model.js";
import type { SblResult } from "../inference/em/types.js";
import { type FigureOptions, type LegendEntry, type Mark, type Numbers, renderFigure } from "./figure.js";
import { NEUTRAL, seriesColor } from "./palette.js";

/**
 * What {@link sblRecoveryPlot} draws: estimated coefficients, optionally with their posterior
 * standard deviations, the estimated support and the true coefficients.
 *
 * @example
 * ```ts
 * const data: SblRecoveryData = { estimate: fit.mean, sd, support: fit.support, truth: xTrue };
 * ```
 */
export interface SblRecoveryData {
  /** Estimated coefficients (length n). */
  readonly estimate: Numbers;
  /** Posterior standard deviations (drawn as ±2 sd bars on the support). */
  readonly sd?: Numbers;
  /** Indices kept by the fit (default: where the estimate is non-zero). */
  readonly support?: Numbers;
  /** True coefficients (simulation studies); their non-zero indices are shaded. */
  readonly truth?: Numbers;
}

function magnitudes(interleaved: Numbers): Float64Array {
  const out = new Float64Array(interleaved.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Math.hypot(interleaved[2 * i], interleaved[2 * i + 1]);
  return out;
}

/**
 * Reads recovery data from an SBL fit (`fitSbl`'s result, or `fitEm`'s, whose `sbl` field is
 * used). Complex fits (interleaved re, im) are shown as magnitudes |x_i|, without sd bars; a
 * complex `truth` is converted the same way.
 *
 * @example
 * ```ts
 * writeSvg("recovery.svg", sblRecoveryPlot(sblRecoveryData(fitSbl(problem), xTrue)));
 * ```
 */
export function sblRecoveryData(fit: SblResult | EmFit, truth?: Numbers): SblRecoveryData {
  const result: SblResult = "sbl" in fit ? fit.sbl : fit;
  const n = result.gamma.length;
  const complex = result.mean.length === 2 * n;
  const estimate = complex ? magnitudes(result.mean) : result.mean;
  const sd = complex ? undefined : result.varianceDiag.map((v) => Math.sqrt(Math.max(0, v)));
  const shownTruth = truth !== undefined && complex && truth.length === 2 * n ? magnitudes(truth) : truth;
  return { estimate, sd, support: result.support, truth: shownTruth };
}

/**
 * Options of {@link sblRecoveryPlot}.
 *
 * @example
 * ```ts
 * sblRecoveryPlot(data, { title: "ARD recovery", xLabel: "coefficient" });
 * ```
 */
export interface SblRecoveryOptions extends FigureOptions {
  readonly xLabel?: string;
  readonly yLabel?: string;
}

/**
 * Stem plot of true and estimated coefficients against their index. The true support is shaded;
 * true values are grey stems with rings, estimates on the estimated support blue stems with dots
 * (±2 posterior sd as a thin bar when `sd` is given).
 *
 * How to read it: a blue stem outside the shading is a false positive; shading without a blue
 * stem is a missed coefficient; the gap between the ring and the dot on shared indices is the
 * estimation error (SBL shrinks small coefficients towards 0). Sd bars that do not cover the
 * ring on the support show over-confidence, typical when the noise variance is underestimated.
 *
 * @throws ShapeError when the arrays' lengths differ.
 * @example
 * ```ts
 * writeSvg("recovery.svg", sblRecoveryPlot({ estimate: fit.mean, support: fit.support, truth: xTrue }));
 * ```
 */
export function sblRecoveryPlot(data: SblRecoveryData, options: SblRecoveryOptions = {}): string {
  const n = data.estimate.length;
  for (const [name, values] of [
    ["sd", data.sd],
    ["truth", data.truth],
  ] as const) {
    if (values !== undefined && values.length !== n) {
      throw new ShapeError({
        where: "sblRecoveryPlot()",
        what: `'${name}' has a different length from the estimate`,
        got: String(values.length),
        expected: String(n),
      });
    }
  }
  const support: number[] = [];
  if (data.support !== undefined) {
    for (let k = 0; k < data.support.length; k++) support.push(data.support[k]);
  } else {
    for (let i = 0; i < n; i++) if (data.estimate[i] !== 0) support.push(i);
  }
  const estimateColor = seriesColor(0);
  const supportColor = seriesColor(1);
  const marks: Mark[] = [];
  const entries: LegendEntry[] = [];
  if (data.truth !== undefined) {
    const truth = data.truth;
    const trueIdx: number[] = [];
    for (let i = 0; i < n; i++) if (truth[i] !== 0) trueIdx.push(i);
    marks.push({
      kind: "bands",
      axis: "x",
      from: trueIdx.map((i) => i - 0.5),
      to: trueIdx.map((i) => i + 0.5),
      fill: supportColor,
      opacity: 0.18,
    });
    entries.push({ label: `true support (${trueIdx.length})`, color: supportColor, symbol: "rect", opacity: 0.3 });
    marks.push(
      {
        kind: "segments",
        x0: trueIdx,
        x1: trueIdx,
        y0: trueIdx.map(() => 0),
        y1: trueIdx.map((i) => truth[i]),
        stroke: NEUTRAL.reference,
        strokeWidth: 1.5,
      },
      { kind: "points", x: trueIdx, y: trueIdx.map((i) => truth[i]), fill: NEUTRAL.reference, radius: 4, hollow: true },
    );
    entries.push({ label: "true value", color: NEUTRAL.reference, symbol: "ring" });
  }
  marks.push({ kind: "rule", axis: "y", value: 0, stroke: NEUTRAL.muted });
  if (data.sd !== undefined) {
    const sd = data.sd;
    marks.push({
      kind: "segments",
      x0: support,
      x1: support,
      y0: support.map((i) => data.estimate[i] - 2 * sd[i]),
      y1: support.map((i) => data.estimate[i] + 2 * sd[i]),
      stroke: estimateColor,
      strokeWidth: 3,
      opacity: 0.3,
    });
    entries.push({ label: "±2 posterior sd", color: estimateColor, strokeWidth: 3, opacity: 0.3 });
  }
  marks.push(
    {
      kind: "segments",
      x0: support,
      x1: support,
      y0: support.map(() => 0),
      y1: support.map((i) => data.estimate[i]),
      stroke: estimateColor,
      strokeWidth: 1.2,
    },
    { kind: "points", x: support, y: support.map((i) => data.estimate[i]), fill: estimateColor, radius: 2.6 },
  );
  entries.push({ label: `estimate on its support (${support.length})`, color: estimateColor, symbol: "point" });
  return renderFigure({
    title: options.title,
    panelWidth: options.panelWidth ?? 680,
    panelHeight: options.panelHeight ?? 280,
    idPrefix: options.idPrefix,
    legend: { entries },
    panels: [
      {
        x: { domain: [-0.5, n - 0.5], label: options.xLabel ?? "coefficient index" },
        y: { label: options.yLabel ?? "value", include: [0] },
        marks,
      },
    ],
  });
}

/**
 * A named log-evidence history (one value at the start and one after every step).
 *
 * @example
 * ```ts
 * const s: EvidenceSeries = { name: "EM", logEvidence: fit.logEvidence };
 * ```
 */
export interface EvidenceSeries {
  readonly name: string;
  readonly logEvidence: Numbers;
}

/**
 * The log-evidence history of an SBL fit, named.
 *
 * @example
 * ```ts
 * evidencePlot([evidenceSeries("EM", fitSbl(p)), evidenceSeries("Tipping–Faul", fitSbl(p, { algorithm: "tipping_faul" }))]);
 * ```
 */
export function evidenceSeries(name: string, fit: SblResult | EmFit): EvidenceSeries {
  return { name, logEvidence: fit.logEvidence };
}

/**
 * Options of {@link evidencePlot}.
 *
 * @example
 * ```ts
 * evidencePlot(series, { gap: true });
 * ```
 */
export interface EvidencePlotOptions extends FigureOptions {
  /**
   * Plot the gap to each series' best value, maxₜ Lₜ − Lₜ, on a log axis instead of Lₜ: shows the
   * convergence rate (a straight line is linear convergence). Iterations at the best value
   * (gap 0) are not drawn.
   */
  readonly gap?: boolean;
}

/**
 * Log evidence (type-II log likelihood) against iteration, one line per series.
 *
 * How to read it: EM for SBL increases the evidence at every step, so a plain EM curve must
 * never go down — a dip means a numerical problem (or a non-monotone update such as MacKay's or
 * a MAP variant that adds hyper-prior terms). Curves that flatten early at different heights are
 * different local optima; compare final values, not speed alone.
 *
 * @throws ShapeError for no series.
 * @example
 * ```ts
 * writeSvg("evidence.svg", evidencePlot([evidenceSeries("EM", fit)], { gap: true }));
 * ```
 */
export function evidencePlot(series: readonly EvidenceSeries[], options: EvidencePlotOptions = {}): string {
  if (series.length === 0) {
    throw new ShapeError({ where: "evidencePlot()", what: "no series given", got: "0", expected: "at least one" });
  }
  const marks: Mark[] = series.map((s, k) => {
    const n = s.logEvidence.length;
    const x = Float64Array.from({ length: n }, (_, i) => i);
    let y = Float64Array.from(s.logEvidence);
    if (options.gap) {
      const best = y.reduce((m, v) => (Number.isFinite(v) ? Math.max(m, v) : m), Number.NEGATIVE_INFINITY);
      y = y.map((v) => best - v);
    }
    return { kind: "line", x, y, stroke: seriesColor(k), strokeWidth: 1.8 };
  });
  return renderFigure({
    title: options.title,
    panelWidth: options.panelWidth ?? 560,
    panelHeight: options.panelHeight ?? 300,
    idPrefix: options.idPrefix,
    legend:
      series.length > 1 ? { entries: series.map((s, k) => ({ label: s.name, color: seriesColor(k) })) } : undefined,
    panels: [
      {
        x: { label: "iteration", pad: 0, nice: false },
        y: options.gap ? { type: "log", label: "best log evidence − log evidence" } : { label: "log evidence" },
        marks,
      },
    ],
  });
}
