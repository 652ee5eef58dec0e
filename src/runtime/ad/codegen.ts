/**
 * Compiles a {@link Program} to JavaScript functions: the log density, its reverse-mode
 * gradient, prior/likelihood variants, ancestral simulation, and read-out of kept values.
 *
 * Why generated code: a tape of closures pays an indirect call and a full pass over memory for
 * every vector operation. Here chains of elementwise operations are *fused*: an elementwise
 * node with a single elementwise consumer is inlined into that consumer's loop, so
 * `mu = alpha[county] + floor * beta` is one loop with no temporaries, and its adjoint is one
 * loop that recomputes the chain's values in registers, propagates adjoints through it and
 * scatter-adds into `alpha`. Density terms of scalar families (those built by `scalarFamily`)
 * are loops over the family's element kernel: a parameter chain whose only consumer is the term
 * is computed inside the term's loop (`y ~ normal(alpha[county] + floor * beta, sigma)` never
 * stores its `loc`), parameter supports are checked inline, constants that depend on scalar
 * parameters (1/sigma, log sigma, lgamma(shape)) are computed once per call, partials go straight
 * into the adjoints, and scalar terms sharing a kernel and arguments share one loop. Every
 * built-in scalar family has such a kernel; they call only Math functions, tables and cached
 * constants, so that V8 inlines them into the loop (a call it does not inline boxes the returned
 * number: that alone doubled the cost of wells' bernoulli_logit term). Everything else
 * (matvec, reductions, other distributions, bijectors) is a call into the runtime on
 * preallocated Float64Arrays. V8 compiles each generated function once for the model's fixed
 * sizes; a call allocates nothing (beyond boxing the number it returns).
 *
 * Reverse mode: the log density is a sum of terms, so each term's seed adjoint is 1. Distribution
 * terms therefore add their analytic partials (`logDensityGrad`, which accumulates with `+=`)
 * straight into the adjoint buffers of their arguments during the forward sweep; factors seed
 * their scalar; the backward sweep then visits nodes in reverse order. Matvec adjoints are
 * transposed products, gather adjoints scatter-adds, bijector adjoints `Bijector.backward`.
 * Families without `logDensityGrad` use {@link finiteDifferenceGrad}.
 *
 * Nodes that depend only on constants are evaluated once when the program is compiled; their
 * scalar values are written into the generated code as literals.
 *
 * Sufficient statistics: densities are generated from `collapseGaussianLikelihoods(program)`
 * (sufficient_statistics.ts), in which a Gaussian likelihood of fixed data whose mean is affine
 * in K unknowns (`y ~ normal(X·w + alpha, sigma)`) is a `gaussian_linear` node. That node is
 * inline code over its K × K triangular factor R — u = R·(z − ẑ) − e, the residual sum of
 * squares rss + uᵀu and the value, then Rᵀu for the adjoint: K² multiply-adds in all — instead
 * of two products with X and a loop over the N data. Simulation, predictive draws and read-out
 * are generated from the program as given, since they need the observation's term;
 * `sufficientStatistics: false` turns the rewrite off.
 *
 * NaN: a generated density tests its total once (`total === total`), and with the gradient one
 * sum over it; only a NaN takes the slow path of nan_diagnosis.ts, which evaluates the program as
 * written node by node and re-evaluates its terms one at a time. The rule it applies:
 * - A NaN made from ordinary finite numbers is a DomainError naming the site — the term's label
 *   and family with the element and argument values, or the factor with the operation — wherever
 *   it happens (initialisation, a user's evaluation, a leapfrog step): a family's logDensity,
 *   element kernel or partial derivative returning NaN for arguments inside their supports, or
 *   a factor's operation applied outside its domain (sqrt or log of a negative number). No
 *   sampler can work around a density that is wrong there, so none should silently try.
 * - A NaN made from numbers that had already overflowed or underflowed — ∞ − ∞ after an exp
 *   overflowed, 0/0 of underflowed numbers, arguments subnormal or beyond 2^1000 in magnitude, a
 *   θ that is not finite — means the point is too far out to evaluate: the value is −∞, so NUTS
 *   records a divergence and initialisation tries another point; a NaN gradient entry made there,
 *   or by the chain rule at a non-differentiable point (sqrt at 0), is returned as it is.
 * A NaN or infinite argument of a distribution term is outside its support and gives −∞ on the
 * hot path, without the slow path.
 * @module runtime/ad/codegen
 */
import { DomainError, SprigError } from "../../core/errors.js";
import type { Rng } from "../../core/rng.js";
import { formatSupport, inScalarSupport, type Support } from "../../core/support.js";
import type { Bijector } from "../bijectors/bijector.js";
import type { Distribution, GradOut, Params, Value } from "../dists/distribution.js";
import { type ElementKernel, elementKernel } from "../dists/scalar_family.js";
import type { LinearOperator } from "../linear_operator.js";
import { DenseOperator } from "../operators/dense_operator.js";
import { HALF_LN_TWO_PI, log1pexp, logistic } from "../special.js";
import { finiteDifferenceGrad } from "./finite_difference.js";
import { explainNaNGradient, explainNaNLogDensity, type ProgramView } from "./nan_diagnosis.js";
import {
  computedBounds,
  type DensityTerm,
  type GaussianLinearOp,
  nodeInputs,
  type Program,
  type ProgramNode,
  staticNodes,
  type Term,
} from "./program.js";
import { collapseGaussianLikelihoods } from "./sufficient_statistics.js";

/**
 * Which terms a generated density includes: prior terms, likelihood terms, and log|J| of the
 * bijectors.
 *
 * @example
 * ```ts
 * const likelihoodOnly: TermSelection = { prior: false, likelihood: true, jacobian: false };
 * ```
 */
export interface TermSelection {
  readonly prior: boolean;
  readonly likelihood: boolean;
  readonly jacobian: boolean;
}

/**
 * A log density and its gradient for one selection of terms.
 *
 * @example
 * ```ts
 * const lp = pair.logDensityAndGrad(theta, grad);
 * ```
 */
export interface DensityPair {
  /**
   * Sum of the selected terms at θ; −Infinity outside the support, never NaN. Throws a
   * DomainError naming the site when a term is NaN for ordinary finite arguments (see the module
   * comment).
   */
  logDensity(theta: Float64Array): number;
  /**
   * Same value; overwrites `grad` with its gradient (zeros when the value is −Infinity). Throws a
   * DomainError when a family's partial derivative is NaN where the value is finite.
   */
  logDensityAndGrad(theta: Float64Array, grad: Float64Array): number;
}

/**
 * The compiled functions of a program.
 *
 * @example
 * ```ts
 * const compiled = compileProgram(program);
 * const lp = compiled.density(ALL_TERMS).logDensityAndGrad(theta, grad);
 * ```
 */
export interface CompiledProgram {
  /** The density for a selection of terms (generated on first request, then cached). */
  density(selection: TermSelection): DensityPair;
  /**
   * Ancestral simulation: draws every sampled latent from its prior term (writing its
   * unconstrained value into `thetaOut`), then every other density term's value into its
   * predictive buffer (see {@link predictive}).
   */
  simulate(rng: Rng, thetaOut: Float64Array): void;
  /** The buffer the last {@link simulate} wrote for term `t` (a non-sampling density term). */
  predictive(term: number): Float64Array;
  /** Evaluates every node at θ so that kept values can be {@link read}. */
  evaluate(theta: Float64Array): void;
  /** The value of a node after {@link evaluate} (constants at any time): a number or a live buffer. */
  read(node: number): number | Float64Array;
  /** Generated JavaScript source of a function ('prologue', 'simulate', 'evaluate' or a selection key), for inspection. */
  source(name: string): string | undefined;
}

/**
 * Every term including log|J|: the density samplers need.
 *
 * @example
 * ```ts
 * compiled.density(ALL_TERMS);
 * ```
 */
export const ALL_TERMS: TermSelection = Object.freeze({ prior: true, likelihood: true, jacobian: true });

type Mode = "prologue" | "value" | "grad" | "simulate" | "evaluate";

/** Everything generated code reads, passed once to the generated factory. */
interface Context {
  readonly B: (Float64Array | undefined)[];
  readonly A: (Float64Array | undefined)[];
  readonly I: (Int32Array | undefined)[];
  readonly OP: (LinearOperator | undefined)[];
  readonly BJ: (Bijector | undefined)[];
  readonly D: (Distribution | undefined)[];
  readonly P: (Record<string, Value> | undefined)[];
  readonly G: (GradOut | undefined)[];
  readonly F: (((x: Value, p: Params, out: GradOut) => number) | undefined)[];
  readonly S: (LatentSampler | undefined)[];
  readonly Y: (Float64Array | undefined)[];
  readonly SH: (readonly number[] | undefined)[];
  /** Factor, statistics and scratch of large `gaussian_linear` nodes. */
  readonly GL: (GaussianLinearContext | undefined)[];
  /** Element kernels of fused terms: log density, log density with partials, parameter supports. */
  readonly KL: (ElementKernel["logDensity"] | undefined)[];
  readonly KG: (ElementKernel["logDensityGrad"] | undefined)[];
  readonly KS: (readonly Support[] | undefined)[];
  /** Per-parameter constants of fused terms: how to compute them, and where they live. */
  readonly KO: (ElementKernel["constants"] | undefined)[];
  readonly KK: (Float64Array | undefined)[];
  /** Values and partials of groups of scalar terms evaluated in one loop (filled as code is generated). */
  readonly GX: Float64Array[];
  readonly GG: Float64Array[];
  /** Partials of one element, written by a kernel and read straight back. */
  readonly kg: Float64Array;
  readonly insup: (support: Support, x: number) => boolean;
  readonly gs: Float64Array;
  readonly sc: Float64Array;
  readonly sv: Float64Array;
  readonly JG: Float64Array;
  readonly ZERO: Float64Array;
  readonly lgst: (x: number) => number;
  readonly sp: (x: number) => number;
  readonly sq: (x: number) => number;
  /** The slow path of a NaN log density (selection key): throws a DomainError naming the site, or returns −∞. */
  readonly nan: (theta: Float64Array, key: string) => number;
  /** The slow path of a NaN gradient entry at a finite value: throws naming the site, or leaves `grad` as it is. */
  readonly nang: (theta: Float64Array, grad: Float64Array, key: string) => void;
}

/**
 * Most coordinates of a `gaussian_linear` node whose products with R are written out term by
 * term: measured on V8 11.3 for a full K × K product, the unrolled form (K = 10: 45 ns, K = 20:
 * 180 ns) beats both a loop (1.2 ns per entry, latency-bound) and the SIMD kernel (≈ 150 ns per
 * call before any work) up to about K = 20, and spills registers beyond.
 */
const UNROLL_MAX = 20;

/** What the generated code of a large `gaussian_linear` node reads and writes. */
interface GaussianLinearContext {
  /** R as a dense operator (through the kernel set). */
  readonly factor: LinearOperator;
  readonly center: Float64Array;
  readonly shift: Float64Array;
  /** d = z − ẑ. */
  readonly d: Float64Array;
  /** u = R·d − shift. */
  readonly u: Float64Array;
  /** Rᵀu. */
  readonly t: Float64Array;
}

/**
 * Options of {@link compileProgram}.
 *
 * @example
 * ```ts
 * compileProgram(program, { sufficientStatistics: false }); // every term as written
 * ```
 */
export interface CompileProgramOptions {
  /**
   * Generate densities from `collapseGaussianLikelihoods(program)`: Gaussian likelihoods of
   * fixed data with a mean affine in few unknowns cost O(K²) per call instead of O(N·K)
   * (default true). Simulation and read-out always use the program as given. False is for
   * comparisons (tests, benchmarks).
   */
  readonly sufficientStatistics?: boolean;
}

/**
 * Compiles a program. Throws DomainError if a constant part of the program is invalid.
 *
 * @param program - nodes in dependency order and the terms of the density
 * @param options - whether densities may use sufficient statistics (default yes)
 * @returns the compiled functions
 * @example
 * ```ts
 * const compiled = compileProgram({ nodes, terms, dimension });
 * compiled.density(ALL_TERMS).logDensity(theta);
 * ```
 */
export function compileProgram(program: Program, options: CompileProgramOptions = {}): CompiledProgram {
  const fullCompiler = new ProgramCompiler(program);
  const full = fullCompiler.compiled();
  if (options.sufficientStatistics === false) return full;
  // Static values (data, transformed data) as the full program's prologue computed them.
  const reduced = collapseGaussianLikelihoods(program, (i) => full.read(i));
  if (reduced === program) return full;
  // A NaN is explained on the program as written, whose terms are the model's.
  const densities = new ProgramCompiler(reduced, fullCompiler.view).compiled();
  return {
    ...full,
    density: densities.density,
    source: (name) => (/^(value|grad):/.test(name) ? densities.source(name) : full.source(name)),
  };
}

class ProgramCompiler {
  private readonly nodes: readonly ProgramNode[];
  private readonly terms: readonly Term[];
  private readonly isStatic: boolean[];
  private readonly needsGrad: boolean[];
  private readonly inlined: boolean[];
  private readonly fused: boolean[];
  private readonly kernels: (ElementKernel | undefined)[];
  private readonly ctx: Context;
  private readonly sources = new Map<string, string>();
  private readonly densities = new Map<string, DensityPair>();
  private simulateFn?: (rng: Rng, thetaOut: Float64Array) => void;
  private evaluateFn?: (theta: Float64Array) => void;
  /** The prior term that samples each latent node. */
  private readonly samplerOf = new Map<number, number>();

  /** What the NaN diagnosis reads: this program, evaluated node by node. */
  readonly view: ProgramView;

  /**
   * @param program - the program to compile
   * @param explainOn - the program NaN values are explained on (default: this one); the collapsed
   *   program's densities explain theirs on the program as written
   */
  constructor(program: Program, explainOn?: ProgramView) {
    this.nodes = program.nodes;
    this.terms = program.terms;
    const n = this.nodes.length;
    this.isStatic = staticNodes(this.nodes);
    this.needsGrad = new Array<boolean>(n).fill(false);
    this.inlined = new Array<boolean>(n).fill(false);
    this.fused = new Array<boolean>(n).fill(false);
    this.kernels = this.terms.map((term) => (term.kind === "density" ? this.fusableKernel(term) : undefined));
    const uses = new Array<number>(n).fill(0);
    const termOf = new Array<number>(n).fill(-1);
    const soleConsumer = new Array<number>(n).fill(-1);
    this.nodes.forEach((node, i) => {
      const ins = nodeInputs(node);
      for (const j of ins) {
        if (j >= i) throw new Error(`program node ${i} reads node ${j}, which is not earlier`);
        uses[j]!++;
        soleConsumer[j] = i;
      }
      if (node.op === "gaussian_linear") checkGaussianLinear(i, node, this.nodes);
      this.needsGrad[i] = node.op === "latent" ? !node.discrete : ins.some((j) => this.needsGrad[j]);
    });
    this.terms.forEach((term, t) => {
      if (term.kind === "density" && this.kernels[t] !== undefined) {
        // A fused term computes its parameters' elementwise chains in its own loop.
        uses[term.value]! += 2;
        for (const j of Object.values(term.params)) {
          uses[j]!++;
          termOf[j] = t;
        }
      } else {
        for (const j of termInputs(term)) uses[j]! += 2; // other terms never take an inlined operand
      }
      if (term.kind === "density" && term.samples) this.samplerOf.set(term.value, t);
    });
    this.nodes.forEach((node, i) => {
      if (node.scalar || this.isStatic[i] || node.keep) return;
      if (node.op !== "unary" && node.op !== "binary" && node.op !== "gather") return;
      if (uses[i] !== 1) return;
      if (termOf[i] >= 0) {
        this.fused[i] = true;
        return;
      }
      const c = this.nodes[soleConsumer[i]!]!;
      const elementwiseUse = (c.op === "unary" || c.op === "binary") && !c.scalar;
      const reductionUse = c.op === "reduce" && c.fn !== "log_sum_exp";
      this.inlined[i] = elementwiseUse || reductionUse;
    });
    this.view = {
      nodes: this.nodes,
      terms: this.terms,
      kernels: this.kernels,
      needsGrad: this.needsGrad,
      evaluate: (theta) => {
        this.evaluateFn ??= this.generate("evaluate", ALL_TERMS) as (theta: Float64Array) => void;
        this.evaluateFn(theta);
      },
      stored: (i) => {
        const node = this.nodes[i]!;
        if (!node.scalar) return this.ctx.B[i];
        return this.isStatic[i] ? this.ctx.sv[i]! : this.ctx.sc[i]!;
      },
    };
    this.ctx = this.allocate(program, explainOn ?? this.view);
    this.runPrologue();
  }

  /**
   * The element kernel a density term is evaluated with in generated loops, or undefined when the
   * term must call its distribution (not a scalar family, an argument the family does not
   * declare, a required argument missing, or an argument whose size does not match the value's).
   */
  private fusableKernel(term: DensityTerm): ElementKernel | undefined {
    const kernel = elementKernel(term.dist);
    if (kernel === undefined) return undefined;
    const size = this.nodes[term.value]!.size;
    for (const [name, j] of Object.entries(term.params)) {
      const node = this.nodes[j]!;
      if (!kernel.paramOrder.includes(name) || (!node.scalar && node.size !== size)) return undefined;
    }
    const complete = kernel.paramOrder.every((name, m) => name in term.params || kernel.defaults[m] !== undefined);
    return complete ? kernel : undefined;
  }

  compiled(): CompiledProgram {
    return {
      density: (selection) => this.density(selection),
      simulate: (rng, thetaOut) => {
        this.simulateFn ??= this.generate("simulate", ALL_TERMS) as (rng: Rng, thetaOut: Float64Array) => void;
        this.simulateFn(rng, thetaOut);
      },
      predictive: (t) => {
        const y = this.ctx.Y[t];
        if (y === undefined) throw new RangeError(`term ${t} has no predictive buffer`);
        return y;
      },
      evaluate: (theta) => this.view.evaluate(theta),
      read: (i) => {
        const node = this.nodes[i]!;
        if (!node.scalar) return this.ctx.B[i]!;
        return this.isStatic[i] ? this.ctx.sv[i]! : this.ctx.sc[i]!;
      },
      source: (name) => this.sources.get(name),
    };
  }

  private density(selection: TermSelection): DensityPair {
    const key = selectionKey(selection);
    let pair = this.densities.get(key);
    if (pair === undefined) {
      pair = {
        logDensity: this.generate("value", selection) as (theta: Float64Array) => number,
        logDensityAndGrad: this.generate("grad", selection) as (theta: Float64Array, grad: Float64Array) => number,
      };
      this.densities.set(key, pair);
    }
    return pair;
  }

  /** Buffers, adjoints and per-term call objects, all allocated once. */
  private allocate(program: Program, explainOn: ProgramView): Context {
    const n = this.nodes.length;
    const selections = new Map<string, (term: Term) => boolean>();
    const selected = (key: string): ((term: Term) => boolean) => {
      let filter = selections.get(key);
      if (filter === undefined) {
        const prior = key[0] === "P";
        const likelihood = key[1] === "L";
        filter = (term) => (term.part === "prior" ? prior : likelihood);
        selections.set(key, filter);
      }
      return filter;
    };
    const ctx: Context = {
      B: new Array(n).fill(undefined),
      A: new Array(n).fill(undefined),
      I: new Array(n).fill(undefined),
      OP: new Array(n).fill(undefined),
      BJ: new Array(n).fill(undefined),
      D: new Array(this.terms.length).fill(undefined),
      P: new Array(this.terms.length).fill(undefined),
      G: new Array(this.terms.length).fill(undefined),
      F: new Array(this.terms.length).fill(undefined),
      S: new Array(this.terms.length).fill(undefined),
      Y: new Array(this.terms.length).fill(undefined),
      SH: new Array(this.terms.length).fill(undefined),
      GL: new Array(n).fill(undefined),
      KL: this.kernels.map((k) => k?.logDensity),
      KG: this.kernels.map((k) => k?.logDensityGrad),
      KS: this.kernels.map((k) => k?.supports),
      KO: this.kernels.map((k) => k?.constants),
      KK: this.kernels.map((k) => (k === undefined ? undefined : new Float64Array(k.constants?.size ?? 0))),
      kg: new Float64Array(4),
      GX: [],
      GG: [],
      insup: inScalarSupport,
      gs: new Float64Array(n),
      sc: new Float64Array(n),
      sv: new Float64Array(n),
      JG: new Float64Array(program.dimension),
      ZERO: new Float64Array(Math.max(1, ...this.nodes.map((x) => x.size))),
      lgst: logistic,
      sp: log1pexp,
      sq: (x) => x * x,
      nan: (theta, key) => {
        explainNaNLogDensity(explainOn, theta, selected(key));
        return Number.NEGATIVE_INFINITY;
      },
      nang: (theta, grad, key) => explainNaNGradient(explainOn, theta, grad, selected(key)),
    };
    this.nodes.forEach((node, i) => {
      if (node.op === "const") {
        if (typeof node.value === "number") ctx.sv[i] = node.value;
        else ctx.B[i] = node.value;
      } else if (node.op === "input") {
        ctx.B[i] = node.buffer;
      } else if (!node.scalar && !this.inlined[i]) {
        ctx.B[i] = new Float64Array(node.size);
      }
      // A fused node's adjoint never leaves its term's loop.
      if (!node.scalar && !this.inlined[i] && !this.fused[i] && this.needsGrad[i])
        ctx.A[i] = new Float64Array(node.size);
      if (node.op === "gather") ctx.I[i] = node.index;
      if (node.op === "matvec") ctx.OP[i] = node.operator;
      if (node.op === "latent" && node.bijector) ctx.BJ[i] = node.bijector;
      // Small factors are literals in the generated code; larger ones a dense operator.
      if (node.op === "gaussian_linear" && node.center.length > UNROLL_MAX) {
        const { factor, center, shift } = node;
        const k = center.length;
        ctx.GL[i] = {
          factor: new DenseOperator(factor, k, k),
          center,
          shift,
          d: new Float64Array(k),
          u: new Float64Array(k),
          t: new Float64Array(k),
        };
      }
    });
    this.terms.forEach((term, t) => {
      if (term.kind !== "density") return;
      ctx.D[t] = term.dist;
      ctx.SH[t] = term.shape;
      const p: Record<string, Value> = {};
      for (const [name, j] of Object.entries(term.params)) {
        const node = this.nodes[j]!;
        p[name] = node.scalar ? 0 : ctx.B[j]!;
      }
      ctx.P[t] = p;
      const gradFor = (j: number): Float64Array | undefined => {
        if (!this.needsGrad[j]) return undefined;
        return this.nodes[j]!.scalar ? ctx.gs.subarray(j, j + 1) : ctx.A[j];
      };
      const params: Record<string, Float64Array | undefined> = {};
      for (const [name, j] of Object.entries(term.params)) params[name] = gradFor(j);
      ctx.G[t] = { x: term.dist.discrete ? undefined : gradFor(term.value), params };
      if (term.dist.logDensityGrad === undefined) ctx.F[t] = finiteDifferenceGrad(term.dist);
      if (term.samples) ctx.S[t] = this.latentSampler(term, ctx);
      else {
        const size = this.nodes[term.value]!.size;
        ctx.Y[t] = new Float64Array(size);
      }
    });
    return ctx;
  }

  /**
   * Draws latent `term.value` from its prior into its buffer and θ, rejecting draws outside a
   * declared support or outside computed bounds (`lower`/`upper`: their current values, a number
   * or one per element; the open interval, since a value on a bound has no unconstrained point).
   */
  private latentSampler(term: DensityTerm, ctx: Context): LatentSampler {
    const i = term.value;
    const node = this.nodes[i]!;
    if (node.op !== "latent") throw new Error(`sampling term ${term.label ?? ""} does not draw a latent`);
    const scalar = node.scalar;
    const buffer = scalar ? ctx.sc : ctx.B[i]!;
    const offset = scalar ? i : 0;
    const size = node.size;
    const support = term.support;
    const checkable = support !== undefined && isScalarSupport(support);
    const { dist } = term;
    const { offset: thetaOffset, bijector, discrete } = node;
    const computed = computedBounds(node).length > 0;
    return (rng, thetaOut, lower, upper) => {
      const params = ctx.P[this.samplerOf.get(i)!]!;
      for (let attempt = 0; ; attempt++) {
        if (scalar) buffer[offset] = dist.sample(rng, params, term.shape) as number;
        else dist.sample(rng, params, term.shape, buffer);
        const inside = computed
          ? insideBounds(buffer, offset, size, lower, upper)
          : !checkable || allInside(support!, buffer, offset, size);
        if (inside) break;
        if (attempt >= MAX_REJECTIONS) {
          throw new DomainError({
            where: "samplePrior",
            what: `could not draw '${term.label ?? `node ${i}`}' inside its declared ${computed ? "bounds" : "support"} in ${MAX_REJECTIONS} tries`,
            expected: computed
              ? describeBounds(lower, upper)
              : support === undefined
                ? undefined
                : formatSupport(support),
            hint: "use a prior whose support matches the declared bounds (e.g. half_normal for a positive scale).",
          });
        }
      }
      if (computed) {
        for (let k = 0; k < size; k++) {
          const x = buffer[offset + k]!;
          const lo = lower === undefined ? 0 : typeof lower === "number" ? lower : lower[k]!;
          const hi = upper === undefined ? 0 : typeof upper === "number" ? upper : upper[k]!;
          thetaOut[thetaOffset + k] =
            lower === undefined
              ? Math.log(hi - x)
              : upper === undefined
                ? Math.log(x - lo)
                : Math.log(x - lo) - Math.log(hi - x);
        }
      } else if (bijector && !discrete) bijector.inverse(buffer, offset, thetaOut, thetaOffset, size);
      else for (let k = 0; k < size; k++) thetaOut[thetaOffset + k] = buffer[offset + k]!;
    };
  }

  private runPrologue(): void {
    if (!this.nodes.some((node, i) => this.isStatic[i] && node.op !== "const")) return;
    const fn = this.generate("prologue", ALL_TERMS) as () => void;
    fn();
  }

  /** Generates and instantiates one function. */
  private generate(mode: Mode, selection: TermSelection): unknown {
    const emitter = new Emitter(
      this.nodes,
      this.terms,
      this.isStatic,
      this.needsGrad,
      this.inlined,
      this.fused,
      this.kernels,
      this.ctx,
      mode,
      selection,
      this.samplerOf,
    );
    const body = emitter.emit();
    const name = mode === "value" || mode === "grad" ? `${mode}:${selectionKey(selection)}` : mode;
    this.sources.set(name, body);
    try {
      return new Function("ctx", body)(this.ctx);
    } catch (err) {
      throw new SprigError({
        where: "density compiler",
        what: `generated code for '${name}' failed to compile (a sprig bug)`,
        got: (err as Error).message,
        hint: "please report it with the model.",
      });
    }
  }
}

const MAX_REJECTIONS = 1000;

/** Emits the source of one generated function. */
class Emitter {
  private readonly lines: string[] = [];
  private readonly live: boolean[];

  constructor(
    private readonly nodes: readonly ProgramNode[],
    private readonly terms: readonly Term[],
    private readonly isStatic: boolean[],
    private readonly needsGrad: boolean[],
    private readonly inlined: boolean[],
    private readonly fused: boolean[],
    private readonly kernels: readonly (ElementKernel | undefined)[],
    private readonly ctx: Context,
    private readonly mode: Mode,
    private readonly selection: TermSelection,
    private readonly samplerOf: ReadonlyMap<number, number>,
  ) {
    this.live = this.liveness();
  }

  emit(): string {
    const prelude = this.prelude();
    const { mode } = this;
    const params =
      mode === "grad" ? "theta, grad" : mode === "simulate" ? "rng, thetaOut" : mode === "prologue" ? "" : "theta";
    this.line(`return function ${mode}(${params}) {`);
    if (mode === "grad") {
      this.line("grad.fill(0);");
      this.line("gs.fill(0);");
      this.nodes.forEach((_, i) => {
        if (this.live[i] && this.ctx.A[i] !== undefined) this.line(`a${i}.fill(0);`);
      });
    }
    if (mode === "value" || mode === "grad") this.line("let lp = 0;", "let lj = 0;");
    this.nodes.forEach((_, i) => {
      if (this.live[i] && this.emitsHere(i)) this.forward(i);
    });
    if (mode === "value" || mode === "grad") {
      const groups = this.scalarTermGroups();
      this.terms.forEach((term, t) => {
        if (!this.selected(term)) return;
        const group = groups.get(t);
        if (group === undefined) this.termForward(term, t);
        else if (group[0] === t) this.termGroup(group);
      });
    }
    if (mode === "simulate") {
      this.terms.forEach((term, t) => {
        if (term.kind === "density" && !term.samples) this.predictiveDraw(term, t);
      });
    }
    if (mode === "evaluate") {
      this.nodes.forEach((node, i) => {
        if (node.scalar && !this.isStatic[i]) this.line(`sc[${i}] = v${i};`);
      });
    }
    if (mode === "prologue") {
      this.nodes.forEach((node, i) => {
        if (node.scalar && this.isStatic[i] && node.op !== "const") this.line(`sv[${i}] = v${i};`);
      });
    }
    if (mode === "grad") {
      this.terms.forEach((term) => {
        if (term.kind === "factor" && this.selected(term) && this.needsGrad[term.value])
          this.line(`gs[${term.value}] += 1;`);
      });
      for (let i = this.nodes.length - 1; i >= 0; i--) {
        if (this.live[i] && this.emitsHere(i) && this.needsGrad[i]) this.backward(i);
      }
    }
    if (mode === "value" || mode === "grad") {
      // NaN takes the slow path (nan_diagnosis.ts): a DomainError naming the site when it came from
      // ordinary finite numbers, −∞ when from overflowed ones. The hot path pays one comparison,
      // and with the gradient one sum over it.
      const key = JSON.stringify(selectionKey(this.selection));
      this.line(`const total = lp${this.selection.jacobian ? " + lj" : ""};`);
      if (mode === "value") {
        this.line(`return total === total ? total : NAN(theta, ${key});`);
      } else {
        this.line(
          `if (!(total > -Infinity)) { if (total !== total) NAN(theta, ${key}); grad.fill(0); return -Infinity; }`,
          "let gn = 0;",
          `for (let k = 0; k < ${this.ctx.JG.length}; k++) gn += grad[k];`,
          `if (gn !== gn) NANG(theta, grad, ${key});`,
          "return total;",
        );
      }
    }
    this.line("};");
    return `${prelude}\n${this.lines.join("\n")}\n`;
  }

  private line(...text: string[]): void {
    this.lines.push(...text);
  }

  private selected(term: Term): boolean {
    return term.part === "prior" ? this.selection.prior : this.selection.likelihood;
  }

  /** Nodes whose values the function needs. */
  private liveness(): boolean[] {
    const n = this.nodes.length;
    if (this.mode === "prologue") return this.isStatic.slice();
    const live = new Array<boolean>(n).fill(false);
    if (this.mode === "simulate" || this.mode === "evaluate") return live.fill(true);
    const stack: number[] = [];
    const mark = (i: number): void => {
      if (!live[i]) {
        live[i] = true;
        stack.push(i);
      }
    };
    this.terms.forEach((term) => {
      if (this.selected(term)) for (const j of termInputs(term)) mark(j);
    });
    if (this.selection.jacobian) {
      this.nodes.forEach((node, i) => {
        if (node.op === "latent" && !node.discrete && (node.bijector || computedBounds(node).length > 0)) mark(i);
      });
    }
    while (stack.length > 0) for (const j of nodeInputs(this.nodes[stack.pop()!]!)) mark(j);
    return live;
  }

  /** Whether node i is computed by its own statement (not inlined, not precomputed). */
  private emitsHere(i: number): boolean {
    if (this.inlined[i]) return false;
    // Fused nodes live in their term's loop; simulation and read-out still need them stored.
    if (this.fused[i]) return this.mode === "simulate" || this.mode === "evaluate";
    if (this.mode === "prologue") return this.isStatic[i] && this.nodes[i]!.op !== "const";
    return !this.isStatic[i];
  }

  private prelude(): string {
    const out: string[] = [
      "const gs = ctx.gs, sc = ctx.sc, sv = ctx.sv, JG = ctx.JG, ZERO = ctx.ZERO;",
      "const lgst = ctx.lgst, sp = ctx.sp, sq = ctx.sq, kg = ctx.kg, insup = ctx.insup, NAN = ctx.nan, NANG = ctx.nang;",
    ];
    this.nodes.forEach((_, i) => {
      if (this.ctx.B[i]) out.push(`const b${i} = ctx.B[${i}];`);
      if (this.ctx.A[i]) out.push(`const a${i} = ctx.A[${i}];`);
      if (this.ctx.I[i]) out.push(`const ix${i} = ctx.I[${i}];`);
      if (this.ctx.OP[i]) out.push(`const op${i} = ctx.OP[${i}];`);
      if (this.ctx.BJ[i]) out.push(`const bj${i} = ctx.BJ[${i}];`);
      if (this.ctx.GL[i])
        out.push(
          `const gop${i} = ctx.GL[${i}].factor, gz${i} = ctx.GL[${i}].center, ge${i} = ctx.GL[${i}].shift, gd${i} = ctx.GL[${i}].d, gu${i} = ctx.GL[${i}].u, gt${i} = ctx.GL[${i}].t;`,
        );
    });
    this.terms.forEach((_, t) => {
      if (this.ctx.D[t])
        out.push(`const D${t} = ctx.D[${t}], P${t} = ctx.P[${t}], G${t} = ctx.G[${t}], SH${t} = ctx.SH[${t}];`);
      if (this.ctx.F[t]) out.push(`const F${t} = ctx.F[${t}];`);
      if (this.ctx.S[t]) out.push(`const S${t} = ctx.S[${t}];`);
      if (this.ctx.Y[t]) out.push(`const Y${t} = ctx.Y[${t}];`);
      if (this.ctx.KL[t])
        out.push(
          `const KL${t} = ctx.KL[${t}], KG${t} = ctx.KG[${t}], KS${t} = ctx.KS[${t}], KO${t} = ctx.KO[${t}], KK${t} = ctx.KK[${t}];`,
        );
    });
    return out.join("\n");
  }

  /** A scalar node's value as an expression. */
  private sref(i: number): string {
    if (this.isStatic[i] && this.mode !== "prologue") return literal(this.ctx.sv[i]!);
    if (this.mode === "prologue" && this.nodes[i]!.op === "const") return literal(this.ctx.sv[i]!);
    return `v${i}`;
  }

  /** Element k of node i inside a loop, inlining fused chains. */
  private elem(i: number): string {
    const node = this.nodes[i]!;
    if (node.scalar) return this.sref(i);
    if (!this.inlined[i]) return `b${i}[k]`;
    return this.opExpr(i, (j) => this.elem(j));
  }

  /** The expression of an elementwise op with operands rendered by `arg`. */
  private opExpr(i: number, arg: (j: number) => string): string {
    const node = this.nodes[i]!;
    switch (node.op) {
      case "unary":
        return unaryExpr(node.fn, arg(node.x));
      case "binary":
        if (node.fn === "pow" && this.isStatic[node.b] && this.nodes[node.b]!.scalar && this.ctx.sv[node.b] === 2)
          return `sq(${arg(node.a)})`;
        return binaryExpr(node.fn, arg(node.a), arg(node.b));
      case "gather":
        return `b${node.src}[ix${i}[k]]`;
      default:
        throw new Error(`node ${i} (${node.op}) is not elementwise`);
    }
  }

  private forward(i: number): void {
    const node = this.nodes[i]!;
    const n = node.size;
    switch (node.op) {
      case "const":
        return;
      case "input":
        if (node.scalar) this.line(`const v${i} = b${i}[0];`);
        return;
      case "latent":
        this.latentForward(i);
        return;
      case "unary":
      case "binary":
      case "gather":
        if (node.scalar) this.line(`const v${i} = ${this.opExpr(i, (j) => this.sref(j))};`);
        else this.line(`for (let k = 0; k < ${n}; k++) b${i}[k] = ${this.opExpr(i, (j) => this.elem(j))};`);
        return;
      case "index":
        this.line(`const v${i} = b${node.src}[${node.at}];`);
        return;
      case "reduce": {
        const x = this.nodes[node.x]!;
        const m = x.size;
        if (node.fn === "log_sum_exp") {
          this.line(
            `let m${i} = -Infinity;`,
            `for (let k = 0; k < ${m}; k++) if (b${node.x}[k] > m${i}) m${i} = b${node.x}[k];`,
            `let s${i} = 0;`,
            `if (m${i} !== -Infinity && m${i} !== Infinity) for (let k = 0; k < ${m}; k++) s${i} += Math.exp(b${node.x}[k] - m${i});`,
            `const v${i} = m${i} === -Infinity || m${i} === Infinity ? m${i} : m${i} + Math.log(s${i});`,
          );
          return;
        }
        this.line(`let s${i} = 0;`, `for (let k = 0; k < ${m}; k++) s${i} += ${this.elem(node.x)};`);
        this.line(`const v${i} = ${node.fn === "mean" ? `s${i} / ${m}` : `s${i}`};`);
        return;
      }
      case "matvec":
        this.line(`op${i}.apply(b${node.x}, b${i});`);
        return;
      case "stack":
        node.elements.forEach((e, k) => {
          this.line(`b${i}[${k}] = ${this.sref(e)};`);
        });
        return;
      case "gaussian_linear":
        this.gaussianLinearForward(i);
        return;
    }
  }

  /**
   * σ of a `gaussian_linear` node as code, or its value when the program fixes it (then the
   * normalising constant and 1/σ² are literals).
   */
  private gaussianScale(scale: number): { expr: string; fixed?: number } {
    if (this.isStatic[scale] && this.mode !== "prologue") return { expr: this.sref(scale), fixed: this.ctx.sv[scale]! };
    return { expr: this.sref(scale) };
  }

  /** Element m of z = (coordinate values) of a `gaussian_linear` node, as code, for each m. */
  private gaussianCoordinates(node: GaussianLinearOp): string[] {
    const z: string[] = [];
    for (const c of node.coords) {
      const coord = this.nodes[c]!;
      if (coord.scalar) z.push(this.sref(c));
      else for (let k = 0; k < coord.size; k++) z.push(`b${c}[${k}]`);
    }
    return z;
  }

  /**
   * d = z − ẑ, u = R·d − e (kept for the adjoint), r = rss + uᵀu, then the value with σ's support
   * checked as the normal family checks it. Up to {@link UNROLL_MAX} coordinates the product is
   * written out with R's entries as literals and d, u in locals (no loads, no bounds checks,
   * independent rows in flight); beyond, it is a dense product through the kernel set (SIMD),
   * whose fixed call cost is then the smaller part.
   */
  private gaussianLinearForward(i: number): void {
    const node = this.nodes[i]!;
    if (node.op !== "gaussian_linear") return;
    const k = node.center.length;
    const n = node.count;
    if (k <= UNROLL_MAX) {
      const z = this.gaussianCoordinates(node);
      const { factor, center, shift } = node;
      for (let m = 0; m < k; m++) this.line(`const gl${i}d${m} = ${z[m]} - ${literal(center[m]!)};`);
      const squares: string[] = [];
      for (let r = 0; r < k; r++) {
        const row: string[] = [];
        for (let c = r; c < k; c++)
          if (factor[r * k + c] !== 0) row.push(`${literal(factor[r * k + c]!)} * gl${i}d${c}`);
        if (shift[r] !== 0) row.push(literal(-shift[r]!));
        this.line(`const gl${i}u${r} = ${row.length > 0 ? row.join(" + ") : "0"};`);
        squares.push(`gl${i}u${r} * gl${i}u${r}`);
      }
      this.line(`const glr${i} = ${literal(node.rss)}${squares.length > 0 ? ` + (${squares.join(" + ")})` : ""};`);
    } else {
      const gather: string[] = [];
      let o = 0;
      for (const c of node.coords) {
        const coord = this.nodes[c]!;
        if (coord.scalar) gather.push(`gd${i}[${o}] = ${this.sref(c)} - gz${i}[${o}];`);
        else gather.push(`for (let k = 0; k < ${coord.size}; k++) gd${i}[${o} + k] = b${c}[k] - gz${i}[${o} + k];`);
        o += coord.size;
      }
      this.line(
        `let glr${i} = ${literal(node.rss)};`,
        "{",
        ...gather,
        `gop${i}.apply(gd${i}, gu${i});`,
        `for (let r = 0; r < ${k}; r++) {`,
        `  const u = gu${i}[r] - ge${i}[r];`,
        `  gu${i}[r] = u;`,
        `  glr${i} += u * u;`,
        "}",
        "}",
      );
    }
    const { expr: sg, fixed } = this.gaussianScale(node.scale);
    if (fixed === undefined) {
      this.line(
        `const v${i} = ${sg} > 0 && ${sg} < Infinity && glr${i} < Infinity ? ${literal(-n)} * Math.log(${sg}) - ${literal(n * HALF_LN_TWO_PI)} - 0.5 * glr${i} / (${sg} * ${sg}) : -Infinity;`,
      );
    } else if (fixed > 0 && fixed < Number.POSITIVE_INFINITY) {
      const constant = -n * (Math.log(fixed) + HALF_LN_TWO_PI);
      this.line(
        `const v${i} = glr${i} < Infinity ? ${literal(constant)} - ${literal(0.5 / (fixed * fixed))} * glr${i} : -Infinity;`,
      );
    } else {
      this.line(`const v${i} = -Infinity;`);
    }
  }

  /** Adjoints of a `gaussian_linear` node: −Rᵀu/σ² to z, (r/σ² − N)/σ to σ. */
  private gaussianLinearBackward(i: number): void {
    const node = this.nodes[i]!;
    if (node.op !== "gaussian_linear") return;
    const k = node.center.length;
    const { expr: sg, fixed } = this.gaussianScale(node.scale);
    const unrolled = k <= UNROLL_MAX;
    this.line(
      fixed === undefined
        ? `const w = gs[${i}] / (${sg} * ${sg});`
        : `const w = gs[${i}] * ${literal(1 / (fixed * fixed))};`,
    );
    if (!unrolled && node.coords.some((c) => this.needsGrad[c])) this.line(`gop${i}.applyTranspose(gu${i}, gt${i});`);
    /** (Rᵀu)_m: column m of the upper-triangular R against u. */
    const rtu = (m: number): string => {
      if (!unrolled) return `gt${i}[${m}]`;
      const terms: string[] = [];
      for (let r = 0; r <= m; r++)
        if (node.factor[r * k + m] !== 0) terms.push(`${literal(node.factor[r * k + m]!)} * gl${i}u${r}`);
      return terms.length > 0 ? `(${terms.join(" + ")})` : "0";
    };
    let o = 0;
    for (const c of node.coords) {
      const coord = this.nodes[c]!;
      if (this.needsGrad[c]) {
        if (coord.scalar) this.line(`gs[${c}] -= w * ${rtu(o)};`);
        else if (unrolled) for (let m = 0; m < coord.size; m++) this.line(`a${c}[${m}] -= w * ${rtu(o + m)};`);
        else this.line(`for (let k = 0; k < ${coord.size}; k++) a${c}[k] -= w * gt${i}[${o} + k];`);
      }
      o += coord.size;
    }
    if (this.needsGrad[node.scale]) this.line(`gs[${node.scale}] += (w * glr${i} - gs[${i}] * ${node.count}) / ${sg};`);
  }

  private latentForward(i: number): void {
    const node = this.nodes[i]!;
    if (node.op !== "latent") return;
    const n = node.size;
    const off = node.offset;
    if (this.mode === "simulate") {
      const t = this.samplerOf.get(i);
      if (t === undefined) throw new Error(`latent node ${i} has no prior term`);
      this.setDynamicParams(this.terms[t] as DensityTerm, t);
      const bound = (j: number | undefined): string =>
        j === undefined ? "undefined" : this.nodes[j]!.scalar ? this.sref(j) : `b${j}`;
      this.line(`S${t}(rng, thetaOut, ${bound(node.lower)}, ${bound(node.upper)});`);
      if (node.scalar) this.line(`const v${i} = sc[${i}];`);
      return;
    }
    if (computedBounds(node).length > 0) {
      this.computedBoundsForward(i);
      return;
    }
    if (!node.bijector || node.discrete) {
      if (node.scalar) this.line(`const v${i} = theta[${off}];`);
      else this.line(`for (let k = 0; k < ${n}; k++) b${i}[k] = theta[${off} + k];`);
      return;
    }
    const acc = this.mode === "value" || this.mode === "grad" ? "lj += " : "";
    if (node.scalar) {
      this.line(`${acc}bj${i}.forward(theta, ${off}, sc, ${i}, 1);`, `const v${i} = sc[${i}];`);
    } else {
      this.line(`${acc}bj${i}.forward(theta, ${off}, b${i}, 0, ${n});`);
    }
  }

  /**
   * x and log|J| of a latent whose bounds are computed nodes (a scalar bound broadcasts), inline:
   * lower + exp(u), upper − exp(u), or the interval map computed from the nearer end as the
   * `interval` bijector does, so both ends keep full relative precision. An empty interval
   * (upper ≤ lower at this θ) has log|J| = −∞: the point is outside the model's support.
   */
  private computedBoundsForward(i: number): void {
    const node = this.nodes[i]!;
    if (node.op !== "latent") return;
    const { lower, upper, offset: off, scalar } = node;
    const acc = this.mode === "value" || this.mode === "grad";
    const at = scalar ? `${off}` : `${off} + k`;
    const body: string[] = [`const u = theta[${at}];`];
    if (lower !== undefined) body.push(`const lo = ${this.elem(lower)};`);
    if (upper !== undefined) body.push(`const hi = ${this.elem(upper)};`);
    let x: string;
    if (lower !== undefined && upper !== undefined) {
      body.push("const w = hi - lo, e = Math.exp(-Math.abs(u)), near = (w * e) / (1 + e);");
      x = "u > 0 ? hi - near : lo + near";
      if (acc) body.push("lj += w > 0 ? Math.log(w) - Math.abs(u) - 2 * Math.log1p(e) : -Infinity;");
    } else {
      x = lower !== undefined ? "lo + Math.exp(u)" : "hi - Math.exp(u)";
      if (acc) body.push("lj += u;");
    }
    if (scalar) {
      this.line(`let v${i};`, "{", ...body, `v${i} = ${x};`, "}");
    } else {
      this.line(`for (let k = 0; k < ${node.size}; k++) {`, ...body, `b${i}[k] = ${x};`, "}");
    }
  }

  /** Adjoints of {@link computedBoundsForward}: to θ and to the bound nodes (with log|J|'s when selected). */
  private computedBoundsBackward(i: number): void {
    const node = this.nodes[i]!;
    if (node.op !== "latent") return;
    const { lower, upper, offset: off, scalar } = node;
    const jac = this.selection.jacobian;
    const at = scalar ? `${off}` : `${off} + k`;
    const g = scalar ? `gs[${i}]` : `a${i}[k]`;
    const adj = (j: number): string => (this.nodes[j]!.scalar ? `gs[${j}]` : `a${j}[k]`);
    const body: string[] = [`const u = theta[${at}], g = ${g};`];
    if (lower !== undefined) body.push(`const lo = ${this.elem(lower)};`);
    if (upper !== undefined) body.push(`const hi = ${this.elem(upper)};`);
    if (lower !== undefined && upper !== undefined) {
      // s = σ(u), 1 − s and s(1 − s) = e/(1 + e)² from e = exp(−|u|), exact at both ends.
      body.push(
        "const w = hi - lo, e = Math.exp(-Math.abs(u)), q = 1 + e;",
        "const s = u > 0 ? 1 / q : e / q, t = u > 0 ? e / q : 1 / q;",
        `grad[${at}] += (g * w * e) / (q * q)${jac ? " - Math.tanh(0.5 * u)" : ""};`,
      );
      if (this.needsGrad[lower]) body.push(`${adj(lower)} += g * t${jac ? " - 1 / w" : ""};`);
      if (this.needsGrad[upper]) body.push(`${adj(upper)} += g * s${jac ? " + 1 / w" : ""};`);
    } else {
      const sign = lower !== undefined ? "" : "-";
      body.push(`grad[${at}] += ${sign}g * Math.exp(u)${jac ? " + 1" : ""};`);
      const b = (lower ?? upper)!;
      if (this.needsGrad[b]) body.push(`${adj(b)} += g;`);
    }
    if (scalar) this.line(...body);
    else this.line(`for (let k = 0; k < ${node.size}; k++) {`, ...body, "}");
  }

  private setDynamicParams(term: DensityTerm, t: number): void {
    for (const [name, j] of Object.entries(term.params)) {
      const node = this.nodes[j]!;
      if (!node.scalar) continue;
      if (this.isStatic[j]) this.ctx.P[t]![name] = this.ctx.sv[j]!;
      else this.line(`P${t}[${JSON.stringify(name)}] = v${j};`);
    }
  }

  private valueRef(term: DensityTerm): string {
    const node = this.nodes[term.value]!;
    return node.scalar ? this.sref(term.value) : `b${term.value}`;
  }

  /**
   * Selected scalar-valued terms of the same element kernel with identical (scalar) arguments,
   * e.g. several coefficients each with a normal(0, 10) prior, by member term. Each group is
   * evaluated in one loop: one call site per kernel keeps the generated function within V8's
   * inlining budget, and a kernel call that is not inlined would box its result on every call.
   */
  private scalarTermGroups(): Map<number, number[]> {
    const byKey = new Map<string, number[]>();
    this.terms.forEach((term, t) => {
      const kernel = this.kernels[t];
      if (term.kind !== "density" || kernel === undefined || !this.selected(term)) return;
      if (!this.nodes[term.value]!.scalar || Object.values(term.params).some((j) => !this.nodes[j]!.scalar)) return;
      const args = kernel.paramOrder.map((name) => {
        const j = term.params[name];
        return j === undefined ? "default" : this.sref(j);
      });
      const key = `${this.kernels.indexOf(kernel)}(${args.join(", ")})`;
      const members = byKey.get(key);
      if (members === undefined) byKey.set(key, [t]);
      else members.push(t);
    });
    const groups = new Map<number, number[]>();
    for (const members of byKey.values()) if (members.length > 1) for (const t of members) groups.set(t, members);
    return groups;
  }

  /** A group of scalar terms (see {@link scalarTermGroups}) as one fused loop over their values. */
  private termGroup(members: readonly number[]): void {
    const t = members[0]!;
    const term = this.terms[t] as DensityTerm;
    const wantsGrad =
      this.mode === "grad" &&
      members.some((m) => {
        const member = this.terms[m] as DensityTerm;
        return (
          (!member.dist.discrete && this.needsGrad[member.value]) ||
          Object.values(member.params).some((j) => this.needsGrad[j])
        );
      });
    const values = members.map((m) => (this.terms[m] as DensityTerm).value);
    const id = this.ctx.GX.length;
    this.ctx.GX.push(new Float64Array(values.length));
    this.ctx.GG.push(new Float64Array(values.length));
    this.fusedTerm(term, t, this.kernels[t]!, wantsGrad, { id, values });
  }

  private termForward(term: Term, t: number): void {
    if (term.kind === "factor") {
      this.line(`lp += ${this.sref(term.value)};`);
      return;
    }
    const wantsGrad =
      this.mode === "grad" &&
      ((!term.dist.discrete && this.needsGrad[term.value]) ||
        Object.values(term.params).some((j) => this.needsGrad[j]));
    const kernel = this.kernels[t];
    if (kernel !== undefined) {
      this.fusedTerm(term, t, kernel, wantsGrad);
      return;
    }
    this.setDynamicParams(term, t);
    const x = this.valueRef(term);
    if (!wantsGrad) this.line(`lp += D${t}.logDensity(${x}, P${t});`);
    else if (this.ctx.F[t]) this.line(`lp += F${t}(${x}, P${t}, G${t});`);
    else this.line(`lp += D${t}.logDensityGrad(${x}, P${t}, G${t});`);
  }

  /**
   * A density term evaluated by its element kernel in a generated loop: parameter chains are
   * computed in registers, parameter supports checked as the family's broadcasting methods check
   * them, and partials added straight into adjoints (a fused parameter's adjoint is overwritten:
   * this term is its only consumer). No parameter object, no boxed number, no call per term.
   */
  private fusedTerm(
    term: DensityTerm,
    t: number,
    kernel: ElementKernel,
    wantsGrad: boolean,
    group?: { readonly id: number; readonly values: readonly number[] },
  ): void {
    const valueNode = this.nodes[term.value]!;
    const size = group?.values.length ?? valueNode.size;
    const vector =
      group !== undefined || !valueNode.scalar || Object.values(term.params).some((j) => !this.nodes[j]!.scalar);
    const pre: string[] = [`let s${t} = 0, ok${t} = true;`];
    const body: string[] = [];
    const post: string[] = [];
    const args: string[] = [
      group !== undefined ? `GX${group.id}[k]` : valueNode.scalar ? this.sref(term.value) : `b${term.value}[k]`,
    ];
    if (group !== undefined) {
      // The group's values, gathered into a scratch vector; their partials come back in another.
      pre.push(`const GX${group.id} = ctx.GX[${group.id}], GG${group.id} = ctx.GG[${group.id}];`);
      group.values.forEach((v, k) => {
        pre.push(`GX${group.id}[${k}] = ${this.sref(v)};`);
      });
    }
    /** Per kernel argument position: read per element (a vector), or fixed by the program. */
    const perElement: boolean[] = [];
    const fixed: boolean[] = [];
    let finite = false;
    const check = (m: number, v: string, into: string[]): void => {
      const support = kernel.supports[m]!;
      if (support.kind === "real" && into === body) {
        // Branch-free in the loop: v·0 is 0 for finite v and NaN for ±∞ or NaN.
        finite = true;
        into.push(`f${t} += ${v} * 0;`);
        return;
      }
      const test = supportTest(support, v) ?? `insup(KS${t}[${m}], ${v})`;
      into.push(`if (!${test}) ok${t} = false;`);
    };
    const accumulate = (j: number, partial: string, overwrite: boolean): void => {
      if (!this.needsGrad[j]) return;
      if (!this.nodes[j]!.scalar) {
        body.push(`a${j}[k] ${overwrite ? "=" : "+="} ${partial};`);
        return;
      }
      if (!vector) {
        body.push(`gs[${j}] += ${partial};`);
        return;
      }
      const acc = `g${t}_${body.length}`;
      pre.push(`let ${acc} = 0;`);
      body.push(`${acc} += ${partial};`);
      post.push(`gs[${j}] += ${acc};`);
    };
    kernel.paramOrder.forEach((name, m) => {
      const j = term.params[name];
      perElement.push(j !== undefined && !this.nodes[j]!.scalar);
      fixed.push(j === undefined || this.isStatic[j]!);
      if (j === undefined) {
        args.push(literal(kernel.defaults[m]!));
        return;
      }
      const node = this.nodes[j]!;
      if (node.scalar) {
        if (!this.isStatic[j]) check(m, this.sref(j), pre);
        else if (!inScalarSupport(kernel.supports[m]!, this.ctx.sv[j]!)) pre.push(`ok${t} = false;`);
        args.push(this.sref(j));
        return;
      }
      let v = `p${t}_${m}`;
      if (this.fused[j] && wantsGrad) {
        // The chain's values stay in registers for its adjoint, taken in this same loop.
        const value = (c: number): string => (this.inlined[c] ? `t${c}` : this.elem(c));
        for (const c of this.chainOrder(j)) body.push(`const t${c} = ${this.opExpr(c, value)};`);
        v = `t${j}`;
      } else {
        body.push(`const ${v} = ${this.fused[j] ? this.opExpr(j, (c) => this.elem(c)) : `b${j}[k]`};`);
      }
      check(m, v, body);
      args.push(v);
    });
    while (args.length < 4) args.push("0");
    const constants = kernel.constants;
    if (constants !== undefined) {
      const kk = this.ctx.KK[t]!;
      const params = args.slice(1);
      if (constants.params.some((m) => perElement[m])) {
        body.push(`KO${t}.compute(${params.join(", ")}, KK${t});`);
      } else if (constants.params.every((m) => fixed[m])) {
        // Fixed by the program: computed here, once (element-wise arguments are not read).
        const value = (m: number): number => {
          const j = term.params[kernel.paramOrder[m]!];
          return j === undefined ? (kernel.defaults[m] ?? 0) : this.nodes[j]!.scalar ? this.ctx.sv[j]! : 0;
        };
        constants.compute(value(0), value(1), value(2), kk);
      } else {
        pre.push(`KO${t}.compute(${params.map((a, m) => (perElement[m] ? "0" : a)).join(", ")}, KK${t});`);
      }
    }
    if (wantsGrad) {
      body.push(`s${t} += KG${t}(${args.join(", ")}, kg, KK${t});`);
      if (group !== undefined) {
        if (!kernel.discrete && group.values.some((v) => this.needsGrad[v])) {
          body.push(`GG${group.id}[k] = kg[0];`);
          group.values.forEach((v, k) => {
            if (this.needsGrad[v]) post.push(`gs[${v}] += GG${group.id}[${k}];`);
          });
        }
      } else if (!kernel.discrete) accumulate(term.value, "kg[0]", false);
      kernel.paramOrder.forEach((name, m) => {
        const j = term.params[name];
        if (j === undefined) return;
        if (this.fused[j] && this.needsGrad[j]) {
          const code = this.chainAdjoint(j, `kg[${m + 1}]`, true);
          for (const l of code.pre) if (!pre.includes(l)) pre.push(l);
          body.push(...code.body);
          for (const l of code.post) if (!post.includes(l)) post.push(l);
        } else accumulate(j, `kg[${m + 1}]`, this.fused[j]!);
      });
    } else {
      body.push(`s${t} += KL${t}(${args.join(", ")}, KK${t});`);
    }
    if (finite) pre.push(`let f${t} = 0;`);
    this.line("{", ...pre);
    if (vector) this.line(`for (let k = 0; k < ${size}; k++) {`, ...body.map((l) => `  ${l}`), "}");
    else this.line(...body);
    this.line(...post, `lp += ok${t}${finite ? ` && f${t} === 0` : ""} ? s${t} : -Infinity;`, "}");
  }

  private predictiveDraw(term: DensityTerm, t: number): void {
    this.setDynamicParams(term, t);
    if (this.nodes[term.value]!.scalar) this.line(`Y${t}[0] = D${t}.sample(rng, P${t}, SH${t});`);
    else this.line(`D${t}.sample(rng, P${t}, SH${t}, Y${t});`);
  }

  /** Where an adjoint contribution to node c goes inside an elementwise loop. */
  private accumulate(c: number, contribution: string, scalarAcc: Set<number>): string {
    if (this.inlined[c]) return `const d${c} = ${contribution};`;
    if (this.nodes[c]!.scalar) {
      scalarAcc.add(c);
      return `acc${c} += ${contribution};`;
    }
    return `a${c}[k] += ${contribution};`;
  }

  /** The nodes of the fused chain rooted at `root`, children before parents. */
  private chainOrder(root: number): number[] {
    const order: number[] = [];
    const collect = (j: number): void => {
      for (const c of nodeInputs(this.nodes[j]!)) if (this.inlined[c]) collect(c);
      order.push(j);
    };
    collect(root);
    return order;
  }

  /**
   * The adjoint of a fused elementwise chain rooted at `root`, whose adjoint at element k is
   * `seed`, as statements before a loop, in one iteration, and after it. With `valuesInScope`
   * the chain's temporaries `t<j>` are defined in the loop already (a fused term computed them);
   * otherwise the iteration recomputes the ones the adjoint rules read.
   */
  private chainAdjoint(
    root: number,
    seed: string,
    valuesInScope: boolean,
  ): { pre: string[]; body: string[]; post: string[] } {
    const order = this.chainOrder(root);
    const value = (c: number): string => (this.inlined[c] ? `t${c}` : this.elem(c));
    const adjoints: string[] = [`const d${root} = ${seed};`];
    const runs = new Set(
      order.filter((j) => this.nodes[j]!.op === "gather" && this.needsGrad[j] && hasLongRuns(this.ctx.I[j]!)),
    );
    const scalarAcc = new Set<number>();
    for (let q = order.length - 1; q >= 0; q--) {
      const j = order[q]!;
      if (!this.needsGrad[j]) continue;
      const node = this.nodes[j]!;
      const d = `d${j}`;
      const y = `t${j}`;
      if (node.op === "gather") {
        if (!this.needsGrad[node.src]) continue;
        if (runs.has(j)) {
          // Sorted/grouped index data: add up a run of equal indices in a register and store once
          // per run, instead of a load-add-store chain through memory on every element.
          adjoints.push(
            `const c${j} = ix${j}[k];`,
            `if (c${j} !== cur${j}) { a${node.src}[cur${j}] += run${j}; run${j} = 0; cur${j} = c${j}; }`,
            `run${j} += ${d};`,
          );
        } else {
          adjoints.push(`a${node.src}[ix${j}[k]] += ${d};`);
        }
      } else if (node.op === "unary") {
        if (this.needsGrad[node.x])
          adjoints.push(this.accumulate(node.x, unaryAdjoint(node.fn, d, value(node.x), y), scalarAcc));
      } else if (node.op === "binary") {
        const [ca, cb] = binaryAdjoints(node.fn, d, value(node.a), value(node.b), y);
        if (this.needsGrad[node.a]) adjoints.push(this.accumulate(node.a, ca, scalarAcc));
        if (this.needsGrad[node.b]) adjoints.push(this.accumulate(node.b, cb, scalarAcc));
      }
    }
    const body: string[] = [];
    if (!valuesInScope) {
      // Recompute only the chain values the adjoint rules read (and what those values need).
      const expressions = new Map(order.map((j) => [j, this.opExpr(j, value)] as const));
      const needed = new Set<number>();
      const scan = (text: string): void => {
        for (const m of text.matchAll(/\bt(\d+)\b/g)) {
          const j = Number(m[1]);
          if (expressions.has(j) && !needed.has(j)) {
            needed.add(j);
            scan(expressions.get(j)!);
          }
        }
      };
      scan(adjoints.join("\n"));
      for (const j of order) if (needed.has(j)) body.push(`const t${j} = ${expressions.get(j)};`);
    }
    body.push(...adjoints);
    const src = (j: number): number => (this.nodes[j] as { src: number }).src;
    return {
      pre: [
        ...[...scalarAcc].map((c) => `let acc${c} = 0;`),
        ...[...runs].map((j) => `let cur${j} = ix${j}[0], run${j} = 0;`),
      ],
      body,
      post: [
        ...[...scalarAcc].map((c) => `gs[${c}] += acc${c};`),
        ...[...runs].map((j) => `a${src(j)}[cur${j}] += run${j};`),
      ],
    };
  }

  /** The adjoint loop of a fused elementwise chain rooted at `root` (see {@link chainAdjoint}). */
  private chainBackward(root: number, seed: string): void {
    const { pre, body, post } = this.chainAdjoint(root, seed, false);
    const size = this.nodes[root]!.size;
    this.line(...pre, `for (let k = 0; k < ${size}; k++) {`, ...body.map((l) => `  ${l}`), "}", ...post);
  }

  private backward(i: number): void {
    const node = this.nodes[i]!;
    this.line("{");
    switch (node.op) {
      case "latent":
        this.latentBackward(i);
        break;
      case "unary":
      case "binary":
      case "gather":
        if (node.scalar) this.scalarBackward(i);
        else this.chainBackward(i, `a${i}[k]`);
        break;
      case "index":
        this.line(`a${node.src}[${node.at}] += gs[${i}];`);
        break;
      case "reduce": {
        const m = this.nodes[node.x]!.size;
        if (node.fn === "log_sum_exp") {
          this.line(
            `const g = gs[${i}];`,
            `if (g !== 0) for (let k = 0; k < ${m}; k++) a${node.x}[k] += g * Math.exp(b${node.x}[k] - v${i});`,
          );
        } else {
          this.line(`const g${i} = ${node.fn === "mean" ? `gs[${i}] / ${m}` : `gs[${i}]`};`);
          if (this.inlined[node.x]) this.chainBackward(node.x, `g${i}`);
          else this.line(`for (let k = 0; k < ${m}; k++) a${node.x}[k] += g${i};`);
        }
        break;
      }
      case "matvec":
        if (this.needsGrad[node.x]) this.line(`op${i}.applyTranspose(a${i}, a${node.x}, 1, 1);`);
        break;
      case "stack":
        node.elements.forEach((e, k) => {
          if (this.needsGrad[e]) this.line(`gs[${e}] += a${i}[${k}];`);
        });
        break;
      case "gaussian_linear":
        this.gaussianLinearBackward(i);
        break;
      default:
        break;
    }
    this.line("}");
  }

  private scalarBackward(i: number): void {
    const node = this.nodes[i]!;
    const d = `gs[${i}]`;
    const v = (j: number): string => this.sref(j);
    if (node.op === "unary") {
      if (this.needsGrad[node.x]) this.line(`gs[${node.x}] += ${unaryAdjoint(node.fn, d, v(node.x), `v${i}`)};`);
    } else if (node.op === "binary") {
      const [ca, cb] = binaryAdjoints(node.fn, d, v(node.a), v(node.b), `v${i}`);
      if (this.needsGrad[node.a]) this.line(`gs[${node.a}] += ${ca};`);
      if (this.needsGrad[node.b]) this.line(`gs[${node.b}] += ${cb};`);
    }
  }

  private latentBackward(i: number): void {
    const node = this.nodes[i]!;
    if (node.op !== "latent" || node.discrete) return;
    if (computedBounds(node).length > 0) {
      this.computedBoundsBackward(i);
      return;
    }
    const n = node.size;
    const off = node.offset;
    const adj = node.scalar ? `gs, ${i}` : `a${i}, 0`;
    if (!node.bijector) {
      if (node.scalar) this.line(`grad[${off}] += gs[${i}];`);
      else this.line(`for (let k = 0; k < ${n}; k++) grad[${off} + k] += a${i}[k];`);
      return;
    }
    this.line(`bj${i}.backward(theta, ${off}, ${n}, ${adj}, grad, ${off});`);
    if (!this.selection.jacobian) {
      // Bijector.backward always adds ∇ log|J|; take it out again for a Jacobian-free density.
      const u = node.unconstrainedSize;
      this.line(
        `JG.fill(0, ${off}, ${off + u});`,
        `bj${i}.backward(theta, ${off}, ${n}, ZERO, 0, JG, ${off});`,
        `for (let k = ${off}; k < ${off + u}; k++) grad[k] -= JG[k];`,
      );
    }
  }
}

/** The generated code trusts a `gaussian_linear` node's sizes: K = Σ coordinate sizes, R K × K. */
function checkGaussianLinear(i: number, node: GaussianLinearOp, nodes: readonly ProgramNode[]): void {
  const k = node.coords.reduce((n, c) => n + nodes[c]!.size, 0);
  const ok =
    nodes[node.scale]!.scalar &&
    node.center.length === k &&
    node.shift.length === k &&
    node.factor.length === k * k &&
    Number.isInteger(node.count) &&
    node.count >= 0;
  if (!ok) throw new Error(`program node ${i} (gaussian_linear) has inconsistent sizes`);
}

/** Average run of equal consecutive indices at which run-wise accumulation beats a plain scatter. */
const MIN_MEAN_RUN = 4;

/** Whether index data come in runs of equal values (grouped data, e.g. sorted by county). */
function hasLongRuns(index: Int32Array): boolean {
  if (index.length === 0) return false;
  let runs = 1;
  for (let k = 1; k < index.length; k++) if (index[k] !== index[k - 1]) runs++;
  return index.length >= MIN_MEAN_RUN * runs;
}

function termInputs(term: Term): number[] {
  return term.kind === "factor" ? [term.value] : [term.value, ...Object.values(term.params)];
}

function selectionKey(s: TermSelection): string {
  return `${s.prior ? "P" : "-"}${s.likelihood ? "L" : "-"}${s.jacobian ? "J" : "-"}`;
}

function literal(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (Object.is(x, -0)) return "(-0)";
  return x < 0 ? `(${x})` : String(x);
}

function unaryExpr(fn: string, x: string): string {
  switch (fn) {
    case "neg":
      return `(-${x})`;
    case "logistic":
      return `lgst(${x})`;
    case "softplus":
      return `sp(${x})`;
    default:
      return `Math.${fn}(${x})`;
  }
}

function binaryExpr(fn: string, a: string, b: string): string {
  switch (fn) {
    case "add":
      return `(${a} + ${b})`;
    case "sub":
      return `(${a} - ${b})`;
    case "mul":
      return `(${a} * ${b})`;
    case "div":
      return `(${a} / ${b})`;
    default:
      return `Math.pow(${a}, ${b})`;
  }
}

/** d/dx of y = fn(x), times the adjoint d. */
function unaryAdjoint(fn: string, d: string, x: string, y: string): string {
  switch (fn) {
    case "neg":
      return `-${d}`;
    case "exp":
      return `${d} * ${y}`;
    case "log":
      return `${d} / ${x}`;
    case "log1p":
      return `${d} / (1 + ${x})`;
    case "expm1":
      return `${d} * (${y} + 1)`;
    case "logistic":
      return `${d} * ${y} * (1 - ${y})`;
    case "softplus":
      return `${d} * lgst(${x})`;
    case "abs":
      return `(${x} > 0 ? ${d} : ${x} < 0 ? -${d} : 0)`;
    case "sqrt":
      return `0.5 * ${d} / ${y}`;
    default:
      throw new Error(`no adjoint for ${fn}`);
  }
}

/** Adjoint contributions to both operands of y = a fn b. */
function binaryAdjoints(fn: string, d: string, a: string, b: string, y: string): [string, string] {
  switch (fn) {
    case "add":
      return [d, d];
    case "sub":
      return [d, `-${d}`];
    case "mul":
      return [`${d} * ${b}`, `${d} * ${a}`];
    case "div":
      return [`${d} / ${b}`, `-${d} * ${y} / ${b}`];
    default:
      // ∂/∂b of a^b is a^b·log a; at a = 0 the limit (for b > 0) is 0.
      return [`${d} * ${b} * Math.pow(${a}, ${b} - 1)`, `(${a} > 0 ? ${d} * ${y} * Math.log(${a}) : 0)`];
  }
}

/**
 * Inline JavaScript for `inScalarSupport(support, v)` (v a variable) for the supports that
 * parameters usually have; undefined for the rest, which call inScalarSupport itself.
 */
function supportTest(support: Support, v: string): string | undefined {
  switch (support.kind) {
    case "real":
      return `Number.isFinite(${v})`;
    case "positive":
      return `(${v} > 0 && ${v} < Infinity)`;
    case "lower":
      return `(${v} >= ${literal(support.lower)} && ${v} < Infinity)`;
    case "upper":
      return `(${v} <= ${literal(support.upper)} && ${v} > -Infinity)`;
    case "interval":
      return `(${v} >= ${literal(support.lower)} && ${v} <= ${literal(support.upper)})`;
    default:
      return undefined;
  }
}

function isScalarSupport(s: Support): boolean {
  return s.kind !== "simplex" && s.kind !== "ordered" && s.kind !== "positive_ordered" && s.kind !== "cholesky_corr";
}

/** Draws one latent into its buffer and θ; `lower`/`upper` are the values of computed bounds. */
type LatentSampler = (
  rng: Rng,
  thetaOut: Float64Array,
  lower?: number | Float64Array,
  upper?: number | Float64Array,
) => void;

/** Whether every value lies strictly inside computed bounds (a number or one per element). */
function insideBounds(
  values: Float64Array,
  offset: number,
  n: number,
  lower: number | Float64Array | undefined,
  upper: number | Float64Array | undefined,
): boolean {
  for (let k = 0; k < n; k++) {
    const x = values[offset + k]!;
    const lo = lower === undefined ? Number.NEGATIVE_INFINITY : typeof lower === "number" ? lower : lower[k]!;
    const hi = upper === undefined ? Number.POSITIVE_INFINITY : typeof upper === "number" ? upper : upper[k]!;
    if (!(x > lo && x < hi)) return false;
  }
  return true;
}

/** `(0, 0.3)` for computed bounds in a message (vectors shown by their first elements). */
function describeBounds(lower: number | Float64Array | undefined, upper: number | Float64Array | undefined): string {
  const show = (b: number | Float64Array | undefined, inf: string): string =>
    b === undefined
      ? inf
      : typeof b === "number"
        ? String(b)
        : `[${Array.from(b.subarray(0, 3)).join(", ")}${b.length > 3 ? ", …" : ""}]`;
  return `values in (${show(lower, "-inf")}, ${show(upper, "inf")}) at the bounds' current values`;
}

function allInside(support: Support, values: Float64Array, offset: number, n: number): boolean {
  for (let k = 0; k < n; k++) if (!inScalarSupport(support, values[offset + k]!)) return false;
  return true;
}
