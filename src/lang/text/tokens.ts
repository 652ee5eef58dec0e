/**
 * Every token of the sprig model language, in one module. `ALL_TOKENS` is ordered: the lexer
 * tries patterns in array order and takes the first match, so
 * - comments and whitespace come first (skipped),
 * - longer operators precede their prefixes (`+=` before `+`, `.*` before `.`-starting reals,
 *   `<=` before `<`),
 * - keywords precede `Identifier`, and each keyword names `Identifier` as its `longer_alt`, so
 *   `data_raw` lexes as one identifier rather than the keyword `data` followed by `_raw`,
 * - reals precede integers (`1.5` must not lex as `1` then `.5`).
 * @module lang/text/tokens
 */
import { createToken, Lexer, type TokenType } from "chevrotain";

/**
 * Category of every word: names and keywords. Annotation keys are free-form identifiers in the
 * IR (`@model("x")` is a valid tag), so an annotation's key accepts keywords too.
 *
 * @example
 * ```ts
 * tokenMatcher(lexer.tokenize("model").tokens[0], Word); // true
 * ```
 */
export const Word = createToken({ name: "Word", pattern: Lexer.NA });

/**
 * Names, including family names (`normal`, `half_cauchy`): families live in the registry, not in
 * the lexer, so user-registered families need no grammar change.
 *
 * @example
 * ```ts
 * tokenMatcher(lexer.tokenize("sigma").tokens[0], Identifier); // true
 * ```
 */
export const Identifier = createToken({ name: "Identifier", pattern: /[A-Za-z][A-Za-z0-9_]*/, categories: [Word] });

/** Creates a keyword token that yields to `Identifier` when the word continues. */
function keyword(name: string, word: string): TokenType {
  return createToken({ name, pattern: new RegExp(word), longer_alt: Identifier, categories: [Word] });
}

/** `functions` block header. @example `functions { real f(real x) { return x; } }` */
export const Functions = keyword("Functions", "functions");
/** `data` block header. @example `data { int N; }` */
export const Data = keyword("Data", "data");
/** First word of `transformed data` / `transformed parameters`. @example `transformed parameters { ... }` */
export const Transformed = keyword("Transformed", "transformed");
/** `hyper` block header (point-estimated parameters). @example `hyper { real<lower=0> gamma = 1; }` */
export const Hyper = keyword("Hyper", "hyper");
/** `parameters` block header. @example `parameters { real mu; }` */
export const Parameters = keyword("Parameters", "parameters");
/** `model` block header. @example `model { mu ~ normal(0, 1); }` */
export const Model = keyword("Model", "model");
/** First word of `generated quantities`. @example `generated quantities { real d = a - b; }` */
export const Generated = keyword("Generated", "generated");
/** Second word of `generated quantities`. @example `generated quantities { }` */
export const Quantities = keyword("Quantities", "quantities");

/** `int` type. @example `int<lower=0> N;` */
export const Int = keyword("Int", "int");
/** `real` type. @example `real<lower=0> sigma;` */
export const Real = keyword("Real", "real");
/** `bool` type: an integer in {0, 1}, the IR's boolean support. @example `array[N] bool hit;` */
export const Bool = keyword("Bool", "bool");
/** `vector` type. @example `vector[N] y;` */
export const Vector = keyword("Vector", "vector");
/** `matrix` type (dense data). @example `matrix[N, K] X;` */
export const Matrix = keyword("Matrix", "matrix");
/** `sparse_matrix` type (data bound to a sparse LinearOperator). @example `sparse_matrix[N, K] A;` */
export const SparseMatrix = keyword("SparseMatrix", "sparse_matrix");
/** `operator` type (data bound to any LinearOperator, e.g. a Kronecker product). @example `operator[N, K] K;` */
export const Operator = keyword("Operator", "operator");
/** `array` type. @example `array[N] int county;` */
export const ArrayKw = keyword("Array", "array");
/** `simplex` constrained vector. @example `simplex[K] w;` */
export const Simplex = keyword("Simplex", "simplex");
/** `ordered` constrained vector. @example `ordered[2] mu;` */
export const Ordered = keyword("Ordered", "ordered");
/** `positive_ordered` constrained vector. @example `positive_ordered[3] c;` */
export const PositiveOrdered = keyword("PositiveOrdered", "positive_ordered");
/** `cholesky_factor_corr` constrained matrix. @example `cholesky_factor_corr[3] L;` */
export const CholeskyFactorCorr = keyword("CholeskyFactorCorr", "cholesky_factor_corr");
/** `void` return type of functions. @example `void check(real x) { }` */
export const Void = keyword("Void", "void");

/** `for` loop. @example `for (n in 1:N) { ... }` */
export const For = keyword("For", "for");
/** `in` of a for loop. @example `for (n in 1:N)` */
export const In = keyword("In", "in");
/** `while` loop (rejected by the checker with a hint; the grammar knows it for good messages). @example `while (c) {}` */
export const While = keyword("While", "while");
/** `if`. @example `if (K > 1) { ... }` */
export const If = keyword("If", "if");
/** `else`. @example `else { ... }` */
export const Else = keyword("Else", "else");
/** `target` of `target += ...`. @example `target += -0.5 * dot(x, x);` */
export const Target = keyword("Target", "target");
/** `return` in user functions. @example `return x * x;` */
export const Return = keyword("Return", "return");

/** Keywords in the order the lexer tries them (longer words sharing a prefix first). */
const KEYWORDS: readonly TokenType[] = [
  Functions,
  Data,
  Transformed,
  Hyper,
  Parameters,
  Model,
  Generated,
  Quantities,
  Int,
  Real,
  Bool,
  Vector,
  Matrix,
  SparseMatrix,
  Operator,
  ArrayKw,
  Simplex,
  Ordered,
  PositiveOrdered,
  CholeskyFactorCorr,
  Void,
  For,
  In,
  While,
  If,
  Else,
  Target,
  Return,
];

/**
 * A real literal: `1.5`, `.5`, `2.`, `1e-7`, `2.5E+3`. `2.` is not taken when `*`, `/` or `^`
 * follows, so `2.*x` is `2 .* x` as in Stan.
 *
 * @example
 * ```ts
 * lexer.tokenize("1e-7").tokens[0].tokenType === RealLiteral; // true
 * ```
 */
export const RealLiteral = createToken({
  name: "RealLiteral",
  pattern: /(?:\d+\.(?![*/^])\d*|\.\d+)(?:[eE][+-]?\d+)?|\d+[eE][+-]?\d+/,
});
/** An integer literal. @example `42` */
export const IntLiteral = createToken({ name: "IntLiteral", pattern: /\d+/ });
/** A double-quoted string (annotation values only). @example `"noncentered"` */
export const StringLiteral = createToken({ name: "StringLiteral", pattern: /"(?:[^"\\\n\r]|\\.)*"/ });

/**
 * Category of every binary operator except `^`/`.^` (which bind tighter than unary minus). The
 * grammar reads `operand (BinaryOperator operand)*` flat and the visitor applies precedence,
 * which keeps the parser's rule depth — and its speed — independent of the number of levels.
 *
 * @example
 * ```ts
 * tokenMatcher(token, BinaryOperator); // true for '+', '&&', '<=', ...
 * ```
 */
export const BinaryOperator = createToken({ name: "BinaryOperator", pattern: Lexer.NA });
/**
 * Arithmetic binary operators (`+ - * / % .* ./`), the ones allowed in bounds, where `>` closes
 * the bound list.
 *
 * @example
 * ```ts
 * tokenMatcher(token, ArithmeticOperator); // true for '+', false for '<'
 * ```
 */
export const ArithmeticOperator = createToken({
  name: "ArithmeticOperator",
  pattern: Lexer.NA,
  categories: [BinaryOperator],
});

/** `+=` @example `target += x;` */
export const PlusAssign = createToken({ name: "PlusAssign", pattern: /\+=/ });
/** `-=` @example `acc -= x;` */
export const MinusAssign = createToken({ name: "MinusAssign", pattern: /-=/ });
/** `*=` @example `acc *= 2;` */
export const StarAssign = createToken({ name: "StarAssign", pattern: /\*=/ });
/** `/=` @example `acc /= 2;` */
export const SlashAssign = createToken({ name: "SlashAssign", pattern: /\/=/ });
/** `==` @example `if (K == 1)` */
export const EqEq = createToken({ name: "EqEq", pattern: /==/, categories: [BinaryOperator] });
/** `!=` @example `if (K != 1)` */
export const NotEq = createToken({ name: "NotEq", pattern: /!=/, categories: [BinaryOperator] });
/** `<=` @example `if (K <= 1)` */
export const LessEq = createToken({ name: "LessEq", pattern: /<=/, categories: [BinaryOperator] });
/** `>=` @example `if (K >= 1)` */
export const GreaterEq = createToken({ name: "GreaterEq", pattern: />=/, categories: [BinaryOperator] });
/** `<` (also opens bounds) @example `real<lower=0> s;` */
export const Less = createToken({ name: "Less", pattern: /</, categories: [BinaryOperator] });
/** `>` (also closes bounds) @example `if (K > 1)` */
export const Greater = createToken({ name: "Greater", pattern: />/, categories: [BinaryOperator] });
/** `&&` @example `a && b` */
export const AndAnd = createToken({ name: "AndAnd", pattern: /&&/, categories: [BinaryOperator] });
/** `||` @example `a || b` */
export const OrOr = createToken({ name: "OrOr", pattern: /\|\|/, categories: [BinaryOperator] });
/** `|` separating the value from the parameters of a density call. @example `normal_lpdf(y | mu, s)` */
export const Bar = createToken({ name: "Bar", pattern: /\|/ });
/** `=` @example `mu = 0;` */
export const Assign = createToken({ name: "Assign", pattern: /=/ });
/** `!` @example `!flag` */
export const Bang = createToken({ name: "Bang", pattern: /!/ });
/** `.*` elementwise product. @example `x .* y` */
export const DotStar = createToken({ name: "DotStar", pattern: /\.\*/, categories: [ArithmeticOperator] });
/** `./` elementwise division. @example `x ./ y` */
export const DotSlash = createToken({ name: "DotSlash", pattern: /\.\//, categories: [ArithmeticOperator] });
/** `.^` elementwise power. @example `x .^ 2` */
export const DotCaret = createToken({ name: "DotCaret", pattern: /\.\^/ });
/** `+` @example `a + b` */
export const Plus = createToken({ name: "Plus", pattern: /\+/, categories: [ArithmeticOperator] });
/** `-` @example `a - b` */
export const Minus = createToken({ name: "Minus", pattern: /-/, categories: [ArithmeticOperator] });
/** `*` (product; matrix data times a vector is a matrix-vector product) @example `X * beta` */
export const Star = createToken({ name: "Star", pattern: /\*/, categories: [ArithmeticOperator] });
/** `/` (always real division) @example `a / b` */
export const Slash = createToken({ name: "Slash", pattern: /\//, categories: [ArithmeticOperator] });
/** `%` (integer modulus, constants only) @example `n % 2` */
export const Percent = createToken({ name: "Percent", pattern: /%/, categories: [ArithmeticOperator] });
/** `^` @example `x^2` */
export const Caret = createToken({ name: "Caret", pattern: /\^/ });
/** `'` transpose (a vector's transpose times a vector is a dot product). @example `x' * y` */
export const Transpose = createToken({ name: "Transpose", pattern: /'/ });
/** `~` @example `y ~ normal(mu, sigma);` */
export const Tilde = createToken({ name: "Tilde", pattern: /~/ });
/** `?` @example `c ? a : b` */
export const Question = createToken({ name: "Question", pattern: /\?/ });
/** `:` @example `1:N` */
export const Colon = createToken({ name: "Colon", pattern: /:/ });
/** `;` @example `int N;` */
export const Semicolon = createToken({ name: "Semicolon", pattern: /;/ });
/** `,` @example `matrix[N, K]` */
export const Comma = createToken({ name: "Comma", pattern: /,/ });
/** `@` starting an annotation. @example `@group("beta")` */
export const At = createToken({ name: "At", pattern: /@/ });
/** `(` @example `f(x)` */
export const LParen = createToken({ name: "LParen", pattern: /\(/ });
/** `)` @example `f(x)` */
export const RParen = createToken({ name: "RParen", pattern: /\)/ });
/** `[` @example `x[1]` */
export const LBracket = createToken({ name: "LBracket", pattern: /\[/ });
/** `]` @example `x[1]` */
export const RBracket = createToken({ name: "RBracket", pattern: /]/ });
/** `{` @example `model { }` */
export const LCurly = createToken({ name: "LCurly", pattern: /{/ });
/** `}` @example `model { }` */
export const RCurly = createToken({ name: "RCurly", pattern: /}/ });

/** Spaces, tabs and newlines (skipped). @example `"  \n"` */
export const WhiteSpace = createToken({ name: "WhiteSpace", pattern: /[ \t\r\n]+/, group: Lexer.SKIPPED });
/** `// ...` to the end of the line (skipped). @example `// a comment` */
export const LineComment = createToken({ name: "LineComment", pattern: /\/\/[^\n\r]*/, group: Lexer.SKIPPED });
/** `/* ... *\/` (skipped). @example `/* a comment *\/` */
export const BlockComment = createToken({ name: "BlockComment", pattern: /\/\*[\s\S]*?\*\//, group: Lexer.SKIPPED });

/**
 * All tokens in lexing order (see the module documentation for why the order matters).
 *
 * @example
 * ```ts
 * const lexer = new Lexer(ALL_TOKENS);
 * ```
 */
export const ALL_TOKENS: readonly TokenType[] = [
  // Categories match no text; listing them makes them known to the parser.
  Word,
  BinaryOperator,
  ArithmeticOperator,
  WhiteSpace,
  // Comments before `/` and `/=`.
  LineComment,
  BlockComment,
  // Keywords before Identifier (each yields to Identifier through longer_alt).
  ...KEYWORDS,
  Identifier,
  // Reals before integers; `.5` before the `.`-operators is harmless (they need `*`, `/`, `^`).
  RealLiteral,
  IntLiteral,
  StringLiteral,
  // Two-character operators before their one-character prefixes.
  PlusAssign,
  MinusAssign,
  StarAssign,
  SlashAssign,
  EqEq,
  NotEq,
  LessEq,
  GreaterEq,
  AndAnd,
  OrOr,
  DotStar,
  DotSlash,
  DotCaret,
  Less,
  Greater,
  Bar,
  Assign,
  Bang,
  Plus,
  Minus,
  Star,
  Slash,
  Percent,
  Caret,
  Transpose,
  Tilde,
  Question,
  Colon,
  Semicolon,
  Comma,
  At,
  LParen,
  RParen,
  LBracket,
  RBracket,
  LCurly,
  RCurly,
];

/**
 * The sprig lexer (one instance; chevrotain lexers are stateless between calls). Position
 * tracking is "full" so every token has a line, column and end column for error carets.
 *
 * @example
 * ```ts
 * const { tokens, errors } = SPRIG_LEXER.tokenize("int N;");
 * ```
 */
export const SPRIG_LEXER = new Lexer(ALL_TOKENS as TokenType[], {
  positionTracking: "full",
  ensureOptimizations: false,
});

/**
 * Human words for tokens in error messages (`';'` rather than `Semicolon`).
 *
 * @example
 * ```ts
 * tokenDisplay(Semicolon); // "';'"
 * ```
 */
export function tokenDisplay(type: TokenType): string {
  switch (type) {
    case Identifier:
    case Word:
      return "a name";
    case RealLiteral:
    case IntLiteral:
      return "a number";
    case StringLiteral:
      return "a string";
    case BinaryOperator:
    case ArithmeticOperator:
      return "an operator";
    default: {
      const source = typeof type.PATTERN === "string" ? type.PATTERN : (type.PATTERN as RegExp | undefined)?.source;
      if (source === undefined || source === "NOT_APPLICABLE") return type.name;
      return `'${source.replace(/\\/g, "")}'`;
    }
  }
}
