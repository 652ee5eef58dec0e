/**
 * The checker: everything about a program that can be decided from the text and the family
 * registry alone, before lowering. It resolves the block structure, declarations (types, sizes,
 * bounds → IR shapes and supports), scopes (every name declared before use, no redeclaration),
 * calls (built-ins, user functions, `<family>_lpdf` densities, arities), `~` statements (family
 * names and argument names against the registry's signatures) and assignments (only to
 * variables the current block owns). It reports every problem it finds, each with a span and,
 * where one is close, a "did you mean" suggestion. Shapes of expressions are checked during
 * lowering by the IR's own constructors, which carry the spans passed to them.
 * @module lang/text/checker
 */
import type { ErrorParts } from "../../core/errors.js";
import type { FamilySignature, SignatureLookup } from "../../core/family.js";
import type { SourceSpan } from "../../core/span.js";
import type { Support } from "../../core/support.js";
import type { Dim, DType, IrShape } from "../../ir/types.js";
import {
  type AnnotationAst,
  type ArgumentAst,
  type BoundAst,
  BLOCK_ORDER,
  type BlockAst,
  type BlockKind,
  type DeclStmt,
  type ExprAst,
  type FunctionDefAst,
  type ProgramAst,
  type StmtAst,
  type TypeAst,
} from "./ast.js";
import { suggestName } from "./errors.js";
import { builtinArity, builtinNames } from "./functions.js";

/**
 * Data values as given to `parseModel` (the same object later passed to `compile`): numbers,
 * arrays, typed arrays, arrays of rows, or operator objects (left to the compiler).
 *
 * @example
 * ```ts
 * const data: TextModelData = { J: 8, y: [28, 8, -3, 7, -1, 1, 18, 12] };
 * ```
 */
export type TextModelData = Readonly<Record<string, unknown>>;

/**
 * A global variable after checking: its block, IR element type, shape and declared support.
 *
 * @example
 * ```ts
 * const d = checked.globals.get("sigma"); // { block: "parameters", shape: [], support: { kind: "lower", lower: 0 }, ... }
 * ```
 */
export interface GlobalDecl {
  readonly name: string;
  readonly block: BlockKind;
  readonly decl: DeclStmt;
  readonly dtype: DType;
  readonly shape: IrShape;
  /** The declared constraint, when there is one. */
  readonly support?: Support;
  /**
   * A parameter's bounds when one of them is an expression of data, parameters declared before
   * it and the like (`real<lower=0, upper=1 - alpha1> beta1`): both given bounds as written, and
   * then no `support`.
   */
  readonly bounds?: { readonly lower?: ExprAst; readonly upper?: ExprAst };
  /** For matrix data: how the declaration says it is bound. */
  readonly matrixKind?: "matrix" | "sparse_matrix" | "operator";
}

/**
 * A checked program, ready for lowering.
 *
 * @example
 * ```ts
 * const checked = checkProgram(program, registry, { text });
 * checked.globals.get("mu")?.block; // "parameters"
 * ```
 */
export interface CheckedProgram {
  readonly program: ProgramAst;
  /** Globals in declaration order. */
  readonly globals: ReadonlyMap<string, GlobalDecl>;
  readonly functions: ReadonlyMap<string, FunctionDefAst>;
  readonly blocks: ReadonlyMap<BlockKind, BlockAst>;
}

/** Suffixes that turn a family name into a density function. */
export const DENSITY_SUFFIXES = ["_lpdf", "_lupdf", "_lpmf", "_lupmf", "_log"] as const;

/**
 * The family named by a density function (`normal_lpdf` → `normal`), or undefined.
 *
 * @example
 * ```ts
 * densityFamily("poisson_log_lpmf"); // "poisson_log"
 * ```
 */
export function densityFamily(callee: string): string | undefined {
  for (const suffix of DENSITY_SUFFIXES) if (callee.endsWith(suffix)) return callee.slice(0, -suffix.length);
  return undefined;
}

/** Stan's argument names, for hints when someone writes `normal(mu=0, sigma=1)`. */
const STAN_ARGUMENT_NAMES: Readonly<Record<string, readonly string[]>> = {
  mu: ["loc", "mean"],
  sigma: ["scale"],
  nu: ["df"],
  lambda: ["rate"],
  theta: ["prob"],
  alpha: ["logit", "shape", "concentration"],
  phi: ["concentration"],
  n: ["trials"],
  N: ["trials"],
  beta: ["rate"],
};

/**
 * Binds call arguments to a family's parameters (positional in `paramOrder`, or by name),
 * reporting unknown, duplicate and missing arguments.
 *
 * @example
 * ```ts
 * const { bound, problems } = bindFamilyArguments(sig, stmt.args, stmt.familySpan, "normal()");
 * ```
 */
export function bindFamilyArguments(
  sig: FamilySignature,
  args: readonly ArgumentAst[],
  span: SourceSpan,
  where: string,
): { bound: Map<string, ArgumentAst>; problems: ErrorParts[] } {
  const bound = new Map<string, ArgumentAst>();
  const problems: ErrorParts[] = [];
  let sawNamed = false;
  args.forEach((arg, i) => {
    if (arg.name === undefined) {
      if (sawNamed) {
        problems.push({
          where,
          what: "a positional argument follows a named one",
          hint: "put positional arguments first.",
          span: arg.span,
        });
        return;
      }
      const param = sig.paramOrder[i];
      if (param === undefined) {
        problems.push({
          where,
          what: `too many arguments`,
          got: String(args.length),
          expected: `at most ${sig.paramOrder.length} (${sig.paramOrder.join(", ") || "none"})`,
          span: arg.span,
        });
        return;
      }
      bound.set(param, arg);
      return;
    }
    sawNamed = true;
    if (!(arg.name in sig.params)) {
      const alias = STAN_ARGUMENT_NAMES[arg.name]?.find((a) => a in sig.params);
      const close = alias ?? suggestName(arg.name, sig.paramOrder);
      problems.push({
        where,
        what: `unknown argument '${arg.name}'`,
        expected:
          sig.paramOrder.length > 0 ? `one of ${sig.paramOrder.map((p) => `'${p}'`).join(", ")}` : "no arguments",
        ...(close !== undefined ? { hint: `did you mean '${close}'?` } : {}),
        span: arg.nameSpan ?? arg.span,
      });
      return;
    }
    if (bound.has(arg.name)) {
      problems.push({ where, what: `argument '${arg.name}' is given twice`, span: arg.nameSpan ?? arg.span });
      return;
    }
    bound.set(arg.name, arg);
  });
  for (const p of sig.paramOrder) {
    if (!bound.has(p) && sig.params[p]!.default === undefined && problems.length === 0) {
      problems.push({
        where,
        what: `missing argument '${p}'`,
        expected: `arguments ${sig.paramOrder.map((q) => `'${q}'`).join(", ")}`,
        hint: `write ${sig.family}(${sig.paramOrder.map((q) => `${q}=…`).join(", ")}).`,
        span,
      });
    }
  }
  return { bound, problems };
}

/** What a name refers to inside the checker. */
interface CheckSymbol {
  readonly kind: "global" | "local" | "loop" | "argument";
  readonly span: SourceSpan;
  readonly block?: BlockKind;
}

/** Lexical scopes, innermost last. */
class Scope {
  private readonly frames: Map<string, CheckSymbol>[] = [new Map()];
  push(): void {
    this.frames.push(new Map());
  }
  pop(): void {
    this.frames.pop();
  }
  lookup(name: string): CheckSymbol | undefined {
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const s = this.frames[i]!.get(name);
      if (s !== undefined) return s;
    }
    return undefined;
  }
  define(name: string, symbol: CheckSymbol): void {
    this.frames[this.frames.length - 1]!.set(name, symbol);
  }
  visibleNames(): string[] {
    const names = new Set<string>();
    for (const f of this.frames) for (const n of f.keys()) names.add(n);
    return [...names];
  }
}

/** Which statements each block may hold. */
const BLOCK_RULES: Readonly<Record<BlockKind, { readonly declarationsOnly: boolean; readonly model: boolean }>> = {
  data: { declarationsOnly: true, model: false },
  "transformed data": { declarationsOnly: false, model: false },
  hyper: { declarationsOnly: true, model: false },
  parameters: { declarationsOnly: true, model: false },
  "transformed parameters": { declarationsOnly: false, model: false },
  model: { declarationsOnly: false, model: true },
  "generated quantities": { declarationsOnly: false, model: false },
};

/** Blocks whose top-level declarations are nodes that carry annotations. */
const ANNOTATED_BLOCKS: ReadonlySet<BlockKind> = new Set<BlockKind>([
  "hyper",
  "parameters",
  "transformed data",
  "transformed parameters",
]);

/** The constrained types: each is one IR support, and none takes bounds. */
const CONSTRAINED_TYPES = ["simplex", "ordered", "positive_ordered", "cholesky_factor_corr"];

/**
 * Types each block may declare at its top level. Data, hyper-parameters and parameters take
 * every type whose IR support their nodes can carry (hyper-parameters only continuous ones), so
 * every graph the IR printer writes reads back.
 */
const BLOCK_TYPES: Readonly<Record<BlockKind, readonly string[]>> = {
  data: ["int", "real", "bool", "vector", "matrix", "sparse_matrix", "operator", ...CONSTRAINED_TYPES],
  "transformed data": ["int", "real", "vector"],
  hyper: ["real", "vector", "matrix", ...CONSTRAINED_TYPES],
  parameters: ["int", "real", "bool", "vector", "matrix", ...CONSTRAINED_TYPES],
  "transformed parameters": ["int", "real", "vector"],
  model: ["int", "real", "vector"],
  "generated quantities": ["real", "vector"],
};

/** What may stand inside `<...>`. */
const BOUND_NAMES = ["lower", "upper", "positive", "unbounded"];

/** Hints for bounds other languages have and sprig spells differently. */
const UNKNOWN_BOUND_HINTS: Readonly<Record<string, string>> = {
  offset: "offset/multiplier are not supported; write the affine transform as a transformed parameter.",
  multiplier: "offset/multiplier are not supported; write the affine transform as a transformed parameter.",
  strict: "the one strict bound is <positive> (x > 0); every other bound includes its end point.",
  negative: "there is no strict upper bound; write <upper=0> (x ≤ 0).",
};

/** Resolved `<...>`: the numeric bounds, and whether `positive` or `unbounded` was written. */
interface ResolvedBounds {
  readonly values: { lower?: number; upper?: number };
  /** Every `lower=`/`upper=` value as written, when a parameter's bound is not a constant. */
  readonly dynamic?: { lower?: ExprAst; upper?: ExprAst };
  readonly positive: boolean;
  readonly whole: boolean;
}

/**
 * Checks a program. Problems are collected (each with a span) and returned; `globals` holds
 * what could be resolved even when there are problems.
 *
 * @param program - the AST from the visitor
 * @param families - the family registry (its signatures)
 * @param data - data values, when given: they let sizes and bounds written as expressions of
 *   integer data (`vector[K - 1] b`) be computed
 * @param sparsePriors - names usable after `~` as sparse-prior hierarchies
 * @example
 * ```ts
 * const { checked, problems } = checkProgram(program, registry, undefined);
 * if (problems.length > 0) throw semanticError(problems[0], text);
 * ```
 */
export function checkProgram(
  program: ProgramAst,
  families: SignatureLookup,
  data: TextModelData | undefined,
  sparsePriors: ReadonlySet<string> = new Set(),
): { checked: CheckedProgram; problems: ErrorParts[] } {
  return new Checker(program, families, data, sparsePriors).run();
}

class Checker {
  private readonly problems: ErrorParts[] = [];
  private readonly globals = new Map<string, GlobalDecl>();
  private readonly functions = new Map<string, FunctionDefAst>();
  private readonly blocks = new Map<BlockKind, BlockAst>();
  private readonly scope = new Scope();
  private block: BlockKind | undefined;
  private inFunction: FunctionDefAst | undefined;

  constructor(
    private readonly program: ProgramAst,
    private readonly families: SignatureLookup,
    private readonly data: TextModelData | undefined,
    private readonly sparsePriors: ReadonlySet<string>,
  ) {}

  run(): { checked: CheckedProgram; problems: ErrorParts[] } {
    this.checkFunctions();
    this.checkBlockOrder();
    for (const block of this.program.blocks) this.checkBlock(block);
    return {
      checked: { program: this.program, globals: this.globals, functions: this.functions, blocks: this.blocks },
      problems: this.problems,
    };
  }

  private report(parts: ErrorParts): void {
    this.problems.push(parts);
  }

  // ---------------------------------------------------------------- functions

  private checkFunctions(): void {
    for (const f of this.program.functions) {
      const previous = this.functions.get(f.name);
      if (previous?.body !== undefined && f.body !== undefined) {
        this.report({
          where: `function '${f.name}'`,
          what: "defined twice",
          got: `a second definition (the first is at ${previous.nameSpan.line}:${previous.nameSpan.column})`,
          hint: "sprig functions are not overloaded; rename one of them.",
          span: f.nameSpan,
        });
        continue;
      }
      if (builtinArity(f.name) !== undefined) {
        this.report({
          where: `function '${f.name}'`,
          what: `'${f.name}' is a built-in function`,
          hint: `choose another name, e.g. '${f.name}_'.`,
          span: f.nameSpan,
        });
      }
      if (f.body !== undefined || previous === undefined) this.functions.set(f.name, f);
    }
    for (const f of this.functions.values()) {
      if (f.body === undefined) {
        this.report({
          where: `function '${f.name}'`,
          what: "declared but never defined",
          hint: "add a body { ... }.",
          span: f.nameSpan,
        });
        continue;
      }
      this.inFunction = f;
      this.scope.push();
      for (const p of f.params) {
        if (this.scope.lookup(p.name))
          this.report({ where: `function '${f.name}'`, what: `parameter '${p.name}' is declared twice`, span: p.span });
        this.scope.define(p.name, {
          kind: "argument",
          span: p.span,
        });
      }
      this.checkStatements(f.body.body);
      this.scope.pop();
      this.inFunction = undefined;
    }
  }

  // ---------------------------------------------------------------- blocks

  private checkBlockOrder(): void {
    let last = -1;
    let lastName: BlockKind | undefined;
    for (const block of this.program.blocks) {
      const rank = BLOCK_ORDER.indexOf(block.kind);
      if (this.blocks.has(block.kind)) {
        const first = this.blocks.get(block.kind)!;
        this.report({
          where: `block '${block.kind}'`,
          what: "appears twice",
          got: `a second block (the first is at line ${first.headerSpan.line})`,
          hint: "merge the two blocks.",
          span: block.headerSpan,
        });
        continue;
      }
      if (rank < last) {
        this.report({
          where: `block '${block.kind}'`,
          what: `must come before '${lastName}'`,
          expected: `the order ${BLOCK_ORDER.join(", ")}`,
          span: block.headerSpan,
        });
      }
      if (block.kind === "generated quantities") {
        this.report({
          where: "block 'generated quantities'",
          what: "is not supported: the model graph has no quantities computed after sampling",
          hint: "compute them from the draws, or declare them in 'transformed parameters'.",
          span: block.headerSpan,
        });
      }
      this.blocks.set(block.kind, block);
      if (rank > last) {
        last = rank;
        lastName = block.kind;
      }
    }
  }

  private checkBlock(block: BlockAst): void {
    this.block = block.kind;
    const rules = BLOCK_RULES[block.kind];
    for (const stmt of block.body) {
      if (stmt.kind === "decl") {
        this.checkGlobalDeclaration(stmt, block.kind);
        continue;
      }
      if (rules.declarationsOnly) {
        if (stmt.kind !== "empty") {
          this.report({
            where: `block '${block.kind}'`,
            what: `only declarations are allowed here, not ${statementWords(stmt)}`,
            hint: block.kind === "parameters" ? "write '~' statements in the model block." : undefined,
            span: stmt.span,
          });
        }
        continue;
      }
      this.checkStatement(stmt);
    }
    this.block = undefined;
  }

  // ---------------------------------------------------------------- declarations

  private checkGlobalDeclaration(stmt: DeclStmt, block: BlockKind): void {
    this.checkNewName(stmt.name, stmt.nameSpan);
    this.checkAnnotations(stmt.annotations, ANNOTATED_BLOCKS.has(block) ? "declaration" : "none");
    const allowed = BLOCK_TYPES[block];
    const base = stmt.type.base;
    if (!allowed.includes(base)) {
      this.report({
        where: `${blockNoun(block)} '${stmt.name}'`,
        what: `type '${base}' is not allowed in the ${block} block`,
        expected: allowed.join(", "),
        hint:
          base === "bool" && block === "hyper"
            ? "hyper-parameters are continuous; declare 0/1 values as data, or as a parameter with a discrete prior."
            : base === "bool"
              ? "declare 0/1 values as data or parameters; a computed 0/1 value is an int."
              : base === "int" && block.startsWith("transformed") === false
                ? "declare integers as data."
                : ["matrix", "sparse_matrix", "operator"].includes(base)
                  ? "matrices are data operators; declare them in the data block and use them as X * v."
                  : undefined,
        span: stmt.type.span,
      });
    }
    if (block === "hyper" && stmt.init === undefined && CONSTRAINED_TYPES.includes(base)) {
      this.report({
        where: `hyper '${stmt.name}'`,
        what: `a ${base} hyper-parameter needs an initial value`,
        hint: `no default lies inside every ${base}; write one, e.g. ${base === "simplex" ? "simplex[3] w = [0.2, 0.3, 0.5];" : base === "cholesky_factor_corr" ? "cholesky_factor_corr[1] L = 1;" : `${base}[3] c = [1, 2, 3];`}`,
        span: stmt.nameSpan,
      });
    }
    if (
      stmt.type.arraySizes.length > 1 ||
      (stmt.type.arraySizes.length === 1 && base !== "int" && base !== "real" && base !== "bool")
    ) {
      this.report({
        where: `${blockNoun(block)} '${stmt.name}'`,
        what: "arrays of vectors or of more than one dimension are not supported",
        expected: "array[N] int, array[N] bool or array[N] real (a vector)",
        hint: "use a vector, or one vector per group.",
        span: stmt.type.span,
      });
    }
    if (stmt.init !== undefined) {
      if (block === "parameters") {
        this.report({
          where: `parameter '${stmt.name}'`,
          what: "a parameter cannot have a value",
          hint: "give it a prior in the model block; use 'hyper' for point-estimated values.",
          span: stmt.init.span,
        });
      } else {
        this.checkExpr(stmt.init);
      }
    }
    if (block === "data" && stmt.init !== undefined && !isLiteral(stmt.init)) {
      this.report({
        where: `data '${stmt.name}'`,
        what: "an embedded data value must be a number or a vector of numbers",
        span: stmt.init.span,
      });
    }
    const resolved = this.resolveGlobalType(stmt, block);
    this.scope.define(stmt.name, { kind: "global", span: stmt.nameSpan, block });
    this.globals.set(stmt.name, resolved);
  }

  private checkNewName(name: string, span: SourceSpan): void {
    const existing = this.scope.lookup(name);
    if (existing !== undefined) {
      this.report({
        where: `declaration of '${name}'`,
        what: `'${name}' is already declared`,
        got: `a second declaration (the first is at ${existing.span.line}:${existing.span.column})`,
        hint: "rename one of them.",
        span,
      });
    }
    if (this.functions.has(name)) {
      this.report({
        where: `declaration of '${name}'`,
        what: `'${name}' is the name of a function`,
        hint: "rename the variable.",
        span,
      });
    }
  }

  /** The IR shape, element type and support a global declaration stands for. */
  private resolveGlobalType(stmt: DeclStmt, block: BlockKind): GlobalDecl {
    const t = stmt.type;
    const where = `${blockNoun(block)} '${stmt.name}'`;
    const dims: Dim[] = [...t.arraySizes, ...t.sizes].map((e) => this.resolveSize(e, where, block));
    const dtype: DType = t.base === "int" || t.base === "bool" ? "int" : "real";
    let shape: IrShape = dims;
    let support: Support | undefined;
    let matrixKind: GlobalDecl["matrixKind"];
    switch (t.base) {
      case "simplex":
      case "ordered":
      case "positive_ordered":
        support = { kind: t.base };
        break;
      case "cholesky_factor_corr":
        support = { kind: "cholesky_corr" };
        shape = [dims[0]!, dims[0]!];
        break;
      case "bool":
        support = { kind: "boolean" };
        break;
      case "matrix":
      case "sparse_matrix":
      case "operator":
        matrixKind = t.base;
        break;
      default:
        break;
    }
    if (t.sizes.length !== expectedSizes(t.base)) {
      this.report({
        where,
        what: `'${t.base}' takes ${expectedSizes(t.base)} size${expectedSizes(t.base) === 1 ? "" : "s"}`,
        got: String(t.sizes.length),
        span: t.span,
      });
    }
    const bounds = t.base === "bool" ? undefined : this.resolveBounds(t, where, dtype, block);
    if (t.base === "bool" && t.bounds.length > 0) {
      this.report({
        where,
        what: "'bool' takes no bounds",
        got: `<${t.bounds.map((b) => b.name).join(", ")}>`,
        hint: "a bool is 0 or 1; write int<lower=…, upper=…> for another integer range.",
        span: t.bounds[0]!.span,
      });
    }
    if (bounds !== undefined) {
      if (support !== undefined) {
        this.report({ where, what: `'${t.base}' cannot also have bounds`, span: t.bounds[0]!.span });
      } else if (bounds.dynamic !== undefined) {
        return { name: stmt.name, block, decl: stmt, dtype, shape, bounds: bounds.dynamic };
      } else if (bounds.whole) {
        support = { kind: dtype === "int" ? "integer" : "real" };
      } else if (bounds.positive) {
        support = { kind: "positive" };
      } else if (dtype === "int") {
        support = { kind: "integer", ...bounds.values };
      } else if (bounds.values.lower !== undefined && bounds.values.upper !== undefined) {
        if (!(bounds.values.lower < bounds.values.upper)) {
          this.report({
            where,
            what: "the lower bound must be below the upper bound",
            got: `lower=${bounds.values.lower}, upper=${bounds.values.upper}`,
            span: t.bounds[0]!.span,
          });
        }
        support = { kind: "interval", lower: bounds.values.lower, upper: bounds.values.upper };
      } else if (bounds.values.lower !== undefined) {
        support = { kind: "lower", lower: bounds.values.lower };
      } else if (bounds.values.upper !== undefined) {
        support = { kind: "upper", upper: bounds.values.upper };
      }
    } else if (dtype === "int" && block === "data" && support === undefined) {
      // Integer data always carries an integer support, as the builder's data.int() gives it.
      support = { kind: "integer" };
    }
    return {
      name: stmt.name,
      block,
      decl: stmt,
      dtype,
      shape,
      ...(support ? { support } : {}),
      ...(matrixKind ? { matrixKind } : {}),
    };
  }

  /**
   * The bounds of a type. `lower=`/`upper=` take a constant value; the words `positive` (the
   * IR's strict `x > 0`, a real support) and `unbounded` (the whole line, declared so that it
   * replaces a family's support) take none and stand alone. Problems are reported, and the
   * bounds that make sense are returned.
   */
  private resolveBounds(t: TypeAst, where: string, dtype: DType, block: BlockKind): ResolvedBounds | undefined {
    if (t.bounds.length === 0) return undefined;
    const values: { lower?: number; upper?: number } = {};
    const written: { lower?: ExprAst; upper?: ExprAst } = {};
    let dynamic = false;
    const seen = new Map<string, BoundAst>();
    for (const b of t.bounds) {
      if (!BOUND_NAMES.includes(b.name)) {
        const close = suggestName(b.name, BOUND_NAMES);
        this.report({
          where,
          what: `unknown bound '${b.name}'`,
          expected: "'lower', 'upper', 'positive' or 'unbounded'",
          hint: close ? `did you mean '${close}'?` : UNKNOWN_BOUND_HINTS[b.name],
          span: b.nameSpan,
        });
        continue;
      }
      if (seen.has(b.name)) {
        this.report({ where, what: `bound '${b.name}' is given twice`, span: b.nameSpan });
        continue;
      }
      seen.set(b.name, b);
      if (b.name === "positive" || b.name === "unbounded") {
        if (b.value !== undefined) {
          this.report({
            where,
            what: `'${b.name}' takes no value`,
            got: `${b.name}=…`,
            hint:
              b.name === "positive"
                ? "write <positive> for x > 0, or <lower=0> for x ≥ 0."
                : "write <unbounded> alone, or give lower= and upper= bounds instead.",
            span: b.span,
          });
        }
        continue;
      }
      if (b.value === undefined) {
        this.report({
          where,
          what: `bound '${b.name}' needs a value`,
          expected: `${b.name}=<number>`,
          hint: `write <${b.name}=0>, for example${b.name === "lower" ? "; <positive> is the strict x > 0" : ""}.`,
          span: b.nameSpan,
        });
        continue;
      }
      this.checkExpr(b.value);
      written[b.name as "lower" | "upper"] = b.value;
      const v = this.constant(b.value);
      // A real parameter's bound may be computed (from data, earlier parameters); the IR checks it.
      if (v === undefined && block === "parameters" && dtype === "real") {
        dynamic = true;
        continue;
      }
      if (v === undefined) {
        this.report({
          where,
          what: `bound '${b.name}' must be a number known when the model is built`,
          got: "an expression of parameters or of data not given",
          hint: "only a real parameter's bounds may be computed; pass the data to parseModel, or write the constraint as a transformed parameter.",
          span: b.value.span,
        });
        continue;
      }
      values[b.name as "lower" | "upper"] = v;
    }
    const positive = seen.get("positive");
    const whole = seen.get("unbounded");
    for (const word of [positive, whole]) {
      if (word === undefined) continue;
      const other = t.bounds.find((b) => b !== word && b.name !== word.name && BOUND_NAMES.includes(b.name));
      if (other !== undefined && (word === positive || other.name !== "positive")) {
        this.report({
          where,
          what: `'${word.name}' cannot be combined with '${other.name}'`,
          hint:
            word === positive && other.name === "upper"
              ? "there is no support (0, u]; write <lower=0, upper=…> (on a parameter the bounds are open anyway)."
              : word === positive && other.name === "lower"
                ? "<positive> is x > 0 and <lower=0> is x ≥ 0; keep one of them."
                : `'${word.name}' stands alone; remove it or the other bound.`,
          span: word.nameSpan,
        });
      }
    }
    if (positive !== undefined && dtype === "int") {
      this.report({
        where,
        what: "'positive' is a real support",
        got: "int",
        hint: "write int<lower=1> for positive integers.",
        span: positive.nameSpan,
      });
    }
    return {
      values,
      ...(dynamic ? { dynamic: written } : {}),
      positive: positive !== undefined,
      whole: whole !== undefined,
    };
  }

  /** A size: an integer literal, the name of integer data, or an expression of known integers. */
  private resolveSize(e: ExprAst, where: string, block: BlockKind): Dim {
    this.checkExpr(e);
    if (e.kind === "name") {
      const g = this.globals.get(e.name);
      if (g !== undefined && g.block === "data" && g.dtype === "int" && g.shape.length === 0) return e.name;
    }
    const v = this.constant(e);
    if (v !== undefined && Number.isInteger(v) && v >= 1) return v;
    if (v !== undefined) {
      this.report({ where, what: "a size must be a positive integer", got: String(v), span: e.span });
      return 1;
    }
    this.report({
      where,
      what: "a size must be an integer literal or the name of integer data",
      got:
        e.kind === "name"
          ? `'${e.name}'${this.globals.has(e.name) ? ` (declared in ${this.globals.get(e.name)!.block})` : ""}`
          : "an expression",
      hint:
        block === "data" || e.kind === "name"
          ? "declare the size as `int` in the data block."
          : "sizes computed from data need the data: pass it to parseModel({ data }).",
      span: e.span,
    });
    return 1;
  }

  /** The value of an expression of literals and integer data (when data are given), else undefined. */
  constant(e: ExprAst): number | undefined {
    return evaluateConstant(e, (name) => {
      const g = this.globals.get(name);
      if (g === undefined || g.block !== "data" || g.shape.length !== 0) return undefined;
      const v = this.data?.[name] ?? (g.decl.init?.kind === "number" ? g.decl.init.value : undefined);
      return typeof v === "number" ? v : undefined;
    });
  }

  /**
   * Annotations of a statement: `declaration` for the nodes of the hyper, parameters and
   * transformed blocks (free-form tags, as the IR printer writes them), `target` for `target +=`
   * (only `@part`), `none` elsewhere.
   */
  private checkAnnotations(annotations: readonly AnnotationAst[], allowed: "declaration" | "target" | "none"): void {
    const seen = new Map<string, AnnotationAst>();
    for (const a of annotations) {
      if (allowed === "none") {
        this.report({
          where: `annotation '@${a.name}'`,
          what: "annotations are allowed only on declarations in the hyper, parameters and transformed blocks, and on 'target +='",
          span: a.span,
        });
        continue;
      }
      if (allowed === "target" && a.name !== "part") {
        this.report({
          where: `annotation '@${a.name}'`,
          what: '\'target +=\' takes only @part("prior") or @part("likelihood")',
          span: a.span,
        });
        continue;
      }
      if (allowed === "declaration" && a.name === "part") {
        this.report({ where: "annotation '@part'", what: "@part belongs on 'target +=' statements", span: a.span });
        continue;
      }
      const first = seen.get(a.name);
      if (first !== undefined) {
        this.report({
          where: `annotation '@${a.name}'`,
          what: "is given twice",
          got: `a second value (the first is at ${first.span.line}:${first.span.column})`,
          hint: "keep one of them.",
          span: a.span,
        });
        continue;
      }
      seen.set(a.name, a);
      const v = a.value;
      const ok =
        v === undefined ||
        v.kind === "string" ||
        v.kind === "number" ||
        (v.kind === "unary" && v.op === "-" && v.arg.kind === "number") ||
        (v.kind === "name" && (v.name === "true" || v.name === "false"));
      if (!ok) {
        this.report({
          where: `annotation '@${a.name}'`,
          what: "the value must be a string, a number, true or false",
          span: v?.span ?? a.span,
        });
      }
      if (a.name === "part" && !(v?.kind === "string" && (v.value === "prior" || v.value === "likelihood"))) {
        this.report({
          where: "annotation '@part'",
          what: 'the part must be "prior" or "likelihood"',
          span: v?.span ?? a.span,
        });
      }
    }
  }

  // ---------------------------------------------------------------- statements

  private checkStatements(stmts: readonly StmtAst[]): void {
    for (const s of stmts) this.checkStatement(s);
  }

  private checkStatement(stmt: StmtAst): void {
    if (stmt.kind !== "decl" && stmt.kind !== "target") this.checkAnnotations(stmt.annotations, "none");
    switch (stmt.kind) {
      case "decl":
        this.checkAnnotations(stmt.annotations, "none");
        this.checkLocalDeclaration(stmt);
        return;
      case "tilde":
        this.checkTilde(stmt);
        return;
      case "target":
        this.checkAnnotations(stmt.annotations, "target");
        if (!BLOCK_RULES[this.block ?? "data"].model && !this.inFunction?.name.endsWith("_lp")) {
          this.report({
            where: "target +=",
            what: `not allowed in ${this.inFunction ? `function '${this.inFunction.name}'` : `the ${this.block} block`}`,
            hint: "add terms to the log density in the model block.",
            span: stmt.span,
          });
        }
        this.checkExpr(stmt.expr);
        return;
      case "assign":
        this.checkAssignment(stmt.lhs);
        this.checkExpr(stmt.rhs);
        return;
      case "expr":
        this.checkExpr(stmt.expr);
        if (stmt.expr.kind !== "call") {
          this.report({
            where: "statement",
            what: "an expression on its own does nothing",
            hint: "assign it (x = ...;) or add it to the log density (target += ...;).",
            span: stmt.span,
          });
        }
        return;
      case "for": {
        this.checkExpr(stmt.lower);
        if (stmt.upper) this.checkExpr(stmt.upper);
        this.scope.push();
        this.scope.define(stmt.variable, {
          kind: "loop",
          span: stmt.variableSpan,
        });
        this.checkStatement(stmt.body);
        this.scope.pop();
        return;
      }
      case "while":
        this.report({
          where: "while",
          what: "while loops are not supported: the model graph must be known when the model is built",
          hint: "use a for loop over a range known from data or constants.",
          span: stmt.span,
        });
        return;
      case "if":
        this.checkExpr(stmt.cond);
        this.scope.push();
        this.checkStatement(stmt.thenBranch);
        this.scope.pop();
        if (stmt.elseBranch) {
          this.scope.push();
          this.checkStatement(stmt.elseBranch);
          this.scope.pop();
        }
        return;
      case "block":
        this.scope.push();
        this.checkStatements(stmt.body);
        this.scope.pop();
        return;
      case "return":
        if (this.inFunction === undefined) {
          this.report({ where: "return", what: "only allowed inside a function", span: stmt.span });
        } else if (stmt.value === undefined && this.inFunction.returnType.base !== "void") {
          this.report({ where: `function '${this.inFunction.name}'`, what: "must return a value", span: stmt.span });
        } else if (stmt.value !== undefined && this.inFunction.returnType.base === "void") {
          this.report({
            where: `function '${this.inFunction.name}'`,
            what: "is void and cannot return a value",
            span: stmt.span,
          });
        }
        if (stmt.value) this.checkExpr(stmt.value);
        return;
      case "empty":
        return;
    }
  }

  private checkLocalDeclaration(stmt: DeclStmt): void {
    this.checkNewName(stmt.name, stmt.nameSpan);
    const base = stmt.type.base;
    if (!["int", "real", "vector"].includes(base) || stmt.type.arraySizes.length > 1) {
      this.report({
        where: `local '${stmt.name}'`,
        what: `local variables must be int, real, vector or array[N] int/real, not '${base}'`,
        span: stmt.type.span,
      });
    }
    if (stmt.type.bounds.length > 0) {
      this.report({
        where: `local '${stmt.name}'`,
        what: "local variables cannot have bounds",
        hint: "remove the <...>.",
        span: stmt.type.bounds[0]!.span,
      });
    }
    for (const e of [...stmt.type.arraySizes, ...stmt.type.sizes]) this.checkExpr(e);
    if (stmt.init) this.checkExpr(stmt.init);
    this.scope.define(stmt.name, {
      kind: "local",
      span: stmt.nameSpan,
    });
  }

  private checkAssignment(lhs: ExprAst): void {
    let target = lhs;
    while (target.kind === "index") {
      for (const i of target.indices) {
        if (i.kind === "single") this.checkExpr(i.expr);
        else {
          if (i.lower) this.checkExpr(i.lower);
          if (i.upper) this.checkExpr(i.upper);
        }
      }
      target = target.target;
    }
    if (target.kind !== "name") {
      this.report({
        where: "assignment",
        what: "the left side must be a variable or an element of one",
        got: "an expression",
        span: lhs.span,
      });
      return;
    }
    const symbol = this.scope.lookup(target.name);
    if (symbol === undefined) {
      this.unknownName(target.name, target.span);
      return;
    }
    if (symbol.kind === "loop") {
      this.report({
        where: "assignment",
        what: `cannot assign to the loop variable '${target.name}'`,
        span: target.span,
      });
    } else if (symbol.kind === "argument") {
      this.report({
        where: "assignment",
        what: `cannot assign to the function argument '${target.name}'`,
        hint: "copy it to a local variable first.",
        span: target.span,
      });
    } else if (symbol.kind === "global" && symbol.block !== this.block) {
      const kind =
        symbol.block === "data"
          ? "data"
          : symbol.block === "parameters"
            ? "a parameter"
            : `a variable of the ${symbol.block} block`;
      this.report({
        where: "assignment",
        what: `cannot assign to '${target.name}', which is ${kind}`,
        hint:
          symbol.block === "parameters"
            ? "parameters get values from inference; give it a distribution with '~', or declare a transformed parameter."
            : symbol.block === "data"
              ? "data are fixed; compute a new variable in transformed data."
              : `assign it in the ${symbol.block} block.`,
        span: target.span,
      });
    }
  }

  private checkTilde(stmt: StmtAst & { kind: "tilde" }): void {
    if (!BLOCK_RULES[this.block ?? "data"].model || this.inFunction) {
      this.report({ where: `~ ${stmt.family}()`, what: "'~' statements belong in the model block", span: stmt.span });
    }
    this.checkExpr(stmt.lhs);
    for (const a of stmt.args) this.checkExpr(a.value);
    this.checkFamilyCall(stmt.family, stmt.familySpan, stmt.args, `${stmt.family}()`, false, stmt.lhs);
  }

  /** Checks a family by name (registry or user `_lpdf` function) and its arguments. */
  private checkFamilyCall(
    family: string,
    span: SourceSpan,
    args: readonly ArgumentAst[],
    where: string,
    withValue: boolean,
    lhs?: ExprAst,
  ): void {
    const sig = this.families.signature(family);
    const given = withValue ? args.slice(1) : args;
    if (sig !== undefined) {
      if (withValue && args[0]?.name !== undefined) {
        this.report({ where, what: "the value (before '|') cannot be a named argument", span: args[0].span });
      }
      for (const p of bindFamilyArguments(sig, given, span, where).problems) this.report(p);
      return;
    }
    if (!withValue && this.sparsePriors.has(family)) {
      const target = lhs?.kind === "name" ? this.scope.lookup(lhs.name) : undefined;
      if (target?.kind !== "global" || target.block !== "parameters") {
        this.report({
          where: `${family}()`,
          what: "a sparse prior applies to a whole vector declared in the parameters block",
          ...(lhs ? { span: lhs.span } : { span }),
        });
      }
      for (const a of args) {
        if (a.name === undefined)
          this.report({ where: `${family}()`, what: "sparse-prior options are named, e.g. scale=1", span: a.span });
      }
      return;
    }
    const user = this.functions.get(`${family}_lpdf`) ?? this.functions.get(`${family}_lpmf`);
    if (user !== undefined) {
      const expected = user.params.length - 1;
      if (given.length !== expected) {
        this.report({
          where,
          what: `takes ${expected} argument${expected === 1 ? "" : "s"} after the value`,
          got: String(given.length),
          span,
        });
      }
      for (const a of given) {
        if (a.name !== undefined)
          this.report({
            where,
            what: "user-defined densities take positional arguments only",
            span: a.nameSpan ?? a.span,
          });
      }
      return;
    }
    const candidates = [
      ...this.families.families(),
      ...this.sparsePriors,
      ...[...this.functions.keys()].map(densityFamily).filter((f): f is string => f !== undefined),
    ];
    const close = suggestName(family, candidates);
    const site =
      lhs === undefined
        ? `${family}()`
        : `${lhs.kind === "name" ? lhs.name : lhs.kind === "index" && lhs.target.kind === "name" ? `${lhs.target.name}[…]` : "…"} ~ ${family}()`;
    this.report({
      where: site,
      what: `unknown family '${family}'`,
      hint:
        close !== undefined
          ? `did you mean '${close}'?`
          : `known families: ${candidates.slice(0, 14).join(", ")}${candidates.length > 14 ? ", …" : ""}; register custom ones on the registry.`,
      span,
    });
  }

  // ---------------------------------------------------------------- expressions

  private unknownName(name: string, span: SourceSpan): void {
    const visible = this.scope.visibleNames();
    const close = suggestName(name, visible);
    const later = this.program.blocks.flatMap((b) => b.body).find((s) => s.kind === "decl" && s.name === name);
    this.report({
      where: this.inFunction ? `function '${this.inFunction.name}'` : `${this.block ?? "model"} block`,
      what: `unknown name '${name}'`,
      ...(later !== undefined
        ? { hint: `'${name}' is declared later, at ${later.span.line}:${later.span.column}; declare it before use.` }
        : close !== undefined
          ? { hint: `did you mean '${close}'?` }
          : this.inFunction
            ? { hint: "functions see only their arguments." }
            : {}),
      span,
    });
  }

  private checkExpr(e: ExprAst): void {
    switch (e.kind) {
      case "number":
      case "string":
        return;
      case "name":
        if (this.scope.lookup(e.name) === undefined) this.unknownName(e.name, e.span);
        return;
      case "unary":
        this.checkExpr(e.arg);
        return;
      case "binary":
        this.checkExpr(e.left);
        this.checkExpr(e.right);
        return;
      case "ternary":
        this.checkExpr(e.cond);
        this.checkExpr(e.ifTrue);
        this.checkExpr(e.ifFalse);
        return;
      case "index":
        this.checkExpr(e.target);
        for (const i of e.indices) {
          if (i.kind === "single") this.checkExpr(i.expr);
          else {
            if (i.lower) this.checkExpr(i.lower);
            if (i.upper) this.checkExpr(i.upper);
          }
        }
        return;
      case "transpose":
        this.checkExpr(e.arg);
        return;
      case "vector":
        for (const x of e.elements) this.checkExpr(x);
        return;
      case "call":
        this.checkCall(e);
        return;
    }
  }

  private checkCall(e: ExprAst & { kind: "call" }): void {
    for (const a of e.args) this.checkExpr(a.value);
    const user = this.functions.get(e.callee);
    const family = densityFamily(e.callee);
    if (family !== undefined && user === undefined) {
      if (e.args.length === 0) {
        this.report({
          where: `${e.callee}()`,
          what: "a density call needs the value first",
          expected: `${e.callee}(y | …)`,
          span: e.span,
        });
        return;
      }
      this.checkFamilyCall(family, e.calleeSpan, e.args, `${e.callee}()`, true);
      return;
    }
    if (user !== undefined) {
      if (e.args.length !== user.params.length) {
        this.report({
          where: `${e.callee}()`,
          what: `takes ${user.params.length} argument${user.params.length === 1 ? "" : "s"}`,
          got: String(e.args.length),
          span: e.span,
        });
      }
      for (const a of e.args) {
        if (a.name !== undefined)
          this.report({
            where: `${e.callee}()`,
            what: "user functions take positional arguments only",
            span: a.nameSpan ?? a.span,
          });
      }
      if (e.bar && densityFamily(e.callee) === undefined) {
        this.report({
          where: `${e.callee}()`,
          what: "'|' is only for density functions (names ending in _lpdf or _lpmf)",
          span: e.span,
        });
      }
      return;
    }
    const arity = builtinArity(e.callee);
    if (arity === undefined) {
      const candidates = [...builtinNames(), ...this.functions.keys()];
      const close = suggestName(e.callee, candidates);
      const familyHint =
        this.families.signature(e.callee) !== undefined
          ? `'${e.callee}' is a family: write x ~ ${e.callee}(...) or ${e.callee}_lpdf(x | ...).`
          : undefined;
      this.report({
        where: `${e.callee}()`,
        what: `unknown function '${e.callee}'`,
        ...(familyHint ? { hint: familyHint } : close !== undefined ? { hint: `did you mean '${close}'?` } : {}),
        span: e.calleeSpan,
      });
      return;
    }
    if (e.args.length < arity[0] || e.args.length > arity[1]) {
      this.report({
        where: `${e.callee}()`,
        what: "wrong number of arguments",
        got: String(e.args.length),
        expected: arity[0] === arity[1] ? String(arity[0]) : `${arity[0]} to ${arity[1]}`,
        span: e.span,
      });
    }
    if (e.bar) this.report({ where: `${e.callee}()`, what: "'|' is only for density functions", span: e.span });
    e.args.forEach((a, i) => {
      if (a.name === undefined) return;
      if (!(e.callee === "gather" && a.name === "base" && i === 2)) {
        this.report({
          where: `${e.callee}()`,
          what: `built-in functions take positional arguments (got '${a.name}=')`,
          span: a.nameSpan ?? a.span,
        });
      }
    });
  }
}

/** `parameters` → `parameter`, for "parameter 'mu': ..." messages. */
function blockNoun(block: BlockKind): string {
  return block === "parameters" ? "parameter" : block === "transformed parameters" ? "transformed parameter" : block;
}

function expectedSizes(base: TypeAst["base"]): number {
  switch (base) {
    case "int":
    case "real":
    case "bool":
      return 0;
    case "matrix":
    case "sparse_matrix":
    case "operator":
      return 2;
    default:
      return 1;
  }
}

function isLiteral(e: ExprAst): boolean {
  if (e.kind === "number") return true;
  if (e.kind === "unary" && (e.op === "-" || e.op === "+")) return isLiteral(e.arg);
  if (e.kind === "vector") return e.elements.every(isLiteral);
  return false;
}

function statementWords(s: StmtAst): string {
  switch (s.kind) {
    case "tilde":
      return "'~' statements";
    case "target":
      return "'target +='";
    case "assign":
      return "assignments";
    case "for":
    case "while":
      return "loops";
    case "if":
      return "if statements";
    default:
      return "statements";
  }
}

/**
 * Evaluates an expression of number literals, arithmetic, comparisons and names whose values
 * `lookup` knows; undefined when any part is unknown.
 *
 * @example
 * ```ts
 * evaluateConstant(parsedExpr("K - 1"), (n) => (n === "K" ? 25 : undefined)); // 24
 * ```
 */
export function evaluateConstant(e: ExprAst, lookup: (name: string) => number | undefined): number | undefined {
  switch (e.kind) {
    case "number":
      return e.value;
    case "name":
      return lookup(e.name);
    case "unary": {
      const v = evaluateConstant(e.arg, lookup);
      if (v === undefined) return undefined;
      return e.op === "-" ? -v : e.op === "+" ? v : v === 0 ? 1 : 0;
    }
    case "binary": {
      const a = evaluateConstant(e.left, lookup);
      const b = evaluateConstant(e.right, lookup);
      if (a === undefined || b === undefined) return undefined;
      return applyBinary(e.op, a, b);
    }
    case "ternary": {
      const cond = evaluateConstant(e.cond, lookup);
      if (cond === undefined) return undefined;
      return evaluateConstant(cond !== 0 ? e.ifTrue : e.ifFalse, lookup);
    }
    default:
      return undefined;
  }
}

/**
 * A binary operator on two numbers (comparisons and logic give 1 or 0; `%` needs integers).
 *
 * @example
 * ```ts
 * applyBinary("<=", 2, 3); // 1
 * ```
 */
export function applyBinary(op: string, a: number, b: number): number | undefined {
  switch (op) {
    case "+":
      return a + b;
    case "-":
      return a - b;
    case "*":
    case ".*":
      return a * b;
    case "/":
    case "./":
      return a / b;
    case "%":
      return Number.isInteger(a) && Number.isInteger(b) && b !== 0 ? a % b : undefined;
    case "^":
    case ".^":
      return a ** b;
    case "==":
      return a === b ? 1 : 0;
    case "!=":
      return a !== b ? 1 : 0;
    case "<":
      return a < b ? 1 : 0;
    case "<=":
      return a <= b ? 1 : 0;
    case ">":
      return a > b ? 1 : 0;
    case ">=":
      return a >= b ? 1 : 0;
    case "&&":
      return a !== 0 && b !== 0 ? 1 : 0;
    case "||":
      return a !== 0 || b !== 0 ? 1 : 0;
    default:
      return undefined;
  }
}
