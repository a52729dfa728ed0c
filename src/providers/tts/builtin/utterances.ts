// Turns a turn's text into Flite's input file: utterances of bounded length separated by blank
// lines, which Flite's file reader always treats as an utterance break.
//
// Why bound them: Flite keeps a whole utterance (its tokens, segments and wave) in WASM memory,
// and that memory grows with the utterance. One 4,000-character utterance without sentence
// punctuation grew the instance to 137 MB and took 14.7 s for 210 s of audio (14× realtime);
// cut into utterances of ≤ 300 characters the same text needed 21–34 MB at ~40× realtime.
// 4,000 characters of a system file read as one utterance reached 445 MB; cut, 48 MB.
// Every utterance starts and ends with Flite's own pause segment, so the joins fall on silence.

/** Longest utterance handed to Flite, in characters (normal sentences are well under this). */
export const MAX_UTTERANCE_CHARS = 300;

/** Where text may be cut, best first: after a sentence, after a clause, between words. */
const CUTS: readonly RegExp[] = [/(?<=[.!?…;:]["'”’)\]]*) /, /(?<=[,;:)\]]) | (?=[—–(])/, / /];

/** Whitespace collapsed to single spaces, ends trimmed. */
export function normalizeSpace(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** The text cut into pieces of at most `max` characters, preferring sentence, then clause, then word ends. */
export function utterances(text: string, max = MAX_UTTERANCE_CHARS): string[] {
  const flat = normalizeSpace(text);
  return flat === "" ? [] : fit(flat, max, 0);
}

/** Flite's input file for `text`: its utterances, one per paragraph. */
export function fliteInputFile(text: string): string {
  return `${utterances(text).join("\n\n")}\n`;
}

function fit(text: string, max: number, level: number): string[] {
  if (text.length <= max) return [text];
  const cut = CUTS[level];
  if (!cut) return hardSplit(text, max);
  return pack(
    text.split(cut).flatMap((piece) => fit(piece, max, level + 1)),
    max,
  );
}

/** Joins neighbouring pieces with a space while they fit, so cuts happen only where needed. */
function pack(pieces: string[], max: number): string[] {
  const out: string[] = [];
  let current = "";
  for (const piece of pieces) {
    if (piece === "") continue;
    if (current !== "" && current.length + 1 + piece.length <= max) current = `${current} ${piece}`;
    else {
      if (current !== "") out.push(current);
      current = piece;
    }
  }
  if (current !== "") out.push(current);
  return out;
}

/** A "word" longer than `max` (a hash, a URL, a base64 blob): cut every `max` code points. */
function hardSplit(word: string, max: number): string[] {
  const points = Array.from(word);
  const out: string[] = [];
  for (let i = 0; i < points.length; i += max) out.push(points.slice(i, i + max).join(""));
  return out;
}
