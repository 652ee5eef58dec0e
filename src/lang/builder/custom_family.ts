/**
 * Typed DSL constructors for families the user defines. {@link dist} reaches any registered
 * family by name; {@link customFamily} turns the family's own definition into a constructor that
 * reads like a built-in one (`gdp({ alpha: 1, eta })` next to `normal({ loc, scale })`), so the
 * name is written once and, when the definition keeps its parameter names in its type, a
 * misspelt or missing argument is a TypeScript error.
 * @module lang/builder/custom_family
 */
import { describeValue, ModelError } from "../../core/errors.js";
import type { FamilySignature } from "../../core/family.js";
import { type Arg, type Dist, dist, type RankOf } from "./families.js";
import { callerSpan } from "./span.js";

const SNAKE_CASE = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/;

/**
 * The argument object of a custom family's constructor: one {@link Arg} per parameter, optional
 * when the spec declares a `default`. When the definition's type has lost its parameter names
 * (declared as `Distribution` rather than with `satisfies Distribution`) it is any object of
 * arguments, and the model builder checks the names when the family is used.
 *
 * @example
 * ```ts
 * type A = FamilyArgs<typeof gdp>; // { readonly alpha: Arg; readonly eta: Arg }
 * ```
 */
export type FamilyArgs<S extends FamilySignature> = string extends keyof S["params"]
  ? Readonly<Record<string, Arg>>
  : {
      readonly [K in keyof S["params"] & string as S["params"][K] extends { readonly default: number }
        ? never
        : K]: Arg;
    } & {
      readonly [K in keyof S["params"] & string as S["params"][K] extends { readonly default: number }
        ? K
        : never]?: Arg;
    };

/**
 * A DSL constructor for a family defined outside sprig, e.g. a custom prior registered with
 * `registry.register(definition)`. The constructor records the family's name and arguments like
 * the built-in constructors; the model checks them against the registry it is built with, so the
 * same definition must be registered there.
 *
 * @param definition - the family's definition or signature (a `Distribution` object, an
 *   expression prior, …)
 * @returns a constructor taking the arguments by name
 * @throws ModelError when `definition` has no snake_case `family` name
 * @example
 * ```ts
 * const registry = createDefaultRegistry().register(gdpDistribution);
 * const gdp = customFamily(gdpDistribution);
 * model("m", ({ param }) => void param("beta", gdp({ alpha: 1, eta: 1 }), { size: 5 }), { families: registry });
 * ```
 */
export function customFamily<S extends FamilySignature>(
  definition: S,
): <A extends FamilyArgs<S>>(args: A) => Dist<RankOf<A>> {
  const family: unknown = (definition as { family?: unknown } | null)?.family;
  if (typeof family !== "string" || !SNAKE_CASE.test(family)) {
    const span = callerSpan();
    throw new ModelError({
      where: "customFamily()",
      what: "the definition has no snake_case family name",
      got:
        typeof family === "string"
          ? describeValue(family)
          : typeof definition === "object" && definition !== null
            ? "an object without a 'family' name"
            : describeValue(definition),
      expected: "a Distribution (or FamilySignature) with family such as 'my_prior'",
      hint: "pass the object you registered with registry.register(...).",
      ...(span !== undefined ? { span } : {}),
    });
  }
  return <A extends FamilyArgs<S>>(args: A): Dist<RankOf<A>> =>
    dist(family, args as unknown as Readonly<Record<string, Arg>>) as Dist<RankOf<A>>;
}
