// The offline writer's plan: the source's sentences grouped into exactly N segments, following the
// document's headings where it has them and its paragraphs where it does not. A pure function of
// (content, N, target length), so outline() and every segment() call agree without shared state.
import type { Segment } from "../types.js";
import { parseBlocks, wordCount } from "./source-text.js";
import { WORDS_PER_MINUTE } from "./prompts.js";

export interface PlannedSegment {
  /** The heading the segment starts with, when it starts with one. */
  heading: string | undefined;
  /** Every heading merged into this segment, in order. */
  headings: string[];
  /** The source sections (or paragraphs) merged into this segment, in order. */
  parts: { heading: string | undefined; sentences: string[] }[];
  sentences: string[];
}

/** With no target length, a very long source is still cut to about this many minutes of speech. */
export const DEFAULT_MAX_MINUTES = 30;

interface Unit {
  heading: string | undefined;
  sentences: string[];
  part: number; // 1 unless a split made more
}

/** Sections under headings; with no headings at all, paragraphs. Text before the first heading is a unit too. */
function units(content: string): Unit[] {
  const blocks = parseBlocks(content);
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

/** Split the biggest unit at a sentence boundary near its middle until there are `n` (or nothing splits). */
function splitTo(list: Unit[], n: number): Unit[] {
  const out = [...list];
  while (out.length < n) {
    let best = -1;
    for (let i = 0; i < out.length; i++) {
      if (out[i]!.sentences.length >= 2 && (best < 0 || words(out[i]!) > words(out[best]!))) best = i;
    }
    if (best < 0) break;
    const u = out[best]!;
    const half = words(u) / 2;
    let cut = 1;
    for (let acc = wordCount(u.sentences[0]!); cut < u.sentences.length - 1 && acc + wordCount(u.sentences[cut]!) <= half; cut++) {
      acc += wordCount(u.sentences[cut]!);
    }
    out.splice(best, 1, { ...u, sentences: u.sentences.slice(0, cut) }, { heading: u.heading, sentences: u.sentences.slice(cut), part: u.part + 1 });
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
  const total = group.reduce((a, u) => a + words(u), 0);
  if (total <= budget) return group;
  const kept = group.map(() => 0);
  let used = 0;
  group.forEach((u, i) => {
    const share = (budget * words(u)) / total;
    let acc = 0;
    while (kept[i]! < u.sentences.length && acc + wordCount(u.sentences[kept[i]!]!) <= share) acc += wordCount(u.sentences[kept[i]!++]!);
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
  return group.map((u, i) => ({ ...u, sentences: u.sentences.slice(0, kept[i]) })).filter((u) => u.sentences.length > 0);
}

export function planSegments(content: string, n: number, targetMinutes?: number): PlannedSegment[] {
  const list = splitTo(units(content), n);
  const budget = (targetMinutes ?? DEFAULT_MAX_MINUTES) * WORDS_PER_MINUTE;
  const total = list.reduce((a, u) => a + words(u), 0);
  // Grouped by the full text's shape, then each group cut to its share of the budget.
  const groups = (list.length >= n ? mergeTo(list, n) : list.map((u) => [u])).map((g) =>
    total <= budget ? g : capGroup(g, (budget * g.reduce((a, u) => a + words(u), 0)) / total),
  );
  const plan: PlannedSegment[] = groups.map((g) => ({
    heading: g[0]!.heading === undefined ? undefined : g[0]!.part > 1 ? `${g[0]!.heading} (continued)` : g[0]!.heading,
    headings: [...new Set(g.flatMap((u) => (u.heading ? [u.heading] : [])))],
    parts: g.map((u) => ({ heading: u.part > 1 ? undefined : u.heading, sentences: u.sentences })),
    sentences: g.flatMap((u) => u.sentences),
  }));
  // Fewer sentences than segments: the rest are recaps with nothing new to say.
  while (plan.length < n) plan.push({ heading: undefined, headings: [], parts: [], sentences: [] });
  return plan;
}

const STOPWORDS = new Set(
  "a an the and or but if of to in on at by for with from as is are was were be been being it its this that these those there here we you they he she i our your their his her my me us them not no so than then too very can will would should could may might must do does did have has had into about over under also just more most such what which who whom how why when where all any each some".split(
    " ",
  ),
);

/** A name for a segment without a heading: the first few key words of its first sentence. */
export function keyWordsName(sentence: string, english: boolean): string {
  const tokens = sentence.replace(/[^\p{L}\p{N}\s'-]/gu, " ").split(/\s+/).filter(Boolean);
  const picked = english ? tokens.filter((t) => !STOPWORDS.has(t.toLowerCase())).slice(0, 4) : tokens.slice(0, 5);
  const chosen = picked.length ? picked : tokens.slice(0, 4);
  const name = chosen.join(" ");
  return english ? name.replace(/(^|\s)(\p{Ll})/gu, (_, sp: string, c: string) => sp + c.toUpperCase()) : name;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

export function outlineFromPlan(plan: PlannedSegment[], english: boolean): Segment[] {
  const sizes = plan.map(words);
  const mean = sizes.reduce((a, b) => a + b, 0) / Math.max(1, plan.length);
  return plan.map((p, i) => {
    const first = p.sentences[0];
    const name = p.heading ?? (first ? keyWordsName(first, english) : english ? "Recap" : `${i + 1}`);
    const description =
      p.headings.length > 1
        ? `${english ? "Covers: " : ""}${p.headings.join("; ")}.`
        : first
          ? clip(first, 160)
          : english
            ? "A short recap of what was said."
            : name;
    const size: Segment["size"] = sizes[i]! < mean * 0.7 ? "short" : sizes[i]! > mean * 1.3 ? "long" : "medium";
    return { name: clip(name, 80), description, size };
  });
}
