// A small, strict XML 1.0 reader for tests (no new package): elements, attributes, text, the five named
// entities and character references, comments and the declaration. It throws on anything not
// well-formed, including characters XML 1.0 forbids, so a feed that passes it is readable by apps.
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const FORBIDDEN = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const NAME = /^[A-Za-z_][\w.:-]*/;
const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function decode(s: string, where: number): string {
  if (s.includes("<")) throw new Error(`"<" in text or attribute near ${where}`);
  return s.replace(/&([^;]*);?/g, (m, ref: string) => {
    if (!m.endsWith(";")) throw new Error(`unterminated entity near ${where}`);
    if (ref in ENTITIES) return ENTITIES[ref]!;
    const code = /^#x([0-9a-fA-F]+)$/.exec(ref)
      ? parseInt(ref.slice(2), 16)
      : /^#(\d+)$/.test(ref)
        ? Number(ref.slice(1))
        : NaN;
    if (Number.isNaN(code) || FORBIDDEN.test(String.fromCodePoint(code)))
      throw new Error(`bad reference &${ref}; near ${where}`);
    return String.fromCodePoint(code);
  });
}

export function parseXml(xml: string): XmlElement {
  const bad = FORBIDDEN.exec(xml);
  if (bad) throw new Error(`forbidden character U+${bad[0].codePointAt(0)!.toString(16)} at ${bad.index}`);
  let i = 0;
  const root: XmlElement = { name: "#document", attrs: {}, children: [], text: "" };
  const stack: XmlElement[] = [root];
  if (xml.startsWith("<?xml")) i = xml.indexOf("?>") + 2;
  while (i < xml.length) {
    const lt = xml.indexOf("<", i);
    const text = xml.slice(i, lt < 0 ? xml.length : lt);
    if (text.trim()) {
      if (stack.length === 1) throw new Error(`text outside the root element near ${i}`);
      stack.at(-1)!.text += decode(text, i);
    }
    if (lt < 0) break;
    if (xml.startsWith("<!--", lt)) {
      i = xml.indexOf("-->", lt) + 3;
      continue;
    }
    const gt = xml.indexOf(">", lt);
    if (gt < 0) throw new Error(`unclosed tag at ${lt}`);
    const tag = xml.slice(lt + 1, gt);
    i = gt + 1;
    if (tag.startsWith("/")) {
      const open = stack.pop();
      if (!open || open.name !== tag.slice(1).trim())
        throw new Error(`</${tag.slice(1)}> closes <${open?.name}> at ${lt}`);
      continue;
    }
    const selfClosing = tag.endsWith("/");
    const body = selfClosing ? tag.slice(0, -1) : tag;
    const name = NAME.exec(body)?.[0];
    if (!name) throw new Error(`bad tag name at ${lt}`);
    const el: XmlElement = { name, attrs: {}, children: [], text: "" };
    let rest = body.slice(name.length);
    const ATTR = /^\s+([A-Za-z_][\w.:-]*)\s*=\s*("([^"]*)"|'([^']*)')/;
    for (let m = ATTR.exec(rest); m; m = ATTR.exec(rest)) {
      if (m[1]! in el.attrs) throw new Error(`duplicate attribute ${m[1]} at ${lt}`);
      el.attrs[m[1]!] = decode(m[3] ?? m[4] ?? "", lt);
      rest = rest.slice(m[0].length);
    }
    if (rest.trim()) throw new Error(`bad attributes in <${name}> at ${lt}: ${rest}`);
    if (stack.length === 1 && root.children.length > 0) throw new Error("more than one root element");
    stack.at(-1)!.children.push(el);
    if (!selfClosing) stack.push(el);
  }
  if (stack.length !== 1) throw new Error(`<${stack.at(-1)!.name}> is never closed`);
  if (root.children.length !== 1) throw new Error("no root element");
  return root.children[0]!;
}

/** Direct children named `name`. */
export const kids = (el: XmlElement, name: string) => el.children.filter((c) => c.name === name);
/** The one direct child named `name`, or a thrown error naming what is missing. */
export function only(el: XmlElement, name: string): XmlElement {
  const found = kids(el, name);
  if (found.length !== 1) throw new Error(`<${el.name}> has ${found.length} <${name}>, expected 1`);
  return found[0]!;
}
