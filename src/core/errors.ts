import { formatSpan, type SourceSpan } from "./span.js";

/**
 * The parts of every sprig error message. Rendered in one format:
 * `<span>: <where>: <what> — got <got>, expected <expected>. <hint>`.
 */
export interface ErrorParts {
  /** The component or model site the error belongs to, e.g. `normal()` or `nuts`. */
  readonly where: string;
  /** What went wrong, in plain words. */
  readonly what: string;
  /** The offending value, already rendered (use {@link describeValue}). */
  readonly got?: string;
  /** The constraint the value should have met. */
  readonly expected?: string;
  /** A way out: what the user can do about it. */
  readonly hint?: string;
  /** Where in the model source the problem is. */
  readonly span?: SourceSpan;
}

/**
 * Renders error parts in the one sprig format.
 *
 * @example
 * ```ts
 * formatError({ where: "normal()", what: "parameter 'scale' must be positive", got: "-1" });
 * // "normal(): parameter 'scale' must be positive — got -1."
 * ```
 */
export function formatError(parts: ErrorParts): string {
  let text = `${parts.span ? `${formatSpan(parts.span)}: ` : ""}${parts.where}: ${parts.what}`;
  if (parts.got !== undefined && parts.expected !== undefined) {
    text += ` — got ${parts.got}, expected ${parts.expected}.`;
  } else if (parts.got !== undefined) {
    text += ` — got ${parts.got}.`;
  } else if (parts.expected !== undefined) {
    text += ` — expected ${parts.expected}.`;
  } else if (!/[.!?]$/.test(text)) {
    text += ".";
  }
  if (parts.hint) text += ` Hint: ${parts.hint}`;
  return text;
}

/**
 * Renders a value for an error message: numbers as written, arrays abbreviated, shapes as `[3, 4]`.
 *
 * @example
 * ```ts
 * describeValue(new Float64Array([1, 2, 3])); // "[1, 2, 3]"
 * describeValue(Number.NaN); // "NaN"
 * ```
 */
export function describeValue(value: unknown): string {
  if (typeof value === "number") return String(value);
  if (typeof value === "string") return `'${value}'`;
  if (value === null || value === undefined) return String(value);
  if (ArrayBuffer.isView(value) || Array.isArray(value)) {
    const items = Array.from(value as ArrayLike<unknown>);
    const shown = items.slice(0, 6).map((v) => (Array.isArray(v) ? `[${v.length} items]` : String(v)));
    return `[${shown.join(", ")}${items.length > 6 ? `, … (${items.length} items)` : ""}]`;
  }
  if (typeof value === "object") return Object.prototype.toString.call(value);
  return String(value);
}

/** Base class of every error sprig throws on purpose; carries the structured parts. */
export class SprigError extends Error {
  /** The structured parts the message was rendered from. */
  readonly parts: ErrorParts;
  /**
   * @example
   * ```ts
   * throw new SprigError({ where: "sprig", what: "something failed" });
   * ```
   */
  constructor(parts: ErrorParts) {
    super(formatError(parts));
    this.parts = parts;
    this.name = new.target.name;
  }
  /** The source location, when the error points into model text. */
  get span(): SourceSpan | undefined {
    return this.parts.span;
  }
}

/**
 * A syntax error in sprig model text; one instance may carry several diagnostics.
 *
 * @example
 * ```ts
 * throw new ModelSyntaxError([{ where: "parser", what: "expected ';'", span: { line: 1, column: 5 } }]);
 * ```
 */
export class ModelSyntaxError extends SprigError {
  /** Every syntax diagnostic found in the pass, in source order. */
  readonly diagnostics: readonly ErrorParts[];
  constructor(diagnostics: readonly ErrorParts[], rendered?: string) {
    const first = diagnostics[0] ?? { where: "parser", what: "syntax error" };
    super(first);
    this.diagnostics = diagnostics;
    this.message = rendered ?? diagnostics.map(formatError).join("\n");
  }
}

/**
 * A model that is well-formed text but wrong: unknown name, bad argument, shape or constraint.
 *
 * @example
 * ```ts
 * throw new ModelError({ where: "builder", what: "duplicate name 'mu'" });
 * ```
 */
export class ModelError extends SprigError {}

/**
 * A backend cannot run this model (e.g. NUTS with a discrete latent); thrown before the run.
 *
 * @example
 * ```ts
 * throw new CapabilityError({ where: "nuts", what: "latent 'k' is discrete", hint: "use smc." });
 * ```
 */
export class CapabilityError extends SprigError {}

/**
 * A value outside the domain a function accepts (non-positive scale, not positive definite…).
 *
 * @example
 * ```ts
 * throw new DomainError({ where: "cholesky", what: "matrix is not positive definite", got: "pivot 3 = -0.2" });
 * ```
 */
export class DomainError extends SprigError {}

/**
 * Sizes or shapes that do not agree.
 *
 * @example
 * ```ts
 * throw new ShapeError({ where: "matvec", what: "inner sizes differ", got: "3", expected: "4" });
 * ```
 */
export class ShapeError extends SprigError {}

/**
 * Data bound to a model is missing, mis-shaped or non-finite.
 *
 * @example
 * ```ts
 * throw new DataError({ where: "data 'y'", what: "wrong length", got: "9", expected: "10" });
 * ```
 */
export class DataError extends SprigError {}
