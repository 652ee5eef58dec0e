/**
 * The density compiler: `compile(graph, data, registry)` binds and validates the data, lowers
 * the graph to a vector program, generates its log density and gradient, and wraps them as a
 * {@link DensityModel} with layout, constrain/unconstrain, prior simulation and structure facts.
 * @module inference/model/compile
 */
import { DataError, describeValue, ShapeError } from "../../core/errors.js";
import type { Rng } from "../../core/rng.js";
import { formatSupport, inScalarSupport, type Support } from "../../core/support.js";
import type { HyperNode, ModelGraph } from "../../ir/types.js";
import { compileProgram, type DensityPair, type TermSelection } from "../../runtime/ad/codegen.js";
import type { Value } from "../../runtime/dists/distribution.js";
import { bindData, fillHyper, type ModelData } from "./data.js";
import type { DensityModel, PriorPredictiveDraw, VariableLayout } from "./density_model.js";
import { type DistributionLookup, hyperList, lowerGraph } from "./lower.js";
import { analyseStructure, type ModelStructure } from "./structure.js";

/**
 * A constrained value given by name: a number, a Float64Array, or (nested) plain arrays.
 *
 * @example
 * ```ts
 * const v: NamedValue = [[1, 2], [3, 4]];
 * ```
 */
export type NamedValue = Value | readonly number[] | readonly (readonly number[])[];

/**
 * Options of {@link compile}.
 *
 * @example
 * ```ts
 * compile(graph, data, registry, { hyper: { gamma: 0.5 } });
 * ```
 */
export interface CompileOptions {
  /** Values of hyper-parameters (default: each one's declared initial value). */
  readonly hyper?: Readonly<Record<string, number | ArrayLike<number>>>;
  /**
   * Include log|J| of the bijectors in `logDensity` (default true, as samplers need). False gives
   * the log density of the constrained values, for MAP estimation and comparisons with Stan's
   * `lp_no_jacobian`.
   */
  readonly jacobian?: boolean;
  /**
   * Let the log densities evaluate Gaussian likelihoods with an affine mean through sufficient
   * statistics (default true; see `compileProgram`). False evaluates every term as written, for
   * comparisons.
   */
  readonly sufficientStatistics?: boolean;
}

/**
 * A compiled model: a {@link DensityModel} with every optional capability present.
 *
 * @example
 * ```ts
 * const model = compile(graph, data, registry);
 * const theta = model.samplePrior(createRng(1));
 * model.logDensityAndGrad(theta, new Float64Array(model.dimension));
 * ```
 */
export interface CompiledModel extends DensityModel {
  /** The model's name. */
  readonly name: string;
  /** The graph it was compiled from. */
  readonly graph: ModelGraph;
  logPrior(theta: Float64Array): number;
  logLikelihood(theta: Float64Array): number;
  logPriorAndGrad(theta: Float64Array, grad: Float64Array): number;
  logLikelihoodAndGrad(theta: Float64Array, grad: Float64Array): number;
  samplePriorPredictive(rng: Rng): PriorPredictiveDraw;
  readonly structure: ModelStructure;
  hyperValues(): Record<string, Value>;
  setHyper(name: string, value: Value | ArrayLike<number>): void;
  /** Constrained latent values at θ, by name (numbers for scalars, Float64Arrays otherwise). */
  constrainedValues(theta: Float64Array): Record<string, Value>;
  /**
   * θ from named constrained values; besides numbers and Float64Arrays it takes plain (nested)
   * arrays, as found in JSON. Throws DataError on a missing, mis-shaped or out-of-support value.
   */
  unconstrain(values: Readonly<Record<string, NamedValue>>, out?: Float64Array): Float64Array;
  /** Deterministic (transformed) values at θ, by name. */
  deterministics(theta: Float64Array): Record<string, Value>;
}

/**
 * Compiles a model graph with its data into a log density with gradients.
 *
 * @param graph - a built model graph (from the DSL, the text front end or JSON)
 * @param data - one field per data node (see `ModelData`); validated, copied
 * @param registry - the distribution families (the runtime's `Registry`)
 * @param options - hyper-parameter values, Jacobian switch
 * @returns the compiled model
 * @throws DataError for missing, mis-shaped, non-finite or out-of-range data
 * @example
 * ```ts
 * const model = compile(eightSchools, { J: 8, y, sigma }, createDefaultRegistry());
 * const grad = new Float64Array(model.dimension);
 * const lp = model.logDensityAndGrad(new Float64Array(model.dimension), grad);
 * ```
 */
export function compile(
  graph: ModelGraph,
  data: ModelData,
  registry: DistributionLookup,
  options: CompileOptions = {},
): CompiledModel {
  const bound = bindData(graph, data);
  const lowered = lowerGraph(graph, bound, registry, options.hyper ?? {});
  const program = compileProgram(lowered.program, { sufficientStatistics: options.sufficientStatistics });
  const jacobian = options.jacobian ?? true;
  const pair = (selection: TermSelection): DensityPair => program.density(selection);
  const main = pair({ prior: true, likelihood: true, jacobian });
  const dimension = lowered.program.dimension;
  const layout = lowered.layout;
  const constrainedDimension = layout.reduce((n, v) => n + v.constrainedSize, 0);
  const scratch = new Float64Array(Math.max(1, ...layout.map((v) => v.constrainedSize)));
  const hyperNodes = new Map(graph.nodes.filter((n): n is HyperNode => n.kind === "hyper").map((n) => [n.name, n]));
  const deterministicNames = graph.nodes.filter((n) => n.kind === "deterministic").map((n) => n.name);

  const checkTheta = (theta: Float64Array, where: string): void => {
    if (!(theta instanceof Float64Array) || theta.length !== dimension) {
      throw new ShapeError({
        where: `${graph.name}.${where}`,
        what: "θ has the wrong length",
        got: theta instanceof Float64Array ? String(theta.length) : describeValue(theta),
        expected: `a Float64Array of length ${dimension}`,
      });
    }
  };
  const checkGrad = (grad: Float64Array, where: string): void => {
    if (!(grad instanceof Float64Array) || grad.length !== dimension) {
      throw new ShapeError({
        where: `${graph.name}.${where}`,
        what: "gradient buffer has the wrong length",
        got: String(grad?.length),
        expected: String(dimension),
      });
    }
  };
  const value = (theta: Float64Array, d: DensityPair, where: string): number => {
    checkTheta(theta, where);
    return d.logDensity(theta);
  };
  const withGrad = (theta: Float64Array, grad: Float64Array, d: DensityPair, where: string): number => {
    checkTheta(theta, where);
    checkGrad(grad, where);
    return d.logDensityAndGrad(theta, grad);
  };
  const priorSel: TermSelection = { prior: true, likelihood: false, jacobian };
  const likSel: TermSelection = { prior: false, likelihood: true, jacobian: false };

  // Latents with computed bounds map through the bounds' values at θ, so the program computes them.
  const computed = lowered.computedBounds;
  const readLatent = (name: string, into: Float64Array, at: number, n: number): void => {
    const v = program.read(lowered.valueNodes.get(name)!);
    if (typeof v === "number") into[at] = v;
    else into.set(v.subarray(0, n), at);
  };
  const constrain = (theta: Float64Array, out?: Float64Array): Float64Array => {
    checkTheta(theta, "constrain");
    const target = out ?? new Float64Array(constrainedDimension);
    if (computed.size > 0) program.evaluate(theta);
    for (const v of layout) {
      if (computed.has(v.name)) readLatent(v.name, target, v.constrainedOffset, v.constrainedSize);
      else v.bijector.forward(theta, v.offset, target, v.constrainedOffset, v.constrainedSize);
    }
    return target;
  };
  /**
   * θ for a latent with computed bounds: the bounds read only earlier latents, whose θ entries are
   * already in `target` (layout order), so evaluating the program there gives their values.
   */
  const unconstrainBounded = (v: VariableLayout, x: Float64Array, target: Float64Array): void => {
    const ids = computed.get(v.name)!;
    program.evaluate(target);
    const read = (id: number | undefined, k: number, inf: number): number => {
      if (id === undefined) return inf;
      const b = program.read(id);
      return typeof b === "number" ? b : b[k]!;
    };
    for (let k = 0; k < v.constrainedSize; k++) {
      const lo = read(ids.lower, k, Number.NEGATIVE_INFINITY);
      const hi = read(ids.upper, k, Number.POSITIVE_INFINITY);
      const xk = x[k]!;
      if (!(xk > lo && xk < hi)) {
        throw new DataError({
          where: `unconstrain: latent '${v.name}'`,
          what: `value outside its bounds at element ${k}`,
          got: describeValue(xk),
          expected: `strictly between ${lo} and ${hi} (the bounds at the values given for earlier latents)`,
        });
      }
      target[v.offset + k] =
        ids.lower === undefined
          ? Math.log(hi - xk)
          : ids.upper === undefined
            ? Math.log(xk - lo)
            : Math.log(xk - lo) - Math.log(hi - xk);
    }
  };

  return {
    name: graph.name,
    graph,
    dimension,
    constrainedDimension,
    layout,
    discreteLatents: lowered.discreteLatents,
    structure: analyseStructure(graph, lowered.shapes, lowered.operators),
    logDensity: (theta) => value(theta, main, "logDensity"),
    logDensityAndGrad: (theta, grad) => withGrad(theta, grad, main, "logDensityAndGrad"),
    logPrior: (theta) => value(theta, pair(priorSel), "logPrior"),
    logLikelihood: (theta) => value(theta, pair(likSel), "logLikelihood"),
    logPriorAndGrad: (theta, grad) => withGrad(theta, grad, pair(priorSel), "logPriorAndGrad"),
    logLikelihoodAndGrad: (theta, grad) => withGrad(theta, grad, pair(likSel), "logLikelihoodAndGrad"),
    constrain,
    unconstrain: (values, out) => {
      const target = out ?? new Float64Array(dimension);
      for (const v of layout) {
        readNamedValue(values, v, scratch, "unconstrain");
        if (computed.has(v.name)) unconstrainBounded(v, scratch, target);
        else v.bijector.inverse(scratch, 0, target, v.offset, v.constrainedSize);
      }
      return target;
    },
    samplePrior: (rng, out) => {
      const target = out ?? new Float64Array(dimension);
      program.simulate(rng, target);
      return target;
    },
    samplePriorPredictive: (rng) => {
      const theta = new Float64Array(dimension);
      program.simulate(rng, theta);
      const observed: Record<string, Value> = {};
      for (const [name, t] of lowered.observedTerms) {
        const y = program.predictive(t);
        observed[name] = lowered.shapes.get(name)!.length === 0 ? y[0]! : y.slice();
      }
      return { theta, observed };
    },
    constrainedValues: (theta) => {
      const flat = constrain(theta);
      const out: Record<string, Value> = {};
      for (const v of layout) {
        out[v.name] =
          v.shape.length === 0
            ? flat[v.constrainedOffset]!
            : flat.slice(v.constrainedOffset, v.constrainedOffset + v.constrainedSize);
      }
      return out;
    },
    deterministics: (theta) => {
      checkTheta(theta, "deterministics");
      program.evaluate(theta);
      const out: Record<string, Value> = {};
      for (const name of deterministicNames) {
        const v = program.read(lowered.valueNodes.get(name)!);
        out[name] = typeof v === "number" ? v : v.slice();
      }
      return out;
    },
    hyperValues: () => {
      const out: Record<string, Value> = {};
      for (const [name, buffer] of lowered.hyperBuffers)
        out[name] = lowered.shapes.get(name)!.length === 0 ? buffer[0]! : buffer.slice();
      return out;
    },
    setHyper: (name, v) => {
      const node = hyperNodes.get(name);
      const buffer = lowered.hyperBuffers.get(name);
      if (node === undefined || buffer === undefined) {
        throw new DataError({
          where: `${graph.name}.setHyper()`,
          what: `no hyper-parameter '${name}'`,
          expected: hyperList(graph),
        });
      }
      // fillHyper checks the whole value (type, length, declared support) before writing it.
      fillHyper(buffer, v as number | ArrayLike<number>, node, lowered.shapes.get(name)!);
    },
  };
}

/** Copies the constrained value of one latent from a named record into `out`, checking it. */
function readNamedValue(
  values: Readonly<Record<string, NamedValue>>,
  v: VariableLayout,
  out: Float64Array,
  where: string,
): void {
  const given: unknown = values[v.name];
  const site = `${where}: latent '${v.name}'`;
  const n = v.constrainedSize;
  if (given === undefined) throw new DataError({ where: site, what: "missing value", expected: describeLayout(v) });
  const flat = flatten(given);
  if (flat === undefined || (v.shape.length === 0 && typeof given !== "number") || flat.length !== n) {
    throw new DataError({
      where: site,
      what: "wrong shape",
      got: flat === undefined ? describeValue(given) : `${flat.length} values`,
      expected: describeLayout(v),
    });
  }
  for (let i = 0; i < n; i++) {
    const x = flat[i]!;
    if (!insideOpen(v.support, x)) {
      throw new DataError({
        where: site,
        what: `value outside the support at element ${i}`,
        got: describeValue(x),
        expected: `${openPhrase(v.support)}`,
      });
    }
    out[i] = x;
  }
}

/** Bounded supports are open for a bijector: a value on the bound has no finite preimage. */
function insideOpen(s: Support, x: number): boolean {
  switch (s.kind) {
    case "positive":
      return x > 0 && x < Number.POSITIVE_INFINITY;
    case "lower":
      return x > s.lower && x < Number.POSITIVE_INFINITY;
    case "upper":
      return x < s.upper && x > Number.NEGATIVE_INFINITY;
    case "interval":
      return x > s.lower && x < s.upper;
    case "real":
    case "simplex":
    case "ordered":
    case "positive_ordered":
    case "cholesky_corr":
      return Number.isFinite(x);
    default:
      return inScalarSupport(s, x);
  }
}

function openPhrase(s: Support): string {
  switch (s.kind) {
    case "positive":
      return "positive";
    case "lower":
      return `greater than ${s.lower}`;
    case "upper":
      return `less than ${s.upper}`;
    case "interval":
      return `strictly between ${s.lower} and ${s.upper}`;
    case "real":
      return "finite";
    default:
      return `in ${formatSupport(s)}`;
  }
}

function flatten(v: unknown): ArrayLike<number> | undefined {
  if (typeof v === "number") return [v];
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return v as unknown as ArrayLike<number>;
  if (Array.isArray(v)) return v.flat(2) as number[];
  return undefined;
}

function describeLayout(v: VariableLayout): string {
  return v.shape.length === 0
    ? "a number"
    : `${v.shape.length === 1 ? "vector" : "array"}[${v.shape.join(", ")}] (${v.constrainedSize} numbers)`;
}
