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
 *   `bijector` (omitted: identity); `discrete` latents are read as-is and get no gradient. With
 *   `lower` and/or `upper` (nodes computed earlier: a scalar, or one bound per element) and no
 *   bijector, the value is x = lower + exp(u), upper − exp(u), or lower + (upper − lower)·σ(u),
 *   with log|J| = u, u, log(upper − lower) + log σ(u) + log(1 − σ(u)), and gradients flow to
 *   the bounds as well (Stan's `real<lower=0, upper=1 - alpha1>`).
 * - `gather`: element k is `src[index[k]]` (0-based, range-checked by the caller).
 * - `matvec`: `operator · x`.
 * - `stack`: a vector of scalar nodes.
 * - `gaussian_linear`: a scalar, the whole log-likelihood Σᵢ log normal(yᵢ | (Z·z)ᵢ + offsetᵢ, σ) of
 *   N data with a fixed design Z (N × K) and offset, kept as sufficient statistics so that a call
 *   costs O(K²) instead of O(nnz(Z)) (see {@link GaussianLinearOp}; built by
 *   `collapseGaussianLikelihoods`).
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
      readonly lower?: number;
      readonly upper?: number;
    }
  | { readonly op: "unary"; readonly fn: UnaryFn; readonly x: number }
  | { readonly op: "binary"; readonly fn: BinaryFn; readonly a: number; readonly b: number }
  | { readonly op: "gather"; readonly src: number; readonly index: Int32Array }
  | { readonly op: "index"; readonly src: number; readonly at: number }
  | { readonly op: "reduce"; readonly fn: "sum" | "mean" | "log_sum_exp"; readonly x: number }
  | { readonly op: "matvec"; readonly operator: LinearOperator; readonly x: number }
  | { readonly op: "stack"; readonly elements: readonly number[] }
  | GaussianLinearOp;

/**
 * The Gaussian log-likelihood of N data y whose mean is affine in a coordinate vector z:
 *
 *   value = −N·log σ − (N/2)·log 2π − r(z) / (2σ²),   r(z) = Σᵢ (yᵢ − offsetᵢ − (Z·z)ᵢ)²,
 *
 * −∞ when σ is not in (0, ∞) or r(z) is not finite. z is the concatenation of the values of the
 * `coords` nodes (scalars or vectors; K numbers in all). Only O(K²) statistics of (Z, y − offset)
 * are stored: with Z = QR (R upper triangular) and a centre ẑ near the least-squares solution,
 *
 *   r(z) = rss + ‖u‖²,   u = R·(z − ẑ) − shift,   shift = Qᵀ(y − offset − Z·ẑ),
 *
 * exact for any ẑ and free of the cancellation of zᵀZᵀZz − 2yᵀZz + yᵀy (see
 * `gaussianLinearStatistics`). Adjoints: ∂/∂z = −Rᵀu/σ², ∂/∂σ = (r/σ² − N)/σ. A call costs K²
 * multiply-adds with the gradient, K²/2 without.
 *
 * @example
 * ```ts
 * // y = [1, 2] ~ normal(z, σ) for a scalar node 3 and σ in node 4: Z = [1, 1]ᵀ = Q·√2, ẑ = 1.5.
 * const op: GaussianLinearOp = {
 *   op: "gaussian_linear", coords: [3], scale: 4, count: 2,
 *   factor: Float64Array.of(Math.SQRT2), center: Float64Array.of(1.5), shift: Float64Array.of(0), rss: 0.5,
 * };
 * ```
 */
export interface GaussianLinearOp {
  readonly op: "gaussian_linear";
  /** Nodes whose values, concatenated in this order, are z. */
  readonly coords: readonly number[];
  /** Scalar node holding σ. */
  readonly scale: number;
  /** N, the number of observations. */
  readonly count: number;
  /** R, K × K row-major, upper triangular, RᵀR = ZᵀZ. */
  readonly factor: Float64Array;
  /** ẑ, the centre (length K). */
  readonly center: Float64Array;
  /** Qᵀ(y − offset − Z·ẑ) (length K). */
  readonly shift: Float64Array;
  /** The least-squares residual sum of squares ‖(I − QQᵀ)(y − offset)‖². */
  readonly rss: number;
}

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
  /** Name for messages (the factor's name in the model); unnamed factors are numbered in order. */
  readonly label?: string;
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

/**
 * The nodes a node reads (its operands), in order.
 *
 * @example
 * ```ts
 * nodeInputs({ op: "binary", fn: "add", a: 0, b: 1, size: 1, scalar: true }); // [0, 1]
 * ```
 */
export function nodeInputs(node: ProgramNode): number[] {
  switch (node.op) {
    case "unary":
      return [node.x];
    case "binary":
      return [node.a, node.b];
    case "gather":
    case "index":
      return [node.src];
    case "reduce":
    case "matvec":
      return [node.x];
    case "stack":
      return [...node.elements];
    case "gaussian_linear":
      return [...node.coords, node.scale];
    case "latent":
      return computedBounds(node);
    default:
      return [];
  }
}

/**
 * The nodes holding a latent's computed bounds, lower first (none for a static support).
 *
 * @example
 * ```ts
 * computedBounds({ op: "latent", offset: 0, unconstrainedSize: 1, discrete: false, upper: 3, size: 1, scalar: true }); // [3]
 * ```
 */
export function computedBounds(node: ProgramNode): number[] {
  if (node.op !== "latent") return [];
  const out: number[] = [];
  if (node.lower !== undefined) out.push(node.lower);
  if (node.upper !== undefined) out.push(node.upper);
  return out;
}

/**
 * Which nodes are static: constants and everything computed from constants only. Their values
 * are fixed when a program is compiled; `input` nodes (hyper-parameters) and latents are not.
 *
 * @example
 * ```ts
 * staticNodes(program.nodes); // [true, false, …]
 * ```
 */
export function staticNodes(nodes: readonly ProgramNode[]): boolean[] {
  const isStatic: boolean[] = [];
  for (const node of nodes) {
    isStatic.push(
      node.op === "const" ||
        (node.op !== "input" && node.op !== "latent" && nodeInputs(node).every((j) => isStatic[j])),
    );
  }
  return isStatic;
}
