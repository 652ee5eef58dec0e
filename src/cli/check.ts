/**
 * `sprig check model.sprig [--data data.json]`: parses and lowers a model (and compiles it with
 * data), then prints a one-screen summary — data, hyper-parameters, latents with shapes and
 * supports, transformed quantities, observations — and which backends can run it, with the
 * reason when one cannot.
 * @module cli/check
 */
import {
  CapabilityError,
  type CompiledModel,
  compile,
  em,
  ir,
  mcmc,
  type ModelData,
  type ModelGraph,
  runtime,
  type Support,
  SprigError,
} from "../index.js";
import {
  type CommandSpec,
  defineCommand,
  EXIT_OK,
  formatTable,
  listNames,
  loadModel,
  onePositional,
  readDataFile,
  stringOption,
} from "./shared.js";

/**
 * The `check` command's options and help text.
 *
 * @example
 * ```ts
 * process.stdout.write(formatHelp(CHECK_SPEC));
 * ```
 */
export const CHECK_SPEC: CommandSpec = {
  name: "check",
  usage: "sprig check <model.sprig> [--data <data.json>]",
  summary: "Parse and lower a model (and compile it with data); summarise it and the backends that can run it.",
  description:
    "Without --data the summary shows declared (symbolic) shapes; with --data the model is compiled,\n" +
    "shapes are concrete, and the gradient-based and EM-SBL backends are checked on the data.\n" +
    "Errors are printed with their location and exit with code 1.",
  options: {
    data: { type: "string", value: "file", help: "data as JSON (CmdStan's format); compiles and checks the backends" },
  },
  examples: ["sprig check examples/models/eight_schools_noncentered.sprig", "sprig check model.sprig --data data.json"],
};

/**
 * Runs `sprig check`.
 *
 * @example
 * ```ts
 * const code = await checkCommand(["examples/models/kilpisjarvi.sprig"], nodeIo());
 * ```
 */
export const checkCommand = defineCommand(CHECK_SPEC, async (args, io) => {
  const where = "sprig check";
  const file = onePositional(where, args, "<model.sprig>");
  const dataPath = stringOption(args, "data");
  const data = dataPath === undefined ? undefined : readDataFile(where, io, dataPath);
  const { graph, registry } = loadModel(where, io, file, data);
  const compiled = data === undefined ? undefined : compile(graph, data, registry);
  io.stdout.write(`${describeModel(graph, file, dataPath, data, compiled)}\n`);
  return EXIT_OK;
});

type ModelNode = ir.ModelNode;

/** Why EM-SBL cannot run a model without any sparse prior. */
const NO_SPARSE_PRIOR =
  "no sparse prior (ard, block_ard, kronecker_ard, pattern_coupled, student_t_mixture) whose variances EM could learn";

/** Longest rendering of a prior or observation shown before it is cut. */
const MAX_EXPRESSION = 72;

/** How many transformed quantities are named before the rest is counted. */
const MAX_NAMES = 8;

function describeModel(
  graph: ModelGraph,
  file: string,
  dataPath: string | undefined,
  data: ModelData | undefined,
  compiled: CompiledModel | undefined,
): string {
  const lines = [
    `model '${graph.name}' (${file}): ${compiled ? `parsed, lowered and compiled with ${dataPath}` : "parsed and lowered (pass --data to compile it)"}`,
  ];
  const nodes = graph.nodes;
  const of = <K extends ModelNode["kind"]>(kind: K) =>
    nodes.filter((n): n is Extract<ModelNode, { kind: K }> => n.kind === kind);
  const dataNodes = of("data");
  const hypers = of("hyper");
  const latents = of("latent");
  const observed = of("observed");
  const factors = of("factor");
  const dependent = new Set(mcmc.latentDeterministics(graph));
  const deterministics = of("deterministic");
  const transformedData = deterministics.filter((n) => !dependent.has(n.name));
  const transformedParameters = deterministics.filter((n) => dependent.has(n.name));
  const layout = new Map(compiled?.layout.map((v) => [v.name, v]) ?? []);

  const section = (title: string, rows: string[][]) => {
    lines.push("", `${title}:`);
    if (rows.length === 0) lines.push("  (none)");
    else
      lines.push(
        ...indent(
          formatTable(
            rows[0]!.map(() => ""),
            rows,
            "left",
          )
            .split("\n")
            .slice(1),
        ),
      );
  };

  section(
    `data (${dataNodes.length})`,
    dataNodes.map((n) => [
      n.name,
      formatType(n.dtype, n.shape, n.support),
      data === undefined ? "" : describeDataValue(data[n.name], n.value),
    ]),
  );
  if (hypers.length > 0) {
    section(
      `hyper-parameters (${hypers.length}, point-estimated)`,
      hypers.map((n) => [n.name, formatType("real", n.shape, n.support), `init ${formatInit(n.init)}`, tags(n)]),
    );
  }
  const coordinates = compiled === undefined ? "" : `, ${compiled.dimension} unconstrained coordinates`;
  section(
    `parameters (${latents.length} latent${latents.length === 1 ? "" : "s"}${coordinates})`,
    latents.map((n) => {
      // Compiled, the layout knows the concrete shape and the support (declared or the
      // family's); before that only the declaration is known.
      const v = layout.get(n.name);
      return [
        n.name,
        v === undefined ? formatType(n.dtype, n.shape, n.support) : formatType(n.dtype, v.shape, undefined),
        ...(v === undefined
          ? []
          : [v.computedBounds ? formatComputedBounds(v.computedBounds) : formatSupportShort(v.support)]),
        cut(`~ ${n.family}(${formatArgs(n.args)})`),
        tags(n),
      ];
    }),
  );
  if (transformedData.length > 0) {
    lines.push("", `transformed data (${transformedData.length}): ${namesWithTypes(transformedData)}`);
  }
  if (transformedParameters.length > 0) {
    const derived = compiled === undefined ? undefined : mcmc.derivedQuantities(compiled);
    const shapes = new Map(derived?.layout.map((q) => [q.name, q.shape]) ?? []);
    lines.push(
      "",
      `transformed parameters (${transformedParameters.length}, kept with every draw): ${namesWithTypes(transformedParameters, shapes)}`,
    );
  }
  lines.push("", `observed (${observed.length}):`);
  if (observed.length === 0) lines.push("  (none: the model has no likelihood, only priors and target += terms)");
  for (const n of observed) lines.push(`  ${cut(`${n.name} ~ ${n.family}(${formatArgs(n.args)})`)}`);
  if (factors.length > 0) {
    const prior = factors.filter((f) => f.part === "prior").length;
    lines.push(
      "",
      `target += terms: ${factors.length} (${prior} in the prior, ${factors.length - prior} in the likelihood)`,
    );
  }
  lines.push("", "backends:", ...indent(backendLines(graph, latents, data, compiled)));
  return lines.join("\n");
}

function indent(lines: readonly string[]): string[] {
  return lines.map((l) => `  ${l}`);
}

/** Which backends can run the model, with a reason for each verdict. */
function backendLines(
  graph: ModelGraph,
  latents: readonly Extract<ModelNode, { kind: "latent" }>[],
  data: ModelData | undefined,
  compiled: CompiledModel | undefined,
): string[] {
  const gradient = "gradient-based (sample, vi)";
  const sbl = "EM-SBL (sbl)";
  if (compiled === undefined || data === undefined) {
    const discrete = latents.filter((n) => n.dtype === "int").map((n) => n.name);
    const sparse = sparseGroups(graph);
    return [
      discrete.length > 0
        ? `${gradient}: no — discrete latent${discrete.length > 1 ? "s" : ""} ${listNames(discrete.map((d) => `'${d}'`))}; gradients need continuous latents (marginalise them out, or use smc)`
        : latents.length === 0
          ? `${gradient}: no — the model has no latent variables to infer`
          : `${gradient}: every latent is continuous; pass --data to check the log density`,
      sparse.length > 0
        ? `${sbl}: sparse prior${sparse.length > 1 ? "s" : ""} ${sparse.join(", ")}; pass --data to detect the linear-Gaussian block`
        : `${sbl}: no — ${NO_SPARSE_PRIOR}`,
    ];
  }
  const sparse = sparseGroups(graph);
  return [
    `${gradient}: ${gradientVerdict(compiled)}`,
    // Without a sparse prior the detector's reason is about the first thing it tried (often the
    // likelihood, echoed in full); the missing prior is the reason that matters.
    `${sbl}: ${sparse.length === 0 ? `no — ${NO_SPARSE_PRIOR}` : sblVerdict(compiled, data)}`,
  ];
}

function gradientVerdict(model: CompiledModel): string {
  if (model.discreteLatents.length > 0) {
    return `no — discrete latent${model.discreteLatents.length > 1 ? "s" : ""} ${listNames(model.discreteLatents.map((d) => `'${d}'`))}; gradients need continuous latents (marginalise them out, or use smc)`;
  }
  if (model.dimension === 0) return "no — the model has no latent variables to infer";
  try {
    const theta = mcmc.findInitialPosition(runtime.createRng("sprig-check"), model, 2, 100, "check");
    const lp = model.logDensity(theta);
    return `yes — ${model.dimension} continuous coordinate${model.dimension === 1 ? "" : "s"}; log density and gradient finite at a random initial point (lp = ${lp.toPrecision(6)})`;
  } catch (e) {
    if (e instanceof SprigError) return `no — ${e.message}`;
    throw e;
  }
}

function sblVerdict(model: CompiledModel, data: ModelData): string {
  try {
    const plan = em.detectEm(model, data);
    return `yes — ${plan.summary}; algorithms ${plan.algorithms.join(", ")} (default ${plan.algorithm})`;
  } catch (e) {
    if (e instanceof CapabilityError) return `no — ${e.message.replace(/^em-sbl: /, "")}`;
    if (e instanceof SprigError) return `no — ${e.message}`;
    throw e;
  }
}

/** `w (ard)` for every sparse-prior group named by the nodes' annotations. */
function sparseGroups(graph: ModelGraph): string[] {
  const groups = new Map<string, string>();
  for (const n of graph.nodes) {
    if ((n.kind === "latent" || n.kind === "hyper" || n.kind === "deterministic") && n.annotations?.prior) {
      groups.set(n.annotations.group ?? n.name, n.annotations.prior);
    }
  }
  return [...groups].map(([group, prior]) => `'${group}' (${prior})`);
}

function namesWithTypes(
  nodes: readonly Extract<ModelNode, { kind: "deterministic" }>[],
  shapes: ReadonlyMap<string, readonly number[]> = new Map(),
): string {
  const shown = nodes
    .slice(0, MAX_NAMES)
    .map((n) => `${n.name} ${formatType(n.expr.dtype, shapes.get(n.name) ?? n.expr.shape, undefined)}`);
  return nodes.length > MAX_NAMES ? `${shown.join(", ")} and ${nodes.length - MAX_NAMES} more` : shown.join(", ");
}

function formatArgs(args: Readonly<Record<string, ir.Expr>>): string {
  return Object.entries(args)
    .map(([k, v]) => `${k}=${ir.printExpr(v)}`)
    .join(", ");
}

function cut(text: string): string {
  const flat = text.replace(/\s+/g, " ");
  return flat.length <= MAX_EXPRESSION ? flat : `${flat.slice(0, MAX_EXPRESSION - 1)}…`;
}

/** Annotations worth a glance: the sparse prior a node belongs to and its parameterisation. */
function tags(n: Extract<ModelNode, { kind: "latent" | "hyper" }>): string {
  const out: string[] = [];
  if (n.annotations?.prior) out.push(`${n.annotations.prior}${n.annotations.role ? ` ${n.annotations.role}` : ""}`);
  if (n.kind === "latent" && n.parameterization) out.push(n.parameterization);
  return out.length === 0 ? "" : `[${out.join(", ")}]`;
}

function formatInit(init: number | readonly number[]): string {
  if (typeof init === "number") return String(init);
  return init.length <= 4 ? `[${init.join(", ")}]` : `[${init.slice(0, 4).join(", ")}, …]`;
}

/** A declaration type as in model text: `int<lower=0>`, `vector<lower=0>[J]`, `matrix[N, D]`. */
function formatType(dtype: "real" | "int", shape: ir.IrShape, support: Support | undefined): string {
  const special = support && ["simplex", "ordered", "positive_ordered", "cholesky_corr"].includes(support.kind);
  if (special && shape.length === 1) {
    return `${support!.kind === "cholesky_corr" ? "cholesky_factor_corr" : support!.kind}[${shape[0]}]`;
  }
  const bounds = support === undefined ? "" : boundsOf(support);
  if (shape.length === 0) return `${dtype}${bounds}`;
  if (shape.length === 1) return dtype === "int" ? `array[${shape[0]}] int${bounds}` : `vector${bounds}[${shape[0]}]`;
  return `matrix${bounds}[${shape.join(", ")}]`;
}

function boundsOf(s: Support): string {
  switch (s.kind) {
    case "positive":
      return "<lower=0>";
    case "lower":
      return `<lower=${s.lower}>`;
    case "upper":
      return `<upper=${s.upper}>`;
    case "interval":
      return `<lower=${s.lower}, upper=${s.upper}>`;
    case "boolean":
      return "<lower=0, upper=1>";
    case "integer":
      if (s.lower !== undefined && s.upper !== undefined) return `<lower=${s.lower}, upper=${s.upper}>`;
      if (s.lower !== undefined) return `<lower=${s.lower}>`;
      return s.upper !== undefined ? `<upper=${s.upper}>` : "";
    default:
      return "";
  }
}

/** A support in interval notation, the form a reader checks a latent's values against. */
function formatSupportShort(s: Support): string {
  switch (s.kind) {
    case "real":
      return "(-∞, ∞)";
    case "positive":
      return "(0, ∞)";
    case "lower":
      return `(${s.lower}, ∞)`;
    case "upper":
      return `(-∞, ${s.upper})`;
    case "interval":
      return `(${s.lower}, ${s.upper})`;
    case "integer":
      if (s.lower !== undefined && s.upper !== undefined) return `integers in [${s.lower}, ${s.upper}]`;
      if (s.lower !== undefined) return `integers ≥ ${s.lower}`;
      return s.upper !== undefined ? `integers ≤ ${s.upper}` : "integers";
    case "boolean":
      return "{0, 1}";
    case "cholesky_corr":
      return "Cholesky factors of correlation matrices";
    default:
      return s.kind.replace("_", " ");
  }
}

/** Computed bounds in interval notation, `(0, 1 - alpha1)`: the interval moves with the named values. */
function formatComputedBounds(b: { readonly lower?: string; readonly upper?: string }): string {
  return `(${b.lower ?? "-∞"}, ${b.upper ?? "∞"})`;
}

/** What the data file gave for one data node: a scalar's value, a vector's length, a matrix's size. */
function describeDataValue(value: unknown, embedded: number | readonly number[] | undefined): string {
  if (value === undefined) return embedded === undefined ? "(not in the data)" : "(embedded value)";
  if (typeof value === "number") return `= ${value}`;
  if (Array.isArray(value)) {
    if (value.length > 0 && Array.isArray(value[0])) return `${value.length} × ${(value[0] as unknown[]).length}`;
    return `length ${value.length}`;
  }
  return typeof value;
}
