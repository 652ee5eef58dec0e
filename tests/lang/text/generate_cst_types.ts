/**
 * Prints src/lang/text/cst.ts (typed CST nodes) from the grammar, using chevrotain's own
 * generator: `npx tsx tests/lang/text/generate_cst_types.ts > src/lang/text/cst.ts`, then
 * `npx biome format --write src/lang/text/cst.ts`.
 */
import { generateCstDts } from "@chevrotain/cst-dts-gen";
import { SprigParser } from "../../../src/lang/text/grammar.js";

const HEADER = `/**
 * Typed CST nodes of the sprig grammar, generated from the grammar by chevrotain's
 * \`generateCstDts\` (tests/lang/text/cst_types.test.ts fails when the grammar and this file drift
 * apart; regenerate with \`npx tsx tests/lang/text/generate_cst_types.ts > src/lang/text/cst.ts\`).
 * Types only: the visitor reads children through them.
 * @module lang/text/cst
 */
`;

/**
 * The text of src/lang/text/cst.ts for the current grammar.
 *
 * @example
 * ```ts
 * process.stdout.write(generateCstTypes());
 * ```
 */
export function generateCstTypes(): string {
  const body = generateCstDts(new SprigParser().getGAstProductions(), { includeVisitorInterface: false });
  const documented = body
    .replace(
      'import type { CstNode, ICstVisitor, IToken } from "chevrotain";',
      'import type { CstNode, IToken } from "chevrotain";',
    )
    .replace(
      /export interface (\w+)CstNode extends CstNode \{\n {2}name: "(\w+)";/g,
      (match, type: string, rule: string) => {
        return `/** The CST node of rule \`${rule}\`. @example \`const n = parser.${rule}() as ${type}CstNode;\` */\n${match}`;
      },
    )
    .replace(/export type (\w+)CstChildren = \{/g, (match, type: string) => {
      return `/** Children of a {@link ${type}CstNode} by token or label. @example \`const c: ${type}CstChildren = node.children;\` */\n${match}`;
    });
  return HEADER + documented;
}

if (process.argv[1]?.endsWith("generate_cst_types.ts")) process.stdout.write(generateCstTypes());
