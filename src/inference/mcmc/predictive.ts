import { DomainError, describeValue } from "../../core/errors.js";
import type { SignatureLookup } from "../../core/family.js";
import { REAL } from "../../core/support.js";
import { GraphBuilder } from "../../ir/builder.js";
import type { ModelGraph } from "../../ir/types.js";
import { createRng, splitSeed } from "../../runtime/rng/index.js";
import { compile } from "../model/compile.js";
import type { ModelData } from "../model/data.js";
import type { McmcResult } from "./sample.js";
import { type FamiliesSource, isModelGraph, resolveFamilies } from "../model_source.js";

/**
 * Options of {@link posteriorPredictive}.
 *
 * @example
 * ```ts
 * const options: PredictiveOptions = { seed: 11, families: exampleFamilies() };
 * ```
 */
export interface PredictiveOptions {
  /** Seed of the simulation; chain c uses its c-th split (default: the run's seed + `/predictive`). */
  readonly seed?: number | string;
  /** Families the graph is compiled with (default: sprig's built-in registry). */
  readonly families?: FamiliesSource;
}

/**
 * Simulated observations, one set per kept draw: `draws[name][chain]` holds
 * `numSamples × size` values, row-major, where `shapes[name]` is the observed variable's shape.
 *
 * @example
 * ```ts
 * const yRep = ppc.draws.y[0].subarray(0, 8); // chain 1, draw 1
 * ```
 */
export interface PosteriorPredictive {
  /** The observed variables simulated, in model order. */
  readonly names: readonly string[];
  readonly shapes: Readonly<Record<string, readonly number[]>>;
  readonly draws: Readonly<Record<string, readonly Float64Array[]>>;
  readonly numChains: number;
  readonly numSamples: number;
}

/**
 * Posterior predictive draws: for every kept draw θ of `result`, one simulated value of every
 * observed variable from its observation model at θ. It runs the compiler's prior-predictive
 * simulation with the latents held at the draw: the graph is rewritten so that each latent is a
 * hyper-parameter (a fixed input, no prior), compiled once with `data`, and for each draw the
 * hyper-parameters are set to the draw's constrained values before simulating.
 *
 * @param result - the output of `sample` for this model
 * @param graph - the model graph `result` was sampled from
 * @param data - the data it was sampled with
 * @throws DomainError when the result's variables do not match the graph's latents.
 * @example
 * ```ts
 * const result = await sample(eightSchoolsNoncentered, eightSchoolsData, { seed: 1 });
 * const ppc = await posteriorPredictive(result, eightSchoolsNoncentered, eightSchoolsData);
 * ppc.draws.y[0]; // chain 1: numSamples × 8 replicated effects
 * ```
 */
export async function posteriorPredictive(
  result: McmcResult,
  graph: ModelGraph,
  data: ModelData,
  options: PredictiveOptions = {},
): Promise<PosteriorPredictive> {
  const where = "posteriorPredictive()";
  if (!isModelGraph(graph)) {
    throw new DomainError({ where, what: "the model must be given as its graph", got: describeValue(graph) });
  }
  const registry = await resolveFamilies(options.families, where);
  const latents = graph.nodes.filter((n) => n.kind === "latent").map((n) => n.name);
  const sampled = result.layout.map((v) => v.name);
  if (latents.length !== sampled.length || latents.some((name) => !sampled.includes(name))) {
    throw new DomainError({
      where,
      what: "the result's variables are not the graph's latent variables",
      got: sampled.join(", "),
      expected: latents.join(", "),
      hint: "pass the same graph the result was sampled from.",
    });
  }
  const fixed = compile(latentsAsInputs(graph, registry as unknown as SignatureLookup), data, registry);
  const names = graph.nodes.filter((n) => n.kind === "observed").map((n) => n.name);
  const seed = options.seed ?? `${result.seed}/predictive`;
  const d = result.constrainedDimension;
  const n = result.numSamples;
  const draws: Record<string, Float64Array[]> = Object.fromEntries(names.map((name) => [name, []]));
  const shapes: Record<string, number[]> = {};
  for (const chain of result.chains) {
    const rng = createRng(splitSeed(seed, chain.chain));
    for (let i = 0; i < n; i++) {
      for (const v of result.layout) {
        const at = i * d + v.constrainedOffset;
        fixed.setHyper(
          v.name,
          v.shape.length === 0 ? chain.draws[at] : chain.draws.subarray(at, at + v.constrainedSize),
        );
      }
      const { observed } = fixed.samplePriorPredictive(rng);
      for (const name of names) {
        const y = observed[name];
        const size = typeof y === "number" ? 1 : y.length;
        if (i === 0 && shapes[name] === undefined) shapes[name] = typeof y === "number" ? [] : [y.length];
        let out = draws[name][chain.chain];
        if (out === undefined) {
          out = new Float64Array(n * size);
          draws[name][chain.chain] = out;
        }
        if (typeof y === "number") out[i] = y;
        else out.set(y, i * size);
      }
    }
  }
  return { names, shapes, draws, numChains: result.numChains, numSamples: n };
}

/**
 * The graph with every latent turned into a hyper-parameter of the same shape (support ℝ: the
 * values come from the sampler, already inside the latent's support), priors dropped.
 */
function latentsAsInputs(graph: ModelGraph, families: SignatureLookup): ModelGraph {
  const b = new GraphBuilder(`${graph.name}_predictive`, families);
  for (const node of graph.nodes) {
    if (node.kind === "latent") {
      b.add({
        kind: "hyper",
        name: node.name,
        shape: node.shape,
        support: REAL,
        init: 0,
        ...(node.span ? { span: node.span } : {}),
      });
    } else {
      b.add(node);
    }
  }
  return b.build();
}
