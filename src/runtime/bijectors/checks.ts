import { DomainError, describeValue } from "../../core/errors.js";

/**
 * Throws DomainError unless a bijector bound is a finite number (infinite bounds mean "no
 * bound": {@link bijectorForSupport} picks a one-sided or identity bijector for them).
 *
 * @param where - the constructor's name for the message
 * @param name - which bound
 * @param value - the bound
 * @example
 * ```ts
 * requireFiniteBound("lowerBound()", "lower", 0); // passes
 * ```
 */
export function requireFiniteBound(where: string, name: string, value: number): void {
  if (!Number.isFinite(value)) {
    throw new DomainError({
      where,
      what: `the ${name} bound must be finite`,
      got: describeValue(value),
      expected: "a finite number",
      hint: "bijectorForSupport() handles infinite bounds by choosing a one-sided or identity bijector.",
    });
  }
}
