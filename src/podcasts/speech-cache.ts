// The speech cache the pipeline's speech stage reads and fills (PipelineDeps.speechCache): one clip
// per key (sha256 of provider, model, voice, settings, language and text), its samples on the
// artifact store as `cache/tts/<key>.pcm` (raw float32) and a tts_cache record holding its sample
// rate, length and size. With the store and the database shared, a retry on another machine finds
// every clip already spoken and re-bills nothing. The clip is stored before its record, so a record
// always points at a whole clip; a clip without a record is simply made again.
//
// Bounded (PODCAST_MCP_CACHE_MAX_MB): every hit stamps the record's `used`; once the clips add up to
// more than the limit, the least recently used go until the cache is at 90 % of it. The sum is read
// at most every EVICT_EVERY_MS, not on every put, so a busy worker pays one small query a minute.
import { RecordId } from "surrealdb";
import { getSpeechClip, putSpeechClip } from "../artifacts/speech-clips.js";
import { speechClipKey } from "../artifacts/keys.js";
import type { ArtifactStore } from "../artifacts/types.js";
import { writeRetrying } from "../core/resilience/conflict.js";
import type { Db } from "../db/index.js";
import type { Logger } from "../log.js";
import type { Pcm } from "../core/model.js";

/** Keys are sha256 hex (speechCacheKey); anything else never becomes a key. */
const KEY = /^[a-f0-9]{32,128}$/;
const EVICT_EVERY_MS = 60_000;
/** Evicting frees down to this share of the limit, so the next few puts do not evict again at once. */
const LOW_WATER = 0.9;

interface CacheRecord {
  sample_rate: number;
  samples: number;
}

export interface SpeechCacheStore {
  get(key: string): Promise<Pcm | undefined>;
  put(key: string, pcm: Pcm, meta?: { provider?: string; model?: string; voice?: string }): Promise<void>;
  /** Removes least recently used clips while the cache is over its limit; returns how many went. */
  evict(): Promise<number>;
}

export function createSpeechCache(
  db: Db,
  store: ArtifactStore,
  log: Logger,
  opts: { maxBytes?: number } = {},
): SpeechCacheStore {
  const recordId = (key: string) => new RecordId("tts_cache", key);
  const maxBytes = opts.maxBytes ?? 0;
  let lastEvict = 0;

  const evict = async (): Promise<number> => {
    lastEvict = Date.now();
    if (maxBytes <= 0) return 0;
    const [[total]] = await db
      .query<[[{ bytes?: number }?]]>("SELECT math::sum(bytes) AS bytes FROM tts_cache GROUP ALL")
      .collect();
    let over = (total?.bytes ?? 0) - maxBytes * LOW_WATER;
    if ((total?.bytes ?? 0) <= maxBytes) return 0;
    let removed = 0;
    while (over > 0) {
      const [rows] = await db
        .query<[{ id: RecordId; key: string; bytes: number; used: unknown }[]]>(
          "SELECT id, key, bytes, used FROM tts_cache ORDER BY used ASC LIMIT 100",
        )
        .collect();
      if (rows.length === 0) break;
      for (const r of rows) {
        // The record first: a clip without a record is never read; a record without a clip would be.
        await writeRetrying(db, "DELETE $id", { id: r.id });
        await store
          .delete(speechClipKey(r.key))
          .catch((err: unknown) => log.warn({ err, key: r.key }, "speech cache: clip not removed"));
        over -= r.bytes;
        removed++;
        if (over <= 0) break;
      }
    }
    log.info({ removed, maxBytes }, "speech cache: least recently used clips removed to stay under the limit");
    return removed;
  };

  return {
    async get(key) {
      if (!KEY.test(key)) return undefined;
      const [rows] = await db
        .query<[CacheRecord[]]>("SELECT sample_rate, samples FROM $id", { id: recordId(key) })
        .collect();
      const rec = rows?.[0];
      if (!rec) return undefined;
      // Stamp the use for eviction. Workers speaking the same lines stamp the same record at once
      // (measured: "Resource busy" conflicts); a stamp that loses is no reason to miss the clip.
      await writeRetrying(db, "UPDATE $id SET used = time::now()", { id: recordId(key) }).catch((err: unknown) =>
        log.debug({ err, key }, "speech cache: last-use stamp not written"),
      );
      try {
        const samples = await getSpeechClip(store, key, rec.samples);
        return samples ? { samples, sampleRate: rec.sample_rate } : undefined;
      } catch (err) {
        log.warn({ err, key }, "speech cache: clip unreadable, it will be synthesized again");
        return undefined;
      }
    },

    async put(key, pcm, meta = {}) {
      if (!KEY.test(key)) throw new Error(`speech cache key must be hex (got ${JSON.stringify(key.slice(0, 80))})`);
      await putSpeechClip(store, key, pcm.samples);
      await writeRetrying(db, "UPSERT $id CONTENT $c", {
        id: recordId(key),
        c: {
          key,
          provider: meta.provider ?? "",
          model: meta.model ?? "",
          voice: meta.voice ?? "",
          file: speechClipKey(key),
          sample_rate: pcm.sampleRate,
          samples: pcm.samples.length,
          bytes: pcm.samples.byteLength,
          created: new Date(),
          used: new Date(),
        },
      });
      if (maxBytes > 0 && Date.now() - lastEvict >= EVICT_EVERY_MS) {
        await evict().catch((err: unknown) =>
          log.warn({ err }, "speech cache: eviction failed; it is tried again later"),
        );
      }
    },

    evict,
  };
}
