/**
 * The input of the MCMC figures — named per-chain draws — and the adapters that read it from a
 * sampler result. Only the result's type is imported, so plots add no dependency on the sampler.
 *
 * @module
 */
import { DataError, describeValue, ShapeError } from "../core/errors.js";
import type { McmcResult } from "../inference/mcmc/sample.js";
import type { Numbers } from "./figure.js";

/**
 * The draws of one scalar quantity: a display name and one array per chain (all the same length).
 * `Values` narrows the array type (the adapters return Float64Arrays).
 *
 * @example
 * ```ts
 * const mu: ParameterDraws = { name: "mu", chains: [chain1, chain2] };
 * ```
 */
export interface ParameterDraws<Values extends Numbers = Numbers> {
  readonly name: string;
  readonly chains: readonly Values[];
}

/**
 * Checks a list of parameters: at least one, each with at least one chain, all chains of equal
 * length (the same across parameters); returns the number of chains and draws per chain.
 *
 * @throws ShapeError when the shapes disagree.
 * @example
 * ```ts
 * const { numChains, numDraws } = checkDraws("tracePlot()", params);
 * ```
 */
export function checkDraws(
  where: string,
  parameters: readonly ParameterDraws[],
): { numChains: number; numDraws: number } {
  if (parameters.length === 0) {
    throw new ShapeError({ where, what: "no parameters given", got: "0", expected: "at least one" });
  }
  const numChains = parameters[0].chains.length;
  const numDraws = numChains > 0 ? parameters[0].chains[0].length : 0;
  for (const p of parameters) {
    if (p.chains.length !== numChains || numChains === 0) {
      throw new ShapeError({
        where,
        what: `parameter '${p.name}' has a different number of chains`,
        got: String(p.chains.length),
        expected: numChains === 0 ? "at least one chain" : String(numChains),
      });
    }
    for (const c of p.chains) {
      if (c.length !== numDraws || numDraws === 0) {
        throw new ShapeError({
          where,
          what: `parameter '${p.name}' has chains of different lengths`,
          got: String(c.length),
          expected: numDraws === 0 ? "at least one draw" : String(numDraws),
        });
      }
    }
  }
  return { numChains, numDraws };
}

/**
 * Per-chain draws of the named quantities of a sampler result. A name is a column (`"tau"`,
 * `"theta[2]"`) or a whole variable (`"theta"` gives every element); without names, every column
 * (constrained parameters, then derived quantities).
 *
 * @throws DataError for a name that is neither a column nor a variable.
 * @example
 * ```ts
 * const params = drawsOf(result, ["mu", "tau", "theta[1]"]);
 * writeSvg("trace.svg", tracePlot(params, { divergent: divergentOf(result) }));
 * ```
 */
export function drawsOf(result: McmcResult, names?: readonly string[]): ParameterDraws<Float64Array>[] {
  const columns = result.columns;
  const indices: number[] = [];
  if (names === undefined) {
    for (let i = 0; i < columns.length; i++) indices.push(i);
  } else {
    for (const name of names) {
      const exact = columns.findIndex((c) => c.name === name);
      if (exact >= 0) {
        indices.push(exact);
        continue;
      }
      const before = indices.length;
      columns.forEach((c, i) => {
        if (c.variable === name) indices.push(i);
      });
      if (indices.length === before) {
        const known = [...new Set(columns.map((c) => c.variable))];
        throw new DataError({
          where: "drawsOf()",
          what: "no such column or variable in the draws",
          got: describeValue(name),
          expected: `one of ${known.slice(0, 8).join(", ")}${known.length > 8 ? ", …" : ""}`,
        });
      }
    }
  }
  const d = result.constrainedDimension;
  const dd = result.derivedDimension ?? 0;
  return indices.map((index) => {
    const isDerived = index >= d;
    const width = isDerived ? dd : d;
    const at = isDerived ? index - d : index;
    const chains = result.chains.map((chain) => {
      const source = isDerived ? (chain.derived ?? new Float64Array(0)) : chain.draws;
      const out = new Float64Array(result.numSamples);
      for (let i = 0; i < out.length; i++) out[i] = source[i * width + at];
      return out;
    });
    return { name: columns[index].name, chains };
  });
}

/**
 * The divergence flags of each chain's kept draws (1 = divergent), for highlighting.
 *
 * @example
 * ```ts
 * pairPlot(drawsOf(result, ["theta[1]", "tau"]), { divergent: divergentOf(result) });
 * ```
 */
export function divergentOf(result: McmcResult): Uint8Array[] {
  return result.chains.map((chain) => chain.stats.isDivergent);
}

/**
 * Checks per-chain flags against the draws' shape (one array per chain, one flag per draw).
 *
 * @throws ShapeError when the shapes disagree.
 * @example
 * ```ts
 * checkFlags("pairPlot()", divergent, numChains, numDraws);
 * ```
 */
export function checkFlags(where: string, flags: readonly Numbers[], numChains: number, numDraws: number): void {
  if (flags.length !== numChains || flags.some((f) => f.length !== numDraws)) {
    throw new ShapeError({
      where,
      what: "divergence flags do not match the draws",
      got: `${flags.length} chains × [${flags.map((f) => f.length).join(", ")}]`,
      expected: `${numChains} chains × ${numDraws}`,
    });
  }
}
