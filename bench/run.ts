/**
 * Benchmark driver: `npm run bench -- <name> [args]` runs `bench/<name>.ts`, whose default export
 * is an async function receiving the remaining arguments. Benchmarks print figures and ratios
 * against references measured in the same run; they are never part of `npm test`.
 */
import { readdirSync } from "node:fs";

const [name, ...rest] = process.argv.slice(2);
const available = readdirSync(new URL(".", import.meta.url))
  .filter((f) => f.endsWith(".ts") && f !== "run.ts" && !f.startsWith("_"))
  .map((f) => f.slice(0, -3));
if (!name || !available.includes(name)) {
  console.error(
    `bench: unknown benchmark ${name === undefined ? "(none given)" : `'${name}'`}. Available: ${available.join(", ")}`,
  );
  process.exit(2);
}
const module = (await import(`./${name}.ts`)) as { default: (args: string[]) => Promise<void> };
await module.default(rest);
