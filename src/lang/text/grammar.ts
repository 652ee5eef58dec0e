/**
 * The pure grammar of the sprig model language: a chevrotain `CstParser` with no embedded
 * actions, so it only builds a concrete syntax tree; the visitor (`visitor.ts`) turns that into
 * the typed AST. Error recovery is on, so one pass reports every syntax error.
 *
 * Rules, loosest first: `expression` (conditional) → `binaryExpression` → `unary` → `power` →
 * `postfix` → `atom`. The binary operators are read as a flat sequence and the visitor applies
 * their precedence: with eleven levels written as eleven rules, every literal went through eleven
 * rule calls and CST nodes and parsing was five times slower. As in Stan, `-x^2` is `-(x^2)`,
 * `^` is right-associative, and `x'` and `x[i]` bind tightest.
 * @module lang/text/grammar
 */
import { CstParser } from "chevrotain";
import { SYNTAX_MESSAGES } from "./errors.js";
import * as T from "./tokens.js";

/**
 * The sprig parser. Rules are class fields, so a mistyped rule name is a compile error. Create
 * one instance and reuse it: `parser.input = tokens; parser.program()`.
 *
 * @example
 * ```ts
 * const parser = new SprigParser();
 * parser.input = SPRIG_LEXER.tokenize("data { int N; }").tokens;
 * const cst = parser.program();
 * parser.errors; // []
 * ```
 */
export class SprigParser extends CstParser {
  constructor() {
    super(T.ALL_TOKENS as never, {
      recoveryEnabled: true,
      maxLookahead: 3,
      errorMessageProvider: SYNTAX_MESSAGES,
    });
    this.performSelfAnalysis();
  }

  /** A model: function definitions and blocks. */
  public program = this.RULE("program", () => {
    this.MANY(() => {
      this.OR([{ ALT: () => this.SUBRULE(this.functionsBlock) }, { ALT: () => this.SUBRULE(this.block) }]);
    });
  });

  /** `functions { ... }`: user function definitions. */
  public functionsBlock = this.RULE("functionsBlock", () => {
    this.CONSUME(T.Functions);
    this.CONSUME(T.LCurly);
    this.MANY(() => this.SUBRULE(this.functionDef));
    this.CONSUME(T.RCurly);
  });

  /** `real name(vector x, data real s) { ... }` (a `;` instead of a body is a forward declaration). */
  public functionDef = this.RULE("functionDef", () => {
    this.SUBRULE(this.functionType, { LABEL: "returnType" });
    this.CONSUME(T.Identifier, { LABEL: "name" });
    this.CONSUME(T.LParen);
    this.OPTION(() => {
      this.SUBRULE(this.functionParam);
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.functionParam);
      });
    });
    this.CONSUME(T.RParen);
    this.OR([
      { ALT: () => this.SUBRULE(this.blockStatement, { LABEL: "body" }) },
      { ALT: () => this.CONSUME(T.Semicolon) },
    ]);
  });

  /** One function parameter: `[data] type name`. */
  public functionParam = this.RULE("functionParam", () => {
    this.OPTION(() => this.CONSUME(T.Data));
    this.SUBRULE(this.functionType, { LABEL: "type" });
    this.CONSUME(T.Identifier, { LABEL: "name" });
  });

  /** Unsized types of function signatures: `real`, `vector`, `array[] int`, `void`… */
  public functionType = this.RULE("functionType", () => {
    this.OR([
      { ALT: () => this.CONSUME(T.Int) },
      { ALT: () => this.CONSUME(T.Real) },
      { ALT: () => this.CONSUME(T.Vector) },
      { ALT: () => this.CONSUME(T.Matrix) },
      { ALT: () => this.CONSUME(T.Void) },
      {
        ALT: () => {
          this.CONSUME(T.ArrayKw);
          this.CONSUME(T.LBracket);
          this.MANY(() => this.CONSUME(T.Comma));
          this.CONSUME(T.RBracket);
          this.SUBRULE(this.functionType, { LABEL: "element" });
        },
      },
    ]);
  });

  /** `data { ... }`, `transformed parameters { ... }`, `model { ... }` and the other blocks. */
  public block = this.RULE("block", () => {
    this.SUBRULE(this.blockHeader);
    this.CONSUME(T.LCurly);
    this.MANY(() => this.SUBRULE(this.statement));
    this.CONSUME(T.RCurly);
  });

  /** The words naming a block. */
  public blockHeader = this.RULE("blockHeader", () => {
    this.OR([
      { ALT: () => this.CONSUME(T.Data) },
      { ALT: () => this.CONSUME(T.Hyper) },
      { ALT: () => this.CONSUME(T.Parameters) },
      { ALT: () => this.CONSUME(T.Model) },
      {
        ALT: () => {
          this.CONSUME(T.Transformed);
          this.OR2([{ ALT: () => this.CONSUME2(T.Data) }, { ALT: () => this.CONSUME2(T.Parameters) }]);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Generated);
          this.CONSUME(T.Quantities);
        },
      },
    ]);
  });

  /** Any statement, optionally preceded by annotations (`@part("prior") target += ...`). */
  public statement = this.RULE("statement", () => {
    this.MANY(() => this.SUBRULE(this.annotation));
    this.OR([
      { ALT: () => this.SUBRULE(this.declaration) },
      { ALT: () => this.SUBRULE(this.forStatement) },
      { ALT: () => this.SUBRULE(this.whileStatement) },
      { ALT: () => this.SUBRULE(this.ifStatement) },
      { ALT: () => this.SUBRULE(this.blockStatement) },
      { ALT: () => this.SUBRULE(this.targetStatement) },
      { ALT: () => this.SUBRULE(this.returnStatement) },
      { ALT: () => this.SUBRULE(this.simpleStatement) },
      { ALT: () => this.CONSUME(T.Semicolon, { LABEL: "empty" }) },
    ]);
  });

  /** `@name(value)` or `@name()`; the name may be a keyword (`@model("x")`), as IR tags may. */
  public annotation = this.RULE("annotation", () => {
    this.CONSUME(T.At);
    this.CONSUME(T.Word, { LABEL: "name" });
    this.CONSUME(T.LParen);
    this.OPTION(() => this.SUBRULE(this.expression, { LABEL: "value" }));
    this.CONSUME(T.RParen);
  });

  /** `type name [old-style dims] [= value];` */
  public declaration = this.RULE("declaration", () => {
    this.SUBRULE(this.type);
    this.CONSUME(T.Identifier, { LABEL: "name" });
    this.OPTION(() => {
      this.CONSUME(T.LBracket);
      this.SUBRULE(this.expression, { LABEL: "legacyDims" });
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.expression, { LABEL: "legacyDims" });
      });
      this.CONSUME(T.RBracket);
    });
    this.OPTION2(() => {
      this.CONSUME(T.Assign);
      this.SUBRULE3(this.expression, { LABEL: "init" });
    });
    this.CONSUME(T.Semicolon);
  });

  /**
   * Sized types: `int<lower=0>`, `bool`, `vector[N]`, `matrix[N, K]`, `simplex[K]`,
   * `array[N] real`… `bool` takes bounds here only so the checker can say why they are wrong.
   */
  public type = this.RULE("type", () => {
    this.OR([
      {
        ALT: () => {
          this.OR2([
            { ALT: () => this.CONSUME(T.Int) },
            { ALT: () => this.CONSUME(T.Real) },
            { ALT: () => this.CONSUME(T.Bool) },
          ]);
          this.OPTION(() => this.SUBRULE(this.bounds));
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Vector);
          this.OPTION2(() => this.SUBRULE2(this.bounds));
          this.SUBRULE(this.sizes);
        },
      },
      {
        ALT: () => {
          this.OR3([
            { ALT: () => this.CONSUME(T.Matrix) },
            { ALT: () => this.CONSUME(T.SparseMatrix) },
            { ALT: () => this.CONSUME(T.Operator) },
          ]);
          this.OPTION3(() => this.SUBRULE3(this.bounds));
          this.SUBRULE2(this.sizes);
        },
      },
      {
        ALT: () => {
          this.OR4([
            { ALT: () => this.CONSUME(T.Simplex) },
            { ALT: () => this.CONSUME(T.Ordered) },
            { ALT: () => this.CONSUME(T.PositiveOrdered) },
            { ALT: () => this.CONSUME(T.CholeskyFactorCorr) },
          ]);
          this.SUBRULE3(this.sizes);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.ArrayKw);
          this.SUBRULE4(this.sizes, { LABEL: "arraySizes" });
          this.SUBRULE(this.type, { LABEL: "element" });
        },
      },
    ]);
  });

  /** `[e1, e2, ...]` sizes of a type. */
  public sizes = this.RULE("sizes", () => {
    this.CONSUME(T.LBracket);
    this.SUBRULE(this.expression);
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.SUBRULE2(this.expression);
    });
    this.CONSUME(T.RBracket);
  });

  /**
   * `<lower=a, upper=b>`, `<positive>`, `<unbounded>`; bound values stop below comparisons so
   * `>` closes the list.
   */
  public bounds = this.RULE("bounds", () => {
    this.CONSUME(T.Less);
    this.SUBRULE(this.bound);
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.SUBRULE2(this.bound);
    });
    this.CONSUME(T.Greater);
  });

  /**
   * `lower = additive-expression`, or a bare word naming a support (`positive`, `unbounded`).
   * The value is optional in the grammar so that `<lower>` and `<positive=1>` reach the checker,
   * which names the bound and says what it takes; `positive` and `unbounded` are not keywords,
   * so they stay usable as variable names.
   */
  public bound = this.RULE("bound", () => {
    this.CONSUME(T.Identifier, { LABEL: "name" });
    this.OPTION(() => {
      this.CONSUME(T.Assign);
      this.SUBRULE(this.arithmeticExpression, { LABEL: "value" });
    });
  });

  /** `for (i in lo:hi) statement` or `for (x in v) statement`. */
  public forStatement = this.RULE("forStatement", () => {
    this.CONSUME(T.For);
    this.CONSUME(T.LParen);
    this.CONSUME(T.Identifier, { LABEL: "variable" });
    this.CONSUME(T.In);
    this.SUBRULE(this.expression, { LABEL: "lower" });
    this.OPTION(() => {
      this.CONSUME(T.Colon);
      this.SUBRULE2(this.expression, { LABEL: "upper" });
    });
    this.CONSUME(T.RParen);
    this.SUBRULE(this.statement, { LABEL: "body" });
  });

  /** `while (cond) statement` (parsed so the checker can explain why it is not supported). */
  public whileStatement = this.RULE("whileStatement", () => {
    this.CONSUME(T.While);
    this.CONSUME(T.LParen);
    this.SUBRULE(this.expression, { LABEL: "condition" });
    this.CONSUME(T.RParen);
    this.SUBRULE(this.statement, { LABEL: "body" });
  });

  /** `if (cond) statement [else statement]`; `else` binds to the nearest `if`. */
  public ifStatement = this.RULE("ifStatement", () => {
    this.CONSUME(T.If);
    this.CONSUME(T.LParen);
    this.SUBRULE(this.expression, { LABEL: "condition" });
    this.CONSUME(T.RParen);
    this.SUBRULE(this.statement, { LABEL: "thenBranch" });
    this.OPTION(() => {
      this.CONSUME(T.Else);
      this.SUBRULE2(this.statement, { LABEL: "elseBranch" });
    });
  });

  /** `{ statements }` with its own scope for local variables. */
  public blockStatement = this.RULE("blockStatement", () => {
    this.CONSUME(T.LCurly);
    this.MANY(() => this.SUBRULE(this.statement));
    this.CONSUME(T.RCurly);
  });

  /** `target += expression;` */
  public targetStatement = this.RULE("targetStatement", () => {
    this.CONSUME(T.Target);
    this.CONSUME(T.PlusAssign);
    this.SUBRULE(this.expression);
    this.CONSUME(T.Semicolon);
  });

  /** `return [expression];` */
  public returnStatement = this.RULE("returnStatement", () => {
    this.CONSUME(T.Return);
    this.OPTION(() => this.SUBRULE(this.expression));
    this.CONSUME(T.Semicolon);
  });

  /** `lhs ~ family(args);`, `lhs = rhs;`, `lhs += rhs;` or a bare call `f(x);`. */
  public simpleStatement = this.RULE("simpleStatement", () => {
    this.SUBRULE(this.expression, { LABEL: "lhs" });
    this.OPTION(() => {
      this.OR([
        {
          ALT: () => {
            this.CONSUME(T.Tilde);
            this.CONSUME(T.Identifier, { LABEL: "family" });
            this.CONSUME(T.LParen);
            this.OPTION2(() => this.SUBRULE(this.callArguments));
            this.CONSUME(T.RParen);
          },
        },
        {
          ALT: () => {
            this.OR2([
              { ALT: () => this.CONSUME(T.Assign, { LABEL: "assignOp" }) },
              { ALT: () => this.CONSUME(T.PlusAssign, { LABEL: "assignOp" }) },
              { ALT: () => this.CONSUME(T.MinusAssign, { LABEL: "assignOp" }) },
              { ALT: () => this.CONSUME(T.StarAssign, { LABEL: "assignOp" }) },
              { ALT: () => this.CONSUME(T.SlashAssign, { LABEL: "assignOp" }) },
            ]);
            this.SUBRULE2(this.expression, { LABEL: "rhs" });
          },
        },
      ]);
    });
    this.CONSUME(T.Semicolon);
  });

  /** Arguments of a call: positional or `name = value`, separated by `,` (one `|` allowed by the checker). */
  public callArguments = this.RULE("callArguments", () => {
    this.SUBRULE(this.callArgument);
    this.MANY(() => {
      this.OR([
        { ALT: () => this.CONSUME(T.Comma, { LABEL: "separator" }) },
        { ALT: () => this.CONSUME(T.Bar, { LABEL: "separator" }) },
      ]);
      this.SUBRULE2(this.callArgument);
    });
  });

  /** `name = expression` or `expression`. */
  public callArgument = this.RULE("callArgument", () => {
    this.OPTION(() => {
      this.CONSUME(T.Identifier, { LABEL: "name" });
      this.CONSUME(T.Assign);
    });
    this.SUBRULE(this.expression, { LABEL: "value" });
  });

  /** Any expression: binary operators, then optionally the conditional `c ? a : b`. */
  public expression = this.RULE("expression", () => {
    this.SUBRULE(this.binaryExpression, { LABEL: "condition" });
    this.OPTION(() => {
      this.CONSUME(T.Question);
      this.SUBRULE(this.expression, { LABEL: "ifTrue" });
      this.CONSUME(T.Colon);
      this.SUBRULE2(this.expression, { LABEL: "ifFalse" });
    });
  });

  /**
   * `a op b op c ...` for every binary operator but `^`; the visitor applies precedence
   * (`||` < `&&` < `==` `!=` < `<` `<=` `>` `>=` < `+` `-` < `*` `/` `%` `.*` `./`).
   */
  public binaryExpression = this.RULE("binaryExpression", () => {
    this.SUBRULE(this.unary, { LABEL: "operand" });
    this.MANY(() => {
      this.CONSUME(T.BinaryOperator, { LABEL: "operator" });
      this.SUBRULE2(this.unary, { LABEL: "operand" });
    });
  });

  /** Arithmetic only, for bound values: `<lower=-1, upper=a + 1>` (a `>` closes the list). */
  public arithmeticExpression = this.RULE("arithmeticExpression", () => {
    this.SUBRULE(this.unary, { LABEL: "operand" });
    this.MANY(() => {
      this.CONSUME(T.ArithmeticOperator, { LABEL: "operator" });
      this.SUBRULE2(this.unary, { LABEL: "operand" });
    });
  });

  /** `-a`, `+a`, `!a` (looser than `^`, so `-x^2` is `-(x^2)`). */
  public unary = this.RULE("unary", () => {
    this.OR([
      {
        ALT: () => {
          this.OR2([
            { ALT: () => this.CONSUME(T.Minus, { LABEL: "operator" }) },
            { ALT: () => this.CONSUME(T.Plus, { LABEL: "operator" }) },
            { ALT: () => this.CONSUME(T.Bang, { LABEL: "operator" }) },
          ]);
          this.SUBRULE(this.unary, { LABEL: "operand" });
        },
      },
      { ALT: () => this.SUBRULE(this.power, { LABEL: "operand" }) },
    ]);
  });

  /** `a ^ b`, `a .^ b`; right-associative, and the exponent may carry a sign (`2^-1`). */
  public power = this.RULE("power", () => {
    this.SUBRULE(this.postfix, { LABEL: "base" });
    this.OPTION(() => {
      this.OR([
        { ALT: () => this.CONSUME(T.Caret, { LABEL: "operator" }) },
        { ALT: () => this.CONSUME(T.DotCaret, { LABEL: "operator" }) },
      ]);
      this.SUBRULE(this.unary, { LABEL: "exponent" });
    });
  });

  /** `atom[i, a:b]...` and `atom'`. */
  public postfix = this.RULE("postfix", () => {
    this.SUBRULE(this.atom);
    this.MANY(() => {
      this.OR([{ ALT: () => this.SUBRULE(this.indexSuffix) }, { ALT: () => this.CONSUME(T.Transpose) }]);
    });
  });

  /** `[i]`, `[i, j]`, `[a:b]`, `[:]`… */
  public indexSuffix = this.RULE("indexSuffix", () => {
    this.CONSUME(T.LBracket);
    this.SUBRULE(this.indexItem);
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.SUBRULE2(this.indexItem);
    });
    this.CONSUME(T.RBracket);
  });

  /** One index: `e`, `a:b`, `a:`, `:b` or `:`. */
  public indexItem = this.RULE("indexItem", () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Colon);
          this.OPTION(() => this.SUBRULE(this.expression, { LABEL: "upper" }));
        },
      },
      {
        ALT: () => {
          this.SUBRULE2(this.expression, { LABEL: "lower" });
          this.OPTION2(() => {
            this.CONSUME2(T.Colon);
            this.OPTION3(() => this.SUBRULE3(this.expression, { LABEL: "upper" }));
          });
        },
      },
    ]);
  });

  /** Literals, names, calls, parentheses and vector literals `[a, b]`. */
  public atom = this.RULE("atom", () => {
    this.OR([
      { ALT: () => this.CONSUME(T.RealLiteral) },
      { ALT: () => this.CONSUME(T.IntLiteral) },
      { ALT: () => this.CONSUME(T.StringLiteral) },
      {
        ALT: () => {
          this.CONSUME(T.Identifier);
          this.OPTION(() => {
            this.CONSUME(T.LParen, { LABEL: "call" });
            this.OPTION2(() => this.SUBRULE(this.callArguments));
            this.CONSUME(T.RParen);
          });
        },
      },
      {
        ALT: () => {
          this.CONSUME2(T.LParen);
          this.SUBRULE(this.expression, { LABEL: "parenthesized" });
          this.CONSUME2(T.RParen);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.LBracket);
          this.SUBRULE2(this.expression, { LABEL: "element" });
          this.MANY(() => {
            this.CONSUME(T.Comma);
            this.SUBRULE3(this.expression, { LABEL: "element" });
          });
          this.CONSUME(T.RBracket);
        },
      },
    ]);
  });
}
