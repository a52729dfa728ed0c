// HTML → readable text without a DOM library: a small tag tokenizer that keeps headings and
// paragraphs, drops what is not prose (scripts, styles, navigation, forms, hidden elements) and,
// when the page marks its main content (<main>, <article>, role="main"), keeps only that.
import { decodeEntities } from "./entities.js";
import { normalizeText } from "./normalize.js";

/** Elements whose whole subtree is not prose. */
const DROP = new Set([
  "script",
  "style",
  "noscript",
  "template",
  "svg",
  "math",
  "canvas",
  "iframe",
  "object",
  "embed",
  "nav",
  "aside",
  "footer",
  "form",
  "button",
  "select",
  "textarea",
  "dialog",
  "menu",
]);
/** Raw-text elements: their content may contain "<" that is not a tag, so skip straight to the close tag. */
const RAW_TEXT = new Set(["script", "style", "textarea", "title"]);
const VOID = new Set([
  "area",
  "base",
  "br",
  "col",
  "embed",
  "hr",
  "img",
  "input",
  "link",
  "meta",
  "param",
  "source",
  "track",
  "wbr",
]);
/** Elements that end a line of text (so words from neighbouring blocks never run together). */
const BLOCK = new Set([
  "p",
  "div",
  "section",
  "article",
  "main",
  "header",
  "blockquote",
  "pre",
  "ul",
  "ol",
  "li",
  "dl",
  "dt",
  "dd",
  "table",
  "thead",
  "tbody",
  "tfoot",
  "tr",
  "figure",
  "figcaption",
  "address",
  "details",
  "summary",
  "hr",
  "br",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "caption",
]);
const HEADING = /^h[1-6]$/;
const CELL = new Set(["td", "th"]);
const LIST = new Set(["ul", "ol", "dl"]);

// A tag with attributes whose quoted values may contain ">"; comments, doctype and CDATA are separate.
// "<" never starts an attribute and every repeat is bounded, so a page of unclosed "<x" costs a
// bounded scan per position instead of a scan to the end of the page (which made this quadratic).
const TOKEN =
  /<!--[\s\S]*?(?:-->|$)|<!\[CDATA\[[\s\S]*?(?:\]\]>|$)|<![^<>]{0,2000}>|<\?[^<>]{0,2000}>|<(\/?)([a-zA-Z][\w:-]{0,100})((?:\s+[^\s"'<>/=]+(?:\s*=\s*(?:"[^"]{0,10000}"|'[^']{0,10000}'|[^\s"'<>]+))?){0,500})\s*(\/?)>/g;

export interface HtmlText {
  text: string;
  title: string | undefined;
}

function isHidden(attrs: string): boolean {
  return (
    /(?:^|\s)hidden(?:\s|=|$)/i.test(attrs) ||
    /aria-hidden\s*=\s*["']?true/i.test(attrs) ||
    /display\s*:\s*none/i.test(attrs)
  );
}

function isMainMarker(name: string, attrs: string): boolean {
  return name === "main" || name === "article" || /role\s*=\s*["']?main\b/i.test(attrs);
}

export function htmlToText(html: string): HtmlText {
  const r = extract(html, MAIN_MARKER.test(html));
  // A page whose main content is empty (client-rendered shells) still yields its body text.
  return r.text || !r.usedMain ? r : extract(html, false);
}

const MAIN_MARKER = /<(?:main|article)\b|<[a-zA-Z][^<>]{0,2000}\srole\s*=\s*["']?main\b/i;

function extract(html: string, hasMain: boolean): HtmlText & { usedMain: boolean } {
  const out: string[] = [];
  let title: string | undefined;
  let firstH1: string | undefined;
  let h1Buf: string[] | undefined;
  // Skipping a dropped subtree: its tag name and how deep we are in nested same-name tags.
  let skip: { name: string; depth: number } | undefined;
  // Inside the page's main content (counted per marker tag name so nesting works).
  const mainDepth = new Map<string, number>();
  let inMain = 0;
  let pre = 0;
  let last = 0;

  // Block boundaries do not add up (</div><div> is one line break, not two): the strongest one
  // asked for since the last text wins and is written just before the next text.
  let pendingBreak = 0;
  // Table cells: a row is one line, its cells joined by ", " (by a space after a cell that ends in
  // punctuation), written lazily so that empty cells add nothing.
  let cellDepth = 0;
  let cellsInRow = 0;
  let pendingCell = false;
  let tableDepth = 0;
  let listDepth = 0;
  const emit = (s: string) => {
    if (skip || (hasMain && inMain === 0)) return;
    if (s === "\n" || s === "\n\n") {
      pendingBreak = Math.max(pendingBreak, s.length);
      return;
    }
    if (pendingBreak > 0) {
      if (s.trim() === "") return;
      out.push("\n".repeat(pendingBreak));
      pendingBreak = 0;
    }
    if (pendingCell) {
      if (s.trim() === "") return;
      while (out.length && out[out.length - 1]!.trim() === "") out.pop();
      const last = (out.pop() ?? "").replace(/[ \t]+$/, "");
      out.push(last, /[.,;:!?]$/.test(last) ? " " : ", ");
      pendingCell = false;
      s = s.replace(/^\s+/, "");
    }
    out.push(s);
    if (h1Buf) h1Buf.push(s);
  };
  const emitText = (raw: string) => {
    if (!raw) return;
    const text = decodeEntities(raw);
    emit(pre > 0 ? text : text.replace(/\s+/g, " "));
  };

  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(html); m; m = TOKEN.exec(html)) {
    emitText(html.slice(last, m.index));
    last = TOKEN.lastIndex;
    const name = m[2]?.toLowerCase();
    if (!name) continue; // comment, doctype, CDATA, processing instruction
    const closing = m[1] === "/";
    const attrs = m[3] ?? "";
    const selfClosing = m[4] === "/" || VOID.has(name);

    if (!closing && RAW_TEXT.has(name)) {
      // Jump to the matching close tag; the content is never markup.
      const close = new RegExp(`</${name}\\s*>`, "ig");
      close.lastIndex = last;
      const end = close.exec(html);
      const inner = html.slice(last, end ? end.index : html.length);
      last = end ? close.lastIndex : html.length;
      TOKEN.lastIndex = last;
      if (name === "title" && title === undefined && !skip)
        title = normalizeText(decodeEntities(inner)).replace(/\n/g, " ") || undefined;
      else if (name === "textarea") continue;
      continue;
    }

    if (skip) {
      if (name === skip.name && !selfClosing) {
        skip.depth += closing ? -1 : 1;
        if (skip.depth === 0) skip = undefined;
      }
      continue;
    }
    if (!closing && !selfClosing && (DROP.has(name) || isHidden(attrs))) {
      skip = { name, depth: 1 };
      continue;
    }

    if (hasMain && (isMainMarker(name, attrs) || mainDepth.has(name))) {
      if (!closing && !selfClosing && isMainMarker(name, attrs)) {
        mainDepth.set(name, (mainDepth.get(name) ?? 0) + 1);
        inMain++;
      } else if (closing && (mainDepth.get(name) ?? 0) > 0) {
        const d = (mainDepth.get(name) ?? 1) - 1;
        if (d === 0) mainDepth.delete(name);
        else mainDepth.set(name, d);
        inMain--;
      }
    }

    if (name === "pre") pre += closing ? (pre > 0 ? -1 : 0) : 1;
    if (CELL.has(name)) {
      if (!closing && !selfClosing) {
        if (cellsInRow > 0) pendingCell = true;
        cellsInRow++;
        cellDepth++;
      } else if (closing && cellDepth > 0) cellDepth--;
      emit(" ");
      continue;
    }
    if (!selfClosing && name === "table") tableDepth = Math.max(0, tableDepth + (closing ? -1 : 1));
    if (!selfClosing && LIST.has(name)) listDepth = Math.max(0, listDepth + (closing ? -1 : 1));
    if (name === "tr") {
      cellsInRow = 0;
      pendingCell = false;
    }
    if (cellDepth > 0 && name !== "tr" && (BLOCK.has(name) || HEADING.test(name))) {
      emit(" "); // paragraphs and lists inside a cell stay on the row's line
      continue;
    }
    if (HEADING.test(name)) {
      emit("\n\n");
      // Kept as a markdown heading line, like markdown sources: the writers use the structure.
      if (!closing) emit(`${"#".repeat(Number(name[1]))} `);
      if (name === "h1" && firstH1 === undefined) {
        if (!closing) h1Buf = [];
        else if (h1Buf) {
          firstH1 = normalizeText(h1Buf.join("")).replace(/\n/g, " ") || undefined;
          h1Buf = undefined;
        }
      }
      if (closing) emit("\n\n");
    } else if (name === "p" || name === "blockquote" || name === "pre" || name === "section" || name === "article") {
      emit("\n\n");
    } else if ((name === "table" && tableDepth === +!closing) || (LIST.has(name) && listDepth === +!closing)) {
      emit("\n\n"); // a list or a table is a block of its own lines; nested ones stay inside it
    } else if (BLOCK.has(name)) {
      emit("\n");
    }
  }
  emitText(html.slice(last));
  return { text: normalizeText(out.join("")), title: title ?? firstH1, usedMain: hasMain };
}
