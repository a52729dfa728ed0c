// Stage 4: every turn through its speaker's voice. Cached clips are never re-synthesized, and each
// new clip is put in the cache the moment it arrives, so a failure (or a cancel) at turn k keeps
// everything spoken before it and a retry re-bills nothing already said. Each provider gets its
// own pool of `engine.concurrency` workers; different providers run side by side.
// The result is a list of clip sources, not clips: a clip lives in the cache and the audio stage
// loads it when it gets there, so a long episode is never in memory at once. Only a clip the
// cache could not store is kept in memory.
import { getMaxListeners, setMaxListeners } from "node:events";
import { AppError } from "../../errors.js";
import type { Logger } from "../../log.js";
import { heldClip, type ClipSource } from "../audio/clip-source.js";
import { speechCacheKey } from "../../providers/tts/cache-key.js";
import type { Pcm, Turn } from "../../core/model.js";
import { asCanceled, throwIfCanceled } from "./cancel.js";
import type { ResolvedTts, Voice, VoiceMap } from "../../providers/voices.js";

export interface SpeechCache {
  get(key: string): Promise<Pcm | undefined>;
  /** meta describes the clip for the store's records; a store may ignore it. */
  put(key: string, pcm: Pcm, meta?: { provider: string; model: string; voice: string }): Promise<void>;
}

export interface SpeechContext {
  signal: AbortSignal;
  log: Logger;
  language: string;
  cache: SpeechCache;
  progress(fraction: number, message: string): void;
}

export interface SpeechResult {
  clips: ClipSource[];
  synthesized: number;
  cached: number;
}

interface Job {
  index: number;
  turn: Turn;
  voice: Voice;
  key: string;
}

export async function speak(turns: Turn[], voices: VoiceMap, ctx: SpeechContext): Promise<SpeechResult> {
  const total = turns.length;
  const sources: (ClipSource | undefined)[] = new Array(total);
  let done = 0;
  let synthesized = 0;
  let cached = 0;
  const tick = (what: string) => {
    done++;
    ctx.progress(done / total, `${what} turn ${done}/${total}`);
  };

  // Cache lookups first: they are cheap, and knowing what is left lets progress start honest.
  const pending = new Map<ResolvedTts, Job[]>();
  const firstByKey = new Map<string, number>();
  const duplicates: Job[] = [];
  for (const [index, turn] of turns.entries()) {
    throwIfCanceled(ctx.signal, "speech");
    const voice = voices.get(turn.speaker);
    if (!voice) throw new AppError("internal", `speech: turn ${index + 1}: no voice for speaker "${turn.speaker}"`);
    const key = speechCacheKey(voice.provider, voice.model, voice.voice, voice.settings, turn.text, ctx.language);
    // Read whole, to know the clip is usable now, and then let go: the audio stage reads it again.
    if (await getQuietly(ctx, key)) {
      sources[index] = fromCache(ctx.cache, key, turn, index);
      cached++;
      tick("cached");
      continue;
    }
    // The same line said twice by the same voice ("Exactly.") is synthesized once.
    const job = { index, turn, voice, key };
    if (firstByKey.has(key)) {
      duplicates.push(job);
      continue;
    }
    firstByKey.set(key, index);
    const list = pending.get(voice.provider) ?? [];
    list.push(job);
    pending.set(voice.provider, list);
  }

  let failure: unknown;
  const worker = async (queue: Job[]) => {
    for (let job = queue.shift(); job && failure === undefined; job = queue.shift()) {
      // One message for a cancel however it lands (between turns or inside one): "canceled during speech".
      if (ctx.signal.aborted) {
        failure ??= asCanceled(ctx.signal.reason, ctx.signal, "speech");
        return;
      }
      try {
        const pcm = await job.voice.engine.synthesize(
          {
            text: job.turn.text,
            voice: job.voice.voice,
            model: job.voice.model,
            language: ctx.language,
            settings: job.voice.settings,
          },
          ctx.signal,
        );
        synthesized++;
        const stored = await putQuietly(ctx, job, pcm);
        sources[job.index] = stored ? fromCache(ctx.cache, job.key, job.turn, job.index) : heldClip(pcm, job.turn);
        tick("spoke");
      } catch (err) {
        failure ??= labelled(asCanceled(err, ctx.signal, "speech"), job, total);
        return;
      }
    }
  };
  const sizes = [...pending.values()].map((queue) =>
    Math.max(1, Math.min(queue[0]!.voice.engine.concurrency, queue.length)),
  );
  allowWaiters(
    ctx.signal,
    sizes.reduce((a, b) => a + b, 0),
  );
  const pools = [...pending.values()].flatMap((queue, i) => Array.from({ length: sizes[i]! }, () => worker(queue)));
  await Promise.all(pools);
  if (failure !== undefined) throw failure;

  for (const d of duplicates) {
    const first = sources[firstByKey.get(d.key)!];
    if (first) sources[d.index] = { turn: d.turn, load: first.load };
    cached++;
    tick("reused");
  }
  const clips = turns.map((_, i) => {
    const source = sources[i];
    if (!source) throw new AppError("internal", `speech: turn ${i + 1} has no audio`);
    return source;
  });
  return { clips, synthesized, cached };
}

/** A clip read from the cache when the audio stage needs it. */
function fromCache(cache: SpeechCache, key: string, turn: Turn, index: number): ClipSource {
  return {
    turn,
    async load() {
      const pcm = await cache.get(key);
      // Gone since the speech stage saw it (a cleaned cache): a retry (internal is retried) speaks it again.
      if (!pcm || pcm.samples.length === 0) {
        throw new AppError("internal", `speech: turn ${index + 1}'s clip is no longer in the speech cache`);
      }
      return pcm;
    },
  };
}

/** A clip the cache cannot give back (a truncated file, say) is a miss: it is spoken again, not fatal. */
async function getQuietly(ctx: SpeechContext, key: string): Promise<Pcm | undefined> {
  try {
    const pcm = await ctx.cache.get(key);
    return pcm && pcm.samples.length > 0 && pcm.sampleRate > 0 ? pcm : undefined;
  } catch (err) {
    ctx.log.warn({ err, key }, "speech: could not read a clip from the speech cache; speaking it again");
    return undefined;
  }
}

/** A clip that cannot be cached is still a good clip: losing the cache only costs a future re-run. */
async function putQuietly(ctx: SpeechContext, job: Job, pcm: Pcm): Promise<boolean> {
  try {
    await ctx.cache.put(job.key, pcm, { provider: job.voice.provider, model: job.voice.model, voice: job.voice.voice });
    return true;
  } catch (err) {
    ctx.log.warn({ err, key: job.key }, "speech: could not store a clip in the speech cache; keeping it in memory");
    return false;
  }
}

/** Keep the provider's kind (the queue retries on it) but say which turn and voice failed. */
function labelled(err: unknown, job: Job, total: number): unknown {
  if (!(err instanceof AppError) || err.kind === "canceled") return err;
  const where = `speech: turn ${job.index + 1}/${total} (${job.turn.speaker}, ${job.voice.provider} voice "${job.voice.voice}")`;
  return new AppError(err.kind, `${where}: ${err.message}`, {
    ...(err.field !== undefined ? { field: err.field } : {}),
    ...(err.retryAfterMs !== undefined ? { retryAfterMs: err.retryAfterMs } : {}),
    cause: err,
  });
}

/**
 * Each pool worker speaks one turn at a time, and a turn waits on the job's signal in a few places
 * at once (a provider slot, a retry's sleep, the request's own timeout): a deliberate fan-out, not a
 * leak. Node warns past 10 listeners; size the limit for this fan-out (measured: the suite's
 * "11 abort listeners" warning came from a test engine that never removed its own).
 */
const WAITS_PER_TURN = 4;
function allowWaiters(signal: AbortSignal, workers: number): void {
  const needed = 10 + WAITS_PER_TURN * workers;
  if (getMaxListeners(signal) < needed) setMaxListeners(needed, signal);
}
