/**
 * Locating the shared reference folder (`../shared` next to the repository: posteriordb
 * references, fixtures made by other tools). Tests that need it use {@link describeShared}, which
 * skips them with a message naming the missing path instead of failing when it is absent.
 * Set SPRIG_SHARED to use another location.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, it } from "vitest";

/** The repository root (two levels above this file). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** The shared folder: $SPRIG_SHARED, else `<repo>/../shared`. */
export const SHARED_ROOT = process.env.SPRIG_SHARED
  ? resolve(process.env.SPRIG_SHARED)
  : resolve(REPO_ROOT, "..", "shared");

/**
 * Absolute path of a file or folder inside the shared folder.
 *
 * @example
 * ```ts
 * sharedPath("posteriordb", "kidiq-kidscore_momhsiq", "data.json");
 * ```
 */
export function sharedPath(...parts: string[]): string {
  return join(SHARED_ROOT, ...parts);
}

/**
 * Whether a path inside the shared folder exists.
 *
 * @example
 * ```ts
 * if (hasShared("posteriordb")) { ... }
 * ```
 */
export function hasShared(...parts: string[]): boolean {
  return existsSync(sharedPath(...parts));
}

/**
 * Parses a JSON file from the shared folder.
 *
 * @example
 * ```ts
 * const data = readSharedJson<Record<string, unknown>>("posteriordb", name, "data.json");
 * ```
 */
export function readSharedJson<T = unknown>(...parts: string[]): T {
  return JSON.parse(readFileSync(sharedPath(...parts), "utf8")) as T;
}

/**
 * `describe` when `parts` exists in the shared folder, otherwise `describe.skip` with a title
 * saying which path is missing.
 *
 * @example
 * ```ts
 * describeShared("kidiq against Stan", ["posteriordb", "kidiq-kidscore_momhsiq"], () => { ... });
 * ```
 */
export function describeShared(name: string, parts: readonly string[], body: () => void): void {
  if (hasShared(...parts)) {
    describe(name, body);
    return;
  }
  // vitest still runs a skipped describe's body to collect its tests, and the body reads the
  // shared files; so the body is replaced by one skipped test that names what is missing.
  describe(name, () => {
    it.skip(`skipped: ${sharedPath(...parts)} not found (the shared reference folder belongs next to the repository, or set SPRIG_SHARED)`, () => {});
  });
}
