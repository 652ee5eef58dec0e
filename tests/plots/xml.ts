/**
 * A strict little XML reader for the plot tests: tokenises with sticky regular expressions,
 * rejects anything that is not well-formed (unbalanced or misnested tags, unquoted or duplicate
 * attributes, a raw `<` or a bare `&` in text or attribute values, content outside the root) and
 * returns the element tree with entities decoded, so tests can query what a viewer would see.
 */

export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  /** Decoded character data directly inside this element. */
  text: string;
  readonly parent: XmlElement | undefined;
}

const NAME = "[A-Za-z_][A-Za-z0-9_:.-]*";
const START = new RegExp(`<(${NAME})((?:\\s+${NAME}\\s*=\\s*"[^"<]*")*)\\s*(/?)>`, "y");
const END = new RegExp(`</(${NAME})\\s*>`, "y");
const ATTRIBUTE = new RegExp(`(${NAME})\\s*=\\s*"([^"<]*)"`, "g");
const TEXT = /[^<]+/y;
const COMMENT = /<!--[\s\S]*?-->/y;
const DECLARATION = /<\?xml[^?]*\?>/y;
const ENTITY = /&(?:(amp|lt|gt|quot|apos)|#([0-9]+)|#x([0-9a-fA-F]+));/g;

function decode(raw: string, where: number): string {
  // Every '&' must begin one of the five named entities or a character reference.
  const stripped = raw.replace(ENTITY, "");
  if (stripped.includes("&")) throw new Error(`bare '&' near offset ${where}: ${JSON.stringify(raw.slice(0, 60))}`);
  const named: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
  return raw.replace(ENTITY, (_, name: string | undefined, dec: string | undefined, hex: string | undefined) =>
    name ? named[name] : String.fromCodePoint(dec ? Number(dec) : Number.parseInt(hex ?? "0", 16)),
  );
}

/** Parses a whole document; throws with the offset of the first problem. */
export function parseXml(source: string): XmlElement {
  let pos = 0;
  let root: XmlElement | undefined;
  const stack: XmlElement[] = [];
  const at = (re: RegExp): RegExpExecArray | null => {
    re.lastIndex = pos;
    const m = re.exec(source);
    if (m) pos = re.lastIndex;
    return m;
  };
  at(DECLARATION);
  while (pos < source.length) {
    const start = pos;
    if (at(COMMENT)) continue;
    const open = at(START);
    if (open) {
      const [, name, rawAttributes, selfClosing] = open;
      const attributes: Record<string, string> = {};
      for (const a of rawAttributes.matchAll(ATTRIBUTE)) {
        if (a[1] in attributes) throw new Error(`duplicate attribute '${a[1]}' on <${name}> at ${start}`);
        attributes[a[1]] = decode(a[2], start);
      }
      const parent = stack.at(-1);
      if (parent === undefined && root !== undefined) throw new Error(`second root element <${name}> at ${start}`);
      const element: XmlElement = { name, attributes, children: [], text: "", parent };
      if (parent) parent.children.push(element);
      else root = element;
      if (!selfClosing) stack.push(element);
      continue;
    }
    const close = at(END);
    if (close) {
      const top = stack.pop();
      if (!top || top.name !== close[1]) {
        throw new Error(`</${close[1]}> at ${start} closes ${top ? `<${top.name}>` : "nothing"}`);
      }
      continue;
    }
    const text = at(TEXT);
    if (text) {
      const current = stack.at(-1);
      if (current === undefined) {
        if (text[0].trim() !== "") throw new Error(`text outside the root element at ${start}`);
      } else {
        current.text += decode(text[0], start);
      }
      continue;
    }
    throw new Error(`malformed markup at offset ${start}: ${JSON.stringify(source.slice(start, start + 60))}`);
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack.at(-1)?.name}>`);
  if (root === undefined) throw new Error("no root element");
  return root;
}

/** Every element under (and including) `root`, depth first, in document order. */
export function allElements(root: XmlElement): XmlElement[] {
  const out: XmlElement[] = [root];
  for (const child of root.children) out.push(...allElements(child));
  return out;
}

/** The value of `attribute` on the element or its nearest ancestor that sets it (SVG presentation inheritance). */
export function inherited(element: XmlElement, attribute: string): string | undefined {
  for (let e: XmlElement | undefined = element; e; e = e.parent) {
    if (attribute in e.attributes) return e.attributes[attribute];
  }
  return undefined;
}

/** Whether an ancestor (or the element) has the given class. */
export function within(element: XmlElement, className: string): boolean {
  for (let e: XmlElement | undefined = element; e; e = e.parent) {
    if ((e.attributes.class ?? "").split(/\s+/).includes(className)) return true;
  }
  return false;
}

/** All text content under an element, decoded. */
export function textContent(element: XmlElement): string {
  return element.text + element.children.map(textContent).join("");
}
