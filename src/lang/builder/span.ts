/**
 * Source locations for models written in TypeScript: the DSL records where the user's code
 * called it (from the JavaScript stack), so errors point at the model line, not at sprig.
 * @module lang/builder/span
 */
import type { SourceSpan } from "../../core/span.js";

/** Folders whose frames are sprig's own and are skipped. */
const INTERNAL =
  /[\\/]src[\\/](lang[\\/]builder|ir)[\\/]|[\\/]dist[\\/](lang[\\/]builder|ir)[\\/]|node:internal|node_modules/;
const FRAME = /\(?((?:file:\/\/)?[^\s()]+?):(\d+):(\d+)\)?\s*$/;

/**
 * The location of the nearest caller outside the DSL and the IR, or undefined when the stack is
 * unavailable.
 *
 * @example
 * ```ts
 * const span = callerSpan(); // { file: "/home/me/model.ts", line: 12, column: 18 }
 * ```
 */
export function callerSpan(): SourceSpan | undefined {
  const stack = new Error().stack;
  if (stack === undefined) return undefined;
  for (const line of stack.split("\n").slice(1)) {
    if (INTERNAL.test(line)) continue;
    const m = FRAME.exec(line);
    if (m === null) continue;
    const file = m[1]!.replace(/^file:\/\//, "");
    return { file: shorten(file), line: Number(m[2]), column: Number(m[3]) };
  }
  return undefined;
}

/** Paths relative to the working directory read better in messages. */
function shorten(file: string): string {
  const cwd = (globalThis as { process?: { cwd?: () => string } }).process?.cwd?.();
  if (cwd !== undefined && file.startsWith(`${cwd}/`)) return file.slice(cwd.length + 1);
  return file;
}
