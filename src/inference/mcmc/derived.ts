import { referencedNames } from "../../ir/expr.js";
import type { ModelGraph } from "../../ir/types.js";
import type { Value } from "../../runtime/dists/distribution.js";
import type { DensityModel } from "../model/density_model.js";

/**
 * Where one derived quantity (a deterministic node that depends on the latents, Stan's
 * transformed parameter) sits in a chain's `derived` rows.
 *
 * @example
 * ```ts
 * const theta: DerivedLayout = { name: "theta", shape: [8], offset: 0, size: 8 };
 * ```
 */
export interface DerivedLayout {
  readonly name: string;
  /** `[]` for a scalar, `[n]` for a vector. */
  readonly shape: readonly number[];
  /** Offset within one row of derived values. */
  readonly offset: number;
  readonly size: number;
}

/**
 * Computes a model's derived quantities at a position, into a flat row.
 *
 * @example
 * ```ts
 * const derived = derivedQuantities(model);
 * if (derived) derived.fill(theta, row, 0);
 * ```
 */
export interface DerivedEvaluator {
  readonly layout: readonly DerivedLayout[];
  /** Values per row. */
  readonly dimension: number;
  /** Writes every derived quantity at `theta` into `out[offset …]`. */
  fill(theta: Float64Array, out: Float64Array, offset: number): void;
}

/** What a compiled model offers beyond {@link DensityModel} that derived quantities need. */
interface WithDeterministics extends DensityModel {
  readonly graph: ModelGraph;
  deterministics(theta: Float64Array): Record<string, Value>;
}

function hasDeterministics(model: DensityModel): model is WithDeterministics {
  const m = model as Partial<WithDeterministics>;
  return typeof m.deterministics === "function" && typeof m.graph === "object" && m.graph !== null;
}

/**
 * The names of the deterministic nodes of `graph` that depend on a latent variable, directly or
 * through other deterministics, in graph order. Deterministics of data alone (wells' centred
 * predictors) are constants of the run and are left out of the draws.
 *
 * @example
 * ```ts
 * latentDeterministics(eightSchoolsNoncentered); // ["theta"]
 * ```
 */
export function latentDeterministics(graph: ModelGraph): string[] {
  const dependent = new Set<string>();
  const names: string[] = [];
  for (const node of graph.nodes) {
    if (node.kind === "latent") dependent.add(node.name);
    else if (node.kind === "deterministic" && referencedNames(node.expr).some((n) => dependent.has(n))) {
      dependent.add(node.name);
      names.push(node.name);
    }
  }
  return names;
}

/**
 * The derived-quantity evaluator of a compiled model (one built by `compile`), or undefined
 * when the model has no deterministic node depending on the latents or offers no way to
 * evaluate them (a hand-written {@link DensityModel}).
 *
 * @example
 * ```ts
 * derivedQuantities(compile(eightSchoolsNoncentered, data, families))?.layout; // [{ name: "theta", shape: [8], … }]
 * ```
 */
export function derivedQuantities(model: DensityModel): DerivedEvaluator | undefined {
  if (!hasDeterministics(model)) return undefined;
  const names = latentDeterministics(model.graph);
  if (names.length === 0) return undefined;
  // Shapes are read off one evaluation; they do not depend on θ.
  const probe = model.deterministics(new Float64Array(model.dimension));
  const layout: DerivedLayout[] = [];
  let offset = 0;
  for (const name of names) {
    const value = probe[name];
    const size = typeof value === "number" ? 1 : value.length;
    layout.push({ name, shape: typeof value === "number" ? [] : [value.length], offset, size });
    offset += size;
  }
  return {
    layout,
    dimension: offset,
    fill(theta, out, at) {
      const values = model.deterministics(theta);
      for (const q of layout) {
        const v = values[q.name];
        if (typeof v === "number") out[at + q.offset] = v;
        else out.set(v, at + q.offset);
      }
    },
  };
}
