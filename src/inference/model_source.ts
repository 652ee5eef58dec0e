/**
 * Model sources shared by every backend that can run in worker threads (`sample`'s chains,
 * `fitAdviInWorker`): a model graph (rebuilt from its JSON in a worker), a module export naming a
 * graph, a model or a factory (imported by the worker itself), or a compiled model (this thread
 * only, since its closures cannot be copied).
 * @module inference/model_source
 */
import { isAbsolute } from "node:path";
import { pathToFileURL } from "node:url";
import { CapabilityError, DomainError, describeValue } from "../core/errors.js";
import { graphFromJSON, graphToJSON } from "../ir/json.js";
import type { ModelGraph } from "../ir/types.js";
import { createDefaultRegistry, type Registry } from "../runtime/dists/index.js";
import { isLinearOperator } from "../runtime/operators/as_linear_operator.js";
import { compile } from "./model/compile.js";
import type { ModelData } from "./model/data.js";
import type { DensityModel } from "./model/density_model.js";
import type { DistributionLookup } from "./model/lower.js";

/**
 * A named export of an ES module, given by URL (or absolute path): how code that holds closures
 * (a model factory, a registry with custom families) is named so that a worker thread can import
 * it itself.
 *
 * @example
 * ```ts
 * const families: ModuleExport = { module: new URL("./families.js", import.meta.url), export: "exampleFamilies" };
 * ```
 */
export interface ModuleExport {
  /** `file:` URL or absolute path of the module. */
  readonly module: string | URL;
  /** The export's name. */
  readonly export: string;
}

/**
 * What a backend (`sample`, `fitAdviInWorker`) can run:
 * - a model graph (from the builder, the text front end or JSON), compiled with the `data` and
 *   the `families` option; workers rebuild it from its JSON;
 * - a module export ({@link ModuleExport}) that is a model graph, a compiled
 *   {@link DensityModel}, or a function `(data) => DensityModel | ModelGraph` (may be async);
 *   workers import the module themselves, so any model, hand-written ones included, can run there;
 * - an already compiled {@link DensityModel}: in this thread only, since its closures cannot be
 *   sent to a worker.
 *
 * @example
 * ```ts
 * const source: ModelSource = { module: new URL("./my_model.js", import.meta.url), export: "buildModel" };
 * ```
 */
export type ModelSource = ModelGraph | ModuleExport | DensityModel;

/**
 * Where the distribution families come from: a registry (or any lookup) in this thread, or a
 * module export that is one or a function returning one (usable from workers).
 *
 * @example
 * ```ts
 * const families: FamiliesSource = { module: "/app/families.js", export: "exampleFamilies" };
 * ```
 */
export type FamiliesSource = DistributionLookup | ModuleExport;

/**
 * The serialisable description of a model that a worker rebuilds: the graph as JSON text with
 * the data, or a module export with the data. Families travel as a module export, or not at all
 * (the worker then uses sprig's default registry).
 *
 * @example
 * ```ts
 * const spec: TransferableModel = { kind: "graph", graphJson: graphToJSON(graph), data: { J: 8, y, sigma } };
 * ```
 */
export type TransferableModel =
  | {
      readonly kind: "graph";
      readonly graphJson: string;
      readonly data: ModelData;
      readonly families?: { readonly module: string; readonly export: string };
    }
  | {
      readonly kind: "module";
      readonly module: string;
      readonly export: string;
      readonly data: ModelData;
      readonly families?: { readonly module: string; readonly export: string };
    };

/**
 * Whether a value is a {@link DensityModel} (has the log density methods and a dimension).
 *
 * @example
 * ```ts
 * isDensityModel(compile(graph, data, registry)); // true
 * ```
 */
export function isDensityModel(value: unknown): value is DensityModel {
  const m = value as Partial<DensityModel> | null;
  return (
    typeof m === "object" &&
    m !== null &&
    typeof m.logDensityAndGrad === "function" &&
    typeof m.constrain === "function" &&
    typeof m.dimension === "number"
  );
}

/**
 * Whether a value looks like a model graph (`version`, `name`, `nodes`).
 *
 * @example
 * ```ts
 * isModelGraph(eightSchoolsNoncentered); // true
 * ```
 */
export function isModelGraph(value: unknown): value is ModelGraph {
  const g = value as Partial<ModelGraph> | null;
  return typeof g === "object" && g !== null && typeof g.name === "string" && Array.isArray(g.nodes);
}

/**
 * Whether a value is a {@link ModuleExport}.
 *
 * @example
 * ```ts
 * isModuleExport({ module: "/app/m.js", export: "model" }); // true
 * ```
 */
export function isModuleExport(value: unknown): value is ModuleExport {
  const m = value as Partial<ModuleExport> | null;
  return (
    typeof m === "object" &&
    m !== null &&
    (typeof m.module === "string" || m.module instanceof URL) &&
    typeof m.export === "string"
  );
}

/**
 * The importable URL of a module export: a `URL` as is, an absolute path as a `file:` URL.
 *
 * @throws DomainError for a relative path (a worker would resolve it against the wrong file).
 * @example
 * ```ts
 * moduleUrl({ module: "/app/model.js", export: "build" }, "sample()"); // "file:///app/model.js"
 * ```
 */
export function moduleUrl(ref: ModuleExport, where: string): string {
  const { module } = ref;
  if (module instanceof URL) return module.href;
  if (isAbsolute(module)) return pathToFileURL(module).href;
  if (/^[a-z][a-z0-9+.-]+:/i.test(module)) return module;
  throw new DomainError({
    where,
    what: "a module must be given as a URL or an absolute path",
    got: describeValue(module),
    hint: "pass new URL('./model.js', import.meta.url).",
  });
}

/**
 * Imports a module export (in whichever thread calls it) and returns the exported value.
 *
 * @throws DomainError naming the module's exports when it has no export of that name.
 * @example
 * ```ts
 * const build = await importExport({ module: new URL("./model.js", import.meta.url), export: "build" }, "sample()");
 * ```
 */
export async function importExport(ref: ModuleExport, where: string): Promise<unknown> {
  const url = moduleUrl(ref, where);
  const module = (await import(url)) as Record<string, unknown>;
  if (!(ref.export in module)) {
    throw new DomainError({
      where,
      what: `module ${url} has no export '${ref.export}'`,
      expected: `one of ${
        Object.keys(module)
          .sort()
          .map((k) => `'${k}'`)
          .join(", ") || "(no exports)"
      }`,
    });
  }
  return module[ref.export];
}

function isLookup(value: unknown): value is DistributionLookup {
  const r = value as Partial<DistributionLookup> | null;
  return typeof r === "object" && r !== null && typeof r.get === "function" && typeof r.has === "function";
}

/**
 * The families a graph is compiled with: the given lookup, a module export (a registry or a
 * function returning one), or sprig's default registry.
 *
 * @example
 * ```ts
 * const registry = await resolveFamilies({ module: "/app/families.js", export: "exampleFamilies" }, "sample");
 * ```
 */
export async function resolveFamilies(
  families: FamiliesSource | undefined,
  where: string,
): Promise<DistributionLookup> {
  if (families === undefined) return createDefaultRegistry();
  if (isModuleExport(families)) {
    const value = await importExport(families, where);
    const registry = typeof value === "function" ? await (value as () => unknown)() : value;
    if (!isLookup(registry)) {
      throw new DomainError({
        where,
        what: `the families export '${families.export}' is not a registry`,
        got: describeValue(registry),
        expected: "a Registry (has/get), or a function returning one",
      });
    }
    return registry;
  }
  if (!isLookup(families)) {
    throw new DomainError({
      where,
      what: "'families' must be a registry or a module export",
      got: describeValue(families),
      expected: "a Registry, or { module, export }",
    });
  }
  return families;
}

/**
 * Builds the {@link DensityModel} a source describes, in this thread: compiles a graph with the
 * data and families, or imports a module export and calls it with the data.
 *
 * @throws DataError (from the compiler) when the data do not match the model's declarations.
 * @example
 * ```ts
 * const model = await resolveModel(eightSchoolsNoncentered, eightSchoolsData, undefined, "sample");
 * ```
 */
export async function resolveModel(
  source: ModelSource,
  data: ModelData | undefined,
  families: FamiliesSource | undefined,
  where: string,
): Promise<DensityModel> {
  if (isDensityModel(source)) return source;
  if (isModelGraph(source)) return compile(source, data ?? {}, await resolveFamilies(families, where));
  if (isModuleExport(source)) {
    const value = await importExport(source, where);
    const built = typeof value === "function" ? await (value as (d: ModelData) => unknown)(data ?? {}) : value;
    if (isDensityModel(built)) return built;
    if (isModelGraph(built)) return compile(built, data ?? {}, await resolveFamilies(families, where));
    throw new DomainError({
      where,
      what: `the model export '${source.export}' gave neither a DensityModel nor a model graph`,
      got: describeValue(built),
      expected: "a ModelGraph, a DensityModel, or a function (data) => DensityModel | ModelGraph",
    });
  }
  throw new DomainError({
    where,
    what: "unknown model source",
    got: describeValue(source),
    expected: "a model graph, a compiled DensityModel, or { module, export }",
  });
}

function familiesRef(families: ModuleExport, where: string): { module: string; export: string } {
  return { module: moduleUrl(families, where), export: families.export };
}

// Families a graph names (latent priors and observation models).
function familiesOf(graph: ModelGraph): string[] {
  const names = new Set<string>();
  for (const node of graph.nodes) if (node.kind === "latent" || node.kind === "observed") names.add(node.family);
  return [...names];
}

/**
 * How the caller's API is used in the two alternatives the worker errors suggest: the call that
 * takes a model graph and its data, and the way to run in this thread instead. The default is
 * `sample()`'s wording.
 *
 * @example
 * ```ts
 * const hints: TransferHints = { graphCall: "fitAdviInWorker(graph, data, options)", inThisThread: "call fitAdvi(model, options) in this thread" };
 * ```
 */
export interface TransferHints {
  /** The call with a graph and its data, e.g. `sample(graph, data, { workers })`. */
  readonly graphCall: string;
  /** How to run without workers, e.g. `run with workers: 1`. */
  readonly inThisThread: string;
}

const SAMPLE_HINTS: TransferHints = {
  graphCall: "sample(graph, data, { workers })",
  inThisThread: "run with workers: 1",
};

function checkTransferableData(data: ModelData, where: string): void {
  for (const [name, value] of Object.entries(data)) {
    if (isLinearOperator(value) || typeof value === "function") {
      throw new CapabilityError({
        where,
        what: `data '${name}' is ${isLinearOperator(value) ? `a ${value.kind} LinearOperator` : "a function"}, which cannot be copied to a worker thread`,
        hint: "pass a dense matrix (rows or a row-major Float64Array), or give the model as { module, export } so each worker builds the operator itself.",
      });
    }
  }
}

/**
 * The worker-side description of a source, checked before any worker starts: a graph becomes
 * JSON text (with the families as a module export when they are not all sprig's built-ins); a
 * module export becomes its URL. A compiled DensityModel, custom families given as objects and
 * LinearOperator data are refused with a hint, since closures cannot cross threads.
 *
 * @throws CapabilityError naming what cannot be sent and how to name it instead (in the words of
 *   `hints`, by default `sample()`'s).
 * @example
 * ```ts
 * const spec = toTransferable(eightSchoolsNoncentered, eightSchoolsData, undefined, "sample");
 * ```
 */
export function toTransferable(
  source: ModelSource,
  data: ModelData | undefined,
  families: FamiliesSource | undefined,
  where: string,
  hints: TransferHints = SAMPLE_HINTS,
): TransferableModel {
  const bound = data ?? {};
  if (isDensityModel(source)) {
    throw new CapabilityError({
      where,
      what: "a compiled DensityModel holds closures and cannot be sent to worker threads",
      hint: `pass the model graph and its data (${hints.graphCall}), or { module, export } naming a function (data) => DensityModel; or ${hints.inThisThread}.`,
    });
  }
  checkTransferableData(bound, where);
  const familiesSpec = families !== undefined && isModuleExport(families) ? familiesRef(families, where) : undefined;
  if (isModuleExport(source)) {
    if (families !== undefined && familiesSpec === undefined) {
      throw new CapabilityError({
        where,
        what: "a registry object cannot be sent to worker threads",
        hint: "pass families as a module export, e.g. { module: new URL('./families.js', import.meta.url), export: 'myFamilies' }, or let the model module build its own model.",
      });
    }
    return {
      kind: "module",
      module: moduleUrl(source, where),
      export: source.export,
      data: bound,
      ...(familiesSpec ? { families: familiesSpec } : {}),
    };
  }
  if (!isModelGraph(source)) {
    throw new DomainError({
      where,
      what: "unknown model source",
      got: describeValue(source),
      expected: "a model graph, a compiled DensityModel, or { module, export }",
    });
  }
  if (families !== undefined && familiesSpec === undefined) {
    // A registry object cannot be copied. Workers can use their own default registry only if every
    // family the graph names is the very built-in object this thread's default registry holds.
    const defaults: Registry = createDefaultRegistry();
    const lookup = families as DistributionLookup;
    const custom = familiesOf(source).filter(
      (f) => !defaults.has(f) || !lookup.has(f) || lookup.get(f) !== defaults.get(f),
    );
    if (custom.length > 0) {
      throw new CapabilityError({
        where,
        what: `famil${custom.length > 1 ? "ies" : "y"} ${custom.map((f) => `'${f}'`).join(", ")} of model '${source.name}' ${custom.length > 1 ? "are" : "is"} not built in, and a registry object cannot be sent to worker threads`,
        hint: `pass families as a module export, e.g. { module: new URL('./families.js', import.meta.url), export: 'myFamilies' }, or ${hints.inThisThread}.`,
      });
    }
  }
  return {
    kind: "graph",
    graphJson: graphToJSON(source),
    data: bound,
    ...(familiesSpec ? { families: familiesSpec } : {}),
  };
}

/**
 * Rebuilds the model a {@link TransferableModel} describes (what each worker does once per run).
 *
 * @example
 * ```ts
 * const model = await buildTransferable(spec, "sample worker");
 * ```
 */
export async function buildTransferable(spec: TransferableModel, where: string): Promise<DensityModel> {
  const families = spec.families;
  if (spec.kind === "module")
    return resolveModel({ module: spec.module, export: spec.export }, spec.data, families, where);
  const registry = await resolveFamilies(families, where);
  return compile(graphFromJSON(spec.graphJson, asSignatures(registry, where)), spec.data, registry);
}

// graphFromJSON validates against family signatures; a Registry provides them.
function asSignatures(registry: DistributionLookup, where: string): Registry {
  const r = registry as Partial<Registry>;
  if (typeof r.signature !== "function" || typeof r.families !== "function") {
    throw new DomainError({
      where,
      what: "the families registry gives no signatures to validate the model graph against",
      got: describeValue(registry),
      expected: "a Registry (createDefaultRegistry().register(...))",
    });
  }
  return registry as Registry;
}
