// Source text → headings and sentences, for the offline writer. Markdown syntax, code blocks, URLs
// and HTML are dropped so only words meant to be read aloud remain; sentences are split without
// breaking at abbreviations ("Dr. Lee"), initials ("J. R. Smith") or decimals ("3.5").

export type Block = { kind: "heading"; text: string } | { kind: "paragraph"; sentences: string[] };

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " ", "#39": "'" };

/** Inline markdown and HTML → plain words. */
export function cleanInline(text: string): string {
  return (
    text
      .replace(/!\[[^\]]*\]\([^)]*\)/g, "") // images
      .replace(/\[\^[^\]]+\]/g, "") // footnote references
      .replace(/\[([^\]]+)\]\([^)]*\)/g, "$1") // [text](url)
      .replace(/\[([^\]]+)\]\[[^\]]*\]/g, "$1") // [text][ref]
      .replace(/<(https?:\/\/|mailto:)[^>]*>/gi, "") // autolinks
      .replace(/<\/?[A-Za-z][^>]*>/g, "") // HTML tags
      .replace(/\s*\([^()]*(?:https?:\/\/|www\.)[^()]*\)/gi, "") // "(see https://…)" says nothing without its URL
      .replace(/\b(?:https?:\/\/|www\.)[^\s<>()]+[^\s<>().,;:!?'"]/gi, "") // bare URLs
      .replace(/`+([^`]+)`+/g, "$1") // inline code keeps its words
      .replace(/(\*\*|__)(?=\S)([\s\S]*?\S)\1/g, "$2")
      .replace(/(^|[^\w*])\*(?=\S)([^*]*?\S)\*(?!\w)/g, "$1$2")
      .replace(/(^|[^\w])_(?=\S)([^_]*?\S)_(?!\w)/g, "$1$2")
      .replace(/~~(?=\S)([\s\S]*?\S)~~/g, "$1")
      .replace(/&(amp|lt|gt|quot|apos|nbsp|#39);/g, (_, e: string) => ENTITIES[e] ?? "")
      // What removing a URL leaves behind: "()", "see ." and doubled spaces.
      .replace(/\(\s*[,;:]?\s*\)/g, "")
      .replace(/\s+([,.;:!?])/g, "$1")
      .replace(/\s+/g, " ")
      .trim()
  );
}

// Words after which a full stop almost never ends the sentence, because a name or number follows.
const ABBREVIATIONS = new Set(
  "mr mrs ms mx dr prof sr jr st mt ft vs e.g i.e cf viz fig figs eq approx ca gen col lt sgt capt cmdr rev gov sen rep hon pres dept vol pp ch sec no nos art p".split(" "),
);
const TERMINAL = /[.!?…]+["'”’“»)\]]*$/;

function isAbbreviation(before: string, next: string): boolean {
  const token = (/(\S+)$/.exec(before)?.[1] ?? "").replace(/^[("'“‘[]+/, "");
  const word = token.slice(0, -1).toLowerCase(); // without the final "."
  if (word === "no" || word === "nos" || word === "p" || word === "pp") return /^\d/.test(next);
  if (ABBREVIATIONS.has(word)) return true;
  if (/^[A-Z]$/.test(token.slice(0, -1))) return true; // an initial
  // "U.S. Embassy" or "… in the U.S. The law": ambiguous, and two sentences read as one harm
  // nothing, while a name cut in two is handed to two different speakers.
  return /^(?:\p{L}\.){2,}$/u.test(token);
}

const count = (text: string, re: RegExp) => (text.match(re) ?? []).length;

function quoteOpen(sentence: string): boolean {
  // “ opens an English quotation and closes a German one („…“).
  const german = sentence.includes("„");
  const open = count(sentence, /[„«]/g) + (german ? 0 : count(sentence, /“/g));
  const close = count(sentence, /[”»]/g) + (german ? count(sentence, /“/g) : 0);
  return count(sentence, /"/g) % 2 === 1 || open > close;
}

/** Split a paragraph into sentences. CJK full stops end a sentence without a following space. */
export function splitSentences(paragraph: string): string[] {
  const text = paragraph.replace(/\s+/g, " ").trim();
  if (!text) return [];
  const out: string[] = [];
  let start = 0;
  const re = /([.!?…]+["'”’“»)\]]*)(\s+)(?=\S)|([。！？]+[」』”’）]*)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const end = m.index + (m[1] ?? m[3]!).length;
    const next = text.slice(m.index + m[0].length, m.index + m[0].length + 2);
    if (m[1]) {
      // A lower-case word after the stop continues the sentence ("approx. five", "… and then").
      if (/^\p{Ll}/u.test(next)) continue;
      if (m[1] === "." && isAbbreviation(text.slice(start, m.index + 1), next)) continue;
    }
    // Inside a quotation that closes later in the paragraph, a full stop does not end our sentence.
    if (quoteOpen(text.slice(start, end)) && /["”“»]/.test(text.slice(end))) continue;
    const sentence = text.slice(start, end).trim();
    if (sentence) out.push(sentence);
    start = m.index + m[0].length;
  }
  const rest = text.slice(start).trim();
  if (rest) out.push(rest);
  return out;
}

/** A list item or table row is spoken as a sentence of its own, so it gets a full stop. */
function asSentence(text: string): string {
  return TERMINAL.test(text) || /[。！？]$/.test(text) ? text : `${text.replace(/[,;:]+$/, "")}.`;
}

export function parseBlocks(source: string): Block[] {
  const lines = source.replace(/\r\n?/g, "\n").replace(/<!--[\s\S]*?-->/g, "").split("\n");
  const blocks: Block[] = [];
  let para: string[] = [];
  let paraIsItem = false;
  let fence: string | undefined;

  const flush = () => {
    const text = cleanInline(para.join(" "));
    para = [];
    if (!text) return;
    const sentences = splitSentences(paraIsItem ? asSentence(text) : text);
    if (sentences.length) blocks.push({ kind: "paragraph", sentences });
  };
  const heading = (raw: string) => {
    flush();
    const text = cleanInline(raw).replace(/[:.]+$/, "").trim();
    if (text) blocks.push({ kind: "heading", text });
  };

  let i = 0;
  // YAML front matter is metadata, not prose.
  if (lines[0]?.trim() === "---") {
    const close = lines.findIndex((l, j) => j > 0 && /^(---|\.\.\.)\s*$/.test(l));
    if (close > 0) i = close + 1;
  }
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    const fenceMark = /^\s{0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence) {
      if (fenceMark && fenceMark[0] === fence[0] && fenceMark.length >= fence.length) fence = undefined;
      continue;
    }
    if (fenceMark) {
      flush();
      fence = fenceMark;
      continue;
    }
    const atx = /^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(line);
    if (atx) {
      heading(atx[1]!);
      continue;
    }
    if (/^\s*(=+|-+)\s*$/.test(line) && para.length === 1 && !paraIsItem) {
      const text = para[0]!;
      para = [];
      heading(text); // setext heading: the single line above the underline
      continue;
    }
    if (!line.trim() || /^\s{0,3}([-*_])(\s*\1){2,}\s*$/.test(line)) {
      flush();
      continue;
    }
    if (/^\s{0,3}\[[^\]]+\]:\s*\S+/.test(line)) continue; // link reference definition
    if (/^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)+\|?\s*$/.test(line)) continue; // table rule
    if (/^\s*\|.*\|\s*$/.test(line)) {
      flush();
      const cells = line.split("|").map((c) => c.trim()).filter(Boolean);
      para = [cells.join(", ")];
      paraIsItem = true;
      flush();
      continue;
    }
    const unquoted = line.replace(/^\s*(>\s?)+/, "");
    const item = /^\s*(?:[-*+]|\d{1,3}[.)])\s+(.*)$/.exec(unquoted);
    if (item) {
      flush();
      para = [item[1]!];
      paraIsItem = true;
      continue;
    }
    if (para.length === 0) paraIsItem = false;
    para.push(unquoted.trim());
  }
  flush();
  return blocks;
}

export function wordCount(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}
