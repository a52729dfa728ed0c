// Stage 3: the turns, one writer call per segment. Each call sees a short running summary (the
// segments so far and the last few turns), not the whole transcript, so long episodes fit a small
// context. Finished segments are checkpointed one by one: a failure in segment 7 of 8 re-bills
// only segment 7 on the retry.
import { AppError } from "../../errors.js";
import type { Logger } from "../../log.js";
import { MAX_TURN_CHARS } from "../../sources/limits.js";
import type { Outline, ScriptWriter, SpeakerProfile, Turn, WriterInput } from "../../core/model.js";
import type { CheckpointStore } from "../types.js";
import { asCanceled, throwIfCanceled } from "./cancel.js";
import { speakerList, speakerLookup } from "../../script/speakers.js";
import { splitLongTurn } from "../../script/split-turn.js";

export const SEGMENTS_CHECKPOINT = "transcript_segments";
const SUMMARY_TURNS = 4;
const SUMMARY_TURN_CHARS = 240;

export interface TranscriptContext {
  signal: AbortSignal;
  checkpoints: CheckpointStore;
  log: Logger;
  progress(fraction: number, message: string): void;
}

export async function writeTranscript(
  writer: ScriptWriter,
  input: WriterInput,
  outline: Outline,
  profile: SpeakerProfile,
  ctx: TranscriptContext,
): Promise<Turn[]> {
  const n = outline.segments.length;
  const done = (await ctx.checkpoints.get<Turn[][]>(SEGMENTS_CHECKPOINT)) ?? [];
  const segments: Turn[][] = done.slice(0, n);
  if (segments.length > 0)
    ctx.log.info({ segments: segments.length, of: n }, "transcript: resuming after checkpointed segments");
  for (let i = segments.length; i < n; i++) {
    throwIfCanceled(ctx.signal, "transcript");
    ctx.progress(i / n, `writing segment ${i + 1}/${n}: ${outline.segments[i]?.name ?? ""}`);
    let raw: Turn[];
    try {
      raw = await writer.segment(input, outline, i, runningSummary(outline, segments), ctx.signal);
    } catch (err) {
      throw asCanceled(err, ctx.signal, "transcript");
    }
    const turns = checkTurns(raw, i, profile, writer.name);
    if (turns.length === 0) ctx.log.warn({ segment: i }, "transcript: the writer returned no turns for a segment");
    segments.push(turns);
    await ctx.checkpoints.put(SEGMENTS_CHECKPOINT, segments);
  }
  ctx.progress(1, `${n} segments written`);
  const all = segments.flat();
  if (all.length === 0)
    throw new AppError("provider_permanent", `transcript: the writer ${writer.name} produced no turns`);
  return all;
}

/** Speakers must be the profile's; the writer validates too, but the runner is the last line before paid TTS. */
function checkTurns(raw: Turn[], segment: number, profile: SpeakerProfile, writerName: string): Turn[] {
  if (!Array.isArray(raw))
    throw new AppError(
      "provider_permanent",
      `transcript: segment ${segment + 1}: the writer ${writerName} returned no list of turns`,
    );
  const lookup = speakerLookup(profile);
  const out: Turn[] = [];
  raw.forEach((t, k) => {
    const speaker = lookup(t?.speaker);
    if (!speaker) {
      throw new AppError(
        "provider_permanent",
        `transcript: segment ${segment + 1} turn ${k + 1}: speaker ${JSON.stringify(t?.speaker ?? null)} is not in profile "${profile.name}" (${speakerList(profile)})`,
      );
    }
    const text = typeof t.text === "string" ? t.text.trim() : "";
    if (text) out.push(...splitLongTurn({ speaker, text, segment }, MAX_TURN_CHARS));
  });
  return out;
}

/** What the next segment needs to know: where the episode has been and how the last exchange went. */
export function runningSummary(outline: Outline, written: Turn[][]): string {
  if (written.length === 0) return "";
  const covered = written.map((_, i) => outline.segments[i]?.name).filter(Boolean);
  const last = written.flat().slice(-SUMMARY_TURNS);
  const lines = last.map(
    (t) =>
      `${t.speaker}: ${t.text.length > SUMMARY_TURN_CHARS ? `${t.text.slice(0, SUMMARY_TURN_CHARS - 1)}…` : t.text}`,
  );
  return `Segments already covered: ${covered.join("; ")}.\nThe conversation so far ended with:\n${lines.join("\n")}`;
}

/**
 * A transcript checkpoint is used only if every turn still names a speaker of the profile and has
 * text in a segment of the outline; anything else (a checkpoint from an older shape, a hand-edited record) is written again
 * rather than failing in the speech stage.
 */
export function usableCheckpoint(saved: unknown, profile: SpeakerProfile, segments: number): Turn[] | undefined {
  if (!Array.isArray(saved) || saved.length === 0) return undefined;
  const lookup = speakerLookup(profile);
  const turns: Turn[] = [];
  for (const t of saved as Partial<Turn>[]) {
    const speaker = lookup(t?.speaker as string);
    if (
      !speaker ||
      typeof t.text !== "string" ||
      !t.text.trim() ||
      !Number.isInteger(t.segment) ||
      (t.segment as number) < 0 ||
      (t.segment as number) >= segments
    )
      return undefined;
    turns.push({ speaker, text: t.text, segment: t.segment as number });
  }
  return turns;
}
