// The speech cache is bounded (PODCAST_MCP_CACHE_MAX_MB): over the limit, the least recently used
// clips go (record first, then the clip), down to 90 % of it; a clip just read is kept.
import { existsSync } from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { createDataDirStore } from "../../src/artifacts/data-dir-store.js";
import { silentLogger } from "../../src/log.js";
import { createSpeechCache } from "../../src/podcasts/speech-cache.js";
import { speechCacheKey } from "../../src/providers/tts/cache-key.js";
import { tmpDataDir } from "../helpers/procs.js";
import { count, useSetup, type Setup } from "./support.js";

let s: Setup;
useSetup((x) => (s = x));

it("evicts the least recently used clips once over the limit, and keeps what was just read", async () => {
  const dir = tmpDataDir();
  const clipBytes = 40_000; // 10,000 float samples
  const cache = createSpeechCache(s.db, createDataDirStore(dir), silentLogger, { maxBytes: 5 * clipBytes });
  const keys = Array.from({ length: 8 }, (_, i) =>
    speechCacheKey("builtin", "flite", "slt", undefined, `Line ${i}.`, "en"),
  );
  const samples = new Float32Array(clipBytes / 4).fill(0.25);
  for (const key of keys) {
    await cache.put(key, { samples, sampleRate: 16_000 });
    await new Promise((r) => setTimeout(r, 5)); // distinct `used` stamps
  }
  // Clip 0 is the oldest, but it is read now: it becomes the most recently used.
  expect(await cache.get(keys[0]!)).toBeDefined();
  const removed = await cache.evict();
  // 8 clips, limit 5, low water 4.5: the 4 least recently used (1, 2, 3, 4) go.
  expect(removed).toBe(4);
  expect(await count(s.db, "tts_cache")).toBe(4);
  for (const [i, key] of keys.entries()) {
    const kept = [0, 5, 6, 7].includes(i);
    expect(existsSync(path.join(dir, "cache", "tts", `${key}.pcm`)), `clip ${i}`).toBe(kept);
    expect((await cache.get(key)) !== undefined, `clip ${i}`).toBe(kept);
  }
  // Under the limit now: nothing more goes.
  expect(await cache.evict()).toBe(0);
});
