// Stage 1: the text the episode is written from, or the ready script it is spoken from. Both are
// checked here, before any provider is paid: the service calls these at submission too, so a bad
// input fails in milliseconds instead of minutes into a job.
import { invalidInput } from "../errors.js";
import { MAX_CONTENT_CHARS, MAX_SCRIPT_TURNS, MAX_TURN_CHARS } from "../sources/limits.js";
import { normalizeText } from "../sources/normalize.js";
import type { SpeakerProfile, Turn } from "../core/model.js";
import { speakerList, speakerLookup } from "./speakers.js";
import { splitLongTurn } from "./split-turn.js";

export interface ScriptTurnInput {
  speaker: string;
  text: string;
  segment?: number | undefined;
}

/** Plain text, normalised; empty or over the limit → invalid_input naming the field and the rule. */
export function prepareContent(content: string | undefined, maxChars = MAX_CONTENT_CHARS): string {
  if (content === undefined || content === null) throw invalidInput("content", "must not be empty");
  if (typeof content !== "string") throw invalidInput("content", "must be a string");
  const text = normalizeText(content);
  if (!text) throw invalidInput("content", "must not be empty");
  if (text.length > maxChars)
    throw invalidInput("content", `must be at most ${maxChars} characters (got ${text.length})`);
  return text;
}

/**
 * A ready script as turns: speakers must be the profile's (case-insensitively; stored as the
 * profile spells them), texts non-empty; segments, when given, are renumbered densely in order of
 * first appearance so chapters never come out empty.
 */
export function prepareScript(script: ScriptTurnInput[], profile: SpeakerProfile): Turn[] {
  if (!Array.isArray(script) || script.length === 0) throw invalidInput("script", "must have at least one turn");
  if (script.length > MAX_SCRIPT_TURNS)
    throw invalidInput("script", `must have at most ${MAX_SCRIPT_TURNS} turns (got ${script.length})`);
  const lookup = speakerLookup(profile);
  const segmentIds = new Map<number, number>();
  const turns: Turn[] = [];
  let total = 0;
  script.forEach((t, i) => {
    const speaker = lookup(t?.speaker);
    if (!speaker) {
      throw invalidInput(
        `script[${i}].speaker`,
        `must be a speaker of profile "${profile.name}" (${speakerList(profile)}); got ${JSON.stringify(t?.speaker ?? null)}`,
      );
    }
    const text = typeof t.text === "string" ? normalizeText(t.text) : "";
    if (!text) throw invalidInput(`script[${i}].text`, "must not be empty");
    const seg = t.segment ?? 0;
    if (!Number.isInteger(seg) || seg < 0 || seg > 1000)
      throw invalidInput(
        `script[${i}].segment`,
        `must be a whole number from 0 to 1000 (got ${JSON.stringify(t.segment)})`,
      );
    if (!segmentIds.has(seg)) segmentIds.set(seg, segmentIds.size);
    total += text.length;
    turns.push(...splitLongTurn({ speaker, text, segment: segmentIds.get(seg) ?? 0 }, MAX_TURN_CHARS));
  });
  if (total > MAX_CONTENT_CHARS)
    throw invalidInput("script", `must be at most ${MAX_CONTENT_CHARS} characters in all (got ${total})`);
  return turns;
}
