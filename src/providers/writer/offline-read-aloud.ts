// How the offline writer reads structure aloud: a list item, a table row or a line of a quote
// becomes a sentence of its own, a list is introduced, a table row names its columns and a quote
// names its source. English gets English connecting words; other languages only the source's
// own words with sentence ends (this writer is no translator).

const TERMINAL = /[.!?…。！？]["'”’»)\]]*$/;
const NUMBER_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];

/** A line spoken on its own gets a full stop when it has no end punctuation of its own. */
export function asSentence(text: string): string {
  const t = text.trim();
  return TERMINAL.test(t) ? t : `${t.replace(/[,;:]+$/, "")}.`;
}

/** "two white flashes" → "Two white flashes"; "iPhone" and "e.g." stay as written. */
export function capitalise(text: string): string {
  const word = /^(["'“‘(]?)(\p{Ll}+)(?=[\s,;:.!?]|$)/u;
  return text.replace(word, (_, q: string, w: string) => q + w[0]!.toUpperCase() + w.slice(1));
}

/** "There are three points." before a list that the source does not introduce with a colon. */
export function listIntro(count: number, english: boolean): string | undefined {
  if (!english || count < 2) return undefined;
  return `There are ${NUMBER_WORDS[count] ?? String(count)} points.`;
}

/** Cells of a pipe table row, empty cells kept so that columns line up with the header. */
export function tableCells(row: string): string[] {
  return row
    .trim()
    .replace(/^\|/, "")
    .replace(/(?<!\\)\|$/, "")
    .split(/(?<!\\)\|/)
    .map((c) => c.replace(/\\\|/g, "|").trim());
}

/** With a header row: "Station: Eddystone, flash: white, period: 10 s."; without: "Eddystone, white, 10 s." */
export function tableRowSentence(cells: string[], header: string[] | undefined): string {
  const bare = (c: string) => c.replace(/[.,;:]+$/, "");
  const parts = cells.flatMap((cell, i) => {
    const value = bare(cell);
    if (!value) return [];
    const label = header?.[i] ? bare(header[i]!) : "";
    return [label ? `${label}: ${value}` : value];
  });
  // Labels after the first are mid-sentence: "Flash" reads "flash", an acronym or a name stays.
  const label = /^(\p{Lu})(\p{Ll}*(?: \p{Ll}+)*:)/u;
  const lower = (_: string, c: string, rest: string) => c.toLowerCase() + rest;
  for (let i = 1; i < parts.length; i++) parts[i] = parts[i]!.replace(label, lower);
  return parts.length ? asSentence(parts.join(", ")) : "";
}

/** "— Keeper's log, 1881" → "Keeper's log, 1881": a short line under a quote that names its source. */
export function attribution(line: string): string | undefined {
  const m = /^(?:—|―|–|--)\s*(\S.*)$/.exec(line.trim());
  if (!m) return undefined;
  const who = m[1]!.replace(/[.,;:]+$/, "").trim();
  return who && who.split(/\s+/).length <= 12 ? who : undefined;
}

/** Said just before a quote whose source is named: "In the words of Ada Lind:". */
export function quoteIntro(who: string, english: boolean): string | undefined {
  return english ? `In the words of ${who}:` : undefined;
}

/** Said after a quote whose source is named but whose start the text does not mark. */
export function quoteCredit(who: string, english: boolean): string {
  return english ? `That was a quote from ${who}.` : asSentence(who);
}
