// The built-in writer: no network, no model, the same script for the same input. It turns the
// source's own sentences into a conversation — the host opens and names the guests, the sentences
// are read out by the speakers in turn, the host moves between segments and closes the episode —
// so an episode still says what its source says when no LLM is configured.
//
// English gets English connecting phrases. Any other language keeps the source sentences and uses
// only neutral connectors (the episode name, speaker names and segment names): this writer is a
// stand-in for a model, not a translator or a text generator. The briefing is an instruction for
// a model and is not used here.
//
// Its outline follows the source (offline-plan.ts): one chapter per heading, so every segment the
// host announces is a chapter, and a short input is one chapter with no recap.
import { AppError, invalidInput } from "../../errors.js";
import type { Outline, ScriptWriter, Speaker, Turn, WriterInput } from "../../core/model.js";
import { planChapters, planSegments, type PlannedSegment } from "./offline-plan.js";
import { listing, outlineFromPlan } from "./offline-titles.js";
import { wordCount } from "./source-text.js";

const TURN_MAX_SENTENCES = 3;
const TURN_TARGET_WORDS = 35;
const MAX_LEAD_INS = 3;

const TRANSITIONS = [
  (n: string) => ending(`Next, let's talk about ${n}`),
  (n: string) => ending(`Now let's turn to ${n}`),
  (n: string) => ending(`Moving on: ${n}`),
  (n: string) => ending(`Let's look at ${n}`),
];
// Into a chapter named by its first words: saying the name would only say them twice.
const UNNAMED_TRANSITIONS = ["Let's move on.", "Here's the next part.", "On to the next part."];
const GUEST_HELLOS = [
  (host: string) => `Thanks, ${host}. Glad to be here.`,
  () => "Hi everyone, happy to join.",
  () => "Great to be here.",
];
const GUEST_GOODBYES = ["Thanks for having me.", "It was a pleasure.", "Bye, everyone."];

/** A sentence ends once: "about What is Zod?" gets no extra full stop. */
function ending(text: string): string {
  return /[.!?…。！？]["'”’)\]]*$/.test(text) ? text : `${text}.`;
}

/** "The lens" reads as "the lens" in the middle of a sentence. */
function midSentence(name: string): string {
  return name.replace(/^(The|A|An)\s/, (w) => w.toLowerCase());
}

export function isEnglish(language: string): boolean {
  return /^en(?:[-_]|$)/i.test(language.trim());
}

function checkInput(input: WriterInput): void {
  if (input.speakers.length < 1) throw invalidInput("speakers", "must name at least one speaker");
  if (!Number.isInteger(input.numSegments) || input.numSegments < 1)
    throw invalidInput("num_segments", "must be a whole number of at least 1");
}

/**
 * Sentences → turns of 1–3 sentences (about 35 words), speakers taking turns from `k`, each also
 * added to `content`. Returns the next k.
 */
function contentTurns(
  sentences: string[],
  speakers: Speaker[],
  k: number,
  segment: number,
  out: Turn[],
  content: Set<Turn>,
): number {
  let buf: string[] = [];
  let words = 0;
  const push = () => {
    if (!buf.length) return;
    const turn = { speaker: speakers[k % speakers.length]!.name, text: buf.join(" "), segment };
    out.push(turn);
    content.add(turn);
    k++;
    buf = [];
    words = 0;
  };
  for (const s of sentences) {
    buf.push(s);
    words += wordCount(s);
    if (buf.length >= TURN_MAX_SENTENCES || words >= TURN_TARGET_WORDS) push();
  }
  push();
  return k;
}

interface Planned {
  segment: PlannedSegment;
  /** The host may announce the segment by its name (a heading, or a name from another writer's outline). */
  named: boolean;
  /** The plan is this writer's own chapters (not a source cut to fit another writer's outline). */
  own: boolean;
}

export class OfflineWriter implements ScriptWriter {
  readonly name = "builtin";
  // segment() is called once per segment with the same input: parse a large source once, not N times.
  #chaptersCache: { key: string; plan: PlannedSegment[]; names: string[] } | undefined;
  #fittedCache: { key: string; plan: PlannedSegment[] } | undefined;

  /** This writer's own chapters and their names. */
  #chapters(input: WriterInput): { plan: PlannedSegment[]; names: string[] } {
    const english = isEnglish(input.language);
    const key = JSON.stringify([input.content, input.numSegments, input.targetMinutes, english, input.episodeName]);
    if (this.#chaptersCache?.key === key) return this.#chaptersCache;
    const opts = { english, maxUnheaded: input.numSegments, targetMinutes: input.targetMinutes };
    const plan = planChapters(input.content, opts);
    if (plan.length === 0) {
      throw invalidInput("content", "has no sentences to speak once markdown syntax, code blocks and URLs are removed");
    }
    this.#chaptersCache = { key, plan, names: outlineFromPlan(plan, english, input.episodeName).map((s) => s.name) };
    return this.#chaptersCache;
  }

  /** The source cut into exactly `count` segments, for an outline this writer did not make. */
  #fitted(input: WriterInput, count: number): PlannedSegment[] {
    const english = isEnglish(input.language);
    const key = JSON.stringify([input.content, count, input.targetMinutes, english]);
    if (this.#fittedCache?.key !== key) {
      this.#fittedCache = { key, plan: planSegments(input.content, count, input.targetMinutes, english) };
    }
    return this.#fittedCache.plan;
  }

  #planFor(input: WriterInput, outline: Outline, index: number): Planned {
    const own = this.#chapters(input);
    const names = outline.segments.map((s) => s.name);
    if (names.length === own.names.length && names.every((n, i) => n === own.names[i])) {
      const segment = own.plan[index]!;
      return { segment, named: segment.headings.length > 0, own: true };
    }
    return { segment: this.#fitted(input, names.length)[index]!, named: true, own: false };
  }

  async outline(input: WriterInput, signal: AbortSignal): Promise<Outline> {
    if (signal.aborted) throw new AppError("canceled", "the job was canceled");
    checkInput(input);
    const english = isEnglish(input.language);
    return { segments: outlineFromPlan(this.#chapters(input).plan, english, input.episodeName) };
  }

  async segment(
    input: WriterInput,
    outline: Outline,
    index: number,
    _before: string,
    signal: AbortSignal,
  ): Promise<Turn[]> {
    if (signal.aborted) throw new AppError("canceled", "the job was canceled");
    checkInput(input);
    const count = outline.segments.length;
    const seg = outline.segments[index];
    if (!seg) throw new AppError("internal", `segment index ${index} is outside the outline (${count} segments)`);
    const { segment: planned, named, own } = this.#planFor(input, outline, index);
    const en = isEnglish(input.language);
    const speakers = input.speakers;
    const host = speakers[0]!.name;
    const guests = speakers.slice(1).map((s) => s.name);
    const say = (speaker: string, text: string): Turn => ({ speaker, text, segment: index });
    const turns: Turn[] = [];
    const content = new Set<Turn>();

    if (index === 0) {
      if (en) {
        const withMe =
          guests.length === 0 ? "" : `, and with me today ${guests.length === 1 ? "is" : "are"} ${listing(guests)}`;
        // A chapter named after the episode or by its own first words has no name worth announcing.
        const start = named ? ` ${ending(`Let's start with ${midSentence(seg.name)}`)}` : "";
        turns.push(say(host, `${ending(`Welcome to ${input.episodeName}`)} I'm ${host}${withMe}.${start}`));
        for (const [i, g] of guests.entries()) turns.push(say(g, GUEST_HELLOS[i % GUEST_HELLOS.length]!(host)));
      } else {
        turns.push(say(host, `${input.episodeName} — ${[host, ...guests].join(", ")}.`));
      }
    } else if (own && planned.part > 1 && planned.heading) {
      const more = ending(`There's more to say about ${midSentence(planned.heading)}`);
      turns.push(say(host, en ? more : ending(seg.name)));
    } else if (named) {
      const next = TRANSITIONS[(index - 1) % TRANSITIONS.length]!;
      turns.push(say(host, en ? next(midSentence(seg.name)) : ending(seg.name)));
    } else if (en) {
      turns.push(say(host, UNNAMED_TRANSITIONS[(index - 1) % UNNAMED_TRANSITIONS.length]!));
    }

    if (planned.sentences.length) {
      // The first content turn goes to someone other than whoever just spoke: after the guests'
      // hellos that is the host, after the host's transition a guest (a different one each segment).
      const afterHellos = index === 0 && en && guests.length > 0;
      let k = afterHellos || guests.length === 0 ? 0 : 1 + (index % guests.length);
      // A section merged into this segment gets its own short lead-in from the host, unless so
      // many were merged (a long source, few segments) that the lead-ins would crowd out the content.
      const leadIns = planned.parts.filter((p) => p.heading).length <= MAX_LEAD_INS + 1;
      planned.parts.forEach((part, j) => {
        if (leadIns && j > 0 && part.heading) {
          turns.push(say(host, ending(en ? `Which brings us to ${midSentence(part.heading)}` : part.heading)));
          if (guests.length) k = 1 + ((index + j) % guests.length);
        }
        k = contentTurns(part.sentences, speakers, k, index, turns, content);
      });
    } else {
      const earlier = outline.segments.slice(0, index).map((s) => s.name);
      if (earlier.length)
        turns.push(say(host, en ? `To recap, we talked about ${listing(earlier)}.` : `${earlier.join(" · ")}.`));
    }

    if (index === count - 1) {
      if (en) {
        const thanks = guests.length ? `, and thanks to ${listing(guests)} for joining me` : "";
        turns.push(say(host, `${ending(`That's all for ${input.episodeName}`)} Thanks for listening${thanks}.`));
        for (const [i, g] of guests.entries()) turns.push(say(g, GUEST_GOODBYES[i % GUEST_GOODBYES.length]!));
      } else {
        turns.push(say(host, ending(input.episodeName)));
      }
    }
    return mergeSameSpeaker(turns, content);
  }
}

/**
 * Two turns in a row by one speaker are one turn ("… a pane of glass. Which brings us to …"),
 * except two turns of the source's sentences (a single speaker reads them all): kept apart, they
 * stay turns of about 35 words, each its own line with its own timing in the transcript.
 */
function mergeSameSpeaker(turns: Turn[], content: Set<Turn>): Turn[] {
  const out: { turn: Turn; content: boolean }[] = [];
  for (const t of turns) {
    const prev = out.at(-1);
    const isContent = content.has(t);
    if (prev && prev.turn.speaker === t.speaker && !(prev.content && isContent)) {
      prev.turn.text = `${prev.turn.text} ${t.text}`;
      prev.content ||= isContent;
    } else {
      out.push({ turn: { ...t }, content: isContent });
    }
  }
  return out.map((o) => o.turn);
}
