/**
 * The jitter policy shared by the real and complex Cholesky factorisations.
 *
 * @module
 */
import { DomainError } from "../../core/errors.js";
import { shortNumber } from "../operators/validate.js";

/**
 * How a Cholesky factorisation reacts to a matrix that is not numerically positive definite.
 *
 * @example
 * ```ts
 * const options: CholeskyOptions = { jitter: "auto", maxJitter: 1e-6, where: "gp kernel" };
 * ```
 */
export interface CholeskyOptions {
  /**
   * `'none'` (default): fail with a DomainError naming the first non-positive pivot.
   * `'auto'`: retry with A + εI, ε = 1e-10·mean(diag A) and then ten times larger each time, up
   * to `maxJitter`; the ε used is reported as `jitter`. For kernel matrices that are positive
   * definite in theory but lose it to rounding (GP covariances of close inputs).
   */
  readonly jitter?: "none" | "auto";
  /** Largest ε tried by `'auto'`, absolute; default 1e-6·mean(diag A). */
  readonly maxJitter?: number;
  /** Name used in error messages, e.g. the model site; default `'cholesky'`. */
  readonly where?: string;
}

/**
 * First jitter, relative to the mean diagonal entry.
 *
 * @example
 * ```ts
 * const first = FIRST_JITTER * meanDiagonal;
 * ```
 */
export const FIRST_JITTER = 1e-10;
/**
 * Default largest jitter, relative to the mean diagonal entry.
 *
 * @example
 * ```ts
 * const cap = DEFAULT_MAX_JITTER * meanDiagonal;
 * ```
 */
export const DEFAULT_MAX_JITTER = 1e-6;

/**
 * The steps of one factorisation attempt, supplied by the real or complex factor object.
 *
 * @example
 * ```ts
 * const attempt: JitterAttempt = { load: (eps) => copyPlusDiagonal(eps), factor: () => potrf(), pivotValue: schur };
 * ```
 */
export interface JitterAttempt {
  /** Copies A + jitter·I into the factor buffer. */
  load(jitter: number): void;
  /** Factors the buffer in place; 0 or the 1-based failing pivot. */
  factor(): number;
  /** The value of the failing (0-based) pivot: its Schur complement in A + jitter·I. */
  pivotValue(pivot: number, jitter: number): number;
}

/**
 * Runs the policy and returns the jitter that succeeded (0 when none was needed), or throws the
 * DomainError "matrix is not positive definite" naming the failing pivot.
 *
 * @example
 * ```ts
 * const used = factorWithJitter(meanDiag, options, attempt);
 * ```
 */
export function factorWithJitter(meanDiagonal: number, options: CholeskyOptions, attempt: JitterAttempt): number {
  const where = options.where ?? "cholesky";
  const policy = options.jitter ?? "none";
  if (policy !== "none" && policy !== "auto") {
    throw new DomainError({ where, what: "unknown jitter policy", got: `'${policy}'`, expected: "'none' or 'auto'" });
  }
  attempt.load(0);
  let info = attempt.factor();
  if (info === 0) return 0;
  const pivot = info - 1;
  if (policy === "none") {
    throw new DomainError({
      where,
      what: "matrix is not positive definite",
      got: `pivot ${pivot} = ${shortNumber(attempt.pivotValue(pivot, 0))}`,
      expected: "> 0",
      hint:
        `row/column ${pivot} (0-based) is (numerically) a combination of the earlier ones or has a non-positive ` +
        "variance. If the matrix is positive definite in theory (a covariance of close points), pass " +
        "{ jitter: 'auto' } to add a small multiple of the identity; otherwise check how it was built.",
    });
  }
  const maxJitter = options.maxJitter ?? DEFAULT_MAX_JITTER * meanDiagonal;
  if (!(meanDiagonal > 0) || !(maxJitter > 0)) {
    throw new DomainError({
      where,
      what: "matrix is not positive definite and cannot be jittered",
      got: `mean diagonal ${shortNumber(meanDiagonal)}, pivot ${pivot} = ${shortNumber(attempt.pivotValue(pivot, 0))}`,
      expected: "a positive mean diagonal and maxJitter > 0",
      hint: "a covariance has a positive diagonal; check how the matrix was built.",
    });
  }
  let jitter = FIRST_JITTER * meanDiagonal;
  let last = { pivot, jitter: 0 };
  while (jitter <= maxJitter * (1 + 1e-12)) {
    attempt.load(jitter);
    info = attempt.factor();
    if (info === 0) return jitter;
    last = { pivot: info - 1, jitter };
    jitter *= 10;
  }
  throw new DomainError({
    where,
    what: "matrix is not positive definite, even with jitter",
    got: `pivot ${last.pivot} = ${shortNumber(attempt.pivotValue(last.pivot, last.jitter))} with jitter ${shortNumber(last.jitter)}`,
    expected: "> 0",
    hint:
      `jitter up to ${shortNumber(maxJitter)} did not help, so the matrix is indefinite rather than ` +
      "ill-conditioned; check how it was built, or raise maxJitter.",
  });
}
