/**
 * Typed CST nodes of the sprig grammar, generated from the grammar by chevrotain's
 * `generateCstDts` (tests/lang/text/cst_types.test.ts fails when the grammar and this file drift
 * apart; regenerate with `npx tsx tests/lang/text/generate_cst_types.ts > src/lang/text/cst.ts`).
 * Types only: the visitor reads children through them.
 * @module lang/text/cst
 */
import type { CstNode, IToken } from "chevrotain";

/** The CST node of rule `program`. @example `const n = parser.program() as ProgramCstNode;` */
export interface ProgramCstNode extends CstNode {
  name: "program";
  children: ProgramCstChildren;
}

/** Children of a {@link ProgramCstNode} by token or label. @example `const c: ProgramCstChildren = node.children;` */
export type ProgramCstChildren = {
  functionsBlock?: FunctionsBlockCstNode[];
  block?: BlockCstNode[];
};

/** The CST node of rule `functionsBlock`. @example `const n = parser.functionsBlock() as FunctionsBlockCstNode;` */
export interface FunctionsBlockCstNode extends CstNode {
  name: "functionsBlock";
  children: FunctionsBlockCstChildren;
}

/** Children of a {@link FunctionsBlockCstNode} by token or label. @example `const c: FunctionsBlockCstChildren = node.children;` */
export type FunctionsBlockCstChildren = {
  Functions: IToken[];
  LCurly: IToken[];
  functionDef?: FunctionDefCstNode[];
  RCurly: IToken[];
};

/** The CST node of rule `functionDef`. @example `const n = parser.functionDef() as FunctionDefCstNode;` */
export interface FunctionDefCstNode extends CstNode {
  name: "functionDef";
  children: FunctionDefCstChildren;
}

/** Children of a {@link FunctionDefCstNode} by token or label. @example `const c: FunctionDefCstChildren = node.children;` */
export type FunctionDefCstChildren = {
  returnType: FunctionTypeCstNode[];
  name: IToken[];
  LParen: IToken[];
  functionParam?: FunctionParamCstNode[];
  Comma?: IToken[];
  RParen: IToken[];
  body?: BlockStatementCstNode[];
  Semicolon?: IToken[];
};

/** The CST node of rule `functionParam`. @example `const n = parser.functionParam() as FunctionParamCstNode;` */
export interface FunctionParamCstNode extends CstNode {
  name: "functionParam";
  children: FunctionParamCstChildren;
}

/** Children of a {@link FunctionParamCstNode} by token or label. @example `const c: FunctionParamCstChildren = node.children;` */
export type FunctionParamCstChildren = {
  Data?: IToken[];
  type: FunctionTypeCstNode[];
  name: IToken[];
};

/** The CST node of rule `functionType`. @example `const n = parser.functionType() as FunctionTypeCstNode;` */
export interface FunctionTypeCstNode extends CstNode {
  name: "functionType";
  children: FunctionTypeCstChildren;
}

/** Children of a {@link FunctionTypeCstNode} by token or label. @example `const c: FunctionTypeCstChildren = node.children;` */
export type FunctionTypeCstChildren = {
  Int?: IToken[];
  Real?: IToken[];
  Vector?: IToken[];
  Matrix?: IToken[];
  Void?: IToken[];
  Array?: IToken[];
  LBracket?: IToken[];
  Comma?: IToken[];
  RBracket?: IToken[];
  element?: FunctionTypeCstNode[];
};

/** The CST node of rule `block`. @example `const n = parser.block() as BlockCstNode;` */
export interface BlockCstNode extends CstNode {
  name: "block";
  children: BlockCstChildren;
}

/** Children of a {@link BlockCstNode} by token or label. @example `const c: BlockCstChildren = node.children;` */
export type BlockCstChildren = {
  blockHeader: BlockHeaderCstNode[];
  LCurly: IToken[];
  statement?: StatementCstNode[];
  RCurly: IToken[];
};

/** The CST node of rule `blockHeader`. @example `const n = parser.blockHeader() as BlockHeaderCstNode;` */
export interface BlockHeaderCstNode extends CstNode {
  name: "blockHeader";
  children: BlockHeaderCstChildren;
}

/** Children of a {@link BlockHeaderCstNode} by token or label. @example `const c: BlockHeaderCstChildren = node.children;` */
export type BlockHeaderCstChildren = {
  Data?: IToken[];
  Hyper?: IToken[];
  Parameters?: IToken[];
  Model?: IToken[];
  Transformed?: IToken[];
  Generated?: IToken[];
  Quantities?: IToken[];
};

/** The CST node of rule `statement`. @example `const n = parser.statement() as StatementCstNode;` */
export interface StatementCstNode extends CstNode {
  name: "statement";
  children: StatementCstChildren;
}

/** Children of a {@link StatementCstNode} by token or label. @example `const c: StatementCstChildren = node.children;` */
export type StatementCstChildren = {
  annotation?: AnnotationCstNode[];
  declaration?: DeclarationCstNode[];
  forStatement?: ForStatementCstNode[];
  whileStatement?: WhileStatementCstNode[];
  ifStatement?: IfStatementCstNode[];
  blockStatement?: BlockStatementCstNode[];
  targetStatement?: TargetStatementCstNode[];
  returnStatement?: ReturnStatementCstNode[];
  simpleStatement?: SimpleStatementCstNode[];
  empty?: IToken[];
};

/** The CST node of rule `annotation`. @example `const n = parser.annotation() as AnnotationCstNode;` */
export interface AnnotationCstNode extends CstNode {
  name: "annotation";
  children: AnnotationCstChildren;
}

/** Children of a {@link AnnotationCstNode} by token or label. @example `const c: AnnotationCstChildren = node.children;` */
export type AnnotationCstChildren = {
  At: IToken[];
  name: IToken[];
  LParen: IToken[];
  value?: ExpressionCstNode[];
  RParen: IToken[];
};

/** The CST node of rule `declaration`. @example `const n = parser.declaration() as DeclarationCstNode;` */
export interface DeclarationCstNode extends CstNode {
  name: "declaration";
  children: DeclarationCstChildren;
}

/** Children of a {@link DeclarationCstNode} by token or label. @example `const c: DeclarationCstChildren = node.children;` */
export type DeclarationCstChildren = {
  type: TypeCstNode[];
  name: IToken[];
  LBracket?: IToken[];
  legacyDims?: ExpressionCstNode[];
  Comma?: IToken[];
  RBracket?: IToken[];
  Assign?: IToken[];
  init?: ExpressionCstNode[];
  Semicolon: IToken[];
};

/** The CST node of rule `type`. @example `const n = parser.type() as TypeCstNode;` */
export interface TypeCstNode extends CstNode {
  name: "type";
  children: TypeCstChildren;
}

/** Children of a {@link TypeCstNode} by token or label. @example `const c: TypeCstChildren = node.children;` */
export type TypeCstChildren = {
  Int?: IToken[];
  Real?: IToken[];
  Bool?: IToken[];
  bounds?: BoundsCstNode[];
  Vector?: IToken[];
  sizes?: SizesCstNode[];
  Matrix?: IToken[];
  SparseMatrix?: IToken[];
  Operator?: IToken[];
  Simplex?: IToken[];
  Ordered?: IToken[];
  PositiveOrdered?: IToken[];
  CholeskyFactorCorr?: IToken[];
  Array?: IToken[];
  arraySizes?: SizesCstNode[];
  element?: TypeCstNode[];
};

/** The CST node of rule `sizes`. @example `const n = parser.sizes() as SizesCstNode;` */
export interface SizesCstNode extends CstNode {
  name: "sizes";
  children: SizesCstChildren;
}

/** Children of a {@link SizesCstNode} by token or label. @example `const c: SizesCstChildren = node.children;` */
export type SizesCstChildren = {
  LBracket: IToken[];
  expression: ExpressionCstNode[];
  Comma?: IToken[];
  RBracket: IToken[];
};

/** The CST node of rule `bounds`. @example `const n = parser.bounds() as BoundsCstNode;` */
export interface BoundsCstNode extends CstNode {
  name: "bounds";
  children: BoundsCstChildren;
}

/** Children of a {@link BoundsCstNode} by token or label. @example `const c: BoundsCstChildren = node.children;` */
export type BoundsCstChildren = {
  Less: IToken[];
  bound: BoundCstNode[];
  Comma?: IToken[];
  Greater: IToken[];
};

/** The CST node of rule `bound`. @example `const n = parser.bound() as BoundCstNode;` */
export interface BoundCstNode extends CstNode {
  name: "bound";
  children: BoundCstChildren;
}

/** Children of a {@link BoundCstNode} by token or label. @example `const c: BoundCstChildren = node.children;` */
export type BoundCstChildren = {
  name: IToken[];
  Assign?: IToken[];
  value?: ArithmeticExpressionCstNode[];
};

/** The CST node of rule `forStatement`. @example `const n = parser.forStatement() as ForStatementCstNode;` */
export interface ForStatementCstNode extends CstNode {
  name: "forStatement";
  children: ForStatementCstChildren;
}

/** Children of a {@link ForStatementCstNode} by token or label. @example `const c: ForStatementCstChildren = node.children;` */
export type ForStatementCstChildren = {
  For: IToken[];
  LParen: IToken[];
  variable: IToken[];
  In: IToken[];
  lower: ExpressionCstNode[];
  Colon?: IToken[];
  upper?: ExpressionCstNode[];
  RParen: IToken[];
  body: StatementCstNode[];
};

/** The CST node of rule `whileStatement`. @example `const n = parser.whileStatement() as WhileStatementCstNode;` */
export interface WhileStatementCstNode extends CstNode {
  name: "whileStatement";
  children: WhileStatementCstChildren;
}

/** Children of a {@link WhileStatementCstNode} by token or label. @example `const c: WhileStatementCstChildren = node.children;` */
export type WhileStatementCstChildren = {
  While: IToken[];
  LParen: IToken[];
  condition: ExpressionCstNode[];
  RParen: IToken[];
  body: StatementCstNode[];
};

/** The CST node of rule `ifStatement`. @example `const n = parser.ifStatement() as IfStatementCstNode;` */
export interface IfStatementCstNode extends CstNode {
  name: "ifStatement";
  children: IfStatementCstChildren;
}

/** Children of a {@link IfStatementCstNode} by token or label. @example `const c: IfStatementCstChildren = node.children;` */
export type IfStatementCstChildren = {
  If: IToken[];
  LParen: IToken[];
  condition: ExpressionCstNode[];
  RParen: IToken[];
  thenBranch: StatementCstNode[];
  Else?: IToken[];
  elseBranch?: StatementCstNode[];
};

/** The CST node of rule `blockStatement`. @example `const n = parser.blockStatement() as BlockStatementCstNode;` */
export interface BlockStatementCstNode extends CstNode {
  name: "blockStatement";
  children: BlockStatementCstChildren;
}

/** Children of a {@link BlockStatementCstNode} by token or label. @example `const c: BlockStatementCstChildren = node.children;` */
export type BlockStatementCstChildren = {
  LCurly: IToken[];
  statement?: StatementCstNode[];
  RCurly: IToken[];
};

/** The CST node of rule `targetStatement`. @example `const n = parser.targetStatement() as TargetStatementCstNode;` */
export interface TargetStatementCstNode extends CstNode {
  name: "targetStatement";
  children: TargetStatementCstChildren;
}

/** Children of a {@link TargetStatementCstNode} by token or label. @example `const c: TargetStatementCstChildren = node.children;` */
export type TargetStatementCstChildren = {
  Target: IToken[];
  PlusAssign: IToken[];
  expression: ExpressionCstNode[];
  Semicolon: IToken[];
};

/** The CST node of rule `returnStatement`. @example `const n = parser.returnStatement() as ReturnStatementCstNode;` */
export interface ReturnStatementCstNode extends CstNode {
  name: "returnStatement";
  children: ReturnStatementCstChildren;
}

/** Children of a {@link ReturnStatementCstNode} by token or label. @example `const c: ReturnStatementCstChildren = node.children;` */
export type ReturnStatementCstChildren = {
  Return: IToken[];
  expression?: ExpressionCstNode[];
  Semicolon: IToken[];
};

/** The CST node of rule `simpleStatement`. @example `const n = parser.simpleStatement() as SimpleStatementCstNode;` */
export interface SimpleStatementCstNode extends CstNode {
  name: "simpleStatement";
  children: SimpleStatementCstChildren;
}

/** Children of a {@link SimpleStatementCstNode} by token or label. @example `const c: SimpleStatementCstChildren = node.children;` */
export type SimpleStatementCstChildren = {
  lhs: ExpressionCstNode[];
  Tilde?: IToken[];
  family?: IToken[];
  LParen?: IToken[];
  callArguments?: CallArgumentsCstNode[];
  RParen?: IToken[];
  assignOp?: IToken[];
  rhs?: ExpressionCstNode[];
  Semicolon: IToken[];
};

/** The CST node of rule `callArguments`. @example `const n = parser.callArguments() as CallArgumentsCstNode;` */
export interface CallArgumentsCstNode extends CstNode {
  name: "callArguments";
  children: CallArgumentsCstChildren;
}

/** Children of a {@link CallArgumentsCstNode} by token or label. @example `const c: CallArgumentsCstChildren = node.children;` */
export type CallArgumentsCstChildren = {
  callArgument: CallArgumentCstNode[];
  separator?: IToken[];
};

/** The CST node of rule `callArgument`. @example `const n = parser.callArgument() as CallArgumentCstNode;` */
export interface CallArgumentCstNode extends CstNode {
  name: "callArgument";
  children: CallArgumentCstChildren;
}

/** Children of a {@link CallArgumentCstNode} by token or label. @example `const c: CallArgumentCstChildren = node.children;` */
export type CallArgumentCstChildren = {
  name?: IToken[];
  Assign?: IToken[];
  value: ExpressionCstNode[];
};

/** The CST node of rule `expression`. @example `const n = parser.expression() as ExpressionCstNode;` */
export interface ExpressionCstNode extends CstNode {
  name: "expression";
  children: ExpressionCstChildren;
}

/** Children of a {@link ExpressionCstNode} by token or label. @example `const c: ExpressionCstChildren = node.children;` */
export type ExpressionCstChildren = {
  condition: BinaryExpressionCstNode[];
  Question?: IToken[];
  ifTrue?: ExpressionCstNode[];
  Colon?: IToken[];
  ifFalse?: ExpressionCstNode[];
};

/** The CST node of rule `binaryExpression`. @example `const n = parser.binaryExpression() as BinaryExpressionCstNode;` */
export interface BinaryExpressionCstNode extends CstNode {
  name: "binaryExpression";
  children: BinaryExpressionCstChildren;
}

/** Children of a {@link BinaryExpressionCstNode} by token or label. @example `const c: BinaryExpressionCstChildren = node.children;` */
export type BinaryExpressionCstChildren = {
  operand: UnaryCstNode[];
  operator?: IToken[];
};

/** The CST node of rule `arithmeticExpression`. @example `const n = parser.arithmeticExpression() as ArithmeticExpressionCstNode;` */
export interface ArithmeticExpressionCstNode extends CstNode {
  name: "arithmeticExpression";
  children: ArithmeticExpressionCstChildren;
}

/** Children of a {@link ArithmeticExpressionCstNode} by token or label. @example `const c: ArithmeticExpressionCstChildren = node.children;` */
export type ArithmeticExpressionCstChildren = {
  operand: UnaryCstNode[];
  operator?: IToken[];
};

/** The CST node of rule `unary`. @example `const n = parser.unary() as UnaryCstNode;` */
export interface UnaryCstNode extends CstNode {
  name: "unary";
  children: UnaryCstChildren;
}

/** Children of a {@link UnaryCstNode} by token or label. @example `const c: UnaryCstChildren = node.children;` */
export type UnaryCstChildren = {
  operator?: IToken[];
  operand?: (UnaryCstNode | PowerCstNode)[];
};

/** The CST node of rule `power`. @example `const n = parser.power() as PowerCstNode;` */
export interface PowerCstNode extends CstNode {
  name: "power";
  children: PowerCstChildren;
}

/** Children of a {@link PowerCstNode} by token or label. @example `const c: PowerCstChildren = node.children;` */
export type PowerCstChildren = {
  base: PostfixCstNode[];
  operator?: IToken[];
  exponent?: UnaryCstNode[];
};

/** The CST node of rule `postfix`. @example `const n = parser.postfix() as PostfixCstNode;` */
export interface PostfixCstNode extends CstNode {
  name: "postfix";
  children: PostfixCstChildren;
}

/** Children of a {@link PostfixCstNode} by token or label. @example `const c: PostfixCstChildren = node.children;` */
export type PostfixCstChildren = {
  atom: AtomCstNode[];
  indexSuffix?: IndexSuffixCstNode[];
  Transpose?: IToken[];
};

/** The CST node of rule `indexSuffix`. @example `const n = parser.indexSuffix() as IndexSuffixCstNode;` */
export interface IndexSuffixCstNode extends CstNode {
  name: "indexSuffix";
  children: IndexSuffixCstChildren;
}

/** Children of a {@link IndexSuffixCstNode} by token or label. @example `const c: IndexSuffixCstChildren = node.children;` */
export type IndexSuffixCstChildren = {
  LBracket: IToken[];
  indexItem: IndexItemCstNode[];
  Comma?: IToken[];
  RBracket: IToken[];
};

/** The CST node of rule `indexItem`. @example `const n = parser.indexItem() as IndexItemCstNode;` */
export interface IndexItemCstNode extends CstNode {
  name: "indexItem";
  children: IndexItemCstChildren;
}

/** Children of a {@link IndexItemCstNode} by token or label. @example `const c: IndexItemCstChildren = node.children;` */
export type IndexItemCstChildren = {
  Colon?: IToken[];
  upper?: ExpressionCstNode[];
  lower?: ExpressionCstNode[];
};

/** The CST node of rule `atom`. @example `const n = parser.atom() as AtomCstNode;` */
export interface AtomCstNode extends CstNode {
  name: "atom";
  children: AtomCstChildren;
}

/** Children of a {@link AtomCstNode} by token or label. @example `const c: AtomCstChildren = node.children;` */
export type AtomCstChildren = {
  RealLiteral?: IToken[];
  IntLiteral?: IToken[];
  StringLiteral?: IToken[];
  Identifier?: IToken[];
  call?: IToken[];
  callArguments?: CallArgumentsCstNode[];
  RParen?: IToken[];
  LParen?: IToken[];
  parenthesized?: ExpressionCstNode[];
  LBracket?: IToken[];
  element?: ExpressionCstNode[];
  Comma?: IToken[];
  RBracket?: IToken[];
};
