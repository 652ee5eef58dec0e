/**
 * Text and number formatting for SVG output. Everything here is a pure function of its input, so
 * a figure built from the same data is the same bytes on every run and platform: coordinates are
 * rounded to 1/100 px and printed with the shortest round-trip form of that double, tick labels
 * with the decimals their step needs.
 *
 * @module
 */

/** Coordinates beyond this many px are clamped: they are off-canvas anyway, and huge values would print in exponent form. */
const COORDINATE_LIMIT = 1e6;

/**
 * A pixel coordinate or length as SVG text: rounded to 0.01 px, no `-0`, clamped to ±10⁶.
 *
 * @example
 * ```ts
 * formatCoordinate(12.3456); // "12.35"
 * formatCoordinate(-0.001); // "0"
 * ```
 */
export function formatCoordinate(value: number): string {
  const clamped = Math.max(-COORDINATE_LIMIT, Math.min(COORDINATE_LIMIT, value));
  const rounded = Math.round(clamped * 100) / 100;
  // Math.round(-0.1) is -0, which String() prints as "0" but keep the intent explicit.
  return rounded === 0 ? "0" : String(rounded);
}

/** Typographic minus sign (U+2212): the hyphen is too short next to digits. */
const MINUS = "\u2212";

function withMinus(text: string): string {
  return text.startsWith("-") ? MINUS + text.slice(1) : text;
}

/** Decimals needed to print multiples of `step` exactly (step from the 1-2-5 family or any value). */
function decimalsFor(step: number): number {
  for (let d = 0; d <= 15; d++) {
    const scaled = step * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) <= 1e-9 * Math.max(1, scaled)) return d;
  }
  return 15;
}

/**
 * The label of a tick at `value` on an axis whose ticks are `step` apart: as many decimals as the
 * step needs, exponent form for very large or very small magnitudes, a true minus sign, and `0`
 * (not `−0` or `1e-17`) for values that are zero up to rounding.
 *
 * @example
 * ```ts
 * formatTick(0.30000000000000004, 0.1); // "0.3"
 * formatTick(-2, 0.5); // "−2.0"
 * formatTick(2e6, 1e6); // "2e6"
 * ```
 */
export function formatTick(value: number, step: number): string {
  if (!Number.isFinite(value)) return String(value);
  const absStep = Math.abs(step);
  if (!(absStep > 0) || !Number.isFinite(absStep)) return withMinus(String(value));
  if (Math.abs(value) < absStep * 1e-9) return "0";
  const magnitude = Math.max(Math.abs(value), absStep);
  if (magnitude >= 1e6 || absStep < 1e-5) {
    // Mantissa digits: enough to tell neighbouring ticks apart.
    const digits = Math.max(0, Math.floor(Math.log10(Math.abs(value))) - Math.floor(Math.log10(absStep) + 1e-9));
    const [mantissa, exponent] = value.toExponential(Math.min(digits, 15)).split("e");
    const trimmed = mantissa.includes(".") ? mantissa.replace(/\.?0+$/, "") : mantissa;
    return withMinus(`${trimmed}e${exponent.replace("+", "")}`);
  }
  return withMinus(value.toFixed(decimalsFor(absStep)));
}

/**
 * A number for display in titles and notes: `digits` significant digits, trailing zeros kept so
 * columns line up, a true minus sign.
 *
 * @example
 * ```ts
 * formatValue(0.83214, 2); // "0.83"
 * formatValue(-1234.5, 3); // "−1230"
 * ```
 */
export function formatValue(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? "NaN" : value > 0 ? "∞" : `${MINUS}∞`;
  if (value === 0) return "0";
  // Round first: rounding can carry into the next power of ten (9.996 → 10.0).
  const rounded = Number(value.toPrecision(digits));
  const exponent = Math.floor(Math.log10(Math.abs(rounded)));
  if (exponent >= 6 || exponent < -4) return withMinus(rounded.toExponential(Math.max(0, digits - 1)).replace("+", ""));
  return withMinus(rounded.toFixed(Math.max(0, digits - 1 - exponent)));
}

/**
 * Replaces what XML 1.0 cannot carry at all — C0 controls other than tab, LF and CR, U+FFFE,
 * U+FFFF and unpaired surrogates — by U+FFFD.
 */
function xmlSafe(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        out += text[i] + text[i + 1];
        i++;
      } else {
        out += "\uFFFD";
      }
    } else if (
      (c >= 0xdc00 && c <= 0xdfff) ||
      (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) ||
      c === 0xfffe ||
      c === 0xffff
    ) {
      out += "\uFFFD";
    } else {
      out += text[i];
    }
  }
  return out;
}

/**
 * Escapes text for use in SVG element content or a double-quoted attribute value: `& < > " '`
 * become entities, and characters XML cannot carry at all become U+FFFD, so any user string
 * (a parameter name, a title) yields a well-formed document.
 *
 * @example
 * ```ts
 * escapeXml('a<b & "c"'); // "a&lt;b &amp; &quot;c&quot;"
 * ```
 */
export function escapeXml(text: string): string {
  return xmlSafe(text)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/**
 * Estimated rendered width (px) of `text` at `fontSize` in a sans-serif face: 0.6 em per
 * character. Layout only needs a deterministic upper-ish bound, not the exact glyph metrics the
 * viewer will use.
 *
 * @example
 * ```ts
 * textWidth("theta[1]", 11); // 52.8
 * ```
 */
export function textWidth(text: string, fontSize: number): number {
  return Array.from(text).length * fontSize * 0.6;
}
