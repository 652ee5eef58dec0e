/**
 * Error reporting for model text. Syntax errors (lexer and parser, all of them from one pass
 * thanks to chevrotain's recovery) and semantic errors share one rendering: the DESIGN.md
 * message with `file:line:col`, then the source line and a caret under the offending text:
 * ```
 * m.sprig:4:9: syntax error: expected ';' — got 'sigma'. Hint: a ';' is probably missing at the end of line 3.
 *     4 |   real sigma;
 *       |        ^^^^^
 * ```
 * @module lang/text/errors
 */
import type { ILexingError, IParserErrorMessageProvider, IRecognitionException, IToken, TokenType } from "chevrotain";
import { type ErrorParts, formatError, ModelError, ModelSyntaxError, SprigError } from "../../core/errors.js";
import type { SourceSpan } from "../../core/span.js";
import { closestName } from "../../ir/suggest.js";
import * as T from "./tokens.js";

/**
 * The closest candidate to a misspelt name, for "did you mean" hints. One- and two-letter names
 * get no suggestion: any other short name is "close" to them, so the hint would be noise.
 *
 * @example
 * ```ts
 * suggestName("half_cuachy", ["half_cauchy", "normal"]); // "half_cauchy"
 * ```
 */
export function suggestName(name: string, candidates: Iterable<string>): string | undefined {
  if (name.length <= 2) return undefined;
  return closestName(name, candidates);
}

/** At most this many syntax errors are reported (recovery after a bad start can cascade). */
const MAX_SYNTAX_ERRORS = 25;

/** Words that begin a block, for "did you mean" hints on misspelt headers. */
const BLOCK_WORDS = ["functions", "data", "transformed", "hyper", "parameters", "model", "generated", "quantities"];
/** Words that begin a declaration. */
const TYPE_WORDS = [
  "int",
  "real",
  "bool",
  "vector",
  "matrix",
  "sparse_matrix",
  "operator",
  "array",
  "simplex",
  "ordered",
  "positive_ordered",
  "cholesky_factor_corr",
];

/** Types that are a support of their own (no `<...>` after them). */
const CONSTRAINED_TYPE_TOKENS: readonly TokenType[] = [T.Simplex, T.Ordered, T.PositiveOrdered, T.CholeskyFactorCorr];

/** What a rule is, for "expected …" messages. */
const RULE_WORDS: Readonly<Record<string, string>> = {
  program: "a block (data, parameters, model, …)",
  block: "a block (data, parameters, model, …)",
  blockHeader: "a block name (data, transformed data, hyper, parameters, transformed parameters, model)",
  functionsBlock: "a function definition",
  functionDef: "a function definition",
  functionType: "a type (int, real, vector, matrix, array[] …, void)",
  functionParam: "a function parameter",
  statement: "a statement",
  declaration: "a declaration",
  type: "a type (int, real, bool, vector[N], matrix[M, N], array[N] …, simplex[K], ordered[K])",
  bounds: "bounds such as <lower=0> or <positive>",
  bound: "'lower=', 'upper=', 'positive' or 'unbounded'",
  indexItem: "an index",
};

/** Parts of a syntax message, carried through chevrotain's string-only message provider as JSON. */
interface MessageParts {
  what: string;
  got?: string;
  expected?: string;
  hint?: string;
}

function describeToken(token: IToken | undefined): string {
  if (token === undefined || token.tokenType === undefined || token.tokenType.name === "EOF")
    return "the end of the text";
  return `'${token.image}'`;
}

function ruleWords(ruleName: string): string {
  return RULE_WORDS[ruleName] ?? "an expression";
}

function firstTokens(paths: TokenType[][]): string[] {
  const seen = new Set<string>();
  for (const path of paths) if (path[0]) seen.add(T.tokenDisplay(path[0]));
  return [...seen];
}

function listWords(words: string[]): string {
  if (words.length <= 1) return words[0] ?? "something else";
  if (words.length > 6) return `${words.slice(0, 6).join(", ")}, …`;
  return `${words.slice(0, -1).join(", ")} or ${words[words.length - 1]}`;
}

/** Text after the last complete block: usually a misspelt block name. */
function notAllInputParsed(token: IToken): string {
  const parts: MessageParts = { what: `expected ${ruleWords("program")}`, got: describeToken(token) };
  if (token.tokenType === T.Identifier) {
    const best = suggestName(token.image, BLOCK_WORDS);
    if (best !== undefined) parts.hint = `did you mean '${best}'?`;
  }
  return JSON.stringify(parts);
}

/**
 * The parser's message provider: short messages in the sprig wording, passed to the
 * diagnostics as JSON so they keep their parts (what/got/expected/hint).
 *
 * @example
 * ```ts
 * new CstParser(tokens, { errorMessageProvider: SYNTAX_MESSAGES });
 * ```
 */
export const SYNTAX_MESSAGES: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual, previous, ruleName }) {
    if (expected.name === "EOF") return notAllInputParsed(actual);
    const what =
      expected === T.Identifier && ruleName === "simpleStatement"
        ? "expected a family name after '~'"
        : expected === T.Identifier && ruleName === "declaration"
          ? "expected the name of the variable"
          : expected === T.Word && ruleName === "annotation"
            ? "expected the annotation's name after '@'"
            : expected === T.Identifier && ruleName === "bound"
              ? `expected ${ruleWords("bound")}`
              : `expected ${T.tokenDisplay(expected)}`;
    const parts: MessageParts = { what, got: describeToken(actual) };
    // An annotation holds one value in parentheses; show the form rather than leave a bare token.
    if (ruleName === "annotation") parts.hint = 'write an annotation as @name(value), e.g. @group("beta") or @df(3).';
    // `simplex<lower=0>[K]`: a constrained type is its own support, so the grammar has no bounds for it.
    if (actual.tokenType === T.Less && previous !== undefined && CONSTRAINED_TYPE_TOKENS.includes(previous.tokenType))
      parts.hint = `'${previous.image}' is its own support and takes no bounds.`;
    return JSON.stringify(parts);
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return notAllInputParsed(firstRedundant);
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, actual, ruleName }) {
    const words = firstTokens(expectedPathsPerAlt.flat());
    const parts: MessageParts = {
      what: `expected ${RULE_WORDS[ruleName] !== undefined ? ruleWords(ruleName) : words.length <= 4 ? listWords(words) : ruleWords(ruleName)}`,
      got: describeToken(actual[0]),
    };
    return JSON.stringify(parts);
  },
  buildEarlyExitMessage({ expectedIterationPaths, actual, ruleName }) {
    const words = firstTokens(expectedIterationPaths);
    const parts: MessageParts = {
      what: `expected ${words.length <= 4 ? listWords(words) : ruleWords(ruleName)}`,
      got: describeToken(actual[0]),
    };
    return JSON.stringify(parts);
  },
};

/** Line/column of a text offset (1-based). */
function positionAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * A span covering `length` characters from `offset`, clamped inside the text.
 *
 * @example
 * ```ts
 * spanAt("int N;", 4, 1, "m.sprig"); // { file: "m.sprig", line: 1, column: 5, endLine: 1, endColumn: 6, offset: 4 }
 * ```
 */
export function spanAt(text: string, offset: number, length: number, file: string | undefined): SourceSpan {
  const start = Math.max(0, Math.min(offset, text.length));
  const end = Math.max(start, Math.min(start + Math.max(length, 1), text.length));
  const a = positionAt(text, start);
  const b = positionAt(text, end);
  return {
    ...(file !== undefined ? { file } : {}),
    line: a.line,
    column: a.column,
    endLine: b.line,
    endColumn: Math.max(b.column, a.column + 1),
    offset: start,
  };
}

/** The offset just after the last non-blank character (where "end of text" errors point). */
function endOfContent(text: string): number {
  let i = text.length;
  while (i > 0 && /\s/.test(text[i - 1]!)) i--;
  return i;
}

function tokenIsReal(token: IToken | undefined): token is IToken {
  return token !== undefined && token.tokenType?.name !== "EOF" && Number.isFinite(token.startOffset);
}

/**
 * Converts a lexer error to diagnostic parts.
 *
 * @example
 * ```ts
 * lexErrorParts(lexResult.errors[0], text, "m.sprig").what; // "unexpected character '#'"
 * ```
 */
export function lexErrorParts(error: ILexingError, text: string, file: string | undefined): ErrorParts {
  const ch = text[error.offset] ?? "";
  const shown = /\s/.test(ch) || ch === "" ? JSON.stringify(ch) : `'${ch}'`;
  return {
    where: "syntax error",
    what: `unexpected character ${shown}`,
    ...(ch === "#" ? { hint: "comments start with '//' or '/*'." } : {}),
    span: spanAt(text, error.offset, error.length, file),
  };
}

/**
 * Converts a parser error (chevrotain recognition exception) to diagnostic parts with a span
 * inside the text. A missing `;` or `)` at a line end is reported after the previous token.
 *
 * @example
 * ```ts
 * const parts = parseErrorParts(parser.errors[0], tokens, text, "m.sprig");
 * ```
 */
export function parseErrorParts(
  error: IRecognitionException,
  tokens: readonly IToken[],
  text: string,
  file: string | undefined,
): ErrorParts {
  let parts: MessageParts;
  try {
    parts = JSON.parse(error.message) as MessageParts;
  } catch {
    parts = { what: error.message };
  }
  const token = error.token;
  const previous = (error as { previousToken?: IToken }).previousToken;
  let span: SourceSpan;
  const missingAtLineEnd =
    parts.what.startsWith("expected ';'") ||
    parts.what.startsWith("expected ')'") ||
    parts.what.startsWith("expected ']'");
  if (
    tokenIsReal(token) &&
    !(missingAtLineEnd && tokenIsReal(previous) && (token.startLine ?? 0) > (previous.endLine ?? 0))
  ) {
    span = spanAt(text, token.startOffset, token.image.length, file);
  } else if (tokenIsReal(previous)) {
    const after = (previous.endOffset ?? previous.startOffset) + 1;
    span = spanAt(text, after, 1, file);
    if (missingAtLineEnd && parts.what.startsWith("expected ';'")) {
      parts = {
        ...parts,
        hint: parts.hint ?? `a ';' is probably missing at the end of line ${previous.endLine ?? previous.startLine}.`,
      };
    }
  } else {
    span = spanAt(text, endOfContent(text), 1, file);
  }
  if (parts.hint === undefined && tokenIsReal(token) && token.tokenType === T.Identifier) {
    const hint = misspeltKeywordHint(tokens, token);
    if (hint !== undefined) parts = { ...parts, hint };
  }
  return {
    where: "syntax error",
    what: parts.what,
    ...(parts.got !== undefined ? { got: parts.got } : {}),
    ...(parts.expected !== undefined ? { expected: parts.expected } : {}),
    ...(parts.hint !== undefined ? { hint: parts.hint } : {}),
    span,
  };
}

/**
 * `vectr[N] y;` parses as the expression `vectr[N]` followed by a stray name: look at the word
 * that starts the statement and suggest the type or block keyword it resembles.
 */
function misspeltKeywordHint(tokens: readonly IToken[], errorToken: IToken): string | undefined {
  const i = tokens.findIndex((t) => t.startOffset === errorToken.startOffset);
  if (i <= 0) return undefined;
  // Walk back to the first token of the statement.
  let j = i - 1;
  while (j > 0 && !["Semicolon", "LCurly", "RCurly"].includes(tokens[j - 1]!.tokenType.name)) j--;
  const first = tokens[j]!;
  if (first.tokenType !== T.Identifier) return undefined;
  const best = suggestName(first.image, [...TYPE_WORDS, ...BLOCK_WORDS]);
  return best !== undefined ? `'${first.image}' is not a keyword; did you mean '${best}'?` : undefined;
}

/**
 * The source line of a span with a caret line under it (`^^^` across the span on that line).
 *
 * @example
 * ```ts
 * sourceExcerpt("real x;", { line: 1, column: 6, endColumn: 7 });
 * // "    1 | real x;\n      |      ^"
 * ```
 */
export function sourceExcerpt(text: string, span: SourceSpan): string {
  const lines = text.split("\n");
  const raw = lines[span.line - 1];
  if (raw === undefined) return "";
  const line = raw.replace(/\r$/, "").replace(/\t/g, " ");
  const start = Math.max(1, Math.min(span.column, line.length + 1));
  const end = span.endLine !== undefined && span.endLine > span.line ? line.length + 1 : (span.endColumn ?? start + 1);
  const width = Math.max(1, Math.min(end, line.length + 1) - start);
  const gutter = String(span.line).padStart(5);
  return `${gutter} | ${line}\n${" ".repeat(gutter.length)} | ${" ".repeat(start - 1)}${"^".repeat(width)}`;
}

/**
 * One diagnostic as text: the DESIGN.md message, then the excerpt when it has a span.
 *
 * @example
 * ```ts
 * renderDiagnostic({ where: "syntax error", what: "expected ';'", span }, text);
 * ```
 */
export function renderDiagnostic(parts: ErrorParts, text: string): string {
  const head = formatError(parts);
  return parts.span ? `${head}\n${sourceExcerpt(text, parts.span)}` : head;
}

/**
 * A ModelSyntaxError carrying every diagnostic (at most 25, in source order), rendered with
 * excerpts.
 *
 * @example
 * ```ts
 * throw syntaxError(diagnostics, text);
 * ```
 */
export function syntaxError(diagnostics: readonly ErrorParts[], text: string): ModelSyntaxError {
  const seen = new Set<string>();
  const sorted = [...diagnostics]
    .sort((a, b) => (a.span?.offset ?? 0) - (b.span?.offset ?? 0))
    .filter((d) => {
      const key = `${d.span?.offset}:${d.what}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .slice(0, MAX_SYNTAX_ERRORS);
  const more =
    diagnostics.length > MAX_SYNTAX_ERRORS ? `\n(${diagnostics.length - MAX_SYNTAX_ERRORS} more errors not shown)` : "";
  const rendered = sorted.map((d) => renderDiagnostic(d, text)).join("\n") + more;
  return new ModelSyntaxError(sorted, rendered);
}

/**
 * A ModelError whose message also shows the source excerpt.
 *
 * @example
 * ```ts
 * throw semanticError({ where: "model", what: "unknown name 'sigm'", span }, text);
 * ```
 */
export function semanticError(parts: ErrorParts, text: string): ModelError {
  const err = new ModelError(parts);
  err.message = renderDiagnostic(parts, text);
  return err;
}

/**
 * Re-expresses any error raised while checking or lowering as a ModelError with an excerpt:
 * the IR builder throws ShapeError/DomainError, and the parser promises ModelSyntaxError or
 * ModelError only. Errors that are not sprig errors are bugs; they are wrapped too, so a user
 * still gets a located message rather than a crash.
 *
 * @example
 * ```ts
 * try { lower(); } catch (e) { throw asModelError(e, text, fallbackSpan); }
 * ```
 */
export function asModelError(
  error: unknown,
  text: string,
  fallback: SourceSpan | undefined,
): ModelError | ModelSyntaxError {
  if (error instanceof ModelSyntaxError) return error;
  if (error instanceof SprigError) {
    const parts: ErrorParts =
      error.parts.span || fallback === undefined ? error.parts : { ...error.parts, span: fallback };
    if (error instanceof ModelError && parts === error.parts && error.message.includes("\n")) return error;
    return semanticError(parts, text);
  }
  const message = error instanceof Error ? error.message : String(error);
  return semanticError(
    {
      where: "sprig",
      what: `internal error while compiling the model (${message})`,
      hint: "this is a bug in sprig; please report it with the model text.",
      ...(fallback ? { span: fallback } : {}),
    },
    text,
  );
}
