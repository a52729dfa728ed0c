// Which single line breaks in a source mean something. Two kinds of text arrive as lines separated by
// one newline: prose wrapped at a fixed column (a Markdown file wrapped at 80, a PDF's lines), whose
// breaks mean nothing, and lines whose breaks are the structure (list items, table rows, lines of a
// quote, once an extractor has removed their markers). A wrapped line is joined to the next; any
// other line is read as a sentence of its own, so "two white flashes every 10 seconds" and "one red
// flash every 5 seconds" are never one run-on.
//
// Wrapping is told apart by the column: in a wrapped document most lines that are followed by
// another end close to one width, and a line ends there only because the next word would not fit.
// List items and table rows have no common width.

/** Narrower than this, lines are items, not wrapped prose (nobody wraps prose at 40 columns). */
const MIN_WRAP_COLUMNS = 45;
/** Share of non-final lines within 80 % of the width that makes a document wrapped. */
const WRAPPED_SHARE = 0.6;

// Words a phrase cannot end with: a line ending in one continues on the next, wrapped or not.
const OPEN_WORDS = new Set(
  [
    "a an the and or nor but of to in on at by for with from as than that which who whose into onto upon via per",
    "is are was were be been has have had will would can could should may might must not its their our your my",
  ]
    .join(" ")
    .split(" "),
);

// Words a list item hardly starts with: a line starting with one continues the line before.
const JOINING_WORDS = new Set("and or nor but of than that which whose whom".split(" "));

const TERMINAL = /[.!?…。！？]["'”’»)\]]*$/;

const length = (line: string) => [...line].length;
const firstWord = (line: string) => /^\S*/.exec(line)![0];
const lastWord = (line: string) => /\S*$/.exec(line)![0].replace(/^\P{L}+|\P{L}+$/gu, "");
const startsUpper = (line: string) => /^["'“‘(]?\p{Lu}/u.test(line);

/**
 * The column a document's prose was wrapped at, or undefined when its line breaks are not wrapping.
 * `runs` are the document's runs of consecutive text lines (one per paragraph-like block).
 */
export function wrapWidth(runs: string[][]): number | undefined {
  // A line ending in ":" introduces what follows; it says nothing about the column.
  const inner = runs
    .flatMap((run) => run.slice(0, -1).map((line, i) => ({ line, next: run[i + 1]! })))
    .filter((p) => !p.line.endsWith(":"));
  if (inner.length === 0) return undefined;
  const sorted = inner.map((p) => length(p.line)).sort((a, b) => a - b);
  // The 90th percentile, so one over-long line (a URL, a line nobody wrapped) does not set the width.
  const width = sorted[Math.floor(0.9 * (sorted.length - 1))]!;
  if (width < MIN_WRAP_COLUMNS) return undefined;
  const near = inner.filter((p) => length(p.line) >= 0.8 * width);
  if (near.length < WRAPPED_SHARE * inner.length) return undefined;
  // Wrapped prose breaks mid-sentence, so the next line mostly starts with a lower-case word; list
  // items of similar length mostly start with a capital.
  const midSentence = near.filter((p) => !TERMINAL.test(p.line));
  const lowerNext = midSentence.filter((p) => !startsUpper(p.next)).length;
  if (midSentence.length > 0 && lowerNext < midSentence.length / 2) return undefined;
  return width;
}

/** Does `next` continue the line `line` (a wrap), rather than start a line of its own? */
function continues(line: string, next: string, width: number | undefined): boolean {
  if (line.endsWith(":")) return false; // what follows is introduced: items, a quote
  if (/^(?:—|―|–|--)\s/.test(next)) return false; // "— Ada Lind" under a quote names its source
  if (TERMINAL.test(line)) return true; // already a sentence end; the sentence splitter decides
  if (/[,;\-–]$/.test(line) || OPEN_WORDS.has(lastWord(line).toLowerCase())) return true;
  if (JOINING_WORDS.has(firstWord(next))) return true; // lower case only: "And" may well start an item
  if (width === undefined) return false;
  return length(line) + 1 + length(firstWord(next)) > width;
}

/** Physical lines → logical lines: wrapped lines joined with a space, meaningful breaks kept. */
export function logicalLines(lines: string[], width: number | undefined): string[] {
  const out: string[] = [];
  lines.forEach((line, i) => {
    if (i > 0 && continues(lines[i - 1]!, line, width)) out[out.length - 1] = `${out.at(-1)!} ${line}`;
    else out.push(line);
  });
  return out;
}
