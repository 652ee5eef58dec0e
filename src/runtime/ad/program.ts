import type { Shape } from "../../core/shape.js";
import type { Support } from "../../core/support.js";
import type { Bijector } from "../bijectors/bijector.js";
import type { Distribution } from "../dists/distribution.js";
import type { LinearOperator } from "../linear_operator.js";

/**
 * Elementwise functions of one argument that the differentiator knows.
 *
 * @example
 * ```ts
 * const f: UnaryFn = "softplus";
 * ```
 */
export type UnaryFn = "neg" | "exp" | "log" | "log1p" | "expm1" | "logistic" | "softplus" | "abs" | "sqrt";

/**
 * Elementwise functions of two arguments (a scalar operand broadcasts).
 *
 * @example
 * ```ts
 * const f: BinaryFn = "mul";
 * ```
 */
export type BinaryFn = "add" | "sub" | "mul" | "div" | "pow";

/**
 * One operation of a program. Operands are indices of earlier nodes. Vectors (and matrices,
 * flattened row-major) are Float64Arrays; a scalar is a node with `scalar: true`.
 *
 * - `const`: a fixed number or array (data, literals).
 * - `input`: a caller-owned buffer whose contents may change between calls (hyper-parameters);
 *   no gradient flows to it.
 * - `latent`: `size` constrained values from θ[offset, offset + unconstrainedSize) through
 *   `bijector` (omitted: identity); `discrete` latents are read as-is and get no gradient.
 * - `gather`: element k is `src[index[k]]` (0-based, range-checked by the caller).
 * - `matvec`: `operator · x`.
 * - `stack`: a vector of scalar nodes.
 *
 * @example
 * ```ts
 * const op: ProgramOp = { op: "binary", fn: "add", a: 0, b: 1 };
 * ```
 */
export type ProgramOp =
  | { readonly op: "const"; readonly value: number | Float64Array }
  | { readonly op: "input"; readonly buffer: Float64Array }
  | {
      readonly op: "latent";
      readonly offset: number;
      readonly unconstrainedSize: number;
      readonly bijector?: Bijector;
      readonly discrete: boolean;
    }
  | { readonly op: "unary"; readonly fn: UnaryFn; readonly x: number }
  | { readonly op: "binary"; readonly fn: BinaryFn; readonly a: number; readonly b: number }
  | { readonly op: "gather"; readonly src: number; readonly index: Int32Array }
  | { readonly op: "index"; readonly src: number; readonly at: number }
  | { readonly op: "reduce"; readonly fn: "sum" | "mean" | "log_sum_exp"; readonly x: number }
  | { readonly op: "matvec"; readonly operator: LinearOperator; readonly x: number }
  | { readonly op: "stack"; readonly elements: readonly number[] };

/**
 * A program node: an operation plus the size of its value. `keep` asks for the value to be
 * stored where `CompiledProgram.read` can find it (named deterministics).
 *
 * @example
 * ```ts
 * const n: ProgramNode = { op: "const", value: 2, size: 1, scalar: true };
 * ```
 */
export type ProgramNode = ProgramOp & {
  readonly size: number;
  readonly scalar: boolean;
  readonly keep?: boolean;
};

/**
 * A log-density term `dist.logDensity(value | params)`. `samples: true` marks the prior of a
 * latent (`value` is that latent node): simulation draws the latent from it. `support`, when
 * given, restricts draws (rejection) to a declared support narrower than the family's.
 *
 * @example
 * ```ts
 * const t: DensityTerm = { kind: "density", dist: normal, value: 2, params: { loc: 0, scale: 1 }, part: "prior", shape: [], samples: true };
 * ```
 */
export interface DensityTerm {
  readonly kind: "density";
  readonly dist: Distribution;
  readonly value: number;
  readonly params: Readonly<Record<string, number>>;
  readonly part: "prior" | "likelihood";
  readonly shape: Shape;
  readonly samples: boolean;
  readonly support?: Support;
  /** Name for messages and simulation output (the variable or data name). */
  readonly label?: string;
}

/**
 * A term `target += value` for a scalar node.
 *
 * @example
 * ```ts
 * const t: FactorTerm = { kind: "factor", value: 7, part: "likelihood" };
 * ```
 */
export interface FactorTerm {
  readonly kind: "factor";
  readonly value: number;
  readonly part: "prior" | "likelihood";
}

/**
 * A term of the log density.
 *
 * @example
 * ```ts
 * const terms: Term[] = [];
 * ```
 */
export type Term = DensityTerm | FactorTerm;

/**
 * A straight-line vector program computing a log density from θ: nodes in dependency order,
 * terms summed into the result. The density compiler lowers a model graph to one; the code
 * generator turns it into JavaScript with a reverse-mode gradient.
 *
 * @example
 * ```ts
 * const program: Program = { nodes, terms, dimension: 10 };
 * ```
 */
export interface Program {
  readonly nodes: readonly ProgramNode[];
  readonly terms: readonly Term[];
  /** Length of θ. */
  readonly dimension: number;
}
