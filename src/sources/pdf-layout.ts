// Positioned lines of PDF pages → prose: what pdf.ts gets from pdf.js is text placed on pages, not
// paragraphs. Pure functions, so each rule is tested on its own.
//
// - Headings: the outline's (bookmarks') titles are matched to lines of the page they point to
//   and written as `#` lines at the outline's depth; a title with no matching line is put where
//   the bookmark points. PDFs without an outline get no guessed headings.
// - Running headers and footers: lines in the top or bottom band of a page whose text, with
//   numbers masked, recurs on many pages; and page numbers ("7", "Page 7 of 9", "- vii -").
// - Paragraphs: a line starts a new one after a vertical gap well beyond the line spacing, a
//   change of font size, or an indented first line after a sentence end. A paragraph that does
//   not end a sentence at the bottom of a page (or column) continues on the next.
// - Hyphenation: "inter-" + "national" → "international"; a hyphen is kept when the document
//   writes the hyphenated word elsewhere ("well-known"), when the next line starts with a capital
//   or a digit, or after a word that usually starts compounds ("self-", "well-").

export interface PdfLine {
  text: string;
  /** Left edge and baseline, in PDF points (y grows upwards). */
  x: number;
  y: number;
  /** Font size in points. */
  size: number;
}

export interface PdfPageLines {
  lines: PdfLine[];
  /** The page's box: [left, bottom, right, top]. */
  view: number[];
}

export interface OutlineHeading {
  title: string;
  /** 1 for top-level bookmarks, 2 for their children, …, at most 6. */
  level: number;
  /** 0-based page the bookmark points to. */
  page: number;
  /** The destination's top on that page, when the bookmark says. */
  top?: number | undefined;
}

interface Placed extends PdfLine {
  page: number;
  heading?: number;
  drop?: boolean;
  /** normalized(text), computed once when headings are matched. */
  norm?: string;
}

/** Top and bottom bands of a page where running headers and footers live. */
const BAND = 0.12;
/** A text in a band on at least this share of pages (and on two or more) is a running header/footer. */
const REPEAT_SHARE = 0.4;
/** A gap above a line larger than this many font sizes starts a new paragraph (line spacing is ~1.2). */
const PARAGRAPH_GAP = 1.6;
/** "7", "- 7 -", "(vii)", "Page 7", "p. 7", "7 of 9", "7/9". */
const PAGE_NUMBER = new RegExp(
  "^(?:page|p\\.|seite|pág\\.?|página)?\\s*[-–—(\\[]?\\s*(?:\\d{1,5}|[ivxlcdm]{1,8})\\s*[-–—)\\]]?" +
    "(?:\\s*(?:of|\\/|de|von)\\s*\\d{1,5})?$",
  "i",
);
/** First halves of compounds whose hyphen stays when a line break falls on it. */
const COMPOUND_FIRST = new Set([
  "well",
  "self",
  "ill",
  "all",
  "half",
  "cross",
  "ex",
  "non",
  "so",
  "long",
  "short",
  "high",
  "low",
  "full",
]);
const SENTENCE_END = /[.!?:;…"”’)\]]$/;

const normalized = (s: string) =>
  s
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
const withoutNumbering = (s: string) =>
  s.replace(/^(?:(?:chapter|part|section|appendix)\s+)?(?:\d+|[ivxlc]+|[a-z])(?:\s\d+)*\s+/, "");
const signature = (s: string) => s.toLowerCase().replace(/\d+/g, "#").replace(/\s+/g, " ").trim();

function sameTitle(a: string, b: string): boolean {
  if (!a || !b) return false;
  return (
    a === b || withoutNumbering(a) === b || a === withoutNumbering(b) || withoutNumbering(a) === withoutNumbering(b)
  );
}

/** Mark the lines each heading names, or insert the heading where its bookmark points. */
function placeHeadings(pages: Placed[][], headings: OutlineHeading[]): void {
  for (const h of headings) {
    const found = findHeadingLines(pages, h);
    if (found) {
      const lines = pages[found.page]!;
      lines[found.index] = { ...lines[found.index]!, text: h.title.trim(), heading: h.level };
      for (let k = 1; k < found.count; k++) lines[found.index + k]!.drop = true;
      continue;
    }
    const lines = pages[h.page];
    if (!lines) continue;
    let at = h.top === undefined ? 0 : lines.findIndex((l) => !l.heading && l.y <= h.top! + 1);
    if (at < 0) at = lines.length;
    lines.splice(at, 0, { text: h.title.trim(), x: 0, y: h.top ?? Infinity, size: 0, page: h.page, heading: h.level });
  }
}

function findHeadingLines(
  pages: Placed[][],
  h: OutlineHeading,
): { page: number; index: number; count: number } | undefined {
  const title = normalized(h.title);
  for (const p of [h.page, h.page + 1]) {
    const lines = pages[p];
    if (!lines) continue;
    let best: { page: number; index: number; count: number; size: number } | undefined;
    for (let i = 0; i < lines.length; i++) {
      const first = lines[i]!;
      if (first.heading || first.drop) continue;
      if (p === h.page && h.top !== undefined && first.y > h.top + first.size) continue;
      // A title may wrap onto up to three lines.
      let text = "";
      for (let k = 0; k < 3 && i + k < lines.length; k++) {
        const line = lines[i + k]!;
        line.norm ??= normalized(line.text);
        text = text ? `${text} ${line.norm}` : line.norm;
        if (text.length > title.length * 2 + 20) break;
        // The largest match wins: a running header that repeats a chapter's title is small print.
        if (sameTitle(text, title) && (!best || first.size > best.size))
          best = { page: p, index: i, count: k + 1, size: first.size };
      }
    }
    if (best) return best;
  }
  return undefined;
}

/** Running headers, running footers and page numbers: marked `drop`. */
function dropPageFurniture(pages: Placed[][], views: number[][]): void {
  const seen = new Map<string, Set<number>>();
  const bands: { line: Placed; key: string }[] = [];
  pages.forEach((lines, p) => {
    const [, bottom = 0, , top = 792] = views[p] ?? [];
    const height = top - bottom;
    const body = lines.filter((l) => !l.heading && !l.drop);
    const byY = [...body].sort((a, b) => b.y - a.y);
    const edge = [
      ...byY
        .slice(0, 2)
        .filter((l) => l.y >= top - height * BAND)
        .map((l) => ({ line: l, band: "top" })),
      ...byY
        .slice(-2)
        .filter((l) => l.y <= bottom + height * BAND)
        .map((l) => ({ line: l, band: "bottom" })),
    ];
    for (const { line, band } of edge) {
      if (PAGE_NUMBER.test(line.text.trim())) {
        line.drop = true;
        continue;
      }
      const key = `${band}\u0000${signature(line.text)}`;
      const set = seen.get(key) ?? new Set<number>();
      set.add(p);
      seen.set(key, set);
      bands.push({ line, key });
    }
  });
  const pagesWithText = pages.filter((l) => l.length > 0).length;
  const needed = Math.max(2, Math.ceil(pagesWithText * REPEAT_SHARE));
  for (const { line, key } of bands) if ((seen.get(key)?.size ?? 0) >= needed) line.drop = true;
}

/** Words and hyphenated words the document writes within lines: they decide hyphens at line ends. */
function vocabulary(pages: Placed[][]): { words: Set<string>; hyphenated: Set<string> } {
  const words = new Set<string>();
  const hyphenated = new Set<string>();
  for (const lines of pages) {
    for (const l of lines) {
      for (const [word] of l.text.toLowerCase().matchAll(/\p{L}+(?:-\p{L}+)*[-\u2010\u00ad]?/gu)) {
        if (/[-\u2010\u00ad]$/.test(word)) continue; // broken at the line's end: not a word yet
        if (word.includes("-")) hyphenated.add(word);
        else words.add(word);
      }
    }
  }
  return { words, hyphenated };
}

type Vocabulary = () => ReturnType<typeof vocabulary>;

/** How `next` follows the line `prev` in a paragraph: `prev` (its hyphen perhaps gone) and the glue. */
function joinLine(prev: string, next: string, vocab: Vocabulary): { prev: string; glue: string } {
  const end = /([\p{L}\p{N}]+)([-\u2010\u00ad])$/u.exec(prev);
  if (!end) return { prev, glue: " " };
  if (end[2] === "\u00ad") return { prev: prev.slice(0, -1), glue: "" }; // a soft hyphen is a break, never a hyphen
  const start = /^[\p{L}\p{N}]+/u.exec(next)?.[0];
  if (!start) return { prev, glue: " " };
  if (!/^\p{Ll}/u.test(start)) return { prev, glue: "" }; // "Anglo-" + "Saxon", "1990-" + "1995"
  const left = end[1]!.toLowerCase();
  const right = start.toLowerCase();
  const { words, hyphenated } = vocab();
  const keep = hyphenated.has(`${left}-${right}`) || (!words.has(left + right) && COMPOUND_FIRST.has(left));
  return keep ? { prev, glue: "" } : { prev: prev.slice(0, -1), glue: "" };
}

function startsParagraph(prev: Placed, line: Placed): boolean {
  const size = Math.max(prev.size, line.size);
  const gap = prev.y - line.y;
  // Upwards or sideways: a new column (or a misordered stream); it continues unless a sentence ended.
  if (gap <= size * 0.2) return SENTENCE_END.test(prev.text);
  if (gap > size * PARAGRAPH_GAP) return true;
  if (Math.abs(prev.size - line.size) > 1.5) return true;
  return line.x > prev.x + size && SENTENCE_END.test(prev.text); // an indented first line
}

/** The pages' lines as text: `#` heading lines and paragraphs separated by one blank line. */
export function layoutText(pages: PdfPageLines[], headings: OutlineHeading[] = []): string {
  const placed: Placed[][] = pages.map((p, page) => p.lines.filter((l) => l.text.trim()).map((l) => ({ ...l, page })));
  placeHeadings(placed, headings);
  dropPageFurniture(
    placed,
    pages.map((p) => p.view),
  );
  // Built on first use: most documents never break a word across lines.
  let words: ReturnType<typeof vocabulary> | undefined;
  const vocab = () => (words ??= vocabulary(placed));

  const blocks: string[] = [];
  // The paragraph being built, as lines and the glue between them (joined once, at the end).
  let parts: string[] = [];
  let prev: Placed | undefined;
  const flush = () => {
    if (parts.length) blocks.push(parts.join(""));
    parts = [];
    prev = undefined;
  };
  for (const lines of placed) {
    for (const line of lines) {
      if (line.drop) continue;
      const text = line.text.replace(/\s+/g, " ").trim();
      if (line.heading) {
        flush();
        blocks.push(`${"#".repeat(line.heading)} ${text}`);
        continue;
      }
      if (parts.length && prev && prev.page === line.page && startsParagraph(prev, line)) flush();
      if (parts.length) {
        const joined = joinLine(parts[parts.length - 1]!, text, vocab);
        parts[parts.length - 1] = joined.prev;
        parts.push(joined.glue);
      }
      parts.push(text);
      prev = line;
    }
    // At the foot of a page a paragraph goes on unless its last line ended a sentence.
    if (prev && SENTENCE_END.test(prev.text.trim())) flush();
  }
  flush();
  return blocks.join("\n\n");
}
