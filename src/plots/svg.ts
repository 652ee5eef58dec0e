/**
 * The one place SVG elements are spelled: attribute values are escaped (strings) or rounded
 * (numbers) here, so no figure can emit a malformed or non-deterministic element.
 *
 * @module
 */
import { escapeXml, formatCoordinate } from "./format.js";

/**
 * Attributes of an element, written in insertion order; `undefined` entries are left out.
 * Numbers are pixel quantities and are rounded to 0.01.
 *
 * @example
 * ```ts
 * const a: Attributes = { x: 10.123, fill: "#0072B2", opacity: undefined };
 * ```
 */
export type Attributes = Readonly<Record<string, string | number | undefined>>;

function attributeText(attributes: Attributes): string {
  let out = "";
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined) continue;
    out += ` ${name}="${typeof value === "number" ? formatCoordinate(value) : escapeXml(value)}"`;
  }
  return out;
}

/**
 * One element: self-closing without content, else with `content` (already SVG) inside.
 *
 * @example
 * ```ts
 * element("circle", { cx: 1, cy: 2, r: 3 }); // '<circle cx="1" cy="2" r="3"/>'
 * element("g", { fill: "red" }, element("rect", { width: 4, height: 4 }));
 * ```
 */
export function element(name: string, attributes: Attributes, content?: string): string {
  const open = `<${name}${attributeText(attributes)}`;
  return content === undefined ? `${open}/>` : `${open}>${content}</${name}>`;
}

/**
 * A `<text>` element with escaped content.
 *
 * @example
 * ```ts
 * textElement({ x: 0, y: 10 }, "a < b"); // '<text x="0" y="10">a &lt; b</text>'
 * ```
 */
export function textElement(attributes: Attributes, text: string): string {
  return element("text", attributes, escapeXml(text));
}
