/**
 * JSON (de)serialisation of model graphs. The format is the graph object itself (plain data:
 * nodes, expressions, shapes, spans); loading replays every node through {@link GraphBuilder},
 * so a loaded graph satisfies the same invariants as one built in code.
 * @module ir/json
 */
import { describeValue, ModelError } from "../core/errors.js";
import type { SignatureLookup } from "../core/family.js";
import { GraphBuilder } from "./builder.js";
import { IR_VERSION, type ModelGraph, type ModelNode } from "./types.js";

/**
 * The graph as JSON text.
 *
 * @param graph - a built graph
 * @param indent - spaces of indentation (0 for one line)
 * @example
 * ```ts
 * const text = graphToJSON(graph, 2);
 * ```
 */
export function graphToJSON(graph: ModelGraph, indent = 0): string {
  return JSON.stringify(graph, null, indent > 0 ? indent : undefined);
}

/**
 * Loads a graph from JSON text (or an already-parsed object), validating it against the family
 * signatures exactly as the builder would.
 *
 * @param json - text from {@link graphToJSON}, or its parsed object
 * @param families - signatures of the families the model uses
 * @example
 * ```ts
 * const again = graphFromJSON(graphToJSON(graph), registry);
 * ```
 */
export function graphFromJSON(json: string | unknown, families: SignatureLookup): ModelGraph {
  let value: unknown = json;
  if (typeof json === "string") {
    try {
      value = JSON.parse(json);
    } catch (err) {
      throw new ModelError({ where: "graphFromJSON()", what: "not valid JSON", got: (err as Error).message });
    }
  }
  const obj = value as { version?: unknown; name?: unknown; nodes?: unknown };
  if (obj === null || typeof obj !== "object" || !Array.isArray(obj.nodes) || typeof obj.name !== "string") {
    throw new ModelError({
      where: "graphFromJSON()",
      what: "not a model graph",
      got: describeValue(value),
      expected: "an object with 'version', 'name' and 'nodes'",
    });
  }
  if (obj.version !== IR_VERSION) {
    throw new ModelError({
      where: "graphFromJSON()",
      what: "unsupported graph version",
      got: describeValue(obj.version),
      expected: String(IR_VERSION),
    });
  }
  const builder = new GraphBuilder(obj.name, families);
  for (const node of obj.nodes as ModelNode[]) builder.add(node);
  return builder.build();
}
