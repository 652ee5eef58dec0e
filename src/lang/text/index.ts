/**
 * The sprig model language: `parseModel(text, registry)` turns model text into the same IR the
 * TypeScript builder makes. Pipeline: lexer (`tokens.ts`) → pure grammar (`grammar.ts`) → CST →
 * AST (`visitor.ts`) → checker (`checker.ts`) → lowering (`lower.ts`) → `ModelGraph`.
 * It throws only {@link ModelSyntaxError} (every syntax error of the text, each located and
 * shown under its source line) or {@link ModelError} (the first semantic problems found).
 * @module lang/text
 */
import type { ErrorParts } from "../../core/errors.js";
import { ModelError, ModelSyntaxError } from "../../core/errors.js";
import type { SignatureLookup } from "../../core/family.js";
import { RESERVED_WORDS } from "../../ir/builder.js";
import type { ModelGraph } from "../../ir/types.js";
import type { ProgramAst } from "./ast.js";
import { checkProgram, type TextModelData } from "./checker.js";
import {
  asModelError,
  lexErrorParts,
  parseErrorParts,
  renderDiagnostic,
  semanticError,
  syntaxError,
} from "./errors.js";
import { SprigParser } from "./grammar.js";
import { lowerProgram } from "./lower.js";
import { SPARSE_PRIORS, type SparsePriorExpansion } from "./sparse_priors.js";
import { SPRIG_LEXER } from "./tokens.js";
import { createAstVisitor, type AstVisitor } from "./visitor.js";

export type { ProgramAst } from "./ast.js";
export type { TextModelData } from "./checker.js";
export { BUILTINS, builtinNames, SPECIAL_FUNCTIONS } from "./functions.js";
export { DENSITY_EXPANSIONS } from "./densities.js";
export { SPARSE_PRIORS, type SparsePriorExpansion } from "./sparse_priors.js";

/**
 * Options of {@link parseModel}.
 *
 * @example
 * ```ts
 * const options: ParseOptions = { file: "eight_schools.sprig", data };
 * ```
 */
export interface ParseOptions {
  /** File name shown in error locations (`file:line:col`). */
  readonly file?: string;
  /**
   * Model name; default: the `// sprig model: <name>` line the printer writes, else the file's
   * base name, else `model`.
   */
  readonly name?: string;
  /**
   * The data the model will be compiled with (optional). With it, loops that cannot be
   * vectorised are unrolled, conditions and sizes over data are decided, and missing or
   * mis-shaped data fields are reported against their declarations.
   */
  readonly data?: TextModelData;
  /**
   * Sparse priors usable by name after `~`, in addition to the built-in ones (`horseshoe`,
   * `regularized_horseshoe`, `ard`, …); each is an expansion like the builder's prior functions.
   */
  readonly sparsePriors?: Readonly<Record<string, SparsePriorExpansion>>;
}

/** Semantic problems shown at once (the rest are counted). */
const MAX_SEMANTIC_ERRORS = 10;

/** The parser and visitor are built once (grammar analysis takes a few milliseconds). */
let shared: { parser: SprigParser; visitor: AstVisitor } | undefined;

function tools(): { parser: SprigParser; visitor: AstVisitor } {
  if (shared === undefined) {
    const parser = new SprigParser();
    shared = { parser, visitor: createAstVisitor(parser) };
  }
  return shared;
}

/**
 * Lexes and parses model text to its AST, collecting every syntax error.
 *
 * @param text - model text
 * @param file - file name for locations
 * @returns the AST
 * @throws ModelSyntaxError with every syntax diagnostic
 * @example
 * ```ts
 * const ast = parseProgram("data { int N; }", "m.sprig");
 * ast.blocks[0].kind; // "data"
 * ```
 */
export function parseProgram(text: string, file?: string): ProgramAst {
  const { parser, visitor } = tools();
  const lexed = SPRIG_LEXER.tokenize(text);
  const diagnostics: ErrorParts[] = lexed.errors.map((e) => lexErrorParts(e, text, file));
  parser.input = lexed.tokens;
  let cst: ReturnType<SprigParser["program"]>;
  try {
    cst = parser.program();
  } catch (e) {
    // Only a stack overflow on absurdly deep nesting gets here; the parser is rebuilt after it.
    shared = undefined;
    throw syntaxError(
      [
        ...diagnostics,
        {
          where: "syntax error",
          what: "the text is nested too deeply to parse",
          got: e instanceof RangeError ? "more nesting than the parser's stack allows" : String(e),
          hint: "split deeply nested expressions into local variables.",
          span: { ...(file !== undefined ? { file } : {}), line: 1, column: 1, offset: 0 },
        },
      ],
      text,
    );
  }
  for (const err of parser.errors) diagnostics.push(parseErrorParts(err, lexed.tokens, text, file));
  if (diagnostics.length > 0) throw syntaxError(diagnostics, text);
  const { program, diagnostics: structural } = visitor.toAst(cst, file);
  if (structural.length > 0) throw syntaxError(structural, text);
  return program;
}

/**
 * Parses sprig model text into a model graph (the IR), checked against the family registry.
 *
 * @param text - the model text
 * @param families - the family registry (the runtime's Registry, or any SignatureLookup)
 * @param options - file name for messages, model name, and optionally the data
 * @returns the frozen, validated graph
 * @throws ModelSyntaxError listing every syntax error, or ModelError for a semantic problem
 * @example
 * ```ts
 * const graph = parseModel(`
 *   data { int<lower=0> J; vector[J] y; vector<lower=0>[J] sigma; }
 *   parameters { real mu; real<lower=0> tau; vector[J] theta; }
 *   model {
 *     mu ~ normal(0, 5);
 *     tau ~ cauchy(0, 5);
 *     theta ~ normal(mu, tau);
 *     y ~ normal(theta, sigma);
 *   }`, createDefaultRegistry(), { file: "eight_schools.sprig" });
 * ```
 */
export function parseModel(text: string, families: SignatureLookup, options: ParseOptions = {}): ModelGraph {
  const source = typeof text === "string" ? text : String(text);
  const file = options.file;
  try {
    const program = parseProgram(source, file);
    const sparsePriors = new Map(SPARSE_PRIORS);
    for (const [name, expand] of Object.entries(options.sparsePriors ?? {})) sparsePriors.set(name, expand);
    const { checked, problems } = checkProgram(program, families, options.data, new Set(sparsePriors.keys()));
    if (problems.length > 0) throw checkerError(problems, source);
    return lowerProgram(checked, families, {
      name: modelName(source, options),
      text: source,
      sparsePriors,
      ...(options.data ? { data: options.data } : {}),
    });
  } catch (e) {
    if (e instanceof ModelSyntaxError || e instanceof ModelError) {
      if (e instanceof ModelError && !e.message.includes("\n") && e.parts.span)
        throw asModelError(e, source, undefined);
      throw e;
    }
    throw asModelError(e, source, undefined);
  }
}

/** One ModelError for all checker problems: the first one's parts, every one in the message. */
function checkerError(problems: readonly ErrorParts[], text: string): ModelError {
  const sorted = [...problems].sort((a, b) => (a.span?.offset ?? 0) - (b.span?.offset ?? 0));
  const err = semanticError(sorted[0]!, text);
  if (sorted.length > 1) {
    const shown = sorted.slice(0, MAX_SEMANTIC_ERRORS).map((p) => renderDiagnostic(p, text));
    const more =
      sorted.length > MAX_SEMANTIC_ERRORS ? `\n(${sorted.length - MAX_SEMANTIC_ERRORS} more problems not shown)` : "";
    err.message = shown.join("\n") + more;
  }
  return err;
}

/** The model name: option, printer header line, file base name, or `untitled`. */
function modelName(text: string, options: ParseOptions): string {
  if (options.name !== undefined) return options.name;
  const header = /^\s*\/\/ sprig model: ([A-Za-z][A-Za-z0-9_]*)\s*$/m.exec(text.slice(0, 200));
  if (header) return header[1]!;
  if (options.file !== undefined) {
    const base = options.file.replace(/^.*[\\/]/, "").replace(/\.[^.]*$/, "");
    const clean = base.replace(/[^A-Za-z0-9_]/g, "_");
    if (/^[A-Za-z]/.test(clean)) return RESERVED_WORDS.has(clean) ? `${clean}_model` : clean;
  }
  return "untitled";
}
