/**
 * A location in model source text, 1-based lines and columns, used by every error that can
 * point at the model.
 *
 * @example
 * ```ts
 * const span: SourceSpan = { file: "model.sprig", line: 12, column: 18, endLine: 12, endColumn: 24 };
 * ```
 */
export interface SourceSpan {
  /** File name or a label such as `<builder>`; may be absent for in-memory text. */
  readonly file?: string;
  /** 1-based line of the first character. */
  readonly line: number;
  /** 1-based column of the first character. */
  readonly column: number;
  /** 1-based line of the last character (defaults to `line`). */
  readonly endLine?: number;
  /** 1-based column one past the last character (defaults to `column + 1`). */
  readonly endColumn?: number;
  /** 0-based offset of the first character in the text, when known. */
  readonly offset?: number;
}

/**
 * Formats a span as `file:line:col` (or `line:col` without a file).
 *
 * @example
 * ```ts
 * formatSpan({ file: "m.sprig", line: 3, column: 7 }); // "m.sprig:3:7"
 * ```
 */
export function formatSpan(span: SourceSpan): string {
  return `${span.file ? `${span.file}:` : ""}${span.line}:${span.column}`;
}
