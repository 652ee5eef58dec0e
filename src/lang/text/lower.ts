/**
 * Lowering: a checked program → an IR model graph, by executing the program symbolically.
 *
 * Every variable holds an IR expression instead of a number. Declarations of data, hyper and
 * parameters become IR nodes; `~` on a whole parameter makes it a latent, on whole data an
 * observation; transformed data and parameters become deterministic nodes; `target +=` becomes a
 * factor. What the IR has no node for is rewritten into what it has:
 * - **loops** are vectorised when every iteration is independent (`mu[n] = alpha[county[n]] +
 *   x[n] * beta` over `1:N` is `mu = alpha[county] + x * beta`), otherwise unrolled, which needs
 *   the bounds (literals, or data passed to `parseModel`);
 * - **if/else** takes the branch its condition selects; the condition must be known when the
 *   model is built (constants or data);
 * - **local variables** are inlined; long unrolled recurrences (`err[t]` from `err[t-1]`) are
 *   named as deterministic nodes so the graph stays linear in size;
 * - **user functions** are inlined at each call; a `foo_lpdf` function is usable as `y ~ foo(...)`;
 * - **densities inside expressions** (`log_mix(theta, normal_lpdf(y[n] | ...), ...)`) and `~` on
 *   something that is not a whole parameter or data vector use the closed forms of `densities.ts`.
 *
 * Nodes are created in statement order and then emitted in a dependency order (a parameter may be
 * used in the model block before its own `~` statement), which is the printed order for text
 * that came from the IR printer.
 * @module lang/text/lower
 */
import { ModelError, SprigError } from "../../core/errors.js";
import type { FamilySignature, SignatureLookup } from "../../core/family.js";
import type { SourceSpan } from "../../core/span.js";
import type { Support } from "../../core/support.js";
import type { DataSpec, DeterministicSpec, FactorSpec, HyperSpec, LatentSpec, ObservedSpec } from "../../ir/builder.js";
import { GraphBuilder } from "../../ir/builder.js";
import type { Dist } from "../builder/families.js";
import type { DeterministicOptions } from "../builder/model.js";
import type { PriorContext } from "../builder/priors/common.js";
import { IntScalar, Scalar, Vector } from "../builder/values.js";
import {
  binary,
  constant,
  constantValue,
  dot,
  formatIrShape,
  gather,
  index,
  matvec,
  neg,
  reduce,
  ref,
  referencedNames,
  shapesAgree,
  vector,
} from "../../ir/expr.js";
import type { Annotations, BinaryOp, Dim, DType, Expr, IrShape, LatentBounds, ModelGraph } from "../../ir/types.js";
import type { AnnotationAst, ArgumentAst, DeclStmt, ExprAst, FunctionDefAst, IndexAst, StmtAst } from "./ast.js";
import {
  applyBinary,
  bindFamilyArguments,
  type CheckedProgram,
  densityFamily,
  type GlobalDecl,
  type TextModelData,
} from "./checker.js";
import { DENSITY_EXPANSIONS } from "./densities.js";
import { asModelError, suggestName } from "./errors.js";
import { builtinFor } from "./functions.js";
import { camelCase, type SparsePriorExpansion } from "./sparse_priors.js";
import { type Lane, type Value, VectorizeFailure } from "./values.js";

/**
 * Options of {@link lowerProgram}.
 *
 * @example
 * ```ts
 * const options: LowerOptions = { name: "eight_schools", text };
 * ```
 */
export interface LowerOptions {
  /** Model name for the graph. */
  readonly name: string;
  /** The model text (for error excerpts). */
  readonly text: string;
  /** Data values, when known: loops over them can be unrolled and conditions on them decided. */
  readonly data?: TextModelData;
  /** Sparse-prior expansions usable after `~` (built-in and user-registered). */
  readonly sparsePriors?: ReadonlyMap<string, SparsePriorExpansion>;
}

/** Iterations an unrolled loop may run, in total over a model (a guard against runaway text). */
const MAX_UNROLLED = 200_000;
/** Expression size above which an unrolled local value is named as a deterministic node. */
const MATERIALISE_SIZE = 48;
/** Nesting of user-function calls (recursion is not supported; this stops it cleanly). */
const MAX_CALL_DEPTH = 24;

/** A variable in scope. */
interface Variable {
  readonly name: string;
  readonly kind: "global" | "local" | "loop" | "argument";
  readonly global?: GlobalDecl;
  readonly shape: IrShape;
  readonly dtype: DType;
  /** Index of the scope frame the variable lives in. */
  readonly depth: number;
  readonly span: SourceSpan;
  value?: Value;
  /** Element-wise storage (vectors assigned element by element at known positions). */
  elements?: (Expr | undefined)[];
  /** Value written as `v[n]` by the vectorised loop being lowered. */
  overlay?: Value;
  /** The IR node holding the final value (emitted globals). */
  node?: string;
}

/** A node waiting for its dependencies, in creation order. */
type Pending =
  | { readonly kind: "data"; readonly order: number; readonly spec: DataSpec }
  | { readonly kind: "hyper"; readonly order: number; readonly spec: HyperSpec }
  | { readonly kind: "latent"; readonly order: number; readonly spec: LatentSpec }
  | { readonly kind: "observed"; readonly order: number; readonly spec: ObservedSpec }
  | { readonly kind: "deterministic"; readonly order: number; readonly spec: DeterministicSpec; readonly lazy: boolean }
  | { readonly kind: "factor"; readonly order: number; readonly spec: FactorSpec };

/** A pending node before it gets its place in the creation order. */
type PendingDraft = Pending extends infer P ? (P extends Pending ? Omit<P, "order"> : never) : never;

/** The state of the vectorised loop being lowered. */
interface VectorContext {
  readonly lane: Lane;
  /** Scope frame of the loop variable; variables in shallower frames are outside the loop. */
  readonly depth: number;
  /** Names the loop body assigns (reading them at another position is a recurrence). */
  readonly assigned: ReadonlySet<string>;
}

/** What executing a statement can signal: a `return` with its value. */
type Flow = { readonly returned: Value | undefined } | undefined;

/**
 * Lowers a checked program to a model graph.
 *
 * @param checked - the checker's output (no problems)
 * @param families - the family registry the graph is validated against
 * @param options - name, text and optional data
 * @example
 * ```ts
 * const graph = lowerProgram(checked, registry, { name: "m", text });
 * ```
 */
export function lowerProgram(checked: CheckedProgram, families: SignatureLookup, options: LowerOptions): ModelGraph {
  return new Lowerer(checked, families, options).run();
}

class Lowerer {
  private scopes: Map<string, Variable>[] = [new Map()];
  private pending: Pending[] = [];
  private order = 0;
  private laneCount = 0;
  private vector: VectorContext | undefined;
  private priors = new Map<string, SourceSpan>();
  private observed = new Map<string, SourceSpan>();
  private usedNames = new Set<string>();
  private readonly deterministicExprs = new Map<string, Expr>();
  private readonly paramOrder = new Map<string, number>();
  private unrolled = 0;
  private callDepth = 0;
  private currentBlock = "";

  constructor(
    private readonly checked: CheckedProgram,
    private readonly families: SignatureLookup,
    private readonly options: LowerOptions,
  ) {
    for (const name of checked.globals.keys()) this.usedNames.add(name);
  }

  run(): ModelGraph {
    for (const block of this.checked.program.blocks) {
      this.currentBlock = block.kind;
      switch (block.kind) {
        case "data":
          for (const s of block.body) if (s.kind === "decl") this.declareData(s);
          break;
        case "hyper":
          for (const s of block.body) if (s.kind === "decl") this.declareHyper(s);
          break;
        case "parameters":
          for (const s of block.body) if (s.kind === "decl") this.declareParameter(s);
          break;
        case "transformed data":
        case "transformed parameters":
          this.lowerTransformedBlock(block.body);
          break;
        case "model":
          this.scopes.push(new Map());
          this.execStatements(block.body);
          this.scopes.pop();
          break;
        default:
          break;
      }
    }
    this.addFlatPriors();
    return this.emit();
  }

  // ============================================================== errors and helpers

  private fail(parts: {
    where: string;
    what: string;
    got?: string;
    expected?: string;
    hint?: string;
    span?: SourceSpan;
  }): never {
    throw new ModelError(parts);
  }

  /** Calls an IR constructor; its ShapeError/DomainError get the statement's span when they lack one. */
  private ir<T>(make: () => T, span: SourceSpan | undefined): T {
    try {
      return make();
    } catch (e) {
      if (e instanceof VectorizeFailure) throw e;
      if (this.vector !== undefined && e instanceof SprigError) {
        // Inside a vectorised loop a shape clash may come from the lane representation itself;
        // let the loop fall back to unrolling, which reports the user's error if there is one.
        throw new VectorizeFailure(e.parts.what, e.parts.span ?? span);
      }
      if (e instanceof SprigError && e.parts.span === undefined && span !== undefined) {
        throw new ModelError({ ...e.parts, span });
      }
      throw e;
    }
  }

  private lookup(name: string): Variable | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const v = this.scopes[i]!.get(name);
      if (v !== undefined) return v;
    }
    return undefined;
  }

  private define(v: Omit<Variable, "depth">): Variable {
    const variable: Variable = { ...v, depth: this.scopes.length - 1 };
    this.scopes[this.scopes.length - 1]!.set(v.name, variable);
    return variable;
  }

  private push(p: PendingDraft, order?: number): void {
    this.pending.push({ ...p, order: order ?? this.order++ } as Pending);
  }

  private freshName(base: string): string {
    let name = `${base}__1`;
    for (let k = 1; this.usedNames.has(name); k++) name = `${base}__${k}`;
    this.usedNames.add(name);
    return name;
  }

  // ============================================================== data values

  private dataValue(name: string): unknown {
    const g = this.checked.globals.get(name);
    if (g?.block !== "data") return undefined;
    const given = this.options.data?.[name];
    if (given !== undefined) return given;
    const init = g.decl.init;
    return init !== undefined ? literalValue(init) : undefined;
  }

  /** The number an expression is known to equal (literals, data given, arithmetic), or undefined. */
  private constNumber(e: Expr, depth = 0): number | undefined {
    if (depth > 64) return undefined;
    switch (e.kind) {
      case "const":
        return typeof e.value === "number" ? e.value : undefined;
      case "ref": {
        const v = this.dataValue(e.name);
        if (typeof v === "number") return v;
        const det = this.deterministicExprs.get(e.name);
        return det !== undefined ? this.constNumber(det, depth + 1) : undefined;
      }
      case "unary": {
        const v = this.constNumber(e.arg, depth + 1);
        return v === undefined ? undefined : -v;
      }
      case "binary": {
        const a = this.constNumber(e.left, depth + 1);
        const b = this.constNumber(e.right, depth + 1);
        if (a === undefined || b === undefined) return undefined;
        return BINARY_EVAL[e.op](a, b);
      }
      case "index": {
        const arr = this.constArray(e.arg, depth + 1);
        return arr?.[e.index];
      }
      case "call": {
        const v = this.constNumber(e.arg, depth + 1);
        return v === undefined ? undefined : CALL_EVAL[e.fn](v);
      }
      case "reduce": {
        const arr = this.constArray(e.arg, depth + 1);
        if (arr === undefined) return undefined;
        if (e.op === "sum") return arr.reduce((s, x) => s + x, 0);
        if (e.op === "mean") return arr.reduce((s, x) => s + x, 0) / arr.length;
        const m = Math.max(...arr);
        return m + Math.log(arr.reduce((s, x) => s + Math.exp(x - m), 0));
      }
      default:
        return undefined;
    }
  }

  /** The numbers of a vector expression when all are known (data given, literals). */
  private constArray(e: Expr, depth = 0): number[] | undefined {
    if (depth > 64) return undefined;
    if (e.kind === "const") return typeof e.value === "number" ? undefined : [...e.value];
    if (e.kind === "ref") {
      const v = this.dataValue(e.name);
      if (isNumberArray(v)) return Array.from(v as ArrayLike<number>);
      const det = this.deterministicExprs.get(e.name);
      return det !== undefined ? this.constArray(det, depth + 1) : undefined;
    }
    if (e.kind === "vector") {
      const out: number[] = [];
      for (const x of e.elements) {
        const v = this.constNumber(x, depth + 1);
        if (v === undefined) return undefined;
        out.push(v);
      }
      return out;
    }
    return undefined;
  }

  /** Parameters and hyper-parameters an expression depends on (through transformed parameters too). */
  private parametersIn(e: Expr): string[] {
    const out: string[] = [];
    const seen = new Set<string>();
    const visit = (x: Expr): void => {
      for (const name of referencedNames(x)) {
        if (seen.has(name)) continue;
        seen.add(name);
        const g = this.checked.globals.get(name);
        if (g?.block === "parameters" || g?.block === "hyper") out.push(name);
        const det = this.deterministicExprs.get(name);
        if (det !== undefined) visit(det);
      }
    };
    visit(e);
    return out;
  }

  /** A known integer, or a ModelError explaining that it must be known. */
  private knownInteger(v: Value, what: string, span: SourceSpan): number {
    const n = v.kind === "expr" && v.lane === undefined ? this.constNumber(v.expr) : undefined;
    if (n === undefined || !Number.isInteger(n)) {
      if (this.vector !== undefined && (v.kind === "lane_index" || (v.kind === "expr" && v.lane !== undefined))) {
        throw new VectorizeFailure(`${what} changes from one iteration to the next`, span);
      }
      this.fail({
        where: this.currentBlock ? `${this.currentBlock} block` : "model",
        what: `${what} must be an integer known when the model is built`,
        got: n === undefined ? "an expression whose value is not known" : String(n),
        hint:
          this.options.data === undefined
            ? "pass the data to parseModel(text, registry, { data }) so values of data are known."
            : "use constants or integer data here.",
        span,
      });
    }
    return n;
  }

  /** A size as an IR dimension: integer data by name, else a known positive integer. */
  private dimOf(e: ExprAst): Dim {
    const v = this.evalExpr(e);
    if (v.kind === "expr" && v.expr.kind === "ref") {
      const g = this.checked.globals.get(v.expr.name);
      if (g?.block === "data" && g.dtype === "int" && g.shape.length === 0) return v.expr.name;
    }
    const n = this.knownInteger(v, "a size", e.span);
    if (n < 0) this.fail({ where: "size", what: "a size must not be negative", got: String(n), span: e.span });
    return n;
  }

  /** The value of a dimension as a number when known. */
  private dimValue(d: Dim): number | undefined {
    if (typeof d === "number") return d;
    const v = this.dataValue(d);
    return typeof v === "number" ? v : undefined;
  }

  // ============================================================== declarations

  private declareData(s: DeclStmt): void {
    const g = this.checked.globals.get(s.name)!;
    this.checkDataGiven(g);
    const value = s.init !== undefined ? literalValue(s.init) : undefined;
    this.push({
      kind: "data",
      spec: {
        name: s.name,
        shape: g.shape,
        dtype: g.dtype,
        ...(g.support ? { support: g.support } : {}),
        ...(value !== undefined ? { value } : {}),
        span: s.nameSpan,
      },
    });
    const r = ref(s.name, g.shape, g.dtype, s.nameSpan);
    this.define({
      name: s.name,
      kind: "global",
      global: g,
      shape: g.shape,
      dtype: g.dtype,
      span: s.nameSpan,
      value: g.shape.length === 2 ? { kind: "matrix", ref: r } : { kind: "expr", expr: r },
      node: s.name,
    });
  }

  /** With data given, every data declaration needs a value of the declared kind. */
  private checkDataGiven(g: GlobalDecl): void {
    if (this.options.data === undefined) return;
    const value = this.dataValue(g.name);
    const where = `data '${g.name}'`;
    const expected = `${g.shape.length === 0 ? "a" : formatIrShape(g.shape)} ${g.dtype === "int" ? "integer" : "real"}${g.shape.length === 0 ? "" : "s"}`;
    if (value === undefined) {
      const close = suggestName(g.name, Object.keys(this.options.data));
      this.fail({
        where,
        what: "missing from the data",
        expected: expected.replace(/^a /, "a "),
        hint:
          close !== undefined ? `the data has '${close}'; did you mean that?` : `add '${g.name}' to the data object.`,
        span: g.decl.nameSpan,
      });
    }
    if (g.shape.length === 0 && typeof value !== "number") {
      this.fail({
        where,
        what: "must be a number",
        got: Array.isArray(value) ? `an array of ${value.length}` : typeof value,
        expected,
        span: g.decl.nameSpan,
      });
    }
    if (g.shape.length === 1) {
      if (!isNumberArray(value)) {
        this.fail({
          where,
          what: "must be an array of numbers",
          got: typeof value === "number" ? "a number" : typeof value,
          expected,
          span: g.decl.nameSpan,
        });
      }
      const n = this.dimValue(g.shape[0]!);
      const length = (value as ArrayLike<number>).length;
      if (n !== undefined && length !== n) {
        this.fail({
          where,
          what: "has the wrong length",
          got: String(length),
          expected: `${n} (${formatIrShape(g.shape)})`,
          span: g.decl.nameSpan,
        });
      }
    }
    if (g.dtype === "int") {
      const values =
        typeof value === "number" ? [value] : isNumberArray(value) ? Array.from(value as ArrayLike<number>) : [];
      const bad = values.findIndex((x) => !Number.isInteger(x));
      if (bad >= 0) {
        this.fail({
          where,
          what: "must hold integers",
          got: `${values[bad]}${values.length > 1 ? ` at element ${bad + 1}` : ""}`,
          span: g.decl.nameSpan,
        });
      }
    }
  }

  private declareHyper(s: DeclStmt): void {
    const g = this.checked.globals.get(s.name)!;
    const support: Support = g.support ?? { kind: "real" };
    let init: number | readonly number[] = defaultInit(support);
    if (s.init !== undefined) {
      const v = this.evalExpr(s.init);
      const known = v.kind === "expr" ? (this.constArray(v.expr) ?? this.constNumber(v.expr)) : undefined;
      if (known === undefined) {
        this.fail({
          where: `hyper '${s.name}'`,
          what: "the initial value must be a number or a vector of numbers",
          span: s.init.span,
        });
      }
      init = known;
    }
    const { annotations } = annotationsOf(s.annotations, false);
    this.push({
      kind: "hyper",
      spec: { name: s.name, shape: g.shape, support, init, ...(annotations ? { annotations } : {}), span: s.nameSpan },
    });
    this.define({
      name: s.name,
      kind: "global",
      global: g,
      shape: g.shape,
      dtype: "real",
      span: s.nameSpan,
      value: { kind: "expr", expr: ref(s.name, g.shape, "real", s.nameSpan) },
      node: s.name,
    });
  }

  private declareParameter(s: DeclStmt): void {
    const g = this.checked.globals.get(s.name)!;
    this.paramOrder.set(s.name, this.order++);
    this.define({
      name: s.name,
      kind: "global",
      global: g,
      shape: g.shape,
      dtype: g.dtype,
      span: s.nameSpan,
      value: { kind: "expr", expr: ref(s.name, g.shape, g.dtype, s.nameSpan) },
      node: s.name,
    });
  }

  /** Parameters without a `~` get Stan's improper flat prior (the registry's `flat` family). */
  private addFlatPriors(): void {
    for (const g of this.checked.globals.values()) {
      if (g.block !== "parameters" || this.priors.has(g.name)) continue;
      if (this.families.signature("flat") === undefined) {
        this.fail({
          where: `parameter '${g.name}'`,
          what: "has no distribution",
          hint: `give it one in the model block (${g.name} ~ normal(0, 10);), or register the improper 'flat' family on the registry to get Stan's flat prior.`,
          span: g.decl.nameSpan,
        });
      }
      this.push({ kind: "latent", spec: this.latentSpec(g, "flat", {}, g.decl.nameSpan) }, this.paramOrder.get(g.name));
      this.priors.set(g.name, g.decl.nameSpan);
    }
  }

  private latentSpec(
    g: GlobalDecl,
    family: string,
    args: Readonly<Record<string, Expr>>,
    span: SourceSpan,
  ): LatentSpec {
    const { annotations, parameterization } = annotationsOf(g.decl.annotations, true);
    return {
      name: g.name,
      family,
      args,
      shape: g.shape,
      ...(g.support ? { support: g.support } : {}),
      ...(g.bounds ? { bounds: this.latentBounds(g.bounds) } : {}),
      ...(annotations ? { annotations } : {}),
      ...(parameterization !== undefined ? { parameterization } : {}),
      span,
    };
  }

  /** A parameter's computed bounds as IR expressions (the builder checks what they read). */
  private latentBounds(bounds: NonNullable<GlobalDecl["bounds"]>): LatentBounds {
    const out: { lower?: Expr; upper?: Expr } = {};
    for (const side of ["lower", "upper"] as const) {
      const ast = bounds[side];
      if (ast !== undefined) out[side] = this.exprOf(this.evalExpr(ast), ast.span);
    }
    return out;
  }

  // ============================================================== transformed blocks

  private lowerTransformedBlock(body: readonly StmtAst[]): void {
    const assignedLater = new Set<string>();
    for (const s of body) if (s.kind !== "decl") collectAssigned(s, assignedLater);
    const globals: Variable[] = [];
    for (const s of body) {
      if (s.kind === "decl") {
        const g = this.checked.globals.get(s.name)!;
        const v = this.define({
          name: s.name,
          kind: "global",
          global: g,
          shape: g.shape,
          dtype: g.dtype,
          span: s.nameSpan,
        });
        globals.push(v);
        if (s.init !== undefined) {
          this.assignWhole(v, this.evalExpr(s.init), s.init.span);
          if (!assignedLater.has(s.name)) this.emitDeterministic(v, s.span);
        }
        continue;
      }
      this.execStatement(s);
    }
    for (const v of globals) {
      if (v.node !== undefined) continue;
      if (v.value === undefined && v.elements === undefined) {
        this.fail({
          where: `${v.global!.block} '${v.name}'`,
          what: "is declared but never assigned",
          hint: `assign it in the ${v.global!.block} block, e.g. ${v.name} = ...;`,
          span: v.span,
        });
      }
      this.emitDeterministic(v, v.span);
    }
  }

  private emitDeterministic(v: Variable, span: SourceSpan): void {
    const expr = this.wholeExpr(v, span);
    const declared = v.shape;
    if (expr.shape.length !== declared.length || !shapesAgree(expr.shape, declared)) {
      this.fail({
        where: `${v.global?.block ?? "variable"} '${v.name}'`,
        what: "the value does not match the declared shape",
        got: formatIrShape(expr.shape),
        expected: formatIrShape(declared),
        span,
      });
    }
    if (v.dtype === "int" && expr.dtype !== "int") {
      this.fail({
        where: `${v.global?.block ?? "variable"} '${v.name}'`,
        what: "an int cannot hold a real value",
        hint: `declare it real, or compute it from integers only.`,
        span,
      });
    }
    // Transformed parameters are placed just before their first use (where a builder user would
    // write them); transformed data right after the data they read.
    const { annotations } = annotationsOf(v.global?.decl.annotations ?? [], false);
    this.push({
      kind: "deterministic",
      spec: { name: v.name, expr, ...(annotations ? { annotations } : {}), span: v.span },
      lazy: this.currentBlock !== "transformed data",
    });
    this.deterministicExprs.set(v.name, expr);
    v.node = v.name;
    v.value = { kind: "expr", expr: ref(v.name, expr.shape, expr.dtype, v.span) };
    v.elements = undefined;
  }

  // ============================================================== statements

  private execStatements(stmts: readonly StmtAst[]): Flow {
    for (const s of stmts) {
      const flow = this.execStatement(s);
      if (flow !== undefined) return flow;
    }
    return undefined;
  }

  private execStatement(s: StmtAst): Flow {
    switch (s.kind) {
      case "decl":
        this.declareLocal(s);
        return undefined;
      case "assign":
        this.assign(s.lhs, s.op, s.rhs, s.span);
        return undefined;
      case "tilde":
        this.density(s.lhs, s.family, s.args, s.span, s.familySpan);
        return undefined;
      case "target":
        this.target(s.expr, s.span, partOf(s.annotations));
        return undefined;
      case "expr":
        this.evalExpr(s.expr);
        return undefined;
      case "for":
        return this.execFor(s);
      case "if": {
        const cond = this.condition(s.cond);
        const branch = cond ? s.thenBranch : s.elseBranch;
        if (branch === undefined) return undefined;
        this.scopes.push(new Map());
        try {
          return this.execStatement(branch);
        } finally {
          this.scopes.pop();
        }
      }
      case "block":
        this.scopes.push(new Map());
        try {
          return this.execStatements(s.body);
        } finally {
          this.scopes.pop();
        }
      case "return":
        if (this.vector !== undefined && this.callDepth === 0)
          throw new VectorizeFailure("return inside a loop", s.span);
        return { returned: s.value !== undefined ? this.evalExpr(s.value) : undefined };
      default:
        return undefined;
    }
  }

  private condition(e: ExprAst): boolean {
    const v = this.evalExpr(e);
    if (this.vector !== undefined && (v.kind === "lane_index" || (v.kind === "expr" && v.lane !== undefined))) {
      throw new VectorizeFailure("the condition changes from one iteration to the next", e.span);
    }
    const n = v.kind === "expr" ? this.constNumber(v.expr) : undefined;
    if (n === undefined) {
      const parameter = v.kind === "expr" ? this.parametersIn(v.expr)[0] : undefined;
      this.fail({
        where: "if",
        what: "the condition must be known when the model is built",
        got:
          parameter !== undefined ? `an expression of the parameter '${parameter}'` : "an expression of data not given",
        hint:
          parameter !== undefined
            ? "conditions may use constants and data, not parameters; write a smooth term in target += instead (e.g. log_mix)."
            : "conditions may use constants and data; pass the data to parseModel(text, registry, { data }).",
        span: e.span,
      });
    }
    return n !== 0;
  }

  private declareLocal(s: DeclStmt): void {
    const sizes = [...s.type.arraySizes, ...s.type.sizes].map((e) => this.dimOf(e));
    const dtype: DType = s.type.base === "int" ? "int" : "real";
    const v = this.define({ name: s.name, kind: "local", shape: sizes, dtype, span: s.nameSpan });
    if (s.init !== undefined) this.assignWhole(v, this.evalExpr(s.init), s.init.span);
  }

  // ---------------------------------------------------------------- assignment

  private assign(lhs: ExprAst, op: string, rhsAst: ExprAst, span: SourceSpan): void {
    let rhs = this.evalExpr(rhsAst);
    if (op !== "=") rhs = this.arith(COMPOUND[op]!, this.evalExpr(lhs), rhs, span);
    if (lhs.kind === "name") {
      const v = this.lookup(lhs.name)!;
      if (this.vector !== undefined && v.depth < this.vector.depth) {
        throw new VectorizeFailure(`the loop assigns all of '${v.name}', which lives outside it`, span);
      }
      this.assignWhole(v, rhs, span);
      return;
    }
    if (
      lhs.kind !== "index" ||
      lhs.target.kind !== "name" ||
      lhs.indices.length !== 1 ||
      lhs.indices[0]!.kind !== "single"
    ) {
      this.fail({
        where: "assignment",
        what: "only a variable or one element of a vector can be assigned",
        got: "a slice, a matrix element or an expression",
        hint: "assign the whole vector, or element by element in a loop.",
        span: lhs.span,
      });
    }
    const v = this.lookup(lhs.target.name)!;
    const idxAst = (lhs.indices[0] as IndexAst & { kind: "single" }).expr;
    const idx = this.evalExpr(idxAst);
    if (v.shape.length !== 1) {
      this.fail({
        where: "assignment",
        what: `'${v.name}' is ${formatIrShape(v.shape)} and has no elements to assign`,
        span: lhs.span,
      });
    }
    if (this.vector !== undefined) {
      const ctx = this.vector;
      if (v.depth >= ctx.depth) throw new VectorizeFailure(`'${v.name}' is a vector declared inside the loop`, span);
      if (idx.kind !== "lane_index" || idx.offset !== 0 || !this.aligned(ctx.lane, 0, v.shape[0]!)) {
        throw new VectorizeFailure(
          `the loop assigns '${v.name}' at positions other than its loop variable over all of '${v.name}'`,
          span,
        );
      }
      if (rhs.kind !== "expr" || rhs.lane === undefined) {
        throw new VectorizeFailure(`'${v.name}[${ctx.lane.span.line}]' gets the same value in every iteration`, span);
      }
      if (rhs.expr.shape.length !== 1) throw new VectorizeFailure("an element must be a scalar", span);
      v.overlay = rhs;
      return;
    }
    const k = this.knownInteger(idx, "the position of an assigned element", idxAst.span);
    const length = this.dimValue(v.shape[0]!);
    if (length === undefined) {
      this.fail({
        where: "assignment",
        what: `'${v.name}' is assigned element by element, so its size '${v.shape[0]}' must be known`,
        hint: "pass the data to parseModel(text, registry, { data }), or assign the whole vector at once.",
        span,
      });
    }
    if (k < 1 || k > length) {
      this.fail({
        where: "assignment",
        what: `position ${k} is outside '${v.name}'`,
        expected: `1 to ${length}`,
        span: idxAst.span,
      });
    }
    const e = this.exprOf(rhs, rhsAst.span);
    if (e.shape.length !== 0) {
      this.fail({
        where: "assignment",
        what: `an element of '${v.name}' must be a scalar`,
        got: formatIrShape(e.shape),
        span: rhsAst.span,
      });
    }
    if (v.elements === undefined) v.elements = this.toElements(v, length, span);
    v.elements[k - 1] = this.materialise(`${v.name}_${k}`, e, span);
    v.value = undefined;
  }

  private assignWhole(v: Variable, rhs: Value, span: SourceSpan): void {
    if (rhs.kind === "matrix" || rhs.kind === "row") {
      this.fail({
        where: "assignment",
        what: `'${v.name}' cannot hold matrix data`,
        hint: "use the matrix directly in a product, X * v.",
        span,
      });
    }
    if (rhs.kind === "expr") {
      const declaredRank = v.shape.length;
      const rank = rhs.lane !== undefined ? rhs.expr.shape.length - 1 : rhs.expr.shape.length;
      if (
        rank !== declaredRank ||
        (rhs.lane === undefined && declaredRank > 0 && !shapesAgree(rhs.expr.shape, v.shape))
      ) {
        if (rhs.lane !== undefined && rank !== declaredRank)
          throw new VectorizeFailure(`'${v.name}' is a vector inside the loop`, span);
        this.fail({
          where: `assignment to '${v.name}'`,
          what: "shape mismatch",
          got: formatIrShape(rhs.lane !== undefined ? rhs.expr.shape.slice(1) : rhs.expr.shape),
          expected: formatIrShape(v.shape),
          span,
        });
      }
      if (rhs.lane === undefined && v.kind === "local") {
        v.value = { kind: "expr", expr: this.materialise(v.name, rhs.expr, span) };
      } else {
        v.value = rhs;
      }
    } else {
      v.value = rhs;
    }
    v.elements = undefined;
  }

  /** Converts a whole-vector value to element storage of a known length. */
  private toElements(v: Variable, length: number, span: SourceSpan): (Expr | undefined)[] {
    const out: (Expr | undefined)[] = new Array(length).fill(undefined);
    if (v.value !== undefined) {
      const e = this.exprOf(v.value, span);
      for (let i = 0; i < length; i++) out[i] = this.ir(() => index(e, i, span), span);
    }
    return out;
  }

  /** Names a large unrolled expression as a deterministic node, so later uses stay small. */
  private materialise(base: string, e: Expr, span: SourceSpan): Expr {
    if (this.vector !== undefined || exprSize(e, MATERIALISE_SIZE) < MATERIALISE_SIZE) return e;
    const name = this.freshName(base);
    this.push({ kind: "deterministic", spec: { name, expr: e, span }, lazy: this.currentBlock !== "transformed data" });
    this.deterministicExprs.set(name, e);
    return ref(name, e.shape, e.dtype, span);
  }

  private wholeExpr(v: Variable, span: SourceSpan): Expr {
    if (v.elements !== undefined) {
      const missing = v.elements.indexOf(undefined);
      if (missing >= 0) {
        this.fail({ where: `'${v.name}'`, what: `element ${missing + 1} is used before it is assigned`, span });
      }
      const elements = v.elements as Expr[];
      const numbers = elements.map((x) => (x.kind === "const" && typeof x.value === "number" ? x.value : undefined));
      if (numbers.every((x) => x !== undefined)) return constant(numbers as number[], span);
      return this.ir(() => vector(elements, span), span);
    }
    if (v.value === undefined) {
      this.fail({
        where: `'${v.name}'`,
        what: "is used before it is assigned",
        hint: `assign ${v.name} = ...; first.`,
        span,
      });
    }
    return this.exprOf(v.value, span);
  }

  // ---------------------------------------------------------------- loops

  private execFor(s: StmtAst & { kind: "for" }): Flow {
    if (s.upper === undefined) return this.execForEach(s);
    const lowerValue = this.evalExpr(s.lower);
    const upperValue = this.evalExpr(s.upper);
    const lower = this.knownInteger(lowerValue, "the lower bound of a loop", s.lower.span);
    const upperKnown =
      upperValue.kind === "expr" && upperValue.lane === undefined ? this.constNumber(upperValue.expr) : undefined;
    const upperName =
      upperValue.kind === "expr" && upperValue.expr.kind === "ref" && this.isIntDataScalar(upperValue.expr.name)
        ? upperValue.expr.name
        : undefined;
    if (upperKnown !== undefined && !Number.isInteger(upperKnown)) {
      this.fail({
        where: "for",
        what: "the upper bound of a loop must be an integer",
        got: String(upperKnown),
        span: s.upper.span,
      });
    }
    if (upperKnown !== undefined && upperKnown < lower) return undefined;
    const length: Dim | undefined =
      upperKnown !== undefined ? upperKnown - lower + 1 : lower === 1 ? upperName : undefined;
    let failure: VectorizeFailure | SprigError | undefined;
    if (this.vector === undefined && length !== undefined) {
      const lane: Lane = { id: ++this.laneCount, lower, upper: upperKnown, upperName, length, span: s.span };
      const saved = this.save();
      try {
        this.runVectorised(s, lane);
        return undefined;
      } catch (e) {
        if (!(e instanceof VectorizeFailure || e instanceof SprigError)) throw e;
        saved();
        failure = e;
      }
    } else if (this.vector !== undefined && upperKnown === undefined) {
      throw new VectorizeFailure(`the inner loop over '${s.variable}' has bounds that are not known`, s.span);
    }
    if (upperKnown === undefined) {
      if (failure instanceof SprigError) throw failure;
      this.fail({
        where: `for (${s.variable} in ...)`,
        what: "this loop cannot be vectorised, and its bounds are not known to unroll it",
        got:
          failure?.reason ??
          (upperName !== undefined
            ? `a loop from ${lower} to '${upperName}', whose length is known only with the data`
            : "bounds that are expressions of data"),
        hint:
          this.options.data === undefined
            ? "pass the data to parseModel(text, registry, { data }) so the loop can be unrolled, or write it with whole vectors."
            : "write the bounds with constants and data.",
        span: failure instanceof VectorizeFailure && failure.span ? failure.span : s.span,
      });
    }
    return this.unroll(s, lower, upperKnown, (i) => ({ kind: "expr", expr: constant(i, s.variableSpan) }));
  }

  /** `for (x in v)`: iterates over the elements of a vector. */
  private execForEach(s: StmtAst & { kind: "for" }): Flow {
    const container = this.evalExpr(s.lower);
    const e = this.exprOf(container, s.lower.span);
    if (e.shape.length !== 1 || (container.kind === "expr" && container.lane !== undefined)) {
      this.fail({
        where: `for (${s.variable} in ...)`,
        what: "can iterate over a vector only",
        got: formatIrShape(e.shape),
        span: s.lower.span,
      });
    }
    const d = e.shape[0]!;
    const n = this.dimValue(d);
    if (this.vector === undefined) {
      const lane: Lane = {
        id: ++this.laneCount,
        lower: 1,
        upper: n,
        upperName: typeof d === "string" ? d : undefined,
        length: d,
        span: s.span,
      };
      const saved = this.save();
      try {
        this.runVectorised(s, lane, { kind: "expr", expr: e, lane });
        return undefined;
      } catch (err) {
        if (!(err instanceof VectorizeFailure || err instanceof SprigError)) throw err;
        saved();
        if (n === undefined) throw err instanceof VectorizeFailure ? this.loopError(s, err) : err;
      }
    }
    if (n === undefined) throw new VectorizeFailure(`the length of the vector is not known`, s.span);
    return this.unroll(s, 1, n, (i) => ({ kind: "expr", expr: this.ir(() => index(e, i - 1, s.lower.span), s.span) }));
  }

  private loopError(s: StmtAst & { kind: "for" }, failure: VectorizeFailure): ModelError {
    return new ModelError({
      where: `for (${s.variable} in ...)`,
      what: "this loop cannot be vectorised, and its bounds are not known to unroll it",
      got: failure.reason,
      hint: "pass the data to parseModel(text, registry, { data }) so the loop can be unrolled.",
      span: failure.span ?? s.span,
    });
  }

  private unroll(s: StmtAst & { kind: "for" }, lower: number, upper: number, valueAt: (i: number) => Value): Flow {
    for (let i = lower; i <= upper; i++) {
      if (++this.unrolled > MAX_UNROLLED) {
        this.fail({
          where: `for (${s.variable} in ...)`,
          what: `unrolling loops would take more than ${MAX_UNROLLED} iterations`,
          hint: "write the loop body with whole vectors so it can be vectorised.",
          span: s.span,
        });
      }
      this.scopes.push(new Map());
      try {
        this.define({
          name: s.variable,
          kind: "loop",
          shape: [],
          dtype: "int",
          span: s.variableSpan,
          value: valueAt(i),
        });
        const flow = this.execStatement(s.body);
        if (flow !== undefined) return flow;
      } finally {
        this.scopes.pop();
      }
    }
    return undefined;
  }

  private runVectorised(s: StmtAst & { kind: "for" }, lane: Lane, element?: Value): void {
    const assigned = new Set<string>();
    collectAssigned(s.body, assigned);
    const previous = this.vector;
    this.scopes.push(new Map());
    this.vector = { lane, depth: this.scopes.length - 1, assigned };
    try {
      this.define({
        name: s.variable,
        kind: "loop",
        shape: [],
        dtype: element ? "real" : "int",
        span: s.variableSpan,
        value: element ?? { kind: "lane_index", lane, offset: 0 },
      });
      const flow = this.execStatement(s.body);
      if (flow !== undefined) throw new VectorizeFailure("return inside a loop", s.span);
    } finally {
      this.vector = previous;
      this.scopes.pop();
    }
    // Elements written as v[n] become the whole of v.
    for (const frame of this.scopes) {
      for (const v of frame.values()) {
        if (v.overlay === undefined) continue;
        const e = (v.overlay as Value & { kind: "expr" }).expr;
        v.value = { kind: "expr", expr: e };
        v.elements = undefined;
        v.overlay = undefined;
      }
    }
  }

  /** Whether `v + offset` over the lane covers exactly positions 1..size. */
  private aligned(lane: Lane, offset: number, size: Dim): boolean {
    if (lane.lower + offset !== 1) return false;
    if (offset === 0 && lane.upperName !== undefined && lane.upperName === size) return true;
    const n = this.dimValue(size);
    return lane.upper !== undefined && n !== undefined && lane.upper + offset === n;
  }

  private isIntDataScalar(name: string): boolean {
    const g = this.checked.globals.get(name);
    return g?.block === "data" && g.dtype === "int" && g.shape.length === 0;
  }

  // ---------------------------------------------------------------- checkpoints

  /** A checkpoint of everything a vectorisation attempt may change; calling it rolls back. */
  private save(): () => void {
    const scopes = this.scopes.map((m) => new Map(m));
    const states = new Map<Variable, Pick<Variable, "value" | "elements" | "overlay" | "node">>();
    for (const frame of scopes) {
      for (const v of frame.values())
        states.set(v, { value: v.value, elements: v.elements?.slice(), overlay: v.overlay, node: v.node });
    }
    const pending = this.pending.length;
    const priors = new Map(this.priors);
    const observed = new Map(this.observed);
    const used = new Set(this.usedNames);
    const dets = new Map(this.deterministicExprs);
    return () => {
      this.scopes = scopes;
      for (const [v, s] of states) {
        v.value = s.value;
        v.elements = s.elements;
        v.overlay = s.overlay;
        v.node = s.node;
      }
      this.pending.length = pending;
      this.priors = priors;
      this.observed = observed;
      this.usedNames = used;
      this.deterministicExprs.clear();
      for (const [k, e] of dets) this.deterministicExprs.set(k, e);
    };
  }

  // ---------------------------------------------------------------- densities and target

  /** `lhs ~ family(args)` (also `target += family_lpdf(lhs | args)`). */
  private density(
    lhsAst: ExprAst,
    family: string,
    args: readonly ArgumentAst[],
    span: SourceSpan,
    familySpan: SourceSpan,
  ): void {
    const sig = this.families.signature(family);
    const sparse = sig === undefined ? this.options.sparsePriors?.get(family) : undefined;
    if (sparse !== undefined) {
      this.sparsePrior(sparse, lhsAst, family, args, span);
      return;
    }
    if (sig === undefined) {
      const fn = this.checked.functions.get(`${family}_lpdf`) ?? this.checked.functions.get(`${family}_lpmf`);
      const lhs = this.evalExpr(lhsAst);
      const lp = this.callUser(fn!, [lhs, ...args.map((a) => this.evalExpr(a.value))], span);
      this.addFactor(lp, span, "likelihood");
      return;
    }
    const lhs = this.evalExpr(lhsAst);
    const argExprs = this.familyArgs(sig, args, familySpan);
    const target = this.classify(lhs);
    if (target !== undefined) {
      if (this.vector !== undefined && !(lhs.kind === "expr" && lhs.lane !== undefined)) {
        throw new VectorizeFailure(`'${target.name}' gets a distribution once per iteration`, span);
      }
      const args = this.laneArgs(argExprs, lhs, span);
      if (target.kind === "parameter") {
        const previous = this.priors.get(target.name);
        if (previous !== undefined) {
          this.fail({
            where: `'${target.name}' ~ ${family}()`,
            what: `'${target.name}' already has a distribution (line ${previous.line})`,
            hint: "each parameter takes one '~' statement; add further terms with target += ...",
            span,
          });
        }
        this.priors.set(target.name, span);
        this.push({ kind: "latent", spec: this.latentSpec(target.global, sig.family, args, span) });
        return;
      }
      if (target.kind === "hyper") {
        this.fail({
          where: `'${target.name}' ~ ${family}()`,
          what: `'${target.name}' is a hyper-parameter, which has no distribution (it is point-estimated)`,
          hint: `declare '${target.name}' in the parameters block to give it a prior.`,
          span,
        });
      }
      const previous = this.observed.get(target.name);
      if (previous !== undefined) {
        this.fail({
          where: `'${target.name}' ~ ${family}()`,
          what: `'${target.name}' is already observed (line ${previous.line})`,
          hint: "each data variable takes one '~' statement; add further terms with target += ...",
          span,
        });
      }
      if (target.global.shape.length === 2) {
        this.fail({ where: `'${target.name}' ~ ${family}()`, what: "matrix data cannot be observed", span });
      }
      this.observed.set(target.name, span);
      this.push({ kind: "observed", spec: { name: target.name, family: sig.family, args, span } });
      return;
    }
    this.addFactor(this.expandDensity(sig, lhs, argExprs, span, lhsAst.span), span, "likelihood");
  }

  /**
   * `beta ~ horseshoe(...)`: runs the sparse prior's expansion for the declared vector, with a
   * model context that adds its nodes here (at this statement's place in the order).
   */
  private sparsePrior(
    expand: SparsePriorExpansion,
    lhsAst: ExprAst,
    prior: string,
    args: readonly ArgumentAst[],
    span: SourceSpan,
  ): void {
    if (this.vector !== undefined) throw new VectorizeFailure("a sparse prior inside a loop", span);
    const target = lhsAst.kind === "name" ? this.checked.globals.get(lhsAst.name) : undefined;
    if (target === undefined || target.block !== "parameters" || target.shape.length !== 1) {
      throw new ModelError({
        where: `${prior}()`,
        what: "a sparse prior applies to a whole vector declared in the parameters block",
        span: lhsAst.span,
      });
    }
    const previous = this.priors.get(target.name);
    if (previous !== undefined) {
      this.fail({
        where: `'${target.name}' ~ ${prior}()`,
        what: `'${target.name}' already has a distribution (line ${previous.line})`,
        span,
      });
    }
    const options: Record<string, unknown> = {};
    const hyperprior: Record<string, unknown> = {};
    for (const a of args) {
      const v = a.value.kind === "string" ? a.value.value : this.priorOption(this.evalExpr(a.value), a.value.span);
      const key = camelCase(a.name!);
      if (key === "hyperpriorShape" || key === "hyperpriorRate")
        hyperprior[key === "hyperpriorShape" ? "shape" : "rate"] = v;
      else options[key] = v;
    }
    if (Object.keys(hyperprior).length > 0) options.hyperprior = hyperprior;
    const size = target.shape[0]!;
    options.size = typeof size === "number" ? size : new IntScalar(ref(size, [], "int", span));
    const { parameterization } = annotationsOf(target.decl.annotations, true);
    if (options.parameterization === undefined && parameterization !== undefined)
      options.parameterization = parameterization;
    try {
      expand(this.priorContext(span), target.name, options);
    } catch (e) {
      if (e instanceof SprigError) {
        // The expansion speaks of the builder's camelCase options; the text writes them in snake_case.
        const snake = (t: string | undefined): string | undefined =>
          t?.replace(
            /'([a-z]+(?:[A-Z][a-z0-9]*)+)'/g,
            (_, w: string) => `'${w.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}'`,
          );
        const { what, got, expected, hint } = e.parts;
        throw new ModelError({
          where: `'${target.name}' ~ ${prior}()`,
          what: snake(what)!,
          ...(got !== undefined ? { got: snake(got) } : {}),
          ...(expected !== undefined ? { expected: snake(expected) } : {}),
          ...(hint !== undefined ? { hint: snake(hint) } : {}),
          span,
        });
      }
      throw e;
    }
    this.priors.set(target.name, span);
  }

  /** A sparse-prior option: numbers and number vectors as such, integer data as sizes, else model values. */
  private priorOption(v: Value, span: SourceSpan): unknown {
    const e = this.exprOf(v, span);
    const known = constantValue(e);
    if (known !== undefined) return known;
    if (e.kind === "ref" && e.dtype === "int" && e.shape.length === 0 && this.isIntDataScalar(e.name))
      return new IntScalar(e);
    return e.shape.length === 0 ? new Scalar(e) : new Vector(e);
  }

  /** The model context a sparse prior's expansion declares its nodes through. */
  private priorContext(span: SourceSpan): PriorContext {
    const shapeOf = (size: unknown): IrShape | undefined =>
      size === undefined ? undefined : [typeof size === "number" ? size : (size as IntScalar).dim];
    const wrap = (e: Expr): Scalar | Vector => (e.shape.length === 0 ? new Scalar(e) : new Vector(e));
    const boundsSupport = (o: { lower?: number; upper?: number } | undefined): Support | undefined => {
      if (o?.lower !== undefined && o.upper !== undefined) return { kind: "interval", lower: o.lower, upper: o.upper };
      if (o?.lower !== undefined) return { kind: "lower", lower: o.lower };
      if (o?.upper !== undefined) return { kind: "upper", upper: o.upper };
      return undefined;
    };
    const param = (name: string, d: Dist, o?: Record<string, unknown>): Scalar | Vector => {
      const declared = shapeOf(o?.size);
      const shape = declared ?? Object.values(d.args).find((a) => a.shape.length > 0)?.shape ?? [];
      const support = boundsSupport(o as { lower?: number; upper?: number } | undefined);
      this.usedNames.add(name);
      this.push({
        kind: "latent",
        spec: {
          name,
          family: d.family,
          args: d.args,
          ...(declared ? { shape: declared } : {}),
          ...(support ? { support } : {}),
          ...(o?.annotations ? { annotations: o.annotations as Annotations } : {}),
          ...(o?.parameterization !== undefined ? { parameterization: o.parameterization as string } : {}),
          span,
        },
      });
      return wrap(ref(name, shape, this.families.signature(d.family)?.discrete ? "int" : "real", span));
    };
    const hyper = (name: string, o: Record<string, unknown>): Scalar | Vector => {
      const shape = shapeOf(o.size) ?? [];
      this.usedNames.add(name);
      const support = boundsSupport(o as { lower?: number; upper?: number }) ?? { kind: "real" };
      const annotations = o.annotations as Annotations | undefined;
      this.push({
        kind: "hyper",
        spec: { name, shape, support, init: o.init as number, ...(annotations ? { annotations } : {}), span },
      });
      return wrap(ref(name, shape, "real", span));
    };
    const deterministic = <T extends Scalar | Vector>(name: string, value: T, o?: DeterministicOptions): T => {
      this.usedNames.add(name);
      const annotations = o?.annotations;
      this.push({
        kind: "deterministic",
        spec: { name, expr: value.expr, ...(annotations ? { annotations } : {}), span },
        lazy: false,
      });
      this.deterministicExprs.set(name, value.expr);
      return wrap(ref(name, value.expr.shape, value.expr.dtype, span)) as T;
    };
    return { param, hyper, deterministic } as unknown as PriorContext;
  }

  /** Whether a value is a whole parameter, hyper or data node (so `~` makes a node of it). */
  private classify(v: Value): { kind: "parameter" | "data" | "hyper"; name: string; global: GlobalDecl } | undefined {
    if (v.kind !== "expr" || v.expr.kind !== "ref" || v.transposed) return undefined;
    const g = this.checked.globals.get(v.expr.name);
    if (g === undefined) return undefined;
    if (g.block === "parameters") return { kind: "parameter", name: g.name, global: g };
    if (g.block === "data") return { kind: "data", name: g.name, global: g };
    if (g.block === "hyper") return { kind: "hyper", name: g.name, global: g };
    return undefined;
  }

  /** Family arguments as expressions by parameter name (defaults filled by the IR builder). */
  private familyArgs(sig: FamilySignature, args: readonly ArgumentAst[], span: SourceSpan): Map<string, Value> {
    const { bound, problems } = bindFamilyArguments(sig, args, span, `${sig.family}()`);
    if (problems.length > 0) throw new ModelError(problems[0]!);
    const out = new Map<string, Value>();
    for (const p of sig.paramOrder) {
      const a = bound.get(p);
      if (a !== undefined) out.set(p, this.evalExpr(a.value));
    }
    return out;
  }

  /** Arguments of a node: per-iteration values become whole vectors; others must be scalars. */
  private laneArgs(args: Map<string, Value>, lhs: Value, span: SourceSpan): Record<string, Expr> {
    const inLoop = lhs.kind === "expr" && lhs.lane !== undefined;
    const out: Record<string, Expr> = {};
    for (const [p, v] of args) {
      const e = this.exprOf(v, span);
      if (inLoop && !(v.kind === "expr" && v.lane !== undefined) && e.shape.length !== 0) {
        throw new VectorizeFailure(`argument '${p}' is a whole vector inside the loop`, span);
      }
      out[p] = e;
    }
    return out;
  }

  private expandDensity(
    sig: FamilySignature,
    lhs: Value,
    args: Map<string, Value>,
    span: SourceSpan,
    lhsSpan: SourceSpan,
  ): Value {
    const expansion = DENSITY_EXPANSIONS.get(sig.family);
    if (expansion === undefined || expansion.params.join() !== sig.paramOrder.join()) {
      this.fail({
        where: `${sig.family}()`,
        what: `the density of '${sig.family}' can only be given to a whole parameter or data variable`,
        got: "an expression, a slice or a local variable",
        hint: `write '${sig.family}' on a variable of the parameters or data block; densities usable on expressions: ${[...DENSITY_EXPANSIONS.keys()].join(", ")}.`,
        span: lhsSpan,
      });
    }
    const lane = laneOf(lhs, ...args.values());
    const x = this.exprOf(lhs, lhsSpan);
    const params: Record<string, Expr> = {};
    for (const p of sig.paramOrder) {
      const v = args.get(p);
      if (v !== undefined) params[p] = this.exprOf(v, span);
      else {
        const d = sig.params[p]!.default;
        if (d === undefined) this.fail({ where: `${sig.family}()`, what: `missing argument '${p}'`, span });
        params[p] = constant(d, span);
      }
    }
    if (lane !== undefined) {
      for (const [p, e] of [["value", x] as const, ...Object.entries(params)]) {
        const isLane =
          e === x
            ? lhs.kind === "expr" && lhs.lane !== undefined
            : (args.get(p) as Value | undefined)?.kind === "expr" &&
              (args.get(p) as Value & { kind: "expr" }).lane !== undefined;
        if (!isLane && e.shape.length !== 0)
          throw new VectorizeFailure(`'${p}' is a whole vector inside the loop`, span);
      }
    }
    if (lane === undefined && x.shape.length === 0) {
      // Stan's density of a scalar takes scalar arguments; a vector here would silently sum.
      for (const [p, e] of Object.entries(params)) {
        if (e.shape.length > 0) {
          this.fail({
            where: `${sig.family}()`,
            what: `argument '${p}' is a vector but the value is a scalar`,
            got: formatIrShape(e.shape),
            expected: "scalar",
            span: e.span ?? span,
          });
        }
      }
    }
    const lp = this.ir(() => expansion.build(x, params, span), span);
    return lane !== undefined ? { kind: "expr", expr: lp, lane } : { kind: "expr", expr: lp };
  }

  private target(e: ExprAst, span: SourceSpan, part: "prior" | "likelihood" | undefined): void {
    if (e.kind === "call" && !this.checked.functions.has(e.callee)) {
      const family = densityFamily(e.callee);
      if (family !== undefined && this.families.signature(family) !== undefined && e.args.length > 0) {
        if (part === undefined) {
          this.density(e.args[0]!.value, family, e.args.slice(1), span, e.calleeSpan);
          return;
        }
      }
    }
    this.addFactor(this.evalExpr(e), span, part ?? "likelihood");
  }

  /** `target += value`: per-iteration values are summed over the loop, vectors over elements. */
  private addFactor(v: Value, span: SourceSpan, part: "prior" | "likelihood"): void {
    let e = this.exprOf(v, span);
    const lane = v.kind === "expr" ? v.lane : undefined;
    if (lane !== undefined) {
      if (e.shape.length !== 1) throw new VectorizeFailure("target += of a vector inside the loop", span);
      e = this.ir(() => reduce("sum", e, span), span);
    } else {
      if (e.shape.length > 0) e = this.ir(() => reduce("sum", e, span), span);
      if (this.vector !== undefined) {
        // The same term in every iteration of a vectorised loop: once per iteration.
        const count = this.laneLength(this.vector.lane, span);
        e = this.ir(() => binary("mul", e, count, span), span);
      }
    }
    this.push({ kind: "factor", spec: { expr: e, part, span } });
  }

  private laneLength(lane: Lane, span: SourceSpan): Expr {
    return typeof lane.length === "number" ? constant(lane.length, span) : ref(lane.length, [], "int", span);
  }

  // ============================================================== expressions

  /** The IR expression of a value (the loop variable becomes the vector of its values). */
  private exprOf(v: Value, span: SourceSpan): Expr {
    switch (v.kind) {
      case "expr":
        return v.expr;
      case "lane_index": {
        const { lane, offset } = v;
        if (lane.upper === undefined) {
          throw new VectorizeFailure("the loop variable is used as a number and the loop's bounds are not known", span);
        }
        const values: number[] = [];
        for (let i = lane.lower; i <= lane.upper; i++) values.push(i + offset);
        return constant(values, span);
      }
      case "matrix":
        return this.fail({
          where: `matrix '${v.ref.name}'`,
          what: "matrix data can only be used as the left side of a product with a vector",
          expected: `${v.ref.name} * v`,
          span,
        });
      case "row":
        this.fail({
          where: `row of '${v.ref.name}'`,
          what: "a matrix row can only be used in a product with a vector",
          expected: `${v.ref.name}[n] * v or dot_product(${v.ref.name}[n], v)`,
          span,
        });
    }
  }

  private lanesValue(e: Expr, ...from: Value[]): Value {
    const lane = laneOf(...from);
    return lane !== undefined ? { kind: "expr", expr: e, lane } : { kind: "expr", expr: e };
  }

  evalExpr(e: ExprAst): Value {
    switch (e.kind) {
      case "number":
        return { kind: "expr", expr: constant(e.value, e.span) };
      case "string":
        return this.fail({ where: "expression", what: "strings are only allowed as annotation values", span: e.span });
      case "name":
        return this.readName(e.name, e.span);
      case "unary": {
        if (e.op === "-" && e.arg.kind === "number") return { kind: "expr", expr: constant(-e.arg.value, e.span) };
        const arg = this.evalExpr(e.arg);
        if (e.op === "+") return arg;
        if (e.op === "!") return this.constantLogic(e, [arg], (a) => (a === 0 ? 1 : 0));
        if (arg.kind === "lane_index")
          return this.arith("mul", { kind: "expr", expr: constant(-1, e.span) }, arg, e.span);
        const x = this.exprOf(arg, e.span);
        return this.lanesValue(
          this.ir(() => neg(x, e.span), e.span),
          arg,
        );
      }
      case "binary":
        return this.evalBinary(e);
      case "ternary": {
        const cond = this.condition(e.cond);
        return this.evalExpr(cond ? e.ifTrue : e.ifFalse);
      }
      case "call":
        return this.evalCall(e);
      case "index":
        return this.evalIndex(e);
      case "transpose": {
        const v = this.evalExpr(e.arg);
        if (v.kind === "matrix" || v.kind === "row") {
          this.fail({
            where: "transpose",
            what: "matrix data cannot be transposed",
            hint: "bind the transposed operator as its own data.",
            span: e.span,
          });
        }
        const x = this.exprOf(v, e.span);
        if (x.shape.length !== 1 || (v.kind === "expr" && v.lane !== undefined)) return v;
        return { kind: "expr", expr: x, transposed: !(v.kind === "expr" && v.transposed) };
      }
      case "vector": {
        const values = e.elements.map((x) => this.evalExpr(x));
        if (values.some((v) => v.kind === "lane_index" || (v.kind === "expr" && v.lane !== undefined))) {
          throw new VectorizeFailure("a vector literal of per-iteration values", e.span);
        }
        const exprs = values.map((v, i) => this.exprOf(v, e.elements[i]!.span));
        const numbers = exprs.map((x) => (x.kind === "const" && typeof x.value === "number" ? x.value : undefined));
        if (numbers.every((n) => n !== undefined)) return { kind: "expr", expr: constant(numbers as number[], e.span) };
        return { kind: "expr", expr: this.ir(() => vector(exprs, e.span), e.span) };
      }
    }
  }

  private readName(name: string, span: SourceSpan): Value {
    const v = this.lookup(name);
    if (v === undefined) this.fail({ where: "expression", what: `unknown name '${name}'`, span });
    if (
      this.vector !== undefined &&
      v.depth < this.vector.depth &&
      this.vector.assigned.has(name) &&
      v.kind !== "loop"
    ) {
      throw new VectorizeFailure(`'${name}' is read whole while the loop assigns it`, span);
    }
    if (v.node !== undefined && v.value !== undefined) return withSpan(v.value, span);
    if (v.kind === "loop" || v.kind === "argument") return v.value!;
    if (v.elements === undefined && v.value !== undefined) return v.value;
    return { kind: "expr", expr: this.wholeExpr(v, span) };
  }

  private constantLogic(e: ExprAst, args: Value[], f: (...xs: number[]) => number): Value {
    const xs = args.map((a) => {
      if (this.vector !== undefined && (a.kind === "lane_index" || (a.kind === "expr" && a.lane !== undefined))) {
        throw new VectorizeFailure("a comparison that changes from one iteration to the next", e.span);
      }
      return a.kind === "expr" ? this.constNumber(a.expr) : undefined;
    });
    if (xs.some((x) => x === undefined)) {
      const parameter = args.flatMap((a) => (a.kind === "expr" ? this.parametersIn(a.expr) : []))[0];
      this.fail({
        where: "expression",
        what: "comparisons and logical operators need values known when the model is built",
        got:
          parameter !== undefined ? `an expression of the parameter '${parameter}'` : "an expression of data not given",
        hint:
          parameter !== undefined
            ? "conditions may use constants and data, not parameters; write a smooth term in target += instead (e.g. log_mix)."
            : "pass the data to parseModel(text, registry, { data }).",
        span: e.span,
      });
    }
    return { kind: "expr", expr: constant(f(...(xs as number[])), e.span) };
  }

  private evalBinary(e: ExprAst & { kind: "binary" }): Value {
    const left = this.evalExpr(e.left);
    const right = this.evalExpr(e.right);
    switch (e.op) {
      case "+":
        return this.arith("add", left, right, e.span);
      case "-":
        return this.arith("sub", left, right, e.span);
      case ".*":
        return this.arith("mul", left, right, e.span);
      case "./":
        return this.arith("div", left, right, e.span);
      case "/":
        return this.arith("div", left, right, e.span);
      case "^":
      case ".^":
        return this.arith("pow", left, right, e.span);
      case "*":
        return this.product(left, right, e);
      default: {
        const op = e.op;
        return this.constantLogic(e, [left, right], (a, b) => {
          const r = applyBinary(op, a, b);
          if (r === undefined)
            this.fail({
              where: `'${op}'`,
              what: "needs two integers, the right one non-zero",
              got: `${a} and ${b}`,
              span: e.span,
            });
          return r;
        });
      }
    }
  }

  /** `*`: matrix × vector is a product, v' × w a dot product, otherwise elementwise with a scalar. */
  private product(left: Value, right: Value, e: ExprAst & { kind: "binary" }): Value {
    if (left.kind === "matrix") {
      const x = this.exprOf(right, e.right.span);
      if (right.kind === "expr" && right.lane !== undefined)
        throw new VectorizeFailure("a matrix times a per-iteration value", e.span);
      return { kind: "expr", expr: this.ir(() => matvec(left.ref, x, e.span), e.span) };
    }
    if (left.kind === "row") return this.rowProduct(left, right, e.span, e.right.span);
    if (right.kind === "matrix" || right.kind === "row") {
      this.fail({
        where: "'*'",
        what: "matrix data must be the left operand",
        expected: "X * v",
        hint: "the IR multiplies matrix data by a vector on its right.",
        span: e.opSpan,
      });
    }
    if (left.kind === "expr" && left.transposed && left.lane === undefined) {
      const b = this.exprOf(right, e.right.span);
      if (right.kind === "expr" && right.lane !== undefined)
        throw new VectorizeFailure("a dot product with a per-iteration value", e.span);
      return { kind: "expr", expr: this.ir(() => dot(left.expr, b, e.span), e.span) };
    }
    const a = this.exprOf(left, e.left.span);
    const b = this.exprOf(right, e.right.span);
    const laneA = left.kind === "lane_index" || (left.kind === "expr" && left.lane !== undefined);
    const laneB = right.kind === "lane_index" || (right.kind === "expr" && right.lane !== undefined);
    const rankA = laneA ? 0 : a.shape.length;
    const rankB = laneB ? 0 : b.shape.length;
    if (rankA > 0 && rankB > 0) {
      this.fail({
        where: "'*'",
        what: "both operands are vectors",
        got: `${formatIrShape(a.shape)} * ${formatIrShape(b.shape)}`,
        hint: "use '.*' for the elementwise product, or dot_product(a, b) (a' * b) for the inner product.",
        span: e.opSpan,
      });
    }
    return this.arith("mul", left, right, e.span);
  }

  private rowProduct(row: Value & { kind: "row" }, right: Value, span: SourceSpan, rightSpan: SourceSpan): Value {
    const x = this.exprOf(right, rightSpan);
    if (right.kind === "expr" && right.lane !== undefined)
      throw new VectorizeFailure("a matrix row times a per-iteration value", span);
    const product = this.ir(() => matvec(row.ref, x, span), span);
    if (row.lane !== undefined) return { kind: "expr", expr: product, lane: row.lane };
    const position = this.knownInteger({ kind: "expr", expr: row.position! }, "a matrix row", span);
    return { kind: "expr", expr: this.ir(() => index(product, position - 1, span), span) };
  }

  /** Elementwise arithmetic, keeping the loop variable symbolic under `+`/`-` by a constant. */
  private arith(op: BinaryOp, left: Value, right: Value, span: SourceSpan): Value {
    if ((op === "add" || op === "sub") && left.kind === "lane_index") {
      const c = right.kind === "expr" && right.lane === undefined ? this.constNumber(right.expr) : undefined;
      if (c !== undefined && Number.isInteger(c)) return { ...left, offset: left.offset + (op === "add" ? c : -c) };
    }
    if (op === "add" && right.kind === "lane_index") {
      const c = left.kind === "expr" && left.lane === undefined ? this.constNumber(left.expr) : undefined;
      if (c !== undefined && Number.isInteger(c)) return { ...right, offset: right.offset + c };
    }
    const a = this.exprOf(left, span);
    const b = this.exprOf(right, span);
    const lane = laneOf(left, right);
    if (lane !== undefined) {
      const aLane = left.kind === "lane_index" || (left.kind === "expr" && left.lane !== undefined);
      const bLane = right.kind === "lane_index" || (right.kind === "expr" && right.lane !== undefined);
      if ((!aLane && a.shape.length > 0) || (!bLane && b.shape.length > 0)) {
        throw new VectorizeFailure("a per-iteration value combined with a whole vector", span);
      }
    }
    const e = this.ir(() => binary(op, a, b, span), span);
    return lane !== undefined ? { kind: "expr", expr: e, lane } : { kind: "expr", expr: e };
  }

  // ---------------------------------------------------------------- indexing

  private evalIndex(e: ExprAst & { kind: "index" }): Value {
    if (e.target.kind === "name" && e.indices.length === 1 && e.indices[0]!.kind === "single") {
      const special = this.readElement(e.target.name, e.indices[0]!.expr, e.span);
      if (special !== undefined) return special;
    }
    const target = this.evalExpr(e.target);
    if (e.indices.length !== 1) {
      this.fail({
        where: "indexing",
        what: target.kind === "matrix" ? "matrix data cannot be indexed by element" : "too many indices",
        got: `${e.indices.length} indices`,
        hint:
          target.kind === "matrix"
            ? "the IR uses matrix data only in products X * v; index the product, (X * v)[i]."
            : "vectors take one index.",
        span: e.span,
      });
    }
    const idx = e.indices[0]!;
    if (idx.kind === "range") return this.slice(target, idx, e.span);
    return this.indexValue(target, this.evalExpr(idx.expr), e.span, idx.expr.span);
  }

  /** Element reads that depend on how a variable is stored (elements, loop overlays). */
  private readElement(name: string, idxAst: ExprAst, span: SourceSpan): Value | undefined {
    const v = this.lookup(name);
    if (v === undefined || v.shape.length !== 1) return undefined;
    const ctx = this.vector;
    if (ctx !== undefined && v.depth < ctx.depth && ctx.assigned.has(name)) {
      const idx = this.evalExpr(idxAst);
      if (idx.kind === "lane_index" && idx.offset === 0 && this.aligned(ctx.lane, 0, v.shape[0]!)) {
        if (v.overlay !== undefined) return v.overlay;
        return { kind: "expr", expr: this.wholeExpr(v, span), lane: ctx.lane };
      }
      throw new VectorizeFailure(
        `'${name}' is read at another position than the one the loop writes (a recurrence)`,
        span,
      );
    }
    if (v.elements !== undefined) {
      const idx = this.evalExpr(idxAst);
      if (idx.kind === "expr" && idx.lane === undefined) {
        const k = this.constNumber(idx.expr);
        if (k !== undefined && Number.isInteger(k)) {
          if (k < 1 || k > v.elements.length) {
            this.fail({
              where: "indexing",
              what: `position ${k} is outside '${name}'`,
              expected: `1 to ${v.elements.length}`,
              span: idxAst.span,
            });
          }
          const el = v.elements[k - 1];
          if (el === undefined)
            this.fail({ where: `'${name}'`, what: `element ${k} is used before it is assigned`, span });
          return { kind: "expr", expr: el };
        }
      }
    }
    return undefined;
  }

  private indexValue(target: Value, idx: Value, span: SourceSpan, idxSpan: SourceSpan): Value {
    if (target.kind === "matrix") {
      if (idx.kind === "lane_index") {
        const size = target.ref.shape[0]!;
        if (idx.offset === 0 && this.aligned(idx.lane, 0, size))
          return { kind: "row", ref: target.ref, lane: idx.lane };
        throw new VectorizeFailure("a loop over only some rows of a matrix", span);
      }
      const p = this.exprOf(idx, idxSpan);
      if (p.shape.length !== 0)
        this.fail({ where: "indexing", what: "matrix rows are selected one at a time", span: idxSpan });
      return { kind: "row", ref: target.ref, position: p };
    }
    if (target.kind === "row") {
      this.fail({
        where: "indexing",
        what: "an element of a matrix row cannot be selected",
        hint: "the IR uses matrix data only in products.",
        span,
      });
    }
    if (target.kind === "lane_index" || target.lane !== undefined) {
      this.fail({ where: "indexing", what: "cannot index a scalar", span });
    }
    const x = target.expr;
    if (x.shape.length !== 1) {
      this.fail({ where: "indexing", what: `cannot index a ${formatIrShape(x.shape)}`, expected: "a vector", span });
    }
    const size = x.shape[0]!;
    if (idx.kind === "lane_index") {
      if (this.aligned(idx.lane, idx.offset, size)) return { kind: "expr", expr: x, lane: idx.lane };
      if (idx.lane.upper === undefined) {
        throw new VectorizeFailure("the loop reads a shifted or partial range and its bounds are not known", span);
      }
      const positions = this.exprOf(idx, idxSpan);
      return { kind: "expr", expr: this.ir(() => gather(x, positions, 1, span), span), lane: idx.lane };
    }
    if (idx.kind !== "expr")
      this.fail({ where: "indexing", what: "an index must be an integer or a vector of integers", span: idxSpan });
    const p = idx.expr;
    if (p.dtype !== "int") {
      this.fail({
        where: "indexing",
        what: "an index must be an integer or a vector of integers",
        got: `${p.dtype} ${formatIrShape(p.shape)}`,
        span: idxSpan,
      });
    }
    if (idx.lane !== undefined || p.shape.length === 1) {
      return this.lanesValue(
        this.ir(() => gather(x, p, 1, span), span),
        idx,
      );
    }
    const k = this.constNumber(p);
    if (k !== undefined) return { kind: "expr", expr: this.ir(() => index(x, k - 1, span), span) };
    // A position known only when data are bound: gather one element and take it.
    const one = this.ir(() => gather(x, vector([p], idxSpan), 1, span), span);
    return { kind: "expr", expr: this.ir(() => index(one, 0, span), span) };
  }

  private slice(target: Value, idx: IndexAst & { kind: "range" }, span: SourceSpan): Value {
    if (target.kind !== "expr" || target.lane !== undefined || target.expr.shape.length !== 1) {
      this.fail({ where: "slice", what: "only vectors can be sliced", span });
    }
    const x = target.expr;
    const size = x.shape[0]!;
    const lo =
      idx.lower !== undefined ? this.knownInteger(this.evalExpr(idx.lower), "the start of a slice", idx.lower.span) : 1;
    if (idx.upper === undefined || this.isSizeExpr(idx.upper, size)) {
      if (lo === 1) return target;
    }
    const n = this.dimValue(size);
    const hi =
      idx.upper !== undefined ? this.knownInteger(this.evalExpr(idx.upper), "the end of a slice", idx.upper.span) : n;
    if (hi === undefined) {
      this.fail({
        where: "slice",
        what: `the end of the slice needs the size '${size}'`,
        hint: "pass the data to parseModel(text, registry, { data }).",
        span,
      });
    }
    if (lo === 1 && n !== undefined && hi === n) return target;
    if (hi < lo) this.fail({ where: "slice", what: "an empty slice", got: `${lo}:${hi}`, span });
    const positions: number[] = [];
    for (let i = lo; i <= hi; i++) positions.push(i);
    return { kind: "expr", expr: this.ir(() => gather(x, constant(positions, span), 1, span), span) };
  }

  private isSizeExpr(e: ExprAst, size: Dim): boolean {
    return e.kind === "name" && e.name === size;
  }

  // ---------------------------------------------------------------- calls

  private evalCall(e: ExprAst & { kind: "call" }): Value {
    const user = this.checked.functions.get(e.callee);
    if (user !== undefined)
      return this.callUser(
        user,
        e.args.map((a) => this.evalExpr(a.value)),
        e.span,
      );
    const family = densityFamily(e.callee);
    if (family !== undefined) {
      const sig = this.families.signature(family)!;
      const lhs = this.evalExpr(e.args[0]!.value);
      const args = this.familyArgs(sig, e.args.slice(1), e.calleeSpan);
      const lp = this.expandDensity(sig, lhs, args, e.span, e.args[0]!.value.span);
      // Stan's _lpdf of a vector is the sum over its elements.
      if (lp.kind === "expr" && lp.lane === undefined && lp.expr.shape.length > 0) {
        return { kind: "expr", expr: this.ir(() => reduce("sum", lp.expr, e.span), e.span) };
      }
      return lp;
    }
    const args = e.args.map((a) => this.evalExpr(a.value));
    const special = this.specialCall(e, args);
    if (special !== undefined) return special;
    const fn = builtinFor(e.callee, args.length)!;
    if (fn.reduction && args.some((a) => a.kind === "lane_index" || (a.kind === "expr" && a.lane !== undefined))) {
      throw new VectorizeFailure(`${e.callee}() of a per-iteration value`, e.span);
    }
    const exprs = args.map((a, i) => this.exprOf(a, e.args[i]!.span));
    const lane = laneOf(...args);
    if (lane !== undefined) this.checkLaneOperands(args, exprs, e.span);
    return this.lanesValue(
      this.ir(() => fn.lower(exprs, e.span), e.span),
      ...args,
    );
  }

  private checkLaneOperands(args: Value[], exprs: Expr[], span: SourceSpan): void {
    args.forEach((a, i) => {
      const isLane = a.kind === "lane_index" || (a.kind === "expr" && a.lane !== undefined);
      if (!isLane && exprs[i]!.shape.length > 0)
        throw new VectorizeFailure("a per-iteration value combined with a whole vector", span);
    });
  }

  private specialCall(e: ExprAst & { kind: "call" }, args: Value[]): Value | undefined {
    const s = e.span;
    const ex = (i: number): Expr => this.exprOf(args[i]!, e.args[i]!.span);
    const isLane = (v: Value): boolean => v.kind === "lane_index" || (v.kind === "expr" && v.lane !== undefined);
    switch (e.callee) {
      case "log_sum_exp": {
        if (args.length === 1) {
          if (isLane(args[0]!)) throw new VectorizeFailure("log_sum_exp() of a per-iteration value", s);
          return { kind: "expr", expr: this.ir(() => reduce("log_sum_exp", ex(0), s), s) };
        }
        // log(e^a + e^b) = a + log1p(e^(b − a)), stable for any a, b.
        const a = ex(0);
        const b = ex(1);
        this.checkLaneOperands(args, [a, b], s);
        const r = this.ir(() => binary("add", a, builtinFor("softplus", 1)!.lower([binary("sub", b, a, s)], s), s), s);
        return this.lanesValue(r, ...args);
      }
      case "log_mix": {
        const [theta, la, lb] = [ex(0), ex(1), ex(2)];
        this.checkLaneOperands(args, [theta, la, lb], s);
        const r = this.ir(() => {
          const a = binary("add", builtinFor("log", 1)!.lower([theta], s), la, s);
          const b = binary("add", builtinFor("log1m", 1)!.lower([theta], s), lb, s);
          return binary("add", a, builtinFor("softplus", 1)!.lower([binary("sub", b, a, s)], s), s);
        }, s);
        return this.lanesValue(r, ...args);
      }
      case "dot_product":
      case "dot": {
        const [a, b] = args as [Value, Value];
        if (a.kind === "row") return this.rowProduct(a, b, s, e.args[1]!.span);
        if (b.kind === "row") return this.rowProduct(b, a, s, e.args[0]!.span);
        if (isLane(a) || isLane(b)) throw new VectorizeFailure("dot_product() of a per-iteration value", s);
        return { kind: "expr", expr: this.ir(() => dot(ex(0), ex(1), s), s) };
      }
      case "dot_self": {
        if (isLane(args[0]!)) throw new VectorizeFailure("dot_self() of a per-iteration value", s);
        const x = ex(0);
        return { kind: "expr", expr: this.ir(() => dot(x, x, s), s) };
      }
      case "gather": {
        const baseValue = args.length === 3 ? this.knownInteger(args[2]!, "the base of gather()", e.args[2]!.span) : 0;
        if (baseValue !== 0 && baseValue !== 1)
          this.fail({ where: "gather()", what: "base must be 0 or 1", got: String(baseValue), span: e.args[2]!.span });
        if (isLane(args[0]!)) throw new VectorizeFailure("gather() from a per-iteration value", s);
        const x = ex(0);
        const idx = ex(1);
        return this.lanesValue(
          this.ir(() => gather(x, idx, baseValue as 0 | 1, s), s),
          args[1]!,
        );
      }
      case "size":
      case "num_elements":
      case "rows":
      case "cols": {
        const v = args[0]!;
        const shape = v.kind === "matrix" || v.kind === "row" ? v.ref.shape : this.exprOf(v, s).shape;
        if (isLane(v)) throw new VectorizeFailure(`${e.callee}() of a per-iteration value`, s);
        let d: Dim | undefined;
        if (e.callee === "cols") d = shape[1];
        else if (e.callee === "num_elements" && shape.length === 2) {
          const r = this.dimValue(shape[0]!);
          const c = this.dimValue(shape[1]!);
          d = r !== undefined && c !== undefined ? r * c : undefined;
        } else d = shape[0];
        if (d === undefined) {
          if (shape.length === 0 && e.callee !== "cols") return { kind: "expr", expr: constant(1, s) };
          this.fail({ where: `${e.callee}()`, what: `not defined for a ${formatIrShape(shape)}`, span: s });
        }
        return { kind: "expr", expr: typeof d === "number" ? constant(d, s) : ref(d, [], "int", s) };
      }
      case "rep_vector": {
        const n = this.knownInteger(args[1]!, "the length of rep_vector()", e.args[1]!.span);
        if (isLane(args[0]!)) throw new VectorizeFailure("rep_vector() of a per-iteration value", s);
        const x = ex(0);
        if (x.shape.length !== 0)
          this.fail({
            where: "rep_vector()",
            what: "repeats a scalar",
            got: formatIrShape(x.shape),
            span: e.args[0]!.span,
          });
        if (n < 1)
          this.fail({
            where: "rep_vector()",
            what: "the length must be at least 1",
            got: String(n),
            span: e.args[1]!.span,
          });
        const c = constantValue(x);
        if (typeof c === "number") return { kind: "expr", expr: constant(new Array<number>(n).fill(c), s) };
        return { kind: "expr", expr: this.ir(() => vector(new Array<Expr>(n).fill(x), s), s) };
      }
      case "min":
      case "max":
        return this.constantLogic(e, args, e.callee === "min" ? Math.min : Math.max);
      default:
        return undefined;
    }
  }

  /** Inlines a user function: arguments bound by value, only functions visible, until `return`. */
  private callUser(fn: FunctionDefAst, args: Value[], span: SourceSpan): Value {
    if (this.callDepth >= MAX_CALL_DEPTH) {
      this.fail({
        where: `${fn.name}()`,
        what: `calls nest more than ${MAX_CALL_DEPTH} deep`,
        hint: "recursive functions are not supported: they are inlined when the model is built.",
        span,
      });
    }
    const savedScopes = this.scopes;
    const savedVector = this.vector;
    this.scopes = [new Map()];
    if (savedVector !== undefined) this.vector = { lane: savedVector.lane, depth: 0, assigned: new Set() };
    this.callDepth++;
    try {
      fn.params.forEach((p, i) => {
        this.define({
          name: p.name,
          kind: "argument",
          shape: [],
          dtype: p.type.base === "int" ? "int" : "real",
          span: p.span,
          value: args[i]!,
        });
      });
      const flow = this.execStatements(fn.body!.body);
      if (fn.returnType.base === "void") return { kind: "expr", expr: constant(0, span) };
      if (flow?.returned === undefined) {
        this.fail({
          where: `${fn.name}()`,
          what: "ended without returning a value",
          hint: "add a return statement on every path.",
          span: fn.nameSpan,
        });
      }
      return flow.returned;
    } finally {
      this.callDepth--;
      this.scopes = savedScopes;
      this.vector = savedVector;
    }
  }

  // ============================================================== emission

  /**
   * Adds the nodes to a GraphBuilder in creation order, except that a node waits for what it
   * uses, and lazy nodes (transformed parameters) are added only just before their first use, or
   * at the end when nothing uses them.
   */
  private emit(): ModelGraph {
    const builder = new GraphBuilder(this.options.name, this.families);
    const defined = new Map<string, Pending>();
    for (const p of this.pending) if (p.kind !== "observed" && p.kind !== "factor") defined.set(p.spec.name!, p);
    const deps = new Map<Pending, Pending[]>();
    for (const p of this.pending) {
      const names = [...new Set(dependencies(p))];
      deps.set(
        p,
        names.map((d) => defined.get(d)).filter((q): q is Pending => q !== undefined && q !== p),
      );
    }
    const byOrder = [...this.pending].sort((a, b) => a.order - b.order);
    const emitted = new Set<Pending>();
    // A node can be added once everything it uses is added or can be added first (lazy nodes).
    const ready = (p: Pending, seen: Set<Pending>): boolean => {
      if (seen.has(p)) return false;
      seen.add(p);
      const ok = deps.get(p)!.every((q) => emitted.has(q) || (isLazy(q) && ready(q, seen)));
      seen.delete(p);
      return ok;
    };
    const add = (p: Pending): void => {
      for (const q of [...deps.get(p)!].sort((a, b) => a.order - b.order)) if (!emitted.has(q)) add(q);
      try {
        addToBuilder(builder, p);
      } catch (e) {
        throw asModelError(e, this.options.text, p.spec.span);
      }
      emitted.add(p);
    };
    for (const pass of ["eager", "lazy"] as const) {
      for (;;) {
        const next = byOrder.find((p) => !emitted.has(p) && (pass === "lazy" || !isLazy(p)) && ready(p, new Set()));
        if (next === undefined) break;
        add(next);
      }
    }
    if (emitted.size < byOrder.length) {
      const stuck = byOrder.filter((p) => !emitted.has(p));
      const names = stuck.map((p) => p.spec.name ?? "target +=").slice(0, 6);
      this.fail({
        where: "model",
        what: `the model refers to itself in a cycle through ${names.map((n) => `'${n}'`).join(", ")}`,
        hint: "a variable's distribution cannot depend on the variable itself.",
        span: stuck[0]!.spec.span,
      });
    }
    return builder.build();
  }
}

function isLazy(p: Pending): boolean {
  return p.kind === "deterministic" && p.lazy;
}

// ================================================================ helpers

const COMPOUND: Readonly<Record<string, BinaryOp>> = { "+=": "add", "-=": "sub", "*=": "mul", "/=": "div" };

const BINARY_EVAL: Readonly<Record<BinaryOp, (a: number, b: number) => number>> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: (a, b) => a ** b,
};

const CALL_EVAL: Readonly<Record<string, (x: number) => number>> = {
  exp: Math.exp,
  log: Math.log,
  log1p: Math.log1p,
  expm1: Math.expm1,
  logistic: (x) => 1 / (1 + Math.exp(-x)),
  softplus: (x) => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x))),
  abs: Math.abs,
  sqrt: Math.sqrt,
};

function laneOf(...values: Value[]): Lane | undefined {
  for (const v of values) {
    if (v.kind === "lane_index") return v.lane;
    if (v.kind === "expr" && v.lane !== undefined) return v.lane;
    if (v.kind === "row" && v.lane !== undefined) return v.lane;
  }
  return undefined;
}

function withSpan(v: Value, span: SourceSpan): Value {
  if (v.kind === "expr" && v.expr.kind === "ref") return { ...v, expr: { ...v.expr, span } };
  if (v.kind === "matrix") return { kind: "matrix", ref: { ...v.ref, span } };
  return v;
}

function isNumberArray(v: unknown): boolean {
  if (ArrayBuffer.isView(v)) return true;
  return Array.isArray(v) && v.every((x) => typeof x === "number");
}

function literalValue(e: ExprAst): number | number[] | undefined {
  if (e.kind === "number") return e.value;
  if (e.kind === "unary" && e.op === "-") {
    const v = literalValue(e.arg);
    return typeof v === "number" ? -v : undefined;
  }
  if (e.kind === "unary" && e.op === "+") return literalValue(e.arg);
  if (e.kind === "vector") {
    const out: number[] = [];
    for (const x of e.elements) {
      const v = literalValue(x);
      if (typeof v !== "number") return undefined;
      out.push(v);
    }
    return out;
  }
  return undefined;
}

function defaultInit(support: Support): number {
  switch (support.kind) {
    case "positive":
      return 1;
    case "lower":
      return support.lower + 1;
    case "upper":
      return support.upper - 1;
    case "interval":
      return 0.5 * (support.lower + support.upper);
    default:
      return 0;
  }
}

function partOf(annotations: readonly AnnotationAst[]): "prior" | "likelihood" | undefined {
  const a = annotations.find((x) => x.name === "part");
  return a?.value?.kind === "string" ? (a.value.value as "prior" | "likelihood") : undefined;
}

/**
 * A declaration's annotations as IR tags. On a parameter, a string `@parameterization` is the
 * latent's parameterization (the printer writes it there); elsewhere it is a tag like any other.
 */
function annotationsOf(
  list: readonly AnnotationAst[],
  latent: boolean,
): { annotations?: Annotations; parameterization?: string } {
  const annotations: Record<string, string | number | boolean> = {};
  let parameterization: string | undefined;
  let any = false;
  for (const a of list) {
    const v = a.value;
    const value =
      v === undefined
        ? true
        : v.kind === "string"
          ? v.value
          : v.kind === "number"
            ? v.value
            : v.kind === "unary" && v.arg.kind === "number"
              ? -v.arg.value
              : v.kind === "name"
                ? v.name === "true"
                : true;
    if (latent && a.name === "parameterization" && typeof value === "string") {
      parameterization = value;
      continue;
    }
    annotations[a.name] = value;
    any = true;
  }
  return { ...(any ? { annotations } : {}), ...(parameterization !== undefined ? { parameterization } : {}) };
}

/** Names assigned anywhere in a statement (the bases of left-hand sides). */
function collectAssigned(s: StmtAst, out: Set<string>): void {
  switch (s.kind) {
    case "assign": {
      let t = s.lhs;
      while (t.kind === "index") t = t.target;
      if (t.kind === "name") out.add(t.name);
      return;
    }
    case "for":
    case "while":
      collectAssigned(s.body, out);
      return;
    case "if":
      collectAssigned(s.thenBranch, out);
      if (s.elseBranch) collectAssigned(s.elseBranch, out);
      return;
    case "block":
      for (const x of s.body) collectAssigned(x, out);
      return;
    default:
      return;
  }
}

/** Number of nodes of an expression tree, counting up to `limit`. */
function exprSize(e: Expr, limit: number): number {
  let count = 0;
  const stack: Expr[] = [e];
  while (stack.length > 0 && count < limit) {
    const x = stack.pop()!;
    count++;
    switch (x.kind) {
      case "unary":
      case "call":
      case "reduce":
      case "index":
        stack.push(x.arg);
        break;
      case "binary":
      case "dot":
        stack.push(x.left, x.right);
        break;
      case "gather":
        stack.push(x.arg, x.index);
        break;
      case "matvec":
        stack.push(x.vector);
        break;
      case "vector":
        stack.push(...x.elements);
        break;
      default:
        break;
    }
  }
  return count;
}

function dependencies(p: Pending): string[] {
  const dims = (shape: IrShape | undefined): string[] =>
    (shape ?? []).filter((d): d is string => typeof d === "string");
  switch (p.kind) {
    case "data":
      return dims(p.spec.shape);
    case "hyper":
      return dims(p.spec.shape);
    case "latent":
      return [...dims(p.spec.shape), ...Object.values(p.spec.args).flatMap(referencedNames)];
    case "observed":
      return [p.spec.name, ...Object.values(p.spec.args).flatMap(referencedNames)];
    case "deterministic":
      return referencedNames(p.spec.expr);
    case "factor":
      return referencedNames(p.spec.expr);
  }
}

function addToBuilder(b: GraphBuilder, p: Pending): void {
  switch (p.kind) {
    case "data":
      b.data(p.spec);
      return;
    case "hyper":
      b.hyper(p.spec);
      return;
    case "latent":
      b.latent(p.spec);
      return;
    case "observed":
      b.observed(p.spec);
      return;
    case "deterministic":
      b.deterministic(p.spec);
      return;
    case "factor":
      b.factor(p.spec);
      return;
  }
}
