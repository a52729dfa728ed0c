// The audio stage in one call: join the spoken turns, normalise loudness, encode MP3, tag it with
// metadata and chapters. Pure: PCM in, bytes and timings out; storing files is the caller's job.
import { AppError } from "../../errors.js";
import type { Chapter, TimedTurn } from "../../core/model.js";
import { checkMeta, tagMp3, type EpisodeMeta } from "./id3.js";
import { joinClips, validateClips, type Clip, type JoinOptions } from "./join.js";
import { encodeMp3, MP3_CODEC_DELAY_SAMPLES, type Mp3Bitrate } from "./mp3.js";
import { normalizeAsync } from "./normalize.js";
import { EPISODE_SAMPLE_RATE, resample } from "./resample.js";

export interface AssembleInput {
  clips: Clip[];
  /** Chapter titles by segment index (outline segment names). */
  segmentNames: string[];
  meta: EpisodeMeta;
  targetLufs?: number; // default -16
  maxTruePeak?: number; // dBTP, default -1
  bitrate?: Mp3Bitrate; // default 64
  join?: Omit<JoinOptions, "segmentNames">;
  /** Fraction of the audio stage done, in [0, 1]; called a few times a second at most. */
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

export interface AssembledEpisode {
  mp3: Buffer;
  durationSeconds: number;
  turns: TimedTurn[];
  chapters: Chapter[];
  loudness: { integrated: number; truePeak: number };
}

// Shares of the work, from timings of a 30-minute episode (encoding dominates).
const JOINED = 0.1;
const NORMALIZED = 0.35;
const ENCODED = 0.97;

export async function assembleEpisode(input: AssembleInput): Promise<AssembledEpisode> {
  const report = progressReporter(input.onProgress);
  const checkCanceled = () => {
    if (input.signal?.aborted) throw new AppError("canceled", "audio: assembly canceled");
  };
  checkCanceled();
  report(0, true);
  // Resampling is the slow part of joining (built-in voices speak at 16 kHz): done here clip by
  // clip with event-loop turns in between, so joinClips finds every clip at the episode rate.
  validateClips(input.clips);
  checkMeta(input.meta); // before the work, not after it
  const rate = input.join?.sampleRate ?? EPISODE_SAMPLE_RATE;
  const clips: Clip[] = [];
  let since = performance.now();
  for (const c of input.clips) {
    clips.push({ pcm: resample(c.pcm, rate), turn: c.turn });
    report((clips.length / input.clips.length) * JOINED * 0.9);
    if (performance.now() - since > 50) {
      await yieldToEventLoop();
      checkCanceled();
      since = performance.now();
    }
  }
  const joined = joinClips(clips, { ...input.join, segmentNames: input.segmentNames });
  report(JOINED, true);
  await yieldToEventLoop();
  checkCanceled();

  // In place: the joined buffer is ours, and a 30-minute episode is ~170 MB of float samples.
  const norm = await normalizeAsync(joined.pcm, {
    targetLufs: input.targetLufs ?? -16,
    maxTruePeak: input.maxTruePeak ?? -1,
    inPlace: true,
    signal: input.signal,
  });
  if (!Number.isFinite(norm.integrated)) {
    // Nothing audible to publish: a speech engine returned silence for every turn.
    throw new AppError("invalid_input", "clips: every clip is silent, there is no audio to assemble", { field: "clips" });
  }
  report(NORMALIZED, true);
  await yieldToEventLoop();
  checkCanceled();

  const raw = await encodeMp3(norm.pcm, {
    bitrate: input.bitrate ?? 64,
    signal: input.signal,
    onProgress: (f) => report(NORMALIZED + f * (ENCODED - NORMALIZED)),
  });
  // The file has no gapless header, so players play the encoder's delay (1105 samples, 46 ms at
  // 24 kHz) before the first sample: publish timings as heard, shifted by that delay. The first
  // chapter still starts at 0.
  const delay = MP3_CODEC_DELAY_SAMPLES / norm.pcm.sampleRate;
  const turns = joined.turns.map((t) => ({ ...t, start: t.start + delay, end: t.end + delay }));
  const chapters = joined.chapters.map((c, i) => ({ ...c, start: i === 0 ? c.start : c.start + delay, end: c.end + delay }));
  const mp3 = tagMp3(raw, input.meta, chapters);
  report(1, true);
  return {
    mp3,
    durationSeconds: norm.pcm.samples.length / norm.pcm.sampleRate + delay,
    turns,
    chapters,
    loudness: { integrated: norm.integrated, truePeak: norm.truePeak },
  };
}

const yieldToEventLoop = () => new Promise<void>((r) => setImmediate(r));

/** Monotonic, and at most ~5 calls a second, except stage boundaries (`always`), which are always sent. */
function progressReporter(cb: ((f: number) => void) | undefined): (f: number, always?: boolean) => void {
  let last = -1;
  let lastAt = 0;
  return (f, always = false) => {
    if (!cb || f <= last) return;
    const now = Date.now();
    if (!always && f < 1 && last >= 0 && now - lastAt < 200) return;
    last = f;
    lastAt = now;
    cb(f);
  };
}
