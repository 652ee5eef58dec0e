/**
 * CST → AST: a chevrotain visitor over the typed CST (`cst.ts`) that builds the AST (`ast.ts`)
 * with a source span on every node. It runs only on a CST without syntax errors; the few
 * structural problems the grammar leaves open (a misplaced `|`, a malformed number) are
 * reported as syntax diagnostics too, so the user sees them with the other syntax errors.
 * @module lang/text/visitor
 */
import type { CstNode, IToken } from "chevrotain";
import type { ErrorParts } from "../../core/errors.js";
import type { SourceSpan } from "../../core/span.js";
import type {
  AnnotationAst,
  ArgumentAst,
  BaseType,
  BinaryOperator,
  BlockAst,
  BlockKind,
  BlockStmt,
  BoundAst,
  ExprAst,
  FunctionDefAst,
  FunctionParamAst,
  FunctionTypeAst,
  IndexAst,
  ProgramAst,
  StmtAst,
  TypeAst,
  UnaryOperator,
} from "./ast.js";
import type {
  AnnotationCstChildren,
  ArithmeticExpressionCstChildren,
  AtomCstChildren,
  BlockCstChildren,
  BinaryExpressionCstChildren,
  BlockHeaderCstChildren,
  BlockStatementCstChildren,
  BoundCstChildren,
  BoundsCstChildren,
  CallArgumentCstChildren,
  CallArgumentsCstChildren,
  DeclarationCstChildren,
  ExpressionCstChildren,
  ForStatementCstChildren,
  FunctionDefCstChildren,
  FunctionParamCstChildren,
  FunctionsBlockCstChildren,
  FunctionTypeCstChildren,
  IfStatementCstChildren,
  IndexItemCstChildren,
  IndexSuffixCstChildren,
  PostfixCstChildren,
  PowerCstChildren,
  ProgramCstChildren,
  ReturnStatementCstChildren,
  SimpleStatementCstChildren,
  SizesCstChildren,
  StatementCstChildren,
  TargetStatementCstChildren,
  TypeCstChildren,
  UnaryCstChildren,
  WhileStatementCstChildren,
} from "./cst.js";
import type { SprigParser } from "./grammar.js";

/**
 * The span of one token (`endColumn` one past its last character).
 *
 * @example
 * ```ts
 * tokenSpan(token, "m.sprig"); // { file: "m.sprig", line: 1, column: 5, endLine: 1, endColumn: 8, offset: 4 }
 * ```
 */
export function tokenSpan(token: IToken, file: string | undefined): SourceSpan {
  // One object literal of fixed shape: spans are made for every token, so no spreads here.
  return {
    file,
    line: token.startLine ?? 1,
    column: token.startColumn ?? 1,
    endLine: token.endLine ?? token.startLine ?? 1,
    endColumn: (token.endColumn ?? token.startColumn ?? 1) + 1,
    offset: token.startOffset,
  };
}

/**
 * The span from the start of `a` to the end of `b`.
 *
 * @example
 * ```ts
 * joinSpans(lhs.span, rhs.span);
 * ```
 */
export function joinSpans(a: SourceSpan, b: SourceSpan): SourceSpan {
  return {
    file: a.file,
    line: a.line,
    column: a.column,
    endLine: b.endLine ?? b.line,
    endColumn: b.endColumn ?? b.column + 1,
    offset: a.offset,
  };
}

/** Binding strength of the binary operators read flat by `binaryExpression`; higher binds tighter. */
const PRECEDENCE: Readonly<Record<string, number>> = {
  "||": 1,
  "&&": 2,
  "==": 3,
  "!=": 3,
  "<": 4,
  "<=": 4,
  ">": 4,
  ">=": 4,
  "+": 5,
  "-": 5,
  "*": 6,
  "/": 6,
  "%": 6,
  ".*": 6,
  "./": 6,
};

/** The first token under a CST node (children are keyed by name, so compare offsets). */
function firstToken(cst: CstNode): IToken | undefined {
  let best: IToken | undefined;
  for (const list of Object.values(cst.children)) {
    const head = list[0];
    if (head === undefined) continue;
    const t = "image" in head ? head : firstToken(head);
    if (t !== undefined && (best === undefined || t.startOffset < best.startOffset)) best = t;
  }
  return best;
}

/** The last token under a CST node. */
function lastToken(cst: CstNode): IToken | undefined {
  let best: IToken | undefined;
  for (const list of Object.values(cst.children)) {
    const tail = list[list.length - 1];
    if (tail === undefined) continue;
    const t = "image" in tail ? tail : lastToken(tail);
    if (t !== undefined && (best === undefined || t.startOffset > best.startOffset)) best = t;
  }
  return best;
}

/** Builds the visitor class from a parser instance (chevrotain derives the base class from the grammar). */
function makeVisitorClass(parser: SprigParser) {
  const Base = parser.getBaseCstVisitorConstructor();

  /** One method per grammar rule; `validateVisitor` checks none is missing. */
  class AstBuilder extends Base {
    file: string | undefined = undefined;
    diagnostics: ErrorParts[] = [];

    constructor() {
      super();
      this.validateVisitor();
    }

    private tok(token: IToken): SourceSpan {
      return tokenSpan(token, this.file);
    }

    /** The span of a CST node, from its first to its last token. */
    private node(cst: CstNode): SourceSpan {
      const first = firstToken(cst);
      const last = lastToken(cst);
      if (first === undefined || last === undefined) return { file: this.file, line: 1, column: 1, offset: 0 };
      return joinSpans(this.tok(first), this.tok(last));
    }

    /** Visits a node, passing the node itself as the parameter so rules can read its location. */
    v(cst: CstNode): unknown {
      return this.visit(cst, cst);
    }

    private expr(cst: CstNode): ExprAst {
      return this.v(cst) as ExprAst;
    }

    program(ctx: ProgramCstChildren, cst?: CstNode): ProgramAst {
      const functions: FunctionDefAst[] = [];
      for (const f of ctx.functionsBlock ?? []) functions.push(...(this.v(f) as FunctionDefAst[]));
      const blocks = (ctx.block ?? []).map((b) => this.v(b) as BlockAst);
      const span = cst ? this.node(cst) : { line: 1, column: 1 };
      return { functions, blocks, span };
    }

    functionsBlock(ctx: FunctionsBlockCstChildren): FunctionDefAst[] {
      return (ctx.functionDef ?? []).map((f) => this.v(f) as FunctionDefAst);
    }

    functionDef(ctx: FunctionDefCstChildren): FunctionDefAst {
      const name = ctx.name[0]!;
      const returnType = this.v(ctx.returnType[0]!) as FunctionTypeAst;
      const params = (ctx.functionParam ?? []).map((p) => this.v(p) as FunctionParamAst);
      const body = ctx.body ? (this.v(ctx.body[0]!) as BlockStmt) : undefined;
      const end = body?.span ?? this.tok(ctx.Semicolon?.[0] ?? ctx.RParen[0]!);
      return {
        name: name.image,
        nameSpan: this.tok(name),
        returnType,
        params,
        ...(body ? { body } : {}),
        span: joinSpans(returnType.span, end),
      };
    }

    functionParam(ctx: FunctionParamCstChildren): FunctionParamAst {
      const type = this.v(ctx.type[0]!) as FunctionTypeAst;
      const name = ctx.name[0]!;
      return { type, name: name.image, dataOnly: ctx.Data !== undefined, span: joinSpans(type.span, this.tok(name)) };
    }

    functionType(ctx: FunctionTypeCstChildren, cst?: CstNode): FunctionTypeAst {
      const span = cst ? this.node(cst) : { line: 1, column: 1 };
      if (ctx.element) {
        const inner = this.v(ctx.element[0]!) as FunctionTypeAst;
        return { base: inner.base, arrayRank: inner.arrayRank + 1 + (ctx.Comma?.length ?? 0), span };
      }
      const base = ctx.Int ? "int" : ctx.Real ? "real" : ctx.Vector ? "vector" : ctx.Matrix ? "matrix" : "void";
      return { base, arrayRank: 0, span };
    }

    block(ctx: BlockCstChildren): BlockAst {
      const header = this.v(ctx.blockHeader[0]!) as { kind: BlockKind; span: SourceSpan };
      const body = (ctx.statement ?? []).map((s) => this.v(s) as StmtAst);
      return {
        kind: header.kind,
        headerSpan: header.span,
        body,
        span: joinSpans(header.span, this.tok(ctx.RCurly[0]!)),
      };
    }

    blockHeader(ctx: BlockHeaderCstChildren, cst?: CstNode): { kind: BlockKind; span: SourceSpan } {
      const span = cst ? this.node(cst) : { line: 1, column: 1 };
      if (ctx.Transformed) return { kind: ctx.Data ? "transformed data" : "transformed parameters", span };
      if (ctx.Generated) return { kind: "generated quantities", span };
      if (ctx.Data) return { kind: "data", span };
      if (ctx.Hyper) return { kind: "hyper", span };
      if (ctx.Parameters) return { kind: "parameters", span };
      return { kind: "model", span };
    }

    statement(ctx: StatementCstChildren, cst?: CstNode): StmtAst {
      const annotations = (ctx.annotation ?? []).map((a) => this.v(a) as AnnotationAst);
      const inner = ctx.declaration ?? ctx.forStatement ?? ctx.whileStatement ?? ctx.ifStatement ?? ctx.blockStatement;
      let stmt: StmtAst;
      if (inner) stmt = this.v(inner[0]!) as StmtAst;
      else if (ctx.targetStatement) stmt = this.v(ctx.targetStatement[0]!) as StmtAst;
      else if (ctx.returnStatement) stmt = this.v(ctx.returnStatement[0]!) as StmtAst;
      else if (ctx.simpleStatement) stmt = this.v(ctx.simpleStatement[0]!) as StmtAst;
      else stmt = { kind: "empty", annotations: [], span: this.tok(ctx.empty![0]!) };
      if (annotations.length === 0) return stmt;
      return { ...stmt, annotations, span: cst ? this.node(cst) : stmt.span };
    }

    annotation(ctx: AnnotationCstChildren): AnnotationAst {
      const value = ctx.value ? this.expr(ctx.value[0]!) : undefined;
      return {
        name: ctx.name[0]!.image,
        ...(value ? { value } : {}),
        span: joinSpans(this.tok(ctx.At[0]!), this.tok(ctx.RParen[0]!)),
      };
    }

    declaration(ctx: DeclarationCstChildren): StmtAst {
      let type = this.v(ctx.type[0]!) as TypeAst;
      const name = ctx.name[0]!;
      if (ctx.legacyDims) {
        // Stan's pre-2.26 `real y[N]` is `array[N] real y`.
        type = { ...type, arraySizes: [...ctx.legacyDims.map((d) => this.expr(d)), ...type.arraySizes] };
      }
      const init = ctx.init ? this.expr(ctx.init[0]!) : undefined;
      return {
        kind: "decl",
        type,
        name: name.image,
        nameSpan: this.tok(name),
        ...(init ? { init } : {}),
        annotations: [],
        span: joinSpans(type.span, this.tok(ctx.Semicolon[0]!)),
      };
    }

    type(ctx: TypeCstChildren, cst?: CstNode): TypeAst {
      const span = cst ? this.node(cst) : { line: 1, column: 1 };
      if (ctx.element) {
        const inner = this.v(ctx.element[0]!) as TypeAst;
        const outer = this.v(ctx.arraySizes![0]!) as ExprAst[];
        return { ...inner, arraySizes: [...outer, ...inner.arraySizes], span };
      }
      const base: BaseType = ctx.Int
        ? "int"
        : ctx.Real
          ? "real"
          : ctx.Bool
            ? "bool"
            : ctx.Vector
              ? "vector"
              : ctx.Matrix
                ? "matrix"
                : ctx.SparseMatrix
                  ? "sparse_matrix"
                  : ctx.Operator
                    ? "operator"
                    : ctx.Simplex
                      ? "simplex"
                      : ctx.Ordered
                        ? "ordered"
                        : ctx.PositiveOrdered
                          ? "positive_ordered"
                          : "cholesky_factor_corr";
      const sizes = ctx.sizes ? (this.v(ctx.sizes[0]!) as ExprAst[]) : [];
      const bounds = ctx.bounds ? (this.v(ctx.bounds[0]!) as BoundAst[]) : [];
      return { base, sizes, arraySizes: [], bounds, span };
    }

    sizes(ctx: SizesCstChildren): ExprAst[] {
      return ctx.expression.map((e) => this.expr(e));
    }

    bounds(ctx: BoundsCstChildren): BoundAst[] {
      return ctx.bound.map((b) => this.v(b) as BoundAst);
    }

    bound(ctx: BoundCstChildren): BoundAst {
      const name = ctx.name[0]!;
      if (ctx.value === undefined) return { name: name.image, nameSpan: this.tok(name), span: this.tok(name) };
      const value = this.expr(ctx.value[0]!);
      return { name: name.image, nameSpan: this.tok(name), value, span: joinSpans(this.tok(name), value.span) };
    }

    forStatement(ctx: ForStatementCstChildren): StmtAst {
      const variable = ctx.variable[0]!;
      const body = this.v(ctx.body[0]!) as StmtAst;
      const upper = ctx.upper ? this.expr(ctx.upper[0]!) : undefined;
      return {
        kind: "for",
        variable: variable.image,
        variableSpan: this.tok(variable),
        lower: this.expr(ctx.lower[0]!),
        ...(upper ? { upper } : {}),
        body,
        annotations: [],
        span: joinSpans(this.tok(ctx.For[0]!), body.span),
      };
    }

    whileStatement(ctx: WhileStatementCstChildren): StmtAst {
      const body = this.v(ctx.body[0]!) as StmtAst;
      return {
        kind: "while",
        cond: this.expr(ctx.condition[0]!),
        body,
        annotations: [],
        span: joinSpans(this.tok(ctx.While[0]!), body.span),
      };
    }

    ifStatement(ctx: IfStatementCstChildren): StmtAst {
      const thenBranch = this.v(ctx.thenBranch[0]!) as StmtAst;
      const elseBranch = ctx.elseBranch ? (this.v(ctx.elseBranch[0]!) as StmtAst) : undefined;
      return {
        kind: "if",
        cond: this.expr(ctx.condition[0]!),
        thenBranch,
        ...(elseBranch ? { elseBranch } : {}),
        annotations: [],
        span: joinSpans(this.tok(ctx.If[0]!), (elseBranch ?? thenBranch).span),
      };
    }

    blockStatement(ctx: BlockStatementCstChildren): BlockStmt {
      return {
        kind: "block",
        body: (ctx.statement ?? []).map((s) => this.v(s) as StmtAst),
        annotations: [],
        span: joinSpans(this.tok(ctx.LCurly[0]!), this.tok(ctx.RCurly[0]!)),
      };
    }

    targetStatement(ctx: TargetStatementCstChildren): StmtAst {
      return {
        kind: "target",
        expr: this.expr(ctx.expression[0]!),
        annotations: [],
        span: joinSpans(this.tok(ctx.Target[0]!), this.tok(ctx.Semicolon[0]!)),
      };
    }

    returnStatement(ctx: ReturnStatementCstChildren): StmtAst {
      const value = ctx.expression ? this.expr(ctx.expression[0]!) : undefined;
      return {
        kind: "return",
        ...(value ? { value } : {}),
        annotations: [],
        span: joinSpans(this.tok(ctx.Return[0]!), this.tok(ctx.Semicolon[0]!)),
      };
    }

    simpleStatement(ctx: SimpleStatementCstChildren): StmtAst {
      const lhs = this.expr(ctx.lhs[0]!);
      const span = joinSpans(lhs.span, this.tok(ctx.Semicolon[0]!));
      if (ctx.family) {
        const family = ctx.family[0]!;
        const args = ctx.callArguments ? this.callArgs(ctx.callArguments[0]!, false).args : [];
        return { kind: "tilde", lhs, family: family.image, familySpan: this.tok(family), args, annotations: [], span };
      }
      if (ctx.assignOp) {
        const op = ctx.assignOp[0]!.image as "=" | "+=" | "-=" | "*=" | "/=";
        return { kind: "assign", op, lhs, rhs: this.expr(ctx.rhs![0]!), annotations: [], span };
      }
      return { kind: "expr", expr: lhs, annotations: [], span };
    }

    /** Arguments with the `|` rule applied: at most one, right after the first argument. */
    private callArgs(cst: CstNode, allowBar: boolean): { args: ArgumentAst[]; bar: boolean } {
      const result = this.v(cst) as { args: ArgumentAst[]; separators: IToken[] };
      let bar = false;
      result.separators.forEach((sep, i) => {
        if (sep.image !== "|") return;
        if (!allowBar || i !== 0) {
          this.diagnostics.push({
            where: "syntax error",
            what: allowBar
              ? "'|' may only follow the first argument of a density call, as in normal_lpdf(y | mu, sigma)"
              : "'|' is not allowed in the arguments of a '~' statement",
            got: "'|'",
            expected: "','",
            span: this.tok(sep),
          });
        }
        bar = true;
      });
      return { args: result.args, bar };
    }

    callArguments(ctx: CallArgumentsCstChildren): { args: ArgumentAst[]; separators: IToken[] } {
      return { args: ctx.callArgument.map((a) => this.v(a) as ArgumentAst), separators: ctx.separator ?? [] };
    }

    callArgument(ctx: CallArgumentCstChildren): ArgumentAst {
      const value = this.expr(ctx.value[0]!);
      if (ctx.name) {
        const name = ctx.name[0]!;
        return { name: name.image, nameSpan: this.tok(name), value, span: joinSpans(this.tok(name), value.span) };
      }
      return { value, span: value.span };
    }

    expression(ctx: ExpressionCstChildren): ExprAst {
      const cond = this.expr(ctx.condition[0]!);
      if (!ctx.ifTrue) return cond;
      const ifFalse = this.expr(ctx.ifFalse![0]!);
      return {
        kind: "ternary",
        cond,
        ifTrue: this.expr(ctx.ifTrue[0]!),
        ifFalse,
        span: joinSpans(cond.span, ifFalse.span),
      };
    }

    /**
     * Builds the tree of `a op b op c ...` by operator precedence (all left-associative), with an
     * operand stack and an operator stack (shunting-yard).
     */
    private chain(operands: CstNode[], operators: IToken[] | undefined): ExprAst {
      const values: ExprAst[] = [this.expr(operands[0]!)];
      const pending: IToken[] = [];
      const reduce = (): void => {
        const op = pending.pop()!;
        const right = values.pop()!;
        const left = values.pop()!;
        values.push({
          kind: "binary",
          op: op.image as BinaryOperator,
          left,
          right,
          opSpan: this.tok(op),
          span: joinSpans(left.span, right.span),
        });
      };
      for (let i = 1; i < operands.length; i++) {
        const op = operators![i - 1]!;
        const level = PRECEDENCE[op.image] ?? 0;
        while (pending.length > 0 && (PRECEDENCE[pending[pending.length - 1]!.image] ?? 0) >= level) reduce();
        pending.push(op);
        values.push(this.expr(operands[i]!));
      }
      while (pending.length > 0) reduce();
      return values[0]!;
    }

    binaryExpression(ctx: BinaryExpressionCstChildren): ExprAst {
      return this.chain(ctx.operand, ctx.operator);
    }

    arithmeticExpression(ctx: ArithmeticExpressionCstChildren): ExprAst {
      return this.chain(ctx.operand, ctx.operator);
    }

    unary(ctx: UnaryCstChildren): ExprAst {
      const arg = this.expr(ctx.operand![0]!);
      if (!ctx.operator) return arg;
      const op = ctx.operator[0]!;
      return { kind: "unary", op: op.image as UnaryOperator, arg, span: joinSpans(this.tok(op), arg.span) };
    }

    power(ctx: PowerCstChildren): ExprAst {
      const base = this.expr(ctx.base[0]!);
      if (!ctx.exponent) return base;
      const exponent = this.expr(ctx.exponent[0]!);
      const op = ctx.operator![0]!;
      return {
        kind: "binary",
        op: op.image as BinaryOperator,
        left: base,
        right: exponent,
        opSpan: this.tok(op),
        span: joinSpans(base.span, exponent.span),
      };
    }

    postfix(ctx: PostfixCstChildren): ExprAst {
      let target = this.expr(ctx.atom[0]!);
      if (ctx.indexSuffix === undefined && ctx.Transpose === undefined) return target;
      // Index suffixes and transposes are kept in separate child arrays; restore source order.
      const suffixes: { offset: number; apply: (e: ExprAst) => ExprAst }[] = [];
      for (const s of ctx.indexSuffix ?? []) {
        suffixes.push({
          offset: firstToken(s)?.startOffset ?? 0,
          apply: (e) => {
            const r = this.v(s) as { indices: IndexAst[]; end: SourceSpan };
            return { kind: "index", target: e, indices: r.indices, span: joinSpans(e.span, r.end) };
          },
        });
      }
      for (const t of ctx.Transpose ?? []) {
        suffixes.push({
          offset: t.startOffset,
          apply: (e) => ({ kind: "transpose", arg: e, span: joinSpans(e.span, this.tok(t)) }),
        });
      }
      suffixes.sort((a, b) => a.offset - b.offset);
      for (const s of suffixes) target = s.apply(target);
      return target;
    }

    indexSuffix(ctx: IndexSuffixCstChildren): { indices: IndexAst[]; end: SourceSpan } {
      return { indices: ctx.indexItem.map((i) => this.v(i) as IndexAst), end: this.tok(ctx.RBracket[0]!) };
    }

    indexItem(ctx: IndexItemCstChildren, cst?: CstNode): IndexAst {
      const span = cst ? this.node(cst) : { line: 1, column: 1 };
      const lower = ctx.lower ? this.expr(ctx.lower[0]!) : undefined;
      const upper = ctx.upper ? this.expr(ctx.upper[0]!) : undefined;
      if (ctx.Colon === undefined) return { kind: "single", expr: lower!, span };
      return { kind: "range", ...(lower ? { lower } : {}), ...(upper ? { upper } : {}), span };
    }

    atom(ctx: AtomCstChildren): ExprAst {
      const literal = ctx.RealLiteral?.[0] ?? ctx.IntLiteral?.[0];
      if (literal) {
        const value = Number(literal.image);
        const span = this.tok(literal);
        if (!Number.isFinite(value)) {
          this.diagnostics.push({
            where: "syntax error",
            what: "number literal out of range",
            got: literal.image,
            expected: "a finite double (at most about 1.8e308)",
            span,
          });
        }
        return { kind: "number", value, integer: ctx.IntLiteral !== undefined, span };
      }
      if (ctx.StringLiteral) {
        const token = ctx.StringLiteral[0]!;
        return { kind: "string", value: JSON.parse(token.image) as string, span: this.tok(token) };
      }
      if (ctx.Identifier) {
        const id = ctx.Identifier[0]!;
        const idSpan = this.tok(id);
        if (!ctx.call) return { kind: "name", name: id.image, span: idSpan };
        const { args, bar } = ctx.callArguments ? this.callArgs(ctx.callArguments[0]!, true) : { args: [], bar: false };
        return {
          kind: "call",
          callee: id.image,
          calleeSpan: idSpan,
          args,
          bar,
          span: joinSpans(idSpan, this.tok(ctx.RParen![0]!)),
        };
      }
      if (ctx.parenthesized) {
        const span = joinSpans(this.tok(ctx.LParen![0]!), this.tok(ctx.RParen![ctx.RParen!.length - 1]!));
        return { ...this.expr(ctx.parenthesized[0]!), span };
      }
      const span = joinSpans(this.tok(ctx.LBracket![0]!), this.tok(ctx.RBracket![0]!));
      return { kind: "vector", elements: (ctx.element ?? []).map((e) => this.expr(e)), span };
    }
  }
  return AstBuilder;
}

/** A reusable CST → AST converter. */
export interface AstVisitor {
  /**
   * Converts a CST (from `parser.program()`) to an AST; structural problems go to `diagnostics`.
   */
  toAst(cst: CstNode, file: string | undefined): { program: ProgramAst; diagnostics: ErrorParts[] };
}

/**
 * Makes the visitor for a parser instance (the visitor's base class comes from the grammar).
 *
 * @example
 * ```ts
 * const visitor = createAstVisitor(parser);
 * const { program, diagnostics } = visitor.toAst(parser.program(), "m.sprig");
 * ```
 */
export function createAstVisitor(parser: SprigParser): AstVisitor {
  const builder = new (makeVisitorClass(parser))();
  return {
    toAst(cst, file) {
      builder.file = file;
      builder.diagnostics = [];
      const program = builder.v(cst) as ProgramAst;
      return { program, diagnostics: builder.diagnostics };
    },
  };
}
