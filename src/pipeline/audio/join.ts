// Joins the spoken turns into one track: each clip resampled to the episode rate, its leading and
// trailing silence trimmed (engines pad differently, which would make pauses uneven), short fades at
// its edges (a clip that starts or ends mid-waveform clicks), and a pause between turns that is
// longer where the conversation moves to the next segment. Timings are those of the real samples.
import { AppError } from "../../errors.js";
import type { Chapter, Pcm, TimedTurn, Turn } from "../../core/model.js";
import { EPISODE_SAMPLE_RATE, resample } from "./resample.js";

export interface JoinOptions {
  /** Chapter titles, indexed by Turn.segment. Missing names become "Part N". */
  segmentNames?: string[];
  sampleRate?: number;
  /** Seconds of silence between two turns of the same segment. */
  pauseSameSegment?: number;
  /** Seconds of silence where the segment changes. */
  pauseSegmentChange?: number;
  /** Seconds before the first turn and after the last. */
  leadIn?: number;
  tail?: number;
  fadeMs?: number;
  /** Samples under this level (dBFS), and under the clip's peak − 40 dB, count as silence when trimming. */
  silenceDb?: number;
}

export interface JoinedEpisode {
  pcm: Pcm;
  turns: TimedTurn[];
  chapters: Chapter[];
}

export interface Clip {
  pcm: Pcm;
  turn: Turn;
}

/** Kept before the first and after the last audible sample: soft onsets and breath tails. */
const TRIM_MARGIN_S = 0.02;
/** How far before its first word a chapter starts (within the pause), so a jump does not clip it. */
const CHAPTER_LEAD_S = 0.25;

/** Checks what joinClips needs of its input; errors name the clip by index. */
export function validateClips(clips: Clip[]): void {
  if (clips.length === 0)
    throw new AppError("invalid_input", "clips: at least one clip is required", { field: "clips" });
  clips.forEach((c, i) => {
    checkClipRate(i, c.pcm.sampleRate);
    checkTurnSegment(i, c.turn);
  });
}

export function checkClipRate(i: number, r: number): void {
  if (!Number.isInteger(r) || r < 1000 || r > 384_000) {
    const field = `clips[${i}].pcm.sampleRate`;
    throw new AppError("invalid_input", `${field}: must be an integer between 1000 and 384000, got ${r}`, { field });
  }
}

export function checkTurnSegment(i: number, turn: Turn): void {
  if (!Number.isInteger(turn.segment) || turn.segment < 0) {
    const field = `clips[${i}].turn.segment`;
    throw new AppError("invalid_input", `${field}: must be an integer ≥ 0, got ${turn.segment}`, { field });
  }
}

/** JoinOptions with every default filled in, as sample counts at the episode rate. */
export interface Spacing {
  rate: number;
  leadIn: number;
  tail: number;
  pauseSame: number;
  pauseChange: number;
  fade: number;
  silenceDb: number;
}

export function spacing(opts: JoinOptions = {}): Spacing {
  const rate = opts.sampleRate ?? EPISODE_SAMPLE_RATE;
  const secs = (n: number) => Math.round(n * rate);
  return {
    rate,
    leadIn: secs(opts.leadIn ?? 0.3),
    tail: secs(opts.tail ?? 0.7),
    pauseSame: secs(opts.pauseSameSegment ?? 0.35),
    pauseChange: secs(opts.pauseSegmentChange ?? 1.0),
    fade: Math.max(1, Math.round(((opts.fadeMs ?? 8) * rate) / 1000)),
    silenceDb: opts.silenceDb ?? -50,
  };
}

/** Samples of silence before turn i: the lead-in, or a pause that is longer where the segment changes. */
export function gapBefore(turns: readonly Turn[], i: number, s: Spacing): number {
  if (i === 0) return s.leadIn;
  return turns[i]!.segment === turns[i - 1]!.segment ? s.pauseSame : s.pauseChange;
}

/** The whole episode in memory (the bench compares the streaming assembly against it). */
export function joinClips(clips: Clip[], opts: JoinOptions = {}): JoinedEpisode {
  const sp = spacing(opts);
  const rate = sp.rate;
  const names = opts.segmentNames ?? [];
  validateClips(clips);

  // Resample and trim first (trimmed clips are views, not copies), so the output is allocated once.
  const parts = clips.map((c) => trimSilence(resample(c.pcm, rate).samples, rate, sp.silenceDb));
  const turnsIn = clips.map((c) => c.turn);
  const gaps = clips.map((_, i) => gapBefore(turnsIn, i, sp));
  const total = parts.reduce((n, p, i) => n + p.length + gaps[i]!, 0) + sp.tail;
  const out = new Float32Array(total);

  const turns: TimedTurn[] = [];
  let pos = 0;
  parts.forEach((p, i) => {
    pos += gaps[i]!;
    out.set(p, pos);
    applyFades(out.subarray(pos, pos + p.length), sp.fade);
    const turn = clips[i]!.turn;
    turns.push({
      speaker: turn.speaker,
      text: turn.text,
      segment: turn.segment,
      start: pos / rate,
      end: (pos + p.length) / rate,
    });
    pos += p.length;
  });
  const duration = total / rate;
  return { pcm: { samples: out, sampleRate: rate }, turns, chapters: chaptersOf(turns, names, duration) };
}

/** One chapter per run of turns in the same segment; chapters tile the whole file without gaps. */
export function chaptersOf(turns: TimedTurn[], names: string[], duration: number): Chapter[] {
  const chapters: Chapter[] = [];
  let prevEnd = 0;
  turns.forEach((t, i) => {
    if (i > 0 && t.segment === turns[i - 1]!.segment) {
      prevEnd = t.end;
      return;
    }
    const start = chapters.length === 0 ? 0 : Math.max(prevEnd, t.start - CHAPTER_LEAD_S);
    if (chapters.length > 0) chapters[chapters.length - 1]!.end = start;
    chapters.push({ title: names[t.segment]?.trim() || `Part ${t.segment + 1}`, start, end: duration });
    prevEnd = t.end;
  });
  return chapters;
}

/** The audible part of a clip, as a view: from a little before the first sample above the threshold to a little after the last. */
export function trimSilence(x: Float32Array, rate: number, silenceDb: number): Float32Array {
  let peak = 0;
  for (let i = 0; i < x.length; i++) {
    const a = Math.abs(x[i]!);
    if (a > peak) peak = a;
  }
  const threshold = Math.max(10 ** (silenceDb / 20), peak * 0.01);
  let first = 0;
  while (first < x.length && !(Math.abs(x[first]!) > threshold)) first++;
  if (first === x.length) return x.subarray(0, 0);
  let last = x.length - 1;
  while (last > first && !(Math.abs(x[last]!) > threshold)) last--;
  const margin = Math.round(TRIM_MARGIN_S * rate);
  return x.subarray(Math.max(0, first - margin), Math.min(x.length, last + 1 + margin));
}

/** Raised-cosine fade-in and fade-out of `fade` samples (shorter for very short clips), in place. */
export function applyFades(x: Float32Array, fade: number): void {
  const n = x.length;
  const f = Math.min(fade, Math.floor(n / 2));
  for (let i = 0; i < f; i++) {
    const g = 0.5 - 0.5 * Math.cos((Math.PI * (i + 0.5)) / f);
    x[i]! *= g;
    x[n - 1 - i]! *= g;
  }
}
