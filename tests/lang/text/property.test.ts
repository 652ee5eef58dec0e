/**
 * Acceptance 4: the parser is total. For random token sequences and for random mutations of the
 * example models, parseModel either returns a graph or throws a ModelSyntaxError / ModelError —
 * never another exception — and every location it reports lies inside the input. "Never hangs"
 * is the test finishing: each case is parsed synchronously, so a hang would time the test out.
 * 1200 token sequences + 1200 mutations (seeded by tests/setup.ts).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { exampleFamilies } from "../../../examples/models/families.js";
import { type ErrorParts, ModelError, ModelSyntaxError } from "../../../src/core/errors.js";
import type { SourceSpan } from "../../../src/core/span.js";
import { parseModel } from "../../../src/lang/text/index.js";
import { REPO_ROOT } from "../../helpers/shared.js";

const families = exampleFamilies();
const MODELS = join(REPO_ROOT, "examples", "models");
const EXAMPLES = readdirSync(MODELS)
  .filter((f) => f.endsWith(".sprig"))
  .map((f) => readFileSync(join(MODELS, f), "utf8"));

/** Words the token generator draws from: every kind of token, names that exist and names that do not. */
const VOCABULARY = [
  "functions",
  "data",
  "transformed",
  "hyper",
  "parameters",
  "model",
  "generated",
  "quantities",
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
  "void",
  "for",
  "in",
  "while",
  "if",
  "else",
  "target",
  "return",
  "N",
  "K",
  "y",
  "mu",
  "sigma",
  "theta",
  "x",
  "lower",
  "upper",
  "positive",
  "unbounded",
  "bernoulli",
  "normal",
  "half_cauchy",
  "flat",
  "poisson",
  "normal_lpdf",
  "exp",
  "log",
  "sum",
  "dot_product",
  "log_mix",
  "gather",
  "size",
  "rep_vector",
  "f",
  "foo_lpdf",
  "0",
  "1",
  "2",
  "3",
  "0.5",
  "1e-3",
  "1e999",
  ".5",
  "2.",
  '"str"',
  "{",
  "}",
  "(",
  ")",
  "[",
  "]",
  ",",
  ";",
  ":",
  "~",
  "?",
  "|",
  "@",
  "'",
  "=",
  "+=",
  "-=",
  "*=",
  "/=",
  "==",
  "!=",
  "<",
  "<=",
  ">",
  ">=",
  "&&",
  "||",
  "!",
  "+",
  "-",
  "*",
  "/",
  "%",
  ".*",
  "./",
  "^",
  ".^",
  "#",
  "$",
  "//",
  "/*",
  "*/",
  "\n",
];

function lineCount(text: string): number {
  return text.split("\n").length;
}

/** A span lies inside the text: valid line, column within the line (or just past its end), offset ≤ length. */
function inside(span: SourceSpan | undefined, text: string): boolean {
  if (span === undefined) return true;
  const lines = text.split("\n");
  if (!(Number.isInteger(span.line) && span.line >= 1 && span.line <= lineCount(text))) return false;
  const line = lines[span.line - 1]!;
  if (!(Number.isInteger(span.column) && span.column >= 1 && span.column <= line.length + 1)) return false;
  if (span.offset !== undefined && !(span.offset >= 0 && span.offset <= text.length)) return false;
  if (span.endLine !== undefined && (span.endLine < span.line || span.endLine > lineCount(text))) return false;
  return true;
}

/** Parses and checks the outcome; returns a description of a violation, or undefined. */
function violation(text: string): string | undefined {
  try {
    parseModel(text, families, { file: "fuzz.sprig" });
    return undefined;
  } catch (e) {
    if (!(e instanceof ModelSyntaxError || e instanceof ModelError)) {
      return `threw ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`;
    }
    const parts: readonly ErrorParts[] = e instanceof ModelSyntaxError ? e.diagnostics : [e.parts];
    for (const p of parts) {
      if (!inside(p.span, text)) return `location ${JSON.stringify(p.span)} outside the input for: ${p.what}`;
    }
    if (e.message.length === 0) return "empty message";
    return undefined;
  }
}

const tokenText = fc
  .array(fc.tuple(fc.constantFrom(...VOCABULARY), fc.constantFrom(" ", "", "\n", "  ")), {
    minLength: 0,
    maxLength: 60,
  })
  .map((parts) => parts.map(([t, sep]) => t + sep).join(""));

/** A random edit of an example model: delete, insert a token, duplicate, or replace a character. */
const mutation = fc
  .tuple(
    fc.integer({ min: 0, max: EXAMPLES.length - 1 }),
    fc.array(
      fc.tuple(
        fc.constantFrom("delete", "insert", "duplicate", "replace"),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 12 }),
        fc.constantFrom(...VOCABULARY),
      ),
      { minLength: 1, maxLength: 4 },
    ),
  )
  .map(([which, edits]) => {
    let text = EXAMPLES[which]!;
    for (const [kind, where, length, token] of edits) {
      const at = Math.floor(where * text.length);
      if (kind === "delete") text = text.slice(0, at) + text.slice(at + length);
      else if (kind === "insert") text = `${text.slice(0, at)} ${token} ${text.slice(at)}`;
      else if (kind === "duplicate")
        text = text.slice(0, at + length) + text.slice(at, at + length) + text.slice(at + length);
      else text = text.slice(0, at) + token.charAt(0) + text.slice(at + 1);
    }
    return text;
  });

describe("parseModel is total", () => {
  it("random token sequences: only ModelSyntaxError/ModelError, locations inside the input", () => {
    fc.assert(
      fc.property(tokenText, (text) => {
        const v = violation(text);
        if (v !== undefined) throw new Error(v);
      }),
      { numRuns: 1200 },
    );
  });

  it("mutations of the example models: only ModelSyntaxError/ModelError, locations inside the input", () => {
    fc.assert(
      fc.property(mutation, (text) => {
        const v = violation(text);
        if (v !== undefined) throw new Error(v);
      }),
      { numRuns: 1200 },
    );
  });

  it("pathological inputs: empty text, deep nesting, huge loops, recursion", () => {
    const cases = [
      "",
      "   \n\n",
      `model { target += ${"(".repeat(5000)}1${")".repeat(5000)}; }`,
      `parameters { real x; } model { x ~ normal(0, 1); target += ${"-".repeat(3000)}x; }`,
      "parameters { real x; } model { x ~ normal(0, 1); for (i in 1:100000000) target += x; }",
      "functions { real f(real x) { return f(x); } } parameters { real x; } model { x ~ normal(f(x), 1); }",
      "data { int N; } model { for (i in 1:N) for (j in 1:N) target += i * j; }",
      "/* unterminated comment",
      '"unterminated string',
    ];
    for (const text of cases) expect(violation(text)).toBeUndefined();
  });
});
