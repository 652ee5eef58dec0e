/**
 * The set a random variable lives on. Bijectors are chosen from it; `logDensity` returns
 * `-Infinity` outside it.
 *
 * @example
 * ```ts
 * const s: Support = { kind: "interval", lower: 0, upper: 1 };
 * ```
 */
export type Support =
  | { readonly kind: "real" }
  | { readonly kind: "positive" }
  | { readonly kind: "lower"; readonly lower: number }
  | { readonly kind: "upper"; readonly upper: number }
  | { readonly kind: "interval"; readonly lower: number; readonly upper: number }
  | { readonly kind: "simplex" }
  | { readonly kind: "ordered" }
  | { readonly kind: "positive_ordered" }
  | { readonly kind: "cholesky_corr" }
  | { readonly kind: "integer"; readonly lower?: number; readonly upper?: number }
  | { readonly kind: "boolean" };

/** The real line. @example `REAL.kind === "real"` */
export const REAL: Support = Object.freeze({ kind: "real" });
/** The positive half-line (0, ∞). @example `POSITIVE.kind === "positive"` */
export const POSITIVE: Support = Object.freeze({ kind: "positive" });
/** The unit interval (0, 1). @example `UNIT_INTERVAL.kind === "interval"` */
export const UNIT_INTERVAL: Support = Object.freeze({ kind: "interval", lower: 0, upper: 1 });
/** The non-negative integers. @example `NONNEGATIVE_INTEGER.kind === "integer"` */
export const NONNEGATIVE_INTEGER: Support = Object.freeze({ kind: "integer", lower: 0 });
/** {0, 1}. @example `BOOLEAN.kind === "boolean"` */
export const BOOLEAN: Support = Object.freeze({ kind: "boolean" });

/**
 * Whether values in the support are discrete (no gradient exists).
 *
 * @example
 * ```ts
 * isDiscrete(NONNEGATIVE_INTEGER); // true
 * ```
 */
export function isDiscrete(support: Support): boolean {
  return support.kind === "integer" || support.kind === "boolean";
}

/**
 * Whether a scalar value lies in a scalar support (vector supports such as simplex are checked
 * by their families).
 *
 * @example
 * ```ts
 * inScalarSupport(POSITIVE, 0); // false
 * ```
 */
export function inScalarSupport(support: Support, x: number): boolean {
  if (Number.isNaN(x)) return false;
  switch (support.kind) {
    case "real":
      return Number.isFinite(x);
    case "positive":
      return x > 0 && x < Number.POSITIVE_INFINITY;
    case "lower":
      return x >= support.lower && x < Number.POSITIVE_INFINITY;
    case "upper":
      return x <= support.upper && x > Number.NEGATIVE_INFINITY;
    case "interval":
      return x >= support.lower && x <= support.upper;
    case "integer":
      return (
        Number.isInteger(x) &&
        (support.lower === undefined || x >= support.lower) &&
        (support.upper === undefined || x <= support.upper)
      );
    case "boolean":
      return x === 0 || x === 1;
    default:
      return Number.isFinite(x);
  }
}

/**
 * Renders a support for messages, e.g. `positive`, `interval(0, 1)`.
 *
 * @example
 * ```ts
 * formatSupport({ kind: "lower", lower: 0 }); // "lower(0)"
 * ```
 */
export function formatSupport(support: Support): string {
  switch (support.kind) {
    case "lower":
      return `lower(${support.lower})`;
    case "upper":
      return `upper(${support.upper})`;
    case "interval":
      return `interval(${support.lower}, ${support.upper})`;
    case "integer":
      return `integer${support.lower !== undefined || support.upper !== undefined ? `(${support.lower ?? "-inf"}, ${support.upper ?? "inf"})` : ""}`;
    default:
      return support.kind;
  }
}
