/**
 * What every sparse prior shares: the value type it returns, the annotation scheme that lets
 * EM and variational backends find a hierarchy's pieces again, option checking, and the small
 * expression helpers (constant gathers, the non-centred value) the expansions are written with.
 *
 * Every prior expands into ordinary nodes through the public model context (`param`, `hyper`,
 * `deterministic`), so samplers see the full hierarchy. Nodes are named `<group>_<part>`
 * (`beta_tau`, `beta_lambda`, `beta_z`); the value itself is named `<group>`. Every node the
 * prior creates — latents, hyper-parameters and deterministic nodes — carries
 * `annotations = { prior, group, role }`: point-estimated precisions have role `precision`, a
 * non-centred value (a deterministic x = z · scale) role `value`. The latents holding the
 * coefficients also carry the prior's settings and name the hierarchy's hyper-parameters
 * (`hypers: "beta_alpha"`), so one member describes the whole hierarchy.
 * @module lang/builder/priors/common
 */
import { DomainError, describeValue, ModelError } from "../../../core/errors.js";
import type { SourceSpan } from "../../../core/span.js";
import * as ir from "../../../ir/expr.js";
import { closestName } from "../../../ir/suggest.js";
import type { Annotations } from "../../../ir/types.js";
import { gamma, normal } from "../families.js";
import type { ModelContext } from "../model.js";
import { callerSpan } from "../span.js";
import { type DimLike, IntScalar, Scalar, type ScalarLike, Vector } from "../values.js";

/**
 * The part of a model body's context a prior needs: it declares latents, hyper-parameters and
 * deterministic nodes exactly as user code would.
 *
 * @example
 * ```ts
 * model("m", (m) => { horseshoe(m, "beta", { size: 10 }); }, { families });
 * ```
 */
export type PriorContext = Pick<ModelContext, "param" | "hyper" | "deterministic">;

/**
 * How the value of a Gaussian scale mixture is written: `centered` draws x ~ normal(0, scale)
 * directly; `noncentered` draws z ~ normal(0, 1) and defines x = z · scale as a deterministic
 * node, which removes the funnel between x and its scales that stalls gradient samplers when the
 * data are weak.
 *
 * @example
 * ```ts
 * const p: Parameterization = "noncentered";
 * ```
 */
export type Parameterization = "centered" | "noncentered";

/**
 * The role a node plays in its hierarchy (the `role` annotation).
 *
 * - `value`: the coefficients x (centred form);
 * - `standardized`: z ~ normal(0, 1) with x = z · scale (non-centred form);
 * - `local_scale`, `global_scale`: per-coefficient and shared scales (horseshoe family);
 * - `slab_variance`: c² of the regularized horseshoe;
 * - `variance`, `precision`: per-coefficient mixing variance or precision (precision also for
 *   ARD-type hyper-priors, per coefficient, per block or per Kronecker factor);
 * - `inclusion`, `inclusion_logit`, `inclusion_probability`: the discrete indicator, its relaxed
 *   logit and the prior inclusion probability of a spike-and-slab;
 * - `support`: the support indicators of the Turbo-VBI prior.
 *
 * @example
 * ```ts
 * const r: SparsePriorRole = "local_scale";
 * ```
 */
export type SparsePriorRole =
  | "value"
  | "standardized"
  | "local_scale"
  | "global_scale"
  | "slab_variance"
  | "variance"
  | "precision"
  | "inclusion"
  | "inclusion_logit"
  | "inclusion_probability"
  | "support";

/**
 * The value a sparse prior returns: the coefficient vector (usable anywhere a Vector is), plus
 * the hierarchy's name, group, parameterization and its other nodes by part name.
 *
 * @example
 * ```ts
 * const beta = horseshoe(m, "beta", { size: D });
 * const eta = X.matvec(beta);         // a Vector
 * const tau = beta.parts.tau;         // the global scale, a Scalar
 * ```
 */
export class SparsePriorValue<P extends object> extends Vector {
  /**
   * @param expr - reference to the value node
   * @param prior - the prior's name (`annotations.prior`)
   * @param group - the value's name (`annotations.group`)
   * @param parameterization - how the value was written
   * @param parts - the hierarchy's other nodes
   */
  constructor(
    expr: Vector["expr"],
    readonly prior: string,
    readonly group: string,
    readonly parameterization: Parameterization,
    readonly parts: P,
  ) {
    super(expr);
  }
}

/**
 * Options every Gaussian-scale-mixture prior of a vector of free length takes.
 *
 * @example
 * ```ts
 * const o: VectorPriorOptions = { size: D, parameterization: "centered" };
 * ```
 */
export interface VectorPriorOptions {
  /** Length of the coefficient vector: a number or integer data (`data.int("D")`). */
  readonly size: DimLike;
  /** Centred or non-centred value (each prior documents its default). */
  readonly parameterization?: Parameterization;
}

/**
 * A Gamma(shape, rate) hyper-prior on precisions. Without one, ARD-type precisions are
 * point-estimated hyper-parameters (type-II maximum likelihood, as EM-SBL does).
 *
 * @example
 * ```ts
 * const h: GammaHyperprior = { shape: 1, rate: 1 };
 * ```
 */
export interface GammaHyperprior {
  readonly shape: ScalarLike;
  readonly rate: ScalarLike;
}

/**
 * Prior-specific annotation values (settings such as degrees of freedom or block sizes) stamped
 * on the latents that hold the coefficients.
 *
 * @example
 * ```ts
 * const extra: Extra = { local_df: 1, slab_scale: 2 };
 * ```
 */
export type Extra = Readonly<Record<string, string | number | boolean>>;

/**
 * Declares the nodes of one hierarchy with consistent names and annotations.
 *
 * @example
 * ```ts
 * const h = new HierarchyBuilder(m, "horseshoe", "beta", "noncentered", { local_df: 1 }, span);
 * const tau = h.latent("tau", "global_scale", halfCauchy({ scale: 1 }));
 * ```
 */
export class HierarchyBuilder {
  private readonly hyperNames: string[] = [];

  /**
   * @param m - the model context
   * @param prior - the prior's name
   * @param group - the value's name
   * @param parameterization - centred or non-centred value
   * @param extra - prior-specific annotations stamped on every latent
   * @param span - the user's call site, for errors
   */
  constructor(
    private readonly m: PriorContext,
    readonly prior: string,
    readonly group: string,
    readonly parameterization: Parameterization,
    private readonly extra: Extra,
    readonly span: SourceSpan | undefined,
  ) {}

  /**
   * The annotations of a member with this role. The latents holding the coefficients (`value`,
   * `standardized`) also carry the prior's settings and the names of its hyper-parameters, so
   * one member describes the whole hierarchy and the others stay short.
   */
  annotations(role: SparsePriorRole, more: Extra = {}): Annotations {
    const anchor = role === "value" || role === "standardized";
    return {
      prior: this.prior,
      group: this.group,
      role,
      ...(anchor ? this.extra : {}),
      ...(anchor && this.hyperNames.length > 0 ? { hypers: this.hyperNames.join(",") } : {}),
      ...more,
    };
  }

  /** A latent `<group>_<suffix>` (or `<group>` for an empty suffix) with its annotations. */
  latent(
    suffix: string,
    role: SparsePriorRole,
    dist: Parameters<PriorContext["param"]>[1],
    options: { readonly size?: DimLike; readonly lower?: number; readonly upper?: number; readonly more?: Extra } = {},
  ): Scalar | Vector {
    const { more, ...bounds } = options;
    const parameterization =
      role === "value" || role === "standardized" ? { parameterization: this.parameterization } : {};
    return this.m.param(this.nameOf(suffix), dist, {
      ...bounds,
      annotations: this.annotations(role, more),
      ...parameterization,
    }) as Scalar | Vector;
  }

  /**
   * A positive point-estimated hyper-parameter `<group>_<suffix>` with its annotations (role
   * `precision` unless told), also remembered in the anchor's `hypers` annotation.
   */
  hyper(
    suffix: string,
    size: DimLike | undefined,
    init: number | readonly number[],
    role: SparsePriorRole = "precision",
  ): Scalar | Vector {
    const name = this.nameOf(suffix);
    this.hyperNames.push(name);
    const annotations = this.annotations(role);
    if (size === undefined) return this.m.hyper(name, { init, lower: 0, annotations });
    return this.m.hyper(name, { init, lower: 0, size, annotations });
  }

  /**
   * A deterministic `<group>_<suffix>` with its annotations; `<group>` itself (empty suffix) is
   * the hierarchy's value and gets role `value` unless told otherwise.
   */
  deterministic<T extends Scalar | Vector>(suffix: string, value: T, role?: SparsePriorRole): T {
    const name = this.nameOf(suffix);
    const tag = role ?? (suffix === "" ? "value" : undefined);
    const options = {
      annotations: tag !== undefined ? this.annotations(tag) : { prior: this.prior, group: this.group },
    };
    return (
      value instanceof Vector
        ? this.m.deterministic(name, value, options)
        : this.m.deterministic(name, value as Scalar, options)
    ) as T;
  }

  /**
   * The coefficient vector x with the given standard deviation: centred `x ~ normal(0, scale)`,
   * or non-centred `z ~ normal(0, 1)`, `x = z · scale`.
   */
  value(scale: Scalar | Vector, size: DimLike): { value: Vector; z?: Vector } {
    if (this.parameterization === "centered") {
      const value = this.latent("", "value", normal({ loc: 0, scale }), { size }) as Vector;
      return { value };
    }
    const z = this.latent("z", "standardized", normal({ loc: 0, scale: 1 }), { size }) as Vector;
    const value = this.deterministic("", z.mul(scale));
    return { value, z };
  }

  /** Wraps the value node with the hierarchy's identity and parts. */
  result<P extends object>(value: Vector, parts: P): SparsePriorValue<P> {
    return new SparsePriorValue(value.expr, this.prior, this.group, this.parameterization, parts);
  }

  private nameOf(suffix: string): string {
    return suffix === "" ? this.group : `${this.group}_${suffix}`;
  }
}

/**
 * Checks a prior's call: the group name is a string, the options an object with known keys only
 * (a misspelt option would otherwise be silently ignored), and the parameterization valid.
 *
 * @returns the parameterization to use
 * @example
 * ```ts
 * const p = checkCall("horseshoe", "beta", options, ["size", "parameterization"], "noncentered", span);
 * ```
 */
export function checkCall(
  prior: string,
  group: unknown,
  options: unknown,
  known: readonly string[],
  defaultParameterization: Parameterization,
  span: SourceSpan | undefined,
): Parameterization {
  if (typeof group !== "string") {
    throw new ModelError({
      where: `${prior}()`,
      what: "the first argument after the context must be the value's name",
      got: describeValue(group),
      expected: "a string",
      span,
    });
  }
  const where = whereOf(prior, group);
  if (options === null || typeof options !== "object") {
    throw new ModelError({
      where,
      what: "options must be an object",
      got: describeValue(options),
      expected: `an object with keys ${known.join(", ")}`,
      span,
    });
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      const close = closestName(key, known);
      throw new ModelError({
        where,
        what: `unknown option '${key}'`,
        expected: `one of ${known.map((k) => `'${k}'`).join(", ")}`,
        hint: close !== undefined ? `did you mean '${close}'?` : undefined,
        span,
      });
    }
  }
  const p = (options as { parameterization?: unknown }).parameterization ?? defaultParameterization;
  if (p !== "centered" && p !== "noncentered") {
    throw new ModelError({
      where,
      what: "unknown parameterization",
      got: describeValue(p),
      expected: "'centered' or 'noncentered'",
      span,
    });
  }
  return p;
}

/**
 * `horseshoe('beta')`: the `where` of a prior's errors.
 *
 * @example
 * ```ts
 * whereOf("horseshoe", "beta"); // "horseshoe('beta')"
 * ```
 */
export function whereOf(prior: string, group: string): string {
  return `${prior}('${group}')`;
}

/**
 * Checks a numeric option against bounds, or accepts a model value (whose support is the user's
 * responsibility, as for any family argument).
 *
 * @example
 * ```ts
 * checkReal(where, "slabScale", 2, { positive: true }, span);
 * ```
 */
export function checkReal(
  where: string,
  name: string,
  value: unknown,
  bounds: {
    readonly positive?: boolean;
    readonly lower?: number;
    readonly upper?: number;
    readonly open?: boolean;
    readonly allowInfinity?: boolean;
    readonly model?: boolean;
  },
  span: SourceSpan | undefined,
): void {
  if (value instanceof Scalar && bounds.model !== false) return;
  const finiteOk =
    typeof value === "number" &&
    (Number.isFinite(value) || (bounds.allowInfinity === true && value === Number.POSITIVE_INFINITY));
  let ok = finiteOk;
  const v = value as number;
  if (ok && bounds.positive) ok = v > 0;
  if (ok && bounds.lower !== undefined) ok = bounds.open ? v > bounds.lower : v >= bounds.lower;
  if (ok && bounds.upper !== undefined) ok = bounds.open ? v < bounds.upper : v <= bounds.upper;
  if (!ok) {
    const range = [
      bounds.positive ? "positive" : undefined,
      bounds.lower !== undefined ? `${bounds.open ? ">" : "≥"} ${bounds.lower}` : undefined,
      bounds.upper !== undefined ? `${bounds.open ? "<" : "≤"} ${bounds.upper}` : undefined,
    ]
      .filter((s) => s !== undefined)
      .join(" and ");
    throw new DomainError({
      where,
      what: `option '${name}' is out of range`,
      got: describeValue(value),
      expected:
        `${typeof value === "number" ? "" : "a number "}${range || "finite"}${bounds.model === false ? "" : " (or a model value)"}`.trim(),
      span,
    });
  }
}

/**
 * A size that must be known when the model is built (structured priors derive index vectors from
 * it).
 *
 * @example
 * ```ts
 * const n = numericSize(where, "size", 16, span);
 * ```
 */
export function numericSize(where: string, name: string, value: unknown, span: SourceSpan | undefined): number {
  if (typeof value === "number" && Number.isInteger(value) && value >= 1) return value;
  throw new ModelError({
    where,
    what: `option '${name}' must be a literal positive integer`,
    got: value instanceof IntScalar ? `integer data '${value.dim}'` : describeValue(value),
    expected: "an integer ≥ 1",
    hint:
      value instanceof IntScalar
        ? "this prior builds index vectors when the model is built, so its sizes must be numbers."
        : undefined,
    span,
  });
}

/**
 * Checks a `size` option: a positive integer or integer data.
 *
 * @example
 * ```ts
 * checkSize(where, D, span);
 * ```
 */
export function checkSize(where: string, size: unknown, span: SourceSpan | undefined): void {
  if (size instanceof IntScalar) return;
  numericSize(where, "size", size, span);
}

/**
 * A scalar model value for a number or a model value.
 *
 * @example
 * ```ts
 * scalarOf(2).mul(tau);
 * ```
 */
export function scalarOf(v: ScalarLike): Scalar {
  return v instanceof Scalar ? v : new Scalar(ir.constant(v));
}

/**
 * `arg[index]` for a literal 0-based index vector: how the structured priors spread per-block or
 * per-factor quantities over coefficients.
 *
 * @example
 * ```ts
 * const perCoefficient = gatherConstant(alpha, [0, 0, 1, 1]);
 * ```
 */
export function gatherConstant(arg: Vector, index: readonly number[]): Vector {
  return new Vector(ir.gather(arg.expr, ir.constant(index), 0, callerSpan()));
}

/**
 * A literal vector (masks and coefficients of the structured priors).
 *
 * @example
 * ```ts
 * const mask = constantVector([0, 1, 1]);
 * ```
 */
export function constantVector(values: readonly number[]): Vector {
  return new Vector(ir.constant(values, callerSpan()));
}

/**
 * `x^(-1/2)`: the standard deviation of a Gaussian with precision x.
 *
 * @example
 * ```ts
 * const sd = inverseSqrt(alpha);
 * ```
 */
export function inverseSqrt<T extends Scalar | Vector>(x: T): T {
  return (x as Vector).pow(-0.5) as T;
}

/**
 * The precision vector of an ARD-type prior: a hyper-parameter (point-estimated) or, with a
 * Gamma hyper-prior, a latent.
 *
 * @example
 * ```ts
 * const alpha = precisionNode(h, "alpha", 8, options.hyperprior, options.init, where, span);
 * ```
 */
export function precisionNode(
  h: HierarchyBuilder,
  suffix: string,
  size: DimLike,
  hyperprior: GammaHyperprior | undefined,
  init: number | readonly number[] | undefined,
  where: string,
  span: SourceSpan | undefined,
): Vector {
  if (hyperprior === undefined) return h.hyper(suffix, size, init ?? 1) as Vector;
  if (init !== undefined) {
    throw new ModelError({
      where,
      what: "option 'init' only applies to point-estimated precisions",
      hint: "drop 'init', or drop 'hyperprior' to estimate the precisions as hyper-parameters.",
      span,
    });
  }
  if (hyperprior === null || typeof hyperprior !== "object") {
    throw new ModelError({
      where,
      what: "option 'hyperprior' must be an object",
      got: describeValue(hyperprior),
      expected: "{ shape, rate }",
      span,
    });
  }
  checkReal(where, "hyperprior.shape", hyperprior.shape, { positive: true }, span);
  checkReal(where, "hyperprior.rate", hyperprior.rate, { positive: true }, span);
  return h.latent(suffix, "precision", gamma({ shape: hyperprior.shape, rate: hyperprior.rate }), { size }) as Vector;
}

/**
 * Checks the `init` of a precision hyper-parameter.
 *
 * @example
 * ```ts
 * checkInit(where, options.init, 16, span);
 * ```
 */
export function checkInit(where: string, init: unknown, size: number | undefined, span: SourceSpan | undefined): void {
  if (init === undefined) return;
  const values = typeof init === "number" ? [init] : Array.isArray(init) ? (init as unknown[]) : undefined;
  const ok =
    values?.every((v) => typeof v === "number" && Number.isFinite(v) && v > 0) === true &&
    (typeof init === "number" || size === undefined || values.length === size);
  if (!ok) {
    throw new DomainError({
      where,
      what: "option 'init' must give positive precisions",
      got: describeValue(init),
      expected: `a positive number${size !== undefined ? ` or ${size} positive numbers` : ""}`,
      span,
    });
  }
}
