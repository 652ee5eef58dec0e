/**
 * Structure detection: from a compiled model and its data to the EM-SBL problem it contains, or
 * a refusal that names what is missing — before any iteration.
 *
 * A model EM-SBL can run has exactly one observation, linear-Gaussian in one coefficient vector,
 *
 *     y ~ normal(A · x [+ known offset], s)       or   y ~ complex_normal(A · x [+ offset], s)
 *
 * with A matrix data (any LinearOperator: dense, CSR, Kronecker, or a complex operator wrapped
 * by {@link ComplexAsRealOperator}), x the value of a Gaussian scale-mixture sparse prior found
 * through its annotations (`ard`, `kronecker_ard`, `block_ard`, `pc_sbl`, `student_t`), and a
 * noise scale s that is a constant, data, a hyper-parameter (as s, s², or 1/s²) or 1/√β with
 * β ~ gamma(a, b). Every other latent must belong to the prior's hierarchy, and no `factor`
 * terms may be present. Annotations are not trusted blindly: the prior variance of x is
 * evaluated from the model's own expressions at test values of the hyper-parameters and must
 * equal the closed form the EM updates assume.
 *
 * @module
 */
import { CapabilityError, describeValue } from "../../core/errors.js";
import { forEachChild, formatIrShape, referencedNames } from "../../ir/expr.js";
import { printExpr } from "../../ir/printer.js";
import type {
  Annotations,
  DeterministicNode,
  Expr,
  HyperNode,
  LatentNode,
  ModelGraph,
  ModelNode,
  ObservedNode,
} from "../../ir/types.js";
import type { BoundData } from "../model/data.js";
import type { LinearGaussianBlock, ModelStructure, SparsePriorGroup } from "../model/structure.js";
import type { Value } from "../../runtime/dists/distribution.js";
import type { LinearOperator } from "../../runtime/linear_operator.js";
import { KroneckerOperator } from "../../runtime/operators/index.js";
import { ComplexAsRealOperator } from "./complex_as_real.js";
import { evaluate, type ValueEnv } from "./evaluate.js";
import type { SblAlgorithm, SblNoise, SblProblem } from "./types.js";

const WHERE = "em-sbl";
const USE_OTHERS = "use nuts or vi.";

/**
 * How the prior on x maps to the EM problem, with the model's node names.
 *
 * - `ard`: x_i ~ N(0, 1/α_i), α a hyper-parameter (type-II maximum likelihood). Also found
 *   without annotations, when x ~ normal(0, s) with s = α^(−1/2), √γ or σ of one vector hyper.
 * - `ard_map`: the same with α_i ~ gamma(shape, rate), or Student-t coefficients
 *   x_i ~ N(0, s²/w_i), w_i ~ gamma(ν/2, ν/2); EM returns the posterior mode of the precisions
 *   (MAP-II). The model's node holds `precisionScale · α` (1 for ARD, s² for Student-t's w).
 * - `kronecker_ard`: α = α⁽¹⁾ ⊗ … ⊗ α⁽ᴷ⁾ with a Kronecker dictionary (KroSBL).
 * - `block_ard`: one precision per block, optionally with an intra-block AR(1) correlation r
 *   that is a hyper-parameter (BSBL).
 * - `complex_ard`: `block_ard` with blocks of 2 on interleaved complex coefficients and a
 *   complex dictionary: the circular complex ARD prior x_i ~ CN(0, 2/α_i).
 * - `pc_sbl`: pattern-coupled precisions α_i + β(α_{i−1} + α_{i+1}) on a chain.
 *
 * @example
 * ```ts
 * if (plan.prior.kind === "ard") console.log(plan.prior.precision); // "x_alpha"
 * ```
 */
export type EmPriorPlan =
  | {
      readonly kind: "ard";
      readonly precision: string;
      /** What the hyper-parameter holds: α (precision, the `ard` prior's form), γ = 1/α, or √γ. */
      readonly form: "precision" | "variance" | "scale";
    }
  | {
      readonly kind: "ard_map";
      readonly source: "ard" | "student_t";
      readonly precision: string;
      readonly precisionScale: number;
      readonly shape: number;
      readonly rate: number;
    }
  | { readonly kind: "kronecker_ard"; readonly precisions: readonly string[]; readonly dims: readonly number[] }
  | {
      readonly kind: "block_ard";
      readonly precision: string;
      readonly blockSizes: readonly number[];
      readonly correlation?: string;
    }
  | { readonly kind: "complex_ard"; readonly precision: string }
  | {
      readonly kind: "pc_sbl";
      readonly precision: string;
      readonly precisionKind: "hyper" | "latent";
      readonly beta: number;
      readonly a: number;
      readonly b: number;
    };

/**
 * How the likelihood's noise scale s maps to the EM noise variance.
 *
 * - `known`: a constant or data; `variance` is s².
 * - `hyper`: a hyper-parameter holding s (`scale`), s² (`variance`) or 1/s² (`precision`),
 *   learned by EM; `initialVariance` is s² at its current value.
 * - `gamma_precision`: s = 1/√β with the latent β ~ gamma(shape, rate); EM returns its mode.
 *
 * @example
 * ```ts
 * if (plan.noise.kind === "hyper") console.log(plan.noise.name, plan.noise.form);
 * ```
 */
export type EmNoisePlan =
  | { readonly kind: "known"; readonly variance: number }
  | {
      readonly kind: "hyper";
      readonly name: string;
      readonly form: "scale" | "variance" | "precision";
      readonly initialVariance: number;
    }
  | { readonly kind: "gamma_precision"; readonly name: string; readonly shape: number; readonly rate: number };

/**
 * What detection found: the model's names for every piece, the {@link SblProblem} that
 * `fitSbl` runs, and the algorithms that fit the prior.
 *
 * @example
 * ```ts
 * const plan = detectEm(graph, data, registry);
 * console.log(plan.summary); // "y ~ normal(A * x, sigma): x ~ ard (x_alpha); noise scale 'sigma' learned"
 * ```
 */
export interface EmPlan {
  /** The observed data node. */
  readonly observed: string;
  /** The matrix data node A. */
  readonly operatorName: string;
  /** The coefficient vector x (a latent, or a deterministic for a non-centred prior). */
  readonly coefficients: string;
  /** The standardised latent z of a non-centred prior (x = z · scale), when present. */
  readonly standardized?: string;
  /** The prior. */
  readonly prior: EmPriorPlan;
  /** The noise. */
  readonly noise: EmNoisePlan;
  /**
   * `real`: a real problem (complex_normal data on a real operator run as their real embedding);
   * `complex`: the circular complex problem on the complex operator.
   */
  readonly embedding: "real" | "complex";
  /** s² = noiseRatio · σ², with σ² the EM noise variance (2 for complex data run as real parts). */
  readonly noiseRatio: number;
  /** The problem handed to `fitSbl`. */
  readonly problem: SblProblem;
  /** The default algorithm. */
  readonly algorithm: SblAlgorithm;
  /** Algorithms that fit the prior. */
  readonly algorithms: readonly SblAlgorithm[];
  /** One line describing the detected block. */
  readonly summary: string;
}

/**
 * Inputs of {@link detectPlan}: the graph, its compiled structure facts, the bound data and the
 * current values of the hyper-parameters.
 *
 * @example
 * ```ts
 * const input: DetectInput = { graph, structure: compiled.structure, data: bindData(graph, data), hypers: compiled.hyperValues() };
 * ```
 */
export interface DetectInput {
  readonly graph: ModelGraph;
  readonly structure: ModelStructure;
  readonly data: BoundData;
  readonly hypers: Readonly<Record<string, Value>>;
}

/**
 * Finds the EM-SBL problem in a model, or throws a CapabilityError naming what is missing.
 *
 * @throws CapabilityError when the model is not a single linear-Gaussian block with a supported
 *   sparse prior and noise model.
 * @example
 * ```ts
 * const plan = detectPlan({ graph, structure: compiled.structure, data: bindData(graph, data), hypers: compiled.hyperValues() });
 * fitSbl(plan.problem, { algorithm: plan.algorithm });
 * ```
 */
export function detectPlan(input: DetectInput): EmPlan {
  const { graph, structure } = input;
  const byName = new Map<string, ModelNode>();
  for (const node of graph.nodes) if (node.kind !== "observed") byName.set(node.name, node);
  const observed = singleObservation(graph);
  const block = linearBlock(observed, structure, byName);
  const group = structure.sparsePriorGroups.find((g) => g.group === block.latent);
  const xNode = byName.get(block.latent)!;
  const realOperator = block.operator;
  const complexOperator = realOperator instanceof ComplexAsRealOperator ? realOperator.complex : undefined;
  const complexData = block.family === "complex_normal";
  const env = dataEnv(input.data);
  const prior = detectPrior(group, xNode, byName, env, block, complexData && complexOperator !== undefined);
  const embedding = prior.plan.kind === "complex_ard" ? "complex" : "real";
  const noiseRatio = complexData && embedding === "real" ? 2 : 1;
  const noise = detectNoise(observed, byName, input.hypers, env);
  const y = observedValues(observed, block, input.data, env, byName);
  checkNoOtherLatents(graph, prior.members, noise, block.latent);
  checkNoFactors(graph);
  if (complexData && y.length % 2 !== 0) {
    throw new CapabilityError({
      where: WHERE,
      what: `'${observed.name}' ~ complex_normal needs interleaved (re, im) pairs`,
      got: `${y.length} numbers`,
    });
  }
  const dictionary =
    prior.plan.kind === "complex_ard"
      ? complexOperator!
      : realOperator instanceof KroneckerOperator
        ? { factors: realOperator.factors }
        : realOperator;
  if (prior.plan.kind === "kronecker_ard") {
    checkKronecker(prior.plan, realOperator, block.operatorName);
  }
  const problem: SblProblem = {
    A: dictionary,
    y,
    noise: sblNoise(noise, noiseRatio),
    prior: sblPrior(prior.plan),
  };
  const algorithms = algorithmsFor(prior.plan);
  return {
    observed: observed.name,
    operatorName: block.operatorName,
    coefficients: block.latent,
    ...(prior.standardized ? { standardized: prior.standardized } : {}),
    prior: prior.plan,
    noise,
    embedding,
    noiseRatio,
    problem,
    algorithm: algorithms[0]!,
    algorithms,
    summary: summaryOf(observed, block, prior.plan, noise),
  };
}

// ------------------------------------------------------------------------------ the observation

function singleObservation(graph: ModelGraph): ObservedNode {
  const observed = graph.nodes.filter((n): n is ObservedNode => n.kind === "observed");
  if (observed.length === 0) {
    throw new CapabilityError({
      where: WHERE,
      what: `model '${graph.name}' observes no data`,
      expected: "one observation y ~ normal(A * x, sigma)",
      hint: "declare y as data and observe it.",
    });
  }
  if (observed.length > 1) {
    throw new CapabilityError({
      where: WHERE,
      what: `model '${graph.name}' has ${observed.length} observations (${observed.map((o) => `'${o.name}'`).join(", ")}); EM-SBL handles one linear-Gaussian block`,
      hint: `stack them into one vector with one operator, or ${USE_OTHERS}`,
    });
  }
  return observed[0]!;
}

function linearBlock(
  observed: ObservedNode,
  structure: ModelStructure,
  byName: ReadonlyMap<string, ModelNode>,
): LinearGaussianBlock {
  const site = `'${observed.name}' ~ ${observed.family}(${Object.entries(observed.args)
    .map(([k, v]) => `${k}=${printExpr(v)}`)
    .join(", ")})`;
  if (observed.family !== "normal" && observed.family !== "complex_normal") {
    throw new CapabilityError({
      where: WHERE,
      what: `${site} is not Gaussian; EM-SBL needs a Gaussian likelihood`,
      expected: "normal or complex_normal",
      hint: USE_OTHERS,
    });
  }
  const block = structure.linearGaussian.find((b) => b.observed === observed.name);
  if (block === undefined) {
    const loc = observed.args.loc!;
    const mentionsMatrix = usesMatvec(loc, byName);
    throw new CapabilityError({
      where: WHERE,
      what: `the mean of ${site} is not linear in the coefficients`,
      got: printExpr(loc),
      expected: "A * x or A * x + offset, with A matrix data and x a vector",
      hint: mentionsMatrix
        ? `EM-SBL needs the identity link (no exp, logistic, …); ${USE_OTHERS}`
        : "write the mean as a matrix-vector product of matrix data and the coefficients.",
    });
  }
  return block;
}

function usesMatvec(e: Expr, byName: ReadonlyMap<string, ModelNode>): boolean {
  switch (e.kind) {
    case "matvec":
      return true;
    case "ref": {
      const node = byName.get(e.name);
      return node?.kind === "deterministic" && usesMatvec(node.expr, byName);
    }
    case "unary":
    case "call":
    case "reduce":
    case "index":
      return usesMatvec(e.arg, byName);
    case "binary":
    case "dot":
      return usesMatvec(e.left, byName) || usesMatvec(e.right, byName);
    case "gather":
      return usesMatvec(e.arg, byName);
    case "vector":
      return e.elements.some((x) => usesMatvec(x, byName));
    default:
      return false;
  }
}

/** y minus a known offset (constant or data), as a fresh Float64Array. */
function observedValues(
  observed: ObservedNode,
  block: LinearGaussianBlock,
  data: BoundData,
  env: ValueEnv,
  byName: ReadonlyMap<string, ModelNode>,
): Float64Array {
  const bound = data.values.get(observed.name);
  const y =
    bound?.kind === "vector"
      ? Float64Array.from(bound.values)
      : bound?.kind === "scalar"
        ? Float64Array.of(bound.value)
        : new Float64Array(0);
  if (block.offset === undefined) return y;
  const offsetExpr = offsetExpression(observed.args.loc!, byName);
  const offset = offsetExpr && evaluate(offsetExpr, env);
  if (offset === undefined) {
    throw new CapabilityError({
      where: WHERE,
      what: `the mean of '${observed.name}' adds a term that is not known data`,
      got: offsetExpr ? printExpr(offsetExpr) : "an offset",
      expected: "constants or data only",
      hint: `EM-SBL has one coefficient vector: fold an intercept into A (a column of ones) or centre '${observed.name}', or ${USE_OTHERS}`,
    });
  }
  for (let i = 0; i < y.length; i++) y[i] -= typeof offset === "number" ? offset : offset[i];
  return y;
}

/** The offset term of `A·x + offset` (looking through deterministic means). */
function offsetExpression(loc: Expr, byName: ReadonlyMap<string, ModelNode>): Expr | undefined {
  let e = loc;
  for (let node = e.kind === "ref" ? byName.get(e.name) : undefined; node?.kind === "deterministic"; ) {
    e = node.expr;
    node = e.kind === "ref" ? byName.get(e.name) : undefined;
  }
  if (e.kind !== "binary" || e.op !== "add") return undefined;
  return e.left.kind === "matvec" ? e.right : e.left;
}

function dataEnv(data: BoundData): Map<string, number | Float64Array> {
  const env = new Map<string, number | Float64Array>();
  for (const [name, v] of data.values) {
    if (v.kind === "scalar") env.set(name, v.value);
    else if (v.kind === "vector") env.set(name, v.values);
  }
  return env;
}

// ------------------------------------------------------------------------------------ the prior

interface DetectedPrior {
  readonly plan: EmPriorPlan;
  /** Every latent the prior accounts for. */
  readonly members: ReadonlySet<string>;
  readonly standardized?: string;
}

const NO_EM_UPDATE: Readonly<Record<string, string>> = {
  horseshoe: "the horseshoe's half-Cauchy scales have no closed-form EM update",
  regularized_horseshoe: "the regularized horseshoe's scales have no closed-form EM update",
  laplace:
    "the Laplace mixture's exponential variances are not among the EM-SBL updates (only Gamma-distributed precisions are)",
  spike_and_slab: "spike-and-slab is not a Gaussian scale mixture with continuous scales",
  turbo_vbi: "turbo_vbi's support layer is discrete; EM-SBL has no update for it",
};

function detectPrior(
  group: SparsePriorGroup | undefined,
  xNode: ModelNode,
  byName: ReadonlyMap<string, ModelNode>,
  env: ValueEnv,
  block: LinearGaussianBlock,
  complexPairs: boolean,
): DetectedPrior {
  const x = block.latent;
  if (group === undefined || group.prior === undefined) {
    const plain = xNode.kind === "latent" ? plainArd(xNode, byName, env) : undefined;
    if (plain !== undefined) return { plan: plain, members: new Set([x]) };
    const prior =
      xNode.kind === "latent"
        ? `'${x}' ~ ${xNode.family}(${argsText(xNode)})`
        : xNode.kind === "deterministic"
          ? `'${x}' = ${printExpr(xNode.expr)}`
          : `'${x}'`;
    throw new CapabilityError({
      where: WHERE,
      what: `no sparse prior on '${x}': EM-SBL learns the prior variances of the coefficients, but ${prior} has none to learn`,
      hint: `declare '${x}' with a sparse prior, e.g. ard(m, "${x}", { size }) (or '${x} ~ ard()' in model text), or ${USE_OTHERS}`,
    });
  }
  const prior = group.prior;
  const reason = NO_EM_UPDATE[prior];
  if (reason !== undefined) {
    throw new CapabilityError({
      where: WHERE,
      what: `'${x}' has a ${prior} prior: ${reason}`,
      hint: `use ard, kronecker_ard, block_ard, pc_sbl or student_t for EM-SBL, or ${USE_OTHERS}`,
    });
  }
  const anchors = group.members.filter(
    (m) => (m.role === "value" || m.role === "standardized") && byName.get(m.name)?.kind === "latent",
  );
  if (anchors.length === 0) {
    throw new CapabilityError({
      where: WHERE,
      what: `the ${prior} prior of '${x}' has no coefficient latent (role 'value' or 'standardized')`,
      hint: "build the prior with the DSL's prior functions so its nodes carry their annotations.",
    });
  }
  const settings = anchors[0]!.annotations;
  const form = valueForm(x, xNode, anchors, byName);
  const members = new Set<string>(anchors.map((a) => a.name));
  const precisionLatents = group.members.filter((m) => m.role === "precision" && byName.get(m.name)?.kind === "latent");
  for (const m of precisionLatents) members.add(m.name);
  const hypers = hyperNames(settings, group, byName);
  switch (prior) {
    case "ard":
      return withForm(ard(x, form, hypers, precisionLatents, byName, env), members, form);
    case "student_t":
      return withForm(studentT(x, form, settings, precisionLatents, byName, env), members, form);
    case "kronecker_ard":
      return withForm(kronecker(x, form, settings, hypers, precisionLatents, env), members, form);
    case "pc_sbl":
      return withForm(patternCoupled(x, form, settings, hypers, precisionLatents, byName, env), members, form);
    case "block_ard":
      return withForm(
        blockArd(x, form, settings, hypers, precisionLatents, byName, env, complexPairs, block),
        members,
        form,
      );
    default:
      throw new CapabilityError({
        where: WHERE,
        what: `'${x}' has a '${prior}' prior, which EM-SBL does not know`,
        hint: `use ard, kronecker_ard, block_ard, pc_sbl or student_t, or ${USE_OTHERS}`,
      });
  }
}

function withForm(plan: EmPriorPlan, members: Set<string>, form: ValueForm): DetectedPrior {
  return { plan, members, ...(form.kind === "noncentered" ? { standardized: form.z } : {}) };
}

/**
 * How x is written: centred (x ~ normal(loc, scale) — `scale` is its standard deviation),
 * non-centred (x = z · scale with z ~ normal(0, 1)), or assembled from several latents (the
 * Markov form of a correlated block prior).
 */
type ValueForm =
  | { readonly kind: "centered"; readonly loc: Expr; readonly scale: Expr }
  | { readonly kind: "noncentered"; readonly z: string; readonly scale: Expr }
  | { readonly kind: "assembled" };

function valueForm(
  x: string,
  xNode: ModelNode,
  anchors: SparsePriorGroup["members"],
  byName: ReadonlyMap<string, ModelNode>,
): ValueForm {
  if (xNode.kind === "latent") {
    if (xNode.family !== "normal" || !xNode.args.loc || !xNode.args.scale) {
      throw new CapabilityError({
        where: WHERE,
        what: `'${x}' ~ ${xNode.family}(${argsText(xNode)}) is not a Gaussian scale mixture written as normal(0, scale)`,
        hint: USE_OTHERS,
      });
    }
    return { kind: "centered", loc: xNode.args.loc, scale: xNode.args.scale };
  }
  if (xNode.kind === "deterministic") {
    const e = xNode.expr;
    const z = anchors.find((a) => a.role === "standardized")?.name;
    if (z !== undefined && e.kind === "binary" && e.op === "mul") {
      const zNode = byName.get(z) as LatentNode;
      const standard = zNode.family === "normal" && isConstant(zNode.args.loc, 0) && isConstant(zNode.args.scale, 1);
      if (standard && e.left.kind === "ref" && e.left.name === z) return { kind: "noncentered", z, scale: e.right };
      if (standard && e.right.kind === "ref" && e.right.name === z) return { kind: "noncentered", z, scale: e.left };
    }
    return { kind: "assembled" };
  }
  throw new CapabilityError({
    where: WHERE,
    what: `the coefficients '${x}' are ${xNode.kind} data, not a latent`,
    hint: USE_OTHERS,
  });
}

function isConstant(e: Expr | undefined, v: number): boolean {
  return e !== undefined && e.kind === "const" && e.value === v;
}

/** Hyper-parameter names of a hierarchy: from the anchor's `hypers` annotation, else the group's hyper members. */
function hyperNames(settings: Annotations, group: SparsePriorGroup, byName: ReadonlyMap<string, ModelNode>): string[] {
  const listed = typeof settings.hypers === "string" ? settings.hypers.split(",").filter((s) => s !== "") : [];
  const fromGroup = group.members.filter((m) => byName.get(m.name)?.kind === "hyper").map((m) => m.name);
  const names = listed.length > 0 ? listed : fromGroup;
  return names.filter((n) => byName.get(n)?.kind === "hyper");
}

/** The precision: the prior's single hyper-parameter or Gamma latent. */
function singlePrecision(
  x: string,
  prior: string,
  hypers: readonly string[],
  latents: SparsePriorGroup["members"],
  byName: ReadonlyMap<string, ModelNode>,
): { name: string; latent?: { shape: number; rate: number } } {
  if (hypers.length === 1 && latents.length === 0) return { name: hypers[0]! };
  if (hypers.length === 0 && latents.length === 1) {
    const node = byName.get(latents[0]!.name) as LatentNode;
    return { name: node.name, latent: gammaArgs(node, x, prior) };
  }
  throw new CapabilityError({
    where: WHERE,
    what: `cannot find the precisions of the ${prior} prior on '${x}'`,
    got: `hyper-parameters [${hypers.join(", ")}], precision latents [${latents.map((l) => l.name).join(", ")}]`,
    expected: "one precision vector",
  });
}

/** Constant shape and rate of a gamma latent, or a refusal. */
function gammaArgs(node: LatentNode, x: string, prior: string): { shape: number; rate: number } {
  const shape = node.args.shape;
  const rate = node.args.rate;
  const a = node.family === "gamma" && shape?.kind === "const" ? shape.value : undefined;
  const b = node.family === "gamma" && rate?.kind === "const" ? rate.value : undefined;
  if (typeof a !== "number" || typeof b !== "number") {
    throw new CapabilityError({
      where: WHERE,
      what: `the precision '${node.name}' of the ${prior} prior on '${x}' is ${node.family}(${argsText(node)}); EM-SBL needs gamma(shape, rate) with literal arguments`,
      hint: `make '${node.name}' a hyper-parameter (drop 'hyperprior'), give literal shape and rate, or ${USE_OTHERS}`,
    });
  }
  return { shape: a, rate: b };
}

/** Deterministic test values for hyper-parameters: spread over [0.5, 2.5), never repeating a pattern. */
function testValues(length: number, seed: number): Float64Array {
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) out[i] = 0.5 + 2 * (((i + 1) * 0.6180339887498949 + seed * 0.4142135623730951) % 1);
  return out;
}

/**
 * Checks that the prior variance of x, evaluated from the model at test values `env`, equals
 * `expected`; refuses otherwise.
 */
function verifyVariance(x: string, prior: string, form: ValueForm, env: ValueEnv, expected: Float64Array): void {
  const fail = (what: string): never => {
    throw new CapabilityError({
      where: WHERE,
      what: `the ${prior} prior on '${x}' is not written in the form EM-SBL assumes: ${what}`,
      hint: "build it with the DSL's prior functions (or 'x ~ prior()' in model text).",
    });
  };
  if (form.kind === "assembled") fail("its value is assembled from several latents");
  if (form.kind === "assembled") return;
  if (form.kind === "centered") {
    const loc = evaluate(form.loc, env);
    const zero = loc === 0 || (loc instanceof Float64Array && loc.every((v) => v === 0));
    if (!zero) fail(`the mean is ${printExpr(form.loc)}, not 0`);
  }
  const scale = evaluate(form.scale, env);
  if (scale === undefined) fail(`its scale ${printExpr(form.scale)} depends on nodes outside the hierarchy`);
  if (scale instanceof Float64Array && scale.length !== expected.length) {
    fail(`its scale has ${scale.length} elements for ${expected.length} coefficients`);
  }
  for (let i = 0; i < expected.length; i++) {
    const s = typeof scale === "number" ? scale : scale![i]!;
    const v = s * s;
    if (!(Math.abs(v - expected[i]!) <= 1e-9 * expected[i]!)) {
      fail(
        `its prior variance at element ${i} is ${describeValue(v)} where the ${prior} form gives ${describeValue(expected[i])}`,
      );
    }
  }
}

function envWith(
  base: ValueEnv,
  entries: readonly [string, number | Float64Array][],
): Map<string, number | Float64Array> {
  const env = new Map(base);
  for (const [k, v] of entries) env.set(k, v);
  return env;
}

function ard(
  x: string,
  form: ValueForm,
  hypers: readonly string[],
  latents: SparsePriorGroup["members"],
  byName: ReadonlyMap<string, ModelNode>,
  base: ValueEnv,
): EmPriorPlan {
  const precision = singlePrecision(x, "ard", hypers, latents, byName);
  const n = sizeOf(byName.get(x)!, base);
  const alpha = testValues(n, 1);
  verifyVariance(
    x,
    "ard",
    form,
    envWith(base, [[precision.name, alpha]]),
    alpha.map((a) => 1 / a),
  );
  if (precision.latent === undefined) return { kind: "ard", precision: precision.name, form: "precision" };
  return mapPlan(x, "ard", precision.name, precision.latent.shape, precision.latent.rate, 1);
}

/**
 * A hand-written ARD prior without annotations: x ~ normal(0, s) where s mentions exactly one
 * hyper-parameter h of x's length, and the prior variance is 1/h, h or h² at test values.
 */
function plainArd(
  node: LatentNode,
  byName: ReadonlyMap<string, ModelNode>,
  base: ValueEnv,
): Extract<EmPriorPlan, { kind: "ard" }> | undefined {
  const { loc, scale } = node.args;
  if (node.family !== "normal" || loc === undefined || scale === undefined || !isConstant(loc, 0)) return undefined;
  const names = new Set(referencedNames(scale));
  const hypers = [...names].filter((n) => byName.get(n)?.kind === "hyper");
  const n = sizeOf(node, base);
  if (hypers.length !== 1 || names.size !== 1 || sizeOf(byName.get(hypers[0]!)!, base) !== n) return undefined;
  const h = hypers[0]!;
  const values = testValues(n, 6);
  const sd = evaluate(scale, envWith(base, [[h, values]]));
  if (!(sd instanceof Float64Array) || sd.length !== n) return undefined;
  const forms = [
    ["precision", (v: number) => 1 / v],
    ["variance", (v: number) => v],
    ["scale", (v: number) => v * v],
  ] as const;
  for (const [form, expected] of forms) {
    if (values.every((v, i) => Math.abs(sd[i]! ** 2 - expected(v)) <= 1e-9 * expected(v))) {
      return { kind: "ard", precision: h, form };
    }
  }
  return undefined;
}

/** ARD with a Gamma(a, b) hyper-prior on α: EM for the posterior mode needs a > ½. */
function mapPlan(
  x: string,
  source: "ard" | "student_t",
  precision: string,
  shape: number,
  rate: number,
  precisionScale: number,
): EmPriorPlan {
  if (!(shape > 0.5)) {
    throw new CapabilityError({
      where: WHERE,
      what: `the Gamma hyper-prior of '${precision}' has shape ${shape}; its posterior mode given '${x}' exists only for shape > 1/2`,
      got: String(shape),
      expected: "shape > 0.5",
      hint:
        source === "student_t"
          ? `use df > 1, or ${USE_OTHERS}`
          : `raise the shape, drop 'hyperprior' to estimate '${precision}' by type-II maximum likelihood, or ${USE_OTHERS}`,
    });
  }
  return { kind: "ard_map", source, precision, precisionScale, shape, rate };
}

function studentT(
  x: string,
  form: ValueForm,
  settings: Annotations,
  latents: SparsePriorGroup["members"],
  byName: ReadonlyMap<string, ModelNode>,
  base: ValueEnv,
): EmPriorPlan {
  const df = settings.df;
  const s = settings.scale;
  if (typeof df !== "number" || typeof s !== "number") {
    throw new CapabilityError({
      where: WHERE,
      what: `the student_t prior on '${x}' has a df or scale that is a model value; EM-SBL needs literal numbers`,
      hint: USE_OTHERS,
    });
  }
  const precision = singlePrecision(x, "student_t", [], latents, byName);
  const n = sizeOf(byName.get(x)!, base);
  const w = testValues(n, 2);
  verifyVariance(
    x,
    "student_t",
    form,
    envWith(base, [[precision.name, w]]),
    w.map((v) => (s * s) / v),
  );
  const { shape, rate } = precision.latent!;
  if (Math.abs(shape - df / 2) > 1e-12 * df || Math.abs(rate - df / 2) > 1e-12 * df) {
    throw new CapabilityError({
      where: WHERE,
      what: `the precisions '${precision.name}' of the student_t prior on '${x}' are not gamma(df/2, df/2)`,
      got: `gamma(${shape}, ${rate})`,
      expected: `gamma(${df / 2}, ${df / 2})`,
    });
  }
  // α = w / s² is the precision of x; w ~ gamma(ν/2, ν/2) makes α ~ gamma(ν/2, ν s²/2).
  return mapPlan(x, "student_t", precision.name, shape, rate * s * s, s * s);
}

function kronecker(
  x: string,
  form: ValueForm,
  settings: Annotations,
  hypers: readonly string[],
  latents: SparsePriorGroup["members"],
  base: ValueEnv,
): EmPriorPlan {
  if (latents.length > 0) {
    throw new CapabilityError({
      where: WHERE,
      what: `the kronecker_ard prior on '${x}' has Gamma-distributed factor precisions; KroSBL estimates them as hyper-parameters`,
      hint: `drop 'hyperprior', or ${USE_OTHERS}`,
    });
  }
  const dims = typeof settings.dims === "string" ? settings.dims.split(",").map(Number) : [];
  if (dims.length === 0 || dims.length !== hypers.length) {
    throw new CapabilityError({
      where: WHERE,
      what: `the kronecker_ard prior on '${x}' does not list one precision vector per factor`,
      got: `dims '${describeValue(settings.dims)}', precisions [${hypers.join(", ")}]`,
    });
  }
  const alphas = dims.map((d, k) => testValues(d, k + 3));
  const size = dims.reduce((a, b) => a * b, 1);
  const expected = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    let prod = 1;
    let rest = i;
    for (let k = dims.length - 1; k >= 0; k--) {
      prod *= alphas[k]![rest % dims[k]!]!;
      rest = Math.floor(rest / dims[k]!);
    }
    expected[i] = 1 / prod;
  }
  verifyVariance(
    x,
    "kronecker_ard",
    form,
    envWith(
      base,
      hypers.map((h, k) => [h, alphas[k]!] as [string, Float64Array]),
    ),
    expected,
  );
  return { kind: "kronecker_ard", precisions: hypers, dims };
}

function patternCoupled(
  x: string,
  form: ValueForm,
  settings: Annotations,
  hypers: readonly string[],
  latents: SparsePriorGroup["members"],
  byName: ReadonlyMap<string, ModelNode>,
  base: ValueEnv,
): EmPriorPlan {
  if (settings.grid !== undefined) {
    throw new CapabilityError({
      where: WHERE,
      what: `the pc_sbl prior on '${x}' couples a 2-D grid; EM-SBL's PC-SBL couples neighbours on a chain`,
      hint: `use 'size' (a chain), or ${USE_OTHERS}`,
    });
  }
  const beta = typeof settings.coupling === "number" ? settings.coupling : 1;
  const precision = singlePrecision(x, "pc_sbl", hypers, latents, byName);
  const n = sizeOf(byName.get(x)!, base);
  const alpha = testValues(n, 4);
  const expected = alpha.map(
    (a, i) => 1 / (a + beta * ((i > 0 ? alpha[i - 1]! : 0) + (i + 1 < n ? alpha[i + 1]! : 0))),
  );
  verifyVariance(x, "pc_sbl", form, envWith(base, [[precision.name, alpha]]), expected);
  // The paper's α update a / (ω/2 + b): a hyper-prior gamma(a, b) when given, else its near-flat default.
  const a = precision.latent?.shape ?? 0.5;
  const b = precision.latent?.rate ?? 1e-10;
  return {
    kind: "pc_sbl",
    precision: precision.name,
    precisionKind: precision.latent ? "latent" : "hyper",
    beta,
    a,
    b,
  };
}

function blockArd(
  x: string,
  form: ValueForm,
  settings: Annotations,
  hypers: readonly string[],
  latents: SparsePriorGroup["members"],
  byName: ReadonlyMap<string, ModelNode>,
  base: ValueEnv,
  complexPairs: boolean,
  block: LinearGaussianBlock,
): EmPriorPlan {
  if (latents.length > 0) {
    throw new CapabilityError({
      where: WHERE,
      what: `the block_ard prior on '${x}' has Gamma-distributed block precisions; BSBL estimates them as hyper-parameters`,
      hint: `drop 'hyperprior', or ${USE_OTHERS}`,
    });
  }
  const sizes = typeof settings.block_sizes === "string" ? settings.block_sizes.split(",").map(Number) : [];
  const precision = singlePrecision(x, "block_ard", hypers, latents, byName);
  const correlated = settings.intra_correlation === true;
  if (!correlated) {
    const alpha = testValues(sizes.length, 5);
    const expected = new Float64Array(sizes.reduce((a, b) => a + b, 0));
    let at = 0;
    sizes.forEach((d, b) => {
      for (let j = 0; j < d; j++) expected[at++] = 1 / alpha[b]!;
    });
    verifyVariance(x, "block_ard", form, envWith(base, [[precision.name, alpha]]), expected);
    if (complexPairs && sizes.every((d) => d === 2)) return { kind: "complex_ard", precision: precision.name };
    return { kind: "block_ard", precision: precision.name, blockSizes: sizes };
  }
  if (typeof settings.correlation === "number") {
    throw new CapabilityError({
      where: WHERE,
      what: `the block_ard prior on '${x}' fixes the intra-block correlation at ${settings.correlation}; BSBL either learns it or uses none`,
      hint: `make the correlation a hyper-parameter (hyper("r", { init: 0.5, lower: -1, upper: 1 })), use 0, or ${USE_OTHERS}`,
    });
  }
  const r = correlationNode(x, block.latent, byName, new Set(hypers));
  return { kind: "block_ard", precision: precision.name, blockSizes: sizes, correlation: r };
}

/** The hyper-parameter r of a correlated block prior: the one outside node its value's hierarchy mentions. */
function correlationNode(
  x: string,
  value: string,
  byName: ReadonlyMap<string, ModelNode>,
  known: ReadonlySet<string>,
): string {
  const found = new Set<string>();
  const seen = new Set<string>();
  const visit = (e: Expr): void => {
    switch (e.kind) {
      case "ref": {
        if (seen.has(e.name) || known.has(e.name)) return;
        seen.add(e.name);
        const node = byName.get(e.name);
        if (node?.kind === "hyper" || (node?.kind === "latent" && node.annotations?.group !== x)) found.add(e.name);
        else if (node?.kind === "latent") for (const a of Object.values(node.args)) visit(a);
        else if (node?.kind === "deterministic") visit(node.expr);
        return;
      }
      default:
        // A matvec's matrix is data, so walking it finds nothing; every other child may lead to the hyper.
        forEachChild(e, visit);
    }
  };
  const node = byName.get(value)!;
  if (node.kind === "deterministic") visit(node.expr);
  else if (node.kind === "latent") for (const a of Object.values(node.args)) visit(a);
  const names = [...found];
  const r = names.length === 1 ? byName.get(names[0]!) : undefined;
  if (r?.kind !== "hyper") {
    throw new CapabilityError({
      where: WHERE,
      what: `the intra-block correlation of the block_ard prior on '${x}' must be a hyper-parameter`,
      got: names.length === 0 ? "none found" : names.map((n) => `${byName.get(n)?.kind} '${n}'`).join(", "),
      hint: `declare it with hyper(...), or ${USE_OTHERS}`,
    });
  }
  return r.name;
}

function sizeOf(node: ModelNode, env: ValueEnv): number {
  const shape =
    node.kind === "latent" || node.kind === "hyper"
      ? node.shape
      : node.kind === "deterministic"
        ? node.expr.shape
        : ([] as const);
  const d = shape[0];
  if (typeof d === "number") return d;
  const v = d === undefined ? undefined : env.get(d);
  return typeof v === "number" ? v : 1;
}

function checkKronecker(
  plan: Extract<EmPriorPlan, { kind: "kronecker_ard" }>,
  operator: LinearOperator,
  operatorName: string,
): void {
  if (operator instanceof ComplexAsRealOperator) {
    throw new CapabilityError({
      where: WHERE,
      what: `the kronecker_ard prior on complex data is not expressible in a model: its precisions would differ between real and imaginary parts`,
      hint: "call fitSbl({ A: { factors, complex: true }, y, prior: { kind: 'kronecker_ard' } }) directly.",
    });
  }
  if (!(operator instanceof KroneckerOperator)) {
    throw new CapabilityError({
      where: WHERE,
      what: `the kronecker_ard prior needs '${operatorName}' to be a KroneckerOperator`,
      got: `a ${operator.kind} operator`,
      hint: `bind '${operatorName}' as new KroneckerOperator([A1, A2, ...]), or use the ard prior.`,
    });
  }
  const cols = operator.factors.map((f) => f.cols);
  const same = cols.length === plan.dims.length && cols.every((c, k) => c === plan.dims[k]);
  if (!same) {
    throw new CapabilityError({
      where: WHERE,
      what: `the factors of '${operatorName}' do not match the kronecker_ard dims`,
      got: `factor columns [${cols.join(", ")}]`,
      expected: `[${plan.dims.join(", ")}]`,
    });
  }
}

// ------------------------------------------------------------------------------------ the noise

function detectNoise(
  observed: ObservedNode,
  byName: ReadonlyMap<string, ModelNode>,
  hypers: Readonly<Record<string, Value>>,
  env: ValueEnv,
): EmNoisePlan {
  let e = observed.args.scale!;
  for (let node = e.kind === "ref" ? byName.get(e.name) : undefined; node?.kind === "deterministic"; ) {
    e = (node as DeterministicNode).expr;
    node = e.kind === "ref" ? byName.get(e.name) : undefined;
  }
  const refuse = (what: string, hint?: string): never => {
    throw new CapabilityError({
      where: WHERE,
      what: `the noise scale of '${observed.name}' is ${what}`,
      expected:
        "a constant, data, a hyper-parameter s (or s², or 1/s² as s = h^-0.5), or 1/sqrt(b) with b ~ gamma(shape, rate)",
      hint: hint ?? `declare it with hyper("sigma", { init, lower: 0 }), or ${USE_OTHERS}`,
    });
  };
  const known = evaluate(e, env);
  if (typeof known === "number") {
    if (!(known > 0 && Number.isFinite(known))) refuse(`${describeValue(known)}, not positive`);
    return { kind: "known", variance: known * known };
  }
  if (known instanceof Float64Array) {
    refuse(`a vector (${formatIrShape(e.shape)}); EM-SBL needs one noise level for all observations`);
  }
  const { name, power } = powerOfNode(e) ?? refuse(printExpr(e));
  const node = byName.get(name);
  if (node?.kind === "hyper") {
    const form = power === 1 ? "scale" : power === 0.5 ? "variance" : power === -0.5 ? "precision" : undefined;
    if (form === undefined) refuse(printExpr(e));
    if ((node as HyperNode).shape.length !== 0) refuse(`the vector hyper-parameter '${name}'; EM-SBL needs a scalar`);
    const h = hypers[name];
    const value = typeof h === "number" ? h : Number.NaN;
    const s2 = (value as number) ** (2 * power);
    return {
      kind: "hyper",
      name,
      form: form!,
      initialVariance: s2 > 0 && Number.isFinite(s2) ? s2 : 1,
    };
  }
  if (node?.kind === "latent") {
    const latent = node as LatentNode;
    if (power === -0.5 && latent.family === "gamma" && latent.shape.length === 0) {
      const { shape, rate } = gammaArgs(latent, observed.name, "noise");
      return { kind: "gamma_precision", name, shape, rate };
    }
    refuse(
      `${printExpr(e)} with '${name}' ~ ${latent.family}(${argsText(latent)}), a latent EM-SBL cannot update`,
      `make '${name}' a hyper-parameter, give a gamma prior on the precision (scale = b^-0.5), or ${USE_OTHERS}`,
    );
  }
  return refuse(printExpr(e));
}

/** `h`, `h^p`, `sqrt(h)`, `1/sqrt(h)`, `1/h`: the node and the power of it the expression is. */
function powerOfNode(e: Expr): { name: string; power: number } | undefined {
  if (e.kind === "ref") return { name: e.name, power: 1 };
  if (e.kind === "call" && e.fn === "sqrt") {
    const inner = powerOfNode(e.arg);
    return inner && { name: inner.name, power: inner.power / 2 };
  }
  if (e.kind === "binary" && e.op === "pow" && e.right.kind === "const" && typeof e.right.value === "number") {
    const inner = powerOfNode(e.left);
    return inner && { name: inner.name, power: inner.power * e.right.value };
  }
  if (e.kind === "binary" && e.op === "div" && isConstant(e.left, 1)) {
    const inner = powerOfNode(e.right);
    return inner && { name: inner.name, power: -inner.power };
  }
  return undefined;
}

// ------------------------------------------------------------------------------- everything else

function checkNoOtherLatents(graph: ModelGraph, members: ReadonlySet<string>, noise: EmNoisePlan, x: string): void {
  for (const node of graph.nodes) {
    if (node.kind !== "latent" || members.has(node.name)) continue;
    if (noise.kind === "gamma_precision" && noise.name === node.name) continue;
    throw new CapabilityError({
      where: WHERE,
      what: `latent '${node.name}' ~ ${node.family}(${argsText(node)}) is neither part of the sparse prior on '${x}' nor the noise`,
      hint: `EM-SBL integrates out one coefficient vector: fix '${node.name}' (ir fix/substitute), make it a hyper-parameter, or ${USE_OTHERS}`,
    });
  }
}

function checkNoFactors(graph: ModelGraph): void {
  const factor = graph.nodes.find((n) => n.kind === "factor");
  if (factor !== undefined && factor.kind === "factor") {
    throw new CapabilityError({
      where: WHERE,
      what: `'target += ${printExpr(factor.expr)}' adds a term EM-SBL cannot account for`,
      hint: `express it as a prior or observation, or ${USE_OTHERS}`,
    });
  }
}

function argsText(node: LatentNode): string {
  return Object.entries(node.args)
    .map(([k, v]) => `${k}=${printExpr(v)}`)
    .join(", ");
}

function sblNoise(noise: EmNoisePlan, ratio: number): SblNoise {
  switch (noise.kind) {
    case "known":
      return { variance: noise.variance / ratio };
    case "hyper":
      return { learn: true, initialVariance: noise.initialVariance / ratio };
    case "gamma_precision":
      // β = 1/s² = 1/(ratio·σ²): the EM precision 1/σ² = ratio·β ~ gamma(a, b/ratio).
      return { learn: true, precisionPrior: { shape: noise.shape, rate: noise.rate / ratio } };
  }
}

function sblPrior(plan: EmPriorPlan): SblProblem["prior"] {
  switch (plan.kind) {
    case "ard":
    case "complex_ard":
      return "ard";
    case "ard_map":
      // PC-SBL's update α ← a'/(ω/2 + b) with β = 0 is the exact mode for α ~ gamma(a' + 1/2, b).
      return { kind: "pc_sbl", beta: 0, a: plan.shape - 0.5, b: plan.rate };
    case "kronecker_ard":
      return { kind: "kronecker_ard", dims: plan.dims };
    case "block_ard":
      return { kind: "block_ard", blockSizes: plan.blockSizes, intraCorrelation: plan.correlation !== undefined };
    case "pc_sbl":
      return { kind: "pc_sbl", beta: plan.beta, a: plan.a, b: plan.b };
  }
}

function algorithmsFor(plan: EmPriorPlan): readonly SblAlgorithm[] {
  switch (plan.kind) {
    case "ard":
      return ["em", "tipping_faul"];
    case "complex_ard":
      return ["em"];
    case "ard_map":
    case "pc_sbl":
      return ["pc_sbl"];
    case "kronecker_ard":
      return ["krosbl_am", "krosbl_svd"];
    case "block_ard":
      return ["bsbl"];
  }
}

function summaryOf(observed: ObservedNode, block: LinearGaussianBlock, prior: EmPriorPlan, noise: EmNoisePlan): string {
  const precisions =
    prior.kind === "kronecker_ard"
      ? prior.precisions.join(" ⊗ ")
      : prior.kind === "block_ard" && prior.correlation
        ? `${prior.precision}, r = ${prior.correlation}`
        : prior.precision;
  const mode = prior.kind === "ard_map" || (prior.kind === "pc_sbl" && prior.precisionKind === "latent") ? ", MAP" : "";
  const noiseText =
    noise.kind === "known"
      ? `noise variance ${noise.variance} known`
      : noise.kind === "hyper"
        ? `noise ${noise.form} '${noise.name}' learned`
        : `noise precision '${noise.name}' ~ gamma(${noise.shape}, ${noise.rate}), MAP`;
  const offset = block.offset ? " + offset" : "";
  const scale = printExpr(observed.args.scale!);
  return `${observed.name} ~ ${block.family}(${block.operatorName} * ${block.latent}${offset}, ${scale}): ${block.latent} ~ ${prior.kind} (${precisions}${mode}); ${noiseText}`;
}
