// The speech cache the pipeline's speech stage reads and fills (PipelineDeps.speechCache): one
// clip per key, stored as raw little-endian float32 samples in <dataDir>/cache/tts/<key>.pcm with
// a tts_cache record holding its sample rate and length. The file is written (atomically, by
// rename) before the record, so a record always points at a whole file; a file without a record
// is simply re-made.
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { RecordId } from "surrealdb";
import type { Db } from "../db/index.js";
import type { Logger } from "../log.js";
import type { Pcm } from "../pipeline/types.js";
import { writeRetrying } from "../core/resilience/conflict.js";

/** Keys are sha256 hex (speechCacheKey); anything else never becomes a file name. */
const KEY = /^[a-f0-9]{32,128}$/;

interface CacheRecord {
  file: string;
  sample_rate: number;
  samples: number;
}

export interface SpeechCacheStore {
  get(key: string): Promise<Pcm | undefined>;
  put(key: string, pcm: Pcm, meta?: { provider?: string; model?: string; voice?: string }): Promise<void>;
}

export function createSpeechCache(db: Db, dataDir: string, log: Logger): SpeechCacheStore {
  const dir = path.resolve(dataDir, "cache", "tts");
  const recordId = (key: string) => new RecordId("tts_cache", key);

  return {
    async get(key) {
      if (!KEY.test(key)) return undefined;
      const [rows] = await db.query<[CacheRecord[]]>("SELECT file, sample_rate, samples FROM $id", { id: recordId(key) }).collect();
      const rec = rows?.[0];
      if (!rec) return undefined;
      try {
        const buf = await readFile(path.join(dir, path.basename(rec.file)));
        if (buf.byteLength !== rec.samples * 4) throw new Error(`expected ${rec.samples * 4} bytes, found ${buf.byteLength}`);
        // Copy into an aligned buffer: a Buffer from the pool may start at an odd offset.
        const samples = new Float32Array(rec.samples);
        new Uint8Array(samples.buffer).set(buf);
        return { samples, sampleRate: rec.sample_rate };
      } catch (err) {
        log.warn({ err, key }, "speech cache: clip unreadable, it will be synthesized again");
        return undefined;
      }
    },

    async put(key, pcm, meta = {}) {
      if (!KEY.test(key)) throw new Error(`speech cache key must be hex (got ${JSON.stringify(key.slice(0, 80))})`);
      await mkdir(dir, { recursive: true });
      const file = `${key}.pcm`;
      const tmp = path.join(dir, `${file}.${process.pid}.${Date.now()}.tmp`);
      const bytes = Buffer.from(pcm.samples.buffer, pcm.samples.byteOffset, pcm.samples.byteLength);
      try {
        await writeFile(tmp, bytes);
        await rename(tmp, path.join(dir, file));
      } catch (err) {
        await rm(tmp, { force: true });
        throw err;
      }
      await writeRetrying(db, "UPSERT $id CONTENT $c", {
          id: recordId(key),
          c: {
            key,
            provider: meta.provider ?? "",
            model: meta.model ?? "",
            voice: meta.voice ?? "",
            file,
            sample_rate: pcm.sampleRate,
            samples: pcm.samples.length,
            bytes: bytes.byteLength,
            created: new Date(),
          },
        });
    },
  };
}
