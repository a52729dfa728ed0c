// Stage 4: every turn through its speaker's voice. Cached clips are never re-synthesized, and each
// new clip is put in the cache the moment it arrives, so a failure (or a cancel) at turn k keeps
// everything spoken before it and a retry re-bills nothing already said. Each provider gets its
// own pool of `engine.concurrency` workers; different providers run side by side.
import { AppError } from "../../errors.js";
import type { Logger } from "../../log.js";
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
  clips: { pcm: Pcm; turn: Turn }[];
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
  const pcms: (Pcm | undefined)[] = new Array(total);
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
    const hit = await getQuietly(ctx, key);
    if (hit) {
      pcms[index] = hit;
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
      if (ctx.signal.aborted) {
        failure ??= new AppError("canceled", `canceled during speech (before turn ${job.index + 1}/${total})`, { cause: ctx.signal.reason });
        return;
      }
      try {
        const pcm = await job.voice.engine.synthesize(
          { text: job.turn.text, voice: job.voice.voice, model: job.voice.model, language: ctx.language, settings: job.voice.settings },
          ctx.signal,
        );
        synthesized++;
        pcms[job.index] = pcm;
        await putQuietly(ctx, job, pcm);
        tick("spoke");
      } catch (err) {
        failure ??= labelled(asCanceled(err, ctx.signal, "speech"), job, total);
        return;
      }
    }
  };
  const pools = [...pending.values()].flatMap((queue) => {
    const engine = queue[0]!.voice.engine;
    const n = Math.max(1, Math.min(engine.concurrency, queue.length));
    return Array.from({ length: n }, () => worker(queue));
  });
  await Promise.all(pools);
  if (failure !== undefined) throw failure;

  for (const d of duplicates) {
    pcms[d.index] = pcms[firstByKey.get(d.key)!];
    cached++;
    tick("reused");
  }
  const clips = turns.map((turn, i) => {
    const pcm = pcms[i];
    if (!pcm) throw new AppError("internal", `speech: turn ${i + 1} has no audio`);
    return { pcm, turn };
  });
  return { clips, synthesized, cached };
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
async function putQuietly(ctx: SpeechContext, job: Job, pcm: Pcm): Promise<void> {
  try {
    await ctx.cache.put(job.key, pcm, { provider: job.voice.provider, model: job.voice.model, voice: job.voice.voice });
  } catch (err) {
    ctx.log.warn({ err, key: job.key }, "speech: could not store a clip in the speech cache");
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
