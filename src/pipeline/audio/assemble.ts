// The audio stage in one call: clips in, one finished MP3 file out (tags, chapters, gapless Info
// frame), with the timings of every turn. It streams: the episode is never in memory, only the
// clip being worked on, so a 60-minute episode takes the memory of a 1-minute one.
//
//   pass 1  each clip: load (speech cache), resample, trim, fade, meter, park it in a spool file
//   level   a gain per speaker from that speaker's pooled loudness (level.ts): voices come out even
//   pass 2  each clip at its speaker's gain through the limiter, metered again with the limiter's
//           sensitivity (clip-energy.ts); from that, the gains that put every speaker and then the
//           episode on the target with the limiter included. A correction over 0.5 dB is measured
//           again (another round), since the prediction is good for small steps only.
//   pass 3  each clip: gain, limiter, true-peak check, meter; encoded on the encoder's thread
//           while the next clip is prepared, into the file
//
// Why not keep pass 2's limited clips and trim them: pass 2 runs before any encoding can start,
// pass 3's limiter runs while the encoder works. Measured on 10 minutes of Flite speech: the
// episode took 5.8 s this way, 7.2 s with the limited clips spooled and only trimmed in pass 3.
import { rename } from "node:fs/promises";
import { AppError } from "../../errors.js";
import type { Chapter, TimedTurn } from "../../core/model.js";
import { clipEnergy, measureClip } from "./clip-energy.js";
import type { ClipSource } from "./clip-source.js";
import { describeEpisode } from "./description.js";
import { checkMeta, id3Tag, type EpisodeMeta } from "./id3.js";
import {
  applyFades,
  chaptersOf,
  checkClipRate,
  checkTurnSegment,
  gapBefore,
  spacing,
  trimSilence,
  type JoinOptions,
  type Spacing,
} from "./join.js";
import { bySpeaker, pooledLoudness, solveGainDb, timelineLoudness, type MeasuredClip } from "./level.js";
import { limitInPlace } from "./limiter.js";
import { dbToGain, gainToDb, TimelineMeter, truePeakLinear } from "./loudness.js";
import { checkMp3Rate, type Mp3Bitrate, type Mp3Summary } from "./mp3.js";
import { Mp3File } from "./mp3-file.js";
import { CEILING_MARGIN_DB, checkTargets } from "./normalize.js";
import { resample } from "./resample.js";
import { removeLeftovers, Spool, type SpooledClip } from "./spool.js";

export interface AssembleInput {
  clips: ClipSource[];
  /** Chapter titles by segment index (outline segment names). */
  segmentNames: string[];
  /** Tags; `summary` (what the episode is about) becomes the description, followed by the chapters. */
  meta: Omit<EpisodeMeta, "description"> & { summary?: string | undefined };
  /** Where the MP3 goes: written under a temporary name beside it, then renamed. */
  outFile: string;
  targetLufs?: number; // default -16
  maxTruePeak?: number; // dBTP, default -1
  bitrate?: Mp3Bitrate; // default 64
  join?: Omit<JoinOptions, "segmentNames">;
  /** Fraction of the audio stage done, in [0, 1]; called a few times a second at most. */
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

export interface SpeakerLevel {
  speaker: string;
  /** Gain the speaker's turns got, dB. */
  gainDb: number;
  /** Integrated loudness of the speaker's turns in the finished audio (before encoding), LUFS. */
  integrated: number;
}

export interface AssembledEpisode {
  file: string;
  /** Size of the file, tags included. */
  bytes: number;
  /** Exact: the PCM length, which the Info frame tells players. */
  durationSeconds: number;
  turns: TimedTurn[];
  chapters: Chapter[];
  /** Of the PCM that went into the encoder, measured as it went. */
  loudness: { integrated: number; truePeak: number };
  speakers: SpeakerLevel[];
  mp3: Mp3Summary;
  /** Where the time went: seconds of each pass (wall clock, and CPU of every thread), limiter rounds. */
  work: { pass: 1 | 2 | 3; wall: number; cpu: number }[];
  rounds: number;
}

/**
 * The PCM's true peak stays this far under maxTruePeak, so the decoded MP3's does too: coding noise
 * lifts peaks (measured at 64 kbps: +0.39 dB on heavily limited synthetic speech, PCM -1.20 →
 * decoded -0.81 dBTP; real Flite speech came out 0.2 dB lower instead).
 */
const CODEC_HEADROOM_DB = 0.5;
/** Pass 2 is repeated (up to MAX_ROUNDS) until the gains it asks for are within this of those it measured. */
const PREDICTION_RANGE_DB = 0.5;
const MAX_ROUNDS = 4;

// Shares of the work, from pass timings of a 60-minute episode (src/bench/audio-bench.ts: 2.8, 5.3, 22.2 s).
const PASS1_END = 0.1;
const PASS2_END = 0.25;

/** Samples per encoder call in pass 3 (~2 s at 24 kHz): the event loop runs in between. */
const ENCODE_SLICE = 48_000;

interface Prepared extends MeasuredClip {
  spooled: SpooledClip;
  /** Timeline position of the first sample. */
  start: number;
  /** Gain in front of the limiter. */
  gain: number;
}

interface Ctx {
  input: AssembleInput;
  sp: Spacing;
  rate: number;
  target: number;
  /** Linear: where the limiter aims, and the true peak no clip may pass. */
  ceiling: number;
  limit: number;
  ticker: Ticker;
  report: (f: number, always?: boolean) => void;
}

export async function assembleEpisode(input: AssembleInput): Promise<AssembledEpisode> {
  const target = input.targetLufs ?? -16;
  const maxTp = input.maxTruePeak ?? -1;
  checkTargets(target, maxTp);
  checkMeta(input.meta); // before the work, not after it
  if (input.clips.length === 0) {
    throw new AppError("invalid_input", "clips: at least one clip is required", { field: "clips" });
  }
  for (const [i, c] of input.clips.entries()) checkTurnSegment(i, c.turn);
  const sp = spacing(input.join);
  checkMp3Rate(sp.rate);
  const ctx: Ctx = {
    input,
    sp,
    rate: sp.rate,
    target,
    ceiling: dbToGain(maxTp - CODEC_HEADROOM_DB - CEILING_MARGIN_DB),
    limit: dbToGain(maxTp - CODEC_HEADROOM_DB),
    ticker: new Ticker(input.signal),
    report: progressReporter(input.onProgress),
  };
  ctx.ticker.check();
  ctx.report(0, true);

  await removeLeftovers(input.outFile);
  const base = `${input.outFile}.${process.pid}.${Date.now()}`;
  let spool: Spool | undefined;
  let out: Mp3File | undefined;
  try {
    const work: AssembledEpisode["work"] = [];
    const clock = passClock();
    spool = await Spool.create(`${base}.spool.tmp`);
    const { clips, turns, total } = await prepare(ctx, spool);
    const chapters = chaptersOf(turns, input.segmentNames, total / ctx.rate);
    levelSpeakers(clips, target);
    work.push({ pass: 1, ...clock() });
    const rounds = await planGains(ctx, clips, spool, total);
    work.push({ pass: 2, ...clock() });
    const description = describeEpisode(input.meta.title, input.meta.summary, chapters);
    const tag = id3Tag({ ...input.meta, description }, chapters);
    out = await Mp3File.create(`${base}.mp3.tmp`, tag, ctx.rate, input.bitrate ?? 64);
    const written = await encode(ctx, clips, spool, out, total);
    const mp3 = await out.finish();
    work.push({ pass: 3, ...clock() });
    ctx.ticker.check();
    await rename(out.file, input.outFile);
    out = undefined;
    ctx.report(1, true);
    return {
      file: input.outFile,
      bytes: mp3.fileBytes,
      durationSeconds: total / ctx.rate,
      turns,
      chapters,
      loudness: { integrated: written.integrated, truePeak: gainToDb(written.peak) },
      speakers: [...bySpeaker(written.clips)].map(([speaker, list]) => ({
        speaker,
        gainDb: gainToDb(list[0]!.gain),
        integrated: pooledLoudness(list, () => 1),
      })),
      mp3,
      work,
      rounds,
    };
  } catch (err) {
    await out?.discard();
    throw err;
  } finally {
    await spool?.dispose();
  }
}

/** Pass 1: every clip loaded, resampled, trimmed, faded, metered, placed on the timeline and spooled. */
async function prepare(ctx: Ctx, spool: Spool): Promise<{ clips: Prepared[]; turns: TimedTurn[]; total: number }> {
  const { input, sp, rate } = ctx;
  const turnsIn = input.clips.map((c) => c.turn);
  const clips: Prepared[] = [];
  const turns: TimedTurn[] = [];
  let pos = 0;
  for (const [i, source] of input.clips.entries()) {
    const pcm = await source.load();
    if (!pcm || !(pcm.samples instanceof Float32Array)) {
      throw new AppError("internal", `audio: clip ${i + 1} could not be loaded`);
    }
    checkClipRate(i, pcm.sampleRate);
    // A copy: the cache may hand out its own arrays, and fades are applied in place.
    const x = trimSilence(resample(pcm, rate).samples, rate, sp.silenceDb).slice();
    applyFades(x, sp.fade);
    pos += gapBefore(turnsIn, i, sp);
    const { speaker, text, segment } = source.turn;
    turns.push({ speaker, text, segment, start: pos / rate, end: (pos + x.length) / rate });
    clips.push({ speaker, energy: measureClip(x, pos, rate, 1), spooled: await spool.append(x), start: pos, gain: 1 });
    pos += x.length;
    ctx.report(((i + 1) / input.clips.length) * PASS1_END);
    await ctx.ticker.tick();
  }
  return { clips, turns, total: pos + sp.tail };
}

/** One gain per speaker, from its pooled loudness; a silent speaker has nothing to gain. */
function levelSpeakers(clips: Prepared[], target: number): void {
  let audible = false;
  for (const list of bySpeaker(clips).values()) {
    const level = pooledLoudness(list, () => 1);
    audible ||= Number.isFinite(level);
    for (const c of list) c.gain = Number.isFinite(level) ? dbToGain(target - level) : 1;
  }
  if (!audible) {
    // Nothing audible to publish: a speech engine returned silence for every turn.
    throw new AppError("invalid_input", "clips: every clip is silent, there is no audio to assemble", {
      field: "clips",
    });
  }
}

/**
 * Pass 2: rounds of limiting at the current gains and solving for the gains that hit the target
 * with the limiter included, until the correction is small enough to trust the prediction.
 * Returns the number of rounds.
 */
async function planGains(ctx: Ctx, clips: Prepared[], spool: Spool, total: number): Promise<number> {
  const { rate, target } = ctx;
  const speakers = bySpeaker(clips);
  const buf = new Float32Array(clips.reduce((n, c) => Math.max(n, c.spooled.length), 0));
  const sens = new Float32Array(buf.length);
  for (let round = 1; ; round++) {
    // Each round has half of what is left of pass 2's share of progress.
    const from = PASS1_END + (PASS2_END - PASS1_END) * (1 - 0.5 ** (round - 1));
    const share = (PASS2_END - PASS1_END) * 0.5 ** round;
    for (const [k, c] of clips.entries()) {
      const x = await spool.read(c.spooled, buf);
      for (let i = 0; i < x.length; i++) x[i]! *= c.gain;
      const sensitivity = sens.subarray(0, x.length).fill(1);
      limitInPlace(x, rate, ctx.ceiling, { sensitivity });
      c.energy = measureClip(x, c.start, rate, c.gain, sensitivity);
      ctx.report(from + ((k + 1) / clips.length) * share);
      await ctx.ticker.tick();
    }
    // Every speaker at the target, limiter included, then the episode as a whole.
    let correction = 0;
    for (const list of speakers.values()) {
      const g = list[0]!.gain;
      const db = solveGainDb((d) => pooledLoudness(list, () => g * dbToGain(d)), target);
      for (const c of list) c.gain = g * dbToGain(db);
      correction = Math.max(correction, Math.abs(db));
    }
    const episodeDb = solveGainDb((d) => timelineLoudness(clips, (c) => c.gain * dbToGain(d), total, rate), target);
    for (const c of clips) c.gain *= dbToGain(episodeDb);
    correction = Math.max(correction, Math.abs(episodeDb));
    if (correction < PREDICTION_RANGE_DB || round === MAX_ROUNDS) return round;
  }
}

/** Pass 3: each clip at its gain through the limiter, with the pauses, metered and encoded into the file. */
async function encode(ctx: Ctx, clips: Prepared[], spool: Spool, out: Mp3File, total: number) {
  const { sp, rate } = ctx;
  const meter = new TimelineMeter(rate);
  const silence = new Float32Array(Math.max(sp.leadIn, sp.pauseSame, sp.pauseChange, sp.tail));
  const writeSilence = async (n: number) => {
    meter.push(undefined, n);
    for (let done = 0; done < n; done += silence.length) {
      await out.write(silence.subarray(0, Math.min(silence.length, n - done)));
    }
  };
  const buf = new Float32Array(clips.reduce((n, c) => Math.max(n, c.spooled.length), 0));
  const measured: (MeasuredClip & { gain: number })[] = [];
  let peak = 0;
  let at = 0;
  for (const [k, c] of clips.entries()) {
    await writeSilence(c.start - at);
    const x = await spool.read(c.spooled, buf);
    for (let i = 0; i < x.length; i++) x[i]! *= c.gain;
    limitInPlace(x, rate, ctx.ceiling);
    // The guarantee: whatever the limiter left, no clip's true peak ends above the limit.
    let p = truePeakLinear(x, peak);
    if (p > ctx.limit) {
      const g = (ctx.limit / p) * 0.999;
      for (let i = 0; i < x.length; i++) x[i]! *= g;
      p *= g;
    }
    peak = Math.max(peak, p);
    const sq = meter.push(x, x.length);
    measured.push({ speaker: c.speaker, gain: c.gain, energy: clipEnergy(sq, x.length, c.start, rate, 1) });
    for (let i = 0; i < x.length; i += ENCODE_SLICE) {
      await out.write(x.subarray(i, Math.min(x.length, i + ENCODE_SLICE)));
      await ctx.ticker.tick();
    }
    at = c.start + x.length;
    ctx.report(PASS2_END + ((k + 1) / clips.length) * (0.99 - PASS2_END));
  }
  await writeSilence(total - at);
  return { integrated: meter.integrated(), peak, clips: measured };
}

/** Each call: wall-clock and CPU seconds (all threads) since the previous call. */
function passClock(): () => { wall: number; cpu: number } {
  let wall = performance.now();
  let cpu = process.cpuUsage();
  return () => {
    const d = process.cpuUsage(cpu);
    const w = (performance.now() - wall) / 1000;
    wall = performance.now();
    cpu = process.cpuUsage();
    return { wall: w, cpu: (d.user + d.system) / 1e6 };
  };
}

/** Gives the event loop a turn every ~50 ms of work (heartbeats, progress) and checks for a cancel. */
class Ticker {
  #since = performance.now();
  readonly #signal: AbortSignal | undefined;
  constructor(signal: AbortSignal | undefined) {
    this.#signal = signal;
  }

  check(): void {
    if (this.#signal?.aborted) throw new AppError("canceled", "audio: assembly canceled");
  }

  async tick(): Promise<void> {
    if (performance.now() - this.#since > 50) {
      await new Promise<void>((r) => setImmediate(r));
      this.#since = performance.now();
    }
    this.check();
  }
}

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
