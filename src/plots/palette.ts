/**
 * Colours. Series use the Okabe–Ito palette (Okabe & Ito 2008), which stays distinguishable under
 * the common colour-vision deficiencies; its yellow is left out (too light on white). Vermillion is
 * reserved as {@link HIGHLIGHT} for problems (divergent transitions, low E-BFMI) and never used for
 * a series, so "red-orange means trouble" holds in every figure.
 *
 * @module
 */

/**
 * Series colours in order: blue, orange, bluish green, reddish purple, sky blue, black.
 *
 * @example
 * ```ts
 * const chainColour = PALETTE[chain % PALETTE.length];
 * ```
 */
export const PALETTE: readonly string[] = Object.freeze([
  "#0072B2",
  "#E69F00",
  "#009E73",
  "#CC79A7",
  "#56B4E9",
  "#000000",
]);

/**
 * The highlight colour (Okabe–Ito vermillion): divergent transitions and failed checks.
 *
 * @example
 * ```ts
 * const mark = { kind: "points", x, y, fill: HIGHLIGHT } as const;
 * ```
 */
export const HIGHLIGHT = "#D55E00";

/**
 * Neutral colours of the chrome and of reference elements.
 *
 * @example
 * ```ts
 * const truthStem = { kind: "segments", x0, y0, x1, y1, stroke: NEUTRAL.reference } as const;
 * ```
 */
export const NEUTRAL = Object.freeze({
  /** Text and axis lines. */
  ink: "#222222",
  /** Tick labels and secondary text. */
  muted: "#555555",
  /** Grid lines. */
  grid: "#E5E5E5",
  /** Reference marks (true values, expected counts). */
  reference: "#777777",
  /** Background shading (support, intervals). */
  shade: "#EDEDED",
});

/**
 * The i-th series colour, cycling through {@link PALETTE}.
 *
 * @example
 * ```ts
 * seriesColor(0); // "#0072B2"
 * seriesColor(6); // "#0072B2" again
 * ```
 */
export function seriesColor(index: number): string {
  const n = PALETTE.length;
  return PALETTE[((Math.trunc(index) % n) + n) % n];
}
