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
  if (clips.length === 0) throw new AppError("invalid_input", "clips: at least one clip is required", { field: "clips" });
  clips.forEach((c, i) => {
    const r = c.pcm.sampleRate;
    if (!Number.isInteger(r) || r < 1000 || r > 384_000) {
      throw new AppError("invalid_input", `clips[${i}].pcm.sampleRate: must be an integer between 1000 and 384000, got ${r}`, { field: `clips[${i}].pcm.sampleRate` });
    }
    if (!Number.isInteger(c.turn.segment) || c.turn.segment < 0) {
      throw new AppError("invalid_input", `clips[${i}].turn.segment: must be an integer ≥ 0, got ${c.turn.segment}`, { field: `clips[${i}].turn.segment` });
    }
  });
}

export function joinClips(clips: Clip[], opts: JoinOptions = {}): JoinedEpisode {
  const rate = opts.sampleRate ?? EPISODE_SAMPLE_RATE;
  const pauseSame = opts.pauseSameSegment ?? 0.35;
  const pauseChange = opts.pauseSegmentChange ?? 1.0;
  const leadIn = opts.leadIn ?? 0.3;
  const tail = opts.tail ?? 0.7;
  const names = opts.segmentNames ?? [];
  validateClips(clips);

  // Resample and trim first (trimmed clips are views, not copies), so the output is allocated once.
  const parts = clips.map((c) => trimSilence(resample(c.pcm, rate).samples, rate, opts.silenceDb ?? -50));
  const secs = (n: number) => Math.round(n * rate);
  const gaps = clips.map((c, i) => (i === 0 ? secs(leadIn) : secs(c.turn.segment === clips[i - 1]!.turn.segment ? pauseSame : pauseChange)));
  const total = parts.reduce((n, p, i) => n + p.length + gaps[i]!, 0) + secs(tail);
  const out = new Float32Array(total);
  const fade = Math.max(1, Math.round(((opts.fadeMs ?? 8) * rate) / 1000));

  const turns: TimedTurn[] = [];
  let pos = 0;
  parts.forEach((p, i) => {
    pos += gaps[i]!;
    copyWithFades(p, out, pos, fade);
    const turn = clips[i]!.turn;
    turns.push({ speaker: turn.speaker, text: turn.text, segment: turn.segment, start: pos / rate, end: (pos + p.length) / rate });
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

/** Raised-cosine fade-in and fade-out of `fade` samples (shorter for very short clips). */
function copyWithFades(src: Float32Array, dst: Float32Array, at: number, fade: number): void {
  const n = src.length;
  const f = Math.min(fade, Math.floor(n / 2));
  dst.set(src, at);
  for (let i = 0; i < f; i++) {
    const g = 0.5 - 0.5 * Math.cos((Math.PI * (i + 0.5)) / f);
    dst[at + i]! *= g;
    dst[at + n - 1 - i]! *= g;
  }
}
