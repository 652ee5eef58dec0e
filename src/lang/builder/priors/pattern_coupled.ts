/**
 * The pattern-coupled prior of PC-SBL (Fang, Shen, Li & Wang, "Pattern-coupled sparse Bayesian
 * learning for recovery of block-sparse signals", IEEE TSP 63(2), 2015).
 * @module lang/builder/priors/pattern_coupled
 */
import { DomainError, describeValue, ModelError } from "../../../core/errors.js";
import { callerSpan } from "../span.js";
import type { Vector } from "../values.js";
import {
  checkCall,
  checkInit,
  checkReal,
  constantVector,
  type GammaHyperprior,
  gatherConstant,
  HierarchyBuilder,
  inverseSqrt,
  numericSize,
  type PriorContext,
  precisionNode,
  type SparsePriorValue,
  whereOf,
} from "./common.js";

/**
 * Options of {@link patternCoupled}: give `size` for a chain or `grid` for an image.
 *
 * @example
 * ```ts
 * const chain: PatternCoupledOptions = { size: 128, coupling: 1 };
 * const image: PatternCoupledOptions = { grid: [16, 16] };
 * ```
 */
export interface PatternCoupledOptions {
  /** Length of x, whose neighbours are x_(i−1) and x_(i+1). */
  readonly size?: number;
  /** [rows, cols] of an image stored row-major, with 4-neighbour coupling. */
  readonly grid?: readonly [number, number];
  /** β ≥ 0, the weight of the neighbours' precisions (Fang et al. use 1). Default 1. */
  readonly coupling?: number;
  /** Centred (default) or non-centred value. */
  readonly parameterization?: "centered" | "noncentered";
  /** α_i ~ gamma(shape, rate); without it the α are hyper-parameters. */
  readonly hyperprior?: GammaHyperprior;
  /** Initial α when they are hyper-parameters (one number or one per coefficient). Default 1. */
  readonly init?: number | readonly number[];
}

/**
 * The parts of a pattern-coupled hierarchy.
 *
 * @example
 * ```ts
 * const { alpha } = patternCoupled(m, "x", { size: 64 }).parts;
 * ```
 */
export interface PatternCoupledParts {
  /** The per-coefficient hyper-parameters α (hyper-parameters or latents). */
  readonly alpha: Vector;
  /** Standardised coefficients (non-centred form only). */
  readonly z?: Vector;
}

/** Neighbour index vectors (0-based) with masks of which coefficients have that neighbour. */
function neighbours(size: number, grid: readonly [number, number] | undefined): { index: number[]; mask: number[] }[] {
  const shift = (ok: (i: number) => boolean, offset: number) => {
    const index: number[] = [];
    const mask: number[] = [];
    for (let i = 0; i < size; i++) {
      const has = ok(i);
      index.push(has ? i + offset : i);
      mask.push(has ? 1 : 0);
    }
    return { index, mask };
  };
  if (grid === undefined) return [shift((i) => i > 0, -1), shift((i) => i + 1 < size, 1)];
  const cols = grid[1];
  return [
    shift((i) => i >= cols, -cols),
    shift((i) => i + cols < size, cols),
    shift((i) => i % cols > 0, -1),
    shift((i) => i % cols < cols - 1, 1),
  ];
}

/**
 * Pattern-coupled ARD: x_i ~ normal(0, (α_i + β·Σ_(j ∈ N(i)) α_j)^(−1/2)), each coefficient's
 * precision mixing its own hyper-parameter with its neighbours'. A large α_j shrinks j and its
 * neighbours together, so non-zeros cluster without block boundaries being known. Neighbours are
 * i ± 1 on a chain, or the 4-neighbourhood on a row-major grid. Centred by default. Nodes:
 * `<name>_alpha`, `<name>_z` (non-centred) and `<name>`.
 *
 * @param m - the model context
 * @param name - the coefficients' name
 * @param options - size or grid, coupling β, hyper-prior or initial α, parameterization
 * @returns the coefficient vector with `parts.alpha`
 * @example
 * ```ts
 * const x = patternCoupled(m, "x", { size: 128, coupling: 1 });
 * ```
 */
export function patternCoupled(
  m: PriorContext,
  name: string,
  options: PatternCoupledOptions,
): SparsePriorValue<PatternCoupledParts> {
  const span = callerSpan();
  const parameterization = checkCall(
    "pc_sbl",
    name,
    options,
    ["size", "grid", "coupling", "parameterization", "hyperprior", "init"],
    "centered",
    span,
  );
  const where = whereOf("pc_sbl", name);
  const grid = options.grid;
  if ((options.size === undefined) === (grid === undefined)) {
    throw new ModelError({ where, what: "give exactly one of 'size' (a chain) and 'grid' (an image)", span });
  }
  let size: number;
  if (grid !== undefined) {
    if (!Array.isArray(grid) || grid.length !== 2) {
      throw new DomainError({ where, what: "option 'grid' must be [rows, cols]", got: describeValue(grid), span });
    }
    size = numericSize(where, "grid[0]", grid[0], span) * numericSize(where, "grid[1]", grid[1], span);
  } else {
    size = numericSize(where, "size", options.size, span);
  }
  const beta = options.coupling ?? 1;
  checkReal(where, "coupling", beta, { lower: 0, model: false }, span);
  checkInit(where, options.init, size, span);
  const extra = { coupling: beta, ...(grid !== undefined ? { grid: grid.join(",") } : {}) };
  const h = new HierarchyBuilder(m, "pc_sbl", name, parameterization, extra, span);
  const alpha = precisionNode(h, "alpha", size, options.hyperprior, options.init, where, span);
  let precision = alpha;
  if (beta > 0 && size > 1) {
    let around: Vector | undefined;
    for (const { index, mask } of neighbours(size, grid)) {
      if (!mask.includes(1)) continue;
      const term = gatherConstant(alpha, index).mul(constantVector(mask));
      around = around === undefined ? term : around.add(term);
    }
    if (around !== undefined) precision = alpha.add(around.mul(beta));
  }
  const { value, z } = h.value(inverseSqrt(precision), size);
  return h.result(value, { alpha, ...(z ? { z } : {}) });
}
