// The offline writer's plan: which of the source's sentences each segment (chapter) says. A pure
// function of its inputs, so outline() and every segment() call agree without shared state.
//
// The rule for the writer's own outline (planChapters): the source's structure wins over the
// profile's num_segments, so every heading it announces is a chapter and every chapter is named.
// - A source with headings gets one chapter per heading that has text under it (a title with
//   nothing under it carries no speech and is no chapter).
// - More than MAX_CHAPTERS headings: neighbouring sections merge into MAX_CHAPTERS chapters of
//   similar length, and a chapter's title names its headings (the first and last when many).
// - A section longer than LONG_CHAPTER_WORDS (as spoken, after the length cap) is split into parts
//   "X", "X, part 2", … at sentence boundaries, while there are fewer than MAX_CHAPTERS chapters.
// - A source without headings has no structure to follow: num_segments is then an upper bound and
//   every chapter gets at least MIN_UNHEADED_WORDS, so a short input is one chapter, not padding.
//
// planSegments is for an outline from another writer (a model wrote the outline, this writer the
// turns): its segment count is given, so the source is cut or padded to exactly that many.
import type { Block } from "./source-text.js";
import { parseBlocks, wordCount } from "./source-text.js";
import { WORDS_PER_MINUTE } from "./prompts.js";

export interface PlannedSegment {
  /** The heading the segment starts with, when it starts with one. */
  heading: string | undefined;
  /** Every heading merged into this segment, in order. */
  headings: string[];
  /** 1, or which part of a long section this segment is. */
  part: number;
  /** The source sections (or paragraphs) merged into this segment, in order. */
  parts: { heading: string | undefined; sentences: string[] }[];
  sentences: string[];
}

/** With no target length, a very long source is still cut to about this many minutes of speech. */
export const DEFAULT_MAX_MINUTES = 30;
/** The most chapters an episode gets: the profiles' upper bound for num_segments. */
export const MAX_CHAPTERS = 20;
/** Ten minutes of speech: a chapter is for finding one's place, and a longer one stops helping. */
export const LONG_CHAPTER_WORDS = 10 * WORDS_PER_MINUTE;
/** Two minutes of speech: less is not worth a chapter of its own when the source has no headings. */
export const MIN_UNHEADED_WORDS = 2 * WORDS_PER_MINUTE;

interface Unit {
  heading: string | undefined;
  sentences: string[];
  part: number; // 1 unless a split made more
}

/** Sections under headings; with no headings at all, paragraphs. Text before the first heading is a unit too. */
function units(blocks: Block[]): Unit[] {
  const hasHeadings = blocks.some((b) => b.kind === "heading");
  const out: Unit[] = [];
  let current: Unit | undefined;
  for (const b of blocks) {
    if (b.kind === "heading") {
      current = { heading: b.text, sentences: [], part: 1 };
      out.push(current);
    } else if (hasHeadings && current) {
      current.sentences.push(...b.sentences);
    } else if (hasHeadings) {
      current = { heading: undefined, sentences: [...b.sentences], part: 1 };
      out.push(current);
    } else {
      out.push({ heading: undefined, sentences: [...b.sentences], part: 1 });
    }
  }
  // A heading with nothing under it (a title above the first section) carries no speech.
  return out.filter((u) => u.sentences.length > 0);
}

const words = (u: { sentences: string[] }) => u.sentences.reduce((n, s) => n + wordCount(s), 0);
const groupWords = (g: Unit[]) => g.reduce((a, u) => a + words(u), 0);

/** Split the biggest unit at a sentence boundary near its middle until there are `n` (or nothing splits). */
function splitTo(list: Unit[], n: number): Unit[] {
  const out = [...list];
  while (out.length < n) {
    let best = -1;
    for (let i = 0; i < out.length; i++) {
      if (out[i]!.sentences.length >= 2 && (best < 0 || words(out[i]!) > words(out[best]!))) best = i;
    }
    if (best < 0) break;
    out.splice(best, 1, ...splitEven(out[best]!, 2));
  }
  return out;
}

/** One unit → `k` units of about equal words, cut at sentence boundaries, numbered on from u.part. */
function splitEven(u: Unit, k: number): Unit[] {
  const n = u.sentences.length;
  const parts = Math.min(k, n);
  const total = words(u);
  const w = (i: number) => wordCount(u.sentences[i]!);
  const out: Unit[] = [];
  let from = 0;
  let acc = 0;
  for (let j = 1; j <= parts; j++) {
    const target = (total * j) / parts;
    let to = from + 1; // every part says at least one sentence
    acc += w(from);
    // Take the next sentence while it brings this part nearer its share and leaves one for each part still to come.
    const nearer = (i: number) => Math.abs(acc + w(i) - target) < Math.abs(acc - target);
    while (to < n && (j === parts || (n - to > parts - j && nearer(to)))) acc += w(to++);
    out.push({ heading: u.heading, sentences: u.sentences.slice(from, to), part: u.part + j - 1 });
    from = to;
  }
  return out;
}

/** Merge neighbouring units into exactly `n` groups of similar length (greedy, order kept). */
function mergeTo(list: Unit[], n: number): Unit[][] {
  const total = list.reduce((a, u) => a + words(u), 0);
  const groups: Unit[][] = [];
  let i = 0;
  let done = 0;
  for (let g = 0; g < n; g++) {
    const group: Unit[] = [list[i]!];
    done += words(list[i]!);
    i++;
    const target = (total * (g + 1)) / n;
    // Take the next unit while it brings the running total closer to this group's share and
    // enough units remain for the groups still to fill.
    while (i < list.length && list.length - i > n - g - 1) {
      const w = words(list[i]!);
      if (g < n - 1 && Math.abs(done + w - target) >= Math.abs(done - target)) break;
      group.push(list[i]!);
      done += w;
      i++;
    }
    groups.push(group);
  }
  return groups;
}

/**
 * Cut one segment's units to its word budget, in source order. Each unit first keeps its leading
 * sentences in proportion to its length; budget left over then goes to the first sentence of units
 * that kept nothing, so as many sections as possible are still heard.
 */
function capGroup(group: Unit[], budget: number): Unit[] {
  const total = groupWords(group);
  if (total <= budget) return group;
  const kept = group.map(() => 0);
  let used = 0;
  group.forEach((u, i) => {
    const share = (budget * words(u)) / total;
    let acc = 0;
    while (kept[i]! < u.sentences.length && acc + wordCount(u.sentences[kept[i]!]!) <= share)
      acc += wordCount(u.sentences[kept[i]!++]!);
    used += acc;
  });
  group.forEach((u, i) => {
    const w = wordCount(u.sentences[0]!);
    if (kept[i] === 0 && used + w <= budget) {
      kept[i] = 1;
      used += w;
    }
  });
  if (used === 0) kept[0] = 1; // a segment always says something
  return group
    .map((u, i) => ({ ...u, sentences: u.sentences.slice(0, kept[i]) }))
    .filter((u) => u.sentences.length > 0);
}

/** Each group cut to its share of the length budget, then described. */
function toPlan(groups: Unit[][], targetMinutes: number | undefined): PlannedSegment[] {
  const budget = (targetMinutes ?? DEFAULT_MAX_MINUTES) * WORDS_PER_MINUTE;
  const total = groups.reduce((a, g) => a + groupWords(g), 0);
  return groups
    .map((g) => (total <= budget ? g : capGroup(g, (budget * groupWords(g)) / total)))
    .map((g) => ({
      heading: g[0]!.heading,
      headings: [...new Set(g.flatMap((u) => (u.heading ? [u.heading] : [])))],
      part: g[0]!.part,
      parts: g.map((u) => ({ heading: u.part > 1 ? undefined : u.heading, sentences: u.sentences })),
      sentences: g.flatMap((u) => u.sentences),
    }));
}

export interface ChapterOptions {
  english: boolean;
  /** The profile's num_segments: an upper bound, used only when the source has no headings. */
  maxUnheaded: number;
  targetMinutes?: number | undefined;
}

/** The writer's own outline: chapters that follow the source (see the rule at the top). */
export function planChapters(content: string, opts: ChapterOptions): PlannedSegment[] {
  const blocks = parseBlocks(content, opts.english);
  const list = units(blocks);
  if (list.length === 0) return [];
  const total = list.reduce((a, u) => a + words(u), 0);
  // The share of the source that is spoken once the episode is cut to its length budget.
  const spoken = Math.min(1, ((opts.targetMinutes ?? DEFAULT_MAX_MINUTES) * WORDS_PER_MINUTE) / total);
  if (!blocks.some((b) => b.kind === "heading")) {
    const n = Math.max(1, Math.min(opts.maxUnheaded, Math.floor((total * spoken) / MIN_UNHEADED_WORDS)));
    const split = splitTo(list, n);
    return toPlan(split.length >= n ? mergeTo(split, n) : split.map((u) => [u]), opts.targetMinutes);
  }
  const merged = list.length > MAX_CHAPTERS ? mergeTo(list, MAX_CHAPTERS) : list.map((u) => [u]);
  // Split the longest sections first, while chapters remain to spare.
  const parts = merged.map((g) => (g.length === 1 ? Math.ceil((words(g[0]!) * spoken) / LONG_CHAPTER_WORDS) : 1));
  let spare = MAX_CHAPTERS - merged.length;
  for (const i of parts.map((_, i) => i).sort((a, b) => groupWords(merged[b]!) - groupWords(merged[a]!))) {
    const want = Math.min(parts[i]!, 1 + spare);
    spare -= want - 1;
    parts[i] = want;
  }
  const groups = merged.flatMap((g, i) => (parts[i]! > 1 ? splitEven(g[0]!, parts[i]!).map((u) => [u]) : [g]));
  return toPlan(groups, opts.targetMinutes);
}

/** Exactly `n` segments, for an outline from another writer: the source cut or padded to fit. */
export function planSegments(
  content: string,
  n: number,
  targetMinutes: number | undefined,
  english: boolean,
): PlannedSegment[] {
  const list = splitTo(units(parseBlocks(content, english)), n);
  const plan = toPlan(list.length >= n ? mergeTo(list, n) : list.map((u) => [u]), targetMinutes);
  // Fewer sentences than segments: the rest are recaps with nothing new to say.
  while (plan.length < n) plan.push({ heading: undefined, headings: [], part: 1, parts: [], sentences: [] });
  return plan;
}
