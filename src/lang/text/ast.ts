/**
 * The typed abstract syntax tree of a sprig program. Every node carries the span of the text it
 * came from, so the checker and the lowering can point at the source in their messages.
 * @module lang/text/ast
 */
import type { SourceSpan } from "../../core/span.js";

/** Binary operators as written. @example `const op: BinaryOperator = ".*";` */
export type BinaryOperator =
  | "+"
  | "-"
  | "*"
  | "/"
  | ".*"
  | "./"
  | "%"
  | "^"
  | ".^"
  | "=="
  | "!="
  | "<"
  | "<="
  | ">"
  | ">="
  | "&&"
  | "||";

/** Prefix operators as written. @example `const op: UnaryOperator = "-";` */
export type UnaryOperator = "-" | "+" | "!";

/** Fields of every AST node. */
export interface AstNode {
  /** Where the node was written. */
  readonly span: SourceSpan;
}

/** A numeric literal. @example `{ kind: "number", value: 2.5, integer: false, span }` */
export interface NumberLiteral extends AstNode {
  readonly kind: "number";
  readonly value: number;
  /** Written without a decimal point or exponent. */
  readonly integer: boolean;
}

/** A string literal (annotation values). @example `{ kind: "string", value: "beta", span }` */
export interface StringLiteral extends AstNode {
  readonly kind: "string";
  readonly value: string;
}

/** A name. @example `{ kind: "name", name: "mu", span }` */
export interface NameExpr extends AstNode {
  readonly kind: "name";
  readonly name: string;
}

/** `op arg`. @example `{ kind: "unary", op: "-", arg, span }` */
export interface UnaryAst extends AstNode {
  readonly kind: "unary";
  readonly op: UnaryOperator;
  readonly arg: ExprAst;
}

/** `left op right`. @example `{ kind: "binary", op: "+", left, right, opSpan, span }` */
export interface BinaryAst extends AstNode {
  readonly kind: "binary";
  readonly op: BinaryOperator;
  readonly left: ExprAst;
  readonly right: ExprAst;
  /** Where the operator itself is. */
  readonly opSpan: SourceSpan;
}

/** `cond ? ifTrue : ifFalse`. @example `{ kind: "ternary", cond, ifTrue, ifFalse, span }` */
export interface TernaryAst extends AstNode {
  readonly kind: "ternary";
  readonly cond: ExprAst;
  readonly ifTrue: ExprAst;
  readonly ifFalse: ExprAst;
}

/** One argument of a call: positional, or `name = value`. @example `{ name: "scale", value, span }` */
export interface ArgumentAst extends AstNode {
  readonly name?: string;
  readonly nameSpan?: SourceSpan;
  readonly value: ExprAst;
}

/**
 * `f(a, b)`; `bar` marks a density call `f(x | a, b)` (the value is the first argument).
 *
 * @example
 * ```ts
 * const c: CallAst = { kind: "call", callee: "exp", calleeSpan, args: [arg], bar: false, span };
 * ```
 */
export interface CallAst extends AstNode {
  readonly kind: "call";
  readonly callee: string;
  readonly calleeSpan: SourceSpan;
  readonly args: readonly ArgumentAst[];
  /** Whether a `|` separated the first argument from the rest. */
  readonly bar: boolean;
}

/** One index: a single position or a range `lower:upper` (either side optional). @example `{ kind: "single", expr, span }` */
export type IndexAst =
  | { readonly kind: "single"; readonly expr: ExprAst; readonly span: SourceSpan }
  | { readonly kind: "range"; readonly lower?: ExprAst; readonly upper?: ExprAst; readonly span: SourceSpan };

/** `target[i, j]`. @example `{ kind: "index", target, indices, span }` */
export interface IndexedAst extends AstNode {
  readonly kind: "index";
  readonly target: ExprAst;
  readonly indices: readonly IndexAst[];
}

/** `arg'`. @example `{ kind: "transpose", arg, span }` */
export interface TransposeAst extends AstNode {
  readonly kind: "transpose";
  readonly arg: ExprAst;
}

/** `[a, b, c]`. @example `{ kind: "vector", elements, span }` */
export interface VectorAst extends AstNode {
  readonly kind: "vector";
  readonly elements: readonly ExprAst[];
}

/**
 * An expression.
 *
 * @example
 * ```ts
 * function isLiteral(e: ExprAst): boolean { return e.kind === "number"; }
 * ```
 */
export type ExprAst =
  | NumberLiteral
  | StringLiteral
  | NameExpr
  | UnaryAst
  | BinaryAst
  | TernaryAst
  | CallAst
  | IndexedAst
  | TransposeAst
  | VectorAst;

/** Base types of declarations. @example `const b: BaseType = "simplex";` */
export type BaseType =
  | "int"
  | "real"
  | "bool"
  | "vector"
  | "matrix"
  | "sparse_matrix"
  | "operator"
  | "simplex"
  | "ordered"
  | "positive_ordered"
  | "cholesky_factor_corr";

/**
 * `lower = value` inside `<...>`, or a bare word such as `positive` (no value).
 *
 * @example
 * ```ts
 * const b: BoundAst = { name: "lower", nameSpan, value, span };
 * ```
 */
export interface BoundAst extends AstNode {
  readonly name: string;
  readonly nameSpan: SourceSpan;
  readonly value?: ExprAst;
}

/**
 * A sized type: `array[N] real<lower=0>` is `{ base: "real", arraySizes: [N], bounds: [...] }`.
 *
 * @example
 * ```ts
 * const t: TypeAst = { base: "vector", sizes: [n], arraySizes: [], bounds: [], span };
 * ```
 */
export interface TypeAst extends AstNode {
  readonly base: BaseType;
  /** Sizes of the base type (`vector[N]`: one; `matrix[M, N]`: two; scalars: none). */
  readonly sizes: readonly ExprAst[];
  /** Outer array sizes (`array[N]` and legacy `real y[N]`). */
  readonly arraySizes: readonly ExprAst[];
  readonly bounds: readonly BoundAst[];
}

/** `@name(value)`. @example `{ name: "group", value: { kind: "string", value: "beta", span }, span }` */
export interface AnnotationAst extends AstNode {
  readonly name: string;
  readonly value?: ExprAst;
}

/** Fields of every statement. */
interface StatementBase extends AstNode {
  /** Annotations written before the statement (the checker allows them on declarations and `target +=`). */
  readonly annotations: readonly AnnotationAst[];
}

/** `type name [= init];` @example `{ kind: "decl", type, name: "mu", nameSpan, annotations: [], span }` */
export interface DeclStmt extends StatementBase {
  readonly kind: "decl";
  readonly type: TypeAst;
  readonly name: string;
  readonly nameSpan: SourceSpan;
  readonly init?: ExprAst;
}

/** `lhs ~ family(args);` @example `{ kind: "tilde", lhs, family: "normal", familySpan, args, annotations: [], span }` */
export interface TildeStmt extends StatementBase {
  readonly kind: "tilde";
  readonly lhs: ExprAst;
  readonly family: string;
  readonly familySpan: SourceSpan;
  readonly args: readonly ArgumentAst[];
}

/** `target += expr;` @example `{ kind: "target", expr, annotations: [], span }` */
export interface TargetStmt extends StatementBase {
  readonly kind: "target";
  readonly expr: ExprAst;
}

/** `lhs op rhs;` for `=`, `+=`, `-=`, `*=`, `/=`. @example `{ kind: "assign", op: "=", lhs, rhs, annotations: [], span }` */
export interface AssignStmt extends StatementBase {
  readonly kind: "assign";
  readonly op: "=" | "+=" | "-=" | "*=" | "/=";
  readonly lhs: ExprAst;
  readonly rhs: ExprAst;
}

/** A bare expression statement (a call). @example `{ kind: "expr", expr, annotations: [], span }` */
export interface ExprStmt extends StatementBase {
  readonly kind: "expr";
  readonly expr: ExprAst;
}

/** `for (v in lower:upper) body`, or `for (v in lower) body` over the elements of a vector. @example `{ kind: "for", variable: "n", ... }` */
export interface ForStmt extends StatementBase {
  readonly kind: "for";
  readonly variable: string;
  readonly variableSpan: SourceSpan;
  readonly lower: ExprAst;
  readonly upper?: ExprAst;
  readonly body: StmtAst;
}

/** `while (cond) body`. @example `{ kind: "while", cond, body, annotations: [], span }` */
export interface WhileStmt extends StatementBase {
  readonly kind: "while";
  readonly cond: ExprAst;
  readonly body: StmtAst;
}

/** `if (cond) thenBranch [else elseBranch]`. @example `{ kind: "if", cond, thenBranch, annotations: [], span }` */
export interface IfStmt extends StatementBase {
  readonly kind: "if";
  readonly cond: ExprAst;
  readonly thenBranch: StmtAst;
  readonly elseBranch?: StmtAst;
}

/** `{ statements }`. @example `{ kind: "block", body: [], annotations: [], span }` */
export interface BlockStmt extends StatementBase {
  readonly kind: "block";
  readonly body: readonly StmtAst[];
}

/** `return [value];` @example `{ kind: "return", value, annotations: [], span }` */
export interface ReturnStmt extends StatementBase {
  readonly kind: "return";
  readonly value?: ExprAst;
}

/** `;` @example `{ kind: "empty", annotations: [], span }` */
export interface EmptyStmt extends StatementBase {
  readonly kind: "empty";
}

/**
 * A statement.
 *
 * @example
 * ```ts
 * function isLoop(s: StmtAst): boolean { return s.kind === "for" || s.kind === "while"; }
 * ```
 */
export type StmtAst =
  | DeclStmt
  | TildeStmt
  | TargetStmt
  | AssignStmt
  | ExprStmt
  | ForStmt
  | WhileStmt
  | IfStmt
  | BlockStmt
  | ReturnStmt
  | EmptyStmt;

/** Block names in their required order. @example `BLOCK_ORDER.indexOf("model")` */
export const BLOCK_ORDER = [
  "data",
  "transformed data",
  "hyper",
  "parameters",
  "transformed parameters",
  "model",
  "generated quantities",
] as const;

/** A block's name. @example `const k: BlockKind = "transformed parameters";` */
export type BlockKind = (typeof BLOCK_ORDER)[number];

/** `name { statements }`. @example `{ kind: "model", headerSpan, body, span }` */
export interface BlockAst extends AstNode {
  readonly kind: BlockKind;
  readonly headerSpan: SourceSpan;
  readonly body: readonly StmtAst[];
}

/** An unsized type of a function signature: `array[] real` is `{ base: "real", arrayRank: 1 }`. @example `{ base: "vector", arrayRank: 0, span }` */
export interface FunctionTypeAst extends AstNode {
  readonly base: "int" | "real" | "vector" | "matrix" | "void";
  readonly arrayRank: number;
}

/** One function parameter. @example `{ type, name: "x", dataOnly: false, span }` */
export interface FunctionParamAst extends AstNode {
  readonly type: FunctionTypeAst;
  readonly name: string;
  readonly dataOnly: boolean;
}

/** A user function (inlined at each call by the lowering). @example `{ name: "sq", returnType, params, body, span }` */
export interface FunctionDefAst extends AstNode {
  readonly name: string;
  readonly nameSpan: SourceSpan;
  readonly returnType: FunctionTypeAst;
  readonly params: readonly FunctionParamAst[];
  /** Absent for a forward declaration. */
  readonly body?: BlockStmt;
}

/**
 * A whole program.
 *
 * @example
 * ```ts
 * const p: ProgramAst = { functions: [], blocks: [], span };
 * ```
 */
export interface ProgramAst extends AstNode {
  readonly functions: readonly FunctionDefAst[];
  readonly blocks: readonly BlockAst[];
}
