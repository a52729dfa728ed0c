// Prompts for the LLM writer: one to plan the outline, one per segment for the dialogue.
// The segment prompt carries a short summary of what came before instead of the whole transcript,
// so a long episode stays inside a small model's context window.
import type { Outline, Segment, Speaker, WriterInput } from "../../core/model.js";

export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

/** Spoken English runs at about 150 words a minute; the offline writer uses the same figure. */
export const WORDS_PER_MINUTE = 150;
const SIZE_WEIGHT: Record<Segment["size"], number> = { short: 1, medium: 2, long: 3 };
const AVERAGE_TURN_WORDS = 40;
const DEFAULT_TURNS: Record<Segment["size"], string> = { short: "4 to 6", medium: "8 to 12", long: "14 to 20" };

/** "de-CH" → "Swiss High German, language tag de-CH"; an unknown tag is passed through as it is. */
export function languageName(tag: string): string {
  try {
    const name = new Intl.DisplayNames(["en"], { type: "language", languageDisplay: "dialect" }).of(tag);
    return name && name !== tag ? `${name}, language tag ${tag}` : tag;
  } catch {
    return tag;
  }
}

function speakerLines(speakers: Speaker[]): string {
  return speakers
    .map((s, i) => {
      const role = i === 0 ? " (host)" : "";
      const parts = [
        s.backstory && `Backstory: ${s.backstory.trim()}`,
        s.personality && `Personality: ${s.personality.trim()}`,
      ].filter(Boolean);
      return `Speaker ${i + 1}: ${s.name}${role}${parts.length ? ` — ${parts.join(" ")}` : ""}`;
    })
    .join("\n");
}

function commonHeader(input: WriterInput): string {
  const lines = [
    `Episode: "${input.episodeName}"`,
    `Write in ${languageName(input.language)}. Every name, title and line of dialogue is in that language.`,
  ];
  if (input.briefing.trim()) lines.push(`Briefing from the producer: ${input.briefing.trim()}`);
  lines.push(`Speakers:\n${speakerLines(input.speakers)}`);
  if (input.targetMinutes) {
    lines.push(
      `Target length of the whole episode: about ${input.targetMinutes} minutes (about ${input.targetMinutes * WORDS_PER_MINUTE} spoken words).`,
    );
  }
  return lines.join("\n");
}

function sourceBlock(content: string): string {
  return `Source material (the episode must stay true to it; do not invent facts it does not support):\n<<<SOURCE\n${content.trim()}\nSOURCE>>>`;
}

export function outlineMessages(input: WriterInput): ChatMessage[] {
  const system =
    "You are a podcast producer. You plan episodes that explain source material through natural conversation. " +
    "You reply with a single JSON object and nothing else.";
  const user = [
    commonHeader(input),
    `Plan the episode as exactly ${input.numSegments} segments, in the order they will be spoken. ` +
      `The first segment opens the episode and the last one closes it. For each segment give a short name, ` +
      `a one- or two-sentence description of what it covers, and a size: "short", "medium" or "long".`,
    `Reply with only this JSON shape: {"segments":[{"name":"…","description":"…","size":"medium"}]} with exactly ${input.numSegments} entries.`,
    sourceBlock(input.content),
  ].join("\n\n");
  return [
    { role: "system", content: system },
    { role: "user", content: user },
  ];
}

/** How many turns a segment should have: from the target length when there is one, else from its size. */
export function turnGuidance(outline: Outline, index: number, targetMinutes?: number): string {
  const seg = outline.segments[index]!;
  if (!targetMinutes) return `${DEFAULT_TURNS[seg.size]} turns`;
  const total = outline.segments.reduce((n, s) => n + SIZE_WEIGHT[s.size], 0);
  const words = Math.round((targetMinutes * WORDS_PER_MINUTE * SIZE_WEIGHT[seg.size]) / total);
  const turns = Math.max(2, Math.round(words / AVERAGE_TURN_WORDS));
  return `about ${turns} turns (about ${words} words in all)`;
}

export function segmentMessages(input: WriterInput, outline: Outline, index: number, before: string): ChatMessage[] {
  const seg = outline.segments[index]!;
  const last = outline.segments.length - 1;
  const plan = outline.segments
    .map((s, i) => `${i + 1}. ${s.name} — ${s.description}${i === index ? "   <== this segment" : ""}`)
    .join("\n");
  const names = input.speakers.map((s) => s.name).join(", ");
  const place =
    index === 0
      ? "This is the first segment: the host opens the episode, welcomes the listeners and introduces the other speakers."
      : index === last
        ? "This is the last segment: bring the conversation to a close and end the episode with a short goodbye."
        : "This segment continues the conversation: no welcome and no goodbye.";
  const system =
    "You write natural, engaging podcast dialogue between the given speakers, each true to their backstory and personality. " +
    "Only spoken words: no stage directions, sound effects, markdown or speaker labels inside the text. " +
    "You reply with a single JSON object and nothing else.";
  const user = [
    commonHeader(input),
    `Episode outline:\n${plan}`,
    `Write segment ${index + 1} of ${outline.segments.length}: "${seg.name}" — ${seg.description}\n` +
      `Size: ${seg.size}, ${turnGuidance(outline, index, input.targetMinutes)}. ${place}`,
    before.trim()
      ? `What was already said (summary; do not repeat it):\n${before.trim()}`
      : "Nothing has been said yet.",
    `Use only these speaker names, spelled exactly: ${names}.`,
    `Reply with only this JSON shape: {"turns":[{"speaker":"${input.speakers[0]?.name ?? "Name"}","text":"…"}]}`,
    sourceBlock(input.content),
  ].join("\n\n");
  return [
    { role: "system", content: system },
    { role: "user", content: user },
  ];
}
