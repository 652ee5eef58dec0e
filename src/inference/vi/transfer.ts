/**
 * What VI sends across a worker boundary: results as plain data (an approximation's closures and a
 * layout's bijectors cannot be copied, so the approximation travels as its parameters and is
 * rebuilt on the caller's model), VB problems with their dictionary as dense numbers, and sprig
 * errors as their structured parts, so a failure in a worker throws the same class and message
 * as it does in this thread.
 *
 * @module
 */
import {
  CapabilityError,
  DataError,
  DomainError,
  describeValue,
  type ErrorParts,
  ModelError,
  ShapeError,
  SprigError,
} from "../../core/errors.js";
import { ComplexDenseOperator, DenseOperator } from "../../runtime/operators/index.js";
import type { SblMatrix } from "../em/types.js";
import type { DensityModel } from "../model/density_model.js";
import { createApproximation, type VariationalDraws } from "./approximation.js";
import type { FamilySpec } from "./families.js";
import type { AdviResult } from "./fit_advi.js";
import type { VbProblem } from "./vb_sbl.js";

/**
 * Draws without the layout (the caller puts its model's layout back).
 *
 * @example
 * ```ts
 * const plain: DrawsData = { numDraws: 2, constrainedDimension: 1, dimension: 1, constrained, unconstrained };
 * ```
 */
export type DrawsData = Omit<VariationalDraws, "layout">;

/**
 * An {@link AdviResult} as structured-cloneable data: the approximation is replaced by its packed
 * parameters, the draws lose their layout.
 *
 * @example
 * ```ts
 * const data = adviResultToData(fitAdvi(model, { seed: 1 }));
 * const again = adviResultFromData(model, "meanfield", data);
 * ```
 */
export interface AdviResultData extends Omit<AdviResult, "approximation" | "draws" | "resampledDraws"> {
  /** The packed variational parameters of the approximation. */
  readonly params: Float64Array;
  readonly draws: DrawsData;
  readonly resampledDraws?: DrawsData;
}

function dropLayout(draws: VariationalDraws): DrawsData {
  const { layout: _layout, ...rest } = draws;
  return rest;
}

/**
 * Strips an {@link AdviResult} to data a worker can post.
 *
 * @example
 * ```ts
 * postMessage(adviResultToData(fitAdvi(model, { seed: 1 })));
 * ```
 */
export function adviResultToData(result: AdviResult): AdviResultData {
  const { approximation, draws, resampledDraws, ...rest } = result;
  return {
    ...rest,
    params: approximation.params,
    draws: dropLayout(draws),
    ...(resampledDraws ? { resampledDraws: dropLayout(resampledDraws) } : {}),
  };
}

/**
 * Rebuilds the {@link AdviResult} of `data` on `model` (the model the fit ran on, built in this
 * thread): the approximation from its parameters, the draws with the model's layout.
 *
 * @throws DomainError when the parameters do not fit `family` in the model's dimension.
 * @example
 * ```ts
 * const fit = adviResultFromData(model, "fullrank", data);
 * fit.approximation.covariance();
 * ```
 */
export function adviResultFromData(model: DensityModel, family: FamilySpec, data: AdviResultData): AdviResult {
  const { params, draws, resampledDraws, ...rest } = data;
  return {
    ...rest,
    approximation: createApproximation(model, family, params),
    draws: { ...draws, layout: model.layout },
    ...(resampledDraws ? { resampledDraws: { ...resampledDraws, layout: model.layout } } : {}),
  };
}

/**
 * A VB dictionary as plain numbers: a dense (real or interleaved complex) matrix, or Kronecker
 * factors.
 *
 * @example
 * ```ts
 * const A: DictionaryData = { kind: "dense", rows: 2, cols: 2, complex: false, data: Float64Array.of(1, 0, 0, 1) };
 * ```
 */
export type DictionaryData =
  | {
      readonly kind: "dense";
      readonly rows: number;
      readonly cols: number;
      readonly complex: boolean;
      readonly data: Float64Array;
    }
  | { readonly kind: "factors"; readonly factors: readonly SblMatrix[]; readonly complex: boolean };

/**
 * A {@link VbProblem} whose dictionary is {@link DictionaryData}.
 *
 * @example
 * ```ts
 * const problem: VbProblemData = { A, y, noise: "learn", prior: "ard" };
 * ```
 */
export interface VbProblemData extends Omit<VbProblem, "A"> {
  readonly A: DictionaryData;
}

interface OperatorShape {
  readonly rows: number;
  readonly cols: number;
  toDense(): Float64Array;
}

// The duck tests of the EM problem normaliser, which decides how fitVb reads `A`.
function isOperator(a: unknown): a is OperatorShape {
  const op = a as { applyTranspose?: unknown; applyAdjoint?: unknown; toDense?: unknown } | null;
  return (
    typeof op === "object" &&
    op !== null &&
    typeof op.toDense === "function" &&
    (typeof op.applyTranspose === "function" || typeof op.applyAdjoint === "function")
  );
}

function isComplexOperator(a: unknown): boolean {
  return typeof (a as { applyAdjoint?: unknown }).applyAdjoint === "function";
}

function matrixOf(factor: unknown): SblMatrix {
  if (isOperator(factor)) return { rows: factor.rows, cols: factor.cols, data: factor.toDense() };
  return factor as SblMatrix;
}

/**
 * The problem as plain data: operators become their dense entries (which is all fitVb reads of
 * them), Kronecker factors stay factors, so the worker's fit sees the very same numbers.
 *
 * @throws ShapeError when `A` is neither an operator nor `{ factors }`.
 * @example
 * ```ts
 * const data = vbProblemToData({ A: new DenseOperator(rows, m, n), y, prior: "ard" });
 * ```
 */
export function vbProblemToData(problem: VbProblem): VbProblemData {
  const { A, ...rest } = problem;
  if (isOperator(A)) {
    const complex = isComplexOperator(A);
    return { ...rest, A: { kind: "dense", rows: A.rows, cols: A.cols, complex, data: A.toDense() } };
  }
  const factors = (A as { factors?: unknown } | null)?.factors;
  if (Array.isArray(factors)) {
    const complex = (A as { complex?: unknown }).complex === true;
    return { ...rest, A: { kind: "factors", factors: factors.map(matrixOf), complex } };
  }
  throw new ShapeError({
    where: "vb-sbl",
    what: "'A' is not a dictionary",
    got: describeValue(A),
    expected: "a LinearOperator, a ComplexLinearOperator or { factors: [...] }",
  });
}

/**
 * The problem {@link vbProblemToData} described: a dense dictionary becomes a dense operator over
 * the same entries, factors stay factors.
 *
 * @example
 * ```ts
 * const problem = vbProblemFromData(vbProblemToData(original)); // fitVb gives the same fit on both
 * ```
 */
export function vbProblemFromData(data: VbProblemData): VbProblem {
  const { A, ...rest } = data;
  if (A.kind === "factors") return { ...rest, A: { factors: A.factors, complex: A.complex } };
  const Operator = A.complex ? ComplexDenseOperator : DenseOperator;
  return { ...rest, A: new Operator(A.data, A.rows, A.cols) };
}

// The constructors whose instances are rebuilt from their parts on the caller's side.
const KINDS = { CapabilityError, DataError, DomainError, ModelError, ShapeError } as const;

function kindOf(error: SprigError): ErrorData["kind"] | undefined {
  const kinds = Object.keys(KINDS) as ErrorData["kind"][];
  return kinds.find((kind) => error.constructor === KINDS[kind]);
}

/**
 * A sprig error as data: its class name and structured parts.
 *
 * @example
 * ```ts
 * const e: ErrorData = { kind: "DomainError", parts: { where: "advi", what: "the ELBO is not finite" } };
 * ```
 */
export interface ErrorData {
  readonly kind: keyof typeof KINDS;
  readonly parts: ErrorParts;
}

/**
 * What a VI worker task answers: its result, or a sprig error it threw, as data. Other errors are
 * thrown, so the pool reports them as a WorkerError with the worker's stack.
 *
 * @example
 * ```ts
 * const reply: TaskReply<number> = { ok: true, value: 1 };
 * ```
 */
export type TaskReply<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ErrorData };

/**
 * Runs `body` and packs its result or its sprig error as a {@link TaskReply}.
 *
 * @example
 * ```ts
 * return replyOf(() => fitVb(problem, options));
 * ```
 */
export async function replyOf<T>(body: () => T | Promise<T>): Promise<TaskReply<T>> {
  try {
    return { ok: true, value: await body() };
  } catch (error) {
    // Only the exact classes: a subclass may carry more than its parts.
    const kind = error instanceof SprigError ? kindOf(error) : undefined;
    if (kind === undefined) throw error;
    return { ok: false, error: { kind, parts: (error as SprigError).parts } };
  }
}

/**
 * The value of a {@link TaskReply}, or the error it carries, rebuilt and thrown.
 *
 * @throws the sprig error the worker threw (same class, same message).
 * @example
 * ```ts
 * const [reply] = await pool.map<TaskReply<VbResult>>(url, "runVbTask", [input], { seed: 0 });
 * return unwrapReply(reply);
 * ```
 */
export function unwrapReply<T>(reply: TaskReply<T>): T {
  if (reply.ok) return reply.value;
  throw new KINDS[reply.error.kind](reply.error.parts);
}
