/**
 * Spike-and-slab priors: the discrete-indicator form (Mitchell & Beauchamp 1988; George &
 * McCulloch 1993, "Variable selection via Gibbs sampling", JASA 88(423); Kuo & Mallick 1998)
 * and a continuous relaxation for gradient backends through the binary Concrete distribution
 * (Maddison, Mnih & Teh 2017; Jang, Gu & Poole 2017).
 * @module lang/builder/priors/spike_and_slab
 */
import { ModelError } from "../../../core/errors.js";
import { logit } from "../../../runtime/special.js";
import { beta as betaDist, bernoulli, dist } from "../families.js";
import { callerSpan } from "../span.js";
import type { Scalar, ScalarLike, Vector } from "../values.js";
import {
  checkCall,
  checkReal,
  checkSize,
  HierarchyBuilder,
  type PriorContext,
  type SparsePriorValue,
  scalarOf,
  type VectorPriorOptions,
  whereOf,
} from "./common.js";

/**
 * Options of {@link spikeAndSlab}.
 *
 * @example
 * ```ts
 * const gradientFriendly: SpikeAndSlabOptions = { size: D, inclusion: 0.2 };
 * const forGibbs: SpikeAndSlabOptions = { size: D, form: "discrete", spikeScale: 0 };
 * ```
 */
export interface SpikeAndSlabOptions extends VectorPriorOptions {
  /**
   * `relaxed` (default): continuous inclusion weights, usable by gradient samplers and VI.
   * `discrete`: 0/1 indicators, for EM, Gibbs and SMC backends (gradient backends refuse them).
   */
  readonly form?: "relaxed" | "discrete";
  /** Standard deviation of the slab (a number or a model value). Default 1. */
  readonly slabScale?: ScalarLike;
  /** Standard deviation of the spike; 0 (a point mass) needs the discrete, non-centred form. Default 0.01. */
  readonly spikeScale?: number;
  /** Prior inclusion probability π, or a beta(alpha, beta) prior on it. Default 0.5. */
  readonly inclusion?: number | { readonly alpha: number; readonly beta: number };
  /** Temperature T of the relaxation (smaller: closer to 0/1 weights, harder geometry). Default 0.1. */
  readonly temperature?: number;
}

/**
 * The parts of a spike-and-slab hierarchy.
 *
 * @example
 * ```ts
 * const { gamma } = spikeAndSlab(m, "beta", { size: D, form: "discrete" }).parts;
 * ```
 */
export interface SpikeAndSlabParts {
  /** 0/1 inclusion indicators (discrete form). */
  readonly gamma?: Vector;
  /** Relaxed inclusion logits g; the weight is logistic(g / T) (relaxed form). */
  readonly logit?: Vector;
  /** The inclusion probability π, when it has a beta prior. */
  readonly pi?: Scalar;
  /** Standardised coefficients (non-centred form only). */
  readonly z?: Vector;
}

/**
 * Spike-and-slab: each coefficient is drawn from a narrow spike at zero or a wide slab,
 * x_i ~ normal(0, spike + γ_i·(slab − spike)), with γ_i the inclusion of coefficient i.
 *
 * - `form: 'discrete'`: γ_i ~ bernoulli(π), integer latents (`<name>_gamma`). With a positive
 *   spike this is George & McCulloch's SSVS prior; non-centred with `spikeScale: 0` it is the
 *   exact point-mass prior x_i = γ_i·z_i·slab (Kuo & Mallick). Flagged `discrete: true`.
 * - `form: 'relaxed'` (default): γ_i is replaced by the weight w_i = logistic(g_i / T) with
 *   g_i ~ logistic(logit π, 1) (`<name>_logit`), a binary Concrete variable: P(w_i > ½) = π
 *   exactly, and w_i tends to a bernoulli(π) indicator as T → 0.
 *
 * With `inclusion: { alpha, beta }` the probability π ~ beta(alpha, beta) is a latent (`<name>_pi`).
 * Non-centred by default. Nodes: `<name>_pi`, `<name>_gamma` or `<name>_logit`, `<name>_z`
 * (non-centred) and `<name>`.
 *
 * @param m - the model context
 * @param name - the coefficients' name
 * @param options - size, form, spike and slab scales, inclusion probability, temperature
 * @returns the coefficient vector with its parts
 * @example
 * ```ts
 * const beta = spikeAndSlab(m, "beta", { size: D, inclusion: { alpha: 1, beta: 4 }, slabScale: 2 });
 * ```
 */
export function spikeAndSlab(
  m: PriorContext,
  name: string,
  options: SpikeAndSlabOptions,
): SparsePriorValue<SpikeAndSlabParts> {
  const span = callerSpan();
  const parameterization = checkCall(
    "spike_and_slab",
    name,
    options,
    ["size", "parameterization", "form", "slabScale", "spikeScale", "inclusion", "temperature"],
    "noncentered",
    span,
  );
  const where = whereOf("spike_and_slab", name);
  checkSize(where, options.size, span);
  const form = options.form ?? "relaxed";
  if (form !== "relaxed" && form !== "discrete") {
    throw new ModelError({ where, what: "unknown form", got: String(form), expected: "'relaxed' or 'discrete'", span });
  }
  const slab = options.slabScale ?? 1;
  const spike = options.spikeScale ?? 0.01;
  const inclusion = options.inclusion ?? 0.5;
  const temperature = options.temperature ?? 0.1;
  checkReal(where, "slabScale", slab, { positive: true }, span);
  checkReal(where, "spikeScale", spike, { lower: 0, model: false }, span);
  checkReal(where, "temperature", temperature, { positive: true, model: false }, span);
  if (form === "discrete" && options.temperature !== undefined) {
    throw new ModelError({ where, what: "option 'temperature' only applies to the relaxed form", span });
  }
  if (typeof slab === "number" && spike >= slab) {
    throw new ModelError({
      where,
      what: "the spike must be narrower than the slab",
      got: `spikeScale ${spike}, slabScale ${slab}`,
      expected: "spikeScale < slabScale",
      span,
    });
  }
  if (spike === 0 && (form === "relaxed" || parameterization === "centered")) {
    throw new ModelError({
      where,
      what: "a point-mass spike (spikeScale 0) has no density",
      hint: "use form: 'discrete' with the non-centred parameterization, or a small positive spikeScale.",
      span,
    });
  }
  if (typeof inclusion === "number") {
    checkReal(where, "inclusion", inclusion, { lower: 0, upper: 1, open: true, model: false }, span);
  } else {
    if (inclusion === null || typeof inclusion !== "object") {
      throw new ModelError({
        where,
        what: "option 'inclusion' must be a probability or { alpha, beta }",
        got: String(inclusion),
        span,
      });
    }
    checkReal(where, "inclusion.alpha", inclusion.alpha, { positive: true, model: false }, span);
    checkReal(where, "inclusion.beta", inclusion.beta, { positive: true, model: false }, span);
  }
  const extra = {
    form,
    spike_scale: spike,
    ...(typeof slab === "number" ? { slab_scale: slab } : {}),
    ...(typeof inclusion === "number" ? { inclusion } : {}),
    ...(form === "relaxed" ? { temperature } : {}),
  };
  const h = new HierarchyBuilder(m, "spike_and_slab", name, parameterization, extra, span);
  const pi =
    typeof inclusion === "number"
      ? undefined
      : (h.latent("pi", "inclusion_probability", betaDist({ alpha: inclusion.alpha, beta: inclusion.beta })) as Scalar);
  const width = typeof slab === "number" ? slab - spike : scalarOf(slab).sub(spike);
  let weight: Vector;
  let parts: { gamma?: Vector; logit?: Vector };
  if (form === "discrete") {
    const gamma = h.latent("gamma", "inclusion", bernoulli({ prob: pi ?? (inclusion as number) }), {
      size: options.size,
      more: { discrete: true },
    }) as Vector;
    weight = gamma;
    parts = { gamma };
  } else {
    const loc = pi === undefined ? logit(inclusion as number) : pi.log().sub(pi.neg().log1p());
    const g = h.latent("logit", "inclusion_logit", dist("logistic", { loc, scale: 1 }), {
      size: options.size,
    }) as Vector;
    weight = g.div(temperature).logistic();
    parts = { logit: g };
  }
  const scale = spike === 0 ? weight.mul(width) : weight.mul(width).add(spike);
  const { value, z } = h.value(scale, options.size);
  return h.result(value, { ...parts, ...(pi ? { pi } : {}), ...(z ? { z } : {}) });
}
