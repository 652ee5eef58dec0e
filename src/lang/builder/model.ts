/**
 * `model(name, body, { families })`: write a model as a TypeScript function. The body receives
 * the declaration functions (`data`, `param`, `hyper`, `observe`, `deterministic`, `factor`);
 * every declaration is checked as it is made (names, families, argument names, shapes, supports
 * of literal arguments), with errors pointing at the line of the model that made them. The
 * result is a frozen {@link ModelGraph}.
 * @module lang/builder/model
 */
import { ModelError } from "../../core/errors.js";
import type { SignatureLookup } from "../../core/family.js";
import type { SourceSpan } from "../../core/span.js";
import type { Support } from "../../core/support.js";
import { GraphBuilder } from "../../ir/builder.js";
import { formatIrShape } from "../../ir/expr.js";
import type { Annotations, Dim, ModelGraph, RefExpr } from "../../ir/types.js";
import type { Dist } from "./families.js";
import { callerSpan } from "./span.js";
import {
  type DimLike,
  IntScalar,
  IntVector,
  Matrix,
  type RealLike,
  Scalar,
  type ScalarLike,
  toExpr,
  Vector,
} from "./values.js";

/**
 * Bounds for a declaration, as in Stan's `<lower=…, upper=…>`.
 *
 * @example
 * ```ts
 * const b: Bounds = { lower: 0 };
 * ```
 */
export interface Bounds {
  readonly lower?: number;
  readonly upper?: number;
}

/**
 * Options of `param`. `size` makes the variable a vector of that length (its arguments
 * broadcast); `lower`/`upper` declare a constraint narrower than the family's support (Stan's
 * `real<lower=0> sigma; sigma ~ normal(0, 1)`); `annotations` and `parameterization` tag it for
 * rewrites and backends.
 *
 * @example
 * ```ts
 * param("beta", normal({ loc: 0, scale: 1 }), { size: D });
 * ```
 */
export interface ParamOptions {
  /**
   * Lower bound: a number, or a value computed from data, hyper-parameters and parameters
   * declared before this one (a scalar, or a vector of the parameter's size), e.g.
   * `param("beta1", uniform({ lower: 0, upper: 1 }), { lower: 0, upper: alpha1.neg().add(1) })`.
   */
  readonly lower?: RealLike;
  /** Upper bound, as `lower`. */
  readonly upper?: RealLike;
  readonly size?: DimLike;
  readonly annotations?: Annotations;
  readonly parameterization?: string;
}

/**
 * Options of `hyper`; `annotations` tag it for backends (sparse priors mark their precisions).
 *
 * @example
 * ```ts
 * hyper("gamma", { init: 1, lower: 0, size: D });
 * ```
 */
export interface HyperOptions extends Bounds {
  readonly init: number | readonly number[];
  readonly size?: DimLike;
  readonly annotations?: Annotations;
}

/**
 * Options of `deterministic`: `annotations` tag it for backends (a non-centred sparse prior
 * marks its coefficient vector with `role: "value"`).
 *
 * @example
 * ```ts
 * deterministic("beta", z.mul(tau), { annotations: { prior: "horseshoe", group: "beta", role: "value" } });
 * ```
 */
export interface DeterministicOptions {
  readonly annotations?: Annotations;
}

/**
 * Options of `factor`: an optional name, and whether the term counts as prior or likelihood
 * (default) in the compiled model's split.
 *
 * @example
 * ```ts
 * factor(penalty, { part: "prior" });
 * ```
 */
export interface FactorOptions {
  readonly name?: string;
  readonly part?: "prior" | "likelihood";
}

/**
 * Data declarations. Data are bound when the model is compiled, and validated against these
 * declarations.
 *
 * @example
 * ```ts
 * const J = data.int("J", { lower: 0 });
 * const y = data.vector("y", J);
 * ```
 */
export interface DataDeclarations {
  /** An integer scalar (also usable as a size). */
  int(name: string, bounds?: Bounds): IntScalar;
  /** A real scalar. */
  real(name: string, bounds?: Bounds): Scalar;
  /** A real vector. */
  vector(name: string, size: DimLike, bounds?: Bounds): Vector;
  /** An integer vector (counts, 0/1 outcomes). */
  ints(name: string, size: DimLike, bounds?: Bounds): IntVector;
  /**
   * An integer vector of positions for `gather`: `base: 1` for Stan-style 1-based data (values
   * 1..n), `base: 0` (default) for 0-based.
   */
  index(name: string, size: DimLike, options?: { readonly base?: 0 | 1 }): IntVector;
  /** A real matrix: bound as an array of rows, a row-major Float64Array or a LinearOperator. */
  matrix(name: string, rows: DimLike, cols: DimLike): Matrix;
}

/**
 * What a model body receives.
 *
 * @example
 * ```ts
 * model("m", ({ data, param, observe }) => { ... }, { families: registry });
 * ```
 */
export interface ModelContext {
  /** Data declarations. */
  readonly data: DataDeclarations;
  /** A latent variable `name ~ dist`; a vector when `size` is given or an argument is a vector. */
  param(name: string, dist: Dist, options: ParamOptions & { readonly size: DimLike }): Vector;
  param<R extends "scalar" | "vector">(
    name: string,
    dist: Dist<R>,
    options?: ParamOptions,
  ): R extends "vector" ? Vector : Scalar;
  /** A point-estimated hyper-parameter. */
  hyper(name: string, options: HyperOptions & { readonly size: DimLike }): Vector;
  hyper(name: string, options: HyperOptions): Scalar;
  /** `value ~ dist` for declared data. */
  observe(value: Scalar | Vector, dist: Dist): void;
  /** A named function of other values (kept for read-out, printed in `transformed parameters`). */
  deterministic(name: string, value: Scalar, options?: DeterministicOptions): Scalar;
  deterministic(name: string, value: Vector, options?: DeterministicOptions): Vector;
  /** `target += value`. */
  factor(value: ScalarLike, options?: FactorOptions): void;
}

/**
 * Options of {@link model}.
 *
 * @example
 * ```ts
 * const options: ModelOptions = { families: createDefaultRegistry() };
 * ```
 */
export interface ModelOptions {
  /** Signatures of the families the model may use (the runtime's Registry). */
  readonly families: SignatureLookup;
}

/**
 * Builds a model graph from a TypeScript function.
 *
 * @param name - the model's name
 * @param body - declares the model using the context it receives
 * @param options - the family registry
 * @returns the frozen, validated graph
 * @example
 * ```ts
 * const eightSchools = model("eight_schools", ({ data, param, observe, deterministic }) => {
 *   const J = data.int("J", { lower: 0 });
 *   const y = data.vector("y", J);
 *   const sigma = data.vector("sigma", J, { lower: 0 });
 *   const mu = param("mu", normal({ loc: 0, scale: 5 }));
 *   const tau = param("tau", halfCauchy({ scale: 5 }));
 *   const z = param("theta_trans", normal({ loc: 0, scale: 1 }), { size: J });
 *   const theta = deterministic("theta", z.mul(tau).add(mu));
 *   observe(y, normal({ loc: theta, scale: sigma }));
 * }, { families: createDefaultRegistry() });
 * ```
 */
export function model(name: string, body: (m: ModelContext) => void, options: ModelOptions): ModelGraph {
  if (options === undefined || options.families === undefined) {
    throw new ModelError({
      where: `model '${name}'`,
      what: "no family registry given",
      hint: "pass { families: createDefaultRegistry() } as the third argument.",
      span: callerSpan(),
    });
  }
  const b = new GraphBuilder(name, options.families);
  const dataNames = new Set<string>();

  const shapeOf = (size: DimLike | undefined, span: SourceSpan | undefined): Dim[] =>
    size === undefined ? [] : [dimOf(size, span)];

  const data: DataDeclarations = {
    int(dataName, bounds) {
      const span = callerSpan();
      const ref = b.data({ name: dataName, shape: [], dtype: "int", support: intSupport(bounds), span });
      dataNames.add(dataName);
      return new IntScalar(ref);
    },
    real(dataName, bounds) {
      const span = callerSpan();
      const support = realSupport(bounds);
      const ref = b.data({ name: dataName, shape: [], ...(support ? { support } : {}), span });
      dataNames.add(dataName);
      return new Scalar(ref);
    },
    vector(dataName, size, bounds) {
      const span = callerSpan();
      const support = realSupport(bounds);
      const ref = b.data({ name: dataName, shape: shapeOf(size, span), ...(support ? { support } : {}), span });
      dataNames.add(dataName);
      return new Vector(ref);
    },
    ints(dataName, size, bounds) {
      const span = callerSpan();
      const ref = b.data({
        name: dataName,
        shape: shapeOf(size, span),
        dtype: "int",
        support: intSupport(bounds),
        span,
      });
      dataNames.add(dataName);
      return new IntVector(ref, 0);
    },
    index(dataName, size, opts) {
      const span = callerSpan();
      const base = opts?.base ?? 0;
      const ref = b.data({
        name: dataName,
        shape: shapeOf(size, span),
        dtype: "int",
        support: { kind: "integer", lower: base },
        span,
      });
      dataNames.add(dataName);
      return new IntVector(ref, base);
    },
    matrix(dataName, rows, cols) {
      const span = callerSpan();
      const ref = b.data({ name: dataName, shape: [dimOf(rows, span), dimOf(cols, span)], span });
      dataNames.add(dataName);
      return new Matrix(ref);
    },
  };

  function param(paramName: string, d: Dist, opts?: ParamOptions): Scalar | Vector {
    const span = callerSpan();
    checkDist(d, `param '${paramName}'`, span);
    const lower = opts?.lower;
    const upper = opts?.upper;
    // Number bounds are a static support; a computed one makes both expressions the IR checks.
    const computed =
      (lower !== undefined && typeof lower !== "number") || (upper !== undefined && typeof upper !== "number");
    const support = computed ? undefined : realSupport(opts as Bounds | undefined);
    const bounds = computed
      ? {
          ...(lower !== undefined ? { lower: toExpr(lower, span) } : {}),
          ...(upper !== undefined ? { upper: toExpr(upper, span) } : {}),
        }
      : undefined;
    const ref = b.latent({
      name: paramName,
      family: d.family,
      args: d.args,
      ...(opts?.size !== undefined ? { shape: shapeOf(opts.size, span) } : {}),
      ...(support ? { support } : {}),
      ...(bounds ? { bounds } : {}),
      ...(opts?.annotations ? { annotations: opts.annotations } : {}),
      ...(opts?.parameterization !== undefined ? { parameterization: opts.parameterization } : {}),
      span,
    });
    return valueFromRef(ref);
  }

  function hyper(hyperName: string, opts: HyperOptions): Scalar | Vector {
    const span = callerSpan();
    const ref = b.hyper({
      name: hyperName,
      shape: shapeOf(opts?.size, span),
      support: realSupport(opts) ?? { kind: "real" },
      init: opts?.init,
      ...(opts?.annotations ? { annotations: opts.annotations } : {}),
      span,
    });
    return valueFromRef(ref);
  }

  const context: ModelContext = {
    data,
    param: param as ModelContext["param"],
    hyper: hyper as ModelContext["hyper"],
    observe(value, d) {
      const span = callerSpan();
      const target = value?.expr;
      if (target?.kind !== "ref" || !dataNames.has(target.name)) {
        throw new ModelError({
          where: "observe()",
          what: target?.kind === "ref" ? `'${target.name}' is not data` : "only declared data can be observed",
          got: target?.kind === "ref" ? `'${target.name}'` : "an expression",
          expected: "a value from data.vector(), data.real(), data.ints()…",
          hint: "to add an arbitrary log-density term, use factor().",
          span,
        });
      }
      checkDist(d, `observe '${target.name}'`, span);
      b.observed({ name: target.name, family: d.family, args: d.args, span });
    },
    deterministic: ((detName: string, value: Scalar | Vector, opts?: DeterministicOptions): Scalar | Vector => {
      const span = callerSpan();
      const ref = b.deterministic({
        name: detName,
        expr: toExpr(value, span),
        ...(opts?.annotations ? { annotations: opts.annotations } : {}),
        span,
      });
      return valueFromRef(ref);
    }) as ModelContext["deterministic"],
    factor(value, opts) {
      const span = callerSpan();
      b.factor({
        expr: toExpr(value, span),
        ...(opts?.name ? { name: opts.name } : {}),
        ...(opts?.part ? { part: opts.part } : {}),
        span,
      });
    },
  };
  body(context);
  return b.build();
}

function valueFromRef(ref: RefExpr): Scalar | Vector {
  if (ref.shape.length === 0) return new Scalar(ref);
  return new Vector(ref);
}

function dimOf(size: DimLike, span: SourceSpan | undefined): Dim {
  if (typeof size === "number") return size;
  if (size instanceof IntScalar) return size.dim;
  throw new ModelError({
    where: "size",
    what: "a size must be a number or integer data",
    got:
      (size as unknown) instanceof Scalar
        ? `a ${formatIrShape((size as unknown as Scalar).expr.shape)} expression`
        : typeof size,
    expected: "a number or data.int(...)",
    span,
  });
}

function checkDist(d: Dist, where: string, span: SourceSpan | undefined): void {
  if (d === null || typeof d !== "object" || typeof d.family !== "string" || typeof d.args !== "object") {
    throw new ModelError({
      where,
      what: "expected a distribution",
      got: typeof d,
      expected: "e.g. normal({ loc: 0, scale: 1 })",
      span,
    });
  }
}

function realSupport(bounds: Bounds | undefined): Support | undefined {
  const lower = bounds?.lower;
  const upper = bounds?.upper;
  if (lower !== undefined && upper !== undefined) return { kind: "interval", lower, upper };
  if (lower !== undefined) return { kind: "lower", lower };
  if (upper !== undefined) return { kind: "upper", upper };
  return undefined;
}

function intSupport(bounds: Bounds | undefined): Support {
  return {
    kind: "integer",
    ...(bounds?.lower !== undefined ? { lower: bounds.lower } : {}),
    ...(bounds?.upper !== undefined ? { upper: bounds.upper } : {}),
  };
}
