/**
 * `sprig print model.sprig [--json] [--data data.json]`: the model as canonical sprig text (the
 * IR printer's output, which parses back to the same graph), or its IR as JSON.
 * @module cli/print
 */
import { graphToJSON, printModel } from "../index.js";
import {
  type CommandSpec,
  defineCommand,
  EXIT_OK,
  loadModel,
  onePositional,
  readDataFile,
  stringOption,
} from "./shared.js";

/**
 * The `print` command's options and help text.
 *
 * @example
 * ```ts
 * process.stdout.write(formatHelp(PRINT_SPEC));
 * ```
 */
export const PRINT_SPEC: CommandSpec = {
  name: "print",
  usage: "sprig print <model.sprig> [--json] [--data <data.json>]",
  summary: "Print the model in canonical form (what the IR holds), or its IR as JSON.",
  description:
    "The canonical text names every argument, orders the blocks and nodes as the IR does and\n" +
    "parses back to the same graph. Models whose loops need the data to be unrolled (arK, arma11)\n" +
    "need --data.",
  options: {
    json: { type: "boolean", help: "print the IR as JSON (graphFromJSON reads it back)" },
    data: { type: "string", value: "file", help: "data as JSON, for models that need it to be lowered" },
  },
  examples: ["sprig print examples/models/kidiq_momhsiq.sprig", "sprig print model.sprig --json > model.ir.json"],
};

/**
 * Runs `sprig print`.
 *
 * @example
 * ```ts
 * const code = await printCommand(["examples/models/kilpisjarvi.sprig", "--json"], nodeIo());
 * ```
 */
export const printCommand = defineCommand(PRINT_SPEC, async (args, io) => {
  const where = "sprig print";
  const file = onePositional(where, args, "<model.sprig>");
  const dataPath = stringOption(args, "data");
  const data = dataPath === undefined ? undefined : readDataFile(where, io, dataPath);
  const { graph } = loadModel(where, io, file, data);
  io.stdout.write(args.values.json === true ? `${graphToJSON(graph, 2)}\n` : printModel(graph));
  return EXIT_OK;
});
