/**
 * Block ARD with optional intra-block correlation, the prior of block sparse Bayesian learning
 * (BSBL; Zhang & Rao, "Extension of SBL algorithms for the recovery of block sparse signals with
 * intra-block correlation", IEEE TSP 61(8), 2013).
 * @module lang/builder/priors/block_ard
 */
import { DomainError, describeValue } from "../../../core/errors.js";
import { normal } from "../families.js";
import { callerSpan } from "../span.js";
import type { Scalar, ScalarLike, Vector } from "../values.js";
import {
  checkCall,
  checkInit,
  checkReal,
  constantVector,
  type GammaHyperprior,
  gatherConstant,
  HierarchyBuilder,
  inverseSqrt,
  type PriorContext,
  precisionNode,
  type SparsePriorValue,
  whereOf,
} from "./common.js";

/**
 * Options of {@link blockArd}.
 *
 * @example
 * ```ts
 * const o: BlockArdOptions = { blockSizes: [4, 4, 4, 4], correlation: 0.9 };
 * ```
 */
export interface BlockArdOptions {
  /** Sizes of the consecutive blocks of x (x has their sum as length). */
  readonly blockSizes: readonly number[];
  /** Centred (default) or non-centred value. */
  readonly parameterization?: "centered" | "noncentered";
  /** Block precision α_b ~ gamma(shape, rate); without it the precisions are hyper-parameters. */
  readonly hyperprior?: GammaHyperprior;
  /** Initial block precisions when they are hyper-parameters (one number or one per block). Default 1. */
  readonly init?: number | readonly number[];
  /**
   * r: AR(1) correlation between neighbours inside a block, −1 < r < 1 (a number or a model
   * value). Default 0 (independent coefficients).
   */
  readonly correlation?: ScalarLike;
}

/**
 * The parts of a block-ARD hierarchy.
 *
 * @example
 * ```ts
 * const { alpha } = blockArd(m, "x", { blockSizes: [4, 4] }).parts;
 * ```
 */
export interface BlockArdParts {
  /** One precision per block (hyper-parameters or latents). */
  readonly alpha: Vector;
  /** Standardised coefficients (non-centred form only). */
  readonly z?: Vector;
  /**
   * Centred form with correlation: the coefficients at each position inside the blocks,
   * `positions[j]` holding position j of every block longer than j (latents `<name>_pos<j+1>`).
   */
  readonly positions?: readonly Vector[];
}

/** Where each coefficient sits: its block and its position inside the block. */
interface Layout {
  readonly size: number;
  readonly blockOf: number[];
  readonly posOf: number[];
  readonly longest: number;
}

function layoutOf(blockSizes: readonly number[]): Layout {
  const blockOf: number[] = [];
  const posOf: number[] = [];
  blockSizes.forEach((d, b) => {
    for (let j = 0; j < d; j++) {
      blockOf.push(b);
      posOf.push(j);
    }
  });
  return { size: blockOf.length, blockOf, posOf, longest: Math.max(...blockSizes) };
}

/**
 * Block ARD: consecutive blocks x_b of x share one precision, x_b ~ normal(0, α_b^(−1/2)·B(r)^(1/2))
 * with B(r) the AR(1) correlation matrix B_ij = r^|i−j| (the identity when r = 0). For signals
 * whose non-zeros come in known groups (multi-band spectra, grouped regressors), optionally
 * smooth inside a group. Inside a block the coefficients follow the AR(1) recursion
 * x_0 = s·e_0, x_j = r·x_(j−1) + s·√(1 − r²)·e_j with s = α_b^(−1/2) and e_j ~ normal(0, 1):
 *
 * - non-centred: e = z (`<name>_z`) and x = s ⊙ L z, L the unit-diagonal-scaled AR(1) factor;
 * - centred with r ≠ 0: the coefficients at position j of every block form one latent
 *   `<name>_pos<j+1>` ~ normal(r·(position j − 1), s·√(1 − r²)) — the Markov factorisation of
 *   the block's Gaussian — and `<name>` reassembles them in order;
 * - centred with r = 0: x ~ normal(0, s) directly.
 *
 * Centred by default. Nodes: `<name>_alpha`, then `<name>` (latent, r = 0), `<name>_pos<j>`
 * (centred, r ≠ 0) or `<name>_z` (non-centred).
 *
 * @param m - the model context
 * @param name - the coefficients' name
 * @param options - block sizes, hyper-prior or initial precisions, correlation, parameterization
 * @returns the coefficient vector with `parts.alpha`
 * @example
 * ```ts
 * const x = blockArd(m, "x", { blockSizes: Array(16).fill(4), correlation: 0.8 });
 * ```
 */
export function blockArd(m: PriorContext, name: string, options: BlockArdOptions): SparsePriorValue<BlockArdParts> {
  const span = callerSpan();
  const parameterization = checkCall(
    "block_ard",
    name,
    options,
    ["blockSizes", "parameterization", "hyperprior", "init", "correlation"],
    "centered",
    span,
  );
  const where = whereOf("block_ard", name);
  const sizes = options.blockSizes;
  if (
    !Array.isArray(sizes) ||
    sizes.length === 0 ||
    !sizes.every((n) => typeof n === "number" && Number.isInteger(n) && n >= 1)
  ) {
    throw new DomainError({
      where,
      what: "option 'blockSizes' must list the block sizes",
      got: describeValue(sizes),
      expected: "a non-empty array of integers ≥ 1",
      span,
    });
  }
  checkInit(where, options.init, sizes.length, span);
  const r = options.correlation ?? 0;
  checkReal(where, "correlation", r, { lower: -1, upper: 1, open: true }, span);
  const layout = layoutOf(sizes);
  const correlated = !(typeof r === "number" && r === 0) && layout.longest > 1;
  const extra = {
    block_sizes: sizes.join(","),
    intra_correlation: correlated,
    ...(typeof r === "number" && correlated ? { correlation: r } : {}),
  };
  const h = new HierarchyBuilder(m, "block_ard", name, parameterization, extra, span);
  const alpha = precisionNode(h, "alpha", sizes.length, options.hyperprior, options.init, where, span);
  const blockScale = inverseSqrt(alpha);
  const scale = sizes.length === layout.size ? blockScale : gatherConstant(blockScale, layout.blockOf);
  if (!correlated) {
    const { value, z } = h.value(scale, layout.size);
    return h.result(value, { alpha, ...(z ? { z } : {}) });
  }
  const c: ScalarLike = typeof r === "number" ? Math.sqrt(1 - r * r) : r.mul(r).neg().add(1).sqrt();
  if (parameterization === "noncentered") {
    const z = h.latent("z", "standardized", normal({ loc: 0, scale: 1 }), { size: layout.size }) as Vector;
    const value = h.deterministic("", scale.mul(ar1Factor(z, layout, r, c)));
    return h.result(value, { alpha, z });
  }
  const positions = markovPositions(h, sizes, layout, blockScale, r, c);
  const value = h.deterministic("", assemble(positions, sizes, layout));
  return h.result(value, { alpha, positions });
}

/**
 * L z for the block-diagonal AR(1) factor: (L z)_i = Σ_(lag ≤ pos_i) r^lag·k·z_(i−lag) with
 * k = 1 when i − lag starts its block and √(1 − r²) otherwise; then Var((L z)_i) = 1 and
 * Corr((L z)_i, (L z)_(i+1)) = r inside a block.
 */
function ar1Factor(z: Vector, layout: Layout, r: ScalarLike, c: ScalarLike): Vector {
  let sum: Vector | undefined;
  let rPower: Scalar | undefined;
  for (let lag = 0; lag < layout.longest; lag++) {
    const index: number[] = [];
    const atStart: number[] = [];
    const inside: number[] = [];
    for (let i = 0; i < layout.size; i++) {
      const reaches = lag <= layout.posOf[i]!;
      index.push(reaches ? i - lag : i);
      atStart.push(reaches && layout.posOf[i]! === lag ? 1 : 0);
      inside.push(reaches && layout.posOf[i]! > lag ? 1 : 0);
    }
    let coefficient: Vector;
    if (typeof r === "number") {
      // A numeric r comes with a numeric c = √(1 − r²).
      const k = c as number;
      coefficient = constantVector(atStart.map((s, i) => r ** lag * (s + k * inside[i]!)));
    } else {
      // r^lag by repeated products: pow with a negative base has no derivative in the exponent.
      if (lag > 0) rPower = rPower === undefined ? r : rPower.mul(r);
      const mix = constantVector(atStart).add(constantVector(inside).mul(c));
      coefficient = rPower === undefined ? mix : mix.mul(rPower);
    }
    const shifted = lag === 0 ? z : gatherConstant(z, index);
    const term = shifted.mul(coefficient);
    sum = sum === undefined ? term : sum.add(term);
  }
  return sum!;
}

/** The centred Markov factorisation: one latent per position inside the blocks. */
function markovPositions(
  h: HierarchyBuilder,
  sizes: readonly number[],
  layout: Layout,
  blockScale: Vector,
  r: ScalarLike,
  c: ScalarLike,
): Vector[] {
  const positions: Vector[] = [];
  let previousBlocks: number[] = [];
  for (let j = 0; j < layout.longest; j++) {
    const blocks = sizes.map((d, b) => (d > j ? b : -1)).filter((b) => b >= 0);
    const s = blocks.length === sizes.length ? blockScale : gatherConstant(blockScale, blocks);
    const more = { position: j };
    let x: Vector;
    if (j === 0) {
      x = h.latent(`pos${j + 1}`, "value", normal({ loc: 0, scale: s }), { size: blocks.length, more }) as Vector;
    } else {
      const sub = blocks.map((b) => previousBlocks.indexOf(b));
      const prev = sub.length === previousBlocks.length ? positions[j - 1]! : gatherConstant(positions[j - 1]!, sub);
      x = h.latent(`pos${j + 1}`, "value", normal({ loc: prev.mul(r), scale: s.mul(c) }), {
        size: blocks.length,
        more,
      }) as Vector;
    }
    positions.push(x);
    previousBlocks = blocks;
  }
  return positions;
}

/** x in natural order from the per-position latents: Σ_j mask_j ⊙ positions[j][map_j]. */
function assemble(positions: readonly Vector[], sizes: readonly number[], layout: Layout): Vector {
  let sum: Vector | undefined;
  positions.forEach((x, j) => {
    const blocks = sizes.map((d, b) => (d > j ? b : -1)).filter((b) => b >= 0);
    const map = layout.blockOf.map((b, i) => (layout.posOf[i] === j ? blocks.indexOf(b) : 0));
    const mask = layout.posOf.map((p) => (p === j ? 1 : 0));
    const term = gatherConstant(x, map).mul(constantVector(mask));
    sum = sum === undefined ? term : sum.add(term);
  });
  return sum!;
}
