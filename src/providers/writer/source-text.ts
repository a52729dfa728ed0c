// Source text → headings and sentences, for the offline writer. Markdown syntax, code blocks, URLs
// and HTML are dropped so only words meant to be read aloud remain; sentences are split without
// breaking at abbreviations ("Dr. Lee"), initials ("J. R. Smith") or decimals ("3.5"). The source is
// either Markdown or an extractor's text (headings kept as "#" lines, list and quote markers gone).
import { logicalLines, wrapWidth } from "./offline-lines.js";
import {
  asSentence,
  attribution,
  capitalise,
  listIntro,
  quoteCredit,
  quoteIntro,
  tableCells,
  tableRowSentence,
} from "./offline-read-aloud.js";

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
  "mr mrs ms mx dr prof sr jr st mt ft vs e.g i.e cf viz fig figs eq approx ca gen col lt sgt capt cmdr rev gov sen rep hon pres dept vol pp ch sec no nos art p".split(
    " ",
  ),
);

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

type Line =
  | { kind: "text"; text: string; quote: boolean }
  | { kind: "item"; text: string }
  | { kind: "row"; text: string }
  | { kind: "rule" };
type Group = { kind: "heading"; text: string } | { kind: "lines"; lines: Line[] };

function headingText(raw: string): string {
  return cleanInline(raw)
    .replace(/[:.]+$/, "")
    .trim();
}

/** Source lines → headings and groups of lines between blank lines; code, front matter, link definitions dropped. */
function scan(source: string): Group[] {
  const lines = source
    .replace(/\r\n?/g, "\n")
    .replace(/<!--[\s\S]*?-->/g, "")
    .split("\n");
  const groups: Group[] = [];
  let cur: Line[] = [];
  const end = () => {
    if (cur.length) groups.push({ kind: "lines", lines: cur });
    cur = [];
  };
  let fence: string | undefined;
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
      end();
      fence = fenceMark;
      continue;
    }
    const atx = /^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(line);
    if (atx) {
      end();
      groups.push({ kind: "heading", text: headingText(atx[1]!) });
      continue;
    }
    const only = cur.length === 1 ? cur[0]! : undefined;
    if (/^\s*(=+|-+)\s*$/.test(line) && only?.kind === "text" && !only.quote) {
      cur = [];
      groups.push({ kind: "heading", text: headingText(only.text) }); // setext: the single line above the underline
      continue;
    }
    if (!line.trim() || /^\s{0,3}([-*_])(\s*\1){2,}\s*$/.test(line)) {
      end();
      continue;
    }
    if (/^\s{0,3}\[[^\]]+\]:\s*\S+/.test(line)) continue; // link reference definition
    if (/^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)+\|?\s*$/.test(line)) {
      cur.push({ kind: "rule" });
      continue;
    }
    if (/^\s*\|.*\|\s*$/.test(line)) {
      cur.push({ kind: "row", text: line });
      continue;
    }
    const quote = /^\s*>/.test(line);
    const unquoted = line.replace(/^\s*(>\s?)+/, "");
    if (!unquoted.trim()) {
      end(); // a blank line inside a quote ends a paragraph of it
      continue;
    }
    const item = /^\s*(?:[-*+•◦▪]|\d{1,3}[.)])\s+(?:\[[ xX]\]\s+)?(.*)$/.exec(unquoted);
    if (item) {
      cur.push({ kind: "item", text: item[1]! });
      continue;
    }
    const last = cur.at(-1);
    // A plain line right after an item continues it (indented or lazy, as in CommonMark).
    if (last?.kind === "item" && !quote) last.text = `${last.text} ${unquoted.trim()}`;
    else cur.push({ kind: "text", text: unquoted.trim(), quote });
  }
  end();
  return groups
    .filter((g) => g.kind === "lines" || g.text)
    .map((g) => (g.kind === "lines" ? { kind: "lines", lines: dashItems(g.lines) } : g));
}

const DASH = /^(?:—|―|–|--)\s+(.*)$/;

/** Two or more lines in a row led by a dash are a list ("– apples", "– pears"); one alone may credit a quote. */
function dashItems(lines: Line[]): Line[] {
  const dashed = (l: Line | undefined) => l?.kind === "text" && DASH.test(l.text);
  return lines.map((l, i) => {
    if (l.kind !== "text" || !dashed(l) || !(dashed(lines[i - 1]) || dashed(lines[i + 1]))) return l;
    return { kind: "item", text: DASH.exec(l.text)![1]! };
  });
}

interface TextRun {
  lines: string[];
  quote: boolean;
}

/** Runs of consecutive text lines of one kind (quoted or not) inside a group. */
function textRuns(lines: Line[]): TextRun[] {
  const runs: TextRun[] = [];
  let prev: Line | undefined;
  for (const l of lines) {
    if (l.kind === "text") {
      const run = runs.at(-1);
      if (prev?.kind === "text" && run && run.quote === l.quote) run.lines.push(l.text);
      else runs.push({ lines: [l.text], quote: l.quote });
    }
    prev = l;
  }
  return runs;
}

/**
 * Headings and paragraphs of sentences, as they are to be spoken. Lines that are items, rows or
 * lines of a quote become sentences of their own (see offline-lines.ts and offline-read-aloud.ts);
 * a sentence ending in ":" is read together with what it introduces, even across a blank line.
 */
export function parseBlocks(source: string, english = true): Block[] {
  const groups = scan(source);
  const width = wrapWidth(groups.flatMap((g) => (g.kind === "lines" ? textRuns(g.lines).map((r) => r.lines) : [])));
  const reader = new Reader(english);
  for (const g of groups) {
    if (g.kind === "heading") reader.heading(g.text);
    else reader.group(g.lines, width);
  }
  return reader.done();
}

/** About 25 seconds of speech: a list, table or quote this short is read by one speaker. */
const TOGETHER_WORDS = 60;

/** The first sentence of a quote: index `at` of a paragraph's sentences (the array itself: it may be closed since). */
interface QuoteStart {
  sentences: string[];
  at: number;
}

/** Collects sentences into blocks, keeping an introduction with what it introduces. */
class Reader {
  readonly #blocks: Block[] = [];
  #para: string[] = [];
  /** The next sentence joins the last one (which introduces it). */
  #join = false;
  /** Where the quote that ended the previous group starts. */
  #lastQuote: QuoteStart | undefined;

  readonly #english: boolean;
  constructor(english: boolean) {
    this.#english = english;
  }

  heading(text: string): void {
    this.#close();
    this.#join = false;
    this.#lastQuote = undefined;
    this.#blocks.push({ kind: "heading", text });
  }

  done(): Block[] {
    this.#close();
    return this.#blocks;
  }

  #close(): void {
    if (this.#para.length) this.#blocks.push({ kind: "paragraph", sentences: this.#para });
    this.#para = [];
  }

  #say(sentence: string, opts: { capital?: boolean; introduces?: boolean } = {}): void {
    if (!sentence) return;
    const joins = this.#join && this.#para.length > 0;
    // After "such as:" an item goes on in lower case; after "There are two points." it starts a sentence.
    const text = opts.capital && !(joins && this.#para.at(-1)!.endsWith(":")) ? capitalise(sentence) : sentence;
    if (joins) this.#para[this.#para.length - 1] = `${this.#para.at(-1)!} ${text}`;
    else this.#para.push(text);
    this.#join = opts.introduces === true || sentence.endsWith(":");
  }

  /** A line's sentences; the last gets a full stop unless it ends with one or introduces what follows. */
  #sayLine(line: string, capital: boolean): void {
    const sentences = splitSentences(cleanInline(line));
    sentences.forEach((s, i) => {
      const last = i === sentences.length - 1;
      this.#say(last && !s.endsWith(":") ? asSentence(s) : s, { capital: capital && i === 0 });
    });
  }

  group(lines: Line[], width: number | undefined): void {
    if (!this.#join) this.#close();
    const previousQuote = this.#lastQuote;
    this.#lastQuote = undefined;
    const runs = textRuns(lines);
    let run = 0;
    for (let i = 0; i < lines.length; ) {
      const l = lines[i]!;
      if (l.kind === "text") {
        const r = runs[run++]!;
        i += r.lines.length;
        this.#textRun(r, width, lines.length === r.lines.length ? previousQuote : undefined);
      } else if (l.kind === "item") {
        let j = i;
        while (lines[j]?.kind === "item") j++;
        this.#items(lines.slice(i, j).map((x) => (x as { text: string }).text));
        i = j;
      } else {
        let j = i;
        while (lines[j]?.kind === "row" || lines[j]?.kind === "rule") j++;
        this.#table(lines.slice(i, j));
        i = j;
      }
    }
  }

  /** Plain or quoted lines; `quoteBefore` is the quote just above this group, for a credit line under it. */
  #textRun(run: TextRun, width: number | undefined, quoteBefore: QuoteStart | undefined): void {
    const logical = logicalLines(run.lines, width);
    const from = this.#mark();
    // A quote the source introduces itself ("One entry reads:") is credited after it, not before.
    const start: QuoteStart | undefined = this.#join ? undefined : { sentences: this.#para, at: this.#para.length };
    let credit: string | undefined;
    logical.forEach((line, k) => {
      const who = attribution(cleanInline(line));
      if (who && (k === logical.length - 1 || run.quote)) credit = who;
      else this.#sayLine(line, logical.length > 1);
    });
    if (credit !== undefined) {
      const quote = run.quote ? start : logical.length === 1 ? quoteBefore : undefined;
      const intro = quoteIntro(credit, this.#english);
      const first = quote?.sentences[quote.at];
      if (quote && first !== undefined) {
        if (intro) quote.sentences[quote.at] = `${intro} ${first}`;
        else quote.sentences[quote.sentences.length - 1] += ` ${asSentence(credit)}`;
      } else {
        this.#addToLast(quoteCredit(credit, this.#english));
      }
    } else if (run.quote) {
      this.#lastQuote = start;
    }
    // Lines read as sentences of their own (items, rows, a quote's lines) stay with one speaker.
    if ((logical.length > 1 || run.quote) && !this.#join) this.#keepTogether(from);
  }

  /** Said by whoever said the sentence before (a credit under a quote), even across a blank line. */
  #addToLast(text: string): void {
    const last = this.#blocks.at(-1);
    const target = this.#para.length ? this.#para : last?.kind === "paragraph" ? last.sentences : undefined;
    if (target?.length) target[target.length - 1] += ` ${text}`;
    else this.#say(text);
  }

  /** Where what is said next starts in `para`: the sentence it will join, or a new one. */
  #mark(): number {
    return this.#join ? Math.max(0, this.#para.length - 1) : this.#para.length;
  }

  /**
   * A short list, table or quote (with what introduces it) is one unit, so one speaker reads it
   * whole instead of the next speaker taking over after its second item.
   */
  #keepTogether(from: number): void {
    const unit = this.#para.slice(from);
    const words = unit.reduce((n, s) => n + wordCount(s), 0);
    if (unit.length > 1 && words <= TOGETHER_WORDS) this.#para.splice(from, unit.length, unit.join(" "));
  }

  #items(items: string[]): void {
    const from = this.#mark();
    const intro = this.#join ? undefined : listIntro(items.length, this.#english);
    if (intro) this.#say(intro, { introduces: true });
    for (const item of items) {
      const sentences = splitSentences(asSentence(cleanInline(item)));
      for (const [i, s] of sentences.entries()) this.#say(s, { capital: i === 0 });
    }
    if (!this.#join) this.#keepTogether(from);
  }

  /** Pipe table rows; a rule under the first row makes it the header whose names label each value. */
  #table(lines: Line[]): void {
    const from = this.#mark();
    const rows = lines.flatMap((l) => (l.kind === "row" ? [tableCells(l.text).map(cleanInline)] : []));
    const header = lines[0]?.kind === "row" && lines[1]?.kind === "rule" && rows.length > 1 ? rows.shift() : undefined;
    for (const cells of rows) this.#say(tableRowSentence(cells, header), { capital: true });
    if (!this.#join) this.#keepTogether(from);
  }
}

export function wordCount(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}
