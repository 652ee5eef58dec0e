import { describeValue, ModelError } from "../../core/errors.js";
import type { FamilySignature, SignatureLookup } from "../../core/family.js";
import type { Distribution } from "./distribution.js";
import { suggestName } from "./suggest.js";

const SNAKE_CASE = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/;
const WHERE = "registry";

/**
 * The set of distribution families a model may use. Both front ends and the compiler receive a
 * registry explicitly (there is no global one); {@link createDefaultRegistry} builds one with the
 * built-in families, and `register` adds custom priors. Definitions are validated when they are
 * registered, so a broken custom family fails at registration rather than inside a sampler.
 *
 * @example
 * ```ts
 * const registry = createDefaultRegistry().register(myPrior);
 * registry.get("my_prior").logDensity(0.3, { scale: 1 });
 * ```
 */
export class Registry implements SignatureLookup {
  private readonly byFamily = new Map<string, Distribution>();

  /**
   * Adds a family after checking its definition: a snake_case name not yet registered,
   * `paramOrder` naming exactly the keys of `params`, valid parameter specs, and `support`,
   * `logDensity` and `sample` functions. Throws ModelError otherwise.
   *
   * @param dist - the family definition
   * @returns this registry, for chaining
   * @example
   * ```ts
   * new Registry().register(normal).register(halfCauchy);
   * ```
   */
  register(dist: Distribution): this {
    validateDefinition(dist);
    if (this.byFamily.has(dist.family)) {
      throw new ModelError({
        where: WHERE,
        what: `family '${dist.family}' is already registered`,
        got: "a second definition",
        expected: "a new name",
        hint: `give the custom family another name, e.g. '${dist.family}_custom'.`,
      });
    }
    this.byFamily.set(dist.family, dist);
    return this;
  }

  /**
   * The family registered under `family`; throws ModelError (with a "did you mean" suggestion
   * when one is close) for an unknown name.
   *
   * @param family - snake-case family name
   * @returns the distribution
   * @example
   * ```ts
   * createDefaultRegistry().get("half_cauchy").family; // "half_cauchy"
   * ```
   */
  get(family: string): Distribution {
    const dist = this.byFamily.get(family);
    if (dist !== undefined) return dist;
    const suggestion = suggestName(family, this.byFamily.keys());
    throw new ModelError({
      where: WHERE,
      what: `unknown distribution family ${describeValue(family)}`,
      hint:
        suggestion !== undefined
          ? `did you mean '${suggestion}'?`
          : `known families are ${this.families().join(", ") || "(none)"}; register a custom one with registry.register(...).`,
    });
  }

  /**
   * Whether a family of that name is registered.
   *
   * @param family - snake-case family name
   * @returns true when registered
   * @example
   * ```ts
   * createDefaultRegistry().has("normal"); // true
   * ```
   */
  has(family: string): boolean {
    return this.byFamily.has(family);
  }

  /**
   * The family's signature (name, parameters, event rank, discreteness), or undefined.
   *
   * @param family - snake-case family name
   * @returns the signature or undefined
   * @example
   * ```ts
   * createDefaultRegistry().signature("normal")?.paramOrder; // ["loc", "scale"]
   * ```
   */
  signature(family: string): FamilySignature | undefined {
    return this.byFamily.get(family);
  }

  /**
   * Every registered family name, in registration order.
   *
   * @returns the names
   * @example
   * ```ts
   * new Registry().register(normal).families(); // ["normal"]
   * ```
   */
  families(): readonly string[] {
    return [...this.byFamily.keys()];
  }
}

function fail(family: string, what: string, got: unknown, expected: string, hint?: string): never {
  throw new ModelError({
    where: WHERE,
    what: `family '${family}' ${what}`,
    got: typeof got === "string" ? got : describeValue(got),
    expected,
    ...(hint !== undefined ? { hint } : {}),
  });
}

function validateDefinition(dist: Distribution): void {
  if (typeof dist !== "object" || dist === null) {
    throw new ModelError({
      where: WHERE,
      what: "a family definition must be an object",
      got: describeValue(dist),
      expected: "a Distribution",
    });
  }
  const family = dist.family;
  if (typeof family !== "string" || !SNAKE_CASE.test(family)) {
    throw new ModelError({
      where: WHERE,
      what: "a family name must be snake_case",
      got: describeValue(family),
      expected: "lower-case words joined by '_', e.g. 'my_prior'",
    });
  }
  const params: unknown = dist.params;
  if (typeof params !== "object" || params === null) {
    fail(family, "has no params", params, "an object of ParamSpec by name");
  }
  const order: unknown = dist.paramOrder;
  if (!Array.isArray(order) || !order.every((name) => typeof name === "string")) {
    fail(family, "has no paramOrder", order, "an array of parameter names");
  }
  const keys = Object.keys(params as object);
  const listed = new Set<string>();
  for (const name of order as string[]) {
    if (listed.has(name)) fail(family, `lists parameter '${name}' twice in paramOrder`, order, "each name once");
    listed.add(name);
    if (!keys.includes(name)) fail(family, `lists '${name}' in paramOrder but not in params`, keys, "a key of params");
  }
  for (const name of keys) {
    if (!listed.has(name))
      fail(family, `has parameter '${name}' missing from paramOrder`, order, "every key of params");
    const spec: unknown = (params as Record<string, unknown>)[name];
    const rank = (spec as { rank?: unknown } | null)?.rank;
    const support = (spec as { support?: { kind?: unknown } } | null)?.support;
    if (rank !== 0 && rank !== 1 && rank !== 2)
      fail(family, `parameter '${name}' has an invalid rank`, rank, "0, 1 or 2");
    if (typeof support?.kind !== "string") {
      fail(family, `parameter '${name}' has no support`, support, "a Support such as POSITIVE");
    }
  }
  if (dist.eventRank !== 0 && dist.eventRank !== 1 && dist.eventRank !== 2) {
    fail(family, "has an invalid eventRank", dist.eventRank, "0, 1 or 2");
  }
  if (typeof dist.discrete !== "boolean")
    fail(family, "has no discrete flag", describeValue(dist.discrete), "true or false");
  requireFunction(family, "support", dist.support, "a function(params) => Support");
  requireFunction(family, "logDensity", dist.logDensity, "a function(x, params) => number");
  requireFunction(family, "sample", dist.sample, "a function(rng, params, shape, out?) => Value");
  for (const optional of ["logDensityGrad", "bijector", "eventShape"] as const) {
    const hook: unknown = dist[optional];
    if (hook !== undefined && typeof hook !== "function") {
      fail(family, `has a ${optional} that is not a function`, typeof hook, "a function or undefined");
    }
  }
}

function requireFunction(family: string, name: string, value: unknown, expected: string): void {
  if (typeof value !== "function") {
    fail(family, `has no ${name}`, value === undefined ? "undefined" : typeof value, expected);
  }
}
