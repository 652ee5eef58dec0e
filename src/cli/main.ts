#!/usr/bin/env node
/**
 * The `sprig` executable: runs the CLI on the process's arguments and streams.
 * @module cli/main
 */
import { runCli } from "./cli.js";
import { nodeIo } from "./shared.js";

// `sprig sample … | head` closes stdout early; that ends the output, it is not an error.
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code !== "EPIPE") throw e;
  process.exit(process.exitCode ?? 0);
});
process.exitCode = await runCli(process.argv.slice(2), nodeIo());
