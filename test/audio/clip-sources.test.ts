// What the speech stage hands the audio stage: one source per turn that loads its clip from the
// speech cache when assembly gets there; only a clip the cache could not store stays in memory.
import { describe, expect, it } from "vitest";
import { silentLogger } from "../../src/log.js";
import { speak, type SpeechCache } from "../../src/pipeline/stages/speech.js";
import { resolveVoices } from "../../src/providers/voices.js";
import type { Pcm, Turn } from "../../src/core/model.js";
import { MemorySpeechCache, SPEAKERS, ToneEngine } from "../pipeline/support.js";

const turns: Turn[] = [
  { speaker: "Alice", text: "Hello there.", segment: 0 },
  { speaker: "Bob", text: "Exactly.", segment: 0 },
  { speaker: "Alice", text: "And one more thing.", segment: 1 },
  { speaker: "Bob", text: "Exactly.", segment: 1 }, // the same line again: spoken once
];

function run(cache: SpeechCache, engine = new ToneEngine("builtin")) {
  const voices = resolveVoices(SPEAKERS, { tts: () => engine, resolveTts: () => "builtin" });
  const ctx = {
    signal: new AbortController().signal,
    log: silentLogger,
    language: "en",
    cache,
    progress: () => undefined,
  };
  return { engine, result: speak(turns, voices, ctx) };
}

/** A cache that counts reads per key and can be told to refuse writes. */
class CountingCache extends MemorySpeechCache {
  reads = new Map<string, number>();
  refuse = false;
  override async get(key: string) {
    this.reads.set(key, (this.reads.get(key) ?? 0) + 1);
    return super.get(key);
  }
  override async put(key: string, pcm: Pcm, meta?: { provider: string; model: string; voice: string }) {
    if (this.refuse) throw new Error("disk full");
    return super.put(key, pcm, meta);
  }
}

describe("speech stage clip sources", () => {
  it("hands over sources in script order that read each clip from the cache only when loaded", async () => {
    const cache = new CountingCache();
    const { engine, result } = run(cache);
    const { clips, synthesized, cached } = await result;
    expect(synthesized).toBe(3);
    expect(cached).toBe(1); // the repeated "Exactly."
    expect(engine.calls.map((c) => c.text)).toEqual(["Hello there.", "Exactly.", "And one more thing."]);
    expect(clips.map((c) => c.turn)).toEqual(turns);
    const readsBefore = [...cache.reads.values()].reduce((a, b) => a + b, 0);
    const first = await clips[0]!.load();
    expect(first.sampleRate).toBe(16_000);
    expect([...cache.reads.values()].reduce((a, b) => a + b, 0)).toBe(readsBefore + 1);
    // The repeated line loads the same clip.
    expect((await clips[3]!.load()).samples).toBe(await clips[1]!.load().then((p) => p.samples));
  });

  it("keeps a clip in memory when the cache refuses to store it", async () => {
    const cache = new CountingCache();
    cache.refuse = true;
    const { result } = run(cache);
    const { clips } = await result;
    expect(cache.clips.size).toBe(0);
    const readsBefore = [...cache.reads.values()].reduce((a, b) => a + b, 0);
    for (const c of clips) expect((await c.load()).samples.length).toBeGreaterThan(0);
    expect([...cache.reads.values()].reduce((a, b) => a + b, 0)).toBe(readsBefore); // none from the cache
  });

  it("a clip gone from the cache before the audio stage loads it fails as internal (retried)", async () => {
    const cache = new CountingCache();
    const { result } = run(cache);
    const { clips } = await result;
    cache.clips.clear();
    await expect(clips[2]!.load()).rejects.toMatchObject({
      kind: "internal",
      message: expect.stringMatching(/turn 3/),
    });
  });
});
