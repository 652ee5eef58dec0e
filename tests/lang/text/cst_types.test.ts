/**
 * src/lang/text/cst.ts is generated from the grammar (tests/lang/text/generate_cst_types.ts); this
 * test fails when the grammar changed and the typed CST the visitor relies on was not regenerated.
 * Formatting is ignored (the committed file is biome-formatted).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../helpers/shared.js";
import { generateCstTypes } from "./generate_cst_types.js";

function normalise(text: string): string {
  return text.replace(/\s+/g, "").replace(/[();,]/g, "");
}

describe("typed CST", () => {
  it("src/lang/text/cst.ts matches the grammar", () => {
    const committed = readFileSync(join(REPO_ROOT, "src", "lang", "text", "cst.ts"), "utf8");
    expect(normalise(committed)).toBe(normalise(generateCstTypes()));
  });
});
