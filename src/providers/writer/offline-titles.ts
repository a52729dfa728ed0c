// Chapter titles and descriptions for the offline writer's outline. A title is the source's own
// heading, the headings of a merged chapter, the first words of a section as written, or (for an
// episode that is one chapter without a heading) the episode's name: never words picked out of a
// sentence, so "Cats sleep a lot." can never become a chapter called "Cats Sleep Lot".
import type { Segment } from "../../core/model.js";
import type { PlannedSegment } from "./offline-plan.js";
import { wordCount } from "./source-text.js";

/** A title longer than this is cut (ID3 has no limit, but players show one line, a host says it in one breath). */
const MAX_TITLE_CHARS = 120;
/** A title from a section's first words: up to a clause mark within 8 words, else 6 words. */
const FIRST_WORDS = 6;
const FIRST_CLAUSE_WORDS = 8;

export function clip(text: string, max: number): string {
  return [...text].length <= max
    ? text
    : `${[...text]
        .slice(0, max - 1)
        .join("")
        .trimEnd()}…`;
}

/** "A", "A and B", "A, B and C" in English; "A, B, C" otherwise. */
export function listing(names: string[], english = true): string {
  if (!english || names.length <= 1) return names.join(", ");
  return `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}

/** "For more than two centuries, the lighthouses …" → "For more than two centuries". */
export function firstWords(sentence: string): string {
  const bare = sentence.trim().replace(/[.!?…。！？"'”’»)\]]+$/u, "");
  const words = bare.split(/\s+/).filter(Boolean);
  // A sentence written without spaces (Chinese, Japanese) is cut by characters instead.
  if (words.length === 1) return /^(.{2,24}?)[、，,：:;；]/u.exec(bare)?.[1] ?? clip(bare, 24);
  const clause = words.findIndex((w, i) => i >= 1 && i < FIRST_CLAUSE_WORDS && /[,;:—–)]$/.test(w));
  if (clause >= 0)
    return words
      .slice(0, clause + 1)
      .join(" ")
      .replace(/[,;:—–]+$/, "");
  if (words.length <= FIRST_CLAUSE_WORDS) return bare;
  return `${words
    .slice(0, FIRST_WORDS)
    .join(" ")
    .replace(/[,;:—–]+$/, "")}…`;
}

export function chapterTitle(p: PlannedSegment, english: boolean, onlyChapter: string | undefined): string {
  if (p.headings.length > 1) {
    const all = listing(p.headings, english);
    // Too many merged headings to say in one breath: the first and the last, as a range.
    const range = `${p.headings[0]!} ${english ? "to" : "…"} ${p.headings.at(-1)!}`;
    return [...all].length <= MAX_TITLE_CHARS ? all : clip(range, MAX_TITLE_CHARS);
  }
  if (p.heading) {
    const part = p.part === 1 ? "" : english ? `, part ${p.part}` : ` (${p.part})`;
    return clip(`${p.heading}${part}`, MAX_TITLE_CHARS);
  }
  if (p.headings[0]) return clip(p.headings[0], MAX_TITLE_CHARS); // text before the heading it was merged with
  if (onlyChapter) return clip(onlyChapter, MAX_TITLE_CHARS);
  const first = p.sentences[0];
  return first ? clip(firstWords(first), MAX_TITLE_CHARS) : "";
}

/** The outline the writer returns: one segment per planned chapter. */
export function outlineFromPlan(plan: PlannedSegment[], english: boolean, episodeName: string): Segment[] {
  const sizes = plan.map((p) => p.sentences.reduce((n, s) => n + wordCount(s), 0));
  const mean = sizes.reduce((a, b) => a + b, 0) / Math.max(1, plan.length);
  const only = plan.length === 1 && episodeName.trim() ? episodeName.trim() : undefined;
  return plan.map((p, i) => {
    const first = p.sentences[0] ?? "";
    const covers = `${english ? "Covers: " : ""}${p.headings.join("; ")}.`;
    const description = p.headings.length > 1 ? covers : clip(first, 160);
    const size: Segment["size"] = sizes[i]! < mean * 0.7 ? "short" : sizes[i]! > mean * 1.3 ? "long" : "medium";
    return { name: chapterTitle(p, english, only), description, size };
  });
}
