/**
 * The three-layer hierarchical prior of Turbo-VBI (Xia, Tsang & Lau, "Structured Bayesian
 * compression for deep neural networks based on the Turbo-VBI approach", IEEE TSP 71, 2023):
 * a Markov support layer, a precision layer given the support, and the values.
 * @module lang/builder/priors/turbo_vbi
 */
import { ModelError } from "../../../core/errors.js";
import { dist, gamma } from "../families.js";
import { callerSpan } from "../span.js";
import type { DimLike, Vector } from "../values.js";
import {
  checkCall,
  checkReal,
  checkSize,
  HierarchyBuilder,
  inverseSqrt,
  type PriorContext,
  type SparsePriorValue,
  whereOf,
} from "./common.js";

/**
 * A gamma(shape, rate) law of the precision of one support state.
 *
 * @example
 * ```ts
 * const active: PrecisionLaw = { shape: 2, rate: 1 };
 * ```
 */
export interface PrecisionLaw {
  readonly shape: number;
  readonly rate: number;
}

/**
 * Options of {@link turboVbi}.
 *
 * @example
 * ```ts
 * const o: TurboVbiOptions = { size: 64, p01: 0.05, p10: 0.2 };
 * ```
 */
export interface TurboVbiOptions {
  /** Length of x: a number or integer data (`data.int("N")`). */
  readonly size: DimLike;
  /** Centred (default) or non-centred value. */
  readonly parameterization?: "centered" | "noncentered";
  /** P(s_i = 1 | s_(i−1) = 0): how often an active run starts. Default 0.05. */
  readonly p01?: number;
  /** P(s_i = 0 | s_(i−1) = 1): 1 / the mean length of an active run. Default 0.2. */
  readonly p10?: number;
  /** P(s_1 = 1). Default the chain's stationary probability p01 / (p01 + p10). */
  readonly firstActive?: number;
  /** Precision law of active coefficients (small precisions: large values). Default gamma(2, 1). */
  readonly active?: PrecisionLaw;
  /** Precision law of inactive coefficients (large precisions: values near 0). Default gamma(2, 10⁻⁴). */
  readonly inactive?: PrecisionLaw;
}

/**
 * The parts of a Turbo-VBI hierarchy.
 *
 * @example
 * ```ts
 * const { support, rho } = turboVbi(m, "w", { size: 32 }).parts;
 * ```
 */
export interface TurboVbiParts {
  /** The support s ∈ {0, 1}ᴺ: one integer latent `<name>_support` ~ binary_markov_chain. */
  readonly support: Vector;
  /** Precisions ρ. */
  readonly rho: Vector;
  /** Standardised coefficients (non-centred form only). */
  readonly z?: Vector;
}

/**
 * The Turbo-VBI three-layer prior: support s ∈ {0, 1}ᴺ with a two-state Markov-chain prior
 * (the `binary_markov_chain` family: P(s_1 = 1) = firstActive, P(s_i = 1 | s_(i−1) = 0) = p01,
 * P(s_i = 0 | s_(i−1) = 1) = p10); precisions
 * ρ_i | s_i ~ gamma(active) if s_i = 1 else gamma(inactive); values x_i | ρ_i ~ normal(0, ρ_i^(−1/2)).
 * Active coefficients come in runs (mean length 1/p10), which is the regular, clustered sparsity
 * the paper uses to prune whole groups of weights. The support is discrete (`discrete: true`):
 * EM, VB, Gibbs and SMC backends can use it, gradient samplers refuse it. The paper's support
 * layer is a Markov random field over a layer's neurons and weights; this is its chain form along
 * x. Centred by default. The chain is one vector latent, so N may be integer data and building
 * the model costs the same for every N. Nodes: `<name>_support`, `<name>_rho`, `<name>_z`
 * (non-centred) and `<name>`.
 *
 * @param m - the model context
 * @param name - the coefficients' name
 * @param options - size, transition probabilities, precision laws, parameterization
 * @returns the coefficient vector with its parts
 * @example
 * ```ts
 * const w = turboVbi(m, "w", { size: m.data.int("N"), p01: 0.05, p10: 0.2 });
 * ```
 */
export function turboVbi(m: PriorContext, name: string, options: TurboVbiOptions): SparsePriorValue<TurboVbiParts> {
  const span = callerSpan();
  const parameterization = checkCall(
    "turbo_vbi",
    name,
    options,
    ["size", "parameterization", "p01", "p10", "firstActive", "active", "inactive"],
    "centered",
    span,
  );
  const where = whereOf("turbo_vbi", name);
  const size = options.size;
  checkSize(where, size, span);
  const p01 = options.p01 ?? 0.05;
  const p10 = options.p10 ?? 0.2;
  checkReal(where, "p01", p01, { lower: 0, upper: 1, open: true, model: false }, span);
  checkReal(where, "p10", p10, { lower: 0, upper: 1, open: true, model: false }, span);
  const firstActive = options.firstActive ?? p01 / (p01 + p10);
  checkReal(where, "firstActive", firstActive, { lower: 0, upper: 1, open: true, model: false }, span);
  const active = options.active ?? { shape: 2, rate: 1 };
  const inactive = options.inactive ?? { shape: 2, rate: 1e-4 };
  for (const [key, law] of [
    ["active", active],
    ["inactive", inactive],
  ] as const) {
    if (law === null || typeof law !== "object")
      throw new ModelError({ where, what: `option '${key}' must be { shape, rate }`, span });
    checkReal(where, `${key}.shape`, law.shape, { positive: true, model: false }, span);
    checkReal(where, `${key}.rate`, law.rate, { positive: true, model: false }, span);
  }
  const extra = {
    p01,
    p10,
    first_active: firstActive,
    active_shape: active.shape,
    active_rate: active.rate,
    inactive_shape: inactive.shape,
    inactive_rate: inactive.rate,
  };
  const h = new HierarchyBuilder(m, "turbo_vbi", name, parameterization, extra, span);
  const support = h.latent("support", "support", dist("binary_markov_chain", { first: firstActive, p01, p10 }), {
    size,
    more: { discrete: true },
  }) as Vector;
  // The law's parameter is `inactive + s·(active − inactive)`: exact for s ∈ {0, 1}.
  const pick = (on: number, off: number) => (on === off ? on : support.mul(on - off).add(off));
  const shape = pick(active.shape, inactive.shape);
  const rate = pick(active.rate, inactive.rate);
  const rho = h.latent("rho", "precision", gamma({ shape, rate }), { size }) as Vector;
  const { value, z } = h.value(inverseSqrt(rho), size);
  return h.result(value, { support, rho, ...(z ? { z } : {}) });
}
